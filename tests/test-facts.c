/* test-facts.c — what a class reads is true (issue 10).
 *
 * - Cross-references come from the trace: a value marked "from step N"
 *   really is in step N (its message bytes, or an output of a derivation).
 * - Every RFC a step cites (its rfc, and any "RFC NNNN, X" inside its
 *   texts) is in data/citations.tsv, and every section of that table is a
 *   real section of the RFC (tests/data/rfc-sections/).
 * - A scenario's texts name only the mechanisms that scenario uses.
 * - The facts issue 10 found wrong stay right, scenario by scenario. */
#define _GNU_SOURCE
#include <string.h>

#include "test-util.h"
#include "tls-scenario.h"
#include "tls-trace.h"
#include "tls-trace-text.h"
#include "tls-trace-html.h"
#include "tls-trace-json.h"
#include "tls-handshake.h"
#include "tls-msg-server-hello.h"
#include "tls13-hello-fields.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsConductor, tls_conductor_free)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static gboolean
contains_bytes (GBytes *hay, GBytes *needle)
{
  gsize hl, nl;
  const guint8 *h, *n;

  if (hay == NULL || needle == NULL)
    return FALSE;
  h = g_bytes_get_data (hay, &hl);
  n = g_bytes_get_data (needle, &nl);
  return nl > 0 && hl >= nl && memmem (h, hl, n, nl) != NULL;
}

static gboolean
values_contain (GPtrArray *values, GBytes *needle)
{
  for (guint i = 0; values && i < values->len; i++)
    {
      TlsTraceValue *v = g_ptr_array_index (values, i);
      if (v->bytes && g_bytes_equal (v->bytes, needle))
        return TRUE;
    }
  return FALSE;
}

static gboolean
field_named (const TlsField *f, const char *name)
{
  if (f == NULL)
    return FALSE;
  if (g_strcmp0 (f->name, name) == 0)
    return TRUE;
  for (guint i = 0; i < tls_field_n_children (f); i++)
    if (field_named (tls_field_child (f, i), name))
      return TRUE;
  return FALSE;
}

static void
append_field_texts (GString *out, const TlsField *f)
{
  if (f == NULL)
    return;
  g_string_append_printf (out, "%s\n%s\n%s\n", f->name ? f->name : "", f->value ? f->value : "",
                          f->desc ? f->desc : "");
  for (guint i = 0; i < tls_field_n_children (f); i++)
    append_field_texts (out, tls_field_child (f, i));
}

static void
append_values (GString *out, GPtrArray *values)
{
  for (guint i = 0; values && i < values->len; i++)
    {
      TlsTraceValue *v = g_ptr_array_index (values, i);
      g_string_append_printf (out, "%s\n%s\n%s\n", v->name, v->text ? v->text : "",
                              v->note ? v->note : "");
    }
}

/* Everything a class reads of STEP, as one text. */
static char *
step_texts (const TlsStep *s)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n", s->title,
                          s->explanation ? s->explanation : "", s->rfc ? s->rfc : "",
                          s->formula ? s->formula : "", s->subject ? s->subject : "",
                          s->against ? s->against : "", s->choice ? s->choice : "",
                          s->reason ? s->reason : "");
  for (guint i = 0; s->options && i < s->options->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (s->options, i));
  append_values (out, s->inputs);
  append_values (out, s->outputs);
  append_field_texts (out, s->fields);
  return g_string_free (out, FALSE);
}

static TlsStep *
find_step (TlsTrace *t, TlsStepKind kind, const char *title, TlsActor actor)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      if (s->kind == kind && s->actor == actor && g_str_equal (s->title, title))
        return s;
    }
  return NULL;
}

static gboolean
has_step (TlsTrace *t, const char *title)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    if (g_str_equal (tls_trace_get (t, i)->title, title))
      return TRUE;
  return FALSE;
}

static gboolean
any_field (TlsTrace *t, const char *name)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    if (field_named (tls_trace_get (t, i)->fields, name))
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Cross-references                                                    */

static void
test_cross_references (gconstpointer data)
{
  const char *name = data;
  g_autoptr (TlsConductor) c = tu_run_scenario (name);
  TlsTrace *t = tls_conductor_get_trace (c);
  guint checked = 0;

  g_test_summary ("Every value marked \"from step N\" is in step N of the same run: in its "
                  "message bytes, or among the values of a derivation, check or decision; and "
                  "step N comes before and belongs to the same connection (or an earlier one)");
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      for (guint k = 0; s->inputs && k < s->inputs->len; k++)
        {
          TlsTraceValue *v = g_ptr_array_index (s->inputs, k);
          TlsStep *from;

          if (v->from_step < 0)
            continue;
          g_assert_cmpint (v->from_step, <, (int) i);
          from = tls_trace_get (t, v->from_step);
          g_assert_cmpuint (from->connection, <=, s->connection);
          if (v->bytes == NULL || g_bytes_get_size (v->bytes) == 0)
            continue;
          /* A summary of a step's messages, not a copy of a value. */
          if (g_str_equal (v->name, "session_hash"))
            continue;
          /* (an attacker's "record sent" is in the sender's record on the wire) */
          if (!contains_bytes (from->bytes, v->bytes) && !contains_bytes (from->wire, v->bytes)
              && !values_contain (from->outputs, v->bytes)
              && !values_contain (from->inputs, v->bytes))
            g_error ("%s: step %u (%s), input %s: not found in step %d (%s)", name, i + 1,
                     s->title, v->name, v->from_step + 1, from->title);
          /* The randoms come from the hellos of this very connection. */
          if (g_str_has_suffix (v->name, "_random"))
            {
              g_assert_cmpuint (from->connection, ==, s->connection);
              g_assert_cmpstr (from->title, ==, g_str_has_prefix (v->name, "client")
                                                ? "ClientHello" : "ServerHello");
            }
          checked++;
        }
    }
  if (has_step (t, "key_block"))
    g_assert_cmpuint (checked, >, 0);
}

