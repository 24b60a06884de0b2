/* tls-client.c — our TLS client, one teaching step at a time.
 *
 * Full handshake (RFC 5246, 7.3, Fig. 1) and resumption by session ID
 * (Fig. 2).  Each case of the switch in tls_client_action is one unit of
 * work; most append one step to the trace.  Reading a message appends a
 * step only when the peer is not ours (the sender already showed it). */
#include <glib/gi18n-lib.h>
#include "tls-client.h"
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
#include "tls-msg-certificate-verify.h"
#include "tls13-downgrade.h"

#include <string.h>


static const guint16 client_sigalgs[] = {
  TLS_SIG_RSA_PKCS1_SHA256, TLS_SIG_RSA_PKCS1_SHA384, TLS_SIG_RSA_PKCS1_SHA512,
  TLS_SIG_ECDSA_SHA256, TLS_SIG_ECDSA_SHA384, TLS_SIG_RSA_PKCS1_SHA1,
  TLS_SIG_DSA_SHA256, TLS_SIG_DSA_SHA1, TLS_SIG_ECDSA_SHA1,
  TLS_SIG_RSA_PSS_RSAE_SHA256, TLS_SIG_RSA_PSS_RSAE_SHA384, TLS_SIG_RSA_PSS_RSAE_SHA512,
  TLS_SIG_RSA_PKCS1_SHA224, TLS_SIG_ECDSA_SHA224,
};

static void offered_suites (TlsEndpoint *ep, GArray *out);

/* Do we offer an ECDHE (ECDH) or a DHE suite (!ECDH)? */
static gboolean
offers_kx (TlsEndpoint *ep, gboolean ecdh)
{
  g_autoptr (GArray) suites = g_array_new (FALSE, FALSE, sizeof (guint16));

  offered_suites (ep, suites);
  for (guint i = 0; i < suites->len; i++)
    {
      const TlsSuite *s = tls_suite_by_id (g_array_index (suites, guint16, i));
      if (s && tls_kx_is_ephemeral (s->kx) && tls_kx_is_ecdh (s->kx) == ecdh)
        return TRUE;
    }
  return FALSE;
}

/* The extensions of our ClientHello; also what the ServerHello is checked against. */
static void
client_extensions (TlsEndpoint *ep, TlsExtensions *ext)
{
  if (ep->cfg.server_name && *ep->cfg.server_name
      && !g_hostname_is_ip_address (ep->cfg.server_name))
    tls_extensions_add_server_name (ext, ep->cfg.server_name);
  if (offers_kx (ep, TRUE) || offers_kx (ep, FALSE))
    {
      static const guint8 uncompressed = 0;
      g_autoptr (GArray) groups = g_array_new (FALSE, FALSE, sizeof (guint16));
      guint n;
      const guint16 *ours = tls_kx_our_groups (&n);

      for (guint i = 0; i < n; i++)
        if (tls_ecdh_group_supported (ours[i]) ? offers_kx (ep, TRUE) : offers_kx (ep, FALSE))
          g_array_append_val (groups, ours[i]);
      tls_extensions_add_supported_groups (ext, (const guint16 *) groups->data, groups->len);
      if (offers_kx (ep, TRUE))
        tls_extensions_add_ec_point_formats (ext, &uncompressed, 1);
    }
  if (!ep->cfg.no_ems)
    tls_extensions_add_extended_master_secret (ext);
  if (!ep->cfg.no_etm)
    tls_extensions_add_encrypt_then_mac (ext);
  if (ep->cfg.tickets)
    tls_extensions_add_session_ticket (ext, ep->cfg.resume ? ep->cfg.resume->ticket : NULL);
  /* An initial handshake sends an empty renegotiation_info (RFC 5746, 3.4). */
  tls_extensions_add_renegotiation_info (ext, NULL, 0);
  if (ep->cfg.max_version >= TLS_VERSION_1_2)
    tls_extensions_add_signature_algorithms (ext, client_sigalgs, G_N_ELEMENTS (client_sigalgs));
  if (ep->cfg.alpn != NULL && ep->cfg.alpn[0] != NULL)
    tls_extensions_add_alpn (ext, (const char *const *) ep->cfg.alpn);
}

void
tls_client_init (TlsEndpoint *ep)
{
  ep->state = 0;
}

/* The suites we offer: the configured ones usable at our highest version
 * (at most TLS 1.2: a client that speaks TLS 1.3 too offers its suites in
 * the ClientHello of tls13-client.c). */
static void
offered_suites (TlsEndpoint *ep, GArray *out)
{
  if (ep->cfg.suites && ep->cfg.suites->len)
    g_array_append_vals (out, ep->cfg.suites->data, ep->cfg.suites->len);
  else
    {
      guint n;
      const TlsSuite **all = tls_suite_all (&n);
      for (guint i = 0; i < n; i++)
        if (!all[i]->legacy && tls_suite_usable (all[i], MIN (ep->cfg.max_version, TLS_VERSION_1_2)))
          g_array_append_val (out, all[i]->id);
    }
}

void
tls_client_add_tls12_offer (TlsEndpoint *ep, GArray *suites, TlsExtensions *ext)
{
  g_autoptr (GArray) ours = g_array_new (FALSE, FALSE, sizeof (guint16));
  TlsExtensions more;

  offered_suites (ep, ours);
  for (guint i = 0; i < ours->len; i++)
    {
      const TlsSuite *s = tls_suite_by_id (g_array_index (ours, guint16, i));
      if (s != NULL && !tls_suite_is_tls13 (s))
        g_array_append_val (suites, s->id);
    }
  tls_extensions_init (&more);
  client_extensions (ep, &more);
  for (guint i = 0; i < tls_extensions_count (&more); i++)
    {
      const TlsExtension *x = tls_extensions_get (&more, i);
      if (!tls_extensions_has (ext, x->type))
        tls_extensions_add (ext, x->type, x->data);
    }
  tls_extensions_clear (&more);
}

/* One sentence on the extensions a ClientHello carries, naming only
 * those it really sends (empty string when it sends none). */
