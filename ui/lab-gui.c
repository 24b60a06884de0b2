/* lab-gui.c — option parsing, the screenshot renderer. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "lab-gui.h"
#include "lab-application.h"
#include "lab-capture-open.h"
#include "lab-resources.h"
#include "tls-capture.h"
#include "tls-scenario.h"
#include "tls-trace.h"
#include "tls-trace-json.h"

#include <string.h>

static void
register_resources (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      lab_register_resource ();
      g_once_init_leave (&done, 1);
    }
}

/* "2", "1.5": a zoom in [LAB_ZOOM_MIN, LAB_ZOOM_MAX]. */
static gboolean
parse_zoom (const char *text, double *zoom)
{
  char *end = NULL;
  double z = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || !(z >= LAB_ZOOM_MIN - 1e-9 && z <= LAB_ZOOM_MAX + 1e-9))
    return FALSE;
  *zoom = z;
  return TRUE;
}

/* "1024x768" */
static gboolean
parse_size (const char *text, int *width, int *height)
{
  guint64 w, h;
  g_auto (GStrv) parts = g_strsplit (text, "x", -1);

  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 320, 8192, &w, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 320, 8192, &h, NULL))
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

void
lab_gui_choose_renderer (void)
{
  /* Without a GPU (no DRM device: a virtual machine, Xvfb, a remote
   * session) GTK's GL renderer runs on software GL (llvmpipe), whose paint
   * alone takes 40-100 ms a frame here; cairo paints the same window in a
   * few ms (bench/README.md).  GDK then need not set up GL at all, which
   * took 200-350 ms of gtk_init here.  GSK_RENDERER or GDK_DEBUG set by the
   * user wins. */
  if (g_getenv ("GSK_RENDERER") == NULL && g_getenv ("GDK_DEBUG") == NULL
      && !g_file_test ("/dev/dri", G_FILE_TEST_IS_DIR))
    {
      g_setenv ("GSK_RENDERER", "cairo", FALSE);
      g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
    }
  /* GSK_RENDERER=cairo set by the user: the window draws nothing with GL
   * (no GtkGLArea), yet GDK on X11 still sets up EGL/GLX when it opens the
   * display (214 million instructions, a quarter of the start to the first
   * frame under Xvfb; bench/README.md).  Unless GDK_DEBUG says otherwise. */
  else if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") == 0 && g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
}

gboolean
lab_gui_have_display (void)
{
  return gtk_init_check ();
}

/* gtk_init_check (), without parsing a theme that is thrown away: when
 * GtkSettings comes up it loads the GTK theme named by gtk-theme-name
 * ("Default": about 80 million instructions of CSS parsing, 11% of the
 * start to the first frame, measured with callgrind), and then libadwaita
 * replaces it with its own stylesheet and sets the theme to its empty
 * "Adwaita-empty".  Naming that empty theme through GTK_THEME while GTK
 * starts skips the first parse; the variable is removed before libadwaita
 * starts (it leaves its stylesheet out when GTK_THEME is set), so the
 * window looks the same.  A GTK_THEME set by the user is left alone. */
gboolean
lab_gui_init_display (void)
{
  gboolean ok;

  if (g_getenv ("GTK_THEME") != NULL)
    return gtk_init_check ();
  g_setenv ("GTK_THEME", "Adwaita-empty", TRUE);
  ok = gtk_init_check ();
  if (ok)
    (void) gtk_settings_get_default ();   /* loads the theme now, under that name */
  g_unsetenv ("GTK_THEME");
  return ok;
}

void
lab_gui_init_for_tests (void)
{
  register_resources ();
  adw_init ();
  lab_application_add_style ();
}

/* What to open: a built-in (--scenario NAME), a scenario file (--scenario
 * FILE or FILE) or a saved trace (FILE.json); and --step N with N >= 0.
 * Prints why and returns FALSE for a usage error. */
static gboolean
check_what_to_open (LabGuiOptions *options, GStrv args)
{
  g_autoptr (GError) error = NULL;
  const char *file = args[1];

  if (file != NULL && args[2] != NULL)
    {
      g_printerr (_("gui: unexpected argument “%s”\n"), args[2]);
      return FALSE;
    }
  if (file != NULL && options->scenario != NULL)
    {
      g_printerr (_("gui: give either --scenario or a file, not both\n"));
      return FALSE;
    }
  if (options->steps < 0)
    {
      g_printerr (_("gui: --step must be 0 or more, not %d\n"), options->steps);
      return FALSE;
    }
  if (options->scenario && g_strv_contains (tls_scenario_names (), options->scenario))
    return TRUE;
  if (options->scenario && !g_file_test (options->scenario, G_FILE_TEST_EXISTS)
      && strchr (options->scenario, '/') == NULL)
    {
      g_printerr (_("gui: no scenario is called “%s” (and no such file)\n"), options->scenario);
      return FALSE;
    }
  if (file == NULL)
    file = options->scenario;
  if (file == NULL)
    return TRUE;
  if (lab_capture_is_capture_path (file))
    {
      /* A capture: its first TLS connection (File > Open asks which). */
      g_autoptr (TlsCapture) cap = tls_capture_open_file (file, &error);
      if (cap == NULL)
        {
          g_printerr (_("gui: cannot open the capture “%s”: %s\n"), file, error->message);
          return FALSE;
        }
      options->capture_file = g_strdup (file);
    }
  else if (g_str_has_suffix (file, ".json"))
    {
      g_autoptr (TlsTrace) trace = tls_trace_load_json (file, &error);
      if (trace == NULL)
        {
          g_printerr (_("gui: cannot open the trace “%s”: %s\n"), file, error->message);
          return FALSE;
        }
      options->trace_file = g_strdup (file);
    }
  else
    {
      g_autoptr (TlsScenario) sc = tls_scenario_load (file, &error);
      if (sc == NULL)
        {
          g_printerr (_("gui: cannot load the scenario “%s”: %s\n"), file, error->message);
          return FALSE;
        }
      options->scenario_file = g_strdup (file);
    }
  g_clear_pointer (&options->scenario, g_free);
  return TRUE;
}

