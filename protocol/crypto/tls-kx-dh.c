/* tls-kx-dh.c — finite-field Diffie-Hellman (GMP; Nettle has no DH). */
#include "tls-kx-dh.h"
#include "tls-alert.h"
#include "tls-asn1.h"
#include "tls-pem.h"

#include <glib/gi18n-lib.h>
#include <nettle/bignum.h>
#include <string.h>

#define OID_DH "1.2.840.10046.2.1"   /* dhpublicnumber, RFC 3279, 2.3.3 */

/* The largest p we compute with: the largest RFC 7919 group. */
#define TLS_DH_MAX_BITS 8192

struct _TlsDhKey
{
  mpz_t             p, g, x, y;
  gboolean          has_private;
  guint8           *p_bytes;   /* big-endian, no leading zeros */
  gsize             p_len;
  guint8           *g_bytes;
  gsize             g_len;
  const TlsDhGroup *group;     /* the known group p is, or NULL */
};

/* ------------------------------------------------------------------ */
/* The RFC 7919 groups                                                 */

/* RFC 7919, Appendix A.1, ffdhe2048:
 *   p = 2^2048 - 2^1984 + {[2^1918 * e] + 560316 } * 2^64 - 1
 * a safe prime (q = (p-1)/2 is prime); g = 2 generates the subgroup of
 * order q.  The hexadecimal value as the RFC prints it. */
static const char ffdhe2048_hex[] =
  "FFFFFFFF FFFFFFFF ADF85458 A2BB4A9A AFDC5620 273D3CF1"
  "D8B9C583 CE2D3695 A9E13641 146433FB CC939DCE 249B3EF9"
  "7D2FE363 630C75D8 F681B202 AEC4617A D3DF1ED5 D5FD6561"
  "2433F51F 5F066ED0 85636555 3DED1AF3 B557135E 7F57C935"
  "984F0C70 E0E68B77 E2A689DA F3EFE872 1DF158A1 36ADE735"
  "30ACCA4F 483A797A BC0AB182 B324FB61 D108A94B B2C8E3FB"
  "B96ADAB7 60D7F468 1D4F42A3 DE394DF4 AE56EDE7 6372BB19"
  "0B07A7C8 EE0A6D70 9E02FCE1 CDF7E2EC C03404CD 28342F61"
  "9172FE9C E98583FF 8E4F1232 EEF28183 C3FE3B1B 4C6FAD73"
  "3BB5FCBC 2EC22005 C58EF183 7D1683B2 C6F34A26 C1B2EFFA"
  "886B4238 61285C97 FFFFFFFF FFFFFFFF";

/* RFC 7919, Appendix A.2, ffdhe3072:
 *   p = 2^3072 - 2^3008 + {[2^2942 * e] + 2625351 } * 2^64 - 1
 * g = 2. */
static const char ffdhe3072_hex[] =
  "FFFFFFFF FFFFFFFF ADF85458 A2BB4A9A AFDC5620 273D3CF1"
  "D8B9C583 CE2D3695 A9E13641 146433FB CC939DCE 249B3EF9"
  "7D2FE363 630C75D8 F681B202 AEC4617A D3DF1ED5 D5FD6561"
  "2433F51F 5F066ED0 85636555 3DED1AF3 B557135E 7F57C935"
  "984F0C70 E0E68B77 E2A689DA F3EFE872 1DF158A1 36ADE735"
  "30ACCA4F 483A797A BC0AB182 B324FB61 D108A94B B2C8E3FB"
  "B96ADAB7 60D7F468 1D4F42A3 DE394DF4 AE56EDE7 6372BB19"
  "0B07A7C8 EE0A6D70 9E02FCE1 CDF7E2EC C03404CD 28342F61"
  "9172FE9C E98583FF 8E4F1232 EEF28183 C3FE3B1B 4C6FAD73"
  "3BB5FCBC 2EC22005 C58EF183 7D1683B2 C6F34A26 C1B2EFFA"
  "886B4238 611FCFDC DE355B3B 6519035B BC34F4DE F99C0238"
  "61B46FC9 D6E6C907 7AD91D26 91F7F7EE 598CB0FA C186D91C"
  "AEFE1309 85139270 B4130C93 BC437944 F4FD4452 E2D74DD3"
  "64F2E21E 71F54BFF 5CAE82AB 9C9DF69E E86D2BC5 22363A0D"
  "ABC52197 9B0DEADA 1DBF9A42 D5C4484E 0ABCD06B FA53DDEF"
  "3C1B20EE 3FD59D7C 25E41D2B 66C62E37 FFFFFFFF FFFFFFFF";

