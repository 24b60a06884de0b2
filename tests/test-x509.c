/* test-x509.c — PEM and X.509 decoding: values against what OpenSSL says,
 * field spans, signatures, and mangled DER that must never crash. */
#include "tls-asn1.h"
#include "tls-pem.h"
#include "tls-x509.h"

#include <string.h>

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "x509", name, NULL);
}

static TlsCertificate *
load_cert (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) certs = tls_certificate_list_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (certs);
  return tls_certificate_ref (g_ptr_array_index (certs, 0));
}

/* ------------------------------------------------------------------ */
/* What each test certificate holds (see data/x509/make.sh)            */

typedef struct
{
  const char *file;
  guint       version;
  TlsPkAlg    key;
  guint       bits;
  TlsSigAlg   sig;
  int         ca;           /* -1: no basicConstraints */
  int         path_len;
  int         ku;           /* -1: no keyUsage */
  const char *eku;          /* comma-separated names, NULL: none */
  const char *dns;          /* comma-separated, NULL: no SAN */
  guint       n_ips;
  const char *unknown_crit;
  const char *issuer_file;  /* whose key signed it */
} CertCase;

#define KU_LEAF (TLS_KU_DIGITAL_SIGNATURE | TLS_KU_KEY_ENCIPHERMENT)
#define KU_CA   (TLS_KU_KEY_CERT_SIGN | TLS_KU_CRL_SIGN)

static const CertCase cert_cases[] = {
  { "root-rsa.pem", 3, TLS_PK_RSA, 2048, TLS_SIG_ALG_RSA_SHA256, 1, -1, KU_CA, NULL, NULL, 0, NULL, "root-rsa.pem" },
  { "inter-rsa.pem", 3, TLS_PK_RSA, 2048, TLS_SIG_ALG_RSA_SHA384, 1, 0,
    KU_CA | TLS_KU_DIGITAL_SIGNATURE, NULL, NULL, 0, NULL, "root-rsa.pem" },
  { "server-rsa.pem", 3, TLS_PK_RSA, 2048, TLS_SIG_ALG_RSA_SHA256, 0, -1, KU_LEAF,
    TLS_OID_KP_SERVER_AUTH "," TLS_OID_KP_CLIENT_AUTH, "localhost,*.example.test", 2, NULL, "inter-rsa.pem" },
  { "server-dsa.pem", 3, TLS_PK_DSA, 2048, TLS_SIG_ALG_RSA_SHA256, 0, -1, KU_LEAF,
    TLS_OID_KP_SERVER_AUTH "," TLS_OID_KP_CLIENT_AUTH, "localhost,*.example.test", 2, NULL, "inter-rsa.pem" },
  { "server-ec.pem", 3, TLS_PK_EC, 256, TLS_SIG_ALG_RSA_SHA256, 0, -1, KU_LEAF,
    TLS_OID_KP_SERVER_AUTH "," TLS_OID_KP_CLIENT_AUTH, "localhost,*.example.test", 2, NULL, "inter-rsa.pem" },
  { "unknown-crit.pem", 3, TLS_PK_RSA, 2048, TLS_SIG_ALG_RSA_SHA256, 0, -1, -1, NULL,
    "unknown.example.test", 0, "1.3.6.1.4.1.55555.1.1", "inter-rsa.pem" },
  { "ec384.pem", 3, TLS_PK_EC, 384, TLS_SIG_ALG_ECDSA_SHA384, 0, -1, TLS_KU_DIGITAL_SIGNATURE, NULL,
    "self.example.test", 0, NULL, "ec384.pem" },
  { "ec256-sha256.pem", 3, TLS_PK_EC, 256, TLS_SIG_ALG_ECDSA_SHA256, 0, -1, TLS_KU_DIGITAL_SIGNATURE, NULL,
    "self.example.test", 0, NULL, "ec256-sha256.pem" },
  { "dsa1024-sha1.pem", 3, TLS_PK_DSA, 1024, TLS_SIG_ALG_DSA_SHA1, 0, -1, TLS_KU_DIGITAL_SIGNATURE, NULL,
    "self.example.test", 0, NULL, "dsa1024-sha1.pem" },
  { "dsa-sha256.pem", 3, TLS_PK_DSA, 2048, TLS_SIG_ALG_DSA_SHA256, 0, -1, TLS_KU_DIGITAL_SIGNATURE, NULL,
    "self.example.test", 0, NULL, "dsa-sha256.pem" },
  { "rsa-sha1.pem", 3, TLS_PK_RSA, 2048, TLS_SIG_ALG_RSA_SHA1, 0, -1, TLS_KU_DIGITAL_SIGNATURE, NULL,
    "self.example.test", 0, NULL, "rsa-sha1.pem" },
  { "rsa-sha512.pem", 3, TLS_PK_RSA, 2048, TLS_SIG_ALG_RSA_SHA512, 0, -1, TLS_KU_DIGITAL_SIGNATURE, NULL,
    "self.example.test", 0, NULL, "rsa-sha512.pem" },
  { "v1.pem", 1, TLS_PK_RSA, 2048, TLS_SIG_ALG_RSA_SHA256, -1, -1, -1, NULL, NULL, 0, NULL, "root-rsa.pem" },
};