static char *
client_hello_extensions_text (const TlsExtensions *e)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *list = NULL;

  if (tls_extensions_has (e, TLS_EXT_SERVER_NAME))
    g_ptr_array_add (parts, _("server_name says which host it wants (RFC 6066, 3)"));
  if (tls_extensions_has (e, TLS_EXT_SUPPORTED_GROUPS))
    g_ptr_array_add (parts, _("supported_groups says which groups it can do (EC)DHE with "
                              "(RFC 8422, 5.1.1)"));
  if (tls_extensions_has (e, TLS_EXT_EC_POINT_FORMATS))
    g_ptr_array_add (parts, _("ec_point_formats says how it can read elliptic-curve points "
                              "(RFC 8422, 5.1.2)"));
  if (tls_extensions_has (e, TLS_EXT_SIGNATURE_ALGORITHMS))
    g_ptr_array_add (parts, _("signature_algorithms says which signatures it can verify "
                              "(RFC 5246, 7.4.1.4.1)"));
  if (tls_extensions_has (e, TLS_EXT_EXTENDED_MASTER_SECRET))
    g_ptr_array_add (parts, _("extended_master_secret asks for the keys to be bound to this "
                              "handshake (RFC 7627, 5.1)"));
  if (tls_extensions_has (e, TLS_EXT_ENCRYPT_THEN_MAC))
    g_ptr_array_add (parts, _("encrypt_then_mac asks for the MAC over the ciphertext (RFC 7366, 2)"));
  if (tls_extensions_has (e, TLS_EXT_SESSION_TICKET))
    {
      g_autoptr (GBytes) ticket = tls_extensions_get_session_ticket (e);

      /* RFC 5077, 3.2: a ticket to resume with, or an empty one when the
       * client has none and "is prepared to receive one". */
      g_ptr_array_add (parts, ticket != NULL && g_bytes_get_size (ticket) > 0
                                ? _("session_ticket carries the ticket of the session to resume "
                                    "(RFC 5077, 3.2)")
                                : _("session_ticket, empty, says it can take a ticket "
                                    "(RFC 5077, 3.2)"));
    }
  if (tls_extensions_has (e, TLS_EXT_RENEGOTIATION_INFO))
    g_ptr_array_add (parts, _("renegotiation_info guards against renegotiation attacks "
                              "(RFC 5746, 3.4)"));
  if (parts->len == 0)
    return g_strdup ("");
  g_ptr_array_add (parts, NULL);
  list = g_strjoinv ("; ", (char **) parts->pdata);
  /* TRANSLATORS: %s is a list of "extension does what" phrases. */
  return g_strdup_printf (_(" Its extensions ask for more: %s."), list);
}

static gboolean
send_client_hello (TlsEndpoint *ep)
{
  TlsClientHello *ch = &ep->ch;   /* kept: the ServerHello is checked against it */
  TlsStep *step;
  const TlsSession *resume = ep->cfg.resume;
  guint8 null_method = 0;

  /* client_version: "The version of the TLS protocol by which the client
   * wishes to communicate during this session.  This SHOULD be the latest
   * (highest valued) version supported by the client." (RFC 5246, 7.4.1.2) */
  ch->client_version = ep->cfg.max_version;
  ep->client_version = ch->client_version;
  /* gmt_unix_time + 28 random bytes.  The time comes from the run's clock. */
  tls_rng_bytes (ep->cfg.rng, ep->client_random, 32);
  for (int i = 0; i < 4; i++)
    ep->client_random[i] = (guint8) ((guint64) ep->now >> (24 - 8 * i));
  memcpy (ch->random, ep->client_random, 32);
  if (resume && resume->id_len > 0)
    {
      memcpy (ch->session_id, resume->id, resume->id_len);
      ch->session_id_len = resume->id_len;
    }
  else if (resume && resume->ticket && ep->cfg.tickets)
    {
      /* RFC 5077, 3.4: with a ticket the client may make up a session ID;
       * the server echoes it when it accepts the ticket. */
      tls_rng_bytes (ep->cfg.rng, ch->session_id, 32);
      ch->session_id_len = 32;
    }
  offered_suites (ep, ch->cipher_suites);
  g_byte_array_append (ch->compression_methods, &null_method, 1);

  if (ep->cfg.fallback)
    {
      /* RFC 7507, 4: a client retrying with a lower version than it speaks
       * says so, so a server that speaks higher can refuse the downgrade. */
      guint16 scsv = TLS_FALLBACK_SCSV;
      g_array_append_val (ch->cipher_suites, scsv);
    }
  client_extensions (ep, &ch->extensions);

  step = tls_ep_send_message (ep, TLS_HS_CLIENT_HELLO, "ClientHello",
                              (TlsWriteFunc) tls_client_hello_write, ch);
  ep->client_hello_step = step->index;
  {
    g_autofree char *ext = client_hello_extensions_text (&ch->extensions);
    const char *opening;

    if (resume && resume->id_len > 0)
      opening = _("The client opens the handshake. It names the highest version it speaks, "
                  "sends 32 fresh random bytes, the cipher suites it accepts in order of "
                  "preference, and the compression methods (only null). This time it also "
                  "sends the session ID of an earlier session, hoping the server still has "
                  "it cached and will resume it with an abbreviated handshake.");
    else if (ch->session_id_len > 0)
      opening = _("The client opens the handshake. It names the highest version it speaks, "
                  "sends 32 fresh random bytes, the cipher suites it accepts in order of "
                  "preference, and the compression methods (only null). This time it also "
                  "sends, in its session_ticket extension, the ticket the server gave it "
                  "earlier, with a session ID of its own making: the server echoes that ID "
                  "if it accepts the ticket and resumes the session with an abbreviated "
                  "handshake (RFC 5077, 3.4).");
    else if (ep->cfg.fallback)
      opening = _("The client opens the handshake again, after an attempt that failed: this "
                  "time it names a lower version than the highest it speaks, and says so with "
                  "TLS_FALLBACK_SCSV among its cipher suites (RFC 7507, 4). It sends 32 fresh "
                  "random bytes (the first 4 are the time), an empty session ID, the cipher "
                  "suites it accepts in order of preference, and the compression methods (only "
                  "null).");
    else
      opening = _("The client opens the handshake. It names the highest version it speaks, "
                  "sends 32 fresh random bytes (the first 4 are the time), an empty session "
                  "ID (it has no session to resume), the cipher suites it accepts in order "
                  "of preference, and the compression methods (only null).");
    tls_step_explain (step, "RFC 5246, 7.4.1.2", "%s%s", opening, ext);
  }
  tls_ep_commit (ep, step);
  return TRUE;
}

static gboolean
read_server_hello (TlsEndpoint *ep)
{
  TlsServerHello *sh_out = &ep->sh;
  g_autoptr (TlsField) root = NULL;
  TlsUnit *u = tls_ep_expect (ep, TLS_HS_SERVER_HELLO);
  TlsReader body;
  int err;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    {
      tls_server_hello_clear (sh_out);   /* the parser initializes it */
      err = tls_server_hello_parse (&body, sh_out);
    }
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_ep_fail (ep, err, _("the ServerHello could not be parsed (%s)"), tls_alert_name (err));
      tls_unit_free (u);
      return FALSE;
    }
  memcpy (ep->server_random, sh_out->random, 32);
  memcpy (ep->session_id, sh_out->session_id, sh_out->session_id_len);
  ep->session_id_len = sh_out->session_id_len;
  ep->server_hello_version = sh_out->server_version;
  tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                             _("The server's answer: the version and cipher suite it chose, its own "
                               "32 random bytes, and a session ID."),
                             "RFC 5246, 7.4.1.3");
  ep->server_hello_step = (int) tls_trace_len (ep->trace) - 1;
  if (!ep->cfg.record_received)
    ep->server_hello_step = tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "ServerHello");
  tls_unit_free (u);
  return TRUE;
}

