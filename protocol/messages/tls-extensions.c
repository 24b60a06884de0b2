/* tls-extensions.c — hello extensions: the list, and the decoders of those
 * the engine understands.
 *
 * One decoder per known extension reads extension_data with a TlsReader.
 * Parsing runs it to check the data and annotate it; writing runs the same
 * decoder over the bytes just written, so a sent and a received extension
 * show the same fields. */
#include "tls-extensions.h"
#include "tls-alert.h"
#include "tls-digitally-signed.h"
#include "tls-handshake.h"
#include "tls-types.h"
#include "tls13-extension-data.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Names                                                               */

const char *
tls_extensions_group_name (guint16 g)
{
  switch (g)
    {
    case 21: return "secp224r1";
    case 22: return "secp256k1";
    case 23: return "secp256r1";
    case 24: return "secp384r1";
    case 25: return "secp521r1";
    case 26: return "brainpoolP256r1";
    case 27: return "brainpoolP384r1";
    case 28: return "brainpoolP512r1";
    case 29: return "x25519";
    case 30: return "x448";
    case 256: return "ffdhe2048";
    case 257: return "ffdhe3072";
    case 258: return "ffdhe4096";
    case 259: return "ffdhe6144";
    case 260: return "ffdhe8192";
    default: return "unknown";
    }
}

const char *
tls_extensions_point_format_name (guint8 f)
{
  switch (f)
    {
    case 0: return "uncompressed";
    case 1: return "ansiX962_compressed_prime";
    case 2: return "ansiX962_compressed_char2";
    default: return "unknown";
    }
}

/* The name shown for an extension type: the registry's, or "unknown". */
static const char *
ext_name (guint16 type)
{
  const char *n = tls_extension_name (type);

  return g_str_has_prefix (n, "extension(") ? "unknown" : n;
}

/* ------------------------------------------------------------------ */
/* The list                                                            */

static void
extension_clear (gpointer p)
{
  TlsExtension *x = p;
  g_clear_pointer (&x->data, g_bytes_unref);
}

void
tls_extensions_init (TlsExtensions *e)
{
  e->present = FALSE;
  e->list = NULL;
}

void
tls_extensions_clear (TlsExtensions *e)
{
  g_clear_pointer (&e->list, g_array_unref);
  e->present = FALSE;
}

static GArray *
ensure_list (TlsExtensions *e)
{
  if (e->list == NULL)
    {
      e->list = g_array_new (FALSE, TRUE, sizeof (TlsExtension));
      g_array_set_clear_func (e->list, extension_clear);
    }
  return e->list;
}

void
tls_extensions_copy (TlsExtensions *dst, const TlsExtensions *src)
{
  tls_extensions_init (dst);
  dst->present = src->present;
  for (guint i = 0; i < tls_extensions_count (src); i++)
    {
      const TlsExtension *x = tls_extensions_get (src, i);
      TlsExtension c = { x->type, g_bytes_ref (x->data) };
      g_array_append_val (ensure_list (dst), c);
    }
}

guint
tls_extensions_count (const TlsExtensions *e)
{
  return e->list ? e->list->len : 0;
}

const TlsExtension *
tls_extensions_get (const TlsExtensions *e, guint i)
{
  g_return_val_if_fail (i < tls_extensions_count (e), NULL);
  return &g_array_index (e->list, TlsExtension, i);
}

GBytes *
tls_extensions_find (const TlsExtensions *e, guint16 type)
{
  for (guint i = 0; i < tls_extensions_count (e); i++)
    if (g_array_index (e->list, TlsExtension, i).type == type)
      return g_array_index (e->list, TlsExtension, i).data;
  return NULL;
}

gboolean
tls_extensions_has (const TlsExtensions *e, guint16 type)
{
  return tls_extensions_find (e, type) != NULL;
}

void
tls_extensions_add (TlsExtensions *e, guint16 type, GBytes *data)
{
  TlsExtension x;

  g_return_if_fail (!tls_extensions_has (e, type));
  x.type = type;
  x.data = data ? g_bytes_ref (data) : g_bytes_new (NULL, 0);
  g_array_append_val (ensure_list (e), x);
  e->present = TRUE;
}

