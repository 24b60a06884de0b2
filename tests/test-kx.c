/* test-kx.c — the key exchanges: finite-field DH (tls-kx-dh) and ECDH
 * (tls-kx-ecdh).
 *
 * ECDH: every case of Wycheproof's x25519_test.json and
 * ecdh_secp256r1_ecpoint_test.json (tests/data/README.md), RFC 7748, 6.1's
 * known answer, round trips on each group, invalid points.
 * DH: the RFC 7919 constants against OpenSSL's ffdhe2048 (in the demo
 * PKI's DH key), known answers computed with Python's pow() (independently
 * of GMP and of this code), the range checks on Y, the group checks, and
 * static DH with the demo PKI's DH certificates and keys. */
#include "tls-kx-dh.h"
#include "tls-kx-ecdh.h"
#include "tls-alert.h"
#include "tls-pem.h"
#include "tls-x509.h"
#include "test-util.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Helpers                                                             */


#define DATA(b) ((const guint8 *) g_bytes_get_data ((b), NULL))
#define SIZE(b) g_bytes_get_size ((b))



static gboolean
has_flag (JsonObject *t, const char *flag)
{
  JsonArray *flags = json_object_get_array_member (t, "flags");

  for (guint i = 0; flags && i < json_array_get_length (flags); i++)
    if (g_strcmp0 (json_array_get_string_element (flags, i), flag) == 0)
      return TRUE;
  return FALSE;
}


/* ------------------------------------------------------------------ */
/* ECDH: Wycheproof                                                    */

static void
test_x25519_wycheproof (void)
{
  g_autoptr (JsonParser) parser = tu_load_wycheproof ("x25519_test.json");
  JsonArray *groups = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                    "testGroups");
  guint n_valid = 0, n_zero = 0, n_acceptable_ok = 0;

  g_test_summary ("Every Wycheproof X25519 case: valid ones agree, all-zero "
                  "shared secrets are refused (RFC 7748, 6.1)");
  for (guint gi = 0; gi < json_array_get_length (groups); gi++)
    {
      JsonObject *g = json_array_get_object_element (groups, gi);
      JsonArray *tests = json_object_get_array_member (g, "tests");

      g_assert_cmpstr (json_object_get_string_member (g, "curve"), ==, "curve25519");
      for (guint ti = 0; ti < json_array_get_length (tests); ti++)
        {
          JsonObject *t = json_array_get_object_element (tests, ti);
          gint64 id = json_object_get_int_member (t, "tcId");
          const char *result = json_object_get_string_member (t, "result");
          g_autoptr (GBytes) pub = tu_member_hex (t, "public");
          g_autoptr (GBytes) priv = tu_member_hex (t, "private");
          g_autoptr (GBytes) shared = tu_member_hex (t, "shared");
          g_autoptr (TlsEcdhKey) key = tls_ecdh_key_from_private (TLS_GROUP_X25519,
                                                                  DATA (priv), SIZE (priv));
          g_autoptr (GBytes) Z = NULL;
          g_autofree char *reason = NULL;
          int rc;

          g_assert_nonnull (key);
          rc = tls_ecdh_shared (key, DATA (pub), SIZE (pub), &Z, &reason);
          if (has_flag (t, "ZeroSharedSecret"))
            {
              if (rc != TLS_ALERT_ILLEGAL_PARAMETER)
                g_error ("tcId %" G_GINT64_FORMAT ": an all-zero shared secret was accepted", id);
              g_assert_null (Z);
              g_assert_nonnull (reason);
              n_zero++;
            }
          else if (g_str_equal (result, "valid"))
            {
              if (rc != 0)
                g_error ("tcId %" G_GINT64_FORMAT ": refused: %s", id, reason);
              g_assert_true (g_bytes_equal (Z, shared));
              n_valid++;
            }
          else
            {
              /* acceptable: either way, but if accepted the value is right */
              g_assert_cmpstr (result, ==, "acceptable");
              if (rc == 0)
                {
                  g_assert_true (g_bytes_equal (Z, shared));
                  n_acceptable_ok++;
                }
            }
        }
    }
  g_test_message ("%u valid, %u all-zero refused, %u acceptable accepted",
                  n_valid, n_zero, n_acceptable_ok);
  g_assert_cmpuint (n_valid, >, 200);
  g_assert_cmpuint (n_zero, >, 20);
}