int
lab_gui_run (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (LabApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  LabGuiOptions *options = g_new0 (LabGuiOptions, 1);
  g_autofree char *zoom = NULL, *size = NULL;
  char *run_argv[2] = { NULL, NULL };
  int status;
  GOptionEntry entries[] = {
    { "scenario", 0, 0, G_OPTION_ARG_FILENAME, &options->scenario,
      N_("Open on the built-in scenario NAME, or a scenario file"), N_("NAME|FILE") },
    { "step", 0, 0, G_OPTION_ARG_INT, &options->steps,
      N_("Take N steps first (0 to the number of steps of the run)"), "N" },
    { "detail", 0, 0, G_OPTION_ARG_STRING, &options->detail,
      N_("Level of detail: lesson (the main steps, each opening into its details) or "
         "full (every step)"), N_("LEVEL") },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &options->screenshot,
      N_("Render the window to the PNG FILE and exit"), N_("FILE") },
    { "zoom", 0, 0, G_OPTION_ARG_STRING, &zoom,
      N_("Zoom the whole window by Z, from 0.6 to 3 (for a projector; not saved)"), "Z" },
    { "presenter", 0, 0, G_OPTION_ARG_NONE, &options->presenter,
      N_("Open in presenter mode: full screen, large type, the ladder and the current step"), NULL },
    { "lesson", 0, 0, G_OPTION_ARG_FILENAME, &options->lesson,
      N_("Open the lesson NAME (data/lessons) or a lesson file"), N_("NAME|FILE") },
    { "predict", 0, 0, G_OPTION_ARG_NONE, &options->predict,
      N_("Predict mode: before chosen steps, ask what comes next"), NULL },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size,
      N_("Open the window at WIDTHxHEIGHT pixels (e.g. 1024x768)"), N_("WxH") },
    { "serve", 0, 0, G_OPTION_ARG_STRING, &options->serve,
      N_("Serve a class: our server with the --www page on [ADDR:]PORT (default address "
         "127.0.0.1; 0.0.0.0 for the room's network), its connections listed in the window"),
      N_("[ADDR:]PORT") },
    { "compare", 0, 0, G_OPTION_ARG_NONE, &options->compare,
      N_("Compare two runs side by side: gui --compare A B, each a scenario, a saved trace "
         "or a capture (NAME#N: its connection N)"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* app/main.c may have found the translations beside the program */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("HANDSHAKE_LAB_LOCALEDIR") && *g_getenv ("HANDSHAKE_LAB_LOCALEDIR")
                                   ? g_getenv ("HANDSHAKE_LAB_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  context = g_option_context_new (_("[SCENARIO-FILE | TRACE.json | CAPTURE.pcapng]"));
  g_option_context_set_summary (context, _("Open the Handshake Lab window."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("gui: %s\n", error->message);
      lab_gui_options_free (options);
      return 2;
    }
  if (options->compare)
    {
      if (g_strv_length (args) != 3)
        {
          g_printerr ("%s\n", _("gui: --compare takes two runs: --compare A B"));
          lab_gui_options_free (options);
          return 2;
        }
      options->compare_left = g_strdup (args[1]);
      options->compare_right = g_strdup (args[2]);
    }
  else if (!check_what_to_open (options, args))
    {
      lab_gui_options_free (options);
      return 2;
    }
  if (options->detail != NULL)
    {
      TlsDetail detail;
      if (!tls_detail_parse (options->detail, &detail))
        {
          g_printerr (_("gui: --detail: “%s” is not a level; the levels are lesson and full\n"),
                      options->detail);
          lab_gui_options_free (options);
          return 2;
        }
    }
  if (zoom && !parse_zoom (zoom, &options->zoom))
    {
      g_printerr (_("gui: --zoom takes a number from %.1f to %.1f, not “%s”\n"),
                  LAB_ZOOM_MIN, LAB_ZOOM_MAX, zoom);
      lab_gui_options_free (options);
      return 2;
    }
  if (size && !parse_size (size, &options->width, &options->height))
    {
      g_printerr (_("gui: --size takes WIDTHxHEIGHT in pixels, each from 320 to 8192, not “%s”\n"),
                  size);
      lab_gui_options_free (options);
      return 2;
    }
  lab_gui_choose_renderer ();
  if (!lab_gui_init_display ())
    {
      g_printerr ("%s\n", _("gui: cannot open a display"));
      lab_gui_options_free (options);
      return 1;
    }

  /* libadwaita before the application's startup: adw_init() makes the
   * display's icon theme, whose themes GTK then reads in a thread while
   * libadwaita parses its stylesheet.  Made by GtkApplication's startup
   * instead, the theme was being read when adw_init() added its icon path,
   * and the main thread waited for that reading (14-22 ms under strace)
   * only to throw it away (bench/README.md). */
  adw_init ();
  register_resources ();
  g_set_application_name (_("Handshake Lab"));
  app = lab_application_new (options);
  run_argv[0] = argv[0];
  g_application_run (G_APPLICATION (app), 1, run_argv);
  status = lab_application_get_exit_status (app);
  return status;
}
