/* test-engine.c — our client with our server: every suite, full and
 * resumed, in memory and over loopback TCP; replay; bad input and the
 * alert the RFC prescribes for it. */
#include "tls-conductor.h"
#include "tls-endpoint.h"
#include "tls-suites.h"
#include "tls-types.h"
#include "tls-alert.h"
#include "tls-x509.h"
#include "tls-extensions.h"
#include "tls-handshake.h"
#include "tls-msg-server-hello.h"

#include <string.h>

static const char *
datadir (void)
{
  return g_getenv ("HANDSHAKE_LAB_DATADIR");
}

static TlsConductor *
run_scenario (TlsScenario *sc)
{
  g_autoptr (GError) error = NULL;
  TlsConductor *c = tls_conductor_new (sc, datadir (), &error);

  g_assert_no_error (error);
  tls_conductor_run (c);
  return c;
}

typedef struct
{
  const char *suite;
  TlsTransportKind transport;
  guint16 version;
} SuiteCase;

static void
test_suite (gconstpointer data)
{
  const SuiteCase *sc_case = data;
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("resumption");
  const TlsSuite *suite = tls_suite_by_name (sc_case->suite);
  TlsConductor *c;
  TlsTrace *t;

  g_test_summary ("A full and a resumed handshake complete with each suite");
  g_array_append_val (sc->client_suites, suite->id);
  g_array_set_size (sc->server_suites, 0);
  if (suite->legacy)
    g_array_append_val (sc->server_suites, suite->id);
  g_free (sc->server_cert);
  sc->server_cert = g_strdup (tls_scenario_cert_for_kx (suite->kx));
  sc->transport = sc_case->transport;
  sc->max_version = sc_case->version;
  c = run_scenario (sc);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.suite"), ==, suite->name);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.version"), ==, tls_version_name (sc_case->version));
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.version"), ==, tls_version_name (sc_case->version));
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.resumed"), ==, "no");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "completed");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.ems"), ==, "yes");
  /* Encrypt-then-MAC is agreed for CBC suites only (RFC 7366, 3). */
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.etm"), ==,
                   tls_cipher_info (suite->cipher)->type == TLS_CIPHER_TYPE_BLOCK ? "yes" : "no");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.suite"), ==, suite->name);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.resumed"), ==, "yes");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.result"), ==, "completed");
  /* The application data made it across, both ways, in both connections. */
  {
    guint appdata = 0;
    for (guint i = 0; i < tls_trace_len (t); i++)
      appdata += tls_trace_get (t, i)->kind == TLS_STEP_APPDATA;
    g_assert_cmpuint (appdata, ==, 4);
  }
  tls_conductor_free (c);
}

/* Every step's bytes, as one string, to compare two runs. */
static char *
fingerprint (TlsTrace *t, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n && i < tls_trace_len (t); i++)
    {
      TlsStep *st = tls_trace_get (t, i);
      g_string_append_printf (s, "%u %s|", st->index, st->title);
      if (st->bytes)
        {
          g_autofree char *h = tls_hex (g_bytes_get_data (st->bytes, NULL), g_bytes_get_size (st->bytes));
          g_string_append (s, h);
        }
      if (st->wire)
        {
          g_autofree char *h = tls_hex (g_bytes_get_data (st->wire, NULL), g_bytes_get_size (st->wire));
          g_string_append_c (s, '/');
          g_string_append (s, h);
        }
      for (guint k = 0; k < st->outputs->len; k++)
        {
          TlsTraceValue *v = g_ptr_array_index (st->outputs, k);
          if (v->bytes)
            {
              g_autofree char *h = tls_hex (g_bytes_get_data (v->bytes, NULL), g_bytes_get_size (v->bytes));
              g_string_append_printf (s, " %s=%s", v->name, h);
            }
        }
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* A bare trace (TlsTrace.bare, what `serve --quiet` records): the same
 * run with the same seed, every step there with the same kind, actor,
 * title, connection, grouping, bytes on the wire and values, the same
 * meta, but no field trees and no explanations. */
static void
test_bare_trace (gconstpointer data)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (data);
  g_autoptr (TlsScenario) sc2 = tls_scenario_builtin (data);
  g_autoptr (GError) error = NULL;
  TlsConductor *full = run_scenario (sc);
  TlsConductor *bare = tls_conductor_new (sc2, datadir (), &error);
  TlsTrace *ft = tls_conductor_get_trace (full), *bt;
  g_autofree char *fp_full = NULL, *fp_bare = NULL;
  GHashTableIter it;
  gpointer key, value;
  guint with_fields = 0;

  g_assert_no_error (error);
  bt = tls_conductor_get_trace (bare);
  g_assert_cmpuint (tls_trace_len (bt), ==, 0);
  bt->bare = TRUE;
  tls_conductor_run (bare);
  g_assert_cmpint (tls_conductor_state (bare), ==, TLS_RUN_COMPLETED);
  g_assert_cmpint (tls_conductor_state (full), ==, TLS_RUN_COMPLETED);
  g_assert_cmpuint (tls_trace_len (bt), ==, tls_trace_len (ft));
  fp_full = fingerprint (ft, tls_trace_len (ft));
  fp_bare = fingerprint (bt, tls_trace_len (bt));
  g_assert_cmpstr (fp_bare, ==, fp_full);   /* titles, message and record bytes, outputs */
  for (guint i = 0; i < tls_trace_len (bt); i++)
    {
      const TlsStep *a = tls_trace_get (ft, i), *b = tls_trace_get (bt, i);

      g_assert_true (b->bare);
      g_assert_cmpint (b->kind, ==, a->kind);
      g_assert_cmpint (b->actor, ==, a->actor);
      g_assert_cmpuint (b->connection, ==, a->connection);
      g_assert_cmpint (b->parent, ==, a->parent);
      g_assert_cmpint (b->result, ==, a->result);
      g_assert_cmpstr (b->choice, ==, a->choice);
      g_assert_cmpstr (b->reason, ==, a->reason);
      g_assert_cmpuint (b->inputs->len, ==, a->inputs->len);
      g_assert_cmpuint (b->options->len, ==, a->options->len);
      g_assert_null (b->fields);
      g_assert_null (b->wire_fields);
      g_assert_null (b->explanation);
      g_assert_null (b->rfc);
      with_fields += a->fields != NULL;
    }
  g_assert_cmpuint (with_fields, >, 5);   /* the full trace has them */
  g_assert_cmpuint (g_hash_table_size (bt->meta), ==, g_hash_table_size (ft->meta));
  g_hash_table_iter_init (&it, ft->meta);
  while (g_hash_table_iter_next (&it, &key, &value))
    g_assert_cmpstr (tls_trace_get_meta (bt, key), ==, value);
  tls_conductor_free (full);
  tls_conductor_free (bare);
}

