/* test-ui-keyboard.c — the window worked with the keyboard alone (issue
 * 15).  Real key presses go through the X server (xdotool, under xvfb-run)
 * into GTK, so the application's accelerators, the widgets' key bindings
 * and the focus chain all take part, as for a person at the keyboard:
 * stepping forward and back, Up/Down in the ladder, Tab to every control,
 * Up/Down through the inspector's fields, F10 for the main menu, a lesson
 * opened from the menu.  After each key the state is asserted, and the
 * ladder's step and the inspector's field are read back from the
 * accessible descriptions a screen reader gets.
 * Skips without an X display or without xdotool.  The test is not run in
 * parallel with the other window tests (meson: is_parallel false): the
 * keys go to the window that has the X input focus. */
#include "config.h"
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif
#include "lab-application.h"
#include "lab-gui.h"
#include "lab-inspector.h"
#include "lab-ladder-view.h"
#include "lab-session.h"
#include "lab-window.h"
#include "tls-trace.h"
#include "test-ui-util.h"

#include <string.h>

static char *xdotool;

#define NEED_KEYS()                                                       \
  G_STMT_START {                                                          \
    NEED_DISPLAY ();                                                      \
    if (xdotool == NULL)                                                  \
      {                                                                   \
        g_test_skip ("no X display with xdotool: key presses cannot be sent"); \
        return;                                                           \
      }                                                                   \
  } G_STMT_END

/* Lets the main loop run for MS milliseconds. */
static void
settle (int ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void
xdo (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, "timeout");
  g_ptr_array_add (argv, "10");
  g_ptr_array_add (argv, xdotool);
  for (; *args; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
}

/* Presses KEYS (X keysym names, one after the other) and lets GTK handle
 * them. */
static void
press (const char *keys)
{
  g_auto (GStrv) names = g_strsplit (keys, " ", -1);

  /* one at a time, each handled before the next */
  for (char **n = names; *n; n++)
    {
      const char *args[] = { "key", *n, NULL };

      settle (30);
      xdo (args);
      settle (150);
    }
}

/* Gives WINDOW the X input focus (there is no window manager under Xvfb). */
static void
focus_window (GtkWindow *window)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  const char *args[] = { "windowfocus", "--sync", xid, NULL };
  /* the pointer out of the way (a corner of the screen, outside the
   * window): under it a menu item would take the focus */
  const char *away[] = { "mousemove", "5000", "5000", NULL };

  xdo (away);
  xdo (args);
#endif
  settle (200);
}

/* The window with the key accelerators of the application, on SCENARIO,
 * every step on its own (full detail), drawn and holding the focus. */
static LabWindow *
open_window (LabApplication **app_out, const char *scenario)
{
  LabGuiOptions *options = g_new0 (LabGuiOptions, 1);
  g_autoptr (GError) error = NULL;
  LabApplication *app;
  LabWindow *w;

  options->non_unique = TRUE;
  app = lab_application_new (options);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  w = lab_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  g_assert_true (lab_window_load_builtin (w, scenario, &error));
  g_assert_no_error (error);
  lab_window_set_detail (w, TLS_DETAIL_FULL);
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  focus_window (GTK_WINDOW (w));
  *app_out = app;
  return w;
}

static void
close_window (LabApplication *app, LabWindow *w)
{
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
  g_object_unref (app);
}

static guint
position (LabWindow *w)
{
  return lab_session_get_position (lab_window_get_session (w));
}

static GtkWidget *
focus_of (LabWindow *w)
{
  return gtk_root_get_focus (GTK_ROOT (w));
}

/* Whether the focus is W or inside it. */
static gboolean
focus_in (LabWindow *win, GtkWidget *w)
{
  GtkWidget *f = focus_of (win);

  return f != NULL && (f == w || gtk_widget_is_ancestor (f, w));
}

static char *
ladder_text (LabWindow *w, int index)
{
  const TlsStep *s = lab_session_get_step (lab_window_get_session (w), (guint) index);

  return g_strdup_printf ("Step %u of %u: %s, %s", s->index + 1, position (w),
                          tls_step_title_label (s), tls_actor_label (s->actor));
}

