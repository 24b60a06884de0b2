/* test-ui-compare.c — the compare view (two runs side by side) and "What
 * if…" (issue 12): rows aligned, the first divergence selected and marked,
 * each run's first alert marked with its reason, the fields that differ
 * marked in both inspectors; a change made at a step re-runs the scenario
 * and diverges where it shows, with the alert the RFC prescribes; the
 * window at 1024x768 saved as PNGs (looked at by hand).  Needs a display
 * (xvfb-run); without one every case is skipped. */
#include "config.h"

#include <string.h>
#include <gtk/gtk.h>

#include "lab-compare-view.h"
#include "lab-gui.h"
#include "lab-inspector.h"
#include "lab-screenshot.h"
#include "lab-session.h"
#include "lab-what-if.h"
#include "lab-window.h"
#include "tls-alert.h"

#include "test-ui-util.h"

/* The step of ROW on one side. */
static const TlsStep *
row_step (LabCompareView *view, int row, gboolean right)
{
  const TlsAlignRow *r = tls_alignment_row (lab_compare_view_get_alignment (view), (guint) row);
  int i = right ? r->right : r->left;

  return i >= 0 ? lab_session_get_step (lab_compare_view_get_session (view, right), (guint) i) : NULL;
}

static void
test_tampered (void)
{
  g_autoptr (GError) error = NULL;
  GtkWindow *w;
  LabCompareView *view;
  const TlsAlignment *al;
  LabInspector *li, *ri;
  g_autofree char *text = NULL, *alert_text = NULL;
  const TlsStep *alert;

  g_test_summary ("full against bad-finished: the client's Finished is the first divergence, "
                  "selected, marked; verify_data marked in both inspectors; the right run's first "
                  "alert decrypt_error with its reason");
  NEED_DISPLAY ();
  w = lab_compare_window_new (NULL, "full", "bad-finished", TLS_DETAIL_FULL, &error);
  g_assert_no_error (error);
  gtk_window_set_default_size (w, 1024, 768);
  gtk_window_present (w);
  wait_drawn (GTK_WIDGET (w));
  view = lab_compare_window_get_view (w);
  al = lab_compare_view_get_alignment (view);

  g_assert_cmpint (al->first_divergence, >, 0);
  g_assert_cmpint (lab_compare_view_get_selected_row (view), ==, al->first_divergence);
  g_assert_cmpstr (row_step (view, al->first_divergence, FALSE)->title, ==, "Finished");
  g_assert_true (lab_compare_view_row_has_class (view, (guint) al->first_divergence, "row-differs"));
  g_assert_false (lab_compare_view_row_has_class (view, 0, "row-differs"));
  text = lab_compare_view_dup_row_text (view, (guint) al->first_divergence);
  g_assert_nonnull (strstr (text, "First divergence"));
  g_assert_nonnull (strstr (text, "≠"));
  g_assert_nonnull (strstr (lab_compare_view_get_differences (view), "verify_data: "));

  li = lab_compare_view_get_inspector (view, FALSE);
  ri = lab_compare_view_get_inspector (view, TRUE);
  g_assert_cmpstr (lab_inspector_get_title (li), ==, "Finished");
  g_assert_cmpstr (lab_inspector_get_title (ri), ==, "Finished");
  g_assert_true (lab_inspector_select_field (ri, "verify_data"));
  g_assert_true (lab_inspector_field_differs (ri, lab_inspector_get_selected_field (ri)));
  g_assert_true (lab_inspector_select_field (li, "msg_type"));
  g_assert_false (lab_inspector_field_differs (li, lab_inspector_get_selected_field (li)));
  /* the hex view marks the one byte the fault changed */
  g_assert_cmpint (lab_hex_view_get_span_at (lab_inspector_get_hex_view (ri), 4), ==, LAB_HEX_SPAN_DIFF);
  g_assert_cmpint (lab_hex_view_get_span_at (lab_inspector_get_hex_view (ri), 5), ==, -1);

  g_assert_cmpint (al->first_alert_right, >, al->first_divergence);
  alert = row_step (view, al->first_alert_right, TRUE);
  g_assert_cmpint (alert->alert_description, ==, TLS_ALERT_DECRYPT_ERROR);
  g_assert_true (lab_compare_view_row_has_class (view, (guint) al->first_alert_right, "row-first-alert"));
  alert_text = lab_compare_view_dup_row_text (view, (guint) al->first_alert_right);
  g_assert_nonnull (strstr (alert_text, "First alert (right): server, fatal decrypt_error: the peer's Finished verify_data is wrong"));

  /* selecting the same row of a derivation: the values compared */
  save_png (GTK_WIDGET (w), "compare-tampered-1024x768.png");
  gtk_window_destroy (w);
  pump ();
}

