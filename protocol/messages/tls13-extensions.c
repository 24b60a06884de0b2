/* tls13-extensions.c — building and reading the TLS 1.3 extensions of a
 * TlsExtensions list (RFC 8446, 4.2); their data is decoded by
 * tls13-extension-data.c. */
#include "tls13-extensions.h"
#include "tls-alert.h"
#include "tls-handshake.h"
#include "tls-msg-client-hello.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* ---- Builders ------------------------------------------------------------ */

static void
add_written (TlsExtensions *e, guint16 type, TlsWriter *w)
{
  g_autoptr (GBytes) b = tls_writer_steal (w);
  tls_extensions_add (e, type, b);
}

void
tls13_extensions_add_supported_versions (TlsExtensions *e, const guint16 *versions, guint n)
{
  g_return_if_fail (n >= 1 && n <= 127);
  tls_extensions_add_u16_list (e, TLS13_EXT_SUPPORTED_VERSIONS, 1, versions, n);
}

void
tls13_extensions_add_selected_version (TlsExtensions *e, guint16 version)
{
  TlsWriter w;

  tls_writer_init (&w, NULL);
  tls_write_u16 (&w, NULL, version);
  add_written (e, TLS13_EXT_SUPPORTED_VERSIONS, &w);
}

static void
write_key_share_entry (TlsWriter *w, guint16 group, GBytes *key)
{
  tls_write_u16 (w, NULL, group);
  tls_handshake_write_opaque (w, 2, NULL, key);
}

void
tls13_extensions_add_key_share_client (TlsExtensions *e, const Tls13KeyShareEntry *shares, guint n)
{
  TlsWriter w;
  TlsWriterMark m;

  tls_writer_init (&w, NULL);
  tls_write_vector_begin (&w, 2, NULL, &m);
  for (guint i = 0; i < n; i++)
    write_key_share_entry (&w, shares[i].group, shares[i].key_exchange);
  tls_write_vector_end (&w, &m);
  add_written (e, TLS13_EXT_KEY_SHARE, &w);
}

void
tls13_extensions_add_key_share_server (TlsExtensions *e, guint16 group, GBytes *key_exchange)
{
  TlsWriter w;

  tls_writer_init (&w, NULL);
  write_key_share_entry (&w, group, key_exchange);
  add_written (e, TLS13_EXT_KEY_SHARE, &w);
}

void
tls13_extensions_add_key_share_hrr (TlsExtensions *e, guint16 selected_group)
{
  TlsWriter w;

  tls_writer_init (&w, NULL);
  tls_write_u16 (&w, NULL, selected_group);
  add_written (e, TLS13_EXT_KEY_SHARE, &w);
}

void
tls13_extensions_add_psk_modes (TlsExtensions *e, const guint8 *modes, guint n)
{
  TlsWriter w;

  g_return_if_fail (n >= 1 && n <= 255);
  tls_writer_init (&w, NULL);
  tls_write_vector (&w, 1, NULL, modes, n);
  add_written (e, TLS13_EXT_PSK_KEY_EXCHANGE_MODES, &w);
}

void
tls13_extensions_add_cookie (TlsExtensions *e, GBytes *cookie)
{
  TlsWriter w;

  g_return_if_fail (cookie != NULL && g_bytes_get_size (cookie) >= 1);
  tls_writer_init (&w, NULL);
  tls_handshake_write_opaque (&w, 2, NULL, cookie);
  add_written (e, TLS13_EXT_COOKIE, &w);
}

void
tls13_extensions_add_early_data (TlsExtensions *e)
{
  tls_extensions_add (e, TLS13_EXT_EARLY_DATA, NULL);
}

void
tls13_extensions_add_early_data_max (TlsExtensions *e, guint32 max_early_data_size)
{
  TlsWriter w;

  tls_writer_init (&w, NULL);
  tls_write_u32 (&w, NULL, max_early_data_size);
  add_written (e, TLS13_EXT_EARLY_DATA, &w);
}

void
tls13_extensions_add_offered_psks (TlsExtensions *e, const Tls13OfferedPsks *psks)
{
  TlsWriter w;
  TlsWriterMark ids, binders;

  g_return_if_fail (psks->identities->len >= 1
                    && psks->identities->len == psks->binders->len);
  tls_writer_init (&w, NULL);
  tls_write_vector_begin (&w, 2, NULL, &ids);
  for (guint i = 0; i < psks->identities->len; i++)
    {
      const Tls13PskIdentity *id = &g_array_index (psks->identities, Tls13PskIdentity, i);

      tls_handshake_write_opaque (&w, 2, NULL, id->identity);
      tls_write_u32 (&w, NULL, id->obfuscated_ticket_age);
    }
  tls_write_vector_end (&w, &ids);
  tls_write_vector_begin (&w, 2, NULL, &binders);
  for (guint i = 0; i < psks->binders->len; i++)
    tls_handshake_write_opaque (&w, 1, NULL, g_ptr_array_index (psks->binders, i));
  tls_write_vector_end (&w, &binders);
  add_written (e, TLS13_EXT_PRE_SHARED_KEY, &w);
}

