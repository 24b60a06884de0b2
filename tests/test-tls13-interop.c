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
#include <unistd.h>

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

/* The RFC 7919 groups as TLS 1.3 key shares (RFC 8446, 4.2.8.1, 7.4.1). */
static const Group ffdhe_groups[] = {
  { "ffdhe2048", "ffdhe2048", "GROUP-FFDHE2048" },
  { "ffdhe3072", "ffdhe3072", "GROUP-FFDHE3072" },
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


/* ------------------------------------------------------------------ */
/* What was negotiated, read on both sides, and application data both ways
 * (issue 16, "Done when"; issue 13: ALPN and signature schemes with
 * gnutls).  Each case reads the suite, the group (and the signature
 * scheme, the application protocol when the case names one) from the
 * peer's own output and from our trace, and sends data each way: our
 * client sends a line with `connect --send` to `openssl s_server -www`
 * (which answers with a page) or `gnutls-serv --echo`; the peer's client
 * sends an HTTP request to `serve --www`, which answers with its page. */

typedef struct
{
  const char *ours;
  guint        code;       /* NamedGroup (RFC 8446, 4.2.7) */
  const char  *temp_key;   /* openssl s_client's "Server Temp Key: " */
} GroupSeen;

static const GroupSeen groups_seen[] = {
  { "x25519", 29, "X25519" },
  { "secp256r1", 23, "ECDH, prime256v1" },
  { "secp384r1", 24, "ECDH, secp384r1" },
  { "x448", 30, "X448" },
};

typedef struct
{
  const char  *peer;        /* "openssl" or "gnutls" */
  gboolean     our_client;
  const Suite *suite;
  const Group *group;
  const char  *cert;        /* the server's demo certificate: "server-rsa" or "server-ecdsa" */
  const char  *sig;         /* the one signature scheme the peer allows (ours, openssl's name), or NULL */
  const char  *sig_gnutls;  /* the same in a GnuTLS priority string */
  const char  *alpn_peer;   /* the peer's ALPN list (comma-separated), or NULL */
  const char  *alpn_ours;   /* our ALPN list, or NULL */
  const char  *alpn_want;   /* the protocol both must report, or NULL */
} DataCase;

static const GroupSeen *
group_seen (const Group *g)
{
  for (guint i = 0; i < G_N_ELEMENTS (groups_seen); i++)
    if (g_str_equal (groups_seen[i].ours, g->ours))
      return &groups_seen[i];
  g_assert_not_reached ();
}

/* Whether WANT appears in TEXT within SPAN bytes after ANCHOR (whose
 * first occurrence is taken). */
static gboolean
near (const char *text, const char *anchor, const char *want, gsize span)
{
  const char *a = strstr (text, anchor);
  g_autofree char *window = NULL;

  if (a == NULL)
    return FALSE;
  window = g_strndup (a, span);
  return strstr (window, want) != NULL;
}

static void
assert_contains (const char *what, const char *text, const char *want)
{
  if (strstr (text, want) == NULL)
    g_error ("%s does not say “%s”:\n%s", what, want, text);
}

static void
assert_near (const char *what, const char *text, const char *anchor, const char *want, gsize span)
{
  if (!near (text, anchor, want, span))
    g_error ("%s does not say “%s” after “%s”:\n%s", what, want, anchor, text);
}

/* A GnuTLS priority string for K: TLS 1.3, its suite and group, and its
 * signature scheme when it names one. */
static char *
data_gnutls_priority (const DataCase *k)
{
  return g_strdup_printf ("NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+%s:-GROUP-ALL:+%s%s%s",
                          k->suite->gnutls, k->group->gnutls, k->sig_gnutls ? ":-SIGN-ALL:+" : "",
                          k->sig_gnutls ? k->sig_gnutls : "");
}

/* Our trace shows application data each way. */
static void
assert_our_data (const char *trace)
{
  assert_contains ("our trace", trace, "client → server  Application Data");
  assert_contains ("our trace", trace, "server → client  Application Data");
}

/* "- Description: (TLS1.3-X.509)-(ECDHE-X448)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)" */
static void
assert_gnutls_description (const DataCase *k, const char *out)
{
  g_autofree char *kx = g_strdup_printf ("(TLS1.3-X.509)-(ECDHE-%s)-", k->group->gnutls + strlen ("GROUP-"));
  g_autofree char *cipher = g_strdup_printf (")-(%s)\n", k->suite->gnutls);

  assert_near ("the GnuTLS peer", out, "- Description: ", kx, 200);
  assert_near ("the GnuTLS peer", out, "- Description: ", cipher, 200);
  if (k->sig_gnutls != NULL)
    {
      g_autofree char *sig = g_strdup_printf (")-(%s)-", k->sig_gnutls + strlen ("SIGN-"));
      assert_near ("the GnuTLS peer", out, "- Description: ", sig, 200);
    }
  if (k->alpn_want != NULL)
    {
      g_autofree char *alpn = g_strdup_printf ("- Application protocol: %s\n", k->alpn_want);
      assert_contains ("the GnuTLS peer", out, alpn);
    }
}

/* Our client against openssl s_server -www -trace or gnutls-serv --echo. */
static void
run_data_our_client (const DataCase *k, const char *peer_path)
{
  g_autofree char *cert = g_strdup_printf ("%s.crt", k->cert);
  g_autofree char *key_name = g_strdup_printf ("%s.key", k->cert);
  g_autofree char *chain_name = g_strdup_printf ("%s-chain.pem", k->cert);
  g_autofree char *leaf = data_file (cert);
  g_autofree char *key = data_file (key_name);
  g_autofree char *chain = data_file (chain_name);
  g_autofree char *inter = data_file ("ca/intermediate.crt");
  g_autofree char *prio = data_gnutls_priority (k);
  g_autofree char *cert_opt = g_strdup_printf ("--x509certfile=%s", chain);
  g_autofree char *key_opt = g_strdup_printf ("--x509keyfile=%s", key);
  g_autofree char *prio_opt = g_strdup_printf ("--priority=%s", prio);
  g_autofree char *alpn_opt = g_strdup_printf ("--alpn=%s", k->alpn_peer ? k->alpn_peer : "");
  g_autofree char *addr = NULL, *out = NULL, *want = NULL;
  const GroupSeen *gs = group_seen (k->group);
  const char *openssl_argv[] = { peer_path, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                                 "-ciphersuites", k->suite->iana, "-groups", k->group->openssl,
                                 "-cert", leaf, "-cert_chain", inter, "-key", key, "-www", "-trace",
                                 "-naccept", "1", NULL };
  const char *gnutls_argv[] = { peer_path, "-p", "@PORT@", cert_opt, key_opt, prio_opt, "--echo",
                                "--disable-client-cert", NULL };
  g_autoptr (GPtrArray) sargv = g_ptr_array_new ();
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  gboolean openssl = g_str_equal (k->peer, "openssl");
  const char *line = openssl ? "GET / HTTP/1.0\\r\\n\\r\\n" : "hello from handshake-lab\\n";
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;

  /* The peer's options, then those the case may add: -sigalgs, -alpn
   * (openssl; gnutls-serv's signature scheme is in its priority string),
   * --alpn (gnutls). */
  for (const char *const *a = openssl ? openssl_argv : gnutls_argv; *a != NULL; a++)
    g_ptr_array_add (sargv, (char *) *a);
  if (openssl && k->sig != NULL)
    {
      g_ptr_array_add (sargv, "-sigalgs");
      g_ptr_array_add (sargv, (char *) k->sig);
    }
  if (openssl && k->alpn_peer != NULL)
    {
      g_ptr_array_add (sargv, "-alpn");
      g_ptr_array_add (sargv, (char *) k->alpn_peer);
    }
  if (!openssl && k->alpn_peer != NULL)
    g_ptr_array_add (sargv, alpn_opt);
  g_ptr_array_add (sargv, NULL);
  if (!iop_server_start (&server, (const char *const *) sargv->pdata, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("%s did not start: %s", k->peer, error->message);
    }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  g_ptr_array_add (argv, (char *) g_getenv ("HANDSHAKE_LAB"));
  for (const char *const *a = (const char *const[]) { "connect", addr, "--version", "1.3",
                                                       "--suite", k->suite->iana,
                                                       "--groups", k->group->ours,
                                                       "--servername", "server.handshake-lab.test",
                                                       "--send", line, NULL };
       *a != NULL; a++)
    g_ptr_array_add (argv, (char *) *a);
  if (k->alpn_ours != NULL)
    {
      g_ptr_array_add (argv, "--alpn");
      g_ptr_array_add (argv, (char *) k->alpn_ours);
    }
  g_ptr_array_add (argv, NULL);
  g_assert_true (iop_run_split ((const char *const *) argv->pdata, NULL, IOP_TIMEOUT_MS, &r, &error));
  g_assert_no_error (error);
  if (openssl)
    iop_server_wait (&server, IOP_TIMEOUT_MS, NULL);   /* -naccept 1: it ends after us */
  else
    for (guint i = 0; i < 100; i++)                     /* gnutls-serv stays: its log, at most 2 s */
      {
        g_free (out);
        out = iop_server_output (&server);
        if (strstr (out, "received cmd: ") != NULL)
          break;
        g_usleep (20 * 1000);
      }
  g_free (out);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  if (r.status != 0)
    g_test_message ("our client: %s\n%s\npeer: %s", r.output, r.errors, out);
  g_assert_cmpint (r.status, ==, 0);

  /* Our side: the suite and group our client accepted in the ServerHello,
   * the server's signature scheme, data each way. */
  want = g_strdup_printf ("subject: TLS 1.3, %s, %s\n", k->suite->iana, k->group->ours);
  assert_contains ("our trace", r.output, want);
  assert_our_data (r.output);
  if (k->sig != NULL)
    {
      g_autofree char *alg = g_strdup_printf ("algorithm: %s (", k->sig);
      assert_near ("our trace", r.output, "server → client  CertificateVerify", alg, 3000);
    }
  if (k->alpn_want != NULL)
    {
      g_autofree char *alpn = g_strdup_printf ("protocol_name: %s", k->alpn_want);
      assert_near ("our trace", r.output, "server → client  EncryptedExtensions", alpn, 3000);
    }

  /* The peer's side. */
  if (openssl)
    {
      g_autofree char *suite = g_strdup_printf ("} %s\n", k->suite->iana);
      g_autofree char *group = g_strdup_printf ("(%u)\n", gs->code);
      g_autoptr (GRegex) rx = NULL;

      assert_near ("openssl s_server -trace", out, "    ServerHello, Length=", suite, 400);
      assert_near ("openssl s_server -trace", out, "extension_type=key_share(51)", "NamedGroup: ", 80);
      {
        /* The key_share of the ServerHello (the ClientHello's comes first). */
        const char *sh = strstr (out, "    ServerHello, Length=");
        g_assert_nonnull (sh);
        assert_near ("openssl s_server -trace", sh, "extension_type=key_share(51)", group, 120);
        if (k->sig != NULL)
          {
            g_autofree char *alg = g_strdup_printf ("Signature Algorithm: %s (", k->sig);
            assert_near ("openssl s_server -trace", sh, "CertificateVerify, Length=", alg, 200);
          }
      }
      /* A record received and one sent with application data inside. */
      rx = g_regex_new ("Received Record\\nHeader:\\n(  .*\\n){3}  Inner Content Type = "
                        "ApplicationData \\(23\\)", 0, 0, NULL);
      g_assert_true (g_regex_match (rx, out, 0, NULL));
      g_clear_pointer (&rx, g_regex_unref);
      rx = g_regex_new ("Sent Record\\nHeader:\\n(  .*\\n){3}  Inner Content Type = "
                        "ApplicationData \\(23\\)", 0, 0, NULL);
      g_assert_true (g_regex_match (rx, out, 0, NULL));
      assert_near ("our trace", r.output, "server → client  Application Data",
                   "data: \"HTTP/1.0 200 ok", 200);
    }
  else
    {
      assert_gnutls_description (k, out);
      assert_contains ("gnutls-serv", out, "received cmd: hello from handshake-lab");
      assert_near ("our trace", r.output, "server → client  Application Data",
                   "data: \"hello from handshake-lab", 200);
    }
  iop_result_clear (&r);
}

/* The peer's client (openssl s_client, gnutls-cli) against serve --www. */
static void
run_data_our_server (const DataCase *k, const char *peer_path)
{
  g_autofree char *root = data_file ("ca/root.crt");
  g_autofree char *chain_name = g_strdup_printf ("%s-chain.pem", k->cert);
  g_autofree char *key_name = g_strdup_printf ("%s.key", k->cert);
  g_autofree char *chain = data_file (chain_name);
  g_autofree char *key = data_file (key_name);
  g_autofree char *prio = data_gnutls_priority (k);
  g_autofree char *ca_opt = g_strdup_printf ("--x509cafile=%s", root);
  g_autofree char *prio_opt = g_strdup_printf ("--priority=%s", prio);
  g_autofree char *port = NULL, *addr = NULL, *out = NULL, *want = NULL;
  const GroupSeen *gs = group_seen (k->group);
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "--suite", k->suite->iana,
                             "--groups", k->group->ours, "--cert", chain, "--key", key,
                             "-n", "1", "--www", k->alpn_ours ? "--alpn" : NULL, k->alpn_ours,
                             NULL };
  gboolean openssl = g_str_equal (k->peer, "openssl");
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  int status = -1;

  if (!iop_server_start (&server, lab_argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("handshake-lab serve did not start: %s", error->message);
    }
  port = g_strdup_printf ("%u", server.port);
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  g_ptr_array_add (argv, g_strdup (peer_path));
  if (openssl)
    {
      for (const char *const *a = (const char *const[]) { "s_client", "-connect", addr, "-tls1_3",
                                                           "-ciphersuites", k->suite->iana,
                                                           "-groups", k->group->openssl,
                                                           "-CAfile", root, "-servername",
                                                           "server.handshake-lab.test",
                                                           "-verify_return_error", "-ign_eof", NULL };
           *a != NULL; a++)
        g_ptr_array_add (argv, g_strdup (*a));
      if (k->sig != NULL)
        {
          g_ptr_array_add (argv, g_strdup ("-sigalgs"));
          g_ptr_array_add (argv, g_strdup (k->sig));
        }
      if (k->alpn_peer != NULL)
        {
          g_ptr_array_add (argv, g_strdup ("-alpn"));
          g_ptr_array_add (argv, g_strdup (k->alpn_peer));
        }
    }
  else
    {
      for (const char *const *a = (const char *const[]) { "-p", port, "127.0.0.1", ca_opt, prio_opt,
                                                           "--sni-hostname=server.handshake-lab.test",
                                                           "--verify-hostname=server.handshake-lab.test",
                                                           NULL };
           *a != NULL; a++)
        g_ptr_array_add (argv, g_strdup (*a));
      if (k->alpn_peer != NULL)
        {
          g_auto (GStrv) names = g_strsplit (k->alpn_peer, ",", -1);
          for (guint i = 0; names[i] != NULL; i++)
            g_ptr_array_add (argv, g_strdup_printf ("--alpn=%s", names[i]));
        }
    }
  g_ptr_array_add (argv, NULL);
  g_assert_true (iop_run ((const char *const *) argv->pdata, "GET / HTTP/1.0\r\n\r\n",
                          IOP_TIMEOUT_MS, &r, &error));
  g_assert_no_error (error);
  iop_server_wait (&server, IOP_TIMEOUT_MS, &status);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  if (status != 0 || r.status != 0)
    g_test_message ("peer output: %s\nour server: %s", r.output, out);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (r.status, ==, 0);

  /* Our side: the server's decisions, data each way. */
  want = g_strdup_printf ("TLS 1.3  %s", k->suite->iana);
  assert_contains ("our server", out, want);
  g_free (want);
  want = g_strdup_printf ("choice: %s\n", k->suite->iana);
  assert_near ("our trace", out, "server  Cipher suite  (decision", want, 2000);
  g_free (want);
  want = g_strdup_printf ("choice: %s\n", k->group->ours);
  assert_near ("our trace", out, "server  Key share group  (decision", want, 600);
  assert_our_data (out);
  if (k->sig != NULL)
    {
      g_autofree char *sig = g_strdup_printf ("choice: %s (", k->sig);
      assert_near ("our trace", out, "server  Signature scheme  (decision", sig, 2000);
    }
  if (k->alpn_want != NULL)
    {
      g_autofree char *alpn = g_strdup_printf ("choice: %s\n", k->alpn_want);
      assert_near ("our trace", out, "server  Application protocol (ALPN)  (decision", alpn, 600);
    }

  /* The peer's side; the page is our answer to its request. */
  assert_contains ("the peer", r.output, "HTTP/1.0 200 ok");
  if (openssl)
    {
      g_autofree char *cipher = g_strdup_printf ("Cipher is %s\n", k->suite->iana);
      g_autofree char *temp = g_strdup_printf ("Server Temp Key: %s, ", gs->temp_key);

      assert_contains ("openssl s_client", r.output, cipher);
      assert_contains ("openssl s_client", r.output, temp);
      assert_contains ("openssl s_client", r.output, "Verify return code: 0 (ok)");
      if (k->sig != NULL)
        {
          /* "Peer signature type: RSA-PSS" / "ECDSA", "Peer signing digest: SHA384" */
          const char *digest = strrchr (k->sig, '_') + 1;
          g_autofree char *up = g_ascii_strup (digest, -1);
          g_autofree char *d = g_strdup_printf ("Peer signing digest: %s\n", up);
          assert_contains ("openssl s_client", r.output, d);
          assert_contains ("openssl s_client", r.output,
                           g_str_has_prefix (k->sig, "ecdsa") ? "Peer signature type: ECDSA\n"
                                                              : "Peer signature type: RSA-PSS\n");
        }
      if (k->alpn_want != NULL)
        {
          g_autofree char *alpn = g_strdup_printf ("ALPN protocol: %s\n", k->alpn_want);
          assert_contains ("openssl s_client", r.output, alpn);
        }
    }
  else
    {
      assert_contains ("gnutls-cli", r.output, "- Handshake was completed");
      assert_gnutls_description (k, r.output);
    }
  iop_result_clear (&r);
}

static void
test_data_case (gconstpointer data)
{
  const DataCase *k = data;
  const char *program = g_str_equal (k->peer, "openssl") ? "openssl"
                        : k->our_client ? "gnutls-serv" : "gnutls-cli";
  g_autofree char *path = iop_find_program (program);

  g_test_summary ("A TLS 1.3 handshake with a real peer: both sides report the same suite and "
                  "group (and signature scheme, application protocol), and application data "
                  "goes each way");
  if (path == NULL)
    {
      g_test_skip ("the peer program is not installed");
      return;
    }
  if (k->our_client)
    run_data_our_client (k, path);
  else
    run_data_our_server (k, path);
}

/* Signature schemes the peer allows alone, with the certificate that
 * fits them (the demo RSA key is 2048 bits, the ECDSA key P-256). */
static const struct
{
  const char *cert, *sig, *sig_gnutls;
} sig_cases[] = {
  { "server-rsa", "rsa_pss_rsae_sha256", "SIGN-RSA-PSS-RSAE-SHA256" },
  { "server-rsa", "rsa_pss_rsae_sha384", "SIGN-RSA-PSS-RSAE-SHA384" },
  { "server-rsa", "rsa_pss_rsae_sha512", "SIGN-RSA-PSS-RSAE-SHA512" },
  { "server-ecdsa", "ecdsa_secp256r1_sha256", "SIGN-ECDSA-SECP256R1-SHA256" },
};

static void
add_data_cases (GPtrArray *cases)
{
  static const char *const peers[] = { "openssl", "gnutls" };

  for (guint p = 0; p < G_N_ELEMENTS (peers); p++)
    for (int role = 0; role < 2; role++)
      {
        const char *dir = role == 0 ? "our-client" : "our-server";

        for (guint i = 0; i < G_N_ELEMENTS (suites); i++)
          for (guint j = 0; j < G_N_ELEMENTS (groups); j++)
            {
              DataCase *k = g_new0 (DataCase, 1);
              g_autofree char *name = NULL;

              k->peer = peers[p];
              k->our_client = role == 0;
              k->suite = &suites[i];
              k->group = &groups[j];
              k->cert = "server-rsa";
              g_ptr_array_add (cases, k);
              name = g_strdup_printf ("/tls13-interop/data/%s/%s/%s/%s", dir, peers[p],
                                      suites[i].iana, groups[j].ours);
              g_test_add_data_func (name, k, test_data_case);
            }
        for (guint i = 0; i < G_N_ELEMENTS (sig_cases); i++)
          {
            DataCase *k = g_new0 (DataCase, 1);
            g_autofree char *name = NULL;

            k->peer = peers[p];
            k->our_client = role == 0;
            k->suite = &suites[0];
            k->group = &groups[0];
            k->cert = sig_cases[i].cert;
            k->sig = sig_cases[i].sig;
            k->sig_gnutls = sig_cases[i].sig_gnutls;
            g_ptr_array_add (cases, k);
            name = g_strdup_printf ("/tls13-interop/sigalgs/%s/%s/%s", dir, peers[p], k->sig);
            g_test_add_data_func (name, k, test_data_case);
          }
        {
          DataCase *k = g_new0 (DataCase, 1);
          g_autofree char *name = NULL;

          k->peer = peers[p];
          k->our_client = role == 0;
          k->suite = &suites[0];
          k->group = &groups[0];
          k->cert = "server-rsa";
          /* The server's list first: it picks by its own preference. */
          k->alpn_peer = role == 0 ? "http/1.1" : "h2,http/1.1";
          k->alpn_ours = role == 0 ? "h2,http/1.1" : "http/1.1";
          k->alpn_want = "http/1.1";
          g_ptr_array_add (cases, k);
          name = g_strdup_printf ("/tls13-interop/alpn/%s/%s", dir, peers[p]);
          g_test_add_data_func (name, k, test_data_case);
        }
      }
}

/* A client offering only h2 to serve --www (http/1.1): no_application_protocol
 * (RFC 7301, 3.2), in TLS 1.3 as in 1.2. */
static void
test_alpn_no_overlap (gconstpointer data)
{
  const char *peer = data;
  gboolean openssl = g_str_equal (peer, "openssl");
  g_autofree char *path = iop_find_program (openssl ? "openssl" : "gnutls-cli");
  g_autofree char *root = data_file ("ca/root.crt");
  g_autofree char *ca_opt = g_strdup_printf ("--x509cafile=%s", root);
  g_autofree char *port = NULL, *addr = NULL, *out = NULL;
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "-n", "1", "--www", NULL };
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;

  g_test_summary ("A TLS 1.3 client offering only h2 to serve --www gets no_application_protocol");
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
      const char *argv[] = { path, "s_client", "-connect", addr, "-tls1_3", "-alpn", "h2",
                             "-CAfile", root, "-servername", "server.handshake-lab.test", NULL };
      g_assert_true (iop_run (argv, "", IOP_TIMEOUT_MS, &r, &error));
    }
  else
    {
      const char *argv[] = { path, "-p", port, "127.0.0.1", ca_opt, "--alpn=h2",
                             "--priority=NORMAL:-VERS-ALL:+VERS-TLS1.3",
                             "--sni-hostname=server.handshake-lab.test", NULL };
      g_assert_true (iop_run (argv, "", IOP_TIMEOUT_MS, &r, &error));
    }
  g_assert_no_error (error);
  iop_server_wait (&server, IOP_TIMEOUT_MS, NULL);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  g_assert_cmpint (r.status, !=, 0);
  assert_contains ("the peer", r.output, openssl ? "no application protocol" : "Received alert [120]");
  assert_contains ("our server", out, "server → client  Alert: no_application_protocol");
  iop_result_clear (&r);
}