/* RFC 2409, 6.2, the Second Oakley Group (also RFC 7296, Appendix B.2,
 * "Group 2 - 1024-bit MODP"):
 *   p = 2^1024 - 2^960 - 1 + 2^64 * { [2^894 pi] + 129093 }, g = 2.
 * Too small today (about 80 bits of security, NIST SP 800-57); no TLS
 * NamedGroup: a server that uses it simply sends it in ServerKeyExchange.
 * Kept to show a client refusing it (scenario small-dh-group). */
static const char modp1024_hex[] =
  "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1"
  "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD"
  "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245"
  "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED"
  "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE65381"
  "FFFFFFFF FFFFFFFF";

/* RFC 7919, 5.2 asks for secret exponents of at least 225 (ffdhe2048)
 * and 275 (ffdhe3072) bits; we take a little more. */
static TlsDhGroup groups[] = {
  { "ffdhe2048", TLS_GROUP_FFDHE2048, 2048, NULL, 0, 2, 256 },
  { "ffdhe3072", TLS_GROUP_FFDHE3072, 3072, NULL, 0, 2, 320 },
  { "modp1024", 0, 1024, NULL, 0, 2, 160 },   /* no NamedGroup */
};
static const char *const groups_hex[] = { ffdhe2048_hex, ffdhe3072_hex, modp1024_hex };

/* Hex with spaces -> bytes. */
static guint8 *
hex_decode (const char *hex, gsize *len)
{
  GByteArray *out = g_byte_array_new ();
  int hi = -1;

  for (const char *c = hex; *c; c++)
    {
      int v = g_ascii_xdigit_value (*c);
      if (v < 0)
        continue;
      if (hi < 0)
        hi = v;
      else
        {
          guint8 b = (guint8) (hi << 4 | v);
          g_byte_array_append (out, &b, 1);
          hi = -1;
        }
    }
  *len = out->len;
  return g_byte_array_free (out, FALSE);
}

static void
groups_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
        {
          groups[i].p = hex_decode (groups_hex[i], &groups[i].p_len);
          g_assert (groups[i].p_len * 8 == groups[i].bits);
        }
      g_once_init_leave (&done, 1);
    }
}

const TlsDhGroup *
tls_dh_group_ffdhe2048 (void)
{
  groups_init ();
  return &groups[0];
}

const TlsDhGroup *
tls_dh_group_ffdhe3072 (void)
{
  groups_init ();
  return &groups[1];
}

const TlsDhGroup *
tls_dh_group_by_id (guint16 named_group)
{
  groups_init ();
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (named_group != 0 && groups[i].named_group == named_group)
      return &groups[i];
  return NULL;
}

const TlsDhGroup *
tls_dh_group_by_name (const char *name)
{
  groups_init ();
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (g_strcmp0 (groups[i].name, name) == 0)
      return &groups[i];
  return NULL;
}

void
tls_dh_group_params (const TlsDhGroup *group, TlsDhParams *params)
{
  params->p = group->p;
  params->p_len = group->p_len;
  params->g = &group->g;
  params->g_len = 1;
}

static const guint8 *
strip_zeros (const guint8 *data, gsize *len)
{
  while (*len > 0 && data[0] == 0)
    {
      data++;
      (*len)--;
    }
  return data;
}

static const TlsDhGroup *
known_group (const guint8 *p, gsize len)
{
  groups_init ();
  p = strip_zeros (p, &len);
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (groups[i].p_len == len && memcmp (groups[i].p, p, len) == 0)
      return &groups[i];
  return NULL;
}

gboolean
tls_dh_is_known_group (const guint8 *p, gsize len, const char **name)
{
  const TlsDhGroup *group = known_group (p, len);

  if (name != NULL)
    *name = group ? group->name : NULL;
  return group != NULL;
}

/* ------------------------------------------------------------------ */
/* Checking a peer's group                                             */

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

