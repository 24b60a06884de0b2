/* tls13-early-data.h — TLS 1.3 0-RTT data (RFC 8446, 2.3, Figure 4): the
 * ticket's early_data extension with max_early_data_size (4.6.1), the
 * client's early_data offer and its data sent right after the ClientHello
 * under the client_early_traffic_secret's keys (4.2.10, 7.1), the
 * server's decision (accept: early_data in EncryptedExtensions, then it
 * reads the data and EndOfEarlyData, 4.5; reject: it skips the records it
 * cannot deprotect), and what 0-RTT data lacks (8, E.5).  The rows are
 * placed in the flows of tls13-client.c and tls13-server.c.  Not for other
 * modules. */
#pragma once

#include "tls13-flow.h"

/* Flow conditions. */
gboolean tls13_early_offered      (TlsEndpoint *ep);  /* the ClientHello has early_data */
gboolean tls13_early_accepted     (TlsEndpoint *ep);  /* ... and the server took it */
gboolean tls13_early_refused      (TlsEndpoint *ep);  /* offered, not accepted */
gboolean tls13_early_reading      (TlsEndpoint *ep);  /* server: before EndOfEarlyData */

/* Client.  Adds early_data to CH when the ticket allows early data and
 * there is data to send (call before tls13_psk_add_offer: pre_shared_key
 * stays last). */
void     tls13_early_add_offer    (TlsEndpoint *ep, TlsClientHello *ch);
/* client_early_traffic_secret (transcript: the ClientHello) and its keys;
 * both sides. */
gboolean tls13_early_keys         (TlsEndpoint *ep);
gboolean tls13_early_send_data    (TlsEndpoint *ep);
/* Whether EncryptedExtensions has early_data; FALSE (illegal_parameter)
 * when it has and the PSK was not selected (4.2.11).  Then a decision
 * step. */
gboolean tls13_early_note_ee      (TlsEndpoint *ep, const TlsExtensions *ee);
gboolean tls13_early_client_outcome (TlsEndpoint *ep);
gboolean tls13_early_send_eoed    (TlsEndpoint *ep);

/* Server.  The decision on the ClientHello's early_data (after the PSK
 * and the group are chosen); early_data in EncryptedExtensions when
 * accepted; the 0-RTT records and EndOfEarlyData; when refused, a step on
 * what was skipped. */
gboolean tls13_early_server_decide (TlsEndpoint *ep);
void     tls13_early_add_ee       (TlsEndpoint *ep, TlsExtensions *ee);
gboolean tls13_early_server_read  (TlsEndpoint *ep);
gboolean tls13_early_server_skipped (TlsEndpoint *ep);
