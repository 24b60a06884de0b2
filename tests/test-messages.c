/* test-messages.c — the handshake message codecs: round trips, field spans,
 * bad input, and ClientHellos from real clients (OpenSSL, GnuTLS). */
#include "tls-alert.h"
#include "tls-bytes.h"
#include "tls-extensions.h"
#include "tls-handshake.h"
#include "tls-msg-alert.h"
#include "tls-msg-certificate.h"
#include "tls-msg-certificate-request.h"
#include "tls-msg-certificate-verify.h"
#include "tls-msg-change-cipher-spec.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-client-key-exchange.h"
#include "tls-msg-finished.h"
#include "tls-msg-new-session-ticket.h"
#include "tls-msg-server-hello-done.h"
#include "tls-msg-server-hello.h"
#include "tls-msg-server-key-exchange.h"
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

/* memcmp that accepts NULL for zero lengths */
static gboolean
mem_eq (gconstpointer a, gconstpointer b, gsize n)
{
  return n == 0 || memcmp (a, b, n) == 0;
}

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

/* ---- issue 4: ServerKeyExchange, CertificateRequest, CertificateVerify,
 *      NewSessionTicket */

static gboolean
signed_eq (const TlsDigitallySigned *a, const TlsDigitallySigned *b)
{
  return a->has_algorithm == b->has_algorithm && a->algorithm == b->algorithm
         && bytes_eq (a->signature, b->signature);
}

static gboolean
ske_eq (gconstpointer pa, gconstpointer pb)
{
  const TlsServerKeyExchange *a = pa, *b = pb;

  return a->kx == b->kx && bytes_eq (a->dh_p, b->dh_p) && bytes_eq (a->dh_g, b->dh_g)
         && bytes_eq (a->dh_Ys, b->dh_Ys) && a->curve_type == b->curve_type
         && a->namedcurve == b->namedcurve && bytes_eq (a->point, b->point)
         && signed_eq (&a->signed_params, &b->signed_params);
}

static void
ske_dh_fill (TlsServerKeyExchange *m, TlsKeyExchange kx, gboolean tls12)
{
  memset (m, 0, sizeof *m);
  m->kx = kx;
  m->dh_p = pattern (256, 0xf1);
  m->dh_g = g_bytes_new ("\x02", 1);
  m->dh_Ys = pattern (256, 0x21);
  m->signed_params.has_algorithm = tls12;
  m->signed_params.algorithm = tls12 ? 0x0401 : 0;
  m->signed_params.signature = pattern (tls12 ? 256 : 46, 0x31);
}

static void
ske_ec_fill (TlsServerKeyExchange *m, TlsKeyExchange kx, gboolean tls12, guint16 curve)
{
  memset (m, 0, sizeof *m);
  m->kx = kx;
  m->curve_type = TLS_EC_CURVE_TYPE_NAMED_CURVE;
  m->namedcurve = curve;
  m->point = pattern (curve == 29 ? 32 : 65, 0x04);
  m->signed_params.has_algorithm = tls12;
  m->signed_params.algorithm = tls12 ? 0x0403 : 0;
  m->signed_params.signature = pattern (71, 0x30);
}

static void ske_dhe12_sample (gpointer m) { ske_dh_fill (m, TLS_KX_DHE_RSA, TRUE); }
static void ske_dhe10_sample (gpointer m) { ske_dh_fill (m, TLS_KX_DHE_DSS, FALSE); }
static void ske_ec12_sample (gpointer m) { ske_ec_fill (m, TLS_KX_ECDHE_ECDSA, TRUE, 23); }
static void ske_ec11_sample (gpointer m) { ske_ec_fill (m, TLS_KX_ECDHE_RSA, FALSE, 29); }
static int ske_dhe12_parse (TlsReader *r, gpointer m) { return tls_server_key_exchange_parse (r, m, TLS_KX_DHE_RSA, TLS_VERSION_1_2); }
static int ske_dhe10_parse (TlsReader *r, gpointer m) { return tls_server_key_exchange_parse (r, m, TLS_KX_DHE_DSS, TLS_VERSION_1_0); }
static int ske_ec12_parse (TlsReader *r, gpointer m) { return tls_server_key_exchange_parse (r, m, TLS_KX_ECDHE_ECDSA, TLS_VERSION_1_2); }
static int ske_ec11_parse (TlsReader *r, gpointer m) { return tls_server_key_exchange_parse (r, m, TLS_KX_ECDHE_RSA, TLS_VERSION_1_1); }
static void ske_write (TlsWriter *w, gconstpointer m) { tls_server_key_exchange_write (w, m); }
static void ske_clear (gpointer m) { tls_server_key_exchange_clear (m); }

