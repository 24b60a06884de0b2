/* test-tls13-hrr.c — the HelloRetryRequest of RFC 8446, 4.1.4 between our
 * TLS 1.3 client and server (scenario tls13-hrr: the client's key share is
 * x25519, the server accepts only secp256r1):
 * - the retry happens and the handshake completes, application data flows;
 * - the HelloRetryRequest's random is the RFC's constant, which is
 *   SHA-256("HelloRetryRequest") (computed here with Nettle);
 * - message_hash on both sides is 254 || 00 00 32 || SHA-256(ClientHello1),
 *   and the first transcript hash after it covers message_hash,
 *   HelloRetryRequest, ClientHello2 and ServerHello (4.4.1), recomputed here;
 * - the alerts (the attacker rewrites the HelloRetryRequest): a group
 *   already shared or not offered (4.2.8, illegal_parameter), no change
 *   asked for or a suite not offered (4.1.4, illegal_parameter), an
 *   extension not offered (4.2, unsupported_extension), a second
 *   HelloRetryRequest (4.1.4, unexpected_message); a second ClientHello
 *   without a share for the selected group (4.1.2, illegal_parameter from
 *   our server); a cookie in the HelloRetryRequest copied back (4.2.2);
 * - our own pcapng of the run opens in the capture layer, the retry and
 *   message_hash included, both Finished verified. */
#include "tls-conductor.h"
#include "tls-scenario.h"
#include "tls-alert.h"
#include "tls-bytes.h"
#include "tls-trace-pcapng.h"
#include "tls13-key-schedule.h"
#include "tls-capture.h"
#include "test-util.h"

#include <nettle/sha2.h>
#include <string.h>

/* RFC 8446, 4.1.3, the random of a HelloRetryRequest, as the RFC prints it. */
static const char rfc_hrr_random[] =
  "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c";

static void
sha256 (const guint8 *data, gsize len, guint8 out[32])
{
  struct sha256_ctx ctx;

  sha256_init (&ctx);
  sha256_update (&ctx, len, data);
  sha256_digest (&ctx, 32, out);
}

static TlsConductor *
run (const char *tamper, const char *attack)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls13-hrr");

  g_assert_nonnull (sc);
  if (tamper)
    sc->tamper = g_strdup (tamper);
  if (attack)
    g_assert_true (tls_scenario_add_attack (sc, attack, NULL));
  return tu_run (sc);
}

/* 254 || 00 00 32 || SHA-256(CH1) */
static GBytes *
expected_message_hash (GBytes *ch1)
{
  guint8 m[36] = { 254, 0, 0, 32 };

  sha256 (g_bytes_get_data (ch1, NULL), g_bytes_get_size (ch1), m + 4);
  return g_bytes_new (m, sizeof m);
}

