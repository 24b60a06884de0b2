/* test-trace-versus.c — TLS 1.2 beside TLS 1.3 (tls-trace-versus.h, issue
 * 16 "Side by side"), measured on real runs: the classic RSA handshake and
 * its resumption, the full RSA-GCM one and ECDHE_RSA against the tls13
 * scenario.  Round trips 2 against 1, the certificate in the clear against
 * encrypted, key transport against (EC)DHE, CBC with HMAC against an AEAD,
 * each value naming the steps it was read from; the ladders aligned by
 * sender and message with the reason of each message one version lacks. */
#include "config.h"

#include <string.h>

#include "tls-conductor.h"
#include "tls-trace-align.h"
#include "tls-trace-versus.h"
#include "test-util.h"

/* The index of the first step of ACTOR titled TITLE in connection 0. */
static int
find (const TlsTrace *t, TlsActor actor, const char *title)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (s->connection == 0 && s->actor == actor && s->kind == TLS_STEP_MESSAGE
          && g_strcmp0 (s->title, title) == 0)
        return (int) i;
    }
  g_error ("no %s %s", tls_actor_name (actor), title);
}

/* "Title [N]" of step I, as the summary names it. */
static char *
ref (const TlsTrace *t, int i)
{
  return g_strdup_printf ("%s [%d]", tls_trace_get (t, (guint) i)->title, i + 1);
}

static void
assert_has (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” does not hold “%s”", text, part);
}

static void
test_classic (void)
{
  TlsConductor *ca = tu_run_scenario ("classic"), *cb = tu_run_scenario ("tls13");
  const TlsTrace *a = tls_conductor_get_trace (ca), *b = tls_conductor_get_trace (cb);
  g_autoptr (TlsVersus) v = NULL;
  const TlsVersusLine *l;
  g_autofree char *ee = NULL, *cfin = NULL, *sfin = NULL, *cert_a = NULL, *cert_b = NULL;
  g_autofree char *cke = NULL, *sh = NULL;

  g_test_summary ("classic (TLS 1.2, RSA, CBC) against tls13: 2 round trips against 1, 4 flights "
                  "against 3; encryption from the Finished messages against from "
                  "EncryptedExtensions; the certificate in the clear against encrypted; RSA key "
                  "transport against x25519; CBC with HMAC against AES-GCM; the resumed "
                  "connection costs 1 round trip and no Certificate");
  v = tls_versus_new (a, 0, b, 0);
  g_assert_nonnull (v);
  g_assert_cmpstr (v->left_version, ==, "TLS 1.2");
  g_assert_cmpstr (v->right_version, ==, "TLS 1.3");
  g_assert_cmpuint (v->left_round_trips, ==, 2);
  g_assert_cmpuint (v->right_round_trips, ==, 1);
  g_assert_cmpuint (v->left_flights, ==, 4);
  g_assert_cmpuint (v->right_flights, ==, 3);
  g_assert_false (v->left_cert_encrypted);
  g_assert_true (v->right_cert_encrypted);
  g_assert_false (v->left_forward_secret);
  g_assert_true (v->right_forward_secret);
  g_assert_false (v->left_aead);
  g_assert_true (v->right_aead);

  /* each value names the steps of its run */
  ee = ref (b, find (b, TLS_ACTOR_SERVER, "EncryptedExtensions"));
  cfin = ref (b, find (b, TLS_ACTOR_CLIENT, "Finished"));
  sfin = ref (a, find (a, TLS_ACTOR_SERVER, "Finished"));
  l = tls_versus_line (v, "encrypted-from");
  assert_has (l->right, ee);
  assert_has (l->right, cfin);
  assert_has (l->left, sfin);
  cert_a = ref (a, find (a, TLS_ACTOR_SERVER, "Certificate"));
  cert_b = ref (b, find (b, TLS_ACTOR_SERVER, "Certificate"));
  l = tls_versus_line (v, "certificate");
  assert_has (l->left, cert_a);
  assert_has (l->left, "in flight 2, in the clear");
  assert_has (l->right, cert_b);
  assert_has (l->right, "in flight 2, encrypted");
  cke = ref (a, find (a, TLS_ACTOR_CLIENT, "ClientKeyExchange"));
  sh = ref (b, find (b, TLS_ACTOR_SERVER, "ServerHello"));
  l = tls_versus_line (v, "key-exchange");
  assert_has (l->left, "RSA key transport");
  assert_has (l->left, cke);
  assert_has (l->left, "no forward secrecy");
  assert_has (l->right, "x25519");
  assert_has (l->right, sh);
  assert_has (l->rfc, "RFC 8446, 1.2");
  l = tls_versus_line (v, "record-protection");
  assert_has (l->left, "AES-128-CBC with HMAC-SHA1");
  assert_has (l->right, "AES-128-GCM, an AEAD");
  l = tls_versus_line (v, "round-trips");
  assert_has (l->left, "2 round trips (4 flights)");
  assert_has (l->right, "1 round trip (3 flights)");
  l = tls_versus_line (v, "compression");
  assert_has (l->left, "null (0)");
  l = tls_versus_line (v, "renegotiation");
  assert_has (l->left, "renegotiation_info in ClientHello: yes");
  assert_has (l->right, "no renegotiation_info");
  assert_has (l->rfc, "RFC 8446, 4.1.2");
  l = tls_versus_line (v, "resumption");
  assert_has (l->left, "connection 2: 1 round trip (3 flights), no Certificate");
  assert_has (l->right, "no resumed connection");
  for (guint i = 0; i < v->lines->len; i++)
    {
      l = g_ptr_array_index (v->lines, i);
      g_assert_true (g_str_has_prefix (l->rfc, "RFC 8446, "));
      g_assert_nonnull (l->why);
    }

  /* the flights of each step */
  g_assert_cmpuint (tls_versus_flight (v, FALSE, find (a, TLS_ACTOR_CLIENT, "ClientHello")), ==, 1);
  g_assert_cmpuint (tls_versus_flight (v, FALSE, find (a, TLS_ACTOR_SERVER, "Finished")), ==, 4);
  g_assert_cmpuint (tls_versus_flight (v, TRUE, find (b, TLS_ACTOR_SERVER, "Finished")), ==, 2);
  g_assert_cmpuint (tls_versus_flight (v, TRUE, find (b, TLS_ACTOR_CLIENT, "Finished")), ==, 3);

  /* the other way round, the same measures mirrored */
  {
    g_autoptr (TlsVersus) w = tls_versus_new (b, -1, a, -1);
    g_assert_cmpuint (w->left_round_trips, ==, 1);
    g_assert_cmpuint (w->right_round_trips, ==, 2);
    g_assert_true (w->left_cert_encrypted);
    g_assert_false (w->right_cert_encrypted);
  }
  tls_conductor_free (ca);
  tls_conductor_free (cb);
}

