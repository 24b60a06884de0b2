/* tls13-hrr.c — the HelloRetryRequest (RFC 8446, 4.1.4; 2.1, Figure 2) in
 * both roles.  The server sends one when the ClientHello has no key share
 * in a group it accepts but supported_groups lists one; the client checks
 * it (4.1.4, 4.2.8) and sends its second ClientHello (4.1.2).  On both
 * sides ClientHello1 then leaves the transcript for message_hash (4.4.1).
 * The rows are in the flows of tls13-client.c and tls13-server.c. */
#include <glib/gi18n-lib.h>
#include "tls13-hrr.h"
#include "tls13-psk.h"
#include "tls-handshake.h"
#include "tls-extensions.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-server-hello.h"
#include "tls13-extensions.h"

#include <string.h>

/* padding (RFC 7685), which a second ClientHello may add, drop or resize
 * (RFC 8446, 4.1.2) */
#define EXT_PADDING 21

gboolean
tls13_hrr_happened (TlsEndpoint *ep)
{
  return ep->t13->hrr;
}

gboolean
tls13_hrr_compat (TlsEndpoint *ep)
{
  return ep->t13->hrr && ep->t13->compat;
}

/* The group names of LIST (of guint16; NULL or empty: "none"). */
static char *
group_list (const guint16 *list, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", tls13_named_group_name (list[i]));
  if (n == 0)
    g_string_append (s, _("none"));
  return g_string_free (s, FALSE);
}

static gboolean
in_list (GArray *list, guint16 v)
{
  for (guint i = 0; list && i < list->len; i++)
    if (g_array_index (list, guint16, i) == v)
      return TRUE;
  return FALSE;
}

