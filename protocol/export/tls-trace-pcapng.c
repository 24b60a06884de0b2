/* tls-trace-pcapng.c — the trace as a pcapng capture with its TLS secrets
 * embedded, and as an NSS key log (docs/exports.md).
 *
 * Formats followed:
 *  - pcapng: draft-ietf-opsawg-pcapng (Section Header, Interface Description,
 *    Enhanced Packet and Decryption Secrets Blocks), written little-endian;
 *  - the NSS key log format ("CLIENT_RANDOM <32 bytes hex> <48 bytes hex>");
 *  - IPv4 (RFC 791) and TCP (RFC 9293) headers with their checksums
 *    (RFC 1071), written big-endian with the one writer of tls-bytes.h. */
#include "tls-trace-pcapng.h"
#include "tls-types.h"
#include "tls-trace-live.h"

#include <string.h>

/* pcapng block types and codes */
#define PCAPNG_SHB              0x0A0D0D0Au
#define PCAPNG_IDB              0x00000001u
#define PCAPNG_EPB              0x00000006u
#define PCAPNG_DSB              0x0000000Au
#define PCAPNG_BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define PCAPNG_SECRETS_TLS      0x544C534Bu   /* "TLSK": an NSS key log */
#define LINKTYPE_RAW            101           /* packets begin with the IP header */

#define OPT_END_OF_OPT  0
#define OPT_COMMENT     1
#define SHB_USERAPPL    4
#define IF_NAME         2
#define IF_TSRESOL      9

/* TCP flags (RFC 9293, 3.1) */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

#define IPV4_LOOPBACK   0x7F000001u
#define TCP_WINDOW      65535
#define IP_TTL          64
#define IP_PROTO_TCP    6

#define MASTER_SECRET_LEN 48
#define RANDOM_LEN        32

/* ------------------------------------------------------------------ */
/* Key log                                                             */

static guint
n_connections (const TlsTrace *trace)
{
  guint n = 0;

  for (guint i = 0; i < tls_trace_len (trace); i++)
    n = MAX (n, tls_trace_get (trace, i)->connection + 1);
  return n;
}

static gboolean
is_master_secret_step (const TlsStep *s)
{
  return s->kind == TLS_STEP_DERIVATION
         && (g_strcmp0 (s->title, "master_secret") == 0
             || g_strcmp0 (s->title, "master_secret (extended)") == 0);
}

static gboolean
is_key_block_step (const TlsStep *s)
{
  return s->kind == TLS_STEP_DERIVATION && g_strcmp0 (s->title, "key_block") == 0;
}

static GBytes *
master_secret_value (GPtrArray *values)
{
  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      TlsTraceValue *v = g_ptr_array_index (values, i);
      if (g_strcmp0 (v->name, "master_secret") == 0 && v->bytes != NULL
          && g_bytes_get_size (v->bytes) == MASTER_SECRET_LEN)
        return v->bytes;
    }
  return NULL;
}

/* The master secret of CONNECTION's session (either side's: they agree
 * when the handshake went right), or NULL: the output of its master_secret
 * derivation, or, for a resumed connection, which derives none, the
 * master_secret its key_block was derived from (RFC 5246, F.1.4: "When a
 * connection is established by resuming a session, new ClientHello.random
 * and ServerHello.random values are hashed with the session's
 * master_secret."). */
static GBytes *
connection_master_secret (const TlsTrace *trace, guint connection)
{
  GBytes *from_key_block = NULL;

  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      GBytes *v;

      if (s->connection != connection)
        continue;
      if (is_master_secret_step (s) && (v = master_secret_value (s->outputs)) != NULL)
        return v;
      if (from_key_block == NULL && is_key_block_step (s))
        from_key_block = master_secret_value (s->inputs);
    }
  return from_key_block;
}

/* ClientHello.random of CONNECTION's first ClientHello, or NULL. */
static const guint8 *
connection_client_random (const TlsTrace *trace, guint connection)
{
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      TlsField *f;
      const guint8 *data;
      gsize len;

      if (s->connection != connection || s->kind != TLS_STEP_MESSAGE
          || s->content_type != TLS_CONTENT_HANDSHAKE
          || s->handshake_type != TLS_HS_CLIENT_HELLO
          || s->bytes == NULL)
        continue;
      f = tls_field_find (s->fields, "random");
      data = g_bytes_get_data (s->bytes, &len);
      if (f == NULL || f->length != RANDOM_LEN || f->offset > len || len - f->offset < RANDOM_LEN)
        return NULL;
      return data + f->offset;
    }
  return NULL;
}

