/* test-tls13-downgrade.c — TLS 1.3 beside TLS 1.2 (issue 16): version
 * negotiation and the downgrade sentinels of RFC 8446, 4.1.3 (the bytes
 * 44 4F 57 4E 47 52 44 01 / 00, as the RFC prints them), 4.2.1 and D.1:
 * - tls13-fallback: a client for TLS 1.2-1.3 against a TLS 1.2 server goes
 *   on in TLS 1.2 after its TLS 1.3 ClientHello, no sentinel, data flows;
 * - tls13-downgrade: an attacker leaves TLS 1.2 alone in supported_versions,
 *   our TLS 1.3 server writes DOWNGRD 01, our client's "Downgrade sentinel"
 *   check catches it and the client sends illegal_parameter;
 * - the sentinel is there exactly when RFC 8446, 4.1.3 says: TLS 1.3 server
 *   at TLS 1.2 (01) and at TLS 1.1 (00), none at TLS 1.3 nor from a server
 *   that speaks at most TLS 1.2 negotiating TLS 1.2;
 * - interop on 127.0.0.1: our TLS 1.2-1.3 client against
 *   `openssl s_server -tls1_2`, and `openssl s_client -tls1_2 -msg` against
 *   our TLS 1.2-1.3 server (openssl prints our ServerHello, sentinel included). */
#include "interop-peers.h"
#include "tls-conductor.h"
#include "tls-scenario.h"
#include "tls-serve.h"
#include "tls-transport.h"
#include "tls-alert.h"
#include "tls-types.h"
#include "tls-bytes.h"
#include "tls-rng.h"
#include "tls-keys.h"
#include "tls-x509.h"
#include "test-util.h"

#include <string.h>

/* RFC 8446, 4.1.3 */
static const guint8 downgrd_01[8] = { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01 };
static const guint8 downgrd_00[8] = { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00 };

/* The first 4 bytes of a random: the scenario's clock (gmt_unix_time)? */
static gboolean
starts_with_clock (const guint8 *random)
{
  guint32 t = (guint32) random[0] << 24 | (guint32) random[1] << 16 | (guint32) random[2] << 8 | random[3];

  return t == (guint32) TLS_SCENARIO_CLOCK;
}

/* The 32 bytes of ServerHello.random of a ServerHello message step. */
static const guint8 *
server_random (const TlsStep *sh)
{
  const TlsField *f = tls_field_find (sh->fields, "random");

  g_assert_nonnull (f);
  g_assert_cmpuint (f->length, ==, 32);
  return (const guint8 *) g_bytes_get_data (sh->bytes, NULL) + f->offset;
}

/* The bytes of field NAME of message step S. */
static char *
field_hex (const TlsStep *s, const char *name)
{
  const TlsField *f = tls_field_find (s->fields, name);

  g_assert_nonnull (f);
  return tls_hex ((const guint8 *) g_bytes_get_data (s->bytes, NULL) + f->offset, f->length);
}

static void
test_fallback (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-fallback");
  TlsConductor *c = tu_run (sc);
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *ch, *sh, *s;
  g_autofree char *versions = NULL;

  g_test_summary ("RFC 8446, D.1: a client for TLS 1.2-1.3 sends its TLS 1.3 ClientHello "
                  "(supported_versions 0304 0303, a key_share); a TLS 1.2 server answers "
                  "TLS 1.2 without a sentinel; the client goes on in TLS 1.2, data both ways");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.version"), ==, "TLS 1.2");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.suite"), ==, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

  ch = tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  versions = field_hex (ch, "versions");
  g_assert_cmpstr (versions, ==, "0403040303");
  g_assert_nonnull (tls_field_find (ch->fields, "client_shares"));
  g_assert_nonnull (strstr (ch->explanation, "RFC 8446, D.1"));

  sh = tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
  g_assert_true (memcmp (server_random (sh) + 24, downgrd_01, 7) != 0);
  g_assert_true (starts_with_clock (server_random (sh)));   /* a TLS 1.2 server: gmt_unix_time */

  s = tu_step (t, -1, TLS_STEP_DECISION, TLS_ACTOR_CLIENT, "Version");
  g_assert_nonnull (s);
  g_assert_cmpstr (s->choice, ==, "TLS 1.2 (0x0303)");
  g_assert_nonnull (strstr (s->rfc, "RFC 8446, D.1"));
  g_assert_true (s->index > sh->index);
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "Downgrade sentinel");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  g_assert_cmpstr (s->rfc, ==, "RFC 8446, 4.1.3; RFC 5246, 7.4.3");

  /* The same transcript on both sides: both Finished verify. */
  g_assert_cmpint (tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "client Finished")->result, ==,
                   TLS_CHECK_PASSED);
  g_assert_cmpint (tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "server Finished")->result, ==,
                   TLS_CHECK_PASSED);
  g_assert_nonnull (tu_step (t, -1, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "Application Data"));
  g_assert_nonnull (tu_step (t, -1, TLS_STEP_APPDATA, TLS_ACTOR_SERVER, "Application Data"));
  tls_conductor_free (c);
}

