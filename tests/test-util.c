/* test-util.c — helpers the engine tests share. */
#include "test-util.h"
#include "tls-bytes.h"

#include <glib/gstdio.h>

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
tu_run_scenario (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (name);
  TlsConductor *c;

  g_assert_nonnull (sc);
  c = tls_conductor_new (sc, tu_datadir (), &error);   /* copies SC */
  g_assert_no_error (error);
  tls_conductor_run (c);
  return c;
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
