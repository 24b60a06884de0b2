/* lab-inspector.c — the selected step in detail. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "lab-inspector.h"
#include "tls-trace-align.h"
#include "lab-field.h"
#include "lab-step-group.h"
#include "tls-alert.h"
#include "tls-types.h"
#include "tls-x509.h"

/* A key and its value on one line ("Why   the client offered ..."). */
typedef struct
{
  GtkWidget *box;
  GtkWidget *value;
} PairRow;

/* An input or output of a step (name, size, where it came from, note,
 * bytes in hex or a quoted text). */
typedef struct
{
  GtkWidget *card;
  GtkWidget *name;
  GtkWidget *size;
  GtkWidget *link;
  GtkWidget *note;
  GtkWidget *hex;
  GtkWidget *text;
  int        link_target;
} ValueCard;

/* A heading over as many value cards as a step has values: the cards
 * are made when first needed, then filled again. */
typedef struct
{
  GtkWidget *heading;   /* or NULL */
  GtkWidget *box;
  GPtrArray *cards;     /* of ValueCard */
} CardList;

/* A row of a boxed list: a mark, a text, a tag ("chosen"). */
typedef struct
{
  GtkWidget *row;
  GtkWidget *mark;
  GtkWidget *text;
  GtkWidget *tag;
  int        target;
} ListRow;

/* A card per certificate: subject, issuer, validity, key, names. */
typedef struct
{
  GtkWidget *card;
  GtkWidget *title;
  PairRow    subject, issuer, valid, key, names;
} CertCard;

/* The pages of the steps that are not messages: one per kind, made once
 * (lab_inspector_init) and filled for each step, so a step changes the
 * text of labels that exist instead of making new widgets (issue 5: a
 * step within a frame). */
typedef struct
{
  GtkWidget *page;
  GtkWidget *formula_heading;
  GtkWidget *formula;
  CardList   inputs, outputs;
} DerivationPage;

typedef struct
{
  GtkWidget *page;
  GtkWidget *banner;
  PairRow    subject, against;
  CardList   evidence, outputs;
  GtkWidget *certs_heading;
  GtkWidget *certs_box;
  GPtrArray *certs;          /* of CertCard */
  GtkWidget *checks_heading;
  GtkWidget *checks_list;
  GPtrArray *check_rows;     /* of ListRow */
} CheckPage;

typedef struct
{
  GtkWidget *page;
  GtkWidget *banner;
  PairRow    why;
  GtkWidget *options_heading;
  GtkWidget *options_list;
  GPtrArray *option_rows;    /* of ListRow */
  CardList   inputs, outputs;
} DecisionPage;

typedef struct
{
  GtkWidget *page;
  GtkWidget *banner;
  PairRow    why;
  GtkWidget *bytes_heading;
  GtkWidget *bytes;
  GtkWidget *note;
} AlertPage;

struct _LabInspector
{
  GtkWidget           parent_instance;

  /* template */
  GtkWidget          *content;
  LabStepGroup       *step_group;
  GtkLabel           *kind_badge;
  GtkLabel           *title_label;
  GtkLabel           *subtitle_label;
  GtkStack           *pages;
  GtkToggleButton    *message_toggle;
  GtkToggleButton    *wire_toggle;
  GtkWidget          *legend_box;
  GtkListView        *field_list;
  GtkLabel           *field_info;
  GtkWidget          *hex_scroller;
  LabHexView         *hex_view;
  GtkWidget          *detail_box;
  GtkScrolledWindow  *detail_scroller;
  GtkLabel           *explanation_label;
  GtkLabel           *rfc_label;
  GtkScrolledWindow  *explanation_scroller;
  GtkEntry           *note_entry;
  gboolean            setting_note;  /* the entry's text set by us, not typed */
  GtkEventController *note_keys;     /* on the window while the entry has focus */
  GtkWidget          *note_keys_root;

  LabSession         *session;
  int                 step;
  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;
  TlsField           *root;       /* the copy the tree shows (owned by its LabFields) */
  gboolean            syncing;    /* a selection change made by us */
  GHashTable         *cert_cache;  /* step index -> GArray of CertEntry */
  DerivationPage      derivation;
  CheckPage           check;
  DecisionPage        decision;
  AlertPage           alert;
  GtkWidget          *legend_chips[LAB_HEX_N_SPANS];
  int                 shown_step;   /* the step the pages were filled for */
  int                 explained_width;
  int                 explained_height;   /* -1: to measure */
  gboolean            presenter;
  gboolean            narrow;
  /* compared with a step of another run (the compare view) */
  const TlsStep      *counterpart;
  GArray             *diff_spans;   /* of FieldSpan: fields of the step shown that differ */
  gboolean            showing_wire;
};

typedef struct
{
  gsize    offset, length;
  gboolean whole;   /* the hex view marks it whole (no byte of it marked alone) */
} FieldSpan;

G_DEFINE_FINAL_TYPE (LabInspector, lab_inspector, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SESSION, PROP_STEP, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void show_step (LabInspector *self);

/* ------------------------------------------------------------------ */
/* Small builders                                                      */

/* Sets TEXT (NULL: "") only when it differs, so that an unchanged label
 * keeps its layout and is neither measured nor drawn again. */
static void
set_text (GtkWidget *label, const char *text)
{
  if (text == NULL)
    text = "";
  if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), text) != 0)
    gtk_label_set_text (GTK_LABEL (label), text);
}

/* Keeps, of CLASSES (NULL-terminated), CHOSEN alone on W (or none). */
static void
set_css_choice (GtkWidget *w, const char *const *classes, const char *chosen)
{
  for (guint i = 0; classes[i]; i++)
    if (g_strcmp0 (classes[i], chosen) != 0)
      gtk_widget_remove_css_class (w, classes[i]);
  if (chosen)
    gtk_widget_add_css_class (w, chosen);
}

static void
set_css (GtkWidget *w, const char *css, gboolean on)
{
  if (on)
    gtk_widget_add_css_class (w, css);
  else
    gtk_widget_remove_css_class (w, css);
}

static const char *const result_classes[] = { "success", "error", "warning", "accent", NULL };

static GtkWidget *
label_new (const char *text, const char *css, gboolean wrap)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_selectable (GTK_LABEL (l), TRUE);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD_CHAR);
    }
  if (css)
    {
      g_auto (GStrv) classes = g_strsplit (css, " ", -1);
      for (guint i = 0; classes[i]; i++)
        gtk_widget_add_css_class (l, classes[i]);
    }
  return l;
}

/* Narrow (large type for the width: a projector at zoom 2 or 3), the
 * one-line labels of the detail pages wrap, so the inspector reflows
 * instead of growing wider than the window; otherwise they stay one line
 * (a wrapping label costs a height-for-width measure at every step). */
static void
set_wraps (GtkWidget *w, gboolean wrap)
{
  if (GTK_IS_LABEL (w))
    {
      if (gtk_label_get_wrap (GTK_LABEL (w)) != wrap
          && (gtk_widget_has_css_class (w, "value-name") || gtk_widget_has_css_class (w, "section-heading")
              || gtk_widget_has_css_class (w, "dim-label") || GTK_IS_BUTTON (gtk_widget_get_parent (w))))
        {
          gtk_label_set_wrap (GTK_LABEL (w), wrap);
          gtk_label_set_wrap_mode (GTK_LABEL (w), PANGO_WRAP_WORD_CHAR);
        }
      /* a value's name ("server accepts (in its order of preference)") and
       * a link ("from step 14: Transcript-Hash") are names: on one line
       * they are ellipsized (their tooltips have them whole), so that a
       * long text in a long language does not widen the inspector past
       * the window */
      if (gtk_widget_has_css_class (w, "value-name") || GTK_IS_BUTTON (gtk_widget_get_parent (w)))
        gtk_label_set_ellipsize (GTK_LABEL (w), wrap ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    set_wraps (c, wrap);
}

static GtkWidget *
heading_new (GtkWidget *parent, const char *text)
{
  GtkWidget *l = label_new (text, "section-heading", FALSE);
  gtk_label_set_selectable (GTK_LABEL (l), FALSE);
  gtk_widget_set_margin_top (l, 6);
  gtk_box_append (GTK_BOX (parent), l);
  return l;
}

static GtkWidget *
banner_new (GtkWidget *parent)
{
  GtkWidget *l = label_new (NULL, "banner", TRUE);
  gtk_box_append (GTK_BOX (parent), l);
  return l;
}

static void
banner_set (GtkWidget *banner, const char *text, const char *css)
{
  gtk_widget_set_visible (banner, text != NULL);
  set_text (banner, text);
  set_css_choice (banner, result_classes, css);
}

static GtkWidget *
vbox_new (GtkWidget *parent, int spacing)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, spacing);
  if (parent)
    gtk_box_append (GTK_BOX (parent), box);
  return box;
}

/* "0a 1b 2c ..." 16 bytes a line (two groups of 8): laid out by us, so
 * the label need not wrap (a wrapping label is shaped again for every
 * width it is measured at). */
