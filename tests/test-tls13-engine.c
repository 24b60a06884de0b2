/* test-tls13-engine.c — our TLS 1.3 client with our TLS 1.3 server, in
 * process through the conductor (RFC 8446, 2, Figure 1): every suite and
 * group, both signature keys; the key schedule in the trace; the alerts of
 * a bad CertificateVerify or Finished (RFC 8446, 4.4.3 and 4.4.4). */
#include "tls-conductor.h"
#include "tls-suites.h"
#include "tls-types.h"
#include "tls-alert.h"
#include "tls13-key-schedule.h"
#include "tls-trace-pcapng.h"
#include "tls-bytes.h"
#include "test-util.h"

#include <string.h>

static TlsScenario *
scenario_13 (const char *suite, const char *groups, const char *cert)
{
  TlsScenario *sc = tls_scenario_builtin ("full");

  sc->min_version = sc->max_version = TLS_VERSION_1_3;
  g_array_set_size (sc->client_suites, 0);
  g_array_set_size (sc->server_suites, 0);
  if (suite != NULL)
    {
      const TlsSuite *s = tls_suite_by_name (suite);
      g_assert_nonnull (s);
      g_array_append_val (sc->client_suites, s->id);
    }
  g_free (sc->groups);
  sc->groups = g_strdup (groups);
  if (cert != NULL)
    {
      g_free (sc->server_cert);
      sc->server_cert = g_strdup (cert);
    }
  return sc;
}

static const TlsTraceValue *
value (const TlsStep *s, const char *name)
{
  return tls_step_find_value (s, name);
}

/* Each secret of the schedule: its step on both sides, its label, equal outputs. */
static const struct { const char *title; const char *label; } secrets[] = {
  { TLS13_STEP_TITLE_EARLY_SECRET, NULL },
  { TLS13_STEP_TITLE_DERIVED_HS, "tls13 derived" },
  { TLS13_STEP_TITLE_HANDSHAKE_SECRET, NULL },
  { TLS13_STEP_TITLE_C_HS_TRAFFIC, "tls13 c hs traffic" },
  { TLS13_STEP_TITLE_S_HS_TRAFFIC, "tls13 s hs traffic" },
  { TLS13_STEP_TITLE_DERIVED_MASTER, "tls13 derived" },
  { TLS13_STEP_TITLE_MASTER_SECRET, NULL },
  { TLS13_STEP_TITLE_C_AP_TRAFFIC, "tls13 c ap traffic" },
  { TLS13_STEP_TITLE_S_AP_TRAFFIC, "tls13 s ap traffic" },
  { TLS13_STEP_TITLE_EXP_MASTER, "tls13 exp master" },
};

static gsize
message_len (TlsTrace *t, TlsActor actor, const char *title)
{
  const TlsStep *s = tu_step (t, -1, TLS_STEP_MESSAGE, actor, title);

  g_assert_nonnull (s);
  return g_bytes_get_size (s->bytes);
}

