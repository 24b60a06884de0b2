/* cmd-connect.c — `handshake-lab connect HOST:PORT`: our client against a
 * real server, each handshake printed; `--reconnect` offers the first
 * session again on a second connection (its session ID or ticket; in TLS
 * 1.3 the PSK of the server's NewSessionTicket). */
#include "config.h"
#include "cli-common.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tls-rng.h"
#include "tls-transport.h"
#include "tls-types.h"

typedef struct
{
  char      *host;
  guint16    port;
  gboolean   quiet;
  gint       timeout_ms;
  const char *send;        /* application data to send after the handshake, or NULL */
} ConnectOptions;

/* After the handshake: O->send as application data, then the server's
 * first answer is waited for (the trace shows both; what else the server
 * sends is read while closing). */
static void
exchange_data (const ConnectOptions *o, TlsConductor *c)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = NULL;

  if (!tls_conductor_send (c, (const guint8 *) o->send, strlen (o->send), &error)
      || (answer = tls_conductor_receive (c, o->timeout_ms, &error)) == NULL)
    g_printerr ("handshake-lab connect: %s\n", error->message);
  else if (g_bytes_get_size (answer) == 0)
    g_printerr ("handshake-lab connect: %s\n", _("the server closed without answering"));
}

/* One connection: connect, handshake, close.  Returns the exit code of
 * this handshake; appends its summary line to SUMMARIES; *session gets a
 * copy of the session made (or NULL). */
static int
one_handshake (const ConnectOptions *o, const TlsConfig *cfg, TlsTrace *trace,
               GPtrArray *summaries, TlsSession **session)
{
  g_autoptr (GError) error = NULL;
  TlsConductor *c;
  TlsConnectionInfo info;
  gboolean ours;
  int fd, code;

  *session = NULL;
  fd = tls_transport_connect (o->host, o->port, o->timeout_ms, &error);
  if (fd < 0)
    return cli_failure ("connect", "%s", error->message);
  c = tls_conductor_new_peer (cfg, fd, trace, &error);
  if (c == NULL)
    return cli_failure ("connect", "%s", error->message);
  tls_conductor_set_timeout (c, o->timeout_ms);
  tls_conductor_run (c);
  ours = tls_conductor_connection_info (c, TLS_ACTOR_CLIENT, &info);
  if (tls_conductor_state (c) == TLS_RUN_COMPLETED && ours)
    {
      g_autoptr (GError) close_error = NULL;

      if (o->send != NULL)
        exchange_data (o, c);

      if (!cli_close_connection (c, o->timeout_ms, &close_error) && !o->quiet)
        g_printerr ("handshake-lab connect: %s\n", close_error->message);
    }

  g_ptr_array_add (summaries, cli_summary_line (trace, trace->connection, c, TLS_ACTOR_CLIENT,
                                                trace->connection + 1));

  if (tls_conductor_connection_info (c, TLS_ACTOR_CLIENT, &info) && info.session != NULL)
    *session = tls_session_copy (info.session);
  code = cli_report_result ("connect", c);
  tls_conductor_free (c);
  return code;
}

