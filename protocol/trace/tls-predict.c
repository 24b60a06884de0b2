/* tls-predict.c — the questions and choices of predict mode. */
#include "tls-predict.h"
#include "tls-alert.h"
#include "tls-suites.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MAX_CHOICES 4

static const char *const kind_names[] = { "none", "next-message", "suite", "resume", "alert" };

const char *
tls_predict_kind_name (TlsPredictKind kind)
{
  return kind <= TLS_PREDICT_ALERT ? kind_names[kind] : "none";
}

gboolean
tls_predict_kind_parse (const char *text, TlsPredictKind *kind)
{
  for (guint k = 0; k < G_N_ELEMENTS (kind_names); k++)
    if (g_strcmp0 (text, kind_names[k]) == 0)
      {
        *kind = k;
        return TRUE;
      }
  return FALSE;
}

void
tls_prediction_free (TlsPrediction *p)
{
  if (p == NULL)
    return;
  g_free (p->question);
  g_ptr_array_unref (p->choices);
  g_free (p);
}

static gboolean
has_choice (GPtrArray *a, const char *s)
{
  for (guint i = 0; i < a->len; i++)
    if (g_str_equal (a->pdata[i], s))
      return TRUE;
  return FALSE;
}

static void
add_choice (GPtrArray *a, const char *s)
{
  if (s != NULL && a->len < MAX_CHOICES && !has_choice (a, s))
    g_ptr_array_add (a, g_strdup (s));
}

static int
compare_text (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(const char *const *) a, *(const char *const *) b);
}

/* Sorts the choices (so the right one is not always first) and finds it. */
static void
finish (TlsPrediction *p, const char *answer)
{
  g_ptr_array_sort (p->choices, compare_text);
  for (guint i = 0; i < p->choices->len; i++)
    if (g_str_equal (p->choices->pdata[i], answer))
      p->right = i;
}

static const TlsField *
find_field (const TlsField *f, const char *name)
{
  if (f == NULL)
    return NULL;
  if (g_strcmp0 (f->name, name) == 0)
    return f;
  for (guint i = 0; f->children && i < f->children->len; i++)
    {
      const TlsField *r = find_field (g_ptr_array_index (f->children, i), name);
      if (r)
        return r;
    }
  return NULL;
}

/* The suites of the ClientHello of connection CONN, in the client's order. */
static void
offered_suites (const TlsTrace *trace, guint conn, GPtrArray *out)
{
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      const TlsField *list;
      gsize n;
      const guint8 *d;

      if (s->connection != conn || s->kind != TLS_STEP_MESSAGE
          || g_strcmp0 (s->title, "ClientHello") != 0 || s->bytes == NULL)
        continue;
      list = find_field (s->fields, "cipher_suites");
      d = g_bytes_get_data (s->bytes, &n);
      for (guint c = 0; list && list->children && c < list->children->len; c++)
        {
          const TlsField *f = g_ptr_array_index (list->children, c);
          const TlsSuite *suite;
          if (f->length != 2 || f->offset + 2 > n)
            continue;
          suite = tls_suite_by_id ((guint16) (d[f->offset] << 8 | d[f->offset + 1]));
          if (suite != NULL)
            g_ptr_array_add (out, (gpointer) suite->name);
        }
      return;
    }
}

/* Alerts in families: a wrong answer is taken from the neighbours of the
 * right one, so the choices are of a kind. */
static const int alert_order[] = {
  TLS_ALERT_BAD_CERTIFICATE, TLS_ALERT_CERTIFICATE_EXPIRED, TLS_ALERT_UNKNOWN_CA,
  TLS_ALERT_CERTIFICATE_UNKNOWN, TLS_ALERT_DECRYPT_ERROR, TLS_ALERT_BAD_RECORD_MAC,
  TLS_ALERT_HANDSHAKE_FAILURE, TLS_ALERT_INAPPROPRIATE_FALLBACK, TLS_ALERT_PROTOCOL_VERSION,
  TLS_ALERT_INSUFFICIENT_SECURITY, TLS_ALERT_ILLEGAL_PARAMETER, TLS_ALERT_DECODE_ERROR,
};

#define RESUME_YES N_("resume the session: abbreviated handshake")
#define RESUME_NO N_("full handshake: a new session")
#define RESUME_ALERT N_("refuse the connection with an alert")
#define NO_ALERT N_("no alert: the handshake completes")

static gboolean
kind_error (GError **error, const TlsStep *s, const char *kind, const char *wanted)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               _("predict=%s needs %s, and step “%s” (%s by the %s) is not one"), kind, wanted,
               s->title, tls_step_kind_name (s->kind), tls_actor_name (s->actor));
  return FALSE;
}

