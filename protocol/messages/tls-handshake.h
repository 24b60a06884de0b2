/* tls-handshake.h — the handshake message header, and the small helpers the
 * message codecs (tls-msg-*.c) share.
 *
 * RFC 5246, 7.4:
 *
 *     struct {
 *         HandshakeType msg_type;    // handshake type
 *         uint24 length;             // bytes in message
 *         select (HandshakeType) { ... } body;
 *     } Handshake;
 *
 * Field trees: the header's fields ("msg_type", "length") and the body's
 * fields are all children of the same node (the message root), so a view
 * shows the message flat, as the RFC lists it.
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

#define TLS_HANDSHAKE_HEADER_LEN 4

/* The RFC's enum name of a HandshakeType: "client_hello". */
const char *tls_handshake_type_rfc_name (guint8 msg_type);

/* ---- Writing ---------------------------------------------------------- */

/* Writes msg_type (noted "client_hello (1)") and a uint24 "length"
 * placeholder; write the body with W, then call tls_handshake_end, which
 * fills in the length. */
void      tls_handshake_begin (TlsWriter *w, guint8 msg_type, TlsWriterMark *m);
void      tls_handshake_end   (TlsWriter *w, TlsWriterMark *m);

/* ---- Reading ---------------------------------------------------------- */

/* Looks at DATA without consuming it: TRUE when it starts with a whole
 * handshake message (4-byte header and all of its body), with its type
 * and body length.  FALSE when fewer than 4 bytes are there or the body is
 * not all there yet (wait for more records: reassembly). */
gboolean  tls_handshake_peek  (const guint8 *data, gsize len,
                               guint8 *type, guint32 *body_len);

/* Splits DATA into whole handshake messages, each appended to MESSAGES
 * (a GPtrArray of GBytes*, header included, in order).  Returns the
 * number of bytes consumed; the rest is the start of a message whose body
 * has not all arrived. */
gsize     tls_handshake_split (const guint8 *data, gsize len, GPtrArray *messages);

/* Reads msg_type and length from R and opens BODY over the next LENGTH
 * bytes (fields of the body go in R's node).  Returns 0, or decode_error
 * when the header is cut short or the body is shorter than LENGTH.
 * BODY is to be parsed by the message's codec, which checks that it is
 * used up exactly.  Bytes after the body are left in R. */
int       tls_handshake_parse_header (TlsReader *r, guint8 *type, guint32 *len,
                                      TlsReader *body);

/* ---- Helpers shared by the codecs ------------------------------------- */

/* opaque NAME<MIN..MAX> with a LEN_BYTES length prefix.  The field NAME
 * holds "length" and "data" children; its value is a hex preview.  *OUT is
 * a new GBytes (possibly empty) on success, NULL on failure. */
gboolean  tls_handshake_read_opaque  (TlsReader *r, guint len_bytes, gsize min, gsize max,
                                      const char *name, GBytes **out);
/* The same, written; DATA may be NULL for an empty vector. */
void      tls_handshake_write_opaque (TlsWriter *w, guint len_bytes, const char *name,
                                      GBytes *data);

/* Random (RFC 5246, 7.4.1.2) as a group "random" with "gmt_unix_time"
 * and "random_bytes". */
gboolean  tls_handshake_read_random  (TlsReader *r, guint8 random[32]);
void      tls_handshake_write_random (TlsWriter *w, const guint8 random[32]);

/* SessionID session_id<0..32> (RFC 5246, 7.4.1.2). */
gboolean  tls_handshake_read_session_id  (TlsReader *r, guint8 id[32], guint8 *id_len);
void      tls_handshake_write_session_id (TlsWriter *w, const guint8 *id, guint8 id_len);

/* ProtocolVersion NAME, noted "TLS 1.2 (0x0303)". */
gboolean  tls_handshake_read_version  (TlsReader *r, const char *name, guint16 *version);
void      tls_handshake_write_version (TlsWriter *w, const char *name, guint16 version);

G_END_DECLS