/* ------------------------------------------------------------------ */
/* Mechanisms                                                          */

typedef struct
{
  gboolean ems, etm, tickets, rsa_kx;
} Mechanisms;

static Mechanisms
mechanisms_of (TlsTrace *t)
{
  Mechanisms m = { 0 };

  m.ems = has_step (t, "master_secret (extended)");
  m.tickets = has_step (t, "NewSessionTicket") || any_field (t, "extension: session_ticket");
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      if (s->kind == TLS_STEP_MESSAGE && g_str_equal (s->title, "ServerHello")
          && field_named (s->fields, "extension: encrypt_then_mac"))
        m.etm = TRUE;
      if (s->kind == TLS_STEP_DECISION && g_str_equal (s->title, "Cipher suite") && s->choice
          && g_str_has_prefix (s->choice, "TLS_RSA_"))
        m.rsa_kx = TRUE;
      if (s->kind == TLS_STEP_MESSAGE && g_str_equal (s->title, "ClientKeyExchange")
          && field_named (s->fields, "pre_master_secret"))
        m.rsa_kx = TRUE;
    }
  return m;
}

/* A sentence that says a mechanism is absent may name it ("There is no
 * extended_master_secret"); any other naming of it is wrong. */
static gboolean
is_negation (const char *sentence)
{
  return strstr (sentence, "there is no ") || strstr (sentence, " no ") || strstr (sentence, "not ")
         || strstr (sentence, "without ") || g_str_has_prefix (sentence, "no ");
}

static void
assert_not_named (const char *scenario, const TlsStep *s, const char *lower, const char *word,
                  const char *why)
{
  g_autoptr (GRegex) split = g_regex_new ("\\.\\s|\\n", 0, 0, NULL);
  g_auto (GStrv) sentences = g_regex_split (split, lower, 0);

  for (guint i = 0; sentences[i]; i++)
    if (strstr (sentences[i], word) != NULL && !is_negation (sentences[i]))
      g_error ("%s: step %u (%s) names “%s”, but %s:\n%s", scenario, s->index + 1, s->title, word,
               why, sentences[i]);
}

static void
test_mechanisms (gconstpointer data)
{
  const char *name = data;
  g_autoptr (TlsConductor) c = tu_run_scenario (name);
  TlsTrace *t = tls_conductor_get_trace (c);
  Mechanisms m = mechanisms_of (t);

  g_test_summary ("A scenario's texts name only the mechanisms it uses: no encrypted pre-master "
                  "secret without RSA key exchange, no extended master secret, encrypt-then-MAC "
                  "or ticket where the run has none (a message may name an extension it carries)");
  g_test_message ("%s: ems %d etm %d tickets %d rsa %d", name, m.ems, m.etm, m.tickets, m.rsa_kx);
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      g_autofree char *text = step_texts (s);
      g_autofree char *lower = g_utf8_strdown (text, -1);

      if (!m.rsa_kx)
        {
          const char *why = "the key exchange is not RSA";
          assert_not_named (name, s, lower, "encrypt the pre-master", why);
          assert_not_named (name, s, lower, "encrypts the pre-master", why);
          assert_not_named (name, s, lower, "encrypted pre-master", why);
          assert_not_named (name, s, lower, "pre-master secret encrypted", why);
          assert_not_named (name, s, lower, "encryptedpremastersecret", why);
          assert_not_named (name, s, lower, "decrypts the pre-master", why);
        }
      if (!m.ems && !field_named (s->fields, "extension: extended_master_secret"))
        {
          assert_not_named (name, s, lower, "extended master secret", "the run has no EMS");
          assert_not_named (name, s, lower, "extended_master_secret", "the run has no EMS");
          assert_not_named (name, s, lower, "session_hash", "the run has no EMS");
        }
      if (!m.etm && !field_named (s->fields, "extension: encrypt_then_mac"))
        {
          assert_not_named (name, s, lower, "encrypt_then_mac", "the run has no encrypt-then-MAC");
          assert_not_named (name, s, lower, "encrypt-then-mac", "the run has no encrypt-then-MAC");
        }
      if (!m.tickets)
        assert_not_named (name, s, lower, "ticket", "the run uses no tickets");
      /* the (EC)DH parameter check speaks of primes only for finite-field groups */
      if (s->kind == TLS_STEP_CHECK && s->subject && g_str_has_prefix (s->subject, "curve "))
        assert_not_named (name, s, lower, "prime", "the key exchange is over an elliptic curve");
    }
}

/* ------------------------------------------------------------------ */
/* The facts issue 10 found wrong                                      */

typedef struct
{
  const char *scenario;
  const char *must;       /* in the server's Certificate explanation */
  const char *must_not;
} CertCase;

static const CertCase cert_cases[] = {
  { "full", "client encrypts the pre-master secret with the public key", "signs" },
  { "dhe-rsa", "signs its ephemeral Diffie-Hellman parameters", "pre-master secret with" },
  { "ecdhe-rsa", "allows to be used for signing (digitalSignature", "pre-master secret with" },
  { "ecdhe-ecdsa", "ECDSA-capable key", "pre-master secret with" },
  { "dhe-dss", "must be a DSA key", "pre-master secret with" },
  { "dh-rsa", "Diffie-Hellman public value itself", "signs its" },
  { "dh-dss", "keyAgreement", "signs its" },
};

