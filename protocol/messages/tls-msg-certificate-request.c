/* tls-msg-certificate-request.c — CertificateRequest (RFC 5246, 7.4.4). */
#include "tls-msg-certificate-request.h"
#include "tls-alert.h"
#include "tls-digitally-signed.h"
#include "tls-handshake.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>

#define TYPES_DESC N_("The kinds of certificate (key and signature type) the server accepts " \
                      "from the client.")
#define ALGS_DESC  N_("The signature and hash pairs the server can verify in the client's " \
                      "CertificateVerify, most preferred first.")
#define CAS_DESC   N_("The names of the certification authorities the server trusts; the " \
                      "client picks a certificate issued under one of them. Empty: any.")
#define DN_DESC    N_("One CA's distinguished name (a DER-encoded X.501 Name).")

const char *
tls_certificate_request_type_name (guint8 t)
{
  switch (t)
    {
    case 1: return "rsa_sign";
    case 2: return "dss_sign";
    case 3: return "rsa_fixed_dh";
    case 4: return "dss_fixed_dh";
    case 5: return "rsa_ephemeral_dh_RESERVED";
    case 6: return "dss_ephemeral_dh_RESERVED";
    case 20: return "fortezza_dms_RESERVED";
    case 64: return "ecdsa_sign";
    case 65: return "rsa_fixed_ecdh";
    case 66: return "ecdsa_fixed_ecdh";
    default: return "unknown";
    }
}

void
tls_certificate_request_init (TlsCertificateRequest *m)
{
  m->certificate_types = g_byte_array_new ();
  m->has_signature_algorithms = FALSE;
  m->supported_signature_algorithms = g_array_new (FALSE, FALSE, sizeof (guint16));
  m->certificate_authorities = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

void
tls_certificate_request_clear (TlsCertificateRequest *m)
{
  g_clear_pointer (&m->certificate_types, g_byte_array_unref);
  g_clear_pointer (&m->supported_signature_algorithms, g_array_unref);
  g_clear_pointer (&m->certificate_authorities, g_ptr_array_unref);
}

static void
note_sigalg (TlsField *f, guint16 s)
{
  g_autofree char *text = tls_digitally_signed_describe (s);
  tls_field_set_value (f, "%s", text);
}

int
tls_certificate_request_parse (TlsReader *r, TlsCertificateRequest *m, guint16 version)
{
  TlsReader sub;

  tls_certificate_request_init (m);

  /* ClientCertificateType certificate_types<1..2^8-1>; */
  if (tls_read_vector (r, 1, 1, 0xff, "certificate_types", &sub))
    {
      tls_reader_describe (r, _(TYPES_DESC));
      while (tls_reader_remaining (&sub) > 0)
        {
          guint8 t;

          if (!tls_read_u8 (&sub, "certificate_type", &t))
            break;
          tls_reader_note (&sub, "%s (%u)", tls_certificate_request_type_name (t), t);
          g_byte_array_append (m->certificate_types, &t, 1);
        }
      tls_read_vector_end (r, &sub);
    }

  m->has_signature_algorithms = version >= TLS_VERSION_1_2;
  if (m->has_signature_algorithms
      && tls_read_vector (r, 2, 2, 0xfffe, "supported_signature_algorithms", &sub))
    {
      tls_reader_describe (r, _(ALGS_DESC));
      while (tls_reader_remaining (&sub) > 0)
        {
          guint16 s;

          /* An odd length leaves a lone byte: decode_error. */
          if (!tls_read_u16 (&sub, "signature_algorithm", &s))
            break;
          note_sigalg (sub.last, s);
          g_array_append_val (m->supported_signature_algorithms, s);
        }
      tls_read_vector_end (r, &sub);
    }

  /* DistinguishedName certificate_authorities<0..2^16-1>; */
  if (tls_read_vector (r, 2, 0, 0xffff, "certificate_authorities", &sub))
    {
      tls_reader_describe (r, _(CAS_DESC));
      while (tls_reader_remaining (&sub) > 0)
        {
          GBytes *dn = NULL;

          /* opaque DistinguishedName<1..2^16-1>; */
          if (!tls_handshake_read_opaque (&sub, 2, 1, 0xffff, "distinguished_name", &dn))
            break;
          tls_reader_describe (&sub, _(DN_DESC));
          g_ptr_array_add (m->certificate_authorities, dn);
        }
      tls_read_vector_end (r, &sub);
    }

  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls_certificate_request_clear (m);
  return r->error;
}

void
tls_certificate_request_write (TlsWriter *w, const TlsCertificateRequest *m)
{
  TlsWriterMark v;

  tls_write_vector_begin (w, 1, "certificate_types", &v);
  for (guint i = 0; m->certificate_types && i < m->certificate_types->len; i++)
    {
      guint8 t = m->certificate_types->data[i];

      tls_write_u8 (w, "certificate_type", t);
      tls_writer_note (w, "%s (%u)", tls_certificate_request_type_name (t), t);
    }
  tls_write_vector_end (w, &v);
  tls_writer_describe (w, _(TYPES_DESC));

  if (m->has_signature_algorithms)
    {
      tls_write_vector_begin (w, 2, "supported_signature_algorithms", &v);
      for (guint i = 0; m->supported_signature_algorithms
                        && i < m->supported_signature_algorithms->len; i++)
        {
          guint16 s = g_array_index (m->supported_signature_algorithms, guint16, i);

          tls_write_u16 (w, "signature_algorithm", s);
          note_sigalg (w->last, s);
        }
      tls_write_vector_end (w, &v);
      tls_writer_describe (w, _(ALGS_DESC));
    }

  tls_write_vector_begin (w, 2, "certificate_authorities", &v);
  for (guint i = 0; m->certificate_authorities && i < m->certificate_authorities->len; i++)
    {
      tls_handshake_write_opaque (w, 2, "distinguished_name",
                                  g_ptr_array_index (m->certificate_authorities, i));
      tls_writer_describe (w, _(DN_DESC));
    }
  tls_write_vector_end (w, &v);
  tls_writer_describe (w, _(CAS_DESC));
}
