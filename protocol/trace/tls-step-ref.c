/* tls-step-ref.c — finding a step by what it is. */
#include "tls-step-ref.h"

#include <glib/gi18n-lib.h>

char *
tls_step_ref_describe (const TlsStepRef *ref)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "“%s”", ref->title);
  if (ref->kind >= 0)
    g_string_append_printf (s, " (%s)", tls_step_kind_name (ref->kind));
  if (ref->actor >= 0)
    g_string_append_printf (s, _(" by the %s"), tls_actor_name (ref->actor));
  if (ref->connection > 0)
    g_string_append_printf (s, _(" in connection %u"), ref->connection);
  return g_string_free (s, FALSE);
}

static gboolean
matches (const TlsStepRef *ref, const TlsStep *s)
{
  return g_strcmp0 (s->title, ref->title) == 0
         && (ref->actor < 0 || (int) s->actor == ref->actor)
         && (ref->connection == 0 || s->connection + 1 == ref->connection)
         && (ref->kind < 0 || (int) s->kind == ref->kind);
}

int
tls_step_ref_resolve (const TlsStepRef *ref, const TlsTrace *trace, GError **error)
{
  g_autoptr (GString) seen = g_string_new (NULL);
  g_autofree char *what = NULL;
  guint n = tls_trace_len (trace);

  for (guint i = 0; i < n; i++)
    if (matches (ref, tls_trace_get (trace, i)))
      return (int) i;

  /* Not found: say which steps of that title there are. */
  for (guint i = 0; i < n; i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      if (g_strcmp0 (s->title, ref->title) == 0)
        g_string_append_printf (seen, _("%s%s by the %s in connection %u"), seen->len ? "; " : "",
                                tls_step_kind_name (s->kind), tls_actor_name (s->actor),
                                s->connection + 1);
    }
  what = tls_step_ref_describe (ref);
  if (seen->len > 0)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 _("this run has no step %s; steps of that title: %s"), what, seen->str);
  else
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 _("this run has no step %s, nor any step of that title"), what);
  return -1;
}

void
tls_step_ref_clear (TlsStepRef *ref)
{
  g_clear_pointer (&ref->title, g_free);
}

gboolean
tls_step_kind_parse (const char *text, int *kind)
{
  for (int k = TLS_STEP_MESSAGE; k <= TLS_STEP_APPDATA; k++)
    if (g_strcmp0 (text, tls_step_kind_name (k)) == 0)
      {
        *kind = k;
        return TRUE;
      }
  return FALSE;
}
