/* lab-compare-view.c — two runs side by side (lab-compare-view.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <adwaita.h>

#include "lab-compare-view.h"
#include "tls-alert.h"
#include "tls-capture.h"
#include "tls-scenario.h"
#include "tls-trace-json.h"
#include "tls-trace-text.h"

struct _LabCompareView
{
  GtkWidget     parent_instance;

  /* template */
  GtkLabel     *left_title;
  GtkLabel     *right_title;
  GtkLabel     *summary;
  GtkWidget    *top_switcher;
  GtkStack     *top_stack;
  GtkGrid      *versus_grid;
  GtkPaned     *paned;
  GtkListBox   *rows;
  GtkScrolledWindow *rows_scroller;
  GtkLabel     *differences;
  GtkPaned     *sides;
  GtkWidget    *side_switch;
  GtkToggleButton *show_left;
  GtkToggleButton *show_right;
  LabInspector *left_inspector;
  LabInspector *right_inspector;

  LabSession   *left;
  LabSession   *right;
  TlsAlignment *alignment;
  TlsVersus    *versus;        /* a TLS 1.3 run against an earlier one, or NULL */
  GPtrArray    *row_widgets;   /* of GtkListBoxRow, by row */
  int           selected;
  double        fitted_font;   /* the type size (pixels) the last fit was for */
  guint         refit_source;
};

