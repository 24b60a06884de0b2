/* lab-window.h — the main window: header bar with the scenario chooser and
 * the step controls, the ladder on the left, the inspector and the
 * explanation on the right. */
#pragma once

#include <gtk/gtk.h>
#include "lab-session.h"
#include "lab-ladder-view.h"
#include "lab-inspector.h"

G_BEGIN_DECLS

#define LAB_TYPE_WINDOW (lab_window_get_type ())
G_DECLARE_FINAL_TYPE (LabWindow, lab_window, LAB, WINDOW, GtkApplicationWindow)

LabWindow     *lab_window_new              (GtkApplication *app);
LabSession    *lab_window_get_session      (LabWindow *self);
LabLadderView *lab_window_get_ladder       (LabWindow *self);
LabInspector  *lab_window_get_inspector    (LabWindow *self);
/* A built-in scenario by name ("resumption"). */
gboolean       lab_window_load_builtin     (LabWindow *self, const char *name, GError **error);
/* Any scenario (copied): from the editor or a file. */
gboolean       lab_window_load_scenario    (LabWindow *self, const TlsScenario *sc, GError **error);
/* A recorded trace (taken), for review. */
void           lab_window_load_trace       (LabWindow *self, TlsTrace *trace, const char *title);
/* Steps N times (stops at the end); returns the steps made. */
guint          lab_window_step_n           (LabWindow *self, guint n);
gboolean       lab_window_get_playing      (LabWindow *self);
void           lab_window_set_playing      (LabWindow *self, gboolean playing);
/* Shows a short message over the window. */
void           lab_window_toast            (LabWindow *self, const char *message);

G_END_DECLS
