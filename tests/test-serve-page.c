/* test-serve-page.c — `serve --www` explains each client's own handshake
 * (issue 12, "For the teacher").  openssl s_client (and curl when
 * installed, and headless Chromium when it is) on 127.0.0.1 send GET /; the page they get back must name
 * every cipher suite the client really offered (read from the client's
 * own -msg dump of its ClientHello), each extension it sent by name, the
 * suite chosen, and "resumed" for the last connection of -reconnect.
 * The server is always stopped; every wait is bounded.  The program's path
 * comes in $HANDSHAKE_LAB. */
#include <string.h>
#include <glib/gstdio.h>

#include "interop-peers.h"
#include "tls-suites.h"
#include "tls-trace-json.h"
#include "tls-trace-page.h"
#include "tls-types.h"

#define TIMEOUT_MS IOP_TIMEOUT_MS

static const char *program;

/* The bytes of the first ClientHello in s_client -msg output. */
static GByteArray *
client_hello_from_msg (const char *out)
{
  const char *p = strstr (out, "ClientHello\n");
  GByteArray *bytes = g_byte_array_new ();

  g_assert_nonnull (p);
  p = strchr (p, '\n') + 1;
  while (g_str_has_prefix (p, "    "))
    {
      const char *end = strchr (p, '\n');
      g_auto (GStrv) words = NULL;
      g_autofree char *line = g_strndup (p, end ? (gsize) (end - p) : strlen (p));

      words = g_strsplit_set (g_strstrip (line), " ", -1);
      for (guint i = 0; words[i] != NULL; i++)
        if (strlen (words[i]) == 2 && g_ascii_isxdigit (words[i][0]) && g_ascii_isxdigit (words[i][1]))
          {
            guint8 b = (guint8) g_ascii_strtoull (words[i], NULL, 16);
            g_byte_array_append (bytes, &b, 1);
          }
      if (end == NULL)
        break;
      p = end + 1;
    }
  return bytes;
}

/* The cipher suites and extension types of a ClientHello (RFC 5246,
 * 7.4.1.2): header 4, version 2, random 32, session_id, suites,
 * compression, extensions. */
static void
parse_hello (GByteArray *h, GArray *suites, GArray *exts)
{
  const guint8 *d = h->data;
  gsize off = 4 + 2 + 32, n;

  g_assert_cmpuint (h->len, >, off + 1);
  off += 1 + d[off];
  n = (d[off] << 8) | d[off + 1];
  off += 2;
  for (gsize i = 0; i + 1 < n; i += 2)
    {
      guint16 id = (d[off + i] << 8) | d[off + i + 1];
      g_array_append_val (suites, id);
    }
  off += n;
  off += 1 + d[off];
  n = (d[off] << 8) | d[off + 1];
  off += 2;
  for (gsize end = off + n; off + 4 <= end && end <= h->len;)
    {
      guint16 type = (d[off] << 8) | d[off + 1];
      off += 4 + ((d[off + 2] << 8) | d[off + 3]);
      g_array_append_val (exts, type);
    }
  g_assert_cmpuint (suites->len, >, 0);
  g_assert_cmpuint (exts->len, >, 0);
}

static gboolean
start_serve (IopServer *server, const char *count)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { program, "serve", "--listen", "127.0.0.1:@PORT@", "--count", count,
                         "--www", "--quiet", "--timeout", "5000", NULL };

  g_assert_true (iop_server_start (server, argv, TIMEOUT_MS, &error));
  g_assert_no_error (error);
  return TRUE;
}

static void
finish_serve (IopServer *server)
{
  int status = -1;

  g_assert_true (iop_server_wait (server, TIMEOUT_MS, &status));
  iop_server_stop (server);
  g_assert_cmpint (status, ==, 0);
}

/* The page names each suite offered (its IANA name when the suite table
 * has it, else its number) and each extension sent. */
static void
assert_page_names_offer (const char *page, GArray *suites, GArray *exts)
{
  for (guint i = 0; i < suites->len; i++)
    {
      guint16 id = g_array_index (suites, guint16, i);
      g_autofree char *name = tls_suite_describe (id);
      g_autofree char *hex = g_strdup_printf ("0x%04X", id);

      if (tls_suite_by_id (id) != NULL)
        g_assert_nonnull (strstr (page, name));
      g_assert_nonnull (strstr (page, hex));
    }
  for (guint i = 0; i < exts->len; i++)
    g_assert_nonnull (strstr (page, tls_extension_name (g_array_index (exts, guint16, i))));
}

