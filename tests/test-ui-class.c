/* test-ui-class.c — the window serving a class (issue 12, "For the
 * teacher"): the window's server takes two connections from openssl
 * s_client on 127.0.0.1, each with another suite; the list has two rows
 * with those suites, and selecting one loads its trace step by step.  The
 * window is drawn at 1024x768 and saved (class-serving.png in the build
 * directory) to be looked at.  Needs a display and openssl; skips without.
 * Every wait is bounded and the server is always stopped. */
#include "config.h"
#include <gtk/gtk.h>
#include <string.h>
#include "interop-peers.h"
#include "lab-class-list.h"
#include "lab-gui.h"
#include "lab-screenshot.h"
#include "lab-session.h"
#include "lab-window.h"
#include "test-ui-util.h"

#define WAIT_US (30 * G_USEC_PER_SEC)

typedef struct
{
  gboolean done;
  char    *out;
} Client;

static void
client_done_cb (GObject *proc, GAsyncResult *res, gpointer data)
{
  Client *c = data;
  g_autoptr (GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (proc), res, &c->out, NULL, &error);
  c->done = TRUE;
}

/* openssl s_client with CIPHER against the window, sending GET /, while
 * the main loop runs (the server is in it). */
static char *
connect_with (const char *openssl, guint16 port, const char *cipher)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  Client c = { 0 };
  gint64 end = g_get_monotonic_time () + WAIT_US;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                           | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                           openssl, "s_client", "-connect", address, "-tls1_2", "-cipher", cipher,
                           "-quiet", "-servername", "localhost", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, "GET / HTTP/1.0\r\nUser-Agent: curl/7.88.1\r\n\r\n",
                                       NULL, client_done_cb, &c);
  while (!c.done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  if (!c.done)
    {
      g_subprocess_force_exit (proc);
      while (!c.done)
        g_main_context_iteration (NULL, TRUE);
    }
  return c.out;
}

static void
test_serve_two (void)
{
  g_autofree char *openssl = iop_find_program ("openssl");
  g_autofree char *page1 = NULL, *page2 = NULL;
  g_autofree char *png = build_path ("class-serving.png");
  g_autoptr (GError) error = NULL;
  LabClassList *list;
  LabSession *session;
  LabWindow *w;
  gint64 end;
  guint16 port;

  g_test_summary ("The window serves two clients; its list shows both with their suites; "
                  "selecting one opens its trace");
  NEED_DISPLAY ();
  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  w = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  g_assert_true (lab_window_serve_class (w, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  list = lab_window_get_class_list (w);
  port = lab_class_list_get_port (list);
  g_assert_cmpuint (port, >, 0);

  page1 = connect_with (openssl, port, "ECDHE-RSA-AES128-GCM-SHA256");
  page2 = connect_with (openssl, port, "AES256-SHA");
  end = g_get_monotonic_time () + WAIT_US;
  while (lab_class_list_get_n_connections (list) < 2 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  lab_class_list_stop (list);

  /* each client got its own page, naming the suite it was given */
  g_assert_nonnull (strstr (page1, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
  g_assert_nonnull (strstr (page2, "TLS_RSA_WITH_AES_256_CBC_SHA"));
  g_assert_cmpuint (lab_class_list_get_n_connections (list), ==, 2);
  /* the rows: the suite, full, completed, the browser of the User-Agent */
  for (guint i = 0; i < 2; i++)
    {
      const char *row = lab_class_list_get_row_text (list, i);
      g_assert_nonnull (strstr (row, "completed"));
      g_assert_nonnull (strstr (row, "full"));
      g_assert_nonnull (strstr (row, "curl 7.88.1"));
      g_assert_nonnull (strstr (row, "127.0.0.1:"));
    }
  g_assert_true ((strstr (lab_class_list_get_row_text (list, 0), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                  && strstr (lab_class_list_get_row_text (list, 1), "TLS_RSA_WITH_AES_256_CBC_SHA"))
                 || (strstr (lab_class_list_get_row_text (list, 1), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                     && strstr (lab_class_list_get_row_text (list, 0), "TLS_RSA_WITH_AES_256_CBC_SHA")));

  /* selecting the second opens its trace, for review step by step */
  lab_class_list_select (list, 1);
  pump ();
  session = lab_window_get_session (w);
  g_assert_cmpint (lab_session_get_mode (session), ==, LAB_SESSION_RECORDED);
  g_assert_cmpuint (lab_session_get_n_recorded (session), ==,
                    tls_trace_len (lab_class_list_get_trace (list, 1)));
  g_assert_cmpstr (tls_trace_get_meta (lab_session_get_trace (session), "peer"), ==,
                   tls_trace_get_meta (lab_class_list_get_trace (list, 1), "peer"));
  g_assert_nonnull (strstr (lab_session_get_title (session), "connection 2"));
  lab_window_step_n (w, 3);
  wait_drawn (GTK_WIDGET (w));
  g_assert_true (lab_screenshot_save_png (GTK_WIDGET (w), png, &error));
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", png);
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/ui/class/serve-two", test_serve_two);
  return g_test_run ();
}
