/* fuzz-replay.c — runs a fuzz target over files without libFuzzer: a plain
 * main() linked with one fuzz-*.c, built in every build, so `meson test`
 * replays each committed corpus (fuzz/corpus/NAME) and every regression
 * input in it (suite "fuzz").  In a sanitizer build (build-asan, .ci/run)
 * the replay runs under ASan and UBSan.
 *
 *   fuzz-replay-NAME FILE|DIR...   each file (a directory: each file in it,
 *                                  sorted) given to LLVMFuzzerTestOneInput;
 *                                  prints a TAP line per file. */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int n_run;

static void
run_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, &error))
    {
      g_print ("not ok %d - %s: %s\n", ++n_run, path, error->message);
      return;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
  g_print ("ok %d - %s (%" G_GSIZE_FORMAT " bytes)\n", ++n_run, path, len);
}

static gint
compare (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr (GDir) dir = g_dir_open (argv[i], 0, NULL);
          g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *name;

          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
          g_ptr_array_sort (names, compare);
          for (guint j = 0; j < names->len; j++)
            if (g_file_test (names->pdata[j], G_FILE_TEST_IS_REGULAR))
              run_file (names->pdata[j]);
        }
      else
        run_file (argv[i]);
    }
  if (n_run == 0)
    {
      g_print ("1..0 # SKIP no input\n");
      return 1;
    }
  g_print ("1..%d\n", n_run);
  return 0;
}
