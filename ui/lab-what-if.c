/* lab-what-if.c — "What if…" and "Compare…" (lab-what-if.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <adwaita.h>

#include "lab-what-if.h"
#include "lab-compare-view.h"
#include "tls-attacker.h"
#include "tls-config.h"
#include "tls-suites.h"

/* The demo PKI's deliberately bad server certificates (data/pki/README.md),
 * and "wrong-host". */
static const char *const certificates[] = {
  "server-rsa", "expired", "wrong-host", "untrusted", "bad-signature",
  "missing-intermediate", NULL
};
static const char *const versions[] = { "1.2", "1.1", "1.0", NULL };
#define WRONG_HOST "wrong-host.example"

const char *
lab_what_if_kind_label (LabWhatIfKind kind)
{
  switch (kind)
    {
    case LAB_WHAT_IF_SUITE:       return _("The server picks the cipher suite");
    case LAB_WHAT_IF_VERSION:     return _("The client speaks up to TLS version");
    case LAB_WHAT_IF_CERTIFICATE: return _("The server's certificate is");
    case LAB_WHAT_IF_GROUP:       return _("The server uses the (EC)DHE group");
    case LAB_WHAT_IF_TAMPER:      return _("The attacker edits a field of the next message");
    case LAB_WHAT_IF_FLIP:        return _("The attacker flips a bit of the next record");
    case LAB_WHAT_IF_DROP:        return _("The attacker drops the next record");
    case LAB_WHAT_IF_REPLAY:      return _("The attacker replays the next record");
    case LAB_WHAT_IF_REORDER:     return _("The attacker delivers the next record after the following one");
    case LAB_WHAT_IF_INJECT:      return _("The attacker injects a record before the next record");
    case LAB_WHAT_IF_N_KINDS:
    default:                      return "";
    }
}

GStrv
lab_what_if_values (LabWhatIfKind kind, const TlsScenario *sc)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  switch (kind)
    {
    case LAB_WHAT_IF_SUITE:
      {
        guint n = 0;
        const TlsSuite **all = tls_suite_all (&n);
        for (guint i = 0; i < n; i++)
          g_strv_builder_add (b, all[i]->name);
        break;
      }
    case LAB_WHAT_IF_VERSION:
      g_strv_builder_addv (b, (const char **) versions);
      break;
    case LAB_WHAT_IF_CERTIFICATE:
      g_strv_builder_addv (b, (const char **) certificates);
      break;
    case LAB_WHAT_IF_GROUP:
      g_strv_builder_addv (b, (const char **) tls_config_group_names ());
      break;
    case LAB_WHAT_IF_TAMPER:
    case LAB_WHAT_IF_FLIP:
    case LAB_WHAT_IF_DROP:
    case LAB_WHAT_IF_REPLAY:
    case LAB_WHAT_IF_REORDER:
    case LAB_WHAT_IF_INJECT:
    case LAB_WHAT_IF_N_KINDS:
    default:
      break;
    }
  return g_strv_builder_end (b);
}

TlsScenario *
lab_what_if_apply (const TlsScenario *sc, LabWhatIfKind kind, const char *value, GError **error)
{
  g_autoptr (TlsScenario) out = tls_scenario_copy (sc);

  switch (kind)
    {
    case LAB_WHAT_IF_SUITE:
      {
        const TlsSuite *suite = tls_suite_by_name (value);
        if (suite == NULL)
          break;
        g_array_set_size (out->server_suites, 0);
        g_array_append_val (out->server_suites, suite->id);
        return g_steal_pointer (&out);
      }
    case LAB_WHAT_IF_VERSION:
      {
        guint16 v = g_str_equal (value, "1.0") ? 0x0301 : g_str_equal (value, "1.1") ? 0x0302
                    : g_str_equal (value, "1.2") ? 0x0303 : 0;
        if (v == 0)
          break;
        out->client_max_version = v;
        return g_steal_pointer (&out);
      }
    case LAB_WHAT_IF_CERTIFICATE:
      if (!g_strv_contains (certificates, value))
        break;
      if (g_str_equal (value, "wrong-host"))
        {
          g_free (out->server_name);
          out->server_name = g_strdup (WRONG_HOST);
        }
      else
        {
          g_free (out->server_cert);
          out->server_cert = g_strdup (value);
        }
      return g_steal_pointer (&out);
    case LAB_WHAT_IF_GROUP:
      if (value == NULL || !g_strv_contains (tls_config_group_names (), value))
        break;
      g_free (out->server_groups);
      out->server_groups = g_strdup (value);
      return g_steal_pointer (&out);
    case LAB_WHAT_IF_TAMPER:
    case LAB_WHAT_IF_FLIP:
    case LAB_WHAT_IF_DROP:
    case LAB_WHAT_IF_REPLAY:
    case LAB_WHAT_IF_REORDER:
    case LAB_WHAT_IF_INJECT:
    case LAB_WHAT_IF_N_KINDS:
    default:
      break;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a choice for “%s”"), value ? value : "", lab_what_if_kind_label (kind));
  return NULL;
}


/* ------------------------------------------------------------------ */
/* The attacker's changes                                              */

gboolean
lab_what_if_kind_is_attack (LabWhatIfKind kind)
{
  return kind >= LAB_WHAT_IF_TAMPER && kind < LAB_WHAT_IF_N_KINDS;
}

static const char *
sender_text (TlsActor a)
{
  return a == TLS_ACTOR_CLIENT ? _("client") : _("server");
}

int
lab_what_if_next_record (const TlsTrace *trace, int step, TlsActor sender)
{
  for (guint i = (guint) MAX (step, 0); i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      g_autofree char *target = NULL;

      if (s->actor != sender)
        continue;
      target = tls_attack_target_of_step (trace, i);
      if (target != NULL)
        return (int) i;
    }
  return -1;
}

/* A path the attacker's tamper can name (docs/attacker.md, FIELD). */
static void
collect_fields (TlsField *root, TlsField *f, const char *prefix, GStrvBuilder *out)
{
  for (guint i = 0; i < tls_field_n_children (f); i++)
    {
      TlsField *c = tls_field_child (f, i);
      g_autofree char *path = NULL, *slashed = NULL;

      if (c->name == NULL || strpbrk (c->name, ".=;/") != NULL)
        continue;
      path = prefix ? g_strdup_printf ("%s.%s", prefix, c->name) : g_strdup (c->name);
      slashed = g_strdelimit (g_strdup (path), ".", '/');
      /* a path that finds another field (a list's second entry) is left out */
      if (tls_field_find (root, slashed) == c)
        {
          g_strv_builder_add (out, path);
          collect_fields (root, c, path, out);
        }
    }
}

GStrv
lab_what_if_fields (const TlsTrace *trace, guint index)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  const TlsStep *s = index < tls_trace_len (trace) ? tls_trace_get (trace, index) : NULL;

  if (s != NULL && !s->encrypted && s->fields != NULL)
    collect_fields (s->fields, s->fields, NULL, b);
  return g_strv_builder_end (b);
}

