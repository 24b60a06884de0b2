/* tls-keylog.h — an NSS key log (SSLKEYLOGFILE), read.
 *
 * One line a secret, "LABEL <space> HEX <space> HEX"; '#' starts a comment.
 * For TLS 1.0-1.2 two labels matter (NSS Key Log Format):
 *   CLIENT_RANDOM <ClientHello.random, 64 hex> <master secret, 96 hex>
 *   RSA <first 8 bytes of the encrypted premaster, 16 hex> <premaster, 96 hex>
 * TLS 1.3 labels and malformed lines are counted and skipped. */
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsKeylog, tls_keylog_free)

G_END_DECLS
