/* test-conform.c — issue 13, "Server behaviour": what our endpoints answer
 * to peers that do unusual or illegal things, checked on hand-built or
 * hand-edited bytes and, where a real peer can produce the case, against
 * openssl and gnutls on 127.0.0.1.
 *
 * A Pair is our client and our server in memory; a filter may edit each
 * record the client sends before the server reads it. */
#include "tls-endpoint.h"
#include "tls-suites.h"
#include "tls-types.h"
#include "tls-alert.h"
#include "tls-x509.h"
#include "tls-keys.h"
#include "tls-extensions.h"
#include "tls-kx-dh.h"
#include "tls-prf.h"
#include "tls-flow.h"
#include "tls-config.h"
#include "interop-peers.h"

#include <string.h>

#define TIMEOUT_MS 15000

static const char *
datadir (void)
{
  return g_getenv ("HANDSHAKE_LAB_DATADIR");
}

static char *
pki (const char *name)
{
  return g_build_filename (datadir (), "pki", name, NULL);
}

static const char *program;

static gboolean
need_program (const char *name)
{
  g_autofree char *path = iop_find_program (name);

  if (path != NULL)
    return TRUE;
  {
    g_autofree char *msg = g_strdup_printf ("%s is not installed", name);
    g_test_skip (msg);
  }
  return FALSE;
}


/* ------------------------------------------------------------------ */
/* Real peers: openssl, gnutls, and our program                        */

static void
argv_add_va (GPtrArray *argv, va_list ap)
{
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (a));
}

/* openssl s_server with the RSA demo chain, -www off, and the options
 * that follow (NULL-terminated). */
static gboolean
start_openssl_server (IopServer *server, ...)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  va_list ap;
  gboolean ok;

  g_ptr_array_add (argv, g_strdup ("openssl"));
  g_ptr_array_add (argv, g_strdup ("s_server"));
  g_ptr_array_add (argv, g_strdup ("-accept"));
  g_ptr_array_add (argv, g_strdup ("@PORT@"));
  g_ptr_array_add (argv, g_strdup ("-cert"));
  g_ptr_array_add (argv, pki ("server-rsa.crt"));
  g_ptr_array_add (argv, g_strdup ("-key"));
  g_ptr_array_add (argv, pki ("server-rsa.key"));
  g_ptr_array_add (argv, g_strdup ("-cert_chain"));
  g_ptr_array_add (argv, pki ("ca/intermediate.crt"));
  va_start (ap, server);
  argv_add_va (argv, ap);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  ok = iop_server_start (server, (const char *const *) argv->pdata, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  return ok;
}

/* handshake-lab serve for COUNT handshakes with the RSA demo chain and the
 * options that follow. */
static gboolean
start_our_server (IopServer *server, guint count, ...)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  va_list ap;
  gboolean ok;

  g_ptr_array_add (argv, g_strdup (program));
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:@PORT@"));
  g_ptr_array_add (argv, g_strdup ("--count"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", count));
  g_ptr_array_add (argv, g_strdup ("--timeout"));
  g_ptr_array_add (argv, g_strdup ("10000"));
  g_ptr_array_add (argv, g_strdup ("--cert"));
  g_ptr_array_add (argv, pki ("server-rsa-chain.pem"));
  g_ptr_array_add (argv, g_strdup ("--key"));
  g_ptr_array_add (argv, pki ("server-rsa.key"));
  va_start (ap, count);
  argv_add_va (argv, ap);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  ok = iop_server_start (server, (const char *const *) argv->pdata, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  return ok;
}

/* Runs a client: the NULL-terminated ARGV after PROGRAM, where "@ADDR@" is
 * 127.0.0.1:PORT and "@PORT@" the port; STDIN_TEXT on its input. */
static void
run_client (IopResult *r, guint16 port, const char *stdin_text, const char *first, ...)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) raw = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (raw, (char *) first);
  va_start (ap, first);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (raw, (char *) a);
  va_end (ap);
  for (guint i = 0; i < raw->len; i++)
    {
      const char *a = raw->pdata[i];
      if (g_strcmp0 (a, "@ADDR@") == 0)
        g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
      else if (g_strcmp0 (a, "@PORT@") == 0)
        g_ptr_array_add (argv, g_strdup_printf ("%u", port));
      else if (g_strcmp0 (a, "@LAB@") == 0)
        g_ptr_array_add (argv, g_strdup (program));
      else
        g_ptr_array_add (argv, g_strdup (a));
    }
  g_ptr_array_add (argv, NULL);
  g_assert_true (iop_run_split ((const char *const *) argv->pdata, stdin_text, TIMEOUT_MS, r,
                                &error));
  g_assert_no_error (error);
}

static int
wait_server (IopServer *server, char **output)
{
  int status = -1;

  if (!iop_server_wait (server, TIMEOUT_MS, &status))
    status = -1;
  *output = iop_server_output (server);
  iop_server_stop (server);
  return status;
}

/* ------------------------------------------------------------------ */
/* Our client and our server in memory                                 */

/* Edits one record REC (header included) the client sends; the record
 * lengths are the filter's business. */
typedef void (*PairFilter) (GByteArray *rec, gpointer data);

typedef struct
{
  TlsTrace      *ctrace, *strace;
  TlsRng        *crng, *srng;
  TlsConfig      ccfg, scfg;
  TlsEndpoint   *client, *server;
  GPtrArray     *chain;
  TlsPrivateKey *key;
  PairFilter     filter;
  gpointer       filter_data;
} Pair;

/* A pair with the server's certificate ID ("server-rsa") and the client
 * offering SUITE only; SEED seeds both generators. */
static void
pair_init (Pair *p, const char *id, const char *suite, guint64 seed)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *chain_name = g_strdup_printf ("%s-chain.pem", id);
  g_autofree char *key_name = g_strdup_printf ("%s.key", id);
  g_autofree char *chain = pki (chain_name);
  g_autofree char *key = pki (key_name);
  guint16 sid = tls_suite_by_name (suite)->id;

  memset (p, 0, sizeof *p);
  p->ctrace = tls_trace_new ();
  p->strace = tls_trace_new ();
  p->crng = tls_rng_new_seeded (seed, "client");
  p->srng = tls_rng_new_seeded (seed, "server");
  tls_config_init (&p->ccfg, TLS_ACTOR_CLIENT);
  tls_config_init (&p->scfg, TLS_ACTOR_SERVER);
  p->ccfg.rng = p->crng;
  p->scfg.rng = p->srng;
  p->ccfg.suites = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_array_append_val (p->ccfg.suites, sid);
  p->chain = tls_certificate_list_from_file (chain, &error);
  g_assert_no_error (error);
  p->key = tls_private_key_load_file (key, &error);
  g_assert_no_error (error);
  p->scfg.chain = g_ptr_array_ref (p->chain);
  p->scfg.key = p->key;
}

/* Makes the endpoints once the configs are final. */
static void
pair_start (Pair *p)
{
  p->client = tls_endpoint_new (&p->ccfg, p->ctrace);
  p->server = tls_endpoint_new (&p->scfg, p->strace);
  tls_endpoint_set_time (p->client, 1780315200);
  tls_endpoint_set_time (p->server, 1780315200);
}

static void
pair_clear (Pair *p)
{
  g_clear_pointer (&p->client, tls_endpoint_free);
  g_clear_pointer (&p->server, tls_endpoint_free);
  p->scfg.key = NULL;
  tls_config_clear (&p->ccfg);
  tls_config_clear (&p->scfg);
  g_clear_pointer (&p->chain, g_ptr_array_unref);
  g_clear_pointer (&p->key, tls_private_key_free);
  tls_rng_free (p->crng);
  tls_rng_free (p->srng);
  tls_trace_free (p->ctrace);
  tls_trace_free (p->strace);
}

/* Moves what FROM sent to TO, record by record through FILTER (client to
 * server only).  TRUE if anything moved. */
static gboolean
pair_move (Pair *p, TlsEndpoint *from, TlsEndpoint *to)
{
  g_autoptr (GBytes) out = tls_endpoint_take_output (from);
  gsize n, off = 0;
  const guint8 *d;

  if (out == NULL)
    return FALSE;
  d = g_bytes_get_data (out, &n);
  while (off + 5 <= n)
    {
      gsize len = 5 + ((d[off + 3] << 8) | d[off + 4]);
      g_autoptr (GByteArray) rec = g_byte_array_new ();

      g_byte_array_append (rec, d + off, MIN (len, n - off));
      if (p->filter != NULL && from == p->client)
        p->filter (rec, p->filter_data);
      tls_endpoint_feed (to, rec->data, rec->len);
      off += len;
    }
  return TRUE;
}

static gboolean
stepping (TlsEpStatus st)
{
  return st == TLS_EP_PROGRESS;
}

/* Runs both until neither can move (or STOP returns TRUE after a step). */
static void
pair_run_until (Pair *p, gboolean (*stop) (Pair *p))
{
  for (guint round = 0; round < 2000; round++)
    {
      gboolean moved = FALSE;

      while (stepping (tls_endpoint_step (p->client)))
        {
          moved = TRUE;
          if (stop && stop (p))
            return;
        }
      moved |= pair_move (p, p->client, p->server);
      while (stepping (tls_endpoint_step (p->server)))
        {
          moved = TRUE;
          if (stop && stop (p))
            return;
        }
      moved |= pair_move (p, p->server, p->client);
      if (!moved)
        return;
    }
}

static void
pair_run (Pair *p)
{
  pair_run_until (p, NULL);
}

static TlsStep *
find_step (TlsTrace *t, TlsStepKind kind, const char *title)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      if (s->kind == kind && g_strcmp0 (s->title, title) == 0)
        return s;
    }
  return NULL;
}

/* The step that made output NAME, or NULL. */
static TlsTraceValue *
find_output (TlsTrace *t, const char *name, TlsStep **where)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      TlsTraceValue *v = tls_step_find_output (s, name);
      if (v != NULL)
        {
          if (where)
            *where = s;
          return v;
        }
    }
  return NULL;
}

/* The endpoint failed having sent ALERT as a fatal alert. */
static void
assert_sent_fatal (TlsEndpoint *ep, int alert)
{
  g_assert_cmpint (tls_endpoint_status (ep), ==, TLS_EP_FAILED);
  g_assert_true (tls_endpoint_alert_sent (ep));
  g_assert_cmpstr (tls_alert_name (tls_endpoint_alert (ep)), ==, tls_alert_name (alert));
}

/* Rewrites the record length and the handshake length of a record holding
 * one handshake message. */
static void
fix_hs_lengths (GByteArray *rec)
{
  gsize body = rec->len - 9;

  rec->data[3] = (rec->len - 5) >> 8;
  rec->data[4] = (rec->len - 5) & 0xff;
  rec->data[6] = body >> 16;
  rec->data[7] = (body >> 8) & 0xff;
  rec->data[8] = body & 0xff;
}

static gboolean
is_handshake (GByteArray *rec, guint8 type)
{
  return rec->len > 9 && rec->data[0] == TLS_CONTENT_HANDSHAKE && rec->data[5] == type;
}

/* In a record holding one ClientHello: the offset of extension TYPE's
 * data and its length. */
static gboolean
hello_find_extension (GByteArray *rec, guint16 type, gsize *off, gsize *len)
{
  const guint8 *d = rec->data;
  gsize i = 9 + 2 + 32, end;

  i += 1 + d[i];                            /* session_id */
  i += 2 + ((d[i] << 8) | d[i + 1]);        /* cipher_suites */
  i += 1 + d[i];                            /* compression_methods */
  if (i + 2 > rec->len)
    return FALSE;
  end = i + 2 + ((d[i] << 8) | d[i + 1]);
  for (i += 2; i + 4 <= end && end <= rec->len; )
    {
      guint16 t = (d[i] << 8) | d[i + 1];
      gsize l = (d[i + 2] << 8) | d[i + 3];
      if (t == type)
        {
          *off = i + 4;
          *len = l;
          return TRUE;
        }
      i += 4 + l;
    }
  return FALSE;
}


/* Sends BYTES to 127.0.0.1:PORT and reads what comes back until the peer
 * closes or 5 s pass; returns the description of the first fatal alert
 * record in the answer (plaintext: the handshake is not over), or -1. */
static int
peer_alert_for (guint16 port, const guint8 *bytes, gsize len)
{
  g_autoptr (GSocketClient) sc = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) in = g_byte_array_new ();
  GInputStream *is;
  guint8 buf[4096];
  gssize n;
  gsize off = 0;

  g_socket_client_set_timeout (sc, 5);
  conn = g_socket_client_connect_to_host (sc, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                                            bytes, len, NULL, NULL, &error));
  is = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  while ((n = g_input_stream_read (is, buf, sizeof buf, NULL, NULL)) > 0)
    g_byte_array_append (in, buf, n);
  while (off + 5 <= in->len)
    {
      gsize rlen = (in->data[off + 3] << 8) | in->data[off + 4];
      if (in->data[off] == TLS_CONTENT_ALERT && rlen == 2 && off + 7 <= in->len
          && in->data[off + 5] == TLS_ALERT_LEVEL_FATAL)
        return in->data[off + 6];
      off += 5 + rlen;
    }
  return -1;
}

