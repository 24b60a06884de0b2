/* tls-rng.h — where an endpoint's randomness and clock come from.
 *
 * The engine never calls the OS for random bytes or time: both come in
 * through a TlsRng (as picotls passes random_bytes and get_time).  Seeded,
 * it is a deterministic generator (SHA-256 in counter mode over the seed),
 * so the same seed gives byte-for-byte the same run; live, it reads the
 * operating system's generator. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TlsRng TlsRng;

TlsRng  *tls_rng_new_seeded (guint64 seed, const char *stream);
TlsRng  *tls_rng_new_system (void);
void     tls_rng_free       (TlsRng *rng);
gboolean tls_rng_is_seeded  (const TlsRng *rng);
void     tls_rng_bytes      (TlsRng *rng, guint8 *out, gsize len);
/* In the shape of nettle_random_func, for Nettle's RSA and DSA calls. */
void     tls_rng_nettle     (void *rng, size_t len, guint8 *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsRng, tls_rng_free)

G_END_DECLS
