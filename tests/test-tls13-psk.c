/* test-tls13-psk.c — TLS 1.3 resumption between our client and our server
 * (RFC 8446, 2.2, Figure 3): the NewSessionTicket and its PSK on both
 * sides, the offer with its binder, psk_dhe_ke and psk_ke, a changed
 * binder (decrypt_error, 4.2.11 and 6.2) and a ticket the server cannot
 * open (a full handshake, 4.2.11). */
#include "tls-conductor.h"
#include "tls-alert.h"
#include "tls-bytes.h"
#include "tls-types.h"
#include "tls13-key-schedule.h"
#include "tls-trace-pcapng.h"
#include "tls-endpoint.h"
#include "tls-extensions.h"
#include "tls-handshake.h"
#include "tls-kx-ecdh.h"
#include "tls-msg-client-hello.h"
#include "tls-ticket.h"
#include "tls-x509.h"
#include "tls13-extensions.h"
#include "test-util.h"

#include <string.h>

static void
check_resumed (TlsTrace *t, gboolean psk_ke)
{
  const TlsStep *sh, *ch, *s;
  GBytes *psk;

  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.resumed"), ==, "no");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.resumed"), ==, "yes (ticket)");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.result"), ==, "completed");
  g_assert_cmpstr (tls_trace_get_meta (t, "conn1.version"), ==, "TLS 1.3");

  /* Connection 1: the server's ticket, the same PSK on both sides. */
  g_assert_nonnull (tu_step (t, 0, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "NewSessionTicket"));
  psk = tu_output (tu_step (t, 0, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, TLS13_STEP_TITLE_RESUMPTION_PSK), "PSK");
  g_assert_cmpuint (g_bytes_get_size (psk), ==, 32);
  g_assert_true (g_bytes_equal (psk, tu_output (tu_step (t, 0, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT,
                                                         TLS13_STEP_TITLE_RESUMPTION_PSK), "PSK")));
  g_assert_true (g_bytes_equal (tu_output (tu_step (t, 0, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER,
                                                    TLS13_STEP_TITLE_RES_MASTER), TLS13_STEP_TITLE_RES_MASTER),
                                tu_output (tu_step (t, 0, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT,
                                                    TLS13_STEP_TITLE_RES_MASTER), TLS13_STEP_TITLE_RES_MASTER)));

  /* Connection 2: the Early Secret comes from that PSK, on both sides. */
  for (TlsActor a = TLS_ACTOR_CLIENT; a <= TLS_ACTOR_SERVER; a++)
    {
      s = tu_step (t, 1, TLS_STEP_DERIVATION, a, TLS13_STEP_TITLE_EARLY_SECRET);
      g_assert_true (g_bytes_equal (tu_value (s, "IKM"), psk));
      g_assert_true (g_bytes_equal (tu_output (s, TLS13_STEP_TITLE_EARLY_SECRET),
                                    tu_output (tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT,
                                                        TLS13_STEP_TITLE_EARLY_SECRET),
                                               TLS13_STEP_TITLE_EARLY_SECRET)));
    }
  /* The client's PSK input points at the step that derived it. */
  s = tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, TLS13_STEP_TITLE_EARLY_SECRET);
  g_assert_cmpint (tls_step_find_value (s, "IKM")->from_step, ==,
                   (int) tu_step (t, 0, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT,
                                  TLS13_STEP_TITLE_RESUMPTION_PSK)->index);

  /* The binder: the same on both sides, in the ClientHello, verified. */
  ch = tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  g_assert_nonnull (ch);
  {
    GBytes *binder = tu_output (tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT,
                                         TLS13_STEP_TITLE_PSK_BINDER), "binder");
    GBytes *server_binder = tu_output (tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER,
                                                TLS13_STEP_TITLE_PSK_BINDER), "binder");
    gsize len = g_bytes_get_size (ch->bytes);
    const TlsStep *th = tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT,
                                 TLS13_STEP_TITLE_TRANSCRIPT_HASH);
    GBytes *truncated = tu_value (th, "Truncate(ClientHello)");

    g_assert_true (g_bytes_equal (binder, server_binder));
    /* The binder is the last 32 bytes of the ClientHello; Truncate() stops
     * before the binders list: 2 bytes of length, 1 of the entry's length
     * and the 32 of the binder (RFC 8446, 4.2.11.2). */
    g_assert_cmpmem ((const guint8 *) g_bytes_get_data (ch->bytes, NULL) + len - 32, 32,
                     g_bytes_get_data (binder, NULL), 32);
    g_assert_cmpuint (g_bytes_get_size (truncated), ==, len - 2 - 1 - 32);
    g_assert_cmpmem (g_bytes_get_data (truncated, NULL), g_bytes_get_size (truncated),
                     g_bytes_get_data (ch->bytes, NULL), len - 35);
    g_assert_true (strstr (tls_step_find_value (th, "Truncate(ClientHello)")->note, "of its") != NULL);
  }
  s = tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "PSK binder verifies");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  s = tu_step (t, 1, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Resume with the PSK?");
  g_assert_true (g_str_has_prefix (s->choice, psk_ke ? "identity 0, psk_ke" : "identity 0, psk_dhe_ke"));
  s = tu_step (t, 1, TLS_STEP_DECISION, TLS_ACTOR_CLIENT, "PSK accepted?");
  g_assert_cmpstr (s->choice, ==, psk_ke ? "resumption, psk_ke" : "resumption, psk_dhe_ke");

  /* No Certificate, no CertificateVerify: the PSK authenticates (2.2). */
  g_assert_nonnull (tu_step (t, 0, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "Certificate"));
  g_assert_null (tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "Certificate"));
  g_assert_null (tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "CertificateVerify"));
  g_assert_null (tu_step (t, 1, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Signature scheme"));

  /* The ServerHello: pre_shared_key, and a key_share in psk_dhe_ke only. */
  sh = tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
  g_assert_true (tu_has_extension (sh, "pre_shared_key"));
  g_assert_cmpint (tu_has_extension (sh, "key_share"), ==, !psk_ke);
  s = tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, TLS13_STEP_TITLE_HANDSHAKE_SECRET);
  if (psk_ke)
    {
      static const guint8 zeros[32];
      g_assert_cmpmem (g_bytes_get_data (tu_value (s, "IKM"), NULL), 32, zeros, 32);
      g_assert_null (tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, "(EC)DHE shared secret"));
    }
  else
    g_assert_true (g_bytes_equal (tu_value (s, "IKM"),
                                  tu_output (tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER,
                                                      "(EC)DHE shared secret"), "shared_secret")));
  /* The same traffic secrets on both sides, and data both ways. */
  g_assert_true (g_bytes_equal (tu_output (tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER,
                                                    TLS13_STEP_TITLE_C_AP_TRAFFIC), TLS13_STEP_TITLE_C_AP_TRAFFIC),
                                tu_output (tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT,
                                                    TLS13_STEP_TITLE_C_AP_TRAFFIC), TLS13_STEP_TITLE_C_AP_TRAFFIC)));
  g_assert_nonnull (tu_step (t, 1, TLS_STEP_APPDATA, TLS_ACTOR_SERVER, "Application Data"));
}

