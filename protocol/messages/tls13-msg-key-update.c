/* tls13-msg-key-update.c — the TLS 1.3 KeyUpdate (RFC 8446, 4.6.3). */
#include "tls13-msg-key-update.h"
#include "tls-alert.h"

#include <glib/gi18n-lib.h>

#define REQUEST_DESC N_("update_requested (1): the receiver answers with a KeyUpdate of its " \
                        "own before its next application data; update_not_requested (0): it " \
                        "only updates its receiving keys (RFC 8446, 4.6.3).")

const char *
tls13_key_update_name (guint8 request_update)
{
  switch (request_update)
    {
    case TLS13_KEY_UPDATE_NOT_REQUESTED: return "update_not_requested";
    case TLS13_KEY_UPDATE_REQUESTED:     return "update_requested";
    default:                             return "?";
    }
}

int
tls13_key_update_parse (TlsReader *r, guint8 *request_update)
{
  guint8 v;

  *request_update = 0;
  if (tls_reader_remaining (r) != 1)
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  else if (tls_read_u8 (r, "request_update", &v))
    {
      tls_reader_note (r, "%s (%u)", tls13_key_update_name (v), v);
      tls_reader_describe (r, _(REQUEST_DESC));
      if (v > TLS13_KEY_UPDATE_REQUESTED)
        tls_reader_fail (r, TLS_ALERT_ILLEGAL_PARAMETER);
      *request_update = v;
    }
  return r->error;
}

void
tls13_key_update_write (TlsWriter *w, const guint8 *request_update)
{
  tls_write_u8 (w, "request_update", *request_update);
  tls_writer_note (w, "%s (%u)", tls13_key_update_name (*request_update), *request_update);
  tls_writer_describe (w, _(REQUEST_DESC));
}
