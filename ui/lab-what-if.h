/* lab-what-if.h — "What if…" (issue 12): at the selected step the teacher
 * changes what the run is made of (another cipher suite for the server,
 * another highest version for the client, another server certificate from
 * the demo PKI, or the client asking for another host), the scenario is run
 * again with the change (seeded: the same bytes up to where the change
 * shows), and the original and the changed run open side by side in a
 * compare window (lab-compare-view.h).  Or the attacker (tls-attacker.h)
 * acts on the next record of the client or the server from that step:
 * tamper with a field, flip a bit, drop, replay, reorder or inject a
 * record.  Also the "Compare…" dialog: two scenarios or two files (saved
 * traces, captures) side by side. */
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
  LAB_WHAT_IF_GROUP,        /* the server uses only this (EC)DHE group (server-groups) */
  /* The attacker (tls-attacker.h) acts on the next record of a sender, from
   * the step the teacher stands at (tls_attack_target_of_step): */
  LAB_WHAT_IF_TAMPER,       /* a field of that message gets a new value (hex) */
  LAB_WHAT_IF_FLIP,         /* one bit of one byte of the record's fragment */
  LAB_WHAT_IF_DROP,
  LAB_WHAT_IF_REPLAY,
  LAB_WHAT_IF_REORDER,      /* delivered after the following record */
  LAB_WHAT_IF_INJECT,       /* a record of a type and a fragment (hex) before it */
  LAB_WHAT_IF_N_KINDS
} LabWhatIfKind;

/* A change: KIND and what it needs (unused members are ignored). */
typedef struct
{
  LabWhatIfKind kind;
  const char   *value;         /* config kinds: the choice; TAMPER: the new value and
                                  INJECT: the fragment, in hex ("00 9d", "0x009d") */
  TlsActor      sender;        /* attacker kinds: whose next record */
  const char   *field;         /* TAMPER: the field's path in the message ("random.random_bytes") */
  guint         byte;          /* FLIP: the byte of the fragment, from 0 */
  guint         bit;           /* FLIP: 0 (lowest) to 7 */
  const char   *content_type;  /* INJECT: "alert", "handshake", "change_cipher_spec",
                                  "application_data" */
} LabWhatIfChange;

/* Whether KIND is made by the attacker (else it changes the scenario). */
gboolean     lab_what_if_kind_is_attack (LabWhatIfKind kind);
/* The step of TRACE holding SENDER's next record from step STEP on (STEP
 * itself when it is one), or -1. */
int          lab_what_if_next_record (const TlsTrace *trace, int step, TlsActor sender);
/* The fields of the message of step INDEX a tamper can name, as paths
 * ("cipher_suite", "random.random_bytes"), in the message's order; an
 * empty list for an encrypted record. */
GStrv        lab_what_if_fields     (const TlsTrace *trace, guint index);
/* The attacker's action (docs/attacker.md) for CHANGE at step STEP of
 * TRACE (the full original run); *TARGET_STEP gets the step of the record
 * it acts on.  NULL with ERROR naming the problem (no such record, a field
 * the message does not have, bad hex, a byte past the fragment's end). */
char        *lab_what_if_action     (const TlsTrace *trace, int step,
                                     const LabWhatIfChange *change, int *target_step,
                                     GError **error);

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
GtkWindow   *lab_what_if_run_change (GtkWindow *parent, LabSession *session, int step,
                                     const LabWhatIfChange *change, GError **error);
/* The dialog, at step STEP of SESSION (returned, already presented). */
GtkWindow   *lab_what_if_dialog_present (GtkWindow *parent, LabSession *session, int step);
/* What the dialog's widgets are set to, and setting them (tests drive the
 * dialog so); the strings stay valid while the dialog is. */
void         lab_what_if_dialog_get_change (GtkWindow *dialog, LabWhatIfChange *change);
void         lab_what_if_dialog_set_change (GtkWindow *dialog, const LabWhatIfChange *change);
/* The fields the dialog offers for the tamper kind, for its present sender. */
GListModel  *lab_what_if_dialog_get_fields (GtkWindow *dialog);
/* Its Run button: the compare window (presented; the dialog is closed), or
 * NULL with the problem shown in the dialog (lab_what_if_dialog_get_error). */
GtkWindow   *lab_what_if_dialog_run   (GtkWindow *dialog);
const char  *lab_what_if_dialog_get_error (GtkWindow *dialog);
/* "Compare…": two built-in scenarios, or two files (saved traces or
 * captures), side by side. */
GtkWindow   *lab_compare_dialog_present (GtkWindow *parent);
/* Its two sides set to files (what the file choosers do), and Compare. */
void         lab_compare_dialog_set_files (GtkWindow *dialog, const char *left, const char *right);
GtkWindow   *lab_compare_dialog_run   (GtkWindow *dialog);
const char  *lab_compare_dialog_get_error (GtkWindow *dialog);

G_END_DECLS
