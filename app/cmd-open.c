/* cmd-open.c — `handshake-lab open FILE.pcap|FILE.pcapng`: a real capture,
 * its TLS connections listed, one of them printed step by step like a
 * live run, and exported (docs/capture.md). */
#include "config.h"
#include "cli-common.h"

#include <glib/gi18n-lib.h>

#include "tls-capture.h"

static void
print_list (FILE *out, const TlsCapture *cap)
{
  for (guint i = 1; i <= tls_capture_n_connections (cap); i++)
    {
      g_autofree char *line = tls_capture_describe (cap, tls_capture_connection (cap, i));
      fprintf (out, "%s\n", line);
    }
}

TlsCapture *
cli_open_capture (const char *cmd, const char *path, const char *keylog, int *exit_code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsCapture) cap = tls_capture_open_file (path, &error);

  *exit_code = CLI_EXIT_USAGE;
  if (cap == NULL)
    {
      cli_usage_error (cmd, "%s", error->message);
      return NULL;
    }
  if (tls_capture_problem (cap) != NULL)
    g_printerr ("handshake-lab %s: %s\n", cmd, tls_capture_problem (cap));
  if (keylog != NULL && !tls_capture_load_keylog (cap, keylog, &error))
    {
      cli_usage_error (cmd, "%s", error->message);
      return NULL;
    }
  if (tls_capture_n_connections (cap) == 0)
    {
      *exit_code = cli_failure (cmd, _("no TLS in “%s”: %u packets, %u of them not TCP over IP, "
                                       "and no TCP connection starts with a TLS ClientHello"),
                                path, tls_capture_n_packets (cap), tls_capture_n_skipped (cap));
      return NULL;
    }
  return g_steal_pointer (&cap);
}

TlsTrace *
cli_capture_trace (const char *cmd, TlsCapture *cap, int number, int *exit_code)
{
  g_autoptr (GError) error = NULL;
  TlsTrace *trace = tls_capture_trace (cap, (guint) number, &error);

  if (trace == NULL)
    {
      print_list (stderr, cap);
      *exit_code = cli_usage_error (cmd, "%s", error->message);
    }
  return trace;
}

int
cli_cmd_open (int argc, char **argv)
{
  g_autofree char *keylog = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *server_key = NULL;
  int number = 0;
  gboolean list = FALSE, brief = FALSE;
  g_auto (CliExports) ex = { 0 };
  const GOptionEntry entries[] = {
    { "keylog", 'k', 0, G_OPTION_ARG_FILENAME, &keylog,
      N_("Read the session keys from an NSS key log (SSLKEYLOGFILE), besides those inside a pcapng"),
      N_("FILE") },
    { "connection", 'c', 0, G_OPTION_ARG_INT, &number,
      N_("The connection to show (see --list; default: the first)"), N_("N") },
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list,
      N_("List the TLS connections of the capture and exit"), NULL },
    { "brief", 'b', 0, G_OPTION_ARG_NONE, &brief,
      N_("One line a step instead of the annotated trace"), NULL },
    { "trace-json", 'j', 0, G_OPTION_ARG_FILENAME, &ex.json,
      N_("Also write the trace as JSON to FILE"), N_("FILE") },
    { "pcapng", 0, 0, G_OPTION_ARG_FILENAME, &ex.pcapng,
      N_("Also write the connection as a pcapng capture with its keys inside"), N_("FILE") },
    { "export-keylog", 0, 0, G_OPTION_ARG_FILENAME, &ex.keylog,
      N_("Also write the connection's key in the NSS key log format"), N_("FILE") },
    { "html", 0, 0, G_OPTION_ARG_FILENAME, &ex.html,
      N_("Also write a printable HTML handout of every step"), N_("FILE") },
    CLI_NOTES_OPTION (&notes),
    { "server-key", 0, 0, G_OPTION_ARG_FILENAME, &server_key,
      N_("The server's private key (PEM): decrypts the premaster secret of an RSA key "
         "exchange; an (EC)DHE connection shows why it does not help"), N_("KEY.pem") },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsCapture) cap = NULL;
  g_autoptr (TlsTrace) trace = NULL;
  const TlsCaptureConnection *conn;
  const char *result;
  int code = CLI_EXIT_USAGE;

  ctx = cli_option_context_new ("open", _("FILE.pcap|FILE.pcapng"),
                                _("Open a capture, list its TLS connections and show one "
                                  "of them step by step."), entries);
  if (!cli_parse_options (ctx, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc < 2)
    return cli_usage_error ("open", _("which capture? Give a .pcap or .pcapng file"));
  if (argc > 2)
    return cli_usage_error ("open", _("unexpected argument “%s”"), argv[2]);
  if (!cli_check_file (argv[1], &error)
      || (keylog != NULL && !cli_check_file (keylog, &error))
      || !cli_exports_check (&ex, &error)
      || (notes != NULL && !cli_check_file (notes, &error)))
    return cli_usage_error ("open", "%s", error->message);
  if (number < 0)
    return cli_usage_error ("open", _("--connection: connections are numbered from 1"));

  cap = cli_open_capture ("open", argv[1], keylog, &code);
  if (cap == NULL)
    return code;
  if (server_key != NULL)
    {
      TlsPrivateKey *key = cli_load_key (server_key, &error);
      if (key == NULL)
        return cli_usage_error ("open", "%s", error->message);
      tls_capture_set_server_key (cap, key);
    }
  if (list)
    {
      print_list (stdout, cap);
      return CLI_EXIT_OK;
    }
  if (number == 0)
    number = 1;
  trace = cli_capture_trace ("open", cap, number, &code);
  if (trace == NULL)
    return code;
  if (notes != NULL && !cli_load_notes (trace, notes, &error))
    return cli_usage_error ("open", "%s", error->message);
  conn = tls_capture_connection (cap, (guint) number);
  {
    g_autofree char *line = tls_capture_describe (cap, conn);
    printf ("# %s (%u of %u)\n", line, (guint) number, tls_capture_n_connections (cap));
  }
  cli_print_trace (stdout, trace, brief);
  if (!cli_exports_save (trace, &ex, 1, &error))
    return cli_failure ("open", "%s", error->message);
  result = tls_trace_get_meta (trace, "conn0.result");
  if (g_strcmp0 (result, "completed") == 0)
    return CLI_EXIT_OK;
  return cli_failure ("open", _("connection #%d: %s"), number, result ? result : "?");
}
