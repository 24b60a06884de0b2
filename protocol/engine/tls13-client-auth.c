/* tls13-client-auth.c — client authentication in the TLS 1.3 handshake
 * (RFC 8446, 2, Figure 1: CertificateRequest, then the client's
 * Certificate and CertificateVerify before its Finished), one teaching
 * step at a time, in both roles.  The rows are placed in the flows of
 * tls13-server.c and tls13-client.c. */
#include <glib/gi18n-lib.h>
#include "tls13-client-auth.h"
#include "tls-extensions.h"
#include "tls-digitally-signed.h"
#include "tls13-msg-certificate-request.h"
#include "tls13-msg-certificate.h"
#include "tls13-msg-certificate-verify.h"
#include "tls-x509.h"

#include <string.h>

/* The signature_algorithms of our CertificateRequest (RFC 8446, 4.3.2).
 * Without signature_algorithms_cert they apply to the certificates too
 * (4.2.3), hence rsa_pkcs1_*: the demo CA signs with them.  A
 * CertificateVerify may not use those (4.4.3: "RSA signatures MUST use an
 * RSASSA-PSS algorithm"). */
static const guint16 request_sigalgs[] = {
  TLS_SIG_ECDSA_SHA256, TLS_SIG_ECDSA_SHA384,
  TLS_SIG_RSA_PSS_RSAE_SHA256, TLS_SIG_RSA_PSS_RSAE_SHA384, TLS_SIG_RSA_PSS_RSAE_SHA512,
  TLS_SIG_ED25519,
  TLS_SIG_RSA_PKCS1_SHA256, TLS_SIG_RSA_PKCS1_SHA384, TLS_SIG_RSA_PKCS1_SHA512,
};

gboolean
tls13_scheme_fits_key (guint16 scheme, const TlsPrivateKey *key)
{
  switch (scheme)
    {
    case TLS_SIG_RSA_PSS_RSAE_SHA256:
    case TLS_SIG_RSA_PSS_RSAE_SHA384:
    case TLS_SIG_RSA_PSS_RSAE_SHA512:
      return key->type == TLS_PK_RSA;
    case TLS_SIG_ECDSA_SHA256:
      return key->type == TLS_PK_EC && key->pub->curve == TLS_EC_CURVE_SECP256R1;
    case TLS_SIG_ECDSA_SHA384:
      return key->type == TLS_PK_EC && key->pub->curve == TLS_EC_CURVE_SECP384R1;
    case TLS_SIG_ED25519:
      return key->type == TLS_PK_ED25519;
    default:
      return FALSE;
    }
}

static TlsStep *
decision (TlsEndpoint *ep, const char *title)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, title);

  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  return step;
}

static gboolean
requires (const TlsEndpoint *ep)
{
  return ep->cfg.client_auth == TLS_CLIENT_AUTH_REQUIRE;
}

/* ------------------------------------------------------------------ */
/* The server                                                          */

gboolean
tls13_auth_configured (TlsEndpoint *ep)
{
  return ep->cfg.client_auth != TLS_CLIENT_AUTH_NONE;
}

gboolean
tls13_auth_asks (TlsEndpoint *ep)
{
  return tls13_auth_configured (ep) && !ep->t13->psk_accepted;
}

gboolean
tls13_auth_got_certificate (TlsEndpoint *ep)
{
  return ep->cert_requested && ep->peer_chain->len > 0;
}

gboolean
tls13_auth_decide (TlsEndpoint *ep)
{
  TlsStep *step = decision (ep, N_("Client authentication"));

  tls_step_add_option (step, _("no CertificateRequest"));
  tls_step_add_option (step, _("ask, and go on without a certificate"));
  tls_step_add_option (step, _("ask, and require a certificate"));
  if (ep->t13->psk_accepted)
    {
      step->choice = g_strdup (_("no CertificateRequest"));
      step->chosen_option = 0;
      tls_step_set_reason (step, _("a PSK authenticates this handshake: a server that "
                                   "authenticates with a PSK MUST NOT send a CertificateRequest"));
    }
  else
    {
      step->chosen_option = requires (ep) ? 2 : 1;
      step->choice = g_strdup (requires (ep) ? _("ask, and require a certificate")
                                             : _("ask, and go on without a certificate"));
      tls_step_set_reason (step, "%s", requires (ep)
                           ? _("this server is configured to require a client certificate")
                           : _("this server is configured to ask for a client certificate, "
                               "not to require one"));
    }
  tls_step_explain (step, "RFC 8446, 4.3.2; RFC 8446, 4.4.2.4",
                    _("A TLS 1.3 server that wants to know who the client is sends a "
                      "CertificateRequest right after EncryptedExtensions. If the client sends "
                      "no certificate, the server may go on without client authentication or "
                      "abort with certificate_required; this choice is made here, before the "
                      "request."));
  tls_ep_commit (ep, step);
  return TRUE;
}

