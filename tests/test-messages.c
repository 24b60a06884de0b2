/* test-messages.c — the handshake message codecs: round trips, field spans,
 * bad input, and ClientHellos from real clients (OpenSSL, GnuTLS). */
#include "tls-alert.h"
#include "tls-bytes.h"
#include "tls-extensions.h"
#include "tls-handshake.h"
#include "tls-msg-alert.h"
#include "tls-msg-certificate.h"
#include "tls-msg-change-cipher-spec.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-client-key-exchange.h"
#include "tls-msg-finished.h"
#include "tls-msg-server-hello-done.h"
#include "tls-msg-server-hello.h"
#include "tls-types.h"

#include <gio/gio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Sample messages                                                     */

static void
fill (guint8 *p, gsize n, guint8 start)
{
  for (gsize i = 0; i < n; i++)
    p[i] = (guint8) (start + i);
}

static GBytes *
pattern (gsize n, guint8 start)
{
  guint8 *p = g_malloc (n);
  fill (p, n, start);
  return g_bytes_new_take (p, n);
}

static void
sample_client_hello (TlsClientHello *m)
{
  static const guint16 suites[] = { 0x009C, 0x009D, 0x002F, 0x0035, 0x003C, 0x00FF };
  static const guint16 groups[] = { 29, 23, 256 };
  static const guint8 formats[] = { 0 };
  static const guint16 sigalgs[] = { 0x0401, 0x0501, 0x0201, 0x0403 };
  g_autoptr (GBytes) unknown = g_bytes_new_static ("abc", 3);

  tls_client_hello_init (m);
  m->client_version = TLS_VERSION_1_2;
  fill (m->random, 32, 0x10);
  m->session_id_len = 32;
  fill (m->session_id, 32, 0xa0);
  g_array_append_vals (m->cipher_suites, suites, G_N_ELEMENTS (suites));
  g_byte_array_append (m->compression_methods, (const guint8 *) "\0", 1);
  tls_extensions_add_server_name (&m->extensions, "lab.example");
  tls_extensions_add_supported_groups (&m->extensions, groups, G_N_ELEMENTS (groups));
  tls_extensions_add_ec_point_formats (&m->extensions, formats, 1);
  tls_extensions_add_signature_algorithms (&m->extensions, sigalgs, G_N_ELEMENTS (sigalgs));
  tls_extensions_add_renegotiation_info (&m->extensions, NULL, 0);
  tls_extensions_add_extended_master_secret (&m->extensions);
  tls_extensions_add_encrypt_then_mac (&m->extensions);
  tls_extensions_add_session_ticket (&m->extensions, NULL);
  tls_extensions_add (&m->extensions, 0xfe00, unknown);
}

static void
sample_server_hello (TlsServerHello *m)
{
  static const guint8 verify[24] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                     13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24 };

  tls_server_hello_init (m);
  m->server_version = TLS_VERSION_1_2;
  fill (m->random, 32, 0x40);
  m->session_id_len = 16;
  fill (m->session_id, 16, 0x70);
  m->cipher_suite = 0x009C;
  m->compression_method = 0;
  tls_extensions_add_renegotiation_info (&m->extensions, verify, sizeof verify);
  tls_extensions_add_extended_master_secret (&m->extensions);
  tls_extensions_add_server_name (&m->extensions, NULL);
  tls_extensions_add_session_ticket (&m->extensions, NULL);
}

/* ------------------------------------------------------------------ */
/* Equality                                                            */

static gboolean
bytes_eq (GBytes *a, GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

static gboolean
extensions_eq (const TlsExtensions *a, const TlsExtensions *b)
{
  if (a->present != b->present || tls_extensions_count (a) != tls_extensions_count (b))
    return FALSE;
  for (guint i = 0; i < tls_extensions_count (a); i++)
    {
      const TlsExtension *x = tls_extensions_get (a, i), *y = tls_extensions_get (b, i);
      if (x->type != y->type || !bytes_eq (x->data, y->data))
        return FALSE;
    }
  return TRUE;
}

static gboolean
client_hello_eq (gconstpointer pa, gconstpointer pb)
{
  const TlsClientHello *a = pa, *b = pb;

  return a->client_version == b->client_version
         && memcmp (a->random, b->random, 32) == 0
         && a->session_id_len == b->session_id_len
         && memcmp (a->session_id, b->session_id, a->session_id_len) == 0
         && a->cipher_suites->len == b->cipher_suites->len
         && memcmp (a->cipher_suites->data, b->cipher_suites->data, 2 * a->cipher_suites->len) == 0
         && a->compression_methods->len == b->compression_methods->len
         && memcmp (a->compression_methods->data, b->compression_methods->data,
                    a->compression_methods->len) == 0
         && extensions_eq (&a->extensions, &b->extensions);
}

static gboolean
server_hello_eq (gconstpointer pa, gconstpointer pb)
{
  const TlsServerHello *a = pa, *b = pb;

  return a->server_version == b->server_version
         && memcmp (a->random, b->random, 32) == 0
         && a->session_id_len == b->session_id_len
         && memcmp (a->session_id, b->session_id, a->session_id_len) == 0
         && a->cipher_suite == b->cipher_suite
         && a->compression_method == b->compression_method
         && extensions_eq (&a->extensions, &b->extensions);
}

static gboolean
certificate_eq (gconstpointer pa, gconstpointer pb)
{
  const TlsCertificateMsg *a = pa, *b = pb;

  if (a->certificate_list->len != b->certificate_list->len)
    return FALSE;
  for (guint i = 0; i < a->certificate_list->len; i++)
    if (!bytes_eq (a->certificate_list->pdata[i], b->certificate_list->pdata[i]))
      return FALSE;
  return TRUE;
}

static gboolean
cke_eq (gconstpointer pa, gconstpointer pb)
{
  const TlsClientKeyExchange *a = pa, *b = pb;
  return a->kx == b->kx && bytes_eq (a->exchange_keys, b->exchange_keys);
}

static gboolean
finished_eq (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, sizeof (TlsFinished)) == 0;
}

static gboolean
alert_eq (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, sizeof (TlsAlertMsg)) == 0;
}