static void
test_resumption (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-resumption");
  TlsConductor *c;

  g_test_summary ("RFC 8446, 2.2, 4.6.1, 4.2.11: the server's ticket gives both sides the "
                  "same PSK; the second connection offers it with a binder over "
                  "Truncate(ClientHello), the server checks it and resumes in psk_dhe_ke, "
                  "without Certificate or CertificateVerify");
  c = tu_run (sc);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  check_resumed (tls_conductor_get_trace (c), FALSE);
  tls_conductor_free (c);
}

static void
test_psk_ke (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-psk-ke");
  TlsConductor *c;

  g_test_summary ("RFC 8446, 4.2.9: a client that offers psk_ke only is resumed without "
                  "(EC)DHE: no key_share in the ServerHello, zeros in the Handshake Secret");
  c = tu_run (sc);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  check_resumed (tls_conductor_get_trace (c), TRUE);
  tls_conductor_free (c);
}

static void
test_bad_binder (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-resumption");
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *s;

  g_test_summary ("RFC 8446, 4.2.11 and 6.2: a binder with one bit changed does not verify "
                  "and the server ends the handshake with decrypt_error");
  sc->tamper = g_strdup ("client-bad-binder");
  c = tu_run (sc);
  t = tls_conductor_get_trace (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_DECRYPT_ERROR);
  s = tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "PSK binder verifies");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
  s = tu_step (t, 1, TLS_STEP_ALERT, TLS_ACTOR_SERVER, "Alert: decrypt_error");
  g_assert_nonnull (s);
  g_assert_false (s->encrypted);   /* before the ServerHello: plaintext */
  g_assert_null (tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello"));
  tls_conductor_free (c);
}