/* The ServerHello must stay within what we offered. */
static gboolean
check_server_hello (TlsEndpoint *ep)
{
  TlsServerHello *sh = &ep->sh;
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("ServerHello acceptable"));
  tls_ep_group_under_message (ep, step, "ServerHello");
  g_autoptr (GArray) offered = g_array_new (FALSE, FALSE, sizeof (guint16));
  const TlsSuite *suite = tls_suite_by_id (sh->cipher_suite);
  g_autofree char *suite_name = tls_suite_describe (sh->cipher_suite);
  gboolean suite_offered = FALSE;
  int alert = 0;
  g_autofree char *why = NULL;
  guint16 bad_ext = 0;
  g_autoptr (GBytes) ri = NULL;

  offered_suites (ep, offered);
  for (guint i = 0; i < offered->len; i++)
    suite_offered |= g_array_index (offered, guint16, i) == sh->cipher_suite;

  step->subject = g_strdup_printf (_("%s, %s, compression %u"), tls_version_name (sh->server_version),
                                   suite_name, sh->compression_method);
  step->against = g_strdup_printf (_("what the client offered: %s to %s, %u suites, null compression"),
                                   tls_version_name (ep->cfg.min_version),
                                   tls_version_name (ep->cfg.max_version), offered->len);
  tls_step_add_text_input (step, "server_version", tls_version_name (sh->server_version),
                           ep->server_hello_step, NULL);
  tls_step_add_text_input (step, "cipher_suite", suite_name, ep->server_hello_step, NULL);


  if (sh->server_version < ep->cfg.min_version || sh->server_version > ep->cfg.max_version)
    {
      alert = TLS_ALERT_PROTOCOL_VERSION;
      why = g_strdup_printf (_("the server chose %s, outside the versions the client speaks"),
                             tls_version_name (sh->server_version));
    }
  else if (!suite_offered || suite == NULL)
    {
      /* RFC 5246, 7.4.1.3: cipher_suite is "selected by the server from the
       * list in ClientHello.cipher_suites". */
      alert = TLS_ALERT_ILLEGAL_PARAMETER;
      why = g_strdup_printf (_("the server chose %s, which the client did not offer"), suite_name);
    }
  else if (!tls_suite_usable (suite, sh->server_version))
    {
      alert = TLS_ALERT_ILLEGAL_PARAMETER;
      why = g_strdup_printf (_("%s cannot be used with %s"), suite->name,
                             tls_version_name (sh->server_version));
    }
  else if (sh->compression_method != 0)
    {
      alert = TLS_ALERT_ILLEGAL_PARAMETER;
      why = g_strdup_printf (_("the server chose compression method %u; the client offered only null (0)"),
                             sh->compression_method);
    }
  else if ((alert = tls_client_hello_check_server_extensions (&ep->ch, &sh->extensions, &bad_ext)) != 0)
    why = g_strdup_printf (_("the server sent the extension %s, which the client did not ask for "
                             "(RFC 5246, 7.4.1.4)"), tls_extension_name (bad_ext));
  else if (tls_extensions_has (&sh->extensions, TLS_EXT_ENCRYPT_THEN_MAC)
           && tls_cipher_info (suite->cipher)->type != TLS_CIPHER_TYPE_BLOCK)
    {
      /* RFC 7366, 3: encrypt-then-MAC only applies to block ciphers. */
      alert = TLS_ALERT_ILLEGAL_PARAMETER;
      why = g_strdup_printf (_("the server agreed to encrypt-then-MAC with %s, which is not a CBC suite "
                               "(RFC 7366, 3)"), suite->name);
    }
  else if (tls_extensions_has (&sh->extensions, TLS_EXT_ALPN) && !tls_ep_alpn_offered (ep, &sh->extensions))
    {
      /* RFC 7301, 3.1: the server's ProtocolNameList "MUST contain exactly
       * one "ProtocolName"", one the client offered. */
      alert = TLS_ALERT_ILLEGAL_PARAMETER;
      why = g_strdup (_("the server's ALPN answer is not exactly one of the protocols the client "
                        "offered (RFC 7301, 3.1)"));
    }
  else if ((ri = tls_extensions_get_renegotiation_info (&sh->extensions)) != NULL
           && g_bytes_get_size (ri) != 0)
    {
      /* RFC 5746, 3.4: on an initial handshake renegotiated_connection must be empty. */
      alert = TLS_ALERT_HANDSHAKE_FAILURE;
      why = g_strdup (_("renegotiation_info is not empty on an initial handshake (RFC 5746, 3.4)"));
    }

  step->result = alert ? TLS_CHECK_FAILED : TLS_CHECK_PASSED;
  if (alert)
    tls_step_set_reason (step, "%s", why);
  else
    tls_step_set_reason (step, _("the version, the cipher suite and every extension are among what the client offered"));
  tls_step_explain (step, "RFC 5246, 7.4.1.3",
                    _("The server picks; the client checks that the pick is one of its offers. "
                      "A server that chose something never offered (a version, a suite, an "
                      "extension) is broken or an attacker, and the client must stop."));
  tls_ep_commit (ep, step);
  if (alert)
    {
      tls_ep_fail (ep, alert, "%s", why);
      return FALSE;
    }
  ep->version = sh->server_version;
  ep->record_version = ep->version;
  ep->suite = suite;
  ep->ems = !ep->cfg.no_ems && tls_extensions_has (&sh->extensions, TLS_EXT_EXTENDED_MASTER_SECRET);
  ep->etm = !ep->cfg.no_etm && tls_extensions_has (&sh->extensions, TLS_EXT_ENCRYPT_THEN_MAC);
  ep->ticket_expected = tls_extensions_has (&sh->extensions, TLS_EXT_SESSION_TICKET);
  {
    g_autoptr (GPtrArray) alpn = tls_extensions_get_alpn (&sh->extensions);
    if (alpn != NULL)
      ep->alpn = g_strdup (alpn->pdata[0]);
  }
  return TRUE;
}

/* RFC 8446, 4.1.3: "TLS 1.2 clients SHOULD also check that the last 8
 * bytes are not equal to the second value if the ServerHello indicates TLS
 * 1.1 or below.  If a match is found, the client MUST abort the handshake
 * with an "illegal_parameter" alert."  The second value is DOWNGRD\x00;
 * the first, DOWNGRD\x01, is a TLS 1.3 server's for TLS 1.2, so a client
 * that speaks at most TLS 1.2 has only the second to check. */
static gboolean
check_downgrade_sentinel (TlsEndpoint *ep)
{
  static const guint8 sentinel[8] = { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00 };
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("Downgrade sentinel"));
  tls_ep_group_under_message (ep, step, "ServerHello");
  gboolean found = memcmp (ep->server_random + 24, sentinel, 8) == 0;
  g_autofree char *tail = tls_hex (ep->server_random + 24, 8);

  step->subject = g_strdup_printf (_("the last 8 bytes of ServerHello.random: %s"), tail);
  step->against = g_strdup (_("44 4F 57 4E 47 52 44 00 (\"DOWNGRD\" then 00)"));
  tls_step_add_input (step, "ServerHello.random", ep->server_random, 32,
                      ep->server_hello_step, NULL);
  step->result = found ? TLS_CHECK_FAILED : TLS_CHECK_PASSED;
  if (found)
    tls_step_set_reason (step, _("the server chose %s but ended its random with the downgrade "
                                 "sentinel: it speaks TLS 1.2, which the client offered, so "
                                 "something between them lowered the version"),
                         tls_version_name (ep->version));
  else
    tls_step_set_reason (step, _("the server chose %s and its random does not end with the "
                                 "downgrade sentinel"), tls_version_name (ep->version));
  tls_step_explain (step, "RFC 8446, 4.1.3",
                    _("The client offered TLS 1.2 and the server chose %s. A TLS 1.2 server that "
                      "negotiates TLS 1.1 or below should end its random with 44 4F 57 4E 47 52 "
                      "44 00, and a TLS 1.2 client that finds these bytes in such a ServerHello "
                      "must abort with illegal_parameter: the server could have spoken TLS 1.2. "
                      "(The value ending in 01 is for a TLS 1.3 server negotiating TLS 1.2; this "
                      "client speaks at most TLS 1.2, so it checks only the one ending in 00.)"),
                    tls_version_name (ep->version));
  tls_ep_commit (ep, step);
  if (found)
    {
      tls_ep_fail (ep, TLS_ALERT_ILLEGAL_PARAMETER, "%s", step->reason);
      return FALSE;
    }
  return TRUE;
}