static void
test_downgrade (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-downgrade");
  TlsConductor *c = tu_run (sc);
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *sh, *check, *alert, *attack;

  g_test_summary ("RFC 8446, 4.1.3: the attacker leaves TLS 1.2 alone in supported_versions; "
                  "our TLS 1.3 server negotiates TLS 1.2 and ends its random with DOWNGRD 01; "
                  "the client's sentinel check fails and it sends illegal_parameter");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_ILLEGAL_PARAMETER);

  attack = tu_step (t, -1, TLS_STEP_DECISION, TLS_ACTOR_ATTACKER, "Tamper: ClientHello.versions");
  g_assert_nonnull (attack);
  g_assert_nonnull (strstr (attack->reason, "0403040303 became 0303"));
  sh = tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
  g_assert_cmpstr (tu_step (t, -1, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Protocol version")->choice, ==,
                   "TLS 1.2 (0x0303)");
  g_assert_cmpmem (server_random (sh) + 24, 8, downgrd_01, 8);
  /* a TLS 1.3 server: "the remaining bytes MUST be random" (4.1.3), no time */
  g_assert_false (starts_with_clock (server_random (sh)));
  g_assert_null (tls_field_find (sh->fields, "random/gmt_unix_time")->value);
  g_assert_nonnull (strstr (sh->rfc, "RFC 8446, 4.1.3"));

  check = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "Downgrade sentinel");
  g_assert_nonnull (check);
  g_assert_cmpint (check->result, ==, TLS_CHECK_FAILED);
  g_assert_cmpstr (check->subject, ==, "the last 8 bytes of ServerHello.random: 44 4F 57 4E 47 52 44 01");
  g_assert_cmpint (tls_step_find_value (check, "ServerHello.random")->from_step, ==, (int) sh->index);
  /* The alert the check caused, sent by the client right after it, and no
   * key exchange before it. */
  alert = tls_trace_get (t, check->index + 1);
  g_assert_cmpint (alert->kind, ==, TLS_STEP_ALERT);
  g_assert_cmpint (alert->actor, ==, TLS_ACTOR_CLIENT);
  g_assert_nonnull (strstr (alert->title, "illegal_parameter"));
  g_assert_null (tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientKeyExchange"));
  g_assert_null (tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "ServerKeyExchange signature"));
  tls_conductor_free (c);
}

/* The last 8 bytes of the server's random when the client speaks
 * CLIENT_MIN..CLIENT_MAX and the server SERVER_MAX (down to TLS 1.0). */
static void
sentinel_case (guint16 client_min, guint16 client_max, guint16 server_max, const guint8 *want,
               TlsRunState state)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-fallback");
  TlsConductor *c;
  const TlsStep *sh;

  sc->min_version = client_min;
  sc->max_version = server_max;
  sc->client_max_version = client_max;
  g_array_set_size (sc->client_suites, 0);   /* all of ours, for each version */
  c = tu_run (sc);
  g_assert_cmpint (tls_conductor_state (c), ==, state);
  sh = tu_step (tls_conductor_get_trace (c), -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
  g_assert_nonnull (sh);
  if (want != NULL)
    g_assert_cmpmem (server_random (sh) + 24, 8, want, 8);
  else
    g_assert_true (memcmp (server_random (sh) + 24, downgrd_00, 7) != 0);
  tls_conductor_free (c);
}

