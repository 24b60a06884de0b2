/* test-interop.c — our client and our server against real peers (OpenSSL
 * and GnuTLS, as separate processes) on 127.0.0.1.
 *
 * The matrix: every suite of our table that a live peer speaks (the static
 * DH_* suites have none), at every version the suite allows, in both
 * directions, against both peers; each case is a full handshake, then one
 * resumed by session ID, with the extended master secret.  Then: tickets and
 * client certificates in both directions, a server that asks for an
 * optional client certificate, a client with today's default offer, curl
 * against `serve --www`, and every demo PKI case in a handshake.
 *
 * Every process is started by the test and stopped in the fixture's
 * teardown (and killed with the test if it dies: PR_SET_PDEATHSIG).
 * Assertions are non-fatal so the whole matrix runs; each case records its
 * result in a table written to $G_TEST_BUILDDIR/interop-results.tsv (or
 * $INTEROP_RESULTS), from which tests/interop-table.py writes
 * docs/interop.md ($INTEROP_DOC) after a run of every case. */
#include <string.h>
#include <glib/gstdio.h>

#include "interop-peers.h"
#include "tls-suites.h"
#include "tls-trace-json.h"
#include "tls-types.h"

#define TIMEOUT_MS IOP_TIMEOUT_MS

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

/* One case of the matrix. */
typedef struct
{
  const TlsSuite *suite;
  guint16         version;
  Peer            peer;
  Direction       dir;
  char           *openssl;   /* OpenSSL's name of the suite */
  char           *priority;  /* GnuTLS priority string for the suite and version */
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
  char *handshake;   /* "ok", "FAIL", "skipped", "not checked" */
  char *resumed;     /* "yes", "no", "-" */
  char *ems;         /* "yes", "no", "-" */
  char *note;
} Row;

static const char *program;
static char *datadir;
static GPtrArray *rows;
static GHashTable *openssl_names;   /* IANA name -> OpenSSL name */
static guint cases_run;

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
record (const char *suite, guint16 version, const char *direction, const char *peer,
        const char *handshake, const char *resumed, const char *ems, const char *note)
{
  Row *r = g_new0 (Row, 1);

  r->suite = g_strdup (suite);
  r->version = g_strdup (tls_version_name (version));
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

/* Counts the lines of TEXT that hold A and B (B may be NULL). */
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

/* The first summary line of TEXT of a handshake that did not complete. */
static char *
first_failed_summary (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] == '#' && strstr (lines[i], "  completed") == NULL)
      return g_strdup (lines[i]);
  return g_strdup ("");
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  memset (f, 0, sizeof *f);
  cases_run++;
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
/* What the peers call things                                          */

/* "-tls1", "-tls1_1", "-tls1_2" */
static const char *
openssl_version_flag (guint16 v)
{
  return v == TLS_VERSION_1_0 ? "-tls1" : v == TLS_VERSION_1_1 ? "-tls1_1" : "-tls1_2";
}

/* How s_client names the protocol in its session ("Protocol  : TLSv1"). */
static const char *
openssl_protocol (guint16 v)
{
  return v == TLS_VERSION_1_0 ? "Protocol  : TLSv1\n"
       : v == TLS_VERSION_1_1 ? "Protocol  : TLSv1.1\n" : "Protocol  : TLSv1.2\n";
}

static const char *
gnutls_version (guint16 v)
{
  return v == TLS_VERSION_1_0 ? "TLS1.0" : v == TLS_VERSION_1_1 ? "TLS1.1" : "TLS1.2";
}

static const char *
gnutls_kx (TlsKeyExchange kx)
{
  switch (kx)
    {
    case TLS_KX_RSA:         return "RSA";
    case TLS_KX_DHE_RSA:     return "DHE-RSA";
    case TLS_KX_DHE_DSS:     return "DHE-DSS";
    case TLS_KX_ECDHE_RSA:   return "ECDHE-RSA";
    case TLS_KX_ECDHE_ECDSA: return "ECDHE-ECDSA";
    default:                 return NULL;
    }
}

static const char *
gnutls_cipher (TlsCipherId c)
{
  switch (c)
    {
    case TLS_CIPHER_AES_128_CBC:       return "AES-128-CBC";
    case TLS_CIPHER_AES_256_CBC:       return "AES-256-CBC";
    case TLS_CIPHER_AES_128_GCM:       return "AES-128-GCM";
    case TLS_CIPHER_AES_256_GCM:       return "AES-256-GCM";
    case TLS_CIPHER_3DES_EDE_CBC:      return "3DES-CBC";
    case TLS_CIPHER_RC4_128:           return "ARCFOUR-128";
    case TLS_CIPHER_CHACHA20_POLY1305: return "CHACHA20-POLY1305";
    default:                           return NULL;
    }
}

