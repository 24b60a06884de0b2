/* tls-msg-new-session-ticket.c — NewSessionTicket (RFC 5077, 3.3). */
#include "tls-msg-new-session-ticket.h"
#include "tls-alert.h"
#include "tls-handshake.h"

#include <glib/gi18n-lib.h>

#define HINT_DESC   N_("How long, in seconds, the client may keep the ticket; 0 means the " \
                       "server does not say.")
#define TICKET_DESC N_("The session's state (master secret, suite, ...) encrypted and "    \
                       "authenticated with a key only the server has; the client sends it " \
                       "back to resume without the server keeping a cache.")

void
tls_new_session_ticket_clear (TlsNewSessionTicket *m)
{
  g_clear_pointer (&m->ticket, g_bytes_unref);
}

static void
note_hint (TlsField *f, guint32 hint)
{
  if (f == NULL)
    return;
  if (hint == 0)
    tls_field_set_value (f, "0 (not specified)");
  else
    tls_field_set_value (f, "%u s", hint);
  tls_field_set_desc (f, _(HINT_DESC));
}

int
tls_new_session_ticket_parse (TlsReader *r, TlsNewSessionTicket *m)
{
  m->ticket_lifetime_hint = 0;
  m->ticket = NULL;
  if (tls_read_u32 (r, "ticket_lifetime_hint", &m->ticket_lifetime_hint))
    note_hint (r->last, m->ticket_lifetime_hint);
  if (tls_handshake_read_opaque (r, 2, 0, 0xffff, "ticket", &m->ticket))
    tls_reader_describe (r, _(TICKET_DESC));
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls_new_session_ticket_clear (m);
  return r->error;
}

void
tls_new_session_ticket_write (TlsWriter *w, const TlsNewSessionTicket *m)
{
  tls_write_u32 (w, "ticket_lifetime_hint", m->ticket_lifetime_hint);
  note_hint (w->last, m->ticket_lifetime_hint);
  tls_handshake_write_opaque (w, 2, "ticket", m->ticket);
  tls_writer_describe (w, _(TICKET_DESC));
}