/* What OUR server answers to the record(s) BYTES: the alert it sent, or
 * -1 when it did not fail. */
static int
our_alert_for (const guint8 *bytes, gsize len, TlsTrace **trace_out)
{
  Pair p;
  int alert;

  pair_init (&p, "server-rsa", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 1);
  pair_start (&p);
  tls_endpoint_feed (p.server, bytes, len);
  for (guint i = 0; i < 200 && stepping (tls_endpoint_step (p.server)); i++)
    ;
  alert = tls_endpoint_status (p.server) == TLS_EP_FAILED && tls_endpoint_alert_sent (p.server)
          ? tls_endpoint_alert (p.server) : -1;
  if (trace_out != NULL)
    {
      *trace_out = p.strace;
      p.strace = tls_trace_new ();
    }
  pair_clear (&p);
  return alert;
}

/* A ClientHello record from our client (offering SUITE). */
static GByteArray *
our_client_hello (const char *suite)
{
  Pair p;
  g_autoptr (GBytes) out = NULL;
  GByteArray *rec = g_byte_array_new ();

  pair_init (&p, "server-rsa", suite, 1);
  pair_start (&p);
  g_assert_cmpint (tls_endpoint_step (p.client), ==, TLS_EP_PROGRESS);
  out = tls_endpoint_take_output (p.client);
  g_byte_array_append (rec, g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  pair_clear (&p);
  return rec;
}

/* Replaces the data of extension TYPE in the ClientHello record REC (or
 * appends the extension) and fixes every length around it. */
static void
hello_set_extension (GByteArray *rec, guint16 type, const guint8 *data, gsize len)
{
  gsize off, old, ext_len_at, i;

  if (hello_find_extension (rec, type, &off, &old))
    {
      g_autoptr (GByteArray) tail = g_byte_array_new ();

      g_byte_array_append (tail, rec->data + off + old, rec->len - off - old);
      g_byte_array_set_size (rec, off);
      g_byte_array_append (rec, data, len);
      g_byte_array_append (rec, tail->data, tail->len);
    }
  else
    {
      guint8 hdr[4] = { type >> 8, type & 0xff, 0, 0 };
      g_byte_array_append (rec, hdr, 4);
      off = rec->len;
      g_byte_array_append (rec, data, len);
    }
  rec->data[off - 2] = len >> 8;
  rec->data[off - 1] = len & 0xff;
  /* the extensions block length */
  i = 9 + 2 + 32;
  i += 1 + rec->data[i];
  i += 2 + ((rec->data[i] << 8) | rec->data[i + 1]);
  i += 1 + rec->data[i];
  ext_len_at = i;
  rec->data[ext_len_at] = (rec->len - ext_len_at - 2) >> 8;
  rec->data[ext_len_at + 1] = (rec->len - ext_len_at - 2) & 0xff;
  fix_hs_lengths (rec);
}

/* ------------------------------------------------------------------ */
/* DHE: the client's dh_Yc (RFC 7919, 4 and 5.1; RFC 5246, 8.1.2)      */

typedef struct
{
  const guint8 *yc;        /* the dh_Yc to put in ClientKeyExchange */
  gsize         yc_len;
  gboolean      unlist;    /* hide the FFDHE groups from the server */
} YcEdit;

static void
edit_yc (GByteArray *rec, gpointer data)
{
  const YcEdit *e = data;

  gsize off, len;

  if (e->unlist && is_handshake (rec, TLS_HS_CLIENT_HELLO)
      && hello_find_extension (rec, TLS_EXT_SUPPORTED_GROUPS, &off, &len))
    {
      /* ffdhe2048 (0x0100) and ffdhe3072 (0x0101) become 0x7a7a, a value
       * no one assigned: the list no longer names a FFDHE group. */
      for (gsize i = off + 2; i + 1 < off + len; i += 2)
        if (rec->data[i] == 0x01)
          rec->data[i] = rec->data[i + 1] = 0x7a;
    }
  if (is_handshake (rec, TLS_HS_CLIENT_KEY_EXCHANGE))
    {
      g_byte_array_set_size (rec, 9);
      g_byte_array_append (rec, (guint8[]) { e->yc_len >> 8, e->yc_len & 0xff }, 2);
      g_byte_array_append (rec, e->yc, e->yc_len);
      fix_hs_lengths (rec);
    }
}

static void
test_dhe_yc_range (void)
{
  const TlsDhGroup *g = tls_dh_group_by_id (TLS_GROUP_FFDHE2048);
  TlsDhParams params;
  g_autofree guint8 *pm1 = NULL, *p = NULL;
  const guint8 zero = 0, one = 1;

  g_test_summary ("A dh_Yc of 0, 1, p-1 or p gets illegal_parameter (RFC 7919, 5.1) when the "
                  "client did not list the group, handshake_failure when it did (RFC 7919, 4)");
  tls_dh_group_params (g, &params);
  p = g_memdup2 (params.p, params.p_len);
  pm1 = g_memdup2 (params.p, params.p_len);
  pm1[params.p_len - 1] -= 1;   /* p is odd */
  {
    const YcEdit cases[] = {
      { &zero, 1, TRUE }, { &one, 1, TRUE }, { pm1, params.p_len, TRUE }, { p, params.p_len, TRUE },
      { &one, 1, FALSE }, { pm1, params.p_len, FALSE },
    };
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        Pair pair;
        TlsStep *check;
        int want = cases[i].unlist ? TLS_ALERT_ILLEGAL_PARAMETER : TLS_ALERT_HANDSHAKE_FAILURE;

        pair_init (&pair, "server-rsa", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 1);
        pair.filter = edit_yc;
        pair.filter_data = (gpointer) &cases[i];
        pair_start (&pair);
        pair_run (&pair);
        assert_sent_fatal (pair.server, want);
        check = find_step (pair.strace, TLS_STEP_CHECK, "Peer's public value");
        g_assert_nonnull (check);
        g_assert_cmpint (check->result, ==, TLS_CHECK_FAILED);
        g_assert_cmpstr (check->rfc, ==, cases[i].unlist ? "RFC 7919, 5.1" : "RFC 7919, 4");
        /* the client heard the same alert */
        g_assert_cmpint (tls_endpoint_alert (pair.client), ==, want);
        pair_clear (&pair);
      }
  }
}

static gboolean
server_has_pms (Pair *p)
{
  return find_output (p->strace, "pre_master_secret", NULL) != NULL
         || tls_endpoint_status (p->server) == TLS_EP_FAILED;
}

/* RFC 5246, 8.1.2: "Leading bytes of Z that contain all zero bits are
 * stripped before it is used as the pre_master_secret."  Seeds are tried
 * until a handshake's Z starts with a zero byte (about one in 256). */
static void
test_dhe_leading_zero (void)
{
  guint64 seed;
  gsize plen = 256;   /* ffdhe2048 */
  Pair pair;
  TlsTraceValue *cpms, *spms, *master;
  TlsStep *sh;
  guint8 client_random[32], keylog_master[48], want[48], unstripped[256];
  const guint8 *pms;
  gsize pms_len;

  g_test_summary ("With a seed whose DHE shared secret Z starts with a zero byte, both sides "
                  "strip it (RFC 5246, 8.1.2) and the master secret is the PRF of the stripped "
                  "value, not of Z with its leading zero");
  for (seed = 1; seed < 5000; seed++)
    {
      pair_init (&pair, "server-rsa", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", seed);
      pair.ccfg.no_ems = TRUE;
      pair_start (&pair);
      pair_run_until (&pair, server_has_pms);
      spms = find_output (pair.strace, "pre_master_secret", NULL);
      g_assert_nonnull (spms);
      if (g_bytes_get_size (spms->bytes) < plen)
        break;
      pair_clear (&pair);
    }
  g_assert_cmpuint (seed, <, 5000);
  g_test_message ("seed %" G_GUINT64_FORMAT ": Z has a leading zero byte", seed);
  pair_run (&pair);
  g_assert_cmpint (tls_endpoint_status (pair.client), ==, TLS_EP_DONE);
  g_assert_cmpint (tls_endpoint_status (pair.server), ==, TLS_EP_DONE);
  spms = find_output (pair.strace, "pre_master_secret", NULL);
  cpms = find_output (pair.ctrace, "pre_master_secret", NULL);
  pms = g_bytes_get_data (spms->bytes, &pms_len);
  g_assert_cmpuint (pms[0], !=, 0);
  g_assert_cmpuint (pms_len, <, plen);
  g_assert_true (g_bytes_equal (spms->bytes, cpms->bytes));

  /* master_secret = PRF(pre_master_secret, "master secret", randoms) */
  g_assert_true (tls_endpoint_keylog (pair.client, client_random, keylog_master));
  sh = find_step (pair.strace, TLS_STEP_MESSAGE, "ServerHello");
  g_assert_nonnull (sh);
  {
    guint8 seed_bytes[64];
    const guint8 *shb = g_bytes_get_data (sh->bytes, NULL);

    memcpy (seed_bytes, client_random, 32);
    memcpy (seed_bytes + 32, shb + 4 + 2, 32);
    tls_prf (TLS_VERSION_1_2, TLS_PRF_SHA256, pms, pms_len, "master secret",
             seed_bytes, 64, want, 48);
    g_assert_cmpmem (keylog_master, 48, want, 48);
    master = find_output (pair.strace, "master_secret", NULL);
    g_assert_nonnull (master);
    g_assert_cmpmem (g_bytes_get_data (master->bytes, NULL), g_bytes_get_size (master->bytes),
                     want, 48);
    /* Z with its zero byte kept would have given another master secret. */
    memset (unstripped, 0, sizeof unstripped);
    memcpy (unstripped + plen - pms_len, pms, pms_len);
    tls_prf (TLS_VERSION_1_2, TLS_PRF_SHA256, unstripped, plen, "master secret",
             seed_bytes, 64, want, 48);
    g_assert_true (memcmp (keylog_master, want, 48) != 0);
  }
  pair_clear (&pair);
}


/* ------------------------------------------------------------------ */
/* X448 (RFC 7748; RFC 8422: NamedGroup x448(30))                      */

static void
test_x448_openssl_server (void)
{
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *root = pki ("ca/root.crt");

  g_test_summary ("Our client against openssl s_server -groups X448: ECDHE over X448 completes");
  if (!need_program ("openssl"))
    return;
  g_assert_true (start_openssl_server (&server, "-groups", "X448", "-tls1_2", NULL));
  run_client (&r, server.port, NULL, "@LAB@", "connect", "@ADDR@",
              "--suite", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "--servername", "localhost",
              "--ca", root, "--timeout", "10000", NULL);
  iop_server_stop (&server);
  if (r.status != 0)
    g_test_message ("stdout:\n%s\nstderr:\n%s", r.output, r.errors);
  g_assert_true (r.exited);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "public = X448(private, 5)"));
  g_assert_nonnull (strstr (r.output, "pre_master_secret = X448(our private, peer's public)"));
  iop_result_clear (&r);
}

static void
test_x448_openssl_client (void)
{
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *ours = NULL;

  g_test_summary ("openssl s_client -groups X448 against our server: ECDHE over X448 completes");
  if (!need_program ("openssl"))
    return;
  g_assert_true (start_our_server (&server, 1, NULL));
  run_client (&r, server.port, "", "openssl", "s_client", "-connect", "@ADDR@",
              "-groups", "X448", "-tls1_2", "-CAfile", root, "-verify_return_error",
              "-servername", "localhost", NULL);
  g_assert_cmpint (wait_server (&server, &ours), ==, 0);
  if (r.status != 0 || strstr (r.output, "Server Temp Key: X448") == NULL)
    g_test_message ("s_client:\n%s\n%s\nours:\n%s", r.output, r.errors, ours);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "Server Temp Key: X448"));
  g_assert_nonnull (strstr (ours, "public = X448(private, 5)"));
  iop_result_clear (&r);
}


/* ------------------------------------------------------------------ */
/* signature_algorithms (RFC 5246, 7.4.1.4.1)                          */