int
cli_cmd_connect (int argc, char **argv)
{
  g_auto (GStrv) suite_names = NULL;
  g_autofree char *servername = NULL;
  g_autofree char *ca = NULL;
  g_auto (CliExports) ex = { 0 };
  g_autofree char *version = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *alpn = NULL;
  g_autofree char *groups = NULL;
  g_autofree char *send = NULL;
  g_autofree char *send_text = NULL;
  gboolean insecure = FALSE, reconnect = FALSE, quiet = FALSE, no_ems = FALSE;
  gboolean no_tickets = FALSE;
  gint timeout_ms = 10000;
  const GOptionEntry entries[] = {
    { "suite", 0, 0, G_OPTION_ARG_STRING_ARRAY, &suite_names,
      N_("Offer this cipher suite (IANA name; may be given several times, in order of "
         "preference; default: all)"), N_("NAME") },
    { "servername", 0, 0, G_OPTION_ARG_STRING, &servername,
      N_("Server name to send (SNI) and to check the certificate against "
         "(default: HOST when it is not an address)"), N_("NAME") },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca,
      N_("Trust the CA certificates of FILE (default: the demo root CA)"), N_("FILE") },
    { "insecure", 'k', 0, G_OPTION_ARG_NONE, &insecure,
      N_("Go on when the certificate check fails (the trace shows it failed)"), NULL },
    { "reconnect", 'r', 0, G_OPTION_ARG_NONE, &reconnect,
      N_("Connect a second time and offer the first session for resumption"), NULL },
    { "version", 'V', 0, G_OPTION_ARG_STRING, &version,
      N_("Speak only this version: 1.0, 1.1, 1.2 or 1.3, or a range such as 1.2-1.3 (TLS 1.3 "
         "and TLS 1.2 beside it; default: the highest both support up to 1.2; 1.3 when --suite "
         "names a TLS 1.3 suite)"),
      N_("1.0|1.1|1.2|1.3|1.2-1.3") },
    { "groups", 0, 0, G_OPTION_ARG_STRING, &groups,
      N_("TLS 1.3 groups, comma-separated, preferred first: x25519, secp256r1, secp384r1, x448, "
         "ffdhe2048, ffdhe3072 "
         "(default: the first four in that order)"), N_("LIST") },
    { "cert", 'c', 0, G_OPTION_ARG_FILENAME, &cert,
      N_("Our client certificate chain, leaf first, for a server that asks for one"),
      N_("FILE") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key,
      N_("The private key of the client certificate"), N_("FILE") },
    { "no-tickets", 0, 0, G_OPTION_ARG_NONE, &no_tickets,
      N_("Do not offer session tickets (RFC 5077) or, in TLS 1.3, a ticket's PSK (RFC 8446, "
         "4.6.1); --reconnect then resumes by session ID, or in TLS 1.3 not at all"),
      NULL },
    { "no-ems", 0, 0, G_OPTION_ARG_NONE, &no_ems,
      N_("Do not offer the extended master secret (RFC 7627)"), NULL },
    { "alpn", 0, 0, G_OPTION_ARG_STRING, &alpn,
      N_("Offer these application protocols (ALPN, RFC 7301), comma-separated, most "
         "preferred first (e.g. h2,http/1.1)"), N_("LIST") },
    { "send", 0, 0, G_OPTION_ARG_STRING, &send,
      N_("After the handshake, send TEXT as application data (C escapes such as \\r\\n "
         "understood) and wait for the server's answer"), N_("TEXT") },
    CLI_EXPORT_OPTIONS (&ex),
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("One summary line a handshake instead of the trace"), NULL },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout_ms,
      N_("Give up waiting for the server after MS milliseconds (default 10000)"), N_("MS") },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsTrace) trace = NULL;
  g_autoptr (TlsRng) rng = NULL;
  g_autoptr (TlsSession) session = NULL;
  g_autoptr (GPtrArray) summaries = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *trust_path = NULL;
  g_autofree char *peer = NULL;
  g_autofree char *host = NULL;   /* o.host; freed on every return */
  ConnectOptions o = { 0 };
  TlsConfig cfg;
  int code;

  ctx = cli_option_context_new ("connect", "HOST:PORT",
                                _("Connect our client to a TLS server and print every step "
                                  "of the handshake."), entries);
  if (!cli_parse_options (ctx, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc < 2)
    return cli_usage_error ("connect", _("missing HOST:PORT"));
  if (argc > 2)
    return cli_usage_error ("connect", _("unexpected argument “%s”"), argv[2]);
  if (!tls_transport_parse_address (argv[1], &host, &o.port, &error))
    return cli_usage_error ("connect", _("bad address: %s"), error->message);
  o.host = host;
  if (o.port == 0)
    return cli_usage_error ("connect", _("bad address “%s”: the port must be from 1 to 65535"),
                            argv[1]);
  if (timeout_ms <= 0)
    return cli_usage_error ("connect", _("--timeout must be a positive number of milliseconds"));
  if ((cert == NULL) != (key == NULL))
    return cli_usage_error ("connect", _("--cert and --key go together"));
  if (!cli_exports_check (&ex, &error))
    return cli_usage_error ("connect", "%s", error->message);
  o.quiet = quiet;
  o.timeout_ms = timeout_ms;
  if (send != NULL)
    {
      send_text = g_strcompress (send);
      if (*send_text == '\0')
        return cli_usage_error ("connect", _("--send needs some text"));
      o.send = send_text;
    }

  tls_config_init (&cfg, TLS_ACTOR_CLIENT);
  if (!cli_parse_suites (suite_names, &cfg.suites, &error))
    {
      tls_config_clear (&cfg);
      return cli_usage_error ("connect", "%s", error->message);
    }
  if (version != NULL)
    {
      if (!cli_parse_version_range (version, &cfg.min_version, &cfg.max_version, &error))
        {
          tls_config_clear (&cfg);
          return cli_usage_error ("connect", "%s", error->message);
        }
    }
  if (cert != NULL && !cli_load_identity (cert, key, &cfg.chain, &cfg.key, &error))
    {
      tls_config_clear (&cfg);
      return cli_usage_error ("connect", "%s", error->message);
    }
  cfg.tickets = !no_tickets;
  if (servername != NULL)
    cfg.server_name = g_strdup (servername);
  else if (!g_hostname_is_ip_address (o.host))
    cfg.server_name = g_strdup (o.host);

  /* Trust: --ca, else the demo root (and the trace says which). */
  trust_path = ca != NULL ? g_strdup (ca) : cli_data_file ("pki/ca/root.crt");
  cfg.trust = cli_load_certificates (trust_path, &error);
  if (cfg.trust == NULL)
    {
      tls_config_clear (&cfg);
      return cli_usage_error ("connect", "%s", error->message);
    }
  cfg.insecure = insecure;
  cfg.no_ems = no_ems;
  if (!cli_apply_tls13 (&cfg, version != NULL, groups, &error))
    {
      tls_config_clear (&cfg);
      return cli_usage_error ("connect", "%s", error->message);
    }
  if (alpn != NULL && !tls_config_parse_alpn (alpn, &cfg.alpn, &error))
    {
      tls_config_clear (&cfg);
      return cli_usage_error ("connect", "%s", error->message);
    }
  cfg.record_received = TRUE;
  rng = tls_rng_new_system ();
  cfg.rng = rng;

  trace = tls_trace_new ();
  peer = g_strdup_printf (g_hostname_is_ip_address (o.host) && strchr (o.host, ':')
                          ? "[%s]:%u" : "%s:%u", o.host, o.port);
  tls_trace_set_meta (trace, "command", "connect");
  tls_trace_set_meta (trace, "peer", peer);
  tls_trace_set_meta (trace, "trust", ca != NULL ? trust_path : "demo root CA");
  tls_trace_set_meta (trace, "trust-file", trust_path);
  if (insecure)
    tls_trace_set_meta (trace, "insecure", "yes");

  /* Each connection's name (docs/exports.md) */
  {
    g_autofree char *name = g_strdup_printf ("to %s", peer);
    tls_trace_set_meta (trace, "conn0.name", name);
  }
  trace->connection = 0;
  code = one_handshake (&o, &cfg, trace, summaries, &session);
  if (reconnect && code == CLI_EXIT_OK)
    {
      g_autoptr (TlsSession) second = NULL;

      /* RFC 5246, 7.4.1.2: the client offers the ID of the session to resume. */
      cfg.resume = g_steal_pointer (&session);
      trace->connection = 1;
      {
        g_autofree char *name = g_strdup_printf ("to %s again, offering the session of "
                                                 "connection 1", peer);
        tls_trace_set_meta (trace, "conn1.name", name);
      }
      code = one_handshake (&o, &cfg, trace, summaries, &second);
    }

  /* The annotated trace of every handshake, then a line each. */
  if (!quiet && tls_trace_len (trace) > 0)
    cli_print_trace_at (stdout, trace, FALSE, &ex);
  for (guint i = 0; i < summaries->len; i++)
    g_print ("%s\n", (char *) g_ptr_array_index (summaries, i));
  fflush (stdout);

  if (!cli_exports_save (trace, &ex, 1, &error))
    {
      cli_failure ("connect", "%s", error->message);
      code = CLI_EXIT_FAILED;
    }
  tls_config_clear (&cfg);
  return code;
}
