/* lab-help.h — the user guide (docs/guide.md) in a window: Help, F1. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWindow *lab_help_window_new (GtkWindow *parent);

G_END_DECLS
