/* tls-trace-text.h — the trace as annotated text, for the command line.
 *
 * What `handshake-lab run|connect|serve` print: think of
 * `openssl s_client -trace`, but with explanations.  For each step, a header
 * line
 *   [12] client → server  ClientKeyExchange  (message, RFC 5246 §7.4.7)
 * (derivations, checks and decisions name the actor only), then what the
 * step holds:
 *   message/appdata/alert  the field tree (offset, length, name, value and
 *                          the hex of each leaf), then the record(s) on the
 *                          wire, marked "encrypted" when protected;
 *   derivation             the formula, each input "name = hex  (from step
 *                          N: note)" and each output "name = hex  (note)";
 *   check                  subject, against, PASSED / FAILED / NOT CHECKED
 *                          with the reason;
 *   decision               the options, the choice and the reason;
 *   alert                  level, description and reason;
 * and last the explanation, wrapped at 78 columns, with its RFC section.
 * At the lesson level (TLS_TEXT_LESSON) only the top-level steps are
 * printed so, each followed by one brief line per step grouped under it
 * (docs/trace-format.md, "parent"). */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TLS_TEXT_NONE     = 0,
  TLS_TEXT_COLOR    = 1 << 0,  /* ANSI colours (the caller checks for a tty)       */
  TLS_TEXT_BRIEF    = 1 << 1,  /* one line per step                                 */
  TLS_TEXT_FULL_HEX = 1 << 2,  /* every byte; otherwise long hex stops at 4 lines   */
  TLS_TEXT_LESSON   = 1 << 3,  /* the lesson level: top-level steps only, each with
                                  one line for every step grouped under it        */
} TlsTextFlags;

/* Appends STEP to OUT; it ends with a newline. */
void  tls_trace_print_step   (GString *out, const TlsStep *step, TlsTextFlags flags);

/* The whole trace: a line about the run (scenario, seed, clock) when it has
 * any, then every step, with a heading where a new connection starts. */
char *tls_trace_to_text      (const TlsTrace *trace, TlsTextFlags flags);

/* One line for `--quiet`, from the meta keys "connN.version",
 * "connN.suite", "connN.resumed" ("yes"/"no") and "connN.result" of
 * CONNECTION N (docs/trace-format.md), e.g.
 *   "TLS 1.2  TLS_RSA_WITH_AES_128_GCM_SHA256  new session  completed".
 * For connection 0 the unprefixed keys ("version", ...) are used when the
 * prefixed ones are missing; a key missing altogether shows as "?". */
char *tls_trace_summary_line (const TlsTrace *trace, guint connection);
/* "RFC 5246, 7.4.7" -> "RFC 5246 §7.4.7", each reference in RFC (a new
 * string; NULL for NULL). */
char *tls_rfc_display           (const char *rfc);

G_END_DECLS