static void
test_stepping (void)
{
  LabApplication *app;
  LabWindow *w;
  LabLadderView *ladder;
  guint n_all;
  char *problem;
  g_autofree char *expect = NULL;

  g_test_summary ("Right and Space step, Left and BackSpace step back, Home resets, End runs to "
                  "the end; Up and Down move the ladder's selection, and its accessible "
                  "description names the selected step");
  NEED_KEYS ();
  w = open_window (&app, "classic");
  ladder = lab_window_get_ladder (w);
  g_assert_true (focus_in (w, GTK_WIDGET (ladder)));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (focus_of (w)), GTK_ACCESSIBLE_PROPERTY_LABEL));

  g_assert_cmpuint (position (w), ==, 0);
  press ("Right");
  g_assert_cmpuint (position (w), ==, 1);
  press ("space space");
  g_assert_cmpuint (position (w), ==, 3);
  press ("Left");
  g_assert_cmpuint (position (w), ==, 2);
  press ("BackSpace");
  g_assert_cmpuint (position (w), ==, 1);
  press ("Right Right Right Right");
  g_assert_cmpuint (position (w), ==, 5);
  /* the newest step is selected; Up goes to the one drawn above */
  g_assert_cmpint (lab_ladder_view_get_selected (ladder), ==, 4);
  press ("Up Up");
  g_assert_cmpint (lab_ladder_view_get_selected (ladder), ==, 2);
  g_assert_cmpint (lab_inspector_get_step (lab_window_get_inspector (w)), ==, 2);
  expect = ladder_text (w, 2);
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (ladder),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expect);
  g_assert_null (problem);
  press ("Down");
  g_assert_cmpint (lab_ladder_view_get_selected (ladder), ==, 3);
  /* stepping did not move the selection away from where Up/Down put it
   * unless a new step came: the next step is selected again */
  press ("Home");
  g_assert_cmpuint (position (w), ==, 0);
  press ("End");
  n_all = position (w);
  g_assert_cmpuint (n_all, >, 20);
  g_assert_false (lab_session_can_step (lab_window_get_session (w)));
  close_window (app, w);
}

/* The controls a person can reach now: visible, mapped, sensitive, and
 * focusable (buttons, menu buttons, drop-downs, switches, entries, the
 * ladder and the inspector's field list). */
static gboolean
is_control (GtkWidget *w)
{
  return GTK_IS_BUTTON (w) || GTK_IS_MENU_BUTTON (w) || GTK_IS_DROP_DOWN (w) || GTK_IS_SWITCH (w)
         || GTK_IS_ENTRY (w) || GTK_IS_LIST_VIEW (w) || LAB_IS_LADDER_VIEW (w);
}

static void
reachable_controls (GtkWidget *w, GPtrArray *out)
{
  if (!gtk_widget_get_mapped (w) || !gtk_widget_is_sensitive (w) || (GTK_IS_NATIVE (w) && out->len))
    return;
  if (GTK_IS_WINDOW_CONTROLS (w))
    return;   /* the title bar's minimize/maximize/close: never focusable in GTK */
  if (is_control (w))
    {
      g_ptr_array_add (out, w);
      return;   /* their inner parts are one control */
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    reachable_controls (c, out);
}

static char *
describe (GtkWidget *w)
{
  const char *tip = gtk_widget_get_tooltip_text (w);

  const char *label = GTK_IS_BUTTON (w) ? gtk_button_get_label (GTK_BUTTON (w)) : NULL;
  const char *icon = GTK_IS_BUTTON (w) ? gtk_button_get_icon_name (GTK_BUTTON (w)) : NULL;

  return g_strdup_printf ("%s in %s (%s)", G_OBJECT_TYPE_NAME (w),
                          G_OBJECT_TYPE_NAME (gtk_widget_get_parent (w)),
                          tip ? tip : label ? label : icon ? icon : "");
}

static void
test_tab_reaches_every_control (void)
{
  LabApplication *app;
  LabWindow *w;
  g_autoptr (GPtrArray) controls = g_ptr_array_new ();
  g_autoptr (GHashTable) reached = g_hash_table_new (NULL, NULL);
  g_autoptr (GString) missed = g_string_new (NULL);
  guint pos;

  g_test_summary ("Tab, from the ladder, reaches every control of the window (the header bar's "
                  "buttons, the ladder, the inspector's fields and toggles, the note) and comes "
                  "back; Space still steps wherever the focus is");
  NEED_KEYS ();
  w = open_window (&app, "classic");
  press ("Right");                  /* the ClientHello: fields, hex, toggles */
  reachable_controls (GTK_WIDGET (w), controls);
  g_assert_cmpuint (controls->len, >=, 8);
  for (guint i = 0; i < controls->len * 2 + 10 && g_hash_table_size (reached) < controls->len; i++)
    {
      GtkWidget *f;

      press ("Tab");
      f = focus_of (w);
      for (guint c = 0; f != NULL && c < controls->len; c++)
        if (f == controls->pdata[c] || gtk_widget_is_ancestor (f, controls->pdata[c]))
          g_hash_table_add (reached, controls->pdata[c]);
    }
  for (guint c = 0; c < controls->len; c++)
    if (!g_hash_table_contains (reached, controls->pdata[c]))
      {
        g_autofree char *d = describe (controls->pdata[c]);
        g_string_append_printf (missed, "%s%s", missed->len ? "; " : "", d);
      }
  if (missed->len)
    g_test_message ("not reached with Tab: %s", missed->str);
  g_assert_cmpstr (missed->str, ==, "");

  /* wherever the focus is (not in the note), Space steps and Left steps back */
  while (focus_in (w, GTK_WIDGET (lab_window_get_ladder (w))) == FALSE)
    press ("Tab");
  press ("Tab");
  g_assert_false (GTK_IS_TEXT (focus_of (w)));
  pos = position (w);
  press ("space");
  g_assert_cmpuint (position (w), ==, pos + 1);
  press ("Left");
  g_assert_cmpuint (position (w), ==, pos);
  close_window (app, w);
}

static GtkWidget *
find_type (GtkWidget *w, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found)
        return found;
    }
  return NULL;
}

