/* tls13-psk.c — TLS 1.3 resumption with a PSK from a ticket (RFC 8446,
 * 2.2): the NewSessionTicket and its PSK (4.6.1), the offer in the
 * ClientHello and its binder (4.2.9, 4.2.11, 4.2.11.2), the server's
 * choice and check.  The rows are placed in the flows of tls13-client.c
 * and tls13-server.c. */
#include <glib/gi18n-lib.h>
#include "tls13-psk.h"
#include "tls-handshake.h"
#include "tls-extensions.h"
#include "tls-msg-client-hello.h"
#include "tls13-extensions.h"
#include "tls13-msg-new-session-ticket.h"
#include "tls-ticket.h"
#include "tls-ticket-store.h"

#include <string.h>

/* Without a lifetime in the configuration: 2 hours (RFC 8446, 4.6.1 allows
 * up to 7 days). */
#define DEFAULT_TICKET_LIFETIME 7200

/* The lifetime this server gives its tickets and holds them to
 * (4.6.1: "Servers MUST NOT use any value greater than 604800 seconds"). */
static guint32
ticket_lifetime (TlsEndpoint *ep)
{
  return ep->cfg.ticket_lifetime ? MIN (ep->cfg.ticket_lifetime, TLS13_MAX_TICKET_LIFETIME)
                                 : DEFAULT_TICKET_LIFETIME;
}

/* ------------------------------------------------------------------ */
/* Conditions                                                          */

static gboolean
has_mode (GBytes *modes, guint8 mode)
{
  gsize n;
  const guint8 *m = modes ? g_bytes_get_data (modes, &n) : NULL;

  for (gsize i = 0; m && i < n; i++)
    if (m[i] == mode)
      return TRUE;
  return FALSE;
}

/* The ticket of the client's configuration, when it can offer it: a TLS
 * 1.3 session, a suite the client offers, within its lifetime (4.2.11.1:
 * "Clients MUST NOT attempt to use tickets which have ages greater than
 * the "ticket_lifetime" value"). */
static const TlsSession *
usable_ticket (TlsEndpoint *ep)
{
  const TlsSession *s = ep->cfg.resume;
  const TlsSuite *suite = s ? tls_suite_by_id (s->suite) : NULL;

  if (s == NULL || s->version != TLS_VERSION_1_3 || s->ticket == NULL || suite == NULL
      || !tls_suite_is_tls13 (suite))
    return NULL;
  if (ep->now < s->created || ep->now - s->created > (gint64) s->ticket_lifetime)
    return NULL;
  if (ep->cfg.suites != NULL && ep->cfg.suites->len > 0)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < ep->cfg.suites->len; i++)
        found |= g_array_index (ep->cfg.suites, guint16, i) == s->suite;
      if (!found)
        return NULL;
    }
  return s;
}

gboolean
tls13_psk_offering (TlsEndpoint *ep)
{
  return ep->role == TLS_ACTOR_CLIENT && usable_ticket (ep) != NULL;
}

gboolean
tls13_psk_in_hand (TlsEndpoint *ep)
{
  return ep->t13->psk_len > 0;
}

gboolean
tls13_psk_accepted (TlsEndpoint *ep)
{
  return ep->t13->psk_accepted;
}

gboolean
tls13_psk_not_accepted (TlsEndpoint *ep)
{
  return !ep->t13->psk_accepted;
}

gboolean
tls13_psk_with_dhe (TlsEndpoint *ep)
{
  return !(ep->t13->psk_accepted && ep->t13->psk_ke);
}

gboolean
tls13_psk_issues_tickets (TlsEndpoint *ep)
{
  return ep->t13->tickets;
}

/* ------------------------------------------------------------------ */
/* The key schedule from the PSK                                       */

/* The step that derived the client's PSK when it is in this trace. */
static int
client_psk_step (TlsEndpoint *ep, const TlsSession *s)
{
  const TlsStep *step;

  if (s->psk_step < 0 || (guint) s->psk_step >= tls_trace_len (ep->trace))
    return -1;
  step = tls_trace_get (ep->trace, s->psk_step);
  if (step->connection != s->psk_connection
      || g_strcmp0 (step->title, TLS13_STEP_TITLE_RESUMPTION_PSK) != 0)
    return -1;
  return s->psk_step;
}

gboolean
tls13_psk_early_secret (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;

  if (ep->role == TLS_ACTOR_CLIENT)
    {
      const TlsSession *s = usable_ticket (ep);
      const TlsSuite *suite = tls_suite_by_id (s->suite);

      st->psk_hash = suite->prf;
      st->psk_len = tls13_hash_len (st->psk_hash);
      memcpy (st->psk, s->master, st->psk_len);
      st->psk_step = client_psk_step (ep, s);
      st->psk_offered = TRUE;
    }
  tls13_key_schedule_init (&st->ks, ep->trace, ep->role, st->psk_hash);
  tls13_derive_early_secret (&st->ks, st->psk, st->psk_len, st->psk_step);
  return TRUE;
}

