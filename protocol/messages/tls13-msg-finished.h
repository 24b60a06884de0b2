/* tls13-msg-finished.h — the TLS 1.3 Finished (RFC 8446, 4.4.4): a pure
 * codec.
 *
 *     struct {
 *         opaque verify_data[Hash.length];
 *     } Finished;
 *
 * "In previous versions of TLS, the verify_data was always 12 octets long.
 * In TLS 1.3, it is the size of the HMAC output for the Hash used for the
 * handshake."  The computation is tls13_compute_finished
 * (tls13-key-schedule.h).
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

#define TLS13_MAX_VERIFY_DATA 48

typedef struct
{
  guint8 verify_data[TLS13_MAX_VERIFY_DATA];
  gsize  len;          /* Hash.length: 32 or 48 */
} Tls13Finished;

/* Returns 0, or decode_error when the body is not exactly HASH_LEN bytes. */
int  tls13_finished_parse (TlsReader *r, gsize hash_len, Tls13Finished *m);
void tls13_finished_write (TlsWriter *w, const Tls13Finished *m);

G_END_DECLS
