/* tls-trace-pcapng.h — a run as a capture that Wireshark decrypts.
 *
 * The trace holds the records exactly as each side sent them, and where
 * they lie in the sender's byte stream (TlsStep.wire_offset).  From these
 * the exporter rebuilds each connection as a TCP stream over IPv4
 * loopback, 127.0.0.1:(50000 + connection) <-> 127.0.0.1:443, with the
 * three-way handshake, data segments of at most 1400 bytes in the order the
 * steps happened, and FIN/ACK both ways (docs/exports.md).
 *
 * The file is pcapng (little-endian): a Section Header Block, an Interface
 * Description Block (LINKTYPE_RAW: packets start with the IPv4 header), a
 * Decryption Secrets Block with the NSS key log of the run, then one
 * Enhanced Packet Block per packet.  Wireshark 3.0 or newer and tshark read
 * the secrets from the file itself, so the Finished messages and the
 * application data show decrypted with no key log file on the side.
 *
 * Timestamps are the real times of a live run's steps (tls-trace-live.h);
 * a scenario, which has none, gets its fixed clock (trace->clock) plus a
 * millisecond per step, so the same trace gives the same file.  Packets
 * are written in the order of their timestamps. */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

#define TLS_PCAPNG_SERVER_PORT      443
#define TLS_PCAPNG_CLIENT_PORT_BASE 50000   /* + connection number */
#define TLS_PCAPNG_MAX_SEGMENT      1400    /* TCP payload bytes per packet */

/* The NSS key log of the run ("CLIENT_RANDOM <client random> <master
 * secret>", hex, one line per connection whose secrets the trace holds).
 * A resumed connection, which derives no master secret of its own, has the
 * one of its session, from which it derives its key_block.  "" when the
 * trace holds no master secret. */
char     *tls_trace_keylog       (const TlsTrace *trace);

/* Writes the key log to PATH (temporary file, then rename). */
gboolean  tls_trace_save_keylog  (const TlsTrace *trace, const char *path,
                                  GError **error);

/* The pcapng file, in memory. */
GBytes   *tls_trace_to_pcapng    (const TlsTrace *trace);

/* Writes the pcapng to a temporary file in PATH's directory and renames it
 * over PATH, so an existing file is either replaced whole or left as it
 * was, and no temporary file is left behind on failure.  Errors are
 * GFileError (G_FILE_ERROR). */
gboolean  tls_trace_save_pcapng  (const TlsTrace *trace, const char *path,
                                  GError **error);

/* The same, with the Decryption Secrets Block left out when WITH_SECRETS is
 * FALSE: the capture an eavesdropper would have (the forward-secrecy lesson
 * opens it with the server's private key, `open --server-key`). */
GBytes   *tls_trace_to_pcapng_full   (const TlsTrace *trace, gboolean with_secrets);
gboolean  tls_trace_save_pcapng_full (const TlsTrace *trace, const char *path,
                                      gboolean with_secrets, GError **error);

G_END_DECLS