static void
test_fields (void)
{
  LabApplication *app;
  LabWindow *w;
  LabInspector *inspector;
  GtkWidget *list;
  const TlsField *first, *second;
  g_autofree char *first_name = NULL;
  char *problem;
  guint tabs = 0;

  g_test_summary ("Tab reaches the inspector's field list; Down and Up select its fields, which "
                  "light up their bytes, plus and minus open and close one, and the selection "
                  "is in the list's accessible description; Right still steps the handshake");
  NEED_KEYS ();
  w = open_window (&app, "classic");
  inspector = lab_window_get_inspector (w);
  list = find_type (GTK_WIDGET (inspector), GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (list);
  press ("Right");
  g_assert_cmpint (lab_inspector_get_step (inspector), ==, 0);
  g_assert_null (lab_inspector_get_selected_field (inspector));
  while (!focus_in (w, list) && tabs++ < 40)
    press ("Tab");
  g_assert_true (focus_in (w, list));
  /* a screen reader names the list, and the hex view it lights up */
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_RELATION_CONTROLS));

  /* Down selects the next field (the message's fields in order: msg_type,
   * length, client_version, random...), each lighting up its bytes */
  /* Tab into the list selected its first field */
  first = lab_inspector_get_selected_field (inspector);
  g_assert_nonnull (first);
  first_name = g_strdup (first->name);
  g_test_message ("Tab: %s", first_name);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *before = g_strdup (lab_inspector_get_selected_field (inspector)->name);

      if (strcmp (before, "random") == 0)
        break;
      press ("Down");
      second = lab_inspector_get_selected_field (inspector);
      g_assert_nonnull (second);
      g_test_message ("Down: %s -> %s", before, second->name);
      g_assert_cmpstr (second->name, !=, before);
    }
  second = lab_inspector_get_selected_field (inspector);
  g_assert_cmpstr (second->name, ==, "random");
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                "Selected field random: 6a1d7440f42b9049cecc85426ee379903b2beb0c1be52f730d292dd4624f693c, 32 bytes at offset 6");
  g_assert_null (problem);
  {
    /* plus opens random (gmt_unix_time and random_bytes), minus closes it */
    GListModel *m = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
    guint rows = g_list_model_get_n_items (m);

    press ("plus");
    g_assert_cmpuint (g_list_model_get_n_items (m), ==, rows + 2);
    press ("minus");
    g_assert_cmpuint (g_list_model_get_n_items (m), ==, rows);
    g_assert_cmpstr (lab_inspector_get_selected_field (inspector)->name, ==, "random");
  }
  press ("Up");
  g_assert_cmpstr (lab_inspector_get_selected_field (inspector)->name, ==, "client_version");
  g_assert_true (focus_in (w, list));

  /* the list keeps the focus; Right still steps, and the list follows */
  press ("Right");
  g_assert_cmpuint (position (w), ==, 2);
  g_assert_cmpint (lab_inspector_get_step (inspector), ==, 1);
  close_window (app, w);
}

static GtkWidget *
find_menu_button (GtkWidget *w)
{
  if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (w)))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_menu_button (c);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
