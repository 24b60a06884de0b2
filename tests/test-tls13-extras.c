/* test-tls13-extras.c — TLS 1.3 beyond the full handshake (issue 16): the
 * KeyUpdate of RFC 8446, 4.6.3 in our engine, its next traffic secret
 * (7.2) and keys (7.3) checked against an HKDF computed here with Nettle,
 * the records after it opened here with those keys, and its alerts; the
 * RFC 7919 finite-field groups as TLS 1.3 key shares (4.2.8.1, 7.4.1); an
 * Ed25519 CertificateVerify (4.2.3, 4.4.3; RFC 8032, RFC 8410). */
#include "test-util.h"
#include "tls-alert.h"
#include "tls-bytes.h"
#include "tls-types.h"
#include "tls13-key-schedule.h"
#include "tls13-msg-key-update.h"
#include "tls13-share.h"
#include "tls-kx-dh.h"
#include "tls-rng.h"
#include "tls-keys.h"
#include "tls-sig.h"
#include "tls-pem.h"

#include <nettle/eddsa.h>
#include <nettle/gcm.h>
#include <nettle/hkdf.h>
#include <nettle/hmac.h>
#include <string.h>

static const char *request = "GET / HTTP/1.0\r\n\r\n";

static GBytes *
output (TlsTrace *t, TlsActor actor, const char *title, const char *name)
{
  return tu_output (tu_step (t, -1, TLS_STEP_DERIVATION, actor, title), name);
}

/* HKDF-Expand-Label(SECRET, LABEL, "", LEN) with SHA-256 (RFC 8446, 7.1),
 * the HkdfLabel written out here byte by byte. */
static void
expand_label (const guint8 secret[32], const char *label, gsize len, guint8 *out)
{
  struct hmac_sha256_ctx ctx;
  guint8 info[64];
  gsize n = 0, l = strlen ("tls13 ") + strlen (label);

  info[n++] = (guint8) (len >> 8);
  info[n++] = (guint8) len;
  info[n++] = (guint8) l;
  memcpy (info + n, "tls13 ", 6);
  memcpy (info + n + 6, label, strlen (label));
  n += l;
  info[n++] = 0;   /* the empty context */
  hmac_sha256_set_key (&ctx, 32, secret);
  hkdf_expand (&ctx, (nettle_hash_update_func *) hmac_sha256_update,
               (nettle_hash_digest_func *) hmac_sha256_digest, SHA256_DIGEST_SIZE,
               n, info, len, out);
}

/* Opens the first TLSCiphertext of WIRE with AES-128-GCM under KEY and
 * IV, sequence number 0 (RFC 8446, 5.2, 5.3); the content without its
 * inner type, or NULL when the tag does not match. */
static GBytes *
open_record (GBytes *wire, const guint8 key[16], const guint8 iv[12])
{
  const guint8 *w = g_bytes_get_data (wire, NULL);
  gsize len = (gsize) w[3] << 8 | w[4];
  struct gcm_aes128_ctx ctx;
  guint8 tag[16];
  g_autofree guint8 *plain = NULL;

  g_assert_cmpuint (g_bytes_get_size (wire), >=, 5 + len);
  g_assert_cmpuint (len, >, 17);
  plain = g_malloc (len - 16);
  gcm_aes128_set_key (&ctx, key);
  gcm_aes128_set_iv (&ctx, 12, iv);   /* sequence number 0: the nonce is the IV */
  gcm_aes128_update (&ctx, 5, w);
  gcm_aes128_decrypt (&ctx, len - 16, plain, w + 5);
  gcm_aes128_digest (&ctx, 16, tag);
  if (memcmp (tag, w + 5 + len - 16, 16) != 0)
    return NULL;
  g_assert_cmpuint (plain[len - 17], ==, TLS_CONTENT_APPLICATION_DATA);
  return g_bytes_new (plain, len - 17);
}

/* One side's update: secret_1 from secret_0 as computed here, the same on
 * both sides; its key and IV; the first record after the update opens. */
