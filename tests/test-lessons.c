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
  { "tls13", { "no" }, -1, 0, NULL, "CertificateVerify signature", NULL },
  { "tls13-hrr", { "no" }, -1, 0, NULL, "Key share group", "second ClientHello" },
  { "tls13-resumption", { "no", "yes (ticket)" }, -1, 0, NULL, "Resume with the PSK?",
    "psk_dhe_ke" },
  { "tls13-psk-ke", { "no", "yes (ticket)" }, -1, 0, NULL, "Resume with the PSK?", "only psk_ke" },
  { "tls13-keyupdate", { "no" }, -1, 0, NULL, "KeyUpdate", NULL },
  { "tls13-downgrade", { NULL }, TLS_ALERT_ILLEGAL_PARAMETER, TLS_ACTOR_CLIENT,
    "44 4F 57 4E 47 52 44 01", "Downgrade sentinel", NULL },
  { "tls13-0rtt", { "no", "yes (ticket)" }, -1, 0, NULL, "Accept early data?", "anti-replay" },
  { "tls13-0rtt-replay", { "no", "yes (ticket)" }, -1, 0, NULL, "Accept early data?",
    "anti-replay" },
  { "tls13-client-auth", { "no" }, -1, 0, NULL, "Client authentication", "require" },
  { "tls13-client-auth-none", { "no" }, TLS_ALERT_CERTIFICATE_REQUIRED, TLS_ACTOR_SERVER,
    "no certificate", "Client without a certificate", "requires a client certificate" },
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

/* The lesson's run, placed: its notes and questions on their steps. */
static TlsConductor *
run_lesson (const char *name, TlsLesson **out)
{
  g_autofree char *path = lesson_path (name);
  g_autoptr (GError) error = NULL;
  TlsLesson *l = tls_lesson_load (path, &error);
  TlsConductor *c;

  g_assert_no_error (error);
  c = tls_conductor_new (l->scenario, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  tls_conductor_run (c);
  g_assert_cmpint (tls_conductor_state (c), ==, TLS_RUN_COMPLETED);
  g_assert_true (tls_lesson_place (l, tls_conductor_get_trace (c), &error));
  g_assert_no_error (error);
  *out = l;
  return c;
}

/* The n-th step (from 0) of that actor and title in connection `conn`
 * (from 0). */
static const TlsStep *
conn_step (const TlsTrace *t, guint conn, TlsActor actor, const char *title, guint n)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (s->connection == conn && s->actor == actor && g_strcmp0 (s->title, title) == 0
          && n-- == 0)
        return s;
    }
  g_error ("no step %s in connection %u", title, conn);
  return NULL;
}

/* The n-th step (from 0) of that actor and title in the first connection. */
static const TlsStep *
nth_step (const TlsTrace *t, TlsActor actor, const char *title, guint n)
{
  return conn_step (t, 0, actor, title, n);
}

/* How many steps of that title connection `conn` has (any actor). */
static guint
count_steps (const TlsTrace *t, guint conn, const char *title)
{
  guint n = 0;
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      n += s->connection == conn && g_strcmp0 (s->title, title) == 0;
    }
  return n;
}

static guint
step_pos (const TlsTrace *t, const TlsStep *s)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    if (tls_trace_get (t, i) == s)
      return i;
  g_assert_not_reached ();
}

static const guint8 *
step_data (const TlsStep *s, gsize *len)
{
  g_assert_nonnull (s->bytes);
  return g_bytes_get_data (s->bytes, len);
}

/* SHA-256 over the handshake messages of the first connection, in order,
 * from the first message step up to and including `last` (RFC 8446,
 * 4.4.1): type, length and body, no record headers.  `from` skips
 * messages before it (NULL: from the first). */
static GBytes *transcript_sha256_in (const TlsTrace *t, guint conn, const TlsStep *from,
                                     const TlsStep *last);

static GBytes *
transcript_sha256 (const TlsTrace *t, const TlsStep *from, const TlsStep *last)
{
  return transcript_sha256_in (t, 0, from, last);
}

/* The same in connection `conn` (from 0). */
static GBytes *
transcript_sha256_in (const TlsTrace *t, guint conn, const TlsStep *from, const TlsStep *last)
{
  GChecksum *h = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 out[32];
  gsize n = sizeof out;
  gboolean on = from == NULL;

  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      gsize len;
      const guint8 *d;
      on |= s == from;
      if (!on || s->connection != conn || s->kind != TLS_STEP_MESSAGE || s->content_type != 22)
        continue;
      d = step_data (s, &len);
      g_checksum_update (h, d, len);
      if (s == last)
        break;
    }
  g_checksum_get_digest (h, out, &n);
  g_checksum_free (h);
  return g_bytes_new (out, n);
}

static GBytes *
sha256_of (const void *d, gsize len)
{
  GChecksum *h = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 out[32];
  gsize n = sizeof out;
  g_checksum_update (h, d, len);
  g_checksum_get_digest (h, out, &n);
  g_checksum_free (h);
  return g_bytes_new (out, n);
}

static void
assert_bytes_eq (GBytes *a, const void *d, gsize len)
{
  g_assert_nonnull (a);
  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a), d, len);
}

/* The extensions of a hello message (with its 4-byte header), as a table
 * from type (GUINT_TO_POINTER) to GBytes of its data (RFC 8446, 4.1.2,
 * 4.1.3). */
static GHashTable *
hello_extensions_of (const guint8 *d, gsize len)
{
  GHashTable *t = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  gsize p = 4 + 2 + 32, end;
  gboolean client = d[0] == 1;

  p += 1 + d[p];                                  /* legacy_session_id */
  if (client)
    {
      p += 2 + (d[p] << 8 | d[p + 1]);            /* cipher_suites */
      p += 1 + d[p];                              /* legacy_compression_methods */
    }
  else
    p += 3;                                       /* cipher_suite, compression */
  end = p + 2 + (d[p] << 8 | d[p + 1]);
  g_assert_cmpuint (end, ==, len);
  for (p += 2; p < end;)
    {
      guint type = d[p] << 8 | d[p + 1], n = d[p + 2] << 8 | d[p + 3];
      g_assert_cmpuint (p + 4 + n, <=, end);
      g_assert_false (g_hash_table_contains (t, GUINT_TO_POINTER (type)));
      g_hash_table_insert (t, GUINT_TO_POINTER (type), g_bytes_new (d + p + 4, n));
      p += 4 + n;
    }
  return t;
}

static GHashTable *
hello_extensions (const TlsStep *s)
{
  gsize len;
  const guint8 *d = step_data (s, &len);
  return hello_extensions_of (d, len);
}

static GBytes *
ext (GHashTable *t, guint type)
{
  return g_hash_table_lookup (t, GUINT_TO_POINTER (type));
}

static const TlsTraceValue *
value_named (GPtrArray *values, const char *prefix)
{
  for (guint i = 0; values && i < values->len; i++)
    {
      const TlsTraceValue *v = values->pdata[i];
      if (g_str_has_prefix (v->name, prefix))
        return v;
    }
  g_error ("no value %s", prefix);
  return NULL;
}

/* Round trips before the client's first application data, counted here:
 * each time the turn passes from the client to the server. */
static guint
round_trips (const TlsTrace *t)
{
  guint n = 0;
  int last = -1;
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (s->connection != 0 || !s->wire)
        continue;
      if (s->kind == TLS_STEP_APPDATA && s->actor == TLS_ACTOR_CLIENT)
        return n;
      if (s->actor == TLS_ACTOR_SERVER && last == TLS_ACTOR_CLIENT)
        n++;
      last = s->actor;
    }
  g_assert_not_reached ();
}

/* tls13: what the lesson's answers say is what the run did.  The key
 * schedule in the order the answer gives, each HKDF-Extract with the input
 * it names; the records in the clear and protected; CertificateVerify's
 * signed content and Finished's verify_data recomputed here from the
 * messages (SHA-256 and HMAC-SHA256 of GLib, not the engine's); one round
 * trip. */
