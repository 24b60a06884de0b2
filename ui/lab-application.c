/* lab-application.c — settings, accelerators, presentation zoom, about. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-application.h"
#include "lab-screenshot.h"
#include "lab-compare-view.h"
#include "lab-preferences.h"
#include "lab-window.h"
#include "tls-trace-json.h"
#include "tls-transport.h"
#include <string.h>

#define ZOOM_MIN  LAB_ZOOM_MIN
#define ZOOM_MAX  LAB_ZOOM_MAX
#define ZOOM_STEP 0.1
/* The type size at zoom 1.0: large enough for a room (points). */
#define BASE_FONT_PT 13.0
/* Presenter mode's type against the window's at the same zoom. */
#define PRESENTER_SCALE 1.5
#define HEADER_ZOOM_MAX 1.0

struct _LabApplication
{
  AdwApplication  parent_instance;

  LabGuiOptions  *options;
  GSettings      *settings;
  GtkCssProvider *zoom_css;
  double          zoom;
  int             exit_status;
  guint           screenshot_frames;
  guint           screenshot_timeout;
};

G_DEFINE_FINAL_TYPE (LabApplication, lab_application, ADW_TYPE_APPLICATION)

/* ------------------------------------------------------------------ */
/* Private                                                             */

/* The installed schema, or the one compiled in the build tree (running
 * uninstalled), or none: the app then runs with defaults. */
static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
#ifdef LAB_BUILD_SCHEMA_DIR
  if (schema == NULL)
    {
      g_autoptr (GSettingsSchemaSource) local =
        g_settings_schema_source_new_from_directory (LAB_BUILD_SCHEMA_DIR, source, FALSE, NULL);
      if (local)
        schema = g_settings_schema_source_lookup (local, APP_ID, FALSE);
    }
#endif
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
apply_zoom (LabApplication *self)
{
  g_autofree char *css = NULL;
  char pt[G_ASCII_DTOSTR_BUF_SIZE], presenter_pt[G_ASCII_DTOSTR_BUF_SIZE];
  /* the header bar's controls are the teacher's, not the room's: they
   * grow up to HEADER_ZOOM_MAX only, so they fit 1024 pixels at any zoom */
  double header_zoom = MIN (self->zoom, HEADER_ZOOM_MAX);
  int icon = (int) (16 * MAX (1.0, header_zoom) + 0.5);
  char header_pt[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (pt, sizeof pt, "%.1f", BASE_FONT_PT * self->zoom);
  g_ascii_formatd (header_pt, sizeof header_pt, "%.1f", BASE_FONT_PT * header_zoom);
  g_ascii_formatd (presenter_pt, sizeof presenter_pt, "%.1f", BASE_FONT_PT * PRESENTER_SCALE * self->zoom);
  css = g_strdup_printf ("window.lab-window { font-size: %spt; }\n"
                         "window.lab-window.presenter { font-size: %spt; }\n"
                         "window.lab-window headerbar { font-size: %spt; }\n"
                         "window.lab-window headerbar image { -gtk-icon-size: %dpx; }\n",
                         pt, presenter_pt, header_pt, icon);
  gtk_css_provider_load_from_data (self->zoom_css, css, -1);
}

static void
zoom_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  LabApplication *self = data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "zoom-in"))
    lab_application_set_zoom (self, self->zoom + ZOOM_STEP);
  else if (g_str_equal (name, "zoom-out"))
    lab_application_set_zoom (self, self->zoom - ZOOM_STEP);
  else
    lab_application_set_zoom (self, 1.0);
}

/* The application's icon (the About dialog's logo) for a program run from
 * its build tree, where it is not installed: the resource's icon path is
 * added the first time it is needed.  Added at startup, as GtkApplication
 * does for a resource base path, it made GTK read every icon theme a second
 * time at each start (bench/README.md). */
