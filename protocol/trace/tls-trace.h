/* tls-trace.h — the trace: the contract between the engine and everything
 * that shows or exports a run (DESIGN.md, "The trace is the contract").
 *
 * A trace is a list of numbered steps.  Each step has an actor (the side
 * that did the work), a kind, a title, an explanation with the RFC section it
 * comes from, and the data of its kind:
 *   message      the handshake message bytes with their field tree, and the
 *                record(s) that carried it as on the wire;
 *   derivation   a formula with labelled inputs and outputs (hex);
 *   check        what was checked, against what, the result and the reason;
 *   decision     the options, the choice and the reason;
 *   alert        level, description, reason;
 *   appdata      application data bytes (and the protected record).
 * Views and exporters read the trace only. */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

typedef enum
{
  TLS_ACTOR_CLIENT,
  TLS_ACTOR_SERVER,
  TLS_ACTOR_ATTACKER,   /* the man-in-the-middle of a scenario (tls-attacker.h) */
} TlsActor;

typedef enum
{
  TLS_STEP_MESSAGE,
  TLS_STEP_DERIVATION,
  TLS_STEP_CHECK,
  TLS_STEP_DECISION,
  TLS_STEP_ALERT,
  TLS_STEP_APPDATA,
} TlsStepKind;

typedef enum
{
  TLS_CHECK_PASSED,
  TLS_CHECK_FAILED,
  TLS_CHECK_NOT_CHECKED,
} TlsCheckResult;

/* A labelled value of a derivation (or of a check or decision). */
typedef struct
{
  char   *name;       /* "client_random"                          */
  GBytes *bytes;      /* the value, or NULL when it is text only  */
  char   *text;       /* a textual value ("master secret"), or NULL */
  int     from_step;  /* index of the step it came from, or -1    */
  char   *note;       /* where it came from / what it is used for */
  char   *compare_with; /* name of another value of the same step that this
                           one should equal (a check's expected value), or
                           NULL; views mark the bytes that differ */
} TlsTraceValue;

typedef struct
{
  guint        index;
  guint        connection;   /* 0 for the first handshake of the run, 1 ... */
  TlsActor     actor;        /* who did the work / sent the message */
  TlsStepKind  kind;
  gboolean     observed;     /* recorded by our endpoint from a real peer */
  char        *title;
  char        *explanation;
  char        *rfc;          /* "RFC 5246, 7.4.1.2" */

  /* message, appdata, alert */
  guint8       content_type;
  guint8       handshake_type;
  GBytes      *bytes;        /* the plaintext message */
  TlsField    *fields;       /* its field tree (root spans all bytes) */
  GBytes      *wire;         /* the record(s) as sent, or NULL */
  TlsField    *wire_fields;
  gboolean     encrypted;    /* the wire record is protected */
  gint64       wire_offset;  /* where wire[0] lies in the byte stream from the
                              sender to its peer in this connection, or -1;
                              records carrying several messages appear in
                              several steps at the same offset */

  /* derivation (inputs/outputs), check and decision (inputs as evidence) */
  char        *formula;
  GPtrArray   *inputs;       /* of TlsTraceValue* */
  GPtrArray   *outputs;      /* of TlsTraceValue* */

  /* check */
  char        *subject;      /* what was checked */
  char        *against;      /* against what */
  TlsCheckResult result;

  /* decision */
  GPtrArray   *options;      /* of char* */
  char        *choice;
  int          chosen_option; /* index in options of the one chosen (or, for
                                 a session cache, looked up), or -1 */

  /* check, decision, alert */
  char        *reason;
  guint8       alert_level;
  guint8       alert_description;

  /* Lesson grouping (docs/trace-format.md, "parent"): the index of the step
   * this one belongs to, or -1 for a top-level step (a step of the lesson
   * view).  Set by the engine through tls_trace_group () only. */
  int          parent;
  gboolean     grouped;      /* the engine said where this step belongs */
  gboolean     parent_next;  /* waiting for the next top-level step of its
                                actor in its connection (TLS_PARENT_NEXT) */

  /* The teacher's own note on this step (typed in the window or given with
   * --notes), or NULL.  Never written by the engine. */
  char        *teacher_note;

  /* A step of a bare trace (TlsTrace.bare): no field trees (fields and
   * wire_fields stay NULL) and no explanation (explanation and rfc stay
   * NULL); everything else is kept. */
  gboolean     bare;
} TlsStep;

