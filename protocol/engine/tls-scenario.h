/* tls-scenario.h — what a run does: versions, suites, certificates,
 * resumption, seed and clock.  Built-in scenarios have names; a scenario can
 * be saved to and loaded from a key file (the scenario editor's format). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TLS_TRANSPORT_MEMORY,     /* both endpoints in one process, bytes handed over */
  TLS_TRANSPORT_LOOPBACK,   /* both endpoints in one process, over 127.0.0.1 TCP */
} TlsTransportKind;

typedef struct
{
  char            *name;           /* "full" */
  char            *title;          /* "Full handshake, RSA key exchange" */
  char            *description;
  guint16          min_version;
  guint16          max_version;
  GArray          *client_suites;  /* of guint16; empty = all */
  GArray          *server_suites;  /* of guint16; empty = all */
  char            *server_cert;    /* demo PKI identity, e.g. "server-rsa" */
  char            *server_name;    /* SNI the client sends, e.g. "localhost" */
  char            *extra_certs;    /* more server identities for SNI, ";"-separated, or NULL */
  gboolean         client_cert;    /* the client has a certificate (demo client-rsa) */
  int              client_auth;    /* TlsClientAuth: the server asks for one */
  guint            connections;    /* 1, or 2 for full then resumed */
  gboolean         resume;         /* connection 2 offers connection 1's session */
  gboolean         server_cache;   /* the server caches sessions */
  gboolean         no_ems;
  gboolean         no_etm;
  guint16          client_max_version; /* 0: max_version; lower: the client speaks less */
  gboolean         fallback;       /* the client sends TLS_FALLBACK_SCSV */
  gboolean         tickets;
  TlsTransportKind transport;
  guint64          seed;
  gint64           clock;          /* unix seconds */
  gint64           reconnect_after;/* seconds between connections */
  char            *app_request;    /* application data the client sends, or NULL */
  char            *tamper;
  guint            min_dh_bits;
  gboolean         insecure;       /* the client goes on past a failed certificate check */    /* the client's smallest DH group (0: 2048) */         /* NULL, or a named fault for bad-input demos */
} TlsScenario;

/* The fixed clock of the scenarios: 2026-06-01T12:00:00Z. */
#define TLS_SCENARIO_CLOCK G_GINT64_CONSTANT (1780315200)

const char *const *tls_scenario_names   (void);
TlsScenario       *tls_scenario_builtin (const char *name);   /* NULL if unknown */
TlsScenario       *tls_scenario_load    (const char *path, GError **error);
gboolean           tls_scenario_save    (const TlsScenario *sc, const char *path, GError **error);
TlsScenario       *tls_scenario_copy    (const TlsScenario *sc);
/* The demo PKI identity whose certificate serves key exchange KX
 * ("server-rsa", "server-dsa", "server-ecdsa", "server-dh-rsa", ...). */
const char        *tls_scenario_cert_for_kx (int kx);
void               tls_scenario_free    (TlsScenario *sc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsScenario, tls_scenario_free)

G_END_DECLS
