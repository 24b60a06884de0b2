/* tls-serve.c — one connection of our server with a real client
 * (tls-serve.h). */
#define _GNU_SOURCE   /* memmem */
#include "config.h"
#include "tls-serve.h"
#include "tls-transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gi18n-lib.h>

#define MAX_REQUEST (16 * 1024)

static int
remaining_ms (gint64 deadline)
{
  gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
  return (int) CLAMP (left, 0, G_MAXINT);
}

GBytes *
tls_serve_receive_until (TlsConductor *c, const char *const *ends, gsize max_len, int timeout_ms,
                         GError **error)
{
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean done = FALSE;

  /* Each round takes at least one byte or ends: bounded by MAX_LEN. */
  while (!done && buf->len < max_len)
    {
      g_autoptr (GBytes) got = tls_conductor_receive (c, remaining_ms (deadline), error);
      gsize n;
      const guint8 *d;

      if (got == NULL)
        return NULL;
      d = g_bytes_get_data (got, &n);
      if (n == 0)
        break;                      /* the peer closed */
      g_byte_array_append (buf, d, n);
      for (guint i = 0; ends != NULL && ends[i] != NULL && !done; i++)
        done = ends[i][0] != '\0'
               && memmem (buf->data, buf->len, ends[i], strlen (ends[i])) != NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

gboolean
tls_serve_close (TlsConductor *c, int timeout_ms, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  /* RFC 5246, 7.2.1: "Unless some other fatal alert has been transmitted,
   * each party is required to send a close_notify alert before closing the
   * write side of the connection."  OpenSSL does not resume a session whose
   * connection just stopped.  A peer that closed first was answered
   * already, while its close_notify was read (tls-flow.c, handle_alert,
   * in TLS 1.3 too): then nothing more is sent here. */
  if (!tls_conductor_close (c, error))
    return FALSE;
  /* Whatever the peer still sends is read (and traced) until it closes;
   * closing with unread bytes would reset the connection. */
  for (guint i = 0; i < 1024; i++)
    {
      g_autoptr (GBytes) got = tls_conductor_receive (c, remaining_ms (deadline), error);

      if (got == NULL)
        return FALSE;
      if (g_bytes_get_size (got) == 0)
        return TRUE;
    }
  return TRUE;
}

char *
tls_serve_peer_address (int fd)
{
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  char host[INET6_ADDRSTRLEN] = "?";

  if (getpeername (fd, (struct sockaddr *) &ss, &sl) != 0)
    return g_strdup ("?");
  if (ss.ss_family == AF_INET6)
    {
      struct sockaddr_in6 *sa = (struct sockaddr_in6 *) &ss;
      inet_ntop (AF_INET6, &sa->sin6_addr, host, sizeof host);
      return g_strdup_printf ("[%s]:%u", host, ntohs (sa->sin6_port));
    }
  else
    {
      struct sockaddr_in *sa = (struct sockaddr_in *) &ss;
      inet_ntop (AF_INET, &sa->sin_addr, host, sizeof host);
      return g_strdup_printf ("%s:%u", host, ntohs (sa->sin_port));
    }
}

/* The HTTP exchange: one request, answered with the page. */
static void
answer_http (TlsConductor *c, TlsTrace *trace, int timeout_ms, TlsServePageFunc page,
             GString *notes)
{
  /* The head of the request ends with an empty line.  RFC 9112, 2.2:
   * "a recipient MAY recognize a single LF as a line terminator and
   * ignore any preceding CR": "\n\n" ends a head of bare LFs (or a
   * CRLF line then a bare LF), "\n\r\n" one of CRLFs or a bare LF
   * line then CRLF. */
  static const char *const head_ends[] = { "\n\n", "\n\r\n", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) request = tls_serve_receive_until (c, head_ends, MAX_REQUEST, timeout_ms,
                                                        &error);
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  TlsStep *last;

  if (request == NULL)
    {
      g_string_append_printf (notes, _("no HTTP request: %s\n"), error->message);
      return;
    }
  if (g_bytes_get_size (request) == 0)
    return;   /* the client closed without asking */
  last = tls_trace_last (trace);
  body = page (trace, last ? last->connection : 0);
  response = g_strdup_printf ("HTTP/1.0 200 ok\r\n"
                              "Content-Type: text/html; charset=utf-8\r\n"
                              "Content-Length: %zu\r\n"
                              "Connection: close\r\n"
                              "\r\n%s", strlen (body), body);
  if (!tls_conductor_send (c, (const guint8 *) response, strlen (response), &error))
    g_string_append_printf (notes, _("cannot answer: %s\n"), error->message);
}

TlsConductor *
tls_serve_connection (const TlsConfig *cfg, int fd, TlsTrace *trace, int timeout_ms,
                      TlsServePageFunc page, GString *notes, GError **error)
{
  g_autoptr (GError) close_error = NULL;
  TlsConductor *c = tls_conductor_new_peer (cfg, fd, trace, error);

  if (c == NULL)
    {
      tls_transport_close (fd);
      return NULL;
    }
  tls_conductor_set_timeout (c, timeout_ms);
  tls_conductor_run (c);
  if (tls_conductor_state (c) != TLS_RUN_COMPLETED)
    return c;
  if (page != NULL)
    answer_http (c, trace, timeout_ms, page, notes);
  if (!tls_serve_close (c, timeout_ms, &close_error))
    g_string_append_printf (notes, _("closing: %s\n"), close_error->message);
  return c;
}
