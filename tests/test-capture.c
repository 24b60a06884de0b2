/* test-capture.c — opening captures (protocol/capture): hand-built pcap
 * and pcapng files over each link type, IPv4 and IPv6, TCP reassembly
 * (segments split inside records, several records a segment, out of order,
 * retransmitted), the errors of docs/capture.md, and our own pcapng export
 * opened again. */
#include "config.h"

#include <string.h>
#include <pcap/pcap.h>

#include "rfc8448.h"
#include "test-util.h"
#include "tls-capture.h"
#include "tls-capture-private.h"
#include "tls-conductor.h"
#include "tls-keylog.h"
#include "tls-pcapng-secrets.h"
#include "tls-trace-pcapng.h"

/* ---- The reference run: scenario "resumption" exported as pcapng -------- */

static TlsTrace *ref_trace;   /* the run itself */
static GBytes   *ref_pcapng;  /* our export of it */

typedef struct
{
  int     dir;
  GBytes *data;
} Flight;

static void
flight_free (gpointer p)
{
  Flight *f = p;

  g_bytes_unref (f->data);
  g_free (f);
}

/* The bytes of CONNECTION of SRC in conversation order: the records of
 * each step but those of message steps titled SKIP (NULL: none), once per
 * wire offset, consecutive ones of the same side merged. */
static GPtrArray *
flights_from (const TlsTrace *src, guint connection, const char *skip)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (flight_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GByteArray *cur = NULL;
  int cur_dir = -1;

  for (guint i = 0; i < tls_trace_len (src); i++)
    {
      TlsStep *s = tls_trace_get (src, i);
      int dir = s->actor == TLS_ACTOR_CLIENT ? 0 : 1;
      char *key;

      if (s->connection != connection || s->wire == NULL || s->wire_offset < 0
          || (skip != NULL && s->kind == TLS_STEP_MESSAGE && g_strcmp0 (s->title, skip) == 0))
        continue;
      key = g_strdup_printf ("%d:%" G_GINT64_FORMAT, dir, s->wire_offset);
      if (g_hash_table_contains (seen, key))
        {
          g_free (key);
          continue;
        }
      g_hash_table_add (seen, key);
      if (dir != cur_dir && cur != NULL)
        {
          Flight *f = g_new0 (Flight, 1);
          f->dir = cur_dir;
          f->data = g_byte_array_free_to_bytes (cur);
          g_ptr_array_add (out, f);
          cur = NULL;
        }
      if (cur == NULL)
        cur = g_byte_array_new ();
      cur_dir = dir;
      g_byte_array_append (cur, g_bytes_get_data (s->wire, NULL), g_bytes_get_size (s->wire));
    }
  if (cur != NULL)
    {
      Flight *f = g_new0 (Flight, 1);
      f->dir = cur_dir;
      f->data = g_byte_array_free_to_bytes (cur);
      g_ptr_array_add (out, f);
    }
  return out;
}

static GPtrArray *
flights_of (guint connection)
{
  return flights_from (ref_trace, connection, NULL);
}

/* ---- Writing captures by hand ------------------------------------------- */

typedef struct
{
  int         linktype;
  gboolean    v6;
  gboolean    pcapng;
  GByteArray *out;
  guint32     seq[2];
  guint16     port[2];
} Writer;

static void
put16 (GByteArray *a, guint16 v)
{
  guint8 b[2] = { v >> 8, v & 0xff };
  g_byte_array_append (a, b, 2);
}

static void
put32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };
  g_byte_array_append (a, b, 4);
}

static void
put32le (GByteArray *a, guint32 v)
{
  g_byte_array_append (a, (guint8 *) &v, 4);   /* the test runs little-endian hosts */
}

static void
writer_init (Writer *w, int linktype, gboolean v6, gboolean pcapng)
{
  memset (w, 0, sizeof *w);
  w->linktype = linktype;
  w->v6 = v6;
  w->pcapng = pcapng;
  w->out = g_byte_array_new ();
  w->seq[0] = 0xfffffff0u;   /* wraps around during the connection */
  w->seq[1] = 1000;
  w->port[0] = 40001;
  w->port[1] = 443;
  if (!pcapng)
    {
      /* pcap global header (little-endian): magic, 2.4, zone, sigfigs, snaplen, linktype */
      put32le (w->out, 0xa1b2c3d4);
      put32le (w->out, 0x00040002);
      put32le (w->out, 0);
      put32le (w->out, 0);
      put32le (w->out, 65535);
      put32le (w->out, (guint32) linktype);
    }
  else
    {
      /* SHB (28 bytes) and IDB (20 bytes) */
      put32le (w->out, 0x0A0D0D0A); put32le (w->out, 28); put32le (w->out, 0x1A2B3C4D);
      put32le (w->out, 0x00000001); put32le (w->out, 0xffffffff); put32le (w->out, 0xffffffff);
      put32le (w->out, 28);
      put32le (w->out, 1); put32le (w->out, 20);
      put32le (w->out, (guint32) linktype & 0xffff); put32le (w->out, 65535); put32le (w->out, 20);
    }
}

static void
writer_dsb (Writer *w, const char *keylog)
{
  gsize n = strlen (keylog), pad = (4 - n % 4) % 4;
  guint32 total = (guint32) (20 + n + pad);

  put32le (w->out, 0x0000000A); put32le (w->out, total);
  put32le (w->out, 0x544C534B); put32le (w->out, (guint32) n);
  g_byte_array_append (w->out, (const guint8 *) keylog, n);
  for (gsize i = 0; i < pad; i++)
    g_byte_array_append (w->out, (const guint8 *) "", 1);
  put32le (w->out, total);
}

/* One TCP segment from DIR with FLAGS and PAYLOAD, at sequence SEQ. */
static void
writer_packet (Writer *w, int dir, guint8 flags, guint32 seq, const guint8 *payload, gsize len)
{
  g_autoptr (GByteArray) p = g_byte_array_new ();
  guint8 a4[2][4] = { { 192, 0, 2, 1 }, { 192, 0, 2, 2 } };
  guint8 a6[2][16] = { { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } };
  guint16 ethertype = w->v6 ? 0x86DD : 0x0800;
  gsize tcp_len = 20 + len;
  static const guint8 zero[20] = { 0 };

  switch (w->linktype)
    {
    case DLT_EN10MB:
      g_byte_array_append (p, (const guint8 *) "\x02\0\0\0\0\x02\x02\0\0\0\0\x01", 12);
      put16 (p, 0x8100);        /* an 802.1Q tag on the way */
      put16 (p, 7);
      put16 (p, ethertype);
      break;
    case DLT_LINUX_SLL:
      put16 (p, dir == 0 ? 4 : 0); put16 (p, 772); put16 (p, 6);
      g_byte_array_append (p, zero, 8);
      put16 (p, ethertype);
      break;
    case 276:  /* SLL2 */
      put16 (p, ethertype); put16 (p, 0); put32 (p, 1); put16 (p, 772);
      g_byte_array_append (p, (const guint8 *) "\0\x06", 2);
      g_byte_array_append (p, zero, 8);
      break;
    case DLT_NULL:
      put32le (p, w->v6 ? 30 : 2);
      break;
    case DLT_LOOP:
      put32 (p, w->v6 ? 30 : 2);
      break;
    default:
      break;
    }
  if (!w->v6)
    {
      put16 (p, 0x4500); put16 (p, (guint16) (20 + tcp_len)); put32 (p, 0x00004000);
      put16 (p, 0x4006); put16 (p, 0);
      g_byte_array_append (p, a4[dir], 4);
      g_byte_array_append (p, a4[1 - dir], 4);
    }
  else
    {
      put32 (p, 0x60000000); put16 (p, (guint16) (tcp_len + 8));
      g_byte_array_append (p, (const guint8 *) "\x3c\x40", 2);   /* next: destination options */
      g_byte_array_append (p, a6[dir], 16);
      g_byte_array_append (p, a6[1 - dir], 16);
      g_byte_array_append (p, (const guint8 *) "\x06\0\x01\x04\0\0\0\0", 8);  /* then TCP */
    }
  put16 (p, w->port[dir]); put16 (p, w->port[1 - dir]);
  put32 (p, seq); put32 (p, 0);
  g_byte_array_append (p, (const guint8 *) "\x50", 1);
  g_byte_array_append (p, &flags, 1);
  put16 (p, 65535); put32 (p, 0);
  if (len > 0)
    g_byte_array_append (p, payload, len);

  if (!w->pcapng)
    {
      put32le (w->out, 1780315200); put32le (w->out, 0);
      put32le (w->out, p->len); put32le (w->out, p->len);
      g_byte_array_append (w->out, p->data, p->len);
    }
  else
    {
      gsize pad = (4 - p->len % 4) % 4;
      guint32 total = (guint32) (32 + p->len + pad);
      put32le (w->out, 6); put32le (w->out, total); put32le (w->out, 0);
      put32le (w->out, 0); put32le (w->out, 0);
      put32le (w->out, p->len); put32le (w->out, p->len);
      g_byte_array_append (w->out, p->data, p->len);
      for (gsize i = 0; i < pad; i++)
        g_byte_array_append (w->out, zero, 1);
      put32le (w->out, total);
    }
}