/* ------------------------------------------------------------------ */
/* Resumption with a ticket (RFC 8446, 2.2, 4.6.1, 4.2.11)             */

/* Our server issues a ticket; the peer's client keeps it and resumes with
 * it on a second connection. */
static void
test_resume_our_server (gconstpointer data)
{
  const char *peer = data;
  gboolean openssl = g_str_has_prefix (peer, "openssl");
  /* "+hrr": our server takes secp256r1 only, the peer's key share is for
   * X25519: both connections go through a HelloRetryRequest, and the
   * second ClientHello's binder covers it (RFC 8446, 4.1.2; 4.2.11.2). */
  gboolean hrr = g_str_has_suffix (peer, "+hrr");
  g_autofree char *path = iop_find_program (openssl ? "openssl" : "gnutls-cli");
  g_autofree char *root = data_file ("ca/root.crt");
  g_autofree char *ca_opt = g_strdup_printf ("--x509cafile=%s", root);
  g_autofree char *sess = NULL, *port = NULL, *addr = NULL, *out = NULL;
  g_autofree char *tmp = NULL;
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "-n", "2", hrr ? "--groups" : "--quiet",
                             hrr ? "secp256r1" : NULL, NULL };
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
  if (hrr)
    {
      /* two retries, the second ClientHello's binder checked after it */
      const char *second = strstr (out, "Resume with the PSK?");

      g_assert_nonnull (second);
      g_assert_nonnull (strstr (out, "server → client  HelloRetryRequest  (message"));
      g_assert_nonnull (strstr (strstr (second, "HelloRetryRequest  (message"),
                                "PSK binder verifies  (check"));
    }
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
  gboolean openssl = g_str_has_prefix (peer, "openssl");
  /* "+hrr": the peer's server takes P-256 only, our client's key share is
   * for x25519: both connections need a HelloRetryRequest, and the peer
   * checks the binder of our second ClientHello (RFC 8446, 4.2.11.2). */
  gboolean hrr = g_str_has_suffix (peer, "+hrr");
  g_autofree char *path = iop_find_program (openssl ? "openssl" : "gnutls-serv");
  g_autofree char *chain = data_file ("server-rsa-chain.pem");
  g_autofree char *key = data_file ("server-rsa.key");
  g_autofree char *leaf = data_file ("server-rsa.crt");
  g_autofree char *cert_opt = g_strdup_printf ("--x509certfile=%s", chain);
  g_autofree char *key_opt = g_strdup_printf ("--x509keyfile=%s", key);
  g_autofree char *addr = NULL;
  const char *openssl_argv[] = { path, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                                 "-cert", leaf, "-cert_chain", chain, "-key", key, "-quiet",
                                 "-naccept", "2", hrr ? "-groups" : NULL, "P-256", NULL };
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
                   "--reconnect", "--groups", "x25519,secp256r1", hrr ? NULL : "--quiet", NULL);
  iop_server_stop (&server);
  if (r.status != 0 || strstr (r.output, "resumed by ticket") == NULL)
    g_test_message ("output: %s\nerrors: %s", r.output, r.errors);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "#1 "));
  g_assert_nonnull (strstr (r.output, "TLS 1.3  TLS_AES_128_GCM_SHA256  new session  completed"));
  g_assert_nonnull (strstr (r.output, "TLS 1.3  TLS_AES_128_GCM_SHA256  resumed by ticket  completed"));
  if (hrr)
    {
      const char *binder = strstr (r.output, "client  PSK binder  (derivation");

      g_assert_nonnull (binder);
      g_assert_nonnull (strstr (binder, "server → client  HelloRetryRequest  (message, observed"));
    }
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

