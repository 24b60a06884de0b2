/* tls-verify-state.h — what the files of the verifier share: the
 * verifier's state, the plan of checks, and small helpers.  Not for use
 * outside protocol/x509. */
#pragma once

#include "tls-suites.h"
#include "tls-trace.h"
#include "tls-x509.h"
#include "tls-verify-params.h"

G_BEGIN_DECLS

typedef enum
{
  CHECK_ANCHOR,
  CHECK_VALIDITY,
  CHECK_SIGNATURE,
  CHECK_ISSUER_NAME,
  CHECK_CRITICAL,
  CHECK_CA,
  CHECK_PATH_LEN,
  CHECK_CA_KEY_USAGE,
  CHECK_NAME_CONSTRAINTS,   /* arg: the TlsGeneralNameType judged */
  CHECK_KEY_TYPE,
  CHECK_KEY_USAGE,
  CHECK_EKU,
  CHECK_HOST,
  /* the RFC 5280 profile, over the whole path (tls-verify-profile.c) */
  RULE_SERIAL,
  RULE_AKI,
  RULE_SKI,
  RULE_SUBJECT_SAN,
  RULE_BC_CRITICAL,
  RULE_KEY_CERT_SIGN,
  RULE_AIA,
  RULE_DNS_SYNTAX,
  RULE_NC_IN_EE,
  /* the web PKI (CA/Browser Forum Baseline Requirements) */
  WEB_VERSION,
  WEB_KEY_SIZE,
  WEB_SIG_HASH,
  WEB_LEAF_NOT_CA,
  WEB_SAN_PRESENT,
  WEB_VALIDITY_PERIOD,
  N_CHECKS
} CheckKind;

typedef struct
{
  CheckKind kind;
  guint     index;    /* in the path: 0 is the end entity */
  int       arg;
} Check;

typedef struct
{
  gboolean ok;
  int      alert;      /* when !ok */
} Outcome;

struct _TlsVerifier
{
  TlsVerifyParams params;
  char           *host;
  GPtrArray      *chain;       /* as received */
  GPtrArray      *anchors;
  GPtrArray      *untrusted;
  GPtrArray      *path;        /* end entity first */
  gboolean        path_built;
  int             path_step;   /* the trace index of "Certification path" */
  gboolean        anchored;    /* the last of the path is a trust anchor */
  char           *path_problem;
  GArray         *checks;
  guint           next;
  gboolean        done;
  int             alert;
  char           *reason;
  char           *failed;
  char           *failed_rule; /* the RFC/BR section of the failed check */
};

const char     *tls_verify_short_name (const TlsCertificate *cert);
gboolean        tls_verify_same_cert  (const TlsCertificate *a, const TlsCertificate *b);
gboolean        tls_verify_in_array   (GPtrArray *arr, const TlsCertificate *cert);
void            tls_verify_add_check  (TlsVerifier *v, CheckKind kind, guint index, int arg);
gboolean        tls_verify_is_anchor  (const TlsVerifier *v, guint i);

#define PATH_CERT(v, i) ((TlsCertificate *) g_ptr_array_index ((v)->path, (i)))

G_END_DECLS
