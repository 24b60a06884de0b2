/* test-ui.c — the window (issue 5): stepping forward and back updates the
 * ladder, the inspector and the explanation; a field and its bytes are
 * linked both ways; rewinding shows the same bytes; --screenshot writes a
 * PNG of each kind of step.  Needs a display (run under xvfb-run); without
 * one every case is skipped. */
#include "config.h"

#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "interop-peers.h"
#include "lab-application.h"
#include "lab-gui.h"
#include "lab-hex-view.h"
#include "lab-inspector.h"
#include "lab-ladder-view.h"
#include "lab-live-dialog.h"
#include "lab-scenario-editor.h"
#include "lab-session.h"
#include "lab-step-group.h"
#include "lab-window.h"
#include "tls-alert.h"
#include "tls-conductor.h"
#include "tls-trace-json.h"
#include "tls-types.h"

#include "test-ui-util.h"

static LabWindow *
window_new (const char *scenario)
{
  g_autoptr (GError) error = NULL;
  LabWindow *w = lab_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (w), 1600, 1000);
  g_assert_true (lab_window_load_builtin (w, scenario, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  return w;
}

static void
window_free (LabWindow *w)
{
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

/* The index of the first step of KIND in a whole run of SCENARIO, or -1. */
static int
first_step_of (const char *scenario, TlsStepKind kind)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (scenario);
  g_autoptr (GError) error = NULL;
  TlsConductor *c;
  TlsTrace *t;
  int found = -1;

  g_assert_nonnull (sc);
  c = tls_conductor_new (sc, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  tls_conductor_run (c);
  t = tls_conductor_get_trace (c);
  for (guint i = 0; i < tls_trace_len (t) && found < 0; i++)
    if (tls_trace_get (t, i)->kind == kind)
      found = (int) i;
  tls_conductor_free (c);
  return found;
}

/* A small trace made here: a message with fields, a derivation, a check. */
static TlsTrace *
synthetic_trace (void)
{
  TlsTrace *t = tls_trace_new ();
  TlsStep *s;
  TlsField *root, *f;
  static const guint8 msg[] = { 0x01, 0x00, 0x00, 0x06, 0x03, 0x03, 0xaa, 0xbb, 0xcc, 0xdd };
  static const guint8 out[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

  s = tls_trace_add (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  s->content_type = TLS_CONTENT_HANDSHAKE;
  s->handshake_type = TLS_HS_CLIENT_HELLO;
  root = tls_field_new ("ClientHello", 0, sizeof msg);
  tls_field_set_value (tls_field_add (root, "msg_type", 0, 1), "client_hello (1)");
  tls_field_add (root, "length", 1, 3);
  tls_field_set_value (tls_field_add (root, "client_version", 4, 2), "TLS 1.2 (0x0303)");
  f = tls_field_add (root, "random", 6, 4);
  tls_field_add (f, "gmt_unix_time", 6, 2);
  tls_field_add (f, "random_bytes", 8, 2);
  tls_step_set_message (s, g_bytes_new_static (msg, sizeof msg), root);
  tls_step_explain (s, "RFC 5246, 7.4.1.2", "The client says hello.");
  tls_trace_commit (t, s);

  s = tls_trace_add (t, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, "master secret");
  s->formula = g_strdup ("PRF(pre_master_secret, \"master secret\", ClientHello.random + ServerHello.random)[0..47]");
  tls_step_add_input (s, "client_random", msg + 6, 4, 0, "from the ClientHello");
  tls_step_add_output (s, "master_secret", out, sizeof out, "keys the connection");
  tls_step_explain (s, "RFC 5246, 8.1", "Both sides compute the master secret.");
  tls_trace_commit (t, s);

  s = tls_trace_add (t, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "certificate signature");
  s->result = TLS_CHECK_FAILED;
  s->subject = g_strdup ("CN=localhost");
  tls_step_set_reason (s, "the signature does not verify");
  tls_step_explain (s, "RFC 5280, 6.1.3", "The client checks the certificate.");
  tls_trace_commit (t, s);
  return t;
}

/* ------------------------------------------------------------------ */
/* Session and ladder on a recorded trace (no engine involved)         */

static void
test_recorded_trace (void)
{
  LabWindow *w;
  LabSession *session;
  LabLadderView *ladder;
  LabInspector *inspector;

  g_test_summary ("A recorded trace: stepping moves the position; the steps after it are drawn faint; "
                  "step back only reviews");
  NEED_DISPLAY ();

  w = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1400, 900);
  lab_window_load_trace (w, synthetic_trace (), "synthetic");
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  session = lab_window_get_session (w);
  ladder = lab_window_get_ladder (w);
  inspector = lab_window_get_inspector (w);

  g_assert_cmpint (lab_session_get_mode (session), ==, LAB_SESSION_RECORDED);
  g_assert_true (lab_session_is_review_only (session));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 0);
  g_assert_cmpuint (lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_RECORDED), ==, 3);
  g_assert_cmpstr (lab_inspector_get_page (inspector), ==, "empty");

  gtk_widget_activate_action (GTK_WIDGET (w), "lab.step", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 1);
  g_assert_cmpuint (lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_STEP), ==, 1);
  g_assert_cmpuint (lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_RECORDED), ==, 2);
  g_assert_cmpstr (lab_inspector_get_page (inspector), ==, "message");
  g_assert_cmpstr (lab_inspector_get_title (inspector), ==, "ClientHello");
  g_assert_cmpstr (lab_inspector_get_explanation (inspector), ==, "The client says hello.");

  gtk_widget_activate_action (GTK_WIDGET (w), "lab.run-to-end", NULL);
  g_assert_cmpuint (lab_session_get_position (session), ==, 3);
  g_assert_cmpstr (lab_inspector_get_page (inspector), ==, "detail");
  {
    g_autofree char *text = lab_inspector_dup_detail_text (inspector);
    g_assert_nonnull (strstr (text, "the signature does not verify"));
  }
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.step-back", NULL);
  g_assert_cmpuint (lab_session_get_position (session), ==, 2);
  g_assert_cmpuint (lab_session_get_n_recorded (session), ==, 3);
  g_assert_cmpstr (lab_inspector_get_title (inspector), ==, "master secret");
  {
    g_autofree char *text = lab_inspector_dup_detail_text (inspector);
    g_assert_nonnull (strstr (text, "PRF(pre_master_secret"));
    /* the input links to the step it came from */
    g_assert_nonnull (strstr (text, "from step 1: ClientHello"));
  }
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.select-step", "i", 0);
  g_assert_cmpint (lab_inspector_get_step (inspector), ==, 0);
  g_assert_cmpstr (lab_inspector_get_title (inspector), ==, "ClientHello");
  window_free (w);
}

static void
test_hex_view (void)
{
  static const guint8 data[40] = { 0x16, 0x03, 0x03, 0x00, 0x23, 'h', 'e', 'l', 'l', 'o' };
  g_autoptr (GBytes) bytes = g_bytes_new_static (data, sizeof data);
  GtkWidget *window, *sw;
  LabHexView *hex;
  gsize off = 0, len = 0;
  double x, y;

  g_test_summary ("The hex view: selection clamped to the bytes; a point on a byte maps back to it");
  NEED_DISPLAY ();

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 400);
  sw = gtk_scrolled_window_new ();
  hex = LAB_HEX_VIEW (lab_hex_view_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (sw), GTK_WIDGET (hex));
  gtk_window_set_child (GTK_WINDOW (window), sw);
  lab_hex_view_set_bytes (hex, bytes);
  lab_hex_view_add_span (hex, 0, 5, LAB_HEX_SPAN_HEADER);
  lab_hex_view_add_span (hex, 5, 35, LAB_HEX_SPAN_ENCRYPTED);
  gtk_window_present (GTK_WINDOW (window));
  wait_drawn (window);

  g_assert_cmpint (lab_hex_view_get_span_at (hex, 2), ==, LAB_HEX_SPAN_HEADER);
  g_assert_cmpint (lab_hex_view_get_span_at (hex, 39), ==, LAB_HEX_SPAN_ENCRYPTED);
  g_assert_false (lab_hex_view_get_selection (hex, NULL, NULL));
  lab_hex_view_set_selection (hex, 5, 5);
  g_assert_true (lab_hex_view_get_selection (hex, &off, &len));
  g_assert_cmpuint (off, ==, 5);
  g_assert_cmpuint (len, ==, 5);
  lab_hex_view_set_selection (hex, 30, 100);
  g_assert_true (lab_hex_view_get_selection (hex, &off, &len));
  g_assert_cmpuint (off, ==, 30);
  g_assert_cmpuint (len, ==, 10);
  lab_hex_view_set_selection (hex, 0, 0);
  g_assert_false (lab_hex_view_get_selection (hex, NULL, NULL));

  for (gsize i = 0; i < sizeof data; i++)
    {
      gsize at = G_MAXSIZE;
      g_assert_true (lab_hex_view_byte_point (hex, i, &x, &y));
      g_assert_true (lab_hex_view_byte_at (hex, x, y, &at));
      g_assert_cmpuint (at, ==, i);
    }
  g_assert_false (lab_hex_view_byte_at (hex, 1, 1, &off));
  gtk_window_destroy (GTK_WINDOW (window));
  pump ();
}