static gboolean
decide_resumption (TlsEndpoint *ep)
{
  const TlsSession *s = ep->cfg.resume;
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Resumed?"));
  tls_ep_group_under_message (ep, step, "ServerHello");
  gboolean echoed = ep->ch.session_id_len == ep->session_id_len
                    && memcmp (ep->ch.session_id, ep->session_id, ep->session_id_len) == 0;
  gboolean by_ticket = s->ticket && ep->cfg.tickets;
  g_autofree char *offered = tls_hex (ep->ch.session_id, ep->ch.session_id_len);
  g_autofree char *got = tls_hex (ep->session_id, ep->session_id_len);
  int alert = 0;

  tls_step_add_input (step, N_("offered session_id"), ep->ch.session_id, ep->ch.session_id_len,
                      ep->client_hello_step, by_ticket ? _("with the session ticket") : NULL);
  tls_step_add_input (step, "ServerHello.session_id", ep->session_id, ep->session_id_len,
                      ep->server_hello_step, NULL);
  tls_step_add_option (step, _("resume: the server echoed the offered session ID"));
  tls_step_add_option (step, _("full handshake: the server sent another (or an empty) session ID"));
  if (echoed)
    {
      step->choice = g_strdup (_("resume the session (abbreviated handshake, Fig. 2)"));
      step->chosen_option = 0;
      if (ep->version != s->version || ep->suite->id != s->suite)
        {
          /* RFC 5246, 7.4.1.3: "If a session is resumed, it must be resumed
           * using the same cipher suite it was originally negotiated with." */
          alert = TLS_ALERT_ILLEGAL_PARAMETER;
          tls_step_set_reason (step, _("the server resumes, but with another version or cipher suite "
                                       "than the session had: not allowed"));
        }
      else if (s->extended_master_secret && !ep->ems)
        {
          /* RFC 7627, 5.3: the client MUST abort. */
          alert = TLS_ALERT_HANDSHAKE_FAILURE;
          tls_step_set_reason (step, _("the session used the extended master secret but the "
                                       "resumed handshake does not (RFC 7627, 5.3)"));
        }
      else if (by_ticket)
        tls_step_set_reason (step, _("the server echoed the session ID sent with the ticket (%.16s…): it "
                                     "opened the ticket, so both sides reuse the master secret sealed "
                                     "in it; no certificate and no key exchange are needed"), offered);
      else
        tls_step_set_reason (step, _("the server still had the session (same ID %.16s…): both sides reuse "
                                     "its master secret, no certificate and no key exchange are needed"),
                             offered);
    }
  else
    {
      step->choice = g_strdup (_("full handshake"));
      step->chosen_option = 1;
      if (ep->session_id_len)
        tls_step_set_reason (step, _("the server answered with a new session ID (%.16s…): it did not "
                                     "find the offered session, or chose not to resume it"), got);
      else
        tls_step_set_reason (step, _("the server answered with an empty session ID: no resumption, "
                                     "and this session will not be cached"));
    }
  tls_step_explain (step, "RFC 5246, 7.4.1.2",
                    _("The server decides whether to resume. If it echoes the session ID the client "
                      "offered, both sides skip to ChangeCipherSpec and Finished, reusing the "
                      "cached master secret with the new randoms."));
  tls_ep_commit (ep, step);
  if (alert)
    {
      tls_ep_fail (ep, alert, "%s", step->reason);
      return FALSE;
    }
  ep->resumed = echoed;
  ep->resumed_by_ticket = echoed && by_ticket;
  if (echoed)
    {
      memcpy (ep->master, s->master, 48);
      ep->master_step = tls_trace_find (ep->trace, TLS_STEP_DERIVATION,
                                        s->extended_master_secret ? TLS_STEP_TITLE_EXTENDED_MASTER
                                                                  : TLS_STEP_TITLE_MASTER_SECRET);
    }
  return TRUE;
}

