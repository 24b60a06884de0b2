/* tls13-msg-certificate-request.h — the TLS 1.3 CertificateRequest (RFC
 * 8446, 4.3.2): a pure codec.
 *
 *     struct {
 *         opaque certificate_request_context<0..2^8-1>;
 *         Extension extensions<2..2^16-1>;
 *     } CertificateRequest;
 *
 * Unlike TLS 1.2's, it names no certificate types or CA list of its own:
 * what the server accepts is in extensions, of which
 * "signature_algorithms" MUST be there.  The context is empty in the main
 * handshake and echoed in the client's Certificate.
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-extensions.h"

G_BEGIN_DECLS

typedef struct
{
  GBytes        *certificate_request_context;   /* never NULL once parsed or inited */
  TlsExtensions  extensions;
} Tls13CertificateRequest;

void tls13_certificate_request_init  (Tls13CertificateRequest *m);   /* empty context and list */
void tls13_certificate_request_clear (Tls13CertificateRequest *m);
/* Returns 0, or decode_error (lengths, leftovers), illegal_parameter (an
 * extension type twice).  The presence of signature_algorithms is the
 * caller's check (missing_extension). */
int  tls13_certificate_request_parse (TlsReader *r, Tls13CertificateRequest *m);
void tls13_certificate_request_write (TlsWriter *w, const Tls13CertificateRequest *m);

G_END_DECLS
