/* rfc8448.h — the values of RFC 8448's example handshakes, read from
 * tests/data/rfc8448/ (in the RFC's own layout) for the TLS 1.3 tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _Rfc8448 Rfc8448;

/* Loads tests/data/rfc8448/FILE; the test fails when it cannot, or when a
 * value does not have the number of octets the file says it has. */
Rfc8448 *rfc8448_load (const char *file);
void     rfc8448_free (Rfc8448 *r);
/* The Nth (from 0) value NAME under a step whose line starts with STEP
 * ("{server}  derive secret \"tls13 c hs traffic\""); the test fails when
 * there is none.  Owned by R. */
GBytes  *rfc8448_nth  (Rfc8448 *r, const char *step, const char *name, guint n);
#define  rfc8448_get(r, step, name) rfc8448_nth ((r), (step), (name), 0)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rfc8448, rfc8448_free)

G_END_DECLS
