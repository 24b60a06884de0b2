/* tls13-extension-data.c — the extension_data of supported_versions,
 * cookie, key_share, psk_key_exchange_modes, early_data and pre_shared_key
 * (RFC 8446, 4.2), checked and annotated. */
#include "tls13-extension-data.h"
#include "tls-alert.h"
#include "tls-handshake.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

const char *
tls13_psk_mode_name (guint8 mode)
{
  switch (mode)
    {
    case TLS13_PSK_KE: return "psk_ke";
    case TLS13_PSK_DHE_KE: return "psk_dhe_ke";
    default: return "unknown";
    }
}

/*  enum {
 *      secp256r1(0x0017), secp384r1(0x0018), secp521r1(0x0019),
 *      x25519(0x001D), x448(0x001E),
 *      ffdhe2048(0x0100), ffdhe3072(0x0101), ffdhe4096(0x0102),
 *      ffdhe6144(0x0103), ffdhe8192(0x0104),
 *      ffdhe_private_use(0x01FC..0x01FF),
 *      ecdhe_private_use(0xFE00..0xFEFF),
 *      (0xFFFF)
 *  } NamedGroup;                                         (RFC 8446, 4.2.7) */
const char *
tls13_named_group_name (guint16 group)
{
  switch (group)
    {
    case 0x0017: return "secp256r1";
    case 0x0018: return "secp384r1";
    case 0x0019: return "secp521r1";
    case 0x001d: return "x25519";
    case 0x001e: return "x448";
    case 0x0100: return "ffdhe2048";
    case 0x0101: return "ffdhe3072";
    case 0x0102: return "ffdhe4096";
    case 0x0103: return "ffdhe6144";
    case 0x0104: return "ffdhe8192";
    default:
      if ((group >= 0x01fc && group <= 0x01ff) || (group >= 0xfe00 && group <= 0xfeff))
        return "private_use";
      return "not a TLS 1.3 group";
    }
}

static void
expect_empty (TlsReader *r)
{
  if (tls_reader_remaining (r) != 0)
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
}

static void
note_version (TlsReader *r, guint16 v)
{
  tls_reader_note (r, "%s (0x%04x)", tls_version_name (v), v);
}

/* ---- supported_versions (4.2.1) ---------------------------------------- */

void
tls13_decode_supported_versions (TlsReader *r, guint8 msg_type, GArray *out_list,
                           guint16 *out_selected)
{
  TlsReader list;
  guint16 v;

  if (msg_type != TLS_HS_CLIENT_HELLO)
    {
      if (tls_read_u16 (r, "selected_version", &v))
        {
          note_version (r, v);
          tls_reader_describe (r, _("The version the server chose. A TLS 1.3 server says so here "
                                    "and leaves legacy_version at 0x0303 (RFC 8446, 4.2.1)."));
          if (out_selected != NULL)
            *out_selected = v;
        }
      expect_empty (r);
      return;
    }
  if (!tls_read_vector (r, 1, 2, 254, "versions", &list))
    return;
  tls_reader_describe (r, _("Every version the client is prepared to negotiate, most preferred "
                            "first. With this extension the server ignores legacy_version "
                            "(RFC 8446, 4.2.1)."));
  while (tls_reader_remaining (&list) > 0)
    {
      if (!tls_read_u16 (&list, "version", &v))
        break;
      note_version (&list, v);
      if (out_list != NULL)
        g_array_append_val (out_list, v);
    }
  tls_read_vector_end (r, &list);
}

/* ---- cookie (4.2.2) ---------------------------------------------------- */

void
tls13_decode_cookie (TlsReader *r, GBytes **out)
{
  g_autoptr (GBytes) cookie = NULL;

  if (tls_handshake_read_opaque (r, 2, 1, 0xffff, "cookie", &cookie))
    {
      tls_reader_describe (r, _("Sent by the server in a HelloRetryRequest; the client copies it "
                                "into its second ClientHello, so that a server can keep no state "
                                "between the two (RFC 8446, 4.2.2)."));
      if (out != NULL)
        *out = g_steal_pointer (&cookie);
    }
  expect_empty (r);
}

/* ---- key_share (4.2.8) ------------------------------------------------- */

static const char *
key_exchange_desc (guint16 group)
{
  if (group == 29 || group == 30)
    return _("The public key: for X25519 and X448 the byte string of RFC 7748 "
             "(32 or 56 bytes, RFC 8446, 4.2.8.2).");
  if (group >= 23 && group <= 25)
    return _("The public point, uncompressed: 4, then X and Y in network byte order "
             "(RFC 8446, 4.2.8.2).");
  if (group >= 256 && group <= 260)
    return _("The Diffie-Hellman public value Y = g^X mod p, big-endian, left-padded with zeros "
             "to the size of p (RFC 8446, 4.2.8.1).");
  return _("Key exchange data of a group Handshake Lab does not know.");
}

