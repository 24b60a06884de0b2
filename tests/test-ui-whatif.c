/* test-ui-whatif.c — "What if…" from a step (issue 12), driven through the
 * dialog: each attacker action (tamper, flip, drop, replay, reorder,
 * inject) set in the dialog's widgets at a chosen step acts on the next
 * record of the sender chosen; the re-run is the original run up to the
 * attacker's step and ends with the alert tests/test-attacker.c documents;
 * a group change gives that group in ServerKeyExchange; bad input gets a
 * message in the dialog; Compare… takes two files; the compare window
 * refits when the type size changes; PNGs of the attacker's lane and of a
 * what-if side by side at 1024x768, at zoom 1 and 2 (looked at by hand).
 * Needs a display (xvfb-run); without one every case is skipped. */
#include "config.h"

#include <string.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "lab-compare-view.h"
#include "lab-gui.h"
#include "lab-inspector.h"
#include "lab-screenshot.h"
#include "lab-session.h"
#include "lab-what-if.h"
#include "lab-window.h"
#include "tls-alert.h"
#include "tls-attacker.h"
#include "tls-conductor.h"
#include "tls-trace-json.h"

#include "test-ui-util.h"

/* save_png(), and the PNG kept the projector's size. */
static void
save_png_fits (GtkWindow *w, const char *name)
{
  g_autofree char *path = build_path (name);
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) tex = NULL;

  save_png (GTK_WIDGET (w), name);
  tex = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  /* the window kept the projector's size (its decorations aside) and
   * the content did not push it past */
  g_assert_cmpint (gdk_texture_get_width (tex), <=, 1024);
  g_assert_cmpint (gdk_texture_get_height (tex), <=, 768);
  g_assert_cmpint (gdk_texture_get_width (tex), >=, 900);
  g_assert_cmpint (gdk_texture_get_height (tex), >=, 650);
  g_test_message ("saved %s (%dx%d)", path, gdk_texture_get_width (tex), gdk_texture_get_height (tex));
}

/* The first step of TRACE titled TITLE by ACTOR. */
static int
find_step (const TlsTrace *trace, const char *title, TlsActor actor)
{
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      if (s->actor == actor && g_strcmp0 (s->title, title) == 0)
        return (int) i;
    }
  return -1;
}

static gboolean
steps_equal (const TlsStep *a, const TlsStep *b)
{
  return a->actor == b->actor && a->kind == b->kind && a->connection == b->connection
         && g_strcmp0 (a->title, b->title) == 0
         && (a->bytes == NULL ? b->bytes == NULL : b->bytes != NULL && g_bytes_equal (a->bytes, b->bytes))
         && (a->wire == NULL ? b->wire == NULL : b->wire != NULL && g_bytes_equal (a->wire, b->wire))
         && g_strcmp0 (a->reason, b->reason) == 0;
}

/* A window with SCENARIO run to its end, STEP selected, and the What If…
 * dialog opened from it by the window's action. */
static GtkWindow *
open_dialog (const char *scenario, const char *title, TlsActor actor, LabWindow **win_out, int *step_out)
{
  g_autoptr (GError) error = NULL;
  LabWindow *win = lab_window_new (NULL);
  GtkWindow *dialog = NULL;
  int step;
  GList *tops;

  g_assert_true (lab_window_load_builtin (win, scenario, &error));
  g_assert_no_error (error);
  lab_window_step_n (win, 100000);
  step = find_step (lab_session_get_trace (lab_window_get_session (win)), title, actor);
  g_assert_cmpint (step, >=, 0);
  lab_inspector_set_step (lab_window_get_inspector (win), step);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "lab.what-if", NULL));
  pump ();
  tops = gtk_window_list_toplevels ();
  for (GList *l = tops; l; l = l->next)
    if (g_object_get_data (l->data, "lab-what-if") != NULL)
      dialog = l->data;
  g_list_free (tops);
  g_assert_nonnull (dialog);
  *win_out = win;
  *step_out = step;
  return dialog;
}

