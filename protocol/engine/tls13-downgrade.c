/* tls13-downgrade.c — TLS 1.3 beside TLS 1.2: the version a ClientHello
 * lists (RFC 8446, 4.2.1; D.2), the client's decision to go on in TLS 1.2
 * when the ServerHello chose it (D.1), and the downgrade sentinels of RFC
 * 8446, 4.1.3, written by our server and checked by our client. */
#include <glib/gi18n-lib.h>
#include "tls13-downgrade.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-server-hello.h"
#include "tls13-extensions.h"

#include <string.h>

/* RFC 8446, 4.1.3: "If negotiating TLS 1.2, TLS 1.3 servers MUST set the
 * last 8 bytes of their Random value to the bytes: 44 4F 57 4E 47 52 44 01
 * If negotiating TLS 1.1 or below, TLS 1.3 servers MUST, and TLS 1.2
 * servers SHOULD, set the last 8 bytes of their ServerHello.Random value to
 * the bytes: 44 4F 57 4E 47 52 44 00" */
const guint8 tls13_downgrade_12[8] = { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01 };
const guint8 tls13_downgrade_11[8] = { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00 };

const guint8 *
tls13_downgrade_sentinel_for (guint16 max, guint16 version)
{
  if (max >= TLS_VERSION_1_3 && version == TLS_VERSION_1_2)
    return tls13_downgrade_12;
  if (max >= TLS_VERSION_1_2 && version < TLS_VERSION_1_2)
    return tls13_downgrade_11;
  return NULL;
}

const guint8 *
tls13_downgrade_sentinel_in (const guint8 *random)
{
  if (memcmp (random + 24, tls13_downgrade_12, 8) == 0)
    return tls13_downgrade_12;
  if (memcmp (random + 24, tls13_downgrade_11, 8) == 0)
    return tls13_downgrade_11;
  return NULL;
}

char *
tls13_downgrade_server_text (guint16 version)
{
  if (version == TLS_VERSION_1_2)
    return g_strdup (_("This server speaks TLS 1.3 but negotiated TLS 1.2, so the last 8 bytes of "
                       "its random are 44 4F 57 4E 47 52 44 01 (\"DOWNGRD\" then 01). A client "
                       "that speaks TLS 1.3 and gets a ServerHello for TLS 1.2 or below must check "
                       "for these bytes and, finding them, abort with illegal_parameter: had the "
                       "ClientHello listed TLS 1.3, this server would have chosen it."));
  return g_strdup_printf (_("This server speaks TLS 1.3 but negotiated %s, so the last 8 bytes of "
                            "its random are 44 4F 57 4E 47 52 44 00 (\"DOWNGRD\" then 00), the "
                            "value for TLS 1.1 or below. A client that speaks TLS 1.3 must check "
                            "for these bytes and, finding them, abort with illegal_parameter."),
                          tls_version_name (version));
}

char *
tls13_downgrade_client_hello_text (const TlsClientHello *ch)
{
  static const guint16 tls12_only[] = {
    TLS_EXT_EC_POINT_FORMATS, TLS_EXT_EXTENDED_MASTER_SECRET, TLS_EXT_ENCRYPT_THEN_MAC,
    TLS_EXT_SESSION_TICKET, TLS_EXT_RENEGOTIATION_INFO,
  };
  g_autoptr (GString) names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tls12_only); i++)
    if (tls_extensions_has (&ch->extensions, tls12_only[i]))
      g_string_append_printf (names, "%s%s", names->len ? ", " : "",
                              tls_extension_name (tls12_only[i]));
  /* TRANSLATORS: %s is a list of extension names */
  return g_strdup_printf (_(" This client speaks TLS 1.2 too: supported_versions lists TLS 1.3 "
                            "then TLS 1.2, and the ClientHello also carries the TLS 1.2 cipher "
                            "suites and extensions only TLS 1.2 uses (%s), so that a server that "
                            "does not speak TLS 1.3 can answer it with a TLS 1.2 ServerHello "
                            "(RFC 8446, D.1)."), names->str);
}

guint16
tls13_listed_version (const TlsClientHello *ch, guint16 max)
{
  g_autoptr (GArray) versions = tls13_extensions_get_supported_versions (&ch->extensions);
  guint16 best = 0;

  /* 4.2.1: servers "MUST only select a version of TLS present in that
   * extension and MUST ignore any unknown versions". */
  for (guint i = 0; versions && i < versions->len; i++)
    {
      guint16 v = g_array_index (versions, guint16, i);
      if (v <= max && v >= TLS_VERSION_1_0 && v > best)
        best = v;
    }
  return best;
}

gboolean
tls13_lists_versions (const TlsClientHello *ch)
{
  g_autoptr (GArray) versions = tls13_extensions_get_supported_versions (&ch->extensions);

  return versions != NULL;
}

gboolean
tls13_offered (TlsEndpoint *ep)
{
  return ep->cfg.max_version >= TLS_VERSION_1_3;
}

