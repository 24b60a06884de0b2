/* test-trace-text.c — the annotated text printer: the lines a student
 * reads on the command line. */
#include "tls-trace-text.h"
#include "trace-sample.h"

#include <string.h>

/* The line of TEXT that starts with PREFIX (after leading spaces when
 * TRIM), or NULL. */
static char *
find_line (const char *text, const char *prefix, gboolean trim)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      if (trim)
        while (*l == ' ')
          l++;
      if (g_str_has_prefix (l, prefix))
        return g_strdup (lines[i]);
    }
  return NULL;
}

static void
assert_has_line (const char *text, const char *line)
{
  g_autofree char *found = find_line (text, line, TRUE);

  if (found == NULL)
    g_error ("no line starting with “%s” in:\n%s", line, text);
}

static char *
sample_text (TlsTextFlags flags)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  return tls_trace_to_text (trace, flags);
}

static void
test_headers (void)
{
  g_autofree char *text = sample_text (TLS_TEXT_NONE);

  g_test_summary ("Each step starts with its header line: number, actor(s), title, kind, RFC");
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\n[1] client → server  ClientHello  (message, RFC 5246 §7.4.1.2)\n"));
  g_assert_nonnull (strstr (text, "\n[2] client  Server certificate signature  (check, RFC 5280 §6.1.3)\n"));
  g_assert_nonnull (strstr (text, "\n[4] client  master_secret  (derivation, RFC 5246 §8.1)\n"));
  g_assert_nonnull (strstr (text, "\n[5] server  Session resumption  (decision, RFC 5246 §7.4.1.3)\n"));
  g_assert_nonnull (strstr (text, "\n[6] client  Host name  (check)\n"));
  g_assert_nonnull (strstr (text, "\n[7] server → client  Alert  (alert, RFC 5246 §7.2.2)\n"));
  g_assert_nonnull (strstr (text, "\n[8] client → server  Application data  (application data, observed)\n"));
  /* the run, and the connection headings */
  g_assert_true (g_str_has_prefix (text, "# scenario full, seed 42, clock 2026-06-01T12:00:00Z\n"));
  g_assert_nonnull (strstr (text, "── connection 1 ──\n\n[1]"));
  g_assert_nonnull (strstr (text, "── connection 2 ──\n\n[8]"));
  g_assert_null (strchr (text, '\033'));
}

static void
test_fields (void)
{
  g_autofree char *text = sample_text (TLS_TEXT_NONE);
  g_autofree char *line = NULL;
  g_autofree char *random_hex = NULL;
  guint8 random[32];

  g_test_summary ("Message fields show offset, length, name, value and the hex of each leaf");
  assert_has_line (text, "off   len  field");
  /* a short leaf: hex on its line */
  line = find_line (text, "        4     2      client_version: TLS 1.2 (0x0303)", FALSE);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_suffix (line, "  0303"));
  g_assert_nonnull (strstr (line, "— the highest version the client supports"));
  g_clear_pointer (&line, g_free);
  line = find_line (text, "        0     1    msg_type: client_hello (1)", FALSE);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_suffix (line, " 01"));
  g_clear_pointer (&line, g_free);

  /* a 32-byte leaf: its hex on the next line, the value not repeated */
  for (guint i = 0; i < sizeof random; i++)
    random[i] = (guint8) (0xa0 + i);
  random_hex = tls_hex (random, sizeof random);
  line = find_line (text, "        6    32      random", FALSE);
  g_assert_nonnull (line);
  g_assert_cmpstr (line, ==, "        6    32      random");
  g_assert_nonnull (strstr (text, "      random\n                       a0a1a2a3"));
  assert_has_line (text, random_hex);

  /* containers and vector lengths */
  assert_has_line (text, "1    46    body: 43 bytes");
  assert_has_line (text, "39     8      cipher_suites: 6 bytes");
  assert_has_line (text, "39     2        length: 6");
}

