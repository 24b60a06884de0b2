/* tls-kx-ecdh.c — ECDH over X25519, X448, secp256r1 and secp384r1 (Nettle). */
#include "tls-kx-ecdh.h"
#include "tls-alert.h"

#include <glib/gi18n-lib.h>
#include <nettle/bignum.h>
#include <nettle/curve25519.h>
#include <nettle/curve448.h>
#include <nettle/ecc.h>
#include <nettle/ecc-curve.h>
#include <string.h>

struct _TlsEcdhKey
{
  guint16                 group;
  /* X25519 and X448 (RFC 7748): the private scalar and the u-coordinate,
   * MONT_SIZE bytes of each (0 for the NIST curves) */
  gsize                   mont_size;
  guint8                  mont_priv[CURVE448_SIZE];
  guint8                  mont_pub[CURVE448_SIZE];
  /* NIST curves */
  const struct ecc_curve *ecc;
  struct ecc_scalar       priv;
  struct ecc_point        pub;
};

static const struct ecc_curve *
nist_curve (guint16 group)
{
  switch (group)
    {
    case TLS_GROUP_SECP256R1: return nettle_get_secp_256r1 ();
    case TLS_GROUP_SECP384R1: return nettle_get_secp_384r1 ();
    default: return NULL;
    }
}

/* X25519 and X448: the size of a scalar and of a u-coordinate; 0 for
 * other groups. */
static gsize
mont_size (guint16 group)
{
  return group == TLS_GROUP_X25519 ? CURVE25519_SIZE : group == TLS_GROUP_X448 ? CURVE448_SIZE : 0;
}

/* Q = X(N, P) or X(N, base point), RFC 7748, 5. */
static void
mont_mul (gsize size, guint8 *q, const guint8 *n, const guint8 *p)
{
  if (size == CURVE25519_SIZE)
    {
      if (p != NULL)
        curve25519_mul (q, n, p);
      else
        curve25519_mul_g (q, n);
    }
  else if (p != NULL)
    curve448_mul (q, n, p);
  else
    curve448_mul_g (q, n);
}

static const char *
mont_name (gsize size)
{
  return size == CURVE25519_SIZE ? "X25519" : "X448";
}

/* Bytes of one coordinate (field element). */
static gsize
coord_len (const struct ecc_curve *ecc)
{
  return (ecc_bit_size (ecc) + 7) / 8;
}

gboolean
tls_ecdh_group_supported (guint16 group)
{
  return mont_size (group) != 0 || nist_curve (group) != NULL;
}

gsize
tls_ecdh_public_len (guint16 group)
{
  const struct ecc_curve *ecc = nist_curve (group);

  if (mont_size (group) != 0)
    return mont_size (group);
  return ecc ? 1 + 2 * coord_len (ecc) : 0;
}

static int
refuse (char **reason, int alert, const char *format, ...) G_GNUC_PRINTF (3, 4);