static void
check_side (TlsTrace *t, gboolean client)
{
  TlsActor sender = client ? TLS_ACTOR_CLIENT : TLS_ACTOR_SERVER;
  TlsActor receiver = client ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT;
  const char *title0 = client ? TLS13_STEP_TITLE_C_AP_TRAFFIC : TLS13_STEP_TITLE_S_AP_TRAFFIC;
  g_autofree char *keys1 = g_strdup_printf ("traffic keys from %s_application_traffic_secret_1",
                                            client ? "client" : "server");
  GBytes *secret0 = output (t, sender, title0, title0);
  guint8 secret1[32], key[16], iv[12];
  const TlsStep *upd, *data;
  const TlsTraceValue *v;
  g_autoptr (GBytes) plain = NULL;
  g_autoptr (GBytes) expected1 = NULL;

  g_assert_cmpuint (g_bytes_get_size (secret0), ==, 32);
  expand_label (TU_DATA (secret0), "traffic upd", 32, secret1);
  expected1 = g_bytes_new (secret1, 32);
  /* the sender's step and the receiver's: both from secret_0, both secret_1 */
  for (int side = 0; side < 2; side++)
    {
      TlsActor a = side == 0 ? sender : receiver;
      guint nth = 0;

      /* the receiver's steps for the peer's secret: the one whose input is
       * the sender's secret_0 */
      for (;; nth++)
        {
          upd = tu_step_nth (t, -1, TLS_STEP_DERIVATION, a, TLS13_STEP_TITLE_TRAFFIC_UPDATE, nth);
          g_assert_nonnull (upd);
          v = tls_step_find_value (upd, "application_traffic_secret_N");
          if (g_bytes_equal (v->bytes, secret0))
            break;
        }
      g_assert_cmpstr (upd->rfc, ==, "RFC 8446, 7.2");
      v = tls_step_find_output (upd, "application_traffic_secret_N+1");
      g_assert_true (g_bytes_equal (v->bytes, expected1));
      g_assert_nonnull (tu_step_nth (t, -1, TLS_STEP_DERIVATION, a, keys1, 0));
    }
  expand_label (secret1, "key", 16, key);
  expand_label (secret1, "iv", 12, iv);
  g_assert_cmpmem (key, 16, TU_DATA (output (t, sender, keys1, "write_key")), 16);
  g_assert_cmpmem (iv, 12, TU_DATA (output (t, sender, keys1, "write_iv")), 12);

  /* The second application data record of the sender is the first under
   * the new keys: it opens with them, here, with sequence number 0. */
  data = tu_step_nth (t, -1, TLS_STEP_APPDATA, sender, "Application Data", 1);
  g_assert_nonnull (data);
  g_assert_true (data->encrypted);
  plain = open_record (data->wire, key, iv);
  g_assert_nonnull (plain);
  if (client)
    g_assert_cmpmem (TU_DATA (plain), TU_SIZE (plain), request, strlen (request));
  else
    g_assert_true (g_str_has_prefix ((const char *) g_bytes_get_data (plain, NULL),
                                     "HTTP/1.0 200 OK"));
  /* ... and not with the old ones (secret_0's) */
  {
    guint8 key0[16], iv0[12];
    g_autoptr (GBytes) old = NULL;
    expand_label (TU_DATA (secret0), "key", 16, key0);
    expand_label (TU_DATA (secret0), "iv", 12, iv0);
    old = open_record (data->wire, key0, iv0);
    g_assert_null (old);
  }
}

static void
test_key_update_requested (void)
{
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *s;
  const TlsField *f;

  g_test_summary ("RFC 8446, 4.6.3 and 7.2: the client's KeyUpdate with update_requested; "
                  "the next secrets equal HKDF-Expand-Label(secret_N, \"traffic upd\", \"\", 32) "
                  "computed here; the server answers with update_not_requested; the records "
                  "after the updates open with the new keys");
  c = tu_run_scenario ("tls13-keyupdate");
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "completed");
  g_assert_cmpuint (tu_count (t, -1, TLS_STEP_MESSAGE, -1, "KeyUpdate"), ==, 2);

  s = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "KeyUpdate", 0);
  g_assert_nonnull (s);
  g_assert_true (s->encrypted);
  g_assert_cmpmem (g_bytes_get_data (s->bytes, NULL), g_bytes_get_size (s->bytes),
                   "\x18\x00\x00\x01\x01", 5);
  g_assert_cmpstr (s->rfc, ==, "RFC 8446, 4.6.3; RFC 8446, 7.2");
  f = tls_field_find (s->fields, "request_update");
  g_assert_nonnull (f);
  g_assert_cmpstr (f->value, ==, "update_requested (1)");
  s = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "KeyUpdate", 0);
  g_assert_nonnull (s);
  g_assert_cmpmem (g_bytes_get_data (s->bytes, NULL), g_bytes_get_size (s->bytes),
                   "\x18\x00\x00\x01\x00", 5);
  /* the server's KeyUpdate comes before its second answer */
  g_assert_cmpuint (s->index, <, tu_step_nth (t, -1, TLS_STEP_APPDATA, TLS_ACTOR_SERVER,
                                              "Application Data", 1)->index);
  check_side (t, TRUE);
  check_side (t, FALSE);
  tls_conductor_free (c);
}

