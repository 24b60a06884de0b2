/* tls-msg-finished.c — Finished (RFC 5246, 7.4.9). */
#include "tls-msg-finished.h"
#include "tls-alert.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define VD_DESC N_("PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]: " \
                   "proves the sender saw the same handshake and holds the same keys.")

int
tls_finished_parse (TlsReader *r, TlsFinished *m)
{
  const guint8 *p;

  memset (m, 0, sizeof *m);
  if (tls_read_bytes (r, TLS_VERIFY_DATA_LEN, "verify_data", &p))
    {
      memcpy (m->verify_data, p, TLS_VERIFY_DATA_LEN);
      tls_reader_describe (r, _(VD_DESC));
    }
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  return r->error;
}

void
tls_finished_write (TlsWriter *w, const TlsFinished *m)
{
  tls_write_bytes (w, "verify_data", m->verify_data, TLS_VERIFY_DATA_LEN);
  tls_writer_describe (w, _(VD_DESC));
}
