/* tls-predict.h — predict mode: before a step is shown, the class is asked
 * what comes next, with choices taken from the run itself (the right answer
 * and plausible others: messages of the same trace, suites the client
 * offered, the options of a decision, alerts of the same family). */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TLS_PREDICT_NONE,          /* nothing to choose from: a question for discussion */
  TLS_PREDICT_NEXT_MESSAGE,  /* which message is this step?         (any message) */
  TLS_PREDICT_SUITE,         /* which suite will the server pick?   (a ServerHello) */
  TLS_PREDICT_RESUME,        /* will the session be resumed?        (a decision, e.g.
                                "Resume the session?"; the answer is connN.resumed) */
  TLS_PREDICT_ALERT,         /* which alert is sent, if any?        (an alert) */
} TlsPredictKind;

typedef struct
{
  TlsPredictKind kind;
  guint          step;       /* the step the answer is taken from */
  char          *question;   /* "Which cipher suite will the server pick?" */
  GPtrArray     *choices;    /* of char*, in alphabetical order, at most 4 */
  guint          right;      /* index of the right answer in choices */
} TlsPrediction;

/* The question and its choices for step STEP of TRACE.  NULL, with an error
 * saying why, when KIND does not fit the step (a suite asked at a step
 * that is not a ServerHello, an alert at a step that is not an alert...). */
TlsPrediction *tls_prediction_new  (const TlsTrace *trace, guint step, TlsPredictKind kind,
                                    GError **error);
void           tls_prediction_free (TlsPrediction *p);

/* What predict mode asks before STEP when it is on for any run, or
 * TLS_PREDICT_NONE: the suite before a ServerHello, the choice before a
 * "Resume the session?" decision, the alert before a fatal alert, the
 * message before a top-level message whose sender is not the sender of
 * the message before it in its connection (the turn passes). */
TlsPredictKind tls_predict_auto    (const TlsTrace *trace, guint step);

/* "none", "next-message", "suite", "resume", "alert"; parse gives FALSE for
 * anything else. */
const char    *tls_predict_kind_name  (TlsPredictKind kind);
gboolean       tls_predict_kind_parse (const char *text, TlsPredictKind *kind);

/* Predict mode's score: answers given and answers right. */
typedef struct
{
  guint asked;
  guint right;
} TlsPredictScore;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsPrediction, tls_prediction_free)

G_END_DECLS