menu_open (GtkWidget *menu_button)
{
  GtkPopover *p = gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button));

  return p != NULL && gtk_widget_get_mapped (GTK_WIDGET (p));
}

static GtkWindow *
lessons_window (LabWindow *w)
{
  GListModel *tops = gtk_window_get_toplevels ();   /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GtkWindow) t = g_list_model_get_item (tops, i);
      if (t != GTK_WINDOW (w) && gtk_window_get_transient_for (t) == GTK_WINDOW (w)
          && gtk_widget_get_visible (GTK_WIDGET (t)))
        return t;
    }
  return NULL;
}

static void
test_menu_and_lesson (void)
{
  LabApplication *app;
  LabWindow *w;
  GtkWidget *menu;
  GtkWindow *dialog;
  const TlsLesson *lesson;

  g_test_summary ("F10 opens the main menu and Escape closes it; from the menu, the keyboard "
                  "opens the Lessons window, Down and Return open a lesson in the window");
  NEED_KEYS ();
  w = open_window (&app, "classic");
  menu = find_menu_button (GTK_WIDGET (w));
  g_assert_nonnull (menu);
  g_assert_false (menu_open (menu));
  press ("F10");
  g_assert_true (menu_open (menu));
  press ("Escape");
  g_assert_false (menu_open (menu));
  g_assert_null (lab_window_get_lesson (w));

  /* the menu, F10 again; Return on its first item */
  press ("F10");
  g_assert_true (menu_open (menu));
  {
    GtkWidget *item = focus_of (w);
    g_autofree char *text = NULL;

    /* the menu opens with its first item, "Lessons…", focused */
    g_assert_nonnull (item);
    g_assert_nonnull (gtk_widget_get_ancestor (item, GTK_TYPE_POPOVER));
    g_object_get (item, "text", &text, NULL);
    g_assert_cmpstr (text, ==, "Lessons…");
    press ("Down");
    g_assert_true (focus_of (w) != item);
    press ("Up");
    g_assert_true (focus_of (w) == item);
  }
  press ("Return");
  settle (300);
  dialog = lessons_window (w);
  g_assert_nonnull (dialog);
  focus_window (dialog);
  g_assert_false (menu_open (menu));
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Lessons");
  /* Down to the first lesson, Return opens it */
  press ("Down Return");
  settle (300);
  lesson = lab_window_get_lesson (w);
  g_assert_nonnull (lesson);
  g_test_message ("opened the lesson “%s”", lesson->title);
  g_assert_null (lessons_window (w));
  close_window (app, w);
}

/* Whether a widget under W is a GtkShortcutsShortcut titled TITLE. */
static gboolean
has_shortcut (GtkWidget *w, const char *title)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (w))
    {
      g_autofree char *t = NULL;

      g_object_get (w, "title", &t, NULL);
      if (g_strcmp0 (t, title) == 0)
        return TRUE;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    if (has_shortcut (c, title))
      return TRUE;
  return FALSE;
}

static void
test_shortcuts_window (void)
{
  LabApplication *app;
  LabWindow *w;
  GtkShortcutsWindow *overlay;

  g_test_summary ("Ctrl+? opens the keyboard shortcuts window over the window; it is built "
                  "when first asked for, not with the window; Escape closes it and Ctrl+? "
                  "shows the same one again");
  NEED_KEYS ();
  w = open_window (&app, "classic");
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (w)));
  press ("ctrl+question");
  settle (300);
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (w));
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (w));
  g_assert_true (has_shortcut (GTK_WIDGET (overlay), "Next step"));
  focus_window (GTK_WINDOW (overlay));
  press ("Escape");
  settle (300);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  focus_window (GTK_WINDOW (w));
  press ("ctrl+question");
  settle (300);
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (w)) == overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_window_destroy (GTK_WINDOW (overlay));
  close_window (app, w);
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
    {
      lab_gui_init_for_tests ();
#ifdef GDK_WINDOWING_X11
      if (GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
        xdotool = g_find_program_in_path ("xdotool");
#endif
    }
  g_test_add_func ("/ui/keyboard/stepping", test_stepping);
  g_test_add_func ("/ui/keyboard/tab", test_tab_reaches_every_control);
  g_test_add_func ("/ui/keyboard/fields", test_fields);
  g_test_add_func ("/ui/keyboard/menu-lesson", test_menu_and_lesson);
  g_test_add_func ("/ui/keyboard/shortcuts-window", test_shortcuts_window);
  return g_test_run ();
}