static void
test_handshake (void)
{
  TlsConductor *c = run (NULL, NULL);
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *ch1, *hrr, *ch2, *sh, *s;
  const TlsField *f;
  guint8 want[32], th[32];
  g_autofree char *random = NULL;
  g_autoptr (GBytes) mh = NULL;
  g_autoptr (GByteArray) transcript = g_byte_array_new ();
  const char *constant = "HelloRetryRequest";

  g_test_summary ("RFC 8446, 4.1.4: the server asks for a secp256r1 share with a "
                  "HelloRetryRequest whose random is SHA-256(\"HelloRetryRequest\"); both sides "
                  "replace ClientHello1 by message_hash (4.4.1); the handshake completes");
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);

  s = tu_step_nth (t, -1, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Key share group", 0);
  g_assert_cmpstr (s->choice, ==, "HelloRetryRequest for secp256r1");

  /* The random: the RFC's bytes, and SHA-256 of the 17 ASCII bytes. */
  hrr = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "HelloRetryRequest", 0);
  g_assert_nonnull (hrr);
  g_assert_cmpint (hrr->handshake_type, ==, 2);   /* server_hello */
  f = tls_field_find (hrr->fields, "random");
  random = tls_hex ((const guint8 *) g_bytes_get_data (hrr->bytes, NULL) + f->offset, 32);
  g_assert_cmpstr (random, ==, rfc_hrr_random);
  sha256 ((const guint8 *) constant, strlen (constant), want);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (hrr->bytes, NULL) + f->offset, 32, want, 32);
  g_assert_null (tu_step_nth (t, -1, TLS_STEP_MESSAGE, -1, "HelloRetryRequest", 1));

  /* Two ClientHellos, the second with one share, for secp256r1 (23). */
  ch1 = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello", 0);
  ch2 = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello", 1);
  sh = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello", 0);
  g_assert_nonnull (ch2);
  g_assert_true (ch1->index < hrr->index && hrr->index < ch2->index && ch2->index < sh->index);
  f = tls_field_find (ch2->fields, "client_shares");
  g_assert_cmpuint (tls_field_n_children (f), ==, 2);   /* its length, one entry */
  f = tls_field_find (tls_field_child (f, 1), "group");
  g_assert_true (g_str_has_prefix (f->value, "secp256r1"));
  f = tls_field_find (tls_field_find (ch1->fields, "KeyShareEntry"), "group");
  g_assert_true (g_str_has_prefix (f->value, "x25519"));
  s = tu_step_nth (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "HelloRetryRequest acceptable", 0);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  s = tu_step_nth (t, -1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "Second ClientHello", 0);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);

  /* message_hash, on each side, against SHA-256 of ClientHello1's bytes. */
  mh = expected_message_hash (ch1->bytes);
  for (int actor = TLS_ACTOR_CLIENT; actor <= TLS_ACTOR_SERVER; actor++)
    {
      s = tu_step_nth (t, -1, TLS_STEP_DERIVATION, actor, TLS13_STEP_TITLE_MESSAGE_HASH, 0);
      g_assert_nonnull (s);
      g_assert_true (g_bytes_equal (tu_output (s, "message_hash"), mh));
      g_assert_cmpint (tls_step_find_value (s, "ClientHello1")->from_step, ==, (int) ch1->index);
    }

  /* The first transcript hash after the retry: message_hash,
   * HelloRetryRequest, ClientHello2, ServerHello. */
  g_byte_array_append (transcript, g_bytes_get_data (mh, NULL), 36);
  g_byte_array_append (transcript, g_bytes_get_data (hrr->bytes, NULL), g_bytes_get_size (hrr->bytes));
  g_byte_array_append (transcript, g_bytes_get_data (ch2->bytes, NULL), g_bytes_get_size (ch2->bytes));
  g_byte_array_append (transcript, g_bytes_get_data (sh->bytes, NULL), g_bytes_get_size (sh->bytes));
  sha256 (transcript->data, transcript->len, th);
  for (int actor = TLS_ACTOR_CLIENT; actor <= TLS_ACTOR_SERVER; actor++)
    {
      s = tu_step_nth (t, -1, TLS_STEP_DERIVATION, actor, TLS13_STEP_TITLE_TRANSCRIPT_HASH, 0);
      g_assert_cmpmem (g_bytes_get_data (tu_output (s, "Transcript-Hash"), NULL), 32, th, 32);
    }

  /* Both Finished verified, application data both ways. */
  g_assert_cmpint (tu_step_nth (t, -1, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "Finished verify_data", 0)->result,
                   ==, TLS_CHECK_PASSED);
  g_assert_cmpint (tu_step_nth (t, -1, TLS_STEP_CHECK, TLS_ACTOR_SERVER, "Finished verify_data", 0)->result,
                   ==, TLS_CHECK_PASSED);
  g_assert_nonnull (tu_step_nth (t, -1, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "Application Data", 0));
  g_assert_nonnull (tu_step_nth (t, -1, TLS_STEP_APPDATA, TLS_ACTOR_SERVER, "Application Data", 0));
  /* One dummy ChangeCipherSpec from the server, after the retry (D.4). */
  s = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ChangeCipherSpec", 0);
  g_assert_true (s->index > hrr->index && s->index < ch2->index);
  g_assert_null (tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ChangeCipherSpec", 1));
  tls_conductor_free (c);
}

static void
check_alert (const char *tamper, const char *attack, TlsActor sender, int alert,
             const char *check_title, const char *reason)
{
  TlsConductor *c = run (tamper, attack);
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autofree char *title = g_strdup_printf ("Alert: %s", tls_alert_name (alert));
  const TlsStep *s;

  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
  g_assert_cmpint (tls_conductor_alert (c), ==, alert);
  s = tu_step_nth (t, -1, TLS_STEP_ALERT, sender, title, 0);
  g_assert_nonnull (s);
  g_assert_cmpint (s->alert_description, ==, alert);
  if (check_title)
    {
      s = tu_step_nth (t, -1, TLS_STEP_CHECK, sender, check_title, 0);
      g_assert_nonnull (s);
      g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
      g_assert_nonnull (strstr (s->reason, reason));
    }
  g_assert_null (tu_step_nth (t, -1, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "Application Data", 0));
  tls_conductor_free (c);
}

