/* cmd-serve.c — `handshake-lab serve`: our server for real clients.
 *
 * One thread per accepted connection, each with its own conductor and its
 * own trace, so a slow or silent client (which times out) never holds up
 * the others; one session cache shared by all.  Each connection's trace is
 * printed, whole, under a lock when it is done; then its steps join the
 * run's trace as its next connection, and the exports are written again
 * from that trace: one file of each kind holds every connection so far
 * (docs/exports.md, "serve: several connections in one file"). */
#include "config.h"
#include "cli-common.h"
#include "tls-kx-dh.h"

#include <signal.h>
#include <string.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "tls-keys.h"
#include "tls-rng.h"
#include "tls-serve.h"
#include "tls-session-cache.h"
#include "tls-ticket.h"
#include "tls-ticket-store.h"
#include "tls-suites.h"
#include "tls-trace-live.h"
#include "tls-trace-page.h"
#include "tls-transport.h"
#include "tls-types.h"
#include "tls-x509.h"

#define CACHE_ENTRIES 1024
#define CACHE_LIFETIME 3600   /* seconds */
#define OUTSTANDING_TICKETS 4096   /* --early-data: single-use tickets (RFC 8446, 8.1) */

typedef struct
{
  /* options */
  TlsConfig        base;        /* the server's config; rng set per connection */
  gboolean         quiet;
  gboolean         www;
  int              timeout_ms;
  guint            count;       /* 0: until stopped */
  const CliExports *exports;

  /* state */
  TlsTrace        *run;         /* every connection that ended, for the exports */
  GMutex           lock;        /* output, counters, JSON file names */
  guint            accepted;
  guint            finished;
  guint            failed;
  gint             stop;        /* atomic */
} Server;

typedef struct
{
  int    fd;
  guint  number;                /* 1, 2, ... in order of acceptance */
  char  *peer;                  /* "127.0.0.1:54321" */
} Connection;

static void
connection_free (Connection *conn)
{
  g_free (conn->peer);
  g_free (conn);
}

/* "127.0.0.1" of "127.0.0.1:54321", "[::1]" of "[::1]:54321". */
static char *
peer_host (const char *peer)
{
  const char *colon = strrchr (peer, ':');
  return colon ? g_strndup (peer, (gsize) (colon - peer)) : g_strdup (peer);
}

/* The connection's steps join the run's trace as its next connection, with
 * its name; then every export asked for is written again from that trace. */
static void
gather_connection (Server *srv, TlsTrace *trace, const Connection *conn)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *host = peer_host (conn->peer);
  const char *hosts = tls_trace_get_meta (srv->run, "peer");
  guint n = tls_trace_take_connections (srv->run, trace);
  struct { const char *key; char *value; } meta[] = {
    { "peer", g_strdup (conn->peer) },
    { "accepted", g_strdup_printf ("%u", conn->number) },
    { "name", g_strdup_printf ("client %s, accepted #%u", conn->peer, conn->number) },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      g_autofree char *key = g_strdup_printf ("conn%u.%s", n, meta[i].key);
      tls_trace_set_meta (srv->run, key, meta[i].value);
      g_free (meta[i].value);
    }
  /* The run's peers: every client host, once. */
  if (hosts == NULL)
    tls_trace_set_meta (srv->run, "peer", host);
  else
    {
      g_auto (GStrv) known = g_strsplit (hosts, ", ", -1);
      if (!g_strv_contains ((const char *const *) known, host))
        {
          g_autofree char *more = g_strconcat (hosts, ", ", host, NULL);
          tls_trace_set_meta (srv->run, "peer", more);
        }
    }
  if (!cli_exports_save (srv->run, srv->exports, 1, &error))
    g_printerr ("handshake-lab serve: %s\n", error->message);
}

