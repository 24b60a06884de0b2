/* tls-verify-names.h — name constraints (RFC 5280, 4.2.1.10) and the
 * syntax of DNS names (4.2.1.6), for the verifier. */
#pragma once

#include "tls-verify-state.h"

G_BEGIN_DECLS

/* One CHECK_NAME_CONSTRAINTS per name form the CA at I constrains. */
void     tls_verify_plan_name_constraints  (TlsVerifier *v, guint i);
Outcome  tls_verify_check_name_constraints (TlsVerifier *v, TlsStep *step, guint i, int form);
gboolean tls_verify_dns_syntax_ok          (const char *name, char **why);

G_END_DECLS