typedef struct
{
  const char     *name;
  const char     *scenario;
  const char     *from;          /* the step the teacher stands at, by its title ... */
  TlsActor        from_actor;    /* ... and actor */
  LabWhatIfChange change;
  const char     *target;        /* the title of the record acted on */
  const char     *action;        /* the action the scenario then has */
  int             alert;         /* as tests/test-attacker.c documents (0: a stall) */
  const char     *reason;
} AttackCase;

static const AttackCase attack_cases[] = {
  { "tamper", "full", "Cipher suite", TLS_ACTOR_SERVER,
    { LAB_WHAT_IF_TAMPER, "00 9d", TLS_ACTOR_SERVER, "cipher_suite", 0, 0, NULL },
    "ServerHello", "tamper:server:ServerHello#1.cipher_suite=0x009d",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected handshake record" },
  { "flip", "full", "Finished", TLS_ACTOR_CLIENT,
    { LAB_WHAT_IF_FLIP, NULL, TLS_ACTOR_CLIENT, NULL, 0, 0, NULL },
    "Finished", "flip:client:Finished#1@0.0",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected handshake record" },
  { "drop", "full", "ServerHelloDone", TLS_ACTOR_SERVER,
    { LAB_WHAT_IF_DROP, NULL, TLS_ACTOR_SERVER, NULL, 0, 0, NULL },
    "ServerHelloDone", "drop:server:ServerHelloDone#1",
    0, "no more messages: the client is waiting for the ServerHelloDone the attacker dropped" },
  { "replay", "full", "ClientHello", TLS_ACTOR_CLIENT,
    { LAB_WHAT_IF_REPLAY, NULL, TLS_ACTOR_CLIENT, NULL, 0, 0, NULL },
    "ClientHello", "replay:client:ClientHello#1",
    TLS_ALERT_UNEXPECTED_MESSAGE, "server: expected ClientKeyExchange, but ClientHello arrived" },
  { "reorder", "full", "ChangeCipherSpec", TLS_ACTOR_CLIENT,
    { LAB_WHAT_IF_REORDER, NULL, TLS_ACTOR_CLIENT, NULL, 0, 0, NULL },
    "ChangeCipherSpec", "reorder:client:ChangeCipherSpec#1",
    TLS_ALERT_UNEXPECTED_MESSAGE, "server: expected ChangeCipherSpec, but HelloRequest arrived" },
  { "inject", "full", "Cipher suite", TLS_ACTOR_SERVER,
    { LAB_WHAT_IF_INJECT, "0228", TLS_ACTOR_SERVER, NULL, 0, 0, "alert" },
    "ServerHello", "inject:server:ServerHello#1:alert:0228",
    TLS_ALERT_HANDSHAKE_FAILURE, "client: the peer sent the alert handshake_failure" },
  /* TLS 1.3: the attacker's step explains with RFC 8446 (tests/test-attacker.c) */
  { "tls13-flip", "tls13", "Finished", TLS_ACTOR_CLIENT,
    { LAB_WHAT_IF_FLIP, NULL, TLS_ACTOR_CLIENT, NULL, 0, 0, NULL },
    "Finished", "flip:client:Finished#1@0.0",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected application_data record" },
  { "tls13-tamper", "tls13", "Cipher suite", TLS_ACTOR_SERVER,
    { LAB_WHAT_IF_TAMPER, "1111111111111111111111111111111111111111111111111111111111111111",
      TLS_ACTOR_SERVER, "random", 0, 0, NULL },
    "ServerHello", "tamper:server:ServerHello#1.random=0x1111111111111111111111111111111111111111111111111111111111111111",
    TLS_ALERT_BAD_RECORD_MAC, "client: a protected application_data record" },
};

static void
test_attack (gconstpointer data)
{
  const AttackCase *c = data;
  LabWindow *win;
  int step, at = -1, target;
  GtkWindow *dialog, *w;
  LabWhatIfChange got;
  LabCompareView *view;
  const TlsAlignment *al;
  const TlsAlignRow *row;
  LabSession *left, *right;
  const TlsTrace *lt, *rt;
  TlsConductor *again;
  g_autoptr (GError) error = NULL;

  g_test_summary ("What if…, an attacker's action set in the dialog at a step: the re-run is the "
                  "original up to the attacker's step, which acts on the sender's next record; it "
                  "diverges there and ends with the alert tests/test-attacker.c documents");
  NEED_DISPLAY ();
  dialog = open_dialog (c->scenario, c->from, c->from_actor, &win, &step);
  lab_what_if_dialog_set_change (dialog, &c->change);
  lab_what_if_dialog_get_change (dialog, &got);
  g_assert_cmpint (got.kind, ==, c->change.kind);
  g_assert_cmpint (got.sender, ==, c->change.sender);
  w = lab_what_if_dialog_run (dialog);
  if (w == NULL)
    g_test_message ("dialog: %s", lab_what_if_dialog_get_error (dialog));
  g_assert_nonnull (w);
  gtk_window_set_default_size (w, 1024, 768);
  wait_drawn (GTK_WIDGET (w));
  view = lab_compare_window_get_view (w);
  al = lab_compare_view_get_alignment (view);
  left = lab_compare_view_get_session (view, FALSE);
  right = lab_compare_view_get_session (view, TRUE);
  lt = lab_session_get_trace (left);
  rt = lab_session_get_trace (right);

  /* the action the dialog built */
  g_assert_cmpstr (lab_session_get_scenario (right)->attack, ==, c->action);
  /* the record acted on: the sender's next from the chosen step */
  target = lab_what_if_next_record (lt, step, c->change.sender);
  g_assert_cmpint (target, >=, step);
  g_assert_cmpstr (tls_trace_get (lt, (guint) target)->title, ==, c->target);
  for (guint i = 0; i < tls_trace_len (rt); i++)
    if (tls_trace_get (rt, i)->actor == TLS_ACTOR_ATTACKER)
      {
        at = (int) i;
        break;
      }
  g_assert_cmpint (at, >, target);
  /* identical up to the attacker's step */
  for (guint i = 0; i < (guint) at; i++)
    g_assert_true (steps_equal (tls_trace_get (lt, i), tls_trace_get (rt, i)));
  g_assert_cmpint (tls_step_find_value (tls_trace_get (rt, (guint) at), "target")->from_step, ==, target);
  /* explained for the version of the run */
  g_assert_nonnull (strstr (tls_trace_get (rt, (guint) at)->rfc,
                            g_str_equal (c->scenario, "tls13") ? "RFC 8446" : "RFC 5246"));
  /* the compare view diverges at the attacker's step, selected */
  g_assert_cmpint (al->first_divergence, >=, 0);
  row = tls_alignment_row (al, (guint) al->first_divergence);
  g_assert_cmpint (row->right, ==, at);
  g_assert_cmpint (lab_compare_view_get_selected_row (view), ==, al->first_divergence);
  g_assert_true (lab_compare_view_row_has_class (view, (guint) al->first_divergence, "row-right-only"));
  {
    g_autofree char *text = lab_compare_view_dup_row_text (view, (guint) al->first_divergence);
    g_assert_nonnull (strstr (text, "First divergence"));
  }
  /* and ends as the attacker's test says */
  again = tls_conductor_new (lab_session_get_scenario (right), lab_session_get_datadir (right), &error);
  g_assert_no_error (error);
  tls_conductor_run (again);
  if (tls_conductor_alert (again) != c->alert || strstr (tls_conductor_reason (again), c->reason) == NULL)
    g_test_message ("%s: %s: %s", c->action, tls_alert_name (tls_conductor_alert (again)),
                    tls_conductor_reason (again));
  g_assert_cmpint (tls_conductor_state (again), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (again), ==, c->alert);
  g_assert_nonnull (strstr (tls_conductor_reason (again), c->reason));
  {
    /* the compare view's run is that run */
    g_autofree char *j1 = tls_trace_to_json (tls_conductor_get_trace (again), NULL);
    g_autofree char *j2 = tls_trace_to_json (rt, NULL);
    g_assert_cmpstr (j1, ==, j2);
  }
  if (c->alert != 0 && c->alert != TLS_ALERT_HANDSHAKE_FAILURE)
    {
      /* the first alert of the changed run is marked, with its reason */
      const TlsStep *alert;
      g_autofree char *text = NULL;

      g_assert_cmpint (al->first_alert_right, >, al->first_divergence);
      alert = lab_session_get_step (right, (guint) tls_alignment_row (al, (guint) al->first_alert_right)->right);
      g_assert_cmpint (alert->alert_description, ==, c->alert);
      g_assert_true (lab_compare_view_row_has_class (view, (guint) al->first_alert_right, "row-first-alert"));
      text = lab_compare_view_dup_row_text (view, (guint) al->first_alert_right);
      g_assert_nonnull (strstr (text, "First alert (right): "));
      g_assert_nonnull (strstr (text, tls_alert_name (c->alert)));
      g_assert_nonnull (strstr (text, alert->reason));
    }
  tls_conductor_free (again);
  gtk_window_destroy (w);
  gtk_window_destroy (GTK_WINDOW (win));
  pump ();
}

static void
test_fields (void)
{
  LabWindow *win;
  int step;
  GtkWindow *dialog;
  GListModel *fields;
  LabWhatIfChange c = { LAB_WHAT_IF_TAMPER, NULL, TLS_ACTOR_SERVER, NULL, 0, 0, NULL };
  LabWhatIfChange got;
  gboolean suite = FALSE, random_bytes = FALSE;

  g_test_summary ("Edit a field: the fields offered are those of the sender's next message in the "
                  "trace; a field chosen fills the value with its present bytes");
  NEED_DISPLAY ();
  dialog = open_dialog ("full", "Cipher suite", TLS_ACTOR_SERVER, &win, &step);
  lab_what_if_dialog_set_change (dialog, &c);
  fields = lab_what_if_dialog_get_fields (dialog);
  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr (GtkStringObject) o = g_list_model_get_item (fields, i);
      const char *f = gtk_string_object_get_string (o);
      suite |= g_str_equal (f, "cipher_suite");
      random_bytes |= g_str_equal (f, "random.random_bytes");
    }
  g_assert_true (suite);
  g_assert_true (random_bytes);
  c.field = "cipher_suite";
  lab_what_if_dialog_set_change (dialog, &c);
  lab_what_if_dialog_get_change (dialog, &got);
  g_assert_cmpstr (got.field, ==, "cipher_suite");
  /* full's suite, TLS_RSA_WITH_AES_128_GCM_SHA256 */
  g_assert_cmpstr (got.value, ==, "009c");
  /* the client's next record from there: its ClientKeyExchange, other fields */
  c.sender = TLS_ACTOR_CLIENT;
  c.field = NULL;
  lab_what_if_dialog_set_change (dialog, &c);
  fields = lab_what_if_dialog_get_fields (dialog);
  suite = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr (GtkStringObject) o = g_list_model_get_item (fields, i);
      suite |= g_str_equal (gtk_string_object_get_string (o), "cipher_suite");
    }
  g_assert_false (suite);
  {
    /* the dialog as the teacher sees it: the server's ServerHello, its suite */
    g_autofree char *path = build_path ("whatif-dialog.png");
    g_autoptr (GError) error = NULL;
    g_autoptr (GdkTexture) tex = NULL;

    c.sender = TLS_ACTOR_SERVER;
    c.field = "cipher_suite";
    lab_what_if_dialog_set_change (dialog, &c);
    wait_drawn (GTK_WIDGET (dialog));
    save_png (GTK_WIDGET (dialog), "whatif-dialog.png");
    tex = gdk_texture_new_from_filename (path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (tex), >, 300);
    g_assert_cmpint (gdk_texture_get_height (tex), >, 200);
  }
  gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (win));
  pump ();
}

