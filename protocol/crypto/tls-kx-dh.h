/* tls-kx-dh.h — finite-field Diffie-Hellman for the DHE_RSA, DHE_DSS,
 * DH_RSA and DH_DSS key exchanges (RFC 5246, 7.4.3, 7.4.7.2 and 8.1.2).
 *
 *     struct {
 *         opaque dh_p<1..2^16-1>;
 *         opaque dh_g<1..2^16-1>;
 *         opaque dh_Ys<1..2^16-1>;
 *     } ServerDHParams;                              (RFC 5246, 7.4.3)
 *
 *     struct {
 *         select (PublicValueEncoding) {
 *             case implicit: struct { };
 *             case explicit: opaque dh_Yc<1..2^16-1>;
 *         } dh_public;
 *     } ClientDiffieHellmanPublic;                   (RFC 5246, 7.4.7.2)
 *
 * Each side picks a secret exponent x and sends Y = g^x mod p; both then
 * compute Z = (peer's Y)^x mod p.  "A conventional Diffie-Hellman
 * computation is performed.  The negotiated key (Z) is used as the
 * pre_master_secret ... Leading bytes of Z that contain all zero bits are
 * stripped before it is used as the pre_master_secret." (RFC 5246, 8.1.2)
 *
 * The groups we offer are the RFC 7919 ones (ffdhe2048 by default,
 * ffdhe3072); a peer may send any group, whose size and shape
 * tls_dh_check_params() checks.  Static DH (DH_RSA, DH_DSS: the server's
 * Y is in its certificate, its x in its key file) is historical: no live
 * peer speaks it any more.  Arithmetic is GMP's; the secret exponentiation
 * uses mpz_powm_sec (constant time). */
#pragma once

#include <glib.h>

#include "tls-keys.h"
#include "tls-rng.h"

G_BEGIN_DECLS

/* NamedGroup values of the RFC 7919 groups (RFC 7919, 2). */
#define TLS_GROUP_FFDHE2048 256
#define TLS_GROUP_FFDHE3072 257

/* The smallest p we accept by default (bits).  A teacher may lower it
 * (e.g. to 1024) to show an old server's group being accepted. */
#define TLS_DH_DEFAULT_MIN_BITS 2048

/* A named group: p (big-endian, no leading zeros) and g. */
typedef struct
{
  const char   *name;          /* "ffdhe2048" */
  guint16       named_group;   /* TLS_GROUP_FFDHE2048 */
  guint         bits;          /* size of p */
  const guint8 *p;
  gsize         p_len;
  guint8        g;             /* 2 */
  guint         exponent_bits; /* secret exponent size (RFC 7919, 5.2) */
} TlsDhGroup;

/* The parameters of one exchange, as they are on the wire: p and g as
 * big-endian unsigned integers (borrowed: the caller keeps them alive
 * while they are in use). */
typedef struct
{
  const guint8 *p;
  gsize         p_len;
  const guint8 *g;
  gsize         g_len;
} TlsDhParams;

const TlsDhGroup *tls_dh_group_ffdhe2048 (void);
const TlsDhGroup *tls_dh_group_ffdhe3072 (void);
/* By NamedGroup or by name ("ffdhe2048"); NULL when unknown. */
const TlsDhGroup *tls_dh_group_by_id     (guint16 named_group);
const TlsDhGroup *tls_dh_group_by_name   (const char *name);
/* PARAMS pointing into GROUP's static p and g. */
void              tls_dh_group_params    (const TlsDhGroup *group, TlsDhParams *params);

/* Is P (big-endian, leading zeros allowed) one of the known groups' p?
 * *NAME (may be NULL) gets its name. */
gboolean tls_dh_is_known_group (const guint8 *p, gsize len, const char **name);

/* Checks a group a peer sent (ServerDHParams.dh_p, dh_g).  Returns 0, or
 * the alert to send, with a sentence for the trace in *REASON (may be
 * NULL; free it):
 *   illegal_parameter      p is empty, even, smaller than 3 or not prime
 *                          (probabilistic test, skipped for known
 *                          groups); g is not in the range 1 < g < p-1;
 *   insufficient_security  p has fewer than MIN_BITS bits (0: the
 *                          default, TLS_DH_DEFAULT_MIN_BITS).
 * RFC 5246 names no alert for a weak group; insufficient_security is the
 * one it defines for "requires ... more secure" parameters (7.2.2). */