static void
test_tls13 (void)
{
  static const char *const schedule[] = {
    "Early Secret", "derived (for the Handshake Secret)", "Handshake Secret",
    "client_handshake_traffic_secret", "server_handshake_traffic_secret",
    "derived (for the Master Secret)", "Master Secret", "client_application_traffic_secret_0",
    "server_application_traffic_secret_0", "exporter_master_secret",
  };
  /* RFC 8448, 3: {server} extract secret "early" (no PSK, SHA-256). */
  static const char early_8448[] = "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a";
  static const char cv_context[] = "TLS 1.3, server CertificateVerify";
  g_autoptr (TlsLesson) l = NULL;
  TlsConductor *c = run_lesson ("tls13", &l);
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (GHashTable) ch = NULL;
  g_autoptr (GBytes) early = tu_hex (early_8448);
  const TlsStep *s, *cert, *cv, *fin, *cfin;
  guint k = 0;
  gsize len;
  const guint8 *d;

  g_test_summary ("The tls13 lesson's answers against its run: the client's one x25519 share, "
                  "what goes in the clear, CertificateVerify's signed content, verify_data, "
                  "the key schedule's order and inputs, one round trip");

  /* The ClientHello: legacy_version 0x0303, TLS 1.3 in supported_versions,
   * four groups and one share, x25519; the server picks x25519. */
  s = nth_step (t, TLS_ACTOR_CLIENT, "ClientHello", 0);
  d = step_data (s, &len);
  g_assert_cmpint (d[4], ==, 3);
  g_assert_cmpint (d[5], ==, 3);
  ch = hello_extensions (s);
  assert_bytes_eq (ext (ch, 43), "\x02\x03\x04", 3);
  assert_bytes_eq (ext (ch, 10), "\x00\x08\x00\x1d\x00\x17\x00\x18\x00\x1e", 10);
  d = g_bytes_get_data (ext (ch, 51), &len);
  g_assert_cmpuint (len, ==, 2 + 4 + 32);
  g_assert_cmpmem (d, 4, "\x00\x24\x00\x1d", 4);
  g_assert_cmpstr (nth_step (t, TLS_ACTOR_SERVER, "Key share group", 0)->choice, ==, "x25519");

  /* In the clear: the hellos and the ChangeCipherSpec records; every other
   * record is protected, and its type on the wire is application_data. */
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const char *clear[] = { "ClientHello", "ServerHello", "ChangeCipherSpec", NULL };
      s = tls_trace_get (t, i);
      if (!s->wire)
        continue;
      g_assert_cmpint (s->encrypted, !=, g_strv_contains (clear, s->title));
      if (s->encrypted)
        g_assert_cmpint (((const guint8 *) g_bytes_get_data (s->wire, NULL))[0], ==, 23);
    }
  s = nth_step (t, TLS_ACTOR_SERVER, "EncryptedExtensions", 0);
  assert_bytes_eq (s->bytes, "\x08\x00\x00\x02\x00\x00", 6);     /* an empty list */

  /* CertificateVerify follows Certificate; rsa_pss_rsae_sha256 over 64
   * spaces, the context, 0 and SHA-256(ClientHello...Certificate); the
   * client's check passed. */
  cert = nth_step (t, TLS_ACTOR_SERVER, "Certificate", 0);
  cv = nth_step (t, TLS_ACTOR_SERVER, "CertificateVerify", 0);
  for (guint i = step_pos (t, cert) + 1; i < step_pos (t, cv); i++)
    g_assert_cmpint (tls_trace_get (t, i)->kind, !=, TLS_STEP_MESSAGE);
  d = step_data (cv, &len);
  g_assert_cmpint (d[4], ==, 0x08);
  g_assert_cmpint (d[5], ==, 0x04);
  s = nth_step (t, TLS_ACTOR_CLIENT, "CertificateVerify signature", 0);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  {
    g_autoptr (GBytes) th = transcript_sha256 (t, NULL, cert);
    g_autoptr (GByteArray) want = g_byte_array_new ();
    const TlsTraceValue *sc = value_named (s->inputs, "signed_content");
    for (int i = 0; i < 64; i++)
      g_byte_array_append (want, (const guint8 *) " ", 1);
    g_byte_array_append (want, (const guint8 *) cv_context, sizeof cv_context);  /* with its 0 */
    g_byte_array_append (want, g_bytes_get_data (th, NULL), g_bytes_get_size (th));
    assert_bytes_eq (sc->bytes, want->data, want->len);
  }

  /* verify_data: 32 bytes, HMAC-SHA256(finished_key,
   * SHA-256(ClientHello...CertificateVerify)). */
  fin = nth_step (t, TLS_ACTOR_SERVER, "Finished", 0);
  d = step_data (fin, &len);
  g_assert_cmpuint (len, ==, 4 + 32);
  {
    const TlsStep *fd = nth_step (t, TLS_ACTOR_SERVER, "server Finished (TLS 1.3)", 0);
    GBytes *key = tls_step_find_output (fd, "finished_key")->bytes;
    g_autoptr (GBytes) th = transcript_sha256 (t, NULL, cv);
    g_autoptr (GHmac) mac = g_hmac_new (G_CHECKSUM_SHA256, g_bytes_get_data (key, NULL),
                                        g_bytes_get_size (key));
    guint8 out[32];
    gsize n = sizeof out;
    g_hmac_update (mac, g_bytes_get_data (th, NULL), g_bytes_get_size (th));
    g_hmac_get_digest (mac, out, &n);
    g_assert_cmpmem (d + 4, 32, out, n);
  }

  /* The key schedule of the server, in the answer's order. */
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      s = tls_trace_get (t, i);
      if (s->connection != 0 || s->actor != TLS_ACTOR_SERVER || s->kind != TLS_STEP_DERIVATION)
        continue;
      for (gsize j = 0; j < G_N_ELEMENTS (schedule); j++)
        if (g_str_equal (s->title, schedule[j]))
          {
            g_assert_cmpuint (k, <, G_N_ELEMENTS (schedule));
            g_assert_cmpstr (s->title, ==, schedule[k]);
            k++;
          }
    }
  g_assert_cmpuint (k, ==, G_N_ELEMENTS (schedule));
  /* Early Secret = HKDF-Extract(0, 0), the value of RFC 8448. */
  s = nth_step (t, TLS_ACTOR_SERVER, "Early Secret", 0);
  g_assert_true (g_bytes_equal (tls_step_find_output (s, "Early Secret")->bytes, early));
  /* Handshake Secret: the x25519 shared secret in; Master Secret: zeros. */
  s = nth_step (t, TLS_ACTOR_SERVER, "Handshake Secret", 0);
  g_assert_true (g_bytes_equal (value_named (s->inputs, "IKM")->bytes,
                                tls_step_find_output (nth_step (t, TLS_ACTOR_SERVER,
                                                                "(EC)DHE shared secret", 0),
                                                      "shared_secret")->bytes));
  s = nth_step (t, TLS_ACTOR_SERVER, "Master Secret", 0);
  assert_bytes_eq (value_named (s->inputs, "IKM")->bytes,
                   "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 32);
  /* The handshake secrets over ClientHello...ServerHello, the application
   * secrets over ClientHello...server Finished, derived by the client
   * before it sends its Finished. */
  value_named (nth_step (t, TLS_ACTOR_SERVER, "client_handshake_traffic_secret", 0)->inputs,
               "Transcript-Hash(ClientHello...ServerHello)");
  s = nth_step (t, TLS_ACTOR_CLIENT, "client_application_traffic_secret_0", 0);
  {
    const TlsTraceValue *th = value_named (s->inputs, "Transcript-Hash(ClientHello...server Finished)");
    g_autoptr (GBytes) want = transcript_sha256 (t, NULL, fin);
    g_assert_true (g_bytes_equal (th->bytes, want));
  }
  cfin = nth_step (t, TLS_ACTOR_CLIENT, "Finished", 0);
  g_assert_cmpuint (step_pos (t, s), <, step_pos (t, cfin));

  /* One round trip; the client's data right after its Finished. */
  g_assert_cmpuint (round_trips (t), ==, 1);
  s = nth_step (t, TLS_ACTOR_CLIENT, "Application Data", 0);
  for (guint i = step_pos (t, cfin) + 1; i < step_pos (t, s); i++)
    g_assert_cmpint (tls_trace_get (t, i)->kind, !=, TLS_STEP_MESSAGE);
  tls_conductor_free (c);
}

