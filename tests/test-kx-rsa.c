/* test-kx-rsa.c — the RSA key exchange: PKCS#1 v1.5 decryption on every
 * Wycheproof case, the premaster round trip (with OpenSSL too), and the
 * RFC 5246 7.4.7.1 countermeasure. */
#include "tls-keys.h"
#include "tls-kx-rsa.h"
#include "tls-types.h"
#include "tls-x509.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <nettle/bignum.h>
#include <string.h>

static char *
x509_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "x509", name, NULL);
}

static TlsPrivateKey *
server_key (void)
{
  g_autofree char *path = x509_path ("server-rsa.key");
  g_autoptr (GError) error = NULL;
  TlsPrivateKey *key = tls_private_key_load_file (path, &error);

  g_assert_no_error (error);
  return key;
}

static void
make_pms (guint16 version, guint8 pms[48])
{
  pms[0] = version >> 8;
  pms[1] = version & 0xff;
  for (int i = 2; i < 48; i++)
    pms[i] = (guint8) (i * 7 + 3);
}

/* ------------------------------------------------------------------ */

static void
test_wycheproof (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "wycheproof",
                                                 "rsa_pkcs1_2048_test.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (7, "wycheproof");
  JsonArray *groups;
  guint n_valid = 0, n_invalid = 0;

  g_test_summary ("RSAES-PKCS1-v1_5 decryption on every Wycheproof case: valid gives the message, "
                  "invalid fails");
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  groups = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "testGroups");
  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      JsonObject *group = json_array_get_object_element (groups, g);
      const char *pem = json_object_get_string_member (group, "privateKeyPem");
      g_autoptr (TlsPrivateKey) key = tls_private_key_load (pem, strlen (pem), &error);
      JsonArray *tests = json_object_get_array_member (group, "tests");

      g_assert_no_error (error);
      g_assert_cmpuint (key->bits, ==, json_object_get_int_member (group, "keySize"));
      for (guint t = 0; t < json_array_get_length (tests); t++)
        {
          JsonObject *tc = json_array_get_object_element (tests, t);
          g_autoptr (GBytes) ct = tls_bytes_from_hex (json_object_get_string_member (tc, "ct"));
          g_autoptr (GBytes) msg = tls_bytes_from_hex (json_object_get_string_member (tc, "msg"));
          const char *result = json_object_get_string_member (tc, "result");
          gint64 id = json_object_get_int_member (tc, "tcId");
          guint8 out[512];
          gsize out_len = sizeof out;
          gboolean ok = tls_rsa_pkcs1_decrypt (key, rng, g_bytes_get_data (ct, NULL), g_bytes_get_size (ct),
                                               out, &out_len);

          if (g_str_equal (result, "valid"))
            {
              if (!ok)
                g_error ("tcId %" G_GINT64_FORMAT ": a valid ciphertext did not decrypt", id);
              g_assert_cmpmem (out, out_len, g_bytes_get_data (msg, NULL), g_bytes_get_size (msg));
              n_valid++;
            }
          else
            {
              if (ok)
                g_error ("tcId %" G_GINT64_FORMAT " (%s): an invalid ciphertext decrypted", id,
                         json_object_get_string_member (tc, "comment"));
              n_invalid++;
            }
        }
    }
  g_test_message ("%u valid and %u invalid cases", n_valid, n_invalid);
  g_assert_cmpuint (n_valid + n_invalid, ==, 67);
}

static void
test_roundtrip (void)
{
  g_autoptr (TlsPrivateKey) key = server_key ();
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (1, "client");
  g_autoptr (TlsRng) srng = tls_rng_new_seeded (1, "server");
  g_autoptr (GBytes) enc = NULL;
  TlsRsaDecryptResult res;
  guint8 pms[48], out[48];

  g_test_summary ("A premaster encrypted with the public key decrypts to itself, every check good");
  make_pms (TLS_VERSION_1_2, pms);
  g_assert_true (tls_rsa_encrypt_premaster (&key->pub->rsa, rng, pms, &enc));
  g_assert_cmpuint (g_bytes_get_size (enc), ==, 256);
  tls_rsa_decrypt_premaster (key, srng, g_bytes_get_data (enc, NULL), g_bytes_get_size (enc),
                             TLS_VERSION_1_2, out, &res);
  g_assert_cmpmem (out, 48, pms, 48);
  g_assert_true (res.length_ok);
  g_assert_true (res.padding_ok);
  g_assert_cmpuint (res.message_len, ==, 48);
  g_assert_true (res.size_ok);
  g_assert_cmpuint (res.version_found, ==, TLS_VERSION_1_2);
  g_assert_true (res.version_ok);
  g_assert_false (res.used_random);
}

