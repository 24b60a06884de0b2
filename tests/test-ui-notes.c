/* test-ui-notes.c — the inspector's "Teacher's note" entry: what is typed
 * goes on the selected step of the session's trace, survives a rewind, is
 * carried by Export (JSON, HTML) and shows again when that JSON is opened.
 * Needs a display (xvfb-run); skipped without one. */
#include "config.h"
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include "lab-gui.h"
#include "lab-inspector.h"
#include "lab-ladder-view.h"
#include "lab-session.h"
#include "lab-window.h"
#include "tls-trace-json.h"
#include "test-ui-util.h"

#include <string.h>

static const char *
entry_text (LabInspector *inspector)
{
  return gtk_editable_get_text (GTK_EDITABLE (lab_inspector_get_note_entry (inspector)));
}

static guint
n_controllers (GtkWidget *w)
{
  g_autoptr (GListModel) m = gtk_widget_observe_controllers (w);
  return g_list_model_get_n_items (m);
}

static void
select_step (LabWindow *w, int i)
{
  lab_ladder_view_set_selected (lab_window_get_ladder (w), i);
  pump ();
  g_assert_cmpint (lab_inspector_get_step (lab_window_get_inspector (w)), ==, i);
}

static void
test_note_entry (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL, *json = NULL, *html = NULL, *contents = NULL;
  LabWindow *w, *w2;
  LabSession *session;
  LabInspector *inspector;
  GtkWidget *entry;
  TlsTrace *loaded;

  g_test_summary ("A note typed in the inspector goes on its step, survives a rewind, is in the "
                  "exported JSON and HTML, and shows again when the JSON is opened");
  NEED_DISPLAY ();

  w = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  g_assert_true (lab_window_load_builtin (w, "classic", &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  session = lab_window_get_session (w);
  inspector = lab_window_get_inspector (w);
  entry = lab_inspector_get_note_entry (inspector);
  lab_session_run_to_end (session);
  pump ();

  select_step (w, 0);
  g_assert_true (gtk_widget_get_visible (entry));

  /* While the entry has the focus the window holds one more key controller
   * (it hands plain keys to the entry before the one-key accelerators);
   * it goes with the focus. */
  {
    guint before = n_controllers (GTK_WIDGET (w));
    g_assert_true (gtk_widget_grab_focus (entry));
    pump ();
    g_assert_cmpuint (n_controllers (GTK_WIDGET (w)), ==, before + 1);
    gtk_root_set_focus (GTK_ROOT (w), NULL);
    pump ();
    g_assert_cmpuint (n_controllers (GTK_WIDGET (w)), ==, before);
  }
  g_assert_cmpstr (entry_text (inspector), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Ask <b>why</b> 32 bytes?");
  g_assert_cmpstr (lab_session_get_step (session, 0)->teacher_note, ==, "Ask <b>why</b> 32 bytes?");
  g_assert_cmpstr (lab_session_get_note (session, 0), ==, "Ask <b>why</b> 32 bytes?");

  /* another step has none; back to the first, the note is there */
  select_step (w, 1);
  g_assert_cmpstr (entry_text (inspector), ==, "");
  g_assert_null (lab_session_get_step (session, 1)->teacher_note);
  select_step (w, 0);
  g_assert_cmpstr (entry_text (inspector), ==, "Ask <b>why</b> 32 bytes?");

  /* a rewind makes the steps anew: the note comes back with its step */
  lab_session_reset (session);
  lab_session_run_to_end (session);
  pump ();
  g_assert_cmpstr (lab_session_get_step (session, 0)->teacher_note, ==, "Ask <b>why</b> 32 bytes?");

  dir = g_dir_make_tmp ("handshake-lab-ui-notes-XXXXXX", NULL);
  json = g_build_filename (dir, "trace.json", NULL);
  html = g_build_filename (dir, "handout.html", NULL);
  g_assert_true (lab_window_export (w, LAB_EXPORT_JSON, json, &error));
  g_assert_no_error (error);
  g_assert_true (lab_window_export (w, LAB_EXPORT_HTML, html, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (html, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Ask &lt;b&gt;why&lt;/b&gt; 32 bytes?"));

  /* opened again (a new window): the note shows for its step */
  loaded = tls_trace_load_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tls_trace_get (loaded, 0)->teacher_note, ==, "Ask <b>why</b> 32 bytes?");
  w2 = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w2), 1024, 768);
  lab_window_load_trace (w2, loaded, "trace.json");
  gtk_window_present (GTK_WINDOW (w2));
  wait_drawn (GTK_WIDGET (w2));
  lab_session_run_to_end (lab_window_get_session (w2));
  pump ();
  select_step (w2, 0);
  g_assert_cmpstr (entry_text (lab_window_get_inspector (w2)), ==, "Ask <b>why</b> 32 bytes?");

  /* clearing it removes it from the trace */
  gtk_editable_set_text (GTK_EDITABLE (lab_inspector_get_note_entry (lab_window_get_inspector (w2))), "");
  g_assert_null (lab_session_get_step (lab_window_get_session (w2), 0)->teacher_note);

  gtk_window_destroy (GTK_WINDOW (w2));
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
  g_unlink (json);
  g_unlink (html);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/ui/notes/entry", test_note_entry);
  return g_test_run ();
}
