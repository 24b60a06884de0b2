/* lab-hex-view.c — offsets | hex | ASCII, with spans and a selection. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-hex-view.h"

#define PAD 8.0

typedef struct
{
  gsize          offset;
  gsize          length;
  LabHexSpanKind kind;
} Span;

struct _LabHexView
{
  GtkWidget  parent_instance;

  GBytes    *bytes;
  GArray    *spans;         /* of Span */
  gsize      sel_offset;
  gsize      sel_length;    /* 0: no selection */

  /* layout, from the font */
  double     char_w;
  double     line_h;
  guint      bpl;           /* bytes per line: 16 or 8 */
  guint      offset_chars;
};

G_DEFINE_FINAL_TYPE (LabHexView, lab_hex_view, GTK_TYPE_WIDGET)

enum { BYTE_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Geometry                                                            */

static void
update_metrics (LabHexView *self)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0123456789abcdef");
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  self->char_w = w / 16.0;
  self->line_h = h * 1.25;
  self->offset_chars = 4;
  if (self->bytes && g_bytes_get_size (self->bytes) > 0xffff)
    self->offset_chars = 6;
}

/* Columns, in characters, for BPL bytes a line. */
static guint
hex_col (LabHexView *self, guint col)
{
  return self->offset_chars + 2 + col * 3 + (col >= 8 ? 1 : 0);
}

static guint
ascii_col (LabHexView *self, guint bpl)
{
  return hex_col (self, bpl) + 1;
}

static guint
line_chars (LabHexView *self, guint bpl)
{
  return ascii_col (self, bpl) + bpl;
}

static guint
n_lines (LabHexView *self)
{
  gsize n = self->bytes ? g_bytes_get_size (self->bytes) : 0;
  return (n + self->bpl - 1) / self->bpl;
}

/* ------------------------------------------------------------------ */
/* Colours                                                             */

void
lab_hex_view_span_color (LabHexSpanKind kind, GdkRGBA *color)
{
  /* Tints that read on light and dark backgrounds alike. */
  static const GdkRGBA colors[LAB_HEX_N_SPANS] = {
    { 0.21f, 0.52f, 0.89f, 0.28f },   /* header: blue */
    { 0.18f, 0.76f, 0.49f, 0.22f },   /* plaintext: green */
    { 0.90f, 0.38f, 0.00f, 0.30f },   /* encrypted: orange */
    { 0.57f, 0.25f, 0.67f, 0.30f },   /* IV: purple */
    { 0.60f, 0.60f, 0.60f, 0.35f },   /* MAC: grey */
    { 0.88f, 0.11f, 0.14f, 0.38f },   /* differs: red */
  };
  *color = colors[kind < LAB_HEX_N_SPANS ? kind : 0];
}

const char *
lab_hex_view_span_name (LabHexSpanKind kind)
{
  switch (kind)
    {
    case LAB_HEX_SPAN_HEADER: return _("Record header");
    case LAB_HEX_SPAN_PLAINTEXT: return _("Plaintext");
    case LAB_HEX_SPAN_ENCRYPTED: return _("Encrypted");
    case LAB_HEX_SPAN_IV: return _("IV / nonce");
    case LAB_HEX_SPAN_MAC: return _("MAC / tag");
    case LAB_HEX_SPAN_DIFF: return _("Differs from the other run");
    case LAB_HEX_N_SPANS:
    default: return "";
    }
}

static void
get_fg (GtkWidget *widget, GdkRGBA *fg)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
get_accent (GtkWidget *widget, GdkRGBA *accent)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                       "accent_bg_color", accent))
    gdk_rgba_parse (accent, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* ------------------------------------------------------------------ */
/* GtkWidget                                                           */

static GtkSizeRequestMode
lab_hex_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
lab_hex_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                      int *minimum, int *natural, int *min_baseline, int *nat_baseline)
{
  LabHexView *self = LAB_HEX_VIEW (widget);
  gsize n = self->bytes ? g_bytes_get_size (self->bytes) : 0;

  update_metrics (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) (line_chars (self, 8) * self->char_w + 2 * PAD);
      *natural = (int) (line_chars (self, 16) * self->char_w + 2 * PAD);
    }
  else
    {
      guint bpl = 16;
      if (for_size >= 0 && for_size < line_chars (self, 16) * self->char_w + 2 * PAD)
        bpl = 8;
      *minimum = *natural = (int) (MAX (1, (n + bpl - 1) / bpl) * self->line_h + 2 * PAD);
    }
}