typedef struct
{
  const char     *name;
  const char     *scenario;
  const char     *from;
  TlsActor        from_actor;
  LabWhatIfChange change;
  const char     *message;   /* in the dialog's message */
} BadCase;

static const BadCase bad_cases[] = {
  { "bad-hex", "full", "Cipher suite", TLS_ACTOR_SERVER,
    { LAB_WHAT_IF_TAMPER, "00 zz", TLS_ACTOR_SERVER, "cipher_suite", 0, 0, NULL },
    "The new value: “00 zz” is not hex: “z” is not a hex digit" },
  { "odd-hex", "full", "Cipher suite", TLS_ACTOR_SERVER,
    { LAB_WHAT_IF_TAMPER, "009", TLS_ACTOR_SERVER, "cipher_suite", 0, 0, NULL },
    "“009” has an odd number of hex digits" },
  { "no-field", "full", "Cipher suite", TLS_ACTOR_SERVER,
    { LAB_WHAT_IF_TAMPER, "00", TLS_ACTOR_SERVER, "no_such_field", 0, 0, NULL },
    "the ServerHello has no field “no_such_field” (its fields: msg_type, length, server_version" },
  { "encrypted", "full", "Finished", TLS_ACTOR_CLIENT,
    { LAB_WHAT_IF_TAMPER, "00", TLS_ACTOR_CLIENT, "verify_data", 0, 0, NULL },
    "the client's Finished (step" },
  { "byte-past-end", "full", "ChangeCipherSpec", TLS_ACTOR_CLIENT,
    { LAB_WHAT_IF_FLIP, NULL, TLS_ACTOR_CLIENT, NULL, 1, 0, NULL },
    "there is no byte 1: the fragment of the ChangeCipherSpec record has 1 bytes (0 to 0)" },
  { "inject-bad-hex", "full", "ClientHello", TLS_ACTOR_CLIENT,
    { LAB_WHAT_IF_INJECT, "02 2", TLS_ACTOR_CLIENT, NULL, 0, 0, "alert" },
    "The record's fragment: “02 2” has an odd number of hex digits" },
  { "inject-empty", "full", "ClientHello", TLS_ACTOR_CLIENT,
    { LAB_WHAT_IF_INJECT, "", TLS_ACTOR_CLIENT, NULL, 0, 0, "alert" },
    "The record's fragment is empty" },
  { "group-rsa", "full", "ClientHello", TLS_ACTOR_CLIENT,
    { LAB_WHAT_IF_GROUP, "secp384r1", TLS_ACTOR_SERVER, NULL, 0, 0, NULL },
    "this run's key exchange uses no (EC)DHE group" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  LabWindow *win;
  int step;
  GtkWindow *dialog;
  const char *message;

  g_test_summary ("Bad input in the What If… dialog: a message naming the problem, in the dialog, "
                  "which stays open; nothing runs");
  NEED_DISPLAY ();
  dialog = open_dialog (c->scenario, c->from, c->from_actor, &win, &step);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  lab_what_if_dialog_set_change (dialog, &c->change);
  g_assert_null (lab_what_if_dialog_run (dialog));
  g_assert_nonnull (dialog);
  message = lab_what_if_dialog_get_error (dialog);
  g_assert_nonnull (message);
  if (strstr (message, c->message) == NULL)
    g_test_message ("%s: %s", c->name, message);
  g_assert_nonnull (strstr (message, c->message));
  gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (win));
  pump ();
}

