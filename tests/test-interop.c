/* test-interop.c — our client and our server against real peers (OpenSSL
 * and GnuTLS, as separate processes) on 127.0.0.1, for every suite of the
 * table, with resumption and the extended master secret.
 *
 * Every process is started by the test and stopped in the fixture's
 * teardown (and killed with the test if it dies: PR_SET_PDEATHSIG).
 * Assertions are non-fatal so the whole matrix runs; each case records its
 * result in a table written to $G_TEST_BUILDDIR/interop-results.tsv (or
 * $INTEROP_RESULTS), from which docs/interop.md is made. */
#include <string.h>
#include <glib/gstdio.h>

#include "interop-peers.h"
#include "tls-trace-json.h"

#define TIMEOUT_MS IOP_TIMEOUT_MS

typedef struct
{
  const char *iana;
  const char *openssl;          /* OpenSSL's name of the suite */
  const char *gnutls;           /* cipher and MAC of a GnuTLS priority string */
  const char *gnutls_desc;      /* how gnutls-cli describes the session */
} Suite;

static const Suite suites[] = {
  { "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA",
    "+AES-128-CBC:-MAC-ALL:+SHA1", "(RSA)-(AES-128-CBC)-(SHA1)" },
  { "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA",
    "+AES-256-CBC:-MAC-ALL:+SHA1", "(RSA)-(AES-256-CBC)-(SHA1)" },
  { "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256",
    "+AES-128-CBC:-MAC-ALL:+SHA256", "(RSA)-(AES-128-CBC)-(SHA256)" },
  { "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256",
    "+AES-128-GCM:-MAC-ALL:+AEAD", "(RSA)-(AES-128-GCM)" },
  { "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384",
    "+AES-256-GCM:-MAC-ALL:+AEAD", "(RSA)-(AES-256-GCM)" },
};

typedef enum
{
  PEER_OPENSSL,
  PEER_GNUTLS,
} Peer;

typedef enum
{
  OUR_CLIENT,     /* our client, their server */
  OUR_SERVER,     /* their client, our server */
} Direction;

static const char *const peer_names[] = { "openssl", "gnutls" };
static const char *const direction_names[] = { "our client -> peer server",
                                               "peer client -> our server" };

typedef struct
{
  Peer          peer;
  Direction     dir;
  const Suite  *suite;
} Case;

typedef struct
{
  IopServer server;
} Fixture;

/* One row of the measured table. */
typedef struct
{
  char *suite;
  char *version;
  char *direction;
  char *peer;
  char *handshake;   /* "ok", "FAIL", "skipped" */
  char *resumed;     /* "yes", "no", "-" */
  char *ems;         /* "yes", "no", "-" */
  char *note;
} Row;

static const char *program;
static char *datadir;
static GPtrArray *rows;

static void
row_free (Row *r)
{
  g_free (r->suite);
  g_free (r->version);
  g_free (r->direction);
  g_free (r->peer);
  g_free (r->handshake);
  g_free (r->resumed);
  g_free (r->ems);
  g_free (r->note);
  g_free (r);
}

static void
record (const char *suite, const char *direction, const char *peer, const char *handshake,
        const char *resumed, const char *ems, const char *note)
{
  Row *r = g_new0 (Row, 1);

  r->suite = g_strdup (suite);
  r->version = g_strdup ("TLS 1.2");
  r->direction = g_strdup (direction);
  r->peer = g_strdup (peer);
  r->handshake = g_strdup (handshake);
  r->resumed = g_strdup (resumed);
  r->ems = g_strdup (ems);
  r->note = g_strdup (note ? note : "");
  g_strdelimit (r->note, "\t\n", ' ');
  g_ptr_array_add (rows, r);
}

static const char *
yes_no (gboolean b)
{
  return b ? "yes" : "no";
}

static char *
pki (const char *name)
{
  return g_build_filename (datadir, "pki", name, NULL);
}

static char *
gnutls_priority (const Suite *s)
{
  return g_strdup_printf ("NORMAL:-KX-ALL:+RSA:-CIPHER-ALL:%s:-VERS-ALL:+VERS-TLS1.2", s->gnutls);
}

