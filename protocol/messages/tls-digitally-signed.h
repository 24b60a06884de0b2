/* tls-digitally-signed.h — the "digitally-signed" element shared by
 * ServerKeyExchange and CertificateVerify, and the names of signature
 * algorithms.
 *
 * TLS 1.2 (RFC 5246, 4.7 and 7.4.1.4.1):
 *
 *     struct {
 *           HashAlgorithm hash;
 *           SignatureAlgorithm signature;
 *     } SignatureAndHashAlgorithm;
 *
 *     struct {
 *         SignatureAndHashAlgorithm algorithm;
 *         opaque signature<0..2^16-1>;
 *     } DigitallySigned;
 *
 * TLS 1.0 and 1.1 (RFC 2246 and RFC 4346, 4.7): the signature alone,
 * "encoded as an opaque vector <0..2^16-1>"; the algorithm follows from
 * the certificate's key (RSA: MD5 and SHA-1 together, DSA: SHA-1).
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean has_algorithm;   /* TLS 1.2: the algorithm is on the wire */
  guint16  algorithm;       /* hash << 8 | signature, e.g. 0x0401 */
  GBytes  *signature;
} TlsDigitallySigned;

void     tls_digitally_signed_clear (TlsDigitallySigned *s);
/* Reads the element as VERSION lays it out, as a group NAME (NULL: its
 * fields go straight into R's node).  FALSE (and R failed with
 * decode_error) when it does not fit. */
gboolean tls_digitally_signed_read  (TlsReader *r, const char *name, guint16 version,
                                     TlsDigitallySigned *s);
/* Writes the algorithm when S->has_algorithm, then the signature. */
void     tls_digitally_signed_write (TlsWriter *w, const char *name,
                                     const TlsDigitallySigned *s);

/* HashAlgorithm and SignatureAlgorithm (RFC 5246, 7.4.1.4.1): "sha256",
 * "rsa"; "unknown" for others. */
const char *tls_digitally_signed_hash_name      (guint8 hash);
const char *tls_digitally_signed_signature_name (guint8 signature);
/* A SignatureAndHashAlgorithm as text: "rsa_pkcs1_sha256 (0x0401)"; for
 * code points without a scheme name, "sha224 + dsa (0x0302)". */
char       *tls_digitally_signed_describe       (guint16 algorithm);

G_END_DECLS