static void
check_string_list (const char * const *have, const char *want)
{
  g_auto (GStrv) w = NULL;

  if (want == NULL)
    {
      g_assert_null (have);
      return;
    }
  g_assert_nonnull (have);
  w = g_strsplit (want, ",", -1);
  g_assert_cmpuint (g_strv_length ((GStrv) have), ==, g_strv_length (w));
  for (guint i = 0; w[i]; i++)
    g_assert_cmpstr (have[i], ==, w[i]);
}

static void
test_values (gconstpointer data)
{
  const CertCase *tc = data;
  g_autoptr (TlsCertificate) cert = load_cert (tc->file);
  g_autoptr (TlsCertificate) issuer = load_cert (tc->issuer_file);
  g_autofree char *reason = NULL;
  gboolean ca = FALSE;
  int path_len = -2;
  guint ku = 0;

  g_test_summary ("A test certificate decodes to the version, key, algorithm and extensions it was made with");
  g_assert_cmpuint (tls_certificate_get_version (cert), ==, tc->version);
  g_assert_cmpint (tls_certificate_get_key_type (cert), ==, tc->key);
  g_assert_cmpuint (tls_certificate_get_key_bits (cert), ==, tc->bits);
  g_assert_cmpint (tls_certificate_get_signature_algorithm (cert), ==, tc->sig);
  g_assert_true (tls_certificate_signature_algorithms_agree (cert));
  g_assert_null (tls_certificate_get_public_key (cert)->problem);

  g_assert_cmpint (tls_certificate_get_basic_constraints (cert, &ca, &path_len), ==, tc->ca >= 0);
  if (tc->ca >= 0)
    {
      g_assert_cmpint (ca, ==, tc->ca);
      g_assert_cmpint (path_len, ==, tc->path_len);
    }
  g_assert_cmpint (tls_certificate_get_key_usage (cert, &ku), ==, tc->ku >= 0);
  if (tc->ku >= 0)
    g_assert_cmpuint (ku, ==, (guint) tc->ku);
  check_string_list (tls_certificate_get_ext_key_usage (cert), tc->eku);
  check_string_list (tls_certificate_get_dns_names (cert), tc->dns);
  g_assert_cmpint (tls_certificate_has_subject_alt_name (cert), ==, tc->dns != NULL);
  if (tc->dns != NULL)
    g_assert_cmpuint (tls_certificate_get_ip_addresses (cert)->len, ==, tc->n_ips);
  g_assert_cmpstr (tls_certificate_get_unknown_critical (cert), ==, tc->unknown_crit);

  /* the issuer's key verifies it; another key does not */
  g_assert_true (tls_certificate_check_signature (cert, tls_certificate_get_public_key (issuer), &reason));
  g_assert_null (reason);
  if (tc->key == TLS_PK_RSA && strcmp (tc->file, tc->issuer_file) != 0)
    {
      g_assert_false (tls_certificate_check_signature (cert, tls_certificate_get_public_key (cert), &reason));
      g_assert_nonnull (reason);
    }
}

/* ------------------------------------------------------------------ */
/* Against `openssl x509` run now                                      */