static gboolean
nothing_eq (gconstpointer a, gconstpointer b)
{
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The cases: one per message (and per layout)                         */

typedef struct
{
  const char *name;
  int         msg_type;       /* handshake type, or -1: no handshake header */
  gsize       size;           /* of the struct */
  void      (*sample) (gpointer m);
  void      (*write)  (TlsWriter *w, gconstpointer m);
  int       (*parse)  (TlsReader *r, gpointer m);
  void      (*clear)  (gpointer m);
  gboolean  (*equal)  (gconstpointer a, gconstpointer b);
} MsgCase;

static void ch_write (TlsWriter *w, gconstpointer m) { tls_client_hello_write (w, m); }
static int  ch_parse (TlsReader *r, gpointer m) { return tls_client_hello_parse (r, m); }
static void ch_clear (gpointer m) { tls_client_hello_clear (m); }
static void ch_sample (gpointer m) { sample_client_hello (m); }

static void ch_bare_sample (gpointer p)
{
  TlsClientHello *m = p;
  sample_client_hello (m);
  tls_extensions_clear (&m->extensions);
  m->session_id_len = 0;
}

static void ch_empty_ext_sample (gpointer p)
{
  TlsClientHello *m = p;
  ch_bare_sample (m);
  m->extensions.present = TRUE;    /* a block of length 0 */
}

static void sh_write (TlsWriter *w, gconstpointer m) { tls_server_hello_write (w, m); }
static int  sh_parse (TlsReader *r, gpointer m) { return tls_server_hello_parse (r, m); }
static void sh_clear (gpointer m) { tls_server_hello_clear (m); }
static void sh_sample (gpointer m) { sample_server_hello (m); }

static void cert_sample (gpointer p)
{
  TlsCertificateMsg *m = p;
  g_autoptr (GBytes) a = pattern (300, 0x30);
  g_autoptr (GBytes) b = pattern (5, 0x80);
  tls_certificate_msg_init (m);
  tls_certificate_msg_add (m, a);
  tls_certificate_msg_add (m, b);
}
static void cert_empty_sample (gpointer p) { tls_certificate_msg_init (p); }
static void cert_write (TlsWriter *w, gconstpointer m) { tls_certificate_msg_write (w, m); }
static int  cert_parse (TlsReader *r, gpointer m) { return tls_certificate_msg_parse (r, m); }
static void cert_clear (gpointer m) { tls_certificate_msg_clear (m); }

static void shd_sample (gpointer m) { }
static void shd_write (TlsWriter *w, gconstpointer m) { tls_server_hello_done_write (w); }
static int  shd_parse (TlsReader *r, gpointer m) { return tls_server_hello_done_parse (r); }
static void no_clear (gpointer m) { }

static void cke_rsa_sample (gpointer p)
{
  TlsClientKeyExchange *m = p;
  m->kx = TLS_KX_RSA;
  m->exchange_keys = pattern (256, 0x5a);
}
static void cke_dh_sample (gpointer p)
{
  TlsClientKeyExchange *m = p;
  m->kx = TLS_KX_DHE_RSA;
  m->exchange_keys = pattern (256, 0x11);
}
static void cke_ecdh_sample (gpointer p)
{
  TlsClientKeyExchange *m = p;
  m->kx = TLS_KX_ECDHE_RSA;
  m->exchange_keys = pattern (32, 0x99);
}
static void cke_write (TlsWriter *w, gconstpointer m) { tls_client_key_exchange_write (w, m); }
static int  cke_rsa_parse (TlsReader *r, gpointer m) { return tls_client_key_exchange_parse (r, m, TLS_KX_RSA); }
static int  cke_dh_parse (TlsReader *r, gpointer m) { return tls_client_key_exchange_parse (r, m, TLS_KX_DHE_RSA); }
static int  cke_ecdh_parse (TlsReader *r, gpointer m) { return tls_client_key_exchange_parse (r, m, TLS_KX_ECDHE_RSA); }
static void cke_clear (gpointer m) { tls_client_key_exchange_clear (m); }

static void fin_sample (gpointer p) { fill (((TlsFinished *) p)->verify_data, 12, 0xe0); }
static void fin_write (TlsWriter *w, gconstpointer m) { tls_finished_write (w, m); }
static int  fin_parse (TlsReader *r, gpointer m) { return tls_finished_parse (r, m); }

static void alert_sample (gpointer p)
{
  TlsAlertMsg *m = p;
  m->level = TLS_ALERT_LEVEL_FATAL;
  m->description = TLS_ALERT_DECODE_ERROR;
}
static void alert_write (TlsWriter *w, gconstpointer m) { tls_alert_msg_write (w, m); }
static int  alert_parse (TlsReader *r, gpointer m) { return tls_alert_msg_parse (r, m); }

static void ccs_write (TlsWriter *w, gconstpointer m) { tls_change_cipher_spec_write (w); }
static int  ccs_parse (TlsReader *r, gpointer m) { return tls_change_cipher_spec_parse (r); }

static const MsgCase cases[] = {
  { "client-hello", TLS_HS_CLIENT_HELLO, sizeof (TlsClientHello), ch_sample, ch_write, ch_parse, ch_clear, client_hello_eq },
  { "client-hello-no-extensions", TLS_HS_CLIENT_HELLO, sizeof (TlsClientHello), ch_bare_sample, ch_write, ch_parse, ch_clear, client_hello_eq },
  { "client-hello-empty-extensions", TLS_HS_CLIENT_HELLO, sizeof (TlsClientHello), ch_empty_ext_sample, ch_write, ch_parse, ch_clear, client_hello_eq },
  { "server-hello", TLS_HS_SERVER_HELLO, sizeof (TlsServerHello), sh_sample, sh_write, sh_parse, sh_clear, server_hello_eq },
  { "certificate", TLS_HS_CERTIFICATE, sizeof (TlsCertificateMsg), cert_sample, cert_write, cert_parse, cert_clear, certificate_eq },
  { "certificate-empty", TLS_HS_CERTIFICATE, sizeof (TlsCertificateMsg), cert_empty_sample, cert_write, cert_parse, cert_clear, certificate_eq },
  { "server-hello-done", TLS_HS_SERVER_HELLO_DONE, sizeof (int), shd_sample, shd_write, shd_parse, no_clear, nothing_eq },
  { "client-key-exchange-rsa", TLS_HS_CLIENT_KEY_EXCHANGE, sizeof (TlsClientKeyExchange), cke_rsa_sample, cke_write, cke_rsa_parse, cke_clear, cke_eq },
  { "client-key-exchange-dh", TLS_HS_CLIENT_KEY_EXCHANGE, sizeof (TlsClientKeyExchange), cke_dh_sample, cke_write, cke_dh_parse, cke_clear, cke_eq },
  { "client-key-exchange-ecdh", TLS_HS_CLIENT_KEY_EXCHANGE, sizeof (TlsClientKeyExchange), cke_ecdh_sample, cke_write, cke_ecdh_parse, cke_clear, cke_eq },
  { "finished", TLS_HS_FINISHED, sizeof (TlsFinished), fin_sample, fin_write, fin_parse, no_clear, finished_eq },
  { "alert", -1, sizeof (TlsAlertMsg), alert_sample, alert_write, alert_parse, no_clear, alert_eq },
  { "change-cipher-spec", -1, sizeof (int), shd_sample, ccs_write, ccs_parse, no_clear, nothing_eq },
};

/* ------------------------------------------------------------------ */
/* Generic helpers                                                     */

/* Writes the sample (with its handshake header when it has one). */
static GBytes *
write_case (const MsgCase *c, gconstpointer m, TlsField **fields)
{
  TlsField *root = tls_field_new (c->name, 0, 0);
  TlsWriter w;
  TlsWriterMark hs;
  GBytes *b;

  tls_writer_init (&w, root);
  if (c->msg_type >= 0)
    tls_handshake_begin (&w, (guint8) c->msg_type, &hs);
  c->write (&w, m);
  if (c->msg_type >= 0)
    tls_handshake_end (&w, &hs);
  b = tls_writer_steal (&w);
  root->length = g_bytes_get_size (b);
  if (fields != NULL)
    *fields = root;
  else
    tls_field_free (root);
  return b;
}

/* Parses a whole message (header + body); returns the alert or 0. */
static int
parse_case (const MsgCase *c, const guint8 *data, gsize len, gpointer m, TlsField **fields)
{
  TlsField *root = tls_field_new (c->name, 0, len);
  TlsReader r, body;
  int err;

  tls_reader_init (&r, data, len, root);
  if (c->msg_type >= 0)
    {
      guint8 type;
      guint32 blen;

      err = tls_handshake_parse_header (&r, &type, &blen, &body);
      if (err == 0 && type != c->msg_type)
        err = TLS_ALERT_UNEXPECTED_MESSAGE;
      else if (err == 0)
        {
          err = c->parse (&body, m);
          if (err == 0 && !tls_reader_done (&r))
            err = TLS_ALERT_DECODE_ERROR;   /* bytes after the message */
        }
    }
  else
    err = c->parse (&r, m);

  if (fields != NULL)
    *fields = root;
  else
    tls_field_free (root);
  return err;
}

/* Parses only a body (no header) of LEN bytes. */
static int
parse_body (const MsgCase *c, const guint8 *data, gsize len, gpointer m)
{
  TlsReader r;
  g_autoptr (TlsField) root = tls_field_new (c->name, 0, len);

  tls_reader_init (&r, data, len, root);
  return c->parse (&r, m);
}

static void
assert_fields_equal (const TlsField *a, const TlsField *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpuint (a->offset, ==, b->offset);
  g_assert_cmpuint (a->length, ==, b->length);
  g_assert_cmpstr (a->value, ==, b->value);
  g_assert_cmpstr (a->desc, ==, b->desc);
  g_assert_cmpuint (tls_field_n_children (a), ==, tls_field_n_children (b));
  for (guint i = 0; i < tls_field_n_children (a); i++)
    assert_fields_equal (tls_field_child (a, i), tls_field_child (b, i));
}

/* Every field lies inside its parent, and siblings do not overlap. */
static void
assert_fields_nested (const TlsField *f)
{
  gsize prev_end = f->offset;

  for (guint i = 0; i < tls_field_n_children (f); i++)
    {
      const TlsField *c = tls_field_child (f, i);
      g_assert_cmpuint (c->offset, >=, prev_end);
      g_assert_cmpuint (c->offset + c->length, <=, f->offset + f->length);
      prev_end = c->offset + c->length;
      assert_fields_nested (c);
    }
}

static gsize
header_len (const MsgCase *c)
{
  return c->msg_type >= 0 ? TLS_HANDSHAKE_HEADER_LEN : 0;
}

/* ------------------------------------------------------------------ */
/* Generic tests                                                       */

static void
test_roundtrip (gconstpointer data)
{
  const MsgCase *c = data;
  g_autofree gpointer m = g_malloc0 (c->size);
  g_autofree gpointer p = g_malloc0 (c->size);
  g_autoptr (TlsField) wfields = NULL;
  g_autoptr (TlsField) rfields = NULL;
  g_autoptr (TlsField) w2fields = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) again = NULL;
  const guint8 *d;
  gsize len;

  g_test_summary ("write -> parse gives the same struct; parse -> write gives the same "
                  "bytes; sent and received messages show the same field tree");
  c->sample (m);
  bytes = write_case (c, m, &wfields);
  d = g_bytes_get_data (bytes, &len);
  if (c->msg_type >= 0)
    {
      g_assert_cmpuint (len, >=, 4);
      g_assert_cmpuint (d[0], ==, c->msg_type);
      g_assert_cmpuint ((guint32) d[1] << 16 | d[2] << 8 | d[3], ==, len - 4);
    }
  g_assert_cmpint (parse_case (c, d, len, p, &rfields), ==, 0);
  g_assert_true (c->equal (m, p));
  again = write_case (c, p, &w2fields);
  g_assert_true (g_bytes_equal (bytes, again));
  assert_fields_equal (wfields, rfields);
  assert_fields_equal (wfields, w2fields);
  assert_fields_nested (rfields);
  g_assert_true (tls_field_find_at (rfields, 0) != rfields || len == 0);
  c->clear (m);
  c->clear (p);
}

