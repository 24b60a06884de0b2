/* test-cli-compare.c — `handshake-lab compare A B`: the text printed for
 * each pair (RSA against ECDHE, full against resumed, TLS 1.0 against 1.2,
 * a run against itself, its saved JSON and its capture, a tampered run
 * against the original), exit codes and usage errors.  The program's path
 * comes in $HANDSHAKE_LAB. */
#include <string.h>
#include <glib/gstdio.h>

#include "interop-peers.h"

static const char *program;

#define run_lab(r, ...) iop_run_program ((r), program, IOP_TIMEOUT_MS, __VA_ARGS__)

static void
assert_has (const IopResult *r, const char *text)
{
  if (strstr (r->output, text) == NULL)
    g_test_message ("no “%s” in:\n%s", text, r->output);
  g_assert_nonnull (strstr (r->output, text));
}

static void
test_rsa_ecdhe (void)
{
  IopResult r;

  g_test_summary ("full against ecdhe-rsa: the ServerKeyExchange on the right only, the "
                  "ServerHello's cipher_suite with both values");
  run_lab (&r, "compare", "full", "ecdhe-rsa", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "# left: full\n# right: ecdhe-rsa\n");
  assert_has (&r, "# 71 rows: 40 the same, 22 differing, 1 left only, 8 right only\n");
  assert_has (&r, "\n                                               > [10] server → client ServerKeyExchange\n");
  assert_has (&r, "  [5] server → client ServerHello              ≠ [5] server → client ServerHello\n");
  assert_has (&r, "      ≠ cipher_suite: TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009C) | TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F)\n");
  assert_has (&r, "  [6] server → client Certificate              = [6] server → client Certificate\n");
  iop_result_clear (&r);

  run_lab (&r, "compare", "--detail", "lesson", "full", "ecdhe-rsa", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "> [10] server → client ServerKeyExchange\n");
  assert_has (&r, "      differs: length, pre_master_secret, ecdh_Yc, wire, input pre_master_secret, "
                  "input server public key, … (7 in all)\n");
  g_assert_null (strstr (r.output, "Trust anchor"));
  iop_result_clear (&r);
}

