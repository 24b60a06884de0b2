/* lab-ladder-view.c — the ladder: lifelines, arrows, markers.
 *
 * Rows, top to bottom: each recorded step (a message is an arrow from its
 * sender's lifeline to the other; a derivation, check or decision is a
 * marker on its actor's lifeline), a separator where a new connection
 * starts, then the messages still expected from the shape table.  Steps at
 * or after the session's position are drawn faint.  Only the rows in view
 * are drawn, so a trace of thousands of steps scrolls as fast as a short
 * one. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "lab-ladder-view.h"
#include "lab-step.h"
#include "tls-types.h"

typedef struct
{
  LabLadderRowKind kind;
  guint            index;   /* step index, upcoming index, or connection */
  double           y;
  double           h;
} Row;

struct _LabLadderView
{
  GtkWidget          parent_instance;

  GtkWidget         *header;
  GtkScrolledWindow *scroller;
  GtkWidget         *canvas;
  GtkWidget         *legend;

  LabSession        *session;
  GArray            *rows;          /* of Row */
  guint              n_base_rows;   /* rows of recorded steps and their separators */
  guint              n_built;       /* recorded steps laid out in the base rows */
  guint              last_conn;
  GArray            *upcoming;      /* of LabUpcoming */
  GArray            *step_rows;     /* of guint: the row of each recorded step */
  double             line_h;        /* the font's line height when laid out */
  int                selected;
  gboolean           follow;        /* scroll to the current step after layout */
  guint              follow_source;
  GHashTable        *layouts;       /* "widget|scale|bold|italic|text" -> PangoLayout */
  gboolean           attacker;      /* the run has an attacker: its lane is drawn */
};

/* ------------------------------------------------------------------ */
/* The canvas and the header: private widgets that draw for the view.  */

#define LAB_TYPE_LADDER_CANVAS (lab_ladder_canvas_get_type ())
G_DECLARE_FINAL_TYPE (LabLadderCanvas, lab_ladder_canvas, LAB, LADDER_CANVAS, GtkWidget)
struct _LabLadderCanvas
{
  GtkWidget parent_instance;
};
G_DEFINE_FINAL_TYPE (LabLadderCanvas, lab_ladder_canvas, GTK_TYPE_WIDGET)

#define LAB_TYPE_LADDER_HEADER (lab_ladder_header_get_type ())
G_DECLARE_FINAL_TYPE (LabLadderHeader, lab_ladder_header, LAB, LADDER_HEADER, GtkWidget)
struct _LabLadderHeader
{
  GtkWidget parent_instance;
};
G_DEFINE_FINAL_TYPE (LabLadderHeader, lab_ladder_header, GTK_TYPE_WIDGET)

G_DEFINE_FINAL_TYPE (LabLadderView, lab_ladder_view, GTK_TYPE_WIDGET)

static void announce_selected (LabLadderView *self);

enum { PROP_0, PROP_SESSION, PROP_SELECTED, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void relayout (LabLadderView *self, gboolean rebuild);

/* ------------------------------------------------------------------ */
/* Geometry and colours                                                */

typedef struct
{
  double gutter;   /* step numbers */
  double client;   /* x of the client's lifeline */
  double server;
  double attacker; /* between them, when the run has an attacker (else < 0) */
} Lanes;

static double
font_line_height (GtkWidget *widget, double *char_w)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, "Ag0123456789");
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (char_w)
    *char_w = w / 12.0;
  return h;
}

static LabLadderView *
view_of (GtkWidget *child)
{
  return LAB_LADDER_VIEW (gtk_widget_get_ancestor (child, LAB_TYPE_LADDER_VIEW));
}

static Lanes
lanes_for (GtkWidget *widget, double width)
{
  LabLadderView *view = view_of (widget);
  double cw;
  Lanes l;

  font_line_height (widget, &cw);
  l.gutter = cw * 4.5;
  l.client = l.gutter + (width - l.gutter) * 0.11;
  l.server = width - (width - l.gutter) * 0.11;
  l.attacker = view && view->attacker ? (l.client + l.server) / 2 : -1;
  return l;
}

static double
lane_x (const Lanes *l, TlsActor actor)
{
  if (actor == TLS_ACTOR_ATTACKER && l->attacker >= 0)
    return l->attacker;
  return actor == TLS_ACTOR_CLIENT ? l->client : l->server;
}

typedef struct
{
  GdkRGBA fg, dim, accent, success, error, warning, derive, encrypted, bg_accent, bg;
} Palette;

static void
lookup (GtkWidget *w, const char *name, const char *fallback, GdkRGBA *out)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (w), name, out))
    gdk_rgba_parse (out, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
palette_for (GtkWidget *w, Palette *p)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (w), &p->fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  p->dim = p->fg;
  p->dim.alpha *= 0.55f;
  lookup (w, "accent_bg_color", "#3584e4", &p->accent);
  lookup (w, "success_color", "#26a269", &p->success);
  lookup (w, "error_color", "#c01c28", &p->error);
  lookup (w, "warning_color", "#c64600", &p->warning);
  lookup (w, "lab_derive_color", "#9141ac", &p->derive);
  lookup (w, "lab_encrypted_color", "#c64600", &p->encrypted);
  lookup (w, "window_bg_color", "#fafafa", &p->bg);
  p->bg_accent = p->accent;
  p->bg_accent.alpha = 0.20f;
}