static TlsConductor *
run_key_update (int key_update, const char *tamper)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-keyupdate");

  sc->key_update = key_update;
  sc->tamper = g_strdup (tamper);
  return tu_run (sc);
}

static void
test_key_update_not_requested (void)
{
  TlsConductor *c = run_key_update (1, NULL);
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *s;
  g_autoptr (GBytes) plain = NULL;

  g_test_summary ("RFC 8446, 4.6.3: update_not_requested: the server updates its receiving "
                  "keys only, sends no KeyUpdate, and its answer stays under secret_0");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpuint (tu_count (t, -1, TLS_STEP_MESSAGE, -1, "KeyUpdate"), ==, 1);
  s = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "KeyUpdate", 0);
  g_assert_cmpmem (g_bytes_get_data (s->bytes, NULL), g_bytes_get_size (s->bytes),
                   "\x18\x00\x00\x01\x00", 5);
  check_side (t, TRUE);
  g_assert_null (tu_step_nth (t, -1, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER,
                              "traffic keys from server_application_traffic_secret_1", 0));
  g_assert_nonnull (tu_step_nth (t, -1, TLS_STEP_APPDATA, TLS_ACTOR_SERVER, "Application Data", 1));
  tls_conductor_free (c);
}

static void
test_key_update_bad_value (void)
{
  TlsConductor *c = run_key_update (2, "client-bad-key-update");
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *s;

  g_test_summary ("RFC 8446, 4.6.3: a KeyUpdate whose request_update is neither 0 nor 1 ends "
                  "the connection with illegal_parameter");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_ILLEGAL_PARAMETER);
  s = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "KeyUpdate", 0);
  g_assert_nonnull (s);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (s->bytes, NULL))[4], ==, 2);
  s = tu_step_nth (t, -1, TLS_STEP_ALERT, TLS_ACTOR_SERVER, "Alert: illegal_parameter", 0);
  g_assert_nonnull (s);
  g_assert_true (s->encrypted);
  /* the server answered nothing after it */
  g_assert_null (tu_step_nth (t, -1, TLS_STEP_APPDATA, TLS_ACTOR_SERVER, "Application Data", 1));
  tls_conductor_free (c);
}

static void
test_key_update_codec (void)
{
  static const struct { const char *body; gsize len; int err; guint8 v; } cases[] = {
    { "\x00", 1, 0, 0 },
    { "\x01", 1, 0, 1 },
    { "\x02", 1, TLS_ALERT_ILLEGAL_PARAMETER, 2 },
    { "\xff", 1, TLS_ALERT_ILLEGAL_PARAMETER, 255 },
    { "", 0, TLS_ALERT_DECODE_ERROR, 0 },
    { "\x01\x00", 2, TLS_ALERT_DECODE_ERROR, 0 },
  };

  g_test_summary ("RFC 8446, 4.6.3: KeyUpdate is one byte, 0 or 1; any other value is "
                  "illegal_parameter, another length decode_error");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TlsReader r;
      guint8 v = 9;

      tls_reader_init (&r, (const guint8 *) cases[i].body, cases[i].len, NULL);
      g_assert_cmpint (tls13_key_update_parse (&r, &v), ==, cases[i].err);
      if (cases[i].err != TLS_ALERT_DECODE_ERROR)
        g_assert_cmpuint (v, ==, cases[i].v);
    }
}

/* ---- ffdhe groups in TLS 1.3 (RFC 8446, 4.2.8.1, 7.4.1) ---------------- */