static void
check_handshake (TlsTrace *t, const char *suite)
{
  const TlsStep *s;
  const TlsTraceValue *v;
  guint appdata = 0;

  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.version"), ==, "TLS 1.3");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.suite"), ==, suite);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.result"), ==, "completed");

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      const TlsStep *c = tu_step (t, -1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, secrets[i].title);
      const TlsStep *sv = tu_step (t, -1, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, secrets[i].title);
      const TlsTraceValue *co, *so;

      g_assert_nonnull (c);
      g_assert_nonnull (sv);
      co = tls_step_find_output (c, secrets[i].title);
      so = tls_step_find_output (sv, secrets[i].title);
      g_assert_nonnull (co);
      g_assert_nonnull (so);
      g_assert_true (g_bytes_equal (co->bytes, so->bytes));
      if (secrets[i].label)
        {
          v = value (c, "Label");
          g_assert_nonnull (v);
          g_assert_cmpstr (v->text, ==, secrets[i].label);
        }
    }

  /* The context of c hs traffic: the transcript hash of the ClientHello
   * and the ServerHello as the trace holds them. */
  s = tu_step (t, -1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, TLS13_STEP_TITLE_C_HS_TRAFFIC);
  v = value (s, "Transcript-Hash(ClientHello...ServerHello)");
  g_assert_nonnull (v);
  g_assert_cmpint (v->from_step, >=, 0);
  s = tls_trace_get (t, (guint) v->from_step);
  g_assert_cmpstr (s->title, ==, TLS13_STEP_TITLE_TRANSCRIPT_HASH);
  g_assert_cmpuint (g_bytes_get_size (value (s, "Messages")->bytes), ==,
                    message_len (t, TLS_ACTOR_CLIENT, "ClientHello")
                    + message_len (t, TLS_ACTOR_SERVER, "ServerHello"));

  /* Both Finished checked; both dummy ChangeCipherSpecs sent (D.4). */
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "Finished verify_data");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "Finished verify_data");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  g_assert_cmpuint (g_bytes_get_size (value (s, "received verify_data")->bytes), ==,
                    tls_suite_by_name (suite)->prf == TLS_PRF_SHA384 ? 48 : 32);
  s = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "CertificateVerify signature");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  g_assert_nonnull (tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ChangeCipherSpec"));
  g_assert_nonnull (tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ChangeCipherSpec"));

  /* What is encrypted: from EncryptedExtensions on, not the hellos or CCS. */
  g_assert_false (tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello")->encrypted);
  g_assert_false (tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ChangeCipherSpec")->encrypted);
  g_assert_true (tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "EncryptedExtensions")->encrypted);
  g_assert_true (tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "Certificate")->encrypted);
  g_assert_true (tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "Finished")->encrypted);
  for (guint i = 0; i < tls_trace_len (t); i++)
    appdata += tls_trace_get (t, i)->kind == TLS_STEP_APPDATA;
  g_assert_cmpuint (appdata, ==, 2);
}

typedef struct
{
  const char *suite;
  const char *group;
  const char *cert;
} Case;

