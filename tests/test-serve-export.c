/* test-serve-export.c — `serve` with exports and several connections.
 *
 * A real client, `openssl s_client`, makes a full handshake and then a
 * second connection that resumes its session (by session ID, and in a
 * second case by session ticket); both send an HTTP request that `serve
 * --www` answers.  The run leaves one pcapng, one key log, one JSON trace
 * and one HTML handout, and the test checks that:
 *   - the key log has one line per connection, the resumed one with the
 *     master secret of its session;
 *   - tshark finds each connection as its own TCP stream and decrypts both
 *     Finished messages and the HTTP request and response of each, with
 *     the secrets embedded in the file;
 *   - each key log line alone decrypts its connection (editcap strips the
 *     file's secrets, tshark keeps the one connection), and the other
 *     line does not;
 *   - the JSON trace names each connection and stamps every step with the
 *     real time of the run, and the pcapng's timestamps are those times;
 *   - the HTML handout names each connection.
 * Skips when openssl, tshark or editcap is missing.  The program's path
 * comes in $HANDSHAKE_LAB. */
#include <string.h>
#include <glib/gstdio.h>

#include "interop-peers.h"
#include "tls-trace-json.h"
#include "tls-trace-live.h"

#define TIMEOUT_MS IOP_TIMEOUT_MS
#define REQUEST "GET / HTTP/1.0\r\n\r\n"

static const char *program;

typedef struct
{
  const char *name;
  gboolean    tickets;     /* resume by ticket (else by session ID) */
} Case;

static const Case cases[] = {
  { "session-id", FALSE },
  { "ticket", TRUE },
};

/* What tshark decrypted in one TCP stream. */
typedef struct
{
  guint finished;      /* Finished messages (handshake type 20) */
  guint get;           /* HTTP requests */
  guint ok;            /* HTTP 200 responses */
} StreamView;

static void
run_tool (const char *const *argv, IopResult *r)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, r, &error));
  g_assert_no_error (error);
  if (!r->exited || r->status != 0)
    g_test_message ("%s:\n%s\n%s", argv[0], r->output, r->errors);
  g_assert_true (r->exited);
  g_assert_cmpint (r->status, ==, 0);
}

/* tshark's view of CAPTURE, stream by stream (up to N), with the key log
 * KEYLOG ("" for the file's own secrets only). */
static void
tshark_view (const char *capture, const char *keylog, StreamView *views, guint n)
{
  g_autofree char *pref = g_strdup_printf ("tls.keylog_file:%s", keylog);
  const char *const argv[] = {
    "tshark", "-r", capture, "-n", "-o", pref,
    /* each application data record on its own (the HTTP/1.0 answer) */
    "-o", "tls.desegment_ssl_application_data:FALSE",
    "-Y", "tls", "-T", "fields", "-E", "separator=/t", "-E", "aggregator=,",
    "-e", "tcp.stream", "-e", "tls.handshake.type",
    "-e", "http.request.method", "-e", "http.response.code", NULL,
  };
  IopResult r;
  g_auto (GStrv) lines = NULL;

  memset (views, 0, n * sizeof *views);
  run_tool (argv, &r);
  lines = g_strsplit (r.output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
      g_auto (GStrv) types = NULL;
      guint64 stream;

      if (g_strv_length (f) < 4 || !g_ascii_string_to_unsigned (f[0], 10, 0, n - 1, &stream, NULL))
        continue;
      types = g_strsplit (f[1], ",", -1);
      for (guint t = 0; types[t] != NULL; t++)
        if (strcmp (types[t], "20") == 0)
          views[stream].finished++;
      if (strcmp (f[2], "GET") == 0)
        views[stream].get++;
      if (strcmp (f[3], "200") == 0)
        views[stream].ok++;
    }
  iop_result_clear (&r);
}

static void
assert_decrypted (const StreamView *v)
{
  g_assert_cmpuint (v->finished, ==, 2);
  g_assert_cmpuint (v->get, ==, 1);
  g_assert_cmpuint (v->ok, ==, 1);
}

/* openssl s_client: one connection, one HTTP request; the session goes to
 * or comes from SESSION. */
static void
client (const char *addr, const Case *c, const char *session, gboolean resume)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  IopResult r;

  g_ptr_array_add (argv, (char *) "openssl");
  g_ptr_array_add (argv, (char *) "s_client");
  g_ptr_array_add (argv, (char *) "-connect");
  g_ptr_array_add (argv, (char *) addr);
  g_ptr_array_add (argv, (char *) "-servername");
  g_ptr_array_add (argv, (char *) "localhost");
  g_ptr_array_add (argv, (char *) "-quiet");
  g_ptr_array_add (argv, (char *) (resume ? "-sess_in" : "-sess_out"));
  g_ptr_array_add (argv, (char *) session);
  if (!c->tickets)
    g_ptr_array_add (argv, (char *) "-no_ticket");
  g_ptr_array_add (argv, NULL);
  g_assert_true (iop_run ((const char *const *) argv->pdata, REQUEST, TIMEOUT_MS, &r, &error));
  g_assert_no_error (error);
  if (strstr (r.output, "HTTP/1.0 200") == NULL)
    g_test_message ("s_client:\n%s", r.output);
  g_assert_nonnull (strstr (r.output, "HTTP/1.0 200"));
  iop_result_clear (&r);
}

