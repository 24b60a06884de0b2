/* lab-lessons-dialog.h — the list of lessons (primary menu, Lessons…):
 * each lesson's title and learning goal; choosing one emits
 * "lesson-chosen" with its file and closes the dialog. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LAB_TYPE_LESSONS_DIALOG (lab_lessons_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LabLessonsDialog, lab_lessons_dialog, LAB, LESSONS_DIALOG, GtkWindow)

/* The lessons of DIR (data/lessons), for PARENT. */
LabLessonsDialog *lab_lessons_dialog_new      (GtkWindow *parent, const char *dir);
/* The number of lessons listed (tests). */
guint             lab_lessons_dialog_n_lessons (LabLessonsDialog *self);
/* Chooses lesson I, as a click on its row does (tests). */
void              lab_lessons_dialog_choose   (LabLessonsDialog *self, guint i);

G_END_DECLS
