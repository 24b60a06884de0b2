/* tls-capture-open.c — a capture opened and its TLS connections listed (tls-capture.h). */
#include "config.h"
#include "tls-capture-private.h"
#include "tls-kx-rsa.h"
#include "tls-rng.h"
#include "tls-pcapng-secrets.h"
#include "tls-handshake.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-server-hello.h"
#include "tls-msg-client-key-exchange.h"
#include "tls-msg-new-session-ticket.h"
#include "tls-prf.h"
#include "tls-record.h"
#include "tls-suites.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (tls-capture-error-quark, tls_capture_error)

#define TLS_EXT_SUPPORTED_VERSIONS 43

static void
conn_free (CapConn *c)
{
  g_free (c->info.client);
  g_free (c->info.server);
  g_free (c->info.sni);
  g_array_unref (c->records);
  g_free (c->cut[0]);
  g_free (c->cut[1]);
  g_clear_pointer (&c->ch_session_id, g_bytes_unref);
  g_clear_pointer (&c->sh_session_id, g_bytes_unref);
  g_clear_pointer (&c->ticket_offered, g_bytes_unref);
  g_clear_pointer (&c->ticket_issued, g_bytes_unref);
  g_clear_pointer (&c->enc_pms, g_bytes_unref);
  g_clear_pointer (&c->hs_to_cke, g_byte_array_unref);
  g_free (c);
}

void
tls_capture_free (TlsCapture *cap)
{
  if (cap == NULL)
    return;
  tls_cap_net_free (cap->net);
  g_ptr_array_unref (cap->conns);
  tls_keylog_free (cap->keylog);
  tls_private_key_free (cap->server_key);
  g_free (cap->name);
  g_free (cap);
}

/* A stream that starts with a handshake record holding a ClientHello. */
static gboolean
starts_with_client_hello (const TlsCapStream *s)
{
  const guint8 *d = s->data->data;

  return s->data->len >= 6 && d[0] == TLS_CONTENT_HANDSHAKE && d[1] == 3
         && d[5] == TLS_HS_CLIENT_HELLO;
}

/* Splits one direction into records; notes where and why it stops short. */
static void
split_records (CapConn *c, int dir, GArray *out)
{
  const TlsCapStream *s = &c->flow->stream[dir];
  gsize off = 0, len = s->data->len;

  while (off < len)
    {
      CapRecord r = { .dir = dir, .offset = off };
      guint16 frag;

      if (!tls_record_parse_header (s->data->data + off, len - off, &r.type, &r.version, &frag))
        {
          c->cut[dir] = g_strdup_printf (_("the capture ends inside a record header "
                                           "(%zu of 5 bytes at offset %zu of the %s's stream)"),
                                         len - off, off, dir == 0 ? "client" : "server");
          return;
        }
      if (r.type < TLS_CONTENT_CHANGE_CIPHER_SPEC || r.type > TLS_CONTENT_APPLICATION_DATA
          || (r.version >> 8) != 3 || frag > TLS_MAX_CIPHERTEXT)
        {
          c->cut[dir] = g_strdup_printf (_("bytes at offset %zu of the %s's stream are not a "
                                           "TLS record (type %u, version 0x%04x, length %u)"),
                                         off, dir == 0 ? "client" : "server", r.type, r.version, frag);
          return;
        }
      r.len = TLS_RECORD_HEADER_LEN + (gsize) frag;
      if (len - off < r.len)
        {
          c->cut[dir] = g_strdup_printf (_("the capture ends in the middle of a %s record: "
                                           "%zu of its %zu bytes are there (the %s's stream, "
                                           "offset %zu)"),
                                         tls_content_type_name (r.type), len - off, r.len,
                                         dir == 0 ? "client" : "server", off);
          return;
        }
      r.packet = tls_cap_stream_packet (s, off, r.len);
      g_array_append_val (out, r);
      off += r.len;
    }
  if (s->hole)
    c->cut[dir] = g_strdup_printf (_("%zu bytes of the %s's stream are missing from the "
                                     "capture after offset %zu (segments not captured)"),
                                   s->hole_len, dir == 0 ? "client" : "server", off);
}