static const char *
gnutls_mac (TlsMacId m)
{
  switch (m)
    {
    case TLS_MAC_AEAD:   return "AEAD";
    case TLS_MAC_MD5:    return "MD5";
    case TLS_MAC_SHA1:   return "SHA1";
    case TLS_MAC_SHA256: return "SHA256";
    case TLS_MAC_SHA384: return "SHA384";
    default:             return NULL;
    }
}

/* A GnuTLS priority string that allows exactly SUITE at VERSION. */
static char *
gnutls_priority (const TlsSuite *s, guint16 version)
{
  const char *kx = gnutls_kx (s->kx), *c = gnutls_cipher (s->cipher), *m = gnutls_mac (s->mac);

  if (kx == NULL || c == NULL || m == NULL)
    return NULL;
  return g_strdup_printf ("NORMAL:-KX-ALL:+%s:-CIPHER-ALL:+%s:-MAC-ALL:+%s:-VERS-ALL:+VERS-%s",
                          kx, c, m, gnutls_version (version));
}

/* Whether this GnuTLS has a suite for PRIORITY (gnutls-cli -l lists it). */
static gboolean
gnutls_has (const char *priority)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "gnutls-cli", "--priority", priority, "-l", NULL };
  IopResult r;
  gboolean has;

  if (!iop_run (argv, NULL, TIMEOUT_MS, &r, &error))
    return FALSE;
  has = r.exited && r.status == 0 && count_lines (r.output, "TLS_", NULL) > 0;
  iop_result_clear (&r);
  return has;
}

/* IANA -> OpenSSL names, from `openssl ciphers -stdname`. */
static GHashTable *
read_openssl_names (void)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "openssl", "ciphers", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
                         NULL };
  g_auto (GStrv) lines = NULL;
  IopResult r;

  if (!iop_run (argv, NULL, TIMEOUT_MS, &r, &error))
    return names;
  lines = g_strsplit (r.output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* "TLS_RSA_WITH_AES_128_CBC_SHA - AES128-SHA  SSLv3 Kx=RSA ..." */
      g_auto (GStrv) w = g_strsplit_set (lines[i], " \t", -1);
      const char *iana = NULL, *name = NULL;
      gboolean dash = FALSE;

      for (guint j = 0; w[j] != NULL; j++)
        {
          if (*w[j] == '\0')
            continue;
          if (iana == NULL)
            iana = w[j];
          else if (!dash && g_str_equal (w[j], "-"))
            dash = TRUE;
          else if (dash)
            {
              name = w[j];
              break;
            }
        }
      if (iana != NULL && name != NULL)
        g_hash_table_insert (names, g_strdup (iana), g_strdup (name));
    }
  iop_result_clear (&r);
  return names;
}

/* The demo identity whose key fits the key exchange. */
static const char *
identity_for (TlsKeyExchange kx)
{
  switch (kx)
    {
    case TLS_KX_DHE_DSS:     return "server-dsa";
    case TLS_KX_ECDHE_ECDSA: return "server-ecdsa";
    default:                 return "server-rsa";
    }
}

static char *
openssl_cipher_arg (const Case *c)
{
  /* TLS 1.0/1.1, SHA-1 and DSA need OpenSSL's security level 0. */
  return g_strdup_printf ("%s:@SECLEVEL=0", c->openssl);
}

/* ------------------------------------------------------------------ */
/* Our client, their server                                            */