static void
test_certificate_text (gconstpointer data)
{
  const CertCase *cc = data;
  g_autoptr (TlsConductor) c = tu_run_scenario (cc->scenario);
  TlsTrace *t = tls_conductor_get_trace (c);
  TlsStep *s = find_step (t, TLS_STEP_MESSAGE, "Certificate", TLS_ACTOR_SERVER);

  g_test_summary ("The server's Certificate step says what its key is for in the negotiated key "
                  "exchange and which key type and keyUsage that requires (RFC 5246, 7.4.2)");
  g_assert_nonnull (s);
  g_test_message ("%s", s->explanation);
  g_assert_nonnull (strstr (s->explanation, cc->must));
  g_assert_null (strstr (s->explanation, cc->must_not));
  g_assert_null (strstr (s->explanation, "RSA public key the client will encrypt"));
}

static void
test_ske_fault_text (void)
{
  static const struct { const char *scenario, *must, *must_not; } cases[] = {
    { "bad-ske-signature", "signature was flipped after signing", "on the curve" },
    { "invalid-ec-point", "no longer on the curve", "signature was flipped" },
  };

  g_test_summary ("The ServerKeyExchange of a fault scenario says which fault this run injected");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TlsConductor) c = tu_run_scenario (cases[i].scenario);
      TlsStep *s = find_step (tls_conductor_get_trace (c), TLS_STEP_MESSAGE, "ServerKeyExchange",
                              TLS_ACTOR_SERVER);

      g_assert_nonnull (s);
      g_assert_nonnull (strstr (s->explanation, cases[i].must));
      g_assert_null (strstr (s->explanation, cases[i].must_not));
    }
}

static void
test_bad_premaster (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("bad-premaster");
  TlsTrace *t = tls_conductor_get_trace (c);
  TlsStep *s = find_step (t, TLS_STEP_DERIVATION, "pre_master_secret", TLS_ACTOR_SERVER);
  TlsTraceValue *out;

  g_test_summary ("bad-premaster: the server carries on with client_version followed by 46 random "
                  "bytes (RFC 5246, 7.4.7.1), and the value shown is just that");
  g_assert_nonnull (s);
  g_assert_nonnull (strstr (s->explanation, "ClientHello.client_version followed by 46 random bytes"));
  g_assert_null (strstr (s->explanation, "48 random"));
  out = tls_step_find_output (s, "pre_master_secret");
  g_assert_nonnull (out);
  g_assert_cmpuint (g_bytes_get_size (out->bytes), ==, 48);
  g_assert_cmpmem (g_bytes_get_data (out->bytes, NULL), 2, "\x03\x03", 2);
}

static void
test_fallback_citation (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("fallback-scsv");
  TlsTrace *t = tls_conductor_get_trace (c);
  TlsStep *s = find_step (t, TLS_STEP_ALERT, "Alert: inappropriate_fallback", TLS_ACTOR_SERVER);

  g_test_summary ("inappropriate_fallback is cited to RFC 7507, which defines it");
  g_assert_nonnull (s);
  g_assert_true (g_str_has_prefix (s->rfc, "RFC 7507, "));
  s = find_step (t, TLS_STEP_DECISION, "Protocol version", TLS_ACTOR_SERVER);
  g_assert_nonnull (s);
  g_assert_true (g_str_has_prefix (s->rfc, "RFC 7507, 3"));
}

static void
test_bad_finished_compare (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("bad-finished");
  TlsTrace *t = tls_conductor_get_trace (c);
  TlsStep *s = find_step (t, TLS_STEP_CHECK, "client Finished", TLS_ACTOR_SERVER);
  TlsTraceValue *got, *want;
  g_autofree char *text = NULL, *html = NULL, *json = NULL;
  g_autoptr (TlsTrace) back = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;

  g_test_summary ("bad-finished: expected and received verify_data side by side, the bytes that "
                  "differ marked in the text trace and the HTML handout, compare_with in JSON");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
  got = tls_step_find_value (s, "received verify_data");
  want = tls_step_find_value (s, "expected verify_data");
  g_assert_nonnull (got);
  g_assert_nonnull (want);
  g_assert_cmpstr (got->compare_with, ==, "expected verify_data");
  g_assert_true (tls_step_compared (s, got) == want);
  g_assert_true (tls_trace_value_differs_at (got, want, 0));   /* the tampered byte */
  for (gsize i = 1; i < 12; i++)
    g_assert_false (tls_trace_value_differs_at (got, want, i));

  text = tls_trace_to_text (t, TLS_TEXT_NONE);
  g_assert_nonnull (strstr (text, "differs from expected verify_data in 1 byte\n"));
  g_assert_nonnull (strstr (text, "^^  differs from"));
  html = tls_trace_to_html (t);
  g_assert_nonnull (strstr (html, "<mark class=\"diff\">"));
  json = tls_trace_to_json (t, &len);
  g_assert_nonnull (strstr (json, "\"compare_with\""));
  back = tls_trace_from_json (json, len, &error);
  g_assert_no_error (error);
  s = tls_trace_get (back, s->index);
  g_assert_cmpstr (tls_step_find_value (s, "received verify_data")->compare_with, ==,
                   "expected verify_data");
}

static void
test_flipped_bit (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("flipped-bit");
  TlsTrace *t = tls_conductor_get_trace (c);
  TlsStep *s = find_step (t, TLS_STEP_CHECK, "Record tag", TLS_ACTOR_SERVER);
  TlsStep *next;
  const TlsTraceValue *got, *want;

  g_test_summary ("flipped-bit: the record whose AEAD tag fails is a check step of its own, the "
                  "computed and received tag side by side, and bad_record_mac follows it");
  g_assert_nonnull (s);
  g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
  g_assert_nonnull (s->wire);
  g_assert_true (g_str_has_prefix (s->rfc, "RFC 5246, 6.2.3.3"));
  got = tls_step_find_value (s, "received tag");
  want = tls_step_find_value (s, "computed tag");
  g_assert_nonnull (got);
  g_assert_nonnull (want);
  g_assert_true (tls_step_compared (s, got) == want);
  g_assert_cmpuint (g_bytes_get_size (got->bytes), ==, 16);
  g_assert_false (g_bytes_equal (got->bytes, want->bytes));
  /* the received tag is the last 16 bytes of the record on the wire */
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (s->wire, NULL) + g_bytes_get_size (s->wire) - 16,
                   16, g_bytes_get_data (got->bytes, NULL), 16);
  next = tls_trace_get (t, s->index + 1);
  g_assert_cmpint (next->kind, ==, TLS_STEP_ALERT);
  g_assert_cmpint (next->alert_description, ==, 20);
}

