/* lab-capture-open.h — File > Open of a capture (pcap, pcapng): its TLS
 * connections listed, one chosen, its trace handed back (docs/capture.md). */
#pragma once

#include <gtk/gtk.h>
#include "tls-trace.h"

G_BEGIN_DECLS

/* What became of the opening: TRACE (taken by the callee) with TITLE, or
 * NULL; MESSAGE, when not NULL, is to be shown (a problem, or how the
 * connection ended when it did not complete). */
typedef void (*LabCaptureOpened) (TlsTrace *trace, const char *title, const char *message,
                                  gpointer user_data);

/* TRUE when PATH names a capture (.pcap, .pcapng, .cap) rather than a
 * JSON trace. */
gboolean lab_capture_is_capture_path (const char *path);

/* Opens the capture at PATH: keys from the file's Decryption Secrets
 * Blocks and from PATH.keys or PATH.keylog beside it.  The trace of
 * connection CONNECTION (from 1) goes to DONE at once; with CONNECTION 0
 * and one TLS connection, that one; with more a dialog over PARENT asks
 * which (DONE is not called when it is cancelled).
 * USER_DATA must outlive the dialog (the window that is its parent). */
void     lab_capture_open            (GtkWindow *parent, const char *path, guint connection,
                                      LabCaptureOpened done, gpointer user_data);

G_END_DECLS