/* Counts the lines of TEXT that hold all of A and B (B may be NULL). */
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

/* The first summary line ("#N ...") of TEXT of a handshake that did not
 * complete, or "". */
static char *
first_failed_summary (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] == '#' && strstr (lines[i], "  completed") == NULL)
      return g_strdup (lines[i]);
  return g_strdup ("");
}

/* The summary line of handshake N ("#N ...") in our output, or "". */
static char *
summary_line (const char *text, guint n)
{
  g_autofree char *prefix = g_strdup_printf ("#%u ", n);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i]);
  return g_strdup ("");
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  memset (f, 0, sizeof *f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  iop_server_stop (&f->server);
}

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
/* Our client, their server                                            */

/* REQUEST_CERT: gnutls-serv's default of asking for an (optional) client
 * certificate; the matrix turns it off. */
static gboolean
start_peer_server (Fixture *f, const Case *c, gboolean request_cert)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *crt = pki ("server-rsa.crt");
  g_autofree char *chain = pki ("server-rsa-chain.pem");
  g_autofree char *key = pki ("server-rsa.key");
  g_autofree char *inter = pki ("ca/intermediate.crt");
  g_autofree char *prio = gnutls_priority (c->suite);
  gboolean ok;

  if (c->peer == PEER_OPENSSL)
    {
      const char *argv[] = { "openssl", "s_server", "-accept", "@PORT@",
                             "-cert", crt, "-key", key, "-cert_chain", inter,
                             "-cipher", c->suite->openssl, NULL };
      ok = iop_server_start (&f->server, argv, TIMEOUT_MS, &error);
    }
  else
    {
      const char *argv[] = { "gnutls-serv", "--port", "@PORT@",
                             "--x509certfile", chain, "--x509keyfile", key,
                             "--priority", prio,
                             request_cert ? NULL : "--disable-client-cert", NULL };
      ok = iop_server_start (&f->server, argv, TIMEOUT_MS, &error);
    }
  g_assert_no_error (error);
  return ok;
}