static void
test_truncations (gconstpointer data)
{
  const MsgCase *c = data;
  g_autofree gpointer m = g_malloc0 (c->size);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (TlsField) fields = NULL;
  TlsField *ext;
  gsize ext_at = G_MAXSIZE;
  const guint8 *d;
  gsize len, hl = header_len (c);

  g_test_summary ("Every truncation of a valid message, and an extra byte, is a decode_error");
  c->sample (m);
  bytes = write_case (c, m, &fields);
  c->clear (m);
  d = g_bytes_get_data (bytes, &len);

  /* A hello may end where its extensions start: that one is valid. */
  ext = tls_field_find (fields, "extensions");
  if (ext != NULL)
    ext_at = ext->offset - hl;

  /* The whole message cut short: the header promises more than there is. */
  for (gsize n = 0; n < len && hl > 0; n++)
    {
      g_autofree gpointer p = g_malloc0 (c->size);
      g_assert_cmpint (parse_case (c, d, n, p, NULL), ==, TLS_ALERT_DECODE_ERROR);
    }

  /* The body cut short (as a header with a smaller length would frame it). */
  for (gsize n = 0; n < len - hl; n++)
    {
      g_autofree gpointer p = g_malloc0 (c->size);
      int err = parse_body (c, d + hl, n, p);

      if (n == ext_at)
        {
          g_assert_cmpint (err, ==, 0);
          c->clear (p);
        }
      else
        g_assert_cmpint (err, ==, TLS_ALERT_DECODE_ERROR);
    }

  /* One byte too many. */
  {
    g_autofree guint8 *longer = g_malloc (len + 1);
    g_autofree gpointer p = g_malloc0 (c->size);

    memcpy (longer, d, len);
    longer[len] = 0;
    g_assert_cmpint (parse_body (c, longer + hl, len - hl + 1, p), ==, TLS_ALERT_DECODE_ERROR);
    if (hl > 0)
      {
        /* and with the header's length saying so */
        guint32 n = len - hl + 1;
        longer[1] = n >> 16;
        longer[2] = n >> 8;
        longer[3] = n;
        g_assert_cmpint (parse_case (c, longer, len + 1, p, NULL), ==, TLS_ALERT_DECODE_ERROR);
      }
  }
}

