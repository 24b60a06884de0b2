/* test-prf.c — the TLS PRF, the key schedule and the handshake transcript.
 *
 * Known answers: tests/data/prf.txt (published on the IETF TLS WG list),
 * one registered case per section.  The few extra answers below (odd
 * secret length, extended master secret, verify_data) were computed with
 * Python's hmac/hashlib, an implementation independent of ours. */
#include "tls-prf.h"
#include "tls-suites.h"
#include "tls-trace.h"
#include "tls-types.h"

#include <string.h>

static GKeyFile *vectors;

static GBytes *
get_hex (const char *group, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hex = g_key_file_get_string (vectors, group, key, &error);
  GBytes *b;

  g_assert_no_error (error);
  b = tls_bytes_from_hex (hex);
  g_assert_nonnull (b);
  return b;
}

static GBytes *
hex (const char *s)
{
  GBytes *b = tls_bytes_from_hex (s);
  g_assert_nonnull (b);
  return b;
}

#define assert_bytes(data, len, expected)                                  \
  g_assert_cmpmem ((data), (len), g_bytes_get_data ((expected), NULL),     \
                   g_bytes_get_size ((expected)))

static void
test_prf_section (gconstpointer data)
{
  const char *group = data;
  g_autoptr (GBytes) secret = get_hex (group, "secret");
  g_autoptr (GBytes) seed = get_hex (group, "seed");
  g_autoptr (GBytes) expected = get_hex (group, "output");
  g_autofree char *label = g_key_file_get_string (vectors, group, "label", NULL);
  gsize n = g_bytes_get_size (expected);
  g_autofree guint8 *out = g_malloc (n);
  guint16 version;
  TlsPrfHash hash = TLS_PRF_SHA256;

  g_test_summary ("The PRF gives the published output for its section of prf.txt");
  g_assert_nonnull (label);
  if (g_str_equal (group, "tls12-sha256"))
    version = TLS_VERSION_1_2;
  else if (g_str_equal (group, "tls12-sha384"))
    version = TLS_VERSION_1_2, hash = TLS_PRF_SHA384;
  else if (g_str_equal (group, "tls10-md5-sha1"))
    version = TLS_VERSION_1_0;
  else
    g_assert_not_reached ();

  tls_prf (version, hash,
           g_bytes_get_data (secret, NULL), g_bytes_get_size (secret), label,
           g_bytes_get_data (seed, NULL), g_bytes_get_size (seed), out, n);
  assert_bytes (out, n, expected);

  /* A shorter output is a prefix of the longer one. */
  {
    guint8 part[13];
    tls_prf (version, hash,
             g_bytes_get_data (secret, NULL), g_bytes_get_size (secret), label,
             g_bytes_get_data (seed, NULL), g_bytes_get_size (seed), part, sizeof part);
    g_assert_cmpmem (part, sizeof part, out, sizeof part);
  }
  if (version == TLS_VERSION_1_0)
    {
      /* TLS 1.1 uses the same PRF as TLS 1.0 */
      guint8 *out11 = g_malloc (n);
      tls_prf (TLS_VERSION_1_1, hash,
               g_bytes_get_data (secret, NULL), g_bytes_get_size (secret), label,
               g_bytes_get_data (seed, NULL), g_bytes_get_size (seed), out11, n);
      g_assert_cmpmem (out11, n, out, n);
      g_free (out11);
    }
}

static TlsTraceValue *
find_input (TlsStep *step, const char *name)
{
  for (guint i = 0; i < step->inputs->len; i++)
    {
      TlsTraceValue *v = g_ptr_array_index (step->inputs, i);
      if (g_strcmp0 (v->name, name) == 0)
        return v;
    }
  return NULL;
}

static void
assert_value (TlsTraceValue *v, const guint8 *data, gsize len)
{
  g_assert_nonnull (v);
  g_assert_nonnull (v->bytes);
  g_assert_cmpmem (g_bytes_get_data (v->bytes, NULL), g_bytes_get_size (v->bytes),
                   data, len);
}

