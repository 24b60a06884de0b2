/* test-scenarios.c — the scenarios of the notes (classic, modern,
 * small-dh-group), the scenario file format of docs/scenarios.md, and the
 * window's options for opening a scenario or a trace. */
#include "config.h"

#include <gmp.h>
#include <nettle/hmac.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tls-conductor.h"
#include "tls-scenario.h"
#include "tls-kx-dh.h"
#include "interop-peers.h"

#define TIMEOUT_MS 60000

static const char *program;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static TlsConductor *
run_scenario (const TlsScenario *sc)
{
  g_autoptr (GError) error = NULL;
  TlsConductor *c = tls_conductor_new (sc, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);

  g_assert_no_error (error);
  tls_conductor_run (c);
  return c;
}

static TlsConductor *
run_builtin (const char *name)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (name);

  g_assert_nonnull (sc);
  return run_scenario (sc);
}

/* The first step of KIND with TITLE in CONNECTION by ACTOR (-1: any). */
static const TlsStep *
find_step (const TlsTrace *t, TlsStepKind kind, const char *title, guint connection, int actor)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (s->kind == kind && g_strcmp0 (s->title, title) == 0 && s->connection == connection
          && (actor < 0 || (int) s->actor == actor))
        return s;
    }
  return NULL;
}

static GBytes *
output_of (const TlsStep *s, const char *name)
{
  TlsTraceValue *v;

  g_assert_nonnull (s);
  v = tls_step_find_output (s, name);
  g_assert_nonnull (v);
  g_assert_nonnull (v->bytes);
  return v->bytes;
}

/* The hello's 32-byte random: after msg_type (1), length (3), version (2). */
static const guint8 *
hello_random (const TlsStep *hello)
{
  gsize len;
  const guint8 *b = g_bytes_get_data (hello->bytes, &len);

  g_assert_cmpuint (len, >=, 38);
  return b + 6;
}

/* The hello's session_id, as hex. */
static char *
hello_session_id (const TlsStep *hello)
{
  gsize len;
  const guint8 *b = g_bytes_get_data (hello->bytes, &len);
  GString *hex = g_string_new (NULL);

  g_assert_cmpuint (len, >=, 39u + b[38]);
  for (guint i = 0; i < b[38]; i++)
    g_string_append_printf (hex, "%02x", b[39 + i]);
  return g_string_free (hex, FALSE);
}

static void
collect_extensions (const TlsField *f, GString *out)
{
  /* each extension is a group named "extension: NAME" */
  if (f->name && g_str_has_prefix (f->name, "extension: "))
    g_string_append_printf (out, "%s%s", out->len ? "," : "", f->name + strlen ("extension: "));
  for (guint i = 0; f->children && i < f->children->len; i++)
    collect_extensions (g_ptr_array_index (f->children, i), out);
}

/* The extensions of a hello, in order, comma-separated. */
static char *
hello_extensions (const TlsStep *hello)
{
  GString *out = g_string_new (NULL);

  g_assert_nonnull (hello);
  collect_extensions (hello->fields, out);
  return g_string_free (out, FALSE);
}

static gboolean
has_extension (const TlsStep *hello, const char *name)
{
  g_autofree char *all = hello_extensions (hello);
  g_auto (GStrv) v = g_strsplit (all, ",", -1);

  return g_strv_contains ((const char *const *) v, name);
}

/* P_SHA256(secret, seed) (RFC 5246, 5), written here again from the RFC so
 * that the test does not lean on the engine's PRF. */