/* ------------------------------------------------------------------ */
/* The window on a real run                                            */

static void
assert_inspector_shows (LabInspector *inspector, LabSession *session, guint index)
{
  const TlsStep *s = lab_session_get_step (session, index);

  g_assert_nonnull (s);
  g_assert_cmpint (lab_inspector_get_step (inspector), ==, (int) index);
  g_assert_cmpstr (lab_inspector_get_title (inspector), ==, s->title);
  g_assert_cmpstr (lab_inspector_get_explanation (inspector), ==, s->explanation ? s->explanation : "");
  if (s->kind == TLS_STEP_MESSAGE || s->kind == TLS_STEP_APPDATA)
    g_assert_cmpstr (lab_inspector_get_page (inspector), ==, "message");
  else
    g_assert_cmpstr (lab_inspector_get_page (inspector), ==, "detail");
}

static void
assert_ladder_shows (LabLadderView *ladder, LabSession *session)
{
  guint pos = lab_session_get_position (session);
  guint seen = 0;
  LabLadderRowKind kind;
  int step;

  g_assert_cmpuint (lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_STEP), ==, pos);
  for (guint r = 0; lab_ladder_view_get_row (ladder, r, &kind, &step, NULL); r++)
    if (kind == LAB_LADDER_ROW_STEP)
      {
        g_assert_cmpint (step, ==, (int) seen);
        seen++;
      }
  g_assert_cmpuint (seen, ==, pos);
  g_assert_cmpint (lab_ladder_view_get_selected (ladder), ==, (int) pos - 1);
}

static void
test_step_forward_back (void)
{
  LabWindow *w;
  LabSession *session;
  LabLadderView *ladder;
  LabInspector *inspector;
  guint n;

  g_test_summary ("Stepping forward and back updates the ladder, the inspector and the explanation");
  NEED_DISPLAY ();

  w = window_new ("full");
  session = lab_window_get_session (w);
  ladder = lab_window_get_ladder (w);
  inspector = lab_window_get_inspector (w);

  g_assert_cmpuint (lab_session_get_position (session), ==, 0);
  g_assert_cmpstr (lab_inspector_get_page (inspector), ==, "empty");
  assert_ladder_shows (ladder, session);

  for (guint i = 0; i < 8; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (w), "lab.step", NULL);
      g_assert_cmpuint (lab_session_get_position (session), ==, i + 1);
      assert_ladder_shows (ladder, session);
      assert_inspector_shows (inspector, session, i);
    }
  for (guint i = 8; i > 3; i--)
    {
      gtk_widget_activate_action (GTK_WIDGET (w), "lab.step-back", NULL);
      g_assert_cmpuint (lab_session_get_position (session), ==, i - 1);
      assert_ladder_shows (ladder, session);
      assert_inspector_shows (inspector, session, i - 2);
    }

  /* to the end: nothing left to come, and Step does nothing more */
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.run-to-end", NULL);
  n = lab_session_get_position (session);
  g_assert_cmpuint (n, >, 8);
  g_assert_true (lab_session_is_finished (session));
  g_assert_cmpuint (lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_UPCOMING), ==, 0);
  assert_ladder_shows (ladder, session);
  assert_inspector_shows (inspector, session, n - 1);
  g_assert_false (lab_session_step (session));
  g_assert_cmpuint (lab_session_get_position (session), ==, n);

  gtk_widget_activate_action (GTK_WIDGET (w), "lab.reset", NULL);
  g_assert_cmpuint (lab_session_get_position (session), ==, 0);
  assert_ladder_shows (ladder, session);
  g_assert_cmpstr (lab_inspector_get_page (inspector), ==, "empty");

  /* a click on a row selects its step */
  lab_window_step_n (w, 5);
  wait_drawn (GTK_WIDGET (w));
  {
    double x, y;
    g_assert_true (lab_ladder_view_step_point (ladder, 1, &x, &y));
    g_assert_cmpint (lab_ladder_view_step_at (ladder, x, y), ==, 1);
    g_assert_true (lab_ladder_view_click (ladder, x, y));
    assert_inspector_shows (inspector, session, 1);
  }
  window_free (w);
}

/* At every position of a whole run of SCENARIO (every step shown), once a
 * step titled FROM has happened (NULL: from the start), the messages the
 * ladder shows still to come are those the run then sent: sender, content
 * type, handshake type and name. */
static void
check_upcoming_all_the_way (const char *scenario, const char *from)
{
  LabWindow *w = window_new (scenario);
  LabSession *session = lab_window_get_session (w);
  g_autoptr (GPtrArray) predicted = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr (GArray) at = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean started = from == NULL;
  guint checked = 0;

  lab_window_set_detail (w, TLS_DETAIL_FULL);
  for (guint n = 0; n < 1000; n++)
    {
      guint pos = lab_session_get_position (session);
      const TlsStep *last = pos ? lab_session_get_step (session, pos - 1) : NULL;

      if (last != NULL && g_strcmp0 (last->title, from) == 0)
        started = TRUE;
      if (started && lab_session_get_n_recorded (session) == pos)
        {
          g_ptr_array_add (predicted, lab_session_get_upcoming (session));
          g_array_append_val (at, pos);
        }
      if (!lab_session_step (session))
        break;
    }
  g_assert_true (lab_session_is_finished (session));
  for (guint k = 0; k < predicted->len; k++)
    {
      GArray *up = predicted->pdata[k];
      guint pos = g_array_index (at, guint, k), u = 0;

      for (guint i = pos; i < lab_session_get_position (session); i++)
        {
          const TlsStep *s = lab_session_get_step (session, i);
          const LabUpcoming *e;

          if (s->kind != TLS_STEP_MESSAGE || (s->content_type != TLS_CONTENT_HANDSHAKE
                                              && s->content_type != TLS_CONTENT_CHANGE_CIPHER_SPEC))
            continue;
          g_assert_cmpuint (u, <, up->len);
          e = &g_array_index (up, LabUpcoming, u);
          g_assert_cmpint (e->entry.from, ==, s->actor);
          g_assert_cmpint (e->entry.content_type, ==, s->content_type);
          if (s->content_type == TLS_CONTENT_HANDSHAKE)
            {
              g_assert_cmpint (e->entry.handshake_type, ==, s->handshake_type);
              g_assert_cmpstr (tls_shape_entry_name (&e->entry), ==, s->title);
            }
          u++;
          checked++;
        }
      g_assert_cmpuint (u, ==, up->len);
    }
  g_assert_cmpuint (checked, >, 10);
  window_free (w);
}

