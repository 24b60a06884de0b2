/* lab-key-schedule.h — the TLS 1.3 key schedule of a connection drawn as
 * the diagram of RFC 8446, 7.1 (primary menu, Key Schedule…, Ctrl+K):
 * each box a secret, traffic keys (7.3) or a Finished key (4.4.4) with its
 * value, label and transcript hash, taken from the derivation step that
 * computed it (tls-trace-schedule.h); a box the run did not compute says
 * so.  Activating a box selects its step in the window's ladder and
 * inspector.  Follows the session as the run goes on. */
#pragma once

#include <gtk/gtk.h>
#include "lab-session.h"
#include "tls-trace-schedule.h"

G_BEGIN_DECLS

#define LAB_TYPE_KEY_SCHEDULE (lab_key_schedule_get_type ())
G_DECLARE_FINAL_TYPE (LabKeySchedule, lab_key_schedule, LAB, KEY_SCHEDULE, GtkWindow)

/* The key schedule of CONNECTION of SESSION, for PARENT (the window whose
 * "lab.select-step" action a box activates; NULL: none). */
LabKeySchedule    *lab_key_schedule_new        (GtkWindow *parent, LabSession *session,
                                                guint connection);
/* The schedule shown (for tests), and the side whose steps it shows. */
const TlsSchedule *lab_key_schedule_get_schedule (LabKeySchedule *self);
void               lab_key_schedule_set_actor  (LabKeySchedule *self, TlsActor actor);
/* The button of box ID (for tests). */
GtkWidget         *lab_key_schedule_get_box    (LabKeySchedule *self, TlsScheduleBoxId id);

G_END_DECLS