static void
test_sentinel_presence (void)
{
  g_test_summary ("RFC 8446, 4.1.3: DOWNGRD 01 from a TLS 1.3 server at TLS 1.2, DOWNGRD 00 at "
                  "TLS 1.1 (TLS 1.3 and TLS 1.2 servers), none at TLS 1.3 and none from a TLS 1.2 "
                  "server at TLS 1.2");
  /* a TLS 1.2 client (it offers no TLS 1.3) and a TLS 1.3 server: 01; the
   * client checks only for 00 (RFC 8446, 4.1.3) and completes */
  sentinel_case (TLS_VERSION_1_2, TLS_VERSION_1_2, TLS_VERSION_1_3, downgrd_01, TLS_RUN_COMPLETED);
  /* a TLS 1.1 client: 00 from a TLS 1.3 server (MUST) and a TLS 1.2 one (SHOULD) */
  sentinel_case (TLS_VERSION_1_0, TLS_VERSION_1_1, TLS_VERSION_1_3, downgrd_00, TLS_RUN_COMPLETED);
  sentinel_case (TLS_VERSION_1_0, TLS_VERSION_1_1, TLS_VERSION_1_2, downgrd_00, TLS_RUN_COMPLETED);
  /* TLS 1.3 both: no sentinel; TLS 1.2 server, TLS 1.2-1.3 client: none */
  sentinel_case (TLS_VERSION_1_2, TLS_VERSION_1_3, TLS_VERSION_1_3, NULL, TLS_RUN_COMPLETED);
  sentinel_case (TLS_VERSION_1_2, TLS_VERSION_1_3, TLS_VERSION_1_2, NULL, TLS_RUN_COMPLETED);
}

static void
test_fallback_rsa (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-fallback");
  guint16 rsa = 0x009c;   /* TLS_RSA_WITH_AES_128_GCM_SHA256 */
  TlsConductor *c;
  const TlsStep *s;

  g_test_summary ("The fallback with RSA key exchange: the pre-master secret carries the "
                  "ClientHello's legacy_version 0x0303 (RFC 5246, 7.4.7.1) and the handshake "
                  "completes; the sentinel check says RFC 8446 gives no protection with static RSA");
  g_array_index (sc->client_suites, guint16, 1) = rsa;
  c = tu_run (sc);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpstr (tls_trace_get_meta (tls_conductor_get_trace (c), "conn0.suite"), ==,
                   "TLS_RSA_WITH_AES_128_GCM_SHA256");
  s = tu_step (tls_conductor_get_trace (c), -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "Downgrade sentinel");
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  g_assert_cmpstr (s->rfc, ==, "RFC 8446, 4.1.3");
  g_assert_nonnull (strstr (s->explanation, "static RSA"));
  tls_conductor_free (c);
}

static void
test_selected_version_12 (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13");
  TlsConductor *c;
  const TlsStep *s;

  g_test_summary ("RFC 8446, 4.2.1: a ServerHello whose supported_versions names TLS 1.2 "
                  "ends the handshake with illegal_parameter");
  g_assert_true (tls_scenario_add_attack (sc, "tamper:server:ServerHello.selected_version=0303", NULL));
  c = tu_run (sc);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_ILLEGAL_PARAMETER);
  s = tu_step (tls_conductor_get_trace (c), -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "ServerHello acceptable");
  g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
  g_assert_nonnull (strstr (s->reason, "TLS 1.2"));
  tls_conductor_free (c);
}

/* ---- Interop ------------------------------------------------------------ */

static char *
pki (const char *name)
{
  return g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "pki", name, NULL);
}

/* DATA: "-tls1_2" (openssl speaks at most TLS 1.2), or "default"
 * (openssl's own range of versions, TLS 1.3 included). */
