/* test-lesson.c — the two levels of detail (issue 10, "At a classroom's
 * pace"; issue 11, the handout): every step of every built-in scenario is
 * grouped by the engine, a handshake is at most 20 top-level steps, stepping
 * at the lesson level stops on top-level steps only, JSON keeps the groups,
 * and the default scenario's handout prints on at most 15 pages.
 * The program's path comes in $HANDSHAKE_LAB (for the handout test). */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#include "tls-conductor.h"
#include "tls-trace-html.h"
#include "tls-trace-json.h"
#include "tls-trace-text.h"
#include "test-util.h"

#define MAX_LESSON_STEPS 20   /* issue 10: a full handshake in at most 20 */
#define MAX_HANDOUT_PAGES 15  /* issue 11: the default scenario's handout  */

/* Why TRACE breaks the grouping rule, or NULL when it keeps it: every step
 * was placed by the engine (tls_trace_group), is top-level or under a
 * top-level step of the same connection, and none waits for a parent. */
static char *
grouping_problem (const TlsTrace *trace)
{
  guint n = tls_trace_len (trace);

  for (guint i = 0; i < n; i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);

      if (!s->grouped)
        return g_strdup_printf ("step %u “%s” (%s) was not grouped: call tls_trace_group "
                                "where it is made", i + 1, s->title,
                                tls_step_kind_name (s->kind));
      if (s->parent_next)
        return g_strdup_printf ("step %u “%s” still waits for the next step of its actor",
                                i + 1, s->title);
      if (s->parent < -1 || s->parent >= (int) n || s->parent == (int) i)
        return g_strdup_printf ("step %u “%s” has parent %d", i + 1, s->title, s->parent);
      if (s->parent >= 0)
        {
          const TlsStep *p = tls_trace_get (trace, s->parent);
          if (p->parent != -1)
            return g_strdup_printf ("step %u is under step %d, which is not top-level",
                                    i + 1, s->parent + 1);
          if (p->connection != s->connection)
            return g_strdup_printf ("step %u is under step %d of another connection",
                                    i + 1, s->parent + 1);
        }
    }
  return NULL;
}

static guint
n_top_level (const TlsTrace *trace, guint connection)
{
  guint n = 0;

  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      n += s->connection == connection && s->parent < 0;
    }
  return n;
}

static void
test_scenario_groups (gconstpointer data)
{
  const char *name = data;
  TlsConductor *c = tu_run_scenario (name);
  const TlsTrace *trace = tls_conductor_get_trace (c);
  g_autofree char *problem = grouping_problem (trace);
  guint n_conn = 0;

  g_assert_cmpuint (tls_trace_len (trace), >, 0);
  if (problem != NULL)
    g_test_message ("%s: %s", name, problem);
  g_assert_null (problem);
  for (guint i = 0; i < tls_trace_len (trace); i++)
    n_conn = MAX (n_conn, tls_trace_get (trace, i)->connection + 1);
  for (guint conn = 0; conn < n_conn; conn++)
    {
      guint top = n_top_level (trace, conn);
      g_test_message ("%s, connection %u: %u top-level steps", name, conn + 1, top);
      g_assert_cmpuint (top, >, 0);
      g_assert_cmpuint (top, <=, MAX_LESSON_STEPS);
    }
  tls_conductor_free (c);
}

/* The rule keeps itself true: a step made without tls_trace_group (as a
 * new engine step would be) is caught, and so is a waiting one. */