typedef struct _TlsTrace TlsTrace;
typedef void (*TlsTraceFunc) (TlsTrace *trace, TlsStep *step, gpointer user_data);

struct _TlsTrace
{
  GPtrArray   *steps;        /* of TlsStep* */
  guint        connection;   /* connection number given to new steps */
  char        *scenario;
  guint64      seed;
  gboolean     seeded;
  gint64       clock;        /* fixed clock (unix seconds) or 0 */
  GHashTable  *meta;         /* string -> string: peer, suites, ... */
  GArray      *times;        /* of gint64: when each step was recorded in a live
                              run (tls-trace-live.h), or NULL */
  TlsTraceFunc on_step;
  gpointer     on_step_data;
  /* Nobody will read this trace's details (`serve --quiet` with no export
   * and no page): its steps are bare (TlsStep.bare), so the engine builds
   * no field trees and no explanations for them.  Every step is still
   * added, with its kind, actor, title, connection, grouping, values,
   * options, choice, result, reason and alert, and the meta: what the
   * engine and the summary line read back.  Set before the first step. */
  gboolean     bare;
};

TlsTrace *tls_trace_new        (void);
void      tls_trace_free       (TlsTrace *trace);
guint     tls_trace_len        (const TlsTrace *trace);
TlsStep  *tls_trace_get        (const TlsTrace *trace, guint i);
TlsStep  *tls_trace_last       (const TlsTrace *trace);
void      tls_trace_set_meta   (TlsTrace *trace, const char *key, const char *value);
const char *tls_trace_get_meta (const TlsTrace *trace, const char *key);
/* Appends a new step and returns it for filling in.  The on_step callback
 * runs at tls_trace_commit (once the step is filled in). */
TlsStep  *tls_trace_add        (TlsTrace *trace, TlsStepKind kind, TlsActor actor,
                                const char *title);
void      tls_trace_commit     (TlsTrace *trace, TlsStep *step);
/* The index of the last step of KIND with TITLE (any actor), or -1. */
int       tls_trace_find       (const TlsTrace *trace, TlsStepKind kind, const char *title);

/* Lesson grouping, set by the engine as it emits a step.  PARENT is
 *   TLS_PARENT_NONE  a top-level step: a step of the lesson view.  Messages,
 *                    alerts and application data are top-level when added;
 *   TLS_PARENT_NEXT  under the next top-level step the same actor takes in
 *                    the same connection (a derivation under the message or
 *                    derivation that needs it, a decision under the message
 *                    that states it); that step adopts it when added;
 *   an index         under that earlier step (a check under the message it
 *                    checks, the checks of a chain under the chain).
 * A failed check is always top-level: a class must see what failed (the
 * rule is applied at tls_trace_commit). */
#define TLS_PARENT_NONE (-1)
#define TLS_PARENT_NEXT (-2)
void      tls_trace_group      (TlsTrace *trace, TlsStep *step, int parent);
/* The two levels of detail a run is shown at: the lesson (top-level steps,
 * each opening into those grouped under it) or every step. */
typedef enum
{
  TLS_DETAIL_LESSON,
  TLS_DETAIL_FULL,
} TlsDetail;
/* Stepping at the lesson level, from POSITION (the number of steps that
 * have happened).  A lesson stop is a position just before a top-level
 * step, or the end of the run: the top-level step before it has happened
 * with every step that comes after it up to the next top-level one (the
 * checks of a chain under the chain, for instance).
 *   tls_trace_lesson_next      the next stop after POSITION, or 0 when the
 *                              trace does not hold the top-level step that
 *                              ends it yet (step further; at the end of the
 *                              run the stop is the trace's length);
 *   tls_trace_lesson_previous  the stop before POSITION (0 at the start);
 *   tls_trace_lesson_current   the top-level step shown at POSITION: the
 *                              last one before it, or -1. */
guint     tls_trace_lesson_next     (const TlsTrace *trace, guint position);
guint     tls_trace_lesson_previous (const TlsTrace *trace, guint position);
int       tls_trace_lesson_current  (const TlsTrace *trace, guint position);
/* "lesson" or "full"; FALSE for anything else. */
gboolean  tls_detail_parse     (const char *text, TlsDetail *detail);
const char *tls_detail_name    (TlsDetail detail);
/* The top-level step STEP belongs to: STEP itself when it is top-level. */
guint     tls_trace_top_of     (const TlsTrace *trace, guint index);
/* The children of step INDEX in trace order (indices as guint), or NULL. */
GArray   *tls_trace_children   (const TlsTrace *trace, guint index);