gboolean
tls13_psk_binder_key (TlsEndpoint *ep)
{
  tls13_derive_binder_key (&ep->t13->ks, TRUE);
  return TRUE;
}

/* Transcript-Hash(Truncate(ClientHello)) as a step (RFC 8446, 4.2.11.2):
 * PREFIX holds the messages before this ClientHello (none, or
 * ClientHello1 and HelloRetryRequest), TRUNCATED the ClientHello without
 * its binders list, FULL_LEN the length of the whole ClientHello. */
static int
truncated_hash (TlsEndpoint *ep, const guint8 *prefix, gsize prefix_len,
                const guint8 *truncated, gsize truncated_len, gsize full_len,
                Tls13Context *ctx, guint8 out[TLS_MAX_HASH_LEN])
{
  Tls13State *st = ep->t13;
  g_autoptr (TlsTranscript) tr = tls_transcript_new ();
  g_autofree char *note = NULL;
  const guint8 *data;
  gsize len, out_len;
  TlsStep *step;
  const char *covers = prefix_len ? "ClientHello1, HelloRetryRequest, Truncate(ClientHello2)"
                                  : "Truncate(ClientHello)";

  tls_transcript_append (tr, prefix, prefix_len);
  tls_transcript_append (tr, truncated, truncated_len);
  tls_transcript_hash (tr, TLS_VERSION_1_2, st->psk_hash, out, &out_len);
  data = tls_transcript_data (tr, &len);
  ctx->hash = out;
  ctx->covers = covers;
  step = tls_ep_add_step (ep, TLS_STEP_DERIVATION, ep->role, TLS13_STEP_TITLE_TRANSCRIPT_HASH);
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  step->formula = g_strdup_printf ("Transcript-Hash(%s) = Hash(%s)", covers, covers);
  tls_step_add_text_input (step, "Hash", tls_prf_hash_name (st->psk_hash), -1,
                           _("the hash of the PSK: that of the suite of the connection that "
                             "issued the ticket"));
  note = g_strdup_printf (_("the ClientHello without its binders list: %zu of its %zu bytes (the "
                            "last %zu bytes, the binders, are left out)"),
                          truncated_len, full_len, full_len - truncated_len);
  tls_step_add_input (step, "Truncate(ClientHello)", data + prefix_len, len - prefix_len, -1, note);
  if (prefix_len > 0)
    tls_step_add_input (step, "ClientHello1, HelloRetryRequest", data, prefix_len, -1,
                        _("the messages before this ClientHello, hashed first"));
  tls_step_add_output (step, "Transcript-Hash", out, out_len,
                       _("the transcript hash the binder is an HMAC of"));
  tls_step_explain (step, "RFC 8446, 4.2.11.2",
                    _("The binder cannot cover itself: it is computed over the ClientHello up to "
                      "and including the identities of pre_shared_key, without the binders list. "
                      "The length fields of the message, of the extensions and of pre_shared_key "
                      "already count the binders, as if they were there."));
  tls_ep_commit (ep, step);
  ctx->step = step->index;
  return step->index;
}

/* ------------------------------------------------------------------ */
/* Client                                                              */

static void add_pre_shared_key (TlsEndpoint *ep, TlsClientHello *ch);

void
tls13_psk_add_offer (TlsEndpoint *ep, TlsClientHello *ch)
{
  guint8 modes_dhe[] = { TLS13_PSK_DHE_KE };
  guint8 modes_ke[] = { TLS13_PSK_KE };

  if (!ep->t13->psk_offered)
    return;
  /* 4.2.9: "A client MUST provide a "psk_key_exchange_modes" extension if
   * it offers a "pre_shared_key" extension." */
  if (ep->cfg.psk_ke_only)
    tls13_extensions_add_psk_modes (&ch->extensions, modes_ke, 1);
  else
    tls13_extensions_add_psk_modes (&ch->extensions, modes_dhe, 1);
  add_pre_shared_key (ep, ch);
}

/* After a HelloRetryRequest (RFC 8446, 4.1.2: "Updating the
 * "pre_shared_key" extension if present by recomputing the
 * "obfuscated_ticket_age" and binder values"): the binder of the second
 * ClientHello covers message_hash, the HelloRetryRequest and the truncated
 * ClientHello2 (4.2.11.2). */
void
tls13_psk_update_offer (TlsEndpoint *ep, TlsClientHello *ch)
{
  if (!ep->t13->psk_offered)
    return;
  /* 4.2.10: "A client MUST NOT include the "early_data" extension in its
   * followup ClientHello." */
  tls_extensions_remove (&ch->extensions, TLS13_EXT_EARLY_DATA);
  tls_extensions_remove (&ch->extensions, TLS13_EXT_PRE_SHARED_KEY);
  add_pre_shared_key (ep, ch);
}