int
tls_dh_check_params (const guint8 *p_data, gsize plen, const guint8 *g_data,
                     gsize glen, guint min_bits, char **reason)
{
  mpz_t p, g, pm1;
  guint bits;
  int alert = 0;

  if (reason != NULL)
    *reason = NULL;
  if (min_bits == 0)
    min_bits = TLS_DH_DEFAULT_MIN_BITS;
  p_data = strip_zeros (p_data, &plen);
  g_data = strip_zeros (g_data, &glen);
  if (plen * 8 > TLS_DH_MAX_BITS + 8)
    return refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                   _("dh_p has %lu bytes; we compute with at most %u bits"),
                   (unsigned long) plen, TLS_DH_MAX_BITS);
  if (known_group (p_data, plen) != NULL && glen == 1 && g_data[0] == 2)
    {
      /* A known safe-prime group: nothing more to learn by testing it. */
      if (plen * 8 < min_bits)
        return refuse (reason, TLS_ALERT_INSUFFICIENT_SECURITY,
                       _("the group has %lu bits, fewer than the %u we require"),
                       (unsigned long) (plen * 8), min_bits);
      return 0;
    }

  mpz_inits (p, g, pm1, NULL);
  nettle_mpz_set_str_256_u (p, plen, p_data);
  nettle_mpz_set_str_256_u (g, glen, g_data);
  mpz_sub_ui (pm1, p, 1);
  bits = mpz_sizeinbase (p, 2);

  if (mpz_cmp_ui (p, 5) < 0)
    alert = refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                    _("dh_p is too small to be a Diffie-Hellman modulus"));
  else if (bits > TLS_DH_MAX_BITS)
    alert = refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                    _("dh_p has %u bits; we compute with at most %u"), bits, TLS_DH_MAX_BITS);
  else if (mpz_even_p (p))
    alert = refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                    _("dh_p is even, so it is not a prime"));
  /* g = 1 gives Y = 1 whatever x is; g = p-1 has order 2 (Y is 1 or p-1). */
  else if (mpz_cmp_ui (g, 1) <= 0 || mpz_cmp (g, pm1) >= 0)
    alert = refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                    _("dh_g is not in the range 1 < g < p-1"));
  else if (bits < min_bits)
    alert = refuse (reason, TLS_ALERT_INSUFFICIENT_SECURITY,
                    _("the group has %u bits, fewer than the %u we require "
                      "(a %u-bit group can be broken by precomputation: Logjam, 2015)"),
                    bits, min_bits, bits);
  /* Baillie-PSW plus Miller-Rabin rounds (GMP's own bases, no OS RNG). */
  else if (mpz_probab_prime_p (p, 30) == 0)
    alert = refuse (reason, TLS_ALERT_ILLEGAL_PARAMETER,
                    _("dh_p is not a prime number"));

  mpz_clears (p, g, pm1, NULL);
  return alert;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

static TlsDhKey *
key_new (const mpz_t p, const mpz_t g)
{
  TlsDhKey *key = g_new0 (TlsDhKey, 1);

  mpz_init_set (key->p, p);
  mpz_init_set (key->g, g);
  mpz_inits (key->x, key->y, NULL);
  key->p_len = nettle_mpz_sizeinbase_256_u (p);
  key->p_bytes = g_malloc (key->p_len);
  nettle_mpz_get_str_256 (key->p_len, key->p_bytes, p);
  key->g_len = nettle_mpz_sizeinbase_256_u (g);
  key->g_bytes = g_malloc (key->g_len);
  nettle_mpz_get_str_256 (key->g_len, key->g_bytes, g);
  key->group = known_group (key->p_bytes, key->p_len);
  if (key->group != NULL && mpz_cmp_ui (g, key->group->g) != 0)
    key->group = NULL;
  return key;
}

void
tls_dh_key_free (TlsDhKey *key)
{
  if (key == NULL)
    return;
  mpz_clears (key->p, key->g, key->x, key->y, NULL);
  g_free (key->p_bytes);
  g_free (key->g_bytes);
  g_free (key);
}

/* p odd and at least 5, 1 < g < p-1: the least we need to compute. */
static gboolean
usable (const mpz_t p, const mpz_t g)
{
  gboolean ok;
  mpz_t pm1;

  if (mpz_cmp_ui (p, 5) < 0 || mpz_even_p (p) || mpz_sizeinbase (p, 2) > TLS_DH_MAX_BITS)
    return FALSE;
  mpz_init (pm1);
  mpz_sub_ui (pm1, p, 1);
  ok = mpz_cmp_ui (g, 1) > 0 && mpz_cmp (g, pm1) < 0;
  mpz_clear (pm1);
  return ok;
}

static TlsDhKey *
key_from_params (const TlsDhParams *params)
{
  TlsDhKey *key = NULL;
  mpz_t p, g;

  mpz_inits (p, g, NULL);
  nettle_mpz_set_str_256_u (p, params->p_len, params->p);
  nettle_mpz_set_str_256_u (g, params->g_len, params->g);
  if (usable (p, g))
    key = key_new (p, g);
  mpz_clears (p, g, NULL);
  return key;
}

