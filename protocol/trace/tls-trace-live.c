/* tls-trace-live.c — step times and gathering connections (tls-trace-live.h). */
#include "tls-trace-live.h"

#include <stdio.h>
#include <string.h>

void
tls_trace_stamp (TlsTrace *trace, gint64 now_us)
{
  if (trace->times == NULL)
    trace->times = g_array_new (FALSE, TRUE, sizeof (gint64));
  /* Steps taken back (a rewind) lose their times. */
  if (trace->times->len > trace->steps->len)
    g_array_set_size (trace->times, trace->steps->len);
  while (trace->times->len < trace->steps->len)
    g_array_append_val (trace->times, now_us);
}

gint64
tls_trace_step_time (const TlsTrace *trace, guint i)
{
  if (trace->times == NULL || i >= trace->times->len || i >= trace->steps->len)
    return 0;
  return g_array_index (trace->times, gint64, i);
}

void
tls_trace_set_step_time (TlsTrace *trace, guint i, gint64 time_us)
{
  if (trace->times == NULL)
    trace->times = g_array_new (FALSE, TRUE, sizeof (gint64));
  if (trace->times->len <= i)
    g_array_set_size (trace->times, i + 1);   /* zeroed: unknown */
  g_array_index (trace->times, gint64, i) = time_us;
}

guint
tls_trace_n_connections (const TlsTrace *trace)
{
  guint n = 0;

  for (guint i = 0; i < trace->steps->len; i++)
    n = MAX (n, ((const TlsStep *) g_ptr_array_index (trace->steps, i))->connection + 1);
  return n;
}

static void
shift_from_steps (GPtrArray *values, guint by)
{
  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      TlsTraceValue *v = g_ptr_array_index (values, i);
      if (v->from_step >= 0)
        v->from_step += (int) by;
    }
}

guint
tls_trace_take_connections (TlsTrace *run, TlsTrace *src)
{
  guint base = MAX (tls_trace_n_connections (run), run->connection);
  guint first = run->steps->len;
  guint n = src->steps->len;
  guint n_src = tls_trace_n_connections (src);
  GHashTableIter it;
  gpointer key, value;

  for (guint i = 0; i < n; i++)
    {
      TlsStep *s = g_ptr_array_index (src->steps, i);
      gint64 t = tls_trace_step_time (src, i);

      s->index = first + i;
      s->connection += base;
      if (s->parent >= 0)
        s->parent += (int) first;   /* its group moves with it */
      shift_from_steps (s->inputs, first);
      shift_from_steps (s->outputs, first);
      g_ptr_array_add (run->steps, s);
      if (t != 0)
        tls_trace_set_step_time (run, s->index, t);
    }
  /* The steps belong to RUN now. */
  g_ptr_array_set_free_func (src->steps, NULL);
  g_ptr_array_set_size (src->steps, 0);
  g_ptr_array_set_free_func (src->steps, (GDestroyNotify) tls_step_free);
  g_clear_pointer (&src->times, g_array_unref);

  g_hash_table_iter_init (&it, src->meta);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      guint k;
      int end = 0;

      if (sscanf (key, "conn%u.%n", &k, &end) == 1 && end > 0)
        {
          g_autofree char *moved = g_strdup_printf ("conn%u.%s", base + k, (const char *) key + end);
          tls_trace_set_meta (run, moved, value);
        }
    }
  /* A connection that left no step still takes its number. */
  run->connection = base + MAX (n_src, 1);
  return base;
}
