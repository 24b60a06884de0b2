/* tls13-hrr.h — the HelloRetryRequest of RFC 8446, 4.1.4 in both roles
 * (tls13-hrr.c): the server asks for a second ClientHello when the first
 * has no key share in a group it accepts but lists one in
 * supported_groups; the client answers it.  Used by tls13-client.c and
 * tls13-server.c only. */
#pragma once

#include "tls13-flow.h"

/* Server, in its "Key share group" decision STEP when no share fits: the
 * group to ask for (the first of ours that the client's supported_groups
 * lists), with the step's choice and reason; 0 when there is none. */
guint16  tls13_hrr_decide          (TlsEndpoint *ep, TlsStep *step);
/* Row condition: a HelloRetryRequest was sent (server) / received (client). */
gboolean tls13_hrr_happened        (TlsEndpoint *ep);
/* Row condition (server): the dummy ChangeCipherSpec goes after the
 * HelloRetryRequest (D.4: after the server's first handshake message). */
gboolean tls13_hrr_compat          (TlsEndpoint *ep);

/* Server rows: the HelloRetryRequest and the message_hash; the dummy
 * ChangeCipherSpec after it; the second ClientHello read and checked
 * against the first (RFC 8446, 4.1.2; illegal_parameter). */
gboolean tls13_hrr_send            (TlsEndpoint *ep);
gboolean tls13_hrr_send_ccs        (TlsEndpoint *ep);
gboolean tls13_hrr_read_client_hello2 (TlsEndpoint *ep);

/* Both, after the HelloRetryRequest: ClientHello1 replaced by message_hash
 * in the transcript (RFC 8446, 4.4.1), a derivation step under it. */
gboolean tls13_hrr_message_hash    (TlsEndpoint *ep);

/* Client: the message of type server_hello in U (parsed into ep->sh, its
 * fields in ROOT, taken) is a HelloRetryRequest: its message step.  FALSE
 * (unexpected_message) for a second one (RFC 8446, 4.1.4). */
gboolean tls13_hrr_received        (TlsEndpoint *ep, TlsUnit *u, TlsField *root);
/* Client rows: the HelloRetryRequest checked (4.1.4, 4.2.8) and the
 * message_hash; the second ClientHello with a key share for the selected
 * group, then that key share's step. */
gboolean tls13_hrr_check           (TlsEndpoint *ep);
gboolean tls13_hrr_send_client_hello2 (TlsEndpoint *ep);
gboolean tls13_hrr_show_key_share  (TlsEndpoint *ep);