/* The named curve of the server's ServerKeyExchange. */
static const char *
ske_curve (LabSession *s)
{
  const TlsTrace *t = lab_session_get_trace (s);
  int i = find_step (t, "ServerKeyExchange", TLS_ACTOR_SERVER);
  TlsField *f;

  g_assert_cmpint (i, >=, 0);
  f = tls_field_find (tls_trace_get (t, (guint) i)->fields, "params/curve_params/namedcurve");
  g_assert_nonnull (f);
  return f->value;
}

static void
test_group (void)
{
  LabWindow *win;
  int step;
  GtkWindow *dialog, *w;
  LabWhatIfChange c = { LAB_WHAT_IF_GROUP, "secp384r1", TLS_ACTOR_SERVER, NULL, 0, 0, NULL };
  LabCompareView *view;
  const TlsAlignment *al;
  const TlsStep *div;

  g_test_summary ("What if the server uses another curve: ServerKeyExchange names the group chosen, "
                  "and the runs diverge at the server's group decision");
  NEED_DISPLAY ();
  dialog = open_dialog ("ecdhe-rsa", "Key exchange group", TLS_ACTOR_SERVER, &win, &step);
  lab_what_if_dialog_set_change (dialog, &c);
  w = lab_what_if_dialog_run (dialog);
  g_assert_nonnull (w);
  view = lab_compare_window_get_view (w);
  al = lab_compare_view_get_alignment (view);
  g_assert_nonnull (strstr (ske_curve (lab_compare_view_get_session (view, FALSE)), "x25519"));
  g_assert_nonnull (strstr (ske_curve (lab_compare_view_get_session (view, TRUE)), "secp384r1 (24)"));
  g_assert_cmpstr (lab_session_get_scenario (lab_compare_view_get_session (view, TRUE))->server_groups, ==,
                   "secp384r1");
  div = lab_session_get_step (lab_compare_view_get_session (view, TRUE),
                              (guint) tls_alignment_row (al, (guint) al->first_divergence)->right);
  g_assert_cmpstr (div->title, ==, "Key exchange group");
  g_assert_cmpstr (div->choice, ==, "secp384r1");
  /* the changed run completes */
  g_assert_cmpint (tls_alignment_row (al, (guint) al->first_alert_right)->right, >=, 0);
  g_assert_cmpint (lab_session_get_step (lab_compare_view_get_session (view, TRUE),
                                         (guint) tls_alignment_row (al, (guint) al->first_alert_right)->right)
                     ->alert_description, ==, TLS_ALERT_CLOSE_NOTIFY);
  gtk_window_destroy (w);
  gtk_window_destroy (GTK_WINDOW (win));
  pump ();
}

