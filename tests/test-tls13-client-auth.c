/* test-tls13-client-auth.c — client authentication in our TLS 1.3 engine
 * (RFC 8446, 4.3.2, 4.4.2, 4.4.3, 4.4.2.4, 6.2): the scenarios
 * tls13-client-auth and tls13-client-auth-none, the client's
 * CertificateVerify recomputed here and verified with Nettle, and real
 * peers on 127.0.0.1: openssl s_client with and without a certificate
 * against `serve --verify-client`, our `connect --cert` against
 * openssl s_server -Verify 1; gnutls-cli and gnutls-serv likewise.
 * Every peer is started by interop-peers.c and always stopped; a test
 * whose peer is missing is skipped. */
#include "interop-peers.h"
#include "tls-conductor.h"
#include "tls-alert.h"
#include "tls-types.h"
#include "tls-x509.h"
#include "tls-keys.h"
#include "tls-bytes.h"
#include "tls-extensions.h"
#include "tls13-msg-certificate-request.h"
#include "tls13-msg-certificate-verify.h"

#include <nettle/sha2.h>
#include <nettle/rsa.h>
#include <nettle/bignum.h>
#include <string.h>

static char *
pki (const char *name)
{
  return g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "pki", name, NULL);
}

static TlsConductor *
run (const char *name, const char *tamper, int client_auth, gboolean client_cert)
{
  g_autoptr (GError) error = NULL;
  TlsScenario *sc = tls_scenario_builtin (name);
  TlsConductor *c;

  g_assert_nonnull (sc);
  if (tamper)
    sc->tamper = g_strdup (tamper);
  if (client_auth >= 0)
    sc->client_auth = client_auth;
  sc->client_cert = client_cert;
  c = tls_conductor_new (sc, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  tls_scenario_free (sc);
  tls_conductor_run (c);
  return c;
}

static const TlsStep *
find (TlsTrace *t, TlsStepKind kind, TlsActor actor, const char *title)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (s->kind == kind && s->actor == actor && g_strcmp0 (s->title, title) == 0)
        return s;
    }
  return NULL;
}

/* The body of a handshake message step (after its 4-byte header). */
static void
body_reader (const TlsStep *s, TlsReader *r)
{
  const guint8 *d = g_bytes_get_data (s->bytes, NULL);
  gsize n = g_bytes_get_size (s->bytes);

  g_assert_cmpuint (n, >=, 4);
  g_assert_cmpuint (((gsize) d[1] << 16 | d[2] << 8 | d[3]), ==, n - 4);
  tls_reader_init (r, d + 4, n - 4, NULL);
}

/* SHA-256 over the handshake messages of the trace in order, up to and
 * including the client's Certificate (RFC 8446, 4.4.1 and 4.4.3). */
static void
transcript_to_client_certificate (TlsTrace *t, guint8 out[SHA256_DIGEST_SIZE])
{
  struct sha256_ctx h;

  sha256_init (&h);
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (s->kind != TLS_STEP_MESSAGE || s->content_type != TLS_CONTENT_HANDSHAKE)
        continue;
      sha256_update (&h, g_bytes_get_size (s->bytes), g_bytes_get_data (s->bytes, NULL));
      if (s->actor == TLS_ACTOR_CLIENT && s->handshake_type == TLS_HS_CERTIFICATE)
        break;
    }
  sha256_digest (&h, SHA256_DIGEST_SIZE, out);
}

