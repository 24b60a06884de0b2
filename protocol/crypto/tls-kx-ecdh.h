/* tls-kx-ecdh.h — elliptic-curve Diffie-Hellman for ECDHE_RSA and
 * ECDHE_ECDSA (RFC 8422), over X25519 and X448 (RFC 7748) and the NIST curves
 * secp256r1 and secp384r1 (SEC 2), with Nettle.
 *
 *     struct {
 *         opaque point <1..2^8-1>;
 *     } ECPoint;                                     (RFC 8422, 5.4)
 *
 * For the NIST curves the point is sent uncompressed, 04 || X || Y (SEC 1,
 * 2.3.3; the only format RFC 8422, 5.1.2 keeps); for X25519 and X448 it
 * is the 32- or 56-byte u-coordinate (RFC 8422, 5.11 and RFC 7748, 5).
 *
 * The premaster secret Z is the x-coordinate of the shared point, as many
 * bytes as the field has, leading zeros kept (RFC 8422, 5.10: "the
 * FE2OSP ... output"), or the 32 / 56 bytes X25519 / X448 return. */
#pragma once

#include <glib.h>

#include "tls-rng.h"

G_BEGIN_DECLS

/* NamedGroup values (IANA, RFC 8422, 5.1.1). */
#define TLS_GROUP_SECP256R1 23
#define TLS_GROUP_SECP384R1 24
#define TLS_GROUP_X25519    29
#define TLS_GROUP_X448      30

typedef struct _TlsEcdhKey TlsEcdhKey;

/* x25519, x448, secp256r1, secp384r1. */
gboolean    tls_ecdh_group_supported (guint16 group);
/* The length of the group's public value on the wire: 32 for X25519, 56
 * for X448, 65 for secp256r1, 97 for secp384r1; 0 for a group we do not
 * support. */
gsize       tls_ecdh_public_len      (guint16 group);

/* A fresh key pair for GROUP with a secret from RNG (32 random bytes for
 * X25519, 56 for X448; a scalar uniform in [1, q-1] for the NIST curves).  NULL for an
 * unsupported group. */
TlsEcdhKey *tls_ecdh_keygen          (guint16 group, TlsRng *rng);
/* A key with a given secret, for tests and known answers: 32 bytes for
 * X25519, 56 for X448 (as RFC 7748 has them, clamped by Nettle), a big-endian scalar
 * for the NIST curves (leading zeros allowed; NULL unless 0 < k < q). */
TlsEcdhKey *tls_ecdh_key_from_private (guint16 group, const guint8 *priv, gsize len);
void        tls_ecdh_key_free        (TlsEcdhKey *key);
guint16     tls_ecdh_key_group       (const TlsEcdhKey *key);

/* The public value as sent in ECPoint. */
GBytes     *tls_ecdh_public          (const TlsEcdhKey *key);

/* Checks a peer's ECPoint for GROUP without using it: the length, the
 * 04 prefix and the curve equation (NIST curves).  Returns 0, or
 * illegal_parameter with a sentence for the trace in *REASON (may be NULL;
 * free it); handshake_failure for a group we do not support. */
int         tls_ecdh_check_public    (guint16 group, const guint8 *peer, gsize len,
                                      char **reason);

/* Z from our KEY and the peer's ECPoint.  Returns 0 with *Z set, or the
 * alert: illegal_parameter for a point that is not valid (wrong length,
 * not uncompressed, not on the curve: RFC 8422, 5.11) and for an X25519
 * or X448 result of all zeros (RFC 7748, 6.1; RFC 8422, 5.11), with *REASON
 * (may be NULL; free it). */
int         tls_ecdh_shared          (const TlsEcdhKey *key, const guint8 *peer, gsize len,
                                      GBytes **Z, char **reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsEcdhKey, tls_ecdh_key_free)

G_END_DECLS
