/* tls-msg-change-cipher-spec.c — ChangeCipherSpec (RFC 5246, 7.1). */
#include "tls-msg-change-cipher-spec.h"
#include "tls-alert.h"

#include <glib/gi18n-lib.h>

#define TYPE_DESC N_("Always 1: from the next record on, the sender protects its records " \
                     "with the keys just negotiated.")

int
tls_change_cipher_spec_parse (TlsReader *r)
{
  guint8 type;

  if (tls_read_u8 (r, "type", &type))
    {
      tls_reader_note (r, "%s (%u)", type == 1 ? "change_cipher_spec" : "unknown", type);
      tls_reader_describe (r, _(TYPE_DESC));
    }
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  /* The RFC defines only change_cipher_spec(1) and names no alert for
   * another value; the byte is well formed but wrong: illegal_parameter
   * (7.2.2, "A field in the handshake was out of range"), as OpenSSL. */
  if (tls_reader_ok (r) && type != 1)
    tls_reader_fail (r, TLS_ALERT_ILLEGAL_PARAMETER);
  return r->error;
}

void
tls_change_cipher_spec_write (TlsWriter *w)
{
  tls_write_u8 (w, "type", 1);
  tls_writer_note (w, "change_cipher_spec (1)");
  tls_writer_describe (w, _(TYPE_DESC));
}
