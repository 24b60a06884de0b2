/* tls-x509.c — X.509 certificates (RFC 5280) through libtasn1. */
#include "tls-x509.h"
#include "tls-asn1.h"
#include "tls-pem.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _TlsCertificate
{
  gint          ref;
  GBytes       *der;
  TlsField     *fields;

  guint         version;
  char         *serial;
  char         *subject;
  char         *issuer;
  GBytes       *subject_der;
  GBytes       *issuer_der;
  GStrv         common_names;
  gint64        not_before;
  gint64        not_after;
  TlsPublicKey *key;

  GBytes       *tbs;
  char         *sig_oid;
  TlsSigAlg     sig_alg;
  GBytes       *sig;
  gboolean      sig_algs_agree;

  gboolean      has_bc, ca;
  int           path_len;
  gboolean      has_ku;
  guint         ku;
  GStrv         eku;
  gboolean      has_san;
  GStrv         dns;
  GPtrArray    *ips;
  GBytes       *ski;
  GBytes       *aki;
  char         *unknown_critical;

  GPtrArray    *alt_names;      /* TlsGeneralName*, or NULL */
  gboolean      has_nc;
  GPtrArray    *nc_permitted;   /* TlsGeneralName* */
  GPtrArray    *nc_excluded;
  char         *nc_odd;
  GHashTable   *ext_critical;   /* OID -> GINT_TO_POINTER (critical + 1) */
  char         *aia_problem;
  GBytes       *serial_der;
};

static void
general_name_free (TlsGeneralName *gn)
{
  g_free (gn->text);
  g_clear_pointer (&gn->data, g_bytes_unref);
  g_free (gn);
}

/* The decoding context: the certificate's DER and its libtasn1 tree. */
typedef struct
{
  TlsCertificate *cert;
  asn1_node       node;
  const guint8   *der;
  gsize           len;
  GError        **error;
} Ctx;

