/* tls-msg-client-hello.h — ClientHello (RFC 5246, 7.4.1.2): a pure codec.
 *
 *     struct {
 *         ProtocolVersion client_version;
 *         Random random;
 *         SessionID session_id;
 *         CipherSuite cipher_suites<2..2^16-2>;
 *         CompressionMethod compression_methods<1..2^8-1>;
 *         select (extensions_present) {
 *             case false:
 *                 struct {};
 *             case true:
 *                 Extension extensions<0..2^16-1>;
 *         };
 *     } ClientHello;
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-extensions.h"

G_BEGIN_DECLS

typedef struct
{
  guint16        client_version;
  guint8         random[32];
  guint8         session_id[32];
  guint8         session_id_len;
  GArray        *cipher_suites;        /* of guint16 */
  GByteArray    *compression_methods;  /* CompressionMethod: null (0) */
  TlsExtensions  extensions;
} TlsClientHello;

/* Empty arrays, no extensions block. */
void     tls_client_hello_init  (TlsClientHello *m);
void     tls_client_hello_clear (TlsClientHello *m);
/* Parses the body into M (initialized by the call; cleared on failure).
 * Returns 0 or decode_error (truncated, over-long, a vector out of
 * bounds, an odd cipher_suites length, a malformed known extension) or
 * illegal_parameter (a repeated extension, a bad host_name). */
int      tls_client_hello_parse (TlsReader *r, TlsClientHello *m);
void     tls_client_hello_write (TlsWriter *w, const TlsClientHello *m);

gboolean tls_client_hello_offers_suite (const TlsClientHello *m, guint16 suite);
/* The ServerHello's extensions against this ClientHello: as
 * tls_extensions_check_server, and renegotiation_info only when the
 * client sent the extension or TLS_EMPTY_RENEGOTIATION_INFO_SCSV
 * (RFC 5746, 3.4 and 3.6).  Returns 0 or unsupported_extension. */
int      tls_client_hello_check_server_extensions (const TlsClientHello *m,
                                                   const TlsExtensions *server,
                                                   guint16 *bad_type);
gboolean tls_client_hello_offers_compression (const TlsClientHello *m, guint8 method);

G_END_DECLS