/* tls13-hrr: the first ClientHello's one share (x25519), the server's
 * reason, the HelloRetryRequest's bytes (its random the SHA-256 of
 * "HelloRetryRequest", recomputed here; supported_versions and key_share
 * with the selected_group only), message_hash recomputed from the first
 * ClientHello, a second ClientHello that differs only in key_share, the
 * ServerHello in the selected group, a transcript that starts with
 * message_hash, two round trips against tls13's one. */
static void
test_tls13_hrr (void)
{
  static const char hrr_label[] = "HelloRetryRequest";
  g_autoptr (TlsLesson) l = NULL;
  TlsConductor *c = run_lesson ("tls13-hrr", &l);
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (GHashTable) e1 = NULL, e2 = NULL, eh = NULL, es = NULL;
  g_autoptr (GBytes) h1 = NULL, hl = NULL;
  const TlsStep *ch1, *ch2, *hrr, *s;
  GHashTableIter it;
  gpointer key, val;
  gsize len, len2;
  const guint8 *d, *d2;

  g_test_summary ("The tls13-hrr lesson's answers against its run: why the server asked, "
                  "the HelloRetryRequest's random and extensions, message_hash, what the "
                  "second ClientHello changed, two round trips");

  /* The first ClientHello: groups x25519 and secp256r1, one x25519 share. */
  ch1 = nth_step (t, TLS_ACTOR_CLIENT, "ClientHello", 0);
  e1 = hello_extensions (ch1);
  assert_bytes_eq (ext (e1, 10), "\x00\x04\x00\x1d\x00\x17", 6);
  d = g_bytes_get_data (ext (e1, 51), &len);
  g_assert_cmpuint (len, ==, 2 + 4 + 32);
  g_assert_cmpmem (d, 4, "\x00\x24\x00\x1d", 4);
  s = nth_step (t, TLS_ACTOR_SERVER, "Key share group", 0);
  g_assert_cmpstr (s->choice, ==, "HelloRetryRequest for secp256r1");

  /* The HelloRetryRequest: in the clear, the random SHA-256("HelloRetryRequest"),
   * supported_versions TLS 1.3 and key_share = selected_group secp256r1,
   * nothing else (no cookie). */
  hrr = nth_step (t, TLS_ACTOR_SERVER, "HelloRetryRequest", 0);
  g_assert_false (hrr->encrypted);
  d = step_data (hrr, &len);
  g_assert_cmpint (d[0], ==, 2);
  hl = sha256_of (hrr_label, strlen (hrr_label));
  g_assert_cmpmem (d + 6, 32, g_bytes_get_data (hl, NULL), 32);
  eh = hello_extensions (hrr);
  g_assert_cmpuint (g_hash_table_size (eh), ==, 2);
  assert_bytes_eq (ext (eh, 43), "\x03\x04", 2);
  assert_bytes_eq (ext (eh, 51), "\x00\x17", 2);
  g_assert_cmpint (nth_step (t, TLS_ACTOR_CLIENT, "HelloRetryRequest acceptable", 0)->result, ==,
                   TLS_CHECK_PASSED);

  /* message_hash = fe 00 00 20 || SHA-256(ClientHello1). */
  d = step_data (ch1, &len);
  h1 = sha256_of (d, len);
  {
    guint8 want[4 + 32] = { 0xfe, 0, 0, 32 };
    memcpy (want + 4, g_bytes_get_data (h1, NULL), 32);
    for (int who = 0; who < 2; who++)
      {
        s = nth_step (t, who ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT, "message_hash", 0);
        assert_bytes_eq (tls_step_find_output (s, "message_hash")->bytes, want, sizeof want);
      }
    /* The transcript of the handshake secrets: message_hash, the
     * HelloRetryRequest, the second ClientHello, the ServerHello. */
    s = nth_step (t, TLS_ACTOR_SERVER, "Transcript-Hash", 0);
    {
      const TlsTraceValue *m = value_named (s->inputs, "Messages");
      g_autoptr (GChecksum) hc = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 out[32];
      gsize n = sizeof out;
      g_autoptr (GBytes) rest = transcript_sha256 (t, hrr, nth_step (t, TLS_ACTOR_SERVER,
                                                                      "ServerHello", 0));
      g_assert_cmpmem (g_bytes_get_data (m->bytes, NULL), sizeof want, want, sizeof want);
      /* and its output is the hash of message_hash and the messages from
       * the HelloRetryRequest on */
      g_checksum_update (hc, want, sizeof want);
      for (guint i = step_pos (t, hrr); i <= step_pos (t, nth_step (t, TLS_ACTOR_SERVER,
                                                                     "ServerHello", 0)); i++)
        {
          const TlsStep *x = tls_trace_get (t, i);
          if (x->kind == TLS_STEP_MESSAGE && x->content_type == 22)
            {
              d = step_data (x, &len);
              g_checksum_update (hc, d, len);
            }
        }
      g_checksum_get_digest (hc, out, &n);
      assert_bytes_eq (tls_step_find_output (s, "Transcript-Hash")->bytes, out, n);
      g_assert_false (g_bytes_equal (rest, tls_step_find_output (s, "Transcript-Hash")->bytes));
    }
  }

  /* The second ClientHello: the same random, legacy_session_id and suites,
   * the same extensions but key_share, which holds one secp256r1 share. */
  ch2 = nth_step (t, TLS_ACTOR_CLIENT, "ClientHello", 1);
  d = step_data (ch1, &len);
  d2 = step_data (ch2, &len2);
  g_assert_cmpmem (d + 4, 2 + 32 + 1 + d[38], d2 + 4, 2 + 32 + 1 + d2[38]);
  {
    gsize p = 4 + 2 + 32 + 1 + d[38];
    gsize n = 2 + (d[p] << 8 | d[p + 1]) + 2;               /* suites and compression */
    g_assert_cmpmem (d + p, n, d2 + p, n);
  }
  e2 = hello_extensions (ch2);
  g_assert_cmpuint (g_hash_table_size (e2), ==, g_hash_table_size (e1));
  g_hash_table_iter_init (&it, e1);
  while (g_hash_table_iter_next (&it, &key, &val))
    if (GPOINTER_TO_UINT (key) != 51)
      g_assert_true (g_bytes_equal (val, ext (e2, GPOINTER_TO_UINT (key))));
  d = g_bytes_get_data (ext (e2, 51), &len);
  g_assert_cmpuint (len, ==, 2 + 4 + 65);
  g_assert_cmpmem (d, 4, "\x00\x45\x00\x17", 4);
  g_assert_cmpint (nth_step (t, TLS_ACTOR_SERVER, "Second ClientHello", 0)->result, ==,
                   TLS_CHECK_PASSED);

  /* The ServerHello's share is in secp256r1, the selected group. */
  es = hello_extensions (nth_step (t, TLS_ACTOR_SERVER, "ServerHello", 0));
  g_assert_cmpmem (g_bytes_get_data (ext (es, 51), NULL), 2, "\x00\x17", 2);

  /* Two round trips (tls13: one). */
  g_assert_cmpuint (round_trips (t), ==, 2);
  tls_conductor_free (c);
}

/* HMAC-SHA256 with GLib's own HMAC (RFC 5869's HKDF-Extract is
 * HMAC(salt, IKM)). */
