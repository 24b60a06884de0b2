/* tls-x509.h — X.509 certificates (RFC 5280), decoded with libtasn1 and
 * our own ASN.1 module (protocol/asn1/pkix.asn) in strict DER.
 *
 * A TlsCertificate keeps its DER and a TlsField tree over it: every decoded
 * field with its byte span, its value as text and a description, so a
 * certificate can be shown field by field like a handshake message.
 * Decoding never crashes and never accepts what is not DER: bad input gives
 * NULL and a TLS_PKI_ERROR_BAD_DER that says where. */
#pragma once

#include <glib.h>

#include "tls-bytes.h"
#include "tls-keys.h"
#include "tls-sig.h"

G_BEGIN_DECLS

typedef struct _TlsCertificate TlsCertificate;

/* keyUsage bits (RFC 5280, 4.2.1.3): bit N of the BIT STRING is 1 << N. */
typedef enum
{
  TLS_KU_DIGITAL_SIGNATURE = 1 << 0,
  TLS_KU_NON_REPUDIATION   = 1 << 1,
  TLS_KU_KEY_ENCIPHERMENT  = 1 << 2,
  TLS_KU_DATA_ENCIPHERMENT = 1 << 3,
  TLS_KU_KEY_AGREEMENT     = 1 << 4,
  TLS_KU_KEY_CERT_SIGN     = 1 << 5,
  TLS_KU_CRL_SIGN          = 1 << 6,
  TLS_KU_ENCIPHER_ONLY     = 1 << 7,
  TLS_KU_DECIPHER_ONLY     = 1 << 8,
} TlsKeyUsage;

/* Key purposes (RFC 5280, 4.2.1.12) */
#define TLS_OID_KP_SERVER_AUTH  "1.3.6.1.5.5.7.3.1"
#define TLS_OID_KP_CLIENT_AUTH  "1.3.6.1.5.5.7.3.2"
#define TLS_OID_KP_ANY          "2.5.29.37.0"

TlsCertificate *tls_certificate_new_from_der  (GBytes *der, GError **error);
void            tls_certificate_free          (TlsCertificate *cert);
TlsCertificate *tls_certificate_ref           (TlsCertificate *cert);
void            tls_certificate_unref         (TlsCertificate *cert);

/* All "CERTIFICATE" blocks of a PEM text / file, in order (a chain file:
 * leaf first).  A GPtrArray of TlsCertificate* (freeing the array frees
 * them), with at least one certificate, or NULL with ERROR naming the
 * block that failed ("certificate 2 of 3: ..."). */
GPtrArray      *tls_certificate_list_from_pem  (const char *text, gsize len, GError **error);
GPtrArray      *tls_certificate_list_from_file (const char *path, GError **error);

GBytes         *tls_certificate_get_der       (const TlsCertificate *cert);
/* The field tree: root "Certificate" spans the whole DER. */
const TlsField *tls_certificate_get_fields    (const TlsCertificate *cert);

guint           tls_certificate_get_version   (const TlsCertificate *cert);   /* 1, 2 or 3 */
const char     *tls_certificate_get_serial    (const TlsCertificate *cert);   /* hex, "00c0ffee01" */
/* Names as one line in RFC 4514 order (most specific first):
 * "CN=localhost, OU=Servers, O=Handshake Lab Tests, C=XX". */
const char     *tls_certificate_get_subject   (const TlsCertificate *cert);
const char     *tls_certificate_get_issuer    (const TlsCertificate *cert);
/* The DER of the Name, for exact comparison when chaining. */
GBytes         *tls_certificate_get_subject_der (const TlsCertificate *cert);
GBytes         *tls_certificate_get_issuer_der  (const TlsCertificate *cert);
/* The subject's commonName values (NULL-terminated, may be empty). */
const char * const *tls_certificate_get_common_names (const TlsCertificate *cert);
gboolean        tls_certificate_is_self_issued (const TlsCertificate *cert);

/* Validity (RFC 5280, 4.1.2.5) in Unix seconds, UTCTime or GeneralizedTime. */
gint64          tls_certificate_get_not_before (const TlsCertificate *cert);
gint64          tls_certificate_get_not_after  (const TlsCertificate *cert);

const TlsPublicKey *tls_certificate_get_public_key (const TlsCertificate *cert);
TlsPkAlg        tls_certificate_get_key_type  (const TlsCertificate *cert);
guint           tls_certificate_get_key_bits  (const TlsCertificate *cert);
char           *tls_certificate_describe_key  (const TlsCertificate *cert); /* "RSA 2048 bits" */

/* What the issuer signed, and the signature (RFC 5280, 4.1.1.2-3). */
GBytes         *tls_certificate_get_tbs_der   (const TlsCertificate *cert);
const char     *tls_certificate_get_signature_oid (const TlsCertificate *cert);
TlsSigAlg       tls_certificate_get_signature_algorithm (const TlsCertificate *cert);
GBytes         *tls_certificate_get_signature (const TlsCertificate *cert);
/* RFC 5280, 4.1.1.2: signatureAlgorithm "MUST contain the same algorithm
 * identifier as the signature field in the sequence tbsCertificate". */