static gint
record_order (gconstpointer a, gconstpointer b)
{
  const CapRecord *x = a, *y = b;

  if (x->packet != y->packet)
    return x->packet < y->packet ? -1 : 1;
  if (x->dir != y->dir)
    return x->dir < y->dir ? -1 : 1;
  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* The handshake messages of DIR before its ChangeCipherSpec. */
static GPtrArray *
clear_messages (CapConn *c, int dir)
{
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GByteArray) hs = g_byte_array_new ();
  const guint8 *d = c->flow->stream[dir].data->data;

  for (guint i = 0; i < c->records->len; i++)
    {
      const CapRecord *r = &g_array_index (c->records, CapRecord, i);
      if (r->dir != dir)
        continue;
      if (r->type != TLS_CONTENT_HANDSHAKE)
        break;
      g_byte_array_append (hs, d + r->offset + TLS_RECORD_HEADER_LEN, r->len - TLS_RECORD_HEADER_LEN);
    }
  tls_handshake_split (hs->data, hs->len, msgs);
  return msgs;
}

static gboolean
body_reader (GBytes *msg, TlsReader *body)
{
  TlsReader r;
  guint8 type;
  guint32 len;

  tls_reader_init (&r, g_bytes_get_data (msg, NULL), g_bytes_get_size (msg), NULL);
  return tls_handshake_parse_header (&r, &type, &len, body) == 0;
}

static guint8
msg_type (GBytes *m)
{
  return ((const guint8 *) g_bytes_get_data (m, NULL))[0];
}

/* What the clear messages say: names, versions, suite, resumption. */
static void
summarize (CapConn *c)
{
  g_autoptr (GPtrArray) cm = clear_messages (c, 0);
  g_autoptr (GPtrArray) sm = clear_messages (c, 1);
  TlsClientHello ch;
  TlsServerHello sh;
  TlsReader body;
  gboolean have_ch = FALSE;

  memset (&ch, 0, sizeof ch);   /* tls_client_hello_parse makes its own arrays */
  tls_server_hello_init (&sh);
  if (cm->len > 0 && msg_type (cm->pdata[0]) == TLS_HS_CLIENT_HELLO
      && body_reader (cm->pdata[0], &body) && tls_client_hello_parse (&body, &ch) == 0)
    {
      have_ch = TRUE;
      c->info.client_version = ch.client_version;
      memcpy (c->info.client_random, ch.random, 32);
      c->info.sni = tls_extensions_get_server_name (&ch.extensions);
      c->ch_session_id = g_bytes_new (ch.session_id, ch.session_id_len);
      c->ticket_offered = tls_extensions_get_session_ticket (&ch.extensions);
    }
  if (sm->len > 0 && msg_type (sm->pdata[0]) == TLS_HS_SERVER_HELLO
      && body_reader (sm->pdata[0], &body) && tls_server_hello_parse (&body, &sh) == 0)
    {
      GBytes *sv = tls_extensions_find (&sh.extensions, TLS_EXT_SUPPORTED_VERSIONS);

      c->info.has_server_hello = TRUE;
      c->info.version = sh.server_version;
      if (sv != NULL && g_bytes_get_size (sv) == 2)
        {
          const guint8 *v = g_bytes_get_data (sv, NULL);
          c->info.version = (guint16) (v[0] << 8 | v[1]);
        }
      c->info.suite = sh.cipher_suite;
      memcpy (c->server_random, sh.random, 32);
      c->sh_session_id = g_bytes_new (sh.session_id, sh.session_id_len);
      c->ems = have_ch && tls_extensions_has (&ch.extensions, TLS_EXT_EXTENDED_MASTER_SECRET)
               && tls_extensions_has (&sh.extensions, TLS_EXT_EXTENDED_MASTER_SECRET);
      /* TLS 1.3: the server accepted a PSK (from a ticket, or external)
       * when its ServerHello has pre_shared_key (RFC 8446, 4.2.11). */
      if (c->info.version == TLS_VERSION_1_3 && tls_extensions_has (&sh.extensions, 41))
        c->info.resumed = c->info.by_ticket = TRUE;
    }
  if (c->info.has_server_hello && c->info.version <= TLS_VERSION_1_2)
    {
      gboolean server_cert = FALSE;

      /* RFC 5246, 7.3: an abbreviated handshake goes from ServerHello
       * straight to ChangeCipherSpec and Finished. */
      for (guint i = 1; i < sm->len; i++)
        {
          guint8 t = msg_type (sm->pdata[i]);
          if (t == TLS_HS_CERTIFICATE || t == TLS_HS_SERVER_KEY_EXCHANGE
              || t == TLS_HS_SERVER_HELLO_DONE || t == TLS_HS_CERTIFICATE_REQUEST)
            server_cert = TRUE;
          if (t == TLS_HS_NEW_SESSION_TICKET && c->ticket_issued == NULL)
            {
              TlsNewSessionTicket nst = { 0 };
              if (body_reader (sm->pdata[i], &body) && tls_new_session_ticket_parse (&body, &nst) == 0)
                c->ticket_issued = g_bytes_ref (nst.ticket);
              tls_new_session_ticket_clear (&nst);
            }
        }
      c->full = server_cert;
      c->info.resumed = !server_cert && sm->len > 0;
      /* RFC 5077, 3.4: a server that accepts a ticket echoes the client's
       * session ID when there is one, so the ticket offered decides. */
      if (c->info.resumed)
        c->info.by_ticket = (c->ticket_offered != NULL && g_bytes_get_size (c->ticket_offered) > 0)
                            || !(g_bytes_get_size (c->sh_session_id) > 0 && c->ch_session_id != NULL
                                 && g_bytes_equal (c->sh_session_id, c->ch_session_id));
      /* The ClientKeyExchange and what the transcript holds up to it (for
       * an RSA premaster of the key log, and the extended master secret). */
      if (c->full)
        {
          const TlsSuite *suite = tls_suite_by_id (c->info.suite);
          c->hs_to_cke = g_byte_array_new ();
          for (guint i = 0; i < cm->len; i++)
            {
              GBytes *m = cm->pdata[i];
              g_byte_array_append (c->hs_to_cke, g_bytes_get_data (m, NULL), g_bytes_get_size (m));
              if (i == 0)
                for (guint j = 0; j < sm->len; j++)
                  if (msg_type (sm->pdata[j]) != TLS_HS_NEW_SESSION_TICKET)
                    g_byte_array_append (c->hs_to_cke, g_bytes_get_data (sm->pdata[j], NULL),
                                         g_bytes_get_size (sm->pdata[j]));
              if (msg_type (m) == TLS_HS_CLIENT_KEY_EXCHANGE)
                {
                  TlsClientKeyExchange cke = { 0 };
                  if (suite != NULL && suite->kx == TLS_KX_RSA && body_reader (m, &body)
                      && tls_client_key_exchange_parse (&body, &cke, TLS_KX_RSA) == 0)
                    c->enc_pms = g_bytes_ref (cke.exchange_keys);
                  tls_client_key_exchange_clear (&cke);
                  break;
                }
            }
        }
    }
  tls_client_hello_clear (&ch);
  tls_server_hello_clear (&sh);
}