typedef enum
{
  SEG_WHOLE,        /* a flight a segment: several records in one */
  SEG_SMALL,        /* 7-byte segments: records split across segments */
  SEG_REORDER,      /* small segments, every pair swapped */
  SEG_RETRANSMIT,   /* small segments, each sent twice */
} Segmenting;

/* The connection of FLIGHTS (SYN, SYN/ACK, data, FIN) as a capture. */
static GBytes *
build_capture (GPtrArray *flights, int linktype, gboolean v6, gboolean pcapng,
               Segmenting how, const char *dsb, gssize cut_server)
{
  Writer w;
  gsize sent[2] = { 0, 0 };
  gsize server_total = 0;

  writer_init (&w, linktype, v6, pcapng);
  if (dsb)
    writer_dsb (&w, dsb);
  writer_packet (&w, 0, 0x02, w.seq[0] - 1, NULL, 0);
  writer_packet (&w, 1, 0x12, w.seq[1] - 1, NULL, 0);
  for (guint i = 0; i < flights->len; i++)
    {
      Flight *f = flights->pdata[i];
      if (f->dir == 1)
        server_total += g_bytes_get_size (f->data);
    }
  for (guint i = 0; i < flights->len; i++)
    {
      Flight *f = flights->pdata[i];
      gsize n;
      const guint8 *d = g_bytes_get_data (f->data, &n);
      gsize step = how == SEG_WHOLE ? n : 7;
      g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (gsize));

      if (cut_server >= 0 && f->dir == 1)
        {
          /* The server's stream ends CUT_SERVER bytes short. */
          gsize keep = server_total - (gsize) cut_server;
          n = sent[1] >= keep ? 0 : MIN (n, keep - sent[1]);
        }
      for (gsize off = 0; off < n; off += step)
        g_array_append_val (order, off);
      if (how == SEG_REORDER)
        for (guint k = 0; k + 1 < order->len; k += 2)
          {
            gsize t = g_array_index (order, gsize, k);
            g_array_index (order, gsize, k) = g_array_index (order, gsize, k + 1);
            g_array_index (order, gsize, k + 1) = t;
          }
      for (guint k = 0; k < order->len; k++)
        {
          gsize off = g_array_index (order, gsize, k);
          gsize len = MIN (step, n - off);
          guint32 seq = w.seq[f->dir] + (guint32) (sent[f->dir] + off);
          writer_packet (&w, f->dir, 0x18, seq, d + off, len);
          if (how == SEG_RETRANSMIT)
            writer_packet (&w, f->dir, 0x18, seq, d + off, len);
        }
      sent[f->dir] += g_bytes_get_size (f->data);
    }
  return g_byte_array_free_to_bytes (w.out);
}

/* ---- Checking a connection's trace -------------------------------------- */

static guint
count_steps (TlsTrace *t, TlsStepKind kind, const char *title, TlsCheckResult result)
{
  guint n = 0;

  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      if (s->kind == kind && (title == NULL || g_strcmp0 (s->title, title) == 0)
          && (kind != TLS_STEP_CHECK || s->result == result))
        n++;
    }
  return n;
}

/* The application data of CONNECTION of the reference run, in order. */
static GString *
ref_appdata (guint connection, TlsTrace *t)
{
  GString *s = g_string_new (NULL);
  TlsTrace *src = t ? t : ref_trace;

  for (guint i = 0; i < tls_trace_len (src); i++)
    {
      TlsStep *st = tls_trace_get (src, i);
      if ((t != NULL || st->connection == connection) && st->kind == TLS_STEP_APPDATA && st->bytes)
        g_string_append_len (s, g_bytes_get_data (st->bytes, NULL), g_bytes_get_size (st->bytes));
    }
  return s;
}

static char *
ref_keylog (void)
{
  return tls_trace_keylog (ref_trace);
}

/* A full, decrypted connection 0 of the reference run. */
static void
assert_full_connection (TlsCapture *cap, guint number)
{
  g_autoptr (TlsTrace) t = tls_capture_trace (cap, number, NULL);
  g_autoptr (GString) want = ref_appdata (0, NULL);
  g_autoptr (GString) got = NULL;

  g_assert_nonnull (t);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "completed");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.suite"), ==, "TLS_RSA_WITH_AES_128_GCM_SHA256");
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "client Finished", TLS_CHECK_PASSED), ==, 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "server Finished", TLS_CHECK_PASSED), ==, 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_DERIVATION, "key_block", 0), ==, 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_MESSAGE, "Certificate", 0), ==, 1);
  got = ref_appdata (0, t);
  g_assert_cmpuint (got->len, >, 0);
  g_assert_cmpmem (got->str, got->len, want->str, want->len);
}

/* ---- Tests -------------------------------------------------------------- */

static void
test_own_pcapng (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (ref_pcapng, NULL),
                                                       g_bytes_get_size (ref_pcapng), &error);
  const TlsCaptureConnection *c2;
  g_autoptr (TlsTrace) t2 = NULL;
  g_autofree char *keylog_again = NULL;
  g_autofree char *keylog_orig = NULL;

  g_test_summary ("Our own pcapng export opens with no key log (its Decryption Secrets Block), "
                  "both connections decrypt, the second names the first as the session it resumes, "
                  "and the key log exported from the opened trace is the run's own line");
  g_assert_no_error (error);
  g_assert_cmpuint (tls_capture_secrets_blocks (cap), ==, 1);
  g_assert_cmpuint (tls_capture_n_connections (cap), ==, 2);
  assert_full_connection (cap, 1);
  c2 = tls_capture_connection (cap, 2);
  g_assert_true (c2->resumed);
  g_assert_cmpuint (c2->resumes, ==, 1);
  g_assert_true (c2->has_key);
  g_assert_cmpstr (c2->sni, ==, "localhost");
  t2 = tls_capture_trace (cap, 2, &error);
  g_assert_cmpstr (tls_trace_get_meta (t2, "conn0.result"), ==, "completed");
  g_assert_cmpstr (tls_trace_get_meta (t2, "conn0.resumes"), ==, "1");
  g_assert_cmpuint (count_steps (t2, TLS_STEP_DECISION, "Resume the session?", 0), ==, 1);
  g_assert_null (tls_capture_trace (cap, 3, &error));
  g_assert_error (error, TLS_CAPTURE_ERROR, TLS_CAPTURE_ERROR_NO_CONNECTION);
  {
    g_autoptr (TlsTrace) t1 = tls_capture_trace (cap, 1, NULL);
    g_auto (GStrv) lines = NULL;
    keylog_again = tls_trace_keylog (t1);
    keylog_orig = ref_keylog ();
    lines = g_strsplit (keylog_orig, "\n", -1);
    g_assert_cmpstr (keylog_again, !=, "");
    g_assert_true (g_str_has_prefix (keylog_again, lines[0]));
  }
}

typedef struct
{
  const char *name;
  int         linktype;
  gboolean    v6;
  gboolean    pcapng;
  Segmenting  how;
} LinkCase;

static const LinkCase link_cases[] = {
  { "ethernet-ipv4-whole", DLT_EN10MB, FALSE, FALSE, SEG_WHOLE },
  { "ethernet-ipv6-small", DLT_EN10MB, TRUE, FALSE, SEG_SMALL },
  { "sll-ipv4-reorder", DLT_LINUX_SLL, FALSE, FALSE, SEG_REORDER },
  { "sll2-ipv6-retransmit", 276, TRUE, FALSE, SEG_RETRANSMIT },
  { "null-ipv4-small", DLT_NULL, FALSE, FALSE, SEG_SMALL },
  { "loop-ipv6-whole", DLT_LOOP, TRUE, FALSE, SEG_WHOLE },
  { "raw-ipv4-pcapng-reorder", 101, FALSE, TRUE, SEG_REORDER },
  { "ethernet-ipv4-pcapng-retransmit", DLT_EN10MB, FALSE, TRUE, SEG_RETRANSMIT },
};

