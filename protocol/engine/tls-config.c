/* tls-config.c — a run's configuration: defaults, identities, clearing. */
#include "tls-config.h"
#include "tls-kx-dh.h"
#include "tls-types.h"

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
  g_clear_pointer (&cfg->key, tls_private_key_free);
  g_clear_pointer (&cfg->static_dh, tls_dh_key_free);
  /* cache, ticket_keys and rng are borrowed */
}