static void
test_key_schedule (gconstpointer data)
{
  const char *group = data;
  g_autoptr (GBytes) pms = get_hex (group, "premaster");
  g_autoptr (GBytes) cr = get_hex (group, "client_random");
  g_autoptr (GBytes) sr = get_hex (group, "server_random");
  g_autoptr (GBytes) ms = get_hex (group, "master_secret");
  g_autoptr (GBytes) client_mac = get_hex (group, "client_mac");
  g_autoptr (GBytes) server_mac = get_hex (group, "server_mac");
  g_autoptr (GBytes) client_key = get_hex (group, "client_key");
  g_autoptr (GBytes) server_key = get_hex (group, "server_key");
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  const TlsSuite *suite = tls_suite_by_name ("TLS_RSA_WITH_AES_128_CBC_SHA");
  guint8 master[48];
  TlsKeyBlock kb;
  TlsStep *step;
  int ms_step, kb_step;

  g_test_summary ("TLS 1.0 end to end: pre-master secret to master secret to key block, "
                  "with every value in the trace");
  g_assert_nonnull (suite);

  /* Pretend steps 0..2 are ClientHello, ServerHello, ClientKeyExchange. */
  for (int i = 0; i < 3; i++)
    tls_trace_commit (trace, tls_trace_add (trace, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "msg"));

  ms_step = tls_derive_master_secret (trace, TLS_ACTOR_SERVER, TLS_VERSION_1_0, TLS_PRF_SHA256,
                                      g_bytes_get_data (pms, NULL), g_bytes_get_size (pms),
                                      g_bytes_get_data (cr, NULL), g_bytes_get_data (sr, NULL),
                                      2, 0, 1, master);
  assert_bytes (master, 48, ms);
  g_assert_cmpint (ms_step, ==, 3);

  step = tls_trace_get (trace, ms_step);
  g_assert_cmpint (step->kind, ==, TLS_STEP_DERIVATION);
  g_assert_cmpint (step->actor, ==, TLS_ACTOR_SERVER);
  g_assert_cmpstr (step->title, ==, TLS_STEP_TITLE_MASTER_SECRET);
  g_assert_cmpstr (step->rfc, ==, "RFC 2246, 8.1");
  g_assert_nonnull (step->explanation);
  g_assert_nonnull (strstr (step->formula, "\"master secret\""));
  assert_value (find_input (step, "pre_master_secret"),
                g_bytes_get_data (pms, NULL), g_bytes_get_size (pms));
  g_assert_cmpint (find_input (step, "pre_master_secret")->from_step, ==, 2);
  assert_value (find_input (step, "client_random"), g_bytes_get_data (cr, NULL), 32);
  assert_value (find_input (step, "server_random"), g_bytes_get_data (sr, NULL), 32);
  g_assert_cmpint (find_input (step, "client_random")->from_step, ==, 0);
  g_assert_cmpint (find_input (step, "server_random")->from_step, ==, 1);
  g_assert_cmpstr (find_input (step, "label")->text, ==, "master secret");
  assert_value (tls_step_find_output (step, "master_secret"), master, 48);
  g_assert_cmpint (tls_trace_find (trace, TLS_STEP_DERIVATION, TLS_STEP_TITLE_MASTER_SECRET),
                   ==, ms_step);

  kb_step = tls_derive_key_block (trace, TLS_ACTOR_SERVER, TLS_VERSION_1_0, suite, master,
                                  g_bytes_get_data (cr, NULL), g_bytes_get_data (sr, NULL),
                                  ms_step, 0, 1, &kb);
  g_assert_cmpuint (kb.mac_key_len, ==, 20);
  g_assert_cmpuint (kb.key_len, ==, 16);
  g_assert_cmpuint (kb.iv_len, ==, 16);   /* TLS 1.0 CBC: IVs from the key block */
  assert_bytes (kb.client_write_mac_key, kb.mac_key_len, client_mac);
  assert_bytes (kb.server_write_mac_key, kb.mac_key_len, server_mac);
  assert_bytes (kb.client_write_key, kb.key_len, client_key);
  assert_bytes (kb.server_write_key, kb.key_len, server_key);

  step = tls_trace_get (trace, kb_step);
  g_assert_cmpstr (step->title, ==, TLS_STEP_TITLE_KEY_BLOCK);
  g_assert_cmpstr (step->rfc, ==, "RFC 2246, 6.3");
  assert_value (find_input (step, "master_secret"), master, 48);
  g_assert_cmpint (find_input (step, "master_secret")->from_step, ==, ms_step);
  g_assert_cmpint (find_input (step, "client_random")->from_step, ==, 0);
  g_assert_cmpint (find_input (step, "server_random")->from_step, ==, 1);
  g_assert_cmpstr (find_input (step, "label")->text, ==, "key expansion");
  assert_value (tls_step_find_output (step, "client_write_MAC_key"),
                g_bytes_get_data (client_mac, NULL), 20);
  assert_value (tls_step_find_output (step, "server_write_MAC_key"),
                g_bytes_get_data (server_mac, NULL), 20);
  assert_value (tls_step_find_output (step, "client_write_key"),
                g_bytes_get_data (client_key, NULL), 16);
  assert_value (tls_step_find_output (step, "server_write_key"),
                g_bytes_get_data (server_key, NULL), 16);
  assert_value (tls_step_find_output (step, "client_write_IV"), kb.client_write_iv, 16);
  assert_value (tls_step_find_output (step, "server_write_IV"), kb.server_write_iv, 16);
  g_assert_nonnull (tls_step_find_output (step, "client_write_key")->note);
  {
    /* The whole key block is the six keys in order. */
    TlsTraceValue *all = tls_step_find_output (step, "key_block");
    const guint8 *b;
    g_assert_nonnull (all);
    g_assert_cmpuint (g_bytes_get_size (all->bytes), ==, 2 * (20 + 16 + 16));
    b = g_bytes_get_data (all->bytes, NULL);
    g_assert_cmpmem (b, 20, kb.client_write_mac_key, 20);
    g_assert_cmpmem (b + 40, 16, kb.client_write_key, 16);
    g_assert_cmpmem (b + 88, 16, kb.server_write_iv, 16);
  }

  /* Without a trace: same keys, no step. */
  {
    TlsKeyBlock kb2;
    g_assert_cmpint (tls_derive_key_block (NULL, TLS_ACTOR_CLIENT, TLS_VERSION_1_0, suite,
                                           master, g_bytes_get_data (cr, NULL),
                                           g_bytes_get_data (sr, NULL), -1, -1, -1, &kb2), ==, -1);
    g_assert_cmpmem (&kb2, sizeof kb2, &kb, sizeof kb);
  }
}

