/* tls-server.c — our TLS server, one teaching step at a time.
 *
 * Every choice the server makes is a decision step with the options, the
 * choice and why: the version, resumption (with the session cache as it
 * was), the cipher suite, and whether to cache the new session. */
#include <glib/gi18n-lib.h>
#include "tls-server.h"
#include "tls-alpn.h"
#include "tls-kx.h"
#include "tls-handshake.h"
#include "tls-extensions.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-server-hello.h"
#include "tls-msg-certificate.h"
#include "tls-msg-server-hello-done.h"
#include "tls-msg-client-key-exchange.h"
#include "tls-x509.h"
#include "tls-kx-rsa.h"
#include "tls-msg-certificate-request.h"
#include "tls-msg-server-key-exchange.h"
#include "tls-msg-new-session-ticket.h"
#include "tls-ticket.h"
#include "tls-msg-certificate-verify.h"
#include "tls13-downgrade.h"

#include <string.h>


void
tls_server_init (TlsEndpoint *ep)
{
  ep->state = 0;
}

static gboolean
read_client_hello (TlsEndpoint *ep)
{
  g_autoptr (TlsField) root = NULL;
  TlsUnit *u = tls_ep_expect (ep, TLS_HS_CLIENT_HELLO);
  TlsReader body;
  int err;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    {
      tls_client_hello_clear (&ep->ch);   /* the parser initializes it */
      err = tls_client_hello_parse (&body, &ep->ch);
    }
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_ep_fail (ep, err, _("the ClientHello could not be parsed (%s)"), tls_alert_name (err));
      tls_unit_free (u);
      return FALSE;
    }
  /* RFC 5246, 7.4.1.2: compression_methods MUST contain null. */
  if (!tls_client_hello_offers_compression (&ep->ch, 0))
    {
      tls_ep_fail (ep, TLS_ALERT_ILLEGAL_PARAMETER,
                   _("the ClientHello does not offer the null compression method, which every "
                     "client MUST offer (RFC 5246, 7.4.1.2)"));
      tls_unit_free (u);
      return FALSE;
    }
  memcpy (ep->client_random, ep->ch.random, 32);
  ep->client_version = ep->ch.client_version;
  g_array_append_vals (ep->offered_suites, ep->ch.cipher_suites->data, ep->ch.cipher_suites->len);
  ep->sni = tls_extensions_get_server_name (&ep->ch.extensions);
  ep->offered_ems = tls_extensions_has (&ep->ch.extensions, TLS_EXT_EXTENDED_MASTER_SECRET);
  tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                             _("The client opens the handshake: its highest version, 32 random "
                               "bytes, a session ID to resume (or none), the cipher suites it "
                               "accepts and its extensions."),
                             "RFC 5246, 7.4.1.2");
  ep->client_hello_step = ep->cfg.record_received ? (int) tls_trace_len (ep->trace) - 1
                          : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "ClientHello");
  tls_unit_free (u);
  return TRUE;
}

static gboolean
has_identities (TlsEndpoint *ep)
{
  return ep->cfg.more_identities && ep->cfg.more_identities->len > 0;
}

/* Server name indication (RFC 6066, 3): with several certificates, the one
 * whose names match the client's server_name. */
static gboolean
decide_certificate (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Certificate for server_name"));
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  g_autoptr (GPtrArray) chains = g_ptr_array_new ();
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  int pick = -1;

  g_ptr_array_add (chains, ep->cfg.chain);
  g_ptr_array_add (keys, ep->cfg.key);
  for (guint i = 0; i < ep->cfg.more_identities->len; i++)
    {
      TlsIdentity *id = g_ptr_array_index (ep->cfg.more_identities, i);
      g_ptr_array_add (chains, id->chain);
      g_ptr_array_add (keys, id->key);
    }
  tls_step_add_text_input (step, "ClientHello server_name", ep->sni ? ep->sni : _("(not sent)"),
                           ep->client_hello_step, NULL);
  for (guint i = 0; i < chains->len; i++)
    {
      TlsCertificate *leaf = g_ptr_array_index ((GPtrArray *) g_ptr_array_index (chains, i), 0);
      const char * const *dns = tls_certificate_get_dns_names (leaf);
      g_autofree char *names = dns ? g_strjoinv (", ", (char **) dns) : g_strdup (tls_certificate_get_subject (leaf));
      g_autofree char *key = tls_certificate_describe_key (leaf);

      tls_step_add_option (step, "%s (%s)", names, key);
      if (pick < 0 && ep->sni && tls_verify_host (leaf, ep->sni, NULL))
        pick = (int) i;
    }
  if (pick < 0)
    {
      pick = 0;
      tls_step_set_reason (step, ep->sni ? _("no certificate names “%s”: the first one is the default")
                                         : _("the client sent no server_name: the first certificate is "
                                             "the default%s"), ep->sni ? ep->sni : "");
    }
  else
    tls_step_set_reason (step, _("certificate %d names “%s”"), pick + 1, ep->sni);
  step->choice = g_strdup (g_ptr_array_index (step->options, pick));
  step->chosen_option = pick;
  tls_step_explain (step, "RFC 6066, 3",
                    _("One server may host several names, each with its own certificate. The client "
                      "says which name it wants in the server_name extension, in the clear, before "
                      "any certificate is sent, so the server can pick the right one."));
  tls_ep_commit (ep, step);
  ep->cfg.chain = g_ptr_array_index (chains, pick);   /* borrowed, like the rest of cfg */
  ep->cfg.key = g_ptr_array_index (keys, pick);
  return TRUE;
}

