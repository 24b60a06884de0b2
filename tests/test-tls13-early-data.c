/* test-tls13-early-data.c — TLS 1.3 0-RTT between our client and our
 * server (RFC 8446, 2.3, 4.2.10, 4.5): the ticket's max_early_data_size,
 * the early data the server decrypts against what the client sent, the
 * client_early_traffic_secret against an HKDF computed here with Nettle
 * alone (RFC 8448's section 4 values are checked in test-tls13-schedule.c),
 * the refused case (nothing delivered early, the handshake completes, the
 * request comes after it), the replay (the server's application gets the
 * same request twice, 8, E.5) and single-use tickets (8.1), the ticket
 * age check (4.2.10, 8.3: a copy replayed within the window read again,
 * one sent late refused), and the key log's CLIENT_EARLY_TRAFFIC_SECRET. */
#include "tls-conductor.h"
#include "tls-bytes.h"
#include "tls-types.h"
#include "tls13-key-schedule.h"
#include "tls-trace-pcapng.h"
#include "test-util.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsConductor, tls_conductor_free)

#include <nettle/hmac.h>
#include <nettle/hkdf.h>
#include <nettle/sha2.h>
#include <string.h>

#define REQUEST "GET / HTTP/1.0\r\n\r\n"

/* HKDF-Expand-Label (RFC 8446, 7.1) with SHA-256, written here from the
 * RFC with Nettle's HKDF, independently of protocol/crypto. */
static void
expand_label (const guint8 secret[32], const char *label, const guint8 *ctx, gsize ctx_len,
              guint8 *out, gsize out_len)
{
  struct hmac_sha256_ctx h;
  guint8 info[2 + 1 + 255 + 1 + 255];
  gsize n = 0, l = strlen (label) + 6;

  info[n++] = out_len >> 8;
  info[n++] = out_len & 0xff;
  info[n++] = l;
  memcpy (info + n, "tls13 ", 6);
  memcpy (info + n + 6, label, l - 6);
  n += l;
  info[n++] = ctx_len;
  memcpy (info + n, ctx, ctx_len);
  n += ctx_len;
  hmac_sha256_set_key (&h, 32, secret);
  hkdf_expand (&h, (nettle_hash_update_func *) hmac_sha256_update,
               (nettle_hash_digest_func *) hmac_sha256_digest, 32, n, info, out_len, out);
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* The ticket age the client gives in connection CONN, from the wire
 * (RFC 8446, 4.2.11.1): its ClientHello's obfuscated_ticket_age (one
 * identity, then the binders list of one 32-byte binder, last in the
 * message) minus the ticket_age_add of connection 0's NewSessionTicket
 * (after its type, length and ticket_lifetime). */
