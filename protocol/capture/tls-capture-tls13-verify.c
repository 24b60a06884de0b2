/* tls-capture-tls13-verify.c — the CertificateVerify of a TLS 1.3
 * capture checked as its receiver checks it (RFC 8446, 4.4.3), and the
 * checks a capture cannot make shown as unknown, with the reason
 * (docs/capture.md, "TLS 1.3").
 *
 * Everything the signature needs is in the decrypted capture: the public
 * key of the sender's certificate and the transcript up to it.  The
 * signature is verified with the code the engine verifies with
 * (tls-sig.c); the step has the engine's title, inputs and citation. */
#include "config.h"
#include "tls-capture-build.h"
#include "tls-handshake.h"
#include "tls-sig.h"
#include "tls-x509.h"
#include "tls13-key-schedule.h"
#include "tls13-msg-certificate-verify.h"

#include <glib/gi18n-lib.h>

/* Why the signature of SCHEME cannot be accepted before it is verified,
 * or NULL: RFC 8446, 4.4.3 "RSA signatures MUST use an RSASSA-PSS
 * algorithm, regardless of whether RSASSA-PKCS1-v1_5 algorithms appear in
 * "signature_algorithms"". */
static char *
scheme_refused (guint16 scheme, TlsSigAlg alg)
{
  if (alg != TLS_SIG_ALG_UNKNOWN && tls_sig_alg_key_type (alg) == TLS_PK_RSA
      && !tls_sig_alg_is_pss (alg))
    return g_strdup_printf (_("the signature scheme 0x%04x (%s) is RSASSA-PKCS1-v1_5: in a "
                              "TLS 1.3 CertificateVerify, \"RSA signatures MUST use an "
                              "RSASSA-PSS algorithm\""), scheme, tls_sig_alg_name (alg));
  return NULL;
}