/* The 46 bytes a server with this seed draws first: R. */
static void
expected_r (guint64 seed, guint8 r[46])
{
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (seed, "server");
  tls_rng_bytes (rng, r, 46);
}

static void
check_random (const guint8 out[48], guint16 client_version, guint64 seed)
{
  guint8 r[46];

  expected_r (seed, r);
  g_assert_cmpuint (out[0], ==, client_version >> 8);
  g_assert_cmpuint (out[1], ==, client_version & 0xff);
  g_assert_cmpmem (out + 2, 46, r, 46);
}

static void
test_wrong_version (void)
{
  g_autoptr (TlsPrivateKey) key = server_key ();
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (2, "client");
  g_autoptr (TlsRng) srng = tls_rng_new_seeded (2, "server");
  g_autoptr (GBytes) enc = NULL;
  TlsRsaDecryptResult res;
  guint8 pms[48], out[48];

  g_test_summary ("A premaster whose version is not ClientHello.client_version becomes "
                  "client_version || R, R the server's first 46 random bytes");
  make_pms (TLS_VERSION_1_0, pms);   /* a downgrade: the client said TLS 1.2 */
  g_assert_true (tls_rsa_encrypt_premaster (&key->pub->rsa, rng, pms, &enc));
  tls_rsa_decrypt_premaster (key, srng, g_bytes_get_data (enc, NULL), g_bytes_get_size (enc),
                             TLS_VERSION_1_2, out, &res);
  check_random (out, TLS_VERSION_1_2, 2);
  g_assert_true (res.padding_ok);
  g_assert_true (res.size_ok);
  g_assert_cmpuint (res.version_found, ==, TLS_VERSION_1_0);
  g_assert_false (res.version_ok);
  g_assert_true (res.used_random);
}

/* m^e mod n for a block we make ourselves, to get padding we choose. */
static GBytes *
raw_encrypt (const TlsPrivateKey *key, const guint8 *block)
{
  gsize k = key->pub->rsa.size;
  guint8 *out = g_malloc (k);
  mpz_t m;

  mpz_init (m);
  nettle_mpz_set_str_256_u (m, k, block);
  mpz_powm (m, m, key->pub->rsa.e, key->pub->rsa.n);
  nettle_mpz_get_str_256 (k, out, m);
  mpz_clear (m);
  return g_bytes_new_take (out, k);
}

/* EM = 00 || BT || PS || 00 || M (RFC 8017, 7.2.1) with M of MLEN bytes */
static guint8 *
padded (gsize k, guint8 bt, gsize mlen, guint16 version)
{
  guint8 *em = g_malloc (k);

  em[0] = 0;
  em[1] = bt;
  for (gsize i = 2; i < k - mlen - 1; i++)
    em[i] = 0x5a;
  guint8 pms[48];

  em[k - mlen - 1] = 0;
  make_pms (version, pms);
  memcpy (em + k - mlen, pms, MIN (mlen, sizeof pms));
  return em;
}

static void
test_bad_padding (void)
{
  static const struct
  {
    const char *what;
    guint8      bt;
    gsize       mlen;
    gboolean    padding_ok;
  } cases[] = {
    { "block type 1 instead of 2", 1, 48, FALSE },
    { "block type 0", 0, 48, FALSE },
    { "a 47-byte message", 2, 47, TRUE },
    { "a 46-byte message", 2, 46, TRUE },
  };
  g_autoptr (TlsPrivateKey) key = server_key ();
  gsize k = key->pub->rsa.size;

  g_test_summary ("Bad padding or a message that is not 48 bytes: the premaster is "
                  "client_version || R, and the result says why (for the trace only)");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *em = padded (k, cases[i].bt, cases[i].mlen, TLS_VERSION_1_2);
      g_autoptr (GBytes) enc = raw_encrypt (key, em);
      g_autoptr (TlsRng) srng = tls_rng_new_seeded (10 + i, "server");
      TlsRsaDecryptResult res;
      guint8 out[48];

      g_test_message ("%s", cases[i].what);
      tls_rsa_decrypt_premaster (key, srng, g_bytes_get_data (enc, NULL), k, TLS_VERSION_1_2, out, &res);
      check_random (out, TLS_VERSION_1_2, 10 + i);
      g_assert_true (res.length_ok);
      g_assert_cmpint (res.padding_ok, ==, cases[i].padding_ok);
      if (cases[i].padding_ok)
        g_assert_cmpuint (res.message_len, ==, cases[i].mlen);
      g_assert_false (res.size_ok);
      g_assert_true (res.used_random);
    }
}

