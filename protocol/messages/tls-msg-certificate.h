/* tls-msg-certificate.h — Certificate (RFC 5246, 7.4.2 and 7.4.6): a pure
 * codec.  The certificates stay DER bytes; decoding X.509 is the job of
 * the certificate module.
 *
 *     opaque ASN.1Cert<1..2^24-1>;
 *
 *     struct {
 *         ASN.1Cert certificate_list<0..2^24-1>;
 *     } Certificate;
 *
 * Named TlsCertificateMsg (not TlsCertificate) so as not to be taken for
 * a parsed X.509 certificate.
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

typedef struct
{
  GPtrArray *certificate_list;   /* of GBytes* (DER), sender's certificate first */
} TlsCertificateMsg;

void tls_certificate_msg_init  (TlsCertificateMsg *m);   /* empty list */
void tls_certificate_msg_clear (TlsCertificateMsg *m);
/* Appends one DER certificate (a new reference is taken). */
void tls_certificate_msg_add   (TlsCertificateMsg *m, GBytes *der);
/* Returns 0 or decode_error (lengths, an empty ASN.1Cert, leftovers). */
int  tls_certificate_msg_parse (TlsReader *r, TlsCertificateMsg *m);
void tls_certificate_msg_write (TlsWriter *w, const TlsCertificateMsg *m);

G_END_DECLS
