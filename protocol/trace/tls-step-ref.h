/* tls-step-ref.h — a step named by what it is, not by its number: the
 * title (a message name such as "ServerHello", or the title of a
 * derivation, check or decision), who took it and in which connection.
 * Lessons (tls-lesson.h) place their notes and questions this way, so a
 * lesson survives a change of the engine that adds or removes steps. */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

typedef struct
{
  char *title;        /* the step's title, exactly as the trace has it */
  int   actor;        /* TlsActor, or -1: either side */
  guint connection;   /* counted from 1 as the trace prints it; 0: any */
  int   kind;         /* TlsStepKind, or -1: any kind */
} TlsStepRef;

/* "“ServerHello” by the server in connection 2". */
char *tls_step_ref_describe (const TlsStepRef *ref);
/* The index of the first step of TRACE that REF names, or -1 with an error
 * that says what was looked for and which steps of that title the run has
 * (or that it has none). */
int   tls_step_ref_resolve  (const TlsStepRef *ref, const TlsTrace *trace, GError **error);
void  tls_step_ref_clear    (TlsStepRef *ref);

/* "message", "derivation", ... to a TlsStepKind; FALSE when unknown. */
gboolean tls_step_kind_parse (const char *text, int *kind);

G_END_DECLS
