/* tls-lesson.c — lesson files: loading, placing at steps, the text shown. */
#include "tls-lesson.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define LESSON "Lesson"

static const char *const lesson_keys[] = {
  "name", "title", "goal", "scenario", "outcome", "order", NULL
};
static const char *const note_keys[] = {
  "step", "by", "connection", "kind", "text", "rfc", "command", NULL
};
static const char *const question_keys[] = {
  "step", "by", "connection", "kind", "ask", "answer", "rfc", "predict", NULL
};
/* Keys that may have translations (key[LANG]). */
static const char *const localized[] = { "title", "goal", "outcome", "text", "ask", "answer", NULL };

const char *const *
tls_lesson_keys (const char *group)
{
  if (g_strcmp0 (group, "Lesson") == 0)
    return lesson_keys;
  if (g_strcmp0 (group, "Note") == 0)
    return note_keys;
  if (g_strcmp0 (group, "Question") == 0)
    return question_keys;
  return NULL;
}

static void
item_free (gpointer p)
{
  TlsLessonItem *it = p;

  g_free (it->id);
  tls_step_ref_clear (&it->at);
  g_free (it->text);
  g_free (it->answer);
  g_free (it->rfc);
  g_free (it->command);
  g_free (it);
}

void
tls_lesson_free (TlsLesson *l)
{
  if (l == NULL)
    return;
  g_free (l->name);
  g_free (l->path);
  g_free (l->title);
  g_free (l->goal);
  g_free (l->outcome);
  tls_scenario_free (l->scenario);
  g_ptr_array_unref (l->notes);
  g_ptr_array_unref (l->questions);
  g_free (l);
}

static gboolean
fail (GError **error, const char *path, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const char *path, const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: %s", path, msg);
  return FALSE;
}

/* Every key of GROUP is one of KEYS (key[LANG] for the localized ones). */
static gboolean
check_keys (GKeyFile *kf, const char *path, const char *group, const char *const *keys,
            GError **error)
{
  g_auto (GStrv) names = g_key_file_get_keys (kf, group, NULL, NULL);

  for (guint i = 0; names && names[i]; i++)
    {
      g_autofree char *base = g_strndup (names[i], strcspn (names[i], "["));
      gboolean translated = strchr (names[i], '[') != NULL;

      if (!g_strv_contains (keys, base) || (translated && !g_strv_contains (localized, base)))
        {
          g_autofree char *all = g_strjoinv (", ", (char **) keys);
          return fail (error, path, _("[%s]: unknown key “%s” (the keys are: %s)"), group,
                       names[i], all);
        }
    }
  return TRUE;
}

static char *
get_text (GKeyFile *kf, const char *group, const char *key)
{
  char *v = g_key_file_get_locale_string (kf, group, key, NULL, NULL);

  if (v != NULL && *g_strstrip (v) == '\0')
    g_clear_pointer (&v, g_free);
  return v;
}

/* A text the class reads (title, goal, outcome, text, ask, answer): its
 * key[LANG] in the file if it has one, else its translation in the
 * program's catalog (po/lessons.pot holds the texts of data/lessons, made
 * by tools/lessons-pot.sh), else the text as written. */
static char *
get_class_text (GKeyFile *kf, const char *group, const char *key)
{
  char *v = get_text (kf, group, key);
  g_autofree char *plain = g_key_file_get_string (kf, group, key, NULL);

  if (v == NULL || plain == NULL || g_strcmp0 (g_strstrip (plain), v) != 0)
    return v;
  g_free (v);
  return g_strdup (g_dgettext (GETTEXT_PACKAGE, plain));
}