/* Hex bytes ("00 9d", "0x009d", "00:9d"); NULL with a message naming the
 * problem (WHAT: what the bytes are). */
static GBytes *
parse_hex (const char *text, const char *what, GError **error)
{
  g_autofree char *t = g_strstrip (g_strdup (text ? text : ""));
  const char *p = t;
  GBytes *b;

  if (g_str_has_prefix (p, "0x") || g_str_has_prefix (p, "0X"))
    p += 2;
  b = tls_bytes_from_hex (p);
  if (b != NULL)
    return b;
  for (const char *q = p; *q; q++)
    if (!g_ascii_isxdigit (*q) && !g_ascii_isspace (*q) && *q != ':')
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("%s: “%s” is not hex: “%c” is not a hex digit (0–9, a–f; e.g. 00 9d)"),
                     what, t, *q);
        return NULL;
      }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("%s: “%s” has an odd number of hex digits (two make a byte)"), what, t);
  return NULL;
}

static const char *const content_types[] = {
  "alert", "handshake", "change_cipher_spec", "application_data", NULL
};

char *
lab_what_if_action (const TlsTrace *trace, int step, const LabWhatIfChange *c, int *target_step,
                    GError **error)
{
  g_autofree char *target = NULL, *action = NULL;
  const TlsStep *s;
  int j;

  if (!lab_what_if_kind_is_attack (c->kind))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not made by the attacker"), lab_what_if_kind_label (c->kind));
      return NULL;
    }
  j = lab_what_if_next_record (trace, step, c->sender);
  if (j < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("the %s sends no record from step %d on: nothing for the attacker to act on"),
                   sender_text (c->sender), MAX (step, 0) + 1);
      return NULL;
    }
  target = tls_attack_target_of_step (trace, (guint) j);
  s = tls_trace_get (trace, (guint) j);
  /* the attacker acts on the first record of that name (docs/attacker.md) */
  for (guint k = 0; k < (guint) j; k++)
    {
      g_autofree char *t = tls_attack_target_of_step (trace, k);
      if (g_strcmp0 (t, target) == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("the attacker names a record by its message, sender and connection "
                         "(%s): that is the %s of step %u, not the one of step %d"),
                       target, s->title, k + 1, j + 1);
          return NULL;
        }
    }
  if (target_step)
    *target_step = j;

  switch (c->kind)
    {
    case LAB_WHAT_IF_TAMPER:
      {
        g_autofree char *field = g_strstrip (g_strdup (c->field ? c->field : ""));
        g_autofree char *slashed = NULL, *hex = NULL;
        g_autoptr (GBytes) value = NULL;

        if (s->encrypted || s->fields == NULL)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("the %s's %s (step %d) is encrypted: the attacker cannot read or rewrite "
                           "its fields (flip a bit instead)"), sender_text (c->sender), s->title, j + 1);
            return NULL;
          }
        if (*field == '\0')
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 _("no field chosen: pick the field to change"));
            return NULL;
          }
        slashed = g_strdelimit (g_strdup (field), ".", '/');
        if (strpbrk (field, "=;") != NULL || tls_field_find (s->fields, slashed) == NULL)
          {
            GString *names = g_string_new (NULL);
            for (guint i = 0; i < tls_field_n_children (s->fields); i++)
              g_string_append_printf (names, "%s%s", i ? ", " : "", tls_field_child (s->fields, i)->name);
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("the %s has no field “%s” (its fields: %s)"), s->title, field, names->str);
            g_string_free (names, TRUE);
            return NULL;
          }
        value = parse_hex (c->value, _("The new value"), error);
        if (value == NULL)
          return NULL;
        hex = tls_hex (g_bytes_get_data (value, NULL), g_bytes_get_size (value));
        action = g_strdup_printf ("tamper:%s.%s=0x%s", target, field, hex);
      }
      break;
    case LAB_WHAT_IF_FLIP:
      {
        gsize frag = s->wire && g_bytes_get_size (s->wire) > 5 ? g_bytes_get_size (s->wire) - 5 : 0;

        if (c->byte >= frag)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("there is no byte %u: the fragment of the %s record has %u bytes (0 to %u)"),
                         c->byte, s->title, (guint) frag, (guint) MAX (frag, 1) - 1);
            return NULL;
          }
        if (c->bit > 7)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("there is no bit %u in a byte (0 to 7)"), c->bit);
            return NULL;
          }
        action = g_strdup_printf ("flip:%s@%u.%u", target, c->byte, c->bit);
      }
      break;
    case LAB_WHAT_IF_INJECT:
      {
        g_autoptr (GBytes) frag = NULL;
        g_autofree char *hex = NULL;

        if (c->content_type == NULL || !g_strv_contains (content_types, c->content_type))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("“%s” is not a record type (alert, handshake, change_cipher_spec or "
                           "application_data)"), c->content_type ? c->content_type : "");
            return NULL;
          }
        frag = parse_hex (c->value, _("The record's fragment"), error);
        if (frag == NULL)
          return NULL;
        if (g_bytes_get_size (frag) == 0)
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 _("The record's fragment is empty: give its bytes in hex (e.g. 0228, "
                                   "a fatal handshake_failure alert)"));
            return NULL;
          }
        hex = tls_hex (g_bytes_get_data (frag, NULL), g_bytes_get_size (frag));
        action = g_strdup_printf ("inject:%s:%s:%s", target, c->content_type, hex);
      }
      break;
    case LAB_WHAT_IF_DROP:
    case LAB_WHAT_IF_REPLAY:
    case LAB_WHAT_IF_REORDER:
    default:
      action = g_strdup_printf ("%s:%s", c->kind == LAB_WHAT_IF_DROP ? "drop"
                                         : c->kind == LAB_WHAT_IF_REPLAY ? "replay" : "reorder",
                                target);
      break;
    }
  {
    /* what the attacker will read back */
    g_autoptr (TlsAttack) a = tls_attack_parse (action, error);
    if (a == NULL)
      return NULL;
  }
  return g_steal_pointer (&action);
}

