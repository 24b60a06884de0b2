/* tls-ticket.c — session tickets in the format of RFC 5077, 4. */
#include "tls-ticket.h"
#include "tls-handshake.h"
#include "tls-record.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/memops.h>
#include <string.h>

#define AES_KEY_LEN  16
#define HMAC_KEY_LEN 32

struct _TlsTicketKeys
{
  guint8 name[TLS_TICKET_KEY_NAME_LEN];
  guint8 aes_key[AES_KEY_LEN];
  guint8 hmac_key[HMAC_KEY_LEN];
};

const char *
tls_ticket_status_name (int status)
{
  switch (status)
    {
    case TLS_TICKET_OK: return "ok";
    case TLS_TICKET_MALFORMED: return "malformed";
    case TLS_TICKET_UNKNOWN_KEY: return "unknown key name";
    case TLS_TICKET_BAD_MAC: return "MAC mismatch";
    case TLS_TICKET_EXPIRED: return "expired";
    default: return "unknown";
    }
}

TlsTicketKeys *
tls_ticket_keys_new (TlsRng *rng)
{
  TlsTicketKeys *keys = g_new0 (TlsTicketKeys, 1);

  /* RFC 5077, 4: "key_name serves to identify a particular set of keys
   * used to protect the ticket". */
  tls_rng_bytes (rng, keys->name, sizeof keys->name);
  tls_rng_bytes (rng, keys->aes_key, sizeof keys->aes_key);
  tls_rng_bytes (rng, keys->hmac_key, sizeof keys->hmac_key);
  return keys;
}

void
tls_ticket_keys_free (TlsTicketKeys *keys)
{
  if (keys == NULL)
    return;
  memset (keys, 0, sizeof *keys);
  g_free (keys);
}

const guint8 *
tls_ticket_keys_name (const TlsTicketKeys *keys)
{
  return keys->name;
}

/* ------------------------------------------------------------------ */
/* The ticket structure                                                */

typedef struct
{
  const guint8 *key_name;
  const guint8 *iv;
  GBytes       *encrypted_state;
  const guint8 *mac;
  gsize         mac_offset;   /* the MAC covers ticket[0 .. mac_offset) */
} TicketParts;

/*  struct {
 *      opaque key_name[16];
 *      opaque iv[16];
 *      opaque encrypted_state<0..2^16-1>;
 *      opaque mac[32];
 *  } ticket;                                            (RFC 5077, 4) */
static gboolean
parse_ticket (TlsReader *r, TicketParts *t)
{
  memset (t, 0, sizeof *t);
  if (tls_read_bytes (r, TLS_TICKET_KEY_NAME_LEN, "key_name", &t->key_name))
    tls_reader_describe (r, _("Which of the server's ticket keys protected this ticket; "
                              "the server looks its keys up by this name (RFC 5077, 4)."));
  if (tls_read_bytes (r, TLS_TICKET_IV_LEN, "iv", &t->iv))
    tls_reader_describe (r, _("The initialisation vector for AES-128-CBC, fresh for each ticket."));
  if (tls_handshake_read_opaque (r, 2, 0, 0xffff, "encrypted_state", &t->encrypted_state))
    tls_reader_describe (r, _("The session state (version, cipher suite, master secret, "
                              "when it began, server name), encrypted with the server's "
                              "AES key: the client keeps it but cannot read it."));
  t->mac_offset = r->pos;
  if (tls_read_bytes (r, TLS_TICKET_MAC_LEN, "mac", &t->mac))
    tls_reader_describe (r, _("HMAC-SHA-256 under the server's MAC key over key_name, iv "
                              "and encrypted_state with its length: any change to the "
                              "ticket shows here."));
  return tls_reader_done (r);
}

static void
ticket_parts_clear (TicketParts *t)
{
  g_clear_pointer (&t->encrypted_state, g_bytes_unref);
}

void
tls_ticket_annotate (TlsField *parent, gsize offset, const guint8 *ticket, gsize len)
{
  TicketParts t;
  TlsReader r;

  if (parent == NULL)
    return;
  tls_reader_init (&r, ticket, len, parent);
  r.base = offset;
  parse_ticket (&r, &t);
  ticket_parts_clear (&t);
}

/* ------------------------------------------------------------------ */
/* Sealing                                                             */

