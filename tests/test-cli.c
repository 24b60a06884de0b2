/* test-cli.c — the handshake-lab program: exit codes, usage errors that name
 * the problem, `run`, and `serve` with our own `connect` over 127.0.0.1.
 * The program's path comes in $HANDSHAKE_LAB. */
#include <string.h>
#include <glib/gstdio.h>

#include "interop-peers.h"
#include "tls-scenario.h"
#include "tls-trace-json.h"

#include <signal.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#define TIMEOUT_MS IOP_TIMEOUT_MS

static const char *program;

#define run_lab(r, ...) iop_run_program ((r), program, TIMEOUT_MS, __VA_ARGS__)

static void
assert_usage_error (IopResult *r, const char *mentions)
{
  if (r->status != 2 || strstr (r->errors, mentions) == NULL)
    g_test_message ("stdout:\n%s\nstderr:\n%s", r->output, r->errors);
  g_assert_cmpint (r->status, ==, 2);
  g_assert_nonnull (strstr (r->errors, mentions));
}

static char *
pki (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "pki", name, NULL);
}

/* ------------------------------------------------------------------ */

static void
test_help (void)
{
  IopResult r;

  g_test_summary ("--help lists the commands, --version prints the version");
  run_lab (&r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  for (const char *const *c = (const char *const[]) { "run", "connect", "serve", "verify", NULL };
       *c; c++)
    g_assert_nonnull (strstr (r.output, *c));
  iop_result_clear (&r);

  run_lab (&r, "--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.output, "handshake-lab "));
  iop_result_clear (&r);

  run_lab (&r, "serve", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "--count"));
  iop_result_clear (&r);
}

static void
test_usage_command (void)
{
  IopResult r;

  g_test_summary ("An unknown command or option exits 2 and names it");
  run_lab (&r, "frobnicate", NULL);
  assert_usage_error (&r, "frobnicate");
  iop_result_clear (&r);

  run_lab (&r, "run", "--frobnicate", NULL);
  assert_usage_error (&r, "--frobnicate");
  iop_result_clear (&r);

  run_lab (&r, "connect", NULL);
  assert_usage_error (&r, "HOST:PORT");
  iop_result_clear (&r);

  run_lab (&r, "run", "--seed", "many", NULL);
  assert_usage_error (&r, "many");
  iop_result_clear (&r);

  run_lab (&r, "connect", "127.0.0.1:9", "--version", "1.4", NULL);
  assert_usage_error (&r, "1.4");
  iop_result_clear (&r);

  run_lab (&r, "serve", "--version", "ssl3", NULL);
  assert_usage_error (&r, "ssl3");
  iop_result_clear (&r);

  run_lab (&r, "serve", "--client-ca", "x.pem", NULL);
  assert_usage_error (&r, "--client-ca");
  iop_result_clear (&r);

  run_lab (&r, "serve", "--verify-client", "--request-client-cert", NULL);
  assert_usage_error (&r, "--request-client-cert");
  iop_result_clear (&r);
}

static void
test_usage_suite (void)
{
  IopResult r;

  g_test_summary ("An unknown suite exits 2, names it and lists the valid names, the TLS 1.3 "
                  "suites among them; a TLS 1.3 suite is accepted and runs TLS 1.3");
  run_lab (&r, "connect", "127.0.0.1:9", "--suite", "TLS_RSA_WITH_NOPE", NULL);
  assert_usage_error (&r, "TLS_RSA_WITH_NOPE");
  g_assert_nonnull (strstr (r.errors, "TLS_RSA_WITH_AES_128_GCM_SHA256"));
  iop_result_clear (&r);

  run_lab (&r, "serve", "--suite", "TLS_RSA_WITH_AES_128_CBC_SHA,AES128-SHA", NULL);
  assert_usage_error (&r, "AES128-SHA");
  g_assert_nonnull (strstr (r.errors, "TLS_RSA_WITH_AES_256_CBC_SHA"));
  g_assert_nonnull (strstr (r.errors, "TLS_AES_128_GCM_SHA256"));
  iop_result_clear (&r);

  run_lab (&r, "run", "--version", "1.3", "--groups", "secp384r1", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "TLS 1.3  TLS_AES_128_GCM_SHA256"));
  iop_result_clear (&r);

  run_lab (&r, "run", "--version", "1.3", "--groups", "ffdhe9999", NULL);
  assert_usage_error (&r, "ffdhe9999");
  iop_result_clear (&r);
}

static void
test_usage_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-cli-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
  g_autofree char *key = pki ("server-rsa.key");
  g_autofree char *scenario = g_build_filename (dir, "missing.scenario", NULL);
  IopResult r;

  g_test_summary ("A missing file exits 2 and names the file");
  run_lab (&r, "serve", "--cert", missing, "--key", key, "--count", "1", NULL);
  assert_usage_error (&r, missing);
  iop_result_clear (&r);

  run_lab (&r, "connect", "127.0.0.1:9", "--ca", missing, NULL);
  assert_usage_error (&r, missing);
  iop_result_clear (&r);

  run_lab (&r, "run", "--scenario", scenario, NULL);
  assert_usage_error (&r, scenario);
  iop_result_clear (&r);

  run_lab (&r, "serve", "--cert", key, NULL);
  assert_usage_error (&r, "--key");
  iop_result_clear (&r);

  run_lab (&r, "verify", "--trust", missing, key, NULL);
  assert_usage_error (&r, missing);
  iop_result_clear (&r);

  run_lab (&r, "verify", key, NULL);
  assert_usage_error (&r, "--trust");
  iop_result_clear (&r);

  {
    g_autofree char *out = g_build_filename (dir, "no-such-folder", "trace.json", NULL);
    run_lab (&r, "run", "--trace-json", out, NULL);
    assert_usage_error (&r, out);
    iop_result_clear (&r);
  }

  g_rmdir (dir);
}

