/* test-attacker.c — the man-in-the-middle of tls-attacker.h: its syntax,
 * and that a run with an action is the original run up to the attacker's
 * step, then diverges and ends with the alert the RFC prescribes. */
#include "config.h"

#include <string.h>

#include "tls-attacker.h"
#include "tls-conductor.h"
#include "tls-scenario.h"
#include "tls-trace-json.h"
#include "tls-trace-text.h"
#include "tls-trace-html.h"
#include "tls-alert.h"
#include "tls-types.h"
#include "test-util.h"

/* ------------------------------------------------------------------ */
/* Syntax                                                              */

static void
test_parse (void)
{
  static const struct { const char *text, *canonical; } good[] = {
    { "tamper:ServerHello.cipher_suite=0x002f", "tamper:ServerHello#1.cipher_suite=0x002f" },
    { "tamper:server:ServerHello#2.random.random_bytes=00 01 02",
      "tamper:server:ServerHello#2.random.random_bytes=0x000102" },
    { "tamper:ClientHello.cipher_suites=TLS_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_AES_256_CBC_SHA",
      "tamper:ClientHello#1.cipher_suites=0x002f0035" },
    { "tamper:ClientHello.client_version=TLS1.0", "tamper:ClientHello#1.client_version=0x0301" },
    { "flip:ApplicationData@3", "flip:ApplicationData#1@3.0" },
    { " flip:client:Finished@0.7 ", "flip:client:Finished#1@0.7" },
    { "drop:ServerHelloDone", "drop:ServerHelloDone#1" },
    { "replay:clienthello", "replay:ClientHello#1" },
    { "reorder:client:ChangeCipherSpec", "reorder:client:ChangeCipherSpec#1" },
    { "inject:server:Finished#2:alert:0228", "inject:server:Finished#2:21:0228" },
    { "inject:ServerHello:22:0e000000", "inject:ServerHello#1:22:0e000000" },
  };
  static const struct { const char *text, *mentions; } bad[] = {
    { "smash:ServerHello", "unknown action “smash”" },
    { "drop", "expected ACTION:TARGET" },
    { "drop:ServerGoodbye", "unknown message “ServerGoodbye”" },
    { "drop:server:", "no message named" },
    { "drop:Finished#0", "“#0” is not a connection number" },
    { "tamper:ServerHello=0x00", "no field named" },
    { "tamper:ServerHello.cipher_suite", "expected tamper:TARGET.FIELD=VALUE" },
    { "tamper:ServerHello.cipher_suite=0xZZ", "“0xZZ” is not hex" },
    { "tamper:ServerHello.cipher_suite=TLS_NOPE", "“TLS_NOPE” is neither hex" },
    { "flip:Finished", "expected flip:TARGET@BYTE" },
    { "flip:Finished@1.9", "“1.9” is not a bit number" },
    { "flip:Finished@x", "“x” is not a byte offset" },
    { "inject:Finished:alert", "expected inject:TARGET:TYPE:HEX" },
    { "inject:Finished:heartbeat:00", "“heartbeat” is not a record type" },
    { "inject:Finished:alert:0g", "“0g” is not hex" },
  };

  g_test_summary ("Actions parse to their canonical form; bad ones are refused naming the problem");
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TlsAttack) a = tls_attack_parse (good[i].text, &error);
      g_autofree char *text = NULL;
      g_autoptr (TlsAttack) again = NULL;
      g_autofree char *text2 = NULL;

      g_assert_no_error (error);
      text = tls_attack_to_string (a);
      g_assert_cmpstr (text, ==, good[i].canonical);
      again = tls_attack_parse (text, &error);
      g_assert_no_error (error);
      text2 = tls_attack_to_string (again);
      g_assert_cmpstr (text2, ==, text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TlsAttack) a = tls_attack_parse (bad[i].text, &error);

      g_assert_null (a);
      g_assert_nonnull (error);
      if (strstr (error->message, bad[i].mentions) == NULL)
        g_test_message ("%s: %s", bad[i].text, error->message);
      g_assert_nonnull (strstr (error->message, bad[i].mentions));
    }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) list = tls_attack_parse_list ("drop:Finished; ;flip:Alert@1", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 2);
    g_assert_null (tls_attack_parse_list ("drop:Finished;drop:Nothing", &error));
    g_assert_nonnull (strstr (error->message, "Nothing"));
  }
}

