/* tls-asn1.c — libtasn1 with our own module (protocol/asn1/pkix.asn). */
#include "tls-asn1.h"
#include "tls-pem.h"

#include <glib/gi18n-lib.h>
#include <nettle/bignum.h>
#include <string.h>

/* Made at build time from pkix.asn by asn1Parser (protocol/meson.build). */
extern const asn1_static_node pkix_asn1_tab[];

#define MODULE "HandshakeLab-PKIX."

asn1_node_const
tls_asn1_definitions (void)
{
  static gsize once = 0;
  static asn1_node defs = NULL;

  if (g_once_init_enter (&once))
    {
      char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
      int rc = asn1_array2tree (pkix_asn1_tab, &defs, err);

      /* The module is part of the program: failing to load it is a bug. */
      if (rc != ASN1_SUCCESS)
        g_error ("pkix.asn does not load: %s (%s)", asn1_strerror (rc), err);
      g_once_init_leave (&once, 1);
    }
  return defs;
}

/* DER's rules (X.690, 10 and 11) checked on every TLV, since libtasn1's
 * strict mode lets some through (a long-form length where the short form
 * fits, for one).  Constructed values are walked into; primitive contents
 * are checked for INTEGER, BOOLEAN and BIT STRING.  Returns NULL, or what
 * is wrong and *AT where. */
static const char *
der_check (const guint8 *p, gsize len, gsize base, guint depth, gsize *at)
{
  gsize pos = 0;

  if (depth > 64)
    {
      *at = base;
      return N_("values nested too deep");
    }
  while (pos < len)
    {
      gsize start = pos, n = 0, hdr;
      guint8 tag = p[pos++];
      gboolean constructed = (tag & 0x20) != 0;
      const char *why;

      *at = base + start;
      if ((tag & 0x1f) == 0x1f)
        {
          /* high tag number: base 128, no leading 0x80, and only for
           * numbers of 31 and more (X.690, 8.1.2.3 and 8.1.2.4.2) */
          gsize number = 0;

          if (pos >= len || p[pos] == 0x80)
            return N_("a badly encoded tag");
          while (pos < len && (p[pos] & 0x80) && number < G_MAXUINT32)
            number = number << 7 | (p[pos++] & 0x7f);
          if (pos >= len)
            return N_("a badly encoded tag");
          number = number << 7 | p[pos++];
          if (number < 31)
            return N_("a badly encoded tag");
        }
      if (pos >= len)
        return N_("a tag without a length");
      if (p[pos] < 0x80)
        n = p[pos++];
      else
        {
          guint nb = p[pos++] & 0x7f;

          /* X.690, 10.1: definite form, the fewest octets */
          if (nb == 0)
            return N_("an indefinite length (BER, not DER)");
          if (nb > sizeof (gsize) - 1 || nb > len - pos || p[pos] == 0)
            return N_("a length not in its shortest form");
          for (guint i = 0; i < nb; i++)
            n = n << 8 | p[pos++];
          if (n < 0x80)
            return N_("a length not in its shortest form");
        }
      if (n > len - pos)
        return N_("a length beyond the end of the data");
      hdr = pos - start;
      if (constructed)
        {
          why = der_check (p + pos, n, base + pos, depth + 1, at);
          if (why != NULL)
            return why;
        }
      else if (tag == 0x02 || tag == 0x0a)
        {
          /* INTEGER and ENUMERATED: X.690, 8.3.2, the shortest two's complement */
          if (n == 0 || (n > 1 && ((p[pos] == 0 && !(p[pos + 1] & 0x80))
                                   || (p[pos] == 0xff && (p[pos + 1] & 0x80)))))
            return N_("an INTEGER not in its shortest form");
        }
      else if (tag == 0x01)
        {
          /* BOOLEAN: X.690, 11.1, FALSE is 00 and TRUE is ff */
          if (n != 1 || (p[pos] != 0 && p[pos] != 0xff))
            return N_("a BOOLEAN that is not 00 or ff");
        }
      else if (tag == 0x03)
        {
          /* BIT STRING: 0..7 unused bits, none in an empty string, and
           * those bits zero (X.690, 11.2.1) */
          if (n == 0 || p[pos] > 7 || (n == 1 && p[pos] != 0)
              || (n > 1 && (p[pos + n - 1] & ((1u << p[pos]) - 1)) != 0))
            return N_("a badly encoded BIT STRING");
        }
      (void) hdr;
      pos += n;
    }
  return NULL;
}

