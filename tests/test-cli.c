/* test-cli.c — the handshake-lab program: exit codes, usage errors that name
 * the problem, `run`, and `serve` with our own `connect` over 127.0.0.1.
 * The program's path comes in $HANDSHAKE_LAB. */
#include <string.h>
#include <glib/gstdio.h>

#include "interop-peers.h"

#define TIMEOUT_MS IOP_TIMEOUT_MS

static const char *program;

/* Runs handshake-lab with the NULL-terminated arguments; stdout and stderr
 * apart. */
static void
run_lab (IopResult *r, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, (char *) program);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (iop_run_split ((const char *const *) argv->pdata, NULL, TIMEOUT_MS, r, &error));
  g_assert_no_error (error);
  g_assert_true (r->exited);
}

static void
assert_usage_error (IopResult *r, const char *mentions)
{
  if (r->status != 2 || strstr (r->errors, mentions) == NULL)
    g_test_message ("stdout:\n%s\nstderr:\n%s", r->output, r->errors);
  g_assert_cmpint (r->status, ==, 2);
  g_assert_nonnull (strstr (r->errors, mentions));
}

static char *
pki (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "pki", name, NULL);
}

/* ------------------------------------------------------------------ */

static void
test_help (void)
{
  IopResult r;

  g_test_summary ("--help lists the commands, --version prints the version");
  run_lab (&r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  for (const char *const *c = (const char *const[]) { "run", "connect", "serve", "verify", NULL };
       *c; c++)
    g_assert_nonnull (strstr (r.output, *c));
  iop_result_clear (&r);

  run_lab (&r, "--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.output, "handshake-lab "));
  iop_result_clear (&r);

  run_lab (&r, "serve", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "--count"));
  iop_result_clear (&r);
}

static void
test_usage_command (void)
{
  IopResult r;

  g_test_summary ("An unknown command or option exits 2 and names it");
  run_lab (&r, "frobnicate", NULL);
  assert_usage_error (&r, "frobnicate");
  iop_result_clear (&r);

  run_lab (&r, "run", "--frobnicate", NULL);
  assert_usage_error (&r, "--frobnicate");
  iop_result_clear (&r);

  run_lab (&r, "connect", NULL);
  assert_usage_error (&r, "HOST:PORT");
  iop_result_clear (&r);

  run_lab (&r, "run", "--seed", "many", NULL);
  assert_usage_error (&r, "many");
  iop_result_clear (&r);
}

static void
test_usage_suite (void)
{
  IopResult r;

  g_test_summary ("An unknown suite exits 2, names it and lists the valid names");
  run_lab (&r, "connect", "127.0.0.1:9", "--suite", "TLS_RSA_WITH_NOPE", NULL);
  assert_usage_error (&r, "TLS_RSA_WITH_NOPE");
  g_assert_nonnull (strstr (r.errors, "TLS_RSA_WITH_AES_128_GCM_SHA256"));
  iop_result_clear (&r);

  run_lab (&r, "serve", "--suite", "TLS_RSA_WITH_AES_128_CBC_SHA,AES128-SHA", NULL);
  assert_usage_error (&r, "AES128-SHA");
  g_assert_nonnull (strstr (r.errors, "TLS_RSA_WITH_AES_256_CBC_SHA"));
  iop_result_clear (&r);
}

static void
test_usage_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-cli-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
  g_autofree char *key = pki ("server-rsa.key");
  g_autofree char *scenario = g_build_filename (dir, "missing.scenario", NULL);
  IopResult r;

  g_test_summary ("A missing file exits 2 and names the file");
  run_lab (&r, "serve", "--cert", missing, "--key", key, "--count", "1", NULL);
  assert_usage_error (&r, missing);
  iop_result_clear (&r);

  run_lab (&r, "connect", "127.0.0.1:9", "--ca", missing, NULL);
  assert_usage_error (&r, missing);
  iop_result_clear (&r);

  run_lab (&r, "run", "--scenario", scenario, NULL);
  assert_usage_error (&r, scenario);
  iop_result_clear (&r);

  run_lab (&r, "serve", "--cert", key, NULL);
  assert_usage_error (&r, "--key");
  iop_result_clear (&r);

  run_lab (&r, "verify", "--trust", missing, key, NULL);
  assert_usage_error (&r, missing);
  iop_result_clear (&r);

  run_lab (&r, "verify", key, NULL);
  assert_usage_error (&r, "--trust");
  iop_result_clear (&r);

  g_rmdir (dir);
}

static void
test_usage_address (void)
{
  IopResult r;

  g_test_summary ("A bad address or port exits 2 and names it");
  run_lab (&r, "connect", "127.0.0.1:99999", NULL);
  assert_usage_error (&r, "99999");
  iop_result_clear (&r);

  run_lab (&r, "connect", "127.0.0.1:0", NULL);
  assert_usage_error (&r, "127.0.0.1:0");
  iop_result_clear (&r);

  run_lab (&r, "connect", "localhost:https", NULL);
  assert_usage_error (&r, "localhost:https");
  iop_result_clear (&r);

  run_lab (&r, "serve", "--listen", "127.0.0.1:-4", NULL);
  assert_usage_error (&r, "127.0.0.1:-4");
  iop_result_clear (&r);
}

static void
test_usage_scenario (void)
{
  IopResult r;

  g_test_summary ("An unknown scenario exits 2 and lists the scenarios");
  run_lab (&r, "run", "--scenario", "no-such-scenario", NULL);
  assert_usage_error (&r, "no-such-scenario");
  g_assert_nonnull (strstr (r.errors, "resumption"));
  iop_result_clear (&r);

  run_lab (&r, "run", "--list-scenarios", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.output, "resumption"));
  g_assert_nonnull (strstr (r.output, "full"));
  iop_result_clear (&r);
}

static void
test_connect_refused (void)
{
  g_autofree char *addr = g_strdup_printf ("127.0.0.1:%u", iop_free_port ());
  IopResult r;

  g_test_summary ("Nobody listening: exit 1 with the reason");
  run_lab (&r, "connect", addr, "--timeout", "2000", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.errors, "cannot connect"));
  iop_result_clear (&r);
}

/* ------------------------------------------------------------------ */

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  program = g_getenv ("HANDSHAKE_LAB");
  if (program == NULL || !g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_message ("HANDSHAKE_LAB is not set to the handshake-lab program");
      return 77;
    }

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/usage/command", test_usage_command);
  g_test_add_func ("/cli/usage/suite", test_usage_suite);
  g_test_add_func ("/cli/usage/file", test_usage_file);
  g_test_add_func ("/cli/usage/address", test_usage_address);
  g_test_add_func ("/cli/usage/scenario", test_usage_scenario);
  g_test_add_func ("/cli/connect/refused", test_connect_refused);

  return g_test_run ();
}
