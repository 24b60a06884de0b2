/* tls-sig.h — signatures with Nettle: RSA PKCS#1 v1.5 (RFC 8017, 8.2),
 * DSA (FIPS 186) and ECDSA (SEC 1), as X.509 certificates and TLS 1.0-1.2
 * ServerKeyExchange / CertificateVerify use them.
 *
 * RSA signatures are EMSA-PKCS1-v1_5 over a DigestInfo (RFC 8017, 9.2),
 * except TLS_SIG_ALG_RSA_MD5_SHA1: TLS 1.0 and 1.1 sign the 36 bytes
 * MD5(data) || SHA-1(data) with no DigestInfo (RFC 4346, 7.4.3).
 * DSA and ECDSA signatures are the DER of Dss-Sig-Value / ECDSA-Sig-Value
 * (RFC 3279, 2.2.2 and 2.2.3), SEQUENCE { r INTEGER, s INTEGER }.
 * rsa_pss_rsae_sha256/384/512 are RSASSA-PSS (RFC 8017, 8.1) with an
 * rsaEncryption key, MGF1 with the same hash and a salt as long as the
 * digest (RFC 8446, 4.2.3); TLS 1.2 may use them too (RFC 8446, 1.3). */
#pragma once

#include <glib.h>

#include "tls-keys.h"
#include "tls-rng.h"

G_BEGIN_DECLS

typedef enum
{
  TLS_SIG_ALG_UNKNOWN = 0,
  TLS_SIG_ALG_RSA_MD5_SHA1,     /* TLS 1.0/1.1 */
  TLS_SIG_ALG_RSA_MD5,          /* md5WithRSAEncryption: named, never accepted */
  TLS_SIG_ALG_RSA_SHA1,
  TLS_SIG_ALG_RSA_SHA256,
  TLS_SIG_ALG_RSA_SHA384,
  TLS_SIG_ALG_RSA_SHA512,
  TLS_SIG_ALG_DSA_SHA1,         /* also TLS 1.0/1.1 DSA (SHA-1 only) */
  TLS_SIG_ALG_DSA_SHA256,
  TLS_SIG_ALG_ECDSA_SHA1,       /* also TLS 1.0/1.1 ECDSA (RFC 4492, 5.4) */
  TLS_SIG_ALG_ECDSA_SHA256,
  TLS_SIG_ALG_ECDSA_SHA384,
  TLS_SIG_ALG_ECDSA_SHA512,
  TLS_SIG_ALG_RSA_SHA224,           /* rsa_pkcs1_sha224 (0x0301) */
  TLS_SIG_ALG_ECDSA_SHA224,         /* ecdsa_sha224 (0x0303) */
  TLS_SIG_ALG_RSA_PSS_RSAE_SHA256,  /* RSASSA-PSS with an rsaEncryption key (RFC 8446, 4.2.3) */
  TLS_SIG_ALG_RSA_PSS_RSAE_SHA384,
  TLS_SIG_ALG_RSA_PSS_RSAE_SHA512,
  TLS_SIG_ALG_ED25519,              /* ed25519 (0x0807): PureEdDSA over the message itself
                                       (RFC 8032, 5.1.6), no separate digest */
} TlsSigAlg;

#define TLS_SIG_MAX_DIGEST 64

const char *tls_sig_alg_name      (TlsSigAlg alg);   /* "rsa_pkcs1_sha256", "rsa_md5_sha1" */
TlsPkAlg    tls_sig_alg_key_type  (TlsSigAlg alg);   /* the key it needs */
const char *tls_sig_alg_hash_name (TlsSigAlg alg);   /* "SHA-256", "MD5+SHA-1" */
gboolean    tls_sig_alg_is_pss    (TlsSigAlg alg);   /* rsa_pss_rsae_* */
/* "RSASSA-PKCS1-v1_5", "RSASSA-PSS", "DSA", "ECDSA" */
const char *tls_sig_alg_scheme    (TlsSigAlg alg);

/* X.509 signatureAlgorithm OID -> TlsSigAlg (UNKNOWN for others). */
TlsSigAlg   tls_sig_alg_from_oid  (const char *oid);
const char *tls_sig_alg_to_oid    (TlsSigAlg alg);   /* NULL for RSA_MD5_SHA1 */
/* TLS SignatureAndHashAlgorithm (RFC 5246, 7.4.1.4.1) as one u16
 * (TLS_SIG_* in tls-types.h) -> TlsSigAlg, and back (0: none). */
TlsSigAlg   tls_sig_alg_from_tls  (guint16 sigandhash);
guint16     tls_sig_alg_to_tls    (TlsSigAlg alg);

/* The algorithm a TLS 1.0/1.1 digitally-signed element uses with a key of
 * type KEY, which the wire does not name: RSA signs MD5 + SHA-1 without
 * DigestInfo, DSA and ECDSA sign SHA-1 (RFC 4346, 7.4.3; RFC 4492, 5.4). */
TlsSigAlg   tls_sig_alg_legacy    (TlsPkAlg key);

/* The digest the algorithm signs: 16..64 bytes (36 for MD5+SHA-1). */
gsize       tls_sig_digest        (TlsSigAlg alg, const guint8 *data, gsize len,
                                   guint8 out[TLS_SIG_MAX_DIGEST]);

/* Verifies SIG over DATA (hashed here) / over DIGEST (already hashed, as
 * tls_sig_digest makes it) with KEY.  On failure *REASON (if not NULL) gets
 * a sentence for the trace: wrong key type, malformed signature, or
 * "the signature does not match". */
gboolean    tls_sig_verify        (TlsSigAlg alg, const TlsPublicKey *key,
                                   const guint8 *data, gsize len,
                                   const guint8 *sig, gsize sig_len, char **reason);
gboolean    tls_sig_verify_digest (TlsSigAlg alg, const TlsPublicKey *key,
                                   const guint8 *digest, gsize digest_len,
                                   const guint8 *sig, gsize sig_len, char **reason);

/* Signs DATA / DIGEST with KEY.  RNG blinds RSA (rsa_pkcs1_sign_tr) and
 * gives the DSA/ECDSA nonce.  NULL with ERROR if the key does not fit ALG. */
GBytes     *tls_sig_sign          (TlsSigAlg alg, const TlsPrivateKey *key, TlsRng *rng,
                                   const guint8 *data, gsize len, GError **error);
GBytes     *tls_sig_sign_digest   (TlsSigAlg alg, const TlsPrivateKey *key, TlsRng *rng,
                                   const guint8 *digest, gsize digest_len, GError **error);

G_END_DECLS