static char *
hex_spaced (GBytes *bytes)
{
  gsize n;
  const guint8 *p = g_bytes_get_data (bytes, &n);
  GString *s = g_string_sized_new (n * 3 + n / 16 + 1);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (s, i % 16 == 0 ? "\n" : i % 8 == 0 ? "  " : " ");
      g_string_append_printf (s, "%02x", p[i]);
    }
  return g_string_free (s, FALSE);
}

/* As hex_spaced, as Pango markup, with the bytes of V that differ from
 * OTHER marked; *N_DIFF gets how many differ. */
static char *
hex_spaced_compared (const TlsTraceValue *v, const TlsTraceValue *other, guint *n_diff)
{
  gsize n;
  const guint8 *p = g_bytes_get_data (v->bytes, &n);
  GString *s = g_string_sized_new (n * 8);

  *n_diff = 0;
  for (gsize i = 0; i < MAX (n, g_bytes_get_size (other->bytes)); i++)
    *n_diff += tls_trace_value_differs_at (v, other, i);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (s, i % 16 == 0 ? "\n" : i % 8 == 0 ? "  " : " ");
      if (tls_trace_value_differs_at (v, other, i))
        g_string_append_printf (s, "<span background=\"#f4a6a6\" foreground=\"#000000\" "
                                   "weight=\"bold\" underline=\"single\">%02x</span>", p[i]);
      else
        g_string_append_printf (s, "%02x", p[i]);
    }
  return g_string_free (s, FALSE);
}

static void
pair_row_init (PairRow *p, GtkWidget *parent, const char *key)
{
  GtkWidget *k = label_new (key, "pair-key", FALSE);

  p->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  p->value = label_new (NULL, "pair-value", TRUE);
  gtk_label_set_selectable (GTK_LABEL (k), FALSE);
  gtk_widget_set_hexpand (p->value, TRUE);
  gtk_box_append (GTK_BOX (p->box), k);
  gtk_box_append (GTK_BOX (p->box), p->value);
  gtk_box_append (GTK_BOX (parent), p->box);
}

/* VALUE NULL hides the row. */
static void
pair_row_set (PairRow *p, const char *value)
{
  gtk_widget_set_visible (p->box, value != NULL);
  if (value)
    set_text (p->value, value);
}

static ValueCard *
value_card_new (GtkWidget *parent)
{
  ValueCard *c = g_new0 (ValueCard, 1);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  c->card = vbox_new (parent, 4);
  gtk_widget_add_css_class (c->card, "card");
  gtk_widget_add_css_class (c->card, "value-card");
  c->name = label_new (NULL, "value-name", FALSE);
  set_wraps (c->name, FALSE);   /* ellipsized, whole in its tooltip */
  c->size = label_new (NULL, "dim-label", FALSE);
  c->link = gtk_button_new ();
  gtk_widget_add_css_class (c->link, "step-link");
  gtk_widget_set_focus_on_click (c->link, FALSE);
  gtk_widget_set_hexpand (c->link, TRUE);
  gtk_widget_set_halign (c->link, GTK_ALIGN_END);
  c->link_target = -1;   /* the action is set with its first target */
  gtk_box_append (GTK_BOX (top), c->name);
  gtk_box_append (GTK_BOX (top), c->size);
  gtk_box_append (GTK_BOX (top), c->link);
  gtk_box_append (GTK_BOX (c->card), top);
  c->note = label_new (NULL, "value-note", TRUE);
  c->hex = label_new (NULL, "value-hex", FALSE);
  c->text = label_new (NULL, "value-text", TRUE);
  gtk_box_append (GTK_BOX (c->card), c->note);
  gtk_box_append (GTK_BOX (c->card), c->hex);
  gtk_box_append (GTK_BOX (c->card), c->text);
  return c;
}

static void
value_card_fill (LabInspector *self, ValueCard *c, const TlsStep *s, const TlsTraceValue *v)
{
  const TlsTraceValue *other = tls_step_compared (s, v);
  const TlsTraceValue *cross = NULL;
  g_autofree char *diff_note = NULL;
  gboolean linked = v->from_step >= 0 && self->session
                    && v->from_step < (int) lab_session_get_n_recorded (self->session);

  set_text (c->name, tls_value_name_label (v->name));   /* stored in English */
  gtk_widget_set_tooltip_text (c->name, tls_value_name_label (v->name));
  gtk_widget_set_visible (c->size, v->bytes != NULL);
  if (v->bytes)
    {
      gsize n = g_bytes_get_size (v->bytes);
      g_autofree char *len = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes", n), n);
      set_text (c->size, len);
    }
  gtk_widget_set_visible (c->link, linked);
  if (linked)
    {
      const TlsStep *src = lab_session_get_step (self->session, v->from_step);
      /* Translators: a link to the step a value came from */
      g_autofree char *text = g_strdup_printf (_("from step %d: %s"), v->from_step + 1,
                                               src && src->title ? tls_step_title_label (src) : "");

      if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c->link)), text) != 0)
        {
          GtkWidget *child;

          gtk_button_set_label (GTK_BUTTON (c->link), text);
          gtk_widget_set_tooltip_text (c->link, text);
          child = gtk_button_get_child (GTK_BUTTON (c->link));
          if (GTK_IS_LABEL (child))
            set_wraps (child, self->narrow);
        }
      if (c->link_target != v->from_step)
        {
          gtk_actionable_set_action_target (GTK_ACTIONABLE (c->link), "i", v->from_step);
          if (c->link_target < 0)
            gtk_actionable_set_action_name (GTK_ACTIONABLE (c->link), "lab.select-step");
          c->link_target = v->from_step;
        }
    }
  gtk_widget_set_visible (c->hex, v->bytes != NULL);
  if (v->bytes && other)
    {
      guint n = 0;
      g_autofree char *markup = hex_spaced_compared (v, other, &n);

      if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (c->hex)), markup) != 0)
        gtk_label_set_markup (GTK_LABEL (c->hex), markup);
      diff_note = n == 0 ? g_strdup_printf (_("equals %s"), tls_value_name_label (other->name))
                         : g_strdup_printf (ngettext ("differs from %s in %u byte (marked)",
                                                      "differs from %s in %u bytes (marked)", n),
                                            tls_value_name_label (other->name), n);
    }
  else if (v->bytes && self->counterpart
           && (cross = tls_step_find_value (self->counterpart, v->name)) != NULL
           && cross->bytes != NULL)
    {
      /* the compare view: the same value of the other run's step */
      guint n = 0;
      g_autofree char *markup = hex_spaced_compared (v, cross, &n);

      if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (c->hex)), markup) != 0)
        gtk_label_set_markup (GTK_LABEL (c->hex), markup);
      diff_note = n == 0 ? g_strdup (_("the same in the other run"))
                         : g_strdup_printf (ngettext ("differs from the other run in %u byte (marked)",
                                                      "differs from the other run in %u bytes (marked)", n),
                                            n);
    }
  else if (v->bytes)
    {
      g_autofree char *hex = hex_spaced (v->bytes);
      set_text (c->hex, hex);
    }
  gtk_widget_set_visible (c->note, (v->note && *v->note) || diff_note);
  if (diff_note)
    {
      g_autofree char *both = v->note && *v->note ? g_strdup_printf ("%s\n%s", v->note, diff_note)
                                                   : g_strdup (diff_note);
      set_text (c->note, both);
    }
  else if (v->note && *v->note)
    set_text (c->note, v->note);
  gtk_widget_set_visible (c->text, v->bytes == NULL && v->text != NULL);
  if (v->bytes == NULL && v->text)
    {
      g_autofree char *quoted = g_strdup_printf ("“%s”", v->text);
      set_text (c->text, quoted);
    }
}

static void
card_list_init (CardList *l, GtkWidget *parent, const char *heading)
{
  l->heading = heading ? heading_new (parent, heading) : NULL;
  l->box = vbox_new (parent, 12);
  l->cards = g_ptr_array_new_with_free_func (g_free);
}

static void
card_list_clear (CardList *l)
{
  g_clear_pointer (&l->cards, g_ptr_array_unref);
}

static void
card_list_fill (LabInspector *self, CardList *l, const TlsStep *s, GPtrArray *values)
{
  guint n = values ? values->len : 0;

  for (guint i = 0; i < n; i++)
    {
      ValueCard *c;

      if (i == l->cards->len)
        g_ptr_array_add (l->cards, value_card_new (l->box));
      c = g_ptr_array_index (l->cards, i);
      value_card_fill (self, c, s, g_ptr_array_index (values, i));
      gtk_widget_set_visible (c->card, TRUE);
    }
  for (guint i = n; i < l->cards->len; i++)
    gtk_widget_set_visible (((ValueCard *) g_ptr_array_index (l->cards, i))->card, FALSE);
  if (l->heading)
    gtk_widget_set_visible (l->heading, n > 0);
  gtk_widget_set_visible (l->box, n > 0);
}