static void
p_sha256 (const guint8 *secret, gsize slen, const guint8 *seed, gsize seedlen,
          guint8 *out, gsize outlen)
{
  struct hmac_sha256_ctx ctx;
  guint8 a[SHA256_DIGEST_SIZE], block[SHA256_DIGEST_SIZE];
  gsize done = 0;

  hmac_sha256_set_key (&ctx, slen, secret);
  hmac_sha256_update (&ctx, seedlen, seed);       /* A(1) = HMAC(secret, seed) */
  hmac_sha256_digest (&ctx, sizeof a, a);
  while (done < outlen)
    {
      gsize n;
      hmac_sha256_update (&ctx, sizeof a, a);
      hmac_sha256_update (&ctx, seedlen, seed);
      hmac_sha256_digest (&ctx, sizeof block, block);
      n = MIN (sizeof block, outlen - done);
      memcpy (out + done, block, n);
      done += n;
      hmac_sha256_update (&ctx, sizeof a, a);     /* A(i+1) = HMAC(secret, A(i)) */
      hmac_sha256_digest (&ctx, sizeof a, a);
    }
}

/* ------------------------------------------------------------------ */
/* classic                                                             */

static void
test_default_is_classic (void)
{
  g_autofree char *schema = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                 "org.handshakelab.HandshakeLab.gschema.xml", NULL);
  g_autofree char *want = g_strdup_printf ("<default>'%s'</default>", TLS_SCENARIO_DEFAULT);
  const char *key;
  IopResult r = { 0 };
  const char *argv[] = { program, "run", "--brief", NULL };
  g_autoptr (GError) error = NULL;

  g_test_summary ("The default scenario is classic: in the table, `run` and the settings schema");
  g_assert_cmpstr (TLS_SCENARIO_DEFAULT, ==, "classic");
  g_assert_cmpstr (tls_scenario_names ()[0], ==, "classic");
  g_assert_true (g_file_get_contents (path, &schema, NULL, NULL));
  key = strstr (schema, "name=\"last-scenario\"");
  g_assert_nonnull (key);
  g_assert_nonnull (strstr (key, want));

  g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.output, "# scenario classic,"));
  iop_result_clear (&r);
}

static void
test_classic_master_secret (void)
{
  TlsConductor *c = run_builtin ("classic");
  const TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *ch = find_step (t, TLS_STEP_MESSAGE, "ClientHello", 0, TLS_ACTOR_CLIENT);
  const TlsStep *sh = find_step (t, TLS_STEP_MESSAGE, "ServerHello", 0, TLS_ACTOR_SERVER);
  static const char label[] = "master secret";

  g_test_summary ("classic: master_secret = PRF(pre_master_secret, \"master secret\", "
                  "ClientHello.random + ServerHello.random)[0..47], recomputed from the trace");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_nonnull (ch);
  g_assert_nonnull (sh);
  g_assert_null (find_step (t, TLS_STEP_DERIVATION, "master_secret (extended)", 0, -1));
  for (int actor = TLS_ACTOR_CLIENT; actor <= TLS_ACTOR_SERVER; actor++)
    {
      GBytes *pms = output_of (find_step (t, TLS_STEP_DERIVATION, "pre_master_secret", 0, actor),
                               "pre_master_secret");
      GBytes *ms = output_of (find_step (t, TLS_STEP_DERIVATION, "master_secret", 0, actor),
                              "master_secret");
      guint8 seed[sizeof label - 1 + 64], out[48];

      g_assert_cmpuint (g_bytes_get_size (pms), ==, 48);
      memcpy (seed, label, sizeof label - 1);
      memcpy (seed + sizeof label - 1, hello_random (ch), 32);
      memcpy (seed + sizeof label - 1 + 32, hello_random (sh), 32);
      p_sha256 (g_bytes_get_data (pms, NULL), g_bytes_get_size (pms), seed, sizeof seed, out, 48);
      g_assert_cmpmem (out, 48, g_bytes_get_data (ms, NULL), g_bytes_get_size (ms));
    }
  tls_conductor_free (c);
}