static void
test_unknown_ticket (void)
{
  g_autoptr (TlsScenario) clean = tls_scenario_builtin ("tls13-resumption");
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-resumption");
  g_autoptr (GError) error = NULL;
  g_autofree char *action = NULL;
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *s;
  TlsField *f;

  g_test_summary ("RFC 8446, 4.2.11: a ticket the server cannot open is ignored: no alert "
                  "for it, the server answers with a full handshake (its certificate)");
  /* Where the ticket's key_name is in the resumed ClientHello. */
  c = tu_run (clean);
  s = tu_step (tls_conductor_get_trace (c), 1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  f = tls_field_find (s->fields, "identity");
  g_assert_nonnull (f);
  action = g_strdup_printf ("flip:client:ClientHello#2@%zu", f->offset + 2);
  tls_conductor_free (c);

  g_assert_true (tls_scenario_add_attack (sc, action, &error));
  g_assert_no_error (error);
  c = tu_run (sc);
  t = tls_conductor_get_trace (c);
  s = tu_step (t, 1, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Resume with the PSK?");
  g_assert_nonnull (s);
  g_assert_cmpstr (s->choice, ==, "no PSK: a full handshake");
  g_assert_nonnull (strstr (s->reason, "key_name"));
  g_assert_null (tu_step (t, 1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "PSK binder verifies"));
  g_assert_false (tu_has_extension (tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello"),
                                    "pre_shared_key"));
  g_assert_nonnull (tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "Certificate"));
  s = tu_step (t, 1, TLS_STEP_DECISION, TLS_ACTOR_CLIENT, "PSK accepted?");
  g_assert_cmpstr (s->choice, ==, "a full handshake");
  /* The changed byte is in the server's transcript, not the client's: the
   * handshake traffic keys differ, and the client cannot decrypt the
   * server's flight (RFC 8446, 5.2): the attack is caught, not the ticket. */
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_BAD_RECORD_MAC);
  g_assert_nonnull (tu_step (t, 1, TLS_STEP_ALERT, TLS_ACTOR_CLIENT, "Alert: bad_record_mac"));
  tls_conductor_free (c);
}

static void
test_keylog (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-resumption");
  g_autofree char *log = NULL;
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *ch;
  TlsField *f;
  g_autofree char *random = NULL;
  g_autofree char *want = NULL;
  g_autofree char *hex = NULL;
  GBytes *secret;

  g_test_summary ("The key log has the secret lines of the resumed connection too, under its "
                  "ClientHello.random");
  c = tu_run (sc);
  t = tls_conductor_get_trace (c);
  log = tls_trace_keylog (t);
  ch = tu_step (t, 1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  f = tls_field_find (ch->fields, "random");
  random = tls_hex ((const guint8 *) g_bytes_get_data (ch->bytes, NULL) + f->offset, 32);
  secret = tu_output (tu_step (t, 1, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, TLS13_STEP_TITLE_C_HS_TRAFFIC),
                      TLS13_STEP_TITLE_C_HS_TRAFFIC);
  hex = tls_hex (g_bytes_get_data (secret, NULL), g_bytes_get_size (secret));
  want = g_strdup_printf ("CLIENT_HANDSHAKE_TRAFFIC_SECRET %s %s\n", random, hex);
  g_assert_nonnull (strstr (log, want));
  {
    g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 2 * 5 + 1);   /* five a connection, and "" */
  }
  tls_conductor_free (c);
}

/* ------------------------------------------------------------------ */
/* Our server fed a ClientHello made here                              */

typedef enum
{
  OFFER_GARBAGE_TICKET,   /* psk_key_exchange_modes, then pre_shared_key with a ticket not ours */
  OFFER_NOT_LAST,         /* pre_shared_key, then psk_key_exchange_modes */
  OFFER_NO_MODES,         /* pre_shared_key alone */
} Offer;

