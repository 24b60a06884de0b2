/* tls-kx.c — the (EC)DH part of the key exchange, shared by our client and
 * server: which certificate key a key exchange needs, our key pair, and
 * the shared secret Z that becomes the pre-master secret. */
#include "tls-kx.h"
#include "tls-extensions.h"

#include <string.h>

const guint16 *
tls_kx_our_groups (guint *n)
{
  return tls_config_our_groups (n);
}

GBytes *
tls_ep_kx_our_public (TlsEndpoint *ep)
{
  if (ep->ecdh_key)
    return tls_ecdh_public (ep->ecdh_key);
  if (ep->dh_key)
    return tls_dh_key_public (ep->dh_key);
  return NULL;
}

gboolean
tls_ep_kx_make_key (TlsEndpoint *ep)
{
  TlsStep *step;
  g_autoptr (GBytes) pub = NULL;
  gboolean ecdh = tls_kx_is_ecdh (ep->suite->kx);
  /* titles stay in English in the trace, shown translated (tls_step_title_label) */
  static const char *const titles[2][2] = {
    { N_("client DH key pair"), N_("client ECDH key pair") },
    { N_("server DH key pair"), N_("server ECDH key pair") },
  };
  const char *title = titles[ep->role == TLS_ACTOR_CLIENT ? 0 : 1][ecdh ? 1 : 0];

  if (ecdh)
    ep->ecdh_key = tls_ecdh_keygen (ep->group, ep->cfg.rng);
  else
    {
      TlsDhParams params = {
        g_bytes_get_data (ep->dh_p, NULL), g_bytes_get_size (ep->dh_p),
        g_bytes_get_data (ep->dh_g, NULL), g_bytes_get_size (ep->dh_g),
      };
      ep->dh_key = tls_dh_keygen (&params, ep->cfg.rng);
    }
  if (ep->ecdh_key == NULL && ep->dh_key == NULL)
    {
      tls_ep_fail (ep, TLS_ALERT_INTERNAL_ERROR, _("no key could be made for this group"));
      return FALSE;
    }
  pub = tls_ep_kx_our_public (ep);
  step = tls_ep_add_step (ep, TLS_STEP_DERIVATION, ep->role, title);
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  if (ecdh)
    {
      step->formula = g_strdup (ep->group == TLS_GROUP_X25519 ? _("public = X25519(private, 9)")
                                : ep->group == TLS_GROUP_X448 ? _("public = X448(private, 5)")
                                : _("public = private × G (a point on the curve)"));
      tls_step_add_text_input (step, N_("group"), tls_extensions_group_name (ep->group), -1, NULL);
    }
  else
    {
      step->formula = g_strdup ("Y = g ^ x mod p");
      tls_step_add_input (step, "p", g_bytes_get_data (ep->dh_p, NULL), g_bytes_get_size (ep->dh_p),
                          ep->role == TLS_ACTOR_CLIENT ? (ep->ske_step >= 0 ? ep->ske_step : ep->certificate_step) : -1,
                          ep->group ? tls_extensions_group_name (ep->group) : _("the prime modulus"));
      tls_step_add_input (step, "g", g_bytes_get_data (ep->dh_g, NULL), g_bytes_get_size (ep->dh_g),
                          -1, _("the generator"));
    }
  tls_step_add_text_input (step, N_("private key"), _("random, from this side's generator; never sent"), -1, NULL);
  tls_step_add_output (step, ecdh ? N_("public point") : N_("Y (public value)"), g_bytes_get_data (pub, NULL),
                       g_bytes_get_size (pub),
                       ep->role == TLS_ACTOR_CLIENT ? _("sent in ClientKeyExchange")
                                                    : _("sent in ServerKeyExchange, signed"));
  if (ep->suite->kx == TLS_KX_DH_RSA || ep->suite->kx == TLS_KX_DH_DSS)
    /* Static DH: only the client's pair is fresh; the server's is the
     * fixed key of its certificate, so there is no forward secrecy. */
    tls_step_explain (step, "RFC 5246, 8.1.2; RFC 5246, 7.4.3",
                      _("The client makes a fresh key pair for this handshake: a random private "
                        "value that never leaves it, and the public value it sends in "
                        "ClientKeyExchange. The server makes none: its Diffie-Hellman key is the "
                        "fixed one in its certificate, and no ServerKeyExchange is sent. So there "
                        "is no forward secrecy: whoever later obtains the server's private key can "
                        "compute the pre-master secret of every session recorded with it."));
  else
    tls_step_explain (step, ecdh ? "RFC 8422, 2" : "RFC 5246, 8.1.2",
                      _("Each side makes a fresh key pair for this handshake alone: a random "
                        "private value that never leaves it, and the public value sent to the "
                        "peer. Because the pair is thrown away afterwards, a stolen certificate "
                        "key later cannot decrypt this session: forward secrecy."));
  ep->key_step = step->index;
  tls_ep_commit (ep, step);
  return TRUE;
}

