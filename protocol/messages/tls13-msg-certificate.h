/* tls13-msg-certificate.h — the TLS 1.3 Certificate (RFC 8446, 4.4.2): a
 * pure codec.  The certificates stay DER bytes; decoding X.509 is the job
 * of the certificate module.
 *
 *     struct {
 *         select (certificate_type) {
 *             case RawPublicKey:
 *               opaque ASN1_subjectPublicKeyInfo<1..2^24-1>;
 *             case X509:
 *               opaque cert_data<1..2^24-1>;
 *         };
 *         Extension extensions<0..2^16-1>;
 *     } CertificateEntry;
 *
 *     struct {
 *         opaque certificate_request_context<0..2^8-1>;
 *         CertificateEntry certificate_list<0..2^24-1>;
 *     } Certificate;
 *
 * What TLS 1.2's Certificate did not have: the request context (empty
 * unless the message answers a post-handshake CertificateRequest) and the
 * extensions of each entry (an OCSP response, SCTs).  Only X.509 entries
 * are read (RawPublicKey needs the certificate type extensions, which
 * Handshake Lab does not negotiate).
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-extensions.h"

G_BEGIN_DECLS

typedef struct
{
  GBytes        *cert_data;    /* DER */
  TlsExtensions  extensions;
} Tls13CertificateEntry;

typedef struct
{
  GBytes  *certificate_request_context;   /* never NULL; usually empty */
  GArray  *certificate_list;              /* of Tls13CertificateEntry, sender's first */
} Tls13CertificateMsg;

void tls13_certificate_msg_init  (Tls13CertificateMsg *m);   /* empty context and list */
void tls13_certificate_msg_clear (Tls13CertificateMsg *m);
/* Appends an entry with DER (a new reference) and no extensions. */
void tls13_certificate_msg_add   (Tls13CertificateMsg *m, GBytes *der);
/* Returns 0, or decode_error (lengths, an empty cert_data, leftovers),
 * illegal_parameter (an extension type twice in one entry). */
int  tls13_certificate_msg_parse (TlsReader *r, Tls13CertificateMsg *m);
void tls13_certificate_msg_write (TlsWriter *w, const Tls13CertificateMsg *m);

G_END_DECLS