/* pre_shared_key, the last extension (4.2.11), with its binder over the
 * transcript so far and the truncated ClientHello (4.2.11.2). */
static void
add_pre_shared_key (TlsEndpoint *ep, TlsClientHello *ch)
{
  Tls13State *st = ep->t13;
  const TlsSession *s = ep->cfg.resume;
  Tls13OfferedPsks psks;
  Tls13PskIdentity id;
  guint8 binder[TLS_MAX_HASH_LEN] = { 0 };
  guint8 hash[TLS_MAX_HASH_LEN];
  Tls13Context ctx;
  TlsWriter w;
  TlsWriterMark m;
  g_autoptr (GBytes) msg = NULL;
  gsize len, truncated, prefix_len;
  const guint8 *data, *prefix;
  guint32 age_ms;

  /* 4.2.11.1: the age in milliseconds plus ticket_age_add, modulo 2^32. */
  age_ms = (guint32) ((ep->now - s->created) * 1000);
  id.identity = s->ticket;
  id.obfuscated_ticket_age = age_ms + s->ticket_age_add;
  tls13_offered_psks_init (&psks);
  g_array_append_val (psks.identities, id);
  g_ptr_array_add (psks.binders, g_bytes_new (binder, st->psk_len));
  /* 4.2.11: "The "pre_shared_key" extension MUST be the last extension in
   * the ClientHello": with a binder of the right length for now. */
  tls13_extensions_add_offered_psks (&ch->extensions, &psks);

  tls_writer_init (&w, NULL);
  tls_handshake_begin (&w, TLS_HS_CLIENT_HELLO, &m);
  tls_client_hello_write (&w, ch);
  tls_handshake_end (&w, &m);
  msg = tls_writer_steal (&w);
  data = g_bytes_get_data (msg, &len);
  if (!tls13_client_hello_truncated_len (data, len, &truncated))
    g_assert_not_reached ();
  prefix = tls_transcript_data (ep->transcript, &prefix_len);
  truncated_hash (ep, prefix, prefix_len, data, truncated, len, &ctx, hash);
  tls13_compute_binder (&st->ks, &ctx, binder);
  if (g_strcmp0 (ep->cfg.tamper, "client-bad-binder") == 0)
    binder[0] ^= 0x01;

  /* The same extension with the binder in place: the same length. */
  tls_extensions_remove (&ch->extensions, TLS13_EXT_PRE_SHARED_KEY);
  g_ptr_array_set_size (psks.binders, 0);
  g_ptr_array_add (psks.binders, g_bytes_new (binder, st->psk_len));
  tls13_extensions_add_offered_psks (&ch->extensions, &psks);
  g_array_index (psks.identities, Tls13PskIdentity, 0).identity = NULL;   /* borrowed */
  tls13_offered_psks_clear (&psks);
}

char *
tls13_psk_check_server_hello (TlsEndpoint *ep, const TlsSuite *suite, gboolean has_share,
                              int *alert)
{
  Tls13State *st = ep->t13;
  guint16 selected;

  st->psk_accepted = FALSE;
  if (!tls_extensions_has (&ep->sh.extensions, TLS13_EXT_PRE_SHARED_KEY))
    return NULL;
  *alert = TLS_ALERT_ILLEGAL_PARAMETER;
  if (!st->psk_offered)
    {
      /* 4.2: an extension the client did not send. */
      *alert = TLS_ALERT_UNSUPPORTED_EXTENSION;
      return g_strdup (_("the ServerHello has a pre_shared_key extension, but the client "
                         "offered no PSK"));
    }
  if (!tls13_extensions_get_selected_identity (&ep->sh.extensions, &selected))
    {
      *alert = TLS_ALERT_DECODE_ERROR;
      return g_strdup (_("the ServerHello's pre_shared_key is not a uint16 selected_identity"));
    }
  if (selected != 0)
    return g_strdup_printf (_("the server selected the PSK identity %u, but the client offered "
                              "only one (identity 0)"), selected);
  if (suite->prf != st->psk_hash)
    return g_strdup_printf (_("the server selected %s, whose hash is not %s, the hash of the PSK"),
                            suite->name, tls_prf_hash_name (st->psk_hash));
  if (ep->cfg.psk_ke_only && has_share)
    return g_strdup (_("the client offered psk_ke only, in which the server MUST NOT send a "
                       "key_share, but the ServerHello has one"));
  if (!ep->cfg.psk_ke_only && !has_share)
    return g_strdup (_("the client offered psk_dhe_ke only, which needs the server's key_share, "
                       "but the ServerHello has none"));
  st->psk_accepted = TRUE;
  st->psk_ke = ep->cfg.psk_ke_only;
  ep->resumed = ep->resumed_by_ticket = TRUE;
  return NULL;
}

