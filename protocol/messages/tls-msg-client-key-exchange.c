/* tls-msg-client-key-exchange.c — ClientKeyExchange (RFC 5246, 7.4.7;
 * RFC 8422, 5.7). */
#include "tls-msg-client-key-exchange.h"
#include "tls-alert.h"
#include "tls-handshake.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef enum { LAYOUT_RSA, LAYOUT_DH, LAYOUT_ECDH } Layout;

static Layout
layout_for (TlsKeyExchange kx)
{
  switch (kx)
    {
    case TLS_KX_RSA:
      return LAYOUT_RSA;
    case TLS_KX_ECDHE_RSA:
    case TLS_KX_ECDHE_ECDSA:
      return LAYOUT_ECDH;
    case TLS_KX_DHE_RSA:
    case TLS_KX_DHE_DSS:
    case TLS_KX_DH_RSA:
    case TLS_KX_DH_DSS:
    default:
      return LAYOUT_DH;
    }
}

#define RSA_DESC  N_("The 48-byte premaster secret, encrypted with the RSA public key from " \
                     "the server's certificate: only the server can read it.")
#define DH_DESC   N_("The client's Diffie-Hellman public value Yc = g^Xc mod p; with the " \
                     "server's Ys both sides compute the same premaster secret.")
#define ECDH_DESC N_("The client's ephemeral elliptic-curve public key; with the server's " \
                     "key both sides compute the same premaster secret.")
#define POINT_DESC N_("The point, encoded as the curve prescribes (04 || x || y for " \
                      "uncompressed NIST curves, 32 bytes for X25519, 56 for X448).")

void
tls_client_key_exchange_clear (TlsClientKeyExchange *m)
{
  g_clear_pointer (&m->exchange_keys, g_bytes_unref);
}

int
tls_client_key_exchange_parse (TlsReader *r, TlsClientKeyExchange *m, TlsKeyExchange kx)
{
  m->kx = kx;
  m->exchange_keys = NULL;
  switch (layout_for (kx))
    {
    case LAYOUT_RSA:
      /* RFC 5246, 7.4.7.1: "the RSA-encrypted PreMasterSecret in a
       * ClientKeyExchange is preceded by two length bytes" (TLS 1.0+). */
      if (tls_handshake_read_opaque (r, 2, 0, 0xffff, "pre_master_secret", &m->exchange_keys))
        tls_reader_describe (r, _(RSA_DESC));
      break;
    case LAYOUT_DH:
      if (tls_handshake_read_opaque (r, 2, 1, 0xffff, "dh_Yc", &m->exchange_keys))
        tls_reader_describe (r, _(DH_DESC));
      break;
    case LAYOUT_ECDH:
      {
        TlsField *g = tls_read_group_begin (r, "ecdh_Yc");
        if (tls_handshake_read_opaque (r, 1, 1, 0xff, "point", &m->exchange_keys))
          tls_reader_describe (r, _(POINT_DESC));
        tls_read_group_end (r, g);
        tls_reader_describe (r, _(ECDH_DESC));
      }
      break;
    }
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls_client_key_exchange_clear (m);
  return r->error;
}

void
tls_client_key_exchange_write (TlsWriter *w, const TlsClientKeyExchange *m)
{
  TlsWriterMark g;

  switch (layout_for (m->kx))
    {
    case LAYOUT_RSA:
      tls_handshake_write_opaque (w, 2, "pre_master_secret", m->exchange_keys);
      tls_writer_describe (w, _(RSA_DESC));
      break;
    case LAYOUT_DH:
      tls_handshake_write_opaque (w, 2, "dh_Yc", m->exchange_keys);
      tls_writer_describe (w, _(DH_DESC));
      break;
    case LAYOUT_ECDH:
      tls_write_group_begin (w, "ecdh_Yc", &g);
      tls_handshake_write_opaque (w, 1, "point", m->exchange_keys);
      tls_writer_describe (w, _(POINT_DESC));
      tls_write_group_end (w, &g);
      tls_writer_describe (w, _(ECDH_DESC));
      break;
    }
}

#define PMS_VERSION_DESC N_("The highest version the client offered in its ClientHello, " \
                            "repeated here so that a version rollback can be detected.")
#define PMS_RANDOM_DESC  N_("46 bytes from the client's secure random generator.")

int
tls_pre_master_secret_parse (TlsReader *r, guint16 *client_version, guint8 random[46])
{
  const guint8 *p;

  if (tls_handshake_read_version (r, "client_version", client_version))
    tls_reader_describe (r, _(PMS_VERSION_DESC));
  if (tls_read_bytes (r, 46, "random", &p))
    {
      memcpy (random, p, 46);
      tls_reader_describe (r, _(PMS_RANDOM_DESC));
    }
  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  return r->error;
}

void
tls_pre_master_secret_write (TlsWriter *w, guint16 client_version, const guint8 random[46])
{
  tls_handshake_write_version (w, "client_version", client_version);
  tls_writer_describe (w, _(PMS_VERSION_DESC));
  tls_write_bytes (w, "random", random, 46);
  tls_writer_describe (w, _(PMS_RANDOM_DESC));
}
