/* tls13-msg-new-session-ticket.c — the TLS 1.3 NewSessionTicket (RFC 8446,
 * 4.6.1). */
#include "tls13-msg-new-session-ticket.h"
#include "tls-alert.h"
#include "tls-handshake.h"

#include <glib/gi18n-lib.h>

#define LIFETIME_DESC N_("How long, in seconds from now, the ticket may be used; at most "  \
                         "604800 (7 days), 0 means discard it at once (RFC 8446, 4.6.1).")
#define AGE_ADD_DESC  N_("A random number the client adds to the ticket's age when it "      \
                         "offers the ticket, so that passive observers cannot link the "      \
                         "connections by the age (RFC 8446, 4.2.11.1 and 4.6.1).")
#define NONCE_DESC    N_("Unique per ticket of this connection: with the resumption master " \
                         "secret it gives this ticket's own PSK (RFC 8446, 4.6.1).")
#define TICKET_DESC   N_("The PSK identity the client will send back: a database key or "     \
                         "the server's state encrypted under a key only it has; opaque to "   \
                         "the client.")
#define EXT_DESC      N_("Extensions of the ticket; early_data says how much 0-RTT data the " \
                         "ticket allows.")

void
tls13_new_session_ticket_init (Tls13NewSessionTicket *m)
{
  m->ticket_lifetime = 0;
  m->ticket_age_add = 0;
  m->ticket_nonce = g_bytes_new (NULL, 0);
  m->ticket = NULL;
  tls_extensions_init (&m->extensions);
  m->extensions.present = TRUE;
}

void
tls13_new_session_ticket_clear (Tls13NewSessionTicket *m)
{
  g_clear_pointer (&m->ticket_nonce, g_bytes_unref);
  g_clear_pointer (&m->ticket, g_bytes_unref);
  tls_extensions_clear (&m->extensions);
}

int
tls13_new_session_ticket_parse (TlsReader *r, Tls13NewSessionTicket *m)
{
  tls13_new_session_ticket_init (m);
  g_clear_pointer (&m->ticket_nonce, g_bytes_unref);
  if (tls_read_u32 (r, "ticket_lifetime", &m->ticket_lifetime))
    {
      tls_reader_note (r, "%u s", m->ticket_lifetime);
      tls_reader_describe (r, _(LIFETIME_DESC));
      /* "Servers MUST NOT use any value greater than 604800 seconds" */
      if (m->ticket_lifetime > TLS13_MAX_TICKET_LIFETIME)
        tls_reader_fail (r, TLS_ALERT_ILLEGAL_PARAMETER);
    }
  if (tls_read_u32 (r, "ticket_age_add", &m->ticket_age_add))
    {
      tls_reader_note (r, "%u", m->ticket_age_add);
      tls_reader_describe (r, _(AGE_ADD_DESC));
    }
  if (tls_handshake_read_opaque (r, 1, 0, 0xff, "ticket_nonce", &m->ticket_nonce))
    tls_reader_describe (r, _(NONCE_DESC));
  if (tls_handshake_read_opaque (r, 2, 1, 0xffff, "ticket", &m->ticket))
    tls_reader_describe (r, _(TICKET_DESC));
  tls_extensions_init (&m->extensions);
  if (tls_reader_ok (r) && tls_reader_remaining (r) < 2)
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (tls_reader_ok (r))
    {
      tls_extensions_parse (r, &m->extensions, TLS_EXTENSIONS_NEW_SESSION_TICKET);
      tls_reader_describe (r, _(EXT_DESC));
    }
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls13_new_session_ticket_clear (m);
  return r->error;
}

void
tls13_new_session_ticket_write (TlsWriter *w, const Tls13NewSessionTicket *m)
{
  TlsExtensions ext = m->extensions;

  tls_write_u32 (w, "ticket_lifetime", m->ticket_lifetime);
  tls_writer_note (w, "%u s", m->ticket_lifetime);
  tls_writer_describe (w, _(LIFETIME_DESC));
  tls_write_u32 (w, "ticket_age_add", m->ticket_age_add);
  tls_writer_note (w, "%u", m->ticket_age_add);
  tls_writer_describe (w, _(AGE_ADD_DESC));
  tls_handshake_write_opaque (w, 1, "ticket_nonce", m->ticket_nonce);
  tls_writer_describe (w, _(NONCE_DESC));
  tls_handshake_write_opaque (w, 2, "ticket", m->ticket);
  tls_writer_describe (w, _(TICKET_DESC));
  ext.present = TRUE;
  tls_extensions_write (w, &ext, TLS_EXTENSIONS_NEW_SESSION_TICKET);
  tls_writer_describe (w, _(EXT_DESC));
}
