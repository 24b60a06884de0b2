/* tls13-server.c — our TLS 1.3 server (RFC 8446, 2, Figure 1: the full
 * handshake), one teaching step at a time.  The table server_flow at the
 * end is the handshake's shape; the rows both sides share are in
 * tls13-flow.c.  A ClientHello without TLS 1.3 in supported_versions goes
 * to the TLS 1.2 server (tls-server.c) when the configuration allows it. */
#include <glib/gi18n-lib.h>
#include "tls13-flow.h"
#include "tls13-hrr.h"
#include "tls13-psk.h"
#include "tls13-early-data.h"
#include "tls13-client-auth.h"
#include "tls-alpn.h"
#include "tls-handshake.h"
#include "tls-extensions.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-server-hello.h"
#include "tls13-extensions.h"
#include "tls13-msg-encrypted-extensions.h"
#include "tls13-msg-certificate.h"
#include "tls13-msg-certificate-verify.h"
#include "tls-digitally-signed.h"
#include "tls-x509.h"

#include <string.h>

static gboolean
offers_tls13 (const TlsClientHello *ch)
{
  g_autoptr (GArray) versions = tls13_extensions_get_supported_versions (&ch->extensions);

  for (guint i = 0; versions && i < versions->len; i++)
    if (g_array_index (versions, guint16, i) == TLS_VERSION_1_3)
      return TRUE;
  return FALSE;
}

static gboolean
read_client_hello (TlsEndpoint *ep)
{
  TlsUnit *u = tls13_expect (ep, TLS_HS_CLIENT_HELLO);
  TlsField *root;
  TlsReader body;
  TlsStep *step;
  int err;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    {
      tls_client_hello_clear (&ep->ch);
      err = tls_client_hello_parse (&body, &ep->ch);
    }
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_field_free (root);
      tls_unit_free (u);
      tls_ep_fail (ep, err, _("the ClientHello could not be parsed (%s)"), tls_alert_name (err));
      return FALSE;
    }
  if (!offers_tls13 (&ep->ch) && ep->cfg.min_version <= TLS_VERSION_1_2)
    {
      /* Not a TLS 1.3 client: the TLS 1.2 server takes the same message. */
      tls_field_free (root);
      g_queue_push_head (ep->units, u);
      g_clear_pointer (&ep->t13, tls13_state_free);
      ep->record_version = ep->cfg.min_version;
      return FALSE;
    }
  memcpy (ep->client_random, ep->ch.random, 32);
  ep->client_version = ep->ch.client_version;
  ep->sni = tls_extensions_get_server_name (&ep->ch.extensions);
  step = tls_ep_received_handshake (ep, u, root,
                                    _("The client opens the handshake: legacy_version, 32 random "
                                      "bytes, a legacy_session_id, its cipher suites and its "
                                      "extensions, among them supported_versions and key_share."),
                                    "RFC 8446, 4.1.2");
  ep->client_hello_step = ep->t13->ch_step
    = step ? (int) step->index : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "ClientHello");
  tls_unit_free (u);
  return TRUE;
}

static TlsStep *
decision (TlsEndpoint *ep, const char *title)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, title);

  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  return step;
}

static gboolean
decide_version (TlsEndpoint *ep)
{
  g_autoptr (GArray) versions = tls13_extensions_get_supported_versions (&ep->ch.extensions);
  TlsStep *step = decision (ep, N_("Version"));
  gboolean ok = offers_tls13 (&ep->ch);

  for (guint i = 0; versions && i < versions->len; i++)
    tls_step_add_option (step, "%s", tls_version_name (g_array_index (versions, guint16, i)));
  if (ok)
    {
      step->choice = g_strdup ("TLS 1.3");
      tls_step_set_reason (step, _("the client lists TLS 1.3 in supported_versions, and so does "
                                   "this server"));
    }
  else
    {
      step->choice = g_strdup (_("none: refuse"));
      tls_step_set_reason (step, _("the client does not list TLS 1.3 in supported_versions, and "
                                   "this server speaks nothing else"));
    }
  tls_step_explain (step, "RFC 8446, 4.2.1",
                    _("A TLS 1.3 server picks the version from the client's supported_versions "
                      "extension and ignores legacy_version. The version it picked goes back in "
                      "the supported_versions extension of the ServerHello."));
  tls_ep_commit (ep, step);
  if (!ok)
    tls_ep_fail (ep, TLS_ALERT_PROTOCOL_VERSION,
                 _("the client does not offer TLS 1.3 and this server speaks only TLS 1.3"));
  return ok;
}

