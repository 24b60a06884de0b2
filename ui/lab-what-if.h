/* lab-what-if.h — "What if…" (issue 12): at the selected step the teacher
 * changes what the run is made of (another cipher suite for the server,
 * another highest version for the client, another server certificate from
 * the demo PKI, or the client asking for another host), the scenario is run
 * again with the change (seeded: the same bytes up to where the change
 * shows), and the original and the changed run open side by side in a
 * compare window (lab-compare-view.h).  Also the "Compare…" dialog: two
 * scenarios side by side. */
#pragma once

#include <gtk/gtk.h>
#include "lab-session.h"
#include "tls-scenario.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_WHAT_IF_SUITE,        /* the server will pick only this suite (server-suites) */
  LAB_WHAT_IF_VERSION,      /* the client speaks up to this version (client-max-version) */
  LAB_WHAT_IF_CERTIFICATE,  /* the server's certificate, from data/pki (server-cert), or
                               "wrong-host": the client asks for a host the certificate
                               does not name (server-name) */
  LAB_WHAT_IF_N_KINDS
} LabWhatIfKind;

/* What a kind is called in the dialog (translated). */
const char  *lab_what_if_kind_label (LabWhatIfKind kind);
/* The values a kind takes (suite names, "1.0"..., certificate names), for
 * SC (its values first when they are one). */
GStrv        lab_what_if_values     (LabWhatIfKind kind, const TlsScenario *sc);
/* A copy of SC with the change made; NULL with ERROR for a value the kind
 * does not take. */
TlsScenario *lab_what_if_apply      (const TlsScenario *sc, LabWhatIfKind kind,
                                     const char *value, GError **error);
/* Runs SESSION's scenario again with the change and opens the compare
 * window of the original run (left) and the changed one (right), over
 * PARENT.  NULL with ERROR when the session has no scenario (a recorded or
 * live run) or the change cannot be made. */
GtkWindow   *lab_what_if_run        (GtkWindow *parent, LabSession *session, int step,
                                     LabWhatIfKind kind, const char *value, GError **error);
/* The dialog, at step STEP of SESSION. */
void         lab_what_if_dialog_present (GtkWindow *parent, LabSession *session, int step);
/* "Compare…": two built-in scenarios side by side. */
void         lab_compare_dialog_present (GtkWindow *parent);

G_END_DECLS