/* Whether the run chose an (EC)DHE group (the server's decision step). */
static gboolean
has_group_step (const TlsTrace *trace)
{
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      if (s->kind == TLS_STEP_DECISION && s->actor == TLS_ACTOR_SERVER
          && g_strcmp0 (s->title, "Key exchange group") == 0)
        return TRUE;
    }
  return FALSE;
}

GtkWindow *
lab_what_if_run_change (GtkWindow *parent, LabSession *session, int step,
                        const LabWhatIfChange *change, GError **error)
{
  const TlsScenario *sc = lab_session_get_scenario (session);
  g_autoptr (TlsScenario) changed = NULL;
  g_autoptr (LabSession) left = NULL, right = NULL;
  g_autofree char *lt = NULL, *rt = NULL, *action = NULL;

  if (sc == NULL || lab_session_get_mode (session) != LAB_SESSION_SCENARIO)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("“What if…” runs a scenario again: a recorded or live run cannot be"));
      return NULL;
    }
  left = lab_session_new ();
  if (!lab_session_load_scenario (left, sc, NULL, error))
    return NULL;
  lab_session_run_to_end (left);
  if (lab_what_if_kind_is_attack (change->kind))
    {
      action = lab_what_if_action (lab_session_get_trace (left), step, change, NULL, error);
      if (action == NULL)
        return NULL;
      changed = tls_scenario_copy (sc);
      if (!tls_scenario_add_attack (changed, action, error))
        return NULL;
    }
  else
    {
      if (change->kind == LAB_WHAT_IF_GROUP && !has_group_step (lab_session_get_trace (left)))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("this run's key exchange uses no (EC)DHE group (no “Key exchange "
                                 "group” step): the change would change nothing; open an ECDHE or "
                                 "DHE scenario"));
          return NULL;
        }
      changed = lab_what_if_apply (sc, change->kind, change->value, error);
      if (changed == NULL)
        return NULL;
    }
  right = lab_session_new ();
  if (!lab_session_load_scenario (right, changed, NULL, error))
    return NULL;
  lt = g_strdup (sc->name ? sc->name : _("original"));
  if (action != NULL)
    /* Translators: "full, what if: drop:server:ServerHelloDone#1 (from step 6)" */
    rt = g_strdup_printf (_("%s, what if: %s (from step %d)"), lt, action, step + 1);
  else
    /* Translators: "full, what if: The server's certificate is expired (from step 6)" */
    rt = g_strdup_printf (_("%s, what if: %s %s (from step %d)"), lt, lab_what_if_kind_label (change->kind),
                          change->value, step + 1);
  return lab_compare_window_new_for_sessions (parent, g_steal_pointer (&left), lt, -1,
                                              g_steal_pointer (&right), rt, -1, TLS_DETAIL_FULL);
}

