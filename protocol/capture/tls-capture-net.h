/* tls-capture-net.h — from a capture file to TCP byte streams.
 *
 * Packets are read with libpcap (classic pcap and pcapng).  Each packet is
 * taken apart by hand down to TCP: the link layer (Ethernet with 802.1Q
 * tags, Linux cooked SLL and SLL2, BSD loopback "null" and "loop", raw IP),
 * IPv4 (RFC 791; fragments are skipped) or IPv6 (RFC 8200; hop-by-hop,
 * routing and destination options headers are stepped over), then TCP
 * (RFC 9293, 3.1).  Segments are grouped into connections by address and
 * port; a SYN without ACK on a pair that already carried data starts a new
 * one.  Each direction is reassembled by sequence number: segments in
 * order are appended, retransmitted bytes dropped, out-of-order segments
 * put in their place; a hole that no later segment fills ends the stream
 * there (the capture lost bytes). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A byte range of a stream and the packet (1-based) that brought it. */
typedef struct
{
  gsize  offset;
  gsize  length;
  guint  packet;
} TlsCapChunk;

typedef struct
{
  GByteArray *data;       /* the bytes in order, up to the first hole */
  GArray     *chunks;     /* of TlsCapChunk, by offset */
  gboolean    hole;       /* bytes missing at data->len */
  gsize       hole_len;   /* how many (to the next segment held) */
  guint       retransmitted;  /* segments whose bytes were all there already */
  guint       out_of_order;   /* segments that arrived before an earlier one */
  gboolean    truncated_packet; /* a packet was cut by the snapshot length */
} TlsCapStream;

typedef struct
{
  char        *addr[2];   /* "192.0.2.1" or "[2001:db8::1]"; [0] the client */
  guint16      port[2];
  guint        first_packet;
  TlsCapStream stream[2]; /* [0] client -> server, [1] server -> client */
} TlsCapFlow;

typedef struct
{
  GPtrArray *flows;       /* of TlsCapFlow* in order of their first packet */
  guint      packets;     /* packets read */
  guint      skipped;     /* packets that were not TCP over IP */
  int        linktype;    /* DLT_ */
  char      *problem;     /* why reading stopped early (truncated file), or NULL */
} TlsCapNet;

/* Reads DATA as a capture.  NULL and ERROR when libpcap cannot read it. */
TlsCapNet *tls_cap_net_read   (const guint8 *data, gsize len, GError **error);
void       tls_cap_net_free   (TlsCapNet *net);
/* The packet that brought the last byte of [OFFSET, OFFSET+LEN) of S. */
guint      tls_cap_stream_packet (const TlsCapStream *s, gsize offset, gsize len);
/* Swaps the two directions of FLOW (when the first sender was the server). */
void       tls_cap_flow_swap  (TlsCapFlow *flow);

/* Taking one packet apart, exposed for tests: TRUE for a TCP segment. */
typedef struct
{
  gboolean      v6;
  guint8        src[16], dst[16];
  guint16       sport, dport;
  guint32       seq;
  guint8        flags;     /* TCP flags: FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10 */
  const guint8 *payload;
  gsize         len;
} TlsCapSegment;

gboolean   tls_cap_decode     (int linktype, const guint8 *pkt, gsize len, TlsCapSegment *seg);

G_END_DECLS
