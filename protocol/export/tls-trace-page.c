/* tls-trace-page.c — the page `serve --www` answers a student's browser
 * with: that browser's own handshake, explained from its trace
 * (docs/teaching.md, "The class's own browsers").
 *
 * Every value shown comes from the connection's steps: the ClientHello's
 * field tree and bytes, the server's decision steps, the messages that
 * followed, the first alert.  What the trace does not hold is said to be
 * unknown; nothing is filled in.  Plain HTML and CSS, no script, readable
 * on a phone; the field table and hex dump are the handout's own
 * (tls-trace-html-private.h). */
#include "tls-trace-page.h"
#include "tls-trace-html-private.h"
#include "tls-suites.h"
#include "tls-types.h"
#include "tls-alert.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#define MAX_LIST_VALUES 64   /* values of one extension shown, at most */
#define MAX_USER_AGENT  300  /* characters of a User-Agent shown        */

static const char page_css[] =
  "body{max-width:52em;margin:0 auto;padding:.5em 1em}\n"
  "table{width:100%;table-layout:auto}\n"
  "td{overflow-wrap:anywhere}\n"
  "th{overflow-wrap:normal;word-break:normal}\n"
  ".wide{overflow-x:auto}\n"
  ".yes{color:#1d7a2e;font-weight:bold}.no{color:#b3141b}\n"
  ".grease{color:#7a5c00;font-style:italic}\n"
  "section{margin:1.2em 0}\n"
  "@media (max-width:40em){body{padding:.3em .5em;font-size:.95em}"
  "th,td{padding:.1em .25em}}\n";

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static void
rfc_note (GString *out, const char *rfc)
{
  g_string_append (out, " <span class=\"rfc\">(");
  tls_html_esc (out, rfc);
  g_string_append (out, ")</span>");
}

static void
heading (GString *out, const char *id, const char *text)
{
  g_string_append_printf (out, "<h2 id=\"%s\">", id);
  tls_html_esc (out, text);
  g_string_append (out, "</h2>\n");
}

/* RFC 8701, 2: the values reserved for GREASE in cipher suites,
 * extensions, named groups, signature algorithms and versions are
 * 0x0A0A, 0x1A1A, ... 0xFAFA: both bytes equal, each ending in A. */
static gboolean
is_grease (guint16 v)
{
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* The big-endian 16-bit value a 2-byte field holds, or -1. */
static int
field_u16 (GBytes *bytes, const TlsField *f)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (bytes, &len);

  if (f == NULL || f->length != 2 || f->offset > len || len - f->offset < 2)
    return -1;
  return (d[f->offset] << 8) | d[f->offset + 1];
}

/* An extension's field: "extension" or "extension: server_name". */
static gboolean
is_extension_field (const TlsField *f)
{
  return g_strcmp0 (f->name, "extension") == 0 || g_str_has_prefix (f->name, "extension: ");
}

static const TlsField *
child_named (const TlsField *f, const char *name)
{
  for (guint i = 0; f != NULL && i < tls_field_n_children (f); i++)
    if (g_strcmp0 (tls_field_child (f, i)->name, name) == 0)
      return tls_field_child (f, i);
  return NULL;
}

/* The steps of CONNECTION, in order. */
static GPtrArray *
connection_steps (const TlsTrace *trace, guint connection)
{
  GPtrArray *steps = g_ptr_array_new ();

  for (guint i = 0; i < tls_trace_len (trace); i++)
    if (tls_trace_get (trace, i)->connection == connection)
      g_ptr_array_add (steps, tls_trace_get (trace, i));
  return steps;
}

static const TlsStep *
find_message (GPtrArray *steps, TlsActor actor, guint8 handshake_type)
{
  for (guint i = 0; i < steps->len; i++)
    {
      const TlsStep *s = g_ptr_array_index (steps, i);
      if (s->kind == TLS_STEP_MESSAGE && s->actor == actor && s->content_type == TLS_CONTENT_HANDSHAKE
          && s->handshake_type == handshake_type && s->fields != NULL && s->bytes != NULL)
        return s;
    }
  return NULL;
}

static const TlsStep *
find_decision (GPtrArray *steps, const char *title)
{
  for (guint i = 0; i < steps->len; i++)
    {
      const TlsStep *s = g_ptr_array_index (steps, i);
      if (s->kind == TLS_STEP_DECISION && g_strcmp0 (s->title, title) == 0)
        return s;
    }
  return NULL;
}

static const char *
meta (const TlsTrace *trace, guint connection, const char *key)
{
  g_autofree char *full = g_strdup_printf ("conn%u.%s", connection, key);
  return tls_trace_get_meta (trace, full);
}