static void
set_source (cairo_t *cr, const GdkRGBA *c, double alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */

static const char *
step_label (const TlsStep *s, char **owned)
{
  *owned = NULL;
  if (s->kind == TLS_STEP_MESSAGE && s->content_type == TLS_CONTENT_CHANGE_CIPHER_SPEC)
    return "[ChangeCipherSpec]";
  return s->title ? tls_step_title_label (s) : "";
}

static const char *
upcoming_label (const LabUpcoming *u)
{
  if (u->entry.content_type == TLS_CONTENT_CHANGE_CIPHER_SPEC)
    return "[ChangeCipherSpec]";
  return tls_shape_entry_name (&u->entry);
}

static gboolean
step_is_arrow (const TlsStep *s)
{
  return s->kind == TLS_STEP_MESSAGE || s->kind == TLS_STEP_ALERT
         || s->kind == TLS_STEP_APPDATA;
}

static double
row_height (LabLadderView *self, LabLadderRowKind kind, const TlsStep *s)
{
  double lh = self->line_h;

  switch (kind)
    {
    case LAB_LADDER_ROW_SEPARATOR:
      return 2.2 * lh;
    case LAB_LADDER_ROW_UPCOMING:
      return 2.3 * lh;
    case LAB_LADDER_ROW_STEP:
    case LAB_LADDER_ROW_RECORDED:
    default:
      return (s && step_is_arrow (s)) ? 2.3 * lh : 1.55 * lh;
    }
}

static double
rows_end (LabLadderView *self, guint n)
{
  Row *r;

  if (n == 0)
    return self->line_h * 0.4;
  r = &g_array_index (self->rows, Row, n - 1);
  return r->y + r->h;
}

static void
push_row (LabLadderView *self, LabLadderRowKind kind, guint index, const TlsStep *s)
{
  Row r = { kind, index, rows_end (self, self->rows->len), row_height (self, kind, s) };

  if (kind == LAB_LADDER_ROW_STEP)
    {
      guint row = self->rows->len;
      g_array_set_size (self->step_rows, MAX (self->step_rows->len, index + 1));
      g_array_index (self->step_rows, guint, index) = row;
    }
  g_array_append_val (self->rows, r);
}

static gboolean
wants_separators (LabLadderView *self)
{
  const TlsScenario *sc = lab_session_get_scenario (self->session);
  const TlsStep *last;
  guint n = lab_session_get_n_recorded (self->session);

  if (sc && sc->connections > 1)
    return TRUE;
  last = n ? lab_session_get_step (self->session, n - 1) : NULL;
  return last && last->connection > 0;
}

/* Lays the rows out again: the base rows (recorded steps) grow as steps
 * are recorded, or are made anew (REBUILD: a rewind, a new run, a new
 * font size); the upcoming rows are made anew each time. */
static void
relayout (LabLadderView *self, gboolean rebuild)
{
  guint n;
  gboolean seps;
  double old_lh = self->line_h;

  self->line_h = font_line_height (self->canvas, NULL);
  if (old_lh != self->line_h)
    rebuild = TRUE;
  if (rebuild)
    {
      g_array_set_size (self->rows, 0);
      g_array_set_size (self->step_rows, 0);
      self->n_base_rows = 0;
      self->n_built = 0;
      self->last_conn = G_MAXUINT;
    }
  g_array_set_size (self->rows, self->n_base_rows);
  g_array_set_size (self->upcoming, 0);

  if (self->session != NULL)
    {
      n = lab_session_get_n_recorded (self->session);
      if (n < self->n_built)
        {
          relayout (self, TRUE);
          return;
        }
      seps = wants_separators (self);
      {
        /* the attacker's lane: a run with an attack, or a trace with its steps */
        const TlsScenario *sc = lab_session_get_scenario (self->session);
        if (self->n_built == 0)
          self->attacker = sc != NULL && sc->attack != NULL && *sc->attack != '\0';
      }
      for (guint i = self->n_built; i < n; i++)
        {
          const TlsStep *s = lab_session_get_step (self->session, i);

          if (s->actor == TLS_ACTOR_ATTACKER)
            self->attacker = TRUE;

          /* at the lesson level a step grouped under another has no row
           * (it opens under its step in the inspector) */
          if (!lab_session_shows_step (self->session, i))
            {
              g_array_set_size (self->step_rows, MAX (self->step_rows->len, i + 1));
              g_array_index (self->step_rows, guint, i) = G_MAXUINT;
              continue;
            }
          if (seps && s->connection != self->last_conn)
            push_row (self, LAB_LADDER_ROW_SEPARATOR, s->connection, NULL);
          self->last_conn = s->connection;
          push_row (self, LAB_LADDER_ROW_STEP, i, s);
        }
      self->n_built = n;
      self->n_base_rows = self->rows->len;

      {
        g_autoptr (GArray) up = lab_session_get_upcoming (self->session);
        guint conn = self->last_conn;

        g_array_append_vals (self->upcoming, up->data, up->len);
        for (guint i = 0; i < up->len; i++)
          {
            LabUpcoming *u = &g_array_index (up, LabUpcoming, i);
            if (seps && u->connection != conn)
              push_row (self, LAB_LADDER_ROW_SEPARATOR, u->connection, NULL);
            conn = u->connection;
            push_row (self, LAB_LADDER_ROW_UPCOMING, i, NULL);
          }
      }
    }
  gtk_widget_queue_resize (self->canvas);
  gtk_widget_queue_draw (self->canvas);
}

static LabLadderRowKind
effective_kind (LabLadderView *self, const Row *r)
{
  if (r->kind == LAB_LADDER_ROW_STEP && r->index >= lab_session_get_position (self->session))
    return LAB_LADDER_ROW_RECORDED;
  return r->kind;
}

/* The first row whose bottom is below Y. */
static guint
row_at_y (LabLadderView *self, double y)
{
  guint lo = 0, hi = self->rows->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      Row *r = &g_array_index (self->rows, Row, mid);
      if (r->y + r->h <= y)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static int
row_of_step (LabLadderView *self, guint index)
{
  if (index >= self->step_rows->len || g_array_index (self->step_rows, guint, index) == G_MAXUINT)
    return -1;
  return (int) g_array_index (self->step_rows, guint, index);
}

static void
scroll_to_current (LabLadderView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint pos = self->session ? lab_session_get_position (self->session) : 0;
  double value = gtk_adjustment_get_value (adj);
  double page = gtk_adjustment_get_page_size (adj);
  double top, bottom;
  int row;

  if (page <= 0)
    return;
  if (pos == 0)
    {
      gtk_adjustment_set_value (adj, 0);
      return;
    }
  row = lab_session_get_current (self->session) >= 0
        ? row_of_step (self, (guint) lab_session_get_current (self->session)) : -1;
  if (row < 0)
    return;
  top = g_array_index (self->rows, Row, row).y;
  bottom = top + g_array_index (self->rows, Row, row).h;
  /* keep the current step in the upper two thirds, so what comes next
   * shows below it */
  if (top < value + self->line_h || bottom > value + page * 0.66)
    gtk_adjustment_set_value (adj, MAX (0, bottom - page * 0.5));
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */

static PangoLayout *
make_layout (GtkWidget *w, const char *text, double scale, gboolean bold, gboolean italic)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (w, text);
  const PangoFontDescription *base = pango_context_get_font_description (pango_layout_get_context (layout));
  PangoFontDescription *d = pango_font_description_copy (base);

  if (scale != 1.0)
    {
      int size = pango_font_description_get_size (d);
      if (pango_font_description_get_size_is_absolute (d))
        pango_font_description_set_absolute_size (d, size * scale);
      else
        pango_font_description_set_size (d, (int) (size * scale));
    }
  if (bold)
    pango_font_description_set_weight (d, PANGO_WEIGHT_BOLD);
  if (italic)
    pango_font_description_set_style (d, PANGO_STYLE_ITALIC);
  pango_layout_set_font_description (layout, d);
  pango_font_description_free (d);
  return layout;
}

/* A step moves the highlight, so the whole visible ladder is drawn again
 * at each step, with the same few dozen texts: their layouts are kept
 * (shaped once) until the style changes (zoom, theme).  Borrowed. */
static PangoLayout *
layout_for (LabLadderView *self, GtkWidget *w, const char *text, double scale,
            gboolean bold, gboolean italic)
{
  g_autofree char *key = g_strdup_printf ("%p|%.3f|%d|%d|%s", (void *) w, scale, bold, italic, text);
  PangoLayout *layout = g_hash_table_lookup (self->layouts, key);

  if (layout == NULL)
    {
      layout = make_layout (w, text, scale, bold, italic);
      g_hash_table_insert (self->layouts, g_steal_pointer (&key), layout);
    }
  return layout;
}

/* Called where no layout is held: at the start of a frame, or when the
 * style changed. */
static void
forget_layouts (LabLadderView *self, gboolean all)
{
  /* step numbers and titles of a long run: keep it bounded */
  if (all || g_hash_table_size (self->layouts) > 2048)
    g_hash_table_remove_all (self->layouts);
}

static void
show_text (cairo_t *cr, PangoLayout *layout, double x, double y, double max_w,
           int align /* -1 left, 0 centre, 1 right of x */)
{
  int w, h;

  if (max_w > 0)
    {
      pango_layout_set_width (layout, (int) (max_w * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  if (align == 0)
    x -= w / 2.0;
  else if (align > 0)
    x -= w;
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_padlock (cairo_t *cr, double x, double y, double s)
{
  /* body */
  cairo_rectangle (cr, x, y + s * 0.45, s, s * 0.55);
  cairo_fill (cr);
  /* shackle */
  cairo_set_line_width (cr, MAX (1.5, s * 0.14));
  cairo_arc (cr, x + s / 2, y + s * 0.45, s * 0.3, M_PI, 2 * M_PI);
  cairo_stroke (cr);
}

static void
draw_arrow (cairo_t *cr, double x0, double x1, double y, double head, double width, gboolean dashed)
{
  double dir = x1 > x0 ? 1 : -1;

  cairo_set_line_width (cr, width);
  if (dashed)
    {
      double d[] = { width * 3, width * 2.5 };
      cairo_set_dash (cr, d, 2, 0);
    }
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1 - dir * head, y);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_move_to (cr, x1, y);
  cairo_line_to (cr, x1 - dir * head * 1.4, y - head * 0.6);
  cairo_line_to (cr, x1 - dir * head * 1.4, y + head * 0.6);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_message (LabLadderView *self, GtkWidget *w, cairo_t *cr, const Lanes *l, const Palette *p,
              const Row *r, TlsActor from, const char *label, gboolean encrypted,
              gboolean is_ccs, gboolean is_alert, gboolean faint, gboolean current)
{
  double lh = self->line_h;
  double x0 = from == TLS_ACTOR_CLIENT ? l->client : l->server;
  double x1 = from == TLS_ACTOR_CLIENT ? l->server : l->client;
  double y = r->y + r->h * 0.72;
  double mid = (l->client + l->server) / 2;
  const GdkRGBA *c = is_alert ? &p->error : encrypted ? &p->encrypted : &p->fg;
  PangoLayout *layout = layout_for (self, w, label, current ? 1.12 : 1.05, TRUE, is_ccs);
  double span = l->server - l->client - lh * 2.5;
  int tw, th;

  set_source (cr, c, faint ? 0.9 : 1.0);
  draw_arrow (cr, x0, x1, y, lh * 0.35, current ? 3.5 : 2.5, is_ccs || faint);

  pango_layout_get_pixel_size (layout, &tw, &th);
  if (l->attacker >= 0)
    {
      /* the attacker's lifeline passes behind the label, not through it */
      double bw = MIN (tw, span) + lh * 0.4;
      set_source (cr, &p->bg, 1.0);
      cairo_rectangle (cr, mid - bw / 2, y - th - lh * 0.15, bw, th);
      cairo_fill (cr);
    }
  set_source (cr, is_alert ? &p->error : &p->fg, 1.0);
  show_text (cr, layout, mid, y - th - lh * 0.15, span, 0);
  if (encrypted)
    {
      double s = lh * 0.6;
      double tx = mid - MIN (tw, span) / 2.0 - s - lh * 0.3;
      set_source (cr, &p->encrypted, 1.0);
      draw_padlock (cr, tx, y - th / 2.0 - lh * 0.15 - s * 0.55, s);
    }
}

static void
draw_marker (LabLadderView *self, GtkWidget *w, cairo_t *cr, const Lanes *l, const Palette *p,
             const Row *r, const TlsStep *s, gboolean current)
{
  double lh = self->line_h;
  double x = lane_x (l, s->actor);
  double y = r->y + r->h / 2;
  double m = lh * 0.36;
  double span = l->server - l->client - lh * 1.6;
  gboolean attacker = s->actor == TLS_ACTOR_ATTACKER;

  if (attacker)
    {
      /* the attacker's action, on its lane between the lifelines: a red
       * disc with a cross, then its title, over a tinted band */
      PangoLayout *al = layout_for (self, w, s->title ? tls_step_title_label (s) : "", 0.95, TRUE, FALSE);
      double room = l->server - l->client - lh * 1.2 - m * 3;
      double band, left;
      int aw, ah;

      pango_layout_set_width (al, (int) (room * PANGO_SCALE));
      pango_layout_set_ellipsize (al, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (al, &aw, &ah);
      band = aw + m * 3 + lh * 0.6;
      left = CLAMP (x - band / 2, l->client + lh * 0.3, l->server - lh * 0.3 - band);
      set_source (cr, &p->bg, 1.0);
      cairo_rectangle (cr, left, y - ah / 2.0 - 2, band, ah + 4);
      cairo_fill (cr);
      set_source (cr, &p->error, 0.12);
      cairo_rectangle (cr, left, y - ah / 2.0 - 2, band, ah + 4);
      cairo_fill (cr);
      x = left + lh * 0.2 + m * 1.3;
      set_source (cr, &p->error, 1.0);
      cairo_arc (cr, x, y, m * 1.3, 0, 2 * M_PI);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, MAX (2, m * 0.32));
      cairo_move_to (cr, x - m * 0.6, y - m * 0.6);
      cairo_line_to (cr, x + m * 0.6, y + m * 0.6);
      cairo_move_to (cr, x + m * 0.6, y - m * 0.6);
      cairo_line_to (cr, x - m * 0.6, y + m * 0.6);
      cairo_stroke (cr);
      set_source (cr, &p->error, 1.0);
      show_text (cr, al, x + m * 1.7, y - ah / 2.0, 0, -1);
      return;
    }
  PangoLayout *layout = layout_for (self, w, s->title ? tls_step_title_label (s) : "", 0.95, current, FALSE);
  int tw, th;

  switch (s->kind)
    {
    case TLS_STEP_DERIVATION:
      set_source (cr, &p->derive, 1.0);
      cairo_arc (cr, x, y, m, 0, 2 * M_PI);
      cairo_fill (cr);
      break;
    case TLS_STEP_CHECK:
      {
        const GdkRGBA *c = s->result == TLS_CHECK_PASSED ? &p->success
                         : s->result == TLS_CHECK_FAILED ? &p->error : &p->dim;
        set_source (cr, c, 1.0);
        cairo_rectangle (cr, x - m, y - m, 2 * m, 2 * m);
        cairo_fill (cr);
        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_set_line_width (cr, MAX (2, m * 0.3));
        if (s->result == TLS_CHECK_PASSED)
          {
            cairo_move_to (cr, x - m * 0.55, y);
            cairo_line_to (cr, x - m * 0.1, y + m * 0.5);
            cairo_line_to (cr, x + m * 0.6, y - m * 0.5);
          }
        else
          {
            cairo_move_to (cr, x - m * 0.5, y - m * 0.5);
            cairo_line_to (cr, x + m * 0.5, y + m * 0.5);
            cairo_move_to (cr, x + m * 0.5, y - m * 0.5);
            cairo_line_to (cr, x - m * 0.5, y + m * 0.5);
          }
        cairo_stroke (cr);
      }
      break;
    case TLS_STEP_DECISION:
    default:
      set_source (cr, &p->warning, 1.0);
      cairo_move_to (cr, x, y - m * 1.25);
      cairo_line_to (cr, x + m * 1.25, y);
      cairo_line_to (cr, x, y + m * 1.25);
      cairo_line_to (cr, x - m * 1.25, y);
      cairo_close_path (cr);
      cairo_fill (cr);
      break;
    }

  pango_layout_get_pixel_size (layout, &tw, &th);
  if (l->attacker >= 0)
    {
      /* the attacker's lifeline passes behind the label */
      double bw = MIN (tw, span) + lh * 0.3;
      double bx = s->actor == TLS_ACTOR_CLIENT ? x + m * 2 + lh * 0.05 : x - m * 2 - lh * 0.35 - MIN (tw, span);
      set_source (cr, &p->bg, 1.0);
      cairo_rectangle (cr, bx, y - th / 2.0, bw, th);
      cairo_fill (cr);
    }
  set_source (cr, &p->fg, 0.85);
  if (s->actor == TLS_ACTOR_CLIENT)
    show_text (cr, layout, x + m * 2 + lh * 0.2, y - th / 2.0, span, -1);
  else
    show_text (cr, layout, x - m * 2 - lh * 0.2, y - th / 2.0, span, 1);
}

static void
draw_separator (LabLadderView *self, GtkWidget *w, cairo_t *cr, const Lanes *l,
                const Palette *p, const Row *r, double width)
{
  g_autofree char *text = NULL;
  const TlsScenario *sc = lab_session_get_scenario (self->session);
  double y = r->y + r->h * 0.55;
  PangoLayout *layout;
  int tw, th;

  if (r->index > 0 && sc && sc->resume)
    /* Translators: a separator in the ladder; %u is 2, 3, ... */
    text = g_strdup_printf (_("Connection %u: the client offers to resume"), r->index + 1);
  else
    text = g_strdup_printf (_("Connection %u"), r->index + 1);
  layout = layout_for (self, w, text, 0.9, TRUE, FALSE);
  pango_layout_set_width (layout, (int) ((width - l->gutter) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &tw, &th);

  /* the lifelines pass behind the text, not through it */
  set_source (cr, &p->bg, 1.0);
  cairo_rectangle (cr, (width - tw) / 2 - self->line_h * 0.4, y - th / 2.0 - 2,
                   tw + self->line_h * 0.8, th + 4);
  cairo_fill (cr);
  set_source (cr, &p->dim, 0.6);
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, l->gutter * 0.5, y);
  cairo_line_to (cr, (width - tw) / 2 - self->line_h * 0.5, y);
  cairo_move_to (cr, (width + tw) / 2 + self->line_h * 0.5, y);
  cairo_line_to (cr, width - l->gutter * 0.5, y);
  cairo_stroke (cr);
  set_source (cr, &p->fg, 0.8);
  show_text (cr, layout, width / 2, y - th / 2.0, 0, 0);
}

static void
draw_rows (LabLadderView *self, GtkWidget *w, cairo_t *cr, double width,
           double top, double bottom)
{
  Palette p;
  Lanes l = lanes_for (w, width);
  guint pos = lab_session_get_position (self->session);
  guint first = row_at_y (self, top);
  double end = rows_end (self, self->rows->len);

  palette_for (w, &p);

  /* lifelines: solid as far as the run has gone, dashed after */
  {
    double done_y = self->line_h * 0.4;
    int current = lab_session_get_current (self->session);
    int row = pos && current >= 0 ? row_of_step (self, (guint) current) : -1;
    if (row >= 0)
      done_y = g_array_index (self->rows, Row, row).y + g_array_index (self->rows, Row, row).h;
    set_source (cr, &p.dim, 1.0);
    cairo_set_line_width (cr, 3);
    if (l.attacker >= 0)
      {
        /* the attacker's lane: red and thin, dashed as far as the run has gone */
        double d[] = { 3, 5 };
        set_source (cr, &p.error, 0.7);
        cairo_set_line_width (cr, 2);
        cairo_set_dash (cr, d, 2, 0);
        cairo_move_to (cr, l.attacker, MAX (0, top));
        cairo_line_to (cr, l.attacker, MIN (end + self->line_h, bottom));
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
        set_source (cr, &p.dim, 1.0);
        cairo_set_line_width (cr, 3);
      }
    for (int side = 0; side < 2; side++)
      {
        double x = side ? l.server : l.client;
        cairo_move_to (cr, x, MAX (0, top));
        cairo_line_to (cr, x, MIN (done_y, bottom));
        cairo_stroke (cr);
        if (done_y < bottom)
          {
            double d[] = { 6, 6 };
            cairo_set_dash (cr, d, 2, 0);
            set_source (cr, &p.dim, 0.5);
            cairo_move_to (cr, x, MAX (done_y, top));
            cairo_line_to (cr, x, MIN (end + self->line_h, bottom));
            cairo_stroke (cr);
            cairo_set_dash (cr, NULL, 0, 0);
            set_source (cr, &p.dim, 1.0);
          }
      }
  }

  for (guint i = first; i < self->rows->len; i++)
    {
      Row *r = &g_array_index (self->rows, Row, i);
      LabLadderRowKind kind = effective_kind (self, r);
      gboolean faint = kind == LAB_LADDER_ROW_RECORDED || kind == LAB_LADDER_ROW_UPCOMING;
      gboolean current = kind == LAB_LADDER_ROW_STEP && r->index + 1 == pos;
      gboolean selected = kind == LAB_LADDER_ROW_STEP && (int) r->index == self->selected;

      if (r->y > bottom)
        break;

      if (current)
        {
          set_source (cr, &p.bg_accent, 1.0);
          cairo_rectangle (cr, 0, r->y, width, r->h);
          cairo_fill (cr);
          set_source (cr, &p.accent, 1.0);
          cairo_rectangle (cr, 0, r->y, 6, r->h);
          cairo_fill (cr);
        }
      if (selected && !current)
        {
          set_source (cr, &p.accent, 1.0);
          cairo_set_line_width (cr, 2.5);
          cairo_rectangle (cr, 2, r->y + 1.5, width - 4, r->h - 3);
          cairo_stroke (cr);
        }

      if (faint)
        cairo_push_group (cr);

      if (kind == LAB_LADDER_ROW_SEPARATOR)
        draw_separator (self, w, cr, &l, &p, r, width);
      else if (kind == LAB_LADDER_ROW_UPCOMING)
        {
          LabUpcoming *u = &g_array_index (self->upcoming, LabUpcoming, r->index);
          draw_message (self, w, cr, &l, &p, r, u->entry.from, upcoming_label (u),
                        u->entry.encrypted,
                        u->entry.content_type == TLS_CONTENT_CHANGE_CIPHER_SPEC,
                        FALSE, TRUE, FALSE);
        }
      else
        {
          const TlsStep *s = lab_session_get_step (self->session, r->index);
          g_autofree char *owned = NULL;
          g_autofree char *num = g_strdup_printf ("%u", r->index + 1);
          PangoLayout *nl = layout_for (self, w, num, 0.85, current, FALSE);
          int nw, nh;

          if (s == NULL)
            continue;
          pango_layout_get_pixel_size (nl, &nw, &nh);
          set_source (cr, current ? &p.accent : &p.dim, 1.0);
          show_text (cr, nl, l.gutter - self->line_h * 0.3,
                     step_is_arrow (s) ? r->y + r->h * 0.72 - nh / 2.0 : r->y + (r->h - nh) / 2, 0, 1);

          if (step_is_arrow (s))
            draw_message (self, w, cr, &l, &p, r, s->actor, step_label (s, &owned),
                          s->encrypted, s->content_type == TLS_CONTENT_CHANGE_CIPHER_SPEC,
                          /* close_notify (a warning) is a normal end, not an error */
                          tls_step_outcome (s) == TLS_OUTCOME_FATAL,
                          faint, current);
          else
            draw_marker (self, w, cr, &l, &p, r, s, current);
        }

      if (faint)
        {
          cairo_pop_group_to_source (cr);
          cairo_paint_with_alpha (cr, 0.32);
        }
    }
}

static void
lab_ladder_canvas_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  LabLadderView *self = view_of (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double top = 0, bottom = height;
  GtkAdjustment *adj;
  cairo_t *cr;

  if (self == NULL || self->session == NULL || width <= 0 || height <= 0)
    return;
  forget_layouts (self, FALSE);
  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  if (gtk_adjustment_get_page_size (adj) > 0)
    {
      top = gtk_adjustment_get_value (adj);
      bottom = MIN (height, top + gtk_adjustment_get_page_size (adj));
    }
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, top, width, bottom - top));
  cairo_rectangle (cr, 0, top, width, bottom - top);
  cairo_clip (cr);
  draw_rows (self, widget, cr, width, top, bottom);
  cairo_destroy (cr);
}

static void
lab_ladder_canvas_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *min_baseline, int *nat_baseline)
{
  LabLadderView *self = view_of (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      double cw;
      font_line_height (widget, &cw);
      /* narrow enough for a 1024-pixel projector at zoom 3 (stacked) */
      *minimum = (int) (cw * 26);
      *natural = (int) (cw * 60);
    }
  else
    *minimum = *natural = self ? (int) ceil (rows_end (self, self->rows->len) + (self->line_h * 1.5)) : 0;
}

static void
lab_ladder_canvas_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  LabLadderView *self = view_of (widget);

  GTK_WIDGET_CLASS (lab_ladder_canvas_parent_class)->css_changed (widget, change);
  if (self != NULL && self->layouts != NULL)
    forget_layouts (self, TRUE);
  if (self != NULL && self->rows != NULL)
    relayout (self, FALSE);   /* rebuilds when the line height changed */
}

static void
lab_ladder_canvas_class_init (LabLadderCanvasClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = lab_ladder_canvas_snapshot;
  widget_class->measure = lab_ladder_canvas_measure;
  widget_class->css_changed = lab_ladder_canvas_css_changed;
  gtk_widget_class_set_css_name (widget_class, "laddercanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lab_ladder_canvas_init (LabLadderCanvas *self)
{
}

static void
lab_ladder_header_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  LabLadderView *view = view_of (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  Lanes l = lanes_for (widget, width);
  Palette p;
  cairo_t *cr;
  const char *names[2] = { _("Client"), _("Server") };
  int peer = -1;

  /* live: which side is the real peer (the other is ours) */
  if (view && view->session && lab_session_get_mode (view->session) == LAB_SESSION_LIVE)
    for (guint i = 0; i < lab_session_get_n_recorded (view->session) && peer < 0; i++)
      {
        const TlsStep *s = lab_session_get_step (view->session, i);
        if (s->observed)
          peer = s->actor == TLS_ACTOR_CLIENT ? 0 : 1;
      }

  if (view == NULL)
    return;
  palette_for (widget, &p);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (int side = 0; side < 2; side++)
    {
      PangoLayout *layout = layout_for (view, widget, names[side], 1.15, TRUE, FALSE);
      double x = side ? l.server : l.client;
      int tw, th;
      double bw, bh;

      pango_layout_get_pixel_size (layout, &tw, &th);
      bw = tw + th * 1.2;
      bh = th * 1.5;
      /* keep the box inside the header */
      x = CLAMP (x, bw / 2 + 2, width - bw / 2 - 2);
      set_source (cr, &p.fg, 0.08);
      cairo_rectangle (cr, x - bw / 2, (height - bh) / 2, bw, bh);
      cairo_fill_preserve (cr);
      set_source (cr, side == peer ? &p.accent : &p.dim, 1.0);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      set_source (cr, &p.fg, 1.0);
      show_text (cr, layout, x, (height - th) / 2.0, 0, 0);
      if (side == 1 && l.attacker >= 0)
        {
          /* Translators: the lane of the man-in-the-middle in the ladder's header */
          PangoLayout *al = layout_for (view, widget, _("Attacker"), 1.05, TRUE, FALSE);
          int aw, ah;
          double abw, abh;
          pango_layout_get_pixel_size (al, &aw, &ah);
          abw = aw + ah * 1.2;
          abh = ah * 1.5;
          set_source (cr, &p.error, 0.12);
          cairo_rectangle (cr, l.attacker - abw / 2, (height - abh) / 2, abw, abh);
          cairo_fill_preserve (cr);
          set_source (cr, &p.error, 1.0);
          cairo_set_line_width (cr, 2);
          cairo_stroke (cr);
          show_text (cr, al, l.attacker, (height - ah) / 2.0, 0, 0);
        }
      if (side == peer || (peer >= 0 && side != peer))
        {
          /* Translators: under "Client" / "Server" in live mode */
          PangoLayout *tag = layout_for (view, widget, side == peer ? _("real peer") : _("ours"),
                                         0.8, FALSE, TRUE);
          int gw, gh;
          pango_layout_get_pixel_size (tag, &gw, &gh);
          set_source (cr, side == peer ? &p.accent : &p.dim, 1.0);
          show_text (cr, tag, side ? x - bw / 2 - th * 0.4 : x + bw / 2 + th * 0.4,
                     (height - gh) / 2.0, 0, side ? 1 : -1);
        }
    }
  cairo_destroy (cr);
}

static void
lab_ladder_header_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *min_baseline, int *nat_baseline)
{
  double lh = font_line_height (widget, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 0;
  else
    *minimum = *natural = (int) (lh * 2.6);
}

static void
lab_ladder_header_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  LabLadderView *view = view_of (widget);

  GTK_WIDGET_CLASS (lab_ladder_header_parent_class)->css_changed (widget, change);
  if (view != NULL && view->layouts != NULL)
    forget_layouts (view, TRUE);
}

static void
lab_ladder_header_class_init (LabLadderHeaderClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->css_changed = lab_ladder_header_css_changed;

  widget_class->snapshot = lab_ladder_header_snapshot;
  widget_class->measure = lab_ladder_header_measure;
  gtk_widget_class_set_css_name (widget_class, "ladderheader");
}

static void
lab_ladder_header_init (LabLadderHeader *self)
{
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added,
                  LabLadderView *self)
{
  relayout (self, FALSE);
  if (lab_session_get_mode (self->session) == LAB_SESSION_LIVE)
    gtk_widget_queue_draw (self->header);
  if (self->selected >= (int) lab_session_get_position (self->session))
    lab_ladder_view_set_selected (self, (int) lab_session_get_position (self->session) - 1);
  self->follow = TRUE;
  gtk_widget_queue_allocate (self->canvas);
}

static void
trace_replaced_cb (LabSession *session, LabLadderView *self)
{
  relayout (self, TRUE);
  self->follow = TRUE;
  gtk_widget_queue_draw (self->header);
}

static void
detail_changed_cb (GObject *object, GParamSpec *pspec, LabLadderView *self)
{
  /* other rows: the steps grouped under others come or go */
  if (self->rows != NULL)
    trace_replaced_cb (self->session, self);
}

static void
state_changed_cb (GObject *object, GParamSpec *pspec, LabLadderView *self)
{
  /* the upcoming rows depend on whether the run is over or busy */
  relayout (self, FALSE);
}

static gboolean
follow_idle_cb (gpointer data)
{
  LabLadderView *self = data;

  self->follow_source = 0;
  self->follow = FALSE;
  scroll_to_current (self);
  return G_SOURCE_REMOVE;
}

static void
page_changed_cb (GtkAdjustment *adj, LabLadderView *self)
{
  /* Scroll once the new height is in the adjustment, and not from
   * inside the allocation that put it there (a value set then is not
   * applied to the viewport). */
  if (self->follow && self->follow_source == 0
      && gtk_adjustment_get_upper (adj) >= rows_end (self, self->rows->len))
    self->follow_source = g_idle_add (follow_idle_cb, self);
  gtk_widget_queue_draw (self->canvas);
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, LabLadderView *self)
{
  gtk_widget_grab_focus (self->canvas);
  if (lab_ladder_view_click (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *key, guint keyval, guint keycode,
                GdkModifierType state, LabLadderView *self)
{
  int n = self->session ? (int) lab_session_get_position (self->session) : 0;

  /* to the step drawn above or below (at the lesson level the steps
   * grouped under others have no row) */
  if (self->session == NULL)
    return FALSE;
  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    {
      for (int i = self->selected - 1; i >= 0; i--)
        if (lab_session_shows_step (self->session, (guint) i))
          {
            lab_ladder_view_set_selected (self, i);
            break;
          }
      return TRUE;
    }
  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    {
      for (int i = self->selected + 1; i < n; i++)
        if (lab_session_shows_step (self->session, (guint) i))
          {
            lab_ladder_view_set_selected (self, i);
            break;
          }
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
lab_ladder_view_dispose (GObject *object)
{
  LabLadderView *self = LAB_LADDER_VIEW (object);

  lab_ladder_view_set_session (self, NULL);
  g_clear_handle_id (&self->follow_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_LADDER_VIEW);
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  G_OBJECT_CLASS (lab_ladder_view_parent_class)->dispose (object);
}

static void
lab_ladder_view_finalize (GObject *object)
{
  LabLadderView *self = LAB_LADDER_VIEW (object);

  g_array_unref (self->rows);
  g_array_unref (self->upcoming);
  g_array_unref (self->step_rows);
  g_hash_table_unref (self->layouts);
  G_OBJECT_CLASS (lab_ladder_view_parent_class)->finalize (object);
}

static void
lab_ladder_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LabLadderView *self = LAB_LADDER_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_ladder_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LabLadderView *self = LAB_LADDER_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      lab_ladder_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_SELECTED:
      lab_ladder_view_set_selected (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_ladder_view_class_init (LabLadderViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_ladder_view_dispose;
  object_class->finalize = lab_ladder_view_finalize;
  object_class->get_property = lab_ladder_view_get_property;
  object_class->set_property = lab_ladder_view_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LAB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LAB_TYPE_LADDER_CANVAS);
  g_type_ensure (LAB_TYPE_LADDER_HEADER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/handshakelab/HandshakeLab/ui/lab-ladder-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LabLadderView, header);
  gtk_widget_class_bind_template_child (widget_class, LabLadderView, scroller);
  gtk_widget_class_bind_template_child (widget_class, LabLadderView, canvas);
  gtk_widget_class_bind_template_child (widget_class, LabLadderView, legend);
  gtk_widget_class_set_css_name (widget_class, "ladderview");
}

static void
lab_ladder_view_init (LabLadderView *self)
{
  GtkGesture *click;
  GtkEventController *key;
  GtkAdjustment *adj;

  self->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  self->upcoming = g_array_new (FALSE, FALSE, sizeof (LabUpcoming));
  self->step_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->selected = -1;
  self->last_conn = G_MAXUINT;
  gtk_widget_init_template (GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (click));
  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (self->canvas, key);

  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect (adj, "changed", G_CALLBACK (page_changed_cb), self);
  g_signal_connect (adj, "value-changed", G_CALLBACK (page_changed_cb), self);
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

GtkWidget *
lab_ladder_view_new (void)
{
  return g_object_new (LAB_TYPE_LADDER_VIEW, NULL);
}

void
lab_ladder_view_set_session (LabLadderView *self, LabSession *session)
{
  g_return_if_fail (LAB_IS_LADDER_VIEW (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }
  if (session != NULL)
    {
      self->session = g_object_ref (session);
      g_signal_connect (session, "items-changed", G_CALLBACK (items_changed_cb), self);
      g_signal_connect (session, "trace-replaced", G_CALLBACK (trace_replaced_cb), self);
      g_signal_connect (session, "notify::finished", G_CALLBACK (state_changed_cb), self);
      g_signal_connect (session, "notify::busy", G_CALLBACK (state_changed_cb), self);
      g_signal_connect (session, "notify::detail", G_CALLBACK (detail_changed_cb), self);
    }
  self->selected = session && lab_session_get_position (session)
                   ? (int) lab_session_get_position (session) - 1 : -1;
  if (self->rows != NULL)
    relayout (self, TRUE);
  self->follow = TRUE;
  announce_selected (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

LabSession *
lab_ladder_view_get_session (LabLadderView *self)
{
  g_return_val_if_fail (LAB_IS_LADDER_VIEW (self), NULL);
  return self->session;
}

int
lab_ladder_view_get_selected (LabLadderView *self)
{
  g_return_val_if_fail (LAB_IS_LADDER_VIEW (self), -1);
  return self->selected;
}

void
lab_ladder_view_set_selected (LabLadderView *self, int index)
{
  g_return_if_fail (LAB_IS_LADDER_VIEW (self));

  if (self->session == NULL || index >= (int) lab_session_get_position (self->session))
    index = -1;
  if (index < -1)
    index = -1;
  if (index == self->selected)
    return;
  self->selected = index;
  gtk_widget_queue_draw (self->canvas);
  announce_selected (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* Screen readers: the ladder is drawn, so its accessible description says
 * which step is selected (GTK 4.8 has no announcement API: an assistive
 * technology reads the description when it changes). */
static void
announce_selected (LabLadderView *self)
{
  const TlsStep *s = self->session && self->selected >= 0
                     ? lab_session_get_step (self->session, (guint) self->selected) : NULL;
  g_autofree char *text = NULL;

  if (s == NULL)
    text = g_strdup (_("No step selected"));
  else
    /* Translators: the ladder's selected step for a screen reader:
     * "Step 5 of 81: ServerHello, server" */
    text = g_strdup_printf (_("Step %u of %u: %s, %s"), s->index + 1,
                            lab_session_get_position (self->session),
                            tls_step_title_label (s), tls_actor_label (s->actor));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

guint
lab_ladder_view_get_n_rows (LabLadderView *self, LabLadderRowKind kind)
{
  guint n = 0;

  g_return_val_if_fail (LAB_IS_LADDER_VIEW (self), 0);
  for (guint i = 0; i < self->rows->len; i++)
    if (effective_kind (self, &g_array_index (self->rows, Row, i)) == kind)
      n++;
  return n;
}

gboolean
lab_ladder_view_get_row (LabLadderView *self, guint row, LabLadderRowKind *kind,
                         int *step, char **label)
{
  Row *r;
  LabLadderRowKind k;
  char *owned = NULL;

  g_return_val_if_fail (LAB_IS_LADDER_VIEW (self), FALSE);
  if (row >= self->rows->len)
    return FALSE;
  r = &g_array_index (self->rows, Row, row);
  k = effective_kind (self, r);
  if (kind)
    *kind = k;
  if (step)
    *step = (k == LAB_LADDER_ROW_STEP || k == LAB_LADDER_ROW_RECORDED) ? (int) r->index : -1;
  if (label)
    {
      if (k == LAB_LADDER_ROW_UPCOMING)
        *label = g_strdup (upcoming_label (&g_array_index (self->upcoming, LabUpcoming, r->index)));
      else if (k == LAB_LADDER_ROW_SEPARATOR)
        *label = g_strdup_printf ("connection %u", r->index + 1);
      else
        {
          const TlsStep *s = lab_session_get_step (self->session, r->index);
          *label = g_strdup (s ? step_label (s, &owned) : "");
          g_free (owned);
        }
    }
  return TRUE;
}

int
lab_ladder_view_step_at (LabLadderView *self, double x, double y)
{
  guint i;
  Row *r;

  g_return_val_if_fail (LAB_IS_LADDER_VIEW (self), -1);
  i = row_at_y (self, y);
  if (i >= self->rows->len)
    return -1;
  r = &g_array_index (self->rows, Row, i);
  if (y < r->y || effective_kind (self, r) != LAB_LADDER_ROW_STEP)
    return -1;
  return (int) r->index;
}

gboolean
lab_ladder_view_click (LabLadderView *self, double x, double y)
{
  int step = lab_ladder_view_step_at (self, x, y);

  if (step < 0)
    return FALSE;
  lab_ladder_view_set_selected (self, step);
  return TRUE;
}

gboolean
lab_ladder_view_step_point (LabLadderView *self, guint index, double *x, double *y)
{
  int row;
  Row *r;

  g_return_val_if_fail (LAB_IS_LADDER_VIEW (self), FALSE);
  row = row_of_step (self, index);
  if (row < 0)
    return FALSE;
  r = &g_array_index (self->rows, Row, row);
  *x = gtk_widget_get_width (self->canvas) / 2.0;
  *y = r->y + r->h / 2;
  return TRUE;
}

void
lab_ladder_view_set_legend_visible (LabLadderView *self, gboolean visible)
{
  g_return_if_fail (LAB_IS_LADDER_VIEW (self));
  gtk_widget_set_visible (self->legend, visible);
}
