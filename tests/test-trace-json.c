/* test-trace-json.c — the JSON trace: round trip, safe saving, and a
 * loader that refuses bad files with a clear error and never crashes. */
#include "tls-trace-json.h"
#include "trace-sample.h"
#include "test-util.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* ------------------------------------------------------------------ */
/* Comparing traces member by member                                   */

static void
assert_bytes_equal (GBytes *a, GBytes *b)
{
  if (a == NULL || b == NULL)
    {
      g_assert_true (a == b);
      return;
    }
  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                   g_bytes_get_data (b, NULL), g_bytes_get_size (b));
}

static void
assert_fields_equal (const TlsField *a, const TlsField *b, const TlsField *b_parent)
{
  if (a == NULL || b == NULL)
    {
      g_assert_true (a == b);
      return;
    }
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->value, ==, b->value);
  g_assert_cmpstr (a->desc, ==, b->desc);
  g_assert_cmpuint (a->offset, ==, b->offset);
  g_assert_cmpuint (a->length, ==, b->length);
  g_assert_true (b->parent == b_parent);
  g_assert_cmpuint (tls_field_n_children (a), ==, tls_field_n_children (b));
  for (guint i = 0; i < tls_field_n_children (a); i++)
    assert_fields_equal (tls_field_child (a, i), tls_field_child (b, i), b);
}

static void
assert_values_equal (GPtrArray *a, GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      TlsTraceValue *va = g_ptr_array_index (a, i), *vb = g_ptr_array_index (b, i);
      g_assert_cmpstr (va->name, ==, vb->name);
      assert_bytes_equal (va->bytes, vb->bytes);
      g_assert_cmpstr (va->text, ==, vb->text);
      g_assert_cmpint (va->from_step, ==, vb->from_step);
      g_assert_cmpstr (va->note, ==, vb->note);
    }
}

static void
assert_steps_equal (const TlsStep *a, const TlsStep *b)
{
  g_assert_cmpuint (a->index, ==, b->index);
  g_assert_cmpuint (a->connection, ==, b->connection);
  g_assert_cmpint (a->actor, ==, b->actor);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpint (a->observed, ==, b->observed);
  g_assert_cmpstr (a->title, ==, b->title);
  g_assert_cmpstr (a->explanation, ==, b->explanation);
  g_assert_cmpstr (a->rfc, ==, b->rfc);
  g_assert_cmpuint (a->content_type, ==, b->content_type);
  g_assert_cmpuint (a->handshake_type, ==, b->handshake_type);
  assert_bytes_equal (a->bytes, b->bytes);
  assert_fields_equal (a->fields, b->fields, NULL);
  assert_bytes_equal (a->wire, b->wire);
  assert_fields_equal (a->wire_fields, b->wire_fields, NULL);
  g_assert_cmpint (a->encrypted, ==, b->encrypted);
  g_assert_cmpstr (a->formula, ==, b->formula);
  assert_values_equal (a->inputs, b->inputs);
  assert_values_equal (a->outputs, b->outputs);
  g_assert_cmpstr (a->subject, ==, b->subject);
  g_assert_cmpstr (a->against, ==, b->against);
  g_assert_cmpint (a->result, ==, b->result);
  g_assert_cmpuint (a->options->len, ==, b->options->len);
  for (guint i = 0; i < a->options->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a->options, i), ==, g_ptr_array_index (b->options, i));
  g_assert_cmpstr (a->choice, ==, b->choice);
  g_assert_cmpint (a->chosen_option, ==, b->chosen_option);
  g_assert_cmpstr (a->reason, ==, b->reason);
  g_assert_cmpuint (a->alert_level, ==, b->alert_level);
  g_assert_cmpuint (a->alert_description, ==, b->alert_description);
}

