/* tls-keylog.h — an NSS key log (SSLKEYLOGFILE), read.
 *
 * One line a secret, "LABEL <space> HEX <space> HEX"; '#' starts a comment.
 * For TLS 1.0-1.2 two labels matter (NSS Key Log Format):
 *   CLIENT_RANDOM <ClientHello.random, 64 hex> <master secret, 96 hex>
 *   RSA <first 8 bytes of the encrypted premaster, 16 hex> <premaster, 96 hex>
 * For TLS 1.3 (NSS Key Log Format; RFC 8446, 7.1 names the secrets) one
 * line a traffic secret, 64 or 96 hex digits (Hash.length 32 or 48):
 *   CLIENT_EARLY_TRAFFIC_SECRET      client_early_traffic_secret
 *   CLIENT_HANDSHAKE_TRAFFIC_SECRET  client_handshake_traffic_secret
 *   SERVER_HANDSHAKE_TRAFFIC_SECRET  server_handshake_traffic_secret
 *   CLIENT_TRAFFIC_SECRET_0          client_application_traffic_secret_0
 *   SERVER_TRAFFIC_SECRET_0          server_application_traffic_secret_0
 *   EARLY_EXPORTER_SECRET            early_exporter_master_secret
 *   EXPORTER_SECRET                  exporter_master_secret
 * each followed by the ClientHello.random and the secret.  Malformed
 * lines and other labels are counted and skipped. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TlsKeylog TlsKeylog;

TlsKeylog *tls_keylog_new     (void);
void       tls_keylog_free    (TlsKeylog *log);
/* Adds the lines of TEXT (LEN bytes).  Returns how many were used. */
guint      tls_keylog_add     (TlsKeylog *log, const char *text, gsize len);
guint      tls_keylog_skipped (const TlsKeylog *log);   /* lines not used */
guint      tls_keylog_size    (const TlsKeylog *log);   /* secrets held */
/* The master secret of the connection whose ClientHello.random is RANDOM. */
gboolean   tls_keylog_master  (const TlsKeylog *log, const guint8 random[32],
                               guint8 master[48]);
/* The premaster secret of an RSA key exchange whose encrypted premaster
 * starts with the 8 bytes ENC8. */
gboolean   tls_keylog_rsa_premaster (const TlsKeylog *log, const guint8 enc8[8],
                                     guint8 premaster[48]);

/* The TLS 1.3 secret LABEL (one of the labels above) of the connection
 * whose ClientHello.random is RANDOM: copied to OUT (48 bytes of room),
 * its length (32 or 48) in *LEN. */
gboolean   tls_keylog_tls13_secret (const TlsKeylog *log, const char *label,
                                    const guint8 random[32], guint8 out[48], gsize *len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsKeylog, tls_keylog_free)

G_END_DECLS
