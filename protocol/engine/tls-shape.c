/* tls-shape.c — handshake shapes (RFC 5246, 7.3, Fig. 1 and Fig. 2;
 * RFC 5077, 3.1 and 3.2; RFC 8446, 2, Figures 1 to 3, and D.4). */
#include "tls-shape.h"
#include "tls-types.h"

#define C TLS_ACTOR_CLIENT
#define S TLS_ACTOR_SERVER
#define HS TLS_CONTENT_HANDSHAKE
#define CCS TLS_CONTENT_CHANGE_CIPHER_SPEC

typedef struct
{
  TlsShapeEntry entry;
  TlsShapeFlags needs;      /* present only with these flags */
  TlsShapeFlags absent;     /* absent with any of these flags */
} Row;

/* Fig. 1, with every optional message; rows are filtered by flags. */
static const Row full[] = {
  { { C, HS, TLS_HS_CLIENT_HELLO, FALSE }, 0, 0 },
  { { S, HS, TLS_HS_SERVER_HELLO, FALSE }, 0, 0 },
  { { S, HS, TLS_HS_CERTIFICATE, FALSE }, 0, TLS_SHAPE_RESUMED },
  { { S, HS, TLS_HS_SERVER_KEY_EXCHANGE, FALSE }, TLS_SHAPE_SERVER_KX, TLS_SHAPE_RESUMED },
  { { S, HS, TLS_HS_CERTIFICATE_REQUEST, FALSE }, TLS_SHAPE_CLIENT_AUTH, TLS_SHAPE_RESUMED },
  { { S, HS, TLS_HS_SERVER_HELLO_DONE, FALSE }, 0, TLS_SHAPE_RESUMED },
  { { C, HS, TLS_HS_CERTIFICATE, FALSE }, TLS_SHAPE_CLIENT_AUTH, TLS_SHAPE_RESUMED },
  { { C, HS, TLS_HS_CLIENT_KEY_EXCHANGE, FALSE }, 0, TLS_SHAPE_RESUMED },
  { { C, HS, TLS_HS_CERTIFICATE_VERIFY, FALSE }, TLS_SHAPE_CLIENT_AUTH, TLS_SHAPE_RESUMED },
  { { C, CCS, 0, FALSE }, 0, TLS_SHAPE_RESUMED },
  { { C, HS, TLS_HS_FINISHED, TRUE }, 0, TLS_SHAPE_RESUMED },
  { { S, HS, TLS_HS_NEW_SESSION_TICKET, FALSE }, TLS_SHAPE_TICKET, 0 },
  { { S, CCS, 0, FALSE }, 0, 0 },
  { { S, HS, TLS_HS_FINISHED, TRUE }, 0, 0 },
  /* Fig. 2: the client's CCS and Finished come after the server's. */
  { { C, CCS, 0, FALSE }, TLS_SHAPE_RESUMED, 0 },
  { { C, HS, TLS_HS_FINISHED, TRUE }, TLS_SHAPE_RESUMED, 0 },
};

#define T13 TLS_SHAPE_TLS13
#define HRR TLS_SHAPE_HRR
#define CCS13 TLS_SHAPE_COMPAT_CCS
#define AUTH TLS_SHAPE_CLIENT_AUTH
#define PSK TLS_SHAPE_RESUMED

/* RFC 8446, 2: Figure 1, with the HelloRetryRequest of Figure 2; Figure 3
 * (PSK) leaves out the certificates.  The server's compatibility
 * ChangeCipherSpec comes right after its first handshake message (the
 * HelloRetryRequest or the ServerHello), the client's right before its
 * encrypted flight (D.4, as our client sends it).  "{}": encrypted. */
