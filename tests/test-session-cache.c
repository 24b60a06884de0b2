/* test-session-cache.c — the server's session cache is bounded: however
 * many sessions are stored, it holds at most its capacity, the oldest
 * going first; an entry past its lifetime is removed when looked up
 * (RFC 5246, F.1.4: "an upper limit of 24 hours is suggested").  `serve`
 * relies on the bound for flat memory under load (tests/test-serve-load.sh). */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "tls-session-cache.h"

static TlsSession *
session (guint i, gint64 created)
{
  TlsSession *s = tls_session_new ();

  s->id_len = 32;
  memset (s->id, 0, sizeof s->id);
  s->id[0] = (guint8) (i >> 24);
  s->id[1] = (guint8) (i >> 16);
  s->id[2] = (guint8) (i >> 8);
  s->id[3] = (guint8) i;
  memset (s->master, (int) (i & 0xff), sizeof s->master);
  s->created = created;
  return s;
}

static TlsCacheLookup
lookup (TlsSessionCache *cache, guint i, gint64 now, const TlsSession **out)
{
  g_autoptr (TlsSession) key = session (i, 0);
  return tls_session_cache_lookup (cache, key->id, key->id_len, now, out);
}

static void
test_bounded (void)
{
  TlsSessionCache *cache = tls_session_cache_new (16, 3600);
  const TlsSession *s = NULL;

  g_test_summary ("10000 sessions stored in a cache of 16: it holds 16, the 16 newest; "
                  "the oldest went first");
  for (guint i = 0; i < 10000; i++)
    {
      g_autoptr (TlsSession) one = session (i, 1000);
      tls_session_cache_store (cache, one);
      g_assert_cmpuint (tls_session_cache_len (cache), <=, 16);
    }
  g_assert_cmpuint (tls_session_cache_len (cache), ==, 16);
  g_assert_cmpuint (tls_session_cache_capacity (cache), ==, 16);
  g_assert_cmpint (lookup (cache, 0, 1000, NULL), ==, TLS_CACHE_MISS);
  g_assert_cmpint (lookup (cache, 9983, 1000, NULL), ==, TLS_CACHE_MISS);
  g_assert_cmpint (lookup (cache, 9984, 1000, &s), ==, TLS_CACHE_HIT);
  g_assert_cmpuint (s->master[0], ==, 9984 & 0xff);
  g_assert_cmpint (lookup (cache, 9999, 1000, NULL), ==, TLS_CACHE_HIT);
  /* Oldest first: entry 0 is the oldest kept. */
  g_assert_cmpuint (tls_session_cache_nth (cache, 0)->id[3], ==, 9984 & 0xff);
  tls_session_cache_free (cache);
}

static void
test_same_id (void)
{
  TlsSessionCache *cache = tls_session_cache_new (4, 3600);
  const TlsSession *s = NULL;

  g_test_summary ("A session stored again under its ID replaces the entry: no duplicate");
  for (guint round = 0; round < 100; round++)
    {
      g_autoptr (TlsSession) one = session (7, 1000 + round);
      tls_session_cache_store (cache, one);
    }
  g_assert_cmpuint (tls_session_cache_len (cache), ==, 1);
  g_assert_cmpint (lookup (cache, 7, 1200, &s), ==, TLS_CACHE_HIT);
  g_assert_cmpint (s->created, ==, 1099);
  tls_session_cache_free (cache);
}

static void
test_expired (void)
{
  TlsSessionCache *cache = tls_session_cache_new (4, 3600);
  g_autoptr (TlsSession) one = session (1, 1000);
  g_autoptr (TlsSession) two = session (2, 1000);

  g_test_summary ("An entry looked up past its lifetime is EXPIRED and removed; one from "
                  "the future too");
  tls_session_cache_store (cache, one);
  tls_session_cache_store (cache, two);
  g_assert_cmpint (lookup (cache, 1, 1000 + 3600, NULL), ==, TLS_CACHE_HIT);
  g_assert_cmpint (lookup (cache, 1, 1000 + 3601, NULL), ==, TLS_CACHE_EXPIRED);
  g_assert_cmpint (lookup (cache, 1, 1000, NULL), ==, TLS_CACHE_MISS);
  g_assert_cmpint (lookup (cache, 2, 999, NULL), ==, TLS_CACHE_EXPIRED);
  g_assert_cmpuint (tls_session_cache_len (cache), ==, 0);
  tls_session_cache_free (cache);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session-cache/bounded", test_bounded);
  g_test_add_func ("/session-cache/same-id", test_same_id);
  g_test_add_func ("/session-cache/expired", test_expired);
  return g_test_run ();
}
