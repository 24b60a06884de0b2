/* fuzz-x509.c — libFuzzer target for certificate parsing (DER, through
 * libtasn1: protocol/x509) and chain building and validation with a pool
 * (tls_verify_chain: RFC 5280 path building over the certificates given,
 * every check run).
 *
 *   byte 0   bit 0: web policy (else rfc5280); bit 1: client purpose;
 *            bit 2: check the host "localhost"
 *   rest     DER certificates one after the other, each a SEQUENCE (its
 *            own length says where the next begins); the first is the
 *            peer's certificate, the others the pool (untrusted), and the
 *            demo root is the trust anchor.  Every certificate parsed has
 *            its fields read and described.
 * The seeds (fuzz/corpus/x509) are the demo PKI's chains in DER. */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

#include "tls-trace.h"
#include "tls-verify.h"
#include "tls-x509.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GPtrArray *
anchors (void)
{
  static GPtrArray *root;

  if (root == NULL)
    {
      const char *d = g_getenv ("HANDSHAKE_LAB_DATADIR");
      g_autofree char *path = g_build_filename (d != NULL ? d : SOURCE_DATADIR, "pki", "ca", "root.crt", NULL);
      root = tls_certificate_list_from_file (path, NULL);
      if (root == NULL)
        abort ();
    }
  return root;
}

/* The length of the DER element at DATA (tag, length, contents), or 0. */
static gsize
der_len (const guint8 *data, gsize size)
{
  gsize len, head;

  if (size < 2)
    return 0;
  if (data[1] < 0x80)
    {
      len = data[1];
      head = 2;
    }
  else
    {
      guint n = data[1] & 0x7f;
      if (n == 0 || n > 3 || size < 2 + n)
        return 0;
      len = 0;
      for (guint i = 0; i < n; i++)
        len = len << 8 | data[2 + i];
      head = 2 + n;
    }
  return head + len <= size ? head + len : size;
}

static void
read_fields (TlsCertificate *cert)
{
  g_autofree char *key = tls_certificate_describe_key (cert);
  GPtrArray *ips = tls_certificate_get_ip_addresses (cert);   /* the certificate's own */
  guint bits;
  gboolean ca;
  int path_len;

  (void) tls_certificate_get_fields (cert);
  (void) tls_certificate_get_subject (cert);
  (void) tls_certificate_get_issuer (cert);
  (void) tls_certificate_get_common_names (cert);
  (void) tls_certificate_get_dns_names (cert);
  (void) tls_certificate_get_ext_key_usage (cert);
  (void) tls_certificate_get_key_usage (cert, &bits);
  (void) tls_certificate_get_basic_constraints (cert, &ca, &path_len);
  (void) tls_certificate_signature_algorithms_agree (cert);
  (void) tls_certificate_get_unknown_critical (cert);
  for (guint i = 0; ips != NULL && i < ips->len; i++)
    (void) g_bytes_get_size (g_ptr_array_index (ips, i));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_certificate_unref);
  g_autoptr (GPtrArray) pool = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_certificate_unref);
  gsize pos = 1;

  if (size < 1)
    return 0;
  while (pos < size && chain->len + pool->len < 8)
    {
      gsize n = der_len (data + pos, size - pos);
      g_autoptr (GBytes) der = NULL;
      TlsCertificate *cert;

      if (n == 0)
        break;
      der = g_bytes_new (data + pos, n);
      pos += n;
      cert = tls_certificate_new_from_der (der, NULL);
      if (cert == NULL)
        continue;
      read_fields (cert);
      g_ptr_array_add (chain->len == 0 ? chain : pool, cert);
    }
  if (chain->len > 0)
    {
      TlsVerifyParams params = { 0 };
      g_autofree char *reason = NULL;
      TlsTrace *trace = tls_trace_new ();

      params.now = G_GINT64_CONSTANT (1798761600);
      params.host = (data[0] & 4) ? "localhost" : NULL;
      params.purpose = (data[0] & 2) ? TLS_PURPOSE_CLIENT : TLS_PURPOSE_SERVER;
      params.kx = TLS_VERIFY_NO_KX;
      params.all_checks = TRUE;
      params.policy = (data[0] & 1) ? TLS_VERIFY_POLICY_WEB : TLS_VERIFY_POLICY_RFC5280;
      tls_verify_chain (&params, chain, anchors (), pool, trace, TLS_ACTOR_CLIENT, &reason);
      tls_trace_free (trace);
    }
  return 0;
}
