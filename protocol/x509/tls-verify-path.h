/* tls-verify-path.h — finding the certification paths (RFC 4158). */
#pragma once

#include "tls-verify-state.h"

G_BEGIN_DECLS

/* The end entity among the certificates received (RFC 5246 puts it first,
 * a careless server may not). */
guint      tls_verify_find_end_entity (const TlsVerifier *v);
/* Every path (GPtrArray* of TlsCertificate*, not referenced) from EE to a
 * trust anchor, best first, at most 8; *PARTIAL (owned by the caller, may
 * be NULL) the longest one that reaches no anchor. */
GPtrArray *tls_verify_find_paths      (const TlsVerifier *v, TlsCertificate *ee, guint max,
                                       GPtrArray **partial);
/* "leaf ← intermediate ← root" */
char      *tls_verify_path_text       (GPtrArray *path);

G_END_DECLS
