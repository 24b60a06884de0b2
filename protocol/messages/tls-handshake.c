/* tls-handshake.c — the handshake header (RFC 5246, 7.4) and helpers
 * shared by the message codecs. */
#include "tls-handshake.h"
#include "tls-alert.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

const char *
tls_handshake_type_rfc_name (guint8 t)
{
  switch (t)
    {
    case TLS_HS_HELLO_REQUEST: return "hello_request";
    case TLS_HS_CLIENT_HELLO: return "client_hello";
    case TLS_HS_SERVER_HELLO: return "server_hello";
    case TLS_HS_NEW_SESSION_TICKET: return "new_session_ticket";
    case TLS_HS_CERTIFICATE: return "certificate";
    case TLS_HS_SERVER_KEY_EXCHANGE: return "server_key_exchange";
    case TLS_HS_CERTIFICATE_REQUEST: return "certificate_request";
    case TLS_HS_SERVER_HELLO_DONE: return "server_hello_done";
    case TLS_HS_CERTIFICATE_VERIFY: return "certificate_verify";
    case TLS_HS_CLIENT_KEY_EXCHANGE: return "client_key_exchange";
    case TLS_HS_FINISHED: return "finished";
    case TLS_HS_END_OF_EARLY_DATA: return "end_of_early_data";
    case TLS_HS_ENCRYPTED_EXTENSIONS: return "encrypted_extensions";
    case TLS_HS_KEY_UPDATE: return "key_update";
    case TLS_HS_MESSAGE_HASH: return "message_hash";
    default: return "unknown";
    }
}

#define MSG_TYPE_DESC N_("Which handshake message this is (HandshakeType).")
#define LENGTH_DESC   N_("Length of the message body that follows, in bytes (uint24).")

/* ------------------------------------------------------------------ */
/* Header                                                              */

void
tls_handshake_begin (TlsWriter *w, guint8 msg_type, TlsWriterMark *m)
{
  tls_write_u8 (w, "msg_type", msg_type);
  tls_writer_note (w, "%s (%u)", tls_handshake_type_rfc_name (msg_type), msg_type);
  tls_writer_describe (w, _(MSG_TYPE_DESC));

  /* A length prefix without a container: the body's fields stay beside
   * the header's, as the RFC lists them.  tls_write_vector_end fills it. */
  m->start = tls_writer_len (w);
  m->len_bytes = 3;
  m->field = NULL;
  m->saved_node = w->node;
  tls_write_u24 (w, "length", 0);
  tls_writer_describe (w, _(LENGTH_DESC));
  m->length_field = w->last;
}

void
tls_handshake_end (TlsWriter *w, TlsWriterMark *m)
{
  g_assert (m->len_bytes == 3);
  tls_write_vector_end (w, m);
}

gboolean
tls_handshake_peek (const guint8 *data, gsize len, guint8 *type, guint32 *body_len)
{
  guint32 n;

  if (len < TLS_HANDSHAKE_HEADER_LEN)
    return FALSE;
  n = (guint32) data[1] << 16 | (guint32) data[2] << 8 | data[3];
  if (n > len - TLS_HANDSHAKE_HEADER_LEN)
    return FALSE;
  if (type != NULL)
    *type = data[0];
  if (body_len != NULL)
    *body_len = n;
  return TRUE;
}

gsize
tls_handshake_split (const guint8 *data, gsize len, GPtrArray *messages)
{
  gsize pos = 0;
  guint32 n;

  /* Each turn consumes at least the 4-byte header: the loop ends. */
  while (tls_handshake_peek (data + pos, len - pos, NULL, &n))
    {
      g_ptr_array_add (messages, g_bytes_new (data + pos, TLS_HANDSHAKE_HEADER_LEN + n));
      pos += TLS_HANDSHAKE_HEADER_LEN + n;
    }
  return pos;
}

int
tls_handshake_parse_header (TlsReader *r, guint8 *type, guint32 *len, TlsReader *body)
{
  guint8 t = 0;
  guint32 n = 0;

  memset (body, 0, sizeof *body);
  if (tls_read_u8 (r, "msg_type", &t))
    {
      tls_reader_note (r, "%s (%u)", tls_handshake_type_rfc_name (t), t);
      tls_reader_describe (r, _(MSG_TYPE_DESC));
    }
  if (tls_read_u24 (r, "length", &n))
    tls_reader_describe (r, _(LENGTH_DESC));
  if (r->error == 0 && n > tls_reader_remaining (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    {
      body->error = r->error;
      return r->error;
    }

  body->data = r->data + r->pos;
  body->len = n;
  body->base = r->base + r->pos;
  body->node = r->node;
  r->pos += n;
  *type = t;
  *len = n;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

gboolean
tls_handshake_read_opaque (TlsReader *r, guint len_bytes, gsize min, gsize max,
                           const char *name, GBytes **out)
{
  TlsReader sub;
  const guint8 *p = NULL;
  TlsField *container;

  *out = NULL;
  if (!tls_read_vector (r, len_bytes, min, max, name, &sub))
    return FALSE;
  container = r->last;
  tls_read_bytes (&sub, sub.len, "data", &p);
  if (!tls_read_vector_end (r, &sub))
    return FALSE;
  *out = g_bytes_new (p, sub.len);
  if (container != NULL)
    {
      g_free (container->value);
      container->value = tls_hex_preview (p, sub.len, 32);
    }
  r->last = container;
  return TRUE;
}

void
tls_handshake_write_opaque (TlsWriter *w, guint len_bytes, const char *name, GBytes *data)
{
  TlsWriterMark m;
  gsize len = 0;
  const guint8 *p = data ? g_bytes_get_data (data, &len) : NULL;
  static const guint8 none[1];

  if (p == NULL)
    p = none;
  tls_write_vector_begin (w, len_bytes, name, &m);
  tls_write_bytes (w, "data", p, len);
  tls_write_vector_end (w, &m);
  if (w->last != NULL)
    {
      g_free (w->last->value);
      w->last->value = tls_hex_preview (p, len, 32);
    }
}

static char *
describe_time (guint32 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);
  g_autofree char *s = dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC") : NULL;

  return g_strdup_printf ("%s (%u)", s ? s : "?", t);
}

#define RANDOM_DESC N_("32 bytes chosen at random by the sender for this handshake; " \
                       "both randoms go into every key derived, so keys are fresh each time.")
#define GMT_DESC    N_("The sender's clock (seconds since 1970) in the first 4 bytes; " \
                       "many implementations put random bytes here instead.")