static gboolean
read_certificate (TlsEndpoint *ep)
{
  if (!tls_ep_read_peer_certificate (ep))
    return FALSE;
  if (ep->peer_leaf == NULL)
    {
      /* RFC 5246, 7.4.2: the server MUST send a certificate whenever the key
       * exchange method uses one for authentication (all of ours). */
      tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE, _("the server sent no certificate"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_server_hello_done (TlsEndpoint *ep)
{
  g_autoptr (TlsField) root = NULL;
  TlsUnit *u = tls_ep_expect (ep, TLS_HS_SERVER_HELLO_DONE);
  TlsReader body;
  int err;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls_server_hello_done_parse (&body);
  if (err != 0)
    {
      tls_ep_fail (ep, err, _("ServerHelloDone must be empty"));
      tls_unit_free (u);
      return FALSE;
    }
  tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                             _("The server is done with its part of the key exchange; now it is "
                               "the client's turn."), "RFC 5246, 7.4.5");
  tls_unit_free (u);
  return TRUE;
}

/* The seed's table: for RSA key exchange the certificate must hold an RSA
 * key that may be used for encryption. */
static gboolean
check_key_fits (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("Certificate key fits the key exchange"));
  tls_ep_group_under_message (ep, step, "Certificate");
  const TlsPublicKey *pub = tls_certificate_get_public_key (ep->peer_leaf);
  g_autofree char *desc = tls_public_key_describe (pub);
  g_autofree char *usage_name = NULL;
  TlsPkAlg need, signer;
  guint usage;
  guint ku = 0;
  gboolean has_ku = tls_certificate_get_key_usage (ep->peer_leaf, &ku);
  gboolean ok = TRUE;

  tls_verify_kx_needs (ep->suite->kx, &need, &usage, &signer);
  usage_name = tls_key_usage_to_string (usage);
  step->subject = g_strdup_printf (_("the server certificate's key: %s"), desc);
  step->against = g_strdup_printf (_("what %s key exchange needs: a %s key that allows %s"),
                                   tls_kx_name (ep->suite->kx), tls_pk_alg_name (need), usage_name);
  tls_step_add_text_input (step, "public key", desc, ep->certificate_step, NULL);
  if (pub->type != need)
    {
      ok = FALSE;
      tls_step_set_reason (step, _("the key is %s, but %s key exchange needs %s"),
                           tls_pk_alg_name (pub->type), tls_kx_name (ep->suite->kx),
                           tls_pk_alg_name (need));
    }
  else if (has_ku && !(ku & usage))
    {
      ok = FALSE;
      tls_step_set_reason (step, _("the certificate's keyUsage does not allow %s"), usage_name);
    }
  else
    tls_step_set_reason (step, has_ku ? _("the key is %s, and keyUsage allows %s")
                                      : _("the key is %s; the certificate has no keyUsage limits%s"),
                         tls_pk_alg_name (pub->type), has_ku ? usage_name : "");
  step->result = ok ? TLS_CHECK_PASSED : TLS_CHECK_FAILED;
  tls_step_explain (step, "RFC 5246, 7.4.2",
                    ep->suite->kx == TLS_KX_RSA
                    ? _("\"The certificate type MUST be appropriate for the selected cipher suite's "
                        "key exchange algorithm.\" For RSA: an RSA public key; the certificate must "
                        "allow the key to be used for encryption.")
                    : (ep->suite->kx == TLS_KX_DH_RSA || ep->suite->kx == TLS_KX_DH_DSS)
                    ? _("Static DH (historical; no live peer speaks it now): the certificate itself "
                        "carries the server's Diffie-Hellman public key, which must allow key "
                        "agreement.")
                    : _("With DHE and ECDHE the certificate key only signs the ephemeral parameters: "
                        "it must be of the type the suite names (RSA, DSA or ECDSA) and allow "
                        "digitalSignature."));
  tls_ep_commit (ep, step);
  if (!ok && !ep->cfg.insecure)
    tls_ep_fail (ep, TLS_ALERT_UNSUPPORTED_CERTIFICATE, "%s", step->reason);
  return TRUE;
}

static gboolean
check_chain (TlsEndpoint *ep)
{
  return tls_ep_check_chain (ep, TRUE, !ep->cfg.insecure);
}

static gboolean
make_premaster (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DERIVATION, ep->role, "pre_master_secret");
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  gboolean tampered = g_strcmp0 (ep->cfg.tamper, "client-bad-pms-version") == 0;
  guint16 v = tampered ? TLS_VERSION_1_0 - 1 : ep->client_version;
  guint8 vb[2] = { v >> 8, v & 0xff };

  /* struct { ProtocolVersion client_version; opaque random[46]; } PreMasterSecret;
   * "client_version: The latest (newest) version supported by the client.
   * This is used to detect version rollback attacks." (RFC 5246, 7.4.7.1) */
  ep->pms[0] = vb[0];
  ep->pms[1] = vb[1];
  tls_rng_bytes (ep->cfg.rng, ep->pms + 2, 46);
  ep->pms_len = 48;
  step->formula = g_strdup ("pre_master_secret = ClientHello.client_version + random[46]");
  tls_step_add_input (step, "client_version", vb, 2, tampered ? -1 : ep->client_hello_step,
                      tampered ? _("FAULT INJECTED ON PURPOSE: not the version of the ClientHello")
                               : _("the version the ClientHello offered, not the negotiated one"));
  tls_step_add_input (step, "random", ep->pms + 2, 46, -1, _("46 fresh random bytes"));
  tls_step_add_output (step, "pre_master_secret", ep->pms, 48,
                       _("encrypted for the server in ClientKeyExchange; input of the master secret"));
  tls_step_explain (step, "RFC 5246, 7.4.7.1",
                    _("With RSA key exchange the client alone makes the secret: 48 bytes, its "
                      "highest version first (so the server can catch a version rollback), then "
                      "46 random bytes. Only the server's private key can decrypt it."));
  ep->pms_step = step->index;
  tls_ep_commit (ep, step);
  return TRUE;
}

static gboolean
send_client_key_exchange (TlsEndpoint *ep)
{
  const TlsPublicKey *pub = tls_certificate_get_public_key (ep->peer_leaf);
  TlsClientKeyExchange cke = { 0 };
  TlsStep *step;

  if (ep->suite->kx != TLS_KX_RSA)
    cke.exchange_keys = tls_ep_kx_our_public (ep);
  else if (!tls_rsa_encrypt_premaster (&pub->rsa, ep->cfg.rng, ep->pms, &cke.exchange_keys))
    {
      tls_ep_fail (ep, TLS_ALERT_INTERNAL_ERROR,
                   _("the pre-master secret could not be encrypted with the server's key"));
      return FALSE;
    }
  cke.kx = ep->suite->kx;
  step = tls_ep_send_message (ep, TLS_HS_CLIENT_KEY_EXCHANGE, "ClientKeyExchange",
                              (TlsWriteFunc) tls_client_key_exchange_write, &cke);
  ep->transcript_at_cke = tls_transcript_len (ep->transcript);
  ep->cke_step = step->index;
  if (ep->suite->kx != TLS_KX_RSA)
    {
      GBytes *pub_value = cke.exchange_keys;
      tls_step_add_input (step, "our public value", g_bytes_get_data (pub_value, NULL),
                          g_bytes_get_size (pub_value), ep->key_step, NULL);
      tls_step_explain (step, "RFC 5246, 7.4.7.2",
                        _("The client sends its own ephemeral public value. From it and the "
                          "server's, each side computes the same pre-master secret on its own."));
    }
  else
    {
  tls_step_add_input (step, "pre_master_secret", ep->pms, 48, ep->pms_step, NULL);
  {
    g_autofree char *key = tls_certificate_describe_key (ep->peer_leaf);
    tls_step_add_text_input (step, "server public key", key, ep->certificate_step,
                             _("from the server's certificate"));
  }
  tls_step_explain (step, "RFC 5246, 7.4.7.1",
                    _("The client encrypts the 48-byte pre-master secret with the RSA public key "
                      "from the server's certificate (PKCS #1 v1.5) and sends the ciphertext. "
                      "Only the holder of the private key can read it: that is how the server "
                      "proves who it is in RSA key exchange."));
    }
  tls_ep_commit (ep, step);
  tls_client_key_exchange_clear (&cke);
  return TRUE;
}



/* ------------------------------------------------------------------ */
/* (EC)DH                                                              */

static gboolean
read_server_key_exchange (TlsEndpoint *ep)
{
  g_autoptr (TlsField) root = NULL;
  TlsUnit *u = tls_ep_expect (ep, TLS_HS_SERVER_KEY_EXCHANGE);
  TlsReader body;
  int err;
  TlsServerKeyExchange *ske = &ep->ske;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls_server_key_exchange_parse (&body, ske, ep->suite->kx, ep->version);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_ep_fail (ep, err, _("the ServerKeyExchange could not be parsed (%s)"), tls_alert_name (err));
      tls_unit_free (u);
      return FALSE;
    }
  if (tls_kx_is_ecdh (ep->suite->kx))
    {
      ep->group = ske->namedcurve;
      ep->peer_public = g_bytes_ref (ske->point);
    }
  else
    {
      ep->dh_p = g_bytes_ref (ske->dh_p);
      ep->dh_g = g_bytes_ref (ske->dh_g);
      ep->peer_public = g_bytes_ref (ske->dh_Ys);
      tls_dh_is_known_group (g_bytes_get_data (ske->dh_p, NULL), g_bytes_get_size (ske->dh_p), NULL);
    }
  tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                             _("The server's ephemeral key exchange parameters, signed with its "
                               "certificate key."), "RFC 5246, 7.4.3");
  ep->ske_step = ep->cfg.record_received ? (int) tls_trace_len (ep->trace) - 1
                 : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "ServerKeyExchange");
  tls_unit_free (u);
  return TRUE;
}

