/* lab-screenshot.h — a widget, as it is drawn now, to a PNG file
 * (`gui --screenshot`, and the window tests). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders WIDGET (a window, say) as it is now to a PNG at PATH. */
gboolean lab_screenshot_save_png (GtkWidget *widget, const char *path, GError **error);

G_END_DECLS
