/* test-notes.c — the teacher's own notes on steps (TlsStep.teacher_note):
 * kept by the JSON round trip, shown (escaped, marked as the teacher's) in
 * the text trace and the HTML handout at both levels of detail, and absent
 * from every export of a run without notes. */
#include "tls-conductor.h"
#include "tls-trace-html.h"
#include "tls-trace-json.h"
#include "tls-trace-text.h"
#include "test-util.h"

#include <string.h>

/* The first step grouped under another one (a step of the full view only). */
static TlsStep *
first_child (TlsTrace *trace)
{
  for (guint i = 0; i < tls_trace_len (trace); i++)
    if (tls_trace_get (trace, i)->parent >= 0)
      return tls_trace_get (trace, i);
  g_assert_not_reached ();
}

static void
test_json_roundtrip (void)
{
  TlsConductor *c = tu_run_scenario ("resumption");
  TlsTrace *trace = tls_conductor_get_trace (c);
  TlsStep *child = first_child (trace);
  g_autofree char *json = NULL, *again = NULL;
  g_autoptr (TlsTrace) loaded = NULL;
  g_autoptr (GError) error = NULL;
  gsize len, len2;
  guint n_notes = 0;

  g_test_summary ("Notes on a top-level and a grouped step survive JSON out and in, unchanged");
  tls_step_set_teacher_note (tls_trace_get (trace, 0), "  Ask the class: why 32 random bytes?\n");
  tls_step_set_teacher_note (child, "Quote \"this\" & <that>");
  g_assert_cmpstr (tls_trace_get (trace, 0)->teacher_note, ==, "Ask the class: why 32 random bytes?");
  json = tls_trace_to_json (trace, &len);
  g_assert_nonnull (strstr (json, "\"note\" : \"Ask the class: why 32 random bytes?\""));
  loaded = tls_trace_from_json (json, len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tls_trace_get (loaded, 0)->teacher_note, ==, "Ask the class: why 32 random bytes?");
  g_assert_cmpstr (tls_trace_get (loaded, child->index)->teacher_note, ==, "Quote \"this\" & <that>");
  for (guint i = 0; i < tls_trace_len (loaded); i++)
    n_notes += tls_trace_get (loaded, i)->teacher_note != NULL;
  g_assert_cmpuint (n_notes, ==, 2);
  again = tls_trace_to_json (loaded, &len2);
  g_assert_cmpmem (json, len, again, len2);

  /* A note that is not a string is refused, naming the member. */
  {
    g_autoptr (GString) bad = g_string_new (json);
    g_autoptr (TlsTrace) none = NULL;
    g_assert_cmpuint (g_string_replace (bad, "\"Ask the class: why 32 random bytes?\"", "12345", 1), ==, 1);
    none = tls_trace_from_json (bad->str, bad->len, &error);
    g_assert_null (none);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "note"));
  }
  tls_conductor_free (c);
}

static void
test_no_notes_unchanged (void)
{
  TlsConductor *c = tu_run_scenario ("resumption");
  TlsTrace *trace = tls_conductor_get_trace (c);
  g_autofree char *json = NULL, *html = NULL, *lesson = NULL, *text = NULL;
  g_autofree char *json2 = NULL, *html2 = NULL, *lesson2 = NULL, *text2 = NULL;
  gsize len, len2;

  g_test_summary ("Without notes no export holds one; a note set then cleared leaves every "
                  "export byte for byte as before");
  json = tls_trace_to_json (trace, &len);
  html = tls_trace_to_html (trace);
  lesson = tls_trace_to_html_at (trace, TLS_DETAIL_LESSON);
  text = tls_trace_to_text (trace, 0);
  {
    g_autoptr (TlsTrace) loaded = tls_trace_from_json (json, len, NULL);
    g_assert_nonnull (loaded);
    for (guint i = 0; i < tls_trace_len (loaded); i++)
      g_assert_null (tls_trace_get (loaded, i)->teacher_note);
  }
  g_assert_null (strstr (html, "teacher-note"));
  g_assert_null (strstr (lesson, "teacher-note"));
  g_assert_null (strstr (text, "Teacher's note"));

  tls_step_set_teacher_note (tls_trace_get (trace, 3), "temporary");
  tls_step_set_teacher_note (tls_trace_get (trace, 3), " \t\n");
  g_assert_null (tls_trace_get (trace, 3)->teacher_note);
  json2 = tls_trace_to_json (trace, &len2);
  html2 = tls_trace_to_html (trace);
  lesson2 = tls_trace_to_html_at (trace, TLS_DETAIL_LESSON);
  text2 = tls_trace_to_text (trace, 0);
  g_assert_cmpmem (json, len, json2, len2);
  g_assert_cmpstr (html, ==, html2);
  g_assert_cmpstr (lesson, ==, lesson2);
  g_assert_cmpstr (text, ==, text2);
  tls_conductor_free (c);
}