static void
test_ungrouped_is_caught (void)
{
  g_autoptr (TlsTrace) t = tls_trace_new ();
  TlsStep *msg, *d;
  g_autofree char *before = NULL, *ungrouped = NULL, *waiting = NULL, *adopted = NULL;

  msg = tls_trace_add (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  tls_trace_commit (t, msg);
  before = grouping_problem (t);
  g_assert_null (before);

  d = tls_trace_add (t, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, "new derivation");
  tls_trace_commit (t, d);
  ungrouped = grouping_problem (t);
  g_assert_nonnull (ungrouped);
  g_assert_nonnull (strstr (ungrouped, "new derivation"));

  tls_trace_group (t, d, TLS_PARENT_NEXT);
  waiting = grouping_problem (t);
  g_assert_nonnull (waiting);
  g_assert_nonnull (strstr (waiting, "waits"));

  /* a message of the other actor does not adopt it; one of its own does */
  tls_trace_commit (t, tls_trace_add (t, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "ServerHello"));
  g_assert_true (d->parent_next);
  tls_trace_commit (t, tls_trace_add (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientKeyExchange"));
  g_assert_false (d->parent_next);
  g_assert_cmpint (d->parent, ==, 3);
  adopted = grouping_problem (t);
  g_assert_null (adopted);
}

/* A failed check is top-level even when the engine put it under a message:
 * the class must see what failed. */
static void
test_failed_check_is_top_level (void)
{
  g_autoptr (TlsTrace) t = tls_trace_new ();
  TlsStep *msg = tls_trace_add (t, TLS_STEP_MESSAGE, TLS_ACTOR_SERVER, "Finished");
  TlsStep *ok, *bad;

  tls_trace_commit (t, msg);
  ok = tls_trace_add (t, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "server Finished");
  tls_trace_group (t, ok, 0);
  ok->result = TLS_CHECK_PASSED;
  tls_trace_commit (t, ok);
  bad = tls_trace_add (t, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "server Finished");
  tls_trace_group (t, bad, 0);
  bad->result = TLS_CHECK_FAILED;
  tls_trace_commit (t, bad);
  g_assert_cmpint (ok->parent, ==, 0);
  g_assert_cmpint (bad->parent, ==, -1);
}

/* The chain is one step that opens into its checks, and the lesson view of
 * the default run shows the notes' messages (Fig. 1 and 2) in order. */
static void
test_chain_opens_into_checks (void)
{
  TlsConductor *c = tu_run_scenario ("full");
  const TlsTrace *t = tls_conductor_get_trace (c);
  int path = tls_trace_find (t, TLS_STEP_DECISION, "Certification path");
  g_autoptr (GArray) checks = NULL;
  guint n_checks = 0;

  g_assert_cmpint (path, >=, 0);
  g_assert_cmpint (tls_trace_get (t, path)->parent, ==, -1);
  checks = tls_trace_children (t, (guint) path);
  g_assert_nonnull (checks);
  for (guint i = 0; i < tls_trace_len (t); i++)
    n_checks += tls_trace_get (t, i)->kind == TLS_STEP_CHECK
                && tls_trace_get (t, i)->actor == TLS_ACTOR_CLIENT
                && i > (guint) path && strstr (tls_trace_get (t, i)->title, "Finished") == NULL
                && strstr (tls_trace_get (t, i)->title, "ServerHello") == NULL;
  /* every certificate check of the client is under the path */
  g_assert_cmpuint (checks->len, ==, n_checks);
  g_assert_cmpuint (checks->len, >=, 10);
  tls_conductor_free (c);
}

/* The messages of the lesson view, in order, for CONNECTION. */
static char *
lesson_messages (const TlsTrace *t, guint connection)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *st = tls_trace_get (t, i);
      if (st->connection == connection && st->parent < 0 && st->kind == TLS_STEP_MESSAGE)
        g_string_append_printf (s, "%s%c%s", s->len ? " " : "",
                                st->actor == TLS_ACTOR_CLIENT ? '>' : '<', st->title);
    }
  return g_string_free (s, FALSE);
}

static void
test_lesson_is_the_notes (void)
{
  TlsConductor *c = tu_run_scenario ("resumption");
  const TlsTrace *t = tls_conductor_get_trace (c);
  g_autofree char *full = lesson_messages (t, 0);
  g_autofree char *resumed = lesson_messages (t, 1);

  /* Fig. 1 and Fig. 2 of the seed notes (RSA: no ServerKeyExchange) */
  g_assert_cmpstr (full, ==, ">ClientHello <ServerHello <Certificate <ServerHelloDone "
                             ">ClientKeyExchange >ChangeCipherSpec >Finished "
                             "<ChangeCipherSpec <Finished");
  g_assert_cmpstr (resumed, ==, ">ClientHello <ServerHello <ChangeCipherSpec <Finished "
                                ">ChangeCipherSpec >Finished");
  tls_conductor_free (c);
}

/* Stepping at the lesson level with the conductor, as the window does:
 * every stop shows a top-level step, each top-level step is shown once
 * and in order, and stepping back retraces the stops. */
static void
test_lesson_stepping (gconstpointer data)
{
  const char *name = data;
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (name);
  g_autoptr (GError) error = NULL;
  TlsConductor *c = tls_conductor_new (sc, tu_datadir (), &error);
  g_autoptr (GArray) stops = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) shown = g_array_new (FALSE, FALSE, sizeof (int));
  const TlsTrace *t;
  guint pos = 0, n_top = 0;

  g_assert_no_error (error);
  t = tls_conductor_get_trace (c);
  for (;;)
    {
      guint next = tls_trace_lesson_next (t, pos);
      int current;

      while (next == 0 && tls_conductor_step (c))
        next = tls_trace_lesson_next (t, pos);
      if (next == 0)
        next = tls_trace_len (t);
      if (next == pos)
        break;
      g_assert_cmpuint (next, >, pos);
      pos = next;
      current = tls_trace_lesson_current (t, pos);
      g_assert_cmpint (current, >=, 0);
      g_assert_cmpint (tls_trace_get (t, current)->parent, ==, -1);
      /* everything grouped under it after it has happened too */
      for (guint i = current + 1; i < tls_trace_len (t); i++)
        if (tls_trace_get (t, i)->parent == current)
          g_assert_cmpuint (i, <, pos);
      g_array_append_val (stops, pos);
      g_array_append_val (shown, current);
    }
  g_assert_false (tls_conductor_step (c));
  for (guint i = 0; i < tls_trace_len (t); i++)
    n_top += tls_trace_get (t, i)->parent < 0;
  g_assert_cmpuint (shown->len, ==, n_top);
  for (guint k = 1; k < shown->len; k++)
    g_assert_cmpint (g_array_index (shown, int, k), >, g_array_index (shown, int, k - 1));
  /* back, stop by stop */
  for (guint k = stops->len; k > 1; k--)
    g_assert_cmpuint (tls_trace_lesson_previous (t, g_array_index (stops, guint, k - 1)), ==,
                      g_array_index (shown, int, k - 1));
  g_assert_cmpuint (tls_trace_lesson_previous (t, g_array_index (stops, guint, 0)), ==, 0);
  tls_conductor_free (c);
}