static void
test_handshake (gconstpointer data)
{
  const Case *k = data;
  g_autoptr (TlsScenario) sc = scenario_13 (k->suite, k->group, k->cert);
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *s;

  g_test_summary ("The TLS 1.3 full handshake completes for this suite, group and key; both "
                  "sides derive the same secrets and check each other's Finished");
  c = tu_run (sc);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  check_handshake (t, k->suite);
  s = tu_step (t, -1, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Key share group");
  g_assert_cmpstr (s->choice, ==, k->group);
  s = tu_step (t, -1, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Signature scheme");
  g_assert_true (g_str_has_prefix (s->choice, g_str_equal (k->cert, "server-ecdsa")
                                              ? "ecdsa_secp256r1_sha256" : "rsa_pss_rsae_sha256"));
  tls_conductor_free (c);
}

static void
check_alert (const char *tamper, TlsActor sender, int alert, const char *check_title)
{
  g_autoptr (TlsScenario) sc = scenario_13 (NULL, NULL, NULL);
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *s;
  g_autofree char *title = g_strdup_printf ("Alert: %s", "decrypt_error");

  sc->tamper = g_strdup (tamper);
  c = tu_run (sc);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, alert);
  s = tu_step (t, -1, TLS_STEP_ALERT, sender, title);
  g_assert_nonnull (s);
  g_assert_cmpint (s->alert_description, ==, alert);
  g_assert_true (s->encrypted);   /* under the sender's handshake traffic keys */
  s = tu_step (t, -1, TLS_STEP_CHECK, sender, check_title);
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
  g_assert_null (tu_step (t, -1, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "Application Data"));
  tls_conductor_free (c);
}

static void
test_bad_certificate_verify (void)
{
  g_test_summary ("RFC 8446, 4.4.3: a CertificateVerify that does not verify ends the "
                  "handshake with decrypt_error");
  check_alert ("server-bad-certificate-verify", TLS_ACTOR_CLIENT, TLS_ALERT_DECRYPT_ERROR,
               "CertificateVerify signature");
}

static void
test_bad_server_finished (void)
{
  g_test_summary ("RFC 8446, 4.4.4: a server Finished that does not match ends the handshake "
                  "with decrypt_error");
  check_alert ("server-bad-finished", TLS_ACTOR_CLIENT, TLS_ALERT_DECRYPT_ERROR,
               "Finished verify_data");
}

static void
test_bad_client_finished (void)
{
  g_test_summary ("RFC 8446, 4.4.4: a client Finished that does not match ends the handshake "
                  "with decrypt_error from the server");
  check_alert ("client-bad-verify-data", TLS_ACTOR_SERVER, TLS_ALERT_DECRYPT_ERROR,
               "Finished verify_data");
}

/* The scenario flipped-bit in TLS 1.3: the last bit of the client's
 * Finished record flipped on its way; the server's AEAD check fails, a
 * step of its own with both tags, and bad_record_mac follows (RFC 8446,
 * 5.2). */
static void
test_flipped_record (void)
{
  g_autoptr (TlsScenario) sc = scenario_13 (NULL, NULL, NULL);
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *fin, *chk, *alert;
  const TlsTraceValue *got, *want;
  gsize wl;
  const guint8 *wire;

  g_test_summary ("RFC 8446, 5.2: a flipped bit in a protected record fails the AEAD tag check "
                  "(its own step, both tags shown) and ends with bad_record_mac");
  sc->tamper = g_strdup ("client-flip-finished");
  c = tu_run (sc);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_BAD_RECORD_MAC);
  fin = tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "Finished");
  chk = tu_step (t, -1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "Record tag");
  alert = tu_step (t, -1, TLS_STEP_ALERT, TLS_ACTOR_SERVER, "Alert: bad_record_mac");
  g_assert_nonnull (fin);
  g_assert_nonnull (chk);
  g_assert_nonnull (alert);
  g_assert_cmpint (chk->result, ==, TLS_CHECK_FAILED);
  g_assert_cmpint (chk->index, >, fin->index);
  g_assert_cmpint (alert->index, >, chk->index);
  g_assert_nonnull (strstr (chk->rfc, "RFC 8446, 5.2"));
  got = tls_step_find_value (chk, "received tag");
  want = tls_step_find_value (chk, "computed tag");
  g_assert_nonnull (got);
  g_assert_nonnull (want);
  /* the received tag is the last 16 bytes of the Finished record as sent,
   * and differs from the computed one in the last bit only */
  wire = g_bytes_get_data (fin->wire, &wl);
  g_assert_cmpmem (g_bytes_get_data (got->bytes, NULL), 16, wire + wl - 16, 16);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (got->bytes, NULL))[15]
                   ^ ((const guint8 *) g_bytes_get_data (want->bytes, NULL))[15], ==, 0x01);
  g_assert_cmpmem (g_bytes_get_data (got->bytes, NULL), 15, g_bytes_get_data (want->bytes, NULL), 15);
  tls_conductor_free (c);
}