static void
assert_traces_equal (const TlsTrace *a, const TlsTrace *b)
{
  GHashTableIter it;
  gpointer k, v;

  g_assert_cmpstr (a->scenario, ==, b->scenario);
  g_assert_cmpint (a->seeded, ==, b->seeded);
  g_assert_cmpuint (a->seed, ==, b->seed);
  g_assert_cmpint (a->clock, ==, b->clock);
  g_assert_cmpuint (a->connection, ==, b->connection);
  g_assert_cmpuint (g_hash_table_size (a->meta), ==, g_hash_table_size (b->meta));
  g_hash_table_iter_init (&it, a->meta);
  while (g_hash_table_iter_next (&it, &k, &v))
    g_assert_cmpstr (tls_trace_get_meta (b, k), ==, v);
  g_assert_cmpuint (tls_trace_len (a), ==, tls_trace_len (b));
  for (guint i = 0; i < tls_trace_len (a); i++)
    assert_steps_equal (tls_trace_get (a, i), tls_trace_get (b, i));
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */



/* ------------------------------------------------------------------ */
/* Round trip                                                          */

static void
test_roundtrip (void)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  g_autoptr (TlsTrace) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("trace-json-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trace.json", NULL);
  g_autofree char *first = NULL, *second = NULL;

  g_test_summary ("Every member of a trace with every kind of step survives save and load");
  g_assert_true (tls_trace_save_json (trace, path, &error));
  g_assert_no_error (error);
  back = tls_trace_load_json (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  assert_traces_equal (trace, back);

  /* and writing the loaded trace gives the same text */
  first = tls_trace_to_json (trace, NULL);
  second = tls_trace_to_json (back, NULL);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpuint (tu_tmpdir_count (dir), ==, 1);
  tu_tmpdir_remove (dir);
}

static void
test_roundtrip_defaults (void)
{
  g_autoptr (TlsTrace) trace = tls_trace_new ();
  g_autoptr (TlsTrace) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  TlsStep *s;

  g_test_summary ("Unusual members round-trip: a 64-bit seed, a negative clock, no scenario, "
                  "empty bytes, members outside their step's kind, a field with no name");
  trace->seeded = TRUE;
  trace->seed = G_MAXUINT64;
  trace->clock = -5;
  s = tls_trace_add (trace, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, NULL);
  s->bytes = g_bytes_new (NULL, 0);
  s->fields = tls_field_new (NULL, 0, 0);
  s->alert_level = 1;
  s->choice = g_strdup ("");
  s->result = TLS_CHECK_FAILED;
  tls_step_add_option (s, "only");
  s = tls_trace_add (trace, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "empty");

  json = tls_trace_to_json (trace, NULL);
  g_assert_nonnull (strstr (json, "\"seed\" : \"18446744073709551615\""));
  back = tls_trace_from_json (json, (gsize) -1, &error);
  g_assert_no_error (error);
  assert_traces_equal (trace, back);
  g_assert_nonnull (tls_trace_get (back, 0)->bytes);
  g_assert_cmpuint (g_bytes_get_size (tls_trace_get (back, 0)->bytes), ==, 0);
  g_assert_null (tls_trace_get (back, 1)->bytes);

  /* unseeded: seed is null */
  tls_trace_free (g_steal_pointer (&back));
  trace->seeded = FALSE;
  trace->seed = 0;
  g_free (json);
  json = tls_trace_to_json (trace, NULL);
  g_assert_nonnull (strstr (json, "\"seed\" : null"));
  back = tls_trace_from_json (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_false (back->seeded);
}

static void
test_shape (void)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  gsize len;
  JsonObject *top, *step, *field;
  JsonArray *steps;

  g_test_summary ("The JSON has the documented top level, lowercase hex and nested fields");
  json = tls_trace_to_json (trace, &len);
  g_assert_cmpuint (len, ==, strlen (json));
  g_assert_true (g_str_has_suffix (json, "}\n"));
  g_assert_true (json_parser_load_from_data (parser, json, len, &error));
  g_assert_no_error (error);
  top = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (top, "format"), ==, "handshake-lab-trace");
  g_assert_cmpint (json_object_get_int_member (top, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (top, "scenario"), ==, "full");
  g_assert_cmpint (json_object_get_int_member (top, "seed"), ==, 42);
  g_assert_cmpint (json_object_get_int_member (top, "clock"), ==, 1780315200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (top, "meta"),
                                                  "conn0.suite"),
                   ==, "TLS_RSA_WITH_AES_128_GCM_SHA256");
  steps = json_object_get_array_member (top, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, tls_trace_len (trace));

  step = json_array_get_object_element (steps, 0);
  g_assert_cmpstr (json_object_get_string_member (step, "actor"), ==, "client");
  g_assert_cmpstr (json_object_get_string_member (step, "kind"), ==, "message");
  g_assert_cmpint (json_object_get_int_member (step, "handshake_type"), ==, 1);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (step, "bytes"), "010000"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (step, "wire"), "160303"));
  g_assert_nonnull (strstr (json_object_get_string_member (step, "bytes"),
                            "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"));
  field = json_object_get_object_member (step, "fields");
  g_assert_cmpstr (json_object_get_string_member (field, "name"), ==, "ClientHello");
  field = json_array_get_object_element (json_object_get_array_member (field, "children"), 1);
  g_assert_cmpstr (json_object_get_string_member (field, "name"), ==, "body");
  g_assert_cmpint (json_object_get_int_member (field, "offset"), ==, 1);

  step = json_array_get_object_element (steps, 3);
  g_assert_cmpstr (json_object_get_string_member (step, "kind"), ==, "derivation");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     json_object_get_array_member (step, "inputs"), 0), "from_step"), ==, 2);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (
                   json_object_get_array_member (step, "inputs"), 1), "from_step"));
  g_assert_false (json_object_has_member (step, "wire"));

  step = json_array_get_object_element (steps, 8);
  g_assert_cmpstr (json_object_get_string_member (step, "result"), ==, "not checked");
}