static gboolean
decide_version (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Protocol version"));
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  guint16 cv = ep->client_version;
  /* A server that speaks TLS 1.3 is here for a ClientHello without TLS 1.3
   * in supported_versions: the version comes from that extension when it
   * is there (RFC 8446, 4.2.1; D.2), and is at most TLS 1.2. */
  guint16 listed = ep->cfg.max_version >= TLS_VERSION_1_3
                   ? tls13_listed_version (&ep->ch, TLS_VERSION_1_2) : 0;
  guint16 top = MIN (ep->cfg.max_version, TLS_VERSION_1_2);

  for (guint16 v = ep->cfg.max_version; v >= ep->cfg.min_version; v--)
    tls_step_add_option (step, "%s (0x%04x)", tls_version_name (v), v);
  tls_step_add_text_input (step, "ClientHello.client_version", tls_version_name (cv),
                           ep->client_hello_step, _("the highest version the client speaks"));
  tls_step_explain (step, "RFC 5246, E.1",
                    _("The client's version is the one it wants to use, normally its highest "
                      "(RFC 5246, 7.4.1.2); the server answers with the highest version it "
                      "supports that is not greater than the client's: the lower of the client's "
                      "version and its own highest."));
  if (listed != 0)
    {
      cv = listed;
      tls_step_add_text_input (step, "ClientHello supported_versions", tls_version_name (listed),
                               ep->client_hello_step,
                               _("the highest version up to TLS 1.2 the client lists"));
      tls_step_explain (step, "RFC 8446, 4.2.1; RFC 8446, D.2",
                        _("This server speaks TLS 1.3, and the client's supported_versions does "
                          "not list it. With that extension in the ClientHello the server must "
                          "ignore legacy_version and select a version the extension lists: here "
                          "the highest one up to TLS 1.2."));
    }
  else if (ep->cfg.max_version >= TLS_VERSION_1_3 && tls13_lists_versions (&ep->ch))
    {
      /* RFC 8446, 4.2.1: with supported_versions, servers "MUST use only
       * the "supported_versions" extension to determine client
       * preferences", "MUST only select a version of TLS present in that
       * extension and MUST ignore any unknown versions".  Nothing there
       * is one we speak (GREASE, drafts): no version to select, which
       * D.2 answers with protocol_version when the extension is absent;
       * legacy_version may not be used instead. */
      step->choice = g_strdup (_("none"));
      tls_step_add_text_input (step, "ClientHello supported_versions", _("no known version"),
                               ep->client_hello_step,
                               _("every version the client lists is one this server does not "
                                 "know"));
      tls_step_explain (step, "RFC 8446, 4.2.1; RFC 8446, D.2",
                        _("With supported_versions in the ClientHello the server must use only "
                          "that extension to find the client's versions, select one it lists and "
                          "ignore those it does not know; legacy_version no longer counts. Here "
                          "nothing is left to select, so the handshake ends with "
                          "protocol_version, the alert D.2 names when the client's versions and "
                          "the server's do not meet."));
      tls_step_set_reason (step, _("the client's supported_versions lists no version this server "
                                   "knows, and legacy_version (%s) may not be used instead"),
                           tls_version_name (cv));
      tls_ep_commit (ep, step);
      tls_ep_fail (ep, TLS_ALERT_PROTOCOL_VERSION, "%s", step->reason);
      return FALSE;
    }
  if (tls_client_hello_offers_suite (&ep->ch, TLS_FALLBACK_SCSV) && cv < ep->cfg.max_version)
    {
      /* RFC 7507, 3: "If TLS_FALLBACK_SCSV appears in ClientHello.cipher_suites
       * and the highest protocol version supported by the server is higher
       * than the version indicated in ClientHello.client_version, the server
       * MUST respond with a fatal inappropriate_fallback alert". */
      step->choice = g_strdup (_("none: refuse the downgrade"));
      tls_step_explain (step, "RFC 7507, 3; RFC 5246, E.1",
                        _("A client that retries a handshake with a lower version than it speaks "
                          "adds TLS_FALLBACK_SCSV to its cipher suites. \"If TLS_FALLBACK_SCSV "
                          "appears in ClientHello.cipher_suites and the highest protocol version "
                          "supported by the server is higher than the version indicated in "
                          "ClientHello.client_version, the server MUST respond with a fatal "
                          "inappropriate_fallback alert\": an attacker who broke the first attempt "
                          "to force a weaker version is caught."));
      tls_step_set_reason (step, _("the client signals a fallback (TLS_FALLBACK_SCSV) to %s, but this "
                                   "server speaks %s: someone may have broken the first attempt to "
                                   "force a weaker version"),
                           tls_version_name (cv), tls_version_name (ep->cfg.max_version));
      tls_ep_commit (ep, step);
      tls_ep_fail (ep, TLS_ALERT_INAPPROPRIATE_FALLBACK, "%s", step->reason);
      return FALSE;
    }
  if (cv < ep->cfg.min_version)
    {
      step->choice = g_strdup (_("none"));
      tls_step_set_reason (step, _("the client speaks at most %s, below the lowest version this "
                                   "server accepts (%s)"),
                           tls_version_name (cv), tls_version_name (ep->cfg.min_version));
      tls_ep_commit (ep, step);
      tls_ep_fail (ep, TLS_ALERT_PROTOCOL_VERSION, "%s", step->reason);
      return FALSE;
    }
  ep->version = MIN (cv, top);
  ep->record_version = ep->version;
  step->choice = g_strdup_printf ("%s (0x%04x)", tls_version_name (ep->version), ep->version);
  step->chosen_option = ep->cfg.max_version - ep->version;
  if (ep->version == cv)
    tls_step_set_reason (step, _("the client's highest version, %s, is one this server speaks"),
                         tls_version_name (cv));
  else
    tls_step_set_reason (step, _("the client speaks up to %s, the server only up to %s"),
                         tls_version_name (cv), tls_version_name (top));
  tls_ep_commit (ep, step);
  return TRUE;
}

static gboolean
offered (TlsEndpoint *ep, guint16 suite)
{
  for (guint i = 0; i < ep->offered_suites->len; i++)
    if (g_array_index (ep->offered_suites, guint16, i) == suite)
      return TRUE;
  return FALSE;
}

/* Why the session S cannot be resumed on this connection (NULL: it can).
 * *ABORT: the handshake must end instead (RFC 7627, 5.3). */
static char *
resume_refusal (TlsEndpoint *ep, const TlsSession *s, gboolean *abort)
{
  *abort = FALSE;
  if (s->version != ep->version)
    return g_strdup_printf (_("the session was made with %s and this connection uses %s"),
                            tls_version_name (s->version), tls_version_name (ep->version));
  if (!offered (ep, s->suite))
    return g_strdup (_("the client no longer offers the session's cipher suite; a session must "
                       "be resumed with the suite it was made with"));
  if (s->extended_master_secret && !ep->offered_ems)
    {
      *abort = TRUE;
      return g_strdup (_("the session used the extended master secret but this ClientHello does "
                         "not offer it (RFC 7627, 5.3)"));
    }
  if (!s->extended_master_secret && ep->offered_ems && !ep->cfg.no_ems)
    return g_strdup (_("the session was made without the extended master secret, and the client "
                       "now offers it (RFC 7627, 5.3)"));
  if (g_strcmp0 (s->server_name, ep->sni) != 0)
    return g_strdup_printf (_("the session was made for server name “%s”, this ClientHello asks "
                              "for “%s” (RFC 6066, 3)"),
                            s->server_name ? s->server_name : "", ep->sni ? ep->sni : "");
  return NULL;
}

static gboolean
decide_resumption (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Resume the session?"));
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  TlsSessionCache *cache = ep->cfg.cache;
  const TlsSession *s = NULL;
  TlsCacheLookup lookup = TLS_CACHE_MISS;
  g_autofree char *id_hex = tls_hex (ep->ch.session_id, ep->ch.session_id_len);
  g_autofree char *ticket_note = NULL;
  g_autofree char *refusal = NULL;
  g_autoptr (GBytes) ticket = tls_extensions_get_session_ticket (&ep->ch.extensions);
  gboolean abort = FALSE;

  tls_step_add_input (step, "ClientHello.session_id", ep->ch.session_id, ep->ch.session_id_len,
                      ep->client_hello_step, ep->ch.session_id_len ? NULL : _("empty"));
  if (tls_extensions_has (&ep->ch.extensions, TLS_EXT_SESSION_TICKET))
    tls_step_explain (step, "RFC 5246, 7.4.1.2; RFC 5077, 3.4",
                      _("A client can ask to resume a session in two ways: with a session ticket "
                        "(the server's own sealed copy of the session, RFC 5077) or with a session ID "
                        "that the server looks up in its cache. If the server accepts, it answers "
                        "with the client's session ID and both sides go straight to "
                        "ChangeCipherSpec and Finished (Fig. 2); otherwise a full handshake follows."));
  else
    tls_step_explain (step, "RFC 5246, 7.4.1.2",
                      _("A client asks to resume a session by sending its session ID, which the "
                        "server looks up in its cache. If the server accepts, it answers with the "
                        "same session ID and both sides go straight to ChangeCipherSpec and "
                        "Finished (Fig. 2); otherwise a full handshake follows."));

  /* The cache as it is before the lookup: each entry is an option; the
   * one the ClientHello's session ID names is marked. */
  if (cache)
    for (guint i = 0; i < tls_session_cache_len (cache); i++)
      {
        const TlsSession *e = tls_session_cache_nth (cache, i);
        if (ep->ch.session_id_len && e->id_len == ep->ch.session_id_len
            && memcmp (e->id, ep->ch.session_id, e->id_len) == 0)
          step->chosen_option = (int) i;
        g_autofree char *h = tls_hex (e->id, e->id_len);
        const TlsSuite *su = tls_suite_by_id (e->suite);
        tls_step_add_option (step, _("cache entry %u: %.16s…  %s  %s  made %lld s ago"),
                             i + 1, h, tls_version_name (e->version), su ? su->name : "?",
                             (long long) (ep->now - e->created));
      }

  /* 1. A session ticket (RFC 5077, 3.1). */
  if (ticket && g_bytes_get_size (ticket) > 0)
    {
      g_autofree char *why = NULL;
      TlsSession *ts = NULL;

      tls_step_add_input (step, "session_ticket", g_bytes_get_data (ticket, NULL),
                          g_bytes_get_size (ticket), ep->client_hello_step, NULL);
      if (ep->cfg.ticket_keys == NULL)
        ticket_note = g_strdup (_("the client sent a ticket, but this server does not use tickets"));
      else if (tls_ticket_open (ep->cfg.ticket_keys, g_bytes_get_data (ticket, NULL),
                                g_bytes_get_size (ticket), ep->now, ep->cfg.ticket_lifetime,
                                &ts, &why) != 0)
        ticket_note = g_strdup_printf (_("ticket refused: %s"), why ? why : "");
      else if ((refusal = resume_refusal (ep, ts, &abort)) != NULL)
        ticket_note = g_strdup_printf (_("the ticket is sound, but %s"), refusal);
      else
        {
          ep->ticket_session = ts;
          ts = NULL;
          ep->resumed = TRUE;
          ep->resumed_by_ticket = TRUE;
          ep->resume_hit = ep->ticket_session;
          step->choice = g_strdup (_("resume by session ticket (abbreviated handshake)"));
          tls_step_set_reason (step, _("the ticket opens with this server's ticket key, its MAC is "
                                       "right, it is %lld s old, and the session fits "
                                       "this connection: no cache lookup was needed"),
                               (long long) (ep->now - ep->ticket_session->created));
        }
      tls_session_free (ts);
      g_clear_pointer (&refusal, g_free);
    }

  /* 2. The session ID, looked up in the cache. */
  if (!ep->resumed && !abort)
    {
      const char *prefix = ticket_note ? ticket_note : NULL;
      g_autofree char *why = NULL;

      if (ep->ch.session_id_len == 0)
        why = g_strdup (_("empty session ID: the client has no session to resume, nothing to look up"));
      else if (cache == NULL)
        why = g_strdup_printf (_("this server keeps no session cache, so it cannot resume %.16s…"), id_hex);
      else if ((lookup = tls_session_cache_lookup (cache, ep->ch.session_id, ep->ch.session_id_len,
                                                   ep->now, &s)) == TLS_CACHE_EXPIRED)
        why = g_strdup_printf (_("session %.16s… was in the cache but has expired (older than "
                                 "%lld s) and was removed"),
                               id_hex, (long long) tls_session_cache_lifetime (cache));
      else if (lookup == TLS_CACHE_MISS)
        why = g_strdup_printf (_("cache miss: no session %.16s… in the cache"), id_hex);
      else if ((refusal = resume_refusal (ep, s, &abort)) != NULL)
        why = g_strdup_printf (_("found, but %s"), refusal);
      else
        {
          ep->resumed = TRUE;
          ep->resume_hit = s;
          step->choice = g_strdup_printf (_("resume session %.16s… by session ID (abbreviated handshake)"),
                                          id_hex);
          why = g_strdup_printf (_("cache hit: the session is %lld s old, made with "
                                   "the same version, and the client still offers its cipher suite"),
                                 (long long) (ep->now - s->created));
        }
      if (abort)
        step->choice = g_strdup (_("abort"));
      else if (!ep->resumed)
        step->choice = g_strdup (_("full handshake"));
      tls_step_set_reason (step, "%s%s%s", prefix ? prefix : "", prefix ? "; " : "", why);
    }
  tls_ep_commit (ep, step);
  if (abort)
    {
      tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE, "%s", step->reason);
      return FALSE;
    }

  if (ep->resumed)
    {
      const TlsSession *hit = ep->resume_hit;
      ep->suite = tls_suite_by_id (hit->suite);
      ep->ems = hit->extended_master_secret;
      memcpy (ep->master, hit->master, 48);
      /* Echo the client's session ID (RFC 5077, 3.4 for tickets). */
      memcpy (ep->session_id, ep->ch.session_id, ep->ch.session_id_len);
      ep->session_id_len = ep->ch.session_id_len;
      ep->master_step = tls_trace_find (ep->trace, TLS_STEP_DERIVATION,
                                        hit->extended_master_secret ? TLS_STEP_TITLE_EXTENDED_MASTER
                                                                    : TLS_STEP_TITLE_MASTER_SECRET);
    }
  return TRUE;
}

