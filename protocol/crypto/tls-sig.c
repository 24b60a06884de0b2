/* tls-sig.c — signatures with Nettle. */
#include "tls-sig.h"
#include "tls-asn1.h"
#include "tls-pem.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <nettle/bignum.h>
#include <nettle/ecdsa.h>
#include <nettle/eddsa.h>
#include <nettle/nettle-meta.h>
#include <nettle/rsa.h>
#include <string.h>

/* DigestInfo prefixes: the DER of
 *   DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }
 * up to the digest itself (RFC 8017, 9.2, note 1). */
static const guint8 di_md5[]    = { 0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86,
                                    0xf7, 0x0d, 0x02, 0x05, 0x05, 0x00, 0x04, 0x10 };
static const guint8 di_sha1[]   = { 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02,
                                    0x1a, 0x05, 0x00, 0x04, 0x14 };
static const guint8 di_sha224[] = { 0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c };
static const guint8 di_sha256[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };
static const guint8 di_sha384[] = { 0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30 };
static const guint8 di_sha512[] = { 0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40 };

typedef struct
{
  TlsSigAlg                 alg;
  const char               *name;
  TlsPkAlg                  key;
  const struct nettle_hash *hash;       /* NULL: MD5 + SHA-1 */
  const char               *hash_name;
  const guint8             *di;         /* RSA: the DigestInfo prefix */
  gsize                     di_len;
  const char               *oid;        /* X.509 signatureAlgorithm */
  guint16                   tls;        /* SignatureAndHashAlgorithm */
  gboolean                  pss;        /* RSASSA-PSS, salt as long as the digest */
} SigInfo;

#define DI(x) x, sizeof x

static const SigInfo sig_table[] = {
  { TLS_SIG_ALG_RSA_MD5_SHA1, "rsa_md5_sha1", TLS_PK_RSA, NULL, "MD5+SHA-1", NULL, 0, NULL, 0 },
  { TLS_SIG_ALG_RSA_MD5, "rsa_pkcs1_md5", TLS_PK_RSA, &nettle_md5, "MD5", DI (di_md5),
    "1.2.840.113549.1.1.4", 0x0101 },
  { TLS_SIG_ALG_RSA_SHA1, "rsa_pkcs1_sha1", TLS_PK_RSA, &nettle_sha1, "SHA-1", DI (di_sha1),
    "1.2.840.113549.1.1.5", TLS_SIG_RSA_PKCS1_SHA1 },
  { TLS_SIG_ALG_RSA_SHA256, "rsa_pkcs1_sha256", TLS_PK_RSA, &nettle_sha256, "SHA-256", DI (di_sha256),
    "1.2.840.113549.1.1.11", TLS_SIG_RSA_PKCS1_SHA256 },
  { TLS_SIG_ALG_RSA_SHA384, "rsa_pkcs1_sha384", TLS_PK_RSA, &nettle_sha384, "SHA-384", DI (di_sha384),
    "1.2.840.113549.1.1.12", TLS_SIG_RSA_PKCS1_SHA384 },
  { TLS_SIG_ALG_RSA_SHA512, "rsa_pkcs1_sha512", TLS_PK_RSA, &nettle_sha512, "SHA-512", DI (di_sha512),
    "1.2.840.113549.1.1.13", TLS_SIG_RSA_PKCS1_SHA512 },
  { TLS_SIG_ALG_DSA_SHA1, "dsa_sha1", TLS_PK_DSA, &nettle_sha1, "SHA-1", NULL, 0,
    "1.2.840.10040.4.3", TLS_SIG_DSA_SHA1 },
  { TLS_SIG_ALG_DSA_SHA256, "dsa_sha256", TLS_PK_DSA, &nettle_sha256, "SHA-256", NULL, 0,
    "2.16.840.1.101.3.4.3.2", TLS_SIG_DSA_SHA256 },
  { TLS_SIG_ALG_ECDSA_SHA1, "ecdsa_sha1", TLS_PK_EC, &nettle_sha1, "SHA-1", NULL, 0,
    "1.2.840.10045.4.1", TLS_SIG_ECDSA_SHA1 },
  { TLS_SIG_ALG_ECDSA_SHA256, "ecdsa_secp256r1_sha256", TLS_PK_EC, &nettle_sha256, "SHA-256", NULL, 0,
    "1.2.840.10045.4.3.2", TLS_SIG_ECDSA_SHA256 },
  { TLS_SIG_ALG_ECDSA_SHA384, "ecdsa_secp384r1_sha384", TLS_PK_EC, &nettle_sha384, "SHA-384", NULL, 0,
    "1.2.840.10045.4.3.3", TLS_SIG_ECDSA_SHA384 },
  { TLS_SIG_ALG_ECDSA_SHA512, "ecdsa_secp521r1_sha512", TLS_PK_EC, &nettle_sha512, "SHA-512", NULL, 0,
    "1.2.840.10045.4.3.4", 0x0603 },
  { TLS_SIG_ALG_RSA_SHA224, "rsa_pkcs1_sha224", TLS_PK_RSA, &nettle_sha224, "SHA-224", DI (di_sha224),
    "1.2.840.113549.1.1.14", TLS_SIG_RSA_PKCS1_SHA224 },
  { TLS_SIG_ALG_ECDSA_SHA224, "ecdsa_sha224", TLS_PK_EC, &nettle_sha224, "SHA-224", NULL, 0,
    "1.2.840.10045.4.3.1", TLS_SIG_ECDSA_SHA224 },
  /* No OID: in X.509, RSASSA-PSS is id-RSASSA-PSS with parameters
   * (RFC 4055, 3.1), which these TLS code points do not name. */
  { TLS_SIG_ALG_RSA_PSS_RSAE_SHA256, "rsa_pss_rsae_sha256", TLS_PK_RSA, &nettle_sha256, "SHA-256",
    NULL, 0, NULL, TLS_SIG_RSA_PSS_RSAE_SHA256, TRUE },
  { TLS_SIG_ALG_RSA_PSS_RSAE_SHA384, "rsa_pss_rsae_sha384", TLS_PK_RSA, &nettle_sha384, "SHA-384",
    NULL, 0, NULL, TLS_SIG_RSA_PSS_RSAE_SHA384, TRUE },
  { TLS_SIG_ALG_RSA_PSS_RSAE_SHA512, "rsa_pss_rsae_sha512", TLS_PK_RSA, &nettle_sha512, "SHA-512",
    NULL, 0, NULL, TLS_SIG_RSA_PSS_RSAE_SHA512, TRUE },
  /* The same OID names the key and the signature (RFC 8410, 3).  SHA-512
   * is inside Ed25519 (RFC 8032, 5.1.6); tls_sig_sign and tls_sig_verify
   * give it the message, never a digest. */
  { TLS_SIG_ALG_ED25519, "ed25519", TLS_PK_ED25519, &nettle_sha512, "SHA-512 (inside Ed25519)",
    NULL, 0, "1.3.101.112", TLS_SIG_ED25519 },
};