static void
test_sigalgs_none_fits (void)
{
  /* only rsa_pkcs1_md5; only values no one assigned */
  static const guint8 md5_only[] = { 0x00, 0x02, 0x01, 0x01 };
  static const guint8 unknown_only[] = { 0x00, 0x04, 0x0a, 0x0a, 0xee, 0xee };
  const guint8 *lists[] = { md5_only, unknown_only };
  const gsize lens[] = { sizeof md5_only, sizeof unknown_only };
  IopServer server = { 0 };
  gboolean have_openssl = iop_have_program ("openssl");

  g_test_summary ("A ClientHello for ECDHE_RSA whose signature_algorithms lists only MD5, or "
                  "only unknown values, gets handshake_failure from our server, after a "
                  "'Signature algorithm' decision saying why; openssl s_server answers the same "
                  "bytes with the same alert");
  if (have_openssl)
    g_assert_true (start_openssl_server (&server, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256",
                                         NULL));
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autoptr (GByteArray) ch = our_client_hello ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
      TlsTrace *t = NULL;
      TlsStep *d;

      hello_set_extension (ch, TLS_EXT_SIGNATURE_ALGORITHMS, lists[i], lens[i]);
      g_assert_cmpint (our_alert_for (ch->data, ch->len, &t), ==, TLS_ALERT_HANDSHAKE_FAILURE);
      d = find_step (t, TLS_STEP_DECISION, "Signature algorithm");
      g_assert_nonnull (d);
      g_assert_null (d->choice);
      g_assert_cmpstr (d->rfc, ==, "RFC 5246, 7.4.1.4.1");
      g_assert_nonnull (strstr (d->reason, "none of the algorithms"));
      g_assert_nonnull (strstr (tls_step_find_value (d, "not usable with this key")->text,
                                i == 0 ? "MD5" : "not an algorithm this program knows"));
      tls_trace_free (t);
      if (have_openssl)
        g_assert_cmpint (peer_alert_for (server.port, ch->data, ch->len), ==,
                         TLS_ALERT_HANDSHAKE_FAILURE);
    }
  iop_server_stop (&server);
}

typedef struct
{
  const char *openssl;   /* -sigalgs value */
  const char *ours;      /* our name of it */
} SigalgCase;

static const SigalgCase sigalg_cases[] = {
  { "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha256" },
  { "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha384" },
  { "rsa_pss_rsae_sha512", "rsa_pss_rsae_sha512" },
  { "RSA+SHA224", "rsa_pkcs1_sha224" },
};

/* openssl s_client forcing one algorithm (-sigalgs for the
 * ServerKeyExchange, -client_sigalgs for its CertificateVerify) against our
 * server, which asks for a client certificate. */
static void
test_sigalgs_openssl_client (gconstpointer data)
{
  const SigalgCase *c = data;
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *ccert = pki ("client-rsa.crt");
  g_autofree char *ckey = pki ("client-rsa.key");
  g_autofree char *inter = pki ("ca/intermediate.crt");
  g_autofree char *ours = NULL;
  g_autofree char *want_ske = g_strdup_printf ("choice: %s", c->ours);

  g_test_summary ("openssl s_client -sigalgs X -client_sigalgs X against our server asking for a "
                  "client certificate: our ServerKeyExchange is signed with X (a decision step "
                  "says so) and we verify its CertificateVerify made with X");
  if (!need_program ("openssl"))
    return;
  g_assert_true (start_our_server (&server, 1, "--verify-client", NULL));
  run_client (&r, server.port, "", "openssl", "s_client", "-connect", "@ADDR@", "-tls1_2",
              "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-sigalgs", c->openssl,
              "-client_sigalgs", c->openssl, "-cert", ccert, "-key", ckey, "-cert_chain", inter,
              "-CAfile", root, "-verify_return_error", "-servername", "localhost", NULL);
  g_assert_cmpint (wait_server (&server, &ours), ==, 0);
  if (r.status != 0 || strstr (ours, want_ske) == NULL)
    g_test_message ("s_client:\n%s\n%s\nours:\n%s", r.output, r.errors, ours);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (ours, want_ske));
  {
    g_autofree char *cv = g_strdup_printf ("the %s signature in CertificateVerify", c->ours);
    g_assert_nonnull (strstr (ours, cv));
  }
  iop_result_clear (&r);
}

/* Our client against openssl s_server forcing one algorithm for its
 * ServerKeyExchange (-sigalgs) and asking for a client certificate with
 * only that algorithm (-client_sigalgs). */
static void
test_sigalgs_openssl_server (gconstpointer data)
{
  const SigalgCase *c = data;
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *ccert = pki ("client-rsa-chain.pem");
  g_autofree char *ckey = pki ("client-rsa.key");
  g_autofree char *want_cv = g_strdup_printf ("choice: %s", c->ours);

  g_test_summary ("Our client against openssl s_server -sigalgs X -client_sigalgs X -Verify 1: "
                  "we verify its ServerKeyExchange made with X and sign our CertificateVerify "
                  "with X (a decision step says so)");
  if (!need_program ("openssl"))
    return;
  g_assert_true (start_openssl_server (&server, "-tls1_2", "-sigalgs", c->openssl,
                                       "-client_sigalgs", c->openssl, "-Verify", "1",
                                       "-CAfile", root, "-verify_return_error", NULL));
  run_client (&r, server.port, NULL, "@LAB@", "connect", "@ADDR@",
              "--suite", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "--servername", "localhost",
              "--ca", root, "--cert", ccert, "--key", ckey, "--timeout", "10000", NULL);
  iop_server_stop (&server);
  if (r.status != 0 || strstr (r.output, want_cv) == NULL)
    g_test_message ("stdout:\n%s\nstderr:\n%s", r.output, r.errors);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, want_cv));
  iop_result_clear (&r);
}


/* ------------------------------------------------------------------ */
/* Out of place: CertificateVerify's algorithm, Finished before CCS    */

/* Gives our client the demo client certificate and key. */
static void
pair_client_identity (Pair *p)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *chain = pki ("client-rsa-chain.pem");
  g_autofree char *key = pki ("client-rsa.key");

  p->ccfg.chain = tls_certificate_list_from_file (chain, &error);
  g_assert_no_error (error);
  p->ccfg.key = tls_private_key_load_file (key, &error);
  g_assert_no_error (error);
}

/* Rewrites the signature algorithm of the client's CertificateVerify (a
 * record of its own: header, then the 4-byte handshake header) to the
 * value DATA points to; nothing else changes. */
static void
edit_cv_sigalg (GByteArray *rec, gpointer data)
{
  guint16 alg = *(const guint16 *) data;

  if (rec->len >= 11 && rec->data[0] == TLS_CONTENT_HANDSHAKE
      && rec->data[5] == TLS_HS_CERTIFICATE_VERIFY)
    {
      rec->data[9] = alg >> 8;
      rec->data[10] = alg & 0xff;
    }
}

/* Holds the client's ChangeCipherSpec back and sends it after the next
 * record (the Finished): DATA is a GByteArray for the held record. */
static void
hold_ccs (GByteArray *rec, gpointer data)
{
  GByteArray *held = data;

  if (rec->len > 0 && rec->data[0] == TLS_CONTENT_CHANGE_CIPHER_SPEC && held->len == 0)
    {
      g_byte_array_append (held, rec->data, rec->len);
      g_byte_array_set_size (rec, 0);
    }
  else if (held->len > 0)
    {
      g_byte_array_append (rec, held->data, held->len);
      g_byte_array_set_size (held, 0);
    }
}

/* Our client (P's, once started) against a server on 127.0.0.1:PORT, each
 * record it sends through P's filter; returns the fatal alert the server
 * sent, or -1. */
static int
live_alert_from_server (Pair *p, guint16 port)
{
  g_autoptr (GSocketClient) sc = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GError) error = NULL;
  guint8 buf[16384];

  g_socket_client_set_timeout (sc, 5);
  conn = g_socket_client_connect_to_host (sc, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  for (guint round = 0; round < 100; round++)
    {
      g_autoptr (GBytes) out = NULL;
      gssize n;

      while (stepping (tls_endpoint_step (p->client)))
        ;
      out = tls_endpoint_take_output (p->client);
      if (out != NULL)
        {
          gsize len, off = 0;
          const guint8 *d = g_bytes_get_data (out, &len);

          while (off + 5 <= len)
            {
              gsize rl = 5 + ((d[off + 3] << 8) | d[off + 4]);
              g_autoptr (GByteArray) rec = g_byte_array_new ();

              g_byte_array_append (rec, d + off, MIN (rl, len - off));
              if (p->filter != NULL)
                p->filter (rec, p->filter_data);
              if (rec->len > 0
                  && !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                                                 rec->data, rec->len, NULL, NULL, NULL))
                return -1;
              off += rl;
            }
        }
      if (tls_endpoint_status (p->client) == TLS_EP_FAILED)
        break;
      n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, sizeof buf,
                               NULL, NULL);
      if (n <= 0)
        break;
      tls_endpoint_feed (p->client, buf, n);
    }
  while (stepping (tls_endpoint_step (p->client)))
    ;
  return tls_endpoint_status (p->client) == TLS_EP_FAILED && !tls_endpoint_alert_sent (p->client)
         ? tls_endpoint_alert (p->client) : -1;
}

static void
test_cv_sigalg_not_requested (void)
{
  Pair p;
  TlsStep *check;
  const guint16 sha512 = TLS_SIG_RSA_PKCS1_SHA512, sha384 = TLS_SIG_RSA_PKCS1_SHA384;

  g_test_summary ("A client CertificateVerify signed with an algorithm the server's "
                  "CertificateRequest did not list (RFC 5246, 7.4.8) gets handshake_failure from "
                  "our server, the check step naming the algorithm; openssl s_server "
                  "-client_sigalgs RSA+SHA256 answers the same to rsa_pkcs1_sha384");
  /* Ours: rsa_pkcs1_sha512 is valid for the client's RSA key, but our
   * CertificateRequest does not list it. */
  pair_init (&p, "server-rsa", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 11);
  pair_client_identity (&p);
  p.scfg.client_auth = TLS_CLIENT_AUTH_REQUEST;
  p.filter = edit_cv_sigalg;
  p.filter_data = (gpointer) &sha512;
  pair_start (&p);
  pair_run (&p);
  assert_sent_fatal (p.server, TLS_ALERT_HANDSHAKE_FAILURE);
  check = find_step (p.strace, TLS_STEP_CHECK, "CertificateVerify signature");
  g_assert_nonnull (check);
  g_assert_cmpint (check->result, ==, TLS_CHECK_FAILED);
  g_assert_nonnull (strstr (check->reason, "0x0601"));
  g_assert_nonnull (strstr (check->reason, "not one of the supported_signature_algorithms"));
  pair_clear (&p);

  /* Without the edit the same run verifies (the edit is the only fault). */
  pair_init (&p, "server-rsa", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 11);
  pair_client_identity (&p);
  p.scfg.client_auth = TLS_CLIENT_AUTH_REQUEST;
  pair_start (&p);
  pair_run (&p);
  g_assert_cmpint (tls_endpoint_status (p.server), ==, TLS_EP_DONE);
  pair_clear (&p);

  if (!need_program ("openssl"))
    return;
  {
    IopServer server = { 0 };
    g_autofree char *root = pki ("ca/root.crt");
    int theirs;

    g_assert_true (start_openssl_server (&server, "-tls1_2", "-client_sigalgs", "RSA+SHA256",
                                         "-Verify", "1", "-CAfile", root, NULL));
    pair_init (&p, "server-rsa", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 11);
    pair_client_identity (&p);
    p.ccfg.insecure = TRUE;
    p.filter = edit_cv_sigalg;
    p.filter_data = (gpointer) &sha384;
    pair_start (&p);
    theirs = live_alert_from_server (&p, server.port);
    if (theirs != TLS_ALERT_HANDSHAKE_FAILURE)
      {
        g_autofree char *log = iop_server_output (&server);
        g_test_message ("s_server:\n%s\nour client: %s", log, tls_endpoint_reason (p.client));
      }
    iop_server_stop (&server);
    g_test_message ("openssl s_server: %s", theirs >= 0 ? tls_alert_name (theirs) : "none");
    g_assert_cmpint (theirs, ==, TLS_ALERT_HANDSHAKE_FAILURE);
    pair_clear (&p);
  }
}

static void
test_finished_before_ccs (void)
{
  Pair p;
  g_autoptr (GByteArray) held = g_byte_array_new ();

  g_test_summary ("The client's Finished before its ChangeCipherSpec: our server refuses the "
                  "record's 4-byte handshake header for its place with unexpected_message "
                  "(RFC 5246, 7.4), as openssl s_server does");
  pair_init (&p, "server-rsa", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 12);
  p.filter = hold_ccs;
  p.filter_data = held;
  pair_start (&p);
  pair_run (&p);
  assert_sent_fatal (p.server, TLS_ALERT_UNEXPECTED_MESSAGE);
  g_assert_nonnull (strstr (tls_endpoint_reason (p.server), "expected ChangeCipherSpec"));
  pair_clear (&p);

  if (!need_program ("openssl"))
    return;
  {
    IopServer server = { 0 };
    int theirs;

    g_byte_array_set_size (held, 0);
    g_assert_true (start_openssl_server (&server, "-tls1_2", NULL));
    pair_init (&p, "server-rsa", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 12);
    p.ccfg.insecure = TRUE;
    p.filter = hold_ccs;
    p.filter_data = held;
    pair_start (&p);
    theirs = live_alert_from_server (&p, server.port);
    iop_server_stop (&server);
    g_test_message ("openssl s_server: %s", theirs >= 0 ? tls_alert_name (theirs) : "none");
    g_assert_cmpint (theirs, ==, TLS_ALERT_UNEXPECTED_MESSAGE);
    pair_clear (&p);
  }
}