static gboolean
check_ske_signature (TlsEndpoint *ep)
{
  TlsServerKeyExchange *ske = &ep->ske;
  g_autoptr (GBytes) signed_data = tls_server_key_exchange_signed_data (ske, ep->client_random,
                                                                        ep->server_random);
  g_autofree char *reason = NULL;
  TlsSigAlg alg = TLS_SIG_ALG_UNKNOWN;
  gboolean ok;
  TlsStep *step;

  ok = tls_ep_verify (ep, tls_certificate_get_public_key (ep->peer_leaf), &ske->signed_params,
                      g_bytes_get_data (signed_data, NULL), g_bytes_get_size (signed_data),
                      &alg, &reason);
  /* TLS 1.2: the algorithm must be one the client offered (RFC 5246, 7.4.3). */
  if (ok && ske->signed_params.has_algorithm
      && !tls_extensions_has (&ep->ch.extensions, TLS_EXT_SIGNATURE_ALGORITHMS))
    ok = FALSE;
  step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("ServerKeyExchange signature"));
  tls_ep_group_under_message (ep, step, "ServerKeyExchange");
  step->subject = g_strdup_printf (_("the %s signature over the key exchange parameters"),
                                   tls_sig_alg_name (alg));
  step->against = g_strdup_printf (_("the public key of the server's certificate (%s)"),
                                   tls_certificate_get_subject (ep->peer_leaf));
  tls_step_add_input (step, N_("signed data"), g_bytes_get_data (signed_data, NULL),
                      g_bytes_get_size (signed_data), ep->ske_step,
                      _("client_random + server_random + the parameters"));
  tls_step_add_input (step, "signature", g_bytes_get_data (ske->signed_params.signature, NULL),
                      g_bytes_get_size (ske->signed_params.signature), ep->ske_step, NULL);
  step->result = ok ? TLS_CHECK_PASSED : TLS_CHECK_FAILED;
  tls_step_set_reason (step, "%s", ok ? _("the signature verifies: the parameters come from the "
                                          "holder of the certificate's key, for this handshake")
                                      : reason ? reason : _("the signature does not verify"));
  tls_step_explain (step, "RFC 5246, 7.4.3",
                    _("The client checks the server's signature over both randoms and the "
                      "parameters with the key from the certificate. Without this check a man in "
                      "the middle could send his own parameters and read everything."));
  tls_ep_commit (ep, step);
  if (!ok)
    tls_ep_fail (ep, TLS_ALERT_DECRYPT_ERROR, _("the ServerKeyExchange signature does not verify"));
  return ok;
}

static gboolean
check_ske_params (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("Key exchange parameters"));
  tls_ep_group_under_message (ep, step, "ServerKeyExchange");
  g_autofree char *reason = NULL;
  int alert = 0;
  gsize plen;
  const guint8 *peer = g_bytes_get_data (ep->peer_public, &plen);

  if (tls_kx_is_ecdh (ep->suite->kx))
    {
      gboolean offered = FALSE;
      g_autoptr (GArray) ours = tls_extensions_get_supported_groups (&ep->ch.extensions);

      for (guint i = 0; ours && i < ours->len; i++)
        offered |= g_array_index (ours, guint16, i) == ep->group;
      step->subject = g_strdup_printf (_("curve %s and the server's public point"),
                                       tls_extensions_group_name (ep->group));
      step->against = g_strdup (ep->group == TLS_GROUP_X25519 || ep->group == TLS_GROUP_X448
                                ? _("the curves the client listed")
                                : _("the curves the client listed; the point must lie on the curve"));
      tls_step_add_input (step, "public point", peer, plen, ep->ske_step, NULL);
      if (!offered || !tls_ecdh_group_supported (ep->group))
        {
          alert = TLS_ALERT_ILLEGAL_PARAMETER;
          reason = g_strdup_printf (_("the server chose the curve %s, which the client did not list"),
                                    tls_extensions_group_name (ep->group));
        }
      else
        alert = tls_ecdh_check_public (ep->group, peer, plen, &reason);
    }
  else
    {
      guint min_bits = ep->cfg.min_dh_bits ? ep->cfg.min_dh_bits : TLS_DH_DEFAULT_MIN_BITS;
      const char *name = NULL;
      gboolean known = tls_dh_is_known_group (g_bytes_get_data (ep->dh_p, NULL),
                                              g_bytes_get_size (ep->dh_p), &name);

      step->subject = g_strdup_printf (_("the DH group: a %zu-bit prime%s%s"),
                                       g_bytes_get_size (ep->dh_p) * 8,
                                       known ? ", " : "", known ? name : "");
      step->against = g_strdup_printf (_("at least %u bits, g in range, 1 < Ys < p - 1"), min_bits);
      tls_step_add_input (step, "p", g_bytes_get_data (ep->dh_p, NULL), g_bytes_get_size (ep->dh_p),
                          ep->ske_step, NULL);
      tls_step_add_input (step, "g", g_bytes_get_data (ep->dh_g, NULL), g_bytes_get_size (ep->dh_g),
                          ep->ske_step, NULL);
      alert = tls_dh_check_params (g_bytes_get_data (ep->dh_p, NULL), g_bytes_get_size (ep->dh_p),
                                   g_bytes_get_data (ep->dh_g, NULL), g_bytes_get_size (ep->dh_g),
                                   min_bits, &reason);
      if (known)
        ep->group = tls_dh_group_by_name (name)->named_group;
    }
  step->result = alert ? TLS_CHECK_FAILED : TLS_CHECK_PASSED;
  tls_step_set_reason (step, "%s", alert ? reason : _("acceptable"));
  if (!tls_kx_is_ecdh (ep->suite->kx))
    tls_step_explain (step, "RFC 7919, 3; RFC 8446, 4.2.8.1",
                      _("A group with a small prime would let an attacker compute the shared "
                        "secret, so the client wants a large enough prime. The server's public "
                        "value Ys must lie strictly between 1 and p - 1: 0, 1 or p - 1 would force "
                        "a shared secret anyone can guess. The client checks both before it uses "
                        "them."));
  else if (ep->group == TLS_GROUP_X25519)
    tls_step_explain (step, "RFC 8422, 5.1.1; RFC 8422, 5.11",
                      _("The server must use a curve the client listed in supported_groups. An "
                        "X25519 public value is any 32-byte string, so there is no point to "
                        "validate here; instead the client refuses a shared secret of all zeros "
                        "when it computes it."));
  else if (ep->group == TLS_GROUP_X448)
    tls_step_explain (step, "RFC 8422, 5.1.1; RFC 8422, 5.11",
                      _("The server must use a curve the client listed in supported_groups. An "
                        "X448 public value is any 56-byte string, so there is no point to "
                        "validate here; instead the client refuses a shared secret of all zeros "
                        "when it computes it."));
  else
    tls_step_explain (step, "RFC 8422, 5.1.1; RFC 8422, 5.11",
                      _("The server must use a curve the client listed in supported_groups, and "
                        "its public value must be a point on that curve: a point off the curve "
                        "could reveal the client's private key (an invalid-curve attack). The "
                        "client checks both before it uses them."));
  tls_ep_commit (ep, step);
  if (alert)
    tls_ep_fail (ep, alert, "%s", reason);
  return alert == 0;
}