GtkWindow *
lab_what_if_run (GtkWindow *parent, LabSession *session, int step, LabWhatIfKind kind,
                 const char *value, GError **error)
{
  LabWhatIfChange c = { .kind = kind, .value = value, .sender = TLS_ACTOR_SERVER };

  return lab_what_if_run_change (parent, session, step, &c, error);
}

/* ------------------------------------------------------------------ */
/* The dialogs                                                         */

typedef struct
{
  GtkWindow  *parent;
  LabSession *session;
  int         step;
  GtkWidget  *dialog;
  GtkWidget  *error;
  /* what-if */
  LabSession *full;        /* the original run to its end */
  GtkWidget  *kind;
  GtkWidget  *value_row, *value;
  GtkWidget  *sender_row, *sender, *target;
  GtkWidget  *field_row, *field_list, *field, *field_now;
  GtkStringList *fields;
  GtkWidget  *hex_row, *hex_label, *hex;
  GtkWidget  *flip_row, *byte, *bit;
  GtkWidget  *type_row, *type;
  /* compare */
  GtkWidget  *left, *right;
  GtkWidget  *left_file_label, *right_file_label;
  char       *files[2];
  GtkFileChooserNative *chooser;
  int         chooser_side;
} DialogData;

static void
dialog_data_free (DialogData *d)
{
  if (d->chooser)
    {
      g_signal_handlers_disconnect_by_data (d->chooser, d);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (d->chooser));
      g_clear_object (&d->chooser);
    }
  g_clear_object (&d->session);
  g_clear_object (&d->full);
  g_clear_object (&d->fields);
  g_free (d->files[0]);
  g_free (d->files[1]);
  g_free (d);
}

static DialogData *
dialog_data (GtkWindow *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "lab-what-if");
}

static const char *
selected_string (GtkWidget *dropdown)
{
  GObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (dropdown));

  return item ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static void
show_error (DialogData *d, const char *message)
{
  gtk_label_set_text (GTK_LABEL (d->error), message ? message : "");
  gtk_widget_set_visible (d->error, message != NULL);
}

static GtkWidget *
dialog_new (GtkWindow *parent, const char *title, GtkWidget **box)
{
  GtkWidget *dialog = adw_window_new ();
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_window_set_title (GTK_WINDOW (dialog), title);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  if (parent)
    gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  gtk_widget_add_css_class (dialog, "lab-window");
  *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (*box, 18);
  gtk_widget_set_margin_end (*box, 18);
  gtk_widget_set_margin_top (*box, 12);
  gtk_widget_set_margin_bottom (*box, 18);
  gtk_box_append (GTK_BOX (outer), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (outer), *box);
  adw_window_set_content (ADW_WINDOW (dialog), outer);
  return dialog;
}

static GtkWidget *
wrapped_label (const char *text, const char *css)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (l), 60);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

/* A row: a label (its mnemonic widget WIDGET) and WIDGET. */
static GtkWidget *
row_new (const char *label, GtkWidget *widget, GtkWidget **label_out)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *l = gtk_label_new_with_mnemonic (label);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), widget);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_box_append (GTK_BOX (row), l);
  gtk_box_append (GTK_BOX (row), widget);
  if (label_out)
    *label_out = l;
  return row;
}

static TlsActor
chosen_sender (DialogData *d)
{
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (d->sender)) == 1 ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT;
}

/* The field's present bytes, as a tamper's VALUE (a vector: its contents). */
static char *
field_value_hex (const TlsStep *s, const char *path)
{
  g_autofree char *slashed = g_strdelimit (g_strdup (path), ".", '/');
  TlsField *f = s->fields ? tls_field_find (s->fields, slashed) : NULL;
  const TlsField *len;
  gsize size, start;
  const guint8 *data;

  if (f == NULL || s->bytes == NULL)
    return NULL;
  data = g_bytes_get_data (s->bytes, &size);
  if (f->offset + f->length > size)
    return NULL;
  start = f->offset;
  len = tls_field_n_children (f) > 0 ? tls_field_child (f, 0) : NULL;
  if (len && g_strcmp0 (len->name, "length") == 0 && len->offset == f->offset && len->length < f->length)
    start = len->offset + len->length;
  return tls_hex (data + start, f->offset + f->length - start);
}