gboolean
tls13_psk_client_outcome (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("PSK accepted?"));

  tls_ep_group_under_message (ep, step, "ServerHello");
  tls_step_add_option (step, "%s", _("resumption with the ticket's PSK"));
  tls_step_add_option (step, "%s", _("a full handshake"));
  if (st->psk_accepted)
    {
      step->choice = g_strdup_printf (_("resumption, %s"), tls13_psk_mode_name (st->psk_ke ? TLS13_PSK_KE
                                                                                     : TLS13_PSK_DHE_KE));
      tls_step_set_reason (step, "%s", st->psk_ke
                           ? _("the ServerHello has pre_shared_key with selected_identity 0 and "
                               "no key_share")
                           : _("the ServerHello has pre_shared_key with selected_identity 0 and "
                               "a key_share"));
      tls_step_explain (step, "RFC 8446, 2.2; RFC 8446, 4.2.9; RFC 8446, 4.2.11", "%s",
                        st->psk_ke
                        ? _("The server accepted the PSK: the Early Secret computed from it for "
                            "the binder stays the root of the key schedule. No Certificate or "
                            "CertificateVerify will come: the PSK authenticates the server, as "
                            "it comes from a handshake in which the server did prove its "
                            "certificate. No key_share: psk_ke, the PSK alone. This connection "
                            "has no forward secrecy: whoever learns the PSK later can compute "
                            "its keys and read its application data (2.2).")
                        : _("The server accepted the PSK: the Early Secret computed from it for "
                            "the binder stays the root of the key schedule. No Certificate or "
                            "CertificateVerify will come: the PSK authenticates the server, as "
                            "it comes from a handshake in which the server did prove its "
                            "certificate. The key_share tells the mode: psk_dhe_ke, the PSK and "
                            "a fresh (EC)DHE secret, which keeps forward secrecy."));
    }
  else
    {
      step->choice = g_strdup (_("a full handshake"));
      tls_step_set_reason (step, "%s", _("the ServerHello has no pre_shared_key: the server did "
                                         "not take the ticket"));
      tls_step_explain (step, "RFC 8446, 2.2; RFC 8446, 4.2.11",
                        _("The server did not select the PSK, so the client sent a key_share "
                          "for this case: the handshake goes on as a full one, with the "
                          "server's certificate, and the key schedule starts again from an "
                          "Early Secret without a PSK."));
    }
  tls_ep_commit (ep, step);
  return TRUE;
}

gboolean
tls13_psk_take_ticket (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  Tls13NewSessionTicket nst;
  guint8 psk[TLS_MAX_HASH_LEN];
  TlsField *root;
  TlsReader body;
  TlsStep *step;
  TlsUnit *u;
  TlsSession *s;
  int err, nonce_step, psk_step;
  gsize n;

  if (st == NULL || ep->role != TLS_ACTOR_CLIENT || !st->tickets || ep->app_send->len > 0
      || (ep->close_queued && !ep->close_sent)
      || (g_queue_is_empty (ep->units) && ep->in->len == 0))
    return FALSE;
  u = tls_ep_next_unit (ep);
  if (u == NULL)
    return FALSE;
  if (u->content_type != TLS_CONTENT_HANDSHAKE
      || ((const guint8 *) g_bytes_get_data (u->data, &n))[0] != TLS_HS_NEW_SESSION_TICKET)
    {
      g_queue_push_head (ep->units, u);
      return FALSE;
    }
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls13_new_session_ticket_parse (&body, &nst);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_field_free (root);
      tls_unit_free (u);
      tls_ep_fail (ep, err, _("the NewSessionTicket could not be parsed (%s)"), tls_alert_name (err));
      return TRUE;
    }
  step = tls_ep_received_handshake (ep, u, root,
                                    _("After the handshake the server sends a ticket, under its "
                                      "application traffic keys: its lifetime, ticket_age_add, a "
                                      "nonce and the ticket, which the client sends back as its "
                                      "PSK identity."),
                                    "RFC 8446, 4.6.1");
  nonce_step = step ? (int) step->index
                    : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "NewSessionTicket");
  tls_unit_free (u);
  psk_step = tls13_derive_resumption_psk (ep->trace, ep->role, ep->suite->prf,
                                          st->ks.resumption_master_secret, st->ks.res_master_step,
                                          g_bytes_get_data (nst.ticket_nonce, NULL),
                                          g_bytes_get_size (nst.ticket_nonce), nonce_step, psk);
  /* 4.6.1: "The value of zero indicates that the ticket should be
   * discarded immediately." */
  if (nst.ticket_lifetime > 0)
    {
      s = tls_session_new ();
      s->version = TLS_VERSION_1_3;
      s->suite = ep->suite->id;
      memcpy (s->master, psk, tls13_hash_len (ep->suite->prf));
      s->created = ep->now;
      s->server_name = g_strdup (ep->cfg.server_name);
      s->ticket = g_bytes_ref (nst.ticket);
      s->ticket_lifetime = nst.ticket_lifetime;
      s->ticket_age_add = nst.ticket_age_add;
      s->psk_step = psk_step;
      s->psk_connection = ep->trace->connection;
      if (!tls13_extensions_get_early_data_max (&nst.extensions, &s->max_early_data))
        s->max_early_data = 0;
      tls_session_free (ep->session);
      ep->session = s;
    }
  memset (psk, 0, sizeof psk);
  tls13_new_session_ticket_clear (&nst);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Server                                                              */