G_DEFINE_FINAL_TYPE (LabCompareView, lab_compare_view, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Rows                                                                */

/* "5  server ←  ServerHello"; in a flight (from 1) "F2  5  server ← ...". */
static char *
step_text (LabSession *session, int index, guint flight)
{
  const TlsStep *s;
  g_autofree char *f = flight > 0 ? g_strdup_printf ("F%u  ", flight) : g_strdup ("");

  if (index < 0)
    return g_strdup ("");
  s = lab_session_get_step (session, (guint) index);
  if (s->kind == TLS_STEP_MESSAGE || s->kind == TLS_STEP_ALERT || s->kind == TLS_STEP_APPDATA)
    return g_strdup_printf ("%s%d  %s %s  %s", f, index + 1, tls_actor_name (s->actor),
                            s->actor == TLS_ACTOR_CLIENT ? "→" : "←", s->title);
  return g_strdup_printf ("%s%d  %s: %s", f, index + 1, tls_actor_name (s->actor), s->title);
}

/* The reason a row of the ladders differs between the two versions, with
 * its section ("… (RFC 8446 §4.2.8)"), or NULL. */
static char *
row_note_text (LabCompareView *self, const TlsAlignRow *r)
{
  const char *rfc = NULL, *note;
  g_autofree char *where = NULL;

  if (self->versus == NULL || r == NULL)
    return NULL;
  note = tls_versus_row_note (self->versus, lab_session_get_trace (self->left),
                              lab_session_get_trace (self->right), r, &rfc);
  if (note == NULL)
    return NULL;
  where = tls_rfc_display (rfc);
  return g_strdup_printf ("%s (%s)", note, where);
}

static const char *
row_mark (const TlsAlignRow *r)
{
  switch (r->kind)
    {
    case TLS_ALIGN_LEFT_ONLY:  return "◀";
    case TLS_ALIGN_RIGHT_ONLY: return "▶";
    case TLS_ALIGN_BOTH:
    default:                   return r->diffs->len > 0 ? "≠" : "=";
    }
}

static char *
alert_text (const char *side, const TlsStep *s)
{
  /* Translators: "First alert (left): server, fatal decrypt_error: the peer's Finished is wrong" */
  return g_strdup_printf (_("First alert (%s): %s, %s %s%s%s"), side, tls_actor_name (s->actor),
                          s->alert_level == TLS_ALERT_LEVEL_FATAL ? _("fatal") : _("warning"),
                          tls_alert_name (s->alert_description),
                          s->reason ? ": " : "", s->reason ? s->reason : "");
}

static GtkWidget *
cell_new (const char *text, const char *css, gboolean expand)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (l, expand);
  if (expand)
    gtk_label_set_width_chars (GTK_LABEL (l), 10);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

static GtkWidget *
row_new (LabCompareView *self, guint i)
{
  const TlsAlignRow *r = tls_alignment_row (self->alignment, i);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  g_autofree char *lt = step_text (self->left, r->left,
                                  self->versus ? tls_versus_flight (self->versus, FALSE, r->left) : 0);
  g_autofree char *rt = step_text (self->right, r->right,
                                  self->versus ? tls_versus_flight (self->versus, TRUE, r->right) : 0);
  g_autofree char *note = row_note_text (self, r);
  GtkWidget *mark = cell_new (row_mark (r), "compare-mark", FALSE);

  gtk_widget_add_css_class (row, "compare-row");
  if ((int) i == self->alignment->first_divergence)
    {
      GtkWidget *d = cell_new (_("First divergence"), "compare-divergence", TRUE);
      gtk_box_append (GTK_BOX (box), d);
    }
  gtk_label_set_xalign (GTK_LABEL (mark), 0.5);
  /* two halves of one width, the mark at the end of the left one: the
   * right run's steps start in one column, whatever the left shows */
  {
    GtkWidget *half = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
    gtk_box_set_homogeneous (GTK_BOX (line), TRUE);
    gtk_box_append (GTK_BOX (half), cell_new (lt, "compare-cell", TRUE));
    gtk_box_append (GTK_BOX (half), mark);
    gtk_box_append (GTK_BOX (line), half);
    gtk_box_append (GTK_BOX (line), cell_new (rt, "compare-cell", TRUE));
  }
  gtk_box_append (GTK_BOX (box), line);
  if (note)
    {
      /* one line here; the whole of it where the row's differences show */
      GtkWidget *n = cell_new (note, "compare-note", TRUE);
      gtk_widget_add_css_class (n, "dim-label");
      gtk_widget_set_tooltip_text (n, note);
      gtk_box_append (GTK_BOX (box), n);
    }
  switch (r->kind)
    {
    case TLS_ALIGN_LEFT_ONLY:
      gtk_widget_add_css_class (row, "row-left-only");
      break;
    case TLS_ALIGN_RIGHT_ONLY:
      gtk_widget_add_css_class (row, "row-right-only");
      break;
    case TLS_ALIGN_BOTH:
    default:
      if (r->diffs->len > 0)
        gtk_widget_add_css_class (row, "row-differs");
      break;
    }
  if ((int) i == self->alignment->first_alert_left)
    {
      g_autofree char *t = alert_text (_("left"), lab_session_get_step (self->left, (guint) r->left));
      GtkWidget *a = cell_new (t, "compare-alert", TRUE);
      gtk_label_set_wrap (GTK_LABEL (a), TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (a), PANGO_ELLIPSIZE_NONE);
      gtk_box_append (GTK_BOX (box), a);
      gtk_widget_add_css_class (row, "row-first-alert");
    }
  if ((int) i == self->alignment->first_alert_right)
    {
      g_autofree char *t = alert_text (_("right"), lab_session_get_step (self->right, (guint) r->right));
      GtkWidget *a = cell_new (t, "compare-alert", TRUE);
      gtk_label_set_wrap (GTK_LABEL (a), TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (a), PANGO_ELLIPSIZE_NONE);
      gtk_box_append (GTK_BOX (box), a);
      gtk_widget_add_css_class (row, "row-first-alert");
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
fill_differences (LabCompareView *self, const TlsAlignRow *r)
{
  GString *s = g_string_new (NULL);
  g_autofree char *note = row_note_text (self, r);

  if (note)
    g_string_append_printf (s, "%s\n", note);
  if (r == NULL)
    ;
  else if (r->kind == TLS_ALIGN_LEFT_ONLY)
    g_string_append (s, _("Only in the left run."));
  else if (r->kind == TLS_ALIGN_RIGHT_ONLY)
    g_string_append (s, _("Only in the right run."));
  else if (r->diffs->len == 0)
    g_string_append (s, _("The same in both runs."));
  else
    {
      g_string_append (s, _("Differs:"));
      for (guint i = 0; i < r->diffs->len; i++)
        {
          const TlsStepDiff *d = g_ptr_array_index (r->diffs, i);

          if (i == 8)
            {
              g_string_append_printf (s, " … (%u)", r->diffs->len);
              break;
            }
          g_string_append_printf (s, "%s %s: %s ≠ %s", i ? ";" : "", d->what,
                                  d->left ? d->left : _("(none)"), d->right ? d->right : _("(none)"));
        }
    }
  gtk_label_set_text (self->differences, s->str);
  g_string_free (s, TRUE);
}

static GtkWidget *
versus_label (const char *text, const char *css, int max_chars)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_yalign (GTK_LABEL (l), 0);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (l), max_chars);
  gtk_label_set_width_chars (GTK_LABEL (l), MIN (max_chars, 16));
  gtk_label_set_selectable (GTK_LABEL (l), TRUE);
  gtk_widget_set_hexpand (l, max_chars > 20);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

/* The versions side by side: a heading row, then for each difference
 * what it is, both runs' values and, under them, the reason with its
 * section. */
static void
fill_versus (LabCompareView *self)
{
  GtkWidget *child;
  const TlsVersus *v = self->versus;
  int y = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->versus_grid))) != NULL)
    gtk_grid_remove (self->versus_grid, child);
  /* what changed first; the ladders a click away */
  gtk_widget_set_visible (self->top_switcher, v != NULL);
  gtk_stack_set_visible_child_name (self->top_stack, v ? "versus" : "ladders");
  if (v == NULL)
    return;
  {
    /* Translators: "TLS 1.2 (left)" */
    g_autofree char *lh = g_strdup_printf (_("%s (left)"), v->left_version);
    g_autofree char *rh = g_strdup_printf (_("%s (right)"), v->right_version);

    gtk_grid_attach (self->versus_grid, versus_label (_("What changed"), "versus-heading", 18), 0, y, 1, 1);
    gtk_grid_attach (self->versus_grid, versus_label (lh, "versus-heading", 60), 1, y, 1, 1);
    gtk_grid_attach (self->versus_grid, versus_label (rh, "versus-heading", 60), 2, y++, 1, 1);
  }
  for (guint i = 0; i < v->lines->len; i++)
    {
      const TlsVersusLine *l = g_ptr_array_index (v->lines, i);
      g_autofree char *rfc = tls_rfc_display (l->rfc);
      g_autofree char *why = g_strdup_printf (_("Why: %s (%s)"), l->why, rfc);
      GtkWidget *w = versus_label (why, "versus-why", 120);

      gtk_grid_attach (self->versus_grid, versus_label (l->what, "versus-what", 18), 0, y, 1, 1);
      gtk_grid_attach (self->versus_grid, versus_label (l->left, NULL, 60), 1, y, 1, 1);
      gtk_grid_attach (self->versus_grid, versus_label (l->right, NULL, 60), 2, y++, 1, 1);
      gtk_widget_add_css_class (w, "dim-label");
      gtk_widget_set_margin_bottom (w, 4);
      gtk_grid_attach (self->versus_grid, w, 1, y++, 2, 1);
    }
}

