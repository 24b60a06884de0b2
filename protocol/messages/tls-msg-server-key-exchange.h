/* tls-msg-server-key-exchange.h — ServerKeyExchange (RFC 5246, 7.4.3;
 * RFC 8422, 5.4): a pure codec.  The layout depends on the suite's key
 * exchange and, for the signature, on the version.
 *
 *     struct {
 *         select (KeyExchangeAlgorithm) {
 *             case dh_anon:
 *                 ServerDHParams params;
 *             case dhe_dss:
 *             case dhe_rsa:
 *                 ServerDHParams params;
 *                 digitally-signed struct {
 *                     opaque client_random[32];
 *                     opaque server_random[32];
 *                     ServerDHParams params;
 *                 } signed_params;
 *             case rsa:
 *             case dh_dss:
 *             case dh_rsa:
 *                 struct {} ;
 *                -- message is omitted for rsa, dh_dss, and dh_rsa
 *             case ec_diffie_hellman:                (RFC 8422, 5.4)
 *                 ServerECDHParams params;
 *                 Signature signed_params;
 *         };
 *     } ServerKeyExchange;
 *
 *     struct {
 *         opaque dh_p<1..2^16-1>;
 *         opaque dh_g<1..2^16-1>;
 *         opaque dh_Ys<1..2^16-1>;
 *     } ServerDHParams;     -- Ephemeral DH parameters
 *
 *     struct {
 *         ECParameters curve_params;
 *         ECPoint public;
 *     } ServerECDHParams;
 *
 *     struct {
 *         ECCurveType curve_type;           -- named_curve (3)
 *         select (curve_type) {
 *             case named_curve:
 *                 NamedCurve namedcurve;
 *         };
 *     } ECParameters;
 *
 *     struct { opaque point <1..2^8-1>; } ECPoint;
 *
 * signed_params is a digitally-signed element (tls-digitally-signed.h):
 * algorithm + signature in TLS 1.2, the signature alone in TLS 1.0/1.1.
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-digitally-signed.h"
#include "tls-suites.h"

G_BEGIN_DECLS

#define TLS_EC_CURVE_TYPE_NAMED_CURVE 3

typedef struct
{
  TlsKeyExchange     kx;           /* which layout (set by parse; used by write) */

  /* ServerDHParams: DHE_RSA, DHE_DSS (big-endian unsigned integers) */
  GBytes            *dh_p;
  GBytes            *dh_g;
  GBytes            *dh_Ys;

  /* ServerECDHParams: ECDHE_RSA, ECDHE_ECDSA */
  guint8             curve_type;   /* always TLS_EC_CURVE_TYPE_NAMED_CURVE */
  guint16            namedcurve;   /* NamedGroup, e.g. 29 (x25519) */
  GBytes            *point;        /* ECPoint public */

  TlsDigitallySigned signed_params;
} TlsServerKeyExchange;

void    tls_server_key_exchange_clear (TlsServerKeyExchange *m);
/* Returns 0; unexpected_message when KX has no ServerKeyExchange (RSA,
 * DH_RSA, DH_DSS: "It is not legal to send the server key exchange
 * message for the following key exchange methods", 7.4.3);
 * illegal_parameter for a curve_type other than named_curve; else
 * decode_error for bad lengths or leftovers. */
int     tls_server_key_exchange_parse (TlsReader *r, TlsServerKeyExchange *m,
                                       TlsKeyExchange kx, guint16 version);
/* Writes params and signed_params (whose has_algorithm says the layout). */
void    tls_server_key_exchange_write (TlsWriter *w, const TlsServerKeyExchange *m);

/* The params as on the wire (ServerDHParams or ServerECDHParams), without
 * annotation.  The encoding is canonical, so for a parsed message these
 * are exactly the bytes received. */
GBytes *tls_server_key_exchange_params      (const TlsServerKeyExchange *m);
/* What signed_params signs: client_random + server_random + params. */
GBytes *tls_server_key_exchange_signed_data (const TlsServerKeyExchange *m,
                                             const guint8 client_random[32],
                                             const guint8 server_random[32]);

G_END_DECLS
