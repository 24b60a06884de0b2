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

/* ------------------------------------------------------------------ */
/* Blinding kept with the key                                          */

/* RSADP under blinding (RFC 8017, 5.1.2 computes m = c^d mod n; the
 * blinding is what rsa_compute_root_tr does: c' = c * r^e, m' = c'^d =
 * m * r, m = m' * r^-1, all mod n).  Nettle draws a new r and inverts it
 * for every operation, and the inversion (mpn_sec_invert) is about half
 * of the operation's cost.  Here the pair (r^e, r^-1) is kept with the key
 * and squared after each use, (r^2)^e and (r^2)^-1 being a pair again;
 * a new r is drawn every BLINDING_USES operations (OpenSSL's blinding does
 * the same, with 32).  Every step on secret or blinding values uses GMP's
 * side-channel silent mpn_sec_* functions, and rsa_compute_root is side-
 * channel silent too (from Nettle 3.8, which meson.build requires, it is
 * Nettle's _rsa_sec_compute_root without the blinding); the root is
 * checked (m'^e = c') before it is unblinded, as rsa_compute_root_tr
 * does. */
#define BLINDING_USES 32

struct _TlsRsaBlinding
{
  GMutex     lock;
  mp_size_t  nn;        /* limbs of n */
  mp_limb_t *a;         /* r^e mod n  */
  mp_limb_t *ai;        /* r^-1 mod n */
  guint      uses;      /* operations since r was drawn; BLINDING_USES: draw one */
  mp_size_t  itch;      /* scratch limbs any of the steps needs */
};

void
tls_rsa_blinding_free (TlsRsaBlinding *b)
{
  if (b == NULL)
    return;
  g_mutex_clear (&b->lock);
  mpn_zero (b->a, b->nn);
  mpn_zero (b->ai, b->nn);
  g_free (b->a);
  g_free (b->ai);
  g_free (b);
}

static TlsRsaBlinding *
blinding_of (const TlsPrivateKey *key)
{
  TlsPrivateKey *k = (TlsPrivateKey *) key;   /* the cache is not the key */

  if (g_once_init_enter (&k->rsa_blinding))
    {
      TlsRsaBlinding *b = g_new0 (TlsRsaBlinding, 1);
      mp_size_t nn = (mp_size_t) mpz_size (key->pub->rsa.n);
      mp_bitcnt_t ebits = mpz_sizeinbase (key->pub->rsa.e, 2);

      g_mutex_init (&b->lock);
      b->nn = nn;
      b->a = g_new0 (mp_limb_t, nn);
      b->ai = g_new0 (mp_limb_t, nn);
      b->uses = BLINDING_USES;
      b->itch = MAX (MAX (mpn_sec_mul_itch (nn, nn), mpn_sec_sqr_itch (nn)),
                     MAX (mpn_sec_div_r_itch (2 * nn, nn),
                          MAX (mpn_sec_powm_itch (nn, ebits, nn), mpn_sec_invert_itch (nn))));
      g_once_init_leave (&k->rsa_blinding, b);
    }
  return k->rsa_blinding;
}

/* Nettle's blinding draws as many bytes as n has limbs (rsa_sec_blind);
 * we draw as many, so a seeded run's stream is what it was with
 * rsa_compute_root_tr. */
static gsize
blinding_random_size (const TlsPrivateKey *key)
{
  return (gsize) mpz_size (key->pub->rsa.n) * sizeof (mp_limb_t);
}

/* R = A * B mod N (NN limbs each; R may be A or B); T holds 2 NN limbs,
 * S is the scratch. */
static void
mulmod (mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b, const mp_limb_t *n,
        mp_size_t nn, mp_limb_t *t, mp_limb_t *s)
{
  if (a == b)
    mpn_sec_sqr (t, a, nn, s);
  else
    mpn_sec_mul (t, a, nn, b, nn, s);
  mpn_sec_div_r (t, 2 * nn, n, nn, s);
  mpn_copyi (r, t, nn);
}

/* A new pair from RANDOM (blinding_random_size bytes, big-endian):
 * r = RANDOM mod n, then r^e and r^-1 mod n.  FALSE in the negligible
 * case that r has no inverse (it would share a factor with n). */