/* Compare…: two files. */
static void
test_compare_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whatif-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "full.json", NULL);
  g_autofree char *b = g_build_filename (dir, "bad-finished.json", NULL);
  g_autofree char *missing = g_build_filename (dir, "none.json", NULL);
  g_autoptr (GError) error = NULL;
  GtkWindow *dialog, *w;
  LabCompareView *view;

  g_test_summary ("Compare… with two saved traces: both open side by side; a file that cannot be "
                  "read gets a message in the dialog");
  NEED_DISPLAY ();
  for (int i = 0; i < 2; i++)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin (i ? "bad-finished" : "full");
      g_autoptr (LabSession) s = lab_session_new ();
      g_autofree char *json = NULL;

      g_assert_true (lab_session_load_scenario (s, sc, NULL, &error));
      lab_session_run_to_end (s);
      json = tls_trace_to_json (lab_session_get_trace (s), NULL);
      g_assert_true (g_file_set_contents (i ? b : a, json, -1, &error));
    }
  dialog = lab_compare_dialog_present (NULL);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  lab_compare_dialog_set_files (dialog, a, missing);
  g_assert_null (lab_compare_dialog_run (dialog));
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (lab_compare_dialog_get_error (dialog), "none.json"));
  lab_compare_dialog_set_files (dialog, a, b);
  w = lab_compare_dialog_run (dialog);
  g_assert_nonnull (w);
  g_assert_null (dialog);
  view = lab_compare_window_get_view (w);
  g_assert_cmpint (lab_compare_view_get_alignment (view)->first_divergence, >, 0);
  g_assert_cmpint (lab_session_get_mode (lab_compare_view_get_session (view, TRUE)), ==, LAB_SESSION_RECORDED);
  g_assert_nonnull (strstr (gtk_window_get_title (w), "bad-finished.json"));
  gtk_window_destroy (w);
  pump ();
  g_remove (a);
  g_remove (b);
  g_rmdir (dir);
}

