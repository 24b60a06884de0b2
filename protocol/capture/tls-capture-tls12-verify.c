/* tls-capture-tls12-verify.c — the checks of a TLS 1.0-1.2 capture that
 * are not the Finished comparison itself (tls-capture-trace.c): the
 * ServerKeyExchange signature, checked as the client checks it
 * (RFC 5246, 7.4.3; RFC 8422, 5.4), and a Finished that the capture holds
 * only encrypted, shown as not checked with the reason.
 *
 * The signature needs nothing secret: both randoms, the parameters and
 * the signature cross the wire in clear, and the public key is in the
 * server's Certificate.  It is verified with the code the engine verifies
 * with (tls-sig.c). */
#include "config.h"
#include "tls-capture-build.h"
#include "tls-digitally-signed.h"
#include "tls-extensions.h"
#include "tls-handshake.h"
#include "tls-msg-server-key-exchange.h"
#include "tls-sig.h"
#include "tls-x509.h"

#include <glib/gi18n-lib.h>

/* What the params of M are, for the signed data's composition. */
static char *
params_note (const TlsServerKeyExchange *m)
{
  if (tls_kx_is_ecdh (m->kx))
    return g_strdup_printf (_("ServerECDHParams: curve_type named_curve, the group %s (0x%04x), "
                              "the server's ephemeral public point (%zu bytes)"),
                            tls_extensions_group_name (m->namedcurve), m->namedcurve,
                            g_bytes_get_size (m->point));
  return g_strdup_printf (_("ServerDHParams: dh_p (%zu bytes), dh_g (%zu bytes), the server's "
                            "ephemeral public value dh_Ys (%zu bytes), each with its 2-byte length"),
                          g_bytes_get_size (m->dh_p), g_bytes_get_size (m->dh_g),
                          g_bytes_get_size (m->dh_Ys));
}

/* Why the algorithm ALG of M may not be used, or NULL: RFC 5246, 7.4.3 "If
 * the client has offered the "signature_algorithms" extension, the
 * signature algorithm and hash algorithm MUST be a pair listed in that
 * extension". */
static char *
not_offered (CapBuild *b, const TlsServerKeyExchange *m)
{
  g_autofree char *name = NULL;

  if (!m->signed_params.has_algorithm || b->sigalgs == NULL)
    return NULL;
  for (guint i = 0; i < b->sigalgs->len; i++)
    if (g_array_index (b->sigalgs, guint16, i) == m->signed_params.algorithm)
      return NULL;
  name = tls_digitally_signed_describe (m->signed_params.algorithm);
  return g_strdup_printf (_("the server signed with %s, which is not in the client's "
                            "signature_algorithms: \"If the client has offered the "
                            "\"signature_algorithms\" extension, the signature algorithm and "
                            "hash algorithm MUST be a pair listed in that extension\""), name);
}

static const char *
ske_rfc (CapBuild *b)
{
  return tls_kx_is_ecdh (b->suite->kx) ? "RFC 5246, 7.4.3; RFC 8422, 5.4; RFC 5246, 7.4.1.4.1"
                                       : "RFC 5246, 7.4.3; RFC 5246, 7.4.1.4.1";
}

