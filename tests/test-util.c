/* test-util.c — helpers the engine tests share. */
#include "test-util.h"
#include "tls-bytes.h"

#include <glib/gstdio.h>
#include <string.h>

GBytes *
tu_hex (const char *hex)
{
  GBytes *b = tls_bytes_from_hex (hex);

  g_assert_nonnull (b);
  return b;
}

GBytes *
tu_member_hex (JsonObject *o, const char *name)
{
  return tu_hex (json_object_get_string_member (o, name));
}

JsonParser *
tu_load_wycheproof (const char *file)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "wycheproof", file, NULL);
  g_autoptr (GError) error = NULL;
  JsonParser *parser = json_parser_new ();

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return parser;
}

const char *
tu_datadir (void)
{
  return g_getenv ("HANDSHAKE_LAB_DATADIR");
}

TlsConductor *
tu_run (const TlsScenario *sc)
{
  g_autoptr (GError) error = NULL;
  TlsConductor *c;

  g_assert_nonnull (sc);
  c = tls_conductor_new (sc, tu_datadir (), &error);   /* copies SC */
  g_assert_no_error (error);
  tls_conductor_run (c);
  return c;
}

TlsConductor *
tu_run_scenario (const char *name)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (name);

  return tu_run (sc);
}

static gboolean
step_is (const TlsStep *s, int conn, TlsStepKind kind, int actor, const char *title)
{
  return (conn < 0 || s->connection == (guint) conn) && s->kind == kind
         && (actor < 0 || (int) s->actor == actor) && g_strcmp0 (s->title, title) == 0;
}

const TlsStep *
tu_step_nth (const TlsTrace *t, int conn, TlsStepKind kind, int actor, const char *title, guint nth)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (step_is (s, conn, kind, actor, title) && nth-- == 0)
        return s;
    }
  return NULL;
}

const TlsStep *
tu_step (const TlsTrace *t, int conn, TlsStepKind kind, int actor, const char *title)
{
  return tu_step_nth (t, conn, kind, actor, title, 0);
}

guint
tu_count (const TlsTrace *t, int conn, TlsStepKind kind, int actor, const char *title)
{
  guint n = 0;

  for (guint i = 0; i < tls_trace_len (t); i++)
    n += step_is (tls_trace_get (t, i), conn, kind, actor, title);
  return n;
}

static GBytes *
value_bytes (const TlsStep *s, const char *name, gboolean output)
{
  const TlsTraceValue *v;

  g_assert_nonnull (s);
  v = output ? tls_step_find_output (s, name) : tls_step_find_value (s, name);
  g_assert_nonnull (v);
  return v->bytes;
}

GBytes *
tu_value (const TlsStep *s, const char *name)
{
  return value_bytes (s, name, FALSE);
}

GBytes *
tu_output (const TlsStep *s, const char *name)
{
  return value_bytes (s, name, TRUE);
}

gboolean
tu_has_extension (const TlsStep *msg, const char *name)
{
  TlsField *f = tls_field_find (msg->fields, "extensions");

  for (guint i = 0; f && f->children && i < f->children->len; i++)
    {
      TlsField *e = g_ptr_array_index (f->children, i);
      if ((e->value && strstr (e->value, name)) || (e->name && strstr (e->name, name)))
        return TRUE;
    }
  return FALSE;
}

char *
tu_tmpdir_new (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("handshake-lab-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

guint
tu_tmpdir_count (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

void
tu_tmpdir_remove (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        tu_tmpdir_remove (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

void
tu_assert_box_messages (const TlsScheduleBox *b, const char *const *want)
{
  g_assert_nonnull (b->messages);
  g_assert_cmpuint (b->messages->len, ==, g_strv_length ((char **) want));
  for (guint i = 0; i < b->messages->len; i++)
    g_assert_cmpstr (b->messages->pdata[i], ==, want[i]);
}