asn1_node
tls_asn1_decode (const char *type, const guint8 *der, gsize len,
                 const char *what, GError **error)
{
  g_autofree char *full = g_strconcat (MODULE, type, NULL);
  char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
  asn1_node node = NULL;
  int consumed, rc;

  if (len == 0 || len > G_MAXINT / 2)
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_DER,
                   _("%s: %s bytes of DER"), what, len == 0 ? "0" : _("too many"));
      return NULL;
    }
  {
    gsize at = 0;
    const char *why = der_check (der, len, 0, 0, &at);

    if (why != NULL)
      {
        g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_DER,
                     _("%s: not DER: %s at byte %lu"), what, _(why), (unsigned long) at);
        return NULL;
      }
  }
  rc = asn1_create_element (tls_asn1_definitions (), full, &node);
  if (rc != ASN1_SUCCESS)
    g_error ("pkix.asn has no type %s: %s", type, asn1_strerror (rc));

  consumed = (int) len;
  rc = asn1_der_decoding2 (&node, der, &consumed, ASN1_DECODE_FLAG_STRICT_DER, err);
  if (rc != ASN1_SUCCESS)
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_DER,
                   _("%s: not a valid DER %s (%s%s%s)"), what, type,
                   asn1_strerror (rc), err[0] ? ": " : "", err);
      asn1_delete_structure (&node);
      return NULL;
    }
  if ((gsize) consumed != len)
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_DER,
                   _("%s: %lu bytes after the end of the DER %s"),
                   what, (unsigned long) (len - consumed), type);
      asn1_delete_structure (&node);
      return NULL;
    }
  return node;
}

void
tls_asn1_free (asn1_node node)
{
  if (node != NULL)
    asn1_delete_structure (&node);
}

gboolean
tls_asn1_span (asn1_node node, const guint8 *der, gsize len, const char *name,
               gsize *offset, gsize *length)
{
  int start = 0, end = 0;

  if (name == NULL || name[0] == '\0')
    {
      *offset = 0;
      *length = len;
      return TRUE;
    }
  if (asn1_der_decoding_startEnd (node, der, (int) len, name, &start, &end) != ASN1_SUCCESS
      || start < 0 || end < start || (gsize) end >= len)
    return FALSE;
  *offset = start;
  *length = (gsize) (end - start) + 1;
  return TRUE;
}

TlsField *
tls_asn1_add_field (TlsField *parent, const char *field_name, asn1_node node,
                    const guint8 *der, gsize len, gsize base, const char *name)
{
  gsize off, n;

  if (parent == NULL || !tls_asn1_span (node, der, len, name, &off, &n))
    return NULL;
  return tls_field_add (parent, field_name, base + off, n);
}

gboolean
tls_asn1_contents (const guint8 *der, gsize len, gsize *hdr_len, gsize *content_len)
{
  unsigned char cls;
  int tag_len, len_len;
  unsigned long tag;
  long n;

  if (len == 0 || len > G_MAXINT / 2
      || asn1_get_tag_der (der, (int) len, &cls, &tag_len, &tag) != ASN1_SUCCESS)
    return FALSE;
  n = asn1_get_length_der (der + tag_len, (int) len - tag_len, &len_len);
  if (n < 0 || (gsize) (tag_len + len_len) + (gsize) n > len)
    return FALSE;
  *hdr_len = tag_len + len_len;
  *content_len = n;
  return TRUE;
}

/* Reads any value, allocating what it needs.  *LEN gets the size in bytes
 * (in bits for a BIT STRING, as libtasn1 reports it). */
static guint8 *
read_value (asn1_node node, const char *name, int *len, unsigned int *etype)
{
  guint8 *buf;
  int n = 0, size;
  unsigned int type = 0;
  int rc = asn1_read_value_type (node, name, NULL, &n, &type);

  if (rc != ASN1_MEM_ERROR && rc != ASN1_SUCCESS)
    return NULL;
  size = type == ASN1_ETYPE_BIT_STRING ? (n + 7) / 8 : n;
  buf = g_malloc0 (size + 1);
  n = size;
  if (rc == ASN1_MEM_ERROR
      && asn1_read_value_type (node, name, buf, &n, &type) != ASN1_SUCCESS)
    {
      g_free (buf);
      return NULL;
    }
  if (rc == ASN1_SUCCESS)
    n = 0;       /* an empty value */
  *len = n;
  if (etype)
    *etype = type;
  return buf;
}

