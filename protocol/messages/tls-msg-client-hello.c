/* tls-msg-client-hello.c — ClientHello (RFC 5246, 7.4.1.2). */
#include "tls-msg-client-hello.h"
#include "tls-alert.h"
#include "tls-handshake.h"
#include "tls-suites.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define VERSION_DESC N_("The version the client wishes to use: normally the highest it " \
                        "supports, lower only when it retries after a failed attempt; the " \
                        "server answers with this one or a lower one.")
#define SUITES_DESC  N_("The cipher suites the client accepts, most preferred first; each " \
                        "names a key exchange, a bulk cipher and a MAC.")
#define SUITE_DESC   N_("One cipher suite offered by the client.")
#define COMP_DESC    N_("Compression methods the client accepts; null (0) must be among them " \
                        "and is the only one used today.")

static char *
compression_note (guint8 c)
{
  return g_strdup_printf ("%s (%u)", c == 0 ? "null" : c == 1 ? "DEFLATE" : "unknown", c);
}

static void
note_suite (TlsField *f, guint16 s)
{
  g_autofree char *name = NULL;

  if (f == NULL)   /* no annotation (a bare trace) */
    return;
  name = tls_suite_describe (s);
  /* Suites outside the table are described by their number already. */
  if (g_str_has_prefix (name, "0x"))
    tls_field_set_value (f, "%s", name);
  else
    tls_field_set_value (f, "%s (0x%04X)", name, s);
  tls_field_set_desc (f, _(SUITE_DESC));
}

void
tls_client_hello_init (TlsClientHello *m)
{
  m->client_version = 0;
  memset (m->random, 0, sizeof m->random);
  memset (m->session_id, 0, sizeof m->session_id);
  m->session_id_len = 0;
  m->cipher_suites = g_array_new (FALSE, FALSE, sizeof (guint16));
  m->compression_methods = g_byte_array_new ();
  tls_extensions_init (&m->extensions);
}

void
tls_client_hello_clear (TlsClientHello *m)
{
  g_clear_pointer (&m->cipher_suites, g_array_unref);
  g_clear_pointer (&m->compression_methods, g_byte_array_unref);
  tls_extensions_clear (&m->extensions);
}

int
tls_client_hello_parse (TlsReader *r, TlsClientHello *m)
{
  TlsReader sub;

  tls_client_hello_init (m);

  if (tls_handshake_read_version (r, "client_version", &m->client_version))
    tls_reader_describe (r, _(VERSION_DESC));
  tls_handshake_read_random (r, m->random);
  tls_handshake_read_session_id (r, m->session_id, &m->session_id_len);

  /* CipherSuite cipher_suites<2..2^16-2>; two bytes each, so an odd
   * length leaves a lone byte and the last read fails: decode_error. */
  if (tls_read_vector (r, 2, 2, 0xfffe, "cipher_suites", &sub))
    {
      tls_reader_describe (r, _(SUITES_DESC));
      while (tls_reader_remaining (&sub) > 0)
        {
          guint16 s;

          if (!tls_read_u16 (&sub, "cipher_suite", &s))
            break;
          note_suite (sub.last, s);
          g_array_append_val (m->cipher_suites, s);
        }
      tls_read_vector_end (r, &sub);
    }

  /* CompressionMethod compression_methods<1..2^8-1>; */
  if (tls_read_vector (r, 1, 1, 0xff, "compression_methods", &sub))
    {
      tls_reader_describe (r, _(COMP_DESC));
      while (tls_reader_remaining (&sub) > 0)
        {
          guint8 c;
          g_autofree char *note = NULL;

          if (!tls_read_u8 (&sub, "compression_method", &c))
            break;
          note = compression_note (c);
          tls_reader_note (&sub, "%s", note);
          g_byte_array_append (m->compression_methods, &c, 1);
        }
      tls_read_vector_end (r, &sub);
    }

  /* RFC 5246, 7.4.1.2: the extensions are optional; the body may end
   * here.  What follows must be exactly one extensions block. */
  tls_extensions_parse (r, &m->extensions, TLS_EXTENSIONS_CLIENT_HELLO);
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);

  if (r->error != 0)
    tls_client_hello_clear (m);
  return r->error;
}

void
tls_client_hello_write (TlsWriter *w, const TlsClientHello *m)
{
  TlsWriterMark v;

  tls_handshake_write_version (w, "client_version", m->client_version);
  tls_writer_describe (w, _(VERSION_DESC));
  tls_handshake_write_random (w, m->random);
  tls_handshake_write_session_id (w, m->session_id, m->session_id_len);

  tls_write_vector_begin (w, 2, "cipher_suites", &v);
  for (guint i = 0; m->cipher_suites && i < m->cipher_suites->len; i++)
    {
      guint16 s = g_array_index (m->cipher_suites, guint16, i);

      tls_write_u16 (w, "cipher_suite", s);
      note_suite (w->last, s);
    }
  tls_write_vector_end (w, &v);
  tls_writer_describe (w, _(SUITES_DESC));

  tls_write_vector_begin (w, 1, "compression_methods", &v);
  for (guint i = 0; m->compression_methods && i < m->compression_methods->len; i++)
    {
      guint8 c = m->compression_methods->data[i];
      g_autofree char *note = compression_note (c);

      tls_write_u8 (w, "compression_method", c);
      tls_writer_note (w, "%s", note);
    }
  tls_write_vector_end (w, &v);
  tls_writer_describe (w, _(COMP_DESC));

  tls_extensions_write (w, &m->extensions, TLS_EXTENSIONS_CLIENT_HELLO);
}

gboolean
tls_client_hello_offers_suite (const TlsClientHello *m, guint16 suite)
{
  for (guint i = 0; m->cipher_suites && i < m->cipher_suites->len; i++)
    if (g_array_index (m->cipher_suites, guint16, i) == suite)
      return TRUE;
  return FALSE;
}

gboolean
tls_client_hello_offers_compression (const TlsClientHello *m, guint8 method)
{
  for (guint i = 0; m->compression_methods && i < m->compression_methods->len; i++)
    if (m->compression_methods->data[i] == method)
      return TRUE;
  return FALSE;
}

int
tls_client_hello_check_server_extensions (const TlsClientHello *m, const TlsExtensions *server,
                                          guint16 *bad_type)
{
  if (tls_extensions_has (server, TLS_EXT_RENEGOTIATION_INFO)
      && !tls_extensions_has (&m->extensions, TLS_EXT_RENEGOTIATION_INFO)
      && !tls_client_hello_offers_suite (m, TLS_EMPTY_RENEGOTIATION_INFO_SCSV))
    {
      if (bad_type != NULL)
        *bad_type = TLS_EXT_RENEGOTIATION_INFO;
      return TLS_ALERT_UNSUPPORTED_EXTENSION;
    }
  return tls_extensions_check_server (server, &m->extensions, bad_type);
}