static void
test_usage_address (void)
{
  IopResult r;

  g_test_summary ("A bad address or port exits 2 and names it");
  run_lab (&r, "connect", "127.0.0.1:99999", NULL);
  assert_usage_error (&r, "99999");
  iop_result_clear (&r);

  run_lab (&r, "connect", "127.0.0.1:0", NULL);
  assert_usage_error (&r, "127.0.0.1:0");
  iop_result_clear (&r);

  run_lab (&r, "connect", "localhost:https", NULL);
  assert_usage_error (&r, "localhost:https");
  iop_result_clear (&r);

  run_lab (&r, "serve", "--listen", "127.0.0.1:-4", NULL);
  assert_usage_error (&r, "127.0.0.1:-4");
  iop_result_clear (&r);
}

static void
test_usage_scenario (void)
{
  IopResult r;

  g_test_summary ("An unknown scenario exits 2 and lists the scenarios");
  run_lab (&r, "run", "--scenario", "no-such-scenario", NULL);
  assert_usage_error (&r, "no-such-scenario");
  g_assert_nonnull (strstr (r.errors, "resumption"));
  iop_result_clear (&r);

  run_lab (&r, "run", "--list-scenarios", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "resumption"));
  g_assert_nonnull (strstr (r.output, "full"));
  iop_result_clear (&r);
}

static void
test_connect_refused (void)
{
  g_autofree char *addr = g_strdup_printf ("127.0.0.1:%u", iop_free_port ());
  IopResult r;

  g_test_summary ("Nobody listening: exit 1 with the reason");
  run_lab (&r, "connect", addr, "--timeout", "2000", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.errors, "cannot connect"));
  iop_result_clear (&r);
}

static guint
count_substr (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static guint
count_lines (const char *text, const char *a, const char *b)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], a) != NULL && (b == NULL || strstr (lines[i], b) != NULL))
      n++;
  return n;
}

static void
test_run_default (void)
{
  IopResult r;

  g_test_summary ("run prints the steps of the default (classic) scenario, a full and a resumed "
                  "handshake, and exits 0");
  run_lab (&r, "run", NULL);
  if (r.status != 0)
    g_test_message ("stdout:\n%s\nstderr:\n%s", r.output, r.errors);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count_substr (r.output, "ClientHello"), >=, 2);
  g_assert_cmpuint (count_substr (r.output, "ServerHello"), >=, 2);
  g_assert_cmpuint (count_substr (r.output, "ClientKeyExchange"), >=, 1);
  g_assert_cmpuint (count_substr (r.output, "Finished"), >=, 4);
  g_assert_nonnull (strstr (r.output, "master_secret"));
  g_assert_true (g_str_has_prefix (r.output, "# scenario classic,"));
  g_assert_null (strstr (r.output, "master_secret (extended)"));   /* the notes' formula */
  g_assert_cmpstr (r.errors, ==, "");
  iop_result_clear (&r);

  /* --brief: a line a step, the same steps. */
  run_lab (&r, "run", "--brief", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count_substr (r.output, "ClientHello"), ==, 2);
  g_assert_cmpuint (count_substr (r.output, "\n"), <, 120);
  iop_result_clear (&r);
}

static void
test_no_arguments (void)
{
  IopResult r;

  g_test_summary ("Without arguments and without a display: the classic scenario, printed");
  run_lab (&r, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.output, "# scenario classic,"));
  g_assert_cmpuint (count_substr (r.output, "ClientHello"), >=, 2);
  iop_result_clear (&r);
}