/* Y = g^x mod p; mpz_powm_sec does not branch on the bits of x. */
static void
compute_public (TlsDhKey *key)
{
  mpz_powm_sec (key->y, key->g, key->x, key->p);
  key->has_private = TRUE;
}

/* The size of the secret exponent for a group of PBITS bits that we do
 * not know: twice the group's security strength (NIST SP 800-57 part 1,
 * table 2: 112 bits for 2048, 128 for 3072, 152 for 4096 ...). */
static guint
exponent_bits (const TlsDhKey *key)
{
  guint pbits = mpz_sizeinbase (key->p, 2);

  if (key->group != NULL)
    return key->group->exponent_bits;
  if (pbits <= 2048)
    return 256;
  if (pbits <= 3072)
    return 320;
  return 400;
}

TlsDhKey *
tls_dh_keygen (const TlsDhParams *params, TlsRng *rng)
{
  TlsDhKey *key = key_from_params (params);
  guint pbits, n;

  if (key == NULL)
    return NULL;
  pbits = mpz_sizeinbase (key->p, 2);
  n = exponent_bits (key);
  if (n + 2 >= pbits)
    {
      /* A small (teaching) group: x uniform in [2, p-2]. */
      mpz_t range;
      mpz_init (range);
      mpz_sub_ui (range, key->p, 3);
      nettle_mpz_random (key->x, rng, tls_rng_nettle, range);
      mpz_add_ui (key->x, key->x, 2);
      mpz_clear (range);
    }
  else
    {
      /* x in [2^(n-1), 2^n): n bits exactly, far below p. */
      nettle_mpz_random_size (key->x, rng, tls_rng_nettle, n);
      mpz_setbit (key->x, n - 1);
    }
  compute_public (key);
  return key;
}

TlsDhKey *
tls_dh_key_new_private (const TlsDhParams *params, const guint8 *x, gsize x_len)
{
  TlsDhKey *key = key_from_params (params);
  mpz_t pm1;

  if (key == NULL)
    return NULL;
  nettle_mpz_set_str_256_u (key->x, x_len, x);
  mpz_init (pm1);
  mpz_sub_ui (pm1, key->p, 1);
  if (mpz_cmp_ui (key->x, 0) <= 0 || mpz_cmp (key->x, pm1) >= 0)
    g_clear_pointer (&key, tls_dh_key_free);
  else
    compute_public (key);
  mpz_clear (pm1);
  return key;
}

GBytes *
tls_dh_key_public (const TlsDhKey *key)
{
  guint8 *buf = g_malloc (key->p_len);

  /* Padded to the length of p, as RFC 7919 groups have it sent and as
   * fixed-length values are easiest to show. */
  nettle_mpz_get_str_256 (key->p_len, buf, key->y);
  return g_bytes_new_take (buf, key->p_len);
}

void
tls_dh_key_params (const TlsDhKey *key, TlsDhParams *params)
{
  params->p = key->p_bytes;
  params->p_len = key->p_len;
  params->g = key->g_bytes;
  params->g_len = key->g_len;
}

guint
tls_dh_key_bits (const TlsDhKey *key)
{
  return mpz_sizeinbase (key->p, 2);
}

gboolean
tls_dh_key_has_private (const TlsDhKey *key)
{
  return key != NULL && key->has_private;
}