static gboolean
psk_fail (TlsEndpoint *ep, int alert, const char *why)
{
  tls_ep_fail (ep, alert, "%s", why);
  return FALSE;
}

/* Why the ticket of IDENTITY cannot be used (NULL: it can); on success
 * *OUT is its session. */
static char *
open_identity (TlsEndpoint *ep, const Tls13PskIdentity *identity, TlsSession **out)
{
  g_autoptr (TlsSession) s = NULL;
  const TlsSuite *suite;
  char *reason = NULL;
  gsize n;
  const guint8 *t = g_bytes_get_data (identity->identity, &n);

  *out = NULL;
  if (ep->cfg.ticket_keys == NULL)
    return g_strdup (_("this server issues no tickets, so it has no key to open one"));
  if (tls_ticket_open (ep->cfg.ticket_keys, t, n, ep->now, ticket_lifetime (ep), &s,
                       &reason) != TLS_TICKET_OK)
    return reason;
  suite = tls_suite_by_id (s->suite);
  if (s->version != TLS_VERSION_1_3 || suite == NULL || !tls_suite_is_tls13 (suite))
    return g_strdup (_("the ticket holds a session of another TLS version"));
  /* 4.6.1: "Any ticket MUST only be resumed with a cipher suite that has
   * the same KDF hash algorithm as that used to establish the original
   * connection." */
  if (suite->prf != ep->suite->prf)
    return g_strdup_printf (_("the ticket's suite %s has the hash %s, the suite chosen here %s"),
                            suite->name, tls_prf_hash_name (suite->prf),
                            tls_prf_hash_name (ep->suite->prf));
  *out = g_steal_pointer (&s);
  return NULL;
}

/* The step of this trace that derived the PSK now in hand, when the
 * ticket was issued in a connection of this trace (the same bytes), or -1. */
static int
issuing_step (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;

  for (int i = (int) tls_trace_len (ep->trace) - 1; i >= 0; i--)
    {
      const TlsStep *s = tls_trace_get (ep->trace, i);
      const TlsTraceValue *v;

      if (s->kind != TLS_STEP_DERIVATION || s->actor != ep->role
          || g_strcmp0 (s->title, TLS13_STEP_TITLE_RESUMPTION_PSK) != 0)
        continue;
      v = tls_step_find_output (s, "PSK");
      if (v != NULL && g_bytes_get_size (v->bytes) == st->psk_len
          && memcmp (g_bytes_get_data (v->bytes, NULL), st->psk, st->psk_len) == 0)
        return i;
    }
  return -1;
}

/* A group this server takes among the client's key shares, or else among
 * its supported_groups: then a HelloRetryRequest asks for the share, and
 * psk_dhe_ke still works (RFC 8446, 4.1.4; 4.2.11.2 for the binder). */
static gboolean
has_usable_group (TlsEndpoint *ep)
{
  g_autoptr (GArray) shares = tls13_extensions_get_key_shares (&ep->ch.extensions);
  g_autoptr (GArray) groups = tls_extensions_get_supported_groups (&ep->ch.extensions);
  guint n;
  const guint16 *ours = tls13_our_groups (ep, &n);

  for (guint k = 0; k < n; k++)
    {
      for (guint i = 0; shares && i < shares->len; i++)
        if (g_array_index (shares, Tls13KeyShareEntry, i).group == ours[k])
          return TRUE;
      for (guint i = 0; groups && i < groups->len; i++)
        if (g_array_index (groups, guint16, i) == ours[k])
          return TRUE;
    }
  return FALSE;
}

