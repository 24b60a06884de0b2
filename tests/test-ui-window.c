/* test-ui-window.c — the window in front of a class (issue 10): badges
 * coloured by outcome; the window at 1024x768 at zoom 1, 2 and 3 and in
 * presenter mode, with nothing cut.  Needs a display (xvfb-run); without
 * one every case is skipped. */
#include "config.h"

#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "lab-application.h"
#include "lab-gui.h"
#include "lab-inspector.h"
#include "lab-session.h"
#include "lab-window.h"
#include "tls-alert.h"
#include "tls-conductor.h"

#include "test-ui-util.h"

/* ------------------------------------------------------------------ */
/* Badges by outcome                                                   */

static void
test_badges (void)
{
  static const char *const scenarios[] = { "full", "expired", "bad-finished" };
  guint passed = 0, failed = 0, closure = 0, fatal = 0;

  g_test_summary ("A failed check wears a red badge, a passed one green, a close_notify a "
                  "neutral one, a fatal alert red");
  NEED_DISPLAY ();

  for (gsize k = 0; k < G_N_ELEMENTS (scenarios); k++)
    {
      g_autoptr (GError) error = NULL;
      LabWindow *w = lab_window_new (NULL);
      LabSession *session;
      LabInspector *inspector;
      GtkWidget *badge;

      gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
      g_assert_true (lab_window_load_builtin (w, scenarios[k], &error));
      g_assert_no_error (error);
      gtk_window_present (GTK_WINDOW (w));
      wait_drawn (GTK_WIDGET (w));
      session = lab_window_get_session (w);
      inspector = lab_window_get_inspector (w);
      badge = lab_inspector_get_badge (inspector);
      lab_window_step_n (w, 100000);
      for (guint i = 0; i < lab_session_get_position (session); i++)
        {
          const TlsStep *s = lab_session_get_step (session, i);
          const char *text;

          lab_inspector_set_step (inspector, (int) i);
          text = gtk_label_get_text (GTK_LABEL (badge));
          if (s->kind == TLS_STEP_CHECK && s->result == TLS_CHECK_FAILED)
            {
              g_assert_true (gtk_widget_has_css_class (badge, "kind-failed"));
              g_assert_false (gtk_widget_has_css_class (badge, "kind-check"));
              g_assert_cmpstr (text, ==, "Check failed");
              failed++;
            }
          else if (s->kind == TLS_STEP_CHECK && s->result == TLS_CHECK_PASSED)
            {
              g_assert_true (gtk_widget_has_css_class (badge, "kind-check"));
              g_assert_cmpstr (text, ==, "Check passed");
              passed++;
            }
          else if (s->kind == TLS_STEP_ALERT && s->alert_level == TLS_ALERT_LEVEL_WARNING
                   && s->alert_description == TLS_ALERT_CLOSE_NOTIFY)
            {
              g_assert_true (gtk_widget_has_css_class (badge, "kind-neutral"));
              g_assert_false (gtk_widget_has_css_class (badge, "kind-alert"));
              g_assert_cmpstr (text, ==, "Closure");
              closure++;
            }
          else if (s->kind == TLS_STEP_ALERT && s->alert_level == TLS_ALERT_LEVEL_FATAL)
            {
              g_assert_true (gtk_widget_has_css_class (badge, "kind-alert"));
              g_assert_cmpstr (text, ==, "Fatal alert");
              fatal++;
            }
          else if (s->kind == TLS_STEP_MESSAGE)
            g_assert_true (gtk_widget_has_css_class (badge, "kind-message"));
        }
      gtk_window_destroy (GTK_WINDOW (w));
      pump ();
    }
  g_assert_cmpuint (passed, >, 0);
  g_assert_cmpuint (failed, >, 0);
  g_assert_cmpuint (closure, >, 0);
  g_assert_cmpuint (fatal, >, 0);
}

/* ------------------------------------------------------------------ */
/* 1024x768 at zoom 1, 2 and 3, and in presenter mode                  */

typedef struct
{
  const char *name;
  double      zoom;
  gboolean    presenter;
  const char *zoom_arg;
} FitCase;

static gboolean
bounds_inside (GtkWidget *w, GtkWidget *window, int ww, int wh)
{
  graphene_rect_t b;

  if (!gtk_widget_compute_bounds (w, window, &b))
    return FALSE;
  g_test_message ("%s: %.0f,%.0f %.0fx%.0f in %dx%d", G_OBJECT_TYPE_NAME (w), b.origin.x, b.origin.y,
                  b.size.width, b.size.height, ww, wh);
  /* the header bar reaches 1 px over the window's border */
  return b.origin.x >= -1.5 && b.origin.y >= -1.5
         && b.origin.x + b.size.width <= ww + 1.5 && b.origin.y + b.size.height <= wh + 1.5;
}

static gboolean
label_ellipsized (GtkWidget *label)
{
  return pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label)));
}

/* The first label with CSS class CSS under W. */
static GtkWidget *
find_label (GtkWidget *w, const char *css)
{
  if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, css))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, css);
      if (found)
        return found;
    }
  return NULL;
}

