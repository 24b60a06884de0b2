/* tls-suites.h — the one cipher-suite table.
 *
 * A CipherSuite names a key exchange, a bulk cipher (with its key length)
 * and a MAC (RFC 5246, appendix A.5).  Everything about a suite that the
 * engine needs is found here, from its IANA number or name. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TLS_KX_RSA,
  TLS_KX_DHE_RSA,
  TLS_KX_DHE_DSS,
  TLS_KX_ECDHE_RSA,
  TLS_KX_ECDHE_ECDSA,
  TLS_KX_DH_RSA,
  TLS_KX_DH_DSS,
  /* TLS 1.3: the suite names the AEAD and the hash only; the key exchange
   * (key_share, pre_shared_key) and the signature are negotiated apart
   * (RFC 8446, 4.1.1 and B.4). */
  TLS_KX_TLS13,
} TlsKeyExchange;

typedef enum
{
  TLS_CIPHER_TYPE_STREAM,
  TLS_CIPHER_TYPE_BLOCK,
  TLS_CIPHER_TYPE_AEAD,
} TlsCipherType;

typedef enum
{
  TLS_CIPHER_AES_128_CBC,
  TLS_CIPHER_AES_256_CBC,
  TLS_CIPHER_AES_128_GCM,
  TLS_CIPHER_AES_256_GCM,
  TLS_CIPHER_3DES_EDE_CBC,
  TLS_CIPHER_RC4_128,
  TLS_CIPHER_CHACHA20_POLY1305,
} TlsCipherId;

typedef enum
{
  TLS_MAC_AEAD,      /* no separate MAC */
  TLS_MAC_MD5,
  TLS_MAC_SHA1,
  TLS_MAC_SHA256,
  TLS_MAC_SHA384,
} TlsMacId;

/* The hash of the TLS 1.2 PRF (RFC 5246, 5); TLS 1.0/1.1 always use MD5+SHA-1. */
typedef enum
{
  TLS_PRF_SHA256,
  TLS_PRF_SHA384,
} TlsPrfHash;

typedef struct
{
  TlsCipherId   id;
  const char   *name;          /* "AES-128-CBC" */
  TlsCipherType type;
  guint8        key_len;
  guint8        block_len;     /* 0 for stream and AEAD */
  guint8        fixed_iv_len;  /* CBC IV (TLS 1.0) or AEAD salt */
  guint8        record_iv_len; /* explicit nonce per record (AEAD); for CBC see tls_record_iv_len */
  guint8        tag_len;       /* AEAD tag */
} TlsCipherInfo;

typedef struct
{
  TlsMacId      id;
  const char   *name;          /* "HMAC-SHA1" */
  guint8        len;           /* mac_length = mac_key_length */
} TlsMacInfo;

typedef struct
{
  guint16        id;           /* IANA value */
  const char    *name;         /* IANA name */
  TlsKeyExchange kx;
  TlsCipherId    cipher;
  TlsMacId       mac;
  TlsPrfHash     prf;          /* for TLS 1.2; for TLS 1.3 the HKDF hash */
  guint16        min_version;  /* lowest version the suite may be used with */
  gboolean       legacy;       /* broken or historical (RC4, 3DES, static DH):
                                  used only when asked for by name */
} TlsSuite;

const TlsSuite      *tls_suite_by_id     (guint16 id);
const TlsSuite      *tls_suite_by_name   (const char *name);
/* All suites of the table, in our order of preference (legacy ones last). */
const TlsSuite     **tls_suite_all       (guint *n);
const TlsCipherInfo *tls_cipher_info     (TlsCipherId id);
const TlsMacInfo    *tls_mac_info        (TlsMacId id);
const char          *tls_kx_name         (TlsKeyExchange kx);   /* "RSA" */
/* The name of a suite number, also for those not in the table ("0x1301"). */
char                *tls_suite_describe  (guint16 id);
/* Whether the engine can run this suite at VERSION: a TLS 1.3 suite only
 * at TLS 1.3, and no other suite there (RFC 8446, B.4). */
gboolean             tls_suite_usable    (const TlsSuite *suite, guint16 version);
/* Key exchange properties. */
gboolean             tls_kx_is_ephemeral (TlsKeyExchange kx);   /* DHE_*, ECDHE_* */
gboolean             tls_kx_is_ecdh      (TlsKeyExchange kx);   /* ECDHE_* */
gboolean             tls_kx_is_ffdh      (TlsKeyExchange kx);   /* DHE_*, DH_* */
/* A TLS 1.3 suite (TLS_AES_128_GCM_SHA256 ...). */
gboolean             tls_suite_is_tls13  (const TlsSuite *suite);

G_END_DECLS