gboolean
tls13_auth_send_request (TlsEndpoint *ep)
{
  Tls13CertificateRequest cr;
  TlsStep *step;

  tls13_certificate_request_init (&cr);
  tls_extensions_add_signature_algorithms (&cr.extensions, request_sigalgs,
                                           G_N_ELEMENTS (request_sigalgs));
  step = tls_ep_send_message (ep, TLS_HS_CERTIFICATE_REQUEST, "CertificateRequest",
                              (TlsWriteFunc) tls13_certificate_request_write, &cr);
  g_clear_pointer (&ep->t13->cr_context, g_bytes_unref);
  ep->t13->cr_context = g_bytes_ref (cr.certificate_request_context);
  ep->cert_requested = TRUE;
  tls_step_explain (step, "RFC 8446, 4.3.2",
                    _("The server asks the client for a certificate. certificate_request_context "
                      "is empty, as it must be in the main handshake; the client echoes it in its "
                      "Certificate. The signature_algorithms extension, which MUST be there, "
                      "names the schemes the server accepts for the client's CertificateVerify "
                      "and, with no signature_algorithms_cert, for its certificates."));
  tls_ep_commit (ep, step);
  tls13_certificate_request_clear (&cr);
  return TRUE;
}

/* 4.4.2.4: no certificate from the client; the server goes on, or aborts
 * with certificate_required, as it decided. */
static gboolean
no_certificate (TlsEndpoint *ep)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role,
                                   N_("Client without a certificate"));

  tls_ep_group_under_message (ep, step, "Certificate");
  tls_step_add_option (step, _("go on without client authentication"));
  tls_step_add_option (step, _("abort the handshake with certificate_required"));
  step->chosen_option = requires (ep) ? 1 : 0;
  step->choice = g_strdup (requires (ep) ? _("abort the handshake") : _("go on"));
  tls_step_set_reason (step, "%s", requires (ep)
                       ? _("this server requires a client certificate")
                       : _("this server only asked; the client stays anonymous"));
  tls_step_explain (step, "RFC 8446, 4.4.2.4; RFC 8446, 6.2",
                    _("\"If the client does not send any certificates (i.e., it sends an empty "
                      "Certificate message), the server MAY at its discretion either continue "
                      "the handshake without client authentication, or abort the handshake with "
                      "a \"certificate_required\" alert.\""));
  tls_ep_commit (ep, step);
  if (requires (ep))
    tls_ep_fail (ep, TLS_ALERT_CERTIFICATE_REQUIRED,
                 _("the client sent no certificate, and one is required"));
  return ep->status == TLS_EP_PROGRESS;
}