static const Row tls13[] = {
  { { C, HS, TLS_HS_CLIENT_HELLO, FALSE }, T13, 0 },
  { { S, HS, TLS_HS_SERVER_HELLO, FALSE, "HelloRetryRequest" }, T13 | HRR, 0 },
  { { S, CCS, 0, FALSE }, T13 | HRR | CCS13, 0 },
  { { C, HS, TLS_HS_CLIENT_HELLO, FALSE }, T13 | HRR, 0 },
  { { S, HS, TLS_HS_SERVER_HELLO, FALSE }, T13, 0 },
  { { S, CCS, 0, FALSE }, T13 | CCS13, HRR },
  { { S, HS, TLS_HS_ENCRYPTED_EXTENSIONS, TRUE }, T13, 0 },
  { { S, HS, TLS_HS_CERTIFICATE_REQUEST, TRUE }, T13 | AUTH, PSK },
  { { S, HS, TLS_HS_CERTIFICATE, TRUE }, T13, PSK },
  { { S, HS, TLS_HS_CERTIFICATE_VERIFY, TRUE }, T13, PSK },
  { { S, HS, TLS_HS_FINISHED, TRUE }, T13, 0 },
  { { C, CCS, 0, FALSE }, T13 | CCS13, 0 },
  { { C, HS, TLS_HS_CERTIFICATE, TRUE }, T13 | AUTH, PSK },
  { { C, HS, TLS_HS_CERTIFICATE_VERIFY, TRUE }, T13 | AUTH, PSK },
  { { C, HS, TLS_HS_FINISHED, TRUE }, T13, 0 },
  { { S, HS, TLS_HS_NEW_SESSION_TICKET, TRUE }, T13 | TLS_SHAPE_TICKET, 0 },
};

#define N_ROWS MAX (G_N_ELEMENTS (full), G_N_ELEMENTS (tls13))

const TlsShapeEntry *
tls_shape_messages (TlsShapeFlags flags, guint *n)
{
  static TlsShapeEntry cache[128][N_ROWS];
  static guint counts[128];
  static gsize done[128];
  guint key = flags & 127;
  const Row *rows = key & TLS_SHAPE_TLS13 ? tls13 : full;
  gsize n_rows = key & TLS_SHAPE_TLS13 ? G_N_ELEMENTS (tls13) : G_N_ELEMENTS (full);

  if (g_once_init_enter (&done[key]))
    {
      guint k = 0;
      for (gsize i = 0; i < n_rows; i++)
        {
          const Row *r = &rows[i];
          if ((r->needs & key) != r->needs)
            continue;
          if (r->absent & key)
            continue;
          cache[key][k++] = r->entry;
        }
      counts[key] = k;
      g_once_init_leave (&done[key], 1);
    }
  *n = counts[key];
  return cache[key];
}

TlsShapeFlags
tls_shape_for (TlsKeyExchange kx, gboolean resumed, gboolean client_auth, gboolean ticket)
{
  TlsShapeFlags f = TLS_SHAPE_FULL;

  if (resumed)
    f |= TLS_SHAPE_RESUMED;
  if (kx == TLS_KX_DHE_RSA || kx == TLS_KX_DHE_DSS
      || kx == TLS_KX_ECDHE_RSA || kx == TLS_KX_ECDHE_ECDSA)
    f |= TLS_SHAPE_SERVER_KX;
  if (client_auth)
    f |= TLS_SHAPE_CLIENT_AUTH;
  if (ticket)
    f |= TLS_SHAPE_TICKET;
  return f;
}

TlsShapeFlags
tls_shape_for_tls13 (gboolean psk, gboolean hrr, gboolean client_auth, gboolean ticket,
                     gboolean compat_ccs)
{
  TlsShapeFlags f = TLS_SHAPE_TLS13;

  if (psk)
    f |= TLS_SHAPE_RESUMED;
  if (hrr)
    f |= TLS_SHAPE_HRR;
  if (client_auth)
    f |= TLS_SHAPE_CLIENT_AUTH;
  if (ticket)
    f |= TLS_SHAPE_TICKET;
  if (compat_ccs)
    f |= TLS_SHAPE_COMPAT_CCS;
  return f;
}

const char *
tls_shape_entry_name (const TlsShapeEntry *e)
{
  if (e->name != NULL)
    return e->name;
  if (e->content_type == TLS_CONTENT_CHANGE_CIPHER_SPEC)
    return "ChangeCipherSpec";
  return tls_handshake_type_name (e->handshake_type);
}
