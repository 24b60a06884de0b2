/* ui-step.c — how long one Step takes in the window with a trace of 1,000
 * handshakes loaded (issue 5: "stepping stays within a frame").
 *
 * One run of the "full" scenario is made by the engine, written to JSON and
 * read back 1,000 times into one trace (connection numbers and step links
 * renumbered).  The window shows it as a recorded trace; we then time
 *   update  lab_session_step and every view's reaction to it, and
 *   frame   that plus the window's next frame being laid out and painted,
 * near the start of the trace and near its end; the frame is split into
 * its phases (waiting for the frame clock's tick, layout, paint), from
 * handlers on the frame clock.  Measures; asserts nothing
 * about the times.  Needs a display (xvfb-run); prints a skip line without. */
#include "config.h"

#include <gtk/gtk.h>
#include <stdlib.h>
#include <string.h>

#include "lab-gui.h"
#include "lab-session.h"
#include "lab-window.h"
#include "tls-conductor.h"
#include "tls-trace-json.h"

#define N_STEPS      300

/* 1,000 unless $LAB_BENCH_HANDSHAKES says otherwise (to compare) */
static guint N_HANDSHAKES = 1000;

static gboolean painted;

/* Where a frame's time goes: the frame clock's phases, marked by handlers
 * connected after GTK's own (so each runs when GTK's work of that phase
 * is done): before-paint starts the frame (requested with the paint),
 * then the update phase (tick callbacks) and the layout, then the paint.
 * 0 when the phase did not run. */
static gint64 t_layout_start, t_layout_end, t_paint_end;

static void
before_paint_cb (GdkFrameClock *clock, gpointer data)
{
  t_layout_start = g_get_monotonic_time ();
}

static void
layout_cb (GdkFrameClock *clock, gpointer data)
{
  t_layout_end = g_get_monotonic_time ();
}

static void
paint_cb (GdkFrameClock *clock, gpointer data)
{
  t_paint_end = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock, gpointer data)
{
  painted = TRUE;
}

static TlsTrace *
big_trace (guint *per_run)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("full");
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  TlsConductor *c = tls_conductor_new (sc, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  TlsTrace *big = tls_trace_new ();
  gsize len;

  g_assert_no_error (error);
  tls_conductor_run (c);
  json = tls_trace_to_json (tls_conductor_get_trace (c), &len);
  *per_run = tls_trace_len (tls_conductor_get_trace (c));
  tls_conductor_free (c);

  big->scenario = g_strdup ("full");
  for (guint h = 0; h < N_HANDSHAKES; h++)
    {
      TlsTrace *one = tls_trace_from_json (json, len, &error);
      guint base = tls_trace_len (big);

      g_assert_no_error (error);
      /* move the steps over, renumbered */
      while (one->steps->len > 0)
        {
          TlsStep *s = g_ptr_array_steal_index (one->steps, 0);
          s->index += base;
          s->connection = h;
          for (guint i = 0; i < s->inputs->len; i++)
            {
              TlsTraceValue *v = g_ptr_array_index (s->inputs, i);
              if (v->from_step >= 0)
                v->from_step += base;
            }
          g_ptr_array_add (big->steps, s);
        }
      tls_trace_free (one);
    }
  return big;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what, GArray *ms)
{
  double sum = 0;

  if (ms->len == 0)
    {
      g_print ("%-40s n=0\n", what);
      return;
    }
  g_array_sort (ms, cmp_double);
  for (guint i = 0; i < ms->len; i++)
    sum += g_array_index (ms, double, i);
  g_print ("%-40s n=%u  mean %.2f ms  median %.2f ms  p95 %.2f ms  max %.2f ms\n", what, ms->len,
           sum / ms->len, g_array_index (ms, double, ms->len / 2),
           g_array_index (ms, double, (guint) (ms->len * 0.95)),
           g_array_index (ms, double, ms->len - 1));
}