static const SigInfo *
info (TlsSigAlg alg)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sig_table); i++)
    if (sig_table[i].alg == alg)
      return &sig_table[i];
  return NULL;
}

const char *
tls_sig_alg_name (TlsSigAlg alg)
{
  const SigInfo *i = info (alg);
  return i ? i->name : "unknown";
}

TlsPkAlg
tls_sig_alg_key_type (TlsSigAlg alg)
{
  const SigInfo *i = info (alg);
  return i ? i->key : TLS_PK_UNKNOWN;
}

const char *
tls_sig_alg_hash_name (TlsSigAlg alg)
{
  const SigInfo *i = info (alg);
  return i ? i->hash_name : "?";
}

gboolean
tls_sig_alg_is_pss (TlsSigAlg alg)
{
  const SigInfo *i = info (alg);
  return i != NULL && i->pss;
}

const char *
tls_sig_alg_scheme (TlsSigAlg alg)
{
  const SigInfo *i = info (alg);

  if (i == NULL)
    return "?";
  if (i->pss)
    return "RSASSA-PSS";
  switch (i->key)
    {
    case TLS_PK_RSA: return "RSASSA-PKCS1-v1_5";
    case TLS_PK_DSA: return "DSA";
    case TLS_PK_EC:  return "ECDSA";
    case TLS_PK_ED25519: return "EdDSA";
    default: return "?";
    }
}

/* RSASSA-PSS over DIGEST (already hashed with I's hash), the salt as long
 * as the digest (RFC 8446, 4.2.3: "The length of the Salt MUST be equal to
 * the length of the digest algorithm"). */
static gboolean
pss_verify (const SigInfo *i, const struct rsa_public_key *key, const guint8 *digest, mpz_t s)
{
  gsize n = i->hash->digest_size;

  if (i->hash == &nettle_sha256)
    return rsa_pss_sha256_verify_digest (key, n, digest, s);
  if (i->hash == &nettle_sha384)
    return rsa_pss_sha384_verify_digest (key, n, digest, s);
  return rsa_pss_sha512_verify_digest (key, n, digest, s);
}

