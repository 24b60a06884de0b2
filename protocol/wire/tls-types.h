/* tls-types.h — protocol constants shared by the whole engine. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ProtocolVersion (RFC 5246, 6.2.1) */
#define TLS_VERSION_1_0 0x0301
#define TLS_VERSION_1_1 0x0302
#define TLS_VERSION_1_2 0x0303
/* TLS 1.3 is negotiated in the supported_versions extension; its records
 * and hellos carry 0x0303 in the legacy version fields (RFC 8446, 4.1.2
 * and 5.1). */
#define TLS_VERSION_1_3 0x0304

/* ContentType (RFC 5246, 6.2.1) */
typedef enum
{
  TLS_CONTENT_CHANGE_CIPHER_SPEC = 20,
  TLS_CONTENT_ALERT = 21,
  TLS_CONTENT_HANDSHAKE = 22,
  TLS_CONTENT_APPLICATION_DATA = 23,
} TlsContentType;

/* HandshakeType (RFC 5246, 7.4; RFC 5077, 3.3) */
typedef enum
{
  TLS_HS_HELLO_REQUEST = 0,
  TLS_HS_CLIENT_HELLO = 1,
  TLS_HS_SERVER_HELLO = 2,
  TLS_HS_NEW_SESSION_TICKET = 4,
  TLS_HS_CERTIFICATE = 11,
  TLS_HS_SERVER_KEY_EXCHANGE = 12,
  TLS_HS_CERTIFICATE_REQUEST = 13,
  TLS_HS_SERVER_HELLO_DONE = 14,
  TLS_HS_CERTIFICATE_VERIFY = 15,
  TLS_HS_CLIENT_KEY_EXCHANGE = 16,
  TLS_HS_FINISHED = 20,
  /* TLS 1.3 (RFC 8446, 4) */
  TLS_HS_END_OF_EARLY_DATA = 5,
  TLS_HS_ENCRYPTED_EXTENSIONS = 8,
  TLS_HS_KEY_UPDATE = 24,
  TLS_HS_MESSAGE_HASH = 254,
} TlsHandshakeType;

/* ExtensionType (IANA registry) */
typedef enum
{
  TLS_EXT_SERVER_NAME = 0,
  TLS_EXT_SUPPORTED_GROUPS = 10,
  TLS_EXT_EC_POINT_FORMATS = 11,
  TLS_EXT_SIGNATURE_ALGORITHMS = 13,
  TLS_EXT_ALPN = 16,                 /* application_layer_protocol_negotiation (RFC 7301) */
  TLS_EXT_ENCRYPT_THEN_MAC = 22,
  TLS_EXT_EXTENDED_MASTER_SECRET = 23,
  TLS_EXT_SESSION_TICKET = 35,
  TLS_EXT_RENEGOTIATION_INFO = 0xff01,
} TlsExtensionType;

/* SignatureAndHashAlgorithm as one u16 (RFC 5246, 7.4.1.4.1; RFC 8446 names) */
#define TLS_SIG_RSA_PKCS1_SHA1    0x0201
#define TLS_SIG_RSA_PKCS1_SHA224  0x0301
#define TLS_SIG_ECDSA_SHA224      0x0303
#define TLS_SIG_RSA_PSS_RSAE_SHA256 0x0804
#define TLS_SIG_RSA_PSS_RSAE_SHA384 0x0805
#define TLS_SIG_RSA_PSS_RSAE_SHA512 0x0806
#define TLS_SIG_ED25519             0x0807   /* RFC 8446, 4.2.3 */
#define TLS_SIG_RSA_PKCS1_SHA256  0x0401
#define TLS_SIG_RSA_PKCS1_SHA384  0x0501
#define TLS_SIG_RSA_PKCS1_SHA512  0x0601
#define TLS_SIG_DSA_SHA1          0x0202
#define TLS_SIG_DSA_SHA256        0x0402
#define TLS_SIG_ECDSA_SHA1        0x0203
#define TLS_SIG_ECDSA_SHA256      0x0403
#define TLS_SIG_ECDSA_SHA384      0x0503

/* Signalling cipher suite values */
#define TLS_EMPTY_RENEGOTIATION_INFO_SCSV 0x00ff
#define TLS_FALLBACK_SCSV                 0x5600

#define TLS_RANDOM_LEN        32
#define TLS_MAX_SESSION_ID    32
#define TLS_MASTER_SECRET_LEN 48
#define TLS_PREMASTER_LEN     48
#define TLS_VERIFY_DATA_LEN   12
#define TLS_MAX_FRAGMENT      16384

const char *tls_version_name        (guint16 version);   /* "TLS 1.2" */
const char *tls_content_type_name   (guint8 type);       /* "handshake" */
const char *tls_handshake_type_name (guint8 type);       /* "ClientHello" */
const char *tls_extension_name      (guint16 type);      /* "server_name" */
const char *tls_sigalg_name         (guint16 sigalg);    /* "rsa_pkcs1_sha256" */

G_END_DECLS