static void
serve_connection (gpointer data, gpointer user_data)
{
  Connection *conn = data;
  Server *srv = user_data;
  g_autoptr (TlsRng) rng = tls_rng_new_system ();
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (GString) notes = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *number = g_strdup_printf ("%u", conn->number);
  TlsConfig cfg = srv->base;   /* shallow: the parts are shared, read-only */
  TlsConductor *c;
  gboolean ok = FALSE;

  cfg.rng = rng;
  /* With --quiet and no export or page, only the summary line is made
   * from this trace (its meta): no field trees, no explanations. */
  trace->bare = srv->quiet && srv->run == NULL && !srv->www;
  tls_trace_set_meta (trace, "command", "serve");
  tls_trace_set_meta (trace, "peer", conn->peer);
  tls_trace_set_meta (trace, "accepted", number);

  /* the handshake, then (--www) the page about it, then close_notify */
  c = tls_serve_connection (&cfg, conn->fd, trace, srv->timeout_ms,
                            srv->www ? tls_trace_to_class_page : NULL, notes, &error);
  if (c == NULL)
    {
      g_mutex_lock (&srv->lock);
      g_printerr ("handshake-lab serve: #%u %s: %s\n", conn->number, conn->peer, error->message);
      srv->finished++;
      srv->failed++;
      goto out_locked;
    }
  ok = tls_conductor_state (c) == TLS_RUN_COMPLETED;

  summary = cli_summary_line (trace, 0, c, TLS_ACTOR_SERVER, conn->number);
  g_mutex_lock (&srv->lock);
  if (!srv->quiet)
    {
      g_print ("--- #%u %s\n", conn->number, conn->peer);
      cli_print_trace_at (stdout, trace, FALSE, srv->exports);
      if (notes->len > 0)
        g_print ("%s", notes->str);
    }
  g_print ("%s\n", summary);
  fflush (stdout);
  srv->finished++;
  if (!ok)
    srv->failed++;
  tls_conductor_free (c);    /* closes the socket */
  if (srv->run != NULL)
    gather_connection (srv, trace, conn);

out_locked:
  if (srv->count > 0 && srv->finished >= srv->count)
    g_atomic_int_set (&srv->stop, 1);
  g_mutex_unlock (&srv->lock);
  connection_free (conn);
}

/* The server's config from the options: identities (the first is the
 * default, the others are chosen by server name), suites, version, client
 * authentication. */
