/* tls-msg-server-hello.c — ServerHello (RFC 5246, 7.4.1.3). */
#include "tls-msg-server-hello.h"
#include "tls-alert.h"
#include "tls-handshake.h"
#include "tls-suites.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define VERSION_DESC N_("The version the server chose: the lower of the client's highest " \
                        "and its own highest.")
#define SUITE_DESC   N_("The cipher suite the server picked from the client's list.")
#define COMP_DESC    N_("The compression method the server picked; null (0), no compression.")

void
tls_server_hello_init (TlsServerHello *m)
{
  memset (m, 0, sizeof *m);
  tls_extensions_init (&m->extensions);
}

void
tls_server_hello_clear (TlsServerHello *m)
{
  tls_extensions_clear (&m->extensions);
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

int
tls_server_hello_parse (TlsReader *r, TlsServerHello *m)
{
  tls_server_hello_init (m);

  if (tls_handshake_read_version (r, "server_version", &m->server_version))
    tls_reader_describe (r, _(VERSION_DESC));
  tls_handshake_read_random (r, m->random);
  tls_handshake_read_session_id (r, m->session_id, &m->session_id_len);
  if (tls_read_u16 (r, "cipher_suite", &m->cipher_suite))
    note_suite (r->last, m->cipher_suite);
  if (tls_read_u8 (r, "compression_method", &m->compression_method))
    {
      tls_reader_note (r, "%s (%u)", m->compression_method == 0 ? "null" : "unknown",
                       m->compression_method);
      tls_reader_describe (r, _(COMP_DESC));
    }
  tls_extensions_parse (r, &m->extensions, TLS_EXTENSIONS_SERVER_HELLO);
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);

  if (r->error != 0)
    tls_server_hello_clear (m);
  return r->error;
}

void
tls_server_hello_write (TlsWriter *w, const TlsServerHello *m)
{
  tls_handshake_write_version (w, "server_version", m->server_version);
  tls_writer_describe (w, _(VERSION_DESC));
  tls_handshake_write_random (w, m->random);
  tls_handshake_write_session_id (w, m->session_id, m->session_id_len);
  tls_write_u16 (w, "cipher_suite", m->cipher_suite);
  note_suite (w->last, m->cipher_suite);
  tls_write_u8 (w, "compression_method", m->compression_method);
  tls_writer_note (w, "%s (%u)", m->compression_method == 0 ? "null" : "unknown",
                   m->compression_method);
  tls_writer_describe (w, _(COMP_DESC));
  tls_extensions_write (w, &m->extensions, TLS_EXTENSIONS_SERVER_HELLO);
}