static void
field_chosen_cb (GtkDropDown *list, GParamSpec *pspec, DialogData *d)
{
  const char *path = selected_string (d->field_list);
  int j = lab_what_if_next_record (lab_session_get_trace (d->full), d->step, chosen_sender (d));
  const TlsStep *s = j >= 0 ? lab_session_get_step (d->full, (guint) j) : NULL;
  g_autofree char *hex = NULL, *now = NULL;
  TlsField *f = NULL;

  if (path == NULL || s == NULL)
    {
      gtk_label_set_text (GTK_LABEL (d->field_now), "");
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (d->field), path);
  hex = field_value_hex (s, path);
  {
    g_autofree char *slashed = g_strdelimit (g_strdup (path), ".", '/');
    f = tls_field_find (s->fields, slashed);
  }
  /* Translators: "now: TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009c)" — a field's present value */
  now = g_strdup_printf (_("now: %s"), f && f->value && *f->value ? f->value : hex ? hex : "");
  gtk_label_set_text (GTK_LABEL (d->field_now), now);
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (d->kind)) == LAB_WHAT_IF_TAMPER)
    gtk_editable_set_text (GTK_EDITABLE (d->hex), hex ? hex : "");
}

/* The target line and the field list, for the present sender. */
static void
update_target (DialogData *d)
{
  const TlsTrace *trace = lab_session_get_trace (d->full);
  TlsActor sender = chosen_sender (d);
  int j = lab_what_if_next_record (trace, d->step, sender);
  g_auto (GStrv) fields = NULL;
  g_autofree char *text = NULL;

  if (j < 0)
    text = g_strdup_printf (_("The %s sends no record from step %d on."), sender_text (sender),
                            MAX (d->step, 0) + 1);
  else
    {
      const TlsStep *s = tls_trace_get (trace, (guint) j);
      /* Translators: "Acts on: the server's ServerHello, step 5 (in the clear)" */
      text = g_strdup_printf (_("Acts on: the %s's %s, step %d (%s)"), sender_text (sender), s->title,
                              j + 1, s->encrypted ? _("encrypted: its fields cannot be read")
                                                  : _("in the clear"));
      fields = lab_what_if_fields (trace, (guint) j);
    }
  gtk_label_set_text (GTK_LABEL (d->target), text);
  gtk_string_list_splice (d->fields, 0, g_list_model_get_n_items (G_LIST_MODEL (d->fields)),
                          (const char *const *) fields);
  gtk_editable_set_text (GTK_EDITABLE (d->field), "");
  gtk_label_set_text (GTK_LABEL (d->field_now), "");
  if (fields && fields[0])
    {
      /* the first field worth changing: not the header's type and length */
      guint pick = 0;
      for (guint i = 0; fields[i]; i++)
        if (!g_str_equal (fields[i], "msg_type") && !g_str_equal (fields[i], "length"))
          {
            pick = i;
            break;
          }
      gtk_drop_down_set_selected (GTK_DROP_DOWN (d->field_list), GTK_INVALID_LIST_POSITION);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (d->field_list), pick);
    }
}

static void
kind_changed_cb (GtkDropDown *kind, GParamSpec *pspec, DialogData *d)
{
  LabWhatIfKind k = gtk_drop_down_get_selected (kind);
  gboolean attack = lab_what_if_kind_is_attack (k);

  gtk_widget_set_visible (d->value_row, !attack);
  gtk_widget_set_visible (d->sender_row, attack);
  gtk_widget_set_visible (d->target, attack);
  gtk_widget_set_visible (d->field_row, k == LAB_WHAT_IF_TAMPER);
  gtk_widget_set_visible (d->field_now, k == LAB_WHAT_IF_TAMPER);
  gtk_widget_set_visible (d->hex_row, k == LAB_WHAT_IF_TAMPER || k == LAB_WHAT_IF_INJECT);
  gtk_widget_set_visible (d->flip_row, k == LAB_WHAT_IF_FLIP);
  gtk_widget_set_visible (d->type_row, k == LAB_WHAT_IF_INJECT);
  show_error (d, NULL);
  if (!attack)
    {
      g_auto (GStrv) values = lab_what_if_values (k, lab_session_get_scenario (d->session));
      g_autoptr (GtkStringList) list = gtk_string_list_new ((const char *const *) values);

      gtk_drop_down_set_model (GTK_DROP_DOWN (d->value), G_LIST_MODEL (list));
      gtk_drop_down_set_selected (GTK_DROP_DOWN (d->value), 0);
      return;
    }
  gtk_label_set_text_with_mnemonic (GTK_LABEL (d->hex_label),
                                    k == LAB_WHAT_IF_INJECT ? _("Its _fragment (hex)")
                                                            : _("New _value (hex)"));
  if (k == LAB_WHAT_IF_INJECT)
    /* a fatal handshake_failure alert (RFC 5246, 7.2: level 2, description 40) */
    gtk_editable_set_text (GTK_EDITABLE (d->hex), "0228");
  else
    update_target (d);
}

static void
sender_changed_cb (GtkDropDown *sender, GParamSpec *pspec, DialogData *d)
{
  show_error (d, NULL);
  update_target (d);
}

