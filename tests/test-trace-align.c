/* test-trace-align.c — two runs aligned by message (tls-trace-align.h):
 * RSA against ECDHE, a full handshake against a resumed one, TLS 1.0
 * against 1.2, a run against itself and against its JSON copy, and a run
 * whose client Finished was tampered with against the original. */
#include "tls-conductor.h"
#include "tls-trace-align.h"
#include "tls-trace-json.h"
#include "test-util.h"

#include <string.h>

/* The row whose left (or right) step has TITLE and ACTOR in CONNECTION
 * (-1: any); the test fails when there is none. */
static const TlsAlignRow *
row_of (const TlsAlignment *al, const TlsTrace *trace, gboolean right, const char *title,
        TlsActor actor, int *index)
{
  for (guint i = 0; i < al->rows->len; i++)
    {
      const TlsAlignRow *r = tls_alignment_row (al, i);
      int s = right ? r->right : r->left;

      if (s >= 0 && g_strcmp0 (tls_trace_get (trace, (guint) s)->title, title) == 0
          && tls_trace_get (trace, (guint) s)->actor == actor)
        {
          if (index)
            *index = (int) i;
          return r;
        }
    }
  g_error ("no row for %s %s", tls_actor_name (actor), title);
}

static gboolean
has_diff (const TlsAlignRow *r, const char *what)
{
  for (guint i = 0; r->diffs && i < r->diffs->len; i++)
    if (g_str_equal (((TlsStepDiff *) g_ptr_array_index (r->diffs, i))->what, what))
      return TRUE;
  return FALSE;
}

static const TlsStepDiff *
get_diff (const TlsAlignRow *r, const char *what)
{
  for (guint i = 0; r->diffs && i < r->diffs->len; i++)
    if (g_str_equal (((TlsStepDiff *) g_ptr_array_index (r->diffs, i))->what, what))
      return g_ptr_array_index (r->diffs, i);
  g_error ("no diff %s", what);
}

/* Every step of both runs is in exactly one row, each run's in order. */
static void
assert_covers (const TlsAlignment *al, const TlsTrace *a, const TlsTrace *b, int ca, int cb)
{
  int last_a = -1, last_b = -1;
  guint na = 0, nb = 0, want_a = 0, want_b = 0;

  for (guint i = 0; i < al->rows->len; i++)
    {
      const TlsAlignRow *r = tls_alignment_row (al, i);

      g_assert_true ((r->kind == TLS_ALIGN_BOTH) == (r->left >= 0 && r->right >= 0));
      g_assert_true ((r->kind == TLS_ALIGN_LEFT_ONLY) == (r->right < 0));
      if (r->left >= 0)
        {
          g_assert_cmpint (r->left, >, last_a);
          last_a = r->left;
          na++;
        }
      if (r->right >= 0)
        {
          g_assert_cmpint (r->right, >, last_b);
          last_b = r->right;
          nb++;
        }
    }
  for (guint i = 0; i < tls_trace_len (a); i++)
    want_a += ca < 0 || tls_trace_get (a, i)->connection == (guint) ca;
  for (guint i = 0; i < tls_trace_len (b); i++)
    want_b += cb < 0 || tls_trace_get (b, i)->connection == (guint) cb;
  g_assert_cmpuint (na, ==, want_a);
  g_assert_cmpuint (nb, ==, want_b);
}