static void
test_already_shared (void)
{
  g_test_summary ("RFC 8446, 4.2.8: a HelloRetryRequest selecting x25519, for which the client "
                  "sent a share, gets illegal_parameter");
  check_alert (NULL, "tamper:server:ServerHello.selected_group=0x001d", TLS_ACTOR_CLIENT,
               TLS_ALERT_ILLEGAL_PARAMETER, "HelloRetryRequest acceptable",
               "selects x25519, for which the client already sent a key share");
}

static void
test_not_offered (void)
{
  g_test_summary ("RFC 8446, 4.2.8: a HelloRetryRequest selecting secp384r1, which the "
                  "client's supported_groups does not list, gets illegal_parameter");
  check_alert (NULL, "tamper:server:ServerHello.selected_group=0x0018", TLS_ACTOR_CLIENT,
               TLS_ALERT_ILLEGAL_PARAMETER, "HelloRetryRequest acceptable",
               "selects secp384r1, which the client's supported_groups does not list");
}

static void
test_second_hrr (void)
{
  g_test_summary ("RFC 8446, 4.1.4: a second HelloRetryRequest (the first one replayed) gets "
                  "unexpected_message");
  check_alert (NULL, "replay:server:ServerHello", TLS_ACTOR_CLIENT,
               TLS_ALERT_UNEXPECTED_MESSAGE, NULL, NULL);
}

static void
test_wrong_share (void)
{
  g_test_summary ("RFC 8446, 4.1.2: a second ClientHello whose share is not for the selected "
                  "group gets illegal_parameter from our server");
  check_alert ("client-hrr-same-share", NULL, TLS_ACTOR_SERVER, TLS_ALERT_ILLEGAL_PARAMETER,
               "Second ClientHello", "holds shares for x25519, not one share for secp256r1");
}

static void
test_no_change (void)
{
  g_test_summary ("RFC 8446, 4.1.4: a HelloRetryRequest that would not change the ClientHello "
                  "(supported_versions alone) gets illegal_parameter");
  check_alert (NULL, "tamper:server:ServerHello.extensions=002b00020304", TLS_ACTOR_CLIENT,
               TLS_ALERT_ILLEGAL_PARAMETER, "HelloRetryRequest acceptable",
               "asks for no change: it has neither key_share nor cookie");
}

static void
test_not_offered_extension (void)
{
  g_test_summary ("RFC 8446, 4.1.4 and 4.2: a HelloRetryRequest with an extension the client "
                  "did not offer (extended_master_secret) gets unsupported_extension");
  check_alert (NULL, "tamper:server:ServerHello.extensions=002b0002030400330002001700170000",
               TLS_ACTOR_CLIENT, TLS_ALERT_UNSUPPORTED_EXTENSION, "HelloRetryRequest acceptable",
               "carries the extension extended_master_secret (23), which the client did not offer");
}

static void
test_suite_not_offered (void)
{
  g_test_summary ("RFC 8446, 4.1.4 (as 4.1.3): a HelloRetryRequest naming a cipher suite the "
                  "client did not offer gets illegal_parameter");
  check_alert (NULL, "tamper:server:ServerHello.cipher_suite=0x1302", TLS_ACTOR_CLIENT,
               TLS_ALERT_ILLEGAL_PARAMETER, "HelloRetryRequest acceptable",
               "names the cipher suite 0x1302, which the client did not offer");
}