static guint32
wire_client_age (TlsTrace *t, int conn)
{
  const TlsStep *ch = tu_step (t, conn, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  const TlsStep *nst = tu_step (t, 0, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "NewSessionTicket");
  gsize n = TU_SIZE (ch->bytes);

  g_assert_cmpuint (n, >, 2 + 1 + 32 + 4);
  return be32 (TU_DATA (ch->bytes) + n - (2 + 1 + 32) - 4) - be32 (TU_DATA (nst->bytes) + 8);
}

/* The server's ticket age check (RFC 8446, 8.3) in its "Accept early
 * data?" step of connection CONN: the two ages, the window, the verdict. */
static const TlsStep *
assert_freshness (TlsTrace *t, int conn, const char *client, const char *server,
                  const char *verdict)
{
  const TlsStep *dec = tu_step (t, conn, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Accept early data?");

  g_assert_nonnull (dec);
  g_assert_cmpstr (tls_step_find_value (dec, "ticket age (client)")->text, ==, client);
  g_assert_cmpstr (tls_step_find_value (dec, "ticket age (server)")->text, ==, server);
  g_assert_cmpstr (tls_step_find_value (dec, "window")->text, ==, "10000 ms either way");
  g_assert_cmpstr (tls_step_find_value (dec, "freshness")->text, ==, verdict);
  g_assert_nonnull (strstr (dec->rfc, "RFC 8446, 8.3"));
  return dec;
}

static void
test_accepted (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("tls13-0rtt");
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *nst, *ch, *sent, *read, *ee, *eoed, *cets;
  GBytes *psk, *secret;
  guint8 zeros[32] = { 0 }, early[32], hash[32], expected[32];
  struct hmac_sha256_ctx h;
  struct sha256_ctx sha;

  g_test_summary ("tls13-0rtt: the ticket allows early data, the client sends its request as "
                  "0-RTT data after the ClientHello, the server accepts it and decrypts exactly "
                  "those bytes, EncryptedExtensions has early_data, EndOfEarlyData follows, and "
                  "client_early_traffic_secret is HKDF-Expand-Label(Early Secret, \"c e "
                  "traffic\", Hash(ClientHello)) computed here");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.resumed"), ==, "yes (ticket)");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.result"), ==, "completed");

  nst = tu_step (t, 0, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "NewSessionTicket");
  g_assert_nonnull (nst);
  g_assert_true (tu_has_extension (nst, "early_data"));
  ch = tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  g_assert_true (tu_has_extension (ch, "early_data"));

  /* What the client sent early is what the server's application got. */
  sent = tu_step (t, 1, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "0-RTT Application Data");
  g_assert_nonnull (sent);
  g_assert_cmpuint (g_bytes_get_size (sent->bytes), ==, strlen (REQUEST));
  g_assert_cmpmem (g_bytes_get_data (sent->bytes, NULL), strlen (REQUEST), REQUEST, strlen (REQUEST));
  g_assert_true (sent->index > ch->index);
  read = tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT data read");
  g_assert_nonnull (read);
  g_assert_true (g_bytes_equal (tu_value (read, "early data"), sent->bytes));
  g_assert_cmpint (read->result, ==, TLS_CHECK_PASSED);
  /* The record the server read is the one the client sent. */
  g_assert_true (g_bytes_equal (tu_value (read, "record"), sent->wire));
  /* Sent once: no 1-RTT copy of the request from the client. */
  g_assert_null (tu_step (t, 1, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "Application Data"));
  g_assert_nonnull (tu_step (t, 1, TLS_STEP_APPDATA, TLS_ACTOR_SERVER, "Application Data"));

  ee = tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "EncryptedExtensions");
  g_assert_true (tu_has_extension (ee, "early_data"));
  eoed = tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "EndOfEarlyData");
  g_assert_nonnull (eoed);
  g_assert_true (eoed->index > tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "Finished")->index);
  g_assert_cmpuint (g_bytes_get_size (eoed->bytes), ==, 4);   /* type 5, length 0 */
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (eoed->bytes, NULL))[0], ==, 5);
  g_assert_cmpstr (tu_step (t, 1, TLS_STEP_DECISION, TLS_ACTOR_CLIENT, "Early data accepted?")->choice,
                   ==, "accepted: the server has read the 0-RTT data");
  /* The ticket age: 60 s between the connections, on both sides. */
  g_assert_cmpuint (wire_client_age (t, 1), ==, 60000);
  assert_freshness (t, 1, "60000 ms", "60000 ms", "fresh: 0 ms apart, inside the window");

  /* The secret, computed here: Early Secret = HKDF-Extract(0, PSK). */
  psk = tu_value (tu_step (t, 0, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, TLS13_STEP_TITLE_RESUMPTION_PSK),
                  "PSK");
  g_assert_cmpuint (g_bytes_get_size (psk), ==, 32);
  hmac_sha256_set_key (&h, 32, zeros);
  hkdf_extract (&h, (nettle_hash_update_func *) hmac_sha256_update,
                (nettle_hash_digest_func *) hmac_sha256_digest, 32, 32,
                g_bytes_get_data (psk, NULL), early);
  sha256_init (&sha);
  sha256_update (&sha, g_bytes_get_size (ch->bytes), g_bytes_get_data (ch->bytes, NULL));
  sha256_digest (&sha, 32, hash);
  expand_label (early, "c e traffic", hash, 32, expected, 32);
  for (TlsActor a = TLS_ACTOR_CLIENT; a <= TLS_ACTOR_SERVER; a++)
    {
      cets = tu_step (t, 1, TLS_STEP_DERIVATION, a, TLS13_STEP_TITLE_C_E_TRAFFIC);
      g_assert_nonnull (cets);
      secret = tu_value (cets, TLS13_STEP_TITLE_C_E_TRAFFIC);
      g_assert_cmpmem (g_bytes_get_data (secret, NULL), g_bytes_get_size (secret), expected, 32);
    }
}

