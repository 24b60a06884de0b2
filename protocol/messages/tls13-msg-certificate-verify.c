/* tls13-msg-certificate-verify.c — the TLS 1.3 CertificateVerify (RFC 8446,
 * 4.4.3). */
#include "tls13-msg-certificate-verify.h"
#include "tls-alert.h"
#include "tls-handshake.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define ALG_DESC N_("The signature scheme: algorithm, hash and padding in one code point; "  \
                    "RSA must use RSASSA-PSS here, SHA-1 is not allowed (RFC 8446, 4.4.3).")
#define SIG_DESC N_("The signature, with the key of the sender's certificate, over 64 spaces, " \
                    "the context string, a zero byte and the transcript hash up to the "       \
                    "Certificate (RFC 8446, 4.4.3).")

void
tls13_certificate_verify_clear (Tls13CertificateVerify *m)
{
  g_clear_pointer (&m->signature, g_bytes_unref);
}

int
tls13_certificate_verify_parse (TlsReader *r, Tls13CertificateVerify *m)
{
  m->algorithm = 0;
  m->signature = NULL;
  if (tls_read_u16 (r, "algorithm", &m->algorithm))
    {
      tls_reader_note (r, "%s (0x%04x)", tls_sigalg_name (m->algorithm), m->algorithm);
      tls_reader_describe (r, _(ALG_DESC));
    }
  if (tls_handshake_read_opaque (r, 2, 0, 0xffff, "signature", &m->signature))
    tls_reader_describe (r, _(SIG_DESC));
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls13_certificate_verify_clear (m);
  return r->error;
}

void
tls13_certificate_verify_write (TlsWriter *w, const Tls13CertificateVerify *m)
{
  tls_write_u16 (w, "algorithm", m->algorithm);
  tls_writer_note (w, "%s (0x%04x)", tls_sigalg_name (m->algorithm), m->algorithm);
  tls_writer_describe (w, _(ALG_DESC));
  tls_handshake_write_opaque (w, 2, "signature", m->signature);
  tls_writer_describe (w, _(SIG_DESC));
}

/*  The digital signature is then computed over the concatenation of:
 *  -  A string that consists of octet 32 (0x20) repeated 64 times
 *  -  The context string
 *  -  A single 0 byte which serves as the separator
 *  -  The content to be signed                           (RFC 8446, 4.4.3) */
GBytes *
tls13_certificate_verify_content (gboolean from_server, const guint8 *transcript_hash,
                                  gsize hash_len, TlsField *root)
{
  const char *context = from_server ? TLS13_SERVER_CV_CONTEXT : TLS13_CLIENT_CV_CONTEXT;
  guint8 spaces[64];
  TlsWriter w;

  memset (spaces, 0x20, sizeof spaces);
  tls_writer_init (&w, root);
  tls_write_bytes (&w, "padding", spaces, sizeof spaces);
  tls_writer_describe (&w, _("64 bytes of 0x20 where a TLS 1.2 ServerKeyExchange signature "
                             "began with the two hello randoms, so that an attacker cannot "
                             "choose how the signed bytes begin (RFC 8446, 4.4.3)"));
  tls_write_bytes (&w, "context string", (const guint8 *) context, strlen (context));
  tls_writer_note (&w, "\"%s\"", context);
  tls_writer_describe (&w, _("says who signed and for what, so that a signature cannot be "
                             "reused in another context"));
  tls_write_u8 (&w, "separator", 0);
  tls_writer_describe (&w, _("a single zero byte"));
  tls_write_bytes (&w, "content", transcript_hash, hash_len);
  tls_writer_describe (&w, _("Transcript-Hash(Handshake Context, Certificate)"));
  return tls_writer_steal (&w);
}
