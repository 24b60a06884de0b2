/* tls-shape.h — the handshake's shape as data (after s2n-tls's
 * s2n_handshake_io.c): for each kind of handshake, which messages follow
 * which, and who sends them.  The ladder view draws what is still to come
 * from this table before it has happened. */
#pragma once

#include <glib.h>
#include "tls-trace.h"
#include "tls-suites.h"

G_BEGIN_DECLS

typedef enum
{
  TLS_SHAPE_FULL          = 0,
  TLS_SHAPE_SERVER_KX     = 1 << 0,   /* ServerKeyExchange (DHE, ECDHE) */
  TLS_SHAPE_CLIENT_AUTH   = 1 << 1,   /* CertificateRequest, client Certificate, CertificateVerify */
  TLS_SHAPE_RESUMED       = 1 << 2,   /* abbreviated handshake (Fig. 2) */
  TLS_SHAPE_TICKET        = 1 << 3,   /* NewSessionTicket (1.2: before the server's CCS;
                                         1.3: after the client's Finished, RFC 8446, 4.6.1) */
  /* TLS 1.3 (RFC 8446, 2): with TLS_SHAPE_RESUMED a PSK handshake (Figure 3:
   * no Certificate, CertificateVerify or CertificateRequest) */
  TLS_SHAPE_TLS13         = 1 << 4,   /* Figure 1 */
  TLS_SHAPE_HRR           = 1 << 5,   /* Figure 2: HelloRetryRequest and a second ClientHello */
  TLS_SHAPE_COMPAT_CCS    = 1 << 6,   /* the middlebox compatibility ChangeCipherSpecs (D.4) */
} TlsShapeFlags;

typedef struct
{
  TlsActor  from;
  guint8    content_type;    /* handshake or change_cipher_spec */
  guint8    handshake_type;  /* for handshake messages */
  gboolean  encrypted;       /* sent under the new keys */
  const char *name;          /* its name when not its type's ("HelloRetryRequest"), or NULL */
} TlsShapeEntry;

/* The messages of a handshake of shape FLAGS, in order; *N gets the count. */
const TlsShapeEntry *tls_shape_messages (TlsShapeFlags flags, guint *n);
TlsShapeFlags        tls_shape_for      (TlsKeyExchange kx, gboolean resumed,
                                         gboolean client_auth, gboolean ticket);
/* A TLS 1.3 handshake: PSK resumed, HelloRetryRequest, client
 * authentication, tickets, middlebox compatibility ChangeCipherSpecs. */
TlsShapeFlags        tls_shape_for_tls13 (gboolean psk, gboolean hrr, gboolean client_auth,
                                          gboolean ticket, gboolean compat_ccs);
/* "ChangeCipherSpec", the entry's own name or the handshake message's. */
const char          *tls_shape_entry_name (const TlsShapeEntry *e);

G_END_DECLS
