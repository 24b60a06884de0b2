/* test-tls13-record.c — TLS 1.3 record protection against RFC 8448.
 *
 * The protected records of RFC 8448 section 3 (the server's encrypted
 * handshake flight, the client's Finished, both application data records)
 * are sealed from their plaintext and opened again, byte for byte, with
 * the traffic keys the RFC gives; then what must fail fails with the alert
 * RFC 8446, 5.2 and 5.4 prescribe. */
#include <string.h>

#include "rfc8448.h"
#include "test-util.h"
#include "tls-alert.h"
#include "tls-record.h"
#include "tls-types.h"
#include "tls13-record.h"

static Rfc8448 *rfc;

static Tls13Protection *
protection (const char *keys_step, guint64 seq)
{
  GBytes *key = rfc8448_get (rfc, keys_step, "key expanded");
  GBytes *iv = rfc8448_get (rfc, keys_step, "iv expanded");
  Tls13Protection *p = tls13_protection_new (TLS_CIPHER_AES_128_GCM, TU_DATA (key), TU_DATA (iv));

  tls13_protection_set_seq (p, seq);
  return p;
}

/* Seals CONTENT with the keys of KEYS_STEP at SEQ and compares with
 * RECORD; then opens RECORD and gets CONTENT and TYPE back. */
static void
check_record (const char *keys_step, guint64 seq, guint8 type,
              const guint8 *content, gsize len, GBytes *record)
{
  g_autoptr (Tls13Protection) seal = protection (keys_step, seq);
  g_autoptr (Tls13Protection) open = protection (keys_step, seq);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  g_autoptr (TlsField) wire = tls_field_new ("records", 0, 0);
  TlsField *group;
  guint8 got_type = 0;
  gsize padding = 99;

  tls13_record_seal (seal, type, content, len, 0, out, wire);
  g_assert_cmpmem (out->data, out->len, TU_DATA (record), TU_SIZE (record));
  g_assert_cmpuint (tls13_protection_seq (seal), ==, seq + 1);

  /* The annotation: the header fields, the encrypted record and the tag. */
  group = tls_field_find (wire, "TLSCiphertext");
  g_assert_nonnull (group);
  g_assert_cmpuint (group->length, ==, TU_SIZE (record));
  g_assert_cmpuint (tls_field_find (group, "opaque_type")->length, ==, 1);
  g_assert_cmpuint (tls_field_find (group, "tag")->length, ==, 16);
  g_assert_cmpuint (tls_field_find (group, "tag")->offset, ==, TU_SIZE (record) - 16);
  g_assert_cmpuint (tls_field_find (group, "encrypted_record")->length, ==, len + 1);

  g_assert_cmpint (tls13_record_open (open, TU_DATA (record), TU_DATA (record) + 5,
                                      TU_SIZE (record) - 5, &got_type, &padding, plain), ==, 0);
  g_assert_cmpuint (got_type, ==, type);
  g_assert_cmpuint (padding, ==, 0);
  g_assert_cmpmem (plain->data, plain->len, content, len);
  g_assert_cmpuint (tls13_protection_seq (open), ==, seq + 1);
}

static void
test_server_flight (void)
{
  const char *msgs[][2] = {
    { "{server}  construct an EncryptedExtensions", "EncryptedExtensions" },
    { "{server}  construct a Certificate", "Certificate" },
    { "{server}  construct a CertificateVerify", "CertificateVerify" },
    { "{server}  construct a Finished", "Finished" },
  };
  g_autoptr (GByteArray) flight = g_byte_array_new ();
  GBytes *record = rfc8448_nth (rfc, "{server}  send handshake record", "complete record", 1);

  g_test_summary ("The server's encrypted handshake flight of RFC 8448 section 3 (EncryptedExtensions "
                  "to Finished in one record), sealed and opened byte for byte");
  for (guint i = 0; i < G_N_ELEMENTS (msgs); i++)
    {
      GBytes *m = rfc8448_get (rfc, msgs[i][0], msgs[i][1]);
      g_byte_array_append (flight, TU_DATA (m), TU_SIZE (m));
    }
  check_record ("{server}  derive write traffic keys for handshake", 0, TLS_CONTENT_HANDSHAKE,
                flight->data, flight->len, record);
}