static const char *
our_key_name (TlsEndpoint *ep)
{
  if (ep->cfg.static_dh)
    return "DH";
  if (ep->cfg.chain && ep->cfg.chain->len)
    return tls_pk_alg_name (tls_certificate_get_key_type (g_ptr_array_index (ep->cfg.chain, 0)));
  return "no";
}

/* The group for an (EC)DHE suite: ours in our order that the client lists
 * in supported_groups (RFC 8422, 5.1.1; RFC 7919, 4).  0 if none. */
/* The server's groups in its order of preference: the configuration's
 * (a scenario's server-groups), or all of ours. */
static const guint16 *
server_groups (TlsEndpoint *ep, guint *n)
{
  if (ep->cfg.groups != NULL && ep->cfg.groups->len > 0)
    {
      *n = ep->cfg.groups->len;
      return (const guint16 *) ep->cfg.groups->data;
    }
  return tls_kx_our_groups (n);
}

static guint16
common_group (TlsEndpoint *ep, gboolean ecdh)
{
  g_autoptr (GArray) theirs = tls_extensions_get_supported_groups (&ep->ch.extensions);
  guint n;
  const guint16 *ours = server_groups (ep, &n);

  for (guint i = 0; i < n; i++)
    {
      gboolean is_ec = tls_ecdh_group_supported (ours[i]);
      if (is_ec != ecdh)
        continue;
      if (theirs == NULL)
        /* No extension: any curve (RFC 8422, 4) — P-256 — or, for DHE, our
         * default group (RFC 7919: the server picks). */
        return ecdh ? TLS_GROUP_SECP256R1 : TLS_GROUP_FFDHE2048;
      for (guint k = 0; k < theirs->len; k++)
        if (g_array_index (theirs, guint16, k) == ours[i])
          return ours[i];
    }
  /* A client that lists no FFDHE group still gets DHE with our default
   * group (before RFC 7919 the server always chose). */
  return ecdh ? 0 : TLS_GROUP_FFDHE2048;
}

/* Can our certificate serve SUITE's key exchange? */
static gboolean
fits_our_key (TlsEndpoint *ep, const TlsSuite *suite)
{
  TlsPkAlg need, signer_need;
  guint usage;
  TlsCertificate *leaf;

  if (ep->cfg.chain == NULL || ep->cfg.chain->len == 0)
    return FALSE;
  tls_verify_kx_needs (suite->kx, &need, &usage, &signer_need);
  leaf = g_ptr_array_index (ep->cfg.chain, 0);
  if (tls_certificate_get_key_type (leaf) != need)
    return FALSE;
  if (need == TLS_PK_DH && ep->cfg.static_dh == NULL)
    return FALSE;
  /* DH_RSA / DH_DSS: the certificate is signed with RSA / DSA. */
  if (signer_need != TLS_PK_UNKNOWN
      && tls_sig_alg_key_type (tls_certificate_get_signature_algorithm (leaf)) != signer_need)
    return FALSE;
  if (tls_kx_is_ecdh (suite->kx) && common_group (ep, TRUE) == 0)
    return FALSE;
  return TRUE;
}

static gboolean
decide_suite (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Cipher suite"));
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  g_autoptr (GArray) ours = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_autoptr (GString) accepted = g_string_new (NULL);

  if (ep->cfg.suites && ep->cfg.suites->len)
    g_array_append_vals (ours, ep->cfg.suites->data, ep->cfg.suites->len);
  else
    {
      guint n;
      const TlsSuite **all = tls_suite_all (&n);
      for (guint i = 0; i < n; i++)
        if (!all[i]->legacy)
          g_array_append_val (ours, all[i]->id);
    }
  for (guint i = 0; i < ep->offered_suites->len; i++)
    {
      g_autofree char *name = tls_suite_describe (g_array_index (ep->offered_suites, guint16, i));
      tls_step_add_option (step, "%s", name);
    }
  for (guint i = 0; i < ours->len; i++)
    {
      const TlsSuite *s = tls_suite_by_id (g_array_index (ours, guint16, i));
      if (fits_our_key (ep, s))
        g_string_append_printf (accepted, "%s%s", accepted->len ? ", " : "", s->name);
    }
  tls_step_add_text_input (step, N_("server accepts (in its order of preference)"), accepted->str, -1, NULL);
  /* The quoted sentence is in 7.4.1.2 (the ClientHello's cipher suite
   * list); the choice itself is ServerHello.cipher_suite, 7.4.1.3. */
  tls_step_explain (step, "RFC 5246, 7.4.1.3; RFC 5246, 7.4.1.2",
                    _("The server selects one cipher suite from the client's list: here, the first "
                      "one in the server's own order of preference that the client offered, that "
                      "fits the version and that its certificate can serve (an RSA certificate for "
                      "RSA, DHE_RSA and ECDHE_RSA; DSA for DHE_DSS; ECDSA for ECDHE_ECDSA). \"If no "
                      "acceptable choices are presented, return a handshake failure alert and close "
                      "the connection.\""));
  for (guint i = 0; i < ours->len; i++)
    {
      const TlsSuite *s = tls_suite_by_id (g_array_index (ours, guint16, i));
      if (s && offered (ep, s->id) && tls_suite_usable (s, ep->version) && fits_our_key (ep, s))
        {
          ep->suite = s;
          break;
        }
    }
  if (ep->suite == NULL)
    {
      step->choice = g_strdup (_("none"));
      tls_step_set_reason (step, _("no suite the client offered is one this server accepts at %s "
                                   "with its %s certificate"),
                           tls_version_name (ep->version), our_key_name (ep));
      tls_ep_commit (ep, step);
      tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE, "%s", step->reason);
      return FALSE;
    }
  step->choice = g_strdup (ep->suite->name);
  for (guint i = 0; i < ep->offered_suites->len; i++)
    if (g_array_index (ep->offered_suites, guint16, i) == ep->suite->id)
      {
        step->chosen_option = (int) i;
        break;
      }
  tls_step_set_reason (step, _("the server's most preferred suite that the client also offered: "
                               "%s key exchange, %s, %s"),
                       tls_kx_name (ep->suite->kx), tls_cipher_info (ep->suite->cipher)->name,
                       tls_mac_info (ep->suite->mac)->name);
  tls_ep_commit (ep, step);
  ep->ems = ep->offered_ems && !ep->cfg.no_ems;
  if (ep->suite->kx == TLS_KX_DH_RSA || ep->suite->kx == TLS_KX_DH_DSS)
    ep->dh_key = ep->cfg.static_dh;   /* historical: the key is in the certificate */
  return TRUE;
}