/* Scrolls the rows so the selected one shows (once they are laid out). */
static gboolean
scroll_to_selected_cb (gpointer data)
{
  LabCompareView *self = data;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->rows);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->rows_scroller);
  graphene_point_t p;

  if (row && adj && gtk_widget_compute_point (GTK_WIDGET (row), GTK_WIDGET (self->rows),
                                              &GRAPHENE_POINT_INIT (0, 0), &p))
    {
      double page = gtk_adjustment_get_page_size (adj);
      double h = gtk_widget_get_height (GTK_WIDGET (row));
      if (p.y < gtk_adjustment_get_value (adj) || p.y + h > gtk_adjustment_get_value (adj) + page)
        gtk_adjustment_set_value (adj, MAX (0, p.y - page / 3));
    }
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

void lab_compare_view_fit (LabCompareView *self, int width);
static void show_side_of_row (LabCompareView *self, const TlsAlignRow *r);

static gboolean
fit_cb (gpointer data)
{
  LabCompareView *self = data;

  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    lab_compare_view_fit (self, gtk_widget_get_width (GTK_WIDGET (self)));
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
map_cb (GtkWidget *widget, LabCompareView *self)
{
  g_idle_add (fit_cb, g_object_ref (self));
}

/* The type size, in pixels (the application's zoom sets it). */
static double
font_px (GtkWidget *w)
{
  const PangoFontDescription *fd = pango_context_get_font_description (gtk_widget_get_pango_context (w));
  double size = fd ? pango_font_description_get_size (fd) / (double) PANGO_SCALE : 10;

  if (fd && !pango_font_description_get_size_is_absolute (fd))
    size *= 96.0 / 72.0;
  return MAX (size, 1);
}

static gboolean
refit_cb (gpointer data)
{
  LabCompareView *self = data;

  self->refit_source = 0;
  if (font_px (GTK_WIDGET (self)) == self->fitted_font)
    return G_SOURCE_REMOVE;
  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    lab_compare_view_fit (self, gtk_widget_get_width (GTK_WIDGET (self)));
  if (self->alignment && self->selected >= 0)
    show_side_of_row (self, tls_alignment_row (self->alignment, (guint) self->selected));
  return G_SOURCE_REMOVE;
}

/* The zoom changed the type size: the inspectors' widths change with it,
 * so whether both fit side by side is decided again, once laid out. */
static void
lab_compare_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  LabCompareView *self = LAB_COMPARE_VIEW (widget);

  GTK_WIDGET_CLASS (lab_compare_view_parent_class)->css_changed (widget, change);
  /* (the type size is known once the style is applied: compared then) */
  if (self->fitted_font > 0 && self->refit_source == 0)
    self->refit_source = g_timeout_add (50, refit_cb, self);
}