/* ------------------------------------------------------------------ */
/* Runs                                                                */

static TlsConductor *
run (const TlsScenario *sc)
{
  g_autoptr (GError) error = NULL;
  TlsConductor *c = tls_conductor_new (sc, tu_datadir (), &error);

  g_assert_no_error (error);
  tls_conductor_run (c);
  return c;
}

static gboolean
bytes_equal (GBytes *a, GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

static gboolean
steps_equal (const TlsStep *a, const TlsStep *b)
{
  return a->actor == b->actor && a->kind == b->kind && a->connection == b->connection
         && g_strcmp0 (a->title, b->title) == 0 && bytes_equal (a->bytes, b->bytes)
         && bytes_equal (a->wire, b->wire) && g_strcmp0 (a->reason, b->reason) == 0;
}

typedef struct
{
  const char *scenario;
  gboolean    no_ems;
  const char *attack;
  int         alert;        /* the alert that ends the run (0: none, it stalls) */
  const char *reason;       /* in the run's reason */
  TlsActor    sender;       /* of the alert */
} Case;

static const Case cases[] = {
  /* ECDHE: the ServerKeyExchange signature covers both randoms (RFC 5246, 7.4.3). */
  { "ecdhe-rsa", FALSE, "tamper:ServerHello.random=0x1111111111111111111111111111111111111111111111111111111111111111",
    TLS_ALERT_DECRYPT_ERROR, "client: ", TLS_ACTOR_CLIENT },
  /* RSA key exchange: the random goes into the keys; the client's Finished
   * record does not authenticate under the server's keys. */
  { "full", FALSE, "tamper:ServerHello.random=0x1111111111111111111111111111111111111111111111111111111111111111",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected handshake record", TLS_ACTOR_SERVER },
  { "full", FALSE, "tamper:ServerHello.cipher_suite=TLS_RSA_WITH_AES_256_GCM_SHA384",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected handshake record", TLS_ACTOR_SERVER },
  /* Same keys (no extended master secret), different transcripts: Finished. */
  { "full", TRUE, "tamper:ClientHello.cipher_suites=0x009c",
    TLS_ALERT_DECRYPT_ERROR, "server: the peer's Finished verify_data is wrong", TLS_ACTOR_SERVER },
  /* With EMS the transcript goes into the master secret: the record fails first. */
  { "full", FALSE, "tamper:ClientHello.cipher_suites=0x009c",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected handshake record", TLS_ACTOR_SERVER },
  { "full", FALSE, "flip:ApplicationData@3",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected application_data record", TLS_ACTOR_SERVER },
  { "full", FALSE, "flip:client:Finished@0",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected handshake record", TLS_ACTOR_SERVER },
  { "cbc", FALSE, "flip:server:Finished@20.3",
    TLS_ALERT_BAD_RECORD_MAC, "client: a protected handshake record", TLS_ACTOR_CLIENT },
  { "full", FALSE, "drop:ServerHelloDone",
    0, "no more messages: the client is waiting for the ServerHelloDone the attacker dropped", 0 },
  { "full", FALSE, "replay:ClientHello",
    TLS_ALERT_UNEXPECTED_MESSAGE, "server: expected ClientKeyExchange, but ClientHello arrived", TLS_ACTOR_SERVER },
  /* The copy is computed for the next sequence number (RFC 5246, 6.1). */
  { "full", FALSE, "replay:client:Finished",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected handshake record", TLS_ACTOR_SERVER },
  /* Finished before ChangeCipherSpec: the server, waiting for the
   * ChangeCipherSpec, reads the encrypted record's first 4 bytes as a
   * handshake header and refuses it for its place (RFC 5246, 7.4), before
   * the absurd length those bytes claim; OpenSSL answers the same
   * (tests/test-conform.c, /conform/order/finished-before-ccs). */
  { "full", FALSE, "reorder:client:ChangeCipherSpec",
    TLS_ALERT_UNEXPECTED_MESSAGE, "server: expected ChangeCipherSpec, but HelloRequest arrived "
    "(handshake type 0, read from the message's 4-byte header)", TLS_ACTOR_SERVER },
  /* An alert in the clear before ServerHello: the client acts on it. */
  { "full", FALSE, "inject:server:ServerHello:alert:0228",
    TLS_ALERT_HANDSHAKE_FAILURE, "client: the peer sent the alert handshake_failure", 0 },
  /* After ChangeCipherSpec a record made without the keys does not verify. */
  { "full", FALSE, "inject:client:ApplicationData:alert:0228",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected alert record", TLS_ACTOR_SERVER },
  /* The second connection of classic (resumed: the server's Finished comes first). */
  { "classic", FALSE, "flip:server:Finished#2@0",
    TLS_ALERT_BAD_RECORD_MAC, "client: a protected handshake record", TLS_ACTOR_CLIENT },
  /* Over loopback TCP the attacker sits between the two sockets' ends. */
  { "loopback", FALSE, "tamper:ServerHello.cipher_suite=TLS_RSA_WITH_AES_256_GCM_SHA384",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected handshake record", TLS_ACTOR_SERVER },
  /* TLS 1.3 (RFC 8446).  A changed hello changes the transcript hash up to
   * the ServerHello, so the handshake traffic keys differ (4.4.1, 7.1): the
   * client's first protected record (EncryptedExtensions) fails (5.2).  A
   * protected record's outer type is application_data (5.2). */
  { "tls13", FALSE, "tamper:ClientHello.random=0x1111111111111111111111111111111111111111111111111111111111111111",
    TLS_ALERT_BAD_RECORD_MAC, "client: a protected application_data record", TLS_ACTOR_CLIENT },
  { "tls13", FALSE, "tamper:ServerHello.random=0x1111111111111111111111111111111111111111111111111111111111111111",
    TLS_ALERT_BAD_RECORD_MAC, "client: a protected application_data record", TLS_ACTOR_CLIENT },
  { "tls13", FALSE, "flip:client:Finished@10",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected application_data record", TLS_ACTOR_SERVER },
  { "tls13", FALSE, "flip:ApplicationData@3",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected application_data record", TLS_ACTOR_SERVER },
  /* The client reads the encrypted EncryptedExtensions where the ServerHello belongs. */
  { "tls13", FALSE, "drop:ServerHello",
    TLS_ALERT_UNEXPECTED_MESSAGE, "client: expected ServerHello, but application_data arrived", TLS_ACTOR_CLIENT },
  { "tls13", FALSE, "drop:server:Finished",
    0, "no more messages: the client is waiting for the Finished the attacker dropped", 0 },
  /* The copy is a plaintext record once the client's records are
   * protected: an unexpected record type (5, 5.2). */
  { "tls13", FALSE, "replay:ClientHello",
    TLS_ALERT_UNEXPECTED_MESSAGE,
    "server: a plaintext handshake record arrived after TLS 1.3 record protection had started",
    TLS_ACTOR_SERVER },
  /* The copy is opened with the next nonce, here under the application keys (5.3). */
  { "tls13", FALSE, "replay:client:Finished",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected application_data record", TLS_ACTOR_SERVER },
  { "tls13", FALSE, "replay:server:Certificate",
    TLS_ALERT_BAD_RECORD_MAC, "client: a protected application_data record", TLS_ACTOR_CLIENT },
  /* CertificateVerify read with Certificate's nonce (5.3). */
  { "tls13", FALSE, "reorder:server:Certificate",
    TLS_ALERT_BAD_RECORD_MAC, "client: a protected application_data record", TLS_ACTOR_CLIENT },
  /* Before the ServerHello nothing is protected: the client acts on the alert. */
  { "tls13", FALSE, "inject:server:ServerHello:alert:0228",
    TLS_ALERT_HANDSHAKE_FAILURE, "client: the peer sent the alert handshake_failure", 0 },
  /* A record of type application_data made without the keys (5.2). */
  { "tls13", FALSE, "inject:client:ApplicationData:application_data:00112233445566778899aabbccddeeff0011",
    TLS_ALERT_BAD_RECORD_MAC, "server: a protected application_data record", TLS_ACTOR_SERVER },
  /* ChangeCipherSpec after the peer's Finished, or not 0x01 (RFC 8446, 5). */
  { "tls13", FALSE, "inject:client:ApplicationData:change_cipher_spec:01",
    TLS_ALERT_UNEXPECTED_MESSAGE, "server: a change_cipher_spec record arrived after the handshake", TLS_ACTOR_SERVER },
  /* Resumption: the PSK binder covers the ClientHello (RFC 8446, 4.2.11; 6.2). */
  { "tls13-resumption", FALSE, "tamper:ClientHello#2.random=0x2222222222222222222222222222222222222222222222222222222222222222",
    TLS_ALERT_DECRYPT_ERROR, "server: the PSK binder does not verify", TLS_ACTOR_SERVER },
  /* After a HelloRetryRequest a ClientHello is expected, but not a copy of the first (4.1.2). */
  { "tls13-hrr", FALSE, "replay:ClientHello",
    TLS_ALERT_ILLEGAL_PARAMETER, "server: the second ClientHello", TLS_ACTOR_SERVER },
  { "tls13", FALSE, "flip:server:ChangeCipherSpec@0",
    TLS_ALERT_UNEXPECTED_MESSAGE, "client: a change_cipher_spec record that is not the plaintext single byte 1",
    TLS_ACTOR_CLIENT },
};

/* The RFC the attacker step cites: RFC 8446 in a TLS 1.3 connection, RFC
 * 5246 below, never both. */
static void
check_citation (const TlsScenario *sc, const TlsStep *as)
{
  guint16 client_max = sc->client_max_version ? sc->client_max_version : sc->max_version;
  gboolean t13 = MIN (client_max, sc->max_version) >= TLS_VERSION_1_3;

  g_assert_nonnull (as->rfc);
  g_assert_nonnull (as->explanation);
  if (t13)
    {
      g_assert_nonnull (strstr (as->rfc, "RFC 8446"));
      g_assert_null (strstr (as->rfc, "RFC 5246"));
      /* no record MAC (TLS 1.3 has AEAD tags only), no ChangeCipherSpec that switches keys */
      g_assert_null (strstr (as->explanation, " MAC"));
      g_assert_null (strstr (as->explanation, "is what switches"));
    }
  else
    {
      g_assert_nonnull (strstr (as->rfc, "RFC 5246"));
      g_assert_null (strstr (as->rfc, "RFC 8446"));
    }
}

static void
check_case (const Case *k)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (k->scenario);
  g_autoptr (GError) error = NULL;
  TlsConductor *orig, *att;
  TlsTrace *to, *ta;
  int at = -1;
  const TlsStep *as;

  g_assert_nonnull (sc);
  sc->no_ems = sc->no_ems || k->no_ems;
  orig = run (sc);
  g_assert_true (tls_scenario_add_attack (sc, k->attack, &error));
  g_assert_no_error (error);
  att = run (sc);
  to = tls_conductor_get_trace (orig);
  ta = tls_conductor_get_trace (att);

  for (guint i = 0; i < tls_trace_len (ta); i++)
    if (tls_trace_get (ta, i)->actor == TLS_ACTOR_ATTACKER)
      {
        at = (int) i;
        break;
      }
  if (at < 0)
    g_test_message ("%s on %s: no attacker step", k->attack, k->scenario);
  g_assert_cmpint (at, >, 0);
  /* identical up to the attacker's step ... */
  for (guint i = 0; i < (guint) at; i++)
    g_assert_true (steps_equal (tls_trace_get (to, i), tls_trace_get (ta, i)));
  /* ... which acts on the record the step before it sent, as sent */
  as = tls_trace_get (ta, (guint) at);
  g_assert_cmpint (as->kind, ==, TLS_STEP_DECISION);
  check_citation (sc, as);
  {
    const TlsTraceValue *sent = tls_step_find_value (as, "record sent");
    const TlsTraceValue *got = tls_step_find_value (as, "record delivered");
    const TlsStep *src;
    gsize off = 0;

    g_assert_nonnull (sent);
    g_assert_nonnull (got);
    g_assert_cmpint (sent->from_step, >=, 0);
    src = tls_trace_get (ta, (guint) sent->from_step);
    g_assert_cmpint (src->actor, !=, TLS_ACTOR_ATTACKER);
    /* the record lies in the sender's wire bytes at the attacker's offset */
    g_assert_cmpint (as->wire_offset, >=, src->wire_offset);
    off = (gsize) (as->wire_offset - src->wire_offset);
    g_assert_cmpuint (off + g_bytes_get_size (sent->bytes), <=, g_bytes_get_size (src->wire));
    g_assert_cmpmem ((const guint8 *) g_bytes_get_data (src->wire, NULL) + off, g_bytes_get_size (sent->bytes),
                     g_bytes_get_data (sent->bytes, NULL), g_bytes_get_size (sent->bytes));
    g_assert_cmpstr (got->compare_with, ==, "record sent");
    if (g_str_has_prefix (k->attack, "drop:") || g_str_has_prefix (k->attack, "reorder:"))
      g_assert_cmpuint (g_bytes_get_size (got->bytes), ==, 0);
    else
      g_assert_false (g_bytes_equal (got->bytes, sent->bytes));
  }
  /* ... then diverges and ends as the RFC says */
  g_assert_cmpint (tls_conductor_state (att), ==, TLS_RUN_FAILED);
  if (tls_conductor_alert (att) != k->alert || strstr (tls_conductor_reason (att), k->reason) == NULL)
    g_test_message ("%s on %s: %s (%d): %s", k->attack, k->scenario,
                    tls_alert_name (tls_conductor_alert (att)), tls_conductor_alert (att),
                    tls_conductor_reason (att));
  g_assert_cmpint (tls_conductor_alert (att), ==, k->alert);
  g_assert_nonnull (strstr (tls_conductor_reason (att), k->reason));
  if (k->alert != 0 && k->sender != 0)
    {
      /* the alert is in the trace, sent by the side that found the problem */
      gboolean found = FALSE;
      for (guint i = (guint) at; i < tls_trace_len (ta); i++)
        {
          const TlsStep *s = tls_trace_get (ta, i);
          if (s->kind == TLS_STEP_ALERT && s->actor == k->sender && s->alert_description == k->alert)
            found = TRUE;
        }
      g_assert_true (found);
    }
  if (k->alert == 0)
    {
      /* a stall: nothing after the drop is an alert */
      for (guint i = (guint) at; i < tls_trace_len (ta); i++)
        g_assert_cmpint (tls_trace_get (ta, i)->kind, !=, TLS_STEP_ALERT);
    }
  /* the same action twice gives the same trace, byte for byte */
  {
    g_autofree char *j1 = tls_trace_to_json (ta, NULL);
    TlsConductor *again = run (sc);
    g_autofree char *j2 = tls_trace_to_json (tls_conductor_get_trace (again), NULL);
    g_assert_cmpstr (j1, ==, j2);
    tls_conductor_free (again);
  }
  tls_conductor_free (orig);
  tls_conductor_free (att);
}

static void
test_case (gconstpointer data)
{
  check_case (data);
}

/* TLS 1.3: the ChangeCipherSpec is a dummy the receiver drops (RFC 8446,
 * 5; D.4): dropping, replaying or holding it back changes nothing. */
static void
test_tls13_ccs (void)
{
  static const char *const actions[] = {
    "drop:server:ChangeCipherSpec", "replay:server:ChangeCipherSpec", "reorder:server:ChangeCipherSpec",
    "reorder:ServerHello",
  };

  g_test_summary ("In TLS 1.3 an action on the dummy ChangeCipherSpec leaves the handshake whole, "
                  "and the attacker step says why, citing RFC 8446");
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13");
      g_autoptr (GError) error = NULL;
      TlsConductor *c;
      TlsTrace *t;
      const TlsStep *as = NULL;

      g_assert_true (tls_scenario_add_attack (sc, actions[i], &error));
      c = run (sc);
      t = tls_conductor_get_trace (c);
      for (guint k = 0; k < tls_trace_len (t) && as == NULL; k++)
        if (tls_trace_get (t, k)->actor == TLS_ACTOR_ATTACKER)
          as = tls_trace_get (t, k);
      g_assert_nonnull (as);
      check_citation (sc, as);
      if (g_str_has_suffix (actions[i], "ChangeCipherSpec"))
        {
          g_assert_cmpstr (as->rfc, ==, "RFC 8446, 5; RFC 8446, D.4");
          g_assert_nonnull (strstr (as->explanation, "single byte 0x01"));
        }
      else
        /* the ServerHello comes after the ChangeCipherSpec, which the client drops */
        g_assert_cmpstr (as->rfc, ==, "RFC 8446, 4; RFC 8446, 5");
      if (tls_conductor_state (c) != TLS_RUN_COMPLETED)
        g_test_message ("%s: %s", actions[i], tls_conductor_reason (c));
      g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
      tls_conductor_free (c);
    }
}

/* Rewinding a run with an attacker replays it to the same step. */
static void
test_rewind (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("full");
  g_autoptr (GError) error = NULL;
  TlsConductor *c;
  g_autofree char *full = NULL, *again = NULL;
  guint n;

  g_test_summary ("A run with an attacker rewinds and steps one step at a time, as any run");
  g_assert_true (tls_scenario_add_attack (sc, "tamper:ServerHello.cipher_suite=0x009d", &error));
  c = run (sc);
  n = tls_trace_len (tls_conductor_get_trace (c));
  full = tls_trace_to_json (tls_conductor_get_trace (c), NULL);
  g_assert_true (tls_conductor_rewind (c, 3, &error));
  g_assert_cmpuint (tls_trace_len (tls_conductor_get_trace (c)), ==, 3);
  for (guint i = 3; i < n; i++)
    {
      g_assert_true (tls_conductor_step (c));
      g_assert_cmpuint (tls_trace_len (tls_conductor_get_trace (c)), ==, i + 1);
    }
  g_assert_false (tls_conductor_step (c));
  again = tls_trace_to_json (tls_conductor_get_trace (c), NULL);
  g_assert_cmpstr (full, ==, again);
  tls_conductor_free (c);
}

/* The attacker's step survives JSON export and import. */
static void
test_json (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("full");
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsTrace) back = NULL;
  g_autofree char *json = NULL, *json2 = NULL;
  TlsConductor *c;
  gsize len;
  int at = -1;

  g_test_summary ("The attacker actor and its before/after bytes survive the trace's JSON");
  g_assert_true (tls_scenario_add_attack (sc, "flip:client:Finished@0", &error));
  c = run (sc);
  json = tls_trace_to_json (tls_conductor_get_trace (c), &len);
  g_assert_nonnull (strstr (json, "\"actor\" : \"attacker\""));
  back = tls_trace_from_json (json, len, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tls_trace_len (back); i++)
    if (tls_trace_get (back, i)->actor == TLS_ACTOR_ATTACKER)
      at = (int) i;
  g_assert_cmpint (at, >, 0);
  g_assert_nonnull (tls_step_find_value (tls_trace_get (back, (guint) at), "record delivered"));
  json2 = tls_trace_to_json (back, NULL);
  g_assert_cmpstr (json, ==, json2);
  g_assert_cmpstr (tls_actor_name (TLS_ACTOR_ATTACKER), ==, "attacker");
  {
    /* the text and HTML exports show what was delivered, the flipped byte marked */
    g_autofree char *text = tls_trace_to_text (tls_conductor_get_trace (c), 0);
    g_autofree char *html = tls_trace_to_html_at (tls_conductor_get_trace (c), TLS_DETAIL_FULL);
    g_assert_nonnull (strstr (text, "attacker  Flip a bit: Finished"));
    g_assert_nonnull (strstr (text, "out  record delivered = "));
    g_assert_nonnull (strstr (text, "differs from record sent in 1 byte"));
    g_assert_nonnull (strstr (text, "reason: Bit 0 of byte 0 of the fragment: "));
    g_assert_nonnull (strstr (html, "class=\"step actor-attacker"));
    g_assert_nonnull (strstr (html, "record delivered"));
    g_assert_nonnull (strstr (html, "class=\"diff\""));
  }
  tls_conductor_free (c);
}

/* A target that names the record of a step. */
static void
test_target_of_step (void)
{
  TlsConductor *c = tu_run_scenario ("full");
  TlsTrace *t = tls_conductor_get_trace (c);
  gboolean hello = FALSE;

  g_test_summary ("tls_attack_target_of_step names a record step so that it parses back");
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      g_autofree char *target = tls_attack_target_of_step (t, i);
      const TlsStep *s = tls_trace_get (t, i);

      if (s->kind == TLS_STEP_DERIVATION || s->kind == TLS_STEP_CHECK || s->kind == TLS_STEP_DECISION)
        g_assert_null (target);
      if (target != NULL)
        {
          g_autofree char *action = g_strdup_printf ("drop:%s", target);
          g_autoptr (GError) error = NULL;
          g_autoptr (TlsAttack) a = tls_attack_parse (action, &error);
          g_assert_no_error (error);
          g_assert_cmpint (a->sender, ==, s->actor);
        }
      if (g_strcmp0 (target, "server:ServerHello#1") == 0)
        hello = TRUE;
    }
  g_assert_true (hello);
  tls_conductor_free (c);
}

/* Scenario files: the attack key. */
static void
test_scenario_key (void)
{
  g_autofree char *dir = tu_tmpdir_new ();
  g_autofree char *good = g_build_filename (dir, "good.scenario", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.scenario", NULL);
  g_autofree char *saved = g_build_filename (dir, "saved.scenario", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsScenario) sc = NULL;
  g_autoptr (TlsScenario) sc2 = NULL;
  TlsConductor *c;

  g_test_summary ("attack= in a scenario file runs the attacker; bad syntax is refused naming it");
  g_assert_true (g_file_set_contents (good, "[Scenario]\nname=attacked\nconnections=1\n"
                                      "attack=drop:ServerHelloDone; flip:Finished@0\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "[Scenario]\nname=attacked\nattack=drop:ServerHelloDone;stomp:Finished\n",
                                      -1, NULL));
  sc = tls_scenario_load (good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sc->attack, ==, "drop:ServerHelloDone; flip:Finished@0");
  c = run (sc);
  g_assert_cmpint (tls_conductor_alert (c), ==, 0);
  g_assert_nonnull (strstr (tls_conductor_reason (c), "waiting for the ServerHelloDone"));
  tls_conductor_free (c);
  g_assert_true (tls_scenario_save (sc, saved, &error));
  sc2 = tls_scenario_load (saved, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sc2->attack, ==, sc->attack);

  g_assert_null (tls_scenario_load (bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "stomp"));
  g_clear_error (&error);
  g_assert_false (tls_scenario_add_attack (sc, "drop:", &error));
  g_assert_nonnull (strstr (error->message, "no message named"));
  tu_tmpdir_remove (dir);
}

/* A tamper the attacker cannot make is a step that says so; the run goes on. */
static void
test_cannot (void)
{
  static const struct { const char *scenario, *attack, *why; } cases2[] = {
    { "full", "tamper:client:Finished.verify_data=00", "the record is encrypted" },
    { "full", "tamper:ServerHello.no_such_field=00", "the ServerHello has no field “no_such_field”" },
    { "full", "flip:ServerHelloDone@4", "there is no byte 4" },
    { "tls13", "tamper:server:Certificate.certificate_list=00", "the record is encrypted" },
    { "tls13", "flip:server:ChangeCipherSpec@1", "there is no byte 1" },
  };

  g_test_summary ("An action that cannot apply leaves the record unchanged and says why");
  for (guint i = 0; i < G_N_ELEMENTS (cases2); i++)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin (cases2[i].scenario);
      g_autoptr (GError) error = NULL;
      TlsConductor *c;
      TlsTrace *t;
      gboolean seen = FALSE;

      g_assert_true (tls_scenario_add_attack (sc, cases2[i].attack, &error));
      c = run (sc);
      t = tls_conductor_get_trace (c);
      for (guint k = 0; k < tls_trace_len (t); k++)
        {
          const TlsStep *s = tls_trace_get (t, k);
          if (s->actor == TLS_ACTOR_ATTACKER)
            {
              seen = TRUE;
              if (strstr (s->reason, cases2[i].why) == NULL)
                g_test_message ("%s: %s", cases2[i].attack, s->reason);
              g_assert_nonnull (strstr (s->reason, cases2[i].why));
              check_citation (sc, s);
              g_assert_true (g_bytes_equal (tls_step_find_value (s, "record sent")->bytes,
                                            tls_step_find_value (s, "record delivered")->bytes));
            }
        }
      g_assert_true (seen);
      g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
      tls_conductor_free (c);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/attacker/parse", test_parse);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/attacker/run/%s/%s%s", cases[i].scenario,
                                               cases[i].attack, cases[i].no_ems ? "/no-ems" : "");
      g_strdelimit (path + strlen ("/attacker/run/"), "/", '|');
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/attacker/tls13-ccs", test_tls13_ccs);
  g_test_add_func ("/attacker/rewind", test_rewind);
  g_test_add_func ("/attacker/json", test_json);
  g_test_add_func ("/attacker/target-of-step", test_target_of_step);
  g_test_add_func ("/attacker/scenario-key", test_scenario_key);
  g_test_add_func ("/attacker/cannot", test_cannot);
  return g_test_run ();
}