static char *
openssl_x509 (const char *path)
{
  const char *argv[] = { "openssl", "x509", "-in", path, "-noout", "-serial", "-subject",
                         "-issuer", "-startdate", "-enddate", "-nameopt", "RFC2253",
                         "-dateopt", "iso_8601", NULL };
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error) || !g_spawn_check_wait_status (status, NULL))
    {
      g_free (out);
      return NULL;
    }
  return out;
}

static char *
line_value (const char *text, const char *key)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *prefix = g_strconcat (key, "=", NULL);

  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));
  return NULL;
}

static gint64
iso_time (const char *s)
{
  g_autofree char *t = g_strdup (s);
  g_autoptr (GDateTime) dt = NULL;

  g_strdelimit (t, " ", 'T');
  dt = g_date_time_new_from_iso8601 (t, NULL);
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static char *
without_spaces_after_commas (const char *s)
{
  g_auto (GStrv) parts = g_strsplit (s, ", ", -1);
  return g_strjoinv (",", parts);
}

static void
test_openssl (gconstpointer data)
{
  const CertCase *tc = data;
  g_autofree char *path = data_path (tc->file);
  g_autoptr (TlsCertificate) cert = load_cert (tc->file);
  g_autofree char *out = NULL;
  g_autofree char *serial = NULL, *subject = NULL, *issuer = NULL, *nb = NULL, *na = NULL;
  g_autofree char *ours_serial = NULL, *ours_subject = NULL, *ours_issuer = NULL;
  const char *s;

  g_test_summary ("Serial, subject, issuer and validity agree with `openssl x509` run on the same file");
  g_autofree char *prog = g_find_program_in_path ("openssl");

  if (prog == NULL || (out = openssl_x509 (path)) == NULL)
    {
      g_test_skip ("openssl x509 is not available");
      return;
    }
  serial = line_value (out, "serial");
  subject = line_value (out, "subject");
  issuer = line_value (out, "issuer");
  nb = line_value (out, "notBefore");
  na = line_value (out, "notAfter");

  /* OpenSSL prints the number: without the 00 that keeps DER positive */
  s = tls_certificate_get_serial (cert);
  while (strlen (s) > 2 && s[0] == '0' && s[1] == '0')
    s += 2;
  ours_serial = g_ascii_strup (s, -1);
  g_assert_cmpstr (ours_serial, ==, serial);
  ours_subject = without_spaces_after_commas (tls_certificate_get_subject (cert));
  ours_issuer = without_spaces_after_commas (tls_certificate_get_issuer (cert));
  g_assert_cmpstr (ours_subject, ==, subject);
  g_assert_cmpstr (ours_issuer, ==, issuer);
  g_assert_cmpint (tls_certificate_get_not_before (cert), ==, iso_time (nb));
  g_assert_cmpint (tls_certificate_get_not_after (cert), ==, iso_time (na));
}

/* ------------------------------------------------------------------ */
/* Field spans                                                          */

static void
check_inside (const TlsField *f, gsize lo, gsize hi)
{
  g_assert_cmpuint (f->offset, >=, lo);
  g_assert_cmpuint (f->offset + f->length, <=, hi);
  g_assert_cmpuint (f->length, >, 0);
  for (guint i = 0; i < tls_field_n_children (f); i++)
    check_inside (tls_field_child (f, i), f->offset, f->offset + f->length);
}

static const guint8 *
span_contents (const guint8 *der, const TlsField *f, gsize *n)
{
  gsize hdr = 0;

  g_assert_true (tls_asn1_contents (der + f->offset, f->length, &hdr, n));
  g_assert_cmpuint (hdr + *n, ==, f->length);
  return der + f->offset + hdr;
}

static void
test_spans (void)
{
  g_autoptr (TlsCertificate) cert = load_cert ("server-rsa.pem");
  TlsField *root = (TlsField *) tls_certificate_get_fields (cert);
  GBytes *der_b = tls_certificate_get_der (cert);
  gsize len, n;
  const guint8 *der = g_bytes_get_data (der_b, &len);
  const guint8 *p;
  TlsField *f;
  g_autofree char *hex = NULL;

  g_test_summary ("Every field lies inside its parent and the DER, and covers what it claims");
  g_assert_cmpuint (root->offset, ==, 0);
  g_assert_cmpuint (root->length, ==, len);
  check_inside (root, 0, len);

  /* serialNumber: the field's bytes decode back to the serial */
  f = tls_field_find (root, "tbsCertificate/serialNumber");
  g_assert_nonnull (f);
  g_assert_cmpuint (der[f->offset], ==, 0x02);   /* INTEGER */
  p = span_contents (der, f, &n);
  hex = tls_hex (p, n);
  g_assert_cmpstr (hex, ==, tls_certificate_get_serial (cert));
  g_assert_cmpstr (hex, ==, "00c0ffee01");

  /* tbsCertificate: exactly the signed bytes */
  f = tls_field_find (root, "tbsCertificate");
  g_assert_cmpmem (der + f->offset, f->length,
                   g_bytes_get_data (tls_certificate_get_tbs_der (cert), NULL),
                   g_bytes_get_size (tls_certificate_get_tbs_der (cert)));

  /* subject and issuer: exactly the Name DER */
  f = tls_field_find (root, "tbsCertificate/subject");
  g_assert_cmpmem (der + f->offset, f->length,
                   g_bytes_get_data (tls_certificate_get_subject_der (cert), NULL),
                   g_bytes_get_size (tls_certificate_get_subject_der (cert)));
  g_assert_cmpstr (f->value, ==, "CN=localhost, OU=Servers, O=Handshake Lab Tests, C=XX");
  f = tls_field_find (root, "tbsCertificate/issuer");
  g_assert_cmpmem (der + f->offset, f->length,
                   g_bytes_get_data (tls_certificate_get_issuer_der (cert), NULL),
                   g_bytes_get_size (tls_certificate_get_issuer_der (cert)));

  /* the commonName attribute's value is the string "localhost" */
  f = tls_field_find (root, "tbsCertificate/subject");
  f = tls_field_find (f, "commonName");
  g_assert_nonnull (f);
  f = tls_field_find (f, "value");
  p = span_contents (der, f, &n);
  g_assert_cmpmem (p, n, "localhost", 9);

  /* the modulus, inside the BIT STRING: the key's n */
  f = tls_field_find (root, "tbsCertificate/subjectPublicKeyInfo/subjectPublicKey/modulus");
  g_assert_nonnull (f);
  p = span_contents (der, f, &n);
  {
    const TlsPublicKey *key = tls_certificate_get_public_key (cert);
    g_assert_cmpuint (n, ==, 257);   /* 00 + 256 bytes */
    g_assert_cmpuint (p[0], ==, 0);
    g_assert_cmpuint (nettle_mpz_sizeinbase_256_u (key->rsa.n), ==, 256);
  }
  f = tls_field_find (root, "tbsCertificate/subjectPublicKeyInfo/subjectPublicKey/publicExponent");
  p = span_contents (der, f, &n);
  g_assert_cmpmem (p, n, "\x01\x00\x01", 3);
  g_assert_cmpstr (f->value, ==, "65537");

  /* validity and extensions read as they should */
  f = tls_field_find (root, "tbsCertificate/validity/notBefore");
  g_assert_nonnull (f);
  g_assert_true (g_str_has_suffix (f->value, "(UTCTime)"));
  f = tls_field_find (root, "tbsCertificate/extensions/basicConstraints");
  g_assert_nonnull (f);
  g_assert_cmpstr (f->value, ==, "critical, CA:FALSE");
  f = tls_field_find (root, "tbsCertificate/extensions/keyUsage");
  g_assert_cmpstr (f->value, ==, "critical, digitalSignature, keyEncipherment");
  f = tls_field_find (root, "tbsCertificate/extensions/subjectAltName");
  g_assert_cmpstr (f->value, ==, "not critical, DNS:localhost, DNS:*.example.test, IP:127.0.0.1, IP:0:0:0:0:0:0:0:1");
  f = tls_field_find (root, "tbsCertificate/extensions/subjectAltName/extnValue/dNSName");
  p = span_contents (der, f, &n);
  g_assert_cmpmem (p, n, "localhost", 9);
  f = tls_field_find (root, "signatureValue");
  g_assert_cmpuint (f->offset + f->length, ==, len);
}

static void
test_spans_all (gconstpointer data)
{
  const CertCase *tc = data;
  g_autoptr (TlsCertificate) cert = load_cert (tc->file);
  gsize len = g_bytes_get_size (tls_certificate_get_der (cert));

  g_test_summary ("Field spans nest inside the DER for every test certificate");
  check_inside (tls_certificate_get_fields (cert), 0, len);
}

static void
test_generalized_time (void)
{
  g_autoptr (TlsCertificate) root = load_cert ("root-rsa.pem");
  TlsField *f = tls_field_find ((TlsField *) tls_certificate_get_fields (root), "tbsCertificate/validity/notAfter");

  g_test_summary ("A notAfter after 2049 is a GeneralizedTime and reads as such");
  g_assert_true (g_str_has_suffix (f->value, "(GeneralizedTime)"));
  g_assert_cmpint (tls_certificate_get_not_after (root), >, G_GINT64_CONSTANT (2524608000)); /* 2050 */
  g_assert_true (tls_certificate_is_self_issued (root));
}

static void
test_chain_file (void)
{
  g_autofree char *path = data_path ("server-rsa-chain.pem");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) certs = tls_certificate_list_from_file (path, &error);
  g_autofree char *desc = NULL;

  g_test_summary ("A chain file gives its certificates in order, leaf first");
  g_assert_no_error (error);
  g_assert_cmpuint (certs->len, ==, 2);
  g_assert_cmpstr (tls_certificate_get_subject (g_ptr_array_index (certs, 0)), ==,
                   "CN=localhost, OU=Servers, O=Handshake Lab Tests, C=XX");
  g_assert_cmpstr (tls_certificate_get_subject (g_ptr_array_index (certs, 1)), ==,
                   "CN=Test Intermediate CA, OU=CA, O=Handshake Lab Tests, C=XX");
  g_assert_true (g_bytes_equal (tls_certificate_get_issuer_der (g_ptr_array_index (certs, 0)),
                                tls_certificate_get_subject_der (g_ptr_array_index (certs, 1))));
  desc = tls_certificate_describe_key (g_ptr_array_index (certs, 0));
  g_assert_cmpstr (desc, ==, "RSA 2048 bits");
}

