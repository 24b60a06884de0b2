/* tls-scenario.h — what a run does: versions, suites, certificates,
 * resumption, seed and clock.  Built-in scenarios have names; a scenario can
 * be saved to and loaded from a key file (the scenario editor's format). */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TLS_TRANSPORT_MEMORY,     /* both endpoints in one process, bytes handed over */
  TLS_TRANSPORT_LOOPBACK,   /* both endpoints in one process, over 127.0.0.1 TCP */
} TlsTransportKind;

/* TLS 1.3 0-RTT in a scenario (key early-data).  With any but NONE the
 * server's tickets allow early data (RFC 8446, 4.6.1) and the resumed
 * connection sends app-request as 0-RTT data. */
typedef enum
{
  TLS_EARLY_DATA_NONE,
  TLS_EARLY_DATA_ACCEPT,            /* the server reads it */
  TLS_EARLY_DATA_REFUSE,            /* the server refuses it (4.2.10) */
  TLS_EARLY_DATA_REPLAY,            /* accepted, then an attacker replays the
                                       ClientHello and the 0-RTT records to the
                                       server as a third connection (8, E.5) */
  TLS_EARLY_DATA_REPLAY_SINGLE_USE, /* ... to a server whose tickets are
                                       single-use (8.1): the replay is refused */
} TlsEarlyDataMode;

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
  gboolean         resume_unknown; /* ... under a session ID the server never issued */
  gboolean         server_cache;   /* the server caches sessions */
  gboolean         no_ems;
  gboolean         no_etm;
  guint16          client_max_version; /* 0: max_version; lower: the client speaks less;
                                          higher: more (TLS 1.3 beside a TLS 1.2 server) */
  gboolean         fallback;       /* the client sends TLS_FALLBACK_SCSV */
  gboolean         tickets;
  gboolean         psk_ke;         /* TLS 1.3 resumption: the client offers psk_ke only */
  int              early_data;     /* TlsEarlyDataMode: TLS 1.3 0-RTT (RFC 8446, 2.3) */
  TlsTransportKind transport;
  guint64          seed;
  gint64           clock;          /* unix seconds */
  gint64           reconnect_after;/* seconds between connections */
  gint64           replay_after;   /* early-data replay: seconds between the second
                                      connection and the attacker's copy of it */
  char            *app_request;    /* application data the client sends, or NULL */
  char            *tamper;
  char            *attack;         /* the attacker's actions, ';'-separated (tls-attacker.h), or NULL */
  guint            min_dh_bits;    /* the client's smallest DH group (0: 2048) */
  gboolean         insecure;       /* the client goes on past a failed certificate check */
  char            *server_dh_group;/* the server's DHE group whatever the client lists
                                      ("modp1024", "ffdhe2048", ...), or NULL: negotiated */
  char            *server_groups;  /* the server's (EC)DHE groups in its order of preference,
                                      ','-separated ("secp384r1"), or NULL: all of ours
                                      (tls_config_group_names) */
  char            *alpn;           /* ALPN protocols the client offers ("h2,http/1.1"), or NULL */
  char            *groups;         /* TLS 1.3 groups, ','-separated ("x25519,secp256r1"):
                                      the client's key share is for the first; or NULL */
  char            *server_alpn;    /* ALPN protocols the server accepts, or NULL: http/1.1
                                      when the client offers some */
  int              key_update;     /* TLS 1.3: 0 none; else, after the server's answer, the
                                      client sends a KeyUpdate (1: update_not_requested,
                                      2: update_requested) and its request once more */
  const struct _TlsScenarioNote *notes; /* built-in only: sentences added to steps */
} TlsScenario;

/* A sentence a built-in scenario adds to the explanation of a step of its
 * run (what this step changes against the classic handshake, and why).
 * A step matches by kind, title, connection (-1: any) and actor (-1: any);
 * the conductor adds TEXT, with its RFC citation, when the step is made.
 * Tables end with a NULL title. */
typedef struct _TlsScenarioNote
{
  int         kind;        /* TlsStepKind */
  const char *title;
  int         connection;
  int         actor;       /* TlsActor, or -1 */
  const char *rfc;
  const char *text;        /* translatable (N_) */
} TlsScenarioNote;

/* The keys of the scenario file, [Scenario] group: the loader accepts these
 * and no others; docs/scenarios.md documents each (a test checks both). */
typedef struct
{
  const char *name;        /* "min-version" */
  const char *values;      /* what it takes: "1.0, 1.1 or 1.2" */
} TlsScenarioKey;

const TlsScenarioKey *tls_scenario_keys (guint *n);
/* Adds SC's notes that match STEP to its explanation and
 * citation; the conductor calls it for each step of the run. */
void                  tls_scenario_annotate (const TlsScenario *sc, TlsStep *step);
/* The named faults a scenario may inject ("tamper" key). */
const char *const    *tls_scenario_tampers (void);
/* The scenario run when none is named: "classic". */
#define TLS_SCENARIO_DEFAULT "classic"

/* The fixed clock of the scenarios: 2026-06-01T12:00:00Z. */
#define TLS_SCENARIO_CLOCK G_GINT64_CONSTANT (1780315200)

const char *const *tls_scenario_names   (void);
TlsScenario       *tls_scenario_builtin (const char *name);   /* NULL if unknown */
TlsScenario       *tls_scenario_load    (const char *path, GError **error);
/* The [Scenario] group of KF (PATH names the file in errors), checked as
 * tls_scenario_load does; ONLY_GROUP: no other group is allowed (FALSE
 * for a file that holds a scenario among its groups, such as a lesson). */
TlsScenario       *tls_scenario_from_key_file (GKeyFile *kf, const char *path,
                                               gboolean only_group, GError **error);
gboolean           tls_scenario_save    (const TlsScenario *sc, const char *path, GError **error);
TlsScenario       *tls_scenario_copy    (const TlsScenario *sc);
/* Appends ACTION (or several, ';'-separated) to SC's attack; FALSE with a
 * message naming the problem when it does not parse (docs/attacker.md). */
gboolean           tls_scenario_add_attack (TlsScenario *sc, const char *action, GError **error);
/* The demo PKI identity whose certificate serves key exchange KX
 * ("server-rsa", "server-dsa", "server-ecdsa", "server-dh-rsa", ...). */
const char        *tls_scenario_cert_for_kx (int kx);
void               tls_scenario_free    (TlsScenario *sc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsScenario, tls_scenario_free)

G_END_DECLS
