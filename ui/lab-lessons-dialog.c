/* lab-lessons-dialog.c — the list of lessons.  Built in code: a list of
 * rows made from the lesson files, nothing for a template to hold. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-lessons-dialog.h"
#include "tls-lesson.h"

struct _LabLessonsDialog
{
  GtkWindow   parent_instance;
  GtkListBox *list;
  GPtrArray  *paths;    /* of char*, one a row */
};

G_DEFINE_FINAL_TYPE (LabLessonsDialog, lab_lessons_dialog, GTK_TYPE_WINDOW)

enum { LESSON_CHOSEN, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
row_activated_cb (GtkListBox *list, GtkListBoxRow *row, LabLessonsDialog *self)
{
  int i = gtk_list_box_row_get_index (row);

  if (i < 0 || (guint) i >= self->paths->len)
    return;
  g_signal_emit (self, signals[LESSON_CHOSEN], 0, (const char *) self->paths->pdata[i]);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
lab_lessons_dialog_finalize (GObject *object)
{
  LabLessonsDialog *self = LAB_LESSONS_DIALOG (object);

  g_ptr_array_unref (self->paths);
  G_OBJECT_CLASS (lab_lessons_dialog_parent_class)->finalize (object);
}

static void
lab_lessons_dialog_class_init (LabLessonsDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_lessons_dialog_finalize;
  signals[LESSON_CHOSEN] = g_signal_new ("lesson-chosen", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
lab_lessons_dialog_init (LabLessonsDialog *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->paths = g_ptr_array_new_with_free_func (g_free);
  gtk_window_set_title (GTK_WINDOW (self), _("Lessons"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 600);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_margin_start (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->list), 12);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  gtk_window_set_child (GTK_WINDOW (self), scroller);
}

static GtkWidget *
row_new (const char *title, const char *goal)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *t = gtk_label_new (title);
  GtkWidget *g = gtk_label_new (goal);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_add_css_class (t, "heading");
  gtk_label_set_xalign (GTK_LABEL (t), 0);
  gtk_label_set_wrap (GTK_LABEL (t), TRUE);
  gtk_widget_add_css_class (g, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (g), 0);
  gtk_label_set_wrap (GTK_LABEL (g), TRUE);
  gtk_box_append (GTK_BOX (box), t);
  gtk_box_append (GTK_BOX (box), g);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

LabLessonsDialog *
lab_lessons_dialog_new (GtkWindow *parent, const char *dir)
{
  LabLessonsDialog *self = g_object_new (LAB_TYPE_LESSONS_DIALOG, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = tls_lesson_list (dir, &error);

  if (parent)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  if (all == NULL)
    {
      gtk_list_box_append (self->list, row_new (_("No lessons"), error->message));
      return self;
    }
  for (guint i = 0; i < all->len; i++)
    {
      const TlsLesson *l = all->pdata[i];
      gtk_list_box_append (self->list, row_new (l->title, l->goal));
      g_ptr_array_add (self->paths, g_strdup (l->path));
    }
  return self;
}

guint
lab_lessons_dialog_n_lessons (LabLessonsDialog *self)
{
  return self->paths->len;
}

void
lab_lessons_dialog_choose (LabLessonsDialog *self, guint i)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, (int) i);

  if (row != NULL)
    g_signal_emit_by_name (self->list, "row-activated", row);
}
