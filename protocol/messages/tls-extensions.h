/* tls-extensions.h — hello extensions (RFC 5246, 7.4.1.4), kept as a list
 * of (type, raw extension_data), with typed builders and accessors for
 * those the engine understands:
 *
 *   server_name             RFC 6066, 3
 *   supported_groups        RFC 8422, 5.1.1 (was elliptic_curves, RFC 4492); RFC 7919
 *   ec_point_formats        RFC 8422, 5.1.2
 *   signature_algorithms    RFC 5246, 7.4.1.4.1
 *   encrypt_then_mac        RFC 7366, 2
 *   extended_master_secret  RFC 7627, 5.1
 *   session_ticket          RFC 5077, 3.2
 *   renegotiation_info      RFC 5746, 3.2
 *   and those of TLS 1.3: tls13-extensions.h
 *
 * Others are kept, shown as bytes, and skipped.  The raw data is what is
 * written back, so a parsed list writes back byte for byte.
 *
 *     struct {
 *         ExtensionType extension_type;
 *         opaque extension_data<0..2^16-1>;
 *     } Extension;
 *
 *     Extension extensions<0..2^16-1>;
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

typedef struct
{
  guint16  type;
  GBytes  *data;      /* extension_data, as on the wire (never NULL) */
} TlsExtension;

typedef struct
{
  gboolean present;   /* the extensions block is on the wire (possibly empty) */
  GArray  *list;      /* of TlsExtension, wire order; NULL when empty */
} TlsExtensions;

/* Where the list sits: some extensions have a different body in the
 * ServerHello (server_name and session_ticket are empty there). */
typedef enum
{
  TLS_EXTENSIONS_CLIENT_HELLO,
  TLS_EXTENSIONS_SERVER_HELLO,          /* and HelloRetryRequest */
  /* TLS 1.3 (RFC 8446, 4.2): the other messages that carry extensions */
  TLS_EXTENSIONS_ENCRYPTED_EXTENSIONS,
  TLS_EXTENSIONS_CERTIFICATE_REQUEST,
  TLS_EXTENSIONS_CERTIFICATE,
  TLS_EXTENSIONS_NEW_SESSION_TICKET,
} TlsExtensionsContext;

void          tls_extensions_init   (TlsExtensions *e);   /* empty, not present */
void          tls_extensions_clear  (TlsExtensions *e);
void          tls_extensions_copy   (TlsExtensions *dst, const TlsExtensions *src);
guint         tls_extensions_count  (const TlsExtensions *e);
const TlsExtension *tls_extensions_get (const TlsExtensions *e, guint i);
/* The extension_data of TYPE (borrowed), or NULL when absent. */
GBytes       *tls_extensions_find   (const TlsExtensions *e, guint16 type);
gboolean      tls_extensions_has    (const TlsExtensions *e, guint16 type);
/* Appends (TYPE, DATA) and marks the block present.  DATA may be NULL for
 * empty extension_data.  Adding a type twice is a programming error. */
void          tls_extensions_add    (TlsExtensions *e, guint16 type, GBytes *data);
gboolean      tls_extensions_remove (TlsExtensions *e, guint16 type);

/* Reads the extensions block if there is one: an empty R means no block
 * (RFC 5246, 7.4.1.2: the client "MAY" leave extensions out, and the
 * body then ends after compression_methods).  The block must then fill
 * R; the caller checks that R is done.  Returns 0 or the alert:
 * decode_error for a bad length or a malformed known extension,
 * illegal_parameter for a repeated extension type. */
int           tls_extensions_parse  (TlsReader *r, TlsExtensions *e, TlsExtensionsContext ctx);
/* Writes the block if E->present. */
void          tls_extensions_write  (TlsWriter *w, const TlsExtensions *e, TlsExtensionsContext ctx);

/* RFC 5246, 7.4.1.4: "An extension type MUST NOT appear in the ServerHello
 * unless the same extension type appeared in the corresponding
 * ClientHello ... unsupported_extension"; and 7.4.1.4.1: servers MUST NOT
 * send signature_algorithms.  Returns 0 or unsupported_extension, and
 * the offending type in *BAD_TYPE (may be NULL).
 * renegotiation_info is let through: a server answers the client's
 * TLS_EMPTY_RENEGOTIATION_INFO_SCSV (a cipher suite, not an extension)
 * with it (RFC 5746, 3.6).  tls_client_hello_check_server_extensions
 * (tls-msg-client-hello.h) checks that one too. */
int           tls_extensions_check_server (const TlsExtensions *server,
                                           const TlsExtensions *client,
                                           guint16 *bad_type);

/* ---- Builders (each appends one extension) ---------------------------- */

/* ClientHello: ServerNameList with one host_name.  ServerHello: pass NULL
 * for the empty acknowledgement (RFC 6066, 3). */
void          tls_extensions_add_server_name          (TlsExtensions *e, const char *host);
void          tls_extensions_add_u16_list         (TlsExtensions *e, guint16 type, guint len_bytes,
                                                   const guint16 *values, guint n);
void          tls_extensions_add_supported_groups     (TlsExtensions *e, const guint16 *groups, guint n);
void          tls_extensions_add_ec_point_formats     (TlsExtensions *e, const guint8 *formats, guint n);
void          tls_extensions_add_signature_algorithms (TlsExtensions *e, const guint16 *sigalgs, guint n);
/* renegotiated_connection: empty on an initial handshake (RFC 5746, 3.4). */
void          tls_extensions_add_renegotiation_info   (TlsExtensions *e, const guint8 *data, gsize len);
void          tls_extensions_add_extended_master_secret (TlsExtensions *e);
void          tls_extensions_add_encrypt_then_mac     (TlsExtensions *e);
/* ClientHello: the ticket (NULL or empty: "I support tickets, have none").
 * ServerHello: NULL (empty: "I will send a NewSessionTicket"). */
void          tls_extensions_add_session_ticket       (TlsExtensions *e, GBytes *ticket);
/* RFC 7301: the NULL-terminated protocol names (ClientHello: the offer;
 * ServerHello: the one selected). */
void          tls_extensions_add_alpn                 (TlsExtensions *e, const char *const *protocols);

/* ---- Accessors: absent or malformed gives NULL ------------------------ */

char         *tls_extensions_get_server_name          (const TlsExtensions *e); /* host_name, or NULL */
GArray       *tls_extensions_get_supported_groups     (const TlsExtensions *e); /* of guint16 */
GBytes       *tls_extensions_get_ec_point_formats     (const TlsExtensions *e); /* one byte each */
GArray       *tls_extensions_get_signature_algorithms (const TlsExtensions *e); /* of guint16 */
GBytes       *tls_extensions_get_renegotiation_info   (const TlsExtensions *e); /* renegotiated_connection */
GBytes       *tls_extensions_get_session_ticket       (const TlsExtensions *e); /* the ticket (maybe empty) */
GPtrArray    *tls_extensions_get_alpn                 (const TlsExtensions *e); /* of char*, in order */
/* extended_master_secret, encrypt_then_mac: use tls_extensions_has. */

/* ---- Names ------------------------------------------------------------ */

/* NamedGroup (RFC 8422, 5.1.1; RFC 7919, 2): "x25519", "ffdhe2048",
 * "unknown" for others. */
const char   *tls_extensions_group_name        (guint16 group);
/* ECPointFormat (RFC 8422, 5.1.2): "uncompressed", or "unknown". */
const char   *tls_extensions_point_format_name (guint8 format);

G_END_DECLS