void
cap12_ske_check (CapBuild *b, GBytes *msg, int msg_step)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (msg, &len);
  guint8 ty;
  guint32 bl;
  TlsReader r, body;
  TlsServerKeyExchange m = { 0 };
  g_autoptr (GBytes) params = NULL;
  g_autoptr (GBytes) signed_data = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *note = NULL;
  g_autofree char *alg_text = NULL;
  TlsCertificate *cert = NULL;
  TlsSigAlg alg = TLS_SIG_ALG_UNKNOWN;
  TlsCheckResult result = TLS_CHECK_FAILED;
  TlsStep *step;

  tls_reader_init (&r, d, len, NULL);
  if (b->suite == NULL || tls_handshake_parse_header (&r, &ty, &bl, &body) != 0
      || tls_server_key_exchange_parse (&body, &m, b->suite->kx, b->version) != 0)
    {
      tls_server_key_exchange_clear (&m);
      return;   /* the message step says why it does not parse */
    }
  params = tls_server_key_exchange_params (&m);
  signed_data = tls_server_key_exchange_signed_data (&m, b->cr, b->sr);
  if (b->server_leaf != NULL)
    cert = tls_certificate_new_from_der (b->server_leaf, &error);
  if (m.signed_params.has_algorithm)
    alg = tls_sig_alg_from_tls (m.signed_params.algorithm);
  else if (cert != NULL && tls_certificate_get_public_key (cert) != NULL)
    alg = tls_sig_alg_legacy (tls_certificate_get_public_key (cert)->type);

  if (b->server_leaf == NULL)
    {
      result = TLS_CHECK_NOT_CHECKED;
      reason = g_strdup (_("the capture holds no server Certificate before the "
                           "ServerKeyExchange: there is no public key to verify with"));
    }
  else if (cert == NULL)
    {
      result = TLS_CHECK_NOT_CHECKED;
      reason = g_strdup_printf (_("the server's certificate could not be decoded (%s): there is "
                                  "no public key to verify with"), error->message);
    }
  else if (alg == TLS_SIG_ALG_UNKNOWN)
    {
      g_autofree char *name = m.signed_params.has_algorithm
                              ? tls_digitally_signed_describe (m.signed_params.algorithm) : NULL;
      result = TLS_CHECK_NOT_CHECKED;
      reason = name ? g_strdup_printf (_("this program does not know the signature algorithm %s"),
                                       name)
                    : g_strdup (_("this program does not know which signature algorithm a key "
                                  "of this type uses before TLS 1.2"));
    }
  else if ((reason = not_offered (b, &m)) == NULL
           && tls_sig_verify (alg, tls_certificate_get_public_key (cert),
                              g_bytes_get_data (signed_data, NULL), g_bytes_get_size (signed_data),
                              g_bytes_get_data (m.signed_params.signature, NULL),
                              g_bytes_get_size (m.signed_params.signature), &reason))
    result = TLS_CHECK_PASSED;

  step = tls_trace_add (b->trace, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, N_("ServerKeyExchange signature"));
  tls_trace_group (b->trace, step, msg_step);
  step->subject = alg != TLS_SIG_ALG_UNKNOWN
                  ? g_strdup_printf (_("the %s signature over the key exchange parameters"),
                                     tls_sig_alg_name (alg))
                  : g_strdup (_("the signature over the key exchange parameters"));
  step->against = cert != NULL
                  ? g_strdup_printf (_("the public key of the server's certificate (%s)"),
                                     tls_certificate_get_subject (cert))
                  : g_strdup (_("the public key of the server's certificate"));
  step->formula = g_strdup ("signed data = ClientHello.random + ServerHello.random + "
                            "ServerKeyExchange.params");
  tls_step_add_input (step, "client_random", b->cr, 32, b->ch_step, _("from the ClientHello"));
  tls_step_add_input (step, "server_random", b->sr, 32, b->hello_step, _("from the ServerHello"));
  note = params_note (&m);
  tls_step_add_input (step, "params", g_bytes_get_data (params, NULL), g_bytes_get_size (params),
                      msg_step, note);
  tls_step_add_input (step, N_("signed data"), g_bytes_get_data (signed_data, NULL),
                      g_bytes_get_size (signed_data), msg_step,
                      _("client_random + server_random + the parameters"));
  if (m.signed_params.has_algorithm)
    {
      g_autofree char *name = tls_digitally_signed_describe (m.signed_params.algorithm);
      alg_text = alg != TLS_SIG_ALG_UNKNOWN
                 ? g_strdup_printf (_("%s from the ServerKeyExchange: %s with %s"), name,
                                    tls_sig_alg_scheme (alg), tls_sig_alg_hash_name (alg))
                 : g_strdup_printf (_("%s from the ServerKeyExchange"), name);
    }
  else if (alg != TLS_SIG_ALG_UNKNOWN)
    alg_text = g_strdup_printf (_("not on the wire before TLS 1.2: %s with %s, from the type "
                                  "of the certificate's key"),
                                tls_sig_alg_scheme (alg), tls_sig_alg_hash_name (alg));
  if (alg_text != NULL)
    tls_step_add_text_input (step, "algorithm", alg_text, msg_step, NULL);
  if (m.signed_params.has_algorithm)
    {
      g_autoptr (GString) offered = g_string_new (NULL);
      for (guint i = 0; b->sigalgs != NULL && i < b->sigalgs->len; i++)
        {
          g_autofree char *n = tls_digitally_signed_describe (g_array_index (b->sigalgs, guint16, i));
          g_string_append_printf (offered, "%s%s", i ? ", " : "", n);
        }
      tls_step_add_text_input (step, "signature_algorithms",
                               b->sigalgs != NULL ? offered->str
                               : _("the client sent no signature_algorithms extension"),
                               b->ch_step, _("offered in the ClientHello"));
    }
  tls_step_add_input (step, "signature", g_bytes_get_data (m.signed_params.signature, NULL),
                      g_bytes_get_size (m.signed_params.signature), msg_step,
                      _("from the ServerKeyExchange"));
  step->result = result;
  if (result == TLS_CHECK_PASSED)
    tls_step_set_reason (step, "%s", _("the signature verifies: the parameters come from the "
                                       "holder of the certificate's key, for this handshake"));
  else
    {
      tls_step_set_reason (step, "%s", reason ? reason : _("the signature does not verify"));
      if (result == TLS_CHECK_FAILED)
        cap_set_result (b, _("the ServerKeyExchange signature does not verify"));
    }
  tls_step_explain (step, ske_rfc (b), "%s",
                    _("The server signs both randoms and its key exchange parameters with the "
                      "key of its certificate; the client verifies the signature with the "
                      "certificate's public key. Nothing secret is needed: the capture alone "
                      "is enough for this check."));
  tls_trace_commit (b->trace, step);
  if (cert != NULL)
    tls_certificate_unref (cert);
  tls_server_key_exchange_clear (&m);
}

