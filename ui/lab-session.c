/* lab-session.c — the conductor (or a recorded trace) as a list model. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-session.h"
#include "lab-step.h"
#include "tls-conductor.h"
#include "tls-keys.h"
#include "tls-transport.h"

typedef struct _LiveRun LiveRun;

struct _LiveRun
{
  TlsConductor  *conductor;
  /* set when the session let go of the run while this step was under
   * way (a new scenario was loaded, or the window closed): the worker's
   * completion frees them */
  gboolean       orphaned;
  TlsConfig     *cfg;
  TlsRng        *rng;
};
#include "tls-suites.h"
#include "tls-types.h"

#include <string.h>

struct _LabSession
{
  GObject         parent_instance;

  LabSessionMode  mode;
  char           *title;
  TlsScenario    *scenario;
  char           *datadir;
  TlsConductor   *conductor;   /* scenario and live modes */
  TlsTrace       *trace;       /* recorded mode (owned) */
  guint           position;
  TlsDetail       detail;
  GPtrArray      *items;       /* of LabStep*, created on demand; len == position */
  GHashTable     *notes;       /* step index -> the teacher's note (char*): kept
                                  apart so that a rewind, which makes the steps
                                  anew, does not lose them */

  /* live */
  TlsConfig      *cfg;         /* owns its private key */
  TlsRng         *rng;
  gboolean        busy;        /* a worker is stepping the conductor */
  guint           n_stable;    /* steps recorded when the worker started */
  gboolean        run_on;      /* keep stepping (run to end) */
  int             lesson_from; /* a lesson step under way from this position, or -1 */
  struct _LiveRun *inflight;   /* the step under way */
  GCancellable   *cancel;
};

static void lab_session_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LabSession, lab_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      lab_session_list_model_init))

enum
{
  PROP_0,
  PROP_MODE,
  PROP_TITLE,
  PROP_POSITION,
  PROP_N_RECORDED,
  PROP_CAN_STEP,
  PROP_CAN_STEP_BACK,
  PROP_FINISHED,
  PROP_BUSY,
  PROP_DETAIL,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum { TRACE_REPLACED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* GListModel                                                          */

static void
item_free (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static GType
lab_session_get_item_type (GListModel *model)
{
  return LAB_TYPE_STEP;
}

static guint
lab_session_get_n_items (GListModel *model)
{
  return LAB_SESSION (model)->position;
}

static const TlsStep *
step_lookup (GObject *owner, guint index)
{
  return lab_session_get_step (LAB_SESSION (owner), index);
}

static gpointer
lab_session_get_item (GListModel *model, guint position)
{
  LabSession *self = LAB_SESSION (model);
  LabStep *item;

  if (position >= self->position)
    return NULL;
  if (self->items->len < self->position)
    g_ptr_array_set_size (self->items, self->position);
  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      item = lab_step_new (G_OBJECT (self), step_lookup, position);
      g_ptr_array_index (self->items, position) = item;
    }
  return g_object_ref (item);
}

static void
lab_session_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = lab_session_get_item_type;
  iface->get_n_items = lab_session_get_n_items;
  iface->get_item = lab_session_get_item;
}

/* ------------------------------------------------------------------ */
/* Private                                                             */

static TlsTrace *
current_trace (LabSession *self)
{
  if (self->conductor != NULL)
    return tls_conductor_get_trace (self->conductor);
  return self->trace;
}

static void
notify_state (LabSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RECORDED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_STEP]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_STEP_BACK]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
}

/* Moves the position to N, telling the list's watchers.  With REPLACED the
 * trace's steps were made anew (a rewind replays the run), so every item
 * goes and the first N come back. */
/* Puts the teacher's notes on the steps recorded so far. */
static void
apply_notes (LabSession *self)
{
  TlsTrace *t = current_trace (self);
  guint n = lab_session_get_n_recorded (self);
  GHashTableIter iter;
  gpointer key, value;

  if (t == NULL)
    return;
  g_hash_table_iter_init (&iter, self->notes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint i = GPOINTER_TO_UINT (key);
      TlsStep *s = i < n ? g_ptr_array_index (t->steps, i) : NULL;
      if (s != NULL && g_strcmp0 (s->teacher_note, value) != 0)
        tls_step_set_teacher_note (s, value);
    }
}

