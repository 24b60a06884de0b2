/* tls-capture-net.c — packets to TCP streams (tls-capture-net.h). */
#include "config.h"
#include "tls-capture-net.h"

#include <glib/gi18n-lib.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86DD
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88A8

/* A segment as read, before reassembly. */
typedef struct
{
  guint32  seq;
  guint    packet;
  GBytes  *data;
} RawSeg;

typedef struct
{
  TlsCapFlow *flow;
  GArray     *segs[2];      /* of RawSeg */
  gboolean    syn[2];
  guint32     isn[2];
  gboolean    has_data;
  gboolean    cut[2];       /* a packet of this direction was cut short */
} FlowBuild;

static guint16
be16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* ---- One packet ------------------------------------------------------- */

static gboolean
decode_tcp (const guint8 *p, gsize len, TlsCapSegment *seg)
{
  gsize hl;

  /* RFC 9293, 3.1: Data Offset is the header length in 32-bit words. */
  if (len < 20)
    return FALSE;
  hl = (gsize) (p[12] >> 4) * 4;
  if (hl < 20 || hl > len)
    return FALSE;
  seg->sport = be16 (p);
  seg->dport = be16 (p + 2);
  seg->seq = be32 (p + 4);
  seg->flags = p[13];
  seg->payload = p + hl;
  seg->len = len - hl;
  return TRUE;
}

static gboolean
decode_ipv4 (const guint8 *p, gsize len, TlsCapSegment *seg)
{
  gsize hl, total;

  if (len < 20 || (p[0] >> 4) != 4)
    return FALSE;
  hl = (gsize) (p[0] & 0x0f) * 4;
  total = be16 (p + 2);
  if (hl < 20 || total < hl)
    return FALSE;
  if (total < len)
    len = total;      /* Ethernet padding after the datagram */
  if (hl > len)
    return FALSE;
  /* A fragment (more fragments, or an offset) is not a whole segment. */
  if ((be16 (p + 6) & 0x3fff) != 0 || p[9] != 6)
    return FALSE;
  seg->v6 = FALSE;
  memset (seg->src, 0, 16);
  memset (seg->dst, 0, 16);
  memcpy (seg->src, p + 12, 4);
  memcpy (seg->dst, p + 16, 4);
  return decode_tcp (p + hl, len - hl, seg);
}

static gboolean
decode_ipv6 (const guint8 *p, gsize len, TlsCapSegment *seg)
{
  gsize off = 40, payload;
  guint8 next;

  if (len < 40 || (p[0] >> 4) != 6)
    return FALSE;
  payload = be16 (p + 4);
  if (40 + payload < len)
    len = 40 + payload;
  next = p[6];
  /* RFC 8200, 4: extension headers chain by Next Header; hop-by-hop (0),
   * routing (43) and destination options (60) are (Hdr Ext Len + 1) * 8
   * bytes.  A fragment header (44) means a fragment: skipped. */
  while (next == 0 || next == 43 || next == 60)
    {
      if (off + 2 > len)
        return FALSE;
      next = p[off];
      off += ((gsize) p[off + 1] + 1) * 8;
    }
  if (next != 6 || off > len)
    return FALSE;
  seg->v6 = TRUE;
  memcpy (seg->src, p + 8, 16);
  memcpy (seg->dst, p + 24, 16);
  return decode_tcp (p + off, len - off, seg);
}

static gboolean
decode_ethertype (guint16 type, const guint8 *p, gsize len, TlsCapSegment *seg)
{
  if (type == ETHERTYPE_IPV4)
    return decode_ipv4 (p, len, seg);
  if (type == ETHERTYPE_IPV6)
    return decode_ipv6 (p, len, seg);
  return FALSE;
}

/* BSD loopback: a 4-byte address family, host order (null) or network
 * order (loop).  AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30. */
static gboolean
decode_af (guint32 af, const guint8 *p, gsize len, TlsCapSegment *seg)
{
  if (af == 2)
    return decode_ipv4 (p, len, seg);
  if (af == 24 || af == 28 || af == 30)
    return decode_ipv6 (p, len, seg);
  return FALSE;
}