gboolean
tls_ep_kx_shared (TlsEndpoint *ep, int peer_step, int alert)
{
  TlsStep *step;
  g_autoptr (GBytes) Z = NULL;
  g_autofree char *reason = NULL;
  gsize plen;
  const guint8 *peer = g_bytes_get_data (ep->peer_public, &plen);
  gboolean ecdh = tls_kx_is_ecdh (ep->suite->kx);
  int err = 0;

  if (ecdh)
    err = tls_ecdh_shared (ep->ecdh_key, peer, plen, &Z, &reason);
  else if (!tls_dh_shared (ep->dh_key, peer, plen, &Z, &reason))
    err = alert;
  if (err != 0)
    {
      TlsStep *check = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role,
                                        ecdh ? "Peer's public point" : "Peer's public value");
      tls_trace_group (ep->trace, check, TLS_PARENT_NEXT);
      check->subject = g_strdup (ecdh ? _("the peer's ECDH public point") : _("the peer's DH public value Y"));
      check->against = g_strdup (ecdh ? _("the curve: a valid point, not a weak one")
                                      : _("1 < Y < p - 1, in the right subgroup"));
      tls_step_add_input (check, "public value", peer, plen, peer_step, NULL);
      check->result = TLS_CHECK_FAILED;
      tls_step_set_reason (check, "%s", reason ? reason : _("invalid"));
      if (ecdh || ep->role == TLS_ACTOR_CLIENT)
        tls_step_explain (check, ecdh ? "RFC 8422, 5.11" : "RFC 7919, 3",
                          _("A public value off the curve or outside the group can leak the private "
                            "key (small-subgroup and invalid-curve attacks): it must be refused."));
      else if (alert == TLS_ALERT_HANDSHAKE_FAILURE)
        tls_step_explain (check, "RFC 7919, 4",
                          _("The client listed this group in supported_groups, so it was negotiated "
                            "as RFC 7919 defines, and for that case the RFC says: \"If dh_Yc is out "
                            "of range, the server MUST terminate the connection with a fatal "
                            "handshake_failure(40) alert.\""));
      else
        tls_step_explain (check, "RFC 7919, 5.1",
                          _("\"Peers MUST validate each other's public key Y (dh_Ys offered by the "
                            "server or dh_Yc offered by the client) by ensuring that 1 < Y < p-1.\" "
                            "The client did not list this group in supported_groups, so RFC 7919's "
                            "handshake_failure rule for a negotiated group does not apply: the value "
                            "is an illegal parameter."));
      tls_ep_commit (ep, check);
      tls_ep_fail (ep, ecdh ? TLS_ALERT_ILLEGAL_PARAMETER : alert, "%s", check->reason);
      return FALSE;
    }
  if (g_bytes_get_size (Z) > sizeof ep->pms)
    {
      tls_ep_fail (ep, TLS_ALERT_INSUFFICIENT_SECURITY, _("the shared secret is longer than %zu bytes"),
                   sizeof ep->pms);
      return FALSE;
    }
  ep->pms_len = g_bytes_get_size (Z);
  memcpy (ep->pms, g_bytes_get_data (Z, NULL), ep->pms_len);
  step = tls_ep_add_step (ep, TLS_STEP_DERIVATION, ep->role, "pre_master_secret");
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  if (ecdh)
    step->formula = g_strdup (ep->group == TLS_GROUP_X25519
                              ? _("pre_master_secret = X25519(our private, peer's public)")
                              : ep->group == TLS_GROUP_X448
                              ? _("pre_master_secret = X448(our private, peer's public)")
                              : _("pre_master_secret = x-coordinate of (our private × peer's point)"));
  else
    step->formula = g_strdup (_("pre_master_secret = Z = peer_Y ^ x mod p (leading zero bytes "
                                "stripped)"));
  tls_step_add_input (step, N_("peer's public value"), peer, plen, peer_step, NULL);
  tls_step_add_text_input (step, N_("our private key"), _("from our key pair"), ep->key_step, NULL);
  tls_step_add_output (step, "pre_master_secret", ep->pms, ep->pms_len,
                       _("input of the master secret"));
  tls_step_explain (step, ecdh ? "RFC 8422, 5.10" : "RFC 5246, 8.1.2",
                    _("Both sides combine their own private key with the other's public value and "
                      "arrive at the same secret, which never crossed the wire. An eavesdropper who "
                      "saw both public values cannot compute it (the Diffie-Hellman problem)."));
  ep->pms_step = step->index;
  tls_ep_commit (ep, step);
  return TRUE;
}