static TlsLessonItem *
load_item (GKeyFile *kf, const char *path, const char *group, gboolean question,
           GError **error)
{
  TlsLessonItem *it = g_new0 (TlsLessonItem, 1);
  g_autofree char *by = NULL, *kind = NULL, *predict = NULL;
  GError *e = NULL;

  it->id = g_strdup (group + strlen (question ? "Question " : "Note "));
  it->step = -1;
  it->at.actor = -1;
  it->at.kind = -1;
  it->at.title = get_text (kf, group, "step");
  it->text = get_class_text (kf, group, question ? "ask" : "text");
  it->rfc = get_text (kf, group, "rfc");
  if (question)
    it->answer = get_class_text (kf, group, "answer");
  else
    it->command = get_text (kf, group, "command");
  if (it->at.title == NULL)
    {
      fail (error, path, _("[%s]: no step= (the title of the step, such as ServerHello)"), group);
      goto bad;
    }
  if (it->text == NULL)
    {
      fail (error, path, question ? _("[%s]: no ask= (the question)") : _("[%s]: no text="), group);
      goto bad;
    }
  by = g_key_file_get_string (kf, group, "by", NULL);
  if (by != NULL)
    {
      if (g_str_equal (by, "client"))
        it->at.actor = TLS_ACTOR_CLIENT;
      else if (g_str_equal (by, "server"))
        it->at.actor = TLS_ACTOR_SERVER;
      else
        {
          fail (error, path, _("[%s]: by=%s (expected client or server)"), group, by);
          goto bad;
        }
    }
  if (g_key_file_has_key (kf, group, "connection", NULL))
    {
      gint64 n = g_key_file_get_int64 (kf, group, "connection", &e);
      if (e != NULL || n < 1 || n > 100)
        {
          g_clear_error (&e);
          fail (error, path, _("[%s]: connection= takes a number from 1 (the first connection)"),
                group);
          goto bad;
        }
      it->at.connection = (guint) n;
    }
  kind = g_key_file_get_string (kf, group, "kind", NULL);
  if (kind != NULL && !tls_step_kind_parse (kind, &it->at.kind))
    {
      fail (error, path, _("[%s]: kind=%s (expected message, derivation, check, decision, alert "
                           "or appdata)"), group, kind);
      goto bad;
    }
  predict = g_key_file_get_string (kf, group, "predict", NULL);
  if (predict != NULL && !tls_predict_kind_parse (predict, &it->predict))
    {
      fail (error, path, _("[%s]: predict=%s (expected none, next-message, suite, resume or "
                           "alert)"), group, predict);
      goto bad;
    }
  return it;

bad:
  item_free (it);
  return NULL;
}

TlsLesson *
tls_lesson_load (const char *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (TlsLesson) l = g_new0 (TlsLesson, 1);
  g_auto (GStrv) groups = NULL;
  g_autofree char *scenario = NULL;
  GError *e = NULL;

  l->notes = g_ptr_array_new_with_free_func (item_free);
  l->questions = g_ptr_array_new_with_free_func (item_free);
  l->path = g_strdup (path);
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    return NULL;
  if (!g_key_file_has_group (kf, LESSON))
    {
      fail (error, path, _("no [%s] group: not a lesson file"), LESSON);
      return NULL;
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      const char *g = groups[i];
      gboolean ok;

      if (g_str_equal (g, LESSON))
        ok = check_keys (kf, path, g, lesson_keys, error);
      else if (g_str_equal (g, "Scenario"))
        ok = TRUE;   /* checked by the scenario loader */
      else if (g_str_has_prefix (g, "Note ") && g[5] != '\0')
        ok = check_keys (kf, path, g, note_keys, error);
      else if (g_str_has_prefix (g, "Question ") && g[9] != '\0')
        ok = check_keys (kf, path, g, question_keys, error);
      else
        ok = fail (error, path, _("unknown group [%s] (a lesson has [Lesson], [Scenario], "
                                  "[Note NAME] and [Question NAME])"), g);
      if (!ok)
        return NULL;
    }

  {
    g_autofree char *base = g_path_get_basename (path);
    char *dot = strrchr (base, '.');
    if (dot)
      *dot = '\0';
    l->name = g_key_file_get_string (kf, LESSON, "name", NULL);
    if (l->name == NULL)
      l->name = g_strdup (base);
  }
  l->title = get_class_text (kf, LESSON, "title");
  l->goal = get_class_text (kf, LESSON, "goal");
  l->outcome = get_class_text (kf, LESSON, "outcome");
  if (l->title == NULL || l->goal == NULL)
    {
      fail (error, path, _("[%s] needs a title= and a goal= (what the class learns)"), LESSON);
      return NULL;
    }
  if (g_key_file_has_key (kf, LESSON, "order", NULL))
    {
      l->order = g_key_file_get_integer (kf, LESSON, "order", &e);
      if (e != NULL)
        {
          g_clear_error (&e);
          fail (error, path, _("[%s]: order= takes a whole number"), LESSON);
          return NULL;
        }
    }

  scenario = g_key_file_get_string (kf, LESSON, "scenario", NULL);
  if (scenario != NULL && g_key_file_has_group (kf, "Scenario"))
    {
      fail (error, path, _("scenario=%s and a [Scenario] group: give one run, not two"), scenario);
      return NULL;
    }
  if (scenario != NULL)
    {
      l->scenario = tls_scenario_builtin (scenario);
      if (l->scenario == NULL)
        {
          g_autofree char *all = g_strjoinv (", ", (char **) tls_scenario_names ());
          fail (error, path, _("scenario=%s is not a built-in scenario (they are: %s); a "
                               "scenario of its own goes in a [Scenario] group"), scenario, all);
          return NULL;
        }
    }
  else if (g_key_file_has_group (kf, "Scenario"))
    {
      l->scenario = tls_scenario_from_key_file (kf, path, FALSE, error);
      if (l->scenario == NULL)
        return NULL;
    }
  else
    {
      fail (error, path, _("no run: give scenario=NAME in [%s] or a [Scenario] group"), LESSON);
      return NULL;
    }

  for (guint i = 0; groups[i]; i++)
    {
      gboolean question = g_str_has_prefix (groups[i], "Question ");
      TlsLessonItem *it;

      if (!question && !g_str_has_prefix (groups[i], "Note "))
        continue;
      it = load_item (kf, path, groups[i], question, error);
      if (it == NULL)
        return NULL;
      g_ptr_array_add (question ? l->questions : l->notes, it);
    }
  return g_steal_pointer (&l);
}