gboolean
tls_cap_decode (int linktype, const guint8 *p, gsize len, TlsCapSegment *seg)
{
  memset (seg, 0, sizeof *seg);
  switch (linktype)
    {
    case DLT_EN10MB:
      {
        gsize off = 12;
        guint16 type;

        if (len < 14)
          return FALSE;
        type = be16 (p + off);
        while ((type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) && off + 6 <= len)
          {
            off += 4;
            type = be16 (p + off);
          }
        off += 2;
        if (off > len)
          return FALSE;
        return decode_ethertype (type, p + off, len - off, seg);
      }
    case DLT_LINUX_SLL:
      /* 16 bytes: packet type, ARPHRD, address length, 8 address bytes,
       * protocol (an EtherType) last. */
      return len >= 16 && decode_ethertype (be16 (p + 14), p + 16, len - 16, seg);
    case DLT_LINUX_SLL2:
      /* 20 bytes: protocol first, then reserved, interface, ARPHRD,
       * packet type, address length, 8 address bytes. */
      return len >= 20 && decode_ethertype (be16 (p), p + 20, len - 20, seg);
    case DLT_NULL:
      {
        guint32 af_le, af_be;

        if (len < 4)
          return FALSE;
        af_le = (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
        af_be = be32 (p);
        return decode_af (af_le < 256 ? af_le : af_be, p + 4, len - 4, seg);
      }
    case DLT_LOOP:
      return len >= 4 && decode_af (be32 (p), p + 4, len - 4, seg);
    case DLT_RAW:
#if defined(DLT_RAW) && DLT_RAW != 14
    case 14:
#endif
#if DLT_RAW != 12
    case 12:
#endif
    case 101:  /* LINKTYPE_RAW as some libpcaps hand it back */
      if (len >= 1 && (p[0] >> 4) == 6)
        return decode_ipv6 (p, len, seg);
      return decode_ipv4 (p, len, seg);
    case DLT_IPV4:
      return decode_ipv4 (p, len, seg);
    case DLT_IPV6:
      return decode_ipv6 (p, len, seg);
    default:
      return FALSE;
    }
}

/* ---- Flows ------------------------------------------------------------ */

static char *
addr_text (gboolean v6, const guint8 *a)
{
  char buf[64];

  if (!v6)
    return g_strdup_printf ("%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
  {
    /* RFC 5952 shape, without compressing zero runs beyond "::" once. */
    guint16 w[8];
    int best = -1, best_len = 0;
    GString *s = g_string_new ("[");

    for (int i = 0; i < 8; i++)
      w[i] = be16 (a + 2 * i);
    for (int i = 0; i < 8;)
      {
        int j = i;
        while (j < 8 && w[j] == 0)
          j++;
        if (j - i > best_len && j - i >= 2)
          {
            best = i;
            best_len = j - i;
          }
        i = j > i ? j : i + 1;
      }
    for (int i = 0; i < 8; i++)
      {
        if (i == best)
          {
            g_string_append (s, "::");
            i += best_len - 1;
            continue;
          }
        if (s->len > 1 && s->str[s->len - 1] != ':')
          g_string_append_c (s, ':');
        g_snprintf (buf, sizeof buf, "%x", w[i]);
        g_string_append (s, buf);
      }
    g_string_append_c (s, ']');
    return g_string_free (s, FALSE);
  }
}

static char *
flow_key (const TlsCapSegment *seg, gboolean reverse)
{
  g_autofree char *a = addr_text (seg->v6, reverse ? seg->dst : seg->src);
  g_autofree char *b = addr_text (seg->v6, reverse ? seg->src : seg->dst);

  return g_strdup_printf ("%s:%u>%s:%u", a, reverse ? seg->dport : seg->sport,
                          b, reverse ? seg->sport : seg->dport);
}

static void
stream_init (TlsCapStream *s)
{
  s->data = g_byte_array_new ();
  s->chunks = g_array_new (FALSE, FALSE, sizeof (TlsCapChunk));
}

static FlowBuild *
flow_new (const TlsCapSegment *seg, guint packet)
{
  FlowBuild *fb = g_new0 (FlowBuild, 1);

  fb->flow = g_new0 (TlsCapFlow, 1);
  fb->flow->addr[0] = addr_text (seg->v6, seg->src);
  fb->flow->addr[1] = addr_text (seg->v6, seg->dst);
  fb->flow->port[0] = seg->sport;
  fb->flow->port[1] = seg->dport;
  fb->flow->first_packet = packet;
  for (int d = 0; d < 2; d++)
    {
      fb->segs[d] = g_array_new (FALSE, FALSE, sizeof (RawSeg));
      stream_init (&fb->flow->stream[d]);
    }
  return fb;
}

static gint
seg_cmp (gconstpointer a, gconstpointer b, gpointer base_p)
{
  guint32 base = GPOINTER_TO_UINT (base_p);
  const RawSeg *x = a, *y = b;
  guint32 rx = x->seq - base, ry = y->seq - base;

  if (rx != ry)
    return rx < ry ? -1 : 1;
  return x->packet < y->packet ? -1 : x->packet > y->packet;
}

/* Puts the segments of one direction in sequence order into S. */
static void
reassemble (GArray *segs, gboolean syn, guint32 isn, TlsCapStream *s)
{
  guint32 base;
  guint64 next = 0;
  guint last_packet = 0;

  if (segs->len == 0)
    return;
  if (syn)
    base = isn + 1;   /* the SYN takes one sequence number (RFC 9293, 3.4) */
  else
    {
      /* No SYN in the capture: start at the lowest sequence number seen,
       * counted from the first segment (sequence numbers wrap). */
      guint32 first = g_array_index (segs, RawSeg, 0).seq;
      gint64 lowest = 0;
      for (guint i = 0; i < segs->len; i++)
        lowest = MIN (lowest, (gint64) (gint32) (g_array_index (segs, RawSeg, i).seq - first));
      base = first + (guint32) lowest;
    }
  g_array_sort_with_data (segs, seg_cmp, GUINT_TO_POINTER (base));
  last_packet = 0;
  for (guint i = 0; i < segs->len; i++)
    {
      const RawSeg *r = &g_array_index (segs, RawSeg, i);
      gsize n;
      const guint8 *d = g_bytes_get_data (r->data, &n);
      guint64 rel = (guint32) (r->seq - base);
      TlsCapChunk c;

      if (rel + n <= next)
        {
          s->retransmitted++;
          continue;
        }
      if (rel > next)
        {
          s->hole = TRUE;
          s->hole_len = (gsize) (rel - next);
          break;
        }
      if (r->packet < last_packet)
        s->out_of_order++;
      last_packet = MAX (last_packet, r->packet);
      c.offset = (gsize) next;
      c.length = (gsize) (rel + n - next);
      c.packet = r->packet;
      g_byte_array_append (s->data, d + (next - rel), c.length);
      g_array_append_val (s->chunks, c);
      next = rel + n;
    }
}

static void
flow_build_finish (FlowBuild *fb)
{
  for (int d = 0; d < 2; d++)
    {
      reassemble (fb->segs[d], fb->syn[d], fb->isn[d], &fb->flow->stream[d]);
      fb->flow->stream[d].truncated_packet = fb->cut[d];
      for (guint i = 0; i < fb->segs[d]->len; i++)
        g_bytes_unref (g_array_index (fb->segs[d], RawSeg, i).data);
      g_array_free (fb->segs[d], TRUE);
    }
  g_free (fb);
}

guint
tls_cap_stream_packet (const TlsCapStream *s, gsize offset, gsize len)
{
  guint best = 0;
  gsize end = offset + len;

  for (guint i = 0; i < s->chunks->len; i++)
    {
      const TlsCapChunk *c = &g_array_index (s->chunks, TlsCapChunk, i);
      if (c->offset < end && c->offset + c->length > offset)
        best = MAX (best, c->packet);
    }
  return best;
}

void
tls_cap_flow_swap (TlsCapFlow *flow)
{
  char *a = flow->addr[0];
  guint16 p = flow->port[0];
  TlsCapStream s = flow->stream[0];

  flow->addr[0] = flow->addr[1];
  flow->addr[1] = a;
  flow->port[0] = flow->port[1];
  flow->port[1] = p;
  flow->stream[0] = flow->stream[1];
  flow->stream[1] = s;
}

static void
flow_free (TlsCapFlow *flow)
{
  for (int d = 0; d < 2; d++)
    {
      g_free (flow->addr[d]);
      g_byte_array_unref (flow->stream[d].data);
      g_array_unref (flow->stream[d].chunks);
    }
  g_free (flow);
}

void
tls_cap_net_free (TlsCapNet *net)
{
  if (net == NULL)
    return;
  g_ptr_array_unref (net->flows);
  g_free (net->problem);
  g_free (net);
}

TlsCapNet *
tls_cap_net_read (const guint8 *data, gsize len, GError **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  FILE *f;
  pcap_t *pc;
  TlsCapNet *net;
  g_autoptr (GHashTable) current = NULL;   /* key -> FlowBuild* (direction 0) */
  g_autoptr (GPtrArray) builds = NULL;
  struct pcap_pkthdr *hdr;
  const u_char *pkt;
  int rc;

  if (len < 24 || (f = fmemopen ((void *) data, len, "rb")) == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("not a capture file (too short for a pcap or pcapng header)"));
      return NULL;
    }
  pc = pcap_fopen_offline (f, errbuf);
  if (pc == NULL)
    {
      fclose (f);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("not a capture file that libpcap can read (%s)"), errbuf);
      return NULL;
    }
  net = g_new0 (TlsCapNet, 1);
  net->flows = g_ptr_array_new_with_free_func ((GDestroyNotify) flow_free);
  net->linktype = pcap_datalink (pc);
  current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  builds = g_ptr_array_new ();

  while ((rc = pcap_next_ex (pc, &hdr, &pkt)) == 1)
    {
      TlsCapSegment seg;
      g_autofree char *key = NULL;
      FlowBuild *fb;
      int dir = 0;
      RawSeg r;

      net->packets++;
      if (!tls_cap_decode (net->linktype, pkt, hdr->caplen, &seg))
        {
          net->skipped++;
          continue;
        }
      key = flow_key (&seg, FALSE);
      fb = g_hash_table_lookup (current, key);
      if (fb == NULL)
        {
          g_autofree char *rkey = flow_key (&seg, TRUE);
          fb = g_hash_table_lookup (current, rkey);
          dir = 1;
        }
      /* A new connection: a pair never seen, or a SYN (no ACK) on a pair
       * that already carried data (the ports were used again). */
      if (fb == NULL || ((seg.flags & 0x12) == 0x02 && fb->has_data))
        {
          g_autofree char *rkey = flow_key (&seg, TRUE);
          g_hash_table_remove (current, rkey);
          fb = flow_new (&seg, net->packets);
          g_ptr_array_add (builds, fb);
          g_ptr_array_add (net->flows, fb->flow);
          g_hash_table_replace (current, g_strdup (key), fb);
          dir = 0;
        }
      if (seg.flags & 0x02)
        {
          fb->syn[dir] = TRUE;
          fb->isn[dir] = seg.seq;
        }
      if (hdr->caplen < hdr->len)
        fb->cut[dir] = TRUE;
      if (seg.len == 0)
        continue;
      fb->has_data = TRUE;
      /* Data on a SYN starts one after the SYN's number. */
      r.seq = (seg.flags & 0x02) ? seg.seq + 1 : seg.seq;
      r.packet = net->packets;
      r.data = g_bytes_new (seg.payload, seg.len);
      g_array_append_val (fb->segs[dir], r);
    }
  if (rc == PCAP_ERROR)
    net->problem = g_strdup_printf (_("the capture file is cut short after packet %u (%s)"),
                                    net->packets, pcap_geterr (pc));
  for (guint i = 0; i < builds->len; i++)
    flow_build_finish (g_ptr_array_index (builds, i));
  pcap_close (pc);   /* closes F */
  return net;
}