static void
test_rsa_ecdhe (void)
{
  TlsConductor *ca = tu_run_scenario ("full"), *cb = tu_run_scenario ("ecdhe-rsa");
  TlsTrace *a = tls_conductor_get_trace (ca), *b = tls_conductor_get_trace (cb);
  g_autoptr (TlsAlignment) al = tls_trace_align (a, -1, b, -1, TLS_DETAIL_FULL);
  const TlsAlignRow *r;
  const TlsStepDiff *d;

  g_test_summary ("RSA against ECDHE: the ServerKeyExchange only on the right, the ServerHello's "
                  "cipher_suite and the ClientKeyExchange's contents differ, the Certificate is the same");
  assert_covers (al, a, b, -1, -1);
  r = row_of (al, b, TRUE, "ServerKeyExchange", TLS_ACTOR_SERVER, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_RIGHT_ONLY);
  r = row_of (al, b, TRUE, "ServerKeyExchange signature", TLS_ACTOR_CLIENT, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_RIGHT_ONLY);

  r = row_of (al, a, FALSE, "ServerHello", TLS_ACTOR_SERVER, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_BOTH);
  g_assert_true (r->bytes_differ);
  d = get_diff (r, "cipher_suite");
  g_assert_true (d->is_field);
  g_assert_nonnull (strstr (d->left, "TLS_RSA_WITH_AES_128_GCM_SHA256"));
  g_assert_nonnull (strstr (d->right, "TLS_ECDHE_RSA_"));
  g_assert_cmpuint (d->left_length, ==, 2);
  g_assert_cmpuint (d->right_length, ==, 2);
  /* the server random is seeded alike: it does not differ */
  g_assert_false (has_diff (r, "random/random_bytes"));

  r = row_of (al, a, FALSE, "Certificate", TLS_ACTOR_SERVER, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_BOTH);
  g_assert_cmpuint (r->diffs->len, ==, 0);

  r = row_of (al, a, FALSE, "ClientKeyExchange", TLS_ACTOR_CLIENT, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_BOTH);
  /* an encrypted premaster secret on the left, an ECDH point on the right */
  d = get_diff (r, "pre_master_secret");
  g_assert_cmpuint (d->left_length, >, 0);
  g_assert_cmpuint (d->right_length, ==, 0);
  d = get_diff (r, "ecdh_Yc");
  g_assert_cmpuint (d->left_length, ==, 0);
  g_assert_cmpuint (d->right_length, >, 0);

  /* the master secret: its inputs and output differ */
  r = row_of (al, a, FALSE, "master_secret (extended)", TLS_ACTOR_CLIENT, NULL);
  g_assert_true (has_diff (r, "input pre_master_secret"));
  g_assert_true (has_diff (r, "output master_secret"));
  g_assert_cmpint (al->first_divergence, ==, 0);   /* the ClientHellos offer other suites */
  tls_conductor_free (ca);
  tls_conductor_free (cb);
}

static void
test_full_resumed (void)
{
  TlsConductor *c = tu_run_scenario ("resumption");
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (TlsAlignment) al = tls_trace_align (t, 0, t, 1, TLS_DETAIL_FULL);
  const TlsAlignRow *r;
  int row;

  g_test_summary ("Connection 1 against connection 2 of resumption: the Certificate, chain checks "
                  "and ClientKeyExchange only on the left; the ClientHello's session_id and the "
                  "server's decision differ; the resumed side's 'Resumed?' check only on the right");
  assert_covers (al, t, t, 0, 1);
  r = row_of (al, t, FALSE, "Certificate", TLS_ACTOR_SERVER, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_LEFT_ONLY);
  r = row_of (al, t, FALSE, "ClientKeyExchange", TLS_ACTOR_CLIENT, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_LEFT_ONLY);
  r = row_of (al, t, FALSE, "Trust anchor", TLS_ACTOR_CLIENT, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_LEFT_ONLY);
  r = row_of (al, t, TRUE, "Resumed?", TLS_ACTOR_CLIENT, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_RIGHT_ONLY);

  r = row_of (al, t, FALSE, "ClientHello", TLS_ACTOR_CLIENT, &row);
  g_assert_cmpint (row, ==, 0);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_BOTH);
  g_assert_true (has_diff (r, "session_id/data"));
  g_assert_true (has_diff (r, "random/random_bytes"));
  g_assert_cmpint (al->first_divergence, ==, 0);

  r = row_of (al, t, FALSE, "Resume the session?", TLS_ACTOR_SERVER, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_BOTH);
  g_assert_true (has_diff (r, "choice"));

  /* both sides end with the client's close_notify, their first alert */
  g_assert_cmpint (al->first_alert_left, >=, 0);
  g_assert_cmpint (al->first_alert_left, ==, al->first_alert_right);
  g_assert_cmpint (tls_trace_get (t, (guint) tls_alignment_row (al, (guint) al->first_alert_left)->left)->connection, ==, 0);
  tls_conductor_free (c);
}