static gboolean sends_ticket (TlsEndpoint *ep);

static gboolean
send_server_hello (TlsEndpoint *ep)
{
  TlsServerHello sh;
  TlsStep *step;
  gboolean point_formats;
  const guint8 *sentinel;
  gboolean clock = ep->cfg.max_version < TLS_VERSION_1_3;
  g_autofree char *base = NULL;
  g_autoptr (GString) text = NULL;
  g_autoptr (GString) rfc = g_string_new ("RFC 5246, 7.4.1.3");

  tls_server_hello_init (&sh);
  sh.server_version = ep->version;
  tls_rng_bytes (ep->cfg.rng, ep->server_random, 32);
  /* gmt_unix_time (RFC 5246, 7.4.1.2), but not from a server that speaks
   * TLS 1.3: its random is 32 random bytes but for the sentinel, whatever
   * the version ("the remaining bytes MUST be random", RFC 8446, 4.1.3). */
  for (int i = 0; clock && i < 4; i++)
    ep->server_random[i] = (guint8) ((guint64) ep->now >> (24 - 8 * i));
  /* RFC 8446, 4.1.3: the downgrade sentinel (tls13-downgrade.c) of a
   * server that speaks TLS 1.3 negotiating TLS 1.2 or below, or of a TLS 1.2
   * server negotiating TLS 1.1 or below. */
  sentinel = tls13_downgrade_sentinel_for (ep->cfg.max_version, ep->version);
  if (sentinel)
    memcpy (ep->server_random + 24, sentinel, 8);
  memcpy (sh.random, ep->server_random, 32);
  if (!ep->resumed)
    {
      /* A new session: a fresh ID if we will cache it, else an empty one
       * ("the server may return an empty session_id to indicate that the
       * session will not be cached", RFC 5246, 7.4.1.3). */
      ep->session_id_len = ep->cfg.cache ? 32 : 0;
      if (ep->session_id_len)
        tls_rng_bytes (ep->cfg.rng, ep->session_id, 32);
    }
  memcpy (sh.session_id, ep->session_id, ep->session_id_len);
  sh.session_id_len = ep->session_id_len;
  sh.cipher_suite = ep->suite->id;
  sh.compression_method = 0;

  if (ep->sni && !ep->resumed)
    tls_extensions_add_server_name (&sh.extensions, NULL);
  if (ep->ems)
    tls_extensions_add_extended_master_secret (&sh.extensions);
  if (sends_ticket (ep))
    tls_extensions_add_session_ticket (&sh.extensions, NULL);
  /* RFC 7366, 3: encrypt-then-MAC only for block ciphers. */
  ep->etm = !ep->cfg.no_etm && tls_extensions_has (&ep->ch.extensions, TLS_EXT_ENCRYPT_THEN_MAC)
            && tls_cipher_info (ep->suite->cipher)->type == TLS_CIPHER_TYPE_BLOCK;
  if (ep->etm)
    tls_extensions_add_encrypt_then_mac (&sh.extensions);
  if (ep->alpn != NULL)
    tls_extensions_add_alpn (&sh.extensions, (const char *const[]) { ep->alpn, NULL });
  if (tls_extensions_has (&ep->ch.extensions, TLS_EXT_RENEGOTIATION_INFO)
      || tls_client_hello_offers_suite (&ep->ch, TLS_EMPTY_RENEGOTIATION_INFO_SCSV))
    tls_extensions_add_renegotiation_info (&sh.extensions, NULL, 0);
  /* RFC 8422, 5.2: "The Supported Point Formats Extension is included in
   * a ServerHello message in response to a ClientHello message containing
   * the Supported Point Formats Extension when negotiating an ECC cipher
   * suite"; 5.1.2: uncompressed is the only format. */
  point_formats = tls_kx_is_ecdh (ep->suite->kx)
                  && tls_extensions_has (&ep->ch.extensions, TLS_EXT_EC_POINT_FORMATS);
  if (point_formats)
    {
      static const guint8 uncompressed = 0;
      tls_extensions_add_ec_point_formats (&sh.extensions, &uncompressed, 1);
    }

  step = tls_ep_send_message (ep, TLS_HS_SERVER_HELLO, "ServerHello",
                              (TlsWriteFunc) tls_server_hello_write, &sh);
  ep->server_hello_step = step->index;
  if (ep->resumed)
    base = g_strdup (_("The server echoes the client's session ID: the session is resumed. It "
                       "still sends fresh random bytes, so the new keys differ from the old "
                       "ones although the master secret is the same."));
  else if (!clock)
    base = g_strdup (ep->session_id_len
                     ? _("The server answers with the version and the cipher suite it chose, its "
                         "own 32 random bytes (no time in them: this server speaks TLS 1.3, whose "
                         "random is random but for the sentinel) and a new session ID: it will "
                         "keep this session in its cache under that ID, so that the client can "
                         "resume it later.")
                     : _("The server answers with the version and the cipher suite it chose, its "
                         "own 32 random bytes (no time in them: this server speaks TLS 1.3, whose "
                         "random is random but for the sentinel) and an empty session ID: it will "
                         "not cache this session, so it cannot be resumed by ID."));
  else if (ep->session_id_len)
    base = g_strdup (_("The server answers with the version and the cipher suite it chose, its "
                       "own 32 random bytes (the first 4 are the time) and a new session ID: "
                       "it will keep this session in its cache under that ID, so that the "
                       "client can resume it later."));
  else
    base = g_strdup (_("The server answers with the version and the cipher suite it chose, its "
                       "own 32 random bytes (the first 4 are the time) and an empty session ID: "
                       "it will not cache this session, so it cannot be resumed by ID."));
  text = g_string_new (base);
  if (point_formats)
    {
      /* RFC 8422, 5.2 (when the server sends it); 5.1.2 (uncompressed only). */
      g_string_append_printf (text, " %s",
                              _("The client listed ec_point_formats and the chosen suite uses "
                                "elliptic curves, so the server answers with its own "
                                "ec_point_formats, which lists uncompressed (0) only."));
      g_string_append (rfc, "; RFC 8422, 5.2");
    }
  if (sentinel && ep->cfg.max_version >= TLS_VERSION_1_3)
    {
      g_autofree char *more = tls13_downgrade_server_text (ep->version);

      g_string_append_printf (text, " %s", more);
      g_string_append (rfc, "; RFC 8446, 4.1.3");
    }
  else if (sentinel)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              _("This server speaks TLS 1.2 but negotiated %s, so the last 8 "
                                "bytes of its random are 44 4F 57 4E 47 52 44 00 (\"DOWNGRD\" "
                                "then 00): they tell a client that offered TLS 1.2 that this "
                                "server could have spoken it, and such a client should check "
                                "for them and, finding them, must abort with "
                                "illegal_parameter. RFC 8446 "
                                "defines the value ending in 01 for a TLS 1.3 server negotiating "
                                "TLS 1.2 and the one ending in 00 for TLS 1.1 or below; this "
                                "server speaks at most TLS 1.2, so only the one ending in 00 is "
                                "its to send."),
                              tls_version_name (ep->version));
      g_string_append (rfc, "; RFC 8446, 4.1.3");
    }
  tls_step_explain (step, rfc->str, "%s", text->str);
  tls_ep_commit (ep, step);
  tls_server_hello_clear (&sh);
  return TRUE;
}