static void
test_key_block_sizes (void)
{
  const TlsSuite *gcm = tls_suite_by_name ("TLS_RSA_WITH_AES_256_GCM_SHA384");
  const TlsSuite *cbc = tls_suite_by_name ("TLS_RSA_WITH_AES_128_CBC_SHA256");
  const TlsSuite *cbc1 = tls_suite_by_name ("TLS_RSA_WITH_AES_256_CBC_SHA");
  guint8 master[48], r[32];
  TlsKeyBlock kb;
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  TlsStep *step;
  int i;

  g_test_summary ("Key block sizes follow the cipher and MAC tables and the version");
  memset (master, 7, sizeof master);
  memset (r, 9, sizeof r);

  i = tls_derive_key_block (trace, TLS_ACTOR_CLIENT, TLS_VERSION_1_2, gcm, master, r, r, -1, -1, -1, &kb);
  g_assert_cmpuint (kb.mac_key_len, ==, 0);
  g_assert_cmpuint (kb.key_len, ==, 32);
  g_assert_cmpuint (kb.iv_len, ==, 4);
  step = tls_trace_get (trace, i);
  g_assert_null (tls_step_find_output (step, "client_write_MAC_key"));
  g_assert_nonnull (tls_step_find_output (step, "server_write_IV"));
  g_assert_cmpuint (g_bytes_get_size (tls_step_find_output (step, "key_block")->bytes), ==, 72);

  i = tls_derive_key_block (trace, TLS_ACTOR_CLIENT, TLS_VERSION_1_2, cbc, master, r, r, -1, -1, -1, &kb);
  g_assert_cmpuint (kb.mac_key_len, ==, 32);
  g_assert_cmpuint (kb.key_len, ==, 16);
  g_assert_cmpuint (kb.iv_len, ==, 0);   /* explicit IVs from TLS 1.1 on */
  step = tls_trace_get (trace, i);
  g_assert_null (tls_step_find_output (step, "client_write_IV"));

  tls_derive_key_block (NULL, TLS_ACTOR_CLIENT, TLS_VERSION_1_1, cbc1, master, r, r, -1, -1, -1, &kb);
  g_assert_cmpuint (kb.mac_key_len, ==, 20);
  g_assert_cmpuint (kb.key_len, ==, 32);
  g_assert_cmpuint (kb.iv_len, ==, 0);

  g_assert_cmpuint (tls_key_block_iv_len (tls_cipher_info (TLS_CIPHER_CHACHA20_POLY1305),
                                          TLS_VERSION_1_2), ==, 12);
  g_assert_cmpuint (tls_key_block_iv_len (tls_cipher_info (TLS_CIPHER_3DES_EDE_CBC),
                                          TLS_VERSION_1_0), ==, 8);
  g_assert_cmpuint (tls_key_block_iv_len (tls_cipher_info (TLS_CIPHER_RC4_128),
                                          TLS_VERSION_1_0), ==, 0);
}