static void
test_mutations (gconstpointer data)
{
  const MsgCase *c = data;
  g_autofree gpointer m = g_malloc0 (c->size);
  g_autoptr (GBytes) bytes = NULL;
  const guint8 *d;
  gsize len;
  GRand *rand = g_rand_new_with_seed (1234);

  g_test_summary ("Random byte changes never crash a parser: it returns 0 or an alert");
  c->sample (m);
  bytes = write_case (c, m, NULL);
  c->clear (m);
  d = g_bytes_get_data (bytes, &len);
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (d, len);
      g_autofree gpointer p = g_malloc0 (c->size);
      guint flips = g_rand_int_range (rand, 1, 4);
      int err;

      for (guint k = 0; k < flips && len > 0; k++)
        copy[g_rand_int_range (rand, 0, len)] = (guint8) g_rand_int_range (rand, 0, 256);
      err = parse_case (c, copy, len, p, NULL);
      g_assert_true (err == 0 || err == TLS_ALERT_DECODE_ERROR
                     || err == TLS_ALERT_ILLEGAL_PARAMETER
                     || err == TLS_ALERT_UNEXPECTED_MESSAGE);
      if (err == 0)
        c->clear (p);
    }
  g_rand_free (rand);
}

/* ------------------------------------------------------------------ */
/* Specific tests                                                      */

static GBytes *
client_hello_bytes (TlsClientHello *m, TlsField **fields)
{
  return write_case (&cases[0], m, fields);
}

static void
test_client_hello_spans (void)
{
  TlsClientHello m, p;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (TlsField) fields = NULL;
  const guint8 *d;
  gsize len;
  TlsField *f;

  g_test_summary ("Field spans of a parsed ClientHello cover exactly their bytes");
  sample_client_hello (&m);
  bytes = client_hello_bytes (&m, NULL);
  d = g_bytes_get_data (bytes, &len);
  g_assert_cmpint (parse_case (&cases[0], d, len, &p, &fields), ==, 0);

  f = tls_field_find (fields, "msg_type");
  g_assert_cmpuint (f->offset, ==, 0);
  g_assert_cmpuint (f->length, ==, 1);
  g_assert_cmpstr (f->value, ==, "client_hello (1)");
  f = tls_field_find (fields, "length");
  g_assert_cmpuint (f->offset, ==, 1);
  g_assert_cmpuint (f->length, ==, 3);

  f = tls_field_find (fields, "client_version");
  g_assert_cmpuint (f->offset, ==, 4);
  g_assert_cmpuint (f->length, ==, 2);
  g_assert_cmpstr (f->value, ==, "TLS 1.2 (0x0303)");
  g_assert_nonnull (f->desc);

  f = tls_field_find (fields, "random");
  g_assert_cmpuint (f->offset, ==, 6);
  g_assert_cmpuint (f->length, ==, 32);
  g_assert_cmpmem (d + f->offset, f->length, m.random, 32);
  f = tls_field_find (fields, "random/gmt_unix_time");
  g_assert_cmpuint (f->offset, ==, 6);
  g_assert_cmpuint (f->length, ==, 4);
  f = tls_field_find (fields, "random/random_bytes");
  g_assert_cmpuint (f->offset, ==, 10);
  g_assert_cmpuint (f->length, ==, 28);

  f = tls_field_find (fields, "session_id");
  g_assert_cmpuint (f->offset, ==, 38);
  g_assert_cmpuint (f->length, ==, 33);
  f = tls_field_find (fields, "session_id/data");
  g_assert_cmpmem (d + f->offset, f->length, m.session_id, 32);

  f = tls_field_find (fields, "cipher_suites");
  g_assert_cmpuint (f->offset, ==, 71);
  g_assert_cmpuint (f->length, ==, 2 + 2 * 6);
  g_assert_cmpuint (tls_field_n_children (f), ==, 1 + 6);
  g_assert_cmpstr (tls_field_child (f, 1)->value, ==, "TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009C)");
  g_assert_cmpuint (tls_field_child (f, 1)->offset, ==, 73);
  g_assert_cmpstr (tls_field_child (f, 6)->value, ==, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00FF)");

  f = tls_field_find (fields, "compression_methods/compression_method");
  g_assert_cmpstr (f->value, ==, "null (0)");

  f = tls_field_find (fields, "extension: server_name");
  g_assert_nonnull (f);
  g_assert_cmpstr (tls_field_find (f, "extension_type")->value, ==, "server_name (0)");
  g_assert_cmpstr (tls_field_find (f, "server_name")->value, ==, "lab.example");
  f = tls_field_find (tls_field_find (f, "host_name"), "data");
  g_assert_cmpmem (d + f->offset, f->length, "lab.example", 11);

  f = tls_field_find (fields, "extension: supported_groups");
  g_assert_cmpstr (tls_field_find (f, "named_group")->value, ==, "x25519 (29)");
  f = tls_field_find (fields, "extension: signature_algorithms");
  g_assert_cmpstr (tls_field_find (f, "signature_algorithm")->value, ==, "rsa_pkcs1_sha256 (0x0401)");
  f = tls_field_find (fields, "extension: ec_point_formats");
  g_assert_cmpstr (tls_field_find (f, "ec_point_format")->value, ==, "uncompressed (0)");
  f = tls_field_find (fields, "extension: renegotiation_info");
  g_assert_nonnull (tls_field_find (f, "renegotiated_connection"));
  f = tls_field_find (fields, "extension: extended_master_secret");
  g_assert_cmpuint (f->length, ==, 4);
  f = tls_field_find (fields, "extension: unknown");
  g_assert_cmpstr (tls_field_find (f, "extension_type")->value, ==, "unknown (65024)");
  f = tls_field_find (f, "extension_data/data");
  g_assert_cmpmem (d + f->offset, f->length, "abc", 3);

  /* The accessors read back what the builders wrote. */
  {
    g_autofree char *host = tls_extensions_get_server_name (&p.extensions);
    g_autoptr (GArray) groups = tls_extensions_get_supported_groups (&p.extensions);
    g_autoptr (GArray) sigalgs = tls_extensions_get_signature_algorithms (&p.extensions);
    g_autoptr (GBytes) formats = tls_extensions_get_ec_point_formats (&p.extensions);
    g_autoptr (GBytes) reneg = tls_extensions_get_renegotiation_info (&p.extensions);
    g_autoptr (GBytes) ticket = tls_extensions_get_session_ticket (&p.extensions);

    g_assert_cmpstr (host, ==, "lab.example");
    g_assert_cmpuint (groups->len, ==, 3);
    g_assert_cmpuint (g_array_index (groups, guint16, 2), ==, 256);
    g_assert_cmpuint (sigalgs->len, ==, 4);
    g_assert_cmpuint (g_array_index (sigalgs, guint16, 3), ==, 0x0403);
    g_assert_cmpuint (g_bytes_get_size (formats), ==, 1);
    g_assert_cmpuint (g_bytes_get_size (reneg), ==, 0);
    g_assert_cmpuint (g_bytes_get_size (ticket), ==, 0);
    g_assert_true (tls_extensions_has (&p.extensions, TLS_EXT_EXTENDED_MASTER_SECRET));
    g_assert_true (tls_extensions_has (&p.extensions, TLS_EXT_ENCRYPT_THEN_MAC));
    g_assert_true (tls_client_hello_offers_suite (&p, 0x002F));
    g_assert_false (tls_client_hello_offers_suite (&p, 0xC02F));
    g_assert_true (tls_client_hello_offers_compression (&p, 0));
  }
  tls_client_hello_clear (&m);
  tls_client_hello_clear (&p);
}