static ListRow *
list_row_new (GtkWidget *list, gboolean wrap, gboolean with_tag)
{
  ListRow *r = g_new0 (ListRow, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  r->target = -1;
  r->mark = gtk_label_new (NULL);
  gtk_widget_add_css_class (r->mark, "check-mark");
  r->text = label_new (NULL, NULL, wrap);
  gtk_widget_set_hexpand (r->text, TRUE);
  if (!wrap)
    {
      /* one line each */
      gtk_label_set_selectable (GTK_LABEL (r->text), FALSE);
      gtk_label_set_ellipsize (GTK_LABEL (r->text), PANGO_ELLIPSIZE_END);
    }
  gtk_box_append (GTK_BOX (box), r->mark);
  gtk_box_append (GTK_BOX (box), r->text);
  if (with_tag)
    {
      gtk_widget_set_size_request (r->mark, 24, -1);
      r->tag = label_new (_("chosen"), "chosen-tag", FALSE);
      gtk_box_append (GTK_BOX (box), r->tag);
    }
  r->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (r->row), box);
  gtk_list_box_append (GTK_LIST_BOX (list), r->row);
  return r;
}

static GtkWidget *
boxed_list_new (GtkWidget *parent)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_set_can_focus (list, FALSE);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (parent), list);
  return list;
}

/* The row I of ROWS (made when first needed), shown. */
static ListRow *
list_row_get (GPtrArray *rows, guint i, GtkWidget *list, gboolean wrap, gboolean with_tag)
{
  ListRow *r;

  if (i == rows->len)
    g_ptr_array_add (rows, list_row_new (list, wrap, with_tag));
  r = g_ptr_array_index (rows, i);
  gtk_widget_set_visible (r->row, TRUE);
  return r;
}

static void
list_rows_hide_from (GPtrArray *rows, guint n)
{
  for (guint i = n; i < rows->len; i++)
    gtk_widget_set_visible (((ListRow *) g_ptr_array_index (rows, i))->row, FALSE);
}

static CertCard *
cert_card_new (GtkWidget *parent)
{
  CertCard *c = g_new0 (CertCard, 1);

  c->card = vbox_new (parent, 4);
  gtk_widget_add_css_class (c->card, "card");
  gtk_widget_add_css_class (c->card, "cert-card");
  c->title = label_new (NULL, "value-name", FALSE);
  gtk_box_append (GTK_BOX (c->card), c->title);
  pair_row_init (&c->subject, c->card, _("Subject"));
  pair_row_init (&c->issuer, c->card, _("Issuer"));
  pair_row_init (&c->valid, c->card, _("Valid"));
  pair_row_init (&c->key, c->card, _("Key"));
  pair_row_init (&c->names, c->card, _("Names (SAN)"));
  return c;
}

/* ------------------------------------------------------------------ */
/* Message page                                                        */

static GListModel *
create_children_cb (gpointer item, gpointer user_data)
{
  return lab_field_get_children (LAB_FIELD (item));
}

static LabHexSpanKind
wire_span_kind (const char *name, gboolean *known)
{
  *known = TRUE;
  if (g_str_equal (name, "type") || g_str_equal (name, "version") || g_str_equal (name, "length"))
    return LAB_HEX_SPAN_HEADER;
  if (g_str_equal (name, "fragment"))
    return LAB_HEX_SPAN_PLAINTEXT;
  if (g_str_equal (name, "encrypted content"))
    return LAB_HEX_SPAN_ENCRYPTED;
  if (g_str_equal (name, "explicit IV") || g_str_equal (name, "nonce_explicit"))
    return LAB_HEX_SPAN_IV;
  if (g_str_equal (name, "MAC") || g_str_equal (name, "tag"))
    return LAB_HEX_SPAN_MAC;
  *known = FALSE;
  return LAB_HEX_SPAN_PLAINTEXT;
}

/* Colours the records of the wire: each TLSPlaintext / TLSCiphertext
 * group's header, fragment, IV, encrypted content, MAC. */
static void
add_wire_spans (LabInspector *self, TlsField *f, guint *seen)
{
  for (guint i = 0; i < tls_field_n_children (f); i++)
    {
      TlsField *c = tls_field_child (f, i);
      gboolean known;
      LabHexSpanKind kind = wire_span_kind (c->name, &known);

      if (g_str_equal (c->name, "TLSPlaintext") || g_str_equal (c->name, "TLSCiphertext")
          || !known)
        {
          add_wire_spans (self, c, seen);
          continue;
        }
      lab_hex_view_add_span (self->hex_view, c->offset, c->length, kind);
      *seen |= 1u << kind;
    }
}

/* The legend of the colours on the wire: a chip per kind of span, made
 * once, shown when the bytes hold that kind. */
static void
update_legend (LabInspector *self, guint seen)
{
  for (guint k = 0; k < LAB_HEX_N_SPANS; k++)
    {
      if (self->legend_chips[k] == NULL)
        {
          g_autofree char *css = g_strdup_printf ("span-%u", k);

          if (!(seen & (1u << k)))
            continue;
          self->legend_chips[k] = gtk_label_new (lab_hex_view_span_name (k));
          /* a name: ellipsized (whole in its tooltip) rather than widening
           * the message page past the inspector in a long language */
          gtk_label_set_ellipsize (GTK_LABEL (self->legend_chips[k]), PANGO_ELLIPSIZE_END);
          gtk_widget_set_tooltip_text (self->legend_chips[k], lab_hex_view_span_name (k));
          gtk_widget_add_css_class (self->legend_chips[k], "legend-chip");
          gtk_widget_add_css_class (self->legend_chips[k], css);
          /* in the order of the kinds, whichever came first */
          for (int before = (int) k - 1; before >= -1; before--)
            if (before < 0 || self->legend_chips[before])
              {
                gtk_box_insert_child_after (GTK_BOX (self->legend_box), self->legend_chips[k],
                                            before < 0 ? NULL : self->legend_chips[before]);
                break;
              }
        }
      gtk_widget_set_visible (self->legend_chips[k], (seen & (1u << k)) != 0);
    }
}

static void
set_field_info (LabInspector *self, const TlsField *f)
{
  g_autofree char *markup = NULL;
  g_autofree char *name = NULL, *value = NULL, *desc = NULL, *span = NULL;

  if (f == NULL)
    {
      set_text (GTK_WIDGET (self->field_info),
                _("Pick a field to light up its bytes, or click a byte to find its field."));
      gtk_widget_add_css_class (GTK_WIDGET (self->field_info), "dim-label");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->field_info), "dim-label");
  name = g_markup_escape_text (f->name, -1);
  value = f->value ? g_markup_escape_text (f->value, -1) : NULL;
  desc = f->desc ? g_markup_escape_text (f->desc, -1) : NULL;
  /* Translators: where a field's bytes are: "bytes 39–70 (32 bytes)" */
  span = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "byte %zu (%zu byte)", "bytes %zu–%zu (%zu bytes)", f->length),
                          f->offset, f->offset + (f->length ? f->length - 1 : 0), f->length);
  if (f->length == 1)
    {
      g_free (span);
      span = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "byte %zu (%zu byte)", "byte %zu (%zu bytes)", 1),
                              f->offset, f->length);
    }
  markup = g_strdup_printf ("<b>%s</b>%s%s   <span alpha=\"70%%\">%s</span>%s%s",
                            name, value ? " = " : "", value ? value : "", span,
                            desc ? "\n" : "", desc ? desc : "");
  if (g_strcmp0 (gtk_label_get_label (self->field_info), markup) != 0)
    gtk_label_set_markup (self->field_info, markup);
}

/* The DER of each certificate of a Certificate message (RFC 5246,
 * 7.4.2: certificate_list, each an opaque ASN.1Cert<1..2^24-1>), with
 * the field that holds it; the certificate is decoded by the engine's
 * X.509 reader, from the trace's bytes. */
typedef struct
{
  TlsField       *data;
  TlsCertificate *cert;
} CertEntry;

static void
cert_entry_clear (CertEntry *e)
{
  g_clear_pointer (&e->cert, tls_certificate_unref);
}

static GArray *
certificates_of (const TlsStep *s, TlsField *root)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (CertEntry));
  TlsField *list = root ? tls_field_find (root, "certificate_list") : NULL;
  gsize n = s->bytes ? g_bytes_get_size (s->bytes) : 0;

  g_array_set_clear_func (out, (GDestroyNotify) cert_entry_clear);
  for (guint i = 0; list && i < tls_field_n_children (list); i++)
    {
      TlsField *c = tls_field_child (list, i);
      TlsField *data = tls_field_find (c, "data");
      g_autoptr (GBytes) der = NULL;
      CertEntry e = { data, NULL };

      if (data == NULL || data->offset + data->length > n || data->length == 0)
        continue;
      der = g_bytes_new_from_bytes (s->bytes, data->offset, data->length);
      e.cert = tls_certificate_new_from_der (der, NULL);
      if (e.cert)
        g_array_append_val (out, e);
    }
  return out;
}

