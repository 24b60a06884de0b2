/* tls-trace.c — the trace model. */
#include "tls-trace.h"
#include "tls-alert.h"

#include <glib/gi18n-lib.h>
#include <string.h>

TlsTrace *
tls_trace_new (void)
{
  TlsTrace *t = g_new0 (TlsTrace, 1);
  t->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_step_free);
  t->meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return t;
}

void
tls_trace_free (TlsTrace *trace)
{
  if (trace == NULL)
    return;
  g_ptr_array_unref (trace->steps);
  g_hash_table_unref (trace->meta);
  g_clear_pointer (&trace->times, g_array_unref);
  g_free (trace->scenario);
  g_free (trace);
}

guint
tls_trace_len (const TlsTrace *trace)
{
  return trace->steps->len;
}

TlsStep *
tls_trace_get (const TlsTrace *trace, guint i)
{
  g_return_val_if_fail (i < trace->steps->len, NULL);
  return g_ptr_array_index (trace->steps, i);
}

TlsStep *
tls_trace_last (const TlsTrace *trace)
{
  return trace->steps->len ? tls_trace_get (trace, trace->steps->len - 1) : NULL;
}

void
tls_trace_set_meta (TlsTrace *trace, const char *key, const char *value)
{
  if (value == NULL)
    g_hash_table_remove (trace->meta, key);
  else
    g_hash_table_replace (trace->meta, g_strdup (key), g_strdup (value));
}

const char *
tls_trace_get_meta (const TlsTrace *trace, const char *key)
{
  return g_hash_table_lookup (trace->meta, key);
}

TlsStep *
tls_trace_add (TlsTrace *trace, TlsStepKind kind, TlsActor actor, const char *title)
{
  TlsStep *s = g_new0 (TlsStep, 1);

  s->index = trace->steps->len;
  s->connection = trace->connection;
  s->kind = kind;
  s->actor = actor;
  s->title = g_strdup (title);
  s->result = TLS_CHECK_NOT_CHECKED;
  s->wire_offset = -1;
  s->chosen_option = -1;
  s->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_trace_value_free);
  s->outputs = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_trace_value_free);
  s->options = g_ptr_array_new_with_free_func (g_free);
  s->parent = TLS_PARENT_NONE;
  s->bare = trace->bare;
  g_ptr_array_add (trace->steps, s);
  if (kind == TLS_STEP_MESSAGE || kind == TLS_STEP_ALERT || kind == TLS_STEP_APPDATA)
    tls_trace_group (trace, s, TLS_PARENT_NONE);
  return s;
}

/* The steps of STEP's actor and connection waiting for their next
 * top-level step join STEP.  They lie after that actor's previous
 * top-level step, so the walk back stops there. */
static void
adopt_waiting (TlsTrace *trace, TlsStep *step)
{
  for (guint i = step->index; i > 0; i--)
    {
      TlsStep *s = g_ptr_array_index (trace->steps, i - 1);

      if (s->connection != step->connection)
        break;
      if (s->actor != step->actor)
        continue;
      if (s->parent_next)
        {
          s->parent_next = FALSE;
          s->parent = (int) step->index;
        }
      else if (s->grouped && s->parent == TLS_PARENT_NONE)
        break;
    }
}

void
tls_trace_group (TlsTrace *trace, TlsStep *step, int parent)
{
  g_return_if_fail (parent >= TLS_PARENT_NEXT && parent < (int) step->index);

  step->grouped = TRUE;
  step->parent_next = parent == TLS_PARENT_NEXT;
  step->parent = parent >= 0 ? parent : TLS_PARENT_NONE;
  /* a group is one level deep: under a child means under its parent */
  if (parent >= 0)
    step->parent = (int) tls_trace_top_of (trace, (guint) parent);
  if (parent == TLS_PARENT_NONE)
    adopt_waiting (trace, step);
}

/* Top-level, and not waiting to join the next step of its actor. */
static gboolean
is_top (const TlsTrace *trace, guint i)
{
  const TlsStep *s = tls_trace_get (trace, i);
  return s->parent < 0 && !s->parent_next;
}

