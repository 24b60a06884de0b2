/* lab-live-dialog.h — start a live run against a real peer: connect our
 * client to a server (host:port), or listen on 127.0.0.1 for a client.
 * The socket is made in a worker thread (the window never blocks); when it
 * is connected the dialog emits ::ready, and lab_live_dialog_start_session
 * hands it to a LabSession. */
#pragma once

#include <adwaita.h>
#include "lab-session.h"

G_BEGIN_DECLS

#define LAB_TYPE_LIVE_DIALOG (lab_live_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LabLiveDialog, lab_live_dialog, LAB, LIVE_DIALOG, AdwWindow)

LabLiveDialog *lab_live_dialog_new           (GtkWindow *parent, gboolean listen);
/* Starts connecting or listening, as the Start button does. */
void           lab_live_dialog_start         (LabLiveDialog *self);
/* After ::ready: our endpoint on the connected socket, in SESSION; the
 * dialog closes. */
gboolean       lab_live_dialog_start_session (LabLiveDialog *self, LabSession *session,
                                              GError **error);
/* For tests: fill in the address ("127.0.0.1:4433" or a port). */
void           lab_live_dialog_set_address   (LabLiveDialog *self, const char *address);

G_END_DECLS