static void
fill_message (LabInspector *self, const TlsStep *s)
{
  gboolean wire = gtk_toggle_button_get_active (self->wire_toggle) && s->wire != NULL;
  GBytes *bytes = wire ? s->wire : s->bytes;
  TlsField *root = wire ? s->wire_fields : s->fields;
  g_autoptr (GListModel) top = NULL;
  guint seen = 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->wire_toggle), s->wire != NULL);
  if (bytes == NULL && s->wire != NULL)
    {
      bytes = s->wire;
      root = s->wire_fields;
      wire = TRUE;
    }

  lab_hex_view_set_bytes (self->hex_view, bytes);
  self->showing_wire = wire;
  if (wire)
    add_wire_spans (self, root, &seen);
  else if (self->diff_spans)
    for (guint i = 0; i < self->diff_spans->len; i++)
      {
        const FieldSpan *sp = &g_array_index (self->diff_spans, FieldSpan, i);
        if (sp->whole)
          lab_hex_view_add_span (self->hex_view, sp->offset, sp->length, LAB_HEX_SPAN_DIFF);
        seen |= 1u << LAB_HEX_SPAN_DIFF;
      }
  update_legend (self, seen);

  self->syncing = TRUE;
  /* a Certificate message's certificates come dissected from the engine
   * (tls_certificate_msg_dissect): their fields are the message's */
  top = root ? lab_field_list_new_for_root (root) : G_LIST_MODEL (g_list_store_new (LAB_TYPE_FIELD));
  g_clear_object (&self->tree);
  self->tree = gtk_tree_list_model_new (g_object_ref (top), FALSE, FALSE,
                                        create_children_cb, NULL, NULL);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->tree));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->root = NULL;
  if (g_list_model_get_n_items (top) > 0)
    {
      g_autoptr (LabField) first = g_list_model_get_item (top, 0);
      self->root = lab_field_get_root (first);
    }
  /* on the wire: open each record so its parts show */
  if (wire && g_list_model_get_n_items (top) <= 4)
    for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->tree)); i > 0; i--)
      {
        g_autoptr (GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree, i - 1);
        if (gtk_tree_list_row_get_depth (row) == 0)
          gtk_tree_list_row_set_expanded (row, TRUE);
      }
  self->syncing = FALSE;
  set_field_info (self, NULL);
}

static void
selection_changed_cb (GtkSingleSelection *selection, guint position, guint n_items,
                      LabInspector *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (selection);
  LabField *field;

  if (row == NULL)
    {
      lab_hex_view_set_selection (self->hex_view, 0, 0);
      set_field_info (self, NULL);
      return;
    }
  field = gtk_tree_list_row_get_item (row);
  lab_hex_view_set_selection (self->hex_view, lab_field_get_offset (field),
                              lab_field_get_length (field));
  set_field_info (self, lab_field_get_field (field));
  {
    /* Screen readers: the selected field, its value and its bytes, on the
     * field list and the (drawn) hex view (GTK 4.8: no announce API) */
    const char *value = lab_field_get_value (field);
    guint n = (guint) lab_field_get_length (field);
    g_autofree char *bytes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u byte at offset %u",
                                                           "%u bytes at offset %u", n),
                                              n, (guint) lab_field_get_offset (field));
    /* Translators: the selected field for a screen reader: "Selected field random: 6a1d…, 32 bytes at offset 6" */
    g_autofree char *text = g_strdup_printf (_("Selected field %s: %s, %s"), lab_field_get_name (field),
                                             value ? value : "", bytes);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->field_list),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->hex_view),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  }
  g_object_unref (field);
}

/* Tab into the field list with no field selected: the first field is
 * selected (and lit up, and announced), so that the row with the focus is
 * the one shown and Down goes on to the next. */
static void
field_list_focus_enter_cb (GtkEventControllerFocus *focus, LabInspector *self)
{
  if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION
      && g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
}

/* Selects FIELD (in the copy the tree shows), opening its parents. */
static gboolean
select_tls_field (LabInspector *self, TlsField *target)
{
  g_autoptr (GPtrArray) chain = g_ptr_array_new ();
  guint start = 0, found = GTK_INVALID_LIST_POSITION;

  if (target == NULL || self->tree == NULL)
    return FALSE;
  for (TlsField *f = target; f != NULL && f != self->root; f = f->parent)
    g_ptr_array_insert (chain, 0, f);
  if (chain->len == 0)
    return FALSE;   /* the root itself: nothing to pick */

  for (guint c = 0; c < chain->len; c++)
    {
      TlsField *want = g_ptr_array_index (chain, c);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tree));

      found = GTK_INVALID_LIST_POSITION;
      for (guint i = start; i < n; i++)
        {
          g_autoptr (GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree, i);
          g_autoptr (LabField) item = gtk_tree_list_row_get_item (row);
          if (lab_field_get_field (item) == want)
            {
              found = i;
              if (c + 1 < chain->len)
                gtk_tree_list_row_set_expanded (row, TRUE);
              break;
            }
        }
      if (found == GTK_INVALID_LIST_POSITION)
        return FALSE;
      start = found + 1;
    }
  gtk_single_selection_set_selected (self->selection, found);
  gtk_widget_activate_action (GTK_WIDGET (self->field_list), "list.scroll-to-item", "u", found);
  return TRUE;
}

static void
byte_activated_cb (LabHexView *view, guint offset, LabInspector *self)
{
  lab_inspector_activate_byte (self, offset);
}

static void
toggle_cb (GtkToggleButton *button, LabInspector *self)
{
  if (gtk_toggle_button_get_active (button))
    show_step (self);
}

/* Field rows: an expander with the name and the value. */
static void
setup_row_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *value = gtk_label_new (NULL);

  gtk_widget_add_css_class (name, "field-name");
  gtk_widget_add_css_class (value, "field-value");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), value);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (item, expander);
}

/* Whether the field at OFFSET, LENGTH is one that differs from the other
 * run's, or holds one. */
static gboolean
field_differs (LabInspector *self, gsize offset, gsize length)
{
  for (guint i = 0; self->diff_spans && !self->showing_wire && i < self->diff_spans->len; i++)
    {
      const FieldSpan *sp = &g_array_index (self->diff_spans, FieldSpan, i);
      if ((sp->offset == offset && sp->length == length)
          || (sp->offset >= offset && sp->offset + sp->length <= offset + length))
        return TRUE;
    }
  return FALSE;
}

static void
bind_row_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  LabInspector *self = user_data;
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *expander = gtk_list_item_get_child (item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (name);
  g_autoptr (LabField) field = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (name), lab_field_get_name (field));
  gtk_label_set_text (GTK_LABEL (value), lab_field_get_value (field) ? lab_field_get_value (field) : "");
  if (field_differs (self, lab_field_get_offset (field), lab_field_get_length (field)))
    gtk_widget_add_css_class (box, "field-differs");
  else
    gtk_widget_remove_css_class (box, "field-differs");
  /* no tooltip: setting one asks the X server where the pointer is (a
   * round trip per row); the description shows under the tree instead */
}

/* ------------------------------------------------------------------ */
/* Detail pages                                                        */

static void
derivation_page_init (DerivationPage *p, GtkWidget *parent)
{
  p->page = vbox_new (parent, 12);
  p->formula_heading = heading_new (p->page, _("Formula"));
  p->formula = label_new (NULL, "formula", TRUE);
  gtk_box_append (GTK_BOX (p->page), p->formula);
  card_list_init (&p->inputs, p->page, _("Inputs"));
  card_list_init (&p->outputs, p->page, _("Outputs"));
}

static void
fill_derivation (LabInspector *self, const TlsStep *s)
{
  DerivationPage *p = &self->derivation;

  gtk_widget_set_visible (p->formula_heading, s->formula != NULL);
  gtk_widget_set_visible (p->formula, s->formula != NULL);
  if (s->formula)
    set_text (p->formula, s->formula);
  card_list_fill (self, &p->inputs, s, s->inputs);
  card_list_fill (self, &p->outputs, s, s->outputs);
}

static const char *
result_text (TlsCheckResult r)
{
  switch (r)
    {
    case TLS_CHECK_PASSED: return _("Passed");
    case TLS_CHECK_FAILED: return _("Failed");
    case TLS_CHECK_NOT_CHECKED:
    default: return _("Not checked");
    }
}

static const char *
result_css (TlsCheckResult r)
{
  return r == TLS_CHECK_PASSED ? "success" : r == TLS_CHECK_FAILED ? "error" : "warning";
}

/* The certificates of the Certificate message this check looked at: the
 * last one before it in the same connection sent by the other side. */
static const TlsStep *
certificate_message_for (LabInspector *self, const TlsStep *check)
{
  for (int i = (int) check->index - 1; i >= 0; i--)
    {
      const TlsStep *s = lab_session_get_step (self->session, i);
      if (s->connection != check->connection)
        break;
      if (s->kind == TLS_STEP_MESSAGE && s->content_type == TLS_CONTENT_HANDSHAKE
          && s->handshake_type == TLS_HS_CERTIFICATE && s->actor != check->actor)
        return s;
    }
  return NULL;
}

