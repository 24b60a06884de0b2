/* cmd-run.c — `handshake-lab run`: a scenario with our client and our
 * server in one process, printed step by step. */
#include "config.h"
#include "cli-common.h"

#include <glib/gi18n-lib.h>

#include "tls-scenario.h"
#include "tls-types.h"

static char *
scenario_list (void)
{
  const char *const *names = tls_scenario_names ();

  return g_strjoinv (", ", (char **) names);
}

static void
print_scenarios (void)
{
  const char *const *names = tls_scenario_names ();
  int width = 0;

  for (guint i = 0; names[i] != NULL; i++)
    width = MAX (width, (int) strlen (names[i]));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin (names[i]);
      g_print ("%-*s  %s\n", width, names[i], sc && sc->title ? _(sc->title) : "");
    }
}

TlsScenario *
cli_find_scenario (const char *cmd, const char *name, int *exit_code)
{
  g_autoptr (GError) error = NULL;
  TlsScenario *sc = tls_scenario_builtin (name);

  if (sc != NULL)
    return sc;
  if (g_file_test (name, G_FILE_TEST_EXISTS) || strchr (name, '/') != NULL
      || g_str_has_suffix (name, ".scenario") || g_str_has_suffix (name, ".ini"))
    {
      if (!cli_check_file (name, &error))
        {
          *exit_code = cli_usage_error (cmd, "%s", error->message);
          return NULL;
        }
      sc = tls_scenario_load (name, &error);
      if (sc == NULL)
        *exit_code = cli_usage_error (cmd, _("cannot load scenario “%s”: %s"), name,
                                      error->message);
      return sc;
    }
  {
    g_autofree char *names = scenario_list ();
    *exit_code = cli_usage_error (cmd, _("unknown scenario “%s”; the scenarios are: %s "
                                          "(or the path of a scenario file)"), name, names);
  }
  return NULL;
}

int
cli_cmd_run (int argc, char **argv)
{
  g_autofree char *scenario = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *version = NULL;
  g_autofree char *groups = NULL;
  g_autofree char *notes = NULL;
  g_auto (GStrv) attacks = NULL;
  g_auto (CliExports) ex = { 0 };
  gboolean brief = FALSE, list = FALSE, quiet = FALSE;
  const GOptionEntry entries[] = {
    { "scenario", 's', 0, G_OPTION_ARG_STRING, &scenario,
      N_("The scenario: a built-in name or a scenario file (default: classic)"), N_("NAME") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Seed of the random generator (the same seed gives the same bytes)"), N_("N") },
    { "attack", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &attacks,
      N_("An attacker between client and server does ACTION (repeatable; docs/attacker.md): "
         "tamper:TARGET.FIELD=VALUE, flip:TARGET@BYTE[.BIT], drop:TARGET, replay:TARGET, "
         "reorder:TARGET, inject:TARGET:TYPE:HEX"), N_("ACTION") },
    CLI_EXPORT_OPTIONS (&ex),
    CLI_NOTES_OPTION (&notes),
    { "brief", 'b', 0, G_OPTION_ARG_NONE, &brief,
      N_("One line a step instead of the annotated trace"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("One summary line a handshake instead of the trace"), NULL },
    { "version", 'V', 0, G_OPTION_ARG_STRING, &version,
      N_("Both sides speak only this version: 1.0, 1.1, 1.2 or 1.3 (default: the scenario's)"),
      N_("1.0|1.1|1.2|1.3") },
    { "groups", 0, 0, G_OPTION_ARG_STRING, &groups,
      N_("TLS 1.3 groups, comma-separated, preferred first: x25519, secp256r1, secp384r1, x448, "
         "ffdhe2048, ffdhe3072"),
      N_("LIST") },
    { "list-scenarios", 'l', 0, G_OPTION_ARG_NONE, &list,
      N_("List the built-in scenarios and exit"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (TlsScenario) sc = NULL;
  g_autoptr (GError) error = NULL;
  int code = CLI_EXIT_USAGE;

  ctx = cli_option_context_new ("run", NULL,
                                _("Run a scenario with our client and our server in one "
                                  "process and print every step."), entries);
  if (!cli_parse_options (ctx, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc > 1)
    return cli_usage_error ("run", _("unexpected argument “%s”"), argv[1]);
  if (list)
    {
      print_scenarios ();
      return CLI_EXIT_OK;
    }

  if (!cli_exports_check (&ex, &error)
      || (notes != NULL && !cli_check_file (notes, &error)))
    return cli_usage_error ("run", "%s", error->message);
  sc = cli_find_scenario ("run", scenario ? scenario : TLS_SCENARIO_DEFAULT, &code);
  if (sc == NULL)
    return code;
  if (seed_text != NULL)
    {
      guint64 seed;
      if (!g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &seed, NULL))
        return cli_usage_error ("run", _("--seed: “%s” is not a number"), seed_text);
      sc->seed = seed;
    }
  if (version != NULL)
    {
      guint16 v;
      if (!cli_parse_version (version, &v, &error))
        return cli_usage_error ("run", "%s", error->message);
      sc->min_version = sc->max_version = v;
      sc->client_max_version = 0;
      if (v == TLS_VERSION_1_3)
        {
          /* the scenario's TLS 1.2 suites do not apply */
          g_array_set_size (sc->client_suites, 0);
          g_array_set_size (sc->server_suites, 0);
        }
    }
  if (groups != NULL)
    {
      g_autoptr (GArray) check = NULL;
      if (!tls_config_parse_groups (groups, &check, &error))
        return cli_usage_error ("run", "--groups: %s", error->message);
      g_free (sc->groups);
      sc->groups = g_strdup (groups);
    }
  for (guint i = 0; attacks != NULL && attacks[i] != NULL; i++)
    if (!tls_scenario_add_attack (sc, attacks[i], &error))
      return cli_usage_error ("run", "--attack: %s", error->message);

  return cli_run_scenario ("run", sc, brief, quiet, &ex, notes, NULL, NULL);
}

int
cli_run_scenario (const char *cmd, const TlsScenario *sc, gboolean brief, gboolean quiet,
                  const CliExports *ex, const char *notes, CliTraceHook hook, gpointer data)
{
  g_autoptr (GError) error = NULL;
  TlsConductor *c;
  int code;

  c = tls_conductor_new (sc, cli_datadir (), &error);
  if (c == NULL)
    return cli_failure (cmd, _("cannot start the scenario: %s"), error->message);

  tls_conductor_run (c);
  if (notes != NULL && !cli_load_notes (tls_conductor_get_trace (c), notes, &error))
    {
      tls_conductor_free (c);
      return cli_usage_error (cmd, "%s", error->message);
    }
  if (hook != NULL && !hook (c, data, &error))
    {
      tls_conductor_free (c);
      return cli_usage_error (cmd, "%s", error->message);
    }
  if (quiet)
    {
      TlsTrace *trace = tls_conductor_get_trace (c);
      guint n = 0;

      for (guint i = 0; i < tls_trace_len (trace); i++)
        n = MAX (n, tls_trace_get (trace, i)->connection + 1);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *line = cli_summary_line (trace, i, c, TLS_ACTOR_CLIENT, i + 1);
          g_print ("%s\n", line);
        }
      fflush (stdout);
    }
  else
    cli_print_trace_at (stdout, tls_conductor_get_trace (c), brief, ex);
  if (!cli_exports_save (tls_conductor_get_trace (c), ex, 1, &error))
    {
      tls_conductor_free (c);
      return cli_failure (cmd, "%s", error->message);
    }
  code = cli_report_result (cmd, c);
  tls_conductor_free (c);
  return code;
}