static void
measure (LabWindow *w, GdkFrameClock *clock, const char *where)
{
  LabSession *session = lab_window_get_session (w);
  g_autoptr (GArray) update = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) frame = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) wait = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) layout = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) paint = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) work = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *by_kind[TLS_STEP_APPDATA + 1];
  g_autofree char *a = g_strdup_printf ("step, update (%s)", where);
  g_autofree char *b = g_strdup_printf ("step, update + frame (%s)", where);

  for (guint k = 0; k < G_N_ELEMENTS (by_kind); k++)
    by_kind[k] = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < N_STEPS; i++)
    {
      gint64 t0 = g_get_monotonic_time (), t1, t2, limit;
      double d;

      painted = FALSE;
      t_layout_start = t_layout_end = t_paint_end = 0;
      if (!lab_session_step (session))
        break;
      t1 = g_get_monotonic_time ();
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_BEFORE_PAINT | GDK_FRAME_CLOCK_PHASE_PAINT);
      limit = t1 + G_USEC_PER_SEC;
      while (!painted && g_get_monotonic_time () < limit)
        g_main_context_iteration (NULL, TRUE);
      t2 = g_get_monotonic_time ();
      d = (t1 - t0) / 1000.0;
      g_array_append_val (update, d);
      d = (t2 - t0) / 1000.0;
      g_array_append_val (frame, d);
      if (painted && t_layout_start && t_paint_end)
        {
          if (t_layout_end == 0)
            t_layout_end = t_layout_start;   /* nothing to lay out */
          d = (t_layout_start - t1) / 1000.0;
          g_array_append_val (wait, d);
          d = (t_layout_end - t_layout_start) / 1000.0;
          g_array_append_val (layout, d);
          d = (t_paint_end - t_layout_end) / 1000.0;
          g_array_append_val (paint, d);
          /* what the CPU did for the step: update, layout, paint */
          d = (t1 - t0 + t_paint_end - t_layout_start) / 1000.0;
          g_array_append_val (work, d);
          {
            const TlsStep *s = lab_session_get_step (session, lab_session_get_position (session) - 1);
            if (s && s->kind < G_N_ELEMENTS (by_kind))
              g_array_append_val (by_kind[s->kind], d);
          }
        }
    }
  report (a, update);
  report (b, frame);
  report ("  of which: waiting for the clock", wait);
  report ("  of which: update + layout (measure, allocate)", layout);
  report ("  of which: paint (snapshot, render)", paint);
  report ("  update + layout + paint (no wait)", work);
  for (guint k = 0; k < G_N_ELEMENTS (by_kind); k++)
    {
      g_autofree char *what = g_strdup_printf ("    the same, steps that are a %s", tls_step_kind_name (k));
      if (by_kind[k]->len > 0)
        report (what, by_kind[k]);
      g_array_unref (by_kind[k]);
    }
}

/* Start to first frame: `handshake-lab gui` (ARGV0) started 11 times with
 * $HANDSHAKE_LAB_REPORT_FIRST_FRAME, which prints the monotonic time of
 * its first painted frame and quits; from just before the spawn.  The
 * first start warms the page cache: the median is of 10.  bench/start.py
 * does the same for two builds side by side. */
static void
measure_start (const char *argv0)
{
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto (GStrv) env = g_get_environ ();

  env = g_environ_setenv (env, "HANDSHAKE_LAB_REPORT_FIRST_FRAME", "1", TRUE);
  for (guint i = 0; i < 11; i++)
    {
      char *argv[] = { (char *) argv0, (char *) "gui", (char *) "--scenario", (char *) "full",
                       (char *) "--size", (char *) "1600x1000", NULL };
      g_autofree char *out = NULL;
      g_autoptr (GError) error = NULL;
      gint64 t0 = g_get_monotonic_time (), t1 = 0;
      int status = 0;
      const char *line;

      if (!g_spawn_sync (NULL, argv, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                         &status, &error))
        {
          g_print ("start to first frame: cannot start %s: %s\n", argv0, error->message);
          return;
        }
      line = out ? strstr (out, "first-frame ") : NULL;
      if (line == NULL || (t1 = g_ascii_strtoll (line + 12, NULL, 10)) <= t0)
        {
          g_print ("start to first frame: %s printed no first frame\n", argv0);
          return;
        }
      if (i > 0)   /* the first start warms the page cache */
        {
          double d = (t1 - t0) / 1000.0;
          g_array_append_val (ms, d);
        }
    }
  report ("start to first frame (gui --scenario full)", ms);
}