static guint
find_string (GListModel *model, const char *s)
{
  for (guint i = 0; s && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkStringObject) o = g_list_model_get_item (model, i);
      if (g_str_equal (gtk_string_object_get_string (o), s))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

void
lab_what_if_dialog_get_change (GtkWindow *dialog, LabWhatIfChange *c)
{
  DialogData *d = dialog_data (dialog);
  LabWhatIfKind k = gtk_drop_down_get_selected (GTK_DROP_DOWN (d->kind));

  memset (c, 0, sizeof *c);
  c->kind = k;
  c->sender = chosen_sender (d);
  if (!lab_what_if_kind_is_attack (k))
    c->value = selected_string (d->value);
  else if (k == LAB_WHAT_IF_TAMPER || k == LAB_WHAT_IF_INJECT)
    c->value = gtk_editable_get_text (GTK_EDITABLE (d->hex));
  c->field = gtk_editable_get_text (GTK_EDITABLE (d->field));
  c->byte = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (d->byte));
  c->bit = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (d->bit));
  c->content_type = selected_string (d->type);
}

void
lab_what_if_dialog_set_change (GtkWindow *dialog, const LabWhatIfChange *c)
{
  DialogData *d = dialog_data (dialog);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (d->kind), c->kind);
  if (!lab_what_if_kind_is_attack (c->kind))
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (d->value),
                                  find_string (gtk_drop_down_get_model (GTK_DROP_DOWN (d->value)), c->value));
      return;
    }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (d->sender), c->sender == TLS_ACTOR_SERVER ? 1 : 0);
  if (c->field)
    {
      guint i = find_string (G_LIST_MODEL (d->fields), c->field);
      if (i != GTK_INVALID_LIST_POSITION)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (d->field_list), i);
      /* a path typed by hand may name no field: the entry is what counts */
      gtk_editable_set_text (GTK_EDITABLE (d->field), c->field);
    }
  if (c->value)
    gtk_editable_set_text (GTK_EDITABLE (d->hex), c->value);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->byte), c->byte);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->bit), c->bit);
  if (c->content_type)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (d->type),
                                find_string (gtk_drop_down_get_model (GTK_DROP_DOWN (d->type)),
                                             c->content_type));
}

GListModel *
lab_what_if_dialog_get_fields (GtkWindow *dialog)
{
  return G_LIST_MODEL (dialog_data (dialog)->fields);
}

const char *
lab_what_if_dialog_get_error (GtkWindow *dialog)
{
  DialogData *d = dialog_data (dialog);

  return gtk_widget_get_visible (d->error) ? gtk_label_get_text (GTK_LABEL (d->error)) : NULL;
}

GtkWindow *
lab_what_if_dialog_run (GtkWindow *dialog)
{
  DialogData *d = dialog_data (dialog);
  g_autoptr (GError) error = NULL;
  LabWhatIfChange c;
  GtkWindow *w;

  lab_what_if_dialog_get_change (dialog, &c);
  w = lab_what_if_run_change (d->parent, d->session, d->step, &c, &error);
  if (w == NULL)
    {
      show_error (d, error->message);
      return NULL;
    }
  gtk_window_present (w);
  gtk_window_destroy (GTK_WINDOW (d->dialog));
  return w;
}

static void
run_clicked_cb (GtkButton *button, DialogData *d)
{
  lab_what_if_dialog_run (GTK_WINDOW (d->dialog));
}