static void
test_upcoming_tls13 (void)
{
  guint n = 0;
  const TlsShapeEntry *fig1 = tls_shape_messages (tls_shape_for_tls13 (FALSE, FALSE, FALSE, FALSE, TRUE), &n);

  g_test_summary ("TLS 1.3: the ladder's messages still to come are those of RFC 8446, 2 (Figure 1; "
                  "Figure 2 once the HelloRetryRequest came; the ChangeCipherSpecs of D.4) at "
                  "every step, not TLS 1.2's");
  NEED_DISPLAY ();
  /* Figure 1 with the compatibility ChangeCipherSpecs: no ServerHelloDone,
   * no key exchange messages; everything after ServerHello encrypted */
  g_assert_cmpuint (n, ==, 9);
  g_assert_cmpint (fig1[1].handshake_type, ==, TLS_HS_SERVER_HELLO);
  g_assert_cmpint (fig1[3].handshake_type, ==, TLS_HS_ENCRYPTED_EXTENSIONS);
  g_assert_true (fig1[3].encrypted);
  check_upcoming_all_the_way ("tls13", NULL);
  check_upcoming_all_the_way ("tls13-hrr", "HelloRetryRequest");
}

static void
test_upcoming (void)
{
  LabWindow *w;
  LabSession *session;
  LabLadderView *ladder;
  guint n_full = 0, n_resumed = 0, rows;
  const TlsShapeEntry *full = tls_shape_messages (tls_shape_for (TLS_KX_RSA, FALSE, FALSE, FALSE), &n_full);
  g_autofree char *label = NULL;
  LabLadderRowKind kind;

  g_test_summary ("Before anything happens the ladder shows Fig. 1 then Fig. 2 faint, from the shape table; "
                  "each step takes one off");
  NEED_DISPLAY ();

  tls_shape_messages (tls_shape_for (TLS_KX_RSA, TRUE, FALSE, FALSE), &n_resumed);
  w = window_new ("resumption");
  session = lab_window_get_session (w);
  ladder = lab_window_get_ladder (w);

  rows = lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_UPCOMING);
  g_assert_cmpuint (rows, ==, n_full + n_resumed);
  g_assert_cmpuint (lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_SEPARATOR), ==, 2);
  g_assert_true (lab_ladder_view_get_row (ladder, 1, &kind, NULL, &label));
  g_assert_cmpint (kind, ==, LAB_LADDER_ROW_UPCOMING);
  g_assert_cmpstr (label, ==, tls_shape_entry_name (&full[0]));

  /* the first message, ClientHello, is no longer to come */
  while (lab_session_get_position (session) == 0
         || lab_session_get_step (session, lab_session_get_position (session) - 1)->kind != TLS_STEP_MESSAGE)
    g_assert_true (lab_session_step (session));
  g_assert_cmpuint (lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_UPCOMING), ==, rows - 1);

  lab_session_run_to_end (session);
  g_assert_cmpuint (lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_UPCOMING), ==, 0);
  {
    /* the second connection went as Fig. 2: CCS and Finished, no Certificate */
    const TlsShapeEntry *fig2 = tls_shape_messages (tls_shape_for (TLS_KX_RSA, TRUE, FALSE, FALSE), &n_resumed);
    guint k = 0;

    for (guint i = 0; i < lab_session_get_position (session); i++)
      {
        const TlsStep *s = lab_session_get_step (session, i);
        if (s->connection != 1 || s->kind != TLS_STEP_MESSAGE)
          continue;
        g_assert_cmpuint (k, <, n_resumed);
        g_assert_cmpint (s->actor, ==, fig2[k].from);
        g_assert_cmpint (s->content_type, ==, fig2[k].content_type);
        k++;
      }
    g_assert_cmpuint (k, ==, n_resumed);
  }
  window_free (w);
}

static int
first_message (LabSession *session, guint8 hs_type)
{
  for (guint i = 0; i < lab_session_get_n_recorded (session); i++)
    {
      const TlsStep *s = lab_session_get_step (session, i);
      if (s->kind == TLS_STEP_MESSAGE && s->content_type == TLS_CONTENT_HANDSHAKE
          && s->handshake_type == hs_type)
        return (int) i;
    }
  return -1;
}

static void
assert_same_field (const TlsField *a, const TlsField *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpuint (a->offset, ==, b->offset);
  g_assert_cmpuint (a->length, ==, b->length);
}

static void
check_fields_linked (LabInspector *inspector, const TlsStep *s, TlsField *root, GBytes *bytes)
{
  LabHexView *hex = lab_inspector_get_hex_view (inspector);
  gsize n = g_bytes_get_size (bytes);
  guint checked = 0;

  g_assert_true (g_bytes_equal (lab_hex_view_get_bytes (hex), bytes));

  /* select a field: exactly its bytes light up */
  for (guint i = 0; i < tls_field_n_children (root); i++)
    {
      TlsField *f = tls_field_child (root, i);
      gsize off, len;

      if (tls_field_find (root, f->name) != f)
        continue;   /* a repeated name: the path would find the first */
      g_assert_true (lab_inspector_select_field (inspector, f->name));
      assert_same_field (lab_inspector_get_selected_field (inspector), f);
      if (f->length > 0)
        {
          g_assert_true (lab_hex_view_get_selection (hex, &off, &len));
          g_assert_cmpuint (off, ==, f->offset);
          g_assert_cmpuint (len, ==, f->length);
        }
      checked++;
    }
  g_assert_cmpuint (checked, >, 0);

  /* click a byte: its (deepest) field is selected, through the signal */
  for (gsize off = 0; off < n; off += 3)
    {
      TlsField *want = tls_field_find_at (root, off);
      gsize so, sl;

      g_signal_emit_by_name (hex, "byte-activated", (guint) off);
      if (want == NULL || want == root)
        continue;
      assert_same_field (lab_inspector_get_selected_field (inspector), want);
      g_assert_true (lab_hex_view_get_selection (hex, &so, &sl));
      g_assert_cmpuint (so, <=, off);
      g_assert_cmpuint (so + sl, >, off);
    }
  (void) s;
}

static void
test_field_hex_link (void)
{
  LabWindow *w;
  LabSession *session;
  LabInspector *inspector;
  const TlsStep *s;
  int ch, fin;

  g_test_summary ("Selecting a field lights exactly its bytes; clicking a byte selects its field; "
                  "in the message and on the wire");
  NEED_DISPLAY ();

  w = window_new ("full");
  session = lab_window_get_session (w);
  inspector = lab_window_get_inspector (w);
  lab_session_run_to_end (session);

  ch = first_message (session, TLS_HS_CLIENT_HELLO);
  g_assert_cmpint (ch, >=, 0);
  lab_ladder_view_set_selected (lab_window_get_ladder (w), ch);
  s = lab_session_get_step (session, ch);
  g_assert_cmpstr (lab_inspector_get_page (inspector), ==, "message");
  check_fields_linked (inspector, s, s->fields, s->bytes);
  g_assert_true (lab_inspector_select_field (inspector, "random"));
  {
    TlsField *r = tls_field_find (s->fields, "random");
    gsize off, len;
    g_assert_true (lab_hex_view_get_selection (lab_inspector_get_hex_view (inspector), &off, &len));
    g_assert_cmpuint (off, ==, r->offset);
    g_assert_cmpuint (len, ==, r->length);
    g_assert_cmpuint (len, ==, 32);
  }

  /* the wire of an encrypted Finished: header, then ciphertext */
  fin = first_message (session, TLS_HS_FINISHED);
  g_assert_cmpint (fin, >=, 0);
  s = lab_session_get_step (session, fin);
  g_assert_true (s->encrypted);
  g_assert_nonnull (s->wire);
  lab_ladder_view_set_selected (lab_window_get_ladder (w), fin);
  lab_inspector_show_wire (inspector, TRUE);
  check_fields_linked (inspector, s, s->wire_fields, s->wire);
  {
    LabHexView *hex = lab_inspector_get_hex_view (inspector);
    g_assert_cmpint (lab_hex_view_get_span_at (hex, 0), ==, LAB_HEX_SPAN_HEADER);
    g_assert_cmpint (lab_hex_view_get_span_at (hex, 4), ==, LAB_HEX_SPAN_HEADER);
    g_assert_cmpint (lab_hex_view_get_span_at (hex, g_bytes_get_size (s->wire) - 1), !=, LAB_HEX_SPAN_HEADER);
    g_assert_cmpint (lab_hex_view_get_span_at (hex, g_bytes_get_size (s->wire) - 1), !=, LAB_HEX_SPAN_PLAINTEXT);
  }
  lab_inspector_show_wire (inspector, FALSE);
  check_fields_linked (inspector, s, s->fields, s->bytes);
  window_free (w);
}