/* Parses a ClientHello body; returns the alert or 0. */
static int
parse_client_hello_bytes (const guint8 *body, gsize len)
{
  TlsClientHello p;
  TlsReader r;
  int err;

  tls_reader_init (&r, body, len, NULL);
  err = tls_client_hello_parse (&r, &p);
  if (err == 0)
    tls_client_hello_clear (&p);
  return err;
}

static void
test_client_hello_bad (void)
{
  /* client_version, random (32 x 0x11), session_id (empty) */
  g_autoptr (GString) head = g_string_new (NULL);
  g_autoptr (GString) b = NULL;
  guint8 zeros[40] = { 0 };

  g_test_summary ("Vectors out of bounds and odd cipher_suites are decode_error; a "
                  "repeated extension is illegal_parameter");
  g_string_append_len (head, "\x03\x03", 2);
  g_string_append_len (head, (const char *) zeros, 32);

#define BODY(...) do {                                                   \
    const guint8 tail[] = { __VA_ARGS__ };                               \
    b = g_string_new_len (head->str, head->len);                         \
    g_string_append_len (b, (const char *) tail, sizeof tail);           \
  } while (0)
#define EXPECT(alert) do {                                                       \
    g_assert_cmpint (parse_client_hello_bytes ((guint8 *) b->str, b->len), ==, alert); \
    g_string_free (g_steal_pointer (&b), TRUE);                                 \
  } while (0)

  /* the good one */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0);
  EXPECT (0);
  /* session_id<0..32> with 33 */
  {
    g_autoptr (GString) s = g_string_new_len (head->str, head->len);
    g_string_append_c (s, 33);
    for (int i = 0; i < 33; i++)
      g_string_append_c (s, 1);
    g_string_append_len (s, "\x00\x02\x00\x2f\x01\x00", 6);
    g_assert_cmpint (parse_client_hello_bytes ((guint8 *) s->str, s->len), ==, TLS_ALERT_DECODE_ERROR);
  }
  /* cipher_suites<2..2^16-2>: empty */
  BODY (0, 0, 0, 1, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* odd length */
  BODY (0, 0, 3, 0x00, 0x2f, 0x00, 1, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* compression_methods<1..2^8-1>: empty */
  BODY (0, 0, 2, 0x00, 0x2f, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* cipher_suites length past the end */
  BODY (0, 0x10, 0, 0x00, 0x2f, 1, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* one byte after compression_methods: not an extensions block */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* extensions block longer than what is left */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 5, 0, 23, 0, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* extensions block shorter than its contents */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 3, 0, 23, 0, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* extended_master_secret, then it again */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 8, 0, 23, 0, 0, 0, 23, 0, 0);
  EXPECT (TLS_ALERT_ILLEGAL_PARAMETER);
  /* an unknown extension repeated is just as wrong */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 10, 0xfe, 0, 0, 1, 7, 0xfe, 0, 0, 1, 7);
  EXPECT (TLS_ALERT_ILLEGAL_PARAMETER);
  /* extended_master_secret with data */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 5, 0, 23, 0, 1, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* supported_groups with an odd list */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 9, 0, 10, 0, 5, 0, 3, 0, 29, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* supported_groups whose list does not fill extension_data */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 9, 0, 10, 0, 5, 0, 2, 0, 29, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* signature_algorithms, empty list (<2..2^16-2>) */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 6, 0, 13, 0, 2, 0, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* ec_point_formats, empty list (<1..2^8-1>) */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 5, 0, 11, 0, 1, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* renegotiation_info whose inner length overruns */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 6, 0xff, 0x01, 0, 2, 5, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* server_name: empty list */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 6, 0, 0, 0, 2, 0, 0);
  EXPECT (TLS_ALERT_DECODE_ERROR);
  /* server_name: two host_names (RFC 6066, 3) */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 16, 0, 0, 0, 12, 0, 10,
        0, 0, 2, 'a', 'b', 0, 0, 2, 'c', 'd');
  EXPECT (TLS_ALERT_ILLEGAL_PARAMETER);
  /* server_name: a NUL in the host name */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 11, 0, 0, 0, 7, 0, 5, 0, 0, 2, 'a', 0);
  EXPECT (TLS_ALERT_ILLEGAL_PARAMETER);
  /* an unknown extension with junk inside is fine (skipped) */
  BODY (0, 0, 2, 0x00, 0x2f, 1, 0, 0, 7, 0x12, 0x34, 0, 3, 0xff, 0xff, 0xff);
  EXPECT (0);