void
tls13_extensions_add_selected_identity (TlsExtensions *e, guint16 selected_identity)
{
  TlsWriter w;

  tls_writer_init (&w, NULL);
  tls_write_u16 (&w, NULL, selected_identity);
  add_written (e, TLS13_EXT_PRE_SHARED_KEY, &w);
}

/* ---- Accessors ----------------------------------------------------------- */

static gboolean
open_ext (const TlsExtensions *e, guint16 type, TlsReader *r)
{
  GBytes *d = tls_extensions_find (e, type);
  gsize n;
  const guint8 *p;

  if (d == NULL)
    return FALSE;
  p = g_bytes_get_data (d, &n);
  tls_reader_init (r, p, n, NULL);
  return TRUE;
}

GArray *
tls13_extensions_get_supported_versions (const TlsExtensions *e)
{
  TlsReader r;
  GArray *out;

  if (!open_ext (e, TLS13_EXT_SUPPORTED_VERSIONS, &r))
    return NULL;
  out = g_array_new (FALSE, FALSE, sizeof (guint16));
  tls13_decode_supported_versions (&r, TLS_HS_CLIENT_HELLO, out, NULL);
  if (!tls_reader_done (&r))
    g_clear_pointer (&out, g_array_unref);
  return out;
}

gboolean
tls13_extensions_get_selected_version (const TlsExtensions *e, guint16 *version)
{
  TlsReader r;

  if (!open_ext (e, TLS13_EXT_SUPPORTED_VERSIONS, &r))
    return FALSE;
  tls13_decode_supported_versions (&r, TLS_HS_SERVER_HELLO, NULL, version);
  return tls_reader_done (&r);
}

GArray *
tls13_extensions_get_key_shares (const TlsExtensions *e)
{
  TlsReader r;
  GArray *out;

  if (!open_ext (e, TLS13_EXT_KEY_SHARE, &r))
    return NULL;
  out = g_array_new (FALSE, TRUE, sizeof (Tls13KeyShareEntry));
  g_array_set_clear_func (out, tls13_key_share_entry_clear);
  tls13_decode_key_share (&r, TLS_HS_CLIENT_HELLO, out, NULL, NULL);
  if (!tls_reader_done (&r))
    g_clear_pointer (&out, g_array_unref);
  return out;
}

gboolean
tls13_extensions_get_server_key_share (const TlsExtensions *e, guint16 *group,
                                       GBytes **key_exchange)
{
  Tls13KeyShareEntry entry = { 0 };
  TlsReader r;

  if (!open_ext (e, TLS13_EXT_KEY_SHARE, &r) || tls_reader_remaining (&r) == 2)
    return FALSE;
  tls13_decode_key_share (&r, TLS_HS_SERVER_HELLO, NULL, &entry, NULL);
  if (!tls_reader_done (&r))
    {
      tls13_key_share_entry_clear (&entry);
      return FALSE;
    }
  *group = entry.group;
  *key_exchange = entry.key_exchange;
  return TRUE;
}

gboolean
tls13_extensions_get_hrr_group (const TlsExtensions *e, guint16 *group)
{
  TlsReader r;

  if (!open_ext (e, TLS13_EXT_KEY_SHARE, &r) || tls_reader_remaining (&r) != 2)
    return FALSE;
  tls13_decode_key_share (&r, TLS_HS_SERVER_HELLO, NULL, NULL, group);
  return tls_reader_done (&r);
}

GBytes *
tls13_extensions_get_psk_modes (const TlsExtensions *e)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  TlsReader r;

  if (!open_ext (e, TLS13_EXT_PSK_KEY_EXCHANGE_MODES, &r))
    return NULL;
  tls13_decode_psk_modes (&r, out);
  if (!tls_reader_done (&r))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
tls13_extensions_get_cookie (const TlsExtensions *e)
{
  GBytes *cookie = NULL;
  TlsReader r;

  if (!open_ext (e, TLS13_EXT_COOKIE, &r))
    return NULL;
  tls13_decode_cookie (&r, &cookie);
  if (!tls_reader_done (&r))
    g_clear_pointer (&cookie, g_bytes_unref);
  return cookie;
}

gboolean
tls13_extensions_get_early_data_max (const TlsExtensions *e, guint32 *max)
{
  TlsReader r;

  if (!open_ext (e, TLS13_EXT_EARLY_DATA, &r))
    return FALSE;
  tls13_decode_early_data (&r, TLS_HS_NEW_SESSION_TICKET, max);
  return tls_reader_done (&r);
}