static void
test_key_ids (void)
{
  g_autoptr (TlsCertificate) leaf = load_cert ("server-rsa.pem");
  g_autoptr (TlsCertificate) inter = load_cert ("inter-rsa.pem");

  g_test_summary ("The leaf's authorityKeyIdentifier is the intermediate's subjectKeyIdentifier");
  g_assert_nonnull (tls_certificate_get_authority_key_id (leaf));
  g_assert_true (g_bytes_equal (tls_certificate_get_authority_key_id (leaf),
                                tls_certificate_get_subject_key_id (inter)));
  g_assert_cmpuint (g_bytes_get_size (tls_certificate_get_subject_key_id (leaf)), ==, 20);
}

static void
test_ip_addresses (void)
{
  g_autoptr (TlsCertificate) cert = load_cert ("server-rsa.pem");
  GPtrArray *ips = tls_certificate_get_ip_addresses (cert);
  const guint8 v4[] = { 127, 0, 0, 1 };
  const guint8 v6[16] = { [15] = 1 };

  g_test_summary ("iPAddress entries are the raw 4 and 16 bytes");
  g_assert_cmpuint (ips->len, ==, 2);
  g_assert_cmpmem (g_bytes_get_data (ips->pdata[0], NULL), g_bytes_get_size (ips->pdata[0]), v4, 4);
  g_assert_cmpmem (g_bytes_get_data (ips->pdata[1], NULL), g_bytes_get_size (ips->pdata[1]), v6, 16);
}

