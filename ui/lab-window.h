/* lab-window.h — the main window: header bar with the scenario chooser and
 * the step controls, the ladder on the left, the inspector and the
 * explanation on the right. */
#pragma once

#include <gtk/gtk.h>
#include "tls-lesson.h"
#include "tls-predict.h"
#include "lab-session.h"
#include "lab-ladder-view.h"
#include "lab-inspector.h"
#include "lab-class-list.h"
#include "lab-key-schedule.h"

G_BEGIN_DECLS

#define LAB_TYPE_WINDOW (lab_window_get_type ())
G_DECLARE_FINAL_TYPE (LabWindow, lab_window, LAB, WINDOW, GtkApplicationWindow)

/* What the Export menu writes (each through the engine's exporter, which
 * writes a temporary file and renames it over the target). */
typedef enum
{
  LAB_EXPORT_JSON,     /* the trace (tls_trace_save_json), to load again */
  LAB_EXPORT_HTML,     /* a printable handout (tls_trace_save_html) */
  LAB_EXPORT_PCAPNG,   /* a capture Wireshark decrypts (tls_trace_save_pcapng) */
  LAB_EXPORT_KEYLOG,   /* the NSS key log, SSLKEYLOGFILE (tls_trace_save_keylog) */
  LAB_EXPORT_N_KINDS
} LabExportKind;

LabWindow     *lab_window_new              (GtkApplication *app);
/* Where the window remembers the last scenario, and (REMEMBER_SIZE) its
 * size; NULL: nowhere. */
void           lab_window_set_settings     (LabWindow *self, GSettings *settings,
                                            gboolean remember_size);
/* Presenter mode (F5 enters, Escape leaves): full screen, large type, the
 * ladder and the current step only; Space still steps. */
void           lab_window_set_presenter    (LabWindow *self, gboolean presenter);
gboolean       lab_window_get_presenter    (LabWindow *self);
/* Whether the ladder and the inspector are stacked (the window is narrow
 * for its type size: a projector at zoom 2 or 3). */
gboolean       lab_window_get_stacked      (LabWindow *self);
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
/* The level of detail of stepping, the ladder and the handout (the "All
 * steps" switch; remembered in the "detail" setting when the window has
 * settings). */
void           lab_window_set_detail       (LabWindow *self, TlsDetail detail);
TlsDetail      lab_window_get_detail       (LabWindow *self);
gboolean       lab_window_get_playing      (LabWindow *self);
void           lab_window_set_playing      (LabWindow *self, gboolean playing);
/* Saves the whole recorded trace of the session as KIND to PATH (what
 * the Export menu does once a file is chosen).  FALSE with ERROR set when
 * there is nothing to save (no trace; for the key log, no master secret
 * yet) or the file cannot be written. */
gboolean       lab_window_export           (LabWindow *self, LabExportKind kind,
                                            const char *path, GError **error);
/* The file name the Export dialog proposes, from the scenario's name:
 * "resumption-handout.html" (a new string). */
char          *lab_window_dup_export_name  (LabWindow *self, LabExportKind kind);
/* Shows a short message over the window. */
void           lab_window_toast            (LabWindow *self, const char *message);
/* Opens PATH: a capture (lab-capture-open.h; its connection CONNECTION, or
 * when 0 the one a dialog asks for) or a JSON trace.  Problems are toasts. */
void           lab_window_open_file        (LabWindow *self, const char *path, guint connection);

/* Serving a class (docs/teaching.md): our server with the --www page on
 * HOST:PORT (port 0: any free one) in the window's main loop, and the list
 * of the class's connections above the ladder; selecting one opens its
 * trace step by step. */
gboolean       lab_window_serve_class      (LabWindow *self, const char *host, guint16 port,
                                            GError **error);
LabClassList  *lab_window_get_class_list   (LabWindow *self);

/* Lessons (docs/lessons.md): loads the lesson file PATH: its scenario, its
 * title and goal in a banner, its notes and questions on their steps. */
gboolean       lab_window_load_lesson      (LabWindow *self, const char *path, GError **error);
const TlsLesson *lab_window_get_lesson     (LabWindow *self);
/* Predict mode: before chosen steps (a lesson's questions with predict=, and
 * with predict mode on those of tls_predict_auto) Step asks first; the step
 * is shown once the class has answered. */
void           lab_window_set_predict      (LabWindow *self, gboolean predict);
gboolean       lab_window_get_predict      (LabWindow *self);
/* The question waiting for an answer, or NULL. */
const TlsPrediction *lab_window_get_question (LabWindow *self);
/* Clicks the button of choice CHOICE of the open question. */
void           lab_window_answer           (LabWindow *self, guint choice);
TlsPredictScore lab_window_get_score       (LabWindow *self);

/* Key Schedule… (Ctrl+K): opens the TLS 1.3 key schedule of the selected
 * step's connection (RFC 8446, 7.1) and returns it; NULL when that
 * connection is not TLS 1.3. */
LabKeySchedule *lab_window_show_key_schedule (LabWindow *self);

G_END_DECLS