void
cap12_no_ske (CapBuild *b, int msg_step)
{
  TlsStep *step = tls_trace_add (b->trace, TLS_STEP_CHECK, TLS_ACTOR_CLIENT,
                                 N_("ServerKeyExchange signature"));

  tls_trace_group (b->trace, step, msg_step);
  step->subject = g_strdup (_("a signature over key exchange parameters"));
  step->against = g_strdup (_("the public key of the server's certificate"));
  step->result = TLS_CHECK_NOT_CHECKED;
  tls_step_set_reason (step, _("%s key exchange has no ServerKeyExchange, so there is no "
                               "signature to check: the certificate's key is used to "
                               "exchange the premaster secret instead"),
                       tls_kx_name (b->suite->kx));
  tls_step_explain (step, "RFC 5246, 7.4.3",
                    _("\"It is not legal to send the server key exchange message\" for the "
                      "RSA, DH_DSS and DH_RSA key exchange methods: with these the certificate "
                      "alone lets the client exchange the premaster secret."));
  tls_trace_commit (b->trace, step);
}

void
cap12_finished_unknown (CapBuild *b, int dir, int msg_step, const char *why)
{
  TlsStep *step = tls_trace_add (b->trace, TLS_STEP_CHECK, cap_actor_of (1 - dir),
                                 dir == 0 ? "client Finished" : "server Finished");

  tls_trace_group (b->trace, step, msg_step);
  step->subject = g_strdup (_("verify_data received in Finished"));
  step->against = g_strdup (_("verify_data computed here from the master secret and the transcript"));
  step->formula = g_strdup_printf ("PRF(master_secret, \"%s finished\", Hash(handshake_messages))[0..11]",
                                   dir == 0 ? "client" : "server");
  step->result = TLS_CHECK_NOT_CHECKED;
  tls_step_set_reason (step, "%s", why);
  tls_step_explain (step, "RFC 5246, 7.4.9",
                    _("\"A Finished message is always sent immediately after a change cipher "
                      "spec message\", so the capture holds it encrypted. Its verify_data comes "
                      "from the master secret, which never crosses the wire: without the right "
                      "key log line the check cannot be made; its outcome is unknown, not "
                      "assumed."));
  tls_trace_commit (b->trace, step);
}