static void
test_classic_hellos (void)
{
  TlsConductor *c = run_builtin ("classic");
  const TlsTrace *t = tls_conductor_get_trace (c);
  const char *hellos[] = { "ClientHello", "ServerHello" };
  g_autofree char *ch_ext = NULL, *sh_ext = NULL;
  const TlsStep *ch;

  g_test_summary ("classic: no extended_master_secret, encrypt_then_mac or session_ticket in "
                  "any hello; the ClientHello carries server_name, renegotiation_info and "
                  "signature_algorithms and its text names only those it carries");
  for (guint conn = 0; conn < 2; conn++)
    for (guint h = 0; h < G_N_ELEMENTS (hellos); h++)
      {
        const TlsStep *s = find_step (t, TLS_STEP_MESSAGE, hellos[h], conn, -1);
        g_assert_nonnull (s);
        g_assert_false (has_extension (s, "extended_master_secret"));
        g_assert_false (has_extension (s, "encrypt_then_mac"));
        g_assert_false (has_extension (s, "session_ticket"));
      }
  ch = find_step (t, TLS_STEP_MESSAGE, "ClientHello", 0, -1);
  ch_ext = hello_extensions (ch);
  sh_ext = hello_extensions (find_step (t, TLS_STEP_MESSAGE, "ServerHello", 0, -1));
  g_assert_cmpstr (ch_ext, ==, "server_name,renegotiation_info,signature_algorithms");
  g_assert_cmpstr (sh_ext, ==, "server_name,renegotiation_info");
  /* the cipher suite: one, AES-CBC with RSA key exchange */
  g_assert_nonnull (strstr (tls_trace_get (t, 0)->explanation, "server_name"));
  g_assert_null (strstr (ch->explanation, "extended_master_secret binds"));
  g_assert_nonnull (strstr (ch->explanation, "(RFC 5746, 3.4)"));
  g_assert_cmpstr (find_step (t, TLS_STEP_DECISION, "Cipher suite", 0, -1)->choice, ==,
                   "TLS_RSA_WITH_AES_128_CBC_SHA");
  tls_conductor_free (c);
}

static void
test_classic_resumed_by_id (void)
{
  TlsConductor *c = run_builtin ("classic");
  const TlsTrace *t = tls_conductor_get_trace (c);
  g_autofree char *id1 = hello_session_id (find_step (t, TLS_STEP_MESSAGE, "ServerHello", 0, -1));
  g_autofree char *offered = hello_session_id (find_step (t, TLS_STEP_MESSAGE, "ClientHello", 1, -1));
  g_autofree char *id2 = hello_session_id (find_step (t, TLS_STEP_MESSAGE, "ServerHello", 1, -1));
  const TlsStep *resume = find_step (t, TLS_STEP_DECISION, "Resume the session?", 1, TLS_ACTOR_SERVER);

  g_test_summary ("classic: the second connection offers the first one's session ID and is "
                  "resumed by it (Fig. 2: no Certificate, no ClientKeyExchange)");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpuint (strlen (id1), ==, 64);
  g_assert_cmpstr (offered, ==, id1);
  g_assert_cmpstr (id2, ==, id1);
  g_assert_nonnull (resume);
  g_assert_nonnull (strstr (resume->choice, "by session ID"));
  g_assert_null (find_step (t, TLS_STEP_MESSAGE, "Certificate", 1, -1));
  g_assert_null (find_step (t, TLS_STEP_MESSAGE, "ClientKeyExchange", 1, -1));
  g_assert_null (find_step (t, TLS_STEP_MESSAGE, "NewSessionTicket", 0, -1));
  tls_conductor_free (c);
}

/* ------------------------------------------------------------------ */
/* modern                                                              */

