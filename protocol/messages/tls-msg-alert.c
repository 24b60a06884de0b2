/* tls-msg-alert.c — Alert (RFC 5246, 7.2). */
#include "tls-msg-alert.h"
#include "tls-alert.h"

#include <glib/gi18n-lib.h>

#define LEVEL_DESC N_("warning (1) or fatal (2); after a fatal alert the connection is " \
                      "closed and its session may not be resumed.")
#define DESC_DESC  N_("What went wrong (or close_notify: the sender is done).")

const char *
tls_alert_level_name (guint8 level)
{
  switch (level)
    {
    case TLS_ALERT_LEVEL_WARNING: return "warning";
    case TLS_ALERT_LEVEL_FATAL: return "fatal";
    default: return "unknown";
    }
}

int
tls_alert_msg_parse (TlsReader *r, TlsAlertMsg *m)
{
  m->level = 0;
  m->description = 0;
  if (tls_read_u8 (r, "level", &m->level))
    {
      tls_reader_note (r, "%s (%u)", tls_alert_level_name (m->level), m->level);
      tls_reader_describe (r, _(LEVEL_DESC));
    }
  if (tls_read_u8 (r, "description", &m->description))
    {
      tls_reader_note (r, "%s (%u)", tls_alert_name (m->description), m->description);
      tls_reader_describe (r, _(DESC_DESC));
    }
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  return r->error;
}

void
tls_alert_msg_write (TlsWriter *w, const TlsAlertMsg *m)
{
  tls_write_u8 (w, "level", m->level);
  tls_writer_note (w, "%s (%u)", tls_alert_level_name (m->level), m->level);
  tls_writer_describe (w, _(LEVEL_DESC));
  tls_write_u8 (w, "description", m->description);
  tls_writer_note (w, "%s (%u)", tls_alert_name (m->description), m->description);
  tls_writer_describe (w, _(DESC_DESC));
}
