/* test-ticket.c — session tickets (tls-ticket, RFC 5077, 4).
 *
 * Round trips; the format checked by decrypting a sealed ticket here with
 * Nettle's AES and HMAC directly (the keys are the 64 bytes
 * tls_ticket_keys_new draws from a seeded RNG, in the documented order);
 * every flipped bit refused; other keys, expired tickets, truncated and
 * malformed tickets refused with the right reason; annotation; the store
 * of single-use tickets (RFC 8446, 8.1): each taken once, bounded, safe
 * from several threads. */
#include "tls-ticket.h"
#include "tls-ticket-store.h"
#include "tls-types.h"

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/hmac.h>
#include <string.h>

#define DATA(b) ((const guint8 *) g_bytes_get_data ((b), NULL))
#define SIZE(b) g_bytes_get_size ((b))

#define T0 1700000000

/* The keys tls_ticket_keys_new (tls_rng_new_seeded (SEED, "ticket"))
 * makes: key_name, AES key, HMAC key. */
typedef struct
{
  guint8 name[16];
  guint8 aes[16];
  guint8 hmac[32];
} RawKeys;

static TlsTicketKeys *
keys_for (guint64 seed, RawKeys *raw)
{
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (seed, "ticket");
  g_autoptr (TlsRng) copy = tls_rng_new_seeded (seed, "ticket");
  TlsTicketKeys *keys = tls_ticket_keys_new (rng);

  if (raw != NULL)
    {
      tls_rng_bytes (copy, raw->name, 16);
      tls_rng_bytes (copy, raw->aes, 16);
      tls_rng_bytes (copy, raw->hmac, 32);
      g_assert_cmpmem (tls_ticket_keys_name (keys), 16, raw->name, 16);
    }
  return keys;
}

static TlsSession *
sample_session (void)
{
  TlsSession *s = tls_session_new ();

  s->version = TLS_VERSION_1_2;
  s->suite = 0xc02f;   /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
  for (guint i = 0; i < 48; i++)
    s->master[i] = (guint8) (0xa0 + i);
  s->extended_master_secret = TRUE;
  s->created = T0;
  s->server_name = g_strdup ("lab.example");
  return s;
}

static void
assert_same_session (const TlsSession *a, const TlsSession *b)
{
  g_assert_cmpuint (a->version, ==, b->version);
  g_assert_cmpuint (a->suite, ==, b->suite);
  g_assert_cmpmem (a->master, 48, b->master, 48);
  g_assert_cmpint (a->extended_master_secret, ==, b->extended_master_secret);
  g_assert_cmpint (a->created, ==, b->created);
  g_assert_cmpstr (a->server_name, ==, b->server_name);
}

static int
open_ticket (const TlsTicketKeys *keys, const guint8 *t, gsize len, gint64 now,
             guint32 lifetime, TlsSession **out)
{
  g_autofree char *reason = NULL;
  TlsSession *s = NULL;
  int rc = tls_ticket_open (keys, t, len, now, lifetime, &s, &reason);

  if (rc == TLS_TICKET_OK)
    {
      g_assert_nonnull (s);
      g_assert_null (reason);
    }
  else
    {
      g_assert_null (s);
      g_assert_nonnull (reason);
    }
  if (out != NULL)
    *out = s;
  else
    tls_session_free (s);
  return rc;
}

/* ------------------------------------------------------------------ */