static gboolean
has_share (GArray *shares, guint16 group)
{
  for (guint i = 0; shares && i < shares->len; i++)
    if (g_array_index (shares, Tls13KeyShareEntry, i).group == group)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Server                                                              */

guint16
tls13_hrr_decide (TlsEndpoint *ep, TlsStep *step)
{
  g_autoptr (GArray) groups = tls_extensions_get_supported_groups (&ep->ch.extensions);
  g_autoptr (GArray) shares = tls13_extensions_get_key_shares (&ep->ch.extensions);
  g_autoptr (GArray) shared = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_autofree char *sent = NULL, *accepted = NULL;
  guint n;
  const guint16 *ours = tls13_our_groups (ep, &n);
  guint16 retry = 0;

  for (guint k = 0; retry == 0 && k < n; k++)
    if (in_list (groups, ours[k]))
      retry = ours[k];
  if (retry == 0 || ep->t13->hrr)
    return 0;
  for (guint i = 0; shares && i < shares->len; i++)
    g_array_append_val (shared, g_array_index (shares, Tls13KeyShareEntry, i).group);
  sent = group_list ((const guint16 *) shared->data, shared->len);
  accepted = group_list (ours, n);
  step->choice = g_strdup_printf (_("HelloRetryRequest for %s"), tls13_named_group_name (retry));
  tls_step_set_reason (step, _("the client sent key shares for %s; this server accepts %s; the "
                               "client's supported_groups lists %s, so the server asks for a "
                               "second ClientHello with a share for it"),
                       sent, accepted, tls13_named_group_name (retry));
  tls_step_explain (step, "RFC 8446, 4.1.1; RFC 8446, 4.2.8",
                    _("\"If the server selects an (EC)DHE group and the client did not offer a "
                      "compatible \"key_share\" extension in the initial ClientHello, the server "
                      "MUST respond with a HelloRetryRequest\". The server takes the first group "
                      "of its own preference that the client lists in supported_groups. The "
                      "retry costs an additional round trip: the second ClientHello leaves only "
                      "when the HelloRetryRequest has arrived, so the client can send its "
                      "Finished and its first application data after two round trips instead "
                      "of one."));
  return retry;
}

gboolean
tls13_hrr_send (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsServerHello *sh = &ep->sh;
  TlsStep *step;

  tls_server_hello_clear (sh);
  tls_server_hello_init (sh);
  sh->server_version = TLS_VERSION_1_2;   /* legacy_version, as in a ServerHello */
  memcpy (sh->random, tls13_hello_retry_random, 32);
  memcpy (sh->session_id, ep->ch.session_id, ep->ch.session_id_len);
  sh->session_id_len = ep->ch.session_id_len;
  sh->cipher_suite = ep->suite->id;
  sh->compression_method = 0;
  tls13_extensions_add_selected_version (&sh->extensions, TLS_VERSION_1_3);
  tls13_extensions_add_key_share_hrr (&sh->extensions, st->group);
  st->compat = ep->ch.session_id_len > 0;
  ep->record_version = TLS_VERSION_1_2;
  st->ch1_len = tls_transcript_len (ep->transcript);
  step = tls_ep_send_message (ep, TLS_HS_SERVER_HELLO, "HelloRetryRequest",
                              (TlsWriteFunc) tls_server_hello_write, sh);
  g_free (step->title);
  step->title = g_strdup ("HelloRetryRequest");
  tls13_describe_hrr_random (step->fields);
  st->hrr_step = step->index;
  tls_step_explain (step, "RFC 8446, 4.1.4; RFC 8446, 4.1.3; RFC 8446, 4.2.8",
                    _("A HelloRetryRequest: the server can go on with what the client offers, "
                      "but the ClientHello has no key share for the group it chose, %s. It has "
                      "the layout of a ServerHello; its random is the SHA-256 of "
                      "\"HelloRetryRequest\", which tells the client what it is. It echoes the "
                      "legacy_session_id, names the cipher suite the server will use, and "
                      "carries only supported_versions (TLS 1.3) and key_share with the "
                      "selected_group: no key share of the server's own, and no cookie (this "
                      "server keeps its state). Nothing is encrypted yet."),
                    tls13_named_group_name (st->group));
  tls_ep_commit (ep, step);
  return TRUE;
}

gboolean
tls13_hrr_send_ccs (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_send_ccs (ep);

  /* A dummy record: the lesson shows it under the HelloRetryRequest. */
  if (ep->t13->hrr_step >= 0)
    tls_trace_group (ep->trace, step, ep->t13->hrr_step);
  tls_step_explain (step, "RFC 8446, D.4; RFC 8446, 5",
                    _("A dummy ChangeCipherSpec right after the HelloRetryRequest: the client "
                      "sent a legacy_session_id, and the server sends this record after its "
                      "first handshake message, which here is the HelloRetryRequest (middlebox "
                      "compatibility mode). It switches no keys, and none follows the "
                      "ServerHello."));
  tls_ep_commit (ep, step);
  return TRUE;
}

/* Why the second ClientHello B is not the first, A, changed as RFC 8446,
 * 4.1.2 allows after a HelloRetryRequest selecting GROUP; NULL when it
 * is. */
static char *
client_hello2_differs (const TlsClientHello *a, const TlsClientHello *b, guint16 group)
{
  g_autoptr (GArray) shares = tls13_extensions_get_key_shares (&b->extensions);

  if (a->client_version != b->client_version)
    return g_strdup (_("its legacy_version is not that of the first ClientHello"));
  if (memcmp (a->random, b->random, 32) != 0)
    return g_strdup (_("its random is not that of the first ClientHello"));
  if (a->session_id_len != b->session_id_len
      || memcmp (a->session_id, b->session_id, a->session_id_len) != 0)
    return g_strdup (_("its legacy_session_id is not that of the first ClientHello"));
  if (a->cipher_suites->len != b->cipher_suites->len
      || memcmp (a->cipher_suites->data, b->cipher_suites->data, 2 * a->cipher_suites->len) != 0)
    return g_strdup (_("its cipher_suites are not those of the first ClientHello"));
  if (a->compression_methods->len != b->compression_methods->len
      || memcmp (a->compression_methods->data, b->compression_methods->data,
                 a->compression_methods->len) != 0)
    return g_strdup (_("its legacy_compression_methods are not those of the first ClientHello"));
  if (tls_extensions_has (&b->extensions, TLS13_EXT_EARLY_DATA))
    return g_strdup (_("it still offers early_data, which is not permitted after a "
                       "HelloRetryRequest"));
  for (guint i = 0; i < tls_extensions_count (&b->extensions); i++)
    {
      guint16 type = tls_extensions_get (&b->extensions, i)->type;
      if (!tls_extensions_has (&a->extensions, type) && type != EXT_PADDING)
        return g_strdup_printf (_("it adds the extension %s (%u), which the HelloRetryRequest "
                                  "did not ask for"), tls_extension_name (type), type);
    }
  for (guint i = 0; i < tls_extensions_count (&a->extensions); i++)
    {
      const TlsExtension *e = tls_extensions_get (&a->extensions, i);
      GBytes *d = tls_extensions_find (&b->extensions, e->type);

      if (e->type == TLS13_EXT_KEY_SHARE || e->type == TLS13_EXT_EARLY_DATA
          || e->type == TLS13_EXT_PRE_SHARED_KEY || e->type == EXT_PADDING)
        continue;
      if (d == NULL || !g_bytes_equal (d, e->data))
        return g_strdup_printf (_("its extension %s (%u) is not that of the first ClientHello"),
                                tls_extension_name (e->type), e->type);
    }
  if (shares == NULL || shares->len != 1
      || g_array_index (shares, Tls13KeyShareEntry, 0).group != group)
    {
      g_autoptr (GArray) groups = g_array_new (FALSE, FALSE, sizeof (guint16));
      g_autofree char *names = NULL;

      for (guint i = 0; shares && i < shares->len; i++)
        g_array_append_val (groups, g_array_index (shares, Tls13KeyShareEntry, i).group);
      names = group_list ((const guint16 *) groups->data, groups->len);
      return g_strdup_printf (_("its key_share holds shares for %s, not one share for %s, the "
                                "group the HelloRetryRequest selected"),
                              names, tls13_named_group_name (group));
    }
  return NULL;
}

gboolean
tls13_hrr_read_client_hello2 (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsUnit *u = tls13_expect (ep, TLS_HS_CLIENT_HELLO);
  TlsClientHello ch2;
  TlsField *root;
  TlsReader body;
  TlsStep *step;
  g_autofree char *why = NULL;
  int err;

  if (u == NULL)
    return FALSE;
  memset (&ch2, 0, sizeof ch2);   /* tls_client_hello_parse makes its arrays */
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls_client_hello_parse (&body, &ch2);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_field_free (root);
      tls_unit_free (u);
      tls_client_hello_clear (&ch2);
      tls_ep_fail (ep, err, _("the second ClientHello could not be parsed (%s)"),
                   tls_alert_name (err));
      return FALSE;
    }
  step = tls_ep_received_handshake (ep, u, root,
                                    _("The client's second ClientHello, its answer to the "
                                      "HelloRetryRequest: the first one again, with a key share "
                                      "for the group the server selected."),
                                    "RFC 8446, 4.1.2");
  ep->client_hello_step = st->ch_step
    = step ? (int) step->index : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "ClientHello");
  tls_unit_free (u);

  why = client_hello2_differs (&ep->ch, &ch2, st->group);
  step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("Second ClientHello"));
  if (why)
    tls_trace_group (ep->trace, step, TLS_PARENT_NONE);
  else
    tls_trace_group (ep->trace, step, st->ch_step);
  step->subject = g_strdup (_("the second ClientHello"));
  step->against = g_strdup (_("the first ClientHello and the HelloRetryRequest"));
  step->result = why ? TLS_CHECK_FAILED : TLS_CHECK_PASSED;
  if (why)
    tls_step_set_reason (step, "%s", why);
  else
    tls_step_set_reason (step, _("it is the first ClientHello with one key share, for %s, in "
                                 "place of the first one's shares"),
                         tls13_named_group_name (st->group));
  tls_step_explain (step, "RFC 8446, 4.1.2; RFC 8446, 6.2",
                    _("After a HelloRetryRequest \"the client MUST send the same ClientHello "
                      "without modification\", except for a key_share holding a single share "
                      "for the selected group, a cookie if the server sent one, early_data "
                      "removed, an updated pre_shared_key and padding. Section 4.1.2 names no "
                      "alert for a second ClientHello that breaks this; this server answers "
                      "with illegal_parameter, which 6.2 defines for a field inconsistent with "
                      "other fields."));
  tls_ep_commit (ep, step);
  if (why)
    {
      tls_client_hello_clear (&ch2);
      tls_ep_fail (ep, TLS_ALERT_ILLEGAL_PARAMETER, _("the second ClientHello: %s"), why);
      return FALSE;
    }
  tls_client_hello_clear (&ep->ch);
  ep->ch = ch2;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Both                                                                */