guint
tls_trace_lesson_next (const TlsTrace *trace, guint position)
{
  guint n = tls_trace_len (trace), head = position;

  while (head < n && !is_top (trace, head))
    head++;
  for (guint i = head + 1; i < n; i++)
    if (is_top (trace, i))
      return i;
  return 0;
}

int
tls_trace_lesson_current (const TlsTrace *trace, guint position)
{
  for (guint i = MIN (position, tls_trace_len (trace)); i > 0; i--)
    if (is_top (trace, i - 1))
      return (int) i - 1;
  return -1;
}

guint
tls_trace_lesson_previous (const TlsTrace *trace, guint position)
{
  /* just before the step shown now: the previous one is shown there */
  return (guint) MAX (tls_trace_lesson_current (trace, position), 0);
}

gboolean
tls_detail_parse (const char *text, TlsDetail *detail)
{
  if (g_strcmp0 (text, "lesson") == 0)
    *detail = TLS_DETAIL_LESSON;
  else if (g_strcmp0 (text, "full") == 0)
    *detail = TLS_DETAIL_FULL;
  else
    return FALSE;
  return TRUE;
}

const char *
tls_detail_name (TlsDetail detail)
{
  return detail == TLS_DETAIL_LESSON ? "lesson" : "full";
}

guint
tls_trace_top_of (const TlsTrace *trace, guint index)
{
  const TlsStep *s = tls_trace_get (trace, index);

  return s->parent >= 0 ? (guint) s->parent : index;
}

GArray *
tls_trace_children (const TlsTrace *trace, guint index)
{
  GArray *out = NULL;

  for (guint i = 0; i < trace->steps->len; i++)
    {
      const TlsStep *s = g_ptr_array_index (trace->steps, i);
      if (s->parent == (int) index)
        {
          if (out == NULL)
            out = g_array_new (FALSE, FALSE, sizeof (guint));
          g_array_append_val (out, i);
        }
    }
  return out;
}

void
tls_trace_commit (TlsTrace *trace, TlsStep *step)
{
  /* a failed check is a step of the lesson: the class must see it */
  if (step->kind == TLS_STEP_CHECK && step->result == TLS_CHECK_FAILED
      && (step->parent >= 0 || step->parent_next))
    tls_trace_group (trace, step, TLS_PARENT_NONE);
  if (trace->on_step)
    trace->on_step (trace, step, trace->on_step_data);
}

int
tls_trace_find (const TlsTrace *trace, TlsStepKind kind, const char *title)
{
  for (int i = (int) trace->steps->len - 1; i >= 0; i--)
    {
      TlsStep *s = g_ptr_array_index (trace->steps, i);
      if (s->kind == kind && g_strcmp0 (s->title, title) == 0)
        return i;
    }
  return -1;
}

void
tls_trace_value_free (TlsTraceValue *v)
{
  if (v == NULL)
    return;
  g_free (v->name);
  g_clear_pointer (&v->bytes, g_bytes_unref);
  g_free (v->text);
  g_free (v->note);
  g_free (v->compare_with);
  g_free (v);
}

void
tls_step_free (TlsStep *s)
{
  if (s == NULL)
    return;
  g_free (s->title);
  g_free (s->explanation);
  g_free (s->rfc);
  g_clear_pointer (&s->bytes, g_bytes_unref);
  tls_field_free (s->fields);
  g_clear_pointer (&s->wire, g_bytes_unref);
  tls_field_free (s->wire_fields);
  g_free (s->formula);
  g_ptr_array_unref (s->inputs);
  g_ptr_array_unref (s->outputs);
  g_free (s->subject);
  g_free (s->against);
  g_ptr_array_unref (s->options);
  g_free (s->choice);
  g_free (s->reason);
  g_free (s->teacher_note);
  g_free (s);
}

void
tls_step_set_teacher_note (TlsStep *step, const char *note)
{
  g_clear_pointer (&step->teacher_note, g_free);
  if (note == NULL)
    return;
  g_autofree char *copy = g_strstrip (g_strdup (note));
  if (*copy != '\0')
    step->teacher_note = g_steal_pointer (&copy);
}