static gboolean
send_certificate (TlsEndpoint *ep)
{
  TlsCertificateMsg cm;
  TlsStep *step;

  tls_certificate_msg_init (&cm);
  for (guint i = 0; ep->cfg.chain && i < ep->cfg.chain->len; i++)
    tls_certificate_msg_add (&cm, tls_certificate_get_der (g_ptr_array_index (ep->cfg.chain, i)));
  step = tls_ep_send_message (ep, TLS_HS_CERTIFICATE, "Certificate",
                              (TlsWriteFunc) tls_certificate_msg_write, &cm);
  ep->certificate_step = step->index;
  for (guint i = 0; ep->cfg.chain && i < ep->cfg.chain->len; i++)
    {
      TlsCertificate *c = g_ptr_array_index (ep->cfg.chain, i);
      g_autofree char *name = g_strdup_printf ("certificate [%u]", i);
      tls_step_add_text_input (step, name, tls_certificate_get_subject (c), -1,
                               i == 0 ? _("the server's own certificate") : _("certifies the one before"));
    }
  tls_step_explain (step, "RFC 5246, 7.4.2",
                    _("The server sends its certificate chain: its own certificate first, each "
                      "following one certifying the one before it. The root may be left out: the "
                      "client must already have it to trust it. %s"),
                    tls_kx_certificate_key_use (ep->suite->kx));
  tls_ep_commit (ep, step);
  tls_certificate_msg_clear (&cm);
  return TRUE;
}

/* struct { } ServerHelloDone;  (RFC 5246, 7.4.5) */
static void
write_server_hello_done (TlsWriter *w, gconstpointer msg)
{
  tls_server_hello_done_write (w);
}

static gboolean
send_server_hello_done (TlsEndpoint *ep)
{
  TlsStep *step;

  step = tls_ep_send_message (ep, TLS_HS_SERVER_HELLO_DONE, "ServerHelloDone",
                              write_server_hello_done, NULL);
  tls_step_explain (step, "RFC 5246, 7.4.5",
                    _("An empty message: the server has sent everything for its part of the key "
                      "exchange. The client now checks the certificate and answers."));
  tls_ep_commit (ep, step);
  return TRUE;
}

static gboolean
read_client_key_exchange (TlsEndpoint *ep)
{
  TlsClientKeyExchange cke_msg = { 0 }, *cke = &cke_msg;
  g_autoptr (TlsField) root = NULL;
  TlsUnit *u = tls_ep_expect (ep, TLS_HS_CLIENT_KEY_EXCHANGE);
  TlsReader body;
  int err;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls_client_key_exchange_parse (&body, cke, ep->suite->kx);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_ep_fail (ep, err, _("the ClientKeyExchange could not be parsed (%s)"), tls_alert_name (err));
      tls_client_key_exchange_clear (cke);
      tls_unit_free (u);
      return FALSE;
    }
  ep->exchange_keys = g_bytes_ref (cke->exchange_keys);
  tls_client_key_exchange_clear (cke);
  /* what the message carries depends on the suite's key exchange */
  if (tls_kx_is_ecdh (ep->suite->kx))
    tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                               _("The client's key exchange: its ephemeral elliptic-curve public "
                                 "key; with the server's key it gives both sides the pre-master "
                                 "secret."),
                               "RFC 8422, 5.7");
  else if (tls_kx_is_ffdh (ep->suite->kx))
    tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                               _("The client's key exchange: its Diffie-Hellman public value Yc; "
                                 "with the server's value it gives both sides the pre-master "
                                 "secret."),
                               "RFC 5246, 7.4.7.2");
  else
    tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                               _("The client's key exchange: the pre-master secret, encrypted with "
                                 "this server's RSA public key."),
                               "RFC 5246, 7.4.7.1");
  ep->cke_step = ep->cfg.record_received ? (int) tls_trace_len (ep->trace) - 1
                 : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "ClientKeyExchange");
  ep->transcript_at_cke = tls_transcript_len (ep->transcript);
  tls_unit_free (u);
  return TRUE;
}

static gboolean
decrypt_premaster (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DERIVATION, ep->role, "pre_master_secret");
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  TlsRsaDecryptResult res = { 0 };
  gsize enc_len;
  const guint8 *enc = g_bytes_get_data (ep->exchange_keys, &enc_len);
  guint8 cv[2] = { ep->client_version >> 8, ep->client_version & 0xff };

  tls_rsa_decrypt_premaster (ep->cfg.key, ep->cfg.rng, enc, enc_len, ep->client_version,
                             ep->pms, &res);
  ep->pms_len = 48;
  step->formula = g_strdup (_("pre_master_secret = RSA-decrypt(server private key, "
                              "EncryptedPreMasterSecret)"));
  tls_step_add_input (step, "EncryptedPreMasterSecret", enc, enc_len, ep->cke_step, NULL);
  tls_step_add_input (step, "ClientHello.client_version", cv, 2, ep->client_hello_step,
                      _("must equal the first two bytes of the pre-master secret"));
  tls_step_add_output (step, "pre_master_secret", ep->pms, 48,
                       _("input of the master secret"));
  if (res.padding_ok && res.version_ok)
    tls_step_explain (step, "RFC 5246, 7.4.7.1",
                      _("The server decrypts the pre-master secret with its private key. The PKCS "
                        "#1 padding is sound and the first two bytes are the client_version of the "
                        "ClientHello, so no one rolled the version back."));
  else
    tls_step_explain (step, "RFC 5246, 7.4.7.1",
                      _("%s The server does NOT say so: it carries on with ClientHello.client_version "
                        "followed by 46 random bytes in place of the pre-master secret (RFC 5246, "
                        "7.4.7.1), so an attacker learns "
                        "nothing from how it reacts (Bleichenbacher's attack). The two sides now "
                        "hold different keys, and the handshake will fail at Finished. (This trace "
                        "shows it because it is a teaching tool; a real server reveals it to "
                        "no one.)%s"),
                      !res.padding_ok ? _("The decryption failed: the PKCS #1 padding is wrong.")
                                      : _("The padding is sound but the first two bytes are not the "
                                          "ClientHello's client_version: a possible version rollback."),
                      /* RFC 5246, 7.4.7.1: for a wrong version alone its recipe keeps
                       * M[2..47]; "In any case ... it MUST continue the handshake with a
                       * randomly generated premaster secret" allows randomising it. */
                      !res.padding_ok ? ""
                                      : _(" For a wrong version alone the RFC's recipe would keep "
                                          "the decrypted bytes, client_version followed by "
                                          "M[2..47], which the client's wrong version makes just "
                                          "as useless; this server replaces them with random "
                                          "bytes too, which the RFC allows: \"it MUST continue the "
                                          "handshake with a randomly generated premaster "
                                          "secret\"."));
  ep->pms_step = step->index;
  tls_ep_commit (ep, step);
  return TRUE;
}