static void
test_shown (void)
{
  TlsConductor *c = tu_run_scenario ("resumption");
  TlsTrace *trace = tls_conductor_get_trace (c);
  TlsStep *child = first_child (trace);
  g_autofree char *html = NULL, *lesson = NULL, *text = NULL, *brief = NULL, *lesson_text = NULL;
  g_autofree char *anchor = NULL;
  const char *at;

  g_test_summary ("A note is printed beside its step, marked as the teacher's and escaped, "
                  "in the full and lesson handouts and in the text trace");
  tls_step_set_teacher_note (tls_trace_get (trace, 0), "<script>alert(1)</script>");
  tls_step_set_teacher_note (child, "grouped & noted");
  html = tls_trace_to_html (trace);
  lesson = tls_trace_to_html_at (trace, TLS_DETAIL_LESSON);
  for (int k = 0; k < 2; k++)
    {
      const char *h = k == 0 ? html : lesson;
      g_assert_null (strstr (h, "<script"));
      /* The note is inside step 1's section, after its explanation. */
      at = strstr (h, "<section class=\"step actor-client long\" id=\"step-0\">");
      if (at == NULL)
        at = strstr (h, "id=\"step-0\">");
      g_assert_nonnull (at);
      at = strstr (at, "<div class=\"teacher-note\"><b>Teacher&apos;s note:</b> "
                       "&lt;script&gt;alert(1)&lt;/script&gt;</div>");
      g_assert_nonnull (at);
      g_assert_null (g_strstr_len (strstr (h, "id=\"step-0\">"), at - strstr (h, "id=\"step-0\">"),
                                   "id=\"step-1\""));
      g_assert_nonnull (strstr (h, ".teacher-note{"));
      g_assert_nonnull (strstr (h, "grouped &amp; noted"));
    }
  /* At the lesson level the grouped step's note is on its line. */
  anchor = g_strdup_printf ("<li id=\"step-%u\">", child->index);
  at = strstr (lesson, anchor);
  g_assert_nonnull (at);
  g_assert_true (strstr (at, "grouped &amp; noted") < strstr (at, "</li>"));

  text = tls_trace_to_text (trace, 0);
  brief = tls_trace_to_text (trace, TLS_TEXT_BRIEF);
  lesson_text = tls_trace_to_text (trace, TLS_TEXT_LESSON | TLS_TEXT_BRIEF);
  g_assert_nonnull (strstr (text, "    Teacher's note: <script>alert(1)</script>\n"));
  g_assert_nonnull (strstr (brief, "    Teacher's note: <script>alert(1)</script>\n"));
  g_assert_nonnull (strstr (text, "Teacher's note: grouped & noted\n"));
  g_assert_nonnull (strstr (lesson_text, "      Teacher's note: grouped & noted\n"));
  tls_conductor_free (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/notes/json-roundtrip", test_json_roundtrip);
  g_test_add_func ("/notes/no-notes-unchanged", test_no_notes_unchanged);
  g_test_add_func ("/notes/shown", test_shown);
  return g_test_run ();
}
