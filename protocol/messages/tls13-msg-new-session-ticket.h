/* tls13-msg-new-session-ticket.h — the TLS 1.3 NewSessionTicket (RFC 8446,
 * 4.6.1): a pure codec.
 *
 *     struct {
 *         uint32 ticket_lifetime;
 *         uint32 ticket_age_add;
 *         opaque ticket_nonce<0..255>;
 *         opaque ticket<1..2^16-1>;
 *         Extension extensions<0..2^16-2>;
 *     } NewSessionTicket;
 *
 * Sent after the handshake, under the application traffic keys.  The PSK
 * of the ticket is HKDF-Expand-Label(resumption_master_secret,
 * "resumption", ticket_nonce, Hash.length) (tls13-key-schedule.h).
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-extensions.h"

G_BEGIN_DECLS

/* "Servers MUST NOT use any value greater than 604800 seconds (7 days)." */
#define TLS13_MAX_TICKET_LIFETIME 604800

typedef struct
{
  guint32        ticket_lifetime;
  guint32        ticket_age_add;
  GBytes        *ticket_nonce;   /* never NULL after parse; may be empty */
  GBytes        *ticket;
  TlsExtensions  extensions;     /* early_data: max_early_data_size */
} Tls13NewSessionTicket;

void tls13_new_session_ticket_init  (Tls13NewSessionTicket *m);
void tls13_new_session_ticket_clear (Tls13NewSessionTicket *m);
/* Returns 0, or decode_error (lengths, an empty ticket, leftovers),
 * illegal_parameter (a ticket_lifetime over 7 days, an extension type
 * twice). */
int  tls13_new_session_ticket_parse (TlsReader *r, Tls13NewSessionTicket *m);
void tls13_new_session_ticket_write (TlsWriter *w, const Tls13NewSessionTicket *m);

G_END_DECLS