static gboolean
read_key_share_entry (TlsReader *r, Tls13KeyShareEntry *out)
{
  TlsField *g = tls_read_group_begin (r, "KeyShareEntry");
  g_autoptr (GBytes) key = NULL;
  guint16 group = 0;

  if (tls_read_u16 (r, "group", &group))
    {
      tls_reader_note (r, "%s (%u)", tls13_named_group_name (group), group);
      tls_reader_describe (r, _("The named group of this key."));
    }
  if (tls_handshake_read_opaque (r, 2, 1, 0xffff, "key_exchange", &key))
    tls_reader_describe (r, key_exchange_desc (group));
  tls_read_group_end (r, g);
  if (g != NULL && tls_reader_ok (r))
    tls_field_set_value (g, "%s", tls13_named_group_name (group));
  if (!tls_reader_ok (r))
    return FALSE;
  if (out != NULL)
    {
      out->group = group;
      out->key_exchange = g_steal_pointer (&key);
    }
  return TRUE;
}

void
tls13_key_share_entry_clear (gpointer p)
{
  Tls13KeyShareEntry *e = p;

  g_clear_pointer (&e->key_exchange, g_bytes_unref);
}

void
tls13_decode_key_share (TlsReader *r, guint8 msg_type, GArray *out_client,
                  Tls13KeyShareEntry *out_server, guint16 *out_hrr)
{
  TlsReader list;
  guint16 group;

  if (msg_type == TLS_HS_CLIENT_HELLO)
    {
      if (!tls_read_vector (r, 2, 0, 0xffff, "client_shares", &list))
        return;
      tls_reader_describe (r, _("The client's public keys, one per group it guesses the server "
                                "will choose, in the order of supported_groups; empty asks the "
                                "server to pick a group with a HelloRetryRequest "
                                "(RFC 8446, 4.2.8)."));
      while (tls_reader_remaining (&list) > 0)
        {
          Tls13KeyShareEntry e = { 0 };

          if (!read_key_share_entry (&list, out_client ? &e : NULL))
            break;
          if (out_client != NULL)
            g_array_append_val (out_client, e);
        }
      tls_read_vector_end (r, &list);
      return;
    }

  /* KeyShareHelloRetryRequest is one NamedGroup; KeyShareServerHello is a
   * KeyShareEntry, at least 5 bytes: the length tells them apart. */
  if (tls_reader_remaining (r) == 2)
    {
      if (tls_read_u16 (r, "selected_group", &group))
        {
          tls_reader_note (r, "%s (%u)", tls13_named_group_name (group), group);
          tls_reader_describe (r, _("HelloRetryRequest: the group the server wants a key share "
                                    "for in the client's second ClientHello (RFC 8446, 4.2.8)."));
          if (out_hrr != NULL)
            *out_hrr = group;
        }
      return;
    }
  if (read_key_share_entry (r, out_server))
    {
      if (r->last != NULL)
        tls_field_set_desc (r->last, _("The server's public key, in one of the groups the "
                                       "client sent a share for (RFC 8446, 4.2.8)."));
    }
  expect_empty (r);
}

/* ---- psk_key_exchange_modes (4.2.9) ------------------------------------ */

void
tls13_decode_psk_modes (TlsReader *r, GByteArray *out)
{
  TlsReader list;
  guint8 m;

  if (!tls_read_vector (r, 1, 1, 255, "ke_modes", &list))
    return;
  tls_reader_describe (r, _("How the client is willing to use a PSK: psk_ke (the PSK alone) or "
                            "psk_dhe_ke (the PSK with an (EC)DHE exchange) (RFC 8446, 4.2.9)."));
  while (tls_reader_remaining (&list) > 0)
    {
      if (!tls_read_u8 (&list, "ke_mode", &m))
        break;
      tls_reader_note (&list, "%s (%u)", tls13_psk_mode_name (m), m);
      if (out != NULL)
        g_byte_array_append (out, &m, 1);
    }
  tls_read_vector_end (r, &list);
}

/* ---- early_data (4.2.10) ----------------------------------------------- */

void
tls13_decode_early_data (TlsReader *r, guint8 msg_type, guint32 *out_max)
{
  guint32 max;

  if (msg_type == TLS_HS_NEW_SESSION_TICKET)
    {
      if (tls_read_u32 (r, "max_early_data_size", &max))
        {
          tls_reader_note (r, _("%u bytes"), max);
          tls_reader_describe (r, _("How much 0-RTT application data the client may send with "
                                    "this ticket (RFC 8446, 4.6.1)."));
          if (out_max != NULL)
            *out_max = max;
        }
    }
  /* ClientHello and EncryptedExtensions: struct {} Empty. */
  expect_empty (r);
}

/* ---- pre_shared_key (4.2.11) ------------------------------------------- */

