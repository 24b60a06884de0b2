/* tls13-client.c — our TLS 1.3 client (RFC 8446, 2, Figure 1: the full
 * handshake), one teaching step at a time.  The table client_flow at the
 * end is the handshake's shape; the rows both sides share are in
 * tls13-flow.c. */
#include <glib/gi18n-lib.h>
#include "tls13-flow.h"
#include "tls13-hrr.h"
#include "tls13-psk.h"
#include "tls13-downgrade.h"
#include "tls-client.h"
#include "tls13-early-data.h"
#include "tls-alpn.h"
#include "tls-handshake.h"
#include "tls-extensions.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-server-hello.h"
#include "tls13-extensions.h"
#include "tls13-msg-encrypted-extensions.h"
#include "tls13-msg-certificate.h"
#include "tls13-msg-certificate-request.h"
#include "tls13-client-auth.h"
#include "tls-x509.h"

#include <string.h>

/* RFC 8446, 4.2.3: what this client verifies in a CertificateVerify, and
 * (rsa_pkcs1_*) in the certificates of the chain. */
static const guint16 client_sigalgs[] = {
  TLS_SIG_ECDSA_SHA256, TLS_SIG_ECDSA_SHA384,
  TLS_SIG_RSA_PSS_RSAE_SHA256, TLS_SIG_RSA_PSS_RSAE_SHA384, TLS_SIG_RSA_PSS_RSAE_SHA512,
  TLS_SIG_RSA_PKCS1_SHA256, TLS_SIG_RSA_PKCS1_SHA384, TLS_SIG_RSA_PKCS1_SHA512,
  TLS_SIG_ED25519,
};

static void
offered_suites (TlsEndpoint *ep, GArray *out)
{
  guint n;
  const TlsSuite **all = tls_suite_all (&n);

  if (ep->cfg.suites && ep->cfg.suites->len)
    {
      for (guint i = 0; i < ep->cfg.suites->len; i++)
        {
          const TlsSuite *s = tls_suite_by_id (g_array_index (ep->cfg.suites, guint16, i));
          if (s != NULL && tls_suite_is_tls13 (s))
            g_array_append_val (out, s->id);
        }
    }
  else
    for (guint i = 0; i < n; i++)
      if (tls_suite_is_tls13 (all[i]))
        g_array_append_val (out, all[i]->id);
}

/* The key pair is made for the ClientHello, and shown just after it (a
 * lesson starts with the ClientHello). */
static gboolean
show_key_share (TlsEndpoint *ep)
{
  return tls13_key_share_step (ep, "ClientHello");
}

