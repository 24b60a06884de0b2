/* tls-endpoint.h — our TLS client and server, as sans-I/O state machines.
 *
 * An endpoint never touches a socket, a clock or the OS RNG.  It is fed the
 * bytes that arrived (tls_endpoint_feed), does one unit of work per
 * tls_endpoint_step — build or parse a message, derive a key, run a check,
 * make a decision — appending one step to the trace, and hands back the bytes
 * it wants sent (tls_endpoint_take_output).  Errors are sticky: the first one
 * sends its alert and the endpoint stays failed. */
#pragma once

#include <glib.h>
#include "tls-config.h"

G_BEGIN_DECLS




TlsEndpoint *tls_endpoint_new      (const TlsConfig *cfg, TlsTrace *trace);
void         tls_endpoint_free     (TlsEndpoint *ep);
void         tls_endpoint_set_time (TlsEndpoint *ep, gint64 unix_seconds);
void         tls_endpoint_feed     (TlsEndpoint *ep, const guint8 *data, gsize len);
/* The peer closed the transport. */
void         tls_endpoint_feed_eof (TlsEndpoint *ep);
TlsEpStatus  tls_endpoint_step     (TlsEndpoint *ep);
TlsEpStatus  tls_endpoint_status   (const TlsEndpoint *ep);
/* Bytes to send, or NULL when there are none. */
GBytes      *tls_endpoint_take_output (TlsEndpoint *ep);

/* After the handshake. */
void         tls_endpoint_send     (TlsEndpoint *ep, const guint8 *data, gsize len);
GBytes      *tls_endpoint_take_received (TlsEndpoint *ep);
void         tls_endpoint_close    (TlsEndpoint *ep);   /* queue close_notify */
/* TLS 1.3 after the handshake: queue a KeyUpdate (RFC 8446, 4.6.3), sent
 * before any more application data.  FALSE when not possible. */
gboolean     tls_endpoint_key_update (TlsEndpoint *ep, gboolean request_update);

/* What is still queued, for the conductor's idea of "nobody can move". */
gboolean     tls_endpoint_input_pending  (const TlsEndpoint *ep);  /* bytes fed, not yet processed */
gboolean     tls_endpoint_send_pending   (const TlsEndpoint *ep);  /* application data not yet sealed */
gboolean     tls_endpoint_output_pending (const TlsEndpoint *ep);  /* bytes not yet taken */
gboolean     tls_endpoint_close_pending  (const TlsEndpoint *ep);  /* close asked, close_notify not sent */
gboolean     tls_endpoint_close_sent     (const TlsEndpoint *ep);

/* Writes the negotiated result into the trace's meta keys "connN.*". */
void         tls_endpoint_record_result (TlsEndpoint *ep);

/* What happened. */
TlsActor     tls_endpoint_role     (const TlsEndpoint *ep);
int          tls_endpoint_alert    (const TlsEndpoint *ep);   /* 0 or the alert */
gboolean     tls_endpoint_alert_sent (const TlsEndpoint *ep); /* we sent it (else received) */
const char  *tls_endpoint_reason   (const TlsEndpoint *ep);
guint16      tls_endpoint_version  (const TlsEndpoint *ep);
guint16      tls_endpoint_suite    (const TlsEndpoint *ep);
gboolean     tls_endpoint_resumed  (const TlsEndpoint *ep);
/* TLS 1.3 0-RTT (RFC 8446, 2.3): whether the ClientHello offered early
 * data, and whether the server accepted it (4.2.10). */
typedef enum { TLS_EARLY_NONE, TLS_EARLY_ACCEPTED, TLS_EARLY_REFUSED } TlsEarlyData;
TlsEarlyData tls_endpoint_early_data (const TlsEndpoint *ep);
gboolean     tls_endpoint_ems      (const TlsEndpoint *ep);
gboolean     tls_endpoint_etm      (const TlsEndpoint *ep);
/* The session made or resumed (client: for a later resumption), or NULL. */
const TlsSession *tls_endpoint_session (const TlsEndpoint *ep);
const char  *tls_endpoint_server_name (const TlsEndpoint *ep);   /* server: SNI received */
/* For the pcapng/keylog export: client_random and master secret. */
gboolean     tls_endpoint_keylog   (const TlsEndpoint *ep, guint8 client_random[32],
                                    guint8 master[48]);

G_END_DECLS
