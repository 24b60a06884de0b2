/* test-record.c — record framing and protection.
 *
 * Round trips for every cipher x MAC x version that TLS defines, tampering
 * (every bit of the fragment, the header, the sequence number), padding,
 * length limits, Wycheproof AES-GCM and HMAC vectors through the record
 * layer's own primitives, and known-answer records.  The known-answer
 * records were computed with Python's "cryptography" (pyca, over OpenSSL)
 * and hmac modules, independently of Nettle and of this code. */
#include "tls-record.h"
#include "tls-alert.h"
#include "tls-types.h"
#include "test-util.h"

#include <json-glib/json-glib.h>
#include <nettle/aes.h>
#include <nettle/arcfour.h>
#include <nettle/cbc.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Helpers                                                             */


#define DATA(b) ((const guint8 *) g_bytes_get_data ((b), NULL))
#define SIZE(b) g_bytes_get_size ((b))

typedef struct
{
  TlsSuite suite;
  guint16  version;
  gboolean etm;
} Combo;

static TlsSuite
suite_for (TlsCipherId cipher, TlsMacId mac)
{
  TlsSuite s = { 0, "test suite", TLS_KX_RSA, cipher, mac,
                 mac == TLS_MAC_SHA384 || cipher == TLS_CIPHER_AES_256_GCM
                   ? TLS_PRF_SHA384 : TLS_PRF_SHA256,
                 TLS_VERSION_1_0 };
  return s;
}

static GPtrArray *combos;

/* Keys for COMBO, the same for sender and receiver. */
typedef struct
{
  guint8 mac_key[TLS_MAX_MAC_KEY_LEN];
  guint8 key[TLS_MAX_KEY_LEN];
  guint8 iv[TLS_MAX_IV_LEN];
} Keys;

static void
make_keys (Keys *k, guint64 seed)
{
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (seed, "keys");
  tls_rng_bytes (rng, (guint8 *) k, sizeof *k);
}

static TlsProtection *
protection (const Combo *c, const Keys *k)
{
  return tls_protection_new (&c->suite, c->version, k->mac_key, k->key, k->iv, c->etm);
}

/* Seals one record into a new array and returns it; frag/len point into it. */
static GByteArray *
seal_one (TlsProtection *p, guint8 type, guint16 version, const guint8 *data,
          gsize len, TlsRng *rng)
{
  GByteArray *out = g_byte_array_new ();
  tls_record_seal (p, type, version, data, len, rng, out, NULL);
  return out;
}

static int
open_record (TlsProtection *p, const GByteArray *rec, GByteArray *plain)
{
  guint8 type;
  guint16 version, flen;

  g_assert_true (tls_record_parse_header (rec->data, rec->len, &type, &version, &flen));
  g_assert_cmpuint (rec->len, ==, TLS_RECORD_HEADER_LEN + flen);
  return tls_record_open (p, type, version, rec->data + 5, flen, plain);
}

/* ------------------------------------------------------------------ */
/* Round trips                                                         */

static void
check_annotation (const Combo *c, TlsField *group, const guint8 *rec, gsize rec_len,
                  gsize offset, guint8 type)
{
  const TlsCipherInfo *ci = tls_cipher_info (c->suite.cipher);
  gsize sum = 0;
  g_autofree char *type_text = g_strdup_printf ("%s (%u)", tls_content_type_name (type), type);
  g_autofree char *version_text = g_strdup_printf ("%s (0x%04x)", tls_version_name (c->version),
                                                   c->version);

  g_assert_nonnull (group);
  g_assert_cmpstr (group->name, ==, "TLSCiphertext");
  g_assert_cmpuint (group->offset, ==, offset);
  g_assert_cmpuint (group->length, ==, rec_len);
  g_assert_cmpstr (tls_field_find (group, "type")->value, ==, type_text);
  g_assert_cmpstr (tls_field_find (group, "version")->value, ==, version_text);
  g_assert_cmpuint (tls_field_find (group, "length")->offset, ==, offset + 3);
  g_assert_nonnull (tls_field_find (group, "encrypted content"));
  for (guint i = 0; i < tls_field_n_children (group); i++)
    {
      TlsField *f = tls_field_child (group, i);
      g_assert_cmpuint (f->offset, ==, offset + sum);
      g_assert_nonnull (f->desc);
      sum += f->length;
    }
  g_assert_cmpuint (sum, ==, rec_len);

  switch (ci->type)
    {
    case TLS_CIPHER_TYPE_BLOCK:
      if (c->version >= TLS_VERSION_1_1)
        g_assert_cmpuint (tls_field_find (group, "explicit IV")->length, ==, ci->block_len);
      else
        g_assert_null (tls_field_find (group, "explicit IV"));
      if (c->etm)
        g_assert_cmpuint (tls_field_find (group, "MAC")->length, ==, tls_mac_info (c->suite.mac)->len);
      else
        g_assert_null (tls_field_find (group, "MAC"));
      break;
    case TLS_CIPHER_TYPE_AEAD:
      g_assert_cmpuint (tls_field_find (group, "tag")->length, ==, 16);
      if (ci->record_iv_len)
        {
          TlsField *n = tls_field_find (group, "nonce_explicit");
          g_assert_cmpuint (n->length, ==, 8);
        }
      else
        g_assert_null (tls_field_find (group, "nonce_explicit"));
      break;
    case TLS_CIPHER_TYPE_STREAM:
      g_assert_cmpuint (tls_field_n_children (group), ==, 4);
      break;
    }
  (void) rec;
}

