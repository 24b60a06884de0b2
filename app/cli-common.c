/* cli-common.c — option parsing, data files, suites, keys and printing
 * shared by the subcommands of handshake-lab. */
#define _GNU_SOURCE   /* memmem */
#include "config.h"
#include "cli-common.h"
#include "tls-serve.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "tls-alert.h"
#include "tls-keys.h"
#include "tls-trace-json.h"
#include "tls-trace-pcapng.h"
#include "tls-trace-html.h"
#include "tls-trace-text.h"
#include "tls-x509.h"
#include "tls-suites.h"
#include "tls-types.h"

/* ------------------------------------------------------------------ */
/* Options and errors                                                  */

GOptionContext *
cli_option_context_new (const char *name, const char *parameters, const char *summary,
                        const GOptionEntry *entries)
{
  g_autofree char *params = g_strdup_printf ("%s%s%s", name,
                                             parameters ? " " : "",
                                             parameters ? parameters : "");
  GOptionContext *ctx = g_option_context_new (params);

  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  return ctx;
}

gboolean
cli_parse_options (GOptionContext *ctx, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  const char *cmd = (*argc > 0) ? (*argv)[0] : "handshake-lab";

  if (g_option_context_parse (ctx, argc, argv, &error))
    return TRUE;
  cli_usage_error (cmd, "%s", error->message);
  return FALSE;
}

static void
print_prefixed (const char *cmd, const char *format, va_list ap)
{
  g_autofree char *msg = g_strdup_vprintf (format, ap);

  if (cmd != NULL)
    g_printerr ("handshake-lab %s: %s\n", cmd, msg);
  else
    g_printerr ("handshake-lab: %s\n", msg);
}

int
cli_usage_error (const char *cmd, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  print_prefixed (cmd, format, ap);
  va_end (ap);
  if (cmd != NULL)
    g_printerr (_("Try “handshake-lab %s --help”.\n"), cmd);
  else
    g_printerr (_("Try “handshake-lab --help”.\n"));
  return CLI_EXIT_USAGE;
}

int
cli_failure (const char *cmd, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  print_prefixed (cmd, format, ap);
  va_end (ap);
  return CLI_EXIT_FAILED;
}

/* ------------------------------------------------------------------ */
/* Data files                                                          */

const char *
cli_datadir (void)
{
  static gsize dir = 0;

  if (g_once_init_enter (&dir))
    {
      const char *env = g_getenv ("HANDSHAKE_LAB_DATADIR");
      char *d;

      if (env != NULL && *env != '\0')
        d = g_strdup (env);
      else if (g_file_test (SOURCE_DATADIR "/pki", G_FILE_TEST_IS_DIR))
        d = g_strdup (SOURCE_DATADIR);
      else
        d = g_strdup (PKGDATADIR);
      g_once_init_leave (&dir, (gsize) d);
    }
  return (const char *) dir;
}

char *
cli_data_file (const char *relative)
{
  return g_build_filename (cli_datadir (), relative, NULL);
}

static void
free_note (gpointer note)
{
  if (note != NULL)
    g_string_free (note, TRUE);
}

gboolean
cli_load_notes (TlsTrace *trace, const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) notes = NULL;  /* of GString*, one a step, or NULL */
  guint n = tls_trace_len (trace);

  if (!cli_check_file (path, error) || !g_file_get_contents (path, &data, &len, error))
    return FALSE;
  if (memchr (data, '\0', len) != NULL || !g_utf8_validate (data, len, NULL))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s: not a text file in UTF-8"), path);
      return FALSE;
    }
  notes = g_ptr_array_new_with_free_func (free_note);
  g_ptr_array_set_size (notes, n);
  lines = g_strsplit (data, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      char *line = lines[l];
      gsize ll = strlen (line);
      const char *tab;
      g_autofree char *number = NULL;
      guint64 step;
      GString *note;

      if (ll > 0 && line[ll - 1] == '\r')
        line[--ll] = '\0';
      {
        const char *p = line;
        while (*p == ' ' || *p == '\t')
          p++;
        if (*p == '\0' || *p == '#')
          continue;
      }
      tab = strchr (line, '\t');
      if (tab == NULL)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _("%s:%u: expected “STEP<Tab>note”, found no tab"), path, l + 1);
          return FALSE;
        }
      number = g_strstrip (g_strndup (line, tab - line));
      if (!g_ascii_string_to_unsigned (number, 10, 1, G_MAXUINT, &step, NULL))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _("%s:%u: “%s” is not a step number (steps are numbered from 1)"),
                       path, l + 1, number);
          return FALSE;
        }
      if (step > n)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _("%s:%u: there is no step %s: this trace has steps 1 to %u"),
                       path, l + 1, number, n);
          return FALSE;
        }
      note = g_ptr_array_index (notes, step - 1);
      if (note == NULL)
        notes->pdata[step - 1] = note = g_string_new (NULL);
      else
        g_string_append_c (note, '\n');
      g_string_append (note, tab + 1);
    }
  for (guint i = 0; i < n; i++)
    {
      GString *note = g_ptr_array_index (notes, i);
      if (note != NULL)
        tls_step_set_teacher_note (tls_trace_get (trace, i), note->str);
    }
  return TRUE;
}