static gboolean
make_client_key (TlsEndpoint *ep)
{
  if (ep->suite->kx == TLS_KX_DH_RSA || ep->suite->kx == TLS_KX_DH_DSS)
    {
      /* Static DH: the server's public value and group are in its certificate. */
      g_autoptr (TlsDhKey) server = tls_dh_key_from_certificate_public (tls_certificate_get_public_key (ep->peer_leaf));
      TlsDhParams params;

      if (server == NULL)
        {
          tls_ep_fail (ep, TLS_ALERT_BAD_CERTIFICATE, _("the certificate does not hold a usable DH key"));
          return FALSE;
        }
      tls_dh_key_params (server, &params);
      ep->dh_p = g_bytes_new (params.p, params.p_len);
      ep->dh_g = g_bytes_new (params.g, params.g_len);
      ep->peer_public = tls_dh_key_public (server);
    }
  return tls_ep_kx_make_key (ep);
}

static gboolean
derive_shared (TlsEndpoint *ep)
{
  return tls_ep_kx_shared (ep, ep->ske_step >= 0 ? ep->ske_step : ep->certificate_step,
                           ep->group ? TLS_ALERT_HANDSHAKE_FAILURE : TLS_ALERT_ILLEGAL_PARAMETER);
}

/* ------------------------------------------------------------------ */
/* Client certificates                                                 */

/* Optional: a CertificateRequest, if the server sends one. */
static gboolean
read_certificate_request (TlsEndpoint *ep)
{
  g_autoptr (TlsField) root = NULL;
  TlsCertificateRequest cr;
  TlsUnit *u;
  TlsReader body;
  int err, next = tls_ep_peek_type (ep);

  if (next == -2)
    return FALSE;                       /* nothing yet */
  if (next != TLS_HS_CERTIFICATE_REQUEST)
    return TRUE;                        /* not asked: go on */
  u = tls_ep_expect (ep, TLS_HS_CERTIFICATE_REQUEST);
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls_certificate_request_parse (&body, &cr, ep->version);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_ep_fail (ep, err, _("the CertificateRequest could not be parsed"));
      tls_unit_free (u);
      return FALSE;
    }
  ep->cert_requested = TRUE;
  ep->cr_types = g_byte_array_ref (cr.certificate_types);
  if (cr.has_signature_algorithms)
    ep->cr_sigalgs = g_array_ref (cr.supported_signature_algorithms);
  tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                             _("The server asks for the client's certificate."), "RFC 5246, 7.4.4");
  tls_certificate_request_clear (&cr);
  tls_unit_free (u);
  return TRUE;
}

/* ClientCertificateType (RFC 5246, 7.4.4) of a key type. */
static guint8
cert_type_of (TlsPkAlg key)
{
  switch (key)
    {
    case TLS_PK_RSA: return 1;    /* rsa_sign */
    case TLS_PK_DSA: return 2;    /* dss_sign */
    case TLS_PK_EC: return 64;    /* ecdsa_sign */
    default: return 0;
    }
}

static gboolean
send_client_certificate (TlsEndpoint *ep)
{
  TlsCertificateMsg cm;
  TlsStep *step;
  gboolean have = ep->cfg.chain && ep->cfg.chain->len && ep->cfg.key;
  gboolean fits = FALSE;

  if (have)
    {
      guint8 t = cert_type_of (ep->cfg.key->type);
      for (guint i = 0; ep->cr_types && i < ep->cr_types->len; i++)
        fits |= ep->cr_types->data[i] == t;
      fits &= tls_ep_choose_sigalg (ep, ep->cfg.key->type, ep->cr_sigalgs) != TLS_SIG_ALG_UNKNOWN;
    }
  tls_certificate_msg_init (&cm);
  if (have && fits)
    for (guint i = 0; i < ep->cfg.chain->len; i++)
      tls_certificate_msg_add (&cm, tls_certificate_get_der (g_ptr_array_index (ep->cfg.chain, i)));
  ep->sent_client_cert = cm.certificate_list->len > 0;
  step = tls_ep_send_message (ep, TLS_HS_CERTIFICATE, "Certificate",
                              (TlsWriteFunc) tls_certificate_msg_write, &cm);
  tls_step_explain (step, "RFC 5246, 7.4.6",
                    ep->sent_client_cert
                    ? _("The server asked, so the client sends its certificate chain, its own "
                        "certificate first. It will prove it holds the private key in "
                        "CertificateVerify.")
                    : have ? _("The server asked, but the client's certificate does not fit the key "
                               "types or signature algorithms the server accepts: the client sends "
                               "an empty certificate list (it MUST answer).")
                           : _("The server asked, but the client has no certificate: it sends an "
                               "empty certificate list (it MUST answer). The server decides whether "
                               "to go on."));
  tls_ep_commit (ep, step);
  tls_certificate_msg_clear (&cm);
  return TRUE;
}

/* TLS 1.2: which signature the CertificateVerify carries, from the
 * server's CertificateRequest (RFC 5246, 7.4.4 and 7.4.8). */
static gboolean
decide_signature (TlsEndpoint *ep)
{
  return tls_ep_decide_sigalg (ep, ep->cr_sigalgs, "CertificateRequest supported_signature_algorithms");
}

static gboolean
send_certificate_verify (TlsEndpoint *ep)
{
  TlsCertificateVerify cv = { 0 };
  TlsSigAlg alg = tls_ep_choose_sigalg (ep, ep->cfg.key->type, ep->cr_sigalgs);
  TlsStep *step;
  gsize tlen;
  const guint8 *tdata = tls_transcript_data (ep->transcript, &tlen);
  g_autoptr (GBytes) signed_data = g_bytes_new (tdata, tlen);

  /* The signature covers every handshake message so far (RFC 5246, 7.4.8). */
  if (!tls_ep_sign (ep, ep->cfg.key, alg, tdata, tlen, "client-bad-certificate-verify",
                    &cv.digitally_signed))
    return FALSE;
  step = tls_ep_send_message (ep, TLS_HS_CERTIFICATE_VERIFY, "CertificateVerify",
                              (TlsWriteFunc) tls_certificate_verify_write, &cv);
  tls_step_add_input (step, "handshake_messages", g_bytes_get_data (signed_data, NULL),
                      g_bytes_get_size (signed_data), -1,
                      _("every handshake message from ClientHello up to and including ClientKeyExchange"));
  tls_step_add_text_input (step, "signature algorithm", tls_sig_alg_name (alg), -1,
                           ep->version >= TLS_VERSION_1_2
                           ? _("one the server listed in CertificateRequest")
                           : _("fixed by the version: TLS 1.0 and 1.1 name no algorithm"));
  tls_step_explain (step, "RFC 5246, 7.4.8",
                    g_strcmp0 (ep->cfg.tamper, "client-bad-certificate-verify") == 0
                    ? _("FAULT INJECTED ON PURPOSE: one bit of this signature was flipped after "
                        "signing, so the server's check must fail (decrypt_error).")
                    : _("The client signs the handshake so far with the private key of its "
                      "certificate. The server checks the signature with the certificate's public "
                      "key: proof that the client holds the key, bound to this very handshake."));
  tls_ep_commit (ep, step);
  tls_certificate_verify_clear (&cv);
  return TRUE;
}

