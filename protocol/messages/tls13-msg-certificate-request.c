/* tls13-msg-certificate-request.c — CertificateRequest (RFC 8446, 4.3.2). */
#include "tls13-msg-certificate-request.h"
#include "tls-handshake.h"
#include "tls-alert.h"

void
tls13_certificate_request_init (Tls13CertificateRequest *m)
{
  m->certificate_request_context = g_bytes_new (NULL, 0);
  tls_extensions_init (&m->extensions);
  m->extensions.present = TRUE;
}

void
tls13_certificate_request_clear (Tls13CertificateRequest *m)
{
  g_clear_pointer (&m->certificate_request_context, g_bytes_unref);
  tls_extensions_clear (&m->extensions);
}

int
tls13_certificate_request_parse (TlsReader *r, Tls13CertificateRequest *m)
{
  m->certificate_request_context = NULL;
  tls_extensions_init (&m->extensions);
  if (!tls_handshake_read_opaque (r, 1, 0, 0xff, "certificate_request_context",
                                  &m->certificate_request_context))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  /* extensions<2..2^16-1>: the list is not optional */
  if (tls_reader_ok (r) && tls_reader_remaining (r) < 2)
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (tls_reader_ok (r))
    tls_extensions_parse (r, &m->extensions, TLS_EXTENSIONS_CERTIFICATE_REQUEST);
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls13_certificate_request_clear (m);
  return r->error;
}

void
tls13_certificate_request_write (TlsWriter *w, const Tls13CertificateRequest *m)
{
  TlsExtensions e = m->extensions;

  tls_handshake_write_opaque (w, 1, "certificate_request_context", m->certificate_request_context);
  e.present = TRUE;
  tls_extensions_write (w, &e, TLS_EXTENSIONS_CERTIFICATE_REQUEST);
}
