/* tls-record.c — record framing and protection (RFC 5246, 6.2; RFC 2246;
 * RFC 4346; RFC 5288; RFC 7366; RFC 7905). */
#include "config.h"

#include "tls-record.h"
#include "tls-alert.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <nettle/aes.h>
#include <nettle/arcfour.h>
#include <nettle/cbc.h>
#include <nettle/chacha-poly1305.h>
#include <nettle/des.h>
#include <nettle/gcm.h>
#include <nettle/memops.h>
#include <nettle/memxor.h>
#include <string.h>

#define AEAD_TAG_LEN   16
#define AEAD_NONCE_LEN 12
#define MAC_HEADER_LEN 13   /* seq_num(8) + type(1) + version(2) + length(2) */

typedef union
{
  struct gcm_aes128_ctx      gcm128;
  struct gcm_aes256_ctx      gcm256;
  struct chacha_poly1305_ctx chacha;
} AeadCtx;

typedef union
{
  struct aes128_ctx aes128;
  struct aes256_ctx aes256;
  struct des3_ctx   des3;
} BlockCtx;

struct _TlsProtection
{
  const TlsSuite      *suite;
  const TlsCipherInfo *cipher;
  const TlsMacInfo    *mac;
  guint16              version;
  gboolean             etm;         /* encrypt-then-MAC (RFC 7366), CBC only */
  guint64              seq;
  gboolean             exhausted;   /* the sequence number has wrapped */

  TlsHmac              hmac;        /* keyed with the MAC write key */
  guint8               fixed_iv[TLS_MAX_IV_LEN];   /* AEAD salt / ChaCha20 IV */
  guint8               cbc_iv[TLS_MAX_IV_LEN];     /* TLS 1.0: chained IV */

  BlockCtx             enc, dec;
  struct arcfour_ctx   rc4;
  AeadCtx              aead;
};

/* ------------------------------------------------------------------ */
/* Constant-time helpers (values below 2^31)                           */

/* 0xffffffff if a == b, else 0 */
static inline guint32
ct_eq_mask (guint32 a, guint32 b)
{
  return 0u - (((a ^ b) - 1u) >> 31);
}

/* 0xffffffff if a <= b, else 0 */
static inline guint32
ct_le_mask (guint32 a, guint32 b)
{
  return 0u - (((b - a) >> 31) ^ 1u);
}

/* ------------------------------------------------------------------ */
/* MAC                                                                 */

static const struct nettle_hash *
mac_hash (TlsMacId mac)
{
  switch (mac)
    {
    case TLS_MAC_MD5:    return &nettle_md5;
    case TLS_MAC_SHA1:   return &nettle_sha1;
    case TLS_MAC_SHA256: return &nettle_sha256;
    case TLS_MAC_SHA384: return &nettle_sha384;
    case TLS_MAC_AEAD:
    default:
      g_return_val_if_reached (NULL);
    }
}

void
tls_mac_compute (TlsMacId mac, const guint8 *key, gsize key_len,
                 const guint8 *data, gsize len, guint8 *out)
{
  TlsHmac h;

  tls_hmac_init (&h, mac_hash (mac), key, key_len);
  tls_hmac_update (&h, data, len);
  tls_hmac_digest (&h, out);
  memset (&h, 0, sizeof h);
}

/* seq_num + TLSCompressed.type + TLSCompressed.version +
 * TLSCompressed.length, the part of the MAC input before the content. */
static void
mac_header (guint8 hdr[MAC_HEADER_LEN], guint64 seq, guint8 type,
            guint16 version, gsize length)
{
  for (int i = 0; i < 8; i++)
    hdr[i] = (guint8) (seq >> (56 - 8 * i));
  hdr[8] = type;
  hdr[9] = (guint8) (version >> 8);
  hdr[10] = (guint8) version;
  hdr[11] = (guint8) (length >> 8);
  hdr[12] = (guint8) length;
}

/* ------------------------------------------------------------------ */
/* AEAD: the one code path for sealing, opening and the known answers. */

static void
aead_set_key (AeadCtx *ctx, TlsCipherId cipher, const guint8 *key)
{
  switch (cipher)
    {
    case TLS_CIPHER_AES_128_GCM:
      gcm_aes128_set_key (&ctx->gcm128, key);
      break;
    case TLS_CIPHER_AES_256_GCM:
      gcm_aes256_set_key (&ctx->gcm256, key);
      break;
    case TLS_CIPHER_CHACHA20_POLY1305:
      chacha_poly1305_set_key (&ctx->chacha, key);
      break;
    default:
      g_return_if_reached ();
    }
}

/* Encrypts (or decrypts) IN into OUT and computes the tag over AAD and the
 * ciphertext. */