static gboolean
read_new_session_ticket (TlsEndpoint *ep)
{
  g_autoptr (TlsField) root = NULL;
  TlsUnit *u = tls_ep_expect (ep, TLS_HS_NEW_SESSION_TICKET);
  TlsNewSessionTicket nst = { 0 };
  TlsReader body;
  int err;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls_new_session_ticket_parse (&body, &nst);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_ep_fail (ep, err, _("the NewSessionTicket could not be parsed"));
      tls_unit_free (u);
      return FALSE;
    }
  g_clear_pointer (&ep->new_ticket, g_bytes_unref);
  ep->new_ticket = g_bytes_ref (nst.ticket);
  ep->new_ticket_lifetime = nst.ticket_lifetime_hint;
  tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                             _("The server hands the client a ticket: the session, sealed with a key "
                               "only the server knows. The client keeps it, unread, to resume later."),
                             "RFC 5077, 3.3");
  tls_new_session_ticket_clear (&nst);
  tls_unit_free (u);
  return TRUE;
}







/* ------------------------------------------------------------------ */
/* The flows, as data: each action runs when its condition holds.      */

static gboolean ephemeral (TlsEndpoint *ep) { return tls_kx_is_ephemeral (ep->suite->kx); }
static gboolean rsa_kx (TlsEndpoint *ep) { return ep->suite->kx == TLS_KX_RSA; }
static gboolean dh_kx (TlsEndpoint *ep) { return ep->suite->kx != TLS_KX_RSA; }
/* With trust anchors the chain validation checks the key too. */
static gboolean no_trust (TlsEndpoint *ep) { return ep->cfg.trust == NULL; }
/* (a client that speaks TLS 1.3 sends a session ID of its own making, D.4) */
static gboolean offered_session (TlsEndpoint *ep) { return ep->ch.session_id_len > 0 && ep->cfg.resume; }
static gboolean ticket_expected (TlsEndpoint *ep) { return ep->ticket_expected; }
static gboolean cert_requested (TlsEndpoint *ep) { return ep->cert_requested; }
static gboolean sent_client_cert (TlsEndpoint *ep) { return ep->sent_client_cert; }
static gboolean signs_cv (TlsEndpoint *ep) { return ep->sent_client_cert && ep->version >= TLS_VERSION_1_2; }
static gboolean offered_tls12_got_less (TlsEndpoint *ep)
{
  return ep->cfg.max_version == TLS_VERSION_1_2 && ep->version < TLS_VERSION_1_2;
}

/* Fig. 1 */
static const TlsFlowRow full_flow[] = {
  { send_client_hello, tls_ep_always },
  { read_server_hello, tls_ep_always },
  { tls13_decide_legacy_version, tls13_offered },   /* RFC 8446, D.1 */
  { check_server_hello, tls_ep_always },
  { check_downgrade_sentinel, offered_tls12_got_less },
  { tls13_check_downgrade, tls13_offered },         /* RFC 8446, 4.1.3 */
  { decide_resumption, offered_session },
  { read_certificate, tls_ep_always },
  { read_server_key_exchange, ephemeral },
  { check_ske_signature, ephemeral },
  { check_ske_params, ephemeral },
  { read_certificate_request, tls_ep_always },   /* optional: only if one comes */
  { read_server_hello_done, tls_ep_always },
  { check_key_fits, no_trust },
  { check_chain, tls_ep_always },
  { send_client_certificate, cert_requested },
  { make_premaster, rsa_kx },
  { make_client_key, dh_kx },
  { send_client_key_exchange, tls_ep_always },
  { derive_shared, dh_kx },
  { decide_signature, signs_cv },
  { send_certificate_verify, sent_client_cert },
  { tls_ep_act_derive_master, tls_ep_always },
  { tls_ep_act_derive_keys, tls_ep_always },
  { tls_ep_act_send_ccs, tls_ep_always },
  { tls_ep_act_compute_verify, tls_ep_always },
  { tls_ep_act_send_finished, tls_ep_always },
  { read_new_session_ticket, ticket_expected },
  { tls_ep_act_read_ccs, tls_ep_always },
  { tls_ep_act_read_finished, tls_ep_always },
};

/* Fig. 2: the first seven rows are those of Fig. 1 (the resumption
 * decision picks the flow). */
static const TlsFlowRow resumed_flow[] = {
  { send_client_hello, tls_ep_always },
  { read_server_hello, tls_ep_always },
  { tls13_decide_legacy_version, tls13_offered },   /* RFC 8446, D.1 */
  { check_server_hello, tls_ep_always },
  { check_downgrade_sentinel, offered_tls12_got_less },
  { tls13_check_downgrade, tls13_offered },         /* RFC 8446, 4.1.3 */
  { decide_resumption, offered_session },
  { tls_ep_act_derive_keys, tls_ep_always },
  { read_new_session_ticket, ticket_expected },
  { tls_ep_act_read_ccs, tls_ep_always },
  { tls_ep_act_read_finished, tls_ep_always },
  { tls_ep_act_send_ccs, tls_ep_always },
  { tls_ep_act_compute_verify, tls_ep_always },
  { tls_ep_act_send_finished, tls_ep_always },
};

static void
client_done (TlsEndpoint *ep)
{
  TlsSession *s;

  ep->status = TLS_EP_DONE;
  if (ep->session_id_len > 0 || ep->new_ticket || (ep->resumed && ep->cfg.resume->ticket))
    {
      s = tls_session_new ();
      memcpy (s->id, ep->session_id, ep->session_id_len);
      s->id_len = ep->session_id_len;
      s->version = ep->version;
      s->suite = ep->suite->id;
      memcpy (s->master, ep->master, 48);
      s->extended_master_secret = ep->ems;
      s->created = ep->now;
      s->server_name = g_strdup (ep->cfg.server_name);
      if (ep->new_ticket)
        {
          s->ticket = g_bytes_ref (ep->new_ticket);
          s->ticket_lifetime = ep->new_ticket_lifetime;
        }
      else if (ep->resumed && ep->cfg.resume->ticket)
        {
          s->ticket = g_bytes_ref (ep->cfg.resume->ticket);
          s->ticket_lifetime = ep->cfg.resume->ticket_lifetime;
        }
      if (s->ticket)
        s->id_len = 0;   /* a session with a ticket is resumed by its ticket */
      tls_session_free (ep->session);
      ep->session = s;
    }
  tls_ep_set_result_meta (ep);
}

void
tls_client_continue_tls12 (TlsEndpoint *ep)
{
  ep->state = 1;
  g_assert (full_flow[ep->state].action == read_server_hello);
}

void
tls_client_action (TlsEndpoint *ep)
{
  if (ep->resumed)
    tls_ep_run_flow (ep, resumed_flow, G_N_ELEMENTS (resumed_flow), client_done);
  else
    tls_ep_run_flow (ep, full_flow, G_N_ELEMENTS (full_flow), client_done);
}