static gboolean
bad (Ctx *c, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad (Ctx *c, const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (c->error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_DER, _("certificate: %s"), msg);
  return FALSE;
}

static TlsField *
field (Ctx *c, TlsField *parent, const char *fname, const char *asn_name, const char *desc)
{
  TlsField *f = tls_asn1_add_field (parent, fname, c->node, c->der, c->len, 0, asn_name);

  tls_field_set_desc (f, desc);
  return f;
}

static const char *
oid_label (const char *oid)
{
  const char *name = tls_oid_name (oid);
  return name ? name : oid;
}

/* ------------------------------------------------------------------ */
/* Names (RFC 5280, 4.1.2.4; RFC 4514 for the one-line form)           */

static const struct
{
  const char *oid;
  const char *key;
} attr_keys[] = {
  { "2.5.4.3", "CN" }, { "2.5.4.6", "C" }, { "2.5.4.10", "O" }, { "2.5.4.11", "OU" },
  { "2.5.4.7", "L" }, { "2.5.4.8", "ST" }, { "2.5.4.9", "STREET" },
  { "0.9.2342.19200300.100.1.25", "DC" }, { "0.9.2342.19200300.100.1.1", "UID" },
  { "2.5.4.5", "serialNumber" }, { "2.5.4.4", "SN" }, { "2.5.4.42", "GN" },
  { "2.5.4.12", "title" }, { "1.2.840.113549.1.9.1", "emailAddress" },
};

static const char *
attr_key (const char *oid)
{
  for (gsize i = 0; i < G_N_ELEMENTS (attr_keys); i++)
    if (strcmp (attr_keys[i].oid, oid) == 0)
      return attr_keys[i].key;
  return oid;
}

/* The text of a DirectoryString-like value (the whole TLV), as UTF-8, or
 * NULL when it is not a string we can read. */
static char *
string_value (const guint8 *tlv, gsize len, const char **type)
{
  gsize hdr, n;
  const guint8 *p;

  if (!tls_asn1_contents (tlv, len, &hdr, &n) || hdr + n != len)
    return NULL;
  p = tlv + hdr;
  switch (tlv[0])
    {
    case 0x0c: /* UTF8String */
      *type = "UTF8String";
      break;
    case 0x13: /* PrintableString */
      *type = "PrintableString";
      break;
    case 0x16: /* IA5String */
      *type = "IA5String";
      break;
    case 0x1a: /* VisibleString */
      *type = "VisibleString";
      break;
    case 0x12: /* NumericString */
      *type = "NumericString";
      break;
    case 0x14: /* TeletexString: read as Latin-1, as most software does */
      *type = "TeletexString";
      return g_convert ((const char *) p, n, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
    case 0x1e: /* BMPString: UCS-2, big endian */
      *type = "BMPString";
      return g_convert ((const char *) p, n, "UTF-8", "UTF-16BE", NULL, NULL, NULL);
    case 0x1c: /* UniversalString: UCS-4, big endian */
      *type = "UniversalString";
      return g_convert ((const char *) p, n, "UTF-8", "UTF-32BE", NULL, NULL, NULL);
    default:
      return NULL;
    }
  if (!g_utf8_validate ((const char *) p, n, NULL) || memchr (p, 0, n) != NULL)
    return NULL;
  return g_strndup ((const char *) p, n);
}

/* RFC 4514, 2.4: escape what would be read as syntax. */
static void
append_escaped (GString *out, const char *s)
{
  gsize n = strlen (s);

  for (gsize i = 0; i < n; i++)
    {
      char ch = s[i];
      if (strchr (",+\"\\<>;=", ch) != NULL || (i == 0 && (ch == '#' || ch == ' '))
          || (i == n - 1 && ch == ' '))
        g_string_append_c (out, '\\');
      if ((guchar) ch < 0x20 || ch == 0x7f)
        g_string_append_printf (out, "%02x", (guchar) ch);
      else
        g_string_append_c (out, ch);
    }
}

/* Name ::= CHOICE { rdnSequence SEQUENCE OF SET OF AttributeTypeAndValue } */
static gboolean
parse_name (Ctx *c, const char *name, TlsField *f, char **text, GBytes **der, GPtrArray *cns)
{
  g_autofree char *seq = g_strdup_printf ("%s.rdnSequence", name);
  GPtrArray *rdns = g_ptr_array_new_with_free_func (g_free);
  GString *line = g_string_new (NULL);
  gsize off, n;
  int n_rdn = 0;

  if (!tls_asn1_span (c->node, c->der, c->len, name, &off, &n))
    return bad (c, _("no %s"), name);
  *der = g_bytes_new (c->der + off, n);
  if (asn1_number_of_elements (c->node, seq, &n_rdn) != ASN1_SUCCESS)
    n_rdn = 0;
  for (int i = 1; i <= n_rdn; i++)
    {
      g_autofree char *rdn = g_strdup_printf ("%s.?%d", seq, i);
      GString *one = g_string_new (NULL);
      TlsField *rf = field (c, f, "RelativeDistinguishedName", rdn, NULL);
      int n_atv = 0;

      asn1_number_of_elements (c->node, rdn, &n_atv);
      for (int j = 1; j <= n_atv; j++)
        {
          g_autofree char *atv = g_strdup_printf ("%s.?%d", rdn, j);
          g_autofree char *type_name = g_strdup_printf ("%s.type", atv);
          g_autofree char *value_name = g_strdup_printf ("%s.value", atv);
          g_autofree char *oid = tls_asn1_read_string (c->node, type_name);
          g_autoptr (GBytes) value = tls_asn1_read_bytes (c->node, value_name);
          g_autofree char *s = NULL;
          const char *stype = NULL;
          TlsField *af, *vf;

          if (oid == NULL || value == NULL)
            {
              g_string_free (one, TRUE);
              g_string_free (line, TRUE);
              g_ptr_array_unref (rdns);
              return bad (c, _("an attribute of %s cannot be read"), name);
            }
          s = string_value (g_bytes_get_data (value, NULL), g_bytes_get_size (value), &stype);
          if (j > 1)
            g_string_append_c (one, '+');
          g_string_append_printf (one, "%s=", attr_key (oid));
          if (s != NULL)
            append_escaped (one, s);
          else
            {
              /* RFC 4514, 2.4: a value we cannot show as a string is "#" + hex of its BER */
              g_autofree char *hex = tls_hex (g_bytes_get_data (value, NULL), g_bytes_get_size (value));
              g_string_append_printf (one, "#%s", hex);
            }
          if (s != NULL && g_str_equal (oid, "2.5.4.3") && cns != NULL)
            g_ptr_array_add (cns, g_strdup (s));

          af = field (c, rf, oid_label (oid), atv, NULL);
          tls_field_set_value (af, "%s", s ? s : "?");
          vf = field (c, af, "type", type_name, _("the attribute's OBJECT IDENTIFIER"));
          tls_field_set_value (vf, "%s", oid);
          vf = field (c, af, "value", value_name, NULL);
          if (stype != NULL)
            tls_field_set_value (vf, "%s “%s”", stype, s);
        }
      tls_field_set_value (rf, "%s", one->str);
      g_ptr_array_add (rdns, g_string_free (one, FALSE));
    }
  /* RFC 4514, 2.1: the RDNs in reverse order, the last one first */
  for (guint i = rdns->len; i > 0; i--)
    {
      if (i != rdns->len)
        g_string_append (line, ", ");
      g_string_append (line, g_ptr_array_index (rdns, i - 1));
    }
  g_ptr_array_unref (rdns);
  *text = g_string_free (line, FALSE);
  tls_field_set_value (f, "%s", (*text)[0] ? *text : _("(empty)"));
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Time (RFC 5280, 4.1.2.5)                                            */

static gboolean
digits (const char *s, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* 4.1.2.5.1: UTCTime YYMMDDHHMMSSZ, YY >= 50 is 19YY, else 20YY.
 * 4.1.2.5.2: GeneralizedTime YYYYMMDDHHMMSSZ, no fractional seconds. */
static gboolean
parse_time (Ctx *c, const char *name, TlsField *f, gint64 *out)
{
  g_autofree char *choice = tls_asn1_read_string (c->node, name);
  g_autofree char *sub = NULL;
  g_autofree char *s = NULL;
  g_autoptr (GDateTime) dt = NULL;
  gboolean utc;
  int y, mo, d, h, mi, sec;
  gsize n;
  const char *p;

  if (choice == NULL)
    return bad (c, _("no %s"), name);
  utc = g_str_equal (choice, "utcTime");
  sub = g_strdup_printf ("%s.%s", name, choice);
  s = tls_asn1_read_string (c->node, sub);
  if (s == NULL)
    return bad (c, _("%s cannot be read"), name);
  n = strlen (s);
  p = s;
  if (utc)
    {
      if (n != 13 || !digits (p, 2, &y))
        return bad (c, _("%s: UTCTime “%s” is not YYMMDDHHMMSSZ (RFC 5280, 4.1.2.5.1)"), name, s);
      y += y >= 50 ? 1900 : 2000;
      p += 2;
    }
  else
    {
      if (n != 15 || !digits (p, 4, &y))
        return bad (c, _("%s: GeneralizedTime “%s” is not YYYYMMDDHHMMSSZ (RFC 5280, 4.1.2.5.2)"),
                    name, s);
      p += 4;
    }
  if (!digits (p, 2, &mo) || !digits (p + 2, 2, &d) || !digits (p + 4, 2, &h)
      || !digits (p + 6, 2, &mi) || !digits (p + 8, 2, &sec) || p[10] != 'Z')
    return bad (c, _("%s: “%s” is not a time in Zulu (RFC 5280, 4.1.2.5)"), name, s);
  dt = g_date_time_new_utc (y, mo, d, h, mi, sec);
  if (dt == NULL || sec > 59)
    return bad (c, _("%s: “%s” is not a valid date"), name, s);
  *out = g_date_time_to_unix (dt);
  if (f != NULL)
    {
      g_autofree char *iso = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC");
      tls_field_set_value (f, "%s (%s)", iso, utc ? "UTCTime" : "GeneralizedTime");
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Extensions (RFC 5280, 4.2)                                          */

/* An extension's value decoded as TYPE, with fields under F at BASE. */
typedef struct
{
  asn1_node     node;
  const guint8 *der;
  gsize         len;
  gsize         base;
  TlsField     *f;
} Inner;

static TlsField *
inner_field (Inner *in, TlsField *parent, const char *fname, const char *asn_name)
{
  return tls_asn1_add_field (parent, fname, in->node, in->der, in->len, in->base, asn_name);
}

char *
tls_key_usage_to_string (guint bits)
{
  static const char *const names[] = {
    "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
    "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
  };
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (bits & (1u << i))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", names[i]);
  if (s->len == 0)
    g_string_append (s, _("(none)"));
  return g_string_free (s, FALSE);
}

/* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
 *                                 pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
static gboolean
ext_basic_constraints (Ctx *c, Inner *in, GString *summary)
{
  TlsCertificate *cert = c->cert;
  guint pl;

  if (!tls_asn1_read_bool (in->node, "cA", &cert->ca))
    cert->ca = FALSE;
  cert->has_bc = TRUE;
  cert->path_len = -1;
  tls_field_set_value (inner_field (in, in->f, "cA", "cA"), "%s", cert->ca ? "TRUE" : "FALSE");
  if (tls_asn1_present (in->node, "pathLenConstraint"))
    {
      if (!tls_asn1_read_uint (in->node, "pathLenConstraint", &pl))
        return bad (c, _("basicConstraints: pathLenConstraint is not a small non-negative number"));
      cert->path_len = (int) pl;
      tls_field_set_value (inner_field (in, in->f, "pathLenConstraint", "pathLenConstraint"), "%u", pl);
    }
  g_string_append_printf (summary, "CA:%s", cert->ca ? "TRUE" : "FALSE");
  if (cert->path_len >= 0)
    g_string_append_printf (summary, ", pathlen:%d", cert->path_len);
  return TRUE;
}

/* KeyUsage ::= BIT STRING { digitalSignature (0), ... decipherOnly (8) } */
static gboolean
ext_key_usage (Ctx *c, Inner *in, GString *summary)
{
  gsize n_bits = 0;
  g_autoptr (GBytes) b = tls_asn1_read_bits (in->node, "", &n_bits);
  g_autofree char *text = NULL;
  const guint8 *p;

  if (b == NULL)
    return bad (c, _("keyUsage is not a BIT STRING"));
  p = g_bytes_get_data (b, NULL);
  c->cert->has_ku = TRUE;
  c->cert->ku = 0;
  for (gsize i = 0; i < n_bits && i < 9; i++)
    if (p[i / 8] & (0x80 >> (i % 8)))
      c->cert->ku |= 1u << i;
  text = tls_key_usage_to_string (c->cert->ku);
  g_string_append (summary, text);
  return TRUE;
}

/* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
static gboolean
ext_ext_key_usage (Ctx *c, Inner *in, GString *summary)
{
  GPtrArray *oids = g_ptr_array_new ();
  int n = 0;

  asn1_number_of_elements (in->node, "", &n);
  for (int i = 1; i <= n; i++)
    {
      g_autofree char *name = g_strdup_printf ("?%d", i);
      char *oid = tls_asn1_read_string (in->node, name);

      if (oid == NULL)
        continue;
      tls_field_set_value (inner_field (in, in->f, "KeyPurposeId", name), "%s (%s)",
                           oid_label (oid), oid);
      g_string_append_printf (summary, "%s%s", i > 1 ? ", " : "", oid_label (oid));
      g_ptr_array_add (oids, oid);
    }
  g_ptr_array_add (oids, NULL);
  c->cert->eku = (GStrv) g_ptr_array_free (oids, FALSE);
  return TRUE;
}

static char *
ip_text (const guint8 *p, gsize n)
{
  GString *s = g_string_new (NULL);

  if (n == 4)
    g_string_printf (s, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
  else
    for (gsize i = 0; i < n; i += 2)
      g_string_append_printf (s, "%s%x", i ? ":" : "", p[i] << 8 | p[i + 1]);
  return g_string_free (s, FALSE);
}

/* Name DER -> "O=..., CN=..." (RFC 4514 order), by decoding it again. */
static char *
name_text (const guint8 *der, gsize len)
{
  g_autoptr (GPtrArray) rdns = NULL;
  g_autoptr (GBytes) b = g_bytes_new (der, len);
  GString *out = g_string_new (NULL);

  rdns = tls_name_split_rdns (b);
  for (guint i = rdns ? rdns->len : 0; i > 0; i--)
    {
      GBytes *rdn = g_ptr_array_index (rdns, i - 1);
      g_autofree char *hex = tls_hex (g_bytes_get_data (rdn, NULL), g_bytes_get_size (rdn));
      const guint8 *p = g_bytes_get_data (rdn, NULL);
      gsize n = g_bytes_get_size (rdn), h, cl, h2, cl2, h3, cl3;
      g_autofree char *shown = NULL;

      /* SET { SEQUENCE { OID, value } }: show the first value as a string */
      if (tls_asn1_contents (p, n, &h, &cl) && tls_asn1_contents (p + h, cl, &h2, &cl2)
          && tls_asn1_contents (p + h + h2, cl2, &h3, &cl3))
        {
          const guint8 *oidp = p + h + h2;
          const guint8 *val = oidp + h3 + cl3;
          gsize vlen = cl2 - h3 - cl3;
          const char *type = NULL;
          char *sv = string_value (val, vlen, &type);
          static const struct { const char *der; const char *key; } keys[] = {
            { "\x55\x04\x03", "CN" }, { "\x55\x04\x0a", "O" }, { "\x55\x04\x0b", "OU" },
            { "\x55\x04\x06", "C" }, { "\x55\x04\x07", "L" }, { "\x55\x04\x08", "ST" },
          };
          const char *key = "?";
          for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
            if (cl3 == 3 && memcmp (oidp + h3, keys[k].der, 3) == 0)
              key = keys[k].key;
          if (sv != NULL)
            shown = g_strdup_printf ("%s=%s", key, sv);
          g_free (sv);
        }
      g_string_append_printf (out, "%s%s", out->len ? ", " : "", shown ? shown : hex);
    }
  return g_string_free (out, FALSE);
}

GPtrArray *
tls_name_split_rdns (GBytes *name_der)
{
  const guint8 *p = g_bytes_get_data (name_der, NULL);
  gsize n = g_bytes_get_size (name_der), h, cl, off;
  GPtrArray *out;

  if (!tls_asn1_contents (p, n, &h, &cl) || p[0] != 0x30)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (off = h; off < h + cl;)
    {
      gsize eh, ecl;
      if (!tls_asn1_contents (p + off, h + cl - off, &eh, &ecl))
        break;
      g_ptr_array_add (out, g_bytes_new (p + off, eh + ecl));
      off += eh + ecl;
    }
  return out;
}

/* One GeneralName at PATH (its CHOICE is CHOICE) for the name checks.
 * IN_CONSTRAINT: an iPAddress is an address and a mask. */
static TlsGeneralName *
read_general_name (Inner *in, const char *path, const char *choice, gboolean in_constraint)
{
  TlsGeneralName *gn = g_new0 (TlsGeneralName, 1);

  if (g_str_equal (choice, "dNSName") || g_str_equal (choice, "rfc822Name")
      || g_str_equal (choice, "uniformResourceIdentifier"))
    {
      g_autoptr (GBytes) v = tls_asn1_read_bytes (in->node, path);
      gn->type = g_str_equal (choice, "dNSName") ? TLS_GN_DNS
        : g_str_equal (choice, "rfc822Name") ? TLS_GN_EMAIL : TLS_GN_URI;
      gn->text = v ? g_strndup (g_bytes_get_data (v, NULL), g_bytes_get_size (v)) : g_strdup ("");
    }
  else if (g_str_equal (choice, "iPAddress"))
    {
      gsize n;
      gn->type = TLS_GN_IP;
      gn->data = tls_asn1_read_bytes (in->node, path);
      n = gn->data ? g_bytes_get_size (gn->data) : 0;
      if (in_constraint && (n == 8 || n == 32))
        {
          g_autofree char *a = ip_text (g_bytes_get_data (gn->data, NULL), n / 2);
          g_autofree char *m = ip_text ((const guint8 *) g_bytes_get_data (gn->data, NULL) + n / 2, n / 2);
          gn->text = g_strdup_printf ("%s/%s", a, m);
        }
      else if (n == 4 || n == 16)
        gn->text = ip_text (g_bytes_get_data (gn->data, NULL), n);
      else
        gn->text = g_strdup_printf (_("(an iPAddress of %lu bytes)"), (unsigned long) n);
    }
  else if (g_str_equal (choice, "directoryName"))
    {
      gsize off, n, h, cl;
      gn->type = TLS_GN_DIR;
      if (tls_asn1_span (in->node, in->der, in->len, path, &off, &n))
        {
          const guint8 *p = in->der + off;
          /* [4] EXPLICIT Name: the span may include the tag */
          if (n > 0 && p[0] == 0xa4 && tls_asn1_contents (p, n, &h, &cl))
            {
              p += h;
              n = cl;
            }
          gn->data = g_bytes_new (p, n);
          gn->text = name_text (p, n);
        }
      else
        gn->text = g_strdup ("?");
    }
  else
    {
      gn->type = TLS_GN_OTHER;
      gn->text = g_strdup (choice);
    }
  return gn;
}

/* NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
 *                                excludedSubtrees  [1] GeneralSubtrees OPTIONAL }
 * GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0,
 *                               maximum [1] OPTIONAL }  (4.2.1.10) */
static gboolean
ext_name_constraints (Ctx *c, Inner *in, GString *summary)
{
  static const char *const lists[] = { "permittedSubtrees", "excludedSubtrees" };

  c->cert->has_nc = TRUE;
  c->cert->nc_permitted = g_ptr_array_new_with_free_func ((GDestroyNotify) general_name_free);
  c->cert->nc_excluded = g_ptr_array_new_with_free_func ((GDestroyNotify) general_name_free);
  for (int l = 0; l < 2; l++)
    {
      GPtrArray *arr = l == 0 ? c->cert->nc_permitted : c->cert->nc_excluded;
      int n = 0;

      if (!tls_asn1_present (in->node, lists[l]))
        continue;
      asn1_number_of_elements (in->node, lists[l], &n);
      for (int i = 1; i <= n; i++)
        {
          g_autofree char *base = g_strdup_printf ("%s.?%d.base", lists[l], i);
          g_autofree char *minimum = g_strdup_printf ("%s.?%d.minimum", lists[l], i);
          g_autofree char *maximum = g_strdup_printf ("%s.?%d.maximum", lists[l], i);
          g_autofree char *choice = tls_asn1_read_string (in->node, base);
          g_autofree char *sub = g_strdup_printf ("%s.%s", base, choice ? choice : "");
          TlsGeneralName *gn;
          guint min = 0;

          if (choice == NULL)
            return bad (c, _("nameConstraints: a subtree cannot be read"));
          gn = read_general_name (in, sub, choice, TRUE);
          if ((tls_asn1_present (in->node, minimum) && tls_asn1_read_uint (in->node, minimum, &min) && min != 0)
              || tls_asn1_present (in->node, maximum))
            if (c->cert->nc_odd == NULL)
              c->cert->nc_odd = g_strdup_printf (_("the subtree %s has a minimum or maximum (RFC 5280, "
                                                   "4.2.1.10: minimum MUST be zero, maximum absent)"),
                                                 gn->text);
          if (gn->type == TLS_GN_IP && gn->data && g_bytes_get_size (gn->data) != 8
              && g_bytes_get_size (gn->data) != 32 && c->cert->nc_odd == NULL)
            c->cert->nc_odd = g_strdup_printf (_("an iPAddress constraint of %lu bytes (8 or 32: "
                                                 "address and mask)"),
                                               (unsigned long) g_bytes_get_size (gn->data));
          tls_field_set_value (inner_field (in, in->f, l == 0 ? "permitted" : "excluded", base), "%s", gn->text);
          g_string_append_printf (summary, "%s%s:%s", summary->len ? ", " : "",
                                  l == 0 ? "permitted" : "excluded", gn->text);
          g_ptr_array_add (arr, gn);
        }
    }
  if (c->cert->nc_permitted->len == 0 && c->cert->nc_excluded->len == 0 && c->cert->nc_odd == NULL)
    c->cert->nc_odd = g_strdup (_("an empty nameConstraints (RFC 5280, 4.2.1.10: \"either the "
                                  "permittedSubtrees field or the excludedSubtrees MUST be present\")"));
  return TRUE;
}

/* GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName (4.2.1.6) */
static gboolean
ext_subject_alt_name (Ctx *c, Inner *in, GString *summary)
{
  /* Its names are freed with it on an error return (found by fuzz-client);
   * on success the array is given away whole, names and all. */
  GPtrArray *dns = g_ptr_array_new_with_free_func (g_free);
  int n = 0;

  c->cert->has_san = TRUE;
  c->cert->ips = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  c->cert->alt_names = g_ptr_array_new_with_free_func ((GDestroyNotify) general_name_free);
  asn1_number_of_elements (in->node, "", &n);
  for (int i = 1; i <= n; i++)
    {
      g_autofree char *name = g_strdup_printf ("?%d", i);
      g_autofree char *choice = tls_asn1_read_string (in->node, name);
      g_autofree char *sub = g_strdup_printf ("?%d.%s", i, choice ? choice : "");
      TlsField *gf = inner_field (in, in->f, choice ? choice : "GeneralName", name);
      g_autofree char *text = NULL;
      const char *tag = NULL;

      if (choice == NULL)
        continue;
      if (g_str_equal (choice, "dNSName") || g_str_equal (choice, "rfc822Name")
          || g_str_equal (choice, "uniformResourceIdentifier"))
        {
          g_autoptr (GBytes) v = tls_asn1_read_bytes (in->node, sub);
          gsize vn = v ? g_bytes_get_size (v) : 0;
          const char *vp = v ? g_bytes_get_data (v, NULL) : NULL;

          /* IA5String: ASCII only */
          for (gsize k = 0; k < vn; k++)
            if ((guchar) vp[k] >= 0x80 || vp[k] == 0)
              {
                g_ptr_array_free (dns, TRUE);
                return bad (c, _("subjectAltName: %s is not an IA5String"), choice);
              }
          text = g_strndup (vp ? vp : "", vn);
          tag = g_str_equal (choice, "dNSName") ? "DNS"
            : g_str_equal (choice, "rfc822Name") ? "email" : "URI";
          if (g_str_equal (choice, "dNSName"))
            g_ptr_array_add (dns, g_strdup (text));
        }
      else if (g_str_equal (choice, "iPAddress"))
        {
          GBytes *v = tls_asn1_read_bytes (in->node, sub);
          gsize vn = v ? g_bytes_get_size (v) : 0;

          /* "the octet string MUST contain exactly four octets [IPv4] ...
           * exactly sixteen octets [IPv6]" */
          if (vn != 4 && vn != 16)
            {
              if (v)
                g_bytes_unref (v);
              g_ptr_array_free (dns, TRUE);
              return bad (c, _("subjectAltName: an iPAddress of %lu bytes (4 or 16 "
                               "expected, RFC 5280, 4.2.1.6)"), (unsigned long) vn);
            }
          text = ip_text (g_bytes_get_data (v, NULL), vn);
          tag = "IP";
          g_ptr_array_add (c->cert->ips, v);
        }
      else if (g_str_equal (choice, "registeredID"))
        {
          text = tls_asn1_read_string (in->node, sub);
          tag = "RID";
        }
      else
        {
          text = g_strdup (_("(not interpreted)"));
          tag = choice;
        }
      {
        TlsGeneralName *gn = read_general_name (in, sub, choice, FALSE);
        if (gn->type == TLS_GN_DIR && gn->text != NULL)
          {
            g_free (text);
            text = g_strdup (gn->text);
          }
        g_ptr_array_add (c->cert->alt_names, gn);
      }
      tls_field_set_value (gf, "%s", text ? text : "?");
      g_string_append_printf (summary, "%s%s:%s", i > 1 ? ", " : "", tag, text ? text : "?");
    }
  g_ptr_array_add (dns, NULL);
  c->cert->dns = (GStrv) g_ptr_array_free (dns, FALSE);
  return TRUE;
}

static gboolean
ext_subject_key_id (Ctx *c, Inner *in, GString *summary)
{
  g_autofree char *hex = NULL;

  c->cert->ski = tls_asn1_read_bytes (in->node, "");
  if (c->cert->ski == NULL)
    return bad (c, _("subjectKeyIdentifier cannot be read"));
  hex = tls_hex (g_bytes_get_data (c->cert->ski, NULL), g_bytes_get_size (c->cert->ski));
  g_string_append (summary, hex);
  return TRUE;
}

/* AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL,
 *   authorityCertIssuer [1] OPTIONAL, authorityCertSerialNumber [2] OPTIONAL } */
static gboolean
ext_authority_key_id (Ctx *c, Inner *in, GString *summary)
{
  if (tls_asn1_present (in->node, "keyIdentifier"))
    {
      g_autofree char *hex = NULL;

      c->cert->aki = tls_asn1_read_bytes (in->node, "keyIdentifier");
      if (c->cert->aki == NULL)
        return bad (c, _("authorityKeyIdentifier cannot be read"));
      hex = tls_hex (g_bytes_get_data (c->cert->aki, NULL), g_bytes_get_size (c->cert->aki));
      tls_field_set_value (inner_field (in, in->f, "keyIdentifier", "keyIdentifier"), "%s", hex);
      g_string_append_printf (summary, "keyid:%s", hex);
    }
  if (tls_asn1_present (in->node, "authorityCertIssuer"))
    inner_field (in, in->f, "authorityCertIssuer", "authorityCertIssuer");
  if (tls_asn1_present (in->node, "authorityCertSerialNumber"))
    inner_field (in, in->f, "authorityCertSerialNumber", "authorityCertSerialNumber");
  return TRUE;
}

typedef gboolean (*ExtFunc) (Ctx *c, Inner *in, GString *summary);

static const struct
{
  const char *oid;
  const char *type;     /* in pkix.asn */
  ExtFunc     parse;
  const char *desc;
} known_exts[] = {
  { "2.5.29.19", "BasicConstraints", ext_basic_constraints,
    N_("whether the subject is a CA, and how many CAs may follow it (RFC 5280, 4.2.1.9)") },
  { "2.5.29.15", "KeyUsage", ext_key_usage,
    N_("what the key may be used for (RFC 5280, 4.2.1.3)") },
  { "2.5.29.37", "ExtKeyUsageSyntax", ext_ext_key_usage,
    N_("the purposes the certificate is for, e.g. TLS server (RFC 5280, 4.2.1.12)") },
  { "2.5.29.17", "GeneralNames", ext_subject_alt_name,
    N_("the names the certificate is for: host names are checked against these (RFC 5280, 4.2.1.6)") },
  { "2.5.29.14", "SubjectKeyIdentifier", ext_subject_key_id,
    N_("an identifier of this certificate's key (RFC 5280, 4.2.1.2)") },
  { "2.5.29.35", "AuthorityKeyIdentifier", ext_authority_key_id,
    N_("identifies the issuer's key, to find the issuer (RFC 5280, 4.2.1.1)") },
  { "2.5.29.30", "NameConstraints", ext_name_constraints,
    N_("the name space in which the names of every certificate below this CA must lie (RFC 5280, 4.2.1.10)") },
};

/* Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER,
 *                          critical BOOLEAN DEFAULT FALSE,
 *                          extnValue OCTET STRING } */
static gboolean
parse_extension (Ctx *c, int i, TlsField *parent, GHashTable *seen)
{
  g_autofree char *base = g_strdup_printf ("tbsCertificate.extensions.?%d", i);
  g_autofree char *id_name = g_strconcat (base, ".extnID", NULL);
  g_autofree char *crit_name = g_strconcat (base, ".critical", NULL);
  g_autofree char *val_name = g_strconcat (base, ".extnValue", NULL);
  g_autofree char *oid = tls_asn1_read_string (c->node, id_name);
  g_autoptr (GBytes) value = tls_asn1_read_bytes (c->node, val_name);
  g_autoptr (GString) summary = g_string_new (NULL);
  gboolean critical = FALSE;
  TlsField *ef, *vf, *f;
  gsize off, n, hdr, clen;

  if (oid == NULL || value == NULL
      || !tls_asn1_span (c->node, c->der, c->len, val_name, &off, &n)
      || !tls_asn1_contents (c->der + off, n, &hdr, &clen))
    return bad (c, _("extension %d cannot be read"), i);
  tls_asn1_read_bool (c->node, crit_name, &critical);

  /* RFC 5280, 4.2: "A certificate MUST NOT include more than one
   * instance of a particular extension." */
  if (g_hash_table_contains (seen, oid))
    return bad (c, _("the extension %s appears twice (RFC 5280, 4.2)"), oid_label (oid));
  g_hash_table_add (seen, g_strdup (oid));
  if (c->cert->ext_critical == NULL)
    c->cert->ext_critical = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (c->cert->ext_critical, g_strdup (oid), GINT_TO_POINTER (critical ? 2 : 1));

  ef = field (c, parent, oid_label (oid), base, NULL);
  f = field (c, ef, "extnID", id_name, NULL);
  tls_field_set_value (f, "%s (%s)", oid_label (oid), oid);
  if (tls_asn1_present (c->node, crit_name))
    {
      f = field (c, ef, "critical", crit_name,
                 _("a critical extension that is not understood makes the certificate unusable"));
      tls_field_set_value (f, "%s", critical ? "TRUE" : "FALSE");
    }
  vf = field (c, ef, "extnValue", val_name, _("the extension's own DER, in an OCTET STRING"));

  for (gsize k = 0; k < G_N_ELEMENTS (known_exts); k++)
    {
      GError *local = NULL;
      Inner in;
      gboolean ok;

      if (strcmp (known_exts[k].oid, oid) != 0)
        continue;
      in.der = c->der + off + hdr;
      in.len = clen;
      in.base = off + hdr;
      in.f = vf;
      in.node = tls_asn1_decode (known_exts[k].type, in.der, in.len, oid_label (oid), &local);
      if (in.node == NULL)
        {
          bad (c, "%s", local->message);
          g_error_free (local);
          return FALSE;
        }
      ok = known_exts[k].parse (c, &in, summary);
      tls_asn1_free (in.node);
      if (!ok)
        return FALSE;
      tls_field_set_desc (ef, _(known_exts[k].desc));
      tls_field_set_value (ef, "%s%s", critical ? _("critical, ") : _("not critical, "), summary->str);
      tls_field_set_value (vf, "%s", summary->str);
      return TRUE;
    }

  /* authorityInfoAccess (4.2.2.1): read, and a malformed one noted
   * rather than refused here, so that a check can name the rule. */
  if (g_str_equal (oid, TLS_OID_EXT_AIA))
    {
      GError *local = NULL;
      asn1_node node = tls_asn1_decode ("AuthorityInfoAccessSyntax", c->der + off + hdr, clen,
                                        oid_label (oid), &local);
      if (node == NULL)
        {
          c->cert->aia_problem = g_strdup (local->message);
          g_error_free (local);
          tls_field_set_value (ef, _("malformed: not a SEQUENCE OF AccessDescription"));
        }
      else
        {
          int n_ad = 0;
          asn1_number_of_elements (node, "", &n_ad);
          tls_field_set_value (ef, _("%d access description(s)"), n_ad);
          tls_asn1_free (node);
        }
      tls_field_set_desc (ef, _("where to find the issuer's certificate and its OCSP responder "
                                "(RFC 5280, 4.2.2.1)"));
      return TRUE;
    }

  /* not one we interpret */
  if (critical)
    {
      if (c->cert->unknown_critical == NULL)
        c->cert->unknown_critical = g_strdup (oid);
      tls_field_set_value (ef, _("critical, not understood"));
      tls_field_set_desc (ef, _("RFC 5280, 4.2: a system MUST reject a certificate with a critical "
                                "extension it does not recognise: this certificate cannot be used"));
    }
  else
    {
      tls_field_set_value (ef, _("not critical, not interpreted"));
      tls_field_set_desc (ef, _("a non-critical extension this program does not interpret; "
                                "it may be ignored (RFC 5280, 4.2)"));
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The certificate                                                     */

static void
certificate_free (TlsCertificate *cert)
{
  g_clear_pointer (&cert->der, g_bytes_unref);
  g_clear_pointer (&cert->fields, tls_field_free);
  g_free (cert->serial);
  g_free (cert->subject);
  g_free (cert->issuer);
  g_clear_pointer (&cert->subject_der, g_bytes_unref);
  g_clear_pointer (&cert->issuer_der, g_bytes_unref);
  g_strfreev (cert->common_names);
  g_clear_pointer (&cert->key, tls_public_key_free);
  g_clear_pointer (&cert->tbs, g_bytes_unref);
  g_free (cert->sig_oid);
  g_clear_pointer (&cert->sig, g_bytes_unref);
  g_strfreev (cert->eku);
  g_strfreev (cert->dns);
  g_clear_pointer (&cert->ips, g_ptr_array_unref);
  g_clear_pointer (&cert->ski, g_bytes_unref);
  g_clear_pointer (&cert->aki, g_bytes_unref);
  g_free (cert->unknown_critical);
  g_clear_pointer (&cert->alt_names, g_ptr_array_unref);
  g_clear_pointer (&cert->nc_permitted, g_ptr_array_unref);
  g_clear_pointer (&cert->nc_excluded, g_ptr_array_unref);
  g_free (cert->nc_odd);
  g_clear_pointer (&cert->ext_critical, g_hash_table_unref);
  g_free (cert->aia_problem);
  g_clear_pointer (&cert->serial_der, g_bytes_unref);
  g_free (cert);
}

TlsCertificate *
tls_certificate_ref (TlsCertificate *cert)
{
  g_atomic_int_inc (&cert->ref);
  return cert;
}

void
tls_certificate_unref (TlsCertificate *cert)
{
  if (cert != NULL && g_atomic_int_dec_and_test (&cert->ref))
    certificate_free (cert);
}

void
tls_certificate_free (TlsCertificate *cert)
{
  tls_certificate_unref (cert);
}

static char *
alg_text (Ctx *c, const char *name)
{
  g_autofree char *oid_name = g_strconcat (name, ".algorithm", NULL);
  g_autofree char *oid = tls_asn1_read_string (c->node, oid_name);

  return oid ? g_strdup_printf ("%s (%s)", oid_label (oid), oid) : g_strdup ("?");
}

/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
 * TBSCertificate ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, serialNumber,
 *   signature, issuer, validity, subject, subjectPublicKeyInfo,
 *   issuerUniqueID [1] OPTIONAL, subjectUniqueID [2] OPTIONAL,
 *   extensions [3] EXPLICIT OPTIONAL }  (RFC 5280, 4.1) */
static gboolean
parse_certificate (Ctx *c)
{
  TlsCertificate *cert = c->cert;
  TlsField *root = cert->fields, *tbs, *f;
  g_autoptr (GBytes) serial = NULL;
  g_autoptr (GBytes) alg1 = NULL;
  g_autoptr (GBytes) alg2 = NULL;
  g_autoptr (GPtrArray) cns = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  GError *local = NULL;
  gsize off, n, n_bits = 0;
  guint v = 0;

  if (!tls_asn1_span (c->node, c->der, c->len, "tbsCertificate", &off, &n))
    return bad (c, _("no tbsCertificate"));
  cert->tbs = g_bytes_new (c->der + off, n);
  tbs = field (c, root, "tbsCertificate", "tbsCertificate",
               _("the part the issuer signs (RFC 5280, 4.1.1.1)"));

  /* version: absent means v1 (DER leaves out a DEFAULT value) */
  cert->version = 1;
  if (tls_asn1_present (c->node, "tbsCertificate.version"))
    {
      if (!tls_asn1_read_uint (c->node, "tbsCertificate.version", &v) || v > 2)
        return bad (c, _("version is not v1, v2 or v3"));
      cert->version = v + 1;
      f = field (c, tbs, "version", "tbsCertificate.version",
                 _("v3 (2) when there are extensions (RFC 5280, 4.1.2.1)"));
      tls_field_set_value (f, "v%u (%u)", cert->version, v);
    }

  /* serialNumber: unique per issuer (4.1.2.2) */
  serial = tls_asn1_read_bytes (c->node, "tbsCertificate.serialNumber");
  if (serial == NULL || g_bytes_get_size (serial) == 0)
    return bad (c, _("no serialNumber"));
  cert->serial = tls_hex (g_bytes_get_data (serial, NULL), g_bytes_get_size (serial));
  cert->serial_der = g_bytes_ref (serial);
  f = field (c, tbs, "serialNumber", "tbsCertificate.serialNumber",
             _("unique among the certificates of one issuer (RFC 5280, 4.1.2.2)"));
  tls_field_set_value (f, "%s", cert->serial);

  text = alg_text (c, "tbsCertificate.signature");
  f = field (c, tbs, "signature", "tbsCertificate.signature",
             _("the algorithm the issuer signed with; must equal signatureAlgorithm (RFC 5280, 4.1.2.3)"));
  tls_field_set_value (f, "%s", text);
  g_clear_pointer (&text, g_free);

  f = field (c, tbs, "issuer", "tbsCertificate.issuer",
             _("who signed this certificate: the subject of the next certificate up (RFC 5280, 4.1.2.4)"));
  if (!parse_name (c, "tbsCertificate.issuer", f, &cert->issuer, &cert->issuer_der, NULL))
    return FALSE;

  f = field (c, tbs, "validity", "tbsCertificate.validity",
             _("the time interval in which the issuer vouches for the certificate (RFC 5280, 4.1.2.5)"));
  if (!parse_time (c, "tbsCertificate.validity.notBefore",
                   field (c, f, "notBefore", "tbsCertificate.validity.notBefore", NULL),
                   &cert->not_before)
      || !parse_time (c, "tbsCertificate.validity.notAfter",
                      field (c, f, "notAfter", "tbsCertificate.validity.notAfter", NULL),
                      &cert->not_after))
    return FALSE;

  f = field (c, tbs, "subject", "tbsCertificate.subject",
             _("whom the certificate is for (RFC 5280, 4.1.2.6)"));
  if (!parse_name (c, "tbsCertificate.subject", f, &cert->subject, &cert->subject_der, cns))
    return FALSE;
  g_ptr_array_add (cns, NULL);
  cert->common_names = (GStrv) g_ptr_array_free (g_steal_pointer (&cns), FALSE);

  /* subjectPublicKeyInfo (4.1.2.7) */
  if (!tls_asn1_span (c->node, c->der, c->len, "tbsCertificate.subjectPublicKeyInfo", &off, &n))
    return bad (c, _("no subjectPublicKeyInfo"));
  f = field (c, tbs, "subjectPublicKeyInfo", "tbsCertificate.subjectPublicKeyInfo",
             _("the subject's public key and its algorithm (RFC 5280, 4.1.2.7)"));
  cert->key = tls_public_key_new_from_spki (c->der + off, n, f, &local);
  if (cert->key == NULL)
    {
      bad (c, "%s", local->message);
      g_error_free (local);
      return FALSE;
    }

  if (tls_asn1_present (c->node, "tbsCertificate.issuerUniqueID"))
    field (c, tbs, "issuerUniqueID", "tbsCertificate.issuerUniqueID", NULL);
  if (tls_asn1_present (c->node, "tbsCertificate.subjectUniqueID"))
    field (c, tbs, "subjectUniqueID", "tbsCertificate.subjectUniqueID", NULL);
  /* 4.1.2.8: unique identifiers "MUST only appear if the version is 2 or 3" */
  if (cert->version < 2 && (tls_asn1_present (c->node, "tbsCertificate.issuerUniqueID")
                            || tls_asn1_present (c->node, "tbsCertificate.subjectUniqueID")))
    return bad (c, _("unique identifiers in a version 1 certificate (RFC 5280, 4.1.2.8)"));

  if (tls_asn1_present (c->node, "tbsCertificate.extensions"))
    {
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      int n_ext = 0;

      /* 4.1.2.9: "This field MUST only appear if the version is 3" */
      if (cert->version != 3)
        return bad (c, _("extensions in a version %u certificate (RFC 5280, 4.1.2.9)"), cert->version);
      f = field (c, tbs, "extensions", "tbsCertificate.extensions",
                 _("what the certificate may be used for and for which names (RFC 5280, 4.2)"));
      asn1_number_of_elements (c->node, "tbsCertificate.extensions", &n_ext);
      for (int i = 1; i <= n_ext; i++)
        if (!parse_extension (c, i, f, seen))
          return FALSE;
    }

  /* signatureAlgorithm and signatureValue (4.1.1.2, 4.1.1.3) */
  cert->sig_oid = tls_asn1_read_string (c->node, "signatureAlgorithm.algorithm");
  cert->sig_alg = tls_sig_alg_from_oid (cert->sig_oid);
  text = alg_text (c, "signatureAlgorithm");
  f = field (c, root, "signatureAlgorithm", "signatureAlgorithm",
             _("the algorithm the issuer used to sign tbsCertificate (RFC 5280, 4.1.1.2)"));
  tls_field_set_value (f, "%s", text);
  alg1 = tls_asn1_span (c->node, c->der, c->len, "signatureAlgorithm", &off, &n)
    ? g_bytes_new (c->der + off, n) : NULL;
  alg2 = tls_asn1_span (c->node, c->der, c->len, "tbsCertificate.signature", &off, &n)
    ? g_bytes_new (c->der + off, n) : NULL;
  cert->sig_algs_agree = alg1 && alg2 && g_bytes_equal (alg1, alg2);

  cert->sig = tls_asn1_read_bits (c->node, "signatureValue", &n_bits);
  if (cert->sig == NULL || n_bits % 8 != 0)
    return bad (c, _("the signatureValue is not a whole number of bytes"));
  f = field (c, root, "signatureValue", "signatureValue",
             _("the issuer's signature over the DER of tbsCertificate (RFC 5280, 4.1.1.3)"));
  {
    g_autofree char *hex = tls_hex_preview (g_bytes_get_data (cert->sig, NULL),
                                            g_bytes_get_size (cert->sig), 16);
    tls_field_set_value (f, "%s", hex);
  }
  tls_field_set_value (root, "%s", cert->subject);
  return TRUE;
}

TlsCertificate *
tls_certificate_new_from_der (GBytes *der, GError **error)
{
  TlsCertificate *cert;
  Ctx c = { .error = error };

  g_return_val_if_fail (der != NULL, NULL);
  c.der = g_bytes_get_data (der, &c.len);
  c.node = tls_asn1_decode ("Certificate", c.der, c.len, _("certificate"), error);
  if (c.node == NULL)
    return NULL;
  cert = g_new0 (TlsCertificate, 1);
  cert->ref = 1;
  cert->der = g_bytes_ref (der);
  cert->path_len = -1;
  cert->fields = tls_field_new ("Certificate", 0, c.len);
  tls_field_set_desc (cert->fields, _("an X.509 certificate (RFC 5280, 4.1)"));
  c.cert = cert;
  if (!parse_certificate (&c))
    {
      tls_asn1_free (c.node);
      certificate_free (cert);
      return NULL;
    }
  tls_asn1_free (c.node);
  return cert;
}

GPtrArray *
tls_certificate_list_from_pem (const char *text, gsize len, GError **error)
{
  g_autoptr (GPtrArray) blocks = tls_pem_decode (text, len, "CERTIFICATE", error);
  g_autoptr (GPtrArray) certs = NULL;

  if (blocks == NULL)
    return NULL;
  certs = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_certificate_unref);
  for (guint i = 0; i < blocks->len; i++)
    {
      TlsPemBlock *b = g_ptr_array_index (blocks, i);
      GError *local = NULL;
      TlsCertificate *cert = tls_certificate_new_from_der (b->der, &local);

      if (cert == NULL)
        {
          g_propagate_prefixed_error (error, local, _("certificate %u of %u: "), i + 1, blocks->len);
          return NULL;
        }
      g_ptr_array_add (certs, cert);
    }
  return g_steal_pointer (&certs);
}

GPtrArray *
tls_certificate_list_from_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len;
  GError *local = NULL;
  GPtrArray *certs;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  certs = tls_certificate_list_from_pem (text, len, &local);
  if (certs == NULL)
    g_propagate_prefixed_error (error, local, "%s: ", path);
  return certs;
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */

GBytes *tls_certificate_get_der (const TlsCertificate *cert) { return cert->der; }
const TlsField *tls_certificate_get_fields (const TlsCertificate *cert) { return cert->fields; }
guint tls_certificate_get_version (const TlsCertificate *cert) { return cert->version; }
const char *tls_certificate_get_serial (const TlsCertificate *cert) { return cert->serial; }
const char *tls_certificate_get_subject (const TlsCertificate *cert) { return cert->subject; }
const char *tls_certificate_get_issuer (const TlsCertificate *cert) { return cert->issuer; }
GBytes *tls_certificate_get_subject_der (const TlsCertificate *cert) { return cert->subject_der; }
GBytes *tls_certificate_get_issuer_der (const TlsCertificate *cert) { return cert->issuer_der; }
gint64 tls_certificate_get_not_before (const TlsCertificate *cert) { return cert->not_before; }
gint64 tls_certificate_get_not_after (const TlsCertificate *cert) { return cert->not_after; }
const TlsPublicKey *tls_certificate_get_public_key (const TlsCertificate *cert) { return cert->key; }
TlsPkAlg tls_certificate_get_key_type (const TlsCertificate *cert) { return cert->key->type; }
guint tls_certificate_get_key_bits (const TlsCertificate *cert) { return cert->key->bits; }
GBytes *tls_certificate_get_tbs_der (const TlsCertificate *cert) { return cert->tbs; }
const char *tls_certificate_get_signature_oid (const TlsCertificate *cert) { return cert->sig_oid; }
TlsSigAlg tls_certificate_get_signature_algorithm (const TlsCertificate *cert) { return cert->sig_alg; }
GBytes *tls_certificate_get_signature (const TlsCertificate *cert) { return cert->sig; }
gboolean tls_certificate_signature_algorithms_agree (const TlsCertificate *cert) { return cert->sig_algs_agree; }
GBytes *tls_certificate_get_subject_key_id (const TlsCertificate *cert) { return cert->ski; }
GBytes *tls_certificate_get_authority_key_id (const TlsCertificate *cert) { return cert->aki; }
const char *tls_certificate_get_unknown_critical (const TlsCertificate *cert) { return cert->unknown_critical; }
gboolean tls_certificate_has_subject_alt_name (const TlsCertificate *cert) { return cert->has_san; }

const char * const *
tls_certificate_get_common_names (const TlsCertificate *cert)
{
  return (const char * const *) cert->common_names;
}

gboolean
tls_certificate_is_self_issued (const TlsCertificate *cert)
{
  return g_bytes_equal (cert->subject_der, cert->issuer_der);
}

char *
tls_certificate_describe_key (const TlsCertificate *cert)
{
  return tls_public_key_describe (cert->key);
}

gboolean
tls_certificate_check_signature (const TlsCertificate *cert, const TlsPublicKey *issuer_key,
                                 char **reason)
{
  if (cert->sig_alg == TLS_SIG_ALG_UNKNOWN)
    {
      if (reason != NULL)
        *reason = g_strdup_printf (_("the signature algorithm %s is not supported"),
                                   oid_label (cert->sig_oid));
      return FALSE;
    }
  return tls_sig_verify (cert->sig_alg, issuer_key,
                         g_bytes_get_data (cert->tbs, NULL), g_bytes_get_size (cert->tbs),
                         g_bytes_get_data (cert->sig, NULL), g_bytes_get_size (cert->sig),
                         reason);
}

gboolean
tls_certificate_get_basic_constraints (const TlsCertificate *cert, gboolean *ca, int *path_len)
{
  if (ca)
    *ca = cert->has_bc && cert->ca;
  if (path_len)
    *path_len = cert->has_bc ? cert->path_len : -1;
  return cert->has_bc;
}

gboolean
tls_certificate_get_key_usage (const TlsCertificate *cert, guint *bits)
{
  if (bits)
    *bits = cert->has_ku ? cert->ku : 0;
  return cert->has_ku;
}

const char * const *
tls_certificate_get_ext_key_usage (const TlsCertificate *cert)
{
  return (const char * const *) cert->eku;
}

gboolean
tls_certificate_has_ext_key_usage (const TlsCertificate *cert, const char *oid)
{
  return cert->eku != NULL && g_strv_contains ((const char * const *) cert->eku, oid);
}

const char * const *
tls_certificate_get_dns_names (const TlsCertificate *cert)
{
  return (const char * const *) cert->dns;
}

GPtrArray *
tls_certificate_get_ip_addresses (const TlsCertificate *cert)
{
  return cert->ips;
}

/* Here rather than in crypto/tls-keys.c: a key knows nothing of certificates. */
gboolean
tls_private_key_matches_certificate (const TlsPrivateKey *key, const TlsCertificate *cert,
                                     GError **error)
{
  const TlsPublicKey *pub = tls_certificate_get_public_key (cert);

  if (pub->type != key->type)
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_MISMATCH,
                   _("the private key is %s but the certificate's key is %s"),
                   tls_pk_alg_name (key->type), tls_pk_alg_name (pub->type));
      return FALSE;
    }
  if (!tls_private_key_matches (key, pub))
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_MISMATCH,
                   _("the private key is not the one of the certificate “%s”"),
                   tls_certificate_get_subject (cert));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
tls_certificate_get_alt_names (const TlsCertificate *cert)
{
  return cert->alt_names;
}

gboolean
tls_certificate_get_name_constraints (const TlsCertificate *cert, GPtrArray **permitted,
                                      GPtrArray **excluded, const char **odd)
{
  if (permitted)
    *permitted = cert->nc_permitted;
  if (excluded)
    *excluded = cert->nc_excluded;
  if (odd)
    *odd = cert->nc_odd;
  return cert->has_nc;
}

gboolean
tls_certificate_has_extension (const TlsCertificate *cert, const char *oid, gboolean *critical)
{
  int v = cert->ext_critical ? GPOINTER_TO_INT (g_hash_table_lookup (cert->ext_critical, oid)) : 0;

  if (critical)
    *critical = v == 2;
  return v != 0;
}

const char *
tls_certificate_get_aia_problem (const TlsCertificate *cert)
{
  return cert->aia_problem;
}

GBytes *
tls_certificate_get_serial_der (const TlsCertificate *cert)
{
  return cert->serial_der;
}
