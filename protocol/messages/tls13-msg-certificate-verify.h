/* tls13-msg-certificate-verify.h — the TLS 1.3 CertificateVerify (RFC 8446,
 * 4.4.3): a pure codec, and the content its signature covers.
 *
 *     struct {
 *         SignatureScheme algorithm;
 *         opaque signature<0..2^16-1>;
 *     } CertificateVerify;
 *
 * The signature covers 64 bytes of 0x20, the context string ("TLS 1.3,
 * server CertificateVerify" or "TLS 1.3, client CertificateVerify"), a 0
 * byte, and Transcript-Hash(Handshake Context, Certificate).
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

#define TLS13_SERVER_CV_CONTEXT "TLS 1.3, server CertificateVerify"
#define TLS13_CLIENT_CV_CONTEXT "TLS 1.3, client CertificateVerify"

typedef struct
{
  guint16  algorithm;    /* SignatureScheme (RFC 8446, 4.2.3) */
  GBytes  *signature;
} Tls13CertificateVerify;

void tls13_certificate_verify_clear (Tls13CertificateVerify *m);
/* Returns 0 or decode_error. */
int  tls13_certificate_verify_parse (TlsReader *r, Tls13CertificateVerify *m);
void tls13_certificate_verify_write (TlsWriter *w, const Tls13CertificateVerify *m);

/* The bytes the signature covers, for the server's (FROM_SERVER) or the
 * client's signature over TRANSCRIPT_HASH (HASH_LEN bytes), annotated
 * under ROOT (may be NULL): "padding", "context string", "separator",
 * "content". */
GBytes *tls13_certificate_verify_content (gboolean from_server,
                                          const guint8 *transcript_hash, gsize hash_len,
                                          TlsField *root);

G_END_DECLS
