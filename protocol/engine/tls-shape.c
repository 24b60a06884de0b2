/* tls-shape.c — handshake shapes (RFC 5246, 7.3, Fig. 1 and Fig. 2;
 * RFC 5077, 3.1 and 3.2). */
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
  TlsShapeFlags full_only;  /* TLS_SHAPE_RESUMED: absent when resumed */
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

const TlsShapeEntry *
tls_shape_messages (TlsShapeFlags flags, guint *n)
{
  static TlsShapeEntry cache[32][G_N_ELEMENTS (full)];
  static guint counts[32];
  static gsize done[32];
  guint key = flags & 31;

  if (g_once_init_enter (&done[key]))
    {
      guint k = 0;
      for (gsize i = 0; i < G_N_ELEMENTS (full); i++)
        {
          const Row *r = &full[i];
          if ((r->needs & flags) != r->needs)
            continue;
          if (r->full_only & flags)
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

const char *
tls_shape_entry_name (const TlsShapeEntry *e)
{
  if (e->content_type == TLS_CONTENT_CHANGE_CIPHER_SPEC)
    return "ChangeCipherSpec";
  return tls_handshake_type_name (e->handshake_type);
}