static int
refuse (char **reason, int alert, const char *format, ...)
{
  va_list ap;

  if (reason != NULL)
    {
      va_start (ap, format);
      *reason = g_strdup_vprintf (format, ap);
      va_end (ap);
    }
  return alert;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

static TlsEcdhKey *
key_new (guint16 group)
{
  TlsEcdhKey *key = g_new0 (TlsEcdhKey, 1);

  key->group = group;
  key->mont_size = mont_size (group);
  key->ecc = nist_curve (group);
  if (key->ecc != NULL)
    {
      ecc_scalar_init (&key->priv, key->ecc);
      ecc_point_init (&key->pub, key->ecc);
    }
  return key;
}

void
tls_ecdh_key_free (TlsEcdhKey *key)
{
  if (key == NULL)
    return;
  if (key->ecc != NULL)
    {
      ecc_scalar_clear (&key->priv);
      ecc_point_clear (&key->pub);
    }
  memset (key->mont_priv, 0, sizeof key->mont_priv);
  g_free (key);
}

guint16
tls_ecdh_key_group (const TlsEcdhKey *key)
{
  return key->group;
}

TlsEcdhKey *
tls_ecdh_keygen (guint16 group, TlsRng *rng)
{
  TlsEcdhKey *key;

  if (!tls_ecdh_group_supported (group))
    return NULL;
  key = key_new (group);
  if (key->mont_size != 0)
    {
      /* RFC 7748, 6.1: "Alice generates 32 random bytes in a[0] to a[31]
       * and transmits K_A = X25519(a, 9) to Bob"; 6.2 does the same with
       * 56 bytes and X448(a, 5).  The clamping (RFC 7748, 5: for X25519
       * bits 0-2 and 255 cleared, bit 254 set; for X448 bits 0-1 cleared,
       * bit 447 set) is done by Nettle. */
      tls_rng_bytes (rng, key->mont_priv, key->mont_size);
      mont_mul (key->mont_size, key->mont_pub, key->mont_priv, NULL);
    }
  else
    {
      /* d uniform in [1, q-1] (SEC 1, 3.2.1), Q = d G */
      ecc_scalar_random (&key->priv, rng, tls_rng_nettle);
      ecc_point_mul_g (&key->pub, &key->priv);
    }
  return key;
}

TlsEcdhKey *
tls_ecdh_key_from_private (guint16 group, const guint8 *priv, gsize len)
{
  TlsEcdhKey *key;
  mpz_t k;
  int ok;

  if (!tls_ecdh_group_supported (group))
    return NULL;
  key = key_new (group);
  if (key->mont_size != 0)
    {
      if (len != key->mont_size)
        {
          tls_ecdh_key_free (key);
          return NULL;
        }
      memcpy (key->mont_priv, priv, len);
      mont_mul (key->mont_size, key->mont_pub, key->mont_priv, NULL);
      return key;
    }
  mpz_init (k);
  nettle_mpz_set_str_256_u (k, len, priv);
  ok = ecc_scalar_set (&key->priv, k);   /* 0 unless 0 < k < q */
  mpz_clear (k);
  if (!ok)
    {
      tls_ecdh_key_free (key);
      return NULL;
    }
  ecc_point_mul_g (&key->pub, &key->priv);
  return key;
}

/* 04 || X || Y, each coordinate as long as the field (SEC 1, 2.3.3). */
static GBytes *
encode_point (const struct ecc_curve *ecc, const struct ecc_point *p)
{
  gsize n = coord_len (ecc);
  guint8 *buf = g_malloc (1 + 2 * n);
  mpz_t x, y;

  mpz_inits (x, y, NULL);
  ecc_point_get (p, x, y);
  buf[0] = 0x04;
  nettle_mpz_get_str_256 (n, buf + 1, x);
  nettle_mpz_get_str_256 (n, buf + 1 + n, y);
  mpz_clears (x, y, NULL);
  return g_bytes_new_take (buf, 1 + 2 * n);
}

GBytes *
tls_ecdh_public (const TlsEcdhKey *key)
{
  if (key->mont_size != 0)
    return g_bytes_new (key->mont_pub, key->mont_size);
  return encode_point (key->ecc, &key->pub);
}

/* ------------------------------------------------------------------ */
/* The peer's point                                                    */

/* Parses an uncompressed NIST point into POINT (initialised for ECC).
 * RFC 8422, 5.11: "With the NIST curves, each party MUST validate the
 * public key sent by its peer in the ClientKeyExchange and
 * ServerKeyExchange messages.  A receiving party MUST check that the x and
 * y parameters from the peer's public value satisfy the curve equation,
 * y^2 = x^3 + ax + b mod p."  ecc_point_set does exactly that (and that
 * x and y are below p). */
static int
parse_point (const struct ecc_curve *ecc, guint16 group, const guint8 *peer, gsize len,
             struct ecc_point *point, char **reason)
{
  gsize n = coord_len (ecc);
  mpz_t x, y;
  int ok;

  if (len == 0)
    return refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER, _("the point is empty"));
  if (peer[0] == 0x02 || peer[0] == 0x03)
    /* RFC 8422, 5.1.2: only the uncompressed format is left. */
    return refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                   _("the point is compressed (first byte %02x); only the uncompressed "
                     "format 04 || X || Y was agreed (RFC 8422, 5.1.2)"), peer[0]);
  if (peer[0] != 0x04)
    return refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                   _("the point starts with %02x, not 04 (uncompressed)"), peer[0]);
  if (len != 1 + 2 * n)
    return refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                   _("the point has %zu bytes; an uncompressed %s point "
                     "has %zu"), len,
                   group == TLS_GROUP_SECP256R1 ? "secp256r1" : "secp384r1", 1 + 2 * n);
  mpz_inits (x, y, NULL);
  nettle_mpz_set_str_256_u (x, n, peer + 1);
  nettle_mpz_set_str_256_u (y, n, peer + 1 + n);
  ok = ecc_point_set (point, x, y);
  mpz_clears (x, y, NULL);
  if (!ok)
    return refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                   _("the point is not on the curve: y^2 != x^3 - 3x + b mod p "
                     "(an invalid-curve attack would use such points)"));
  return 0;
}