static gboolean
send_client_hello (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsClientHello *ch = &ep->ch;
  /* RFC 8446, 4.2.1: every version the client is prepared to negotiate */
  static const guint16 versions[] = { TLS_VERSION_1_3, TLS_VERSION_1_2 };
  guint n_versions = ep->cfg.min_version <= TLS_VERSION_1_2 ? 2 : 1;
  g_autofree char *tls12_text = NULL;
  guint8 null_method = 0;
  guint n;
  const guint16 *groups = tls13_our_groups (ep, &n);
  g_autoptr (GBytes) pub = NULL;
  Tls13KeyShareEntry share;
  TlsStep *step;

  if (!tls13_keygen (ep, groups[0]))
    return FALSE;
  pub = tls13_share_public (st->share);
  share.group = st->group;
  share.key_exchange = pub;

  /* RFC 8446, 4.1.2: legacy_version = 0x0303; the versions go in
   * supported_versions. */
  ch->client_version = TLS_VERSION_1_2;
  ep->client_version = TLS_VERSION_1_3;
  tls_rng_bytes (ep->cfg.rng, ep->client_random, 32);
  memcpy (ch->random, ep->client_random, 32);
  /* Middlebox compatibility mode (D.4): a fresh 32-byte session ID. */
  tls_rng_bytes (ep->cfg.rng, ch->session_id, 32);
  ch->session_id_len = 32;
  st->compat = TRUE;
  offered_suites (ep, ch->cipher_suites);
  g_byte_array_append (ch->compression_methods, &null_method, 1);
  if (ep->cfg.server_name && *ep->cfg.server_name
      && !g_hostname_is_ip_address (ep->cfg.server_name))
    tls_extensions_add_server_name (&ch->extensions, ep->cfg.server_name);
  tls_extensions_add_supported_groups (&ch->extensions, groups, n);
  tls_extensions_add_signature_algorithms (&ch->extensions, client_sigalgs,
                                           G_N_ELEMENTS (client_sigalgs));
  if (n_versions > 1)   /* and what TLS 1.2 needs (RFC 8446, D.1) */
    tls_client_add_tls12_offer (ep, ch->cipher_suites, &ch->extensions);
  tls13_extensions_add_supported_versions (&ch->extensions, versions, n_versions);
  tls13_extensions_add_key_share_client (&ch->extensions, &share, 1);
  if (ep->cfg.alpn != NULL && ep->cfg.alpn[0] != NULL)
    tls_extensions_add_alpn (&ch->extensions, (const char *const *) ep->cfg.alpn);
  tls13_early_add_offer (ep, ch); /* 0-RTT: early_data (tls13-early-data.c) */
  tls13_psk_add_offer (ep, ch);   /* a ticket: pre_shared_key, the last extension */

  step = tls_ep_send_message (ep, TLS_HS_CLIENT_HELLO, "ClientHello",
                              (TlsWriteFunc) tls_client_hello_write, ch);
  ep->client_hello_step = st->ch_step = step->index;
  if (n_versions > 1)
    tls12_text = tls13_downgrade_client_hello_text (ch);
  tls_step_explain (step, n_versions > 1 ? "RFC 8446, 4.1.2; RFC 8446, 4.2.1; RFC 8446, 4.2.8; "
                                            "RFC 8446, D.1"
                                          : "RFC 8446, 4.1.2; RFC 8446, 4.2.1; RFC 8446, 4.2.8",
                    "%s%s", _("The client opens a TLS 1.3 handshake. legacy_version says TLS 1.2 (0x0303) "
                      "for old middleboxes; the versions it really speaks are in "
                      "supported_versions. It sends 32 fresh random bytes, a 32-byte "
                      "legacy_session_id of its own making (the middlebox compatibility mode, "
                      "D.4), the TLS 1.3 cipher suites it accepts, the null compression method, "
                      "the groups and signature schemes it can use, and already one key share: "
                      "its (EC)DHE public key for the group it expects the server to pick, which "
                      "saves a round trip if the server picks that group."), tls12_text ? tls12_text : "");
  tls_ep_commit (ep, step);
  return TRUE;
}

static gboolean
read_server_hello (TlsEndpoint *ep)
{
  TlsUnit *u = tls13_expect (ep, TLS_HS_SERVER_HELLO);
  TlsField *root;
  TlsReader body;
  TlsStep *step;
  int err;

  if (u == NULL)
    return FALSE;
  tls_server_hello_clear (&ep->sh);
  tls_server_hello_init (&ep->sh);
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls_server_hello_parse (&body, &ep->sh);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_field_free (root);
      tls_unit_free (u);
      tls_ep_fail (ep, err, _("the ServerHello could not be parsed (%s)"), tls_alert_name (err));
      return FALSE;
    }
  if (tls13_random_is_hrr (ep->sh.random))
    {
      gboolean ok = tls13_hrr_received (ep, u, root);   /* RFC 8446, 4.1.3 */
      tls_unit_free (u);
      return ok;
    }
  if (!tls_extensions_has (&ep->sh.extensions, TLS13_EXT_SUPPORTED_VERSIONS) && !ep->t13->hrr
      && ep->cfg.min_version <= TLS_VERSION_1_2)
    {
      /* RFC 8446, D.1: the server chose an older version; the TLS 1.2
       * client takes the same ServerHello, after the same ClientHello. */
      tls_field_free (root);
      g_queue_push_head (ep->units, u);
      g_clear_pointer (&ep->t13, tls13_state_free);
      tls_client_continue_tls12 (ep);
      return FALSE;
    }
  memcpy (ep->server_random, ep->sh.random, 32);
  step = tls_ep_received_handshake (ep, u, root,
                                    _("The server's answer: the version it chose (in "
                                      "supported_versions), the cipher suite, the echo of the "
                                      "client's session ID, and its own key share."),
                                    "RFC 8446, 4.1.3");
  ep->server_hello_step = ep->t13->sh_step
    = step ? (int) step->index : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "ServerHello");
  tls_unit_free (u);
  return TRUE;
}