/* TLS 1.3: the five secrets (seven with 0-RTT) of the NSS key log format, from the
 * derivation steps of CONNECTION that output them (titles and output names
 * of protocol/crypto/tls13-key-schedule.h). */
static void
append_tls13_lines (GString *out, const TlsTrace *trace, guint connection, const guint8 *random)
{
  static const struct { const char *title; const char *label; } lines[] = {
    { "client_early_traffic_secret", "CLIENT_EARLY_TRAFFIC_SECRET" },   /* 0-RTT only */
    { "client_handshake_traffic_secret", "CLIENT_HANDSHAKE_TRAFFIC_SECRET" },
    { "server_handshake_traffic_secret", "SERVER_HANDSHAKE_TRAFFIC_SECRET" },
    { "client_application_traffic_secret_0", "CLIENT_TRAFFIC_SECRET_0" },
    { "server_application_traffic_secret_0", "SERVER_TRAFFIC_SECRET_0" },
    { "exporter_master_secret", "EXPORTER_SECRET" },
    { "early_exporter_master_secret", "EARLY_EXPORTER_SECRET" },     /* 0-RTT only */
  };
  g_autofree char *random_hex = tls_hex (random, RANDOM_LEN);

  for (gsize k = 0; k < G_N_ELEMENTS (lines); k++)
    for (guint i = 0; i < tls_trace_len (trace); i++)
      {
        const TlsStep *s = tls_trace_get (trace, i);
        const TlsTraceValue *v;
        g_autofree char *hex = NULL;

        if (s->connection != connection || s->kind != TLS_STEP_DERIVATION
            || g_strcmp0 (s->title, lines[k].title) != 0)
          continue;
        v = tls_step_find_output (s, lines[k].title);
        if (v == NULL || v->bytes == NULL)
          continue;
        hex = tls_hex (g_bytes_get_data (v->bytes, NULL), g_bytes_get_size (v->bytes));
        g_string_append_printf (out, "%s %s %s\n", lines[k].label, random_hex, hex);
        break;
      }
}

char *
tls_trace_keylog (const TlsTrace *trace)
{
  GString *out = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (trace != NULL, NULL);

  n = n_connections (trace);
  for (guint c = 0; c < n; c++)
    {
      const guint8 *random = connection_client_random (trace, c);
      GBytes *secret = connection_master_secret (trace, c);
      g_autofree char *random_hex = NULL;
      g_autofree char *ms_hex = NULL;

      if (random != NULL)
        append_tls13_lines (out, trace, c, random);
      if (secret == NULL || random == NULL)
        continue;
      random_hex = tls_hex (random, RANDOM_LEN);
      ms_hex = tls_hex (g_bytes_get_data (secret, NULL), MASTER_SECRET_LEN);
      g_string_append_printf (out, "CLIENT_RANDOM %s %s\n", random_hex, ms_hex);
    }
  return g_string_free (out, FALSE);
}