static gboolean
cr_eq (gconstpointer pa, gconstpointer pb)
{
  const TlsCertificateRequest *a = pa, *b = pb;

  if (a->certificate_types->len != b->certificate_types->len
      || !mem_eq (a->certificate_types->data, b->certificate_types->data, a->certificate_types->len)
      || a->has_signature_algorithms != b->has_signature_algorithms
      || a->supported_signature_algorithms->len != b->supported_signature_algorithms->len
      || !mem_eq (a->supported_signature_algorithms->data, b->supported_signature_algorithms->data,
                  2 * a->supported_signature_algorithms->len)
      || a->certificate_authorities->len != b->certificate_authorities->len)
    return FALSE;
  for (guint i = 0; i < a->certificate_authorities->len; i++)
    if (!bytes_eq (a->certificate_authorities->pdata[i], b->certificate_authorities->pdata[i]))
      return FALSE;
  return TRUE;
}

static void
cr12_sample (gpointer p)
{
  TlsCertificateRequest *m = p;
  static const guint8 types[] = { 1, 64 };
  static const guint16 algs[] = { 0x0401, 0x0403, 0x0201 };

  tls_certificate_request_init (m);
  g_byte_array_append (m->certificate_types, types, sizeof types);
  m->has_signature_algorithms = TRUE;
  g_array_append_vals (m->supported_signature_algorithms, algs, G_N_ELEMENTS (algs));
  g_ptr_array_add (m->certificate_authorities, pattern (40, 0x30));
  g_ptr_array_add (m->certificate_authorities, pattern (31, 0x30));
}

static void
cr10_sample (gpointer p)
{
  TlsCertificateRequest *m = p;
  static const guint8 types[] = { 1, 2 };

  tls_certificate_request_init (m);
  g_byte_array_append (m->certificate_types, types, sizeof types);
}

static int cr12_parse (TlsReader *r, gpointer m) { return tls_certificate_request_parse (r, m, TLS_VERSION_1_2); }
static int cr10_parse (TlsReader *r, gpointer m) { return tls_certificate_request_parse (r, m, TLS_VERSION_1_0); }
static void cr_write (TlsWriter *w, gconstpointer m) { tls_certificate_request_write (w, m); }
static void cr_clear (gpointer m) { tls_certificate_request_clear (m); }

static gboolean
cv_eq (gconstpointer pa, gconstpointer pb)
{
  const TlsCertificateVerify *a = pa, *b = pb;
  return signed_eq (&a->digitally_signed, &b->digitally_signed);
}

static void
cv12_sample (gpointer p)
{
  TlsCertificateVerify *m = p;
  m->digitally_signed.has_algorithm = TRUE;
  m->digitally_signed.algorithm = 0x0501;
  m->digitally_signed.signature = pattern (256, 0x77);
}

static void
cv10_sample (gpointer p)
{
  TlsCertificateVerify *m = p;
  m->digitally_signed.has_algorithm = FALSE;
  m->digitally_signed.algorithm = 0;
  m->digitally_signed.signature = pattern (128, 0x78);
}

static int cv12_parse (TlsReader *r, gpointer m) { return tls_certificate_verify_parse (r, m, TLS_VERSION_1_2); }
static int cv10_parse (TlsReader *r, gpointer m) { return tls_certificate_verify_parse (r, m, TLS_VERSION_1_0); }
static void cv_write (TlsWriter *w, gconstpointer m) { tls_certificate_verify_write (w, m); }
static void cv_clear (gpointer m) { tls_certificate_verify_clear (m); }

static gboolean
nst_eq (gconstpointer pa, gconstpointer pb)
{
  const TlsNewSessionTicket *a = pa, *b = pb;
  return a->ticket_lifetime_hint == b->ticket_lifetime_hint && bytes_eq (a->ticket, b->ticket);
}

static void
nst_sample (gpointer p)
{
  TlsNewSessionTicket *m = p;
  m->ticket_lifetime_hint = 7200;
  m->ticket = pattern (160, 0x44);
}

static void
nst_empty_sample (gpointer p)
{
  TlsNewSessionTicket *m = p;
  m->ticket_lifetime_hint = 0;
  m->ticket = g_bytes_new (NULL, 0);
}

