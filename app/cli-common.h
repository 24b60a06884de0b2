/* cli-common.h — what the subcommands of handshake-lab share: exit codes,
 * option parsing and usage errors, the data directory, suite names, loading
 * certificates and keys, printing traces and results. */
#pragma once

#include <stdio.h>
#include <gio/gio.h>

#include "tls-conductor.h"
#include "tls-config.h"
#include "tls-trace.h"
#include "tls-scenario.h"

G_BEGIN_DECLS

typedef struct _CliExports CliExports;

/* Exit codes of every subcommand. */
enum
{
  CLI_EXIT_OK = 0,        /* the handshake(s) completed */
  CLI_EXIT_FAILED = 1,    /* ended in an alert or a failure */
  CLI_EXIT_USAGE = 2,     /* bad option, name, file or address */
};

/* A subcommand: ARGV[0] is its name. */
typedef int (*CliCommandFunc) (int argc, char **argv);

int   cli_cmd_run     (int argc, char **argv);
int   cli_cmd_connect (int argc, char **argv);
int   cli_cmd_serve   (int argc, char **argv);
int   cli_cmd_verify  (int argc, char **argv);
int   cli_cmd_open    (int argc, char **argv);
int   cli_cmd_compare (int argc, char **argv);

/* A built-in scenario by NAME, or the scenario file at NAME; on failure
 * prints why (as subcommand CMD) and sets *EXIT_CODE (cmd-run.c). */
TlsScenario *cli_find_scenario    (const char *cmd, const char *name, int *exit_code);
/* The capture at PATH with the keys of KEYLOG (may be NULL) loaded; NULL
 * when it cannot be read or holds no TLS, having said why and set
 * *EXIT_CODE.  Its connection NUMBER (from 1) as a trace, or NULL with the
 * list of connections printed (cmd-open.c). */
struct _TlsCapture *cli_open_capture  (const char *cmd, const char *path, const char *keylog,
                                       int *exit_code);
TlsTrace   *cli_capture_trace     (const char *cmd, struct _TlsCapture *cap, int number,
                                   int *exit_code);
int   cli_cmd_lesson  (int argc, char **argv);

/* An option context for subcommand NAME, with PARAMETERS ("HOST:PORT") and
 * a one-line SUMMARY, translated in our domain. */
GOptionContext *cli_option_context_new (const char *name, const char *parameters,
                                        const char *summary, const GOptionEntry *entries);
