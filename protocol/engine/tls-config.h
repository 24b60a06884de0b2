/* tls-config.h — what a run of our client or server is configured with.
 *
 * The engine's public configuration type: the conductor, the command line
 * and the window fill one in; only the endpoint reads it. */
#pragma once

#include <glib.h>
#include "tls-trace.h"
#include "tls-rng.h"
#include "tls-session-cache.h"
#include "tls-keys.h"

G_BEGIN_DECLS

/* An endpoint (tls-endpoint.h) and what a step of it returns. */
typedef struct _TlsEndpoint TlsEndpoint;

typedef enum
{
  TLS_EP_PROGRESS,    /* did some work; call step again */
  TLS_EP_WANT_INPUT,  /* needs bytes from the peer */
  TLS_EP_DONE,        /* handshake complete (application data may flow) */
  TLS_EP_CLOSED,      /* closed by close_notify */
  TLS_EP_FAILED,      /* ended by an alert, sent or received */
} TlsEpStatus;

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
  char             *dh_group;          /* server: the DHE group to use whatever
                                          the client lists ("modp1024", ...);
                                          NULL: negotiated (RFC 7919) */
  GPtrArray        *trust;             /* of TlsCertificate*: trust anchors;
                                          NULL: the chain is not checked */
  gboolean          insecure;          /* client: go on past a failed check */
  TlsClientAuth     client_auth;       /* server: ask for a client certificate
                                          (validated against TRUST) */
  TlsSessionCache  *cache;             /* server: NULL = sessions not cached */
  struct _TlsTicketKeys *ticket_keys;  /* server: issue and accept RFC 5077
                                          tickets with these keys; NULL: none */
  guint32           ticket_lifetime;   /* server: seconds (hint and limit) */
  gboolean          tickets;           /* client: offer session_ticket; TLS
                                          1.3: keep the server's tickets */
  TlsSession       *resume;            /* client: the session to offer (TLS
                                          1.3: its ticket, as a PSK) */
  gboolean          psk_ke_only;       /* client, TLS 1.3: offer the ticket in
                                          psk_ke mode only (no (EC)DHE) */
  guint32           max_early_data;    /* server, TLS 1.3: its tickets allow this
                                          many bytes of 0-RTT data (RFC 8446,
                                          4.6.1); 0: no early data */
  gboolean          reject_early_data; /* server, TLS 1.3: refuse early data
                                          (RFC 8446, 4.2.10) */
  struct _TlsTicketStore *ticket_store;/* server, TLS 1.3: single-use tickets
                                          (RFC 8446, 8.1): the tickets issued
                                          and not used yet (borrowed); each
                                          resumes once.  NULL: a ticket may
                                          resume again and again */
  GBytes           *early_data;        /* client, TLS 1.3: application data to
                                          send as 0-RTT when the ticket allows
                                          it; NULL: none */
  gboolean          no_ems;            /* do not offer/accept RFC 7627 */
  gboolean          no_etm;            /* do not offer/accept RFC 7366 */
  gboolean          fallback;          /* client: this is a fallback retry,
                                          send TLS_FALLBACK_SCSV (RFC 7507) */
  char            **alpn;              /* RFC 7301 application protocols:
                                          client: offered in this order;
                                          server: supported, preferred
                                          first; NULL: no ALPN */
  GArray           *groups;            /* of guint16 NamedGroup, TLS 1.3: client:
                                          key_share for the first, all in
                                          supported_groups; server: accepted in
                                          this order.  NULL: x25519, secp256r1,
                                          secp384r1, x448.  TLS 1.0-1.2: the
                                          server's (EC)DHE groups in its order
                                          of preference (a scenario's
                                          server-groups); NULL: all of ours
                                          (tls_config_our_groups) */
  gboolean          record_received;   /* put received messages in the trace
                                          (the peer is not ours) */
  TlsRng           *rng;               /* borrowed */
  char             *tamper;            /* a fault injected on purpose, for
                                          bad-input demonstrations:
                                          "client-bad-verify-data",
                                          "client-bad-pms-version"; NULL */
} TlsConfig;

void         tls_config_init       (TlsConfig *cfg, TlsActor role);
void         tls_config_clear      (TlsConfig *cfg);
/* "h2,http/1.1" -> { "h2", "http/1.1", NULL } for TlsConfig.alpn; FALSE
 * with ERROR for an empty name or one over 255 bytes (RFC 7301, 3.1:
 * ProtocolName<1..2^8-1>). */
gboolean     tls_config_parse_alpn (const char *text, char ***alpn, GError **error);
/* "x25519,secp256r1" -> NamedGroups for TlsConfig.groups (TLS 1.3): FALSE
 * with ERROR naming a group that is not x25519, secp256r1, secp384r1 or
 * x448. */
gboolean     tls_config_parse_groups (const char *text, GArray **groups, GError **error);
/* The (EC)DHE groups our TLS 1.0-1.2 endpoints support, in our order of
 * preference, by number and by name ("x25519", "secp256r1", ...,
 * "ffdhe3072"; NULL-terminated). */
const guint16 *tls_config_our_groups (guint *n);
const char *const *tls_config_group_names (void);
/* "secp384r1,ffdhe3072" -> a GArray of guint16 group numbers for a TLS
 * 1.0-1.2 server's TlsConfig.groups; FALSE with ERROR naming a group that
 * is not one of tls_config_group_names. */
gboolean     tls_config_parse_server_groups (const char *text, GArray **groups, GError **error);

G_END_DECLS