static void
aead_crypt (AeadCtx *ctx, TlsCipherId cipher, gboolean encrypt,
            const guint8 nonce[AEAD_NONCE_LEN],
            const guint8 *aad, gsize aad_len,
            const guint8 *in, gsize len, guint8 *out,
            guint8 tag[AEAD_TAG_LEN])
{
  switch (cipher)
    {
    case TLS_CIPHER_AES_128_GCM:
      gcm_aes128_set_iv (&ctx->gcm128, AEAD_NONCE_LEN, nonce);
      gcm_aes128_update (&ctx->gcm128, aad_len, aad);
      if (encrypt)
        gcm_aes128_encrypt (&ctx->gcm128, len, out, in);
      else
        gcm_aes128_decrypt (&ctx->gcm128, len, out, in);
      gcm_aes128_digest (&ctx->gcm128, AEAD_TAG_LEN, tag);
      break;
    case TLS_CIPHER_AES_256_GCM:
      gcm_aes256_set_iv (&ctx->gcm256, AEAD_NONCE_LEN, nonce);
      gcm_aes256_update (&ctx->gcm256, aad_len, aad);
      if (encrypt)
        gcm_aes256_encrypt (&ctx->gcm256, len, out, in);
      else
        gcm_aes256_decrypt (&ctx->gcm256, len, out, in);
      gcm_aes256_digest (&ctx->gcm256, AEAD_TAG_LEN, tag);
      break;
    case TLS_CIPHER_CHACHA20_POLY1305:
      chacha_poly1305_set_nonce (&ctx->chacha, nonce);
      chacha_poly1305_update (&ctx->chacha, aad_len, aad);
      if (encrypt)
        chacha_poly1305_encrypt (&ctx->chacha, len, out, in);
      else
        chacha_poly1305_decrypt (&ctx->chacha, len, out, in);
      chacha_poly1305_digest (&ctx->chacha, AEAD_TAG_LEN, tag);
      break;
    default:
      g_return_if_reached ();
    }
}

static gboolean
aead_open_tag (AeadCtx *ctx, TlsCipherId cipher, const guint8 nonce[AEAD_NONCE_LEN],
               const guint8 *aad, gsize aad_len, const guint8 *in, gsize len,
               const guint8 tag[AEAD_TAG_LEN], guint8 *out, guint8 computed[AEAD_TAG_LEN])
{
  gboolean ok;

  aead_crypt (ctx, cipher, FALSE, nonce, aad, aad_len, in, len, out, computed);
  ok = memeql_sec (computed, tag, AEAD_TAG_LEN);
  if (!ok && len > 0)
    memset (out, 0, len);
  return ok;
}

void
tls_aead_encrypt (TlsCipherId cipher, const guint8 *key,
                  const guint8 nonce[12], const guint8 *aad, gsize aad_len,
                  const guint8 *in, gsize len, guint8 *out, guint8 tag[16])
{
  AeadCtx ctx;

  aead_set_key (&ctx, cipher, key);
  aead_crypt (&ctx, cipher, TRUE, nonce, aad, aad_len, in, len, out, tag);
  memset (&ctx, 0, sizeof ctx);
}

gboolean
tls_aead_decrypt (TlsCipherId cipher, const guint8 *key,
                  const guint8 nonce[12], const guint8 *aad, gsize aad_len,
                  const guint8 *in, gsize len, const guint8 tag[16],
                  guint8 *out)
{
  guint8 computed[AEAD_TAG_LEN];

  return tls_aead_decrypt_checked (cipher, key, nonce, aad, aad_len, in, len, tag, out, computed);
}

gboolean
tls_aead_decrypt_checked (TlsCipherId cipher, const guint8 *key,
                          const guint8 nonce[12], const guint8 *aad, gsize aad_len,
                          const guint8 *in, gsize len, const guint8 tag[16],
                          guint8 *out, guint8 computed[16])
{
  AeadCtx ctx;
  gboolean ok;

  aead_set_key (&ctx, cipher, key);
  ok = aead_open_tag (&ctx, cipher, nonce, aad, aad_len, in, len, tag, out, computed);
  memset (&ctx, 0, sizeof ctx);
  return ok;
}

/* ------------------------------------------------------------------ */
/* CBC                                                                 */

static void
cbc_crypt (TlsProtection *p, gboolean encrypt, guint8 *iv,
           const guint8 *in, gsize len, guint8 *out)
{
  nettle_cipher_func *f;
  const void *ctx = encrypt ? (const void *) &p->enc : (const void *) &p->dec;

  switch (p->cipher->id)
    {
    case TLS_CIPHER_AES_128_CBC:
      f = encrypt ? (nettle_cipher_func *) aes128_encrypt : (nettle_cipher_func *) aes128_decrypt;
      break;
    case TLS_CIPHER_AES_256_CBC:
      f = encrypt ? (nettle_cipher_func *) aes256_encrypt : (nettle_cipher_func *) aes256_decrypt;
      break;
    case TLS_CIPHER_3DES_EDE_CBC:
      f = encrypt ? (nettle_cipher_func *) des3_encrypt : (nettle_cipher_func *) des3_decrypt;
      break;
    default:
      g_return_if_reached ();
    }
  if (encrypt)
    cbc_encrypt (ctx, f, p->cipher->block_len, iv, len, out, in);
  else
    cbc_decrypt (ctx, f, p->cipher->block_len, iv, len, out, in);
}

