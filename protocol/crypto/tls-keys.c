/* tls-keys.c — public and private keys into Nettle structs. */
#include "tls-keys.h"
#include "tls-asn1.h"
#include "tls-pem.h"

#include <glib/gi18n-lib.h>
#include <nettle/bignum.h>
#include <nettle/eddsa.h>
#include <string.h>

#define OID_RSA "1.2.840.113549.1.1.1"
#define OID_DSA "1.2.840.10040.4.1"
#define OID_EC  "1.2.840.10045.2.1"
#define OID_DH  "1.2.840.10046.2.1"
#define OID_ED25519 "1.3.101.112"

/* ------------------------------------------------------------------ */
/* Names                                                               */

const char *
tls_pk_alg_name (TlsPkAlg alg)
{
  switch (alg)
    {
    case TLS_PK_RSA: return "RSA";
    case TLS_PK_DSA: return "DSA";
    case TLS_PK_EC:  return "EC";
    case TLS_PK_DH:  return "DH";
    case TLS_PK_ED25519: return "Ed25519";
    case TLS_PK_UNKNOWN:
    default:         return "unknown";
    }
}

static const struct
{
  TlsEcCurve   curve;
  const char  *oid;
  const char  *name;
  const char  *nist;
  const struct ecc_curve *(*get) (void);
} curves[] = {
  { TLS_EC_CURVE_SECP256R1, "1.2.840.10045.3.1.7", "secp256r1", "P-256", nettle_get_secp_256r1 },
  { TLS_EC_CURVE_SECP384R1, "1.3.132.0.34", "secp384r1", "P-384", nettle_get_secp_384r1 },
  { TLS_EC_CURVE_SECP521R1, "1.3.132.0.35", "secp521r1", "P-521", nettle_get_secp_521r1 },
};

const char *
tls_ec_curve_name (TlsEcCurve curve)
{
  for (gsize i = 0; i < G_N_ELEMENTS (curves); i++)
    if (curves[i].curve == curve)
      return curves[i].name;
  return curve == TLS_EC_CURVE_NONE ? "none" : "unknown";
}

static const char *
curve_nist (TlsEcCurve curve)
{
  for (gsize i = 0; i < G_N_ELEMENTS (curves); i++)
    if (curves[i].curve == curve)
      return curves[i].nist;
  return "?";
}

/* ------------------------------------------------------------------ */
/* Public keys                                                         */

static TlsPublicKey *
public_key_new (void)
{
  TlsPublicKey *key = g_new0 (TlsPublicKey, 1);

  rsa_public_key_init (&key->rsa);
  dsa_params_init (&key->dsa);
  mpz_init (key->y);
  return key;
}

void
tls_public_key_free (TlsPublicKey *key)
{
  if (key == NULL)
    return;
  rsa_public_key_clear (&key->rsa);
  dsa_params_clear (&key->dsa);
  mpz_clear (key->y);
  if (key->ecc != NULL)
    ecc_point_clear (&key->ec);
  g_clear_pointer (&key->ec_point, g_bytes_unref);
  g_free (key->oid);
  g_free (key->curve_oid);
  g_free (key->problem);
  g_free (key);
}

static gboolean
fail (GError **error, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, int code, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  if (error != NULL)
    *error = g_error_new_valist (TLS_PKI_ERROR, code, format, ap);
  va_end (ap);
  return FALSE;
}

static char *
mpz_text (const mpz_t v)
{
  gsize n = nettle_mpz_sizeinbase_256_u (v);
  g_autofree guint8 *buf = g_malloc (MAX (n, 1));
  g_autofree char *hex = NULL;

  if (mpz_sizeinbase (v, 2) <= 32)
    return g_strdup_printf ("%lu", mpz_get_ui (v));
  nettle_mpz_get_str_256 (n, buf, v);
  hex = tls_hex_preview (buf, n, 16);
  return g_strdup_printf (_("%s (%u bits)"), hex, (guint) mpz_sizeinbase (v, 2));
}

/* Reads INTEGER NAME into V and, with a parent field, annotates it. */
static gboolean
read_int (asn1_node node, const guint8 *der, gsize len, gsize base, TlsField *parent,
          const char *name, const char *desc, mpz_t v)
{
  TlsField *f;
  g_autofree char *text = NULL;

  if (!tls_asn1_read_mpz (node, name, v))
    return FALSE;
  f = tls_asn1_add_field (parent, name, node, der, len, base, name);
  if (f != NULL)
    {
      text = mpz_text (v);
      tls_field_set_value (f, "%s", text);
      tls_field_set_desc (f, desc);
    }
  return TRUE;
}

static TlsEcCurve
curve_from_oid (const char *oid, const struct ecc_curve **ecc)
{
  *ecc = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (curves); i++)
    if (g_strcmp0 (curves[i].oid, oid) == 0)
      {
        *ecc = curves[i].get ();
        return curves[i].curve;
      }
  return TLS_EC_CURVE_UNKNOWN;
}

static guint
ecc_bytes (const struct ecc_curve *ecc)
{
  return (ecc_bit_size (ecc) + 7) / 8;
}

