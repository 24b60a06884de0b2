/* lab-capture-open.c — File > Open of a capture (lab-capture-open.h). */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "lab-capture-open.h"
#include "tls-capture.h"

typedef struct
{
  TlsCapture       *cap;
  char             *base;
  LabCaptureOpened  done;
  gpointer          user_data;
} Choice;

static void
choice_free (Choice *c)
{
  tls_capture_free (c->cap);
  g_free (c->base);
  g_free (c);
}

gboolean
lab_capture_is_capture_path (const char *path)
{
  return path != NULL && (g_str_has_suffix (path, ".pcap") || g_str_has_suffix (path, ".pcapng")
                          || g_str_has_suffix (path, ".cap"));
}

static void
show_connection (TlsCapture *cap, guint number, const char *base,
                 LabCaptureOpened done, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  TlsTrace *trace = tls_capture_trace (cap, number, &error);
  g_autofree char *title = NULL;
  g_autofree char *msg = NULL;
  const char *result;

  if (trace == NULL)
    {
      done (NULL, NULL, error->message, user_data);
      return;
    }
  title = g_strdup_printf ("%s #%u", base, number);
  result = tls_trace_get_meta (trace, "conn0.result");
  if (g_strcmp0 (result, "completed") != 0)
    /* Translators: %s says why, e.g. "incomplete: no key for this connection" */
    msg = g_strdup_printf (_("Connection #%u: %s"), number, result ? result : "?");
  done (trace, title, msg, user_data);
}

static void
choose_response_cb (AdwMessageDialog *dialog, const char *response, Choice *c)
{
  GtkDropDown *list = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));

  if (g_strcmp0 (response, "open") == 0)
    show_connection (c->cap, gtk_drop_down_get_selected (list) + 1, c->base, c->done, c->user_data);
}

void
lab_capture_open (GtkWindow *parent, const char *path, guint connection,
                  LabCaptureOpened done, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  TlsCapture *cap = tls_capture_open_file (path, &error);
  g_autofree char *base = NULL;
  const char *beside[] = { ".keys", ".keylog" };
  guint n;

  if (cap == NULL)
    {
      done (NULL, NULL, error->message, user_data);
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (beside); i++)
    {
      g_autofree char *log = g_strconcat (path, beside[i], NULL);
      if (g_file_test (log, G_FILE_TEST_IS_REGULAR))
        tls_capture_load_keylog (cap, log, NULL);
    }
  base = g_path_get_basename (path);
  n = tls_capture_n_connections (cap);
  if (n <= 1 || connection > 0)
    {
      if (n >= 1)
        show_connection (cap, connection > 0 ? connection : 1, base, done, user_data);
      else
        {
          g_autofree char *msg = g_strdup_printf (_("No TLS connection in %s"), base);
          done (NULL, NULL, msg, user_data);
        }
      tls_capture_free (cap);
      return;
    }
  {
    GtkStringList *lines = gtk_string_list_new (NULL);
    GtkWidget *dialog, *drop;
    Choice *c = g_new0 (Choice, 1);

    for (guint i = 1; i <= n; i++)
      {
        g_autofree char *line = tls_capture_describe (cap, tls_capture_connection (cap, i));
        gtk_string_list_append (lines, line);
      }
    drop = gtk_drop_down_new (G_LIST_MODEL (lines), NULL);
    dialog = adw_message_dialog_new (parent, _("Which Connection?"), NULL);
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("%s holds %u TLS connections."), base, n);
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), drop);
    adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                      "cancel", _("_Cancel"), "open", _("_Open"), NULL);
    adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
    c->cap = cap;
    c->base = g_steal_pointer (&base);
    c->done = done;
    c->user_data = user_data;
    g_object_set_data_full (G_OBJECT (dialog), "lab-capture-choice", c, (GDestroyNotify) choice_free);
    g_signal_connect (dialog, "response", G_CALLBACK (choose_response_cb), c);
    gtk_window_present (GTK_WINDOW (dialog));
  }
}
