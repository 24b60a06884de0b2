/* tls13-msg-encrypted-extensions.c — EncryptedExtensions (RFC 8446, 4.3.1). */
#include "tls13-msg-encrypted-extensions.h"
#include "tls-alert.h"

void
tls13_encrypted_extensions_init (Tls13EncryptedExtensions *m)
{
  tls_extensions_init (&m->extensions);
  /* The list is always there, possibly empty. */
  m->extensions.present = TRUE;
}

void
tls13_encrypted_extensions_clear (Tls13EncryptedExtensions *m)
{
  tls_extensions_clear (&m->extensions);
}

int
tls13_encrypted_extensions_parse (TlsReader *r, Tls13EncryptedExtensions *m)
{
  tls_extensions_init (&m->extensions);
  /* Unlike a hello's, this extension list is not optional: an empty body
   * has not even its length. */
  if (tls_reader_remaining (r) < 2)
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  tls_extensions_parse (r, &m->extensions, TLS_EXTENSIONS_ENCRYPTED_EXTENSIONS);
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls13_encrypted_extensions_clear (m);
  return r->error;
}

void
tls13_encrypted_extensions_write (TlsWriter *w, const Tls13EncryptedExtensions *m)
{
  TlsExtensions e = m->extensions;

  e.present = TRUE;
  tls_extensions_write (w, &e, TLS_EXTENSIONS_ENCRYPTED_EXTENSIONS);
}