static void
test_ffdhe_engine (gconstpointer data)
{
  const char *group = data;
  const TlsDhGroup *g = tls_dh_group_by_name (group);
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13");
  TlsConductor *c;
  TlsTrace *t;
  GBytes *cz, *sz, *derived, *hs;
  const TlsStep *s;
  const TlsTraceValue *ikm;
  guint8 prk[32];
  struct hmac_sha256_ctx ctx;

  g_test_summary ("RFC 8446, 4.2.8.1 and 7.4.1: an RFC 7919 group as the TLS 1.3 key share: "
                  "key_exchange and Z are as long as p, and the Handshake Secret is "
                  "HKDF-Extract(derived, Z) computed here");
  g_free (sc->groups);
  sc->groups = g_strdup (group);
  c = tu_run (sc);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  for (int side = 0; side < 2; side++)
    {
      GBytes *kx = output (t, side ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT, "key_share key pair",
                           "key_exchange");
      g_assert_cmpuint (g_bytes_get_size (kx), ==, g->p_len);
    }
  cz = output (t, TLS_ACTOR_CLIENT, "(EC)DHE shared secret", "shared_secret");
  sz = output (t, TLS_ACTOR_SERVER, "(EC)DHE shared secret", "shared_secret");
  g_assert_true (g_bytes_equal (cz, sz));
  g_assert_cmpuint (g_bytes_get_size (cz), ==, g->p_len);
  s = tu_step_nth (t, -1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, "(EC)DHE shared secret", 0);
  g_assert_cmpstr (s->rfc, ==, "RFC 8446, 7.4.1; RFC 8446, 4.2.8.1");
  s = tu_step_nth (t, -1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, TLS13_STEP_TITLE_HANDSHAKE_SECRET, 0);
  g_assert_nonnull (s);
  ikm = tls_step_find_value (s, "IKM");
  g_assert_true (g_bytes_equal (ikm->bytes, cz));
  derived = output (t, TLS_ACTOR_CLIENT, TLS13_STEP_TITLE_DERIVED_HS, TLS13_STEP_TITLE_DERIVED_HS);
  hs = output (t, TLS_ACTOR_CLIENT, TLS13_STEP_TITLE_HANDSHAKE_SECRET,
               TLS13_STEP_TITLE_HANDSHAKE_SECRET);
  /* HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM) (RFC 5869, 2.2) */
  hmac_sha256_set_key (&ctx, TU_SIZE (derived), TU_DATA (derived));
  hmac_sha256_update (&ctx, TU_SIZE (cz), TU_DATA (cz));
  hmac_sha256_digest (&ctx, sizeof prk, prk);
  g_assert_cmpmem (prk, sizeof prk, TU_DATA (hs), TU_SIZE (hs));
  tls_conductor_free (c);
}

static void
test_ffdhe_leading_zeros (void)
{
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (31, "ffdhe-padding");   /* a leading zero at the 3rd pair */
  guint tries;

  g_test_summary ("RFC 8446, 7.4.1: a Z whose first byte is zero keeps it (TLS 1.2 strips "
                  "it): both sides get 256 bytes");
  for (tries = 0; tries < 4096; tries++)
    {
      g_autoptr (Tls13Share) a = tls13_share_new (TLS_GROUP_FFDHE2048, rng);
      g_autoptr (Tls13Share) b = tls13_share_new (TLS_GROUP_FFDHE2048, rng);
      g_autoptr (GBytes) pa = tls13_share_public (a);
      g_autoptr (GBytes) pb = tls13_share_public (b);
      g_autoptr (GBytes) za = NULL;
      g_autoptr (GBytes) zb = NULL;

      g_assert_cmpint (tls13_share_derive (a, TU_DATA (pb), TU_SIZE (pb), &za, NULL), ==, 0);
      g_assert_cmpint (tls13_share_derive (b, TU_DATA (pa), TU_SIZE (pa), &zb, NULL), ==, 0);
      g_assert_true (g_bytes_equal (za, zb));
      g_assert_cmpuint (TU_SIZE (za), ==, 256);
      if (TU_DATA (za)[0] == 0)
        break;
    }
  g_assert_cmpuint (tries, <, 4096);
  g_test_message ("a Z with a leading zero byte after %u pairs", tries + 1);
}