static void
test_long_hex (void)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) full = g_string_new (NULL);
  TlsStep *s = tls_trace_get (trace, 2);
  guint8 big[300];
  TlsStep *b;
  g_auto (GStrv) lines = NULL;
  guint hex_lines = 0;

  g_test_summary ("Long values wrap at 32 bytes a line, at most 4 lines unless FULL_HEX");
  tls_trace_print_step (out, s, TLS_TEXT_NONE);
  g_test_message ("%s", out->str);
  /* the 70-byte EncryptedPreMasterSecret: 32 + 32 + 6 bytes */
  lines = g_strsplit (out->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "data") != NULL)
      {
        g_assert_cmpuint (strlen (g_strstrip (lines[i + 1])), ==, 64);
        g_assert_cmpuint (strlen (g_strstrip (lines[i + 2])), ==, 64);
        g_assert_cmpuint (strlen (g_strstrip (lines[i + 3])), ==, 12);
        hex_lines = 3;
        break;
      }
  g_assert_cmpuint (hex_lines, ==, 3);
  /* the container's hex preview is cut short */
  assert_has_line (out->str, "0    76  ClientKeyExchange");
  assert_has_line (out->str, "4    72      EncryptedPreMasterSecret: 03");
  assert_has_line (out->str, "4    72      EncryptedPreMasterSecret: 030a11181f262d34…");

  /* 300 bytes: 4 lines and a count, or everything */
  for (guint i = 0; i < sizeof big; i++)
    big[i] = (guint8) i;
  b = tls_trace_add (trace, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "Certificate");
  {
    g_autoptr (GBytes) bytes = g_bytes_new (big, sizeof big);
    TlsField *root = tls_field_new ("Certificate", 0, sizeof big);
    tls_field_add (root, "certificate", 0, sizeof big);
    tls_step_set_message (b, bytes, root);
  }
  g_string_truncate (out, 0);
  tls_trace_print_step (out, b, TLS_TEXT_NONE);
  g_assert_nonnull (strstr (out->str, "… 300 bytes in all"));
  g_assert_null (strstr (out->str, "c8c9cacb"));   /* bytes 200..203 */
  tls_trace_print_step (full, b, TLS_TEXT_FULL_HEX);
  g_assert_null (strstr (full->str, "bytes in all"));
  g_assert_nonnull (strstr (full->str, "c8c9cacb"));
}

static void
test_wire (void)
{
  g_autofree char *text = sample_text (TLS_TEXT_NONE);

  g_test_summary ("The record on the wire follows the message, marked encrypted when protected");
  assert_has_line (text, "on the wire: 1 record, 52 bytes");
  assert_has_line (text, "on the wire: 1 record, 81 bytes, encrypted");
  assert_has_line (text, "0     1    type: handshake (22)");
  assert_has_line (text, "5    76    encrypted fragment");
  assert_has_line (text, "data: \"GET / HTTP/1.0\\r\\n\\r\\n\"");
}

static void
test_derivation (void)
{
  g_autofree char *text = sample_text (TLS_TEXT_NONE);
  g_autofree char *line = NULL;

  g_test_summary ("A derivation shows its formula, inputs with the step they came from, and outputs");
  assert_has_line (text, "formula: PRF(pre_master_secret, \"master secret\", "
                         "ClientHello.random + ServerHello.random)[0..47]");
  line = find_line (text, "in   pre_master_secret = 030a11181f", TRUE);
  g_assert_nonnull (line);
  /* 48 bytes: 32 on the first line, the rest and the note below */
  g_clear_pointer (&line, g_free);
  line = find_line (text, "in   client_random = a0a1a2a3", TRUE);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_suffix (line, "(from step 1: ClientHello.random)"));
  g_assert_nonnull (strstr (text, "  (from step 3: decrypted from ClientKeyExchange)\n"));
  assert_has_line (text, "in   label = \"master secret\"  (fixed by the RFC)");
  assert_has_line (text, "in   empty = (empty)");
  assert_has_line (text, "out  master_secret = fffefdfcfbfaf9f8");
  g_assert_nonnull (strstr (text, "  (feeds the key block)\n"));
}