gboolean
tls_extensions_remove (TlsExtensions *e, guint16 type)
{
  for (guint i = 0; i < tls_extensions_count (e); i++)
    if (g_array_index (e->list, TlsExtension, i).type == type)
      {
        g_array_remove_index (e->list, i);
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Decoders of extension_data                                          */

/* Each reads the whole of R (an extension_data body); a malformed body
 * fails R with decode_error (RFC 5246, 7.2.2: "A message could not be
 * decoded because some field was out of the specified range or the length
 * of the message was incorrect").  OUT, when not NULL, gets the value. */

static void
expect_empty (TlsReader *r)
{
  if (tls_reader_remaining (r) != 0)
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
}

/* RFC 6066, 3:
 *
 *     struct {
 *         NameType name_type;
 *         select (name_type) {
 *             case host_name: HostName;
 *         } name;
 *     } ServerName;
 *
 *     enum { host_name(0), (255) } NameType;
 *
 *     opaque HostName<1..2^16-1>;
 *
 *     struct {
 *         ServerName server_name_list<1..2^16-1>
 *     } ServerNameList;
 */
static void
decode_server_name (TlsReader *r, TlsExtensionsContext ctx, char **host)
{
  TlsReader list;
  gboolean seen_host = FALSE;

  if (ctx != TLS_EXTENSIONS_CLIENT_HELLO)
    {
      /* RFC 6066, 3: "the "extension_data" field of this extension SHALL
       * be empty" in the server's reply. */
      expect_empty (r);
      return;
    }

  if (!tls_read_vector (r, 2, 1, 0xffff, "server_name_list", &list))
    return;
  tls_reader_describe (r, _("The names of the server the client wants to reach; lets one "
                            "address serve several sites, each with its own certificate."));
  while (tls_reader_remaining (&list) > 0)
    {
      TlsField *g = tls_read_group_begin (&list, "server_name");
      g_autoptr (GBytes) name = NULL;
      guint8 type = 0;

      if (tls_read_u8 (&list, "name_type", &type))
        {
          tls_reader_note (&list, "%s (%u)", type == 0 ? "host_name" : "unknown", type);
          tls_reader_describe (&list, _("What kind of name follows; host_name (0) is the only one defined."));
        }
      /* Unknown name types cannot be skipped by the RFC's syntax; every
       * implementation reads them with HostName's layout, as we do. */
      if (tls_handshake_read_opaque (&list, 2, 1, 0xffff, type == 0 ? "host_name" : "name", &name)
          && type == 0)
        {
          gsize n;
          const guint8 *p = g_bytes_get_data (name, &n);

          /* RFC 6066, 3: "The ServerNameList MUST NOT contain more than
           * one name of the same name_type." */
          if (seen_host)
            tls_reader_fail (&list, TLS_ALERT_ILLEGAL_PARAMETER);
          seen_host = TRUE;
          /* "HostName contains the fully qualified DNS hostname of the
           * server ... represented as a byte string using ASCII
           * encoding": a NUL or a byte outside printable ASCII is not one
           * (and a NUL would cut the name short in C). */
          for (gsize i = 0; i < n; i++)
            if (p[i] <= 0x20 || p[i] >= 0x7f)
              tls_reader_fail (&list, TLS_ALERT_ILLEGAL_PARAMETER);
          if (tls_reader_ok (&list))
            {
              tls_reader_note (&list, "%.*s", (int) n, (const char *) p);
              tls_reader_describe (&list, _("The DNS name of the server, in ASCII, without a trailing dot."));
              if (host != NULL && *host == NULL)
                *host = g_strndup ((const char *) p, n);
            }
        }
      tls_read_group_end (&list, g);
      if (tls_reader_ok (&list) && g != NULL && g->children && g->children->len == 2)
        {
          TlsField *value = tls_field_child (g, 1);
          tls_field_set_value (g, "%s", value->value ? value->value : "");
        }
    }
  tls_read_vector_end (r, &list);
}

/* RFC 8422, 5.1.1 (RFC 7919 adds the ffdhe groups):
 *
 *     enum { ..., (0xFFFF) } NamedGroup;
 *
 *     struct {
 *         NamedGroup named_group_list<2..2^16-1>
 *     } NamedGroupList;
 */
static void
decode_supported_groups (TlsReader *r, TlsExtensionsContext ctx, GArray **out)
{
  TlsReader list;

  if (!tls_read_vector (r, 2, 2, 0xffff, "named_group_list", &list))
    return;
  tls_reader_describe (r, _("The groups (elliptic curves and finite-field groups) the client can do "
                            "(EC)DHE key exchange with, most preferred first."));
  while (tls_reader_remaining (&list) > 0)
    {
      guint16 g;

      /* An odd length leaves one byte: that read fails with decode_error. */
      if (!tls_read_u16 (&list, "named_group", &g))
        break;
      tls_reader_note (&list, "%s (%u)", tls_extensions_group_name (g), g);
      if (out != NULL)
        g_array_append_val (*out, g);
    }
  tls_read_vector_end (r, &list);
}

/* RFC 8422, 5.1.2:
 *
 *     enum { uncompressed (0), deprecated (1..2), reserved (248..255)
 *     } ECPointFormat;
 *     struct {
 *         ECPointFormat ec_point_format_list<1..2^8-1>
 *     } ECPointFormatList;
 */
static void
decode_ec_point_formats (TlsReader *r, TlsExtensionsContext ctx, GByteArray *out)
{
  TlsReader list;

  if (!tls_read_vector (r, 1, 1, 0xff, "ec_point_format_list", &list))
    return;
  tls_reader_describe (r, _("How elliptic-curve points may be encoded; uncompressed is the one "
                            "everybody must support."));
  while (tls_reader_remaining (&list) > 0)
    {
      guint8 f;

      if (!tls_read_u8 (&list, "ec_point_format", &f))
        break;
      tls_reader_note (&list, "%s (%u)", tls_extensions_point_format_name (f), f);
      if (out != NULL)
        g_byte_array_append (out, &f, 1);
    }
  tls_read_vector_end (r, &list);
}

/* RFC 5246, 7.4.1.4.1:
 *
 *     struct {
 *           HashAlgorithm hash;
 *           SignatureAlgorithm signature;
 *     } SignatureAndHashAlgorithm;
 *
 *     SignatureAndHashAlgorithm
 *       supported_signature_algorithms<2..2^16-2>;
 */
static void
decode_signature_algorithms (TlsReader *r, TlsExtensionsContext ctx, GArray **out)
{
  TlsReader list;

  if (!tls_read_vector (r, 2, 2, 0xfffe, "supported_signature_algorithms", &list))
    return;
  /* RFC 5246, 7.4.1.4.1 and 7.4.2: the server's certificates, and its
   * ServerKeyExchange when it signs one, use a pair from this list. */
  tls_reader_describe (r, _("The hash and signature pairs the client can verify, most preferred "
                            "first; the signatures on the server's certificates, and on its "
                            "ServerKeyExchange if its key exchange has one, must use one of "
                            "them."));
  while (tls_reader_remaining (&list) > 0)
    {
      guint16 s;

      if (!tls_read_u16 (&list, "signature_algorithm", &s))
        break;
      if (list.last != NULL)   /* annotated: not for a bare trace */
        {
          g_autofree char *text = tls_digitally_signed_describe (s);
          tls_reader_note (&list, "%s", text);
        }
      if (out != NULL)
        g_array_append_val (*out, s);
    }
  tls_read_vector_end (r, &list);
}

/* RFC 5746, 3.2:
 *
 *     struct {
 *         opaque renegotiated_connection<0..255>;
 *     } RenegotiationInfo;
 */
static void
decode_renegotiation_info (TlsReader *r, TlsExtensionsContext ctx, GBytes **out)
{
  g_autoptr (GBytes) b = NULL;

  if (!tls_handshake_read_opaque (r, 1, 0, 255, "renegotiated_connection", &b))
    return;
  if (g_bytes_get_size (b) == 0)
    tls_reader_note (r, "%s", _("(empty: initial handshake)"));
  tls_reader_describe (r, _("The Finished data of the connection being renegotiated; empty on a "
                            "first handshake. Binds a renegotiation to the connection it "
                            "continues (RFC 5746)."));
  if (out != NULL)
    *out = g_steal_pointer (&b);
}

/* RFC 5077, 3.2: in the ClientHello the extension_data is the ticket
 * itself (opaque, no length prefix of its own; empty when the client has
 * none); in the ServerHello it is empty. */
static void
decode_session_ticket (TlsReader *r, TlsExtensionsContext ctx, GBytes **out)
{
  const guint8 *p = NULL;
  gsize n = tls_reader_remaining (r);

  if (ctx != TLS_EXTENSIONS_CLIENT_HELLO)
    {
      /* "The server uses a zero-length SessionTicket extension to indicate
       * to the client that it will send a new session ticket" */
      expect_empty (r);
      return;
    }
  if (n == 0)
    {
      if (out != NULL)
        *out = g_bytes_new (NULL, 0);
      return;
    }
  if (tls_read_bytes (r, n, "ticket", &p))
    {
      tls_reader_describe (r, _("A ticket the server issued earlier: the session's state, encrypted "
                                "with a key only the server knows (RFC 5077)."));
      if (out != NULL)
        *out = g_bytes_new (p, n);
    }
}

/* RFC 7301, 3.1:
 *
 *     opaque ProtocolName<1..2^8-1>;
 *
 *     struct {
 *         ProtocolName protocol_name_list<2..2^16-1>
 *     } ProtocolNameList;
 *
 * In the ServerHello "the "ProtocolNameList" MUST contain exactly one
 * "ProtocolName"." */
static void
decode_alpn (TlsReader *r, TlsExtensionsContext ctx, GPtrArray **out)
{
  TlsReader list;
  guint count = 0;

  if (!tls_read_vector (r, 2, 2, 0xffff, "protocol_name_list", &list))
    return;
  tls_reader_describe (r, ctx == TLS_EXTENSIONS_SERVER_HELLO
                       ? _("The application protocol the server selected from the client's list.")
                       : _("The application protocols the client can speak over this connection, "
                           "most preferred first (RFC 7301)."));
  while (tls_reader_remaining (&list) > 0)
    {
      g_autoptr (GBytes) name = NULL;

      if (!tls_handshake_read_opaque (&list, 1, 1, 0xff, "protocol_name", &name))
        break;
      count++;
      tls_reader_note (&list, "%.*s", (int) g_bytes_get_size (name),
                       (const char *) g_bytes_get_data (name, NULL));
      if (out != NULL)
        g_ptr_array_add (*out, g_strndup (g_bytes_get_data (name, NULL), g_bytes_get_size (name)));
    }
  tls_read_vector_end (r, &list);
  if (ctx == TLS_EXTENSIONS_SERVER_HELLO && count != 1)
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
}

/* The HandshakeType of the message a list of CTX sits in: what the TLS 1.3
 * extensions' "select (Handshake.msg_type)" chooses by. */
static guint8
context_msg_type (TlsExtensionsContext ctx)
{
  switch (ctx)
    {
    case TLS_EXTENSIONS_CLIENT_HELLO: return TLS_HS_CLIENT_HELLO;
    case TLS_EXTENSIONS_SERVER_HELLO: return TLS_HS_SERVER_HELLO;
    case TLS_EXTENSIONS_ENCRYPTED_EXTENSIONS: return TLS_HS_ENCRYPTED_EXTENSIONS;
    case TLS_EXTENSIONS_CERTIFICATE_REQUEST: return TLS_HS_CERTIFICATE_REQUEST;
    case TLS_EXTENSIONS_CERTIFICATE: return TLS_HS_CERTIFICATE;
    case TLS_EXTENSIONS_NEW_SESSION_TICKET: return TLS_HS_NEW_SESSION_TICKET;
    default: return TLS_HS_CLIENT_HELLO;
    }
}

/* Checks and annotates the extension_data of TYPE in R. */
static void
decode_extension (TlsReader *r, guint16 type, TlsExtensionsContext ctx)
{
  const guint8 *p;
  gsize n;

  switch (type)
    {
    case TLS_EXT_SERVER_NAME:
      decode_server_name (r, ctx, NULL);
      break;
    case TLS_EXT_SUPPORTED_GROUPS:
      decode_supported_groups (r, ctx, NULL);
      break;
    case TLS_EXT_EC_POINT_FORMATS:
      decode_ec_point_formats (r, ctx, NULL);
      break;
    case TLS_EXT_SIGNATURE_ALGORITHMS:
      decode_signature_algorithms (r, ctx, NULL);
      break;
    case TLS_EXT_RENEGOTIATION_INFO:
      decode_renegotiation_info (r, ctx, NULL);
      break;
    case TLS_EXT_SESSION_TICKET:
      decode_session_ticket (r, ctx, NULL);
      break;
    case TLS_EXT_ALPN:
      decode_alpn (r, ctx, NULL);
      break;
    case TLS_EXT_EXTENDED_MASTER_SECRET:
      /* RFC 7627, 5.1: "The "extension_data" field of this extension is empty." */
    case TLS_EXT_ENCRYPT_THEN_MAC:
      /* RFC 7366, 2: "The "extension_data" field of this extension SHALL be empty." */
      expect_empty (r);
      break;
    default:
      if (tls13_extension_decode (r, type, context_msg_type (ctx)))
        break;
      /* RFC 5246, 7.4.1.4: unknown extensions are ignored; shown, skipped. */
      n = tls_reader_remaining (r);
      if (n > 0 && tls_read_bytes (r, n, "data", &p))
        tls_reader_describe (r, _("Data of an extension Handshake Lab does not decode; "
                                  "it is skipped, as TLS requires of unknown extensions."));
      break;
    }
}

/* What an extension means where it is: in a ServerHello most of them only
 * accept what the client asked for (RFC 6066, 3: the server's server_name
 * is empty; RFC 7627, 5.2; RFC 7366, 2; RFC 5077, 3.2). */
static const char *
ext_desc (guint16 type, TlsExtensionsContext ctx)
{
  if (ctx == TLS_EXTENSIONS_SERVER_HELLO)
    switch (type)
      {
      case TLS_EXT_SERVER_NAME:
        return _("Server Name Indication, empty in the ServerHello: the server used the host "
                 "name the client sent.");
      case TLS_EXT_EXTENDED_MASTER_SECRET:
        return _("The server agrees: the master secret is derived from a hash of the whole "
                 "handshake (RFC 7627).");
      case TLS_EXT_ENCRYPT_THEN_MAC:
        return _("The server agrees: CBC records are MACed over the ciphertext (RFC 7366).");
      case TLS_EXT_SESSION_TICKET:
        return _("The server agrees to session tickets: it will send a NewSessionTicket "
                 "(RFC 5077).");
      default:
        break;
      }
  switch (type)
    {
    case TLS_EXT_SERVER_NAME:
      return _("Server Name Indication: which host name the client is connecting to.");
    case TLS_EXT_SUPPORTED_GROUPS:
      return _("The groups the client supports for (EC)DHE key exchange.");
    case TLS_EXT_EC_POINT_FORMATS:
      return _("The encodings of elliptic-curve points the sender can parse.");
    case TLS_EXT_SIGNATURE_ALGORITHMS:
      return _("The signature and hash algorithms the client accepts in signatures.");
    case TLS_EXT_RENEGOTIATION_INFO:
      return _("Secure renegotiation: ties a renegotiation to the connection it renews.");
    case TLS_EXT_EXTENDED_MASTER_SECRET:
      return _("Asks for the master secret to be derived from a hash of the whole handshake "
               "(RFC 7627), so two connections can never share one.");
    case TLS_EXT_ENCRYPT_THEN_MAC:
      return _("Asks for the MAC to be computed over the ciphertext instead of the plaintext "
               "(RFC 7366).");
    case TLS_EXT_SESSION_TICKET:
      return _("Session tickets: the server keeps no state, the client carries it (RFC 5077).");
    case TLS_EXT_ALPN:
      return _("Application-Layer Protocol Negotiation: which protocol (http/1.1, h2...) runs "
               "over the connection (RFC 7301).");
    default:
      if (tls13_extension_desc (type) != NULL)
        return tls13_extension_desc (type);
      return _("An extension Handshake Lab does not decode; it is skipped.");
    }
}

/* ------------------------------------------------------------------ */
/* The block                                                           */

/* A client "MUST abort the handshake with an unsupported_extension fatal
 * alert" on an extension it did not request (RFC 5246, 7.4.1.4; RFC 8446,
 * 4.2); a server ignores those it does not know: a peer does not skip
 * them all alike. */
static const char *
extensions_desc (TlsExtensionsContext ctx)
{
  switch (ctx)
    {
    case TLS_EXTENSIONS_CLIENT_HELLO:
      return _("Optional additions to the hello, each a type and its data; a server ignores "
               "those it does not know.");
    case TLS_EXTENSIONS_SERVER_HELLO:
      return _("The server's answers to extensions of the ClientHello, each a type and its "
               "data; a client aborts with unsupported_extension on one it did not send.");
    case TLS_EXTENSIONS_ENCRYPTED_EXTENSIONS:
      return _("The server's answers to extensions of the ClientHello that are not needed "
               "to set up the keys, sent encrypted; each a type and its data.");
    default:
      return _("The extensions of this message, each a type and its data.");
    }
}
#define EXT_TYPE_DESC   N_("Which extension this is (ExtensionType, an IANA number).")

int
tls_extensions_parse (TlsReader *r, TlsExtensions *e, TlsExtensionsContext ctx)
{
  TlsReader block;
  g_autofree guint8 *seen = NULL;

  tls_extensions_init (e);
  if (r->error != 0)
    return r->error;
  if (tls_reader_remaining (r) == 0)
    return 0;
  if (!tls_read_vector (r, 2, 0, 0xffff, "extensions", &block))
    return r->error;
  tls_reader_describe (r, extensions_desc (ctx));
  e->present = TRUE;
  seen = g_malloc0 (65536 / 8);

  while (tls_reader_remaining (&block) > 0)
    {
      TlsField *g = tls_read_group_begin (&block, "extension");
      TlsReader data;
      guint16 type = 0;

      if (tls_read_u16 (&block, "extension_type", &type))
        {
          tls_reader_note (&block, "%s (%u)", ext_name (type), type);
          tls_reader_describe (&block, _(EXT_TYPE_DESC));
          if (g != NULL)
            {
              g_free (g->name);
              g->name = g_strdup_printf ("extension: %s", ext_name (type));
            }
        }
      if (tls_read_vector (&block, 2, 0, 0xffff, "extension_data", &data))
        {
          TlsField *container = block.last;

          decode_extension (&data, type, ctx);
          tls_read_vector_end (&block, &data);
          block.last = container;
          tls_reader_describe (&block, _("The extension's data; its layout depends on the type."));
        }
      tls_read_group_end (&block, g);
      tls_reader_describe (&block, ext_desc (type, ctx));
      if (!tls_reader_ok (&block))
        break;

      /* RFC 5246, 7.4.1.4: "There MUST NOT be more than one extension of
       * the same type."  The list parses; what it says is contradictory,
       * so: illegal_parameter ("A field in the handshake was out of range
       * or inconsistent with other fields", 7.2.2), as OpenSSL does. */
      if (seen[type / 8] & (1u << (type % 8)))
        {
          tls_reader_fail (&block, TLS_ALERT_ILLEGAL_PARAMETER);
          break;
        }
      seen[type / 8] |= 1u << (type % 8);

      {
        TlsExtension x = { type, g_bytes_new (data.data, data.len) };
        g_array_append_val (ensure_list (e), x);
      }
    }
  tls_read_vector_end (r, &block);
  if (r->error != 0)
    {
      tls_extensions_clear (e);
      return r->error;
    }
  return 0;
}

void
tls_extensions_write (TlsWriter *w, const TlsExtensions *e, TlsExtensionsContext ctx)
{
  TlsWriterMark block;

  if (!e->present)
    return;
  tls_write_vector_begin (w, 2, "extensions", &block);
  for (guint i = 0; i < tls_extensions_count (e); i++)
    {
      const TlsExtension *x = tls_extensions_get (e, i);
      g_autofree char *gname = g_strdup_printf ("extension: %s", ext_name (x->type));
      TlsWriterMark group, data;
      gsize n;
      const guint8 *p = g_bytes_get_data (x->data, &n);

      tls_write_group_begin (w, gname, &group);
      tls_write_u16 (w, "extension_type", x->type);
      tls_writer_note (w, "%s (%u)", ext_name (x->type), x->type);
      tls_writer_describe (w, _(EXT_TYPE_DESC));
      tls_write_vector_begin (w, 2, "extension_data", &data);
      if (n > 0)
        {
          gsize offset = tls_writer_len (w);
          TlsReader rd;

          tls_write_bytes (w, NULL, p, n);
          /* Annotate the bytes just written with the decoder. */
          tls_reader_init (&rd, p, n, NULL);
          rd.node = data.field;
          rd.base = offset;
          decode_extension (&rd, x->type, ctx);
        }
      tls_write_vector_end (w, &data);
      tls_writer_describe (w, _("The extension's data; its layout depends on the type."));
      tls_write_group_end (w, &group);
      tls_writer_describe (w, ext_desc (x->type, ctx));
    }
  tls_write_vector_end (w, &block);
  tls_writer_describe (w, extensions_desc (ctx));
}

int
tls_extensions_check_server (const TlsExtensions *server, const TlsExtensions *client,
                             guint16 *bad_type)
{
  for (guint i = 0; i < tls_extensions_count (server); i++)
    {
      guint16 t = tls_extensions_get (server, i)->type;

      if (t == TLS_EXT_RENEGOTIATION_INFO)
        continue;
      if (!tls_extensions_has (client, t) || t == TLS_EXT_SIGNATURE_ALGORITHMS)
        {
          if (bad_type != NULL)
            *bad_type = t;
          return TLS_ALERT_UNSUPPORTED_EXTENSION;
        }
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Builders                                                            */

static void
add_written (TlsExtensions *e, guint16 type, TlsWriter *w)
{
  g_autoptr (GBytes) b = tls_writer_steal (w);
  tls_extensions_add (e, type, b);
}

void
tls_extensions_add_server_name (TlsExtensions *e, const char *host)
{
  TlsWriter w;
  TlsWriterMark list, entry;
  gsize n;

  tls_writer_init (&w, NULL);
  if (host != NULL)
    {
      n = strlen (host);
      g_return_if_fail (n >= 1 && n <= 0xffff - 3);
      tls_write_vector_begin (&w, 2, NULL, &list);
      tls_write_u8 (&w, NULL, 0);                 /* host_name */
      tls_write_vector_begin (&w, 2, NULL, &entry);
      tls_write_bytes (&w, NULL, (const guint8 *) host, n);
      tls_write_vector_end (&w, &entry);
      tls_write_vector_end (&w, &list);
    }
  add_written (e, TLS_EXT_SERVER_NAME, &w);
}

/* An extension whose body is one vector of 16-bit values, its length in
 * LEN_BYTES bytes: supported_groups, signature_algorithms (RFC 8422 5.1.1,
 * RFC 5246 7.4.1.4.1) and TLS 1.3's supported_versions (RFC 8446 4.2.1). */
void
tls_extensions_add_u16_list (TlsExtensions *e, guint16 type, guint len_bytes,
                             const guint16 *values, guint n)
{
  TlsWriter w;
  TlsWriterMark m;

  tls_writer_init (&w, NULL);
  tls_write_vector_begin (&w, len_bytes, NULL, &m);
  for (guint i = 0; i < n; i++)
    tls_write_u16 (&w, NULL, values[i]);
  tls_write_vector_end (&w, &m);
  add_written (e, type, &w);
}

void
tls_extensions_add_supported_groups (TlsExtensions *e, const guint16 *groups, guint n)
{
  g_return_if_fail (n >= 1 && n <= 0x7fff);
  tls_extensions_add_u16_list (e, TLS_EXT_SUPPORTED_GROUPS, 2, groups, n);
}

void
tls_extensions_add_ec_point_formats (TlsExtensions *e, const guint8 *formats, guint n)
{
  TlsWriter w;

  g_return_if_fail (n >= 1 && n <= 0xff);
  tls_writer_init (&w, NULL);
  tls_write_vector (&w, 1, NULL, formats, n);
  add_written (e, TLS_EXT_EC_POINT_FORMATS, &w);
}

void
tls_extensions_add_signature_algorithms (TlsExtensions *e, const guint16 *sigalgs, guint n)
{
  g_return_if_fail (n >= 1 && n <= 0x7fff);
  tls_extensions_add_u16_list (e, TLS_EXT_SIGNATURE_ALGORITHMS, 2, sigalgs, n);
}

void
tls_extensions_add_renegotiation_info (TlsExtensions *e, const guint8 *data, gsize len)
{
  TlsWriter w;
  static const guint8 none[1];

  g_return_if_fail (len <= 255);
  tls_writer_init (&w, NULL);
  tls_write_vector (&w, 1, NULL, data ? data : none, len);
  add_written (e, TLS_EXT_RENEGOTIATION_INFO, &w);
}

void
tls_extensions_add_extended_master_secret (TlsExtensions *e)
{
  tls_extensions_add (e, TLS_EXT_EXTENDED_MASTER_SECRET, NULL);
}

void
tls_extensions_add_encrypt_then_mac (TlsExtensions *e)
{
  tls_extensions_add (e, TLS_EXT_ENCRYPT_THEN_MAC, NULL);
}

void
tls_extensions_add_session_ticket (TlsExtensions *e, GBytes *ticket)
{
  tls_extensions_add (e, TLS_EXT_SESSION_TICKET, ticket);
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */

/* Opens a reader over the data of TYPE; FALSE when absent. */
static gboolean
open_ext (const TlsExtensions *e, guint16 type, TlsReader *r)
{
  GBytes *d = tls_extensions_find (e, type);
  gsize n;
  const guint8 *p;

  if (d == NULL)
    return FALSE;
  p = g_bytes_get_data (d, &n);
  tls_reader_init (r, p, n, NULL);
  return TRUE;
}

void
tls_extensions_add_alpn (TlsExtensions *e, const char *const *protocols)
{
  TlsWriter w;
  TlsWriterMark list, entry;

  tls_writer_init (&w, NULL);
  tls_write_vector_begin (&w, 2, NULL, &list);
  for (guint i = 0; protocols[i] != NULL; i++)
    {
      gsize n = strlen (protocols[i]);

      g_return_if_fail (n >= 1 && n <= 0xff);
      tls_write_vector_begin (&w, 1, NULL, &entry);
      tls_write_bytes (&w, NULL, (const guint8 *) protocols[i], n);
      tls_write_vector_end (&w, &entry);
    }
  tls_write_vector_end (&w, &list);
  add_written (e, TLS_EXT_ALPN, &w);
}

GPtrArray *
tls_extensions_get_alpn (const TlsExtensions *e)
{
  TlsReader r;
  GPtrArray *out;

  if (!open_ext (e, TLS_EXT_ALPN, &r))
    return NULL;
  out = g_ptr_array_new_with_free_func (g_free);
  decode_alpn (&r, TLS_EXTENSIONS_CLIENT_HELLO, &out);
  if (!tls_reader_done (&r) || out->len == 0)
    g_clear_pointer (&out, g_ptr_array_unref);
  return out;
}

char *
tls_extensions_get_server_name (const TlsExtensions *e)
{
  TlsReader r;
  char *host = NULL;

  if (!open_ext (e, TLS_EXT_SERVER_NAME, &r) || tls_reader_remaining (&r) == 0)
    return NULL;
  decode_server_name (&r, TLS_EXTENSIONS_CLIENT_HELLO, &host);
  if (!tls_reader_done (&r))
    g_clear_pointer (&host, g_free);
  return host;
}

GArray *
tls_extensions_get_supported_groups (const TlsExtensions *e)
{
  TlsReader r;
  GArray *out;

  if (!open_ext (e, TLS_EXT_SUPPORTED_GROUPS, &r))
    return NULL;
  out = g_array_new (FALSE, FALSE, sizeof (guint16));
  decode_supported_groups (&r, TLS_EXTENSIONS_CLIENT_HELLO, &out);
  if (!tls_reader_done (&r))
    g_clear_pointer (&out, g_array_unref);
  return out;
}

GBytes *
tls_extensions_get_ec_point_formats (const TlsExtensions *e)
{
  TlsReader r;
  GByteArray *out;

  if (!open_ext (e, TLS_EXT_EC_POINT_FORMATS, &r))
    return NULL;
  out = g_byte_array_new ();
  decode_ec_point_formats (&r, TLS_EXTENSIONS_CLIENT_HELLO, out);
  if (!tls_reader_done (&r))
    {
      g_byte_array_unref (out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

GArray *
tls_extensions_get_signature_algorithms (const TlsExtensions *e)
{
  TlsReader r;
  GArray *out;

  if (!open_ext (e, TLS_EXT_SIGNATURE_ALGORITHMS, &r))
    return NULL;
  out = g_array_new (FALSE, FALSE, sizeof (guint16));
  decode_signature_algorithms (&r, TLS_EXTENSIONS_CLIENT_HELLO, &out);
  if (!tls_reader_done (&r))
    g_clear_pointer (&out, g_array_unref);
  return out;
}

GBytes *
tls_extensions_get_renegotiation_info (const TlsExtensions *e)
{
  TlsReader r;
  GBytes *out = NULL;

  if (!open_ext (e, TLS_EXT_RENEGOTIATION_INFO, &r))
    return NULL;
  decode_renegotiation_info (&r, TLS_EXTENSIONS_CLIENT_HELLO, &out);
  if (!tls_reader_done (&r))
    g_clear_pointer (&out, g_bytes_unref);
  return out;
}

GBytes *
tls_extensions_get_session_ticket (const TlsExtensions *e)
{
  GBytes *d = tls_extensions_find (e, TLS_EXT_SESSION_TICKET);

  return d ? g_bytes_ref (d) : NULL;
}
