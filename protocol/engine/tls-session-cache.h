/* tls-session-cache.h — sessions and the server's bounded session cache.
 *
 * RFC 5246, 7.4.1.2 and F.1.4: a server may keep the state of a session
 * (its master secret, suite, version) under a session ID so a client can
 * resume it with an abbreviated handshake.  The cache is bounded in size and
 * each entry has a lifetime ("an upper limit of 24 hours is suggested"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint8   id[32];
  guint8   id_len;
  guint16  version;
  guint16  suite;
  guint8   master[48];
  gboolean extended_master_secret;
  gint64   created;        /* unix seconds, from the endpoint's clock */
  char    *server_name;    /* SNI the session was made for, or NULL */
  GBytes  *ticket;         /* RFC 5077 ticket (client side), or NULL */
  guint32  ticket_lifetime;
  /* TLS 1.3 (RFC 8446, 4.6.1): master holds the ticket's PSK (Hash.length
   * bytes), created is when the ticket was received (client) or issued
   * (server) */
  guint32  ticket_age_add;
  int      psk_step;       /* client: the step that derived the PSK, or -1 */
  guint    psk_connection; /* ... in this connection of the trace */
  guint32  max_early_data; /* client: the ticket's early_data extension (RFC
                              8446, 4.6.1), 0: no 0-RTT with this ticket */
} TlsSession;

TlsSession *tls_session_new   (void);
TlsSession *tls_session_copy  (const TlsSession *s);
void        tls_session_free  (TlsSession *s);

typedef enum
{
  TLS_CACHE_HIT,
  TLS_CACHE_MISS,
  TLS_CACHE_EXPIRED,
} TlsCacheLookup;

typedef struct _TlsSessionCache TlsSessionCache;

TlsSessionCache *tls_session_cache_new      (guint capacity, gint64 lifetime_seconds);
void             tls_session_cache_free     (TlsSessionCache *cache);
/* Stores a copy; the oldest entry goes when the cache is full. */
void             tls_session_cache_store    (TlsSessionCache *cache, const TlsSession *s);
/* Looks ID up at time NOW; an expired entry is removed.  *out (may be NULL)
 * points into the cache and stays valid until the next store or remove. */
TlsCacheLookup   tls_session_cache_lookup   (TlsSessionCache *cache, const guint8 *id,
                                             gsize id_len, gint64 now, const TlsSession **out);
void             tls_session_cache_remove   (TlsSessionCache *cache, const guint8 *id, gsize id_len);
guint            tls_session_cache_len      (const TlsSessionCache *cache);
guint            tls_session_cache_capacity (const TlsSessionCache *cache);
gint64           tls_session_cache_lifetime (const TlsSessionCache *cache);
/* Entries, oldest first, for showing the cache. */
const TlsSession *tls_session_cache_nth     (const TlsSessionCache *cache, guint i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsSession, tls_session_free)

G_END_DECLS
