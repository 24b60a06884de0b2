/* lab-what-if.c — "What if…" and "Compare…" (lab-what-if.h). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <adwaita.h>

#include "lab-what-if.h"
#include "lab-compare-view.h"
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
    case LAB_WHAT_IF_N_KINDS:
    default:
      break;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a choice for “%s”"), value, lab_what_if_kind_label (kind));
  return NULL;
}

GtkWindow *
lab_what_if_run (GtkWindow *parent, LabSession *session, int step, LabWhatIfKind kind,
                 const char *value, GError **error)
{
  const TlsScenario *sc = lab_session_get_scenario (session);
  g_autoptr (TlsScenario) changed = NULL;
  g_autoptr (LabSession) left = NULL, right = NULL;
  g_autofree char *lt = NULL, *rt = NULL;

  if (sc == NULL || lab_session_get_mode (session) != LAB_SESSION_SCENARIO)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("“What if…” runs a scenario again: a recorded or live run cannot be"));
      return NULL;
    }
  changed = lab_what_if_apply (sc, kind, value, error);
  if (changed == NULL)
    return NULL;
  left = lab_session_new ();
  right = lab_session_new ();
  if (!lab_session_load_scenario (left, sc, NULL, error)
      || !lab_session_load_scenario (right, changed, NULL, error))
    return NULL;
  lt = g_strdup (sc->name ? sc->name : _("original"));
  /* Translators: "full, what if: The server's certificate is expired (from step 6)" */
  rt = g_strdup_printf (_("%s, what if: %s %s (from step %d)"), lt, lab_what_if_kind_label (kind),
                        value, step + 1);
  return lab_compare_window_new_for_sessions (parent, g_steal_pointer (&left), lt, -1,
                                              g_steal_pointer (&right), rt, -1, TLS_DETAIL_FULL);
}

/* ------------------------------------------------------------------ */
/* The dialogs                                                         */

typedef struct
{
  GtkWindow  *parent;
  LabSession *session;
  int         step;
  GtkWidget  *dialog;
  GtkWidget  *kind;
  GtkWidget  *value;
  GtkWidget  *error;
  /* compare dialog */
  GtkWidget  *left;
  GtkWidget  *right;
} DialogData;

static void
dialog_data_free (DialogData *d)
{
  g_clear_object (&d->session);
  g_free (d);
}

static void
kind_changed_cb (GtkDropDown *kind, GParamSpec *pspec, DialogData *d)
{
  guint k = gtk_drop_down_get_selected (kind);
  g_auto (GStrv) values = lab_what_if_values (k, lab_session_get_scenario (d->session));
  g_autoptr (GtkStringList) list = gtk_string_list_new ((const char *const *) values);

  gtk_drop_down_set_model (GTK_DROP_DOWN (d->value), G_LIST_MODEL (list));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (d->value), 0);
}

static const char *
selected_string (GtkWidget *dropdown)
{
  GObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (dropdown));

  return item ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static void