static void
test_json_keeps_parents (void)
{
  TlsConductor *c = tu_run_scenario ("resumption");
  const TlsTrace *t = tls_conductor_get_trace (c);
  g_autofree char *json = tls_trace_to_json (t, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsTrace) back = tls_trace_from_json (json, (gsize) -1, &error);
  guint n_children = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (tls_trace_len (back), ==, tls_trace_len (t));
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      g_assert_cmpint (tls_trace_get (back, i)->parent, ==, tls_trace_get (t, i)->parent);
      n_children += tls_trace_get (t, i)->parent >= 0;
    }
  g_assert_cmpuint (n_children, >, 0);
  g_assert_null (grouping_problem (back));
  tls_conductor_free (c);
}

static void
test_json_bad_parents (void)
{
  static const char *const bad[] = {
    /* its own parent */
    "{\"format\":\"handshake-lab-trace\",\"version\":1,\"steps\":["
    "{\"index\":0,\"actor\":\"client\",\"kind\":\"check\",\"parent\":0}]}",
    /* beyond the last step */
    "{\"format\":\"handshake-lab-trace\",\"version\":1,\"steps\":["
    "{\"index\":0,\"actor\":\"client\",\"kind\":\"check\",\"parent\":5}]}",
    /* under a step that is itself under another */
    "{\"format\":\"handshake-lab-trace\",\"version\":1,\"steps\":["
    "{\"index\":0,\"actor\":\"client\",\"kind\":\"message\"},"
    "{\"index\":1,\"actor\":\"client\",\"kind\":\"check\",\"parent\":0},"
    "{\"index\":2,\"actor\":\"client\",\"kind\":\"check\",\"parent\":1}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TlsTrace) t = tls_trace_from_json (bad[i], (gsize) -1, &error);
      g_assert_null (t);
      g_assert_error (error, TLS_TRACE_JSON_ERROR, TLS_TRACE_JSON_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "parent"));
    }
}

