/* lab-step.h — one step of a session's trace, as an item of a GListModel.
 *
 * A LabStep is a light handle (its owner, the session, + index); its data is the trace's
 * TlsStep, read through lab_step_get_data () and never changed by a view. */
#pragma once

#include <gio/gio.h>
#include "tls-trace.h"

G_BEGIN_DECLS

#define LAB_TYPE_STEP (lab_step_get_type ())
G_DECLARE_FINAL_TYPE (LabStep, lab_step, LAB, STEP, GObject)

/* How a step finds its data: the owner's step INDEX, or NULL when the owner
 * has no such step any more (it was rewound). */
typedef const TlsStep *(*LabStepLookup) (GObject *owner, guint index);

/* OWNER is held weakly. */
LabStep       *lab_step_new      (GObject *owner, LabStepLookup lookup, guint index);
guint          lab_step_get_index (LabStep *self);
/* The trace's step, or NULL once the session has moved on (rewound). */
const TlsStep *lab_step_get_data (LabStep *self);
const char    *lab_step_get_title (LabStep *self);

G_END_DECLS