static void
test_roundtrip (void)
{
  g_autoptr (TlsTicketKeys) keys = keys_for (1, NULL);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (2, "iv");
  g_autoptr (TlsSession) s = sample_session ();
  g_autoptr (TlsSession) s2 = tls_session_new ();
  g_autoptr (GBytes) t1 = NULL;
  g_autoptr (GBytes) t2 = NULL;
  g_autoptr (GBytes) t3 = NULL;
  TlsSession *out = NULL;

  g_test_summary ("A sealed ticket opens to the same session; each ticket has a "
                  "fresh IV; a session without SNI or EMS round-trips too");
  t1 = tls_ticket_seal (keys, s, rng);
  t2 = tls_ticket_seal (keys, s, rng);
  g_assert_false (g_bytes_equal (t1, t2));
  g_assert_cmpint (open_ticket (keys, DATA (t1), SIZE (t1), T0 + 10, 3600, &out), ==, TLS_TICKET_OK);
  assert_same_session (s, out);
  g_assert_cmpuint (out->id_len, ==, 0);
  g_assert_null (out->ticket);
  g_clear_pointer (&out, tls_session_free);
  g_assert_cmpint (open_ticket (keys, DATA (t2), SIZE (t2), T0, 3600, &out), ==, TLS_TICKET_OK);
  assert_same_session (s, out);
  g_clear_pointer (&out, tls_session_free);

  s2->version = TLS_VERSION_1_0;
  s2->suite = 0x002f;
  s2->created = T0 - 5;
  t3 = tls_ticket_seal (keys, s2, rng);
  g_assert_cmpint (open_ticket (keys, DATA (t3), SIZE (t3), T0, 0, &out), ==, TLS_TICKET_OK);
  assert_same_session (s2, out);
  g_assert_null (out->server_name);
  g_assert_false (out->extended_master_secret);
  g_clear_pointer (&out, tls_session_free);
}

/* Decrypts a sealed ticket with Nettle here and checks every byte of the
 * RFC 5077, 4 layout and of our StatePlaintext. */
static void
test_format (void)
{
  RawKeys raw;
  g_autoptr (TlsTicketKeys) keys = keys_for (3, &raw);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (4, "iv");
  g_autoptr (TlsRng) rng_copy = tls_rng_new_seeded (4, "iv");
  g_autoptr (TlsSession) s = sample_session ();
  g_autoptr (GBytes) t = tls_ticket_seal (keys, s, rng);
  const guint8 *p = DATA (t);
  gsize len = SIZE (t), n;
  guint8 iv[16], chain[16], mac[32], plain[128];
  struct hmac_sha256_ctx hmac;
  struct aes128_ctx aes;
  /* 2 + 2 + 1 + 48 + 1 + 4 + 2 + 11 = 71 bytes, padded to 80 */
  static const guint8 head[] = { 0x03, 0x03, 0xc0, 0x2f, 0x00 };

  g_test_summary ("The ticket is key_name || iv || encrypted_state<2> || mac with "
                  "AES-128-CBC and HMAC-SHA-256 as RFC 5077, 4 recommends");
  tls_rng_bytes (rng_copy, iv, 16);
  g_assert_cmpuint (len, ==, TLS_TICKET_OVERHEAD + 80);
  g_assert_cmpmem (p, 16, raw.name, 16);
  g_assert_cmpmem (p + 16, 16, iv, 16);
  n = p[32] << 8 | p[33];
  g_assert_cmpuint (n, ==, 80);

  hmac_sha256_set_key (&hmac, 32, raw.hmac);
  hmac_sha256_update (&hmac, 34 + n, p);
  hmac_sha256_digest (&hmac, 32, mac);
  g_assert_cmpmem (p + 34 + n, 32, mac, 32);

  aes128_set_decrypt_key (&aes, raw.aes);
  memcpy (chain, iv, 16);
  cbc_decrypt (&aes, (nettle_cipher_func *) aes128_decrypt, 16, chain, n, plain, p + 34);
  g_assert_cmpmem (plain, 5, head, 5);
  g_assert_cmpmem (plain + 5, 48, s->master, 48);
  g_assert_cmpuint (plain[53], ==, 1);
  g_assert_cmpuint ((guint32) plain[54] << 24 | plain[55] << 16 | plain[56] << 8 | plain[57],
                    ==, T0);
  g_assert_cmpuint (plain[58] << 8 | plain[59], ==, 11);
  g_assert_cmpmem (plain + 60, 11, "lab.example", 11);
  for (guint i = 71; i < 80; i++)
    g_assert_cmpuint (plain[i], ==, 9);
}

