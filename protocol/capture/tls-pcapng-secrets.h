/* tls-pcapng-secrets.h — the Decryption Secrets Blocks of a pcapng file,
 * read by hand because libpcap skips them.
 *
 * pcapng (draft-ietf-opsawg-pcapng) is a sequence of blocks:
 *
 *     uint32 block_type; uint32 block_total_length; body; uint32 block_total_length
 *
 * in the byte order that the Section Header Block (type 0x0A0D0D0A) gives
 * by its byte-order magic 0x1A2B3C4D.  A Decryption Secrets Block has type
 * 0x0000000A and the body
 *
 *     uint32 secrets_type; uint32 secrets_length;
 *     opaque secrets_data[secrets_length], padded to 32 bits; options
 *
 * with secrets_type 0x544C534B ("TLSK") for an NSS key log.  This reader
 * walks the blocks, checks every length against the block and the file,
 * and hands back the key log texts in file order.  Anything it cannot read
 * ends the walk (the packets are libpcap's business). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TLS_PCAPNG_BLOCK_SHB       0x0A0D0D0Au
#define TLS_PCAPNG_BLOCK_DSB       0x0000000Au
#define TLS_PCAPNG_SECRETS_TLSK    0x544C534Bu

/* TRUE when DATA starts with a pcapng Section Header Block. */
gboolean   tls_pcapng_is_pcapng    (const guint8 *data, gsize len);

/* The TLS key logs of every Decryption Secrets Block, as GBytes* in file
 * order (an empty array when there are none or DATA is not pcapng). */
GPtrArray *tls_pcapng_read_secrets (const guint8 *data, gsize len);

G_END_DECLS