/* One check step over the ServerHello; fails the endpoint with ALERT
 * when WHY is set. */
static gboolean
server_hello_check (TlsEndpoint *ep, int alert, const char *why, const char *subject,
                    const char *rfc)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("ServerHello acceptable"));

  step->subject = g_strdup (subject);
  step->against = g_strdup (_("what the ClientHello offered"));
  step->result = why ? TLS_CHECK_FAILED : TLS_CHECK_PASSED;
  if (why)
    tls_trace_group (ep->trace, step, TLS_PARENT_NONE);
  else
    tls_ep_group_under_message (ep, step, "ServerHello");
  tls_step_set_reason (step, "%s", why ? why : _("the version, the cipher suite, the session ID "
                                                 "echo and the key share group are all what the "
                                                 "client offered"));
  tls_step_explain (step, rfc, "%s",
                    _("The client accepts only what it offered: TLS 1.3 in supported_versions, "
                      "one of its cipher suites, its own legacy_session_id echoed back, and a "
                      "key share in the group of its own share. Anything else ends the "
                      "handshake, with illegal_parameter for a value the client did not offer."));
  tls_ep_commit (ep, step);
  if (why)
    tls_ep_fail (ep, alert, "%s", why);
  return why == NULL;
}

static gboolean
check_server_hello (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsServerHello *sh = &ep->sh;
  guint16 selected = 0, group = 0;
  g_autoptr (GBytes) share = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *why = NULL;
  const TlsSuite *suite = tls_suite_by_id (sh->cipher_suite);
  int alert = TLS_ALERT_ILLEGAL_PARAMETER;
  /* the version: 4.2.1; the suite and the echo: 4.1.3; the group: 4.2.8 */
  const char *rfc = "RFC 8446, 4.1.3; RFC 8446, 4.2.1; RFC 8446, 4.2.8";

  tls13_extensions_get_selected_version (&sh->extensions, &selected);
  tls13_extensions_get_server_key_share (&sh->extensions, &group, &share);
  subject = g_strdup_printf ("%s, %s, %s", selected ? tls_version_name (selected) : "no supported_versions",
                             suite ? suite->name : "?",
                             share ? tls13_named_group_name (group) : _("no key_share"));
  if (selected != TLS_VERSION_1_3)
    {
      /* 4.1.3: a TLS 1.3 client that gets a lower version checks the last
       * 8 bytes of ServerHello.random for the downgrade sentinels. */
      if (selected != 0)
        why = g_strdup_printf (_("supported_versions in the ServerHello names %s; there the "
                                 "client accepts only TLS 1.3"), tls_version_name (selected));
      else if (tls13_downgrade_sentinel_in (sh->random) != NULL)
        why = g_strdup_printf (_("the server chose %s and its random ends with the downgrade "
                                 "sentinel \"DOWNGRD\": something between the two sides removed "
                                 "TLS 1.3 from the ClientHello"),
                               tls_version_name (selected ? selected : sh->server_version));
      else
        {
          why = g_strdup_printf (_("the server chose %s; this client speaks only TLS 1.3"),
                                 tls_version_name (selected ? selected : sh->server_version));
          alert = TLS_ALERT_PROTOCOL_VERSION;
        }
      rfc = "RFC 8446, 4.1.3; RFC 8446, 4.2.1";
    }
  else if (suite == NULL || !tls_suite_is_tls13 (suite)
           || !tls_client_hello_offers_suite (&ep->ch, sh->cipher_suite))
    why = g_strdup_printf (_("the server chose the cipher suite 0x%04x, which the client did not "
                             "offer"), sh->cipher_suite);
  else if (sh->session_id_len != ep->ch.session_id_len
           || memcmp (sh->session_id, ep->ch.session_id, sh->session_id_len) != 0)
    why = g_strdup (_("legacy_session_id_echo is not the client's legacy_session_id"));
  else if (sh->compression_method != 0)
    why = g_strdup (_("legacy_compression_method is not 0"));
  else if ((why = tls13_psk_check_server_hello (ep, suite, share != NULL, &alert)) != NULL)
    rfc = "RFC 8446, 4.2.11";
  else if (share == NULL && !st->psk_ke)
    {
      why = g_strdup (st->psk_offered
                      ? _("the ServerHello has neither key_share nor pre_shared_key: without "
                          "the PSK the handshake needs the server's key share")
                      : _("the ServerHello has no key_share: this client offers no PSK, so it "
                          "needs one"));
      alert = TLS_ALERT_MISSING_EXTENSION;
    }
  else if (st->hrr && ep->suite != NULL && sh->cipher_suite != ep->suite->id)
    why = g_strdup_printf (_("the ServerHello names the cipher suite 0x%04x, the "
                             "HelloRetryRequest named %s"), sh->cipher_suite, ep->suite->name);
  else if (share != NULL && group != st->group)
    why = g_strdup_printf (_("the server's key share is for %s, but the client sent a share for "
                             "%s only"), tls13_named_group_name (group),
                           tls13_named_group_name (st->group));
  if (!server_hello_check (ep, alert, why, subject, rfc))
    return FALSE;
  ep->version = TLS_VERSION_1_3;
  ep->suite = suite;
  ep->record_version = TLS_VERSION_1_2;
  memcpy (ep->session_id, sh->session_id, sh->session_id_len);
  ep->session_id_len = sh->session_id_len;
  return TRUE;
}