void
tls_step_explain (TlsStep *step, const char *rfc, const char *format, ...)
{
  va_list ap;

  if (step->bare)
    return;
  g_free (step->rfc);
  step->rfc = g_strdup (rfc);
  g_free (step->explanation);
  va_start (ap, format);
  step->explanation = g_strdup_vprintf (format, ap);
  va_end (ap);
}

static TlsTraceValue *
value_new (const char *name, const guint8 *data, gsize len, const char *text,
           int from_step, const char *note)
{
  TlsTraceValue *v = g_new0 (TlsTraceValue, 1);
  v->name = g_strdup (name);
  if (data != NULL)
    v->bytes = g_bytes_new (data, len);
  v->text = g_strdup (text);
  v->from_step = from_step;
  v->note = g_strdup (note);
  return v;
}

TlsTraceValue *
tls_step_add_input (TlsStep *step, const char *name, const guint8 *data,
                    gsize len, int from_step, const char *note)
{
  TlsTraceValue *v = value_new (name, data, len, NULL, from_step, note);
  g_ptr_array_add (step->inputs, v);
  return v;
}

TlsTraceValue *
tls_step_add_text_input (TlsStep *step, const char *name, const char *text,
                         int from_step, const char *note)
{
  TlsTraceValue *v = value_new (name, NULL, 0, text, from_step, note);
  g_ptr_array_add (step->inputs, v);
  return v;
}

TlsTraceValue *
tls_step_add_output (TlsStep *step, const char *name, const guint8 *data,
                     gsize len, const char *note)
{
  TlsTraceValue *v = value_new (name, data, len, NULL, -1, note);
  g_ptr_array_add (step->outputs, v);
  return v;
}

TlsTraceValue *
tls_step_find_output (const TlsStep *step, const char *name)
{
  for (guint i = 0; i < step->outputs->len; i++)
    {
      TlsTraceValue *v = g_ptr_array_index (step->outputs, i);
      if (g_strcmp0 (v->name, name) == 0)
        return v;
    }
  return NULL;
}

void
tls_step_add_option (TlsStep *step, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_ptr_array_add (step->options, g_strdup_vprintf (format, ap));
  va_end (ap);
}

void
tls_step_set_reason (TlsStep *step, const char *format, ...)
{
  va_list ap;
  g_free (step->reason);
  va_start (ap, format);
  step->reason = g_strdup_vprintf (format, ap);
  va_end (ap);
}

void
tls_step_set_message (TlsStep *step, GBytes *bytes, TlsField *fields)
{
  g_clear_pointer (&step->bytes, g_bytes_unref);
  tls_field_free (step->fields);
  step->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  if (step->bare)
    g_clear_pointer (&fields, tls_field_free);
  step->fields = fields;
}

void
tls_step_set_wire (TlsStep *step, GBytes *wire, TlsField *fields, gboolean encrypted)
{
  g_clear_pointer (&step->wire, g_bytes_unref);
  tls_field_free (step->wire_fields);
  step->wire = wire ? g_bytes_ref (wire) : NULL;
  if (step->bare)
    g_clear_pointer (&fields, tls_field_free);
  step->wire_fields = fields;
  step->encrypted = encrypted;
}

TlsField *
tls_trace_field_root (const TlsTrace *trace, const char *name, gsize offset, gsize length)
{
  return trace->bare ? NULL : tls_field_new (name, offset, length);
}

const char *
tls_actor_name (TlsActor actor)
{
  return actor == TLS_ACTOR_CLIENT ? "client" : actor == TLS_ACTOR_ATTACKER ? "attacker" : "server";
}

/* For people: "client"/"server" in the user's language (the JSON keeps
 * tls_actor_name). */
const char *
tls_actor_label (TlsActor actor)
{
  return actor == TLS_ACTOR_CLIENT ? C_("actor", "client")
       : actor == TLS_ACTOR_ATTACKER ? C_("actor", "attacker") : C_("actor", "server");
}

/* A step's title as a view shows it: titles the engine gives in English
 * (marked N_() where they are made, and kept so in the trace, where
 * tls_trace_find and the exports look for them) in the user's language;
 * names (ClientHello, master_secret) and titles made translated stay. */
