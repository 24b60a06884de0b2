/* tls13-psk.h — TLS 1.3 resumption with a PSK from a ticket (RFC 8446,
 * 2.2, Figure 3): the server's NewSessionTicket (4.6.1), the client's
 * offer in pre_shared_key with psk_key_exchange_modes and its binder
 * (4.2.9, 4.2.11, 4.2.11.2), the server's choice and its check of the
 * binder, and the rows of the flows that only a resumed handshake has.
 * Used by tls13-client.c, tls13-server.c and tls-endpoint.c.  Not for
 * other modules. */
#pragma once

#include "tls13-flow.h"

/* Flow conditions. */
gboolean tls13_psk_offering      (TlsEndpoint *ep);  /* client: a ticket it can offer */
gboolean tls13_psk_in_hand       (TlsEndpoint *ep);  /* client: its ClientHello offers one;
                                                        server: it selected one to check */
gboolean tls13_psk_accepted      (TlsEndpoint *ep);  /* the server selected the PSK */
gboolean tls13_psk_not_accepted  (TlsEndpoint *ep);  /* certificate authentication */
gboolean tls13_psk_with_dhe      (TlsEndpoint *ep);  /* (EC)DHE in use: not psk_ke */
gboolean tls13_psk_issues_tickets (TlsEndpoint *ep); /* server: tickets on */

/* Both sides: Early Secret = HKDF-Extract(0, PSK), then the binder_key
 * (label "res binder"): two rows. */
gboolean tls13_psk_early_secret  (TlsEndpoint *ep);
gboolean tls13_psk_binder_key    (TlsEndpoint *ep);

/* Client.  Adds psk_key_exchange_modes and pre_shared_key (the last
 * extension) to CH when a ticket is offered, the binder computed over
 * Truncate(ClientHello): two steps. */
void     tls13_psk_update_offer (TlsEndpoint *ep, TlsClientHello *ch);
void     tls13_psk_add_offer     (TlsEndpoint *ep, TlsClientHello *ch);
void     tls13_psk_update_offer  (TlsEndpoint *ep, TlsClientHello *ch);  /* after an HRR */
/* The ServerHello's pre_shared_key and key_share against the offer
 * (RFC 8446, 4.2.11): NULL when consistent (the state then says whether
 * the PSK was accepted and in which mode), else why, with *ALERT. */
char    *tls13_psk_check_server_hello (TlsEndpoint *ep, const TlsSuite *suite,
                                       gboolean has_share, int *alert);
/* A decision step: the server took the PSK, or not. */
gboolean tls13_psk_client_outcome (TlsEndpoint *ep);
/* After the handshake: takes a NewSessionTicket waiting in the input,
 * derives its PSK and keeps it as the endpoint's session.  FALSE (the
 * input untouched) when the next unit is something else. */
gboolean tls13_psk_take_ticket   (TlsEndpoint *ep);

/* Server.  The decision on the ClientHello's pre_shared_key; then the
 * binder check (decrypt_error); after the client's Finished, a
 * NewSessionTicket. */
gboolean tls13_psk_server_select (TlsEndpoint *ep);
gboolean tls13_psk_check_binder  (TlsEndpoint *ep);
gboolean tls13_psk_check_binder2 (TlsEndpoint *ep);   /* the second ClientHello's */
gboolean tls13_psk_after_hrr     (TlsEndpoint *ep);
gboolean tls13_psk_send_ticket   (TlsEndpoint *ep);