void
tls13_offered_psks_init (Tls13OfferedPsks *p)
{
  p->identities = g_array_new (FALSE, TRUE, sizeof (Tls13PskIdentity));
  p->binders = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

void
tls13_offered_psks_clear (Tls13OfferedPsks *p)
{
  for (guint i = 0; p->identities && i < p->identities->len; i++)
    g_clear_pointer (&g_array_index (p->identities, Tls13PskIdentity, i).identity,
                     g_bytes_unref);
  g_clear_pointer (&p->identities, g_array_unref);
  g_clear_pointer (&p->binders, g_ptr_array_unref);
}

gboolean
tls13_extensions_get_offered_psks (const TlsExtensions *e, Tls13OfferedPsks *out)
{
  TlsReader r;

  tls13_offered_psks_init (out);
  if (!open_ext (e, TLS13_EXT_PRE_SHARED_KEY, &r))
    return FALSE;
  tls13_decode_pre_shared_key (&r, TLS_HS_CLIENT_HELLO, out, NULL);
  if (!tls_reader_done (&r))
    {
      tls13_offered_psks_clear (out);
      tls13_offered_psks_init (out);
      return FALSE;
    }
  return TRUE;
}

gboolean
tls13_extensions_get_selected_identity (const TlsExtensions *e, guint16 *selected)
{
  TlsReader r;

  if (!open_ext (e, TLS13_EXT_PRE_SHARED_KEY, &r))
    return FALSE;
  tls13_decode_pre_shared_key (&r, TLS_HS_SERVER_HELLO, NULL, selected);
  return tls_reader_done (&r);
}

/* ---- Truncate(ClientHello) (4.2.11.2) ------------------------------------ */

gboolean
tls13_client_hello_truncated_len (const guint8 *msg, gsize len, gsize *truncated)
{
  TlsReader r, body;
  guint8 type;
  guint32 body_len;
  TlsClientHello ch;
  Tls13OfferedPsks psks;
  const TlsExtension *last;
  gsize binders_len = 2;
  gboolean ok;

  tls_reader_init (&r, msg, len, NULL);
  if (tls_handshake_parse_header (&r, &type, &body_len, &body) != 0
      || type != TLS_HS_CLIENT_HELLO || tls_reader_remaining (&r) != 0
      || tls_client_hello_parse (&body, &ch) != 0)
    return FALSE;
  ok = tls_extensions_count (&ch.extensions) > 0;
  if (ok)
    {
      last = tls_extensions_get (&ch.extensions, tls_extensions_count (&ch.extensions) - 1);
      ok = last->type == TLS13_EXT_PRE_SHARED_KEY
           && tls13_extensions_get_offered_psks (&ch.extensions, &psks);
      if (ok)
        for (guint i = 0; i < psks.binders->len; i++)
          binders_len += 1 + g_bytes_get_size (g_ptr_array_index (psks.binders, i));
      tls13_offered_psks_clear (&psks);
    }
  tls_client_hello_clear (&ch);
  if (!ok || binders_len > len)
    return FALSE;
  *truncated = len - binders_len;
  return TRUE;
}

/* RFC 8446, 4.1.3: "CF 21 AD 74 E5 9A 61 11 BE 1D 8C 02 1E 65 B8 91
 * C2 A2 11 16 7A BB 8C 5E 07 9E 09 E2 C8 A8 33 9C". */
const guint8 tls13_hello_retry_random[32] = {
  0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
  0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

gboolean
tls13_random_is_hrr (const guint8 random[32])
{
  return memcmp (random, tls13_hello_retry_random, 32) == 0;
}

void
tls13_describe_hrr_random (TlsField *root)
{
  TlsField *f = root ? tls_field_find (root, "random") : NULL;
  g_autofree char *hex = tls_hex_preview (tls13_hello_retry_random, 32, 32);

  if (f == NULL)
    return;
  tls_field_set_value (f, "%s", hex);
  tls_field_set_desc (f, _("Not random: the SHA-256 of the 17 ASCII bytes \"HelloRetryRequest\". "
                           "A message of type server_hello with this random is a "
                           "HelloRetryRequest (RFC 8446, 4.1.3)."));
  for (guint i = 0; i < tls_field_n_children (f); i++)
    {
      TlsField *c = tls_field_child (f, i);
      gsize off = i == 0 ? 0 : 4, len = i == 0 ? 4 : 28;
      g_autofree char *part = tls_hex_preview (tls13_hello_retry_random + off, len, len);

      tls_field_set_value (c, "%s", part);
      tls_field_set_desc (c, _("Part of the constant SHA-256(\"HelloRetryRequest\"): no time and "
                               "no random bytes (RFC 8446, 4.1.3)."));
    }
}