static void
test_rewind (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("resumption");
  g_autoptr (GError) error = NULL;
  TlsConductor *c = run_scenario (sc);
  TlsTrace *t = tls_conductor_get_trace (c);
  guint total = tls_trace_len (t);
  g_autofree char *first = fingerprint (t, total);
  g_autofree char *first_part = fingerprint (t, 17);
  g_autofree char *again_part = NULL, *again = NULL;

  g_test_summary ("Rewinding to step N replays the seeded run to exactly the same bytes");
  g_assert_cmpuint (total, >, 40);
  g_assert_true (tls_conductor_rewind (c, 17, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tls_trace_len (t), ==, 17);
  again_part = fingerprint (t, 17);
  g_assert_cmpstr (again_part, ==, first_part);
  tls_conductor_run (c);
  g_assert_cmpuint (tls_trace_len (t), ==, total);
  again = fingerprint (t, total);
  g_assert_cmpstr (again, ==, first);
  tls_conductor_free (c);
}

static void
test_decisions_marked (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("ecdhe-rsa");
  TlsConductor *c = run_scenario (sc);
  TlsTrace *t = tls_conductor_get_trace (c);
  guint n = 0;

  g_test_summary ("Every decision marks the option it chose, and that option is its choice");
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      const char *opt;

      /* The certification path is made of several options, not one. */
      if (s->kind != TLS_STEP_DECISION || g_strcmp0 (s->title, "Resume the session?") == 0
          || g_strcmp0 (s->title, "Certification path") == 0 || s->options->len == 0)
        continue;
      g_assert_cmpint (s->chosen_option, >=, 0);
      g_assert_cmpint (s->chosen_option, <, (int) s->options->len);
      opt = g_ptr_array_index (s->options, s->chosen_option);
      /* "Cache the session?" words its choice apart from its options. */
      if (g_strcmp0 (s->title, "Cache the session?") != 0)
        g_assert_cmpstr (opt, ==, s->choice);
      n++;
    }
  g_assert_cmpuint (n, >=, 4);   /* version, suite, group, cache */
  tls_conductor_free (c);
}

static void
test_wire_offsets (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("resumption");
  TlsConductor *c = run_scenario (sc);
  TlsTrace *t = tls_conductor_get_trace (c);
  gint64 next[2][2] = { { 0, 0 }, { 0, 0 } };   /* [connection][actor] */

  g_test_summary ("Each side's records follow one another in the trace: wire_offset counts the bytes sent");
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      if (s->wire == NULL)
        continue;
      g_assert_cmpint (s->wire_offset, ==, next[s->connection][s->actor]);
      next[s->connection][s->actor] += g_bytes_get_size (s->wire);
    }
  g_assert_cmpint (next[0][TLS_ACTOR_CLIENT], >, 300);
  g_assert_cmpint (next[1][TLS_ACTOR_SERVER], >, 100);
  tls_conductor_free (c);
}

static void
test_step_one_event (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("full");
  g_autoptr (GError) error = NULL;
  TlsConductor *c = tls_conductor_new (sc, datadir (), &error);
  guint n = 0;

  g_test_summary ("Each conductor step appends exactly one trace event");
  g_assert_no_error (error);
  while (tls_conductor_step (c))
    {
      n++;
      g_assert_cmpuint (tls_trace_len (tls_conductor_get_trace (c)), ==, n);
    }
  g_assert_cmpuint (n, >, 20);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  tls_conductor_free (c);
}

static void
test_seed (void)
{
  g_autoptr (TlsScenario) a = tls_scenario_builtin ("full");
  g_autoptr (TlsScenario) b = tls_scenario_builtin ("full");
  TlsConductor *ca, *cb;
  g_autofree char *fa = NULL, *fb = NULL;

  g_test_summary ("Another seed gives other randoms and keys");
  b->seed = 2;
  ca = run_scenario (a);
  cb = run_scenario (b);
  fa = fingerprint (tls_conductor_get_trace (ca), 1);
  fb = fingerprint (tls_conductor_get_trace (cb), 1);
  g_assert_cmpstr (fa, !=, fb);
  tls_conductor_free (ca);
  tls_conductor_free (cb);
}