static void
test_text_visible (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("full");
  g_autofree char *text = tls_trace_to_text (tls_conductor_get_trace (c), TLS_TEXT_NONE);

  g_test_summary ("The text trace prints valid UTF-8 as it is (the path's arrows) and control "
                  "characters of application data escaped visibly, never raw");
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, " ← "));
  g_assert_null (strstr (text, "\\xe2"));
  g_assert_null (strchr (text, '\r'));
  g_assert_nonnull (strstr (text, "application_data: GET / HTTP/1.0\\r\\n\\r\\n\n"));
  /* "1 byte", never "1 bytes" (the ClientHello's compression_methods) */
  g_assert_false (g_regex_match_simple ("(^|[^0-9])1 bytes", text, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("compression_methods: 1 byte ", text, 0, 0));
}


/* ------------------------------------------------------------------ */
/* The audit (issue 10): texts that said more than the run did          */

static const TlsField *
field_find (const TlsField *f, const char *name)
{
  if (f == NULL)
    return NULL;
  if (g_strcmp0 (f->name, name) == 0)
    return f;
  for (guint i = 0; i < tls_field_n_children (f); i++)
    {
      const TlsField *hit = field_find (tls_field_child (f, i), name);
      if (hit)
        return hit;
    }
  return NULL;
}

static TlsStep *
first_step (TlsTrace *t, const char *title, TlsActor actor)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      if (g_str_equal (s->title, title) && s->actor == actor)
        return s;
    }
  return NULL;
}

static void
assert_has (const char *text, const char *must)
{
  if (text == NULL || strstr (text, must) == NULL)
    g_error ("expected “%s” in:\n%s", must, text ? text : "(null)");
}

static void
assert_lacks (const char *text, const char *must_not)
{
  if (text != NULL && strstr (text, must_not) != NULL)
    g_error ("did not expect “%s” in:\n%s", must_not, text);
}

static void
test_audit_key_block (void)
{
  static const struct { const char *scenario, *rfc, *must, *must_not; } cases[] = {
    /* TLS 1.2 CBC: MAC keys and keys, no IVs */
    { "classic", "RFC 5246, 6.3", "No IVs are taken from it", "then the two IVs" },
    /* TLS 1.2 AES-GCM: no MAC keys, the IVs are the nonces' fixed parts */
    { "full", "RFC 5246, 6.3", "there are no MAC keys", "the two MAC keys" },
    /* TLS 1.0 CBC: all six, as RFC 2246 6.3 orders them */
    { "tls10", "RFC 2246, 6.3", "then the two IVs of the first CBC records", "No IVs" },
    { "rc4", "RFC 5246, 6.3", "A stream cipher needs no IV", "then the two IVs" },
  };

  g_test_summary ("The key_block step names only the keys this key block holds: no IVs for TLS "
                  "1.2 CBC (RFC 5246, 6.3), no MAC keys for AEAD, IVs for TLS 1.0 cited to "
                  "RFC 2246, 6.3");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TlsConductor) c = tu_run_scenario (cases[i].scenario);
      TlsStep *s = first_step (tls_conductor_get_trace (c), "key_block", TLS_ACTOR_CLIENT);

      g_assert_nonnull (s);
      g_assert_cmpstr (s->rfc, ==, cases[i].rfc);
      assert_has (s->explanation, cases[i].must);
      assert_lacks (s->explanation, cases[i].must_not);
      g_assert_cmpint (tls_step_find_output (s, "client_write_IV") != NULL, ==,
                       strstr (s->explanation, "IVs of the first") != NULL
                       || strstr (s->explanation, "fixed parts of the nonces") != NULL);
    }
}

static void
test_audit_tls10_citations (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("tls10");
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("tls10");

  g_test_summary ("A TLS 1.0 run cites RFC 2246 for its Finished PRF; its description does not "
                  "say that only the server is limited to 1.0, when the client offers 1.0 too");
  g_assert_cmpstr (first_step (t, "client Finished.verify_data", TLS_ACTOR_CLIENT)->rfc, ==,
                   "RFC 2246, 7.4.9");
  g_assert_cmpstr (first_step (t, "server Finished.verify_data", TLS_ACTOR_SERVER)->rfc, ==,
                   "RFC 2246, 7.4.9");
  assert_lacks (sc->description, "The server speaks at most");
  assert_has (sc->description, "both speak at most TLS 1.0");
  c = (tls_conductor_free (c), tu_run_scenario ("classic"));
  g_assert_cmpstr (first_step (tls_conductor_get_trace (c), "client Finished.verify_data",
                               TLS_ACTOR_CLIENT)->rfc, ==, "RFC 5246, 7.4.9");
  g_assert_cmpstr (first_step (tls_conductor_get_trace (c), "master_secret",
                               TLS_ACTOR_CLIENT)->rfc, ==, "RFC 5246, 8.1");
}

