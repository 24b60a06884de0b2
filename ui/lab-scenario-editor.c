/* lab-scenario-editor.c — the scenario editor. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-scenario-editor.h"
#include "tls-suites.h"
#include "tls-types.h"

struct _LabScenarioEditor
{
  AdwWindow      parent_instance;

  /* template */
  AdwEntryRow   *name_row;
  AdwEntryRow   *title_row;
  AdwComboRow   *min_version_row;
  AdwComboRow   *max_version_row;
  AdwExpanderRow *client_suites_row;
  AdwExpanderRow *server_suites_row;
  AdwComboRow   *cert_row;
  AdwEntryRow   *server_name_row;
  GtkSwitch     *client_cert_switch;
  GtkSwitch     *second_switch;
  GtkSwitch     *resume_switch;
  GtkSwitch     *cache_switch;
  GtkSwitch     *tickets_switch;
  GtkSpinButton *reconnect_spin;
  GtkSpinButton *seed_spin;
  GtkSwitch     *ems_switch;
  AdwToastOverlay *toast_overlay;

  TlsScenario   *base;          /* what the editor does not show is kept from here */
  GPtrArray     *client_checks; /* of GtkCheckButton*, in tls_suite_all order */
  GPtrArray     *server_checks;
  GtkStringList *certs;
};

G_DEFINE_FINAL_TYPE (LabScenarioEditor, lab_scenario_editor, ADW_TYPE_WINDOW)

enum { APPLY, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Private                                                             */

static guint
version_index (guint16 v)
{
  return v <= TLS_VERSION_1_0 ? 0 : v == TLS_VERSION_1_1 ? 1 : 2;
}

static guint16
index_version (guint i)
{
  return i == 0 ? TLS_VERSION_1_0 : i == 1 ? TLS_VERSION_1_1 : TLS_VERSION_1_2;
}

static void
add_suite_rows (AdwExpanderRow *expander, GPtrArray *checks)
{
  guint n = 0;
  const TlsSuite **all = tls_suite_all (&n);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), all[i]->name);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (expander, row);
      g_ptr_array_add (checks, check);
    }
}

static void
set_suites (GPtrArray *checks, const GArray *ids)
{
  guint n = 0;
  const TlsSuite **all = tls_suite_all (&n);

  for (guint i = 0; i < n && i < checks->len; i++)
    {
      gboolean on = FALSE;
      for (guint j = 0; ids && j < ids->len && !on; j++)
        on = g_array_index (ids, guint16, j) == all[i]->id;
      gtk_check_button_set_active (g_ptr_array_index (checks, i), on);
    }
}

static void
get_suites (GPtrArray *checks, GArray *out)
{
  guint n = 0;
  const TlsSuite **all = tls_suite_all (&n);

  g_array_set_size (out, 0);
  for (guint i = 0; i < n && i < checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (checks, i)))
      g_array_append_val (out, all[i]->id);
}

/* The demo PKI's server identities: data/pki/server-*.key. */
static void
fill_certs (LabScenarioEditor *self)
{
  const char *dirs[] = { g_getenv ("HANDSHAKE_LAB_DATADIR"), PKGDATADIR, SOURCE_DATADIR };
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint d = 0; d < G_N_ELEMENTS (dirs) && names->len == 0; d++)
    {
      g_autofree char *path = dirs[d] ? g_build_filename (dirs[d], "pki", NULL) : NULL;
      g_autoptr (GDir) dir = path ? g_dir_open (path, 0, NULL) : NULL;
      const char *f;

      while (dir && (f = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (f, "server-") && g_str_has_suffix (f, ".crt"))
          g_ptr_array_add (names, g_strndup (f, strlen (f) - 4));
    }
  if (names->len == 0)
    g_ptr_array_add (names, g_strdup ("server-rsa"));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    gtk_string_list_append (self->certs, g_ptr_array_index (names, i));
}

static void
select_cert (LabScenarioEditor *self, const char *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->certs));

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->certs, i), name) == 0)
      {
        adw_combo_row_set_selected (self->cert_row, i);
        return;
      }
  if (name)
    {
      gtk_string_list_append (self->certs, name);
      adw_combo_row_set_selected (self->cert_row, n);
    }
}

