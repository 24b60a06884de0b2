/* tls-capture-private.h — what tls-capture.c and tls-capture-trace.c share. */
#pragma once

#include "tls-capture.h"
#include "tls-capture-net.h"
#include "tls-keylog.h"
#include "tls-keys.h"

/* One TLS record of a connection's streams. */
typedef struct
{
  int      dir;          /* 0 client -> server, 1 server -> client */
  gsize    offset;       /* of its header in the stream */
  gsize    len;          /* header + fragment */
  guint8   type;
  guint16  version;
  guint    packet;       /* the packet that brought its last byte */
} CapRecord;

typedef struct
{
  TlsCaptureConnection info;
  TlsCapFlow *flow;
  GArray     *records;        /* of CapRecord, in the order they completed */
  /* A direction whose stream ends inside a record, or in bytes that are not
   * a record (cut[] set): what is left over and why. */
  char       *cut[2];
  /* From the messages before ChangeCipherSpec, for resumption and keys. */
  GBytes     *ch_session_id, *sh_session_id;
  GBytes     *ticket_offered, *ticket_issued;
  gboolean    ems, full;
  guint8      server_random[32];
  GBytes     *enc_pms;        /* RSA ClientKeyExchange, encrypted premaster */
  GByteArray *hs_to_cke;      /* handshake messages up to ClientKeyExchange */
} CapConn;

struct _TlsCapture
{
  TlsCapNet *net;
  GPtrArray *conns;           /* of CapConn* */
  TlsKeylog *keylog;
  guint      dsb;
  char      *name;            /* file name, for the trace */
  TlsPrivateKey *server_key;  /* `open --server-key`, or NULL */
};

/* The master secret of connection C from the key logs: its CLIENT_RANDOM,
 * or derived from an RSA premaster line, or (resumed) its session's.
 * *HOW says where it came from. */
/* The premaster secret of an RSA key exchange, decrypted from the
 * ClientKeyExchange with the server's private key (tls_capture_set_server_key):
 * FALSE when there is no key, the exchange is not RSA, or it does not
 * decrypt to 48 bytes. */
gboolean cap_conn_server_premaster (TlsCapture *cap, CapConn *c, guint8 pms[48]);
gboolean cap_conn_master (TlsCapture *cap, CapConn *c, guint8 master[48], const char **how);
