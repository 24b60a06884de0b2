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
  guint16     client_max;     /* client's highest version (TLS 1.3: the
                                 server's too, and both sides' lowest) */
  gboolean    client_auth;    /* server asks; the client has client-rsa */
  gboolean    tickets;        /* client offers session_ticket (TLS 1.3:
                                 keeps the server's tickets) */
  const char *groups;         /* TLS 1.3 client: its groups, a key share for
                                 the first; NULL: the default */
  const char *server_groups;  /* TLS 1.3 server: the groups it accepts;
                                 NULL: the default */
  gboolean    resume;         /* TLS 1.3 client: offers the ticket of a first
                                 handshake of this pairing (fuzz_session) */
  gboolean    early_data;     /* TLS 1.3: tickets allow 0-RTT, the resumed
                                 client sends its request as early data */
  gboolean    key_update;     /* fuzz-seeds: after the handshake the client
                                 sends a KeyUpdate (update_requested), the
                                 server its answer (update_not_requested) */
} FuzzPairing;

#define V12 TLS_VERSION_1_2
#define V13 TLS_VERSION_1_3
/* Byte 0 of an input picks a pairing modulo their number: new pairings go
 * at the end, so that the committed seeds keep their pairing. */
static const FuzzPairing fuzz_pairings[] = {
  { "rsa-aes128-cbc-sha", "TLS_RSA_WITH_AES_128_CBC_SHA", "server-rsa", V12, FALSE, FALSE, NULL, NULL, FALSE, FALSE, FALSE },
  { "ecdhe-rsa-aes128-gcm", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "server-rsa", V12, FALSE, TRUE, NULL, NULL, FALSE, FALSE, FALSE },
  { "ecdhe-ecdsa-chacha20", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "server-ecdsa", V12, FALSE, FALSE, NULL, NULL, FALSE, FALSE, FALSE },
  { "dhe-rsa-aes256-cbc-sha256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "server-rsa", V12, FALSE, FALSE, NULL, NULL, FALSE, FALSE, FALSE },
  { "rsa-client-auth", "TLS_RSA_WITH_AES_256_GCM_SHA384", "server-rsa", V12, TRUE, FALSE, NULL, NULL, FALSE, FALSE, FALSE },
  { "tls10-rsa-aes256-cbc-sha", "TLS_RSA_WITH_AES_256_CBC_SHA", "server-rsa", TLS_VERSION_1_0, FALSE, FALSE, NULL, NULL, FALSE, FALSE, FALSE },
  /* TLS 1.3 */
  { "tls13-x25519-aes128-gcm", "TLS_AES_128_GCM_SHA256", "server-rsa", V13, FALSE, TRUE, "x25519", NULL, FALSE, FALSE, FALSE },
  { "tls13-hrr", "TLS_AES_128_GCM_SHA256", "server-ecdsa", V13, FALSE, FALSE, "x25519,secp256r1", "secp256r1", FALSE, FALSE, FALSE },
  { "tls13-client-auth", "TLS_AES_256_GCM_SHA384", "server-rsa", V13, TRUE, FALSE, NULL, NULL, FALSE, FALSE, FALSE },
  { "tls13-resumed", "TLS_AES_128_GCM_SHA256", "server-rsa", V13, FALSE, TRUE, NULL, NULL, TRUE, FALSE, FALSE },
  { "tls13-0rtt", "TLS_CHACHA20_POLY1305_SHA256", "server-rsa", V13, FALSE, TRUE, NULL, NULL, TRUE, TRUE, FALSE },
  { "tls13-keyupdate", "TLS_AES_128_GCM_SHA256", "server-rsa", V13, FALSE, FALSE, NULL, NULL, FALSE, FALSE, TRUE },
};
#undef V12
#undef V13

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

#define FUZZ_REQUEST "GET / HTTP/1.0\r\n\r\n"

static const TlsSession *fuzz_session (const FuzzPairing *p);

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
  if (p->client_max == TLS_VERSION_1_3)
    f->cfg.min_version = f->cfg.max_version = TLS_VERSION_1_3;
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
      if (p->server_groups != NULL)
        tls_config_parse_groups (p->server_groups, &f->cfg.groups, NULL);
      if (p->early_data)
        f->cfg.max_early_data = 16384;
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
      if (p->groups != NULL)
        tls_config_parse_groups (p->groups, &f->cfg.groups, NULL);
      if (p->resume)
        f->cfg.resume = tls_session_copy (fuzz_session (p));
      if (p->early_data)
        f->cfg.early_data = g_bytes_new_static (FUZZ_REQUEST, strlen (FUZZ_REQUEST));
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
      if (st == TLS_EP_DONE && (tls_endpoint_input_pending (f->ep)
                                || tls_endpoint_send_pending (f->ep)
                                || tls_endpoint_close_pending (f->ep)))
        continue;
      break;
    }
  return st;
}

/* Moves what FROM sent to TO; appends it to LOG (may be NULL). */
static gboolean
fuzz_pass (FuzzEndpoint *from, FuzzEndpoint *to, GByteArray *log)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();

  fuzz_endpoint_run (from, out);
  if (out->len == 0)
    return FALSE;
  if (log != NULL)
    g_byte_array_append (log, out->data, out->len);
  tls_endpoint_feed (to->ep, out->data, out->len);
  return TRUE;
}

/* Runs client C and server S until neither sends anything (20 rounds at
 * most), logging what each received. */
static void
fuzz_handshake (FuzzEndpoint *c, FuzzEndpoint *s, GByteArray *to_server, GByteArray *to_client)
{
  gboolean moved = TRUE;

  for (guint round = 0; round < 20 && moved; round++)
    {
      moved = fuzz_pass (c, s, to_server);
      moved |= fuzz_pass (s, c, to_client);
    }
}

/* The session (with its TLS 1.3 ticket) a first, full handshake of pairing
 * P gives the client: made once per process, deterministic like the rest,
 * so that the server of every later input can open the ticket. */
static const TlsSession *
fuzz_session (const FuzzPairing *p)
{
  static GHashTable *sessions;
  TlsSession *session;

  if (sessions == NULL)
    sessions = g_hash_table_new (g_str_hash, g_str_equal);
  session = g_hash_table_lookup (sessions, p->name);
  if (session == NULL)
    {
      FuzzPairing first = *p;
      FuzzEndpoint c, s;

      first.resume = FALSE;     /* early_data stays: the server's tickets allow it */
      fuzz_endpoint_init (&c, TLS_ACTOR_CLIENT, &first);
      fuzz_endpoint_init (&s, TLS_ACTOR_SERVER, &first);
      fuzz_handshake (&c, &s, NULL, NULL);
      if (tls_endpoint_session (c.ep) == NULL)
        {
          g_printerr ("fuzz: %s: the first handshake gave no session\n", p->name);
          abort ();
        }
      session = tls_session_copy (tls_endpoint_session (c.ep));
      g_hash_table_insert (sessions, (gpointer) p->name, session);
      fuzz_endpoint_clear (&c);
      fuzz_endpoint_clear (&s);
    }
  return session;
}