/* ------------------------------------------------------------------ */
/* Renegotiation refused (RFC 5246, 7.2.2 and 7.4.1.1)                 */

/* After a completed handshake, our client sends a ClientHello (SERVER_SIDE)
 * or our server a HelloRequest, protected under the connection's keys. */
static void
test_renegotiation_refused (gconstpointer data)
{
  gboolean server_side = GPOINTER_TO_INT (data);
  Pair p;
  TlsEndpoint *asker, *answerer;
  TlsTrace *at;
  TlsStep *alert = NULL, *step;
  g_autoptr (GBytes) msg = NULL;
  g_autoptr (GBytes) got = NULL;

  g_test_summary (server_side
                  ? "A ClientHello after the handshake gets a warning no_renegotiation from our "
                    "server (RFC 5246, 7.2.2) and application data still flows"
                  : "A HelloRequest after the handshake gets a warning no_renegotiation from our "
                    "client and application data still flows");
  pair_init (&p, "server-rsa", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 3);
  pair_start (&p);
  pair_run (&p);
  g_assert_cmpint (tls_endpoint_status (p.client), ==, TLS_EP_DONE);
  g_assert_cmpint (tls_endpoint_status (p.server), ==, TLS_EP_DONE);
  asker = server_side ? p.client : p.server;
  answerer = server_side ? p.server : p.client;
  at = server_side ? p.strace : p.ctrace;
  if (server_side)
    {
      g_autoptr (GByteArray) ch = our_client_hello ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
      msg = g_bytes_new (ch->data + 5, ch->len - 5);
    }
  else
    msg = g_bytes_new ((const guint8[]) { TLS_HS_HELLO_REQUEST, 0, 0, 0 }, 4);
  step = tls_ep_send_handshake (asker, msg, tls_field_new (server_side ? "ClientHello" : "HelloRequest",
                                                           0, g_bytes_get_size (msg)));
  tls_ep_commit (asker, step);
  pair_run (&p);
  for (guint i = 0; i < tls_trace_len (at); i++)
    if (tls_trace_get (at, i)->kind == TLS_STEP_ALERT)
      alert = tls_trace_get (at, i);
  g_assert_nonnull (alert);
  g_assert_cmpint (alert->alert_description, ==, TLS_ALERT_NO_RENEGOTIATION);
  g_assert_cmpint (alert->alert_level, ==, TLS_ALERT_LEVEL_WARNING);
  g_assert_cmpstr (alert->rfc, ==, "RFC 5246, 7.2.2");
  g_assert_cmpint (tls_endpoint_status (answerer), !=, TLS_EP_FAILED);
  g_assert_cmpint (tls_endpoint_status (asker), !=, TLS_EP_FAILED);
  /* the connection carries on */
  tls_endpoint_send (asker, (const guint8 *) "still here", 10);
  pair_run (&p);
  got = tls_endpoint_take_received (answerer);
  g_assert_nonnull (got);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), "still here", 10);
  pair_clear (&p);
}

/* openssl s_client typing R: its renegotiating ClientHello reaches our
 * server, which answers with the warning and does not end the connection
 * with a fatal alert of its own. */
static void
test_renegotiation_openssl (void)
{
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *ours = NULL;

  g_test_summary ("openssl s_client typing R (renegotiate) gets a warning no_renegotiation from "
                  "our server, never a fatal unexpected_message");
  if (!need_program ("openssl"))
    return;
  /* --www: the server waits for a request instead of closing at once */
  g_assert_true (start_our_server (&server, 1, "--www", NULL));
  run_client (&r, server.port, "R\n", "openssl", "s_client", "-connect", "@ADDR@", "-tls1_2",
              "-CAfile", root, "-servername", "localhost", NULL);
  wait_server (&server, &ours);
  if (strstr (ours, "Alert: no_renegotiation") == NULL)
    g_test_message ("s_client:\n%s\n%s\nours:\n%s", r.output, r.errors, ours);
  g_assert_nonnull (strstr (r.errors, "RENEGOTIATING"));
  g_assert_nonnull (strstr (ours, "server → client  Alert: no_renegotiation"));
  g_assert_null (strstr (ours, "Alert: unexpected_message"));
  /* OpenSSL, having asked, ends the connection itself (RFC 5246, 7.2.2
   * leaves that choice to the requester): handshake_failure. */
  g_assert_nonnull (strstr (ours, "client → server  Alert: handshake_failure"));
  iop_result_clear (&r);
}


/* ------------------------------------------------------------------ */
/* ALPN (RFC 7301)                                                     */

static void
test_alpn_memory (void)
{
  Pair p;
  TlsStep *d;

  g_test_summary ("ALPN in memory: the client offers h2,http/1.1, the server accepting http/1.1 "
                  "selects it in a decision citing RFC 7301, 3.2; offering only h2 ends with "
                  "no_application_protocol");
  pair_init (&p, "server-rsa", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 5);
  g_assert_true (tls_config_parse_alpn ("h2,http/1.1", &p.ccfg.alpn, NULL));
  g_assert_true (tls_config_parse_alpn ("http/1.1", &p.scfg.alpn, NULL));
  pair_start (&p);
  pair_run (&p);
  g_assert_cmpint (tls_endpoint_status (p.client), ==, TLS_EP_DONE);
  d = find_step (p.strace, TLS_STEP_DECISION, "Application protocol (ALPN)");
  g_assert_nonnull (d);
  g_assert_cmpstr (d->choice, ==, "http/1.1");
  g_assert_cmpstr (d->rfc, ==, "RFC 7301, 3.2");
  g_assert_cmpint (d->chosen_option, ==, 1);
  tls_endpoint_record_result (p.client);
  g_assert_cmpstr (tls_trace_get_meta (p.ctrace, "conn0.alpn"), ==, "http/1.1");
  pair_clear (&p);

  pair_init (&p, "server-rsa", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 5);
  g_assert_true (tls_config_parse_alpn ("h2", &p.ccfg.alpn, NULL));
  g_assert_true (tls_config_parse_alpn ("http/1.1", &p.scfg.alpn, NULL));
  pair_start (&p);
  pair_run (&p);
  assert_sent_fatal (p.server, TLS_ALERT_NO_APPLICATION_PROTOCOL);
  d = find_step (p.strace, TLS_STEP_DECISION, "Application protocol (ALPN)");
  g_assert_nonnull (d);
  g_assert_null (d->choice);
  g_assert_nonnull (strstr (d->explanation, "no_application_protocol"));
  pair_clear (&p);
}

static void
test_alpn_openssl_client (void)
{
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *ours = NULL;

  g_test_summary ("openssl s_client -alpn against serve --www: http/1.1 is selected; a client "
                  "offering only h2 gets no_application_protocol");
  if (!need_program ("openssl"))
    return;
  g_assert_true (start_our_server (&server, 1, "--www", NULL));
  run_client (&r, server.port, "GET / HTTP/1.0\r\n\r\n", "openssl", "s_client", "-connect",
              "@ADDR@", "-tls1_2", "-alpn", "h2,http/1.1", "-CAfile", root, "-servername",
              "localhost", "-ign_eof", NULL);
  g_assert_cmpint (wait_server (&server, &ours), ==, 0);
  if (strstr (r.output, "ALPN protocol: http/1.1") == NULL)
    g_test_message ("s_client:\n%s\n%s\nours:\n%s", r.output, r.errors, ours);
  g_assert_nonnull (strstr (r.output, "ALPN protocol: http/1.1"));
  g_assert_nonnull (strstr (ours, "choice: http/1.1"));
  iop_result_clear (&r);
  g_free (ours);

  g_assert_true (start_our_server (&server, 1, "--www", NULL));
  run_client (&r, server.port, "", "openssl", "s_client", "-connect", "@ADDR@", "-tls1_2",
              "-alpn", "h2", "-CAfile", root, "-servername", "localhost", NULL);
  wait_server (&server, &ours);
  if (strstr (r.errors, "no application protocol") == NULL)
    g_test_message ("s_client:\n%s\n%s\nours:\n%s", r.output, r.errors, ours);
  g_assert_cmpint (r.status, !=, 0);
  g_assert_nonnull (strstr (r.errors, "no application protocol"));
  g_assert_nonnull (strstr (ours, "Alert: no_application_protocol"));
  iop_result_clear (&r);
}

static void
test_alpn_openssl_server (void)
{
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *root = pki ("ca/root.crt");

  g_test_summary ("connect --alpn h2,http/1.1 against openssl s_server -alpn http/1.1: the "
                  "ServerHello names http/1.1, which our client accepts");
  if (!need_program ("openssl"))
    return;
  g_assert_true (start_openssl_server (&server, "-tls1_2", "-alpn", "http/1.1", NULL));
  run_client (&r, server.port, NULL, "@LAB@", "connect", "@ADDR@", "--alpn", "h2,http/1.1",
              "--servername", "localhost", "--ca", root, "--timeout", "10000", NULL);
  iop_server_stop (&server);
  if (r.status != 0)
    g_test_message ("stdout:\n%s\nstderr:\n%s", r.output, r.errors);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "application_layer_protocol_negotiation"));
  g_assert_nonnull (strstr (r.output, "http/1.1"));
  iop_result_clear (&r);
}


/* ------------------------------------------------------------------ */
/* Malformed and illegal bytes: our alert and OpenSSL's                */

/* Builds the bytes of one case into OUT. */
typedef void (*BadBuild) (GByteArray *out);

static GByteArray *
hello (void)
{
  return our_client_hello ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
}

static void
bad_ccs_length (GByteArray *out)
{
  const guint8 rec[] = { 20, 3, 3, 0, 2, 1, 1 };
  g_byte_array_append (out, rec, sizeof rec);
}

static void
bad_ccs_value (GByteArray *out)
{
  const guint8 rec[] = { 20, 3, 3, 0, 1, 2 };
  g_byte_array_append (out, rec, sizeof rec);
}

static void
bad_extension_length (GByteArray *out)
{
  g_autoptr (GByteArray) ch = hello ();
  gsize off, len;

  g_assert_true (hello_find_extension (ch, TLS_EXT_SUPPORTED_GROUPS, &off, &len));
  ch->data[off + 1] += 2;   /* the inner list claims 2 bytes more than the extension holds */
  g_byte_array_append (out, ch->data, ch->len);
}

static void
duplicate_extension (GByteArray *out)
{
  g_autoptr (GByteArray) ch = hello ();
  gsize off, len;

  g_assert_true (hello_find_extension (ch, TLS_EXT_SUPPORTED_GROUPS, &off, &len));
  {
    g_autofree guint8 *copy = g_memdup2 (ch->data + off, len);
    /* hello_set_extension appends when absent: make the type look absent */
    hello_set_extension (ch, 0x7a7a, copy, len);
    ch->data[ch->len - len - 4] = TLS_EXT_SUPPORTED_GROUPS >> 8;
    ch->data[ch->len - len - 3] = TLS_EXT_SUPPORTED_GROUPS & 0xff;
  }
  g_byte_array_append (out, ch->data, ch->len);
}

static void
unknown_handshake_type (GByteArray *out)
{
  const guint8 rec[] = { 22, 3, 3, 0, 4, 99, 0, 0, 0 };
  g_byte_array_append (out, rec, sizeof rec);
}

static void
record_over_2_14 (GByteArray *out)
{
  g_autoptr (GByteArray) ch = hello ();
  gsize body = 16385;
  guint8 h[5] = { 22, 3, 1, body >> 8, body & 0xff };

  /* the ClientHello, padded with a padding extension to 2^14 + 1 bytes of record */
  {
    gsize pad = body - (ch->len - 5) - 4;
    g_autofree guint8 *zeros = g_malloc0 (pad);
    hello_set_extension (ch, 21, zeros, pad);
  }
  g_assert_cmpuint (ch->len - 5, ==, body);
  memcpy (ch->data, h, 5);
  g_byte_array_append (out, ch->data, ch->len);
}

static void
unknown_content_type (GByteArray *out)
{
  const guint8 rec[] = { 99, 3, 3, 0, 1, 0 };
  g_byte_array_append (out, rec, sizeof rec);
}

static void
trailing_bytes (GByteArray *out)
{
  g_autoptr (GByteArray) ch = hello ();
  const guint8 extra = 0;

  g_byte_array_append (ch, &extra, 1);
  fix_hs_lengths (ch);
  g_byte_array_append (out, ch->data, ch->len);
}

static void
empty_cipher_suites (GByteArray *out)
{
  g_autoptr (GByteArray) ch = hello ();
  gsize i = 9 + 2 + 32;
  gsize n;

  i += 1 + ch->data[i];
  n = (ch->data[i] << 8) | ch->data[i + 1];
  memmove (ch->data + i + 2, ch->data + i + 2 + n, ch->len - i - 2 - n);
  g_byte_array_set_size (ch, ch->len - n);
  ch->data[i] = ch->data[i + 1] = 0;
  fix_hs_lengths (ch);
  g_byte_array_append (out, ch->data, ch->len);
}