static void
write_state (TlsWriter *w, const TlsSession *s)
{
  gsize sni_len = s->server_name ? strlen (s->server_name) : 0;

  tls_write_u16 (w, "protocol_version", s->version);
  tls_write_u16 (w, "cipher_suite", s->suite);
  tls_write_u8 (w, "compression_method", 0);
  tls_write_bytes (w, "master_secret", s->master, TLS_MASTER_SECRET_LEN);
  tls_write_u8 (w, "extended_master_secret", s->extended_master_secret ? 1 : 0);
  tls_write_u32 (w, "timestamp", (guint32) CLAMP (s->created, 0, G_MAXUINT32));
  tls_write_vector (w, 2, "server_name",
                    (const guint8 *) (s->server_name ? s->server_name : ""),
                    MIN (sni_len, 0xffff));
  if (s->version == TLS_VERSION_1_3)
    tls_write_u32 (w, "ticket_age_add", s->ticket_age_add);
}

static void
mac_compute (const TlsTicketKeys *keys, const guint8 *data, gsize len,
             guint8 mac[TLS_TICKET_MAC_LEN])
{
  tls_mac_compute (TLS_MAC_SHA256, keys->hmac_key, HMAC_KEY_LEN, data, len, mac);
}

GBytes *
tls_ticket_seal (const TlsTicketKeys *keys, const TlsSession *s, TlsRng *rng)
{
  g_autoptr (GBytes) plain = NULL;
  struct aes128_ctx aes;
  TlsWriter w;
  guint8 iv[TLS_TICKET_IV_LEN], chain[TLS_TICKET_IV_LEN];
  guint8 mac[TLS_TICKET_MAC_LEN];
  guint8 *padded, *enc;
  gsize plen, n, pad;
  GByteArray *out;
  guint8 len16[2];

  tls_writer_init (&w, NULL);
  write_state (&w, s);
  plain = tls_writer_steal (&w);
  plen = g_bytes_get_size (plain);

  /* PKCS#7: 1 to 16 bytes, each holding the count. */
  pad = AES_BLOCK_SIZE - plen % AES_BLOCK_SIZE;
  n = plen + pad;
  g_return_val_if_fail (n <= 0xffff, NULL);
  padded = g_malloc (n);
  memcpy (padded, g_bytes_get_data (plain, NULL), plen);
  memset (padded + plen, (int) pad, pad);

  tls_rng_bytes (rng, iv, sizeof iv);
  memcpy (chain, iv, sizeof iv);
  enc = g_malloc (n);
  aes128_set_encrypt_key (&aes, keys->aes_key);
  cbc_encrypt (&aes, (nettle_cipher_func *) aes128_encrypt, AES_BLOCK_SIZE, chain, n,
               enc, padded);
  memset (padded, 0, n);
  g_free (padded);

  out = g_byte_array_sized_new (TLS_TICKET_OVERHEAD + n);
  g_byte_array_append (out, keys->name, sizeof keys->name);
  g_byte_array_append (out, iv, sizeof iv);
  len16[0] = (guint8) (n >> 8);
  len16[1] = (guint8) n;
  g_byte_array_append (out, len16, 2);
  g_byte_array_append (out, enc, n);
  g_free (enc);
  mac_compute (keys, out->data, out->len, mac);
  g_byte_array_append (out, mac, sizeof mac);
  return g_byte_array_free_to_bytes (out);
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

static int
refuse (char **reason, int status, const char *format, ...) G_GNUC_PRINTF (3, 4);

static int
refuse (char **reason, int status, const char *format, ...)
{
  va_list ap;

  if (reason != NULL)
    {
      va_start (ap, format);
      *reason = g_strdup_vprintf (format, ap);
      va_end (ap);
    }
  return status;
}

/* StatePlaintext (see the header) into a new session, or NULL. */
static TlsSession *
read_state (const guint8 *data, gsize len)
{
  g_autoptr (TlsSession) s = tls_session_new ();
  g_autoptr (GBytes) sni = NULL;
  const guint8 *master = NULL;
  guint8 compression = 0, ems = 0;
  guint32 timestamp = 0;
  TlsReader r;

  tls_reader_init (&r, data, len, NULL);
  tls_read_u16 (&r, NULL, &s->version);
  tls_read_u16 (&r, NULL, &s->suite);
  tls_read_u8 (&r, NULL, &compression);
  tls_read_bytes (&r, TLS_MASTER_SECRET_LEN, NULL, &master);
  tls_read_u8 (&r, NULL, &ems);
  tls_read_u32 (&r, NULL, &timestamp);
  tls_handshake_read_opaque (&r, 2, 0, 0xffff, NULL, &sni);
  if (s->version == TLS_VERSION_1_3)
    tls_read_u32 (&r, NULL, &s->ticket_age_add);
  if (!tls_reader_done (&r) || compression != 0 || ems > 1)
    return NULL;
  memcpy (s->master, master, TLS_MASTER_SECRET_LEN);
  s->extended_master_secret = ems == 1;
  s->created = timestamp;
  if (g_bytes_get_size (sni) > 0)
    {
      gsize n;
      const char *p = g_bytes_get_data (sni, &n);

      if (memchr (p, 0, n) != NULL || !g_utf8_validate (p, n, NULL))
        return NULL;
      s->server_name = g_strndup (p, n);
    }
  return g_steal_pointer (&s);
}

int
tls_ticket_open (const TlsTicketKeys *keys, const guint8 *ticket, gsize len, gint64 now,
                 guint32 lifetime, TlsSession **out, char **reason)
{
  g_autoptr (TlsSession) s = NULL;
  struct aes128_ctx aes;
  guint8 mac[TLS_TICKET_MAC_LEN], chain[TLS_TICKET_IV_LEN];
  const guint8 *enc;
  guint8 *plain;
  gsize n, pad;
  TicketParts t;
  TlsReader r;
  gboolean pad_ok;

  *out = NULL;
  if (reason != NULL)
    *reason = NULL;

  tls_reader_init (&r, ticket, len, NULL);
  if (!parse_ticket (&r, &t))
    {
      ticket_parts_clear (&t);
      return refuse (reason, TLS_TICKET_MALFORMED,
                     _("the ticket (%lu bytes) is not in our format: "
                       "key_name[16], iv[16], encrypted_state<0..2^16-1>, mac[32]"),
                     (unsigned long) len);
    }

  /* Key names are public: a plain comparison is fine. */
  if (memcmp (t.key_name, keys->name, TLS_TICKET_KEY_NAME_LEN) != 0)
    {
      g_autofree char *theirs = tls_hex (t.key_name, TLS_TICKET_KEY_NAME_LEN);
      g_autofree char *ours = tls_hex (keys->name, TLS_TICKET_KEY_NAME_LEN);
      ticket_parts_clear (&t);
      return refuse (reason, TLS_TICKET_UNKNOWN_KEY,
                     _("the ticket's key_name %s is not our key's (%s): it was made with "
                       "another key, by another server or before a key change"),
                     theirs, ours);
    }

  /* RFC 5077, 4: the MAC covers key_name, iv, and encrypted_state with
   * its two-byte length: every byte before the MAC.  Compare without
   * stopping at the first difference. */
  mac_compute (keys, ticket, t.mac_offset, mac);
  if (!memeql_sec (mac, t.mac, TLS_TICKET_MAC_LEN))
    {
      ticket_parts_clear (&t);
      return refuse (reason, TLS_TICKET_BAD_MAC,
                     _("the ticket's MAC does not verify: it was changed after the server "
                       "made it, or forged"));
    }

  enc = g_bytes_get_data (t.encrypted_state, &n);
  if (n == 0 || n % AES_BLOCK_SIZE != 0)
    {
      ticket_parts_clear (&t);
      return refuse (reason, TLS_TICKET_MALFORMED,
                     _("encrypted_state has %lu bytes, not a whole number "
                       "of AES blocks"), (unsigned long) n);
    }
  plain = g_malloc (n);
  memcpy (chain, t.iv, TLS_TICKET_IV_LEN);
  aes128_set_decrypt_key (&aes, keys->aes_key);
  cbc_decrypt (&aes, (nettle_cipher_func *) aes128_decrypt, AES_BLOCK_SIZE, chain, n,
               plain, enc);
  ticket_parts_clear (&t);

  /* The MAC has verified, so the padding is ours: no oracle to avoid. */
  pad = plain[n - 1];
  pad_ok = pad >= 1 && pad <= AES_BLOCK_SIZE;
  for (gsize i = 0; pad_ok && i < pad; i++)
    pad_ok = plain[n - 1 - i] == pad;
  s = pad_ok ? read_state (plain, n - pad) : NULL;
  memset (plain, 0, n);
  g_free (plain);
  if (s == NULL)
    return refuse (reason, TLS_TICKET_MALFORMED,
                   _("the ticket decrypts, but not to a session state we can read"));

  if (now < s->created)
    return refuse (reason, TLS_TICKET_EXPIRED,
                   _("the ticket says its session began at %lld, after now (%lld)"),
                   (long long) s->created, (long long) now);
  if (lifetime != 0 && now - s->created > (gint64) lifetime)
    return refuse (reason, TLS_TICKET_EXPIRED,
                   _("the session is %lld s old, more than the ticket "
                     "lifetime of %u s"), (long long) (now - s->created), lifetime);

  *out = g_steal_pointer (&s);
  return TLS_TICKET_OK;
}
