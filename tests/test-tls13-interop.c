/* test-tls13-interop.c — our TLS 1.3 client and server against real peers
 * on 127.0.0.1 (issue 16): openssl s_server / s_client -tls1_3 and
 * gnutls-serv / gnutls-cli restricted to TLS 1.3, each TLS 1.3 suite and
 * each group.  Every peer is started by interop-peers.c and always stopped;
 * a test whose peer program is missing is skipped. */
#include "interop-peers.h"
#include "tls-conductor.h"
#include "tls-serve.h"
#include "tls-transport.h"
#include "tls-alert.h"
#include "tls-types.h"
#include "tls-x509.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  const char *iana;      /* ours */
  const char *gnutls;    /* the cipher in a GnuTLS priority string */
} Suite;

typedef struct
{
  const char *ours;
  const char *openssl;
  const char *gnutls;
} Group;

static const Suite suites[] = {
  { "TLS_AES_128_GCM_SHA256", "AES-128-GCM" },
  { "TLS_AES_256_GCM_SHA384", "AES-256-GCM" },
  { "TLS_CHACHA20_POLY1305_SHA256", "CHACHA20-POLY1305" },
};

static const Group groups[] = {
  { "x25519", "X25519", "GROUP-X25519" },
  { "secp256r1", "P-256", "GROUP-SECP256R1" },
  { "secp384r1", "P-384", "GROUP-SECP384R1" },
  { "x448", "X448", "GROUP-X448" },
};

typedef struct
{
  const char *peer;      /* "openssl" or "gnutls" */
  gboolean    our_client;
  const Suite *suite;
  const Group *group;
} Case;

static char *
data_file (const char *name)
{
  return g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "pki", name, NULL);
}

static char *
gnutls_priority (const Case *k)
{
  return g_strdup_printf ("NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+%s:-GROUP-ALL:+%s",
                          k->suite->gnutls, k->group->gnutls);
}

/* Our client against the peer's server. */
static void
run_our_client (const Case *k, const char *peer_path)
{
  g_autofree char *chain = data_file ("server-rsa-chain.pem");
  g_autofree char *key = data_file ("server-rsa.key");
  g_autofree char *leaf = data_file ("server-rsa.crt");
  g_autofree char *prio = gnutls_priority (k);
  g_autofree char *cert_opt = g_strdup_printf ("--x509certfile=%s", chain);
  g_autofree char *key_opt = g_strdup_printf ("--x509keyfile=%s", key);
  g_autofree char *prio_opt = g_strdup_printf ("--priority=%s", prio);
  g_autofree char *addr = NULL;
  g_autofree char *want = g_strdup_printf ("TLS 1.3  %s", k->suite->iana);
  const char *openssl_argv[] = { peer_path, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                                 "-ciphersuites", k->suite->iana, "-groups", k->group->openssl,
                                 "-cert", leaf, "-cert_chain", chain, "-key", key, "-quiet", "-naccept", "1", NULL };
  const char *gnutls_argv[] = { peer_path, "-p", "@PORT@", cert_opt, key_opt, prio_opt, NULL };
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;

  if (!iop_server_start (&server, g_str_equal (k->peer, "openssl") ? openssl_argv : gnutls_argv,
                         IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("%s did not start: %s", k->peer, error->message);
    }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  iop_run_program (&r, g_getenv ("HANDSHAKE_LAB"), IOP_TIMEOUT_MS, "connect", addr,
                   "--version", "1.3", "--suite", k->suite->iana, "--groups", k->group->ours,
                   "--servername", "server.handshake-lab.test", "--quiet", NULL);
  iop_server_stop (&server);
  if (r.status != 0 || strstr (r.output, want) == NULL || strstr (r.output, "completed") == NULL)
    g_test_message ("output: %s\nerrors: %s", r.output, r.errors);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, want));
  g_assert_nonnull (strstr (r.output, "completed"));
  iop_result_clear (&r);
}

