/* tls-trace-live.h — what a live run adds to its trace: when each step
 * happened, and the connections of a server gathered into one trace.
 *
 * A scenario runs on a fixed clock, so its trace holds no times and its
 * exports are the same byte for byte each run.  A run against a real peer
 * is stamped by its conductor with the real time of each step (microseconds
 * since the Unix epoch), which the JSON trace and the pcapng capture carry
 * (docs/trace-format.md, docs/exports.md). */
#pragma once

#include "tls-trace.h"

G_BEGIN_DECLS

/* Gives every step not stamped yet the time NOW_US. */
void      tls_trace_stamp         (TlsTrace *trace, gint64 now_us);
/* When step I was recorded (microseconds since 1970-01-01 UTC), or 0 when
 * the trace does not know (a scenario, or a step of an older trace). */
gint64    tls_trace_step_time     (const TlsTrace *trace, guint i);
void      tls_trace_set_step_time (TlsTrace *trace, guint i, gint64 time_us);

/* The number of connections the steps of TRACE belong to (the highest
 * step connection + 1; 0 for an empty trace). */
guint     tls_trace_n_connections (const TlsTrace *trace);

/* Moves every step of SRC to the end of RUN, as RUN's next connection(s):
 * SRC's connection K becomes connection BASE + K, where BASE is the number
 * of connections RUN had.  Step indices and the from_step references of
 * inputs are renumbered, the times move along, and SRC's meta keys
 * "connK.*" are copied as "conn<BASE+K>.*" (its other meta keys are left to
 * the caller).  SRC is left without steps.  Returns BASE. */
guint     tls_trace_take_connections (TlsTrace *run, TlsTrace *src);

G_END_DECLS