static void
test_certificate_fields (void)
{
  LabWindow *w;
  LabSession *session;
  LabInspector *inspector;
  LabHexView *hex;
  const TlsStep *s;
  TlsField *first;
  int cert;
  gsize off, len, probe;
  const TlsField *f;

  g_test_summary ("The Certificate message shows each certificate's own fields (X.509), "
                  "linked to their bytes like any field");
  NEED_DISPLAY ();

  w = window_new ("full");
  session = lab_window_get_session (w);
  inspector = lab_window_get_inspector (w);
  hex = lab_inspector_get_hex_view (inspector);
  lab_session_run_to_end (session);
  cert = first_message (session, TLS_HS_CERTIFICATE);
  g_assert_cmpint (cert, >=, 0);
  lab_ladder_view_set_selected (lab_window_get_ladder (w), cert);
  s = lab_session_get_step (session, cert);
  first = tls_field_find (s->fields, "certificate_list");
  g_assert_nonnull (first);
  first = tls_field_child (first, 1);           /* certificate [0] */
  first = tls_field_find (first, "data");      /* its DER */
  g_assert_nonnull (first);

  /* a byte well inside the first certificate: a field of the X.509 tree */
  probe = first->offset + first->length / 3;
  g_signal_emit_by_name (hex, "byte-activated", (guint) probe);
  f = lab_inspector_get_selected_field (inspector);
  g_assert_nonnull (f);
  g_assert_cmpuint (f->offset, >=, first->offset);
  g_assert_cmpuint (f->offset + f->length, <=, first->offset + first->length);
  g_assert_cmpuint (f->length, <, first->length);
  g_assert_true (lab_hex_view_get_selection (hex, &off, &len));
  g_assert_cmpuint (off, ==, f->offset);
  g_assert_cmpuint (len, ==, f->length);
  /* and the first certificate's subject can be picked by path */
  g_assert_true (lab_inspector_select_field (inspector, "subject"));
  f = lab_inspector_get_selected_field (inspector);
  g_assert_cmpuint (f->offset, >, first->offset);
  g_assert_true (lab_hex_view_get_selection (hex, &off, &len));
  g_assert_cmpuint (off, ==, f->offset);
  g_assert_cmpuint (len, ==, f->length);
  window_free (w);
}

static void
test_rewind_same_bytes (void)
{
  LabWindow *w;
  LabSession *session;
  LabInspector *inspector;
  g_autoptr (GPtrArray) before = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint n;

  g_test_summary ("Rewinding (step back, reset) and stepping again shows the same bytes as before");
  NEED_DISPLAY ();

  w = window_new ("resumption");
  session = lab_window_get_session (w);
  inspector = lab_window_get_inspector (w);
  lab_session_run_to_end (session);
  n = lab_session_get_position (session);
  for (guint i = 0; i < n; i++)
    {
      const TlsStep *s = lab_session_get_step (session, i);
      g_ptr_array_add (before, s->wire ? g_bytes_ref (s->wire)
                               : s->bytes ? g_bytes_ref (s->bytes) : g_bytes_new (NULL, 0));
    }

  /* back to the middle, step by step */
  for (guint i = 0; i < n / 2; i++)
    g_assert_true (lab_session_step_back (session));
  for (guint i = 0; i < lab_session_get_position (session); i++)
    {
      const TlsStep *s = lab_session_get_step (session, i);
      GBytes *b = s->wire ? s->wire : s->bytes;
      if (b)
        g_assert_true (g_bytes_equal (b, g_ptr_array_index (before, i)));
    }
  /* and the hex view shows the same bytes for the current step */
  {
    guint cur = lab_session_get_position (session) - 1;
    const TlsStep *s = lab_session_get_step (session, cur);
    if (s->kind == TLS_STEP_MESSAGE && s->wire)
      {
        lab_inspector_show_wire (inspector, TRUE);
        g_assert_true (g_bytes_equal (lab_hex_view_get_bytes (lab_inspector_get_hex_view (inspector)),
                                      g_ptr_array_index (before, cur)));
      }
  }
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.reset", NULL);
  lab_window_step_n (w, n + 10);   /* past the end stops at the end */
  g_assert_cmpuint (lab_session_get_position (session), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const TlsStep *s = lab_session_get_step (session, i);
      GBytes *b = s->wire ? s->wire : s->bytes;
      if (b)
        g_assert_true (g_bytes_equal (b, g_ptr_array_index (before, i)));
    }
  window_free (w);
}

static void
test_detail_pages (void)
{
  LabWindow *w;
  LabSession *session;
  LabInspector *inspector;
  gboolean seen[TLS_STEP_APPDATA + 1] = { FALSE };

  g_test_summary ("Derivations show their formula and values, checks their result, decisions their choice");
  NEED_DISPLAY ();

  w = window_new ("resumption");
  session = lab_window_get_session (w);
  inspector = lab_window_get_inspector (w);
  lab_session_run_to_end (session);
  for (guint i = 0; i < lab_session_get_position (session); i++)
    {
      const TlsStep *s = lab_session_get_step (session, i);
      g_autofree char *text = NULL;

      lab_ladder_view_set_selected (lab_window_get_ladder (w), i);
      assert_inspector_shows (inspector, session, i);
      if (s->kind == TLS_STEP_MESSAGE || s->kind == TLS_STEP_APPDATA)
        continue;
      text = lab_inspector_dup_detail_text (inspector);
      switch (s->kind)
        {
        case TLS_STEP_DERIVATION:
          if (s->formula)
            g_assert_nonnull (strstr (text, s->formula));
          for (guint k = 0; k < s->outputs->len; k++)
            g_assert_nonnull (strstr (text, ((TlsTraceValue *) g_ptr_array_index (s->outputs, k))->name));
          break;
        case TLS_STEP_CHECK:
          if (s->reason)
            g_assert_nonnull (strstr (text, s->reason));
          break;
        case TLS_STEP_DECISION:
          if (s->choice)
            g_assert_nonnull (strstr (text, s->choice));
          for (guint k = 0; k < s->options->len; k++)
            g_assert_nonnull (strstr (text, g_ptr_array_index (s->options, k)));
          break;
        default:
          break;
        }
      seen[s->kind] = TRUE;
    }
  g_assert_true (seen[TLS_STEP_DERIVATION]);
  g_assert_true (seen[TLS_STEP_CHECK]);
  g_assert_true (seen[TLS_STEP_DECISION]);
  window_free (w);
}