/* One inspector at a time: a step of one run only shows that run's. */
static void
show_side_of_row (LabCompareView *self, const TlsAlignRow *r)
{
  if (r == NULL || !gtk_widget_get_visible (self->side_switch))
    return;
  if (r->left < 0)
    gtk_toggle_button_set_active (self->show_right, TRUE);
  else if (r->right < 0)
    gtk_toggle_button_set_active (self->show_left, TRUE);
}

static void
row_selected_cb (GtkListBox *box, GtkListBoxRow *row, LabCompareView *self)
{
  const TlsAlignRow *r;
  const TlsStep *ls, *rs;

  self->selected = row ? gtk_list_box_row_get_index (row) : -1;
  r = self->selected >= 0 && self->alignment ? tls_alignment_row (self->alignment, (guint) self->selected)
                                             : NULL;
  ls = r && r->left >= 0 ? lab_session_get_step (self->left, (guint) r->left) : NULL;
  rs = r && r->right >= 0 ? lab_session_get_step (self->right, (guint) r->right) : NULL;
  lab_inspector_set_step (self->left_inspector, r ? r->left : -1);
  lab_inspector_set_counterpart (self->left_inspector, ls ? rs : NULL);
  lab_inspector_set_step (self->right_inspector, r ? r->right : -1);
  lab_inspector_set_counterpart (self->right_inspector, rs ? ls : NULL);
  fill_differences (self, r);
  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    lab_compare_view_fit (self, gtk_widget_get_width (GTK_WIDGET (self)));
  show_side_of_row (self, r);
  g_timeout_add_full (G_PRIORITY_LOW, 50, scroll_to_selected_cb, g_object_ref (self), NULL);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
lab_compare_view_dispose (GObject *object)
{
  LabCompareView *self = LAB_COMPARE_VIEW (object);

  g_clear_handle_id (&self->refit_source, g_source_remove);
  if (self->rows)
    {
      g_signal_handlers_disconnect_by_data (self->rows, self);
      g_signal_handlers_disconnect_by_data (self->show_left, self);
      g_signal_handlers_disconnect_by_data (self->show_right, self);
    }
  if (self->left_inspector)
    {
      lab_inspector_set_counterpart (self->left_inspector, NULL);
      lab_inspector_set_counterpart (self->right_inspector, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_COMPARE_VIEW);
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_pointer (&self->alignment, tls_alignment_free);
  g_clear_pointer (&self->versus, tls_versus_free);
  g_clear_pointer (&self->row_widgets, g_ptr_array_unref);
  g_clear_object (&self->left);
  g_clear_object (&self->right);
  G_OBJECT_CLASS (lab_compare_view_parent_class)->dispose (object);
}

static void
lab_compare_view_class_init (LabCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_compare_view_dispose;
  widget_class->css_changed = lab_compare_view_css_changed;
  g_type_ensure (LAB_TYPE_INSPECTOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/handshakelab/HandshakeLab/ui/lab-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, left_title);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, right_title);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, summary);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, top_switcher);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, top_stack);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, versus_grid);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, paned);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, rows);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, rows_scroller);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, differences);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, sides);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, side_switch);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, show_left);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, show_right);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, left_inspector);
  gtk_widget_class_bind_template_child (widget_class, LabCompareView, right_inspector);
  gtk_widget_class_set_css_name (widget_class, "labcompareview");
}