static void
add_app_icon_path (void)
{
  static gboolean added;

  if (!added && gdk_display_get_default () != NULL)
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      "/org/handshakelab/HandshakeLab/icons");
  added = TRUE;
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkApplication *app = data;
  const char *authors[] = { _("The Handshake Lab contributors"), NULL };

  add_app_icon_path ();
  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", _("Handshake Lab"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Step through real TLS 1.0–1.3 handshakes and see why each byte is there"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         /* Translators: your names, one a line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_zoom_cb (GObject *prefs, GParamSpec *pspec, LabApplication *self)
{
  lab_application_set_zoom (self, lab_preferences_get_zoom (LAB_PREFERENCES (prefs)));
}

static void
preferences_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  LabApplication *self = data;
  GtkWindow *prefs = lab_preferences_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                         self->zoom);

  g_signal_connect_object (prefs, "notify::zoom", G_CALLBACK (preferences_zoom_cb), self, 0);
  gtk_window_present (prefs);
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkApplication *app = data;
  GList *windows = gtk_application_get_windows (app);

  for (GList *l = windows; l; )
    {
      GList *next = l->next;
      gtk_window_close (l->data);
      l = next;
    }
}

static gboolean
screenshot_give_up_cb (gpointer data)
{
  LabApplication *self = data;

  g_printerr ("%s\n", _("the window was never drawn; no screenshot taken"));
  self->screenshot_timeout = 0;
  self->exit_status = 1;
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

static gboolean
screenshot_quit_cb (gpointer data)
{
  GtkWindow *window = data;
  GApplication *app = G_APPLICATION (gtk_window_get_application (window));

  gtk_window_destroy (window);
  if (app)
    g_application_quit (app);
  return G_SOURCE_REMOVE;
}

/* Waits for a few frames (the window mapped, laid out and drawn), then
 * renders it to the PNG and quits. */
static gboolean
screenshot_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  LabApplication *self = data;
  g_autoptr (GError) error = NULL;

  if (!gtk_widget_get_mapped (widget) || ++self->screenshot_frames < 6)
    return G_SOURCE_CONTINUE;
  if (lab_screenshot_save_png (widget, self->options->screenshot, &error))
    self->exit_status = 0;
  else if (self->screenshot_frames < 120)
    return G_SOURCE_CONTINUE;   /* not drawn yet (a relayout): the next frame */
  else
    {
      g_printerr ("%s: %s\n", self->options->screenshot, error->message);
      self->exit_status = 1;
    }
  g_clear_handle_id (&self->screenshot_timeout, g_source_remove);
  /* not from inside the frame: quit once it is over */
  g_idle_add_full (G_PRIORITY_DEFAULT, screenshot_quit_cb, g_object_ref (widget), g_object_unref);
  return G_SOURCE_REMOVE;
}

/* $HANDSHAKE_LAB_REPORT_FIRST_FRAME (bench/ui-step.c): print the
 * monotonic time of the first painted frame, then quit. */
static void
first_frame_cb (GdkFrameClock *clock, gpointer data)
{
  LabApplication *self = data;

  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, data);
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  self->exit_status = 0;
  g_application_quit (G_APPLICATION (self));
}

/* ------------------------------------------------------------------ */
/* GApplication                                                        */

/* GTK begins reading the icon themes in its own thread when the display's
 * icon theme is made (in adw_init), and adw_init then adds libadwaita's
 * icon path: if that thread took the theme's lock first, its reading is
 * thrown away, and the first icon of the first frame read every theme
 * again in the main thread, during size allocation (65 million
 * instructions, 15% of the main thread's start; bench/README.md).
 * GtkIconTheme starts its thread again whenever GtkSettings notifies
 * gtk-icon-theme-name: notified with the name unchanged, it reads the
 * themes, with every path in, while the window is being built (or finds
 * them read, at no cost, if the first reading stood). */
static void
reread_icon_themes_in_thread (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (display != NULL)
    g_object_notify (G_OBJECT (gtk_settings_get_for_display (display)), "gtk-icon-theme-name");
}

/* win.show-help-overlay (Ctrl+?, the menu's Keyboard Shortcuts): the
 * shortcuts window is built the first time it is asked for.  Under its
 * automatic name (gtk/help-overlay.ui) GtkApplication built it for every
 * window before the first frame (28 million instructions, 6% of the main
 * thread's start), to be shown perhaps never. */
