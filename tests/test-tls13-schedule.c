/* test-tls13-schedule.c — the TLS 1.3 key schedule against RFC 8448.
 *
 * From the inputs RFC 8448 section 3 ("Simple 1-RTT Handshake") gives —
 * the two X25519 private keys and the handshake messages — every secret,
 * every HkdfLabel, every traffic key and IV and both Finished values are
 * computed and compared byte for byte with the RFC's
 * (tests/data/rfc8448/section3.txt).  From section 4 ("Resumed 0-RTT
 * Handshake", section4.txt): the PSK of section 3's ticket gives the Early
 * Secret, the binder key and the PSK binder of the resumed ClientHello.
 * HKDF itself is checked with RFC 5869's test case 1. */
#include <nettle/curve25519.h>
#include <string.h>

#include "rfc8448.h"
#include "test-util.h"
#include "tls-prf.h"
#include "tls-trace.h"
#include "tls13-key-schedule.h"
#include "tls13-extensions.h"
#include "tls13-record.h"
#include "tls-handshake.h"
#include "tls-msg-client-hello.h"

#define S3 "section3.txt"

#define assert_bytes(data, len, expected)                                  \
  g_assert_cmpmem ((data), (len), g_bytes_get_data ((expected), NULL),     \
                   g_bytes_get_size ((expected)))

static Rfc8448 *rfc;
static Rfc8448 *rfc4;

/* ------------------------------------------------------------------ */

static void
test_hkdf_rfc5869 (void)
{
  /* RFC 5869, A.1: Test Case 1 (SHA-256). */
  g_autoptr (GBytes) ikm = tu_hex ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  g_autoptr (GBytes) salt = tu_hex ("000102030405060708090a0b0c");
  g_autoptr (GBytes) info = tu_hex ("f0f1f2f3f4f5f6f7f8f9");
  g_autoptr (GBytes) prk_want = tu_hex ("077709362c2e32df0ddc3f0dc47bba63"
                                        "90b6c73bb50f9c3122ec844ad7c2b3e5");
  g_autoptr (GBytes) okm_want = tu_hex ("3cb25f25faacd57a90434f64d0362f2a"
                                        "2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                                        "34007208d5b887185865");
  guint8 prk[32], okm[42];

  g_test_summary ("HKDF-Extract and HKDF-Expand give RFC 5869's test case 1");
  tls13_hkdf_extract (TLS_PRF_SHA256, TU_DATA (salt), TU_SIZE (salt),
                      TU_DATA (ikm), TU_SIZE (ikm), prk);
  assert_bytes (prk, sizeof prk, prk_want);
  tls13_hkdf_expand (TLS_PRF_SHA256, prk, sizeof prk, TU_DATA (info), TU_SIZE (info),
                     okm, sizeof okm);
  assert_bytes (okm, sizeof okm, okm_want);
}

static void
test_x25519_shared (void)
{
  GBytes *c_priv = rfc8448_get (rfc, "{client}  create an ephemeral x25519", "private key");
  GBytes *c_pub = rfc8448_get (rfc, "{client}  create an ephemeral x25519", "public key");
  GBytes *s_priv = rfc8448_get (rfc, "{server}  create an ephemeral x25519", "private key");
  GBytes *s_pub = rfc8448_get (rfc, "{server}  create an ephemeral x25519", "public key");
  GBytes *ikm = rfc8448_get (rfc, "{server}  extract secret \"handshake\"", "IKM");
  guint8 pub[32], shared1[32], shared2[32];

  g_test_summary ("The RFC's X25519 keys give its (EC)DHE shared secret, both ways");
  curve25519_mul_g (pub, TU_DATA (c_priv));
  assert_bytes (pub, 32, c_pub);
  curve25519_mul_g (pub, TU_DATA (s_priv));
  assert_bytes (pub, 32, s_pub);
  curve25519_mul (shared1, TU_DATA (c_priv), TU_DATA (s_pub));
  curve25519_mul (shared2, TU_DATA (s_priv), TU_DATA (c_pub));
  assert_bytes (shared1, 32, ikm);
  assert_bytes (shared2, 32, ikm);
}

static void
test_hkdf_labels (void)
{
  static const struct { const char *step, *label; gboolean empty_hash; } cases[] = {
    { "{server}  derive secret for handshake \"tls13 derived\"", "derived", TRUE },
    { "{server}  derive secret \"tls13 c hs traffic\"", "c hs traffic", FALSE },
    { "{server}  derive secret \"tls13 s hs traffic\"", "s hs traffic", FALSE },
    { "{server}  derive secret \"tls13 c ap traffic\"", "c ap traffic", FALSE },
    { "{server}  derive secret \"tls13 exp master\"", "exp master", FALSE },
    { "{client}  derive secret \"tls13 res master\"", "res master", FALSE },
  };
  guint8 info[TLS13_MAX_HKDF_LABEL];
  gsize n;

  g_test_summary ("HkdfLabel is the RFC's \"info\" for each Derive-Secret, key, iv and finished");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GBytes *hash = rfc8448_get (rfc, cases[i].step, "hash");

      n = tls13_hkdf_label (cases[i].label, TU_DATA (hash), TU_SIZE (hash), 32, info);
      assert_bytes (info, n, rfc8448_get (rfc, cases[i].step, "info"));
    }
  n = tls13_hkdf_label ("key", NULL, 0, 16, info);
  assert_bytes (info, n, rfc8448_get (rfc, "{server}  derive write traffic keys for handshake",
                                      "key info"));
  n = tls13_hkdf_label ("iv", NULL, 0, 12, info);
  assert_bytes (info, n, rfc8448_get (rfc, "{server}  derive write traffic keys for handshake",
                                      "iv info"));
  n = tls13_hkdf_label ("finished", NULL, 0, 32, info);
  assert_bytes (info, n, rfc8448_get (rfc, "{server}  calculate finished", "info"));
  n = tls13_hkdf_label ("resumption", (const guint8 *) "\0\0", 2, 32, info);
  assert_bytes (info, n, rfc8448_get (rfc, "{server}  generate resumption secret", "info"));
}

