/* tls-conductor.h — owns the endpoints, the transport, the RNG and the trace;
 * steps a run one trace event at a time (DESIGN.md, "The conductor").
 *
 * Verbs: step (until exactly one more step is in the trace), run to the end,
 * rewind to step N.  A scenario with a seed and a fixed clock is
 * deterministic, so rewinding is replaying to step N.  Against a real peer
 * the conductor owns one endpoint and a connected socket; rewinding is not
 * possible there (the view only moves through what was recorded). */
#pragma once

#include <glib.h>
#include "tls-trace.h"
#include "tls-scenario.h"
#include "tls-config.h"

G_BEGIN_DECLS

typedef struct _TlsConductor TlsConductor;

typedef enum
{
  TLS_RUN_RUNNING,
  TLS_RUN_COMPLETED,   /* every connection's handshake completed */
  TLS_RUN_FAILED,      /* a handshake ended in an alert or a transport error */
} TlsRunState;

/* Both endpoints ours; demo PKI from DATADIR (NULL: the default). */
TlsConductor *tls_conductor_new          (const TlsScenario *sc, const char *datadir,
                                          GError **error);
/* Our endpoint (built from CFG, which must stay valid while the conductor
 * lives) against a real peer on the connected socket FD (the conductor closes
 * it).  Steps go to TRACE when given (not owned: several connections can share
 * one trace), else to a trace of the conductor's own. */
TlsConductor *tls_conductor_new_peer     (const TlsConfig *cfg, int fd, TlsTrace *trace,
                                          GError **error);
void          tls_conductor_free         (TlsConductor *c);

/* Appends exactly one step (TRUE), or returns FALSE when the run is over. */
gboolean      tls_conductor_step         (TlsConductor *c);
/* Steps to the end; returns the number of steps added. */
guint         tls_conductor_run          (TlsConductor *c);
/* Replays from the start until the trace holds N steps (seeded runs only). */
gboolean      tls_conductor_rewind       (TlsConductor *c, guint n, GError **error);
gboolean      tls_conductor_can_rewind   (const TlsConductor *c);

TlsTrace     *tls_conductor_get_trace    (const TlsConductor *c);
TlsRunState   tls_conductor_state        (const TlsConductor *c);
/* 0, or the alert that ended the run; with a reason to print. */
int           tls_conductor_alert        (const TlsConductor *c);
const char   *tls_conductor_reason       (const TlsConductor *c);
const TlsScenario *tls_conductor_scenario (const TlsConductor *c);
/* What one of our endpoints of the current connection negotiated. */
typedef struct
{
  guint16           version;       /* 0 before the ServerHello */
  guint16           suite;         /* 0 before the ServerHello */
  gboolean          resumed;
  gboolean          ems;           /* extended master secret (RFC 7627) */
  gboolean          etm;           /* encrypt-then-MAC (RFC 7366) */
  const char       *server_name;   /* server: the SNI received, or NULL */
  const TlsSession *session;       /* the session made or resumed, or NULL */
} TlsConnectionInfo;

/* FALSE when ACTOR is not ours in the current connection. */
gboolean      tls_conductor_connection_info (const TlsConductor *c, TlsActor actor,
                                             TlsConnectionInfo *info);
/* After the handshake with a real peer: send application data (and flush),
 * wait up to TIMEOUT_MS for data (an empty GBytes when the peer closed),
 * send close_notify. */
gboolean      tls_conductor_send         (TlsConductor *c, const guint8 *data, gsize len,
                                          GError **error);
GBytes       *tls_conductor_receive      (TlsConductor *c, int timeout_ms, GError **error);
gboolean      tls_conductor_close        (TlsConductor *c, GError **error);
/* Timeout for waiting on a real peer, in milliseconds (default 10000). */
void          tls_conductor_set_timeout  (TlsConductor *c, guint ms);

G_END_DECLS
