/* lab-class-list.c — the window serving a class (lab-class-list.h). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <string.h>

#include "lab-class-list.h"
#include "tls-config.h"
#include "tls-keys.h"
#include "tls-rng.h"
#include "tls-serve.h"
#include "tls-session-cache.h"
#include "tls-ticket.h"
#include "tls-trace-live.h"
#include "tls-trace-page.h"
#include "tls-transport.h"
#include "tls-x509.h"

#define TIMEOUT_MS     10000  /* a client that sends nothing is dropped  */
#define CACHE_ENTRIES  1024
#define CACHE_LIFETIME 3600   /* seconds, as `serve`                     */
#define MAX_ROWS       500    /* connections listed, at most             */

/* What the worker threads share with the widget: the server's config and
 * a weak reference back (the window may close while a client is slow). */
typedef struct
{
  gatomicrefcount ref;
  TlsConfig       base;
  GWeakRef        list;
} Shared;

typedef struct
{
  Shared   *shared;
  int       fd;
  char     *peer;
  TlsTrace *trace;   /* when done */
} Job;

typedef struct
{
  TlsTrace *trace;
  char     *text;
} Row;

struct _LabClassList
{
  GtkBox      parent_instance;

  GtkLabel   *status_label;
  GtkListBox *list_box;

  Shared     *shared;
  GThreadPool *pool;
  int         listen_fd;
  guint       watch;
  char       *host;
  guint16     port;
  guint       accepted;
  GPtrArray  *rows;      /* of Row* */
};

G_DEFINE_FINAL_TYPE (LabClassList, lab_class_list, GTK_TYPE_BOX)

enum { CONNECTION_SELECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Private                                                             */

static Shared *
shared_ref (Shared *s)
{
  g_atomic_ref_count_inc (&s->ref);
  return s;
}

static void
shared_unref (Shared *s)
{
  if (!g_atomic_ref_count_dec (&s->ref))
    return;
  /* tls_config_clear leaves the borrowed cache and ticket keys alone */
  g_clear_pointer (&s->base.cache, tls_session_cache_free);
  g_clear_pointer (&s->base.ticket_keys, tls_ticket_keys_free);
  tls_config_clear (&s->base);
  g_weak_ref_clear (&s->list);
  g_free (s);
}

static void
row_free (Row *row)
{
  tls_trace_free (row->trace);
  g_free (row->text);
  g_free (row);
}

static void
job_free (Job *job)
{
  g_clear_pointer (&job->trace, tls_trace_free);
  g_clear_pointer (&job->shared, shared_unref);
  g_free (job->peer);
  g_free (job);
}

/* "Firefox 128", "Chrome 120", "curl 7.88.1", else the first word. */
static char *
browser_name (const char *ua)
{
  static const struct { const char *token, *name; } known[] = {
    { "Edg/", "Edge" }, { "OPR/", "Opera" }, { "Firefox/", "Firefox" },
    { "Chrome/", "Chrome" }, { "Version/", "Safari" }, { "curl/", "curl" },
  };

  if (ua == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    {
      const char *p = strstr (ua, known[i].token);
      if (p != NULL)
        {
          p += strlen (known[i].token);
          /* the major version, or curl's whole one */
          return g_strdup_printf ("%s %.*s", known[i].name,
                                  (int) strspn (p, g_str_equal (known[i].name, "curl")
                                                   ? "0123456789." : "0123456789"), p);
        }
    }
  return g_strndup (ua, strcspn (ua, " "));
}

static const char *
meta0 (const TlsTrace *trace, const char *key)
{
  g_autofree char *full = g_strconcat ("conn0.", key, NULL);
  return tls_trace_get_meta (trace, full);
}

static char *
row_text (const TlsTrace *trace)
{
  g_autofree char *ua = tls_trace_user_agent (trace, 0);
  g_autofree char *browser = browser_name (ua);
  gint64 t = tls_trace_step_time (trace, 0);
  g_autoptr (GDateTime) dt = t > 0 ? g_date_time_new_from_unix_local (t / G_USEC_PER_SEC) : NULL;
  g_autofree char *when = dt ? g_date_time_format (dt, "%H:%M:%S") : g_strdup ("--:--:--");
  const char *suite = meta0 (trace, "suite");
  const char *resumed = meta0 (trace, "resumed");
  const char *result = meta0 (trace, "result");

  return g_strdup_printf ("%s  %s  %s  %s  %s  %s", when,
                          tls_trace_get_meta (trace, "peer") ? tls_trace_get_meta (trace, "peer") : "?",
                          browser ? browser : _("(no User-Agent)"),
                          suite ? suite : _("no suite"),
                          g_str_has_prefix (resumed ? resumed : "", "yes") ? _("resumed") : _("full"),
                          g_strcmp0 (result, "completed") == 0 ? _("completed")
                          : result ? result : _("did not finish"));
}

static void
update_status (LabClassList *self)
{
  g_autofree char *text = NULL;

  if (self->listen_fd >= 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Serving the class on %s:%u (https://…:%u/): %u connection",
                                         "Serving the class on %s:%u (https://…:%u/): %u connections",
                                         self->rows->len),
                            self->host, self->port, self->port, self->rows->len);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Stopped: %u connection",
                                         "Stopped: %u connections", self->rows->len),
                            self->rows->len);
  gtk_label_set_text (self->status_label, text);
}