static void
test_tamper (void)
{
  g_autoptr (TlsTicketKeys) keys = keys_for (5, NULL);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (6, "iv");
  g_autoptr (TlsSession) s = sample_session ();
  g_autoptr (GBytes) t = tls_ticket_seal (keys, s, rng);
  g_autofree guint8 *buf = g_memdup2 (DATA (t), SIZE (t));
  gsize len = SIZE (t);
  guint counts[5] = { 0 };

  g_test_summary ("Every single flipped bit is refused: key_name -> unknown key "
                  "name, the length -> malformed, anything else -> MAC mismatch");
  for (gsize i = 0; i < len; i++)
    for (guint bit = 0; bit < 8; bit++)
      {
        int rc;

        buf[i] ^= 1u << bit;
        rc = open_ticket (keys, buf, len, T0, 3600, NULL);
        buf[i] ^= 1u << bit;
        g_assert_cmpint (rc, !=, TLS_TICKET_OK);
        if (i < 16)
          g_assert_cmpint (rc, ==, TLS_TICKET_UNKNOWN_KEY);
        else if (i == 32 || i == 33)
          g_assert_cmpint (rc, ==, TLS_TICKET_MALFORMED);
        else
          g_assert_cmpint (rc, ==, TLS_TICKET_BAD_MAC);
        counts[rc]++;
      }
  g_test_message ("%u unknown key, %u malformed, %u MAC", counts[TLS_TICKET_UNKNOWN_KEY],
                  counts[TLS_TICKET_MALFORMED], counts[TLS_TICKET_BAD_MAC]);
  g_assert_cmpint (open_ticket (keys, buf, len, T0, 3600, NULL), ==, TLS_TICKET_OK);
}

static void
test_other_keys (void)
{
  g_autoptr (TlsTicketKeys) keys = keys_for (7, NULL);
  g_autoptr (TlsTicketKeys) other = keys_for (8, NULL);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (9, "iv");
  g_autoptr (TlsSession) s = sample_session ();
  g_autoptr (GBytes) t = tls_ticket_seal (keys, s, rng);
  g_autofree char *reason = NULL;
  TlsSession *out = NULL;

  g_test_summary ("A ticket made under other keys: unknown key name");
  g_assert_cmpint (tls_ticket_open (other, DATA (t), SIZE (t), T0, 3600, &out, &reason), ==,
                   TLS_TICKET_UNKNOWN_KEY);
  g_assert_null (out);
  g_test_message ("%s", reason);
  g_assert_cmpstr (tls_ticket_status_name (TLS_TICKET_UNKNOWN_KEY), ==, "unknown key name");
}

static void
test_expired (void)
{
  g_autoptr (TlsTicketKeys) keys = keys_for (10, NULL);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (11, "iv");
  g_autoptr (TlsSession) s = sample_session ();
  g_autoptr (GBytes) t = tls_ticket_seal (keys, s, rng);

  g_test_summary ("A ticket older than the lifetime, or from the future, is expired; "
                  "lifetime 0 means no limit");
  g_assert_cmpint (open_ticket (keys, DATA (t), SIZE (t), T0 + 3600, 3600, NULL), ==, TLS_TICKET_OK);
  g_assert_cmpint (open_ticket (keys, DATA (t), SIZE (t), T0 + 3601, 3600, NULL), ==,
                   TLS_TICKET_EXPIRED);
  g_assert_cmpint (open_ticket (keys, DATA (t), SIZE (t), T0 - 1, 3600, NULL), ==,
                   TLS_TICKET_EXPIRED);
  g_assert_cmpint (open_ticket (keys, DATA (t), SIZE (t), T0 + 10 * 365 * 86400, 0, NULL), ==,
                   TLS_TICKET_OK);
  g_assert_cmpstr (tls_ticket_status_name (TLS_TICKET_EXPIRED), ==, "expired");
}

