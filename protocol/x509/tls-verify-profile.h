/* tls-verify-profile.h — the rules of the RFC 5280 profile and of the web
 * PKI, each a check over the whole path. */
#pragma once

#include "tls-verify-state.h"

G_BEGIN_DECLS

void        tls_verify_plan_rules  (TlsVerifier *v);
Outcome     tls_verify_check_rule  (TlsVerifier *v, TlsStep *step, CheckKind kind, guint i);
const char *tls_verify_rule_title  (CheckKind kind);

G_END_DECLS