const char *
tls_kx_certificate_key_use (TlsKeyExchange kx)
{
  switch (kx)
    {
    case TLS_KX_RSA:
      return _("In RSA key exchange the client encrypts the pre-master secret with the public key "
               "in this certificate, so it must be an RSA key that the certificate allows to be used "
               "for encryption (keyEncipherment, if the certificate has a keyUsage extension).");
    case TLS_KX_DHE_RSA:
      return _("In DHE_RSA key exchange the certificate's key encrypts nothing: the server signs its "
               "ephemeral Diffie-Hellman parameters in ServerKeyExchange with it, so it must be an RSA "
               "key that the certificate allows to be used for signing (digitalSignature, if the "
               "certificate has a keyUsage extension).");
    case TLS_KX_ECDHE_RSA:
      return _("In ECDHE_RSA key exchange the certificate's key encrypts nothing: the server signs "
               "its ephemeral elliptic-curve Diffie-Hellman parameters in ServerKeyExchange with it, "
               "so it must be an RSA key that the certificate allows to be used for signing "
               "(digitalSignature, if the certificate has a keyUsage extension).");
    case TLS_KX_DHE_DSS:
      return _("In DHE_DSS key exchange the certificate's key encrypts nothing: the server signs its "
               "ephemeral Diffie-Hellman parameters in ServerKeyExchange with it, so it must be a DSA "
               "key that the certificate allows to be used for signing.");
    case TLS_KX_ECDHE_ECDSA:
      return _("In ECDHE_ECDSA key exchange the certificate's key encrypts nothing: the server signs "
               "its ephemeral elliptic-curve Diffie-Hellman parameters in ServerKeyExchange with it, "
               "so it must be an ECDSA-capable key, on a curve the client supports, that the "
               "certificate allows to be used for signing.");
    case TLS_KX_DH_RSA:
    case TLS_KX_DH_DSS:
      return _("In static Diffie-Hellman key exchange the key in this certificate is the server's "
               "Diffie-Hellman public value itself: the client combines its own value with it to "
               "compute the pre-master secret, and no ServerKeyExchange is sent. It must be a "
               "Diffie-Hellman key with keyAgreement set, if the certificate has a keyUsage "
               "extension; the certificate itself is signed by its CA (with RSA for DH_RSA, DSA for "
               "DH_DSS).");
    default:
      return "";
    }
}