gboolean
tls_trace_save_keylog (const TlsTrace *trace, const char *path, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = tls_trace_keylog (trace);
  /* The key log holds secrets: readable by the user only. */
  return g_file_set_contents_full (path, text, (gssize) strlen (text),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* ------------------------------------------------------------------ */
/* pcapng blocks (little-endian)                                       */

static void
put_le16 (GByteArray *b, guint16 v)
{
  guint8 d[2] = { v & 0xff, v >> 8 };
  g_byte_array_append (b, d, 2);
}

static void
put_le32 (GByteArray *b, guint32 v)
{
  guint8 d[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (b, d, 4);
}

static void
set_le32 (GByteArray *b, gsize at, guint32 v)
{
  b->data[at] = v & 0xff;
  b->data[at + 1] = (v >> 8) & 0xff;
  b->data[at + 2] = (v >> 16) & 0xff;
  b->data[at + 3] = v >> 24;
}

static void
pad4 (GByteArray *b)
{
  static const guint8 zeros[3] = { 0 };
  if (b->len % 4 != 0)
    g_byte_array_append (b, zeros, 4 - b->len % 4);
}

/* Every block: type, total length, body, total length again.
 * block_begin returns where the block starts; block_end fills in both
 * lengths once the body (padded to 32 bits) is written. */
static gsize
block_begin (GByteArray *b, guint32 type)
{
  gsize start = b->len;
  put_le32 (b, type);
  put_le32 (b, 0);
  return start;
}

static void
block_end (GByteArray *b, gsize start)
{
  guint32 total;

  pad4 (b);
  total = (guint32) (b->len - start + 4);
  put_le32 (b, total);
  set_le32 (b, start + 4, total);
}

/* An option: code, length, value padded to 32 bits. */
static void
put_option (GByteArray *b, guint16 code, const void *value, gsize len)
{
  put_le16 (b, code);
  put_le16 (b, (guint16) len);
  g_byte_array_append (b, value, len);
  pad4 (b);
}

static void
put_text_option (GByteArray *b, guint16 code, const char *text)
{
  gsize len = strlen (text);
  put_option (b, code, text, MIN (len, 0xfff0));
}

static void
put_end_of_options (GByteArray *b)
{
  put_le16 (b, OPT_END_OF_OPT);
  put_le16 (b, 0);
}

static void
write_section_header (GByteArray *b, const TlsTrace *trace)
{
  gsize start = block_begin (b, PCAPNG_SHB);
  g_autofree char *comment = NULL;

  put_le32 (b, PCAPNG_BYTE_ORDER_MAGIC);
  put_le16 (b, 1);                 /* major version */
  put_le16 (b, 0);                 /* minor version */
  put_le32 (b, 0xffffffffu);       /* section length: not given (-1) */
  put_le32 (b, 0xffffffffu);
  if (trace->scenario != NULL && trace->seeded)
    comment = g_strdup_printf ("Handshake Lab trace: scenario %s, seed %" G_GUINT64_FORMAT,
                               trace->scenario, trace->seed);
  else if (trace->scenario != NULL)
    comment = g_strdup_printf ("Handshake Lab trace: scenario %s", trace->scenario);
  else if (tls_trace_get_meta (trace, "command") != NULL)
    comment = g_strdup_printf ("Handshake Lab trace: %s, %u connection(s)",
                               tls_trace_get_meta (trace, "command"), n_connections (trace));
  else
    comment = g_strdup ("Handshake Lab trace");
  put_text_option (b, OPT_COMMENT, comment);
  put_text_option (b, SHB_USERAPPL, "Handshake Lab");
  put_end_of_options (b);
  block_end (b, start);
}

static void
write_interface (GByteArray *b)
{
  gsize start = block_begin (b, PCAPNG_IDB);
  guint8 tsresol = 6;              /* microseconds */

  put_le16 (b, LINKTYPE_RAW);
  put_le16 (b, 0);                 /* reserved */
  put_le32 (b, 0);                 /* snap length: no limit */
  put_text_option (b, IF_NAME, "lo");
  put_option (b, IF_TSRESOL, &tsresol, 1);
  put_end_of_options (b);
  block_end (b, start);
}

/* The Decryption Secrets Block: the key log, so that Wireshark decrypts
 * the packets that follow it without a key log file of its own. */
static void
write_secrets (GByteArray *b, const char *keylog)
{
  gsize start = block_begin (b, PCAPNG_DSB);
  gsize len = strlen (keylog);

  put_le32 (b, PCAPNG_SECRETS_TLS);
  put_le32 (b, (guint32) len);
  g_byte_array_append (b, (const guint8 *) keylog, len);
  pad4 (b);
  block_end (b, start);
}

static void
write_packet (GByteArray *b, guint64 ts_us, const guint8 *packet, gsize len,
              const char *comment)
{
  gsize start = block_begin (b, PCAPNG_EPB);

  put_le32 (b, 0);                            /* interface 0 */
  put_le32 (b, (guint32) (ts_us >> 32));
  put_le32 (b, (guint32) (ts_us & 0xffffffffu));
  put_le32 (b, (guint32) len);                /* captured */
  put_le32 (b, (guint32) len);                /* original */
  g_byte_array_append (b, packet, len);
  pad4 (b);
  if (comment != NULL)
    {
      put_text_option (b, OPT_COMMENT, comment);
      put_end_of_options (b);
    }
  block_end (b, start);
}

/* ------------------------------------------------------------------ */
/* IPv4 and TCP                                                        */

/* The Internet checksum (RFC 1071): one's complement of the one's
 * complement sum of 16-bit words, starting from SUM. */
static guint32
sum16 (guint32 sum, const guint8 *data, gsize len)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += (guint32) (data[i] << 8 | data[i + 1]);
  if (len % 2 != 0)
    sum += (guint32) data[len - 1] << 8;
  return sum;
}

static guint16
fold16 (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

typedef struct
{
  guint16 port;
  guint32 isn;     /* initial sequence number */
  guint64 sent;    /* stream bytes sent so far (the next wire_offset) */
  gboolean fin;    /* FIN sent (counts one sequence number) */
  guint16 ip_id;
  GBytes *last_wire;  /* for traces without wire_offset */
  guint64 last_ts;    /* of the connection's last packet */
  /* a connection with an attacker (docs/attacker.md): the stream is what
   * the receiver got; SENT counts it, TAKEN the sender's stream */
  guint64 taken;
  GByteArray *held;   /* a record held back by reorder, or NULL */
} Flow;

/* An Enhanced Packet Block, kept until every packet is made: packets are
 * written in the order of their timestamps (live connections may overlap). */
typedef struct
{
  guint64  ts;
  guint    order;
  GBytes  *block;
} Packet;

typedef struct
{
  const TlsTrace *trace;
  guint64     clock_us;   /* the trace's fixed clock */
  GArray     *packets;    /* of Packet */
} Writer;

static void
packet_clear (Packet *p)
{
  g_bytes_unref (p->block);
}

static int
packet_compare (gconstpointer a, gconstpointer b)
{
  const Packet *p = a, *q = b;

  if (p->ts != q->ts)
    return p->ts < q->ts ? -1 : 1;
  return p->order < q->order ? -1 : p->order > q->order;
}

static guint32
flow_next_seq (const Flow *f)
{
  /* the SYN takes one sequence number */
  return f->isn + 1 + (guint32) f->sent + (f->fin ? 1 : 0);
}

/* One IPv4 packet with a TCP segment from FROM to TO. */
static void
emit_segment (Writer *w, guint64 ts_us, Flow *from, Flow *to, guint8 flags,
              guint32 seq, const guint8 *payload, gsize len, const char *comment)
{
  TlsWriter p;
  g_autoptr (GBytes) bytes = NULL;
  guint8 *pkt;
  gsize pkt_len;
  gsize tcp_len = 20 + len;
  guint32 sum;
  guint16 csum;

  tls_writer_init (&p, NULL);
  /* IPv4 header (RFC 791, 3.1), no options */
  tls_write_u8 (&p, NULL, 0x45);                 /* version 4, IHL 5 words */
  tls_write_u8 (&p, NULL, 0);                    /* type of service */
  tls_write_u16 (&p, NULL, (guint16) (20 + tcp_len));
  tls_write_u16 (&p, NULL, from->ip_id++);
  tls_write_u16 (&p, NULL, 0x4000);              /* don't fragment */
  tls_write_u8 (&p, NULL, IP_TTL);
  tls_write_u8 (&p, NULL, IP_PROTO_TCP);
  tls_write_u16 (&p, NULL, 0);                   /* checksum, below */
  tls_write_u32 (&p, NULL, IPV4_LOOPBACK);
  tls_write_u32 (&p, NULL, IPV4_LOOPBACK);
  /* TCP header (RFC 9293, 3.1), no options */
  tls_write_u16 (&p, NULL, from->port);
  tls_write_u16 (&p, NULL, to->port);
  tls_write_u32 (&p, NULL, seq);
  tls_write_u32 (&p, NULL, (flags & TCP_ACK) ? flow_next_seq (to) : 0);
  tls_write_u8 (&p, NULL, 5 << 4);               /* data offset 5 words */
  tls_write_u8 (&p, NULL, flags);
  tls_write_u16 (&p, NULL, TCP_WINDOW);
  tls_write_u16 (&p, NULL, 0);                   /* checksum, below */
  tls_write_u16 (&p, NULL, 0);                   /* urgent pointer */
  if (len > 0)
    tls_write_bytes (&p, NULL, payload, len);
  bytes = tls_writer_steal (&p);
  pkt = g_bytes_unref_to_data (g_steal_pointer (&bytes), &pkt_len);

  csum = fold16 (sum16 (0, pkt, 20));
  pkt[10] = csum >> 8;
  pkt[11] = csum & 0xff;
  /* the TCP checksum covers a pseudo header: source, destination, zero,
   * protocol, TCP length */
  sum = sum16 (0, pkt + 12, 8);
  sum += IP_PROTO_TCP + (guint32) tcp_len;
  csum = fold16 (sum16 (sum, pkt + 20, tcp_len));
  pkt[36] = csum >> 8;
  pkt[37] = csum & 0xff;

  /* Within a connection, every packet is at least a microsecond after
   * the one before. */
  ts_us = MAX (ts_us, MAX (from->last_ts, to->last_ts) + 1);
  from->last_ts = to->last_ts = ts_us;
  {
    GByteArray *block = g_byte_array_new ();
    Packet p = { ts_us, w->packets->len, NULL };

    write_packet (block, ts_us, pkt, pkt_len, comment);
    p.block = g_byte_array_free_to_bytes (block);
    g_array_append_val (w->packets, p);
  }
  g_free (pkt);
}

/* A live run's real time of the step; else the fixed clock plus a
 * millisecond per step. */
static guint64
step_time (const Writer *w, guint step_index)
{
  gint64 t = tls_trace_step_time (w->trace, step_index);

  if (t > 0)
    return (guint64) t;
  return w->clock_us + (guint64) step_index * 1000;
}

/* The SYN of a connection that has a name (meta key connN.name) says it. */
static void
open_connection (Writer *w, guint64 ts, guint connection, Flow *c, Flow *s)
{
  g_autofree char *key = g_strdup_printf ("conn%u.name", connection);
  const char *name = tls_trace_get_meta (w->trace, key);
  g_autofree char *comment = name ? g_strdup_printf ("connection %u: %s", connection + 1, name)
                                  : NULL;

  emit_segment (w, ts, c, s, TCP_SYN, c->isn, NULL, 0, comment);
  emit_segment (w, ts, s, c, TCP_SYN | TCP_ACK, s->isn, NULL, 0, NULL);
  emit_segment (w, ts, c, s, TCP_ACK, flow_next_seq (c), NULL, 0, NULL);
}

static void
close_connection (Writer *w, guint64 ts, Flow *c, Flow *s)
{
  emit_segment (w, ts, c, s, TCP_FIN | TCP_ACK, flow_next_seq (c), NULL, 0, NULL);
  c->fin = TRUE;
  emit_segment (w, ts, s, c, TCP_FIN | TCP_ACK, flow_next_seq (s), NULL, 0, NULL);
  s->fin = TRUE;
  emit_segment (w, ts, c, s, TCP_ACK, flow_next_seq (c), NULL, 0, NULL);
}

/* "step 4: ServerHello; step 5: Certificate" for the steps whose records
 * start in [START, END) of the stream of ACTOR in CONNECTION. */
static char *
segment_comment (const TlsTrace *trace, guint connection, TlsActor actor,
                 guint64 start, guint64 end)
{
  GString *c = g_string_new (NULL);

  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);

      if (s->connection != connection || s->actor != actor || s->wire == NULL
          || s->wire_offset < 0
          || (guint64) s->wire_offset < start || (guint64) s->wire_offset >= end)
        continue;
      if (c->len > 0)
        g_string_append (c, "; ");
      g_string_append_printf (c, "step %u: %s", s->index, s->title ? s->title : "");
    }
  if (c->len == 0)
    {
      g_string_free (c, TRUE);
      return NULL;
    }
  return g_string_free (c, FALSE);
}

/* The new bytes of STEP's records in FROM's stream, as segments of at most
 * TLS_PCAPNG_MAX_SEGMENT bytes.  Bytes already sent (a record that carried
 * several messages is in each of their steps) are skipped. */
static void
emit_step_data (Writer *w, const TlsTrace *trace, const TlsStep *step, Flow *from, Flow *to)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (step->wire, &len);
  guint64 offset, skip;

  if (step->wire_offset >= 0)
    offset = (guint64) step->wire_offset;
  else if (from->last_wire != NULL && g_bytes_equal (from->last_wire, step->wire))
    return;   /* no offset (an older trace): the same record again */
  else
    offset = from->sent;
  from->last_wire = step->wire;

  if (offset + len <= from->sent)
    return;
  skip = offset < from->sent ? from->sent - offset : 0;
  /* A gap (offset > sent) means bytes the trace does not hold: the sequence
   * numbers jump over them, and Wireshark says a segment was not captured. */
  from->sent = offset + skip;
  for (gsize at = skip; at < len; )
    {
      gsize n = MIN (len - at, TLS_PCAPNG_MAX_SEGMENT);
      g_autofree char *comment = segment_comment (trace, step->connection, step->actor,
                                                  offset + at, offset + at + n);

      emit_segment (w, step_time (w, step->index), from, to, TCP_PSH | TCP_ACK,
                    flow_next_seq (from), data + at, n, comment);
      from->sent += n;
      at += n;
    }
}