/* Two runs of one version: no summary.  ECDHE in 1.2 has forward secrecy
 * and an AEAD too: what differs is measured, not assumed. */
static void
test_same_and_ecdhe (void)
{
  TlsConductor *ca = tu_run_scenario ("ecdhe-rsa"), *cb = tu_run_scenario ("tls13");
  TlsConductor *cc = tu_run_scenario ("full");
  const TlsTrace *a = tls_conductor_get_trace (ca), *b = tls_conductor_get_trace (cb);
  g_autoptr (TlsVersus) v = tls_versus_new (a, 0, b, 0);
  g_autoptr (TlsVersus) same = tls_versus_new (a, 0, tls_conductor_get_trace (cc), 0);
  g_autofree char *ske = ref (a, find (a, TLS_ACTOR_SERVER, "ServerKeyExchange"));

  g_test_summary ("ecdhe-rsa against tls13: both forward secret (ServerKeyExchange named), "
                  "still 2 round trips against 1; two TLS 1.2 runs: no summary");
  g_assert_null (same);
  g_assert_nonnull (v);
  g_assert_true (v->left_forward_secret);
  g_assert_true (v->right_forward_secret);
  g_assert_cmpuint (v->left_round_trips, ==, 2);
  g_assert_cmpuint (v->right_round_trips, ==, 1);
  assert_has (tls_versus_line (v, "key-exchange")->left, ske);
  assert_has (tls_versus_line (v, "key-exchange")->left, "; forward secrecy");
  tls_conductor_free (ca);
  tls_conductor_free (cb);
  tls_conductor_free (cc);
}

static int
row_of (const TlsAlignment *al, const TlsTrace *t, gboolean right, TlsActor actor,
        const char *title)
{
  for (guint i = 0; i < al->rows->len; i++)
    {
      const TlsAlignRow *r = tls_alignment_row (al, i);
      int s = right ? r->right : r->left;
      if (s >= 0 && tls_trace_get (t, (guint) s)->actor == actor
          && g_strcmp0 (tls_trace_get (t, (guint) s)->title, title) == 0)
        return (int) i;
    }
  g_error ("no row for %s %s", tls_actor_name (actor), title);
}

