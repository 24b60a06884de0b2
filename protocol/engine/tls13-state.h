/* tls13-state.h — what an endpoint holds while it speaks TLS 1.3 (RFC
 * 8446): the key schedule, the record protection in force in each
 * direction, the (EC)DHE key share and where each value came from in the
 * trace.  Shared by tls13-flow.c, tls13-client.c, tls13-server.c and the
 * record hooks of tls-flow.c (which only read READ and WRITE).  Not for
 * other modules. */
#pragma once

#include "tls13-key-schedule.h"
#include "tls13-record.h"
#include "tls-kx-ecdh.h"
#include "tls13-share.h"
#include "tls-sig.h"

typedef struct _Tls13State
{
  Tls13KeySchedule  ks;
  Tls13Protection  *read;        /* NULL: records from the peer are plaintext */
  Tls13Protection  *write;       /* NULL: our records are plaintext */
  Tls13Protection  *pending_write; /* client: its handshake keys, in force after its CCS */

  guint16           group;       /* the NamedGroup of the key share */
  Tls13Share       *share;       /* our key share's key pair */
  guint8            shared[384]; /* the (EC)DHE shared secret: up to ffdhe3072's 384 bytes */
  gsize             shared_len;
  int               key_step;    /* our key share's derivation */
  int               shared_step;
  TlsSigAlg         sigalg;      /* the signature scheme of our CertificateVerify */
  guint16           sigscheme;
  gboolean          compat;      /* the client sent a legacy_session_id: CCS (D.4) */
  gboolean          hrr;         /* a HelloRetryRequest was sent / received */
  guint16           hrr_group;   /* client: its selected_group (0: none) */
  int               hrr_step;    /* the HelloRetryRequest's message step */
  gsize             ch1_len;     /* the length of ClientHello1 (tls13-hrr.c) */
  gboolean          offered_13;  /* server: the client's supported_versions has 1.3 */
  gboolean          tickets;     /* server: NewSessionTickets are issued (RFC 8446, 4.6.1);
                                    client: it keeps them */
  GBytes           *cr_context;  /* the CertificateRequest's context (sent or received), or NULL */
  gboolean          client_cv;   /* a client CertificateVerify was sent / received
                                    (tls13-client-auth.c) */

  /* PSK resumption (tls13-psk.c) */
  gboolean          psk_offered;  /* client: its ClientHello offers a ticket */
  gboolean          psk_accepted; /* the server selected the PSK */
  gboolean          psk_ke;       /* ... in psk_ke mode: no (EC)DHE */
  guint8            psk[TLS_MAX_HASH_LEN];
  gsize             psk_len;
  int               psk_step;     /* where the PSK came from, or -1 */
  TlsPrfHash        psk_hash;     /* the hash of the PSK's suite */
  guint16           psk_identity; /* server: the index of the identity selected */
  GBytes           *psk_binder;   /* server: the client's binder for it */
  guint32           psk_obfuscated_age; /* server: its obfuscated_ticket_age (4.2.11.1) */

  /* 0-RTT (tls13-early-data.c) */
  gboolean          early_offered;  /* the ClientHello has early_data */
  gboolean          early_accepted; /* ... and the server accepted it */
  Tls13Protection  *early;          /* client_early_traffic_secret's keys: the client
                                       writes, the server reads with them */
  gboolean          early_done;     /* server: EndOfEarlyData read */
  guint32           early_skip_left;/* server, rejected: bytes it may still skip (4.2.10) */
  guint32           early_skipped;  /* ... and the bytes and records it skipped */
  guint             early_skipped_records;
  int               early_keys_step;
  GByteArray       *early_received; /* server: the 0-RTT data it read */

  int               ch_step, sh_step, cert_step, cv_step, sfin_step, cfin_step;
  int               c_hs_keys_step, s_hs_keys_step, c_ap_keys_step, s_ap_keys_step;
  Tls13TrafficKeys  c_ap, s_ap, c_hs;

  /* KeyUpdate (tls13-keyupdate.c, RFC 8446, 4.6.3) */
  int               ku_queued;   /* 0: none; else 1 + the KeyUpdateRequest to send */
  guint             ku_gen[2];   /* N of the client's [0] and server's [1] traffic secret */
} Tls13State;

void tls13_state_free (Tls13State *st);