static void
test_link (gconstpointer data)
{
  const LinkCase *lc = data;
  g_autoptr (GPtrArray) flights = flights_of (0);
  g_autofree char *keylog = ref_keylog ();
  g_autoptr (GBytes) file = build_capture (flights, lc->linktype, lc->v6, lc->pcapng, lc->how, NULL, -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL),
                                                       g_bytes_get_size (file), &error);
  const TlsCaptureConnection *c;

  g_test_summary ("A connection over one link type, IP version and way of cutting the stream "
                  "into segments is reassembled, decrypted with the key log and checked");
  g_assert_no_error (error);
  g_assert_cmpuint (tls_capture_n_connections (cap), ==, 1);
  c = tls_capture_connection (cap, 1);
  g_assert_cmpstr (c->client, ==, lc->v6 ? "[2001:db8::1]:40001" : "192.0.2.1:40001");
  g_assert_cmpstr (c->server, ==, lc->v6 ? "[2001:db8::2]:443" : "192.0.2.2:443");
  g_assert_false (c->has_key);
  tls_capture_add_keylog (cap, keylog, strlen (keylog));
  g_assert_true (c->has_key);
  assert_full_connection (cap, 1);
  if (lc->how == SEG_RETRANSMIT)
    g_assert_cmpuint (((CapConn *) cap->conns->pdata[0])->flow->stream[0].retransmitted, >, 0);
  if (lc->how == SEG_REORDER)
    g_assert_cmpuint (((CapConn *) cap->conns->pdata[0])->flow->stream[1].out_of_order, >, 0);
}

static void
test_dsb_in_handmade_pcapng (void)
{
  g_autoptr (GPtrArray) flights = flights_of (0);
  g_autofree char *keylog = ref_keylog ();
  g_autofree char *with_comment = g_strconcat ("# keys\nCLIENT_HANDSHAKE_TRAFFIC_SECRET 00 00\n", keylog, NULL);
  g_autoptr (GBytes) file = build_capture (flights, DLT_EN10MB, FALSE, TRUE, SEG_SMALL, with_comment, -1);
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL),
                                                       g_bytes_get_size (file), NULL);

  g_test_summary ("A Decryption Secrets Block in a hand-made pcapng gives the key; comment and "
                  "TLS 1.3 lines are skipped");
  g_assert_nonnull (cap);
  g_assert_cmpuint (tls_capture_secrets_blocks (cap), ==, 1);
  g_assert_cmpuint (tls_capture_keylog_skipped (cap), ==, 1);
  assert_full_connection (cap, 1);
}

static void
test_not_capture (void)
{
  static const char junk[] = "this is not a capture file, only some text that is long enough";
  g_autoptr (GError) error = NULL;
  TlsCapture *cap = tls_capture_open_bytes ((const guint8 *) junk, sizeof junk, &error);

  g_test_summary ("Bytes that are not a capture give NOT_CAPTURE with libpcap's reason");
  g_assert_null (cap);
  g_assert_error (error, TLS_CAPTURE_ERROR, TLS_CAPTURE_ERROR_NOT_CAPTURE);
  g_assert_nonnull (strstr (error->message, "not a capture"));
}

static void
test_no_tls (void)
{
  g_autoptr (GPtrArray) flights = g_ptr_array_new ();
  Flight a = { 0, g_bytes_new_static ("GET / HTTP/1.0\r\n\r\n", 18) };
  Flight b = { 1, g_bytes_new_static ("HTTP/1.0 200 OK\r\n\r\n", 19) };
  g_autoptr (GBytes) file = NULL;
  g_autoptr (TlsCapture) cap = NULL;

  g_test_summary ("A capture of plain HTTP opens with no TLS connection in it");
  g_ptr_array_add (flights, &a);
  g_ptr_array_add (flights, &b);
  file = build_capture (flights, DLT_EN10MB, FALSE, FALSE, SEG_WHOLE, NULL, -1);
  cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL), g_bytes_get_size (file), NULL);
  g_assert_nonnull (cap);
  g_assert_cmpuint (tls_capture_n_packets (cap), ==, 4);
  g_assert_cmpuint (tls_capture_n_connections (cap), ==, 0);
  g_bytes_unref (a.data);
  g_bytes_unref (b.data);
}

static void
test_tls13 (void)
{
  /* A TLS 1.3 ClientHello and ServerHello (RFC 8446, 4.1.2, 4.1.3):
   * legacy_version 0x0303, supported_versions (43) naming 0x0304. */
  static const guint8 ch[] = {
    0x16, 0x03, 0x01, 0x00, 0x36,
    0x01, 0x00, 0x00, 0x32, 0x03, 0x03,
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
    0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00,
    0x00, 0x07, 0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04,
  };
  static const guint8 sh[] = {
    0x16, 0x03, 0x03, 0x00, 0x32,
    0x02, 0x00, 0x00, 0x2e, 0x03, 0x03,
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
    0x00, 0x13, 0x01, 0x00,
    0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,
    0x17, 0x03, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
  };
  g_autoptr (GPtrArray) flights = g_ptr_array_new ();
  Flight a = { 0, g_bytes_new_static (ch, sizeof ch) };
  Flight b = { 1, g_bytes_new_static (sh, sizeof sh) };
  g_autoptr (GBytes) file = NULL;
  g_autoptr (TlsCapture) cap = NULL;
  g_autoptr (TlsTrace) t = NULL;
  g_autofree char *line = NULL;

  g_test_summary ("A TLS 1.3 connection without a key log: listed as TLS 1.3 with no key; its "
                  "trace shows ClientHello and ServerHello in clear, the transcript hash, the "
                  "missing key log lines, the protected record encrypted with the reason, and "
                  "the CertificateVerify and Finished checks not checked");
  g_ptr_array_add (flights, &a);
  g_ptr_array_add (flights, &b);
  file = build_capture (flights, DLT_EN10MB, FALSE, FALSE, SEG_WHOLE, NULL, -1);
  cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL), g_bytes_get_size (file), NULL);
  g_assert_cmpuint (tls_capture_n_connections (cap), ==, 1);
  g_assert_cmphex (tls_capture_connection (cap, 1)->version, ==, 0x0304);
  line = tls_capture_describe (cap, tls_capture_connection (cap, 1));
  g_assert_nonnull (strstr (line, "TLS 1.3, TLS_AES_128_GCM_SHA256"));
  g_assert_nonnull (strstr (line, "no key"));
  t = tls_capture_trace (cap, 1, NULL);
  g_assert_cmpuint (tls_trace_len (t), ==, 8);
  g_assert_cmpstr (tls_trace_get (t, 0)->title, ==, "ClientHello");
  g_assert_cmpstr (tls_trace_get (t, 1)->title, ==, "ServerHello");
  g_assert_cmpstr (tls_trace_get (t, 1)->rfc, ==, "RFC 8446, 4.1.3");
  g_assert_cmpstr (tls_trace_get (t, 2)->title, ==, "Transcript-Hash");
  g_assert_cmpint (tls_trace_get (t, 3)->result, ==, TLS_CHECK_NOT_CHECKED);
  g_assert_nonnull (strstr (tls_trace_get (t, 3)->reason, "SERVER_HANDSHAKE_TRAFFIC_SECRET"));
  g_assert_cmpstr (tls_trace_get (t, 4)->title, ==, "Encrypted record");
  g_assert_true (tls_trace_get (t, 4)->encrypted);
  g_assert_nonnull (strstr (tls_trace_get (t, 4)->reason,
                            "no SERVER_HANDSHAKE_TRAFFIC_SECRET line for ClientHello.random "
                            "0102030405"));
  /* The checks the key log does not allow: unknown, never invented. */
  g_assert_cmpstr (tls_trace_get (t, 5)->title, ==, "CertificateVerify signature");
  g_assert_cmpstr (tls_trace_get (t, 6)->title, ==, "Finished verify_data");
  g_assert_cmpstr (tls_trace_get (t, 7)->title, ==, "Finished verify_data");
  for (guint k = 5; k < 8; k++)
    {
      g_assert_cmpint (tls_trace_get (t, k)->result, ==, TLS_CHECK_NOT_CHECKED);
      g_assert_nonnull (strstr (tls_trace_get (t, k)->reason, "HANDSHAKE_TRAFFIC_SECRET line"));
    }
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.version"), ==, "TLS 1.3");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "incomplete: no key for this connection");
  g_bytes_unref (a.data);
  g_bytes_unref (b.data);
}

