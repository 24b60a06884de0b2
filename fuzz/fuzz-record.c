/* fuzz-record.c — libFuzzer target for the record layer (protocol/record).
 *
 *   byte 0   the suite (tls_suite_all, modulo its length)
 *   byte 1   bits 0-1: TLS 1.0, 1.1, 1.2 (3: 1.2); bit 2: encrypt-then-MAC;
 *            bit 3: the records are in the clear (no protection)
 *   rest     records as they arrive: each header is read
 *            (tls_record_parse_header), annotated (tls_record_annotate) and
 *            its fragment opened (tls_record_open_checked) with fixed keys;
 *            after the first failure the rest is sealed and opened again,
 *            which must give back the same bytes.
 * The seeds (fuzz/corpus/record) are records sealed with these keys, so
 * the fuzzer starts from records that open. */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls-prf.h"
#include "tls-record.h"
#include "tls-rng.h"
#include "tls-suites.h"
#include "tls-trace.h"
#include "tls-types.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const guint16 versions[] = { TLS_VERSION_1_0, TLS_VERSION_1_1, TLS_VERSION_1_2, TLS_VERSION_1_2 };

/* The same keys every time: bytes 0x01, 0x02, ... */
static TlsProtection *
protection (const TlsSuite *suite, guint16 version, gboolean etm)
{
  guint8 mac_key[64], key[64], iv[64];

  for (guint i = 0; i < 64; i++)
    {
      mac_key[i] = (guint8) (i + 1);
      key[i] = (guint8) (0x40 + i);
      iv[i] = (guint8) (0x80 + i);
    }
  return tls_protection_new (suite, version, mac_key, key,
                             tls_key_block_iv_len (tls_cipher_info (suite->cipher), version) ? iv : NULL,
                             etm);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  guint n;
  const TlsSuite **all = tls_suite_all (&n);
  const TlsSuite *suite;
  guint16 version;
  gboolean etm, clear;
  g_autoptr (TlsProtection) opener = NULL;
  g_autoptr (TlsProtection) sealer = NULL;
  g_autoptr (TlsProtection) reopener = NULL;
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (1, "record");
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  TlsField *root = tls_field_new ("fuzz", 0, 0);
  gsize pos = 2;

  if (size < 2)
    {
      tls_field_free (root);
      return 0;
    }
  suite = all[data[0] % n];
  version = versions[data[1] & 3];
  etm = (data[1] & 4) != 0;
  clear = (data[1] & 8) != 0;
  if (!clear)
    opener = protection (suite, version, etm);

  /* Records as they arrive. */
  while (pos < size)
    {
      guint8 type;
      guint16 rec_version, frag_len;
      TlsRecordCheck check;
      int alert;

      if (!tls_record_parse_header (data + pos, size - pos, &type, &rec_version, &frag_len))
        break;
      if (size - pos < TLS_RECORD_HEADER_LEN + (gsize) frag_len)
        break;
      tls_record_annotate (opener, root, pos, data + pos, TLS_RECORD_HEADER_LEN + frag_len);
      if (opener != NULL)
        {
          alert = tls_record_open_checked (opener, type, rec_version, data + pos + TLS_RECORD_HEADER_LEN,
                                           frag_len, plain, &check);
          if (alert != 0)
            break;
        }
      pos += TLS_RECORD_HEADER_LEN + frag_len;
    }

  /* What is left, sealed and opened: the round trip must give it back. */
  if (!clear && pos < size)
    {
      gsize len = MIN (size - pos, TLS_MAX_FRAGMENT);
      g_autoptr (GByteArray) wire = g_byte_array_new ();
      g_autoptr (GByteArray) back = g_byte_array_new ();

      sealer = protection (suite, version, etm);
      reopener = protection (suite, version, etm);
      tls_record_seal (sealer, TLS_CONTENT_APPLICATION_DATA, version, data + pos, len, rng, wire, root);
      if (tls_record_open (reopener, TLS_CONTENT_APPLICATION_DATA, version,
                           wire->data + TLS_RECORD_HEADER_LEN, wire->len - TLS_RECORD_HEADER_LEN, back) != 0
          || back->len != len || memcmp (back->data, data + pos, len) != 0)
        abort ();
    }
  tls_field_free (root);
  return 0;
}