static void
test_our_client (Fixture *f, gconstpointer data)
{
  const Case *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *addr = NULL;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  IopResult r;
  gboolean ok, resumed, ems;

  g_test_summary ("Our client completes a full and a resumed handshake with a real server, "
                  "with the extended master secret");
  if (!need_program (c->peer == PEER_OPENSSL ? "openssl" : "gnutls-serv"))
    {
      record (c->suite->iana, direction_names[c->dir], peer_names[c->peer], "skipped", "-", "-",
              "peer not installed");
      return;
    }
  if (!start_peer_server (f, c, FALSE))
    {
      record (c->suite->iana, direction_names[c->dir], peer_names[c->peer], "FAIL", "-", "-",
              "the peer server did not start");
      return;
    }
  addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
  {
    const char *argv[] = { program, "connect", addr, "--suite", c->suite->iana,
                           "--servername", "localhost", "--ca", root,
                           "--reconnect", "--quiet", "--timeout", "10000", NULL };
    g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  first = summary_line (r.output, 1);
  second = summary_line (r.output, 2);
  ok = r.exited && r.status == 0 && strstr (first, "  completed") != NULL
    && strstr (first, c->suite->iana) != NULL && strstr (first, "TLS 1.2") != NULL;
  resumed = strstr (second, "  resumed  ") != NULL && strstr (second, "  completed") != NULL;
  ems = strstr (first, "  EMS") != NULL;
  record (c->suite->iana, direction_names[c->dir], peer_names[c->peer], ok ? "ok" : "FAIL",
          yes_no (resumed), yes_no (ems), ok ? NULL : (*r.errors ? r.errors : first));

  if (!ok || !resumed || !ems)
    {
      g_autofree char *peer_out = iop_server_output (&f->server);
      g_test_message ("handshake-lab exit %d\nstdout:\n%s\nstderr:\n%s\npeer:\n%s",
                      r.status, r.output, r.errors, peer_out);
    }
  g_assert_true (r.exited);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (ok);
  g_assert_true (resumed);
  g_assert_true (ems);
  iop_result_clear (&r);
}

/* gnutls-serv as it comes asks for a client certificate (optional). */
static void
test_our_client_certificate_request (Fixture *f, gconstpointer data)
{
  const Case c = { PEER_GNUTLS, OUR_CLIENT, &suites[3] };
  g_autoptr (GError) error = NULL;
  g_autofree char *addr = NULL;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *first = NULL;
  IopResult r;
  gboolean ok;

  g_test_summary ("Our client completes a handshake with a server that asks for an optional "
                  "client certificate (gnutls-serv's default)");
  if (!need_program ("gnutls-serv") || !start_peer_server (f, &c, TRUE))
    {
      record (c.suite->iana, "our client -> peer server (CertificateRequest)", "gnutls",
              g_test_failed () ? "FAIL" : "skipped", "-", "-", NULL);
      return;
    }
  addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
  {
    const char *argv[] = { program, "connect", addr, "--suite", c.suite->iana,
                           "--servername", "localhost", "--ca", root, "--quiet", NULL };
    g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  first = summary_line (r.output, 1);
  ok = r.exited && r.status == 0 && strstr (first, "  completed") != NULL;
  record (c.suite->iana, "our client -> peer server (CertificateRequest)", "gnutls",
          ok ? "ok" : "FAIL", "-", yes_no (strstr (first, "  EMS") != NULL), ok ? NULL : first);
  if (!ok && strstr (first, "CertificateRequest") != NULL)
    g_test_incomplete ("our client does not answer a CertificateRequest yet "
                       "(docs/dev/cli-needs.md, item 6)");
  else
    {
      if (!ok)
        g_test_message ("stdout:\n%s\nstderr:\n%s", r.output, r.errors);
      g_assert_true (ok);
    }
  iop_result_clear (&r);
}

/* The demo PKI in a handshake: gnutls-serv sends NAME-chain.pem as it is
 * (with or without the intermediate); our client checks it against the demo
 * root with the host name localhost.  gnutls-serv wants the leaf first, so
 * out-of-order goes through openssl s_server, which sends the leaf and then
 * the chain file: leaf, intermediate, leaf again. */
typedef struct
{
  const char *name;
  const char *alerts;      /* NULL: valid; else the acceptable alerts, "a|b" */
} PkiCase;

static const PkiCase pki_cases[] = {
  { "server-rsa", NULL },
  { "out-of-order", NULL },
  { "expired", "certificate_expired" },
  { "not-yet-valid", "certificate_expired|bad_certificate" },
  { "wrong-host", "bad_certificate" },
  { "untrusted", "unknown_ca" },
  { "bad-signature", "bad_certificate" },
  { "intermediate-not-ca", "bad_certificate|unknown_ca" },
  { "wrong-key-usage", "unsupported_certificate" },
  { "missing-intermediate", "unknown_ca" },
  { "unknown-critical-ext", "unsupported_certificate|bad_certificate" },
};

static void
test_our_client_pki (Fixture *f, gconstpointer data)
{
  const PkiCase *pc = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *chain_name = g_strdup_printf ("%s-chain.pem", pc->name);
  g_autofree char *key_name = g_strdup_printf ("%s.key", pc->name);
  g_autofree char *chain = pki (chain_name);
  g_autofree char *key = pki (key_name);
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-interop-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (dir, "trace.json", NULL);
  g_autofree char *addr = NULL;
  g_autofree char *label = g_strdup_printf ("demo PKI: %s", pc->name);
  g_autoptr (TlsTrace) trace = NULL;
  const TlsStep *check = NULL;
  g_autofree char *crt_name = g_strdup_printf ("%s.crt", pc->name);
  g_autofree char *crt = pki (crt_name);
  gboolean leaf_first = !g_str_equal (pc->name, "out-of-order");
  const char *peer = leaf_first ? "gnutls" : "openssl";
  const char *gargv[] = { "gnutls-serv", "--port", "@PORT@", "--x509certfile", chain,
                          "--x509keyfile", key, "--disable-client-cert", NULL };
  const char *oargv[] = { "openssl", "s_server", "-accept", "@PORT@", "-cert", crt,
                          "-key", key, "-cert_chain", chain, NULL };
  const char *const *argv = leaf_first ? gargv : oargv;
  gboolean ok = FALSE;
  IopResult r;
  int idx;

  g_test_summary ("Our client validates the chain a real server sends, for every case of "
                  "the demo PKI: the verdict and the alert");
  if (!need_program (argv[0]))
    {
      record (label, direction_names[OUR_CLIENT], peer, "skipped", "-", "-", NULL);
      return;
    }
  if (!iop_server_start (&f->server, argv, TIMEOUT_MS, &error))
    {
      g_assert_no_error (error);
      record (label, direction_names[OUR_CLIENT], peer, "FAIL", "-", "-", "no server");
      return;
    }
  addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
  {
    const char *cargv[] = { program, "connect", addr, "--servername", "localhost",
                            "--ca", root, "--quiet", "--trace-json", json, NULL };
    g_assert_true (iop_run_split (cargv, NULL, TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  trace = tls_trace_load_json (json, NULL);
  g_unlink (json);
  g_rmdir (dir);
  /* Before the client ran the verifier, its trace had one "Certificate
   * chain" step, not checked; the verifier adds one check step a check, the
   * trust anchor among them. */
  idx = trace ? tls_trace_find (trace, TLS_STEP_CHECK, "Certificate chain") : -1;
  if (idx >= 0)
    check = tls_trace_get (trace, idx);
  idx = trace ? tls_trace_find (trace, TLS_STEP_CHECK, "Trust anchor") : -1;
  if (idx >= 0 && (check == NULL || check->result != TLS_CHECK_NOT_CHECKED))
    check = tls_trace_get (trace, idx);

  if (pc->alerts == NULL)
    ok = r.status == 0 && check != NULL && check->result == TLS_CHECK_PASSED;
  else
    {
      g_auto (GStrv) alerts = g_strsplit (pc->alerts, "|", -1);
      for (guint i = 0; alerts[i] != NULL; i++)
        ok |= r.status == 1 && strstr (r.errors, alerts[i]) != NULL;
    }
  {
    /* The verdict as the client gave it: accepted, or refused with its alert. */
    g_autofree char *verdict = NULL;
    if (r.status == 0)
      verdict = g_strdup ("accepted");
    else
      {
        const char *a = strstr (r.errors, "alert ");
        g_autofree char *name = a ? g_strndup (a + 6, strcspn (a + 6, " ")) : g_strdup ("?");
        verdict = g_strdup_printf ("refused: %s", name);
      }
    record (label, direction_names[OUR_CLIENT], peer,
            ok ? "ok" : check && check->result == TLS_CHECK_NOT_CHECKED ? "not checked" : "FAIL",
            "-", "-", ok ? verdict : r.errors);
  }
  if (!ok)
    g_test_message ("connect exit %d:\n%s%s", r.status, r.output, r.errors);
  if (!ok && check != NULL && check->result == TLS_CHECK_NOT_CHECKED)
    g_test_incomplete ("our client does not validate the server's chain in the handshake yet");
  else
    g_assert_true (ok);
  iop_result_clear (&r);
}

/* ------------------------------------------------------------------ */
/* Their client, our server                                            */

static gboolean
start_our_server (Fixture *f, const char *suite, guint count, gboolean www)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *n = g_strdup_printf ("%u", count);
  GPtrArray *argv = g_ptr_array_new ();
  gboolean ok;

  g_ptr_array_add (argv, (char *) program);
  g_ptr_array_add (argv, "serve");
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, "127.0.0.1:@PORT@");
  g_ptr_array_add (argv, "--count");
  g_ptr_array_add (argv, n);
  g_ptr_array_add (argv, "--quiet");
  g_ptr_array_add (argv, "--timeout");
  g_ptr_array_add (argv, "10000");
  if (suite != NULL)
    {
      g_ptr_array_add (argv, "--suite");
      g_ptr_array_add (argv, (char *) suite);
    }
  if (www)
    g_ptr_array_add (argv, "--www");
  g_ptr_array_add (argv, NULL);
  ok = iop_server_start (&f->server, (const char *const *) argv->pdata, TIMEOUT_MS, &error);
  g_ptr_array_unref (argv);
  g_assert_no_error (error);
  return ok;
}

/* Waits for our server to finish its --count; its exit status, or -1. */
static int
wait_our_server (Fixture *f, char **output)
{
  int status = -1;

  if (!iop_server_wait (&f->server, TIMEOUT_MS, &status))
    status = -1;
  *output = iop_server_output (&f->server);
  return status;
}

static void
test_our_server (Fixture *f, gconstpointer data)
{
  const Case *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *addr = NULL;
  g_autofree char *port = NULL;
  g_autofree char *prio = gnutls_priority (c->suite);
  g_autofree char *ours = NULL;
  g_autofree char *cipher_line = NULL;
  /* s_client -reconnect: one full handshake and five resumed ones. */
  guint count = c->peer == PEER_OPENSSL ? 6 : 2;
  IopResult r;
  gboolean ok, resumed, ems, ours_ok;
  int status;

  g_test_summary ("A real client completes a full and a resumed handshake with our server, "
                  "with the extended master secret");
  if (!need_program (c->peer == PEER_OPENSSL ? "openssl" : "gnutls-cli"))
    {
      record (c->suite->iana, direction_names[c->dir], peer_names[c->peer], "skipped", "-", "-",
              "peer not installed");
      return;
    }
  if (!start_our_server (f, c->suite->iana, count, FALSE))
    {
      record (c->suite->iana, direction_names[c->dir], peer_names[c->peer], "FAIL", "-", "-",
              "handshake-lab serve did not start");
      return;
    }
  addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
  port = g_strdup_printf ("%u", f->server.port);

  if (c->peer == PEER_OPENSSL)
    {
      const char *argv[] = { "openssl", "s_client", "-connect", addr,
                             "-servername", "localhost", "-verify_hostname", "localhost",
                             "-CAfile", root, "-verify_return_error",
                             "-cipher", c->suite->openssl, "-no_ticket", "-reconnect", NULL };
      g_assert_true (iop_run (argv, "", TIMEOUT_MS, &r, &error));
      cipher_line = g_strdup_printf ("Cipher is %s", c->suite->openssl);
      ok = r.exited && r.status == 0 && strstr (r.output, cipher_line) != NULL
        && strstr (r.output, "Protocol  : TLSv1.2") != NULL
        && strstr (r.output, "Verify return code: 0 (ok)") != NULL;
      resumed = strstr (r.output, "Reused, ") != NULL;
      ems = strstr (r.output, "Extended master secret: yes") != NULL;
    }
  else
    {
      const char *argv[] = { "gnutls-cli", "--x509cafile", root, "-p", port, "127.0.0.1",
                             "--priority", prio, "--resume", NULL };
      g_assert_true (iop_run (argv, "", TIMEOUT_MS, &r, &error));
      ok = r.exited && r.status == 0 && strstr (r.output, "- Handshake was completed") != NULL
        && strstr (r.output, c->suite->gnutls_desc) != NULL
        && strstr (r.output, "(TLS1.2") != NULL
        && strstr (r.output, "The certificate is trusted") != NULL;
      resumed = strstr (r.output, "This is a resumed session") != NULL;
      ems = strstr (r.output, "extended master secret") != NULL;
    }
  g_assert_no_error (error);

  status = wait_our_server (f, &ours);
  ours_ok = status == 0 && count_lines (ours, "  completed", c->suite->iana) == count
    && count_lines (ours, "  EMS", NULL) == count;
  {
    g_autofree char *why = first_failed_summary (ours);
    if (*why == '\0')
      why = g_strdup_printf ("peer exit %d; handshake-lab serve exit %d", r.status, status);
    record (c->suite->iana, direction_names[c->dir], peer_names[c->peer],
            ok && ours_ok ? "ok" : "FAIL", yes_no (resumed), yes_no (ems),
            ok && ours_ok ? NULL : why);
  }

  if (!ok || !ours_ok || !resumed || !ems)
    g_test_message ("peer exit %d:\n%s\nhandshake-lab serve exit %d:\n%s",
                    r.status, r.output, status, ours);
  g_assert_true (ok);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_lines (ours, "  completed", c->suite->iana), ==, count);
  g_assert_cmpuint (count_lines (ours, "  resumed  ", NULL), ==, count - 1);
  g_assert_true (resumed);
  g_assert_true (ems);
  iop_result_clear (&r);
}

/* A client of today, with its default offer (TLS 1.3 too): our server
 * answers with TLS 1.2. */
static void
test_our_server_default_client (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *addr = NULL;
  g_autofree char *ours = NULL;
  IopResult r;
  gboolean ok;
  int status;

  g_test_summary ("openssl s_client with its default offer completes TLS 1.2 with our server");
  if (!need_program ("openssl") || !start_our_server (f, NULL, 1, FALSE))
    {
      record ("(client's default offer)", direction_names[OUR_SERVER], "openssl",
              g_test_failed () ? "FAIL" : "skipped", "-", "-", NULL);
      return;
    }
  addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
  {
    const char *argv[] = { "openssl", "s_client", "-connect", addr, "-servername", "localhost",
                           "-CAfile", root, "-verify_return_error", NULL };
    g_assert_true (iop_run (argv, "", TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  status = wait_our_server (f, &ours);
  ok = r.exited && r.status == 0 && strstr (r.output, "Protocol  : TLSv1.2") != NULL;
  record ("(client's default offer)", direction_names[OUR_SERVER], "openssl",
          ok && status == 0 ? "ok" : "FAIL", "-",
          yes_no (strstr (r.output, "Extended master secret: yes") != NULL),
          ok && status == 0 ? NULL : ours);

  if (!ok || status != 0)
    g_test_message ("s_client exit %d:\n%s\nserve exit %d:\n%s", r.status, r.output, status, ours);
  g_assert_true (ok);
  g_assert_cmpint (status, ==, 0);
  iop_result_clear (&r);
}

/* serve --www answers curl with a page describing the session. */
static void
test_www_curl (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *url = NULL;
  g_autofree char *resolve = NULL;
  g_autofree char *ours = NULL;
  IopResult r;
  int status;

  g_test_summary ("serve --www answers an HTTP GET from curl with the session's description");
  if (!need_program ("curl") || !start_our_server (f, "TLS_RSA_WITH_AES_128_GCM_SHA256", 1, TRUE))
    {
      record ("TLS_RSA_WITH_AES_128_GCM_SHA256 (serve --www)", direction_names[OUR_SERVER],
              "curl", g_test_failed () ? "FAIL" : "skipped", "-", "-", NULL);
      return;
    }
  url = g_strdup_printf ("https://localhost:%u/", f->server.port);
  resolve = g_strdup_printf ("localhost:%u:127.0.0.1", f->server.port);
  {
    const char *argv[] = { "curl", "--silent", "--show-error", "--max-time", "10",
                           "--cacert", root, "--resolve", resolve, "--tls-max", "1.2",
                           url, NULL };
    g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  status = wait_our_server (f, &ours);
  if (r.status != 0 || status != 0)
    g_test_message ("curl exit %d:\n%s\n%s\nserve exit %d:\n%s", r.status, r.output, r.errors,
                    status, ours);
  record ("TLS_RSA_WITH_AES_128_GCM_SHA256 (serve --www)", direction_names[OUR_SERVER], "curl",
          r.status == 0 && status == 0 && strstr (r.output, "TLS 1.2") ? "ok" : "FAIL", "-", "-",
          NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "TLS 1.2"));
  g_assert_nonnull (strstr (r.output, "TLS_RSA_WITH_AES_128_GCM_SHA256"));
  g_assert_nonnull (strstr (r.output, "localhost"));
  g_assert_cmpint (status, ==, 0);
  iop_result_clear (&r);
}

/* ------------------------------------------------------------------ */

/* docs/interop.md, from the results, by tests/interop-table.py. */
static void
write_doc (const char *results)
{
  const char *doc = g_getenv ("INTEROP_DOC");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "interop-table.py", NULL);
  g_autofree char *python = iop_find_program ("python3");
  g_autoptr (GError) error = NULL;
  IopResult r;

  if (doc == NULL || python == NULL)
    return;
  {
    const char *argv[] = { python, script, results, doc, NULL };
    if (!iop_run (argv, NULL, TIMEOUT_MS, &r, &error))
      {
        g_printerr ("# cannot run %s: %s\n", script, error->message);
        return;
      }
  }
  if (r.exited && r.status == 0)
    g_print ("# %s written\n", doc);
  else
    g_printerr ("# %s failed:\n%s\n", script, r.output);
  iop_result_clear (&r);
}

static void
write_results (gboolean whole_matrix)
{
  const char *path = g_getenv ("INTEROP_RESULTS");
  g_autofree char *default_path = NULL;
  g_autoptr (GString) s = g_string_new ("suite\tversion\tdirection\tpeer\thandshake\tresumed\tems\tnote\n");
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = g_ptr_array_index (rows, i);
      g_string_append_printf (s, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r->suite, r->version,
                              r->direction, r->peer, r->handshake, r->resumed, r->ems, r->note);
    }
  if (path == NULL)
    path = default_path = g_build_filename (g_test_get_dir (G_TEST_BUILT),
                                            "interop-results.tsv", NULL);
  if (!g_file_set_contents (path, s->str, -1, &error))
    g_printerr ("# cannot write %s: %s\n", path, error->message);
  else
    {
      g_print ("# interop results written to %s\n", path);
      /* Only a run of every case may rewrite the page. */
      if (whole_matrix)
        write_doc (path);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = g_ptr_array_index (rows, i);
      g_print ("# %-44s %-26s %-8s %-8s resumed=%-3s ems=%s\n", r->suite, r->direction,
               r->peer, r->handshake, r->resumed, r->ems);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  const char *env;
  guint n_cases;
  int rc;

  g_test_init (&argc, &argv, NULL);
  /* A failed case must not stop the matrix, and teardown must run. */
  g_test_set_nonfatal_assertions ();

  program = g_getenv ("HANDSHAKE_LAB");
  if (program == NULL || !g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_message ("HANDSHAKE_LAB is not set to the handshake-lab program");
      return 77;
    }
  env = g_getenv ("HANDSHAKE_LAB_DATADIR");
  datadir = env ? g_strdup (env) : g_test_build_filename (G_TEST_DIST, "..", "data", NULL);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);

  for (Peer p = PEER_OPENSSL; p <= PEER_GNUTLS; p++)
    for (Direction d = OUR_CLIENT; d <= OUR_SERVER; d++)
      for (gsize i = 0; i < G_N_ELEMENTS (suites); i++)
        {
          Case *c = g_new0 (Case, 1);
          g_autofree char *path = g_strdup_printf ("/interop/%s/%s/%s", peer_names[p],
                                                   d == OUR_CLIENT ? "our-client" : "our-server",
                                                   suites[i].iana);
          c->peer = p;
          c->dir = d;
          c->suite = &suites[i];
          g_ptr_array_add (cases, c);
          g_test_add (path, Fixture, c, fixture_setup,
                      d == OUR_CLIENT ? test_our_client : test_our_server, fixture_teardown);
        }
  g_test_add ("/interop/gnutls/our-client/certificate-request", Fixture, NULL, fixture_setup,
              test_our_client_certificate_request, fixture_teardown);
  g_test_add ("/interop/openssl/our-server/default-offer", Fixture, NULL, fixture_setup,
              test_our_server_default_client, fixture_teardown);
  g_test_add ("/interop/curl/our-server/www", Fixture, NULL, fixture_setup,
              test_www_curl, fixture_teardown);

  for (gsize i = 0; i < G_N_ELEMENTS (pki_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/interop/%s/our-client/pki/%s",
                                               g_str_equal (pki_cases[i].name, "out-of-order")
                                               ? "openssl" : "gnutls", pki_cases[i].name);
      g_test_add (path, Fixture, &pki_cases[i], fixture_setup, test_our_client_pki,
                  fixture_teardown);
    }

  n_cases = cases->len + 3 + G_N_ELEMENTS (pki_cases);
  rc = g_test_run ();
  write_results (rows->len == n_cases);
  g_ptr_array_unref (rows);
  g_free (datadir);
  return rc;
}