static int nst_parse (TlsReader *r, gpointer m) { return tls_new_session_ticket_parse (r, m); }
static void nst_write (TlsWriter *w, gconstpointer m) { tls_new_session_ticket_write (w, m); }
static void nst_clear (gpointer m) { tls_new_session_ticket_clear (m); }

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
  { "server-key-exchange-dhe-tls12", TLS_HS_SERVER_KEY_EXCHANGE, sizeof (TlsServerKeyExchange), ske_dhe12_sample, ske_write, ske_dhe12_parse, ske_clear, ske_eq },
  { "server-key-exchange-dhe-tls10", TLS_HS_SERVER_KEY_EXCHANGE, sizeof (TlsServerKeyExchange), ske_dhe10_sample, ske_write, ske_dhe10_parse, ske_clear, ske_eq },
  { "server-key-exchange-ecdhe-tls12", TLS_HS_SERVER_KEY_EXCHANGE, sizeof (TlsServerKeyExchange), ske_ec12_sample, ske_write, ske_ec12_parse, ske_clear, ske_eq },
  { "server-key-exchange-ecdhe-tls11", TLS_HS_SERVER_KEY_EXCHANGE, sizeof (TlsServerKeyExchange), ske_ec11_sample, ske_write, ske_ec11_parse, ske_clear, ske_eq },
  { "certificate-request-tls12", TLS_HS_CERTIFICATE_REQUEST, sizeof (TlsCertificateRequest), cr12_sample, cr_write, cr12_parse, cr_clear, cr_eq },
  { "certificate-request-tls10", TLS_HS_CERTIFICATE_REQUEST, sizeof (TlsCertificateRequest), cr10_sample, cr_write, cr10_parse, cr_clear, cr_eq },
  { "certificate-verify-tls12", TLS_HS_CERTIFICATE_VERIFY, sizeof (TlsCertificateVerify), cv12_sample, cv_write, cv12_parse, cv_clear, cv_eq },
  { "certificate-verify-tls10", TLS_HS_CERTIFICATE_VERIFY, sizeof (TlsCertificateVerify), cv10_sample, cv_write, cv10_parse, cv_clear, cv_eq },
  { "new-session-ticket", TLS_HS_NEW_SESSION_TICKET, sizeof (TlsNewSessionTicket), nst_sample, nst_write, nst_parse, nst_clear, nst_eq },
  { "new-session-ticket-empty", TLS_HS_NEW_SESSION_TICKET, sizeof (TlsNewSessionTicket), nst_empty_sample, nst_write, nst_parse, nst_clear, nst_eq },
};

/* ------------------------------------------------------------------ */
/* Generic helpers                                                     */

static const MsgCase *
case_named (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (strcmp (cases[i].name, name) == 0)
      return &cases[i];
  g_assert_not_reached ();
}

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
  return write_case (case_named ("client-hello"), m, fields);
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
  g_assert_cmpint (parse_case (case_named ("client-hello"), d, len, &p, &fields), ==, 0);

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
  tls_extensions_remove (&sh.extensions, TLS_EXT_SIGNATURE_ALGORITHMS);

  /* renegotiation_info answers the extension or the SCSV (RFC 5746, 3.6) */
  tls_extensions_remove (&ch.extensions, TLS_EXT_RENEGOTIATION_INFO);
  g_assert_cmpint (tls_client_hello_check_server_extensions (&ch, &sh.extensions, &bad), ==, 0);
  g_array_set_size (ch.cipher_suites, 2);   /* drops the SCSV, last in the sample */
  g_assert_cmpint (tls_client_hello_check_server_extensions (&ch, &sh.extensions, &bad), ==,
                   TLS_ALERT_UNSUPPORTED_EXTENSION);
  g_assert_cmpuint (bad, ==, TLS_EXT_RENEGOTIATION_INFO);
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
  a = write_case (case_named ("server-hello"), &sh, NULL);
  b = write_case (case_named ("certificate"), &cert, NULL);
  c = write_case (case_named ("server-hello-done"), NULL, NULL);
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


static void
test_server_key_exchange_bad (void)
{
  /* ECDHE: curve_type, namedcurve, point<1..2^8-1>, then (TLS 1.2)
   * algorithm and signature<0..2^16-1> */
  const guint8 explicit_prime[] = { 1, 0, 23, 1, 4, 4, 1, 0, 1, 0xaa };
  const guint8 good_ec[] = { 3, 0, 23, 1, 4, 4, 1, 0, 1, 0xaa };
  const guint8 empty_point[] = { 3, 0, 29, 0, 4, 1, 0, 1, 0xaa };
  /* DHE with an empty dh_p */
  const guint8 empty_p[] = { 0, 0, 0, 1, 2, 0, 1, 5, 4, 1, 0, 0 };
  TlsServerKeyExchange m;
  TlsReader r;

  g_test_summary ("ServerKeyExchange: not for RSA, named curves only, lengths checked, "
                  "the layout follows the version");
  tls_reader_init (&r, good_ec, sizeof good_ec, NULL);
  g_assert_cmpint (tls_server_key_exchange_parse (&r, &m, TLS_KX_ECDHE_RSA, TLS_VERSION_1_2), ==, 0);
  g_assert_cmpuint (m.namedcurve, ==, 23);
  g_assert_cmpuint (m.signed_params.algorithm, ==, 0x0401);
  tls_server_key_exchange_clear (&m);

  /* The same bytes as TLS 1.0: "04 01" is then a signature length. */
  tls_reader_init (&r, good_ec, sizeof good_ec, NULL);
  g_assert_cmpint (tls_server_key_exchange_parse (&r, &m, TLS_KX_ECDHE_RSA, TLS_VERSION_1_0), ==,
                   TLS_ALERT_DECODE_ERROR);
  g_assert_null (m.point);

  tls_reader_init (&r, good_ec, sizeof good_ec, NULL);
  g_assert_cmpint (tls_server_key_exchange_parse (&r, &m, TLS_KX_RSA, TLS_VERSION_1_2), ==,
                   TLS_ALERT_UNEXPECTED_MESSAGE);
  tls_reader_init (&r, good_ec, sizeof good_ec, NULL);
  g_assert_cmpint (tls_server_key_exchange_parse (&r, &m, TLS_KX_DH_RSA, TLS_VERSION_1_2), ==,
                   TLS_ALERT_UNEXPECTED_MESSAGE);

  tls_reader_init (&r, explicit_prime, sizeof explicit_prime, NULL);
  g_assert_cmpint (tls_server_key_exchange_parse (&r, &m, TLS_KX_ECDHE_ECDSA, TLS_VERSION_1_2), ==,
                   TLS_ALERT_ILLEGAL_PARAMETER);
  tls_reader_init (&r, empty_point, sizeof empty_point, NULL);
  g_assert_cmpint (tls_server_key_exchange_parse (&r, &m, TLS_KX_ECDHE_ECDSA, TLS_VERSION_1_2), ==,
                   TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, empty_p, sizeof empty_p, NULL);
  g_assert_cmpint (tls_server_key_exchange_parse (&r, &m, TLS_KX_DHE_RSA, TLS_VERSION_1_2), ==,
                   TLS_ALERT_DECODE_ERROR);
}

