/* test-tls13-interop.c — our TLS 1.3 client and server against real peers
 * on 127.0.0.1 (issue 16): openssl s_server / s_client -tls1_3 and
 * gnutls-serv / gnutls-cli restricted to TLS 1.3, each TLS 1.3 suite and
 * each group.  Every peer is started by interop-peers.c and always stopped;
 * a test whose peer program is missing is skipped. */
#include "interop-peers.h"

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

/* ---- The HelloRetryRequest (RFC 8446, 4.1.4) ----------------------------- */

/* Our client, key share x25519 and supported_groups x25519, secp256r1,
 * against a server that takes only secp256r1: it asks for a retry. */
static void
test_hrr_our_client (gconstpointer data)
{
  const char *peer = data;
  g_autofree char *path = iop_find_program (g_str_equal (peer, "openssl") ? "openssl" : "gnutls-serv");
  g_autofree char *chain = data_file ("server-rsa-chain.pem");
  g_autofree char *key = data_file ("server-rsa.key");
  g_autofree char *leaf = data_file ("server-rsa.crt");
  g_autofree char *cert_opt = g_strdup_printf ("--x509certfile=%s", chain);
  g_autofree char *key_opt = g_strdup_printf ("--x509keyfile=%s", key);
  g_autofree char *addr = NULL;
  const char *openssl_argv[] = { path, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                                 "-groups", "P-256", "-cert", leaf, "-cert_chain", chain,
                                 "-key", key, "-quiet", "-naccept", "1", NULL };
  const char *gnutls_argv[] = { path, "-p", "@PORT@", cert_opt, key_opt,
                                "--priority=NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP256R1",
                                NULL };
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;

  g_test_summary ("Our client offering an x25519 share only gets a HelloRetryRequest for "
                  "secp256r1 from the peer's server, checks it, and completes");
  if (path == NULL)
    {
      g_test_skip ("the peer program is not installed");
      return;
    }
  if (!iop_server_start (&server, g_str_equal (peer, "openssl") ? openssl_argv : gnutls_argv,
                         IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("%s did not start: %s", peer, error->message);
    }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  iop_run_program (&r, g_getenv ("HANDSHAKE_LAB"), IOP_TIMEOUT_MS, "connect", addr,
                   "--version", "1.3", "--groups", "x25519,secp256r1",
                   "--servername", "server.handshake-lab.test", NULL);
  iop_server_stop (&server);
  if (r.status != 0 || strstr (r.output, "HelloRetryRequest acceptable") == NULL)
    g_test_message ("output: %s\nerrors: %s", r.output, r.errors);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "server → client  HelloRetryRequest  (message, observed"));
  g_assert_nonnull (strstr (r.output, "result: PASSED — TLS 1.3, a cipher suite the client "
                                      "offered, its legacy_session_id echoed, and selected_group "
                                      "secp256r1"));
  g_assert_nonnull (strstr (r.output, "  message_hash  (derivation"));
  g_assert_nonnull (strstr (r.output, "TLS 1.3  TLS_AES_"));
  g_assert_nonnull (strstr (r.output, "completed"));
  iop_result_clear (&r);
}

/* Our server, taking only GROUP, against the peer's client whose first
 * ClientHello has no share for it. */
static void
test_hrr_our_server (gconstpointer data)
{
  const char *peer = data;
  gboolean openssl = g_str_equal (peer, "openssl");
  g_autofree char *path = iop_find_program (openssl ? "openssl" : "gnutls-cli");
  g_autofree char *root = data_file ("ca/root.crt");
  g_autofree char *ca_opt = g_strdup_printf ("--x509cafile=%s", root);
  g_autofree char *port = NULL, *addr = NULL, *out = NULL, *want = NULL;
  /* gnutls-cli sends shares for x25519 and secp256r1: our server takes
   * secp384r1, the third group of its supported_groups. */
  const char *group = openssl ? "secp256r1" : "secp384r1";
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "--groups", group, "-n", "1", NULL };
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;
  int status = -1;
  gboolean ok;

  g_test_summary ("Our server, taking one group the peer's client lists but sent no share "
                  "for, answers with a HelloRetryRequest, checks the second ClientHello, and "
                  "completes");
  if (path == NULL)
    {
      g_test_skip ("the peer program is not installed");
      return;
    }
  if (!iop_server_start (&server, lab_argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("handshake-lab serve did not start: %s", error->message);
    }
  port = g_strdup_printf ("%u", server.port);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  if (openssl)
    {
      const char *argv[] = { path, "s_client", "-connect", addr, "-tls1_3",
                             "-groups", "X25519:P-256", "-CAfile", root,
                             "-servername", "server.handshake-lab.test",
                             "-verify_return_error", NULL };
      ok = iop_run (argv, "", IOP_TIMEOUT_MS, &r, &error);
    }
  else
    {
      const char *argv[] = { path, "-p", port, "127.0.0.1", ca_opt,
                             "--priority=NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519:"
                             "+GROUP-SECP256R1:+GROUP-SECP384R1",
                             "--sni-hostname=server.handshake-lab.test",
                             "--verify-hostname=server.handshake-lab.test", NULL };
      ok = iop_run (argv, "", IOP_TIMEOUT_MS, &r, &error);
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  iop_server_wait (&server, IOP_TIMEOUT_MS, &status);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  if (status != 0 || strstr (out, "Second ClientHello") == NULL)
    g_test_message ("peer output: %s\nour server: %s", r.output, out);
  g_assert_cmpint (status, ==, 0);
  want = g_strdup_printf ("choice: HelloRetryRequest for %s", group);
  g_assert_nonnull (strstr (out, want));
  g_assert_nonnull (strstr (out, "server → client  HelloRetryRequest  (message"));
  g_assert_nonnull (strstr (out, "result: PASSED — it is the first ClientHello with one key share"));
  g_assert_nonnull (strstr (out, "completed"));
  if (openssl)
    {
      g_assert_nonnull (strstr (r.output, "Server Temp Key: ECDH, prime256v1"));
      g_assert_nonnull (strstr (r.output, "Verify return code: 0 (ok)"));
    }
  else
    {
      g_assert_nonnull (strstr (r.output, "(ECDHE-SECP384R1)"));
      g_assert_nonnull (strstr (r.output, "Handshake was completed"));
    }
  iop_result_clear (&r);
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
  for (guint p = 0; p < G_N_ELEMENTS (peers); p++)
    {
      g_autofree char *c = g_strdup_printf ("/tls13-interop/hrr/our-client/%s", peers[p]);
      g_autofree char *s = g_strdup_printf ("/tls13-interop/hrr/our-server/%s", peers[p]);

      g_test_add_data_func (c, peers[p], test_hrr_our_client);
      g_test_add_data_func (s, peers[p], test_hrr_our_server);
    }
  rc = g_test_run ();
  g_ptr_array_unref (cases);
  return rc;
}
