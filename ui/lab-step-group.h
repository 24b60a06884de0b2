/* lab-step-group.h — the steps grouped under a step (docs/trace-format.md,
 * "parent"), under the inspector's view of it: an expander that opens into
 * one row per step of the group (its number, kind, title and result or
 * choice); activating a row shows that step (lab.select-step).  For a step
 * that is itself under another, one row leads back to that one. */
#pragma once

#include <gtk/gtk.h>
#include "lab-session.h"

G_BEGIN_DECLS

#define LAB_TYPE_STEP_GROUP (lab_step_group_get_type ())
G_DECLARE_FINAL_TYPE (LabStepGroup, lab_step_group, LAB, STEP_GROUP, GtkWidget)

GtkWidget *lab_step_group_new        (void);
/* Shows the group of step INDEX of SESSION (-1: nothing); hidden when the
 * step has neither children nor a parent. */
void       lab_step_group_set_step   (LabStepGroup *self, LabSession *session, int index);
/* For tests: the rows shown (children, or the one parent row), and the step
 * of row ROW (-1 past the end). */
guint      lab_step_group_get_n_rows (LabStepGroup *self);
int        lab_step_group_get_row_step (LabStepGroup *self, guint row);
gboolean   lab_step_group_get_expanded (LabStepGroup *self);
void       lab_step_group_set_expanded (LabStepGroup *self, gboolean expanded);

G_END_DECLS
