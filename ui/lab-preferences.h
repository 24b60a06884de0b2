/* lab-preferences.h — the preferences window (presentation text size). */
#pragma once

#include <adwaita.h>
#include "lab-application.h"

G_BEGIN_DECLS

#define LAB_TYPE_PREFERENCES (lab_preferences_get_type ())
G_DECLARE_FINAL_TYPE (LabPreferences, lab_preferences, LAB, PREFERENCES, AdwPreferencesWindow)

GtkWindow *lab_preferences_new (LabApplication *app, GtkWindow *parent);

G_END_DECLS