/* ---- RFC 8448, section 3, through the capture path --------------------- */

static GBytes *
rfc_record (Rfc8448 *rfc, const char *step, guint n)
{
  return rfc8448_nth (rfc, step, "complete record", n);
}

/* The records of RFC 8448's simple 1-RTT handshake as a capture (the
 * hellos, the server's encrypted flight, the client's Finished and
 * application data) (CHANGE:
 * a byte of the ClientHello to flip, or -1), and its key log (the RFC's
 * four traffic secrets) added. */
static TlsTrace *
rfc8448_trace (Rfc8448 *rfc, gssize change)
{
  GByteArray *c1 = g_byte_array_new (), *s1 = g_byte_array_new ();
  GByteArray *c2 = g_byte_array_new ();
  GBytes *ch = rfc_record (rfc, "{client}  send handshake record", 0);
  g_autoptr (GPtrArray) flights = g_ptr_array_new_with_free_func (flight_free);
  g_autoptr (GBytes) file = NULL;
  g_autoptr (TlsCapture) cap = NULL;
  g_autofree char *cr = tls_hex (TU_DATA (ch) + 11, 32);
  g_autofree char *keylog = NULL;
  const struct { const char *label, *step; } lines[] = {
    { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "{server}  derive secret \"tls13 c hs traffic\"" },
    { "SERVER_HANDSHAKE_TRAFFIC_SECRET", "{server}  derive secret \"tls13 s hs traffic\"" },
    { "CLIENT_TRAFFIC_SECRET_0", "{server}  derive secret \"tls13 c ap traffic\"" },
    { "SERVER_TRAFFIC_SECRET_0", "{server}  derive secret \"tls13 s ap traffic\"" },
  };
  GString *log = g_string_new (NULL);
  Flight *f;

  g_byte_array_append (c1, TU_DATA (ch), TU_SIZE (ch));
  if (change >= 0)
    c1->data[change] ^= 0x01;
  g_byte_array_append (s1, TU_DATA (rfc_record (rfc, "{server}  send handshake record", 0)),
                       TU_SIZE (rfc_record (rfc, "{server}  send handshake record", 0)));
  g_byte_array_append (s1, TU_DATA (rfc_record (rfc, "{server}  send handshake record", 1)),
                       TU_SIZE (rfc_record (rfc, "{server}  send handshake record", 1)));
  g_byte_array_append (c2, TU_DATA (rfc_record (rfc, "{client}  send handshake record", 1)),
                       TU_SIZE (rfc_record (rfc, "{client}  send handshake record", 1)));
  g_byte_array_append (c2, TU_DATA (rfc_record (rfc, "{client}  send application_data record", 0)),
                       TU_SIZE (rfc_record (rfc, "{client}  send application_data record", 0)));
  /* The server's application data record is left out: the server sent
   * its NewSessionTicket record first (sequence number 0 under its
   * application keys), which tests/data/rfc8448 does not hold. */
  GByteArray *parts[] = { c1, s1, c2 };
  for (int i = 0; i < 3; i++)
    {
      f = g_new0 (Flight, 1);
      f->dir = i % 2;
      f->data = g_byte_array_free_to_bytes (parts[i]);
      g_ptr_array_add (flights, f);
    }
  file = build_capture (flights, DLT_EN10MB, FALSE, FALSE, SEG_SMALL, NULL, -1);
  cap = tls_capture_open_bytes (TU_DATA (file), TU_SIZE (file), NULL);
  g_assert_nonnull (cap);
  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      GBytes *secret = rfc8448_get (rfc, lines[i].step, "expanded");
      g_autofree char *hex = tls_hex (TU_DATA (secret), TU_SIZE (secret));
      g_string_append_printf (log, "%s %s %s\n", lines[i].label, cr, hex);
    }
  keylog = g_string_free (log, FALSE);
  tls_capture_add_keylog (cap, keylog, strlen (keylog));
  g_assert_true (tls_capture_connection (cap, 1)->has_key);
  return tls_capture_trace (cap, 1, NULL);
}

static void
test_rfc8448 (void)
{
  g_autoptr (Rfc8448) rfc = rfc8448_load ("section3.txt");
  g_autoptr (TlsTrace) t = rfc8448_trace (rfc, -1);
  guint8 expected[50];
  int i;
  TlsTraceValue *v;
  const char *const messages[] = { "ClientHello", "ServerHello", "EncryptedExtensions", "Certificate",
                                   "CertificateVerify", "Finished", "Finished" };
  guint m = 0;

  g_test_summary ("RFC 8448's simple 1-RTT handshake as a capture, its four traffic secrets as "
                  "a key log: the RFC's write keys and IVs come out of the derivation steps, "
                  "both Finished verify, and the client's application data record decrypts "
                  "to the RFC's 50 bytes");
  for (guint k = 0; k < tls_trace_len (t); k++)
    {
      TlsStep *s = tls_trace_get (t, k);
      if (s->kind == TLS_STEP_MESSAGE && m < G_N_ELEMENTS (messages))
        g_assert_cmpstr (s->title, ==, messages[m++]);
    }
  g_assert_cmpuint (m, ==, G_N_ELEMENTS (messages));
  i = tls_trace_find (t, TLS_STEP_DERIVATION, "traffic keys from server_handshake_traffic_secret");
  g_assert_cmpint (i, >=, 0);
  v = tls_step_find_output (tls_trace_get (t, (guint) i), "write_key");
  g_assert_true (g_bytes_equal (v->bytes, rfc8448_get (rfc, "{server}  derive write traffic keys "
                                                       "for handshake data", "key expanded")));
  v = tls_step_find_output (tls_trace_get (t, (guint) i), "write_iv");
  g_assert_true (g_bytes_equal (v->bytes, rfc8448_get (rfc, "{server}  derive write traffic keys "
                                                       "for handshake data", "iv expanded")));
  i = tls_trace_find (t, TLS_STEP_DERIVATION, "traffic keys from client_application_traffic_secret_0");
  g_assert_cmpint (i, >=, 0);
  v = tls_step_find_output (tls_trace_get (t, (guint) i), "write_key");
  g_assert_true (g_bytes_equal (v->bytes, rfc8448_get (rfc, "{client}  derive write traffic keys "
                                                       "for application data", "key expanded")));
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "Finished verify_data", TLS_CHECK_PASSED), ==, 2);
  /* RFC 8448's server signature (rsa_pss_rsae_sha256) verifies with the
   * public key of the RFC's certificate, over 4.4.3's signed content. */
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "CertificateVerify signature", TLS_CHECK_PASSED),
                    ==, 1);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "completed");
  for (int k = 0; k < 50; k++)
    expected[k] = (guint8) k;
  g_assert_cmpuint (count_steps (t, TLS_STEP_APPDATA, "Application Data", 0), ==, 1);
  for (guint k = 0; k < tls_trace_len (t); k++)
    {
      TlsStep *s = tls_trace_get (t, k);
      if (s->kind == TLS_STEP_APPDATA)
        g_assert_cmpmem (TU_DATA (s->bytes), TU_SIZE (s->bytes), expected, sizeof expected);
    }
}

static void
test_rfc8448_changed (void)
{
  g_autoptr (Rfc8448) rfc = rfc8448_load ("section3.txt");
  /* record header 5, handshake header 4, legacy_version 2, random 32,
   * session ID length 1 (empty), cipher_suites length 2: the first suite */
  g_autoptr (TlsTrace) t = rfc8448_trace (rfc, 5 + 4 + 2 + 32 + 1 + 2 + 1);

  g_test_summary ("RFC 8448's handshake with one byte of the ClientHello changed: the records "
                  "still open with the key log, the CertificateVerify signature and both "
                  "Finished checks fail (they cover the transcript), and the result says which "
                  "failed first");
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "CertificateVerify signature", TLS_CHECK_FAILED),
                    ==, 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "Finished verify_data", TLS_CHECK_FAILED), ==, 2);
  g_assert_cmpuint (count_steps (t, TLS_STEP_APPDATA, "Application Data", 0), ==, 1);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==,
                   "incomplete: the server's CertificateVerify does not verify");
}