GtkWindow *
lab_what_if_dialog_present (GtkWindow *parent, LabSession *session, int step)
{
  DialogData *d = g_new0 (DialogData, 1);
  GtkWidget *box, *run, *flip;
  const TlsStep *s = step >= 0 ? lab_session_get_step (session, (guint) step) : NULL;
  g_autofree char *intro = NULL;
  g_autoptr (GtkStringList) kinds = gtk_string_list_new (NULL);
  const char *senders[] = { _("The client's next record"), _("The server's next record"), NULL };

  d->parent = parent;
  d->session = g_object_ref (session);
  d->step = step;
  d->full = lab_session_new ();
  if (lab_session_get_scenario (session) != NULL)
    {
      lab_session_load_scenario (d->full, lab_session_get_scenario (session), NULL, NULL);
      lab_session_run_to_end (d->full);
    }
  d->dialog = dialog_new (parent, _("What If…"), &box);
  g_object_set_data_full (G_OBJECT (d->dialog), "lab-what-if", d, (GDestroyNotify) dialog_data_free);
  intro = s ? g_strdup_printf (_("At step %d (%s): change what this run is made of, or let an "
                                 "attacker between client and server act on the next record; run "
                                 "it again with the same seed, and see both runs side by side, "
                                 "diverging where the change shows."), step + 1, s->title)
            : g_strdup (_("Change what this run is made of, or let an attacker between client and "
                          "server act on the next record; run it again with the same seed, and "
                          "see both runs side by side, diverging where the change shows."));
  gtk_box_append (GTK_BOX (box), wrapped_label (intro, NULL));
  for (guint k = 0; k < LAB_WHAT_IF_N_KINDS; k++)
    gtk_string_list_append (kinds, lab_what_if_kind_label (k));
  d->kind = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (kinds)), NULL);
  gtk_box_append (GTK_BOX (box), d->kind);

  d->value = gtk_drop_down_new (NULL, NULL);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (d->value), TRUE);
  d->value_row = row_new (_("_Choice"), d->value, NULL);
  gtk_box_append (GTK_BOX (box), d->value_row);

  d->sender = gtk_drop_down_new_from_strings (senders);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (d->sender), 1);
  d->sender_row = row_new (_("_Record"), d->sender, NULL);
  gtk_box_append (GTK_BOX (box), d->sender_row);
  d->target = wrapped_label ("", "dim-label");
  gtk_box_append (GTK_BOX (box), d->target);

  d->fields = gtk_string_list_new (NULL);
  d->field_list = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (d->fields)), NULL);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (d->field_list), TRUE);
  d->field = gtk_entry_new ();
  gtk_widget_set_tooltip_text (d->field, _("The field's path in the message, as the inspector "
                                           "shows it: a “.” walks down the tree"));
  d->field_row = row_new (_("_Field"), d->field_list, NULL);
  gtk_box_append (GTK_BOX (d->field_row), d->field);
  gtk_box_append (GTK_BOX (box), d->field_row);
  d->field_now = wrapped_label ("", "dim-label");
  gtk_label_set_selectable (GTK_LABEL (d->field_now), TRUE);
  gtk_box_append (GTK_BOX (box), d->field_now);

  d->hex = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (d->hex), "00 9d");
  d->hex_row = row_new (_("New _value (hex)"), d->hex, &d->hex_label);
  gtk_box_append (GTK_BOX (box), d->hex_row);

  d->byte = gtk_spin_button_new_with_range (0, 65535, 1);
  d->bit = gtk_spin_button_new_with_range (0, 7, 1);
  d->flip_row = row_new (_("_Byte of the fragment"), d->byte, NULL);
  flip = gtk_label_new_with_mnemonic (_("B_it"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (flip), d->bit);
  gtk_box_append (GTK_BOX (d->flip_row), flip);
  gtk_box_append (GTK_BOX (d->flip_row), d->bit);
  gtk_box_append (GTK_BOX (box), d->flip_row);

  d->type = gtk_drop_down_new_from_strings (content_types);
  d->type_row = row_new (_("Record _type"), d->type, NULL);
  gtk_box_append (GTK_BOX (box), d->type_row);

  d->error = wrapped_label ("", "error");
  gtk_widget_set_visible (d->error, FALSE);
  gtk_box_append (GTK_BOX (box), d->error);
  run = gtk_button_new_with_mnemonic (_("_Run With the Change"));
  gtk_widget_add_css_class (run, "suggested-action");
  gtk_widget_set_halign (run, GTK_ALIGN_END);
  g_signal_connect (run, "clicked", G_CALLBACK (run_clicked_cb), d);
  gtk_box_append (GTK_BOX (box), run);

  g_signal_connect (d->field_list, "notify::selected", G_CALLBACK (field_chosen_cb), d);
  g_signal_connect (d->sender, "notify::selected", G_CALLBACK (sender_changed_cb), d);
  g_signal_connect (d->kind, "notify::selected", G_CALLBACK (kind_changed_cb), d);
  update_target (d);
  kind_changed_cb (GTK_DROP_DOWN (d->kind), NULL, d);
  gtk_window_present (GTK_WINDOW (d->dialog));
  return GTK_WINDOW (d->dialog);
}

/* ---- Compare ------------------------------------------------------- */

static void
compare_file_set (DialogData *d, int side, const char *path)
{
  GtkWidget *label = side ? d->right_file_label : d->left_file_label;

  g_free (d->files[side]);
  d->files[side] = g_strdup (path);
  if (path)
    {
      g_autofree char *base = g_path_get_basename (path);
      /* Translators: "File: full.json" */
      g_autofree char *text = g_strdup_printf (_("File: %s"), base);
      gtk_label_set_text (GTK_LABEL (label), text);
      gtk_widget_set_tooltip_text (label, path);
    }
  else
    gtk_label_set_text (GTK_LABEL (label), "");
  gtk_widget_set_visible (label, path != NULL);
}

void
lab_compare_dialog_set_files (GtkWindow *dialog, const char *left, const char *right)
{
  DialogData *d = dialog_data (dialog);

  compare_file_set (d, 0, left);
  compare_file_set (d, 1, right);
}

const char *
lab_compare_dialog_get_error (GtkWindow *dialog)
{
  return lab_what_if_dialog_get_error (dialog);
}

GtkWindow *
lab_compare_dialog_run (GtkWindow *dialog)
{
  DialogData *d = dialog_data (dialog);
  g_autoptr (GError) error = NULL;
  const char *left = d->files[0] ? d->files[0] : selected_string (d->left);
  const char *right = d->files[1] ? d->files[1] : selected_string (d->right);
  GtkWindow *w = lab_compare_window_new (d->parent, left, right, TLS_DETAIL_FULL, &error);

  if (w == NULL)
    {
      show_error (d, error->message);
      return NULL;
    }
  gtk_window_present (w);
  gtk_window_destroy (GTK_WINDOW (d->dialog));
  return w;
}

