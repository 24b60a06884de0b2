/* test-export.c — the exports for other tools: a pcapng capture that
 * Wireshark decrypts on its own (tls-trace-pcapng) with its NSS key log,
 * and the HTML handout (tls-trace-html).
 *
 * Traces come from real runs of the engine (built-in scenarios).  The
 * capture is checked twice: by a small pcapng reader here (block layout,
 * checksums, the TCP streams rebuilt against the trace's records), and by
 * tshark, which must see every handshake message in the order of the trace
 * and decrypt the Finished messages and the HTTP exchange from the secrets
 * embedded in the file (skipped when tshark is not installed). */
#include "tls-conductor.h"
#include "tls-trace-pcapng.h"
#include "tls-trace-html.h"
#include "tls-trace-json.h"
#include "tls-types.h"
#include "test-util.h"

#include <string.h>
#include <glib/gstdio.h>

/* ------------------------------------------------------------------ */
/* Runs and files                                                      */





/* ------------------------------------------------------------------ */
/* A small pcapng reader                                               */

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint16
be16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static guint16
inet_checksum (guint32 sum, const guint8 *p, gsize len)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += be16 (p + i);
  if (len % 2)
    sum += (guint32) p[len - 1] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

typedef struct
{
  char       *secrets;      /* the DSB's key log, or NULL */
  guint       n_packets;
  guint       n_syn, n_fin;
  /* per connection (client port - 50000) and direction: payload by seq */
  GByteArray *stream[8][2];
  guint32     isn[8][2];
  gboolean    fin[8][2];
  guint64     last_ts;
} Capture;

static void
capture_clear (Capture *cap)
{
  g_free (cap->secrets);
  for (guint c = 0; c < 8; c++)
    for (guint d = 0; d < 2; d++)
      if (cap->stream[c][d] != NULL)
        g_byte_array_unref (cap->stream[c][d]);
}

/* Reads the pcapng; asserts its block structure, that the secrets come
 * before any packet, the IPv4 and TCP checksums, segment sizes, increasing
 * timestamps, and that the segments of each direction follow each other
 * exactly (no gap, no overlap). */