static void
test_audit_static_dh (void)
{
  static const char *const static_dh[] = { "dh-rsa", "dh-dss" };

  g_test_summary ("Static DH: the client's key pair step does not promise forward secrecy (the "
                  "server's key is the fixed one of its certificate); DHE still explains it");
  for (guint i = 0; i < G_N_ELEMENTS (static_dh); i++)
    {
      g_autoptr (TlsConductor) c = tu_run_scenario (static_dh[i]);
      TlsStep *s = first_step (tls_conductor_get_trace (c), "client DH key pair", TLS_ACTOR_CLIENT);

      g_assert_nonnull (s);
      assert_has (s->explanation, "there is no forward secrecy");
      assert_lacks (s->explanation, "Each side makes a fresh key pair");
      g_assert_null (first_step (tls_conductor_get_trace (c), "server DH key pair", TLS_ACTOR_SERVER));
    }
  {
    g_autoptr (TlsConductor) c = tu_run_scenario ("dhe-rsa");
    TlsStep *s = first_step (tls_conductor_get_trace (c), "client DH key pair", TLS_ACTOR_CLIENT);
    assert_has (s->explanation, "Each side makes a fresh key pair");
    assert_has (s->explanation, "forward secrecy");
  }
}

static void
test_audit_record_check_cause (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("bad-premaster");
  g_autoptr (TlsConductor) f = tu_run_scenario ("flipped-bit");
  TlsStep *s = find_step (tls_conductor_get_trace (c), TLS_STEP_CHECK, "Record tag", TLS_ACTOR_SERVER);
  TlsStep *p = find_step (tls_conductor_get_trace (c), TLS_STEP_DERIVATION, "pre_master_secret",
                          TLS_ACTOR_SERVER);

  g_test_summary ("The failed record check says what happened in this run: different keys after a "
                  "wrong pre-master secret (nothing flipped), a flipped bit in flipped-bit; the "
                  "wrong-version pre-master secret says how RFC 5246's own recipe differs");
  g_assert_nonnull (s);
  assert_has (s->explanation, "derived different keys");
  assert_lacks (s->explanation, "flipped");
  s = find_step (tls_conductor_get_trace (f), TLS_STEP_CHECK, "Record tag", TLS_ACTOR_SERVER);
  g_assert_nonnull (s);
  assert_has (s->explanation, "one bit of the record was flipped");
  assert_lacks (s->explanation, "different keys");
  g_assert_nonnull (p);
  assert_has (p->explanation, "client_version followed by M[2..47]");
  assert_has (p->explanation, "randomly generated premaster secret");
}

static void
test_audit_fallback_hello (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("fallback-scsv");
  TlsStep *s = find_step (tls_conductor_get_trace (c), TLS_STEP_MESSAGE, "ClientHello",
                          TLS_ACTOR_CLIENT);
  const TlsField *v;

  g_test_summary ("fallback-scsv: the retried ClientHello does not claim to name the highest "
                  "version the client speaks; neither does its client_version field");
  g_assert_nonnull (s);
  assert_lacks (s->explanation, "highest version it speaks,");
  assert_has (s->explanation, "lower version than the highest it speaks");
  assert_has (s->explanation, "RFC 7507, 4");
  v = field_find (s->fields, "client_version");
  g_assert_nonnull (v);
  assert_lacks (v->desc, "The highest TLS version the client supports");
}

static void
test_audit_field_texts (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("classic");
  TlsTrace *t = tls_conductor_get_trace (c);
  TlsStep *ch = find_step (t, TLS_STEP_MESSAGE, "ClientHello", TLS_ACTOR_CLIENT);
  TlsStep *sh = find_step (t, TLS_STEP_MESSAGE, "ServerHello", TLS_ACTOR_SERVER);
  const TlsField *f;

  g_test_summary ("Field descriptions fit the message and the run: signature_algorithms does not "
                  "speak of a signed key exchange in an RSA run; the ServerHello's empty "
                  "server_name is not described as the client's host name");
  f = field_find (ch->fields, "supported_signature_algorithms");
  g_assert_nonnull (f);
  assert_lacks (f->desc, "signs its key exchange");
  assert_has (f->desc, "server's certificates");
  f = field_find (sh->fields, "extension: server_name");
  g_assert_nonnull (f);
  assert_lacks (f->desc, "which host name the client is connecting to");
  assert_has (f->desc, "empty in the ServerHello");
  f = field_find (ch->fields, "extension: server_name");
  assert_has (f->desc, "which host name the client is connecting to");
  {
    g_autoptr (TlsConductor) m = tu_run_scenario ("modern");
    TlsStep *msh = find_step (tls_conductor_get_trace (m), TLS_STEP_MESSAGE, "ServerHello",
                              TLS_ACTOR_SERVER);
    f = field_find (msh->fields, "extension: extended_master_secret");
    g_assert_nonnull (f);
    assert_lacks (f->desc, "Asks for");
    assert_has (f->desc, "The server agrees");
  }
}

static void
test_audit_descriptions (void)
{
  g_autoptr (TlsScenario) bf = tls_scenario_builtin ("bad-finished");
  g_autoptr (TlsScenario) cbc = tls_scenario_builtin ("cbc");
  g_autoptr (TlsConductor) c = tu_run_scenario ("cbc");
  Mechanisms m = mechanisms_of (tls_conductor_get_trace (c));
  TlsStep *ems;

  g_test_summary ("Scenario descriptions say what the run does: bad-finished changes verify_data "
                  "after computing it; cbc is encrypt-then-MAC when its run negotiates it; EMS's "
                  "session_hash includes the ClientKeyExchange");
  {
    g_autoptr (TlsScenario) classic = tls_scenario_builtin ("classic");
    /* RFC 5246, 9: "In the absence of an application profile standard
     * specifying otherwise" */
    assert_lacks (classic->description, "every TLS 1.2 implementation must have");
    assert_has (classic->description, "unless an application profile says otherwise");
  }
  assert_lacks (bf->description, "over the wrong bytes");
  assert_has (bf->description, "after computing it");
  g_assert_true (m.etm);
  assert_lacks (cbc->description, "records are protected MAC-then-encrypt");
  assert_has (cbc->description, "encrypt-then-MAC");
  ems = first_step (tls_conductor_get_trace (c), "master_secret (extended)", TLS_ACTOR_CLIENT);
  g_assert_nonnull (ems);
  assert_has (ems->explanation, "up to and including the ClientKeyExchange");
}