static void
lab_hex_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  LabHexView *self = LAB_HEX_VIEW (widget);

  update_metrics (self);
  self->bpl = width >= line_chars (self, 16) * self->char_w + 2 * PAD ? 16 : 8;
}

static void
fill_cells (LabHexView *self, GtkSnapshot *snapshot, guint line, guint c0, guint c1,
            const GdkRGBA *color)
{
  double y = PAD + line * self->line_h;
  double x0 = PAD + (hex_col (self, c0) - 0.5) * self->char_w;
  double x1 = PAD + (hex_col (self, c1) + 2.5) * self->char_w;
  double a0 = PAD + (ascii_col (self, self->bpl) + c0) * self->char_w;
  double a1 = PAD + (ascii_col (self, self->bpl) + c1 + 1) * self->char_w;

  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x0, y, x1 - x0, self->line_h));
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (a0, y, a1 - a0, self->line_h));
}

/* Fills the cells of [OFFSET, OFFSET + LENGTH) on each line they cover. */
static void
fill_range (LabHexView *self, GtkSnapshot *snapshot, gsize offset, gsize length,
            const GdkRGBA *color, guint first_line, guint last_line)
{
  gsize end = offset + length;

  for (guint line = first_line; line <= last_line; line++)
    {
      gsize ls = (gsize) line * self->bpl, le = ls + self->bpl;
      gsize s = MAX (ls, offset), e = MIN (le, end);
      if (s < e)
        fill_cells (self, snapshot, line, s - ls, e - 1 - ls, color);
    }
}

static void
lab_hex_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  LabHexView *self = LAB_HEX_VIEW (widget);
  const guint8 *data;
  gsize n;
  GdkRGBA fg, dim, accent, white = { 1, 1, 1, 1 };
  guint lines, first = 0, last;
  graphene_rect_t visible;
  GString *text;

  if (self->bytes == NULL || (n = g_bytes_get_size (self->bytes)) == 0)
    return;
  data = g_bytes_get_data (self->bytes, NULL);
  update_metrics (self);
  get_fg (widget, &fg);
  dim = fg;
  dim.alpha *= 0.55f;
  get_accent (widget, &accent);
  lines = n_lines (self);
  last = lines - 1;

  /* Draw only the lines in view (a long record can be thousands). */
  if (gtk_widget_compute_bounds (widget, widget, &visible))
    {
      GtkWidget *vp = gtk_widget_get_ancestor (widget, GTK_TYPE_VIEWPORT);
      graphene_rect_t vb;
      if (vp && gtk_widget_compute_bounds (vp, widget, &vb))
        {
          double top = MAX (0, vb.origin.y - PAD);
          first = MIN (last, (guint) (top / self->line_h));
          last = MIN (last, (guint) ((vb.origin.y + vb.size.height) / self->line_h) + 1);
        }
    }

  for (guint i = 0; i < self->spans->len; i++)
    {
      Span *sp = &g_array_index (self->spans, Span, i);
      GdkRGBA c;
      lab_hex_view_span_color (sp->kind, &c);
      fill_range (self, snapshot, sp->offset, sp->length, &c, first, last);
    }
  if (self->sel_length > 0)
    fill_range (self, snapshot, self->sel_offset, self->sel_length, &accent, first, last);

  text = g_string_new (NULL);
  for (guint line = first; line <= last; line++)
    {
      gsize ls = (gsize) line * self->bpl;
      g_autoptr (PangoLayout) layout = NULL;
      PangoAttrList *attrs = pango_attr_list_new ();
      guint hex_start, ascii_start;

      g_string_truncate (text, 0);
      g_string_append_printf (text, "%0*zx", (int) self->offset_chars, ls);
      while (text->len < hex_col (self, 0))
        g_string_append_c (text, ' ');
      hex_start = text->len;
      for (guint c = 0; c < self->bpl; c++)
        {
          if (c == 8)
            g_string_append_c (text, ' ');
          if (ls + c < n)
            g_string_append_printf (text, "%02x ", data[ls + c]);
          else
            g_string_append (text, "   ");
        }
      g_string_append_c (text, ' ');
      ascii_start = text->len;
      for (guint c = 0; c < self->bpl && ls + c < n; c++)
        {
          guint8 b = data[ls + c];
          g_string_append_c (text, (b >= 0x20 && b < 0x7f) ? (char) b : '.');
        }

      /* offsets dim; selected bytes white and bold */
      {
        PangoAttribute *a = pango_attr_foreground_new (dim.red * 65535, dim.green * 65535, dim.blue * 65535);
        a->start_index = 0;
        a->end_index = hex_start;
        pango_attr_list_insert (attrs, a);
        a = pango_attr_foreground_alpha_new (dim.alpha * 65535);
        a->start_index = 0;
        a->end_index = hex_start;
        pango_attr_list_insert (attrs, a);
      }
      if (self->sel_length > 0)
        {
          gsize s = MAX (ls, self->sel_offset);
          gsize e = MIN (ls + self->bpl, self->sel_offset + self->sel_length);
          if (s < e)
            {
              guint c0 = s - ls, c1 = e - 1 - ls;
              guint ranges[2][2] = {
                { hex_start + c0 * 3 + (c0 >= 8), hex_start + c1 * 3 + (c1 >= 8) + 2 },
                { ascii_start + c0, ascii_start + c1 + 1 },
              };
              for (guint r = 0; r < 2; r++)
                {
                  PangoAttribute *a = pango_attr_foreground_new (65535, 65535, 65535);
                  a->start_index = ranges[r][0];
                  a->end_index = ranges[r][1];
                  pango_attr_list_insert (attrs, a);
                  a = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
                  a->start_index = ranges[r][0];
                  a->end_index = ranges[r][1];
                  pango_attr_list_insert (attrs, a);
                }
            }
        }
      layout = gtk_widget_create_pango_layout (widget, text->str);
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD, PAD + line * self->line_h
                                                              + self->line_h * 0.1));
      gtk_snapshot_append_layout (snapshot, layout, &fg);
      gtk_snapshot_restore (snapshot);
    }
  (void) white;
  g_string_free (text, TRUE);
}