/* The uncompressed encoding 04 || X || Y (SEC 1, 2.3.3) of the point. */
static GBytes *
encode_point (const struct ecc_curve *ecc, const struct ecc_point *p)
{
  guint n = ecc_bytes (ecc);
  guint8 *buf = g_malloc (1 + 2 * n);
  mpz_t x, y;

  mpz_init (x);
  mpz_init (y);
  ecc_point_get (p, x, y);
  buf[0] = 4;
  nettle_mpz_get_str_256 (n, buf + 1, x);
  nettle_mpz_get_str_256 (n, buf + 1 + n, y);
  mpz_clear (x);
  mpz_clear (y);
  return g_bytes_new_take (buf, 1 + 2 * n);
}

/* ECParameters (RFC 5480, 2.1.1): only namedCurve is allowed in PKIX. */
static gboolean
read_ec_parameters (const guint8 *der, gsize len, char **curve_oid, GError **error)
{
  asn1_node node = tls_asn1_decode ("ECParameters", der, len, _("EC parameters"), error);
  g_autofree char *choice = NULL;

  if (node == NULL)
    return FALSE;
  choice = tls_asn1_read_string (node, "");
  if (g_strcmp0 (choice, "namedCurve") != 0)
    {
      tls_asn1_free (node);
      return fail (error, TLS_PKI_ERROR_UNSUPPORTED,
                   _("EC parameters: only a named curve is supported (RFC 5480, 2.1.1)"));
    }
  *curve_oid = tls_asn1_read_string (node, "namedCurve");
  tls_asn1_free (node);
  return *curve_oid != NULL;
}

/* Sets the curve of KEY from CURVE_OID, and the point from its encoding.
 * An unknown curve is not an error: the key gets a problem instead. */
static gboolean
set_ec_point (TlsPublicKey *key, char *curve_oid, const guint8 *pt, gsize n, GError **error)
{
  mpz_t x, y;
  guint cb;
  gboolean ok;

  key->type = TLS_PK_EC;
  key->curve_oid = curve_oid;
  key->curve = curve_from_oid (curve_oid, &key->ecc);
  key->ec_point = g_bytes_new (pt, n);
  if (key->ecc == NULL)
    {
      const char *name = tls_oid_name (curve_oid);
      key->problem = g_strdup_printf (_("the curve %s is not supported (P-256, P-384 and P-521 are)"),
                                      name ? name : curve_oid);
      return TRUE;
    }
  key->bits = ecc_bit_size (key->ecc);
  cb = ecc_bytes (key->ecc);
  if (n == 0 || pt[0] != 4)
    {
      key->ecc = NULL;
      return fail (error, TLS_PKI_ERROR_UNSUPPORTED,
                   _("EC public key: only the uncompressed point form (04 || X || Y) is supported"));
    }
  if (n != 1 + 2 * (gsize) cb)
    {
      key->ecc = NULL;
      return fail (error, TLS_PKI_ERROR_BAD_KEY,
                   _("EC public key: %lu bytes, %u expected for %s"),
                   (unsigned long) n, 1 + 2 * cb, tls_ec_curve_name (key->curve));
    }
  mpz_init (x);
  mpz_init (y);
  nettle_mpz_set_str_256_u (x, cb, pt + 1);
  nettle_mpz_set_str_256_u (y, cb, pt + 1 + cb);
  ecc_point_init (&key->ec, key->ecc);
  ok = ecc_point_set (&key->ec, x, y);
  mpz_clear (x);
  mpz_clear (y);
  if (!ok)
    {
      ecc_point_clear (&key->ec);
      key->ecc = NULL;
      return fail (error, TLS_PKI_ERROR_BAD_KEY,
                   _("EC public key: the point is not on the curve %s"),
                   tls_ec_curve_name (key->curve));
    }
  return TRUE;
}

static gboolean
check_rsa_public (TlsPublicKey *key, GError **error)
{
  /* RFC 8017, 3.1: n odd, 3 <= e < n, e odd */
  if (mpz_even_p (key->rsa.n) || mpz_cmp_ui (key->rsa.e, 3) < 0
      || mpz_even_p (key->rsa.e) || mpz_cmp (key->rsa.e, key->rsa.n) >= 0)
    return fail (error, TLS_PKI_ERROR_BAD_KEY,
                 _("RSA public key: the modulus must be odd and the exponent odd, at least 3 and "
                   "less than the modulus (RFC 8017, 3.1)"));
  if (!rsa_public_key_prepare (&key->rsa))
    return fail (error, TLS_PKI_ERROR_BAD_KEY, _("RSA public key: the modulus is too small"));
  key->bits = mpz_sizeinbase (key->rsa.n, 2);
  return TRUE;
}

static gboolean
check_dsa_public (TlsPublicKey *key, GError **error)
{
  guint qbits = mpz_sizeinbase (key->dsa.q, 2);

  /* FIPS 186-4, 4.2: q of 160, 224 or 256 bits dividing p - 1; 1 < g, y < p */
  if (mpz_cmp_ui (key->dsa.p, 3) < 0 || mpz_cmp_ui (key->dsa.q, 3) < 0
      || mpz_cmp_ui (key->dsa.g, 1) <= 0 || mpz_cmp (key->dsa.g, key->dsa.p) >= 0
      || mpz_cmp_ui (key->y, 1) <= 0 || mpz_cmp (key->y, key->dsa.p) >= 0
      || (key->type == TLS_PK_DSA && qbits != 160 && qbits != 224 && qbits != 256))
    return fail (error, TLS_PKI_ERROR_BAD_KEY,
                 _("%s public key: the parameters are out of range"), tls_pk_alg_name (key->type));
  if (key->type == TLS_PK_DSA)
    {
      /* q divides p - 1, g and y have order q */
      gboolean ok;
      mpz_t t;

      mpz_init (t);
      mpz_sub_ui (t, key->dsa.p, 1);
      ok = mpz_divisible_p (t, key->dsa.q);
      mpz_powm (t, key->dsa.g, key->dsa.q, key->dsa.p);
      ok = ok && mpz_cmp_ui (t, 1) == 0;
      mpz_powm (t, key->y, key->dsa.q, key->dsa.p);
      ok = ok && mpz_cmp_ui (t, 1) == 0;
      mpz_clear (t);
      if (!ok)
        return fail (error, TLS_PKI_ERROR_BAD_KEY,
                     _("DSA public key: q does not divide p - 1, or g or y is not of order q "
                       "(FIPS 186-4, 4.1)"));
    }
  key->bits = mpz_sizeinbase (key->dsa.p, 2);
  return TRUE;
}