static char *
read_text (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_full_then_resumed (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-serve-XXXXXX", NULL);
  g_autofree char *pcapng = g_build_filename (dir, "run.pcapng", NULL);
  g_autofree char *keylog = g_build_filename (dir, "run.keys", NULL);
  g_autofree char *json = g_build_filename (dir, "run.json", NULL);
  g_autofree char *html = g_build_filename (dir, "run.html", NULL);
  g_autofree char *session = g_build_filename (dir, "session.pem", NULL);
  g_autofree char *stripped = g_build_filename (dir, "no-secrets.pcapng", NULL);
  g_autofree char *addr = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *page = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsTrace) trace = NULL;
  const char *const argv[] = { program, "serve", "--listen", "127.0.0.1:@PORT@", "--count", "2",
                               "--www", "--quiet", "--pcapng", pcapng, "--keylog", keylog,
                               "--trace-json", json, "--html", html, NULL };
  IopServer server;
  StreamView views[3];
  gint64 start, end;
  int status = -1;

  g_test_summary ("serve with a full and a resumed connection from openssl s_client: one "
                  "pcapng, key log, JSON and HTML for the run; tshark decrypts both "
                  "connections, each also from its key log line alone; real timestamps; "
                  "each connection named");
  {
    g_autofree char *o = iop_find_program ("openssl");
    g_autofree char *t = iop_find_program ("tshark");
    g_autofree char *e = iop_find_program ("editcap");
    if (o == NULL || t == NULL || e == NULL)
      {
        g_test_skip ("openssl, tshark or editcap is not installed");
        return;
      }
  }

  start = g_get_real_time ();
  g_assert_true (iop_server_start (&server, argv, TIMEOUT_MS, &error));
  g_assert_no_error (error);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  client (addr, c, session, FALSE);
  client (addr, c, session, TRUE);
  if (!iop_server_wait (&server, TIMEOUT_MS, &status))
    g_test_message ("serve did not exit:\n%s", iop_server_output (&server));
  iop_server_stop (&server);
  end = g_get_real_time ();
  g_assert_cmpint (status, ==, 0);

  /* The key log: a line per connection; the same session, so the same
   * master secret under two client randoms. */
  keys = read_text (keylog);
  lines = g_strsplit (keys, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[2], ==, "");
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (g_str_has_prefix (lines[i], "CLIENT_RANDOM "));
      g_assert_cmpuint (strlen (lines[i]), ==, strlen ("CLIENT_RANDOM ") + 64 + 1 + 96);
    }
  g_assert_cmpstr (lines[0] + 14 + 65, ==, lines[1] + 14 + 65);
  g_assert_true (strncmp (lines[0] + 14, lines[1] + 14, 64) != 0);

  /* The JSON trace: both connections, named, resumed as expected, every
   * step stamped with the time of this run. */
  trace = tls_trace_load_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tls_trace_n_connections (trace), ==, 2);
  g_assert_cmpstr (tls_trace_get_meta (trace, "conn0.resumed"), ==, "no");
  g_assert_cmpstr (tls_trace_get_meta (trace, "conn1.resumed"), ==,
                   c->tickets ? "yes (ticket)" : "yes");
  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *key = g_strdup_printf ("conn%u.name", k);
      g_autofree char *accepted = g_strdup_printf (", accepted #%u", k + 1);
      const char *name = tls_trace_get_meta (trace, key);

      g_assert_nonnull (name);
      g_assert_true (g_str_has_prefix (name, "client 127.0.0.1:"));
      g_assert_true (g_str_has_suffix (name, accepted));
    }
  {
    gint64 last[2] = { 0, 0 };
    for (guint i = 0; i < tls_trace_len (trace); i++)
      {
        gint64 t = tls_trace_step_time (trace, i);
        guint k = tls_trace_get (trace, i)->connection;

        g_assert_cmpint (t, >=, start);
        g_assert_cmpint (t, <=, end);
        g_assert_cmpint (t, >=, last[k]);
        last[k] = t;
      }
  }

  /* The handout names them too. */
  page = read_text (html);
  g_assert_nonnull (strstr (page, "Connection 1: client 127.0.0.1:"));
  g_assert_nonnull (strstr (page, "Connection 2: client 127.0.0.1:"));

  /* The capture, with its own secrets: two TCP streams, each decrypted. */
  tshark_view (pcapng, "", views, G_N_ELEMENTS (views));
  assert_decrypted (&views[0]);
  assert_decrypted (&views[1]);
  g_assert_cmpuint (views[2].finished + views[2].get, ==, 0);

  /* Its first packet carries the time of the run, not 1970 or a scenario's clock. */
  {
    const char *const args[] = { "tshark", "-r", pcapng, "-n", "-c", "1", "-T", "fields",
                                 "-e", "frame.time_epoch", NULL };
    IopResult r;
    double t;

    run_tool (args, &r);
    t = g_ascii_strtod (r.output, NULL);
    g_assert_cmpfloat (t, >=, (double) start / G_USEC_PER_SEC - 1);
    g_assert_cmpfloat (t, <=, (double) end / G_USEC_PER_SEC + 1);
    iop_result_clear (&r);
  }

  /* Each key log line alone decrypts its connection, and only that one. */
  {
    const char *const strip[] = { "editcap", "--discard-all-secrets", pcapng, stripped, NULL };
    IopResult r;

    run_tool (strip, &r);
    iop_result_clear (&r);
  }
  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *filter = g_strdup_printf ("tcp.stream==%u", k);
      g_autofree char *one = g_strdup_printf ("%s/connection-%u.pcapng", dir, k + 1);
      g_autofree char *own = g_strdup_printf ("%s/own-%u.keys", dir, k + 1);
      g_autofree char *other = g_strdup_printf ("%s/other-%u.keys", dir, k + 1);
      g_autofree char *own_line = g_strconcat (lines[k], "\n", NULL);
      g_autofree char *other_line = g_strconcat (lines[1 - k], "\n", NULL);
      const char *const keep[] = { "tshark", "-r", stripped, "-n", "-Y", filter, "-w", one, NULL };
      IopResult r;

      run_tool (keep, &r);
      iop_result_clear (&r);
      g_assert_true (g_file_set_contents (own, own_line, -1, NULL));
      g_assert_true (g_file_set_contents (other, other_line, -1, NULL));

      tshark_view (one, own, views, 1);
      assert_decrypted (&views[0]);
      tshark_view (one, other, views, 1);
      g_assert_cmpuint (views[0].finished + views[0].get + views[0].ok, ==, 0);

      g_unlink (one);
      g_unlink (own);
      g_unlink (other);
    }

  g_unlink (stripped);
  g_unlink (pcapng);
  g_unlink (keylog);
  g_unlink (json);
  g_unlink (html);
  g_unlink (session);
  g_rmdir (dir);
}

