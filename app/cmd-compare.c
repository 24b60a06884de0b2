/* cmd-compare.c — `handshake-lab compare A B`: two runs side by side, their
 * steps aligned by message (tls-trace-align.h), what differs marked, and the
 * first alert of each run with its reason.  A TLS 1.3 run against an earlier
 * one first says what changed between the versions (tls-trace-versus.h),
 * then aligns the ladders message by message.  A and B are each a scenario (a
 * built-in name or a scenario file), a saved trace (.json) or a capture
 * (.pcap, .pcapng); "NAME#N" picks connection N of it. */
#include "config.h"
#include "cli-common.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tls-alert.h"
#include "tls-capture.h"
#include "tls-trace-align.h"
#include "tls-trace-json.h"
#include "tls-trace-text.h"
#include "tls-trace-versus.h"

#define COLUMN 44   /* characters of a side's column */

typedef struct
{
  char     *label;
  TlsTrace *trace;        /* owned, unless it is the conductor's */
  TlsConductor *conductor; /* a scenario's run, or NULL */
  int       connection;   /* from 0, or -1: all */
} Side;

static void
side_clear (Side *s)
{
  g_free (s->label);
  if (s->conductor)
    tls_conductor_free (s->conductor);
  else if (s->trace)
    tls_trace_free (s->trace);
}

static gboolean
is_capture (const char *path)
{
  return g_str_has_suffix (path, ".pcap") || g_str_has_suffix (path, ".pcapng")
         || g_str_has_suffix (path, ".cap");
}

/* "resumption#2" -> "resumption", 2; "x.pcap" -> "x.pcap", 0.  A name that
 * is a file as it stands keeps its '#'. */
static char *
split_connection (const char *arg, int *number)
{
  const char *hash = strrchr (arg, '#');
  guint64 n;

  *number = 0;
  if (hash == NULL || g_file_test (arg, G_FILE_TEST_EXISTS)
      || !g_ascii_string_to_unsigned (hash + 1, 10, 1, G_MAXINT, &n, NULL))
    return g_strdup (arg);
  *number = (int) n;
  return g_strndup (arg, hash - arg);
}

/* Loads ARG into SIDE: a capture's connection (NUMBER, default the first),
 * a saved trace, or a scenario run to its end.  On failure it has said
 * why and sets *CODE. */
static gboolean
load_side (Side *side, const char *arg, int default_number, const char *keylog,
           guint64 seed, gboolean seeded, int *code)
{
  g_autoptr (GError) error = NULL;
  int number;
  g_autofree char *what = split_connection (arg, &number);

  if (number == 0)
    number = default_number;
  side->label = g_strdup (arg);
  side->connection = number > 0 ? number - 1 : -1;
  if (is_capture (what))
    {
      g_autoptr (TlsCapture) cap = NULL;

      if (!cli_check_file (what, &error))
        {
          *code = cli_usage_error ("compare", "%s", error->message);
          return FALSE;
        }
      cap = cli_open_capture ("compare", what, keylog, code);
      if (cap == NULL)
        return FALSE;
      side->trace = cli_capture_trace ("compare", cap, number > 0 ? number : 1, code);
      side->connection = -1;   /* the trace is that connection alone */
      return side->trace != NULL;
    }
  if (g_str_has_suffix (what, ".json"))
    {
      if (!cli_check_file (what, &error)
          || (side->trace = tls_trace_load_json (what, &error)) == NULL)
        {
          *code = cli_usage_error ("compare", "%s", error->message);
          return FALSE;
        }
    }
  else
    {
      g_autoptr (TlsScenario) sc = cli_find_scenario ("compare", what, code);
      TlsConductor *c;

      if (sc == NULL)
        return FALSE;
      if (seeded)
        sc->seed = seed;
      c = tls_conductor_new (sc, cli_datadir (), &error);
      if (c == NULL)
        {
          *code = cli_failure ("compare", _("cannot start the scenario: %s"), error->message);
          return FALSE;
        }
      tls_conductor_run (c);
      side->conductor = c;
      side->trace = tls_conductor_get_trace (c);
    }
  if (side->connection >= 0)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < tls_trace_len (side->trace) && !found; i++)
        found = tls_trace_get (side->trace, i)->connection == (guint) side->connection;
      if (!found)
        {
          *code = cli_usage_error ("compare", _("“%s” has no connection %d"), what, number);
          return FALSE;
        }
    }
  return TRUE;
}