/* Parses the key of KEY->oid from the subjectPublicKey bits. */
static gboolean
parse_public_value (TlsPublicKey *key, const guint8 *params, gsize params_len,
                    gsize params_base, TlsField *params_field,
                    const guint8 *kb, gsize kn, gsize key_base, TlsField *key_field,
                    GError **error)
{
  asn1_node node = NULL;
  gboolean ok = FALSE;

  if (g_strcmp0 (key->oid, OID_RSA) == 0)
    {
      /* RFC 3279, 2.3.1: the parameters field MUST have ASN.1 type NULL */
      key->type = TLS_PK_RSA;
      if (params != NULL && !(params_len == 2 && params[0] == 5 && params[1] == 0))
        return fail (error, TLS_PKI_ERROR_BAD_DER,
                     _("RSA public key: the algorithm parameters must be NULL (RFC 3279, 2.3.1)"));
      node = tls_asn1_decode ("RSAPublicKey", kb, kn, _("RSA public key"), error);
      if (node == NULL)
        return FALSE;
      ok = read_int (node, kb, kn, key_base, key_field, "modulus",
                     _("n, the product of two secret primes"), key->rsa.n)
        && read_int (node, kb, kn, key_base, key_field, "publicExponent",
                     _("e: anyone may compute m^e mod n"), key->rsa.e);
      if (!ok)
        fail (error, TLS_PKI_ERROR_BAD_DER, _("RSA public key: a number is negative or badly encoded"));
      else
        ok = check_rsa_public (key, error);
    }
  else if (g_strcmp0 (key->oid, OID_DSA) == 0 || g_strcmp0 (key->oid, OID_DH) == 0)
    {
      gboolean dsa = g_strcmp0 (key->oid, OID_DSA) == 0;
      asn1_node pnode;

      key->type = dsa ? TLS_PK_DSA : TLS_PK_DH;
      if (params == NULL)
        return fail (error, TLS_PKI_ERROR_UNSUPPORTED,
                     _("%s public key without parameters (inherited from the issuer) is not supported"),
                     tls_pk_alg_name (key->type));
      /* RFC 3279, 2.3.2 (Dss-Parms) and 2.3.3 (DomainParameters) */
      pnode = tls_asn1_decode (dsa ? "Dss-Parms" : "DomainParameters", params, params_len,
                               dsa ? _("DSA parameters") : _("DH parameters"), error);
      if (pnode == NULL)
        return FALSE;
      /* Dss-Parms is p, q, g; DomainParameters is p, g, q */
      ok = read_int (pnode, params, params_len, params_base, params_field, "p",
                     _("the prime modulus"), key->dsa.p)
        && (dsa ? read_int (pnode, params, params_len, params_base, params_field, "q",
                            _("the prime order of the subgroup"), key->dsa.q)
                  && read_int (pnode, params, params_len, params_base, params_field, "g",
                               _("the generator of the subgroup"), key->dsa.g)
                : read_int (pnode, params, params_len, params_base, params_field, "g",
                            _("the generator of the subgroup"), key->dsa.g)
                  && read_int (pnode, params, params_len, params_base, params_field, "q",
                               _("the prime order of the subgroup"), key->dsa.q));
      tls_asn1_free (pnode);
      if (!ok)
        return fail (error, TLS_PKI_ERROR_BAD_DER, _("%s parameters: a number is negative or badly encoded"),
                     tls_pk_alg_name (key->type));
      node = tls_asn1_decode (dsa ? "DSAPublicKey" : "DHPublicKey", kb, kn,
                              dsa ? _("DSA public key") : _("DH public key"), error);
      if (node == NULL)
        return FALSE;
      ok = tls_asn1_read_mpz (node, "", key->y);
      if (!ok)
        fail (error, TLS_PKI_ERROR_BAD_DER, _("%s public key: y is negative or badly encoded"),
              tls_pk_alg_name (key->type));
      else
        {
          g_autofree char *text = mpz_text (key->y);
          tls_field_set_value (key_field, "y = %s", text);
          ok = check_dsa_public (key, error);
        }
    }
  else if (g_strcmp0 (key->oid, OID_EC) == 0)
    {
      char *curve_oid = NULL;

      key->type = TLS_PK_EC;
      if (params == NULL)
        return fail (error, TLS_PKI_ERROR_BAD_DER,
                     _("EC public key without parameters (RFC 5480, 2.1.1: they MUST be present)"));
      if (!read_ec_parameters (params, params_len, &curve_oid, error))
        return FALSE;
      if (params_field != NULL)
        tls_field_set_value (params_field, "namedCurve %s (%s)",
                             tls_oid_name (curve_oid) ? tls_oid_name (curve_oid) : "?", curve_oid);
      ok = set_ec_point (key, curve_oid, kb, kn, error);
      if (ok && key->ecc != NULL && key_field != NULL)
        {
          g_autofree char *hex = tls_hex_preview (kb, kn, 16);
          tls_field_set_value (key_field, _("point %s"), hex);
          tls_field_set_desc (key_field, _("uncompressed point 04 || X || Y (SEC 1, 2.3.3)"));
        }
    }
  else if (g_strcmp0 (key->oid, OID_ED25519) == 0)
    {
      /* RFC 8410, 3: "the parameters MUST be absent"; 4: the key is the
       * 32 bytes of RFC 8032, 5.1.5. */
      key->type = TLS_PK_ED25519;
      if (params != NULL)
        return fail (error, TLS_PKI_ERROR_BAD_DER,
                     _("Ed25519 public key: the algorithm parameters must be absent (RFC 8410, 3)"));
      if (kn != sizeof key->ed25519)
        return fail (error, TLS_PKI_ERROR_BAD_KEY,
                     _("Ed25519 public key of %zu bytes: it has 32 (RFC 8032, 5.1.5)"), kn);
      memcpy (key->ed25519, kb, kn);
      key->bits = 256;
      if (key_field != NULL)
        {
          g_autofree char *hex = tls_hex_preview (kb, kn, 16);
          tls_field_set_value (key_field, "A = %s", hex);
          tls_field_set_desc (key_field, _("the Ed25519 public key: 32 bytes (RFC 8032, 5.1.5)"));
        }
      ok = TRUE;
    }
  else
    {
      const char *name = tls_oid_name (key->oid);

      key->type = TLS_PK_UNKNOWN;
      key->problem = g_strdup_printf (_("the public key algorithm %s is not supported"),
                                      name ? name : key->oid);
      ok = TRUE;
    }
  tls_asn1_free (node);
  return ok;
}

