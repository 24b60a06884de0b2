/* tls-client.h — our client's flow (tls-client.c), for tls-endpoint.c and
 * for the TLS 1.3 client (tls13-client.c), which offers TLS 1.2 too and
 * hands a ServerHello that chose it to this flow (RFC 8446, D.1). */
#pragma once

#include "tls-endpoint-state.h"

void      tls_client_init      (TlsEndpoint *ep);
void      tls_client_action    (TlsEndpoint *ep);
/* Appends to SUITES and EXT what this client offers for TLS 1.2 that a
 * TLS 1.3 ClientHello lacks: the TLS 1.2 suites, and the extensions EXT
 * does not have yet (ec_point_formats, extended_master_secret, ...). */
void      tls_client_add_tls12_offer (TlsEndpoint *ep, GArray *suites, TlsExtensions *ext);
/* The flow goes on at the reading of the ServerHello (the next unit). */
void      tls_client_continue_tls12  (TlsEndpoint *ep);