static void
test_unknown_message (void)
{
  /* A TLS 1.2 ClientHello, then a handshake message of type 99, which no
   * codec knows: shown as bytes, and nothing else goes wrong. */
  static const guint8 client[] = {
    0x16, 0x03, 0x01, 0x00, 0x2d,
    0x01, 0x00, 0x00, 0x29, 0x03, 0x03,
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
    0x00, 0x00, 0x02, 0x00, 0x9c, 0x01, 0x00,
    0x16, 0x03, 0x03, 0x00, 0x06, 0x63, 0x00, 0x00, 0x02, 0xab, 0xcd,
  };
  g_autoptr (GPtrArray) flights = g_ptr_array_new ();
  Flight a = { 0, g_bytes_new_static (client, sizeof client) };
  g_autoptr (GBytes) file = NULL;
  g_autoptr (TlsCapture) cap = NULL;
  g_autoptr (TlsTrace) t = NULL;

  g_test_summary ("A handshake message of a type no codec knows is shown as its bytes "
                  "(found by fuzz/fuzz-capture)");
  g_ptr_array_add (flights, &a);
  file = build_capture (flights, DLT_EN10MB, FALSE, FALSE, SEG_WHOLE, NULL, -1);
  cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL), g_bytes_get_size (file), NULL);
  g_assert_cmpuint (tls_capture_n_connections (cap), ==, 1);
  g_assert_false (tls_capture_connection (cap, 1)->has_server_hello);
  t = tls_capture_trace (cap, 1, NULL);
  g_assert_cmpuint (tls_trace_len (t), ==, 2);
  g_assert_cmpuint (tls_trace_get (t, 1)->handshake_type, ==, 99);
  g_assert_cmpuint (g_bytes_get_size (tls_trace_get (t, 1)->bytes), ==, 6);
  g_assert_nonnull (strstr (tls_trace_get_meta (t, "conn0.result"), "does not finish"));
  g_bytes_unref (a.data);
}

static void
test_no_key (void)
{
  g_autoptr (GPtrArray) flights = flights_of (0);
  g_autoptr (GBytes) file = build_capture (flights, DLT_EN10MB, FALSE, FALSE, SEG_WHOLE, NULL, -1);
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL),
                                                       g_bytes_get_size (file), NULL);
  g_autoptr (TlsTrace) t = tls_capture_trace (cap, 1, NULL);

  g_test_summary ("Without a key the clear messages are shown, the key is reported missing, "
                  "and Finished and application data are marked encrypted");
  g_assert_cmpuint (count_steps (t, TLS_STEP_MESSAGE, "ClientKeyExchange", 0), ==, 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "Key for this connection", TLS_CHECK_NOT_CHECKED), ==, 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_MESSAGE, "Encrypted handshake", 0), ==, 2);
  g_assert_cmpuint (count_steps (t, TLS_STEP_APPDATA, "Encrypted application data", 0), >=, 2);
  g_assert_cmpuint (count_steps (t, TLS_STEP_DERIVATION, "key_block", 0), ==, 0);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "incomplete: no key for this connection");
  /* Each Finished: not checked, its record named as encrypted only. */
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "client Finished", TLS_CHECK_NOT_CHECKED), ==, 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "server Finished", TLS_CHECK_NOT_CHECKED), ==, 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_MESSAGE, "Finished", 0), ==, 0);
}

static void
test_wrong_key (void)
{
  g_autoptr (GPtrArray) flights = flights_of (0);
  g_autoptr (GBytes) file = build_capture (flights, DLT_EN10MB, FALSE, FALSE, SEG_WHOLE, NULL, -1);
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL),
                                                       g_bytes_get_size (file), NULL);
  g_autofree char *keylog = ref_keylog ();
  g_autoptr (TlsTrace) t = NULL;

  g_test_summary ("A key log whose master secret is wrong: the first protected record fails to "
                  "decrypt, which the trace says, and the rest is shown encrypted");
  keylog[strlen ("CLIENT_RANDOM ") + 64 + 1] ^= 1;   /* flip a bit of the master secret */
  tls_capture_add_keylog (cap, keylog, strlen (keylog));
  t = tls_capture_trace (cap, 1, NULL);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "Record decryption", TLS_CHECK_FAILED), ==, 2);
  g_assert_nonnull (strstr (tls_trace_get_meta (t, "conn0.result"), "wrong key log"));
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "client Finished", TLS_CHECK_PASSED), ==, 0);
  g_assert_nonnull (strstr (tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "client Finished")->reason,
                            "does not decrypt with the key given"));
  g_assert_cmpint (tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "server Finished")->result, ==,
                   TLS_CHECK_NOT_CHECKED);
}

static void
test_truncated (void)
{
  g_autoptr (GPtrArray) flights = flights_of (0);
  g_autofree char *keylog = ref_keylog ();
  g_autoptr (GBytes) file = build_capture (flights, DLT_EN10MB, FALSE, FALSE, SEG_SMALL, NULL, 10);
  g_autoptr (GBytes) pcapng = build_capture (flights, DLT_EN10MB, FALSE, TRUE, SEG_SMALL, keylog, 10);
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (pcapng, NULL),
                                                       g_bytes_get_size (pcapng), NULL);
  g_autoptr (TlsTrace) t = tls_capture_trace (cap, 1, NULL);
  g_autoptr (TlsCapture) cut = NULL;

  g_test_summary ("A capture that ends in the middle of a record says so and shows all before it; "
                  "a capture file cut inside a packet keeps the packets before the cut");
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "Capture truncated", TLS_CHECK_FAILED), ==, 1);
  g_assert_nonnull (strstr (tls_trace_get_meta (t, "conn0.result"), "middle of a"));
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "client Finished", TLS_CHECK_PASSED), ==, 1);

  cut = tls_capture_open_bytes (g_bytes_get_data (file, NULL), g_bytes_get_size (file) - 3, NULL);
  g_assert_nonnull (cut);
  g_assert_nonnull (tls_capture_problem (cut));
  g_assert_cmpuint (tls_capture_n_connections (cut), ==, 1);
}

static void
test_keylog_lines (void)
{
  g_autoptr (TlsKeylog) log = tls_keylog_new ();
  static const char text[] =
    "# comment\n"
    "CLIENT_RANDOM 0101010101010101010101010101010101010101010101010101010101010101 "
    "020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202\n"
    "RSA 0303030303030303 "
    "040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404\r\n"
    "CLIENT_RANDOM 01 02\n";
  guint8 r[32], m[48], e[8];

  g_test_summary ("The NSS key log reader takes CLIENT_RANDOM and RSA lines and skips bad ones");
  g_assert_cmpuint (tls_keylog_add (log, text, strlen (text)), ==, 2);
  g_assert_cmpuint (tls_keylog_skipped (log), ==, 1);
  memset (r, 1, 32);
  g_assert_true (tls_keylog_master (log, r, m));
  g_assert_cmpuint (m[47], ==, 2);
  memset (e, 3, 8);
  g_assert_true (tls_keylog_rsa_premaster (log, e, m));
  g_assert_cmpuint (m[0], ==, 4);
  r[0] = 0;
  g_assert_false (tls_keylog_master (log, r, m));
}

static void
test_pcapng_blocks (void)
{
  static const guint8 bad[] = { 0x0a, 0x0d, 0x0d, 0x0a, 0xff, 0xff, 0xff, 0x7f, 0x4d, 0x3c, 0x2b, 0x1a };
  g_autoptr (GPtrArray) none = tls_pcapng_read_secrets (bad, sizeof bad);

  g_test_summary ("A pcapng block whose length runs past the file ends the walk");
  g_assert_true (tls_pcapng_is_pcapng (bad, sizeof bad));
  g_assert_cmpuint (none->len, ==, 0);
}

/* Each key exchange, cipher and version of the engine, exported to pcapng
 * and opened again: every connection completes, both Finished verify. */