static gboolean
start_peer_server (Fixture *f, const Case *c)
{
  g_autoptr (GError) error = NULL;
  const char *id = identity_for (c->suite->kx);
  g_autofree char *crt_name = g_strdup_printf ("%s.crt", id);
  g_autofree char *chain_name = g_strdup_printf ("%s-chain.pem", id);
  g_autofree char *key_name = g_strdup_printf ("%s.key", id);
  g_autofree char *crt = pki (crt_name);
  g_autofree char *chain = pki (chain_name);
  g_autofree char *key = pki (key_name);
  g_autofree char *inter = pki ("ca/intermediate.crt");
  gboolean ok;

  if (c->peer == PEER_OPENSSL)
    {
      g_autofree char *cipher = openssl_cipher_arg (c);
      const char *argv[] = { "openssl", "s_server", "-accept", "@PORT@",
                             "-cert", crt, "-key", key, "-cert_chain", inter,
                             "-cipher", cipher, openssl_version_flag (c->version), NULL };
      ok = iop_server_start (&f->server, argv, TIMEOUT_MS, &error);
    }
  else
    {
      const char *argv[] = { "gnutls-serv", "--port", "@PORT@",
                             "--x509certfile", chain, "--x509keyfile", key,
                             "--priority", c->priority, "--disable-client-cert", NULL };
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
  const char *version = tls_version_name (c->version) + 4;   /* "1.2" */
  IopResult r;
  gboolean ok, resumed, ems;

  g_test_summary ("Our client completes a full handshake and one resumed by session ID with "
                  "a real server, with the extended master secret");
  if (!need_program (c->peer == PEER_OPENSSL ? "openssl" : "gnutls-serv"))
    {
      record (c->suite->name, c->version, direction_names[c->dir], peer_names[c->peer],
              "skipped", "-", "-", "peer not installed");
      return;
    }
  if (!start_peer_server (f, c))
    {
      record (c->suite->name, c->version, direction_names[c->dir], peer_names[c->peer],
              "FAIL", "-", "-", "the peer server did not start");
      return;
    }
  addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
  {
    const char *argv[] = { program, "connect", addr, "--suite", c->suite->name,
                           "--version", version, "--servername", "localhost", "--ca", root,
                           "--no-tickets", "--reconnect", "--quiet", "--timeout", "10000", NULL };
    g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  first = summary_line (r.output, 1);
  second = summary_line (r.output, 2);
  ok = r.exited && r.status == 0 && strstr (first, "  completed") != NULL
    && strstr (first, c->suite->name) != NULL
    && strstr (first, tls_version_name (c->version)) != NULL;
  resumed = strstr (second, "  resumed  ") != NULL && strstr (second, "  completed") != NULL;
  ems = strstr (first, "  EMS") != NULL;
  record (c->suite->name, c->version, direction_names[c->dir], peer_names[c->peer],
          ok ? "ok" : "FAIL", yes_no (resumed), yes_no (ems),
          ok ? NULL : (*r.errors ? r.errors : first));

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

/* ------------------------------------------------------------------ */
/* Their client, our server                                            */

/* handshake-lab serve on a free port for COUNT handshakes, with the
 * NULL-terminated options that follow. */
static gboolean
start_our_server (Fixture *f, guint count, ...)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *n = g_strdup_printf ("%u", count);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
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
  va_start (ap, count);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  ok = iop_server_start (&f->server, (const char *const *) argv->pdata, TIMEOUT_MS, &error);
  g_assert_no_error (error);
  return ok;
}

/* Waits for our server to finish its --count; its exit status, or -1.
 * When the client failed, the server may be waiting for connections that
 * will not come: a short wait then. */
static int
wait_our_server (Fixture *f, gboolean client_ok, char **output)
{
  int status = -1;

  if (!iop_server_wait (&f->server, client_ok ? TIMEOUT_MS : 2000, &status))
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
  const char *id = identity_for (c->suite->kx);
  g_autofree char *chain_name = g_strdup_printf ("%s-chain.pem", id);
  g_autofree char *key_name = g_strdup_printf ("%s.key", id);
  g_autofree char *chain = pki (chain_name);
  g_autofree char *key = pki (key_name);
  const char *version = tls_version_name (c->version) + 4;
  g_autofree char *addr = NULL;
  g_autofree char *port = NULL;
  g_autofree char *ours = NULL;
  /* s_client -reconnect: one full handshake and five resumed ones. */
  guint count = c->peer == PEER_OPENSSL ? 6 : 2;
  IopResult r;
  gboolean ok, resumed, ems, ours_ok;
  int status;

  g_test_summary ("A real client completes a full handshake and one resumed by session ID "
                  "with our server, with the extended master secret");
  if (!need_program (c->peer == PEER_OPENSSL ? "openssl" : "gnutls-cli"))
    {
      record (c->suite->name, c->version, direction_names[c->dir], peer_names[c->peer],
              "skipped", "-", "-", "peer not installed");
      return;
    }
  /* No tickets: the resumption measured here is by session ID. */
  if (!start_our_server (f, count, "--suite", c->suite->name, "--version", version,
                         "--cert", chain, "--key", key, "--no-tickets", NULL))
    {
      record (c->suite->name, c->version, direction_names[c->dir], peer_names[c->peer],
              "FAIL", "-", "-", "handshake-lab serve did not start");
      return;
    }
  addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
  port = g_strdup_printf ("%u", f->server.port);

  if (c->peer == PEER_OPENSSL)
    {
      g_autofree char *cipher = openssl_cipher_arg (c);
      g_autofree char *cipher_line = g_strdup_printf ("Cipher is %s", c->openssl);
      const char *argv[] = { "openssl", "s_client", "-connect", addr,
                             "-servername", "localhost", "-verify_hostname", "localhost",
                             "-CAfile", root, "-verify_return_error",
                             "-cipher", cipher, openssl_version_flag (c->version),
                             "-no_ticket", "-reconnect", NULL };
      g_assert_true (iop_run (argv, "", TIMEOUT_MS, &r, &error));
      ok = r.exited && r.status == 0 && strstr (r.output, cipher_line) != NULL
        && strstr (r.output, openssl_protocol (c->version)) != NULL
        && strstr (r.output, "Verify return code: 0 (ok)") != NULL;
      resumed = strstr (r.output, "Reused, ") != NULL;
      ems = strstr (r.output, "Extended master secret: yes") != NULL;
    }
  else
    {
      g_autofree char *desc = g_strdup_printf ("(%s-X.509)", gnutls_version (c->version));
      const char *argv[] = { "gnutls-cli", "--x509cafile", root, "-p", port, "127.0.0.1",
                             "--priority", c->priority, "--resume", NULL };
      g_assert_true (iop_run (argv, "", TIMEOUT_MS, &r, &error));
      ok = r.exited && r.status == 0 && strstr (r.output, "- Handshake was completed") != NULL
        && strstr (r.output, desc) != NULL
        && strstr (r.output, gnutls_cipher (c->suite->cipher)) != NULL
        && strstr (r.output, "The certificate is trusted") != NULL;
      resumed = strstr (r.output, "This is a resumed session") != NULL;
      ems = strstr (r.output, "extended master secret") != NULL;
    }
  g_assert_no_error (error);

  status = wait_our_server (f, ok, &ours);
  ours_ok = status == 0 && count_lines (ours, "  completed", c->suite->name) == count
    && count_lines (ours, "  EMS", NULL) == count
    && count_lines (ours, tls_version_name (c->version), NULL) == count;
  {
    g_autofree char *why = first_failed_summary (ours);
    if (*why == '\0')
      {
        g_free (why);
        why = g_strdup_printf ("peer exit %d; handshake-lab serve exit %d", r.status, status);
      }
    record (c->suite->name, c->version, direction_names[c->dir], peer_names[c->peer],
            ok && ours_ok ? "ok" : "FAIL", yes_no (resumed), yes_no (ems),
            ok && ours_ok ? NULL : why);
  }

  if (!ok || !ours_ok || !resumed || !ems)
    g_test_message ("peer exit %d:\n%s\nhandshake-lab serve exit %d:\n%s",
                    r.status, r.output, status, ours);
  g_assert_true (ok);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_lines (ours, "  completed", c->suite->name), ==, count);
  g_assert_cmpuint (count_lines (ours, "  resumed  ", NULL), ==, count - 1);
  g_assert_true (resumed);
  g_assert_true (ems);
  iop_result_clear (&r);
}

/* ------------------------------------------------------------------ */
/* Session tickets (RFC 5077), both directions                         */

#define TICKET_SUITE "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"

static void
test_tickets (Fixture *f, gconstpointer data)
{
  Peer peer = GPOINTER_TO_INT (data) & 1;
  Direction dir = GPOINTER_TO_INT (data) >> 1;
  g_autoptr (GError) error = NULL;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *chain = pki ("server-rsa-chain.pem");
  g_autofree char *crt = pki ("server-rsa.crt");
  g_autofree char *key = pki ("server-rsa.key");
  g_autofree char *inter = pki ("ca/intermediate.crt");
  g_autofree char *addr = NULL;
  g_autofree char *port = NULL;
  g_autofree char *out = NULL;
  const char *label = "session ticket (" TICKET_SUITE ")";
  gboolean ok = FALSE, by_ticket = FALSE;
  IopResult r;
  int status = -1;

  g_test_summary ("Resumption by session ticket (RFC 5077) with a real peer, both directions");
  if (!need_program (dir == OUR_CLIENT ? (peer == PEER_OPENSSL ? "openssl" : "gnutls-serv")
                     : (peer == PEER_OPENSSL ? "openssl" : "gnutls-cli")))
    {
      record (label, TLS_VERSION_1_2, direction_names[dir], peer_names[peer], "skipped", "-",
              "-", NULL);
      return;
    }

  if (dir == OUR_CLIENT)
    {
      /* Both peers issue tickets by default. */
      const char *oargv[] = { "openssl", "s_server", "-accept", "@PORT@", "-cert", crt,
                              "-key", key, "-cert_chain", inter, "-tls1_2", NULL };
      const char *gargv[] = { "gnutls-serv", "--port", "@PORT@", "--x509certfile", chain,
                              "--x509keyfile", key, "--disable-client-cert", NULL };
      if (!iop_server_start (&f->server, peer == PEER_OPENSSL ? oargv : gargv, TIMEOUT_MS,
                             &error))
        {
          g_assert_no_error (error);
          record (label, TLS_VERSION_1_2, direction_names[dir], peer_names[peer], "FAIL", "-",
                  "-", "the peer server did not start");
          return;
        }
      addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
      {
        const char *argv[] = { program, "connect", addr, "--suite", TICKET_SUITE,
                               "--servername", "localhost", "--reconnect", "--quiet", NULL };
        g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, &r, &error));
      }
      {
        g_autofree char *second = summary_line (r.output, 2);
        ok = r.exited && r.status == 0 && strstr (second, "  completed") != NULL;
        by_ticket = strstr (second, "ticket") != NULL;
      }
      out = g_strconcat (r.output, r.errors, NULL);
    }
  else
    {
      guint count = peer == PEER_OPENSSL ? 6 : 2;
      if (!start_our_server (f, count, "--suite", TICKET_SUITE, NULL))
        {
          record (label, TLS_VERSION_1_2, direction_names[dir], peer_names[peer], "FAIL", "-",
                  "-", "handshake-lab serve did not start");
          return;
        }
      addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
      port = g_strdup_printf ("%u", f->server.port);
      if (peer == PEER_OPENSSL)
        {
          const char *argv[] = { "openssl", "s_client", "-connect", addr, "-servername",
                                 "localhost", "-CAfile", root, "-verify_return_error",
                                 "-tls1_2", "-reconnect", NULL };
          g_assert_true (iop_run (argv, "", TIMEOUT_MS, &r, &error));
          ok = r.exited && r.status == 0 && strstr (r.output, "Reused, ") != NULL
            && strstr (r.output, "TLS session ticket lifetime hint") != NULL;
        }
      else
        {
          const char *argv[] = { "gnutls-cli", "--x509cafile", root, "-p", port, "127.0.0.1",
                                 "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2", "--resume",
                                 NULL };
          g_assert_true (iop_run (argv, "", TIMEOUT_MS, &r, &error));
          ok = r.exited && r.status == 0
            && strstr (r.output, "This is a resumed session") != NULL;
        }
      status = wait_our_server (f, ok, &out);
      ok = ok && status == 0;
      by_ticket = count_lines (out, "#", "ticket") == count - 1;
      {
        g_autofree char *both = g_strconcat (r.output, "\n--- serve:\n", out, NULL);
        g_free (out);
        out = g_steal_pointer (&both);
      }
    }
  g_assert_no_error (error);
  record (label, TLS_VERSION_1_2, direction_names[dir], peer_names[peer],
          ok && by_ticket ? "ok" : "FAIL", yes_no (by_ticket), "-",
          ok && by_ticket ? "resumed by ticket" : NULL);
  if (!ok || !by_ticket)
    g_test_message ("%s", out);
  g_assert_true (ok);
  g_assert_true (by_ticket);
  iop_result_clear (&r);
}