/* CFG set up for our TLS 1.3 client with tickets, and a first connection
 * to 127.0.0.1:PORT that completes: CFG->resume is its session, whose
 * ticket the next connection offers. */
static void
ticket_connection (TlsConfig *cfg, guint16 port, TlsTrace *trace, TlsRng *rng)
{
  g_autofree char *root_path = data_file ("ca/root.crt");
  g_autoptr (GError) error = NULL;
  TlsConnectionInfo info;
  TlsConductor *c;

  tls_config_init (cfg, TLS_ACTOR_CLIENT);
  cfg->min_version = cfg->max_version = TLS_VERSION_1_3;
  cfg->server_name = g_strdup ("server.handshake-lab.test");
  cfg->trust = tls_certificate_list_from_file (root_path, &error);
  g_assert_no_error (error);
  cfg->tickets = TRUE;
  cfg->rng = rng;
  cfg->record_received = TRUE;
  c = our_connection (cfg, port, trace);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_true (tls_conductor_connection_info (c, TLS_ACTOR_CLIENT, &info));
  g_assert_nonnull (info.session);
  cfg->resume = tls_session_copy (info.session);
  tls_conductor_free (c);
}

static void
test_bad_binder_openssl (void)
{
  g_autofree char *path = iop_find_program ("openssl");
  g_autofree char *chain = data_file ("server-rsa-chain.pem");
  g_autofree char *key = data_file ("server-rsa.key");
  g_autofree char *leaf = data_file ("server-rsa.crt");
  const char *argv[] = { path, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                         "-cert", leaf, "-cert_chain", chain, "-key", key, "-quiet",
                         "-naccept", "2", NULL };
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (16, "client");
  IopServer server = { 0 };
  g_autoptr (GError) error = NULL;
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
  ticket_connection (&cfg, server.port, trace, rng);

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
  ticket_connection (&cfg, server.port, trace, rng);

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

/* openssl s_client's command "K" / "k" (typed on its standard input, with
 * -quiet and -ign_eof off so that the commands count): a KeyUpdate with
 * update_requested / update_not_requested after the handshake, then, at the
 * end of its input, close_notify under its new keys.  Our server updates
 * its receiving keys, answers "K" with its own KeyUpdate and opens the
 * close_notify (RFC 8446, 4.6.3). */
static void
test_key_update_our_server (gconstpointer data)
{
  const char *command = data;
  gboolean requested = g_str_equal (command, "K\n");
  g_autofree char *root = data_file ("ca/root.crt");
  g_autofree char *chain = data_file ("server-rsa-chain.pem");
  g_autofree char *key = data_file ("server-rsa.key");
  g_autofree char *peer = iop_find_program ("openssl");
  g_autofree char *addr = NULL, *out = NULL;
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "--cert", chain, "--key", key, "-n", "1", "--www",
                             NULL };
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;
  int status = -1;

  if (peer == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  if (!iop_server_start (&server, lab_argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("handshake-lab serve did not start: %s", error->message);
    }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  g_assert_true (iop_run ((const char *const[]) { peer, "s_client", "-connect", addr, "-tls1_3",
                                                  "-CAfile", root, "-servername",
                                                  "server.handshake-lab.test",
                                                  "-verify_return_error", "-trace", NULL },
                          command, IOP_TIMEOUT_MS, &r, &error));
  g_assert_no_error (error);
  iop_server_wait (&server, IOP_TIMEOUT_MS, &status);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  if (status != 0 || r.status != 0)
    g_test_message ("peer output: %s\nour server: %s", r.output, out);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains ("openssl s_client", r.output, "KEYUPDATE\n");
  assert_contains ("openssl s_client -trace", r.output, "    KeyUpdate, Length=1\n");
  assert_near ("our trace", out, "client → server  KeyUpdate  (message, observed",
               requested ? "request_update: update_requested (1)"
                         : "request_update: update_not_requested (0)", 400);
  assert_contains ("our trace", out,
                   "server  traffic keys from client_application_traffic_secret_1");
  if (requested)
    assert_near ("our trace", out, "server → client  KeyUpdate  (message",
                 "request_update: update_not_requested (0)", 400);
  else
    g_assert_null (strstr (out, "server → client  KeyUpdate"));
  /* the close_notify after it opened under the client's new keys */
  assert_contains ("our trace", out, "client → server  Alert: close_notify");
  g_assert_null (strstr (out, "bad_record_mac"));
  iop_result_clear (&r);
}

/* An Ed25519 certificate (data/pki/server-ed25519, RFC 8410): our server
 * signs its CertificateVerify with ed25519 and openssl s_client verifies it
 * against ca/root.crt; our client verifies openssl s_server's (RFC 8446,
 * 4.2.3, 4.4.3). */
static void
test_ed25519 (gconstpointer data)
{
  gboolean our_client = GPOINTER_TO_INT (data);
  g_autofree char *root = data_file ("ca/root.crt");
  g_autofree char *inter = data_file ("ca/intermediate.crt");
  g_autofree char *leaf = data_file ("server-ed25519.crt");
  g_autofree char *chain = data_file ("server-ed25519-chain.pem");
  g_autofree char *key = data_file ("server-ed25519.key");
  g_autofree char *peer = iop_find_program ("openssl");
  g_autofree char *addr = NULL, *out = NULL;
  const char *openssl_argv[] = { peer, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                                 "-cert", leaf, "-cert_chain", inter, "-key", key, "-quiet",
                                 "-naccept", "1", NULL };
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "--cert", chain, "--key", key, "-n", "1",
                             "--www", NULL };
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;
  int status = -1;

  if (peer == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  if (!iop_server_start (&server, our_client ? openssl_argv : lab_argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("the server did not start: %s", error->message);
    }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  if (our_client)
    {
      iop_run_program (&r, g_getenv ("HANDSHAKE_LAB"), IOP_TIMEOUT_MS, "connect", addr,
                       "--version", "1.3", "--servername", "server.handshake-lab.test", NULL);
      iop_server_stop (&server);
      if (r.status != 0)
        g_test_message ("our client: %s\n%s", r.output, r.errors);
      g_assert_cmpint (r.status, ==, 0);
      assert_contains ("our trace", r.output, "completed");
      assert_near ("our trace", r.output, "server → client  CertificateVerify",
                   "algorithm: ed25519 (0x0807)", 3000);
      assert_near ("our trace", r.output, "client  CertificateVerify signature  (check",
                   "result: PASSED", 400);
    }
  else
    {
      g_assert_true (iop_run ((const char *const[]) { peer, "s_client", "-connect", addr,
                                                      "-tls1_3", "-CAfile", root, "-servername",
                                                      "server.handshake-lab.test",
                                                      "-verify_return_error", "-ign_eof", NULL },
                              "GET / HTTP/1.0\r\n\r\n", IOP_TIMEOUT_MS, &r, &error));
      g_assert_no_error (error);
      iop_server_wait (&server, IOP_TIMEOUT_MS, &status);
      out = iop_server_output (&server);
      iop_server_stop (&server);
      if (status != 0 || r.status != 0)
        g_test_message ("peer output: %s\nour server: %s", r.output, out);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpint (r.status, ==, 0);
      assert_contains ("openssl s_client", r.output, "Peer signature type: ed25519\n");
      assert_contains ("openssl s_client", r.output, "Verify return code: 0 (ok)");
      assert_near ("our trace", out, "server  Signature scheme  (decision", "choice: ed25519", 2000);
    }
  iop_result_clear (&r);
}

/* openssl s_server's command "K" (on its standard input, once the handshake
 * is done) against our client: s_server sends a KeyUpdate with
 * update_requested, then a line of data under its new keys.  Our client
 * updates its receiving keys, answers with its own KeyUpdate before any
 * more data (RFC 8446, 4.6.3) and opens the line. */
typedef struct
{
  char     *addr;
  IopResult r;
} OurClient;

static gpointer
our_client_thread (gpointer data)
{
  OurClient *oc = data;
  g_autoptr (GError) error = NULL;

  iop_run_split ((const char *const[]) { g_getenv ("HANDSHAKE_LAB"), "connect", oc->addr,
                                         "--version", "1.3", "--servername",
                                         "server.handshake-lab.test", "--send", "GET /\\n",
                                         "-t", "8000", NULL },
                 NULL, IOP_TIMEOUT_MS, &oc->r, &error);
  return NULL;
}

static void
test_key_update_our_client (void)
{
  g_autofree char *chain = data_file ("server-rsa-chain.pem");
  g_autofree char *leaf = data_file ("server-rsa.crt");
  g_autofree char *key = data_file ("server-rsa.key");
  g_autofree char *peer = iop_find_program ("openssl");
  g_autofree char *log = NULL, *out = NULL, *accept = NULL;
  g_autoptr (GSubprocessLauncher) l = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  OurClient oc = { NULL, { 0 } };
  GThread *thread = NULL;
  guint16 port = iop_free_port ();
  gboolean up = FALSE, done = FALSE;
  int fd;

  if (peer == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  g_assert_cmpuint (port, !=, 0);
  fd = g_file_open_tmp ("hl-ku-XXXXXX.log", &log, &error);
  g_assert_no_error (error);
  close (fd);
  accept = g_strdup_printf ("127.0.0.1:%u", port);
  l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (l, log);
  proc = g_subprocess_launcher_spawnv (l, (const char *const[]) { peer, "s_server", "-accept",
                                                                  accept, "-tls1_3", "-cert", leaf,
                                                                  "-cert_chain", chain, "-key", key,
                                                                  "-naccept", "1", "-trace", NULL },
                                       &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 200 && !(up = iop_port_listening (port)); i++)   /* at most 10 s */
    g_usleep (50 * 1000);
  if (up)
    {
      GOutputStream *in = g_subprocess_get_stdin_pipe (proc);

      oc.addr = accept;
      thread = g_thread_new ("our-client", our_client_thread, &oc);
      /* "K" once s_server has printed the session (its handshake is done),
       * then a line, then the end of its input */
      for (guint i = 0; i < 200 && !done; i++)                            /* at most 10 s */
        {
          g_clear_pointer (&out, g_free);
          g_file_get_contents (log, &out, NULL, NULL);
          done = out != NULL && strstr (out, "CIPHER is") != NULL;
          if (!done)
            g_usleep (50 * 1000);
        }
      g_output_stream_write_all (in, "K\n", 2, NULL, NULL, NULL);
      g_usleep (300 * 1000);
      g_output_stream_write_all (in, "hello after the update\n", 23, NULL, NULL, NULL);
      g_usleep (300 * 1000);
      g_output_stream_close (in, NULL, NULL);
      g_thread_join (thread);                 /* iop_run_split: at most IOP_TIMEOUT_MS */
    }
  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, NULL);
  g_clear_pointer (&out, g_free);
  g_file_get_contents (log, &out, NULL, NULL);
  g_unlink (log);
  g_assert_true (up);
  g_assert_true (done);
  if (oc.r.status != 0 || strstr (oc.r.output, "server → client  KeyUpdate") == NULL)
    g_test_message ("our client: %s\n%s\npeer: %s", oc.r.output, oc.r.errors, out);
  g_assert_cmpint (oc.r.status, ==, 0);
  assert_near ("our trace", oc.r.output, "server → client  KeyUpdate  (message, observed",
               "request_update: update_requested (1)", 400);
  assert_contains ("our trace", oc.r.output,
                   "client  traffic keys from server_application_traffic_secret_1");
  assert_near ("our trace", oc.r.output, "client → server  KeyUpdate  (message",
               "request_update: update_not_requested (0)", 400);
  assert_near ("our trace", oc.r.output, "server → client  Application Data",
               "hello after the update", 400);
  /* s_server received our KeyUpdate (it sent only update_requested) */
  assert_contains ("openssl s_server -trace", out, "      update_not_requested (0)\n");
  iop_result_clear (&oc.r);
}


/* 0-RTT (RFC 8446, 2.3, 4.2.10): our client resumes with the ticket of
 * openssl s_server -early_data and sends its request as early data;
 * openssl prints the early data it read. */
static void
test_early_data_our_client (void)
{
  g_autofree char *path = iop_find_program ("openssl");
  g_autofree char *chain = data_file ("server-rsa-chain.pem");
  g_autofree char *key = data_file ("server-rsa.key");
  g_autofree char *leaf = data_file ("server-rsa.crt");
  g_autofree char *out = NULL;
  const char *argv[] = { path, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                         "-cert", leaf, "-cert_chain", chain, "-key", key, "-early_data",
                         "-naccept", "2", NULL };
  const char *request = "GET /early HTTP/1.0\r\n\r\n";
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (16, "client");
  IopServer server = { 0 };
  g_autoptr (GError) error = NULL;
  TlsConductor *c;
  TlsConfig cfg;
  int d;

  g_test_summary ("RFC 8446, 2.3 and 4.2.10: openssl s_server -early_data accepts the 0-RTT "
                  "request our client sends with its ticket, and prints it");
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
  ticket_connection (&cfg, server.port, trace, rng);
  g_assert_cmpuint (cfg.resume->max_early_data, >, 0);   /* the ticket's early_data */

  cfg.early_data = g_bytes_new (request, strlen (request));
  trace->connection = 1;
  c = our_connection (&cfg, server.port, trace);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  tls_conductor_free (c);
  iop_server_wait (&server, IOP_TIMEOUT_MS, NULL);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  d = tls_trace_find (trace, TLS_STEP_DECISION, "Early data accepted?");
  g_assert_cmpint (d, >, 0);
  if (g_strcmp0 (tls_trace_get (trace, d)->choice,
                 "accepted: the server has read the 0-RTT data") != 0
      || strstr (out, "Early data received") == NULL)
    g_test_message ("openssl: %s", out);
  g_assert_cmpstr (tls_trace_get (trace, d)->choice, ==, "accepted: the server has read the 0-RTT data");
  g_assert_cmpint (tls_trace_find (trace, TLS_STEP_MESSAGE, "EndOfEarlyData"), >, d);
  /* s_server: "Early data received:", the data, "End of early data" */
  g_assert_nonnull (strstr (out, "Early data received"));
  g_assert_nonnull (strstr (out, "GET /early HTTP/1.0"));
  tls_config_clear (&cfg);
}

/* 0-RTT the other way: openssl s_client -sess_in F -early_data FILE
 * against our server (serve --early-data), which accepts and reads it;
 * then the same again with the same session file, the same ticket: the
 * server's tickets are single-use (RFC 8446, 8.1), so the second early
 * data is refused and the handshake is a full one. */
static void
test_early_data_our_server (void)
{
  g_autofree char *path = iop_find_program ("openssl");
  g_autofree char *root = data_file ("ca/root.crt");
  g_autofree char *tmp = NULL, *sess = NULL, *early = NULL, *addr = NULL, *out = NULL;
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "-n", "3", "--early-data", "16384", NULL };
  IopServer server = { 0 };
  IopResult r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
  g_autoptr (GError) error = NULL;
  const char *read, *eoed, *third;
  int status = -1;

  g_test_summary ("RFC 8446, 2.3, 4.2.10 and 4.5: openssl s_client resumes with our server's "
                  "ticket and sends 0-RTT data; our server accepts it, reads it under the "
                  "client_early_traffic_secret's keys, then EndOfEarlyData. RFC 8446, 8 and "
                  "8.1: a second s_client with the same session file (the same ticket and "
                  "early data) gets a full handshake, and its early data is refused");
  if (path == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  tmp = g_dir_make_tmp ("tls13-early-XXXXXX", &error);
  g_assert_no_error (error);
  sess = g_build_filename (tmp, "session.pem", NULL);
  early = g_build_filename (tmp, "early.txt", NULL);
  g_assert_true (g_file_set_contents (early, "GET /early HTTP/1.0\r\n\r\n", -1, &error));
  if (!iop_server_start (&server, lab_argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("handshake-lab serve did not start: %s", error->message);
    }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  {
    const char *first[] = { path, "s_client", "-connect", addr, "-tls1_3", "-CAfile", root,
                            "-servername", "server.handshake-lab.test", "-sess_out", sess,
                            "-ign_eof", NULL };
    const char *second[] = { path, "s_client", "-connect", addr, "-tls1_3", "-CAfile", root,
                             "-servername", "server.handshake-lab.test", "-sess_in", sess,
                             "-early_data", early, NULL };
    g_assert_true (iop_run (first, "", IOP_TIMEOUT_MS, &r1, &error));
    g_assert_true (g_file_test (sess, G_FILE_TEST_EXISTS));
    g_assert_true (iop_run (second, "", IOP_TIMEOUT_MS, &r2, &error));
    g_assert_true (iop_run (second, "", IOP_TIMEOUT_MS, &r3, &error));
  }
  g_assert_no_error (error);
  iop_server_wait (&server, IOP_TIMEOUT_MS, &status);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  if (status != 0 || strstr (r2.output, "Early data was accepted") == NULL
      || strstr (r3.output, "Early data was rejected") == NULL)
    g_test_message ("peer: %s\n%s\nour server: %s", r2.output, r3.output, out);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (r1.output, "Max Early Data: 16384"));
  g_assert_nonnull (strstr (r2.output, "Reused, TLSv1.3"));
  g_assert_nonnull (strstr (r2.output, "Early data was accepted"));
  g_assert_nonnull (strstr (out, "resumed by ticket  completed"));
  read = strstr (out, "0-RTT data read  (check");
  g_assert_nonnull (read);
  g_assert_nonnull (strstr (read, "GET /early HTTP/1.0"));
  eoed = strstr (read, "client → server  EndOfEarlyData  (message, observed");
  g_assert_nonnull (eoed);
  /* The second use of the ticket: a full handshake that completes, no
   * early data read (8.1). */
  g_assert_cmpint (r3.status, ==, 0);
  g_assert_nonnull (strstr (r3.output, "New, TLSv1.3"));
  g_assert_nonnull (strstr (r3.output, "Early data was rejected"));
  third = strstr (eoed, "--- #3 ");
  g_assert_nonnull (third);
  {
    const char *summary = strstr (third, "\n#3 ");
    g_autofree char *line = summary ? g_strndup (summary + 1, strcspn (summary + 1, "\n")) : NULL;

    g_assert_nonnull (line);
    g_assert_nonnull (strstr (line, "  new session  completed"));
  }
  g_assert_null (strstr (third, "0-RTT data read  (check"));
  g_assert_nonnull (strstr (third, "reason: this ticket is not among this server's outstanding "
                                   "tickets: it was used already"));
  g_assert_nonnull (strstr (third, "choice: refuse: skip the 0-RTT records"));
  iop_result_clear (&r1);
  iop_result_clear (&r2);
  iop_result_clear (&r3);
  g_remove (sess);
  g_remove (early);
  g_rmdir (tmp);
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
  add_data_cases (cases);
  g_test_add_data_func ("/tls13-interop/alpn/no-overlap/openssl", "openssl", test_alpn_no_overlap);
  g_test_add_data_func ("/tls13-interop/alpn/no-overlap/gnutls", "gnutls", test_alpn_no_overlap);
  g_test_add_data_func ("/tls13-interop/resumption/our-server/openssl", "openssl",
                        test_resume_our_server);
  g_test_add_data_func ("/tls13-interop/resumption/our-server/gnutls", "gnutls",
                        test_resume_our_server);
  g_test_add_data_func ("/tls13-interop/resumption/our-client/openssl", "openssl",
                        test_resume_our_client);
  g_test_add_data_func ("/tls13-interop/resumption/our-client/gnutls", "gnutls",
                        test_resume_our_client);
  g_test_add_data_func ("/tls13-interop/resumption/our-server/openssl+hrr", "openssl+hrr",
                        test_resume_our_server);
  g_test_add_data_func ("/tls13-interop/resumption/our-client/openssl+hrr", "openssl+hrr",
                        test_resume_our_client);
  g_test_add_func ("/tls13-interop/resumption/bad-binder/openssl", test_bad_binder_openssl);
  g_test_add_data_func ("/tls13-interop/resumption/psk-ke/openssl-allowed", GINT_TO_POINTER (TRUE),
                        test_psk_ke_openssl);
  g_test_add_data_func ("/tls13-interop/resumption/psk-ke/openssl-refused", GINT_TO_POINTER (FALSE),
                        test_psk_ke_openssl);
  g_test_add_data_func ("/tls13-interop/key-update/our-server/openssl-K", "K\n",
                        test_key_update_our_server);
  g_test_add_data_func ("/tls13-interop/key-update/our-server/openssl-k", "k\n",
                        test_key_update_our_server);
  for (guint p = 0; p < G_N_ELEMENTS (peers); p++)
    for (int role = 0; role < 2; role++)
      for (guint j = 0; j < G_N_ELEMENTS (ffdhe_groups); j++)
        {
          Case *k = g_new0 (Case, 1);
          g_autofree char *name = NULL;

          k->peer = peers[p];
          k->our_client = role == 0;
          k->suite = &suites[0];
          k->group = &ffdhe_groups[j];
          g_ptr_array_add (cases, k);
          name = g_strdup_printf ("/tls13-interop/ffdhe/%s/%s/%s",
                                  k->our_client ? "our-client" : "our-server", peers[p],
                                  ffdhe_groups[j].ours);
          g_test_add_data_func (name, k, test_case);
        }
  g_test_add_data_func ("/tls13-interop/ed25519/our-client/openssl", GINT_TO_POINTER (TRUE),
                        test_ed25519);
  g_test_add_data_func ("/tls13-interop/ed25519/our-server/openssl", GINT_TO_POINTER (FALSE),
                        test_ed25519);
  g_test_add_func ("/tls13-interop/key-update/our-client/openssl-K", test_key_update_our_client);
  g_test_add_func ("/tls13-interop/early-data/our-client/openssl", test_early_data_our_client);
  g_test_add_func ("/tls13-interop/early-data/our-server/openssl", test_early_data_our_server);
  rc = g_test_run ();
  g_ptr_array_unref (cases);
  return rc;
}