gboolean
tls13_auth_read_certificate (TlsEndpoint *ep)
{
  TlsUnit *u = tls13_expect (ep, TLS_HS_CERTIFICATE);
  Tls13CertificateMsg cm = { 0 };   /* the parse initialises it */
  TlsField *root;
  TlsReader body;
  g_autoptr (GError) error = NULL;
  gboolean empty;
  int err;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls13_certificate_msg_parse (&body, &cm);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    tls_ep_fail (ep, err, _("the client's Certificate could not be parsed (%s)"),
                 tls_alert_name (err));
  else if (!g_bytes_equal (cm.certificate_request_context, ep->t13->cr_context))
    {
      /* 4.4.2: "If this message is in response to a CertificateRequest,
       * the value of certificate_request_context in that message." */
      tls_ep_fail (ep, TLS_ALERT_ILLEGAL_PARAMETER,
                   _("the client's Certificate does not echo the certificate_request_context "
                     "of the CertificateRequest"));
      err = -1;
    }
  if (err == 0)
    {
      for (guint i = 0; i < cm.certificate_list->len; i++)
        g_ptr_array_add (ep->peer_chain,
                         g_bytes_ref (g_array_index (cm.certificate_list, Tls13CertificateEntry, i).cert_data));
      if (ep->peer_chain->len > 0 && (ep->peer_leaf = tls_ep_decode_leaf (ep, &error)) == NULL)
        {
          tls_ep_fail (ep, TLS_ALERT_BAD_CERTIFICATE,
                       _("the client's certificate cannot be decoded: %s"), error->message);
          err = -1;
        }
    }
  empty = cm.certificate_list->len == 0;
  tls13_certificate_msg_clear (&cm);
  if (err != 0)
    {
      tls_field_free (root);
      tls_unit_free (u);
      return FALSE;
    }
  tls_ep_received_handshake (ep, u, root,
                             empty
                             ? _("The client's answer to the CertificateRequest: a Certificate "
                                 "with an empty list, and the request's context echoed. It has no "
                                 "certificate to give.")
                             : _("The client's certificate chain, its own certificate first, "
                                 "encrypted under its handshake traffic key, with the request's "
                                 "context echoed."),
                             "RFC 8446, 4.4.2");
  ep->certificate_step = tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "Certificate");
  tls_unit_free (u);
  return empty ? no_certificate (ep) : TRUE;
}

gboolean
tls13_auth_check_chain (TlsEndpoint *ep)
{
  /* 4.4.2.4: an unacceptable chain: the server "MAY at its discretion
   * either continue the handshake (considering the client
   * unauthenticated) or abort the handshake" (request: go on). */
  return tls_ep_check_chain (ep, FALSE, requires (ep));
}

/* The client's CertificateVerify, with a scheme of our CertificateRequest. */
gboolean
tls13_auth_read_certificate_verify (TlsEndpoint *ep)
{
  return tls13_read_certificate_verify (ep, request_sigalgs, G_N_ELEMENTS (request_sigalgs));
}

/* ------------------------------------------------------------------ */
/* The client                                                          */

gboolean
tls13_auth_has_certificate (TlsEndpoint *ep)
{
  return ep->t13->cr_context != NULL && ep->cfg.chain != NULL && ep->cfg.chain->len > 0
         && ep->cfg.key != NULL;
}

gboolean
tls13_auth_sent_certificate (TlsEndpoint *ep)
{
  return ep->sent_client_cert;
}

gboolean
tls13_auth_decide_scheme (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsStep *step = decision (ep, N_("Signature scheme"));
  guint16 chosen = 0;

  for (guint i = 0; ep->cr_sigalgs && i < ep->cr_sigalgs->len; i++)
    {
      guint16 s = g_array_index (ep->cr_sigalgs, guint16, i);
      g_autofree char *name = tls_digitally_signed_describe (s);

      tls_step_add_option (step, "%s", name);
      if (chosen == 0 && tls13_scheme_fits_key (s, ep->cfg.key))
        chosen = s;
    }
  step->choice = chosen ? tls_digitally_signed_describe (chosen)
                        : g_strdup (_("none: send an empty Certificate"));
  tls_step_set_reason (step, "%s", chosen
                       ? _("the first scheme in the CertificateRequest's list that the client's "
                           "key can make")
                       : _("the CertificateRequest lists no scheme the client's key can make"));
  tls_step_explain (step, "RFC 8446, 4.4.3; RFC 8446, 4.2.3; RFC 8446, 4.4.2",
                    _("The client's CertificateVerify MUST use a scheme from the "
                      "signature_algorithms of the CertificateRequest, one its key can make: RSA "
                      "only as RSASSA-PSS, ECDSA with the curve of the key. With none, the client "
                      "has no suitable certificate and answers with an empty Certificate."));
  tls_ep_commit (ep, step);
  st->sigscheme = chosen;
  st->sigalg = chosen ? tls_sig_alg_from_tls (chosen) : TLS_SIG_ALG_UNKNOWN;
  return TRUE;
}

