/* tls-trace-page.h — the page `serve --www` answers a browser with: its
 * own handshake explained, from the connection's trace.
 *
 * The summary (version, suite, new or resumed, result, the User-Agent the
 * browser sent), the ClientHello field by field (client_version, random,
 * session_id, each cipher suite with what it means and whether this server
 * accepts it, compression, each extension with its value and what it is
 * for, GREASE values named as such), the server's decisions with their
 * reasons, the certificate chain, the steps that followed, the first fatal
 * alert with its reason, and the ClientHello's field table and bytes.
 * Each explanation names its RFC section.  Every value comes from the
 * trace; what it does not hold is shown as unknown.  HTML and CSS only. */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

/* The page of CONNECTION of TRACE (UTF-8 HTML, NUL-terminated). */
char *tls_trace_to_class_page (const TlsTrace *trace, guint connection);
/* The User-Agent of the client's first HTTP request in CONNECTION (the
 * client's first application data), or NULL when it sent none. */
char *tls_trace_user_agent    (const TlsTrace *trace, guint connection);

G_END_DECLS