static void
compare_clicked_cb (GtkButton *button, DialogData *d)
{
  lab_compare_dialog_run (GTK_WINDOW (d->dialog));
}

/* A scenario picked again: the side is that scenario, not the file. */
static void
scenario_picked_cb (GtkDropDown *dropdown, GParamSpec *pspec, DialogData *d)
{
  compare_file_set (d, GTK_WIDGET (dropdown) == d->right ? 1 : 0, NULL);
  show_error (d, NULL);
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, DialogData *d)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path)
        compare_file_set (d, d->chooser_side, path);
      show_error (d, NULL);
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&d->chooser);
}

static void
choose_file (DialogData *d, int side)
{
  GtkFileFilter *filter;

  if (d->chooser)
    return;
  d->chooser_side = side;
  d->chooser = gtk_file_chooser_native_new (side ? _("The Right Run: a Trace or a Capture")
                                                 : _("The Left Run: a Trace or a Capture"),
                                            GTK_WINDOW (d->dialog), GTK_FILE_CHOOSER_ACTION_OPEN,
                                            _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (d->chooser), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Trace or capture"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_pattern (filter, "*.pcap");
  gtk_file_filter_add_pattern (filter, "*.pcapng");
  gtk_file_filter_add_pattern (filter, "*.cap");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (d->chooser), filter);
  g_object_unref (filter);
  g_signal_connect (d->chooser, "response", G_CALLBACK (chooser_response_cb), d);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (d->chooser));
}

static void
left_file_clicked_cb (GtkButton *button, DialogData *d)
{
  choose_file (d, 0);
}

static void
right_file_clicked_cb (GtkButton *button, DialogData *d)
{
  choose_file (d, 1);
}

static GtkWidget *
compare_side (DialogData *d, int side, GtkWidget *dropdown, GtkWidget **file_label)
{
  GtkWidget *col = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button = gtk_button_new_with_mnemonic (side ? _("File…") : _("F_ile…"));

  gtk_widget_set_tooltip_text (button, _("A saved trace (.json) or a capture (.pcap, .pcapng)"));
  gtk_widget_set_hexpand (dropdown, TRUE);
  gtk_box_append (GTK_BOX (line), dropdown);
  gtk_box_append (GTK_BOX (line), button);
  gtk_box_append (GTK_BOX (col), line);
  *file_label = wrapped_label ("", "dim-label");
  gtk_label_set_ellipsize (GTK_LABEL (*file_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_wrap (GTK_LABEL (*file_label), FALSE);
  gtk_widget_set_visible (*file_label, FALSE);
  gtk_box_append (GTK_BOX (col), *file_label);
  gtk_widget_set_hexpand (col, TRUE);
  g_signal_connect (button, "clicked", G_CALLBACK (side ? right_file_clicked_cb : left_file_clicked_cb), d);
  return col;
}

GtkWindow *
lab_compare_dialog_present (GtkWindow *parent)
{
  DialogData *d = g_new0 (DialogData, 1);
  GtkWidget *box, *go, *row;
  const char *const *names = tls_scenario_names ();

  d->parent = parent;
  d->dialog = dialog_new (parent, _("Compare Two Runs"), &box);
  g_object_set_data_full (G_OBJECT (d->dialog), "lab-what-if", d, (GDestroyNotify) dialog_data_free);
  gtk_box_append (GTK_BOX (box),
                  wrapped_label (_("Two runs side by side, aligned by message, what differs "
                                   "marked: pick a scenario for each side, or a file (a saved "
                                   "trace or a capture)."), NULL));
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  d->left = gtk_drop_down_new_from_strings (names);
  d->right = gtk_drop_down_new_from_strings (names);
  for (guint i = 0; names[i]; i++)
    if (g_str_equal (names[i], "ecdhe-rsa"))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (d->right), i);
    else if (g_str_equal (names[i], "full"))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (d->left), i);
  gtk_box_append (GTK_BOX (row), compare_side (d, 0, d->left, &d->left_file_label));
  gtk_box_append (GTK_BOX (row), compare_side (d, 1, d->right, &d->right_file_label));
  gtk_box_append (GTK_BOX (box), row);
  g_signal_connect (d->left, "notify::selected", G_CALLBACK (scenario_picked_cb), d);
  g_signal_connect (d->right, "notify::selected", G_CALLBACK (scenario_picked_cb), d);
  d->error = wrapped_label ("", "error");
  gtk_widget_set_visible (d->error, FALSE);
  gtk_box_append (GTK_BOX (box), d->error);
  go = gtk_button_new_with_mnemonic (_("_Compare"));
  gtk_widget_add_css_class (go, "suggested-action");
  gtk_widget_set_halign (go, GTK_ALIGN_END);
  g_signal_connect (go, "clicked", G_CALLBACK (compare_clicked_cb), d);
  gtk_box_append (GTK_BOX (box), go);
  gtk_window_present (GTK_WINDOW (d->dialog));
  return GTK_WINDOW (d->dialog);
}
