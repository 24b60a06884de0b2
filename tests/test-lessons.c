/* test-lessons.c — issue 12, "Lessons": every lesson of data/lessons runs
 * to the outcome it promises (per connection: resumed or not, completed or
 * the alert, who sent it and why; the step the lesson is about), its notes
 * and questions land on the steps they name, and each question's choices
 * hold its right answer.  The loader refuses unknown groups and keys and a
 * step the run does not have, naming them; docs/lessons.md documents every
 * key.  `handshake-lab lesson` prints the goal, the notes and the outcome
 * (the program's path in $HANDSHAKE_LAB). */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#include "tls-alert.h"
#include "tls-capture.h"
#include "tls-keys.h"
#include "tls-trace-pcapng.h"
#include "tls-conductor.h"
#include "tls-lesson.h"
#include "tls-predict.h"
#include "tls-trace-versus.h"
#include "test-util.h"

/* What a lesson promises. */
typedef struct
{
  const char *name;
  const char *resumed[2];   /* connN.resumed of each connection ("no", "yes", "yes (ticket)") */
  int         alert;        /* the fatal alert that ends the run, or -1 */
  TlsActor    alert_by;
  const char *reason;       /* in the alert's reason (the conductor's), or NULL */
  const char *step;         /* a step the run must have (the last of that title) ... */
  const char *step_value;   /* ... whose reason or choice holds this, or NULL */
} Promise;

static const Promise promises[] = {
  { "classic", { "no", "yes" }, -1, 0, NULL, "master_secret", NULL },
  { "resumption-hit", { "no", "yes" }, -1, 0, NULL, "Resume the session?", "cache hit" },
  { "resumption-miss", { "no", "no" }, -1, 0, NULL, "Resume the session?", "cache miss" },
  { "resumption-no-cache", { "no", "no" }, -1, 0, NULL, "Resume the session?", "empty session ID" },
  { "resumption-expired", { "no", "no" }, -1, 0, NULL, "Resume the session?", "has expired" },
  { "cert-expired", { "no" }, TLS_ALERT_CERTIFICATE_EXPIRED, TLS_ACTOR_CLIENT, "expired on",
    "Validity of “server.handshake-lab.test”", NULL },
  { "cert-wrong-host", { "no" }, TLS_ALERT_BAD_CERTIFICATE, TLS_ACTOR_CLIENT, "matches none",
    "Host name against “other.example”", NULL },
  { "cert-untrusted", { "no" }, TLS_ALERT_UNKNOWN_CA, TLS_ACTOR_CLIENT, "not in the trust store",
    "Trust anchor", NULL },
  { "cert-bad-signature", { "no" }, TLS_ALERT_BAD_CERTIFICATE, TLS_ACTOR_CLIENT,
    "signature does not match", "Signature on “server.handshake-lab.test”", NULL },
  { "cert-missing-intermediate", { "no" }, TLS_ALERT_UNKNOWN_CA, TLS_ACTOR_CLIENT,
    "neither among the certificates received nor in the trust store", "Trust anchor", NULL },
  { "forward-secrecy", { "no" }, -1, 0, NULL, "ClientKeyExchange", NULL },
  { "fallback-scsv", { NULL }, TLS_ALERT_INAPPROPRIATE_FALLBACK, TLS_ACTOR_SERVER,
    "TLS_FALLBACK_SCSV", NULL, NULL },
  { "bleichenbacher", { "no" }, TLS_ALERT_BAD_RECORD_MAC, TLS_ACTOR_SERVER, "did not decrypt",
    "pre_master_secret", NULL },
  { "extended-master-secret", { "no", "yes (ticket)" }, -1, 0, NULL, "master_secret (extended)",
    NULL },
  { "flipped-bit", { "no" }, TLS_ALERT_BAD_RECORD_MAC, TLS_ACTOR_SERVER, "did not decrypt",
    "Record tag", NULL },
  { "why-finished", { "no" }, TLS_ALERT_BAD_RECORD_MAC, TLS_ACTOR_SERVER, "did not decrypt",
    "Tamper: ServerHello.random", NULL },
  { "tls12-vs-tls13", { "no" }, -1, 0, NULL, "EncryptedExtensions", NULL },
};

static char *
lesson_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".lesson", NULL);
  return g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "lessons", file, NULL);
}