/* The output NAME of the derivation step titled TITLE. */
static GBytes *
step_output (TlsTrace *trace, const char *title, const char *name)
{
  int i = tls_trace_find (trace, TLS_STEP_DERIVATION, title);
  TlsTraceValue *v;

  g_assert_cmpint (i, >=, 0);
  v = tls_step_find_output (tls_trace_get (trace, i), name);
  g_assert_nonnull (v);
  g_assert_nonnull (v->bytes);
  return v->bytes;
}

static void
check_keys (const Tls13TrafficKeys *k, const char *step)
{
  assert_bytes (k->key, k->key_len, rfc8448_get (rfc, step, "key expanded"));
  assert_bytes (k->iv, TLS13_IV_LEN, rfc8448_get (rfc, step, "iv expanded"));
}

static void
test_key_schedule (void)
{
  GBytes *ch = rfc8448_get (rfc, "{client}  construct a ClientHello", "ClientHello");
  GBytes *sh = rfc8448_get (rfc, "{server}  construct a ServerHello", "ServerHello");
  GBytes *ee = rfc8448_get (rfc, "{server}  construct an EncryptedExtensions", "EncryptedExtensions");
  GBytes *cert = rfc8448_get (rfc, "{server}  construct a Certificate", "Certificate");
  GBytes *cv = rfc8448_get (rfc, "{server}  construct a CertificateVerify", "CertificateVerify");
  GBytes *sfin = rfc8448_get (rfc, "{server}  construct a Finished", "Finished");
  GBytes *cfin = rfc8448_get (rfc, "{client}  construct a Finished", "Finished");
  GBytes *c_priv = rfc8448_get (rfc, "{client}  create an ephemeral x25519", "private key");
  GBytes *s_pub = rfc8448_get (rfc, "{server}  create an ephemeral x25519", "public key");
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (TlsTranscript) tr = tls_transcript_new ();
  Tls13KeySchedule ks;
  Tls13TrafficKeys keys;
  guint8 shared[32], th_hello[48], th_server[48], th_sfin[48], th_cfin[48];
  guint8 finished_key[48], verify_data[48], psk[48];
  Tls13Context ctx;
  int th_step, fin_step;
  TlsStep *step;
  TlsTraceValue *v;

  g_test_summary ("Every secret, key, IV and Finished value of RFC 8448 section 3, from its "
                  "inputs, and each is a derivation step of the trace");
  curve25519_mul (shared, TU_DATA (c_priv), TU_DATA (s_pub));
  tls13_key_schedule_init (&ks, trace, TLS_ACTOR_SERVER, TLS_PRF_SHA256);

  tls13_derive_early_secret (&ks, NULL, 0, -1);
  assert_bytes (ks.early_secret, 32, rfc8448_get (rfc, "{server}  extract secret \"early\"", "secret"));
  g_assert_cmpint (ks.early_step, ==, tls_trace_find (trace, TLS_STEP_DERIVATION,
                                                      TLS13_STEP_TITLE_EARLY_SECRET));

  tls13_derive_handshake_secret (&ks, shared, sizeof shared, -1);
  assert_bytes (TU_DATA (step_output (trace, TLS13_STEP_TITLE_DERIVED_HS, TLS13_STEP_TITLE_DERIVED_HS)),
                32, rfc8448_get (rfc, "{server}  derive secret for handshake \"tls13 derived\"", "expanded"));
  assert_bytes (ks.handshake_secret, 32, rfc8448_get (rfc, "{server}  extract secret \"handshake\"", "secret"));
  /* The salt of the Handshake Secret's extract is the "derived" step's output. */
  step = tls_trace_get (trace, ks.handshake_step);
  v = tls_step_find_value (step, "salt");
  g_assert_cmpint (v->from_step, ==, tls_trace_find (trace, TLS_STEP_DERIVATION, TLS13_STEP_TITLE_DERIVED_HS));

  /* Transcript-Hash(ClientHello...ServerHello) */
  tls_transcript_append (tr, TU_DATA (ch), TU_SIZE (ch));
  tls_transcript_append (tr, TU_DATA (sh), TU_SIZE (sh));
  th_step = tls13_transcript_hash (trace, TLS_ACTOR_SERVER, TLS_PRF_SHA256, tr,
                                   "ClientHello...ServerHello", th_hello);
  assert_bytes (th_hello, 32, rfc8448_get (rfc, "{server}  derive secret \"tls13 c hs traffic\"", "hash"));
  ctx = (Tls13Context) { th_hello, th_step, "ClientHello...ServerHello" };
  tls13_derive_handshake_traffic (&ks, &ctx);
  assert_bytes (ks.client_handshake_traffic_secret, 32,
                rfc8448_get (rfc, "{server}  derive secret \"tls13 c hs traffic\"", "expanded"));
  assert_bytes (ks.server_handshake_traffic_secret, 32,
                rfc8448_get (rfc, "{server}  derive secret \"tls13 s hs traffic\"", "expanded"));
  /* The step names its context: the transcript hash, from the step that
   * computed it, and its HkdfLabel is the RFC's info. */
  step = tls_trace_get (trace, ks.c_hs_traffic_step);
  v = tls_step_find_value (step, "Transcript-Hash(ClientHello...ServerHello)");
  g_assert_nonnull (v);
  g_assert_cmpint (v->from_step, ==, th_step);
  v = tls_step_find_value (step, "Handshake Secret");
  g_assert_cmpint (v->from_step, ==, ks.handshake_step);
  v = tls_step_find_value (step, "HkdfLabel");
  g_assert_true (g_bytes_equal (v->bytes, rfc8448_get (rfc, "{server}  derive secret \"tls13 c hs traffic\"", "info")));
  g_assert_cmpstr (step->rfc, ==, "RFC 8446, 7.1");

  tls13_derive_master_secret (&ks);
  assert_bytes (TU_DATA (step_output (trace, TLS13_STEP_TITLE_DERIVED_MASTER, TLS13_STEP_TITLE_DERIVED_MASTER)),
                32, rfc8448_get (rfc, "{server}  derive secret for master \"tls13 derived\"", "expanded"));
  assert_bytes (ks.master_secret, 32, rfc8448_get (rfc, "{server}  extract secret \"master\"", "secret"));

  /* Handshake traffic keys, both directions. */
  tls13_derive_traffic_keys (trace, TLS_ACTOR_SERVER, TLS_PRF_SHA256, TLS_CIPHER_AES_128_GCM,
                             ks.server_handshake_traffic_secret, "server_handshake_traffic_secret",
                             ks.s_hs_traffic_step, &keys);
  check_keys (&keys, "{server}  derive write traffic keys for handshake");
  tls13_derive_traffic_keys (trace, TLS_ACTOR_SERVER, TLS_PRF_SHA256, TLS_CIPHER_AES_128_GCM,
                             ks.client_handshake_traffic_secret, "client_handshake_traffic_secret",
                             ks.c_hs_traffic_step, &keys);
  check_keys (&keys, "{server}  derive read traffic keys for handshake");

  /* The server's Finished, over ClientHello...CertificateVerify. */
  tls_transcript_append (tr, TU_DATA (ee), TU_SIZE (ee));
  tls_transcript_append (tr, TU_DATA (cert), TU_SIZE (cert));
  tls_transcript_append (tr, TU_DATA (cv), TU_SIZE (cv));
  th_step = tls13_transcript_hash (trace, TLS_ACTOR_SERVER, TLS_PRF_SHA256, tr,
                                   "ClientHello...CertificateVerify", th_server);
  ctx = (Tls13Context) { th_server, th_step, "ClientHello...CertificateVerify" };
  fin_step = tls13_compute_finished (trace, TLS_ACTOR_SERVER, TLS_PRF_SHA256, FALSE,
                                     ks.server_handshake_traffic_secret, ks.s_hs_traffic_step,
                                     &ctx, finished_key, verify_data);
  assert_bytes (finished_key, 32, rfc8448_get (rfc, "{server}  calculate finished", "expanded"));
  assert_bytes (verify_data, 32, rfc8448_get (rfc, "{server}  calculate finished", "finished"));
  g_assert_cmpmem (verify_data, 32, TU_DATA (sfin) + 4, TU_SIZE (sfin) - 4);
  g_assert_cmpstr (tls_trace_get (trace, fin_step)->rfc, ==, "RFC 8446, 4.4.4");

  /* Application secrets over ClientHello...server Finished. */
  tls_transcript_append (tr, TU_DATA (sfin), TU_SIZE (sfin));
  th_step = tls13_transcript_hash (trace, TLS_ACTOR_SERVER, TLS_PRF_SHA256, tr,
                                   "ClientHello...server Finished", th_sfin);
  assert_bytes (th_sfin, 32, rfc8448_get (rfc, "{server}  derive secret \"tls13 c ap traffic\"", "hash"));
  ctx = (Tls13Context) { th_sfin, th_step, "ClientHello...server Finished" };
  tls13_derive_application_traffic (&ks, &ctx);
  assert_bytes (ks.client_application_traffic_secret, 32,
                rfc8448_get (rfc, "{server}  derive secret \"tls13 c ap traffic\"", "expanded"));
  assert_bytes (ks.server_application_traffic_secret, 32,
                rfc8448_get (rfc, "{server}  derive secret \"tls13 s ap traffic\"", "expanded"));
  assert_bytes (ks.exporter_master_secret, 32,
                rfc8448_get (rfc, "{server}  derive secret \"tls13 exp master\"", "expanded"));
  tls13_derive_traffic_keys (trace, TLS_ACTOR_SERVER, TLS_PRF_SHA256, TLS_CIPHER_AES_128_GCM,
                             ks.server_application_traffic_secret,
                             "server_application_traffic_secret_0", ks.s_ap_traffic_step, &keys);
  check_keys (&keys, "{server}  derive write traffic keys for application");
  tls13_derive_traffic_keys (trace, TLS_ACTOR_CLIENT, TLS_PRF_SHA256, TLS_CIPHER_AES_128_GCM,
                             ks.client_application_traffic_secret,
                             "client_application_traffic_secret_0", ks.c_ap_traffic_step, &keys);
  check_keys (&keys, "{client}  derive write traffic keys for application");

  /* The client's Finished over ClientHello...server Finished. */
  tls13_compute_finished (trace, TLS_ACTOR_CLIENT, TLS_PRF_SHA256, TRUE,
                          ks.client_handshake_traffic_secret, ks.c_hs_traffic_step,
                          &ctx, finished_key, verify_data);
  assert_bytes (finished_key, 32, rfc8448_get (rfc, "{client}  calculate finished", "expanded"));
  assert_bytes (verify_data, 32, rfc8448_get (rfc, "{client}  calculate finished", "finished"));
  g_assert_cmpmem (verify_data, 32, TU_DATA (cfin) + 4, TU_SIZE (cfin) - 4);

  /* The resumption master secret over ClientHello...client Finished, and
   * the PSK of the ticket whose nonce is 00 00. */
  tls_transcript_append (tr, TU_DATA (cfin), TU_SIZE (cfin));
  th_step = tls13_transcript_hash (trace, TLS_ACTOR_SERVER, TLS_PRF_SHA256, tr,
                                   "ClientHello...client Finished", th_cfin);
  assert_bytes (th_cfin, 32, rfc8448_get (rfc, "{client}  derive secret \"tls13 res master\"", "hash"));
  ctx = (Tls13Context) { th_cfin, th_step, "ClientHello...client Finished" };
  tls13_derive_resumption_master (&ks, &ctx);
  assert_bytes (ks.resumption_master_secret, 32,
                rfc8448_get (rfc, "{client}  derive secret \"tls13 res master\"", "expanded"));
  tls13_derive_resumption_psk (trace, TLS_ACTOR_SERVER, TLS_PRF_SHA256,
                               ks.resumption_master_secret, ks.res_master_step,
                               (const guint8 *) "\0\0", 2, -1, psk);
  assert_bytes (psk, 32, rfc8448_get (rfc, "{server}  generate resumption secret", "expanded"));

  /* Every step is a derivation with an explanation citing RFC 8446, and
   * every value that names a step names an earlier one. */
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      step = tls_trace_get (trace, i);
      g_assert_cmpint (step->kind, ==, TLS_STEP_DERIVATION);
      g_assert_true (g_str_has_prefix (step->rfc, "RFC 8446, "));
      g_assert_nonnull (step->explanation);
      g_assert_nonnull (step->formula);
      for (guint j = 0; j < step->inputs->len; j++)
        {
          v = g_ptr_array_index (step->inputs, j);
          g_assert_cmpint (v->from_step, <, (int) i);
        }
    }
  tls13_key_schedule_clear (&ks);
  g_assert_cmpint (ks.master_step, ==, -1);
  g_assert_cmpuint (ks.master_secret[0] | ks.master_secret[31], ==, 0);
}

