/* lab-compare-view.h — two runs side by side (issue 12): their ladders
 * aligned row by row (tls-trace-align.h), the rows that diverge marked, the
 * first alert of each run marked with its reason; a row selected shows both
 * steps in two inspectors, the fields, bytes and values that differ from
 * the other run's marked. */
#pragma once

#include <gtk/gtk.h>
#include "lab-session.h"
#include "lab-inspector.h"
#include "tls-trace-align.h"
#include "tls-trace-versus.h"

G_BEGIN_DECLS

#define LAB_TYPE_COMPARE_VIEW (lab_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (LabCompareView, lab_compare_view, LAB, COMPARE_VIEW, GtkWidget)

GtkWidget   *lab_compare_view_new          (void);
/* Shows LEFT and RIGHT (run to their end first) side by side: connection
 * LEFT_CONNECTION of the left (from 0; -1: all) against RIGHT_CONNECTION of
 * the right, at DETAIL.  Selects the first divergence (or the first row). */
void         lab_compare_view_set_sessions (LabCompareView *self,
                                            LabSession *left, const char *left_title,
                                            int left_connection,
                                            LabSession *right, const char *right_title,
                                            int right_connection, TlsDetail detail);
/* Shows one run's inspector at a time, with a switch (at a projector's
 * zoom, where two do not fit side by side); the window does it at zoom 1.5
 * and more. */
void         lab_compare_view_set_one_side (LabCompareView *self, gboolean one);
/* Two inspectors side by side when they fit in WIDTH pixels (at the
 * present type size), else one at a time. */
void         lab_compare_view_fit          (LabCompareView *self, int width);
/* Whether one inspector shows at a time.  The view fits again by itself
 * when the type size changes (the application's zoom). */
gboolean     lab_compare_view_get_one_side (LabCompareView *self);
const TlsAlignment *lab_compare_view_get_alignment (LabCompareView *self);
/* A TLS 1.3 run against an earlier one: what changed (shown above the
 * ladders, which are then aligned message by message), else NULL. */
const TlsVersus *lab_compare_view_get_versus (LabCompareView *self);
/* Shows what changed (the view opens so) or the ladders. */
void         lab_compare_view_show_versus  (LabCompareView *self, gboolean show);
LabSession  *lab_compare_view_get_session  (LabCompareView *self, gboolean right);
LabInspector *lab_compare_view_get_inspector (LabCompareView *self, gboolean right);
void         lab_compare_view_select_row   (LabCompareView *self, int row);
int          lab_compare_view_get_selected_row (LabCompareView *self);
/* For tests: the text of row ROW (left, mark, right and the alert lines;
 * a new string), and the differences shown for the selected row. */
char        *lab_compare_view_dup_row_text (LabCompareView *self, guint row);
const char  *lab_compare_view_get_differences (LabCompareView *self);
/* For tests: the texts of what changed between the versions ('|' between
 * labels; empty when the view shows none). */
char        *lab_compare_view_dup_versus_text (LabCompareView *self);
/* Whether row ROW is drawn as diverging / as holding a first alert. */
gboolean     lab_compare_view_row_has_class (LabCompareView *self, guint row, const char *css);

/* A run to compare, by WHAT: a built-in scenario's name, a scenario file, a
 * saved trace (.json) or a capture (.pcap, .pcapng), "WHAT#N" its
 * connection N (from 1; *CONNECTION gets N - 1, or -1).  NULL with ERROR
 * set when it cannot be loaded. */
LabSession  *lab_compare_load              (const char *what, int *connection, GError **error);

/* A window holding a compare view of LEFT and RIGHT (lab_compare_load's
 * WHAT each), over PARENT (may be NULL); NULL with ERROR set when either
 * cannot be loaded. */
GtkWindow   *lab_compare_window_new        (GtkWindow *parent, const char *left,
                                            const char *right, TlsDetail detail,
                                            GError **error);
/* The same for two sessions (taken) with their titles and connections. */
GtkWindow   *lab_compare_window_new_for_sessions (GtkWindow *parent,
                                                  LabSession *left, const char *left_title,
                                                  int left_connection,
                                                  LabSession *right, const char *right_title,
                                                  int right_connection, TlsDetail detail);
/* The compare view of a window made by lab_compare_window_new. */
LabCompareView *lab_compare_window_get_view (GtkWindow *window);

G_END_DECLS