static void
test_tls10_tls12 (void)
{
  TlsConductor *ca = tu_run_scenario ("tls10"), *cb = tu_run_scenario ("full");
  TlsTrace *a = tls_conductor_get_trace (ca), *b = tls_conductor_get_trace (cb);
  g_autoptr (TlsAlignment) al = tls_trace_align (a, -1, b, -1, TLS_DETAIL_FULL);
  const TlsAlignRow *r;
  const TlsStepDiff *d;

  g_test_summary ("TLS 1.0 against 1.2: the same messages, the versions and the PRF differ");
  assert_covers (al, a, b, -1, -1);
  g_assert_cmpuint (al->n_left_only, ==, 0);
  g_assert_cmpuint (al->n_right_only, ==, 0);
  r = row_of (al, a, FALSE, "ServerHello", TLS_ACTOR_SERVER, NULL);
  d = get_diff (r, "server_version");
  g_assert_nonnull (strstr (d->left, "0x0301"));
  g_assert_nonnull (strstr (d->right, "0x0303"));
  r = row_of (al, a, FALSE, "Protocol version", TLS_ACTOR_SERVER, NULL);
  g_assert_true (has_diff (r, "choice"));
  r = row_of (al, a, FALSE, "key_block", TLS_ACTOR_CLIENT, NULL);
  g_assert_true (has_diff (r, "input PRF"));
  g_assert_true (has_diff (r, "output key_block"));
  /* the certificate does not depend on the version */
  r = row_of (al, a, FALSE, "Certificate", TLS_ACTOR_SERVER, NULL);
  g_assert_false (has_diff (r, "certificate_list"));
  tls_conductor_free (ca);
  tls_conductor_free (cb);
}

static void
test_self (void)
{
  TlsConductor *ca = tu_run_scenario ("resumption"), *cb = tu_run_scenario ("resumption");
  TlsTrace *a = tls_conductor_get_trace (ca), *b = tls_conductor_get_trace (cb);
  g_autoptr (TlsAlignment) al = tls_trace_align (a, -1, b, -1, TLS_DETAIL_FULL);
  g_autoptr (TlsAlignment) lesson = tls_trace_align (a, -1, b, -1, TLS_DETAIL_LESSON);
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr (TlsTrace) loaded = NULL;
  g_autoptr (TlsAlignment) saved = NULL;
  gsize len;
  guint top = 0;

  g_test_summary ("A run against itself, and against its saved JSON: every step in a row of "
                  "both, nothing differs; at the lesson level only the top-level steps");
  assert_covers (al, a, b, -1, -1);
  g_assert_cmpuint (al->rows->len, ==, tls_trace_len (a));
  g_assert_cmpuint (al->n_same, ==, tls_trace_len (a));
  g_assert_cmpuint (al->n_differ + al->n_left_only + al->n_right_only, ==, 0);
  g_assert_cmpint (al->first_divergence, ==, -1);
  for (guint i = 0; i < tls_trace_len (a); i++)
    top += tls_trace_get (a, i)->parent < 0;
  g_assert_cmpuint (lesson->rows->len, ==, top);
  g_assert_cmpuint (lesson->n_same, ==, top);
  g_assert_cmpuint (top, <, tls_trace_len (a));

  json = tls_trace_to_json (a, &len);
  loaded = tls_trace_from_json (json, len, &error);
  g_assert_no_error (error);
  saved = tls_trace_align (a, -1, loaded, -1, TLS_DETAIL_FULL);
  g_assert_cmpint (saved->first_divergence, ==, -1);
  g_assert_cmpuint (saved->n_same, ==, tls_trace_len (a));
  tls_conductor_free (ca);
  tls_conductor_free (cb);
}

