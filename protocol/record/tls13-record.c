/* tls13-record.c — TLS 1.3 record protection: TLSInnerPlaintext, the
 * per-record nonce and the AEAD with the record header as additional
 * data. */
#include "config.h"

#include "tls13-record.h"
#include "tls-alert.h"
#include "tls-record.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _Tls13Protection
{
  TlsCipherId cipher;
  guint8      key[32];
  gsize       key_len;
  guint8      iv[TLS13_IV_LEN];
  guint64     seq;
};

Tls13Protection *
tls13_protection_new (TlsCipherId cipher, const guint8 *key,
                      const guint8 iv[TLS13_IV_LEN])
{
  const TlsCipherInfo *info = tls_cipher_info (cipher);
  Tls13Protection *p;

  g_return_val_if_fail (info != NULL && info->type == TLS_CIPHER_TYPE_AEAD, NULL);
  g_return_val_if_fail (info->key_len <= sizeof p->key, NULL);
  p = g_new0 (Tls13Protection, 1);
  p->cipher = cipher;
  p->key_len = info->key_len;
  memcpy (p->key, key, p->key_len);
  memcpy (p->iv, iv, TLS13_IV_LEN);
  return p;
}

Tls13Protection *
tls13_protection_new_from_keys (TlsCipherId cipher, const Tls13TrafficKeys *keys)
{
  return tls13_protection_new (cipher, keys->key, keys->iv);
}

void
tls13_protection_free (Tls13Protection *prot)
{
  if (prot == NULL)
    return;
  memset (prot, 0, sizeof *prot);
  g_free (prot);
}

guint64
tls13_protection_seq (const Tls13Protection *prot)
{
  return prot->seq;
}

void
tls13_protection_set_seq (Tls13Protection *prot, guint64 seq)
{
  prot->seq = seq;
}

TlsCipherId
tls13_protection_cipher (const Tls13Protection *prot)
{
  return prot->cipher;
}

void
tls13_protection_nonce (const Tls13Protection *prot, guint8 nonce[TLS13_IV_LEN])
{
  tls13_record_nonce (prot->iv, prot->seq, nonce);
}

static void
write_header (guint8 header[TLS_RECORD_HEADER_LEN], gsize length)
{
  header[0] = TLS_CONTENT_APPLICATION_DATA;   /* opaque_type */
  header[1] = 0x03;                           /* legacy_record_version */
  header[2] = 0x03;
  header[3] = (guint8) (length >> 8);
  header[4] = (guint8) length;
}

void
tls13_record_seal (Tls13Protection *prot, guint8 content_type,
                   const guint8 *content, gsize len, gsize padding,
                   GByteArray *out, TlsField *wire)
{
  gsize inner_len = len + 1 + padding;
  gsize start = out->len;
  guint8 header[TLS_RECORD_HEADER_LEN];
  guint8 nonce[TLS13_IV_LEN];
  guint8 *inner;

  g_return_if_fail (len <= TLS_MAX_FRAGMENT && inner_len <= TLS13_MAX_INNER);

  /* TLSInnerPlaintext: content, type, zeros */
  inner = g_malloc0 (inner_len);
  if (len > 0)
    memcpy (inner, content, len);
  inner[len] = content_type;

  write_header (header, inner_len + TLS13_TAG_LEN);
  tls13_record_nonce (prot->iv, prot->seq, nonce);
  g_byte_array_append (out, header, sizeof header);
  g_byte_array_set_size (out, start + TLS_RECORD_HEADER_LEN + inner_len + TLS13_TAG_LEN);
  tls_aead_encrypt (prot->cipher, prot->key, nonce, header, sizeof header,
                    inner, inner_len, out->data + start + TLS_RECORD_HEADER_LEN,
                    out->data + start + TLS_RECORD_HEADER_LEN + inner_len);
  memset (inner, 0, inner_len);
  g_free (inner);
  prot->seq++;

  if (wire != NULL)
    tls13_record_annotate (wire, start, out->data + start, out->len - start);
}