static gboolean
decide_suite (TlsEndpoint *ep)
{
  TlsStep *step = decision (ep, N_("Cipher suite"));
  const TlsSuite *chosen = NULL;
  guint n;
  const TlsSuite **all = tls_suite_all (&n);

  for (guint i = 0; i < ep->ch.cipher_suites->len; i++)
    {
      const TlsSuite *s = tls_suite_by_id (g_array_index (ep->ch.cipher_suites, guint16, i));
      tls_step_add_option (step, "%s", s ? s->name : "?");
    }
  /* The server's order of preference among what the client offers. */
  if (ep->cfg.suites && ep->cfg.suites->len)
    for (guint i = 0; chosen == NULL && i < ep->cfg.suites->len; i++)
      {
        const TlsSuite *s = tls_suite_by_id (g_array_index (ep->cfg.suites, guint16, i));
        if (s && tls_suite_is_tls13 (s) && tls_client_hello_offers_suite (&ep->ch, s->id))
          chosen = s;
      }
  else
    for (guint i = 0; chosen == NULL && i < n; i++)
      if (tls_suite_is_tls13 (all[i]) && tls_client_hello_offers_suite (&ep->ch, all[i]->id))
        chosen = all[i];
  step->choice = g_strdup (chosen ? chosen->name : _("none: refuse"));
  if (chosen)
    tls_step_set_reason (step, _("the first TLS 1.3 suite of the server's preference that the client "
                                 "offers"));
  else
    tls_step_set_reason (step, _("the client offers no TLS 1.3 cipher suite this server accepts"));
  tls_step_explain (step, "RFC 8446, 4.1.1; RFC 8446, B.4",
                    _("A TLS 1.3 cipher suite names only the AEAD of the records and the hash of "
                      "HKDF: the key exchange and the signature are negotiated apart, by "
                      "key_share and signature_algorithms."));
  tls_ep_commit (ep, step);
  if (chosen == NULL)
    {
      tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE,
                   _("no TLS 1.3 cipher suite in common"));
      return FALSE;
    }
  ep->suite = chosen;
  ep->version = TLS_VERSION_1_3;
  return TRUE;
}

static gboolean
decide_group (TlsEndpoint *ep)
{
  g_autoptr (GArray) shares = tls13_extensions_get_key_shares (&ep->ch.extensions);
  TlsStep *step = decision (ep, N_("Key share group"));
  guint n;
  const guint16 *ours = tls13_our_groups (ep, &n);
  guint16 chosen = 0, retry;

  for (guint i = 0; shares && i < shares->len; i++)
    tls_step_add_option (step, "%s",
                         tls13_named_group_name (g_array_index (shares, Tls13KeyShareEntry, i).group));
  for (guint k = 0; chosen == 0 && k < n; k++)
    for (guint i = 0; shares && i < shares->len; i++)
      if (g_array_index (shares, Tls13KeyShareEntry, i).group == ours[k])
        {
          chosen = ours[k];
          break;
        }
  /* None fits: a HelloRetryRequest if supported_groups lists one (4.1.4). */
  retry = chosen ? 0 : tls13_hrr_decide (ep, step);
  if (retry == 0)
    {
      step->choice = g_strdup (chosen ? tls13_named_group_name (chosen) : _("none: refuse"));
      if (chosen)
        tls_step_set_reason (step, _("the first group of the server's preference for which the "
                                     "client sent a key share"));
      else
        tls_step_set_reason (step, _("the client sent no key share in a group this server accepts"));
      tls_step_explain (step, "RFC 8446, 4.2.8",
                        _("The server answers with its own key share in one of the groups the "
                          "client sent a share for: then both sides have each other's public key "
                          "after one round trip."));
    }
  tls_ep_commit (ep, step);
  if (chosen == 0 && retry == 0)
    {
      tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE,
                   _("no key share in a group this server accepts"));
      return FALSE;
    }
  ep->t13->group = chosen ? chosen : retry;
  ep->t13->hrr = retry != 0;
  return TRUE;
}