static gboolean
derive_shared (TlsEndpoint *ep)
{
  g_autoptr (GBytes) share = NULL;
  guint16 group;

  tls13_extensions_get_server_key_share (&ep->sh.extensions, &group, &share);
  return tls13_derive_shared (ep, share, ep->t13->sh_step);
}

static gboolean
read_encrypted_extensions (TlsEndpoint *ep)
{
  TlsUnit *u = tls13_expect (ep, TLS_HS_ENCRYPTED_EXTENSIONS);
  Tls13EncryptedExtensions ee;
  TlsField *root;
  TlsReader body;
  guint16 bad = 0;
  int err;

  if (u == NULL)
    return FALSE;
  tls13_encrypted_extensions_init (&ee);
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls13_encrypted_extensions_parse (&body, &ee);
  err = tls_ep_body_done (&body, err);
  if (err == 0 && tls_extensions_check_server (&ee.extensions, &ep->ch.extensions, &bad) != 0)
    {
      tls_ep_fail (ep, TLS_ALERT_UNSUPPORTED_EXTENSION,
                   _("EncryptedExtensions carries the extension %u, which the client did not "
                     "offer"), bad);
      err = -1;
    }
  else if (err != 0)
    tls_ep_fail (ep, err, _("EncryptedExtensions could not be parsed (%s)"), tls_alert_name (err));
  else if (tls_extensions_has (&ee.extensions, TLS_EXT_ALPN)
           && !tls_ep_alpn_offered (ep, &ee.extensions))
    {
      /* RFC 7301, 3.1: the server's ProtocolNameList "MUST contain exactly
       * one "ProtocolName"", one the client offered. */
      tls_ep_fail (ep, TLS_ALERT_ILLEGAL_PARAMETER,
                   _("the server's ALPN answer is not exactly one of the protocols the client "
                     "offered (RFC 7301, 3.1)"));
      err = -1;
    }
  else if (tls_extensions_has (&ee.extensions, TLS_EXT_ALPN))
    {
      g_autoptr (GPtrArray) alpn = tls_extensions_get_alpn (&ee.extensions);
      g_free (ep->alpn);
      ep->alpn = g_strdup (alpn->pdata[0]);
    }
  if (err == 0 && !tls13_early_note_ee (ep, &ee.extensions))
    err = -1;
  if (err != 0)
    tls_field_free (root);
  else
    tls_ep_received_handshake (ep, u, root,
                               _("The first encrypted message: the extensions that are not needed "
                                 "to set up the keys."),
                               "RFC 8446, 4.3.1");
  tls13_encrypted_extensions_clear (&ee);
  tls_unit_free (u);
  return err == 0;
}