gboolean
cli_check_file (const char *path, GError **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int err = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   _("cannot read “%s”: %s"), path, g_strerror (err));
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("cannot read “%s”: it is a folder"), path);
      return FALSE;
    }
  if (g_access (path, R_OK) != 0)
    {
      int err = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   _("cannot read “%s”: %s"), path, g_strerror (err));
      return FALSE;
    }
  return TRUE;
}

gboolean
cli_check_output (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("cannot write “%s”: it is a folder"), path);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) || g_access (dir, W_OK) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("cannot write “%s”: no writable folder “%s”"), path, dir);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Suites                                                              */

char *
cli_suite_names (void)
{
  g_autoptr (GString) s = g_string_new (NULL);
  guint n = 0;
  const TlsSuite **all = tls_suite_all (&n);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", s->len ? ", " : "", all[i]->name);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
cli_parse_suites (char **names, GArray **suites, GError **error)
{
  g_autoptr (GArray) a = NULL;

  *suites = NULL;
  if (names == NULL || names[0] == NULL)
    return TRUE;
  a = g_array_new (FALSE, FALSE, sizeof (guint16));
  for (guint i = 0; names[i] != NULL; i++)
    {
      /* --suite A,B is the same as --suite A --suite B. */
      g_auto (GStrv) parts = g_strsplit (names[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          const char *name = g_strstrip (parts[j]);
          const TlsSuite *s;

          if (*name == '\0')
            continue;
          s = tls_suite_by_name (name);
          if (s == NULL)
            {
              g_autofree char *valid = cli_suite_names ();
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("unknown cipher suite “%s”; the suites are: %s"), name, valid);
              return FALSE;
            }
          g_array_append_val (a, s->id);
        }
    }
  *suites = g_steal_pointer (&a);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Certificates and keys (helper x509's API)                           */

GPtrArray *
cli_load_certificates (const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;
  GPtrArray *certs;

  if (!cli_check_file (path, error))
    return NULL;
  certs = tls_certificate_list_from_file (path, &local);
  if (certs == NULL)
    g_set_error (error, local->domain, local->code, "“%s”: %s", path, local->message);
  return certs;
}

TlsPrivateKey *
cli_load_key (const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;
  TlsPrivateKey *key;

  if (!cli_check_file (path, error))
    return NULL;
  key = tls_private_key_load_file (path, &local);
  if (key == NULL)
    g_set_error (error, local->domain, local->code, "“%s”: %s", path, local->message);
  return key;
}

gboolean
cli_load_identity (const char *cert_path, const char *key_path, GPtrArray **chain,
                   TlsPrivateKey **key, GError **error)
{
  g_autoptr (GPtrArray) certs = NULL;
  g_autoptr (TlsPrivateKey) k = NULL;
  g_autoptr (GError) local = NULL;

  if ((certs = cli_load_certificates (cert_path, error)) == NULL
      || (k = cli_load_key (key_path, error)) == NULL)
    return FALSE;
  if (!tls_private_key_matches_certificate (k, g_ptr_array_index (certs, 0), &local))
    {
      g_set_error (error, local->domain, local->code, _("“%s” is not the key of “%s”: %s"),
                   key_path, cert_path, local->message);
      return FALSE;
    }
  *chain = g_steal_pointer (&certs);
  *key = g_steal_pointer (&k);
  return TRUE;
}

gboolean
cli_parse_version_range (const char *text, guint16 *min, guint16 *max, GError **error)
{
  const char *dash = strchr (text, '-');
  g_autofree char *low = dash ? g_strndup (text, dash - text) : g_strdup (text);

  if (!cli_parse_version (low, min, error) || !cli_parse_version (dash ? dash + 1 : text, max, error))
    return FALSE;
  if (*min > *max)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("the version range “%s” goes down; write the lower version first"), text);
      return FALSE;
    }
  return TRUE;
}

gboolean
cli_parse_version (const char *text, guint16 *version, GError **error)
{
  g_autofree char *t = g_ascii_strdown (text, -1);
  const char *v = t;

  if (g_str_has_prefix (v, "tls"))
    v += 3;
  v += strspn (v, " v");
  if (g_str_equal (v, "1.0") || g_str_equal (v, "1_0") || g_str_equal (v, "1"))
    *version = TLS_VERSION_1_0;
  else if (g_str_equal (v, "1.1") || g_str_equal (v, "1_1"))
    *version = TLS_VERSION_1_1;
  else if (g_str_equal (v, "1.2") || g_str_equal (v, "1_2"))
    *version = TLS_VERSION_1_2;
  else if (g_str_equal (v, "1.3") || g_str_equal (v, "1_3"))
    *version = TLS_VERSION_1_3;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("unknown version “%s”; the versions are 1.0, 1.1, 1.2 and 1.3"), text);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */

gboolean
cli_use_colour (FILE *out)
{
  const char *no_colour = g_getenv ("NO_COLOR");

  if (no_colour != NULL && *no_colour != '\0')
    return FALSE;
  return isatty (fileno (out));
}

void
cli_print_trace (FILE *out, const TlsTrace *trace, gboolean brief)
{
  TlsTextFlags flags = (cli_use_colour (out) ? TLS_TEXT_COLOR : 0)
                       | (brief ? TLS_TEXT_BRIEF : 0);
  g_autofree char *text = tls_trace_to_text (trace, flags);

  fputs (text, out);
  if (*text != '\0' && !g_str_has_suffix (text, "\n"))
    fputc ('\n', out);
  fflush (out);
}

void
cli_print_trace_at (FILE *out, const TlsTrace *trace, gboolean brief, const CliExports *ex)
{
  TlsDetail detail = TLS_DETAIL_FULL;
  TlsTextFlags flags = (cli_use_colour (out) ? TLS_TEXT_COLOR : 0)
                       | (brief ? TLS_TEXT_BRIEF : 0);
  g_autofree char *text = NULL;

  if (ex != NULL && ex->detail != NULL)
    tls_detail_parse (ex->detail, &detail);
  if (detail == TLS_DETAIL_LESSON)
    flags |= TLS_TEXT_LESSON;
  text = tls_trace_to_text (trace, flags);
  fputs (text, out);
  if (*text != '\0' && !g_str_has_suffix (text, "\n"))
    fputc ('\n', out);
  fflush (out);
}

char *
cli_summary_line (const TlsTrace *trace, guint connection, TlsConductor *c, TlsActor ours,
                  guint number)
{
  TlsConnectionInfo info;
  gboolean have = tls_conductor_connection_info (c, ours, &info);
  g_autoptr (GString) s = g_string_new (NULL);
  g_autofree char *key = g_strdup_printf ("conn%u.result", connection);
  g_autofree char *line = tls_trace_summary_line (trace, connection);
  const char *peer = tls_trace_get_meta (trace, "peer");

  g_string_append_printf (s, "#%u ", number);
  if (peer != NULL)
    g_string_append_printf (s, "%s  ", peer);
  g_string_append (s, line);
  /* The extended master secret (RFC 7627) is a TLS 1.0-1.2 extension:
   * TLS 1.3's key schedule hashes the transcript anyway (RFC 8446, 7.1). */
  if (have && info.version != 0 && info.version < TLS_VERSION_1_3)
    g_string_append (s, info.ems ? "  EMS" : "  no EMS");
  if (have && ours == TLS_ACTOR_SERVER && info.server_name != NULL)
    g_string_append_printf (s, "  SNI=%s", info.server_name);
  /* A failure the endpoint did not record (a time-out, a reset). */
  if (tls_conductor_state (c) != TLS_RUN_COMPLETED && tls_trace_get_meta (trace, key) == NULL)
    g_string_append_printf (s, "  failed: %s", tls_conductor_reason (c) ? tls_conductor_reason (c)
                                                                        : _("did not finish"));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

int
cli_report_result (const char *cmd, TlsConductor *c)
{
  int alert;
  const char *reason;

  switch (tls_conductor_state (c))
    {
    case TLS_RUN_COMPLETED:
      return CLI_EXIT_OK;
    case TLS_RUN_RUNNING:
      return cli_failure (cmd, _("the handshake did not finish"));
    case TLS_RUN_FAILED:
    default:
      break;
    }
  alert = tls_conductor_alert (c);
  reason = tls_conductor_reason (c);
  if (alert != 0)
    return cli_failure (cmd, _("handshake failed with alert %s (%d): %s"),
                        tls_alert_name (alert), alert, reason ? reason : _("no reason given"));
  return cli_failure (cmd, _("handshake failed: %s"), reason ? reason : _("no reason given"));
}

/* ------------------------------------------------------------------ */
/* After the handshake                                                 */

GBytes *
cli_receive_until (TlsConductor *c, const char *const *ends, gsize max_len, int timeout_ms,
                   GError **error)
{
  return tls_serve_receive_until (c, ends, max_len, timeout_ms, error);
}

gboolean
cli_close_connection (TlsConductor *c, int timeout_ms, GError **error)
{
  return tls_serve_close (c, timeout_ms, error);
}

char *
cli_numbered_path (const char *path, guint number)
{
  const char *dot, *slash;

  if (number <= 1)
    return g_strdup (path);
  dot = strrchr (path, '.');
  slash = strrchr (path, '/');
  if (dot == NULL || (slash != NULL && dot < slash) || dot == path || dot[-1] == '/')
    return g_strdup_printf ("%s-%u", path, number);
  return g_strdup_printf ("%.*s-%u%s", (int) (dot - path), path, number, dot);
}

gboolean
cli_exports_check (const CliExports *ex, GError **error)
{
  const char *paths[] = { ex->json, ex->pcapng, ex->keylog, ex->html };
  TlsDetail detail;

  if (ex->detail != NULL && !tls_detail_parse (ex->detail, &detail))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--detail: “%s” is not a level; the levels are lesson and full"), ex->detail);
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    if (paths[i] != NULL && !cli_check_output (paths[i], error))
      return FALSE;
  return TRUE;
}

gboolean
cli_exports_save (const TlsTrace *trace, const CliExports *ex, guint number, GError **error)
{
  typedef gboolean (*SaveFunc) (const TlsTrace *, const char *, GError **);
  const struct { const char *path; SaveFunc save; const char *what; } out[] = {
    { ex->json, tls_trace_save_json, N_("the trace") },
    { ex->pcapng, tls_trace_save_pcapng, N_("the capture") },
    { ex->keylog, tls_trace_save_keylog, N_("the key log") },
    { ex->html, NULL, N_("the handout") },
  };
  TlsDetail detail = TLS_DETAIL_LESSON;   /* the handout's default */

  if (ex->detail != NULL)
    tls_detail_parse (ex->detail, &detail);
  for (gsize i = 0; i < G_N_ELEMENTS (out); i++)
    {
      g_autofree char *path = NULL;
      g_autoptr (GError) local = NULL;
      gboolean ok;

      if (out[i].path == NULL)
        continue;
      path = cli_numbered_path (out[i].path, number);
      if (out[i].save == tls_trace_save_pcapng && ex->pcapng_no_keys)
        ok = tls_trace_save_pcapng_full (trace, path, FALSE, &local);
      else
        ok = out[i].save ? out[i].save (trace, path, &local)
                         : tls_trace_save_html_at (trace, detail, path, &local);
      if (!ok)
        {
          g_set_error (error, local->domain, local->code, _("cannot write %s to “%s”: %s"),
                       _(out[i].what), path, local->message);
          return FALSE;
        }
    }
  return TRUE;
}

void
cli_exports_clear (CliExports *ex)
{
  g_clear_pointer (&ex->json, g_free);
  g_clear_pointer (&ex->pcapng, g_free);
  g_clear_pointer (&ex->keylog, g_free);
  g_clear_pointer (&ex->html, g_free);
  g_clear_pointer (&ex->detail, g_free);
}

gboolean
cli_apply_tls13 (TlsConfig *cfg, gboolean version_given, const char *groups, GError **error)
{
  if (groups != NULL && !tls_config_parse_groups (groups, &cfg->groups, error))
    return FALSE;
  for (guint i = 0; !version_given && cfg->suites != NULL && i < cfg->suites->len; i++)
    if (tls_suite_is_tls13 (tls_suite_by_id (g_array_index (cfg->suites, guint16, i))))
      cfg->min_version = cfg->max_version = TLS_VERSION_1_3;
  return TRUE;
}