/* The peer's client against our server. */
static void
run_our_server (const Case *k, const char *peer_path)
{
  g_autofree char *root = data_file ("ca/root.crt");
  g_autofree char *prio = gnutls_priority (k);
  g_autofree char *ca_opt = g_strdup_printf ("--x509cafile=%s", root);
  g_autofree char *prio_opt = g_strdup_printf ("--priority=%s", prio);
  g_autofree char *port = NULL, *addr = NULL, *out = NULL;
  g_autofree char *want = g_strdup_printf ("TLS 1.3  %s", k->suite->iana);
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "--suite", k->suite->iana,
                             "--groups", k->group->ours, "-n", "1", "--quiet", NULL };
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;
  int status = -1;
  gboolean ok;

  if (!iop_server_start (&server, lab_argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("handshake-lab serve did not start: %s", error->message);
    }
  port = g_strdup_printf ("%u", server.port);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  if (g_str_equal (k->peer, "openssl"))
    {
      const char *argv[] = { peer_path, "s_client", "-connect", addr, "-tls1_3",
                             "-ciphersuites", k->suite->iana, "-groups", k->group->openssl,
                             "-CAfile", root, "-servername", "server.handshake-lab.test",
                             "-verify_return_error", NULL };
      ok = iop_run (argv, "", IOP_TIMEOUT_MS, &r, &error);
    }
  else
    {
      const char *argv[] = { peer_path, "-p", port, "127.0.0.1", ca_opt, prio_opt,
                             "--sni-hostname=server.handshake-lab.test",
                             "--verify-hostname=server.handshake-lab.test", NULL };
      ok = iop_run (argv, "", IOP_TIMEOUT_MS, &r, &error);
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  iop_server_wait (&server, IOP_TIMEOUT_MS, &status);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  if (status != 0 || strstr (out, want) == NULL)
    g_test_message ("peer output: %s\nour server: %s", r.output, out);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, want));
  g_assert_nonnull (strstr (out, "completed"));
  if (g_str_equal (k->peer, "openssl"))
    {
      g_autofree char *cipher = g_strdup_printf ("Cipher is %s", k->suite->iana);
      g_assert_nonnull (strstr (r.output, cipher));
      g_assert_nonnull (strstr (r.output, "Verify return code: 0 (ok)"));
    }
  else
    g_assert_nonnull (strstr (r.output, "Handshake was completed"));
  iop_result_clear (&r);
}

static void
test_case (gconstpointer data)
{
  const Case *k = data;
  const char *program = g_str_equal (k->peer, "openssl") ? "openssl"
                        : k->our_client ? "gnutls-serv" : "gnutls-cli";
  g_autofree char *path = iop_find_program (program);

  g_test_summary ("A TLS 1.3 handshake with a real peer completes with this suite and group");
  if (path == NULL)
    {
      g_test_skip ("the peer program is not installed");
      return;
    }
  if (k->our_client)
    run_our_client (k, path);
  else
    run_our_server (k, path);
}

/* ------------------------------------------------------------------ */
/* Resumption with a ticket (RFC 8446, 2.2, 4.6.1, 4.2.11)             */

/* Our server issues a ticket; the peer's client keeps it and resumes with
 * it on a second connection. */
static void
test_resume_our_server (gconstpointer data)
{
  const char *peer = data;
  gboolean openssl = g_str_equal (peer, "openssl");
  g_autofree char *path = iop_find_program (openssl ? "openssl" : "gnutls-cli");
  g_autofree char *root = data_file ("ca/root.crt");
  g_autofree char *ca_opt = g_strdup_printf ("--x509cafile=%s", root);
  g_autofree char *sess = NULL, *port = NULL, *addr = NULL, *out = NULL;
  g_autofree char *tmp = NULL;
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "-n", "2", "--quiet", NULL };
  IopServer server = { 0 };
  IopResult r1 = { 0 }, r2 = { 0 };
  g_autoptr (GError) error = NULL;
  int status = -1;

  g_test_summary ("RFC 8446, 4.6.1 and 2.2: the peer's client resumes with the ticket our "
                  "server sent (openssl s_client -sess_out / -sess_in: \"Reused, TLSv1.3\"; "
                  "gnutls-cli --resume)");
  if (path == NULL)
    {
      g_test_skip ("the peer program is not installed");
      return;
    }
  tmp = g_dir_make_tmp ("tls13-resume-XXXXXX", &error);
  g_assert_no_error (error);
  sess = g_build_filename (tmp, "session.pem", NULL);
  if (!iop_server_start (&server, lab_argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("handshake-lab serve did not start: %s", error->message);
    }
  port = g_strdup_printf ("%u", server.port);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  if (openssl)
    {
      /* -ign_eof: s_client reads until our server closes, so the
       * NewSessionTicket that follows the handshake reaches it. */
      const char *first[] = { path, "s_client", "-connect", addr, "-tls1_3", "-CAfile", root,
                              "-servername", "server.handshake-lab.test", "-sess_out", sess,
                              "-ign_eof", NULL };
      const char *second[] = { path, "s_client", "-connect", addr, "-tls1_3", "-CAfile", root,
                               "-servername", "server.handshake-lab.test", "-sess_in", sess,
                               "-ign_eof", NULL };
      g_assert_true (iop_run (first, "GET / HTTP/1.0\r\n\r\n", IOP_TIMEOUT_MS, &r1, &error));
      g_assert_true (g_file_test (sess, G_FILE_TEST_EXISTS));
      g_assert_true (iop_run (second, "GET / HTTP/1.0\r\n\r\n", IOP_TIMEOUT_MS, &r2, &error));
    }
  else
    {
      const char *argv[] = { path, "-p", port, "127.0.0.1", ca_opt,
                             "--sni-hostname=server.handshake-lab.test",
                             "--verify-hostname=server.handshake-lab.test", "--resume", NULL };
      g_assert_true (iop_run (argv, "", IOP_TIMEOUT_MS, &r2, &error));
    }
  g_assert_no_error (error);
  iop_server_wait (&server, IOP_TIMEOUT_MS, &status);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  if (status != 0 || strstr (out, "resumed by ticket") == NULL)
    g_test_message ("peer output: %s\nour server: %s", r2.output, out);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "#1 "));
  g_assert_nonnull (strstr (out, "new session  completed"));
  g_assert_nonnull (strstr (out, "resumed by ticket  completed"));
  if (openssl)
    {
      g_assert_nonnull (strstr (r1.output, "New, TLSv1.3"));
      g_assert_nonnull (strstr (r2.output, "Reused, TLSv1.3"));
    }
  else
    g_assert_nonnull (strstr (r2.output, "This is a resumed session"));
  iop_result_clear (&r1);
  iop_result_clear (&r2);
  g_remove (sess);
  g_rmdir (tmp);
}

