/* tls-kx-rsa.h — the RSA key exchange (RFC 5246, 7.4.7.1): the client
 * encrypts the 48-byte premaster secret with the server's RSA key
 * (RSAES-PKCS1-v1_5, RFC 8017, 7.2); the server decrypts it with the
 * countermeasure against Bleichenbacher's attack. */
#pragma once

#include <glib.h>
#include <nettle/rsa.h>

#include "tls-keys.h"
#include "tls-rng.h"

G_BEGIN_DECLS

/* What happened while the server decrypted the premaster, for the trace.
 * The server itself behaves the same in every case: a real server MUST
 * NOT let the peer learn any of this (the handshake then fails at
 * Finished, because the two sides hold different premaster secrets). */
typedef struct
{
  gboolean length_ok;       /* the ciphertext is as long as the modulus */
  gboolean padding_ok;      /* PKCS#1 v1.5 type 2 padding was well formed */
  gsize    message_len;     /* the length of the message found (if padding_ok) */
  gboolean size_ok;         /* ... and it was 48 bytes */
  guint16  version_found;   /* the first two bytes of the 48 (if size_ok) */
  gboolean version_ok;      /* they equal ClientHello.client_version */
  gboolean used_random;     /* premaster = client_version || R */
} TlsRsaDecryptResult;

/* RFC 5246, 7.4.7.1: EncryptedPreMasterSecret = RSAES-PKCS1-v1_5(PMS).
 * OUT gets the ciphertext (as many bytes as the modulus: TLS 1.0+ sends it
 * with a two-byte length in front, which is the caller's to write). */
gboolean tls_rsa_encrypt_premaster (const struct rsa_public_key *pub, TlsRng *rng,
                                    const guint8 pms[48], GBytes **out);

/* The server side, with the countermeasure of RFC 5246, 7.4.7.1:
 * R (46 random bytes) is drawn first; the ciphertext is decrypted without
 * branching on the result; if the padding is bad, the message is not 48
 * bytes or its version is not CLIENT_VERSION, the premaster becomes
 * CLIENT_VERSION || R.  PMS_OUT always gets 48 bytes.  RESULT (may be
 * NULL) says what happened, for the trace only. */
void     tls_rsa_decrypt_premaster (const TlsPrivateKey *key, TlsRng *rng,
                                    const guint8 *enc, gsize enc_len,
                                    guint16 client_version, guint8 pms_out[48],
                                    TlsRsaDecryptResult *result);

/* RSAES-PKCS1-v1_5 decryption (RFC 8017, 7.2.2), timing-resistant
 * (rsa_decrypt_tr, blinded with RNG).  OUT has room for *OUT_LEN bytes
 * (the modulus size is always enough); on success *OUT_LEN is the message
 * length.  FALSE for a ciphertext of the wrong length, not below the
 * modulus, or with bad padding. */
gboolean tls_rsa_pkcs1_decrypt     (const TlsPrivateKey *key, TlsRng *rng,
                                    const guint8 *ct, gsize ct_len,
                                    guint8 *out, gsize *out_len);

G_END_DECLS