#undef BODY
#undef EXPECT
}

static void
test_server_hello_extensions (void)
{
  TlsServerHello sh;
  TlsClientHello ch;
  guint16 bad = 0;
  const guint16 sigalgs[] = { 0x0401 };

  g_test_summary ("ServerHello extensions: server-side forms and the subset rule");
  sample_server_hello (&sh);
  sample_client_hello (&ch);
  g_assert_cmpint (tls_extensions_check_server (&sh.extensions, &ch.extensions, &bad), ==, 0);

  tls_extensions_remove (&ch.extensions, TLS_EXT_EXTENDED_MASTER_SECRET);
  g_assert_cmpint (tls_extensions_check_server (&sh.extensions, &ch.extensions, &bad), ==,
                   TLS_ALERT_UNSUPPORTED_EXTENSION);
  g_assert_cmpuint (bad, ==, TLS_EXT_EXTENDED_MASTER_SECRET);
  tls_extensions_add_extended_master_secret (&ch.extensions);

  tls_extensions_add_signature_algorithms (&sh.extensions, sigalgs, 1);
  g_assert_cmpint (tls_extensions_check_server (&sh.extensions, &ch.extensions, &bad), ==,
                   TLS_ALERT_UNSUPPORTED_EXTENSION);
  g_assert_cmpuint (bad, ==, TLS_EXT_SIGNATURE_ALGORITHMS);
  tls_server_hello_clear (&sh);
  tls_client_hello_clear (&ch);

  /* server_name in a ServerHello must be empty (RFC 6066, 3) */
  {
    const guint8 body[] = { 3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
                            0, 0, 0x9c, 0, 0, 6, 0, 0, 0, 2, 0, 0 };
    TlsReader r;

    tls_reader_init (&r, body, sizeof body, NULL);
    g_assert_cmpint (tls_server_hello_parse (&r, &sh), ==, TLS_ALERT_DECODE_ERROR);
  }
}

static void
test_certificate_bad (void)
{
  const guint8 empty_cert[] = { 0, 0, 3, 0, 0, 0 };
  const guint8 short_list[] = { 0, 0, 6, 0, 0, 2, 0xaa, 0xbb, 0xcc };
  const guint8 overrun[] = { 0, 0, 4, 0, 0, 2, 0xaa };
  TlsCertificateMsg m;
  TlsReader r;

  g_test_summary ("Certificate: an empty ASN.1Cert or lengths that do not add up are decode_error");
  tls_reader_init (&r, empty_cert, sizeof empty_cert, NULL);
  g_assert_cmpint (tls_certificate_msg_parse (&r, &m), ==, TLS_ALERT_DECODE_ERROR);
  g_assert_null (m.certificate_list);
  tls_reader_init (&r, short_list, sizeof short_list, NULL);
  g_assert_cmpint (tls_certificate_msg_parse (&r, &m), ==, TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, overrun, sizeof overrun, NULL);
  g_assert_cmpint (tls_certificate_msg_parse (&r, &m), ==, TLS_ALERT_DECODE_ERROR);
}

static void
test_small_messages_bad (void)
{
  const guint8 ccs_bad[] = { 2 };
  const guint8 alert_3[] = { 2, 50, 0 };
  const guint8 cke_rsa_short[] = { 1, 0, 1, 2 };
  const guint8 cke_dh_empty[] = { 0, 0 };
  const guint8 cke_ec_empty[] = { 0 };
  const guint8 fin13[13] = { 0 };
  TlsReader r;
  TlsAlertMsg a;
  TlsClientKeyExchange k;
  TlsFinished f;

  g_test_summary ("ChangeCipherSpec, Alert, ClientKeyExchange, Finished: bad bodies");
  tls_reader_init (&r, ccs_bad, sizeof ccs_bad, NULL);
  g_assert_cmpint (tls_change_cipher_spec_parse (&r), ==, TLS_ALERT_ILLEGAL_PARAMETER);
  tls_reader_init (&r, alert_3, sizeof alert_3, NULL);
  g_assert_cmpint (tls_alert_msg_parse (&r, &a), ==, TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, cke_rsa_short, sizeof cke_rsa_short, NULL);
  g_assert_cmpint (tls_client_key_exchange_parse (&r, &k, TLS_KX_RSA), ==, TLS_ALERT_DECODE_ERROR);
  g_assert_null (k.exchange_keys);
  /* dh_Yc<1..2^16-1> and point<1..2^8-1> may not be empty */
  tls_reader_init (&r, cke_dh_empty, sizeof cke_dh_empty, NULL);
  g_assert_cmpint (tls_client_key_exchange_parse (&r, &k, TLS_KX_DHE_RSA), ==, TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, cke_ec_empty, sizeof cke_ec_empty, NULL);
  g_assert_cmpint (tls_client_key_exchange_parse (&r, &k, TLS_KX_ECDHE_ECDSA), ==, TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, fin13, 13, NULL);
  g_assert_cmpint (tls_finished_parse (&r, &f), ==, TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, fin13, 11, NULL);
  g_assert_cmpint (tls_finished_parse (&r, &f), ==, TLS_ALERT_DECODE_ERROR);
}

static void
test_pre_master_secret (void)
{
  guint8 rnd[46], back[46];
  g_autoptr (TlsField) root = tls_field_new ("PreMasterSecret", 0, 0);
  g_autoptr (GBytes) b = NULL;
  TlsWriter w;
  TlsReader r;
  guint16 v;

  g_test_summary ("PreMasterSecret: client_version + 46 random bytes");
  fill (rnd, 46, 3);
  tls_writer_init (&w, root);
  tls_pre_master_secret_write (&w, TLS_VERSION_1_2, rnd);
  b = tls_writer_steal (&w);
  g_assert_cmpuint (g_bytes_get_size (b), ==, 48);
  tls_reader_init (&r, g_bytes_get_data (b, NULL), 48, NULL);
  g_assert_cmpint (tls_pre_master_secret_parse (&r, &v, back), ==, 0);
  g_assert_cmpuint (v, ==, TLS_VERSION_1_2);
  g_assert_cmpmem (rnd, 46, back, 46);
  tls_reader_init (&r, g_bytes_get_data (b, NULL), 47, NULL);
  g_assert_cmpint (tls_pre_master_secret_parse (&r, &v, back), ==, TLS_ALERT_DECODE_ERROR);
  g_assert_cmpstr (tls_field_find (root, "client_version")->value, ==, "TLS 1.2 (0x0303)");
}