gboolean
tls_asn1_present (asn1_node node, const char *name)
{
  int start, end;
  int n = 0;

  if (asn1_find_node (node, name) == NULL)
    return FALSE;
  if (asn1_read_value (node, name, NULL, &n) == ASN1_ELEMENT_NOT_FOUND)
    return FALSE;
  /* a DEFAULT left out reads as its default but has no encoding */
  return asn1_der_decoding_startEnd (node, NULL, 0, name, &start, &end) != ASN1_ELEMENT_NOT_FOUND;
}

GBytes *
tls_asn1_read_bytes (asn1_node node, const char *name)
{
  int len = 0;
  guint8 *buf = read_value (node, name, &len, NULL);

  if (buf == NULL)
    return NULL;
  return g_bytes_new_take (buf, len);
}

char *
tls_asn1_read_string (asn1_node node, const char *name)
{
  int len = 0;
  char *buf = (char *) read_value (node, name, &len, NULL);

  if (buf != NULL)
    buf[len] = '\0';   /* read_value left room */
  return buf;
}

gboolean
tls_asn1_read_bool (asn1_node node, const char *name, gboolean *out)
{
  g_autofree char *s = tls_asn1_read_string (node, name);

  if (s == NULL)
    return FALSE;
  *out = g_str_equal (s, "TRUE");
  return g_str_equal (s, "TRUE") || g_str_equal (s, "FALSE");
}

GBytes *
tls_asn1_read_bits (asn1_node node, const char *name, gsize *n_bits)
{
  int len = 0;
  unsigned int type = 0;
  guint8 *buf = read_value (node, name, &len, &type);

  if (buf == NULL || type != ASN1_ETYPE_BIT_STRING)
    {
      g_free (buf);
      return NULL;
    }
  *n_bits = len;
  return g_bytes_new_take (buf, (len + 7) / 8);
}

gboolean
tls_asn1_read_mpz (asn1_node node, const char *name, mpz_t out)
{
  g_autoptr (GBytes) b = tls_asn1_read_bytes (node, name);
  const guint8 *p;
  gsize n;

  if (b == NULL)
    return FALSE;
  p = g_bytes_get_data (b, &n);
  /* X.690, 8.3.2: the contents octets are the shortest two's complement */
  if (n == 0 || (p[0] & 0x80) != 0)
    return FALSE;
  if (n > 1 && p[0] == 0 && (p[1] & 0x80) == 0)
    return FALSE;
  nettle_mpz_set_str_256_u (out, n, p);
  return TRUE;
}

gboolean
tls_asn1_read_uint (asn1_node node, const char *name, guint *out)
{
  mpz_t v;
  gboolean ok;

  mpz_init (v);
  ok = tls_asn1_read_mpz (node, name, v) && mpz_cmp_ui (v, G_MAXINT32) <= 0;
  if (ok)
    *out = (guint) mpz_get_ui (v);
  mpz_clear (v);
  return ok;
}

static void
write_mpz (asn1_node node, const char *name, const mpz_t v)
{
  gsize n = nettle_mpz_sizeinbase_256_s (v);
  g_autofree guint8 *buf = g_malloc (n);

  nettle_mpz_get_str_256 (n, buf, v);
  if (asn1_write_value (node, name, buf, (int) n) != ASN1_SUCCESS)
    g_error ("asn1_write_value %s", name);
}

GBytes *
tls_asn1_encode_rs (const mpz_t r, const mpz_t s)
{
  asn1_node node = NULL;
  char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
  int len = 0;
  guint8 *buf;

  if (asn1_create_element (tls_asn1_definitions (), MODULE "Dss-Sig-Value", &node) != ASN1_SUCCESS)
    g_error ("pkix.asn has no Dss-Sig-Value");
  write_mpz (node, "r", r);
  write_mpz (node, "s", s);
  asn1_der_coding (node, "", NULL, &len, err);
  buf = g_malloc (len);
  if (asn1_der_coding (node, "", buf, &len, err) != ASN1_SUCCESS)
    g_error ("asn1_der_coding Dss-Sig-Value: %s", err);
  asn1_delete_structure (&node);
  return g_bytes_new_take (buf, len);
}

/* ------------------------------------------------------------------ */
/* Object identifiers                                                  */

