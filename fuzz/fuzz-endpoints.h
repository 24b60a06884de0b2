/* fuzz-endpoints.h — the client and server the endpoint harnesses
 * (fuzz-server.c, fuzz-client.c) and the seed writer (fuzz-seeds.c) build,
 * configured the same way so that a seed written from a real handshake
 * replays that whole handshake in a harness.
 *
 * Everything is deterministic: seeded generators, a fixed clock, a new
 * session cache for every input.  The first byte of an input chooses one
 * of the pairings below (modulo their number); the rest is the byte stream
 * the endpoint receives. */
#pragma once

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls-endpoint.h"
#include "tls-session-cache.h"
#include "tls-suites.h"
#include "tls-ticket.h"
#include "tls-types.h"
#include "tls-x509.h"

typedef struct
{
  const char *name;           /* seed file name */
  const char *suite;          /* the one suite the client offers */
  const char *server_cert;    /* data/pki/NAME-chain.pem and NAME.key */
  guint16     client_max;     /* client's highest version */
  gboolean    client_auth;    /* server asks; the client has client-rsa */
  gboolean    tickets;        /* client offers session_ticket */
} FuzzPairing;

static const FuzzPairing fuzz_pairings[] = {
  { "rsa-aes128-cbc-sha", "TLS_RSA_WITH_AES_128_CBC_SHA", "server-rsa", TLS_VERSION_1_2, FALSE, FALSE },
  { "ecdhe-rsa-aes128-gcm", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "server-rsa", TLS_VERSION_1_2, FALSE, TRUE },
  { "ecdhe-ecdsa-chacha20", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "server-ecdsa", TLS_VERSION_1_2, FALSE, FALSE },
  { "dhe-rsa-aes256-cbc-sha256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "server-rsa", TLS_VERSION_1_2, FALSE, FALSE },
  { "rsa-client-auth", "TLS_RSA_WITH_AES_256_GCM_SHA384", "server-rsa", TLS_VERSION_1_2, TRUE, FALSE },
  { "tls10-rsa-aes256-cbc-sha", "TLS_RSA_WITH_AES_256_CBC_SHA", "server-rsa", TLS_VERSION_1_0, FALSE, FALSE },
};

#define FUZZ_NOW G_GINT64_CONSTANT (1798761600)   /* 2027-01-01, inside the demo PKI's validity */
#define FUZZ_MAX_STEPS 4000

typedef struct
{
  TlsConfig        cfg;
  TlsTrace        *trace;
  TlsRng          *rng;
  TlsSessionCache *cache;
  TlsTicketKeys   *ticket_keys;
  TlsEndpoint     *ep;
} FuzzEndpoint;

static const char *
fuzz_datadir (void)
{
  const char *d = g_getenv ("HANDSHAKE_LAB_DATADIR");
  return d != NULL ? d : SOURCE_DATADIR;
}

static GPtrArray *
fuzz_load_chain (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/pki/%s", fuzz_datadir (), name);
  GPtrArray *chain = tls_certificate_list_from_file (path, NULL);

  if (chain == NULL)
    {
      g_printerr ("fuzz: cannot read %s\n", path);
      abort ();
    }
  return chain;
}

static TlsPrivateKey *
fuzz_load_key (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/pki/%s.key", fuzz_datadir (), name);
  TlsPrivateKey *key = tls_private_key_load_file (path, NULL);

  if (key == NULL)
    {
      g_printerr ("fuzz: cannot read %s\n", path);
      abort ();
    }
  return key;
}

/* The demo PKI, loaded once per process (the endpoints borrow it). */
static GPtrArray *
fuzz_chain (const char *name)
{
  static GHashTable *chains;
  GPtrArray *c;

  if (chains == NULL)
    chains = g_hash_table_new (g_str_hash, g_str_equal);
  c = g_hash_table_lookup (chains, name);
  if (c == NULL)
    {
      g_autofree char *file = g_strdup_printf ("%s-chain.pem", name);
      c = fuzz_load_chain (file);
      g_hash_table_insert (chains, (gpointer) name, c);
    }
  return c;
}

static TlsPrivateKey *
fuzz_key (const char *name)
{
  static GHashTable *keys;
  TlsPrivateKey *k;

  if (keys == NULL)
    keys = g_hash_table_new (g_str_hash, g_str_equal);
  k = g_hash_table_lookup (keys, name);
  if (k == NULL)
    {
      k = fuzz_load_key (name);
      g_hash_table_insert (keys, (gpointer) name, k);
    }
  return k;
}

static GPtrArray *
fuzz_trust (void)
{
  static GPtrArray *root;

  if (root == NULL)
    root = fuzz_load_chain ("ca/root.crt");
  return root;
}

static void
fuzz_endpoint_init (FuzzEndpoint *f, TlsActor role, const FuzzPairing *p)
{
  memset (f, 0, sizeof *f);
  f->trace = tls_trace_new ();
  f->rng = tls_rng_new_seeded (1, role == TLS_ACTOR_SERVER ? "server" : "client");
  tls_config_init (&f->cfg, role);
  f->cfg.rng = f->rng;
  f->cfg.record_received = TRUE;
  f->cfg.trust = g_ptr_array_ref (fuzz_trust ());
  if (role == TLS_ACTOR_SERVER)
    {
      g_autoptr (TlsRng) krng = tls_rng_new_seeded (1, "ticket keys");

      f->cfg.chain = g_ptr_array_ref (fuzz_chain (p->server_cert));
      f->cfg.key = fuzz_key (p->server_cert);
      f->cache = tls_session_cache_new (4, 3600);
      f->cfg.cache = f->cache;
      f->ticket_keys = tls_ticket_keys_new (krng);
      f->cfg.ticket_keys = f->ticket_keys;
      f->cfg.ticket_lifetime = 3600;
      f->cfg.client_auth = p->client_auth ? TLS_CLIENT_AUTH_REQUEST : TLS_CLIENT_AUTH_NONE;
    }
  else
    {
      guint16 id = tls_suite_by_name (p->suite)->id;

      f->cfg.suites = g_array_new (FALSE, FALSE, sizeof (guint16));
      g_array_append_val (f->cfg.suites, id);
      f->cfg.server_name = g_strdup ("localhost");
      f->cfg.max_version = p->client_max;
      f->cfg.tickets = p->tickets;
      if (p->client_auth)
        {
          f->cfg.chain = g_ptr_array_ref (fuzz_chain ("client-rsa"));
          f->cfg.key = fuzz_key ("client-rsa");
        }
    }
  f->ep = tls_endpoint_new (&f->cfg, f->trace);
  tls_endpoint_set_time (f->ep, FUZZ_NOW);
}

static void
fuzz_endpoint_clear (FuzzEndpoint *f)
{
  tls_endpoint_free (f->ep);
  f->cfg.cache = NULL;
  f->cfg.ticket_keys = NULL;
  f->cfg.key = NULL;          /* borrowed from fuzz_key */
  tls_config_clear (&f->cfg);
  g_clear_pointer (&f->cache, tls_session_cache_free);
  g_clear_pointer (&f->ticket_keys, tls_ticket_keys_free);
  tls_rng_free (f->rng);
  tls_trace_free (f->trace);
}

/* Steps until the endpoint waits, ends, or FUZZ_MAX_STEPS; the output and
 * application data it produces are dropped into OUT (may be NULL). */
static TlsEpStatus
fuzz_endpoint_run (FuzzEndpoint *f, GByteArray *out)
{
  TlsEpStatus st = tls_endpoint_status (f->ep);

  for (guint i = 0; i < FUZZ_MAX_STEPS; i++)
    {
      st = tls_endpoint_step (f->ep);
      g_autoptr (GBytes) o = tls_endpoint_take_output (f->ep);
      g_autoptr (GBytes) r = tls_endpoint_take_received (f->ep);
      if (o != NULL && out != NULL)
        g_byte_array_append (out, g_bytes_get_data (o, NULL), g_bytes_get_size (o));
      if (st == TLS_EP_PROGRESS)
        continue;
      if (st == TLS_EP_DONE && tls_endpoint_input_pending (f->ep))
        continue;
      break;
    }
  return st;
}