static char *
format_time (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

/* A card per certificate of CERT_MSG (NULL: none); the one the check is
 * about (its name in the check's title) is marked.  Returns the number
 * of cards shown. */
static guint
fill_certificate_cards (LabInspector *self, const TlsStep *cert_msg, const TlsStep *check)
{
  CheckPage *p = &self->check;
  GArray *certs = NULL;
  gboolean relevant = FALSE;
  guint shown = 0;

  if (cert_msg)
    {
      certs = g_hash_table_lookup (self->cert_cache, GUINT_TO_POINTER (cert_msg->index));
      /* each chain check shows the same certificates: decode them once */
      if (certs == NULL)
        {
          certs = certificates_of (cert_msg, cert_msg->fields);
          g_hash_table_insert (self->cert_cache, GUINT_TO_POINTER (cert_msg->index), certs);
        }
      /* only for checks about certificates */
      for (guint i = 0; i < certs->len && !relevant; i++)
        {
          const char *const *cn = tls_certificate_get_common_names (g_array_index (certs, CertEntry, i).cert);
          for (guint k = 0; cn && cn[k] && !relevant; k++)
            relevant = (check->title && strstr (check->title, cn[k]))
                       || (check->subject && strstr (check->subject, cn[k]));
        }
      relevant = relevant || (check->title && (strstr (check->title, "ertificat") || strstr (check->title, "chain")));
    }

  for (guint i = 0; relevant && i < certs->len; i++)
    {
      TlsCertificate *cert = g_array_index (certs, CertEntry, i).cert;
      const char *const *cn = tls_certificate_get_common_names (cert);
      const char *const *dns = tls_certificate_get_dns_names (cert);
      g_autofree char *title = NULL, *from = NULL, *to = NULL, *validity = NULL, *key = NULL;
      g_autofree char *names = NULL;
      gboolean about = FALSE;
      CertCard *c;

      if (i == p->certs->len)
        g_ptr_array_add (p->certs, cert_card_new (p->certs_box));
      c = g_ptr_array_index (p->certs, i);
      gtk_widget_set_visible (c->card, TRUE);
      for (guint k = 0; cn && cn[k] && !about; k++)
        about = check->title && strstr (check->title, cn[k]);
      set_css (c->card, "cert-card-current", about);
      /* Translators: "Certificate 1 (the sender’s own)"; later ones certify the one before */
      title = i == 0 ? g_strdup_printf (_("Certificate %u (the sender’s own)"), i + 1)
                     : g_strdup_printf (_("Certificate %u (certifies the one before)"), i + 1);
      set_text (c->title, title);
      pair_row_set (&c->subject, tls_certificate_get_subject (cert));
      pair_row_set (&c->issuer, tls_certificate_get_issuer (cert));
      from = format_time (tls_certificate_get_not_before (cert));
      to = format_time (tls_certificate_get_not_after (cert));
      /* Translators: a validity period, "2026-01-01 00:00 UTC to 2027-01-01 00:00 UTC" */
      validity = g_strdup_printf (_("%s to %s"), from, to);
      pair_row_set (&c->valid, validity);
      key = tls_certificate_describe_key (cert);
      pair_row_set (&c->key, key);
      if (dns && dns[0])
        names = g_strjoinv (", ", (char **) dns);
      pair_row_set (&c->names, names);
      shown++;
    }
  for (guint i = shown; i < p->certs->len; i++)
    gtk_widget_set_visible (((CertCard *) g_ptr_array_index (p->certs, i))->card, FALSE);
  gtk_widget_set_visible (p->certs_heading, shown > 0);
  gtk_widget_set_visible (p->certs_box, shown > 0);
  return shown;
}

static void
check_page_init (CheckPage *p, GtkWidget *parent)
{
  p->page = vbox_new (parent, 12);
  p->banner = banner_new (p->page);
  pair_row_init (&p->subject, p->page, _("Checked"));
  pair_row_init (&p->against, p->page, _("Against"));
  card_list_init (&p->evidence, p->page, _("Evidence"));
  card_list_init (&p->outputs, p->page, NULL);
  p->certs_heading = heading_new (p->page, _("Certificates received"));
  p->certs_box = vbox_new (p->page, 8);
  p->certs = g_ptr_array_new_with_free_func (g_free);
  p->checks_heading = heading_new (p->page, _("All checks of this connection so far"));
  p->checks_list = boxed_list_new (p->page);
  p->check_rows = g_ptr_array_new_with_free_func (g_free);
}

static void
fill_check (LabInspector *self, const TlsStep *s)
{
  CheckPage *p = &self->check;
  g_autofree char *banner = g_strdup_printf ("%s%s%s", result_text (s->result),
                                             s->reason ? ": " : "", s->reason ? s->reason : "");
  guint n_checks = 0, first;

  banner_set (p->banner, banner, result_css (s->result));
  pair_row_set (&p->subject, s->subject);
  pair_row_set (&p->against, s->against);
  card_list_fill (self, &p->evidence, s, s->inputs);
  card_list_fill (self, &p->outputs, s, s->outputs);
  fill_certificate_cards (self, certificate_message_for (self, s), s);

  /* every check of this connection that has run so far, one line each
   * (the row opens the check itself); row N keeps showing check N as the
   * list grows, so only the new line is laid out */
  first = s->index;
  while (first > 0 && lab_session_get_step (self->session, first - 1)->connection == s->connection)
    first--;
  for (guint i = first; i < lab_session_get_position (self->session); i++)
    {
      const TlsStep *c = lab_session_get_step (self->session, i);
      g_autofree char *line = NULL;
      ListRow *r;

      if (c->connection != s->connection)
        break;
      if (c->kind != TLS_STEP_CHECK)
        continue;
      r = list_row_get (p->check_rows, n_checks++, p->checks_list, FALSE, FALSE);
      set_text (r->mark, c->result == TLS_CHECK_PASSED ? "✔" : c->result == TLS_CHECK_FAILED ? "✘" : "–");
      set_css_choice (r->mark, result_classes, result_css (c->result));
      line = g_strdup_printf ("%u. %s%s%s", i + 1, tls_step_title_label (c), c->reason ? " — " : "",
                              c->reason ? c->reason : "");
      set_text (r->text, line);
      if (r->target != (int) i)
        {
          gtk_actionable_set_action_target (GTK_ACTIONABLE (r->row), "i", (int) i);
          if (r->target < 0)
            gtk_actionable_set_action_name (GTK_ACTIONABLE (r->row), "lab.select-step");
          r->target = (int) i;
        }
      set_css (r->row, "current-check", i == s->index);
    }
  list_rows_hide_from (p->check_rows, n_checks);
  gtk_widget_set_visible (p->checks_heading, n_checks > 1);
  gtk_widget_set_visible (p->checks_list, n_checks > 1);
}

/* For traces without chosen_option: whether OPTION is the one CHOICE
 * picked, the same text, or (for a session cache's entries) a session ID of
 * OPTION named in CHOICE. */
static gboolean
option_chosen (const char *option, const char *choice)
{
  g_auto (GStrv) words = NULL;

  if (choice == NULL)
    return FALSE;
  if (g_str_equal (option, choice))
    return TRUE;
  words = g_strsplit_set (option, " :,()", -1);
  for (guint i = 0; words[i]; i++)
    {
      const char *w = words[i];
      gsize n = 0;

      while (g_ascii_isxdigit (w[n]))
        n++;
      if (n >= 8)
        {
          g_autofree char *hex = g_strndup (w, n);
          if (strstr (choice, hex))
            return TRUE;
        }
    }
  return FALSE;
}

static void
decision_page_init (DecisionPage *p, GtkWidget *parent)
{
  p->page = vbox_new (parent, 12);
  p->banner = banner_new (p->page);
  pair_row_init (&p->why, p->page, _("Why"));
  p->options_heading = heading_new (p->page, NULL);
  p->options_list = boxed_list_new (p->page);
  p->option_rows = g_ptr_array_new_with_free_func (g_free);
  card_list_init (&p->inputs, p->page, _("What the decision looked at"));
  card_list_init (&p->outputs, p->page, _("Result"));
}

static void
fill_decision (LabInspector *self, const TlsStep *s)
{
  DecisionPage *p = &self->decision;
  g_autofree char *banner = NULL, *heading = NULL;

  if (s->choice)
    /* Translators: the banner of a decision: "Chosen: TLS_RSA_WITH_..." */
    banner = g_strdup_printf (_("Chosen: %s"), s->choice);
  banner_set (p->banner, banner, "accent");
  pair_row_set (&p->why, s->reason);

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The option", "The %u options",
                                          s->options->len), s->options->len);
  set_text (p->options_heading, heading);
  for (guint i = 0; i < s->options->len; i++)
    {
      const char *opt = g_ptr_array_index (s->options, i);
      /* The engine marks the option it chose (or the cache entry it looked
       * up); traces saved before it did are matched by their text. */
      gboolean chosen = s->chosen_option >= 0 ? (int) i == s->chosen_option
                                              : option_chosen (opt, s->choice);
      ListRow *r = list_row_get (p->option_rows, i, p->options_list, TRUE, TRUE);

      set_text (r->mark, chosen ? "➜" : "");
      set_text (r->text, opt);
      set_css (r->text, "chosen", chosen);
      gtk_widget_set_visible (r->tag, chosen);
      set_css (r->row, "chosen-row", chosen);
    }
  list_rows_hide_from (p->option_rows, s->options->len);
  gtk_widget_set_visible (p->options_heading, s->options->len > 0);
  gtk_widget_set_visible (p->options_list, s->options->len > 0);
  card_list_fill (self, &p->inputs, s, s->inputs);
  card_list_fill (self, &p->outputs, s, s->outputs);
}

