/* tls-endpoint-private.h — what tls-endpoint.c, tls-client.c and
 * tls-server.c share.  Not for other modules. */
#pragma once

#include "tls-endpoint.h"
#include "tls-prf.h"
#include "tls-record.h"
#include "tls-suites.h"
#include "tls-types.h"
#include "tls-alert.h"
#include "tls-msg-server-hello.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-certificate.h"
#include "tls-x509.h"
#include "tls-sig.h"
#include "tls-digitally-signed.h"
#include "tls-kx-dh.h"
#include "tls-kx-ecdh.h"
#include "tls-msg-server-key-exchange.h"
#include "tls-verify.h"

#include <glib/gi18n-lib.h>

/* A unit of received data, ready for the state machine: one whole
 * handshake message, one ChangeCipherSpec, one alert, or one record of
 * application data; with the record(s) that carried it. */
typedef struct
{
  guint8    content_type;
  GBytes   *data;        /* plaintext: the handshake message with its header, ... */
  GBytes   *wire;        /* the record(s) as received */
  TlsField *wire_fields;
  gboolean  encrypted;
  gint64    wire_offset;  /* of wire[0] in the bytes received */
} TlsUnit;

/* A record received, waiting until the handshake messages it carries have
 * been taken out. */
typedef struct
{
  GBytes  *wire;
  gsize    hs_start;     /* its plaintext's place in the handshake stream */
  gsize    hs_end;
  gboolean encrypted;
  gint64   stream_offset; /* of the record in the bytes received */
  TlsField *fields;      /* its annotation, made when it arrived */
} TlsHsRecord;

typedef int TlsState;   /* client or server state, see tls-client.c / tls-server.c */

struct _TlsEndpoint
{
  TlsConfig       cfg;
  TlsTrace       *trace;
  TlsActor        role;
  gint64          now;

  /* I/O */
  GByteArray     *in;            /* bytes received, not yet taken as records */
  GByteArray     *out;           /* bytes to send */
  gboolean        eof;
  gint64          bytes_sent;    /* stream offsets, for the trace's wire_offset */
  gint64          bytes_taken;   /* received bytes taken as records */
  gint64          last_wire_offset;
  GQueue         *units;         /* of TlsUnit*, received and not yet processed */
  GByteArray     *hs_stream;     /* handshake plaintext not yet a whole message */
  gsize           hs_consumed;   /* stream offset of hs_stream->data[0] */
  GPtrArray      *hs_records;    /* of TlsHsRecord*, overlapping hs_stream */

  /* record layer */
  TlsProtection  *read_prot;
  TlsProtection  *write_prot;
  TlsProtection  *pending_read;
  TlsProtection  *pending_write;
  guint16         record_version;

  /* handshake */
  TlsState        state;
  TlsEpStatus     status;
  TlsTranscript  *transcript;
  guint8          client_random[32];
  guint8          server_random[32];
  guint8          session_id[32];
  guint8          session_id_len;
  guint16         client_version;   /* ClientHello.client_version */
  guint16         version;          /* negotiated */
  const TlsSuite *suite;
  gboolean        ems;
  gboolean        etm;              /* encrypt-then-MAC in use (RFC 7366) */
  gboolean        resumed;
  gboolean        offered_ems;      /* server: the client offered EMS */
  GArray         *offered_suites;   /* server: what the client offered */
  char           *sni;
  guint8          pms[1024];        /* 48 bytes for RSA; Z for (EC)DH: up to 8192-bit p */
  gsize           pms_len;
  guint8          master[48];
  TlsKeyBlock     kb;
  GPtrArray      *peer_chain;       /* of GBytes* (DER), leaf first */
  TlsCertificate *peer_leaf;        /* decoded leaf, or NULL */
  guint8          verify_data[12];  /* our Finished, computed one step before sending */
  guint16         server_hello_version;
  TlsServerHello  sh;               /* client: the ServerHello, between read and check */
  TlsClientHello  ch;               /* server: the ClientHello, for the decisions */
  const TlsSession *resume_hit;
  TlsSession     *ticket_session;   /* server: the session a ticket held */
  gboolean        resumed_by_ticket;
  gboolean        ticket_expected;  /* client: the ServerHello announced a NewSessionTicket */
  GBytes         *new_ticket;       /* client: the ticket received */
  guint32         new_ticket_lifetime;
  GBytes         *exchange_keys;    /* server: ClientKeyExchange's exchange_keys */
  gboolean        cert_requested;   /* a CertificateRequest was sent / received */
  GByteArray     *cr_types;         /* client: its certificate_types */
  GArray         *cr_sigalgs;       /* client: its supported_signature_algorithms, or NULL */
  gboolean        sent_client_cert; /* client: our Certificate was not empty */
  gboolean        peer_cert_ok;     /* server: the client's chain validated */