static void
test_ffdhe_bad_share (void)
{
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (1, "ffdhe-bad");
  g_autoptr (Tls13Share) a = tls13_share_new (TLS_GROUP_FFDHE2048, rng);
  const TlsDhGroup *g = tls_dh_group_ffdhe2048 ();
  guint8 y[256] = { 0 };
  g_autoptr (GBytes) z = NULL;
  g_autofree char *why = NULL;

  g_test_summary ("RFC 8446, 4.2.8.1: Y must satisfy 1 < Y < p-1 and is as long as p: "
                  "otherwise illegal_parameter");
  g_assert_cmpuint (g->p_len, ==, sizeof y);
  y[255] = 1;                                            /* Y = 1 */
  g_assert_cmpint (tls13_share_derive (a, y, sizeof y, &z, &why), ==, TLS_ALERT_ILLEGAL_PARAMETER);
  g_assert_null (z);
  g_assert_nonnull (why);
  memcpy (y, g->p, sizeof y);
  y[255] -= 1;                                           /* Y = p-1 (p is odd) */
  g_clear_pointer (&why, g_free);
  g_assert_cmpint (tls13_share_derive (a, y, sizeof y, &z, &why), ==, TLS_ALERT_ILLEGAL_PARAMETER);
  y[255] = 2;
  memset (y, 0, 255);                                    /* Y = 2, one byte short of p */
  g_clear_pointer (&why, g_free);
  g_assert_cmpint (tls13_share_derive (a, y + 1, sizeof y - 1, &z, &why), ==,
                   TLS_ALERT_ILLEGAL_PARAMETER);
  g_assert_nonnull (strstr (why, "255"));
  g_assert_false (tls13_share_supported (0x0102));      /* ffdhe4096: not ours */
  g_assert_true (tls13_share_supported (TLS_GROUP_FFDHE3072));
}

/* ---- Ed25519 (RFC 8446, 4.2.3 and 4.4.3; RFC 8032; RFC 8410) -------------- */

/* RFC 8032, 7.1, TEST 1: SECRET KEY, PUBLIC KEY and the SIGNATURE of the
 * empty message; the PKCS#8 form of the secret (RFC 8410, 7) around it. */
#define RFC8032_T1_SECRET "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define RFC8032_T1_PUBLIC "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define RFC8032_T1_SIG "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"

static void
test_ed25519_rfc8032 (void)
{
  g_autoptr (GBytes) pkcs8 = tu_hex ("302e020100300506032b657004220420" RFC8032_T1_SECRET);
  g_autoptr (GBytes) pub = tu_hex (RFC8032_T1_PUBLIC);
  g_autoptr (GBytes) want = tu_hex (RFC8032_T1_SIG);
  g_autoptr (GBytes) spki = tu_hex ("302a300506032b6570032100" RFC8032_T1_PUBLIC);
  g_autoptr (GBytes) spki_null = tu_hex ("302c300706032b65700500032100" RFC8032_T1_PUBLIC);
  g_autoptr (GBytes) spki_short = tu_hex ("3029300506032b6570032000"
                                          "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f70751");
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsPrivateKey) key = NULL;
  g_autoptr (TlsPublicKey) pk = NULL;
  g_autoptr (TlsPublicKey) bad = NULL;
  g_autoptr (GBytes) sig = NULL;
  g_autofree char *why = NULL;
  guint8 flipped[64];

  g_test_summary ("RFC 8032, 7.1, TEST 1 through our keys and signatures: the PKCS#8 key "
                  "(RFC 8410, 7) gives the public key, ed25519 signs the empty message to the "
                  "RFC's signature and verifies it; an SPKI with parameters or a short key is "
                  "refused (RFC 8410, 3)");
  key = tls_private_key_new_from_der ("PRIVATE KEY", TU_DATA (pkcs8), TU_SIZE (pkcs8), &error);
  g_assert_no_error (error);
  g_assert_cmpint (key->type, ==, TLS_PK_ED25519);
  g_assert_cmpmem (key->pub->ed25519, 32, TU_DATA (pub), 32);
  sig = tls_sig_sign (TLS_SIG_ALG_ED25519, key, NULL, (const guint8 *) "", 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (sig, want));
  pk = tls_public_key_new_from_spki (TU_DATA (spki), TU_SIZE (spki), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pk->type, ==, TLS_PK_ED25519);
  g_assert_true (tls_private_key_matches (key, pk));
  g_assert_true (tls_sig_verify (TLS_SIG_ALG_ED25519, pk, (const guint8 *) "", 0,
                                 TU_DATA (want), 64, &why));
  memcpy (flipped, TU_DATA (want), 64);
  flipped[10] ^= 0x04;
  g_assert_false (tls_sig_verify (TLS_SIG_ALG_ED25519, pk, (const guint8 *) "", 0,
                                  flipped, 64, &why));
  g_assert_nonnull (strstr (why, "does not match"));
  g_assert_cmpuint (tls_sig_alg_from_tls (0x0807), ==, TLS_SIG_ALG_ED25519);
  g_assert_cmpuint (tls_sig_alg_from_oid ("1.3.101.112"), ==, TLS_SIG_ALG_ED25519);
  bad = tls_public_key_new_from_spki (TU_DATA (spki_null), TU_SIZE (spki_null), NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_DER);
  g_clear_error (&error);
  bad = tls_public_key_new_from_spki (TU_DATA (spki_short), TU_SIZE (spki_short), NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_KEY);
}