static void
test_server_key_exchange_signed_data (void)
{
  TlsServerKeyExchange m, p;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) signed_data = NULL;
  g_autoptr (TlsField) fields = NULL;
  guint8 cr[32], sr[32];
  const guint8 *d, *sd;
  gsize len, sdlen;
  TlsField *params;

  g_test_summary ("What the ServerKeyExchange signature covers: client_random + "
                  "server_random + the params exactly as on the wire");
  fill (cr, 32, 0x01);
  fill (sr, 32, 0x81);
  for (guint k = 0; k < 2; k++)
    {
      const MsgCase *c = case_named (k == 0 ? "server-key-exchange-dhe-tls12" : "server-key-exchange-ecdhe-tls12");

      g_assert_true (g_str_has_prefix (c->name, "server-key-exchange"));
      c->sample (&m);
      bytes = write_case (c, &m, NULL);
      d = g_bytes_get_data (bytes, &len);
      g_assert_cmpint (parse_case (c, d, len, &p, &fields), ==, 0);
      signed_data = tls_server_key_exchange_signed_data (&p, cr, sr);
      sd = g_bytes_get_data (signed_data, &sdlen);
      params = tls_field_find (fields, "params");
      g_assert_nonnull (params);
      g_assert_cmpuint (params->offset, ==, 4);
      g_assert_cmpmem (sd, 32, cr, 32);
      g_assert_cmpmem (sd + 32, 32, sr, 32);
      g_assert_cmpmem (sd + 64, sdlen - 64, d + params->offset, params->length);
      /* the signature follows the params directly */
      g_assert_cmpuint (tls_field_find (fields, "signed_params")->offset, ==,
                        params->offset + params->length);
      tls_server_key_exchange_clear (&m);
      tls_server_key_exchange_clear (&p);
      g_clear_pointer (&bytes, g_bytes_unref);
      g_clear_pointer (&signed_data, g_bytes_unref);
      g_clear_pointer (&fields, tls_field_free);
    }
}

static void
test_certificate_request_bad (void)
{
  const guint8 no_types[] = { 0, 0, 2, 4, 1, 0, 0 };
  const guint8 odd_algs[] = { 1, 1, 0, 3, 4, 1, 2, 0, 0 };
  const guint8 no_algs[] = { 1, 1, 0, 0, 0, 0 };
  const guint8 empty_dn[] = { 1, 1, 0, 2, 4, 1, 0, 2, 0, 0 };
  const guint8 good[] = { 1, 1, 0, 2, 4, 1, 0, 5, 0, 3, 0x30, 0x01, 0x00 };
  TlsCertificateRequest m;
  TlsReader r;

  g_test_summary ("CertificateRequest: empty types, odd or empty algorithm lists, empty "
                  "names are decode_error");
  tls_reader_init (&r, good, sizeof good, NULL);
  g_assert_cmpint (tls_certificate_request_parse (&r, &m, TLS_VERSION_1_2), ==, 0);
  g_assert_cmpuint (m.certificate_authorities->len, ==, 1);
  tls_certificate_request_clear (&m);
  /* a TLS 1.2 body read as TLS 1.1 does not fit */
  tls_reader_init (&r, good, sizeof good, NULL);
  g_assert_cmpint (tls_certificate_request_parse (&r, &m, TLS_VERSION_1_1), ==, TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, no_types, sizeof no_types, NULL);
  g_assert_cmpint (tls_certificate_request_parse (&r, &m, TLS_VERSION_1_2), ==, TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, odd_algs, sizeof odd_algs, NULL);
  g_assert_cmpint (tls_certificate_request_parse (&r, &m, TLS_VERSION_1_2), ==, TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, no_algs, sizeof no_algs, NULL);
  g_assert_cmpint (tls_certificate_request_parse (&r, &m, TLS_VERSION_1_2), ==, TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, empty_dn, sizeof empty_dn, NULL);
  g_assert_cmpint (tls_certificate_request_parse (&r, &m, TLS_VERSION_1_2), ==, TLS_ALERT_DECODE_ERROR);
  g_assert_null (m.certificate_types);
}