static void
show_help_overlay (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkApplicationWindow *win = data;
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (win);

  if (overlay == NULL)
    {
      g_autoptr (GtkBuilder) builder
        = gtk_builder_new_from_resource ("/org/handshakelab/HandshakeLab/ui/help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (win, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

/* Every application window gets the action, as GtkApplication gave every
 * one the shortcuts window. */
static void
lab_application_window_added (GtkApplication *app, GtkWindow *window)
{
  GTK_APPLICATION_CLASS (lab_application_parent_class)->window_added (app, window);
  if (GTK_IS_APPLICATION_WINDOW (window)
      && g_action_map_lookup_action (G_ACTION_MAP (window), "show-help-overlay") == NULL)
    {
      g_autoptr (GSimpleAction) action = g_simple_action_new ("show-help-overlay", NULL);

      g_signal_connect (action, "activate", G_CALLBACK (show_help_overlay), window);
      g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
    }
}

static void
lab_application_startup (GApplication *app)
{
  LabApplication *self = LAB_APPLICATION (app);
  static const GActionEntry entries[] = {
    { "zoom-in", zoom_action, NULL, NULL, NULL, { 0 } },
    { "zoom-out", zoom_action, NULL, NULL, NULL, { 0 } },
    { "zoom-reset", zoom_action, NULL, NULL, NULL, { 0 } },
    { "about", about_action, NULL, NULL, NULL, { 0 } },
    { "preferences", preferences_action, NULL, NULL, NULL, { 0 } },
    { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  };
  static const struct { const char *action; const char *accels[4]; } accels[] = {
    { "lab.step", { "space", "Right", "KP_Right", NULL } },
    { "lab.step-back", { "Left", "KP_Left", "BackSpace", NULL } },
    { "lab.reset", { "Home", "KP_Home", NULL } },
    { "lab.run-to-end", { "End", "KP_End", NULL } },
    { "lab.play", { "p", NULL } },
    { "lab.presenter", { "F5", NULL } },
    { "lab.leave-presenter", { "Escape", NULL } },
    { "lab.export-json", { "<Control>e", NULL } },
    { "lab.key-schedule", { "<Control>k", NULL } },
    { "lab.open-trace", { "<Control>o", NULL } },
    { "app.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
    { "app.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
    { "app.zoom-reset", { "<Control>0", "<Control>KP_0", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (lab_application_parent_class)->startup (app);
  lab_application_add_style ();
  reread_icon_themes_in_thread ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  for (gsize i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);

  /* Light and dark follow the system (AdwStyleManager's default). */
  self->settings = settings_new ();
  self->zoom = self->settings ? g_settings_get_double (self->settings, "zoom") : 1.0;
  if (self->options->zoom > 0)   /* --zoom: for this run only */
    self->zoom = CLAMP (self->options->zoom, ZOOM_MIN, ZOOM_MAX);
  self->zoom_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (self->zoom_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  apply_zoom (self);
}

/* The trace file, scenario file or built-in scenario asked for. */
static gboolean
open_requested (LabApplication *self, LabWindow *win, const char *builtin, GError **error)
{
  if (self->options->trace_file)
    {
      TlsTrace *trace = tls_trace_load_json (self->options->trace_file, error);
      g_autofree char *base = g_path_get_basename (self->options->trace_file);

      if (trace == NULL)
        return FALSE;
      lab_window_load_trace (win, trace, base);
      return TRUE;
    }
  if (self->options->scenario_file)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_load (self->options->scenario_file, error);
      return sc != NULL && lab_window_load_scenario (win, sc, error);
    }
  return lab_window_load_builtin (win, builtin, error);
}

static void
lab_application_activate (GApplication *app)
{
  LabApplication *self = LAB_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *scenario = NULL;
  g_autoptr (GError) error = NULL;
  LabWindow *win;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->options->compare)
    {
      /* gui --compare A B: the compare window alone */
      TlsDetail detail = TLS_DETAIL_FULL;
      GtkWindow *cw;

      if (self->options->detail)
        tls_detail_parse (self->options->detail, &detail);
      cw = lab_compare_window_new (NULL, self->options->compare_left, self->options->compare_right,
                                   detail, &error);
      if (cw == NULL)
        {
          g_printerr ("gui: %s\n", error->message);
          self->exit_status = 2;
          return;
        }
      gtk_window_set_application (cw, GTK_APPLICATION (app));
      if (self->options->width > 0)
        {
          gtk_window_set_default_size (cw, self->options->width, self->options->height);
          lab_compare_view_fit (lab_compare_window_get_view (cw), self->options->width);
        }
      gtk_window_present (cw);
      if (self->options->screenshot)
        {
          self->exit_status = 1;
          gtk_widget_add_tick_callback (GTK_WIDGET (cw), screenshot_tick_cb, self, NULL);
          self->screenshot_timeout = g_timeout_add_seconds (30, screenshot_give_up_cb, self);
        }
      return;
    }

  win = lab_window_new (GTK_APPLICATION (app));
  lab_window_set_settings (win, self->settings, self->options->screenshot == NULL);
  if (self->options->detail)
    {
      TlsDetail detail;
      if (tls_detail_parse (self->options->detail, &detail))
        lab_window_set_detail (win, detail);
    }
  if (self->options->width > 0)
    gtk_window_set_default_size (GTK_WINDOW (win), self->options->width, self->options->height);
  else if (self->options->screenshot)
    gtk_window_set_default_size (GTK_WINDOW (win), 1600, 1000);
  else if (self->settings)
    {
      gtk_window_set_default_size (GTK_WINDOW (win),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (win));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (win), 1400, 900);

  if (self->options->scenario)
    scenario = g_strdup (self->options->scenario);
  else if (self->settings)
    scenario = g_settings_get_string (self->settings, "last-scenario");
  if (scenario == NULL || !g_strv_contains (tls_scenario_names (), scenario))
    {
      g_free (scenario);
      scenario = g_strdup (TLS_SCENARIO_DEFAULT);
    }
  if (!open_requested (self, win, scenario, &error))
    {
      if (self->options->screenshot)
        {
          g_printerr ("%s\n", error->message);
          self->exit_status = 1;
          gtk_window_destroy (GTK_WINDOW (win));
          return;
        }
      lab_window_toast (win, error->message);
    }
  if (self->options->capture_file)
    lab_window_open_file (win, self->options->capture_file, 1);
  if (self->options->serve)
    {
      /* "4433" or "ADDR:4433"; the address defaults to this machine only */
      g_autofree char *address = strchr (self->options->serve, ':') ? g_strdup (self->options->serve)
                                 : g_strconcat ("127.0.0.1:", self->options->serve, NULL);
      g_autofree char *host = NULL;
      guint16 port = 0;

      if (!tls_transport_parse_address (address, &host, &port, &error)
          || !lab_window_serve_class (win, host ? host : "127.0.0.1", port, &error))
        {
          g_printerr ("gui: --serve: %s\n", error->message);
          g_clear_error (&error);
        }
    }
  if (self->options->lesson)
    {
      /* a lesson of data/lessons by name, or a lesson file */
      g_autofree char *file = g_strconcat (self->options->lesson, ".lesson", NULL);
      g_autofree char *path = g_build_filename (lab_session_get_datadir (lab_window_get_session (win)),
                                                "lessons", file, NULL);
      g_autoptr (GError) lerr = NULL;

      if (!lab_window_load_lesson (win, g_file_test (path, G_FILE_TEST_IS_REGULAR)
                                        ? path : self->options->lesson, &lerr))
        {
          g_printerr ("gui: %s\n", lerr->message);
          self->exit_status = 2;
          gtk_window_destroy (GTK_WINDOW (win));
          return;
        }
    }
  if (self->options->predict)
    lab_window_set_predict (win, TRUE);
  /* a question of predict mode may stop the steps before N: it is shown */
  if (self->options->steps > 0
      && lab_window_step_n (win, self->options->steps) < (guint) self->options->steps
      && lab_window_get_question (win) == NULL)
    {
      g_printerr (_("gui: --step %d is past the end of the run\n"), self->options->steps);
      self->exit_status = 2;
      gtk_window_destroy (GTK_WINDOW (win));
      return;
    }

  if (self->options->presenter)
    lab_window_set_presenter (win, TRUE);
  gtk_window_present (GTK_WINDOW (win));
  if (g_getenv ("HANDSHAKE_LAB_REPORT_FIRST_FRAME"))
    g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (win)), "after-paint",
                      G_CALLBACK (first_frame_cb), self);
  if (self->options->screenshot)
    {
      self->exit_status = 1;
      gtk_widget_add_tick_callback (GTK_WIDGET (win), screenshot_tick_cb, self, NULL);
      self->screenshot_timeout = g_timeout_add_seconds (30, screenshot_give_up_cb, self);
    }
}

static void
lab_application_finalize (GObject *object)
{
  LabApplication *self = LAB_APPLICATION (object);

  g_clear_handle_id (&self->screenshot_timeout, g_source_remove);
  if (self->zoom_css && gdk_display_get_default ())
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                   GTK_STYLE_PROVIDER (self->zoom_css));
  g_clear_object (&self->zoom_css);
  g_clear_object (&self->settings);
  lab_gui_options_free (self->options);
  G_OBJECT_CLASS (lab_application_parent_class)->finalize (object);
}

static void
lab_application_class_init (LabApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = lab_application_finalize;
  app_class->startup = lab_application_startup;
  app_class->activate = lab_application_activate;
  GTK_APPLICATION_CLASS (klass)->window_added = lab_application_window_added;
}

static void
lab_application_init (LabApplication *self)
{
  self->zoom = 1.0;
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

/* The application's style.css, once, as AdwApplication loads it from a
 * resource base path (the application has none: lab_application_new).
 * The resources are registered (lab-gui.c). */
void
lab_application_add_style (void)
{
  static GtkCssProvider *css;

  if (css != NULL)
    return;
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/handshakelab/HandshakeLab/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

LabApplication *
lab_application_new (LabGuiOptions *options)
{
  LabApplication *self;
  GApplicationFlags flags = G_APPLICATION_DEFAULT_FLAGS;

  if (options == NULL)
    options = g_new0 (LabGuiOptions, 1);
  /* a screenshot run must not hand over to a window already open */
  if (options->screenshot || options->non_unique)
    flags |= G_APPLICATION_NON_UNIQUE;
  self = g_object_new (LAB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       NULL);
  /* No automatic resources: their icon path made GTK read the icon themes
   * twice (add_app_icon_path); style.css is added in startup, the
   * shortcuts window when first asked for. */
  g_application_set_resource_base_path (G_APPLICATION (self), NULL);
  self->options = options;
  return self;
}

GSettings *
lab_application_get_settings (LabApplication *self)
{
  g_return_val_if_fail (LAB_IS_APPLICATION (self), NULL);
  return self->settings;
}

gboolean
lab_application_is_screenshot (LabApplication *self)
{
  g_return_val_if_fail (LAB_IS_APPLICATION (self), FALSE);
  return self->options && self->options->screenshot != NULL;
}

double
lab_application_get_zoom (LabApplication *self)
{
  g_return_val_if_fail (LAB_IS_APPLICATION (self), 1.0);
  return self->zoom;
}

void
lab_application_set_zoom (LabApplication *self, double zoom)
{
  g_return_if_fail (LAB_IS_APPLICATION (self));

  zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  zoom = ((int) (zoom * 10 + 0.5)) / 10.0;
  self->zoom = zoom;
  if (self->settings)
    g_settings_set_double (self->settings, "zoom", zoom);
  if (self->zoom_css)
    apply_zoom (self);
}

int
lab_application_get_exit_status (LabApplication *self)
{
  g_return_val_if_fail (LAB_IS_APPLICATION (self), 1);
  return self->exit_status;
}

void
lab_gui_options_free (LabGuiOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->scenario);
  g_free (options->lesson);
  g_free (options->screenshot);
  g_free (options->detail);
  g_free (options->scenario_file);
  g_free (options->trace_file);
  g_free (options->capture_file);
  g_free (options->compare_left);
  g_free (options->compare_right);
  g_free (options->serve);
  g_free (options);
}