static void
test_truncated (void)
{
  g_autoptr (TlsTicketKeys) keys = keys_for (12, NULL);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (13, "iv");
  g_autoptr (TlsSession) s = sample_session ();
  g_autoptr (GBytes) t = tls_ticket_seal (keys, s, rng);
  g_autofree guint8 *longer = g_malloc0 (SIZE (t) + 1);

  g_test_summary ("Every truncation, and an extra byte, is malformed (never a crash)");
  for (gsize n = 0; n < SIZE (t); n++)
    {
      g_autofree guint8 *copy = g_memdup2 (DATA (t), n);  /* exact size for ASan/valgrind */
      g_assert_cmpint (open_ticket (keys, copy, n, T0, 3600, NULL), ==, TLS_TICKET_MALFORMED);
    }
  memcpy (longer, DATA (t), SIZE (t));
  g_assert_cmpint (open_ticket (keys, longer, SIZE (t) + 1, T0, 3600, NULL), ==,
                   TLS_TICKET_MALFORMED);
  g_assert_cmpint (open_ticket (keys, NULL, 0, T0, 3600, NULL), ==, TLS_TICKET_MALFORMED);
}

/* A ticket with a valid MAC around ENC (already encrypted or not). */
static GBytes *
forge (const RawKeys *raw, const guint8 *plain, gsize n, gboolean encrypt)
{
  GByteArray *a = g_byte_array_new ();
  struct aes128_ctx aes;
  struct hmac_sha256_ctx hmac;
  guint8 iv[16] = { 1, 2, 3 }, chain[16], mac[32], len16[2] = { n >> 8, n & 0xff };
  g_autofree guint8 *enc = g_malloc0 (n + 1);

  if (encrypt && n % 16 == 0)
    {
      aes128_set_encrypt_key (&aes, raw->aes);
      memcpy (chain, iv, 16);
      cbc_encrypt (&aes, (nettle_cipher_func *) aes128_encrypt, 16, chain, n, enc, plain);
    }
  else if (n > 0)
    memcpy (enc, plain, n);
  g_byte_array_append (a, raw->name, 16);
  g_byte_array_append (a, iv, 16);
  g_byte_array_append (a, len16, 2);
  g_byte_array_append (a, enc, n);
  hmac_sha256_set_key (&hmac, 32, raw->hmac);
  hmac_sha256_update (&hmac, a->len, a->data);
  hmac_sha256_digest (&hmac, 32, mac);
  g_byte_array_append (a, mac, 32);
  return g_byte_array_free_to_bytes (a);
}

static void
test_malformed_inside (void)
{
  RawKeys raw;
  g_autoptr (TlsTicketKeys) keys = keys_for (14, &raw);
  guint8 state[96];
  struct {
    const char *what;
    gsize len;
    gboolean encrypt;
    void (*edit) (guint8 *p);
  } cases[] = {
    { "empty encrypted_state", 0, TRUE, NULL },
    { "not whole blocks", 17, FALSE, NULL },
  };

  g_test_summary ("Tickets whose MAC verifies but whose contents are wrong: empty, "
                  "not whole blocks, bad padding, bad state -> malformed");
  memset (state, 0x5a, sizeof state);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) t = forge (&raw, state, cases[i].len, cases[i].encrypt);
      g_test_message ("%s", cases[i].what);
      g_assert_cmpint (open_ticket (keys, DATA (t), SIZE (t), T0, 0, NULL), ==,
                       TLS_TICKET_MALFORMED);
    }

  /* A good state (as in test_format), then broken one way at a time. */
#define GOOD_STATE() G_STMT_START {                                          \
    memset (state, 0, sizeof state);                                          \
    state[0] = 3; state[1] = 3; state[2] = 0xc0; state[3] = 0x2f;             \
    state[53] = 1;                                                            \
    state[54] = (T0 >> 24) & 0xff; state[55] = (T0 >> 16) & 0xff;             \
    state[56] = (T0 >> 8) & 0xff;  state[57] = T0 & 0xff;                     \
    state[58] = 0; state[59] = 4; memcpy (state + 60, "host", 4);             \
    memset (state + 64, 16, 16);  /* 64 bytes of state, one padding block */  \
  } G_STMT_END