/* The attacker's lane and a what-if side by side, at zoom 1 and 2. */
static void
test_screenshots (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("full");
  LabWindow *win;
  GtkWindow *dialog, *w;
  LabCompareView *view;
  int step;
  LabWhatIfChange c = { LAB_WHAT_IF_TAMPER, "00 9d", TLS_ACTOR_SERVER, "cipher_suite", 0, 0, NULL };

  g_test_summary ("PNGs at 1024x768: the ladder with the attacker's lane, a what-if side by side at "
                  "zoom 1 and 2; the compare window goes to one inspector at a time when zoomed and "
                  "back to two at zoom 1");
  NEED_DISPLAY ();
  set_zoom (1);
  g_assert_true (tls_scenario_add_attack (sc, "tamper:server:ServerHello.cipher_suite=0x009d", &error));
  win = lab_window_new (NULL);
  g_assert_true (lab_window_load_scenario (win, sc, &error));
  lab_window_step_n (win, 9);
  gtk_window_set_default_size (GTK_WINDOW (win), 1024, 768);
  gtk_window_present (GTK_WINDOW (win));
  wait_drawn (GTK_WIDGET (win));
  save_png_fits (GTK_WINDOW (win), "whatif-attacker-lane-1024x768.png");
  gtk_window_destroy (GTK_WINDOW (win));
  pump ();

  dialog = open_dialog ("full", "Cipher suite", TLS_ACTOR_SERVER, &win, &step);
  lab_what_if_dialog_set_change (dialog, &c);
  w = lab_what_if_dialog_run (dialog);
  g_assert_nonnull (w);
  gtk_window_set_default_size (w, 1024, 768);
  wait_drawn (GTK_WIDGET (w));
  view = lab_compare_window_get_view (w);
  save_png_fits (w, "whatif-side-by-side-1024x768.png");
  set_zoom (2);
  wait_drawn (GTK_WIDGET (w));
  wait_drawn (GTK_WIDGET (w));
  g_assert_true (lab_compare_view_get_one_side (view));
  save_png_fits (w, "whatif-side-by-side-1024x768-zoom2.png");
  /* the selected row is the attacker's step, of the right run only: its
   * inspector is the one shown */
  g_assert_cmpint (lab_inspector_get_step (lab_compare_view_get_inspector (view, TRUE)), >=, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (lab_compare_view_get_inspector (view, TRUE))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (lab_compare_view_get_inspector (view, FALSE))));
  /* small type: both inspectors fit side by side; zoom 2: one at a time;
   * and back, each time without being asked */
  set_zoom (0.6);
  wait_drawn (GTK_WIDGET (w));
  wait_drawn (GTK_WIDGET (w));
  g_assert_false (lab_compare_view_get_one_side (view));
  save_png_fits (w, "whatif-side-by-side-1024x768-zoom0.6.png");
  set_zoom (2);
  wait_drawn (GTK_WIDGET (w));
  wait_drawn (GTK_WIDGET (w));
  g_assert_true (lab_compare_view_get_one_side (view));
  set_zoom (0.6);
  wait_drawn (GTK_WIDGET (w));
  wait_drawn (GTK_WIDGET (w));
  g_assert_false (lab_compare_view_get_one_side (view));
  set_zoom (1);
  gtk_window_destroy (w);
  gtk_window_destroy (GTK_WINDOW (win));
  pump ();
}

int
main (int argc, char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  ui_test_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (attack_cases); i++)
    {
      g_autofree char *p = g_strdup_printf ("/ui-whatif/attack/%s", attack_cases[i].name);
      g_test_add_data_func (p, &attack_cases[i], test_attack);
    }
  g_test_add_func ("/ui-whatif/fields", test_fields);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *p = g_strdup_printf ("/ui-whatif/bad/%s", bad_cases[i].name);
      g_test_add_data_func (p, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/ui-whatif/group", test_group);
  g_test_add_func ("/ui-whatif/compare-files", test_compare_files);
  g_test_add_func ("/ui-whatif/screenshots", test_screenshots);
  return g_test_run ();
}