static void
set_position (LabSession *self, guint n, gboolean replaced)
{
  guint old = self->position;

  apply_notes (self);

  if (n == old && !replaced)
    {
      notify_state (self);
      return;
    }
  if (replaced)
    {
      g_ptr_array_set_size (self->items, 0);
      self->position = n;
      g_ptr_array_set_size (self->items, n);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, n);
      g_signal_emit (self, signals[TRACE_REPLACED], 0);
    }
  else if (n > old)
    {
      self->position = n;
      g_ptr_array_set_size (self->items, n);
      g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n - old);
    }
  else
    {
      self->position = n;
      g_ptr_array_set_size (self->items, n);
      g_list_model_items_changed (G_LIST_MODEL (self), n, old - n, 0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  notify_state (self);
}

static void
clear_run (LabSession *self)
{
  /* a worker still stepping owns the conductor: it frees it when done */
  if (self->busy && self->inflight)
    {
      LiveRun *run = self->inflight;

      g_cancellable_cancel (self->cancel);
      run->orphaned = TRUE;
      run->cfg = g_steal_pointer (&self->cfg);
      run->rng = g_steal_pointer (&self->rng);
      self->conductor = NULL;
      self->inflight = NULL;
      self->busy = FALSE;
    }
  g_clear_object (&self->cancel);
  g_clear_pointer (&self->conductor, tls_conductor_free);
  if (self->cfg)
    {
      tls_config_clear (self->cfg);
      g_clear_pointer (&self->cfg, g_free);
    }
  g_clear_pointer (&self->rng, tls_rng_free);
  g_clear_pointer (&self->trace, tls_trace_free);
  g_clear_pointer (&self->scenario, tls_scenario_free);
  g_clear_pointer (&self->title, g_free);
  if (self->notes != NULL)
    g_hash_table_remove_all (self->notes);
  self->lesson_from = -1;
  self->mode = LAB_SESSION_EMPTY;
}

/* The key exchange the server will most likely pick, before its
 * ServerHello says: the server takes the first suite of its own order
 * that the client offers (an empty list is every suite of the table). */
/* Whether the demo identity CERT ("server-rsa", "server-ecdsa", ...) can
 * serve KX (RFC 5246, 7.4.2: the certificate's key must match the key
 * exchange). */
static gboolean
cert_fits (const char *cert, TlsKeyExchange kx)
{
  if (cert && strstr (cert, "ecdsa"))
    return kx == TLS_KX_ECDHE_ECDSA;
  if (cert && strstr (cert, "dh-rsa"))
    return kx == TLS_KX_DH_RSA;
  if (cert && strstr (cert, "dsa"))
    return kx == TLS_KX_DHE_DSS;
  return kx == TLS_KX_RSA || kx == TLS_KX_DHE_RSA || kx == TLS_KX_ECDHE_RSA;
}

/* The key exchange the server will most likely pick, before it says: the
 * first suite of its own order (the table's, legacy ones left out, when
 * the scenario names none) that the client offers and its certificate
 * fits.  Only a forecast for the faint part of the ladder: the
 * ServerHello corrects it. */
static TlsKeyExchange
guess_kx (const TlsScenario *sc)
{
  guint n_all = 0;
  const TlsSuite **all = tls_suite_all (&n_all);
  const GArray *server;
  guint n;

  if (sc == NULL)
    return TLS_KX_RSA;
  server = sc->server_suites;
  n = server->len ? server->len : n_all;
  for (guint i = 0; i < n; i++)
    {
      guint16 id = server->len ? g_array_index (server, guint16, i) : all[i]->id;
      const TlsSuite *suite = tls_suite_by_id (id);
      gboolean offered = sc->client_suites->len == 0 && !suite->legacy;

      for (guint j = 0; j < sc->client_suites->len && !offered; j++)
        offered = g_array_index (sc->client_suites, guint16, j) == id;
      if (suite != NULL && offered && (server->len || !suite->legacy)
          && tls_suite_usable (suite, sc->max_version) && cert_fits (sc->server_cert, suite->kx))
        return suite->kx;
    }
  return TLS_KX_RSA;
}

static gboolean
is_handshake_message (const TlsStep *s)
{
  return s->kind == TLS_STEP_MESSAGE
         && (s->content_type == TLS_CONTENT_HANDSHAKE
             || s->content_type == TLS_CONTENT_CHANGE_CIPHER_SPEC);
}

static gboolean
entry_matches (const TlsShapeEntry *e, const TlsStep *s)
{
  /* a HelloRetryRequest is a ServerHello on the wire (RFC 8446, 4.1.4) */
  gboolean hrr = g_strcmp0 (e->name, "HelloRetryRequest") == 0;

  return e->from == s->actor && e->content_type == s->content_type
         && (e->content_type != TLS_CONTENT_HANDSHAKE
             || (e->handshake_type == s->handshake_type
                 && hrr == (g_strcmp0 (s->title, "HelloRetryRequest") == 0)));
}

/* The bytes of FIELD in STEP's message, or NULL. */
static GBytes *
field_bytes (const TlsStep *s, const char *name)
{
  TlsField *f;

  if (s == NULL || s->fields == NULL || s->bytes == NULL)
    return NULL;
  f = tls_field_find (s->fields, name);
  if (f == NULL || f->offset + f->length > g_bytes_get_size (s->bytes))
    return NULL;
  return g_bytes_new_from_bytes (s->bytes, f->offset, f->length);
}

static void
append_shape (GArray *out, TlsShapeFlags flags, guint from, guint connection)
{
  guint n = 0;
  const TlsShapeEntry *shape = tls_shape_messages (flags, &n);

  for (guint i = from; i < n; i++)
    {
      LabUpcoming u = { shape[i], connection };
      g_array_append_val (out, u);
    }
}

/* The shape of a handshake with key exchange KX (TLS_KX_TLS13: a TLS 1.3
 * suite, RFC 8446, 2; so is every handshake of a scenario that speaks
 * only TLS 1.3); in TLS 1.3 RESUMED is a PSK handshake, and our client
 * sends the compatibility ChangeCipherSpec (RFC 8446, D.4). */
static TlsShapeFlags
shape_for (const TlsScenario *sc, TlsKeyExchange kx, gboolean resumed, gboolean client_auth,
           gboolean ticket, gboolean hrr)
{
  if (kx == TLS_KX_TLS13 || (sc && sc->min_version >= TLS_VERSION_1_3))
    return tls_shape_for_tls13 (resumed, hrr, client_auth, ticket, TRUE);
  return tls_shape_for (kx, resumed, client_auth, ticket);
}

/* ------------------------------------------------------------------ */
/* Live: one conductor step in a worker thread                         */


static void
live_run_clear (LiveRun *run)
{
  g_clear_pointer (&run->conductor, tls_conductor_free);
  if (run->cfg)
    {
      tls_config_clear (run->cfg);
      g_clear_pointer (&run->cfg, g_free);
    }
  g_clear_pointer (&run->rng, tls_rng_free);
}

static void
live_step_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  LiveRun *run = data;
  /* Blocks until the peer answers or the conductor's timeout. */
  g_task_return_boolean (task, tls_conductor_step (run->conductor));
}

