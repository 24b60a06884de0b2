/* tls-msg-server-hello-done.c — ServerHelloDone (RFC 5246, 7.4.5). */
#include "tls-msg-server-hello-done.h"
#include "tls-alert.h"

/*     struct { } ServerHelloDone;
 *
 * An empty body: any byte in it means the message is not what it claims
 * (decode_error, RFC 5246, 7.2.2). */
int
tls_server_hello_done_parse (TlsReader *r)
{
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  return r->error;
}

void
tls_server_hello_done_write (TlsWriter *w)
{
}