static gboolean
decide_signature (TlsEndpoint *ep)
{
  g_autoptr (GArray) algs = tls_extensions_get_signature_algorithms (&ep->ch.extensions);
  TlsStep *step = decision (ep, N_("Signature scheme"));
  guint16 chosen = 0;

  for (guint i = 0; algs && i < algs->len; i++)
    {
      guint16 s = g_array_index (algs, guint16, i);
      /* named as the ClientHello's field tree names them (rsa_pss_pss_*,
       * ed448 too, which this server cannot make) */
      g_autofree char *name = tls_digitally_signed_describe (s);

      tls_step_add_option (step, "%s", name);
      if (chosen == 0 && ep->cfg.key != NULL && tls13_scheme_fits_key (s, ep->cfg.key))
        chosen = s;
    }
  step->choice = chosen ? tls_digitally_signed_describe (chosen) : g_strdup (_("none: refuse"));
  tls_step_set_reason (step, "%s", chosen
                       ? _("the first scheme in the client's list that the server's key can make")
                       : _("the client lists no scheme the server's key can make"));
  tls_step_explain (step, "RFC 8446, 4.2.3; RFC 8446, 4.4.3",
                    _("The CertificateVerify signature must use a scheme from the client's "
                      "signature_algorithms. TLS 1.3 signs with RSA only as RSASSA-PSS "
                      "(rsa_pss_rsae_* or rsa_pss_pss_*, by the type of the certificate's key), "
                      "and an ECDSA scheme names its curve."));
  tls_ep_commit (ep, step);
  if (chosen == 0)
    {
      tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE,
                   _("no signature scheme in common for the server's key"));
      return FALSE;
    }
  ep->t13->sigscheme = chosen;
  ep->t13->sigalg = tls_sig_alg_from_tls (chosen);
  return TRUE;
}

static gboolean
make_key_share (TlsEndpoint *ep)
{
  return tls13_make_key_share (ep, ep->t13->group);
}

static gboolean
derive_shared (TlsEndpoint *ep)
{
  g_autoptr (GArray) shares = tls13_extensions_get_key_shares (&ep->ch.extensions);

  for (guint i = 0; i < shares->len; i++)
    {
      Tls13KeyShareEntry *e = &g_array_index (shares, Tls13KeyShareEntry, i);
      if (e->group == ep->t13->group)
        return tls13_derive_shared (ep, e->key_exchange, ep->t13->ch_step);
    }
  return FALSE;
}

static gboolean
send_server_hello (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsServerHello *sh = &ep->sh;
  g_autoptr (GBytes) pub = st->share ? tls13_share_public (st->share) : NULL;
  TlsStep *step;

  tls_server_hello_clear (sh);
  tls_server_hello_init (sh);
  sh->server_version = TLS_VERSION_1_2;   /* legacy_version (RFC 8446, 4.1.3) */
  tls_rng_bytes (ep->cfg.rng, ep->server_random, 32);
  memcpy (sh->random, ep->server_random, 32);
  memcpy (sh->session_id, ep->ch.session_id, ep->ch.session_id_len);
  sh->session_id_len = ep->ch.session_id_len;
  sh->cipher_suite = ep->suite->id;
  sh->compression_method = 0;
  tls13_extensions_add_selected_version (&sh->extensions, TLS_VERSION_1_3);
  if (pub != NULL)   /* not in psk_ke (RFC 8446, 4.2.9) */
    tls13_extensions_add_key_share_server (&sh->extensions, st->group, pub);
  if (st->psk_accepted)
    tls13_extensions_add_selected_identity (&sh->extensions, st->psk_identity);
  st->compat = ep->ch.session_id_len > 0;
  ep->record_version = TLS_VERSION_1_2;
  step = tls_ep_send_message (ep, TLS_HS_SERVER_HELLO, "ServerHello",
                              (TlsWriteFunc) tls_server_hello_write, sh);
  ep->server_hello_step = st->sh_step = step->index;
  if (!st->psk_accepted)
    tls_step_explain (step, "RFC 8446, 4.1.3",
                      _("The server's answer, the last message in the clear. legacy_version still "
                        "says TLS 1.2; the version chosen is in supported_versions. It echoes the "
                        "client's legacy_session_id, names the cipher suite, and carries the "
                        "server's key share. From here on both sides can compute the handshake "
                        "secrets, and everything the server sends next is encrypted."));
  else
    tls_step_explain (step, "RFC 8446, 4.1.3; RFC 8446, 4.2.11; RFC 8446, 4.2.9", "%s",
                      st->psk_ke
                      ? _("The server's answer, the last message in the clear. Its pre_shared_key "
                          "extension names the identity it accepted (selected_identity), and it "
                          "carries no key share: psk_ke, the PSK alone makes the keys. "
                          "legacy_version still says TLS 1.2; the version is in "
                          "supported_versions.")
                      : _("The server's answer, the last message in the clear. Its pre_shared_key "
                          "extension names the identity it accepted (selected_identity), and its "
                          "key share makes this psk_dhe_ke: the PSK and a fresh (EC)DHE secret "
                          "both go into the keys. legacy_version still says TLS 1.2; the version "
                          "is in supported_versions."));
  tls_ep_commit (ep, step);
  return TRUE;
}