static gboolean
build_config (TlsConfig *cfg, char **certs, char **keys, char **suite_names,
              const char *version, TlsClientAuth client_auth, const char *client_ca,
              GError **error)
{
  guint n = certs ? g_strv_length (certs) : 0;

  if (!cli_parse_suites (suite_names, &cfg->suites, error))
    return FALSE;
  if (version != NULL)
    {
      if (!cli_parse_version_range (version, &cfg->min_version, &cfg->max_version, error))
        return FALSE;
    }
  if (n == 0)
    {
      g_autofree char *cert = cli_data_file ("pki/server-rsa-chain.pem");
      g_autofree char *key = cli_data_file ("pki/server-rsa.key");
      if (!cli_load_identity (cert, key, &cfg->chain, &cfg->key, error))
        return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      GPtrArray *chain = NULL;
      TlsPrivateKey *key = NULL;

      if (!cli_load_identity (certs[i], keys[i], &chain, &key, error))
        return FALSE;
      if (i == 0)
        {
          cfg->chain = chain;
          cfg->key = key;
          /* Static DH (DH_RSA, DH_DSS): the certificate holds a DH key. */
          if (key->type == TLS_PK_DH
              && (cfg->static_dh = tls_dh_key_from_private_key_file (keys[i], error)) == NULL)
            return FALSE;
          continue;
        }
      if (cfg->more_identities == NULL)
        cfg->more_identities = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_identity_free);
      g_ptr_array_add (cfg->more_identities, tls_identity_new (chain, key));
    }
  cfg->client_auth = client_auth;
  if (client_auth != TLS_CLIENT_AUTH_NONE)
    {
      g_autofree char *ca = client_ca ? g_strdup (client_ca) : cli_data_file ("pki/ca/root.crt");
      if ((cfg->trust = cli_load_certificates (ca, error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  Server *srv = user_data;

  g_atomic_int_set (&srv->stop, 1);
  return G_SOURCE_CONTINUE;
}

int
cli_cmd_serve (int argc, char **argv)
{
  g_autofree char *listen = NULL;
  g_auto (GStrv) certs = NULL;
  g_auto (GStrv) keys = NULL;
  g_auto (GStrv) suite_names = NULL;
  g_auto (CliExports) ex = { 0 };
  g_autofree char *version = NULL;
  g_autofree char *client_ca = NULL;
  gint count = 0, timeout_ms = 10000, early_data = 0;
  g_autofree char *alpn = NULL;
  g_autofree char *groups = NULL;
  gboolean www = FALSE, quiet = FALSE, no_cache = FALSE, no_ems = FALSE, no_tickets = FALSE;
  gboolean verify_client = FALSE, request_client_cert = FALSE;
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on ADDR:PORT (default 127.0.0.1:4433; port 0: any free port)"),
      N_("ADDR:PORT") },
    { "cert", 'c', 0, G_OPTION_ARG_FILENAME_ARRAY, &certs,
      N_("Our certificate chain, leaf first (default: the demo server-rsa chain); given "
         "several times, the server picks by the client's server name"), N_("FILE") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &keys,
      N_("The private key of the certificate (one --key per --cert, in the same order)"),
      N_("FILE") },
    { "version", 'V', 0, G_OPTION_ARG_STRING, &version,
      N_("Speak only this version: 1.0, 1.1, 1.2 or 1.3, or a range such as 1.2-1.3 (TLS 1.3 "
         "and TLS 1.2 beside it; default: the highest both support up to 1.2; 1.3 when --suite "
         "names a TLS 1.3 suite)"),
      N_("1.0|1.1|1.2|1.3|1.2-1.3") },
    { "groups", 0, 0, G_OPTION_ARG_STRING, &groups,
      N_("TLS 1.3 groups, comma-separated, preferred first: x25519, secp256r1, secp384r1, x448, "
         "ffdhe2048, ffdhe3072 "
         "(default: the first four in that order)"), N_("LIST") },
    { "verify-client", 0, 0, G_OPTION_ARG_NONE, &verify_client,
      N_("Ask for a client certificate and require a valid chain"), NULL },
    { "request-client-cert", 0, 0, G_OPTION_ARG_NONE, &request_client_cert,
      N_("Ask for a client certificate, check it, show the result and carry on"), NULL },
    { "client-ca", 0, 0, G_OPTION_ARG_FILENAME, &client_ca,
      N_("Trust these CAs for client certificates (default: the demo root CA)"), N_("FILE") },
    { "no-tickets", 0, 0, G_OPTION_ARG_NONE, &no_tickets,
      N_("Do not issue session tickets (RFC 5077), nor a NewSessionTicket in TLS 1.3 "
         "(RFC 8446, 4.6.1)"), NULL },
    { "early-data", 0, 0, G_OPTION_ARG_INT, &early_data,
      N_("TLS 1.3: issue tickets that allow N bytes of 0-RTT data (max_early_data_size, RFC "
         "8446, 4.6.1) and accept the early data of a client that resumes with one (4.2.10) "
         "if the ticket age it gives is within 10 s of the ticket's age on this server's clock "
         "(8.3). Against replay (8) each ticket resumes once (single-use tickets, 8.1): the "
         "server keeps the last 4096 tickets it issued and removes each at its first use, so a "
         "replayed ClientHello, or a second resumption with the same ticket, gets a full "
         "handshake and its early data is skipped. Default 0: no early data"), N_("N") },
    { "suite", 0, 0, G_OPTION_ARG_STRING_ARRAY, &suite_names,
      N_("Accept this cipher suite (IANA name; may be given several times, in order of "
         "preference; default: all)"), N_("NAME") },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count,
      N_("Stop after N handshakes (exit 0 if all completed); default: until interrupted"),
      N_("N") },
    { "alpn", 0, 0, G_OPTION_ARG_STRING, &alpn,
      N_("Accept these application protocols (ALPN, RFC 7301), comma-separated, most preferred "
         "first; a client offering none of them gets no_application_protocol (default with "
         "--www: http/1.1)"), N_("LIST") },
    { "www", 0, 0, G_OPTION_ARG_NONE, &www,
      N_("Answer an HTTP request with a page describing the session"), NULL },
    { "no-cache", 0, 0, G_OPTION_ARG_NONE, &no_cache,
      N_("Do not cache sessions (no resumption)"), NULL },
    { "no-ems", 0, 0, G_OPTION_ARG_NONE, &no_ems,
      N_("Do not accept the extended master secret (RFC 7627)"), NULL },
    CLI_EXPORT_OPTIONS (&ex),
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("One summary line a handshake instead of the trace"), NULL },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout_ms,
      N_("Drop a client that sends nothing for MS milliseconds (default 10000)"), N_("MS") },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *host = NULL;
  guint16 port = 4433, bound = 0;
  GThreadPool *pool;
  guint sig_int, sig_term;
  Server srv = { 0 };
  int listen_fd, code;

  ctx = cli_option_context_new ("serve", NULL,
                                _("Serve TLS clients with our server and print every step of "
                                  "each handshake."), entries);
  if (!cli_parse_options (ctx, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc > 1)
    return cli_usage_error ("serve", _("unexpected argument “%s”"), argv[1]);
  if (listen != NULL && !tls_transport_parse_address (listen, &host, &port, &error))
    return cli_usage_error ("serve", _("bad address: %s"), error->message);
  if (host == NULL)
    host = g_strdup ("127.0.0.1");
  if ((certs ? g_strv_length (certs) : 0) != (keys ? g_strv_length (keys) : 0))
    return cli_usage_error ("serve", _("--cert and --key go together, one --key per --cert"));
  if (count < 0)
    return cli_usage_error ("serve", _("--count must not be negative"));
  if (timeout_ms <= 0)
    return cli_usage_error ("serve", _("--timeout must be a positive number of milliseconds"));
  if (verify_client && request_client_cert)
    return cli_usage_error ("serve", _("--verify-client and --request-client-cert exclude "
                                       "each other"));
  if (client_ca != NULL && !verify_client && !request_client_cert)
    return cli_usage_error ("serve", _("--client-ca goes with --verify-client or "
                                       "--request-client-cert"));
  if (!cli_exports_check (&ex, &error))
    return cli_usage_error ("serve", "%s", error->message);

  tls_config_init (&srv.base, TLS_ACTOR_SERVER);
  if (!build_config (&srv.base, certs, keys, suite_names, version,
                     verify_client ? TLS_CLIENT_AUTH_REQUIRE
                     : request_client_cert ? TLS_CLIENT_AUTH_REQUEST : TLS_CLIENT_AUTH_NONE,
                     client_ca, &error))
    {
      tls_config_clear (&srv.base);
      return cli_usage_error ("serve", "%s", error->message);
    }
  srv.base.cache = no_cache ? NULL : tls_session_cache_new (CACHE_ENTRIES, CACHE_LIFETIME);
  if (!no_tickets)
    {
      g_autoptr (TlsRng) key_rng = tls_rng_new_system ();
      /* RFC 5077, 5.5: the keys live as long as this server, no longer. */
      srv.base.ticket_keys = tls_ticket_keys_new (key_rng);
      srv.base.ticket_lifetime = CACHE_LIFETIME;
    }
  srv.base.no_ems = no_ems;
  srv.base.max_early_data = no_tickets ? 0 : (guint32) MAX (early_data, 0);
  /* 0-RTT needs anti-replay (RFC 8446, 8): single-use tickets (8.1) */
  if (srv.base.max_early_data > 0)
    srv.base.ticket_store = tls_ticket_store_new (OUTSTANDING_TICKETS);
  srv.base.record_received = TRUE;
  /* --www speaks HTTP/1.x: it selects http/1.1 when the client offers
   * ALPN (RFC 7301; "http/1.1" is the IANA protocol ID) */
  if (!cli_apply_tls13 (&srv.base, version != NULL, groups, &error))
    {
      tls_config_clear (&srv.base);
      return cli_usage_error ("serve", "%s", error->message);
    }
  if (alpn != NULL && !tls_config_parse_alpn (alpn, &srv.base.alpn, &error))
    {
      tls_config_clear (&srv.base);
      return cli_usage_error ("serve", "%s", error->message);
    }
  if (srv.base.alpn == NULL && www)
    srv.base.alpn = g_strsplit ("http/1.1", ",", -1);
  srv.quiet = quiet;
  srv.www = www;
  srv.timeout_ms = timeout_ms;
  srv.count = count;
  srv.exports = &ex;
  if (ex.json || ex.pcapng || ex.keylog || ex.html)
    {
      srv.run = tls_trace_new ();
      tls_trace_set_meta (srv.run, "command", "serve");
    }
  g_mutex_init (&srv.lock);

  listen_fd = tls_transport_listen (host, port, &bound, &error);
  if (listen_fd < 0)
    {
      code = cli_failure ("serve", "%s", error->message);
      goto out;
    }
  g_printerr (_("Listening on %s:%u%s\n"), host, bound,
              count > 0 ? "" : _(" (Ctrl+C stops)"));

  sig_int = g_unix_signal_add (SIGINT, on_signal_cb, &srv);
  sig_term = g_unix_signal_add (SIGTERM, on_signal_cb, &srv);
  /* A thread per connection, as many as there are clients. */
  pool = g_thread_pool_new (serve_connection, &srv, -1, FALSE, NULL);

  while (!g_atomic_int_get (&srv.stop))
    {
      g_autoptr (GError) accept_error = NULL;
      int fd = tls_transport_accept (listen_fd, 200, &accept_error);

      g_main_context_iteration (NULL, FALSE);
      if (fd < 0)
        {
          if (!g_error_matches (accept_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            {
              g_printerr ("handshake-lab serve: %s\n", accept_error->message);
              g_usleep (100 * 1000);
            }
          continue;
        }
      {
        Connection *conn = g_new0 (Connection, 1);
        conn->fd = fd;
        conn->peer = tls_serve_peer_address (fd);
        g_mutex_lock (&srv.lock);
        conn->number = ++srv.accepted;
        if (!quiet)
          {
            g_print ("ACCEPT #%u %s\n", conn->number, conn->peer);
            fflush (stdout);
          }
        g_mutex_unlock (&srv.lock);
        g_thread_pool_push (pool, conn, NULL);
      }
      /* --count N: N connections are all we take. */
      if (count > 0 && srv.accepted >= (guint) count)
        break;
    }

  tls_transport_close (listen_fd);
  /* Every connection has its time-out: this wait is bounded. */
  g_thread_pool_free (pool, FALSE, TRUE);
  g_source_remove (sig_int);
  g_source_remove (sig_term);

  if (count > 0)
    code = (srv.finished >= (guint) count && srv.failed == 0) ? CLI_EXIT_OK : CLI_EXIT_FAILED;
  else
    code = CLI_EXIT_OK;
  if (!quiet || code != CLI_EXIT_OK)
    g_printerr (_("%u handshake(s): %u completed, %u failed\n"), srv.finished,
                srv.finished - srv.failed, srv.failed);

out:
  /* tls_config_clear leaves the borrowed cache, ticket keys and store alone. */
  g_clear_pointer (&srv.base.cache, tls_session_cache_free);
  g_clear_pointer (&srv.base.ticket_keys, tls_ticket_keys_free);
  g_clear_pointer (&srv.base.ticket_store, tls_ticket_store_free);
  tls_config_clear (&srv.base);
  g_clear_pointer (&srv.run, tls_trace_free);
  g_mutex_clear (&srv.lock);
  return code;
}