/* RFC 8446, 4.3.2 (tls13-msg-certificate-request.h).  Optional: read
 * only when the server sends one; the answer is in tls13-client-auth.c. */
static gboolean
read_certificate_request (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  Tls13CertificateRequest cr;
  TlsUnit *u;
  TlsField *root;
  TlsReader body;
  int err, type = tls_ep_peek_type (ep);

  if (type == -2)
    return FALSE;                    /* nothing yet */
  if (type != TLS_HS_CERTIFICATE_REQUEST)
    return TRUE;                     /* none: go on to the Certificate */
  u = tls13_expect (ep, TLS_HS_CERTIFICATE_REQUEST);
  if (u == NULL)
    return FALSE;
  tls13_certificate_request_init (&cr);
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    {
      tls13_certificate_request_clear (&cr);
      err = tls13_certificate_request_parse (&body, &cr);
    }
  err = tls_ep_body_done (&body, err);
  if (err == 0 && !tls_extensions_has (&cr.extensions, TLS_EXT_SIGNATURE_ALGORITHMS))
    {
      /* 4.3.2: "The "signature_algorithms" extension MUST be specified". */
      tls_ep_fail (ep, TLS_ALERT_MISSING_EXTENSION,
                   _("the CertificateRequest has no signature_algorithms extension"));
      err = -1;
    }
  else if (err != 0)
    tls_ep_fail (ep, err, _("the CertificateRequest could not be parsed (%s)"), tls_alert_name (err));
  if (err != 0)
    tls_field_free (root);
  else
    {
      tls_ep_received_handshake (ep, u, root,
                                 _("The server asks the client for a certificate. It names the "
                                   "signature schemes it accepts in signature_algorithms; the "
                                   "client's answer comes after the server's Finished."),
                                 "RFC 8446, 4.3.2");
      g_clear_pointer (&st->cr_context, g_bytes_unref);
      st->cr_context = g_bytes_ref (cr.certificate_request_context);
      g_clear_pointer (&ep->cr_sigalgs, g_array_unref);
      ep->cr_sigalgs = tls_extensions_get_signature_algorithms (&cr.extensions);
      ep->cert_requested = TRUE;
    }
  tls13_certificate_request_clear (&cr);
  tls_unit_free (u);
  return err == 0;
}

static gboolean
cert_requested (TlsEndpoint *ep)
{
  return ep->t13->cr_context != NULL;
}

static gboolean
read_certificate (TlsEndpoint *ep)
{
  TlsUnit *u = tls13_expect (ep, TLS_HS_CERTIFICATE);
  Tls13CertificateMsg cm = { 0 };   /* the parse initialises it */
  TlsField *root;
  TlsReader body;
  g_autoptr (GError) error = NULL;
  TlsStep *step;
  int err;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls13_certificate_msg_parse (&body, &cm);
  err = tls_ep_body_done (&body, err);
  if (err == 0 && cm.certificate_list->len == 0)
    {
      /* 4.4.2.4: "If the server supplies an empty Certificate message,
       * the client MUST abort the handshake with a "decode_error" alert." */
      tls_ep_fail (ep, TLS_ALERT_DECODE_ERROR, _("the server's Certificate message is empty"));
      err = -1;
    }
  else if (err != 0)
    tls_ep_fail (ep, err, _("the server's Certificate could not be parsed (%s)"),
                 tls_alert_name (err));
  if (err == 0)
    {
      for (guint i = 0; i < cm.certificate_list->len; i++)
        g_ptr_array_add (ep->peer_chain,
                         g_bytes_ref (g_array_index (cm.certificate_list, Tls13CertificateEntry, i).cert_data));
      if ((ep->peer_leaf = tls_ep_decode_leaf (ep, &error)) == NULL)
        {
          tls_ep_fail (ep, TLS_ALERT_BAD_CERTIFICATE, _("the server's certificate cannot be decoded: %s"),
                       error->message);
          err = -1;
        }
    }
  if (err != 0)
    {
      tls_field_free (root);
      tls13_certificate_msg_clear (&cm);
      tls_unit_free (u);
      return FALSE;
    }
  step = tls_ep_received_handshake (ep, u, root,
                                    _("The server's certificate chain, encrypted: in TLS 1.3 an "
                                      "onlooker no longer sees which certificate the server "
                                      "presents."),
                                    "RFC 8446, 4.4.2");
  ep->certificate_step = ep->t13->cert_step
    = step ? (int) step->index : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "Certificate");
  tls13_certificate_msg_clear (&cm);
  tls_unit_free (u);
  return TRUE;
}

