/* test-ui-a11y.c — what a screen reader gets from the window: every
 * control has a name (a label, a tooltip or an accessible label); the
 * ladder says which step is selected and the inspector which field, through
 * the accessible description (GTK 4.8 has no announcement API).  The
 * harness sets GTK_A11Y=none, so the properties are read back with GTK's
 * accessibility test API.  Needs a display (xvfb-run); skipped without one. */
#include "config.h"
#include <gtk/gtk.h>
#include "lab-gui.h"
#include "lab-inspector.h"
#include "lab-ladder-view.h"
#include "lab-session.h"
#include "lab-window.h"
#include "test-ui-util.h"

#include <string.h>

static gboolean
has_label_child (GtkWidget *w)
{
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    if ((GTK_IS_LABEL (c) && *gtk_label_get_text (GTK_LABEL (c))) || has_label_child (c))
      return TRUE;
  return FALSE;
}

static gboolean
is_control (GtkWidget *w)
{
  return GTK_IS_BUTTON (w) || GTK_IS_MENU_BUTTON (w) || GTK_IS_DROP_DOWN (w) || GTK_IS_SWITCH (w)
         || GTK_IS_ENTRY (w) || GTK_IS_SPIN_BUTTON (w) || GTK_IS_SCALE (w) || GTK_IS_CHECK_BUTTON (w);
}

static gboolean
has_name (GtkWidget *w)
{
  const char *tip = gtk_widget_get_tooltip_text (w);

  if (tip && *tip)
    return TRUE;
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL)
      || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (GTK_IS_ENTRY (w) && gtk_entry_get_placeholder_text (GTK_ENTRY (w)))
    return TRUE;
  return has_label_child (w);
}

/* The controls a person can reach (visible, in a visible parent) that a
 * screen reader could not name. */
static void
unnamed_controls (GtkWidget *w, GString *out)
{
  if (!gtk_widget_get_visible (w))
    return;
  if (is_control (w) && !has_name (w))
    g_string_append_printf (out, "%s%s in %s (%s)", out->len ? ", " : "", G_OBJECT_TYPE_NAME (w),
                            G_OBJECT_TYPE_NAME (gtk_widget_get_parent (w)),
                            gtk_widget_get_css_classes (w)[0] ? gtk_widget_get_css_classes (w)[0] : "");
  if (GTK_IS_MENU_BUTTON (w) || GTK_IS_DROP_DOWN (w) || GTK_IS_SPIN_BUTTON (w))
    return;    /* their inner parts are one control */
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    unnamed_controls (c, out);
}

static void
test_controls_named (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) unnamed = g_string_new (NULL);
  LabWindow *w;

  g_test_summary ("Every visible control of the window has a label, a tooltip or an accessible label");
  NEED_DISPLAY ();
  w = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  g_assert_true (lab_window_load_builtin (w, "classic", &error));
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  lab_session_step (lab_window_get_session (w));
  pump ();
  unnamed_controls (GTK_WIDGET (w), unnamed);
  if (unnamed->len)
    g_test_message ("unnamed: %s", unnamed->str);
  g_assert_cmpstr (unnamed->str, ==, "");
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

static void
test_announced (void)
{
  g_autoptr (GError) error = NULL;
  LabWindow *w;
  LabLadderView *ladder;
  LabInspector *inspector;
  char *problem;

  g_test_summary ("The ladder's selected step and the inspector's selected field are in their "
                  "accessible descriptions, and follow the selection");
  NEED_DISPLAY ();
  w = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  g_assert_true (lab_window_load_builtin (w, "classic", &error));
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  ladder = lab_window_get_ladder (w);
  inspector = lab_window_get_inspector (w);

  lab_session_step (lab_window_get_session (w));
  pump ();
  lab_ladder_view_set_selected (ladder, 0);
  pump ();
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (ladder), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                "Step 1 of 1: ClientHello, client");
  g_assert_null (problem);

  lab_session_step (lab_window_get_session (w));
  pump ();
  lab_ladder_view_set_selected (ladder, 1);
  pump ();
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (ladder), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                "Step 2 of 2: Protocol version, server");
  g_assert_null (problem);

  /* the ClientHello's random: name, value, where its bytes are */
  lab_ladder_view_set_selected (ladder, 0);
  pump ();
  g_assert_true (lab_inspector_select_field (inspector, "random"));
  pump ();
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (lab_inspector_get_hex_view (inspector)),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                "Selected field random: 6a1d7440f42b9049cecc85426ee379903b2beb0c1be52f730d292dd4624f693c, 32 bytes at offset 6");
  g_test_message ("%s", problem ? problem : "ok");
  g_assert_null (problem);
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The harness sets GTK_A11Y=none (no accessibility bus); "test" keeps
   * each widget's accessible properties, without a bus, for the checks. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  have_display = gtk_init_check ();
  if (have_display)
    lab_gui_init_for_tests ();
  g_test_add_func ("/ui/a11y/controls-named", test_controls_named);
  g_test_add_func ("/ui/a11y/announced", test_announced);
  return g_test_run ();
}
