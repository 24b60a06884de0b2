/* main.c — handshake-lab: the window, or a subcommand on the command line.
 *
 *   handshake-lab                    the window (or the default scenario
 *                                    printed, without a display)
 *   handshake-lab run|connect|serve|verify|open|compare|lesson|gui [OPTIONS]
 *
 * Exit codes: 0 the handshake(s) completed, 1 an alert or a failure,
 * 2 a usage error. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "cli-common.h"

#ifdef HAVE_GUI
#include "lab-gui.h"
#endif

#ifdef HAVE_GUI
static int
cmd_gui (int argc, char **argv)
{
  return lab_gui_run (argc, argv);
}
#endif

/* Installed anywhere (a DESTDIR, a relocated prefix): the program at
 * PREFIX/bin finds its data at PREFIX/share/handshake-lab and its
 * translations at PREFIX/share/locale, whatever prefix it was built for.
 * It says so through the same variables a user (or a test) may set, so the
 * window and the commands look where the program is.  From the build tree
 * (no ../share/handshake-lab beside it) only the translations are looked
 * for where meson built them. */
static void
find_installed_dirs (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *data = bindir ? g_build_filename (bindir, "..", "share", "handshake-lab", NULL) : NULL;
  g_autofree char *locale = bindir ? g_build_filename (bindir, "..", "share", "locale", NULL) : NULL;
  const char *env;

  if (data == NULL || !g_file_test (data, G_FILE_TEST_IS_DIR))
    {
      /* From the build tree the translations are the catalogs meson built
       * there (build/po/LL/LC_MESSAGES), so that LANGUAGE=fr works before
       * `meson install`. */
      env = g_getenv ("HANDSHAKE_LAB_LOCALEDIR");
      if ((env == NULL || *env == '\0') && g_file_test (BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
        g_setenv ("HANDSHAKE_LAB_LOCALEDIR", BUILD_LOCALEDIR, TRUE);
      return;
    }
  env = g_getenv ("HANDSHAKE_LAB_DATADIR");
  if (env == NULL || *env == '\0')
    g_setenv ("HANDSHAKE_LAB_DATADIR", data, TRUE);
  env = g_getenv ("HANDSHAKE_LAB_LOCALEDIR");
  if ((env == NULL || *env == '\0') && g_file_test (locale, G_FILE_TEST_IS_DIR))
    g_setenv ("HANDSHAKE_LAB_LOCALEDIR", locale, TRUE);
}

/* $HANDSHAKE_LAB_LOCALEDIR (a test's pseudo-locale, or set above), else the
 * configured one. */
static const char *
locale_dir (void)
{
  const char *env = g_getenv ("HANDSHAKE_LAB_LOCALEDIR");

  return env && *env ? env : LOCALEDIR;
}

static const struct
{
  const char     *name;
  CliCommandFunc  func;
  const char     *summary;
} commands[] = {
  { "run",     cli_cmd_run,     N_("Run a scenario with our client and our server in one process") },
  { "connect", cli_cmd_connect, N_("Connect our client to a TLS server") },
  { "serve",   cli_cmd_serve,   N_("Serve TLS clients with our server") },
  { "verify",  cli_cmd_verify,  N_("Check a certificate chain, check by check") },
  { "open",    cli_cmd_open,    N_("Open a capture (pcap, pcapng) and show one of its TLS connections") },
  { "compare", cli_cmd_compare, N_("Compare two runs, traces or captures side by side") },
  { "lesson",  cli_cmd_lesson,  N_("Run a lesson: its goal, its run with the teacher's notes and questions") },
#ifdef HAVE_GUI
  { "gui",     cmd_gui,         N_("Open the window") },
#endif
};

static char *
commands_description (void)
{
  g_autoptr (GString) s = g_string_new (_("Commands:"));

  g_string_append_c (s, '\n');
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "  %-9s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_printf (s, "\n%s\n",
                          _("Without a command: the window when there is a display, "
                            "else the “classic” scenario printed.\n"
                            "“handshake-lab COMMAND --help” shows the options of a command.\n"
                            "Exit status: 0 completed, 1 alert or failure, 2 usage error."));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static int
run_default (const char *argv0)
{
#ifdef HAVE_GUI
  if (lab_gui_have_display ())
    {
      char *gui_argv[] = { (char *) "gui", NULL };
      return lab_gui_run (1, gui_argv);
    }
#endif
  {
    char *run_argv[] = { (char *) "run", (char *) "--scenario", (char *) "classic", NULL };
    return cli_cmd_run (3, run_argv);
  }
}

int
main (int argc, char **argv)
{
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autofree char *description = NULL;
  g_autoptr (GError) error = NULL;

  find_installed_dirs ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("handshake-lab");

  if (argc < 2)
    return run_default (argv[0]);

  /* A subcommand gets the rest of the command line, its name as argv[0]. */
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].func (argc - 1, argv + 1);

  ctx = g_option_context_new (_("[COMMAND [OPTIONS…]]"));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx, _("Step through real TLS 1.0–1.3 handshakes, "
                                       "every byte explained."));
  description = commands_description ();
  g_option_context_set_description (ctx, description);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  /* Stop at the first word that is not an option: it is a command. */
  g_option_context_set_strict_posix (ctx, TRUE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return cli_usage_error (NULL, "%s", error->message);
  if (version)
    {
      g_print ("handshake-lab %s\n", PACKAGE_VERSION);
      return CLI_EXIT_OK;
    }
  if (argc < 2)
    return run_default (argv[0]);
  return cli_usage_error (NULL, _("unknown command “%s”; the commands are: %s"), argv[1],
                          "run, connect, serve, verify, open, compare, lesson"
#ifdef HAVE_GUI
                          ", gui"
#endif
                          );
}
