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

static gboolean have_display;

#define NEED_DISPLAY()                                   \
  G_STMT_START {                                         \
    if (!have_display)                                   \
      {                                                  \
        g_test_skip ("no display (run under xvfb-run)"); \
        return;                                          \
      }                                                  \
  } G_STMT_END

static void
pump (void)
{
  for (int i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static void
wait_drawn (GtkWidget *window)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end
         && (!gtk_widget_get_mapped (window) || gtk_widget_get_width (window) <= 0))
    g_main_context_iteration (NULL, FALSE);
  end = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

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

int
main (int argc, char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();
  if (have_display)
    lab_gui_init_for_tests ();

  g_test_add_func ("/ui-window/badges", test_badges);
  return g_test_run ();
}