static void
test_resumption_cases (void)
{
  /* MARKED: the cache entry marked as looked up (-1: none; with a ticket
   * the session ID is made up and names no entry). */
  struct { const char *name; const char *needle; const char *resumed; int marked; } cases[] = {
    { "resumption", "cache hit", "yes", 0 },
    { "no-cache", "empty session ID", "no", -1 },
    { "expired", "expired", "no", 0 },
    { "tickets", "ticket opens", "yes (ticket)", -1 },
  };

  g_test_summary ("The server's resumption decision: hit, empty ID, expired entry, ticket");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin (cases[i].name);
      TlsConductor *c = run_scenario (sc);
      TlsTrace *t = tls_conductor_get_trace (c);
      TlsStep *decision = NULL;

      g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
      g_assert_cmpstr (tls_trace_get_meta (t, "conn1.resumed"), ==, cases[i].resumed);
      for (guint k = 0; k < tls_trace_len (t); k++)
        {
          TlsStep *s = tls_trace_get (t, k);
          if (s->connection == 1 && s->kind == TLS_STEP_DECISION
              && g_strcmp0 (s->title, "Resume the session?") == 0)
            decision = s;
        }
      g_assert_nonnull (decision);
      g_assert_nonnull (strstr (decision->reason, cases[i].needle));
      /* The cache entry the ClientHello named is marked among the options. */
      g_assert_cmpint (decision->chosen_option, ==, cases[i].marked);
      tls_conductor_free (c);
    }
}

static void
test_scenario_alerts (void)
{
  struct { const char *name; int alert; } cases[] = {
    { "no-common-suite", TLS_ALERT_HANDSHAKE_FAILURE },
    { "bad-finished", TLS_ALERT_DECRYPT_ERROR },
    { "flipped-bit", TLS_ALERT_BAD_RECORD_MAC },
    { "bad-premaster", TLS_ALERT_BAD_RECORD_MAC },
    { "fallback-scsv", TLS_ALERT_INAPPROPRIATE_FALLBACK },
    { "bad-certificate-verify", TLS_ALERT_DECRYPT_ERROR },
    { "bad-ske-signature", TLS_ALERT_DECRYPT_ERROR },
    { "small-dh-group", TLS_ALERT_INSUFFICIENT_SECURITY },
    { "invalid-ec-point", TLS_ALERT_ILLEGAL_PARAMETER },
  };

  g_test_summary ("Faulty runs end in the alert the RFC prescribes, shown as the last step");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin (cases[i].name);
      TlsConductor *c = run_scenario (sc);
      TlsStep *last = tls_trace_last (tls_conductor_get_trace (c));

      g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
      g_assert_cmpint (tls_conductor_alert (c), ==, cases[i].alert);
      g_assert_cmpint (last->kind, ==, TLS_STEP_ALERT);
      g_assert_cmpint (last->alert_description, ==, cases[i].alert);
      g_assert_nonnull (last->reason);
      g_assert_cmpuint (strlen (last->reason), >, 10);
      tls_conductor_free (c);
    }
}

static TlsStep *
find_step (TlsTrace *t, TlsStepKind kind, TlsActor actor, const char *title)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      if (s->kind == kind && s->actor == actor && g_strcmp0 (s->title, title) == 0)
        return s;
    }
  return NULL;
}

/* The ServerHello step's message (header and body) parsed again. */
static void
parse_server_hello (TlsStep *step, TlsServerHello *sh)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (step->bytes, &len);
  TlsReader r, body;
  guint8 type;
  guint32 blen;

  tls_reader_init (&r, data, len, NULL);
  g_assert_cmpint (tls_handshake_parse_header (&r, &type, &blen, &body), ==, 0);
  g_assert_cmpuint (type, ==, TLS_HS_SERVER_HELLO);
  tls_server_hello_init (sh);
  g_assert_cmpint (tls_server_hello_parse (&body, sh), ==, 0);
}

/* Issue 13: RFC 8422, 5.2 — the server's ec_point_formats answers the
 * client's when an ECC suite is chosen, and only then. */
static void
test_server_point_formats (void)
{
  const char *suites[] = { "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                           "TLS_RSA_WITH_AES_128_GCM_SHA256" };

  g_test_summary ("ServerHello carries ec_point_formats [uncompressed (0)] with an ECDHE suite "
                  "(the client offered ECDHE and sent the extension), not with an RSA one");
  for (guint k = 0; k < G_N_ELEMENTS (suites); k++)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin ("resumption");
      const TlsSuite *ecdhe = tls_suite_by_name (suites[0]);
      const TlsSuite *chosen = tls_suite_by_name (suites[k]);
      TlsConductor *c;
      TlsTrace *t;
      TlsStep *sh_step, *ch_step;
      TlsServerHello sh;
      g_autoptr (GBytes) formats = NULL;

      /* The client offers both; the server accepts only the one of case K. */
      g_array_set_size (sc->client_suites, 0);
      g_array_append_val (sc->client_suites, ecdhe->id);
      g_array_append_val (sc->client_suites, tls_suite_by_name (suites[1])->id);
      g_array_set_size (sc->server_suites, 0);
      g_array_append_val (sc->server_suites, chosen->id);
      c = run_scenario (sc);
      t = tls_conductor_get_trace (c);
      g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
      g_assert_cmpstr (tls_trace_get_meta (t, "conn0.suite"), ==, chosen->name);
      ch_step = find_step (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
      g_assert_nonnull (ch_step);
      sh_step = find_step (t, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
      g_assert_nonnull (sh_step);
      parse_server_hello (sh_step, &sh);
      formats = tls_extensions_get_ec_point_formats (&sh.extensions);
      if (k == 0)
        {
          g_assert_nonnull (formats);
          g_assert_cmpuint (g_bytes_get_size (formats), ==, 1);
          g_assert_cmpuint (((const guint8 *) g_bytes_get_data (formats, NULL))[0], ==, 0);
          g_assert_nonnull (strstr (sh_step->rfc, "RFC 8422, 5.2"));
          g_assert_nonnull (strstr (sh_step->explanation, "uncompressed (0) only"));
        }
      else
        {
          g_assert_null (formats);
          g_assert_false (tls_extensions_has (&sh.extensions, TLS_EXT_EC_POINT_FORMATS));
          g_assert_null (strstr (sh_step->rfc, "8422"));
        }
      tls_server_hello_clear (&sh);
      tls_conductor_free (c);
    }
}

static const guint8 downgrd00[8] = { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00 };

/* Issue 13: RFC 8446, 4.1.3 — a server that speaks TLS 1.2 and negotiates
 * TLS 1.1 ends its random with DOWNGRD 00; a client that offered only 1.1
 * does not check it, and the handshake (full and resumed) completes. */
static void
test_downgrade_sentinel_sent (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("resumption");
  TlsConductor *c;
  TlsTrace *t;
  guint hellos = 0;

  g_test_summary ("Server speaking TLS 1.2, client at most TLS 1.1: both ServerHello randoms end "
                  "in 44 4F 57 4E 47 52 44 00, the step says why, both handshakes complete");
  sc->client_max_version = TLS_VERSION_1_1;
  c = run_scenario (sc);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.version"), ==, "TLS 1.1");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.resumed"), ==, "yes");
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      TlsServerHello sh;

      g_assert_cmpstr (s->title, !=, "Downgrade sentinel");
      if (s->kind != TLS_STEP_MESSAGE || s->actor != TLS_ACTOR_SERVER
          || g_strcmp0 (s->title, "ServerHello") != 0)
        continue;
      hellos++;
      parse_server_hello (s, &sh);
      g_assert_cmpmem (sh.random + 24, 8, downgrd00, 8);
      g_assert_nonnull (strstr (s->rfc, "RFC 8446, 4.1.3"));
      g_assert_nonnull (strstr (s->explanation, "only the one ending in 00 is its to send"));
      tls_server_hello_clear (&sh);
    }
  g_assert_cmpuint (hellos, ==, 2);
  tls_conductor_free (c);

  /* Both at TLS 1.2: no sentinel, no text about it. */
  {
    g_autoptr (TlsScenario) sc12 = tls_scenario_builtin ("resumption");
    TlsStep *s;
    TlsServerHello sh;

    c = run_scenario (sc12);
    t = tls_conductor_get_trace (c);
    g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
    s = find_step (t, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
    parse_server_hello (s, &sh);
    g_assert_true (memcmp (sh.random + 24, downgrd00, 7) != 0);
    g_assert_null (strstr (s->rfc, "8446"));
    tls_server_hello_clear (&sh);
    tls_conductor_free (c);
  }
}

