/* lab-session.h — the model every view watches (STYLE.md, "Model apart
 * from view").
 *
 * A LabSession wraps the conductor of a scenario (or a recorded trace, or a
 * live run against a real peer) and exposes the steps that have happened so
 * far as a GListModel of LabStep.  Stepping forward adds an item; stepping
 * back removes one.  For a seeded scenario a step back really rewinds the
 * conductor (it replays the run to step N); for a recorded or live trace it
 * only moves the view through what was recorded.  Views never reach an
 * endpoint: they read the trace's steps through lab_session_get_step (). */
#pragma once

#include <gio/gio.h>
#include "tls-trace.h"
#include "tls-scenario.h"
#include "tls-shape.h"
#include "tls-config.h"
#include "tls-rng.h"

G_BEGIN_DECLS

#define LAB_TYPE_SESSION (lab_session_get_type ())
G_DECLARE_FINAL_TYPE (LabSession, lab_session, LAB, SESSION, GObject)

typedef enum
{
  LAB_SESSION_EMPTY,      /* nothing loaded */
  LAB_SESSION_SCENARIO,   /* our client and server, seeded: rewinding replays */
  LAB_SESSION_RECORDED,   /* a trace loaded from a file: review only */
  LAB_SESSION_LIVE,       /* our endpoint against a real peer: back = review */
} LabSessionMode;

/* A message still to come, from the handshake-shape table. */
typedef struct
{
  TlsShapeEntry entry;
  guint         connection;
} LabUpcoming;

LabSession        *lab_session_new             (void);

/* Starts a run of SC (copied).  DATADIR: the demo PKI's data dir, NULL for
 * the default. */
gboolean           lab_session_load_scenario   (LabSession *self, const TlsScenario *sc,
                                                const char *datadir, GError **error);
/* Shows TRACE (taken) for review, positioned at its start. */
void               lab_session_load_trace      (LabSession *self, TlsTrace *trace,
                                                const char *title);
/* Live: our endpoint, configured by CFG, against a real peer on the
 * connected socket FD.  The session takes CFG (a heap TlsConfig, cleared
 * -- which frees its key -- and freed with the run), RNG (CFG's) and FD.
 * Each step runs in a worker thread (a real peer can keep us waiting);
 * the session is busy meanwhile. */
gboolean           lab_session_load_peer       (LabSession *self, TlsConfig *cfg,
                                                TlsRng *rng, int fd,
                                                const char *title, GError **error);

/* The level of detail (docs/trace-format.md, "parent"): at the lesson
 * level (the default) Step and Step back go from one top-level step to the
 * next (tls_trace_lesson_next), the position then lying just before the
 * next top-level step, so that what is grouped under the one shown has
 * happened too; at the full level they go one step at a time.  Live, the
 * worker steps on until it knows where the lesson step ends. */
void               lab_session_set_detail      (LabSession *self, TlsDetail detail);
TlsDetail          lab_session_get_detail      (LabSession *self);
/* The step to show at the position: at the lesson level the last
 * top-level step before it, else the last step; -1 before the first. */
int                lab_session_get_current     (LabSession *self);
/* Whether step I is drawn at the current level (a top-level step, or any
 * step at the full level). */
gboolean           lab_session_shows_step      (LabSession *self, guint i);

/* Verbs.  Each returns TRUE when it changed the position. */
gboolean           lab_session_step            (LabSession *self);
gboolean           lab_session_step_back       (LabSession *self);
gboolean           lab_session_reset           (LabSession *self);
gboolean           lab_session_run_to_end      (LabSession *self);

LabSessionMode     lab_session_get_mode        (LabSession *self);
const char        *lab_session_get_title       (LabSession *self);
const TlsScenario *lab_session_get_scenario    (LabSession *self);
/* The number of steps that have happened (the model's length); the
 * current step is position - 1. */
guint              lab_session_get_position    (LabSession *self);
/* Steps recorded so far (>= position when reviewing). */
guint              lab_session_get_n_recorded  (LabSession *self);
/* Step I of the trace (I < n_recorded), or NULL. */
const TlsStep     *lab_session_get_step        (LabSession *self, guint i);
const TlsTrace    *lab_session_get_trace       (LabSession *self);
/* The teacher's note on step I (docs/notes.md): kept by the session across
 * rewinds and put on the trace's step, so exports carry it; NULL or blank
 * text clears it.  A new run starts without notes; a loaded trace brings
 * its own. */
void               lab_session_set_note        (LabSession *self, guint i, const char *note);
const char        *lab_session_get_note        (LabSession *self, guint i);
gboolean           lab_session_can_step        (LabSession *self);
gboolean           lab_session_can_step_back   (LabSession *self);
/* TRUE when step back only reviews (recorded or live). */
gboolean           lab_session_is_review_only  (LabSession *self);
gboolean           lab_session_is_finished     (LabSession *self);
gboolean           lab_session_is_busy         (LabSession *self);
/* One line for a status bar: "Step 7 of 21", "Handshake complete", ... */
char              *lab_session_dup_status      (LabSession *self);
/* The messages expected after the current position (from the shape
 * table), for the ladder to draw faint; an empty array when the run is over
 * or when the trace already holds what comes next. */
GArray            *lab_session_get_upcoming    (LabSession *self);

/* The data directory of the run (the demo PKI, the lessons). */
const char        *lab_session_get_datadir     (LabSession *self);

G_END_DECLS