/* The trace of our TLS 1.3 server (with ticket keys) after the ClientHello
 * of OFFER; *ALERT its alert (0: none). */
static TlsTrace *
server_fed (Offer offer, int *alert)
{
  static const guint16 versions[] = { TLS_VERSION_1_3 };
  static const guint16 groups[] = { TLS_GROUP_X25519 };
  static const guint16 sigalgs[] = { TLS_SIG_RSA_PSS_RSAE_SHA256 };
  static const guint8 modes[] = { 1 };   /* psk_dhe_ke */
  g_autofree char *chain_path = g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "pki",
                                                  "server-rsa-chain.pem", NULL);
  g_autofree char *key_path = g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "pki",
                                                "server-rsa.key", NULL);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (3, "psk test");
  g_autoptr (TlsEcdhKey) ecdh = tls_ecdh_keygen (TLS_GROUP_X25519, rng);
  g_autoptr (GBytes) pub = tls_ecdh_public (ecdh);
  g_autoptr (TlsTicketKeys) keys = tls_ticket_keys_new (rng);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) msg = NULL;
  g_autoptr (GByteArray) rec = g_byte_array_new ();
  guint8 ticket[64], binder[32] = { 0 }, null_method = 0;
  guint16 suite = 0x1301;
  Tls13KeyShareEntry share = { TLS_GROUP_X25519, pub };
  Tls13OfferedPsks psks;
  Tls13PskIdentity id;
  TlsClientHello ch;
  TlsEndpoint *server;
  TlsTrace *trace = tls_trace_new ();
  TlsConfig cfg;
  TlsWriter w;
  TlsWriterMark m;
  gsize len;

  tls_client_hello_init (&ch);
  ch.client_version = TLS_VERSION_1_2;
  tls_rng_bytes (rng, ch.random, 32);
  g_array_append_val (ch.cipher_suites, suite);
  g_byte_array_append (ch.compression_methods, &null_method, 1);
  tls_extensions_add_supported_groups (&ch.extensions, groups, 1);
  tls_extensions_add_signature_algorithms (&ch.extensions, sigalgs, 1);
  tls13_extensions_add_supported_versions (&ch.extensions, versions, 1);
  tls13_extensions_add_key_share_client (&ch.extensions, &share, 1);
  if (offer == OFFER_GARBAGE_TICKET)
    tls13_extensions_add_psk_modes (&ch.extensions, modes, 1);
  tls_rng_bytes (rng, ticket, sizeof ticket);
  id.identity = g_bytes_new (ticket, sizeof ticket);
  id.obfuscated_ticket_age = 1234;
  tls13_offered_psks_init (&psks);
  g_array_append_val (psks.identities, id);
  g_ptr_array_add (psks.binders, g_bytes_new (binder, sizeof binder));
  tls13_extensions_add_offered_psks (&ch.extensions, &psks);
  tls13_offered_psks_clear (&psks);
  if (offer == OFFER_NOT_LAST)
    tls13_extensions_add_psk_modes (&ch.extensions, modes, 1);
  tls_writer_init (&w, NULL);
  tls_handshake_begin (&w, TLS_HS_CLIENT_HELLO, &m);
  tls_client_hello_write (&w, &ch);
  tls_handshake_end (&w, &m);
  msg = tls_writer_steal (&w);
  tls_client_hello_clear (&ch);
  len = g_bytes_get_size (msg);
  g_byte_array_append (rec, (const guint8[]) { 22, 3, 1, len >> 8, len & 0xff }, 5);
  g_byte_array_append (rec, g_bytes_get_data (msg, NULL), len);

  tls_config_init (&cfg, TLS_ACTOR_SERVER);
  cfg.min_version = cfg.max_version = TLS_VERSION_1_3;
  cfg.chain = tls_certificate_list_from_file (chain_path, &error);
  g_assert_no_error (error);
  cfg.key = tls_private_key_load_file (key_path, &error);
  g_assert_no_error (error);
  cfg.ticket_keys = keys;
  cfg.ticket_lifetime = 3600;
  cfg.rng = rng;
  server = tls_endpoint_new (&cfg, trace);
  tls_endpoint_set_time (server, 1780315200);
  tls_endpoint_feed (server, rec->data, rec->len);
  for (guint i = 0; i < 200 && tls_endpoint_step (server) == TLS_EP_PROGRESS; i++)
    ;
  *alert = tls_endpoint_status (server) == TLS_EP_FAILED ? tls_endpoint_alert (server) : 0;
  tls_endpoint_free (server);
  cfg.ticket_keys = NULL;
  tls_config_clear (&cfg);
  return trace;
}