/* ------------------------------------------------------------------ */
/* Protection state                                                    */

gsize
tls_record_iv_len (const TlsCipherInfo *cipher, guint16 version)
{
  switch (cipher->type)
    {
    case TLS_CIPHER_TYPE_BLOCK:
      /* "IV: The Initialization Vector (IV) SHOULD be chosen at random, and
       * MUST be unpredictable."                      (RFC 5246, 6.2.3.2)
       * TLS 1.0 has no explicit IV: it chains.                          */
      return version >= TLS_VERSION_1_1 ? cipher->block_len : 0;
    case TLS_CIPHER_TYPE_AEAD:
      return cipher->record_iv_len;
    case TLS_CIPHER_TYPE_STREAM:
    default:
      return 0;
    }
}

TlsProtection *
tls_protection_new (const TlsSuite *suite, guint16 version,
                    const guint8 *mac_key, const guint8 *key,
                    const guint8 *iv, gboolean encrypt_then_mac)
{
  TlsProtection *p;
  gsize iv_len;

  g_return_val_if_fail (suite != NULL && key != NULL, NULL);

  p = g_new0 (TlsProtection, 1);
  p->suite = suite;
  p->cipher = tls_cipher_info (suite->cipher);
  p->mac = tls_mac_info (suite->mac);
  p->version = version;
  p->etm = encrypt_then_mac && p->cipher->type == TLS_CIPHER_TYPE_BLOCK;

  if (p->cipher->type != TLS_CIPHER_TYPE_AEAD)
    {
      g_return_val_if_fail (mac_key != NULL || p->mac->len == 0, p);
      tls_hmac_init (&p->hmac, mac_hash (p->mac->id), mac_key, p->mac->len);
    }

  iv_len = tls_key_block_iv_len (p->cipher, version);
  if (iv_len > 0)
    {
      g_return_val_if_fail (iv != NULL, p);
      memcpy (p->cipher->type == TLS_CIPHER_TYPE_AEAD ? p->fixed_iv : p->cbc_iv,
              iv, iv_len);
    }

  switch (p->cipher->id)
    {
    case TLS_CIPHER_AES_128_CBC:
      aes128_set_encrypt_key (&p->enc.aes128, key);
      aes128_set_decrypt_key (&p->dec.aes128, key);
      break;
    case TLS_CIPHER_AES_256_CBC:
      aes256_set_encrypt_key (&p->enc.aes256, key);
      aes256_set_decrypt_key (&p->dec.aes256, key);
      break;
    case TLS_CIPHER_3DES_EDE_CBC:
      /* Returns FALSE for keys with bad parity bits, which TLS ignores. */
      des3_set_key (&p->enc.des3, key);
      des3_set_key (&p->dec.des3, key);
      break;
    case TLS_CIPHER_RC4_128:
      arcfour_set_key (&p->rc4, p->cipher->key_len, key);
      break;
    case TLS_CIPHER_AES_128_GCM:
    case TLS_CIPHER_AES_256_GCM:
    case TLS_CIPHER_CHACHA20_POLY1305:
      aead_set_key (&p->aead, p->cipher->id, key);
      break;
    default:
      g_warn_if_reached ();
    }
  return p;
}

TlsProtection *
tls_protection_new_from_key_block (const TlsSuite *suite, guint16 version,
                                   const TlsKeyBlock *kb, gboolean client_write,
                                   gboolean encrypt_then_mac)
{
  return tls_protection_new (suite, version,
                             client_write ? kb->client_write_mac_key : kb->server_write_mac_key,
                             client_write ? kb->client_write_key : kb->server_write_key,
                             client_write ? kb->client_write_iv : kb->server_write_iv,
                             encrypt_then_mac);
}

void
tls_protection_free (TlsProtection *prot)
{
  if (prot == NULL)
    return;
  memset (prot, 0, sizeof *prot);
  g_free (prot);
}

guint64
tls_protection_seq (const TlsProtection *prot)
{
  return prot->seq;
}

void
tls_protection_set_seq (TlsProtection *prot, guint64 seq)
{
  prot->seq = seq;
  prot->exhausted = FALSE;
}

const TlsSuite *
tls_protection_suite (const TlsProtection *prot)
{
  return prot->suite;
}

gboolean
tls_protection_etm (const TlsProtection *prot)
{
  return prot->etm;
}

/* "Sequence numbers are of type uint64 and may not exceed 2^64-1."
 *                                                      (RFC 5246, 6.1) */
static void
next_seq (TlsProtection *p)
{
  if (p->seq == G_MAXUINT64)
    p->exhausted = TRUE;
  p->seq++;
}

/* ------------------------------------------------------------------ */
/* Sealing                                                             */

/*  stream-ciphered struct {
 *      opaque content[TLSCompressed.length];
 *      opaque MAC[SecurityParameters.mac_length];
 *  } GenericStreamCipher;                              (RFC 5246, 6.2.3.1) */
