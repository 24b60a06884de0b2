/* tls-msg-server-key-exchange.c — ServerKeyExchange (RFC 5246, 7.4.3;
 * RFC 8422, 5.4). */
#include "tls-msg-server-key-exchange.h"
#include "tls-alert.h"
#include "tls-extensions.h"
#include "tls-handshake.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef enum { LAYOUT_NONE, LAYOUT_DH, LAYOUT_ECDH } Layout;

static Layout
layout_for (TlsKeyExchange kx)
{
  switch (kx)
    {
    case TLS_KX_DHE_RSA:
    case TLS_KX_DHE_DSS:
      return LAYOUT_DH;
    case TLS_KX_ECDHE_RSA:
    case TLS_KX_ECDHE_ECDSA:
      return LAYOUT_ECDH;
    case TLS_KX_RSA:
    case TLS_KX_DH_RSA:
    case TLS_KX_DH_DSS:
    default:
      return LAYOUT_NONE;
    }
}

#define PARAMS_DH_DESC N_("The server's ephemeral Diffie-Hellman group and public value " \
                          "(ServerDHParams), made fresh for this handshake.")
#define PARAMS_EC_DESC N_("The server's ephemeral elliptic-curve key (ServerECDHParams): " \
                          "which curve, and the public point on it.")
#define P_DESC   N_("The prime modulus p of the Diffie-Hellman group; its size sets the strength.")
#define G_DESC   N_("The generator g of the group.")
#define YS_DESC  N_("The server's public value Ys = g^Xs mod p; Xs stays secret.")
#define CP_DESC  N_("Which curve the key is on (ECParameters).")
#define CT_DESC  N_("How the curve is given; named_curve (3): by its registered number.")
#define NC_DESC  N_("The curve (NamedGroup), chosen from the client's supported_groups.")
#define PUB_DESC N_("The server's ephemeral public key, a point on the curve (ECPoint).")
#define PT_DESC  N_("The point's encoding: 04 || x || y for uncompressed NIST curves, " \
                    "32 bytes for X25519, 56 for X448.")
#define SP_DESC  N_("The server's signature over client_random + server_random + params, " \
                    "made with the key of its certificate: proves the parameters are its own.")

void
tls_server_key_exchange_clear (TlsServerKeyExchange *m)
{
  g_clear_pointer (&m->dh_p, g_bytes_unref);
  g_clear_pointer (&m->dh_g, g_bytes_unref);
  g_clear_pointer (&m->dh_Ys, g_bytes_unref);
  g_clear_pointer (&m->point, g_bytes_unref);
  tls_digitally_signed_clear (&m->signed_params);
}

static void
note_curve (TlsField *f, guint16 curve)
{
  tls_field_set_value (f, "%s (%u)", tls_extensions_group_name (curve), curve);
  tls_field_set_desc (f, _(NC_DESC));
}

int
tls_server_key_exchange_parse (TlsReader *r, TlsServerKeyExchange *m,
                               TlsKeyExchange kx, guint16 version)
{
  Layout layout = layout_for (kx);
  TlsField *params;

  memset (m, 0, sizeof *m);
  m->kx = kx;
  if (layout == LAYOUT_NONE)
    {
      /* RFC 5246, 7.4.3: "It is not legal to send the server key exchange
       * message for the following key exchange methods: RSA, DH_DSS,
       * DH_RSA". */
      tls_reader_fail (r, TLS_ALERT_UNEXPECTED_MESSAGE);
      return r->error;
    }

  params = tls_read_group_begin (r, "params");
  if (layout == LAYOUT_DH)
    {
      if (tls_handshake_read_opaque (r, 2, 1, 0xffff, "dh_p", &m->dh_p))
        {
          tls_reader_note (r, _("%zu bits (%zu bytes)"),
                           8 * g_bytes_get_size (m->dh_p), g_bytes_get_size (m->dh_p));
          tls_reader_describe (r, _(P_DESC));
        }
      if (tls_handshake_read_opaque (r, 2, 1, 0xffff, "dh_g", &m->dh_g))
        tls_reader_describe (r, _(G_DESC));
      if (tls_handshake_read_opaque (r, 2, 1, 0xffff, "dh_Ys", &m->dh_Ys))
        tls_reader_describe (r, _(YS_DESC));
    }
  else
    {
      TlsField *cp = tls_read_group_begin (r, "curve_params");
      TlsField *pub;

      if (tls_read_u8 (r, "curve_type", &m->curve_type))
        {
          tls_reader_note (r, "%s (%u)",
                           m->curve_type == TLS_EC_CURVE_TYPE_NAMED_CURVE ? "named_curve"
                           : m->curve_type <= 2 ? "deprecated" : "unknown",
                           m->curve_type);
          tls_reader_describe (r, _(CT_DESC));
          /* RFC 8422, 5.4: explicit_prime (1) and explicit_char2 (2) are
           * deprecated; only named_curve can be used.  The value is well
           * formed but not allowed: illegal_parameter. */
          if (m->curve_type != TLS_EC_CURVE_TYPE_NAMED_CURVE)
            tls_reader_fail (r, TLS_ALERT_ILLEGAL_PARAMETER);
        }
      if (tls_read_u16 (r, "namedcurve", &m->namedcurve))
        note_curve (r->last, m->namedcurve);
      tls_read_group_end (r, cp);
      tls_reader_describe (r, _(CP_DESC));

      pub = tls_read_group_begin (r, "public");
      if (tls_handshake_read_opaque (r, 1, 1, 0xff, "point", &m->point))
        tls_reader_describe (r, _(PT_DESC));
      tls_read_group_end (r, pub);
      tls_reader_describe (r, _(PUB_DESC));
    }
  tls_read_group_end (r, params);
  tls_reader_describe (r, layout == LAYOUT_DH ? _(PARAMS_DH_DESC) : _(PARAMS_EC_DESC));

  if (tls_reader_ok (r)
      && tls_digitally_signed_read (r, "signed_params", version, &m->signed_params))
    tls_reader_describe (r, _(SP_DESC));

  if (tls_reader_ok (r) && !tls_reader_done (r))
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  if (r->error != 0)
    tls_server_key_exchange_clear (m);
  return r->error;
}