static void
test_client_auth (void)
{
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *s;
  TlsReader r;
  Tls13CertificateRequest cr;
  Tls13CertificateVerify cv = { 0, NULL };
  g_autoptr (GArray) algs = NULL;
  g_autoptr (GPtrArray) certs = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *cert_path = pki ("client-rsa.crt");
  guint8 hash[SHA256_DIGEST_SIZE], digest[SHA256_DIGEST_SIZE];
  GByteArray *content = g_byte_array_new ();
  const TlsTraceValue *v;
  const TlsPublicKey *pub;
  struct sha256_ctx h;
  mpz_t sig;
  guint8 space = 0x20, zero = 0;

  g_test_summary ("RFC 8446, 4.3.2, 4.4.2, 4.4.3: the server requires a certificate, the client "
                  "sends client-rsa and an RSA-PSS CertificateVerify over 64 spaces, \"TLS 1.3, "
                  "client CertificateVerify\", 0 and the transcript hash, recomputed here and "
                  "verified with Nettle");
  c = run ("tls13-client-auth", NULL, -1, TRUE);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);

  /* The server's decision, then its CertificateRequest: empty context,
   * signature_algorithms. */
  s = find (t, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Client authentication");
  g_assert_nonnull (s);
  g_assert_cmpint (s->chosen_option, ==, 2);
  s = find (t, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "CertificateRequest");
  g_assert_nonnull (s);
  g_assert_true (s->encrypted);
  g_assert_cmpint (s->handshake_type, ==, TLS_HS_CERTIFICATE_REQUEST);
  body_reader (s, &r);
  g_assert_cmpint (tls13_certificate_request_parse (&r, &cr), ==, 0);
  g_assert_cmpuint (g_bytes_get_size (cr.certificate_request_context), ==, 0);
  algs = tls_extensions_get_signature_algorithms (&cr.extensions);
  g_assert_nonnull (algs);
  g_assert_cmpuint (algs->len, >, 0);
  tls13_certificate_request_clear (&cr);
  g_assert_cmpstr (find (t, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "CertificateRequest")->rfc, ==,
                   "RFC 8446, 4.3.2");

  /* The client's choice and its CertificateVerify. */
  s = find (t, TLS_STEP_DECISION, TLS_ACTOR_CLIENT, "Signature scheme");
  g_assert_nonnull (s);
  g_assert_nonnull (strstr (s->choice, "rsa_pss_rsae_sha256"));
  s = find (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "CertificateVerify");
  g_assert_nonnull (s);
  body_reader (s, &r);
  g_assert_cmpint (tls13_certificate_verify_parse (&r, &cv), ==, 0);
  g_assert_cmphex (cv.algorithm, ==, 0x0804);   /* rsa_pss_rsae_sha256 */

  /* The signed content, built here from the RFC's recipe (4.4.3). */
  transcript_to_client_certificate (t, hash);
  for (int i = 0; i < 64; i++)
    g_byte_array_append (content, &space, 1);
  g_byte_array_append (content, (const guint8 *) "TLS 1.3, client CertificateVerify", 33);
  g_byte_array_append (content, &zero, 1);
  g_byte_array_append (content, hash, sizeof hash);
  g_assert_cmpuint (content->len, ==, 130);
  v = tls_step_find_value (s, "signed_content");
  g_assert_nonnull (v);
  g_assert_cmpmem (g_bytes_get_data (v->bytes, NULL), g_bytes_get_size (v->bytes),
                   content->data, content->len);

  /* RSASSA-PSS with SHA-256, salt as long as the hash (RFC 8446, 4.2.3),
   * against the public key of client-rsa.crt. */
  certs = tls_certificate_list_from_file (cert_path, &error);
  g_assert_no_error (error);
  pub = tls_certificate_get_public_key (g_ptr_array_index (certs, 0));
  g_assert_cmpint (pub->type, ==, TLS_PK_RSA);
  sha256_init (&h);
  sha256_update (&h, content->len, content->data);
  sha256_digest (&h, sizeof digest, digest);
  mpz_init (sig);
  nettle_mpz_set_str_256_u (sig, g_bytes_get_size (cv.signature), g_bytes_get_data (cv.signature, NULL));
  g_assert_true (rsa_pss_sha256_verify_digest (&pub->rsa, SHA256_DIGEST_SIZE, digest, sig));
  /* and not over the server's context string */
  memcpy (content->data + 64, "TLS 1.3, server", 15);
  sha256_init (&h);
  sha256_update (&h, content->len, content->data);
  sha256_digest (&h, sizeof digest, digest);
  g_assert_false (rsa_pss_sha256_verify_digest (&pub->rsa, SHA256_DIGEST_SIZE, digest, sig));
  mpz_clear (sig);

  /* The server's checks: the chain for a client (keyUsage), the signature. */
  s = find (t, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "Key usage of “Student”");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  s = find (t, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "CertificateVerify signature");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  g_assert_cmpstr (s->rfc, ==, "RFC 8446, 4.4.3");
  /* The client's Finished covers both messages (4.4.4). */
  s = find (t, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, "client Finished (TLS 1.3)");
  g_assert_nonnull (s);
  g_assert_nonnull (strstr (s->formula, "ClientHello...client CertificateVerify"));
  g_assert_nonnull (find (t, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "Application Data"));
  tls13_certificate_verify_clear (&cv);
  g_byte_array_unref (content);
  tls_conductor_free (c);
}