static void
test_cookie (void)
{
  TlsConductor *c;
  TlsTrace *t;
  const TlsField *f;

  g_test_summary ("RFC 8446, 4.2.2: the client copies a cookie of the HelloRetryRequest (put "
                  "there by the attacker) into its second ClientHello; our server, which sent "
                  "none, refuses that ClientHello with illegal_parameter");
  check_alert (NULL, "tamper:server:ServerHello.extensions=002b00020304003300020017002c00050003616263",
               TLS_ACTOR_SERVER, TLS_ALERT_ILLEGAL_PARAMETER, "Second ClientHello",
               "adds the extension cookie (44)");
  c = run (NULL, "tamper:server:ServerHello.extensions=002b00020304003300020017002c00050003616263");
  t = tls_conductor_get_trace (c);
  f = tls_field_find (tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello", 1)->fields, "cookie");
  g_assert_nonnull (f);
  g_assert_true (g_str_has_prefix (f->value, "616263"));
  g_assert_null (tls_field_find (tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello", 0)->fields,
                                 "cookie"));
  tls_conductor_free (c);
}

static void
test_capture (void)
{
  TlsConductor *c = run (NULL, NULL);
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (GBytes) file = tls_trace_to_pcapng (t);
  g_autoptr (TlsCapture) cap = tls_capture_open_bytes (g_bytes_get_data (file, NULL),
                                                       g_bytes_get_size (file), NULL);
  g_autoptr (TlsTrace) ct = NULL;
  g_autoptr (GBytes) mh = NULL;
  static const char *const order[] = {
    "ClientHello", "HelloRetryRequest", "ClientHello", "ServerHello", "EncryptedExtensions",
    "Certificate", "CertificateVerify", "Finished", "Finished",
  };
  guint k = 0;
  const TlsStep *s;

  g_test_summary ("Our pcapng of tls13-hrr (its secrets inside) opens: the HelloRetryRequest, "
                  "the message_hash of ClientHello1, both Finished verified, the data decrypted");
  g_assert_nonnull (cap);
  g_assert_cmpuint (tls_capture_n_connections (cap), ==, 1);
  ct = tls_capture_trace (cap, 1, NULL);
  g_assert_nonnull (ct);
  g_assert_cmpstr (tls_trace_get_meta (ct, "conn0.result"), ==, "completed");
  for (guint i = 0; i < tls_trace_len (ct) && k < G_N_ELEMENTS (order); i++)
    {
      s = tls_trace_get (ct, i);
      if (s->kind == TLS_STEP_MESSAGE && s->content_type == 22)
        g_assert_cmpstr (s->title, ==, order[k++]);
      if (s->kind == TLS_STEP_CHECK)
        g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
    }
  g_assert_cmpuint (k, ==, G_N_ELEMENTS (order));
  /* The random shown as the constant it is, in the engine and the capture. */
  s = tu_step_nth (ct, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "HelloRetryRequest", 0);
  g_assert_true (g_str_has_prefix (tls_field_find (s->fields, "random")->desc, "Not random: "));
  s = tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "HelloRetryRequest", 0);
  g_assert_true (g_str_has_prefix (tls_field_find (s->fields, "random")->desc, "Not random: "));
  mh = expected_message_hash (tu_step_nth (t, -1, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello", 0)->bytes);
  s = tu_step_nth (ct, -1, TLS_STEP_DERIVATION, -1, TLS13_STEP_TITLE_MESSAGE_HASH, 0);
  g_assert_nonnull (s);
  g_assert_true (g_bytes_equal (tu_output (s, "message_hash"), mh));
  /* both Finished checked (the capture titles them as the engine does) */
  for (guint n = 0; n < 2; n++)
    {
      s = tu_step_nth (ct, -1, TLS_STEP_CHECK, -1, "Finished verify_data", n);
      g_assert_nonnull (s);
      g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
    }
  s = tu_step_nth (ct, -1, TLS_STEP_CHECK, -1, "CertificateVerify signature", 0);
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  s = tu_step_nth (ct, -1, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "Application Data", 0);
  g_assert_nonnull (s);
  g_assert_true (g_bytes_equal (s->bytes, tu_step_nth (t, -1, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT,
                                                       "Application Data", 0)->bytes));
  tls_conductor_free (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls13-hrr/handshake", test_handshake);
  g_test_add_func ("/tls13-hrr/alert/already-shared", test_already_shared);
  g_test_add_func ("/tls13-hrr/alert/not-offered", test_not_offered);
  g_test_add_func ("/tls13-hrr/alert/second-hrr", test_second_hrr);
  g_test_add_func ("/tls13-hrr/alert/second-client-hello", test_wrong_share);
  g_test_add_func ("/tls13-hrr/alert/no-change", test_no_change);
  g_test_add_func ("/tls13-hrr/alert/extension-not-offered", test_not_offered_extension);
  g_test_add_func ("/tls13-hrr/alert/suite-not-offered", test_suite_not_offered);
  g_test_add_func ("/tls13-hrr/cookie", test_cookie);
  g_test_add_func ("/tls13-hrr/capture", test_capture);
  return g_test_run ();
}
