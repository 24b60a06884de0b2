/* test-ui-lessons.c — the window's Lessons list and predict mode (issue 12):
 * the list shows every lesson; choosing one loads its run with its title
 * and goal and puts its notes on their steps; Step stops before a question,
 * the answer (right, then wrong) is scored and the step follows; predict
 * mode asks before chosen steps of any run.  Needs a display (xvfb-run). */
#include "config.h"
#include <gtk/gtk.h>
#include <string.h>
#include "lab-gui.h"
#include "lab-lessons-dialog.h"
#include "lab-session.h"
#include "lab-window.h"
#include "test-ui-util.h"

static char *
lessons_dir (void)
{
  return g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "lessons", NULL);
}

static void
chosen_cb (LabLessonsDialog *d, const char *path, char **out)
{
  *out = g_strdup (path);
}

/* Steps until a question is open (or the run ends); returns the steps made. */
static guint
step_to_question (LabWindow *w)
{
  guint n = 0;

  while (lab_window_get_question (w) == NULL && lab_session_can_step (lab_window_get_session (w)))
    {
      gtk_widget_activate_action (GTK_WIDGET (w), "lab.step", NULL);
      pump ();
      n++;
      g_assert_cmpuint (n, <, 200);
    }
  return n;
}

static void
test_lessons_list (void)
{
  g_autofree char *dir = lessons_dir ();
  g_autofree char *chosen = NULL;
  LabWindow *w;
  LabLessonsDialog *d;
  const TlsLesson *l;

  g_test_summary ("The Lessons list shows every lesson; choosing one loads it");
  NEED_DISPLAY ();
  w = lab_window_new (NULL);
  gtk_window_present (GTK_WINDOW (w));
  d = lab_lessons_dialog_new (GTK_WINDOW (w), dir);
  g_assert_cmpuint (lab_lessons_dialog_n_lessons (d), >=, 15);
  g_signal_connect (d, "lesson-chosen", G_CALLBACK (chosen_cb), &chosen);
  gtk_window_present (GTK_WINDOW (d));
  pump ();
  lab_lessons_dialog_choose (d, 0);   /* the first: classic (order 10); closes the dialog */
  pump ();
  g_assert_true (g_str_has_suffix (chosen, "classic.lesson"));
  g_assert_true (lab_window_load_lesson (w, chosen, NULL));
  l = lab_window_get_lesson (w);
  g_assert_cmpstr (l->name, ==, "classic");
  /* a note on the first ClientHello (step 0) */
  g_assert_nonnull (strstr (lab_session_get_note (lab_window_get_session (w), 0), "32 random bytes"));
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

static void
test_predict_lesson (void)
{
  g_autofree char *dir = lessons_dir ();
  g_autofree char *path = g_build_filename (dir, "fallback-scsv.lesson", NULL);
  g_autoptr (GError) error = NULL;
  const TlsPrediction *q;
  LabWindow *w;
  TlsPredictScore score;
  guint wrong;

  g_test_summary ("A lesson's question stops Step; a right answer scores, the step follows");
  NEED_DISPLAY ();
  w = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  g_assert_true (lab_window_load_lesson (w, path, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));

  step_to_question (w);
  q = lab_window_get_question (w);
  g_assert_nonnull (q);
  g_assert_cmpint (q->kind, ==, TLS_PREDICT_ALERT);
  g_assert_cmpstr (q->choices->pdata[q->right], ==, "inappropriate_fallback");
  /* the alert has not been shown yet */
  g_assert_cmpuint (lab_session_get_position (lab_window_get_session (w)), <=, q->step);
  lab_window_answer (w, q->right);
  pump ();
  g_assert_null (lab_window_get_question (w));
  score = lab_window_get_score (w);
  g_assert_cmpuint (score.asked, ==, 1);
  g_assert_cmpuint (score.right, ==, 1);
  g_assert_cmpuint (lab_session_get_position (lab_window_get_session (w)), >, 1);
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();

  /* The same lesson again, answered wrong: asked 1, right 0. */
  w = lab_window_new (NULL);
  g_assert_true (lab_window_load_lesson (w, path, &error));
  gtk_window_present (GTK_WINDOW (w));
  pump ();
  step_to_question (w);
  q = lab_window_get_question (w);
  g_assert_nonnull (q);
  wrong = q->right == 0 ? 1 : 0;
  lab_window_answer (w, wrong);
  pump ();
  score = lab_window_get_score (w);
  g_assert_cmpuint (score.asked, ==, 1);
  g_assert_cmpuint (score.right, ==, 0);
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

static void
test_predict_mode (void)
{
  g_autoptr (GError) error = NULL;
  const TlsPrediction *q;
  LabWindow *w;
  TlsPredictScore score;
  guint asked = 0;

  g_test_summary ("Predict mode asks before chosen steps of any run, and keeps the score");
  NEED_DISPLAY ();
  w = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  g_assert_true (lab_window_load_builtin (w, "classic", &error));
  lab_window_set_predict (w, TRUE);
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));

  /* first the server's resumption decision, then the suite, before the
   * first ServerHello */
  step_to_question (w);
  q = lab_window_get_question (w);
  g_assert_nonnull (q);
  g_assert_cmpint (q->kind, ==, TLS_PREDICT_RESUME);
  g_assert_cmpstr (q->choices->pdata[q->right], ==, "full handshake: a new session");
  lab_window_answer (w, q->right);
  pump ();
  asked++;
  g_assert_cmpuint (lab_session_get_position (lab_window_get_session (w)), >, 0);
  step_to_question (w);
  q = lab_window_get_question (w);
  g_assert_nonnull (q);
  g_assert_cmpint (q->kind, ==, TLS_PREDICT_SUITE);
  g_assert_cmpstr (q->choices->pdata[q->right], ==, "TLS_RSA_WITH_AES_128_CBC_SHA");
  lab_window_answer (w, (q->right + 1) % q->choices->len);
  pump ();
  asked++;
  /* then the rest of the run: alternately wrong, right */
  while (step_to_question (w), (q = lab_window_get_question (w)) != NULL)
    {
      g_assert_cmpuint (q->choices->len, >=, 2);
      lab_window_answer (w, asked % 2 ? (q->right + 1) % q->choices->len : q->right);
      pump ();
      asked++;
    }
  score = lab_window_get_score (w);
  g_assert_cmpuint (score.asked, ==, asked);
  g_assert_cmpuint (score.asked, >=, 4);   /* two suites, two resumption decisions at least */
  g_assert_cmpuint (score.right, ==, (asked + 1) / 2);
  g_assert_true (lab_session_is_finished (lab_window_get_session (w)));
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/ui/lessons/list", test_lessons_list);
  g_test_add_func ("/ui/lessons/predict-lesson", test_predict_lesson);
  g_test_add_func ("/ui/lessons/predict-mode", test_predict_mode);
  return g_test_run ();
}
