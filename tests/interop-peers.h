/* interop-peers.h — start and stop real TLS peers (openssl, gnutls) and our
 * own program for the interop tests, always on 127.0.0.1, every wait bounded.
 *
 * A server peer is started on a free port and waited for until the port is
 * listening (read from /proc/net/tcp, so no probe connection reaches the
 * server).  A client peer runs to its end (or is killed at its deadline) and
 * hands back its exit status and its output.  Every process started here is
 * stopped by iop_server_stop, which is safe to call twice and from a
 * fixture's teardown after a failed assertion. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The default bound of every wait, in milliseconds. */
#define IOP_TIMEOUT_MS 15000

typedef struct
{
  GSubprocess *proc;
  char        *name;       /* argv[0], for messages */
  guint16      port;
  char        *log_path;   /* stdout and stderr of the peer */
} IopServer;

typedef struct
{
  gboolean  exited;        /* FALSE: killed at the deadline */
  int       status;        /* exit status when exited */
  char     *output;        /* stdout (and stderr, unless split) */
  char     *errors;        /* stderr when split, else NULL */
} IopResult;

/* The path of PROGRAM in PATH, or NULL (the test should then skip). */
char     *iop_find_program   (const char *program);
/* Whether PROGRAM is on PATH (nothing to free). */
gboolean  iop_have_program   (const char *program);
/* A port that was free a moment ago (bind 127.0.0.1:0). */
guint16   iop_free_port      (void);
/* Whether something listens on 127.0.0.1:PORT (TCP, /proc/net/tcp). */
gboolean  iop_port_listening (guint16 port);

/* Starts the server in ARGV, where every "@PORT@" is replaced by a free port;
 * waits up to TIMEOUT_MS until the port listens.  Retries with another port
 * when the peer dies at once (port taken). */
gboolean  iop_server_start   (IopServer *server, const char *const *argv,
                              int timeout_ms, GError **error);
/* Stops the server (SIGTERM, then SIGKILL after a second); idempotent. */
void      iop_server_stop    (IopServer *server);
/* Waits up to TIMEOUT_MS for the server to exit by itself; TRUE if it did,
 * with its exit status in *status. */
gboolean  iop_server_wait    (IopServer *server, int timeout_ms, int *status);
/* What the server printed so far. */
char     *iop_server_output  (IopServer *server);

/* Runs ARGV to its end with STDIN_TEXT (NULL: empty) on its standard input
 * and kills it after TIMEOUT_MS. */
gboolean  iop_run            (const char *const *argv, const char *stdin_text,
                              int timeout_ms, IopResult *result, GError **error);
/* The same with stderr apart from stdout (in result->errors). */
gboolean  iop_run_split      (const char *const *argv, const char *stdin_text,
                              int timeout_ms, IopResult *result, GError **error);
void      iop_result_clear   (IopResult *result);
/* Runs PROGRAM with the NULL-terminated arguments FIRST... to its end
 * (stdout and stderr apart, killed after TIMEOUT_MS); asserts it exited. */
void      iop_run_program    (IopResult *result, const char *program, int timeout_ms,
                              const char *first, ...);

G_END_DECLS