static void
test_roundtrip (gconstpointer data)
{
  const Combo *c = data;
  static const gsize lens[] = { 0, 1, 15, 16, 17, 100, 1000, TLS_MAX_FRAGMENT };
  static const guint8 types[] = { TLS_CONTENT_HANDSHAKE, TLS_CONTENT_APPLICATION_DATA,
                                  TLS_CONTENT_ALERT, TLS_CONTENT_CHANGE_CIPHER_SPEC };
  Keys k;
  g_autoptr (TlsProtection) tx = NULL;
  g_autoptr (TlsProtection) rx = NULL;
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (42, "iv");
  g_autoptr (TlsRng) content = tls_rng_new_seeded (43, "content");
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (TlsField) wire = tls_field_new ("wire", 0, 0);
  guint8 *buf = g_malloc (TLS_MAX_FRAGMENT);
  gsize pos = 0;

  g_test_summary ("Records sealed by one side open on the other, in order, with the "
                  "sequence number advancing, and are annotated field by field");
  make_keys (&k, 7);
  tx = protection (c, &k);
  rx = protection (c, &k);

  for (gsize i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      g_autoptr (GByteArray) plain = g_byte_array_new ();
      guint8 type = types[i % G_N_ELEMENTS (types)];
      guint8 rtype;
      guint16 rversion, flen;
      gsize start = out->len;

      tls_rng_bytes (content, buf, lens[i]);
      tls_record_seal (tx, type, c->version, buf, lens[i], rng, out, wire);
      g_assert_cmpuint (tls_protection_seq (tx), ==, i + 1);

      g_assert_true (tls_record_parse_header (out->data + start, out->len - start,
                                              &rtype, &rversion, &flen));
      g_assert_cmpuint (rtype, ==, type);
      g_assert_cmpuint (rversion, ==, c->version);
      g_assert_cmpuint (out->len - start, ==, 5 + flen);
      g_assert_cmpuint (flen, <=, TLS_MAX_CIPHERTEXT);
      if (lens[i] >= 16)
        g_assert_true (memcmp (out->data + start + 5 + (flen - lens[i]) / 2, buf, 16) != 0);

      check_annotation (c, tls_field_child (wire, i), out->data + start, out->len - start,
                        start, type);
      g_assert_cmpuint (wire->length, ==, out->len);

      /* Appends to what PLAIN already holds. */
      g_byte_array_append (plain, (const guint8 *) "xy", 2);
      g_assert_cmpint (tls_record_open (rx, rtype, rversion, out->data + start + 5, flen, plain),
                       ==, 0);
      g_assert_cmpmem (plain->data + 2, plain->len - 2, buf, lens[i]);
      g_assert_cmpuint (tls_protection_seq (rx), ==, i + 1);
      pos = out->len;
    }
  g_assert_cmpuint (pos, ==, out->len);
  g_free (buf);
}

/* ------------------------------------------------------------------ */
/* Tampering                                                           */