static void
test_record_nonce (void)
{
  GBytes *iv = rfc8448_get (rfc, "{server}  derive write traffic keys for application", "iv expanded");
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  guint8 nonce[TLS13_IV_LEN], want[TLS13_IV_LEN];
  int s;

  g_test_summary ("The per-record nonce is the write IV XOR the left-padded sequence number");
  tls13_record_nonce (TU_DATA (iv), 0, nonce);
  assert_bytes (nonce, TLS13_IV_LEN, iv);

  memcpy (want, TU_DATA (iv), TLS13_IV_LEN);
  want[11] ^= 0x02;
  want[10] ^= 0x01;
  want[4] ^= 0x80;
  s = tls13_record_nonce_step (trace, TLS_ACTOR_SERVER, TU_DATA (iv), -1,
                               G_GUINT64_CONSTANT (0x8000000000000102), nonce);
  g_assert_cmpmem (nonce, TLS13_IV_LEN, want, TLS13_IV_LEN);
  g_assert_cmpint (s, ==, 0);
  g_assert_cmpstr (tls_trace_get (trace, 0)->rfc, ==, "RFC 8446, 5.3");
  /* The first four bytes of the IV are never touched. */
  g_assert_cmpmem (nonce, 4, TU_DATA (iv), 4);
}