TlsPublicKey *
tls_public_key_new_from_spki (const guint8 *der, gsize len, TlsField *field, GError **error)
{
  g_autoptr (TlsPublicKey) key = NULL;
  asn1_node node;
  g_autoptr (GBytes) params = NULL;
  g_autoptr (GBytes) bits = NULL;
  gsize base = field ? field->offset : 0;
  gsize n_bits = 0, off = 0, n = 0, hdr = 0, clen = 0, params_base = 0;
  TlsField *alg_f, *params_f = NULL, *key_f = NULL;
  const char *name;

  node = tls_asn1_decode ("SubjectPublicKeyInfo", der, len, _("SubjectPublicKeyInfo"), error);
  if (node == NULL)
    return NULL;
  key = public_key_new ();
  key->oid = tls_asn1_read_string (node, "algorithm.algorithm");
  name = tls_oid_name (key->oid);
  alg_f = tls_asn1_add_field (field, "algorithm", node, der, len, base, "algorithm");
  tls_field_set_value (alg_f, "%s (%s)", name ? name : "?", key->oid);
  tls_field_set_desc (alg_f, _("AlgorithmIdentifier: which kind of key this is"));
  params = tls_asn1_read_bytes (node, "algorithm.parameters");
  if (params != NULL && tls_asn1_span (node, der, len, "algorithm.parameters", &off, &n))
    {
      params_base = base + off;
      params_f = tls_field_add (alg_f, "parameters", params_base, n);
    }

  bits = tls_asn1_read_bits (node, "subjectPublicKey", &n_bits);
  if (bits == NULL || n_bits % 8 != 0
      || !tls_asn1_span (node, der, len, "subjectPublicKey", &off, &n)
      || !tls_asn1_contents (der + off, n, &hdr, &clen))
    {
      tls_asn1_free (node);
      fail (error, TLS_PKI_ERROR_BAD_DER,
            _("SubjectPublicKeyInfo: the key is not a whole number of bytes"));
      return NULL;
    }
  key_f = tls_field_add (field, "subjectPublicKey", base + off, n);
  tls_field_set_desc (key_f, _("the public key, in a BIT STRING"));
  tls_asn1_free (node);

  /* the key's DER starts after the BIT STRING header and its unused-bits octet */
  if (!parse_public_value (key, params ? g_bytes_get_data (params, NULL) : NULL,
                           params ? g_bytes_get_size (params) : 0, params_base, params_f,
                           g_bytes_get_data (bits, NULL), g_bytes_get_size (bits),
                           base + off + hdr + 1, key_f, error))
    return NULL;
  if (field != NULL)
    {
      g_autofree char *desc = tls_public_key_describe (key);
      tls_field_set_value (field, "%s", desc);
    }
  return g_steal_pointer (&key);
}

char *
tls_public_key_describe (const TlsPublicKey *key)
{
  switch (key->type)
    {
    case TLS_PK_RSA:
      return g_strdup_printf (_("RSA %u bits"), key->bits);
    case TLS_PK_DSA:
      return g_strdup_printf (_("DSA %u bits"), key->bits);
    case TLS_PK_DH:
      return g_strdup_printf (_("DH %u bits"), key->bits);
    case TLS_PK_EC:
      if (key->ecc != NULL)
        return g_strdup_printf (_("EC %s (%s, %u bits)"), curve_nist (key->curve),
                                tls_ec_curve_name (key->curve), key->bits);
      return g_strdup_printf (_("EC on an unsupported curve (%s)"), key->curve_oid);
    case TLS_PK_ED25519:
      return g_strdup ("Ed25519");
    case TLS_PK_UNKNOWN:
    default:
      {
        const char *name = tls_oid_name (key->oid);
        return g_strdup_printf (_("unsupported key algorithm %s (%s)"), name ? name : "?", key->oid);
      }
    }
}

