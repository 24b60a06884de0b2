/* tls-msg-certificate.c — Certificate (RFC 5246, 7.4.2, 7.4.6). */
#include "tls-msg-certificate.h"
#include "tls-alert.h"
#include "tls-handshake.h"

#include <glib/gi18n-lib.h>

#define LIST_DESC N_("The sender's certificate chain: its own certificate first, then each " \
                     "certificate that signed the one before; the root may be left out.")
#define CERT_DESC N_("One X.509 certificate in DER encoding.")

void
tls_certificate_msg_init (TlsCertificateMsg *m)
{
  m->certificate_list = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

void
tls_certificate_msg_clear (TlsCertificateMsg *m)
{
  g_clear_pointer (&m->certificate_list, g_ptr_array_unref);
}

void
tls_certificate_msg_add (TlsCertificateMsg *m, GBytes *der)
{
  if (m->certificate_list == NULL)
    tls_certificate_msg_init (m);
  g_ptr_array_add (m->certificate_list, g_bytes_ref (der));
}

static void
note_cert (TlsField *f, guint i, gsize len)
{
  if (f == NULL)
    return;
  tls_field_set_value (f, g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes", len), len);
  tls_field_set_desc (f, i == 0 ? _("The sender's own certificate (DER), the one whose key is used.")
                                : _(CERT_DESC));
}

int
tls_certificate_msg_parse (TlsReader *r, TlsCertificateMsg *m)
{
  TlsReader list;

  tls_certificate_msg_init (m);
  if (tls_read_vector (r, 3, 0, 0xffffff, "certificate_list", &list))
    {
      tls_reader_describe (r, _(LIST_DESC));
      if (r->last != NULL)
        tls_field_set_value (r->last, g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes", list.len), list.len);
      for (guint i = 0; tls_reader_remaining (&list) > 0; i++)
        {
          g_autofree char *name = g_strdup_printf ("certificate [%u]", i);
          GBytes *der = NULL;

          /* opaque ASN.1Cert<1..2^24-1>; */
          if (!tls_handshake_read_opaque (&list, 3, 1, 0xffffff, name, &der))
            break;
          note_cert (list.last, i, g_bytes_get_size (der));
          g_ptr_array_add (m->certificate_list, der);
        }
      tls_read_vector_end (r, &list);
    }
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls_certificate_msg_clear (m);
  return r->error;
}

void
tls_certificate_msg_write (TlsWriter *w, const TlsCertificateMsg *m)
{
  TlsWriterMark list;

  tls_write_vector_begin (w, 3, "certificate_list", &list);
  for (guint i = 0; m->certificate_list && i < m->certificate_list->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("certificate [%u]", i);
      GBytes *der = g_ptr_array_index (m->certificate_list, i);

      tls_handshake_write_opaque (w, 3, name, der);
      note_cert (w->last, i, g_bytes_get_size (der));
    }
  tls_write_vector_end (w, &list);
  tls_writer_describe (w, _(LIST_DESC));
}