static gboolean
check_chain (TlsEndpoint *ep)
{
  return tls_ep_check_chain (ep, TRUE, !ep->cfg.insecure);
}

/* The server's CertificateVerify, with a scheme this client offered. */
static gboolean
read_certificate_verify (TlsEndpoint *ep)
{
  return tls13_read_certificate_verify (ep, client_sigalgs, G_N_ELEMENTS (client_sigalgs));
}

/* RFC 8446, 2, Figure 1 (the client's Certificate and CertificateVerify
 * when asked: tls13-client-auth.c), and Figure 3: with a
 * ticket (tls13-psk.c) the Early Secret and the binder come first; if the
 * server accepts the PSK, no Certificate or CertificateVerify follow, and
 * in psk_ke no (EC)DHE either. */
/* RFC 8446, D.4: "If the client offers early data, the record is placed
 * immediately after the first ClientHello"; otherwise this client sends it
 * before its encrypted handshake flight. */
static gboolean
ccs_after_client_hello (TlsEndpoint *ep)
{
  return tls13_early_offered (ep);
}

static gboolean
ccs_before_flight (TlsEndpoint *ep)
{
  return !tls13_early_offered (ep);
}

static const TlsFlowRow client_flow[] = {
  { tls13_psk_early_secret, tls13_psk_offering },
  { tls13_psk_binder_key, tls13_psk_in_hand },
  { send_client_hello, tls_ep_always },
  { show_key_share, tls_ep_always },
  { tls13_act_send_ccs, ccs_after_client_hello },  /* RFC 8446, D.4 */
  { tls13_early_keys, tls13_early_offered },       /* RFC 8446, 2.3, Figure 4 */
  { tls13_early_send_data, tls13_early_offered },
  { read_server_hello, tls_ep_always },
  { tls13_hrr_check, tls13_hrr_happened },         /* RFC 8446, 2.1, Figure 2 */
  { tls13_hrr_message_hash, tls13_hrr_happened },
  { tls13_hrr_send_client_hello2, tls13_hrr_happened },
  { tls13_hrr_show_key_share, tls13_hrr_happened },
  { read_server_hello, tls13_hrr_happened },
  { check_server_hello, tls_ep_always },
  { tls13_psk_client_outcome, tls13_psk_in_hand },
  { derive_shared, tls13_psk_with_dhe },
  { tls13_act_early_secret, tls13_psk_not_accepted },
  { tls13_act_handshake_secret, tls_ep_always },
  { tls13_act_handshake_traffic, tls_ep_always },
  { tls13_act_server_hs_keys, tls_ep_always },
  { tls13_act_client_hs_keys, tls_ep_always },
  { read_encrypted_extensions, tls_ep_always },
  { tls13_early_client_outcome, tls13_early_offered },
  { read_certificate_request, tls13_psk_not_accepted },   /* optional: only if one comes */
  { read_certificate, tls13_psk_not_accepted },
  { check_chain, tls13_psk_not_accepted },
  { read_certificate_verify, tls13_psk_not_accepted },
  { tls13_act_read_finished, tls_ep_always },
  { tls13_act_master_secret, tls_ep_always },
  { tls13_act_app_traffic, tls_ep_always },
  { tls13_act_server_ap_keys, tls_ep_always },
  { tls13_act_client_ap_keys, tls_ep_always },
  { tls13_act_send_ccs, ccs_before_flight },
  { tls13_early_send_eoed, tls13_early_accepted },
  { tls13_auth_decide_scheme, tls13_auth_has_certificate },
  { tls13_auth_send_certificate, cert_requested },
  { tls13_auth_send_certificate_verify, tls13_auth_sent_certificate },
  { tls13_act_send_finished, tls_ep_always },
};

void
tls13_client_action (TlsEndpoint *ep)
{
  tls_ep_run_flow (ep, client_flow, G_N_ELEMENTS (client_flow), tls13_done);
}
