/* tls13-msg-finished.c — the TLS 1.3 Finished (RFC 8446, 4.4.4). */
#include "tls13-msg-finished.h"
#include "tls-alert.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define VERIFY_DESC N_("HMAC, keyed from the sender's handshake traffic secret, of the "       \
                       "transcript hash: as long as the suite's hash output, not 12 bytes as " \
                       "in TLS 1.2 (RFC 8446, 4.4.4).")

int
tls13_finished_parse (TlsReader *r, gsize hash_len, Tls13Finished *m)
{
  const guint8 *p;

  g_return_val_if_fail (hash_len <= TLS13_MAX_VERIFY_DATA, TLS_ALERT_INTERNAL_ERROR);
  memset (m, 0, sizeof *m);
  if (tls_reader_remaining (r) != hash_len)
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  else if (tls_read_bytes (r, hash_len, "verify_data", &p))
    {
      tls_reader_describe (r, _(VERIFY_DESC));
      memcpy (m->verify_data, p, hash_len);
      m->len = hash_len;
    }
  return r->error;
}

void
tls13_finished_write (TlsWriter *w, const Tls13Finished *m)
{
  tls_write_bytes (w, "verify_data", m->verify_data, m->len);
  tls_writer_describe (w, _(VERIFY_DESC));
}