static GBytes *
hmac256 (GBytes *key, const void *d, gsize len)
{
  g_autoptr (GHmac) mac = g_hmac_new (G_CHECKSUM_SHA256, g_bytes_get_data (key, NULL),
                                      g_bytes_get_size (key));
  guint8 out[32];
  gsize n = sizeof out;
  g_hmac_update (mac, d, len);
  g_hmac_get_digest (mac, out, &n);
  return g_bytes_new (out, n);
}

/* HKDF-Expand-Label(secret, label, context, len) with SHA-256, len <= 32
 * (RFC 8446, 7.1): one block of HKDF-Expand, HMAC(secret, HkdfLabel || 1). */
static GBytes *
expand_label (GBytes *secret, const char *label, const void *ctx, gsize ctx_len, gsize len)
{
  g_autoptr (GByteArray) info = g_byte_array_new ();
  g_autoptr (GBytes) block = NULL;
  guint8 b[2] = { len >> 8, len & 0xff };
  guint8 n = 6 + strlen (label), c = ctx_len, one = 1;

  g_assert_cmpuint (len, <=, 32);
  g_byte_array_append (info, b, 2);
  g_byte_array_append (info, &n, 1);
  g_byte_array_append (info, (const guint8 *) "tls13 ", 6);
  g_byte_array_append (info, (const guint8 *) label, strlen (label));
  g_byte_array_append (info, &c, 1);
  if (ctx_len)
    g_byte_array_append (info, ctx, ctx_len);
  g_byte_array_append (info, &one, 1);
  block = hmac256 (secret, info->data, info->len);
  return g_bytes_new (g_bytes_get_data (block, NULL), len);
}

static GBytes *
output_of (const TlsStep *s, const char *name)
{
  const TlsTraceValue *v = tls_step_find_output (s, name);
  g_assert_nonnull (v);
  return v->bytes;
}

static const guint8 zeros32[32];

/* tls13-resumption: resumption_master_secret recomputed from the Master
 * Secret over ClientHello...client Finished; the NewSessionTicket's fields;
 * the PSK = HKDF-Expand-Label(resumption_master_secret, "resumption",
 * ticket_nonce) recomputed and found on both sides; in the second
 * connection the ticket offered last in the ClientHello, the Early Secret
 * from the PSK, the binder recomputed over the truncated ClientHello (348
 * of 383 bytes), psk_dhe_ke, no Certificate or CertificateVerify. */
static void
test_tls13_resumption (void)
{
  g_autoptr (TlsLesson) l = NULL;
  TlsConductor *c = run_lesson ("tls13-resumption", &l);
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (GBytes) th = NULL, rms = NULL, psk = NULL, salt = g_bytes_new (zeros32, 32);
  g_autoptr (GBytes) es = NULL, empty = sha256_of ("", 0), bk = NULL, fk = NULL;
  g_autoptr (GBytes) tth = NULL, binder = NULL;
  g_autoptr (GHashTable) e = NULL, sh = NULL;
  const TlsStep *rs, *nst, *ch, *s;
  const guint8 *d, *nonce, *ticket, *x;
  gsize len, nonce_len, ticket_len, p, n, trunc;

  g_test_summary ("The tls13-resumption lesson's answers against its run: the resumption master "
                  "secret, the ticket, the PSK and the binder recomputed; no certificate in the "
                  "resumed connection");

  /* resumption_master_secret = Derive-Secret(Master Secret, "res master",
   * ClientHello...client Finished), derived after the client's Finished
   * was checked. */
  th = transcript_sha256 (t, NULL, nth_step (t, TLS_ACTOR_CLIENT, "Finished", 0));
  rs = nth_step (t, TLS_ACTOR_SERVER, "resumption_master_secret", 0);
  rms = expand_label (output_of (nth_step (t, TLS_ACTOR_SERVER, "Master Secret", 0), "Master Secret"),
                      "res master", g_bytes_get_data (th, NULL), 32, 32);
  g_assert_true (g_bytes_equal (rms, output_of (rs, "resumption_master_secret")));
  g_assert_cmpuint (step_pos (t, nth_step (t, TLS_ACTOR_SERVER, "Finished verify_data", 0)), <,
                    step_pos (t, rs));

  /* NewSessionTicket: encrypted; lifetime 3600, nonce 00, a 146-byte
   * ticket, no extensions. */
  nst = nth_step (t, TLS_ACTOR_SERVER, "NewSessionTicket", 0);
  g_assert_true (nst->encrypted);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (nst->wire, NULL))[0], ==, 23);
  d = step_data (nst, &len);
  g_assert_cmpint (d[0], ==, 4);
  g_assert_cmpmem (d + 4, 4, "\x00\x00\x0e\x10", 4);
  nonce_len = d[12];
  nonce = d + 13;
  g_assert_cmpmem (nonce, nonce_len, "\x00", 1);
  p = 13 + nonce_len;
  ticket_len = d[p] << 8 | d[p + 1];
  ticket = d + p + 2;
  g_assert_cmpuint (ticket_len, ==, 146);
  g_assert_cmpuint (p + 2 + ticket_len + 2, ==, len);
  g_assert_cmpmem (d + p + 2 + ticket_len, 2, "\x00\x00", 2);

  /* The PSK, on both sides, from the nonce: never sent. */
  psk = expand_label (rms, "resumption", nonce, nonce_len, 32);
  for (int who = 0; who < 2; who++)
    g_assert_true (g_bytes_equal (psk, output_of (nth_step (t, who ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT,
                                                            "resumption PSK", 0), "PSK")));

  /* The second ClientHello: psk_dhe_ke, an x25519 share, pre_shared_key
   * last with the ticket as its one identity and one 32-byte binder. */
  ch = conn_step (t, 1, TLS_ACTOR_CLIENT, "ClientHello", 0);
  e = hello_extensions (ch);
  assert_bytes_eq (ext (e, 45), "\x01\x01", 2);
  x = g_bytes_get_data (ext (e, 51), &n);
  g_assert_cmpmem (x, 4, "\x00\x24\x00\x1d", 4);
  x = g_bytes_get_data (ext (e, 41), &n);
  d = step_data (ch, &len);
  g_assert_cmpmem (d + len - n - 4, 2, "\x00\x29", 2);          /* the last extension */
  g_assert_cmpuint ((x[0] << 8 | x[1]), ==, 2 + ticket_len + 4);
  g_assert_cmpuint ((x[2] << 8 | x[3]), ==, ticket_len);
  g_assert_cmpmem (x + 4, ticket_len, ticket, ticket_len);
  p = 2 + 2 + ticket_len + 4;                                   /* the binders list */
  g_assert_cmpmem (x + p, 3, "\x00\x21\x20", 3);
  g_assert_cmpuint (p + 3 + 32, ==, n);

  /* Truncate(ClientHello): 348 of its 383 bytes, the binders list (35)
   * left out; the binder recomputed from the PSK: Early Secret =
   * HKDF-Extract(0, PSK), binder_key with "res binder", finished_key,
   * HMAC over the hash of the truncated ClientHello. */
  trunc = len - (n - p);
  g_assert_cmpuint (len, ==, 383);
  g_assert_cmpuint (trunc, ==, 348);
  es = hmac256 (salt, g_bytes_get_data (psk, NULL), 32);
  for (int who = 0; who < 2; who++)
    g_assert_true (g_bytes_equal (es, output_of (conn_step (t, 1, who ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT,
                                                            "Early Secret", 0), "Early Secret")));
  bk = expand_label (es, "res binder", g_bytes_get_data (empty, NULL), 32, 32);
  fk = expand_label (bk, "finished", NULL, 0, 32);
  tth = sha256_of (d, trunc);
  binder = hmac256 (fk, g_bytes_get_data (tth, NULL), 32);
  g_assert_cmpmem (x + p + 3, 32, g_bytes_get_data (binder, NULL), 32);
  g_assert_cmpint (conn_step (t, 1, TLS_ACTOR_SERVER, "PSK binder verifies", 0)->result, ==,
                   TLS_CHECK_PASSED);
  /* the server's decision: psk_dhe_ke, the ticket issued 60 s before by
   * the run's clock */
  s = conn_step (t, 1, TLS_ACTOR_SERVER, "Resume with the PSK?", 0);
  g_assert_nonnull (strstr (s->choice, "psk_dhe_ke"));
  g_assert_nonnull (strstr (tls_step_find_value (s, "ticket_age")->text, "issued 60 s ago"));

  /* The ServerHello: selected_identity 0 and a key share (psk_dhe_ke);
   * the x25519 secret goes into the Handshake Secret. */
  sh = hello_extensions (conn_step (t, 1, TLS_ACTOR_SERVER, "ServerHello", 0));
  assert_bytes_eq (ext (sh, 41), "\x00\x00", 2);
  g_assert_nonnull (ext (sh, 51));
  s = conn_step (t, 1, TLS_ACTOR_SERVER, "Handshake Secret", 0);
  g_assert_true (g_bytes_equal (value_named (s->inputs, "IKM")->bytes,
                                output_of (conn_step (t, 1, TLS_ACTOR_SERVER, "(EC)DHE shared secret", 0),
                                           "shared_secret")));

  /* No Certificate or CertificateVerify in the resumed connection (one
   * each in the first); Finished follows EncryptedExtensions. */
  g_assert_cmpuint (count_steps (t, 0, "Certificate"), ==, 1);
  g_assert_cmpuint (count_steps (t, 0, "CertificateVerify"), ==, 1);
  g_assert_cmpuint (count_steps (t, 1, "Certificate"), ==, 0);
  g_assert_cmpuint (count_steps (t, 1, "CertificateVerify"), ==, 0);
  for (guint i = step_pos (t, conn_step (t, 1, TLS_ACTOR_SERVER, "EncryptedExtensions", 0)) + 1;
       i < step_pos (t, conn_step (t, 1, TLS_ACTOR_SERVER, "Finished", 0)); i++)
    g_assert_cmpint (tls_trace_get (t, i)->kind, !=, TLS_STEP_MESSAGE);
  tls_conductor_free (c);
}