static void
test_ladders (void)
{
  TlsConductor *ca = tu_run_scenario ("full"), *cb = tu_run_scenario ("tls13");
  const TlsTrace *a = tls_conductor_get_trace (ca), *b = tls_conductor_get_trace (cb);
  g_autoptr (TlsVersus) v = tls_versus_new (a, 0, b, 0);
  g_autoptr (TlsAlignment) al = tls_trace_align_ladders (a, 0, b, 0);
  struct { TlsActor actor; const char *title; } pairs[] = {
    { TLS_ACTOR_CLIENT, "ClientHello" }, { TLS_ACTOR_SERVER, "ServerHello" },
    { TLS_ACTOR_SERVER, "Certificate" }, { TLS_ACTOR_CLIENT, "Finished" },
    { TLS_ACTOR_CLIENT, "Application Data" },
  };
  const char *rfc = NULL;
  const char *note;
  int cke, cv, shd, ee, fin;

  g_test_summary ("full against tls13, the ladders: ClientHello, ServerHello, Certificate, the "
                  "client's Finished and application data in the same rows; only messages; "
                  "ClientKeyExchange and ServerHelloDone of 1.2 only, with their reasons; the 1.3 "
                  "server's first flight before the 1.2 client's");
  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      int r = row_of (al, a, FALSE, pairs[i].actor, pairs[i].title);
      g_assert_cmpint (r, ==, row_of (al, b, TRUE, pairs[i].actor, pairs[i].title));
      g_assert_cmpint (tls_alignment_row (al, (guint) r)->kind, ==, TLS_ALIGN_BOTH);
    }
  for (guint i = 0; i < al->rows->len; i++)
    {
      const TlsAlignRow *r = tls_alignment_row (al, i);
      const TlsStep *s = r->left >= 0 ? tls_trace_get (a, (guint) r->left)
                                      : tls_trace_get (b, (guint) r->right);
      g_assert_true (tls_step_kind_travels (s->kind));
    }
  cke = row_of (al, a, FALSE, TLS_ACTOR_CLIENT, "ClientKeyExchange");
  g_assert_cmpint (tls_alignment_row (al, (guint) cke)->kind, ==, TLS_ALIGN_LEFT_ONLY);
  note = tls_versus_row_note (v, a, b, tls_alignment_row (al, (guint) cke), &rfc);
  assert_has (note, "key_share");
  assert_has (rfc, "RFC 8446, 4.2.8");
  shd = row_of (al, a, FALSE, TLS_ACTOR_SERVER, "ServerHelloDone");
  note = tls_versus_row_note (v, a, b, tls_alignment_row (al, (guint) shd), &rfc);
  assert_has (note, "no ServerHelloDone");
  ee = row_of (al, b, TRUE, TLS_ACTOR_SERVER, "EncryptedExtensions");
  note = tls_versus_row_note (v, a, b, tls_alignment_row (al, (guint) ee), &rfc);
  assert_has (rfc, "RFC 8446, 4.3.1");
  /* a row of both with nothing to say: the client's Finished */
  fin = row_of (al, a, FALSE, TLS_ACTOR_CLIENT, "Finished");
  g_assert_null (tls_versus_row_note (v, a, b, tls_alignment_row (al, (guint) fin), NULL));
  /* the 1.2 server's Finished, after the client's in a full handshake */
  note = tls_versus_row_note (v, a, b,
                              tls_alignment_row (al, (guint) row_of (al, a, FALSE, TLS_ACTOR_SERVER,
                                                                    "Finished")), &rfc);
  assert_has (note, "after the client's");
  cv = row_of (al, b, TRUE, TLS_ACTOR_SERVER, "CertificateVerify");
  g_assert_cmpint (cv, <, cke);
  g_assert_cmpint (row_of (al, b, TRUE, TLS_ACTOR_SERVER, "Finished"), <, cke);
  tls_conductor_free (ca);
  tls_conductor_free (cb);
}

/* A resumed TLS 1.2 handshake (classic's second connection): its server
 * sends Finished first, so the note "after the client's" is not shown. */
static void
test_resumed (void)
{
  TlsConductor *ca = tu_run_scenario ("classic"), *cb = tu_run_scenario ("tls13");
  const TlsTrace *a = tls_conductor_get_trace (ca), *b = tls_conductor_get_trace (cb);
  g_autoptr (TlsVersus) v = tls_versus_new (a, 1, b, 0);
  g_autoptr (TlsAlignment) al = tls_trace_align_ladders (a, 1, b, 0);
  gboolean seen = FALSE;

  g_test_summary ("classic#2 (resumed) against tls13: no 'after the client's' note on the 1.2 "
                  "server's Finished, which comes first there");
  for (guint i = 0; i < al->rows->len; i++)
    {
      const TlsAlignRow *r = tls_alignment_row (al, i);
      const TlsStep *s = r->left >= 0 ? tls_trace_get (a, (guint) r->left) : NULL;
      const char *note;

      if (s == NULL || s->actor != TLS_ACTOR_SERVER || g_strcmp0 (s->title, "Finished") != 0)
        continue;
      seen = TRUE;
      note = tls_versus_row_note (v, a, b, r, NULL);
      g_assert_true (note == NULL || strstr (note, "after the client's") == NULL);
    }
  g_assert_true (seen);
  tls_conductor_free (ca);
  tls_conductor_free (cb);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace-versus/classic-tls13", test_classic);
  g_test_add_func ("/trace-versus/ecdhe-and-same", test_same_and_ecdhe);
  g_test_add_func ("/trace-versus/ladders", test_ladders);
  g_test_add_func ("/trace-versus/resumed", test_resumed);
  return g_test_run ();
}