static void
test_tamper (gconstpointer data)
{
  const Combo *c = data;
  Keys k;
  g_autoptr (TlsProtection) tx = NULL;
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (44, "iv");
  g_autoptr (GByteArray) rec = NULL;
  g_autoptr (GByteArray) rec5 = NULL;
  guint8 msg[100];
  gsize flen;

  g_test_summary ("A flipped bit anywhere in the fragment, a changed header, a short "
                  "fragment or a wrong sequence number all give bad_record_mac");
  make_keys (&k, 8);
  memset (msg, 'm', sizeof msg);
  tx = protection (c, &k);
  rec = seal_one (tx, TLS_CONTENT_APPLICATION_DATA, c->version, msg, sizeof msg, rng);
  flen = rec->len - 5;

  for (gsize i = 0; i < flen; i++)
    {
      g_autoptr (TlsProtection) rx = protection (c, &k);
      g_autoptr (GByteArray) plain = g_byte_array_new ();
      guint8 *frag = g_memdup2 (rec->data + 5, flen);

      frag[i] ^= (guint8) (1u << (i % 8));
      g_assert_cmpint (tls_record_open (rx, TLS_CONTENT_APPLICATION_DATA, c->version,
                                        frag, flen, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
      g_assert_cmpuint (plain->len, ==, 0);
      g_assert_cmpuint (tls_protection_seq (rx), ==, 0);
      g_free (frag);
    }

  /* The header is authenticated: type, version, and (by the length) truncation */
  {
    g_autoptr (TlsProtection) rx1 = protection (c, &k);
    g_autoptr (TlsProtection) rx2 = protection (c, &k);
    g_autoptr (TlsProtection) rx3 = protection (c, &k);
    g_autoptr (TlsProtection) rx4 = protection (c, &k);
    g_autoptr (GByteArray) plain = g_byte_array_new ();

    g_assert_cmpint (tls_record_open (rx1, TLS_CONTENT_HANDSHAKE, c->version,
                                      rec->data + 5, flen, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
    g_assert_cmpint (tls_record_open (rx2, TLS_CONTENT_APPLICATION_DATA, c->version ^ 0x0003,
                                      rec->data + 5, flen, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
    g_assert_cmpint (tls_record_open (rx3, TLS_CONTENT_APPLICATION_DATA, c->version,
                                      rec->data + 5, flen - 1, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
    g_assert_cmpint (tls_record_open (rx4, TLS_CONTENT_APPLICATION_DATA, c->version,
                                      rec->data + 5, 0, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
    g_assert_cmpuint (plain->len, ==, 0);
  }
  for (gsize cut = 1; cut <= 40 && cut < flen; cut++)
    {
      g_autoptr (TlsProtection) rx = protection (c, &k);
      g_autoptr (GByteArray) plain = g_byte_array_new ();
      g_assert_cmpint (tls_record_open (rx, TLS_CONTENT_APPLICATION_DATA, c->version,
                                        rec->data + 5, cut, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
    }

  /* The sequence number is authenticated: record 5 does not open as record 0 */
  {
    g_autoptr (TlsProtection) tx5 = protection (c, &k);
    g_autoptr (TlsProtection) rx0 = protection (c, &k);
    g_autoptr (TlsProtection) rx5 = protection (c, &k);
    g_autoptr (GByteArray) plain = g_byte_array_new ();

    tls_protection_set_seq (tx5, 5);
    rec5 = seal_one (tx5, TLS_CONTENT_APPLICATION_DATA, c->version, msg, sizeof msg, rng);
    g_assert_cmpint (open_record (rx0, rec5, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
    tls_protection_set_seq (rx5, 5);
    g_assert_cmpint (open_record (rx5, rec5, plain), ==, 0);
    g_assert_cmpmem (plain->data, plain->len, msg, sizeof msg);
    g_assert_cmpuint (tls_protection_seq (rx5), ==, 6);
  }

  /* Replaying record 0 after it was accepted fails */
  {
    g_autoptr (TlsProtection) rx = protection (c, &k);
    g_autoptr (GByteArray) plain = g_byte_array_new ();
    g_assert_cmpint (open_record (rx, rec, plain), ==, 0);
    g_assert_cmpint (open_record (rx, rec, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
  }

  /* Keys of one direction do not open the other's records */
  {
    Keys other;
    g_autoptr (TlsProtection) rx = NULL;
    g_autoptr (GByteArray) plain = g_byte_array_new ();
    make_keys (&other, 9);
    rx = protection (c, &other);
    g_assert_cmpint (open_record (rx, rec, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
  }
}

/* ------------------------------------------------------------------ */
/* CBC padding, built by hand                                          */

/* A TLS 1.1/1.2 AES-128-CBC + HMAC-SHA1 record (MAC-then-encrypt) with
 * PADLEN bytes of padding; BAD_AT >= 0 puts a wrong byte there (counted
 * from the end of the plaintext, 0 = padding_length); BAD_MAC spoils the
 * MAC. */
static GByteArray *
manual_cbc_record (const Keys *k, guint16 version, const guint8 *content, gsize len,
                   guint padlen, int bad_at, gboolean bad_mac)
{
  struct aes128_ctx aes;
  guint8 hdr[13], iv[16];
  gsize ptlen = len + 20 + padlen + 1;
  guint8 *pt = g_malloc (ptlen);
  GByteArray *rec = g_byte_array_new ();
  guint8 h[5] = { TLS_CONTENT_APPLICATION_DATA, version >> 8, version & 0xff, 0, 0 };
  guint8 *mac_input = g_malloc (13 + len);

  g_assert_cmpuint (ptlen % 16, ==, 0);
  memset (hdr, 0, 8);
  hdr[8] = TLS_CONTENT_APPLICATION_DATA;
  hdr[9] = version >> 8;
  hdr[10] = version & 0xff;
  hdr[11] = len >> 8;
  hdr[12] = len & 0xff;
  memcpy (mac_input, hdr, 13);
  memcpy (mac_input + 13, content, len);
  memcpy (pt, content, len);
  tls_mac_compute (TLS_MAC_SHA1, k->mac_key, 20, mac_input, 13 + len, pt + len);
  if (bad_mac)
    pt[len] ^= 1;
  memset (pt + len + 20, (int) padlen, padlen + 1);
  if (bad_at >= 0)
    pt[ptlen - 1 - bad_at] ^= 0x40;

  h[3] = (16 + ptlen) >> 8;
  h[4] = (16 + ptlen) & 0xff;
  g_byte_array_append (rec, h, 5);
  memset (iv, 0xa5, 16);
  g_byte_array_append (rec, iv, 16);
  g_byte_array_set_size (rec, 5 + 16 + ptlen);
  aes128_set_encrypt_key (&aes, k->key);
  cbc_encrypt (&aes, (nettle_cipher_func *) aes128_encrypt, 16, iv, ptlen, rec->data + 21, pt);
  g_free (pt);
  g_free (mac_input);
  return rec;
}

static void
test_cbc_padding (void)
{
  TlsSuite suite = suite_for (TLS_CIPHER_AES_128_CBC, TLS_MAC_SHA1);
  Combo c = { suite, TLS_VERSION_1_2, FALSE };
  guint8 content[12];
  Keys k;
  struct { guint padlen; int bad_at; gboolean bad_mac; int alert; const char *what; } cases[] = {
    { 15,  -1, FALSE, 0, "short padding" },
    { 255, -1, FALSE, 0, "longest padding (255)" },
    { 47,  -1, TRUE,  TLS_ALERT_BAD_RECORD_MAC, "good padding, bad MAC" },
    { 47,   1, FALSE, TLS_ALERT_BAD_RECORD_MAC, "padding byte next to padding_length wrong" },
    { 47,  47, FALSE, TLS_ALERT_BAD_RECORD_MAC, "first padding byte wrong" },
    { 255, 200, FALSE, TLS_ALERT_BAD_RECORD_MAC, "a byte deep in long padding wrong" },
    { 47,   0, FALSE, TLS_ALERT_BAD_RECORD_MAC, "padding_length wrong" },
    { 47,  30, TRUE,  TLS_ALERT_BAD_RECORD_MAC, "bad padding and bad MAC" },
  };

  g_test_summary ("CBC padding (RFC 5246, 6.2.3.2): any length up to 255 is accepted; "
                  "a wrong padding byte and a wrong MAC give the same alert");
  make_keys (&k, 10);
  memset (content, 'c', sizeof content);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GByteArray) rec = manual_cbc_record (&k, TLS_VERSION_1_2, content, sizeof content,
                                                      cases[i].padlen, cases[i].bad_at,
                                                      cases[i].bad_mac);
      g_autoptr (TlsProtection) rx = protection (&c, &k);
      g_autoptr (GByteArray) plain = g_byte_array_new ();

      g_test_message ("%s", cases[i].what);
      g_assert_cmpint (open_record (rx, rec, plain), ==, cases[i].alert);
      if (cases[i].alert == 0)
        g_assert_cmpmem (plain->data, plain->len, content, sizeof content);
      else
        g_assert_cmpuint (plain->len, ==, 0);
    }

  /* Every plaintext byte equals padding_length (31): the padding reads as
   * well formed but leaves no room for the MAC. */
  {
    struct aes128_ctx aes;
    guint8 pt[32], iv[16];
    g_autoptr (GByteArray) rec = g_byte_array_new ();
    g_autoptr (TlsProtection) rx = protection (&c, &k);
    g_autoptr (GByteArray) plain = g_byte_array_new ();
    const guint8 h[5] = { TLS_CONTENT_APPLICATION_DATA, 3, 3, 0, 48 };

    memset (pt, 31, sizeof pt);
    memset (iv, 0x11, sizeof iv);
    g_byte_array_append (rec, h, 5);
    g_byte_array_append (rec, iv, 16);
    g_byte_array_set_size (rec, 5 + 48);
    aes128_set_encrypt_key (&aes, k.key);
    cbc_encrypt (&aes, (nettle_cipher_func *) aes128_encrypt, 16, iv, 32, rec->data + 21, pt);
    g_assert_cmpint (open_record (rx, rec, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
    g_assert_cmpuint (plain->len, ==, 0);
  }

  /* padding_length larger than the whole plaintext: 11 + 20 + 0 + 1 = 32
   * bytes, padding_length turned from 0 into 0x40 */
  {
    g_autoptr (GByteArray) rec = manual_cbc_record (&k, TLS_VERSION_1_2, content, 11, 0, 0, FALSE);
    g_autoptr (TlsProtection) rx = protection (&c, &k);
    g_autoptr (GByteArray) plain = g_byte_array_new ();
    g_assert_cmpint (open_record (rx, rec, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
  }
}

static void
test_etm_padding (void)
{
  TlsSuite suite = suite_for (TLS_CIPHER_AES_128_CBC, TLS_MAC_SHA1);
  Combo c = { suite, TLS_VERSION_1_2, TRUE };
  struct aes128_ctx aes;
  guint8 pt[32], iv[16], mac[20];
  guint8 hdr[13] = { 0, 0, 0, 0, 0, 0, 0, 0, TLS_CONTENT_APPLICATION_DATA, 3, 3, 0, 48 };
  g_autoptr (GByteArray) rec = g_byte_array_new ();
  g_autoptr (GByteArray) mac_input = g_byte_array_new ();
  g_autoptr (TlsProtection) rx = NULL;
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  guint8 h[5] = { TLS_CONTENT_APPLICATION_DATA, 3, 3, 0, 48 + 20 };
  Keys k;

  g_test_summary ("Encrypt-then-MAC (RFC 7366): a record with a valid MAC but bad "
                  "padding gives bad_record_mac");
  make_keys (&k, 11);
  memset (pt, 'e', sizeof pt);
  pt[31] = 5;          /* padding_length 5, but the padding bytes are 'e' */
  memset (iv, 0x5c, sizeof iv);
  g_byte_array_append (rec, h, 5);
  g_byte_array_append (rec, iv, 16);
  g_byte_array_set_size (rec, 5 + 48);
  aes128_set_encrypt_key (&aes, k.key);
  cbc_encrypt (&aes, (nettle_cipher_func *) aes128_encrypt, 16, iv, 32, rec->data + 21, pt);
  g_byte_array_append (mac_input, hdr, 13);
  g_byte_array_append (mac_input, rec->data + 5, 48);
  tls_mac_compute (TLS_MAC_SHA1, k.mac_key, 20, mac_input->data, mac_input->len, mac);
  g_byte_array_append (rec, mac, 20);

  rx = protection (&c, &k);
  g_assert_cmpint (open_record (rx, rec, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
  g_assert_cmpuint (plain->len, ==, 0);
}

/* ------------------------------------------------------------------ */
/* Length limits                                                       */

static void
test_overflow_plaintext (void)
{
  guint8 *big = g_malloc0 (TLS_MAX_FRAGMENT + 1);
  g_autoptr (GByteArray) plain = g_byte_array_new ();

  g_test_summary ("Without protection, a fragment of 2^14 bytes passes and 2^14 + 1 is "
                  "record_overflow");
  g_assert_cmpint (tls_record_open (NULL, TLS_CONTENT_HANDSHAKE, TLS_VERSION_1_2, big,
                                    TLS_MAX_FRAGMENT + 1, plain), ==, TLS_ALERT_RECORD_OVERFLOW);
  g_assert_cmpuint (plain->len, ==, 0);
  g_assert_cmpint (tls_record_open (NULL, TLS_CONTENT_HANDSHAKE, TLS_VERSION_1_2, big,
                                    TLS_MAX_FRAGMENT, plain), ==, 0);
  g_assert_cmpuint (plain->len, ==, TLS_MAX_FRAGMENT);
  g_free (big);
}

static void
test_overflow_ciphertext (void)
{
  static const TlsCipherId ciphers[] = { TLS_CIPHER_AES_128_CBC, TLS_CIPHER_RC4_128,
                                         TLS_CIPHER_AES_128_GCM, TLS_CIPHER_CHACHA20_POLY1305 };
  guint8 *big = g_malloc0 (TLS_MAX_CIPHERTEXT + 1);
  Keys k;

  g_test_summary ("A protected fragment longer than 2^14 + 2048 is record_overflow, "
                  "before any decryption");
  make_keys (&k, 12);
  for (gsize i = 0; i < G_N_ELEMENTS (ciphers); i++)
    {
      TlsSuite s = suite_for (ciphers[i],
                              tls_cipher_info (ciphers[i])->type == TLS_CIPHER_TYPE_AEAD
                                ? TLS_MAC_AEAD : TLS_MAC_SHA1);
      Combo c = { s, TLS_VERSION_1_2, FALSE };
      g_autoptr (TlsProtection) rx = protection (&c, &k);
      g_autoptr (GByteArray) plain = g_byte_array_new ();

      g_assert_cmpint (tls_record_open (rx, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2,
                                        big, TLS_MAX_CIPHERTEXT + 1, plain),
                       ==, TLS_ALERT_RECORD_OVERFLOW);
    }
  g_free (big);
}

static void
test_overflow_decrypted (void)
{
  TlsSuite gcm = suite_for (TLS_CIPHER_AES_128_GCM, TLS_MAC_AEAD);
  TlsSuite rc4 = suite_for (TLS_CIPHER_RC4_128, TLS_MAC_SHA1);
  Combo cg = { gcm, TLS_VERSION_1_2, FALSE };
  Combo cr = { rc4, TLS_VERSION_1_2, FALSE };
  gsize n = TLS_MAX_FRAGMENT + 1;
  guint8 *pt = g_malloc0 (n + 20);
  guint8 *frag = g_malloc0 (8 + n + 20);
  guint8 aad[13] = { 0, 0, 0, 0, 0, 0, 0, 0, TLS_CONTENT_APPLICATION_DATA, 3, 3, n >> 8, n & 0xff };
  guint8 nonce[12];
  Keys k;

  g_test_summary ("A well-protected record whose plaintext is longer than 2^14 is "
                  "record_overflow (AES-GCM and RC4, built by hand)");
  make_keys (&k, 13);

  /* GCM: nonce = salt + explicit (seq 0) */
  {
    g_autoptr (TlsProtection) rx = protection (&cg, &k);
    g_autoptr (GByteArray) plain = g_byte_array_new ();

    memcpy (nonce, k.iv, 4);
    memset (nonce + 4, 0, 8);
    tls_aead_encrypt (TLS_CIPHER_AES_128_GCM, k.key, nonce, aad, 13, pt, n, frag + 8, frag + 8 + n);
    g_assert_cmpint (tls_record_open (rx, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2,
                                      frag, 8 + n + 16, plain), ==, TLS_ALERT_RECORD_OVERFLOW);
    g_assert_cmpuint (plain->len, ==, 0);
  }

  /* RC4-SHA: content + MAC, then the key stream */
  {
    g_autoptr (TlsProtection) rx = protection (&cr, &k);
    g_autoptr (GByteArray) plain = g_byte_array_new ();
    g_autoptr (GByteArray) mac_input = g_byte_array_new ();
    struct arcfour_ctx rc4ctx;

    g_byte_array_append (mac_input, aad, 13);
    g_byte_array_append (mac_input, pt, n);
    tls_mac_compute (TLS_MAC_SHA1, k.mac_key, 20, mac_input->data, mac_input->len, pt + n);
    arcfour_set_key (&rc4ctx, 16, k.key);
    arcfour_crypt (&rc4ctx, n + 20, frag, pt);
    g_assert_cmpint (tls_record_open (rx, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2,
                                      frag, n + 20, plain), ==, TLS_ALERT_RECORD_OVERFLOW);
  }
  g_free (pt);
  g_free (frag);
}

static void
test_seal_too_long (void)
{
  g_test_summary ("Sealing more than 2^14 bytes is a programming error");
  if (g_test_subprocess ())
    {
      guint8 *big = g_malloc0 (TLS_MAX_FRAGMENT + 1);
      g_autoptr (GByteArray) out = g_byte_array_new ();
      tls_record_seal (NULL, TLS_CONTENT_HANDSHAKE, TLS_VERSION_1_2, big,
                       TLS_MAX_FRAGMENT + 1, NULL, out, NULL);
      g_free (big);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
}

/* ------------------------------------------------------------------ */
/* Plaintext records and headers                                       */

static void
test_plaintext (void)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (TlsField) wire = tls_field_new ("wire", 0, 0);
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  const guint8 hello[] = { 1, 0, 0, 2, 3, 3 };
  const guint8 expect[] = { 22, 3, 1, 0, 6, 1, 0, 0, 2, 3, 3 };
  TlsField *g;
  guint8 type;
  guint16 version, len;

  g_test_summary ("The null cipher: header + fragment, annotated as TLSPlaintext");
  g_byte_array_append (out, (const guint8 *) "pre", 3);   /* the record starts at 3 */
  tls_record_seal (NULL, TLS_CONTENT_HANDSHAKE, TLS_VERSION_1_0, hello, sizeof hello,
                   NULL, out, wire);
  g_assert_cmpmem (out->data + 3, out->len - 3, expect, sizeof expect);

  g = tls_field_child (wire, 0);
  g_assert_cmpstr (g->name, ==, "TLSPlaintext");
  g_assert_cmpuint (g->offset, ==, 3);
  g_assert_cmpuint (g->length, ==, sizeof expect);
  g_assert_cmpstr (tls_field_find (g, "type")->value, ==, "handshake (22)");
  g_assert_cmpstr (tls_field_find (g, "version")->value, ==, "TLS 1.0 (0x0301)");
  g_assert_cmpstr (tls_field_find (g, "length")->value, ==, "6");
  g_assert_cmpuint (tls_field_find (g, "version")->offset, ==, 4);
  g_assert_cmpuint (tls_field_find (g, "fragment")->offset, ==, 8);
  g_assert_cmpuint (tls_field_find (g, "fragment")->length, ==, 6);
  g_assert_true (tls_field_find_at (wire, 9) == tls_field_find (g, "fragment"));

  g_assert_false (tls_record_parse_header (expect, 4, &type, &version, &len));
  g_assert_true (tls_record_parse_header (expect, 5, &type, &version, &len));
  g_assert_cmpuint (type, ==, 22);
  g_assert_cmpuint (version, ==, 0x0301);
  g_assert_cmpuint (len, ==, 6);
  g_assert_cmpint (tls_record_open (NULL, type, version, expect + 5, len, plain), ==, 0);
  g_assert_cmpmem (plain->data, plain->len, hello, sizeof hello);
}

static void
test_annotate_truncated (void)
{
  TlsSuite s = suite_for (TLS_CIPHER_AES_128_GCM, TLS_MAC_AEAD);
  Combo c = { s, TLS_VERSION_1_2, FALSE };
  g_autoptr (TlsProtection) p = NULL;
  g_autoptr (TlsField) wire = tls_field_new ("wire", 0, 0);
  const guint8 rec[] = { 23, 3, 3, 0, 40, 1, 2, 3 };   /* claims 40, has 3 */
  Keys k;

  g_test_summary ("Annotating a truncated received record does not read past its end");
  make_keys (&k, 14);
  p = protection (&c, &k);
  tls_record_annotate (p, wire, 0, rec, sizeof rec);
  g_assert_cmpuint (tls_field_child (wire, 0)->length, ==, sizeof rec);
  g_assert_cmpuint (tls_field_find (wire, "nonce_explicit")->length, ==, 3);
}

/* ------------------------------------------------------------------ */
/* Known-answer records                                                */

static void
test_kat_gcm (void)
{
  TlsSuite s = suite_for (TLS_CIPHER_AES_128_GCM, TLS_MAC_AEAD);
  g_autoptr (GBytes) key = tu_hex ("000102030405060708090a0b0c0d0e0f");
  g_autoptr (GBytes) salt = tu_hex ("a0a1a2a3");
  g_autoptr (GBytes) expect =
    tu_hex ("170303002a0000000000000001013448d243a43f04d33c6926f534996c1cf8547e8d427e82d666a13a1a308c021902");
  const char *msg = "GET / HTTP/1.0\r\n\r\n";
  g_autoptr (TlsProtection) tx = tls_protection_new (&s, TLS_VERSION_1_2, NULL, DATA (key), DATA (salt), FALSE);
  g_autoptr (TlsProtection) rx = tls_protection_new (&s, TLS_VERSION_1_2, NULL, DATA (key), DATA (salt), FALSE);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GByteArray) plain = g_byte_array_new ();

  g_test_summary ("A TLS 1.2 AES-128-GCM record (seq 1) matches an independently computed one: "
                  "nonce = salt + seq, AAD = seq + type + version + length");
  tls_protection_set_seq (tx, 1);
  tls_record_seal (tx, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2,
                   (const guint8 *) msg, strlen (msg), NULL, out, NULL);
  g_assert_cmpmem (out->data, out->len, DATA (expect), SIZE (expect));
  tls_protection_set_seq (rx, 1);
  g_assert_cmpint (open_record (rx, out, plain), ==, 0);
  g_assert_cmpmem (plain->data, plain->len, msg, strlen (msg));
}

static void
test_kat_chacha (void)
{
  TlsSuite s = suite_for (TLS_CIPHER_CHACHA20_POLY1305, TLS_MAC_AEAD);
  g_autoptr (GBytes) key = tu_hex ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  g_autoptr (GBytes) iv = tu_hex ("0b0a09080706050403020100");
  g_autoptr (GBytes) expect =
    tu_hex ("17030300225753d5eb6d30fd4094eab3762f9cf53987dffd70d8602e33d19839e0573046ca4db2");
  const char *msg = "GET / HTTP/1.0\r\n\r\n";
  g_autoptr (TlsProtection) tx = tls_protection_new (&s, TLS_VERSION_1_2, NULL, DATA (key), DATA (iv), FALSE);
  g_autoptr (GByteArray) out = g_byte_array_new ();

  g_test_summary ("A TLS 1.2 ChaCha20-Poly1305 record (seq 7): nonce = IV XOR seq "
                  "(RFC 7905), no explicit nonce");
  tls_protection_set_seq (tx, 7);
  tls_record_seal (tx, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2,
                   (const guint8 *) msg, strlen (msg), NULL, out, NULL);
  g_assert_cmpmem (out->data, out->len, DATA (expect), SIZE (expect));
}

static void
test_kat_cbc12 (void)
{
  TlsSuite s = suite_for (TLS_CIPHER_AES_128_CBC, TLS_MAC_SHA256);
  g_autoptr (GBytes) key = tu_hex ("000102030405060708090a0b0c0d0e0f");
  guint8 mac_key[32];
  g_autoptr (GBytes) rec =
    tu_hex ("1603030070333333333333333333333333333333337b9b22290c6d35dc66baa260c6909d8cb68ad61bef2a572b"
         "0749357e3b5ce5b29725dde44ba188fdb38581895646534224b0af3d563407506b4956f82b51d9c5c39637d44c"
         "f718d20addb0f264954b29a71ec3dd09df87aea73616e6af5f8bf9");
  g_autoptr (TlsProtection) rx = NULL;
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  const char *msg = "GET / HTTP/1.0\r\n\r\n";

  g_test_summary ("A TLS 1.2 AES-128-CBC-SHA256 record with an explicit IV and 45 bytes "
                  "of padding, made elsewhere, opens");
  memset (mac_key, 0x5a, sizeof mac_key);
  rx = tls_protection_new (&s, TLS_VERSION_1_2, mac_key, DATA (key), NULL, FALSE);
  g_assert_cmpint (tls_record_open (rx, TLS_CONTENT_HANDSHAKE, TLS_VERSION_1_2,
                                    DATA (rec) + 5, SIZE (rec) - 5, plain), ==, 0);
  g_assert_cmpmem (plain->data, plain->len, msg, strlen (msg));
}

static void
test_kat_etm12 (void)
{
  TlsSuite s = suite_for (TLS_CIPHER_AES_128_CBC, TLS_MAC_SHA1);
  g_autoptr (GBytes) key = tu_hex ("000102030405060708090a0b0c0d0e0f");
  guint8 mac_key[20];
  g_autoptr (GBytes) rec =
    tu_hex ("1703030044333333333333333333333333333333337b9b22290c6d35dc66baa260c6909d8cff694b4b02b3d9"
         "a57187216499651fc8c924f93b17810002eddccc142cbc4c1b4ba1736b");
  g_autoptr (TlsProtection) rx = NULL;
  g_autoptr (TlsProtection) mte = NULL;
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  const char *msg = "GET / HTTP/1.0\r\n\r\n";

  g_test_summary ("A TLS 1.2 encrypt-then-MAC AES-128-CBC-SHA record made elsewhere opens, "
                  "and not without encrypt-then-MAC");
  memset (mac_key, 0x6b, sizeof mac_key);
  rx = tls_protection_new (&s, TLS_VERSION_1_2, mac_key, DATA (key), NULL, TRUE);
  g_assert_true (tls_protection_etm (rx));
  g_assert_cmpint (tls_record_open (rx, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2,
                                    DATA (rec) + 5, SIZE (rec) - 5, plain), ==, 0);
  g_assert_cmpmem (plain->data, plain->len, msg, strlen (msg));

  mte = tls_protection_new (&s, TLS_VERSION_1_2, mac_key, DATA (key), NULL, FALSE);
  g_byte_array_set_size (plain, 0);
  g_assert_cmpint (tls_record_open (mte, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2,
                                    DATA (rec) + 5, SIZE (rec) - 5, plain), ==,
                   TLS_ALERT_BAD_RECORD_MAC);
}

static void
test_kat_tls10_chain (void)
{
  TlsSuite s = suite_for (TLS_CIPHER_AES_128_CBC, TLS_MAC_SHA1);
  g_autoptr (GBytes) key = tu_hex ("000102030405060708090a0b0c0d0e0f");
  g_autoptr (GBytes) rec1 =
    tu_hex ("17030100308ec10f326f80415a62df952ae4c56ceec7677a839a9240ec7e6ebdd3bb8b7342a37cbc3f916debf1"
         "90eb12585985c223");
  g_autoptr (GBytes) rec2 =
    tu_hex ("1703010030d0ae6645fec919c68975ff89bc12454fc4857dec94d2c0fd0657e4f7928c29f7a52cf1c95d30c85a"
         "716278337f52e4cf");
  guint8 mac_key[20], iv[16];
  g_autoptr (TlsProtection) tx = NULL;
  g_autoptr (TlsProtection) rx = NULL;
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GByteArray) plain = g_byte_array_new ();

  g_test_summary ("TLS 1.0 AES-128-CBC-SHA: the second record's IV is the first record's "
                  "last ciphertext block (two records made elsewhere)");
  memset (mac_key, 0x6b, sizeof mac_key);
  memset (iv, 0x44, sizeof iv);
  tx = tls_protection_new (&s, TLS_VERSION_1_0, mac_key, DATA (key), iv, FALSE);
  rx = tls_protection_new (&s, TLS_VERSION_1_0, mac_key, DATA (key), iv, FALSE);
  tls_record_seal (tx, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_0,
                   (const guint8 *) "first record", 12, NULL, out, NULL);
  g_assert_cmpmem (out->data, out->len, DATA (rec1), SIZE (rec1));
  g_byte_array_set_size (out, 0);
  tls_record_seal (tx, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_0,
                   (const guint8 *) "second record!", 14, NULL, out, NULL);
  g_assert_cmpmem (out->data, out->len, DATA (rec2), SIZE (rec2));

  g_assert_cmpint (tls_record_open (rx, 23, TLS_VERSION_1_0, DATA (rec1) + 5, SIZE (rec1) - 5,
                                    plain), ==, 0);
  g_assert_cmpint (tls_record_open (rx, 23, TLS_VERSION_1_0, DATA (rec2) + 5, SIZE (rec2) - 5,
                                    plain), ==, 0);
  g_assert_cmpmem (plain->data, plain->len, "first recordsecond record!", 26);
}

static void
test_kat_3des (void)
{
  TlsSuite s = suite_for (TLS_CIPHER_3DES_EDE_CBC, TLS_MAC_SHA1);
  g_autoptr (GBytes) key = tu_hex ("101112131415161718191a1b1c1d1e1f2021222324252627");
  g_autoptr (GBytes) expect =
    tu_hex ("1503010020ce6fa1c1aa89e71c1773ac0402ac058f30769364693c2d56043d8235fac11744");
  guint8 mac_key[20], iv[8];
  g_autoptr (TlsProtection) tx = NULL;
  g_autoptr (GByteArray) out = g_byte_array_new ();

  g_test_summary ("A TLS 1.0 3DES-EDE-CBC-SHA record matches one made elsewhere");
  memset (mac_key, 0x6b, sizeof mac_key);
  memset (iv, 0x77, sizeof iv);
  tx = tls_protection_new (&s, TLS_VERSION_1_0, mac_key, DATA (key), iv, FALSE);
  tls_record_seal (tx, TLS_CONTENT_ALERT, TLS_VERSION_1_0, (const guint8 *) "3des", 4,
                   NULL, out, NULL);
  g_assert_cmpmem (out->data, out->len, DATA (expect), SIZE (expect));
}

static void
test_kat_rc4 (void)
{
  TlsSuite s = suite_for (TLS_CIPHER_RC4_128, TLS_MAC_MD5);
  g_autoptr (GBytes) key = tu_hex ("000102030405060708090a0b0c0d0e0f");
  g_autoptr (GBytes) rec1 = tu_hex ("17030100179bff74d9288c7c439f8b21d0d07dd4f31ccaa8b3ebdb49");
  g_autoptr (GBytes) rec2 = tu_hex ("17030100179cecaa85ad8e583d0847a4d5beb46e731408e5fca05248");
  guint8 mac_key[16];
  g_autoptr (TlsProtection) tx = NULL;
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GBytes) both = NULL;

  g_test_summary ("Two TLS 1.0 RC4-128-MD5 records match ones made elsewhere: the key "
                  "stream runs on across records");
  memset (mac_key, 0x99, sizeof mac_key);
  tx = tls_protection_new (&s, TLS_VERSION_1_0, mac_key, DATA (key), NULL, FALSE);
  tls_record_seal (tx, 23, TLS_VERSION_1_0, (const guint8 *) "rc4 one", 7, NULL, out, NULL);
  tls_record_seal (tx, 23, TLS_VERSION_1_0, (const guint8 *) "rc4 two", 7, NULL, out, NULL);
  g_assert_cmpmem (out->data, SIZE (rec1), DATA (rec1), SIZE (rec1));
  g_assert_cmpmem (out->data + SIZE (rec1), out->len - SIZE (rec1), DATA (rec2), SIZE (rec2));
}

static void
test_key_block_protection (void)
{
  const TlsSuite *suite = tls_suite_by_name ("TLS_RSA_WITH_AES_128_GCM_SHA256");
  guint8 master[48], cr[32], sr[32];
  TlsKeyBlock kb;
  g_autoptr (TlsProtection) client_tx = NULL;
  g_autoptr (TlsProtection) server_rx = NULL;
  g_autoptr (TlsProtection) server_tx = NULL;
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GByteArray) plain = g_byte_array_new ();

  g_test_summary ("Protections made from a key block: the client's write keys open on the "
                  "server, and not the server's");
  memset (master, 1, sizeof master);
  memset (cr, 2, sizeof cr);
  memset (sr, 3, sizeof sr);
  tls_derive_key_block (NULL, TLS_ACTOR_CLIENT, TLS_VERSION_1_2, suite, master, cr, sr, -1, -1, -1, &kb);
  client_tx = tls_protection_new_from_key_block (suite, TLS_VERSION_1_2, &kb, TRUE, FALSE);
  server_rx = tls_protection_new_from_key_block (suite, TLS_VERSION_1_2, &kb, TRUE, FALSE);
  server_tx = tls_protection_new_from_key_block (suite, TLS_VERSION_1_2, &kb, FALSE, FALSE);
  g_assert_true (tls_protection_suite (client_tx) == suite);

  tls_record_seal (client_tx, 22, TLS_VERSION_1_2, (const guint8 *) "finished", 8, NULL, out, NULL);
  g_assert_cmpint (open_record (server_tx, out, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
  g_assert_cmpint (open_record (server_rx, out, plain), ==, 0);
  g_assert_cmpmem (plain->data, plain->len, "finished", 8);
}

/* ------------------------------------------------------------------ */
/* Wycheproof                                                          */



static void
test_wycheproof_gcm (void)
{
  g_autoptr (JsonParser) parser = tu_load_wycheproof ("aes_gcm_test.json");
  JsonArray *groups = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                    "testGroups");
  guint ran = 0, valid = 0;

  g_test_summary ("AES-GCM against Wycheproof (12-byte IV, 128-bit tag, 128- and 256-bit "
                  "keys) through the record layer's AEAD code");
  for (guint gi = 0; gi < json_array_get_length (groups); gi++)
    {
      JsonObject *g = json_array_get_object_element (groups, gi);
      gint64 key_size = json_object_get_int_member (g, "keySize");
      JsonArray *tests;
      TlsCipherId cipher;

      if (json_object_get_int_member (g, "ivSize") != 96
          || json_object_get_int_member (g, "tagSize") != 128)
        continue;
      if (key_size == 128)
        cipher = TLS_CIPHER_AES_128_GCM;
      else if (key_size == 256)
        cipher = TLS_CIPHER_AES_256_GCM;
      else
        continue;   /* AES-192 is not a TLS cipher */

      tests = json_object_get_array_member (g, "tests");
      for (guint ti = 0; ti < json_array_get_length (tests); ti++)
        {
          JsonObject *t = json_array_get_object_element (tests, ti);
          gint64 id = json_object_get_int_member (t, "tcId");
          const char *result = json_object_get_string_member (t, "result");
          g_autoptr (GBytes) key = tu_member_hex (t, "key");
          g_autoptr (GBytes) iv = tu_member_hex (t, "iv");
          g_autoptr (GBytes) aad = tu_member_hex (t, "aad");
          g_autoptr (GBytes) msg = tu_member_hex (t, "msg");
          g_autoptr (GBytes) ct = tu_member_hex (t, "ct");
          g_autoptr (GBytes) tag = tu_member_hex (t, "tag");
          gsize n = SIZE (ct);
          guint8 *out = g_malloc (n + 1);
          guint8 mytag[16];
          gboolean ok;

          g_assert_cmpuint (SIZE (iv), ==, 12);
          g_assert_cmpuint (SIZE (tag), ==, 16);
          ok = tls_aead_decrypt (cipher, DATA (key), DATA (iv), DATA (aad), SIZE (aad),
                                 DATA (ct), n, DATA (tag), out);
          if (g_str_equal (result, "valid"))
            {
              if (!ok)
                g_error ("tcId %" G_GINT64_FORMAT ": valid vector rejected", id);
              g_assert_cmpmem (out, n, DATA (msg), SIZE (msg));
              tls_aead_encrypt (cipher, DATA (key), DATA (iv), DATA (aad), SIZE (aad),
                                DATA (msg), SIZE (msg), out, mytag);
              g_assert_cmpmem (out, n, DATA (ct), n);
              g_assert_cmpmem (mytag, 16, DATA (tag), 16);
              valid++;
            }
          else if (ok)
            g_error ("tcId %" G_GINT64_FORMAT ": invalid vector accepted", id);
          ran++;
          g_free (out);
        }
    }
  g_test_message ("%u AES-GCM vectors, %u valid", ran, valid);
  g_assert_cmpuint (ran, >=, 100);
  g_assert_cmpuint (valid, >, 0);
  g_assert_cmpuint (valid, <, ran);
}

static void
test_wycheproof_hmac (gconstpointer data)
{
  const char *file = data;
  g_autoptr (JsonParser) parser = tu_load_wycheproof (file);
  JsonArray *groups = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                    "testGroups");
  TlsMacId mac = strstr (file, "sha1") ? TLS_MAC_SHA1
               : strstr (file, "sha256") ? TLS_MAC_SHA256 : TLS_MAC_SHA384;
  guint ran = 0;

  g_test_summary ("HMAC against Wycheproof through tls_mac_compute (full and truncated tags, "
                  "short and long keys)");
  for (guint gi = 0; gi < json_array_get_length (groups); gi++)
    {
      JsonObject *g = json_array_get_object_element (groups, gi);
      gsize tag_len = json_object_get_int_member (g, "tagSize") / 8;
      JsonArray *tests = json_object_get_array_member (g, "tests");

      for (guint ti = 0; ti < json_array_get_length (tests); ti++)
        {
          JsonObject *t = json_array_get_object_element (tests, ti);
          gint64 id = json_object_get_int_member (t, "tcId");
          const char *result = json_object_get_string_member (t, "result");
          g_autoptr (GBytes) key = tu_member_hex (t, "key");
          g_autoptr (GBytes) msg = tu_member_hex (t, "msg");
          g_autoptr (GBytes) tag = tu_member_hex (t, "tag");
          guint8 out[TLS_MAX_MAC_LEN];
          gboolean same;

          tls_mac_compute (mac, DATA (key), SIZE (key), DATA (msg), SIZE (msg), out);
          same = SIZE (tag) == tag_len && memcmp (out, DATA (tag), tag_len) == 0;
          if (g_str_equal (result, "valid") != same)
            g_error ("%s tcId %" G_GINT64_FORMAT ": expected %s", file, id, result);
          ran++;
        }
    }
  g_test_message ("%u vectors", ran);
  g_assert_cmpuint (ran, >=, 150);
}

/* ------------------------------------------------------------------ */

static void
add_combo (TlsCipherId cipher, TlsMacId mac, guint16 version, gboolean etm)
{
  Combo *c = g_new0 (Combo, 1);
  g_autofree char *rt = NULL;
  g_autofree char *tm = NULL;
  const char *v = version == TLS_VERSION_1_0 ? "1.0" : version == TLS_VERSION_1_1 ? "1.1" : "1.2";

  c->suite = suite_for (cipher, mac);
  c->version = version;
  c->etm = etm;
  g_ptr_array_add (combos, c);
  rt = g_strdup_printf ("/record/roundtrip/%s/%s/TLS%s%s", tls_cipher_info (cipher)->name,
                        tls_mac_info (mac)->name, v, etm ? "/etm" : "");
  tm = g_strdup_printf ("/record/tamper/%s/%s/TLS%s%s", tls_cipher_info (cipher)->name,
                        tls_mac_info (mac)->name, v, etm ? "/etm" : "");
  g_test_add_data_func (rt, c, test_roundtrip);
  g_test_add_data_func (tm, c, test_tamper);
}

int
main (int argc, char **argv)
{
  static const TlsCipherId cbc[] = { TLS_CIPHER_AES_128_CBC, TLS_CIPHER_AES_256_CBC,
                                     TLS_CIPHER_3DES_EDE_CBC };
  static const guint16 versions[] = { TLS_VERSION_1_0, TLS_VERSION_1_1, TLS_VERSION_1_2 };
  int ret;

  g_test_init (&argc, &argv, NULL);
  combos = g_ptr_array_new_with_free_func (g_free);

  /* CBC: HMAC-SHA1 in every version, with and without encrypt-then-MAC;
   * HMAC-SHA256/384 exist from TLS 1.2 on (RFC 5246, A.5; RFC 5289). */
  for (gsize i = 0; i < G_N_ELEMENTS (cbc); i++)
    for (gsize v = 0; v < G_N_ELEMENTS (versions); v++)
      for (int etm = 0; etm <= 1; etm++)
        {
          add_combo (cbc[i], TLS_MAC_SHA1, versions[v], etm);
          if (versions[v] == TLS_VERSION_1_2 && cbc[i] != TLS_CIPHER_3DES_EDE_CBC)
            {
              add_combo (cbc[i], TLS_MAC_SHA256, versions[v], etm);
              add_combo (cbc[i], TLS_MAC_SHA384, versions[v], etm);
            }
        }
  /* RC4 with MD5 and SHA-1 (RFC 5246 still lists them; RFC 7465 forbids them) */
  for (gsize v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      add_combo (TLS_CIPHER_RC4_128, TLS_MAC_MD5, versions[v], FALSE);
      add_combo (TLS_CIPHER_RC4_128, TLS_MAC_SHA1, versions[v], FALSE);
    }
  /* AEAD: TLS 1.2 only */
  add_combo (TLS_CIPHER_AES_128_GCM, TLS_MAC_AEAD, TLS_VERSION_1_2, FALSE);
  add_combo (TLS_CIPHER_AES_256_GCM, TLS_MAC_AEAD, TLS_VERSION_1_2, FALSE);
  add_combo (TLS_CIPHER_CHACHA20_POLY1305, TLS_MAC_AEAD, TLS_VERSION_1_2, FALSE);

  g_test_add_func ("/record/plaintext", test_plaintext);
  g_test_add_func ("/record/annotate-truncated", test_annotate_truncated);
  g_test_add_func ("/record/cbc-padding", test_cbc_padding);
  g_test_add_func ("/record/etm-padding", test_etm_padding);
  g_test_add_func ("/record/overflow/plaintext", test_overflow_plaintext);
  g_test_add_func ("/record/overflow/ciphertext", test_overflow_ciphertext);
  g_test_add_func ("/record/overflow/decrypted", test_overflow_decrypted);
  g_test_add_func ("/record/overflow/seal", test_seal_too_long);
  g_test_add_func ("/record/kat/aes-128-gcm", test_kat_gcm);
  g_test_add_func ("/record/kat/chacha20-poly1305", test_kat_chacha);
  g_test_add_func ("/record/kat/aes-128-cbc-sha256-tls12", test_kat_cbc12);
  g_test_add_func ("/record/kat/etm-aes-128-cbc-sha-tls12", test_kat_etm12);
  g_test_add_func ("/record/kat/aes-128-cbc-sha-tls10-chained", test_kat_tls10_chain);
  g_test_add_func ("/record/kat/3des-ede-cbc-sha-tls10", test_kat_3des);
  g_test_add_func ("/record/kat/rc4-128-md5-tls10", test_kat_rc4);
  g_test_add_func ("/record/key-block", test_key_block_protection);
  g_test_add_func ("/record/wycheproof/aes-gcm", test_wycheproof_gcm);
  g_test_add_data_func ("/record/wycheproof/hmac-sha1", "hmac_sha1_test.json", test_wycheproof_hmac);
  g_test_add_data_func ("/record/wycheproof/hmac-sha256", "hmac_sha256_test.json", test_wycheproof_hmac);
  g_test_add_data_func ("/record/wycheproof/hmac-sha384", "hmac_sha384_test.json", test_wycheproof_hmac);

  ret = g_test_run ();
  g_ptr_array_unref (combos);
  return ret;
}
