/* tls-serve.h — one connection of our server with a real client, from the
 * accepted socket to close_notify: what `serve` runs in a thread per
 * client and what the window runs when it serves a class.
 *
 * The handshake runs to its end; then, when a page function is given (the
 * --www mode), one HTTP request is read (its head ends with an empty line,
 * CRLF or bare LF: RFC 9112, 2.2) and answered with "HTTP/1.0 200 ok" and
 * the page made from the connection's trace so far; then close_notify
 * (RFC 5246, 7.2.1) and whatever the client still sends is read.  Every
 * wait is bounded by TIMEOUT_MS. */
#pragma once

#include <glib.h>
#include "tls-conductor.h"
#include "tls-config.h"
#include "tls-trace.h"

G_BEGIN_DECLS

/* Makes the page (UTF-8 HTML) of CONNECTION of TRACE. */
typedef char *(*TlsServePageFunc) (const TlsTrace *trace, guint connection);

/* Serves the client on FD (taken: closed with the conductor, or at once
 * on failure) with CFG, recording into TRACE.  Returns the conductor (the
 * caller reads its state and frees it), or NULL with ERROR when it could
 * not start.  What went wrong after the handshake goes to NOTES, a line
 * each. */
TlsConductor *tls_serve_connection   (const TlsConfig *cfg, int fd, TlsTrace *trace,
                                      int timeout_ms, TlsServePageFunc page,
                                      GString *notes, GError **error);
/* "127.0.0.1:54321" or "[::1]:54321" of the peer of FD, or "?". */
char         *tls_serve_peer_address (int fd);

/* After the handshake: the application data received until one of ENDS
 * appears, MAX_LEN bytes arrived or the peer closed (an empty GBytes when
 * it closed at once); NULL with ERROR on a time-out or failure. */
GBytes       *tls_serve_receive_until (TlsConductor *c, const char *const *ends,
                                       gsize max_len, int timeout_ms, GError **error);
/* close_notify, then read (and trace) what the peer still sends until it
 * closes, for at most TIMEOUT_MS. */
gboolean      tls_serve_close         (TlsConductor *c, int timeout_ms, GError **error);

G_END_DECLS