static TlsConductor *
run_ed25519 (const char *tamper)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13");

  g_free (sc->server_cert);
  sc->server_cert = g_strdup ("server-ed25519");
  sc->tamper = g_strdup (tamper);
  return tu_run (sc);
}

static void
test_ed25519_engine (void)
{
  TlsConductor *c = run_ed25519 (NULL);
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autofree char *path = g_build_filename (tu_datadir (), "pki", "server-ed25519.key", NULL);
  g_autoptr (TlsPrivateKey) key = NULL;
  g_autoptr (GError) error = NULL;
  const TlsStep *s, *check;
  const TlsTraceValue *content;
  const guint8 *m;
  gsize n;
  guint8 pub[32];

  g_test_summary ("RFC 8446, 4.2.3 and 4.4.3: our server with an Ed25519 certificate signs its "
                  "CertificateVerify with ed25519 (0x0807); the signature verifies here with "
                  "Nettle and the key of data/pki/server-ed25519.key; our client's check passes");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  s = tu_step_nth (t, -1, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Signature scheme", 0);
  g_assert_nonnull (s);
  g_assert_true (g_str_has_prefix (s->choice, "ed25519"));
  s = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "CertificateVerify", 0);
  g_assert_nonnull (s);
  m = g_bytes_get_data (s->bytes, &n);
  /* header (4), algorithm 0x0807, signature<0..2^16-1> of 64 bytes */
  g_assert_cmpuint (n, ==, 4 + 2 + 2 + 64);
  g_assert_cmpuint (m[4], ==, 0x08);
  g_assert_cmpuint (m[5], ==, 0x07);
  g_assert_cmpuint (m[6] << 8 | m[7], ==, 64);
  check = tu_step_nth (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "CertificateVerify signature", 0);
  g_assert_nonnull (check);
  g_assert_cmpint (check->result, ==, TLS_CHECK_PASSED);
  content = tls_step_find_value (check, "signed_content");
  g_assert_nonnull (content);
  g_assert_cmpuint (TU_SIZE (content->bytes), ==, 64 + 33 + 1 + 32);
  g_assert_cmpmem (TU_DATA (content->bytes) + 64, 33, "TLS 1.3, server CertificateVerify", 33);
  /* the public key from the private key file, by Nettle */
  key = tls_private_key_load_file (path, &error);
  g_assert_no_error (error);
  ed25519_sha512_public_key (pub, key->ed25519);
  g_assert_true (ed25519_sha512_verify (pub, TU_SIZE (content->bytes), TU_DATA (content->bytes),
                                        m + 8));
  tls_conductor_free (c);
}

static void
test_ed25519_bad_signature (void)
{
  TlsConductor *c = run_ed25519 ("server-bad-certificate-verify");
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *check;

  g_test_summary ("RFC 8446, 4.4.3: an ed25519 CertificateVerify that does not verify ends the "
                  "handshake with decrypt_error");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_DECRYPT_ERROR);
  check = tu_step_nth (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "CertificateVerify signature", 0);
  g_assert_nonnull (check);
  g_assert_cmpint (check->result, ==, TLS_CHECK_FAILED);
  tls_conductor_free (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls13-extras/key-update/requested", test_key_update_requested);
  g_test_add_func ("/tls13-extras/key-update/not-requested", test_key_update_not_requested);
  g_test_add_func ("/tls13-extras/key-update/bad-value", test_key_update_bad_value);
  g_test_add_func ("/tls13-extras/key-update/codec", test_key_update_codec);
  g_test_add_data_func ("/tls13-extras/ffdhe/engine/ffdhe2048", "ffdhe2048", test_ffdhe_engine);
  g_test_add_data_func ("/tls13-extras/ffdhe/engine/ffdhe3072", "ffdhe3072", test_ffdhe_engine);
  g_test_add_func ("/tls13-extras/ffdhe/leading-zeros", test_ffdhe_leading_zeros);
  g_test_add_func ("/tls13-extras/ffdhe/bad-share", test_ffdhe_bad_share);
  g_test_add_func ("/tls13-extras/ed25519/rfc8032", test_ed25519_rfc8032);
  g_test_add_func ("/tls13-extras/ed25519/engine", test_ed25519_engine);
  g_test_add_func ("/tls13-extras/ed25519/bad-signature", test_ed25519_bad_signature);
  return g_test_run ();
}
