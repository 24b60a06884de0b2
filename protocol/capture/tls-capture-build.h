/* tls-capture-build.h — what the trace of one connection is built with:
 * shared by tls-capture-trace.c (the records, the messages, TLS 1.0-1.2),
 * tls-capture-steps.c (the steps of every version) and tls-capture-tls13.c
 * (what TLS 1.3 does differently). */
#pragma once

#include "tls-capture-private.h"
#include "tls-record.h"

/* A handshake record of one direction, until its messages are taken. */
typedef struct
{
  GBytes   *wire;
  TlsField *fields;
  gsize     hs_start, hs_end;
  gboolean  encrypted;
  gint64    offset;
} HsRec;

typedef struct _Cap13 Cap13;   /* the TLS 1.3 state (tls-capture-tls13.c) */

typedef struct _CapBuild
{
  TlsCapture     *cap;
  CapConn        *c;
  TlsTrace       *trace;
  TlsTranscript  *transcript;
  guint16         version;
  const TlsSuite *suite;
  gboolean        ems, etm, resumed, offered_etm, offered_ems;
  guint8          cr[32], sr[32];
  int             ch_step, hello_step, cke_step, master_step;
  gboolean        have_master, have_kb, stop, no_key_told;
  guint8          master[48];
  TlsKeyBlock     kb;
  TlsProtection  *prot[2];
  gboolean        ccs[2], dead[2], finished[2], finished_ok[2];
  GByteArray     *hs[2];
  GPtrArray      *hsrec[2];
  gsize           hs_consumed[2];
  char           *result;
  /* TLS 1.0-1.2: the DER of the server's certificate, the client's
   * signature_algorithms (NULL if it sent none), whether the server sent a
   * ServerKeyExchange, and which side's Finished was shown not checked. */
  GBytes         *server_leaf;
  GArray         *sigalgs;
  gboolean        ske_seen, finished_told[2];
  Cap13          *t13;        /* non-NULL for a TLS 1.3 connection */
  /* The plaintext of a handshake record of DIR (its WIRE and FIELDS
   * taken): whole messages are taken out and shown.  A pointer, set by
   * tls-capture-trace.c, so that the TLS 1.3 record reader hands records
   * back without a call cycle between the two files (tools/check-layers.py). */
  void          (*handshake_record) (struct _CapBuild *b, int dir, GBytes *wire, TlsField *fields,
                                     const guint8 *plain, gsize len, gboolean enc, gint64 offset);
} CapBuild;

TlsActor    cap_actor_of  (int dir);
const char *cap_side_name (int dir);
/* The first reason the connection did not complete (later ones are kept
 * out). */
void     cap_set_result   (CapBuild *b, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* A problem of the capture: a failed check, and the rest goes on. */
TlsStep *cap_problem_step (CapBuild *b, TlsActor actor, const char *title, const char *subject,
                           const char *rfc, const char *explanation,
                           const char *format, ...) G_GNUC_PRINTF (7, 8);
/* A message, alert or application data step (not committed). */
TlsStep *cap_record_step  (CapBuild *b, TlsStepKind kind, int dir, const char *title,
                           guint8 content_type, GBytes *bytes, TlsField *root, GBytes *wire,
                           TlsField *wire_fields, gboolean encrypted, gint64 offset);
void     cap_ccs_step     (CapBuild *b, int dir, GBytes *plain, GBytes *wire, TlsField *fields,
                           gboolean enc, gint64 off);
void     cap_alert_step   (CapBuild *b, int dir, GBytes *plain, GBytes *wire, TlsField *fields,
                           gboolean enc, gint64 off);
void     cap_appdata_step (CapBuild *b, int dir, GBytes *plain, GBytes *wire, TlsField *fields,
                           gint64 off);

/* ---- TLS 1.3 (tls-capture-tls13.c) ---------------------------------- */

Cap13      *cap13_new  (void);
void        cap13_free (Cap13 *t);
/* The title of handshake message MSG: "HelloRetryRequest" for a
 * ServerHello with the special random (RFC 8446, 4.1.3). */
const char *cap13_message_title (const guint8 *msg, gsize len);
const char *cap13_message_rfc   (CapBuild *b, guint8 type, int dir);
const char *cap13_message_explanation (CapBuild *b, guint8 type);
/* Parses the body of a TLS 1.3 message that is not a hello; *VERIFY
 * points at a Finished's verify_data.  Returns 0 or the alert. */
int         cap13_parse_body (CapBuild *b, guint8 type, TlsReader *body, const guint8 **verify);
/* What follows a message of DIR (committed as step STEP): the transcript,
 * the keys, the CertificateVerify and Finished checks. */
void        cap13_after_message (CapBuild *b, int dir, GBytes *msg, const guint8 *verify,
                                 int step, int err);
/* After the last record: the checks the key log did not allow, as unknown. */
void        cap13_finish (CapBuild *b);
/* One record of a TLS 1.3 connection. */
void        cap13_handle_record (CapBuild *b, const CapRecord *r);

/* ---- TLS 1.3 checks (tls-capture-tls13-verify.c) --------------------- */

/* The CertificateVerify MSG of DIR (step MSG_STEP) verified with the
 * public key of LEAF (the DER of DIR's certificate, NULL if none) over the
 * transcript so far (RFC 8446, 4.4.3): a check step. */
void        cap13_cv_check      (CapBuild *b, int dir, GBytes *msg, int msg_step, GBytes *leaf,
                                 TlsPrfHash hash);
/* A check the capture cannot make (DIR's CertificateVerify, or its
 * Finished when FINISHED): NOT_CHECKED with WHY. */
void        cap13_unknown_check (CapBuild *b, int dir, gboolean finished, const char *why);

/* ---- TLS 1.0-1.2 checks (tls-capture-tls12-verify.c) ---------------- */

/* The signature of the ServerKeyExchange MSG (step MSG_STEP) verified with
 * the public key of the server's certificate over both randoms and the
 * params (RFC 5246, 7.4.3; RFC 8422, 5.4): a check step, passed, failed,
 * or not checked with the reason. */
void        cap12_ske_check        (CapBuild *b, GBytes *msg, int msg_step);
/* A full handshake whose key exchange has no ServerKeyExchange (RSA,
 * DH_RSA, DH_DSS): the signature check shown not checked, under MSG_STEP. */
void        cap12_no_ske           (CapBuild *b, int msg_step);
/* DIR's Finished, held encrypted in record step MSG_STEP: NOT_CHECKED
 * with WHY. */
void        cap12_finished_unknown (CapBuild *b, int dir, int msg_step, const char *why);