static void
test_scenario (gconstpointer data)
{
  const char *name = data;
  TlsConductor *c = tu_run_scenario (name);
  g_autoptr (GBytes) file = tls_trace_to_pcapng (tls_conductor_get_trace (c));
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL),
                                                       g_bytes_get_size (file), NULL);

  g_test_summary ("A scenario's own pcapng opens, and each of its connections decrypts and verifies");
  g_assert_nonnull (cap);
  g_assert_cmpuint (tls_capture_n_connections (cap), >=, 1);
  for (guint i = 1; i <= tls_capture_n_connections (cap); i++)
    {
      g_autoptr (TlsTrace) t = tls_capture_trace (cap, i, NULL);
      int ms = tls_trace_find (t, TLS_STEP_DERIVATION, "master_secret");
      TlsTraceValue *pms;

      g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "completed");
      g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, NULL, TLS_CHECK_FAILED), ==, 0);
      if (ms < 0)
        ms = tls_trace_find (t, TLS_STEP_DERIVATION, "master_secret (extended)");
      g_assert_cmpint (ms, >=, 0);
      pms = g_ptr_array_index (tls_trace_get (t, ms)->inputs, 0);
      g_assert_cmpstr (pms->name, ==, "pre_master_secret");
      /* The premaster is never invented: it is not in a capture. */
      g_assert_null (pms->bytes);
      g_assert_true (g_str_has_prefix (pms->text, tls_capture_connection (cap, i)->resumed ? "none" : "unknown"));
    }
  tls_conductor_free (c);
}

/* The capture of the TLS 1.3 run of C: its pcapng without the secrets,
 * and the run's key log without the lines whose label contains DROP. */
static TlsTrace *
tls13_capture_nth (TlsConductor *c, const char *drop, guint number)
{
  const TlsTrace *rt = tls_conductor_get_trace (c);
  g_autoptr (GBytes) file = tls_trace_to_pcapng_full (rt, FALSE);
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL),
                                                       g_bytes_get_size (file), NULL);
  g_autofree char *log = tls_trace_keylog (rt);
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  g_autoptr (GString) kept = g_string_new (NULL);
  TlsTrace *t;

  g_assert_nonnull (cap);
  for (guint i = 0; lines[i] != NULL; i++)
    if (drop == NULL || strstr (lines[i], drop) == NULL)
      g_string_append_printf (kept, "%s\n", lines[i]);
  tls_capture_add_keylog (cap, kept->str, kept->len);
  t = tls_capture_trace (cap, number, NULL);
  g_assert_nonnull (t);
  return t;
}

static TlsTrace *
tls13_capture (TlsConductor *c, const char *drop)
{
  return tls13_capture_nth (c, drop, 1);
}

static GBytes *
input_bytes (const TlsStep *s, const char *name)
{
  for (guint i = 0; s->inputs != NULL && i < s->inputs->len; i++)
    {
      TlsTraceValue *v = g_ptr_array_index (s->inputs, i);
      if (g_strcmp0 (v->name, name) == 0)
        return v->bytes;
    }
  g_assert_not_reached ();
}

/* CHECKER's CertificateVerify check in the capture T signed the same
 * content as in the RUN (over the same transcript hash). */
static void
assert_same_signed_content (const TlsTrace *run, const TlsTrace *t, TlsActor checker)
{
  const TlsStep *a = tu_step (t, -1, TLS_STEP_CHECK, checker, "CertificateVerify signature");
  const TlsStep *b = tu_step (run, -1, TLS_STEP_CHECK, checker, "CertificateVerify signature");

  g_assert_true (g_bytes_equal (input_bytes (a, "signed_content"), input_bytes (b, "signed_content")));
  g_assert_true (g_bytes_equal (input_bytes (a, "signature"), input_bytes (b, "signature")));
}

static void
test_tls13_checks (gconstpointer data)
{
  const char *name = data;
  TlsConductor *c = tu_run_scenario (name);
  g_autoptr (TlsTrace) t = tls13_capture (c, NULL);
  const TlsTrace *run = tls_conductor_get_trace (c);
  gboolean auth = g_str_equal (name, "tls13-client-auth");

  g_test_summary ("A TLS 1.3 run's own capture with its key log: the server's (and a client's) "
                  "CertificateVerify signature verifies with the certificate's public key over "
                  "the transcript the capture holds (RFC 8446, 4.4.3), both Finished verify "
                  "(4.4.4); after a HelloRetryRequest the transcript starts with message_hash");
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "CertificateVerify signature", TLS_CHECK_PASSED),
                    ==, auth ? 2 : 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "Finished verify_data", TLS_CHECK_PASSED), ==, 2);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, NULL, TLS_CHECK_FAILED), ==, 0);
  g_assert_cmpuint (count_steps (t, TLS_STEP_DERIVATION, "message_hash", 0), ==,
                    g_str_equal (name, "tls13-hrr") ? 1 : 0);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "completed");
  /* The signed content is the engine's, byte for byte. */
  assert_same_signed_content (run, t, TLS_ACTOR_CLIENT);
  if (auth)
    assert_same_signed_content (run, t, TLS_ACTOR_SERVER);
  tls_conductor_free (c);
}

static void
test_tls13_resumed (void)
{
  TlsConductor *c = tu_run_scenario ("tls13-resumption");
  g_autoptr (TlsTrace) t = tls13_capture_nth (c, NULL, 2);

  g_test_summary ("A TLS 1.3 resumption (the server accepted the PSK, RFC 8446, 2.2) opened "
                  "from a capture: no CertificateVerify, so no signature check, not even an "
                  "unknown one; both Finished verify");
  tls_conductor_free (c);
  g_assert_cmpint (tls_trace_find (t, TLS_STEP_CHECK, "CertificateVerify signature"), ==, -1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "Finished verify_data", TLS_CHECK_PASSED), ==, 2);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "completed");
}

static void
test_tls13_bad_cv (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13");
  g_autoptr (TlsTrace) t = NULL;
  TlsConductor *c;
  const TlsStep *s;

  g_test_summary ("The capture of a TLS 1.3 run whose server flips a bit of its CertificateVerify "
                  "signature (tamper server-bad-certificate-verify): the capture's check fails, "
                  "with the reason, and the result names it");
  g_free (sc->tamper);
  sc->tamper = g_strdup ("server-bad-certificate-verify");
  c = tu_run (sc);
  t = tls13_capture (c, NULL);
  tls_conductor_free (c);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "CertificateVerify signature", TLS_CHECK_FAILED),
                    ==, 1);
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "CertificateVerify signature");
  g_assert_nonnull (strstr (s->reason, "does not match"));
  g_assert_cmpstr (s->rfc, ==, "RFC 8446, 4.4.3");
  /* The server's Finished is still right: it covers the bytes sent. */
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "Finished verify_data", TLS_CHECK_PASSED), ==, 1);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==,
                   "incomplete: the server's CertificateVerify does not verify");
}

static void
test_tls13_no_hs_secrets (void)
{
  TlsConductor *c = tu_run_scenario ("tls13");
  g_autoptr (TlsTrace) t = tls13_capture (c, "HANDSHAKE_TRAFFIC_SECRET");
  const TlsStep *s;

  tls_conductor_free (c);
  g_test_summary ("A key log without the handshake traffic secrets: the CertificateVerify and "
                  "both Finished checks are shown unknown, with the missing line named, never "
                  "passed or failed");
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "CertificateVerify signature",
                                 TLS_CHECK_NOT_CHECKED), ==, 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "Finished verify_data", TLS_CHECK_NOT_CHECKED),
                    ==, 2);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "CertificateVerify signature", TLS_CHECK_PASSED),
                    ==, 0);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "Finished verify_data", TLS_CHECK_PASSED), ==, 0);
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "CertificateVerify signature");
  g_assert_nonnull (strstr (s->reason, "no SERVER_HANDSHAKE_TRAFFIC_SECRET line"));
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "Finished verify_data");
  g_assert_nonnull (strstr (s->reason, "no CLIENT_HANDSHAKE_TRAFFIC_SECRET line"));
}

