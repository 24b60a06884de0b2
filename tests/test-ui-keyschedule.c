/* test-ui-keyschedule.c — the TLS 1.3 key schedule as the diagram of RFC
 * 8446, 7.1 (issue 16): each box shows the output of its trace step (the
 * same value both sides computed), its label and the messages its
 * transcript hash covers; the boxes the run did not compute (binder_key
 * without a PSK, early traffic without 0-RTT, resumption_master_secret
 * without a ticket) say so; activating a box selects its step in the
 * window; a TLS 1.2 run has no key schedule to draw; the view at 1024x768
 * at zoom 1 and 2 saved as PNGs (looked at by hand).  Needs a display
 * (xvfb-run); without one every case is skipped. */
#include "config.h"

#include <string.h>
#include <gtk/gtk.h>

#include "lab-gui.h"
#include "lab-key-schedule.h"
#include "lab-screenshot.h"
#include "lab-window.h"
#include "tls-bytes.h"

#include "test-ui-util.h"
#include "test-util.h"

/* The texts of the labels in BUTTON, one a line. */
static char *
button_text (GtkWidget *button)
{
  GString *s = g_string_new (NULL);
  GtkWidget *box = gtk_button_get_child (GTK_BUTTON (button));

  for (GtkWidget *c = gtk_widget_get_first_child (box); c; c = gtk_widget_get_next_sibling (c))
    g_string_append_printf (s, "%s\n", gtk_label_get_text (GTK_LABEL (c)));
  return g_string_free (s, FALSE);
}