int
main (int argc, char **argv)
{
  LabWindow *w;
  LabSession *session;
  GdkFrameClock *clock;
  TlsTrace *trace;
  guint per_run = 0, total;
  gint64 t0;

  if (g_getenv ("LAB_BENCH_HANDSHAKES"))
    N_HANDSHAKES = MAX (1, atoi (g_getenv ("LAB_BENCH_HANDSHAKES")));
  /* what `handshake-lab gui` does: cairo when there is no GPU */
  lab_gui_choose_renderer ();
  if (!gtk_init_check ())
    {
      g_print ("SKIP: no display (run under xvfb-run)\n");
      return 0;
    }
  lab_gui_init_for_tests ();
  if (argc > 1)
    measure_start (argv[1]);

  t0 = g_get_monotonic_time ();
  trace = big_trace (&per_run);
  total = tls_trace_len (trace);
  g_print ("trace: %u handshakes x %u steps = %u steps, made in %.1f s\n",
           N_HANDSHAKES, per_run, total, (g_get_monotonic_time () - t0) / 1e6);

  w = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1600, 1000);
  t0 = g_get_monotonic_time ();
  lab_window_load_trace (w, trace, "1000 handshakes");
  gtk_window_present (GTK_WINDOW (w));
  while (!gtk_widget_get_mapped (GTK_WIDGET (w)))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (w));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), NULL);
  g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  painted = FALSE;
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_print ("load and first frame: %.1f ms\n", (g_get_monotonic_time () - t0) / 1000.0);
  g_print ("renderer: %s (a frame is paced at the display's refresh, ~16.7 ms at 60 Hz)\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (w))));

  session = lab_window_get_session (w);
  /* a frame with nothing changed: what the renderer costs by itself */
  {
    g_autoptr (GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr (GArray) idle_paint = g_array_new (FALSE, FALSE, sizeof (double));
    for (guint i = 0; i < 50; i++)
      {
        gint64 t0 = g_get_monotonic_time ();
        double d;
        painted = FALSE;
        t_layout_start = t_layout_end = t_paint_end = 0;
        gtk_widget_queue_draw (GTK_WIDGET (w));
        gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_BEFORE_PAINT);
        while (!painted)
          g_main_context_iteration (NULL, TRUE);
        d = (g_get_monotonic_time () - t0) / 1000.0;
        g_array_append_val (idle, d);
        if (t_layout_start && t_paint_end)
          {
            d = (t_paint_end - MAX (t_layout_start, t_layout_end)) / 1000.0;
            g_array_append_val (idle_paint, d);
          }
      }
    report ("whole window redrawn, no step", idle);
    report ("  of which: paint (snapshot, render)", idle_paint);
  }
  measure (w, clock, "start of the trace");

  /* near the end: run to the end, go back N_STEPS, step forward again */
  t0 = g_get_monotonic_time ();
  lab_session_run_to_end (session);
  g_print ("run to end (%u steps): %.1f ms\n", total, (g_get_monotonic_time () - t0) / 1000.0);
  for (guint i = 0; i < N_STEPS; i++)
    lab_session_step_back (session);
  measure (w, clock, "end of the trace");

  gtk_window_destroy (GTK_WINDOW (w));
  return 0;
}