static void
test_modern (void)
{
  TlsConductor *c = run_builtin ("modern");
  const TlsTrace *t = tls_conductor_get_trace (c);
  const char *exts[] = { "extended_master_secret", "encrypt_then_mac", "session_ticket" };
  const TlsStep *ch = find_step (t, TLS_STEP_MESSAGE, "ClientHello", 0, -1);
  const TlsStep *sh = find_step (t, TLS_STEP_MESSAGE, "ServerHello", 0, -1);
  const TlsStep *ems = find_step (t, TLS_STEP_DERIVATION, "master_secret (extended)", 0, TLS_ACTOR_CLIENT);
  const TlsStep *fin = find_step (t, TLS_STEP_MESSAGE, "Finished", 0, TLS_ACTOR_CLIENT);
  const TlsStep *nst = find_step (t, TLS_STEP_MESSAGE, "NewSessionTicket", 0, TLS_ACTOR_SERVER);
  const TlsStep *resume = find_step (t, TLS_STEP_DECISION, "Resume the session?", 1, TLS_ACTOR_SERVER);
  g_autofree char *id1 = hello_session_id (sh);

  g_test_summary ("modern: EMS, ETM and a ticket in both hellos, the extended master secret, "
                  "resumption by ticket; each differing step says what changed and why");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    {
      g_assert_true (has_extension (ch, exts[i]));
      g_assert_true (has_extension (sh, exts[i]));
    }
  g_assert_cmpstr (id1, ==, "");   /* no server-side state */
  g_assert_null (find_step (t, TLS_STEP_DERIVATION, "master_secret", 0, -1));
  g_assert_nonnull (ems);
  g_assert_nonnull (nst);
  g_assert_true (has_extension (find_step (t, TLS_STEP_MESSAGE, "ClientHello", 1, -1), "session_ticket"));
  g_assert_nonnull (resume);
  g_assert_nonnull (strstr (resume->choice, "ticket"));
  /* the notes: what changes against classic, and the attack or cost answered */
  g_assert_nonnull (strstr (ch->explanation, "Against the classic handshake"));
  g_assert_nonnull (strstr (ems->explanation, "triple handshake"));
  g_assert_nonnull (strstr (ems->rfc, "RFC 7627, 4"));
  g_assert_nonnull (strstr (fin->explanation, "encrypt-then-MAC"));
  g_assert_nonnull (strstr (fin->explanation, "timing attack on CBC padding"));
  g_assert_nonnull (strstr (fin->rfc, "RFC 7366, 1"));
  g_assert_nonnull (strstr (nst->explanation, "without per-client state"));
  g_assert_nonnull (strstr (nst->rfc, "RFC 5077, 1"));
  g_assert_nonnull (strstr (resume->explanation, "no cache lookup"));
  /* citations are not repeated */
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      g_auto (GStrv) parts = g_strsplit (s->rfc ? s->rfc : "", "; ", -1);
      for (guint a = 0; parts[a]; a++)
        for (guint b = a + 1; parts[b]; b++)
          g_assert_cmpstr (parts[a], !=, parts[b]);
    }
  tls_conductor_free (c);

  /* the classic run has none of these notes */
  c = run_builtin ("classic");
  t = tls_conductor_get_trace (c);
  for (guint i = 0; i < tls_trace_len (t); i++)
    g_assert_null (strstr (tls_trace_get (t, i)->explanation ? tls_trace_get (t, i)->explanation : "",
                           "Against the classic"));
  tls_conductor_free (c);
}

/* ------------------------------------------------------------------ */
/* small-dh-group                                                      */

static void
test_small_dh_group (void)
{
  TlsConductor *c = run_builtin ("small-dh-group");
  const TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *group = find_step (t, TLS_STEP_DECISION, "Key exchange group", 0, TLS_ACTOR_SERVER);
  const TlsStep *check = find_step (t, TLS_STEP_CHECK, "Key exchange parameters", 0, TLS_ACTOR_CLIENT);
  const TlsStep *last = tls_trace_last (t);
  g_autoptr (TlsScenario) ok = tls_scenario_builtin ("small-dh-group");

  g_test_summary ("small-dh-group: the server's 1024-bit Oakley group 2 is refused by the "
                  "client's 2048-bit minimum with insufficient_security; ffdhe2048 passes");
  g_assert_nonnull (group);
  g_assert_cmpstr (group->choice, ==, "modp1024");
  g_assert_cmpint (group->chosen_option, >=, 0);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (group->options, group->chosen_option), "modp1024"));
  g_assert_nonnull (check);
  g_assert_cmpint (check->result, ==, TLS_CHECK_FAILED);
  g_assert_nonnull (strstr (check->reason, "1024 bits"));
  g_assert_nonnull (strstr (check->reason, "2048"));
  g_assert_nonnull (strstr (check->explanation, "about 80 bits"));
  g_assert_nonnull (strstr (check->explanation, "about 112"));
  g_assert_cmpint (last->kind, ==, TLS_STEP_ALERT);
  g_assert_cmpint (last->alert_description, ==, 71);   /* insufficient_security */
  g_assert_cmpint (tls_conductor_alert (c), ==, 71);
  tls_conductor_free (c);

  /* The same client takes ffdhe2048: the point is the size, not DHE. */
  g_free (ok->server_dh_group);
  ok->server_dh_group = g_strdup ("ffdhe2048");
  c = run_scenario (ok);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  check = find_step (tls_conductor_get_trace (c), TLS_STEP_CHECK, "Key exchange parameters", 0, -1);
  g_assert_cmpint (check->result, ==, TLS_CHECK_PASSED);
  tls_conductor_free (c);
}