gboolean        tls_certificate_signature_algorithms_agree (const TlsCertificate *cert);
/* Verifies CERT's signature with ISSUER_KEY.  *REASON as tls_sig_verify. */
gboolean        tls_certificate_check_signature (const TlsCertificate *cert,
                                                 const TlsPublicKey *issuer_key,
                                                 char **reason);

/* Extensions.  Each returns whether the extension is present. */
gboolean        tls_certificate_get_basic_constraints (const TlsCertificate *cert,
                                                       gboolean *ca, int *path_len /* -1: none */);
gboolean        tls_certificate_get_key_usage (const TlsCertificate *cert, guint *bits);
/* extendedKeyUsage OIDs, NULL-terminated; NULL when the extension is absent. */
const char * const *tls_certificate_get_ext_key_usage (const TlsCertificate *cert);
gboolean        tls_certificate_has_ext_key_usage (const TlsCertificate *cert, const char *oid);
/* subjectAltName: dNSName values (NULL-terminated), iPAddress values as
 * GBytes of 4 or 16 bytes; NULL when there is no subjectAltName. */
const char * const *tls_certificate_get_dns_names (const TlsCertificate *cert);
GPtrArray      *tls_certificate_get_ip_addresses (const TlsCertificate *cert);
gboolean        tls_certificate_has_subject_alt_name (const TlsCertificate *cert);
GBytes         *tls_certificate_get_subject_key_id   (const TlsCertificate *cert);   /* or NULL */
GBytes         *tls_certificate_get_authority_key_id (const TlsCertificate *cert);   /* or NULL */
/* RFC 5280, 4.2: "A certificate-using system MUST reject the certificate
 * if it encounters a critical extension it does not recognize".  The OID
 * of the first such extension, or NULL. */
const char     *tls_certificate_get_unknown_critical (const TlsCertificate *cert);

/* A GeneralName (RFC 5280, 4.2.1.6) as the name checks need it. */
typedef enum
{
  TLS_GN_DNS,      /* dNSName: TEXT */
  TLS_GN_EMAIL,    /* rfc822Name: TEXT */
  TLS_GN_IP,       /* iPAddress: DATA, 4 or 16 bytes (8 or 32 in a constraint: address and mask) */
  TLS_GN_DIR,      /* directoryName: DATA is the DER of the Name, TEXT as RFC 4514 */
  TLS_GN_URI,      /* uniformResourceIdentifier: TEXT */
  TLS_GN_OTHER,    /* any other form: TEXT names it */
} TlsGeneralNameType;

typedef struct
{
  TlsGeneralNameType type;
  char              *text;
  GBytes            *data;   /* or NULL */
} TlsGeneralName;

/* Every subjectAltName entry (TlsGeneralName*), or NULL without one. */
GPtrArray      *tls_certificate_get_alt_names (const TlsCertificate *cert);
/* nameConstraints (RFC 5280, 4.2.1.10): the bases of the permitted and
 * excluded subtrees (TlsGeneralName*; an array may be empty).  *ODD (if
 * not NULL) says what this program could not take in (a minimum or
 * maximum, a name form it does not process), or NULL. */
gboolean        tls_certificate_get_name_constraints (const TlsCertificate *cert,
                                                      GPtrArray **permitted, GPtrArray **excluded,
                                                      const char **odd);
/* Whether the extension OID is present and (if CRITICAL) marked critical. */
gboolean        tls_certificate_has_extension (const TlsCertificate *cert, const char *oid,
                                               gboolean *critical);
/* authorityInfoAccess that is present but not the RFC 5280, 4.2.2.1
 * syntax: what is wrong; NULL when absent or well formed. */
const char     *tls_certificate_get_aia_problem (const TlsCertificate *cert);
/* The serial number's content octets (4.1.2.2). */
GBytes         *tls_certificate_get_serial_der (const TlsCertificate *cert);
/* Split a DER Name into its RDNs (GBytes* of each SET, in order). */
GPtrArray      *tls_name_split_rdns (GBytes *name_der);

#define TLS_OID_EXT_AKI              "2.5.29.35"
#define TLS_OID_EXT_SKI              "2.5.29.14"
#define TLS_OID_EXT_SAN              "2.5.29.17"
#define TLS_OID_EXT_BASIC_CONSTRAINTS "2.5.29.19"
#define TLS_OID_EXT_NAME_CONSTRAINTS "2.5.29.30"
#define TLS_OID_EXT_AIA              "1.3.6.1.5.5.7.1.1"

/* FALSE with TLS_PKI_ERROR_MISMATCH saying what differs. */
gboolean       tls_private_key_matches_certificate (const TlsPrivateKey *key,
                                                    const TlsCertificate *cert,
                                                    GError **error);

/* "keyCertSign, cRLSign" */
char           *tls_key_usage_to_string (guint bits);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsCertificate, tls_certificate_unref)

G_END_DECLS