static void live_step_done (GObject *source, GAsyncResult *result, gpointer data);

static void
start_live_step (LabSession *self, gboolean run_on)
{
  TlsTrace *t = current_trace (self);
  LiveRun *run = g_new0 (LiveRun, 1);
  GTask *task;
  guint len = tls_trace_len (t);

  /* Room for the steps the worker adds, so the array the views read is
   * not moved under them (GPtrArray grows by reallocating). */
  g_ptr_array_set_size (t->steps, len + 256);
  g_ptr_array_set_size (t->steps, len);

  run->conductor = self->conductor;
  self->inflight = run;
  self->n_stable = len;
  self->busy = TRUE;
  self->run_on = run_on;
  if (self->cancel == NULL)
    self->cancel = g_cancellable_new ();
  task = g_task_new (NULL, self->cancel, live_step_done, g_object_ref (self));
  g_task_set_task_data (task, run, g_free);
  g_task_run_in_thread (task, live_step_thread);
  g_object_unref (task);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  notify_state (self);
}

static void
live_step_done (GObject *source, GAsyncResult *result, gpointer data)
{
  LabSession *self = data;
  LiveRun *run = g_task_get_task_data (G_TASK (result));
  gboolean stepped = g_task_propagate_boolean (G_TASK (result), NULL);

  if (run->orphaned)
    {
      live_run_clear (run);
      g_object_unref (self);
      return;
    }
  self->inflight = NULL;
  self->busy = FALSE;
  if (self->lesson_from >= 0)
    {
      /* a lesson step: on until the trace shows where it ends */
      guint next = tls_trace_lesson_next (current_trace (self), (guint) self->lesson_from);

      if (next == 0 && stepped && tls_conductor_state (self->conductor) == TLS_RUN_RUNNING)
        {
          start_live_step (self, TRUE);
          g_object_unref (self);
          return;
        }
      self->lesson_from = -1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      set_position (self, next ? next : lab_session_get_n_recorded (self), FALSE);
      g_object_unref (self);
      return;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  set_position (self, lab_session_get_n_recorded (self), FALSE);
  if (stepped && self->run_on && !lab_session_is_finished (self))
    start_live_step (self, TRUE);
  g_object_unref (self);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
lab_session_finalize (GObject *object)
{
  LabSession *self = LAB_SESSION (object);

  g_ptr_array_unref (self->items);
  clear_run (self);
  g_hash_table_unref (self->notes);
  g_free (self->datadir);
  G_OBJECT_CLASS (lab_session_parent_class)->finalize (object);
}

static void
lab_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LabSession *self = LAB_SESSION (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_int (value, self->mode);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case PROP_N_RECORDED:
      g_value_set_uint (value, lab_session_get_n_recorded (self));
      break;
    case PROP_CAN_STEP:
      g_value_set_boolean (value, lab_session_can_step (self));
      break;
    case PROP_CAN_STEP_BACK:
      g_value_set_boolean (value, lab_session_can_step_back (self));
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, lab_session_is_finished (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_DETAIL:
      g_value_set_int (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_session_class_init (LabSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_session_finalize;
  object_class->get_property = lab_session_get_property;

  properties[PROP_MODE] =
    g_param_spec_int ("mode", NULL, NULL, LAB_SESSION_EMPTY, LAB_SESSION_LIVE,
                      LAB_SESSION_EMPTY, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_RECORDED] =
    g_param_spec_uint ("n-recorded", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_STEP] =
    g_param_spec_boolean ("can-step", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_STEP_BACK] =
    g_param_spec_boolean ("can-step-back", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_int ("detail", NULL, NULL, TLS_DETAIL_LESSON, TLS_DETAIL_FULL,
                      TLS_DETAIL_LESSON, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS
                      | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The steps were made anew (a rewind): views drop what they keep of
   * them.  Emitted after items-changed. */
  signals[TRACE_REPLACED] =
    g_signal_new ("trace-replaced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lab_session_init (LabSession *self)
{
  /* set_size fills with NULL, which item_free accepts */
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->notes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  /* one step at a time unless told (the window follows its setting) */
  self->detail = TLS_DETAIL_FULL;
  self->lesson_from = -1;
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

LabSession *
lab_session_new (void)
{
  return g_object_new (LAB_TYPE_SESSION, NULL);
}

/* As the command line finds it: $HANDSHAKE_LAB_DATADIR, the source tree's
 * data/ when running from the build tree, else the installed one. */
static const char *
default_datadir (void)
{
  const char *env = g_getenv ("HANDSHAKE_LAB_DATADIR");

  if (env && *env)
    return env;
  if (g_file_test (SOURCE_DATADIR "/pki", G_FILE_TEST_IS_DIR))
    return SOURCE_DATADIR;
  return PKGDATADIR;
}

static void
start_over (LabSession *self)
{
  guint old = self->position;

  self->position = 0;
  g_ptr_array_set_size (self->items, 0);
  if (old)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
  g_signal_emit (self, signals[TRACE_REPLACED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  notify_state (self);
}

gboolean
lab_session_load_scenario (LabSession *self, const TlsScenario *sc,
                           const char *datadir, GError **error)
{
  TlsConductor *c;

  g_return_val_if_fail (LAB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (sc != NULL, FALSE);

  if (datadir == NULL)
    datadir = default_datadir ();
  c = tls_conductor_new (sc, datadir, error);
  if (c == NULL)
    return FALSE;
  clear_run (self);
  self->conductor = c;
  self->scenario = tls_scenario_copy (sc);
  g_free (self->datadir);
  self->datadir = g_strdup (datadir);
  self->title = g_strdup (sc->title ? sc->title : sc->name);
  self->mode = LAB_SESSION_SCENARIO;
  start_over (self);
  return TRUE;
}

void
lab_session_load_trace (LabSession *self, TlsTrace *trace, const char *title)
{
  g_return_if_fail (LAB_IS_SESSION (self));
  g_return_if_fail (trace != NULL);

  clear_run (self);
  self->trace = trace;
  for (guint i = 0; i < tls_trace_len (trace); i++)
    if (tls_trace_get (trace, i)->teacher_note != NULL)
      g_hash_table_insert (self->notes, GUINT_TO_POINTER (i),
                           g_strdup (tls_trace_get (trace, i)->teacher_note));
  self->title = g_strdup (title ? title : trace->scenario);
  self->mode = LAB_SESSION_RECORDED;
  if (trace->scenario != NULL)
    self->scenario = tls_scenario_builtin (trace->scenario);
  start_over (self);
}

gboolean
lab_session_load_peer (LabSession *self, TlsConfig *cfg, TlsRng *rng,
                       int fd, const char *title, GError **error)
{
  TlsConductor *c;

  g_return_val_if_fail (LAB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (cfg != NULL, FALSE);

  c = tls_conductor_new_peer (cfg, fd, NULL, error);
  if (c == NULL)
    {
      tls_config_clear (cfg);
      g_free (cfg);
      tls_rng_free (rng);
      return FALSE;
    }
  clear_run (self);
  self->conductor = c;
  self->cfg = cfg;
  self->rng = rng;
  self->title = g_strdup (title);
  self->mode = LAB_SESSION_LIVE;
  start_over (self);
  return TRUE;
}

void
lab_session_set_detail (LabSession *self, TlsDetail detail)
{
  g_return_if_fail (LAB_IS_SESSION (self));

  if (self->detail == detail)
    return;
  self->detail = detail;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
  /* the views redraw what they show; the current step may change */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

TlsDetail
lab_session_get_detail (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), TLS_DETAIL_FULL);
  return self->detail;
}

int
lab_session_get_current (LabSession *self)
{
  const TlsTrace *t;

  g_return_val_if_fail (LAB_IS_SESSION (self), -1);
  t = current_trace (self);
  if (self->detail == TLS_DETAIL_LESSON && t != NULL && !self->busy)
    return tls_trace_lesson_current (t, self->position);
  return (int) self->position - 1;
}

gboolean
lab_session_shows_step (LabSession *self, guint i)
{
  const TlsStep *s = lab_session_get_step (self, i);

  return s != NULL && (self->detail == TLS_DETAIL_FULL || (s->parent < 0 && !s->parent_next));
}

/* Lesson level: to the next stop, stepping the conductor as far as it
 * takes to know where the lesson step ends. */
static gboolean
step_lesson (LabSession *self)
{
  TlsTrace *t = current_trace (self);
  guint n = lab_session_get_n_recorded (self);
  guint next = tls_trace_lesson_next (t, self->position);

  while (next == 0 && self->mode == LAB_SESSION_SCENARIO
         && tls_conductor_step (self->conductor))
    next = tls_trace_lesson_next (t, self->position);
  if (next == 0)
    next = tls_trace_len (t);
  if (next <= self->position)
    {
      if (n != tls_trace_len (t))
        notify_state (self);
      return FALSE;
    }
  set_position (self, next, FALSE);
  return TRUE;
}

gboolean
lab_session_step (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), FALSE);

  if (self->busy || self->mode == LAB_SESSION_EMPTY)
    return FALSE;
  if (self->detail == TLS_DETAIL_LESSON && self->mode != LAB_SESSION_LIVE)
    return step_lesson (self);
  if (self->detail == TLS_DETAIL_LESSON)
    {
      /* live: what was recorded, else the worker steps on to the stop */
      guint next = tls_trace_lesson_next (current_trace (self), self->position);
      guint n = lab_session_get_n_recorded (self);

      if (next != 0)
        set_position (self, next, FALSE);
      else if (tls_conductor_state (self->conductor) == TLS_RUN_RUNNING)
        {
          self->lesson_from = (int) self->position;
          start_live_step (self, TRUE);
        }
      else if (self->position < n)
        set_position (self, n, FALSE);
      else
        {
          notify_state (self);
          return FALSE;
        }
      return TRUE;
    }
  if (self->position < lab_session_get_n_recorded (self))
    {
      set_position (self, self->position + 1, FALSE);
      return TRUE;
    }
  if (self->mode == LAB_SESSION_SCENARIO && tls_conductor_step (self->conductor))
    {
      set_position (self, tls_trace_len (current_trace (self)), FALSE);
      return TRUE;
    }
  if (self->mode == LAB_SESSION_LIVE && !lab_session_is_finished (self))
    {
      start_live_step (self, FALSE);
      return TRUE;
    }
  notify_state (self);
  return FALSE;
}

gboolean
lab_session_step_back (LabSession *self)
{
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (LAB_IS_SESSION (self), FALSE);

  guint target;

  if (self->busy || self->position == 0)
    return FALSE;
  target = self->position - 1;
  if (self->detail == TLS_DETAIL_LESSON && self->mode != LAB_SESSION_LIVE)
    target = tls_trace_lesson_previous (current_trace (self), self->position);
  if (self->mode == LAB_SESSION_SCENARIO && tls_conductor_can_rewind (self->conductor))
    {
      /* Seeded: replay the run to one step before (DESIGN.md, "The
       * conductor": rewinding is replaying to step N). */
      if (!tls_conductor_rewind (self->conductor, target, &error))
        {
          g_warning ("rewind: %s", error->message);
          return FALSE;
        }
      set_position (self, tls_trace_len (current_trace (self)), TRUE);
      return TRUE;
    }
  set_position (self, target, FALSE);
  return TRUE;
}

gboolean
lab_session_reset (LabSession *self)
{
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (LAB_IS_SESSION (self), FALSE);

  if (self->busy || self->position == 0)
    return FALSE;
  if (self->mode == LAB_SESSION_SCENARIO)
    {
      TlsConductor *c = tls_conductor_new (self->scenario, self->datadir, &error);
      if (c == NULL)
        {
          g_warning ("reset: %s", error->message);
          return FALSE;
        }
      tls_conductor_free (self->conductor);
      self->conductor = c;
      set_position (self, 0, TRUE);
      return TRUE;
    }
  set_position (self, 0, FALSE);
  return TRUE;
}

gboolean
lab_session_run_to_end (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), FALSE);

  if (self->busy || self->mode == LAB_SESSION_EMPTY)
    return FALSE;
  if (self->mode == LAB_SESSION_SCENARIO)
    tls_conductor_run (self->conductor);
  if (self->mode == LAB_SESSION_LIVE && self->position == lab_session_get_n_recorded (self)
      && !lab_session_is_finished (self))
    {
      start_live_step (self, TRUE);
      return TRUE;
    }
  if (lab_session_get_n_recorded (self) == self->position)
    return FALSE;
  set_position (self, lab_session_get_n_recorded (self), FALSE);
  return TRUE;
}

LabSessionMode
lab_session_get_mode (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), LAB_SESSION_EMPTY);
  return self->mode;
}

const char *
lab_session_get_title (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), NULL);
  return self->title;
}

const TlsScenario *
lab_session_get_scenario (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), NULL);
  return self->scenario;
}

guint
lab_session_get_position (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), 0);
  return self->position;
}

guint
lab_session_get_n_recorded (LabSession *self)
{
  TlsTrace *t;

  g_return_val_if_fail (LAB_IS_SESSION (self), 0);
  if (self->busy)
    return self->n_stable;   /* the worker is adding to the trace */
  t = current_trace (self);
  return t ? tls_trace_len (t) : 0;
}

const TlsStep *
lab_session_get_step (LabSession *self, guint i)
{
  TlsTrace *t;

  g_return_val_if_fail (LAB_IS_SESSION (self), NULL);
  t = current_trace (self);
  if (t == NULL || i >= lab_session_get_n_recorded (self))
    return NULL;
  return g_ptr_array_index (t->steps, i);
}

void
lab_session_set_note (LabSession *self, guint i, const char *note)
{
  g_autofree char *copy = NULL;

  g_return_if_fail (LAB_IS_SESSION (self));
  copy = g_strstrip (g_strdup (note ? note : ""));
  if (*copy == '\0')
    g_hash_table_remove (self->notes, GUINT_TO_POINTER (i));
  else
    g_hash_table_insert (self->notes, GUINT_TO_POINTER (i), g_steal_pointer (&copy));
  if (i < lab_session_get_n_recorded (self))
    tls_step_set_teacher_note (g_ptr_array_index (current_trace (self)->steps, i), note);
}

const char *
lab_session_get_note (LabSession *self, guint i)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), NULL);
  return g_hash_table_lookup (self->notes, GUINT_TO_POINTER (i));
}