static void
test_openssl_server (gconstpointer data)
{
  gboolean only12 = g_str_equal (data, "-tls1_2");
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *chain = pki ("server-rsa-chain.pem");
  g_autofree char *key = pki ("server-rsa.key");
  g_autofree char *leaf = pki ("server-rsa.crt");
  g_autofree char *root = pki ("ca/root.crt");
  IopServer server = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsRng) rng = tls_rng_new_system ();
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (GBytes) page = NULL;
  TlsConfig cfg;
  TlsConductor *c;
  const TlsStep *sh, *s;
  const char *get = "GET / HTTP/1.0\r\n\r\n";
  int fd;

  g_test_summary (only12 ? "Our TLS 1.2-1.3 client against openssl s_server -tls1_2 on 127.0.0.1: "
                           "TLS 1.2, openssl (max TLS 1.2) writes no sentinel, our check passes, "
                           "a page comes back"
                         : "Our TLS 1.2-1.3 client (its ClientHello with the TLS 1.2 offer too) "
                           "against openssl s_server's default range: TLS 1.3, a page comes back");
  if (openssl == NULL)
    {
      g_test_skip ("no openssl");
      return;
    }
  {
    const char *argv[] = { openssl, "s_server", "-accept", "127.0.0.1:@PORT@",
                           only12 ? "-tls1_2" : "-no_ssl3", "-cert", leaf, "-cert_chain", chain, "-key", key, "-www",
                           "-naccept", "1", NULL };
    if (!iop_server_start (&server, argv, IOP_TIMEOUT_MS, &error))
      {
        iop_server_stop (&server);
        g_error ("openssl s_server did not start: %s", error->message);
      }
  }
  fd = tls_transport_connect ("127.0.0.1", server.port, IOP_TIMEOUT_MS, &error);
  g_assert_no_error (error);
  tls_config_init (&cfg, TLS_ACTOR_CLIENT);
  cfg.min_version = TLS_VERSION_1_2;
  cfg.max_version = TLS_VERSION_1_3;
  cfg.server_name = g_strdup ("server.handshake-lab.test");
  cfg.trust = tls_certificate_list_from_file (root, &error);
  g_assert_no_error (error);
  cfg.rng = rng;
  c = tls_conductor_new_peer (&cfg, fd, trace, &error);
  g_assert_no_error (error);
  tls_conductor_run (c);
  if (tls_conductor_state (c) != TLS_RUN_COMPLETED)
    g_test_message ("reason: %s", tls_conductor_reason (c));
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpstr (tls_trace_get_meta (trace, "conn0.version"), ==, only12 ? "TLS 1.2" : "TLS 1.3");

  sh = tu_step (trace, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
  g_assert_nonnull (sh);
  /* the truth of openssl 3 configured for TLS 1.2 at most: no sentinel */
  g_assert_true (memcmp (server_random (sh) + 24, downgrd_00, 7) != 0);
  s = tu_step (trace, -1, TLS_STEP_DECISION, TLS_ACTOR_CLIENT, "Version");
  if (only12)
    g_assert_cmpstr (s->choice, ==, "TLS 1.2 (0x0303)");
  else
    g_assert_null (s);
  s = tu_step (trace, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "Downgrade sentinel");
  if (only12)
    g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  else
    g_assert_null (s);

  g_assert_true (tls_conductor_send (c, (const guint8 *) get, strlen (get), &error));
  g_assert_no_error (error);
  page = tls_conductor_receive (c, IOP_TIMEOUT_MS, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_assert_cmpuint (g_bytes_get_size (page), >, 8);
  g_assert_true (memcmp (g_bytes_get_data (page, NULL), "HTTP/1.0", 8) == 0);
  tls_conductor_close (c, NULL);
  tls_conductor_free (c);
  tls_config_clear (&cfg);
  iop_server_stop (&server);
}

static void
test_connect_range (void)
{
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *chain = pki ("server-rsa-chain.pem");
  g_autofree char *key = pki ("server-rsa.key");
  g_autofree char *leaf = pki ("server-rsa.crt");
  g_autofree char *addr = NULL;
  IopServer server = { 0 };
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;

  g_test_summary ("handshake-lab connect --version 1.2-1.3 against openssl s_server -tls1_2: "
                  "the client's Version decision and sentinel check, TLS 1.2 completed");
  if (openssl == NULL || g_getenv ("HANDSHAKE_LAB") == NULL)
    {
      g_test_skip ("no openssl or no handshake-lab");
      return;
    }
  {
    const char *argv[] = { openssl, "s_server", "-accept", "127.0.0.1:@PORT@", "-tls1_2",
                           "-cert", leaf, "-cert_chain", chain, "-key", key, "-naccept", "1", NULL };
    if (!iop_server_start (&server, argv, IOP_TIMEOUT_MS, &error))
      {
        iop_server_stop (&server);
        g_error ("openssl s_server did not start: %s", error->message);
      }
  }
  addr = g_strdup_printf ("127.0.0.1:%u", server.port);
  iop_run_program (&r, g_getenv ("HANDSHAKE_LAB"), IOP_TIMEOUT_MS, "connect", addr,
                   "--version", "1.2-1.3", "--servername", "server.handshake-lab.test", NULL);
  iop_server_stop (&server);
  if (r.status != 0)
    g_test_message ("output: %s\nerrors: %s", r.output, r.errors);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "client  Version  (decision, RFC 8446 §4.2.1; RFC 8446 §D.1)"));
  g_assert_nonnull (strstr (r.output, "choice: TLS 1.2 (0x0303)"));
  g_assert_nonnull (strstr (r.output, "client  Downgrade sentinel  (check, RFC 8446 §4.1.3; RFC 5246 §7.4.3)"));
  g_assert_null (strstr (r.output, "FAILED"));
  g_assert_nonnull (strstr (r.output, "TLS 1.2  TLS_ECDHE_"));
  g_assert_nonnull (strstr (r.output, "completed"));
  iop_result_clear (&r);
}