int
tls_ecdh_check_public (guint16 group, const guint8 *peer, gsize len, char **reason)
{
  const struct ecc_curve *ecc = nist_curve (group);
  struct ecc_point point;
  int alert;

  if (reason != NULL)
    *reason = NULL;
  if (mont_size (group) != 0)
    {
      /* RFC 7748, 5: any 32 (X25519) or 56 (X448) bytes are a
       * u-coordinate; what cannot be checked here is caught by the
       * all-zero test on the shared secret. */
      if (len != mont_size (group))
        return refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                       _("an %s public value has %zu bytes, not %zu"),
                       mont_name (mont_size (group)), mont_size (group), len);
      return 0;
    }
  if (ecc == NULL)
    return refuse (reason, TLS_ALERT_HANDSHAKE_FAILURE,
                   _("the group %u is not one we support"), group);
  ecc_point_init (&point, ecc);
  alert = parse_point (ecc, group, peer, len, &point, reason);
  ecc_point_clear (&point);
  return alert;
}

int
tls_ecdh_shared (const TlsEcdhKey *key, const guint8 *peer, gsize len, GBytes **Z,
                 char **reason)
{
  *Z = NULL;
  if (reason != NULL)
    *reason = NULL;

  if (key->mont_size != 0)
    {
      guint8 z[CURVE448_SIZE];
      guint8 acc = 0;

      if (len != key->mont_size)
        return refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                       _("an %s public value has %zu bytes, not %zu"),
                       mont_name (key->mont_size), key->mont_size, len);
      mont_mul (key->mont_size, z, key->mont_priv, peer);
      /* RFC 8422, 5.11: "With X25519 and X448, a receiving party MUST
       * check whether the computed premaster secret is the all-zero value
       * and abort the handshake if so, as described in Section 6 of
       * [RFC7748]."  The test does not branch on each byte. */
      for (gsize i = 0; i < key->mont_size; i++)
        acc |= z[i];
      if (acc == 0)
        return refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                       _("the %s shared secret is all zeros: the peer sent a point of "
                         "small order, which would fix the key whatever our secret"),
                       mont_name (key->mont_size));
      *Z = g_bytes_new (z, key->mont_size);
      memset (z, 0, sizeof z);
      return 0;
    }
  else
    {
      struct ecc_point point, shared;
      gsize n = coord_len (key->ecc);
      guint8 *buf;
      mpz_t x, y;
      int alert;

      ecc_point_init (&point, key->ecc);
      alert = parse_point (key->ecc, key->group, peer, len, &point, reason);
      if (alert != 0)
        {
          ecc_point_clear (&point);
          return alert;
        }
      /* The curves have prime order and 0 < d < q, so d P is never the
       * point at infinity for a valid P. */
      ecc_point_init (&shared, key->ecc);
      ecc_point_mul (&shared, &key->priv, &point);
      mpz_inits (x, y, NULL);
      ecc_point_get (&shared, x, y);
      /* RFC 8422, 5.10: Z is the x-coordinate, as FE2OSP writes it;
       * "leading zeros found in this octet string MUST NOT be truncated." */
      buf = g_malloc (n);
      nettle_mpz_get_str_256 (n, buf, x);
      *Z = g_bytes_new_take (buf, n);
      mpz_clears (x, y, NULL);
      ecc_point_clear (&shared);
      ecc_point_clear (&point);
      return 0;
    }
}