static void
test_refused (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("tls13-0rtt-rejected");
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *skipped, *again, *dec;

  g_test_summary ("tls13-0rtt-rejected: the server resumes but refuses the early data, says "
                  "why, skips the 0-RTT record, the handshake completes, nothing was delivered "
                  "early, and the request is sent again after the handshake");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.resumed"), ==, "yes (ticket)");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.result"), ==, "completed");
  dec = tu_step (t, 1, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Accept early data?");
  g_assert_cmpstr (dec->choice, ==, "refuse: skip the 0-RTT records");
  g_assert_cmpstr (dec->reason, ==, "this server is configured to refuse early data");
  g_assert_nonnull (tu_step (t, 1, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "0-RTT Application Data"));
  g_assert_null (tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT data read"));
  g_assert_false (tu_has_extension (tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER,
                                             "EncryptedExtensions"), "early_data"));
  g_assert_null (tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "EndOfEarlyData"));
  skipped = tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT records skipped");
  g_assert_nonnull (skipped);
  g_assert_nonnull (strstr (skipped->subject, "1 records"));
  g_assert_cmpstr (tu_step (t, 1, TLS_STEP_DECISION, TLS_ACTOR_CLIENT, "Early data accepted?")->choice,
                   ==, "refused: the 0-RTT data was not delivered");
  /* The application sends it again, under the application keys. */
  again = tu_step (t, 1, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "Application Data");
  g_assert_nonnull (again);
  g_assert_cmpmem (g_bytes_get_data (again->bytes, NULL), g_bytes_get_size (again->bytes),
                   REQUEST, strlen (REQUEST));
  g_assert_true (again->index > tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "Finished")->index);
}