gboolean
tls13_psk_server_select (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  const TlsExtensions *ext = &ep->ch.extensions;
  g_autoptr (GBytes) modes = NULL;
  g_autofree char *why = NULL;
  Tls13OfferedPsks psks;
  TlsSession *chosen = NULL;
  int chosen_index = -1;
  gboolean dhe;
  TlsStep *step;

  if (!tls_extensions_has (ext, TLS13_EXT_PRE_SHARED_KEY))
    return TRUE;   /* no PSK offered: nothing to decide */
  if (tls_extensions_get (ext, tls_extensions_count (ext) - 1)->type != TLS13_EXT_PRE_SHARED_KEY)
    return psk_fail (ep, TLS_ALERT_ILLEGAL_PARAMETER,
                     _("pre_shared_key is not the last extension of the ClientHello "
                       "(RFC 8446, 4.2.11)"));
  modes = tls13_extensions_get_psk_modes (ext);
  if (modes == NULL)
    return psk_fail (ep, TLS_ALERT_MISSING_EXTENSION,
                     _("the ClientHello offers pre_shared_key without psk_key_exchange_modes "
                       "(RFC 8446, 4.2.9)"));
  if (!tls13_extensions_get_offered_psks (ext, &psks))
    return psk_fail (ep, TLS_ALERT_DECODE_ERROR, _("the pre_shared_key extension cannot be read"));
  if (psks.binders->len != psks.identities->len)
    {
      tls13_offered_psks_clear (&psks);
      return psk_fail (ep, TLS_ALERT_ILLEGAL_PARAMETER,
                       _("the pre_shared_key extension does not have one binder per identity "
                         "(RFC 8446, 4.2.11)"));
    }

  /* A step of the lesson: the version and suite decisions go under it. */
  step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Resume with the PSK?"));
  tls_trace_group (ep->trace, step, TLS_PARENT_NONE);
  dhe = has_mode (modes, TLS13_PSK_DHE_KE) && has_usable_group (ep);
  for (guint i = 0; i < psks.identities->len; i++)
    {
      const Tls13PskIdentity *id = &g_array_index (psks.identities, Tls13PskIdentity, i);
      tls_step_add_option (step, _("identity %u: a ticket of %zu bytes, obfuscated_ticket_age %u"),
                           i, g_bytes_get_size (id->identity), id->obfuscated_ticket_age);
    }
  tls_step_add_option (step, "%s", _("no PSK: a full handshake"));
  /* 4.2.11: "Servers SHOULD NOT attempt to validate multiple binders;
   * rather, they SHOULD select a single PSK": the first usable one. */
  for (guint i = 0; chosen == NULL && i < psks.identities->len; i++)
    {
      g_free (why);
      GBytes *ticket = g_array_index (psks.identities, Tls13PskIdentity, i).identity;

      why = open_identity (ep, &g_array_index (psks.identities, Tls13PskIdentity, i), &chosen);
      /* Single-use tickets (8.1): "The simplest form of anti-replay
       * defense is for the server to only allow each session ticket to be
       * used once"; this server removes each from its store of
       * outstanding tickets at its first use. */
      if (chosen != NULL && ep->cfg.ticket_store != NULL
          && !tls_ticket_store_take (ep->cfg.ticket_store, ticket))
        {
          g_free (why);
          why = g_strdup (_("this ticket is not among this server's outstanding tickets: it was "
                            "used already (or pushed out by newer ones), and each ticket "
                            "resumes once (single-use tickets, RFC 8446, 8.1)"));
          g_clear_pointer (&chosen, tls_session_free);
        }
      if (chosen != NULL)
        chosen_index = (int) i;
    }
  if (chosen != NULL && !dhe && !has_mode (modes, TLS13_PSK_KE))
    {
      g_free (why);
      why = g_strdup (_("the client lists psk_dhe_ke, but none of its groups is one this "
                        "server takes"));
      g_clear_pointer (&chosen, tls_session_free);
    }
  if (chosen != NULL)
    {
      const Tls13PskIdentity *id = &g_array_index (psks.identities, Tls13PskIdentity, chosen_index);
      guint32 client_age = id->obfuscated_ticket_age - chosen->ticket_age_add;
      g_autofree char *ages = g_strdup_printf (_("the client says %u ms, the ticket was issued "
                                                 "%lld s ago"), client_age,
                                               (long long) (ep->now - chosen->created));

      st->psk_ke = !dhe;
      st->psk_identity = (guint16) chosen_index;
      st->psk_obfuscated_age = id->obfuscated_ticket_age;
      st->psk_hash = ep->suite->prf;
      st->psk_len = tls13_hash_len (st->psk_hash);
      memcpy (st->psk, chosen->master, st->psk_len);
      g_clear_pointer (&st->psk_binder, g_bytes_unref);
      st->psk_binder = g_bytes_ref (g_ptr_array_index (psks.binders, chosen_index));
      step->choice = g_strdup_printf (_("identity %d, %s, if its binder verifies"), chosen_index,
                                      tls13_psk_mode_name (st->psk_ke ? TLS13_PSK_KE
                                                                      : TLS13_PSK_DHE_KE));
      tls_step_set_reason (step, "%s", st->psk_ke
                           ? _("the ticket opens with this server's key, its suite has the hash "
                               "of the suite chosen here, its lifetime has not run out, and the "
                               "client lists only psk_ke")
                           : _("the ticket opens with this server's key, its suite has the hash "
                               "of the suite chosen here, its lifetime has not run out, and the "
                               "client lists psk_dhe_ke with a key share this server takes"));
      tls_step_add_text_input (step, "ticket_age", ages, -1,
                               _("obfuscated_ticket_age minus the ticket's ticket_age_add, "
                                 "modulo 2^32, against the time the ticket holds"));
      ep->ticket_session = chosen;
    }
  else
    {
      step->choice = g_strdup (_("no PSK: a full handshake"));
      tls_step_set_reason (step, "%s", why ? why : "");
    }
  tls_step_explain (step, "RFC 8446, 4.2.11; RFC 8446, 4.2.9; RFC 8446, 4.6.1; RFC 8446, 2.2",
                    "%s%s", _("The server takes the first identity whose ticket it can open, made with a "
                      "cipher suite of the same hash as the one it chose, in a key exchange mode "
                      "the client lists: psk_dhe_ke (the PSK and a fresh (EC)DHE) when it can, "
                      "psk_ke (the PSK alone) if that is all the client offers. It will check "
                      "that identity's binder alone. A ticket it cannot use is ignored, not an "
                      "error: the handshake goes on as a full one."),
                    chosen && st->psk_ke
                    ? _(" Here psk_ke: without (EC)DHE this connection has no forward secrecy, "
                        "its keys come from the PSK and public messages alone (2.2).")
                    : "");
  tls_ep_commit (ep, step);
  if (chosen != NULL)
    st->psk_step = issuing_step (ep);
  tls13_offered_psks_clear (&psks);
  return TRUE;
}

