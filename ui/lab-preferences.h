/* lab-preferences.h — the preferences window (presentation text size).
 * It knows nothing of the application: whoever opens it watches its
 * "zoom" property. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LAB_TYPE_PREFERENCES (lab_preferences_get_type ())
G_DECLARE_FINAL_TYPE (LabPreferences, lab_preferences, LAB, PREFERENCES, AdwPreferencesWindow)

/* ZOOM: the presentation zoom now (1.0 is the normal size). */
GtkWindow *lab_preferences_new      (GtkWindow *parent, double zoom);
double     lab_preferences_get_zoom (LabPreferences *self);

G_END_DECLS
