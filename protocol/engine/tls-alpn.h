/* tls-alpn.h — Application-Layer Protocol Negotiation (RFC 7301) for our
 * TLS 1.2 and TLS 1.3 endpoints: the server's choice as a decision step,
 * the client's check of the answer.  The answer travels in the ServerHello
 * (TLS 1.2) or the EncryptedExtensions (TLS 1.3, RFC 8446, 4.3.1). */
#pragma once

#include "tls-endpoint-state.h"

/* Flow condition: this server has protocols and the client offered ALPN. */
gboolean tls_ep_both_alpn     (TlsEndpoint *ep);
/* RFC 7301, 3.2: the server picks one of the client's protocols, its own
 * preference first, into ep->alpn; none in common: no_application_protocol. */
gboolean tls_ep_decide_alpn   (TlsEndpoint *ep);
/* RFC 7301, 3.1: the server's answer names exactly one protocol, one the
 * client offered. */
gboolean tls_ep_alpn_offered  (TlsEndpoint *ep, const TlsExtensions *answer);