static void
test_tls13_no_client_hs_secret (void)
{
  TlsConductor *c = tu_run_scenario ("tls13-client-auth");
  g_autoptr (TlsTrace) t = tls13_capture (c, "CLIENT_HANDSHAKE_TRAFFIC_SECRET");
  const TlsStep *s;

  g_test_summary ("Client authentication, the key log without the client's handshake traffic "
                  "secret: the server's CertificateVerify and Finished verify; the client's, "
                  "asked for by the CertificateRequest, are shown unknown");
  tls_conductor_free (c);
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "CertificateVerify signature");
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "CertificateVerify signature");
  g_assert_cmpint (s->result, ==, TLS_CHECK_NOT_CHECKED);
  g_assert_nonnull (strstr (s->reason, "no CLIENT_HANDSHAKE_TRAFFIC_SECRET line"));
  g_assert_cmpint (tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "Finished verify_data")->result,
                   ==, TLS_CHECK_PASSED);
  g_assert_cmpint (tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "Finished verify_data")->result,
                   ==, TLS_CHECK_NOT_CHECKED);
}

/* ---- TLS 1.0-1.2: the ServerKeyExchange signature, Finished -------------- */

/* Where the bytes of NEEDLE are in HAY, or -1. */
static gssize
find_bytes (GBytes *hay, GBytes *needle)
{
  gsize hn, nn;
  const guint8 *h = g_bytes_get_data (hay, &hn), *n = g_bytes_get_data (needle, &nn);

  for (gsize i = 0; nn > 0 && i + nn <= hn; i++)
    if (memcmp (h + i, n, nn) == 0)
      return (gssize) i;
  return -1;
}

/* Connection 1 of the pcapng (without its secrets) of C's run, opened with
 * the run's key log when KEYLOG.  FLIP >= 0: that byte of the file is
 * flipped first. */
static TlsTrace *
tls12_capture (TlsConductor *c, gboolean keylog, gssize flip)
{
  const TlsTrace *rt = tls_conductor_get_trace (c);
  g_autoptr (GBytes) file = tls_trace_to_pcapng_full (rt, FALSE);
  gsize n;
  g_autofree guint8 *d = g_memdup2 (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  g_autoptr (TlsCapture) cap = NULL;
  TlsTrace *t;

  n = g_bytes_get_size (file);
  if (flip >= 0)
    d[flip] ^= 0x01;
  cap = tls_capture_open_bytes (d, n, NULL);
  g_assert_nonnull (cap);
  if (keylog)
    {
      g_autofree char *log = tls_trace_keylog (rt);
      tls_capture_add_keylog (cap, log, strlen (log));
    }
  t = tls_capture_trace (cap, 1, NULL);
  g_assert_nonnull (t);
  return t;
}

typedef struct
{
  const char *scenario;
  const char *algorithm;   /* in the check's subject */
  const char *path;
  guint16     version;     /* 0: the scenario's; else that version only ... */
  guint16     suite;       /* ... and this suite */
} SkeCase;

static const SkeCase ske_cases[] = {
  { "ecdhe-rsa", "rsa_", "ecdhe-rsa", 0, 0 },
  { "ecdhe-ecdsa", "ecdsa_", "ecdhe-ecdsa", 0, 0 },
  { "dhe-rsa", "rsa_", "dhe-rsa", 0, 0 },
  { "dhe-dss", "dsa_", "dhe-dss", 0, 0 },
  /* TLS 1.0 and 1.1: no algorithm on the wire, it follows from the key. */
  { "ecdhe-rsa", "rsa_md5_sha1", "ecdhe-rsa-tls10", 0x0301, 0xc013 },
  { "ecdhe-ecdsa", "ecdsa_sha1", "ecdhe-ecdsa-tls11", 0x0302, 0xc009 },
};

static void
test_tls12_ske (gconstpointer data)
{
  const SkeCase *sc = data;
  g_autoptr (TlsScenario) scenario = tls_scenario_builtin (sc->scenario);
  TlsConductor *c;
  const TlsTrace *run;
  g_autoptr (TlsTrace) t = NULL;
  g_autoptr (TlsTrace) k = NULL;
  const TlsStep *mine, *engine;
  GBytes *signed_data;
  gsize n;
  const guint8 *sd;

  g_test_summary ("The ServerKeyExchange of a TLS 1.0-1.2 run's capture, with no key log: the "
                  "signature verifies with the public key of the server's certificate over "
                  "client_random + server_random + params, the bytes the engine's client "
                  "verified (RFC 5246, 7.4.3; RFC 8422, 5.4); both Finished are not checked, "
                  "naming the missing key log line; with the key log both verify (7.4.9)");
  if (sc->version != 0)
    {
      scenario->min_version = scenario->max_version = sc->version;
      g_array_set_size (scenario->client_suites, 0);
      g_array_append_val (scenario->client_suites, sc->suite);
      g_array_set_size (scenario->server_suites, 0);
      g_array_append_val (scenario->server_suites, sc->suite);
    }
  c = tu_run (scenario);
  run = tls_conductor_get_trace (c);
  t = tls12_capture (c, FALSE, -1);
  k = tls12_capture (c, TRUE, -1);
  mine = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "ServerKeyExchange signature");
  engine = tu_step (run, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "ServerKeyExchange signature");
  g_assert_nonnull (mine);
  g_assert_nonnull (engine);
  g_assert_cmpint (mine->result, ==, TLS_CHECK_PASSED);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "ServerKeyExchange signature", TLS_CHECK_PASSED), ==, 1);
  signed_data = input_bytes (mine, "signed data");
  g_assert_true (g_bytes_equal (signed_data, input_bytes (engine, "signed data")));
  g_assert_true (g_bytes_equal (input_bytes (mine, "signature"), input_bytes (engine, "signature")));
  /* The composition: client_random, server_random, params. */
  sd = g_bytes_get_data (signed_data, &n);
  g_assert_cmpmem (sd, 32, g_bytes_get_data (input_bytes (mine, "client_random"), NULL), 32);
  g_assert_cmpmem (sd + 32, 32, g_bytes_get_data (input_bytes (mine, "server_random"), NULL), 32);
  g_assert_cmpmem (sd + 64, n - 64, g_bytes_get_data (input_bytes (mine, "params"), NULL),
                   g_bytes_get_size (input_bytes (mine, "params")));
  g_assert_cmpstr (mine->subject, ==, engine->subject);
  g_assert_nonnull (strstr (mine->subject, sc->algorithm));
  g_assert_true (g_str_has_prefix (mine->rfc, "RFC 5246, 7.4.3"));
  g_assert_cmpint (mine->parent, ==, tls_trace_find (t, TLS_STEP_MESSAGE, "ServerKeyExchange"));

  /* No key log: the Finished records stay encrypted and are titled so. */
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "client Finished", TLS_CHECK_NOT_CHECKED), ==, 1);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, "server Finished", TLS_CHECK_NOT_CHECKED), ==, 1);
  g_assert_nonnull (strstr (tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "client Finished")->reason,
                            "no CLIENT_RANDOM line"));
  g_assert_cmpuint (count_steps (t, TLS_STEP_MESSAGE, "Finished", 0), ==, 0);
  g_assert_cmpuint (count_steps (t, TLS_STEP_MESSAGE, "Encrypted handshake", 0), ==, 2);
  g_assert_cmpuint (count_steps (t, TLS_STEP_CHECK, NULL, TLS_CHECK_FAILED), ==, 0);

  /* With the key log: the same signature check, and both Finished verify. */
  g_assert_cmpint (tu_step (k, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "ServerKeyExchange signature")->result,
                   ==, TLS_CHECK_PASSED);
  g_assert_cmpuint (count_steps (k, TLS_STEP_CHECK, "client Finished", TLS_CHECK_PASSED), ==, 1);
  g_assert_cmpuint (count_steps (k, TLS_STEP_CHECK, "server Finished", TLS_CHECK_PASSED), ==, 1);
  g_assert_cmpuint (count_steps (k, TLS_STEP_CHECK, "client Finished", TLS_CHECK_NOT_CHECKED), ==, 0);
  g_assert_cmpuint (count_steps (k, TLS_STEP_MESSAGE, "Finished", 0), ==, 2);
  g_assert_cmpstr (tls_trace_get_meta (k, "conn0.result"), ==, "completed");
  tls_conductor_free (c);
}

