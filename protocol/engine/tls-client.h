/* tls-client.h — our client's flow (tls-client.c), for tls-endpoint.c. */
#pragma once

#include "tls-endpoint-state.h"

void      tls_client_init      (TlsEndpoint *ep);
void      tls_client_action    (TlsEndpoint *ep);