/* The earlier connection whose session C resumes: the last one before it
 * that issued the ticket C offers, or whose full handshake gave the
 * session ID C's ServerHello echoes. */
static void
find_resumed (TlsCapture *cap, CapConn *c, guint index)
{
  for (guint i = index; i-- > 0;)
    {
      CapConn *e = g_ptr_array_index (cap->conns, i);

      if (c->info.by_ticket && e->ticket_issued != NULL && c->ticket_offered != NULL
          && g_bytes_get_size (c->ticket_offered) > 0
          && g_bytes_equal (e->ticket_issued, c->ticket_offered))
        {
          c->info.resumes = e->info.number;
          return;
        }
    }
  for (guint i = index; i-- > 0;)
    {
      CapConn *e = g_ptr_array_index (cap->conns, i);

      if (e->sh_session_id != NULL && c->sh_session_id != NULL && g_bytes_get_size (c->sh_session_id) > 0
          && g_bytes_equal (e->sh_session_id, c->sh_session_id) && !e->info.resumed)
        {
          c->info.resumes = e->info.number;
          return;
        }
    }
}

static TlsCapture *
capture_from_net (TlsCapNet *net, const guint8 *data, gsize len)
{
  TlsCapture *cap = g_new0 (TlsCapture, 1);
  g_autoptr (GPtrArray) secrets = tls_pcapng_read_secrets (data, len);

  cap->net = net;
  cap->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  cap->keylog = tls_keylog_new ();
  cap->dsb = secrets->len;
  for (guint i = 0; i < secrets->len; i++)
    {
      gsize n;
      const char *t = g_bytes_get_data (secrets->pdata[i], &n);
      tls_keylog_add (cap->keylog, t, n);
    }
  for (guint i = 0; i < net->flows->len; i++)
    {
      TlsCapFlow *flow = g_ptr_array_index (net->flows, i);
      CapConn *c;

      if (!starts_with_client_hello (&flow->stream[0]))
        {
          if (!starts_with_client_hello (&flow->stream[1]))
            continue;
          tls_cap_flow_swap (flow);
        }
      c = g_new0 (CapConn, 1);
      c->flow = flow;
      c->info.number = cap->conns->len + 1;
      c->info.client = g_strdup_printf ("%s:%u", flow->addr[0], flow->port[0]);
      c->info.server = g_strdup_printf ("%s:%u", flow->addr[1], flow->port[1]);
      c->records = g_array_new (FALSE, FALSE, sizeof (CapRecord));
      split_records (c, 0, c->records);
      split_records (c, 1, c->records);
      g_array_sort (c->records, record_order);
      summarize (c);
      g_ptr_array_add (cap->conns, c);
      if (c->info.resumed)
        find_resumed (cap, c, cap->conns->len - 1);
    }
  return cap;
}

