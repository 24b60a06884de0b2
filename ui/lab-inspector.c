/* lab-inspector.c — the selected step in detail. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "lab-inspector.h"
#include "lab-field.h"
#include "tls-alert.h"
#include "tls-types.h"
#include "tls-x509.h"

struct _LabInspector
{
  GtkWidget           parent_instance;

  /* template */
  GtkWidget          *content;
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
  GtkLabel           *explanation_label;
  GtkLabel           *rfc_label;
  GtkScrolledWindow  *explanation_scroller;

  LabSession         *session;
  int                 step;
  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;
  TlsField           *root;       /* the copy the tree shows (owned by its LabFields) */
  gboolean            syncing;    /* a selection change made by us */
  GHashTable         *cert_cache;  /* step index -> GArray of CertEntry */
  int                 explained_width;
  int                 explained_height;   /* -1: to measure */
};

G_DEFINE_FINAL_TYPE (LabInspector, lab_inspector, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SESSION, PROP_STEP, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void show_step (LabInspector *self);

/* ------------------------------------------------------------------ */
/* Small builders                                                      */

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

static GtkWidget *
heading_new (const char *text)
{
  GtkWidget *l = label_new (text, "section-heading", FALSE);
  gtk_label_set_selectable (GTK_LABEL (l), FALSE);
  gtk_widget_set_margin_top (l, 6);
  return l;
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

static GtkWidget *
step_link_new (LabInspector *self, int index)
{
  const TlsStep *src = lab_session_get_step (self->session, index);
  g_autofree char *text = NULL;
  GtkWidget *button;

  /* Translators: a link to the step a value came from */
  text = g_strdup_printf (_("from step %d: %s"), index + 1, src && src->title ? src->title : "");
  button = gtk_button_new_with_label (text);
  gtk_widget_add_css_class (button, "step-link");
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "lab.select-step");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "i", index);
  return button;
}

static GtkWidget *
value_card_new (LabInspector *self, const TlsTraceValue *v)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = label_new (v->name, "value-name", FALSE);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "value-card");
  gtk_box_append (GTK_BOX (top), name);
  if (v->bytes)
    {
      g_autofree char *len = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes",
                                                           g_bytes_get_size (v->bytes)),
                                              g_bytes_get_size (v->bytes));
      gtk_box_append (GTK_BOX (top), label_new (len, "dim-label", FALSE));
    }
  if (v->from_step >= 0 && self->session
      && v->from_step < (int) lab_session_get_n_recorded (self->session))
    {
      GtkWidget *link = step_link_new (self, v->from_step);
      gtk_widget_set_hexpand (link, TRUE);
      gtk_widget_set_halign (link, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (top), link);
    }
  gtk_box_append (GTK_BOX (card), top);
  if (v->note && *v->note)
    gtk_box_append (GTK_BOX (card), label_new (v->note, "value-note", TRUE));
  if (v->bytes)
    {
      g_autofree char *hex = hex_spaced (v->bytes);
      gtk_box_append (GTK_BOX (card), label_new (hex, "value-hex", FALSE));
    }
  else if (v->text)
    {
      g_autofree char *quoted = g_strdup_printf ("“%s”", v->text);
      gtk_box_append (GTK_BOX (card), label_new (quoted, "value-text", TRUE));
    }
  return card;
}

static GtkWidget *
pair_row_new (const char *key, const char *value)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *k = label_new (key, "pair-key", FALSE);
  GtkWidget *v = label_new (value, "pair-value", TRUE);

  gtk_label_set_selectable (GTK_LABEL (k), FALSE);
  gtk_widget_set_hexpand (v, TRUE);
  gtk_box_append (GTK_BOX (row), k);
  gtk_box_append (GTK_BOX (row), v);
  return row;
}

static GtkWidget *
banner_new (const char *text, const char *css)
{
  GtkWidget *l = label_new (text, "banner", TRUE);
  gtk_widget_add_css_class (l, css);
  return l;
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

static void
append (LabInspector *self, GtkWidget *w)
{
  gtk_box_append (GTK_BOX (self->detail_box), w);
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

static void
update_legend (LabInspector *self, guint seen)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->legend_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->legend_box), child);
  for (guint k = 0; k < LAB_HEX_N_SPANS; k++)
    {
      GtkWidget *chip;
      g_autofree char *css = NULL;

      if (!(seen & (1u << k)))
        continue;
      chip = gtk_label_new (lab_hex_view_span_name (k));
      gtk_widget_add_css_class (chip, "legend-chip");
      css = g_strdup_printf ("span-%u", k);
      gtk_widget_add_css_class (chip, css);
      gtk_box_append (GTK_BOX (self->legend_box), chip);
    }
}