static void
test_client_finished (void)
{
  GBytes *fin = rfc8448_get (rfc, "{client}  construct a Finished", "Finished");
  GBytes *record = rfc8448_nth (rfc, "{client}  send handshake record", "complete record", 1);

  g_test_summary ("The client's Finished record of RFC 8448 section 3, under the client's "
                  "handshake traffic keys");
  check_record ("{server}  derive read traffic keys for handshake", 0, TLS_CONTENT_HANDSHAKE,
                TU_DATA (fin), TU_SIZE (fin), record);
}

static void
test_application_data (void)
{
  guint8 payload[50];

  g_test_summary ("Both application data records of RFC 8448 section 3; the server's is its "
                  "second record under its application keys (after the NewSessionTicket), so "
                  "it checks the nonce of sequence number 1");
  for (guint i = 0; i < sizeof payload; i++)
    payload[i] = i;
  check_record ("{client}  derive write traffic keys for application", 0,
                TLS_CONTENT_APPLICATION_DATA, payload, sizeof payload,
                rfc8448_get (rfc, "{client}  send application_data record", "complete record"));
  check_record ("{server}  derive write traffic keys for application", 1,
                TLS_CONTENT_APPLICATION_DATA, payload, sizeof payload,
                rfc8448_get (rfc, "{server}  send application_data record", "complete record"));
}