gboolean
tls13_decide_legacy_version (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Version"));
  guint16 v = ep->sh.server_version;
  gboolean ok = v < TLS_VERSION_1_3;

  tls_ep_group_under_message (ep, step, "ServerHello");
  for (guint16 o = ep->cfg.max_version; o >= ep->cfg.min_version; o--)
    tls_step_add_option (step, "%s (0x%04x)", tls_version_name (o), o);
  tls_step_add_text_input (step, "ServerHello.legacy_version", tls_version_name (v),
                           ep->server_hello_step, NULL);
  tls_step_add_text_input (step, "ServerHello supported_versions", _("(not sent)"),
                           ep->server_hello_step, NULL);
  if (ok)
    {
      step->choice = g_strdup_printf ("%s (0x%04x)", tls_version_name (v), v);
      step->chosen_option = ep->cfg.max_version - v;
      tls_step_set_reason (step, _("the ServerHello has no supported_versions extension: the "
                                   "server did not choose TLS 1.3 and names %s in its version "
                                   "field; the client offered TLS 1.2 too, so it goes on as a "
                                   "TLS 1.2 client with the ClientHello it sent (the same bytes "
                                   "stay in the transcript)"),
                           tls_version_name (v));
    }
  else
    {
      step->choice = g_strdup (_("none: refuse"));
      tls_step_set_reason (step, _("the ServerHello names %s in its version field without a "
                                   "supported_versions extension: a server that negotiates TLS 1.3 "
                                   "must send that extension"),
                           tls_version_name (v));
    }
  tls_step_explain (step, "RFC 8446, 4.2.1; RFC 8446, D.1",
                    _("A client that speaks TLS 1.3 and TLS 1.2 sends one ClientHello, TLS 1.3's, "
                      "with both versions in supported_versions. A server that negotiates TLS 1.3 "
                      "answers with supported_versions; one that negotiates an earlier version "
                      "sets the version field of its ServerHello and does not send the extension. "
                      "If the client agrees to use that version, the handshake goes on as that "
                      "version's handshake; if not, the client aborts with protocol_version."));
  tls_ep_commit (ep, step);
  if (!ok)
    {
      tls_ep_fail (ep, TLS_ALERT_PROTOCOL_VERSION, "%s", step->reason);
      return FALSE;
    }
  /* The legacy_version the ClientHello carried is the client_version of
   * TLS 1.2 from here on (the version inside an RSA pre-master secret). */
  ep->client_version = ep->ch.client_version;
  return TRUE;
}

gboolean
tls13_check_downgrade (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("Downgrade sentinel"));
  const guint8 *found = tls13_downgrade_sentinel_in (ep->server_random);
  g_autofree char *tail = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) rfc = g_string_new ("RFC 8446, 4.1.3");

  {
    GString *t = g_string_new (NULL);
    for (guint i = 24; i < 32; i++)
      g_string_append_printf (t, i > 24 ? " %02X" : "%02X", ep->server_random[i]);
    tail = g_string_free (t, FALSE);
  }
  if (found)
    tls_trace_group (ep->trace, step, TLS_PARENT_NONE);
  else
    tls_ep_group_under_message (ep, step, "ServerHello");
  step->subject = g_strdup_printf (_("the last 8 bytes of ServerHello.random: %s"), tail);
  step->against = g_strdup (_("44 4F 57 4E 47 52 44 01 and 44 4F 57 4E 47 52 44 00 (\"DOWNGRD\" "
                              "then 01 or 00)"));
  tls_step_add_input (step, "ServerHello.random", ep->server_random, 32, ep->server_hello_step, NULL);
  tls_step_add_input (step, N_("last 8 bytes"), ep->server_random + 24, 8, ep->server_hello_step, NULL);
  step->result = found ? TLS_CHECK_FAILED : TLS_CHECK_PASSED;
  if (found)
    tls_step_set_reason (step, _("the server chose %s but its random ends with %s, the sentinel of "
                                 "a server that speaks TLS 1.3: the server would have chosen "
                                 "TLS 1.3, so something between the two sides took TLS 1.3 out "
                                 "of the ClientHello"),
                         tls_version_name (ep->version), tail);
  else
    tls_step_set_reason (step, _("the server chose %s and its random ends with neither sentinel, "
                                 "as the random of a server that does not speak TLS 1.3"),
                         tls_version_name (ep->version));
  g_string_append_printf (text,
                          _("This client offered TLS 1.3 and the server chose %s. A server that "
                            "speaks TLS 1.3 and negotiates TLS 1.2 ends its random with 44 4F 57 "
                            "4E 47 52 44 01, and with 44 4F 57 4E 47 52 44 00 when it negotiates "
                            "TLS 1.1 or below; a client that speaks TLS 1.3 must check a ServerHello "
                            "for TLS 1.2 or below for both values and, finding one, abort the "
                            "handshake with illegal_parameter. This protection comes on top of "
                            "Finished, and earlier: at the ServerHello."),
                          tls_version_name (ep->version));
  g_string_append_c (text, ' ');
  if (tls_kx_is_ephemeral (ep->suite->kx))
    {
      g_string_append_printf (text,
                              _("An attacker cannot take the sentinel out either: the suite chosen, "
                                "%s, has an ephemeral key exchange, and the ServerKeyExchange that "
                                "follows carries the server's signature over both randoms and its "
                                "parameters, so a changed random would not verify."),
                              ep->suite->name);
      g_string_append (rfc, "; RFC 5246, 7.4.3");
    }
  else
    g_string_append_printf (text,
                            _("The suite chosen, %s, has no ephemeral key exchange: no "
                              "ServerKeyExchange signs the randoms, and RFC 8446 says that with "
                              "static RSA the sentinel gives no downgrade protection."),
                            ep->suite->name);
  tls_step_explain (step, rfc->str, "%s", text->str);
  tls_ep_commit (ep, step);
  if (found)
    {
      tls_ep_fail (ep, TLS_ALERT_ILLEGAL_PARAMETER, "%s", step->reason);
      return FALSE;
    }
  return TRUE;
}