/* TEXT cut or padded to WIDTH characters. */
static void
append_cell (GString *out, const char *text, guint width)
{
  glong n = g_utf8_strlen (text, -1);

  if ((guint) n > width)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, width - 1);
      g_string_append (out, cut);
      g_string_append (out, "…");
      return;
    }
  g_string_append (out, text);
  for (glong i = n; i < (glong) width; i++)
    g_string_append_c (out, ' ');
}

/* "[5] server → client ServerHello"; with FLIGHT (from 1) "F2 [5] ...". */
static char *
step_cell (const TlsTrace *trace, int index, guint flight)
{
  const TlsStep *s;
  g_autofree char *f = flight > 0 ? g_strdup_printf ("F%u ", flight) : g_strdup ("");

  if (index < 0)
    return g_strdup ("");
  s = tls_trace_get (trace, (guint) index);
  if (s->kind == TLS_STEP_MESSAGE || s->kind == TLS_STEP_ALERT || s->kind == TLS_STEP_APPDATA)
    return g_strdup_printf ("%s[%d] %s %s %s", f, index + 1, tls_actor_name (s->actor),
                            s->actor == TLS_ACTOR_CLIENT ? "→ server" : "→ client", s->title);
  return g_strdup_printf ("%s[%d] %s: %s", f, index + 1, tls_actor_name (s->actor), s->title);
}

/* The two versions side by side: each difference measured on the runs,
 * "TLS 1.2: X | TLS 1.3: Y — why (RFC 8446 §N)". */
static void
print_versus (GString *out, const TlsVersus *v)
{
  /* Translators: "── TLS 1.2 (left) against TLS 1.3 (right), measured on the two runs ──" */
  g_string_append_printf (out, _("── %s (left) against %s (right), measured on the two runs ──\n"),
                          v->left_version, v->right_version);
  for (guint i = 0; i < v->lines->len; i++)
    {
      const TlsVersusLine *l = g_ptr_array_index (v->lines, i);
      g_autofree char *rfc = tls_rfc_display (l->rfc);

      g_string_append_printf (out, "• %s\n  %s: %s | %s: %s — %s (%s)\n", l->what,
                              v->left_version, l->left, v->right_version, l->right, l->why, rfc);
    }
  g_string_append_printf (out, "%s\n",
                          _("── the ladders, aligned by sender and message (F1, F2, …: the flights, "
                            "each the messages one side sends before the other answers) ──"));
}

static const char *
row_mark (const TlsAlignRow *r)
{
  switch (r->kind)
    {
    case TLS_ALIGN_LEFT_ONLY:  return "<";
    case TLS_ALIGN_RIGHT_ONLY: return ">";
    case TLS_ALIGN_BOTH:
    default:                   return r->diffs->len > 0 ? "≠" : "=";
    }
}

/* "      ! left's first alert: server fatal decrypt_error (51): reason" */
static void
print_alert (GString *out, const char *side, const TlsStep *s)
{
  g_string_append_printf (out, "      ! %s: %s %s %s (%u)%s%s\n", side, tls_actor_name (s->actor),
                          s->alert_level == TLS_ALERT_LEVEL_FATAL ? "fatal" : "warning",
                          tls_alert_name (s->alert_description), s->alert_description,
                          s->reason ? ": " : "", s->reason ? s->reason : "");
}