static const struct
{
  const char *oid;
  const char *name;
} oid_names[] = {
  /* public key algorithms: RFC 8017, RFC 3279, RFC 5480 */
  { "1.2.840.113549.1.1.1", "rsaEncryption" },
  { "1.2.840.10040.4.1", "id-dsa" },
  { "1.2.840.10045.2.1", "id-ecPublicKey" },
  { "1.2.840.10046.2.1", "dhpublicnumber" },
  { "1.3.101.112", "Ed25519" },
  { "1.3.101.110", "X25519" },
  { "1.2.840.113549.1.1.10", "RSASSA-PSS" },
  /* named curves: RFC 5480, 2.1.1.1 */
  { "1.2.840.10045.3.1.7", "secp256r1" },
  { "1.3.132.0.34", "secp384r1" },
  { "1.3.132.0.35", "secp521r1" },
  /* signature algorithms: RFC 8017, RFC 3279, RFC 5758 */
  { "1.2.840.113549.1.1.4", "md5WithRSAEncryption" },
  { "1.2.840.113549.1.1.5", "sha1WithRSAEncryption" },
  { "1.2.840.113549.1.1.14", "sha224WithRSAEncryption" },
  { "1.2.840.113549.1.1.11", "sha256WithRSAEncryption" },
  { "1.2.840.113549.1.1.12", "sha384WithRSAEncryption" },
  { "1.2.840.113549.1.1.13", "sha512WithRSAEncryption" },
  { "1.2.840.10040.4.3", "dsa-with-sha1" },
  { "2.16.840.1.101.3.4.3.2", "dsa-with-sha256" },
  { "1.2.840.10045.4.1", "ecdsa-with-SHA1" },
  { "1.2.840.10045.4.3.2", "ecdsa-with-SHA256" },
  { "1.2.840.10045.4.3.3", "ecdsa-with-SHA384" },
  { "1.2.840.10045.4.3.4", "ecdsa-with-SHA512" },
  /* name attributes: RFC 5280, appendix A.1; RFC 4519 */
  { "2.5.4.3", "commonName" },
  { "2.5.4.4", "surname" },
  { "2.5.4.5", "serialNumber" },
  { "2.5.4.6", "countryName" },
  { "2.5.4.7", "localityName" },
  { "2.5.4.8", "stateOrProvinceName" },
  { "2.5.4.9", "streetAddress" },
  { "2.5.4.10", "organizationName" },
  { "2.5.4.11", "organizationalUnitName" },
  { "2.5.4.12", "title" },
  { "2.5.4.42", "givenName" },
  { "0.9.2342.19200300.100.1.1", "userId" },
  { "0.9.2342.19200300.100.1.25", "domainComponent" },
  { "1.2.840.113549.1.9.1", "emailAddress" },
  /* extensions: RFC 5280, 4.2 */
  { "2.5.29.14", "subjectKeyIdentifier" },
  { "2.5.29.15", "keyUsage" },
  { "2.5.29.17", "subjectAltName" },
  { "2.5.29.18", "issuerAltName" },
  { "2.5.29.19", "basicConstraints" },
  { "2.5.29.30", "nameConstraints" },
  { "2.5.29.31", "cRLDistributionPoints" },
  { "2.5.29.32", "certificatePolicies" },
  { "2.5.29.35", "authorityKeyIdentifier" },
  { "2.5.29.37", "extendedKeyUsage" },
  { "1.3.6.1.5.5.7.1.1", "authorityInfoAccess" },
  { "1.3.6.1.4.1.11129.2.4.2", "signedCertificateTimestampList" },
  /* key purposes: RFC 5280, 4.2.1.12 */
  { "2.5.29.37.0", "anyExtendedKeyUsage" },
  { "1.3.6.1.5.5.7.3.1", "serverAuth" },
  { "1.3.6.1.5.5.7.3.2", "clientAuth" },
  { "1.3.6.1.5.5.7.3.3", "codeSigning" },
  { "1.3.6.1.5.5.7.3.4", "emailProtection" },
  { "1.3.6.1.5.5.7.3.8", "timeStamping" },
  { "1.3.6.1.5.5.7.3.9", "OCSPSigning" },
};

const char *
tls_oid_name (const char *oid)
{
  if (oid == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (oid_names); i++)
    if (strcmp (oid_names[i].oid, oid) == 0)
      return oid_names[i].name;
  return NULL;
}