static void
test_p256_wycheproof (void)
{
  g_autoptr (JsonParser) parser = tu_load_wycheproof ("ecdh_secp256r1_ecpoint_test.json");
  JsonArray *groups = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                    "testGroups");
  guint n_valid = 0, n_invalid = 0;

  g_test_summary ("Every Wycheproof secp256r1 ECDH case with the public key as a "
                  "raw point: valid ones agree, invalid points are refused");
  for (guint gi = 0; gi < json_array_get_length (groups); gi++)
    {
      JsonObject *g = json_array_get_object_element (groups, gi);
      JsonArray *tests = json_object_get_array_member (g, "tests");

      g_assert_cmpstr (json_object_get_string_member (g, "curve"), ==, "secp256r1");
      g_assert_cmpstr (json_object_get_string_member (g, "encoding"), ==, "ecpoint");
      for (guint ti = 0; ti < json_array_get_length (tests); ti++)
        {
          JsonObject *t = json_array_get_object_element (tests, ti);
          gint64 id = json_object_get_int_member (t, "tcId");
          const char *result = json_object_get_string_member (t, "result");
          g_autoptr (GBytes) pub = tu_member_hex (t, "public");
          g_autoptr (GBytes) priv = tu_member_hex (t, "private");
          g_autoptr (GBytes) shared = tu_member_hex (t, "shared");
          g_autoptr (TlsEcdhKey) key = tls_ecdh_key_from_private (TLS_GROUP_SECP256R1,
                                                                  DATA (priv), SIZE (priv));
          g_autoptr (GBytes) Z = NULL;
          g_autofree char *reason = NULL;
          g_autofree char *check_reason = NULL;
          int rc, check;

          g_assert_nonnull (key);
          rc = tls_ecdh_shared (key, DATA (pub), SIZE (pub), &Z, &reason);
          check = tls_ecdh_check_public (TLS_GROUP_SECP256R1, DATA (pub), SIZE (pub),
                                         &check_reason);
          g_assert_cmpint (rc, ==, check);
          if (g_str_equal (result, "valid"))
            {
              if (rc != 0)
                g_error ("tcId %" G_GINT64_FORMAT ": refused: %s", id, reason);
              g_assert_cmpuint (SIZE (Z), ==, 32);
              g_assert_true (g_bytes_equal (Z, shared));
              n_valid++;
            }
          else if (g_str_equal (result, "invalid"))
            {
              if (rc != TLS_ALERT_ILLEGAL_PARAMETER)
                g_error ("tcId %" G_GINT64_FORMAT ": an invalid point was accepted", id);
              g_assert_null (Z);
              g_assert_nonnull (reason);
              n_invalid++;
            }
          else
            {
              /* acceptable: a compressed point, which TLS 1.2 with
               * ec_point_formats = uncompressed does not allow: refused. */
              g_assert_cmpstr (result, ==, "acceptable");
              g_assert_cmpint (rc, ==, TLS_ALERT_ILLEGAL_PARAMETER);
            }
        }
    }
  g_test_message ("%u valid, %u invalid refused", n_valid, n_invalid);
  g_assert_cmpuint (n_valid, >, 300);
  g_assert_cmpuint (n_invalid, >, 20);
}

/* ------------------------------------------------------------------ */
/* ECDH: known answer, round trips, bad points                         */

