/* tls13-flow.h — what our TLS 1.3 client and server share (tls13-flow.c):
 * the start of a TLS 1.3 endpoint, the key share, the key schedule as
 * steps, the record keys, CertificateVerify and Finished.  The flows are
 * in tls13-client.c and tls13-server.c.  Not for other modules. */
#pragma once

#include "tls-flow.h"
#include "tls13-state.h"

/* The groups TLS 1.3 uses here, in our order of preference. */
const guint16 *tls13_our_groups (const TlsEndpoint *ep, guint *n);

/* Called by tls_endpoint_new for a configuration whose max_version is
 * TLS 1.3: the endpoint speaks TLS 1.3 (ep->t13 set). */
void      tls13_endpoint_init   (TlsEndpoint *ep);
/* One unit of work of the TLS 1.3 flow (tls13-client.c, tls13-server.c). */
void      tls13_client_action   (TlsEndpoint *ep);
void      tls13_server_action   (TlsEndpoint *ep);

/* Takes the next unit, which must be handshake message TYPE; a dummy
 * ChangeCipherSpec (RFC 8446, 5 and D.4) before it is dropped (and shown
 * when the peer is not ours). */
TlsUnit  *tls13_expect          (TlsEndpoint *ep, int type);
/* Our (EC)DHE key pair for GROUP: a derivation step.  FALSE (and the
 * endpoint failed) for a group we cannot do. */
gboolean  tls13_make_key_share  (TlsEndpoint *ep, guint16 group);
/* The same in two: the key pair (no step), then its step, grouped under
 * the last message called UNDER (NULL: under our next step). */
gboolean  tls13_keygen          (TlsEndpoint *ep, guint16 group);
gboolean  tls13_key_share_step  (TlsEndpoint *ep, const char *under);
/* The shared secret with the peer's KEY_EXCHANGE (FROM_STEP: the message
 * that carried it): a derivation step; FALSE (illegal_parameter) for a
 * bad share. */
gboolean  tls13_derive_shared   (TlsEndpoint *ep, GBytes *key_exchange, int from_step);
/* Transcript-Hash of everything so far, COVERS naming the messages: a
 * step; CTX points into BUF. */
void      tls13_context         (TlsEndpoint *ep, const char *covers, Tls13Context *ctx,
                                 guint8 buf[TLS_MAX_HASH_LEN]);

/* The rows both sides share, one unit of work each. */
gboolean  tls13_act_early_secret     (TlsEndpoint *ep);
gboolean  tls13_act_handshake_secret (TlsEndpoint *ep);
gboolean  tls13_act_handshake_traffic (TlsEndpoint *ep);
gboolean  tls13_act_server_hs_keys   (TlsEndpoint *ep);
gboolean  tls13_act_client_hs_keys   (TlsEndpoint *ep);
gboolean  tls13_act_master_secret    (TlsEndpoint *ep);
gboolean  tls13_act_app_traffic      (TlsEndpoint *ep);
gboolean  tls13_act_server_ap_keys   (TlsEndpoint *ep);
gboolean  tls13_act_client_ap_keys   (TlsEndpoint *ep);
/* The client's application traffic keys take over (after its Finished);
 * the resumption_master_secret when tickets are issued. */
gboolean  tls13_act_client_keys_in_force (TlsEndpoint *ep);
/* Our Finished (Transcript-Hash, finished_key and verify_data, message). */
gboolean  tls13_act_send_finished    (TlsEndpoint *ep);
/* The peer's Finished checked against the transcript (decrypt_error). */
gboolean  tls13_act_read_finished    (TlsEndpoint *ep);
/* The peer's CertificateVerify (RFC 8446, 4.4.3), for our client the
 * server's, for our server the client's: the message, then the check of its
 * signature over the transcript up to the peer's Certificate with the
 * peer's public key; its scheme must be one of SCHEMES that is not
 * rsa_pkcs1_* (what the client offered, or the server requested).  FALSE
 * and the endpoint failed: decrypt_error when it does not verify
 * (handshake_failure from our server for a scheme not requested). */
gboolean  tls13_read_certificate_verify (TlsEndpoint *ep, const guint16 *schemes,
                                         guint n_schemes);
/* The dummy ChangeCipherSpec of the middlebox compatibility mode (D.4). */
gboolean  tls13_act_send_ccs         (TlsEndpoint *ep);
/* Handshake done: status DONE, the result in the trace's meta keys. */
void      tls13_done                 (TlsEndpoint *ep);