void
tls13_decode_pre_shared_key (TlsReader *r, guint8 msg_type, Tls13OfferedPsks *out,
                       guint16 *out_selected)
{
  TlsReader ids, binders;
  guint16 sel;

  if (msg_type != TLS_HS_CLIENT_HELLO)
    {
      if (tls_read_u16 (r, "selected_identity", &sel))
        {
          tls_reader_note (r, "%u", sel);
          tls_reader_describe (r, _("Which of the client's PSK identities the server accepted, "
                                    "counted from 0 (RFC 8446, 4.2.11)."));
          if (out_selected != NULL)
            *out_selected = sel;
        }
      expect_empty (r);
      return;
    }

  if (!tls_read_vector (r, 2, 7, 0xffff, "identities", &ids))
    return;
  tls_reader_describe (r, _("The PSKs the client offers, each by its identity (a ticket, or the "
                            "name of an external key) (RFC 8446, 4.2.11)."));
  while (tls_reader_remaining (&ids) > 0)
    {
      TlsField *g = tls_read_group_begin (&ids, "PskIdentity");
      Tls13PskIdentity id = { NULL, 0 };

      if (tls_handshake_read_opaque (&ids, 2, 1, 0xffff, "identity", &id.identity))
        tls_reader_describe (&ids, _("A label for the key: for resumption, the ticket of a "
                                     "NewSessionTicket, as the server sent it."));
      if (tls_read_u32 (&ids, "obfuscated_ticket_age", &id.obfuscated_ticket_age))
        {
          tls_reader_note (&ids, "%u", id.obfuscated_ticket_age);
          tls_reader_describe (&ids, _("The ticket's age in milliseconds plus the ticket's "
                                       "ticket_age_add, modulo 2^32, so that an observer cannot "
                                       "link connections (RFC 8446, 4.2.11.1)."));
        }
      tls_read_group_end (&ids, g);
      if (out != NULL && tls_reader_ok (&ids))
        g_array_append_val (out->identities, id);
      else
        g_clear_pointer (&id.identity, g_bytes_unref);
      if (!tls_reader_ok (&ids))
        break;
    }
  tls_read_vector_end (r, &ids);

  if (!tls_read_vector (r, 2, 33, 0xffff, "binders", &binders))
    return;
  tls_reader_describe (r, _("One HMAC per identity, keyed from that PSK, over the ClientHello "
                            "up to this list: proof that the client holds the key "
                            "(RFC 8446, 4.2.11.2)."));
  while (tls_reader_remaining (&binders) > 0)
    {
      g_autoptr (GBytes) b = NULL;

      if (!tls_handshake_read_opaque (&binders, 1, 32, 255, "PskBinderEntry", &b))
        break;
      if (out != NULL)
        g_ptr_array_add (out->binders, g_steal_pointer (&b));
    }
  tls_read_vector_end (r, &binders);
  expect_empty (r);
}

/* ---- Dispatch ------------------------------------------------------------ */

gboolean
tls13_extension_decode (TlsReader *r, guint16 type, guint8 msg_type)
{
  switch (type)
    {
    case TLS13_EXT_SUPPORTED_VERSIONS:
      tls13_decode_supported_versions (r, msg_type, NULL, NULL);
      return TRUE;
    case TLS13_EXT_COOKIE:
      tls13_decode_cookie (r, NULL);
      return TRUE;
    case TLS13_EXT_KEY_SHARE:
      tls13_decode_key_share (r, msg_type, NULL, NULL, NULL);
      return TRUE;
    case TLS13_EXT_PSK_KEY_EXCHANGE_MODES:
      tls13_decode_psk_modes (r, NULL);
      return TRUE;
    case TLS13_EXT_EARLY_DATA:
      tls13_decode_early_data (r, msg_type, NULL);
      return TRUE;
    case TLS13_EXT_PRE_SHARED_KEY:
      tls13_decode_pre_shared_key (r, msg_type, NULL, NULL);
      return TRUE;
    default:
      return FALSE;
    }
}

const char *
tls13_extension_desc (guint16 type)
{
  switch (type)
    {
    case TLS13_EXT_SUPPORTED_VERSIONS:
      return _("The versions the client supports, or the one the server chose: TLS 1.3 is "
               "negotiated here, not in the legacy version fields (RFC 8446, 4.2.1).");
    case TLS13_EXT_COOKIE:
      return _("A value the server asks to get back in the next ClientHello (RFC 8446, 4.2.2).");
    case TLS13_EXT_KEY_SHARE:
      return _("(EC)DHE key shares (RFC 8446, 4.2.8): in a ClientHello the client's public keys, "
               "sent in its first message so that the key exchange takes one round trip; in a "
               "ServerHello the server's one share; in a HelloRetryRequest only the group the "
               "server selected.");
    case TLS13_EXT_PSK_KEY_EXCHANGE_MODES:
      return _("How the client allows a PSK to be used: alone or with (EC)DHE (RFC 8446, 4.2.9).");
    case TLS13_EXT_EARLY_DATA:
      return _("0-RTT: application data sent before the handshake ends, under keys made from "
               "the PSK (RFC 8446, 4.2.10).");
    case TLS13_EXT_PRE_SHARED_KEY:
      return _("Resumption and external keys: the PSK identities the client offers, or the one "
               "the server accepts; in a ClientHello it must be the last extension "
               "(RFC 8446, 4.2.11).");
    default:
      return NULL;
    }
}

