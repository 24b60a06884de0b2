/* tls-server.h — our server's flow (tls-server.c), for tls-endpoint.c. */
#pragma once

#include "tls-endpoint-state.h"

void      tls_server_init      (TlsEndpoint *ep);
void      tls_server_action    (TlsEndpoint *ep);