static void
side_toggled_cb (GtkToggleButton *button, LabCompareView *self)
{
  if (!gtk_widget_get_visible (self->side_switch))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->left_inspector), gtk_toggle_button_get_active (self->show_left));
  gtk_widget_set_visible (GTK_WIDGET (self->right_inspector), gtk_toggle_button_get_active (self->show_right));
}

static void
lab_compare_view_init (LabCompareView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->show_left, "toggled", G_CALLBACK (side_toggled_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), self);
  g_signal_connect (self->show_right, "toggled", G_CALLBACK (side_toggled_cb), self);
  self->selected = -1;
  g_signal_connect (self->rows, "row-selected", G_CALLBACK (row_selected_cb), self);
  lab_inspector_set_narrow (self->left_inspector, TRUE);
  lab_inspector_set_narrow (self->right_inspector, TRUE);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

GtkWidget *
lab_compare_view_new (void)
{
  return g_object_new (LAB_TYPE_COMPARE_VIEW, NULL);
}

void
lab_compare_view_set_sessions (LabCompareView *self, LabSession *left, const char *left_title,
                               int left_connection, LabSession *right, const char *right_title,
                               int right_connection, TlsDetail detail)
{
  GtkWidget *child;
  g_autofree char *summary = NULL;
  g_autofree char *lt = NULL, *rt = NULL;

  g_return_if_fail (LAB_IS_COMPARE_VIEW (self));
  lab_inspector_set_counterpart (self->left_inspector, NULL);
  lab_inspector_set_counterpart (self->right_inspector, NULL);
  g_set_object (&self->left, left);
  g_set_object (&self->right, right);
  lab_session_run_to_end (left);
  lab_session_run_to_end (right);
  lab_inspector_set_session (self->left_inspector, left);
  lab_inspector_set_session (self->right_inspector, right);
  g_clear_pointer (&self->alignment, tls_alignment_free);
  g_clear_pointer (&self->versus, tls_versus_free);
  /* a TLS 1.3 run against an earlier one: what changed, and the ladders
   * aligned message by message */
  self->versus = tls_versus_new (lab_session_get_trace (left), left_connection,
                                 lab_session_get_trace (right), right_connection);
  if (self->versus)
    self->alignment = tls_trace_align_ladders (lab_session_get_trace (left), left_connection,
                                               lab_session_get_trace (right), right_connection);
  else
    self->alignment = tls_trace_align (lab_session_get_trace (left), left_connection,
                                       lab_session_get_trace (right), right_connection, detail);
  fill_versus (self);

  /* Translators: "Left: full" */
  lt = self->versus ? g_strdup_printf (_("Left: %s (%s)"), left_title, self->versus->left_version)
                    : g_strdup_printf (_("Left: %s"), left_title);
  rt = self->versus ? g_strdup_printf (_("Right: %s (%s)"), right_title, self->versus->right_version)
                    : g_strdup_printf (_("Right: %s"), right_title);
  gtk_label_set_text (self->left_title, lt);
  gtk_label_set_text (self->right_title, rt);
  if (self->alignment->first_divergence < 0)
    summary = g_strdup_printf (_("%u rows: the two runs are the same."), self->alignment->rows->len);
  else
    summary = g_strdup_printf (_("%u rows: %u the same, %u differing (≠), %u in the left run only (◀), "
                                 "%u in the right run only (▶)."),
                               self->alignment->rows->len, self->alignment->n_same,
                               self->alignment->n_differ, self->alignment->n_left_only,
                               self->alignment->n_right_only);
  gtk_label_set_text (self->summary, summary);

  self->selected = -1;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows))) != NULL)
    gtk_list_box_remove (self->rows, child);
  g_clear_pointer (&self->row_widgets, g_ptr_array_unref);
  self->row_widgets = g_ptr_array_new ();
  for (guint i = 0; i < self->alignment->rows->len; i++)
    {
      GtkWidget *row = row_new (self, i);
      gtk_list_box_append (self->rows, row);
      g_ptr_array_add (self->row_widgets, row);
    }
  /* what changed between two versions takes more room than the ladders */
  gtk_paned_set_position (self->paned, self->versus ? 420 : 300);
  lab_compare_view_select_row (self, MAX (self->alignment->first_divergence, 0));
}