static void
second_changed_cb (GObject *object, GParamSpec *pspec, LabScenarioEditor *self)
{
  gboolean on = gtk_switch_get_active (self->second_switch);

  gtk_widget_set_sensitive (GTK_WIDGET (self->resume_switch), on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reconnect_spin), on);
}

static void
toast (LabScenarioEditor *self, const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

static void
apply_action (GtkWidget *widget, const char *name, GVariant *param)
{
  g_signal_emit (widget, signals[APPLY], 0);
}

static void
save_response_cb (GtkNativeDialog *dialog, int response, LabScenarioEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;

      if (path == NULL || !lab_scenario_editor_save (self, path, &error))
        toast (self, error ? error->message : _("Only local files can be saved"));
      else
        toast (self, _("Scenario saved"));
    }
  g_object_unref (dialog);
}

static void
open_response_cb (GtkNativeDialog *dialog, int response, LabScenarioEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;

      if (path == NULL || !lab_scenario_editor_load (self, path, &error))
        toast (self, error ? error->message : _("Only local files can be opened"));
    }
  g_object_unref (dialog);
}

static GtkFileChooserNative *
chooser_new (LabScenarioEditor *self, gboolean save)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (save ? _("Save the Scenario") : _("Open a Scenario"),
                                        GTK_WINDOW (self),
                                        save ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        save ? _("_Save") : _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Scenario files"));
  gtk_file_filter_add_pattern (filter, "*.scenario");
  gtk_file_filter_add_pattern (filter, "*.ini");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  return dialog;
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabScenarioEditor *self = LAB_SCENARIO_EDITOR (widget);
  GtkFileChooserNative *dialog = chooser_new (self, TRUE);
  g_autofree char *suggested = g_strdup_printf ("%s.scenario", gtk_editable_get_text (GTK_EDITABLE (self->name_row)));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabScenarioEditor *self = LAB_SCENARIO_EDITOR (widget);
  GtkFileChooserNative *dialog = chooser_new (self, FALSE);

  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
lab_scenario_editor_dispose (GObject *object)
{
  LabScenarioEditor *self = LAB_SCENARIO_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_SCENARIO_EDITOR);
  G_OBJECT_CLASS (lab_scenario_editor_parent_class)->dispose (object);
}

static void
lab_scenario_editor_finalize (GObject *object)
{
  LabScenarioEditor *self = LAB_SCENARIO_EDITOR (object);

  tls_scenario_free (self->base);
  g_ptr_array_unref (self->client_checks);
  g_ptr_array_unref (self->server_checks);
  G_OBJECT_CLASS (lab_scenario_editor_parent_class)->finalize (object);
}

static void
lab_scenario_editor_class_init (LabScenarioEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_scenario_editor_dispose;
  object_class->finalize = lab_scenario_editor_finalize;

  signals[APPLY] = g_signal_new ("apply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/handshakelab/HandshakeLab/ui/lab-scenario-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, min_version_row);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, max_version_row);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, client_suites_row);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, server_suites_row);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, cert_row);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, server_name_row);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, client_cert_switch);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, second_switch);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, resume_switch);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, cache_switch);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, tickets_switch);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, reconnect_spin);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, ems_switch);
  gtk_widget_class_bind_template_child (widget_class, LabScenarioEditor, toast_overlay);

  gtk_widget_class_install_action (widget_class, "editor.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.open", NULL, open_action);
}

static void
lab_scenario_editor_init (LabScenarioEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->client_checks = g_ptr_array_new ();
  self->server_checks = g_ptr_array_new ();
  add_suite_rows (self->client_suites_row, self->client_checks);
  add_suite_rows (self->server_suites_row, self->server_checks);
  self->certs = gtk_string_list_new (NULL);
  fill_certs (self);
  adw_combo_row_set_model (self->cert_row, G_LIST_MODEL (self->certs));
  g_object_unref (self->certs);
  g_signal_connect (self->second_switch, "notify::active", G_CALLBACK (second_changed_cb), self);
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

LabScenarioEditor *
lab_scenario_editor_new (GtkWindow *parent, const TlsScenario *sc)
{
  LabScenarioEditor *self = g_object_new (LAB_TYPE_SCENARIO_EDITOR,
                                          "transient-for", parent, NULL);
  lab_scenario_editor_set_scenario (self, sc);
  return self;
}

void
lab_scenario_editor_set_scenario (LabScenarioEditor *self, const TlsScenario *sc)
{
  g_return_if_fail (LAB_IS_SCENARIO_EDITOR (self));
  g_return_if_fail (sc != NULL);

  tls_scenario_free (self->base);
  self->base = tls_scenario_copy (sc);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), sc->name ? sc->name : "custom");
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), sc->title ? sc->title : "");
  adw_combo_row_set_selected (self->min_version_row, version_index (sc->min_version));
  adw_combo_row_set_selected (self->max_version_row, version_index (sc->max_version));
  set_suites (self->client_checks, sc->client_suites);
  set_suites (self->server_checks, sc->server_suites);
  select_cert (self, sc->server_cert);
  gtk_editable_set_text (GTK_EDITABLE (self->server_name_row), sc->server_name ? sc->server_name : "");
  gtk_switch_set_active (self->client_cert_switch, sc->client_cert);
  gtk_switch_set_active (self->second_switch, sc->connections > 1);
  gtk_switch_set_active (self->resume_switch, sc->resume);
  gtk_switch_set_active (self->cache_switch, sc->server_cache);
  gtk_switch_set_active (self->tickets_switch, sc->tickets);
  gtk_spin_button_set_value (self->reconnect_spin, sc->reconnect_after);
  gtk_spin_button_set_value (self->seed_spin, (double) sc->seed);
  gtk_switch_set_active (self->ems_switch, !sc->no_ems);
  second_changed_cb (NULL, NULL, self);
}

