/* tls-lesson.h — a lesson: a title, a learning goal, a run (a built-in
 * scenario or a [Scenario] group of its own), and the teacher's notes and
 * questions placed at steps of that run (docs/lessons.md).  Steps are named
 * by what they are (tls-step-ref.h), never by number, and placed once the
 * run's trace exists; a name that matches no step is an error. */
#pragma once

#include <glib.h>
#include "tls-scenario.h"
#include "tls-step-ref.h"
#include "tls-predict.h"
#include "tls-trace.h"

G_BEGIN_DECLS

/* A note ([Note ID]) or a question ([Question ID]) of a lesson. */
typedef struct
{
  char          *id;        /* the group's name after "Note " / "Question " */
  TlsStepRef     at;        /* the step it belongs to */
  char          *text;      /* the note, or the question asked */
  char          *answer;    /* a question's answer, said once the step is shown, or NULL */
  char          *rfc;       /* "RFC 5246, 7.4.7.1", or NULL */
  char          *command;   /* a command the class runs at this step, or NULL */
  TlsPredictKind predict;   /* a question: what predict mode asks (none: discussion) */
  int            step;      /* placed: the step's index in the trace, or -1 */
} TlsLessonItem;

typedef struct
{
  char        *name;        /* "resumption-hit" (default: the file's name) */
  char        *path;        /* the file it was read from */
  char        *title;
  char        *goal;        /* what the class learns */
  char        *outcome;     /* what the run shows at its end, or NULL */
  int          order;       /* place in the list of lessons (then by name) */
  TlsScenario *scenario;
  GPtrArray   *notes;       /* of TlsLessonItem*, in file order */
  GPtrArray   *questions;   /* of TlsLessonItem*, in file order */
} TlsLesson;

/* The keys of a group kind ("Lesson", "Note", "Question"): the loader
 * accepts these and no others; docs/lessons.md documents each (a test
 * checks both).  NULL-terminated. */
const char *const *tls_lesson_keys (const char *group);

/* Reads a lesson file.  Unknown groups and keys, a missing title, goal or
 * run, a note without a step or text: an error naming the file and what is
 * wrong.  The items are not placed yet (step -1). */
TlsLesson  *tls_lesson_load   (const char *path, GError **error);
void        tls_lesson_free   (TlsLesson *lesson);
/* The lessons of DIR (its *.lesson files), sorted by order then name.  A
 * file that does not load is an error (a shipped lesson must load). */
GPtrArray  *tls_lesson_list   (const char *dir, GError **error);
/* Finds each item's step in TRACE (the lesson's run) and checks that each
 * question's predict kind fits its step.  FALSE with an error naming the
 * file, the item and the step looked for when one does not resolve. */
gboolean    tls_lesson_place  (TlsLesson *lesson, const TlsTrace *trace, GError **error);
/* What the lesson says at step STEP (placed items only): its notes, then its
 * questions ("Question: …", and "Answer: …" when WITH_ANSWERS), each with its
 * RFC section and command; NULL when nothing is placed there. */
char       *tls_lesson_text_at (const TlsLesson *lesson, guint step, gboolean with_answers);
/* Puts tls_lesson_text_at on each step of TRACE as its teacher's note. */
void        tls_lesson_annotate (const TlsLesson *lesson, TlsTrace *trace);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsLesson, tls_lesson_free)

G_END_DECLS