void
lab_compare_view_set_one_side (LabCompareView *self, gboolean one)
{
  g_return_if_fail (LAB_IS_COMPARE_VIEW (self));
  gtk_widget_set_visible (self->side_switch, one);
  if (one)
    side_toggled_cb (NULL, self);
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->left_inspector), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->right_inspector), TRUE);
    }
}

void
lab_compare_view_fit (LabCompareView *self, int width)
{
  int min_l = 0, min_r = 0, nat_l = 0, nat_r = 0;

  g_return_if_fail (LAB_IS_COMPARE_VIEW (self));
  self->fitted_font = font_px (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->left_inspector), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->right_inspector), TRUE);
  gtk_widget_measure (GTK_WIDGET (self->left_inspector), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_l, &nat_l, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->right_inspector), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_r, &nat_r, NULL, NULL);
  /* a side with no step for this row shows only a placeholder: it takes
   * the width of the other */
  if (lab_inspector_get_step (self->left_inspector) < 0)
    nat_l = nat_r;
  else if (lab_inspector_get_step (self->right_inspector) < 0)
    nat_r = nat_l;
  /* below their natural width the inspectors cut their rows */
  lab_compare_view_set_one_side (self, nat_l + nat_r + 32 > width);
}

gboolean
lab_compare_view_get_one_side (LabCompareView *self)
{
  g_return_val_if_fail (LAB_IS_COMPARE_VIEW (self), FALSE);
  return gtk_widget_get_visible (self->side_switch);
}

const TlsAlignment *
lab_compare_view_get_alignment (LabCompareView *self)
{
  return self->alignment;
}

const TlsVersus *
lab_compare_view_get_versus (LabCompareView *self)
{
  return self->versus;
}

void
lab_compare_view_show_versus (LabCompareView *self, gboolean show)
{
  g_return_if_fail (LAB_IS_COMPARE_VIEW (self));
  gtk_stack_set_visible_child_name (self->top_stack, show && self->versus ? "versus" : "ladders");
}

LabSession *
lab_compare_view_get_session (LabCompareView *self, gboolean right)
{
  return right ? self->right : self->left;
}

LabInspector *
lab_compare_view_get_inspector (LabCompareView *self, gboolean right)
{
  return right ? self->right_inspector : self->left_inspector;
}

void
lab_compare_view_select_row (LabCompareView *self, int row)
{
  GtkListBoxRow *r;

  g_return_if_fail (LAB_IS_COMPARE_VIEW (self));
  r = self->row_widgets && row >= 0 && (guint) row < self->row_widgets->len
      ? g_ptr_array_index (self->row_widgets, row) : NULL;
  gtk_list_box_select_row (self->rows, r);
  if (r)
    gtk_widget_grab_focus (GTK_WIDGET (r));
}

int
lab_compare_view_get_selected_row (LabCompareView *self)
{
  return self->selected;
}

static void
collect_labels (GtkWidget *w, GString *out)
{
  if (GTK_IS_LABEL (w))
    {
      if (out->len)
        g_string_append_c (out, '|');
      g_string_append (out, gtk_label_get_text (GTK_LABEL (w)));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, out);
}

char *
lab_compare_view_dup_row_text (LabCompareView *self, guint row)
{
  GString *s = g_string_new (NULL);

  if (self->row_widgets && row < self->row_widgets->len)
    collect_labels (g_ptr_array_index (self->row_widgets, row), s);
  return g_string_free (s, FALSE);
}

char *
lab_compare_view_dup_versus_text (LabCompareView *self)
{
  GString *s = g_string_new (NULL);

  if (self->versus)
    collect_labels (GTK_WIDGET (self->versus_grid), s);
  return g_string_free (s, FALSE);
}

const char *
lab_compare_view_get_differences (LabCompareView *self)
{
  return gtk_label_get_text (self->differences);
}