/* tls13-psk-ke: psk_ke alone in the ClientHello (with a key share still),
 * no key_share in the ServerHello, no (EC)DHE in the second connection,
 * zeros in the Handshake Secret, which is recomputed here from the PSK
 * alone. */
static void
test_tls13_psk_ke (void)
{
  g_autoptr (TlsLesson) l = NULL;
  TlsConductor *c = run_lesson ("tls13-psk-ke", &l);
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (GHashTable) e = NULL, sh = NULL;
  g_autoptr (GBytes) salt = g_bytes_new (zeros32, 32), empty = sha256_of ("", 0);
  g_autoptr (GBytes) es = NULL, derived = NULL, hs = NULL;
  GBytes *psk;
  const TlsStep *s;

  g_test_summary ("The tls13-psk-ke lesson's answers against its run: psk_ke, no key_share in "
                  "the ServerHello, zeros for the (EC)DHE secret, the Handshake Secret from the "
                  "PSK alone");
  e = hello_extensions (conn_step (t, 1, TLS_ACTOR_CLIENT, "ClientHello", 0));
  assert_bytes_eq (ext (e, 45), "\x01\x00", 2);
  g_assert_nonnull (ext (e, 51));
  sh = hello_extensions (conn_step (t, 1, TLS_ACTOR_SERVER, "ServerHello", 0));
  g_assert_cmpuint (g_hash_table_size (sh), ==, 2);
  assert_bytes_eq (ext (sh, 43), "\x03\x04", 2);
  assert_bytes_eq (ext (sh, 41), "\x00\x00", 2);
  g_assert_null (ext (sh, 51));
  g_assert_cmpuint (count_steps (t, 1, "(EC)DHE shared secret"), ==, 0);

  s = conn_step (t, 1, TLS_ACTOR_SERVER, "Handshake Secret", 0);
  assert_bytes_eq (value_named (s->inputs, "IKM")->bytes, zeros32, 32);
  psk = output_of (nth_step (t, TLS_ACTOR_SERVER, "resumption PSK", 0), "PSK");
  es = hmac256 (salt, g_bytes_get_data (psk, NULL), 32);
  derived = expand_label (es, "derived", g_bytes_get_data (empty, NULL), 32, 32);
  hs = hmac256 (derived, zeros32, 32);
  g_assert_true (g_bytes_equal (hs, output_of (s, "Handshake Secret")));
  tls_conductor_free (c);
}

/* tls13-keyupdate: each side's next secret and keys recomputed with "traffic
 * upd", "key" and "iv"; the KeyUpdate bytes (update_requested from the
 * client, update_not_requested from the server), encrypted; the order of
 * the records. */
static void
test_tls13_keyupdate (void)
{
  g_autoptr (TlsLesson) l = NULL;
  TlsConductor *c = run_lesson ("tls13-keyupdate", &l);
  TlsTrace *t = tls_conductor_get_trace (c);
  const char *side[] = { "client", "server" };
  const TlsStep *cku, *sku;

  g_test_summary ("The tls13-keyupdate lesson's answers against its run: the next secrets and "
                  "keys recomputed, the two KeyUpdates, which records go before and after them");
  for (int who = 0; who < 2; who++)
    {
      g_autofree char *s0 = g_strdup_printf ("%s_application_traffic_secret_0", side[who]);
      g_autofree char *k1 = g_strdup_printf ("traffic keys from %s_application_traffic_secret_1",
                                             side[who]);
      GBytes *secret0 = output_of (nth_step (t, who ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT, s0, 0), s0);
      g_autoptr (GBytes) secret1 = expand_label (secret0, "traffic upd", NULL, 0, 32);
      g_autoptr (GBytes) key = expand_label (secret1, "key", NULL, 0, 16);
      g_autoptr (GBytes) iv = expand_label (secret1, "iv", NULL, 0, 12);

      /* On each side the client's next secret is the first N+1 derived,
       * the server's the second. */
      for (int at = 0; at < 2; at++)
        {
          TlsActor a = at ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT;
          const TlsStep *d = nth_step (t, a, "application_traffic_secret_N+1", who);
          const TlsStep *k = nth_step (t, a, k1, 0);
          g_assert_true (g_bytes_equal (secret1, output_of (d, "application_traffic_secret_N+1")));
          g_assert_true (g_bytes_equal (key, output_of (k, "write_key")));
          g_assert_true (g_bytes_equal (iv, output_of (k, "write_iv")));
        }
    }

  cku = nth_step (t, TLS_ACTOR_CLIENT, "KeyUpdate", 0);
  sku = nth_step (t, TLS_ACTOR_SERVER, "KeyUpdate", 0);
  assert_bytes_eq (cku->bytes, "\x18\x00\x00\x01\x01", 5);
  assert_bytes_eq (sku->bytes, "\x18\x00\x00\x01\x00", 5);
  g_assert_true (cku->encrypted && sku->encrypted);
  g_assert_cmpuint (step_pos (t, nth_step (t, TLS_ACTOR_CLIENT, "Application Data", 0)), <,
                    step_pos (t, cku));
  g_assert_cmpuint (step_pos (t, cku), <,
                    step_pos (t, nth_step (t, TLS_ACTOR_CLIENT, "Application Data", 1)));
  g_assert_cmpuint (step_pos (t, cku), <, step_pos (t, sku));
  g_assert_cmpuint (step_pos (t, nth_step (t, TLS_ACTOR_SERVER, "Application Data", 0)), <,
                    step_pos (t, sku));
  g_assert_cmpuint (step_pos (t, sku), <,
                    step_pos (t, nth_step (t, TLS_ACTOR_SERVER, "Application Data", 1)));
  /* the server's receiving keys follow the client's KeyUpdate */
  g_assert_cmpuint (step_pos (t, cku), <,
                    step_pos (t, nth_step (t, TLS_ACTOR_SERVER, "application_traffic_secret_N+1", 0)));
  g_assert_cmpuint (count_steps (t, 0, "KeyUpdate"), ==, 2);
  tls_conductor_free (c);
}

