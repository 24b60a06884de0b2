/* tls-keys.h — public keys (from a certificate's SubjectPublicKeyInfo) and
 * private keys (from PEM as OpenSSL writes them), as Nettle structs.
 *
 * Private keys: PKCS#8 "PRIVATE KEY" (RFC 5208/5958) holding RSA, DSA or EC;
 * "RSA PRIVATE KEY" (RFC 8017, A.1.2), "DSA PRIVATE KEY" (OpenSSL's
 * SEQUENCE { 0, p, q, g, y, x }), "EC PRIVATE KEY" (RFC 5915).  Encrypted
 * keys ("ENCRYPTED PRIVATE KEY", "Proc-Type: 4,ENCRYPTED") are refused with
 * TLS_PKI_ERROR_ENCRYPTED.  PKCS#8 X9.42 DH keys (dhpublicnumber) load too,
 * for static DH certificates.
 *
 * The structs are public for reading; only this module fills them. */
#pragma once

#include <glib.h>
#include <nettle/rsa.h>
#include <nettle/dsa.h>
#include <nettle/ecc.h>
#include <nettle/ecc-curve.h>

#include "tls-bytes.h"

G_BEGIN_DECLS

typedef enum
{
  TLS_PK_UNKNOWN = 0,
  TLS_PK_RSA,        /* rsaEncryption        1.2.840.113549.1.1.1 */
  TLS_PK_DSA,        /* id-dsa               1.2.840.10040.4.1    */
  TLS_PK_EC,         /* id-ecPublicKey       1.2.840.10045.2.1    */
  TLS_PK_DH,         /* dhpublicnumber       1.2.840.10046.2.1    */
  TLS_PK_ED25519,    /* id-Ed25519           1.3.101.112 (RFC 8410) */
} TlsPkAlg;

typedef enum
{
  TLS_EC_CURVE_NONE = 0,
  TLS_EC_CURVE_SECP256R1,   /* 1.2.840.10045.3.1.7, P-256 */
  TLS_EC_CURVE_SECP384R1,   /* 1.3.132.0.34, P-384 */
  TLS_EC_CURVE_SECP521R1,   /* 1.3.132.0.35, P-521 */
  TLS_EC_CURVE_UNKNOWN,
} TlsEcCurve;

typedef struct
{
  TlsPkAlg    type;
  guint       bits;        /* modulus / p / curve size */
  char       *oid;         /* the algorithm OID as in the key */
  char       *problem;     /* why this key cannot be used (unknown algorithm
                            * or curve), or NULL when it can */

  struct rsa_public_key rsa;   /* RSA: n, e (size set) */
  struct dsa_params     dsa;   /* DSA: p, q, g.  DH: p, q, g (RFC 3279 DomainParameters) */
  mpz_t                 y;     /* DSA and DH: the public value */

  TlsEcCurve              curve;
  char                   *curve_oid;
  const struct ecc_curve *ecc;      /* Nettle's curve, NULL unless known */
  struct ecc_point        ec;       /* EC: the point (initialised iff ecc != NULL) */
  GBytes                 *ec_point; /* EC: the point as encoded (04 || X || Y) */
  guint8                  ed25519[32]; /* Ed25519: the public key A (RFC 8032, 5.1.5) */
} TlsPublicKey;

typedef struct _TlsRsaBlinding TlsRsaBlinding;   /* tls-kx-rsa.c */
void tls_rsa_blinding_free (TlsRsaBlinding *blinding);

typedef struct
{
  TlsPkAlg      type;
  guint         bits;
  const char   *format;    /* "PKCS#8", "PKCS#1 RSA PRIVATE KEY", ... */
  TlsPublicKey *pub;       /* the public half, always set */

  struct rsa_private_key rsa;  /* RSA: d, p, q, a, b, c */
  mpz_t                  x;    /* DSA and DH: the private value */
  struct ecc_scalar      ec;   /* EC: the private scalar (initialised iff pub->ecc) */
  guint8                 ed25519[32]; /* Ed25519: the private key k (RFC 8032, 5.1.5) */
  TlsRsaBlinding        *rsa_blinding; /* RSA: tls-kx-rsa.c's blinding pair, made
                                          at the first decryption (thread-safe) */
} TlsPrivateKey;

/* SubjectPublicKeyInfo (RFC 5280, 4.1.2.7) from DER.  FIELD, when not NULL,
 * is the SubjectPublicKeyInfo's field (its offset is where DER starts in
 * the annotated buffer): the algorithm and key parts are added under it.
 * A malformed key of a known algorithm is an error (TLS_PKI_ERROR_BAD_DER or
 * BAD_KEY); an unknown algorithm or curve gives a key with type
 * TLS_PK_UNKNOWN or curve TLS_EC_CURVE_UNKNOWN and ->problem set. */
TlsPublicKey  *tls_public_key_new_from_spki (const guint8 *der, gsize len,
                                             TlsField *field, GError **error);
void           tls_public_key_free          (TlsPublicKey *key);
/* "RSA 2048 bits", "DSA 2048 bits", "EC P-256 (secp256r1)", ... */
char          *tls_public_key_describe      (const TlsPublicKey *key);
gboolean       tls_public_key_equal         (const TlsPublicKey *a, const TlsPublicKey *b);

const char    *tls_pk_alg_name              (TlsPkAlg alg);       /* "RSA" */
const char    *tls_ec_curve_name            (TlsEcCurve curve);   /* "secp256r1" */

/* The first private key in PEM_TEXT (other blocks, such as OpenSSL's
 * "EC PARAMETERS", are skipped). */
TlsPrivateKey *tls_private_key_load         (const char *pem_text, gsize len,
                                             GError **error);
TlsPrivateKey *tls_private_key_load_file    (const char *path, GError **error);
/* A private key from DER with its PEM label ("PRIVATE KEY", ...). */
TlsPrivateKey *tls_private_key_new_from_der (const char *label, const guint8 *der,
                                             gsize len, GError **error);
void           tls_private_key_free         (TlsPrivateKey *key);
gboolean       tls_private_key_matches      (const TlsPrivateKey *key,
                                             const TlsPublicKey *pub);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsPublicKey, tls_public_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsPrivateKey, tls_private_key_free)

G_END_DECLS