/* Titles the engine composes ("Alert: bad_record_mac", "Drop: Finished")
 * are stored in English too; a view shows the translated form with the
 * same argument.  Each has one %s, made by the layer named. */
static const char *const title_formats[] = {
  /* TRANSLATORS: a step's title; %s is an alert description (bad_record_mac) */
  N_("Alert: %s"),
  /* TRANSLATORS: a step's title; %s is what is checked on a record (MAC, padding) */
  N_("Record %s"),
  /* TRANSLATORS: an attacker's step (scenario attack); %s is a message's field
     (ServerHello.random) */
  N_("Tamper: %s"),
  /* TRANSLATORS: an attacker's step; %s is a message (Finished) */
  N_("Flip a bit: %s"),
  /* TRANSLATORS: an attacker's step; %s is a message (Finished) */
  N_("Drop: %s"),
  /* TRANSLATORS: an attacker's step; %s is a message (Finished) */
  N_("Replay: %s"),
  /* TRANSLATORS: an attacker's step; %s is a message (Finished) */
  N_("Reorder: %s"),
  /* TRANSLATORS: an attacker's step; %s is a message (Finished) */
  N_("Inject a record before %s"),
  NULL
};

static const char *title_label (const char *title);

/* Formats of other layers (the certificate checks of x509), added by
 * tls_step_title_format_add. */
static GPtrArray *added_formats;
G_LOCK_DEFINE_STATIC (added_formats);

void
tls_step_title_format_add (const char *format)
{
  G_LOCK (added_formats);
  if (added_formats == NULL)
    added_formats = g_ptr_array_new ();
  if (!g_ptr_array_find_with_equal_func (added_formats, format, g_str_equal, NULL))
    g_ptr_array_add (added_formats, (gpointer) format);
  G_UNLOCK (added_formats);
}

/* TITLE made from FORMAT (each %s an argument), translated; NULL if TITLE
 * is not made from FORMAT.  The arguments are shown as titles too. */
static const char *
title_from_format (const char *title, const char *format)
{
  g_auto (GStrv) lit = g_strsplit (format, "%s", -1);
  guint nargs = g_strv_length (lit) - 1;
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  const char *pos = title, *tr, *p;
  size_t len = strlen (title), last;
  GString *out;

  if (nargs == 0 || !g_str_has_prefix (title, lit[0]))
    return NULL;
  last = strlen (lit[nargs]);
  if (len < strlen (lit[0]) + last || strcmp (title + len - last, lit[nargs]) != 0)
    return NULL;
  pos += strlen (lit[0]);
  for (guint i = 1; i <= nargs; i++)
    {
      const char *end = i == nargs ? title + len - last : strstr (pos + 1, lit[i]);
      if (end == NULL || end <= pos || (i < nargs && *lit[i] == '\0'))
        return NULL;
      g_ptr_array_add (args, g_strndup (pos, (gsize) (end - pos)));
      pos = end + strlen (lit[i]);
    }
  tr = g_dgettext (GETTEXT_PACKAGE, format);
  if (tr == format)
    return title;
  out = g_string_new (NULL);
  for (p = tr, len = 0; *p; p++)
    {
      guint k = 0;
      if (p[0] == '%' && p[1] == 's')
        k = (guint) ++len, p++;
      else if (p[0] == '%' && g_ascii_isdigit (p[1]) && p[2] == '$' && p[3] == 's')
        k = (guint) (p[1] - '0'), p += 3;
      else if (p[0] == '%' && p[1] == '%')
        {
          g_string_append_c (out, '%');
          p++;
          continue;
        }
      if (k == 0)
        g_string_append_c (out, *p);
      else if (k <= nargs)
        g_string_append (out, title_label (args->pdata[k - 1]));
    }
  {
    const char *r = g_intern_string (out->str);
    g_string_free (out, TRUE);
    return r;
  }
}