static void
test_dh_premaster_length (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("dhe-rsa");
  TlsConductor *c = run_scenario (sc);
  TlsTrace *t = tls_conductor_get_trace (c);
  guint found = 0;

  g_test_summary ("A DHE pre-master secret is the whole Z: as long as p (2048 bits), leading zeros stripped");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      TlsTraceValue *v = s->kind == TLS_STEP_DERIVATION ? tls_step_find_output (s, "pre_master_secret") : NULL;
      if (v)
        {
          g_assert_cmpuint (g_bytes_get_size (v->bytes), >, 240);
          g_assert_cmpuint (g_bytes_get_size (v->bytes), <=, 256);
          g_assert_cmpuint (((const guint8 *) g_bytes_get_data (v->bytes, NULL))[0], !=, 0);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, 2);   /* client and server */
  tls_conductor_free (c);
}

static void
test_client_auth (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("client-auth");
  TlsConductor *c = run_scenario (sc);
  TlsTrace *t = tls_conductor_get_trace (c);
  TlsStep *cv_check;

  g_test_summary ("Client certificates: CertificateRequest, the client's chain, a verified CertificateVerify");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_nonnull (find_step (t, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "CertificateRequest"));
  g_assert_nonnull (find_step (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "Certificate"));
  g_assert_nonnull (find_step (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "CertificateVerify"));
  cv_check = find_step (t, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "CertificateVerify signature");
  g_assert_nonnull (cv_check);
  g_assert_cmpint (cv_check->result, ==, TLS_CHECK_PASSED);
  tls_conductor_free (c);
}

static void
test_client_auth_none (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("client-auth-none");
  TlsConductor *c = run_scenario (sc);
  TlsTrace *t = tls_conductor_get_trace (c);
  TlsStep *d, *cert;

  g_test_summary ("Asked for a certificate, a client without one sends an empty list and the server goes on");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  cert = find_step (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "Certificate");
  g_assert_nonnull (cert);
  /* header (4) + certificate_list length (3) = 0 */
  g_assert_cmpuint (g_bytes_get_size (cert->bytes), ==, 7);
  g_assert_null (find_step (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "CertificateVerify"));
  d = find_step (t, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Client without a certificate");
  g_assert_nonnull (d);
  g_assert_cmpstr (d->choice, ==, "go on");
  tls_conductor_free (c);
}

static void
test_client_auth_required (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("client-auth-none");
  TlsConductor *c;

  g_test_summary ("A server that requires a client certificate answers an empty one with handshake_failure");
  sc->client_auth = TLS_CLIENT_AUTH_REQUIRE;
  c = run_scenario (sc);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_HANDSHAKE_FAILURE);
  tls_conductor_free (c);
}