#define EXPECT(len, rc) G_STMT_START {                                        \
    g_autoptr (GBytes) t = forge (&raw, state, len, TRUE);                    \
    g_assert_cmpint (open_ticket (keys, DATA (t), SIZE (t), T0, 0, NULL), ==, rc); \
  } G_STMT_END

  GOOD_STATE ();
  EXPECT (80, TLS_TICKET_OK);
  state[79] = 17;                 /* padding longer than a block */
  EXPECT (80, TLS_TICKET_MALFORMED);
  GOOD_STATE ();
  state[79] = 0;                  /* padding of 0 */
  EXPECT (80, TLS_TICKET_MALFORMED);
  GOOD_STATE ();
  state[70] = 15;                 /* padding bytes that disagree */
  EXPECT (80, TLS_TICKET_MALFORMED);
  GOOD_STATE ();
  state[4] = 1;                   /* compression_method deflate */
  EXPECT (80, TLS_TICKET_MALFORMED);
  GOOD_STATE ();
  state[53] = 2;                  /* extended_master_secret neither 0 nor 1 */
  EXPECT (80, TLS_TICKET_MALFORMED);
  GOOD_STATE ();
  state[59] = 5;                  /* server_name longer than what is there */
  EXPECT (80, TLS_TICKET_MALFORMED);
  GOOD_STATE ();
  state[59] = 3;                  /* a byte left over after server_name */
  EXPECT (80, TLS_TICKET_MALFORMED);
  GOOD_STATE ();
  state[61] = 0;                  /* a NUL inside server_name */
  EXPECT (80, TLS_TICKET_MALFORMED);
#undef EXPECT
#undef GOOD_STATE
}

static void
test_annotate (void)
{
  g_autoptr (TlsTicketKeys) keys = keys_for (15, NULL);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (16, "iv");
  g_autoptr (TlsSession) s = sample_session ();
  g_autoptr (GBytes) t = tls_ticket_seal (keys, s, rng);
  g_autoptr (TlsField) root = tls_field_new ("ticket", 5, SIZE (t));
  gsize n = SIZE (t) - TLS_TICKET_OVERHEAD;
  TlsField *f;

  g_test_summary ("The ticket's fields, with offsets in the enclosing buffer; a "
                  "truncated ticket gets the fields that fit");
  tls_ticket_annotate (root, 5, DATA (t), SIZE (t));
  g_assert_cmpuint (tls_field_n_children (root), ==, 4);
  f = tls_field_child (root, 0);
  g_assert_cmpstr (f->name, ==, "key_name");
  g_assert_cmpuint (f->offset, ==, 5);
  g_assert_cmpuint (f->length, ==, 16);
  g_assert_nonnull (f->desc);
  f = tls_field_child (root, 1);
  g_assert_cmpstr (f->name, ==, "iv");
  g_assert_cmpuint (f->offset, ==, 21);
  f = tls_field_child (root, 2);
  g_assert_cmpstr (f->name, ==, "encrypted_state");
  g_assert_cmpuint (f->offset, ==, 37);
  g_assert_cmpuint (f->length, ==, 2 + n);
  g_assert_nonnull (f->desc);
  g_assert_nonnull (tls_field_find (f, "length"));
  f = tls_field_child (root, 3);
  g_assert_cmpstr (f->name, ==, "mac");
  g_assert_cmpuint (f->offset, ==, 39 + n);
  g_assert_cmpuint (f->length, ==, 32);

  for (gsize cut = 0; cut < SIZE (t); cut += 7)
    {
      g_autoptr (TlsField) part = tls_field_new ("ticket", 0, cut);
      tls_ticket_annotate (part, 0, DATA (t), cut);
      g_assert_cmpuint (tls_field_n_children (part), <, 4);
    }
  tls_ticket_annotate (NULL, 0, DATA (t), SIZE (t));
}