static void
test_server_garbage_ticket (void)
{
  g_autoptr (TlsTrace) t = NULL;
  const TlsStep *s;
  int alert;

  g_test_summary ("RFC 8446, 4.2.11: a ticket our server cannot open is ignored (\"Any "
                  "unknown PSKs ... SHOULD simply be ignored\"): no alert, a full handshake with "
                  "its certificate, no binder checked");
  t = server_fed (OFFER_GARBAGE_TICKET, &alert);
  g_assert_cmpint (alert, ==, 0);
  s = tu_step (t, 0, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Resume with the PSK?");
  g_assert_nonnull (s);
  g_assert_cmpstr (s->choice, ==, "no PSK: a full handshake");
  g_assert_null (tu_step (t, 0, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "PSK binder verifies"));
  s = tu_step (t, 0, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello");
  g_assert_nonnull (s);
  g_assert_false (tu_has_extension (s, "pre_shared_key"));
  g_assert_nonnull (tu_step (t, 0, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "Certificate"));
  g_assert_nonnull (tu_step (t, 0, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "CertificateVerify"));
}

static void
test_server_not_last (void)
{
  g_autoptr (TlsTrace) t = NULL;
  int alert;

  g_test_summary ("RFC 8446, 4.2.11: pre_shared_key that is not the last extension of the "
                  "ClientHello gets illegal_parameter");
  t = server_fed (OFFER_NOT_LAST, &alert);
  g_assert_cmpint (alert, ==, TLS_ALERT_ILLEGAL_PARAMETER);
  g_assert_null (tu_step (t, 0, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello"));
}

static void
test_server_no_modes (void)
{
  g_autoptr (TlsTrace) t = NULL;
  int alert;

  g_test_summary ("RFC 8446, 4.2.9: pre_shared_key without psk_key_exchange_modes: the server "
                  "aborts the handshake (missing_extension)");
  t = server_fed (OFFER_NO_MODES, &alert);
  g_assert_cmpint (alert, ==, TLS_ALERT_MISSING_EXTENSION);
  g_assert_null (tu_step (t, 0, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello"));
}

static void
test_client_bad_selected_identity (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-resumption");
  g_autoptr (GError) error = NULL;
  TlsConductor *c;
  const TlsStep *s;

  g_test_summary ("RFC 8446, 4.2.11: a selected_identity outside the client's list gets "
                  "illegal_parameter from the client");
  g_assert_true (tls_scenario_add_attack (sc, "tamper:ServerHello#2.selected_identity=0x0001",
                                          &error));
  g_assert_no_error (error);
  c = tu_run (sc);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_ILLEGAL_PARAMETER);
  s = tu_step (tls_conductor_get_trace (c), 1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT,
               "ServerHello acceptable");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
  g_assert_nonnull (strstr (s->reason, "identity 1"));
  tls_conductor_free (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls13-psk/resumption", test_resumption);
  g_test_add_func ("/tls13-psk/psk-ke", test_psk_ke);
  g_test_add_func ("/tls13-psk/bad-binder", test_bad_binder);
  g_test_add_func ("/tls13-psk/unknown-ticket", test_unknown_ticket);
  g_test_add_func ("/tls13-psk/keylog", test_keylog);
  g_test_add_func ("/tls13-psk/server/garbage-ticket", test_server_garbage_ticket);
  g_test_add_func ("/tls13-psk/server/not-last", test_server_not_last);
  g_test_add_func ("/tls13-psk/server/no-modes", test_server_no_modes);
  g_test_add_func ("/tls13-psk/client/bad-selected-identity", test_client_bad_selected_identity);
  return g_test_run ();
}
