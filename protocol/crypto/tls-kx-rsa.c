/* tls-kx-rsa.c — RSA key exchange: the premaster secret, encrypted. */
#include "tls-kx-rsa.h"

#include <nettle/bignum.h>
#include <string.h>

gboolean
tls_rsa_encrypt_premaster (const struct rsa_public_key *pub, TlsRng *rng,
                           const guint8 pms[48], GBytes **out)
{
  guint8 *buf;
  mpz_t c;
  gboolean ok;

  /* RFC 5246, 7.4.7.1: "encrypted using the public key from the server's
   * certificate" with RSAES-PKCS1-v1_5; the padding bytes come from RNG. */
  mpz_init (c);
  ok = rsa_encrypt (pub, rng, tls_rng_nettle, 48, pms, c);
  if (ok)
    {
      buf = g_malloc (pub->size);
      nettle_mpz_get_str_256 (pub->size, buf, c);
      *out = g_bytes_new_take (buf, pub->size);
    }
  mpz_clear (c);
  return ok;
}

/* The ciphertext as a number, if it is k bytes long and below n
 * (RFC 8017, 7.2.2, step 1 and RSADP's range check, 5.1.2).  Both are
 * public facts about the message, not secrets. */
static gboolean
ciphertext (const TlsPrivateKey *key, const guint8 *ct, gsize ct_len, mpz_t c)
{
  if (key == NULL || key->type != TLS_PK_RSA || ct_len != key->pub->rsa.size)
    return FALSE;
  nettle_mpz_set_str_256_u (c, ct_len, ct);
  return mpz_cmp (c, key->pub->rsa.n) < 0;
}

gboolean
tls_rsa_pkcs1_decrypt (const TlsPrivateKey *key, TlsRng *rng, const guint8 *ct, gsize ct_len,
                       guint8 *out, gsize *out_len)
{
  gboolean ok = FALSE;
  size_t len = *out_len;
  mpz_t c;

  mpz_init (c);
  if (ciphertext (key, ct, ct_len, c))
    ok = rsa_decrypt_tr (&key->pub->rsa, &key->rsa, rng, tls_rng_nettle, &len, out, c);
  mpz_clear (c);
  if (ok)
    *out_len = len;
  return ok;
}

/* Counts what Nettle draws from the endpoint's generator. */
typedef struct
{
  TlsRng *rng;
  gsize   drawn;
} CountingRng;

static void
counting_rng (void *ctx, size_t len, guint8 *out)
{
  CountingRng *c = ctx;

  c->drawn += len;
  tls_rng_nettle (c->rng, len, out);
}

/* 1 when X is 0, else 0, without a branch. */
static guint32
is_zero (guint32 x)
{
  return (x - 1) >> 31 & ~x >> 31;
}

/* RFC 8017, 7.2.2, step 3, for a message of exactly MLEN bytes: EM =
 * 0x00 || 0x02 || PS || 0x00 || M with PS at least 8 nonzero bytes.  No
 * branch or memory access depends on EM: every byte is looked at, and M
 * is copied under a mask (OUT keeps its zeros when the padding is bad). */
static guint32
pkcs1_fixed (const guint8 *em, gsize k, guint8 *out, gsize mlen)
{
  gsize t = k - mlen - 1;          /* where the 0x00 before M must be */
  guint32 ok = is_zero (em[0]) & is_zero (em[1] ^ 2) & is_zero (em[t]);
  guint8 mask;

  for (gsize i = 2; i < t; i++)
    ok &= 1 ^ is_zero (em[i]);
  mask = (guint8) (0u - ok);
  for (gsize i = 0; i < mlen; i++)
    out[i] = (guint8) ((out[i] & ~mask) | (em[t + 1 + i] & mask));
  return ok;
}

/* The trace's reading of the same EM, for a message of any length (what
 * rsa_decrypt_tr accepts): 00 02, then the first 0x00 at index 10 or
 * later.  It branches on the padding: it runs after the premaster has been
 * chosen and only says what a real server keeps to itself. */
static gboolean
pkcs1_any_length (const guint8 *em, gsize k, gsize *mlen)
{
  if (k < 11 || em[0] != 0 || em[1] != 2)
    return FALSE;
  for (gsize i = 2; i < k; i++)
    if (em[i] == 0)
      {
        if (i < 10)
          return FALSE;
        *mlen = k - i - 1;
        return TRUE;
      }
  return FALSE;
}