/* ------------------------------------------------------------------ */
/* Citations                                                           */

/* "5246 7.4.2" -> TRUE, from data/citations.tsv; fails on a malformed row
 * or a section that is not a heading of its RFC. */
static GHashTable *
load_citations (void)
{
  g_autofree char *path = g_build_filename (tu_datadir (), "citations.tsv", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) cols = NULL;
      g_autofree char *headings_path = NULL, *headings = NULL, *name = NULL, *heading = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      cols = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (cols) != 4 || !*cols[0] || !*cols[1] || !*cols[2] || strlen (cols[3]) < 10)
        g_error ("citations.tsv line %u: want key, rfc, section, sentence: %s", i + 1, lines[i]);
      name = g_strdup_printf ("rfc%s.txt", cols[1]);
      headings_path = g_test_build_filename (G_TEST_DIST, "data", "rfc-sections", name, NULL);
      if (!g_file_get_contents (headings_path, &headings, NULL, NULL))
        g_error ("citations.tsv line %u: no headings for RFC %s (%s)", i + 1, cols[1], headings_path);
      heading = g_strdup_printf ("\n%s. ", cols[2]);
      if (strstr (headings, heading) == NULL)
        g_error ("citations.tsv line %u: RFC %s has no section %s", i + 1, cols[1], cols[2]);
      g_hash_table_add (table, g_strdup_printf ("%s %s", cols[1], cols[2]));
    }
  return table;
}

static void
assert_cited (GHashTable *table, const char *scenario, const TlsStep *s, const char *rfc,
              const char *section)
{
  g_autofree char *key = g_strdup_printf ("%s %s", rfc, section);

  if (!g_hash_table_contains (table, key))
    g_error ("%s: step %u (%s) cites RFC %s, %s, which data/citations.tsv does not list", scenario,
             s->index + 1, s->title, rfc, section);
}

static void
test_citations (gconstpointer data)
{
  const char *name = data;
  g_autoptr (GHashTable) table = load_citations ();
  g_autoptr (TlsConductor) c = tu_run_scenario (name);
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (GRegex) in_text = g_regex_new ("RFC (\\d+), ((?:[A-Z]|\\d+)(?:\\.\\d+)*)", 0, 0, NULL);
  g_autoptr (GRegex) part_re = g_regex_new ("^\\s*(?:RFC (\\d+), )?((?:[A-Z]|\\d+)(?:\\.\\d+)*)(?=$|\\s|\\(|,)", 0, 0, NULL);

  g_test_summary ("Every RFC section a scenario's steps cite (the step's source, and any "
                  "\"RFC N, X\" in its texts) is in data/citations.tsv with the sentence it relies "
                  "on, and is a real section of that RFC");
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      g_autofree char *text = step_texts (s);
      g_autoptr (GMatchInfo) m = NULL;

      if (s->rfc)
        {
          g_auto (GStrv) parts = g_strsplit (s->rfc, ";", -1);
          g_autofree char *rfc = NULL;

          for (guint k = 0; parts[k]; k++)
            {
              g_autoptr (GMatchInfo) pm = NULL;
              /* a part that is no RFC section (another document) */
              if (!g_regex_match (part_re, parts[k], 0, &pm))
                continue;
              {
                char *r = g_match_info_fetch (pm, 1);
                if (r && *r)
                  {
                    g_free (rfc);
                    rfc = r;
                  }
                else
                  g_free (r);
              }
              g_assert_nonnull (rfc);
              {
                g_autofree char *section = g_match_info_fetch (pm, 2);
                assert_cited (table, name, s, rfc, section);
              }
            }
        }
      g_regex_match (in_text, text, 0, &m);
      while (g_match_info_matches (m))
        {
          g_autofree char *rfc = g_match_info_fetch (m, 1);
          g_autofree char *section = g_match_info_fetch (m, 2);
          assert_cited (table, name, s, rfc, section);
          g_match_info_next (m, NULL);
        }
    }
}

/* The texts the second reading of data/citations.tsv against the RFC text
 * changed (docs/dev/audit.md, "Second reading"): each says only what its
 * section says. */
static void
test_audit_reread (void)
{
  g_autoptr (TlsConductor) c = tu_run_scenario ("modern");
  TlsTrace *t = tls_conductor_get_trace (c);
  TlsStep *version = first_step (t, "Protocol version", TLS_ACTOR_SERVER);
  TlsStep *fin = first_step (t, "Finished", TLS_ACTOR_CLIENT);
  TlsStep *ch0 = NULL, *ch1 = NULL;

  g_test_summary ("Texts changed by the second reading of the citations: the version decision "
                  "(RFC 5246, E.1), the session_ticket extension with and without a ticket "
                  "(RFC 5077, 3.2), encrypt-then-MAC's reason (RFC 7366, 1; RFC 5246, 6.2.3.2)");
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      if (s->kind == TLS_STEP_MESSAGE && g_str_equal (s->title, "ClientHello"))
        {
          if (s->connection == 0 && ch0 == NULL)
            ch0 = s;
          else if (s->connection == 1 && ch1 == NULL)
            ch1 = s;
        }
    }
  g_assert_nonnull (version);
  g_assert_nonnull (fin);
  g_assert_nonnull (ch0);
  g_assert_nonnull (ch1);
  /* E.1: "the highest version supported by the server that is not greater
   * than ClientHello.client_version" */
  assert_lacks (version->explanation, "names the highest version it speaks");
  assert_has (version->explanation, "not greater than the client's");
  /* 5077, 3.2: a ticket to resume with, or a zero-length one */
  assert_has (ch0->explanation, "session_ticket, empty, says it can take a ticket");
  assert_has (ch1->explanation, "session_ticket carries the ticket of the session to resume");
  /* 7366, 1 names "numerous security vulnerabilities and attacks", not
   * padding oracles; 5246, 6.2.3.2 the timing attack on CBC padding */
  assert_lacks (fin->explanation, "padding-oracle");
  assert_has (fin->explanation, "numerous security vulnerabilities and attacks");
  assert_has (fin->rfc, "RFC 5246, 6.2.3.2");
}