static void
test_client_auth_none (void)
{
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *s;
  static const guint8 empty_certificate[] = { 11, 0, 0, 4, 0, 0, 0, 0 };

  g_test_summary ("RFC 8446, 4.4.2.4, 6.2: the server requires a certificate, the client has "
                  "none: an empty Certificate, no CertificateVerify, certificate_required");
  c = run ("tls13-client-auth-none", NULL, -1, FALSE);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_CERTIFICATE_REQUIRED);
  s = find (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "Certificate");
  g_assert_nonnull (s);
  g_assert_cmpmem (g_bytes_get_data (s->bytes, NULL), g_bytes_get_size (s->bytes),
                   empty_certificate, sizeof empty_certificate);
  g_assert_null (find (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "CertificateVerify"));
  s = find (t, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Client without a certificate");
  g_assert_nonnull (s);
  g_assert_cmpint (s->chosen_option, ==, 1);
  g_assert_nonnull (strstr (s->rfc, "RFC 8446, 4.4.2.4"));
  s = find (t, TLS_STEP_ALERT, TLS_ACTOR_SERVER, "Alert: certificate_required");
  g_assert_nonnull (s);
  g_assert_cmpint (s->alert_description, ==, 116);
  g_assert_true (s->encrypted);   /* after its Finished: application traffic keys (4.4.4) */
  g_assert_null (find (t, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "Application Data"));
  tls_conductor_free (c);
}

static void
test_client_auth_request (void)
{
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *s;

  g_test_summary ("RFC 8446, 4.4.2.4: a server that only asks goes on without a certificate");
  c = run ("tls13-client-auth-none", NULL, TLS_CLIENT_AUTH_REQUEST, FALSE);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  s = find (t, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Client without a certificate");
  g_assert_nonnull (s);
  g_assert_cmpint (s->chosen_option, ==, 0);
  s = find (t, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, "client Finished (TLS 1.3)");
  g_assert_nonnull (strstr (s->formula, "ClientHello...client Certificate)"));
  tls_conductor_free (c);
}

static void
test_bad_signature (void)
{
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *s;

  g_test_summary ("RFC 8446, 4.4.3: a client CertificateVerify that does not verify: "
                  "decrypt_error from the server");
  c = run ("tls13-client-auth", "client-bad-certificate-verify", -1, TRUE);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_DECRYPT_ERROR);
  s = find (t, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "CertificateVerify signature");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
  g_assert_nonnull (find (t, TLS_STEP_ALERT, TLS_ACTOR_SERVER, "Alert: decrypt_error"));
  tls_conductor_free (c);
}

static void
test_pkcs1_refused (void)
{
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *s;

  g_test_summary ("RFC 8446, 4.4.3: \"RSA signatures MUST use an RSASSA-PSS algorithm\": a client "
                  "CertificateVerify with rsa_pkcs1_sha256 is refused with handshake_failure");
  c = run ("tls13-client-auth", "client-cv-pkcs1", -1, TRUE);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_HANDSHAKE_FAILURE);
  s = find (t, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "CertificateVerify signature");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
  g_assert_nonnull (strstr (s->reason, "0x0401"));
  tls_conductor_free (c);
}

/* The CertificateRequest codec (RFC 8446, 4.3.2): a round trip, and
 * decode_error for a missing extension list or a byte too many. */
