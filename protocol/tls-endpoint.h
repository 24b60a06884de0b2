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
#include "tls-trace.h"
#include "tls-rng.h"
#include "tls-session-cache.h"
#include "tls-keys.h"

G_BEGIN_DECLS

typedef struct _TlsEndpoint TlsEndpoint;

/* A certificate chain with its private key (server name indication). */
typedef struct
{
  GPtrArray     *chain;    /* of TlsCertificate*, leaf first */
  TlsPrivateKey *key;
} TlsIdentity;

TlsIdentity *tls_identity_new  (GPtrArray *chain, TlsPrivateKey *key);   /* takes both */
void         tls_identity_free (TlsIdentity *id);

typedef enum
{
  TLS_CLIENT_AUTH_NONE,      /* the server asks for no certificate */
  TLS_CLIENT_AUTH_REQUEST,   /* asks, checks, shows the result and carries on */
  TLS_CLIENT_AUTH_REQUIRE,   /* asks and requires a valid chain */
} TlsClientAuth;

typedef struct
{
  TlsActor          role;
  guint16           min_version;       /* default TLS 1.0 */
  guint16           max_version;       /* default TLS 1.2 */
  GArray           *suites;            /* of guint16: client offers them in
                                          this order; server accepts them in
                                          this order of preference.  NULL: all */
  char             *server_name;       /* client: SNI and name to check */
  GPtrArray        *chain;             /* of TlsCertificate*: our chain, leaf first */
  GPtrArray        *more_identities;   /* server: of TlsIdentity*, other chains
                                          to choose from by server_name */
  TlsPrivateKey    *key;               /* our private key */
  struct _TlsDhKey *static_dh;         /* server, DH_RSA/DH_DSS: the DH key of
                                          its certificate */
  guint             min_dh_bits;       /* client: smallest DH group accepted
                                          (0: 2048) */
  GPtrArray        *trust;             /* of TlsCertificate*: trust anchors;
                                          NULL: the chain is not checked */
  gboolean          insecure;          /* client: go on past a failed check */
  TlsClientAuth     client_auth;       /* server: ask for a client certificate
                                          (validated against TRUST) */
  TlsSessionCache  *cache;             /* server: NULL = sessions not cached */
  struct _TlsTicketKeys *ticket_keys;  /* server: issue and accept RFC 5077
                                          tickets with these keys; NULL: none */
  guint32           ticket_lifetime;   /* server: seconds (hint and limit) */
  gboolean          tickets;           /* client: offer session_ticket */
  TlsSession       *resume;            /* client: the session to offer */
  gboolean          no_ems;            /* do not offer/accept RFC 7627 */
  gboolean          no_etm;            /* do not offer/accept RFC 7366 */
  gboolean          fallback;          /* client: this is a fallback retry,
                                          send TLS_FALLBACK_SCSV (RFC 7507) */
  gboolean          record_received;   /* put received messages in the trace
                                          (the peer is not ours) */
  TlsRng           *rng;               /* borrowed */
  char             *tamper;            /* a fault injected on purpose, for
                                          bad-input demonstrations:
                                          "client-bad-verify-data",
                                          "client-bad-pms-version"; NULL */
} TlsConfig;

typedef enum
{
  TLS_EP_PROGRESS,    /* did some work; call step again */
  TLS_EP_WANT_INPUT,  /* needs bytes from the peer */
  TLS_EP_DONE,        /* handshake complete (application data may flow) */
  TLS_EP_CLOSED,      /* closed by close_notify */
  TLS_EP_FAILED,      /* ended by an alert, sent or received */
} TlsEpStatus;

void         tls_config_init       (TlsConfig *cfg, TlsActor role);
void         tls_config_clear      (TlsConfig *cfg);

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

/* What happened. */
int          tls_endpoint_alert    (const TlsEndpoint *ep);   /* 0 or the alert */
gboolean     tls_endpoint_alert_sent (const TlsEndpoint *ep); /* we sent it (else received) */
const char  *tls_endpoint_reason   (const TlsEndpoint *ep);
guint16      tls_endpoint_version  (const TlsEndpoint *ep);
guint16      tls_endpoint_suite    (const TlsEndpoint *ep);
gboolean     tls_endpoint_resumed  (const TlsEndpoint *ep);
gboolean     tls_endpoint_ems      (const TlsEndpoint *ep);
gboolean     tls_endpoint_etm      (const TlsEndpoint *ep);
/* The session made or resumed (client: for a later resumption), or NULL. */
const TlsSession *tls_endpoint_session (const TlsEndpoint *ep);
const char  *tls_endpoint_server_name (const TlsEndpoint *ep);   /* server: SNI received */
/* For the pcapng/keylog export: client_random and master secret. */
gboolean     tls_endpoint_keylog   (const TlsEndpoint *ep, guint8 client_random[32],
                                    guint8 master[48]);

G_END_DECLS