static void
test_page_openssl (void)
{
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *addr = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) hello = NULL;
  g_autoptr (GArray) suites = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_autoptr (GArray) exts = g_array_new (FALSE, FALSE, sizeof (guint16));
  IopServer server;
  IopResult r;

  g_test_summary ("The page names the suites and extensions openssl s_client really offered, "
                  "the suite chosen, and explains them with their RFC sections");
  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  start_serve (&server, "1");
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  {
    const char *client[] = { openssl, "s_client", "-connect", addr, "-tls1_2", "-msg",
                             "-servername", "localhost", "-alpn", "http/1.1", "-ign_eof", NULL };
    g_assert_true (iop_run (client, "GET / HTTP/1.0\r\nUser-Agent: TestBrowser/3.1\r\n\r\n",
                            TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  finish_serve (&server);
  hello = client_hello_from_msg (r.output);
  parse_hello (hello, suites, exts);
  g_test_message ("%u suites, %u extensions offered", suites->len, exts->len);
  assert_page_names_offer (r.output, suites, exts);
  /* the chosen suite, marked; the server's decision with its reason */
  g_assert_nonnull (strstr (r.output, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</code> <span class=\"meta\">0xC02F</span> <b>"));
  g_assert_nonnull (strstr (r.output, "the server&apos;s most preferred suite that the client also offered"));
  g_assert_nonnull (strstr (r.output, "new (full handshake)"));
  g_assert_nonnull (strstr (r.output, "TestBrowser/3.1"));
  /* extension values and their RFC sections */
  g_assert_nonnull (strstr (r.output, "localhost"));
  g_assert_nonnull (strstr (r.output, "RFC 6066, 3"));
  g_assert_nonnull (strstr (r.output, "RFC 7301, 3.1"));
  g_assert_nonnull (strstr (r.output, "RFC 7627, 5.1"));
  g_assert_nonnull (strstr (r.output, "RFC 8422, 5.1.1"));
  g_assert_nonnull (strstr (r.output, "http/1.1"));
  g_assert_nonnull (strstr (r.output, "</html>"));
  iop_result_clear (&r);
}

static void
test_page_resumed (void)
{
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *addr = NULL;
  g_autoptr (GError) error = NULL;
  IopServer server;
  IopResult r;

  g_test_summary ("s_client -reconnect: the page of the last connection says it was resumed");
  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  start_serve (&server, "6");   /* -reconnect: the first connection and five more */
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  {
    /* a bare-LF request: RFC 9112, 2.2 lets a server take LF as a line end */
    const char *client[] = { openssl, "s_client", "-connect", addr, "-tls1_2", "-reconnect",
                             "-quiet", NULL };
    g_assert_true (iop_run (client, "GET / HTTP/1.0\n\n", TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  finish_serve (&server);
  g_assert_nonnull (strstr (r.output, "HTTP/1.0 200 ok\r\n"));
  g_assert_nonnull (strstr (r.output, "<td>resumed by ticket (abbreviated handshake)</td>"));
  g_assert_null (strstr (r.output, "<td>new (full handshake)</td>"));
  g_assert_nonnull (strstr (r.output, "Resume the session?:</b> resume"));
  iop_result_clear (&r);
}

static void
test_page_curl (void)
{
  g_autofree char *curl = iop_find_program ("curl");
  g_autofree char *root = g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "pki", "ca",
                                            "root.crt", NULL);
  g_autofree char *url = NULL, *resolve = NULL;
  g_autoptr (GError) error = NULL;
  IopServer server;
  IopResult r;

  g_test_summary ("curl gets a page naming the suite chosen, its User-Agent and its extensions");
  if (curl == NULL)
    {
      g_test_skip ("curl is not installed");
      return;
    }
  start_serve (&server, "1");
  url = g_strdup_printf ("https://localhost:%u/", server.port);
  resolve = g_strdup_printf ("localhost:%u:127.0.0.1", server.port);
  {
    const char *argv[] = { curl, "--silent", "--show-error", "--max-time", "10", "--cacert", root,
                           "--resolve", resolve, "--tls-max", "1.2", "--http1.1",
                           "--user-agent", "curl-test/1.0", url, NULL };
    g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  finish_serve (&server);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "curl-test/1.0"));
  g_assert_nonnull (strstr (r.output, "← chosen"));
  g_assert_nonnull (strstr (r.output, "server_name"));
  g_assert_nonnull (strstr (r.output, "application_layer_protocol_negotiation"));
  g_assert_nonnull (strstr (r.output, "supported_groups"));
  g_assert_nonnull (strstr (r.output, "signature_algorithms"));
  iop_result_clear (&r);
}

/* A client that offers TLS 1.3 only gets the alert, not a page; the page
 * made from its trace (what the teacher can open) says why, honestly. */
static void
test_page_tls13_only (void)
{
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-page-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (dir, "class.json", NULL);
  g_autofree char *addr = NULL;
  g_autofree char *page = NULL;
  g_autoptr (TlsTrace) trace = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { program, "serve", "--listen", "127.0.0.1:@PORT@", "--count", "1",
                         "--www", "--quiet", "--timeout", "5000", "--trace-json", json, NULL };
  IopServer server;
  IopResult r;
  int status = -1;

  g_test_summary ("A TLS 1.3-only client: handshake_failure, and the page of its trace says the "
                  "client offered TLS 1.3 only");
  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  g_assert_true (iop_server_start (&server, argv, TIMEOUT_MS, &error));
  g_assert_no_error (error);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  {
    const char *client[] = { openssl, "s_client", "-connect", addr, "-tls1_3", "-quiet", NULL };
    g_assert_true (iop_run (client, "GET / HTTP/1.0\r\n\r\n", TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  g_assert_true (iop_server_wait (&server, TIMEOUT_MS, &status));
  iop_server_stop (&server);
  g_assert_cmpint (status, !=, 0);               /* the one handshake failed */
  g_assert_null (strstr (r.output, "HTTP/1.0 200"));
  iop_result_clear (&r);
  trace = tls_trace_load_json (json, &error);
  g_assert_no_error (error);
  page = tls_trace_to_class_page (trace, 0);
  g_assert_nonnull (strstr (page, "handshake_failure (40)"));
  g_assert_nonnull (strstr (page, "offered TLS 1.3 only"));
  g_assert_nonnull (strstr (page, "RFC 8446, 4.2.1"));
  g_assert_nonnull (strstr (page, "The server sent no ServerHello"));
  g_assert_nonnull (strstr (page, "<th>Cipher suite</th><td>unknown</td>"));
  g_remove (json);
  g_rmdir (dir);
}

/* A real browser: headless Chromium sends GREASE values (RFC 8701), which
 * the page must name as GREASE, and TLS 1.3 in supported_versions. */
static void
test_page_chromium (void)
{
  g_autofree char *chromium = iop_find_program ("chromium");
  g_autofree char *profile = g_dir_make_tmp ("handshake-lab-chromium-XXXXXX", NULL);
  g_autofree char *profile_arg = g_strconcat ("--user-data-dir=", profile, NULL);
  g_autofree char *url = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { program, "serve", "--listen", "127.0.0.1:@PORT@", "--www", "--quiet",
                         "--timeout", "5000", NULL };
  IopServer server;
  IopResult r;

  g_test_summary ("Headless Chromium gets its page: its GREASE values are named as GREASE, "
                  "its User-Agent and its TLS 1.3 offer are shown");
  if (chromium == NULL)
    {
      g_test_skip ("chromium is not installed");
      return;
    }
  g_assert_true (iop_server_start (&server, argv, TIMEOUT_MS, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u/", server.port);
  {
    const char *client[] = { chromium, "--headless", "--no-sandbox", "--disable-gpu",
                             "--ignore-certificate-errors", "--no-first-run", profile_arg,
                             "--dump-dom", url, NULL };
    g_assert_true (iop_run_split (client, NULL, 60000, &r, &error));
    g_assert_no_error (error);
  }
  iop_server_stop (&server);   /* serves until stopped: no --count */
  {
    g_autofree char *rm = g_find_program_in_path ("rm");
    const char *rm_argv[] = { rm, "-rf", profile, NULL };
    IopResult rr;
    if (rm != NULL && iop_run (rm_argv, NULL, TIMEOUT_MS, &rr, NULL))
      iop_result_clear (&rr);
  }
  if (!r.exited || strstr (r.output, "Your browser") == NULL)
    {
      g_test_message ("chromium:\n%s\n%s", r.output, r.errors);
      iop_result_clear (&r);
      g_test_skip ("chromium did not load the page (no usable headless mode here)");
      return;
    }
  g_assert_nonnull (strstr (r.output, "Chrome/"));
  g_assert_nonnull (strstr (r.output, "GREASE (0x"));
  g_assert_nonnull (strstr (r.output, "RFC 8701, 3"));
  g_assert_nonnull (strstr (r.output, "TLS 1.3 (0x0304)"));
  g_assert_nonnull (strstr (r.output, "completed"));
  iop_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  program = g_getenv ("HANDSHAKE_LAB");
  g_assert_nonnull (program);
  g_test_add_func ("/serve-page/openssl", test_page_openssl);
  g_test_add_func ("/serve-page/resumed", test_page_resumed);
  g_test_add_func ("/serve-page/curl", test_page_curl);
  g_test_add_func ("/serve-page/tls13-only", test_page_tls13_only);
  g_test_add_func ("/serve-page/chromium", test_page_chromium);
  return g_test_run ();
}