static void
test_odd_secret (void)
{
  guint8 secret[47], seed[20], out[40];
  g_autoptr (GBytes) expected =
    hex ("2eed97ce61dc80f669af672beff2695bd48510aede54e4ef1265b050bd69863eb6c89e7b544920be");

  g_test_summary ("TLS 1.0 PRF with an odd-length secret: the halves share the middle byte");
  for (gsize i = 0; i < sizeof secret; i++)
    secret[i] = (guint8) (i + 1);
  memset (seed, 0x55, sizeof seed);
  tls_prf (TLS_VERSION_1_0, TLS_PRF_SHA256, secret, sizeof secret, "test label",
           seed, sizeof seed, out, sizeof out);
  assert_bytes (out, sizeof out, expected);
}

static void
test_extended_master_secret (void)
{
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (TlsTranscript) tr = tls_transcript_new ();
  g_autoptr (GBytes) expected =
    hex ("cadef4aa955898d23c2fdf5b23600ae49aa2dd622aaf31bb45f6dc5d42b083b3"
         "294f9616e0fb6d0c891cddd6c1ad1251");
  const char *msgs = "handshake messages";
  guint8 pms[48], hash[TLS_MAX_HASH_LEN], master[48];
  gsize hash_len;
  TlsStep *step;
  int i;

  g_test_summary ("Extended master secret (RFC 7627) over a session hash, traced");
  memset (pms, 0x11, sizeof pms);
  tls_transcript_append (tr, (const guint8 *) msgs, 9);
  tls_transcript_append (tr, (const guint8 *) msgs + 9, strlen (msgs) - 9);
  tls_transcript_hash (tr, TLS_VERSION_1_2, TLS_PRF_SHA256, hash, &hash_len);
  g_assert_cmpuint (hash_len, ==, 32);

  i = tls_derive_extended_master_secret (trace, TLS_ACTOR_CLIENT, TLS_VERSION_1_2,
                                         TLS_PRF_SHA256, pms, sizeof pms, hash, hash_len,
                                         -1, -1, master);
  assert_bytes (master, 48, expected);
  step = tls_trace_get (trace, i);
  g_assert_cmpstr (step->title, ==, TLS_STEP_TITLE_EXTENDED_MASTER);
  g_assert_cmpstr (step->rfc, ==, "RFC 7627, 4");
  assert_value (find_input (step, "session_hash"), hash, hash_len);
  g_assert_cmpstr (find_input (step, "label")->text, ==, "extended master secret");
  assert_value (tls_step_find_output (step, "master_secret"), master, 48);
}

static void
test_verify_data (void)
{
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (GBytes) vd12 = hex ("81c84b749334d91813a57560");
  g_autoptr (GBytes) vd10 = hex ("98c0e20a16df5d2467d43d0a");
  guint8 master[48], hash[TLS_MAX_HASH_LEN], out[12];
  gsize hash_len;
  TlsStep *step;
  int i;

  g_test_summary ("Finished verify_data for TLS 1.2 (SHA-384) and TLS 1.0 (MD5+SHA-1)");
  memset (master, 0x22, sizeof master);

  tls_handshake_hash (TLS_VERSION_1_2, TLS_PRF_SHA384, (const guint8 *) "abc", 3, hash, &hash_len);
  g_assert_cmpuint (hash_len, ==, 48);
  i = tls_compute_verify_data (trace, TLS_ACTOR_SERVER, TLS_VERSION_1_2, TLS_PRF_SHA384,
                               master, FALSE, hash, hash_len, 5, out);
  assert_bytes (out, 12, vd12);
  step = tls_trace_get (trace, i);
  g_assert_cmpstr (step->title, ==, TLS_STEP_TITLE_SERVER_VERIFY);
  g_assert_cmpstr (step->rfc, ==, "RFC 5246, 7.4.9");
  g_assert_cmpstr (find_input (step, "finished_label")->text, ==, "server finished");
  g_assert_cmpint (find_input (step, "master_secret")->from_step, ==, 5);
  assert_value (find_input (step, "handshake_hash"), hash, hash_len);
  assert_value (tls_step_find_output (step, "verify_data"), out, 12);

  tls_handshake_hash (TLS_VERSION_1_0, TLS_PRF_SHA256, (const guint8 *) "abc", 3, hash, &hash_len);
  g_assert_cmpuint (hash_len, ==, 36);
  i = tls_compute_verify_data (trace, TLS_ACTOR_CLIENT, TLS_VERSION_1_0, TLS_PRF_SHA256,
                               master, TRUE, hash, hash_len, 5, out);
  assert_bytes (out, 12, vd10);
  g_assert_cmpstr (tls_trace_get (trace, i)->title, ==, TLS_STEP_TITLE_CLIENT_VERIFY);
}