static void
no_null_compression (GByteArray *out)
{
  g_autoptr (GByteArray) ch = hello ();
  gsize i = 9 + 2 + 32;

  i += 1 + ch->data[i];
  i += 2 + ((ch->data[i] << 8) | ch->data[i + 1]);
  g_assert_cmpuint (ch->data[i], ==, 1);
  ch->data[i + 1] = 1;   /* DEFLATE instead of null */
  g_byte_array_append (out, ch->data, ch->len);
}

static void
handshake_over_limit (GByteArray *out)
{
  /* a handshake header announcing 2^24 - 1 bytes */
  const guint8 rec[] = { 22, 3, 3, 0, 4, 1, 0xff, 0xff, 0xff };
  g_byte_array_append (out, rec, sizeof rec);
}

static void
client_hello_over_syntax (GByteArray *out)
{
  /* a ClientHello header announcing 131397 bytes, one more than its
   * structure can hold (RFC 8446, 4.1.2) */
  const guint8 rec[] = { 22, 3, 3, 0, 4, 1, 0x02, 0x01, 0x45 };
  g_byte_array_append (out, rec, sizeof rec);
}

typedef struct
{
  const char *name;
  BadBuild    build;
  int         alert;     /* what we send */
  int         openssl;   /* what openssl s_server 3.0 sends (seen in this test) */
  int         gnutls;    /* what gnutls-serv 3.7 sends (seen in this test); -1: none */
} BadCase;

/* Where OpenSSL or GnuTLS differs, docs/alerts.md says why we keep ours. */
static const BadCase bad_cases[] = {
  { "ccs-wrong-length", bad_ccs_length, TLS_ALERT_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE },
  { "ccs-wrong-value", bad_ccs_value, TLS_ALERT_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE },
  { "extension-bad-length", bad_extension_length, TLS_ALERT_DECODE_ERROR, TLS_ALERT_DECODE_ERROR, TLS_ALERT_DECODE_ERROR },
  { "duplicate-extension", duplicate_extension, TLS_ALERT_ILLEGAL_PARAMETER, TLS_ALERT_ILLEGAL_PARAMETER, TLS_ALERT_UNSUPPORTED_EXTENSION },
  { "unknown-handshake-type", unknown_handshake_type, TLS_ALERT_UNEXPECTED_MESSAGE,
    TLS_ALERT_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE },
  { "record-over-2^14", record_over_2_14, TLS_ALERT_RECORD_OVERFLOW, TLS_ALERT_RECORD_OVERFLOW, TLS_ALERT_RECORD_OVERFLOW },
  { "unknown-content-type", unknown_content_type, TLS_ALERT_UNEXPECTED_MESSAGE,
    TLS_ALERT_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE },
  { "trailing-bytes", trailing_bytes, TLS_ALERT_DECODE_ERROR, TLS_ALERT_DECODE_ERROR, TLS_ALERT_DECODE_ERROR },
  { "empty-cipher-suites", empty_cipher_suites, TLS_ALERT_DECODE_ERROR, TLS_ALERT_ILLEGAL_PARAMETER, TLS_ALERT_DECODE_ERROR },
  { "no-null-compression", no_null_compression, TLS_ALERT_ILLEGAL_PARAMETER, TLS_ALERT_DECODE_ERROR, TLS_ALERT_ILLEGAL_PARAMETER },
  { "handshake-over-limit", handshake_over_limit, TLS_ALERT_DECODE_ERROR, TLS_ALERT_ILLEGAL_PARAMETER, -1 },
  { "client-hello-over-syntax", client_hello_over_syntax, TLS_ALERT_DECODE_ERROR,
    TLS_ALERT_ILLEGAL_PARAMETER, -1 },
};

static void
test_bad_bytes (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  TlsTrace *t = NULL;
  int ours, theirs = -2;
  IopServer server = { 0 };

  g_test_summary ("Hand-built bytes get the fatal alert listed in docs/alerts.md from our "
                  "server, with a reason in the trace; the answers of openssl s_server and "
                  "gnutls-serv to the same bytes are checked against the table too");
  c->build (bytes);
  ours = our_alert_for (bytes->data, bytes->len, &t);
  if (iop_have_program ("openssl"))
    {
      g_assert_true (start_openssl_server (&server, "-tls1_2", NULL));
      theirs = peer_alert_for (server.port, bytes->data, bytes->len);
      iop_server_stop (&server);
    }
  g_test_message ("%s: ours %s, openssl %s", c->name, ours >= 0 ? tls_alert_name (ours) : "none",
                  theirs >= 0 ? tls_alert_name (theirs) : theirs == -2 ? "not run" : "none");
  {
    TlsStep *last = tls_trace_last (t);
    g_assert_nonnull (last);
    g_assert_cmpint (last->kind, ==, TLS_STEP_ALERT);
    g_assert_nonnull (last->reason);
  }
  tls_trace_free (t);
  g_assert_cmpstr (tls_alert_name (ours), ==, tls_alert_name (c->alert));
  if (theirs != -2)
    g_assert_cmpstr (tls_alert_name (theirs), ==, tls_alert_name (c->openssl));
  if (iop_have_program ("gnutls-serv"))
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *chain = pki ("server-rsa-chain.pem");
      g_autofree char *key = pki ("server-rsa.key");
      const char *argv[] = { "gnutls-serv", "--port", "@PORT@", "--x509certfile", chain,
                             "--x509keyfile", key, "--priority", "NORMAL:-VERS-TLS1.3",
                             "--disable-client-cert", NULL };
      int g;

      g_assert_true (iop_server_start (&server, argv, TIMEOUT_MS, &error));
      g = peer_alert_for (server.port, bytes->data, bytes->len);
      iop_server_stop (&server);
      g_test_message ("%s: gnutls %s", c->name, g >= 0 ? tls_alert_name (g) : "none");
      g_assert_cmpint (g, ==, c->gnutls);
    }
}

/* ------------------------------------------------------------------ */
/* The same with GnuTLS (TLS 1.2): ALPN, signature algorithms, X448    */

#define GNUTLS_TLS12 "NORMAL:-VERS-ALL:+VERS-TLS1.2"

/* gnutls-serv with the RSA demo chain, PRIORITY, and the options that
 * follow (NULL-terminated). */
static gboolean
start_gnutls_server (IopServer *server, const char *priority, ...)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  va_list ap;
  gboolean ok;

  g_ptr_array_add (argv, g_strdup ("gnutls-serv"));
  g_ptr_array_add (argv, g_strdup ("--port=@PORT@"));
  g_ptr_array_add (argv, g_strdup_printf ("--x509certfile=%s/pki/server-rsa-chain.pem", datadir ()));
  g_ptr_array_add (argv, g_strdup_printf ("--x509keyfile=%s/pki/server-rsa.key", datadir ()));
  g_ptr_array_add (argv, g_strdup_printf ("--priority=%s", priority));
  va_start (ap, priority);
  argv_add_va (argv, ap);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  ok = iop_server_start (server, (const char *const *) argv->pdata, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  return ok;
}

/* What gnutls-serv printed, once it printed NEEDLE (at most 2 s: it
 * stays up after the connection), then stopped. */
static char *
gnutls_server_output (IopServer *server, const char *needle)
{
  char *out = NULL;

  for (guint i = 0; i < 100; i++)
    {
      g_free (out);
      out = iop_server_output (server);
      if (strstr (out, needle) != NULL)
        break;
      g_usleep (20 * 1000);
    }
  iop_server_stop (server);
  return out;
}

static void
test_alpn_gnutls_client (void)
{
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *ca = g_strdup_printf ("--x509cafile=%s/pki/ca/root.crt", datadir ());
  g_autofree char *ours = NULL;

  g_test_summary ("gnutls-cli --alpn h2 --alpn http/1.1 against serve --www: http/1.1 is "
                  "selected; a client offering only h2 gets no_application_protocol");
  if (!need_program ("gnutls-cli"))
    return;
  g_assert_true (start_our_server (&server, 1, "--www", NULL));
  run_client (&r, server.port, "GET / HTTP/1.0\r\n\r\n", "gnutls-cli", "-p", "@PORT@", "127.0.0.1",
              ca, "--priority=" GNUTLS_TLS12, "--alpn=h2", "--alpn=http/1.1",
              "--sni-hostname=localhost", "--verify-hostname=localhost", NULL);
  g_assert_cmpint (wait_server (&server, &ours), ==, 0);
  if (strstr (r.output, "- Application protocol: http/1.1") == NULL)
    g_test_message ("gnutls-cli:\n%s\n%s\nours:\n%s", r.output, r.errors, ours);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "- Application protocol: http/1.1"));
  g_assert_nonnull (strstr (r.output, "HTTP/1.0 200 ok"));
  g_assert_nonnull (strstr (ours, "choice: http/1.1"));
  iop_result_clear (&r);
  g_free (ours);

  g_assert_true (start_our_server (&server, 1, "--www", NULL));
  run_client (&r, server.port, "", "gnutls-cli", "-p", "@PORT@", "127.0.0.1", ca,
              "--priority=" GNUTLS_TLS12, "--alpn=h2", "--sni-hostname=localhost",
              "--verify-hostname=localhost", NULL);
  wait_server (&server, &ours);
  if (strstr (r.output, "Received alert [120]") == NULL)
    g_test_message ("gnutls-cli:\n%s\n%s\nours:\n%s", r.output, r.errors, ours);
  g_assert_cmpint (r.status, !=, 0);
  g_assert_nonnull (strstr (r.output, "Received alert [120]"));
  g_assert_nonnull (strstr (ours, "Alert: no_application_protocol"));
  iop_result_clear (&r);
}

static void
test_alpn_gnutls_server (void)
{
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *peer = NULL;

  g_test_summary ("connect --alpn h2,http/1.1 against gnutls-serv --alpn http/1.1: the "
                  "ServerHello names http/1.1, which our client accepts; against "
                  "gnutls-serv --alpn h3 --alpn-fatal our client gets no_application_protocol");
  if (!need_program ("gnutls-serv"))
    return;
  g_assert_true (start_gnutls_server (&server, GNUTLS_TLS12, "--alpn=http/1.1", "--echo", NULL));
  run_client (&r, server.port, NULL, "@LAB@", "connect", "@ADDR@", "--alpn", "h2,http/1.1",
              "--servername", "localhost", "--ca", root, "--timeout", "10000",
              "--send", "hello\\n", NULL);
  peer = gnutls_server_output (&server, "received cmd: ");
  if (r.status != 0 || strstr (peer, "- Application protocol: http/1.1") == NULL)
    g_test_message ("stdout:\n%s\nstderr:\n%s\ngnutls-serv:\n%s", r.output, r.errors, peer);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (peer, "- Application protocol: http/1.1"));
  g_assert_nonnull (strstr (strstr (r.output, "server → client  ServerHello"),
                            "protocol_name: http/1.1"));
  iop_result_clear (&r);

  g_assert_true (start_gnutls_server (&server, GNUTLS_TLS12, "--alpn=h3", "--alpn-fatal", NULL));
  run_client (&r, server.port, NULL, "@LAB@", "connect", "@ADDR@", "--alpn", "h2,http/1.1",
              "--servername", "localhost", "--ca", root, "--timeout", "10000", NULL);
  iop_server_stop (&server);
  if (strstr (r.output, "server → client  Alert: no_application_protocol") == NULL)
    g_test_message ("stdout:\n%s\nstderr:\n%s", r.output, r.errors);
  g_assert_cmpint (r.status, !=, 0);
  g_assert_nonnull (strstr (r.output, "server → client  Alert: no_application_protocol"));
  iop_result_clear (&r);
}

/* Signature algorithms as GnuTLS priority strings name them (SigalgCase's
 * first field).  GnuTLS 3.7.9 refuses "+SIGN-RSA-SHA224" in a priority
 * string ("No or insufficient priorities were set"), so SHA-224 is tested
 * with openssl only; rsa_pkcs1_sha384 stands in. */
static const SigalgCase gnutls_sigalg_cases[] = {
  { "SIGN-RSA-PSS-RSAE-SHA256", "rsa_pss_rsae_sha256" },
  { "SIGN-RSA-PSS-RSAE-SHA384", "rsa_pss_rsae_sha384" },
  { "SIGN-RSA-PSS-RSAE-SHA512", "rsa_pss_rsae_sha512" },
  { "SIGN-RSA-SHA384", "rsa_pkcs1_sha384" },
};

static const char *
gnutls_sign (const SigalgCase *c)
{
  return c->openssl;
}

/* gnutls-cli allowing one signature algorithm, with a client certificate,
 * against our server asking for one. */