static void
read_capture (GBytes *file, Capture *cap)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (file, &len);
  gsize at = 0;
  guint block = 0;

  memset (cap, 0, sizeof *cap);
  while (at < len)
    {
      guint32 type, total;
      const guint8 *b = data + at;

      g_assert_cmpuint (len - at, >=, 12);
      type = le32 (b);
      total = le32 (b + 4);
      g_assert_cmpuint (total % 4, ==, 0);
      g_assert_cmpuint (total, >=, 12);
      g_assert_cmpuint (total, <=, len - at);
      g_assert_cmpuint (le32 (b + total - 4), ==, total);
      if (block == 0)
        {
          g_assert_cmphex (type, ==, 0x0A0D0D0A);
          g_assert_cmphex (le32 (b + 8), ==, 0x1A2B3C4D);
        }
      else if (block == 1)
        {
          g_assert_cmphex (type, ==, 1);
          g_assert_cmpuint (b[8] | b[9] << 8, ==, 101);   /* LINKTYPE_RAW */
        }
      else if (type == 0x0A)
        {
          guint32 secrets_len = le32 (b + 12);
          g_assert_cmphex (le32 (b + 8), ==, 0x544C534B);
          g_assert_null (cap->secrets);
          g_assert_cmpuint (cap->n_packets, ==, 0);
          g_assert_cmpuint (secrets_len, <=, total - 20);
          cap->secrets = g_strndup ((const char *) b + 16, secrets_len);
        }
      else if (type == 6)
        {
          guint32 caplen = le32 (b + 20);
          const guint8 *ip = b + 28, *tcp = ip + 20;
          guint64 ts = (guint64) le32 (b + 12) << 32 | le32 (b + 16);
          gsize tcp_len, payload_len;
          guint16 sport, dport;
          guint conn, dir;
          guint32 seq, pseudo;
          guint8 flags;

          g_assert_cmpuint (le32 (b + 8), ==, 0);
          g_assert_cmpuint (caplen, ==, le32 (b + 24));
          g_assert_cmpuint (caplen, >=, 40);
          g_assert_cmpuint (ts, >, cap->last_ts);
          cap->last_ts = ts;
          /* IPv4: version 4, 20 bytes, TCP, loopback, length, checksum */
          g_assert_cmphex (ip[0], ==, 0x45);
          g_assert_cmpuint (be16 (ip + 2), ==, caplen);
          g_assert_cmpuint (ip[9], ==, 6);
          g_assert_cmphex (be32 (ip + 12), ==, 0x7F000001);
          g_assert_cmphex (be32 (ip + 16), ==, 0x7F000001);
          g_assert_cmphex (inet_checksum (0, ip, 20), ==, 0);
          tcp_len = caplen - 20;
          pseudo = be16 (ip + 12) + be16 (ip + 14) + be16 (ip + 16) + be16 (ip + 18)
                   + 6 + (guint32) tcp_len;
          g_assert_cmphex (inet_checksum (pseudo, tcp, tcp_len), ==, 0);
          g_assert_cmpuint (tcp[12], ==, 5 << 4);
          payload_len = tcp_len - 20;
          g_assert_cmpuint (payload_len, <=, 1400);
          sport = be16 (tcp);
          dport = be16 (tcp + 2);
          seq = be32 (tcp + 4);
          flags = tcp[13];
          dir = sport == 443 ? 1 : 0;
          g_assert_cmpuint (dir ? dport : sport, >=, 50000);
          g_assert_cmpuint ((dir ? dport : sport) - 50000, <, 8);
          g_assert_cmpuint (dir ? sport : dport, ==, 443);
          conn = (dir ? dport : sport) - 50000;
          if (flags & 0x02)   /* SYN */
            {
              g_assert_null (cap->stream[conn][dir]);
              cap->stream[conn][dir] = g_byte_array_new ();
              cap->isn[conn][dir] = seq;
              cap->n_syn++;
            }
          else
            {
              g_assert_nonnull (cap->stream[conn][dir]);
              /* the SYN and the FIN take a sequence number each */
              g_assert_cmpuint (seq, ==, cap->isn[conn][dir] + 1 + cap->stream[conn][dir]->len
                                         + (cap->fin[conn][dir] ? 1 : 0));
              g_assert_true (payload_len == 0 || !cap->fin[conn][dir]);
              g_byte_array_append (cap->stream[conn][dir], tcp + 20, payload_len);
              if (flags & 0x01)
                {
                  g_assert_false (cap->fin[conn][dir]);
                  cap->fin[conn][dir] = TRUE;
                  cap->n_fin++;
                }
            }
          cap->n_packets++;
        }
      at += total;
      block++;
    }
  g_assert_cmpuint (block, >=, 2);
}

/* Each direction of each connection, rebuilt from the capture, holds every
 * step's records at their wire_offset, and nothing else. */
static void
assert_streams_match (const TlsTrace *trace, const Capture *cap)
{
  gsize expected[8][2] = { { 0 } };

  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      GByteArray *stream;
      gsize len;
      const guint8 *wire;
      guint dir = s->actor == TLS_ACTOR_CLIENT ? 0 : 1;

      if (s->wire == NULL || g_bytes_get_size (s->wire) == 0)
        continue;
      g_assert_cmpuint (s->connection, <, 8);
      g_assert_cmpint (s->wire_offset, >=, 0);
      stream = cap->stream[s->connection][dir];
      g_assert_nonnull (stream);
      wire = g_bytes_get_data (s->wire, &len);
      g_assert_cmpuint (s->wire_offset + len, <=, stream->len);
      g_assert_cmpmem (stream->data + s->wire_offset, len, wire, len);
      expected[s->connection][dir] = MAX (expected[s->connection][dir], s->wire_offset + len);
    }
  for (guint c = 0; c < 8; c++)
    for (guint d = 0; d < 2; d++)
      if (cap->stream[c][d] != NULL)
        g_assert_cmpuint (cap->stream[c][d]->len, ==, expected[c][d]);
}

/* ------------------------------------------------------------------ */
/* Key log                                                             */

static char *
hex_of (GBytes *b)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (b, &len);
  return tls_hex (d, len);
}

static char *
client_random_hex (const TlsTrace *trace, guint connection)
{
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      if (s->connection == connection && s->kind == TLS_STEP_MESSAGE
          && s->handshake_type == TLS_HS_CLIENT_HELLO)
        {
          TlsField *f = tls_field_find (s->fields, "random");
          g_assert_nonnull (f);
          g_assert_cmpuint (f->length, ==, 32);
          return tls_hex ((const guint8 *) g_bytes_get_data (s->bytes, NULL) + f->offset, 32);
        }
    }
  g_assert_not_reached ();
}