static void
test_modp1024_group (void)
{
  const TlsDhGroup *g = tls_dh_group_by_name ("modp1024");
  mpz_t p, q;

  g_test_summary ("RFC 2409, 6.2: the Second Oakley Group is a 1024-bit safe prime, g = 2, "
                  "with no TLS NamedGroup");
  g_assert_nonnull (g);
  g_assert_cmpuint (g->bits, ==, 1024);
  g_assert_cmpuint (g->p_len, ==, 128);
  g_assert_cmpuint (g->g, ==, 2);
  g_assert_cmpuint (g->named_group, ==, 0);
  g_assert_true (tls_dh_group_by_id (0) == NULL);
  mpz_inits (p, q, NULL);
  mpz_import (p, g->p_len, 1, 1, 1, 0, g->p);
  mpz_sub_ui (q, p, 1);
  mpz_fdiv_q_2exp (q, q, 1);
  g_assert_cmpint (mpz_probab_prime_p (p, 25), >, 0);
  g_assert_cmpint (mpz_probab_prime_p (q, 25), >, 0);
  /* top and bottom 64 bits are all ones, as for every Oakley prime */
  for (guint i = 0; i < 8; i++)
    {
      g_assert_cmpuint (g->p[i], ==, 0xff);
      g_assert_cmpuint (g->p[g->p_len - 1 - i], ==, 0xff);
    }
  mpz_clears (p, q, NULL);
}

/* ------------------------------------------------------------------ */
/* The file format: docs/scenarios.md and the loader                   */

static char *
docs_text (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "scenarios.md", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* The ```ini block of the docs. */
static char *
docs_example (const char *docs)
{
  const char *start = strstr (docs, "```ini\n");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("```ini\n");
  end = strstr (start, "```");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static TlsScenario *
load_text (const char *text, GError **error)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("scenario-XXXXXX.scenario", &path, NULL);
  TlsScenario *sc;

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  sc = tls_scenario_load (path, error);
  g_unlink (path);
  return sc;
}

static void
test_docs_keys (void)
{
  g_autofree char *docs = docs_text ();
  g_autofree char *example = docs_example (docs);
  g_autoptr (GHashTable) documented = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = g_strsplit (docs, "\n", -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsScenario) sc = NULL;
  guint n;
  const TlsScenarioKey *keys = tls_scenario_keys (&n);

  g_test_summary ("docs/scenarios.md documents exactly the loader's keys, with an example of "
                  "each that the loader accepts");
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "| `"))
      {
        const char *k = lines[i] + 3;
        g_hash_table_add (documented, g_strndup (k, strcspn (k, "`")));
      }
  g_assert_cmpuint (g_hash_table_size (documented), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = g_strdup_printf ("\n%s=", keys[i].name);
      if (!g_hash_table_contains (documented, keys[i].name))
        g_test_message ("not in the table of docs/scenarios.md: %s", keys[i].name);
      g_assert_true (g_hash_table_contains (documented, keys[i].name));
      if (strstr (example, line) == NULL && !g_str_has_prefix (example + strlen ("[Scenario]"), line))
        g_test_message ("not in the example: %s", keys[i].name);
      g_assert_nonnull (strstr (example, line));
    }
  sc = load_text (example, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sc);
  g_assert_cmpstr (sc->name, ==, "every-key");
  g_assert_cmpstr (sc->server_dh_group, ==, "ffdhe3072");
  g_assert_cmpstr (sc->alpn, ==, "h2,http/1.1");
  g_assert_cmpstr (sc->server_alpn, ==, "http/1.1");
  g_assert_cmpstr (sc->tamper, ==, "client-bad-verify-data");
  g_assert_cmpstr (sc->app_request, ==, "GET / HTTP/1.0\r\n\r\n");
  g_assert_cmpuint (sc->seed, ==, 7);
  g_assert_true (sc->no_ems && sc->no_etm && sc->client_cert);
  g_assert_cmpuint (sc->client_suites->len, ==, 2);
}