/* D.4: one dummy ChangeCipherSpec, after the server's first handshake
 * message (after the HelloRetryRequest when there was one). */
static gboolean
compat (TlsEndpoint *ep)
{
  return ep->t13->compat && !ep->t13->hrr;
}

static gboolean
send_encrypted_extensions (TlsEndpoint *ep)
{
  Tls13EncryptedExtensions ee;
  TlsStep *step;

  tls13_encrypted_extensions_init (&ee);
  ee.extensions.present = TRUE;
  if (ep->alpn != NULL)
    tls_extensions_add_alpn (&ee.extensions, (const char *const[]) { ep->alpn, NULL });
  tls13_early_add_ee (ep, &ee.extensions);
  step = tls_ep_send_message (ep, TLS_HS_ENCRYPTED_EXTENSIONS, "EncryptedExtensions",
                              (TlsWriteFunc) tls13_encrypted_extensions_write, &ee);
  tls_step_explain (step, ep->t13->early_accepted ? "RFC 8446, 4.3.1; RFC 8446, 4.2.10"
                                                  : "RFC 8446, 4.3.1",
                    ep->t13->early_accepted
                    ? _("The first message under the server's handshake traffic keys: the "
                        "extensions that are not needed to set up the keys. In this run it has "
                        "early_data: the server tells the client that it read its 0-RTT data.")
                    : ep->alpn != NULL
                    ? _("The first message under the server's handshake traffic keys: the "
                        "extensions that are not needed to set up the keys. In this run it "
                        "names the application protocol chosen (ALPN).")
                    : _("The first message under the server's handshake traffic keys: the "
                        "extensions that are not needed to set up the keys. In this run the list "
                        "is empty."));
  tls_ep_commit (ep, step);
  tls13_encrypted_extensions_clear (&ee);
  return TRUE;
}

static gboolean
send_certificate (TlsEndpoint *ep)
{
  Tls13CertificateMsg cm;
  TlsStep *step;

  tls13_certificate_msg_init (&cm);
  for (guint i = 0; ep->cfg.chain && i < ep->cfg.chain->len; i++)
    {
      tls13_certificate_msg_add (&cm, tls_certificate_get_der (g_ptr_array_index (ep->cfg.chain, i)));
    }
  step = tls_ep_send_message (ep, TLS_HS_CERTIFICATE, "Certificate",
                              (TlsWriteFunc) tls13_certificate_msg_write, &cm);
  ep->t13->cert_step = ep->certificate_step = step->index;
  tls_step_explain (step, "RFC 8446, 4.4.2",
                    _("The server's certificate chain, its own certificate first. Unlike TLS 1.2 "
                      "it travels encrypted, and each certificate may carry extensions (none "
                      "here); the request context is empty in a handshake."));
  tls_ep_commit (ep, step);
  tls13_certificate_msg_clear (&cm);
  return TRUE;
}