static void
test_check_decision_alert (void)
{
  g_autofree char *text = sample_text (TLS_TEXT_NONE);

  g_test_summary ("Checks show their result and reason; decisions their options and choice; "
                  "alerts their level and description");
  assert_has_line (text, "subject: server.handshake-lab.test (leaf)");
  assert_has_line (text, "against: Handshake Lab Intermediate CA");
  assert_has_line (text, "result: PASSED — sha256WithRSAEncryption signature verifies");
  assert_has_line (text, "result: FAILED — no DNS name or IP address matches “localhost”");
  assert_has_line (text, "result: NOT CHECKED — chain validation is not implemented yet");

  assert_has_line (text, "options:");
  assert_has_line (text, "- resume session 5a3c (cache hit)");
  assert_has_line (text, "* new session (full handshake)");
  assert_has_line (text, "choice: new session (full handshake)");
  assert_has_line (text, "reason: the client sent an empty session ID");
  assert_has_line (text, "with session_id = \"(empty)\"  (from step 1: ClientHello.session_id)");

  assert_has_line (text, "alert: fatal (2), decode_error (50)");
  assert_has_line (text, "reason: ClientHello too short: cipher_suites ends past the message");
}

static void
test_explanation (void)
{
  g_autofree char *text = sample_text (TLS_TEXT_NONE);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_why = FALSE;
  guint why_lines = 0;

  g_test_summary ("The explanation is wrapped at 78 columns and ends with its RFC section");
  assert_has_line (text, "Why: The client opens the handshake:");
  g_assert_nonnull (strstr (text, "most preferred first. (RFC 5246 §7.4.1.2)\n"));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "    Why: "))
        in_why = TRUE;
      else if (!g_str_has_prefix (lines[i], "    ") || lines[i][4] == ' ')
        in_why = FALSE;
      if (in_why)
        {
          why_lines++;
          g_assert_cmpuint (g_utf8_strlen (lines[i], -1), <=, 78);
        }
    }
  g_assert_cmpuint (why_lines, >, 6);
}

static void
test_brief (void)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  g_autofree char *text = tls_trace_to_text (trace, TLS_TEXT_BRIEF);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint steps = 0;

  g_test_summary ("BRIEF prints one line per step");
  g_test_message ("%s", text);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    if (lines[i][0] == '[')
      steps++;
    else
      g_assert_true (lines[i][0] == '#' || g_str_has_prefix (lines[i], "──"));
  g_assert_cmpuint (steps, ==, tls_trace_len (trace));
  g_assert_cmpuint (g_strv_length (lines), ==, tls_trace_len (trace) + 1 + 2 + 1);
  assert_has_line (text, "[1] client → server  ClientHello  (message, RFC 5246 §7.4.1.2)  47 bytes");
  assert_has_line (text, "[3] client → server  ClientKeyExchange  (message, RFC 5246 §7.4.7)  76 bytes, encrypted");
  assert_has_line (text, "[4] client  master_secret  (derivation, RFC 5246 §8.1)  → master_secret");
  assert_has_line (text, "[6] client  Host name  (check)  FAILED");
  assert_has_line (text, "[5] server  Session resumption  (decision, RFC 5246 §7.4.1.3)  → new session");
  assert_has_line (text, "[7] server → client  Alert  (alert, RFC 5246 §7.2.2)  fatal (2), decode_error (50)");
}

static void
test_color (void)
{
  g_autofree char *text = sample_text (TLS_TEXT_COLOR);

  g_test_summary ("COLOR adds ANSI colours: failures red, passes green");
  g_assert_nonnull (strstr (text, "\033[1;31mFAILED\033[0m"));
  g_assert_nonnull (strstr (text, "\033[32mPASSED\033[0m"));
  g_assert_nonnull (strstr (text, "\033[36mclient\033[0m → \033[35mserver\033[0m"));
}