typedef struct
{
  TlsConfig   *cfg;
  int          listen_fd;
  TlsTrace    *trace;
  TlsRunState  state;
  guint16      version;
  char        *error;
} Serve;

static gpointer
serve_one (gpointer data)
{
  Serve *sv = data;
  g_autoptr (GError) error = NULL;
  int fd = tls_transport_accept (sv->listen_fd, IOP_TIMEOUT_MS, &error);
  TlsConductor *c;
  TlsConnectionInfo info;

  if (fd < 0)
    {
      sv->error = g_strdup (error->message);
      return NULL;
    }
  c = tls_serve_connection (sv->cfg, fd, sv->trace, IOP_TIMEOUT_MS, NULL, NULL, &error);
  if (c == NULL)
    {
      sv->error = g_strdup (error->message);
      return NULL;
    }
  sv->state = tls_conductor_state (c);
  if (tls_conductor_connection_info (c, TLS_ACTOR_SERVER, &info))
    sv->version = info.version;
  tls_conductor_free (c);
  return NULL;
}

/* The hex digits of openssl -msg's dump of the message after HEADER. */
static char *
msg_dump (const char *out, const char *header)
{
  const char *p = strstr (out, header);
  GString *hex = g_string_new (NULL);

  if (p == NULL)
    return g_string_free (hex, FALSE);
  p = strchr (p, '\n');
  for (; p && *p && !g_str_has_prefix (p + 1, "<<<") && !g_str_has_prefix (p + 1, ">>>"); p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (hex, g_ascii_tolower (*p));
  return g_string_free (hex, FALSE);
}

static void
test_openssl_client (gconstpointer data)
{
  gboolean only12 = g_str_equal (data, "-tls1_2");
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *chain = pki ("server-rsa-chain.pem");
  g_autofree char *key = pki ("server-rsa.key");
  g_autofree char *root = pki ("ca/root.crt");
  g_autofree char *addr = NULL, *dump = NULL, *random = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsRng) rng = tls_rng_new_system ();
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  IopResult r = { 0 };
  TlsConfig cfg;
  Serve sv = { 0 };
  GThread *thread;
  guint16 port = 0;
  const TlsStep *sh;

  g_test_summary (only12 ? "openssl s_client -tls1_2 -msg against our TLS 1.2-1.3 server on "
                           "127.0.0.1: TLS 1.2, our random ends with DOWNGRD 01 and openssl, which "
                           "offered only TLS 1.2, prints it and completes"
                         : "openssl s_client -msg (its default range) against our TLS 1.2-1.3 "
                           "server: TLS 1.3, no sentinel in our random");
  if (openssl == NULL)
    {
      g_test_skip ("no openssl");
      return;
    }
  tls_config_init (&cfg, TLS_ACTOR_SERVER);
  cfg.min_version = TLS_VERSION_1_2;
  cfg.max_version = TLS_VERSION_1_3;
  cfg.chain = tls_certificate_list_from_file (chain, &error);
  g_assert_no_error (error);
  cfg.key = tls_private_key_load_file (key, &error);
  g_assert_no_error (error);
  cfg.rng = rng;
  sv.cfg = &cfg;
  sv.trace = trace;
  sv.listen_fd = tls_transport_listen ("127.0.0.1", 0, &port, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("serve", serve_one, &sv);
  addr = g_strdup_printf ("127.0.0.1:%u", port);
  {
    const char *argv[] = { openssl, "s_client", "-connect", addr, only12 ? "-tls1_2" : "-no_ssl3", "-msg",
                           "-CAfile", root, "-servername", "server.handshake-lab.test",
                           "-verify_return_error", NULL };
    g_assert_true (iop_run (argv, "", IOP_TIMEOUT_MS, &r, &error));
  }
  g_assert_no_error (error);
  g_thread_join (thread);
  tls_transport_close (sv.listen_fd);
  if (sv.error || sv.state != TLS_RUN_COMPLETED)
    g_test_message ("ours: %s\nopenssl: %s", sv.error ? sv.error : "", r.output);
  g_assert_null (sv.error);
  g_assert_cmpint (sv.state, ==, TLS_RUN_COMPLETED);
  g_assert_cmpuint (sv.version, ==, only12 ? TLS_VERSION_1_2 : TLS_VERSION_1_3);
  g_assert_true (r.exited);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, only12 ? "Protocol  : TLSv1.2" : "New, TLSv1.3, Cipher is"));
  g_assert_nonnull (strstr (r.output, "Verify return code: 0 (ok)"));

  /* our ServerHello: DOWNGRD 01 at the end of the random, and openssl's
   * dump of the ServerHello it received holds that random */
  sh = tu_step (trace, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
  g_assert_nonnull (sh);
  random = tls_hex (server_random (sh), 32);
  dump = msg_dump (r.output, "], ServerHello");
  if (strstr (dump, random) == NULL)
    g_test_message ("openssl: %s", r.output);
  g_assert_nonnull (strstr (dump, random));
  if (only12)
    {
      g_assert_cmpmem (server_random (sh) + 24, 8, downgrd_01, 8);
      g_assert_true (g_str_has_suffix (random, "444f574e47524401"));
    }
  else
    g_assert_true (memcmp (server_random (sh) + 24, downgrd_00, 7) != 0);
  iop_result_clear (&r);
  tls_config_clear (&cfg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls13-downgrade/fallback", test_fallback);
  g_test_add_func ("/tls13-downgrade/downgrade", test_downgrade);
  g_test_add_func ("/tls13-downgrade/fallback-rsa", test_fallback_rsa);
  g_test_add_func ("/tls13-downgrade/sentinel-presence", test_sentinel_presence);
  g_test_add_func ("/tls13-downgrade/selected-version-1.2", test_selected_version_12);
  g_test_add_data_func ("/tls13-downgrade/interop/openssl-server-tls1_2", "-tls1_2", test_openssl_server);
  g_test_add_data_func ("/tls13-downgrade/interop/openssl-server-default", "default", test_openssl_server);
  g_test_add_func ("/tls13-downgrade/interop/connect-range", test_connect_range);
  g_test_add_data_func ("/tls13-downgrade/interop/openssl-client-tls1_2", "-tls1_2", test_openssl_client);
  g_test_add_data_func ("/tls13-downgrade/interop/openssl-client-default", "default", test_openssl_client);
  return g_test_run ();
}