TlsPrediction *
tls_prediction_new (const TlsTrace *trace, guint step, TlsPredictKind kind, GError **error)
{
  g_autoptr (TlsPrediction) p = g_new0 (TlsPrediction, 1);
  const TlsStep *s;
  g_autofree char *answer = NULL;

  g_return_val_if_fail (step < tls_trace_len (trace), NULL);
  s = tls_trace_get (trace, step);
  p->kind = kind;
  p->step = step;
  p->choices = g_ptr_array_new_with_free_func (g_free);

  switch (kind)
    {
    case TLS_PREDICT_NONE:
      return g_steal_pointer (&p);

    case TLS_PREDICT_NEXT_MESSAGE:
      if (s->kind != TLS_STEP_MESSAGE && s->kind != TLS_STEP_ALERT)
        {
          kind_error (error, s, "next-message", _("a message or an alert"));
          return NULL;
        }
      p->question = g_strdup_printf (_("What does the %s send next?"), tls_actor_name (s->actor));
      answer = g_strdup (s->title);
      add_choice (p->choices, answer);
      /* The other messages of the run, nearest first. */
      for (guint d = 1; d < tls_trace_len (trace) && p->choices->len < MAX_CHOICES; d++)
        for (int sign = -1; sign <= 1; sign += 2)
          {
            gint64 j = (gint64) step + sign * (gint64) d;
            const TlsStep *o;
            if (j < 0 || j >= tls_trace_len (trace))
              continue;
            o = tls_trace_get (trace, (guint) j);
            if (o->kind == TLS_STEP_MESSAGE && o->parent < 0)
              add_choice (p->choices, o->title);
          }
      break;

    case TLS_PREDICT_SUITE:
      {
        g_autofree char *key = g_strdup_printf ("conn%u.suite", s->connection);
        g_autoptr (GPtrArray) offered = g_ptr_array_new ();
        const char *suite = tls_trace_get_meta (trace, key);

        if (s->kind != TLS_STEP_MESSAGE || g_strcmp0 (s->title, "ServerHello") != 0)
          {
            kind_error (error, s, "suite", _("a ServerHello"));
            return NULL;
          }
        if (suite == NULL)
          {
            g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                         _("predict=suite: the run does not say which suite connection %u chose"),
                         s->connection + 1);
            return NULL;
          }
        p->question = g_strdup (_("Which cipher suite will the server pick?"));
        answer = g_strdup (suite);
        add_choice (p->choices, answer);
        offered_suites (trace, s->connection, offered);
        for (guint i = 0; i < offered->len; i++)
          add_choice (p->choices, offered->pdata[i]);
        /* A client that offers fewer: suites of the table with the same key
         * exchange as the right one. */
        {
          guint n = 0;
          const TlsSuite **all = tls_suite_all (&n);
          const TlsSuite *right = tls_suite_by_name (suite);
          for (guint i = 0; i < n && right; i++)
            if (all[i]->kx == right->kx)
              add_choice (p->choices, all[i]->name);
        }
      }
      break;

    case TLS_PREDICT_RESUME:
      {
        g_autofree char *key = g_strdup_printf ("conn%u.resumed", s->connection);
        const char *resumed = tls_trace_get_meta (trace, key);

        if (s->kind != TLS_STEP_DECISION)
          {
            kind_error (error, s, "resume", _("a decision (such as “Resume the session?”)"));
            return NULL;
          }
        if (resumed == NULL)
          {
            g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                         _("predict=resume: the run does not say whether connection %u was resumed"),
                         s->connection + 1);
            return NULL;
          }
        p->question = g_strdup (_("Will the server resume the session?"));
        answer = g_strdup (g_str_has_prefix (resumed, "yes") ? _(RESUME_YES) : _(RESUME_NO));
        add_choice (p->choices, _(RESUME_YES));
        add_choice (p->choices, _(RESUME_NO));
        add_choice (p->choices, _(RESUME_ALERT));
      }
      break;

    case TLS_PREDICT_ALERT:
      {
        guint at = 0;

        if (s->kind != TLS_STEP_ALERT)
          {
            kind_error (error, s, "alert", _("an alert"));
            return NULL;
          }
        p->question = g_strdup (_("Which alert comes now, if any?"));
        answer = g_strdup (tls_alert_name (s->alert_description));
        add_choice (p->choices, answer);
        add_choice (p->choices, _(NO_ALERT));
        for (guint i = 0; i < G_N_ELEMENTS (alert_order); i++)
          if (alert_order[i] == s->alert_description)
            at = i;
        for (guint i = 1; i < G_N_ELEMENTS (alert_order); i++)
          add_choice (p->choices, tls_alert_name (alert_order[(at + i) % G_N_ELEMENTS (alert_order)]));
      }
      break;
    }
  finish (p, answer);
  return g_steal_pointer (&p);
}

TlsPredictKind
tls_predict_auto (const TlsTrace *trace, guint step)
{
  const TlsStep *s = tls_trace_get (trace, step);

  if (s->kind == TLS_STEP_MESSAGE && g_strcmp0 (s->title, "ServerHello") == 0)
    return TLS_PREDICT_SUITE;
  if (s->kind == TLS_STEP_DECISION && g_strcmp0 (s->title, "Resume the session?") == 0
      && s->actor == TLS_ACTOR_SERVER)
    return TLS_PREDICT_RESUME;
  if (s->kind == TLS_STEP_ALERT && s->alert_level == TLS_ALERT_LEVEL_FATAL)
    return TLS_PREDICT_ALERT;
  if (s->kind == TLS_STEP_MESSAGE && s->parent < 0)
    for (guint j = step; j-- > 0;)
      {
        const TlsStep *o = tls_trace_get (trace, j);
        if (o->connection != s->connection)
          break;
        if (o->kind == TLS_STEP_MESSAGE && o->parent < 0)
          return o->actor != s->actor ? TLS_PREDICT_NEXT_MESSAGE : TLS_PREDICT_NONE;
      }
  return TLS_PREDICT_NONE;
}