run_clicked_cb (GtkButton *button, DialogData *d)
{
  g_autoptr (GError) error = NULL;
  GtkWindow *w = lab_what_if_run (d->parent, d->session, d->step,
                                  gtk_drop_down_get_selected (GTK_DROP_DOWN (d->kind)),
                                  selected_string (d->value), &error);

  if (w == NULL)
    {
      gtk_label_set_text (GTK_LABEL (d->error), error->message);
      gtk_widget_set_visible (d->error, TRUE);
      return;
    }
  gtk_window_present (w);
  gtk_window_destroy (GTK_WINDOW (d->dialog));
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

void
lab_what_if_dialog_present (GtkWindow *parent, LabSession *session, int step)
{
  DialogData *d = g_new0 (DialogData, 1);
  GtkWidget *box, *run;
  const TlsStep *s = step >= 0 ? lab_session_get_step (session, (guint) step) : NULL;
  g_autofree char *intro = NULL;
  g_autoptr (GtkStringList) kinds = gtk_string_list_new (NULL);

  d->parent = parent;
  d->session = g_object_ref (session);
  d->step = step;
  d->dialog = dialog_new (parent, _("What If…"), &box);
  g_object_set_data_full (G_OBJECT (d->dialog), "lab-what-if", d, (GDestroyNotify) dialog_data_free);
  intro = s ? g_strdup_printf (_("At step %d (%s): change what this run is made of, run it again "
                                 "with the same seed, and see both runs side by side, diverging "
                                 "where the change shows."), step + 1, s->title)
            : g_strdup (_("Change what this run is made of, run it again with the same seed, and "
                          "see both runs side by side, diverging where the change shows."));
  gtk_box_append (GTK_BOX (box), wrapped_label (intro, NULL));
  for (guint k = 0; k < LAB_WHAT_IF_N_KINDS; k++)
    gtk_string_list_append (kinds, lab_what_if_kind_label (k));
  d->kind = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (kinds)), NULL);
  d->value = gtk_drop_down_new (NULL, NULL);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (d->value), TRUE);
  g_signal_connect (d->kind, "notify::selected", G_CALLBACK (kind_changed_cb), d);
  kind_changed_cb (GTK_DROP_DOWN (d->kind), NULL, d);
  gtk_box_append (GTK_BOX (box), d->kind);
  gtk_box_append (GTK_BOX (box), d->value);
  d->error = wrapped_label ("", "error");
  gtk_widget_set_visible (d->error, FALSE);
  gtk_box_append (GTK_BOX (box), d->error);
  run = gtk_button_new_with_mnemonic (_("_Run With the Change"));
  gtk_widget_add_css_class (run, "suggested-action");
  gtk_widget_set_halign (run, GTK_ALIGN_END);
  g_signal_connect (run, "clicked", G_CALLBACK (run_clicked_cb), d);
  gtk_box_append (GTK_BOX (box), run);
  gtk_window_present (GTK_WINDOW (d->dialog));
}

static void
compare_clicked_cb (GtkButton *button, DialogData *d)
{
  g_autoptr (GError) error = NULL;
  GtkWindow *w = lab_compare_window_new (d->parent, selected_string (d->left),
                                         selected_string (d->right), TLS_DETAIL_FULL, &error);

  if (w == NULL)
    {
      gtk_label_set_text (GTK_LABEL (d->error), error->message);
      gtk_widget_set_visible (d->error, TRUE);
      return;
    }
  gtk_window_present (w);
  gtk_window_destroy (GTK_WINDOW (d->dialog));
}

void
lab_compare_dialog_present (GtkWindow *parent)
{
  DialogData *d = g_new0 (DialogData, 1);
  GtkWidget *box, *go, *row;
  const char *const *names = tls_scenario_names ();

  d->parent = parent;
  d->dialog = dialog_new (parent, _("Compare Two Runs"), &box);
  g_object_set_data_full (G_OBJECT (d->dialog), "lab-what-if", d, (GDestroyNotify) dialog_data_free);
  gtk_box_append (GTK_BOX (box),
                  wrapped_label (_("Two scenarios side by side, aligned by message, what differs "
                                   "marked (saved traces and captures: handshake-lab gui --compare "
                                   "A B)."), NULL));
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  d->left = gtk_drop_down_new_from_strings (names);
  d->right = gtk_drop_down_new_from_strings (names);
  for (guint i = 0; names[i]; i++)
    if (g_str_equal (names[i], "ecdhe-rsa"))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (d->right), i);
    else if (g_str_equal (names[i], "full"))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (d->left), i);
  gtk_widget_set_hexpand (d->left, TRUE);
  gtk_widget_set_hexpand (d->right, TRUE);
  gtk_box_append (GTK_BOX (row), d->left);
  gtk_box_append (GTK_BOX (row), d->right);
  gtk_box_append (GTK_BOX (box), row);
  d->error = wrapped_label ("", "error");
  gtk_widget_set_visible (d->error, FALSE);
  gtk_box_append (GTK_BOX (box), d->error);
  go = gtk_button_new_with_mnemonic (_("_Compare"));
  gtk_widget_add_css_class (go, "suggested-action");
  gtk_widget_set_halign (go, GTK_ALIGN_END);
  g_signal_connect (go, "clicked", G_CALLBACK (compare_clicked_cb), d);
  gtk_box_append (GTK_BOX (box), go);
  gtk_window_present (GTK_WINDOW (d->dialog));
}