/* The attacker step that acted on the record at OFFSET of the stream of
 * SENDER in CONNECTION, or NULL. */
static const TlsStep *
attack_on (const TlsTrace *trace, guint from, guint connection, TlsActor sender, gint64 offset)
{
  for (guint i = from; i < tls_trace_len (trace); i++)
    {
      const TlsStep *a = tls_trace_get (trace, i);
      const TlsTraceValue *sent;

      if (a->connection != connection || a->actor != TLS_ACTOR_ATTACKER || a->wire_offset != offset)
        continue;
      sent = tls_step_find_value (a, "record sent");
      if (sent != NULL && sent->from_step >= 0 && (guint) sent->from_step < tls_trace_len (trace)
          && tls_trace_get (trace, (guint) sent->from_step)->actor == sender)
        return a;
    }
  return NULL;
}

static void
emit_bytes (Writer *w, guint64 ts, Flow *from, Flow *to, const guint8 *data, gsize len,
            const char *comment)
{
  for (gsize at = 0; at < len; )
    {
      gsize n = MIN (len - at, TLS_PCAPNG_MAX_SEGMENT);
      emit_segment (w, ts, from, to, TCP_PSH | TCP_ACK, flow_next_seq (from), data + at, n, comment);
      from->sent += n;
      at += n;
    }
}

