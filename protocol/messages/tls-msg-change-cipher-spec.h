/* tls-msg-change-cipher-spec.h — ChangeCipherSpec (RFC 5246, 7.1): a pure
 * codec.  It travels in its own record type (change_cipher_spec, 20).
 *
 *     struct {
 *         enum { change_cipher_spec(1), (255) } type;
 *     } ChangeCipherSpec;
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

/* Returns 0; decode_error when R does not hold exactly one byte;
 * illegal_parameter when that byte is not 1. */
int  tls_change_cipher_spec_parse (TlsReader *r);
void tls_change_cipher_spec_write (TlsWriter *w);

G_END_DECLS
