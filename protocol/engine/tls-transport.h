/* tls-transport.h — the thin socket layer beside the engine (like BearSSL's
 * ssl_io.c).  The endpoints never call it; the conductor and the command line
 * do.  Every wait has a timeout; errors come back as GError with a message
 * naming the problem. */
#pragma once

#include <glib.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* "HOST:PORT", "[::1]:PORT" or "PORT" (host 127.0.0.1). */
gboolean tls_transport_parse_address (const char *text, char **host, guint16 *port,
                                      GError **error);
/* Listens on HOST:PORT (port 0: any free port, *bound_port says which). */
int      tls_transport_listen  (const char *host, guint16 port, guint16 *bound_port,
                                GError **error);
/* Waits up to TIMEOUT_MS (-1: forever) for a client. */
int      tls_transport_accept  (int listen_fd, int timeout_ms, GError **error);
int      tls_transport_connect (const char *host, guint16 port, int timeout_ms,
                                GError **error);
/* Reads what is there (at most LEN), waiting up to TIMEOUT_MS for something.
 * Returns the count, 0 at end of stream, -1 on error or time-out
 * (G_IO_ERROR_TIMED_OUT). */
gssize   tls_transport_read    (int fd, guint8 *buf, gsize len, int timeout_ms,
                                GError **error);
gboolean tls_transport_write_all (int fd, const guint8 *data, gsize len, int timeout_ms,
                                  GError **error);
/* Makes a connected pair of TCP sockets over 127.0.0.1. */
gboolean tls_transport_loopback_pair (int fds[2], GError **error);
void     tls_transport_close   (int fd);

G_END_DECLS
