/* lab-ladder-view.h — the ladder diagram of the seed notes' Fig. 1 and 2,
 * live: client and server lifelines, one arrow per message, markers for each
 * side's derivations, checks and decisions, the current step highlighted and
 * what is still to come drawn faint.  A click selects a step. */
#pragma once

#include <gtk/gtk.h>
#include "lab-session.h"

G_BEGIN_DECLS

#define LAB_TYPE_LADDER_VIEW (lab_ladder_view_get_type ())
G_DECLARE_FINAL_TYPE (LabLadderView, lab_ladder_view, LAB, LADDER_VIEW, GtkWidget)

typedef enum
{
  LAB_LADDER_ROW_STEP,       /* a step that has happened */
  LAB_LADDER_ROW_RECORDED,   /* a recorded step after the position (review) */
  LAB_LADDER_ROW_UPCOMING,   /* a message expected from the shape table */
  LAB_LADDER_ROW_SEPARATOR,  /* the start of a connection */
} LabLadderRowKind;

GtkWidget  *lab_ladder_view_new          (void);
void        lab_ladder_view_set_session  (LabLadderView *self, LabSession *session);
LabSession *lab_ladder_view_get_session  (LabLadderView *self);
/* The selected step, or -1. */
int         lab_ladder_view_get_selected (LabLadderView *self);
void        lab_ladder_view_set_selected (LabLadderView *self, int index);

/* What is drawn, for tests: rows of each kind, and the step of a row. */
guint       lab_ladder_view_get_n_rows   (LabLadderView *self, LabLadderRowKind kind);
/* The label drawn for row ROW (a new string), its kind, and for step rows
 * the step; FALSE past the end. */
gboolean    lab_ladder_view_get_row      (LabLadderView *self, guint row,
                                          LabLadderRowKind *kind, int *step,
                                          char **label);
/* The step drawn at widget coordinates of the ladder's canvas, or -1. */
int         lab_ladder_view_step_at      (LabLadderView *self, double x, double y);
/* Selects the step under canvas point (X, Y) as a click does. */
gboolean    lab_ladder_view_click        (LabLadderView *self, double x, double y);
/* The canvas point at the middle of step INDEX's row (for tests). */
gboolean    lab_ladder_view_step_point   (LabLadderView *self, guint index,
                                          double *x, double *y);

/* The legend below the ladder (hidden where the height is short). */
void        lab_ladder_view_set_legend_visible (LabLadderView *self, gboolean visible);

G_END_DECLS