gboolean
tls13_hrr_message_hash (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  int parent = st->hrr_step >= 0 ? st->hrr_step
                                 : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "HelloRetryRequest");

  tls13_message_hash (ep->trace, ep->role, ep->suite->prf, ep->transcript, st->ch1_len,
                      st->ch_step, parent >= 0 ? parent : TLS_PARENT_NEXT);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Client                                                              */

gboolean
tls13_hrr_received (TlsEndpoint *ep, TlsUnit *u, TlsField *root)
{
  Tls13State *st = ep->t13;
  TlsStep *step;

  if (st->hrr)
    {
      tls_field_free (root);
      tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                   _("a second HelloRetryRequest: \"If a client receives a second "
                     "HelloRetryRequest in the same connection (i.e., where the ClientHello was "
                     "itself in response to a HelloRetryRequest), it MUST abort the handshake "
                     "with an \"unexpected_message\" alert\" (RFC 8446, 4.1.4)"));
      return FALSE;
    }
  st->ch1_len = tls_transcript_len (ep->transcript);
  tls13_describe_hrr_random (root);
  step = tls_ep_received_titled (ep, u, root, "HelloRetryRequest",
                                 _("A HelloRetryRequest: a message of type server_hello whose "
                                   "random is the SHA-256 of \"HelloRetryRequest\". The server "
                                   "asks for a second ClientHello; key_share names the group it "
                                   "wants a share for."),
                                 "RFC 8446, 4.1.4; RFC 8446, 4.1.3");
  st->hrr = TRUE;
  st->hrr_step = step ? (int) step->index
                      : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "HelloRetryRequest");
  return TRUE;
}