void
tls_rsa_decrypt_premaster (const TlsPrivateKey *key, TlsRng *rng,
                           const guint8 *enc, gsize enc_len,
                           guint16 client_version, guint8 pms_out[48],
                           TlsRsaDecryptResult *result)
{
  guint8 r[46], m[48];
  guint8 v0 = client_version >> 8, v1 = client_version & 0xff;
  guint32 good, version_ok, decrypted = 0, root_ok = 0;
  guint8 mask;
  gboolean length_ok;
  g_autofree guint8 *em = NULL;
  gsize k = 0;
  CountingRng counting = { rng, 0 };
  mpz_t c, x;

  /* RFC 5246, 7.4.7.1:
   *   1. Generate a string R of 46 random bytes
   *   2. Decrypt the message to recover the plaintext M
   *   3. If the PKCS#1 padding is not correct, or the length of message
   *      M is not exactly 48 bytes:
   *         pre_master_secret = ClientHello.client_version || R
   *      else If ClientHello.client_version <= TLS 1.0, and version
   *      number check is explicitly disabled:
   *         pre_master_secret = M
   *      else:
   *         pre_master_secret = ClientHello.client_version || M[2..47]
   * "If ClientHello.client_version is TLS 1.1 or higher, server
   * implementations MUST check the version number"; we check it for
   * TLS 1.0 too (no option disables it): a wrong version also gives
   * client_version || R, as the RFC's note on the version check asks. */
  tls_rng_bytes (rng, r, sizeof r);
  memset (m, 0, sizeof m);
  mpz_init (c);
  mpz_init (x);
  length_ok = ciphertext (key, enc, enc_len, c);
  if (length_ok)
    {
      /* One private-key operation (RSADP, RFC 8017, 5.1.2), blinded and
       * side-channel silent (rsa_compute_root_tr); the premaster and the
       * trace's analysis both come from its EM. */
      k = key->pub->rsa.size;
      em = g_malloc0 (k);
      root_ok = rsa_compute_root_tr (&key->pub->rsa, &key->rsa, &counting, counting_rng, x, c) & 1;
      if (root_ok)
        nettle_mpz_get_str_256 (k, em, x);
      decrypted = root_ok & pkcs1_fixed (em, k, m, sizeof m);
    }

  /* Select without branching on the secret: mask is 0xff when the
   * decryption gave 48 bytes that start with client_version. */
  version_ok = ((guint32) ((m[0] ^ v0) | (m[1] ^ v1)) - 1) >> 31;
  good = decrypted & version_ok;
  mask = (guint8) (0u - good);
  pms_out[0] = v0;
  pms_out[1] = v1;
  for (gsize i = 0; i < sizeof r; i++)
    pms_out[2 + i] = (guint8) ((m[2 + i] & mask) | (r[i] & (guint8) ~mask));

  /* For the trace only, worked out the same way whatever the outcome:
   * a teaching tool shows what a real server keeps to itself. */
  if (result != NULL)
    {
      gsize mlen = 0;

      memset (result, 0, sizeof *result);
      result->length_ok = length_ok;
      result->padding_ok = length_ok && root_ok && pkcs1_any_length (em, k, &mlen);
      result->message_len = result->padding_ok ? mlen : 0;
      result->size_ok = decrypted != 0;
      result->version_found = result->size_ok ? (guint16) (m[0] << 8 | m[1]) : 0;
      result->version_ok = result->size_ok && version_ok;
      result->used_random = !good;
      /* The generator's stream stays what it was when the analysis was a
       * second, blinded decryption: as many bytes are drawn and dropped,
       * so a seeded run's later random values (and its exports) do not
       * move. */
      if (length_ok)
        {
          g_autofree guint8 *skip = g_malloc (counting.drawn);
          tls_rng_bytes (rng, skip, counting.drawn);
        }
    }
  if (em != NULL)
    memset (em, 0, k);
  memset (m, 0, sizeof m);
  memset (r, 0, sizeof r);
  mpz_clear (x);
  mpz_clear (c);
}