static char *
compare_text (const Side *a, const Side *b, const TlsAlignment *al, const TlsVersus *v,
              TlsDetail detail)
{
  GString *out = g_string_new (NULL);
  guint last_conn = G_MAXUINT;

  g_string_append_printf (out, "# %s: %s\n", _("left"), a->label);
  g_string_append_printf (out, "# %s: %s\n", _("right"), b->label);
  g_string_append_printf (out, _("# %u rows: %u the same, %u differing, %u left only, %u right only\n"),
                          al->rows->len, al->n_same, al->n_differ, al->n_left_only, al->n_right_only);
  if (v)
    print_versus (out, v);
  for (guint i = 0; i < al->rows->len; i++)
    {
      const TlsAlignRow *r = tls_alignment_row (al, i);
      const TlsStep *sa = r->left >= 0 ? tls_trace_get (a->trace, (guint) r->left) : NULL;
      const TlsStep *sb = r->right >= 0 ? tls_trace_get (b->trace, (guint) r->right) : NULL;
      const TlsStep *any = sa ? sa : sb;
      g_autofree char *ca = step_cell (a->trace, r->left, v ? tls_versus_flight (v, FALSE, r->left) : 0);
      g_autofree char *cb = step_cell (b->trace, r->right, v ? tls_versus_flight (v, TRUE, r->right) : 0);
      const char *note_rfc = NULL;
      const char *note = v ? tls_versus_row_note (v, a->trace, b->trace, r, &note_rfc) : NULL;

      if ((a->connection < 0 || b->connection < 0) && any->connection != last_conn)
        {
          last_conn = any->connection;
          g_string_append_printf (out, _("── connection %u ──\n"), last_conn + 1);
        }
      if ((int) i == al->first_divergence)
        g_string_append_printf (out, "%s\n", _("── first divergence ──"));
      g_string_append (out, "  ");
      append_cell (out, ca, COLUMN);
      g_string_append_printf (out, " %s ", row_mark (r));
      g_string_append (out, cb);
      g_string_append_c (out, '\n');
      if (note)
        {
          g_autofree char *rfc = tls_rfc_display (note_rfc);
          g_string_append_printf (out, "      %s %s (%s)\n", _("why:"), note, rfc);
        }
      if (r->kind == TLS_ALIGN_BOTH && r->diffs->len > 0)
        {
          if (detail == TLS_DETAIL_LESSON)
            {
              g_autofree char *sum = tls_step_diff_summary (r->diffs, 6);
              g_string_append_printf (out, "      %s %s\n", _("differs:"), sum);
            }
          else
            for (guint k = 0; k < r->diffs->len; k++)
              {
                const TlsStepDiff *d = g_ptr_array_index (r->diffs, k);
                g_string_append_printf (out, "      ≠ %s: %s | %s\n", d->what,
                                        d->left ? d->left : _("(none)"),
                                        d->right ? d->right : _("(none)"));
              }
        }
      if ((int) i == al->first_alert_left)
        print_alert (out, _("left's first alert"), sa);
      if ((int) i == al->first_alert_right)
        print_alert (out, _("right's first alert"), sb);
    }
  if (al->first_divergence < 0)
    g_string_append_printf (out, "%s\n", _("# the two runs are the same"));
  return g_string_free (out, FALSE);
}

/* The fatal alert that ended SIDE's compared connection(s), or NULL. */
static const TlsStep *
fatal_alert (const Side *side)
{
  for (guint i = 0; i < tls_trace_len (side->trace); i++)
    {
      const TlsStep *s = tls_trace_get (side->trace, i);
      if (s->kind == TLS_STEP_ALERT && s->alert_level == TLS_ALERT_LEVEL_FATAL
          && (side->connection < 0 || s->connection == (guint) side->connection))
        return s;
    }
  return NULL;
}