static void
test_fit (gconstpointer data)
{
  const FitCase *c = data;
  LabGuiOptions *options = g_new0 (LabGuiOptions, 1);
  g_autoptr (LabApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *window, *ladder, *inspector, *title, *explanation, *titlebar;
  LabWindow *w;
  int ww, wh, min_h, nat_h;

  g_test_summary ("At 1024x768 (zoom 1, 2, 3, presenter) the window keeps its size, the ladder "
                  "and the inspector lie inside it, the step's title is not cut");
  NEED_DISPLAY ();

  options->non_unique = TRUE;
  options->scenario = g_strdup ("full");
  options->steps = 8;            /* in the full view, a check: "ServerHello acceptable" */
  options->detail = g_strdup ("full");
  options->zoom = c->zoom;
  options->presenter = c->presenter;
  options->width = 1024;
  options->height = 768;
  app = lab_application_new (options);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (lab_application_get_zoom (app), c->zoom, 1e-6);
  g_application_activate (G_APPLICATION (app));
  g_assert_nonnull (gtk_application_get_windows (GTK_APPLICATION (app)));
  window = gtk_application_get_windows (GTK_APPLICATION (app))->data;
  w = LAB_WINDOW (window);
  wait_drawn (window);

  ww = gtk_widget_get_width (window);
  wh = gtk_widget_get_height (window);
  /* the window was not pushed past the projector by its content */
  g_assert_cmpint (ww, <=, 1024);
  g_assert_cmpint (wh, <=, 768);
  g_assert_cmpint (ww, >=, 900);
  g_assert_cmpint (wh, >=, 650);

  ladder = GTK_WIDGET (lab_window_get_ladder (w));
  inspector = GTK_WIDGET (lab_window_get_inspector (w));
  g_assert_true (bounds_inside (ladder, window, ww, wh));
  /* the inspector lies in a scroller that lies in the window */
  g_assert_true (bounds_inside (gtk_widget_get_ancestor (inspector, GTK_TYPE_SCROLLED_WINDOW),
                                window, ww, wh));
  g_assert_cmpint (gtk_widget_get_width (ladder), >, 200);
  g_assert_cmpint (gtk_widget_get_height (ladder), >, 150);
  /* the inspector is no wider than the window: it reflows, nothing to
   * scroll sideways */
  g_assert_cmpint (gtk_widget_get_width (inspector), <=, ww);

  title = find_label (inspector, "step-title");
  g_assert_nonnull (title);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (title)), ==, "ServerHello acceptable");
  g_assert_false (label_ellipsized (title));
  g_assert_true (bounds_inside (title, window, ww, wh));
  g_assert_true (gtk_widget_get_mapped (title));

  /* side by side at zoom 1; stacked when the type is large for 1024 px */
  g_assert_true (lab_window_get_stacked (w) == (c->zoom >= 2 || c->presenter));

  titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  explanation = find_label (inspector, "explanation");
  g_assert_nonnull (explanation);
  if (c->presenter)
    {
      g_assert_true (lab_window_get_presenter (w));
      g_assert_true (gtk_widget_has_css_class (window, "presenter"));
      g_assert_false (gtk_widget_get_visible (titlebar));
      /* the ladder and the step's heading and explanation only */
      g_assert_null (find_label (inspector, "value-name") && gtk_widget_is_drawable (find_label (inspector, "value-name"))
                     ? find_label (inspector, "value-name") : NULL);
      /* the whole explanation shows, uncut */
      gtk_widget_measure (explanation, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (explanation),
                          &min_h, &nat_h, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_height (explanation), >=, nat_h);
      g_assert_true (bounds_inside (explanation, window, ww, wh));
      /* Escape leaves */
      g_assert_true (gtk_widget_activate_action (window, "lab.leave-presenter", NULL));
      g_assert_false (lab_window_get_presenter (w));
      g_assert_true (gtk_widget_get_visible (titlebar));
    }
  else
    {
      GtkWidget *step_label = NULL;

      g_assert_true (gtk_widget_get_visible (titlebar));
      g_assert_true (bounds_inside (titlebar, window, ww, wh));
      /* the Step button's label is whole */
      for (GtkWidget *x = titlebar; x; )
        {
          if (GTK_IS_LABEL (x) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (x)), "Step") == 0)
            {
              step_label = x;
              break;
            }
          /* depth-first walk */
          if (gtk_widget_get_first_child (x))
            x = gtk_widget_get_first_child (x);
          else
            {
              while (x && x != titlebar && !gtk_widget_get_next_sibling (x))
                x = gtk_widget_get_parent (x);
              x = x && x != titlebar ? gtk_widget_get_next_sibling (x) : NULL;
            }
        }
      g_assert_nonnull (step_label);
      g_assert_false (label_ellipsized (step_label));
      g_assert_true (bounds_inside (step_label, window, ww, wh));
      g_assert_false (lab_window_get_presenter (w));
    }
  gtk_window_destroy (GTK_WINDOW (window));
  pump ();
}

/* The application has no resource base path (its icon path made GTK read
 * the icon themes twice at start): its icon is added when About opens. */