static void
test_split (void)
{
  TlsServerHello sh;
  TlsCertificateMsg cert;
  g_autoptr (GBytes) a = NULL, b = NULL, c = NULL;
  g_autoptr (GByteArray) all = g_byte_array_new ();
  g_autoptr (GPtrArray) msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint8 type = 0;
  guint32 n = 0;
  gsize used;

  g_test_summary ("Splitting handshake bytes into messages, and waiting for the rest of one");
  sample_server_hello (&sh);
  cert_sample (&cert);
  a = write_case (&cases[3], &sh, NULL);
  b = write_case (&cases[4], &cert, NULL);
  c = write_case (&cases[6], NULL, NULL);
  tls_server_hello_clear (&sh);
  tls_certificate_msg_clear (&cert);
  g_byte_array_append (all, g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  g_byte_array_append (all, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  g_byte_array_append (all, g_bytes_get_data (c, NULL), g_bytes_get_size (c));

  /* All but the last byte of the certificate: one message, then wait. */
  used = tls_handshake_split (all->data, g_bytes_get_size (a) + g_bytes_get_size (b) - 1, msgs);
  g_assert_cmpuint (msgs->len, ==, 1);
  g_assert_cmpuint (used, ==, g_bytes_get_size (a));
  g_assert_true (g_bytes_equal (msgs->pdata[0], a));
  g_assert_false (tls_handshake_peek (all->data + used, g_bytes_get_size (b) - 1, &type, &n));
  g_assert_false (tls_handshake_peek (all->data + used, 3, &type, &n));

  g_ptr_array_set_size (msgs, 0);
  used = tls_handshake_split (all->data, all->len, msgs);
  g_assert_cmpuint (used, ==, all->len);
  g_assert_cmpuint (msgs->len, ==, 3);
  g_assert_true (g_bytes_equal (msgs->pdata[1], b));
  g_assert_true (tls_handshake_peek (all->data + all->len - 4, 4, &type, &n));
  g_assert_cmpuint (type, ==, TLS_HS_SERVER_HELLO_DONE);
  g_assert_cmpuint (n, ==, 0);
}

/* ------------------------------------------------------------------ */
/* ClientHellos from real clients                                      */

static gboolean
recv_all (GSocket *s, guint8 *buf, gsize n, GError **error)
{
  gsize got = 0;

  while (got < n)
    {
      gssize r = g_socket_receive (s, (char *) buf + got, n - got, NULL, error);
      if (r <= 0)
        {
          if (r == 0)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "peer closed");
          return FALSE;
        }
      got += r;
    }
  return TRUE;
}

/* Listens on 127.0.0.1, starts ARGV (with "PORT" replaced by the port),
 * reads handshake records until one whole message is there, stops the
 * child and returns the message (header included), or NULL with a
 * reason in *WHY. */
static GBytes *
capture_first_message (const char *const *argv_tmpl, char **why)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) listener = NULL;
  g_autoptr (GSocket) conn = NULL;
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GByteArray) hs = g_byte_array_new ();
  g_autofree char *port = NULL;
  GBytes *result = NULL;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (listener, 10);
  g_assert_true (g_socket_bind (listener, addr, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  port = g_strdup_printf ("%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  for (guint i = 0; argv_tmpl[i]; i++)
    {
      if (strstr (argv_tmpl[i], "PORT") != NULL)
        {
          g_auto (GStrv) parts = g_strsplit (argv_tmpl[i], "PORT", -1);
          g_ptr_array_add (argv, g_strjoinv (port, parts));
        }
      else
        g_ptr_array_add (argv, g_strdup (argv_tmpl[i]));
    }
  g_ptr_array_add (argv, NULL);

  child = g_subprocess_newv ((const char *const *) argv->pdata,
                             G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                             | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (child == NULL)
    {
      *why = g_strdup (error->message);
      return NULL;
    }

  conn = g_socket_accept (listener, NULL, &error);
  if (conn != NULL)
    {
      g_socket_set_timeout (conn, 10);
      /* At most 64 records: a ClientHello fits in one or a few. */
      for (guint records = 0; records < 64; records++)
        {
          guint8 header[5];
          guint8 *frag;
          gsize n;

          if (tls_handshake_peek (hs->data, hs->len, NULL, NULL))
            break;
          if (!recv_all (conn, header, 5, &error))
            break;
          n = (gsize) header[3] << 8 | header[4];
          if (header[0] != TLS_CONTENT_HANDSHAKE || n > TLS_MAX_FRAGMENT + 2048)
            {
              g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "not a handshake record");
              break;
            }
          frag = g_malloc (n);
          if (recv_all (conn, frag, n, &error))
            g_byte_array_append (hs, frag, n);
          g_free (frag);
          if (error != NULL)
            break;
        }
    }

  {
    guint8 type;
    guint32 len;
    if (tls_handshake_peek (hs->data, hs->len, &type, &len))
      result = g_bytes_new (hs->data, TLS_HANDSHAKE_HEADER_LEN + len);
    else
      *why = g_strdup (error ? error->message : "no complete handshake message");
  }

  /* Always stop the child. */
  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, NULL);
  return result;
}

/* Parses a captured ClientHello; checks it writes back byte for byte and
 * that its parsed and written field trees agree. */
static void
check_real_client_hello (GBytes *msg, TlsClientHello *ch)
{
  g_autoptr (TlsField) rfields = NULL;
  g_autoptr (TlsField) wfields = NULL;
  g_autoptr (GBytes) again = NULL;
  const guint8 *d;
  gsize len;

  d = g_bytes_get_data (msg, &len);
  g_assert_cmpint (parse_case (&cases[0], d, len, ch, &rfields), ==, 0);
  again = write_case (&cases[0], ch, &wfields);
  g_assert_true (g_bytes_equal (msg, again));
  assert_fields_equal (wfields, rfields);
  assert_fields_nested (rfields);
  g_assert_cmpuint (ch->compression_methods->len, >=, 1);
  g_assert_true (tls_client_hello_offers_compression (ch, 0));
  g_assert_cmpuint (ch->cipher_suites->len, >=, 1);
  g_assert_true (ch->extensions.present);
  if (g_test_verbose ())
    {
      for (guint i = 0; i < tls_extensions_count (&ch->extensions); i++)
        g_test_message ("extension %s", tls_extension_name (tls_extensions_get (&ch->extensions, i)->type));
    }
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);
  return path != NULL;
}

