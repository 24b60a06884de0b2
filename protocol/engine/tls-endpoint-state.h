/* tls-endpoint-state.h — the state of one endpoint, shared by the flows
 * (tls-client.c, tls-server.c), their actions (tls-flow.c, tls-kx.c) and
 * the public API (tls-endpoint.c).  Not for other modules. */
#pragma once

#include "tls-config.h"
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
#include "tls13-state.h"


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
  gboolean  bare;         /* for a bare trace (TlsTrace.bare): no field trees */
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

/* ep->hs_expect when no one message is awaited (peeking, after the handshake). */
#define TLS_EP_EXPECT_ANY (-2)

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
  int             hs_expect;     /* while tls_ep_expect waits: the handshake type it
                                    wants, -1 a ChangeCipherSpec; else TLS_EP_EXPECT_ANY */

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
  char           *alpn;             /* the application protocol agreed (RFC 7301), or NULL */
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
  gboolean        close_answer;     /* the queued close_notify answers the peer's */

  /* the end */
  int             alert;
  gboolean        alert_sent;
  gboolean        alert_pending;    /* an alert is to be sent at the next step */
  char           *reason;

  /* TLS 1.3 (tls13-state.h): NULL while the endpoint speaks TLS 1.0-1.2 */
  Tls13State     *t13;
};