static const char *
title_label (const char *title)
{
  const char *tr = g_dgettext (GETTEXT_PACKAGE, title);
  const char *r = NULL;

  if (tr != title)
    return tr;
  for (guint i = 0; title_formats[i] && r == NULL; i++)
    r = title_from_format (title, title_formats[i]);
  if (r == NULL)
    {
      g_autoptr (GPtrArray) formats = NULL;
      G_LOCK (added_formats);   /* a copy: the arguments are looked up too */
      formats = added_formats ? g_ptr_array_copy (added_formats, NULL, NULL) : g_ptr_array_new ();
      G_UNLOCK (added_formats);
      for (guint i = 0; r == NULL && i < formats->len; i++)
        r = title_from_format (title, formats->pdata[i]);
    }
  return r ? r : title;
}

const char *
tls_step_title_label (const TlsStep *step)
{
  if (step == NULL || step->title == NULL || step->title[0] == '\0')
    return step ? step->title : NULL;
  return title_label (step->title);
}

/* A value's name as a view shows it: the names marked N_() where they are
 * made ("now", "policy") translated, names from the RFCs as they are;
 * the trace keeps the name compare_with refers to. */
const char *
tls_value_name_label (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return name;
  return g_dgettext (GETTEXT_PACKAGE, name);
}

gboolean
tls_step_kind_travels (TlsStepKind kind)
{
  return kind == TLS_STEP_MESSAGE || kind == TLS_STEP_ALERT || kind == TLS_STEP_APPDATA;
}

const char *
tls_step_kind_name (TlsStepKind kind)
{
  static const char *names[] = { "message", "derivation", "check", "decision", "alert", "appdata" };
  return kind <= TLS_STEP_APPDATA ? names[kind] : "unknown";
}

const char *
tls_check_result_name (TlsCheckResult r)
{
  static const char *names[] = { "passed", "failed", "not checked" };
  return r <= TLS_CHECK_NOT_CHECKED ? names[r] : "unknown";
}

TlsTraceValue *
tls_step_find_value (const TlsStep *step, const char *name)
{
  for (guint i = 0; step->inputs && i < step->inputs->len; i++)
    {
      TlsTraceValue *v = g_ptr_array_index (step->inputs, i);
      if (g_strcmp0 (v->name, name) == 0)
        return v;
    }
  return step->outputs ? tls_step_find_output (step, name) : NULL;
}

void
tls_trace_value_set_compare (TlsTraceValue *v, const char *other)
{
  g_free (v->compare_with);
  v->compare_with = g_strdup (other);
}

const TlsTraceValue *
tls_step_compared (const TlsStep *step, const TlsTraceValue *v)
{
  const TlsTraceValue *o;

  if (v->compare_with == NULL || v->bytes == NULL)
    return NULL;
  o = tls_step_find_value (step, v->compare_with);
  return o && o != v && o->bytes ? o : NULL;
}

gboolean
tls_trace_value_differs_at (const TlsTraceValue *v, const TlsTraceValue *other, gsize i)
{
  gsize a, b;
  const guint8 *x, *y;

  if (other == NULL || v->bytes == NULL || other->bytes == NULL)
    return FALSE;
  x = g_bytes_get_data (v->bytes, &a);
  y = g_bytes_get_data (other->bytes, &b);
  return i >= a || i >= b || x[i] != y[i];
}

TlsStepOutcome
tls_step_outcome (const TlsStep *step)
{
  switch (step->kind)
    {
    case TLS_STEP_CHECK:
      return step->result == TLS_CHECK_PASSED ? TLS_OUTCOME_PASSED
             : step->result == TLS_CHECK_FAILED ? TLS_OUTCOME_FAILED : TLS_OUTCOME_NOT_CHECKED;
    case TLS_STEP_ALERT:
      if (step->alert_level == TLS_ALERT_LEVEL_WARNING)
        return step->alert_description == TLS_ALERT_CLOSE_NOTIFY ? TLS_OUTCOME_CLOSURE
                                                                 : TLS_OUTCOME_WARNING;
      return TLS_OUTCOME_FATAL;
    default:
      return TLS_OUTCOME_NONE;
    }
}

const char *
tls_step_outcome_name (TlsStepOutcome o)
{
  static const char *names[] = { "none", "passed", "failed", "not-checked", "fatal", "closure", "warning" };
  return o <= TLS_OUTCOME_WARNING ? names[o] : "none";
}
