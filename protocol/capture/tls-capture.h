/* tls-capture.h — a real capture opened: its TLS connections listed, and
 * one of them turned into a trace like that of a live run (docs/capture.md).
 *
 * The capture is read with libpcap (tls-capture-net.h), its Decryption
 * Secrets Blocks by hand (tls-pcapng-secrets.h).  A TCP connection is TLS
 * when its first client bytes are a handshake record holding a
 * ClientHello.  Keys come from NSS key logs (tls-keylog.h): those inside
 * the file, and those added with tls_capture_add_keylog.
 *
 * The trace of a connection holds its records in the order the capture
 * saw them complete, each handshake message parsed by the codec of
 * protocol/messages, the master secret (from the key log, or derived from
 * an RSA premaster of the key log), the key block, both Finished checks,
 * and the application data decrypted.  What a capture cannot tell (the
 * premaster of a (EC)DHE exchange, the server's private choices) is shown
 * as unknown.  What goes wrong is a step of its own (a failed check) and
 * the rest is still shown. */
#pragma once

#include <glib.h>
#include "tls-trace.h"
#include "tls-keys.h"

G_BEGIN_DECLS

#define TLS_CAPTURE_ERROR (tls_capture_error_quark ())
GQuark tls_capture_error_quark (void);

typedef enum
{
  TLS_CAPTURE_ERROR_NOT_CAPTURE,   /* libpcap cannot read it          */
  TLS_CAPTURE_ERROR_NO_TLS,        /* read, but no TLS connection in it */
  TLS_CAPTURE_ERROR_NO_CONNECTION, /* no connection of that number    */
} TlsCaptureError;

typedef struct
{
  guint     number;          /* 1, 2, ... in order of their first packet */
  char     *client;          /* "192.0.2.1:50000" */
  char     *server;          /* "192.0.2.2:443"   */
  char     *sni;             /* server_name of the ClientHello, or NULL */
  guint16   client_version;  /* ClientHello.client_version */
  guint16   version;         /* negotiated (ServerHello), 0 when none seen;
                                0x0304 for TLS 1.3 (supported_versions) */
  guint16   suite;           /* ServerHello.cipher_suite, when seen */
  gboolean  has_server_hello;
  gboolean  resumed;         /* an abbreviated handshake */
  gboolean  by_ticket;       /* resumed with a session ticket (RFC 5077) */
  guint     resumes;         /* the number of the connection whose session
                                it resumes, 0 when not in the capture */
  gboolean  has_key;         /* the key logs hold its master secret (or the
                                RSA premaster, or the resumed session's) */
  guint8    client_random[32];
} TlsCaptureConnection;

typedef struct _TlsCapture TlsCapture;

/* Reads a capture (pcap or pcapng) from a file or from memory.  NULL and
 * TLS_CAPTURE_ERROR_NOT_CAPTURE (or a GFileError) when it cannot be read;
 * a capture with no TLS in it opens (tls_capture_n_connections is 0). */
TlsCapture *tls_capture_open_file  (const char *path, GError **error);
TlsCapture *tls_capture_open_bytes (const guint8 *data, gsize len, GError **error);
void        tls_capture_free       (TlsCapture *cap);

/* Adds an NSS key log (a file, or its text).  Lines it cannot use are
 * counted in tls_capture_keylog_skipped. */
gboolean    tls_capture_load_keylog (TlsCapture *cap, const char *path, GError **error);
void        tls_capture_add_keylog  (TlsCapture *cap, const char *text, gsize len);
guint       tls_capture_keylog_lines   (const TlsCapture *cap);   /* secrets held */
guint       tls_capture_keylog_skipped (const TlsCapture *cap);
guint       tls_capture_secrets_blocks (const TlsCapture *cap);   /* DSBs in the file */

/* The server's private key (`open --server-key`; taken): for a connection
 * with RSA key exchange, the premaster secret is decrypted from its
 * ClientKeyExchange, and from it the master secret and every key.  For an
 * (EC)DHE connection the trace says why the key does not help. */
void        tls_capture_set_server_key (TlsCapture *cap, TlsPrivateKey *key);

guint       tls_capture_n_connections (const TlsCapture *cap);
/* NUMBER from 1.  NULL when there is no such connection. */
const TlsCaptureConnection *tls_capture_connection (const TlsCapture *cap, guint number);
/* Packets read, and those that were not TCP over IPv4/IPv6. */
guint       tls_capture_n_packets     (const TlsCapture *cap);
guint       tls_capture_n_skipped     (const TlsCapture *cap);
/* Why reading stopped before the end of the file (it was cut short), or NULL. */
const char *tls_capture_problem       (const TlsCapture *cap);

/* One line about connection C: "#2 192.0.2.1:50001 -> 192.0.2.2:443
 * SNI example.com, TLS 1.2, TLS_..., resumed (session of #1), key". */
char       *tls_capture_describe      (const TlsCapture *cap, const TlsCaptureConnection *c);

/* The trace of connection NUMBER (its steps are connection 0).  Problems
 * are steps of the trace (failed checks); the meta key "conn0.result" says
 * how it ended.  NULL and TLS_CAPTURE_ERROR_NO_CONNECTION for a number out
 * of range. */
TlsTrace   *tls_capture_trace         (TlsCapture *cap, guint number, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsCapture, tls_capture_free)

G_END_DECLS