int
cli_cmd_compare (int argc, char **argv)
{
  g_autofree char *keylog = NULL;
  g_autofree char *detail_text = NULL;
  g_autofree char *seed_text = NULL;
  int number = 0;
  const GOptionEntry entries[] = {
    { "detail", 0, 0, G_OPTION_ARG_STRING, &detail_text,
      N_("lesson (top-level steps, what differs in one line) or full (every step, each "
         "difference with both values; the default)"), N_("LEVEL") },
    { "keylog", 'k', 0, G_OPTION_ARG_FILENAME, &keylog,
      N_("For a capture: read the session keys from an NSS key log"), N_("FILE") },
    { "connection", 'c', 0, G_OPTION_ARG_INT, &number,
      N_("Compare connection N of each run or capture (from 1; NAME#N picks one side's); "
         "default: every connection of a run, the first of a capture"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Seed of the random generator of both scenarios"), N_("N") },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (TlsAlignment) al = NULL;
  g_autoptr (TlsVersus) versus = NULL;
  g_autofree char *text = NULL;
  TlsDetail detail = TLS_DETAIL_FULL;
  Side a = { 0 }, b = { 0 };
  guint64 seed = 0;
  int code = CLI_EXIT_USAGE;
  const TlsStep *fa, *fb;

  ctx = cli_option_context_new ("compare", _("A B"),
                                _("Compare two runs side by side, aligned by message: A and B "
                                  "are each a scenario (name or file), a saved trace (.json) or "
                                  "a capture (.pcap, .pcapng); NAME#N takes its connection N. "
                                  "A TLS 1.3 run against an earlier one starts with what changed, "
                                  "measured on the two runs, each difference with its RFC 8446 "
                                  "section."),
                                entries);
  if (!cli_parse_options (ctx, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc < 3)
    return cli_usage_error ("compare", _("compare what? Give two runs: A B"));
  if (argc > 3)
    return cli_usage_error ("compare", _("unexpected argument “%s”"), argv[3]);
  if (detail_text != NULL && !tls_detail_parse (detail_text, &detail))
    return cli_usage_error ("compare", _("--detail: “%s” is neither lesson nor full"), detail_text);
  if (number < 0)
    return cli_usage_error ("compare", _("--connection: connections are numbered from 1"));
  if (keylog != NULL)
    {
      g_autoptr (GError) error = NULL;
      if (!cli_check_file (keylog, &error))
        return cli_usage_error ("compare", "%s", error->message);
    }
  if (seed_text != NULL
      && !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &seed, NULL))
    return cli_usage_error ("compare", _("--seed: “%s” is not a number"), seed_text);

  if (!load_side (&a, argv[1], number, keylog, seed, seed_text != NULL, &code)
      || !load_side (&b, argv[2], number, keylog, seed, seed_text != NULL, &code))
    {
      side_clear (&a);
      side_clear (&b);
      return code;
    }
  /* two versions: what changed, and the ladders aligned message by message */
  versus = tls_versus_new (a.trace, a.connection, b.trace, b.connection);
  al = versus ? tls_trace_align_ladders (a.trace, a.connection, b.trace, b.connection)
              : tls_trace_align (a.trace, a.connection, b.trace, b.connection, detail);
  text = compare_text (&a, &b, al, versus, detail);
  fputs (text, stdout);
  fflush (stdout);

  code = CLI_EXIT_OK;
  fa = fatal_alert (&a);
  fb = fatal_alert (&b);
  if (fa)
    code = cli_failure ("compare", _("left (%s): handshake failed with alert %s (%d): %s"), a.label,
                        tls_alert_name (fa->alert_description), fa->alert_description,
                        fa->reason ? fa->reason : _("no reason given"));
  if (fb)
    code = cli_failure ("compare", _("right (%s): handshake failed with alert %s (%d): %s"), b.label,
                        tls_alert_name (fb->alert_description), fb->alert_description,
                        fb->reason ? fb->reason : _("no reason given"));
  side_clear (&a);
  side_clear (&b);
  return code;
}