static void
test_sigalgs_gnutls_client (gconstpointer data)
{
  const SigalgCase *c = data;
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *ca = g_strdup_printf ("--x509cafile=%s/pki/ca/root.crt", datadir ());
  g_autofree char *cc = g_strdup_printf ("--x509certfile=%s/pki/client-rsa-chain.pem", datadir ());
  g_autofree char *ck = g_strdup_printf ("--x509keyfile=%s/pki/client-rsa.key", datadir ());
  g_autofree char *prio = g_strdup_printf ("--priority=" GNUTLS_TLS12 ":-SIGN-ALL:+%s",
                                           gnutls_sign (c));
  g_autofree char *desc = g_strdup_printf (")-(%s)-", gnutls_sign (c) + strlen ("SIGN-"));
  g_autofree char *want_ske = g_strdup_printf ("choice: %s", c->ours);
  g_autofree char *cv = g_strdup_printf ("the %s signature in CertificateVerify", c->ours);
  g_autofree char *ours = NULL;

  g_test_summary ("gnutls-cli allowing only the signature algorithm X, with a client "
                  "certificate, against our server asking for one: our ServerKeyExchange is "
                  "signed with X and we verify its CertificateVerify made with X");
  if (!need_program ("gnutls-cli"))
    return;
  g_assert_true (start_our_server (&server, 1, "--verify-client", NULL));
  run_client (&r, server.port, "", "gnutls-cli", "-p", "@PORT@", "127.0.0.1", ca, cc, ck, prio,
              "--sni-hostname=localhost", "--verify-hostname=localhost", NULL);
  g_assert_cmpint (wait_server (&server, &ours), ==, 0);
  if (r.status != 0 || strstr (ours, want_ske) == NULL || strstr (r.output, desc) == NULL)
    g_test_message ("gnutls-cli:\n%s\n%s\nours:\n%s", r.output, r.errors, ours);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, desc));
  g_assert_nonnull (strstr (ours, want_ske));
  g_assert_nonnull (strstr (ours, cv));
  iop_result_clear (&r);
}

/* Our client against gnutls-serv allowing one signature algorithm and
 * requiring a client certificate. */
static void
test_sigalgs_gnutls_server (gconstpointer data)
{
  const SigalgCase *c = data;
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *ccert = pki ("client-rsa-chain.pem");
  g_autofree char *ckey = pki ("client-rsa.key");
  g_autofree char *ca = g_strdup_printf ("--x509cafile=%s", root);
  g_autofree char *prio = g_strdup_printf (GNUTLS_TLS12 ":-SIGN-ALL:+%s", gnutls_sign (c));
  g_autofree char *desc = g_strdup_printf (")-(%s)-", gnutls_sign (c) + strlen ("SIGN-"));
  g_autofree char *want_cv = g_strdup_printf ("choice: %s", c->ours);
  g_autofree char *peer = NULL;

  g_test_summary ("Our client against gnutls-serv allowing only the signature algorithm X and "
                  "requiring a client certificate: we verify its ServerKeyExchange made with X "
                  "and sign our CertificateVerify with X");
  if (!need_program ("gnutls-serv"))
    return;
  g_assert_true (start_gnutls_server (&server, prio, "--require-client-cert", ca, "--echo", NULL));
  run_client (&r, server.port, NULL, "@LAB@", "connect", "@ADDR@",
              "--suite", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "--servername", "localhost",
              "--ca", root, "--cert", ccert, "--key", ckey, "--timeout", "10000",
              "--send", "hello\\n", NULL);
  peer = gnutls_server_output (&server, "received cmd: ");
  if (r.status != 0 || strstr (r.output, want_cv) == NULL || strstr (peer, desc) == NULL)
    g_test_message ("stdout:\n%s\nstderr:\n%s\ngnutls-serv:\n%s", r.output, r.errors, peer);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, want_cv));
  g_assert_nonnull (strstr (peer, desc));
  g_assert_nonnull (strstr (peer, "received cmd: hello"));
  iop_result_clear (&r);
}

static void
test_x448_gnutls_server (void)
{
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *peer = NULL;

  g_test_summary ("Our client against gnutls-serv allowing only X448: ECDHE over X448 completes");
  if (!need_program ("gnutls-serv"))
    return;
  g_assert_true (start_gnutls_server (&server, GNUTLS_TLS12 ":-GROUP-ALL:+GROUP-X448", "--echo",
                                      NULL));
  run_client (&r, server.port, NULL, "@LAB@", "connect", "@ADDR@",
              "--suite", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "--servername", "localhost",
              "--ca", root, "--timeout", "10000", "--send", "hello\\n", NULL);
  peer = gnutls_server_output (&server, "received cmd: ");
  if (r.status != 0 || strstr (peer, "(TLS1.2-X.509)-(ECDHE-X448)-") == NULL)
    g_test_message ("stdout:\n%s\nstderr:\n%s\ngnutls-serv:\n%s", r.output, r.errors, peer);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (peer, "(TLS1.2-X.509)-(ECDHE-X448)-"));
  g_assert_nonnull (strstr (r.output, "public = X448(private, 5)"));
  g_assert_nonnull (strstr (r.output, "pre_master_secret = X448(our private, peer's public)"));
  iop_result_clear (&r);
}

static void
test_x448_gnutls_client (void)
{
  IopServer server = { 0 };
  IopResult r;
  g_autofree char *ca = g_strdup_printf ("--x509cafile=%s/pki/ca/root.crt", datadir ());
  g_autofree char *ours = NULL;

  g_test_summary ("gnutls-cli allowing only X448 against our server: ECDHE over X448 completes");
  if (!need_program ("gnutls-cli"))
    return;
  g_assert_true (start_our_server (&server, 1, NULL));
  run_client (&r, server.port, "", "gnutls-cli", "-p", "@PORT@", "127.0.0.1", ca,
              "--priority=" GNUTLS_TLS12 ":-GROUP-ALL:+GROUP-X448", "--sni-hostname=localhost",
              "--verify-hostname=localhost", NULL);
  g_assert_cmpint (wait_server (&server, &ours), ==, 0);
  if (r.status != 0 || strstr (r.output, "(TLS1.2-X.509)-(ECDHE-X448)-") == NULL)
    g_test_message ("gnutls-cli:\n%s\n%s\nours:\n%s", r.output, r.errors, ours);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "(TLS1.2-X.509)-(ECDHE-X448)-"));
  g_assert_nonnull (strstr (ours, "public = X448(private, 5)"));
  iop_result_clear (&r);
}


/* ------------------------------------------------------------------ */
/* Handshake lengths a hello cannot have (RFC 8446, 6: decode_error)   */

/* Feeds TO the record REC (4-byte handshake header only) after FROM's
 * first flight; returns TO's alert, or -1 when it waits for more. */
static int
hello_header_alert (gboolean tls13, gboolean to_client, guint32 body_len, char **reason)
{
  Pair p;
  const guint8 rec[] = { 22, 3, 3, 0, 4, to_client ? TLS_HS_SERVER_HELLO : TLS_HS_CLIENT_HELLO,
                         body_len >> 16, (body_len >> 8) & 0xff, body_len & 0xff };
  TlsEndpoint *ep;
  int alert = -1;

  pair_init (&p, "server-rsa", tls13 ? "TLS_AES_128_GCM_SHA256" : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
             1);
  if (tls13)
    {
      p.ccfg.min_version = p.ccfg.max_version = TLS_VERSION_1_3;
      p.scfg.min_version = p.scfg.max_version = TLS_VERSION_1_3;
    }
  pair_start (&p);
  ep = to_client ? p.client : p.server;
  if (to_client)
    {
      g_autoptr (GBytes) hello = NULL;

      g_assert_cmpint (tls_endpoint_step (p.client), ==, TLS_EP_PROGRESS);
      hello = tls_endpoint_take_output (p.client);
      g_assert_nonnull (hello);
    }
  tls_endpoint_feed (ep, rec, sizeof rec);
  for (guint i = 0; i < 200 && stepping (tls_endpoint_step (ep)); i++)
    ;
  if (tls_endpoint_status (ep) == TLS_EP_FAILED && tls_endpoint_alert_sent (ep))
    {
      alert = tls_endpoint_alert (ep);
      *reason = g_strdup (tls_endpoint_reason (ep));
    }
  pair_clear (&p);
  return alert;
}

static void
test_hello_length_syntax (void)
{
  g_test_summary ("A ClientHello header announcing more than 131396 bytes, or a ServerHello "
                  "one more than 65607 (the longest each structure can be: RFC 8446, 4.1.2 and "
                  "4.1.3) gets decode_error (RFC 8446, 6) at once, in TLS 1.2 and 1.3, from our "
                  "server and our client; the longest possible length is waited for");
  for (int tls13 = 0; tls13 < 2; tls13++)
    for (int to_client = 0; to_client < 2; to_client++)
      {
        guint32 max = to_client ? 65607 : 131396;
        const guint32 lens[] = { max + 1, 0xffffff };
        g_autofree char *syntax = g_strdup_printf ("more than the %u its structure can hold", max);

        for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
          {
            g_autofree char *reason = NULL;
            int alert = hello_header_alert (tls13, to_client, lens[i], &reason);

            g_test_message ("TLS 1.%d, to our %s, %u bytes: %s (%s)", tls13 ? 3 : 2,
                            to_client ? "client" : "server", lens[i],
                            alert >= 0 ? tls_alert_name (alert) : "none", reason ? reason : "");
            g_assert_cmpstr (tls_alert_name (alert), ==, tls_alert_name (TLS_ALERT_DECODE_ERROR));
            g_assert_nonnull (strstr (reason, syntax));
          }
        {
          g_autofree char *reason = NULL;
          g_assert_cmpint (hello_header_alert (tls13, to_client, max, &reason), ==, -1);
        }
      }
}


/* One connection of a peer's client, answered with BYTES after its
 * ClientHello; the first fatal alert it sends back, or -1 (none within
 * 5 s). */
typedef struct
{
  GSocket      *listener;
  const guint8 *bytes;
  gsize         len;
  int           alert;
} FakeServer;

static gpointer
fake_server_thread (gpointer data)
{
  FakeServer *f = data;
  g_autoptr (GSocket) conn = NULL;
  g_autoptr (GByteArray) in = g_byte_array_new ();
  guint8 buf[4096];
  gssize n;
  gsize off = 0;
  gboolean answered = FALSE;

  f->alert = -1;
  conn = g_socket_accept (f->listener, NULL, NULL);
  if (conn == NULL)
    return NULL;
  g_socket_set_timeout (conn, 5);
  while ((n = g_socket_receive (conn, (char *) buf, sizeof buf, NULL, NULL)) > 0)
    {
      g_byte_array_append (in, buf, n);
      if (!answered)
        {
          /* the whole ClientHello record is in: answer it */
          if (in->len < 5 || in->len < 5 + (gsize) ((in->data[3] << 8) | in->data[4]))
            continue;
          g_socket_send (conn, (const char *) f->bytes, f->len, NULL, NULL);
          answered = TRUE;
          off = in->len;
          continue;
        }
      while (off + 7 <= in->len)
        {
          gsize rlen = (in->data[off + 3] << 8) | in->data[off + 4];
          if (in->data[off] == TLS_CONTENT_ALERT && rlen == 2
              && in->data[off + 5] == TLS_ALERT_LEVEL_FATAL)
            {
              f->alert = in->data[off + 6];
              return NULL;
            }
          off += 5 + rlen;
        }
    }
  return NULL;
}

/* What the client in ARGV ("@PORT@" replaced) answers to BYTES sent as the
 * server's first flight. */
static int
peer_client_alert_for (const char *const *argv, const guint8 *bytes, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) sa = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  FakeServer f = { 0 };
  IopResult r;
  GThread *thread;
  guint16 port;

  f.listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                             &error);
  g_assert_no_error (error);
  g_socket_set_timeout (f.listener, 10);
  g_assert_true (g_socket_bind (f.listener, sa, TRUE, &error));
  g_assert_true (g_socket_listen (f.listener, &error));
  bound = g_socket_get_local_address (f.listener, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  f.bytes = bytes;
  f.len = len;
  thread = g_thread_new ("fake-server", fake_server_thread, &f);
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autoptr (GString) a = g_string_new (argv[i]);
      g_autofree char *p = g_strdup_printf ("%u", port);
      g_string_replace (a, "@PORT@", p, 0);
      g_ptr_array_add (args, g_string_free (g_steal_pointer (&a), FALSE));
    }
  g_ptr_array_add (args, NULL);
  g_assert_true (iop_run ((const char *const *) args->pdata, "", TIMEOUT_MS, &r, &error));
  g_assert_no_error (error);
  g_thread_join (thread);
  g_object_unref (f.listener);
  iop_result_clear (&r);
  return f.alert;
}

static void
test_hello_length_peer_clients (void)
{
  /* a ServerHello header announcing 2^24 - 1 bytes */
  static const guint8 rec[] = { 22, 3, 3, 0, 4, TLS_HS_SERVER_HELLO, 0xff, 0xff, 0xff };
  g_autofree char *reason = NULL;

  g_test_summary ("A ServerHello header announcing 2^24 - 1 bytes: our client sends decode_error; "
                  "openssl s_client sends illegal_parameter, gnutls-cli no alert within 5 s "
                  "(as docs/alerts.md says)");
  g_assert_cmpint (hello_header_alert (FALSE, TRUE, 0xffffff, &reason), ==, TLS_ALERT_DECODE_ERROR);
  if (iop_have_program ("openssl"))
    {
      const char *argv[] = { "openssl", "s_client", "-connect", "127.0.0.1:@PORT@", NULL };
      int a = peer_client_alert_for (argv, rec, sizeof rec);

      g_test_message ("openssl s_client: %s", a >= 0 ? tls_alert_name (a) : "none");
      g_assert_cmpint (a, ==, TLS_ALERT_ILLEGAL_PARAMETER);
    }
  if (iop_have_program ("gnutls-cli"))
    {
      const char *argv[] = { "gnutls-cli", "--insecure", "-p", "@PORT@", "127.0.0.1", NULL };
      int a = peer_client_alert_for (argv, rec, sizeof rec);

      g_test_message ("gnutls-cli: %s", a >= 0 ? tls_alert_name (a) : "none");
      g_assert_cmpint (a, ==, -1);
    }
}