/* The peer's server sends tickets after the handshake; our client keeps
 * one and offers it on a second connection (connect --reconnect). */
static void
test_resume_our_client (gconstpointer data)
{
  const char *peer = data;
  gboolean openssl = g_str_equal (peer, "openssl");
  g_autofree char *path = iop_find_program (openssl ? "openssl" : "gnutls-serv");
  g_autofree char *chain = data_file ("server-rsa-chain.pem");
  g_autofree char *key = data_file ("server-rsa.key");
  g_autofree char *leaf = data_file ("server-rsa.crt");
  g_autofree char *cert_opt = g_strdup_printf ("--x509certfile=%s", chain);
  g_autofree char *key_opt = g_strdup_printf ("--x509keyfile=%s", key);
  g_autofree char *addr = NULL;
  const char *openssl_argv[] = { path, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                                 "-cert", leaf, "-cert_chain", chain, "-key", key, "-quiet",
                                 "-naccept", "2", NULL };
  const char *gnutls_argv[] = { path, "-p", "@PORT@", cert_opt, key_opt,
                                "--priority=NORMAL:-VERS-ALL:+VERS-TLS1.3", NULL };
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;

  g_test_summary ("RFC 8446, 4.6.1 and 4.2.11: our client keeps the ticket of the peer's "
                  "server and is resumed with it (psk_dhe_ke) on the second connection");
  if (path == NULL)
    {
      g_test_skip ("the peer program is not installed");
      return;
    }
  if (!iop_server_start (&server, openssl ? openssl_argv : gnutls_argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("%s did not start: %s", peer, error->message);
    }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  iop_run_program (&r, g_getenv ("HANDSHAKE_LAB"), IOP_TIMEOUT_MS, "connect", addr,
                   "--version", "1.3", "--servername", "server.handshake-lab.test",
                   "--reconnect", "--quiet", NULL);
  iop_server_stop (&server);
  if (r.status != 0 || strstr (r.output, "resumed by ticket") == NULL)
    g_test_message ("output: %s\nerrors: %s", r.output, r.errors);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "#1 "));
  g_assert_nonnull (strstr (r.output, "TLS 1.3  TLS_AES_128_GCM_SHA256  new session  completed"));
  g_assert_nonnull (strstr (r.output, "TLS 1.3  TLS_AES_128_GCM_SHA256  resumed by ticket  completed"));
  iop_result_clear (&r);
}

static char *
openssl_version (const char *path)
{
  const char *argv[] = { path, "version", NULL };
  IopResult r = { 0 };
  char *v;

  if (!iop_run (argv, "", IOP_TIMEOUT_MS, &r, NULL))
    return g_strdup ("?");
  v = g_strdup (g_strstrip (r.output));
  iop_result_clear (&r);
  return v;
}

/* One connection of our client (CFG) to 127.0.0.1:PORT, closed properly;
 * returns the conductor (to free). */
