/* tls13-client-auth.h — client authentication in the TLS 1.3 handshake
 * (RFC 8446, 4.3.2, 4.4.2, 4.4.3) in both roles: the server's decision and
 * its CertificateRequest, the checks of the client's Certificate and
 * CertificateVerify; the client's choice of a signature scheme, its
 * Certificate and CertificateVerify.  Rows of the flows in tls13-client.c
 * and tls13-server.c.  Not for other modules. */
#pragma once

#include "tls13-flow.h"

/* The SignatureScheme a CertificateVerify can make with KEY: RSA-PSS with
 * an rsaEncryption key, ECDSA with the curve of the key, ed25519 (RFC
 * 8446, 4.2.3, 4.4.3). */
gboolean tls13_scheme_fits_key (guint16 scheme, const TlsPrivateKey *key);

/* Server.  Conditions: client authentication is configured; it is asked
 * for (configured, and no PSK accepted: 4.3.2); a certificate came. */
gboolean tls13_auth_configured          (TlsEndpoint *ep);
gboolean tls13_auth_asks                (TlsEndpoint *ep);
gboolean tls13_auth_got_certificate     (TlsEndpoint *ep);
/* Actions: the decision, the CertificateRequest, the client's Certificate
 * (certificate_required when it is empty and one is required), its chain,
 * its CertificateVerify (decrypt_error when it does not verify). */
gboolean tls13_auth_decide              (TlsEndpoint *ep);
gboolean tls13_auth_send_request        (TlsEndpoint *ep);
gboolean tls13_auth_read_certificate    (TlsEndpoint *ep);
gboolean tls13_auth_check_chain         (TlsEndpoint *ep);
gboolean tls13_auth_read_certificate_verify (TlsEndpoint *ep);

/* Client.  Conditions: a CertificateRequest came and the client has a
 * certificate and key; its Certificate was not empty. */
gboolean tls13_auth_has_certificate     (TlsEndpoint *ep);
gboolean tls13_auth_sent_certificate    (TlsEndpoint *ep);
/* Actions: the signature scheme among the request's signature_algorithms,
 * the Certificate (empty without a certificate or a scheme), the
 * CertificateVerify. */
gboolean tls13_auth_decide_scheme       (TlsEndpoint *ep);
gboolean tls13_auth_send_certificate    (TlsEndpoint *ep);
gboolean tls13_auth_send_certificate_verify (TlsEndpoint *ep);