void
cap13_cv_check (CapBuild *b, int dir, GBytes *msg, int msg_step, GBytes *leaf,
                TlsPrfHash hash)
{
  gboolean server = dir == 1;
  TlsActor receiver = cap_actor_of (1 - dir);
  const char *covers = server ? "ClientHello...Certificate" : "ClientHello...client Certificate";
  gsize len, hash_len = tls13_hash_len (hash);
  const guint8 *d = g_bytes_get_data (msg, &len);
  guint8 th[TLS_MAX_HASH_LEN], ty;
  guint32 bl;
  TlsReader r, body;
  Tls13CertificateVerify cv = { 0, NULL };
  g_autoptr (GBytes) content = NULL;
  g_autofree char *reason = NULL;
  g_autoptr (GError) error = NULL;
  TlsCertificate *cert = NULL;
  TlsSigAlg alg;
  TlsStep *step;
  int th_step;
  gboolean ok = FALSE;

  tls_reader_init (&r, d, len, NULL);
  if (tls_handshake_parse_header (&r, &ty, &bl, &body) != 0
      || tls13_certificate_verify_parse (&body, &cv) != 0)
    {
      tls13_certificate_verify_clear (&cv);
      return;   /* the message step says why it does not parse */
    }
  th_step = tls13_transcript_hash (b->trace, receiver, hash, b->transcript, covers, th);
  tls_trace_group (b->trace, tls_trace_get (b->trace, (guint) th_step), msg_step);
  content = tls13_certificate_verify_content (server, th, hash_len, NULL);
  alg = tls_sig_alg_from_tls (cv.algorithm);
  if (leaf == NULL)
    reason = g_strdup_printf (_("the %s sent no certificate before its CertificateVerify"),
                              cap_side_name (dir));
  else if ((cert = tls_certificate_new_from_der (leaf, &error)) == NULL)
    reason = g_strdup_printf (_("the %s's certificate could not be decoded: %s"),
                              cap_side_name (dir), error->message);
  else if (tls_certificate_get_public_key (cert) == NULL)
    reason = g_strdup (_("there is no public key to verify with"));
  else if ((reason = scheme_refused (cv.algorithm, alg)) == NULL)
    ok = tls_sig_verify (alg, tls_certificate_get_public_key (cert), g_bytes_get_data (content, NULL),
                         g_bytes_get_size (content), g_bytes_get_data (cv.signature, NULL),
                         g_bytes_get_size (cv.signature), &reason);

  step = tls_trace_add (b->trace, TLS_STEP_CHECK, receiver, N_("CertificateVerify signature"));
  tls_trace_group (b->trace, step, msg_step);
  step->subject = server ? g_strdup_printf (_("the server's %s signature"), tls_sig_alg_name (alg))
                         : g_strdup_printf (_("the client's %s signature"), tls_sig_alg_name (alg));
  step->against = server || cert == NULL
                  ? g_strdup (server ? _("the public key of the server's certificate")
                                     : _("the public key of the client's certificate"))
                  : g_strdup_printf (_("the public key of the client's certificate (%s)"),
                                     tls_certificate_get_subject (cert));
  tls_step_add_input (step, "Transcript-Hash", th, hash_len, th_step,
                      server ? _("ClientHello...Certificate") : _("ClientHello...client Certificate"));
  tls_step_add_input (step, "signed_content", g_bytes_get_data (content, NULL),
                      g_bytes_get_size (content), -1,
                      server ? _("64 spaces, \"TLS 1.3, server CertificateVerify\", a 0 byte, then "
                                 "the transcript hash")
                             : _("64 spaces, \"TLS 1.3, client CertificateVerify\", a 0 byte, then "
                                 "the transcript hash"));
  tls_step_add_input (step, "signature", g_bytes_get_data (cv.signature, NULL),
                      g_bytes_get_size (cv.signature), msg_step, _("from CertificateVerify"));
  step->result = ok ? TLS_CHECK_PASSED : TLS_CHECK_FAILED;
  if (ok)
    tls_step_set_reason (step, "%s", server ? _("the signature verifies with the certificate's public key")
                                            : _("the signature verifies: the client holds the private "
                                                "key of the certificate it sent"));
  else
    {
      tls_step_set_reason (step, "%s", reason ? reason : _("the signature does not verify"));
      cap_set_result (b, _("the %s's CertificateVerify does not verify"), cap_side_name (dir));
    }
  tls_step_explain (step, "RFC 8446, 4.4.3", "%s",
                    server
                    ? _("The signature covers 64 bytes of 0x20, the context string \"TLS 1.3, server "
                        "CertificateVerify\", a 0 byte and the transcript hash up to the "
                        "Certificate. \"If the verification fails, the receiver MUST terminate the "
                        "handshake with a \"decrypt_error\" alert.\"")
                    : _("The signature covers 64 bytes of 0x20, the context string \"TLS 1.3, client "
                        "CertificateVerify\", a 0 byte and the transcript hash up to the client's "
                        "Certificate. Its scheme MUST be one of the CertificateRequest's "
                        "signature_algorithms, RSA only as RSASSA-PSS. \"If the verification fails, "
                        "the receiver MUST terminate the handshake with a \"decrypt_error\" "
                        "alert.\""));
  tls_trace_commit (b->trace, step);
  if (cert != NULL)
    tls_certificate_unref (cert);
  tls13_certificate_verify_clear (&cv);
}

void
cap13_unknown_check (CapBuild *b, int dir, gboolean finished, const char *why)
{
  TlsStep *step = tls_trace_add (b->trace, TLS_STEP_CHECK, cap_actor_of (1 - dir),
                                 finished ? N_("Finished verify_data") : N_("CertificateVerify signature"));

  tls_trace_group (b->trace, step, TLS_PARENT_NONE);
  if (finished)
    step->subject = g_strdup (dir == 0 ? _("the client's Finished.verify_data")
                                       : _("the server's Finished.verify_data"));
  else
    step->subject = g_strdup_printf (dir == 0 ? _("the client's %s signature")
                                              : _("the server's %s signature"), "CertificateVerify");
  step->against = g_strdup (finished ? _("the verify_data computed here over the same transcript")
                                     : dir == 0 ? _("the public key of the client's certificate")
                                                : _("the public key of the server's certificate"));
  step->result = TLS_CHECK_NOT_CHECKED;
  tls_step_set_reason (step, "%s", why);
  tls_step_explain (step, finished ? "RFC 8446, 4.4.4" : "RFC 8446, 4.4.3", "%s",
                    _("The message is in a record under the sender's handshake traffic keys; "
                      "without its handshake traffic secret it stays encrypted, so this check "
                      "cannot be made from the capture: its outcome is unknown, not assumed."));
  tls_trace_commit (b->trace, step);
}
