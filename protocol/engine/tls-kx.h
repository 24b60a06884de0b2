/* tls-kx.h — the (EC)DH part of the key exchange, shared by our client
 * and server (tls-kx.c). */
#pragma once

#include "tls-flow.h"

/* The groups we speak, in our order of preference. */
const guint16 *tls_kx_our_groups (guint *n);
/* A derivation step: our (EC)DH key pair for ep->group or ep->dh_p/dh_g. */
gboolean  tls_ep_kx_make_key   (TlsEndpoint *ep);
/* A derivation step: pre_master_secret = Z from the peer's public value
 * (ep->peer_public); fails the handshake with ALERT when it is invalid. */
gboolean  tls_ep_kx_shared     (TlsEndpoint *ep, int peer_step, int alert);
GBytes   *tls_ep_kx_our_public (TlsEndpoint *ep);
/* What the server certificate's key is for in key exchange KX, and the key
 * type and keyUsage that requires (RFC 5246, 7.4.2; RFC 4492, 5.3 for
 * ECDHE_ECDSA): one translated sentence for the Certificate step. */
const char *tls_kx_certificate_key_use (TlsKeyExchange kx);