static void
test_keylog_resumption (void)
{
  TlsConductor *c = tu_run_scenario ("resumption");
  TlsTrace *trace = tls_conductor_get_trace (c);
  g_autofree char *keylog = tls_trace_keylog (trace);
  g_auto (GStrv) lines = g_strsplit (keylog, "\n", -1);
  int ms = tls_trace_find (trace, TLS_STEP_DERIVATION, "master_secret (extended)");
  g_autofree char *ms_hex = NULL;
  g_autofree char *random0 = client_random_hex (trace, 0);
  g_autofree char *random1 = client_random_hex (trace, 1);
  g_autofree char *line0 = NULL;
  g_autofree char *line1 = NULL;

  g_test_summary ("The key log of a full and a resumed handshake: two CLIENT_RANDOM lines, "
                  "each with its own client random and the one master secret");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpint (ms, >=, 0);
  ms_hex = hex_of (tls_step_find_output (tls_trace_get (trace, ms), "master_secret")->bytes);
  g_assert_cmpuint (strlen (ms_hex), ==, 96);
  g_assert_cmpstr (random0, !=, random1);
  line0 = g_strdup_printf ("CLIENT_RANDOM %s %s", random0, ms_hex);
  line1 = g_strdup_printf ("CLIENT_RANDOM %s %s", random1, ms_hex);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);   /* two lines and the final "" */
  g_assert_cmpstr (lines[0], ==, line0);
  g_assert_cmpstr (lines[1], ==, line1);
  g_assert_cmpstr (lines[2], ==, "");
  tls_conductor_free (c);
}

static void
test_keylog_none (void)
{
  TlsConductor *c = tu_run_scenario ("no-common-suite");
  g_autofree char *keylog = tls_trace_keylog (tls_conductor_get_trace (c));
  g_autoptr (GBytes) pcapng = tls_trace_to_pcapng (tls_conductor_get_trace (c));
  Capture cap;

  g_test_summary ("A run that ends before any master secret: an empty key log, and a "
                  "capture without a secrets block");
  g_assert_cmpstr (keylog, ==, "");
  read_capture (pcapng, &cap);
  g_assert_null (cap.secrets);
  g_assert_cmpuint (cap.n_packets, >, 0);
  assert_streams_match (tls_conductor_get_trace (c), &cap);
  capture_clear (&cap);
  tls_conductor_free (c);
}

/* ------------------------------------------------------------------ */
/* pcapng: structure                                                   */

static void
test_pcapng_structure (gconstpointer data)
{
  const char *name = data;
  TlsConductor *c = tu_run_scenario (name);
  TlsTrace *trace = tls_conductor_get_trace (c);
  g_autoptr (GBytes) pcapng = tls_trace_to_pcapng (trace);
  g_autoptr (GBytes) again = tls_trace_to_pcapng (trace);
  g_autofree char *keylog = tls_trace_keylog (trace);
  guint n_conn = tls_trace_get (trace, tls_trace_len (trace) - 1)->connection + 1;
  Capture cap;

  g_test_summary ("The capture's blocks, checksums and TCP streams: each direction holds "
                  "the trace's records at their wire offsets; secrets before packets");
  read_capture (pcapng, &cap);
  g_assert_cmpstr (cap.secrets, ==, keylog);
  g_assert_cmpuint (cap.n_syn, ==, 2 * n_conn);
  g_assert_cmpuint (cap.n_fin, ==, 2 * n_conn);
  assert_streams_match (trace, &cap);
  /* the same trace gives the same file */
  g_assert_true (g_bytes_equal (pcapng, again));
  capture_clear (&cap);
  tls_conductor_free (c);
}

/* Two messages in one record (as a server may send ServerHello and
 * ServerHelloDone): both steps carry the record at the same offset, and
 * the stream holds it once. */
