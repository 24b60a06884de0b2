/* tls-msg-finished.h — Finished (RFC 5246, 7.4.9): a pure codec.
 *
 *     struct {
 *         opaque verify_data[verify_data_length];
 *     } Finished;
 *
 * verify_data_length is 12 for every cipher suite the engine knows
 * (RFC 5246: "In previous versions of TLS, the verify_data was always 12
 * octets long"; no suite of ours says otherwise).
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-types.h"

G_BEGIN_DECLS

typedef struct
{
  guint8 verify_data[TLS_VERIFY_DATA_LEN];
} TlsFinished;

/* Returns 0, or decode_error when the body is not exactly 12 bytes. */
int  tls_finished_parse (TlsReader *r, TlsFinished *m);
void tls_finished_write (TlsWriter *w, const TlsFinished *m);

G_END_DECLS