static void
test_run_json (void)
{
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trace.json", NULL);
  g_autoptr (TlsTrace) trace = NULL;
  g_autoptr (GError) error = NULL;
  gboolean cke[2] = { FALSE, FALSE }, hello[2] = { FALSE, FALSE };
  IopResult r;

  g_test_summary ("run --trace-json writes a trace that loads back: a full handshake "
                  "(connection 0) and a resumed one without ClientKeyExchange (connection 1)");
  run_lab (&r, "run", "--scenario", "resumption", "--seed", "7", "--trace-json", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  iop_result_clear (&r);

  trace = tls_trace_load_json (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (trace);
  g_assert_cmpuint (tls_trace_len (trace), >, 20);
  g_assert_cmpstr (trace->scenario, ==, "resumption");
  g_assert_cmpuint (trace->seed, ==, 7);
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *st = tls_trace_get (trace, i);
      g_assert_cmpuint (st->connection, <=, 1);
      if (st->kind != TLS_STEP_MESSAGE)
        continue;
      if (g_strcmp0 (st->title, "ClientKeyExchange") == 0)
        cke[st->connection] = TRUE;
      if (g_strcmp0 (st->title, "ClientHello") == 0)
        hello[st->connection] = TRUE;
    }
  g_assert_true (hello[0] && hello[1]);
  g_assert_true (cke[0]);
  g_assert_false (cke[1]);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_run_exports (void)
{
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-cli-XXXXXX", NULL);
  g_autofree char *pcap = g_build_filename (dir, "run.pcapng", NULL);
  g_autofree char *keys = g_build_filename (dir, "run.keys", NULL);
  g_autofree char *html = g_build_filename (dir, "run.html", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "x.html", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  gsize len;
  guint32 magic;
  IopResult r;

  g_test_summary ("run --pcapng, --keylog and --html write the capture, the NSS key log and the "
                  "handout; an output in a missing folder is a usage error");
  run_lab (&r, "run", "--scenario", "resumption", "--pcapng", pcap, "--keylog", keys,
           "--html", html, NULL);
  g_assert_cmpint (r.status, ==, 0);
  iop_result_clear (&r);

  /* pcapng: a Section Header Block first. */
  g_assert_true (g_file_get_contents (pcap, &text, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  memcpy (&magic, text, 4);
  g_assert_cmphex (GUINT32_FROM_LE (magic), ==, 0x0A0D0D0A);
  g_clear_pointer (&text, g_free);

  /* Two connections, one line each: CLIENT_RANDOM <64 hex> <96 hex>. */
  g_assert_true (g_file_get_contents (keys, &text, NULL, NULL));
  lines = g_strsplit (g_strstrip (text), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], " ", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 3);
      g_assert_cmpstr (f[0], ==, "CLIENT_RANDOM");
      g_assert_cmpuint (strlen (f[1]), ==, 64);
      g_assert_cmpuint (strlen (f[2]), ==, 96);
    }
  g_clear_pointer (&text, g_free);

  g_assert_true (g_file_get_contents (html, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<html"));
  g_assert_nonnull (strstr (text, "ClientKeyExchange"));
  g_assert_null (strstr (text, "<script"));

  run_lab (&r, "run", "--html", missing, NULL);
  assert_usage_error (&r, "no-such-folder");
  iop_result_clear (&r);

  g_unlink (pcap);
  g_unlink (keys);
  g_unlink (html);
  g_rmdir (dir);
}

static void
test_run_scenario_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "mine.scenario", NULL);
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("full");
  g_autoptr (GError) error = NULL;
  IopResult r;

  g_test_summary ("run --scenario takes the path of a scenario key file");
  g_free (sc->name);
  sc->name = g_strdup ("mine");
  g_assert_true (tls_scenario_save (sc, path, &error));
  g_assert_no_error (error);
  run_lab (&r, "run", "--scenario", path, "--brief", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count_substr (r.output, "ClientHello"), ==, 1);
  iop_result_clear (&r);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_run_failure (void)
{
  IopResult r;

  g_test_summary ("A run that ends in an alert exits 1 and prints the alert and its reason");
  run_lab (&r, "run", "--scenario", "no-common-suite", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.errors, "handshake_failure"));
  iop_result_clear (&r);
}

static gboolean
start_serve (IopServer *server, const char *count, const char *timeout)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { program, "serve", "--listen", "127.0.0.1:@PORT@", "--count", count,
                         "--quiet", "--timeout", timeout, NULL };
  gboolean ok = iop_server_start (server, argv, TIMEOUT_MS, &error);

  g_assert_no_error (error);
  return ok;
}

static void
test_serve_connect (void)
{
  IopServer server;
  g_autofree char *addr = NULL;
  g_autofree char *out = NULL;
  IopResult r, t;
  int status = -1;

  g_test_summary ("Our client with our server over 127.0.0.1: a full handshake, then one "
                  "resumed by session ID; again, resumed by ticket; both sides exit 0");
  g_assert_true (start_serve (&server, "4", "10000"));
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  run_lab (&r, "connect", addr, "--servername", "localhost", "--reconnect", "--no-tickets",
           "--quiet", NULL);
  run_lab (&t, "connect", addr, "--servername", "localhost", "--reconnect", "--quiet", NULL);
  if (!iop_server_wait (&server, TIMEOUT_MS, &status))
    g_test_message ("serve did not exit");
  out = iop_server_output (&server);
  if (r.status != 0 || t.status != 0 || status != 0)
    g_test_message ("connect:\n%s%s\nconnect:\n%s%s\nserve:\n%s", r.output, r.errors,
                    t.output, t.errors, out);
  iop_server_stop (&server);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count_lines (r.output, "#1 ", "  new session  completed  EMS"), ==, 1);
  g_assert_cmpuint (count_lines (r.output, "#2 ", "  resumed  completed"), ==, 1);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_cmpuint (count_lines (t.output, "#2 ", "ticket"), ==, 1);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_lines (out, "#", "  completed"), ==, 4);
  g_assert_cmpuint (count_lines (out, "  resumed  ", "SNI=localhost"), ==, 1);
  iop_result_clear (&r);
  iop_result_clear (&t);
}

/* Issue 10: run --quiet exists; a failed handshake's line says what
 * failed, never "? ?". */
static void
test_run_quiet (void)
{
  IopResult r;

  g_test_summary ("run --quiet prints one line a handshake; a failed one says what failed");
  run_lab (&r, "run", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count_lines (r.output, "#1 ", "completed"), ==, 1);
  g_assert_null (strstr (r.output, "Why:"));
  iop_result_clear (&r);

  run_lab (&r, "run", "--quiet", "--scenario", "fallback-scsv", NULL);
  g_test_message ("%s", r.output);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_null (strstr (r.output, "? ?"));
  g_assert_null (strstr (r.output, "  ?  "));
  g_assert_cmpuint (count_lines (r.output, "#1 ", "inappropriate_fallback"), ==, 1);
  iop_result_clear (&r);
}

