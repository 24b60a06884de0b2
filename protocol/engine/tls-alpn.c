/* tls-alpn.c — ALPN (RFC 7301) for our TLS 1.2 and 1.3 endpoints
 * (tls-alpn.h). */
#include <glib/gi18n-lib.h>
#include "tls-alpn.h"
#include "tls-flow.h"
#include "tls-extensions.h"

gboolean
tls_ep_both_alpn (TlsEndpoint *ep)
{
  return ep->cfg.alpn != NULL && ep->cfg.alpn[0] != NULL
         && tls_extensions_has (&ep->ch.extensions, TLS_EXT_ALPN);
}

gboolean
tls_ep_decide_alpn (TlsEndpoint *ep)
{
  g_autoptr (GPtrArray) theirs = tls_extensions_get_alpn (&ep->ch.extensions);
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, "Application protocol (ALPN)");
  g_autoptr (GString) offered = g_string_new (NULL);
  g_autofree char *ours = g_strjoinv (", ", ep->cfg.alpn);

  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  for (guint k = 0; theirs && k < theirs->len; k++)
    {
      tls_step_add_option (step, "%s", (const char *) theirs->pdata[k]);
      g_string_append_printf (offered, "%s%s", k ? ", " : "", (const char *) theirs->pdata[k]);
    }
  tls_step_add_text_input (step, "ClientHello application_layer_protocol_negotiation",
                           theirs ? offered->str : _("malformed"), ep->client_hello_step,
                           _("the protocols the client can speak, its preference first"));
  tls_step_add_text_input (step, "this server's protocols", ours, -1, _("its preference first"));
  for (guint i = 0; theirs && ep->cfg.alpn[i] != NULL && ep->alpn == NULL; i++)
    for (guint k = 0; k < theirs->len; k++)
      if (g_strcmp0 (ep->cfg.alpn[i], theirs->pdata[k]) == 0)
        {
          ep->alpn = g_strdup (ep->cfg.alpn[i]);
          step->chosen_option = k;
          break;
        }
  if (ep->alpn != NULL)
    {
      step->choice = g_strdup (ep->alpn);
      if (ep->t13 != NULL)
        tls_step_set_reason (step, _("%s: the first of this server's protocols that the client "
                                     "also offers; EncryptedExtensions names it"), ep->alpn);
      else
        tls_step_set_reason (step, _("%s: the first of this server's protocols that the client "
                                     "also offers; ServerHello names it"), ep->alpn);
    }
  else
    tls_step_set_reason (step, _("the client offers none of this server's protocols (%s)"), ours);
  /* TLS 1.3 moves the answer to EncryptedExtensions (RFC 8446, 4.2: the
   * extension goes in "CH, EE"). */
  tls_step_explain (step, ep->t13 != NULL ? "RFC 7301, 3.2; RFC 8446, 4.2" : "RFC 7301, 3.2",
                    ep->alpn == NULL
                    ? _("RFC 7301: \"In the event that the server supports no protocols that the "
                        "client advertises, then the server SHALL respond with a fatal "
                        "'no_application_protocol' alert.\"")
                    : ep->t13 != NULL
                    ? _("The client lists the application protocols it can speak over this "
                        "connection; the server selects one it supports, in its own order of "
                        "preference, and returns it in EncryptedExtensions, the first message "
                        "under the handshake keys: an observer of the wire does not see it. Both "
                        "then know what the first application data will be before any is sent.")
                    : _("The client lists the application protocols it can speak over this "
                        "connection; the server selects one it supports, in its own order of "
                        "preference, and returns it in its ServerHello. Both then know what the "
                        "first application data will be before any is sent."));
  tls_ep_commit (ep, step);
  if (ep->alpn == NULL)
    {
      tls_ep_fail (ep, TLS_ALERT_NO_APPLICATION_PROTOCOL, "%s", step->reason);
      return FALSE;
    }
  return TRUE;
}

gboolean
tls_ep_alpn_offered (TlsEndpoint *ep, const TlsExtensions *answer)
{
  g_autoptr (GPtrArray) got = tls_extensions_get_alpn (answer);

  if (got == NULL || got->len != 1 || ep->cfg.alpn == NULL)
    return FALSE;
  return g_strv_contains ((const char *const *) ep->cfg.alpn, got->pdata[0]);
}