gboolean
tls_public_key_equal (const TlsPublicKey *a, const TlsPublicKey *b)
{
  if (a == NULL || b == NULL || a->type != b->type)
    return FALSE;
  switch (a->type)
    {
    case TLS_PK_RSA:
      return mpz_cmp (a->rsa.n, b->rsa.n) == 0 && mpz_cmp (a->rsa.e, b->rsa.e) == 0;
    case TLS_PK_DSA:
    case TLS_PK_DH:
      return mpz_cmp (a->dsa.p, b->dsa.p) == 0 && mpz_cmp (a->dsa.q, b->dsa.q) == 0
        && mpz_cmp (a->dsa.g, b->dsa.g) == 0 && mpz_cmp (a->y, b->y) == 0;
    case TLS_PK_EC:
      return a->curve == b->curve && a->ec_point && b->ec_point
        && g_bytes_equal (a->ec_point, b->ec_point);
    case TLS_PK_ED25519:
      return memcmp (a->ed25519, b->ed25519, sizeof a->ed25519) == 0;
    case TLS_PK_UNKNOWN:
    default:
      return FALSE;
    }
}

/* ------------------------------------------------------------------ */
/* Private keys                                                        */

static TlsPrivateKey *
private_key_new (void)
{
  TlsPrivateKey *key = g_new0 (TlsPrivateKey, 1);

  rsa_private_key_init (&key->rsa);
  mpz_init (key->x);
  key->pub = public_key_new ();
  return key;
}

void
tls_private_key_free (TlsPrivateKey *key)
{
  if (key == NULL)
    return;
  if (key->pub != NULL && key->pub->ecc != NULL)
    ecc_scalar_clear (&key->ec);
  rsa_private_key_clear (&key->rsa);
  tls_rsa_blinding_free (key->rsa_blinding);
  mpz_clear (key->x);
  memset (key->ed25519, 0, sizeof key->ed25519);
  tls_public_key_free (key->pub);
  g_free (key);
}

/* RFC 8017, 3.2: e·d ≡ 1 mod (p-1) and (q-1) (a multiple of λ(n) is not
 * required), dP = d mod (p-1), dQ = d mod (q-1), q·qInv ≡ 1 mod p. */
static gboolean
rsa_crt_consistent (const TlsPrivateKey *key)
{
  const struct rsa_private_key *k = &key->rsa;
  gboolean ok;
  mpz_t p1, q1, t;

  mpz_inits (p1, q1, t, NULL);
  mpz_sub_ui (p1, k->p, 1);
  mpz_sub_ui (q1, k->q, 1);
  mpz_mod (t, k->d, p1);
  ok = mpz_cmp (t, k->a) == 0;
  mpz_mod (t, k->d, q1);
  ok = ok && mpz_cmp (t, k->b) == 0;
  mpz_mul (t, k->q, k->c);
  mpz_mod (t, t, k->p);
  ok = ok && mpz_cmp_ui (t, 1) == 0;
  mpz_mul (t, key->pub->rsa.e, k->a);
  mpz_mod (t, t, p1);
  ok = ok && mpz_cmp_ui (t, 1) == 0;
  mpz_mul (t, key->pub->rsa.e, k->b);
  mpz_mod (t, t, q1);
  ok = ok && mpz_cmp_ui (t, 1) == 0;
  mpz_clears (p1, q1, t, NULL);
  return ok;
}

/* RSAPrivateKey (RFC 8017, A.1.2):
 *   SEQUENCE { version, n, e, d, p, q, d mod (p-1), d mod (q-1), q^-1 mod p,
 *              otherPrimeInfos OPTIONAL } */
static gboolean
parse_rsa_private (TlsPrivateKey *key, const guint8 *der, gsize len, GError **error)
{
  asn1_node node = tls_asn1_decode ("RSAPrivateKey", der, len, _("RSA private key"), error);
  guint version = 99;
  gboolean ok;
  mpz_t t;

  if (node == NULL)
    return FALSE;
  key->type = key->pub->type = TLS_PK_RSA;
  key->pub->oid = g_strdup (OID_RSA);
  ok = tls_asn1_read_uint (node, "version", &version)
    && tls_asn1_read_mpz (node, "modulus", key->pub->rsa.n)
    && tls_asn1_read_mpz (node, "publicExponent", key->pub->rsa.e)
    && tls_asn1_read_mpz (node, "privateExponent", key->rsa.d)
    && tls_asn1_read_mpz (node, "prime1", key->rsa.p)
    && tls_asn1_read_mpz (node, "prime2", key->rsa.q)
    && tls_asn1_read_mpz (node, "exponent1", key->rsa.a)
    && tls_asn1_read_mpz (node, "exponent2", key->rsa.b)
    && tls_asn1_read_mpz (node, "coefficient", key->rsa.c);
  tls_asn1_free (node);
  if (!ok)
    return fail (error, TLS_PKI_ERROR_BAD_DER, _("RSA private key: a number is negative or badly encoded"));
  if (version != 0)
    return fail (error, TLS_PKI_ERROR_UNSUPPORTED,
                 _("RSA private key: only two-prime keys (version 0) are supported"));
  if (!check_rsa_public (key->pub, error))
    return FALSE;
  mpz_init (t);
  mpz_mul (t, key->rsa.p, key->rsa.q);
  ok = mpz_cmp (t, key->pub->rsa.n) == 0;
  mpz_clear (t);
  if (!ok || !rsa_private_key_prepare (&key->rsa) || key->rsa.size != key->pub->rsa.size)
    return fail (error, TLS_PKI_ERROR_BAD_KEY, _("RSA private key: p × q is not the modulus"));
  if (!rsa_crt_consistent (key))
    return fail (error, TLS_PKI_ERROR_BAD_KEY,
                 _("RSA private key: d, d mod (p-1), d mod (q-1) and q^-1 mod p do not agree "
                   "with e, p and q (RFC 8017, 3.2)"));
  key->bits = key->pub->bits;
  return TRUE;
}

