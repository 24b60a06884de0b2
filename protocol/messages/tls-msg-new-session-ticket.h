/* tls-msg-new-session-ticket.h — NewSessionTicket (RFC 5077, 3.3): a pure
 * codec.
 *
 *     struct {
 *         uint32 ticket_lifetime_hint;
 *         opaque ticket<0..2^16-1>;
 *     } NewSessionTicket;
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

typedef struct
{
  guint32  ticket_lifetime_hint;  /* seconds; 0: not specified */
  GBytes  *ticket;                /* opaque to the client; may be empty */
} TlsNewSessionTicket;

void tls_new_session_ticket_clear (TlsNewSessionTicket *m);
/* Returns 0 or decode_error. */
int  tls_new_session_ticket_parse (TlsReader *r, TlsNewSessionTicket *m);
void tls_new_session_ticket_write (TlsWriter *w, const TlsNewSessionTicket *m);

G_END_DECLS