static void
test_loader_refuses (void)
{
  static const struct { const char *line; const char *named; } bad[] = {
    { "colour=blue", "“colour”" },
    { "Resume=true", "“Resume”" },
    { "transport=pigeon", "“pigeon”" },
    { "tamper=client-typo", "“client-typo”" },
    { "server-dh-group=modp512", "“modp512”" },
    { "alpn=h2,,http/1.1", "“h2,,http/1.1”" },
    { "client-suites=TLS_NOT_A_SUITE", "“TLS_NOT_A_SUITE”" },
    { "client-auth=maybe", "“maybe”" },
    { "min-version=1.4", "“1.4”" },
    { "server-cert=../../etc/passwd", "“../../etc/passwd”" },
    { "connections=4", "connections" },
    { "early-data=maybe", "“maybe”" },
    { "resume=perhaps", "resume" },
  };

  g_test_summary ("An unknown key, group or value is refused with a message naming it");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("[Scenario]\nname=x\n%s\n", bad[i].line);
      g_autoptr (GError) error = NULL;
      g_autoptr (TlsScenario) sc = load_text (text, &error);

      if (sc != NULL)
        g_test_message ("accepted: %s", bad[i].line);
      g_assert_null (sc);
      g_assert_nonnull (error);
      if (strstr (error->message, bad[i].named) == NULL)
        g_test_message ("%s: %s", bad[i].line, error->message);
      g_assert_nonnull (strstr (error->message, bad[i].named));
    }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TlsScenario) sc = load_text ("[Scenario]\nname=x\n[Extra]\nk=v\n", &error);
    g_assert_null (sc);
    g_assert_nonnull (strstr (error->message, "[Extra]"));
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TlsScenario) sc = load_text ("[Scenario]\ntitle[fr]=Bonjour\n", &error);
    g_assert_no_error (error);
    g_assert_nonnull (sc);
  }
}

static void
test_save_load_builtins (void)
{
  const char *const *names = tls_scenario_names ();

  g_test_summary ("Every built-in scenario saved to a file loads back with the same settings");
  for (guint i = 0; names[i]; i++)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin (names[i]);
      g_autoptr (TlsScenario) back = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *path = NULL;
      int fd = g_file_open_tmp ("saved-XXXXXX.scenario", &path, NULL);

      close (fd);
      g_assert_true (tls_scenario_save (sc, path, &error));
      g_assert_no_error (error);
      back = tls_scenario_load (path, &error);
      g_unlink (path);
      g_assert_no_error (error);
      g_assert_cmpstr (back->name, ==, sc->name);
      g_assert_cmpstr (back->server_dh_group, ==, sc->server_dh_group);
      g_assert_cmpstr (back->tamper, ==, sc->tamper);
      g_assert_cmpint (back->no_ems, ==, sc->no_ems);
      g_assert_cmpint (back->no_etm, ==, sc->no_etm);
      g_assert_cmpint (back->tickets, ==, sc->tickets);
      g_assert_cmpint (back->server_cache, ==, sc->server_cache);
      g_assert_cmpuint (back->connections, ==, sc->connections);
    }
}

/* ------------------------------------------------------------------ */
/* Opening a scenario or a trace: run and gui                          */