/* Sets y = g^x mod p, or checks it against the Y given. */
static gboolean
dsa_finish (TlsPrivateKey *key, const mpz_t given_y, GError **error)
{
  if (mpz_sgn (key->x) <= 0 || mpz_cmp (key->x, key->pub->dsa.q) >= 0)
    return fail (error, TLS_PKI_ERROR_BAD_KEY, _("%s private key: x is not between 0 and q"),
                 tls_pk_alg_name (key->type));
  mpz_powm (key->pub->y, key->pub->dsa.g, key->x, key->pub->dsa.p);
  if (given_y != NULL && mpz_cmp (given_y, key->pub->y) != 0)
    return fail (error, TLS_PKI_ERROR_BAD_KEY, _("DSA private key: y is not g^x mod p"));
  if (!check_dsa_public (key->pub, error))
    return FALSE;
  key->bits = key->pub->bits;
  return TRUE;
}

/* OpenSSL's "DSA PRIVATE KEY": SEQUENCE { 0, p, q, g, y, x } */
static gboolean
parse_dsa_openssl (TlsPrivateKey *key, const guint8 *der, gsize len, GError **error)
{
  asn1_node node = tls_asn1_decode ("DSAPrivateKey", der, len, _("DSA private key"), error);
  guint version = 99;
  gboolean ok;
  mpz_t y;

  if (node == NULL)
    return FALSE;
  key->type = key->pub->type = TLS_PK_DSA;
  key->pub->oid = g_strdup (OID_DSA);
  mpz_init (y);
  ok = tls_asn1_read_uint (node, "version", &version) && version == 0
    && tls_asn1_read_mpz (node, "p", key->pub->dsa.p)
    && tls_asn1_read_mpz (node, "q", key->pub->dsa.q)
    && tls_asn1_read_mpz (node, "g", key->pub->dsa.g)
    && tls_asn1_read_mpz (node, "y", y)
    && tls_asn1_read_mpz (node, "x", key->x);
  tls_asn1_free (node);
  if (!ok)
    fail (error, TLS_PKI_ERROR_BAD_DER, _("DSA private key: a number is negative or badly encoded"));
  else
    ok = dsa_finish (key, y, error);
  mpz_clear (y);
  return ok;
}

/* ECPrivateKey (RFC 5915, 3):
 *   SEQUENCE { version 1, privateKey OCTET STRING,
 *              parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
 * CURVE_OID comes from the PKCS#8 AlgorithmIdentifier, or NULL. */
static gboolean
parse_ec_private (TlsPrivateKey *key, const guint8 *der, gsize len,
                  char *curve_oid, GError **error)
{
  asn1_node node = tls_asn1_decode ("ECPrivateKey", der, len, _("EC private key"), error);
  g_autoptr (GBytes) priv = NULL;
  g_autoptr (GBytes) given_pub = NULL;
  g_autofree char *inner_oid = NULL;
  guint version = 0;
  gsize n_bits = 0;
  mpz_t z;
  gboolean ok;

  if (node == NULL)
    {
      g_free (curve_oid);
      return FALSE;
    }
  key->type = key->pub->type = TLS_PK_EC;
  key->pub->oid = g_strdup (OID_EC);
  ok = tls_asn1_read_uint (node, "version", &version) && version == 1;
  priv = tls_asn1_read_bytes (node, "privateKey");
  if (tls_asn1_present (node, "parameters"))
    inner_oid = tls_asn1_read_string (node, "parameters.namedCurve");
  if (tls_asn1_present (node, "publicKey"))
    given_pub = tls_asn1_read_bits (node, "publicKey", &n_bits);
  tls_asn1_free (node);
  if (!ok || priv == NULL)
    {
      g_free (curve_oid);
      return fail (error, TLS_PKI_ERROR_BAD_DER, _("EC private key: version 1 and a private key expected"));
    }
  if (curve_oid == NULL)
    curve_oid = g_strdup (inner_oid);
  if (curve_oid == NULL)
    return fail (error, TLS_PKI_ERROR_BAD_DER, _("EC private key: no named curve"));
  if (inner_oid != NULL && strcmp (inner_oid, curve_oid) != 0)
    {
      g_free (curve_oid);
      return fail (error, TLS_PKI_ERROR_BAD_KEY, _("EC private key: two different curves"));
    }

  key->pub->curve_oid = curve_oid;
  key->pub->curve = curve_from_oid (curve_oid, &key->pub->ecc);
  if (key->pub->ecc == NULL)
    return fail (error, TLS_PKI_ERROR_UNSUPPORTED,
                 _("EC private key: the curve %s is not supported"), curve_oid);
  key->bits = key->pub->bits = ecc_bit_size (key->pub->ecc);

  /* the scalar, and the public point Q = d·G */
  mpz_init (z);
  nettle_mpz_set_str_256_u (z, g_bytes_get_size (priv), g_bytes_get_data (priv, NULL));
  ecc_scalar_init (&key->ec, key->pub->ecc);
  ecc_point_init (&key->pub->ec, key->pub->ecc);
  ok = g_bytes_get_size (priv) <= ecc_bytes (key->pub->ecc) && ecc_scalar_set (&key->ec, z);
  mpz_clear (z);
  if (!ok)
    return fail (error, TLS_PKI_ERROR_BAD_KEY, _("EC private key: the scalar is out of range"));
  ecc_point_mul_g (&key->pub->ec, &key->ec);
  key->pub->ec_point = encode_point (key->pub->ecc, &key->pub->ec);
  if (given_pub != NULL && !g_bytes_equal (given_pub, key->pub->ec_point))
    return fail (error, TLS_PKI_ERROR_BAD_KEY,
                 _("EC private key: the public key in the file is not d·G"));
  return TRUE;
}