/* ------------------------------------------------------------------ */
/* What a cipher suite means                                           */

/* Key exchange and authentication of KX, in one phrase. */
static const char *
kx_phrase (TlsKeyExchange kx)
{
  switch (kx)
    {
    case TLS_KX_RSA:
      return _("key exchange RSA: the client encrypts the premaster secret with the server's RSA "
               "key, authenticated by that key's certificate; no forward secrecy");
    case TLS_KX_DHE_RSA:
      return _("key exchange ephemeral Diffie-Hellman (DHE), signed with the server's RSA key");
    case TLS_KX_DHE_DSS:
      return _("key exchange ephemeral Diffie-Hellman (DHE), signed with the server's DSA key");
    case TLS_KX_ECDHE_RSA:
      return _("key exchange ephemeral elliptic-curve Diffie-Hellman (ECDHE), signed with the "
               "server's RSA key");
    case TLS_KX_ECDHE_ECDSA:
      return _("key exchange ephemeral elliptic-curve Diffie-Hellman (ECDHE), signed with the "
               "server's ECDSA key");
    case TLS_KX_DH_RSA:
    case TLS_KX_DH_DSS:
      return _("key exchange static Diffie-Hellman: the server's DH key is in its certificate");
    case TLS_KX_TLS13:
      return _("a TLS 1.3 suite: it names only the record protection and the hash; the key "
               "exchange and the signature are negotiated apart");
    default:
      return _("key exchange unknown");
    }
}

/* "ECDHE ..., AES-128-GCM encrypts and authenticates (AEAD)". */
static char *
suite_meaning (guint16 id)
{
  const TlsSuite *s = tls_suite_by_id (id);
  const TlsCipherInfo *c;
  const TlsMacInfo *m;

  if (is_grease (id))
    return g_strdup (_("GREASE: a reserved value that means nothing; the client sends it to check "
                       "that servers ignore values they do not know"));
  if (id == TLS_EMPTY_RENEGOTIATION_INFO_SCSV)
    return g_strdup (_("not a suite: a signal that the client supports secure renegotiation "
                       "(as an empty renegotiation_info extension would)"));
  if (id == TLS_FALLBACK_SCSV)
    return g_strdup (_("not a suite: a signal that this is a retry at a lower version than the "
                       "client's highest"));
  if (s == NULL)
    return g_strdup (_("unknown: not in this program's suite table"));
  c = tls_cipher_info (s->cipher);
  m = tls_mac_info (s->mac);
  if (c->type == TLS_CIPHER_TYPE_AEAD)
    return g_strdup_printf (_("%s; %s encrypts and authenticates each record (AEAD, no separate MAC)"),
                            kx_phrase (s->kx), c->name);
  return g_strdup_printf (_("%s; %s encrypts each record, %s authenticates it"),
                          kx_phrase (s->kx), c->name, m->name);
}

/* The RFC section a suite's line refers to. */
static const char *
suite_rfc (guint16 id)
{
  const TlsSuite *s = tls_suite_by_id (id);

  if (is_grease (id))
    return "RFC 8701, 3";
  if (id == TLS_EMPTY_RENEGOTIATION_INFO_SCSV)
    return "RFC 5746, 3.3";
  if (id == TLS_FALLBACK_SCSV)
    return "RFC 7507, 4";
  if (s == NULL)
    return NULL;
  if (s->kx == TLS_KX_TLS13)
    return "RFC 8446, B.4";
  if (tls_kx_is_ecdh (s->kx))
    return "RFC 8422, 2";
  return "RFC 5246, A.5";
}

/* ------------------------------------------------------------------ */
/* What an extension is for                                            */

typedef struct
{
  guint16     type;
  const char *meaning;
  const char *rfc;
} ExtensionInfo;