static gboolean
cache_session (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Cache the session?"));
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  g_autofree char *id = tls_hex (ep->session_id, ep->session_id_len);

  tls_step_add_option (step, _("store it under its session ID"));
  tls_step_add_option (step, _("do not cache it"));
  tls_step_explain (step, "RFC 5246, F.1.4",
                    _("After a sound full handshake the server may keep the session (its master "
                      "secret, version and suite) so that the client can resume it later. The "
                      "cache is bounded; entries expire."));
  if (ep->cfg.cache && ep->session_id_len)
    {
      TlsSession *s = tls_session_new ();

      memcpy (s->id, ep->session_id, ep->session_id_len);
      s->id_len = ep->session_id_len;
      s->version = ep->version;
      s->suite = ep->suite->id;
      memcpy (s->master, ep->master, 48);
      s->extended_master_secret = ep->ems;
      s->created = ep->now;
      s->server_name = g_strdup (ep->sni);
      tls_session_cache_store (ep->cfg.cache, s);
      tls_session_free (ep->session);
      ep->session = s;
      step->choice = g_strdup_printf (_("stored under %.16s…"), id);
      step->chosen_option = 0;
      tls_step_set_reason (step, _("the client's Finished checked out; the cache now holds %u of at "
                                   "most %u sessions, each kept for %lld s"),
                           tls_session_cache_len (ep->cfg.cache),
                           tls_session_cache_capacity (ep->cfg.cache),
                           (long long) tls_session_cache_lifetime (ep->cfg.cache));
    }
  else
    {
      step->choice = g_strdup (_("not cached"));
      step->chosen_option = 1;
      tls_step_set_reason (step, _("this server keeps no session cache (its ServerHello carried an "
                                   "empty session ID)"));
    }
  tls_ep_commit (ep, step);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Ephemeral (EC)DH: the group, the key pair, ServerKeyExchange        */

static void
use_dh_group (TlsEndpoint *ep, const TlsDhGroup *g)
{
  guint8 gen = g->g;

  ep->dh_p = g_bytes_new_static (g->p, g->p_len);
  ep->dh_g = g_bytes_new (&gen, 1);
}

/* A server set to one DHE group, as servers were before RFC 7919 let the
 * client name the groups it accepts: the client's list is not consulted. */
static gboolean
decide_fixed_group (TlsEndpoint *ep, TlsStep *step, const TlsDhGroup *g)
{
  tls_step_add_option (step, "%s", g->name);
  step->chosen_option = (int) step->options->len - 1;
  step->choice = g_strdup (g->name);
  ep->group = g->named_group;
  if (g->named_group == 0)
    tls_step_set_reason (step, _("this server is set to use %s, a %u-bit group with no TLS group "
                                 "number, whatever the client lists"), g->name, g->bits);
  else
    tls_step_set_reason (step, _("this server is set to use %s (%u bits) whatever the client lists"),
                         g->name, g->bits);
  tls_step_explain (step, "RFC 5246, 7.4.3; RFC 7919, 1",
                    _("For DHE the server chooses the group (prime p and generator g) and sends it "
                      "whole in ServerKeyExchange. Before RFC 7919 the client had no say in it: "
                      "it could only check the group it was sent, and refuse it."));
  tls_ep_commit (ep, step);
  use_dh_group (ep, g);
  return TRUE;
}

static gboolean
decide_group (TlsEndpoint *ep)
{
  gboolean ecdh = tls_kx_is_ecdh (ep->suite->kx);
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Key exchange group"));
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  g_autoptr (GArray) theirs = tls_extensions_get_supported_groups (&ep->ch.extensions);
  g_autoptr (GString) listed = g_string_new (NULL);
  guint n;
  const guint16 *ours = server_groups (ep, &n);

  for (guint i = 0; i < n; i++)
    if (tls_ecdh_group_supported (ours[i]) == ecdh)
      tls_step_add_option (step, "%s", tls_extensions_group_name (ours[i]));
  for (guint k = 0; theirs && k < theirs->len; k++)
    g_string_append_printf (listed, "%s%s", k ? ", " : "",
                            tls_extensions_group_name (g_array_index (theirs, guint16, k)));
  tls_step_add_text_input (step, "ClientHello supported_groups",
                           theirs ? listed->str : _("(not sent)"), ep->client_hello_step, NULL);
  if (!ecdh && ep->cfg.dh_group != NULL && tls_dh_group_by_name (ep->cfg.dh_group) != NULL)
    return decide_fixed_group (ep, step, tls_dh_group_by_name (ep->cfg.dh_group));
  ep->group = common_group (ep, ecdh);
  if (ecdh && g_strcmp0 (ep->cfg.tamper, "server-invalid-point") == 0)
    ep->group = TLS_GROUP_SECP256R1;
  step->choice = g_strdup (tls_extensions_group_name (ep->group));
  for (guint i = 0, k = 0; i < n; i++)
    if (tls_ecdh_group_supported (ours[i]) == ecdh)
      {
        if (ours[i] == ep->group)
          step->chosen_option = (int) k;
        k++;
      }
  if (theirs && theirs->len && tls_ecdh_group_supported (ep->group) == ecdh)
    {
      gboolean listed_by_client = FALSE;
      for (guint k = 0; k < theirs->len; k++)
        listed_by_client |= g_array_index (theirs, guint16, k) == ep->group;
      tls_step_set_reason (step, listed_by_client
                           ? _("the server's most preferred group that the client also listed")
                           : _("the client lists no finite-field group this server knows, so it "
                               "uses its default, ffdhe2048 (RFC 7919)"));
    }
  else
    tls_step_set_reason (step, _("the client sent no supported_groups: the server chooses"));
  tls_step_explain (step, ecdh ? "RFC 8422, 5.1.1" : "RFC 7919, 4",
                    ecdh ? _("For ECDHE the client lists the curves it supports in supported_groups; "
                             "the server picks one and names it in ServerKeyExchange.")
                         : _("For DHE the server chooses the group (prime p and generator g) and "
                             "sends it whole in ServerKeyExchange; RFC 7919 lets the client list "
                             "the well-known groups it prefers."));
  tls_ep_commit (ep, step);
  if (!ecdh)
    use_dh_group (ep, tls_dh_group_by_id (ep->group));
  return TRUE;
}

static gboolean
make_server_key (TlsEndpoint *ep)
{
  return tls_ep_kx_make_key (ep);
}

/* TLS 1.2: which signature the ServerKeyExchange carries, from the
 * client's signature_algorithms (RFC 5246, 7.4.1.4.1 and 7.4.3). */
static gboolean
decide_signature (TlsEndpoint *ep)
{
  g_autoptr (GArray) sigalgs = tls_extensions_get_signature_algorithms (&ep->ch.extensions);

  return tls_ep_decide_sigalg (ep, sigalgs, "ClientHello signature_algorithms");
}

static gboolean
send_server_key_exchange (TlsEndpoint *ep)
{
  TlsServerKeyExchange ske = { 0 };
  g_autoptr (GBytes) signed_data = NULL;
  g_autoptr (GArray) sigalgs = tls_extensions_get_signature_algorithms (&ep->ch.extensions);
  TlsSigAlg alg = tls_ep_choose_sigalg (ep, ep->cfg.key->type, sigalgs);
  TlsStep *step;

  if (alg == TLS_SIG_ALG_UNKNOWN)
    {
      tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE,
                   _("the client accepts no signature algorithm this server's %s key can make"),
                   tls_pk_alg_name (ep->cfg.key->type));
      return FALSE;
    }
  ske.kx = ep->suite->kx;
  if (tls_kx_is_ecdh (ep->suite->kx))
    {
      ske.curve_type = 3;   /* named_curve */
      ske.namedcurve = ep->group;
      ske.point = tls_ep_kx_our_public (ep);
      if (g_strcmp0 (ep->cfg.tamper, "server-invalid-point") == 0)
        {
          /* FAULT INJECTED ON PURPOSE: the last byte of Y changed, so the
           * point is no longer on the curve (it is still signed). */
          gsize n;
          guint8 *pt = g_bytes_unref_to_data (ske.point, &n);
          pt[n - 1] ^= 0x01;
          ske.point = g_bytes_new_take (pt, n);
        }
    }
  else
    {
      ske.dh_p = g_bytes_ref (ep->dh_p);
      ske.dh_g = g_bytes_ref (ep->dh_g);
      ske.dh_Ys = tls_ep_kx_our_public (ep);
    }
  /* digitally-signed struct { client_random, server_random, params } */
  signed_data = tls_server_key_exchange_signed_data (&ske, ep->client_random, ep->server_random);
  if (!tls_ep_sign (ep, ep->cfg.key, alg, g_bytes_get_data (signed_data, NULL),
                    g_bytes_get_size (signed_data), "server-bad-ske-signature", &ske.signed_params))
    {
      tls_server_key_exchange_clear (&ske);
      return FALSE;
    }
  step = tls_ep_send_message (ep, TLS_HS_SERVER_KEY_EXCHANGE, "ServerKeyExchange",
                              (TlsWriteFunc) tls_server_key_exchange_write, &ske);
  ep->ske_step = step->index;
  tls_step_add_input (step, N_("signed data"), g_bytes_get_data (signed_data, NULL),
                      g_bytes_get_size (signed_data), -1,
                      _("client_random + server_random + the parameters"));
  tls_step_add_text_input (step, "signature algorithm", tls_sig_alg_name (alg), -1, NULL);
  if (g_strcmp0 (ep->cfg.tamper, "server-bad-ske-signature") == 0)
    tls_step_explain (step, "RFC 5246, 7.4.3",
                      _("FAULT INJECTED ON PURPOSE: one bit of this ServerKeyExchange's signature "
                        "was flipped after signing, so the client's signature check must fail."));
  else if (g_strcmp0 (ep->cfg.tamper, "server-invalid-point") == 0 && tls_kx_is_ecdh (ep->suite->kx))
    tls_step_explain (step, "RFC 5246, 7.4.3",
                      _("FAULT INJECTED ON PURPOSE: the last byte of the server's public point "
                        "was changed before signing, so the point is no longer on the curve; the "
                        "signature is valid, and the client's point check must catch it."));
  else
    tls_step_explain (step, "RFC 5246, 7.4.3",
                      _("The server sends its ephemeral public value and signs it, together with "
                        "both randoms, with the private key of its certificate. The signature ties "
                        "the fresh key to the certificate and to this handshake: a man in the "
                        "middle cannot swap in his own."));
  tls_ep_commit (ep, step);
  tls_server_key_exchange_clear (&ske);
  return TRUE;
}