static void
test_pages_reused (void)
{
  LabWindow *w;
  LabSession *session;
  LabInspector *inspector;
  guint n;

  g_test_summary ("The inspector fills its pages again at each step: what it shows after stepping "
                  "through a whole run is what a new inspector shows for that step");
  NEED_DISPLAY ();

  w = window_new ("resumption");
  session = lab_window_get_session (w);
  inspector = lab_window_get_inspector (w);
  lab_session_run_to_end (session);
  n = lab_session_get_position (session);
  g_assert_cmpuint (n, >, 40);
  /* forward through every step, then back over some, then jumps */
  for (guint pass = 0; pass < 3; pass++)
    for (guint k = 0; k < n; k++)
      {
        guint i = pass == 0 ? k : pass == 1 ? n - 1 - k : (k * 7) % n;
        GtkWidget *fresh = lab_inspector_new ();
        g_autofree char *reused_text = NULL, *fresh_text = NULL;

        g_object_ref_sink (fresh);
        lab_inspector_set_session (LAB_INSPECTOR (fresh), session);
        lab_inspector_set_step (LAB_INSPECTOR (fresh), (int) i);
        lab_ladder_view_set_selected (lab_window_get_ladder (w), (int) i);
        g_assert_cmpint (lab_inspector_get_step (inspector), ==, (int) i);
        g_assert_cmpstr (lab_inspector_get_page (inspector), ==, lab_inspector_get_page (LAB_INSPECTOR (fresh)));
        g_assert_cmpstr (lab_inspector_get_title (inspector), ==, lab_inspector_get_title (LAB_INSPECTOR (fresh)));
        g_assert_cmpstr (lab_inspector_get_explanation (inspector), ==,
                         lab_inspector_get_explanation (LAB_INSPECTOR (fresh)));
        reused_text = lab_inspector_dup_detail_text (inspector);
        fresh_text = lab_inspector_dup_detail_text (LAB_INSPECTOR (fresh));
        g_assert_cmpstr (reused_text, ==, fresh_text);
        lab_inspector_set_session (LAB_INSPECTOR (fresh), NULL);
        g_object_unref (fresh);
      }
  window_free (w);
}

static void
test_alert_page (void)
{
  LabWindow *w;
  LabSession *session;
  LabInspector *inspector;
  int alert = first_step_of ("bad-finished", TLS_STEP_ALERT);
  g_autofree char *text = NULL;
  const TlsStep *s;

  g_test_summary ("An alert shows its description and reason");
  NEED_DISPLAY ();
  g_assert_cmpint (alert, >=, 0);

  w = window_new ("bad-finished");
  session = lab_window_get_session (w);
  inspector = lab_window_get_inspector (w);
  lab_window_step_n (w, alert + 1);
  s = lab_session_get_step (session, alert);
  assert_inspector_shows (inspector, session, alert);
  text = lab_inspector_dup_detail_text (inspector);
  g_assert_nonnull (strstr (text, tls_alert_name (s->alert_description)));
  window_free (w);
}

/* ------------------------------------------------------------------ */
/* Export                                                              */

static char *
read_file (const char *path, gsize *len)
{
  g_autoptr (GError) error = NULL;
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, len, &error));
  g_assert_no_error (error);
  return data;
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d))
    n++;
  return n;
}

static const char *
current_title (LabSession *session)
{
  guint pos = lab_session_get_position (session);
  return pos > 0 ? lab_session_get_step (session, pos - 1)->title : "";
}