/* Where the last handshake message of a transcript starts (each has a
 * type and a uint24 length). */
static gsize
last_message_start (const guint8 *data, gsize len)
{
  gsize at = 0;

  while (at + 4 <= len)
    {
      gsize next = at + 4 + ((gsize) data[at + 1] << 16 | (gsize) data[at + 2] << 8 | data[at + 3]);
      if (next >= len)
        break;
      at = next;
    }
  return at;
}

gboolean
tls13_psk_check_binder (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  Tls13OfferedPsks psks;
  guint8 hash[TLS_MAX_HASH_LEN], expected[TLS_MAX_HASH_LEN];
  Tls13Context ctx;
  gsize len, binders_len = 2, ch_len, n;
  const guint8 *data = tls_transcript_data (ep->transcript, &len);
  const guint8 *received = g_bytes_get_data (st->psk_binder, &n);
  TlsStep *step;
  int bstep;
  gboolean ok;

  /* The binders list ends the ClientHello, the last message of the
   * transcript so far (pre_shared_key is its last extension). */
  tls13_extensions_get_offered_psks (&ep->ch.extensions, &psks);
  for (guint i = 0; i < psks.binders->len; i++)
    binders_len += 1 + g_bytes_get_size (g_ptr_array_index (psks.binders, i));
  tls13_offered_psks_clear (&psks);
  ch_len = len - last_message_start (data, len);
  truncated_hash (ep, data, len - ch_len, data + len - ch_len, ch_len - binders_len, ch_len,
                  &ctx, hash);
  bstep = tls13_compute_binder (&st->ks, &ctx, expected);
  ok = n == st->psk_len && memcmp (received, expected, n) == 0;

  step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("PSK binder verifies"));
  tls_trace_group (ep->trace, step, ok ? TLS_PARENT_NEXT : TLS_PARENT_NONE);
  step->subject = g_strdup_printf (_("the binder of identity %u"), st->psk_identity);
  step->against = g_strdup (_("the binder computed here from the ticket's PSK"));
  /* value names stay English in the trace, shown translated (tls_value_name_label) */
  tls_trace_value_set_compare (tls_step_add_input (step, N_("received binder"), received, n,
                                                   st->ch_step, _("from the ClientHello")),
                               N_("expected binder"));
  tls_step_add_input (step, N_("expected binder"), expected, st->psk_len, bstep,
                      _("HMAC with the finished_key of the binder_key"));
  step->result = ok ? TLS_CHECK_PASSED : TLS_CHECK_FAILED;
  tls_step_set_reason (step, "%s", ok
                       ? _("they match: the client holds the PSK and the ClientHello is the one "
                           "it made")
                       : _("they differ: the client does not hold this PSK, or the ClientHello "
                           "was changed on its way"));
  tls_step_explain (step, "RFC 8446, 4.2.11; RFC 8446, 6.2",
                    _("\"Prior to accepting PSK key establishment, the server MUST validate the "
                      "corresponding binder value ... If this value is not present or does not "
                      "validate, the server MUST abort the handshake.\" The alert is "
                      "decrypt_error: a handshake cryptographic operation failed, such as "
                      "validating a PSK binder (6.2)."));
  tls_ep_commit (ep, step);
  if (!ok)
    return psk_fail (ep, TLS_ALERT_DECRYPT_ERROR, _("the PSK binder does not verify"));
  st->psk_accepted = TRUE;
  ep->resumed = ep->resumed_by_ticket = TRUE;
  return TRUE;
}