/* The peers' answers where ours is checked in memory: signature_algorithms
 * that fit no key (GnuTLS), ALPN without a common protocol (the servers). */
static void
test_sigalgs_none_fits_gnutls (void)
{
  static const guint8 md5_only[] = { 0x00, 0x02, 0x01, 0x01 };
  static const guint8 unknown_only[] = { 0x00, 0x04, 0x0a, 0x0a, 0xee, 0xee };
  const guint8 *lists[] = { md5_only, unknown_only };
  const gsize lens[] = { sizeof md5_only, sizeof unknown_only };
  IopServer server = { 0 };

  g_test_summary ("The ClientHellos of /conform/sigalgs/none-fits (signature_algorithms with "
                  "only MD5, or only unknown values) sent to gnutls-serv: the alert it answers "
                  "with, as docs/alerts.md says");
  if (!need_program ("gnutls-serv"))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autoptr (GByteArray) ch = our_client_hello ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
      int a;

      hello_set_extension (ch, TLS_EXT_SIGNATURE_ALGORITHMS, lists[i], lens[i]);
      g_assert_true (start_gnutls_server (&server, GNUTLS_TLS12, "--disable-client-cert", NULL));
      a = peer_alert_for (server.port, ch->data, ch->len);
      iop_server_stop (&server);
      g_test_message ("%s: gnutls-serv %s", i == 0 ? "MD5 only" : "unknown only",
                      a >= 0 ? tls_alert_name (a) : "none");
      g_assert_cmpstr (tls_alert_name (a), ==, tls_alert_name (TLS_ALERT_HANDSHAKE_FAILURE));
    }
}

static void
test_alpn_no_overlap_peers (void)
{
  g_autofree char *root = pki ("ca/root.crt");
  IopServer server = { 0 };
  IopResult r;

  g_test_summary ("connect --alpn h2 against openssl s_server -alpn http/1.1 and gnutls-serv "
                  "--alpn http/1.1 (no common protocol): OpenSSL ends with "
                  "no_application_protocol, as we do; gnutls-serv completes the handshake "
                  "without ALPN and no alert (with --alpn-fatal it sends "
                  "no_application_protocol: /conform/alpn/gnutls-server)");
  if (iop_have_program ("openssl"))
    {
      g_assert_true (start_openssl_server (&server, "-tls1_2", "-alpn", "http/1.1", NULL));
      run_client (&r, server.port, NULL, "@LAB@", "connect", "@ADDR@", "--alpn", "h2",
                  "--servername", "localhost", "--ca", root, "--timeout", "10000", NULL);
      iop_server_stop (&server);
      if (strstr (r.output, "server → client  Alert: no_application_protocol") == NULL)
        g_test_message ("stdout:\n%s\nstderr:\n%s", r.output, r.errors);
      g_assert_cmpint (r.status, !=, 0);
      g_assert_nonnull (strstr (r.output, "server → client  Alert: no_application_protocol"));
      iop_result_clear (&r);
    }
  if (iop_have_program ("gnutls-serv"))
    {
      g_assert_true (start_gnutls_server (&server, GNUTLS_TLS12, "--alpn=http/1.1", "--echo", NULL));
      run_client (&r, server.port, NULL, "@LAB@", "connect", "@ADDR@", "--alpn", "h2",
                  "--servername", "localhost", "--ca", root, "--timeout", "10000", NULL);
      iop_server_stop (&server);
      if (r.status != 0)
        g_test_message ("stdout:\n%s\nstderr:\n%s", r.output, r.errors);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_null (strstr (strstr (r.output, "server → client  ServerHello"),
                             "application_layer_protocol_negotiation"));
      g_assert_null (strstr (r.output, "Alert: no_application_protocol"));
      iop_result_clear (&r);
    }
}

/* ------------------------------------------------------------------ */
/* Closing, plaintext records under TLS 1.3, unknown versions          */

/* The records of BYTES: how many, and the content type of each. */
static GString *
record_types (GBytes *bytes)
{
  GString *s = g_string_new (NULL);
  gsize n = 0, off = 0;
  const guint8 *d = bytes ? g_bytes_get_data (bytes, &n) : NULL;

  while (off + 5 <= n)
    {
      g_string_append_printf (s, "%s%u", s->len ? " " : "", d[off]);
      off += 5 + ((d[off + 3] << 8) | d[off + 4]);
    }
  return s;
}

/* A completed handshake of our client and server in memory, both
 * recording what they receive (as `connect` and `serve` do). */
static void
pair_connected (Pair *p, gboolean tls13)
{
  pair_init (p, "server-rsa", tls13 ? "TLS_AES_128_GCM_SHA256" : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
             5);
  if (tls13)
    {
      p->ccfg.min_version = p->ccfg.max_version = TLS_VERSION_1_3;
      p->scfg.min_version = p->scfg.max_version = TLS_VERSION_1_3;
    }
  p->ccfg.record_received = p->scfg.record_received = TRUE;
  pair_start (p);
  pair_run (p);
  g_assert_cmpint (tls_endpoint_status (p->client), ==, TLS_EP_DONE);
  g_assert_cmpint (tls_endpoint_status (p->server), ==, TLS_EP_DONE);
}

static void
test_close_answered (gconstpointer data)
{
  gboolean tls13 = GPOINTER_TO_INT (data);
  Pair p;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) late = NULL;
  g_autoptr (GString) types = NULL;
  TlsStep *last;

  g_test_summary (tls13
                  ? "TLS 1.3: our server, done when the client sends close_notify, sends what "
                    "it still had queued and then its own close_notify (RFC 8446, 6.1), a step "
                    "of its trace; the client reads both"
                  : "TLS 1.2: our server answers the client's close_notify with its own and "
                    "closes, discarding what it had still queued (RFC 5246, 7.2.1), a step of "
                    "its trace");
  pair_connected (&p, tls13);
  tls_endpoint_close (p.client);
  for (guint i = 0; i < 10 && !tls_endpoint_close_sent (p.client); i++)
    tls_endpoint_step (p.client);
  g_assert_true (pair_move (&p, p.client, p.server));
  /* the server reads the close_notify (a step: it records what it
   * receives); its application queues data before the next step */
  tls_endpoint_step (p.server);
  last = tls_trace_last (p.strace);
  g_assert_cmpint (last->kind, ==, TLS_STEP_ALERT);
  g_assert_cmpint (last->actor, ==, TLS_ACTOR_CLIENT);
  g_assert_cmpint (last->alert_description, ==, TLS_ALERT_CLOSE_NOTIFY);
  g_assert_null (tls_endpoint_take_output (p.server));
  tls_endpoint_send (p.server, (const guint8 *) "late", 4);
  for (guint i = 0; i < 10 && tls_endpoint_status (p.server) == TLS_EP_DONE; i++)
    tls_endpoint_step (p.server);
  g_assert_cmpint (tls_endpoint_status (p.server), ==, TLS_EP_CLOSED);
  last = tls_trace_last (p.strace);
  g_assert_cmpint (last->kind, ==, TLS_STEP_ALERT);
  g_assert_cmpint (last->actor, ==, TLS_ACTOR_SERVER);
  g_assert_cmpint (last->alert_description, ==, TLS_ALERT_CLOSE_NOTIFY);
  g_assert_cmpint (last->alert_level, ==, TLS_ALERT_LEVEL_WARNING);
  g_assert_cmpstr (last->rfc, ==, tls13 ? "RFC 8446, 6.1" : "RFC 5246, 7.2.1");
  g_assert_nonnull (strstr (last->reason, "answers"));
  out = tls_endpoint_take_output (p.server);
  types = record_types (out);
  /* TLS 1.2: the alert alone (type 21); TLS 1.3: the data, then the
   * alert, both protected (outer type 23) */
  g_assert_cmpstr (types->str, ==, tls13 ? "23 23" : "21");
  tls_endpoint_feed (p.client, g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  for (guint i = 0; i < 10 && tls_endpoint_status (p.client) == TLS_EP_DONE; i++)
    tls_endpoint_step (p.client);
  g_assert_cmpint (tls_endpoint_status (p.client), ==, TLS_EP_CLOSED);
  late = tls_endpoint_take_received (p.client);
  if (tls13)
    g_assert_cmpmem (g_bytes_get_data (late, NULL), g_bytes_get_size (late), "late", 4);
  else
    g_assert_null (late);
  /* the client, whose close_notify came first, does not answer */
  g_assert_null (tls_endpoint_take_output (p.client));
  pair_clear (&p);
}

/* Both close at once: neither answers the other's close_notify. */
static void
test_close_not_twice (void)
{
  Pair p;

  g_test_summary ("An endpoint that sent its close_notify before the peer's came does not "
                  "send a second one");
  pair_connected (&p, FALSE);
  tls_endpoint_close (p.client);
  tls_endpoint_close (p.server);
  for (guint i = 0; i < 10 && !tls_endpoint_close_sent (p.client); i++)
    tls_endpoint_step (p.client);
  for (guint i = 0; i < 10 && !tls_endpoint_close_sent (p.server); i++)
    tls_endpoint_step (p.server);
  g_assert_true (pair_move (&p, p.client, p.server));
  g_assert_true (pair_move (&p, p.server, p.client));
  for (guint i = 0; i < 10 && tls_endpoint_status (p.server) == TLS_EP_DONE; i++)
    tls_endpoint_step (p.server);
  for (guint i = 0; i < 10 && tls_endpoint_status (p.client) == TLS_EP_DONE; i++)
    tls_endpoint_step (p.client);
  g_assert_cmpint (tls_endpoint_status (p.server), ==, TLS_EP_CLOSED);
  g_assert_cmpint (tls_endpoint_status (p.client), ==, TLS_EP_CLOSED);
  g_assert_null (tls_endpoint_take_output (p.server));
  g_assert_null (tls_endpoint_take_output (p.client));
  pair_clear (&p);
}

/* A plaintext fatal handshake_failure alert record. */
static const guint8 plain_alert[] = { TLS_CONTENT_ALERT, 3, 3, 0, 2, TLS_ALERT_LEVEL_FATAL,
                                      TLS_ALERT_HANDSHAKE_FAILURE };

/* Steps EP until it stops making progress (bounded), and once more: a
 * step that failed leaves its alert to the next. */
static void
step_out (TlsEndpoint *ep)
{
  for (guint i = 0; i < 200 && stepping (tls_endpoint_step (ep)); i++)
    ;
  tls_endpoint_step (ep);
}

static void
assert_plaintext_refused (TlsEndpoint *ep, TlsTrace *t)
{
  TlsStep *last = tls_trace_last (t);

  assert_sent_fatal (ep, TLS_ALERT_UNEXPECTED_MESSAGE);
  g_assert_cmpint (last->kind, ==, TLS_STEP_ALERT);
  g_assert_cmpint (last->alert_description, ==, TLS_ALERT_UNEXPECTED_MESSAGE);
  g_assert_nonnull (strstr (last->reason, "plaintext alert record (handshake_failure)"));
  /* our alert is protected: outer type application_data */
  {
    g_autoptr (GBytes) out = tls_endpoint_take_output (ep);
    g_autoptr (GString) types = record_types (out);
    g_assert_true (g_str_has_suffix (types->str, "23"));
  }
}

/* What a TLS 1.3 server at 127.0.0.1:PORT answers to our ClientHello
 * followed, once its first flight has come, by PLAIN_ALERT: the record
 * types of its answer ("" for none). */