/* PKCS#8 (RFC 5208, 5; RFC 5958, 2):
 *   OneAsymmetricKey ::= SEQUENCE { version, privateKeyAlgorithm,
 *                                   privateKey OCTET STRING, ... } */
static gboolean
parse_pkcs8 (TlsPrivateKey *key, const guint8 *der, gsize len, GError **error)
{
  asn1_node node = tls_asn1_decode ("OneAsymmetricKey", der, len, _("PKCS#8 private key"), error);
  g_autofree char *oid = NULL;
  g_autoptr (GBytes) params = NULL;
  g_autoptr (GBytes) priv = NULL;
  guint version = 99;
  const guint8 *pd;
  gsize pn;

  if (node == NULL)
    return FALSE;
  if (!tls_asn1_read_uint (node, "version", &version))
    {
      tls_asn1_free (node);
      return fail (error, TLS_PKI_ERROR_BAD_DER, _("PKCS#8 private key: no version"));
    }
  if (version > 1)
    {
      tls_asn1_free (node);
      return fail (error, TLS_PKI_ERROR_UNSUPPORTED, _("PKCS#8 private key: unknown version"));
    }
  oid = tls_asn1_read_string (node, "privateKeyAlgorithm.algorithm");
  params = tls_asn1_read_bytes (node, "privateKeyAlgorithm.parameters");
  priv = tls_asn1_read_bytes (node, "privateKey");
  tls_asn1_free (node);
  if (oid == NULL || priv == NULL)
    return fail (error, TLS_PKI_ERROR_BAD_DER, _("PKCS#8 private key: incomplete"));
  pd = g_bytes_get_data (priv, &pn);

  if (strcmp (oid, OID_RSA) == 0)
    return parse_rsa_private (key, pd, pn, error);
  if (strcmp (oid, OID_EC) == 0)
    {
      char *curve_oid = NULL;
      if (params == NULL
          || !read_ec_parameters (g_bytes_get_data (params, NULL), g_bytes_get_size (params),
                                  &curve_oid, error))
        return error && *error ? FALSE
          : fail (error, TLS_PKI_ERROR_BAD_DER, _("PKCS#8 EC private key: no curve"));
      return parse_ec_private (key, pd, pn, curve_oid, error);
    }
  if (strcmp (oid, OID_ED25519) == 0)
    {
      /* RFC 8410, 7: privateKey holds CurvePrivateKey ::= OCTET STRING,
       * the 32 bytes of RFC 8032, 5.1.5; the parameters are absent (3). */
      if (params != NULL || pn != 2 + sizeof key->ed25519 || pd[0] != 0x04 || pd[1] != 0x20)
        return fail (error, TLS_PKI_ERROR_BAD_DER,
                     _("PKCS#8 Ed25519 private key: not an OCTET STRING of 32 bytes without "
                       "parameters (RFC 8410, 7)"));
      key->type = key->pub->type = TLS_PK_ED25519;
      key->pub->oid = g_strdup (oid);
      key->bits = key->pub->bits = 256;
      memcpy (key->ed25519, pd + 2, sizeof key->ed25519);
      ed25519_sha512_public_key (key->pub->ed25519, key->ed25519);
      return TRUE;
    }
  if (strcmp (oid, OID_DSA) == 0 || strcmp (oid, OID_DH) == 0)
    {
      gboolean dsa = strcmp (oid, OID_DSA) == 0;
      asn1_node pnode, xnode;
      gboolean ok;

      /* DSA (RFC 5208 as OpenSSL writes it) and X9.42 DH (RFC 3279,
       * 2.3.3 parameters): privateKey is the INTEGER x */
      key->type = key->pub->type = dsa ? TLS_PK_DSA : TLS_PK_DH;
      key->pub->oid = g_strdup (oid);
      if (params == NULL)
        return fail (error, TLS_PKI_ERROR_BAD_DER, _("PKCS#8 %s private key: no parameters"),
                     tls_pk_alg_name (key->type));
      pnode = tls_asn1_decode (dsa ? "Dss-Parms" : "DomainParameters", g_bytes_get_data (params, NULL),
                               g_bytes_get_size (params), dsa ? _("DSA parameters") : _("DH parameters"),
                               error);
      if (pnode == NULL)
        return FALSE;
      ok = tls_asn1_read_mpz (pnode, "p", key->pub->dsa.p)
        && tls_asn1_read_mpz (pnode, "q", key->pub->dsa.q)
        && tls_asn1_read_mpz (pnode, "g", key->pub->dsa.g);
      tls_asn1_free (pnode);
      xnode = ok ? tls_asn1_decode ("DSAPrivateKeyValue", pd, pn, _("private key"), error) : NULL;
      if (xnode == NULL)
        return error && *error ? FALSE
          : fail (error, TLS_PKI_ERROR_BAD_DER, _("%s parameters: a number is negative or badly encoded"),
                  tls_pk_alg_name (key->type));
      ok = tls_asn1_read_mpz (xnode, "", key->x);
      tls_asn1_free (xnode);
      if (!ok)
        return fail (error, TLS_PKI_ERROR_BAD_DER, _("%s private key: x is badly encoded"),
                     tls_pk_alg_name (key->type));
      return dsa_finish (key, NULL, error);
    }
  {
    const char *name = tls_oid_name (oid);
    return fail (error, TLS_PKI_ERROR_UNSUPPORTED,
                 _("PKCS#8 private key: the algorithm %s is not supported"), name ? name : oid);
  }
}