static void
test_about_logo (void)
{
  LabGuiOptions *options = g_new0 (LabGuiOptions, 1);
  g_autoptr (LabApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *window;
  GtkWindow *about = NULL;
  GListModel *tops;

  g_test_summary ("Help > About shows the application's icon, from the resources when not "
                  "installed; the window has no resource base path");
  NEED_DISPLAY ();

  options->non_unique = TRUE;
  app = lab_application_new (options);
  g_assert_null (g_application_get_resource_base_path (G_APPLICATION (app)));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_windows (GTK_APPLICATION (app))->data;
  wait_drawn (window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  pump ();
  tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops) && about == NULL; i++)
    {
      g_autoptr (GtkWindow) t = g_list_model_get_item (tops, i);
      if (GTK_IS_ABOUT_DIALOG (t))
        about = t;
    }
  g_assert_nonnull (about);
  g_assert_cmpstr (gtk_about_dialog_get_logo_icon_name (GTK_ABOUT_DIALOG (about)), ==, APP_ID);
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (window)),
                                          APP_ID));
  gtk_window_destroy (about);
  gtk_window_destroy (GTK_WINDOW (window));
  pump ();
}

/* The same through the command line: a PNG of 1024x768 at most, not blank. */
static void
test_fit_screenshot (gconstpointer data)
{
  const FitCase *c = data;
  g_autofree char *path = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;

  g_test_summary ("gui --size 1024x768 --zoom Z [--presenter] --screenshot writes a PNG of that size");
  NEED_DISPLAY ();

  if (g_test_subprocess ())
    {
      const char *png = g_getenv ("LAB_TEST_PNG");
      char *argv[] = { (char *) "gui", (char *) "--scenario", (char *) "full", (char *) "--step", (char *) "8",
                       (char *) "--size", (char *) "1024x768", (char *) "--zoom", (char *) c->zoom_arg,
                       (char *) "--screenshot", (char *) png,
                       c->presenter ? (char *) "--presenter" : NULL, NULL };
      exit (lab_gui_run (c->presenter ? 12 : 11, argv));
    }
  path = g_strdup_printf ("%s/lab-fit-%s-%d.png", g_get_tmp_dir (), c->name, (int) getpid ());
  g_setenv ("LAB_TEST_PNG", path, TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), <=, 1024);
  g_assert_cmpint (gdk_texture_get_height (texture), <=, 768);
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 900);
  g_assert_cmpint (gdk_texture_get_height (texture), >=, 650);
  if (g_getenv ("LAB_KEEP_PNG") == NULL)
    g_unlink (path);
  else
    g_test_message ("kept %s", path);
}

/* gui --zoom and --size refuse what is out of range, with exit status 2. */
static void
test_bad_options (void)
{
  static const char *const bad[][2] = {
    { "--zoom", "0" }, { "--zoom", "4" }, { "--zoom", "two" }, { "--zoom", "-1" }, { "--zoom", "" },
    { "--size", "1024" }, { "--size", "10x10" }, { "--size", "axb" }, { "--size", "1024x768x2" },
  };

  g_test_summary ("gui --zoom outside 0.6-3 and a malformed --size exit 2");
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      char *argv[] = { (char *) "gui", (char *) bad[i][0], (char *) bad[i][1], NULL };
      g_assert_cmpint (lab_gui_run (3, argv), ==, 2);
    }
}

static void
test_presenter_keys (void)
{
  LabGuiOptions *options = g_new0 (LabGuiOptions, 1);
  g_autoptr (LabApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) f5 = NULL, esc = NULL;

  g_test_summary ("F5 enters presenter mode, Escape leaves it");
  NEED_DISPLAY ();
  options->non_unique = TRUE;
  app = lab_application_new (options);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  f5 = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "lab.presenter");
  esc = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "lab.leave-presenter");
  g_assert_true (g_strv_contains ((const char *const *) f5, "F5"));
  g_assert_true (g_strv_contains ((const char *const *) esc, "Escape"));
}

int
main (int argc, char **argv)
{
  static const FitCase fits[] = {
    { "zoom-1", 1.0, FALSE, "1" },
    { "zoom-2", 2.0, FALSE, "2" },
    { "zoom-3", 3.0, FALSE, "3" },
    { "presenter", 1.0, TRUE, "1" },
  };

  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();
  if (have_display)
    lab_gui_init_for_tests ();

  g_test_add_func ("/ui-window/badges", test_badges);
  g_test_add_func ("/ui-window/bad-options", test_bad_options);
  g_test_add_func ("/ui-window/presenter-keys", test_presenter_keys);
  g_test_add_func ("/ui-window/about-logo", test_about_logo);
  for (gsize i = 0; i < G_N_ELEMENTS (fits); i++)
    {
      g_autofree char *a = g_strdup_printf ("/ui-window/fit/%s", fits[i].name);
      g_autofree char *b = g_strdup_printf ("/ui-window/fit-screenshot/%s", fits[i].name);
      g_test_add_data_func (a, &fits[i], test_fit);
      g_test_add_data_func (b, &fits[i], test_fit_screenshot);
    }
  return g_test_run ();
}