static TlsConductor *
our_connection (const TlsConfig *cfg, guint16 port, TlsTrace *trace)
{
  g_autoptr (GError) error = NULL;
  TlsConductor *c;
  int fd = tls_transport_connect ("127.0.0.1", port, IOP_TIMEOUT_MS, &error);

  g_assert_no_error (error);
  c = tls_conductor_new_peer (cfg, fd, trace, &error);
  g_assert_no_error (error);
  tls_conductor_run (c);
  if (tls_conductor_state (c) == TLS_RUN_COMPLETED)
    tls_serve_close (c, 2000, NULL);
  return c;
}

static void
test_bad_binder_openssl (void)
{
  g_autofree char *path = iop_find_program ("openssl");
  g_autofree char *chain = data_file ("server-rsa-chain.pem");
  g_autofree char *key = data_file ("server-rsa.key");
  g_autofree char *leaf = data_file ("server-rsa.crt");
  g_autofree char *root_path = data_file ("ca/root.crt");
  const char *argv[] = { path, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                         "-cert", leaf, "-cert_chain", chain, "-key", key, "-quiet",
                         "-naccept", "2", NULL };
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (16, "client");
  IopServer server = { 0 };
  g_autoptr (GError) error = NULL;
  TlsConnectionInfo info;
  TlsConductor *c;
  TlsConfig cfg;
  g_autofree char *title = NULL;
  g_autofree char *version = NULL;
  int alert;

  g_test_summary ("RFC 8446, 4.2.11: openssl s_server ends the handshake with a fatal alert "
                  "when the binder of the offered ticket has one bit changed (OpenSSL 3.0: "
                  "illegal_parameter; RFC 8446, 6.2 and our server: decrypt_error)");
  if (path == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  if (!iop_server_start (&server, argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("openssl did not start: %s", error->message);
    }
  tls_config_init (&cfg, TLS_ACTOR_CLIENT);
  cfg.min_version = cfg.max_version = TLS_VERSION_1_3;
  cfg.server_name = g_strdup ("server.handshake-lab.test");
  cfg.trust = tls_certificate_list_from_file (root_path, &error);
  g_assert_no_error (error);
  cfg.tickets = TRUE;
  cfg.rng = rng;
  cfg.record_received = TRUE;
  c = our_connection (&cfg, server.port, trace);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_true (tls_conductor_connection_info (c, TLS_ACTOR_CLIENT, &info));
  g_assert_nonnull (info.session);
  cfg.resume = tls_session_copy (info.session);
  tls_conductor_free (c);

  cfg.tamper = g_strdup ("client-bad-binder");
  trace->connection = 1;
  c = our_connection (&cfg, server.port, trace);
  iop_server_stop (&server);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  /* Measured: OpenSSL 3.0 sends illegal_parameter (its
   * tls_psk_do_binder); later OpenSSL sends decrypt_error, the alert RFC
   * 8446, 6.2 names for a PSK binder that does not validate, and the one
   * our server sends (test-tls13-psk.c). */
  alert = tls_conductor_alert (c);
  version = openssl_version (path);
  g_test_message ("%s answers a bad binder with %s", version, tls_alert_name (alert));
  g_assert_true (alert == TLS_ALERT_DECRYPT_ERROR || alert == TLS_ALERT_ILLEGAL_PARAMETER);
  title = g_strdup_printf ("Alert: %s", tls_alert_name (alert));
  g_assert_cmpint (tls_trace_find (trace, TLS_STEP_ALERT, title), >, 0);
  g_assert_true (tls_trace_get (trace, tls_trace_find (trace, TLS_STEP_ALERT, title))->observed);
  /* Our side did send the changed binder: the ClientHello was ours. */
  g_assert_cmpint (tls_trace_find (trace, TLS_STEP_DERIVATION, "PSK binder"), >, 0);
  tls_conductor_free (c);
  tls_config_clear (&cfg);
}

/* psk_ke only: openssl s_server takes it with -allow_no_dhe_kex, and
 * without it refuses the PSK, so our client goes on with a full
 * handshake (RFC 8446, 4.2.9 and 2.2). */
static void
test_psk_ke_openssl (gconstpointer data)
{
  gboolean allow = GPOINTER_TO_INT (data);
  g_autofree char *path = iop_find_program ("openssl");
  g_autofree char *chain = data_file ("server-rsa-chain.pem");
  g_autofree char *key = data_file ("server-rsa.key");
  g_autofree char *leaf = data_file ("server-rsa.crt");
  g_autofree char *root_path = data_file ("ca/root.crt");
  const char *argv[] = { path, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                         "-cert", leaf, "-cert_chain", chain, "-key", key, "-quiet",
                         "-naccept", "2", allow ? "-allow_no_dhe_kex" : NULL, NULL };
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (17, "client");
  IopServer server = { 0 };
  g_autoptr (GError) error = NULL;
  TlsConnectionInfo info;
  TlsConductor *c;
  TlsConfig cfg;
  int step;

  g_test_summary (allow
                  ? "RFC 8446, 4.2.9: our client offers its ticket in psk_ke only; openssl "
                    "s_server -allow_no_dhe_kex resumes without a key_share"
                  : "RFC 8446, 4.2.9 and 4.2.11: our client offers its ticket in psk_ke only; "
                    "openssl s_server refuses it and our client completes a full handshake");
  if (path == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  if (!iop_server_start (&server, argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("openssl did not start: %s", error->message);
    }
  tls_config_init (&cfg, TLS_ACTOR_CLIENT);
  cfg.min_version = cfg.max_version = TLS_VERSION_1_3;
  cfg.server_name = g_strdup ("server.handshake-lab.test");
  cfg.trust = tls_certificate_list_from_file (root_path, &error);
  g_assert_no_error (error);
  cfg.tickets = TRUE;
  cfg.rng = rng;
  cfg.record_received = TRUE;
  c = our_connection (&cfg, server.port, trace);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_true (tls_conductor_connection_info (c, TLS_ACTOR_CLIENT, &info));
  g_assert_nonnull (info.session);
  cfg.resume = tls_session_copy (info.session);
  tls_conductor_free (c);

  cfg.psk_ke_only = TRUE;
  trace->connection = 1;
  c = our_connection (&cfg, server.port, trace);
  iop_server_stop (&server);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_true (tls_conductor_connection_info (c, TLS_ACTOR_CLIENT, &info));
  g_assert_cmpint (info.resumed, ==, allow);
  step = tls_trace_find (trace, TLS_STEP_DECISION, "PSK accepted?");
  g_assert_cmpint (step, >, 0);
  g_assert_cmpstr (tls_trace_get (trace, step)->choice, ==,
                   allow ? "resumption, psk_ke" : "a full handshake");
  /* A full handshake shows the server's certificate again. */
  g_assert_cmpint (tls_trace_find (trace, TLS_STEP_MESSAGE, "Certificate") > step, ==, !allow);
  tls_conductor_free (c);
  tls_config_clear (&cfg);
}

int
main (int argc, char **argv)
{
  static const char *const peers[] = { "openssl", "gnutls" };
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_test_init (&argc, &argv, NULL);
  for (guint p = 0; p < G_N_ELEMENTS (peers); p++)
    for (int role = 0; role < 2; role++)
      for (guint i = 0; i < G_N_ELEMENTS (suites); i++)
        for (guint j = 0; j < G_N_ELEMENTS (groups); j++)
          {
            Case *k = g_new0 (Case, 1);
            g_autofree char *name = NULL;

            k->peer = peers[p];
            k->our_client = role == 0;
            k->suite = &suites[i];
            k->group = &groups[j];
            g_ptr_array_add (cases, k);
            name = g_strdup_printf ("/tls13-interop/%s/%s/%s/%s", k->our_client ? "our-client" : "our-server",
                                    peers[p], suites[i].iana, groups[j].ours);
            g_test_add_data_func (name, k, test_case);
          }
  g_test_add_data_func ("/tls13-interop/resumption/our-server/openssl", "openssl",
                        test_resume_our_server);
  g_test_add_data_func ("/tls13-interop/resumption/our-server/gnutls", "gnutls",
                        test_resume_our_server);
  g_test_add_data_func ("/tls13-interop/resumption/our-client/openssl", "openssl",
                        test_resume_our_client);
  g_test_add_data_func ("/tls13-interop/resumption/our-client/gnutls", "gnutls",
                        test_resume_our_client);
  g_test_add_func ("/tls13-interop/resumption/bad-binder/openssl", test_bad_binder_openssl);
  g_test_add_data_func ("/tls13-interop/resumption/psk-ke/openssl-allowed", GINT_TO_POINTER (TRUE),
                        test_psk_ke_openssl);
  g_test_add_data_func ("/tls13-interop/resumption/psk-ke/openssl-refused", GINT_TO_POINTER (FALSE),
                        test_psk_ke_openssl);
  rc = g_test_run ();
  g_ptr_array_unref (cases);
  return rc;
}