/* Issue 10: a peer that speaks plain HTTP is named as such, on both sides. */
static void
test_http_peer (void)
{
  g_autofree char *python = iop_find_program ("python3");
  g_autofree char *addr = NULL;
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  IopServer server;
  IopResult r;
  int status = -1;

  g_test_summary ("connect to a plain HTTP server, and a plain HTTP request to serve: the "
                  "error says it looks like HTTP, not TLS");
  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return;
    }
  {
    const char *argv[] = { python, "-m", "http.server", "--bind", "127.0.0.1", "@PORT@", NULL };
    g_assert_true (iop_server_start (&server, argv, TIMEOUT_MS, &error));
    g_assert_no_error (error);
  }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  run_lab (&r, "connect", addr, "--quiet", NULL);
  iop_server_stop (&server);
  g_test_message ("%s\n%s", r.output, r.errors);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.errors, "this looks like HTTP, not TLS"));
  iop_result_clear (&r);

  g_assert_true (start_serve (&server, "1", "10000"));
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", server.port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                             "GET / HTTP/1.0\r\n\r\n", 18, NULL, NULL, &error);
  g_assert_no_error (error);
  iop_server_wait (&server, TIMEOUT_MS, &status);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "this looks like HTTP, not TLS"));
}

/* The README's example: OpenSSL's s_client -reconnect connects six times
 * (one full handshake and five resumptions), so serve needs --count 6. */
static void
test_readme_reconnect (void)
{
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *addr = NULL;
  g_autofree char *out = NULL;
  g_autofree char *readme = NULL;
  g_autofree char *readme_path = g_test_build_filename (G_TEST_DIST, "..", "README.md", NULL);
  g_autoptr (GError) error = NULL;
  IopServer server;
  IopResult r;
  int status = -1;

  g_test_summary ("README: serve --count 6 with openssl s_client -reconnect ends with six "
                  "handshakes, five of them resumed, and exit 0");
  g_assert_true (g_file_get_contents (readme_path, &readme, NULL, &error));
  g_assert_nonnull (strstr (readme, "handshake-lab serve --count 6 "));
  g_assert_null (strstr (readme, "serve --count 2 &"));
  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  g_assert_true (start_serve (&server, "6", "10000"));
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  {
    const char *argv[] = { openssl, "s_client", "-connect", addr, "-reconnect", "-no_ticket", NULL };
    g_assert_true (iop_run (argv, "", TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  if (!iop_server_wait (&server, TIMEOUT_MS, &status))
    g_test_message ("serve did not exit");
  out = iop_server_output (&server);
  iop_server_stop (&server);
  g_test_message ("serve:\n%s", out);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_lines (out, "#", "  completed"), ==, 6);
  g_assert_cmpuint (count_lines (out, "#", "  resumed  "), ==, 5);
  iop_result_clear (&r);
}

/* Issue 13: serve --www answers a request whose lines end in a bare LF as
 * it answers one ended by CRLF, once the request line and headers are in
 * (s_client -quiet waits for the server to close: without an answer the
 * server gives up after its --timeout and the output has no response). */
static void
test_serve_www_bare_lf (void)
{
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *addr = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { program, "serve", "--listen", "127.0.0.1:@PORT@", "--count", "2",
                         "--www", "--quiet", "--timeout", "4000", NULL };
  const char *requests[] = { "GET / HTTP/1.0\n\n", "GET / HTTP/1.0\r\nHost: x\r\n\r\n" };
  IopServer server;
  int status = -1;

  g_test_summary ("serve --www answers a request ended by bare LFs and one ended by CRLFs");
  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  g_assert_true (iop_server_start (&server, argv, TIMEOUT_MS, &error));
  g_assert_no_error (error);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      const char *client[] = { openssl, "s_client", "-quiet", "-connect", addr, NULL };
      IopResult r;
      gint64 start = g_get_monotonic_time ();

      g_assert_true (iop_run (client, requests[i], TIMEOUT_MS, &r, &error));
      g_assert_no_error (error);
      g_test_message ("request %u answered after %" G_GINT64_FORMAT " ms:\n%s", i,
                      (g_get_monotonic_time () - start) / 1000, r.output);
      g_assert_nonnull (strstr (r.output, "HTTP/1.0 200 ok\r\n"));
      g_assert_nonnull (strstr (r.output, "</html>"));
      iop_result_clear (&r);
    }
  g_assert_true (iop_server_wait (&server, TIMEOUT_MS, &status));
  iop_server_stop (&server);
  g_assert_cmpint (status, ==, 0);
}

static void
test_serve_json (void)
{
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "serve.json", NULL);
  g_autofree char *addr = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsTrace) trace = NULL;
  const char *argv[] = { program, "serve", "--listen", "127.0.0.1:@PORT@", "--count", "1",
                         "--quiet", "--trace-json", path, NULL };
  IopServer server;
  IopResult r;
  int status = -1;
  guint observed = 0;

  g_test_summary ("serve --trace-json writes the handshake's trace, with the client's "
                  "messages recorded as observed");
  g_assert_true (iop_server_start (&server, argv, TIMEOUT_MS, &error));
  g_assert_no_error (error);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  run_lab (&r, "connect", addr, "--quiet", NULL);
  iop_result_clear (&r);
  g_assert_true (iop_server_wait (&server, TIMEOUT_MS, &status));
  iop_server_stop (&server);

  trace = tls_trace_load_json (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tls_trace_get_meta (trace, "command"), ==, "serve");
  g_assert_nonnull (tls_trace_get_meta (trace, "peer"));
  for (guint i = 0; i < tls_trace_len (trace); i++)
    if (tls_trace_get (trace, i)->observed)
      observed++;
  g_assert_cmpint (tls_trace_find (trace, TLS_STEP_MESSAGE, "ClientHello"), >=, 0);
  g_assert_cmpuint (observed, >, 0);
  g_unlink (path);
  g_rmdir (dir);
}

