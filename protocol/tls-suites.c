/* tls-suites.c — the cipher-suite table. */
#include "tls-suites.h"
#include "tls-types.h"

#include <string.h>

static const TlsCipherInfo ciphers[] = {
  /* id                       name                type                   key blk fiv riv tag */
  { TLS_CIPHER_AES_128_CBC,   "AES-128-CBC",      TLS_CIPHER_TYPE_BLOCK, 16, 16, 16, 0, 0 },
  { TLS_CIPHER_AES_256_CBC,   "AES-256-CBC",      TLS_CIPHER_TYPE_BLOCK, 32, 16, 16, 0, 0 },
  { TLS_CIPHER_AES_128_GCM,   "AES-128-GCM",      TLS_CIPHER_TYPE_AEAD,  16,  0,  4, 8, 16 },
  { TLS_CIPHER_AES_256_GCM,   "AES-256-GCM",      TLS_CIPHER_TYPE_AEAD,  32,  0,  4, 8, 16 },
  { TLS_CIPHER_3DES_EDE_CBC,  "3DES-EDE-CBC",     TLS_CIPHER_TYPE_BLOCK, 24,  8,  8, 0, 0 },
  { TLS_CIPHER_RC4_128,       "RC4-128",          TLS_CIPHER_TYPE_STREAM,16,  0,  0, 0, 0 },
  { TLS_CIPHER_CHACHA20_POLY1305, "ChaCha20-Poly1305", TLS_CIPHER_TYPE_AEAD, 32, 0, 12, 0, 16 },
};

static const TlsMacInfo macs[] = {
  { TLS_MAC_AEAD,   "AEAD",        0 },
  { TLS_MAC_MD5,    "HMAC-MD5",    16 },
  { TLS_MAC_SHA1,   "HMAC-SHA1",   20 },
  { TLS_MAC_SHA256, "HMAC-SHA256", 32 },
  { TLS_MAC_SHA384, "HMAC-SHA384", 48 },
};

#define V10 TLS_VERSION_1_0
#define V12 TLS_VERSION_1_2

/* Our order of preference: AEAD first, then CBC with SHA-256, then SHA-1. */
static const TlsSuite suites[] = {
  { 0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", TLS_KX_RSA, TLS_CIPHER_AES_128_GCM, TLS_MAC_AEAD,   TLS_PRF_SHA256, V12 },
  { 0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", TLS_KX_RSA, TLS_CIPHER_AES_256_GCM, TLS_MAC_AEAD,   TLS_PRF_SHA384, V12 },
  { 0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", TLS_KX_RSA, TLS_CIPHER_AES_128_CBC, TLS_MAC_SHA256, TLS_PRF_SHA256, V12 },
  { 0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA",    TLS_KX_RSA, TLS_CIPHER_AES_128_CBC, TLS_MAC_SHA1,   TLS_PRF_SHA256, V10 },
  { 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA",    TLS_KX_RSA, TLS_CIPHER_AES_256_CBC, TLS_MAC_SHA1,   TLS_PRF_SHA256, V10 },
};

const TlsSuite *
tls_suite_by_id (guint16 id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (suites); i++)
    if (suites[i].id == id)
      return &suites[i];
  return NULL;
}

const TlsSuite *
tls_suite_by_name (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (suites); i++)
    if (g_ascii_strcasecmp (suites[i].name, name) == 0)
      return &suites[i];
  return NULL;
}

const TlsSuite **
tls_suite_all (guint *n)
{
  static const TlsSuite *all[G_N_ELEMENTS (suites) + 1];

  if (all[0] == NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (suites); i++)
      all[i] = &suites[i];
  *n = G_N_ELEMENTS (suites);
  return all;
}

const TlsCipherInfo *
tls_cipher_info (TlsCipherId id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (ciphers); i++)
    if (ciphers[i].id == id)
      return &ciphers[i];
  g_return_val_if_reached (NULL);
}

const TlsMacInfo *
tls_mac_info (TlsMacId id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (macs); i++)
    if (macs[i].id == id)
      return &macs[i];
  g_return_val_if_reached (NULL);
}

const char *
tls_kx_name (TlsKeyExchange kx)
{
  switch (kx)
    {
    case TLS_KX_RSA: return "RSA";
    case TLS_KX_DHE_RSA: return "DHE_RSA";
    case TLS_KX_DHE_DSS: return "DHE_DSS";
    case TLS_KX_ECDHE_RSA: return "ECDHE_RSA";
    case TLS_KX_ECDHE_ECDSA: return "ECDHE_ECDSA";
    case TLS_KX_DH_RSA: return "DH_RSA";
    case TLS_KX_DH_DSS: return "DH_DSS";
    default: return "unknown";
    }
}

char *
tls_suite_describe (guint16 id)
{
  const TlsSuite *s = tls_suite_by_id (id);

  if (s != NULL)
    return g_strdup (s->name);
  switch (id)
    {
    case TLS_EMPTY_RENEGOTIATION_INFO_SCSV: return g_strdup ("TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    case TLS_FALLBACK_SCSV: return g_strdup ("TLS_FALLBACK_SCSV");
    case 0x1301: return g_strdup ("TLS_AES_128_GCM_SHA256");
    case 0x1302: return g_strdup ("TLS_AES_256_GCM_SHA384");
    case 0x1303: return g_strdup ("TLS_CHACHA20_POLY1305_SHA256");
    default: return g_strdup_printf ("0x%04X (not in our table)", id);
    }
}

gboolean
tls_suite_usable (const TlsSuite *suite, guint16 version)
{
  const TlsCipherInfo *c = tls_cipher_info (suite->cipher);

  if (version < suite->min_version)
    return FALSE;
  /* AEAD ciphers and SHA-256/384 MACs exist only from TLS 1.2 on (RFC 5246). */
  if (c->type == TLS_CIPHER_TYPE_AEAD && version < TLS_VERSION_1_2)
    return FALSE;
  return TRUE;
}