static void
seal_stream (TlsProtection *p, guint8 type, guint16 version,
             const guint8 *frag, gsize len, GByteArray *body)
{
  guint8 hdr[MAC_HEADER_LEN];
  gsize maclen = p->mac->len;
  guint8 *buf = g_malloc (len + maclen);

  memcpy (buf, frag, len);
  mac_header (hdr, p->seq, type, version, len);
  tls_hmac_update (&p->hmac, hdr, sizeof hdr);
  tls_hmac_update (&p->hmac, frag, len);
  tls_hmac_digest (&p->hmac, buf + len);

  g_byte_array_set_size (body, len + maclen);
  arcfour_crypt (&p->rc4, len + maclen, body->data, buf);
  g_free (buf);
}

/*  struct {
 *      opaque IV[SecurityParameters.record_iv_length];
 *      block-ciphered struct {
 *          opaque content[TLSCompressed.length];
 *          opaque MAC[SecurityParameters.mac_length];
 *          uint8 padding[GenericBlockCipher.padding_length];
 *          uint8 padding_length;
 *      };
 *  } GenericBlockCipher;                               (RFC 5246, 6.2.3.2)
 *
 * With encrypt_then_mac the MAC leaves the encrypted struct and follows
 * it, computed over the IV and the ciphertext (RFC 7366, 3). */
static void
seal_block (TlsProtection *p, guint8 type, guint16 version,
            const guint8 *frag, gsize len, TlsRng *rng, GByteArray *body)
{
  gsize bl = p->cipher->block_len;
  gsize maclen = p->mac->len;
  gsize ivlen = tls_record_iv_len (p->cipher, p->version);
  gsize inner = len + (p->etm ? 0 : maclen);
  /* "Each uint8 in the padding data vector MUST be filled with the padding
   * length value."  We use the shortest padding.      (RFC 5246, 6.2.3.2) */
  gsize padlen = (bl - (inner + 1) % bl) % bl;
  gsize ctlen = inner + padlen + 1;
  guint8 hdr[MAC_HEADER_LEN];
  guint8 *pt = g_malloc (ctlen);
  guint8 *iv;

  memcpy (pt, frag, len);
  if (!p->etm)
    {
      mac_header (hdr, p->seq, type, version, len);
      tls_hmac_update (&p->hmac, hdr, sizeof hdr);
      tls_hmac_update (&p->hmac, frag, len);
      tls_hmac_digest (&p->hmac, pt + len);
    }
  memset (pt + inner, (int) padlen, padlen + 1);

  g_byte_array_set_size (body, ivlen + ctlen + (p->etm ? maclen : 0));
  if (ivlen > 0)
    {
      guint8 ivbuf[TLS_MAX_IV_LEN];

      g_return_if_fail (rng != NULL);
      tls_rng_bytes (rng, body->data, ivlen);
      memcpy (ivbuf, body->data, ivlen);
      cbc_crypt (p, TRUE, ivbuf, pt, ctlen, body->data + ivlen);
    }
  else
    {
      /* TLS 1.0: the IV is the last ciphertext block of the previous
       * record (the first comes from the key block); cbc_encrypt leaves
       * it in cbc_iv. */
      iv = p->cbc_iv;
      cbc_crypt (p, TRUE, iv, pt, ctlen, body->data);
    }

  if (p->etm)
    {
      /* MAC(MAC_write_key, seq_num + type + version + length +
       *     IV + ENC(content + padding + padding_length))  (RFC 7366, 3) */
      mac_header (hdr, p->seq, type, version, ivlen + ctlen);
      tls_hmac_update (&p->hmac, hdr, sizeof hdr);
      tls_hmac_update (&p->hmac, body->data, ivlen + ctlen);
      tls_hmac_digest (&p->hmac, body->data + ivlen + ctlen);
    }
  memset (pt, 0, ctlen);
  g_free (pt);
}

/*  struct {
 *     opaque nonce_explicit[SecurityParameters.record_iv_length];
 *     aead-ciphered struct {
 *         opaque content[TLSCompressed.length];
 *     };
 *  } GenericAEADCipher;                                (RFC 5246, 6.2.3.3)
 *
 *  additional_data = seq_num + TLSCompressed.type +
 *                    TLSCompressed.version + TLSCompressed.length;
 *
 * AES-GCM: nonce = salt (4, from the key block) + nonce_explicit (8); we
 * send the sequence number as nonce_explicit, as OpenSSL does (RFC 5288,
 * 3).  ChaCha20-Poly1305: no nonce_explicit; nonce = client/server_write_IV
 * XOR the sequence number padded on the left to 12 bytes (RFC 7905, 2). */