#define RB_DESC     N_("28 bytes from a secure random generator.")

gboolean
tls_handshake_read_random (TlsReader *r, guint8 random[32])
{
  TlsField *g = tls_read_group_begin (r, "random");
  const guint8 *p = NULL;
  guint32 t = 0;
  gboolean ok;

  if (tls_read_u32 (r, "gmt_unix_time", &t) && r->last != NULL)
    {
      g_autofree char *s = describe_time (t);
      tls_reader_note (r, "%s", s);
      tls_reader_describe (r, _(GMT_DESC));
    }
  if (tls_read_bytes (r, 28, "random_bytes", &p))
    tls_reader_describe (r, _(RB_DESC));
  tls_read_group_end (r, g);
  ok = tls_reader_ok (r);
  if (ok)
    {
      random[0] = t >> 24;
      random[1] = t >> 16;
      random[2] = t >> 8;
      random[3] = t;
      memcpy (random + 4, p, 28);
      if (r->last != NULL)
        {
          g_free (r->last->value);
          r->last->value = tls_hex_preview (random, 32, 32);
        }
      tls_reader_describe (r, _(RANDOM_DESC));
    }
  return ok;
}

void
tls_handshake_write_random (TlsWriter *w, const guint8 random[32])
{
  TlsWriterMark m;
  guint32 t = (guint32) random[0] << 24 | (guint32) random[1] << 16
              | (guint32) random[2] << 8 | random[3];
  g_autofree char *s = w->node != NULL ? describe_time (t) : NULL;   /* NULL: no annotation */

  tls_write_group_begin (w, "random", &m);
  tls_write_u32 (w, "gmt_unix_time", t);
  tls_writer_note (w, "%s", s);
  tls_writer_describe (w, _(GMT_DESC));
  tls_write_bytes (w, "random_bytes", random + 4, 28);
  tls_writer_describe (w, _(RB_DESC));
  tls_write_group_end (w, &m);
  if (w->last != NULL)
    {
      g_free (w->last->value);
      w->last->value = tls_hex_preview (random, 32, 32);
    }
  tls_writer_describe (w, _(RANDOM_DESC));
}

#define SID_DESC N_("Names a session to resume (client), or the session the server " \
                    "created or resumed (server); empty means none.")

gboolean
tls_handshake_read_session_id (TlsReader *r, guint8 id[32], guint8 *id_len)
{
  g_autoptr (GBytes) b = NULL;
  gsize n;

  /* opaque SessionID<0..32>; (RFC 5246, 7.4.1.2) */
  if (!tls_handshake_read_opaque (r, 1, 0, TLS_MAX_SESSION_ID, "session_id", &b))
    return FALSE;
  n = g_bytes_get_size (b);
  if (n > 0)
    memcpy (id, g_bytes_get_data (b, NULL), n);
  *id_len = (guint8) n;
  if (n == 0)
    tls_reader_note (r, "%s", _("(empty)"));
  tls_reader_describe (r, _(SID_DESC));
  return TRUE;
}

void
tls_handshake_write_session_id (TlsWriter *w, const guint8 *id, guint8 id_len)
{
  g_autoptr (GBytes) b = NULL;

  g_return_if_fail (id_len <= TLS_MAX_SESSION_ID);
  b = g_bytes_new (id, id_len);
  tls_handshake_write_opaque (w, 1, "session_id", b);
  if (id_len == 0)
    tls_writer_note (w, "%s", _("(empty)"));
  tls_writer_describe (w, _(SID_DESC));
}

gboolean
tls_handshake_read_version (TlsReader *r, const char *name, guint16 *version)
{
  if (!tls_read_u16 (r, name, version))
    return FALSE;
  tls_reader_note (r, "%s (0x%04X)", tls_version_name (*version), *version);
  return TRUE;
}

void
tls_handshake_write_version (TlsWriter *w, const char *name, guint16 version)
{
  tls_write_u16 (w, name, version);
  tls_writer_note (w, "%s (0x%04X)", tls_version_name (version), version);
}
