/* test-trace-live.c — what a live run adds to a trace (tls-trace-live.h):
 * step times, written to and read from JSON and absent from a scenario's
 * trace; gathering the connections of several traces into one, renumbered;
 * and the key log of a resumed connection that is alone in its trace, as
 * each of serve's connections is before it is gathered. */
#include "tls-trace-live.h"
#include "tls-trace-json.h"
#include "tls-trace-pcapng.h"
#include "test-util.h"

#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsConductor, tls_conductor_free)

/* The index of the first step of CONNECTION in TRACE titled TITLE, or -1. */
static int
find_in (const TlsTrace *trace, guint connection, const char *title)
{
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      if (s->connection == connection && g_strcmp0 (s->title, title) == 0)
        return (int) i;
    }
  return -1;
}

static void
test_times (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("full");
  TlsTrace *trace = tls_conductor_get_trace (c);
  guint n = tls_trace_len (trace);
  g_autofree char *text = NULL;
  g_autoptr (TlsTrace) back = NULL;
  g_autoptr (GError) error = NULL;

  g_test_summary ("A scenario's trace has no step times and its JSON no \"time\"; stamped "
                  "steps keep their times through JSON, unstamped ones stay unknown");
  g_assert_cmpuint (n, >, 4);
  g_assert_null (trace->times);
  g_assert_cmpint (tls_trace_step_time (trace, 0), ==, 0);
  text = tls_trace_to_json (trace, NULL);
  g_assert_null (strstr (text, "\"time\""));
  g_clear_pointer (&text, g_free);

  /* Stamps apply to the steps not stamped yet. */
  g_ptr_array_set_size (trace->steps, n - 2);   /* as if two steps were still to come */
  tls_trace_stamp (trace, 1000000);
  g_assert_cmpint (tls_trace_step_time (trace, 0), ==, 1000000);
  g_assert_cmpint (tls_trace_step_time (trace, n - 3), ==, 1000000);
  tls_trace_add (trace, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "later");
  g_assert_cmpint (tls_trace_step_time (trace, n - 2), ==, 0);
  tls_trace_stamp (trace, 2000000);
  g_assert_cmpint (tls_trace_step_time (trace, 0), ==, 1000000);
  g_assert_cmpint (tls_trace_step_time (trace, n - 2), ==, 2000000);
  g_assert_cmpint (tls_trace_step_time (trace, n - 1), ==, 0);   /* no such step */

  text = tls_trace_to_json (trace, NULL);
  g_assert_nonnull (strstr (text, "\"time\" : 1000000"));
  back = tls_trace_from_json (text, -1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tls_trace_len (trace); i++)
    g_assert_cmpint (tls_trace_step_time (back, i), ==, tls_trace_step_time (trace, i));
}

static void
test_take_connections (void)
{
  g_autoptr (TlsConductor) a = tu_run_scenario ("resumption");
  g_autoptr (TlsConductor) b = tu_run_scenario ("full");
  g_autoptr (TlsConductor) ref = tu_run_scenario ("full");
  TlsTrace *ta = tls_conductor_get_trace (a);
  TlsTrace *tb = tls_conductor_get_trace (b);
  const TlsTrace *tr = tls_conductor_get_trace (ref);
  g_autoptr (TlsTrace) run = tls_trace_new ();
  guint na = tls_trace_len (ta), nb = tls_trace_len (tb);
  guint checked = 0;

  g_test_summary ("Two traces gathered into one: connections and steps renumbered, "
                  "references between steps follow, connN meta keys move, times move");
  tls_trace_stamp (tb, 42);
  g_assert_cmpuint (tls_trace_take_connections (run, ta), ==, 0);
  g_assert_cmpuint (tls_trace_take_connections (run, tb), ==, 2);
  g_assert_cmpuint (tls_trace_len (ta), ==, 0);
  g_assert_cmpuint (tls_trace_len (tb), ==, 0);
  g_assert_cmpuint (tls_trace_len (run), ==, na + nb);
  g_assert_cmpuint (tls_trace_n_connections (run), ==, 3);
  g_assert_cmpuint (run->connection, ==, 3);
  g_assert_cmpstr (tls_trace_get_meta (run, "conn1.resumed"), ==, "yes");
  g_assert_cmpstr (tls_trace_get_meta (run, "conn2.suite"), ==,
                   tls_trace_get_meta (tr, "conn0.suite"));
  g_assert_null (tls_trace_get_meta (run, "scenario.title"));

  for (guint i = 0; i < tls_trace_len (run); i++)
    {
      const TlsStep *s = tls_trace_get (run, i);

      g_assert_cmpuint (s->index, ==, i);
      g_assert_cmpint (tls_trace_step_time (run, i), ==, i < na ? 0 : 42);
      if (i < na)
        continue;
      g_assert_cmpuint (s->connection, ==, 2);
      /* the lesson group moves with the steps */
      g_assert_cmpint (s->parent, ==, tls_trace_get (tr, i - na)->parent < 0 ? -1
                                      : tls_trace_get (tr, i - na)->parent + (int) na);
      /* An input's step is the one the same run of "full" names. */
      for (guint k = 0; k < s->inputs->len; k++)
        {
          const TlsTraceValue *v = g_ptr_array_index (s->inputs, k);
          const TlsStep *r = tls_trace_get (tr, i - na);
          const TlsTraceValue *w = g_ptr_array_index (r->inputs, k);

          if (v->from_step < 0)
            continue;
          g_assert_cmpint (v->from_step, ==, w->from_step + (int) na);
          g_assert_cmpstr (tls_trace_get (run, (guint) v->from_step)->title, ==,
                           tls_trace_get (tr, (guint) w->from_step)->title);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 5);
}

static void
test_keylog_resumed_alone (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("resumption");
  TlsTrace *trace = tls_conductor_get_trace (c);
  g_autoptr (TlsTrace) alone = tls_trace_new ();
  g_autofree char *both = tls_trace_keylog (trace);
  g_autofree char *one = NULL;
  const char *second = strchr (both, '\n');

  g_test_summary ("A resumed connection alone in its trace (as each of serve's is) still has "
                  "its key log line: its session's master secret, from its key_block");
  g_assert_nonnull (second);
  second++;
  g_assert_cmpint (find_in (trace, 1, "master_secret (extended)"), <, 0);
  g_assert_cmpint (find_in (trace, 1, "key_block"), >=, 0);

  /* Connection 1's steps, moved into a trace of their own. */
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      TlsStep *s = tls_trace_get (trace, i);
      if (s->connection != 1)
        continue;
      g_ptr_array_index (trace->steps, i) = NULL;
      s->connection = 0;
      s->index = tls_trace_len (alone);
      g_ptr_array_add (alone->steps, s);
    }
  one = tls_trace_keylog (alone);
  g_assert_cmpstr (one, ==, second);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace-live/times", test_times);
  g_test_add_func ("/trace-live/take-connections", test_take_connections);
  g_test_add_func ("/trace-live/keylog-resumed-alone", test_keylog_resumed_alone);
  return g_test_run ();
}