static void
aead_nonce (TlsProtection *p, const guint8 *explicit_part, guint8 nonce[AEAD_NONCE_LEN])
{
  if (p->cipher->id == TLS_CIPHER_CHACHA20_POLY1305)
    {
      memcpy (nonce, p->fixed_iv, AEAD_NONCE_LEN);
      for (int i = 0; i < 8; i++)
        nonce[4 + i] ^= (guint8) (p->seq >> (56 - 8 * i));
    }
  else
    {
      memcpy (nonce, p->fixed_iv, p->cipher->fixed_iv_len);
      memcpy (nonce + p->cipher->fixed_iv_len, explicit_part, p->cipher->record_iv_len);
    }
}

static void
seal_aead (TlsProtection *p, guint8 type, guint16 version,
           const guint8 *frag, gsize len, GByteArray *body)
{
  gsize rivlen = p->cipher->record_iv_len;
  guint8 aad[MAC_HEADER_LEN];
  guint8 nonce[AEAD_NONCE_LEN];

  g_byte_array_set_size (body, rivlen + len + AEAD_TAG_LEN);
  /* nonce_explicit: the 64-bit sequence number */
  for (gsize i = 0; i < rivlen; i++)
    body->data[i] = (guint8) (p->seq >> (8 * (rivlen - 1 - i)));
  aead_nonce (p, body->data, nonce);
  mac_header (aad, p->seq, type, version, len);
  aead_crypt (&p->aead, p->cipher->id, TRUE, nonce, aad, sizeof aad,
              frag, len, body->data + rivlen, body->data + rivlen + len);
}

