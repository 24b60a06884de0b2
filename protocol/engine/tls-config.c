/* tls-config.c — a run's configuration: defaults, identities, clearing. */
#include "tls-config.h"
#include "tls-kx-dh.h"
#include "tls-kx-ecdh.h"
#include "tls-types.h"
#include "tls-extensions.h"

#include <glib/gi18n-lib.h>
#include <string.h>

void
tls_config_init (TlsConfig *cfg, TlsActor role)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->role = role;
  cfg->min_version = TLS_VERSION_1_0;
  cfg->max_version = TLS_VERSION_1_2;
}

TlsIdentity *
tls_identity_new (GPtrArray *chain, TlsPrivateKey *key)
{
  TlsIdentity *id = g_new0 (TlsIdentity, 1);
  id->chain = chain;
  id->key = key;
  return id;
}

void
tls_identity_free (TlsIdentity *id)
{
  if (id == NULL)
    return;
  g_clear_pointer (&id->chain, g_ptr_array_unref);
  g_clear_pointer (&id->key, tls_private_key_free);
  g_free (id);
}

void
tls_config_clear (TlsConfig *cfg)
{
  g_clear_pointer (&cfg->suites, g_array_unref);
  g_clear_pointer (&cfg->server_name, g_free);
  g_clear_pointer (&cfg->chain, g_ptr_array_unref);
  g_clear_pointer (&cfg->more_identities, g_ptr_array_unref);
  g_clear_pointer (&cfg->trust, g_ptr_array_unref);
  g_clear_pointer (&cfg->resume, tls_session_free);
  g_clear_pointer (&cfg->tamper, g_free);
  g_clear_pointer (&cfg->dh_group, g_free);
  g_clear_pointer (&cfg->alpn, g_strfreev);
  g_clear_pointer (&cfg->groups, g_array_unref);
  g_clear_pointer (&cfg->early_data, g_bytes_unref);
  g_clear_pointer (&cfg->key, tls_private_key_free);
  g_clear_pointer (&cfg->static_dh, tls_dh_key_free);
  /* cache, ticket_keys, ticket_store and rng are borrowed */
}

gboolean
tls_config_parse_alpn (const char *text, char ***alpn, GError **error)
{
  g_auto (GStrv) names = g_strsplit (text, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      gsize n = strlen (names[i]);
      if (n == 0 || n > 255)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("ALPN protocol names have 1 to 255 bytes (RFC 7301, 3.1): “%s”"), text);
          return FALSE;
        }
    }
  if (names[0] == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("ALPN needs at least one protocol name"));
      return FALSE;
    }
  g_strfreev (*alpn);
  *alpn = g_steal_pointer (&names);
  return TRUE;
}

gboolean
tls_config_parse_groups (const char *text, GArray **groups, GError **error)
{
  static const struct { const char *name; guint16 group; } known[] = {
    { "x25519", TLS_GROUP_X25519 }, { "secp256r1", TLS_GROUP_SECP256R1 },
    { "secp384r1", TLS_GROUP_SECP384R1 }, { "x448", TLS_GROUP_X448 },
    { "ffdhe2048", TLS_GROUP_FFDHE2048 }, { "ffdhe3072", TLS_GROUP_FFDHE3072 },
  };
  g_auto (GStrv) names = g_strsplit (text, ",", -1);
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (guint16));

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      gsize k;

      for (k = 0; k < G_N_ELEMENTS (known); k++)
        if (g_ascii_strcasecmp (name, known[k].name) == 0)
          break;
      if (k == G_N_ELEMENTS (known))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("unknown group “%s” (expected x25519, secp256r1, secp384r1, x448, ffdhe2048 "
                         "or ffdhe3072)"), name);
          return FALSE;
        }
      g_array_append_val (out, known[k].group);
    }
  if (out->len == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("no group given"));
      return FALSE;
    }
  *groups = g_steal_pointer (&out);
  return TRUE;
}

/* Our (EC)DHE groups, in our order of preference (tls_kx_our_groups). */
const guint16 *
tls_config_our_groups (guint *n)
{
  static const guint16 groups[] = {
    TLS_GROUP_X25519, TLS_GROUP_SECP256R1, TLS_GROUP_X448, TLS_GROUP_SECP384R1,
    TLS_GROUP_FFDHE2048, TLS_GROUP_FFDHE3072,
  };
  *n = G_N_ELEMENTS (groups);
  return groups;
}

const char *const *
tls_config_group_names (void)
{
  static const char *names[16];

  if (names[0] == NULL)
    {
      guint n;
      const guint16 *ours = tls_config_our_groups (&n);

      g_assert (n < G_N_ELEMENTS (names));
      for (guint i = 0; i < n; i++)
        names[i] = tls_extensions_group_name (ours[i]);
    }
  return names;
}

gboolean
tls_config_parse_server_groups (const char *text, GArray **groups, GError **error)
{
  g_auto (GStrv) names = g_strsplit (text, ",", -1);
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (guint16));
  guint n;
  const guint16 *ours = tls_config_our_groups (&n);

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      gboolean found = FALSE;

      for (guint k = 0; k < n && !found; k++)
        if (g_ascii_strcasecmp (name, tls_extensions_group_name (ours[k])) == 0)
          {
            g_array_append_val (out, ours[k]);
            found = TRUE;
          }
      if (!found)
        {
          g_autofree char *all = g_strjoinv (", ", (char **) tls_config_group_names ());
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("unknown group “%s” (expected %s)"), name, all);
          return FALSE;
        }
    }
  if (out->len == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("no group given"));
      return FALSE;
    }
  if (*groups)
    g_array_unref (*groups);
  *groups = g_steal_pointer (&out);
  return TRUE;
}