/* A window that has run the built-in scenario NAME to its end. */
static LabWindow *
window_run (const char *name)
{
  g_autoptr (GError) error = NULL;
  LabWindow *w = lab_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  g_assert_true (lab_window_load_builtin (w, name, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  g_assert_true (lab_session_run_to_end (lab_window_get_session (w)));
  pump ();
  g_assert_true (lab_session_is_finished (lab_window_get_session (w)));
  return w;
}

static const TlsScheduleBoxId absent[] = {
  TLS_SCHEDULE_BINDER_KEY, TLS_SCHEDULE_C_E_TRAFFIC, TLS_SCHEDULE_E_EXP_MASTER,
  TLS_SCHEDULE_C_E_KEYS, TLS_SCHEDULE_RES_MASTER,
};

static gboolean
is_absent (TlsScheduleBoxId id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (absent); i++)
    if (absent[i] == id)
      return TRUE;
  return FALSE;
}

/* Each box of VIEW against the trace: its step's output, the same value as
 * the last step of that title (either side: both compute the same
 * secrets), its hex on the box. */
static void
check_boxes (LabKeySchedule *view, const TlsTrace *trace, TlsActor actor)
{
  const TlsSchedule *ks = lab_key_schedule_get_schedule (view);

  g_assert_nonnull (ks);
  g_assert_cmpint (ks->actor, ==, actor);
  for (guint k = 0; k < TLS_SCHEDULE_N_BOXES; k++)
    {
      const TlsScheduleBox *b = &ks->boxes[k];
      g_autofree char *text = button_text (lab_key_schedule_get_box (view, k));
      const TlsStep *s, *other;
      const TlsTraceValue *v;
      g_autofree char *hex = NULL;

      if (is_absent (k))
        {
          g_assert_cmpint (b->step, ==, -1);
          g_assert_null (b->value);
          g_assert_nonnull (strstr (text, "not in this run"));
          continue;
        }
      g_assert_cmpint (b->step, >=, 0);
      s = tls_trace_get (trace, (guint) b->step);
      g_assert_cmpint (s->kind, ==, TLS_STEP_DERIVATION);
      g_assert_cmpint (s->actor, ==, actor);
      v = tls_step_find_output (s, b->output);
      g_assert_nonnull (v);
      g_assert_true (g_bytes_equal (v->bytes, b->value));
      other = tls_trace_get (trace, (guint) tls_trace_find (trace, TLS_STEP_DERIVATION, s->title));
      g_assert_true (g_bytes_equal (tls_step_find_output (other, b->output)->bytes, b->value));
      hex = tls_hex (g_bytes_get_data (b->value, NULL), MIN (g_bytes_get_size (b->value), 4));
      g_assert_nonnull (strstr (text, hex));
      g_assert_null (strstr (text, "not in this run"));
    }
}

static void
test_tls13 (void)
{
  static const char *const hello[] = { "ClientHello", "ServerHello", NULL };
  static const char *const to_sfin[] = { "ClientHello", "ServerHello", "EncryptedExtensions",
                                         "Certificate", "CertificateVerify", "Finished", NULL };
  LabWindow *w;
  LabKeySchedule *view;
  const TlsTrace *trace;
  const TlsSchedule *ks;
  const TlsScheduleBox *b;
  g_autofree char *text = NULL;
  g_autofree char *server_hs = NULL;
  int before;

  g_test_summary ("tls13: every box shows its step's output (equal on both sides), label and "
                  "transcript messages; PSK, 0-RTT and resumption boxes not in this run; "
                  "activating a box selects its step; PNGs at zoom 1 and 2");
  NEED_DISPLAY ();
  w = window_run ("tls13");
  trace = lab_session_get_trace (lab_window_get_session (w));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "lab.key-schedule", NULL));
  pump ();
  view = lab_window_show_key_schedule (w);
  g_assert_nonnull (view);
  wait_drawn (GTK_WIDGET (view));

  check_boxes (view, trace, lab_key_schedule_get_schedule (view)->actor);
  ks = lab_key_schedule_get_schedule (view);
  b = &ks->boxes[TLS_SCHEDULE_C_HS_TRAFFIC];
  g_assert_cmpstr (b->label, ==, "c hs traffic");
  g_assert_cmpstr (b->context, ==, "ClientHello...ServerHello");
  tu_assert_box_messages (b, hello);
  g_assert_cmpstr (tls_trace_get (trace, (guint) b->context_step)->title, ==, "Transcript-Hash");
  text = button_text (lab_key_schedule_get_box (view, TLS_SCHEDULE_C_HS_TRAFFIC));
  g_assert_nonnull (strstr (text, "c hs traffic"));
  g_assert_nonnull (strstr (text, "ClientHello...ServerHello"));
  tu_assert_box_messages (&ks->boxes[TLS_SCHEDULE_S_AP_TRAFFIC], to_sfin);
  tu_assert_box_messages (&ks->boxes[TLS_SCHEDULE_EXP_MASTER], to_sfin);
  /* the Finished key and verify_data of the server (RFC 8446, 4.4.4) */
  b = &ks->boxes[TLS_SCHEDULE_S_FINISHED_KEY];
  g_assert_cmpstr (b->label, ==, "finished");
  g_assert_nonnull (b->value2);
  g_assert_cmpuint (b->messages->len, ==, 5);
  g_assert_null (ks->boxes[TLS_SCHEDULE_HANDSHAKE_SECRET].label);

  /* an absent box selects nothing; activating a box selects its step in
   * the ladder and the inspector */
  before = lab_ladder_view_get_selected (lab_window_get_ladder (w));
  g_signal_emit_by_name (lab_key_schedule_get_box (view, TLS_SCHEDULE_BINDER_KEY), "clicked");
  pump ();
  g_assert_cmpint (lab_ladder_view_get_selected (lab_window_get_ladder (w)), ==, before);
  b = &ks->boxes[TLS_SCHEDULE_S_HS_TRAFFIC];
  g_assert_cmpint (b->step, !=, before);
  g_signal_emit_by_name (lab_key_schedule_get_box (view, TLS_SCHEDULE_S_HS_TRAFFIC), "clicked");
  pump ();
  g_assert_cmpint (lab_ladder_view_get_selected (lab_window_get_ladder (w)), ==, b->step);
  g_assert_cmpint (lab_inspector_get_step (lab_window_get_inspector (w)), ==, b->step);

  /* from the keyboard: a focused box activated (Enter, Space) selects its
   * step too */
  b = &ks->boxes[TLS_SCHEDULE_C_AP_TRAFFIC];
  g_assert_true (gtk_widget_get_focusable (lab_key_schedule_get_box (view, TLS_SCHEDULE_C_AP_TRAFFIC)));
  g_assert_true (gtk_widget_grab_focus (lab_key_schedule_get_box (view, TLS_SCHEDULE_C_AP_TRAFFIC)));
  g_assert_true (gtk_widget_activate (lab_key_schedule_get_box (view, TLS_SCHEDULE_C_AP_TRAFFIC)));
  {
    /* GtkButton's activation "clicks" after a short press (a timeout in
     * GTK): wait for it, at most 5 s */
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (lab_ladder_view_get_selected (lab_window_get_ladder (w)) != b->step
           && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  }
  pump ();
  g_assert_cmpint (lab_ladder_view_get_selected (lab_window_get_ladder (w)), ==, b->step);
  g_signal_emit_by_name (lab_key_schedule_get_box (view, TLS_SCHEDULE_S_HS_TRAFFIC), "clicked");
  pump ();
  b = &ks->boxes[TLS_SCHEDULE_S_HS_TRAFFIC];

  server_hs = tls_hex (g_bytes_get_data (b->value, NULL), g_bytes_get_size (b->value));
  save_png (GTK_WIDGET (view), "key-schedule.png");

  /* the other side: its own steps, the same values */
  lab_key_schedule_set_actor (view, TLS_ACTOR_CLIENT);
  check_boxes (view, trace, TLS_ACTOR_CLIENT);
  lab_key_schedule_set_actor (view, TLS_ACTOR_SERVER);
  check_boxes (view, trace, TLS_ACTOR_SERVER);
  b = &lab_key_schedule_get_schedule (view)->boxes[TLS_SCHEDULE_S_HS_TRAFFIC];
  {
    g_autofree char *hex = tls_hex (g_bytes_get_data (b->value, NULL), g_bytes_get_size (b->value));
    g_assert_cmpstr (hex, ==, server_hs);
  }

  set_zoom (2.0);
  wait_drawn (GTK_WIDGET (view));
  save_png (GTK_WIDGET (view), "key-schedule-zoom2.png");
  set_zoom (1.0);
  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

static void
test_hrr (void)
{
  static const char *const hello[] = { "message_hash", "HelloRetryRequest", "ClientHello",
                                       "ServerHello", NULL };
  LabWindow *w;
  LabKeySchedule *view;

  g_test_summary ("tls13-hrr: the handshake traffic secrets cover message_hash, "
                  "HelloRetryRequest, ClientHello, ServerHello (RFC 8446, 4.4.1)");
  NEED_DISPLAY ();
  w = window_run ("tls13-hrr");
  view = lab_window_show_key_schedule (w);
  g_assert_nonnull (view);
  wait_drawn (GTK_WIDGET (view));
  check_boxes (view, lab_session_get_trace (lab_window_get_session (w)),
               lab_key_schedule_get_schedule (view)->actor);
  tu_assert_box_messages (&lab_key_schedule_get_schedule (view)->boxes[TLS_SCHEDULE_C_HS_TRAFFIC], hello);
  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

static void
test_follows_run (void)
{
  g_autoptr (GError) error = NULL;
  LabWindow *w = NULL;
  LabSession *session;
  LabKeySchedule *view;
  const TlsStep *last;
  g_autofree char *before = NULL, *after = NULL;

  g_test_summary ("opened in the middle of tls13: what is not computed yet says so, and fills "
                  "in as the run goes on");
  NEED_DISPLAY ();
  w = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  g_assert_true (lab_window_load_builtin (w, "tls13", &error));
  lab_window_set_detail (w, TLS_DETAIL_FULL);
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  session = lab_window_get_session (w);
  do
    {
      g_assert_true (lab_session_step (session));
      last = lab_session_get_step (session, lab_session_get_position (session) - 1);
    }
  while (g_strcmp0 (last->title, "Handshake Secret") != 0);
  view = lab_window_show_key_schedule (w);
  g_assert_nonnull (view);
  wait_drawn (GTK_WIDGET (view));
  g_assert_cmpint (lab_key_schedule_get_schedule (view)->boxes[TLS_SCHEDULE_HANDSHAKE_SECRET].step,
                   ==, (int) last->index);
  g_assert_cmpint (lab_key_schedule_get_schedule (view)->boxes[TLS_SCHEDULE_MASTER_SECRET].step, ==, -1);
  before = button_text (lab_key_schedule_get_box (view, TLS_SCHEDULE_MASTER_SECRET));
  g_assert_nonnull (strstr (before, "not computed yet"));

  g_assert_true (lab_session_run_to_end (session));
  pump ();
  g_assert_cmpint (lab_key_schedule_get_schedule (view)->boxes[TLS_SCHEDULE_MASTER_SECRET].step, >=, 0);
  after = button_text (lab_key_schedule_get_box (view, TLS_SCHEDULE_MASTER_SECRET));
  g_assert_null (strstr (after, "not computed yet"));
  g_assert_null (strstr (after, "not in this run"));
  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

static void
test_tls12 (void)
{
  LabWindow *w;
  guint windows;

  g_test_summary ("classic (TLS 1.2): no key schedule of RFC 8446 to draw, Key Schedule… is off");
  NEED_DISPLAY ();
  w = window_run ("classic");
  g_assert_null (lab_window_show_key_schedule (w));
  windows = g_list_model_get_n_items (gtk_window_get_toplevels ());
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.key-schedule", NULL);
  pump ();
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, windows);
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/ui/key-schedule/tls13", test_tls13);
  g_test_add_func ("/ui/key-schedule/hrr", test_hrr);
  g_test_add_func ("/ui/key-schedule/follows-run", test_follows_run);
  g_test_add_func ("/ui/key-schedule/tls12", test_tls12);
  return g_test_run ();
}