static void
set_field_info (LabInspector *self, const TlsField *f)
{
  g_autofree char *markup = NULL;
  g_autofree char *name = NULL, *value = NULL, *desc = NULL, *span = NULL;

  if (f == NULL)
    {
      gtk_label_set_text (self->field_info,
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

/* A copy of the message's fields, with each certificate's own fields
 * (subject, validity, key, ...) under its "data", so they light up their
 * bytes like any field. */
static TlsField *
message_fields (const TlsStep *s)
{
  TlsField *copy = tls_field_copy (s->fields);
  g_autoptr (GArray) certs = NULL;

  if (copy == NULL || s->kind != TLS_STEP_MESSAGE || s->content_type != TLS_CONTENT_HANDSHAKE
      || s->handshake_type != TLS_HS_CERTIFICATE)
    return copy;
  certs = certificates_of (s, copy);
  for (guint i = 0; i < certs->len; i++)
    {
      CertEntry *e = &g_array_index (certs, CertEntry, i);
      TlsField *x509 = tls_field_copy (tls_certificate_get_fields (e->cert));

      if (x509 == NULL || tls_field_n_children (e->data) > 0)
        {
          tls_field_free (x509);
          continue;
        }
      tls_field_shift (x509, (gssize) e->data->offset);
      x509->parent = e->data;
      e->data->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_field_free);
      g_ptr_array_add (e->data->children, x509);
    }
  return copy;
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
  if (wire)
    add_wire_spans (self, root, &seen);
  update_legend (self, seen);

  self->syncing = TRUE;
  if (root && !wire)
    {
      g_autoptr (TlsField) with_certs = message_fields (s);
      top = lab_field_list_new_for_root (with_certs);
    }
  else
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
  g_object_unref (field);
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

static void
bind_row_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *expander = gtk_list_item_get_child (item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (name);
  g_autoptr (LabField) field = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (name), lab_field_get_name (field));
  gtk_label_set_text (GTK_LABEL (value), lab_field_get_value (field) ? lab_field_get_value (field) : "");
  /* no tooltip: setting one asks the X server where the pointer is (a
   * round trip per row); the description shows under the tree instead */
}

/* ------------------------------------------------------------------ */
/* Detail pages                                                        */

static void
fill_derivation (LabInspector *self, const TlsStep *s)
{
  if (s->formula)
    {
      append (self, heading_new (_("Formula")));
      append (self, label_new (s->formula, "formula", TRUE));
    }
  if (s->inputs->len)
    {
      append (self, heading_new (_("Inputs")));
      for (guint i = 0; i < s->inputs->len; i++)
        append (self, value_card_new (self, g_ptr_array_index (s->inputs, i)));
    }
  if (s->outputs->len)
    {
      append (self, heading_new (_("Outputs")));
      for (guint i = 0; i < s->outputs->len; i++)
        append (self, value_card_new (self, g_ptr_array_index (s->outputs, i)));
    }
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

/* A card per certificate of CERT_MSG; the one the check is about (its
 * name in the check's title) is marked. */
static void
add_certificate_cards (LabInspector *self, const TlsStep *cert_msg, const TlsStep *check)
{
  GArray *certs = g_hash_table_lookup (self->cert_cache, GUINT_TO_POINTER (cert_msg->index));

  /* each chain check shows the same certificates: decode them once */
  if (certs == NULL)
    {
      certs = certificates_of (cert_msg, cert_msg->fields);
      g_hash_table_insert (self->cert_cache, GUINT_TO_POINTER (cert_msg->index), certs);
    }
  GtkWidget *box;
  gboolean relevant = FALSE;

  if (certs->len == 0)
    return;
  /* only for checks about certificates */
  for (guint i = 0; i < certs->len && !relevant; i++)
    {
      const char *const *cn = tls_certificate_get_common_names (g_array_index (certs, CertEntry, i).cert);
      for (guint k = 0; cn && cn[k] && !relevant; k++)
        relevant = (check->title && strstr (check->title, cn[k]))
                   || (check->subject && strstr (check->subject, cn[k]));
    }
  relevant = relevant || (check->title && (strstr (check->title, "ertificat") || strstr (check->title, "chain")));
  if (!relevant)
    return;

  append (self, heading_new (_("Certificates received")));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  for (guint i = 0; i < certs->len; i++)
    {
      TlsCertificate *cert = g_array_index (certs, CertEntry, i).cert;
      const char *const *cn = tls_certificate_get_common_names (cert);
      const char *const *dns = tls_certificate_get_dns_names (cert);
      g_autofree char *title = NULL, *from = NULL, *to = NULL, *validity = NULL, *key = NULL;
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      gboolean about = FALSE;

      for (guint k = 0; cn && cn[k] && !about; k++)
        about = check->title && strstr (check->title, cn[k]);
      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "cert-card");
      if (about)
        gtk_widget_add_css_class (card, "cert-card-current");
      /* Translators: "Certificate 1 (the sender’s own)"; later ones certify the one before */
      title = i == 0 ? g_strdup_printf (_("Certificate %u (the sender’s own)"), i + 1)
                     : g_strdup_printf (_("Certificate %u (certifies the one before)"), i + 1);
      gtk_box_append (GTK_BOX (card), label_new (title, "value-name", FALSE));
      gtk_box_append (GTK_BOX (card), pair_row_new (_("Subject"), tls_certificate_get_subject (cert)));
      gtk_box_append (GTK_BOX (card), pair_row_new (_("Issuer"), tls_certificate_get_issuer (cert)));
      from = format_time (tls_certificate_get_not_before (cert));
      to = format_time (tls_certificate_get_not_after (cert));
      /* Translators: a validity period, "2026-01-01 00:00 UTC to 2027-01-01 00:00 UTC" */
      validity = g_strdup_printf (_("%s to %s"), from, to);
      gtk_box_append (GTK_BOX (card), pair_row_new (_("Valid"), validity));
      key = tls_certificate_describe_key (cert);
      gtk_box_append (GTK_BOX (card), pair_row_new (_("Key"), key));
      if (dns && dns[0])
        {
          g_autofree char *names = g_strjoinv (", ", (char **) dns);
          gtk_box_append (GTK_BOX (card), pair_row_new (_("Names (SAN)"), names));
        }
      gtk_box_append (GTK_BOX (box), card);
    }
  append (self, box);
}

static void
fill_check (LabInspector *self, const TlsStep *s)
{
  g_autofree char *banner = g_strdup_printf ("%s%s%s", result_text (s->result),
                                             s->reason ? ": " : "", s->reason ? s->reason : "");
  const TlsStep *cert_msg;
  GtkWidget *list;
  guint n_checks = 0, first;

  append (self, banner_new (banner, result_css (s->result)));
  if (s->subject)
    append (self, pair_row_new (_("Checked"), s->subject));
  if (s->against)
    append (self, pair_row_new (_("Against"), s->against));
  if (s->inputs->len)
    {
      append (self, heading_new (_("Evidence")));
      for (guint i = 0; i < s->inputs->len; i++)
        append (self, value_card_new (self, g_ptr_array_index (s->inputs, i)));
    }
  for (guint i = 0; i < s->outputs->len; i++)
    append (self, value_card_new (self, g_ptr_array_index (s->outputs, i)));

  cert_msg = certificate_message_for (self, s);
  if (cert_msg)
    add_certificate_cards (self, cert_msg, s);

  /* every check of this connection that has run so far */
  list = gtk_list_box_new ();
  gtk_widget_set_can_focus (list, FALSE);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  first = s->index;
  while (first > 0 && lab_session_get_step (self->session, first - 1)->connection == s->connection)
    first--;
  for (guint i = first; i < lab_session_get_position (self->session); i++)
    {
      const TlsStep *c = lab_session_get_step (self->session, i);
      GtkWidget *row, *box, *mark, *text;
      g_autofree char *line = NULL;

      if (c->connection != s->connection)
        break;
      if (c->kind != TLS_STEP_CHECK)
        continue;
      n_checks++;
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      mark = gtk_label_new (c->result == TLS_CHECK_PASSED ? "✔" : c->result == TLS_CHECK_FAILED ? "✘" : "–");
      gtk_widget_add_css_class (mark, "check-mark");
      gtk_widget_add_css_class (mark, result_css (c->result));
      line = g_strdup_printf ("%u. %s%s%s", i + 1, c->title, c->reason ? " — " : "",
                              c->reason ? c->reason : "");
      /* one line each (the row opens the check itself) */
      text = label_new (line, NULL, FALSE);
      gtk_label_set_selectable (GTK_LABEL (text), FALSE);
      gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (text, TRUE);
      gtk_box_append (GTK_BOX (box), mark);
      gtk_box_append (GTK_BOX (box), text);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "lab.select-step");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "i", (int) i);
      if (i == s->index)
        gtk_widget_add_css_class (row, "current-check");
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  if (n_checks > 1)
    {
      append (self, heading_new (_("All checks of this connection so far")));
      append (self, list);
    }
  else
    g_object_ref_sink (list), g_object_unref (list);
}

/* Whether OPTION is the one CHOICE picked: the same text, or (for a
 * session cache's entries) a session ID of OPTION named in CHOICE. */
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
fill_decision (LabInspector *self, const TlsStep *s)
{
  if (s->choice)
    {
      /* Translators: the banner of a decision: "Chosen: TLS_RSA_WITH_..." */
      g_autofree char *text = g_strdup_printf (_("Chosen: %s"), s->choice);
      append (self, banner_new (text, "accent"));
    }
  if (s->reason)
    append (self, pair_row_new (_("Why"), s->reason));
  if (s->options->len)
    {
      GtkWidget *list = gtk_list_box_new ();
      g_autofree char *heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The option", "The %u options",
                                                               s->options->len), s->options->len);

      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      append (self, heading_new (heading));
      for (guint i = 0; i < s->options->len; i++)
        {
          const char *opt = g_ptr_array_index (s->options, i);
          gboolean chosen = option_chosen (opt, s->choice);
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
          GtkWidget *mark = gtk_label_new (chosen ? "➜" : "");
          GtkWidget *text = label_new (opt, chosen ? "chosen" : NULL, TRUE);
          GtkWidget *row = gtk_list_box_row_new ();

          gtk_widget_set_size_request (mark, 24, -1);
          gtk_widget_add_css_class (mark, "check-mark");
          gtk_widget_set_hexpand (text, TRUE);
          gtk_box_append (GTK_BOX (box), mark);
          gtk_box_append (GTK_BOX (box), text);
          if (chosen)
            {
              gtk_box_append (GTK_BOX (box), label_new (_("chosen"), "chosen-tag", FALSE));
              gtk_widget_add_css_class (row, "chosen-row");
            }
          gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
          gtk_list_box_append (GTK_LIST_BOX (list), row);
        }
      append (self, list);
    }
  if (s->inputs->len)
    {
      append (self, heading_new (_("What the decision looked at")));
      for (guint i = 0; i < s->inputs->len; i++)
        append (self, value_card_new (self, g_ptr_array_index (s->inputs, i)));
    }
  if (s->outputs->len)
    {
      append (self, heading_new (_("Result")));
      for (guint i = 0; i < s->outputs->len; i++)
        append (self, value_card_new (self, g_ptr_array_index (s->outputs, i)));
    }
}

