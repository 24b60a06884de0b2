/* tls13-msg-certificate.c — the TLS 1.3 Certificate (RFC 8446, 4.4.2). */
#include "tls13-msg-certificate.h"
#include "tls-alert.h"
#include "tls-handshake.h"

#include <glib/gi18n-lib.h>

#define CONTEXT_DESC N_("Empty when the server sends its certificate; when answering a "          \
                        "CertificateRequest, the request's certificate_request_context, echoed " \
                        "(RFC 8446, 4.4.2).")
#define LIST_DESC    N_("The chain: the sender's certificate must come first, each following "    \
                        "one should certify the one before it; a trust anchor may be left out "   \
                        "(RFC 8446, 4.4.2).")
#define ENTRY_EXT_DESC N_("Extensions of this certificate, such as an OCSP response or SCTs, "    \
                          "which TLS 1.2 carried in other messages (RFC 8446, 4.4.2.1).")

static void
entry_clear (gpointer p)
{
  Tls13CertificateEntry *e = p;

  g_clear_pointer (&e->cert_data, g_bytes_unref);
  tls_extensions_clear (&e->extensions);
}

void
tls13_certificate_msg_init (Tls13CertificateMsg *m)
{
  m->certificate_request_context = g_bytes_new (NULL, 0);
  m->certificate_list = g_array_new (FALSE, TRUE, sizeof (Tls13CertificateEntry));
  g_array_set_clear_func (m->certificate_list, entry_clear);
}

void
tls13_certificate_msg_clear (Tls13CertificateMsg *m)
{
  g_clear_pointer (&m->certificate_request_context, g_bytes_unref);
  g_clear_pointer (&m->certificate_list, g_array_unref);
}

void
tls13_certificate_msg_add (Tls13CertificateMsg *m, GBytes *der)
{
  Tls13CertificateEntry e = { g_bytes_ref (der), { 0 } };

  if (m->certificate_list == NULL)
    tls13_certificate_msg_init (m);
  tls_extensions_init (&e.extensions);
  e.extensions.present = TRUE;
  g_array_append_val (m->certificate_list, e);
}

int
tls13_certificate_msg_parse (TlsReader *r, Tls13CertificateMsg *m)
{
  TlsReader list;

  tls13_certificate_msg_init (m);
  g_clear_pointer (&m->certificate_request_context, g_bytes_unref);
  if (tls_handshake_read_opaque (r, 1, 0, 0xff, "certificate_request_context",
                                 &m->certificate_request_context))
    tls_reader_describe (r, _(CONTEXT_DESC));
  if (tls_read_vector (r, 3, 0, 0xffffff, "certificate_list", &list))
    {
      tls_reader_describe (r, _(LIST_DESC));
      for (guint i = 0; tls_reader_remaining (&list) > 0; i++)
        {
          g_autofree char *name = g_strdup_printf ("CertificateEntry [%u]", i);
          TlsField *g = tls_read_group_begin (&list, name);
          Tls13CertificateEntry e = { NULL, { 0 } };

          if (tls_handshake_read_opaque (&list, 3, 1, 0xffffff, "cert_data", &e.cert_data))
            {
              if (list.last != NULL)
                tls_field_set_value (list.last, g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes",
                                                          g_bytes_get_size (e.cert_data)),
                                     g_bytes_get_size (e.cert_data));
              tls_reader_describe (&list, i == 0
                                   ? _("The sender's own certificate (DER), whose key signs "
                                       "the CertificateVerify.")
                                   : _("One X.509 certificate in DER encoding."));
            }
          /* Extension extensions<0..2^16-1>: always there, possibly empty
           * (tls_extensions_parse would take no bytes left for no list). */
          tls_extensions_init (&e.extensions);
          if (tls_reader_ok (&list) && tls_reader_remaining (&list) < 2)
            tls_reader_fail (&list, TLS_ALERT_DECODE_ERROR);
          if (tls_reader_ok (&list))
            {
              tls_extensions_parse (&list, &e.extensions, TLS_EXTENSIONS_CERTIFICATE);
              tls_reader_describe (&list, _(ENTRY_EXT_DESC));
            }
          tls_read_group_end (&list, g);
          if (!tls_reader_ok (&list))
            {
              entry_clear (&e);
              break;
            }
          g_array_append_val (m->certificate_list, e);
        }
      tls_read_vector_end (r, &list);
    }
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls13_certificate_msg_clear (m);
  return r->error;
}

void
tls13_certificate_msg_write (TlsWriter *w, const Tls13CertificateMsg *m)
{
  TlsWriterMark list;

  tls_handshake_write_opaque (w, 1, "certificate_request_context", m->certificate_request_context);
  tls_writer_describe (w, _(CONTEXT_DESC));
  tls_write_vector_begin (w, 3, "certificate_list", &list);
  for (guint i = 0; m->certificate_list && i < m->certificate_list->len; i++)
    {
      const Tls13CertificateEntry *e = &g_array_index (m->certificate_list, Tls13CertificateEntry, i);
      g_autofree char *name = g_strdup_printf ("CertificateEntry [%u]", i);
      TlsExtensions ext = e->extensions;
      TlsWriterMark group;

      tls_write_group_begin (w, name, &group);
      tls_handshake_write_opaque (w, 3, "cert_data", e->cert_data);
      if (w->last != NULL)
        tls_field_set_value (w->last, g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes",
                                                   g_bytes_get_size (e->cert_data)),
                             g_bytes_get_size (e->cert_data));
      tls_writer_describe (w, i == 0 ? _("The sender's own certificate (DER), whose key signs "
                                         "the CertificateVerify.")
                                     : _("One X.509 certificate in DER encoding."));
      ext.present = TRUE;
      tls_extensions_write (w, &ext, TLS_EXTENSIONS_CERTIFICATE);
      tls_writer_describe (w, _(ENTRY_EXT_DESC));
      tls_write_group_end (w, &group);
    }
  tls_write_vector_end (w, &list);
  tls_writer_describe (w, _(LIST_DESC));
}
