/* tls-msg-server-hello.h — ServerHello (RFC 5246, 7.4.1.3): a pure codec.
 *
 *     struct {
 *         ProtocolVersion server_version;
 *         Random random;
 *         SessionID session_id;
 *         CipherSuite cipher_suite;
 *         CompressionMethod compression_method;
 *         select (extensions_present) {
 *             case false:
 *                 struct {};
 *             case true:
 *                 Extension extensions<0..2^16-1>;
 *         };
 *     } ServerHello;
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-extensions.h"

G_BEGIN_DECLS

typedef struct
{
  guint16        server_version;
  guint8         random[32];
  guint8         session_id[32];
  guint8         session_id_len;
  guint16        cipher_suite;
  guint8         compression_method;
  TlsExtensions  extensions;
} TlsServerHello;

void tls_server_hello_init  (TlsServerHello *m);
void tls_server_hello_clear (TlsServerHello *m);
/* Returns 0, decode_error, or illegal_parameter (repeated extension). */
int  tls_server_hello_parse (TlsReader *r, TlsServerHello *m);
void tls_server_hello_write (TlsWriter *w, const TlsServerHello *m);

G_END_DECLS