static void
test_codec (void)
{
  static const guint16 algs_in[] = { 0x0804, 0x0403 };
  static const guint8 ctx_bytes[] = { 1, 2, 3 };
  static const guint8 no_list[] = { 0 };
  Tls13CertificateRequest in, out;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GArray) algs = NULL;
  GByteArray *longer;
  TlsWriter w;
  TlsReader r;

  g_test_summary ("RFC 8446, 4.3.2: CertificateRequest written and read back; a body without "
                  "its extensions<2..2^16-1> or with a byte too many is a decode_error");
  tls13_certificate_request_init (&in);
  g_bytes_unref (in.certificate_request_context);
  in.certificate_request_context = g_bytes_new_static (ctx_bytes, sizeof ctx_bytes);
  tls_extensions_add_signature_algorithms (&in.extensions, algs_in, G_N_ELEMENTS (algs_in));
  tls_writer_init (&w, NULL);
  tls13_certificate_request_write (&w, &in);
  bytes = tls_writer_steal (&w);
  /* 03 010203, then the list: 000a (10), type 000d, 0006, 0004 0804 0403 */
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 4 + 2 + 10);
  tls_reader_init (&r, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
  g_assert_cmpint (tls13_certificate_request_parse (&r, &out), ==, 0);
  g_assert_true (g_bytes_equal (out.certificate_request_context, in.certificate_request_context));
  algs = tls_extensions_get_signature_algorithms (&out.extensions);
  g_assert_cmpmem (algs->data, algs->len * sizeof (guint16), algs_in, sizeof algs_in);
  tls13_certificate_request_clear (&out);
  tls13_certificate_request_clear (&in);

  tls_reader_init (&r, no_list, sizeof no_list, NULL);
  g_assert_cmpint (tls13_certificate_request_parse (&r, &out), ==, TLS_ALERT_DECODE_ERROR);
  longer = g_byte_array_new ();
  g_byte_array_append (longer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_byte_array_append (longer, no_list, 1);
  tls_reader_init (&r, longer->data, longer->len, NULL);
  g_assert_cmpint (tls13_certificate_request_parse (&r, &out), ==, TLS_ALERT_DECODE_ERROR);
  g_byte_array_unref (longer);
}

/* RFC 8446, 4.3.2: "Servers which are authenticating with a PSK MUST NOT
 * send the CertificateRequest message in the main handshake". */
static void
test_psk_no_request (void)
{
  g_autoptr (GError) error = NULL;
  TlsScenario *sc = tls_scenario_builtin ("tls13-resumption");
  TlsConductor *c;
  TlsTrace *t;
  guint requests = 0, decisions = 0;

  g_test_summary ("RFC 8446, 4.3.2: with client authentication required, the resumed (PSK) "
                  "connection has no CertificateRequest, and the decision says why");
  sc->client_auth = TLS_CLIENT_AUTH_REQUIRE;
  sc->client_cert = TRUE;
  c = tls_conductor_new (sc, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  tls_scenario_free (sc);
  tls_conductor_run (c);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (s->kind == TLS_STEP_MESSAGE && g_strcmp0 (s->title, "CertificateRequest") == 0)
        {
          g_assert_cmpuint (s->connection, ==, 0);
          requests++;
        }
      if (s->kind == TLS_STEP_DECISION && g_strcmp0 (s->title, "Client authentication") == 0)
        {
          g_assert_cmpint (s->chosen_option, ==, s->connection == 0 ? 2 : 0);
          decisions++;
        }
    }
  g_assert_cmpuint (requests, ==, 1);
  g_assert_cmpuint (decisions, ==, 2);
  tls_conductor_free (c);
}

/* ------------------------------------------------------------------ */
/* Real peers                                                          */

/* openssl s_client (with CERT and KEY, or none) against our server with
 * --verify-client: our server's one-line result and the client's output. */
static void
run_our_server (const char *openssl, const char *cert, const char *chain, const char *key,
                int *status, char **ours, IopResult *r)
{
  g_autofree char *chain_path = chain ? pki (chain) : NULL;
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *cert_path = cert ? pki (cert) : NULL;
  g_autofree char *key_path = key ? pki (key) : NULL;
  g_autofree char *addr = NULL;
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "--verify-client", "-n", "1", "--quiet", NULL };
  IopServer server = { 0 };
  g_autoptr (GError) error = NULL;

  if (!iop_server_start (&server, lab_argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("handshake-lab serve did not start: %s", error->message);
    }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  if (cert)
    {
      const char *argv[] = { openssl, "s_client", "-connect", addr, "-tls1_3", "-CAfile", root,
                             "-servername", "server.handshake-lab.test", "-cert", cert_path,
                             "-cert_chain", chain_path, "-key", key_path, NULL };
      g_assert_true (iop_run_split (argv, "", IOP_TIMEOUT_MS, r, &error));
    }
  else
    {
      /* -ign_eof: s_client reads on after its empty stdin until our
       * server's alert arrives (else it may close first) */
      const char *argv[] = { openssl, "s_client", "-connect", addr, "-tls1_3", "-CAfile", root,
                             "-servername", "server.handshake-lab.test", "-ign_eof", NULL };
      g_assert_true (iop_run_split (argv, "", IOP_TIMEOUT_MS, r, &error));
    }
  g_assert_no_error (error);
  *status = -1;
  iop_server_wait (&server, IOP_TIMEOUT_MS, status);
  *ours = iop_server_output (&server);
  iop_server_stop (&server);
}

static void
test_openssl_client (gconstpointer data)
{
  const char *which = data;
  g_autofree char *path = iop_find_program ("openssl");
  g_autofree char *cert = g_strdup_printf ("client-%s.crt", which);
  g_autofree char *key = g_strdup_printf ("client-%s.key", which);
  /* the intermediate CA too: the server trusts the root alone */
  g_autofree char *chain = g_strdup_printf ("client-%s-chain.pem", which);
  g_autofree char *ours = NULL;
  IopResult r = { 0 };
  int status;

  g_test_summary ("RFC 8446, 4.4.2, 4.4.3: openssl s_client -cert against our server that "
                  "requires a client certificate: the handshake completes");
  if (path == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  run_our_server (path, cert, chain, key, &status, &ours, &r);
  if (status != 0 || strstr (ours, "completed") == NULL)
    g_test_message ("openssl: %s\n%s\nours: %s", r.output, r.errors, ours);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (ours, "TLS 1.3"));
  g_assert_nonnull (strstr (ours, "completed"));
  g_assert_nonnull (strstr (r.output, "Verify return code: 0 (ok)"));
  iop_result_clear (&r);
}

static void
test_openssl_client_none (void)
{
  g_autofree char *path = iop_find_program ("openssl");
  g_autofree char *ours = NULL;
  IopResult r = { 0 };
  int status;

  g_test_summary ("RFC 8446, 4.4.2.4, 6.2: openssl s_client without a certificate against our "
                  "server that requires one gets certificate_required (openssl: \"tlsv13 alert "
                  "certificate required\", \"SSL alert number 116\")");
  if (path == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  run_our_server (path, NULL, NULL, NULL, &status, &ours, &r);
  if (strstr (r.errors, "SSL alert number 116") == NULL)
    g_test_message ("openssl: %s\n%s\nours: %s", r.output, r.errors, ours);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (ours, "alert: certificate_required"));
  g_assert_nonnull (strstr (r.errors, "tlsv13 alert certificate required"));
  g_assert_nonnull (strstr (r.errors, "SSL alert number 116"));
  iop_result_clear (&r);
}

/* Our client (connect --cert, or none) against openssl s_server -Verify 1. */
static void
test_openssl_server (gconstpointer data)
{
  gboolean with_cert = GPOINTER_TO_INT (data);
  g_autofree char *path = iop_find_program ("openssl");
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *leaf = pki ("server-rsa.crt");
  g_autofree char *chain = pki ("server-rsa-chain.pem");
  g_autofree char *key = pki ("server-rsa.key");
  g_autofree char *ccert = pki ("client-rsa-chain.pem");
  g_autofree char *ckey = pki ("client-rsa.key");
  g_autofree char *addr = NULL, *out = NULL;
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;

  g_test_summary (with_cert
                  ? "RFC 8446, 4.4.2, 4.4.3: our client with client-rsa against openssl s_server "
                    "-Verify 1: completes, openssl prints the client certificate's subject and "
                    "an RSA-PSS peer signature"
                  : "RFC 8446, 4.4.2.4: our client without a certificate against openssl "
                    "s_server -Verify 1: an empty Certificate, which openssl refuses (\"peer did "
                    "not return a certificate\")");
  if (path == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  {
    const char *argv[] = { path, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_3",
                           "-cert", leaf, "-cert_chain", chain, "-key", key, "-Verify", "1",
                           "-CAfile", root, "-naccept", "1", NULL };
    if (!iop_server_start (&server, argv, IOP_TIMEOUT_MS, &error))
      {
        iop_server_stop (&server);
        g_error ("openssl s_server did not start: %s", error->message);
      }
  }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  if (with_cert)
    iop_run_program (&r, g_getenv ("HANDSHAKE_LAB"), IOP_TIMEOUT_MS, "connect", addr,
                     "--version", "1.3", "--cert", ccert, "--key", ckey,
                     "--servername", "server.handshake-lab.test", "--quiet", NULL);
  else
    iop_run_program (&r, g_getenv ("HANDSHAKE_LAB"), IOP_TIMEOUT_MS, "connect", addr,
                     "--version", "1.3", "--servername", "server.handshake-lab.test", "--quiet",
                     NULL);
  iop_server_wait (&server, IOP_TIMEOUT_MS, NULL);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  if (with_cert ? r.status != 0 : strstr (out, "peer did not return a certificate") == NULL)
    g_test_message ("ours: %s\n%s\nopenssl: %s", r.output, r.errors, out);
  if (with_cert)
    {
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.output, "completed"));
      g_assert_nonnull (strstr (out, "subject=O = Handshake Lab, CN = Student"));
      g_assert_nonnull (strstr (out, "Peer signature type: RSA-PSS"));
    }
  else
    {
      /* Our client's handshake ends with its Finished (RFC 8446, 4.4.4);
       * openssl refuses the empty Certificate after that, so what it
       * printed is the evidence. */
      g_assert_nonnull (strstr (out, "peer did not return a certificate"));
      g_assert_null (strstr (out, "CN = Student"));
    }
  iop_result_clear (&r);
}