gboolean
lab_compare_view_row_has_class (LabCompareView *self, guint row, const char *css)
{
  return self->row_widgets && row < self->row_widgets->len
         && gtk_widget_has_css_class (g_ptr_array_index (self->row_widgets, row), css);
}

/* ------------------------------------------------------------------ */
/* Loading runs, the window                                            */

static gboolean
is_capture (const char *path)
{
  return g_str_has_suffix (path, ".pcap") || g_str_has_suffix (path, ".pcapng")
         || g_str_has_suffix (path, ".cap");
}

LabSession *
lab_compare_load (const char *what, int *connection, GError **error)
{
  g_autoptr (LabSession) session = lab_session_new ();
  const char *hash = strrchr (what, '#');
  g_autofree char *name = NULL;
  guint64 n = 0;

  *connection = -1;
  if (hash && !g_file_test (what, G_FILE_TEST_EXISTS)
      && g_ascii_string_to_unsigned (hash + 1, 10, 1, G_MAXINT, &n, NULL))
    name = g_strndup (what, hash - what);
  else
    name = g_strdup (what);

  if (is_capture (name))
    {
      g_autoptr (TlsCapture) cap = tls_capture_open_file (name, error);
      TlsTrace *trace;

      if (cap == NULL || (trace = tls_capture_trace (cap, n ? (guint) n : 1, error)) == NULL)
        return NULL;
      lab_session_load_trace (session, trace, name);
      return g_steal_pointer (&session);
    }
  *connection = n ? (int) n - 1 : -1;
  if (g_str_has_suffix (name, ".json"))
    {
      TlsTrace *trace = tls_trace_load_json (name, error);
      if (trace == NULL)
        return NULL;
      lab_session_load_trace (session, trace, name);
    }
  else
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin (name);

      if (sc == NULL && !g_file_test (name, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       _("no scenario is called “%s” (and no such file)"), name);
          return NULL;
        }
      if (sc == NULL && (sc = tls_scenario_load (name, error)) == NULL)
        return NULL;
      if (!lab_session_load_scenario (session, sc, NULL, error))
        return NULL;
    }
  return g_steal_pointer (&session);
}

GtkWindow *
lab_compare_window_new_for_sessions (GtkWindow *parent, LabSession *left, const char *left_title,
                                     int left_connection, LabSession *right,
                                     const char *right_title, int right_connection,
                                     TlsDetail detail)
{
  GtkWidget *win = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *view = lab_compare_view_new ();
  g_autofree char *title = g_strdup_printf (_("Compare: %s and %s"), left_title, right_title);

  gtk_window_set_title (GTK_WINDOW (win), title);
  /* the application's zoom (a projector) applies here too */
  gtk_widget_add_css_class (win, "lab-window");
  if (parent)
    {
      gtk_window_set_transient_for (GTK_WINDOW (win), parent);
      if (gtk_window_get_application (parent))
        gtk_window_set_application (GTK_WINDOW (win), gtk_window_get_application (parent));
    }
  gtk_window_set_default_size (GTK_WINDOW (win), 1024, 768);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (view, TRUE);
  gtk_box_append (GTK_BOX (box), view);
  adw_window_set_content (ADW_WINDOW (win), box);
  g_object_set_data (G_OBJECT (win), "lab-compare-view", view);
  lab_compare_view_fit (LAB_COMPARE_VIEW (view), 1024);
  lab_compare_view_set_sessions (LAB_COMPARE_VIEW (view), left, left_title, left_connection,
                                 right, right_title, right_connection, detail);
  g_object_unref (left);
  g_object_unref (right);
  return GTK_WINDOW (win);
}

GtkWindow *
lab_compare_window_new (GtkWindow *parent, const char *left, const char *right,
                        TlsDetail detail, GError **error)
{
  int lc, rc;
  LabSession *ls = lab_compare_load (left, &lc, error), *rs;

  if (ls == NULL)
    return NULL;
  rs = lab_compare_load (right, &rc, error);
  if (rs == NULL)
    {
      g_object_unref (ls);
      return NULL;
    }
  return lab_compare_window_new_for_sessions (parent, ls, left, lc, rs, right, rc, detail);
}

LabCompareView *
lab_compare_window_get_view (GtkWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "lab-compare-view");
}