/* tls13-downgrade: supported_versions as sent (0304 0303) and as delivered
 * (0303), the other extensions untouched; the server's TLS 1.2 ServerHello
 * without supported_versions and with "DOWNGRD" 01 (RFC 8446, 4.1.3) at the
 * end of its random; the ephemeral suite and its ServerKeyExchange; the
 * client stops with illegal_parameter before ClientKeyExchange.  Against
 * fallback-scsv: the signal there is the client's TLS_FALLBACK_SCSV. */
static void
test_tls13_downgrade (void)
{
  g_autofree char *path = lesson_path ("tls13-downgrade");
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsLesson) l = tls_lesson_load (path, &error);
  g_autoptr (TlsScenario) fb = tls_scenario_builtin ("fallback-scsv");
  g_autoptr (GHashTable) sent = NULL, got = NULL, sh = NULL;
  TlsConductor *c, *c2;
  TlsTrace *t;
  const TlsStep *s;
  GHashTableIter it;
  gpointer key, val;
  gsize len;
  const guint8 *d;

  g_test_summary ("The tls13-downgrade lesson's answers against its run: the versions as sent "
                  "and delivered, the sentinel, the alert before the key exchange; fallback-scsv "
                  "for comparison");
  g_assert_no_error (error);
  c = tls_conductor_new (l->scenario, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  tls_conductor_run (c);
  t = tls_conductor_get_trace (c);
  g_assert_true (tls_lesson_place (l, t, &error));
  g_assert_no_error (error);

  s = nth_step (t, TLS_ACTOR_CLIENT, "ClientHello", 0);
  sent = hello_extensions (s);
  assert_bytes_eq (ext (sent, 43), "\x04\x03\x04\x03\x03", 5);
  for (guint i = 0; i < tls_trace_len (t); i++)
    if (g_strcmp0 (tls_trace_get (t, i)->title, "Tamper: ClientHello.versions") == 0)
      s = tls_trace_get (t, i);
  d = g_bytes_get_data (output_of (s, "record delivered"), &len);
  g_assert_cmpint (d[0], ==, 22);
  got = hello_extensions_of (d + 5, len - 5);
  assert_bytes_eq (ext (got, 43), "\x02\x03\x03", 3);
  g_assert_cmpuint (g_hash_table_size (got), ==, g_hash_table_size (sent));
  g_hash_table_iter_init (&it, sent);
  while (g_hash_table_iter_next (&it, &key, &val))
    if (GPOINTER_TO_UINT (key) != 43)
      g_assert_true (g_bytes_equal (val, ext (got, GPOINTER_TO_UINT (key))));
  g_assert_nonnull (strstr (nth_step (t, TLS_ACTOR_SERVER, "Protocol version", 0)->choice, "TLS 1.2"));

  s = nth_step (t, TLS_ACTOR_SERVER, "ServerHello", 0);
  d = step_data (s, &len);
  g_assert_cmpmem (d + 4, 2, "\x03\x03", 2);
  g_assert_cmpmem (d + 6 + 24, 8, "\x44\x4f\x57\x4e\x47\x52\x44\x01", 8);
  g_assert_cmpmem (d + 6 + 24, 7, "DOWNGRD", 7);
  sh = hello_extensions (s);
  g_assert_null (ext (sh, 43));
  g_assert_cmpstr (tls_trace_get_meta (t, "conn0.suite"), ==, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  g_assert_cmpuint (count_steps (t, 0, "ServerKeyExchange"), ==, 1);
  g_assert_cmpint (nth_step (t, TLS_ACTOR_CLIENT, "Downgrade sentinel", 0)->result, ==,
                   TLS_CHECK_FAILED);
  g_assert_cmpuint (count_steps (t, 0, "ClientKeyExchange"), ==, 0);
  g_assert_cmpuint (count_steps (t, 0, "Finished"), ==, 0);
  s = nth_step (t, TLS_ACTOR_CLIENT, "Alert: illegal_parameter", 0);
  g_assert_cmpint (s->alert_description, ==, TLS_ALERT_ILLEGAL_PARAMETER);
  tls_conductor_free (c);

  /* fallback-scsv: the client's signal, 0x5600 among its suites, and the
   * server's refusal. */
  c2 = tls_conductor_new (fb, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  tls_conductor_run (c2);
  t = tls_conductor_get_trace (c2);
  d = step_data (nth_step (t, TLS_ACTOR_CLIENT, "ClientHello", 0), &len);
  {
    gsize p = 4 + 2 + 32 + 1 + d[38], n = d[p] << 8 | d[p + 1];
    gboolean scsv = FALSE;
    for (gsize i = 0; i < n; i += 2)
      scsv |= d[p + 2 + i] == 0x56 && d[p + 3 + i] == 0x00;
    g_assert_true (scsv);
  }
  g_assert_cmpint (tls_conductor_alert (c2), ==, TLS_ALERT_INAPPROPRIATE_FALLBACK);
  g_assert_cmpint (nth_step (t, TLS_ACTOR_SERVER, "Alert: inappropriate_fallback", 0)->actor, ==,
                   TLS_ACTOR_SERVER);
  tls_conductor_free (c2);
}

/* HMAC-SHA256(finished_key of the derivation `fd`, SHA-256 of the
 * handshake messages of connection `conn` up to `last`) against the
 * verify_data of the Finished message `fin` (RFC 8446, 4.4.4). */
static void
assert_verify_data (const TlsTrace *t, guint conn, const TlsStep *fd, const TlsStep *last,
                    const TlsStep *fin)
{
  g_autoptr (GBytes) th = transcript_sha256_in (t, conn, NULL, last);
  g_autoptr (GBytes) vd = hmac256 (output_of (fd, "finished_key"), g_bytes_get_data (th, NULL), 32);
  gsize len;
  const guint8 *d = step_data (fin, &len);
  g_assert_cmpuint (len, ==, 4 + 32);
  g_assert_cmpmem (d + 4, 32, g_bytes_get_data (vd, NULL), 32);
}

static const char get_request[] = "GET / HTTP/1.0\r\n\r\n";

/* tls13-0rtt: early_data in the second ClientHello; the 0-RTT request
 * before any message of the server (no round trip); the
 * client_early_traffic_secret recomputed from the ticket's PSK and the
 * ClientHello alone, the same on both sides; early_data in
 * EncryptedExtensions (empty list in the first connection); the server's
 * application got the request; EndOfEarlyData after the server's
 * Finished, encrypted, and in the transcript of the client's Finished
 * (verify_data recomputed). */
static void
test_tls13_0rtt (void)
{
  g_autoptr (TlsLesson) l = NULL;
  TlsConductor *c = run_lesson ("tls13-0rtt", &l);
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (GHashTable) e = NULL;
  g_autoptr (GBytes) salt = g_bytes_new (zeros32, 32), es = NULL, chh = NULL, cets = NULL;
  const TlsStep *ch, *early, *s, *sfin, *eoed, *cfin;
  GBytes *psk;
  const guint8 *d;
  gsize len;

  g_test_summary ("The tls13-0rtt lesson's answers against its run: the request before any "
                  "message of the server, client_early_traffic_secret recomputed, early_data "
                  "in EncryptedExtensions, EndOfEarlyData in the client's Finished");

  ch = conn_step (t, 1, TLS_ACTOR_CLIENT, "ClientHello", 0);
  e = hello_extensions (ch);
  assert_bytes_eq (ext (e, 42), "", 0);                            /* early_data, empty */
  assert_bytes_eq (ext (e, 45), "\x01\x01", 2);                    /* psk_dhe_ke */
  g_assert_nonnull (ext (e, 41));

  /* The request: in the client's first flight, before any message of the
   * server in connection 2, under the early keys. */
  early = conn_step (t, 1, TLS_ACTOR_CLIENT, "0-RTT Application Data", 0);
  g_assert_cmpint (early->kind, ==, TLS_STEP_APPDATA);
  assert_bytes_eq (early->bytes, get_request, strlen (get_request));
  g_assert_true (early->encrypted);
  for (guint i = step_pos (t, ch); i < step_pos (t, early); i++)
    g_assert_true (tls_trace_get (t, i)->actor != TLS_ACTOR_SERVER || !tls_trace_get (t, i)->wire);
  g_assert_cmpuint (step_pos (t, early), <, step_pos (t, conn_step (t, 1, TLS_ACTOR_SERVER, "ServerHello", 0)));
  g_assert_cmpuint (count_steps (t, 1, "Application Data"), ==, 1);   /* the server's answer */

  /* client_early_traffic_secret = Derive-Secret(HKDF-Extract(0, PSK),
   * "c e traffic", ClientHello), the PSK from the first connection. */
  psk = output_of (nth_step (t, TLS_ACTOR_CLIENT, "resumption PSK", 0), "PSK");
  es = hmac256 (salt, g_bytes_get_data (psk, NULL), 32);
  d = step_data (ch, &len);
  chh = sha256_of (d, len);
  cets = expand_label (es, "c e traffic", g_bytes_get_data (chh, NULL), 32, 32);
  for (int who = 0; who < 2; who++)
    g_assert_true (g_bytes_equal (cets, output_of (conn_step (t, 1, who ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT,
                                                              "client_early_traffic_secret", 0),
                                                   "client_early_traffic_secret")));
  g_assert_cmpuint (step_pos (t, conn_step (t, 1, TLS_ACTOR_CLIENT, "client_early_traffic_secret", 0)), <,
                    step_pos (t, early));

  /* The server accepts and says so; it read the request. */
  g_assert_true (g_str_has_prefix (conn_step (t, 1, TLS_ACTOR_SERVER, "Accept early data?", 0)->choice,
                                   "accept"));
  assert_bytes_eq (conn_step (t, 0, TLS_ACTOR_SERVER, "EncryptedExtensions", 0)->bytes,
                   "\x08\x00\x00\x02\x00\x00", 6);
  assert_bytes_eq (conn_step (t, 1, TLS_ACTOR_SERVER, "EncryptedExtensions", 0)->bytes,
                   "\x08\x00\x00\x06\x00\x04\x00\x2a\x00\x00", 10);
  s = conn_step (t, 1, TLS_ACTOR_SERVER, "0-RTT data read", 0);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  assert_bytes_eq (tls_step_find_value (s, "early data")->bytes, get_request, strlen (get_request));
  g_assert_cmpuint (count_steps (t, 1, "Accept early data?"), ==, 1);

  /* EndOfEarlyData: empty, encrypted, after the server's Finished and
   * before the client's, whose verify_data covers it. */
  sfin = conn_step (t, 1, TLS_ACTOR_SERVER, "Finished", 0);
  eoed = conn_step (t, 1, TLS_ACTOR_CLIENT, "EndOfEarlyData", 0);
  cfin = conn_step (t, 1, TLS_ACTOR_CLIENT, "Finished", 0);
  assert_bytes_eq (eoed->bytes, "\x05\x00\x00\x00", 4);
  g_assert_true (eoed->encrypted);
  g_assert_cmpuint (step_pos (t, sfin), <, step_pos (t, eoed));
  g_assert_cmpuint (step_pos (t, eoed), <, step_pos (t, cfin));
  assert_verify_data (t, 1, conn_step (t, 1, TLS_ACTOR_CLIENT, "client Finished (TLS 1.3)", 0), eoed, cfin);
  tls_conductor_free (c);

  /* The answer's comparison: in tls13-resumption the resumed connection's
   * request follows the server's Finished and the client's own. */
  {
    g_autoptr (TlsScenario) res = tls_scenario_builtin ("tls13-resumption");
    g_autoptr (GError) error = NULL;
    TlsConductor *rc = tls_conductor_new (res, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
    TlsTrace *rt;
    g_assert_no_error (error);
    tls_conductor_run (rc);
    rt = tls_conductor_get_trace (rc);
    g_assert_cmpuint (count_steps (rt, 1, "0-RTT Application Data"), ==, 0);
    g_assert_cmpuint (step_pos (rt, conn_step (rt, 1, TLS_ACTOR_SERVER, "Finished", 0)), <,
                      step_pos (rt, conn_step (rt, 1, TLS_ACTOR_CLIENT, "Finished", 0)));
    g_assert_cmpuint (step_pos (rt, conn_step (rt, 1, TLS_ACTOR_CLIENT, "Finished", 0)), <,
                      step_pos (rt, conn_step (rt, 1, TLS_ACTOR_CLIENT, "Application Data", 0)));
    tls_conductor_free (rc);
  }
}

/* tls13-0rtt-replay: connection 3 is the attacker's copy of connection
 * 2's first flight; the server's binder check passes, it accepts the early
 * data with the same client_early_traffic_secret and reads the same
 * request again; the attacker stops and the server sends handshake_failure.
 * The note's command, tls13-0rtt-replay-single-use: the copy's ticket is
 * refused (full handshake, no early data), its 0-RTT record fails the
 * record check, and the request is read once. */
static void
test_tls13_0rtt_replay (void)
{
  g_autoptr (TlsLesson) l = NULL;
  TlsConductor *c = run_lesson ("tls13-0rtt-replay", &l);
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (TlsScenario) su = tls_scenario_builtin ("tls13-0rtt-replay-single-use");
  g_autoptr (GError) error = NULL;
  TlsConductor *c2;
  TlsTrace *t2;
  const TlsStep *s;
  guint reads = 0;

  g_test_summary ("The tls13-0rtt-replay lesson's answers against its run: the replayed first "
                  "flight read again with the same keys; single-use tickets read it once");

  s = conn_step (t, 2, TLS_ACTOR_ATTACKER, "Replay of the ClientHello and its 0-RTT data", 0);
  g_assert_nonnull (strstr (s->choice, "438 bytes"));
  g_assert_cmpint (conn_step (t, 2, TLS_ACTOR_SERVER, "PSK binder verifies", 0)->result, ==,
                   TLS_CHECK_PASSED);
  g_assert_true (g_str_has_prefix (conn_step (t, 2, TLS_ACTOR_SERVER, "Accept early data?", 0)->choice,
                                   "accept"));
  g_assert_true (g_bytes_equal (output_of (conn_step (t, 1, TLS_ACTOR_SERVER, "client_early_traffic_secret", 0),
                                           "client_early_traffic_secret"),
                                output_of (conn_step (t, 2, TLS_ACTOR_SERVER, "client_early_traffic_secret", 0),
                                           "client_early_traffic_secret")));
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      s = tls_trace_get (t, i);
      if (g_strcmp0 (s->title, "0-RTT data read") != 0)
        continue;
      g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
      assert_bytes_eq (tls_step_find_value (s, "early data")->bytes, get_request, strlen (get_request));
      reads++;
    }
  g_assert_cmpuint (reads, ==, 2);
  g_assert_cmpuint (count_steps (t, 2, "ClientHello"), ==, 0);     /* no client in connection 3 */
  s = conn_step (t, 2, TLS_ACTOR_SERVER, "Alert: handshake_failure", 0);
  g_assert_cmpint (s->alert_description, ==, TLS_ALERT_HANDSHAKE_FAILURE);
  g_assert_cmpuint (step_pos (t, conn_step (t, 2, TLS_ACTOR_SERVER, "0-RTT data read", 0)), <, step_pos (t, s));
  conn_step (t, 2, TLS_ACTOR_ATTACKER, "The attacker stops", 0);
  tls_conductor_free (c);

  /* The note's command. */
  g_assert_nonnull (su);
  c2 = tls_conductor_new (su, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  tls_conductor_run (c2);
  t2 = tls_conductor_get_trace (c2);
  g_assert_nonnull (strstr (conn_step (t2, 2, TLS_ACTOR_SERVER, "Resume with the PSK?", 0)->reason,
                            "used already"));
  g_assert_true (g_str_has_prefix (conn_step (t2, 2, TLS_ACTOR_SERVER, "Accept early data?", 0)->choice,
                                   "refuse"));
  conn_step (t2, 2, TLS_ACTOR_SERVER, "Certificate", 0);
  conn_step (t2, 2, TLS_ACTOR_SERVER, "CertificateVerify", 0);
  /* the replayed 0-RTT record is skipped (RFC 8446, 4.2.10), not a failed record */
  g_assert_cmpint (tls_trace_find (t2, TLS_STEP_CHECK, "Record tag"), <, 0);
  g_assert_cmpuint (count_steps (t2, 1, "0-RTT data read"), ==, 1);
  g_assert_cmpuint (count_steps (t2, 2, "0-RTT data read"), ==, 0);
  tls_conductor_free (c2);
}

/* The client's CertificateVerify: rsa_pss_rsae_sha256, and the signed
 * content the server checked is 64 spaces, "TLS 1.3, client
 * CertificateVerify", 0 and SHA-256(ClientHello...client Certificate),
 * recomputed here. */
static void
assert_client_cv (const TlsTrace *t)
{
  static const char cv_context[] = "TLS 1.3, client CertificateVerify";
  const TlsStep *cert = nth_step (t, TLS_ACTOR_CLIENT, "Certificate", 0);
  const TlsStep *cv = nth_step (t, TLS_ACTOR_CLIENT, "CertificateVerify", 0);
  const TlsStep *s = nth_step (t, TLS_ACTOR_SERVER, "CertificateVerify signature", 0);
  g_autoptr (GBytes) th = transcript_sha256 (t, NULL, cert);
  g_autoptr (GByteArray) want = g_byte_array_new ();
  gsize len;
  const guint8 *d = step_data (cv, &len);

  g_assert_cmpmem (d + 4, 2, "\x08\x04", 2);
  g_assert_cmpint (s->result, ==, TLS_CHECK_PASSED);
  for (int i = 0; i < 64; i++)
    g_byte_array_append (want, (const guint8 *) " ", 1);
  g_byte_array_append (want, (const guint8 *) cv_context, sizeof cv_context);  /* with its 0 */
  g_byte_array_append (want, g_bytes_get_data (th, NULL), g_bytes_get_size (th));
  assert_bytes_eq (value_named (s->inputs, "signed_content")->bytes, want->data, want->len);
  g_assert_cmpuint (step_pos (t, cert), <, step_pos (t, cv));
}

/* tls13-client-auth: CertificateRequest right after EncryptedExtensions,
 * encrypted, empty context, signature_algorithms; the client's Certificate
 * echoes the context and is not empty; its CertificateVerify recomputed;
 * its Finished over ClientHello...client CertificateVerify. */
static void
test_tls13_client_auth (void)
{
  g_autoptr (TlsLesson) l = NULL;
  TlsConductor *c = run_lesson ("tls13-client-auth", &l);
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *ee, *cr, *cert, *cv, *cfin;
  const guint8 *d;
  gsize len;

  g_test_summary ("The tls13-client-auth lesson's answers against its run: the CertificateRequest, "
                  "the client's Certificate and CertificateVerify (signed content recomputed), "
                  "its Finished");

  ee = nth_step (t, TLS_ACTOR_SERVER, "EncryptedExtensions", 0);
  cr = nth_step (t, TLS_ACTOR_SERVER, "CertificateRequest", 0);
  for (guint i = step_pos (t, ee) + 1; i < step_pos (t, cr); i++)
    g_assert_cmpint (tls_trace_get (t, i)->kind, !=, TLS_STEP_MESSAGE);
  g_assert_true (cr->encrypted);
  d = step_data (cr, &len);
  g_assert_cmpint (d[0], ==, 13);
  g_assert_cmpint (d[4], ==, 0);                                  /* empty context */
  g_assert_cmpmem (d + 7, 2, "\x00\x0d", 2);                      /* signature_algorithms */
  g_assert_cmpuint (7 + 4 + (d[9] << 8 | d[10]), ==, len);

  cert = nth_step (t, TLS_ACTOR_CLIENT, "Certificate", 0);
  g_assert_true (cert->encrypted);
  d = step_data (cert, &len);
  g_assert_cmpint (d[4], ==, 0);
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpuint (step_pos (t, nth_step (t, TLS_ACTOR_SERVER, "Finished", 0)), <, step_pos (t, cert));
  g_assert_nonnull (strstr (nth_step (t, TLS_ACTOR_SERVER, "CertificateVerify signature", 0)->against,
                            "CN=Student"));
  assert_client_cv (t);

  cv = nth_step (t, TLS_ACTOR_CLIENT, "CertificateVerify", 0);
  cfin = nth_step (t, TLS_ACTOR_CLIENT, "Finished", 0);
  assert_verify_data (t, 0, nth_step (t, TLS_ACTOR_CLIENT, "client Finished (TLS 1.3)", 0), cv, cfin);
  tls_conductor_free (c);
}

/* tls13-client-auth-none: the client's Certificate is 8 bytes (empty
 * context, empty list), no CertificateVerify from the client, its Finished
 * follows; the server aborts with certificate_required. */
static void
test_tls13_client_auth_none (void)
{
  g_autofree char *path = lesson_path ("tls13-client-auth-none");
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsLesson) l = tls_lesson_load (path, &error);
  TlsConductor *c;
  TlsTrace *t;
  const TlsStep *cert, *cfin, *s;

  g_assert_no_error (error);
  c = tls_conductor_new (l->scenario, g_getenv ("HANDSHAKE_LAB_DATADIR"), &error);
  g_assert_no_error (error);
  tls_conductor_run (c);
  t = tls_conductor_get_trace (c);
  g_assert_true (tls_lesson_place (l, t, &error));
  g_assert_no_error (error);

  nth_step (t, TLS_ACTOR_SERVER, "CertificateRequest", 0);
  cert = nth_step (t, TLS_ACTOR_CLIENT, "Certificate", 0);
  assert_bytes_eq (cert->bytes, "\x0b\x00\x00\x04\x00\x00\x00\x00", 8);
  cfin = nth_step (t, TLS_ACTOR_CLIENT, "Finished", 0);
  for (guint i = step_pos (t, cert) + 1; i < step_pos (t, cfin); i++)
    g_assert_cmpint (tls_trace_get (t, i)->kind, !=, TLS_STEP_MESSAGE);
  g_assert_cmpuint (count_steps (t, 0, "CertificateVerify"), ==, 1);   /* the server's */
  s = nth_step (t, TLS_ACTOR_SERVER, "Client without a certificate", 0);
  g_assert_true (g_str_has_prefix (s->choice, "abort"));
  s = nth_step (t, TLS_ACTOR_SERVER, "Alert: certificate_required", 0);
  g_assert_cmpint (s->alert_description, ==, TLS_ALERT_CERTIFICATE_REQUIRED);
  g_assert_cmpint (s->alert_level, ==, TLS_ALERT_LEVEL_FATAL);
  g_assert_cmpint (tls_conductor_alert (c), ==, TLS_ALERT_CERTIFICATE_REQUIRED);
  tls_conductor_free (c);
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
  g_test_add_func ("/lessons/tls13", test_tls13);
  g_test_add_func ("/lessons/tls13-hrr", test_tls13_hrr);
  g_test_add_func ("/lessons/tls13-resumption", test_tls13_resumption);
  g_test_add_func ("/lessons/tls13-psk-ke", test_tls13_psk_ke);
  g_test_add_func ("/lessons/tls13-keyupdate", test_tls13_keyupdate);
  g_test_add_func ("/lessons/tls13-downgrade", test_tls13_downgrade);
  g_test_add_func ("/lessons/tls13-0rtt", test_tls13_0rtt);
  g_test_add_func ("/lessons/tls13-0rtt-replay", test_tls13_0rtt_replay);
  g_test_add_func ("/lessons/tls13-client-auth", test_tls13_client_auth);
  g_test_add_func ("/lessons/tls13-client-auth-none", test_tls13_client_auth_none);
  return g_test_run ();
}