/* Our server with a bad certificate; our client refuses it, or with
 * --insecure goes on and the trace shows the failed check. */
static void
test_connect_insecure (void)
{
  g_autofree char *chain = pki ("expired-chain.pem");
  g_autofree char *key = pki ("expired.key");
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-cli-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (dir, "insecure.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsTrace) trace = NULL;
  const char *argv[] = { program, "serve", "--listen", "127.0.0.1:@PORT@", "--count", "2",
                         "--quiet", "--cert", chain, "--key", key, NULL };
  g_autofree char *addr = NULL;
  IopServer server;
  IopResult r;
  int status = -1;
  gboolean failed_check = FALSE;

  g_test_summary ("An expired server certificate: connect refuses it with certificate_expired "
                  "(exit 1); with --insecure it completes and the trace shows the failed check");
  g_assert_true (iop_server_start (&server, argv, TIMEOUT_MS, &error));
  g_assert_no_error (error);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);

  run_lab (&r, "connect", addr, "--servername", "localhost", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.errors, "certificate_expired"));
  iop_result_clear (&r);

  run_lab (&r, "connect", addr, "--servername", "localhost", "--quiet", "--insecure",
           "--trace-json", json, NULL);
  g_assert_cmpint (r.status, ==, 0);
  iop_result_clear (&r);
  g_assert_true (iop_server_wait (&server, TIMEOUT_MS, &status));
  iop_server_stop (&server);

  trace = tls_trace_load_json (json, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *st = tls_trace_get (trace, i);
      if (st->kind == TLS_STEP_CHECK && st->result == TLS_CHECK_FAILED)
        failed_check = TRUE;
    }
  g_assert_true (failed_check);
  g_unlink (json);
  g_rmdir (dir);
}

static void
test_serve_signal (void)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { program, "serve", "--listen", "127.0.0.1:@PORT@", "--quiet", NULL };
  g_autofree char *addr = NULL;
  IopServer server;
  IopResult r;
  int status = -1;

  g_test_summary ("serve without --count runs until SIGTERM, then stops cleanly with exit 0");
  g_assert_true (iop_server_start (&server, argv, TIMEOUT_MS, &error));
  g_assert_no_error (error);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  run_lab (&r, "connect", addr, "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  iop_result_clear (&r);
  g_subprocess_send_signal (server.proc, SIGTERM);
  g_assert_true (iop_server_wait (&server, 5000, &status));
  iop_server_stop (&server);
  g_assert_cmpint (status, ==, 0);
}

static void
test_serve_slow_client (void)
{
  IopServer server;
  g_autofree char *addr = NULL;
  g_autofree char *out = NULL;
  struct sockaddr_in sa = { 0 };
  int silent, status = -1;

  g_test_summary ("A silent client times out and never holds up the others");
  /* 8 s: long enough for two handshakes on a loaded machine under ASan. */
  g_assert_true (start_serve (&server, "3", "8000"));
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);

  /* Connects and says nothing. */
  silent = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sa.sin_family = AF_INET;
  sa.sin_port = htons (server.port);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (silent, (struct sockaddr *) &sa, sizeof sa), ==, 0);

  for (int i = 0; i < 2; i++)
    {
      IopResult r;

      run_lab (&r, "connect", addr, "--quiet", NULL);
      if (r.status != 0)
        g_test_message ("connect:\n%s%s", r.output, r.errors);
      g_assert_cmpint (r.status, ==, 0);
      iop_result_clear (&r);
    }
  /* The server ends after the silent client times out: 2 of 3 completed. */
  g_assert_true (iop_server_wait (&server, TIMEOUT_MS, &status));
  out = iop_server_output (&server);
  close (silent);
  iop_server_stop (&server);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpuint (count_lines (out, "#", "  completed"), ==, 2);
  g_assert_cmpuint (count_lines (out, "#", "failed: "), ==, 1);
  /* serve prints a connection's line when it ends: both handshakes ended
     before the silent client's time-out did, so they were not held up. */
  {
    const char *failed = strstr (out, "failed: ");
    const char *completed = g_strrstr (out, "  completed");

    g_assert_nonnull (failed);
    g_assert_nonnull (completed);
    if (completed > failed)
      g_test_message ("serve's lines:\n%s", out);
    g_assert_true (completed < failed);
  }
}

/* ------------------------------------------------------------------ */
/* verify: every case of the demo PKI, and agreement with openssl verify  */

typedef struct
{
  const char *name;        /* NAME: NAME.crt, NAME-chain.pem */
  const char *purpose;     /* "server" or "client" */
  const char *alerts;      /* NULL: valid; else the acceptable alerts, "a|b" */
} VerifyCase;

static const VerifyCase verify_cases[] = {
  { "server-rsa", "server", NULL },
  { "server-dsa", "server", NULL },
  { "server-ecdsa", "server", NULL },
  { "client-rsa", "client", NULL },
  { "client-ecdsa", "client", NULL },
  { "out-of-order", "server", NULL },
  { "expired", "server", "certificate_expired" },
  { "not-yet-valid", "server", "certificate_expired|bad_certificate" },
  { "wrong-host", "server", "bad_certificate" },
  { "untrusted", "server", "unknown_ca" },
  { "bad-signature", "server", "bad_certificate" },
  { "intermediate-not-ca", "server", "bad_certificate|unknown_ca" },
  { "wrong-key-usage", "server", "unsupported_certificate" },
  { "missing-intermediate", "server", "unknown_ca" },
  { "unknown-critical-ext", "server", "unsupported_certificate|bad_certificate" },
};

