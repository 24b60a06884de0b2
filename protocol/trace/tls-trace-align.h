/* tls-trace-align.h — two runs side by side: their steps aligned by what
 * they are, and what differs between the steps that both runs hold.
 *
 * Each step gets a key: its connection (unless one connection of each run
 * is compared), its actor, its kind and its name (a message's or
 * derivation's title without a trailing "(...)", a check's title with the
 * quoted certificate names left out, "alert" for any alert).  The two lists
 * of keys are aligned as a diff aligns lines (a longest common subsequence),
 * which gives rows of three kinds: a step of both runs, a step of the left
 * run only, a step of the right run only (between two rows of both, the
 * left run's steps come first, except an attacker's step of the right run
 * that opens them: it comes before, as it happened before the receiver's
 * steps of either run).  For a row of both, the steps are
 * compared: a message's fields (by their path in the field tree: value and
 * bytes), its bytes and its record on the wire; a derivation's (check's,
 * decision's) inputs and outputs by name; a check's subject, result and
 * reason; a decision's options and choice; an alert's level, description and
 * reason; and the titles.
 *
 * A pure function of the two traces: no I/O, no state. */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TLS_ALIGN_BOTH,        /* a step of each run, with the same key */
  TLS_ALIGN_LEFT_ONLY,   /* a step of the left run that the right one lacks */
  TLS_ALIGN_RIGHT_ONLY,
} TlsAlignKind;

/* One thing that differs between two steps of the same key. */
typedef struct
{
  char  *what;           /* a field's path "random/random_bytes", "input client_random",
                            "output master_secret", "result", "reason", "choice",
                            "title", "bytes", "wire", ... */
  char  *left;           /* the left step's value as text (a field's value, a
                            value's hex preview), or NULL when it has none */
  char  *right;
  /* for a message field: its span in each step's bytes (length 0: the
   * field is missing on that side) */
  gsize  left_offset, left_length;
  gsize  right_offset, right_length;
  gboolean is_field;
} TlsStepDiff;

typedef struct
{
  TlsAlignKind kind;
  int          left;         /* step index in the left trace, or -1 */
  int          right;        /* step index in the right trace, or -1 */
  gboolean     bytes_differ; /* BOTH: the message (or its record) bytes differ */
  GPtrArray   *diffs;        /* of TlsStepDiff*; BOTH only, empty when equal */
} TlsAlignRow;

typedef struct
{
  GPtrArray *rows;            /* of TlsAlignRow*, in the order of both runs */
  int        first_divergence; /* the first row that is not a row of both with
                                  nothing differing, or -1 (the runs agree) */
  int        first_alert_left;  /* the row of the left run's first alert, or -1 */
  int        first_alert_right;
  guint      n_same, n_differ, n_left_only, n_right_only;
} TlsAlignment;

/* Aligns the steps of LEFT and RIGHT.  LEFT_CONNECTION / RIGHT_CONNECTION:
 * the connection (0, 1, ...) of each run to compare, or -1 for all of them
 * (then the connection is part of the key: connection 1 of the left run is
 * aligned with connection 1 of the right).  At DETAIL lesson only the
 * top-level steps take part. */
TlsAlignment *tls_trace_align        (const TlsTrace *left, int left_connection,
                                      const TlsTrace *right, int right_connection,
                                      TlsDetail detail);
/* The same for the ladders only: the messages, alerts and application data
 * of each run, aligned by sender and name (ClientHello with ClientHello,
 * Certificate with Certificate, the client's Finished with the client's
 * Finished), whatever the steps between them.  For two runs of different
 * TLS versions (tls-trace-versus.h), whose derivations have nothing in
 * common. */
TlsAlignment *tls_trace_align_ladders (const TlsTrace *left, int left_connection,
                                       const TlsTrace *right, int right_connection);
void          tls_alignment_free     (TlsAlignment *alignment);
TlsAlignRow  *tls_alignment_row      (const TlsAlignment *alignment, guint i);
/* The row holding step INDEX of the left (RIGHT_SIDE FALSE) or right run,
 * or -1. */
int           tls_alignment_find     (const TlsAlignment *alignment, gboolean right_side,
                                      guint index);
/* Whether row R is a divergence: one side only, or both with a difference. */
gboolean      tls_align_row_diverges (const TlsAlignRow *row);

/* What differs between steps A and B (of TlsStepDiff*; empty when
 * nothing does).  *BYTES_DIFFER (may be NULL) tells whether the message
 * or record bytes differ. */
GPtrArray    *tls_step_diff          (const TlsStep *a, const TlsStep *b, gboolean *bytes_differ);
/* The alignment key of STEP ("client|message|ClientHello"), with its
 * connection first ("0|...") when WITH_CONNECTION. */
char         *tls_step_align_key     (const TlsStep *step, gboolean with_connection);
/* "random/random_bytes, output master_secret": the diffs' names, at most
 * MAX of them, then "…" (a new string). */
char         *tls_step_diff_summary  (GPtrArray *diffs, guint max);

void          tls_step_diff_free     (TlsStepDiff *diff);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsAlignment, tls_alignment_free)

G_END_DECLS