static void
test_x25519_rfc7748 (void)
{
  /* RFC 7748, 6.1 */
  g_autoptr (GBytes) a = tu_hex ("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  g_autoptr (GBytes) a_pub = tu_hex ("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  g_autoptr (GBytes) b = tu_hex ("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  g_autoptr (GBytes) b_pub = tu_hex ("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  g_autoptr (GBytes) k = tu_hex ("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  g_autoptr (TlsEcdhKey) alice = tls_ecdh_key_from_private (TLS_GROUP_X25519, DATA (a), SIZE (a));
  g_autoptr (TlsEcdhKey) bob = tls_ecdh_key_from_private (TLS_GROUP_X25519, DATA (b), SIZE (b));
  g_autoptr (GBytes) pa = tls_ecdh_public (alice);
  g_autoptr (GBytes) pb = tls_ecdh_public (bob);
  g_autoptr (GBytes) za = NULL;
  g_autoptr (GBytes) zb = NULL;

  g_test_summary ("RFC 7748, 6.1: Alice's and Bob's public keys and shared secret");
  g_assert_true (g_bytes_equal (pa, a_pub));
  g_assert_true (g_bytes_equal (pb, b_pub));
  g_assert_cmpint (tls_ecdh_shared (alice, DATA (pb), SIZE (pb), &za, NULL), ==, 0);
  g_assert_cmpint (tls_ecdh_shared (bob, DATA (pa), SIZE (pa), &zb, NULL), ==, 0);
  g_assert_true (g_bytes_equal (za, k));
  g_assert_true (g_bytes_equal (zb, k));
}

static void
test_x448_rfc7748 (void)
{
  /* RFC 7748, 6.2 */
  g_autoptr (GBytes) a = tu_hex ("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28d"
                                 "d9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b");
  g_autoptr (GBytes) a_pub = tu_hex ("9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c"
                                     "22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0");
  g_autoptr (GBytes) b = tu_hex ("1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d"
                                 "6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d");
  g_autoptr (GBytes) b_pub = tu_hex ("3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b430"
                                     "27d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609");
  g_autoptr (GBytes) k = tu_hex ("07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282b"
                                 "b60c0b56fd2464c335543936521c24403085d59a449a5037514a879d");
  g_autoptr (TlsEcdhKey) alice = tls_ecdh_key_from_private (TLS_GROUP_X448, DATA (a), SIZE (a));
  g_autoptr (TlsEcdhKey) bob = tls_ecdh_key_from_private (TLS_GROUP_X448, DATA (b), SIZE (b));
  g_autoptr (GBytes) pa = tls_ecdh_public (alice);
  g_autoptr (GBytes) pb = tls_ecdh_public (bob);
  g_autoptr (GBytes) za = NULL;
  g_autoptr (GBytes) zb = NULL;
  guint8 zero[56] = { 0 };
  g_autofree char *reason = NULL;

  g_test_summary ("RFC 7748, 6.2: Alice's and Bob's X448 public keys and shared secret; "
                  "u = 0 gives an all-zero secret, refused (RFC 8422, 5.11)");
  g_assert_cmpuint (tls_ecdh_public_len (TLS_GROUP_X448), ==, 56);
  g_assert_true (g_bytes_equal (pa, a_pub));
  g_assert_true (g_bytes_equal (pb, b_pub));
  g_assert_cmpint (tls_ecdh_shared (alice, DATA (pb), SIZE (pb), &za, NULL), ==, 0);
  g_assert_cmpint (tls_ecdh_shared (bob, DATA (pa), SIZE (pa), &zb, NULL), ==, 0);
  g_assert_true (g_bytes_equal (za, k));
  g_assert_true (g_bytes_equal (zb, k));
  g_clear_pointer (&za, g_bytes_unref);
  g_assert_cmpint (tls_ecdh_shared (alice, zero, 56, &za, &reason), ==, TLS_ALERT_ILLEGAL_PARAMETER);
  g_assert_nonnull (strstr (reason, "X448"));
  g_assert_cmpint (tls_ecdh_check_public (TLS_GROUP_X448, zero, 32, NULL), ==,
                   TLS_ALERT_ILLEGAL_PARAMETER);
}

static void
test_ecdh_roundtrip (gconstpointer data)
{
  guint16 group = GPOINTER_TO_UINT (data);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (7, "ecdh");
  g_autoptr (TlsRng) rng2 = tls_rng_new_seeded (7, "ecdh");
  g_autoptr (TlsEcdhKey) c = tls_ecdh_keygen (group, rng);
  g_autoptr (TlsEcdhKey) s = tls_ecdh_keygen (group, rng);
  g_autoptr (TlsEcdhKey) c2 = tls_ecdh_keygen (group, rng2);
  g_autoptr (GBytes) pc = tls_ecdh_public (c);
  g_autoptr (GBytes) ps = tls_ecdh_public (s);
  g_autoptr (GBytes) pc2 = tls_ecdh_public (c2);
  g_autoptr (GBytes) zc = NULL;
  g_autoptr (GBytes) zs = NULL;
  gsize zlen = group == TLS_GROUP_SECP384R1 ? 48 : group == TLS_GROUP_X448 ? 56 : 32;

  g_test_summary ("Both sides of an ECDHE exchange get the same Z, of the field's "
                  "length; the same seed gives the same key");
  g_assert_true (tls_ecdh_group_supported (group));
  g_assert_cmpuint (tls_ecdh_key_group (c), ==, group);
  g_assert_cmpuint (SIZE (pc), ==, tls_ecdh_public_len (group));
  if (group != TLS_GROUP_X25519 && group != TLS_GROUP_X448)
    g_assert_cmpuint (DATA (pc)[0], ==, 0x04);
  g_assert_false (g_bytes_equal (pc, ps));
  g_assert_true (g_bytes_equal (pc, pc2));
  g_assert_cmpint (tls_ecdh_check_public (group, DATA (ps), SIZE (ps), NULL), ==, 0);
  g_assert_cmpint (tls_ecdh_shared (c, DATA (ps), SIZE (ps), &zc, NULL), ==, 0);
  g_assert_cmpint (tls_ecdh_shared (s, DATA (pc), SIZE (pc), &zs, NULL), ==, 0);
  g_assert_cmpuint (SIZE (zc), ==, zlen);
  g_assert_true (g_bytes_equal (zc, zs));
}

static void
expect_bad_point (const TlsEcdhKey *key, const guint8 *pt, gsize len)
{
  g_autoptr (GBytes) Z = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *reason2 = NULL;
  guint16 group = tls_ecdh_key_group (key);

  g_assert_cmpint (tls_ecdh_shared (key, pt, len, &Z, &reason), ==, TLS_ALERT_ILLEGAL_PARAMETER);
  g_assert_null (Z);
  g_assert_nonnull (reason);
  g_test_message ("refused: %s", reason);
  if (group != TLS_GROUP_X25519 || len != 32)
    {
      g_assert_cmpint (tls_ecdh_check_public (group, pt, len, &reason2), ==,
                       TLS_ALERT_ILLEGAL_PARAMETER);
      g_assert_nonnull (reason2);
    }
}

static void
test_ecdh_invalid (void)
{
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (8, "ecdh");
  guint16 nist[] = { TLS_GROUP_SECP256R1, TLS_GROUP_SECP384R1 };
  g_autoptr (TlsEcdhKey) x = tls_ecdh_keygen (TLS_GROUP_X25519, rng);
  guint8 zero[32] = { 0 }, one[32] = { 1 };
  guint8 buf[100];

  g_test_summary ("Invalid points are refused with illegal_parameter: wrong length, "
                  "compressed, bad prefix, off the curve; X25519 small-order points");
  /* X25519: wrong lengths, u = 0 and u = 1 (small order: Z = 0) */
  expect_bad_point (x, zero, 31);
  expect_bad_point (x, zero, 33);
  expect_bad_point (x, zero, 0);
  expect_bad_point (x, zero, 32);
  expect_bad_point (x, one, 32);

  for (guint i = 0; i < G_N_ELEMENTS (nist); i++)
    {
      g_autoptr (TlsEcdhKey) k = tls_ecdh_keygen (nist[i], rng);
      g_autoptr (TlsEcdhKey) other = tls_ecdh_keygen (nist[i], rng);
      g_autoptr (GBytes) pub = tls_ecdh_public (other);
      gsize n = SIZE (pub);

      g_assert_cmpuint (n, <=, sizeof buf);
      memcpy (buf, DATA (pub), n);
      g_assert_cmpint (tls_ecdh_check_public (nist[i], buf, n, NULL), ==, 0);
      expect_bad_point (k, buf, 0);
      expect_bad_point (k, buf, n - 1);
      expect_bad_point (k, buf, 1);
      /* compressed form of the same x */
      buf[0] = 0x02 | (DATA (pub)[n - 1] & 1);
      expect_bad_point (k, buf, 1 + (n - 1) / 2);
      buf[0] = 0x00;
      expect_bad_point (k, buf, n);
      buf[0] = 0x04;
      /* y changed: no longer on the curve */
      buf[n - 1] ^= 0x01;
      expect_bad_point (k, buf, n);
      /* x = y = 0 is not on the curve either */
      memset (buf + 1, 0, n - 1);
      expect_bad_point (k, buf, n);
      /* coordinates of all ff (>= p) */
      memset (buf + 1, 0xff, n - 1);
      expect_bad_point (k, buf, n);
      /* the X25519 length on a NIST curve */
      expect_bad_point (k, DATA (pub), 32);
    }

  /* unsupported groups */
  g_assert_false (tls_ecdh_group_supported (25));
  g_assert_null (tls_ecdh_keygen (25, rng));
  g_assert_cmpuint (tls_ecdh_public_len (25), ==, 0);
  g_assert_cmpint (tls_ecdh_check_public (25, buf, 10, NULL), ==, TLS_ALERT_HANDSHAKE_FAILURE);
  /* private scalars out of range */
  g_assert_null (tls_ecdh_key_from_private (TLS_GROUP_SECP256R1, zero, 32));
  memset (buf, 0xff, 32);
  g_assert_null (tls_ecdh_key_from_private (TLS_GROUP_SECP256R1, buf, 32));
  g_assert_null (tls_ecdh_key_from_private (TLS_GROUP_X25519, buf, 31));
}

/* ------------------------------------------------------------------ */
/* DH                                                                  */

/* ffdhe2048's p, as `openssl genpkey -pkeyopt group:ffdhe2048` put it in
 * the demo PKI's DH key (data/pki/server-dh-rsa.key). */
static void
test_dh_groups (void)
{
  const TlsDhGroup *g2048 = tls_dh_group_ffdhe2048 ();
  const TlsDhGroup *g3072 = tls_dh_group_ffdhe3072 ();
  const char *name = NULL;
  guint8 padded[257];

  g_test_summary ("The RFC 7919 groups: sizes, names, lookup, and ffdhe2048's p "
                  "equals the one OpenSSL wrote into the demo PKI's DH key");
  g_assert_cmpstr (g2048->name, ==, "ffdhe2048");
  g_assert_cmpuint (g2048->named_group, ==, 256);
  g_assert_cmpuint (g2048->bits, ==, 2048);
  g_assert_cmpuint (g2048->p_len, ==, 256);
  g_assert_cmpuint (g2048->g, ==, 2);
  g_assert_cmpuint (g3072->bits, ==, 3072);
  g_assert_cmpuint (g3072->p_len, ==, 384);
  g_assert_cmpuint (g3072->named_group, ==, 257);
  /* RFC 7919: both begin and end with 64 one bits */
  for (guint i = 0; i < 8; i++)
    {
      g_assert_cmpuint (g2048->p[i], ==, 0xff);
      g_assert_cmpuint (g2048->p[g2048->p_len - 1 - i], ==, 0xff);
      g_assert_cmpuint (g3072->p[i], ==, 0xff);
      g_assert_cmpuint (g3072->p[g3072->p_len - 1 - i], ==, 0xff);
    }
  g_assert_true (tls_dh_group_by_id (256) == g2048);
  g_assert_true (tls_dh_group_by_id (257) == g3072);
  g_assert_null (tls_dh_group_by_id (258));
  g_assert_true (tls_dh_group_by_name ("ffdhe3072") == g3072);
  g_assert_null (tls_dh_group_by_name ("modp2048"));

  g_assert_true (tls_dh_is_known_group (g3072->p, g3072->p_len, &name));
  g_assert_cmpstr (name, ==, "ffdhe3072");
  padded[0] = 0;
  memcpy (padded + 1, g2048->p, 256);
  g_assert_true (tls_dh_is_known_group (padded, 257, &name));
  g_assert_cmpstr (name, ==, "ffdhe2048");
  padded[100] ^= 1;
  g_assert_false (tls_dh_is_known_group (padded, 257, &name));
  g_assert_null (name);

  if (tu_datadir () == NULL)
    {
      g_test_skip ("HANDSHAKE_LAB_DATADIR not set");
      return;
    }
  {
    g_autofree char *path = g_build_filename (tu_datadir (), "pki", "server-dh-rsa.key", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (TlsDhKey) key = tls_dh_key_from_private_key_file (path, &error);
    TlsDhParams params;

    g_assert_no_error (error);
    tls_dh_key_params (key, &params);
    g_assert_cmpmem (params.p, params.p_len, g2048->p, g2048->p_len);
    g_assert_cmpmem (params.g, params.g_len, "\x02", 1);
  }
}

static void
dh_pair (const TlsDhParams *params, guint64 seed)
{
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (seed, "dh");
  g_autoptr (TlsDhKey) a = tls_dh_keygen (params, rng);
  g_autoptr (TlsDhKey) b = tls_dh_keygen (params, rng);
  g_autoptr (GBytes) ya = tls_dh_key_public (a);
  g_autoptr (GBytes) yb = tls_dh_key_public (b);
  g_autoptr (GBytes) za = NULL;
  g_autoptr (GBytes) zb = NULL;
  g_autofree char *reason = NULL;

  g_assert_nonnull (a);
  g_assert_true (tls_dh_key_has_private (a));
  g_assert_cmpuint (SIZE (ya), ==, params->p_len);
  g_assert_false (g_bytes_equal (ya, yb));
  g_assert_true (tls_dh_shared (a, DATA (yb), SIZE (yb), &za, &reason));
  g_assert_null (reason);
  g_assert_true (tls_dh_shared (b, DATA (ya), SIZE (ya), &zb, NULL));
  g_assert_true (g_bytes_equal (za, zb));
  g_assert_cmpuint (SIZE (za), <=, params->p_len);
  g_assert_cmpuint (DATA (za)[0], !=, 0);
}

static void
test_dh_roundtrip (void)
{
  TlsDhParams params;

  g_test_summary ("DHE with ffdhe2048 and ffdhe3072: both sides get the same Z");
  tls_dh_group_params (tls_dh_group_ffdhe2048 (), &params);
  for (guint64 seed = 1; seed <= 3; seed++)
    dh_pair (&params, seed);
  tls_dh_group_params (tls_dh_group_ffdhe3072 (), &params);
  dh_pair (&params, 4);
}

/* A 512-bit safe prime made with `openssl prime -generate -bits 512 -safe`. */
static const char p512_hex[] =
  "e82459c6d66a4d91119f1bc94d221cae3a5280d48fbbc78156218f65645b4375"
  "3f379ed787e131610ef1b0bc7747b61374cd7c5a2a7d7322fae3137fb8c72edf";

static void
test_dh_small_group (void)
{
  g_autoptr (GBytes) p = tu_hex (p512_hex);
  TlsDhParams params = { DATA (p), SIZE (p), (const guint8 *) "\x02", 1 };
  g_autofree char *reason = NULL;

  g_test_summary ("A 512-bit group is refused with insufficient_security at the default "
                  "minimum of 2048 bits, and works when a teacher lowers it");
  g_assert_cmpint (tls_dh_check_params (DATA (p), SIZE (p), params.g, 1, 0, &reason), ==,
                   TLS_ALERT_INSUFFICIENT_SECURITY);
  g_assert_nonnull (reason);
  g_test_message ("%s", reason);
  g_clear_pointer (&reason, g_free);
  g_assert_cmpint (tls_dh_check_params (DATA (p), SIZE (p), params.g, 1, 2048, NULL), ==,
                   TLS_ALERT_INSUFFICIENT_SECURITY);
  g_assert_cmpint (tls_dh_check_params (DATA (p), SIZE (p), params.g, 1, 512, &reason), ==, 0);
  g_assert_null (reason);
  g_assert_false (tls_dh_is_known_group (DATA (p), SIZE (p), NULL));
  dh_pair (&params, 5);
}

static void
test_dh_check_params (void)
{
  const TlsDhGroup *g2048 = tls_dh_group_ffdhe2048 ();
  const TlsDhGroup *g3072 = tls_dh_group_ffdhe3072 ();
  g_autofree guint8 *p = g_memdup2 (g2048->p, g2048->p_len);
  g_autofree guint8 *pm1 = g_memdup2 (g2048->p, g2048->p_len);
  guint8 g_bad[1];
  guint8 all_ff[256];
  char *reason = NULL;

  g_test_summary ("Group checks: RFC 7919 groups pass; even p, g out of range and a "
                  "composite p get illegal_parameter; a group below the minimum gets "
                  "insufficient_security");
  g_assert_cmpint (tls_dh_check_params (g2048->p, g2048->p_len, &g2048->g, 1, 0, &reason), ==, 0);
  g_assert_null (reason);
  g_assert_cmpint (tls_dh_check_params (g3072->p, g3072->p_len, &g3072->g, 1, 3072, NULL), ==, 0);
  g_assert_cmpint (tls_dh_check_params (g3072->p, g3072->p_len, &g3072->g, 1, 4096, NULL), ==,
                   TLS_ALERT_INSUFFICIENT_SECURITY);

#define EXPECT(pp, pl, gg, gl, alert) G_STMT_START {                          \
    g_assert_cmpint (tls_dh_check_params (pp, pl, gg, gl, 0, &reason), ==, alert); \
    g_assert_nonnull (reason);                                                \
    g_test_message ("%s", reason);                                            \
    g_clear_pointer (&reason, g_free);                                        \
  } G_STMT_END

  /* g = 0, 1, p-1, p */
  g_bad[0] = 0;
  EXPECT (g2048->p, g2048->p_len, g_bad, 1, TLS_ALERT_ILLEGAL_PARAMETER);
  g_bad[0] = 1;
  EXPECT (g2048->p, g2048->p_len, g_bad, 1, TLS_ALERT_ILLEGAL_PARAMETER);
  pm1[g2048->p_len - 1] -= 1;
  EXPECT (g2048->p, g2048->p_len, pm1, g2048->p_len, TLS_ALERT_ILLEGAL_PARAMETER);
  EXPECT (g2048->p, g2048->p_len, g2048->p, g2048->p_len, TLS_ALERT_ILLEGAL_PARAMETER);
  /* even p (p - 1) */
  EXPECT (pm1, g2048->p_len, &g2048->g, 1, TLS_ALERT_ILLEGAL_PARAMETER);
  /* odd but composite: 2^2048 - 1 (divisible by 3) */
  memset (all_ff, 0xff, sizeof all_ff);
  EXPECT (all_ff, sizeof all_ff, &g2048->g, 1, TLS_ALERT_ILLEGAL_PARAMETER);
  /* p with one bit changed: not prime (and not known) */
  p[128] ^= 0x10;
  EXPECT (p, g2048->p_len, &g2048->g, 1, TLS_ALERT_ILLEGAL_PARAMETER);
  /* empty and tiny p */
  EXPECT (g2048->p, 0, &g2048->g, 1, TLS_ALERT_ILLEGAL_PARAMETER);
  EXPECT ((const guint8 *) "\x03", 1, &g2048->g, 1, TLS_ALERT_ILLEGAL_PARAMETER);
#undef EXPECT
}

static void
test_dh_bad_y (void)
{
  const TlsDhGroup *grp = tls_dh_group_ffdhe2048 ();
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (9, "dh");
  TlsDhParams params;
  g_autoptr (TlsDhKey) key = NULL;
  guint8 y[257];
  gsize n = grp->p_len;

  g_test_summary ("Y = 0, 1, p-2 (outside the subgroup), p-1, p, larger than p and "
                  "an empty Y are refused (RFC 7919, 5.1: 1 < Y < p-1); a leading zero "
                  "byte does not change Y");
  tls_dh_group_params (grp, &params);
  key = tls_dh_keygen (&params, rng);

#define EXPECT_REFUSED(data, len) G_STMT_START {                              \
    g_autoptr (GBytes) Z = NULL;                                              \
    g_autofree char *reason = NULL;                                           \
    g_assert_false (tls_dh_shared (key, data, len, &Z, &reason));             \
    g_assert_null (Z);                                                        \
    g_assert_nonnull (reason);                                                \
    g_test_message ("refused: %s", reason);                                   \
  } G_STMT_END

  memset (y, 0, sizeof y);
  EXPECT_REFUSED (y, n);          /* 0 */
  EXPECT_REFUSED (y, 1);          /* 0, short */
  EXPECT_REFUSED (y, 0);          /* empty */
  y[n - 1] = 1;
  EXPECT_REFUSED (y, n);          /* 1 */
  memcpy (y, grp->p, n);
  EXPECT_REFUSED (y, n);          /* p */
  y[n - 1] -= 1;
  EXPECT_REFUSED (y, n);          /* p-1 */
  y[n - 1] -= 1;
  EXPECT_REFUSED (y, n);          /* p-2: a non-residue, outside the q-subgroup */
  memset (y, 0xff, sizeof y);
  EXPECT_REFUSED (y, 257);        /* larger than p */
  EXPECT_REFUSED (y, n);          /* 2^2048 - 1, larger than p */
#undef EXPECT_REFUSED

  /* the same Y with a leading zero byte is the same number */
  {
    g_autoptr (TlsDhKey) other = tls_dh_keygen (&params, rng);
    g_autoptr (GBytes) pub = tls_dh_key_public (other);
    g_autoptr (GBytes) z1 = NULL;
    g_autoptr (GBytes) z2 = NULL;
    TlsPublicKey not_dh = { 0 };

    y[0] = 0;
    memcpy (y + 1, DATA (pub), n);
    g_assert_true (tls_dh_shared (key, DATA (pub), n, &z1, NULL));
    g_assert_true (tls_dh_shared (key, y, n + 1, &z2, NULL));
    g_assert_true (g_bytes_equal (z1, z2));
    g_assert_null (tls_dh_key_from_certificate_public (&not_dh));
  }
}

static void
test_dh_kat_small (void)
{
  /* p = 23, g = 5, a = 6, b = 15: A = 8, B = 19, Z = 2 (pow() in Python) */
  TlsDhParams params = { (const guint8 *) "\x17", 1, (const guint8 *) "\x05", 1 };
  g_autoptr (TlsDhKey) a = tls_dh_key_new_private (&params, (const guint8 *) "\x06", 1);
  g_autoptr (TlsDhKey) b = tls_dh_key_new_private (&params, (const guint8 *) "\x0f", 1);
  g_autoptr (GBytes) ya = tls_dh_key_public (a);
  g_autoptr (GBytes) yb = tls_dh_key_public (b);
  g_autoptr (GBytes) za = NULL;
  g_autoptr (GBytes) zb = NULL;
  /* p = 65537, g = 3, x = 1234, peer x = 5678: Y = 00 b1 d9 (padded to
   * p's three bytes), peer Y = 00 a2 88, Z = ae 86 (its leading zero byte
   * stripped, RFC 5246, 8.1.2) */
  TlsDhParams params2 = { (const guint8 *) "\x01\x00\x01", 3, (const guint8 *) "\x03", 1 };
  g_autoptr (TlsDhKey) c = tls_dh_key_new_private (&params2, (const guint8 *) "\x04\xd2", 2);
  g_autoptr (TlsDhKey) d = tls_dh_key_new_private (&params2, (const guint8 *) "\x16\x2e", 2);
  g_autoptr (GBytes) yc = tls_dh_key_public (c);
  g_autoptr (GBytes) yd = tls_dh_key_public (d);
  g_autoptr (GBytes) zc = NULL;
  g_autoptr (GBytes) zd = NULL;

  g_test_summary ("Known answers with small numbers: public values padded to p's "
                  "length, leading zero bytes of Z stripped");
  g_assert_cmpmem (DATA (ya), SIZE (ya), "\x08", 1);
  g_assert_cmpmem (DATA (yb), SIZE (yb), "\x13", 1);
  g_assert_true (tls_dh_shared (a, DATA (yb), SIZE (yb), &za, NULL));
  g_assert_true (tls_dh_shared (b, DATA (ya), SIZE (ya), &zb, NULL));
  g_assert_cmpmem (DATA (za), SIZE (za), "\x02", 1);
  g_assert_cmpmem (DATA (zb), SIZE (zb), "\x02", 1);

  g_assert_cmpmem (DATA (yc), SIZE (yc), "\x00\xb1\xd9", 3);
  g_assert_cmpmem (DATA (yd), SIZE (yd), "\x00\xa2\x88", 3);
  g_assert_true (tls_dh_shared (c, DATA (yd), SIZE (yd), &zc, NULL));
  g_assert_true (tls_dh_shared (d, DATA (yc), SIZE (yc), &zd, NULL));
  g_assert_cmpmem (DATA (zc), SIZE (zc), "\xae\x86", 2);
  g_assert_true (g_bytes_equal (zc, zd));
  /* the peer's Y without its leading zero is the same number */
  g_clear_pointer (&zc, g_bytes_unref);
  g_assert_true (tls_dh_shared (c, DATA (yd) + 1, 2, &zc, NULL));
  g_assert_cmpmem (DATA (zc), SIZE (zc), "\xae\x86", 2);

  /* secrets out of range; unusable groups */
  g_assert_null (tls_dh_key_new_private (&params, (const guint8 *) "\x00", 1));
  g_assert_null (tls_dh_key_new_private (&params, (const guint8 *) "\x16", 1));
  {
    TlsDhParams even = { (const guint8 *) "\x18", 1, (const guint8 *) "\x05", 1 };
    TlsDhParams g1 = { (const guint8 *) "\x17", 1, (const guint8 *) "\x01", 1 };
    g_autoptr (TlsRng) rng = tls_rng_new_seeded (1, "dh");
    g_assert_null (tls_dh_keygen (&even, rng));
    g_assert_null (tls_dh_keygen (&g1, rng));
  }
}

static void
test_dh_kat_ffdhe2048 (void)
{
  /* x = 01 02 ... 20, peer x = 21 22 ... 40; Y, peer Y and Z from Python */
  static const char ya_hex[] =
    "0eef0c0eae9c65a3332cdc742b58561d362c0af526f8ad528b19ff39c91434312f83302ed9dc6f2b84b250482dbd8096"
    "2154f8a6d683741bf8bf4f3fdee22f80541a77553d1ae7a096c521f869987ae5eca1090d93e7bdea0b4349f17fee34f4"
    "775bfb380f426dec937b25825680c6e2b8c4c9eede64b91f5cdc02ba78e75908d47cd27fda4b5188c22baf2acd1e861e"
    "d0864e9eb9346640d354eada9f7156a601387ba5f1b8609733707803a5ac866fc1bbe54b15a99934727bc5c157f893d8"
    "67a89abf0ce3dd0cf3d7ce00073db8b3bbae1486faedc462f7edeb3dc44ba30336de3d4dbfb4f14f143c46b0ba93f316"
    "f50c3377b9a38a27ae048f5605a4dcbf";
  static const char yb_hex[] =
    "f9969fe766bc708f78b79602d8ff091272de8b71cded78b8f3c833c4fa057ee0c34f74015df38f1427d8b864663f0cb0"
    "1006a6860104a0207ba6cc916a3951cf769cdeaa5deec5281117a00054274ddd50c1a1832e367e4b412abff8528be222"
    "4bab6545603eabe0d63a2338764e732ce6cb22e5790b2d3916052561ad4615974e4a0763181dc6ee89fa69ed9d882dae"
    "916deb2f0c8e5097cdd54100780e4785747e873721d9c49b847656960fc3f11eb9c02c3de2116df57991cf806f200062"
    "4256e304e0eac89762d25941414fe07e62e2550df3158f9d1e576759342c6f6e1553f569ab3f1203aab448ee7b164e96"
    "e38ddb98e883676f13e230f3cab373d2";
  static const char z_hex[] =
    "e7f4d85aea0b3448ba62797e937c4f9f94b4c2dba0f1fe7ae3b894dbc76e43aece90424fa1186a2a896e710ad044dfa7"
    "91be2b92dc604b8dd67e28cf46b709ad1248e6052dd2fdae121dd83afaccbae68c8cd44f8674b127437dc1a6f67da8da"
    "4e44ff3924df4df8d8973e85e72ebc584d750219d2610b7f213734fad694bc20b1d05e922e9860c47a72ef2a85ad0f2e"
    "d995e2d5eb6dc17e194f516fc0d91281da2ed7f6039ebec0c1fb7f18fab815b533ef3af1b29720b2d68d02b3e162a19e"
    "2b39f3b7eec11b7129529aad99021ede607f064d4be76abfc3f10971839276e1a92db16e7f874215127e8f49fef92bd2"
    "0ff220d7f4a75a9bc3e19cb45345bcb5";
  g_autoptr (GBytes) ya_want = tu_hex (ya_hex);
  g_autoptr (GBytes) yb = tu_hex (yb_hex);
  g_autoptr (GBytes) z_want = tu_hex (z_hex);
  guint8 x[32];
  TlsDhParams params;
  g_autoptr (TlsDhKey) key = NULL;
  g_autoptr (GBytes) ya = NULL;
  g_autoptr (GBytes) Z = NULL;

  g_test_summary ("ffdhe2048 known answer computed with Python's pow()");
  for (guint i = 0; i < 32; i++)
    x[i] = i + 1;
  tls_dh_group_params (tls_dh_group_ffdhe2048 (), &params);
  key = tls_dh_key_new_private (&params, x, sizeof x);
  ya = tls_dh_key_public (key);
  g_assert_true (g_bytes_equal (ya, ya_want));
  g_assert_true (tls_dh_shared (key, DATA (yb), SIZE (yb), &Z, NULL));
  g_assert_true (g_bytes_equal (Z, z_want));
}

static void
static_dh (const char *name)
{
  g_autofree char *crt = NULL;
  g_autofree char *keyfile = NULL;
  g_autoptr (GPtrArray) certs = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsDhKey) server = NULL;
  g_autoptr (TlsDhKey) server_pub = NULL;
  g_autoptr (TlsDhKey) client = NULL;
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (10, "static-dh");
  g_autoptr (GBytes) ys = NULL;
  g_autoptr (GBytes) yc = NULL;
  g_autoptr (GBytes) zc = NULL;
  g_autoptr (GBytes) zs = NULL;
  const TlsPublicKey *pub;
  TlsDhParams params;
  const char *group = NULL;

  crt = g_strdup_printf ("%s/pki/%s.crt", tu_datadir (), name);
  keyfile = g_strdup_printf ("%s/pki/%s.key", tu_datadir (), name);
  certs = tls_certificate_list_from_file (crt, &error);
  g_assert_no_error (error);
  pub = tls_certificate_get_public_key (g_ptr_array_index (certs, 0));
  g_assert_cmpint (pub->type, ==, TLS_PK_DH);

  /* the client: the server's Y and group from the certificate */
  server_pub = tls_dh_key_from_certificate_public (pub);
  g_assert_nonnull (server_pub);
  g_assert_false (tls_dh_key_has_private (server_pub));
  tls_dh_key_params (server_pub, &params);
  g_assert_cmpint (tls_dh_check_params (params.p, params.p_len, params.g, params.g_len, 0, NULL),
                   ==, 0);
  g_assert_true (tls_dh_is_known_group (params.p, params.p_len, &group));
  g_test_message ("%s: DH %u bits (%s)", name, tls_dh_key_bits (server_pub), group);
  client = tls_dh_keygen (&params, rng);
  yc = tls_dh_key_public (client);
  ys = tls_dh_key_public (server_pub);
  g_assert_true (tls_dh_shared (client, DATA (ys), SIZE (ys), &zc, NULL));
  /* the certificate gives no private value to compute with */
  {
    g_autoptr (GBytes) none = NULL;
    g_autofree char *reason = NULL;
    g_assert_false (tls_dh_shared (server_pub, DATA (yc), SIZE (yc), &none, &reason));
    g_assert_null (none);
    g_assert_nonnull (reason);
  }

  /* the server: x from its key file */
  server = tls_dh_key_from_private_key_file (keyfile, &error);
  g_assert_no_error (error);
  g_assert_true (tls_dh_key_has_private (server));
  g_assert_true (tls_dh_key_matches_public (server, pub));
  g_assert_false (tls_dh_key_matches_public (client, pub));
  g_assert_true (tls_dh_shared (server, DATA (yc), SIZE (yc), &zs, NULL));
  g_assert_true (g_bytes_equal (zc, zs));
}

static void
test_dh_static (void)
{
  g_test_summary ("Static DH (DH_RSA, DH_DSS) with the demo PKI: the client takes Y "
                  "from the certificate, the server x from its PKCS#8 key; same Z");
  if (tu_datadir () == NULL)
    {
      g_test_skip ("HANDSHAKE_LAB_DATADIR not set");
      return;
    }
  static_dh ("server-dh-rsa");
  static_dh ("server-dh-dss");
}

static void
test_dh_key_file_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsDhKey) key = NULL;
  g_autofree char *rsa = NULL;
  static const char not_pem[] = "hello";
  /* an empty SEQUENCE, and the bytes 01 02 */
  static const char bad_der[] = "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
  static const char garbage[] = "-----BEGIN PRIVATE KEY-----\nAQI=\n-----END PRIVATE KEY-----\n";

  g_test_summary ("DH key loading refuses other algorithms, bad DER and non-PEM");
  key = tls_dh_key_from_private_key_pem (not_pem, strlen (not_pem), &error);
  g_assert_null (key);
  g_assert_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_NO_PEM);
  g_clear_error (&error);
  key = tls_dh_key_from_private_key_pem (bad_der, strlen (bad_der), &error);
  g_assert_null (key);
  g_assert_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_DER);
  g_clear_error (&error);
  key = tls_dh_key_from_private_key_pem (garbage, strlen (garbage), &error);
  g_assert_null (key);
  g_assert_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_DER);
  g_clear_error (&error);
  if (tu_datadir () == NULL)
    return;
  rsa = g_build_filename (tu_datadir (), "pki", "server-rsa.key", NULL);
  key = tls_dh_key_from_private_key_file (rsa, &error);
  g_assert_null (key);
  g_assert_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_UNSUPPORTED);
  g_test_message ("%s", error->message);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kx/x25519/wycheproof", test_x25519_wycheproof);
  g_test_add_func ("/kx/x25519/rfc7748", test_x25519_rfc7748);
  g_test_add_func ("/kx/x448/rfc7748", test_x448_rfc7748);
  g_test_add_data_func ("/kx/ecdh/roundtrip/x448", GUINT_TO_POINTER (TLS_GROUP_X448),
                        test_ecdh_roundtrip);
  g_test_add_func ("/kx/secp256r1/wycheproof", test_p256_wycheproof);
  g_test_add_data_func ("/kx/ecdh/roundtrip/x25519", GUINT_TO_POINTER (TLS_GROUP_X25519),
                        test_ecdh_roundtrip);
  g_test_add_data_func ("/kx/ecdh/roundtrip/secp256r1", GUINT_TO_POINTER (TLS_GROUP_SECP256R1),
                        test_ecdh_roundtrip);
  g_test_add_data_func ("/kx/ecdh/roundtrip/secp384r1", GUINT_TO_POINTER (TLS_GROUP_SECP384R1),
                        test_ecdh_roundtrip);
  g_test_add_func ("/kx/ecdh/invalid", test_ecdh_invalid);
  g_test_add_func ("/kx/dh/groups", test_dh_groups);
  g_test_add_func ("/kx/dh/roundtrip", test_dh_roundtrip);
  g_test_add_func ("/kx/dh/small-group", test_dh_small_group);
  g_test_add_func ("/kx/dh/check-params", test_dh_check_params);
  g_test_add_func ("/kx/dh/bad-y", test_dh_bad_y);
  g_test_add_func ("/kx/dh/kat-small", test_dh_kat_small);
  g_test_add_func ("/kx/dh/kat-ffdhe2048", test_dh_kat_ffdhe2048);
  g_test_add_func ("/kx/dh/static", test_dh_static);
  g_test_add_func ("/kx/dh/key-file-errors", test_dh_key_file_errors);
  return g_test_run ();
}