static gboolean
blinding_draw (const TlsPrivateKey *key, TlsRsaBlinding *b, const guint8 *random,
               mp_limb_t *t, mp_limb_t *s)
{
  const struct rsa_public_key *pub = &key->pub->rsa;
  const mp_limb_t *n = mpz_limbs_read (pub->n);
  mp_size_t nn = b->nn;
  const gsize lb = sizeof (mp_limb_t);

  for (mp_size_t i = 0; i < nn; i++)
    {
      mp_limb_t l = 0;
      for (gsize j = 0; j < lb; j++)
        l = l << 8 | random[(gsize) (nn - 1 - i) * lb + j];
      t[i] = l;
    }
  mpn_sec_div_r (t, nn, n, nn, s);
  mpn_sec_powm (b->a, t, nn, mpz_limbs_read (pub->e), mpz_sizeinbase (pub->e, 2), n, nn, s);
  return mpn_sec_invert (b->ai, t, n, nn, 2 * nn * GMP_NUMB_BITS, s) != 0;   /* T is spent */
}

/* X = C^d mod n for C < n, blinded with the key's pair; RANDOM
 * (blinding_random_size bytes) is the new r when one is due.  1 when the
 * root checked (X^e = C mod n, against faults in the CRT), else 0 and X = 0. */
static guint32
blinded_root (const TlsPrivateKey *key, const guint8 *random, mpz_t x, const mpz_t c)
{
  TlsRsaBlinding *b = blinding_of (key);
  const struct rsa_public_key *pub = &key->pub->rsa;
  const mp_limb_t *n = mpz_limbs_read (pub->n);
  mp_size_t nn = b->nn;
  mp_limb_t *mem = g_new0 (mp_limb_t, 5 * nn + b->itch);
  mp_limb_t *a = mem, *ai = mem + nn, *v = mem + 2 * nn, *t = mem + 3 * nn, *s = mem + 5 * nn;
  gboolean have;
  guint32 ok = 0;
  mpz_t xb, check;
  mpz_t cb;

  g_mutex_lock (&b->lock);
  if (b->uses >= BLINDING_USES && blinding_draw (key, b, random, t, s))
    b->uses = 0;
  have = b->uses < BLINDING_USES;
  if (have)
    {
      mpn_copyi (a, b->a, nn);
      mpn_copyi (ai, b->ai, nn);
      mulmod (b->a, b->a, b->a, n, nn, t, s);
      mulmod (b->ai, b->ai, b->ai, n, nn, t, s);
      b->uses++;
    }
  g_mutex_unlock (&b->lock);

  mpz_set_ui (x, 0);
  if (have)
    {
      /* c' = c * r^e mod n */
      mpn_copyi (v, mpz_limbs_read (c), (mp_size_t) mpz_size (c));
      mulmod (v, v, a, n, nn, t, s);
      mpz_roinit_n (cb, v, nn);
      /* m' = c'^d mod n, checked: m'^e = c' */
      mpz_init (xb);
      mpz_init (check);
      rsa_compute_root (&key->rsa, xb, cb);
      mpz_powm (check, xb, pub->e, pub->n);
      ok = mpz_cmp (check, cb) == 0;
      /* m = m' * r^-1 mod n */
      mpn_zero (v, nn);
      mpn_copyi (v, mpz_limbs_read (xb), (mp_size_t) mpz_size (xb));
      mulmod (v, v, ai, n, nn, t, s);
      if (ok)
        {
          mpn_copyi (mpz_limbs_write (x, nn), v, nn);
          mpz_limbs_finish (x, nn);
        }
      mpz_clear (check);
      mpz_clear (xb);
    }
  mpn_zero (mem, 5 * nn + b->itch);
  g_free (mem);
  return ok;
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
  g_autofree guint8 *random = NULL;
  gsize nr = 0;
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
       * side-channel silent (blinded_root above); the premaster and the
       * trace's analysis both come from its EM. */
      k = key->pub->rsa.size;
      em = g_malloc0 (k);
      nr = blinding_random_size (key);
      random = g_malloc (nr);
      tls_rng_bytes (rng, random, nr);
      root_ok = blinded_root (key, random, x, c);
      memset (random, 0, nr);
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
          g_autofree guint8 *skip = g_malloc (nr);
          tls_rng_bytes (rng, skip, nr);
        }
    }
  if (em != NULL)
    memset (em, 0, k);
  memset (m, 0, sizeof m);
  memset (r, 0, sizeof r);
  mpz_clear (x);
  mpz_clear (c);
}