static void
test_verify_case (gconstpointer data)
{
  const VerifyCase *vc = data;
  g_autofree char *crt_name = g_strdup_printf ("%s.crt", vc->name);
  g_autofree char *chain_name = g_strdup_printf ("%s-chain.pem", vc->name);
  g_autofree char *crt = pki (crt_name);
  g_autofree char *chain = pki (chain_name);
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *openssl = iop_find_program ("openssl");
  gboolean server = g_str_equal (vc->purpose, "server");
  IopResult r;

  g_test_summary ("verify gives each demo PKI case its verdict and alert, at the scenario "
                  "clock, with the chain as a server sends it; openssl verify agrees");
  if (!g_file_test (chain, G_FILE_TEST_EXISTS))
    {
      g_free (chain);
      chain = pki ("ca/intermediate.crt");
    }
  run_lab (&r, "verify", "--trust", root, "--untrusted", chain, "--time", "1780315200",
           "--purpose", vc->purpose, server ? "--host" : crt, server ? "localhost" : NULL,
           server ? crt : NULL, NULL);
  g_test_message ("stdout:\n%s\nstderr:\n%s", r.output, r.errors);
  if (vc->alerts == NULL)
    {
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.output, "Valid"));
    }
  else
    {
      g_auto (GStrv) alerts = g_strsplit (vc->alerts, "|", -1);
      gboolean named = FALSE;

      g_assert_cmpint (r.status, ==, 1);
      for (guint i = 0; alerts[i] != NULL; i++)
        named |= strstr (r.errors, alerts[i]) != NULL;
      g_assert_true (named);
      /* The failing check is printed with its reason. */
      g_assert_nonnull (strstr (r.output, "FAILED"));
    }

  /* The same files through openssl verify: the same verdict. */
  if (openssl != NULL)
    {
      g_autoptr (GError) error = NULL;
      IopResult o;
      const char *argv[] = { openssl, "verify", "-CAfile", root, "-untrusted", chain,
                             "-attime", "1780315200",
                             "-purpose", server ? "sslserver" : "sslclient",
                             server ? "-verify_hostname" : crt, server ? "localhost" : NULL,
                             server ? crt : NULL, NULL };
      g_assert_true (iop_run (argv, NULL, TIMEOUT_MS, &o, &error));
      g_test_message ("openssl verify (exit %d): %s", o.status, o.output);
      g_assert_cmpint (o.status == 0, ==, r.status == 0);
      iop_result_clear (&o);
    }
  iop_result_clear (&r);
}

static void
test_verify_out_of_order (void)
{
  g_autofree char *chain = pki ("out-of-order-chain.pem");
  g_autofree char *root = pki ("ca/root.crt");
  IopResult r;

  g_test_summary ("verify builds the path from a chain file whose intermediate comes first, and "
                  "names the end entity it validated");
  run_lab (&r, "verify", "--trust", root, "--time", "1780315200", "--host", "localhost", chain, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "Valid: CN=server.handshake-lab.test"));
  iop_result_clear (&r);
}

/* Issue 10: --untrusted is a pool, not a sequence: no order complaint;
 * a chain received out of order is told apart from RFC 5246's rule and
 * RFC 8446's relaxation. */
static void
test_verify_untrusted_pool (void)
{
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *inter = pki ("ca/intermediate.crt");
  g_autofree char *crt = pki ("server-rsa.crt");
  g_autofree char *chain = pki ("out-of-order-chain.pem");
  IopResult r;

  g_test_summary ("verify: intermediates given with --untrusted raise no order complaint; a chain "
                  "received out of order cites RFC 5246 7.4.2 and RFC 8446 4.4.2 apart");
  run_lab (&r, "verify", "--trust", root, "--untrusted", inter, "--time", "1780315200", crt, NULL);
  g_test_message ("%s", r.output);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.output, "order"));
  iop_result_clear (&r);

  run_lab (&r, "verify", "--trust", root, "--time", "1780315200", chain, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "not come in the order RFC 5246, 7.4.2 asks for"));
  g_assert_nonnull (strstr (r.output, "RFC 8446, 4.4.2"));
  g_assert_null (strstr (r.output, "any order"));
  iop_result_clear (&r);
}

static void
test_verify_usage (void)
{
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *crt = pki ("server-rsa.crt");
  IopResult r;

  g_test_summary ("verify: bad --purpose or --time is a usage error; an empty --untrusted "
                  "file is allowed");
  run_lab (&r, "verify", "--trust", root, "--purpose", "mail", crt, NULL);
  assert_usage_error (&r, "mail");
  iop_result_clear (&r);

  run_lab (&r, "verify", "--trust", root, "--time", "yesterday", crt, NULL);
  assert_usage_error (&r, "yesterday");
  iop_result_clear (&r);

  /* An empty intermediate set: the leaf alone does not reach the root. */
  run_lab (&r, "verify", "--trust", root, "--untrusted", "/dev/null", crt, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.errors, "unknown_ca"));
  iop_result_clear (&r);

  run_lab (&r, "verify", "--trust", root, "--time", "2026-06-01T12:00:00Z", crt, crt, NULL);
  assert_usage_error (&r, "unexpected");
  iop_result_clear (&r);
}