int
tls13_record_open (Tls13Protection *prot, const guint8 header[5],
                   const guint8 *frag, gsize len,
                   guint8 *content_type, gsize *padding, GByteArray *content)
{
  return tls13_record_open_checked (prot, header, frag, len, content_type, padding, content, NULL);
}

int
tls13_record_open_checked (Tls13Protection *prot, const guint8 header[5],
                           const guint8 *frag, gsize len,
                           guint8 *content_type, gsize *padding, GByteArray *content,
                           TlsRecordCheck *check)
{
  guint8 computed[TLS13_TAG_LEN];

  guint8 nonce[TLS13_IV_LEN];
  gsize inner_len, end;
  guint8 *inner;
  guint8 type;

  /* "An endpoint that receives a record from its peer with
   * TLSCiphertext.length larger than 2^14 + 256 octets MUST terminate the
   * connection with a "record_overflow" alert."          (RFC 8446, 5.2) */
  if (len > TLS13_MAX_CIPHERTEXT)
    return TLS_ALERT_RECORD_OVERFLOW;
  /* Protected records are always application_data on the outside; a
   * change_cipher_spec record is handled before this (RFC 8446, 5). */
  if (header[0] != TLS_CONTENT_APPLICATION_DATA)
    return TLS_ALERT_UNEXPECTED_MESSAGE;
  if (len < TLS13_TAG_LEN + 1)
    return TLS_ALERT_BAD_RECORD_MAC;

  inner_len = len - TLS13_TAG_LEN;
  inner = g_malloc (inner_len);
  tls13_record_nonce (prot->iv, prot->seq, nonce);
  /* "If the decryption fails, the receiver MUST terminate the connection
   * with a "bad_record_mac" alert."                      (RFC 8446, 5.2) */
  if (!tls_aead_decrypt_checked (prot->cipher, prot->key, nonce, header, TLS_RECORD_HEADER_LEN,
                                 frag, inner_len, frag + inner_len, inner, computed))
    {
      g_free (inner);
      if (check != NULL)
        {
          check->what = "tag";
          check->len = TLS13_TAG_LEN;
          memcpy (check->computed, computed, TLS13_TAG_LEN);
          memcpy (check->received, frag + inner_len, TLS13_TAG_LEN);
        }
      return TLS_ALERT_BAD_RECORD_MAC;
    }
  /* "the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets"
   *                                                      (RFC 8446, 5.4) */
  if (inner_len > TLS13_MAX_INNER)
    {
      memset (inner, 0, inner_len);
      g_free (inner);
      return TLS_ALERT_RECORD_OVERFLOW;
    }
  /* "the receiving implementation scans the field from the end toward the
   * beginning until it finds a non-zero octet.  This non-zero octet is the
   * content type of the message. ... If a receiving implementation does
   * not find a non-zero octet in the cleartext, it MUST terminate the
   * connection with an "unexpected_message" alert."      (RFC 8446, 5.4) */
  end = inner_len;
  while (end > 0 && inner[end - 1] == 0)
    end--;
  if (end == 0)
    {
      g_free (inner);
      return TLS_ALERT_UNEXPECTED_MESSAGE;
    }
  type = inner[end - 1];
  /* "Implementations MUST NOT send Handshake and Alert records that have a
   * zero-length TLSInnerPlaintext.content; if such a message is received,
   * the receiving implementation MUST terminate the connection with an
   * "unexpected_message" alert."                          (RFC 8446, 5.4) */
  if (end == 1 && (type == TLS_CONTENT_HANDSHAKE || type == TLS_CONTENT_ALERT))
    {
      g_free (inner);
      return TLS_ALERT_UNEXPECTED_MESSAGE;
    }
  g_byte_array_append (content, inner, end - 1);
  *content_type = type;
  if (padding != NULL)
    *padding = inner_len - end;
  memset (inner, 0, inner_len);
  g_free (inner);
  prot->seq++;
  return 0;
}