/* The text at the lesson level: a header for each top-level step and one
 * line for each step under it. */
static void
test_text_lesson (void)
{
  TlsConductor *c = tu_run_scenario ("full");
  const TlsTrace *t = tls_conductor_get_trace (c);
  g_autofree char *text = tls_trace_to_text (t, TLS_TEXT_LESSON);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint headers = 0, children = 0, top = 0;

  for (guint i = 0; lines[i]; i++)
    {
      headers += lines[i][0] == '[';
      children += g_str_has_prefix (lines[i], "    ├ [") || g_str_has_prefix (lines[i], "    └ [");
    }
  for (guint i = 0; i < tls_trace_len (t); i++)
    top += tls_trace_get (t, i)->parent < 0;
  g_assert_cmpuint (headers, ==, top);
  g_assert_cmpuint (children, ==, tls_trace_len (t) - top);
  tls_conductor_free (c);
}

/* The handout: at the lesson level only the top-level steps have sections,
 * every step keeps an anchor, and no glyph needs an emoji font. */
static void
test_html_lesson (void)
{
  TlsConductor *c = tu_run_scenario ("resumption");
  const TlsTrace *t = tls_conductor_get_trace (c);
  g_autofree char *lesson = tls_trace_to_html_at (t, TLS_DETAIL_LESSON);
  g_autofree char *full = tls_trace_to_html_at (t, TLS_DETAIL_FULL);
  guint sections = 0, top = 0;

  for (const char *p = lesson; (p = strstr (p, "<section ")) != NULL; p++)
    sections++;
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      g_autofree char *anchor = g_strdup_printf ("id=\"step-%u\"", i);
      top += tls_trace_get (t, i)->parent < 0;
      g_assert_nonnull (strstr (lesson, anchor));
      g_assert_nonnull (strstr (full, anchor));
    }
  g_assert_cmpuint (sections, ==, top);
  /* every link lands on an anchor */
  for (const char *p = lesson; (p = strstr (p, "href=\"#")) != NULL; p++)
    {
      g_autofree char *target = g_strndup (p + 7, strcspn (p + 7, "\""));
      g_autofree char *id = g_strdup_printf ("id=\"%s\"", target);
      g_assert_nonnull (strstr (lesson, id));
    }
  /* no character outside the Basic Multilingual Plane (emoji) */
  for (const char *p = full; *p; p = g_utf8_next_char (p))
    g_assert_cmpuint (g_utf8_get_char (p), <, 0x10000);
  tls_conductor_free (c);
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);
  return path != NULL;
}

/* Prints the default scenario's handout to PDF with a real browser engine
 * (headless chromium) and counts the pages (pdfinfo). */