static void
lab_hex_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (lab_hex_view_parent_class)->css_changed (widget, change);
  gtk_widget_queue_resize (widget);
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, LabHexView *self)
{
  gsize offset;

  if (lab_hex_view_byte_at (self, x, y, &offset))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      g_signal_emit (self, signals[BYTE_ACTIVATED], 0, (guint) offset);
    }
}

static void
lab_hex_view_finalize (GObject *object)
{
  LabHexView *self = LAB_HEX_VIEW (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_array_unref (self->spans);
  G_OBJECT_CLASS (lab_hex_view_parent_class)->finalize (object);
}

static void
lab_hex_view_class_init (LabHexViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = lab_hex_view_finalize;
  widget_class->get_request_mode = lab_hex_view_get_request_mode;
  widget_class->measure = lab_hex_view_measure;
  widget_class->size_allocate = lab_hex_view_size_allocate;
  widget_class->snapshot = lab_hex_view_snapshot;
  widget_class->css_changed = lab_hex_view_css_changed;

  /**
   * LabHexView::byte-activated:
   * @offset: the byte clicked
   */
  signals[BYTE_ACTIVATED] =
    g_signal_new ("byte-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "hexview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lab_hex_view_init (LabHexView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->spans = g_array_new (FALSE, FALSE, sizeof (Span));
  self->bpl = 16;
  self->offset_chars = 4;
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

GtkWidget *
lab_hex_view_new (void)
{
  return g_object_new (LAB_TYPE_HEX_VIEW, NULL);
}

void
lab_hex_view_set_bytes (LabHexView *self, GBytes *bytes)
{
  g_return_if_fail (LAB_IS_HEX_VIEW (self));

  if (bytes)
    g_bytes_ref (bytes);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = bytes;
  g_array_set_size (self->spans, 0);
  self->sel_length = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

GBytes *
lab_hex_view_get_bytes (LabHexView *self)
{
  g_return_val_if_fail (LAB_IS_HEX_VIEW (self), NULL);
  return self->bytes;
}

void
lab_hex_view_clear_spans (LabHexView *self)
{
  g_return_if_fail (LAB_IS_HEX_VIEW (self));
  g_array_set_size (self->spans, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lab_hex_view_add_span (LabHexView *self, gsize offset, gsize length, LabHexSpanKind kind)
{
  Span sp = { offset, length, kind };

  g_return_if_fail (LAB_IS_HEX_VIEW (self));
  if (length == 0)
    return;
  g_array_append_val (self->spans, sp);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
lab_hex_view_get_span_at (LabHexView *self, gsize offset)
{
  g_return_val_if_fail (LAB_IS_HEX_VIEW (self), -1);

  for (guint i = self->spans->len; i > 0; i--)
    {
      Span *sp = &g_array_index (self->spans, Span, i - 1);
      if (offset >= sp->offset && offset < sp->offset + sp->length)
        return sp->kind;
    }
  return -1;
}

static void
scroll_to_selection (LabHexView *self)
{
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj;
  graphene_point_t p;
  double top, bottom, value, page;

  if (sw == NULL || self->sel_length == 0 || self->line_h <= 0)
    return;
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
  top = PAD + (self->sel_offset / self->bpl) * self->line_h;
  bottom = PAD + ((self->sel_offset + self->sel_length - 1) / self->bpl + 1) * self->line_h;
  /* In the scrolled window's content coordinates. */
  if (!gtk_widget_compute_point (GTK_WIDGET (self), gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (sw)),
                                 &GRAPHENE_POINT_INIT (0, 0), &p))
    p.y = 0;
  top += p.y + gtk_adjustment_get_value (adj);
  bottom += p.y + gtk_adjustment_get_value (adj);
  value = gtk_adjustment_get_value (adj);
  page = gtk_adjustment_get_page_size (adj);
  if (top < value || bottom > value + page)
    gtk_adjustment_set_value (adj, MAX (0, top - page / 4));
}

void
lab_hex_view_set_selection (LabHexView *self, gsize offset, gsize length)
{
  gsize n;

  g_return_if_fail (LAB_IS_HEX_VIEW (self));

  n = self->bytes ? g_bytes_get_size (self->bytes) : 0;
  if (offset >= n)
    length = 0;
  else if (length > n - offset)
    length = n - offset;
  self->sel_offset = length ? offset : 0;
  self->sel_length = length;
  scroll_to_selection (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
lab_hex_view_get_selection (LabHexView *self, gsize *offset, gsize *length)
{
  g_return_val_if_fail (LAB_IS_HEX_VIEW (self), FALSE);
  if (offset)
    *offset = self->sel_offset;
  if (length)
    *length = self->sel_length;
  return self->sel_length > 0;
}

guint
lab_hex_view_get_bytes_per_line (LabHexView *self)
{
  g_return_val_if_fail (LAB_IS_HEX_VIEW (self), 16);
  return self->bpl;
}

gboolean
lab_hex_view_byte_at (LabHexView *self, double x, double y, gsize *offset)
{
  gsize n = self->bytes ? g_bytes_get_size (self->bytes) : 0;
  double cx, line;
  guint col = G_MAXUINT;
  gsize off;

  g_return_val_if_fail (LAB_IS_HEX_VIEW (self), FALSE);
  if (n == 0 || self->char_w <= 0)
    return FALSE;
  line = (y - PAD) / self->line_h;
  cx = (x - PAD) / self->char_w;
  if (line < 0)
    return FALSE;
  for (guint c = 0; c < self->bpl; c++)
    {
      double h = hex_col (self, c);
      if (cx >= h - 0.5 && cx < h + 2.5)
        col = c;
    }
  if (col == G_MAXUINT)
    {
      double a = ascii_col (self, self->bpl);
      if (cx >= a && cx < a + self->bpl)
        col = (guint) (cx - a);
    }
  if (col == G_MAXUINT)
    return FALSE;
  off = (gsize) line * self->bpl + col;
  if (off >= n)
    return FALSE;
  *offset = off;
  return TRUE;
}

gboolean
lab_hex_view_byte_point (LabHexView *self, gsize offset, double *x, double *y)
{
  gsize n = self->bytes ? g_bytes_get_size (self->bytes) : 0;
  guint col;

  g_return_val_if_fail (LAB_IS_HEX_VIEW (self), FALSE);
  if (offset >= n || self->char_w <= 0)
    return FALSE;
  col = offset % self->bpl;
  *x = PAD + (hex_col (self, col) + 1.0) * self->char_w;
  *y = PAD + (offset / self->bpl + 0.5) * self->line_h;
  return TRUE;
}
