/* lab-class-list.h — the window serving a class: our server (with the
 * --www page) runs in the window's main loop, and a list shows each
 * connection as it ends: time, client address, the browser its
 * User-Agent names, the suite, full or resumed, completed or the alert.
 * Selecting a row emits "connection-selected" with its index.
 *
 * Accepting happens in the main loop when the listening socket is
 * readable; each connection runs in a worker thread (a real client can
 * keep it waiting, up to the time-out), and its trace comes back to the
 * main loop when it is done: the window never blocks. */
#pragma once

#include <gtk/gtk.h>
#include "tls-trace.h"

G_BEGIN_DECLS

#define LAB_TYPE_CLASS_LIST (lab_class_list_get_type ())
G_DECLARE_FINAL_TYPE (LabClassList, lab_class_list, LAB, CLASS_LIST, GtkBox)

LabClassList   *lab_class_list_new             (void);
/* Serves on HOST:PORT (port 0: any free one) with the demo certificate of
 * DATADIR (NULL: the default data directory). */
gboolean        lab_class_list_start           (LabClassList *self, const char *host,
                                                guint16 port, const char *datadir,
                                                GError **error);
/* Stops accepting; connections under way finish in their threads (their
 * time-out bounds it) and are dropped. */
void            lab_class_list_stop            (LabClassList *self);
gboolean        lab_class_list_is_serving      (LabClassList *self);
guint16         lab_class_list_get_port        (LabClassList *self);
guint           lab_class_list_get_n_connections (LabClassList *self);
/* The trace of connection I (its steps are connection 0), or NULL. */
const TlsTrace *lab_class_list_get_trace       (LabClassList *self, guint i);
/* The text of row I, or NULL. */
const char     *lab_class_list_get_row_text    (LabClassList *self, guint i);
void            lab_class_list_select          (LabClassList *self, guint i);

G_END_DECLS