static void
test_tampered (void)
{
  TlsConductor *ca = tu_run_scenario ("full"), *cb = tu_run_scenario ("bad-finished");
  TlsTrace *a = tls_conductor_get_trace (ca), *b = tls_conductor_get_trace (cb);
  g_autoptr (TlsAlignment) al = tls_trace_align (a, -1, b, -1, TLS_DETAIL_FULL);
  const TlsAlignRow *r, *first;
  const TlsStep *alert;
  int row;

  g_test_summary ("full against bad-finished (the client's Finished tampered with): the same run "
                  "up to the client's Finished, which is the first divergence; the server's "
                  "check of it fails; the right run's first alert is the server's decrypt_error, "
                  "the left's the client's close_notify");
  assert_covers (al, a, b, -1, -1);
  r = row_of (al, a, FALSE, "Finished", TLS_ACTOR_CLIENT, &row);
  g_assert_cmpint (al->first_divergence, ==, row);
  g_assert_true (r->bytes_differ);
  g_assert_true (has_diff (r, "verify_data"));
  for (int i = 0; i < row; i++)
    g_assert_cmpuint (tls_alignment_row (al, (guint) i)->diffs->len, ==, 0);

  r = row_of (al, a, FALSE, "client Finished", TLS_ACTOR_SERVER, NULL);
  g_assert_true (has_diff (r, "result"));
  g_assert_cmpstr (get_diff (r, "result")->left, ==, "passed");
  g_assert_cmpstr (get_diff (r, "result")->right, ==, "failed");

  g_assert_cmpint (al->first_alert_right, >, al->first_divergence);
  first = tls_alignment_row (al, (guint) al->first_alert_right);
  alert = tls_trace_get (b, (guint) first->right);
  g_assert_cmpint (alert->kind, ==, TLS_STEP_ALERT);
  g_assert_cmpint (alert->actor, ==, TLS_ACTOR_SERVER);
  g_assert_cmpstr (alert->title, ==, "Alert: decrypt_error");
  g_assert_nonnull (alert->reason);
  alert = tls_trace_get (a, (guint) tls_alignment_row (al, (guint) al->first_alert_left)->left);
  g_assert_cmpstr (alert->title, ==, "Alert: close_notify");
  g_assert_cmpint (alert->actor, ==, TLS_ACTOR_CLIENT);
  /* the server's ChangeCipherSpec and Finished never came */
  r = row_of (al, a, FALSE, "server Finished.verify_data", TLS_ACTOR_SERVER, NULL);
  g_assert_cmpint (r->kind, ==, TLS_ALIGN_LEFT_ONLY);
  tls_conductor_free (ca);
  tls_conductor_free (cb);
}

static void
test_keys (void)
{
  TlsTrace *t = tls_trace_new ();
  TlsStep *s = tls_trace_add (t, TLS_STEP_CHECK, TLS_ACTOR_CLIENT,
                              "Validity of \xe2\x80\x9cHandshake Lab Root CA\xe2\x80\x9d");
  g_autofree char *k1 = NULL, *k2 = NULL, *k3 = NULL;

  g_test_summary ("Keys: certificate names and a trailing parenthesis are left out");
  tls_trace_commit (t, s);
  k1 = tls_step_align_key (s, TRUE);
  g_assert_cmpstr (k1, ==, "0|client|check|Validity of \xe2\x80\x9c\xe2\x80\x9d");
  s = tls_trace_add (t, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, "master_secret (extended)");
  tls_trace_commit (t, s);
  k2 = tls_step_align_key (s, FALSE);
  g_assert_cmpstr (k2, ==, "server|derivation|master_secret");
  s = tls_trace_add (t, TLS_STEP_ALERT, TLS_ACTOR_SERVER, "Alert: decrypt_error");
  tls_trace_commit (t, s);
  k3 = tls_step_align_key (s, FALSE);
  g_assert_cmpstr (k3, ==, "server|alert|alert");
  tls_trace_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/align/keys", test_keys);
  g_test_add_func ("/align/rsa-ecdhe", test_rsa_ecdhe);
  g_test_add_func ("/align/full-resumed", test_full_resumed);
  g_test_add_func ("/align/tls10-tls12", test_tls10_tls12);
  g_test_add_func ("/align/self", test_self);
  g_test_add_func ("/align/tampered", test_tampered);
  return g_test_run ();
}