gboolean
tls13_hrr_check (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsServerHello *sh = &ep->sh;
  const TlsSuite *suite = tls_suite_by_id (sh->cipher_suite);
  g_autoptr (GArray) groups = tls_extensions_get_supported_groups (&ep->ch.extensions);
  g_autoptr (GArray) shares = tls13_extensions_get_key_shares (&ep->ch.extensions);
  g_autoptr (GBytes) cookie = tls13_extensions_get_cookie (&sh->extensions);
  gboolean has_ks = tls_extensions_has (&sh->extensions, TLS13_EXT_KEY_SHARE);
  guint16 selected = 0, group = 0;
  g_autofree char *why = NULL;
  int alert = TLS_ALERT_ILLEGAL_PARAMETER;
  TlsStep *step;

  tls13_extensions_get_selected_version (&sh->extensions, &selected);
  if (selected == 0)
    {
      why = g_strdup (_("the HelloRetryRequest has no supported_versions extension"));
      alert = TLS_ALERT_MISSING_EXTENSION;
    }
  else if (selected != TLS_VERSION_1_3)
    why = g_strdup_printf (_("the HelloRetryRequest selects %s; this client offered only TLS 1.3"),
                           tls_version_name (selected));
  else if (suite == NULL || !tls_suite_is_tls13 (suite)
           || !tls_client_hello_offers_suite (&ep->ch, sh->cipher_suite))
    why = g_strdup_printf (_("the HelloRetryRequest names the cipher suite 0x%04x, which the "
                             "client did not offer"), sh->cipher_suite);
  else if (sh->session_id_len != ep->ch.session_id_len
           || memcmp (sh->session_id, ep->ch.session_id, sh->session_id_len) != 0)
    why = g_strdup (_("legacy_session_id_echo is not the client's legacy_session_id"));
  else if (sh->compression_method != 0)
    why = g_strdup (_("legacy_compression_method is not 0"));
  if (why == NULL)
    for (guint i = 0; i < tls_extensions_count (&sh->extensions); i++)
      {
        guint16 type = tls_extensions_get (&sh->extensions, i)->type;
        if (type != TLS13_EXT_COOKIE && !tls_extensions_has (&ep->ch.extensions, type))
          {
            why = g_strdup_printf (_("the HelloRetryRequest carries the extension %s (%u), which "
                                     "the client did not offer"), tls_extension_name (type), type);
            alert = TLS_ALERT_UNSUPPORTED_EXTENSION;
            break;
          }
      }
  if (why == NULL && has_ks && !tls13_extensions_get_hrr_group (&sh->extensions, &group))
    why = g_strdup (_("the HelloRetryRequest's key_share is not a single selected_group"));
  else if (why == NULL && has_ks && !in_list (groups, group))
    why = g_strdup_printf (_("the HelloRetryRequest selects %s, which the client's "
                             "supported_groups does not list"), tls13_named_group_name (group));
  else if (why == NULL && has_ks && has_share (shares, group))
    why = g_strdup_printf (_("the HelloRetryRequest selects %s, for which the client already sent "
                             "a key share"), tls13_named_group_name (group));
  else if (why == NULL && !has_ks && cookie == NULL)
    why = g_strdup (_("the HelloRetryRequest asks for no change: it has neither key_share nor "
                      "cookie"));

  step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("HelloRetryRequest acceptable"));
  step->subject = g_strdup_printf ("%s, %s, selected_group %s",
                                   selected ? tls_version_name (selected) : "no supported_versions",
                                   suite ? suite->name : "?",
                                   has_ks ? tls13_named_group_name (group) : _("none"));
  step->against = g_strdup (_("what the first ClientHello offered"));
  step->result = why ? TLS_CHECK_FAILED : TLS_CHECK_PASSED;
  if (why)
    tls_trace_group (ep->trace, step, TLS_PARENT_NONE);
  else
    tls_trace_group (ep->trace, step, st->hrr_step >= 0 ? st->hrr_step : TLS_PARENT_NEXT);
  if (why)
    tls_step_set_reason (step, "%s", why);
  else if (has_ks)
    tls_step_set_reason (step, _("TLS 1.3, a cipher suite the client offered, its "
                                 "legacy_session_id echoed, and selected_group %s: a group its "
                                 "supported_groups lists and its key_share has no share for"),
                         tls13_named_group_name (group));
  else
    tls_step_set_reason (step, _("TLS 1.3, a cipher suite the client offered, its "
                                 "legacy_session_id echoed, and a cookie to send back"));
  tls_step_explain (step, "RFC 8446, 4.1.4; RFC 8446, 4.2.8",
                    _("The client checks legacy_version, legacy_session_id_echo, cipher_suite and "
                      "legacy_compression_method as for a ServerHello, then the extensions. The "
                      "selected_group must be in its supported_groups and must not be a group it "
                      "already sent a share for; a HelloRetryRequest that would not change the "
                      "ClientHello is refused. These failures end the handshake with an "
                      "\"illegal_parameter\" alert."));
  tls_ep_commit (ep, step);
  if (why)
    {
      tls_ep_fail (ep, alert, "%s", why);
      return FALSE;
    }
  ep->suite = suite;
  ep->version = TLS_VERSION_1_3;
  ep->record_version = TLS_VERSION_1_2;
  st->hrr_group = has_ks ? group : 0;
  return TRUE;
}