/* GnuTLS: gnutls-cli with client-ecdsa against our server that requires a
 * certificate; our client with client-rsa against gnutls-serv
 * --require-client-cert --verify-client-cert. */
static void
test_gnutls (void)
{
  g_autofree char *cli = iop_find_program ("gnutls-cli");
  g_autofree char *srv = iop_find_program ("gnutls-serv");
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *ca_opt = g_strdup_printf ("--x509cafile=%s", root);
  g_autofree char *schain = pki ("server-rsa-chain.pem");
  g_autofree char *skey = pki ("server-rsa.key");
  g_autofree char *ecdsa_chain = pki ("client-ecdsa-chain.pem");
  g_autofree char *ecdsa_key = pki ("client-ecdsa.key");
  g_autofree char *rsa_chain = pki ("client-rsa-chain.pem");
  g_autofree char *rsa_key = pki ("client-rsa.key");
  g_autofree char *ccert_opt = g_strdup_printf ("--x509certfile=%s", ecdsa_chain);
  g_autofree char *ckey_opt = g_strdup_printf ("--x509keyfile=%s", ecdsa_key);
  g_autofree char *scert_opt = g_strdup_printf ("--x509certfile=%s", schain);
  g_autofree char *skey_opt = g_strdup_printf ("--x509keyfile=%s", skey);
  g_autofree char *port = NULL, *addr = NULL, *out = NULL;
  const char *prio = "--priority=NORMAL:-VERS-ALL:+VERS-TLS1.3";
  const char *lab_argv[] = { g_getenv ("HANDSHAKE_LAB"), "serve", "-l", "127.0.0.1:@PORT@",
                             "--version", "1.3", "--verify-client", "-n", "1", "--quiet", NULL };
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;
  int status = -1;

  g_test_summary ("RFC 8446, 4.4.2, 4.4.3: gnutls-cli with client-ecdsa against our server that "
                  "requires a certificate, our client with client-rsa against gnutls-serv "
                  "--require-client-cert: both complete, gnutls-serv trusts the client's chain");
  if (cli == NULL || srv == NULL)
    {
      g_test_skip ("gnutls-cli or gnutls-serv is not installed");
      return;
    }
  if (!iop_server_start (&server, lab_argv, IOP_TIMEOUT_MS, &error))
    {
      iop_server_stop (&server);
      g_error ("handshake-lab serve did not start: %s", error->message);
    }
  port = g_strdup_printf ("%u", server.port);
  {
    const char *argv[] = { cli, "-p", port, "127.0.0.1", ca_opt, ccert_opt, ckey_opt, prio,
                           "--sni-hostname=server.handshake-lab.test",
                           "--verify-hostname=server.handshake-lab.test", NULL };
    g_assert_true (iop_run (argv, "", IOP_TIMEOUT_MS, &r, &error));
  }
  g_assert_no_error (error);
  iop_server_wait (&server, IOP_TIMEOUT_MS, &status);
  out = iop_server_output (&server);
  iop_server_stop (&server);
  if (status != 0)
    g_test_message ("gnutls-cli: %s\nours: %s", r.output, out);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "completed"));
  g_assert_nonnull (strstr (r.output, "Handshake was completed"));
  iop_result_clear (&r);
  g_clear_pointer (&out, g_free);

  {
    const char *argv[] = { srv, "-p", "@PORT@", scert_opt, skey_opt, ca_opt, prio,
                           "--require-client-cert", "--verify-client-cert", NULL };
    if (!iop_server_start (&server, argv, IOP_TIMEOUT_MS, &error))
      {
        iop_server_stop (&server);
        g_error ("gnutls-serv did not start: %s", error->message);
      }
  }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  iop_run_program (&r, g_getenv ("HANDSHAKE_LAB"), IOP_TIMEOUT_MS, "connect", addr,
                   "--version", "1.3", "--cert", rsa_chain, "--key", rsa_key,
                   "--servername", "server.handshake-lab.test", "--quiet", NULL);
  /* gnutls-serv serves on: what it printed of this one connection */
  for (int i = 0; i < 50; i++)
    {
      g_free (out);
      out = iop_server_output (&server);
      if (strstr (out, "Subject: CN=Student") != NULL)
        break;
      g_usleep (100000);
    }
  iop_server_stop (&server);
  if (r.status != 0 || strstr (out, "Subject: CN=Student") == NULL)
    g_test_message ("ours: %s\n%s\ngnutls-serv: %s", r.output, r.errors, out);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "completed"));
  g_assert_nonnull (strstr (out, "The certificate is trusted."));
  g_assert_nonnull (strstr (out, "Subject: CN=Student,O=Handshake Lab"));
  iop_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls13-client-auth/require", test_client_auth);
  g_test_add_func ("/tls13-client-auth/none", test_client_auth_none);
  g_test_add_func ("/tls13-client-auth/request-none", test_client_auth_request);
  g_test_add_func ("/tls13-client-auth/bad-signature", test_bad_signature);
  g_test_add_func ("/tls13-client-auth/pkcs1-refused", test_pkcs1_refused);
  g_test_add_func ("/tls13-client-auth/codec", test_codec);
  g_test_add_func ("/tls13-client-auth/psk-no-request", test_psk_no_request);
  g_test_add_data_func ("/tls13-client-auth/openssl-client/rsa", "rsa", test_openssl_client);
  g_test_add_data_func ("/tls13-client-auth/openssl-client/ecdsa", "ecdsa", test_openssl_client);
  g_test_add_func ("/tls13-client-auth/openssl-client/none", test_openssl_client_none);
  g_test_add_data_func ("/tls13-client-auth/openssl-server/cert", GINT_TO_POINTER (TRUE),
                        test_openssl_server);
  g_test_add_data_func ("/tls13-client-auth/openssl-server/none", GINT_TO_POINTER (FALSE),
                        test_openssl_server);
  g_test_add_func ("/tls13-client-auth/gnutls", test_gnutls);
  return g_test_run ();
}