/* ------------------------------------------------------------------ */
/* Saving safely                                                       */

static void
test_save_replaces (void)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("trace-json-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trace.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;

  g_test_summary ("Saving over an existing file replaces it whole, with no temporary file left");
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (tls_trace_save_json (trace, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  expected = tls_trace_to_json (trace, NULL);
  g_assert_cmpstr (contents, ==, expected);
  g_assert_cmpuint (tu_tmpdir_count (dir), ==, 1);
  tu_tmpdir_remove (dir);
}

static void
test_save_no_directory (void)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("trace-json-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "missing", "trace.json", NULL);

  g_test_summary ("Saving into a directory that does not exist fails with a clear error");
  g_assert_false (tls_trace_save_json (trace, path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "trace.json"));
  g_assert_cmpuint (tu_tmpdir_count (dir), ==, 0);
  tu_tmpdir_remove (dir);
}

static void
test_save_over_directory (void)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("trace-json-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trace.json", NULL);
  g_autofree char *inside = g_build_filename (path, "keep", NULL);

  g_test_summary ("When the rename fails (PATH is a directory), the temporary file is "
                  "removed and PATH is untouched");
  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  g_assert_true (g_file_set_contents (inside, "kept", -1, NULL));
  g_assert_false (tls_trace_save_json (trace, path, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_FILE_ERROR);
  g_assert_true (g_file_test (inside, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (tu_tmpdir_count (dir), ==, 1);
  tu_tmpdir_remove (dir);
}

static void
test_save_write_fails (void)
{
  g_test_summary ("When writing fails half-way (file size limit: as with a full disk, and "
                  "unlike permissions it holds for root), the old file is unchanged and no "
                  "temporary file is left");

  if (g_test_subprocess ())
    {
      g_autoptr (TlsTrace) trace = sample_trace ();
      g_autoptr (GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("trace-json-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "trace.json", NULL);
      g_autofree char *contents = NULL;
      g_autofree char *big = g_malloc0 (64 * 1024);
      struct rlimit rl = { 4096, 4096 };
      TlsStep *s;

      g_assert_true (g_file_set_contents (path, "the user's old trace", -1, NULL));
      s = tls_trace_add (trace, TLS_STEP_APPDATA, TLS_ACTOR_SERVER, "big");
      s->bytes = g_bytes_new (big, 64 * 1024);

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &rl), ==, 0);
      g_assert_false (tls_trace_save_json (trace, path, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == G_FILE_ERROR);
      g_test_message ("error: %s", error->message);

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "the user's old trace");
      g_assert_cmpuint (tu_tmpdir_count (dir), ==, 1);
      tu_tmpdir_remove (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* ------------------------------------------------------------------ */
/* Loading bad files                                                   */

typedef struct
{
  const char *name;
  const char *json;
  int         code;
  const char *message;   /* a part of the error message */
} BadCase;

#define TOP "{\"format\":\"handshake-lab-trace\",\"version\":1,"
#define MSG(extra) TOP "\"steps\":[{\"index\":0,\"actor\":\"client\",\"kind\":\"message\"," extra "}]}"

static const BadCase bad_cases[] = {
  { "not-json", "this is not JSON", TLS_TRACE_JSON_ERROR_PARSE, "Not JSON" },
  { "empty", "", TLS_TRACE_JSON_ERROR_PARSE, "empty" },
  { "unclosed", "{\"format\": \"handshake-lab-trace\"", TLS_TRACE_JSON_ERROR_PARSE, "Not JSON" },
  { "array", "[1, 2, 3]", TLS_TRACE_JSON_ERROR_FORMAT, "the top level is an array" },
  { "wrong-format", "{\"format\":\"pcap\",\"version\":1,\"steps\":[]}",
    TLS_TRACE_JSON_ERROR_FORMAT, "“format” is “pcap”" },
  { "no-format", "{\"version\":1,\"steps\":[]}", TLS_TRACE_JSON_ERROR_FORMAT, "no “format”" },
  { "version-2", "{\"format\":\"handshake-lab-trace\",\"version\":2,\"steps\":[]}",
    TLS_TRACE_JSON_ERROR_VERSION, "version 2 cannot be read" },
  { "version-string", "{\"format\":\"handshake-lab-trace\",\"version\":\"1\",\"steps\":[]}",
    TLS_TRACE_JSON_ERROR_INVALID, "version: expected an integer, found a string" },
  { "no-steps", TOP "\"scenario\":\"x\"}", TLS_TRACE_JSON_ERROR_INVALID, "steps: expected an array" },
  { "steps-object", TOP "\"steps\":{}}", TLS_TRACE_JSON_ERROR_INVALID, "steps: expected an array, found an object" },
  { "step-number", TOP "\"steps\":[7]}", TLS_TRACE_JSON_ERROR_INVALID, "steps[0]: expected a step object" },
  { "index-mismatch", TOP "\"steps\":[{\"index\":3,\"actor\":\"client\",\"kind\":\"check\"}]}",
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].index: is 3" },
  { "bad-actor", TOP "\"steps\":[{\"index\":0,\"actor\":\"eve\",\"kind\":\"check\"}]}",
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].actor: unknown value “eve”" },
  { "bad-kind", TOP "\"steps\":[{\"index\":0,\"actor\":\"client\",\"kind\":\"magic\"}]}",
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].kind: unknown value" },
  { "no-actor", TOP "\"steps\":[{\"index\":0,\"kind\":\"check\"}]}",
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].actor: missing" },
  { "bad-hex-char", MSG ("\"bytes\":\"16030g\""), TLS_TRACE_JSON_ERROR_INVALID,
    "steps[0].bytes: not hex: “g” at character 5" },
  { "bad-hex-odd", MSG ("\"bytes\":\"160\""), TLS_TRACE_JSON_ERROR_INVALID,
    "steps[0].bytes: not hex: an odd number of digits" },
  { "bad-hex-space", MSG ("\"wire\":\"16 03\""), TLS_TRACE_JSON_ERROR_INVALID,
    "steps[0].wire: not hex: “ ” at character 2" },
  { "hex-number", MSG ("\"bytes\":1603"), TLS_TRACE_JSON_ERROR_INVALID,
    "steps[0].bytes: expected a string, found an integer" },
  { "span-outside", MSG ("\"bytes\":\"01020304\",\"fields\":{\"name\":\"m\",\"offset\":0,\"length\":4,"
                         "\"children\":[{\"name\":\"a\",\"offset\":2,\"length\":3}]}"),
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].fields.children[0]: span 2+3 ends past the 4 bytes" },
  { "span-huge", MSG ("\"bytes\":\"0102\",\"fields\":{\"name\":\"m\",\"offset\":1,"
                      "\"length\":9223372036854775807}"),
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].fields: span 1+9223372036854775807 ends past the 2 bytes" },
  { "span-no-bytes", MSG ("\"wire_fields\":{\"name\":\"r\",\"offset\":0,\"length\":5}"),
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].wire_fields: span 0+5 ends past the 0 bytes" },
  { "negative-offset", MSG ("\"bytes\":\"01\",\"fields\":{\"name\":\"m\",\"offset\":-1,\"length\":1}"),
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].fields.offset: -1 is out of range" },
  { "field-no-length", MSG ("\"bytes\":\"01\",\"fields\":{\"name\":\"m\",\"offset\":0}"),
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].fields.length: missing" },
  { "child-not-object", MSG ("\"bytes\":\"01\",\"fields\":{\"name\":\"m\",\"offset\":0,\"length\":1,"
                             "\"children\":[\"x\"]}"),
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].fields.children[0]: expected a field object" },
  { "content-type-range", MSG ("\"content_type\":256"), TLS_TRACE_JSON_ERROR_INVALID,
    "steps[0].content_type: 256 is out of range (0 to 255)" },
  { "fraction", MSG ("\"alert_level\":1.5"), TLS_TRACE_JSON_ERROR_INVALID,
    "steps[0].alert_level: expected an integer, found a fractional number" },
  { "from-step-missing", TOP "\"steps\":[{\"index\":0,\"actor\":\"client\",\"kind\":\"derivation\","
                             "\"inputs\":[{\"name\":\"x\",\"hex\":\"00\",\"from_step\":5}]}]}",
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].inputs[0].from_step: step 5 does not exist (the trace has 1 step)" },
  { "from-step-negative", TOP "\"steps\":[{\"index\":0,\"actor\":\"client\",\"kind\":\"derivation\","
                              "\"outputs\":[{\"name\":\"x\",\"from_step\":-7}]}]}",
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].outputs[0].from_step: -7 is out of range" },
  { "value-bad-hex", TOP "\"steps\":[{\"index\":0,\"actor\":\"client\",\"kind\":\"derivation\","
                         "\"outputs\":[{\"name\":\"x\",\"hex\":\"zz\"}]}]}",
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].outputs[0].hex: not hex" },
  { "bad-result", TOP "\"steps\":[{\"index\":0,\"actor\":\"client\",\"kind\":\"check\","
                      "\"result\":\"maybe\"}]}",
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].result: unknown value “maybe”" },
  { "option-number", TOP "\"steps\":[{\"index\":0,\"actor\":\"client\",\"kind\":\"decision\","
                         "\"options\":[\"a\",2]}]}",
    TLS_TRACE_JSON_ERROR_INVALID, "steps[0].options[1]: expected a string, found an integer" },
  { "meta-number", TOP "\"meta\":{\"conn0.version\":3},\"steps\":[]}",
    TLS_TRACE_JSON_ERROR_INVALID, "meta.conn0.version: expected a string" },
  { "seed-negative", TOP "\"seed\":-1,\"steps\":[]}", TLS_TRACE_JSON_ERROR_INVALID, "seed: expected a non-negative" },
  { "seed-words", TOP "\"seed\":\"forty-two\",\"steps\":[]}", TLS_TRACE_JSON_ERROR_INVALID, "seed:" },
  { "seed-too-big", TOP "\"seed\":\"18446744073709551616\",\"steps\":[]}", TLS_TRACE_JSON_ERROR_INVALID, "seed:" },
  { "observed-string", MSG ("\"observed\":\"yes\""), TLS_TRACE_JSON_ERROR_INVALID,
    "steps[0].observed: expected true or false, found a string" },
  { "title-number", MSG ("\"title\":5"), TLS_TRACE_JSON_ERROR_INVALID,
    "steps[0].title: expected a string, found an integer" },
};

static void
test_load_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsTrace) trace = NULL;

  trace = tls_trace_from_json (c->json, strlen (c->json), &error);
  g_assert_null (trace);
  g_assert_error (error, TLS_TRACE_JSON_ERROR, c->code);
  g_test_message ("%s: %s", c->name, error->message);
  if (strstr (error->message, c->message) == NULL)
    g_error ("%s: expected “%s” in “%s”", c->name, c->message, error->message);
}

static void
test_load_deep (void)
{
  g_autoptr (GString) s = g_string_new (TOP "\"steps\":");
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsTrace) trace = NULL;
  g_autoptr (TlsTrace) sample = sample_trace ();
  g_autofree char *json = NULL;
  g_autofree char *deep = NULL;
  TlsField *f;

  g_test_summary ("Deep nesting is refused before it can exhaust the stack");
  for (int i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  trace = tls_trace_from_json (s->str, s->len, &error);
  g_assert_null (trace);
  g_assert_error (error, TLS_TRACE_JSON_ERROR, TLS_TRACE_JSON_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "nested deeper"));
  g_clear_error (&error);

  /* brackets inside strings do not count */
  tls_trace_get (sample, 0)->title = (g_free (tls_trace_get (sample, 0)->title),
                                      g_strnfill (1000, '['));
  json = tls_trace_to_json (sample, NULL);
  trace = tls_trace_from_json (json, (gsize) -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (tls_trace_get (trace, 0)->title), ==, 1000);
  g_clear_pointer (&trace, tls_trace_free);

  /* a field tree deeper than the loader accepts, within the JSON limit */
  f = tls_trace_get (sample, 0)->fields;
  for (int i = 0; i < 70; i++)
    f = tls_field_add (f, "deeper", 0, 1);
  deep = tls_trace_to_json (sample, NULL);
  trace = tls_trace_from_json (deep, (gsize) -1, &error);
  g_assert_null (trace);
  g_assert_error (error, TLS_TRACE_JSON_ERROR, TLS_TRACE_JSON_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nested deeper than 64"));
}

static void
test_load_file_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("trace-json-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.json", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);

  g_test_summary ("Loading a missing, empty or bad file names the file in the error");
  g_assert_null (tls_trace_load_json (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_null (tls_trace_load_json (empty, &error));
  g_assert_error (error, TLS_TRACE_JSON_ERROR, TLS_TRACE_JSON_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "empty.json"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (bad, "{\"format\":\"other\"}", -1, NULL));
  g_assert_null (tls_trace_load_json (bad, &error));
  g_assert_error (error, TLS_TRACE_JSON_ERROR, TLS_TRACE_JSON_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, bad));
  g_clear_error (&error);

  g_assert_null (tls_trace_load_json (dir, &error));
  g_assert_nonnull (error);
  tu_tmpdir_remove (dir);
}

static void
test_truncations (void)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  g_autofree char *json = tls_trace_to_json (trace, NULL);
  gsize len = strlen (json);
  guint n = 0;

  g_test_summary ("Every truncation of a valid trace is refused with an error, no crash");
  while (len > 0 && g_ascii_isspace (json[len - 1]))
    len--;
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr (GError) error = NULL;
      /* a copy of exactly CUT bytes, so a read past the end is caught by
       * valgrind or ASan */
      g_autofree char *part = g_memdup2 (json, cut);
      TlsTrace *t = tls_trace_from_json (part, cut, &error);

      g_assert_null (t);
      g_assert_nonnull (error);
      g_assert_true (error->domain == TLS_TRACE_JSON_ERROR);
      n++;
    }
  g_test_message ("%u truncations refused", n);
}

static void
test_mutations (void)
{
  g_autoptr (TlsTrace) trace = sample_trace ();
  g_autofree char *json = tls_trace_to_json (trace, NULL);
  gsize len = strlen (json);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20260601);
  const char alphabet[] = "{}[]\":,0123456789abcdefgxyz-.e \\\x01\xff";
  guint loaded = 0, refused = 0;

  g_test_summary ("Random corruptions of a valid trace load or fail cleanly, never crash");
  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *copy = g_memdup2 (json, len);
      guint n_edits = g_rand_int_range (rand, 1, 4);
      TlsTrace *t;

      for (guint e = 0; e < n_edits; e++)
        copy[g_rand_int_range (rand, 0, (gint32) len)] =
          alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      t = tls_trace_from_json (copy, len, &error);
      if (t != NULL)
        {
          g_assert_no_error (error);
          /* what loaded is a consistent trace: it saves again */
          g_free (tls_trace_to_json (t, NULL));
          tls_trace_free (t);
          loaded++;
        }
      else
        {
          g_assert_nonnull (error);
          refused++;
        }
    }
  g_test_message ("%u loaded, %u refused", loaded, refused);
  g_assert_cmpuint (refused, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/trace-json/roundtrip", test_roundtrip);
  g_test_add_func ("/trace-json/roundtrip-defaults", test_roundtrip_defaults);
  g_test_add_func ("/trace-json/shape", test_shape);
  g_test_add_func ("/trace-json/save/replaces", test_save_replaces);
  g_test_add_func ("/trace-json/save/no-directory", test_save_no_directory);
  g_test_add_func ("/trace-json/save/over-directory", test_save_over_directory);
  g_test_add_func ("/trace-json/save/write-fails", test_save_write_fails);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/trace-json/load-bad/%s", bad_cases[i].name);
      g_test_add_data_func (name, &bad_cases[i], test_load_bad);
    }
  g_test_add_func ("/trace-json/load-deep", test_load_deep);
  g_test_add_func ("/trace-json/load-file-errors", test_load_file_errors);
  g_test_add_func ("/trace-json/truncations", test_truncations);
  g_test_add_func ("/trace-json/mutations", test_mutations);
  return g_test_run ();
}
