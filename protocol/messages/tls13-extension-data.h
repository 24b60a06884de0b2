/* tls13-extension-data.h — the extension_data of the extensions TLS 1.3
 * adds (RFC 8446, 4.2):
 *
 *   pre_shared_key          41  RFC 8446, 4.2.11
 *   early_data              42  RFC 8446, 4.2.10
 *   supported_versions      43  RFC 8446, 4.2.1
 *   cookie                  44  RFC 8446, 4.2.2
 *   psk_key_exchange_modes  45  RFC 8446, 4.2.9
 *   key_share               51  RFC 8446, 4.2.8
 *
 * tls_extensions_parse hands these types to tls13_extension_decode, which
 * checks their syntax (decode_error) and annotates their fields, each
 * decoder reading the layout of MSG_TYPE (the HandshakeType that carries
 * the extension: the RFC's "select (Handshake.msg_type)").  The builders
 * and accessors of a TlsExtensions list are in tls13-extensions.h.
 *
 *     struct {
 *         select (Handshake.msg_type) {
 *             case client_hello:
 *                  ProtocolVersion versions<2..254>;
 *             case server_hello: // and HelloRetryRequest
 *                  ProtocolVersion selected_version;
 *         };
 *     } SupportedVersions;
 *
 *     struct { opaque cookie<1..2^16-1>; } Cookie;
 *
 *     struct {
 *         NamedGroup group;
 *         opaque key_exchange<1..2^16-1>;
 *     } KeyShareEntry;
 *     struct { KeyShareEntry client_shares<0..2^16-1>; } KeyShareClientHello;
 *     struct { NamedGroup selected_group; } KeyShareHelloRetryRequest;
 *     struct { KeyShareEntry server_share; } KeyShareServerHello;
 *
 *     enum { psk_ke(0), psk_dhe_ke(1), (255) } PskKeyExchangeMode;
 *     struct { PskKeyExchangeMode ke_modes<1..255>; } PskKeyExchangeModes;
 *
 *     struct {} Empty;
 *     struct {
 *         select (Handshake.msg_type) {
 *             case new_session_ticket:   uint32 max_early_data_size;
 *             case client_hello:         Empty;
 *             case encrypted_extensions: Empty;
 *         };
 *     } EarlyDataIndication;
 *
 *     struct {
 *         opaque identity<1..2^16-1>;
 *         uint32 obfuscated_ticket_age;
 *     } PskIdentity;
 *     opaque PskBinderEntry<32..255>;
 *     struct {
 *         PskIdentity identities<7..2^16-1>;
 *         PskBinderEntry binders<33..2^16-1>;
 *     } OfferedPsks;
 *     struct {
 *         select (Handshake.msg_type) {
 *             case client_hello: OfferedPsks;
 *             case server_hello: uint16 selected_identity;
 *         };
 *     } PreSharedKeyExtension;
 */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

#define TLS13_EXT_PRE_SHARED_KEY         41
#define TLS13_EXT_EARLY_DATA             42
#define TLS13_EXT_SUPPORTED_VERSIONS     43
#define TLS13_EXT_COOKIE                 44
#define TLS13_EXT_PSK_KEY_EXCHANGE_MODES 45
#define TLS13_EXT_KEY_SHARE              51

#define TLS13_PSK_KE     0
#define TLS13_PSK_DHE_KE 1

typedef struct
{
  guint16  group;
  GBytes  *key_exchange;
} Tls13KeyShareEntry;

typedef struct
{
  GBytes  *identity;
  guint32  obfuscated_ticket_age;
} Tls13PskIdentity;

typedef struct
{
  GArray    *identities;   /* of Tls13PskIdentity */
  GPtrArray *binders;      /* of GBytes* */
} Tls13OfferedPsks;

/* Checks and annotates the extension_data of a TLS 1.3 extension TYPE in
 * R, as it is in a message of MSG_TYPE; FALSE (R untouched) when TYPE is
 * not one of the types above.  Errors are R's (decode_error). */
gboolean    tls13_extension_decode (TlsReader *r, guint16 type, guint8 msg_type);
/* A one-line description of TYPE, or NULL when it is not one of them. */
const char *tls13_extension_desc   (guint16 type);

/* The decoders, each with optional outputs (NULL: annotate only). */
void tls13_decode_supported_versions (TlsReader *r, guint8 msg_type, GArray *out_list,
                                      guint16 *out_selected);
void tls13_decode_cookie             (TlsReader *r, GBytes **out);
/* ClientHello: appends Tls13KeyShareEntry to OUT_CLIENT; ServerHello:
 * fills OUT_SERVER, or for a HelloRetryRequest (two bytes) OUT_HRR. */
void tls13_decode_key_share          (TlsReader *r, guint8 msg_type, GArray *out_client,
                                      Tls13KeyShareEntry *out_server, guint16 *out_hrr);
void tls13_decode_psk_modes          (TlsReader *r, GByteArray *out);
void tls13_decode_early_data         (TlsReader *r, guint8 msg_type, guint32 *out_max);
/* OUT's arrays must exist (tls13_offered_psks_init). */
void tls13_decode_pre_shared_key     (TlsReader *r, guint8 msg_type, Tls13OfferedPsks *out,
                                      guint16 *out_selected);
void tls13_key_share_entry_clear     (gpointer entry);

/* The NamedGroup names of RFC 8446, 4.2.7 ("x25519"); "not a TLS 1.3
 * group" for the others. */
const char *tls13_named_group_name (guint16 group);
/* "psk_ke", "psk_dhe_ke" or "unknown" (RFC 8446, 4.2.9). */
const char *tls13_psk_mode_name    (guint8 mode);

G_END_DECLS