/* Replaces the extension_data of TYPE in E in place (its position kept). */
static void
replace_extension (TlsExtensions *e, guint16 type, GBytes *data)
{
  for (guint i = 0; i < tls_extensions_count (e); i++)
    {
      TlsExtension *x = &g_array_index (e->list, TlsExtension, i);
      if (x->type == type)
        {
          g_bytes_unref (x->data);
          x->data = g_bytes_ref (data);
          return;
        }
    }
}

gboolean
tls13_hrr_send_client_hello2 (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsClientHello *ch = &ep->ch;
  g_autoptr (GBytes) cookie = tls13_extensions_get_cookie (&ep->sh.extensions);
  gboolean tampered = g_strcmp0 (ep->cfg.tamper, "client-hrr-same-share") == 0;
  const char *note;
  TlsStep *step;

  if (st->hrr_group != 0 && !tampered)
    {
      g_autoptr (GBytes) pub = NULL;
      Tls13KeyShareEntry share;
      TlsExtensions tmp;

      if (!tls13_keygen (ep, st->hrr_group))
        return FALSE;
      pub = tls13_share_public (st->share);
      share.group = st->group;
      share.key_exchange = pub;
      tls_extensions_init (&tmp);
      tls13_extensions_add_key_share_client (&tmp, &share, 1);
      replace_extension (&ch->extensions, TLS13_EXT_KEY_SHARE,
                         tls_extensions_find (&tmp, TLS13_EXT_KEY_SHARE));
      tls_extensions_clear (&tmp);
    }
  tls_extensions_remove (&ch->extensions, TLS13_EXT_EARLY_DATA);
  /* pre_shared_key is the last extension (RFC 8446, 4.2.11): it goes, the
   * cookie comes, and it is added again with its new age and binder (4.1.2). */
  tls_extensions_remove (&ch->extensions, TLS13_EXT_PRE_SHARED_KEY);
  if (cookie != NULL)
    {
      tls_extensions_remove (&ch->extensions, TLS13_EXT_COOKIE);
      tls13_extensions_add_cookie (&ch->extensions, cookie);
    }
  tls13_psk_update_offer (ep, ch);
  step = tls_ep_send_message (ep, TLS_HS_CLIENT_HELLO, "ClientHello",
                              (TlsWriteFunc) tls_client_hello_write, ch);
  ep->client_hello_step = st->ch_step = step->index;
  if (tampered)
    tls_step_add_text_input (step, N_("fault"),
                             _("FAULT INJECTED ON PURPOSE: the key share of the first ClientHello "
                               "sent again, not one for the selected group"), -1, NULL);
  note = cookie != NULL ? _("The cookie of the HelloRetryRequest is copied back in a cookie "
                            "extension.")
                        : "";
  if (tampered)
    tls_step_explain (step, "RFC 8446, 4.1.2; RFC 8446, 4.2.8",
                      _("The client's second ClientHello, its answer to the HelloRetryRequest. "
                        "On purpose it breaks the rule: its key_share holds its first share "
                        "again, for %s, instead of one for %s. %s"),
                      tls13_named_group_name (st->group), tls13_named_group_name (st->hrr_group),
                      note);
  else
    tls_step_explain (step, "RFC 8446, 4.1.2; RFC 8446, 4.2.8",
                      _("The client's second ClientHello, its answer to the HelloRetryRequest. "
                        "It is the first ClientHello again, with the same random, "
                        "legacy_session_id, cipher suites and extensions, except what the "
                        "HelloRetryRequest asked for: key_share now holds a single share, for "
                        "%s, from a new key pair. %s"),
                      tls13_named_group_name (st->group), note);
  tls_ep_commit (ep, step);
  return TRUE;
}

gboolean
tls13_hrr_show_key_share (TlsEndpoint *ep)
{
  if (ep->t13->hrr_group == 0 || g_strcmp0 (ep->cfg.tamper, "client-hrr-same-share") == 0)
    return TRUE;   /* the first key pair is still in use */
  return tls13_key_share_step (ep, "ClientHello");
}