/* The row whose step on one side is ACTOR's TITLE, or -1. */
static int
row_titled (LabCompareView *view, gboolean right, TlsActor actor, const char *title)
{
  const TlsAlignment *al = lab_compare_view_get_alignment (view);

  for (guint i = 0; i < al->rows->len; i++)
    {
      const TlsStep *s = row_step (view, (int) i, right);
      if (s && s->actor == actor && g_strcmp0 (s->title, title) == 0)
        return (int) i;
    }
  return -1;
}

static void
test_tls12_tls13 (void)
{
  g_autoptr (GError) error = NULL;
  GtkWindow *w;
  LabCompareView *view;
  const TlsVersus *v;
  g_autofree char *text = NULL, *cke_text = NULL, *cert_text = NULL;
  int cke, cert, cv;

  g_test_summary ("classic against tls13: the view opens on what changed, each difference "
                  "measured on the two runs with its reason and RFC 8446 section (round trips "
                  "2 against 1, the certificate in the clear against encrypted); the ladders "
                  "aligned by sender and message with their flights, ClientKeyExchange of 1.2 "
                  "only with its reason; both pages saved at 1024x768");
  NEED_DISPLAY ();
  w = lab_compare_window_new (NULL, "classic#1", "tls13", TLS_DETAIL_FULL, &error);
  g_assert_no_error (error);
  gtk_window_set_default_size (w, 1024, 768);
  gtk_window_present (w);
  wait_drawn (GTK_WIDGET (w));
  view = lab_compare_window_get_view (w);
  v = lab_compare_view_get_versus (view);
  g_assert_nonnull (v);
  g_assert_cmpuint (v->left_round_trips, ==, 2);
  g_assert_cmpuint (v->right_round_trips, ==, 1);
  g_assert_false (v->left_cert_encrypted);
  g_assert_true (v->right_cert_encrypted);

  text = lab_compare_view_dup_versus_text (view);
  g_assert_nonnull (strstr (text, "|TLS 1.2 (left)|TLS 1.3 (right)|"));
  g_assert_nonnull (strstr (text, "|Round trips before the client sends application data|"
                                  "2 round trips (4 flights); the client's first Application Data [60]|"
                                  "1 round trip (3 flights)"));
  g_assert_nonnull (strstr (text, "|Certificate [6] in flight 2, in the clear|Certificate ["));
  g_assert_nonnull (strstr (text, "in flight 2, encrypted|Why: in TLS 1.3 the Certificate follows "
                                  "EncryptedExtensions"));
  g_assert_nonnull (strstr (text, "(RFC 8446 §1.2; RFC 8446 §5.2)"));
  save_png (GTK_WIDGET (w), "compare-tls12-tls13-1024x768.png");

  /* the ladders: messages only, by sender; the 1.3 server's first flight
   * before the 1.2 client's second */
  lab_compare_view_show_versus (view, FALSE);
  cke = row_titled (view, FALSE, TLS_ACTOR_CLIENT, "ClientKeyExchange");
  cv = row_titled (view, TRUE, TLS_ACTOR_SERVER, "CertificateVerify");
  cert = row_titled (view, FALSE, TLS_ACTOR_SERVER, "Certificate");
  g_assert_cmpint (cke, >, 0);
  g_assert_cmpint (cv, >, 0);
  g_assert_cmpint (cv, <, cke);
  g_assert_cmpint (cert, ==, row_titled (view, TRUE, TLS_ACTOR_SERVER, "Certificate"));
  g_assert_cmpint (row_titled (view, FALSE, TLS_ACTOR_CLIENT, "Finished"), ==,
                   row_titled (view, TRUE, TLS_ACTOR_CLIENT, "Finished"));
  cke_text = lab_compare_view_dup_row_text (view, (guint) cke);
  g_assert_nonnull (strstr (cke_text, "F3  45  client →  ClientKeyExchange|◀|"));
  g_assert_nonnull (strstr (cke_text, "TLS 1.3 has no ClientKeyExchange: the client's share travels in "
                                      "ClientHello's key_share (RFC 8446 §2; RFC 8446 §4.2.8)"));
  cert_text = lab_compare_view_dup_row_text (view, (guint) cert);
  g_assert_nonnull (strstr (cert_text, "F2  6  server ←  Certificate|≠|F2  "));
  lab_compare_view_select_row (view, cke);
  g_assert_nonnull (strstr (lab_compare_view_get_differences (view), "TLS 1.3 has no ClientKeyExchange"));
  wait_drawn (GTK_WIDGET (w));
  save_png (GTK_WIDGET (w), "compare-tls12-tls13-ladders-1024x768.png");
  gtk_window_destroy (w);
  pump ();

  /* two runs of one version: no such page */
  w = lab_compare_window_new (NULL, "full", "ecdhe-rsa", TLS_DETAIL_FULL, &error);
  g_assert_no_error (error);
  view = lab_compare_window_get_view (w);
  g_assert_null (lab_compare_view_get_versus (view));
  g_clear_pointer (&text, g_free);
  text = lab_compare_view_dup_versus_text (view);
  g_assert_cmpstr (text, ==, "");
  gtk_window_destroy (w);
  pump ();
}