/* Our own client against our own server: connect names its two
 * connections, serve its two, and both traces carry real times. */
static void
test_connect_names (void)
{
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-serve-XXXXXX", NULL);
  g_autofree char *served = g_build_filename (dir, "serve.json", NULL);
  g_autofree char *client = g_build_filename (dir, "connect.json", NULL);
  g_autofree char *addr = NULL;
  g_autofree char *want = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsTrace) ts = NULL;
  g_autoptr (TlsTrace) tc = NULL;
  const char *const argv[] = { program, "serve", "--listen", "127.0.0.1:@PORT@", "--count", "2",
                               "--quiet", "--trace-json", served, NULL };
  IopServer server;
  IopResult r;
  gint64 start = g_get_real_time (), end;
  int status = -1;

  g_test_summary ("connect --reconnect against serve: connect's trace names its connections "
                  "\"to HOST:PORT\" and \"... again, offering the session of connection 1\", "
                  "serve's names the clients; both carry the run's real times");
  g_assert_true (iop_server_start (&server, argv, TIMEOUT_MS, &error));
  g_assert_no_error (error);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  {
    const char *const args[] = { program, "connect", addr, "--servername", "localhost",
                                 "--reconnect", "--quiet", "--trace-json", client, NULL };
    run_tool (args, &r);
    iop_result_clear (&r);
  }
  g_assert_true (iop_server_wait (&server, TIMEOUT_MS, &status));
  iop_server_stop (&server);
  end = g_get_real_time ();
  g_assert_cmpint (status, ==, 0);

  tc = tls_trace_load_json (client, &error);
  g_assert_no_error (error);
  want = g_strdup_printf ("to %s", addr);
  g_assert_cmpstr (tls_trace_get_meta (tc, "conn0.name"), ==, want);
  g_free (want);
  want = g_strdup_printf ("to %s again, offering the session of connection 1", addr);
  g_assert_cmpstr (tls_trace_get_meta (tc, "conn1.name"), ==, want);
  g_assert_cmpstr (tls_trace_get_meta (tc, "conn1.resumed"), !=, "no");

  ts = tls_trace_load_json (served, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tls_trace_n_connections (ts), ==, 2);
  g_assert_true (g_str_has_suffix (tls_trace_get_meta (ts, "conn1.name"), ", accepted #2"));
  g_assert_cmpstr (tls_trace_get_meta (ts, "peer"), ==, "127.0.0.1");

  for (guint i = 0; i < tls_trace_len (tc); i++)
    {
      g_assert_cmpint (tls_trace_step_time (tc, i), >=, start);
      g_assert_cmpint (tls_trace_step_time (tc, i), <=, end);
    }
  g_unlink (served);
  g_unlink (client);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  program = g_getenv ("HANDSHAKE_LAB");
  if (program == NULL || !g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_message ("HANDSHAKE_LAB is not set to the handshake-lab program");
      return 77;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/serve-export/full-then-resumed/%s",
                                               cases[i].name);
      g_test_add_data_func (path, &cases[i], test_full_then_resumed);
    }
  g_test_add_func ("/serve-export/connect-names", test_connect_names);
  return g_test_run ();
}