/* Whether the client named the DHE group in use in supported_groups, so
 * that it was negotiated as RFC 7919 defines. */
static gboolean
client_listed_group (TlsEndpoint *ep)
{
  g_autoptr (GArray) theirs = tls_extensions_get_supported_groups (&ep->ch.extensions);

  for (guint k = 0; ep->group != 0 && theirs != NULL && k < theirs->len; k++)
    if (g_array_index (theirs, guint16, k) == ep->group)
      return TRUE;
  return FALSE;
}

static gboolean
derive_premaster (TlsEndpoint *ep)
{
  if (ep->suite->kx == TLS_KX_RSA)
    return decrypt_premaster (ep);
  if (ep->peer_public == NULL)
    ep->peer_public = g_bytes_ref (ep->exchange_keys);
  /* RFC 7919, 4: when the group was negotiated (the client listed it in
   * supported_groups), "If dh_Yc is out of range, the server MUST terminate
   * the connection with a fatal handshake_failure(40) alert."  Otherwise
   * the value is simply illegal: illegal_parameter. */
  return tls_ep_kx_shared (ep, ep->cke_step, client_listed_group (ep)
                                             ? TLS_ALERT_HANDSHAKE_FAILURE
                                             : TLS_ALERT_ILLEGAL_PARAMETER);
}

/* ------------------------------------------------------------------ */
/* Session tickets (RFC 5077)                                          */

/* A NewSessionTicket follows when the client offered the extension and
 * this server issues tickets: on a full handshake, or to renew a ticket
 * it accepted (RFC 5077, 3.1 and 3.3). */
static gboolean
sends_ticket (TlsEndpoint *ep)
{
  if (ep->cfg.ticket_keys == NULL
      || !tls_extensions_has (&ep->ch.extensions, TLS_EXT_SESSION_TICKET))
    return FALSE;
  return !ep->resumed || ep->resumed_by_ticket;
}

static gboolean
send_new_session_ticket (TlsEndpoint *ep)
{
  TlsNewSessionTicket nst = { 0 };
  TlsSession *s = tls_session_new ();
  TlsStep *step;

  s->version = ep->version;
  s->suite = ep->suite->id;
  memcpy (s->master, ep->master, 48);
  s->extended_master_secret = ep->ems;
  s->created = ep->now;
  s->server_name = g_strdup (ep->sni);
  nst.ticket_lifetime_hint = ep->cfg.ticket_lifetime;
  nst.ticket = tls_ticket_seal (ep->cfg.ticket_keys, s, ep->cfg.rng);
  step = tls_ep_send_message (ep, TLS_HS_NEW_SESSION_TICKET, "NewSessionTicket",
                              (TlsWriteFunc) tls_new_session_ticket_write, &nst);
  tls_step_add_text_input (step, "sealed state",
                           _("version, cipher suite, master secret, EMS flag, time, server name"),
                           ep->master_step, _("AES-128-CBC, then HMAC-SHA-256, with keys only this server has"));
  tls_step_explain (step, "RFC 5077, 3.3",
                    _("Instead of keeping the session in a cache, the server seals it (encrypts and "
                      "authenticates it with a key only it knows) and hands it to the client as a "
                      "ticket. To resume, the client sends the ticket back in its ClientHello; the "
                      "server opens it and needs no memory of its own."));
  tls_ep_commit (ep, step);
  tls_session_free (s);
  tls_new_session_ticket_clear (&nst);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Client certificates                                                 */

/* The supported_signature_algorithms of our CertificateRequest (TLS 1.2);
 * the client's CertificateVerify must use one of them (RFC 5246, 7.4.8). */
static const guint16 cr_sigalgs[] = {
  TLS_SIG_RSA_PKCS1_SHA256, TLS_SIG_RSA_PKCS1_SHA384, TLS_SIG_ECDSA_SHA256,
  TLS_SIG_ECDSA_SHA384, TLS_SIG_RSA_PKCS1_SHA1, TLS_SIG_ECDSA_SHA1,
  TLS_SIG_DSA_SHA256, TLS_SIG_DSA_SHA1,
  TLS_SIG_RSA_PSS_RSAE_SHA256, TLS_SIG_RSA_PSS_RSAE_SHA384, TLS_SIG_RSA_PSS_RSAE_SHA512,
  TLS_SIG_RSA_PKCS1_SHA224, TLS_SIG_ECDSA_SHA224,
};

static gboolean
send_certificate_request (TlsEndpoint *ep)
{
  static const guint8 types[] = { 1 /* rsa_sign */, 64 /* ecdsa_sign */, 2 /* dss_sign */ };
  TlsCertificateRequest cr;
  TlsStep *step;

  tls_certificate_request_init (&cr);
  g_byte_array_append (cr.certificate_types, types, sizeof types);
  if (ep->version >= TLS_VERSION_1_2)
    {
      cr.has_signature_algorithms = TRUE;
      g_array_append_vals (cr.supported_signature_algorithms, cr_sigalgs, G_N_ELEMENTS (cr_sigalgs));
    }
  for (guint i = 0; ep->cfg.trust && i < ep->cfg.trust->len; i++)
    g_ptr_array_add (cr.certificate_authorities,
                     g_bytes_ref (tls_certificate_get_subject_der (g_ptr_array_index (ep->cfg.trust, i))));
  step = tls_ep_send_message (ep, TLS_HS_CERTIFICATE_REQUEST, "CertificateRequest",
                              (TlsWriteFunc) tls_certificate_request_write, &cr);
  ep->cert_requested = TRUE;
  tls_step_explain (step, "RFC 5246, 7.4.4",
                    ep->cfg.client_auth == TLS_CLIENT_AUTH_REQUIRE
                    ? _("The server asks the client for a certificate: which key types it accepts, "
                        "which signature algorithms, and which certificate authorities it trusts. "
                        "This server requires one: without a valid chain the handshake fails.")
                    : _("The server asks the client for a certificate: which key types it accepts, "
                        "which signature algorithms, and which certificate authorities it trusts. "
                        "This server only asks: it checks what comes, shows the result, and goes on."));
  tls_ep_commit (ep, step);
  tls_certificate_request_clear (&cr);
  return TRUE;
}

static gboolean
read_client_certificate (TlsEndpoint *ep)
{
  if (!tls_ep_read_peer_certificate (ep))
    return FALSE;
  if (ep->peer_chain->len == 0)
    {
      TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Client without a certificate"));
      tls_ep_group_under_message (ep, step, "Certificate");
      tls_step_add_option (step, _("go on without client authentication"));
      tls_step_add_option (step, _("end the handshake with handshake_failure"));
      tls_step_explain (step, "RFC 5246, 7.4.6",
                        _("\"If the client does not send any certificates, the server MAY at its "
                          "discretion either continue the handshake without client authentication, "
                          "or respond with a fatal handshake_failure alert.\""));
      if (ep->cfg.client_auth == TLS_CLIENT_AUTH_REQUIRE)
        {
          step->choice = g_strdup (_("end the handshake"));
          step->chosen_option = 1;
          tls_step_set_reason (step, _("this server requires a client certificate"));
        }
      else
        {
          step->choice = g_strdup (_("go on"));
          step->chosen_option = 0;
          tls_step_set_reason (step, _("this server only asked; the client stays anonymous"));
        }
      tls_ep_commit (ep, step);
      if (ep->cfg.client_auth == TLS_CLIENT_AUTH_REQUIRE)
        tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE, _("the client sent no certificate, and one is required"));
    }
  return ep->status == TLS_EP_PROGRESS;
}