int      tls_dh_check_params   (const guint8 *p, gsize plen,
                                const guint8 *g, gsize glen,
                                guint min_bits, char **reason);

/* ------------------------------------------------------------------ */
/* Keys                                                                */

typedef struct _TlsDhKey TlsDhKey;

/* A fresh key for PARAMS: x from RNG (the group's exponent size for a
 * known group; otherwise 2 * the security strength of p, at least 256
 * bits, or uniform in [2, p-2] for a small teaching p) and Y = g^x mod p.
 * NULL when PARAMS are not usable at all (p < 5 or even, g out of range):
 * check them first with tls_dh_check_params(). */
TlsDhKey *tls_dh_keygen           (const TlsDhParams *params, TlsRng *rng);
/* A key with a given secret X (big-endian), for tests and known answers. */
TlsDhKey *tls_dh_key_new_private  (const TlsDhParams *params,
                                   const guint8 *x, gsize x_len);
void      tls_dh_key_free         (TlsDhKey *key);

/* The public value Y, big-endian, padded with leading zeros to p's length
 * (as dh_Ys / dh_Yc are sent). */
GBytes   *tls_dh_key_public       (const TlsDhKey *key);
/* The key's p and g (pointing into KEY). */
void      tls_dh_key_params       (const TlsDhKey *key, TlsDhParams *params);
guint     tls_dh_key_bits         (const TlsDhKey *key);   /* size of p */
gboolean  tls_dh_key_has_private  (const TlsDhKey *key);

/* Z = peer_Y^x mod p, with the leading zero bytes stripped (RFC 5246,
 * 8.1.2), into *Z.  FALSE, with *REASON (may be NULL; free it), when
 * PEER_Y is empty or not in the range 1 < Y < p-1, when for a known
 * (safe-prime) group Y is outside the subgroup of order q = (p-1)/2
 * (RFC 7919, 5.1), or when KEY has no private part.
 * The alert is the caller's: RFC 7919, 3: "the client MUST verify that
 * dh_Ys is in the range 1 < dh_Ys < dh_p - 1.  If dh_Ys is not in this
 * range, the client MUST terminate the connection with a fatal
 * handshake_failure(40) alert" (and section 4 the same for dh_Yc) when the
 * group was negotiated the RFC 7919 way; illegal_parameter otherwise. */
gboolean  tls_dh_shared           (const TlsDhKey *key, const guint8 *peer_y,
                                   gsize len, GBytes **Z, char **reason);

/* ------------------------------------------------------------------ */
/* Static DH (DH_RSA, DH_DSS)                                          */

/* The server's DH key as its certificate carries it (TLS_PK_DH: p, g and
 * y; RFC 3279, 2.3.3).  Public only.  NULL if PUB is not a DH key. */
TlsDhKey *tls_dh_key_from_certificate_public (const TlsPublicKey *pub);

/* The server's DH private key from a PEM file: PKCS#8 "PRIVATE KEY" with
 * the algorithm dhpublicnumber (1.2.840.10046.2.1, RFC 3279, 2.3.3) and
 * DomainParameters, as `openssl genpkey` writes it.  Y is computed from x.
 * TLS_PKI_ERROR_* on failure. */
TlsDhKey *tls_dh_key_from_private_key      (const TlsPrivateKey *priv, GError **error);
TlsDhKey *tls_dh_key_from_private_key_file (const char *path, GError **error);
TlsDhKey *tls_dh_key_from_private_key_pem  (const char *text, gsize len,
                                            GError **error);

/* Do KEY's p, g and Y equal PUB's (the certificate's)? */
gboolean  tls_dh_key_matches_public (const TlsDhKey *key, const TlsPublicKey *pub);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsDhKey, tls_dh_key_free)

G_END_DECLS