static void
test_export (void)
{
  static const char *const actions[] = { "lab.export-json", "lab.export-html",
                                         "lab.export-pcapng", "lab.export-keylog" };
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL, *json = NULL, *html = NULL, *pcapng = NULL, *keylog = NULL;
  g_autofree char *missing = NULL, *name = NULL;
  g_autofree char *text = NULL, *hex = NULL;
  g_autoptr (TlsTrace) back = NULL;
  LabWindow *w;
  LabSession *session;
  const TlsStep *hello, *current;
  TlsField *random;
  gsize len;

  g_test_summary ("Export writes the JSON trace, the HTML handout, the pcapng capture and the key "
                  "log of a stepped run (no file chooser); nothing to export is an error, not a crash");
  NEED_DISPLAY ();

  dir = g_dir_make_tmp ("lab-export-XXXXXX", &error);
  g_assert_no_error (error);
  json = g_build_filename (dir, "run.json", NULL);
  html = g_build_filename (dir, "run.html", NULL);
  pcapng = g_build_filename (dir, "run.pcapng", NULL);
  keylog = g_build_filename (dir, "run-keylog.txt", NULL);
  missing = g_build_filename (dir, "no", "such", "dir.html", NULL);

  w = window_new ("resumption");
  session = lab_window_get_session (w);
  /* the Export menu's actions are the window's */
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      gboolean found = FALSE;
      GType owner;
      const char *action_name, *property_name;
      const GVariantType *parameter_type;

      for (guint k = 0; gtk_widget_class_query_action (GTK_WIDGET_GET_CLASS (w), k, &owner, &action_name,
                                                        &parameter_type, &property_name); k++)
        found = found || g_str_equal (action_name, actions[i]);
      g_assert_true (found);
    }

  name = lab_window_dup_export_name (w, LAB_EXPORT_PCAPNG);
  g_assert_cmpstr (name, ==, "resumption.pcapng");
  g_clear_pointer (&name, g_free);
  name = lab_window_dup_export_name (w, LAB_EXPORT_HTML);
  g_assert_cmpstr (name, ==, "resumption-handout.html");

  /* before the first step there is nothing to export */
  g_assert_false (lab_window_export (w, LAB_EXPORT_HTML, html, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  /* after the ClientHello there is no master secret to log */
  g_assert_cmpuint (lab_window_step_n (w, 1), ==, 1);
  g_assert_false (lab_window_export (w, LAB_EXPORT_KEYLOG, keylog, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* stepped well into the run: just past the master secret */
  for (guint i = 0; i < 200 && !g_str_has_prefix (current_title (session), "master_secret"); i++)
    g_assert_cmpuint (lab_window_step_n (w, 1), ==, 1);
  g_assert_cmpuint (lab_window_step_n (w, 1), ==, 1);
  current = lab_session_get_step (session, lab_session_get_position (session) - 1);
  hello = lab_session_get_step (session, first_message (session, TLS_HS_CLIENT_HELLO));

  g_assert_true (lab_window_export (w, LAB_EXPORT_JSON, json, &error));
  g_assert_no_error (error);
  back = tls_trace_load_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tls_trace_len (back), ==, lab_session_get_n_recorded (session));

  g_assert_true (lab_window_export (w, LAB_EXPORT_HTML, html, &error));
  g_assert_no_error (error);
  text = read_file (html, &len);
  g_assert_true (g_str_has_prefix (text, "<!DOCTYPE html>") || strstr (text, "<html") != NULL);
  {
    g_autofree char *first = g_markup_escape_text (hello->title, -1);
    g_autofree char *last = g_markup_escape_text (current->title, -1);
    g_assert_nonnull (strstr (text, first));
    g_assert_nonnull (strstr (text, last));
  }
  g_clear_pointer (&text, g_free);

  g_assert_true (lab_window_export (w, LAB_EXPORT_PCAPNG, pcapng, &error));
  g_assert_no_error (error);
  text = read_file (pcapng, &len);
  g_assert_cmpuint (len, >, 100);
  /* a pcapng Section Header Block: block type 0x0A0D0D0A */
  g_assert_cmpmem (text, 4, "\x0a\x0d\x0d\x0a", 4);
  g_clear_pointer (&text, g_free);

  g_assert_true (lab_window_export (w, LAB_EXPORT_KEYLOG, keylog, &error));
  g_assert_no_error (error);
  text = read_file (keylog, &len);
  g_assert_true (g_str_has_prefix (text, "CLIENT_RANDOM "));
  /* the client random of the ClientHello, in hex, is the line's key */
  random = tls_field_find (hello->fields, "random");
  g_assert_nonnull (random);
  {
    const guint8 *b = g_bytes_get_data (hello->bytes, NULL);
    GString *h = g_string_new (NULL);
    for (gsize i = 0; i < random->length; i++)
      g_string_append_printf (h, "%02x", b[random->offset + i]);
    hex = g_string_free (h, FALSE);
  }
  g_assert_true (g_ascii_strncasecmp (text + strlen ("CLIENT_RANDOM "), hex, strlen (hex)) == 0);
  g_clear_pointer (&text, g_free);

  /* again, over the files already there: replaced, no temporary left */
  g_assert_true (lab_window_export (w, LAB_EXPORT_PCAPNG, pcapng, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (dir), ==, 4);

  /* a directory that does not exist: an error, and nothing written */
  g_assert_false (lab_window_export (w, LAB_EXPORT_HTML, missing, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 4);

  window_free (w);
  g_unlink (json);
  g_unlink (html);
  g_unlink (pcapng);
  g_unlink (keylog);
  g_rmdir (dir);
}

static void
test_scenario_editor (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("no-common-suite");
  g_autoptr (TlsScenario) out = NULL, back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL, *path = NULL;
  LabScenarioEditor *editor;

  g_test_summary ("The scenario editor shows a scenario and gives it back; saves and opens a file");
  NEED_DISPLAY ();

  editor = lab_scenario_editor_new (NULL, sc);
  out = lab_scenario_editor_dup_scenario (editor);
  g_assert_cmpstr (out->name, ==, sc->name);
  g_assert_cmpuint (out->min_version, ==, sc->min_version);
  g_assert_cmpuint (out->max_version, ==, sc->max_version);
  g_assert_cmpuint (out->client_suites->len, ==, sc->client_suites->len);
  g_assert_cmpuint (out->server_suites->len, ==, sc->server_suites->len);
  for (guint i = 0; i < sc->client_suites->len; i++)
    g_assert_cmpuint (g_array_index (out->client_suites, guint16, i), ==,
                      g_array_index (sc->client_suites, guint16, i));
  g_assert_cmpstr (out->server_cert, ==, sc->server_cert);
  g_assert_cmpuint (out->connections, ==, sc->connections);
  g_assert_cmpint (out->resume, ==, sc->resume);
  g_assert_cmpuint (out->seed, ==, sc->seed);

  dir = g_dir_make_tmp ("lab-editor-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "mine.scenario", NULL);
  g_assert_true (lab_scenario_editor_save (editor, path, &error));
  g_assert_no_error (error);
  back = tls_scenario_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->server_suites->len, ==, sc->server_suites->len);
  g_assert_true (lab_scenario_editor_load (editor, path, &error));
  g_unlink (path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (editor));
  pump ();
}

static gboolean
has_accel (GtkApplication *app, const char *action, const char *accel)
{
  g_auto (GStrv) accels = gtk_application_get_accels_for_action (app, action);
  return g_strv_contains ((const char *const *) accels, accel);
}

static void
test_keyboard_and_zoom (void)
{
  LabGuiOptions *options = g_new0 (LabGuiOptions, 1);
  g_autoptr (LabApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  LabWindow *w;
  GtkWidget *title;
  int before, after, nat;

  g_test_summary ("Space/Right step, Left back, Home reset, End to the end; Ctrl+plus/minus/0 zoom "
                  "the whole window and the zoom is remembered");
  NEED_DISPLAY ();

  options->non_unique = TRUE;
  app = lab_application_new (options);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (has_accel (GTK_APPLICATION (app), "lab.step", "space"));
  g_assert_true (has_accel (GTK_APPLICATION (app), "lab.step", "Right"));
  g_assert_true (has_accel (GTK_APPLICATION (app), "lab.step-back", "Left"));
  g_assert_true (has_accel (GTK_APPLICATION (app), "lab.reset", "Home"));
  g_assert_true (has_accel (GTK_APPLICATION (app), "lab.run-to-end", "End"));
  g_assert_true (has_accel (GTK_APPLICATION (app), "app.zoom-in", "<Control>plus"));
  g_assert_true (has_accel (GTK_APPLICATION (app), "app.zoom-out", "<Control>minus"));
  g_assert_true (has_accel (GTK_APPLICATION (app), "app.zoom-reset", "<Control>0"));

  w = lab_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (w), 1600, 1000);
  g_assert_true (lab_window_load_builtin (w, "full", &error));
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  /* the window's actions are what the accelerators name */
  g_action_group_activate_action (G_ACTION_GROUP (app), "zoom-reset", NULL);
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.step", NULL);
  g_assert_cmpuint (lab_session_get_position (lab_window_get_session (w)), ==, 1);

  title = gtk_widget_get_first_child (GTK_WIDGET (lab_window_get_inspector (w)));
  pump ();
  gtk_widget_measure (title, GTK_ORIENTATION_VERTICAL, -1, &before, &nat, NULL, NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "zoom-in", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "zoom-in", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (lab_application_get_zoom (app), 1.3, 1e-6);
  if (lab_application_get_settings (app))
    g_assert_cmpfloat_with_epsilon (g_settings_get_double (lab_application_get_settings (app), "zoom"),
                                    1.3, 1e-6);
  wait_drawn (GTK_WIDGET (w));
  gtk_widget_measure (title, GTK_ORIENTATION_VERTICAL, -1, &after, &nat, NULL, NULL);
  g_assert_cmpint (after, >, before);
  g_action_group_activate_action (G_ACTION_GROUP (app), "zoom-reset", NULL);
  g_assert_cmpfloat_with_epsilon (lab_application_get_zoom (app), 1.0, 1e-6);
  window_free (w);
}

static void
test_detail_not_saved (void)
{
  LabGuiOptions *options = g_new0 (LabGuiOptions, 1);
  g_autoptr (LabApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *saved = NULL;
  GSettings *settings;
  LabWindow *w;

  g_test_summary ("A level of detail set by the program (gui --detail, a lesson) is shown but not "
                  "saved as the user's preference");
  NEED_DISPLAY ();

  options->non_unique = TRUE;
  app = lab_application_new (options);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  settings = lab_application_get_settings (app);
  if (settings == NULL)
    {
      g_test_skip ("no GSettings schema");
      return;
    }
  g_settings_set_string (settings, "detail", "lesson");
  w = lab_window_new (GTK_APPLICATION (app));
  lab_window_set_settings (w, settings, FALSE);
  g_assert_cmpint (lab_window_get_detail (w), ==, TLS_DETAIL_LESSON);
  lab_window_set_detail (w, TLS_DETAIL_FULL);
  g_assert_cmpint (lab_window_get_detail (w), ==, TLS_DETAIL_FULL);
  saved = g_settings_get_string (settings, "detail");
  g_assert_cmpstr (saved, ==, "lesson");
  window_free (w);
}

static void
test_play (void)
{
  LabWindow *w;
  LabSession *session;
  gint64 end;

  g_test_summary ("Play steps on its own and stops at the end");
  NEED_DISPLAY ();

  w = window_new ("full");
  session = lab_window_get_session (w);
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.play", NULL);
  g_assert_true (lab_window_get_playing (w));
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (lab_session_get_position (session) < 3 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (lab_session_get_position (session), >=, 3);
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.play", NULL);
  g_assert_false (lab_window_get_playing (w));
  /* to the end: play stops by itself */
  lab_session_run_to_end (session);
  lab_session_step_back (session);
  lab_window_set_playing (w, TRUE);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (lab_window_get_playing (w) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (lab_window_get_playing (w));
  g_assert_true (lab_session_is_finished (session));
  window_free (w);
}

/* ------------------------------------------------------------------ */
/* Live mode against real peers (127.0.0.1 only)                       */

static void
ready_cb (LabLiveDialog *dialog, gboolean *ready)
{
  *ready = TRUE;
}

/* Waits (bounded) until the session is neither busy nor able to step. */
static void
wait_run_over (LabSession *session, int seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end
         && (lab_session_is_busy (session) || !lab_session_is_finished (session)))
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_not_busy (LabSession *session, int seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end && lab_session_is_busy (session))
    g_main_context_iteration (NULL, TRUE);
}

static char *
pki (const char *relative)
{
  return g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "pki", relative, NULL);
}

static void
assert_live_run (LabWindow *w, LabSession *session, TlsActor peer)
{
  guint n;
  gboolean saw_peer_message = FALSE;

  g_assert_cmpint (lab_session_get_mode (session), ==, LAB_SESSION_LIVE);
  g_assert_true (lab_session_is_review_only (session));

  /* one step at a time, the window never blocked meanwhile */
  g_assert_true (lab_session_step (session));
  wait_not_busy (session, 20);
  g_assert_cmpuint (lab_session_get_position (session), ==, 1);

  g_assert_true (lab_session_run_to_end (session));
  wait_run_over (session, 30);
  g_assert_false (lab_session_is_busy (session));
  g_assert_true (lab_session_is_finished (session));
  n = lab_session_get_position (session);
  g_assert_cmpuint (n, >, 8);
  g_assert_cmpuint (lab_ladder_view_get_n_rows (lab_window_get_ladder (w), LAB_LADDER_ROW_STEP), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const TlsStep *s = lab_session_get_step (session, i);
      if (s->kind == TLS_STEP_MESSAGE && s->actor == peer && s->observed)
        saw_peer_message = TRUE;
    }
  g_assert_true (saw_peer_message);

  /* a real peer cannot be rewound: step back only reviews */
  g_assert_true (lab_session_step_back (session));
  g_assert_cmpuint (lab_session_get_position (session), ==, n - 1);
  g_assert_cmpuint (lab_session_get_n_recorded (session), ==, n);
  g_assert_false (lab_session_is_busy (session));
  assert_inspector_shows (lab_window_get_inspector (w), session, n - 2);
  g_assert_true (lab_session_step (session));
  g_assert_false (lab_session_is_busy (session));
  g_assert_cmpuint (lab_session_get_position (session), ==, n);
}

/* Starts openssl s_server (TLS 1.2, the demo RSA identity) on 127.0.0.1
 * and connects the window's session to it through the live dialog.  FALSE
 * (the test skipped) when openssl is missing. */
static gboolean
live_connect_openssl (IopServer *server, LabWindow *w)
{
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *crt = pki ("server-rsa.crt"), *key = pki ("server-rsa.key");
  g_autofree char *inter = pki ("ca/intermediate.crt");
  g_autofree char *addr = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "openssl", "s_server", "-accept", "@PORT@", "-cert", crt, "-key", key,
                         "-cert_chain", inter, "-tls1_2", NULL };
  LabLiveDialog *dialog;
  gboolean ready = FALSE;
  gint64 end;

  if (openssl == NULL)
    {
      g_test_skip ("openssl not found");
      return FALSE;
    }
  g_assert_true (iop_server_start (server, argv, IOP_TIMEOUT_MS, &error));
  g_assert_no_error (error);
  dialog = lab_live_dialog_new (GTK_WINDOW (w), FALSE);
  addr = g_strdup_printf ("127.0.0.1:%u", server->port);
  lab_live_dialog_set_address (dialog, addr);
  g_signal_connect (dialog, "ready", G_CALLBACK (ready_cb), &ready);
  lab_live_dialog_start (dialog);
  end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!ready && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ready);
  g_assert_true (lab_live_dialog_start_session (dialog, lab_window_get_session (w), &error));
  g_assert_no_error (error);
  return TRUE;
}

static void
test_live_connect (void)
{
  IopServer server = { 0 };
  LabWindow *w;

  g_test_summary ("Live: our client against openssl s_server, stepped from the window; "
                  "step back reviews what was recorded");
  NEED_DISPLAY ();
  w = window_new ("full");
  if (!live_connect_openssl (&server, w))
    {
      window_free (w);
      return;
    }
  assert_live_run (w, lab_window_get_session (w), TLS_ACTOR_SERVER);
  window_free (w);
  iop_server_stop (&server);
}

/* Live at the lesson level: the worker steps on until the lesson step
 * ends; every stop shows a top-level step. */
static void
test_live_lesson (void)
{
  IopServer server = { 0 };
  LabWindow *w;
  LabSession *session;
  guint stops = 0;
  gint64 end;

  g_test_summary ("Live at the lesson level: each Step ends on a top-level step");
  NEED_DISPLAY ();
  w = window_new ("full");
  session = lab_window_get_session (w);
  lab_window_set_detail (w, TLS_DETAIL_LESSON);
  if (!live_connect_openssl (&server, w))
    {
      window_free (w);
      return;
    }

  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end && stops < 40)
    {
      int current;

      while (lab_session_is_busy (session) && g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
      if (!lab_session_can_step (session))
        break;
      g_assert_true (lab_session_step (session));
      while (lab_session_is_busy (session) && g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
      stops++;
      current = lab_session_get_current (session);
      g_assert_cmpint (current, >=, 0);
      g_assert_cmpint (lab_session_get_step (session, current)->parent, ==, -1);
    }
  g_assert_true (lab_session_is_finished (session));
  g_assert_cmpuint (stops, >=, 8);
  g_assert_cmpuint (stops, <, lab_session_get_n_recorded (session));
  window_free (w);
  iop_server_stop (&server);
}

static void
test_live_listen (void)
{
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *port_text = NULL, *connect = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) client = NULL;
  guint16 port = iop_free_port ();
  LabWindow *w;
  LabLiveDialog *dialog;
  gboolean ready = FALSE;
  gint64 end;

  g_test_summary ("Live: our server on 127.0.0.1, openssl s_client connects; stepped from the window");
  NEED_DISPLAY ();
  if (openssl == NULL)
    {
      g_test_skip ("openssl not found");
      return;
    }

  w = window_new ("full");
  dialog = lab_live_dialog_new (GTK_WINDOW (w), TRUE);
  port_text = g_strdup_printf ("%u", port);
  lab_live_dialog_set_address (dialog, port_text);
  g_signal_connect (dialog, "ready", G_CALLBACK (ready_cb), &ready);
  lab_live_dialog_start (dialog);
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!iop_port_listening (port) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (iop_port_listening (port));

  /* stdin stays an open pipe, so s_client waits after the handshake */
  connect = g_strdup_printf ("127.0.0.1:%u", port);
  client = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                             | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             openssl, "s_client", "-connect", connect, "-tls1_2",
                             "-CAfile", root, NULL);
  g_assert_no_error (error);
  end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!ready && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ready);
  g_assert_true (lab_live_dialog_start_session (dialog, lab_window_get_session (w), &error));
  g_assert_no_error (error);

  assert_live_run (w, lab_window_get_session (w), TLS_ACTOR_CLIENT);
  window_free (w);
  g_subprocess_force_exit (client);
  g_subprocess_wait (client, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* --screenshot                                                        */

typedef struct
{
  const char  *scenario;
  TlsStepKind  kind;
} ShotCase;

static void
test_screenshot (gconstpointer data)
{
  const ShotCase *c = data;
  g_autofree char *path = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;
  int index;

  g_test_summary ("gui --screenshot writes a non-blank PNG of the window on this kind of step");
  NEED_DISPLAY ();

  if (g_test_subprocess ())
    {
      const char *png = g_getenv ("LAB_TEST_PNG");
      g_autofree char *steps = g_strdup (g_getenv ("LAB_TEST_STEPS"));
      char *argv[] = { (char *) "gui", (char *) "--scenario", (char *) c->scenario,
                       (char *) "--step", steps, (char *) "--detail", (char *) "full",
                       (char *) "--screenshot", (char *) png, NULL };
      exit (lab_gui_run (G_N_ELEMENTS (argv) - 1, argv));
    }

  index = first_step_of (c->scenario, c->kind);
  g_assert_cmpint (index, >=, 0);
  path = g_strdup_printf ("%s/lab-shot-%s-%s-%d.png", g_get_tmp_dir (), c->scenario,
                          tls_step_kind_name (c->kind), (int) getpid ());
  g_setenv ("LAB_TEST_PNG", path, TRUE);
  {
    g_autofree char *steps = g_strdup_printf ("%d", index + 1);
    g_setenv ("LAB_TEST_STEPS", steps, TRUE);
  }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 1000);
  g_assert_cmpint (gdk_texture_get_height (texture), >=, 700);
  {
    int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
    g_autofree guint32 *px = g_new (guint32, (gsize) w * h);
    g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
    guint dark = 0, light = 0;

    gdk_texture_download (texture, (guchar *) px, w * 4);
    for (gsize i = 0; i < (gsize) w * h; i += 7)
      {
        guint32 p = px[i];
        guint lum = ((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff);
        g_hash_table_add (colours, GUINT_TO_POINTER (p));
        if (lum < 200)
          dark++;
        else if (lum > 600)
          light++;
      }
    /* text, lines and fills: many colours, both ink and paper */
    g_assert_cmpuint (g_hash_table_size (colours), >, 50);
    g_assert_cmpuint (dark, >, 500);
    g_assert_cmpuint (light, >, 500);
  }
  g_unlink (path);
}

/* Issue 10: bad-finished shows expected and received verify_data with the
 * differing bytes marked, in the inspector too. */
static void
test_compare_values (void)
{
  LabWindow *w;
  LabInspector *inspector;
  g_autofree char *text = NULL;
  guint target = 0;

  g_test_summary ("bad-finished: the inspector shows received and expected verify_data and "
                  "says in how many bytes they differ (the bytes marked)");
  NEED_DISPLAY ();
  w = window_new ("bad-finished");
  {
    g_autoptr (TlsScenario) sc = tls_scenario_builtin ("bad-finished");
    g_autoptr (GError) error = NULL;
    TlsConductor *c = tls_conductor_new (sc, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
    TlsTrace *t;

    g_assert_no_error (error);
    tls_conductor_run (c);
    t = tls_conductor_get_trace (c);
    for (guint i = 0; i < tls_trace_len (t); i++)
      if (tls_trace_get (t, i)->kind == TLS_STEP_CHECK
          && g_str_equal (tls_trace_get (t, i)->title, "client Finished"))
        target = i;
    tls_conductor_free (c);
  }
  g_assert_cmpuint (target, >, 0);
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.run-to-end", NULL);
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.select-step", "i", (int) target);
  inspector = lab_window_get_inspector (w);
  g_assert_cmpstr (lab_inspector_get_title (inspector), ==, "client Finished");
  text = lab_inspector_dup_detail_text (inspector);
  g_assert_nonnull (strstr (text, "received verify_data"));
  g_assert_nonnull (strstr (text, "expected verify_data"));
  g_assert_nonnull (strstr (text, "differs from expected verify_data in 1 byte (marked)"));
  gtk_window_destroy (GTK_WINDOW (w));
}

/* The lesson level (issue 10, "At a classroom's pace"): Step goes from
 * top-level step to top-level step, the ladder draws those only, the
 * chain opens into its checks in the inspector, Step back retraces, and
 * the "All steps" switch goes back to every step. */
static void
test_lesson_level (void)
{
  LabWindow *w;
  LabSession *session;
  LabLadderView *ladder;
  LabInspector *inspector;
  LabStepGroup *group;
  const TlsTrace *trace;
  g_autoptr (GArray) shown = g_array_new (FALSE, FALSE, sizeof (int));
  guint n_top = 0, steps = 0;
  int path = -1;

  g_test_summary ("Lesson level: stepping visits only top-level steps; a grouped step opens into its children");
  NEED_DISPLAY ();

  w = window_new ("full");
  session = lab_window_get_session (w);
  ladder = lab_window_get_ladder (w);
  inspector = lab_window_get_inspector (w);
  group = lab_inspector_get_step_group (inspector);
  lab_window_set_detail (w, TLS_DETAIL_LESSON);
  g_assert_cmpint (lab_session_get_detail (session), ==, TLS_DETAIL_LESSON);

  while (lab_session_can_step (session))
    {
      int current;

      gtk_widget_activate_action (GTK_WIDGET (w), "lab.step", NULL);
      steps++;
      current = lab_session_get_current (session);
      g_assert_cmpint (current, >=, 0);
      g_assert_cmpint (lab_session_get_step (session, current)->parent, ==, -1);
      g_assert_cmpint (lab_inspector_get_step (inspector), ==, current);
      g_assert_cmpint (lab_ladder_view_get_selected (ladder), ==, current);
      g_array_append_val (shown, current);
      if (g_strcmp0 (lab_session_get_step (session, current)->title, "Certification path") == 0)
        {
          pump ();
          path = current;
          g_assert_cmpuint (lab_step_group_get_n_rows (group), >=, 10);
          g_assert_true (gtk_widget_get_visible (GTK_WIDGET (group)));
          /* a row shows that check; it leads back to the chain */
          {
            int child = lab_step_group_get_row_step (group, 0);
            g_assert_cmpint (lab_session_get_step (session, child)->parent, ==, path);
            gtk_widget_activate_action (GTK_WIDGET (w), "lab.select-step", "i", child);
            g_assert_cmpint (lab_inspector_get_step (inspector), ==, child);
          }
          g_assert_cmpuint (lab_step_group_get_n_rows (group), ==, 1);
          g_assert_cmpint (lab_step_group_get_row_step (group, 0), ==, path);
        }
    }
  trace = lab_session_get_trace (session);
  for (guint i = 0; i < tls_trace_len (trace); i++)
    n_top += tls_trace_get (trace, i)->parent < 0;
  g_assert_cmpint (path, >=, 0);
  g_assert_cmpuint (steps, ==, n_top);
  g_assert_cmpuint (steps, <=, 20);
  /* the ladder: one row a top-level step */
  pump ();
  g_assert_cmpuint (lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_STEP), ==, n_top);

  /* back, stop by stop */
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.step-back", NULL);
  g_assert_cmpint (lab_session_get_current (session), ==, g_array_index (shown, int, shown->len - 2));
  gtk_widget_activate_action (GTK_WIDGET (w), "lab.step-back", NULL);
  g_assert_cmpint (lab_session_get_current (session), ==, g_array_index (shown, int, shown->len - 3));

  /* every step again */
  lab_window_set_detail (w, TLS_DETAIL_FULL);
  pump ();
  {
    guint before = lab_session_get_position (session);
    gtk_widget_activate_action (GTK_WIDGET (w), "lab.step", NULL);
    g_assert_cmpuint (lab_session_get_position (session), ==, before + 1);
    g_assert_cmpuint (lab_ladder_view_get_n_rows (ladder, LAB_LADDER_ROW_STEP), ==, before + 1);
  }
  window_free (w);
}

int
main (int argc, char **argv)
{
  static const ShotCase shots[] = {
    { "full", TLS_STEP_MESSAGE },
    { "full", TLS_STEP_DERIVATION },
    { "full", TLS_STEP_CHECK },
    { "resumption", TLS_STEP_DECISION },
    { "bad-finished", TLS_STEP_ALERT },
    { "full", TLS_STEP_APPDATA },
  };

  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();
  if (have_display)
    lab_gui_init_for_tests ();

  g_test_add_func ("/ui/hex-view", test_hex_view);
  g_test_add_func ("/ui/recorded-trace", test_recorded_trace);
  g_test_add_func ("/ui/step-forward-back", test_step_forward_back);
  g_test_add_func ("/ui/upcoming", test_upcoming);
  g_test_add_func ("/ui/upcoming-tls13", test_upcoming_tls13);
  g_test_add_func ("/ui/field-hex-link", test_field_hex_link);
  g_test_add_func ("/ui/certificate-fields", test_certificate_fields);
  g_test_add_func ("/ui/rewind-same-bytes", test_rewind_same_bytes);
  g_test_add_func ("/ui/detail-pages", test_detail_pages);
  g_test_add_func ("/ui/detail-not-saved", test_detail_not_saved);
  g_test_add_func ("/ui/pages-reused", test_pages_reused);
  g_test_add_func ("/ui/alert-page", test_alert_page);
  g_test_add_func ("/ui/export", test_export);
  g_test_add_func ("/ui/scenario-editor", test_scenario_editor);
  g_test_add_func ("/ui/keyboard-and-zoom", test_keyboard_and_zoom);
  g_test_add_func ("/ui/play", test_play);
  g_test_add_func ("/ui/lesson-level", test_lesson_level);
  g_test_add_func ("/ui/live/connect", test_live_connect);
  g_test_add_func ("/ui/live/lesson", test_live_lesson);
  g_test_add_func ("/ui/live/listen", test_live_listen);
  g_test_add_func ("/ui/compare-values", test_compare_values);
  for (gsize i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      g_autofree char *name = g_strdup_printf ("/ui/screenshot/%s", tls_step_kind_name (shots[i].kind));
      g_test_add_data_func (name, &shots[i], test_screenshot);
    }
  return g_test_run ();
}