static void
test_full_resumed (void)
{
  IopResult r;

  g_test_summary ("resumption#1 against resumption#2: the Certificate on the left only, the "
                  "server's Finished first on the right, the session ID and the decision differ");
  run_lab (&r, "compare", "resumption#1", "resumption#2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "── first divergence ──\n  [1] client → server ClientHello              ≠ [64] client → server ClientHello\n");
  assert_has (&r, "      ≠ session_id/length: 0 | 32\n");
  assert_has (&r, "      ≠ choice: full handshake | resume session 5c326fd0a237d0c8… by session ID (abbreviated handshake)\n");
  assert_has (&r, "  [6] server → client Certificate              < \n");
  assert_has (&r, "                                               > [71] server → client Finished\n");
  g_assert_null (strstr (r.output, "── connection"));
  iop_result_clear (&r);
  /* --connection picks the same connection on both sides */
  run_lab (&r, "compare", "--connection", "2", "resumption", "resumption", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "# the two runs are the same\n");
  iop_result_clear (&r);
}

static void
test_versions (void)
{
  IopResult r;

  g_test_summary ("tls10 against full: the same messages, the versions differ");
  run_lab (&r, "compare", "tls10", "full", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "0 left only, 0 right only\n");
  assert_has (&r, "      ≠ server_version: TLS 1.0 (0x0301) | TLS 1.2 (0x0303)\n");
  iop_result_clear (&r);
}

static void
test_tls12_tls13 (void)
{
  IopResult r;

  g_test_summary ("classic against tls13: what changed, measured on the two runs, each line "
                  "“TLS 1.2: X | TLS 1.3: Y — why (RFC 8446 §N)”; the ladders by sender and "
                  "message with their flights, ClientKeyExchange of 1.2 only with its reason");
  run_lab (&r, "compare", "--detail", "lesson", "classic", "tls13", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "── TLS 1.2 (left) against TLS 1.3 (right), measured on the two runs ──\n");
  assert_has (&r, "• Round trips before the client sends application data\n"
                  "  TLS 1.2: 2 round trips (4 flights); the client's first Application Data [60] | "
                  "TLS 1.3: 1 round trip (3 flights); the client's first Application Data [");
  assert_has (&r, "• The server's certificate\n  TLS 1.2: Certificate [6] in flight 2, in the clear | "
                  "TLS 1.3: Certificate [");
  assert_has (&r, "in flight 2, encrypted — in TLS 1.3 the Certificate follows EncryptedExtensions");
  assert_has (&r, "(RFC 8446 §1.2; RFC 8446 §2)\n");
  assert_has (&r, "  TLS 1.2: RSA key transport: the premaster secret encrypted to the certificate's "
                  "key in ClientKeyExchange [45]; no forward secrecy | TLS 1.3: (EC)DHE x25519: ");
  assert_has (&r, "  TLS 1.2: AES-128-CBC with HMAC-SHA1, MAC then encrypt (TLS_RSA_WITH_AES_128_CBC_SHA) | "
                  "TLS 1.3: AES-128-GCM, an AEAD (TLS_AES_128_GCM_SHA256) — ");
  assert_has (&r, "  TLS 1.2: connection 2: 1 round trip (3 flights), no Certificate | ");
  /* the ladders: messages only, by sender, with the flights */
  assert_has (&r, "  F1 [1] client → server ClientHello           ≠ F1 [1] client → server ClientHello\n");
  assert_has (&r, "  F3 [45] client → server ClientKeyExchange    < \n"
                  "      why: TLS 1.3 has no ClientKeyExchange: the client's share travels in "
                  "ClientHello's key_share (RFC 8446 §2; RFC 8446 §4.2.8)\n");
  assert_has (&r, "  F2 [6] server → client Certificate           ≠ F2 [");
  assert_has (&r, "> F2 [");   /* the 1.3 server's first flight, right only */
  g_assert_null (strstr (r.output, "master_secret"));
  iop_result_clear (&r);

  /* the other way round */
  run_lab (&r, "compare", "tls13", "full", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "── TLS 1.3 (left) against TLS 1.2 (right), measured on the two runs ──\n");
  assert_has (&r, "  TLS 1.3: 1 round trip (3 flights)");
  assert_has (&r, " | TLS 1.2: AES-128-GCM, an AEAD (TLS_RSA_WITH_AES_128_GCM_SHA256) — ");
  iop_result_clear (&r);

  /* TLS 1.0 against 1.2: no such summary */
  run_lab (&r, "compare", "tls10", "full", NULL);
  g_assert_null (strstr (r.output, "measured on the two runs"));
  iop_result_clear (&r);
}

static void
test_same (void)
{
  g_autofree char *dir = g_dir_make_tmp ("compare-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (dir, "run.json", NULL);
  g_autofree char *pcap = g_build_filename (dir, "run.pcapng", NULL);
  IopResult r;

  g_test_summary ("A run against itself, its saved JSON, and a capture against itself: the same");
  run_lab (&r, "compare", "full", "full", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "63 the same, 0 differing, 0 left only, 0 right only\n");
  assert_has (&r, "# the two runs are the same\n");
  g_assert_null (strstr (r.output, "≠"));
  iop_result_clear (&r);

  run_lab (&r, "run", "--scenario", "full", "--quiet", "--trace-json", json, "--pcapng", pcap, NULL);
  g_assert_cmpint (r.status, ==, 0);
  iop_result_clear (&r);
  run_lab (&r, "compare", json, "full", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "# the two runs are the same\n");
  iop_result_clear (&r);
  run_lab (&r, "compare", pcap, pcap, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "# the two runs are the same\n");
  assert_has (&r, "ClientKeyExchange");
  iop_result_clear (&r);
  /* a capture against the run it recorded: the messages align, the
   * observing side's work differs */
  run_lab (&r, "compare", pcap, "full", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_has (&r, "client → server ClientHello              = [1] client → server ClientHello\n");
  iop_result_clear (&r);
  g_remove (json);
  g_remove (pcap);
  g_rmdir (dir);
}

static void
test_tampered (void)
{
  IopResult r;

  g_test_summary ("full against bad-finished: diverges at the client's Finished, the right run's "
                  "first alert is decrypt_error with its reason; exit 1");
  run_lab (&r, "compare", "full", "bad-finished", NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_has (&r, "── first divergence ──\n  [50] client → server Finished                ≠ [50] client → server Finished\n"
                  "      ≠ verify_data: ");
  assert_has (&r, "      ≠ result: passed | failed\n");
  /* the server's alerts face each other: its answer to the client's
   * close_notify on the left, decrypt_error on the right */
  assert_has (&r, "  [63] server → client Alert: close_notify     ≠ [55] server → client Alert: decrypt_error\n");
  assert_has (&r, "      ! right's first alert: server fatal decrypt_error (51): the peer's Finished verify_data is wrong\n");
  assert_has (&r, "      ! left's first alert: client warning close_notify (0)");
  g_assert_nonnull (strstr (r.errors, "right (bad-finished): handshake failed with alert decrypt_error (51)"));
  /* before the divergence every row is the same */
  {
    const char *div = strstr (r.output, "── first divergence ──");
    g_autofree char *before = g_strndup (r.output, div - r.output);
    g_assert_null (strstr (before, "≠"));
    g_assert_null (strstr (before, " < "));
  }
  iop_result_clear (&r);
}

static void
test_usage (void)
{
  IopResult r;

  g_test_summary ("Usage errors exit 2 and name the problem");
  run_lab (&r, "compare", "full", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.errors, "two runs"));
  iop_result_clear (&r);
  run_lab (&r, "compare", "full", "no-such-scenario", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.errors, "unknown scenario “no-such-scenario”"));
  iop_result_clear (&r);
  run_lab (&r, "compare", "full", "resumption#3", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.errors, "“resumption” has no connection 3"));
  iop_result_clear (&r);
  run_lab (&r, "compare", "--detail", "some", "full", "full", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.errors, "--detail"));
  iop_result_clear (&r);
  run_lab (&r, "compare", "full", "/nonexistent/x.json", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.errors, "/nonexistent/x.json"));
  iop_result_clear (&r);
  run_lab (&r, "compare", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "--connection"));
  iop_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  program = g_getenv ("HANDSHAKE_LAB");
  if (program == NULL)
    {
      g_printerr ("HANDSHAKE_LAB is not set\n");
      return 77;
    }
  g_test_add_func ("/compare/rsa-ecdhe", test_rsa_ecdhe);
  g_test_add_func ("/compare/full-resumed", test_full_resumed);
  g_test_add_func ("/compare/versions", test_versions);
  g_test_add_func ("/compare/tls12-tls13", test_tls12_tls13);
  g_test_add_func ("/compare/same", test_same);
  g_test_add_func ("/compare/tampered", test_tampered);
  g_test_add_func ("/compare/usage", test_usage);
  return g_test_run ();
}