static char *
peer_answer_to_plain_alert (guint16 port)
{
  g_autoptr (GSocketClient) sc = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) flight = g_byte_array_new ();
  g_autoptr (GByteArray) answer = g_byte_array_new ();
  g_autoptr (GBytes) hello = NULL;
  g_autoptr (GBytes) got = NULL;
  GSocket *sock;
  Pair p;
  guint8 buf[16384];
  gssize n;

  pair_init (&p, "server-rsa", "TLS_AES_128_GCM_SHA256", 1);
  p.ccfg.min_version = p.ccfg.max_version = TLS_VERSION_1_3;
  pair_start (&p);
  g_assert_cmpint (tls_endpoint_step (p.client), ==, TLS_EP_PROGRESS);
  hello = tls_endpoint_take_output (p.client);
  pair_clear (&p);

  conn = g_socket_client_connect_to_host (sc, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  sock = g_socket_connection_get_socket (conn);
  g_assert_true (g_socket_send (sock, g_bytes_get_data (hello, NULL), g_bytes_get_size (hello),
                                NULL, &error) > 0);
  /* the first flight: read until 500 ms pass without a byte (at most 5 s) */
  for (guint i = 0; i < 10 && g_socket_condition_timed_wait (sock, G_IO_IN, 500 * 1000, NULL, NULL); i++)
    {
      n = g_socket_receive (sock, (gchar *) buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        break;
      g_byte_array_append (flight, buf, n);
    }
  g_assert_cmpuint (flight->len, >, 5);
  g_assert_cmpint (flight->data[0], ==, TLS_CONTENT_HANDSHAKE);   /* the ServerHello */
  g_assert_true (g_socket_send (sock, (const gchar *) plain_alert, sizeof plain_alert, NULL,
                                &error) > 0);
  /* the answer: until the server closes (at most 5 s) */
  for (guint i = 0; i < 10 && g_socket_condition_timed_wait (sock, G_IO_IN, 500 * 1000, NULL, NULL); i++)
    {
      n = g_socket_receive (sock, (gchar *) buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        break;
      g_byte_array_append (answer, buf, n);
    }
  got = g_byte_array_free_to_bytes (g_steal_pointer (&answer));
  {
    GString *types = record_types (got);
    gsize len = g_bytes_get_size (got);

    if (len > 0)
      g_string_append_printf (types, " (%zu bytes)", len);
    return g_string_free (types, FALSE);
  }
}

static void
test_plaintext_alert_tls13 (void)
{
  Pair p;
  g_autoptr (GBytes) flight = NULL;
  IopServer server = { 0 };

  g_test_summary ("TLS 1.3: a plaintext alert record once record protection has started (to "
                  "our server after its ServerHello, to our client after it read the "
                  "ServerHello) is an unexpected record type: unexpected_message (RFC 8446, 5, "
                  "5.2), with the reason in the trace; openssl s_server takes such an alert as "
                  "the client's and sends nothing, gnutls-serv tries to decrypt it and answers "
                  "with a protected alert");
  /* our server, its first flight sent */
  pair_init (&p, "server-rsa", "TLS_AES_128_GCM_SHA256", 7);
  p.ccfg.min_version = p.ccfg.max_version = TLS_VERSION_1_3;
  p.scfg.min_version = p.scfg.max_version = TLS_VERSION_1_3;
  pair_start (&p);
  step_out (p.client);
  g_assert_true (pair_move (&p, p.client, p.server));
  step_out (p.server);
  flight = tls_endpoint_take_output (p.server);
  g_assert_nonnull (flight);
  g_assert_cmpint (tls_endpoint_status (p.server), ==, TLS_EP_PROGRESS);
  tls_endpoint_feed (p.server, plain_alert, sizeof plain_alert);
  step_out (p.server);
  assert_plaintext_refused (p.server, p.strace);

  /* our client, having read the ServerHello (the first record) alone */
  {
    const guint8 *d = g_bytes_get_data (flight, NULL);
    gsize first = 5 + ((d[3] << 8) | d[4]);

    g_assert_cmpint (d[0], ==, TLS_CONTENT_HANDSHAKE);
    g_assert_cmpint (d[5], ==, TLS_HS_SERVER_HELLO);
    tls_endpoint_feed (p.client, d, first);
    step_out (p.client);
    g_assert_cmpint (tls_endpoint_status (p.client), ==, TLS_EP_PROGRESS);
    tls_endpoint_feed (p.client, plain_alert, sizeof plain_alert);
    step_out (p.client);
    assert_plaintext_refused (p.client, p.ctrace);
  }
  pair_clear (&p);

  if (iop_have_program ("openssl"))
    {
      g_autofree char *answer = NULL;
      g_autofree char *log = NULL;

      g_assert_true (start_openssl_server (&server, "-tls1_3", NULL));
      answer = peer_answer_to_plain_alert (server.port);
      log = iop_server_output (&server);
      iop_server_stop (&server);
      g_test_message ("openssl s_server answers: \"%s\"; its log:\n%s", answer, log);
      /* OpenSSL 3.0 takes it as the client's alert (SSL alert number 40)
       * and closes without an alert of its own */
      g_assert_cmpstr (answer, ==, "");
      g_assert_nonnull (strstr (log, "SSL alert number 40"));
    }
  if (iop_have_program ("gnutls-serv"))
    {
      g_autofree char *answer = NULL;
      g_autofree char *log = NULL;

      g_assert_true (start_gnutls_server (&server, "NORMAL", "--disable-client-cert", NULL));
      answer = peer_answer_to_plain_alert (server.port);
      log = gnutls_server_output (&server, "Error in handshake");
      g_test_message ("gnutls-serv answers: \"%s\"; its log:\n%s", answer, log);
      /* GnuTLS 3.7 tries to decrypt the record ("Decryption has failed")
       * and sends one protected alert record: 19 bytes, an alert of 2
       * bytes, its inner type and a 16-byte tag */
      g_assert_nonnull (strstr (log, "Decryption has failed"));
      g_assert_true (g_str_has_suffix (answer, "23 (24 bytes)"));
    }
}

/* Our server (TLS 1.0 to 1.3): a ClientHello (otherwise TLS 1.2) whose
 * supported_versions lists VERSIONS (LEN bytes, list length first). */
static int
versions_alert (const guint8 *versions, gsize len, TlsTrace **trace)
{
  g_autoptr (GByteArray) ch = hello ();
  Pair p;
  int alert;

  hello_set_extension (ch, 43 /* supported_versions */, versions, len);
  pair_init (&p, "server-rsa", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 1);
  p.scfg.max_version = TLS_VERSION_1_3;
  pair_start (&p);
  tls_endpoint_feed (p.server, ch->data, ch->len);
  step_out (p.server);
  alert = tls_endpoint_status (p.server) == TLS_EP_FAILED && tls_endpoint_alert_sent (p.server)
          ? tls_endpoint_alert (p.server) : -1;
  *trace = p.strace;
  p.strace = tls_trace_new ();
  pair_clear (&p);
  return alert;
}

static void
test_versions_only_unknown (void)
{
  static const guint8 unknown[] = { 4, 0x7f, 0x1c, 0x0a, 0x0a };   /* draft 28, GREASE */
  static const guint8 grease[] = { 2, 0x0a, 0x0a };
  static const guint8 with_12[] = { 4, 0x0a, 0x0a, 0x03, 0x03 };
  const guint8 *lists[] = { unknown, grease };
  gsize lens[] = { sizeof unknown, sizeof grease };
  IopServer server = { 0 };
  TlsTrace *t = NULL;

  g_test_summary ("A ClientHello whose supported_versions lists only versions our server does "
                  "not know (0x7f1c, GREASE 0x0a0a) gets protocol_version, not a TLS 1.2 "
                  "handshake from legacy_version (RFC 8446, 4.2.1, D.2); openssl s_server and "
                  "gnutls-serv send protocol_version too.  With TLS 1.2 in the list beside "
                  "GREASE the handshake goes on in TLS 1.2");
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autoptr (GByteArray) ch = hello ();
      TlsStep *step;

      g_assert_cmpstr (tls_alert_name (versions_alert (lists[i], lens[i], &t)), ==,
                       tls_alert_name (TLS_ALERT_PROTOCOL_VERSION));
      step = find_step (t, TLS_STEP_DECISION, "Protocol version");
      g_assert_nonnull (step);
      g_assert_cmpstr (step->rfc, ==, "RFC 8446, 4.2.1; RFC 8446, D.2");
      g_assert_nonnull (strstr (step->reason, "lists no version this server knows"));
      g_assert_cmpint (tls_trace_last (t)->kind, ==, TLS_STEP_ALERT);
      g_clear_pointer (&t, tls_trace_free);
      hello_set_extension (ch, 43 /* supported_versions */, lists[i], lens[i]);
      if (iop_have_program ("openssl"))
        {
          int a;

          g_assert_true (start_openssl_server (&server, NULL));
          a = peer_alert_for (server.port, ch->data, ch->len);
          iop_server_stop (&server);
          g_test_message ("list %u: openssl %s", i, a >= 0 ? tls_alert_name (a) : "none");
          g_assert_cmpint (a, ==, TLS_ALERT_PROTOCOL_VERSION);
        }
      if (iop_have_program ("gnutls-serv"))
        {
          int a;

          g_assert_true (start_gnutls_server (&server, "NORMAL", "--disable-client-cert", NULL));
          a = peer_alert_for (server.port, ch->data, ch->len);
          iop_server_stop (&server);
          g_test_message ("list %u: gnutls %s", i, a >= 0 ? tls_alert_name (a) : "none");
          g_assert_cmpint (a, ==, TLS_ALERT_PROTOCOL_VERSION);
        }
    }
  /* GREASE beside TLS 1.2: the unknown value is ignored */
  g_assert_cmpint (versions_alert (with_12, sizeof with_12, &t), ==, -1);
  {
    TlsStep *step = find_step (t, TLS_STEP_DECISION, "Protocol version");
    g_assert_nonnull (step);
    g_assert_cmpstr (step->choice, ==, "TLS 1.2 (0x0303)");
  }
  tls_trace_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  program = g_getenv ("HANDSHAKE_LAB");

  g_test_add_func ("/conform/dhe/yc-range", test_dhe_yc_range);
  g_test_add_func ("/conform/dhe/leading-zero", test_dhe_leading_zero);
  g_test_add_func ("/conform/x448/openssl-server", test_x448_openssl_server);
  g_test_add_func ("/conform/sigalgs/none-fits", test_sigalgs_none_fits);
  g_test_add_func ("/conform/order/cv-sigalg-not-requested", test_cv_sigalg_not_requested);
  g_test_add_func ("/conform/order/finished-before-ccs", test_finished_before_ccs);
  g_test_add_data_func ("/conform/renegotiation/client-hello", GINT_TO_POINTER (TRUE),
                        test_renegotiation_refused);
  g_test_add_data_func ("/conform/renegotiation/hello-request", GINT_TO_POINTER (FALSE),
                        test_renegotiation_refused);
  g_test_add_func ("/conform/renegotiation/openssl", test_renegotiation_openssl);
  g_test_add_func ("/conform/alpn/memory", test_alpn_memory);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/conform/bad/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_bad_bytes);
    }
  g_test_add_func ("/conform/alpn/openssl-client", test_alpn_openssl_client);
  g_test_add_func ("/conform/alpn/openssl-server", test_alpn_openssl_server);
  for (guint i = 0; i < G_N_ELEMENTS (sigalg_cases); i++)
    {
      g_autofree char *a = g_strdup_printf ("/conform/sigalgs/openssl-client/%s", sigalg_cases[i].ours);
      g_autofree char *b = g_strdup_printf ("/conform/sigalgs/openssl-server/%s", sigalg_cases[i].ours);
      g_test_add_data_func (a, &sigalg_cases[i], test_sigalgs_openssl_client);
      g_test_add_data_func (b, &sigalg_cases[i], test_sigalgs_openssl_server);
    }
  g_test_add_func ("/conform/x448/openssl-client", test_x448_openssl_client);
  g_test_add_func ("/conform/alpn/gnutls-client", test_alpn_gnutls_client);
  g_test_add_func ("/conform/alpn/gnutls-server", test_alpn_gnutls_server);
  for (guint i = 0; i < G_N_ELEMENTS (gnutls_sigalg_cases); i++)
    {
      const SigalgCase *c = &gnutls_sigalg_cases[i];
      g_autofree char *a = g_strdup_printf ("/conform/sigalgs/gnutls-client/%s", c->ours);
      g_autofree char *b = g_strdup_printf ("/conform/sigalgs/gnutls-server/%s", c->ours);
      g_test_add_data_func (a, c, test_sigalgs_gnutls_client);
      g_test_add_data_func (b, c, test_sigalgs_gnutls_server);
    }
  g_test_add_func ("/conform/x448/gnutls-client", test_x448_gnutls_client);
  g_test_add_func ("/conform/x448/gnutls-server", test_x448_gnutls_server);
  g_test_add_func ("/conform/length/hello-syntax", test_hello_length_syntax);
  g_test_add_func ("/conform/length/peer-clients", test_hello_length_peer_clients);
  g_test_add_func ("/conform/sigalgs/none-fits-gnutls", test_sigalgs_none_fits_gnutls);
  g_test_add_func ("/conform/alpn/no-overlap-peers", test_alpn_no_overlap_peers);
  g_test_add_data_func ("/conform/close/answer-tls12", GINT_TO_POINTER (FALSE), test_close_answered);
  g_test_add_data_func ("/conform/close/answer-tls13", GINT_TO_POINTER (TRUE), test_close_answered);
  g_test_add_func ("/conform/close/not-twice", test_close_not_twice);
  g_test_add_func ("/conform/tls13/plaintext-alert", test_plaintext_alert_tls13);
  g_test_add_func ("/conform/versions/only-unknown", test_versions_only_unknown);
  return g_test_run ();
}