void
tls_record_seal (TlsProtection *prot, guint8 content_type, guint16 version,
                 const guint8 *frag, gsize len, TlsRng *rng, GByteArray *out,
                 TlsField *wire)
{
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autoptr (GBytes) record = NULL;
  gsize start = out->len;
  TlsWriter w;

  /* "The length MUST NOT exceed 2^14."                (RFC 5246, 6.2.1) */
  g_return_if_fail (len <= TLS_MAX_FRAGMENT);
  g_return_if_fail (prot == NULL || !prot->exhausted);

  if (prot == NULL)
    g_byte_array_append (body, frag, len);
  else
    switch (prot->cipher->type)
      {
      case TLS_CIPHER_TYPE_STREAM:
        seal_stream (prot, content_type, version, frag, len, body);
        break;
      case TLS_CIPHER_TYPE_BLOCK:
        seal_block (prot, content_type, version, frag, len, rng, body);
        break;
      case TLS_CIPHER_TYPE_AEAD:
        seal_aead (prot, content_type, version, frag, len, body);
        break;
      }

  tls_writer_init (&w, NULL);
  tls_write_u8 (&w, NULL, content_type);
  tls_write_u16 (&w, NULL, version);
  tls_write_u16 (&w, NULL, (guint16) body->len);
  tls_write_bytes (&w, NULL, body->data, body->len);
  record = tls_writer_steal (&w);
  g_byte_array_append (out, g_bytes_get_data (record, NULL), g_bytes_get_size (record));

  if (wire != NULL)
    tls_record_annotate (prot, wire, start, out->data + start, out->len - start);
  if (prot != NULL)
    next_seq (prot);
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

static void
report (TlsRecordCheck *check, const char *what, const guint8 *computed,
        const guint8 *received, gsize len)
{
  if (check == NULL)
    return;
  check->what = what;
  check->len = MIN (len, sizeof check->computed);
  memcpy (check->computed, computed, check->len);
  memcpy (check->received, received, check->len);
}

static int
open_stream (TlsProtection *p, guint8 type, guint16 version,
             const guint8 *frag, gsize len, GByteArray *plain, TlsRecordCheck *check)
{
  gsize maclen = p->mac->len;
  guint8 hdr[MAC_HEADER_LEN];
  guint8 mac[TLS_MAX_MAC_LEN];
  gsize clen;
  gboolean ok;

  g_byte_array_set_size (plain, len);
  arcfour_crypt (&p->rc4, len, plain->data, frag);
  if (len < maclen)
    return TLS_ALERT_BAD_RECORD_MAC;
  clen = len - maclen;
  mac_header (hdr, p->seq, type, version, clen);
  tls_hmac_update (&p->hmac, hdr, sizeof hdr);
  tls_hmac_update (&p->hmac, plain->data, clen);
  tls_hmac_digest (&p->hmac, mac);
  ok = memeql_sec (mac, plain->data + clen, maclen);
  report (check, N_("MAC"), mac, plain->data + clen, maclen);
  g_byte_array_set_size (plain, clen);
  return ok ? 0 : TLS_ALERT_BAD_RECORD_MAC;
}

/* The number of compression-function calls the inner hash of an HMAC makes
 * for a message of LEN bytes (the key block, the message, the 0x80 byte and
 * the length field, in blocks of the hash). */
static gsize
hmac_blocks (const struct nettle_hash *h, gsize len)
{
  gsize lenfield = h->block_size == 128 ? 16 : 8;
  return 1 + (len + 1 + lenfield + h->block_size - 1) / h->block_size;
}

/* MAC-then-encrypt CBC.  RFC 5246, 6.2.3.2, implementation note: "...it is
 * critical that TLSCiphertext be decrypted and then the MAC be computed
 * even if the padding is incorrect ... compute the MAC as if it were a
 * zero-length pad."  We also do this:
 *  - the padding is checked over a fixed 256-byte window with masks, not
 *    branches;
 *  - the MAC is computed over the content for the padding found (or for a
 *    zero-length pad), and a throw-away hash then runs as many extra
 *    compression blocks as make the total the same as for the longest
 *    possible content, so the time does not depend on the padding length
 *    (as GnuTLS does; the "Lucky Thirteen" attack measured this);
 *  - the received MAC is copied out of the plaintext from a secret offset
 *    by scanning every possible offset;
 *  - the MAC and the padding verdict are combined before the one return. */
static int
open_block_mte (TlsProtection *p, guint8 type, guint16 version,
                const guint8 *frag, gsize len, GByteArray *plain, TlsRecordCheck *check)
{
  const struct nettle_hash *h = p->hmac.hash;
  gsize bl = p->cipher->block_len;
  gsize maclen = p->mac->len;
  gsize ivlen = tls_record_iv_len (p->cipher, p->version);
  gsize ctlen, clen_max, clen, scan, scan_from;
  guint8 iv[TLS_MAX_IV_LEN];
  guint8 hdr[MAC_HEADER_LEN];
  guint8 computed[TLS_MAX_MAC_LEN];
  guint8 received[TLS_MAX_MAC_LEN] = { 0 };
  guint32 good, pad, pad_eff;
  guint8 *pt;
  static const guint8 dummy_block[128];
  TlsHashCtx dummy;
  gsize extra;

  /* Public facts about the length may be checked in the open: "the
   * ciphertext length ... must be a multiple of the block length and at
   * least max(block_length, mac_length + 1)". */
  if (len < ivlen)
    return TLS_ALERT_BAD_RECORD_MAC;
  ctlen = len - ivlen;
  if (ctlen == 0 || ctlen % bl != 0 || ctlen < maclen + 1)
    return TLS_ALERT_BAD_RECORD_MAC;

  memcpy (iv, ivlen > 0 ? frag : p->cbc_iv, bl);
  g_byte_array_set_size (plain, ctlen);
  pt = plain->data;
  cbc_crypt (p, FALSE, iv, frag + ivlen, ctlen, pt);

  /* padding_length, then padding_length bytes of that value before it */
  pad = pt[ctlen - 1];
  good = ct_le_mask (pad + 1 + maclen, ctlen);
  scan = MIN (ctlen, 256);
  for (gsize i = 0; i < scan; i++)
    {
      guint32 in_pad = ct_le_mask ((guint32) i, pad);
      good &= ~in_pad | ct_eq_mask (pt[ctlen - 1 - i], pad);
    }
  pad_eff = pad & good;
  clen_max = ctlen - maclen - 1;
  clen = clen_max - pad_eff;

  /* MAC over the content that the (checked) padding leaves */
  mac_header (hdr, p->seq, type, version, clen);
  tls_hmac_update (&p->hmac, hdr, sizeof hdr);
  tls_hmac_update (&p->hmac, pt, clen);
  tls_hmac_digest (&p->hmac, computed);

  /* Same number of compressions whatever the padding length */
  extra = hmac_blocks (h, MAC_HEADER_LEN + clen_max) - hmac_blocks (h, MAC_HEADER_LEN + clen);
  h->init (&dummy);
  for (gsize i = 0; i < extra; i++)
    h->update (&dummy, h->block_size, dummy_block);

  /* The received MAC sits at pt[clen .. clen + maclen); clen is secret. */
  scan_from = clen_max > 255 ? clen_max - 255 : 0;
  for (gsize off = scan_from; off <= clen_max; off++)
    {
      guint8 m = (guint8) ct_eq_mask ((guint32) off, (guint32) clen);
      for (gsize j = 0; j < maclen; j++)
        received[j] |= pt[off + j] & m;
    }

  good &= 0u - (guint32) memeql_sec (computed, received, maclen);
  report (check, N_("MAC"), computed, received, maclen);
  if (!good)
    {
      memset (pt, 0, ctlen);
      return TLS_ALERT_BAD_RECORD_MAC;
    }
  if (ivlen == 0)
    memcpy (p->cbc_iv, frag + len - bl, bl);   /* TLS 1.0: chain */
  g_byte_array_set_size (plain, clen);
  return 0;
}

/* Encrypt-then-MAC (RFC 7366, 3): the MAC over the IV and ciphertext is
 * checked first, "before decryption"; padding is only looked at in an
 * authenticated record, so it can no longer serve as an oracle. */
static int
open_block_etm (TlsProtection *p, guint8 type, guint16 version,
                const guint8 *frag, gsize len, GByteArray *plain, TlsRecordCheck *check)
{
  gsize bl = p->cipher->block_len;
  gsize maclen = p->mac->len;
  gsize ivlen = tls_record_iv_len (p->cipher, p->version);
  guint8 hdr[MAC_HEADER_LEN];
  guint8 mac[TLS_MAX_MAC_LEN];
  guint8 iv[TLS_MAX_IV_LEN];
  gsize ctlen;
  guint pad;

  if (len < ivlen + bl + maclen)
    return TLS_ALERT_BAD_RECORD_MAC;
  ctlen = len - ivlen - maclen;
  if (ctlen % bl != 0)
    return TLS_ALERT_BAD_RECORD_MAC;

  mac_header (hdr, p->seq, type, version, ivlen + ctlen);
  tls_hmac_update (&p->hmac, hdr, sizeof hdr);
  tls_hmac_update (&p->hmac, frag, ivlen + ctlen);
  tls_hmac_digest (&p->hmac, mac);
  report (check, N_("MAC"), mac, frag + ivlen + ctlen, maclen);
  if (!memeql_sec (mac, frag + ivlen + ctlen, maclen))
    return TLS_ALERT_BAD_RECORD_MAC;

  memcpy (iv, ivlen > 0 ? frag : p->cbc_iv, bl);
  g_byte_array_set_size (plain, ctlen);
  cbc_crypt (p, FALSE, iv, frag + ivlen, ctlen, plain->data);
  pad = plain->data[ctlen - 1];
  if (pad + 1 > ctlen)
    return TLS_ALERT_BAD_RECORD_MAC;
  for (gsize i = 0; i <= pad; i++)
    if (plain->data[ctlen - 1 - i] != pad)
      return TLS_ALERT_BAD_RECORD_MAC;
  if (ivlen == 0)
    memcpy (p->cbc_iv, frag + ivlen + ctlen - bl, bl);   /* TLS 1.0: chain */
  g_byte_array_set_size (plain, ctlen - pad - 1);
  return 0;
}

static int
open_aead (TlsProtection *p, guint8 type, guint16 version,
           const guint8 *frag, gsize len, GByteArray *plain, TlsRecordCheck *check)
{
  gsize rivlen = p->cipher->record_iv_len;
  guint8 aad[MAC_HEADER_LEN];
  guint8 nonce[AEAD_NONCE_LEN];
  gsize clen;

  if (len < rivlen + AEAD_TAG_LEN)
    return TLS_ALERT_BAD_RECORD_MAC;
  clen = len - rivlen - AEAD_TAG_LEN;
  aead_nonce (p, frag, nonce);
  /* the length in the additional data is that of the plaintext */
  mac_header (aad, p->seq, type, version, clen);
  g_byte_array_set_size (plain, clen);
  {
    guint8 computed[AEAD_TAG_LEN];
    gboolean ok = aead_open_tag (&p->aead, p->cipher->id, nonce, aad, sizeof aad,
                                 frag + rivlen, clen, frag + rivlen + clen, plain->data, computed);
    /* TRANSLATORS: the AEAD authentication tag of a record */
    report (check, N_("tag"), computed, frag + rivlen + clen, AEAD_TAG_LEN);
    if (!ok)
      return TLS_ALERT_BAD_RECORD_MAC;
  }
  return 0;
}

int
tls_record_open (TlsProtection *prot, guint8 content_type, guint16 version,
                 const guint8 *frag, gsize len, GByteArray *plain)
{
  return tls_record_open_checked (prot, content_type, version, frag, len, plain, NULL);
}

int
tls_record_open_checked (TlsProtection *prot, guint8 content_type, guint16 version,
                         const guint8 *frag, gsize len, GByteArray *plain,
                         TlsRecordCheck *check)
{
  g_autoptr (GByteArray) buf = NULL;
  int alert = 0;

  if (prot == NULL)
    {
      /* "The length MUST NOT exceed 2^14."            (RFC 5246, 6.2.1) */
      if (len > TLS_MAX_FRAGMENT)
        return TLS_ALERT_RECORD_OVERFLOW;
      g_byte_array_append (plain, frag, len);
      return 0;
    }

  /* "The length MUST NOT exceed 2^14 + 2048."         (RFC 5246, 6.2.3)
   * "record_overflow: A TLSCiphertext record was received that had a
   * length more than 2^14+2048 bytes"                 (RFC 5246, 7.2.2) */
  if (len > TLS_MAX_CIPHERTEXT)
    return TLS_ALERT_RECORD_OVERFLOW;
  if (prot->exhausted)
    return TLS_ALERT_INTERNAL_ERROR;

  buf = g_byte_array_new ();
  switch (prot->cipher->type)
    {
    case TLS_CIPHER_TYPE_STREAM:
      alert = open_stream (prot, content_type, version, frag, len, buf, check);
      break;
    case TLS_CIPHER_TYPE_BLOCK:
      alert = prot->etm ? open_block_etm (prot, content_type, version, frag, len, buf, check)
                        : open_block_mte (prot, content_type, version, frag, len, buf, check);
      break;
    case TLS_CIPHER_TYPE_AEAD:
      alert = open_aead (prot, content_type, version, frag, len, buf, check);
      break;
    }
  if (alert != 0)
    {
      if (buf->len > 0)
        memset (buf->data, 0, buf->len);
      return alert;
    }
  /* "...or a record decrypted to a TLSCompressed record with more than
   * 2^14+1024 bytes" — without compression, 2^14: "The length (in bytes)
   * of the following TLSCompressed.fragment.  The length MUST NOT exceed
   * 2^14 + 1024."; a plaintext fragment MUST NOT exceed 2^14. */
  if (buf->len > TLS_MAX_FRAGMENT)
    return TLS_ALERT_RECORD_OVERFLOW;
  g_byte_array_append (plain, buf->data, buf->len);
  next_seq (prot);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Header and annotation                                               */

gboolean
tls_record_parse_header (const guint8 *data, gsize len, guint8 *type,
                         guint16 *version, guint16 *frag_len)
{
  TlsReader r;

  if (len < TLS_RECORD_HEADER_LEN)
    return FALSE;
  tls_reader_init (&r, data, TLS_RECORD_HEADER_LEN, NULL);
  tls_read_u8 (&r, "type", type);
  tls_read_u16 (&r, "version", version);
  tls_read_u16 (&r, "length", frag_len);
  return tls_reader_done (&r);
}

TlsField *
tls_record_annotate (const TlsProtection *prot, TlsField *parent, gsize offset,
                     const guint8 *record, gsize record_len)
{
  TlsField *group;
  TlsReader r;
  guint8 type = 0;
  guint16 version = 0, length = 0;
  const guint8 *p;
  gsize rest;

  if (parent == NULL)
    return NULL;

  group = tls_field_add (parent, prot ? "TLSCiphertext" : "TLSPlaintext",
                         offset, record_len);
  if (parent->offset + parent->length < offset + record_len)
    parent->length = offset + record_len - parent->offset;

  tls_reader_init (&r, record, record_len, group);
  if (tls_read_u8 (&r, "type", &type))
    {
      tls_reader_note (&r, "%s (%u)", tls_content_type_name (type), type);
      tls_reader_describe (&r, _("what the fragment holds"));
    }
  if (tls_read_u16 (&r, "version", &version))
    {
      tls_reader_note (&r, "%s (0x%04x)", tls_version_name (version), version);
      tls_reader_describe (&r, _("the protocol version of the record layer"));
    }
  if (tls_read_u16 (&r, "length", &length))
    {
      tls_reader_note (&r, "%u", length);
      tls_reader_describe (&r, _("the length of the fragment that follows"));
    }
  tls_field_set_value (group, g_dngettext (GETTEXT_PACKAGE, "%s, %u byte", "%s, %u bytes", length), tls_content_type_name (type), length);
  rest = MIN ((gsize) length, tls_reader_remaining (&r));

  if (prot == NULL)
    {
      if (tls_read_bytes (&r, rest, "fragment", &p))
        tls_reader_describe (&r, _("the content, in the clear"));
      return group;
    }

  switch (prot->cipher->type)
    {
    case TLS_CIPHER_TYPE_STREAM:
      if (tls_read_bytes (&r, rest, "encrypted content", &p))
        tls_reader_describe (&r, _("the content and its MAC, encrypted with the key stream"));
      break;

    case TLS_CIPHER_TYPE_BLOCK:
      {
        gsize ivlen = MIN (tls_record_iv_len (prot->cipher, prot->version), rest);
        gsize maclen = prot->etm ? MIN (prot->mac->len, rest - ivlen) : 0;

        if (ivlen > 0 && tls_read_bytes (&r, ivlen, "explicit IV", &p))
          tls_reader_describe (&r, _("a fresh random IV for this record (TLS 1.1 and later), "
                                     "so that the first block cannot be predicted"));
        if (tls_read_bytes (&r, rest - ivlen - maclen, "encrypted content", &p))
          tls_reader_describe (&r, prot->etm
                               ? _("the content and its padding, encrypted in CBC mode")
                               : _("the content, its MAC and the padding, encrypted in CBC mode"));
        if (prot->etm && tls_read_bytes (&r, maclen, "MAC", &p))
          tls_reader_describe (&r, _("HMAC over the sequence number, the header, the IV and the "
                                     "ciphertext (encrypt-then-MAC, RFC 7366)"));
      }
      break;

    case TLS_CIPHER_TYPE_AEAD:
      {
        gsize rivlen = MIN ((gsize) prot->cipher->record_iv_len, rest);
        gsize taglen = MIN ((gsize) prot->cipher->tag_len, rest - rivlen);

        if (rivlen > 0 && tls_read_bytes (&r, rivlen, "nonce_explicit", &p))
          tls_reader_describe (&r, _("the part of the nonce sent with the record; "
                                     "here the sequence number"));
        if (tls_read_bytes (&r, rest - rivlen - taglen, "encrypted content", &p))
          tls_reader_describe (&r, _("the content, encrypted"));
        if (tls_read_bytes (&r, taglen, "tag", &p))
          tls_reader_describe (&r, _("the authentication tag over the ciphertext and the "
                                     "additional data (sequence number, type, version, length)"));
      }
      break;
    }
  return group;
}
