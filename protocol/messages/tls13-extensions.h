/* tls13-extensions.h — the extensions TLS 1.3 adds (RFC 8446, 4.2), built
 * into and read from the one extension list of tls-extensions.h.  Their
 * structs, and the decoders that check and annotate them, are in
 * tls13-extension-data.h. */
#pragma once

#include <glib.h>
#include "tls-bytes.h"
#include "tls-extensions.h"
#include "tls13-extension-data.h"

G_BEGIN_DECLS
/* ---- Builders ---------------------------------------------------------- */

void tls13_extensions_add_supported_versions (TlsExtensions *e, const guint16 *versions, guint n);
void tls13_extensions_add_selected_version   (TlsExtensions *e, guint16 version);
void tls13_extensions_add_key_share_client   (TlsExtensions *e, const Tls13KeyShareEntry *shares, guint n);
void tls13_extensions_add_key_share_server   (TlsExtensions *e, guint16 group, GBytes *key_exchange);
void tls13_extensions_add_key_share_hrr      (TlsExtensions *e, guint16 selected_group);
void tls13_extensions_add_psk_modes          (TlsExtensions *e, const guint8 *modes, guint n);
void tls13_extensions_add_cookie             (TlsExtensions *e, GBytes *cookie);
/* ClientHello and EncryptedExtensions: empty. */
void tls13_extensions_add_early_data         (TlsExtensions *e);
/* NewSessionTicket: max_early_data_size. */
void tls13_extensions_add_early_data_max     (TlsExtensions *e, guint32 max_early_data_size);
/* ClientHello: OfferedPsks (it must be the last extension, 4.2.11: add it
 * last).  BINDERS holds one GBytes per identity. */
void tls13_extensions_add_offered_psks       (TlsExtensions *e, const Tls13OfferedPsks *psks);
void tls13_extensions_add_selected_identity  (TlsExtensions *e, guint16 selected_identity);

/* ---- Accessors: absent or malformed gives NULL / FALSE ---------------- */

GArray  *tls13_extensions_get_supported_versions (const TlsExtensions *e);  /* of guint16 */
gboolean tls13_extensions_get_selected_version   (const TlsExtensions *e, guint16 *version);
/* ClientHello: of Tls13KeyShareEntry (the array frees the keys). */
GArray  *tls13_extensions_get_key_shares         (const TlsExtensions *e);
/* ServerHello: the server_share (*KEY_EXCHANGE a new reference). */
gboolean tls13_extensions_get_server_key_share   (const TlsExtensions *e, guint16 *group,
                                                  GBytes **key_exchange);
/* HelloRetryRequest: the selected_group. */
gboolean tls13_extensions_get_hrr_group          (const TlsExtensions *e, guint16 *group);
GBytes  *tls13_extensions_get_psk_modes          (const TlsExtensions *e);  /* one byte each */
GBytes  *tls13_extensions_get_cookie             (const TlsExtensions *e);
gboolean tls13_extensions_get_early_data_max     (const TlsExtensions *e, guint32 *max);
gboolean tls13_extensions_get_offered_psks       (const TlsExtensions *e, Tls13OfferedPsks *out);
gboolean tls13_extensions_get_selected_identity  (const TlsExtensions *e, guint16 *selected);

void     tls13_offered_psks_init  (Tls13OfferedPsks *p);
void     tls13_offered_psks_clear (Tls13OfferedPsks *p);

/* The length of Truncate(ClientHello) (RFC 8446, 4.2.11.2): the ClientHello
 * MSG (handshake header included) without the binders list at its end,
 * which is where the pre_shared_key extension puts it, as it must be the
 * last extension.  FALSE when MSG does not end with a well-formed binders
 * list after a pre_shared_key extension. */
gboolean tls13_client_hello_truncated_len (const guint8 *msg, gsize len, gsize *truncated);

/* The random of a HelloRetryRequest, SHA-256("HelloRetryRequest") (RFC 8446,
 * 4.1.3): a message of type server_hello with this random is a
 * HelloRetryRequest (4.1.4). */
extern const guint8 tls13_hello_retry_random[32];
gboolean tls13_random_is_hrr (const guint8 random[32]);
/* The field "random" under ROOT (a HelloRetryRequest's field tree) and
 * its parts described as the constant they are, not as a time and random
 * bytes. */
void     tls13_describe_hrr_random (TlsField *root);

G_END_DECLS