static void
test_transcript (void)
{
  g_autoptr (TlsTranscript) tr = tls_transcript_new ();
  const char *a = "ClientHello bytes", *b = "ServerHello bytes";
  g_autofree char *all = g_strconcat (a, b, NULL);
  guint8 hash[TLS_MAX_HASH_LEN], ref[64];
  gsize hash_len, ref_len, data_len;
  g_autoptr (GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
  g_autoptr (GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_autoptr (GChecksum) sha256 = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GChecksum) sha384 = g_checksum_new (G_CHECKSUM_SHA384);

  g_test_summary ("The transcript keeps every byte and hashes it as each version asks "
                  "(checked against GLib's own hashes)");
  tls_transcript_append (tr, (const guint8 *) a, strlen (a));
  tls_transcript_append (tr, (const guint8 *) b, strlen (b));
  g_assert_cmpuint (tls_transcript_len (tr), ==, strlen (all));
  g_assert_cmpmem (tls_transcript_data (tr, &data_len), strlen (all), all, strlen (all));
  g_assert_cmpuint (data_len, ==, strlen (all));

  tls_transcript_hash (tr, TLS_VERSION_1_2, TLS_PRF_SHA256, hash, &hash_len);
  g_checksum_update (sha256, (const guchar *) all, -1);
  ref_len = 32;
  g_checksum_get_digest (sha256, ref, &ref_len);
  g_assert_cmpmem (hash, hash_len, ref, ref_len);

  tls_transcript_hash (tr, TLS_VERSION_1_2, TLS_PRF_SHA384, hash, &hash_len);
  g_checksum_update (sha384, (const guchar *) all, -1);
  ref_len = 48;
  g_checksum_get_digest (sha384, ref, &ref_len);
  g_assert_cmpmem (hash, hash_len, ref, ref_len);

  /* TLS 1.0/1.1: MD5(handshake_messages) + SHA(handshake_messages) */
  tls_transcript_hash (tr, TLS_VERSION_1_1, TLS_PRF_SHA256, hash, &hash_len);
  g_assert_cmpuint (hash_len, ==, 36);
  g_checksum_update (md5, (const guchar *) all, -1);
  g_checksum_update (sha1, (const guchar *) all, -1);
  ref_len = 16;
  g_checksum_get_digest (md5, ref, &ref_len);
  ref_len = 20;
  g_checksum_get_digest (sha1, ref + 16, &ref_len);
  g_assert_cmpmem (hash, hash_len, ref, 36);

  /* A prefix: only the ClientHello */
  {
    g_autoptr (GChecksum) c = g_checksum_new (G_CHECKSUM_SHA256);
    tls_transcript_hash_prefix (tr, strlen (a), TLS_VERSION_1_2, TLS_PRF_SHA256, hash, &hash_len);
    g_checksum_update (c, (const guchar *) a, -1);
    ref_len = 32;
    g_checksum_get_digest (c, ref, &ref_len);
    g_assert_cmpmem (hash, hash_len, ref, ref_len);
  }

  tls_transcript_reset (tr);
  g_assert_cmpuint (tls_transcript_len (tr), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_auto (GStrv) groups = NULL;

  g_test_init (&argc, &argv, NULL);

  path = g_test_build_filename (G_TEST_DIST, "data", "prf.txt", NULL);
  vectors = g_key_file_new ();
  if (!g_key_file_load_from_file (vectors, path, G_KEY_FILE_NONE, &error))
    g_error ("%s: %s", path, error->message);

  groups = g_key_file_get_groups (vectors, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("/prf/vectors/%s", groups[i]);
      if (g_str_has_suffix (groups[i], "-key-schedule"))
        g_test_add_data_func (name, groups[i], test_key_schedule);
      else
        g_test_add_data_func (name, groups[i], test_prf_section);
    }
  g_test_add_func ("/prf/key-block-sizes", test_key_block_sizes);
  g_test_add_func ("/prf/tls10-odd-secret", test_odd_secret);
  g_test_add_func ("/prf/extended-master-secret", test_extended_master_secret);
  g_test_add_func ("/prf/verify-data", test_verify_data);
  g_test_add_func ("/prf/transcript", test_transcript);

  {
    int ret = g_test_run ();
    g_key_file_free (vectors);
    return ret;
  }
}