static gboolean
send_certificate_verify (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  guint8 buf[TLS_MAX_HASH_LEN];
  Tls13Context ctx;
  Tls13CertificateVerify cv = { st->sigscheme, NULL };
  TlsDigitallySigned ds = { 0 };
  g_autoptr (GBytes) content = NULL;
  TlsStep *step;

  tls13_context (ep, "ClientHello...Certificate", &ctx, buf);
  content = tls13_certificate_verify_content (TRUE, ctx.hash, tls13_hash_len (ep->suite->prf), NULL);
  if (!tls_ep_sign (ep, ep->cfg.key, st->sigalg, g_bytes_get_data (content, NULL),
                    g_bytes_get_size (content), "server-bad-certificate-verify", &ds))
    return FALSE;
  cv.signature = ds.signature;
  step = tls_ep_send_message (ep, TLS_HS_CERTIFICATE_VERIFY, "CertificateVerify",
                              (TlsWriteFunc) tls13_certificate_verify_write, &cv);
  st->cv_step = step->index;
  tls_step_add_input (step, "Transcript-Hash", ctx.hash, tls13_hash_len (ep->suite->prf), ctx.step,
                      "ClientHello...Certificate");
  tls_step_add_input (step, "signed_content", g_bytes_get_data (content, NULL),
                      g_bytes_get_size (content), -1,
                      _("64 spaces, \"TLS 1.3, server CertificateVerify\", a 0 byte, then the "
                        "transcript hash"));
  if (g_strcmp0 (ep->cfg.tamper, "server-bad-certificate-verify") == 0)
    tls_step_add_text_input (step, N_("fault"), _("FAULT INJECTED ON PURPOSE: one bit of the signature "
                                              "flipped after signing"), -1, NULL);
  tls_step_explain (step, "RFC 8446, 4.4.3",
                    _("The server signs, with the private key of its certificate, 64 bytes of "
                      "0x20, the context string \"TLS 1.3, server CertificateVerify\", a 0 byte "
                      "and the transcript hash up to its Certificate. This proves it holds the "
                      "key, and binds the whole handshake so far to it."));
  tls_ep_commit (ep, step);
  g_clear_pointer (&ds.signature, g_bytes_unref);
  return TRUE;
}

/* RFC 8446, 2, Figure 1, with client authentication when it is
 * configured (tls13-client-auth.c), and Figure 3: a PSK from a ticket
 * (tls13-psk.c) skips Certificate and CertificateVerify, and psk_ke the
 * (EC)DHE too. */
static const TlsFlowRow server_flow[] = {
  { read_client_hello, tls_ep_always },
  { decide_version, tls_ep_always },
  { decide_suite, tls_ep_always },
  { tls13_psk_server_select, tls_ep_always },
  { tls13_psk_early_secret, tls13_psk_in_hand },
  { tls13_psk_binder_key, tls13_psk_in_hand },
  { tls13_psk_check_binder, tls13_psk_in_hand },
  { decide_group, tls13_psk_with_dhe },
  { decide_signature, tls13_psk_not_accepted },
  { tls13_early_server_decide, tls_ep_always },    /* RFC 8446, 4.2.10 */
  { tls13_hrr_send, tls13_hrr_happened },          /* RFC 8446, 2.1, Figure 2 */
  { tls13_hrr_message_hash, tls13_hrr_happened },
  { tls13_hrr_send_ccs, tls13_hrr_compat },
  { tls13_hrr_read_client_hello2, tls13_hrr_happened },
  { tls13_psk_check_binder2, tls13_psk_after_hrr },
  { tls_ep_decide_alpn, tls_ep_both_alpn },
  { make_key_share, tls13_psk_with_dhe },
  { derive_shared, tls13_psk_with_dhe },
  { send_server_hello, tls_ep_always },
  { tls13_act_send_ccs, compat },
  { tls13_act_early_secret, tls13_psk_not_accepted },
  { tls13_act_handshake_secret, tls_ep_always },
  { tls13_act_handshake_traffic, tls_ep_always },
  { tls13_act_server_hs_keys, tls_ep_always },
  { tls13_act_client_hs_keys, tls_ep_always },
  { send_encrypted_extensions, tls_ep_always },
  { tls13_auth_decide, tls13_auth_configured },
  { tls13_auth_send_request, tls13_auth_asks },
  { send_certificate, tls13_psk_not_accepted },
  { send_certificate_verify, tls13_psk_not_accepted },
  { tls13_act_send_finished, tls_ep_always },
  { tls13_act_master_secret, tls_ep_always },
  { tls13_act_app_traffic, tls_ep_always },
  { tls13_act_server_ap_keys, tls_ep_always },
  { tls13_act_client_ap_keys, tls_ep_always },
  { tls13_early_server_read, tls13_early_reading },
  { tls13_auth_read_certificate, tls13_auth_asks },
  { tls13_auth_check_chain, tls13_auth_got_certificate },
  { tls13_auth_read_certificate_verify, tls13_auth_got_certificate },
  { tls13_act_read_finished, tls_ep_always },
  { tls13_early_server_skipped, tls13_early_refused },
  { tls13_psk_send_ticket, tls13_psk_issues_tickets },
};

void
tls13_server_action (TlsEndpoint *ep)
{
  tls_ep_run_flow (ep, server_flow, G_N_ELEMENTS (server_flow), tls13_done);
}