static void
test_bad_certificates (void)
{
  struct { const char *cert; int alert; const char *check; } cases[] = {
    { "expired", TLS_ALERT_CERTIFICATE_EXPIRED, "Validity of" },
    { "not-yet-valid", TLS_ALERT_CERTIFICATE_EXPIRED, "Validity of" },
    { "wrong-host", TLS_ALERT_BAD_CERTIFICATE, "Host name" },
    { "untrusted", TLS_ALERT_UNKNOWN_CA, "Trust anchor" },
    { "bad-signature", TLS_ALERT_BAD_CERTIFICATE, "Signature on" },
    { "intermediate-not-ca", TLS_ALERT_BAD_CERTIFICATE, "is a CA" },
    { "wrong-key-usage", TLS_ALERT_UNSUPPORTED_CERTIFICATE, "Key usage" },
    { "missing-intermediate", TLS_ALERT_UNKNOWN_CA, "Trust anchor" },
    { "unknown-critical-ext", TLS_ALERT_UNSUPPORTED_CERTIFICATE, "Critical extensions" },
    { "out-of-order", 0, NULL },
    { "server-rsa", 0, NULL },
  };

  g_test_summary ("In a handshake, each demo PKI case gets its verdict from the chain check that "
                  "fails, and the client's alert; --insecure goes on and shows the failure");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int insecure = 0; insecure < 2; insecure++)
      {
        g_autoptr (TlsScenario) sc = tls_scenario_builtin ("full");
        TlsConductor *c;
        TlsTrace *t;
        TlsStep *failed = NULL;

        g_free (sc->server_cert);
        sc->server_cert = g_strdup (cases[i].cert);
        sc->insecure = insecure;
        c = run_scenario (sc);
        t = tls_conductor_get_trace (c);
        for (guint k = 0; k < tls_trace_len (t); k++)
          {
            TlsStep *s = tls_trace_get (t, k);
            if (s->kind == TLS_STEP_CHECK && s->result == TLS_CHECK_FAILED && failed == NULL)
              failed = s;
          }
        if (cases[i].alert == 0)
          {
            g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
            g_assert_null (failed);
          }
        else
          {
            g_assert_nonnull (failed);
            g_assert_nonnull (strstr (failed->title, cases[i].check));
            g_assert_cmpint (failed->actor, ==, TLS_ACTOR_CLIENT);
            if (insecure)
              g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
            else
              {
                g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
                g_assert_cmpint (tls_conductor_alert (c), ==, cases[i].alert);
                g_assert_cmpint (tls_trace_last (t)->alert_description, ==, cases[i].alert);
              }
          }
        tls_conductor_free (c);
      }
}

static void
test_sni (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("sni");
  TlsConductor *c = run_scenario (sc);
  TlsTrace *t = tls_conductor_get_trace (c);
  TlsStep *d = find_step (t, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Certificate for server_name");

  g_test_summary ("With two certificates the server picks the one that names the client's server_name");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_nonnull (d);
  g_assert_cmpuint (d->options->len, ==, 2);
  g_assert_nonnull (strstr (d->choice, "other.example"));
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "completed");
  tls_conductor_free (c);
}

/* ------------------------------------------------------------------ */
/* Bad bytes fed straight to an endpoint                               */

typedef struct
{
  TlsTrace      *trace;
  TlsRng        *rng;
  TlsConfig      cfg;
  TlsEndpoint   *ep;
  GPtrArray     *chain;
  TlsPrivateKey *key;
  TlsSessionCache *cache;
} Fixture;

static void
fixture_setup (Fixture *f, TlsActor role)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *chain = g_build_filename (datadir (), "pki", "server-rsa-chain.pem", NULL);
  g_autofree char *key = g_build_filename (datadir (), "pki", "server-rsa.key", NULL);

  f->trace = tls_trace_new ();
  f->rng = tls_rng_new_seeded (7, "test");
  tls_config_init (&f->cfg, role);
  f->cfg.rng = f->rng;
  f->cfg.record_received = TRUE;
  if (role == TLS_ACTOR_SERVER)
    {
      f->chain = tls_certificate_list_from_file (chain, &error);
      g_assert_no_error (error);
      f->key = tls_private_key_load_file (key, &error);
      g_assert_no_error (error);
      f->cfg.chain = g_ptr_array_ref (f->chain);
      f->cfg.key = f->key;
      f->cache = tls_session_cache_new (4, 3600);
      f->cfg.cache = f->cache;
    }
  f->ep = tls_endpoint_new (&f->cfg, f->trace);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  tls_endpoint_free (f->ep);
  f->cfg.key = NULL;
  f->cfg.cache = NULL;
  tls_config_clear (&f->cfg);
  g_clear_pointer (&f->chain, g_ptr_array_unref);
  g_clear_pointer (&f->key, tls_private_key_free);
  g_clear_pointer (&f->cache, tls_session_cache_free);
  tls_rng_free (f->rng);
  tls_trace_free (f->trace);
}

/* Feeds BYTES, steps until the endpoint stops, and returns its status. */
static TlsEpStatus
feed_and_run (TlsEndpoint *ep, const guint8 *bytes, gsize len)
{
  TlsEpStatus st = TLS_EP_PROGRESS;

  tls_endpoint_feed (ep, bytes, len);
  for (guint i = 0; i < 100 && st == TLS_EP_PROGRESS; i++)
    st = tls_endpoint_step (ep);
  return st;
}

/* The alert record the endpoint sent: 15 03 0x 00 02 02 <desc>. */
static void
assert_sent_alert (Fixture *f, int alert)
{
  g_autoptr (GBytes) out = tls_endpoint_take_output (f->ep);
  gsize n;
  const guint8 *d;
  TlsStep *last = tls_trace_last (f->trace);

  g_assert_cmpint (tls_endpoint_status (f->ep), ==, TLS_EP_FAILED);
  g_assert_cmpint (tls_endpoint_alert (f->ep), ==, alert);
  g_assert_true (tls_endpoint_alert_sent (f->ep));
  g_assert_nonnull (out);
  d = g_bytes_get_data (out, &n);
  g_assert_cmpuint (n, >=, 7);
  g_assert_cmpuint (d[n - 7], ==, TLS_CONTENT_ALERT);
  g_assert_cmpuint (d[n - 2], ==, TLS_ALERT_LEVEL_FATAL);
  g_assert_cmpuint (d[n - 1], ==, alert);
  g_assert_cmpint (last->kind, ==, TLS_STEP_ALERT);
  g_assert_cmpint (last->alert_description, ==, alert);
  g_assert_nonnull (last->reason);
}