static void
alert_page_init (AlertPage *p, GtkWidget *parent)
{
  p->page = vbox_new (parent, 12);
  p->banner = banner_new (p->page);
  pair_row_init (&p->why, p->page, _("Why"));
  p->bytes_heading = heading_new (p->page, _("Bytes of the alert"));
  p->bytes = label_new (NULL, "value-hex", FALSE);
  gtk_box_append (GTK_BOX (p->page), p->bytes);
  p->note = label_new (_("The alert was sent encrypted, under the keys in use."), "value-note", TRUE);
  gtk_box_append (GTK_BOX (p->page), p->note);
}

static void
fill_alert (LabInspector *self, const TlsStep *s)
{
  AlertPage *p = &self->alert;
  g_autofree char *text = NULL;
  const char *level = s->alert_level == TLS_ALERT_LEVEL_WARNING ? _("warning") : _("fatal");

  /* Translators: "fatal alert: decrypt_error (51)" */
  text = g_strdup_printf (_("%s alert: %s (%u)"), level,
                          tls_alert_name (s->alert_description), s->alert_description);
  banner_set (p->banner, text, tls_step_outcome (s) == TLS_OUTCOME_FATAL ? "error"
                                : tls_step_outcome (s) == TLS_OUTCOME_WARNING ? "warning" : NULL);
  pair_row_set (&p->why, s->reason);
  gtk_widget_set_visible (p->bytes_heading, s->bytes != NULL);
  gtk_widget_set_visible (p->bytes, s->bytes != NULL);
  if (s->bytes)
    {
      g_autofree char *hex = hex_spaced (s->bytes);
      set_text (p->bytes, hex);
    }
  gtk_widget_set_visible (p->note, s->wire && s->encrypted);
}

/* Shows PAGE alone on the detail page (NULL: none). */
static void
show_detail_page (LabInspector *self, GtkWidget *page)
{
  GtkWidget *pages[] = { self->derivation.page, self->check.page, self->decision.page, self->alert.page };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_set_visible (pages[i], pages[i] == page);
}

/* ------------------------------------------------------------------ */
/* The whole                                                           */

static const char *
kind_text (TlsStepKind kind)
{
  switch (kind)
    {
    case TLS_STEP_MESSAGE: return C_("step kind", "Message");
    case TLS_STEP_DERIVATION: return C_("step kind", "Derivation");
    case TLS_STEP_CHECK: return C_("step kind", "Check");
    case TLS_STEP_DECISION: return C_("step kind", "Decision");
    case TLS_STEP_ALERT: return C_("step kind", "Alert");
    case TLS_STEP_APPDATA: return C_("step kind", "Application data");
    default: return "";
    }
}

/* The badge says the kind and, for checks and alerts, how it turned out:
 * a failed check is red, a passed one green, a close_notify neutral. */
static const char *const badge_css[] = { "kind-message", "kind-derivation", "kind-check",
                                         "kind-decision", "kind-alert", "kind-appdata",
                                         "kind-failed", "kind-neutral", "kind-warning", NULL };

static const char *
badge_class (const TlsStep *s)
{
  if (s->actor == TLS_ACTOR_ATTACKER)
    return "kind-alert";   /* the man-in-the-middle's action: red */
  switch (tls_step_outcome (s))
    {
    case TLS_OUTCOME_PASSED: return "kind-check";
    case TLS_OUTCOME_FAILED: return "kind-failed";
    case TLS_OUTCOME_NOT_CHECKED: return "kind-neutral";
    case TLS_OUTCOME_FATAL: return "kind-alert";
    case TLS_OUTCOME_CLOSURE: return "kind-neutral";
    case TLS_OUTCOME_WARNING: return "kind-warning";
    case TLS_OUTCOME_NONE:
    default:
      return s->kind <= TLS_STEP_APPDATA ? badge_css[s->kind] : NULL;
    }
}

static const char *
badge_text (const TlsStep *s)
{
  if (s->actor == TLS_ACTOR_ATTACKER)
    /* Translators: the badge of a step of the man-in-the-middle */
    return C_("step kind", "Attack");
  switch (tls_step_outcome (s))
    {
    case TLS_OUTCOME_PASSED: return C_("step kind", "Check passed");
    case TLS_OUTCOME_FAILED: return C_("step kind", "Check failed");
    case TLS_OUTCOME_NOT_CHECKED: return C_("step kind", "Not checked");
    case TLS_OUTCOME_FATAL: return C_("step kind", "Fatal alert");
    /* Translators: a close_notify alert: the normal end of a connection */
    case TLS_OUTCOME_CLOSURE: return C_("step kind", "Closure");
    case TLS_OUTCOME_WARNING: return C_("step kind", "Warning alert");
    case TLS_OUTCOME_NONE:
    default:
      return kind_text (s->kind);
    }
}

static const char *
actor_text (TlsActor a)
{
  return a == TLS_ACTOR_CLIENT ? _("Client") : a == TLS_ACTOR_ATTACKER ? _("Attacker") : _("Server");
}

/* "RFC 5246, 7.4.1.2" -> a link to that section. */
static void
set_rfc (LabInspector *self, const char *rfc)
{
  guint number = 0;
  char section[64] = "";
  g_autofree char *esc = NULL, *markup = NULL;

  if (rfc == NULL || *rfc == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->rfc_label), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rfc_label), TRUE);
  esc = g_markup_escape_text (rfc, -1);
  if (sscanf (rfc, "RFC %u, %63[0-9A-Za-z.]", &number, section) >= 1 && number > 0)
    {
      g_autofree char *url = section[0]
        ? g_strdup_printf ("https://www.rfc-editor.org/rfc/rfc%u#%s-%s", number,
                           g_ascii_isalpha (section[0]) ? "appendix" : "section", section)
        : g_strdup_printf ("https://www.rfc-editor.org/rfc/rfc%u", number);
      markup = g_strdup_printf ("%s <a href=\"%s\">%s</a>", _("Source:"), url, esc);
    }
  else
    markup = g_strdup_printf ("%s %s", _("Source:"), esc);
  if (g_strcmp0 (gtk_label_get_label (self->rfc_label), markup) != 0)
    gtk_label_set_markup (self->rfc_label, markup);
}

static void
set_explanation (LabInspector *self, const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (self->explanation_label), text ? text : "") == 0)
    return;
  set_text (GTK_WIDGET (self->explanation_label), text);
  self->explained_height = -1;
}

/* The note entry shows step S's teacher's note (none: empty). */
static void
show_note (LabInspector *self, const TlsStep *s)
{
  const char *note = s && self->session ? lab_session_get_note (self->session, s->index) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->note_entry), s != NULL && !self->presenter);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->note_entry)), note ? note : "") == 0)
    return;
  self->setting_note = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), note ? note : "");
  self->setting_note = FALSE;
}

static void
note_changed_cb (GtkEditable *editable, LabInspector *self)
{
  if (self->setting_note || self->session == NULL || self->shown_step < 0)
    return;
  lab_session_set_note (self->session, (guint) self->shown_step, gtk_editable_get_text (editable));
}

/* The application's one-key accelerators (Space, p, Left, BackSpace...)
 * fire in the window's capture phase, before a focused entry sees the key:
 * while the note entry has the focus, a capture controller added to the
 * window (so it runs first) hands plain keys straight to the entry. */
static gboolean
note_key_cb (GtkEventControllerKey *keys, guint keyval, guint keycode,
             GdkModifierType state, LabInspector *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
      || keyval == GDK_KEY_Escape || keyval == GDK_KEY_F5
      || !(focus == GTK_WIDGET (self->note_entry)
           || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->note_entry))))
    return FALSE;
  return gtk_event_controller_key_forward (keys, focus);
}

static void
note_keys_remove (LabInspector *self)
{
  if (self->note_keys == NULL)
    return;
  if (self->note_keys_root != NULL)
    {
      gtk_widget_remove_controller (self->note_keys_root, self->note_keys);
      g_object_remove_weak_pointer (G_OBJECT (self->note_keys_root), (gpointer *) &self->note_keys_root);
    }
  self->note_keys = NULL;
  self->note_keys_root = NULL;
}

static void
note_focus_enter_cb (GtkEventControllerFocus *focus, LabInspector *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->note_keys != NULL || root == NULL)
    return;
  self->note_keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->note_keys, GTK_PHASE_CAPTURE);
  g_signal_connect (self->note_keys, "key-pressed", G_CALLBACK (note_key_cb), self);
  self->note_keys_root = GTK_WIDGET (root);
  g_object_add_weak_pointer (G_OBJECT (root), (gpointer *) &self->note_keys_root);
  gtk_widget_add_controller (self->note_keys_root, self->note_keys);
}