static gboolean
pss_sign (const SigInfo *i, const TlsPrivateKey *key, TlsRng *rng, const guint8 *digest, mpz_t s)
{
  gsize n = i->hash->digest_size;
  guint8 salt[64];
  gboolean ok;

  tls_rng_bytes (rng, salt, n);
  if (i->hash == &nettle_sha256)
    ok = rsa_pss_sha256_sign_digest_tr (&key->pub->rsa, &key->rsa, rng, tls_rng_nettle, n, salt,
                                        digest, s);
  else if (i->hash == &nettle_sha384)
    ok = rsa_pss_sha384_sign_digest_tr (&key->pub->rsa, &key->rsa, rng, tls_rng_nettle, n, salt,
                                        digest, s);
  else
    ok = rsa_pss_sha512_sign_digest_tr (&key->pub->rsa, &key->rsa, rng, tls_rng_nettle, n, salt,
                                        digest, s);
  return ok;
}

TlsSigAlg
tls_sig_alg_from_oid (const char *oid)
{
  for (gsize i = 0; oid != NULL && i < G_N_ELEMENTS (sig_table); i++)
    if (g_strcmp0 (sig_table[i].oid, oid) == 0)
      return sig_table[i].alg;
  return TLS_SIG_ALG_UNKNOWN;
}

const char *
tls_sig_alg_to_oid (TlsSigAlg alg)
{
  const SigInfo *i = info (alg);
  return i ? i->oid : NULL;
}

TlsSigAlg
tls_sig_alg_from_tls (guint16 sigandhash)
{
  for (gsize i = 0; sigandhash != 0 && i < G_N_ELEMENTS (sig_table); i++)
    if (sig_table[i].tls == sigandhash)
      return sig_table[i].alg;
  return TLS_SIG_ALG_UNKNOWN;
}

guint16
tls_sig_alg_to_tls (TlsSigAlg alg)
{
  const SigInfo *i = info (alg);
  return i ? i->tls : 0;
}

static gsize
hash (const struct nettle_hash *h, const guint8 *data, gsize len, guint8 *out)
{
  g_autofree void *ctx = g_malloc (h->context_size);

  h->init (ctx);
  h->update (ctx, len, data);
  h->digest (ctx, h->digest_size, out);
  return h->digest_size;
}

gsize
tls_sig_digest (TlsSigAlg alg, const guint8 *data, gsize len, guint8 out[TLS_SIG_MAX_DIGEST])
{
  const SigInfo *i = info (alg);

  if (i == NULL)
    return 0;
  if (i->hash == NULL)
    {
      /* RFC 4346, 7.4.3: md5_hash[16] followed by sha_hash[20] */
      hash (&nettle_md5, data, len, out);
      hash (&nettle_sha1, data, len, out + 16);
      return 36;
    }
  return hash (i->hash, data, len, out);
}

