/* tls-names.c — names of protocol constants, as the RFCs spell them. */
#include "tls-types.h"
#include "tls-alert.h"

static const char *
unknown (const char *kind, guint v)
{
  /* A small ring of buffers so a few calls can share one printf. */
  static char buf[4][32];
  static guint next;
  char *b = buf[next++ % 4];
  g_snprintf (b, sizeof buf[0], "%s(%u)", kind, v);
  return b;
}

const char *
tls_alert_name (int d)
{
  switch (d)
    {
    case TLS_ALERT_CLOSE_NOTIFY: return "close_notify";
    case TLS_ALERT_UNEXPECTED_MESSAGE: return "unexpected_message";
    case TLS_ALERT_BAD_RECORD_MAC: return "bad_record_mac";
    case TLS_ALERT_RECORD_OVERFLOW: return "record_overflow";
    case TLS_ALERT_HANDSHAKE_FAILURE: return "handshake_failure";
    case TLS_ALERT_BAD_CERTIFICATE: return "bad_certificate";
    case TLS_ALERT_UNSUPPORTED_CERTIFICATE: return "unsupported_certificate";
    case TLS_ALERT_CERTIFICATE_REVOKED: return "certificate_revoked";
    case TLS_ALERT_CERTIFICATE_EXPIRED: return "certificate_expired";
    case TLS_ALERT_CERTIFICATE_UNKNOWN: return "certificate_unknown";
    case TLS_ALERT_ILLEGAL_PARAMETER: return "illegal_parameter";
    case TLS_ALERT_UNKNOWN_CA: return "unknown_ca";
    case TLS_ALERT_ACCESS_DENIED: return "access_denied";
    case TLS_ALERT_DECODE_ERROR: return "decode_error";
    case TLS_ALERT_DECRYPT_ERROR: return "decrypt_error";
    case TLS_ALERT_PROTOCOL_VERSION: return "protocol_version";
    case TLS_ALERT_INSUFFICIENT_SECURITY: return "insufficient_security";
    case TLS_ALERT_INTERNAL_ERROR: return "internal_error";
    case TLS_ALERT_INAPPROPRIATE_FALLBACK: return "inappropriate_fallback";
    case TLS_ALERT_USER_CANCELED: return "user_canceled";
    case TLS_ALERT_NO_RENEGOTIATION: return "no_renegotiation";
    case TLS_ALERT_MISSING_EXTENSION: return "missing_extension";
    case TLS_ALERT_UNSUPPORTED_EXTENSION: return "unsupported_extension";
    case TLS_ALERT_UNRECOGNIZED_NAME: return "unrecognized_name";
    case TLS_ALERT_CERTIFICATE_REQUIRED: return "certificate_required";
    case TLS_ALERT_NO_APPLICATION_PROTOCOL: return "no_application_protocol";
    default: return unknown ("alert", (guint) d);
    }
}

const char *
tls_version_name (guint16 v)
{
  switch (v)
    {
    case 0x0300: return "SSL 3.0";
    case TLS_VERSION_1_0: return "TLS 1.0";
    case TLS_VERSION_1_1: return "TLS 1.1";
    case TLS_VERSION_1_2: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    default: return unknown ("version", v);
    }
}

const char *
tls_content_type_name (guint8 t)
{
  switch (t)
    {
    case TLS_CONTENT_CHANGE_CIPHER_SPEC: return "change_cipher_spec";
    case TLS_CONTENT_ALERT: return "alert";
    case TLS_CONTENT_HANDSHAKE: return "handshake";
    case TLS_CONTENT_APPLICATION_DATA: return "application_data";
    default: return unknown ("content_type", t);
    }
}

