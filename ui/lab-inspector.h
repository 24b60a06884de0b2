/* lab-inspector.h — what the selected step is, in detail, with the
 * explanation below it:
 *   a message: its field tree over a hex view, linked both ways, as built
 *              (plaintext) or as sent (record header, encrypted bytes, MAC);
 *   a derivation: the formula, each input (with a link to the step it came
 *              from) and each output, in hex;
 *   a check: the result and its reason, the certificates, every check so far;
 *   a decision: the options, the choice and why;
 *   an alert: level, description and reason. */
#pragma once

#include <gtk/gtk.h>
#include "lab-session.h"
#include "lab-hex-view.h"

G_BEGIN_DECLS

#define LAB_TYPE_INSPECTOR (lab_inspector_get_type ())
G_DECLARE_FINAL_TYPE (LabInspector, lab_inspector, LAB, INSPECTOR, GtkWidget)

GtkWidget  *lab_inspector_new            (void);
void        lab_inspector_set_session    (LabInspector *self, LabSession *session);
/* Shows step INDEX of the session (-1: nothing). */
void        lab_inspector_set_step       (LabInspector *self, int index);
int         lab_inspector_get_step       (LabInspector *self);
/* "empty", "message" or "detail". */
const char *lab_inspector_get_page       (LabInspector *self);
const char *lab_inspector_get_title      (LabInspector *self);
const char *lab_inspector_get_explanation (LabInspector *self);
LabHexView *lab_inspector_get_hex_view   (LabInspector *self);
/* Shows the record(s) as sent (TRUE) or the message as built. */
void        lab_inspector_show_wire      (LabInspector *self, gboolean wire);
gboolean    lab_inspector_get_show_wire  (LabInspector *self);
/* Selects the field at PATH ("random/random_bytes", as tls_field_find)
 * in the tree, expanding its parents; FALSE when there is none. */
gboolean    lab_inspector_select_field   (LabInspector *self, const char *path);
/* The selected field (the view's copy), or NULL. */
const TlsField *lab_inspector_get_selected_field (LabInspector *self);
/* Does what a click on byte OFFSET of the hex view does. */
void        lab_inspector_activate_byte  (LabInspector *self, gsize offset);
/* Presenter mode: the step's heading and explanation only, the
 * explanation taking the height the message or detail page had. */
void        lab_inspector_set_presenter  (LabInspector *self, gboolean presenter);
/* Narrow for its type (the window stacks its panes): the detail pages'
 * one-line labels wrap. */
void        lab_inspector_set_narrow     (LabInspector *self, gboolean narrow);
/* The badge of the step's kind and outcome (for tests: its text and its
 * kind-* style class). */
GtkWidget  *lab_inspector_get_badge      (LabInspector *self);
/* The text of the detail page, for tests (a new string). */
char       *lab_inspector_dup_detail_text (LabInspector *self);

/* The "Teacher's note" entry of the step shown (a GtkEntry; what is typed
 * goes to lab_session_set_note), for tests. */
GtkWidget  *lab_inspector_get_note_entry (LabInspector *self);

/* Compares the step shown with OTHER, a step of another run (the compare
 * view; NULL: none; borrowed, it must outlive its use): the fields that
 * differ are marked in the tree and their bytes in the hex view, and each
 * value of a derivation, check or decision has the bytes that differ from
 * the other run's value of that name marked, as a check's compare_with. */
void        lab_inspector_set_counterpart (LabInspector *self, const TlsStep *other);
/* Whether FIELD (its offset and length) is marked as differing. */
gboolean    lab_inspector_field_differs   (LabInspector *self, const TlsField *field);

/* The steps grouped under the step shown (lab-step-group.h). */
struct _LabStepGroup *lab_inspector_get_step_group (LabInspector *self);

G_END_DECLS
