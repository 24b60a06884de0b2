/* tls-flow.h — the actions our client and server share (tls-flow.c): the
 * record input and output, the key schedule, Finished, signatures, the
 * peer's chain, and the runner of the flow tables. */
#pragma once

#include "tls-endpoint-state.h"

#include <glib/gi18n-lib.h>

TlsStep  *tls_ep_add_step      (TlsEndpoint *ep, TlsStepKind kind, TlsActor actor,
                                const char *title);
void      tls_ep_commit        (TlsEndpoint *ep, TlsStep *step);
/* Lesson grouping (tls_trace_group): STEP, a check or decision about a
 * message the peer sent, goes under the last message called TITLE in this
 * connection (under the next step of ours when there is none). */
void      tls_ep_group_under_message (TlsEndpoint *ep, TlsStep *step, const char *title);
TlsActor  tls_ep_peer          (const TlsEndpoint *ep);
/* The first error: the alert is sent at the next step. */
void      tls_ep_fail          (TlsEndpoint *ep, int alert, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* Puts a handshake message (header + body, written with W into ROOT) in
 * the transcript, seals it into records and appends a message step. */
TlsStep  *tls_ep_send_handshake (TlsEndpoint *ep, GBytes *msg, TlsField *root);
/* Writes handshake message TYPE (its codec WRITE on MSG) and sends it as
 * tls_ep_send_handshake does; the step is to be committed by the caller. */
typedef void (*TlsWriteFunc) (TlsWriter *w, gconstpointer msg);
TlsStep  *tls_ep_send_message  (TlsEndpoint *ep, guint8 type, const char *name,
                                TlsWriteFunc write, gconstpointer msg);
TlsStep  *tls_ep_send_ccs      (TlsEndpoint *ep);
/* The next received unit (NULL: none yet; or the endpoint failed). */
TlsUnit  *tls_ep_next_unit     (TlsEndpoint *ep);
void      tls_unit_free        (TlsUnit *u);
void      tls_hs_record_free   (TlsHsRecord *r);
/* Takes the next unit, which must be the handshake message TYPE (or
 * ChangeCipherSpec when TYPE < 0).  Returns NULL and fails the endpoint
 * (unexpected_message) when it is something else; NULL without failing
 * when nothing has arrived yet. */
TlsUnit  *tls_ep_expect        (TlsEndpoint *ep, int type);
/* After a message was parsed: adds it to the transcript, and when the peer
 * is not ours, records a message step (ROOT is taken). */
TlsStep  *tls_ep_received_handshake (TlsEndpoint *ep, TlsUnit *u, TlsField *root,
                                     const char *explanation, const char *rfc);
/* The same with the step titled TITLE (NULL: the handshake type's name). */
TlsStep  *tls_ep_received_titled (TlsEndpoint *ep, TlsUnit *u, TlsField *root, const char *title,
                                  const char *explanation, const char *rfc);
/* Parse helper: a reader over the body of the message in U (header
 * fields go under ROOT); NULL for a unit of a bare trace (TlsTrace.bare). */
TlsField *tls_ep_message_root  (TlsUnit *u);

/* Key schedule shared by client and server. */
void      tls_ep_derive_master (TlsEndpoint *ep);
void      tls_ep_derive_keys   (TlsEndpoint *ep);
/* verify_data for FROM_CLIENT's Finished over the transcript so far. */
void      tls_ep_verify_data   (TlsEndpoint *ep, gboolean from_client, guint8 out[12],
                                TlsTrace *trace);
/* Checks a received Finished against the transcript; a check step. */
gboolean  tls_ep_check_finished (TlsEndpoint *ep, TlsUnit *u);
void      tls_ep_flip_finished  (TlsEndpoint *ep, TlsStep *step);   /* tamper client-flip-finished */
TlsStep  *tls_ep_send_finished (TlsEndpoint *ep);
/* Handles application data, alerts and close once the handshake is done. */
TlsEpStatus tls_ep_step_connected (TlsEndpoint *ep);
/* Sends the alert of the first error (ep->alert, ep->reason). */
void      tls_ep_send_alert    (TlsEndpoint *ep);
/* Records the negotiated result in the trace's meta keys "connN.*". */
void      tls_ep_set_result_meta (TlsEndpoint *ep);

/* Signatures: the algorithm to sign with (TLS 1.2: from the peer's list;
 * before: MD5+SHA-1 for RSA, SHA-1 for DSA and ECDSA), signing, verifying. */
TlsSigAlg tls_ep_choose_sigalg (TlsEndpoint *ep, TlsPkAlg key, GArray *peer_algs);
/* A decision step: the signature algorithm for our key among PEER_ALGS
 * (named SOURCE in the trace), or handshake_failure when none fits. */
gboolean  tls_ep_decide_sigalg (TlsEndpoint *ep, GArray *peer_algs, const char *source);
/* FAULT: the cfg.tamper name that damages this signature on purpose, or NULL. */
gboolean  tls_ep_sign          (TlsEndpoint *ep, const TlsPrivateKey *key, TlsSigAlg alg,
                                const guint8 *data, gsize len, const char *fault,
                                TlsDigitallySigned *out);
gboolean  tls_ep_verify        (TlsEndpoint *ep, const TlsPublicKey *pub,
                                const TlsDigitallySigned *ds, const guint8 *data, gsize len,
                                TlsSigAlg *alg, char **reason);
/* The handshake type of the next received unit without taking it: -2 when
 * nothing is there yet, -1 when it is not a handshake message. */
int       tls_ep_peek_type     (TlsEndpoint *ep);

/* Validates the peer's chain (server purpose when FOR_SERVER) against
 * cfg.trust, one check step at a time (the steps wait in pending_checks).
 * REQUIRED: a failure ends the handshake with its alert. */
gboolean  tls_ep_check_chain   (TlsEndpoint *ep, gboolean for_server, gboolean required);

/* Reads the peer's Certificate message (peer_chain, peer_leaf). */
gboolean  tls_ep_read_peer_certificate (TlsEndpoint *ep);
/* The peer's end-entity certificate, found in its chain even out of order. */
TlsCertificate *tls_ep_decode_leaf (TlsEndpoint *ep, GError **error);


/* Opens the handshake message of U for its codec: *ROOT gets the field
 * tree (header fields included; NULL for a bare trace), BODY a reader over the body.  Returns 0
 * or the alert for a bad header. */
int       tls_ep_parse_header  (TlsUnit *u, TlsField **root, TlsReader *body);
/* ERR, or decode_error when the codec left bytes of BODY unread. */
int       tls_ep_body_done     (TlsReader *body, int err);

/* The flows of tls-client.c and tls-server.c are tables of rows: an action
 * runs when its condition holds (the handshake's shape as data). */
typedef struct
{
  gboolean (*action) (TlsEndpoint *ep);   /* TRUE: done, go to the next row */
  gboolean (*when) (TlsEndpoint *ep);
} TlsFlowRow;

void      tls_ep_run_flow      (TlsEndpoint *ep, const TlsFlowRow *flow, guint n,
                                void (*done) (TlsEndpoint *ep));
gboolean  tls_ep_always        (TlsEndpoint *ep);
gboolean  tls_ep_act_derive_master  (TlsEndpoint *ep);
gboolean  tls_ep_act_derive_keys    (TlsEndpoint *ep);
gboolean  tls_ep_act_send_ccs       (TlsEndpoint *ep);
gboolean  tls_ep_act_read_ccs       (TlsEndpoint *ep);
gboolean  tls_ep_act_compute_verify (TlsEndpoint *ep);
gboolean  tls_ep_act_send_finished  (TlsEndpoint *ep);
gboolean  tls_ep_act_read_finished  (TlsEndpoint *ep);