static void
test_summary (void)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  g_autoptr (TlsTrace) plain = tls_trace_new ();
  g_autofree char *l0 = tls_trace_summary_line (trace, 0);
  g_autofree char *l1 = tls_trace_summary_line (trace, 1);
  g_autofree char *l5 = tls_trace_summary_line (trace, 5);
  g_autofree char *p0 = NULL;

  g_test_summary ("The --quiet line comes from the connection's meta keys");
  g_assert_cmpstr (l0, ==, "TLS 1.2  TLS_RSA_WITH_AES_128_GCM_SHA256  new session  completed");
  g_assert_cmpstr (l1, ==, "TLS 1.2  TLS_RSA_WITH_AES_128_GCM_SHA256  resumed  "
                           "alert: decode_error (ClientHello too short)");
  /* Issue 10: a handshake that failed early says so, never "? ?". */
  g_assert_cmpstr (l5, ==, "no version or cipher suite agreed  failed before the ServerHello");

  tls_trace_set_meta (plain, "version", "TLS 1.0");
  tls_trace_set_meta (plain, "suite", "TLS_RSA_WITH_AES_128_CBC_SHA");
  tls_trace_set_meta (plain, "resumed", "no");
  tls_trace_set_meta (plain, "result", "completed");
  p0 = tls_trace_summary_line (plain, 0);
  g_assert_cmpstr (p0, ==, "TLS 1.0  TLS_RSA_WITH_AES_128_CBC_SHA  new session  completed");
}

static void
test_odd_steps (void)
{
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *text = NULL;
  TlsStep *s;

  g_test_summary ("Empty steps and field spans past the bytes print without crashing");
  s = tls_trace_add (trace, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, NULL);
  s = tls_trace_add (trace, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "Broken");
  {
    const guint8 two[] = { 1, 2 };
    g_autoptr (GBytes) b = g_bytes_new (two, 2);
    TlsField *root = tls_field_new ("Broken", 0, 2);
    tls_field_add (root, "past the end", 1, 5);
    tls_step_set_message (s, b, root);
    tls_step_set_wire (s, b, NULL, FALSE);
  }
  tls_trace_add (trace, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, "nothing");
  tls_trace_add (trace, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "nothing");
  tls_trace_add (trace, TLS_STEP_DECISION, TLS_ACTOR_CLIENT, "nothing");
  tls_trace_add (trace, TLS_STEP_ALERT, TLS_ACTOR_CLIENT, "nothing");
  tls_trace_add (trace, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "nothing");
  text = tls_trace_to_text (trace, TLS_TEXT_NONE);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "[1] server → client  ?  (message)\n"));
  assert_has_line (text, "1     5    past the end  (span outside the bytes)");
  assert_has_line (text, "on the wire: 2 bytes");
  assert_has_line (text, "0102");
  assert_has_line (text, "result: NOT CHECKED");
  tls_trace_print_step (out, tls_trace_get (trace, 0), TLS_TEXT_BRIEF | TLS_TEXT_COLOR | TLS_TEXT_FULL_HEX);
  g_assert_true (g_str_has_suffix (out->str, "\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/trace-text/headers", test_headers);
  g_test_add_func ("/trace-text/fields", test_fields);
  g_test_add_func ("/trace-text/long-hex", test_long_hex);
  g_test_add_func ("/trace-text/wire", test_wire);
  g_test_add_func ("/trace-text/derivation", test_derivation);
  g_test_add_func ("/trace-text/check-decision-alert", test_check_decision_alert);
  g_test_add_func ("/trace-text/explanation", test_explanation);
  g_test_add_func ("/trace-text/brief", test_brief);
  g_test_add_func ("/trace-text/color", test_color);
  g_test_add_func ("/trace-text/summary", test_summary);
  g_test_add_func ("/trace-text/odd-steps", test_odd_steps);
  return g_test_run ();
}
