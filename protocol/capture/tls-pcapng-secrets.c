/* tls-pcapng-secrets.c — Decryption Secrets Blocks (tls-pcapng-secrets.h). */
#include "tls-pcapng-secrets.h"

#define BOM_MAGIC 0x1A2B3C4Du

static guint32
get32 (const guint8 *p, gboolean big)
{
  return big ? (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3]
             : (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

gboolean
tls_pcapng_is_pcapng (const guint8 *data, gsize len)
{
  /* The block type 0x0A0D0D0A reads the same in both byte orders. */
  return len >= 12 && get32 (data, TRUE) == TLS_PCAPNG_BLOCK_SHB;
}

GPtrArray *
tls_pcapng_read_secrets (const guint8 *data, gsize len)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize off = 0;
  gboolean big = FALSE;

  while (off + 12 <= len)
    {
      guint32 type, total, total_end;

      if (get32 (data + off, TRUE) == TLS_PCAPNG_BLOCK_SHB)
        {
          /* A new section: its byte-order magic follows the length. */
          if (get32 (data + off + 8, TRUE) == BOM_MAGIC)
            big = TRUE;
          else if (get32 (data + off + 8, FALSE) == BOM_MAGIC)
            big = FALSE;
          else
            break;
        }
      type = get32 (data + off, big);
      total = get32 (data + off + 4, big);
      /* Every block is at least 12 bytes, a multiple of 4, inside the file,
       * and repeats its length at its end. */
      if (total < 12 || total % 4 != 0 || total > len - off)
        break;
      total_end = get32 (data + off + total - 4, big);
      if (total_end != total)
        break;
      if (type == TLS_PCAPNG_BLOCK_DSB && total >= 20)
        {
          guint32 stype = get32 (data + off + 8, big);
          guint32 slen = get32 (data + off + 12, big);

          if (slen <= total - 20 && stype == TLS_PCAPNG_SECRETS_TLSK)
            g_ptr_array_add (out, g_bytes_new (data + off + 16, slen));
        }
      off += total;
    }
  return out;
}
