/* tls-msg-certificate-request.h — CertificateRequest (RFC 5246, 7.4.4;
 * RFC 4346, 7.4.4 for TLS 1.0/1.1; RFC 8422, 5.5): a pure codec.
 *
 *     enum {
 *         rsa_sign(1), dss_sign(2), rsa_fixed_dh(3), dss_fixed_dh(4),
 *         rsa_ephemeral_dh_RESERVED(5), dss_ephemeral_dh_RESERVED(6),
 *         fortezza_dms_RESERVED(20),
 *         ecdsa_sign(64), rsa_fixed_ecdh(65), ecdsa_fixed_ecdh(66),   (RFC 8422)
 *         (255)
 *     } ClientCertificateType;
 *
 *     opaque DistinguishedName<1..2^16-1>;
 *
 *     struct {
 *         ClientCertificateType certificate_types<1..2^8-1>;
 *         SignatureAndHashAlgorithm
 *           supported_signature_algorithms<2^16-1>;      -- TLS 1.2 only
 *         DistinguishedName certificate_authorities<0..2^16-1>;
 *     } CertificateRequest;
 *
 * 7.4.4 writes the bounds of supported_signature_algorithms as
 * "<2^16-1>"; they are read here as those of the same list in the
 * signature_algorithms extension (7.4.1.4.1), <2..2^16-2>: pairs of bytes,
 * at least one.
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

typedef struct
{
  GByteArray *certificate_types;               /* ClientCertificateType */
  gboolean    has_signature_algorithms;        /* TLS 1.2 */
  GArray     *supported_signature_algorithms;  /* of guint16 */
  GPtrArray  *certificate_authorities;         /* of GBytes* (DER Name) */
} TlsCertificateRequest;

void tls_certificate_request_init  (TlsCertificateRequest *m);  /* empty; no sigalgs */
void tls_certificate_request_clear (TlsCertificateRequest *m);
/* Returns 0 or decode_error.  VERSION >= TLS 1.2 reads the signature
 * algorithms. */
int  tls_certificate_request_parse (TlsReader *r, TlsCertificateRequest *m, guint16 version);
void tls_certificate_request_write (TlsWriter *w, const TlsCertificateRequest *m);

const char *tls_certificate_request_type_name (guint8 type);   /* "rsa_sign" */

G_END_DECLS