static void
test_issue4_spans (void)
{
  TlsNewSessionTicket t = { 0 };
  TlsCertificateVerify cv = { 0 };
  g_autoptr (GBytes) b = NULL;
  g_autoptr (TlsField) f = NULL;
  const guint8 *d;
  gsize len;
  TlsField *x;

  g_test_summary ("Field names and spans of NewSessionTicket and CertificateVerify");
  nst_sample (&t);
  b = write_case (case_named ("new-session-ticket"), &t, NULL);
  d = g_bytes_get_data (b, &len);
  tls_new_session_ticket_clear (&t);
  g_assert_cmpint (parse_case (case_named ("new-session-ticket"), d, len, &t, &f), ==, 0);
  x = tls_field_find (f, "ticket_lifetime_hint");
  g_assert_cmpuint (x->offset, ==, 4);
  g_assert_cmpuint (x->length, ==, 4);
  g_assert_cmpstr (x->value, ==, "7200 s");
  x = tls_field_find (f, "ticket");
  g_assert_cmpuint (x->offset, ==, 8);
  g_assert_cmpuint (x->length, ==, 2 + 160);
  tls_new_session_ticket_clear (&t);
  g_clear_pointer (&b, g_bytes_unref);
  g_clear_pointer (&f, tls_field_free);

  cv12_sample (&cv);
  b = write_case (case_named ("certificate-verify-tls12"), &cv, NULL);
  d = g_bytes_get_data (b, &len);
  tls_certificate_verify_clear (&cv);
  g_assert_cmpint (parse_case (case_named ("certificate-verify-tls12"), d, len, &cv, &f), ==, 0);
  x = tls_field_find (f, "algorithm");
  g_assert_cmpuint (x->offset, ==, 4);
  g_assert_cmpuint (x->length, ==, 2);
  g_assert_cmpstr (x->value, ==, "rsa_pkcs1_sha384 (0x0501)");
  g_assert_cmpstr (tls_field_find (x, "hash")->value, ==, "sha384 (5)");
  g_assert_cmpstr (tls_field_find (x, "signature")->value, ==, "rsa (1)");
  x = tls_field_find (f, "signature");
  g_assert_cmpuint (x->offset, ==, 6);
  g_assert_cmpuint (x->length, ==, 2 + 256);
  tls_certificate_verify_clear (&cv);
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
  g_assert_cmpint (parse_case (case_named ("client-hello"), d, len, ch, &rfields), ==, 0);
  again = write_case (case_named ("client-hello"), ch, &wfields);
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

/* ------------------------------------------------------------------ */
/* Server flights from real servers                                    */

typedef struct
{
  const char     *name;
  const char     *program;        /* "openssl" or "gnutls-serv" */
  guint16         version;
  guint16         suite;
  TlsKeyExchange  kx;
  const char     *identity;       /* data/pki/NAME.{crt,key} */
  gboolean        request_cert;   /* the server asks for a client certificate */
  const char     *extra[6];
} ServerFlight;

static const ServerFlight flights[] = {
  { "openssl-ecdhe-rsa-tls12", "openssl", TLS_VERSION_1_2, 0xC02F, TLS_KX_ECDHE_RSA, "server-rsa", TRUE,
    { "-tls1_2", NULL } },
  { "openssl-ecdhe-ecdsa-tls12", "openssl", TLS_VERSION_1_2, 0xC02B, TLS_KX_ECDHE_ECDSA, "server-ecdsa", FALSE,
    { "-tls1_2", NULL } },
  { "openssl-dhe-rsa-tls12", "openssl", TLS_VERSION_1_2, 0x009E, TLS_KX_DHE_RSA, "server-rsa", FALSE,
    { "-tls1_2", NULL } },
  { "openssl-dhe-rsa-tls10", "openssl", TLS_VERSION_1_0, 0x0033, TLS_KX_DHE_RSA, "server-rsa", TRUE,
    { "-tls1", "-cipher", "DHE-RSA-AES128-SHA:@SECLEVEL=0", NULL } },
  { "openssl-ecdhe-rsa-tls11", "openssl", TLS_VERSION_1_1, 0xC013, TLS_KX_ECDHE_RSA, "server-rsa", FALSE,
    { "-tls1_1", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0", NULL } },
  { "gnutls-ecdhe-rsa-tls12", "gnutls-serv", TLS_VERSION_1_2, 0xC02F, TLS_KX_ECDHE_RSA, "server-rsa", TRUE,
    { NULL } },
  /* gnutls-serv always sends a CertificateRequest */
  { "gnutls-dhe-rsa-tls12", "gnutls-serv", TLS_VERSION_1_2, 0x009E, TLS_KX_DHE_RSA, "server-rsa", TRUE,
    { "--priority", "NORMAL:+DHE-RSA", NULL } },
};

static guint16
free_port (void)
{
  g_autoptr (GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (s, addr, TRUE, NULL));
  bound = g_socket_get_local_address (s, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The DER of the first certificate in a PEM file. */
static GBytes *
pem_first_der (const char *path)
{
  g_autofree char *text = NULL;
  const char *begin, *end;
  g_autofree char *b64 = NULL;
  guchar *der;
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  begin = strstr (text, "-----BEGIN CERTIFICATE-----");
  g_assert_nonnull (begin);
  begin += strlen ("-----BEGIN CERTIFICATE-----");
  end = strstr (begin, "-----END CERTIFICATE-----");
  g_assert_nonnull (end);
  b64 = g_strndup (begin, end - begin);
  der = g_base64_decode (b64, &len);
  return g_bytes_new_take (der, len);
}

static void
flight_client_hello (const ServerFlight *f, TlsClientHello *ch)
{
  static const guint16 groups[] = { 29, 23 };
  static const guint8 formats[] = { 0 };
  static const guint16 sigalgs[] = { 0x0401, 0x0403, 0x0501, 0x0201 };
  guint16 suites[] = { f->suite, TLS_EMPTY_RENEGOTIATION_INFO_SCSV };

  tls_client_hello_init (ch);
  ch->client_version = f->version;
  fill (ch->random, 32, 0x42);
  g_array_append_vals (ch->cipher_suites, suites, G_N_ELEMENTS (suites));
  g_byte_array_append (ch->compression_methods, (const guint8 *) "\0", 1);
  tls_extensions_add_server_name (&ch->extensions, "lab.example");
  tls_extensions_add_supported_groups (&ch->extensions, groups, G_N_ELEMENTS (groups));
  tls_extensions_add_ec_point_formats (&ch->extensions, formats, 1);
  /* RFC 5246, 7.4.1.4.1: only TLS 1.2 clients send signature_algorithms. */
  if (f->version >= TLS_VERSION_1_2)
    tls_extensions_add_signature_algorithms (&ch->extensions, sigalgs, G_N_ELEMENTS (sigalgs));
  tls_extensions_add_extended_master_secret (&ch->extensions);
}

/* Parses MSG with case-like callbacks, checks the round trip; returns the
 * alert. */
static int
parse_and_rewrite (GBytes *msg, gpointer m, int (*parse) (TlsReader *, gpointer),
                   void (*write) (TlsWriter *, gconstpointer))
{
  MsgCase c = { "flight", 0, 0, NULL, write, parse, NULL, NULL };
  g_autoptr (TlsField) rfields = NULL;
  g_autoptr (TlsField) wfields = NULL;
  g_autoptr (GBytes) again = NULL;
  const guint8 *d;
  gsize len;
  int err;

  d = g_bytes_get_data (msg, &len);
  c.msg_type = d[0];
  err = parse_case (&c, d, len, m, &rfields);
  if (err != 0)
    return err;
  again = write_case (&c, m, &wfields);
  g_assert_true (g_bytes_equal (msg, again));
  assert_fields_equal (wfields, rfields);
  assert_fields_nested (rfields);
  return 0;
}

static guint16 flight_version;
static TlsKeyExchange flight_kx;
static int flight_ske_parse (TlsReader *r, gpointer m) { return tls_server_key_exchange_parse (r, m, flight_kx, flight_version); }
static int flight_cr_parse (TlsReader *r, gpointer m) { return tls_certificate_request_parse (r, m, flight_version); }

static void
test_server_flight (gconstpointer data)
{
  const ServerFlight *f = data;
  const char *datadir = g_getenv ("HANDSHAKE_LAB_DATADIR");
  g_autofree char *crt = NULL, *key = NULL, *chain = NULL, *root = NULL;
  g_autofree char *port = NULL, *accept = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) server = NULL;
  g_autoptr (GSocket) sock = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) hs = g_byte_array_new ();
  g_autoptr (GPtrArray) msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GBytes) ch_bytes = NULL;
  g_autoptr (GBytes) leaf = NULL;
  TlsClientHello ch;
  gboolean done = FALSE, saw_ske = FALSE, saw_cr = FALSE;
  guint16 p;

  g_test_summary ("A real server's flight (ServerHello .. ServerHelloDone) parses and "
                  "writes back byte for byte");
  if (!have_program (f->program))
    {
      g_test_skip ("the server program is not installed");
      return;
    }
  if (datadir == NULL)
    {
      g_test_skip ("HANDSHAKE_LAB_DATADIR is not set");
      return;
    }
  {
    g_autofree char *crt_name = g_strconcat (f->identity, ".crt", NULL);
    g_autofree char *key_name = g_strconcat (f->identity, ".key", NULL);
    g_autofree char *chain_name = g_strconcat (f->identity, "-chain.pem", NULL);

    crt = g_build_filename (datadir, "pki", crt_name, NULL);
    key = g_build_filename (datadir, "pki", key_name, NULL);
    chain = g_build_filename (datadir, "pki", chain_name, NULL);
  }
  root = g_build_filename (datadir, "pki", "ca", "root.crt", NULL);

  p = free_port ();
  port = g_strdup_printf ("%u", p);
  if (strcmp (f->program, "openssl") == 0)
    {
      accept = g_strdup_printf ("127.0.0.1:%u", p);
      g_ptr_array_add (argv, "openssl");
      g_ptr_array_add (argv, "s_server");
      g_ptr_array_add (argv, "-accept");
      g_ptr_array_add (argv, accept);
      g_ptr_array_add (argv, "-cert");
      g_ptr_array_add (argv, crt);
      g_ptr_array_add (argv, "-key");
      g_ptr_array_add (argv, key);
      g_ptr_array_add (argv, "-cert_chain");
      g_ptr_array_add (argv, chain);
      g_ptr_array_add (argv, "-no_ticket");
      if (f->request_cert)
        {
          g_ptr_array_add (argv, "-verify");
          g_ptr_array_add (argv, "1");
          g_ptr_array_add (argv, "-CAfile");
          g_ptr_array_add (argv, root);
        }
    }
  else
    {
      g_ptr_array_add (argv, "gnutls-serv");
      g_ptr_array_add (argv, "-p");
      g_ptr_array_add (argv, port);
      g_ptr_array_add (argv, "--x509certfile");
      g_ptr_array_add (argv, chain);
      g_ptr_array_add (argv, "--x509keyfile");
      g_ptr_array_add (argv, key);
      if (f->request_cert)
        {
          g_ptr_array_add (argv, "-r");
          g_ptr_array_add (argv, "--x509cafile");
          g_ptr_array_add (argv, root);
        }
    }
  for (guint i = 0; f->extra[i]; i++)
    g_ptr_array_add (argv, (gpointer) f->extra[i]);
  g_ptr_array_add (argv, NULL);

  server = g_subprocess_newv ((const char *const *) argv->pdata,
                              G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                              | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);

  /* Connect once the server listens: at most 10 s. */
  {
    g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, p);

    for (guint tries = 0; tries < 100 && sock == NULL; tries++)
      {
        GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
        if (g_socket_connect (s, addr, NULL, NULL))
          sock = s;
        else
          {
            g_object_unref (s);
            g_usleep (100 * 1000);
          }
      }
  }
  if (sock == NULL)
    {
      g_subprocess_force_exit (server);
      g_subprocess_wait (server, NULL, NULL);
      g_error ("%s did not listen on 127.0.0.1:%u", f->program, p);
    }
  g_socket_set_timeout (sock, 10);

  /* Our ClientHello, in one record. */
  flight_client_hello (f, &ch);
  ch_bytes = write_case (case_named ("client-hello"), &ch, NULL);
  {
    gsize n = g_bytes_get_size (ch_bytes);
    guint8 header[5] = { TLS_CONTENT_HANDSHAKE, 3, 1, n >> 8, n & 0xff };
    g_assert_true (g_socket_send (sock, (const char *) header, 5, NULL, NULL) == 5);
    g_assert_true (g_socket_send (sock, g_bytes_get_data (ch_bytes, NULL), n, NULL, NULL) == (gssize) n);
  }

  /* Records until ServerHelloDone; at most 64. */
  for (guint records = 0; records < 64 && !done; records++)
    {
      guint8 header[5];
      g_autofree guint8 *frag = NULL;
      gsize n, used;

      if (!recv_all (sock, header, 5, &error))
        break;
      n = (gsize) header[3] << 8 | header[4];
      frag = g_malloc (n ? n : 1);
      if (!recv_all (sock, frag, n, &error))
        break;
      if (header[0] == TLS_CONTENT_ALERT && n == 2)
        g_error ("%s answered with alert %s", f->program, tls_alert_name (frag[1]));
      g_assert_cmpuint (header[0], ==, TLS_CONTENT_HANDSHAKE);
      g_byte_array_append (hs, frag, n);
      used = tls_handshake_split (hs->data, hs->len, msgs);
      g_byte_array_remove_range (hs, 0, used);
      done = msgs->len > 0
             && ((guint8 *) g_bytes_get_data (msgs->pdata[msgs->len - 1], NULL))[0] == TLS_HS_SERVER_HELLO_DONE;
    }
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  g_assert_no_error (error);
  g_assert_true (done);

  flight_version = f->version;
  flight_kx = f->kx;
  leaf = pem_first_der (crt);
  for (guint i = 0; i < msgs->len; i++)
    {
      GBytes *msg = msgs->pdata[i];
      guint8 type = ((const guint8 *) g_bytes_get_data (msg, NULL))[0];

      switch (type)
        {
        case TLS_HS_SERVER_HELLO:
          {
            TlsServerHello sh;
            g_assert_cmpuint (i, ==, 0);
            g_assert_cmpint (parse_and_rewrite (msg, &sh, sh_parse, sh_write), ==, 0);
            g_assert_cmpuint (sh.server_version, ==, f->version);
            g_assert_cmpuint (sh.cipher_suite, ==, f->suite);
            g_assert_cmpuint (sh.compression_method, ==, 0);
            g_assert_cmpint (tls_client_hello_check_server_extensions (&ch, &sh.extensions, NULL), ==, 0);
            g_assert_true (tls_extensions_has (&sh.extensions, TLS_EXT_EXTENDED_MASTER_SECRET));
            g_assert_true (tls_extensions_has (&sh.extensions, TLS_EXT_RENEGOTIATION_INFO));
            tls_server_hello_clear (&sh);
          }
          break;
        case TLS_HS_CERTIFICATE:
          {
            TlsCertificateMsg cm;
            g_assert_cmpint (parse_and_rewrite (msg, &cm, cert_parse, cert_write), ==, 0);
            g_assert_cmpuint (cm.certificate_list->len, >=, 1);
            g_assert_true (g_bytes_equal (cm.certificate_list->pdata[0], leaf));
            tls_certificate_msg_clear (&cm);
          }
          break;
        case TLS_HS_SERVER_KEY_EXCHANGE:
          {
            TlsServerKeyExchange ske;
            saw_ske = TRUE;
            g_assert_cmpint (parse_and_rewrite (msg, &ske, flight_ske_parse, ske_write), ==, 0);
            g_assert_cmpint (ske.signed_params.has_algorithm, ==, f->version >= TLS_VERSION_1_2);
            g_assert_cmpuint (g_bytes_get_size (ske.signed_params.signature), >=, 64);
            if (f->kx == TLS_KX_DHE_RSA)
              {
                gsize plen = g_bytes_get_size (ske.dh_p);
                g_assert_cmpuint (plen, >=, 256);          /* at least 2048 bits */
                g_assert_cmpuint (g_bytes_get_size (ske.dh_Ys), <=, plen);
              }
            else
              {
                g_assert_cmpuint (ske.namedcurve, ==, 29);  /* x25519, our first choice */
                g_assert_cmpuint (g_bytes_get_size (ske.point), ==, 32);
              }
            if (ske.signed_params.has_algorithm)
              g_assert_cmpuint (ske.signed_params.algorithm & 0xff, ==,
                                f->kx == TLS_KX_ECDHE_ECDSA ? 3 : 1);
            tls_server_key_exchange_clear (&ske);
          }
          break;
        case TLS_HS_CERTIFICATE_REQUEST:
          {
            TlsCertificateRequest cr;
            gboolean found_root = FALSE;
            saw_cr = TRUE;
            g_assert_cmpint (parse_and_rewrite (msg, &cr, flight_cr_parse, cr_write), ==, 0);
            g_assert_cmpuint (cr.certificate_types->len, >=, 1);
            g_assert_cmpint (cr.has_signature_algorithms, ==, f->version >= TLS_VERSION_1_2);
            if (cr.has_signature_algorithms)
              g_assert_cmpuint (cr.supported_signature_algorithms->len, >=, 1);
            for (guint k = 0; k < cr.certificate_authorities->len; k++)
              {
                gsize n;
                const guint8 *dn = g_bytes_get_data (cr.certificate_authorities->pdata[k], &n);
                for (gsize at = 0; at + 21 <= n; at++)
                  if (memcmp (dn + at, "Handshake Lab Root CA", 21) == 0)
                    found_root = TRUE;
              }
            g_assert_true (found_root);
            tls_certificate_request_clear (&cr);
          }
          break;
        case TLS_HS_SERVER_HELLO_DONE:
          {
            g_assert_cmpuint (i, ==, msgs->len - 1);
            g_assert_cmpint (parse_and_rewrite (msg, NULL, shd_parse, shd_write), ==, 0);
          }
          break;
        default:
          g_error ("unexpected %s in the server's flight", tls_handshake_type_name (type));
        }
    }
  g_assert_true (saw_ske);
  g_assert_cmpint (saw_cr, ==, f->request_cert);
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
  g_test_add_func ("/messages/server-key-exchange/bad", test_server_key_exchange_bad);
  g_test_add_func ("/messages/server-key-exchange/signed-data", test_server_key_exchange_signed_data);
  g_test_add_func ("/messages/certificate-request/bad", test_certificate_request_bad);
  g_test_add_func ("/messages/issue4/spans", test_issue4_spans);
  g_test_add_data_func ("/messages/client-hello/stored-openssl",
                        "client-hello-openssl-3.0.hex", test_stored_client_hello);
  g_test_add_data_func ("/messages/client-hello/stored-gnutls",
                        "client-hello-gnutls-3.7.hex", test_stored_client_hello);
  g_test_add_func ("/messages/client-hello/openssl", test_openssl_client_hello);
  g_test_add_func ("/messages/client-hello/gnutls", test_gnutls_client_hello);
  for (guint i = 0; i < G_N_ELEMENTS (flights); i++)
    {
      g_autofree char *path = g_strdup_printf ("/messages/server-flight/%s", flights[i].name);
      g_test_add_data_func (path, &flights[i], test_server_flight);
    }
  return g_test_run ();
}
