/* lab-scenario-editor.h — edit a scenario: versions, suites offered and
 * accepted, certificate set, client certificate, resumption, seed; open and
 * save it as a key file (tls_scenario_load / tls_scenario_save).  "Use"
 * emits ::apply. */
#pragma once

#include <adwaita.h>
#include "tls-scenario.h"

G_BEGIN_DECLS

#define LAB_TYPE_SCENARIO_EDITOR (lab_scenario_editor_get_type ())
G_DECLARE_FINAL_TYPE (LabScenarioEditor, lab_scenario_editor, LAB, SCENARIO_EDITOR, AdwWindow)

LabScenarioEditor *lab_scenario_editor_new          (GtkWindow *parent, const TlsScenario *sc);
/* Fills the editor from SC. */
void               lab_scenario_editor_set_scenario (LabScenarioEditor *self, const TlsScenario *sc);
/* The scenario as edited (new). */
TlsScenario       *lab_scenario_editor_dup_scenario (LabScenarioEditor *self);
gboolean           lab_scenario_editor_save         (LabScenarioEditor *self, const char *path,
                                                     GError **error);
gboolean           lab_scenario_editor_load         (LabScenarioEditor *self, const char *path,
                                                     GError **error);

G_END_DECLS
