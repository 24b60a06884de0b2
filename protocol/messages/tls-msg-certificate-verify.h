/* tls-msg-certificate-verify.h — CertificateVerify (RFC 5246, 7.4.8;
 * RFC 4346, 7.4.8 for TLS 1.0/1.1): a pure codec.
 *
 *     struct {
 *          digitally-signed struct {
 *              opaque handshake_messages[handshake_messages_length];
 *          }
 *     } CertificateVerify;
 *
 * TLS 1.2: SignatureAndHashAlgorithm + signature; TLS 1.0/1.1: the
 * signature alone (RSA over MD5 + SHA-1 of the handshake messages, DSA
 * over SHA-1).  See tls-digitally-signed.h.
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-digitally-signed.h"

G_BEGIN_DECLS

typedef struct
{
  TlsDigitallySigned digitally_signed;
} TlsCertificateVerify;

void tls_certificate_verify_clear (TlsCertificateVerify *m);
/* Returns 0 or decode_error. */
int  tls_certificate_verify_parse (TlsReader *r, TlsCertificateVerify *m, guint16 version);
void tls_certificate_verify_write (TlsWriter *w, const TlsCertificateVerify *m);

G_END_DECLS