static void
note_focus_leave_cb (GtkEventControllerFocus *focus, LabInspector *self)
{
  note_keys_remove (self);
}

/* Enter gives the keyboard back to the window (Space steps again). */
static void
note_activate_cb (GtkEntry *entry, LabInspector *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root != NULL)
    gtk_root_set_focus (root, NULL);
}

static void
show_step (LabInspector *self)
{
  const TlsStep *s = NULL;
  GtkWidget *badge = GTK_WIDGET (self->kind_badge);
  g_autofree char *sub = NULL;

  if (self->session && self->step >= 0)
    s = lab_session_get_step (self->session, self->step);
  g_clear_pointer (&self->diff_spans, g_array_unref);
  if (s && self->counterpart)
    {
      g_autoptr (GPtrArray) diffs = tls_step_diff (s, self->counterpart, NULL);

      self->diff_spans = g_array_new (FALSE, FALSE, sizeof (FieldSpan));
      for (guint i = 0; i < diffs->len; i++)
        {
          const TlsStepDiff *d = g_ptr_array_index (diffs, i);
          FieldSpan sp = { d->left_offset, d->left_length, TRUE };
          guint field_at = self->diff_spans->len;
          gsize na = 0, nb = 0;
          const guint8 *pa = s->bytes ? g_bytes_get_data (s->bytes, &na) : NULL;
          const guint8 *pb = self->counterpart->bytes ? g_bytes_get_data (self->counterpart->bytes, &nb) : NULL;

          if (!d->is_field || d->left_length == 0)
            continue;
          g_array_append_val (self->diff_spans, sp);
          /* a field of the same length in both: its bytes that differ too */
          if (d->right_length == d->left_length && pa && pb
              && d->left_offset + d->left_length <= na && d->right_offset + d->right_length <= nb)
            for (gsize k = 0; k < d->left_length; k++)
              if (pa[d->left_offset + k] != pb[d->right_offset + k])
                {
                  FieldSpan b = { d->left_offset + k, 1, TRUE };
                  g_array_append_val (self->diff_spans, b);
                  g_array_index (self->diff_spans, FieldSpan, field_at).whole = FALSE;
                }
        }
    }
  lab_step_group_set_step (self->step_group, self->session, s ? self->step : -1);

  if (s == NULL)
    {
      const TlsScenario *sc = self->session ? lab_session_get_scenario (self->session) : NULL;

      set_text (GTK_WIDGET (self->title_label), self->session ? lab_session_get_title (self->session) : "");
      set_text (GTK_WIDGET (self->subtitle_label), "");
      gtk_widget_set_visible (badge, FALSE);
      set_explanation (self, sc && sc->description ? sc->description : "");
      set_rfc (self, NULL);
      gtk_stack_set_visible_child_name (self->pages, "empty");
      self->shown_step = -1;
      show_note (self, NULL);
      return;
    }

  gtk_widget_set_visible (badge, TRUE);
  set_text (badge, badge_text (s));
  set_css_choice (badge, badge_css, badge_class (s));
  set_text (GTK_WIDGET (self->title_label), tls_step_title_label (s));
  if (s->kind == TLS_STEP_MESSAGE || s->kind == TLS_STEP_APPDATA || s->kind == TLS_STEP_ALERT)
    /* Translators: "Client → Server · step 9" */
    sub = g_strdup_printf (_("%s → %s · step %u"), actor_text (s->actor),
                           actor_text (s->actor == TLS_ACTOR_CLIENT ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT),
                           s->index + 1);
  else
    /* Translators: "Server · step 10" */
    sub = g_strdup_printf (_("%s · step %u"), actor_text (s->actor), s->index + 1);
  if (s->connection > 0)
    {
      g_autofree char *c = g_strdup_printf (_("%s · connection %u"), sub, s->connection + 1);
      g_free (sub);
      sub = g_steal_pointer (&c);
    }
  set_text (GTK_WIDGET (self->subtitle_label), sub);
  set_explanation (self, s->explanation);
  set_rfc (self, s->rfc);

  /* a new step's details are read from their top */
  if (self->shown_step != (int) s->index && s->kind != TLS_STEP_MESSAGE && s->kind != TLS_STEP_APPDATA)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
  self->shown_step = (int) s->index;
  show_note (self, s);

  switch (s->kind)
    {
    case TLS_STEP_MESSAGE:
    case TLS_STEP_APPDATA:
      fill_message (self, s);
      gtk_stack_set_visible_child_name (self->pages, "message");
      return;
    case TLS_STEP_DERIVATION:
      fill_derivation (self, s);
      show_detail_page (self, self->derivation.page);
      break;
    case TLS_STEP_CHECK:
      fill_check (self, s);
      show_detail_page (self, self->check.page);
      break;
    case TLS_STEP_DECISION:
      fill_decision (self, s);
      show_detail_page (self, self->decision.page);
      break;
    case TLS_STEP_ALERT:
    default:
      fill_alert (self, s);
      show_detail_page (self, self->alert.page);
      break;
    }
  if (self->narrow)   /* cards made for this step wrap too */
    set_wraps (self->detail_box, TRUE);
  gtk_stack_set_visible_child_name (self->pages, "detail");
}

static void
trace_replaced_cb (LabSession *session, LabInspector *self)
{
  g_hash_table_remove_all (self->cert_cache);
  if (self->step >= (int) lab_session_get_position (session))
    self->step = -1;
  show_step (self);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
lab_inspector_dispose (GObject *object)
{
  LabInspector *self = LAB_INSPECTOR (object);

  lab_inspector_set_session (self, NULL);
  note_keys_remove (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_INSPECTOR);
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->tree);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->cert_cache, g_hash_table_unref);
  g_clear_pointer (&self->diff_spans, g_array_unref);
  self->counterpart = NULL;
  G_OBJECT_CLASS (lab_inspector_parent_class)->dispose (object);
}

static void
lab_inspector_finalize (GObject *object)
{
  LabInspector *self = LAB_INSPECTOR (object);

  /* the widgets went with the template; these are the records of them */
  card_list_clear (&self->derivation.inputs);
  card_list_clear (&self->derivation.outputs);
  card_list_clear (&self->check.evidence);
  card_list_clear (&self->check.outputs);
  g_clear_pointer (&self->check.certs, g_ptr_array_unref);
  g_clear_pointer (&self->check.check_rows, g_ptr_array_unref);
  g_clear_pointer (&self->decision.option_rows, g_ptr_array_unref);
  card_list_clear (&self->decision.inputs);
  card_list_clear (&self->decision.outputs);
  G_OBJECT_CLASS (lab_inspector_parent_class)->finalize (object);
}

static void
lab_inspector_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LabInspector *self = LAB_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_STEP:
      g_value_set_int (value, self->step);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_inspector_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LabInspector *self = LAB_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      lab_inspector_set_session (self, g_value_get_object (value));
      break;
    case PROP_STEP:
      lab_inspector_set_step (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* GtkScrolledWindow propagates its child's natural height for no
 * particular width (the label's one long line), so the explanation's
 * height is worked out here for the width it gets: all of its text, up to
 * 40 % of the inspector's height, then it scrolls. */
static void
lab_inspector_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  LabInspector *self = LAB_INSPECTOR (widget);
  GtkWidget *heading = gtk_widget_get_parent (GTK_WIDGET (self->kind_badge));
  const PangoFontDescription *fd = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  double em = fd ? pango_font_description_get_size (fd) / (double) PANGO_SCALE * 96.0 / 72.0 : 13;
  int min = 0, want;

  /* a narrow inspector for its type (a projector at zoom 3): the badge goes
   * above the title, which keeps the whole width */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (heading),
                                  width < 24 * MAX (em, 1) ? GTK_ORIENTATION_VERTICAL
                                                          : GTK_ORIENTATION_HORIZONTAL);

  /* measuring a paragraph shapes all of it: only when it or the width
   * changed */
  if (width != self->explained_width || self->explained_height < 0)
    {
      gtk_widget_measure (GTK_WIDGET (self->explanation_label), GTK_ORIENTATION_VERTICAL,
                          width, &min, &self->explained_height, NULL, NULL);
      self->explained_width = width;
    }
  want = MIN (self->explained_height, height * 2 / 5);
  /* the note entry below it comes out of the explanation's share */
  if (gtk_widget_get_visible (GTK_WIDGET (self->note_entry)))
    {
      int note_h = 0;
      gtk_widget_measure (GTK_WIDGET (self->note_entry), GTK_ORIENTATION_VERTICAL, width,
                          NULL, &note_h, NULL, NULL);
      want = MIN (want, MAX (height * 2 / 5 - note_h - 3 * 10, 1));
    }
  if (self->presenter)
    want = -1;   /* the explanation has the page's height too: it expands */
  if (want != gtk_scrolled_window_get_min_content_height (self->explanation_scroller))
    {
      /* min <= max at every moment */
      gtk_scrolled_window_set_min_content_height (self->explanation_scroller, -1);
      gtk_scrolled_window_set_max_content_height (self->explanation_scroller, want < 0 ? -1 : MAX (want, 1));
      gtk_scrolled_window_set_min_content_height (self->explanation_scroller, want);
    }
  gtk_widget_allocate (self->content, width, height, baseline, NULL);
}