/* verify --policy and --kx (issue 14): the rule and its section named in
 * the refusal, the policy printed, the paths tried shown. */
static void
test_verify_policy (void)
{
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *no_san = pki ("rules/no-san-chain.pem");
  g_autofree char *dsa = pki ("server-dsa-chain.pem");
  g_autofree char *two = pki ("rules/ca/two-trusted-roots.pem");
  g_autofree char *cross = pki ("rules/cross-signed-chain.pem");
  IopResult r;

  g_test_summary ("verify --policy web refuses a server certificate without subjectAltName naming "
                  "the Baseline Requirements section, --policy rfc5280 accepts it through the CN; "
                  "--kx RSA refuses a DSA key; the paths tried are printed; bad values are usage errors");
  if (!g_file_test (no_san, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("data/pki/rules is not there");
      return;
    }
  run_lab (&r, "verify", "--trust", root, "--time", "1780315200", "--host", "localhost", no_san, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.output, "Policy: web"));
  g_assert_nonnull (strstr (r.errors, "[rule: CA/Browser Forum Baseline Requirements, 7.1.4.2.1; policy web]"));
  iop_result_clear (&r);

  run_lab (&r, "verify", "--trust", root, "--time", "1780315200", "--host", "localhost", "--policy", "rfc5280",
           no_san, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "Policy: rfc5280"));
  g_assert_nonnull (strstr (r.output, "the CN was used"));
  iop_result_clear (&r);

  run_lab (&r, "verify", "--trust", root, "--time", "1780315200", "--kx", "RSA", dsa, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.errors, "unsupported_certificate"));
  g_assert_nonnull (strstr (r.errors, "[rule: RFC 5246, 7.4.2; policy web]"));
  iop_result_clear (&r);

  run_lab (&r, "verify", "--trust", two, "--time", "1780315200", "--host", "localhost", cross, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "path 1 tried:"));
  g_assert_nonnull (strstr (r.output, "dropped: Name constraints"));
  g_assert_nonnull (strstr (r.output, "path 2 tried:"));
  iop_result_clear (&r);

  run_lab (&r, "verify", "--trust", root, "--policy", "browser", no_san, NULL);
  assert_usage_error (&r, "browser");
  iop_result_clear (&r);
  run_lab (&r, "verify", "--trust", root, "--kx", "PSK", no_san, NULL);
  assert_usage_error (&r, "PSK");
  iop_result_clear (&r);
}

/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* --notes FILE (run, open)                                            */

static void
test_notes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-cli-XXXXXX", NULL);
  g_autofree char *notes = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.txt", NULL);
  g_autofree char *json = g_build_filename (dir, "trace.json", NULL);
  g_autofree char *html = g_build_filename (dir, "handout.html", NULL);
  g_autofree char *pcapng = g_build_filename (dir, "run.pcapng", NULL);
  g_autofree char *json2 = g_build_filename (dir, "opened.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (TlsTrace) trace = NULL;
  g_autoptr (GError) error = NULL;
  static const struct { const char *text, *says; } bad_files[] = {
    { "1\tfine\n2 no tab here\n", "bad.txt:2: expected “STEP<Tab>note”, found no tab" },
    { "# c\n\n0\tzero\n", "bad.txt:3: “0” is not a step number" },
    { "x1\tletters\n", "bad.txt:1: “x1” is not a step number" },
    { "1\tok\n100000\tfar\n", "bad.txt:2: there is no step 100000: this trace has steps 1 to " },
    { "1\t\xff\n", "bad.txt: not a text file in UTF-8" },
  };
  IopResult r;

  g_test_summary ("--notes FILE puts the teacher's notes on their steps (run and open): in the "
                  "printed trace, the JSON and the handout; a bad line exits 2 naming the line");
  g_assert_true (g_file_set_contents (notes, "# notes for the lesson\n"
                                      "1\tAsk: why does the client send 32 random bytes?\n"
                                      "\n"
                                      "1\tThen show the server's.\r\n"
                                      "2\t<script>x</script>\n", -1, NULL));
  run_lab (&r, "run", "--notes", notes, "--trace-json", json, "--html", html,
           "--pcapng", pcapng, "--brief", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "] client → server  ClientHello"));
  g_assert_nonnull (strstr (r.output, "    Teacher's note: Ask: why does the client send 32 random "
                                      "bytes?\n    Then show the server's.\n[2] "));
  iop_result_clear (&r);
  trace = tls_trace_load_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tls_trace_get (trace, 0)->teacher_note, ==,
                   "Ask: why does the client send 32 random bytes?\nThen show the server's.");
  g_assert_cmpstr (tls_trace_get (trace, 1)->teacher_note, ==, "<script>x</script>");
  for (guint i = 2; i < tls_trace_len (trace); i++)
    g_assert_null (tls_trace_get (trace, i)->teacher_note);
  g_assert_true (g_file_get_contents (html, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Ask: why does the client send 32 random bytes?"));
  g_assert_nonnull (strstr (contents, "&lt;script&gt;x&lt;/script&gt;"));
  g_assert_null (strstr (contents, "<script"));
  g_clear_pointer (&trace, tls_trace_free);

  /* open: the capture of that run, the same notes. */
  run_lab (&r, "open", pcapng, "--notes", notes, "--trace-json", json2, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "Teacher's note: Ask: why does the client send"));
  iop_result_clear (&r);
  trace = tls_trace_load_json (json2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tls_trace_get (trace, 1)->teacher_note, ==, "<script>x</script>");

  for (gsize i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *out = g_build_filename (dir, "never.json", NULL);
      g_assert_true (g_file_set_contents (bad, bad_files[i].text, -1, NULL));
      run_lab (&r, "run", "--notes", bad, "--trace-json", out, NULL);
      assert_usage_error (&r, bad_files[i].says);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      iop_result_clear (&r);
      run_lab (&r, "open", pcapng, "--notes", bad, NULL);
      assert_usage_error (&r, bad_files[i].says);
      iop_result_clear (&r);
    }
  run_lab (&r, "run", "--notes", dir, NULL);
  assert_usage_error (&r, "it is a folder");
  iop_result_clear (&r);
  for (const char *const *f = (const char *const[]) { notes, bad, json, html, pcapng, json2, NULL };
       *f != NULL; f++)
    g_unlink (*f);
  g_rmdir (dir);
}