static gboolean
read_certificate_verify (TlsEndpoint *ep)
{
  g_autoptr (TlsField) root = NULL;
  TlsUnit *u = tls_ep_expect (ep, TLS_HS_CERTIFICATE_VERIFY);
  TlsCertificateVerify cv = { 0 };
  TlsReader body;
  int err;
  gsize tlen;
  const guint8 *tdata;
  g_autofree char *reason = NULL;
  TlsSigAlg alg;
  gboolean ok, requested;
  TlsStep *step;
  int msg_step;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls_certificate_verify_parse (&body, &cv, ep->version);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_ep_fail (ep, err, _("the CertificateVerify could not be parsed"));
      tls_unit_free (u);
      return FALSE;
    }
  /* The signature covers every handshake message before this one. */
  tdata = tls_transcript_data (ep->transcript, &tlen);
  requested = !cv.digitally_signed.has_algorithm;
  for (guint i = 0; !requested && i < G_N_ELEMENTS (cr_sigalgs); i++)
    requested = cr_sigalgs[i] == cv.digitally_signed.algorithm;
  if (requested)
    ok = tls_ep_verify (ep, tls_certificate_get_public_key (ep->peer_leaf), &cv.digitally_signed,
                        tdata, tlen, &alg, &reason);
  else
    {
      /* RFC 5246, 7.4.8: "The hash and signature algorithms used in the
       * signature MUST be one of those present in the
       * supported_signature_algorithms field of the CertificateRequest
       * message."  No alert is named there: handshake_failure, refused
       * before verifying, as OpenSSL 3.0 does ("wrong signature type",
       * tests/test-conform.c). */
      alg = tls_sig_alg_from_tls (cv.digitally_signed.algorithm);
      ok = FALSE;
      reason = g_strdup_printf (_("the signature algorithm 0x%04x (%s) is not one of the "
                                  "supported_signature_algorithms of our CertificateRequest"),
                                cv.digitally_signed.algorithm,
                                alg != TLS_SIG_ALG_UNKNOWN ? tls_sig_alg_name (alg) : _("unknown"));
    }
  tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                             _("The client signs everything so far with its private key."),
                             "RFC 5246, 7.4.8");
  msg_step = ep->cfg.record_received ? (int) tls_trace_len (ep->trace) - 1
             : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "CertificateVerify");
  step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("CertificateVerify signature"));
  tls_ep_group_under_message (ep, step, "CertificateVerify");
  step->subject = g_strdup_printf (_("the %s signature in CertificateVerify"), tls_sig_alg_name (alg));
  step->against = g_strdup_printf (_("the public key of the client's certificate (%s) and the "
                                     "%zu bytes of handshake messages so far"),
                                   tls_certificate_get_subject (ep->peer_leaf), tlen);
  tls_step_add_input (step, "signature", g_bytes_get_data (cv.digitally_signed.signature, NULL),
                      g_bytes_get_size (cv.digitally_signed.signature), msg_step, NULL);
  tls_step_add_input (step, "handshake_messages", tdata, tlen, -1,
                      _("every handshake message from ClientHello up to and including ClientKeyExchange"));
  step->result = ok ? TLS_CHECK_PASSED : TLS_CHECK_FAILED;
  tls_step_set_reason (step, "%s", ok ? _("the signature verifies: the client holds the private key "
                                          "of the certificate it sent")
                                      : reason ? reason : _("the signature does not verify"));
  tls_step_explain (step, "RFC 5246, 7.4.8",
                    _("A certificate is public; anyone can send it. CertificateVerify proves the "
                      "client also holds the matching private key: it signs the handshake so far, "
                      "which includes both randoms, so an old signature cannot be replayed."));
  tls_ep_commit (ep, step);
  tls_certificate_verify_clear (&cv);
  tls_unit_free (u);
  if (!ok && !requested)
    tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE, "%s", reason);
  else if (!ok)
    tls_ep_fail (ep, TLS_ALERT_DECRYPT_ERROR, _("the client's CertificateVerify signature does not verify"));
  return ok;
}

static gboolean
check_client_chain (TlsEndpoint *ep)
{
  return tls_ep_check_chain (ep, FALSE,
                             ep->cfg.client_auth == TLS_CLIENT_AUTH_REQUIRE);
}







/* ------------------------------------------------------------------ */
/* The flows, as data: each action runs when its condition holds.      */

static gboolean ephemeral (TlsEndpoint *ep) { return tls_kx_is_ephemeral (ep->suite->kx); }
static gboolean signs_params (TlsEndpoint *ep) { return ephemeral (ep) && ep->version >= TLS_VERSION_1_2; }
static gboolean asks_certificate (TlsEndpoint *ep) { return ep->cfg.client_auth != TLS_CLIENT_AUTH_NONE; }
static gboolean got_client_cert (TlsEndpoint *ep) { return ep->peer_chain->len > 0; }

/* Fig. 1 */
static const TlsFlowRow full_flow[] = {
  { read_client_hello, tls_ep_always },
  { decide_certificate, has_identities },
  { decide_version, tls_ep_always },
  { decide_resumption, tls_ep_always },
  { decide_suite, tls_ep_always },
  { tls_ep_decide_alpn, tls_ep_both_alpn },
  { send_server_hello, tls_ep_always },
  { send_certificate, tls_ep_always },
  { decide_group, ephemeral },
  { make_server_key, ephemeral },
  { decide_signature, signs_params },
  { send_server_key_exchange, ephemeral },
  { send_certificate_request, asks_certificate },
  { send_server_hello_done, tls_ep_always },
  { read_client_certificate, asks_certificate },
  { read_client_key_exchange, tls_ep_always },
  { derive_premaster, tls_ep_always },
  { read_certificate_verify, got_client_cert },
  { check_client_chain, got_client_cert },
  { tls_ep_act_derive_master, tls_ep_always },
  { tls_ep_act_derive_keys, tls_ep_always },
  { tls_ep_act_read_ccs, tls_ep_always },
  { tls_ep_act_read_finished, tls_ep_always },
  { cache_session, tls_ep_always },
  { send_new_session_ticket, sends_ticket },
  { tls_ep_act_send_ccs, tls_ep_always },
  { tls_ep_act_compute_verify, tls_ep_always },
  { tls_ep_act_send_finished, tls_ep_always },
};

/* Fig. 2: the first four rows are those of Fig. 1 (the resumption
 * decision picks the flow). */
static const TlsFlowRow resumed_flow[] = {
  { read_client_hello, tls_ep_always },
  { decide_certificate, has_identities },
  { decide_version, tls_ep_always },
  { decide_resumption, tls_ep_always },
  { tls_ep_decide_alpn, tls_ep_both_alpn },
  { send_server_hello, tls_ep_always },
  { tls_ep_act_derive_keys, tls_ep_always },
  { send_new_session_ticket, sends_ticket },
  { tls_ep_act_send_ccs, tls_ep_always },
  { tls_ep_act_compute_verify, tls_ep_always },
  { tls_ep_act_send_finished, tls_ep_always },
  { tls_ep_act_read_ccs, tls_ep_always },
  { tls_ep_act_read_finished, tls_ep_always },
};

static void
server_done (TlsEndpoint *ep)
{
  ep->status = TLS_EP_DONE;
  tls_ep_set_result_meta (ep);
}

void
tls_server_action (TlsEndpoint *ep)
{
  if (ep->resumed)
    tls_ep_run_flow (ep, resumed_flow, G_N_ELEMENTS (resumed_flow), server_done);
  else
    tls_ep_run_flow (ep, full_flow, G_N_ELEMENTS (full_flow), server_done);
}
