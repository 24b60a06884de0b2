/* lab-live-dialog.c — connect to a server or wait for a client. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-live-dialog.h"
#include "tls-keys.h"
#include "tls-transport.h"
#include "tls-x509.h"

#define CONNECT_TIMEOUT_MS 10000
#define ACCEPT_SLICE_MS    500
#define ACCEPT_LIMIT_MS    (10 * 60 * 1000)

struct _LabLiveDialog
{
  AdwWindow           parent_instance;

  AdwPreferencesGroup *group;
  AdwEntryRow        *address_row;
  AdwEntryRow        *server_name_row;
  AdwComboRow        *cert_row;
  GtkSwitch          *insecure_switch;
  GtkWidget          *insecure_row;
  GtkSpinner         *spinner;
  GtkLabel           *status_label;

  gboolean            listen;
  char               *host;
  guint16             port;
  int                 fd;          /* connected, not yet handed over; or -1 */
  GCancellable       *cancel;
};

G_DEFINE_FINAL_TYPE (LabLiveDialog, lab_live_dialog, ADW_TYPE_WINDOW)

enum { READY, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Private                                                             */

/* As the command line: $HANDSHAKE_LAB_DATADIR, the source tree's data/
 * when running from the build tree, else the installed one. */
static char *
data_file (const char *relative)
{
  const char *env = g_getenv ("HANDSHAKE_LAB_DATADIR");
  const char *dir = env && *env ? env
                    : g_file_test (SOURCE_DATADIR, G_FILE_TEST_IS_DIR) ? SOURCE_DATADIR : PKGDATADIR;
  return g_build_filename (dir, relative, NULL);
}

static void
set_status (LabLiveDialog *self, const char *text, gboolean busy)
{
  gtk_label_set_text (self->status_label, text);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "live.start", !busy);
}

typedef struct
{
  gboolean listen;
  char    *host;
  guint16  port;
} Job;

static void
job_free (Job *job)
{
  g_free (job->host);
  g_free (job);
}

static void
socket_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;
  int fd = -1;

  if (!job->listen)
    fd = tls_transport_connect (job->host, job->port, CONNECT_TIMEOUT_MS, &error);
  else
    {
      int lfd = tls_transport_listen (job->host, job->port, NULL, &error);

      for (guint waited = 0; lfd >= 0 && fd < 0 && waited < ACCEPT_LIMIT_MS; waited += ACCEPT_SLICE_MS)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, &error))
            break;
          g_clear_error (&error);
          fd = tls_transport_accept (lfd, ACCEPT_SLICE_MS, &error);
          if (fd < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            break;
        }
      if (lfd >= 0)
        tls_transport_close (lfd);
      if (fd < 0 && error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("no client came"));
    }
  if (fd < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, fd);
}

static void
socket_done (GObject *source, GAsyncResult *result, gpointer data)
{
  LabLiveDialog *self = data;
  g_autoptr (GError) error = NULL;
  gssize fd = g_task_propagate_int (G_TASK (result), &error);

  if (fd < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, error->message, FALSE);
    }
  else if (g_cancellable_is_cancelled (self->cancel))
    tls_transport_close ((int) fd);
  else
    {
      self->fd = (int) fd;
      set_status (self, _("Connected."), FALSE);
      g_signal_emit (self, signals[READY], 0);
    }
  g_object_unref (self);
}

static void
start_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lab_live_dialog_start (LAB_LIVE_DIALOG (widget));
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
lab_live_dialog_dispose (GObject *object)
{
  LabLiveDialog *self = LAB_LIVE_DIALOG (object);

  if (self->cancel)
    g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  if (self->fd >= 0)
    {
      tls_transport_close (self->fd);
      self->fd = -1;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_LIVE_DIALOG);
  G_OBJECT_CLASS (lab_live_dialog_parent_class)->dispose (object);
}

static void
lab_live_dialog_finalize (GObject *object)
{
  LabLiveDialog *self = LAB_LIVE_DIALOG (object);

  g_free (self->host);
  G_OBJECT_CLASS (lab_live_dialog_parent_class)->finalize (object);
}

static void
lab_live_dialog_class_init (LabLiveDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_live_dialog_dispose;
  object_class->finalize = lab_live_dialog_finalize;

  signals[READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/handshakelab/HandshakeLab/ui/lab-live-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LabLiveDialog, group);
  gtk_widget_class_bind_template_child (widget_class, LabLiveDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, LabLiveDialog, server_name_row);
  gtk_widget_class_bind_template_child (widget_class, LabLiveDialog, cert_row);
  gtk_widget_class_bind_template_child (widget_class, LabLiveDialog, insecure_switch);
  gtk_widget_class_bind_template_child (widget_class, LabLiveDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, LabLiveDialog, status_label);
  gtk_widget_class_install_action (widget_class, "live.start", NULL, start_action);
}