void      tls_step_free        (TlsStep *step);
/* Sets (or, for NULL or only white space, clears) the teacher's note of STEP. */
void      tls_step_set_teacher_note (TlsStep *step, const char *note);
void      tls_step_explain     (TlsStep *step, const char *rfc, const char *format, ...) G_GNUC_PRINTF (3, 4);
TlsTraceValue *tls_step_add_input  (TlsStep *step, const char *name, const guint8 *data,
                                    gsize len, int from_step, const char *note);
TlsTraceValue *tls_step_add_output (TlsStep *step, const char *name, const guint8 *data,
                                    gsize len, const char *note);
TlsTraceValue *tls_step_add_text_input (TlsStep *step, const char *name, const char *text,
                                        int from_step, const char *note);
void      tls_step_add_option  (TlsStep *step, const char *format, ...) G_GNUC_PRINTF (2, 3);
void      tls_step_set_reason  (TlsStep *step, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* Take ownership of FIELDS (freed at once for a bare step). */
void      tls_step_set_message (TlsStep *step, GBytes *bytes, TlsField *fields);
void      tls_step_set_wire    (TlsStep *step, GBytes *wire, TlsField *fields, gboolean encrypted);
/* The root of a new field tree (tls_field_new) for a step of TRACE, or NULL
 * when TRACE is bare: the readers and writers of tls-bytes.h annotate
 * nothing under a NULL root. */
TlsField *tls_trace_field_root (const TlsTrace *trace, const char *name, gsize offset,
                                gsize length);
TlsTraceValue *tls_step_find_output (const TlsStep *step, const char *name);
TlsTraceValue *tls_step_find_value  (const TlsStep *step, const char *name); /* input or output */
/* V is to be compared with the value OTHER of the same step. */
void      tls_trace_value_set_compare (TlsTraceValue *v, const char *other);
/* The value V is compared with (its compare_with, in STEP), or NULL. */
const TlsTraceValue *tls_step_compared (const TlsStep *step, const TlsTraceValue *v);
/* Whether byte I of V differs from the value it is compared with (FALSE
 * when there is none; bytes past the shorter one differ). */
gboolean  tls_trace_value_differs_at (const TlsTraceValue *v, const TlsTraceValue *other, gsize i);

const char *tls_actor_name      (TlsActor actor);       /* "client" / "server" / "attacker" */
const char *tls_actor_label     (TlsActor actor);       /* the same, translated */
const char *tls_step_title_label (const TlsStep *step); /* the title, translated */
/* A title format with %s (marked N_() where it is) whose titles are kept in
 * English and shown translated, with the same arguments. */
void tls_step_title_format_add (const char *format);
const char *tls_value_name_label (const char *name);   /* a value's name, translated */
const char *tls_step_kind_name  (TlsStepKind kind);     /* "message" ... */
/* Whether steps of KIND travel between the two sides (a message, an alert,
 * application data): the steps a ladder draws as arrows. */
gboolean    tls_step_kind_travels (TlsStepKind kind);
const char *tls_check_result_name (TlsCheckResult r);   /* "passed" ... */

/* How a step turned out, for the views that colour it (badges, ladder):
 * a check passed, failed or was not run; a fatal alert; a closure
 * (close_notify: the normal end of a connection, RFC 5246 7.2.1); another
 * warning alert; or nothing to judge (messages, derivations, decisions). */
typedef enum
{
  TLS_OUTCOME_NONE,
  TLS_OUTCOME_PASSED,
  TLS_OUTCOME_FAILED,
  TLS_OUTCOME_NOT_CHECKED,
  TLS_OUTCOME_FATAL,
  TLS_OUTCOME_CLOSURE,
  TLS_OUTCOME_WARNING,
} TlsStepOutcome;

TlsStepOutcome tls_step_outcome      (const TlsStep *step);
const char    *tls_step_outcome_name (TlsStepOutcome o);  /* "none", "passed", "failed", "not-checked", "fatal", "closure", "warning" */

void      tls_trace_value_free (TlsTraceValue *v);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsTrace, tls_trace_free)

G_END_DECLS