/* STEP's records as the receiver got them: each record an attacker step
 * acted on is replaced by what the attacker delivered (nothing for a drop,
 * two copies for a replay, the injected record first), and a record held
 * back by reorder follows the next record in the same direction. */
static void
emit_attacked_step (Writer *w, const TlsTrace *trace, const TlsStep *step, Flow *from, Flow *to)
{
  gsize len, pos;
  const guint8 *data = g_bytes_get_data (step->wire, &len);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autofree char *comment = NULL;

  if (step->wire_offset < 0 || (guint64) step->wire_offset + len <= from->taken)
    return;
  pos = (guint64) step->wire_offset < from->taken ? from->taken - (guint64) step->wire_offset : 0;
  while (pos + 5 <= len)
    {
      gsize rl = MIN (len - pos, 5 + ((gsize) data[pos + 3] << 8 | data[pos + 4]));
      const TlsStep *a = attack_on (trace, step->index + 1, step->connection, step->actor,
                                    step->wire_offset + (gint64) pos);
      const TlsTraceValue *got = a ? tls_step_find_value (a, "record delivered") : NULL;

      if (a != NULL && a->choice != NULL && g_str_has_prefix (a->choice, "reorder:"))
        {
          if (from->held == NULL)
            from->held = g_byte_array_new ();
          g_byte_array_append (from->held, data + pos, (guint) rl);
        }
      else
        {
          if (got != NULL && got->bytes != NULL)
            g_byte_array_append (out, g_bytes_get_data (got->bytes, NULL), (guint) g_bytes_get_size (got->bytes));
          else
            g_byte_array_append (out, data + pos, (guint) rl);
          if (from->held != NULL)
            {
              g_byte_array_append (out, from->held->data, from->held->len);
              g_clear_pointer (&from->held, g_byte_array_unref);
            }
        }
      pos += rl;
    }
  from->taken = (guint64) step->wire_offset + len;
  comment = g_strdup_printf ("step %u: %s (as the receiver got it)", step->index, step->title ? step->title : "");
  emit_bytes (w, step_time (w, step->index), from, to, out->data, out->len, comment);
}