const char *
tls_handshake_type_name (guint8 t)
{
  switch (t)
    {
    case TLS_HS_HELLO_REQUEST: return "HelloRequest";
    case TLS_HS_CLIENT_HELLO: return "ClientHello";
    case TLS_HS_SERVER_HELLO: return "ServerHello";
    case TLS_HS_NEW_SESSION_TICKET: return "NewSessionTicket";
    case TLS_HS_CERTIFICATE: return "Certificate";
    case TLS_HS_SERVER_KEY_EXCHANGE: return "ServerKeyExchange";
    case TLS_HS_CERTIFICATE_REQUEST: return "CertificateRequest";
    case TLS_HS_SERVER_HELLO_DONE: return "ServerHelloDone";
    case TLS_HS_CERTIFICATE_VERIFY: return "CertificateVerify";
    case TLS_HS_CLIENT_KEY_EXCHANGE: return "ClientKeyExchange";
    case TLS_HS_FINISHED: return "Finished";
    case TLS_HS_END_OF_EARLY_DATA: return "EndOfEarlyData";
    case TLS_HS_ENCRYPTED_EXTENSIONS: return "EncryptedExtensions";
    case TLS_HS_KEY_UPDATE: return "KeyUpdate";
    case TLS_HS_MESSAGE_HASH: return "message_hash";
    default: return unknown ("handshake", t);
    }
}

const char *
tls_extension_name (guint16 t)
{
  switch (t)
    {
    case TLS_EXT_SERVER_NAME: return "server_name";
    case 5: return "status_request";
    case TLS_EXT_SUPPORTED_GROUPS: return "supported_groups";
    case TLS_EXT_EC_POINT_FORMATS: return "ec_point_formats";
    case TLS_EXT_SIGNATURE_ALGORITHMS: return "signature_algorithms";
    case TLS_EXT_ALPN: return "application_layer_protocol_negotiation";
    case 18: return "signed_certificate_timestamp";
    case 21: return "padding";
    case TLS_EXT_ENCRYPT_THEN_MAC: return "encrypt_then_mac";
    case TLS_EXT_EXTENDED_MASTER_SECRET: return "extended_master_secret";
    case TLS_EXT_SESSION_TICKET: return "session_ticket";
    case 41: return "pre_shared_key";
    case 42: return "early_data";
    case 43: return "supported_versions";
    case 44: return "cookie";
    case 45: return "psk_key_exchange_modes";
    case 51: return "key_share";
    case TLS_EXT_RENEGOTIATION_INFO: return "renegotiation_info";
    default: return unknown ("extension", t);
    }
}

const char *
tls_sigalg_name (guint16 s)
{
  switch (s)
    {
    case 0x0101: return "rsa_pkcs1_md5";
    case TLS_SIG_RSA_PKCS1_SHA1: return "rsa_pkcs1_sha1";
    case TLS_SIG_RSA_PKCS1_SHA224: return "rsa_pkcs1_sha224";
    case TLS_SIG_ECDSA_SHA224: return "ecdsa_sha224";
    case TLS_SIG_RSA_PKCS1_SHA256: return "rsa_pkcs1_sha256";
    case TLS_SIG_RSA_PKCS1_SHA384: return "rsa_pkcs1_sha384";
    case TLS_SIG_RSA_PKCS1_SHA512: return "rsa_pkcs1_sha512";
    case TLS_SIG_DSA_SHA1: return "dsa_sha1";
    case TLS_SIG_DSA_SHA256: return "dsa_sha256";
    case TLS_SIG_ECDSA_SHA1: return "ecdsa_sha1";
    case TLS_SIG_ECDSA_SHA256: return "ecdsa_secp256r1_sha256";
    case TLS_SIG_ECDSA_SHA384: return "ecdsa_secp384r1_sha384";
    case 0x0603: return "ecdsa_secp521r1_sha512";
    case 0x0804: return "rsa_pss_rsae_sha256";
    case 0x0805: return "rsa_pss_rsae_sha384";
    case 0x0806: return "rsa_pss_rsae_sha512";
    case 0x0807: return "ed25519";
    default: return unknown ("sigalg", s);
    }
}