static void
test_handout_pages (void)
{
  const char *program = g_getenv ("HANDSHAKE_LAB");
  g_autofree char *dir = NULL, *html = NULL, *pdf = NULL, *url = NULL, *pdf_arg = NULL;
  g_autofree char *out = NULL, *err = NULL, *info = NULL;
  g_autoptr (GError) error = NULL;
  const char *chromium = have_program ("chromium") ? "chromium" : "chromium-browser";
  const char *pages;
  int status = 0;
  guint n;

  if (program == NULL)
    {
      g_test_skip ("$HANDSHAKE_LAB is not set");
      return;
    }
  if (!have_program (chromium) || !have_program ("pdfinfo"))
    {
      g_test_skip ("chromium or pdfinfo (poppler-utils) is not installed");
      return;
    }
  dir = tu_tmpdir_new ();
  html = g_build_filename (dir, "handout.html", NULL);
  pdf = g_build_filename (dir, "handout.pdf", NULL);
  {
    /* the default scenario, the handout's default level */
    const char *argv[] = { program, "run", "--html", html, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  url = g_filename_to_uri (html, NULL, &error);
  g_assert_no_error (error);
  pdf_arg = g_strdup_printf ("--print-to-pdf=%s", pdf);
  {
    g_autofree char *profile = g_build_filename (dir, "profile", NULL);
    g_autofree char *profile_arg = g_strdup_printf ("--user-data-dir=%s", profile);
    const char *argv[] = { "timeout", "240", chromium, "--headless", "--no-sandbox",
                           "--disable-gpu", "--no-pdf-header-footer", profile_arg,
                           pdf_arg, url, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                                 NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error (error);
  }
  if (!g_file_test (pdf, G_FILE_TEST_EXISTS))
    {
      g_test_message ("chromium wrote no PDF: %s", err);
      g_test_skip ("headless chromium could not print here");
      tu_tmpdir_remove (dir);
      return;
    }
  {
    const char *argv[] = { "pdfinfo", pdf, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                                 NULL, NULL, &info, NULL, &status, &error));
    g_assert_no_error (error);
  }
  pages = strstr (info, "Pages:");
  g_assert_nonnull (pages);
  n = (guint) g_ascii_strtoull (pages + 6 + strspn (pages + 6, " "), NULL, 10);
  g_test_message ("the default scenario's handout prints on %u pages", n);
  g_assert_cmpuint (n, >, 1);
  g_assert_cmpuint (n, <=, MAX_HANDOUT_PAGES);
  tu_tmpdir_remove (dir);
}

/* run --detail lesson prints the lesson; a level that does not exist is a
 * usage error (exit 2), for run and for gui. */
static void
test_cli_detail (void)
{
  const char *program = g_getenv ("HANDSHAKE_LAB");
  g_autofree char *lesson = NULL, *full = NULL, *err = NULL, *err_gui = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (program == NULL)
    {
      g_test_skip ("$HANDSHAKE_LAB is not set");
      return;
    }
  {
    const char *argv[] = { program, "run", "--scenario", "full", "--brief", "--detail", "lesson", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &lesson, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  {
    const char *argv[] = { program, "run", "--scenario", "full", "--brief", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &full, NULL, &status, &error));
    g_assert_no_error (error);
  }
  /* the lesson: the chain's step and its checks one line each, indented */
  g_assert_nonnull (strstr (lesson, "Certification path"));
  g_assert_nonnull (strstr (lesson, "    ├ ["));
  g_assert_null (strstr (full, "    ├ ["));
  g_assert_nonnull (strstr (full, "\n[10] client  Trust anchor"));
  g_assert_null (strstr (lesson, "\n[10] client  Trust anchor"));
  {
    const char *argv[] = { program, "run", "--detail", "most", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 NULL, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    g_assert_nonnull (strstr (err, "lesson and full"));
  }
  {
    const char *argv[] = { program, "gui", "--detail", "most", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 NULL, &err_gui, &status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  }
}

int
main (int argc, char **argv)
{
  const char *const *names = tls_scenario_names ();

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *groups = g_strdup_printf ("/lesson/groups/%s", names[i]);
      g_autofree char *stepping = g_strdup_printf ("/lesson/stepping/%s", names[i]);
      g_test_add_data_func (groups, names[i], test_scenario_groups);
      g_test_add_data_func (stepping, names[i], test_lesson_stepping);
    }
  g_test_add_func ("/lesson/ungrouped-is-caught", test_ungrouped_is_caught);
  g_test_add_func ("/lesson/failed-check-is-top-level", test_failed_check_is_top_level);
  g_test_add_func ("/lesson/chain-opens-into-checks", test_chain_opens_into_checks);
  g_test_add_func ("/lesson/notes-figures", test_lesson_is_the_notes);
  g_test_add_func ("/lesson/json-keeps-parents", test_json_keeps_parents);
  g_test_add_func ("/lesson/json-bad-parents", test_json_bad_parents);
  g_test_add_func ("/lesson/text", test_text_lesson);
  g_test_add_func ("/lesson/html", test_html_lesson);
  g_test_add_func ("/lesson/cli-detail", test_cli_detail);
  g_test_add_func ("/lesson/handout-pages", test_handout_pages);
  return g_test_run ();
}