/* ------------------------------------------------------------------ */
/* PEM                                                                  */

static void
test_pem_errors (void)
{
  static const struct
  {
    const char *text;
    int         code;
    const char *in_message;
  } cases[] = {
    { "hello\n", TLS_PKI_ERROR_NO_PEM, "no PEM block" },
    { "-----BEGIN CERTIFICATE-----\nAAAA\n", TLS_PKI_ERROR_BAD_PEM, "no “-----END CERTIFICATE-----”" },
    { "-----BEGIN CERTIFICATE-----\nAA*A\n-----END CERTIFICATE-----\n", TLS_PKI_ERROR_BAD_BASE64, "not base64" },
    { "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n", TLS_PKI_ERROR_BAD_BASE64, "cut short" },
    { "-----BEGIN CERTIFICATE-----\nA=AA\n-----END CERTIFICATE-----\n", TLS_PKI_ERROR_BAD_BASE64, "not base64" },
    { "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", TLS_PKI_ERROR_BAD_BASE64, "empty" },
    { "-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n", TLS_PKI_ERROR_BAD_PEM, "ends with" },
    { "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", TLS_PKI_ERROR_NO_PEM, "labelled" },
  };

  g_test_summary ("Broken PEM gives an error that names the problem");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      GPtrArray *blocks = tls_pem_decode (cases[i].text, strlen (cases[i].text), "CERTIFICATE", &error);

      g_assert_null (blocks);
      g_assert_error (error, TLS_PKI_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].in_message) == NULL)
        g_error ("case %" G_GSIZE_FORMAT ": “%s” lacks “%s”", i, error->message, cases[i].in_message);
    }
}