typedef struct
{
  const char   *name;
  LabWhatIfKind kind;
  const char   *value;
  int           step;          /* where the teacher stands */
  const char   *diverges_at;   /* the right step's title at the first divergence */
  TlsActor      diverging_actor;
  int           alert;         /* the changed run's first fatal alert */
  const char   *reason;        /* in its reason */
} WhatIfCase;

static void
test_what_if (gconstpointer data)
{
  const WhatIfCase *c = data;
  g_autoptr (GError) error = NULL;
  LabWindow *win;
  GtkWindow *w;
  LabCompareView *view;
  const TlsAlignment *al;
  const TlsStep *div, *alert;
  g_autofree char *png = NULL;

  g_test_summary ("What if…: a change at a step re-runs the scenario; both runs side by side "
                  "diverge where the change shows and the changed run ends in the expected alert");
  NEED_DISPLAY ();
  win = lab_window_new (NULL);
  g_assert_true (lab_window_load_builtin (win, "full", &error));
  g_assert_no_error (error);
  lab_window_step_n (win, 100000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "lab.what-if", NULL));
  pump ();
  w = lab_what_if_run (GTK_WINDOW (win), lab_window_get_session (win), c->step, c->kind, c->value, &error);
  g_assert_no_error (error);
  gtk_window_set_default_size (w, 1024, 768);
  gtk_window_present (w);
  wait_drawn (GTK_WIDGET (w));
  view = lab_compare_window_get_view (w);
  al = lab_compare_view_get_alignment (view);

  g_assert_cmpint (al->first_divergence, >=, 0);
  div = row_step (view, al->first_divergence, TRUE);
  g_assert_nonnull (div);
  g_assert_cmpstr (div->title, ==, c->diverges_at);
  g_assert_cmpint (div->actor, ==, c->diverging_actor);
  /* up to there, the same run */
  for (int i = 0; i < al->first_divergence; i++)
    g_assert_false (tls_align_row_diverges (tls_alignment_row (al, (guint) i)));
  g_assert_cmpint (lab_compare_view_get_selected_row (view), ==, al->first_divergence);

  g_assert_cmpint (al->first_alert_right, >=, al->first_divergence);
  alert = row_step (view, al->first_alert_right, TRUE);
  g_assert_cmpint (alert->kind, ==, TLS_STEP_ALERT);
  g_assert_cmpint (alert->alert_level, ==, TLS_ALERT_LEVEL_FATAL);
  g_assert_cmpint (alert->alert_description, ==, c->alert);
  g_assert_nonnull (strstr (alert->reason, c->reason));
  /* the original run ends normally */
  g_assert_cmpint (row_step (view, al->first_alert_left, FALSE)->alert_description, ==, TLS_ALERT_CLOSE_NOTIFY);

  png = g_strdup_printf ("what-if-%s-1024x768.png", c->name);
  save_png (GTK_WIDGET (w), png);
  gtk_window_destroy (w);
  gtk_window_destroy (GTK_WINDOW (win));
  pump ();
}