TlsPrivateKey *
tls_private_key_new_from_der (const char *label, const guint8 *der, gsize len, GError **error)
{
  g_autoptr (TlsPrivateKey) key = private_key_new ();
  gboolean ok;

  if (g_strcmp0 (label, "PRIVATE KEY") == 0)
    {
      key->format = "PKCS#8";
      ok = parse_pkcs8 (key, der, len, error);
    }
  else if (g_strcmp0 (label, "RSA PRIVATE KEY") == 0)
    {
      key->format = "PKCS#1 RSA PRIVATE KEY";
      ok = parse_rsa_private (key, der, len, error);
    }
  else if (g_strcmp0 (label, "DSA PRIVATE KEY") == 0)
    {
      key->format = "OpenSSL DSA PRIVATE KEY";
      ok = parse_dsa_openssl (key, der, len, error);
    }
  else if (g_strcmp0 (label, "EC PRIVATE KEY") == 0)
    {
      key->format = "SEC1 EC PRIVATE KEY";
      ok = parse_ec_private (key, der, len, NULL, error);
    }
  else if (g_strcmp0 (label, "ENCRYPTED PRIVATE KEY") == 0)
    ok = fail (error, TLS_PKI_ERROR_ENCRYPTED,
               _("the private key is encrypted (PKCS#8 ENCRYPTED PRIVATE KEY); "
                 "decrypt it first, e.g. openssl pkey -in KEY -out plain.key"));
  else
    ok = fail (error, TLS_PKI_ERROR_UNSUPPORTED, _("“%s” is not a private key label"),
               label ? label : "");
  if (!ok)
    return NULL;
  return g_steal_pointer (&key);
}

static gboolean
is_key_label (const char *label)
{
  return g_str_equal (label, "PRIVATE KEY") || g_str_equal (label, "RSA PRIVATE KEY")
    || g_str_equal (label, "DSA PRIVATE KEY") || g_str_equal (label, "EC PRIVATE KEY")
    || g_str_equal (label, "ENCRYPTED PRIVATE KEY");
}

static TlsPrivateKey *
key_from_blocks (GPtrArray *blocks, GError **error)
{
  g_autoptr (GString) seen = g_string_new (NULL);

  for (guint i = 0; i < blocks->len; i++)
    {
      TlsPemBlock *b = g_ptr_array_index (blocks, i);

      if (!is_key_label (b->label))
        {
          g_string_append_printf (seen, "%s“%s”", seen->len ? ", " : "", b->label);
          continue;
        }
      /* RFC 1421, 4.6.1.1: "Proc-Type: 4,ENCRYPTED" */
      if (b->headers != NULL && strstr (b->headers, "ENCRYPTED") != NULL)
        {
          fail (error, TLS_PKI_ERROR_ENCRYPTED,
                _("the private key is encrypted (%s with Proc-Type: 4,ENCRYPTED); "
                  "decrypt it first, e.g. openssl pkey -in KEY -out plain.key"), b->label);
          return NULL;
        }
      return tls_private_key_new_from_der (b->label, g_bytes_get_data (b->der, NULL),
                                           g_bytes_get_size (b->der), error);
    }
  fail (error, TLS_PKI_ERROR_NO_PEM, _("no private key in the PEM text (found %s)"), seen->str);
  return NULL;
}

TlsPrivateKey *
tls_private_key_load (const char *pem_text, gsize len, GError **error)
{
  g_autoptr (GPtrArray) blocks = tls_pem_decode (pem_text, len, NULL, error);

  if (blocks == NULL)
    return NULL;
  return key_from_blocks (blocks, error);
}

TlsPrivateKey *
tls_private_key_load_file (const char *path, GError **error)
{
  g_autoptr (GPtrArray) blocks = tls_pem_read_file (path, NULL, error);
  GError *local = NULL;
  TlsPrivateKey *key;

  if (blocks == NULL)
    return NULL;
  key = key_from_blocks (blocks, &local);
  if (key == NULL)
    g_propagate_prefixed_error (error, local, "%s: ", path);
  return key;
}

gboolean
tls_private_key_matches (const TlsPrivateKey *key, const TlsPublicKey *pub)
{
  return key != NULL && tls_public_key_equal (key->pub, pub);
}
