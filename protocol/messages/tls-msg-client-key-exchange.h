/* tls-msg-client-key-exchange.h — ClientKeyExchange (RFC 5246, 7.4.7;
 * RFC 4492/8422, 5.7): a pure codec.  The layout depends on the key
 * exchange of the suite, which the caller passes.
 *
 *     struct {
 *         select (KeyExchangeAlgorithm) {
 *             case rsa:
 *                 EncryptedPreMasterSecret;
 *             case dhe_dss:
 *             case dhe_rsa:
 *             case dh_dss:
 *             case dh_rsa:
 *             case dh_anon:
 *                 ClientDiffieHellmanPublic;
 *             case ec_diffie_hellman:            (RFC 8422, 5.7)
 *                 ClientECDiffieHellmanPublic;
 *         } exchange_keys;
 *     } ClientKeyExchange;
 *
 *     struct {
 *         public-key-encrypted PreMasterSecret pre_master_secret;
 *     } EncryptedPreMasterSecret;
 *     -- in TLS 1.0 and later with a two-byte length: opaque<0..2^16-1>
 *
 *     struct {
 *         select (PublicValueEncoding) {
 *             case implicit: struct { };
 *             case explicit: opaque dh_Yc<1..2^16-1>;
 *         } dh_public;
 *     } ClientDiffieHellmanPublic;
 *
 *     struct {
 *         select (PublicValueEncoding) {
 *             case implicit: struct { };
 *             case explicit: ECPoint ecdh_Yc;
 *         } ecdh_public;
 *     } ClientECDiffieHellmanPublic;
 *     struct { opaque point <1..2^8-1>; } ECPoint;
 *
 * Only the explicit encodings are supported: the implicit one is for a
 * client certificate with fixed (EC)DH parameters, which the engine does
 * not do.
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-suites.h"

G_BEGIN_DECLS

typedef struct
{
  TlsKeyExchange kx;             /* which layout (set by parse; used by write) */
  GBytes        *exchange_keys;  /* RSA: encrypted pre_master_secret;
                                    DH: dh_Yc; ECDH: the ECPoint's point */
} TlsClientKeyExchange;

void tls_client_key_exchange_clear (TlsClientKeyExchange *m);
/* Returns 0 or decode_error (vector bounds, leftovers). */
int  tls_client_key_exchange_parse (TlsReader *r, TlsClientKeyExchange *m, TlsKeyExchange kx);
void tls_client_key_exchange_write (TlsWriter *w, const TlsClientKeyExchange *m);

/* The RSA premaster secret before encryption (RFC 5246, 7.4.7.1):
 *
 *     struct {
 *         ProtocolVersion client_version;
 *         opaque random[46];
 *     } PreMasterSecret;
 *
 * For annotating the 48 bytes in a trace.  Parse returns 0 or
 * decode_error (not 48 bytes); it checks nothing else: the version check
 * and the countermeasure of 7.4.7.1 belong to the server. */
int  tls_pre_master_secret_parse (TlsReader *r, guint16 *client_version, guint8 random[46]);
void tls_pre_master_secret_write (TlsWriter *w, guint16 client_version, const guint8 random[46]);

G_END_DECLS