static const ExtensionInfo *
extension_info (guint16 type)
{
  static const ExtensionInfo table[] = {
    { 0, N_("the name of the site the browser wants (Server Name Indication), sent in the clear "
            "before any key exists; one address can serve several sites"), "RFC 6066, 3" },
    { 5, N_("asks the server to send its certificate's revocation status (OCSP) in the handshake"),
      "RFC 6066, 8" },
    { 10, N_("the groups (elliptic curves, finite-field groups) the browser can do (EC)DHE with, "
             "most preferred first"), "RFC 8422, 5.1.1" },
    { 11, N_("the encodings of elliptic-curve points the browser can read"), "RFC 8422, 5.1.2" },
    { 13, N_("the signature and hash algorithms the browser can verify, most preferred first"),
      "RFC 5246, 7.4.1.4.1" },
    { 16, N_("the application protocols the browser can speak inside this connection; the server "
             "picks one (Application-Layer Protocol Negotiation)"), "RFC 7301, 3.1" },
    { 18, N_("asks for Certificate Transparency timestamps"), "RFC 6962, 3.3.1" },
    { 21, N_("padding: makes the ClientHello longer, to get round servers that fail on some "
             "lengths"), "RFC 7685, 3" },
    { 22, N_("asks for the MAC to be computed over the ciphertext (encrypt-then-MAC)"),
      "RFC 7366, 2" },
    { 23, N_("asks for the extended master secret: the master secret is derived from a hash of "
             "the whole handshake"), "RFC 7627, 5.1" },
    { 27, N_("the certificate compression algorithms the browser accepts"), "RFC 8879, 3" },
    { 35, N_("session tickets: empty, the browser can take a ticket; with data, a ticket it "
             "offers back to resume a session"), "RFC 5077, 3.2" },
    { 41, N_("a pre-shared key to resume a TLS 1.3 session"), "RFC 8446, 4.2.11" },
    { 42, N_("TLS 1.3 early data"), "RFC 8446, 4.2.10" },
    { 43, N_("the versions the browser supports; TLS 1.3 is negotiated here, not in "
             "client_version"), "RFC 8446, 4.2.1" },
    { 44, N_("a TLS 1.3 cookie"), "RFC 8446, 4.2.2" },
    { 45, N_("how a TLS 1.3 pre-shared key may be used"), "RFC 8446, 4.2.9" },
    { 51, N_("the browser's (EC)DHE public keys for TLS 1.3, sent in advance"), "RFC 8446, 4.2.8" },
    { 0xff01, N_("secure renegotiation: ties a renegotiation to the connection it happens in; "
                 "empty in a first handshake"), "RFC 5746, 3.2" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].type == type)
      return &table[i];
  return NULL;
}

/* The values inside a field: its leaves (length prefixes left out), each
 * with "GREASE" when it is a reserved 2-byte value. */