const TlsTrace *
lab_session_get_trace (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), NULL);
  return current_trace (self);
}

gboolean
lab_session_is_finished (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), TRUE);

  if (self->position < lab_session_get_n_recorded (self))
    return FALSE;
  switch (self->mode)
    {
    case LAB_SESSION_SCENARIO:
      return tls_conductor_state (self->conductor) != TLS_RUN_RUNNING;
    case LAB_SESSION_LIVE:
      return !self->busy && tls_conductor_state (self->conductor) != TLS_RUN_RUNNING;
    case LAB_SESSION_RECORDED:
    case LAB_SESSION_EMPTY:
    default:
      return TRUE;
    }
}

gboolean
lab_session_can_step (LabSession *self)
{
  return !self->busy && !lab_session_is_finished (self);
}

gboolean
lab_session_can_step_back (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), FALSE);
  return !self->busy && self->position > 0;
}

gboolean
lab_session_is_review_only (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), TRUE);
  return self->mode != LAB_SESSION_SCENARIO
         || !tls_conductor_can_rewind (self->conductor);
}

gboolean
lab_session_is_busy (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), FALSE);
  return self->busy;
}

char *
lab_session_dup_status (LabSession *self)
{
  guint n = lab_session_get_n_recorded (self);

  g_return_val_if_fail (LAB_IS_SESSION (self), NULL);

  if (self->mode == LAB_SESSION_EMPTY)
    return g_strdup (_("No run loaded"));
  if (self->busy)
    return g_strdup (_("Waiting for the peer…"));
  if (self->position == 0)
    return g_strdup (_("Ready: press Step to begin"));
  if (self->position < n && self->mode == LAB_SESSION_SCENARIO)
    /* at the lesson level the conductor may be a step ahead */
    return g_strdup_printf (_("Step %u"), (guint) (lab_session_get_current (self) + 1));
  if (self->position < n)
    /* Translators: reviewing a recorded run, "step 3 of 20 recorded" */
    return g_strdup_printf (_("Step %u of %u recorded"), self->position, n);
  if (self->conductor != NULL)
    {
      switch (tls_conductor_state (self->conductor))
        {
        case TLS_RUN_COMPLETED:
          return g_strdup_printf (_("Step %u: handshake complete"), self->position);
        case TLS_RUN_FAILED:
          return g_strdup_printf (_("Step %u: the run ended with an alert"), self->position);
        case TLS_RUN_RUNNING:
        default:
          return g_strdup_printf (_("Step %u"), self->position);
        }
    }
  return g_strdup_printf (_("Step %u of %u: end of the recording"), self->position, n);
}

