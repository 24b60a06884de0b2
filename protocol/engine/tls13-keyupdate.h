/* tls13-keyupdate.h — KeyUpdate after a TLS 1.3 handshake (RFC 8446,
 * 4.6.3 and 7.2), in both directions: sending one (with or without a
 * request that the peer update too) and receiving one.  Called by
 * tls-endpoint.c once the handshake is done.  Not for other modules. */
#pragma once

#include "tls-flow.h"

/* Queues a KeyUpdate, sent at our next step before any application data.
 * FALSE when the endpoint is not a TLS 1.3 endpoint past its handshake. */
gboolean tls13_key_update_queue   (TlsEndpoint *ep, gboolean request_update);
gboolean tls13_key_update_pending (const TlsEndpoint *ep);
/* One unit of work of a connected TLS 1.3 endpoint when it concerns a
 * KeyUpdate: the queued one sent, or the peer's (the next unit) received.
 * FALSE when neither: the connected state (tls_ep_step_connected) goes on. */
gboolean tls13_key_update_step    (TlsEndpoint *ep);
/* The two halves of tls13_key_update_step.  Sends the queued KeyUpdate under the old keys, derives our next
 * application traffic secret and its keys (steps), and puts them in force
 * for what we send next. */
void     tls13_key_update_send    (TlsEndpoint *ep);
/* U is the peer's KeyUpdate (the caller frees it): checks it (illegal_parameter,
 * unexpected_message when it does not end its record), updates our
 * receiving keys and, when the peer asked, queues our own KeyUpdate. */
void     tls13_key_update_receive (TlsEndpoint *ep, TlsUnit *u);