static void
collect_values (GString *out, GBytes *bytes, const TlsField *f, guint *n)
{
  guint children = tls_field_n_children (f);

  if (g_strcmp0 (f->name, "length") == 0)
    return;
  if (children == 0)
    {
      int v = field_u16 (bytes, f);

      if (++*n > MAX_LIST_VALUES)
        {
          if (*n == MAX_LIST_VALUES + 1)
            g_string_append (out, ", …");
          return;
        }
      if (*n > 1)
        g_string_append (out, ", ");
      if (v >= 0 && is_grease ((guint16) v))
        {
          g_string_append (out, "<span class=\"grease\">");
          tls_html_escf (out, _("GREASE 0x%04X (RFC 8701)"), (guint) v);
          g_string_append (out, "</span>");
        }
      else if (f->value != NULL)
        tls_html_esc (out, f->value);
      else
        {
          tls_html_escf (out, "%s (", f->name);
          tls_html_escf (out, g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", (guint) f->length),
                (guint) f->length);
          g_string_append (out, ")");
        }
      return;
    }
  /* a list entry that names itself ("KeyShareEntry: x25519",
   * "server_name: localhost"): its value, not its parts */
  if (f->value != NULL && !g_str_has_suffix (f->value, "bytes") && !g_str_has_suffix (f->value, "byte"))
    {
      /* an entry whose first part is a GREASE value (a KeyShareEntry
       * of a GREASE group, RFC 8701, 2) is named as such */
      const TlsField *first = tls_field_child (f, 0);
      int v = field_u16 (bytes, first);

      if (++*n <= MAX_LIST_VALUES)
        {
          if (*n > 1)
            g_string_append (out, ", ");
          if (v >= 0 && is_grease ((guint16) v))
            {
              g_string_append (out, "<span class=\"grease\">");
              tls_html_escf (out, _("GREASE 0x%04X (RFC 8701)"), (guint) v);
              g_string_append (out, "</span>");
            }
          else
            tls_html_esc (out, f->value);
        }
      return;
    }
  for (guint i = 0; i < children; i++)
    collect_values (out, bytes, tls_field_child (f, i), n);
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */

static void
summary (GString *out, const TlsTrace *trace, guint connection, const char *user_agent)
{
  const char *version = meta (trace, connection, "version");
  const char *suite = meta (trace, connection, "suite");
  const char *resumed = meta (trace, connection, "resumed");
  const char *result = meta (trace, connection, "result");
  const char *alpn = meta (trace, connection, "alpn");
  const char *ems = meta (trace, connection, "ems");
  const char *unknown = _("unknown");

  g_string_append (out, "<table class=\"kv\">\n");
#define ROW(name, value) \
  G_STMT_START { g_string_append (out, "<tr><th>"); tls_html_esc (out, name); \
    g_string_append (out, "</th><td>"); tls_html_esc (out, value); \
    g_string_append (out, "</td></tr>\n"); } G_STMT_END
  ROW (_("Your browser says it is"), user_agent ? user_agent : unknown);
  ROW (_("Version"), version ? version : unknown);
  ROW (_("Cipher suite"), suite ? suite : unknown);
  ROW (_("Session"), suite == NULL && g_strcmp0 (result, "completed") != 0
                     ? _("none: the handshake did not complete")
                     : g_strcmp0 (resumed, "yes") == 0 ? _("resumed (abbreviated handshake)")
                     : g_strcmp0 (resumed, "yes (ticket)") == 0 ? _("resumed by ticket (abbreviated handshake)")
                     : g_strcmp0 (resumed, "no") == 0 ? _("new (full handshake)") : unknown);
  ROW (_("Extended master secret"), g_strcmp0 (ems, "yes") == 0 ? _("yes")
                                    : g_strcmp0 (ems, "no") == 0 ? _("no") : unknown);
  ROW (_("Application protocol (ALPN)"), alpn ? alpn : _("none agreed"));
  ROW (_("Result"), g_strcmp0 (result, "completed") == 0 ? _("completed") : result ? result : unknown);
#undef ROW
  g_string_append (out, "</table>\n");
}

static void
hello_fields (GString *out, const TlsStep *hello)
{
  const TlsField *root = hello->fields;
  const TlsField *version = child_named (root, "client_version");
  const TlsField *random = child_named (root, "random");
  const TlsField *sid = child_named (root, "session_id");
  const TlsField *sid_data = child_named (sid, "data");
  const TlsField *comp = child_named (root, "compression_methods");
  gsize len;
  const guint8 *d = g_bytes_get_data (hello->bytes, &len);
  guint n = 0;

  g_string_append (out, "<table class=\"kv\">\n<tr><th>client_<wbr>version</th><td>");
  tls_html_esc (out, version && version->value ? version->value : _("unknown"));
  g_string_append (out, "<br>");
  tls_html_esc (out, _("the highest version the browser speaks in the TLS 1.2 way; a browser that "
                       "speaks TLS 1.3 puts TLS 1.2 here and lists its versions in "
                       "supported_versions (below)"));
  rfc_note (out, "RFC 5246, 7.4.1.2; RFC 8446, 4.2.1");
  g_string_append (out, "</td></tr>\n<tr><th>random</th><td><code class=\"hexval\">");
  if (random != NULL && random->offset <= len && random->length <= len - random->offset)
    {
      g_autofree char *hex = tls_hex (d + random->offset, random->length);
      g_string_append (out, hex);
    }
  else
    tls_html_esc (out, _("unknown"));
  g_string_append (out, "</code><br>");
  tls_html_esc (out, _("32 bytes the browser chose for this handshake; with the server's they go into "
                       "every key, so keys are new each time"));
  rfc_note (out, "RFC 5246, 7.4.1.2");
  g_string_append (out, "</td></tr>\n<tr><th>session_<wbr>id</th><td>");
  if (sid_data != NULL && sid_data->length > 0 && sid_data->offset <= len
      && sid_data->length <= len - sid_data->offset)
    {
      g_autofree char *hex = tls_hex (d + sid_data->offset, sid_data->length);
      g_string_append (out, "<code class=\"hexval\">");
      g_string_append (out, hex);
      g_string_append (out, "</code><br>");
      tls_html_esc (out, _("a session ID: the session the browser asks to resume (TLS 1.3 browsers "
                           "send a random one for compatibility)"));
    }
  else if (sid != NULL)
    tls_html_esc (out, _("empty: the browser asks for a new session"));
  else
    tls_html_esc (out, _("unknown"));
  rfc_note (out, "RFC 5246, 7.4.1.2");
  g_string_append (out, "</td></tr>\n<tr><th>compression_<wbr>methods</th><td>");
  if (comp != NULL)
    collect_values (out, hello->bytes, comp, &n);
  else
    tls_html_esc (out, _("unknown"));
  g_string_append (out, "<br>");
  tls_html_esc (out, _("null (0) is no compression, the only method in use today"));
  rfc_note (out, "RFC 5246, 7.4.1.2");
  g_string_append (out, "</td></tr>\n</table>\n");
}

/* The server's accepted suites, from the "Cipher suite" decision's
 * evidence; NULL when the trace has none. */
static GStrv
server_accepts (GPtrArray *steps)
{
  const TlsStep *d = find_decision (steps, "Cipher suite");
  const TlsTraceValue *v = d ? tls_step_find_value (d, "server accepts (in its order of preference)") : NULL;

  return v && v->text ? g_strsplit (v->text, ", ", -1) : NULL;
}

static void
hello_suites (GString *out, const TlsStep *hello, GPtrArray *steps, const char *chosen)
{
  const TlsField *list = child_named (hello->fields, "cipher_suites");
  g_auto (GStrv) accepts = server_accepts (steps);
  guint k = 0;

  g_string_append (out, "<div class=\"wide\"><table class=\"suites\"><tr><th>#</th><th>");
  tls_html_esc (out, _("cipher suite"));
  g_string_append (out, "</th><th>");
  tls_html_esc (out, _("what it means"));
  g_string_append (out, "</th><th>");
  tls_html_esc (out, _("this server could use it"));
  g_string_append (out, "</th></tr>\n");
  for (guint i = 0; list != NULL && i < tls_field_n_children (list); i++)
    {
      const TlsField *f = tls_field_child (list, i);
      int id = field_u16 (hello->bytes, f);
      g_autofree char *name = NULL;
      g_autofree char *meaning = NULL;
      const char *rfc;
      gboolean usable;

      if (g_strcmp0 (f->name, "cipher_suite") != 0 || id < 0)
        continue;
      name = is_grease ((guint16) id) ? g_strdup_printf ("GREASE (0x%04X)", (guint) id)
                                      : tls_suite_describe ((guint16) id);
      meaning = suite_meaning ((guint16) id);
      rfc = suite_rfc ((guint16) id);
      usable = accepts != NULL && tls_suite_by_id ((guint16) id) != NULL
               && g_strv_contains ((const char *const *) accepts, tls_suite_by_id ((guint16) id)->name);
      g_string_append_printf (out, "<tr%s><td>%u</td><td><code>", g_strcmp0 (name, chosen) == 0
                              ? " class=\"chosen\"" : "", ++k);
      tls_html_esc (out, name);
      g_string_append_printf (out, "</code> <span class=\"meta\">0x%04X</span>", (guint) id);
      if (g_strcmp0 (name, chosen) == 0)
        {
          g_string_append (out, " <b>");
          tls_html_esc (out, _("← chosen"));
          g_string_append (out, "</b>");
        }
      g_string_append (out, "</td><td>");
      tls_html_esc (out, meaning);
      if (rfc != NULL)
        rfc_note (out, rfc);
      g_string_append (out, "</td><td>");
      if (accepts == NULL)
        tls_html_esc (out, _("unknown"));
      else
        {
          g_string_append_printf (out, "<span class=\"%s\">", usable ? "yes" : "no");
          tls_html_esc (out, usable ? _("yes") : _("no"));
          g_string_append (out, "</span>");
        }
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</table></div>\n");
}

/* Whether the server's hello carries an extension of TYPE. */
static gboolean
server_answered (const TlsStep *server_hello, guint16 type)
{
  const TlsField *exts = server_hello ? child_named (server_hello->fields, "extensions") : NULL;

  for (guint i = 0; exts != NULL && i < tls_field_n_children (exts); i++)
    {
      const TlsField *e = tls_field_child (exts, i);
      if (is_extension_field (e)
          && field_u16 (server_hello->bytes, child_named (e, "extension_type")) == type)
        return TRUE;
    }
  return FALSE;
}

static void
hello_extensions (GString *out, const TlsStep *hello, const TlsStep *server_hello)
{
  const TlsField *exts = child_named (hello->fields, "extensions");

  if (exts == NULL)
    {
      g_string_append (out, "<p>");
      tls_html_esc (out, _("The browser sent no extensions."));
      g_string_append (out, "</p>\n");
      return;
    }
  g_string_append (out, "<div class=\"wide\"><table class=\"extensions\"><tr><th>");
  tls_html_esc (out, _("extension"));
  g_string_append (out, "</th><th>");
  tls_html_esc (out, _("value"));
  g_string_append (out, "</th><th>");
  tls_html_esc (out, _("what it is for"));
  g_string_append (out, "</th><th>");
  tls_html_esc (out, _("in the ServerHello"));
  g_string_append (out, "</th></tr>\n");
  for (guint i = 0; i < tls_field_n_children (exts); i++)
    {
      const TlsField *e = tls_field_child (exts, i);
      const TlsField *data = child_named (e, "extension_data");
      int type = field_u16 (hello->bytes, child_named (e, "extension_type"));
      const ExtensionInfo *info = type >= 0 ? extension_info ((guint16) type) : NULL;
      guint n = 0;

      if (!is_extension_field (e) || type < 0)
        continue;
      g_string_append (out, "<tr><td><code>");
      if (is_grease ((guint16) type))
        tls_html_escf (out, "GREASE (0x%04X)", (guint) type);
      else
        tls_html_esc (out, tls_extension_name ((guint16) type));
      g_string_append_printf (out, "</code> <span class=\"meta\">%u</span></td><td>", (guint) type);
      for (guint c = 0; data != NULL && c < tls_field_n_children (data); c++)
        collect_values (out, hello->bytes, tls_field_child (data, c), &n);
      if (n == 0)
        tls_html_esc (out, data != NULL && data->length <= 2 ? _("empty") : _("not decoded"));
      g_string_append (out, "</td><td>");
      if (is_grease ((guint16) type))
        {
          tls_html_esc (out, _("GREASE: a reserved extension that means nothing; a server must "
                               "ignore it like any extension it does not know"));
          rfc_note (out, "RFC 8701, 3");
        }
      else if (info != NULL)
        {
          tls_html_esc (out, _(info->meaning));
          rfc_note (out, info->rfc);
        }
      else
        tls_html_esc (out, _("unknown to this program: the server ignores it"));
      g_string_append (out, "</td><td>");
      if (server_hello == NULL)
        tls_html_esc (out, _("unknown"));
      else
        tls_html_esc (out, server_answered (server_hello, (guint16) type) ? _("yes") : _("no"));
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</table></div>\n");
}

static void
decisions (GString *out, GPtrArray *steps)
{
  guint n = 0;

  for (guint i = 0; i < steps->len; i++)
    {
      const TlsStep *s = g_ptr_array_index (steps, i);

      if (s->kind != TLS_STEP_DECISION || s->actor != TLS_ACTOR_SERVER)
        continue;
      if (n++ == 0)
        g_string_append (out, "<dl class=\"decisions\">\n");
      g_string_append_printf (out, "<dt id=\"step-%u\"><b>", s->index);
      tls_html_esc (out, tls_step_title_label (s));
      g_string_append (out, ":</b> ");
      tls_html_esc (out, s->choice ? s->choice : _("unknown"));
      g_string_append (out, "</dt>\n<dd>");
      if (s->reason != NULL)
        {
          tls_html_esc (out, _("Why: "));
          tls_html_esc (out, s->reason);
        }
      if (s->rfc != NULL)
        rfc_note (out, s->rfc);
      g_string_append (out, "</dd>\n");
    }
  if (n == 0)
    {
      g_string_append (out, "<p>");
      tls_html_esc (out, _("The trace holds no decision of the server."));
      g_string_append (out, "</p>\n");
    }
  else
    g_string_append (out, "</dl>\n");
}

/* Each field named NAME under F, depth first. */
static void
fields_named (const TlsField *f, const char *name, GPtrArray *found)
{
  if (f == NULL)
    return;
  if (g_strcmp0 (f->name, name) == 0)
    g_ptr_array_add (found, (gpointer) f);
  for (guint i = 0; i < tls_field_n_children (f); i++)
    fields_named (tls_field_child (f, i), name, found);
}

static void
certificate (GString *out, const TlsStep *cert)
{
  g_autoptr (GPtrArray) subjects = g_ptr_array_new ();
  g_autoptr (GPtrArray) issuers = g_ptr_array_new ();

  if (cert == NULL)
    {
      g_string_append (out, "<p>");
      tls_html_esc (out, _("No Certificate message in this connection (a resumed session sends "
                           "none, and a handshake that failed earlier never got there)."));
      g_string_append (out, "</p>\n");
      return;
    }
  fields_named (cert->fields, "subject", subjects);
  fields_named (cert->fields, "issuer", issuers);
  g_string_append (out, "<ol class=\"chain\">\n");
  for (guint i = 0; i < subjects->len; i++)
    {
      const TlsField *s = g_ptr_array_index (subjects, i);
      const TlsField *is = i < issuers->len ? g_ptr_array_index (issuers, i) : NULL;

      g_string_append (out, "<li>");
      tls_html_esc (out, _("subject"));
      g_string_append (out, " <code>");
      tls_html_esc (out, s->value ? s->value : _("unknown"));
      g_string_append (out, "</code>, ");
      tls_html_esc (out, _("issuer"));
      g_string_append (out, " <code>");
      tls_html_esc (out, is && is->value ? is->value : _("unknown"));
      g_string_append (out, "</code></li>\n");
    }
  g_string_append (out, "</ol>\n<p>");
  tls_html_esc (out, _("The server's certificate chain, leaf first: your browser checks it against "
                       "the authorities it trusts. This demo chain's root is in no browser's "
                       "store, which is why the browser warned you."));
  rfc_note (out, "RFC 5246, 7.4.2");
  g_string_append (out, "</p>\n");
}

/* The steps after the server's hello, one line each. */
static void
what_followed (GString *out, GPtrArray *steps, const TlsStep *server_hello)
{
  gboolean after = FALSE;

  g_string_append (out, "<ol class=\"followed\">\n");
  for (guint i = 0; i < steps->len; i++)
    {
      const TlsStep *s = g_ptr_array_index (steps, i);

      if (s == server_hello)
        after = TRUE;
      if (!after || s->parent >= 0 || s->kind == TLS_STEP_APPDATA)
        continue;
      g_string_append_printf (out, "<li value=\"%u\"><b>", s->index + 1);
      tls_html_esc (out, s->actor == TLS_ACTOR_CLIENT ? _("browser") : _("server"));
      g_string_append (out, ":</b> ");
      tls_html_esc (out, tls_step_title_label (s));
      if (s->explanation != NULL)
        {
          g_string_append (out, " — ");
          tls_html_esc (out, s->explanation);
        }
      if (s->rfc != NULL)
        rfc_note (out, s->rfc);
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ol>\n");
}

static const TlsStep *
first_alert (GPtrArray *steps)
{
  for (guint i = 0; i < steps->len; i++)
    {
      const TlsStep *s = g_ptr_array_index (steps, i);
      if (s->kind == TLS_STEP_ALERT && s->alert_level == TLS_ALERT_LEVEL_FATAL)
        return s;
    }
  return NULL;
}

static void
failure (GString *out, const TlsStep *alert, const TlsStep *hello)
{
  const TlsField *exts = hello ? child_named (hello->fields, "extensions") : NULL;
  gboolean tls13_only = FALSE;

  g_string_append (out, "<p>");
  tls_html_escf (out, _("Step %u: the %s sent the fatal alert %s (%u)."), alert->index + 1,
        alert->actor == TLS_ACTOR_CLIENT ? _("browser") : _("server"),
        tls_alert_name (alert->alert_description), alert->alert_description);
  if (alert->reason != NULL)
    {
      g_string_append (out, " ");
      tls_html_esc (out, _("Why: "));
      tls_html_esc (out, alert->reason);
    }
  rfc_note (out, alert->rfc ? alert->rfc : "RFC 5246, 7.2.2");
  g_string_append (out, "</p>\n");
  /* supported_versions listing TLS 1.3 and nothing this server speaks */
  for (guint i = 0; exts != NULL && i < tls_field_n_children (exts); i++)
    {
      const TlsField *e = tls_field_child (exts, i);
      g_autoptr (GPtrArray) versions = g_ptr_array_new ();
      gboolean old = FALSE;

      if (field_u16 (hello->bytes, child_named (e, "extension_type")) != 43)
        continue;
      fields_named (e, "version", versions);
      for (guint k = 0; k < versions->len; k++)
        {
          int v = field_u16 (hello->bytes, g_ptr_array_index (versions, k));
          old |= v >= TLS_VERSION_1_0 && v <= TLS_VERSION_1_2;
        }
      tls13_only = versions->len > 0 && !old;
    }
  if (tls13_only)
    {
      g_string_append (out, "<p>");
      tls_html_esc (out, _("The browser offered TLS 1.3 only (supported_versions); this server "
                           "speaks TLS 1.0 to 1.2, so no version is common and the handshake "
                           "cannot complete."));
      rfc_note (out, "RFC 8446, 4.2.1");
      g_string_append (out, "</p>\n");
    }
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

char *
tls_trace_user_agent (const TlsTrace *trace, guint connection)
{
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      gsize len;
      const char *d;
      g_autofree char *text = NULL;
      g_auto (GStrv) lines = NULL;

      if (s->connection != connection || s->kind != TLS_STEP_APPDATA || s->actor != TLS_ACTOR_CLIENT
          || s->bytes == NULL)
        continue;
      d = g_bytes_get_data (s->bytes, &len);
      text = g_strndup (d, len);
      lines = g_strsplit (text, "\n", -1);
      for (guint k = 0; lines[k] != NULL; k++)
        if (g_ascii_strncasecmp (lines[k], "User-Agent:", 11) == 0)
          {
            g_autofree char *v = g_strstrip (g_strdup (lines[k] + 11));
            if (!g_utf8_validate (v, -1, NULL) || *v == '\0')
              return NULL;
            if (g_utf8_strlen (v, -1) > MAX_USER_AGENT)
              *g_utf8_offset_to_pointer (v, MAX_USER_AGENT) = '\0';
            return g_steal_pointer (&v);
          }
      return NULL;   /* the first request only */
    }
  return NULL;
}

char *
tls_trace_to_class_page (const TlsTrace *trace, guint connection)
{
  GString *out = g_string_new (NULL);
  g_autoptr (GPtrArray) steps = NULL;
  g_autofree char *user_agent = NULL;
  const TlsStep *hello, *server_hello, *cert, *alert;
  const char *suite;

  g_return_val_if_fail (trace != NULL, NULL);

  steps = connection_steps (trace, connection);
  hello = find_message (steps, TLS_ACTOR_CLIENT, TLS_HS_CLIENT_HELLO);
  server_hello = find_message (steps, TLS_ACTOR_SERVER, TLS_HS_SERVER_HELLO);
  cert = find_message (steps, TLS_ACTOR_SERVER, TLS_HS_CERTIFICATE);
  alert = first_alert (steps);
  suite = meta (trace, connection, "suite");
  user_agent = tls_trace_user_agent (trace, connection);

  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"");
  tls_html_esc (out, C_("html lang", "en"));
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"Handshake Lab\">\n<title>");
  tls_html_esc (out, _("Handshake Lab: your TLS session"));
  g_string_append (out, "</title>\n<style>\n");
  g_string_append (out, tls_html_css ());
  g_string_append (out, page_css);
  g_string_append (out, "</style>\n</head>\n<body>\n<h1>");
  tls_html_esc (out, _("Your browser's TLS handshake"));
  g_string_append (out, "</h1>\n<p class=\"meta\">");
  tls_html_esc (out, _("Everything below is what this server recorded of your connection, step by "
                       "step; nothing is kept once the server stops unless the teacher saves it."));
  g_string_append (out, "</p>\n");
  summary (out, trace, connection, user_agent);

  if (alert != NULL)
    {
      heading (out, "failure", _("Where it failed"));
      failure (out, alert, hello);
    }

  heading (out, "client-hello", _("What your browser sent: the ClientHello"));
  if (hello == NULL)
    {
      g_string_append (out, "<p>");
      tls_html_esc (out, _("The trace holds no ClientHello from your browser."));
      g_string_append (out, "</p>\n");
    }
  else
    {
      g_string_append (out, "<p>");
      tls_html_esc (out, _("The first message of every handshake: what the browser can do, so that "
                           "the server can choose."));
      rfc_note (out, "RFC 5246, 7.4.1.2");
      g_string_append (out, "</p>\n");
      hello_fields (out, hello);
      heading (out, "suites", _("The cipher suites your browser offered"));
      g_string_append (out, "<p>");
      tls_html_esc (out, _("Most preferred first. Each names a key exchange, a cipher and a MAC; "
                           "the server picks one."));
      rfc_note (out, "RFC 5246, 7.4.1.2");
      g_string_append (out, "</p>\n");
      hello_suites (out, hello, steps, suite);
      heading (out, "extensions", _("The extensions your browser sent"));
      g_string_append (out, "<p>");
      tls_html_esc (out, _("Additions to the hello, each a type and its data; a server ignores those "
                           "it does not know."));
      rfc_note (out, "RFC 5246, 7.4.1.4");
      g_string_append (out, "</p>\n");
      hello_extensions (out, hello, server_hello);
    }

  heading (out, "decisions", _("What the server decided, and why"));
  decisions (out, steps);

  heading (out, "certificate", _("The certificate the server sent"));
  certificate (out, cert);

  heading (out, "followed", _("What followed"));
  if (server_hello == NULL)
    {
      g_string_append (out, "<p>");
      tls_html_esc (out, _("The server sent no ServerHello: the handshake ended before it."));
      g_string_append (out, "</p>\n");
    }
  else
    what_followed (out, steps, server_hello);

  if (hello != NULL)
    {
      heading (out, "bytes", _("The ClientHello, byte by byte"));
      tls_html_message_fields (out, hello->bytes, hello->fields);
    }
  g_string_append (out, "</body>\n</html>\n");
  return g_string_free (out, FALSE);
}