static void
test_resumption_binder (void)
{
  GBytes *psk = rfc8448_get (rfc4, "{client}  extract secret \"early\"", "IKM");
  GBytes *prefix = rfc8448_get (rfc4, "{client}  calculate PSK binder", "ClientHello prefix");
  GBytes *ch = rfc8448_get (rfc4, "{client}  send handshake record", "payload");
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (TlsTranscript) tr = tls_transcript_new ();
  Tls13KeySchedule ks;
  Tls13OfferedPsks psks;
  TlsClientHello m;
  TlsReader r, body;
  guint8 th[48], binder[48], type;
  guint32 len;
  gsize truncated = 0;
  Tls13Context ctx;
  int th_step, binder_step;

  g_test_summary ("RFC 8448 section 4: section 3's resumption PSK gives the Early Secret, the "
                  "binder key (\"res binder\") and the PSK binder over Truncate(ClientHello), "
                  "which is the binder the resumed ClientHello carries");
  /* The PSK is the one section 3's ticket stands for. */
  g_assert_true (g_bytes_equal (psk, rfc8448_get (rfc, "{server}  generate resumption secret",
                                                  "expanded")));
  tls13_key_schedule_init (&ks, trace, TLS_ACTOR_CLIENT, TLS_PRF_SHA256);
  tls13_derive_early_secret (&ks, TU_DATA (psk), TU_SIZE (psk), -1);
  assert_bytes (ks.early_secret, 32, rfc8448_get (rfc4, "{client}  extract secret \"early\"", "secret"));
  tls13_derive_binder_key (&ks, TRUE);
  assert_bytes (ks.binder_key, 32, rfc8448_get (rfc4, "{client}  calculate PSK binder", "PRK"));

  /* Truncate(ClientHello): everything up to the binders list. */
  g_assert_true (tls13_client_hello_truncated_len (TU_DATA (ch), TU_SIZE (ch), &truncated));
  g_assert_cmpuint (truncated, ==, TU_SIZE (prefix));
  g_assert_cmpmem (TU_DATA (ch), truncated, TU_DATA (prefix), TU_SIZE (prefix));
  tls_transcript_append (tr, TU_DATA (ch), truncated);
  th_step = tls13_transcript_hash (trace, TLS_ACTOR_CLIENT, TLS_PRF_SHA256, tr,
                                   "Truncate(ClientHello)", th);
  assert_bytes (th, 32, rfc8448_get (rfc4, "{client}  calculate PSK binder", "binder hash"));
  ctx = (Tls13Context) { th, th_step, "Truncate(ClientHello)" };
  binder_step = tls13_compute_binder (&ks, &ctx, binder);
  assert_bytes (binder, 32, rfc8448_get (rfc4, "{client}  calculate PSK binder", "finished"));
  assert_bytes (TU_DATA (step_output (trace, TLS13_STEP_TITLE_PSK_BINDER, "finished_key")), 32,
                rfc8448_get (rfc4, "{client}  calculate PSK binder", "expanded"));
  g_assert_cmpstr (tls_trace_get (trace, binder_step)->rfc, ==, "RFC 8446, 4.2.11.2");

  /* The ClientHello's pre_shared_key: the ticket of section 3's
   * NewSessionTicket, and our binder. */
  tls_reader_init (&r, TU_DATA (ch), TU_SIZE (ch), NULL);
  g_assert_cmpint (tls_handshake_parse_header (&r, &type, &len, &body), ==, 0);
  g_assert_cmpint (tls_client_hello_parse (&body, &m), ==, 0);
  g_assert_true (tls13_extensions_get_offered_psks (&m.extensions, &psks));
  g_assert_cmpuint (psks.identities->len, ==, 1);
  g_assert_cmpmem (g_bytes_get_data (g_array_index (psks.identities, Tls13PskIdentity, 0).identity, NULL),
                   0xb2, TU_DATA (rfc8448_get (rfc, "{server}  construct a NewSessionTicket",
                                               "NewSessionTicket")) + 4 + 4 + 4 + 3 + 2, 0xb2);
  g_assert_cmpmem (g_bytes_get_data (g_ptr_array_index (psks.binders, 0), NULL), 32, binder, 32);
  tls13_offered_psks_clear (&psks);
  tls_client_hello_clear (&m);
}

