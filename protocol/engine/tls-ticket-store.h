/* tls-ticket-store.h — single-use tickets (RFC 8446, 8.1): the server's
 * record of the tickets it issued that have not been used yet.
 *
 * "the server can maintain a database of all outstanding valid tickets,
 * deleting each ticket from the database as it is used.  If an unknown
 * ticket is provided, the server would then fall back to a full
 * handshake."  The store is bounded: when it is full, the oldest
 * outstanding ticket goes, and can then no longer resume.  Safe to use
 * from several threads (serve). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TlsTicketStore TlsTicketStore;

TlsTicketStore *tls_ticket_store_new      (guint capacity);
void            tls_ticket_store_free     (TlsTicketStore *store);
/* TICKET (the bytes of a NewSessionTicket's ticket) is outstanding. */
void            tls_ticket_store_add      (TlsTicketStore *store, GBytes *ticket);
/* Its first use: TRUE and TICKET is removed when it was outstanding;
 * FALSE when it was not (used already, pushed out, or never issued
 * here). */
gboolean        tls_ticket_store_take     (TlsTicketStore *store, GBytes *ticket);
guint           tls_ticket_store_len      (TlsTicketStore *store);
guint           tls_ticket_store_capacity (const TlsTicketStore *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsTicketStore, tls_ticket_store_free)

G_END_DECLS
