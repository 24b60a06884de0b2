/* tls-verify-state.c — small helpers the files of the verifier share. */
#include "tls-verify-state.h"

#include <glib/gi18n-lib.h>

/* A short name for a certificate: its first CN, else its subject. */
const char *
tls_verify_short_name (const TlsCertificate *cert)
{
  const char * const *cns = tls_certificate_get_common_names (cert);

  if (cns != NULL && cns[0] != NULL)
    return cns[0];
  return tls_certificate_get_subject (cert)[0] ? tls_certificate_get_subject (cert) : _("(no subject)");
}

gboolean
tls_verify_same_cert (const TlsCertificate *a, const TlsCertificate *b)
{
  return a == b || g_bytes_equal (tls_certificate_get_der (a), tls_certificate_get_der (b));
}

gboolean
tls_verify_in_array (GPtrArray *arr, const TlsCertificate *cert)
{
  for (guint i = 0; arr != NULL && i < arr->len; i++)
    if (tls_verify_same_cert (g_ptr_array_index (arr, i), cert))
      return TRUE;
  return FALSE;
}

gboolean
tls_verify_is_anchor (const TlsVerifier *v, guint i)
{
  return v->anchored && i == v->path->len - 1;
}

const char *
tls_verify_policy_name (TlsVerifyPolicy policy)
{
  return policy == TLS_VERIFY_POLICY_RFC5280 ? "rfc5280" : "web";
}

gboolean
tls_verify_policy_parse (const char *text, TlsVerifyPolicy *out)
{
  if (g_strcmp0 (text, "web") == 0)
    *out = TLS_VERIFY_POLICY_WEB;
  else if (g_strcmp0 (text, "rfc5280") == 0)
    *out = TLS_VERIFY_POLICY_RFC5280;
  else
    return FALSE;
  return TRUE;
}

void
tls_verify_add_check (TlsVerifier *v, CheckKind kind, guint index, int arg)
{
  Check c = { kind, index, arg };
  g_array_append_val (v->checks, c);
}