/* In the main loop: a connection is done. */
static gboolean
job_done_cb (gpointer data)
{
  Job *job = data;
  g_autoptr (LabClassList) self = g_weak_ref_get (&job->shared->list);
  GtkWidget *label;
  Row *row;

  if (self == NULL || self->rows->len >= MAX_ROWS)
    return G_SOURCE_REMOVE;
  row = g_new0 (Row, 1);
  row->trace = g_steal_pointer (&job->trace);
  row->text = row_text (row->trace);
  g_ptr_array_add (self->rows, row);
  label = gtk_label_new (row->text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_tooltip_text (label, row->text);
  gtk_list_box_append (self->list_box, label);
  update_status (self);
  return G_SOURCE_REMOVE;
}

/* In a worker thread: one client, from the handshake to close_notify. */
static void
serve_thread (gpointer data, gpointer user_data)
{
  Job *job = data;
  g_autoptr (TlsRng) rng = tls_rng_new_system ();
  g_autoptr (GString) notes = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  TlsConfig cfg = job->shared->base;   /* shallow: the parts are shared, read-only */
  TlsConductor *c;

  cfg.rng = rng;
  job->trace = tls_trace_new ();
  tls_trace_set_meta (job->trace, "command", "serve");
  tls_trace_set_meta (job->trace, "peer", job->peer);
  c = tls_serve_connection (&cfg, job->fd, job->trace, TIMEOUT_MS, tls_trace_to_class_page,
                            notes, &error);
  if (c != NULL)
    tls_conductor_free (c);
  g_idle_add_full (G_PRIORITY_DEFAULT, job_done_cb, job, (GDestroyNotify) job_free);
}

/* In the main loop: the listening socket is readable. */
static gboolean
accept_cb (int fd, GIOCondition condition, gpointer data)
{
  LabClassList *self = data;
  g_autoptr (GError) error = NULL;
  int cfd = tls_transport_accept (fd, 0, &error);
  Job *job;

  if (cfd < 0)
    return G_SOURCE_CONTINUE;   /* gone meanwhile, or a time-out: wait for the next */
  job = g_new0 (Job, 1);
  job->shared = shared_ref (self->shared);
  job->fd = cfd;
  job->peer = tls_serve_peer_address (cfd);
  self->accepted++;
  g_thread_pool_push (self->pool, job, NULL);
  return G_SOURCE_CONTINUE;
}

static void
row_selected_cb (GtkListBox *box, GtkListBoxRow *row, LabClassList *self)
{
  if (row != NULL)
    g_signal_emit (self, signals[CONNECTION_SELECTED], 0, (guint) gtk_list_box_row_get_index (row));
}

static char *
data_file (const char *datadir, const char *relative)
{
  const char *env = g_getenv ("HANDSHAKE_LAB_DATADIR");
  const char *dir = datadir ? datadir : env && *env ? env
                    : g_file_test (SOURCE_DATADIR, G_FILE_TEST_IS_DIR) ? SOURCE_DATADIR : PKGDATADIR;
  return g_build_filename (dir, relative, NULL);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
lab_class_list_dispose (GObject *object)
{
  LabClassList *self = LAB_CLASS_LIST (object);

  lab_class_list_stop (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_CLASS_LIST);
  G_OBJECT_CLASS (lab_class_list_parent_class)->dispose (object);
}

static void
lab_class_list_finalize (GObject *object)
{
  LabClassList *self = LAB_CLASS_LIST (object);

  g_ptr_array_unref (self->rows);
  g_free (self->host);
  G_OBJECT_CLASS (lab_class_list_parent_class)->finalize (object);
}

static void
lab_class_list_class_init (LabClassListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_class_list_dispose;
  object_class->finalize = lab_class_list_finalize;
  signals[CONNECTION_SELECTED] = g_signal_new ("connection-selected", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_UINT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/handshakelab/HandshakeLab/ui/lab-class-list.ui");
  gtk_widget_class_bind_template_child (widget_class, LabClassList, status_label);
  gtk_widget_class_bind_template_child (widget_class, LabClassList, list_box);
}

static void
lab_class_list_init (LabClassList *self)
{
  self->listen_fd = -1;
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->list_box, "row-selected", G_CALLBACK (row_selected_cb), self);
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

LabClassList *
lab_class_list_new (void)
{
  return g_object_new (LAB_TYPE_CLASS_LIST, NULL);
}

gboolean
lab_class_list_start (LabClassList *self, const char *host, guint16 port, const char *datadir,
                      GError **error)
{
  g_autofree char *chain = data_file (datadir, "pki/server-rsa-chain.pem");
  g_autofree char *key = data_file (datadir, "pki/server-rsa.key");
  g_autoptr (TlsRng) key_rng = NULL;
  Shared *shared;
  guint16 bound = 0;
  int fd;

  g_return_val_if_fail (LAB_IS_CLASS_LIST (self), FALSE);

  lab_class_list_stop (self);
  shared = g_new0 (Shared, 1);
  g_atomic_ref_count_init (&shared->ref);
  g_weak_ref_init (&shared->list, self);
  tls_config_init (&shared->base, TLS_ACTOR_SERVER);
  /* as `serve --www`: the demo chain, a session cache, tickets, http/1.1 */
  shared->base.chain = tls_certificate_list_from_file (chain, error);
  if (shared->base.chain == NULL
      || (shared->base.key = tls_private_key_load_file (key, error)) == NULL)
    {
      shared_unref (shared);
      return FALSE;
    }
  shared->base.cache = tls_session_cache_new (CACHE_ENTRIES, CACHE_LIFETIME);
  key_rng = tls_rng_new_system ();
  shared->base.ticket_keys = tls_ticket_keys_new (key_rng);
  shared->base.ticket_lifetime = CACHE_LIFETIME;
  shared->base.record_received = TRUE;
  shared->base.alpn = g_strsplit ("http/1.1", ",", -1);

  fd = tls_transport_listen (host, port, &bound, error);
  if (fd < 0)
    {
      shared_unref (shared);
      return FALSE;
    }
  self->shared = shared;
  self->listen_fd = fd;
  g_free (self->host);
  self->host = g_strdup (host);
  self->port = bound;
  self->pool = g_thread_pool_new (serve_thread, NULL, -1, FALSE, NULL);
  self->watch = g_unix_fd_add (fd, G_IO_IN, accept_cb, self);
  update_status (self);
  return TRUE;
}

void
lab_class_list_stop (LabClassList *self)
{
  g_return_if_fail (LAB_IS_CLASS_LIST (self));

  g_clear_handle_id (&self->watch, g_source_remove);
  if (self->listen_fd >= 0)
    {
      tls_transport_close (self->listen_fd);
      self->listen_fd = -1;
    }
  /* the threads finish on their own (each bounded by its time-out) */
  if (self->pool != NULL)
    {
      g_thread_pool_free (self->pool, FALSE, FALSE);
      self->pool = NULL;
    }
  g_clear_pointer (&self->shared, shared_unref);
  if (self->status_label != NULL)
    update_status (self);
}

gboolean
lab_class_list_is_serving (LabClassList *self)
{
  g_return_val_if_fail (LAB_IS_CLASS_LIST (self), FALSE);
  return self->listen_fd >= 0;
}

guint16
lab_class_list_get_port (LabClassList *self)
{
  g_return_val_if_fail (LAB_IS_CLASS_LIST (self), 0);
  return self->port;
}

guint
lab_class_list_get_n_connections (LabClassList *self)
{
  g_return_val_if_fail (LAB_IS_CLASS_LIST (self), 0);
  return self->rows->len;
}

const TlsTrace *
lab_class_list_get_trace (LabClassList *self, guint i)
{
  g_return_val_if_fail (LAB_IS_CLASS_LIST (self), NULL);
  return i < self->rows->len ? ((Row *) g_ptr_array_index (self->rows, i))->trace : NULL;
}

const char *
lab_class_list_get_row_text (LabClassList *self, guint i)
{
  g_return_val_if_fail (LAB_IS_CLASS_LIST (self), NULL);
  return i < self->rows->len ? ((Row *) g_ptr_array_index (self->rows, i))->text : NULL;
}

void
lab_class_list_select (LabClassList *self, guint i)
{
  GtkListBoxRow *row;

  g_return_if_fail (LAB_IS_CLASS_LIST (self));
  row = gtk_list_box_get_row_at_index (self->list_box, (int) i);
  if (row != NULL)
    gtk_list_box_select_row (self->list_box, row);
}