/* --attack (issue 12): the attacker's actions on the command line. */
static void
test_run_attack (void)
{
  IopResult r;

  g_test_summary ("run --attack: the action is a step and the run ends with the RFC's alert; "
                  "a bad action exits 2 naming the problem");
  run_lab (&r, "run", "--scenario", "full", "--brief", "--attack", "flip:client:Finished@0", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.output, "attacker  Flip a bit: Finished"));
  g_assert_nonnull (strstr (r.errors, "bad_record_mac (20)"));
  iop_result_clear (&r);

  run_lab (&r, "run", "--scenario", "full", "--brief", "--attack", "drop:ServerHelloDone", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.output, "attacker  Drop: ServerHelloDone"));
  g_assert_nonnull (strstr (r.errors, "no more messages: the client is waiting for the ServerHelloDone "
                                      "the attacker dropped"));
  iop_result_clear (&r);

  /* repeatable: two actions, the first of which changes nothing */
  run_lab (&r, "run", "--scenario", "full", "--brief", "--attack", "flip:ServerHelloDone@9",
           "--attack", "replay:ClientHello", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.output, "attacker  Flip a bit: ServerHelloDone"));
  g_assert_nonnull (strstr (r.output, "attacker  Replay: ClientHello"));
  g_assert_nonnull (strstr (r.errors, "unexpected_message (10)"));
  iop_result_clear (&r);

  run_lab (&r, "run", "--attack", "smash:ServerHello", NULL);
  assert_usage_error (&r, "unknown action “smash”");
  iop_result_clear (&r);
  run_lab (&r, "run", "--attack", "tamper:ServerHello.cipher_suite=TLS_NOPE", NULL);
  assert_usage_error (&r, "“TLS_NOPE”");
  iop_result_clear (&r);
  run_lab (&r, "run", "--attack", "drop:Goodbye", NULL);
  assert_usage_error (&r, "unknown message “Goodbye”");
  iop_result_clear (&r);

  run_lab (&r, "run", "--help", NULL);
  g_assert_nonnull (strstr (r.output, "--attack"));
  iop_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The program must not open a window here. */
  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");

  program = g_getenv ("HANDSHAKE_LAB");
  if (program == NULL || !g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_message ("HANDSHAKE_LAB is not set to the handshake-lab program");
      return 77;
    }

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/usage/command", test_usage_command);
  g_test_add_func ("/cli/usage/suite", test_usage_suite);
  g_test_add_func ("/cli/usage/file", test_usage_file);
  g_test_add_func ("/cli/run/exports", test_run_exports);
  g_test_add_func ("/cli/verify/chain-out-of-order", test_verify_out_of_order);
  g_test_add_func ("/cli/usage/address", test_usage_address);
  g_test_add_func ("/cli/usage/scenario", test_usage_scenario);
  g_test_add_func ("/cli/connect/refused", test_connect_refused);
  g_test_add_func ("/cli/run/default", test_run_default);
  g_test_add_func ("/cli/no-arguments", test_no_arguments);
  g_test_add_func ("/cli/run/trace-json", test_run_json);
  g_test_add_func ("/cli/notes", test_notes);
  g_test_add_func ("/cli/run/failure", test_run_failure);
  g_test_add_func ("/cli/run/scenario-file", test_run_scenario_file);
  g_test_add_func ("/cli/serve/connect", test_serve_connect);
  g_test_add_func ("/cli/serve/trace-json", test_serve_json);
  g_test_add_func ("/cli/connect/insecure", test_connect_insecure);
  g_test_add_func ("/cli/verify/usage", test_verify_usage);
  g_test_add_func ("/cli/verify/untrusted-pool", test_verify_untrusted_pool);
  g_test_add_func ("/cli/run/quiet", test_run_quiet);
  g_test_add_func ("/cli/http-peer", test_http_peer);
  g_test_add_func ("/cli/readme/serve-reconnect", test_readme_reconnect);
  g_test_add_func ("/cli/verify/policy", test_verify_policy);
  for (gsize i = 0; i < G_N_ELEMENTS (verify_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/verify/%s", verify_cases[i].name);
      g_test_add_data_func (path, &verify_cases[i], test_verify_case);
    }
  g_test_add_func ("/cli/serve/slow-client", test_serve_slow_client);
  g_test_add_func ("/cli/serve/sigterm", test_serve_signal);
  g_test_add_func ("/cli/serve/www-bare-lf", test_serve_www_bare_lf);
  g_test_add_func ("/cli/run/attack", test_run_attack);

  return g_test_run ();
}