static void
test_tls12_ske_bad (gconstpointer data)
{
  const char *scenario = data;
  TlsConductor *c = tu_run_scenario (scenario);
  const TlsTrace *run = tls_conductor_get_trace (c);
  const TlsStep *engine = tu_step (run, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "ServerKeyExchange signature");
  GBytes *sig = input_bytes (engine, "signature");
  g_autoptr (GBytes) file = tls_trace_to_pcapng_full (run, FALSE);
  gssize at = find_bytes (file, sig);
  g_autoptr (TlsTrace) t = NULL;
  const TlsStep *s;

  g_test_summary ("A capture with one byte of the ServerKeyExchange signature flipped in the "
                  "file: the signature check fails with the reason, and the connection's "
                  "result names it");
  g_assert_cmpint (at, >=, 0);
  t = tls12_capture (c, FALSE, at + (gssize) g_bytes_get_size (sig) / 2);
  tls_conductor_free (c);
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "ServerKeyExchange signature");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
  g_assert_nonnull (s->reason);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==,
                   "incomplete: the ServerKeyExchange signature does not verify");
}

static void
test_tls12_rsa_no_ske (void)
{
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (ref_pcapng, NULL),
                                                       g_bytes_get_size (ref_pcapng), NULL);
  g_autoptr (TlsTrace) full = tls_capture_trace (cap, 1, NULL);
  g_autoptr (TlsTrace) resumed = tls_capture_trace (cap, 2, NULL);
  const TlsStep *s = tu_step (full, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "ServerKeyExchange signature");

  g_test_summary ("RSA key exchange: no ServerKeyExchange, so its signature check is shown not "
                  "checked with the reason (RFC 5246, 7.4.3); a resumed handshake has no such "
                  "step at all");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_NOT_CHECKED);
  g_assert_nonnull (strstr (s->reason, "RSA key exchange has no ServerKeyExchange"));
  g_assert_cmpint (s->parent, ==, tls_trace_find (full, TLS_STEP_MESSAGE, "ServerHelloDone"));
  g_assert_null (tu_step (resumed, -1, TLS_STEP_CHECK, -1, "ServerKeyExchange signature"));
  g_assert_cmpstr (tls_trace_get_meta (full, "conn0.result"), ==, "completed");
}


static void
test_tls12_ske_no_certificate (void)
{
  TlsConductor *c = tu_run_scenario ("ecdhe-rsa");
  g_autoptr (GPtrArray) flights = flights_from (tls_conductor_get_trace (c), 0, "Certificate");
  g_autoptr (GBytes) file = build_capture (flights, DLT_EN10MB, FALSE, FALSE, SEG_WHOLE, NULL, -1);
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL),
                                                       g_bytes_get_size (file), NULL);
  g_autoptr (TlsTrace) t = tls_capture_trace (cap, 1, NULL);
  const TlsStep *s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "ServerKeyExchange signature");

  g_test_summary ("An ECDHE capture without the server's Certificate record: the ServerKeyExchange "
                  "signature is not checked, and the reason says there is no public key");
  tls_conductor_free (c);
  g_assert_cmpuint (count_steps (t, TLS_STEP_MESSAGE, "Certificate", 0), ==, 0);
  g_assert_cmpuint (count_steps (t, TLS_STEP_MESSAGE, "ServerKeyExchange", 0), ==, 1);
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_NOT_CHECKED);
  g_assert_nonnull (strstr (s->reason, "no server Certificate"));
}

static void
test_tls12_ske_unknown_algorithm (void)
{
  TlsConductor *c = tu_run_scenario ("ecdhe-rsa");
  const TlsTrace *run = tls_conductor_get_trace (c);
  GBytes *sig = input_bytes (tu_step (run, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT,
                                      "ServerKeyExchange signature"), "signature");
  g_autoptr (GBytes) file = tls_trace_to_pcapng_full (run, FALSE);
  gssize at = find_bytes (file, sig);
  gsize n;
  g_autofree guint8 *d = g_memdup2 (g_bytes_get_data (file, &n), g_bytes_get_size (file));
  g_autoptr (TlsCapture) cap = NULL;
  g_autoptr (TlsTrace) t = NULL;
  const TlsStep *s;

  g_test_summary ("A TLS 1.2 ServerKeyExchange whose SignatureAndHashAlgorithm is changed in the "
                  "file to 0xfefe, which no registry lists: the signature is not checked, "
                  "naming the code point");
  /* The algorithm is the 2 bytes before the signature's 2-byte length. */
  g_assert_cmpint (at, >=, 4);
  d[at - 4] = d[at - 3] = 0xfe;
  cap = tls_capture_open_bytes (d, n, NULL);
  t = tls_capture_trace (cap, 1, NULL);
  tls_conductor_free (c);
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "ServerKeyExchange signature");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_NOT_CHECKED);
  g_assert_nonnull (strstr (s->reason, "does not know the signature algorithm"));
  g_assert_nonnull (strstr (s->reason, "unknown (0xFEFE)"));
}

int
main (int argc, char **argv)
{
  TlsConductor *c;
  int rc;

  g_test_init (&argc, &argv, NULL);
  c = tu_run_scenario ("resumption");
  ref_trace = (TlsTrace *) tls_conductor_get_trace (c);
  ref_pcapng = tls_trace_to_pcapng (ref_trace);

  g_test_add_func ("/capture/own-pcapng", test_own_pcapng);
  for (gsize i = 0; i < G_N_ELEMENTS (link_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/capture/link/%s", link_cases[i].name);
      g_test_add_data_func (path, &link_cases[i], test_link);
    }
  g_test_add_func ("/capture/dsb", test_dsb_in_handmade_pcapng);
  {
    static const char *const scenarios[] = { "tickets", "ecdhe-rsa", "ecdhe-ecdsa", "dhe-rsa", "cbc",
                                             "tls10", "chacha20", "client-auth", "3des", "rc4" };
    for (gsize i = 0; i < G_N_ELEMENTS (scenarios); i++)
      {
        g_autofree char *path = g_strdup_printf ("/capture/scenario/%s", scenarios[i]);
        g_test_add_data_func (path, scenarios[i], test_scenario);
      }
  }
  g_test_add_func ("/capture/error/not-capture", test_not_capture);
  g_test_add_func ("/capture/error/no-tls", test_no_tls);
  g_test_add_func ("/capture/error/tls13", test_tls13);
  g_test_add_func ("/capture/tls13/rfc8448", test_rfc8448);
  g_test_add_func ("/capture/tls13/rfc8448-changed", test_rfc8448_changed);
  g_test_add_data_func ("/capture/tls13/checks/tls13", "tls13", test_tls13_checks);
  g_test_add_data_func ("/capture/tls13/checks/tls13-hrr", "tls13-hrr", test_tls13_checks);
  g_test_add_data_func ("/capture/tls13/checks/tls13-client-auth", "tls13-client-auth",
                        test_tls13_checks);
  g_test_add_func ("/capture/tls13/resumed", test_tls13_resumed);
  g_test_add_func ("/capture/tls13/bad-certificate-verify", test_tls13_bad_cv);
  g_test_add_func ("/capture/tls13/no-handshake-secrets", test_tls13_no_hs_secrets);
  g_test_add_func ("/capture/tls13/no-client-handshake-secret", test_tls13_no_client_hs_secret);
  for (gsize i = 0; i < G_N_ELEMENTS (ske_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/capture/tls12/ske/%s", ske_cases[i].path);
      g_test_add_data_func (path, &ske_cases[i], test_tls12_ske);
    }
  g_test_add_data_func ("/capture/tls12/ske-bad/ecdhe-rsa", "ecdhe-rsa", test_tls12_ske_bad);
  g_test_add_data_func ("/capture/tls12/ske-bad/ecdhe-ecdsa", "ecdhe-ecdsa", test_tls12_ske_bad);
  g_test_add_func ("/capture/tls12/rsa-no-ske", test_tls12_rsa_no_ske);
  g_test_add_func ("/capture/tls12/ske-no-certificate", test_tls12_ske_no_certificate);
  g_test_add_func ("/capture/tls12/ske-unknown-algorithm", test_tls12_ske_unknown_algorithm);
  g_test_add_func ("/capture/error/no-key", test_no_key);
  g_test_add_func ("/capture/unknown-message", test_unknown_message);
  g_test_add_func ("/capture/error/wrong-key", test_wrong_key);
  g_test_add_func ("/capture/error/truncated", test_truncated);
  g_test_add_func ("/capture/keylog", test_keylog_lines);
  g_test_add_func ("/capture/pcapng-blocks", test_pcapng_blocks);
  rc = g_test_run ();
  g_bytes_unref (ref_pcapng);
  tls_conductor_free (c);
  return rc;
}