static void
assert_status (const char *const *argv, int status, const char *mentions)
{
  IopResult r = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (iop_run_split (argv, NULL, TIMEOUT_MS, &r, &error));
  g_assert_no_error (error);
  g_assert_true (r.exited);
  if (r.status != status || (mentions && strstr (r.errors, mentions) == NULL))
    g_test_message ("%s %s: status %d\nstdout:\n%s\nstderr:\n%s", argv[1], argv[2] ? argv[2] : "",
                    r.status, r.output, r.errors);
  g_assert_cmpint (r.status, ==, status);
  if (mentions)
    g_assert_nonnull (strstr (r.errors, mentions));
  iop_result_clear (&r);
}

static void
test_gui_options (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gui-options-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "mine.scenario", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.scenario", NULL);
  g_autofree char *json = g_build_filename (dir, "run.json", NULL);
  g_autofree char *png = g_build_filename (dir, "shot.png", NULL);
  g_autofree char *docs = docs_text ();
  g_autofree char *example = docs_example (docs);

  g_test_summary ("gui: a scenario file or a saved trace opens; --step below 0, past the end, "
                  "an unknown scenario or a bad file is a usage error (2) with a message");
  g_assert_true (g_file_set_contents (file, example, -1, NULL));
  g_assert_true (g_file_set_contents (bad, "[Scenario]\nfavourite-colour=blue\n", -1, NULL));

  /* run takes the file */
  assert_status ((const char *[]) { program, "run", "--scenario", file, "--trace-json", json,
                                    NULL }, 1, NULL);
  assert_status ((const char *[]) { program, "run", "--scenario", bad, NULL }, 2,
                 "favourite-colour");

  /* usage errors need no display */
  assert_status ((const char *[]) { program, "gui", "--step", "-5", NULL }, 2, "--step");
  assert_status ((const char *[]) { program, "gui", "--scenario", "no-such-scenario", NULL }, 2,
                 "no-such-scenario");
  assert_status ((const char *[]) { program, "gui", bad, NULL }, 2, "favourite-colour");
  assert_status ((const char *[]) { program, "gui", "--scenario", bad, NULL }, 2, "favourite-colour");
  assert_status ((const char *[]) { program, "gui", file, json, NULL }, 2, json);
  assert_status ((const char *[]) { program, "gui", "--scenario", "classic", file, NULL }, 2, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_message ("no display: the window is not opened");
    }
  else
    {
      assert_status ((const char *[]) { program, "gui", file, "--step", "3", "--screenshot", png, NULL },
                     0, NULL);
      assert_status ((const char *[]) { program, "gui", "--scenario", file, "--screenshot", png, NULL },
                     0, NULL);
      assert_status ((const char *[]) { program, "gui", json, "--step", "5", "--screenshot", png, NULL },
                     0, NULL);
      assert_status ((const char *[]) { program, "gui", "--scenario", "classic", "--step", "999",
                                        "--screenshot", png, NULL }, 2, "past the end");
    }
  g_unlink (file);
  g_unlink (bad);
  g_unlink (json);
  g_unlink (png);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_unsetenv ("G_DEBUG");   /* the window's own warnings (no session bus) are not ours */
  program = g_getenv ("HANDSHAKE_LAB");
  g_assert_nonnull (program);

  g_test_add_func ("/scenarios/default-is-classic", test_default_is_classic);
  g_test_add_func ("/scenarios/classic/master-secret", test_classic_master_secret);
  g_test_add_func ("/scenarios/classic/hellos", test_classic_hellos);
  g_test_add_func ("/scenarios/classic/resumed-by-session-id", test_classic_resumed_by_id);
  g_test_add_func ("/scenarios/modern", test_modern);
  g_test_add_func ("/scenarios/small-dh-group", test_small_dh_group);
  g_test_add_func ("/scenarios/modp1024-group", test_modp1024_group);
  g_test_add_func ("/scenarios/file/docs-keys", test_docs_keys);
  g_test_add_func ("/scenarios/file/refused", test_loader_refuses);
  g_test_add_func ("/scenarios/file/save-load", test_save_load_builtins);
  g_test_add_func ("/scenarios/gui-options", test_gui_options);
  return g_test_run ();
}