GArray *
lab_session_get_upcoming (LabSession *self)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (LabUpcoming));
  const TlsScenario *sc = self->scenario;
  const TlsStep *last, *ch = NULL, *sh = NULL;
  g_autoptr (GPtrArray) done = g_ptr_array_new ();
  guint conn, first = 0, pos;
  gboolean resumed, client_auth, ticket;
  TlsKeyExchange kx;
  TlsShapeFlags tries[6];
  gboolean hrr = FALSE;
  gboolean matched = FALSE;
  const TlsSuite *chosen = NULL;

  g_return_val_if_fail (LAB_IS_SESSION (self), out);

  /* A scenario at the lesson level may have run one step past the
   * position (to see where the lesson step ends): what comes next is
   * forecast from what the conductor has done. */
  pos = self->mode == LAB_SESSION_SCENARIO ? lab_session_get_n_recorded (self) : self->position;
  if (self->mode == LAB_SESSION_EMPTY || self->busy
      || pos < lab_session_get_n_recorded (self)
      || (self->mode == LAB_SESSION_SCENARIO
          ? tls_conductor_state (self->conductor) != TLS_RUN_RUNNING
          : lab_session_is_finished (self)))
    return out;

  last = pos ? lab_session_get_step (self, pos - 1) : NULL;
  if (last != NULL && last->kind == TLS_STEP_ALERT)
    return out;
  conn = last ? last->connection : 0;

  /* The messages of this connection so far. */
  for (guint i = pos; i > 0; i--)
    {
      const TlsStep *s = lab_session_get_step (self, i - 1);
      if (s->connection != conn)
        break;
      first = i - 1;
    }
  for (guint i = first; i < pos; i++)
    {
      const TlsStep *s = lab_session_get_step (self, i);
      if (!is_handshake_message (s))
        continue;
      g_ptr_array_add (done, (gpointer) s);
      if (s->content_type == TLS_CONTENT_HANDSHAKE && s->handshake_type == TLS_HS_CLIENT_HELLO)
        ch = s;
      if (s->content_type == TLS_CONTENT_HANDSHAKE && s->handshake_type == TLS_HS_SERVER_HELLO)
        sh = s;
    }
  for (guint i = first; i < pos; i++)
    {
      const TlsStep *s = lab_session_get_step (self, i);
      /* a decision whose choice is a suite: the server has chosen */
      if (s->kind == TLS_STEP_DECISION && s->choice && tls_suite_by_name (s->choice))
        chosen = tls_suite_by_name (s->choice);
      if (is_handshake_message (s) && g_strcmp0 (s->title, "HelloRetryRequest") == 0)
        hrr = TRUE;
    }

  /* What the hellos say, else what the scenario suggests. */
  kx = guess_kx (sc);
  /* resumed by the server's cache, or by a ticket (which needs none) */
  resumed = sc && sc->resume && (sc->server_cache || sc->tickets) && sc->reconnect_after == 0
            && conn >= 1;
  client_auth = sc && sc->client_cert;
  ticket = sc && sc->tickets;
  if (chosen)
    kx = chosen->kx;
  if (sh != NULL)
    {
      g_autoptr (GBytes) suite = field_bytes (sh, "cipher_suite");
      g_autoptr (GBytes) sid_c = field_bytes (ch, "session_id");
      g_autoptr (GBytes) sid_s = field_bytes (sh, "session_id");

      if (suite && g_bytes_get_size (suite) == 2)
        {
          const guint8 *p = g_bytes_get_data (suite, NULL);
          const TlsSuite *s = tls_suite_by_id ((p[0] << 8) | p[1]);
          if (s)
            kx = s->kx;
        }
      /* RFC 5246, 7.4.1.2: the server echoes the client's session ID
       * when it resumes; a different (or empty) one means a full
       * handshake. */
      if (kx == TLS_KX_TLS13)
        /* RFC 8446, 4.1.3: a TLS 1.3 server echoes any session ID; it
         * resumes when its pre_shared_key extension selects a PSK
         * (4.2.11) */
        resumed = tls_field_find (sh->fields, "selected_identity") != NULL;
      else if (sid_c && sid_s)
        resumed = g_bytes_get_size (sid_c) > 1 && g_bytes_equal (sid_c, sid_s);
    }

  tries[0] = shape_for (sc, kx, resumed, client_auth, ticket, hrr);
  if (tries[0] & TLS_SHAPE_TLS13)
    {
      /* RFC 8446: a HelloRetryRequest, the compatibility ChangeCipherSpecs
       * (D.4), a PSK, client authentication, each may turn out otherwise */
      tries[1] = tries[0] ^ TLS_SHAPE_COMPAT_CCS;
      tries[2] = tries[0] ^ TLS_SHAPE_HRR;
      tries[3] = tries[0] ^ TLS_SHAPE_HRR ^ TLS_SHAPE_COMPAT_CCS;
      tries[4] = tries[0] ^ TLS_SHAPE_RESUMED;
      tries[5] = tries[0] ^ TLS_SHAPE_CLIENT_AUTH;
    }
  else
    {
      tries[1] = tries[0] ^ TLS_SHAPE_SERVER_KX;
      tries[2] = tries[0] ^ TLS_SHAPE_RESUMED;
      tries[3] = tries[0] ^ TLS_SHAPE_CLIENT_AUTH;
      tries[4] = tries[5] = tries[0];
    }
  for (guint t = 0; t < G_N_ELEMENTS (tries) && !matched; t++)
    {
      guint n = 0;
      const TlsShapeEntry *shape = tls_shape_messages (tries[t], &n);

      if (done->len > n)
        continue;
      matched = TRUE;
      for (guint i = 0; i < done->len && matched; i++)
        matched = entry_matches (&shape[i], g_ptr_array_index (done, i));
      if (matched)
        append_shape (out, tries[t], done->len, conn);
    }
  if (!matched)
    return out;

  /* The connections the scenario has still to make. */
  for (guint c = conn + 1; sc && c < sc->connections; c++)
    {
      gboolean r = sc->resume && (sc->server_cache || sc->tickets) && sc->reconnect_after == 0;
      append_shape (out, shape_for (sc, guess_kx (sc), r, client_auth, ticket, FALSE), 0, c);
    }
  return out;
}

const char *
lab_session_get_datadir (LabSession *self)
{
  g_return_val_if_fail (LAB_IS_SESSION (self), NULL);
  return self->datadir ? self->datadir : default_datadir ();
}
