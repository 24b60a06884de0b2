/* tls-trace-schedule.h — the TLS 1.3 key schedule of one connection, as
 * the diagram of RFC 8446, 7.1 (issue 16, "The key schedule as the
 * lesson"), read from the trace: each box of the diagram (a secret, a
 * traffic secret's keys of 7.3, a Finished key of 4.4.4) with the
 * derivation step that computed it, its value (the step's output bytes),
 * the label it was expanded with, and the transcript hash it covers: the
 * Transcript-Hash step and the handshake messages hashed in it.
 *
 * A box the run did not compute (binder_key without a PSK, the early
 * traffic secret without 0-RTT, resumption_master_secret without a ticket)
 * has no step: the views draw it as not in this run.  Nothing is computed
 * here; values come from the steps (the titles and output names of
 * protocol/crypto/tls13-key-schedule.h).  A pure function of the trace. */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TLS_SCHEDULE_EARLY_SECRET,
  TLS_SCHEDULE_BINDER_KEY,
  TLS_SCHEDULE_C_E_TRAFFIC,
  TLS_SCHEDULE_E_EXP_MASTER,
  TLS_SCHEDULE_C_E_KEYS,
  TLS_SCHEDULE_DERIVED_HS,
  TLS_SCHEDULE_HANDSHAKE_SECRET,
  TLS_SCHEDULE_C_HS_TRAFFIC,
  TLS_SCHEDULE_S_HS_TRAFFIC,
  TLS_SCHEDULE_C_HS_KEYS,
  TLS_SCHEDULE_S_HS_KEYS,
  TLS_SCHEDULE_C_FINISHED_KEY,
  TLS_SCHEDULE_S_FINISHED_KEY,
  TLS_SCHEDULE_DERIVED_MASTER,
  TLS_SCHEDULE_MASTER_SECRET,
  TLS_SCHEDULE_C_AP_TRAFFIC,
  TLS_SCHEDULE_S_AP_TRAFFIC,
  TLS_SCHEDULE_EXP_MASTER,
  TLS_SCHEDULE_RES_MASTER,
  TLS_SCHEDULE_C_AP_KEYS,
  TLS_SCHEDULE_S_AP_KEYS,
  TLS_SCHEDULE_N_BOXES
} TlsScheduleBoxId;

typedef struct
{
  TlsScheduleBoxId id;
  const char *name;        /* "client_handshake_traffic_secret", "write_key, write_iv" ... */
  const char *title;       /* the title of its derivation step */
  const char *output;      /* the output of that step shown ("write_key") */
  const char *output2;     /* a second one ("write_iv", "verify_data"), or NULL */
  char       *label;       /* the HKDF-Expand-Label label ("c hs traffic"; the step's
                              own when it has one), NULL for an Extract */
  const char *rfc;         /* "RFC 8446, 7.1" */
  int         step;        /* the derivation step, or -1: not in this run (yet) */
  GBytes     *value;       /* the output's bytes (a reference), or NULL */
  GBytes     *value2;      /* the second output (write_iv), or NULL */
  char       *context;     /* the messages of its transcript hash as the step
                              names them ("ClientHello...ServerHello"), or NULL */
  int         context_step; /* the Transcript-Hash step, or -1 */
  GPtrArray  *messages;    /* of char*: the handshake messages that hash covers, in order */
} TlsScheduleBox;

typedef struct
{
  guint          connection;
  TlsActor       actor;     /* the side whose steps the boxes are */
  TlsScheduleBox boxes[TLS_SCHEDULE_N_BOXES];
} TlsSchedule;

/* Whether ACTOR computed a TLS 1.3 key schedule (an Early Secret step) in
 * CONNECTION among the first LIMIT steps of TRACE. */
gboolean     tls_schedule_present (const TlsTrace *trace, guint connection, TlsActor actor,
                                   guint limit);
/* The key schedule ACTOR computed in CONNECTION, from the first LIMIT
 * steps of TRACE (the steps that have happened; G_MAXUINT: all). */
TlsSchedule *tls_schedule_new     (const TlsTrace *trace, guint connection, TlsActor actor,
                                   guint limit);
void         tls_schedule_free    (TlsSchedule *schedule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsSchedule, tls_schedule_free)

G_END_DECLS