static gboolean
refuse (char **reason, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
refuse (char **reason, const char *format, ...)
{
  va_list ap;

  if (reason != NULL)
    {
      va_start (ap, format);
      g_free (*reason);
      *reason = g_strdup_vprintf (format, ap);
      va_end (ap);
    }
  return FALSE;
}

/* Checks that ALG is one we use with a key of the right type. */
static const SigInfo *
usable (TlsSigAlg alg, TlsPkAlg have, gsize digest_len, char **reason)
{
  const SigInfo *i = info (alg);

  if (i == NULL)
    {
      refuse (reason, _("unknown signature algorithm"));
      return NULL;
    }
  if (alg == TLS_SIG_ALG_RSA_MD5)
    {
      refuse (reason, _("MD5 signatures are not accepted: MD5 collisions are practical (RFC 6151)"));
      return NULL;
    }
  if (have != i->key)
    {
      refuse (reason, _("a %s signature needs an %s key, and this key is %s"),
              i->name, tls_pk_alg_name (i->key), tls_pk_alg_name (have));
      return NULL;
    }
  if (digest_len != (i->hash ? i->hash->digest_size : 36))
    {
      refuse (reason, _("the digest has %zu bytes, %s has %u"),
              digest_len, i->hash_name, i->hash ? i->hash->digest_size : 36);
      return NULL;
    }
  return i;
}

/* The DER SEQUENCE { r INTEGER, s INTEGER } of DSA and ECDSA
 * (RFC 3279, 2.2.2 and 2.2.3), decoded strictly. */
static gboolean
decode_rs (const char *type, const guint8 *sig, gsize sig_len, struct dsa_signature *rs,
           char **reason)
{
  asn1_node node = tls_asn1_decode (type, sig, sig_len, type, NULL);
  gboolean ok;

  if (node == NULL)
    return refuse (reason, _("the signature is not a DER %s"), type);
  ok = tls_asn1_read_mpz (node, "r", rs->r) && tls_asn1_read_mpz (node, "s", rs->s);
  tls_asn1_free (node);
  if (!ok)
    return refuse (reason, _("the signature's r or s is negative or badly encoded"));
  return TRUE;
}

gboolean
tls_sig_verify_digest (TlsSigAlg alg, const TlsPublicKey *key,
                       const guint8 *digest, gsize digest_len,
                       const guint8 *sig, gsize sig_len, char **reason)
{
  const SigInfo *i;
  gboolean ok = FALSE;

  if (key == NULL)
    return refuse (reason, _("there is no public key to verify with"));
  if (alg == TLS_SIG_ALG_ED25519)
    return refuse (reason, _("Ed25519 signs the message itself, not a digest (RFC 8032, 5.1.6)"));
  i = usable (alg, key->type, digest_len, reason);
  if (i == NULL)
    return FALSE;

  if (i->key == TLS_PK_RSA)
    {
      g_autofree guint8 *em = g_malloc (i->di_len + digest_len);
      mpz_t s;

      /* RFC 8017, 8.2.2, step 1: "If the length of the signature S is not
       * k octets, output 'invalid signature' and stop." */
      if (sig_len != key->rsa.size)
        return refuse (reason, _("the RSA signature has %zu bytes; "
                                 "with this key it must have %zu (RFC 8017, 8.2.2)"),
                       sig_len, key->rsa.size);
      if (i->di_len)
        memcpy (em, i->di, i->di_len);
      memcpy (em + i->di_len, digest, digest_len);
      mpz_init (s);
      nettle_mpz_set_str_256_u (s, sig_len, sig);
      if (i->pss)
        ok = pss_verify (i, &key->rsa, digest, s);
      else
        ok = rsa_pkcs1_verify (&key->rsa, i->di_len + digest_len, em, s);
      mpz_clear (s);
      if (!ok && i->pss)
        return refuse (reason, _("the %s signature does not match: s^e mod n is not a PSS "
                                 "encoding of the %s digest (RFC 8017, 9.1.2)"),
                       i->name, i->hash_name);
    }
  else
    {
      struct dsa_signature rs;

      if (key->type == TLS_PK_EC && key->ecc == NULL)
        return refuse (reason, "%s", key->problem ? key->problem : _("unsupported curve"));
      dsa_signature_init (&rs);
      if (decode_rs (i->key == TLS_PK_DSA ? "Dss-Sig-Value" : "ECDSA-Sig-Value",
                     sig, sig_len, &rs, reason))
        {
          if (i->key == TLS_PK_DSA)
            ok = dsa_verify (&key->dsa, key->y, digest_len, digest, &rs);
          else
            ok = ecdsa_verify (&key->ec, digest_len, digest, &rs);
          if (!ok)
            refuse (reason, _("the %s signature does not match (r and s do not verify "
                              "against the %s digest and the key)"), i->name, i->hash_name);
        }
      dsa_signature_clear (&rs);
      return ok;
    }
  if (!ok)
    refuse (reason, _("the %s signature does not match: s^e mod n is not the padded %s digest"),
            i->name, i->hash_name);
  return ok;
}

TlsSigAlg
tls_sig_alg_legacy (TlsPkAlg key)
{
  switch (key)
    {
    case TLS_PK_RSA: return TLS_SIG_ALG_RSA_MD5_SHA1;
    case TLS_PK_DSA: return TLS_SIG_ALG_DSA_SHA1;
    case TLS_PK_EC:  return TLS_SIG_ALG_ECDSA_SHA1;
    default: return TLS_SIG_ALG_UNKNOWN;
    }
}

gboolean
tls_sig_verify (TlsSigAlg alg, const TlsPublicKey *key, const guint8 *data, gsize len,
                const guint8 *sig, gsize sig_len, char **reason)
{
  guint8 digest[TLS_SIG_MAX_DIGEST];
  gsize n;

  if (alg == TLS_SIG_ALG_ED25519)
    {
      /* RFC 8032, 5.1.7; Nettle checks the encoding of R, S < L and the
       * equation. */
      if (key == NULL)
        return refuse (reason, _("there is no public key to verify with"));
      if (usable (alg, key->type, 64, reason) == NULL)
        return FALSE;
      if (sig_len != ED25519_SIGNATURE_SIZE)
        return refuse (reason, _("the Ed25519 signature has %zu bytes; it has 64 "
                                 "(RFC 8032, 5.1.6)"), sig_len);
      if (!ed25519_sha512_verify (key->ed25519, len, data, sig))
        return refuse (reason, _("the ed25519 signature does not match (RFC 8032, 5.1.7: "
                                 "[8][S]B is not [8]R + [8][k]A)"));
      return TRUE;
    }
  n = tls_sig_digest (alg, data, len, digest);
  if (n == 0)
    return refuse (reason, _("unknown signature algorithm"));
  return tls_sig_verify_digest (alg, key, digest, n, sig, sig_len, reason);
}

GBytes *
tls_sig_sign_digest (TlsSigAlg alg, const TlsPrivateKey *key, TlsRng *rng,
                     const guint8 *digest, gsize digest_len, GError **error)
{
  g_autofree char *reason = NULL;
  const SigInfo *i = alg == TLS_SIG_ALG_ED25519 ? NULL
                     : usable (alg, key ? key->type : TLS_PK_UNKNOWN, digest_len, &reason);
  GBytes *out = NULL;

  if (alg == TLS_SIG_ALG_ED25519)
    reason = g_strdup (_("Ed25519 signs the message itself, not a digest (RFC 8032, 5.1.6)"));
  if (i == NULL)
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_SIGNATURE, "%s", reason);
      return NULL;
    }
  if (i->key == TLS_PK_RSA)
    {
      g_autofree guint8 *em = g_malloc (i->di_len + digest_len);
      guint8 *buf;
      mpz_t s;

      if (i->di_len)
        memcpy (em, i->di, i->di_len);
      memcpy (em + i->di_len, digest, digest_len);
      mpz_init (s);
      if (i->pss ? pss_sign (i, key, rng, digest, s)
                 : rsa_pkcs1_sign_tr (&key->pub->rsa, &key->rsa, rng, tls_rng_nettle,
                                      i->di_len + digest_len, em, s))
        {
          buf = g_malloc (key->pub->rsa.size);
          nettle_mpz_get_str_256 (key->pub->rsa.size, buf, s);
          out = g_bytes_new_take (buf, key->pub->rsa.size);
        }
      mpz_clear (s);
    }
  else
    {
      struct dsa_signature rs;
      gboolean ok;

      dsa_signature_init (&rs);
      if (i->key == TLS_PK_DSA)
        ok = dsa_sign (&key->pub->dsa, key->x, rng, tls_rng_nettle, digest_len, digest, &rs);
      else
        {
          ecdsa_sign (&key->ec, rng, tls_rng_nettle, digest_len, digest, &rs);
          ok = TRUE;
        }
      if (ok)
        out = tls_asn1_encode_rs (rs.r, rs.s);
      dsa_signature_clear (&rs);
    }
  if (out == NULL)
    g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_SIGNATURE,
                 _("%s signing failed (the key is too small for the digest?)"), i->name);
  return out;
}

GBytes *
tls_sig_sign (TlsSigAlg alg, const TlsPrivateKey *key, TlsRng *rng,
              const guint8 *data, gsize len, GError **error)
{
  guint8 digest[TLS_SIG_MAX_DIGEST];
  gsize n;

  if (alg == TLS_SIG_ALG_ED25519)
    {
      g_autofree char *reason = NULL;
      guint8 *sig;

      /* RFC 8032, 5.1.6: deterministic, no RNG */
      if (usable (alg, key ? key->type : TLS_PK_UNKNOWN, 64, &reason) == NULL)
        {
          g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_SIGNATURE, "%s", reason);
          return NULL;
        }
      sig = g_malloc (ED25519_SIGNATURE_SIZE);
      ed25519_sha512_sign (key->pub->ed25519, key->ed25519, len, data, sig);
      return g_bytes_new_take (sig, ED25519_SIGNATURE_SIZE);
    }
  n = tls_sig_digest (alg, data, len, digest);
  if (n == 0)
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_SIGNATURE, _("unknown signature algorithm"));
      return NULL;
    }
  return tls_sig_sign_digest (alg, key, rng, digest, n, error);
}