static void
test_pem_roundtrip (void)
{
  const guint8 der[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) blocks = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *with_junk = NULL;
  TlsPemBlock *b;

  g_test_summary ("PEM encoding reads back; text around blocks and CRLF line ends are fine");
  text = tls_pem_encode ("TEST", der, sizeof der);
  with_junk = g_strdup_printf ("Bag Attributes\r\n  localKeyID: 01\r\n%s", text);
  {
    g_auto (GStrv) lines = g_strsplit (with_junk, "\n", -1);
    g_free (with_junk);
    with_junk = g_strjoinv ("\r\n", lines);
  }
  blocks = tls_pem_decode (with_junk, strlen (with_junk), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (blocks->len, ==, 1);
  b = g_ptr_array_index (blocks, 0);
  g_assert_cmpstr (b->label, ==, "TEST");
  g_assert_null (b->headers);
  g_assert_cmpmem (g_bytes_get_data (b->der, NULL), g_bytes_get_size (b->der), der, sizeof der);
}

static void
test_not_a_certificate (void)
{
  static const char *const bad_hex[] = {
    "",
    "30",
    "3000",
    "300300",
    "020105",
    "3080020100",                 /* BER indefinite length */
    "30820003020101",             /* non-minimal length */
  };

  g_test_summary ("Things that are not certificates are refused with BAD_DER");
  for (gsize i = 0; i < G_N_ELEMENTS (bad_hex); i++)
    {
      g_autoptr (GBytes) b = tls_bytes_from_hex (bad_hex[i]);
      g_autoptr (GError) error = NULL;
      TlsCertificate *cert = tls_certificate_new_from_der (b, &error);

      g_assert_null (cert);
      g_assert_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_DER);
    }
}

/* ------------------------------------------------------------------ */
/* Mangled DER                                                          */

static guint n_accepted, n_refused;

static void
try_decode (const guint8 *der, gsize len)
{
  g_autoptr (GBytes) b = g_bytes_new (der, len);
  GError *error = NULL;
  TlsCertificate *cert = tls_certificate_new_from_der (b, &error);

  if (cert != NULL)
    {
      /* a certificate that decodes must be whole */
      g_assert_no_error (error);
      g_assert_nonnull (tls_certificate_get_subject (cert));
      g_assert_nonnull (tls_certificate_get_public_key (cert));
      check_inside (tls_certificate_get_fields (cert), 0, len);
      tls_certificate_free (cert);
      n_accepted++;
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TLS_PKI_ERROR);
      g_error_free (error);
      n_refused++;
    }
}

static void
test_corruption (gconstpointer data)
{
  const CertCase *tc = data;
  g_autoptr (TlsCertificate) cert = load_cert (tc->file);
  gsize len;
  const guint8 *orig = g_bytes_get_data (tls_certificate_get_der (cert), &len);
  g_autofree guint8 *buf = g_memdup2 (orig, len);
  static const guint8 flips[] = { 0x01, 0x80, 0xff };
  GRand *rand = g_rand_new_with_seed (len);

  g_test_summary ("Truncations at every length and byte flips at every offset give an error "
                  "or a certificate, never a crash");
  n_accepted = n_refused = 0;
  for (gsize n = 0; n < len; n++)
    {
      g_autoptr (GBytes) b = g_bytes_new (orig, n);
      g_autoptr (GError) error = NULL;
      g_assert_null (tls_certificate_new_from_der (b, &error));
      g_assert_nonnull (error);
    }
  for (gsize i = 0; i < len; i++)
    for (gsize k = 0; k < G_N_ELEMENTS (flips); k++)
      {
        buf[i] ^= flips[k];
        try_decode (buf, len);
        buf[i] ^= flips[k];
      }
  /* bounded random multi-byte damage, and a longer buffer */
  for (guint round = 0; round < 2000; round++)
    {
      memcpy (buf, orig, len);
      for (guint j = 0, m = g_rand_int_range (rand, 2, 8); j < m; j++)
        buf[g_rand_int_range (rand, 0, len)] = g_rand_int_range (rand, 0, 256);
      try_decode (buf, len);
    }
  {
    g_autofree guint8 *longer = g_malloc0 (len + 1);
    memcpy (longer, orig, len);
    try_decode (longer, len + 1);
    g_assert_cmpuint (n_refused, >, 0);
  }
  g_rand_free (rand);
  g_test_message ("%s: %u mangled copies refused, %u still decode", tc->file, n_refused, n_accepted);
}