static void
lab_live_dialog_init (LabLiveDialog *self)
{
  self->fd = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

LabLiveDialog *
lab_live_dialog_new (GtkWindow *parent, gboolean listen)
{
  LabLiveDialog *self = g_object_new (LAB_TYPE_LIVE_DIALOG, "transient-for", parent, NULL);
  GtkWidget *insecure_row = gtk_widget_get_ancestor (GTK_WIDGET (self->insecure_switch), ADW_TYPE_ACTION_ROW);

  self->listen = listen;
  if (listen)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Listen for a Client"));
      adw_preferences_group_set_description (self->group,
        _("Our server waits on 127.0.0.1 for a real client, for example:\n"
          "openssl s_client -connect 127.0.0.1:4433 -tls1_2"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->address_row), _("Port on 127.0.0.1"));
      gtk_editable_set_text (GTK_EDITABLE (self->address_row), "4433");
      gtk_widget_set_visible (GTK_WIDGET (self->server_name_row), FALSE);
      if (insecure_row)
        gtk_widget_set_visible (insecure_row, FALSE);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Connect to a Server"));
      adw_preferences_group_set_description (self->group,
        _("Our client connects to a real server, for example one started with:\n"
          "openssl s_server -accept 4433 -cert data/pki/server-rsa.crt -key data/pki/server-rsa.key "
          "-cert_chain data/pki/ca/intermediate.crt\n"
          "The server’s certificate is checked against the demo root CA."));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->address_row), _("Server (host:port)"));
      gtk_editable_set_text (GTK_EDITABLE (self->address_row), "127.0.0.1:4433");
      gtk_widget_set_visible (GTK_WIDGET (self->cert_row), FALSE);
    }
  set_status (self, listen ? _("Press Start, then start the client.")
                           : _("Press Start to connect."), FALSE);
  return self;
}

void
lab_live_dialog_set_address (LabLiveDialog *self, const char *address)
{
  g_return_if_fail (LAB_IS_LIVE_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
}

void
lab_live_dialog_start (LabLiveDialog *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *status = NULL;
  const char *text;
  guint16 port = 0;
  GTask *task;
  Job *job;

  g_return_if_fail (LAB_IS_LIVE_DIALOG (self));

  text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  if (!tls_transport_parse_address (text, &host, &port, &error) || port == 0)
    {
      set_status (self, error ? error->message : _("The port must be from 1 to 65535."), FALSE);
      return;
    }
  if (self->listen)
    {
      /* our server listens on the loopback interface only */
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }
  g_free (self->host);
  self->host = g_strdup (host);
  self->port = port;

  job = g_new0 (Job, 1);
  job->listen = self->listen;
  job->host = g_strdup (host);
  job->port = port;
  g_clear_object (&self->cancel);
  self->cancel = g_cancellable_new ();
  task = g_task_new (NULL, self->cancel, socket_done, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, socket_thread);
  g_object_unref (task);

  status = self->listen
    /* Translators: %s:%u is 127.0.0.1:4433 */
    ? g_strdup_printf (_("Waiting for a client on %s:%u…"), host, port)
    : g_strdup_printf (_("Connecting to %s:%u…"), host, port);
  set_status (self, status, TRUE);
}

gboolean
lab_live_dialog_start_session (LabLiveDialog *self, LabSession *session, GError **error)
{
  TlsConfig *cfg;
  TlsPrivateKey *key = NULL;
  g_autofree char *title = NULL;
  int fd;

  g_return_val_if_fail (LAB_IS_LIVE_DIALOG (self), FALSE);
  g_return_val_if_fail (self->fd >= 0, FALSE);

  cfg = g_new0 (TlsConfig, 1);
  tls_config_init (cfg, self->listen ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT);
  cfg->record_received = TRUE;
  if (self->listen)
    {
      const char *cert = gtk_string_object_get_string (adw_combo_row_get_selected_item (self->cert_row));
      g_autofree char *chain_rel = g_strdup_printf ("pki/%s-chain.pem", cert);
      g_autofree char *key_rel = g_strdup_printf ("pki/%s.key", cert);
      g_autofree char *chain_path = data_file (chain_rel);
      g_autofree char *key_path = data_file (key_rel);

      if (!g_file_test (chain_path, G_FILE_TEST_EXISTS))
        {
          g_autofree char *crt_rel = g_strdup_printf ("pki/%s.crt", cert);
          g_free (chain_path);
          chain_path = data_file (crt_rel);
        }
      cfg->chain = tls_certificate_list_from_file (chain_path, error);
      if (cfg->chain == NULL || (key = tls_private_key_load_file (key_path, error)) == NULL)
        goto fail;
      cfg->key = key;   /* the config owns it now */
      /* Translators: the chooser's entry for a live run */
      title = g_strdup_printf (_("Live: our server on %s:%u"), self->host, self->port);
    }
  else
    {
      g_autofree char *root = data_file ("pki/ca/root.crt");
      const char *sni = gtk_editable_get_text (GTK_EDITABLE (self->server_name_row));

      cfg->trust = tls_certificate_list_from_file (root, error);
      if (cfg->trust == NULL)
        goto fail;
      if (sni && *sni)
        cfg->server_name = g_strdup (sni);
      else if (!g_hostname_is_ip_address (self->host))
        cfg->server_name = g_strdup (self->host);
      cfg->insecure = gtk_switch_get_active (self->insecure_switch);
      title = g_strdup_printf (_("Live: our client to %s:%u"), self->host, self->port);
    }
  cfg->rng = tls_rng_new_system ();

  fd = self->fd;
  self->fd = -1;
  if (!lab_session_load_peer (session, cfg, cfg->rng, fd, title, error))
    return FALSE;
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;

fail:
  tls_config_clear (cfg);
  g_free (cfg);
  return FALSE;
}