static void update_keys (TlsCapture *cap);

/* Both handshake traffic secrets of a TLS 1.3 connection are in the key
 * logs (the rest of its keys follow the handshake). */
static gboolean
cap_conn_tls13_keys (TlsCapture *cap, CapConn *c)
{
  guint8 s[48];
  gsize len;

  return tls_keylog_tls13_secret (cap->keylog, "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                                  c->info.client_random, s, &len)
         && tls_keylog_tls13_secret (cap->keylog, "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                                     c->info.client_random, s, &len);
}

gboolean
cap_conn_server_premaster (TlsCapture *cap, CapConn *c, guint8 pms[48])
{
  const TlsSuite *suite = tls_suite_by_id (c->info.suite);
  g_autofree guint8 *out = NULL;
  gsize len, out_len;
  const guint8 *enc;
  TlsRng *rng;
  gboolean ok;

  if (cap->server_key == NULL || c->enc_pms == NULL || suite == NULL || suite->kx != TLS_KX_RSA
      || cap->server_key->type != TLS_PK_RSA)
    return FALSE;
  enc = g_bytes_get_data (c->enc_pms, &len);
  out_len = len;
  out = g_malloc (MAX (len, 1));
  rng = tls_rng_new_system ();   /* blinding only */
  ok = tls_rsa_pkcs1_decrypt (cap->server_key, rng, enc, len, out, &out_len) && out_len == 48;
  tls_rng_free (rng);
  if (ok)
    memcpy (pms, out, 48);
  return ok;
}

void
tls_capture_set_server_key (TlsCapture *cap, TlsPrivateKey *key)
{
  tls_private_key_free (cap->server_key);
  cap->server_key = key;
  update_keys (cap);
}

static void
update_keys (TlsCapture *cap)
{
  for (guint i = 0; i < cap->conns->len; i++)
    {
      CapConn *c = g_ptr_array_index (cap->conns, i);
      guint8 m[48];
      const char *how;
      c->info.has_key = c->info.version == TLS_VERSION_1_3
                        ? cap_conn_tls13_keys (cap, c)
                        : cap_conn_master (cap, c, m, &how);
    }
}

TlsCapture *
tls_capture_open_bytes (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GError) local = NULL;
  TlsCapNet *net = tls_cap_net_read (data, len, &local);
  TlsCapture *cap;

  if (net == NULL)
    {
      g_set_error_literal (error, TLS_CAPTURE_ERROR, TLS_CAPTURE_ERROR_NOT_CAPTURE, local->message);
      return NULL;
    }
  cap = capture_from_net (net, data, len);
  update_keys (cap);
  return cap;
}

TlsCapture *
tls_capture_open_file (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len;
  TlsCapture *cap;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  cap = tls_capture_open_bytes ((const guint8 *) data, len, error);
  if (cap == NULL)
    g_prefix_error (error, "%s: ", path);
  else
    cap->name = g_path_get_basename (path);
  return cap;
}

void
tls_capture_add_keylog (TlsCapture *cap, const char *text, gsize len)
{
  tls_keylog_add (cap->keylog, text, len);
  update_keys (cap);
}

gboolean
tls_capture_load_keylog (TlsCapture *cap, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;
  tls_capture_add_keylog (cap, text, len);
  return TRUE;
}

guint tls_capture_keylog_lines (const TlsCapture *cap) { return tls_keylog_size (cap->keylog); }
guint tls_capture_keylog_skipped (const TlsCapture *cap) { return tls_keylog_skipped (cap->keylog); }
guint tls_capture_secrets_blocks (const TlsCapture *cap) { return cap->dsb; }
guint tls_capture_n_connections (const TlsCapture *cap) { return cap->conns->len; }
guint tls_capture_n_packets (const TlsCapture *cap) { return cap->net->packets; }
guint tls_capture_n_skipped (const TlsCapture *cap) { return cap->net->skipped; }
const char *tls_capture_problem (const TlsCapture *cap) { return cap->net->problem; }

const TlsCaptureConnection *
tls_capture_connection (const TlsCapture *cap, guint number)
{
  if (number == 0 || number > cap->conns->len)
    return NULL;
  return &((CapConn *) g_ptr_array_index (cap->conns, number - 1))->info;
}

gboolean
cap_conn_master (TlsCapture *cap, CapConn *c, guint8 master[48], const char **how)
{
  guint8 pms[48];

  if (tls_keylog_master (cap->keylog, c->info.client_random, master))
    {
      *how = "CLIENT_RANDOM";
      return TRUE;
    }
  if ((c->enc_pms != NULL && g_bytes_get_size (c->enc_pms) >= 8
       && tls_keylog_rsa_premaster (cap->keylog, g_bytes_get_data (c->enc_pms, NULL), pms))
      || cap_conn_server_premaster (cap, c, pms))
    {
      const TlsSuite *suite = tls_suite_by_id (c->info.suite);
      TlsPrfHash prf = suite ? suite->prf : TLS_PRF_SHA256;

      if (c->ems)
        {
          guint8 hash[TLS_MAX_HASH_LEN];
          gsize hash_len;
          tls_handshake_hash (c->info.version, prf, c->hs_to_cke->data, c->hs_to_cke->len,
                              hash, &hash_len);
          tls_derive_extended_master_secret (NULL, TLS_ACTOR_CLIENT, c->info.version, prf,
                                             pms, 48, hash, hash_len, -1, -1, master);
        }
      else
        tls_derive_master_secret (NULL, TLS_ACTOR_CLIENT, c->info.version, prf, pms, 48,
                                  c->info.client_random, c->server_random, -1, -1, -1, master);
      *how = cap->server_key && cap_conn_server_premaster (cap, c, pms)
             && !tls_keylog_rsa_premaster (cap->keylog, g_bytes_get_data (c->enc_pms, NULL), pms)
             ? "server key" : "RSA";
      return TRUE;
    }
  if (c->info.resumed && c->info.resumes > 0 && c->info.resumes < c->info.number)
    {
      CapConn *e = g_ptr_array_index (cap->conns, c->info.resumes - 1);
      if (cap_conn_master (cap, e, master, how))
        {
          *how = "resumed";
          return TRUE;
        }
    }
  return FALSE;
}

char *
tls_capture_describe (const TlsCapture *cap, const TlsCaptureConnection *c)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "#%u %s -> %s", c->number, c->client, c->server);
  if (c->sni)
    g_string_append_printf (s, "  SNI %s", c->sni);
  if (!c->has_server_hello)
    g_string_append (s, _(", no ServerHello"));
  else if (c->version == TLS_VERSION_1_3)
    {
      g_autofree char *suite = tls_suite_describe (c->suite);
      g_string_append_printf (s, ", TLS 1.3, %s", suite);
      g_string_append (s, c->resumed ? _(", resumed with a PSK") : _(", full handshake"));
      g_string_append (s, c->has_key ? _(", key known") : _(", no key"));
    }
  else if (c->version > TLS_VERSION_1_2 || c->version < TLS_VERSION_1_0)
    g_string_append_printf (s, _(", version 0x%04x (not TLS 1.0-1.2)"), c->version);
  else
    {
      g_autofree char *suite = tls_suite_describe (c->suite);
      g_string_append_printf (s, ", %s, %s", tls_version_name (c->version), suite);
      if (!c->resumed)
        g_string_append (s, _(", full handshake"));
      else if (c->resumes > 0)
        g_string_append_printf (s, _(", resumed (session of #%u)"), c->resumes);
      else
        g_string_append (s, _(", resumed (session not in this capture)"));
      g_string_append (s, c->has_key ? _(", key known") : _(", no key"));
    }
  return g_string_free (s, FALSE);
}