/* Every certificate of the demo PKI (data/pki), mangled. */
static void
test_demo_pki_corruption (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "data", "pki", NULL);
  const char *subdirs[] = { "", "ca" };
  guint n_files = 0;

  g_test_summary ("Every demo PKI certificate decodes, and its truncations and byte flips never crash");
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("data/pki is not there");
      return;
    }
  for (gsize d = 0; d < G_N_ELEMENTS (subdirs); d++)
    {
      g_autofree char *path = g_build_filename (dir, subdirs[d], NULL);
      g_autoptr (GDir) gdir = g_dir_open (path, 0, NULL);
      const char *name;

      while (gdir != NULL && (name = g_dir_read_name (gdir)) != NULL)
        {
          g_autofree char *file = NULL;
          g_autoptr (GPtrArray) certs = NULL;
          g_autoptr (GError) error = NULL;
          g_autofree guint8 *buf = NULL;
          const guint8 *orig;
          gsize len;

          if (!g_str_has_suffix (name, ".crt"))
            continue;
          file = g_build_filename (path, name, NULL);
          certs = tls_certificate_list_from_file (file, &error);
          g_assert_no_error (error);
          orig = g_bytes_get_data (tls_certificate_get_der (g_ptr_array_index (certs, 0)), &len);
          buf = g_memdup2 (orig, len);
          for (gsize n = 0; n < len; n += 3)
            {
              g_autoptr (GBytes) b = g_bytes_new (orig, n);
              g_autoptr (GError) e = NULL;
              g_assert_null (tls_certificate_new_from_der (b, &e));
            }
          for (gsize i = 0; i < len; i++)
            {
              buf[i] ^= 0x80;
              try_decode (buf, len);
              buf[i] ^= 0x80;
            }
          n_files++;
        }
    }
  g_test_message ("%u demo PKI certificates mangled", n_files);
  g_assert_cmpuint (n_files, >, 10);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cert_cases); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/x509/values/%s", cert_cases[i].file);
      g_autofree char *p2 = g_strdup_printf ("/x509/openssl/%s", cert_cases[i].file);
      g_autofree char *p3 = g_strdup_printf ("/x509/spans/%s", cert_cases[i].file);
      g_autofree char *p4 = g_strdup_printf ("/x509/corruption/%s", cert_cases[i].file);
      g_test_add_data_func (p1, &cert_cases[i], test_values);
      g_test_add_data_func (p2, &cert_cases[i], test_openssl);
      g_test_add_data_func (p3, &cert_cases[i], test_spans_all);
      g_test_add_data_func (p4, &cert_cases[i], test_corruption);
    }
  g_test_add_func ("/x509/spans", test_spans);
  g_test_add_func ("/x509/generalized-time", test_generalized_time);
  g_test_add_func ("/x509/chain-file", test_chain_file);
  g_test_add_func ("/x509/key-ids", test_key_ids);
  g_test_add_func ("/x509/ip-addresses", test_ip_addresses);
  g_test_add_func ("/x509/not-a-certificate", test_not_a_certificate);
  g_test_add_func ("/x509/demo-pki-corruption", test_demo_pki_corruption);
  g_test_add_func ("/pem/errors", test_pem_errors);
  g_test_add_func ("/pem/roundtrip", test_pem_roundtrip);
  return g_test_run ();
}