static void
lab_inspector_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                       int *minimum, int *natural, int *min_baseline, int *nat_baseline)
{
  gtk_widget_measure (LAB_INSPECTOR (widget)->content, orientation, for_size,
                      minimum, natural, min_baseline, nat_baseline);
}

static GtkSizeRequestMode
lab_inspector_get_request_mode (GtkWidget *widget)
{
  return gtk_widget_get_request_mode (LAB_INSPECTOR (widget)->content);
}

static void
lab_inspector_class_init (LabInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_inspector_dispose;
  object_class->finalize = lab_inspector_finalize;
  object_class->get_property = lab_inspector_get_property;
  object_class->set_property = lab_inspector_set_property;
  widget_class->size_allocate = lab_inspector_size_allocate;
  widget_class->measure = lab_inspector_measure;
  widget_class->get_request_mode = lab_inspector_get_request_mode;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LAB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STEP] =
    g_param_spec_int ("step", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LAB_TYPE_HEX_VIEW);
  g_type_ensure (LAB_TYPE_STEP_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/handshakelab/HandshakeLab/ui/lab-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, LabInspector, content);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, step_group);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, kind_badge);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, title_label);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, pages);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, message_toggle);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, wire_toggle);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, legend_box);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, field_list);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, field_info);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, hex_scroller);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, hex_view);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, detail_box);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, rfc_label);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, explanation_scroller);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, note_entry);
  gtk_widget_class_set_css_name (widget_class, "inspector");
}

static void
lab_inspector_init (LabInspector *self)
{
  GtkListItemFactory *factory;

  self->step = -1;
  self->shown_step = -1;
  self->explained_height = -1;
  self->cert_cache = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  derivation_page_init (&self->derivation, self->detail_box);
  check_page_init (&self->check, self->detail_box);
  decision_page_init (&self->decision, self->detail_box);
  alert_page_init (&self->alert, self->detail_box);
  show_detail_page (self, NULL);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->field_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->field_list, GTK_SELECTION_MODEL (self->selection));
  /* Space, Left and Right step the handshake: they are the application's
   * accelerators, which the window runs in its capture phase, before the
   * focused widget sees the key.  So the field list can hold the focus
   * (Tab reaches it; Up and Down select its fields, plus and minus open
   * and close them) and Space still steps.  A click on a toggle leaves the
   * focus where it was (on the ladder); Tab still reaches the toggles. */
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();
    g_signal_connect (focus, "enter", G_CALLBACK (field_list_focus_enter_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->field_list), focus);
  }
  gtk_widget_set_focus_on_click (GTK_WIDGET (self->message_toggle), FALSE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self->wire_toggle), FALSE);

  g_signal_connect (self->hex_view, "byte-activated", G_CALLBACK (byte_activated_cb), self);
  g_signal_connect (self->message_toggle, "toggled", G_CALLBACK (toggle_cb), self);
  g_signal_connect (self->wire_toggle, "toggled", G_CALLBACK (toggle_cb), self);
  g_signal_connect (self->note_entry, "changed", G_CALLBACK (note_changed_cb), self);
  g_signal_connect (self->note_entry, "activate", G_CALLBACK (note_activate_cb), self);
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();
    g_signal_connect (focus, "enter", G_CALLBACK (note_focus_enter_cb), self);
    g_signal_connect (focus, "leave", G_CALLBACK (note_focus_leave_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->note_entry), focus);
  }
  show_step (self);
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

GtkWidget *
lab_inspector_new (void)
{
  return g_object_new (LAB_TYPE_INSPECTOR, NULL);
}

void
lab_inspector_set_session (LabInspector *self, LabSession *session)
{
  g_return_if_fail (LAB_IS_INSPECTOR (self));

  if (self->session == session)
    return;
  if (self->session)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }
  if (session)
    {
      self->session = g_object_ref (session);
      g_signal_connect (session, "trace-replaced", G_CALLBACK (trace_replaced_cb), self);
    }
  self->step = -1;
  if (self->cert_cache)
    g_hash_table_remove_all (self->cert_cache);
  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    show_step (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
lab_inspector_set_step (LabInspector *self, int index)
{
  g_return_if_fail (LAB_IS_INSPECTOR (self));

  if (index < -1)
    index = -1;
  self->step = index;
  show_step (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

int
lab_inspector_get_step (LabInspector *self)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), -1);
  return self->step;
}

const char *
lab_inspector_get_page (LabInspector *self)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), NULL);
  return gtk_stack_get_visible_child_name (self->pages);
}

const char *
lab_inspector_get_title (LabInspector *self)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), NULL);
  return gtk_label_get_text (self->title_label);
}

const char *
lab_inspector_get_explanation (LabInspector *self)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), NULL);
  return gtk_label_get_text (self->explanation_label);
}

LabHexView *
lab_inspector_get_hex_view (LabInspector *self)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), NULL);
  return self->hex_view;
}

void
lab_inspector_show_wire (LabInspector *self, gboolean wire)
{
  g_return_if_fail (LAB_IS_INSPECTOR (self));
  gtk_toggle_button_set_active (wire ? self->wire_toggle : self->message_toggle, TRUE);
}

gboolean
lab_inspector_get_show_wire (LabInspector *self)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), FALSE);
  return gtk_toggle_button_get_active (self->wire_toggle);
}

gboolean
lab_inspector_select_field (LabInspector *self, const char *path)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), FALSE);
  if (self->root == NULL)
    return FALSE;
  return select_tls_field (self, tls_field_find (self->root, path));
}

const TlsField *
lab_inspector_get_selected_field (LabInspector *self)
{
  GtkTreeListRow *row;
  g_autoptr (LabField) field = NULL;

  g_return_val_if_fail (LAB_IS_INSPECTOR (self), NULL);
  row = gtk_single_selection_get_selected_item (self->selection);
  if (row == NULL)
    return NULL;
  field = gtk_tree_list_row_get_item (row);
  return lab_field_get_field (field);
}

void
lab_inspector_activate_byte (LabInspector *self, gsize offset)
{
  TlsField *f;

  g_return_if_fail (LAB_IS_INSPECTOR (self));
  if (self->root == NULL)
    return;
  f = tls_field_find_at (self->root, offset);
  if (f == NULL || f == self->root || !select_tls_field (self, f))
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      lab_hex_view_set_selection (self->hex_view, offset, 1);
    }
}

static void
collect_text (GtkWidget *w, GString *out)
{
  /* the pages keep their parts for the next step: only what shows */
  if (!gtk_widget_get_visible (w))
    return;
  if (GTK_IS_LABEL (w))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (w)));
      g_string_append_c (out, '\n');
    }
  if (GTK_IS_BUTTON (w) && gtk_button_get_label (GTK_BUTTON (w)))
    {
      g_string_append (out, gtk_button_get_label (GTK_BUTTON (w)));
      g_string_append_c (out, '\n');
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_text (c, out);
}

char *
lab_inspector_dup_detail_text (LabInspector *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (LAB_IS_INSPECTOR (self), NULL);
  /* a message keeps the last detail page filled, hidden */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "detail") == 0)
    collect_text (self->detail_box, out);
  return g_string_free (out, FALSE);
}

GtkWidget *
lab_inspector_get_badge (LabInspector *self)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), NULL);
  return GTK_WIDGET (self->kind_badge);
}

void
lab_inspector_set_presenter (LabInspector *self, gboolean presenter)
{
  g_return_if_fail (LAB_IS_INSPECTOR (self));
  self->presenter = !!presenter;
  gtk_widget_set_visible (GTK_WIDGET (self->pages), !self->presenter);
  gtk_widget_set_visible (GTK_WIDGET (self->note_entry), !self->presenter && self->shown_step >= 0);
  /* the heading's box gives its height up to the explanation */
  gtk_widget_set_vexpand (gtk_widget_get_parent (GTK_WIDGET (self->pages)), !self->presenter);
  gtk_widget_set_vexpand (GTK_WIDGET (self->explanation_scroller), self->presenter);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
lab_inspector_set_narrow (LabInspector *self, gboolean narrow)
{
  g_return_if_fail (LAB_IS_INSPECTOR (self));
  if (self->narrow == !!narrow)
    return;
  self->narrow = !!narrow;
  set_wraps (self->detail_box, self->narrow);
}

GtkWidget *
lab_inspector_get_note_entry (LabInspector *self)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), NULL);
  return GTK_WIDGET (self->note_entry);
}

LabStepGroup *
lab_inspector_get_step_group (LabInspector *self)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), NULL);
  return self->step_group;
}

void
lab_inspector_set_counterpart (LabInspector *self, const TlsStep *other)
{
  g_return_if_fail (LAB_IS_INSPECTOR (self));
  self->counterpart = other;
  show_step (self);
}

gboolean
lab_inspector_field_differs (LabInspector *self, const TlsField *field)
{
  g_return_val_if_fail (LAB_IS_INSPECTOR (self), FALSE);
  return field != NULL && field_differs (self, field->offset, field->length);
}