GBytes *
tls_trace_to_pcapng (const TlsTrace *trace)
{
  return tls_trace_to_pcapng_full (trace, TRUE);
}

GBytes *
tls_trace_to_pcapng_full (const TlsTrace *trace, gboolean with_secrets)
{
  Writer w = { 0 };
  GByteArray *out;
  g_autofree char *keylog = NULL;
  guint n;
  g_autofree Flow *flows = NULL;      /* 2 per connection: client, server */
  g_autofree int *first = NULL;       /* first and last steps with records */
  g_autofree int *last = NULL;
  g_autofree gboolean *attacked = NULL;   /* connections with an attacker */

  g_return_val_if_fail (trace != NULL, NULL);

  out = g_byte_array_new ();
  w.trace = trace;
  w.clock_us = trace->clock > 0 ? (guint64) trace->clock * G_USEC_PER_SEC : 0;
  w.packets = g_array_new (FALSE, FALSE, sizeof (Packet));
  g_array_set_clear_func (w.packets, (GDestroyNotify) packet_clear);
  keylog = tls_trace_keylog (trace);
  write_section_header (out, trace);
  write_interface (out);
  if (with_secrets && keylog[0] != '\0')
    write_secrets (out, keylog);

  n = n_connections (trace);
  flows = g_new0 (Flow, 2 * MAX (n, 1));
  first = g_new (int, MAX (n, 1));
  attacked = g_new0 (gboolean, MAX (n, 1));
  last = g_new (int, MAX (n, 1));
  for (guint c = 0; c < n; c++)
    {
      first[c] = last[c] = -1;
      flows[2 * c].port = (guint16) (TLS_PCAPNG_CLIENT_PORT_BASE + c % 10000);
      flows[2 * c + 1].port = TLS_PCAPNG_SERVER_PORT;
      /* fixed initial sequence numbers: the same trace gives the same file */
      flows[2 * c].isn = 0x10000000u + c * 0x01000000u;
      flows[2 * c + 1].isn = 0x80000000u + c * 0x01000000u;
      flows[2 * c].ip_id = (guint16) (0x1000 + c * 0x100);
      flows[2 * c + 1].ip_id = (guint16) (0x8000 + c * 0x100);
    }
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      if (s->actor == TLS_ACTOR_ATTACKER && s->connection < n)
        attacked[s->connection] = TRUE;
      if (s->wire == NULL || g_bytes_get_size (s->wire) == 0 || s->actor == TLS_ACTOR_ATTACKER)
        continue;
      if (first[s->connection] < 0)
        first[s->connection] = (int) i;
      last[s->connection] = (int) i;
    }

  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      guint c = s->connection;
      Flow *client = &flows[2 * c], *server = &flows[2 * c + 1];

      if (s->wire == NULL || g_bytes_get_size (s->wire) == 0 || s->actor == TLS_ACTOR_ATTACKER)
        continue;
      if ((int) i == first[c])
        open_connection (&w, step_time (&w, i), c, client, server);
      if (attacked[c])
        {
          if (s->actor == TLS_ACTOR_CLIENT)
            emit_attacked_step (&w, trace, s, client, server);
          else
            emit_attacked_step (&w, trace, s, server, client);
        }
      else if (s->actor == TLS_ACTOR_CLIENT)
        emit_step_data (&w, trace, s, client, server);
      else
        emit_step_data (&w, trace, s, server, client);
      if ((int) i == last[c])
        {
          /* a record held back by reorder with nothing after it */
          for (int side = 0; side < 2; side++)
            {
              Flow *f = side ? server : client;
              if (f->held != NULL)
                {
                  emit_bytes (&w, step_time (&w, i), f, side ? client : server, f->held->data,
                              f->held->len, NULL);
                  g_clear_pointer (&f->held, g_byte_array_unref);
                }
            }
          close_connection (&w, step_time (&w, i), client, server);
        }
    }

  g_array_sort (w.packets, packet_compare);
  for (guint i = 0; i < w.packets->len; i++)
    {
      gsize len;
      const guint8 *block = g_bytes_get_data (g_array_index (w.packets, Packet, i).block, &len);
      g_byte_array_append (out, block, len);
    }
  g_array_unref (w.packets);
  return g_byte_array_free_to_bytes (out);
}

gboolean
tls_trace_save_pcapng (const TlsTrace *trace, const char *path, GError **error)
{
  return tls_trace_save_pcapng_full (trace, path, TRUE, error);
}

gboolean
tls_trace_save_pcapng_full (const TlsTrace *trace, const char *path, gboolean with_secrets,
                            GError **error)
{
  g_autoptr (GBytes) pcapng = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  pcapng = tls_trace_to_pcapng_full (trace, with_secrets);
  data = g_bytes_get_data (pcapng, &len);
  /* CONSISTENT: written to PATH.XXXXXX beside PATH, then renamed over it;
   * the temporary file is removed if writing or renaming fails.  The file
   * embeds the session secrets: readable by the user only. */
  return g_file_set_contents_full (path, (const char *) data, (gssize) len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