/* ------------------------------------------------------------------ */
/* The legacy fields of a TLS 1.3 hello (RFC 8446, 4.1.2 and 4.1.3)    */

static const char *
field_desc (TlsField *root, const char *path)
{
  TlsField *f = tls_field_find (root, path);

  g_assert_nonnull (f);
  return f->desc;
}

static void
test_tls13_hello_fields (void)
{
  g_autoptr (TlsConductor) c13 = tu_run_scenario ("tls13");
  g_autoptr (TlsConductor) c12 = tu_run_scenario ("classic");
  TlsStep *ch = first_step (tls_conductor_get_trace (c13), "ClientHello", TLS_ACTOR_CLIENT);
  TlsStep *sh = first_step (tls_conductor_get_trace (c13), "ServerHello", TLS_ACTOR_SERVER);
  TlsStep *ch12 = first_step (tls_conductor_get_trace (c12), "ClientHello", TLS_ACTOR_CLIENT);
  TlsField *gmt;

  g_test_summary ("A TLS 1.3 ClientHello and ServerHello describe legacy_version, random (no "
                  "date), legacy_session_id(_echo), cipher_suite(s) and "
                  "legacy_compression_method(s) as RFC 8446, 4.1.2 and 4.1.3 do; a TLS 1.2 "
                  "hello keeps its RFC 5246 texts and field names; a downgrade sentinel is named");
  g_assert_nonnull (ch);
  g_assert_nonnull (sh);
  g_assert_nonnull (ch12);

  /* ClientHello (4.1.2) */
  assert_has (field_desc (ch->fields, "client_version"), "legacy_version: 0x0303");
  assert_has (field_desc (ch->fields, "client_version"), "RFC 8446, 4.1.2");
  assert_has (field_desc (ch->fields, "random"),
              "32 bytes generated by a secure random number generator (RFC 8446, 4.1.2)");
  assert_lacks (field_desc (ch->fields, "random"), "fresh each time");
  gmt = tls_field_find (ch->fields, "random/gmt_unix_time");
  g_assert_nonnull (gmt);
  g_assert_null (gmt->value);                     /* no date: it is no time */
  assert_has (gmt->desc, "Not a time");
  assert_lacks (gmt->desc, "many implementations");
  assert_has (field_desc (ch->fields, "session_id"), "legacy_session_id:");
  assert_has (field_desc (ch->fields, "session_id"), "new 32-byte value");
  assert_has (field_desc (ch->fields, "cipher_suites"), "hash used with HKDF");
  assert_lacks (field_desc (ch->fields, "cipher_suites"), "a bulk cipher and a MAC");
  assert_has (field_desc (ch->fields, "compression_methods"),
              "legacy_compression_methods: in a TLS 1.3 ClientHello exactly one byte, 0");

  /* ServerHello (4.1.3) */
  assert_has (field_desc (sh->fields, "server_version"), "legacy_version: always 0x0303");
  assert_has (field_desc (sh->fields, "server_version"), "RFC 8446, 4.1.3");
  assert_lacks (field_desc (sh->fields, "server_version"), "the lower of");
  assert_has (field_desc (sh->fields, "random"), "independently of ClientHello.random");
  g_assert_null (tls_field_find (sh->fields, "random/gmt_unix_time")->value);
  assert_has (field_desc (sh->fields, "session_id"), "legacy_session_id_echo:");
  assert_has (field_desc (sh->fields, "cipher_suite"), "the hash of HKDF");
  assert_has (field_desc (sh->fields, "compression_method"),
              "legacy_compression_method: a single byte which must be 0");

  /* TLS 1.2: names and texts of RFC 5246, a date in gmt_unix_time */
  gmt = tls_field_find (ch12->fields, "random/gmt_unix_time");
  g_assert_nonnull (gmt);
  g_assert_nonnull (gmt->value);
  assert_has (gmt->value, "UTC");
  assert_lacks (field_desc (ch12->fields, "client_version"), "legacy_version");
  assert_lacks (field_desc (ch12->fields, "session_id"), "legacy_session_id");
  assert_lacks (field_desc (ch12->fields, "compression_methods"), "legacy_");

  /* A TLS 1.1 ServerHello ending in DOWNGRD 00 (RFC 8446, 4.1.3) */
  {
    TlsServerHello m;
    TlsField *root = tls_field_new ("ServerHello", 0, 0);
    TlsWriter w;
    TlsWriterMark mark;
    g_autoptr (GBytes) bytes = NULL;

    tls_server_hello_init (&m);
    m.server_version = 0x0302;
    memcpy (m.random + 24, "DOWNGRD\0", 8);
    m.cipher_suite = 0x002F;
    tls_writer_init (&w, root);
    tls_handshake_begin (&w, 2, &mark);
    tls_server_hello_write (&w, &m);
    tls_handshake_end (&w, &mark);
    bytes = tls_writer_steal (&w);
    tls13_hello_fields_describe (root, bytes);
    assert_has (field_desc (root, "random/random_bytes"), "44 4F 57 4E 47 52 44 00");
    assert_has (field_desc (root, "random/random_bytes"), "TLS 1.1 or below (RFC 8446, 4.1.3)");
    assert_lacks (field_desc (root, "server_version"), "legacy_version");
    g_assert_nonnull (tls_field_find (root, "random/gmt_unix_time")->value);
    tls_server_hello_clear (&m);
    tls_field_free (root);
  }
}