static const TlsStep *
find_step (const TlsTrace *trace, const char *title)
{
  for (guint i = tls_trace_len (trace); i-- > 0;)
    if (g_strcmp0 (tls_trace_get (trace, i)->title, title) == 0)
      return tls_trace_get (trace, i);
  return NULL;
}

static void
test_promise (gconstpointer data)
{
  const Promise *p = data;
  g_autofree char *path = lesson_path (p->name);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsLesson) l = tls_lesson_load (path, &error);
  TlsConductor *c;
  TlsTrace *trace;

  g_assert_no_error (error);
  g_assert_nonnull (l->title);
  g_assert_nonnull (l->goal);
  c = tls_conductor_new (l->scenario, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  tls_conductor_run (c);
  trace = tls_conductor_get_trace (c);

  /* The outcome. */
  for (guint i = 0; i < G_N_ELEMENTS (p->resumed) && p->resumed[i]; i++)
    {
      g_autofree char *key = g_strdup_printf ("conn%u.resumed", i);
      g_assert_cmpstr (tls_trace_get_meta (trace, key), ==, p->resumed[i]);
    }
  if (p->alert < 0)
    g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  else
    {
      const TlsStep *last = NULL;
      for (guint i = 0; i < tls_trace_len (trace); i++)
        if (tls_trace_get (trace, i)->kind == TLS_STEP_ALERT)
          last = tls_trace_get (trace, i);
      g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_FAILED);
      g_assert_cmpint (tls_conductor_alert (c), ==, p->alert);
      g_assert_nonnull (last);
      g_assert_cmpint (last->alert_description, ==, p->alert);
      g_assert_cmpint (last->alert_level, ==, TLS_ALERT_LEVEL_FATAL);
      g_assert_cmpint (last->actor, ==, p->alert_by);
      g_assert_nonnull (strstr (tls_conductor_reason (c), p->reason));
    }
  if (p->step)
    {
      const TlsStep *s = find_step (trace, p->step);
      g_assert_nonnull (s);
      if (p->alert >= 0 && s->kind == TLS_STEP_CHECK)
        g_assert_cmpint (s->result, ==, TLS_CHECK_FAILED);
      if (p->step_value)
        g_assert_nonnull (strstr (s->reason, p->step_value));
    }

  /* Bleichenbacher: the server carried on with a premaster secret of its
   * own (RFC 5246, 7.4.7.1), so the two sides' secrets differ. */
  if (g_str_equal (p->name, "bleichenbacher"))
    {
      const TlsStep *cs = NULL, *ss = NULL;
      for (guint i = 0; i < tls_trace_len (trace); i++)
        {
          const TlsStep *s = tls_trace_get (trace, i);
          if (g_strcmp0 (s->title, "pre_master_secret") == 0)
            *(s->actor == TLS_ACTOR_CLIENT ? &cs : &ss) = s;
        }
      g_assert_nonnull (cs);
      g_assert_nonnull (ss);
      g_assert_false (g_bytes_equal (tls_step_find_output (cs, "pre_master_secret")->bytes,
                                     tls_step_find_output (ss, "pre_master_secret")->bytes));
    }

  /* Notes and questions land on the steps they name; each question's
   * choices hold the right answer, which is what the step shows. */
  g_assert_true (tls_lesson_place (l, trace, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (l->questions->len, >=, 1);
  for (guint i = 0; i < l->notes->len; i++)
    {
      const TlsLessonItem *it = l->notes->pdata[i];
      const TlsStep *s = tls_trace_get (trace, it->step);
      g_assert_cmpstr (s->title, ==, it->at.title);
      if (it->at.actor >= 0)
        g_assert_cmpint (s->actor, ==, it->at.actor);
      if (it->at.connection)
        g_assert_cmpuint (s->connection + 1, ==, it->at.connection);
    }
  for (guint i = 0; i < l->questions->len; i++)
    {
      const TlsLessonItem *it = l->questions->pdata[i];
      const TlsStep *s = tls_trace_get (trace, it->step);
      g_autoptr (TlsPrediction) pr = NULL;
      g_autofree char *text = tls_lesson_text_at (l, it->step, TRUE);

      g_assert_cmpstr (s->title, ==, it->at.title);
      g_assert_nonnull (strstr (text, it->text));
      if (it->predict == TLS_PREDICT_NONE)
        continue;
      pr = tls_prediction_new (trace, it->step, it->predict, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (pr->choices->len, >=, 2);
      g_assert_cmpuint (pr->right, <, pr->choices->len);
      switch (it->predict)
        {
        case TLS_PREDICT_ALERT:
          g_assert_cmpstr (pr->choices->pdata[pr->right], ==, tls_alert_name (s->alert_description));
          g_assert_cmpint (s->alert_description, ==, p->alert);
          break;
        case TLS_PREDICT_NEXT_MESSAGE:
          g_assert_cmpstr (pr->choices->pdata[pr->right], ==, s->title);
          break;
        case TLS_PREDICT_SUITE:
          {
            g_autofree char *key = g_strdup_printf ("conn%u.suite", s->connection);
            g_assert_cmpstr (pr->choices->pdata[pr->right], ==, tls_trace_get_meta (trace, key));
          }
          break;
        case TLS_PREDICT_RESUME:
          g_assert_cmpint (g_str_has_prefix (pr->choices->pdata[pr->right], "resume"), ==,
                           g_str_has_prefix (p->resumed[s->connection], "yes"));
          break;
        default:
          break;
        }
    }
  tls_conductor_free (c);
}

/* Every lesson of data/lessons has a promise above, and each loads. */
static void
test_all_listed (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "lessons", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = tls_lesson_list (dir, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      const TlsLesson *l = all->pdata[i];
      gboolean found = FALSE;
      for (gsize k = 0; k < G_N_ELEMENTS (promises) && !found; k++)
        found = g_str_equal (promises[k].name, l->name);
      if (!found)
        g_error ("lesson %s has no promise in test-lessons.c", l->name);
      if (i > 0)
        g_assert_cmpint (((TlsLesson *) all->pdata[i - 1])->order, <=, l->order);
    }
  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (promises));
}

static char *
write_lesson (const char *dir, const char *text)
{
  char *path = g_build_filename (dir, "t.lesson", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

#define HEAD "[Lesson]\ntitle=T\ngoal=G\nscenario=full\n"

static void
test_loader_refuses (void)
{
  g_autofree char *dir = tu_tmpdir_new ();
  const struct { const char *text; const char *message; } bad[] = {
    { HEAD "colour=red\n", "unknown key “colour”" },
    { HEAD "[Notes x]\nstep=ServerHello\ntext=t\n", "unknown group [Notes x]" },
    { HEAD "[Note x]\nstep=ServerHello\ntext=t\nwhen=now\n", "[Note x]: unknown key “when”" },
    { HEAD "[Note x]\ntext=t\n", "no step=" },
    { HEAD "[Note x]\nstep=ServerHello\nby=both\ntext=t\n", "by=both" },
    { HEAD "[Question q]\nstep=ServerHello\nask=?\npredict=colour\n", "predict=colour" },
    { "[Lesson]\ntitle=T\ngoal=G\n", "no run" },
    { "[Lesson]\ntitle=T\ngoal=G\nscenario=nope\n", "scenario=nope is not a built-in" },
    { HEAD "[Scenario]\nserver-cert=expired\n", "give one run, not two" },
    { "[Lesson]\ntitle=T\ngoal=G\n[Scenario]\nflavour=x\n", "unknown key “flavour”" },
    { "[Lesson]\ntitle=T\n", "needs a title= and a goal=" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = write_lesson (dir, bad[i].text);
      g_autoptr (GError) error = NULL;
      g_autoptr (TlsLesson) l = tls_lesson_load (path, &error);

      g_assert_null (l);
      g_assert_nonnull (error);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("case %zu: “%s” does not say “%s”", i, error->message, bad[i].message);
      g_assert_nonnull (strstr (error->message, path));
    }
  tu_tmpdir_remove (dir);
}

/* A step the run does not have is refused at placing, with what was looked
 * for and the steps of that title the run has; so is a predict kind that
 * does not fit its step. */
static void
test_place_refuses (void)
{
  g_autofree char *dir = tu_tmpdir_new ();
  const struct { const char *text; const char *message; } bad[] = {
    { HEAD "[Note x]\nstep=ServerHello\nby=client\ntext=t\n",
      "no step “ServerHello” by the client; steps of that title: message by the server in connection 1" },
    { HEAD "[Note x]\nstep=ServerHello\nconnection=2\ntext=t\n", "in connection 2" },
    { HEAD "[Note x]\nstep=ServerHelo\ntext=t\n", "nor any step of that title" },
    { HEAD "[Question q]\nstep=ClientHello\nask=?\npredict=suite\n", "predict=suite needs a ServerHello" },
    { HEAD "[Question q]\nstep=ServerHello\nask=?\npredict=alert\n", "predict=alert needs an alert" },
  };
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("full");
  g_autoptr (GError) error = NULL;
  TlsConductor *c = tls_conductor_new (sc, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);

  g_assert_no_error (error);
  tls_conductor_run (c);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = write_lesson (dir, bad[i].text);
      g_autoptr (TlsLesson) l = tls_lesson_load (path, &error);

      g_assert_no_error (error);
      g_assert_false (tls_lesson_place (l, tls_conductor_get_trace (c), &error));
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("case %zu: “%s” does not say “%s”", i, error->message, bad[i].message);
      g_clear_error (&error);
    }
  tls_conductor_free (c);
  tu_tmpdir_remove (dir);
}

/* docs/lessons.md has a table row for every key the loader accepts. */
static void
test_keys_documented (void)
{
  g_autofree char *doc = g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "..", "docs",
                                           "lessons.md", NULL);
  g_autofree char *text = NULL;
  const char *groups[] = { "Lesson", "Note", "Question" };

  g_assert_true (g_file_get_contents (doc, &text, NULL, NULL));
  for (gsize g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      const char *const *keys = tls_lesson_keys (groups[g]);
      for (guint i = 0; keys[i]; i++)
        {
          g_autofree char *row = g_strdup_printf ("| `[%s]` | `%s` |", groups[g], keys[i]);
          if (strstr (text, row) == NULL)
            g_error ("docs/lessons.md has no row “%s”", row);
        }
    }
}

/* Predict mode for any run: the auto kinds of the classic run, and the
 * choices of each are built from the trace. */
static void
test_predict_auto (void)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin ("classic");
  g_autoptr (GError) error = NULL;
  TlsConductor *c = tls_conductor_new (sc, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  TlsTrace *trace;
  guint counts[TLS_PREDICT_ALERT + 1] = { 0 };

  g_assert_no_error (error);
  tls_conductor_run (c);
  trace = tls_conductor_get_trace (c);
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      TlsPredictKind k = tls_predict_auto (trace, i);
      g_autoptr (TlsPrediction) p = NULL;

      counts[k]++;
      if (k == TLS_PREDICT_NONE)
        continue;
      p = tls_prediction_new (trace, i, k, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (p->choices->len, >=, 2);
      g_assert_cmpuint (p->choices->len, <=, 4);
      if (k == TLS_PREDICT_SUITE)
        /* the suites of the ClientHello */
        for (guint j = 0; j < p->choices->len; j++)
          g_assert_true (g_str_has_prefix (p->choices->pdata[j], "TLS_"));
    }
  /* Two ServerHellos, two resumption decisions, no fatal alert. */
  g_assert_cmpuint (counts[TLS_PREDICT_SUITE], ==, 2);
  g_assert_cmpuint (counts[TLS_PREDICT_RESUME], ==, 2);
  g_assert_cmpuint (counts[TLS_PREDICT_ALERT], ==, 0);
  g_assert_cmpuint (counts[TLS_PREDICT_NEXT_MESSAGE], >=, 2);
  tls_conductor_free (c);
}

/* `handshake-lab lesson NAME` prints the goal, the notes at their steps and
 * the outcome; a bad lesson file is a usage error naming it. */
static void
test_command (void)
{
  const char *prog = g_getenv ("HANDSHAKE_LAB");
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL, *bad = NULL;

  if (prog == NULL)
    {
      g_test_skip ("HANDSHAKE_LAB not set");
      return;
    }
  {
    const char *argv[] = { prog, "lesson", "fallback-scsv", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
    g_assert_cmpint (WEXITSTATUS (status), ==, 1);
    g_assert_true (g_str_has_prefix (out, "Lesson: Version rollback and TLS_FALLBACK_SCSV\nGoal: "));
    g_assert_nonnull (strstr (out, "Teacher's note: Question: The server speaks TLS 1.2."));
    g_assert_nonnull (strstr (out, "Answer: inappropriate_fallback"));
    g_assert_nonnull (strstr (out, "\nOutcome:\n  #1 "));
    g_assert_nonnull (strstr (out, "inappropriate_fallback"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { prog, "lesson", "--list", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    g_assert_true (g_str_has_prefix (out, "classic "));
    g_assert_nonnull (strstr (out, "\nresumption-miss "));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  dir = tu_tmpdir_new ();
  bad = write_lesson (dir, HEAD "[Note x]\nstep=Finished\nconnection=2\ntext=t\n");
  {
    const char *argv[] = { prog, "lesson", bad, "--no-answers", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    g_assert_nonnull (strstr (err, "[Note x]: this run has no step “Finished” in connection 2"));
  }
  tu_tmpdir_remove (dir);
}

/* Forward secrecy (`open --server-key`): an RSA run and an ECDHE run are
 * recorded without their keys (no Decryption Secrets Block) and opened with
 * the server's private key.  The RSA premaster secret comes out as the
 * client made it, and the connection decrypts; the ECDHE one does not, and
 * the trace says why. */
static const TlsStep *
open_with_key (const char *scenario, TlsTrace **out_trace, TlsTrace **run_trace,
               TlsConductor **out_c)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (scenario);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pcapng = NULL;
  g_autoptr (TlsCapture) cap = NULL;
  g_autofree char *keyfile = g_build_filename (g_getenv ("HANDSHAKE_LAB_DATADIR"), "pki",
                                               "server-rsa.key", NULL);
  TlsConductor *c = tls_conductor_new (sc, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  TlsPrivateKey *key;
  gsize len;
  const guint8 *d;

  g_assert_no_error (error);
  tls_conductor_run (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  pcapng = tls_trace_to_pcapng_full (tls_conductor_get_trace (c), FALSE);
  d = g_bytes_get_data (pcapng, &len);
  cap = tls_capture_open_bytes (d, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tls_capture_secrets_blocks (cap), ==, 0);
  g_assert_cmpuint (tls_capture_n_connections (cap), ==, 1);
  g_assert_false (tls_capture_connection (cap, 1)->has_key);   /* honest: no keys inside */
  key = tls_private_key_load_file (keyfile, &error);
  g_assert_no_error (error);
  tls_capture_set_server_key (cap, key);
  *out_trace = tls_capture_trace (cap, 1, &error);
  g_assert_no_error (error);
  *run_trace = tls_conductor_get_trace (c);
  *out_c = c;
  return NULL;
}

static const TlsStep *
step_of (const TlsTrace *t, TlsActor actor, const char *title)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (s->actor == actor && g_strcmp0 (s->title, title) == 0)
        return s;
    }
  return NULL;
}

static void
test_forward_secrecy (void)
{
  TlsTrace *opened = NULL, *run = NULL;
  TlsConductor *c = NULL;
  const TlsStep *pms, *made, *appdata, *why;
  const TlsTraceValue *a, *b;

  /* RSA key exchange: the premaster secret is decrypted, the rest follows. */
  open_with_key ("full", &opened, &run, &c);
  pms = step_of (opened, TLS_ACTOR_SERVER, "pre_master_secret");
  made = step_of (run, TLS_ACTOR_CLIENT, "pre_master_secret");
  g_assert_nonnull (pms);
  g_assert_nonnull (made);
  a = tls_step_find_output (pms, "pre_master_secret");
  b = tls_step_find_output (made, "pre_master_secret");
  g_assert_true (g_bytes_equal (a->bytes, b->bytes));
  g_assert_nonnull (tls_step_find_value (pms, "EncryptedPreMasterSecret"));
  a = tls_step_find_output (step_of (opened, TLS_ACTOR_CLIENT, "master_secret (extended)"),
                            "master_secret");
  b = tls_step_find_output (step_of (run, TLS_ACTOR_CLIENT, "master_secret (extended)"),
                            "master_secret");
  g_assert_true (g_bytes_equal (a->bytes, b->bytes));
  g_assert_cmpstr (tls_trace_get_meta (opened, "conn0.result"), ==, "completed");
  appdata = step_of (opened, TLS_ACTOR_CLIENT, "Application Data");
  g_assert_nonnull (appdata);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (appdata->bytes, NULL),
                                  g_bytes_get_size (appdata->bytes), "GET / HTTP/1.0"));
  g_assert_null (step_of (opened, TLS_ACTOR_SERVER, "The server's private key"));
  tls_trace_free (opened);
  tls_conductor_free (c);

  /* ECDHE: the same key decrypts nothing, and the trace says why. */
  open_with_key ("ecdhe-rsa", &opened, &run, &c);
  why = step_of (opened, TLS_ACTOR_SERVER, "The server's private key");
  g_assert_nonnull (why);
  g_assert_cmpint (why->result, ==, TLS_CHECK_NOT_CHECKED);
  g_assert_nonnull (strstr (why->reason, "ECDHE_RSA is an ephemeral key exchange"));
  g_assert_null (step_of (opened, TLS_ACTOR_SERVER, "pre_master_secret"));
  g_assert_null (step_of (opened, TLS_ACTOR_CLIENT, "Application Data"));
  g_assert_nonnull (step_of (opened, TLS_ACTOR_CLIENT, "Encrypted application data"));
  g_assert_cmpstr (tls_trace_get_meta (opened, "conn0.result"), !=, "completed");
  tls_trace_free (opened);
  tls_conductor_free (c);
}

/* tls12-vs-tls13: what its answers say is what the two runs show, as
 * `compare classic tls13` measures them: one round trip against two, the
 * certificate encrypted against in the clear, forward secrecy against RSA
 * key transport, an AEAD against CBC with HMAC. */
static void
test_tls12_vs_tls13 (void)
{
  g_autofree char *path = lesson_path ("tls12-vs-tls13");
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsLesson) l = tls_lesson_load (path, &error);
  g_autoptr (TlsScenario) classic = tls_scenario_builtin ("classic");
  g_autoptr (TlsVersus) v = NULL;
  TlsConductor *c12, *c13;

  g_test_summary ("The tls12-vs-tls13 lesson's answers against the two runs: 2 round trips "
                  "against 1, the certificate in the clear against encrypted, forward secrecy, "
                  "AEAD; its note runs compare classic tls13");
  g_assert_no_error (error);
  c13 = tls_conductor_new (l->scenario, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  c12 = tls_conductor_new (classic, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  tls_conductor_run (c13);
  tls_conductor_run (c12);
  v = tls_versus_new (tls_conductor_get_trace (c12), 0, tls_conductor_get_trace (c13), 0);
  g_assert_nonnull (v);
  g_assert_cmpuint (v->left_round_trips, ==, 2);
  g_assert_cmpuint (v->right_round_trips, ==, 1);
  g_assert_false (v->left_cert_encrypted);
  g_assert_true (v->right_cert_encrypted);
  g_assert_false (v->left_forward_secret);
  g_assert_true (v->right_forward_secret);
  g_assert_false (v->left_aead);
  g_assert_true (v->right_aead);
  g_assert_true (tls_lesson_place (l, tls_conductor_get_trace (c13), &error));
  g_assert_no_error (error);
  {
    gboolean found = FALSE;
    for (guint i = 0; i < l->notes->len; i++)
      {
        const TlsLessonItem *it = l->notes->pdata[i];
        found |= g_strcmp0 (it->command, "handshake-lab compare classic tls13 --detail lesson") == 0;
      }
    g_assert_true (found);
  }
  tls_conductor_free (c12);
  tls_conductor_free (c13);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (promises); i++)
    {
      g_autofree char *name = g_strdup_printf ("/lessons/outcome/%s", promises[i].name);
      g_test_add_data_func (name, &promises[i], test_promise);
    }
  g_test_add_func ("/lessons/all-listed", test_all_listed);
  g_test_add_func ("/lessons/loader-refuses", test_loader_refuses);
  g_test_add_func ("/lessons/place-refuses", test_place_refuses);
  g_test_add_func ("/lessons/keys-documented", test_keys_documented);
  g_test_add_func ("/lessons/predict-auto", test_predict_auto);
  g_test_add_func ("/lessons/command", test_command);
  g_test_add_func ("/lessons/forward-secrecy", test_forward_secrecy);
  g_test_add_func ("/lessons/tls12-vs-tls13", test_tls12_vs_tls13);
  return g_test_run ();
}