/* ------------------------------------------------------------------ */
/* Client certificates, both directions, every version                 */

typedef struct
{
  Peer      peer;
  Direction dir;
  guint16   version;
} ClientCertCase;

static void
test_client_cert (Fixture *f, gconstpointer data)
{
  const ClientCertCase *cc = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *chain = pki ("server-rsa-chain.pem");
  g_autofree char *crt = pki ("server-rsa.crt");
  g_autofree char *key = pki ("server-rsa.key");
  g_autofree char *inter = pki ("ca/intermediate.crt");
  g_autofree char *cchain = pki ("client-rsa-chain.pem");
  g_autofree char *ccrt = pki ("client-rsa.crt");
  g_autofree char *ckey = pki ("client-rsa.key");
  const char *version = tls_version_name (cc->version) + 4;
  g_autofree char *prio = g_strdup_printf ("NORMAL:-VERS-ALL:+VERS-%s",
                                           gnutls_version (cc->version));
  g_autofree char *addr = NULL;
  g_autofree char *port = NULL;
  g_autofree char *out = NULL;
  gboolean ok = FALSE;
  IopResult r;
  int status = -1;

  g_test_summary ("Client certificates with a real peer: the server requires one, the "
                  "client sends its chain and a CertificateVerify, the server checks both");
  if (!need_program (cc->peer == PEER_OPENSSL ? "openssl"
                     : cc->dir == OUR_CLIENT ? "gnutls-serv" : "gnutls-cli"))
    {
      record ("client certificate (client-rsa)", cc->version, direction_names[cc->dir],
              peer_names[cc->peer], "skipped", "-", "-", NULL);
      return;
    }

  if (cc->dir == OUR_CLIENT)
    {
      /* The peer requires a certificate and checks it against the demo root. */
      const char *oargv[] = { "openssl", "s_server", "-accept", "@PORT@", "-cert", crt,
                              "-key", key, "-cert_chain", inter, "-Verify", "2",
                              "-verify_return_error", "-CAfile", root,
                              "-cipher", "DEFAULT:@SECLEVEL=0",
                              openssl_version_flag (cc->version), NULL };
      const char *gargv[] = { "gnutls-serv", "--port", "@PORT@", "--x509certfile", chain,
                              "--x509keyfile", key, "--require-client-cert",
                              "--verify-client-cert", "--x509cafile", root, "--priority", prio,
                              NULL };
      if (!iop_server_start (&f->server, cc->peer == PEER_OPENSSL ? oargv : gargv, TIMEOUT_MS,
                             &error))
        {
          g_assert_no_error (error);
          record ("client certificate (client-rsa)", cc->version, direction_names[cc->dir],
                  peer_names[cc->peer], "FAIL", "-", "-", "the peer server did not start");
          return;
        }
      addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
      {
        const char *argv[] = { program, "connect", addr, "--servername", "localhost",
                               "--version", version, "--cert", cchain, "--key", ckey,
                               "--quiet", NULL };
        g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, &r, &error));
      }
      /* A handshake that completes is not enough: the peer may drop the
       * connection right after; so it must still be alive to say so. */
      ok = r.exited && r.status == 0 && count_lines (r.output, "#1 ", "  completed") == 1;
      {
        g_autofree char *peer_out = iop_server_output (&f->server);
        out = g_strconcat (r.output, r.errors, "\n--- peer:\n", peer_out, NULL);
        if (cc->peer == PEER_OPENSSL)
          ok = ok && strstr (peer_out, "Student") != NULL;
      }
    }
  else
    {
      if (!start_our_server (f, 1, "--verify-client", "--version", version, NULL))
        {
          record ("client certificate (client-rsa)", cc->version, direction_names[cc->dir],
                  peer_names[cc->peer], "FAIL", "-", "-", "handshake-lab serve did not start");
          return;
        }
      addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
      port = g_strdup_printf ("%u", f->server.port);
      if (cc->peer == PEER_OPENSSL)
        {
          const char *argv[] = { "openssl", "s_client", "-connect", addr, "-servername",
                                 "localhost", "-CAfile", root, "-verify_return_error",
                                 "-cert", ccrt, "-key", ckey, "-cert_chain", inter,
                                 "-cipher", "DEFAULT:@SECLEVEL=0",
                                 openssl_version_flag (cc->version), NULL };
          g_assert_true (iop_run (argv, "", TIMEOUT_MS, &r, &error));
        }
      else
        {
          const char *argv[] = { "gnutls-cli", "--x509cafile", root, "-p", port, "127.0.0.1",
                                 "--x509certfile", cchain, "--x509keyfile", ckey,
                                 "--priority", prio, NULL };
          g_assert_true (iop_run (argv, "", TIMEOUT_MS, &r, &error));
        }
      status = wait_our_server (f, r.exited && r.status == 0, &out);
      ok = r.exited && r.status == 0 && status == 0;
      {
        g_autofree char *both = g_strconcat (r.output, "\n--- serve:\n", out, NULL);
        g_free (out);
        out = g_steal_pointer (&both);
      }
    }
  g_assert_no_error (error);
  record ("client certificate (client-rsa)", cc->version, direction_names[cc->dir],
          peer_names[cc->peer], ok ? "ok" : "FAIL", "-", "-", NULL);
  if (!ok)
    g_test_message ("%s", out);
  g_assert_true (ok);
  iop_result_clear (&r);
}