/* The citations of a TLS 1.3 run (the audit of issues 10 and 16): RFC 8446
 * where TLS 1.3 has its own section, and only what this run did. */
static void
test_tls13_citations (void)
{
  g_autoptr (TlsConductor) c13 = tu_run_scenario ("tls13");
  g_autoptr (TlsConductor) c12 = tu_run_scenario ("classic");
  TlsTrace *t = tls_conductor_get_trace (c13);
  TlsStep *hs = first_step (t, "Handshake Secret", TLS_ACTOR_SERVER);
  TlsStep *path = first_step (t, "Certification path", TLS_ACTOR_CLIENT);
  TlsStep *anchor = first_step (t, "Trust anchor", TLS_ACTOR_CLIENT);
  TlsStep *sh_ok = first_step (t, "ServerHello acceptable", TLS_ACTOR_CLIENT);
  TlsStep *ccs = first_step (t, "ChangeCipherSpec", TLS_ACTOR_SERVER);
  TlsStep *ch = first_step (t, "ClientHello", TLS_ACTOR_CLIENT);
  guint validity = 0, signature = 0;

  g_test_summary ("A TLS 1.3 run cites RFC 8446 for the order of the chain, the trust anchor "
                  "and the certificate alerts (not RFC 5246), names no PSK it did not use, and "
                  "describes its dummy ChangeCipherSpec, record versions and hello extensions as "
                  "RFC 8446 does; a TLS 1.2 run keeps RFC 5246");
  g_assert_nonnull (hs);
  g_assert_nonnull (path);
  g_assert_nonnull (anchor);
  g_assert_nonnull (sh_ok);
  g_assert_nonnull (ccs);
  g_assert_nonnull (ch);
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);

      if (s->rfc != NULL && strstr (s->rfc, "RFC 5246") != NULL)
        g_error ("step %u (%s) of a TLS 1.3 run cites %s", i + 1, s->title, s->rfc);
      if (g_str_has_prefix (s->title, "Validity of "))
        {
          assert_has (s->rfc, "RFC 8446, 6.2");
          validity++;
        }
      if (g_str_has_prefix (s->title, "Signature on "))
        {
          assert_has (s->rfc, "RFC 8446, 6.2");
          signature++;
        }
    }
  g_assert_cmpuint (validity, >, 0);
  g_assert_cmpuint (signature, >, 0);
  assert_has (path->explanation, "MUST come in the first CertificateEntry");
  assert_has (anchor->explanation, "trust anchors be distributed independently");
  /* RFC 8446, 7.1: no PSK, zeros in its place; say only what this run did */
  assert_lacks (hs->explanation, "learns the PSK");
  assert_has (hs->explanation, "This handshake has no PSK");
  assert_has (sh_ok->rfc, "RFC 8446, 4.2.1");
  assert_has (sh_ok->rfc, "RFC 8446, 4.2.8");
  assert_lacks (field_desc (ccs->fields, "type"), "switch to the pending keys");
  assert_has (field_desc (ccs->wire_fields, "version"), "legacy_record_version");
  assert_has (field_desc (ch->fields, "extensions"), "Required in TLS 1.3");
  assert_lacks (field_desc (ch->fields, "supported_signature_algorithms"), "ServerKeyExchange");

  /* TLS 1.2 keeps its own citations */
  t = tls_conductor_get_trace (c12);
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      TlsStep *s = tls_trace_get (t, i);
      if (g_str_has_prefix (s->title, "Validity of "))
        assert_has (s->rfc, "RFC 5246, 7.2.2");
      if (g_str_equal (s->title, "ChangeCipherSpec") && s->fields != NULL)
        assert_has (field_desc (s->fields, "type"), "switch to the pending keys");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (const char *const *n = tls_scenario_names (); *n; n++)
    {
      g_autofree char *p1 = g_strdup_printf ("/facts/cross-references/%s", *n);
      g_autofree char *p2 = g_strdup_printf ("/facts/mechanisms/%s", *n);
      g_test_add_data_func (p1, *n, test_cross_references);
      g_test_add_data_func (p2, *n, test_mechanisms);
      {
        g_autofree char *p3 = g_strdup_printf ("/facts/citations/%s", *n);
        g_test_add_data_func (p3, *n, test_citations);
      }
    }
  for (gsize i = 0; i < G_N_ELEMENTS (cert_cases); i++)
    {
      g_autofree char *p = g_strdup_printf ("/facts/certificate/%s", cert_cases[i].scenario);
      g_test_add_data_func (p, &cert_cases[i], test_certificate_text);
    }
  g_test_add_func ("/facts/bad-premaster", test_bad_premaster);
  g_test_add_func ("/facts/ske-fault-text", test_ske_fault_text);
  g_test_add_func ("/facts/fallback-citation", test_fallback_citation);
  g_test_add_func ("/facts/bad-finished-compare", test_bad_finished_compare);
  g_test_add_func ("/facts/text-visible", test_text_visible);
  g_test_add_func ("/facts/flipped-bit", test_flipped_bit);
  g_test_add_func ("/facts/audit/key-block", test_audit_key_block);
  g_test_add_func ("/facts/audit/tls10-citations", test_audit_tls10_citations);
  g_test_add_func ("/facts/audit/static-dh", test_audit_static_dh);
  g_test_add_func ("/facts/audit/record-check-cause", test_audit_record_check_cause);
  g_test_add_func ("/facts/audit/fallback-hello", test_audit_fallback_hello);
  g_test_add_func ("/facts/audit/field-texts", test_audit_field_texts);
  g_test_add_func ("/facts/audit/descriptions", test_audit_descriptions);
  g_test_add_func ("/facts/audit/reread", test_audit_reread);
  g_test_add_func ("/facts/tls13-hello-fields", test_tls13_hello_fields);
  g_test_add_func ("/facts/tls13-citations", test_tls13_citations);
  return g_test_run ();
}
