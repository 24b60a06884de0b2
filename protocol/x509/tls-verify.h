/* tls-verify.h — certification path building and validation (RFC 5280, 6;
 * host names after RFC 6125), one trace step per check, so a class can
 * watch a chain being checked.
 *
 * The peer's chain may come in any order, with extra certificates, with or
 * without its root.  The verifier first builds the path (a decision step:
 * which certificate issued which, by issuer name = subject name and key
 * identifiers), then checks it from the trust anchor down to the leaf:
 *
 *   Trust anchor        the top of the path is in the trust store   unknown_ca
 *   Validity            notBefore <= now <= notAfter (every cert)   certificate_expired
 *   Signature           the issuer's key verifies it                bad_certificate
 *                       (an unsupported algorithm or key)           unsupported_certificate
 *   Issuer name         issuer = the issuer's subject, byte for byte bad_certificate
 *   Critical extensions none that we do not understand              unsupported_certificate
 *   CA                  issuers: basicConstraints cA                bad_certificate
 *   Path length         issuers: pathLenConstraint                  bad_certificate
 *   Key usage (CA)      issuers: keyCertSign                        bad_certificate
 *   Key type            the leaf's key fits the key exchange        unsupported_certificate
 *   Key usage           what the key exchange needs of the leaf     unsupported_certificate
 *   Extended key usage  serverAuth / clientAuth                     unsupported_certificate
 *   Host name           RFC 6125 against subjectAltName (or CN)     bad_certificate
 *
 * Then the rules of the policy chosen, each a check of its own over the
 * whole path (tls-verify-profile.c), and name constraints, one check per
 * constraining CA and name form (tls-verify-names.c):
 *
 *   RFC 5280 profile (both policies): serial numbers (4.1.2.2), authority
 *   key identifiers (4.2.1.1), subject key identifiers of CAs (4.2.1.2),
 *   subject and subjectAltName (4.1.2.6, 4.2.1.6), basicConstraints
 *   critical in CAs (4.2.1.9), keyCertSign only with cA (4.2.1.3),
 *   authorityInfoAccess syntax (4.2.2.1), dNSName syntax (4.2.1.6),
 *   nameConstraints only in CAs (4.2.1.10).
 *   Web PKI (policy web, the default, as browsers): version 3 everywhere,
 *   RSA key sizes, no SHA-1 or MD5 signatures, a server's certificate is
 *   not a CA and has a subjectAltName, host names only from the
 *   subjectAltName, the validity period reported (CA/Browser Forum
 *   Baseline Requirements).
 *
 * Path building (RFC 4158): when several certificates could issue one,
 * every path to a trust anchor is tried, in order, until one passes; the
 * decision step lists each path tried and why it was dropped.
 *
 * The first failure ends the validation (unless all_checks is set, as for
 * --insecure: then every check runs and the first failure is the verdict).
 * Sans-I/O: the time is a parameter, the trace is the caller's. */
#pragma once

#include <glib.h>

#include "tls-suites.h"
#include "tls-trace.h"
#include "tls-x509.h"
#include "tls-verify-params.h"

G_BEGIN_DECLS

/* CHAIN: the peer's certificates (TlsCertificate*) as received, the first
 * one being the end entity.  ANCHORS: the trust store.  UNTRUSTED: more
 * certificates to build the path from (may be NULL).  All are referenced,
 * not copied; PARAMS is copied (HOST too). */
TlsVerifier *tls_verifier_new      (const TlsVerifyParams *params, GPtrArray *chain,
                                    GPtrArray *anchors, GPtrArray *untrusted);
void         tls_verifier_free     (TlsVerifier *v);

/* Does the next unit of work — the path decision, then one check — and
 * appends exactly one step for it to TRACE (which may be NULL) as ACTOR.
 * Returns FALSE, adding nothing, when the validation is over. */
gboolean     tls_verifier_step     (TlsVerifier *v, TlsTrace *trace, TlsActor actor);
gboolean     tls_verifier_done     (const TlsVerifier *v);
/* When done: 0 for a valid chain, else the TLS alert of the first failure,
 * with its reason and the title of the check that failed. */
int          tls_verifier_alert    (const TlsVerifier *v);
const char  *tls_verifier_reason   (const TlsVerifier *v);
const char  *tls_verifier_failed_check (const TlsVerifier *v);
/* The rule of the failed check and where it comes from ("RFC 5280, 4.2.1.10"). */
const char  *tls_verifier_failed_rule (const TlsVerifier *v);
/* The path, end entity first (TlsCertificate*); the last is the trust
 * anchor when one was found.  Valid after the first step. */
GPtrArray   *tls_verifier_get_path (const TlsVerifier *v);
/* The number of steps a validation that passes would take from now (for
 * drawing what is still to come). */
guint        tls_verifier_n_remaining (const TlsVerifier *v);

/* All steps at once: the alert (0 = valid) and, if not NULL, *REASON. */
int          tls_verify_chain      (const TlsVerifyParams *params, GPtrArray *chain,
                                    GPtrArray *anchors, GPtrArray *untrusted,
                                    TlsTrace *trace, TlsActor actor, char **reason);

/* RFC 6125, 6.4: does HOST match the certificate?  *HOW (if not NULL) says
 * which identifier matched or why none did, and whether the CN was used. */
gboolean     tls_verify_host       (const TlsCertificate *cert, const char *host, char **how);
/* The same; CN_FALLBACK FALSE (the web policy) never looks at the CN. */
gboolean     tls_verify_host_full  (const TlsCertificate *cert, const char *host, gboolean cn_fallback,
                                    char **how);

/* The seed notes' table (RFC 5246, 7.4.2): the key type a key exchange
 * needs in the server certificate, the keyUsage bit, and (static DH) the
 * key type that must have signed it (TLS_PK_UNKNOWN: any). */
void         tls_verify_kx_needs   (TlsKeyExchange kx, TlsPkAlg *key_type, guint *key_usage,
                                    TlsPkAlg *signer_type);

G_END_DECLS