/* ------------------------------------------------------------------ */
/* Other cases                                                         */

/* gnutls-serv as it comes asks for a client certificate (optional). */
static void
test_our_client_certificate_request (Fixture *f, gconstpointer data)
{
  const char *suite = "TLS_RSA_WITH_AES_128_GCM_SHA256";
  const char *label = "TLS_RSA_WITH_AES_128_GCM_SHA256 (server asks for a certificate)";
  g_autoptr (GError) error = NULL;
  g_autofree char *chain = pki ("server-rsa-chain.pem");
  g_autofree char *key = pki ("server-rsa.key");
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *addr = NULL;
  g_autofree char *first = NULL;
  const char *sargv[] = { "gnutls-serv", "--port", "@PORT@", "--x509certfile", chain,
                          "--x509keyfile", key, NULL };
  IopResult r;
  gboolean ok;

  g_test_summary ("Our client, without a certificate, completes a handshake with a server "
                  "that asks for an optional one (gnutls-serv's default)");
  if (!need_program ("gnutls-serv") || !iop_server_start (&f->server, sargv, TIMEOUT_MS, &error))
    {
      g_assert_no_error (error);
      record (label, TLS_VERSION_1_2, direction_names[OUR_CLIENT], "gnutls",
              g_test_failed () ? "FAIL" : "skipped", "-", "-", NULL);
      return;
    }
  addr = g_strdup_printf ("127.0.0.1:%u", f->server.port);
  {
    const char *argv[] = { program, "connect", addr, "--suite", suite,
                           "--servername", "localhost", "--ca", root, "--quiet", NULL };
    g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, &r, &error));
    g_assert_no_error (error);
  }
  first = summary_line (r.output, 1);
  ok = r.exited && r.status == 0 && strstr (first, "  completed") != NULL;
  record (label, TLS_VERSION_1_2, direction_names[OUR_CLIENT], "gnutls", ok ? "ok" : "FAIL",
          "-", yes_no (strstr (first, "  EMS") != NULL), ok ? NULL : first);
  if (!ok)
    g_test_message ("stdout:\n%s\nstderr:\n%s", r.output, r.errors);
  g_assert_true (ok);
  iop_result_clear (&r);
}

