/* tls-transport.c — blocking sockets with poll() time-outs. */
#define _GNU_SOURCE
#include "tls-transport.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static gboolean
set_errno_error (GError **error, int err, const char *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "%s: %s", what, g_strerror (err));
  return FALSE;
}

gboolean
tls_transport_parse_address (const char *text, char **host, guint16 *port, GError **error)
{
  const char *colon;
  g_autofree char *h = NULL;
  const char *port_text;
  guint64 p;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "empty address");
      return FALSE;
    }
  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');
      if (end == NULL || end[1] != ':')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s”: expected [IPv6]:PORT", text);
          return FALSE;
        }
      h = g_strndup (text + 1, end - text - 1);
      port_text = end + 2;
    }
  else if ((colon = strrchr (text, ':')) != NULL)
    {
      h = g_strndup (text, colon - text);
      port_text = colon + 1;
    }
  else
    {
      h = g_strdup ("127.0.0.1");
      port_text = text;
    }
  if (!g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &p, NULL) || *h == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s”: expected HOST:PORT with a port from 0 to 65535", text);
      return FALSE;
    }
  *host = g_steal_pointer (&h);
  *port = (guint16) p;
  return TRUE;
}

static struct addrinfo *
resolve (const char *host, guint16 port, gboolean passive, GError **error)
{
  struct addrinfo hints = { 0 }, *res = NULL;
  char service[8];
  int rc;

  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  g_snprintf (service, sizeof service, "%u", port);
  rc = getaddrinfo (host, service, &hints, &res);
  if (rc != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "cannot resolve “%s”: %s",
                   host, gai_strerror (rc));
      return NULL;
    }
  return res;
}

int
tls_transport_listen (const char *host, guint16 port, guint16 *bound_port, GError **error)
{
  struct addrinfo *res = resolve (host, port, TRUE, error);
  int fd = -1, err = 0, one = 1;

  if (res == NULL)
    return -1;
  for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
    {
      fd = socket (ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0)
        continue;
      setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (bind (fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen (fd, 64) == 0)
        break;
      err = errno;
      close (fd);
      fd = -1;
    }
  freeaddrinfo (res);
  if (fd < 0)
    {
      g_autofree char *what = g_strdup_printf ("cannot listen on %s:%u", host, port);
      set_errno_error (error, err ? err : EADDRNOTAVAIL, what);
      return -1;
    }
  if (bound_port)
    {
      struct sockaddr_storage ss;
      socklen_t sl = sizeof ss;
      getsockname (fd, (struct sockaddr *) &ss, &sl);
      *bound_port = ss.ss_family == AF_INET6
        ? ntohs (((struct sockaddr_in6 *) &ss)->sin6_port)
        : ntohs (((struct sockaddr_in *) &ss)->sin_port);
    }
  return fd;
}

static int
wait_fd (int fd, short events, int timeout_ms, GError **error)
{
  struct pollfd p = { .fd = fd, .events = events };
  gint64 deadline = timeout_ms < 0 ? -1 : g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      int left = timeout_ms < 0 ? -1
        : (int) MAX (0, (deadline - g_get_monotonic_time ()) / 1000);
      int rc = poll (&p, 1, left);
      if (rc > 0)
        return 0;
      if (rc == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "no answer from the peer within %d ms", timeout_ms);
          return -1;
        }
      if (errno != EINTR)
        return set_errno_error (error, errno, "poll"), -1;
    }
}

int
tls_transport_accept (int listen_fd, int timeout_ms, GError **error)
{
  int fd, one = 1;

  if (wait_fd (listen_fd, POLLIN, timeout_ms, error) < 0)
    return -1;
  fd = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0)
    return set_errno_error (error, errno, "accept"), -1;
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

int
tls_transport_connect (const char *host, guint16 port, int timeout_ms, GError **error)
{
  struct addrinfo *res = resolve (host, port, FALSE, error);
  int fd = -1, err = ECONNREFUSED, one = 1;

  if (res == NULL)
    return -1;
  for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next)
    {
      int flags, rc;
      socklen_t el = sizeof err;

      fd = socket (ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0)
        {
          err = errno;
          continue;
        }
      flags = fcntl (fd, F_GETFL);
      fcntl (fd, F_SETFL, flags | O_NONBLOCK);
      rc = connect (fd, ai->ai_addr, ai->ai_addrlen);
      if (rc < 0 && errno == EINPROGRESS)
        {
          if (wait_fd (fd, POLLOUT, timeout_ms, NULL) < 0)
            err = ETIMEDOUT;
          else if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0)
            rc = 0;
        }
      else if (rc < 0)
        err = errno;
      if (rc < 0)
        {
          close (fd);
          fd = -1;
          continue;
        }
      fcntl (fd, F_SETFL, flags);
      setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
  freeaddrinfo (res);
  if (fd < 0)
    {
      g_autofree char *what = g_strdup_printf ("cannot connect to %s:%u", host, port);
      set_errno_error (error, err, what);
    }
  return fd;
}

gssize
tls_transport_read (int fd, guint8 *buf, gsize len, int timeout_ms, GError **error)
{
  for (;;)
    {
      gssize n;
      if (wait_fd (fd, POLLIN, timeout_ms, error) < 0)
        return -1;
      n = recv (fd, buf, len, 0);
      if (n >= 0)
        return n;
      if (errno == ECONNRESET)
        return 0;
      if (errno != EINTR && errno != EAGAIN)
        return set_errno_error (error, errno, "read"), -1;
    }
}

gboolean
tls_transport_write_all (int fd, const guint8 *data, gsize len, int timeout_ms, GError **error)
{
  while (len > 0)
    {
      /* Sent at once when the socket has room (MSG_DONTWAIT: no poll
       * first); else a wait for room, at most TIMEOUT_MS each time. */
      gssize n = send (fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0)
        {
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            {
              if (wait_fd (fd, POLLOUT, timeout_ms, error) < 0)
                return FALSE;
              continue;
            }
          if (errno == EINTR)
            continue;
          return set_errno_error (error, errno, "write");
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

gboolean
tls_transport_loopback_pair (int fds[2], GError **error)
{
  guint16 port;
  int lfd = tls_transport_listen ("127.0.0.1", 0, &port, error);

  if (lfd < 0)
    return FALSE;
  fds[0] = tls_transport_connect ("127.0.0.1", port, 5000, error);
  if (fds[0] < 0)
    {
      close (lfd);
      return FALSE;
    }
  fds[1] = tls_transport_accept (lfd, 5000, error);
  close (lfd);
  if (fds[1] < 0)
    {
      close (fds[0]);
      return FALSE;
    }
  return TRUE;
}

void
tls_transport_close (int fd)
{
  if (fd >= 0)
    close (fd);
}