static void
test_pcapng_coalesced (void)
{
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  static const guint8 hello[] = { 0x16, 0x03, 0x03, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00 };
  static const guint8 record[] = {
    0x16, 0x03, 0x03, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x0e, 0x00, 0x00, 0x00,
  };
  g_autoptr (GBytes) hello_wire = g_bytes_new_static (hello, sizeof hello);
  g_autoptr (GBytes) wire = g_bytes_new_static (record, sizeof record);
  g_autoptr (GBytes) pcapng = NULL;
  TlsStep *s;
  Capture cap;

  g_test_summary ("A record that carried two messages is in the stream once");
  s = tls_trace_add (trace, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  tls_step_set_wire (s, hello_wire, NULL, FALSE);
  s->wire_offset = 0;
  tls_trace_commit (trace, s);
  s = tls_trace_add (trace, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
  tls_step_set_wire (s, wire, NULL, FALSE);
  s->wire_offset = 0;
  tls_trace_commit (trace, s);
  s = tls_trace_add (trace, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHelloDone");
  tls_step_set_wire (s, wire, NULL, FALSE);
  s->wire_offset = 0;
  tls_trace_commit (trace, s);

  pcapng = tls_trace_to_pcapng (trace);
  read_capture (pcapng, &cap);
  g_assert_null (cap.secrets);
  g_assert_cmpmem (cap.stream[0][1]->data, cap.stream[0][1]->len, record, sizeof record);
  g_assert_cmpmem (cap.stream[0][0]->data, cap.stream[0][0]->len, hello, sizeof hello);
  /* SYN, SYN-ACK, ACK, two data segments, FIN, FIN, ACK */
  g_assert_cmpuint (cap.n_packets, ==, 8);
  capture_clear (&cap);
}

static void
test_pcapng_bad_path (void)
{
  TlsConductor *c = tu_run_scenario ("full");
  TlsTrace *trace = tls_conductor_get_trace (c);
  g_autofree char *dir = tu_tmpdir_new ();
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "run.pcapng", NULL);
  g_autoptr (GError) error = NULL;

  g_test_summary ("A folder that does not exist, or a folder as the target: a GError, "
                  "no file and no temporary file left");
  g_assert_false (tls_trace_save_pcapng (trace, missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_false (tls_trace_save_html (trace, missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_false (tls_trace_save_keylog (trace, missing, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* the target is a directory: written beside it, the rename fails */
  {
    g_autofree char *sub = g_build_filename (dir, "a-folder", NULL);
    g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
    g_assert_false (tls_trace_save_pcapng (trace, sub, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_false (tls_trace_save_html (trace, sub, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_true (g_file_test (sub, G_FILE_TEST_IS_DIR));
    g_assert_cmpuint (tu_tmpdir_count (dir), ==, 1);   /* a-folder only */
    g_assert_cmpuint (tu_tmpdir_count (sub), ==, 0);
    g_rmdir (sub);
  }
  tu_tmpdir_remove (dir);
  tls_conductor_free (c);
}

static void
test_pcapng_save (void)
{
  TlsConductor *c = tu_run_scenario ("resumption");
  TlsTrace *trace = tls_conductor_get_trace (c);
  g_autofree char *dir = tu_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "run.pcapng", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) expected = tls_trace_to_pcapng (trace);
  g_autofree char *contents = NULL;
  gsize len;

  g_test_summary ("save_pcapng writes exactly to_pcapng's bytes, over an older file");
  g_assert_true (g_file_set_contents (path, "old", -1, &error));
  g_assert_true (tls_trace_save_pcapng (trace, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_cmpuint (tu_tmpdir_count (dir), ==, 1);
  tu_tmpdir_remove (dir);
  tls_conductor_free (c);
}

/* ------------------------------------------------------------------ */
/* pcapng: what tshark sees                                            */

static gboolean
run_tshark (const char *const *args, char **out)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_ptr_array_add (argv, (gpointer) "tshark");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     out, &err, &status, &error))
    g_error ("tshark: %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("tshark failed: %s\n%s", error->message, err);
  return TRUE;
}

/* tshark's view: per TLS frame, "handshake types<TAB>method<TAB>code",
 * with secrets from the file only (no key log preference). */
static char *
tshark_fields (const char *path)
{
  const char *const args[] = {
    "-r", path, "-n",
    "-o", "tls.keylog_file:",
    /* each application data record on its own, so the HTTP response
     * (HTTP/1.0, no Content-Length) is dissected where it is */
    "-o", "tls.desegment_ssl_application_data:FALSE",
    "-Y", "tls", "-T", "fields", "-E", "separator=/t", "-E", "aggregator=,",
    "-e", "tls.handshake.type", "-e", "http.request.method",
    "-e", "http.request.uri", "-e", "http.response.code",
    NULL,
  };
  char *out = NULL;

  run_tshark (args, &out);
  return out;
}

typedef struct
{
  GString *types;     /* "1,2,11,14,16,20,20" */
  guint    n_get;
  guint    n_ok;
} TsharkView;

static void
parse_tshark (const char *out, TsharkView *v)
{
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);

  v->types = g_string_new (NULL);
  v->n_get = v->n_ok = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (f) < 4)
        continue;
      if (f[0][0] != '\0')
        {
          if (v->types->len > 0)
            g_string_append_c (v->types, ',');
          g_string_append (v->types, f[0]);
        }
      if (g_strcmp0 (f[1], "GET") == 0 && g_strcmp0 (f[2], "/") == 0)
        v->n_get++;
      if (g_strcmp0 (f[3], "200") == 0)
        v->n_ok++;
    }
}

static char *
trace_types (const TlsTrace *trace)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *st = tls_trace_get (trace, i);
      if (st->kind != TLS_STEP_MESSAGE || st->content_type != TLS_CONTENT_HANDSHAKE)
        continue;
      if (s->len > 0)
        g_string_append_c (s, ',');
      g_string_append_printf (s, "%u", st->handshake_type);
    }
  return g_string_free (s, FALSE);
}

static gboolean
have_tshark (void)
{
  g_autofree char *p = g_find_program_in_path ("tshark");
  if (p == NULL)
    g_test_skip ("tshark is not installed");
  return p != NULL;
}

static void
test_tshark (gconstpointer data)
{
  const char *name = data;
  TlsConductor *c;
  TlsTrace *trace;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;
  TsharkView view;
  guint n_conn;

  g_test_summary ("tshark reads the capture: every handshake message in the order of the "
                  "trace, the Finished messages and the HTTP exchange decrypted with the "
                  "secrets embedded in the file");
  if (!have_tshark ())
    return;
  c = tu_run_scenario (name);
  trace = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  n_conn = tls_trace_get (trace, tls_trace_len (trace) - 1)->connection + 1;
  dir = tu_tmpdir_new ();
  path = g_build_filename (dir, "run.pcapng", NULL);
  g_assert_true (tls_trace_save_pcapng (trace, path, &error));
  g_assert_no_error (error);

  out = tshark_fields (path);
  g_test_message ("tshark:\n%s", out);
  parse_tshark (out, &view);
  expected = trace_types (trace);
  /* Finished (20) is encrypted: tshark names it only once decrypted */
  g_assert_nonnull (strstr (expected, "20"));
  g_assert_cmpstr (view.types->str, ==, expected);
  g_assert_cmpuint (view.n_get, ==, n_conn);
  g_assert_cmpuint (view.n_ok, ==, n_conn);
  g_string_free (view.types, TRUE);
  tu_tmpdir_remove (dir);
  tls_conductor_free (c);
}

/* Without the Decryption Secrets Block the same capture does not decrypt:
 * so it is the block that does it above. */
static void
test_tshark_without_secrets (void)
{
  TlsConductor *c;
  g_autoptr (GBytes) pcapng = NULL;
  g_autoptr (GByteArray) stripped = g_byte_array_new ();
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  const guint8 *data;
  gsize len, at = 0;
  TsharkView view;
  gboolean dropped = FALSE;

  g_test_summary ("Control: the capture without its secrets block shows no Finished and no HTTP");
  if (!have_tshark ())
    return;
  c = tu_run_scenario ("full");
  pcapng = tls_trace_to_pcapng (tls_conductor_get_trace (c));
  data = g_bytes_get_data (pcapng, &len);
  while (at < len)
    {
      guint32 total = le32 (data + at + 4);
      if (le32 (data + at) == 0x0A)
        dropped = TRUE;
      else
        g_byte_array_append (stripped, data + at, total);
      at += total;
    }
  g_assert_true (dropped);
  dir = tu_tmpdir_new ();
  path = g_build_filename (dir, "nosecrets.pcapng", NULL);
  g_assert_true (g_file_set_contents (path, (const char *) stripped->data, stripped->len, &error));
  out = tshark_fields (path);
  parse_tshark (out, &view);
  g_assert_null (strstr (view.types->str, "20"));
  g_assert_nonnull (strstr (view.types->str, "1,2,11,14,16"));
  g_assert_cmpuint (view.n_get, ==, 0);
  g_assert_cmpuint (view.n_ok, ==, 0);
  g_string_free (view.types, TRUE);
  tu_tmpdir_remove (dir);
  tls_conductor_free (c);
}

/* The decrypted bytes of the client's request, as tshark prints them. */
static void
test_tshark_plaintext (void)
{
  TlsConductor *c;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;

  g_test_summary ("tshark -V -x shows the decrypted request line “GET / HTTP/1.0” and the decrypted bytes");
  if (!have_tshark ())
    return;
  c = tu_run_scenario ("ecdhe-rsa");
  dir = tu_tmpdir_new ();
  path = g_build_filename (dir, "run.pcapng", NULL);
  g_assert_true (tls_trace_save_pcapng (tls_conductor_get_trace (c), path, &error));
  {
    const char *const args[] = {
      "-r", path, "-n", "-o", "tls.keylog_file:", "-Y", "http.request", "-V", "-x", NULL,
    };
    run_tshark (args, &out);
  }
  g_assert_nonnull (strstr (out, "GET / HTTP/1.0\\r\\n"));
  g_assert_nonnull (strstr (out, "Hypertext Transfer Protocol"));
  g_assert_nonnull (strstr (out, "Decrypted TLS (18 bytes)"));
  tu_tmpdir_remove (dir);
  tls_conductor_free (c);
}

/* ------------------------------------------------------------------ */
/* HTML handout                                                        */

static gboolean
is_void_element (const char *name)
{
  static const char *const v[] = { "meta", "br", "wbr", "hr", "img", "link", "col", NULL };
  return g_strv_contains (v, name);
}

/* Every tag opened is closed, in order. */
static void
assert_balanced (const char *html)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  const char *p = html;

  while ((p = strchr (p, '<')) != NULL)
    {
      const char *end = strchr (p, '>');
      gboolean closing;
      gsize n = 0;
      g_autofree char *name = NULL;

      g_assert_nonnull (end);
      if (p[1] == '!')
        {
          p = end + 1;
          continue;
        }
      closing = p[1] == '/';
      p += closing ? 2 : 1;
      while (g_ascii_isalnum (p[n]))
        n++;
      g_assert_cmpuint (n, >, 0);
      name = g_ascii_strdown (p, (gssize) n);
      if (closing)
        {
          g_assert_cmpuint (stack->len, >, 0);
          g_assert_cmpstr (g_ptr_array_index (stack, stack->len - 1), ==, name);
          g_ptr_array_remove_index (stack, stack->len - 1);
        }
      else if (!is_void_element (name) && end[-1] != '/')
        g_ptr_array_add (stack, g_steal_pointer (&name));
      p = end + 1;
    }
  g_assert_cmpuint (stack->len, ==, 0);
}

/* No script, and no link or resource outside the page. */
static void
assert_self_contained (const char *html)
{
  const char *p = html;

  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "src="));
  g_assert_null (strstr (html, "@import"));
  g_assert_null (strstr (html, "url("));
  while ((p = strstr (p, "href=\"")) != NULL)
    {
      g_autofree char *anchor = NULL;
      const char *q;

      p += 6;
      g_assert_cmpint (*p, ==, '#');
      q = strchr (p, '"');
      g_assert_nonnull (q);
      anchor = g_strdup_printf ("id=\"%.*s\"", (int) (q - p - 1), p + 1);
      g_assert_nonnull (strstr (html, anchor));   /* the link goes somewhere */
    }
}

/* A trace recorded against a real peer (OpenSSL's s_server), loaded from
 * JSON: the server's steps are observed, the resumption is by ticket, the
 * clock is the real one (0). */
static void
test_real_peer (void)
{
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", "export",
                                                 "openssl-peer-tickets.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsTrace) trace = tls_trace_load_json (file, &error);
  g_autoptr (GBytes) pcapng = NULL;
  g_autofree char *keylog = NULL;
  g_autofree char *html = NULL;
  g_auto (GStrv) lines = NULL;
  Capture cap;

  g_test_summary ("A trace recorded against openssl s_server exports: the streams rebuild, "
                  "the resumed connection borrows the first one's secret, tshark decrypts");
  g_assert_no_error (error);
  keylog = tls_trace_keylog (trace);
  lines = g_strsplit (keylog, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0] + 14 + 65, ==, lines[1] + 14 + 65);   /* same master secret */
  pcapng = tls_trace_to_pcapng (trace);
  read_capture (pcapng, &cap);
  g_assert_cmpstr (cap.secrets, ==, keylog);
  assert_streams_match (trace, &cap);
  capture_clear (&cap);

  html = tls_trace_to_html (trace);
  g_assert_nonnull (strstr (html, "observed from the peer"));
  g_assert_nonnull (strstr (html, "peer 127.0.0.1:14433"));
  g_assert_nonnull (strstr (html, "live run (real clock)"));
  assert_balanced (html);
  assert_self_contained (html);

  if (have_tshark ())
    {
      g_autofree char *dir = tu_tmpdir_new ();
      g_autofree char *path = g_build_filename (dir, "peer.pcapng", NULL);
      g_autofree char *out = NULL;
      g_autofree char *expected = trace_types (trace);
      TsharkView view;

      g_assert_true (tls_trace_save_pcapng (trace, path, &error));
      g_assert_no_error (error);
      out = tshark_fields (path);
      parse_tshark (out, &view);
      g_assert_cmpstr (view.types->str, ==, expected);
      g_assert_cmpstr (view.types->str, ==, "1,2,11,12,14,16,20,4,20,1,2,20,20");
      g_string_free (view.types, TRUE);
      tu_tmpdir_remove (dir);
    }
}

static void
test_html_resumption (void)
{
  TlsConductor *c = tu_run_scenario ("resumption");
  TlsTrace *trace = tls_conductor_get_trace (c);
  g_autofree char *html = tls_trace_to_html (trace);
  int ms = tls_trace_find (trace, TLS_STEP_DERIVATION, "master_secret (extended)");
  g_autofree char *ms_hex = NULL;
  g_autofree char *dir = tu_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "handout.html", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;

  g_test_summary ("The handout of a resumption run: every step's title, the master secret, "
                  "links between steps, balanced tags, no script, nothing external");
  /* the close_notify that ends each connection is a closure, styled neutral */
  g_assert_nonnull (strstr (html, "<span class=\"badge kind-alert outcome-closure\">"));
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n"));
  g_assert_nonnull (strstr (html, "Full handshake, then a resumed one"));
  g_assert_nonnull (strstr (html, "2026-06-01 12:00:00 UTC"));
  g_assert_nonnull (strstr (html, "seed 1"));
  g_assert_nonnull (strstr (html, "@media print"));
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      g_autofree char *title = g_markup_escape_text (s->title, -1);
      g_autofree char *anchor = g_strdup_printf ("id=\"step-%u\"", i);
      g_autofree char *explanation = s->explanation ? g_markup_escape_text (s->explanation, -1) : NULL;

      g_assert_nonnull (strstr (html, title));
      g_assert_nonnull (strstr (html, anchor));
      if (explanation != NULL)
        g_assert_nonnull (strstr (html, explanation));
    }
  g_assert_cmpint (ms, >=, 0);
  ms_hex = hex_of (tls_step_find_output (tls_trace_get (trace, ms), "master_secret")->bytes);
  g_assert_nonnull (strstr (html, ms_hex));
  /* the derivation's inputs link to the steps they came from */
  /* (anchors are step indices; the text numbers steps from 1, as the window does) */
  {
    /* the step the first linked input came from (its index depends on how
     * many chain checks came before) */
    const TlsStep *ms_step = tls_trace_get (trace, ms);
    g_autofree char *link = NULL;

    for (guint k = 0; link == NULL && ms_step->inputs && k < ms_step->inputs->len; k++)
      {
        const TlsTraceValue *in = g_ptr_array_index (ms_step->inputs, k);
        if (in->from_step >= 0)
          link = g_strdup_printf ("<a href=\"#step-%d\">from step %d</a>", in->from_step, in->from_step + 1);
      }
    g_assert_nonnull (link);
    g_assert_nonnull (strstr (html, link));
  }
  /* the field tree of the ClientHello and its coloured hex dump */
  /* (a field name may break only between its words) */
  g_assert_nonnull (strstr (html, ">client_<wbr>version</td>"));
  g_assert_nonnull (strstr (html, "<span class=\"f3\">"));
  g_assert_nonnull (strstr (html, ">GET / HTTP/1.0\r\n\r\n</pre>"));
  g_assert_nonnull (strstr (html, "class=\"badge passed\">PASSED</span>"));
  g_assert_null (strstr (html, "FAILED</span>"));
  assert_balanced (html);
  assert_self_contained (html);

  g_assert_true (tls_trace_save_html (trace, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, html);
  g_assert_cmpuint (tu_tmpdir_count (dir), ==, 1);
  tu_tmpdir_remove (dir);
  tls_conductor_free (c);
}

static void
test_html_failed (gconstpointer data)
{
  TlsConductor *c = tu_run_scenario (data);
  g_autofree char *html = tls_trace_to_html (tls_conductor_get_trace (c));

  g_test_summary ("A run that fails: a FAILED badge, the alert, still well-formed");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_nonnull (strstr (html, "class=\"badge failed\">FAILED</span>"));
  g_assert_nonnull (strstr (html, "<span class=\"badge kind-alert outcome-fatal\">alert</span>"));
  assert_balanced (html);
  assert_self_contained (html);
  tls_conductor_free (c);
}

static void
test_html_escaping (void)
{
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autofree char *html = NULL;
  TlsStep *s;

  g_test_summary ("Text from the trace is escaped");
  tls_trace_set_meta (trace, "scenario.title", "<script>alert(1)</script>");
  s = tls_trace_add (trace, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "a <b> & \"c\"");
  s->subject = g_strdup ("</td></tr></table>");
  s->result = TLS_CHECK_NOT_CHECKED;
  tls_step_set_reason (s, "x < y");
  tls_trace_commit (trace, s);
  s = tls_trace_add (trace, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "pick");
  tls_step_add_option (s, "<one>");
  tls_step_add_option (s, "two");
  s->choice = g_strdup ("<one>");
  tls_trace_commit (trace, s);
  html = tls_trace_to_html (trace);
  g_assert_null (strstr (html, "<script"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  g_assert_nonnull (strstr (html, "a &lt;b&gt; &amp; &quot;c&quot;"));
  g_assert_nonnull (strstr (html, "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;"));
  g_assert_nonnull (strstr (html, "class=\"badge not-checked\">NOT CHECKED</span>"));
  g_assert_nonnull (strstr (html, "<li class=\"chosen\">&lt;one&gt; ✔</li>"));
  g_assert_nonnull (strstr (html, "live run (real clock)"));
  assert_balanced (html);
  assert_self_contained (html);
}

int
main (int argc, char **argv)
{
  static const char *const tshark_scenarios[] = {
    "resumption", "ecdhe-rsa", "cbc", "tls10", "tickets", "tls13-resumption", "tls13-psk-ke",
    "tls13-0rtt",   /* the request as 0-RTT data: decrypted with CLIENT_EARLY_TRAFFIC_SECRET */
  };
  static const char *const structure_scenarios[] = {
    "resumption", "tickets", "client-auth", "bad-finished", "dhe-rsa",
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/keylog/resumption", test_keylog_resumption);
  g_test_add_func ("/export/keylog/none", test_keylog_none);
  for (guint i = 0; i < G_N_ELEMENTS (structure_scenarios); i++)
    {
      g_autofree char *p = g_strdup_printf ("/export/pcapng/structure/%s", structure_scenarios[i]);
      g_test_add_data_func (p, structure_scenarios[i], test_pcapng_structure);
    }
  g_test_add_func ("/export/pcapng/coalesced", test_pcapng_coalesced);
  g_test_add_func ("/export/pcapng/save", test_pcapng_save);
  g_test_add_func ("/export/pcapng/bad-path", test_pcapng_bad_path);
  for (guint i = 0; i < G_N_ELEMENTS (tshark_scenarios); i++)
    {
      g_autofree char *p = g_strdup_printf ("/export/pcapng/tshark/%s", tshark_scenarios[i]);
      g_test_add_data_func (p, tshark_scenarios[i], test_tshark);
    }
  g_test_add_func ("/export/pcapng/tshark-without-secrets", test_tshark_without_secrets);
  g_test_add_func ("/export/pcapng/tshark-plaintext", test_tshark_plaintext);
  g_test_add_func ("/export/real-peer", test_real_peer);
  g_test_add_func ("/export/html/resumption", test_html_resumption);
  g_test_add_data_func ("/export/html/bad-finished", "bad-finished", test_html_failed);
  g_test_add_func ("/export/html/escaping", test_html_escaping);

  return g_test_run ();
}