/* A real ClientHello from our client, as bytes (one record). */
static GBytes *
make_client_hello (void)
{
  Fixture c = { 0 };
  GBytes *out;

  fixture_setup (&c, TLS_ACTOR_CLIENT);
  tls_endpoint_set_time (c.ep, 1780315200);
  g_assert_cmpint (tls_endpoint_step (c.ep), ==, TLS_EP_PROGRESS);
  out = tls_endpoint_take_output (c.ep);
  fixture_teardown (&c, NULL);
  return out;
}

/* Rewrites the record and handshake lengths after an edit. */
static void
fix_lengths (GByteArray *rec)
{
  gsize body = rec->len - 5 - 4;
  rec->data[3] = (rec->len - 5) >> 8;
  rec->data[4] = (rec->len - 5) & 0xff;
  rec->data[6] = body >> 16;
  rec->data[7] = (body >> 8) & 0xff;
  rec->data[8] = body & 0xff;
}

static void
server_setup (Fixture *f, gconstpointer data)
{
  fixture_setup (f, TLS_ACTOR_SERVER);
}

static void
client_setup (Fixture *f, gconstpointer data)
{
  fixture_setup (f, TLS_ACTOR_CLIENT);
}

/* A fixture's endpoint again, speaking at most MAX. */
static void
fixture_set_max (Fixture *f, guint16 max)
{
  tls_endpoint_free (f->ep);
  f->cfg.max_version = max;
  f->ep = tls_endpoint_new (&f->cfg, f->trace);
}

/* Issue 13: RFC 8446, 4.1.3 — something in the middle hands our TLS 1.2
 * server a ClientHello of TLS 1.1 at most and relays the server's answer
 * to our TLS 1.2 client: the sentinel gives it away, illegal_parameter.
 * With a server that speaks only TLS 1.1 there is no sentinel and the
 * check passes. */
static void
test_downgrade_sentinel_relayed (void)
{
  const guint16 server_max[] = { TLS_VERSION_1_2, TLS_VERSION_1_1 };

  g_test_summary ("A TLS 1.2 client that gets a TLS 1.1 ServerHello ending in DOWNGRD 00 aborts "
                  "with illegal_parameter and a check citing RFC 8446, 4.1.3; without the "
                  "sentinel the check passes");
  for (guint k = 0; k < G_N_ELEMENTS (server_max); k++)
    {
      Fixture a = { 0 }, srv = { 0 }, b = { 0 };
      g_autoptr (GBytes) ch = NULL;
      g_autoptr (GBytes) flight = NULL;
      g_autoptr (GBytes) ignored = NULL;
      TlsStep *sh_step, *check = NULL;
      TlsServerHello sh;

      fixture_setup (&a, TLS_ACTOR_CLIENT);
      fixture_set_max (&a, TLS_VERSION_1_1);
      tls_endpoint_set_time (a.ep, 1780315200);
      g_assert_cmpint (tls_endpoint_step (a.ep), ==, TLS_EP_PROGRESS);
      ch = tls_endpoint_take_output (a.ep);

      fixture_setup (&srv, TLS_ACTOR_SERVER);
      fixture_set_max (&srv, server_max[k]);
      tls_endpoint_set_time (srv.ep, 1780315200);
      feed_and_run (srv.ep, g_bytes_get_data (ch, NULL), g_bytes_get_size (ch));
      flight = tls_endpoint_take_output (srv.ep);
      g_assert_nonnull (flight);
      sh_step = find_step (srv.trace, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
      g_assert_nonnull (sh_step);
      parse_server_hello (sh_step, &sh);
      g_assert_cmpuint (sh.server_version, ==, TLS_VERSION_1_1);
      if (k == 0)
        g_assert_cmpmem (sh.random + 24, 8, downgrd00, 8);
      else
        g_assert_true (memcmp (sh.random + 24, downgrd00, 7) != 0);
      tls_server_hello_clear (&sh);

      fixture_setup (&b, TLS_ACTOR_CLIENT);
      tls_endpoint_set_time (b.ep, 1780315200);
      g_assert_cmpint (tls_endpoint_step (b.ep), ==, TLS_EP_PROGRESS);
      ignored = tls_endpoint_take_output (b.ep);
      feed_and_run (b.ep, g_bytes_get_data (flight, NULL), g_bytes_get_size (flight));
      for (guint i = 0; i < tls_trace_len (b.trace); i++)
        if (g_strcmp0 (tls_trace_get (b.trace, i)->title, "Downgrade sentinel") == 0)
          check = tls_trace_get (b.trace, i);
      g_assert_nonnull (check);
      g_assert_cmpint (check->kind, ==, TLS_STEP_CHECK);
      g_assert_cmpstr (check->rfc, ==, "RFC 8446, 4.1.3");
      if (k == 0)
        {
          g_assert_cmpint (check->result, ==, TLS_CHECK_FAILED);
          g_assert_nonnull (strstr (check->reason, "downgrade sentinel"));
          /* The failed check is its own step; the next one sends the alert. */
          g_assert_cmpint (tls_endpoint_step (b.ep), ==, TLS_EP_FAILED);
          assert_sent_alert (&b, TLS_ALERT_ILLEGAL_PARAMETER);
        }
      else
        {
          g_assert_cmpint (check->result, ==, TLS_CHECK_PASSED);
          g_assert_cmpint (tls_endpoint_status (b.ep), !=, TLS_EP_FAILED);
        }
      fixture_teardown (&a, NULL);
      fixture_teardown (&srv, NULL);
      fixture_teardown (&b, NULL);
    }
}

static void
test_truncated_hello (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) ch = make_client_hello ();
  g_autoptr (GByteArray) rec = g_byte_array_new ();

  g_test_summary ("A ClientHello cut short inside its extensions gets decode_error");
  g_byte_array_append (rec, g_bytes_get_data (ch, NULL), g_bytes_get_size (ch));
  g_byte_array_set_size (rec, rec->len - 3);
  fix_lengths (rec);
  feed_and_run (f->ep, rec->data, rec->len);
  assert_sent_alert (f, TLS_ALERT_DECODE_ERROR);
}

