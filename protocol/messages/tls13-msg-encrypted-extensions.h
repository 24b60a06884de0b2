/* tls13-msg-encrypted-extensions.h — EncryptedExtensions (RFC 8446,
 * 4.3.1): a pure codec.
 *
 *     struct {
 *         Extension extensions<0..2^16-1>;
 *     } EncryptedExtensions;
 *
 * The first message the server encrypts (under keys from the
 * server_handshake_traffic_secret): the extensions that are not needed to
 * set up the keys move here from the ServerHello.
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-extensions.h"

G_BEGIN_DECLS

typedef struct
{
  TlsExtensions extensions;
} Tls13EncryptedExtensions;

void tls13_encrypted_extensions_init  (Tls13EncryptedExtensions *m);
void tls13_encrypted_extensions_clear (Tls13EncryptedExtensions *m);
/* Returns 0, or decode_error (the list is not there or not exactly the
 * body), illegal_parameter (a type twice). */
int  tls13_encrypted_extensions_parse (TlsReader *r, Tls13EncryptedExtensions *m);
void tls13_encrypted_extensions_write (TlsWriter *w, const Tls13EncryptedExtensions *m);

G_END_DECLS
