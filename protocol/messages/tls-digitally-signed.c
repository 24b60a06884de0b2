/* tls-digitally-signed.c — the digitally-signed element (RFC 5246, 4.7). */
#include "tls-digitally-signed.h"
#include "tls-alert.h"
#include "tls-handshake.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>

const char *
tls_digitally_signed_hash_name (guint8 h)
{
  /* enum { none(0), md5(1), sha1(2), sha224(3), sha256(4), sha384(5),
   *        sha512(6), (255) } HashAlgorithm;  (+ intrinsic(8), RFC 8422) */
  switch (h)
    {
    case 0: return "none";
    case 1: return "md5";
    case 2: return "sha1";
    case 3: return "sha224";
    case 4: return "sha256";
    case 5: return "sha384";
    case 6: return "sha512";
    case 8: return "intrinsic";
    default: return "unknown";
    }
}

const char *
tls_digitally_signed_signature_name (guint8 s)
{
  /* enum { anonymous(0), rsa(1), dsa(2), ecdsa(3), (255) } SignatureAlgorithm; */
  switch (s)
    {
    case 0: return "anonymous";
    case 1: return "rsa";
    case 2: return "dsa";
    case 3: return "ecdsa";
    default: return "unknown";
    }
}

/* The name of the low byte of A: a SignatureAlgorithm, or with the hash
 * intrinsic(8) the whole SignatureScheme it is part of (RSA-PSS and EdDSA
 * in TLS 1.2, RFC 8446, 4.2.3: "SignatureScheme values have been allocated
 * to align with TLS 1.2's encoding"). */
static const char *
signature_byte_name (guint16 a)
{
  const char *scheme = tls_sigalg_name (a);

  if ((a >> 8) == 8 && !g_str_has_prefix (scheme, "sigalg("))
    return scheme;
  return tls_digitally_signed_signature_name (a & 0xff);
}

char *
tls_digitally_signed_describe (guint16 a)
{
  const char *name = tls_sigalg_name (a);

  if (!g_str_has_prefix (name, "sigalg("))
    return g_strdup_printf ("%s (0x%04X)", name, a);
  switch (a)
    {
    case 0x0808: return g_strdup_printf ("ed448 (0x%04X)", a);
    case 0x0809: return g_strdup_printf ("rsa_pss_pss_sha256 (0x%04X)", a);
    case 0x080A: return g_strdup_printf ("rsa_pss_pss_sha384 (0x%04X)", a);
    case 0x080B: return g_strdup_printf ("rsa_pss_pss_sha512 (0x%04X)", a);
    default:
      break;
    }
  if ((a >> 8) <= 6 && (a & 0xff) <= 3)
    return g_strdup_printf ("%s + %s (0x%04X)", tls_digitally_signed_hash_name (a >> 8),
                            tls_digitally_signed_signature_name (a & 0xff), a);
  return g_strdup_printf ("unknown (0x%04X)", a);
}

void
tls_digitally_signed_clear (TlsDigitallySigned *s)
{
  g_clear_pointer (&s->signature, g_bytes_unref);
}

#define ALG_DESC  N_("Which hash and which signature algorithm made the signature (TLS 1.2).")
#define HASH_DESC N_("The hash applied to the signed data.")
#define SIG_DESC  N_("The signature algorithm; it must match the key in the signer's certificate.")
#define SIGV_DESC N_("The signature itself, made with the signer's private key.")

gboolean
tls_digitally_signed_read (TlsReader *r, const char *name, guint16 version,
                           TlsDigitallySigned *s)
{
  TlsField *g = name ? tls_read_group_begin (r, name) : NULL;

  s->has_algorithm = version >= TLS_VERSION_1_2;
  s->algorithm = 0;
  s->signature = NULL;
  if (s->has_algorithm)
    {
      TlsField *ag = tls_read_group_begin (r, "algorithm");
      guint8 h = 0, sig = 0;

      if (tls_read_u8 (r, "hash", &h))
        {
          tls_reader_note (r, "%s (%u)", tls_digitally_signed_hash_name (h), h);
          tls_reader_describe (r, _(HASH_DESC));
        }
      if (tls_read_u8 (r, "signature", &sig))
        {
          tls_reader_note (r, "%s (%u)", signature_byte_name ((guint16) (h << 8 | sig)), sig);
          tls_reader_describe (r, _(SIG_DESC));
        }
      tls_read_group_end (r, ag);
      s->algorithm = (guint16) (h << 8 | sig);
      if (tls_reader_ok (r))
        {
          g_autofree char *text = tls_digitally_signed_describe (s->algorithm);
          tls_reader_note (r, "%s", text);
          tls_reader_describe (r, _(ALG_DESC));
        }
    }
  if (tls_handshake_read_opaque (r, 2, 0, 0xffff, "signature", &s->signature))
    tls_reader_describe (r, _(SIGV_DESC));
  if (g != NULL)
    tls_read_group_end (r, g);
  if (!tls_reader_ok (r))
    {
      tls_digitally_signed_clear (s);
      return FALSE;
    }
  return TRUE;
}

void
tls_digitally_signed_write (TlsWriter *w, const char *name, const TlsDigitallySigned *s)
{
  TlsWriterMark g, ag;

  if (name != NULL)
    tls_write_group_begin (w, name, &g);
  if (s->has_algorithm)
    {
      g_autofree char *text = tls_digitally_signed_describe (s->algorithm);

      tls_write_group_begin (w, "algorithm", &ag);
      tls_write_u8 (w, "hash", s->algorithm >> 8);
      tls_writer_note (w, "%s (%u)", tls_digitally_signed_hash_name (s->algorithm >> 8),
                       s->algorithm >> 8);
      tls_writer_describe (w, _(HASH_DESC));
      tls_write_u8 (w, "signature", s->algorithm & 0xff);
      tls_writer_note (w, "%s (%u)", signature_byte_name (s->algorithm), s->algorithm & 0xff);
      tls_writer_describe (w, _(SIG_DESC));
      tls_write_group_end (w, &ag);
      tls_writer_note (w, "%s", text);
      tls_writer_describe (w, _(ALG_DESC));
    }
  tls_handshake_write_opaque (w, 2, "signature", s->signature);
  tls_writer_describe (w, _(SIGV_DESC));
  if (name != NULL)
    tls_write_group_end (w, &g);
}
