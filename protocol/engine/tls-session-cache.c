/* tls-session-cache.c — the server's session cache. */
#include "tls-session-cache.h"

#include <string.h>

struct _TlsSessionCache
{
  GPtrArray *entries;    /* of TlsSession*, oldest first */
  guint      capacity;
  gint64     lifetime;
  GMutex     lock;       /* serve handles several clients at once */
};

TlsSession *
tls_session_new (void)
{
  TlsSession *s = g_new0 (TlsSession, 1);

  s->psk_step = -1;
  return s;
}

TlsSession *
tls_session_copy (const TlsSession *s)
{
  TlsSession *c = g_new (TlsSession, 1);

  *c = *s;
  c->server_name = g_strdup (s->server_name);
  c->ticket = s->ticket ? g_bytes_ref (s->ticket) : NULL;
  return c;
}

void
tls_session_free (TlsSession *s)
{
  if (s == NULL)
    return;
  g_free (s->server_name);
  g_clear_pointer (&s->ticket, g_bytes_unref);
  memset (s, 0, sizeof *s);   /* the master secret does not linger */
  g_free (s);
}

TlsSessionCache *
tls_session_cache_new (guint capacity, gint64 lifetime_seconds)
{
  TlsSessionCache *c = g_new0 (TlsSessionCache, 1);

  c->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_session_free);
  c->capacity = MAX (capacity, 1);
  c->lifetime = lifetime_seconds;
  g_mutex_init (&c->lock);
  return c;
}

void
tls_session_cache_free (TlsSessionCache *cache)
{
  if (cache == NULL)
    return;
  g_ptr_array_unref (cache->entries);
  g_mutex_clear (&cache->lock);
  g_free (cache);
}

static int
find (TlsSessionCache *cache, const guint8 *id, gsize id_len)
{
  for (guint i = 0; i < cache->entries->len; i++)
    {
      TlsSession *s = g_ptr_array_index (cache->entries, i);
      if (s->id_len == id_len && memcmp (s->id, id, id_len) == 0)
        return (int) i;
    }
  return -1;
}

void
tls_session_cache_store (TlsSessionCache *cache, const TlsSession *s)
{
  int i;

  g_return_if_fail (s->id_len > 0);
  g_mutex_lock (&cache->lock);
  i = find (cache, s->id, s->id_len);
  if (i >= 0)
    g_ptr_array_remove_index (cache->entries, i);
  while (cache->entries->len >= cache->capacity)
    g_ptr_array_remove_index (cache->entries, 0);
  g_ptr_array_add (cache->entries, tls_session_copy (s));
  g_mutex_unlock (&cache->lock);
}

TlsCacheLookup
tls_session_cache_lookup (TlsSessionCache *cache, const guint8 *id, gsize id_len,
                          gint64 now, const TlsSession **out)
{
  TlsCacheLookup result = TLS_CACHE_MISS;
  int i;

  if (out)
    *out = NULL;
  g_mutex_lock (&cache->lock);
  i = find (cache, id, id_len);
  if (i >= 0)
    {
      TlsSession *s = g_ptr_array_index (cache->entries, i);
      if (now - s->created > cache->lifetime || now < s->created)
        {
          g_ptr_array_remove_index (cache->entries, i);
          result = TLS_CACHE_EXPIRED;
        }
      else
        {
          if (out)
            *out = s;
          result = TLS_CACHE_HIT;
        }
    }
  g_mutex_unlock (&cache->lock);
  return result;
}

void
tls_session_cache_remove (TlsSessionCache *cache, const guint8 *id, gsize id_len)
{
  int i;

  g_mutex_lock (&cache->lock);
  i = find (cache, id, id_len);
  if (i >= 0)
    g_ptr_array_remove_index (cache->entries, i);
  g_mutex_unlock (&cache->lock);
}

guint  tls_session_cache_len      (const TlsSessionCache *c) { return c->entries->len; }
guint  tls_session_cache_capacity (const TlsSessionCache *c) { return c->capacity; }
gint64 tls_session_cache_lifetime (const TlsSessionCache *c) { return c->lifetime; }

const TlsSession *
tls_session_cache_nth (const TlsSessionCache *cache, guint i)
{
  return i < cache->entries->len ? g_ptr_array_index (cache->entries, i) : NULL;
}