static void
test_bad_length (void)
{
  g_autoptr (TlsPrivateKey) key = server_key ();
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (3, "client");
  g_autoptr (GBytes) enc = NULL;
  gsize k = key->pub->rsa.size;
  g_autofree guint8 *big = g_malloc (k);
  guint8 pms[48], out[48];
  TlsRsaDecryptResult res;

  g_test_summary ("A ciphertext of the wrong length, or not below n, gives client_version || R");
  make_pms (TLS_VERSION_1_1, pms);
  g_assert_true (tls_rsa_encrypt_premaster (&key->pub->rsa, rng, pms, &enc));
  {
    g_autoptr (TlsRng) srng = tls_rng_new_seeded (20, "server");
    tls_rsa_decrypt_premaster (key, srng, g_bytes_get_data (enc, NULL), k - 1, TLS_VERSION_1_1, out, &res);
    check_random (out, TLS_VERSION_1_1, 20);
    g_assert_false (res.length_ok);
    g_assert_true (res.used_random);
  }
  memset (big, 0xff, k);
  {
    g_autoptr (TlsRng) srng = tls_rng_new_seeded (21, "server");
    tls_rsa_decrypt_premaster (key, srng, big, k, TLS_VERSION_1_1, out, &res);
    check_random (out, TLS_VERSION_1_1, 21);
    g_assert_false (res.length_ok);
  }
  {
    gsize n = k;
    g_assert_false (tls_rsa_pkcs1_decrypt (key, NULL, big, k, big, &n));
  }
}

/* ------------------------------------------------------------------ */
/* With OpenSSL                                                         */

static gboolean
run (const char * const *argv)
{
  int status = 0;

  return g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL)
    && g_spawn_check_wait_status (status, NULL);
}

static void
test_openssl (void)
{
  g_autofree char *prog = g_find_program_in_path ("openssl");
  g_autoptr (TlsPrivateKey) key = server_key ();
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (4, "client");
  g_autoptr (GBytes) enc = NULL;
  g_autofree char *dir = NULL, *ct = NULL, *pt = NULL, *keyfile = x509_path ("server-rsa.key");
  g_autofree char *cert = x509_path ("server-rsa.pem"), *pub = NULL, *pubpem = NULL;
  g_autofree char *got = NULL;
  gsize got_len = 0;
  guint8 pms[48], out[48];
  TlsRsaDecryptResult res;

  g_test_summary ("OpenSSL decrypts our EncryptedPreMasterSecret, and we decrypt OpenSSL's");
  if (prog == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  dir = g_dir_make_tmp ("test-kx-rsa-XXXXXX", NULL);
  ct = g_build_filename (dir, "ct", NULL);
  pt = g_build_filename (dir, "pt", NULL);
  pub = g_build_filename (dir, "pub.pem", NULL);

  /* ours -> openssl pkeyutl -decrypt (PKCS#1 v1.5 is its default padding) */
  make_pms (TLS_VERSION_1_2, pms);
  g_assert_true (tls_rsa_encrypt_premaster (&key->pub->rsa, rng, pms, &enc));
  g_assert_true (g_file_set_contents (ct, g_bytes_get_data (enc, NULL), g_bytes_get_size (enc), NULL));
  {
    const char *argv[] = { "openssl", "pkeyutl", "-decrypt", "-inkey", keyfile, "-in", ct, "-out", pt, NULL };
    g_assert_true (run (argv));
  }
  g_assert_true (g_file_get_contents (pt, &got, &got_len, NULL));
  g_assert_cmpmem (got, got_len, pms, 48);

  /* openssl pkeyutl -encrypt -> ours */
  {
    const char *argv[] = { "openssl", "x509", "-in", cert, "-noout", "-pubkey", "-out", pub, NULL };
    g_assert_true (run (argv));
  }
  make_pms (TLS_VERSION_1_0, pms);
  g_assert_true (g_file_set_contents (pt, (const char *) pms, 48, NULL));
  {
    const char *argv[] = { "openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", pub, "-in", pt, "-out", ct, NULL };
    g_assert_true (run (argv));
  }
  g_clear_pointer (&got, g_free);
  g_assert_true (g_file_get_contents (ct, &got, &got_len, NULL));
  {
    g_autoptr (TlsRng) srng = tls_rng_new_seeded (5, "server");
    tls_rsa_decrypt_premaster (key, srng, (const guint8 *) got, got_len, TLS_VERSION_1_0, out, &res);
  }
  g_assert_false (res.used_random);
  g_assert_cmpmem (out, 48, pms, 48);

  g_unlink (ct);
  g_unlink (pt);
  g_unlink (pub);
  g_rmdir (dir);
}

/* The key keeps its blinding pair between decryptions, squared after each
 * and drawn anew every 32 (tls-kx-rsa.c): 100 premasters in a row (three
 * new pairs), from four threads at once on the one key, all decrypt to
 * what was encrypted.  And each decryption draws what rsa_compute_root_tr
 * drew before: R (46 bytes), then the blinding (as many bytes as n has
 * limbs: 256) and the same again for the trace's analysis. */
typedef struct
{
  TlsPrivateKey *key;
  guint          thread;
  guint          good;
} BlindingRun;

static gpointer
blinding_thread (gpointer data)
{
  BlindingRun *run = data;
  g_autofree char *label = g_strdup_printf ("client %u", run->thread);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (run->thread, label);
  g_autoptr (TlsRng) srng = tls_rng_new_seeded (run->thread, "server");

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr (GBytes) enc = NULL;
      TlsRsaDecryptResult res;
      guint8 pms[48], out[48];

      tls_rng_bytes (rng, pms, sizeof pms);
      pms[0] = 3;
      pms[1] = 3;
      if (!tls_rsa_encrypt_premaster (&run->key->pub->rsa, rng, pms, &enc))
        continue;
      tls_rsa_decrypt_premaster (run->key, srng, g_bytes_get_data (enc, NULL),
                                 g_bytes_get_size (enc), TLS_VERSION_1_2, out, &res);
      if (memcmp (out, pms, 48) == 0 && !res.used_random && res.padding_ok)
        run->good++;
    }
  return NULL;
}