gboolean
tls13_auth_send_certificate (TlsEndpoint *ep)
{
  Tls13CertificateMsg cm;
  gboolean have = tls13_auth_has_certificate (ep);
  TlsStep *step;

  tls13_certificate_msg_init (&cm);
  g_bytes_unref (cm.certificate_request_context);
  cm.certificate_request_context = g_bytes_ref (ep->t13->cr_context);
  if (have && ep->t13->sigscheme != 0)
    for (guint i = 0; i < ep->cfg.chain->len; i++)
      tls13_certificate_msg_add (&cm, tls_certificate_get_der (g_ptr_array_index (ep->cfg.chain, i)));
  ep->sent_client_cert = cm.certificate_list->len > 0;
  step = tls_ep_send_message (ep, TLS_HS_CERTIFICATE, "Certificate",
                              (TlsWriteFunc) tls13_certificate_msg_write, &cm);
  tls_step_explain (step, "RFC 8446, 4.4.2", "%s",
                    ep->sent_client_cert
                    ? _("The server asked, so the client sends its certificate chain, its own "
                        "certificate first, echoing the request's context. It travels encrypted "
                        "under the client's handshake traffic key. A CertificateVerify follows.")
                    : have
                    ? _("The server asked, but the client's key can make none of the schemes "
                        "the server accepts: no suitable certificate, so the client MUST send a "
                        "Certificate with an empty list, echoing the request's context, and no "
                        "CertificateVerify.")
                    : _("The server asked and this client has no certificate: it MUST still "
                        "answer, with a Certificate whose list is empty, echoing the request's "
                        "context, and sends no CertificateVerify. The server decides whether "
                        "to go on without one."));
  tls_ep_commit (ep, step);
  tls13_certificate_msg_clear (&cm);
  return TRUE;
}

gboolean
tls13_auth_send_certificate_verify (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  guint8 buf[TLS_MAX_HASH_LEN];
  gsize hash_len = tls13_hash_len (ep->suite->prf);
  Tls13Context ctx;
  Tls13CertificateVerify cv = { st->sigscheme, NULL };
  TlsDigitallySigned ds = { 0 };
  g_autoptr (GBytes) content = NULL;
  gboolean pkcs1 = g_strcmp0 (ep->cfg.tamper, "client-cv-pkcs1") == 0
                   && ep->cfg.key->type == TLS_PK_RSA;
  TlsStep *step;

  tls13_context (ep, "ClientHello...client Certificate", &ctx, buf);
  content = tls13_certificate_verify_content (FALSE, ctx.hash, hash_len, NULL);
  if (pkcs1)
    cv.algorithm = TLS_SIG_RSA_PKCS1_SHA256;   /* a fault on purpose: 4.4.3 forbids it */
  if (!tls_ep_sign (ep, ep->cfg.key, tls_sig_alg_from_tls (cv.algorithm), g_bytes_get_data (content, NULL),
                    g_bytes_get_size (content), "client-bad-certificate-verify", &ds))
    return FALSE;
  cv.signature = ds.signature;
  step = tls_ep_send_message (ep, TLS_HS_CERTIFICATE_VERIFY, "CertificateVerify",
                              (TlsWriteFunc) tls13_certificate_verify_write, &cv);
  st->client_cv = TRUE;
  tls_step_add_input (step, "Transcript-Hash", ctx.hash, hash_len, ctx.step,
                      _("ClientHello...client Certificate"));
  tls_step_add_input (step, "signed_content", g_bytes_get_data (content, NULL),
                      g_bytes_get_size (content), -1,
                      _("64 spaces, \"TLS 1.3, client CertificateVerify\", a 0 byte, then the "
                        "transcript hash"));
  if (g_strcmp0 (ep->cfg.tamper, "client-bad-certificate-verify") == 0)
    tls_step_add_text_input (step, N_("fault"), _("FAULT INJECTED ON PURPOSE: one bit of the "
                                                  "signature flipped after signing"), -1, NULL);
  if (pkcs1)
    tls_step_add_text_input (step, N_("fault"), _("FAULT INJECTED ON PURPOSE: signed with "
                                                  "rsa_pkcs1_sha256, which a CertificateVerify "
                                                  "may not use"), -1, NULL);
  tls_step_explain (step, "RFC 8446, 4.4.3",
                    _("The client signs, with the private key of its certificate, 64 bytes of "
                      "0x20, the context string \"TLS 1.3, client CertificateVerify\", a 0 byte "
                      "and the transcript hash up to its Certificate, with the scheme it chose "
                      "from the CertificateRequest. This proves it holds the key, bound to this "
                      "very handshake."));
  tls_ep_commit (ep, step);
  g_clear_pointer (&ds.signature, g_bytes_unref);
  return TRUE;
}
