/* fuzz-capture.c — libFuzzer target for the readers of protocol/capture
 * written by hand: the link, IP and TCP decoders, the TCP reassembly, the
 * pcapng Decryption Secrets Block walker, the NSS key log reader, and the
 * trace of every connection found.
 *
 * The first byte chooses what the rest is:
 *   0  a whole capture (pcap or pcapng, through libpcap), each connection
 *      traced, with a key log made of the file's own bytes
 *   1  a pcapng file for the secrets walker alone
 *   2  a key log
 *   3+ one packet for tls_cap_decode, the link type chosen by byte 1. */
#include "config.h"

#include <stdint.h>
#include <pcap/pcap.h>

#include "tls-capture.h"
#include "tls-capture-net.h"
#include "tls-keylog.h"
#include "tls-pcapng-secrets.h"

static const int linktypes[] = { DLT_EN10MB, DLT_LINUX_SLL, 276, DLT_NULL, DLT_LOOP, DLT_RAW, 228, 229 };

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 2)
    return 0;
  switch (data[0])
    {
    case 0:
      {
        TlsCapture *cap = tls_capture_open_bytes (data + 1, size - 1, NULL);
        if (cap == NULL)
          return 0;
        for (guint i = 1; i <= tls_capture_n_connections (cap) && i <= 8; i++)
          {
            TlsTrace *t = tls_capture_trace (cap, i, NULL);
            g_free (tls_capture_describe (cap, tls_capture_connection (cap, i)));
            tls_trace_free (t);
          }
        tls_capture_free (cap);
        return 0;
      }
    case 1:
      g_ptr_array_unref (tls_pcapng_read_secrets (data + 1, size - 1));
      return 0;
    case 2:
      {
        TlsKeylog *log = tls_keylog_new ();
        tls_keylog_add (log, (const char *) data + 1, size - 1);
        tls_keylog_free (log);
        return 0;
      }
    default:
      {
        TlsCapSegment seg;
        tls_cap_decode (linktypes[data[1] % G_N_ELEMENTS (linktypes)], data + 2, size - 2, &seg);
        return 0;
      }
    }
}
