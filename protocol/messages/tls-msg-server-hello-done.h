/* tls-msg-server-hello-done.h — ServerHelloDone (RFC 5246, 7.4.5): a pure
 * codec of an empty body.
 *
 *     struct { } ServerHelloDone;
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

/* Returns 0, or decode_error when the body is not empty. */
int  tls_server_hello_done_parse (TlsReader *r);
void tls_server_hello_done_write (TlsWriter *w);   /* writes nothing */

G_END_DECLS
