/* tls-trace-html.h — a run as a printable HTML handout.
 *
 * One self-contained file (inline CSS, no script, no external resource)
 * for a teacher to print or hand out: a title with the scenario, the date
 * of the run's clock and the seed; the ladder of the steps (client on the
 * left, server on the right, arrows for messages); then one section per
 * step: number, actor, a badge of its kind, title, explanation with its RFC
 * section, and what the step holds —
 *   message/appdata/alert  the field tree as an indented table (offset,
 *                          length, name, value, description) and a hex dump
 *                          in which each top-level field has its colour;
 *   derivation             the formula, the inputs (with links "from step
 *                          N" to that step's section) and the outputs, in
 *                          wrapped hex;
 *   check                  subject, against, a PASSED / FAILED / NOT
 *                          CHECKED badge and the reason;
 *   decision               the options, the choice and the reason;
 *   alert                  level, description and reason.
 * Every value comes from the trace; all text is escaped.  A print style
 * sheet (@media print) keeps sections whole and drops the colours of the
 * screen to what prints well (docs/exports.md). */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

/* The handout as HTML text (UTF-8, NUL-terminated), with every step. */
char     *tls_trace_to_html   (const TlsTrace *trace);
/* The handout at level DETAIL.  At the lesson level each top-level step
 * has its section, and the steps grouped under it (docs/trace-format.md,
 * "parent") are one line each inside it, with their anchors; the ladder
 * shows the top-level steps. */
char     *tls_trace_to_html_at (const TlsTrace *trace, TlsDetail detail);
gboolean  tls_trace_save_html_at (const TlsTrace *trace, TlsDetail detail,
                                  const char *path, GError **error);

/* Writes the handout to a temporary file in PATH's directory and renames
 * it over PATH (no temporary file is left behind on failure).  Errors are
 * GFileError (G_FILE_ERROR). */
gboolean  tls_trace_save_html (const TlsTrace *trace, const char *path,
                               GError **error);

G_END_DECLS
