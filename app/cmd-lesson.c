/* cmd-lesson.c — `handshake-lab lesson [NAME|FILE]`: a lesson's goal, its
 * run printed with the lesson's notes and questions at their steps, and
 * what the run ended with (docs/lessons.md).  The run itself is `run`'s
 * (cli_run_scenario). */
#include "config.h"
#include "cli-common.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tls-lesson.h"

typedef struct
{
  TlsLesson *lesson;
  gboolean   answers;
  GString   *outcome;     /* what the run ended with, printed after the trace */
} LessonRun;

static char *
lessons_dir (void)
{
  return cli_data_file ("lessons");
}

static int
print_list (void)
{
  g_autofree char *dir = lessons_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = tls_lesson_list (dir, &error);
  int width = 0;

  if (all == NULL)
    return cli_failure ("lesson", "%s", error->message);
  for (guint i = 0; i < all->len; i++)
    width = MAX (width, (int) strlen (((TlsLesson *) all->pdata[i])->name));
  for (guint i = 0; i < all->len; i++)
    {
      const TlsLesson *l = all->pdata[i];
      g_print ("%-*s  %s\n", width, l->name, l->title);
    }
  return CLI_EXIT_OK;
}

/* A lesson of data/lessons by name, or a lesson file. */
static TlsLesson *
find_lesson (const char *name, GError **error)
{
  g_autofree char *dir = lessons_dir ();
  g_autofree char *file = g_strconcat (name, ".lesson", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  if (strchr (name, '/') == NULL && !g_str_has_suffix (name, ".lesson")
      && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return tls_lesson_load (path, error);
  if (g_file_test (name, G_FILE_TEST_EXISTS) || strchr (name, '/') != NULL
      || g_str_has_suffix (name, ".lesson"))
    {
      if (!cli_check_file (name, error))
        return NULL;
      return tls_lesson_load (name, error);
    }
  {
    g_autoptr (GPtrArray) all = tls_lesson_list (dir, NULL);
    g_autoptr (GString) names = g_string_new (NULL);

    for (guint i = 0; all && i < all->len; i++)
      g_string_append_printf (names, "%s%s", i ? ", " : "", ((TlsLesson *) all->pdata[i])->name);
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 _("unknown lesson “%s”; the lessons are: %s (or the path of a lesson file)"),
                 name, names->str);
  }
  return NULL;
}

/* Once the run has ended: the notes and questions go on their steps, and
 * the outcome is written down for after the trace. */
static gboolean
place_cb (TlsConductor *c, gpointer data, GError **error)
{
  LessonRun *run = data;
  TlsTrace *trace = tls_conductor_get_trace (c);
  guint n = 0;

  if (!tls_lesson_place (run->lesson, trace, error))
    return FALSE;
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      g_autofree char *text = tls_lesson_text_at (run->lesson, i, run->answers);
      if (text != NULL)
        tls_step_set_teacher_note (tls_trace_get (trace, i), text);
      n = MAX (n, tls_trace_get (trace, i)->connection + 1);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = cli_summary_line (trace, i, c, TLS_ACTOR_CLIENT, i + 1);
      g_string_append_printf (run->outcome, "  %s\n", line);
    }
  return TRUE;
}

int
cli_cmd_lesson (int argc, char **argv)
{
  g_auto (CliExports) ex = { 0 };
  gboolean list = FALSE, brief = FALSE, no_answers = FALSE;
  const GOptionEntry entries[] = {
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, N_("List the lessons and exit"), NULL },
    { "brief", 'b', 0, G_OPTION_ARG_NONE, &brief,
      N_("One line a step instead of the annotated trace"), NULL },
    { "no-answers", 0, 0, G_OPTION_ARG_NONE, &no_answers,
      N_("Leave the answers to the lesson's questions out (a handout for the class)"), NULL },
    CLI_EXPORT_OPTIONS (&ex),
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsLesson) lesson = NULL;
  g_autoptr (GString) outcome = g_string_new (NULL);
  LessonRun run;
  int code;

  ctx = cli_option_context_new ("lesson", _("[NAME|FILE]"),
                                _("Run a lesson: its goal, its run printed with the lesson's "
                                  "notes and questions at their steps, and its outcome. "
                                  "Without a name, list the lessons."), entries);
  if (!cli_parse_options (ctx, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc > 2)
    return cli_usage_error ("lesson", _("unexpected argument “%s”"), argv[2]);
  if (list || argc < 2)
    return print_list ();
  if (!cli_exports_check (&ex, &error))
    return cli_usage_error ("lesson", "%s", error->message);
  lesson = find_lesson (argv[1], &error);
  if (lesson == NULL)
    return cli_usage_error ("lesson", "%s", error->message);

  g_print (_("Lesson: %s\n"), lesson->title);
  g_print (_("Goal: %s\n"), lesson->goal);
  g_print (_("Run: %s — %s\n\n"), lesson->scenario->name,
           lesson->scenario->title ? _(lesson->scenario->title) : "");
  fflush (stdout);
  run = (LessonRun) { lesson, !no_answers, outcome };
  code = cli_run_scenario ("lesson", lesson->scenario, brief, FALSE, &ex, NULL, place_cb, &run);
  if (outcome->len > 0)
    {
      g_print ("\n%s\n%s", _("Outcome:"), outcome->str);
      if (lesson->outcome)
        g_print ("%s\n", lesson->outcome);
    }
  return code;
}