TlsField *
tls13_record_annotate (TlsField *parent, gsize offset,
                       const guint8 *record, gsize record_len)
{
  TlsField *group;
  TlsReader r;
  guint8 type = 0;
  guint16 version = 0, length = 0;
  const guint8 *p;
  gsize rest, body;

  if (parent == NULL)
    return NULL;
  group = tls_field_add (parent, "TLSCiphertext", offset, record_len);
  if (parent->offset + parent->length < offset + record_len)
    parent->length = offset + record_len - parent->offset;

  tls_reader_init (&r, record, record_len, group);
  if (tls_read_u8 (&r, "opaque_type", &type))
    {
      tls_reader_note (&r, "%s (%u)", tls_content_type_name (type), type);
      tls_reader_describe (&r, _("always application_data in TLS 1.3, whatever the record "
                                 "holds: the real content type is encrypted "
                                 "(RFC 8446, 5.2)"));
    }
  if (tls_read_u16 (&r, "legacy_record_version", &version))
    {
      tls_reader_note (&r, "0x%04x", version);
      tls_reader_describe (&r, _("always 0x0303 (the TLS 1.2 number), for middleboxes; "
                                 "the version is negotiated in the handshake"));
    }
  if (tls_read_u16 (&r, "length", &length))
    {
      tls_reader_note (&r, "%u", length);
      tls_reader_describe (&r, _("the length of encrypted_record, the whole AEAD output "
                                 "with its tag (RFC 8446, 5.2); with opaque_type and "
                                 "legacy_record_version it is the AEAD's additional data"));
    }
  tls_field_set_value (group, g_dngettext (GETTEXT_PACKAGE, "%s, %u byte", "%s, %u bytes", length),
                       tls_content_type_name (type), length);
  rest = MIN ((gsize) length, tls_reader_remaining (&r));
  body = rest >= TLS13_TAG_LEN ? rest - TLS13_TAG_LEN : rest;
  if (tls_read_bytes (&r, body, "encrypted_record", &p))
    tls_reader_describe (&r, _("encrypted_record without its last 16 bytes: the "
                               "TLSInnerPlaintext encrypted (the content, its real content "
                               "type and any zero padding)"));
  if (rest > body && tls_read_bytes (&r, rest - body, "tag", &p))
    tls_reader_describe (&r, _("the last 16 bytes of encrypted_record: the AEAD's "
                               "authentication tag over the ciphertext and the header"));
  return group;
}

TlsField *
tls13_inner_plaintext_annotate (TlsField *parent, gsize offset,
                                const guint8 *inner, gsize len)
{
  TlsField *group, *f;
  gsize end = len;

  if (parent == NULL)
    return NULL;
  while (end > 0 && inner[end - 1] == 0)
    end--;
  group = tls_field_add (parent, "TLSInnerPlaintext", offset, len);
  if (end == 0)
    {
      f = tls_field_add (group, "zeros", offset, len);
      tls_field_set_desc (f, _("only zeros: no content type was found (RFC 8446, 5.4)"));
      return group;
    }
  f = tls_field_add (group, "content", offset, end - 1);
  tls_field_set_desc (f, _("the TLSPlaintext.fragment: the message or the data"));
  f = tls_field_add (group, "type", offset + end - 1, 1);
  tls_field_set_value (f, "%s (%u)", tls_content_type_name (inner[end - 1]), inner[end - 1]);
  tls_field_set_desc (f, _("the real content type, the last non-zero byte"));
  if (end < len)
    {
      f = tls_field_add (group, "zeros", offset + end, len - end);
      tls_field_set_value (f, "%" G_GSIZE_FORMAT, len - end);
      tls_field_set_desc (f, _("padding: zero bytes that hide the length of the content "
                               "(RFC 8446, 5.4)"));
    }
  return group;
}