/* After a HelloRetryRequest the server checks the binder of the second
 * ClientHello as well (RFC 8446, 4.2.11.2: computed over message_hash, the
 * HelloRetryRequest and the truncated ClientHello2), for the identity it
 * chose in the first. */
gboolean
tls13_psk_check_binder2 (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  Tls13OfferedPsks psks;
  gboolean have;

  tls13_extensions_get_offered_psks (&ep->ch.extensions, &psks);
  have = st->psk_identity < psks.binders->len;
  if (have)
    {
      g_clear_pointer (&st->psk_binder, g_bytes_unref);
      st->psk_binder = g_bytes_ref (g_ptr_array_index (psks.binders, st->psk_identity));
    }
  tls13_offered_psks_clear (&psks);
  if (!have)
    return psk_fail (ep, TLS_ALERT_ILLEGAL_PARAMETER,
                     _("the second ClientHello no longer offers the PSK of the first"));
  return tls13_psk_check_binder (ep);
}

gboolean
tls13_psk_after_hrr (TlsEndpoint *ep)
{
  return ep->t13->hrr && ep->t13->psk_len > 0;
}

gboolean
tls13_psk_send_ticket (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  Tls13NewSessionTicket nst;
  guint8 nonce = 0, age_add[4];
  g_autoptr (TlsSession) s = tls_session_new ();
  TlsStep *step;

  /* 4.6.1: the nonce is "unique across all tickets issued on this
   * connection": this server issues one, numbered 0. */
  tls13_new_session_ticket_init (&nst);
  g_bytes_unref (nst.ticket_nonce);
  nst.ticket_nonce = g_bytes_new (&nonce, 1);
  s->version = TLS_VERSION_1_3;
  s->suite = ep->suite->id;
  tls13_derive_resumption_psk (ep->trace, ep->role, ep->suite->prf,
                               st->ks.resumption_master_secret, st->ks.res_master_step,
                               &nonce, 1, -1, s->master);
  s->created = ep->now;
  s->server_name = g_strdup (ep->sni);
  tls_rng_bytes (ep->cfg.rng, age_add, sizeof age_add);
  s->ticket_age_add = (guint32) age_add[0] << 24 | (guint32) age_add[1] << 16
                      | (guint32) age_add[2] << 8 | age_add[3];
  nst.ticket_lifetime = ticket_lifetime (ep);
  nst.ticket_age_add = s->ticket_age_add;
  nst.ticket = tls_ticket_seal (ep->cfg.ticket_keys, s, ep->cfg.rng);
  if (ep->cfg.max_early_data > 0)   /* 4.6.1: the ticket allows 0-RTT data */
    tls13_extensions_add_early_data_max (&nst.extensions, ep->cfg.max_early_data);
  if (ep->cfg.ticket_store != NULL)  /* single-use (8.1): outstanding until used */
    tls_ticket_store_add (ep->cfg.ticket_store, nst.ticket);
  step = tls_ep_send_message (ep, TLS_HS_NEW_SESSION_TICKET, "NewSessionTicket",
                              (TlsWriteFunc) tls13_new_session_ticket_write, &nst);
  tls_step_explain (step, ep->cfg.ticket_store != NULL
                          ? "RFC 8446, 4.6.1; RFC 8446, 2.2; RFC 8446, 8.1"
                          : "RFC 8446, 4.6.1; RFC 8446, 2.2", "%s%s",
                    _("After the client's Finished the server sends a ticket, encrypted under "
                      "its application traffic keys. ticket_lifetime says for how many seconds "
                      "the client may use it; ticket_age_add is a fresh random number the "
                      "client adds to the ticket's age, so that an onlooker cannot link the "
                      "two connections; the nonce makes this ticket's PSK differ from any "
                      "other ticket of this connection. The ticket itself is the PSK identity: "
                      "here the PSK, the cipher suite, the time of issue, the server name and "
                      "ticket_age_add, sealed with a key only this server has (AES-128-CBC and HMAC-SHA-256, the format of RFC 5077, "
                      "4), so the server keeps no state."),
                    ep->cfg.ticket_store != NULL
                    ? _(" Except one: this server's tickets are single-use (8.1), so it also "
                        "records the ticket among its outstanding ones, and removes it when a "
                        "client first resumes with it.")
                    : "");
  tls_ep_commit (ep, step);
  tls13_new_session_ticket_clear (&nst);
  return TRUE;
}
