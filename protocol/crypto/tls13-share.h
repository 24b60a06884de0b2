/* tls13-share.h — the key pair behind a TLS 1.3 KeyShareEntry (RFC 8446,
 * 4.2.8) for every group we speak: the elliptic curves of tls-kx-ecdh.h
 * (4.2.8.2, 7.4.2) and the finite-field groups of RFC 7919 from
 * tls-kx-dh.h (4.2.8.1, 7.4.1).
 *
 * Finite field, unlike TLS 1.2: key_exchange is Y "encoded as a big-endian
 * integer and padded to the left with zeros to the size of p in bytes"
 * (4.2.8.1), and the shared secret Z is "left-padded with zeros up to the
 * size of the prime ... Note that this construction differs from previous
 * versions of TLS which removed leading zeros" (7.4.1). */
#pragma once

#include <glib.h>
#include "tls-rng.h"

G_BEGIN_DECLS

typedef struct _Tls13Share Tls13Share;

/* x25519, x448, secp256r1, secp384r1, ffdhe2048, ffdhe3072. */
gboolean    tls13_share_supported (guint16 group);
gboolean    tls13_share_is_ffdhe  (guint16 group);
/* A fresh key pair for GROUP from RNG; NULL for a group we do not speak. */
Tls13Share *tls13_share_new       (guint16 group, TlsRng *rng);
void        tls13_share_free      (Tls13Share *share);
/* KeyShareEntry.key_exchange: the point, or Y padded to the size of p. */
GBytes     *tls13_share_public    (const Tls13Share *share);
/* The shared secret with the peer's key_exchange PEER: 0 with *Z set, or
 * illegal_parameter with a sentence in *REASON (may be NULL; free it): a
 * bad point (tls_ecdh_shared), or for a finite-field group a key_exchange
 * that is not as long as p or a Y outside 1 < Y < p-1 (4.2.8.1). */
int         tls13_share_derive    (const Tls13Share *share, const guint8 *peer, gsize len,
                                   GBytes **Z, char **reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tls13Share, tls13_share_free)

G_END_DECLS