static int
compare_lessons (gconstpointer a, gconstpointer b)
{
  const TlsLesson *x = *(TlsLesson *const *) a, *y = *(TlsLesson *const *) b;

  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

GPtrArray *
tls_lesson_list (const char *dir, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_lesson_free);
  const char *name;

  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      TlsLesson *l;

      if (!g_str_has_suffix (name, ".lesson"))
        continue;
      path = g_build_filename (dir, name, NULL);
      l = tls_lesson_load (path, error);
      if (l == NULL)
        return NULL;
      g_ptr_array_add (out, l);
    }
  g_ptr_array_sort (out, compare_lessons);
  return g_steal_pointer (&out);
}

static gboolean
place_items (TlsLesson *l, GPtrArray *items, const char *group, const TlsTrace *trace,
             GError **error)
{
  for (guint i = 0; i < items->len; i++)
    {
      TlsLessonItem *it = items->pdata[i];
      g_autoptr (GError) e = NULL;

      it->step = tls_step_ref_resolve (&it->at, trace, &e);
      if (it->step < 0)
        return fail (error, l->path, "[%s %s]: %s", group, it->id, e->message);
      if (it->predict != TLS_PREDICT_NONE)
        {
          g_autoptr (TlsPrediction) p = tls_prediction_new (trace, (guint) it->step, it->predict, &e);
          if (p == NULL)
            return fail (error, l->path, "[%s %s]: %s", group, it->id, e->message);
        }
    }
  return TRUE;
}

gboolean
tls_lesson_place (TlsLesson *l, const TlsTrace *trace, GError **error)
{
  return place_items (l, l->notes, "Note", trace, error)
         && place_items (l, l->questions, "Question", trace, error);
}

static void
append_item (GString *s, const TlsLessonItem *it, const char *text)
{
  if (s->len > 0)
    g_string_append_c (s, '\n');
  g_string_append (s, text);
  if (it->rfc)
    g_string_append_printf (s, " (%s)", it->rfc);
  if (it->command)
    g_string_append_printf (s, _("\nRun: %s"), it->command);
}

char *
tls_lesson_text_at (const TlsLesson *l, guint step, gboolean with_answers)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < l->notes->len; i++)
    {
      const TlsLessonItem *it = l->notes->pdata[i];
      if (it->step == (int) step)
        append_item (s, it, it->text);
    }
  for (guint i = 0; i < l->questions->len; i++)
    {
      const TlsLessonItem *it = l->questions->pdata[i];
      if (it->step != (int) step)
        continue;
      if (s->len > 0)
        g_string_append_c (s, '\n');
      g_string_append_printf (s, _("Question: %s"), it->text);
      if (with_answers && it->answer)
        g_string_append_printf (s, _("\nAnswer: %s"), it->answer);
      if (it->rfc)
        g_string_append_printf (s, " (%s)", it->rfc);
    }
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

void
tls_lesson_annotate (const TlsLesson *l, TlsTrace *trace)
{
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      g_autofree char *text = tls_lesson_text_at (l, i, TRUE);
      if (text != NULL)
        tls_step_set_teacher_note (tls_trace_get (trace, i), text);
    }
}