static void
write_params (TlsWriter *w, const TlsServerKeyExchange *m)
{
  TlsWriterMark params, cp, pub;
  Layout layout = layout_for (m->kx);

  g_return_if_fail (layout != LAYOUT_NONE);
  tls_write_group_begin (w, "params", &params);
  if (layout == LAYOUT_DH)
    {
      gsize plen = m->dh_p ? g_bytes_get_size (m->dh_p) : 0;

      tls_handshake_write_opaque (w, 2, "dh_p", m->dh_p);
      tls_writer_note (w, _("%zu bits (%zu bytes)"), 8 * plen, plen);
      tls_writer_describe (w, _(P_DESC));
      tls_handshake_write_opaque (w, 2, "dh_g", m->dh_g);
      tls_writer_describe (w, _(G_DESC));
      tls_handshake_write_opaque (w, 2, "dh_Ys", m->dh_Ys);
      tls_writer_describe (w, _(YS_DESC));
    }
  else
    {
      tls_write_group_begin (w, "curve_params", &cp);
      tls_write_u8 (w, "curve_type", TLS_EC_CURVE_TYPE_NAMED_CURVE);
      tls_writer_note (w, "named_curve (%u)", TLS_EC_CURVE_TYPE_NAMED_CURVE);
      tls_writer_describe (w, _(CT_DESC));
      tls_write_u16 (w, "namedcurve", m->namedcurve);
      note_curve (w->last, m->namedcurve);
      tls_write_group_end (w, &cp);
      tls_writer_describe (w, _(CP_DESC));

      tls_write_group_begin (w, "public", &pub);
      tls_handshake_write_opaque (w, 1, "point", m->point);
      tls_writer_describe (w, _(PT_DESC));
      tls_write_group_end (w, &pub);
      tls_writer_describe (w, _(PUB_DESC));
    }
  tls_write_group_end (w, &params);
  tls_writer_describe (w, layout == LAYOUT_DH ? _(PARAMS_DH_DESC) : _(PARAMS_EC_DESC));
}

void
tls_server_key_exchange_write (TlsWriter *w, const TlsServerKeyExchange *m)
{
  write_params (w, m);
  tls_digitally_signed_write (w, "signed_params", &m->signed_params);
  tls_writer_describe (w, _(SP_DESC));
}

GBytes *
tls_server_key_exchange_params (const TlsServerKeyExchange *m)
{
  TlsWriter w;

  tls_writer_init (&w, NULL);
  write_params (&w, m);
  return tls_writer_steal (&w);
}

GBytes *
tls_server_key_exchange_signed_data (const TlsServerKeyExchange *m,
                                     const guint8 client_random[32],
                                     const guint8 server_random[32])
{
  g_autoptr (GBytes) params = tls_server_key_exchange_params (m);
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, client_random, 32);
  g_byte_array_append (out, server_random, 32);
  g_byte_array_append (out, g_bytes_get_data (params, NULL), g_bytes_get_size (params));
  return g_byte_array_free_to_bytes (out);
}
