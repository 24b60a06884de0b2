/* test-ui-help.c — F1 opens the user guide (docs/guide.md, from the
 * GResource) in a window, rendered: headings, no Markdown marks left.
 * Needs a display (xvfb-run); skipped without one. */
#include "config.h"
#include <gtk/gtk.h>
#include "lab-gui.h"
#include "lab-window.h"
#include "lab-screenshot.h"
#include "test-ui-util.h"

#include <string.h>

/* The action F1 triggers on W, from the shortcuts its controllers hold. */
static char *
action_for_f1 (GtkWidget *w)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (w);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);
      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
        {
          g_autoptr (GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), k);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (sc));
          if (strcmp (trigger, "F1") == 0)
            return gtk_shortcut_action_to_string (gtk_shortcut_get_action (sc));
        }
    }
  return NULL;
}

static GtkWindow *
find_window (const char *title)
{
  GListModel *tops = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (tops, i);
      if (g_strcmp0 (gtk_window_get_title (w), title) == 0 && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static void
test_f1_opens_guide (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *action = NULL, *text = NULL;
  GtkTextBuffer *buf;
  GtkTextIter a, b;
  GtkWindow *help;
  GtkWidget *view;
  LabWindow *w;

  g_test_summary ("F1 is bound to lab.help on the window; lab.help opens the guide, rendered "
                  "from docs/guide.md, once however often it is asked for");
  NEED_DISPLAY ();

  w = lab_window_new (NULL);
  g_assert_true (lab_window_load_builtin (w, "classic", &error));
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  g_assert_null (find_window ("Handshake Lab Guide"));

  action = action_for_f1 (GTK_WIDGET (w));
  g_assert_cmpstr (action, ==, "action(lab.help)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "lab.help", NULL));
  pump ();
  help = find_window ("Handshake Lab Guide");
  g_assert_nonnull (help);
  g_assert_true (gtk_window_get_transient_for (help) == GTK_WINDOW (w));

  view = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (gtk_window_get_child (help)));
  g_assert_true (GTK_IS_TEXT_VIEW (view));
  buf = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buf, &a, &b);
  text = gtk_text_buffer_get_text (buf, &a, &b, FALSE);
  /* every section of the guide, as text */
  for (const char *h = "Starting\0The window\0Stepping\0Scenarios\0Live mode: a browser or openssl\0Exports\0";
       *h; h += strlen (h) + 1)
    g_assert_nonnull (strstr (text, h));
  g_assert_null (strstr (text, "## "));
  g_assert_null (strstr (text, "**"));
  g_assert_null (strstr (text, "]("));
  g_assert_null (strstr (text, "![")); /* pictures are left out */
  /* the table of keys, one key a line */
  g_assert_nonnull (strstr (text, "Space or Right\tthe next step"));

  /* again: the same window, not a second one */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "lab.help", NULL));
  pump ();
  g_assert_true (find_window ("Handshake Lab Guide") == help);
  /* LAB_HELP_PNG=FILE: the window as a picture, to look at (docs/img/help.png) */
  if (g_getenv ("LAB_HELP_PNG"))
    {
      gtk_window_set_default_size (help, 1024, 768);
      gtk_window_present (help);
      wait_drawn (GTK_WIDGET (help));
      g_assert_true (lab_screenshot_save_png (GTK_WIDGET (help), g_getenv ("LAB_HELP_PNG"), NULL));
    }
  gtk_window_destroy (help);
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/ui/help/f1", test_f1_opens_guide);
  return g_test_run ();
}