TlsScenario *
lab_scenario_editor_dup_scenario (LabScenarioEditor *self)
{
  TlsScenario *sc;
  const char *text;
  guint cert;
  guint16 lo, hi;

  g_return_val_if_fail (LAB_IS_SCENARIO_EDITOR (self), NULL);

  sc = tls_scenario_copy (self->base);
  sc->notes = NULL;   /* a built-in's notes describe it as built, not as edited */
  text = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_free (sc->name);
  sc->name = g_strdup (*text ? text : "custom");
  text = gtk_editable_get_text (GTK_EDITABLE (self->title_row));
  g_free (sc->title);
  sc->title = *text ? g_strdup (text) : NULL;
  lo = index_version (adw_combo_row_get_selected (self->min_version_row));
  hi = index_version (adw_combo_row_get_selected (self->max_version_row));
  sc->min_version = MIN (lo, hi);
  sc->max_version = MAX (lo, hi);
  get_suites (self->client_checks, sc->client_suites);
  get_suites (self->server_checks, sc->server_suites);
  cert = adw_combo_row_get_selected (self->cert_row);
  if (cert != GTK_INVALID_LIST_POSITION)
    {
      g_free (sc->server_cert);
      sc->server_cert = g_strdup (gtk_string_list_get_string (self->certs, cert));
    }
  text = gtk_editable_get_text (GTK_EDITABLE (self->server_name_row));
  g_free (sc->server_name);
  sc->server_name = *text ? g_strdup (text) : NULL;
  sc->client_cert = gtk_switch_get_active (self->client_cert_switch);
  sc->connections = gtk_switch_get_active (self->second_switch) ? 2 : 1;
  sc->resume = sc->connections > 1 && gtk_switch_get_active (self->resume_switch);
  sc->server_cache = gtk_switch_get_active (self->cache_switch);
  sc->tickets = gtk_switch_get_active (self->tickets_switch);
  sc->reconnect_after = gtk_spin_button_get_value_as_int (self->reconnect_spin);
  sc->seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  sc->no_ems = !gtk_switch_get_active (self->ems_switch);
  return sc;
}

gboolean
lab_scenario_editor_save (LabScenarioEditor *self, const char *path, GError **error)
{
  g_autoptr (TlsScenario) sc = lab_scenario_editor_dup_scenario (self);
  return tls_scenario_save (sc, path, error);
}

gboolean
lab_scenario_editor_load (LabScenarioEditor *self, const char *path, GError **error)
{
  g_autoptr (TlsScenario) sc = tls_scenario_load (path, error);

  if (sc == NULL)
    return FALSE;
  lab_scenario_editor_set_scenario (self, sc);
  return TRUE;
}
