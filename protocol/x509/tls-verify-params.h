/* tls-verify-params.h — what a validation is asked: the time, the host,
 * the purpose, the key exchange and the policy (see tls-verify.h). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TLS_PURPOSE_SERVER,    /* a TLS server's certificate: serverAuth */
  TLS_PURPOSE_CLIENT,    /* a TLS client's certificate: clientAuth */
} TlsPurpose;

#define TLS_VERIFY_NO_KX (-1)

/* Which rules apply.  WEB (0, the default, also in the handshake) is RFC
 * 5280 plus what browsers enforce after the CA/Browser Forum Baseline
 * Requirements; RFC5280 is RFC 5280's path validation and profile alone. */
typedef enum
{
  TLS_VERIFY_POLICY_WEB = 0,
  TLS_VERIFY_POLICY_RFC5280,
} TlsVerifyPolicy;

const char  *tls_verify_policy_name  (TlsVerifyPolicy policy);   /* "web", "rfc5280" */
gboolean     tls_verify_policy_parse (const char *text, TlsVerifyPolicy *out);

typedef struct
{
  gint64      now;         /* unix seconds: the run's clock */
  const char *host;        /* DNS name or IP address to check; NULL: none */
  TlsPurpose  purpose;
  int         kx;          /* TlsKeyExchange the leaf's key must fit, or
                              TLS_VERIFY_NO_KX (then the leaf's keyUsage must
                              allow some key exchange: digitalSignature,
                              keyEncipherment or keyAgreement) */
  gboolean    all_checks;  /* run every check even after a failure */
  guint       max_depth;   /* longest path (certificates); 0: 10 */
  TlsVerifyPolicy policy;
  gboolean    tls13;       /* the chain came in a TLS 1.3 handshake: the texts
                              cite RFC 8446 (4.4.2 for the order, 6.2 for the
                              alerts), not RFC 5246 */
} TlsVerifyParams;

typedef struct _TlsVerifier TlsVerifier;

G_END_DECLS