static void
test_keylog (void)
{
  g_autoptr (TlsScenario) sc = scenario_13 ("TLS_AES_256_GCM_SHA384", NULL, NULL);
  static const struct { const char *label; const char *title; } lines[] = {
    { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", TLS13_STEP_TITLE_C_HS_TRAFFIC },
    { "SERVER_HANDSHAKE_TRAFFIC_SECRET", TLS13_STEP_TITLE_S_HS_TRAFFIC },
    { "CLIENT_TRAFFIC_SECRET_0", TLS13_STEP_TITLE_C_AP_TRAFFIC },
    { "SERVER_TRAFFIC_SECRET_0", TLS13_STEP_TITLE_S_AP_TRAFFIC },
    { "EXPORTER_SECRET", TLS13_STEP_TITLE_EXP_MASTER },
  };
  TlsConductor *c;
  TlsTrace *t;
  g_autofree char *log = NULL;
  g_auto (GStrv) got = NULL;
  const TlsStep *ch;
  const TlsField *f;
  g_autofree char *random = NULL;

  g_test_summary ("The key log has the five TLS 1.3 secret lines of the connection, each "
                  "with the ClientHello.random and the secret of the trace");
  c = tu_run (sc);
  t = tls_conductor_get_trace (c);
  log = tls_trace_keylog (t);
  got = g_strsplit (log, "\n", -1);
  g_assert_cmpuint (g_strv_length (got), ==, G_N_ELEMENTS (lines) + 1);   /* and "" */
  ch = tu_step (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  f = tls_field_find (ch->fields, "random");
  random = tls_hex ((const guint8 *) g_bytes_get_data (ch->bytes, NULL) + f->offset, 32);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      const TlsStep *s = tu_step (t, -1, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, lines[i].title);
      const TlsTraceValue *v = tls_step_find_output (s, lines[i].title);
      g_autofree char *hex = tls_hex (g_bytes_get_data (v->bytes, NULL), g_bytes_get_size (v->bytes));
      g_autofree char *want = g_strdup_printf ("%s %s %s", lines[i].label, random, hex);

      g_assert_cmpuint (g_bytes_get_size (v->bytes), ==, 48);
      g_assert_cmpstr (got[i], ==, want);
    }
  tls_conductor_free (c);
}

static void
test_seeded (void)
{
  g_autoptr (TlsScenario) sc = scenario_13 (NULL, NULL, NULL);
  TlsConductor *a, *b;
  TlsTrace *ta, *tb;

  g_test_summary ("A seeded TLS 1.3 run is the same byte for byte when run again");
  a = tu_run (sc);
  b = tu_run (sc);
  ta = tls_conductor_get_trace (a);
  tb = tls_conductor_get_trace (b);
  g_assert_cmpuint (tls_trace_len (ta), ==, tls_trace_len (tb));
  for (guint i = 0; i < tls_trace_len (ta); i++)
    if (tls_trace_get (ta, i)->wire)
      g_assert_true (g_bytes_equal (tls_trace_get (ta, i)->wire, tls_trace_get (tb, i)->wire));
  tls_conductor_free (a);
  tls_conductor_free (b);
}

int
main (int argc, char **argv)
{
  static const char *const suites[] = {
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
  };
  static const char *const groups[] = { "x25519", "secp256r1", "secp384r1", "x448" };
  static const char *const certs[] = { "server-rsa", "server-ecdsa" };
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (suites); i++)
    for (guint j = 0; j < G_N_ELEMENTS (groups); j++)
      for (guint k = 0; k < G_N_ELEMENTS (certs); k++)
        {
          Case *c = g_new0 (Case, 1);
          g_autofree char *path = NULL;

          c->suite = suites[i];
          c->group = groups[j];
          c->cert = certs[k];
          g_ptr_array_add (cases, c);
          path = g_strdup_printf ("/tls13-engine/handshake/%s/%s/%s", suites[i], groups[j], certs[k]);
          g_test_add_data_func (path, c, test_handshake);
        }
  g_test_add_func ("/tls13-engine/alert/bad-certificate-verify", test_bad_certificate_verify);
  g_test_add_func ("/tls13-engine/alert/bad-server-finished", test_bad_server_finished);
  g_test_add_func ("/tls13-engine/alert/bad-client-finished", test_bad_client_finished);
  g_test_add_func ("/tls13-engine/seeded", test_seeded);
  g_test_add_func ("/tls13-engine/keylog", test_keylog);
  g_test_add_func ("/tls13-engine/alert/flipped-record", test_flipped_record);
  {
    int rc = g_test_run ();
    g_ptr_array_unref (cases);
    return rc;
  }
}