/* Parses; on error prints it with a hint to --help and returns FALSE. */
gboolean    cli_parse_options     (GOptionContext *ctx, int *argc, char ***argv);
/* Prints "handshake-lab CMD: MESSAGE" to stderr and returns CLI_EXIT_USAGE. */
int         cli_usage_error       (const char *cmd, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* Prints "handshake-lab CMD: MESSAGE" to stderr and returns CLI_EXIT_FAILED. */
int         cli_failure           (const char *cmd, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* The data directory: $HANDSHAKE_LAB_DATADIR, else the source tree's data/
 * when it exists (running from the build tree), else the installed one. */
const char *cli_datadir           (void);
/* A file of the data directory ("pki/ca/root.crt"). */
char       *cli_data_file         (const char *relative);

/* Suite IANA names to an array of guint16, in the order given.  NULL or
 * empty NAMES gives NULL (all suites).  An unknown name fails with a message
 * that lists the valid names. */
gboolean    cli_parse_suites      (char **names, GArray **suites, GError **error);
/* "TLS_RSA_WITH_AES_128_CBC_SHA, ..." */
char       *cli_suite_names       (void);

/* A readable file (not a folder), or an error naming it. */
gboolean    cli_check_file        (const char *path, GError **error);
/* A file we can write: its folder exists and is writable (checked before a
 * run, so a typo is a usage error and not a lost trace). */
gboolean    cli_check_output      (const char *path, GError **error);
/* Certificates of a PEM file, in file order (a chain: leaf first), as a
 * GPtrArray of TlsCertificate*. */
GPtrArray  *cli_load_certificates (const char *path, GError **error);
/* The private key of a PEM file (PKCS#8 or traditional RSA). */
TlsPrivateKey *cli_load_key       (const char *path, GError **error);

/* A certificate chain (leaf first) and its private key, checked to belong
 * together.  Errors name the file. */
gboolean    cli_load_identity     (const char *cert_path, const char *key_path,
                                   GPtrArray **chain, TlsPrivateKey **key, GError **error);
/* "1.0", "1.1", "1.2" or "1.3" (also "TLS1.2", "tls1_2") to a protocol version. */
gboolean    cli_parse_version     (const char *text, guint16 *version, GError **error);
/* The same, or a range "1.2-1.3" (the client offers both, the server
 * accepts both: RFC 8446, D.1, D.2) into *MIN and *MAX. */
gboolean    cli_parse_version_range (const char *text, guint16 *min, guint16 *max,
                                     GError **error);
/* TLS 1.3 options of connect and serve: --groups LIST into CFG->groups;
 * without --version (VERSION_GIVEN), a TLS 1.3 suite in CFG->suites makes
 * CFG speak TLS 1.3 only. */
gboolean    cli_apply_tls13       (TlsConfig *cfg, gboolean version_given, const char *groups,
                                   GError **error);

/* Whether to colour output written to OUT. */
gboolean    cli_use_colour        (FILE *out);
/* Prints TRACE to OUT, annotated (tls-trace-text.h; one line a step when
 * BRIEF), in colour when OUT is a terminal. */
void        cli_print_trace       (FILE *out, const TlsTrace *trace, gboolean brief);
/* The same at the level of detail of EX (--detail; the text's default is
 * full). */
void        cli_print_trace_at    (FILE *out, const TlsTrace *trace, gboolean brief,
                                   const CliExports *ex);
/* One line for handshake NUMBER (1, 2, ...) of connection CONNECTION of
 * TRACE: "#N PEER  " then tls_trace_summary_line (version, suite, new or
 * resumed, result), then EMS or no EMS, and the SNI received (server). */
char       *cli_summary_line      (const TlsTrace *trace, guint connection, TlsConductor *c,
                                   TlsActor ours, guint number);
/* Prints the alert that ended the run and its reason to stderr (nothing when
 * it completed); returns the exit code for the run. */
int         cli_report_result     (const char *cmd, TlsConductor *c);
/* After a completed handshake with a real peer: application data until it
 * holds one of the strings of the NULL-terminated ENDS (e.g. "\n\n" and
 * "\n\r\n", the end of an HTTP request's head whatever its line endings),
 * MAX_LEN bytes came or the peer closed, at most TIMEOUT_MS.  What came
 * (possibly empty), or NULL on error. */
GBytes     *cli_receive_until     (TlsConductor *c, const char *const *ends, gsize max_len,
                                   int timeout_ms, GError **error);
/* Sends close_notify, then reads (and so traces) what the peer still sends
 * until it closes, at most TIMEOUT_MS. */
gboolean    cli_close_connection  (TlsConductor *c, int timeout_ms, GError **error);
/* The exports a command can write from its trace (--trace-json, --pcapng,
 * --keylog, --html), the same for run, connect and serve. */
struct _CliExports
{
  char *json;
  char *pcapng;
  char *keylog;
  char *html;
  char *detail;   /* --detail: "lesson" or "full", or NULL (text full, handout lesson) */
  gboolean pcapng_no_keys; /* --pcapng-no-keys: the pcapng without its secrets */
};

#define CLI_EXPORT_OPTIONS(ex)                                                         \
  { "trace-json", 'j', 0, G_OPTION_ARG_FILENAME, &(ex)->json,                          \
    N_("Also write the trace as JSON to FILE"), N_("FILE") },                          \
  { "pcapng", 0, 0, G_OPTION_ARG_FILENAME, &(ex)->pcapng,                              \
    N_("Also write a pcapng capture that Wireshark decrypts by itself (the keys are "  \
       "inside)"), N_("FILE") },                                                       \
  { "keylog", 0, 0, G_OPTION_ARG_FILENAME, &(ex)->keylog,                              \
    N_("Also write the session keys in the NSS key log format (SSLKEYLOGFILE)"),       \
    N_("FILE") },                                                                      \
  { "html", 0, 0, G_OPTION_ARG_FILENAME, &(ex)->html,                                  \
    N_("Also write a printable HTML handout (at the lesson level unless --detail full)"), \
    N_("FILE") },                                                                      \
  { "pcapng-no-keys", 0, 0, G_OPTION_ARG_NONE, &(ex)->pcapng_no_keys,                 \
    N_("Leave the keys out of the --pcapng capture (what an eavesdropper records)"),   \
    NULL },                                                                            \
  { "detail", 0, 0, G_OPTION_ARG_STRING, &(ex)->detail,                                \
    N_("Level of detail of the printed trace and the handout: lesson (top-level steps, " \
       "each with what is grouped under it) or full (every step); the text's default "  \
       "is full, the handout's lesson"), N_("LEVEL") }

/* --notes FILE (run, open): the teacher's notes on steps, from a text file
 * (docs/notes.md): one note a line, "STEP<TAB>TEXT", STEP the number of the
 * step as the trace shows it ([1] is the first); several lines for one step
 * make one note of several lines; blank lines and lines starting with '#'
 * are skipped. */
#define CLI_NOTES_OPTION(path)                                                         \
  { "notes", 0, 0, G_OPTION_ARG_FILENAME, (path),                                      \
    N_("Add the teacher's notes of FILE to their steps (a line “STEP<Tab>text”, STEP "  \
       "as numbered in the trace), in the printed trace and every export"), N_("FILE") }
/* Sets the notes of PATH on TRACE's steps.  On a malformed line or an
 * unknown step, fails with "PATH:LINE: what is wrong" and changes nothing. */
gboolean    cli_load_notes        (TlsTrace *trace, const char *path, GError **error);

/* Checks that each output can be written (a usage error otherwise). */
gboolean    cli_exports_check     (const CliExports *ex, GError **error);
/* Writes each export asked for; NUMBER > 1 puts "-NUMBER" before each
 * file's extension (serve: one set of files a handshake). */
gboolean    cli_exports_save      (const TlsTrace *trace, const CliExports *ex, guint number,
                                   GError **error);
void        cli_exports_clear     (CliExports *ex);
/* PATH for the NUMBERth handshake: PATH itself for 1, else "name-N.ext". */
char       *cli_numbered_path     (const char *path, guint number);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliExports, cli_exports_clear)

/* Called by cli_run_scenario once the run has ended, before its trace is
 * printed and exported (a lesson places its notes); FALSE stops with ERROR. */
typedef gboolean (*CliTraceHook) (TlsConductor *c, gpointer data, GError **error);
/* What `run` does with a scenario (cmd-run.c): runs SC to its end, adds the
 * notes of the file NOTES (or NULL), calls HOOK (or NULL), prints the trace
 * (one summary line a connection when QUIET), writes the exports of EX and
 * returns the exit code, errors prefixed with CMD. */
int         cli_run_scenario      (const char *cmd, const TlsScenario *sc, gboolean brief,
                                   gboolean quiet, const CliExports *ex, const char *notes,
                                   CliTraceHook hook, gpointer data);

G_END_DECLS