gboolean
tls_dh_shared (const TlsDhKey *key, const guint8 *peer_y, gsize len, GBytes **Z,
               char **reason)
{
  gboolean ok = FALSE;
  mpz_t y, z, pm1, q;
  guint8 *buf;
  gsize n;

  *Z = NULL;
  if (reason != NULL)
    *reason = NULL;
  if (key == NULL || !key->has_private)
    {
      refuse (reason, 0, _("there is no private value to compute the shared secret with"));
      return FALSE;
    }
  if (len == 0)
    {
      refuse (reason, 0, _("the peer's public value is empty"));
      return FALSE;
    }

  mpz_inits (y, z, pm1, q, NULL);
  nettle_mpz_set_str_256_u (y, len, peer_y);
  mpz_sub_ui (pm1, key->p, 1);

  /* RFC 7919, 5.1: "Peers MUST validate each other's public key Y (dh_Ys
   * offered by the server or dh_Yc offered by the client) by ensuring that
   * 1 < Y < p-1."  Y = 1 and Y = p-1 fix Z to 1 or +-1 whatever x is. */
  if (mpz_cmp_ui (y, 1) <= 0)
    refuse (reason, 0, _("the peer's public value is %s: it must be greater than 1"),
            mpz_sgn (y) == 0 ? "0" : "1");
  else if (mpz_cmp (y, pm1) == 0)
    refuse (reason, 0, _("the peer's public value is p-1, which has order 2: "
                         "it must be smaller than p-1"));
  else if (mpz_cmp (y, pm1) > 0)
    refuse (reason, 0, _("the peer's public value is not smaller than p"));
  else
    {
      /* For a safe prime p = 2q+1 the honest Y = g^x lies in the subgroup
       * of order q; RFC 7919, 5.1 allows (MAY) checking Y^q = 1 mod p on
       * top of the range check.  Y is public, so the plain mpz_powm is
       * fine here. */
      if (key->group != NULL)
        {
          mpz_tdiv_q_2exp (q, key->p, 1);
          mpz_powm (z, y, q, key->p);
          if (mpz_cmp_ui (z, 1) != 0)
            {
              refuse (reason, 0, _("the peer's public value is not in the subgroup of "
                                   "order q = (p-1)/2 (Y^q mod p is not 1)"));
              goto out;
            }
        }
      mpz_powm_sec (z, y, key->x, key->p);
      /* Z = 1 means Y lies in a subgroup so small that x mod its order
       * is 0; it would leak bits of x and gives a known key. */
      if (mpz_cmp_ui (z, 1) <= 0 || mpz_cmp (z, pm1) == 0)
        {
          refuse (reason, 0, _("the shared secret is %s: the peer's value lies in a tiny subgroup"),
                  mpz_cmp_ui (z, 1) <= 0 ? "1" : "p-1");
          goto out;
        }
      /* RFC 5246, 8.1.2: "Leading bytes of Z that contain all zero bits
       * are stripped before it is used as the pre_master_secret." */
      n = nettle_mpz_sizeinbase_256_u (z);
      buf = g_malloc (n);
      nettle_mpz_get_str_256 (n, buf, z);
      *Z = g_bytes_new_take (buf, n);
      ok = TRUE;
    }
out:
  mpz_clears (y, z, pm1, q, NULL);
  return ok;
}

/* ------------------------------------------------------------------ */
/* Static DH                                                           */

TlsDhKey *
tls_dh_key_from_certificate_public (const TlsPublicKey *pub)
{
  TlsDhKey *key;

  if (pub == NULL || pub->type != TLS_PK_DH || !usable (pub->dsa.p, pub->dsa.g))
    return NULL;
  key = key_new (pub->dsa.p, pub->dsa.g);
  mpz_set (key->y, pub->y);
  return key;
}

/* The server's DH key from a private key that tls-keys loaded (PKCS#8
 * with dhpublicnumber, RFC 3279, 2.3.3, as `openssl genpkey` writes it). */
TlsDhKey *
tls_dh_key_from_private_key (const TlsPrivateKey *priv, GError **error)
{
  TlsDhKey *key;

  if (priv->type != TLS_PK_DH)
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_UNSUPPORTED,
                   _("not a Diffie-Hellman key (it is %s)"), tls_pk_alg_name (priv->type));
      return NULL;
    }
  if (!usable (priv->pub->dsa.p, priv->pub->dsa.g))
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_UNSUPPORTED,
                   _("the DH parameters of the key are not usable"));
      return NULL;
    }
  key = key_new (priv->pub->dsa.p, priv->pub->dsa.g);
  mpz_set (key->x, priv->x);
  compute_public (key);
  return key;
}

TlsDhKey *
tls_dh_key_from_private_key_pem (const char *text, gsize len, GError **error)
{
  g_autoptr (TlsPrivateKey) priv = tls_private_key_load (text, len, error);

  return priv ? tls_dh_key_from_private_key (priv, error) : NULL;
}

TlsDhKey *
tls_dh_key_from_private_key_file (const char *path, GError **error)
{
  g_autoptr (TlsPrivateKey) priv = tls_private_key_load_file (path, error);
  GError *local = NULL;
  TlsDhKey *key;

  if (priv == NULL)
    return NULL;
  key = tls_dh_key_from_private_key (priv, &local);
  if (key == NULL)
    g_propagate_prefixed_error (error, local, "%s: ", path);
  return key;
}

gboolean
tls_dh_key_matches_public (const TlsDhKey *key, const TlsPublicKey *pub)
{
  return key != NULL && pub != NULL && pub->type == TLS_PK_DH
    && mpz_cmp (key->p, pub->dsa.p) == 0 && mpz_cmp (key->g, pub->dsa.g) == 0
    && mpz_cmp (key->y, pub->y) == 0;
}