static void
test_blinding (void)
{
  g_autoptr (TlsPrivateKey) key = server_key ();
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (7, "client");
  g_autoptr (TlsRng) srng = tls_rng_new_seeded (7, "server");
  g_autoptr (TlsRng) expect = tls_rng_new_seeded (7, "server");
  BlindingRun runs[4];
  GThread *threads[4];
  guint8 skip[46 + 2 * 256], next[16], want[16];

  g_test_summary ("The blinding pair kept with the key: 100 decryptions in a row and from four "
                  "threads give the premaster back; each draws 46 + 2 x 256 bytes");
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr (GBytes) enc = NULL;
      TlsRsaDecryptResult res;
      guint8 pms[48], out[48];

      make_pms (TLS_VERSION_1_2, pms);
      pms[47] = (guint8) i;
      g_assert_true (tls_rsa_encrypt_premaster (&key->pub->rsa, rng, pms, &enc));
      tls_rsa_decrypt_premaster (key, srng, g_bytes_get_data (enc, NULL), g_bytes_get_size (enc),
                                 TLS_VERSION_1_2, out, &res);
      g_assert_cmpmem (out, 48, pms, 48);
      g_assert_false (res.used_random);
      tls_rng_bytes (expect, skip, sizeof skip);
      tls_rng_bytes (srng, next, sizeof next);
      tls_rng_bytes (expect, want, sizeof want);
      g_assert_cmpmem (next, sizeof next, want, sizeof want);
    }
  for (guint t = 0; t < G_N_ELEMENTS (runs); t++)
    {
      runs[t] = (BlindingRun) { key, t + 1, 0 };
      threads[t] = g_thread_new ("blinding", blinding_thread, &runs[t]);
    }
  for (guint t = 0; t < G_N_ELEMENTS (runs); t++)
    {
      g_thread_join (threads[t]);
      g_assert_cmpuint (runs[t].good, ==, 25);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kx-rsa/wycheproof", test_wycheproof);
  g_test_add_func ("/kx-rsa/roundtrip", test_roundtrip);
  g_test_add_func ("/kx-rsa/countermeasure/wrong-version", test_wrong_version);
  g_test_add_func ("/kx-rsa/countermeasure/bad-padding", test_bad_padding);
  g_test_add_func ("/kx-rsa/countermeasure/bad-length", test_bad_length);
  g_test_add_func ("/kx-rsa/openssl", test_openssl);
  g_test_add_func ("/kx-rsa/blinding", test_blinding);
  return g_test_run ();
}