/* A distinct ticket for N. */
static GBytes *
store_ticket (guint n)
{
  guint8 b[40];

  memset (b, 0xa5, sizeof b);
  memcpy (b, &n, sizeof n);
  return g_bytes_new (b, sizeof b);
}

static void
test_store_single_use (void)
{
  g_autoptr (TlsTicketStore) store = tls_ticket_store_new (8);
  g_autoptr (GBytes) a = store_ticket (1), b = store_ticket (2), stranger = store_ticket (3);
  g_autoptr (GBytes) a_copy = g_bytes_new (g_bytes_get_data (a, NULL), g_bytes_get_size (a));

  g_test_summary ("RFC 8446, 8.1: an issued ticket is taken once; the same bytes a second "
                  "time (a replay), or a ticket never issued, are not");
  tls_ticket_store_add (store, a);
  tls_ticket_store_add (store, b);
  tls_ticket_store_add (store, a);                         /* once, however often */
  g_assert_cmpuint (tls_ticket_store_len (store), ==, 2);
  g_assert_false (tls_ticket_store_take (store, stranger));
  g_assert_true (tls_ticket_store_take (store, a_copy));   /* by value, not by pointer */
  g_assert_false (tls_ticket_store_take (store, a));
  g_assert_cmpuint (tls_ticket_store_len (store), ==, 1);
  g_assert_true (tls_ticket_store_take (store, b));
  g_assert_cmpuint (tls_ticket_store_len (store), ==, 0);
}

static void
test_store_bounded (void)
{
  g_autoptr (TlsTicketStore) store = tls_ticket_store_new (4);

  g_test_summary ("The store holds at most its capacity: the oldest outstanding ticket goes "
                  "first and can no longer be taken; a taken one frees its place");
  g_assert_cmpuint (tls_ticket_store_capacity (store), ==, 4);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr (GBytes) t = store_ticket (i);
      tls_ticket_store_add (store, t);
      g_assert_cmpuint (tls_ticket_store_len (store), ==, MIN (i + 1, 4));
    }
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr (GBytes) t = store_ticket (i);
      g_assert_cmpint (tls_ticket_store_take (store, t), ==, i >= 2);
    }
  g_assert_cmpuint (tls_ticket_store_len (store), ==, 0);
}

typedef struct
{
  TlsTicketStore *store;
  guint           taken;
} Taker;

static gpointer
take_all (gpointer data)
{
  Taker *t = data;

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr (GBytes) ticket = store_ticket (i);
      t->taken += tls_ticket_store_take (t->store, ticket);
    }
  return NULL;
}

static void
test_store_threads (void)
{
  g_autoptr (TlsTicketStore) store = tls_ticket_store_new (1000);
  Taker takers[4];
  GThread *threads[4];
  guint total = 0;

  g_test_summary ("Four threads take the same 1000 tickets at once (serve's connections): each "
                  "ticket is taken exactly once");
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr (GBytes) t = store_ticket (i);
      tls_ticket_store_add (store, t);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      takers[i] = (Taker) { store, 0 };
      threads[i] = g_thread_new ("taker", take_all, &takers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      total += takers[i].taken;
    }
  g_assert_cmpuint (total, ==, 1000);
  g_assert_cmpuint (tls_ticket_store_len (store), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ticket/roundtrip", test_roundtrip);
  g_test_add_func ("/ticket/format", test_format);
  g_test_add_func ("/ticket/tamper", test_tamper);
  g_test_add_func ("/ticket/other-keys", test_other_keys);
  g_test_add_func ("/ticket/expired", test_expired);
  g_test_add_func ("/ticket/truncated", test_truncated);
  g_test_add_func ("/ticket/malformed-inside", test_malformed_inside);
  g_test_add_func ("/ticket/annotate", test_annotate);
  g_test_add_func ("/ticket/store/single-use", test_store_single_use);
  g_test_add_func ("/ticket/store/bounded", test_store_bounded);
  g_test_add_func ("/ticket/store/threads", test_store_threads);
  return g_test_run ();
}
