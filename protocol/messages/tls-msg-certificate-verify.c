/* tls-msg-certificate-verify.c — CertificateVerify (RFC 5246, 7.4.8). */
#include "tls-msg-certificate-verify.h"
#include "tls-alert.h"

#include <glib/gi18n-lib.h>

#define CV_DESC N_("The client's signature over every handshake message so far: proves it " \
                   "holds the private key of the certificate it sent.")

void
tls_certificate_verify_clear (TlsCertificateVerify *m)
{
  tls_digitally_signed_clear (&m->digitally_signed);
}

int
tls_certificate_verify_parse (TlsReader *r, TlsCertificateVerify *m, guint16 version)
{
  if (tls_digitally_signed_read (r, NULL, version, &m->digitally_signed))
    tls_reader_describe (r, _(CV_DESC));
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls_certificate_verify_clear (m);
  return r->error;
}

void
tls_certificate_verify_write (TlsWriter *w, const TlsCertificateVerify *m)
{
  tls_digitally_signed_write (w, NULL, &m->digitally_signed);
  tls_writer_describe (w, _(CV_DESC));
}