static void
test_overlong_hello (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) ch = make_client_hello ();
  g_autoptr (GByteArray) rec = g_byte_array_new ();
  guint8 extra = 0;

  g_test_summary ("A ClientHello with a byte after its extensions gets decode_error");
  g_byte_array_append (rec, g_bytes_get_data (ch, NULL), g_bytes_get_size (ch));
  g_byte_array_append (rec, &extra, 1);
  fix_lengths (rec);
  feed_and_run (f->ep, rec->data, rec->len);
  assert_sent_alert (f, TLS_ALERT_DECODE_ERROR);
}

static void
test_bad_vector (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) ch = make_client_hello ();
  g_autoptr (GByteArray) rec = g_byte_array_new ();

  g_test_summary ("A session_id longer than 32 bytes gets decode_error");
  g_byte_array_append (rec, g_bytes_get_data (ch, NULL), g_bytes_get_size (ch));
  /* record(5) + header(4) + client_version(2) + random(32): session_id length */
  g_assert_cmpuint (rec->data[5 + 4 + 2 + 32], ==, 0);
  rec->data[5 + 4 + 2 + 32] = 33;
  feed_and_run (f->ep, rec->data, rec->len);
  assert_sent_alert (f, TLS_ALERT_DECODE_ERROR);
}

static void
test_out_of_order_server (Fixture *f, gconstpointer data)
{
  /* A Finished as the first handshake message. */
  const guint8 rec[] = { 22, 3, 3, 0, 16, 20, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

  g_test_summary ("A Finished before any ClientHello gets unexpected_message");
  feed_and_run (f->ep, rec, sizeof rec);
  assert_sent_alert (f, TLS_ALERT_UNEXPECTED_MESSAGE);
}

static void
test_out_of_order_client (Fixture *f, gconstpointer data)
{
  /* ServerHelloDone where a ServerHello must come. */
  const guint8 rec[] = { 22, 3, 3, 0, 4, 14, 0, 0, 0 };

  g_test_summary ("A ServerHelloDone in place of ServerHello gets unexpected_message");
  tls_endpoint_set_time (f->ep, 1780315200);
  g_assert_cmpint (tls_endpoint_step (f->ep), ==, TLS_EP_PROGRESS);   /* ClientHello */
  g_clear_pointer (&(GBytes *){ tls_endpoint_take_output (f->ep) }, g_bytes_unref);
  feed_and_run (f->ep, rec, sizeof rec);
  assert_sent_alert (f, TLS_ALERT_UNEXPECTED_MESSAGE);
}

static void
test_unknown_record_type (Fixture *f, gconstpointer data)
{
  const guint8 rec[] = { 99, 3, 3, 0, 1, 0 };

  g_test_summary ("A record of unknown content type gets unexpected_message");
  feed_and_run (f->ep, rec, sizeof rec);
  assert_sent_alert (f, TLS_ALERT_UNEXPECTED_MESSAGE);
}

static void
test_record_overflow (Fixture *f, gconstpointer data)
{
  const guint8 rec[] = { 22, 3, 3, 0x48, 0x01 };   /* 18433 > 2^14 + 2048 */

  g_test_summary ("A record longer than 2^14 + 2048 gets record_overflow");
  feed_and_run (f->ep, rec, sizeof rec);
  assert_sent_alert (f, TLS_ALERT_RECORD_OVERFLOW);
}

static void
test_split_hello (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) ch = make_client_hello ();
  gsize n;
  const guint8 *d = g_bytes_get_data (ch, &n);
  g_autoptr (GByteArray) two = g_byte_array_new ();
  gsize body = n - 5, half = body / 2;
  guint8 h[5] = { 22, 3, 1, 0, 0 };
  TlsStep *hello;

  g_test_summary ("A ClientHello split over two records is put together again");
  h[3] = half >> 8; h[4] = half & 0xff;
  g_byte_array_append (two, h, 5);
  g_byte_array_append (two, d + 5, half);
  h[3] = (body - half) >> 8; h[4] = (body - half) & 0xff;
  g_byte_array_append (two, h, 5);
  g_byte_array_append (two, d + 5 + half, body - half);
  /* Byte by byte, to exercise the record reader too. */
  for (guint i = 0; i < two->len; i++)
    feed_and_run (f->ep, two->data + i, 1);
  hello = tls_trace_get (f->trace, 0);
  g_assert_cmpstr (hello->title, ==, "ClientHello");
  g_assert_true (hello->observed);
  g_assert_cmpuint (g_bytes_get_size (hello->bytes), ==, body);
  g_assert_cmpuint (g_bytes_get_size (hello->wire), ==, two->len);
  g_assert_cmpint (tls_endpoint_status (f->ep), !=, TLS_EP_FAILED);
  /* The server went on: its decisions and its first flight. */
  g_assert_cmpuint (tls_trace_len (f->trace), >=, 6);
}

/* The bytes one side sent in a run of SCENARIO, in order. */
static GByteArray *
flight_of (const char *scenario, TlsActor actor)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (scenario);
  TlsConductor *c = run_scenario (sc);
  TlsTrace *t = tls_conductor_get_trace (c);
  GByteArray *out = g_byte_array_new ();

  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      if (s->actor == actor && s->wire && s->connection == 0)
        g_byte_array_append (out, g_bytes_get_data (s->wire, NULL), g_bytes_get_size (s->wire));
    }
  tls_conductor_free (c);
  return out;
}

