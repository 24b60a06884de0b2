/* lab-step-group.c — the steps grouped under a step, in the inspector. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-step-group.h"

struct _LabStepGroup
{
  GtkWidget    parent_instance;

  GtkWidget   *expander;
  GtkWidget   *scroller;
  GtkListBox  *list;
  GArray      *steps;      /* of int: the step of each row */
};

G_DEFINE_FINAL_TYPE (LabStepGroup, lab_step_group, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Private                                                             */

static const char *
result_text (const TlsStep *s)
{
  switch (s->kind)
    {
    case TLS_STEP_CHECK:
      return s->result == TLS_CHECK_PASSED ? _("passed")
             : s->result == TLS_CHECK_FAILED ? _("FAILED") : _("not checked");
    case TLS_STEP_DECISION:
      return s->choice;
    case TLS_STEP_DERIVATION:
      return s->outputs->len ? ((TlsTraceValue *) g_ptr_array_index (s->outputs, 0))->name : NULL;
    default:
      return NULL;
    }
}

static void
add_row (LabStepGroup *self, const TlsStep *s, const char *prefix)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const char *result = result_text (s);
  GtkWidget *label;

  if (prefix)
    g_string_append_printf (text, "%s ", prefix);
  g_string_append_printf (text, "%u  %s  %s", s->index + 1, tls_actor_label (s->actor), tls_step_title_label (s));
  if (result && *result)
    g_string_append_printf (text, ": %s", result);
  label = gtk_label_new (text->str);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (s->kind == TLS_STEP_CHECK && s->result == TLS_CHECK_FAILED)
    gtk_widget_add_css_class (label, "error");
  gtk_list_box_append (self->list, label);
  g_array_append_val (self->steps, s->index);
}

static void
row_activated_cb (GtkListBox *box, GtkListBoxRow *row, LabStepGroup *self)
{
  int i = gtk_list_box_row_get_index (row);

  if (i >= 0 && (guint) i < self->steps->len)
    gtk_widget_activate_action (GTK_WIDGET (self), "lab.select-step", "i",
                                g_array_index (self->steps, int, i));
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
lab_step_group_dispose (GObject *object)
{
  LabStepGroup *self = LAB_STEP_GROUP (object);

  g_clear_pointer (&self->expander, gtk_widget_unparent);
  G_OBJECT_CLASS (lab_step_group_parent_class)->dispose (object);
}

static void
lab_step_group_finalize (GObject *object)
{
  LabStepGroup *self = LAB_STEP_GROUP (object);

  g_array_unref (self->steps);
  G_OBJECT_CLASS (lab_step_group_parent_class)->finalize (object);
}

static void
lab_step_group_class_init (LabStepGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_step_group_dispose;
  object_class->finalize = lab_step_group_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "labstepgroup");
}

static void
lab_step_group_init (LabStepGroup *self)
{
  self->steps = g_array_new (FALSE, FALSE, sizeof (int));
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->scroller), 220);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->list));
  self->expander = gtk_expander_new (NULL);
  gtk_expander_set_child (GTK_EXPANDER (self->expander), self->scroller);
  gtk_widget_set_margin_start (self->expander, 18);
  gtk_widget_set_margin_end (self->expander, 18);
  gtk_widget_set_margin_top (self->expander, 6);
  gtk_widget_set_parent (self->expander, GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

GtkWidget *
lab_step_group_new (void)
{
  return g_object_new (LAB_TYPE_STEP_GROUP, NULL);
}

void
lab_step_group_set_step (LabStepGroup *self, LabSession *session, int index)
{
  const TlsTrace *trace = session ? lab_session_get_trace (session) : NULL;
  const TlsStep *s = session && index >= 0 ? lab_session_get_step (session, (guint) index) : NULL;
  guint position = session ? lab_session_get_position (session) : 0;
  g_autoptr (GArray) children = NULL;
  g_autofree char *label = NULL;
  GtkWidget *child;

  g_return_if_fail (LAB_IS_STEP_GROUP (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_array_set_size (self->steps, 0);
  if (s == NULL || trace == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  if (s->parent >= 0)
    {
      add_row (self, tls_trace_get (trace, (guint) s->parent), "↑");
      /* Translators: the step shown is one of those grouped under another */
      label = g_strdup (_("Part of the step above"));
    }
  else if ((children = tls_trace_children (trace, (guint) index)) != NULL)
    {
      guint n = 0;

      for (guint k = 0; k < children->len; k++)
        {
          guint c = g_array_index (children, guint, k);
          /* what has happened so far */
          if (c < position || c < (guint) index)
            {
              add_row (self, tls_trace_get (trace, c), NULL);
              n++;
            }
        }
      if (n > 0)
        label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u step grouped under this one",
                                              "%u steps grouped under this one", n), n);
    }
  gtk_expander_set_label (GTK_EXPANDER (self->expander), label);
  gtk_widget_set_visible (GTK_WIDGET (self), label != NULL);
}

guint
lab_step_group_get_n_rows (LabStepGroup *self)
{
  g_return_val_if_fail (LAB_IS_STEP_GROUP (self), 0);
  return self->steps->len;
}

int
lab_step_group_get_row_step (LabStepGroup *self, guint row)
{
  g_return_val_if_fail (LAB_IS_STEP_GROUP (self), -1);
  return row < self->steps->len ? g_array_index (self->steps, int, row) : -1;
}

gboolean
lab_step_group_get_expanded (LabStepGroup *self)
{
  g_return_val_if_fail (LAB_IS_STEP_GROUP (self), FALSE);
  return gtk_expander_get_expanded (GTK_EXPANDER (self->expander));
}

void
lab_step_group_set_expanded (LabStepGroup *self, gboolean expanded)
{
  g_return_if_fail (LAB_IS_STEP_GROUP (self));
  gtk_expander_set_expanded (GTK_EXPANDER (self->expander), expanded);
}
