/* tls-rng.c — seeded or system randomness. */
#include "tls-rng.h"

#include <nettle/sha2.h>
#include <string.h>
#include <sys/random.h>
#include <errno.h>

struct _TlsRng
{
  gboolean seeded;
  guint8   key[SHA256_DIGEST_SIZE];
  guint64  counter;
  guint8   block[SHA256_DIGEST_SIZE];
  gsize    used;   /* bytes of block already handed out */
};

TlsRng *
tls_rng_new_seeded (guint64 seed, const char *stream)
{
  TlsRng *rng = g_new0 (TlsRng, 1);
  struct sha256_ctx ctx;
  guint8 s[8];

  for (int i = 0; i < 8; i++)
    s[i] = (guint8) (seed >> (56 - 8 * i));
  sha256_init (&ctx);
  sha256_update (&ctx, 8, s);
  if (stream != NULL)
    sha256_update (&ctx, strlen (stream), (const guint8 *) stream);
  sha256_digest (&ctx, sizeof rng->key, rng->key);
  rng->seeded = TRUE;
  rng->used = sizeof rng->block;
  return rng;
}

TlsRng *
tls_rng_new_system (void)
{
  TlsRng *rng = g_new0 (TlsRng, 1);
  rng->seeded = FALSE;
  return rng;
}

void
tls_rng_free (TlsRng *rng)
{
  if (rng == NULL)
    return;
  memset (rng, 0, sizeof *rng);
  g_free (rng);
}

gboolean
tls_rng_is_seeded (const TlsRng *rng)
{
  return rng->seeded;
}

static void
refill (TlsRng *rng)
{
  struct sha256_ctx ctx;
  guint8 c[8];

  for (int i = 0; i < 8; i++)
    c[i] = (guint8) (rng->counter >> (56 - 8 * i));
  rng->counter++;
  sha256_init (&ctx);
  sha256_update (&ctx, sizeof rng->key, rng->key);
  sha256_update (&ctx, 8, c);
  sha256_digest (&ctx, sizeof rng->block, rng->block);
  rng->used = 0;
}

void
tls_rng_bytes (TlsRng *rng, guint8 *out, gsize len)
{
  if (!rng->seeded)
    {
      gsize done = 0;
      while (done < len)
        {
          ssize_t n = getrandom (out + done, len - done, 0);
          if (n < 0)
            {
              if (errno == EINTR)
                continue;
              g_error ("getrandom failed: %s", g_strerror (errno));
            }
          done += (gsize) n;
        }
      return;
    }
  while (len > 0)
    {
      gsize n;
      if (rng->used == sizeof rng->block)
        refill (rng);
      n = MIN (len, sizeof rng->block - rng->used);
      memcpy (out, rng->block + rng->used, n);
      rng->used += n;
      out += n;
      len -= n;
    }
}

void
tls_rng_nettle (void *rng, size_t len, guint8 *out)
{
  tls_rng_bytes (rng, out, len);
}