static void
fuzz_role (TlsActor role, const char *scenario)
{
  g_autoptr (GByteArray) flight = flight_of (scenario, role == TLS_ACTOR_SERVER ? TLS_ACTOR_CLIENT
                                                                             : TLS_ACTOR_SERVER);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 1000; round++)
    {
      Fixture f = { 0 };
      g_autoptr (GByteArray) bytes = g_byte_array_new ();
      guint flips = 1 + g_rand_int_range (rand, 0, 4);
      TlsEpStatus st = TLS_EP_PROGRESS;

      g_byte_array_append (bytes, flight->data, flight->len);
      for (guint k = 0; k < flips; k++)
        bytes->data[g_rand_int_range (rand, 0, bytes->len)] ^= (guint8) g_rand_int_range (rand, 1, 256);
      if (g_rand_boolean (rand))
        g_byte_array_set_size (bytes, g_rand_int_range (rand, 1, bytes->len));
      fixture_setup (&f, role);
      tls_endpoint_set_time (f.ep, 1780315200);
      tls_endpoint_feed (f.ep, bytes->data, bytes->len);
      for (guint i = 0; i < 200 && (st == TLS_EP_PROGRESS || (role == TLS_ACTOR_CLIENT && i == 0)); i++)
        {
          st = tls_endpoint_step (f.ep);
          g_clear_pointer (&(GBytes *){ tls_endpoint_take_output (f.ep) }, g_bytes_unref);
        }
      /* It stops by itself: waiting for more, done, or failed with an alert. */
      g_assert_cmpint (st, !=, TLS_EP_PROGRESS);
      if (st == TLS_EP_FAILED)
        g_assert_cmpint (tls_endpoint_alert (f.ep), !=, 0);
      fixture_teardown (&f, NULL);
    }
}

static void
test_fuzz_server (void)
{
  g_test_summary ("Damaged client flights never crash the server: it waits or ends with an alert");
  fuzz_role (TLS_ACTOR_SERVER, "full");
  fuzz_role (TLS_ACTOR_SERVER, "ecdhe-rsa");
}

static void
test_fuzz_client (void)
{
  g_test_summary ("Damaged server flights never crash the client: it waits or ends with an alert");
  fuzz_role (TLS_ACTOR_CLIENT, "full");
  fuzz_role (TLS_ACTOR_CLIENT, "dhe-rsa");
}

int
main (int argc, char **argv)
{
  guint n;
  const TlsSuite **all;

  g_test_init (&argc, &argv, NULL);
  all = tls_suite_all (&n);
  for (guint i = 0; i < n; i++)
    for (guint16 v = TLS_VERSION_1_0; v <= TLS_VERSION_1_2; v++)
      for (int t = 0; t < 2; t++)
        {
          SuiteCase *sc;
          g_autofree char *path = NULL;

          if (!tls_suite_usable (all[i], v) || (t == 1 && (v != TLS_VERSION_1_2 || all[i]->kx != TLS_KX_RSA)))
            continue;
          sc = g_new0 (SuiteCase, 1);
          path = g_strdup_printf ("/engine/%s/%s/%s", t ? "loopback" : "memory",
                                  tls_version_name (v), all[i]->name);
          sc->suite = all[i]->name;
          sc->transport = t ? TLS_TRANSPORT_LOOPBACK : TLS_TRANSPORT_MEMORY;
          sc->version = v;
          g_test_add_data_func_full (path, sc, test_suite, g_free);
        }
  g_test_add_func ("/engine/rewind", test_rewind);
  g_test_add_func ("/engine/one-event-per-step", test_step_one_event);
  g_test_add_func ("/engine/wire-offsets", test_wire_offsets);
  g_test_add_func ("/engine/decisions-marked", test_decisions_marked);
  g_test_add_func ("/engine/seed", test_seed);
  g_test_add_func ("/engine/resumption-decisions", test_resumption_cases);
  g_test_add_func ("/engine/scenario-alerts", test_scenario_alerts);
  g_test_add_func ("/engine/certificates", test_bad_certificates);
  g_test_add_func ("/engine/sni", test_sni);
  g_test_add_func ("/engine/dh-premaster-length", test_dh_premaster_length);
  g_test_add_func ("/engine/server-point-formats", test_server_point_formats);
  g_test_add_func ("/engine/downgrade-sentinel/sent", test_downgrade_sentinel_sent);
  g_test_add_func ("/engine/downgrade-sentinel/relayed", test_downgrade_sentinel_relayed);
  g_test_add_func ("/engine/client-auth/verified", test_client_auth);
  g_test_add_func ("/engine/client-auth/none", test_client_auth_none);
  g_test_add_func ("/engine/client-auth/required", test_client_auth_required);
  g_test_add ("/engine/bad/truncated-hello", Fixture, NULL, server_setup, test_truncated_hello, fixture_teardown);
  g_test_add ("/engine/bad/overlong-hello", Fixture, NULL, server_setup, test_overlong_hello, fixture_teardown);
  g_test_add ("/engine/bad/session-id-vector", Fixture, NULL, server_setup, test_bad_vector, fixture_teardown);
  g_test_add ("/engine/bad/finished-first", Fixture, NULL, server_setup, test_out_of_order_server, fixture_teardown);
  g_test_add ("/engine/bad/done-before-hello", Fixture, NULL, client_setup, test_out_of_order_client, fixture_teardown);
  g_test_add ("/engine/bad/unknown-record-type", Fixture, NULL, server_setup, test_unknown_record_type, fixture_teardown);
  g_test_add ("/engine/bad/record-overflow", Fixture, NULL, server_setup, test_record_overflow, fixture_teardown);
  g_test_add_data_func ("/engine/bare-trace/resumption", "resumption", test_bare_trace);
  g_test_add_data_func ("/engine/bare-trace/ecdhe-rsa", "ecdhe-rsa", test_bare_trace);
  g_test_add_func ("/engine/fuzz/server", test_fuzz_server);
  g_test_add_func ("/engine/fuzz/client", test_fuzz_client);
  g_test_add ("/engine/split-hello", Fixture, NULL, server_setup, test_split_hello, fixture_teardown);
  return g_test_run ();
}
