/* interop-peers.c — start and stop real peers for the interop tests. */
#include "interop-peers.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* A peer that dies does not take the test with it. */
static void
ignore_sigpipe (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      signal (SIGPIPE, SIG_IGN);
      g_once_init_leave (&once, 1);
    }
}

char *
iop_find_program (const char *program)
{
  return g_find_program_in_path (program);
}

gboolean
iop_have_program (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  return path != NULL;
}

guint16
iop_free_port (void)
{
  struct sockaddr_in sa = { 0 };
  socklen_t sl = sizeof sa;
  guint16 port = 0;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return 0;
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *) &sa, sizeof sa) == 0
      && getsockname (fd, (struct sockaddr *) &sa, &sl) == 0)
    port = ntohs (sa.sin_port);
  close (fd);
  return port;
}

/* One line of /proc/net/tcp{,6}:
 *   sl  local_address rem_address   st ...
 *    0: 0100007F:1151 00000000:0000 0A ...
 * State 0A is LISTEN. */
static gboolean
proc_net_listening (const char *path, guint16 port)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto (GStrv) cols = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      const char *local = NULL, *state = NULL;
      guint n = 0;
      const char *colon;
      guint64 p;

      for (guint j = 0; cols[j] != NULL; j++)
        {
          if (*cols[j] == '\0')
            continue;
          if (n == 1)
            local = cols[j];
          else if (n == 3)
            state = cols[j];
          n++;
        }
      if (local == NULL || state == NULL || (colon = strrchr (local, ':')) == NULL)
        continue;
      if (g_ascii_string_to_unsigned (colon + 1, 16, 0, 65535, &p, NULL)
          && p == port && g_ascii_strcasecmp (state, "0A") == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
iop_port_listening (guint16 port)
{
  return proc_net_listening ("/proc/net/tcp", port)
      || proc_net_listening ("/proc/net/tcp6", port);
}

/* Waits for PROC to exit, at most TIMEOUT_MS, in a private main context. */
typedef struct
{
  gboolean done;
  gboolean exited;
} WaitState;

static void
wait_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  WaitState *st = user_data;

  st->exited = g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  st->done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_exit (GSubprocess *proc, int timeout_ms)
{
  g_autoptr (GMainContext) ctx = g_main_context_new ();
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  WaitState st = { FALSE, FALSE };
  gboolean timed_out = FALSE;
  GSource *timer;

  if (g_subprocess_get_identifier (proc) == NULL)
    return TRUE;
  g_main_context_push_thread_default (ctx);
  g_subprocess_wait_async (proc, cancel, wait_done_cb, &st);
  timer = g_timeout_source_new (MAX (timeout_ms, 0));
  g_source_set_callback (timer, timeout_cb, &timed_out, NULL);
  g_source_attach (timer, ctx);
  while (!st.done && !timed_out)
    g_main_context_iteration (ctx, TRUE);
  if (!st.done)
    {
      g_cancellable_cancel (cancel);
      while (!st.done)
        g_main_context_iteration (ctx, TRUE);
    }
  g_source_destroy (timer);
  g_source_unref (timer);
  g_main_context_pop_thread_default (ctx);
  return st.exited;
}

static char *
substitute_port (const char *arg, guint16 port)
{
  g_autoptr (GString) s = g_string_new (arg);
  g_autofree char *p = g_strdup_printf ("%u", port);

  g_string_replace (s, "@PORT@", p, 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
new_log_path (void)
{
  GError *error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("handshake-lab-peer-XXXXXX.log", &path, &error);

  if (fd < 0)
    {
      g_clear_error (&error);
      return NULL;
    }
  close (fd);
  return path;
}

/* In the child: die with the test, even when the test itself crashes. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Spawns ARGV with stdout to LOG_PATH and stderr to ERR_PATH (NULL: merged). */
static GSubprocess *
spawn (const char *const *argv, const char *log_path, const char *err_path,
       gboolean stdin_pipe, GError **error)
{
  g_autoptr (GSubprocessLauncher) l = NULL;

  ignore_sigpipe ();
  l = g_subprocess_launcher_new ((err_path ? 0 : G_SUBPROCESS_FLAGS_STDERR_MERGE)
                                 | (stdin_pipe ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0));
  g_subprocess_launcher_set_child_setup (l, child_setup, NULL, NULL);
  g_subprocess_launcher_set_stdout_file_path (l, log_path);
  if (err_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (l, err_path);
  if (!stdin_pipe)
    g_subprocess_launcher_set_stdin_file_path (l, "/dev/null");
  return g_subprocess_launcher_spawnv (l, argv, error);
}

gboolean
iop_server_start (IopServer *server, const char *const *argv, int timeout_ms, GError **error)
{
  memset (server, 0, sizeof *server);
  server->name = g_strdup (argv[0]);

  for (int attempt = 0; attempt < 3; attempt++)
    {
      g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
      gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
      guint16 port = iop_free_port ();

      if (port == 0)
        continue;
      for (guint i = 0; argv[i] != NULL; i++)
        g_ptr_array_add (args, substitute_port (argv[i], port));
      g_ptr_array_add (args, NULL);

      g_free (server->log_path);
      server->log_path = new_log_path ();
      server->port = port;
      /* stdin stays an open pipe: openssl s_server would stop at EOF. */
      server->proc = spawn ((const char *const *) args->pdata, server->log_path, NULL, TRUE,
                             error);
      if (server->proc == NULL)
        return FALSE;

      while (g_get_monotonic_time () < deadline)
        {
          if (iop_port_listening (port))
            return TRUE;
          if (g_subprocess_get_identifier (server->proc) == NULL)
            break;
          g_usleep (20 * 1000);
        }
      if (g_subprocess_get_identifier (server->proc) != NULL)
        {
          g_autofree char *out = iop_server_output (server);
          iop_server_stop (server);
          server->name = g_strdup (argv[0]);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "%s did not listen on port %u within %d ms:\n%s",
                       argv[0], port, timeout_ms, out ? out : "");
          return FALSE;
        }
      /* It died before listening: perhaps the port was taken meanwhile. */
      if (attempt == 2)
        {
          g_autofree char *out = iop_server_output (server);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "%s exited before listening on port %u:\n%s",
                       argv[0], port, out ? out : "");
          iop_server_stop (server);
          server->name = g_strdup (argv[0]);
          return FALSE;
        }
      g_clear_object (&server->proc);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no free port for %s", argv[0]);
  return FALSE;
}

char *
iop_server_output (IopServer *server)
{
  char *text = NULL;

  if (server->log_path == NULL || !g_file_get_contents (server->log_path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

gboolean
iop_server_wait (IopServer *server, int timeout_ms, int *status)
{
  if (server->proc == NULL || !wait_exit (server->proc, timeout_ms))
    return FALSE;
  if (status)
    *status = g_subprocess_get_if_exited (server->proc)
      ? g_subprocess_get_exit_status (server->proc) : -1;
  return TRUE;
}

void
iop_server_stop (IopServer *server)
{
  if (server->proc != NULL)
    {
      if (g_subprocess_get_identifier (server->proc) != NULL)
        {
          g_subprocess_send_signal (server->proc, SIGTERM);
          if (!wait_exit (server->proc, 1000))
            {
              g_subprocess_force_exit (server->proc);
              wait_exit (server->proc, 5000);
            }
        }
      g_clear_object (&server->proc);
    }
  if (server->log_path != NULL)
    g_unlink (server->log_path);
  g_clear_pointer (&server->log_path, g_free);
  g_clear_pointer (&server->name, g_free);
}

static gboolean
run (const char *const *argv, const char *stdin_text, int timeout_ms, gboolean split,
     IopResult *result, GError **error)
{
  g_autofree char *log_path = new_log_path ();
  g_autofree char *err_path = split ? new_log_path () : NULL;
  g_autoptr (GSubprocess) proc = NULL;

  memset (result, 0, sizeof *result);
  if (log_path == NULL || (split && err_path == NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot make a temporary file");
      return FALSE;
    }
  proc = spawn (argv, log_path, err_path, stdin_text != NULL, error);
  if (proc == NULL)
    {
      /* Callers may read the result even so. */
      result->status = -1;
      result->output = g_strdup ("");
      result->errors = split ? g_strdup ("") : NULL;
      g_unlink (log_path);
      if (err_path)
        g_unlink (err_path);
      return FALSE;
    }
  if (stdin_text != NULL)
    {
      GOutputStream *in = g_subprocess_get_stdin_pipe (proc);
      /* A peer that exits early closes the pipe: that is not our error. */
      g_output_stream_write_all (in, stdin_text, strlen (stdin_text), NULL, NULL, NULL);
      g_output_stream_close (in, NULL, NULL);
    }
  if (wait_exit (proc, timeout_ms))
    {
      result->exited = g_subprocess_get_if_exited (proc);
      result->status = result->exited ? g_subprocess_get_exit_status (proc) : -1;
    }
  else
    {
      g_subprocess_force_exit (proc);
      wait_exit (proc, 5000);
      result->exited = FALSE;
      result->status = -1;
    }
  if (!g_file_get_contents (log_path, &result->output, NULL, NULL))
    result->output = g_strdup ("");
  g_unlink (log_path);
  if (err_path != NULL)
    {
      if (!g_file_get_contents (err_path, &result->errors, NULL, NULL))
        result->errors = g_strdup ("");
      g_unlink (err_path);
    }
  return TRUE;
}

gboolean
iop_run (const char *const *argv, const char *stdin_text, int timeout_ms,
         IopResult *result, GError **error)
{
  return run (argv, stdin_text, timeout_ms, FALSE, result, error);
}

gboolean
iop_run_split (const char *const *argv, const char *stdin_text, int timeout_ms,
               IopResult *result, GError **error)
{
  return run (argv, stdin_text, timeout_ms, TRUE, result, error);
}

void
iop_result_clear (IopResult *result)
{
  g_clear_pointer (&result->output, g_free);
  g_clear_pointer (&result->errors, g_free);
}

void
iop_run_program (IopResult *r, const char *program, int timeout_ms, const char *first, ...)
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
  g_assert_true (iop_run_split ((const char *const *) argv->pdata, NULL, timeout_ms, r, &error));
  g_assert_no_error (error);
  g_assert_true (r->exited);
}
