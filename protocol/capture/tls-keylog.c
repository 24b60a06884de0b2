/* tls-keylog.c — an NSS key log, read (tls-keylog.h). */
#include "tls-keylog.h"

#include <string.h>

struct _TlsKeylog
{
  GHashTable *masters;     /* hex client random -> GBytes (48) */
  GHashTable *premasters;  /* hex of 8 bytes    -> GBytes (48) */
  GHashTable *secrets13;   /* "LABEL hex client random" -> GBytes (32 or 48) */
  guint       skipped;
};

TlsKeylog *
tls_keylog_new (void)
{
  TlsKeylog *log = g_new0 (TlsKeylog, 1);

  log->masters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_bytes_unref);
  log->premasters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_bytes_unref);
  log->secrets13 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_bytes_unref);
  return log;
}

void
tls_keylog_free (TlsKeylog *log)
{
  if (log == NULL)
    return;
  g_hash_table_unref (log->masters);
  g_hash_table_unref (log->premasters);
  g_hash_table_unref (log->secrets13);
  g_free (log);
}

static gboolean
is_hex (const char *s, gsize n)
{
  if (strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

static const char *const tls13_labels[] = {
  "CLIENT_EARLY_TRAFFIC_SECRET", "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
  "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0",
  "EARLY_EXPORTER_SECRET", "EXPORTER_SECRET",
};

static gboolean
is_tls13_label (const char *label)
{
  for (gsize i = 0; i < G_N_ELEMENTS (tls13_labels); i++)
    if (strcmp (label, tls13_labels[i]) == 0)
      return TRUE;
  return FALSE;
}

static GBytes *
unhex (const char *s)
{
  gsize n = strlen (s) / 2;
  guint8 *out = g_malloc (n);

  for (gsize i = 0; i < n; i++)
    out[i] = (guint8) (g_ascii_xdigit_value (s[2 * i]) << 4 | g_ascii_xdigit_value (s[2 * i + 1]));
  return g_bytes_new_take (out, n);
}

guint
tls_keylog_add (TlsKeylog *log, const char *text, gsize len)
{
  g_autofree char *copy = g_strndup (text, len);
  g_auto (GStrv) lines = g_strsplit (copy, "\n", -1);
  guint used = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) parts = NULL;
      char *line = g_strstrip (lines[i]);

      if (line[0] == '\0' || line[0] == '#')
        continue;
      parts = g_strsplit_set (line, " \t", -1);
      if (g_strv_length (parts) == 3 && strcmp (parts[0], "CLIENT_RANDOM") == 0
          && is_hex (parts[1], 64) && is_hex (parts[2], 96))
        {
          g_hash_table_replace (log->masters, g_ascii_strdown (parts[1], -1), unhex (parts[2]));
          used++;
        }
      else if (g_strv_length (parts) == 3 && strcmp (parts[0], "RSA") == 0
               && is_hex (parts[1], 16) && is_hex (parts[2], 96))
        {
          g_hash_table_replace (log->premasters, g_ascii_strdown (parts[1], -1), unhex (parts[2]));
          used++;
        }
      else if (g_strv_length (parts) == 3 && is_tls13_label (parts[0]) && is_hex (parts[1], 64)
               && (is_hex (parts[2], 64) || is_hex (parts[2], 96)))
        {
          g_autofree char *random = g_ascii_strdown (parts[1], -1);
          g_hash_table_replace (log->secrets13, g_strconcat (parts[0], " ", random, NULL),
                                unhex (parts[2]));
          used++;
        }
      else
        log->skipped++;
    }
  return used;
}

guint
tls_keylog_skipped (const TlsKeylog *log)
{
  return log->skipped;
}

guint
tls_keylog_size (const TlsKeylog *log)
{
  return g_hash_table_size (log->masters) + g_hash_table_size (log->premasters)
         + g_hash_table_size (log->secrets13);
}

static char *
tls_keylog_hex_key (const guint8 *key, gsize key_len)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < key_len; i++)
    g_string_append_printf (s, "%02x", key[i]);
  return g_string_free (s, FALSE);
}

static gboolean
lookup (GHashTable *table, const guint8 *key, gsize key_len, guint8 out[48])
{
  g_autofree char *hex = tls_keylog_hex_key (key, key_len);
  GBytes *v;

  v = g_hash_table_lookup (table, hex);
  if (v == NULL || g_bytes_get_size (v) != 48)
    return FALSE;
  memcpy (out, g_bytes_get_data (v, NULL), 48);
  return TRUE;
}

gboolean
tls_keylog_master (const TlsKeylog *log, const guint8 random[32], guint8 master[48])
{
  return lookup (log->masters, random, 32, master);
}

gboolean
tls_keylog_rsa_premaster (const TlsKeylog *log, const guint8 enc8[8], guint8 premaster[48])
{
  return lookup (log->premasters, enc8, 8, premaster);
}

gboolean
tls_keylog_tls13_secret (const TlsKeylog *log, const char *label, const guint8 random[32],
                         guint8 out[48], gsize *len)
{
  g_autofree char *hex = tls_keylog_hex_key (random, 32);
  g_autofree char *key = g_strconcat (label, " ", hex, NULL);
  GBytes *v = g_hash_table_lookup (log->secrets13, key);

  if (v == NULL)
    return FALSE;
  *len = g_bytes_get_size (v);
  memcpy (out, g_bytes_get_data (v, NULL), *len);
  return TRUE;
}