static void
test_replay (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("tls13-0rtt-replay");
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *first, *second;

  g_test_summary ("tls13-0rtt-replay: the attacker's copy of the ClientHello and 0-RTT record "
                  "is accepted by a server without anti-replay state, which hands the same "
                  "request to its application a second time (RFC 8446, 8, E.5): 2 s after the "
                  "original, its ticket age passes the 10 s check of 8.3");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  assert_freshness (t, 2, "60000 ms", "62000 ms", "fresh: 2000 ms apart, inside the window");
  g_assert_nonnull (tu_step (t, 2, TLS_STEP_DECISION, TLS_ACTOR_ATTACKER,
                             "Replay of the ClientHello and its 0-RTT data"));
  first = tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT data read");
  second = tu_step (t, 2, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT data read");
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_true (g_bytes_equal (tu_value (first, "early data"), tu_value (second, "early data")));
  g_assert_true (g_bytes_equal (tu_value (first, "record"), tu_value (second, "record")));
  g_assert_cmpmem (g_bytes_get_data (tu_value (second, "early data"), NULL),
                   g_bytes_get_size (tu_value (second, "early data")), REQUEST, strlen (REQUEST));
  /* The replayed connection has no client of its own and no Finished. */
  g_assert_null (tu_step (t, 2, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello"));
  g_assert_cmpuint (tu_count (t, 2, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "Finished verify_data"), ==, 0);
  g_assert_nonnull (tu_step (t, 2, TLS_STEP_DECISION, TLS_ACTOR_ATTACKER, "The attacker stops"));
  /* its summary is the server's: TLS 1.3, resumed, ended by its alert */
  g_assert_cmpstr (tls_trace_get_meta (t, "conn2.version"), ==, "TLS 1.3");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn2.resumed"), ==, "yes (ticket)");
  g_assert_true (g_str_has_prefix (tls_trace_get_meta (t, "conn2.result"), "alert: handshake_failure"));
}

static void
test_replay_single_use (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("tls13-0rtt-replay-single-use");
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *sel;

  g_test_summary ("tls13-0rtt-replay-single-use: the original is accepted, the replay's "
                  "ticket was used already (RFC 8446, 8.1), so the server refuses the PSK and "
                  "the early data and the request is processed once");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_nonnull (tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT data read"));
  g_assert_null (tu_step (t, 2, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT data read"));
  sel = tu_step (t, 2, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Resume with the PSK?");
  g_assert_cmpstr (sel->choice, ==, "no PSK: a full handshake");
  g_assert_nonnull (strstr (sel->reason, "8.1"));
  g_assert_cmpstr (tu_step (t, 2, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Accept early data?")->choice,
                   ==, "refuse: skip the 0-RTT records");
}

/* The copy of connection 2's first flight AFTER seconds later: outside
 * the window (10 s either way) the server takes the PSK but not the early
 * data, skips the record (no failed record check), and the request is read
 * once. */
static TlsConductor *
run_replay_after (gint64 after)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-0rtt-replay");

  sc->replay_after = after;
  return tu_run (sc);
}

static void
test_window (void)
{
  static const struct { gint64 after; const char *server, *verdict; gboolean fresh; } cases[] = {
    { 0, "60000 ms", "fresh: 0 ms apart, inside the window", TRUE },
    { 10, "70000 ms", "fresh: 10000 ms apart, inside the window", TRUE },
    { 11, "71000 ms", "not fresh: 11000 ms apart, outside the window", FALSE },
    { 1800, "1860000 ms", "not fresh: 1800000 ms apart, outside the window", FALSE },
  };

  g_test_summary ("RFC 8446, 4.2.10 and 8.3: the clock moves between the recorded ClientHello "
                  "and its copy; within 10 s of the ticket age it gives the server reads the "
                  "copy's early data, past it it resumes with the PSK but refuses the early data");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TlsConductor) c = run_replay_after (cases[i].after);
      TlsTrace *t = tls_conductor_get_trace (c);
      const TlsStep *dec;

      g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
      dec = assert_freshness (t, 2, "60000 ms", cases[i].server, cases[i].verdict);
      g_assert_cmpstr (tls_trace_get_meta (t, "conn2.resumed"), ==, "yes (ticket)");
      g_assert_cmpuint (tu_count (t, 2, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT data read"), ==,
                        cases[i].fresh ? 1 : 0);
      if (cases[i].fresh)
        g_assert_cmpstr (dec->choice, ==, "accept: read the 0-RTT data");
      else
        {
          g_assert_cmpstr (dec->choice, ==, "refuse: skip the 0-RTT records");
          g_assert_true (g_str_has_prefix (dec->reason, "the ClientHello is not fresh"));
          g_assert_nonnull (strstr (dec->reason, "(8.3)"));
          g_assert_false (tu_has_extension (tu_step (t, 2, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER,
                                                     "EncryptedExtensions"), "early_data"));
          g_assert_cmpuint (tu_count (t, 2, TLS_STEP_CHECK, -1, "Record tag"), ==, 0);
        }
    }
}

static void
test_stale (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("tls13-0rtt-stale");
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *dec;

  g_test_summary ("tls13-0rtt-stale: the copy comes 60 s late; it gives the original's ticket "
                  "age (60000 ms on the wire) against 120 s on the server's clock, so the "
                  "server refuses its early data (RFC 8446, 8.3) and the request is read once");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpuint (wire_client_age (t, 1), ==, 60000);
  assert_freshness (t, 1, "60000 ms", "60000 ms", "fresh: 0 ms apart, inside the window");
  dec = assert_freshness (t, 2, "60000 ms", "120000 ms",
                          "not fresh: 60000 ms apart, outside the window");
  g_assert_cmpstr (dec->choice, ==, "refuse: skip the 0-RTT records");
  g_assert_cmpstr (dec->reason, ==, "the ClientHello is not fresh: the ticket age it gives, "
                   "60000 ms, is 60000 ms away from the ticket's age on this server's clock, "
                   "outside the window of 10000 ms (8.3)");
  g_assert_nonnull (tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT data read"));
  g_assert_null (tu_step (t, 2, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT data read"));
  /* the PSK still resumes (4.2.10: "proceed with the handshake but reject 0-RTT") */
  g_assert_cmpstr (tu_step (t, 2, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Resume with the PSK?")->choice,
                   ==, "identity 0, psk_dhe_ke, if its binder verifies");
  g_assert_false (tu_has_extension (tu_step (t, 2, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER,
                                             "EncryptedExtensions"), "early_data"));
  g_assert_nonnull (tu_step (t, 2, TLS_STEP_DECISION, TLS_ACTOR_ATTACKER, "The attacker stops"));
}

static void
test_hrr (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-0rtt");
  g_autoptr (TlsConductor) c = NULL;
  TlsTrace *t;
  const TlsStep *ch2 = NULL, *dec;

  g_test_summary ("0-RTT answered with a HelloRetryRequest (RFC 8446, 4.2.10): the server "
                  "refuses the early data and skips the application_data record, the second "
                  "ClientHello has no early_data, the resumption completes");
  g_free (sc->groups);
  sc->groups = g_strdup ("x25519,secp256r1");
  sc->server_groups = g_strdup ("secp256r1");
  c = tu_run (sc);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.resumed"), ==, "yes (ticket)");
  dec = tu_step (t, 1, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Accept early data?");
  g_assert_cmpstr (dec->reason, ==, "the server sends a HelloRetryRequest");
  g_assert_true (tu_has_extension (tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello"),
                                   "early_data"));
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (s->connection == 1 && s->kind == TLS_STEP_MESSAGE && s->actor == TLS_ACTOR_CLIENT
          && g_strcmp0 (s->title, "ClientHello") == 0)
        ch2 = s;
    }
  g_assert_nonnull (tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "HelloRetryRequest"));
  g_assert_false (tu_has_extension (ch2, "early_data"));
  g_assert_nonnull (strstr (tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER,
                                     "0-RTT records skipped")->subject, "1 records"));
  g_assert_null (tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "0-RTT data read"));
}

static void
test_keylog (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("tls13-0rtt");
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autofree char *log = tls_trace_keylog (t);
  GBytes *secret = tu_value (tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT,
                                      TLS13_STEP_TITLE_C_E_TRAFFIC), TLS13_STEP_TITLE_C_E_TRAFFIC);
  g_autofree char *hex = tls_hex (g_bytes_get_data (secret, NULL), g_bytes_get_size (secret));
  g_autofree char *tail = g_strdup_printf (" %s\n", hex);
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  guint early = 0;

  g_test_summary ("The key log of tls13-0rtt has one CLIENT_EARLY_TRAFFIC_SECRET line, for the "
                  "resumed connection, with the secret of the trace");
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "CLIENT_EARLY_TRAFFIC_SECRET "))
      {
        early++;
        g_assert_true (g_str_has_suffix (lines[i], hex));
      }
  g_assert_cmpuint (early, ==, 1);
  g_assert_nonnull (strstr (log, tail));
  g_assert_nonnull (strstr (log, "EARLY_EXPORTER_SECRET "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls13-early-data/accepted", test_accepted);
  g_test_add_func ("/tls13-early-data/refused", test_refused);
  g_test_add_func ("/tls13-early-data/replay", test_replay);
  g_test_add_func ("/tls13-early-data/replay-single-use", test_replay_single_use);
  g_test_add_func ("/tls13-early-data/ticket-age/window", test_window);
  g_test_add_func ("/tls13-early-data/ticket-age/stale", test_stale);
  g_test_add_func ("/tls13-early-data/hrr", test_hrr);
  g_test_add_func ("/tls13-early-data/keylog", test_keylog);
  return g_test_run ();
}