static void
test_openssl_client_hello (void)
{
  const char *argv[] = { "openssl", "s_client", "-connect", "127.0.0.1:PORT",
                         "-servername", "lab.example", NULL };
  g_autofree char *why = NULL;
  g_autoptr (GBytes) msg = NULL;
  g_autofree char *host = NULL;
  g_autoptr (GArray) groups = NULL;
  g_autoptr (GArray) sigalgs = NULL;
  TlsClientHello ch;

  g_test_summary ("A ClientHello sent by openssl s_client parses, and writes back byte for byte");
  if (!have_program ("openssl"))
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  msg = capture_first_message (argv, &why);
  if (msg == NULL)
    g_error ("no ClientHello from openssl s_client: %s", why);
  check_real_client_hello (msg, &ch);

  host = tls_extensions_get_server_name (&ch.extensions);
  g_assert_cmpstr (host, ==, "lab.example");
  g_assert_cmpuint (ch.client_version, ==, TLS_VERSION_1_2);
  g_assert_true (tls_client_hello_offers_suite (&ch, 0xC02F));  /* ECDHE_RSA_AES_128_GCM */
  groups = tls_extensions_get_supported_groups (&ch.extensions);
  g_assert_nonnull (groups);
  g_assert_cmpuint (g_array_index (groups, guint16, 0), ==, 29);  /* x25519 first */
  sigalgs = tls_extensions_get_signature_algorithms (&ch.extensions);
  g_assert_nonnull (sigalgs);
  g_assert_cmpuint (sigalgs->len, >=, 4);
  g_assert_true (tls_extensions_has (&ch.extensions, TLS_EXT_EXTENDED_MASTER_SECRET));
  g_assert_true (tls_extensions_has (&ch.extensions, TLS_EXT_EC_POINT_FORMATS));
  g_assert_true (tls_extensions_has (&ch.extensions, 43));   /* supported_versions: kept, skipped */
  tls_client_hello_clear (&ch);
}

static void
test_gnutls_client_hello (void)
{
  const char *argv[] = { "gnutls-cli", "--insecure", "-p", "PORT",
                         "--sni-hostname", "lab.example", "127.0.0.1", NULL };
  g_autofree char *why = NULL;
  g_autoptr (GBytes) msg = NULL;
  g_autofree char *host = NULL;
  g_autoptr (GBytes) reneg = NULL;
  TlsClientHello ch;

  g_test_summary ("A ClientHello sent by gnutls-cli parses, and writes back byte for byte");
  if (!have_program ("gnutls-cli"))
    {
      g_test_skip ("gnutls-cli is not installed");
      return;
    }
  msg = capture_first_message (argv, &why);
  if (msg == NULL)
    g_error ("no ClientHello from gnutls-cli: %s", why);
  check_real_client_hello (msg, &ch);

  host = tls_extensions_get_server_name (&ch.extensions);
  g_assert_cmpstr (host, ==, "lab.example");
  g_assert_true (tls_extensions_has (&ch.extensions, TLS_EXT_EXTENDED_MASTER_SECRET));
  g_assert_true (tls_extensions_has (&ch.extensions, TLS_EXT_ENCRYPT_THEN_MAC));
  reneg = tls_extensions_get_renegotiation_info (&ch.extensions);
  g_assert_nonnull (reneg);
  g_assert_cmpuint (g_bytes_get_size (reneg), ==, 0);
  tls_client_hello_clear (&ch);
}

static void
test_stored_client_hello (gconstpointer data)
{
  const char *file = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", file, NULL);
  g_autofree char *hex = NULL;
  g_autoptr (GBytes) msg = NULL;
  g_autoptr (GError) error = NULL;
  GString *clean = g_string_new (NULL);
  TlsClientHello ch;

  g_test_summary ("A ClientHello captured from a real client and stored in tests/data");
  g_assert_true (g_file_get_contents (path, &hex, NULL, &error));
  g_assert_no_error (error);
  /* lines starting with '#' are comments */
  {
    g_auto (GStrv) lines = g_strsplit (hex, "\n", -1);
    for (guint i = 0; lines[i]; i++)
      if (lines[i][0] != '#')
        g_string_append (clean, lines[i]);
  }
  msg = tls_bytes_from_hex (clean->str);
  g_string_free (clean, TRUE);
  g_assert_nonnull (msg);
  check_real_client_hello (msg, &ch);
  tls_client_hello_clear (&ch);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *a = g_strdup_printf ("/messages/%s/roundtrip", cases[i].name);
      g_autofree char *b = g_strdup_printf ("/messages/%s/truncations", cases[i].name);
      g_autofree char *c = g_strdup_printf ("/messages/%s/mutations", cases[i].name);
      g_test_add_data_func (a, &cases[i], test_roundtrip);
      g_test_add_data_func (b, &cases[i], test_truncations);
      g_test_add_data_func (c, &cases[i], test_mutations);
    }
  g_test_add_func ("/messages/client-hello/spans", test_client_hello_spans);
  g_test_add_func ("/messages/client-hello/bad", test_client_hello_bad);
  g_test_add_func ("/messages/server-hello/extensions", test_server_hello_extensions);
  g_test_add_func ("/messages/certificate/bad", test_certificate_bad);
  g_test_add_func ("/messages/small/bad", test_small_messages_bad);
  g_test_add_func ("/messages/pre-master-secret", test_pre_master_secret);
  g_test_add_func ("/messages/handshake/split", test_split);
  g_test_add_data_func ("/messages/client-hello/stored-openssl",
                        "client-hello-openssl-3.0.hex", test_stored_client_hello);
  g_test_add_data_func ("/messages/client-hello/stored-gnutls",
                        "client-hello-gnutls-3.7.hex", test_stored_client_hello);
  g_test_add_func ("/messages/client-hello/openssl", test_openssl_client_hello);
  g_test_add_func ("/messages/client-hello/gnutls", test_gnutls_client_hello);
  return g_test_run ();
}