/* A client of today, with its default offer (TLS 1.3 too): our server
 * answers with TLS 1.2. */
static void
test_our_server_default_client (Fixture *f, gconstpointer data)
{
  const char *label = "(client's default offer)";
  g_autoptr (GError) error = NULL;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *addr = NULL;
  g_autofree char *ours = NULL;
  IopResult r;
  gboolean ok;
  int status;

  g_test_summary ("openssl s_client with its default offer completes TLS 1.2 with our server");
  if (!need_program ("openssl") || !start_our_server (f, 1, NULL))
    {
      record (label, TLS_VERSION_1_2, direction_names[OUR_SERVER], "openssl",
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
  ok = r.exited && r.status == 0 && strstr (r.output, "Protocol  : TLSv1.2") != NULL;
  status = wait_our_server (f, ok, &ours);
  record (label, TLS_VERSION_1_2, direction_names[OUR_SERVER], "openssl",
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
  const char *suite = "TLS_RSA_WITH_AES_128_GCM_SHA256";
  const char *label = "TLS_RSA_WITH_AES_128_GCM_SHA256 (serve --www)";
  g_autoptr (GError) error = NULL;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *url = NULL;
  g_autofree char *resolve = NULL;
  g_autofree char *ours = NULL;
  IopResult r;
  gboolean ok;
  int status;

  g_test_summary ("serve --www answers an HTTP GET from curl with the session's description");
  if (!need_program ("curl") || !start_our_server (f, 1, "--suite", suite, "--www", NULL))
    {
      record (label, TLS_VERSION_1_2, direction_names[OUR_SERVER], "curl",
              g_test_failed () ? "FAIL" : "skipped", "-", "-", NULL);
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
  status = wait_our_server (f, r.status == 0, &ours);
  ok = r.status == 0 && status == 0 && strstr (r.output, "TLS 1.2") != NULL
    && strstr (r.output, suite) != NULL && strstr (r.output, "localhost") != NULL;
  if (!ok)
    g_test_message ("curl exit %d:\n%s\n%s\nserve exit %d:\n%s", r.status, r.output, r.errors,
                    status, ours);
  record (label, TLS_VERSION_1_2, direction_names[OUR_SERVER], "curl", ok ? "ok" : "FAIL", "-",
          "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "TLS 1.2"));
  g_assert_nonnull (strstr (r.output, suite));
  g_assert_nonnull (strstr (r.output, "localhost"));
  g_assert_cmpint (status, ==, 0);
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
  g_autofree char *crt_name = g_strdup_printf ("%s.crt", pc->name);
  g_autofree char *chain = pki (chain_name);
  g_autofree char *key = pki (key_name);
  g_autofree char *crt = pki (crt_name);
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-interop-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (dir, "trace.json", NULL);
  g_autofree char *addr = NULL;
  g_autofree char *label = g_strdup_printf ("demo PKI: %s", pc->name);
  g_autoptr (TlsTrace) trace = NULL;
  const TlsStep *check = NULL;
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
      record (label, TLS_VERSION_1_2, direction_names[OUR_CLIENT], peer, "skipped", "-", "-",
              NULL);
      return;
    }
  if (!iop_server_start (&f->server, argv, TIMEOUT_MS, &error))
    {
      g_assert_no_error (error);
      record (label, TLS_VERSION_1_2, direction_names[OUR_CLIENT], peer, "FAIL", "-", "-",
              "no server");
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
    record (label, TLS_VERSION_1_2, direction_names[OUR_CLIENT], peer,
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
/* The table                                                           */

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
  guint ok = 0, failed = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = g_ptr_array_index (rows, i);
      g_string_append_printf (s, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r->suite, r->version,
                              r->direction, r->peer, r->handshake, r->resumed, r->ems, r->note);
      if (g_str_equal (r->handshake, "ok"))
        ok++;
      else if (g_str_equal (r->handshake, "FAIL"))
        {
          failed++;
          g_print ("# FAIL %s %s %s %s\n", r->suite, r->version, r->direction, r->peer);
        }
    }
  if (path == NULL)
    path = default_path = g_build_filename (g_test_get_dir (G_TEST_BUILT),
                                            "interop-results.tsv", NULL);
  if (!g_file_set_contents (path, s->str, -1, &error))
    g_printerr ("# cannot write %s: %s\n", path, error->message);
  else
    {
      g_print ("# %u cases ok, %u failed; results written to %s\n", ok, failed, path);
      /* Only a run of every case may rewrite the page. */
      if (whole_matrix)
        write_doc (path);
    }
}

static void
case_free (Case *c)
{
  g_free (c->openssl);
  g_free (c->priority);
  g_free (c);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) case_free);
  g_autoptr (GPtrArray) cc_cases = g_ptr_array_new_with_free_func (g_free);
  static const guint16 versions[] = { TLS_VERSION_1_2, TLS_VERSION_1_1, TLS_VERSION_1_0 };
  g_autofree char *have_openssl = NULL;
  g_autofree char *have_gnutls = NULL;
  const TlsSuite **all;
  const char *env;
  guint n_all = 0, registered = 0;
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
  have_openssl = iop_find_program ("openssl");
  have_gnutls = iop_find_program ("gnutls-cli");
  openssl_names = have_openssl ? read_openssl_names ()
                               : g_hash_table_new (g_str_hash, g_str_equal);

  /* The matrix: suite x version x peer x direction, where the peer has the
   * suite at that version.  Static DH_* suites have no live peer. */
  all = tls_suite_all (&n_all);
  for (Peer p = PEER_OPENSSL; p <= PEER_GNUTLS; p++)
    for (Direction d = OUR_CLIENT; d <= OUR_SERVER; d++)
      for (gsize v = 0; v < G_N_ELEMENTS (versions); v++)
        for (guint i = 0; i < n_all; i++)
          {
            const TlsSuite *s = all[i];
            g_autofree char *priority = NULL;
            const char *oname;
            g_autofree char *path = NULL;
            Case *c;

            if (s->kx == TLS_KX_DH_RSA || s->kx == TLS_KX_DH_DSS
                || !tls_suite_usable (s, versions[v]))
              continue;
            oname = g_hash_table_lookup (openssl_names, s->name);
            priority = gnutls_priority (s, versions[v]);
            /* What the peer does not speak is recorded, not run. */
            if (p == PEER_OPENSSL && oname == NULL)
              {
                record (s->name, versions[v], direction_names[d], peer_names[p], "n/a", "-",
                        "-", have_openssl ? "this OpenSSL does not have the suite"
                                          : "openssl is not installed");
                continue;
              }
            if (p == PEER_GNUTLS
                && (priority == NULL || have_gnutls == NULL || !gnutls_has (priority)))
              {
                record (s->name, versions[v], direction_names[d], peer_names[p], "n/a", "-",
                        "-", have_gnutls ? "this GnuTLS does not have the suite"
                                         : "gnutls-cli is not installed");
                continue;
              }
            /* Measured: GnuTLS 3.7 does not complete DHE_DSS at TLS 1.2 even
             * with itself ("The hash size used in signature (20) is less
             * than the expected (32)", then no suite), whatever the
             * SIGN-DSA-* priorities; at TLS 1.0/1.1 it does. */
            if (p == PEER_GNUTLS && s->kx == TLS_KX_DHE_DSS && versions[v] == TLS_VERSION_1_2)
              {
                record (s->name, versions[v], direction_names[d], peer_names[p], "n/a", "-",
                        "-", "GnuTLS does not sign or accept DSA with SHA-256 at TLS 1.2, "
                        "not even with itself");
                continue;
              }
            c = g_new0 (Case, 1);
            c->suite = s;
            c->version = versions[v];
            c->peer = p;
            c->dir = d;
            c->openssl = g_strdup (oname);
            c->priority = g_steal_pointer (&priority);
            g_ptr_array_add (cases, c);
            path = g_strdup_printf ("/interop/%s/%s/%s/%s", peer_names[p],
                                    d == OUR_CLIENT ? "our-client" : "our-server",
                                    gnutls_version (versions[v]), s->name);
            g_test_add (path, Fixture, c, fixture_setup,
                        d == OUR_CLIENT ? test_our_client : test_our_server, fixture_teardown);
            registered++;
          }

  for (Peer p = PEER_OPENSSL; p <= PEER_GNUTLS; p++)
    for (Direction d = OUR_CLIENT; d <= OUR_SERVER; d++)
      {
        g_autofree char *path = g_strdup_printf ("/interop/%s/%s/tickets", peer_names[p],
                                                 d == OUR_CLIENT ? "our-client" : "our-server");
        g_test_add (path, Fixture, GINT_TO_POINTER ((d << 1) | p), fixture_setup, test_tickets,
                    fixture_teardown);
        registered++;
        for (gsize v = 0; v < G_N_ELEMENTS (versions); v++)
          {
            ClientCertCase *cc = g_new0 (ClientCertCase, 1);
            g_autofree char *cpath = NULL;
            cc->peer = p;
            cc->dir = d;
            cc->version = versions[v];
            g_ptr_array_add (cc_cases, cc);
            cpath = g_strdup_printf ("/interop/%s/%s/client-cert/%s", peer_names[p],
                                     d == OUR_CLIENT ? "our-client" : "our-server",
                                     gnutls_version (versions[v]));
            g_test_add (cpath, Fixture, cc, fixture_setup, test_client_cert, fixture_teardown);
            registered++;
          }
      }

  g_test_add ("/interop/gnutls/our-client/certificate-request", Fixture, NULL, fixture_setup,
              test_our_client_certificate_request, fixture_teardown);
  g_test_add ("/interop/openssl/our-server/default-offer", Fixture, NULL, fixture_setup,
              test_our_server_default_client, fixture_teardown);
  g_test_add ("/interop/curl/our-server/www", Fixture, NULL, fixture_setup,
              test_www_curl, fixture_teardown);
  registered += 3;
  for (gsize i = 0; i < G_N_ELEMENTS (pki_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/interop/%s/our-client/pki/%s",
                                               g_str_equal (pki_cases[i].name, "out-of-order")
                                               ? "openssl" : "gnutls", pki_cases[i].name);
      g_test_add (path, Fixture, &pki_cases[i], fixture_setup, test_our_client_pki,
                  fixture_teardown);
      registered++;
    }

  rc = g_test_run ();
  write_results (cases_run == registered);
  g_ptr_array_unref (rows);
  g_hash_table_unref (openssl_names);
  g_free (datadir);
  return rc;
}