static void
test_tampered (void)
{
  GBytes *record = rfc8448_get (rfc, "{client}  send application_data record", "complete record");
  gsize n = TU_SIZE (record);
  g_autofree guint8 *bad = g_memdup2 (TU_DATA (record), n);
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  guint8 type;

  g_test_summary ("Every one-bit change of a protected record is refused (bad_record_mac in the "
                  "body and length, unexpected_message in the outer type), and so is the record "
                  "at another sequence number; nothing is handed on");
  for (gsize bit = 0; bit < n * 8; bit++)
    {
      g_autoptr (Tls13Protection) p = protection ("{client}  derive write traffic keys for application", 0);
      gsize len;
      int alert;

      memcpy (bad, TU_DATA (record), n);
      bad[bit / 8] ^= 1 << (bit % 8);
      len = MIN ((gsize) ((bad[3] << 8) | bad[4]), n - 5);
      alert = tls13_record_open (p, bad, bad + 5, len, &type, NULL, plain);
      if (bit < 8)
        g_assert_cmpint (alert, ==, TLS_ALERT_UNEXPECTED_MESSAGE);
      else
        g_assert_cmpint (alert, ==, TLS_ALERT_BAD_RECORD_MAC);
      g_assert_cmpuint (plain->len, ==, 0);
      g_assert_cmpuint (tls13_protection_seq (p), ==, 0);
    }
  for (guint64 seq = 1; seq < 4; seq++)
    {
      g_autoptr (Tls13Protection) p = protection ("{client}  derive write traffic keys for application", seq);
      g_assert_cmpint (tls13_record_open (p, TU_DATA (record), TU_DATA (record) + 5, n - 5,
                                          &type, NULL, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
    }
  /* The server's key does not open the client's record. */
  {
    g_autoptr (Tls13Protection) p = protection ("{server}  derive write traffic keys for application", 0);
    g_assert_cmpint (tls13_record_open (p, TU_DATA (record), TU_DATA (record) + 5, n - 5,
                                        &type, NULL, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
  }
}

static void
test_padding_and_limits (void)
{
  static const TlsCipherId ciphers[] = {
    TLS_CIPHER_AES_128_GCM, TLS_CIPHER_AES_256_GCM, TLS_CIPHER_CHACHA20_POLY1305,
  };
  guint8 key[32], iv[12];

  g_test_summary ("Padding is hidden and removed, all-zero plaintext and empty handshake or "
                  "alert records are unexpected_message, oversized records record_overflow, "
                  "for the three TLS 1.3 AEADs");
  for (guint i = 0; i < sizeof key; i++)
    key[i] = 0xa0 + i;
  for (guint i = 0; i < sizeof iv; i++)
    iv[i] = 0x10 * i;
  for (guint c = 0; c < G_N_ELEMENTS (ciphers); c++)
    {
      g_autoptr (Tls13Protection) s = tls13_protection_new (ciphers[c], key, iv);
      g_autoptr (Tls13Protection) o = tls13_protection_new (ciphers[c], key, iv);
      g_autoptr (GByteArray) out = g_byte_array_new ();
      g_autoptr (GByteArray) plain = g_byte_array_new ();
      g_autofree guint8 *big = g_malloc0 (TLS13_MAX_CIPHERTEXT + 1);
      static const guint8 alert[2] = { 1, 0 };
      guint8 type;
      gsize padding;
      gsize at;

      /* 2 bytes of alert and 30 of padding: 2 + 1 + 30 + 16 on the wire. */
      tls13_record_seal (s, TLS_CONTENT_ALERT, alert, sizeof alert, 30, out, NULL);
      g_assert_cmpuint (out->len, ==, 5 + 2 + 1 + 30 + 16);
      g_assert_cmpint (tls13_record_open (o, out->data, out->data + 5, out->len - 5,
                                          &type, &padding, plain), ==, 0);
      g_assert_cmpuint (type, ==, TLS_CONTENT_ALERT);
      g_assert_cmpuint (padding, ==, 30);
      g_assert_cmpmem (plain->data, plain->len, alert, sizeof alert);

      /* No content type at all: only zeros. */
      at = out->len;
      tls13_record_seal (s, 0, NULL, 0, 7, out, NULL);
      g_byte_array_set_size (plain, 0);
      g_assert_cmpint (tls13_record_open (o, out->data + at, out->data + at + 5, out->len - at - 5,
                                          &type, &padding, plain), ==, TLS_ALERT_UNEXPECTED_MESSAGE);
      g_assert_cmpuint (plain->len, ==, 0);

      /* An empty handshake record; an empty application data record is fine. */
      tls13_protection_set_seq (o, tls13_protection_seq (s));
      at = out->len;
      tls13_record_seal (s, TLS_CONTENT_HANDSHAKE, NULL, 0, 0, out, NULL);
      g_assert_cmpint (tls13_record_open (o, out->data + at, out->data + at + 5, out->len - at - 5,
                                          &type, &padding, plain), ==, TLS_ALERT_UNEXPECTED_MESSAGE);
      tls13_protection_set_seq (o, tls13_protection_seq (s));
      at = out->len;
      tls13_record_seal (s, TLS_CONTENT_APPLICATION_DATA, NULL, 0, 0, out, NULL);
      g_assert_cmpint (tls13_record_open (o, out->data + at, out->data + at + 5, out->len - at - 5,
                                          &type, &padding, plain), ==, 0);
      g_assert_cmpuint (type, ==, TLS_CONTENT_APPLICATION_DATA);

      /* Longer than 2^14 + 256: record_overflow before any decryption. */
      big[0] = TLS_CONTENT_APPLICATION_DATA;
      big[1] = big[2] = 3;
      big[3] = (TLS13_MAX_CIPHERTEXT + 1) >> 8;
      big[4] = (TLS13_MAX_CIPHERTEXT + 1) & 0xff;
      g_assert_cmpint (tls13_record_open (o, big, big + 5, TLS13_MAX_CIPHERTEXT + 1,
                                          &type, &padding, plain), ==, TLS_ALERT_RECORD_OVERFLOW);
      /* Shorter than a tag and a content type. */
      g_assert_cmpint (tls13_record_open (o, big, big + 5, 16,
                                          &type, &padding, plain), ==, TLS_ALERT_BAD_RECORD_MAC);
    }
}

static void
test_inner_annotation (void)
{
  static const guint8 inner[] = { 'h', 'i', 23, 0, 0, 0 };
  g_autoptr (TlsField) root = tls_field_new ("plain", 0, sizeof inner);
  TlsField *g = tls13_inner_plaintext_annotate (root, 0, inner, sizeof inner);

  g_test_summary ("TLSInnerPlaintext is shown as content, type and zeros");
  g_assert_cmpuint (tls_field_find (g, "content")->length, ==, 2);
  g_assert_cmpuint (tls_field_find (g, "type")->offset, ==, 2);
  g_assert_cmpstr (tls_field_find (g, "type")->value, ==, "application_data (23)");
  g_assert_cmpuint (tls_field_find (g, "zeros")->length, ==, 3);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  rfc = rfc8448_load ("section3.txt");
  g_test_add_func ("/tls13/rfc8448/record/server-flight", test_server_flight);
  g_test_add_func ("/tls13/rfc8448/record/client-finished", test_client_finished);
  g_test_add_func ("/tls13/rfc8448/record/application-data", test_application_data);
  g_test_add_func ("/tls13/record/tampered", test_tampered);
  g_test_add_func ("/tls13/record/padding-and-limits", test_padding_and_limits);
  g_test_add_func ("/tls13/record/inner-plaintext", test_inner_annotation);
  ret = g_test_run ();
  rfc8448_free (rfc);
  return ret;
}