static void
check4_keys (const Tls13TrafficKeys *k)
{
  const char *step = "{client}  derive write traffic keys for early application data";

  assert_bytes (k->key, k->key_len, rfc8448_get (rfc4, step, "key expanded"));
  assert_bytes (k->iv, TLS13_IV_LEN, rfc8448_get (rfc4, step, "iv expanded"));
}

static void
test_early_traffic (void)
{
  GBytes *psk = rfc8448_get (rfc4, "{client}  extract secret \"early\"", "IKM");
  GBytes *ch = rfc8448_get (rfc4, "{client}  send handshake record", "payload");
  GBytes *payload = rfc8448_get (rfc4, "{client}  send application_data record", "payload");
  GBytes *record = rfc8448_get (rfc4, "{client}  send application_data record", "complete record");
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (TlsTranscript) tr = tls_transcript_new ();
  g_autoptr (Tls13Protection) prot = NULL;
  g_autoptr (GByteArray) out = g_byte_array_new ();
  Tls13KeySchedule ks;
  Tls13TrafficKeys keys;
  Tls13Context ctx;
  guint8 th[48];
  int th_step;

  g_test_summary ("RFC 8448 section 4: the 0-RTT secrets over the whole resumed ClientHello "
                  "(client_early_traffic_secret, early_exporter_master_secret), the early "
                  "traffic key and IV, and the 0-RTT application data record they protect");
  tls13_key_schedule_init (&ks, trace, TLS_ACTOR_CLIENT, TLS_PRF_SHA256);
  tls13_derive_early_secret (&ks, TU_DATA (psk), TU_SIZE (psk), -1);
  tls_transcript_append (tr, TU_DATA (ch), TU_SIZE (ch));
  th_step = tls13_transcript_hash (trace, TLS_ACTOR_CLIENT, TLS_PRF_SHA256, tr, "ClientHello", th);
  assert_bytes (th, 32, rfc8448_get (rfc4, "{client}  derive secret \"tls13 c e traffic\"", "hash"));
  ctx = (Tls13Context) { th, th_step, "ClientHello" };
  tls13_derive_early_traffic (&ks, &ctx);
  assert_bytes (ks.client_early_traffic_secret, 32,
                rfc8448_get (rfc4, "{client}  derive secret \"tls13 c e traffic\"", "expanded"));
  assert_bytes (ks.early_exporter_master_secret, 32,
                rfc8448_get (rfc4, "{client}  derive secret \"tls13 e exp master\"", "expanded"));
  g_assert_true (g_bytes_equal (tls_step_find_value (tls_trace_get (trace, ks.c_e_traffic_step),
                                                     "HkdfLabel")->bytes,
                                rfc8448_get (rfc4, "{client}  derive secret \"tls13 c e traffic\"", "info")));
  tls13_derive_traffic_keys (trace, TLS_ACTOR_CLIENT, TLS_PRF_SHA256, TLS_CIPHER_AES_128_GCM,
                             ks.client_early_traffic_secret, "client_early_traffic_secret",
                             ks.c_e_traffic_step, &keys);
  check4_keys (&keys);

  /* The 0-RTT record: "ABCDEF" under the early traffic keys, sequence 0. */
  prot = tls13_protection_new_from_keys (TLS_CIPHER_AES_128_GCM, &keys);
  tls13_record_seal (prot, 23, TU_DATA (payload), TU_SIZE (payload), 0, out, NULL);
  g_assert_cmpmem (out->data, out->len, TU_DATA (record), TU_SIZE (record));
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  rfc = rfc8448_load (S3);
  rfc4 = rfc8448_load ("section4.txt");
  g_test_add_func ("/tls13/hkdf/rfc5869", test_hkdf_rfc5869);
  g_test_add_func ("/tls13/rfc8448/x25519", test_x25519_shared);
  g_test_add_func ("/tls13/rfc8448/hkdf-labels", test_hkdf_labels);
  g_test_add_func ("/tls13/rfc8448/key-schedule", test_key_schedule);
  g_test_add_func ("/tls13/record-nonce", test_record_nonce);
  g_test_add_func ("/tls13/rfc8448/resumption-binder", test_resumption_binder);
  g_test_add_func ("/tls13/rfc8448/early-traffic", test_early_traffic);
  ret = g_test_run ();
  rfc8448_free (rfc);
  rfc8448_free (rfc4);
  return ret;
}
