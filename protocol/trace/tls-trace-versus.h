/* tls-trace-versus.h — a TLS 1.2 run beside a TLS 1.3 run (issue 16, "Side
 * by side"): what changed between the two versions, each difference
 * measured on the two traces and given with the reason RFC 8446 states.
 *
 * For each run (one connection of it) the summary counts its flights (a
 * flight: the handshake messages one side sends before the other answers)
 * and round trips (the server's flights the client waits for before it may
 * send application data: until its first application data, or until both
 * Finished messages have gone), finds the first encrypted handshake message
 * of each side, where the server's Certificate went and whether it was
 * encrypted, the key exchange (key transport or ephemeral), the record
 * protection (AEAD, or a block cipher with HMAC), the compression methods
 * of the hellos, renegotiation_info, and what a resumed connection of the
 * run cost.  Every value names the steps it was read from ("[45]": step 45
 * as the trace numbers it).
 *
 * It also gives a note for a row of the aligned ladders
 * (tls_trace_align_ladders) whose message only one version has or whose
 * role changed (ServerKeyExchange and ClientKeyExchange against key_share,
 * EncryptedExtensions, the server's Finished, ChangeCipherSpec).
 *
 * A pure function of the two traces. */
#pragma once

#include <glib.h>
#include "tls-trace.h"
#include "tls-trace-align.h"

G_BEGIN_DECLS

/* One difference: "1.2: LEFT | 1.3: RIGHT — WHY (RFC)". */
typedef struct
{
  const char *id;       /* "round-trips", "encrypted-from", "certificate", "key-exchange",
                           "record-protection", "compression", "renegotiation", "resumption" */
  const char *what;     /* what is compared (translated) */
  char       *left;     /* the left run's value (translated), naming its steps */
  char       *right;
  const char *why;      /* the reason (translated) */
  const char *rfc;      /* "RFC 8446, 1.2; RFC 8446, 2" */
} TlsVersusLine;

typedef struct
{
  char      *left_version;    /* "TLS 1.2" */
  char      *right_version;   /* "TLS 1.3" */
  guint      left_flights, right_flights;
  guint      left_round_trips, right_round_trips;
  gboolean   left_cert_encrypted, right_cert_encrypted;  /* FALSE also when none was sent */
  gboolean   left_forward_secret, right_forward_secret;
  gboolean   left_aead, right_aead;
  GPtrArray *lines;           /* of TlsVersusLine* */
  /* the flight (from 1) of each step of each run, 0 for a step in none */
  GArray    *left_flight_of, *right_flight_of;   /* of guint, by step index */
} TlsVersus;

/* The version of CONNECTION (from 0; -1: the first) of TRACE as its meta
 * says ("TLS 1.2"), or NULL. */
const char *tls_trace_connection_version (const TlsTrace *trace, int connection);

/* The summary of LEFT's connection LEFT_CONNECTION against RIGHT's (from 0;
 * -1: the first), or NULL unless one is TLS 1.3 and the other an earlier
 * version (a version unknown: NULL). */
TlsVersus  *tls_versus_new       (const TlsTrace *left, int left_connection,
                                  const TlsTrace *right, int right_connection);
void        tls_versus_free      (TlsVersus *versus);
const TlsVersusLine *tls_versus_line (const TlsVersus *versus, const char *id);
/* The flight (from 1) step INDEX of the left (RIGHT_SIDE FALSE) or right
 * run belongs to, or 0. */
guint       tls_versus_flight    (const TlsVersus *versus, gboolean right_side, int index);

/* A note for ROW of the ladders of LEFT and RIGHT aligned by
 * tls_trace_align_ladders: why a message is in one version only or plays
 * another part, with the section that says it in *RFC; NULL when there is
 * nothing to say. */
const char *tls_versus_row_note  (const TlsVersus *versus, const TlsTrace *left,
                                  const TlsTrace *right, const TlsAlignRow *row,
                                  const char **rfc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsVersus, tls_versus_free)

G_END_DECLS