static void
test_what_if_values (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("full");
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsScenario) bad = NULL;
  g_auto (GStrv) certs = lab_what_if_values (LAB_WHAT_IF_CERTIFICATE, sc);

  g_test_summary ("The choices: the five bad certificates of the demo PKI; a value not offered "
                  "is refused with a message naming it");
  for (const char *const *n = (const char *const[]) { "expired", "wrong-host", "untrusted",
                                                      "bad-signature", "missing-intermediate", NULL };
       *n; n++)
    g_assert_true (g_strv_contains ((const char *const *) certs, *n));
  bad = lab_what_if_apply (sc, LAB_WHAT_IF_VERSION, "1.3", &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "“1.3”"));
}

int
main (int argc, char **argv)
{
  static const WhatIfCase cases[] = {
    /* RFC 5246 7.2.2: an expired certificate gets certificate_expired */
    { "expired", LAB_WHAT_IF_CERTIFICATE, "expired", 5, "Certificate", TLS_ACTOR_SERVER,
      TLS_ALERT_CERTIFICATE_EXPIRED, "expired on" },
    /* the host name check fails: bad_certificate */
    { "wrong-host", LAB_WHAT_IF_CERTIFICATE, "wrong-host", 0, "ClientHello", TLS_ACTOR_CLIENT,
      TLS_ALERT_BAD_CERTIFICATE, "matches none of the subjectAltName DNS names" },
    { "untrusted", LAB_WHAT_IF_CERTIFICATE, "untrusted", 5, "Certificate", TLS_ACTOR_SERVER,
      TLS_ALERT_UNKNOWN_CA, "not in the trust store" },
    { "bad-signature", LAB_WHAT_IF_CERTIFICATE, "bad-signature", 5, "Certificate", TLS_ACTOR_SERVER,
      TLS_ALERT_BAD_CERTIFICATE, "signature does not match" },
    { "missing-intermediate", LAB_WHAT_IF_CERTIFICATE, "missing-intermediate", 5, "Certificate",
      TLS_ACTOR_SERVER, TLS_ALERT_UNKNOWN_CA, "neither among the certificates received" },
  };

  g_setenv ("LANGUAGE", "C", TRUE);
  ui_test_init (&argc, &argv);

  g_test_add_func ("/ui-compare/tampered", test_tampered);
  g_test_add_func ("/ui-compare/what-if-values", test_what_if_values);
  g_test_add_func ("/ui-compare/tls12-tls13", test_tls12_tls13);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *p = g_strdup_printf ("/ui-compare/what-if/%s", cases[i].name);
      g_test_add_data_func (p, &cases[i], test_what_if);
    }
  return g_test_run ();
}