  /* (EC)DH key exchange */
  guint16         group;            /* NamedGroup of the exchange, 0 for a custom DH group */
  GBytes         *dh_p;             /* DH parameters in use (from the group, the
                                       ServerKeyExchange or the certificate) */
  GBytes         *dh_g;
  TlsDhKey       *dh_key;           /* our DH key (ephemeral, or the server's static one) */
  TlsEcdhKey     *ecdh_key;         /* our ECDH key */
  GBytes         *peer_public;      /* the peer's Y or point */
  int             ske_step;         /* the ServerKeyExchange step */
  int             key_step;         /* our key pair's derivation step */
  TlsServerKeyExchange ske;
  TlsVerifier    *verifier;         /* the peer's chain, being validated */         /* client: the ServerKeyExchange received */     /* server: the cached session to resume */
  TlsSession     *session;
  gsize           transcript_at_cke; /* transcript length after ClientKeyExchange */

  /* where things came from (step indices, -1 if not in the trace) */
  int             client_hello_step;
  int             server_hello_step;
  int             pms_step;
  int             master_step;
  int             keys_step;
  int             cke_step;
  int             certificate_step;

  /* checks waiting to be put in the trace one per step */
  GPtrArray      *pending_checks;   /* of TlsStep* */

  /* application data */
  GByteArray     *app_send;
  GByteArray     *app_received;
  gboolean        close_queued;
  gboolean        close_sent;

  /* the end */
  int             alert;
  gboolean        alert_sent;
  gboolean        alert_pending;    /* an alert is to be sent at the next step */
  char           *reason;
};

/* tls-endpoint.c */
TlsStep  *tls_ep_add_step      (TlsEndpoint *ep, TlsStepKind kind, TlsActor actor,
                                const char *title);
void      tls_ep_commit        (TlsEndpoint *ep, TlsStep *step);
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
/* Takes the next unit, which must be the handshake message TYPE (or
 * ChangeCipherSpec when TYPE < 0).  Returns NULL and fails the endpoint
 * (unexpected_message) when it is something else; NULL without failing
 * when nothing has arrived yet. */
TlsUnit  *tls_ep_expect        (TlsEndpoint *ep, int type);
/* After a message was parsed: adds it to the transcript, and when the peer
 * is not ours, records a message step (ROOT is taken). */
TlsStep  *tls_ep_received_handshake (TlsEndpoint *ep, TlsUnit *u, TlsField *root,
                                     const char *explanation, const char *rfc);
/* Parse helper: a reader over the body of the message in U (header
 * fields go under ROOT). */
TlsField *tls_ep_message_root  (TlsUnit *u);

/* Key schedule shared by client and server. */
void      tls_ep_derive_master (TlsEndpoint *ep);
void      tls_ep_derive_keys   (TlsEndpoint *ep);
/* verify_data for FROM_CLIENT's Finished over the transcript so far. */
void      tls_ep_verify_data   (TlsEndpoint *ep, gboolean from_client, guint8 out[12],
                                TlsTrace *trace);
/* Checks a received Finished against the transcript; a check step. */
gboolean  tls_ep_check_finished (TlsEndpoint *ep, TlsUnit *u);
TlsStep  *tls_ep_send_finished (TlsEndpoint *ep);
/* Handles application data, alerts and close once the handshake is done. */
TlsEpStatus tls_ep_step_connected (TlsEndpoint *ep);
/* Records the negotiated result in the trace's meta keys "connN.*". */
void      tls_ep_set_result_meta (TlsEndpoint *ep);

/* Signatures: the algorithm to sign with (TLS 1.2: from the peer's list;
 * before: MD5+SHA-1 for RSA, SHA-1 for DSA and ECDSA), signing, verifying. */
TlsSigAlg tls_ep_choose_sigalg (TlsEndpoint *ep, TlsPkAlg key, GArray *peer_algs);
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

/* tls-kx.c: the key exchange shared by both sides */
/* The groups we speak, in our order of preference. */
const guint16 *tls_kx_our_groups (guint *n);
/* A derivation step: our (EC)DH key pair for ep->group or ep->dh_p/dh_g. */
gboolean  tls_ep_kx_make_key   (TlsEndpoint *ep);
/* A derivation step: pre_master_secret = Z from the peer's public value
 * (ep->peer_public); fails the handshake with ALERT when it is invalid. */
gboolean  tls_ep_kx_shared     (TlsEndpoint *ep, int peer_step, int alert);
GBytes   *tls_ep_kx_our_public (TlsEndpoint *ep);

/* Opens the handshake message of U for its codec: *ROOT gets the field
 * tree (header fields included), BODY a reader over the body.  Returns 0
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

/* tls-client.c / tls-server.c */
void      tls_client_init      (TlsEndpoint *ep);
void      tls_client_action    (TlsEndpoint *ep);
void      tls_server_init      (TlsEndpoint *ep);
void      tls_server_action    (TlsEndpoint *ep);