static void
fill_alert (LabInspector *self, const TlsStep *s)
{
  g_autofree char *text = NULL;
  const char *level = s->alert_level == TLS_ALERT_LEVEL_WARNING ? _("warning") : _("fatal");

  /* Translators: "fatal alert: decrypt_error (51)" */
  text = g_strdup_printf (_("%s alert: %s (%u)"), level,
                          tls_alert_name (s->alert_description), s->alert_description);
  append (self, banner_new (text, "error"));
  if (s->reason)
    append (self, pair_row_new (_("Why"), s->reason));
  if (s->bytes)
    {
      g_autofree char *hex = hex_spaced (s->bytes);
      append (self, heading_new (_("Bytes of the alert")));
      append (self, label_new (hex, "value-hex", FALSE));
    }
  if (s->wire && s->encrypted)
    append (self, label_new (_("The alert was sent encrypted, under the keys in use."), "value-note", TRUE));
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

static const char *
actor_text (TlsActor a)
{
  return a == TLS_ACTOR_CLIENT ? _("Client") : _("Server");
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
  gtk_label_set_markup (self->rfc_label, markup);
}

static void
show_step (LabInspector *self)
{
  const TlsStep *s = NULL;
  GtkWidget *badge = GTK_WIDGET (self->kind_badge);
  static const char *kind_css[] = { "kind-message", "kind-derivation", "kind-check",
                                    "kind-decision", "kind-alert", "kind-appdata" };

  if (self->session && self->step >= 0)
    s = lab_session_get_step (self->session, self->step);

  clear_box (self->detail_box);
  for (guint i = 0; i < G_N_ELEMENTS (kind_css); i++)
    gtk_widget_remove_css_class (badge, kind_css[i]);

  if (s == NULL)
    {
      gtk_label_set_text (self->title_label, self->session ? lab_session_get_title (self->session) : "");
      gtk_label_set_text (self->subtitle_label, "");
      gtk_widget_set_visible (badge, FALSE);
      gtk_label_set_text (self->explanation_label,
                          self->session && lab_session_get_scenario (self->session)
                          && lab_session_get_scenario (self->session)->description
                          ? lab_session_get_scenario (self->session)->description : "");
      self->explained_height = -1;
      set_rfc (self, NULL);
      gtk_stack_set_visible_child_name (self->pages, "empty");
      return;
    }

  gtk_widget_set_visible (badge, TRUE);
  gtk_label_set_text (self->kind_badge, kind_text (s->kind));
  if (s->kind <= TLS_STEP_APPDATA)
    gtk_widget_add_css_class (badge, kind_css[s->kind]);
  gtk_label_set_text (self->title_label, s->title);
  {
    g_autofree char *sub = NULL;
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
    gtk_label_set_text (self->subtitle_label, sub);
  }
  gtk_label_set_text (self->explanation_label, s->explanation ? s->explanation : "");
  self->explained_height = -1;
  set_rfc (self, s->rfc);

  switch (s->kind)
    {
    case TLS_STEP_MESSAGE:
    case TLS_STEP_APPDATA:
      fill_message (self, s);
      gtk_stack_set_visible_child_name (self->pages, "message");
      break;
    case TLS_STEP_DERIVATION:
      fill_derivation (self, s);
      gtk_stack_set_visible_child_name (self->pages, "detail");
      break;
    case TLS_STEP_CHECK:
      fill_check (self, s);
      gtk_stack_set_visible_child_name (self->pages, "detail");
      break;
    case TLS_STEP_DECISION:
      fill_decision (self, s);
      gtk_stack_set_visible_child_name (self->pages, "detail");
      break;
    case TLS_STEP_ALERT:
    default:
      fill_alert (self, s);
      gtk_stack_set_visible_child_name (self->pages, "detail");
      break;
    }
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
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_INSPECTOR);
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->tree);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->cert_cache, g_hash_table_unref);
  G_OBJECT_CLASS (lab_inspector_parent_class)->dispose (object);
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
  int min = 0, want;

  /* measuring a paragraph shapes all of it: only when it or the width
   * changed */
  if (width != self->explained_width || self->explained_height < 0)
    {
      gtk_widget_measure (GTK_WIDGET (self->explanation_label), GTK_ORIENTATION_VERTICAL,
                          width, &min, &self->explained_height, NULL, NULL);
      self->explained_width = width;
    }
  want = MIN (self->explained_height, height * 2 / 5);
  if (want != gtk_scrolled_window_get_min_content_height (self->explanation_scroller))
    {
      /* min <= max at every moment */
      gtk_scrolled_window_set_min_content_height (self->explanation_scroller, -1);
      gtk_scrolled_window_set_max_content_height (self->explanation_scroller, MAX (want, 1));
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
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/handshakelab/HandshakeLab/ui/lab-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, LabInspector, content);
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
  gtk_widget_class_bind_template_child (widget_class, LabInspector, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, rfc_label);
  gtk_widget_class_bind_template_child (widget_class, LabInspector, explanation_scroller);
  gtk_widget_class_set_css_name (widget_class, "inspector");
}

static void
lab_inspector_init (LabInspector *self)
{
  GtkListItemFactory *factory;

  self->step = -1;
  self->explained_height = -1;
  self->cert_cache = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->field_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->field_list, GTK_SELECTION_MODEL (self->selection));
  /* Space, Left and Right step the handshake (application accelerators);
   * a focused list or button would take them, so these are worked with
   * the pointer and never hold the keyboard focus. */
  gtk_widget_set_can_focus (GTK_WIDGET (self->field_list), FALSE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self->message_toggle), FALSE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self->wire_toggle), FALSE);

  g_signal_connect (self->hex_view, "byte-activated", G_CALLBACK (byte_activated_cb), self);
  g_signal_connect (self->message_toggle, "toggled", G_CALLBACK (toggle_cb), self);
  g_signal_connect (self->wire_toggle, "toggled", G_CALLBACK (toggle_cb), self);
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
  if (GTK_IS_LABEL (w) && gtk_widget_get_visible (w))
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
  collect_text (self->detail_box, out);
  return g_string_free (out, FALSE);
}
