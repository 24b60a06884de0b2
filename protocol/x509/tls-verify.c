/* tls-verify.c — certification path building and validation, check by check. */
#include "tls-verify.h"
#include "tls-verify-state.h"
#include "tls-verify-names.h"
#include "tls-verify-path.h"
#include "tls-verify-profile.h"
#include "tls-alert.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

#define short_name tls_verify_short_name
#define same_cert tls_verify_same_cert
#define in_array tls_verify_in_array

static TlsCertificate *
path_cert (const TlsVerifier *v, guint i)
{
  return g_ptr_array_index (v->path, i);
}

static char *
format_time (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC") : g_strdup_printf ("%" G_GINT64_FORMAT, t);
}

/* ------------------------------------------------------------------ */
/* The seed notes' table (RFC 5246, 7.4.2)                             */

void
tls_verify_kx_needs (TlsKeyExchange kx, TlsPkAlg *key_type, guint *key_usage, TlsPkAlg *signer_type)
{
  TlsPkAlg type = TLS_PK_RSA, signer = TLS_PK_UNKNOWN;
  guint ku = TLS_KU_DIGITAL_SIGNATURE;

  switch (kx)
    {
    case TLS_KX_RSA:           /* "RSA public key; the certificate MUST allow the
                                  key to be used for encryption" */
      ku = TLS_KU_KEY_ENCIPHERMENT;
      break;
    case TLS_KX_DHE_RSA:       /* "RSA public key; the certificate MUST allow the
                                  key to be used for signing" */
    case TLS_KX_ECDHE_RSA:
      break;
    case TLS_KX_DHE_DSS:       /* "DSA public key" */
      type = TLS_PK_DSA;
      break;
    case TLS_KX_ECDHE_ECDSA:   /* RFC 4492, 2.2: "ECDSA-capable public key" */
      type = TLS_PK_EC;
      break;
    case TLS_KX_DH_RSA:        /* "Diffie-Hellman public key; the keyUsage MUST be
                                  keyAgreement"; signed with RSA */
      type = TLS_PK_DH;
      ku = TLS_KU_KEY_AGREEMENT;
      signer = TLS_PK_RSA;
      break;
    case TLS_KX_DH_DSS:        /* ... signed with DSA */
      type = TLS_PK_DH;
      ku = TLS_KU_KEY_AGREEMENT;
      signer = TLS_PK_DSA;
      break;
    default:
      type = TLS_PK_UNKNOWN;
      ku = 0;
      break;
    }
  if (key_type)
    *key_type = type;
  if (key_usage)
    *key_usage = ku;
  if (signer_type)
    *signer_type = signer;
}

/* ------------------------------------------------------------------ */
/* Host names (RFC 6125, 6.4)                                          */

/* Lower case, without one trailing dot (RFC 6125, 6.4.1: "the
 * comparison MUST be performed in a case-insensitive manner"). */
static char *
normalize_name (const char *name)
{
  char *s = g_ascii_strdown (name, -1);
  gsize n = strlen (s);

  if (n > 1 && s[n - 1] == '.')
    s[n - 1] = '\0';
  return s;
}

/* RFC 6125, 6.4.3: a wildcard only as the complete left-most label
 * ("*.example.com"), matching exactly one label; we also want at least
 * two labels after it (no "*.com"), as OpenSSL does. */
static gboolean
match_dns (const char *pattern, const char *host)
{
  g_autofree char *p = normalize_name (pattern);
  g_autofree char *h = normalize_name (host);
  const char *dot;
  const char *rest;

  if (strchr (p, '*') == NULL)
    return g_str_equal (p, h);
  if (!g_str_has_prefix (p, "*.") || strchr (p + 1, '*') != NULL)
    return FALSE;   /* a partial or embedded wildcard: never matched here */
  rest = p + 1;     /* ".example.com" */
  if (strchr (rest + 1, '.') == NULL)
    return FALSE;   /* "*.com" */
  dot = strchr (h, '.');
  if (dot == NULL || dot == h)
    return FALSE;   /* the wildcard stands for one non-empty label */
  return g_str_equal (dot, rest);
}

gboolean
tls_verify_host (const TlsCertificate *cert, const char *host, char **how)
{
  return tls_verify_host_full (cert, host, TRUE, how);
}

gboolean
tls_verify_host_full (const TlsCertificate *cert, const char *host, gboolean cn_fallback, char **how)
{
  const char * const *dns = tls_certificate_get_dns_names (cert);
  GPtrArray *ips = tls_certificate_get_ip_addresses (cert);
  const char * const *cns = tls_certificate_get_common_names (cert);
  g_autoptr (GString) seen = g_string_new (NULL);
  gboolean has_dns = dns != NULL && dns[0] != NULL;

  if (g_hostname_is_ip_address (host))
    {
      /* An IP address is matched against iPAddress entries only
       * (RFC 5280, 4.2.1.6; RFC 6125 leaves IP addresses out). */
      g_autoptr (GInetAddress) addr = g_inet_address_new_from_string (host);
      gsize n = addr ? g_inet_address_get_native_size (addr) : 0;
      const guint8 *want = addr ? g_inet_address_to_bytes (addr) : NULL;

      for (guint i = 0; ips != NULL && i < ips->len; i++)
        {
          GBytes *ip = g_ptr_array_index (ips, i);
          if (want != NULL && g_bytes_get_size (ip) == n
              && memcmp (g_bytes_get_data (ip, NULL), want, n) == 0)
            {
              if (how)
                *how = g_strdup_printf (_("the IP address %s is a subjectAltName iPAddress"), host);
              return TRUE;
            }
        }
      if (how)
        *how = g_strdup_printf (ips && ips->len
                                ? _("the IP address %s is not among the subjectAltName iPAddress entries")
                                : _("the IP address %s cannot match: the certificate has no "
                                    "subjectAltName iPAddress (the CN is never used for addresses)"),
                                host);
      return FALSE;
    }

  if (has_dns)
    {
      for (guint i = 0; dns[i]; i++)
        {
          if (match_dns (dns[i], host))
            {
              if (how)
                *how = g_strdup_printf (strchr (dns[i], '*')
                                        ? _("“%s” matches the subjectAltName dNSName “%s” (a wildcard "
                                            "stands for exactly one left-most label)")
                                        : _("“%s” matches the subjectAltName dNSName “%s”"),
                                        host, dns[i]);
              return TRUE;
            }
          g_string_append_printf (seen, "%s%s", seen->len ? ", " : "", dns[i]);
        }
      if (how)
        *how = g_strdup_printf (_("“%s” matches none of the subjectAltName DNS names (%s); the CN is "
                                  "not looked at when there are DNS names (RFC 6125, 6.4.4)"),
                                host, seen->str);
      return FALSE;
    }

  if (!cn_fallback)
    {
      if (how)
        *how = g_strdup_printf (_("“%s” cannot match: the certificate has no subjectAltName DNS names, and "
                                  "the web policy never falls back to the subject CN (browsers stopped "
                                  "doing so; RFC 6125, 6.4.4 only allows it)"), host);
      return FALSE;
    }
  /* RFC 6125, 6.4.4: the CN only when there is no DNS-ID */
  for (guint i = 0; cns != NULL && cns[i]; i++)
    {
      if (match_dns (cns[i], host))
        {
          if (how)
            *how = g_strdup_printf (_("“%s” matches the subject CN “%s”; the certificate has no "
                                      "subjectAltName DNS names, so the CN was used (RFC 6125, 6.4.4)"),
                                    host, cns[i]);
          return TRUE;
        }
      g_string_append_printf (seen, "%s%s", seen->len ? ", " : "", cns[i]);
    }
  if (how)
    *how = g_strdup_printf (_("“%s” does not match: no subjectAltName DNS names, and the CN (%s) does "
                              "not match either (RFC 6125, 6.4.4)"),
                            host, seen->len ? seen->str : _("none"));
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Path building (RFC 5280, 6.1; RFC 4158)                             */

void
tls_verify_plan_checks (TlsVerifier *v)
{
  guint n = v->path->len;

  g_array_set_size (v->checks, 0);
  v->next = 0;
  tls_verify_add_check (v, CHECK_ANCHOR, n - 1, 0);
  for (guint i = n; i-- > 0;)
    {
      gboolean is_anchor = v->anchored && i == n - 1;
      gboolean has_issuer = i + 1 < n;

      if (!is_anchor && has_issuer)
        {
          tls_verify_add_check (v, CHECK_SIGNATURE, i, 0);
          tls_verify_add_check (v, CHECK_ISSUER_NAME, i, 0);
        }
      tls_verify_add_check (v, CHECK_VALIDITY, i, 0);
      tls_verify_add_check (v, CHECK_CRITICAL, i, 0);
      if (i > 0)
        {
          tls_verify_add_check (v, CHECK_CA, i, 0);
          tls_verify_add_check (v, CHECK_PATH_LEN, i, 0);
          tls_verify_add_check (v, CHECK_CA_KEY_USAGE, i, 0);
          tls_verify_plan_name_constraints (v, i);
        }
    }
  tls_verify_plan_rules (v);
  /* TLS 1.3: no key exchange uses the certificate's key; the
   * CertificateVerify check tests it against the signature scheme. */
  if (v->params.kx != TLS_VERIFY_NO_KX && v->params.kx != TLS_KX_TLS13)
    tls_verify_add_check (v, CHECK_KEY_TYPE, 0, 0);
  tls_verify_add_check (v, CHECK_KEY_USAGE, 0, 0);
  tls_verify_add_check (v, CHECK_EKU, 0, 0);
  if (v->host != NULL)
    tls_verify_add_check (v, CHECK_HOST, 0, 0);
}

/* Runs the checks of PATH with V's parameters, silently: NULL when it
 * passes, else "title: reason" of its first failure. */
static char *try_path (const TlsVerifier *v, GPtrArray *path);

static void
build_path (TlsVerifier *v, TlsStep *step)
{
  guint n_tried = 0;
  gboolean tried_all = FALSE;
  guint ee = tls_verify_find_end_entity (v);
  TlsCertificate *cur = g_ptr_array_index (v->chain, ee);
  guint max = v->params.max_depth ? v->params.max_depth : 10;
  g_autoptr (GString) choice = g_string_new (NULL);
  g_autoptr (GString) notes = g_string_new (NULL);
  gboolean in_order = TRUE;

  {
    GPtrArray *partial = NULL;
    GPtrArray *found = tls_verify_find_paths (v, cur, max, &partial);
    GPtrArray *chosen = NULL;

    /* try each path to a trust anchor until one passes every check */
    for (guint k = 0; k < found->len && chosen == NULL; k++)
      {
        GPtrArray *p = g_ptr_array_index (found, k);
        g_autofree char *why = found->len > 1 ? try_path (v, p) : NULL;
        g_autofree char *text = tls_verify_path_text (p);

        if (why == NULL)
          chosen = p;
        if (found->len > 1 && why != NULL)
          tls_step_add_option (step, _("path %u tried: %s — dropped: %s"), k + 1, text, why);
        else if (found->len > 1)
          {
            tls_step_add_option (step, _("path %u tried: %s — passes every check"), k + 1, text);
            step->chosen_option = (int) k;
          }
      }
    if (chosen == NULL && found->len > 0)
      {
        chosen = g_ptr_array_index (found, 0);
        tried_all = found->len > 1;
        if (tried_all)
          step->chosen_option = 0;
      }
    n_tried = found->len;
    if (chosen != NULL)
      {
        v->anchored = TRUE;
        for (guint k = 0; k < chosen->len; k++)
          g_ptr_array_add (v->path, tls_certificate_ref (g_ptr_array_index (chosen, k)));
      }
    else
      {
        GPtrArray *p = partial;
        TlsCertificate *top;

        for (guint k = 0; k < p->len; k++)
          g_ptr_array_add (v->path, tls_certificate_ref (g_ptr_array_index (p, k)));
        top = path_cert (v, v->path->len - 1);
        if (v->path->len >= max)
          v->path_problem = g_strdup_printf (_("no trust anchor within %u certificates"), max);
        else if (tls_certificate_is_self_issued (top))
          v->path_problem = g_strdup_printf (_("“%s” is self-signed, and it is not in the trust store"),
                                             short_name (top));
        else
          v->path_problem = g_strdup_printf (_("the issuer of “%s”, “%s”, is neither among the "
                                               "certificates received nor in the trust store"),
                                             short_name (top), tls_certificate_get_issuer (top));
      }
    g_ptr_array_unref (found);
    g_clear_pointer (&partial, g_ptr_array_unref);
  }
  /* RFC 5246, 7.4.2: "Each following certificate MUST directly certify
   * the one preceding it" — noted, not required: clients build the path
   * whatever the order.  A trust anchor at the top need not be sent. */
  for (guint k = 1; k < v->path->len; k++)
    {
      if (v->anchored && k == v->path->len - 1)
        continue;
      /* --untrusted is a pool, not a sequence (issue 10): a certificate
       * taken from it has no place in the order received. */
      if (!in_array (v->chain, path_cert (v, k)))
        continue;
      if (ee != 0 || k >= v->chain->len || !same_cert (g_ptr_array_index (v->chain, k), path_cert (v, k)))
        in_order = FALSE;
    }

  for (guint i = 0; i < v->path->len; i++)
    {
      if (i > 0)
        g_string_append (choice, " ← ");
      g_string_append_printf (choice, "%s", short_name (path_cert (v, i)));
    }
  if (v->anchored)
    g_string_append (choice, _(" (trust anchor)"));

  for (guint i = 0; i < v->chain->len; i++)
    {
      TlsCertificate *c = g_ptr_array_index (v->chain, i);
      tls_step_add_option (step, _("received #%u: “%s”, issued by “%s”%s"), i + 1, short_name (c),
                           tls_certificate_get_issuer (c),
                           in_array (v->path, c) ? "" : _(" — not on the path"));
    }
  for (guint i = 0; v->untrusted && i < v->untrusted->len; i++)
    {
      TlsCertificate *c = g_ptr_array_index (v->untrusted, i);
      tls_step_add_option (step, _("extra: “%s”, issued by “%s”%s"), short_name (c),
                           tls_certificate_get_issuer (c),
                           in_array (v->path, c) ? "" : _(" — not on the path"));
    }
  tls_step_add_option (step, _("the trust store: %u certificate(s)"), v->anchors ? v->anchors->len : 0);
  step->choice = g_string_free (g_steal_pointer (&choice), FALSE);

  if (ee != 0 && v->params.tls13)
    g_string_append_printf (notes, _("The first certificate received is not the end entity (RFC 8446, "
                                     "4.4.2: \"The sender's certificate MUST come in the first "
                                     "CertificateEntry in the list\"); certificate #%u is, as it "
                                     "issued none of the others. "), ee + 1);
  else if (ee != 0)
    g_string_append_printf (notes, _("The first certificate received is not the end entity (RFC 5246, "
                                     "7.4.2: \"the sender's certificate MUST come first\"); certificate "
                                     "#%u is, as it issued none of the others. "), ee + 1);
  g_string_append (notes, _("Starting from the end-entity certificate, each "
                            "certificate's issuer name was looked up among the subjects of the trust "
                            "store, then of the certificates received; the authority/subject key "
                            "identifiers break ties."));
  if (!in_order && v->params.tls13)
    g_string_append (notes, _(" The certificates did not come in the order RFC 8446, 4.4.2 asks for "
                              "(each SHOULD certify the one before it); this client, like most, "
                              "builds the path whatever the order, as the same section asks."));
  else if (!in_order)
    g_string_append (notes, _(" The certificates did not come in the order RFC 5246, 7.4.2 asks for; "
                              "this client, like most, builds the path whatever the order (as "
                              "RFC 8446, 4.4.2 recommends for every TLS version)."));
  for (guint i = 0; i < v->chain->len; i++)
    if (!in_array (v->path, g_ptr_array_index (v->chain, i)))
      {
        g_string_append (notes, _(" Some certificates received are not on the path and are ignored."));
        break;
      }
  if (v->anchored && v->path->len > 1 && in_array (v->chain, path_cert (v, v->path->len - 1)))
    g_string_append (notes, _(" The server also sent the root; it is trusted because it is in the "
                              "trust store, not because it was sent."));
  if (n_tried > 1)
    g_string_append_printf (notes, _(" Several certificates could issue the same one, so %u paths to a "
                                     "trust anchor were found (RFC 4158): they were tried in turn until "
                                     "one passed every check, and that one was kept."), n_tried);
  if (tried_all)
    g_string_append (notes, _(" None passes; the first is checked below, step by step."));
  g_string_append_printf (notes, _(" Policy: %s."),
                          v->params.policy == TLS_VERIFY_POLICY_WEB
                          ? _("web (RFC 5280 and the CA/Browser Forum Baseline Requirements, as browsers)")
                          : _("rfc5280 (RFC 5280 alone)"));
  if (!v->anchored)
    g_string_append_printf (notes, _(" The path stops: %s."), v->path_problem);
  tls_step_set_reason (step, "%s", notes->str);
  if (v->params.tls13)
    tls_step_explain (step, "RFC 5280, 6.1; RFC 8446, 4.4.2",
                      _("Before anything can be checked, the receiver puts the certificates in "
                        "order: from the sender's own certificate up to a certificate it already "
                        "trusts. RFC 8446 (4.4.2): \"The sender's certificate MUST come in the first "
                        "CertificateEntry in the list. Each following certificate SHOULD directly "
                        "certify the one immediately preceding it\", and a trust anchor may be left "
                        "out. Implementations \"SHOULD be prepared to handle potentially extraneous "
                        "certificates and arbitrary orderings\", the end-entity certificate still "
                        "first."));
  else
  tls_step_explain (step, "RFC 5280, 6.1; RFC 5246, 7.4.2; RFC 8446, 4.4.2",
                    _("Before anything can be checked, the client puts the certificates in order: "
                      "from the server's own certificate up to a certificate it already trusts. "
                      "RFC 5246 (7.4.2) requires the order: \"The sender's certificate MUST come "
                      "first in the list. Each following certificate MUST directly certify the one "
                      "preceding it\", and the root may be left out. Accepting other orders and "
                      "extra certificates is a later relaxation: RFC 8446 (4.4.2) asks "
                      "implementations of every TLS version to handle them, the end-entity "
                      "certificate still first, and that is what clients do."));
  tls_step_add_text_input (step, N_("path"), step->choice, -1, NULL);

  tls_verify_plan_checks (v);
}


/* ------------------------------------------------------------------ */
/* The checks                                                          */


static Outcome
check_anchor (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *top = path_cert (v, i);

  step->subject = g_strdup_printf (_("the top of the path: “%s”"), tls_certificate_get_subject (top));
  step->against = g_strdup_printf (_("the trust store (%u certificate(s))"),
                                   v->anchors ? v->anchors->len : 0);
  if (v->params.tls13)
    tls_step_explain (step, "RFC 5280, 6.1; RFC 8446, 4.4.2",
                      _("A chain is only worth something if it ends at a certificate the receiver "
                        "trusted beforehand: \"certificate validation requires that trust anchors "
                        "be distributed independently\". The trust anchor's own signature proves "
                        "nothing and is not checked."));
  else
  tls_step_explain (step, "RFC 5280, 6.1; RFC 5246, 7.4.2",
                    _("A chain is only worth something if it ends at a certificate the client "
                      "trusted beforehand: \"root keys [are] distributed independently\". The "
                      "trust anchor's own signature proves nothing and is not checked."));
  if (v->anchored)
    {
      tls_step_set_reason (step, _("“%s” is in the trust store"), short_name (top));
      return (Outcome) { TRUE, 0 };
    }
  tls_step_set_reason (step, "%s", v->path_problem);
  return (Outcome) { FALSE, TLS_ALERT_UNKNOWN_CA };
}

static Outcome
check_validity (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i);
  gint64 nb = tls_certificate_get_not_before (c), na = tls_certificate_get_not_after (c);
  g_autofree char *snb = format_time (nb), *sna = format_time (na), *snow = format_time (v->params.now);

  step->subject = g_strdup_printf (_("the validity of “%s”: %s to %s"), short_name (c), snb, sna);
  step->against = g_strdup_printf (_("the time of the run: %s"), snow);
  tls_step_add_text_input (step, "notBefore", snb, -1, NULL);
  tls_step_add_text_input (step, "notAfter", sna, -1, NULL);
  tls_step_add_text_input (step, N_("now"), snow, -1, NULL);
  /* the alert: RFC 5246, 7.2.2; in TLS 1.3, RFC 8446, 6.2 (the same words) */
  tls_step_explain (step, v->params.tls13 ? "RFC 5280, 6.1.3 (a)(2); RFC 8446, 6.2"
                                          : "RFC 5280, 6.1.3 (a)(2); RFC 5246, 7.2.2",
                    _("A certificate is only vouched for between notBefore and notAfter. TLS has one "
                      "alert for both sides of the interval: certificate_expired, \"a certificate has "
                      "expired or is not currently valid\"."));
  if (v->params.now < nb)
    {
      tls_step_set_reason (step, _("“%s” is not valid yet: it starts on %s"), short_name (c), snb);
      return (Outcome) { FALSE, TLS_ALERT_CERTIFICATE_EXPIRED };
    }
  if (v->params.now > na)
    {
      tls_step_set_reason (step, _("“%s” expired on %s"), short_name (c), sna);
      return (Outcome) { FALSE, TLS_ALERT_CERTIFICATE_EXPIRED };
    }
  tls_step_set_reason (step, _("%s lies within the validity of “%s”"), snow, short_name (c));
  return (Outcome) { TRUE, 0 };
}

static Outcome
check_signature (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i), *issuer = path_cert (v, i + 1);
  const TlsPublicKey *key = tls_certificate_get_public_key (issuer);
  g_autofree char *desc = tls_public_key_describe (key);
  g_autofree char *reason = NULL;
  const char *alg = tls_sig_alg_name (tls_certificate_get_signature_algorithm (c));

  step->subject = g_strdup_printf (_("the signature on “%s” (%s over the DER of its tbsCertificate)"),
                                   short_name (c), alg);
  step->against = g_strdup_printf (_("the public key of its issuer “%s” (%s)"), short_name (issuer), desc);
  tls_step_add_input (step, "signatureValue", g_bytes_get_data (tls_certificate_get_signature (c), NULL),
                      g_bytes_get_size (tls_certificate_get_signature (c)), -1, NULL);
  tls_step_add_text_input (step, N_("issuer key"), desc, -1, NULL);
  tls_step_explain (step, v->params.tls13 ? "RFC 5280, 6.1.3 (a)(1); RFC 8446, 6.2"
                                          : "RFC 5280, 6.1.3 (a)(1); RFC 5246, 7.2.2",
                    _("The issuer vouches for the certificate by signing it. Anyone can check the "
                      "signature with the issuer's public key; a certificate whose signature does "
                      "not verify gets bad_certificate: \"contained signatures that did not verify "
                      "correctly\"."));
  if (!tls_certificate_signature_algorithms_agree (c))
    {
      tls_step_set_reason (step, _("signatureAlgorithm and tbsCertificate.signature differ; RFC 5280, "
                                   "4.1.1.2: they MUST be the same"));
      return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
    }
  if (v->params.tls13 && tls_certificate_get_signature_algorithm (c) == TLS_SIG_ALG_RSA_MD5)
    {
      tls_step_set_reason (step, _("signed with MD5, which TLS 1.3 refuses: \"Any endpoint receiving "
                                   "any certificate which it would need to validate using any "
                                   "signature algorithm using an MD5 hash MUST abort the handshake "
                                   "with a \"bad_certificate\" alert\" (RFC 8446, 4.4.2.4)"));
      return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
    }
  if (tls_certificate_get_signature_algorithm (c) == TLS_SIG_ALG_UNKNOWN
      || tls_certificate_get_signature_algorithm (c) == TLS_SIG_ALG_RSA_MD5 || key->problem != NULL)
    {
      tls_certificate_check_signature (c, key, &reason);
      tls_step_set_reason (step, _("cannot be checked: %s"),
                           key->problem ? key->problem : reason ? reason : "?");
      return (Outcome) { FALSE, TLS_ALERT_UNSUPPORTED_CERTIFICATE };
    }
  if (!tls_certificate_check_signature (c, key, &reason))
    {
      tls_step_set_reason (step, "%s", reason ? reason : _("the signature does not verify"));
      return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
    }
  tls_step_set_reason (step, _("“%s”'s key verifies the %s signature"), short_name (issuer), alg);
  return (Outcome) { TRUE, 0 };
}

static Outcome
check_issuer_name (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i), *issuer = path_cert (v, i + 1);

  step->subject = g_strdup_printf (_("the issuer field of “%s”: %s"), short_name (c),
                                   tls_certificate_get_issuer (c));
  step->against = g_strdup_printf (_("the subject field of the next certificate up: %s"),
                                   tls_certificate_get_subject (issuer));
  tls_step_explain (step, "RFC 5280, 6.1.3 (a)(4)",
                    _("Each certificate names its issuer; the name must be the subject of the "
                      "certificate above it in the path, so the chain is linked by names as well as "
                      "by signatures."));
  if (!g_bytes_equal (tls_certificate_get_issuer_der (c), tls_certificate_get_subject_der (issuer)))
    {
      tls_step_set_reason (step, _("the names differ"));
      return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
    }
  tls_step_set_reason (step, _("the two names are the same, byte for byte"));
  return (Outcome) { TRUE, 0 };
}

static Outcome
check_critical (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i);
  const char *oid = tls_certificate_get_unknown_critical (c);

  step->subject = g_strdup_printf (_("the extensions of “%s” marked critical"), short_name (c));
  step->against = g_strdup (_("the extensions this program understands: basicConstraints, keyUsage, "
                              "extendedKeyUsage, subjectAltName, nameConstraints, key identifiers"));
  tls_step_explain (step, "RFC 5280, 4.2",
                    _("\"A certificate-using system MUST reject the certificate if it encounters a "
                      "critical extension it does not recognize\": critical means \"do not use me if "
                      "you do not understand this\"."));
  if (oid != NULL)
    {
      tls_step_set_reason (step, _("“%s” has a critical extension %s that is not understood"),
                           short_name (c), oid);
      return (Outcome) { FALSE, TLS_ALERT_UNSUPPORTED_CERTIFICATE };
    }
  tls_step_set_reason (step, _("every critical extension is understood"));
  return (Outcome) { TRUE, 0 };
}

static Outcome
check_ca (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i);
  gboolean ca = FALSE;
  gboolean has_bc = tls_certificate_get_basic_constraints (c, &ca, NULL);
  gboolean anchor = v->anchored && i == v->path->len - 1;

  step->subject = g_strdup_printf (_("“%s”, which issued “%s”: basicConstraints %s"), short_name (c),
                                   short_name (path_cert (v, i - 1)),
                                   has_bc ? (ca ? "cA TRUE" : "cA FALSE") : _("absent"));
  step->against = g_strdup (_("an issuer must be a CA: basicConstraints with cA TRUE"));
  tls_step_explain (step, "RFC 5280, 6.1.4 (k); 4.2.1.9",
                    _("Only a CA may sign certificates. \"If the basic constraints extension is not "
                      "present in a version 3 certificate, or the extension is present but the cA "
                      "boolean is not asserted, then the certified public key MUST NOT be used to "
                      "verify certificate signatures.\""));
  if (has_bc && ca)
    {
      tls_step_set_reason (step, _("“%s” is a CA"), short_name (c));
      return (Outcome) { TRUE, 0 };
    }
  if (!has_bc && anchor && tls_certificate_get_version (c) < 3 && tls_certificate_is_self_issued (c))
    {
      tls_step_set_reason (step, _("“%s” is a version %u trust anchor: it has no extensions, and being "
                                   "in the trust store makes it a CA"),
                           short_name (c), tls_certificate_get_version (c));
      return (Outcome) { TRUE, 0 };
    }
  if (!has_bc && tls_certificate_get_version (c) < 3)
    {
      tls_step_set_reason (step, _("“%s” is a version %u certificate: it has no basicConstraints, yet it "
                                   "issued “%s”. RFC 5280, 6.1.4 (k): such an intermediate must be known "
                                   "as a CA \"through out-of-band means\" or rejected; this program has "
                                   "no such means"),
                           short_name (c), tls_certificate_get_version (c), short_name (path_cert (v, i - 1)));
      return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
    }
  tls_step_set_reason (step, has_bc ? _("“%s” is not a CA (cA is FALSE), yet it issued “%s”")
                                    : _("“%s” has no basicConstraints, so it is not a CA, yet it issued “%s”"),
                       short_name (c), short_name (path_cert (v, i - 1)));
  return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
}

static Outcome
check_path_len (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i);
  int path_len = -1;
  guint below = 0;

  tls_certificate_get_basic_constraints (c, NULL, &path_len);
  /* the intermediate CAs between this one and the end entity that are not
   * self-issued (RFC 5280, 6.1.4 (l)) */
  for (guint k = 1; k < i; k++)
    if (!tls_certificate_is_self_issued (path_cert (v, k)))
      below++;
  if (path_len >= 0)
    step->subject = g_strdup_printf (_("“%s” allows %d CA(s) below it (pathLenConstraint)"),
                                     short_name (c), path_len);
  else
    step->subject = g_strdup_printf (_("“%s” sets no pathLenConstraint"), short_name (c));
  step->against = g_strdup_printf (_("%u intermediate CA(s) below it on this path"), below);
  tls_step_explain (step, "RFC 5280, 6.1.4 (l), (m); 4.2.1.9",
                    _("pathLenConstraint \"gives the maximum number of non-self-issued intermediate "
                      "certificates that may follow this certificate in a valid certification "
                      "path\": a CA may limit how deep its sub-CAs can go."));
  if (path_len >= 0 && below > (guint) path_len)
    {
      tls_step_set_reason (step, _("%u CA(s) below “%s”, which allows %d"), below, short_name (c), path_len);
      return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
    }
  tls_step_set_reason (step, path_len >= 0 ? _("within the limit") : _("no limit"));
  return (Outcome) { TRUE, 0 };
}

static Outcome
check_ca_key_usage (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i);
  guint ku = 0;
  gboolean has = tls_certificate_get_key_usage (c, &ku);
  g_autofree char *text = tls_key_usage_to_string (ku);

  step->subject = g_strdup_printf (_("the keyUsage of “%s”: %s"), short_name (c), has ? text : _("absent"));
  step->against = g_strdup (_("an issuer's key must be allowed to sign certificates: keyCertSign"));
  tls_step_explain (step, "RFC 5280, 6.1.4 (n); 4.2.1.3",
                    _("\"If a key usage extension is present, verify that the keyCertSign bit is "
                      "set.\" Without a keyUsage extension there is no limit."));
  if (has && !(ku & TLS_KU_KEY_CERT_SIGN))
    {
      tls_step_set_reason (step, _("“%s” may not sign certificates: keyCertSign is not set"), short_name (c));
      return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
    }
  tls_step_set_reason (step, has ? _("keyCertSign is set") : _("no keyUsage: no limit"));
  return (Outcome) { TRUE, 0 };
}

static Outcome
check_key_type (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i);
  const TlsPublicKey *key = tls_certificate_get_public_key (c);
  g_autofree char *desc = tls_public_key_describe (key);
  TlsPkAlg need, signer;
  guint ku;
  TlsPkAlg signed_with = tls_sig_alg_key_type (tls_certificate_get_signature_algorithm (c));

  tls_verify_kx_needs (v->params.kx, &need, &ku, &signer);
  step->subject = g_strdup_printf (_("the key of “%s”: %s"), short_name (c), desc);
  if (signer != TLS_PK_UNKNOWN)
    step->against = g_strdup_printf (_("%s key exchange needs a %s key, in a certificate signed with %s"),
                                     tls_kx_name (v->params.kx), tls_pk_alg_name (need),
                                     tls_pk_alg_name (signer));
  else
    step->against = g_strdup_printf (_("%s key exchange needs an %s key"), tls_kx_name (v->params.kx),
                                     tls_pk_alg_name (need));
  tls_step_explain (step, "RFC 5246, 7.4.2",
                    _("\"The certificate type MUST be appropriate for the selected cipher suite's key "
                      "exchange algorithm\": RSA key exchange encrypts with an RSA key, DHE_DSS signs "
                      "with a DSA key, ECDHE_ECDSA with an EC key, static DH_RSA/DH_DSS hold a DH key "
                      "signed by an RSA/DSA CA."));
  if (key->type != need)
    {
      tls_step_set_reason (step, _("the key is %s, but %s key exchange needs %s"),
                           tls_pk_alg_name (key->type), tls_kx_name (v->params.kx), tls_pk_alg_name (need));
      return (Outcome) { FALSE, TLS_ALERT_UNSUPPORTED_CERTIFICATE };
    }
  if (key->problem != NULL)
    {
      tls_step_set_reason (step, "%s", key->problem);
      return (Outcome) { FALSE, TLS_ALERT_UNSUPPORTED_CERTIFICATE };
    }
  if (signer != TLS_PK_UNKNOWN && signed_with != signer)
    {
      tls_step_set_reason (step, _("the certificate is signed with %s, but %s needs %s"),
                           tls_pk_alg_name (signed_with), tls_kx_name (v->params.kx), tls_pk_alg_name (signer));
      return (Outcome) { FALSE, TLS_ALERT_UNSUPPORTED_CERTIFICATE };
    }
  tls_step_set_reason (step, _("the key is %s, as %s key exchange needs"), tls_pk_alg_name (key->type),
                       tls_kx_name (v->params.kx));
  return (Outcome) { TRUE, 0 };
}

static Outcome
check_key_usage (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i);
  guint ku = 0, need = 0;
  gboolean has = tls_certificate_get_key_usage (c, &ku);
  g_autofree char *text = tls_key_usage_to_string (ku);
  g_autofree char *need_text = NULL;
  gboolean any = FALSE;

  if (v->params.purpose == TLS_PURPOSE_CLIENT)
    {
      /* RFC 5280, 4.2.1.12, id-kp-clientAuth: "digitalSignature and/or
       * keyAgreement" (CertificateVerify, or a static DH client key) */
      need = TLS_KU_DIGITAL_SIGNATURE | TLS_KU_KEY_AGREEMENT;
      any = TRUE;
    }
  else if (v->params.kx == TLS_KX_TLS13)
    need = TLS_KU_DIGITAL_SIGNATURE;   /* RFC 8446, 4.4.2.2 */
  else if (v->params.kx != TLS_VERIFY_NO_KX)
    tls_verify_kx_needs (v->params.kx, NULL, &need, NULL);
  else
    {
      need = TLS_KU_DIGITAL_SIGNATURE | TLS_KU_KEY_ENCIPHERMENT | TLS_KU_KEY_AGREEMENT;
      any = TRUE;
    }
  need_text = tls_key_usage_to_string (need);
  step->subject = g_strdup_printf (_("the keyUsage of “%s”: %s"), short_name (c), has ? text : _("absent"));
  if (any && v->params.purpose == TLS_PURPOSE_CLIENT)
    step->against = g_strdup_printf (_("the purpose asked (a TLS client: no key exchange named) needs one "
                                       "of: %s"), need_text);
  else if (any)
    step->against = g_strdup_printf (_("the purpose asked (a TLS server, no key exchange named) needs "
                                       "one of: %s"), need_text);
  else if (v->params.kx == TLS_KX_TLS13)
    step->against = g_strdup_printf (_("what TLS 1.3 does with the key (it signs CertificateVerify): %s"),
                                     need_text);
  else
    step->against = g_strdup_printf (_("what %s key exchange does with the key: %s"),
                                     tls_kx_name (v->params.kx), need_text);
  /* Only the use the negotiated key exchange makes of the key (issue 10). */
  if (v->params.purpose != TLS_PURPOSE_CLIENT && v->params.kx == TLS_KX_TLS13)
    tls_step_explain (step, "RFC 5280, 4.2.1.3; RFC 8446, 4.4.2.2", "%s",
                      _("keyUsage limits what the key may do. In TLS 1.3 the server signs its "
                        "CertificateVerify with this key: \"the digitalSignature bit MUST be set "
                        "if the Key Usage extension is present\". Without a keyUsage extension "
                        "there is no limit."));
  else
  tls_step_explain (step, v->params.purpose == TLS_PURPOSE_CLIENT && v->params.tls13
                          ? "RFC 5280, 4.2.1.3; RFC 8446, 4.4.3"
                          : v->params.purpose != TLS_PURPOSE_CLIENT && v->params.kx == TLS_VERIFY_NO_KX
                          ? "RFC 5280, 4.2.1.3, 4.2.1.12; RFC 5246, 7.4.2"
                          : "RFC 5280, 4.2.1.3; RFC 5246, 7.4.2", "%s",
                    v->params.purpose == TLS_PURPOSE_CLIENT
                    ? _("keyUsage limits what the key may do. A client key signs CertificateVerify "
                        "(digitalSignature). Without a keyUsage extension there is no limit.")
                    : v->params.kx == TLS_KX_RSA
                    ? _("keyUsage limits what the key may do. In RSA key exchange the client "
                        "encrypts the pre-master secret with this key (keyEncipherment). Without a "
                        "keyUsage extension there is no limit.")
                    : (v->params.kx == TLS_KX_DH_RSA || v->params.kx == TLS_KX_DH_DSS)
                    ? _("keyUsage limits what the key may do. In static DH key exchange the key is "
                        "the server's Diffie-Hellman value, used to agree on a key (keyAgreement). "
                        "Without a keyUsage extension there is no limit.")
                    : v->params.kx != TLS_VERIFY_NO_KX
                    ? _("keyUsage limits what the key may do. In this key exchange the server signs "
                        "its ephemeral (EC)DH parameters with the key (digitalSignature). Without a "
                        "keyUsage extension there is no limit.")
                    : _("keyUsage limits what the key may do, and it is judged against the purpose "
                        "asked. RSA key exchange encrypts the pre-master secret with it "
                        "(keyEncipherment); DHE and ECDHE sign their parameters (digitalSignature); "
                        "static DH agrees on a key (keyAgreement). When no key exchange is named, "
                        "RFC 5280, 4.2.1.12 lists the bits that may be consistent with serverAuth "
                        "(digitalSignature, keyEncipherment or keyAgreement) and clientAuth "
                        "(digitalSignature and/or keyAgreement): one is enough. Without a keyUsage "
                        "extension there is no limit."));
  if (has && !(ku & need))
    {
      tls_step_set_reason (step, any ? _("“%s” may be used for none of %s")
                                     : _("“%s” may not be used for %s"), short_name (c), need_text);
      return (Outcome) { FALSE, TLS_ALERT_UNSUPPORTED_CERTIFICATE };
    }
  tls_step_set_reason (step, has ? _("keyUsage allows it") : _("no keyUsage: no limit"));
  return (Outcome) { TRUE, 0 };
}

static Outcome
check_eku (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i);
  const char * const *eku = tls_certificate_get_ext_key_usage (c);
  gboolean server = v->params.purpose == TLS_PURPOSE_SERVER;
  const char *want = server ? TLS_OID_KP_SERVER_AUTH : TLS_OID_KP_CLIENT_AUTH;
  g_autofree char *list = eku ? g_strjoinv (", ", (char **) eku) : NULL;

  step->subject = g_strdup_printf (_("the extendedKeyUsage of “%s”: %s"), short_name (c),
                                   list ? list : _("absent"));
  step->against = g_strdup_printf (_("the purpose: %s (%s)"), server ? "serverAuth" : "clientAuth", want);
  tls_step_explain (step, "RFC 5280, 4.2.1.12",
                    _("extendedKeyUsage names the purposes the certificate is for; a TLS server "
                      "certificate must include serverAuth (id-kp 1), a client certificate "
                      "clientAuth (id-kp 2). Without the extension there is no limit."));
  if (eku == NULL)
    {
      tls_step_set_reason (step, _("no extendedKeyUsage: no limit"));
      return (Outcome) { TRUE, 0 };
    }
  if (g_strv_contains (eku, want))
    {
      tls_step_set_reason (step, _("%s is listed"), server ? "serverAuth" : "clientAuth");
      return (Outcome) { TRUE, 0 };
    }
  if (g_strv_contains (eku, TLS_OID_KP_ANY))
    {
      /* "Applications that require the presence of a particular purpose MAY
       * reject certificates that do not include the purpose OID"; OpenSSL
       * does for TLS, and so do we. */
      tls_step_set_reason (step, _("only anyExtendedKeyUsage is listed, not %s; RFC 5280, 4.2.1.12 lets "
                                   "an application that needs a particular purpose refuse this, and TLS "
                                   "clients do"), server ? "serverAuth" : "clientAuth");
      return (Outcome) { FALSE, TLS_ALERT_UNSUPPORTED_CERTIFICATE };
    }
  tls_step_set_reason (step, _("“%s” is not for %s: %s is not listed"), short_name (c),
                       server ? _("a TLS server") : _("a TLS client"), server ? "serverAuth" : "clientAuth");
  return (Outcome) { FALSE, TLS_ALERT_UNSUPPORTED_CERTIFICATE };
}

static Outcome
check_host (TlsVerifier *v, TlsStep *step, guint i)
{
  TlsCertificate *c = path_cert (v, i);
  const char * const *dns = tls_certificate_get_dns_names (c);
  g_autofree char *how = NULL;
  g_autoptr (GString) names = g_string_new (NULL);
  GPtrArray *ips = tls_certificate_get_ip_addresses (c);
  gboolean ok;

  for (guint k = 0; dns && dns[k]; k++)
    g_string_append_printf (names, "%sDNS:%s", names->len ? ", " : "", dns[k]);
  for (guint k = 0; ips && k < ips->len; k++)
    {
      g_autoptr (GInetAddress) a = NULL;
      GBytes *ip = g_ptr_array_index (ips, k);
      g_autofree char *s = NULL;

      a = g_inet_address_new_from_bytes (g_bytes_get_data (ip, NULL),
                                         g_bytes_get_size (ip) == 4 ? G_SOCKET_FAMILY_IPV4
                                                                    : G_SOCKET_FAMILY_IPV6);
      s = g_inet_address_to_string (a);
      g_string_append_printf (names, "%sIP:%s", names->len ? ", " : "", s);
    }
  if (!tls_certificate_has_subject_alt_name (c) || names->len == 0)
    g_string_append_printf (names, _("no subjectAltName; subject “%s”"), tls_certificate_get_subject (c));
  step->subject = g_strdup_printf (_("the names in “%s”: %s"), short_name (c), names->str);
  step->against = g_strdup_printf (_("the host the client asked for: %s"), v->host);
  tls_step_add_text_input (step, N_("host"), v->host, -1, NULL);
  if (v->params.policy == TLS_VERIFY_POLICY_WEB)
    tls_step_explain (step, "RFC 6125, 6.4; CA/Browser Forum Baseline Requirements (subjectAltName)",
                      _("A valid chain only proves who the certificate belongs to; the client must also "
                        "check that it belongs to the host it wanted to reach. DNS names are compared "
                        "without regard to case; a \"*\" may stand for the whole left-most label. "
                        "Under the web policy only the subjectAltName counts, never the subject CN, "
                        "as in browsers."));
  else
    tls_step_explain (step, "RFC 6125, 6.4; RFC 2818, 3.1",
                      _("A valid chain only proves who the certificate belongs to; the client must also "
                        "check that it belongs to the host it wanted to reach. DNS names are compared "
                        "without regard to case; a \"*\" may stand for the whole left-most label; the "
                        "subject CN is used only when there are no DNS names."));
  ok = tls_verify_host_full (c, v->host, v->params.policy != TLS_VERIFY_POLICY_WEB, &how);
  tls_step_set_reason (step, "%s", how);
  return ok ? (Outcome) { TRUE, 0 } : (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
}

static const struct
{
  const char *title;   /* %s: the certificate's short name */
  Outcome   (*run) (TlsVerifier *v, TlsStep *step, guint i);
} check_table[] = {
  [CHECK_ANCHOR]       = { N_("Trust anchor"), check_anchor },
  [CHECK_VALIDITY]     = { N_("Validity of “%s”"), check_validity },
  [CHECK_SIGNATURE]    = { N_("Signature on “%s”"), check_signature },
  [CHECK_ISSUER_NAME]  = { N_("Issuer name of “%s”"), check_issuer_name },
  [CHECK_CRITICAL]     = { N_("Critical extensions of “%s”"), check_critical },
  [CHECK_CA]           = { N_("“%s” is a CA"), check_ca },
  [CHECK_PATH_LEN]     = { N_("Path length below “%s”"), check_path_len },
  [CHECK_CA_KEY_USAGE] = { N_("“%s” may sign certificates"), check_ca_key_usage },
  [CHECK_KEY_TYPE]     = { N_("Key of “%s” fits the key exchange"), check_key_type },
  [CHECK_KEY_USAGE]    = { N_("Key usage of “%s”"), check_key_usage },
  [CHECK_EKU]          = { N_("Extended key usage of “%s”"), check_eku },
  [CHECK_HOST]         = { N_("Host name against “%s”"), check_host },
  [CHECK_NAME_CONSTRAINTS] = { NULL, NULL },
};

/* The checks' titles are kept in English in the trace (lessons and the
 * exports find steps by them) and shown translated (tls_step_title_label). */
#define NAME_CONSTRAINTS_TITLE N_("Name constraints of “%s”: %s")

static void
add_title_formats (void)
{
  static gsize once = 0;

  if (!g_once_init_enter (&once))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (check_table); i++)
    if (check_table[i].title && strstr (check_table[i].title, "%s"))
      tls_step_title_format_add (check_table[i].title);
  tls_step_title_format_add (NAME_CONSTRAINTS_TITLE);
  g_once_init_leave (&once, 1);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

TlsVerifier *
tls_verifier_new (const TlsVerifyParams *params, GPtrArray *chain, GPtrArray *anchors,
                  GPtrArray *untrusted)
{
  TlsVerifier *v = g_new0 (TlsVerifier, 1);

  add_title_formats ();
  v->params = *params;
  v->host = g_strdup (params->host);
  v->params.host = v->host;
  v->chain = chain ? g_ptr_array_ref (chain) : g_ptr_array_new ();
  v->anchors = anchors ? g_ptr_array_ref (anchors) : NULL;
  v->untrusted = untrusted ? g_ptr_array_ref (untrusted) : NULL;
  v->path = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_certificate_unref);
  v->checks = g_array_new (FALSE, FALSE, sizeof (Check));
  return v;
}

void
tls_verifier_free (TlsVerifier *v)
{
  if (v == NULL)
    return;
  g_free (v->host);
  g_ptr_array_unref (v->chain);
  g_clear_pointer (&v->anchors, g_ptr_array_unref);
  g_clear_pointer (&v->untrusted, g_ptr_array_unref);
  g_ptr_array_unref (v->path);
  g_array_unref (v->checks);
  g_free (v->path_problem);
  g_free (v->reason);
  g_free (v->failed);
  g_free (v->failed_rule);
  g_free (v);
}

static void
record_failure (TlsVerifier *v, const TlsStep *step, int alert)
{
  if (v->alert != 0)
    return;
  v->alert = alert;
  v->reason = g_strdup (step->reason);
  v->failed = g_strdup (tls_step_title_label (step));   /* for people */
  v->failed_rule = g_strdup (step->rfc);
}

gboolean
tls_verifier_step (TlsVerifier *v, TlsTrace *trace, TlsActor actor)
{
  g_autoptr (TlsTrace) scratch = NULL;
  TlsStep *step;

  if (v->done)
    return FALSE;
  if (trace == NULL)
    trace = scratch = tls_trace_new ();

  if (!v->path_built)
    {
      v->path_built = TRUE;
      step = tls_trace_add (trace, TLS_STEP_DECISION, actor, N_("Certification path"));
      /* the chain's validation is one step of the lesson; its checks
       * open under it */
      tls_trace_group (trace, step, TLS_PARENT_NONE);
      v->path_step = (int) step->index;
      if (v->chain->len == 0)
        {
          step->choice = g_strdup (_("no path"));
          tls_step_set_reason (step, _("no certificate was received"));
          tls_step_explain (step, v->params.tls13 ? "RFC 8446, 4.4.2.4" : "RFC 5246, 7.4.2",
                            _("There is nothing to validate."));
          record_failure (v, step, TLS_ALERT_BAD_CERTIFICATE);
          v->done = TRUE;
        }
      else
        build_path (v, step);
      tls_trace_commit (trace, step);
      return TRUE;
    }

  if (v->next >= v->checks->len)
    {
      v->done = TRUE;
      return FALSE;
    }
  {
    Check c = g_array_index (v->checks, Check, v->next++);
    g_autofree char *title = NULL;
    Outcome o;

    if (c.kind == CHECK_NAME_CONSTRAINTS)
      title = g_strdup_printf (NAME_CONSTRAINTS_TITLE, short_name (path_cert (v, c.index)),
                               c.arg == TLS_GN_DNS ? N_("DNS names")
                               : c.arg == TLS_GN_EMAIL ? N_("email addresses")
                               : c.arg == TLS_GN_IP ? N_("IP addresses")
                               : c.arg == TLS_GN_DIR ? N_("directory names")
                               : c.arg == TLS_GN_URI ? N_("URIs") : N_("other name forms"));
    else if (c.kind > CHECK_HOST)
      title = g_strdup (tls_verify_rule_title (c.kind));
    else
      title = g_strdup_printf (check_table[c.kind].title, short_name (path_cert (v, c.index)));

    step = tls_trace_add (trace, TLS_STEP_CHECK, actor, title);
    tls_trace_group (trace, step, scratch == NULL && v->path_step >= 0
                                  && v->path_step < (int) step->index ? v->path_step : TLS_PARENT_NONE);
    if (c.kind == CHECK_NAME_CONSTRAINTS)
      o = tls_verify_check_name_constraints (v, step, c.index, c.arg);
    else if (c.kind > CHECK_HOST)
      o = tls_verify_check_rule (v, step, c.kind, c.index);
    else
      o = check_table[c.kind].run (v, step, c.index);
    /* which rule set judged this step */
    tls_step_add_text_input (step, N_("policy"),
                             v->params.policy == TLS_VERIFY_POLICY_WEB
                             ? _("web (RFC 5280 and the CA/Browser Forum Baseline Requirements)")
                             : _("rfc5280 (RFC 5280 alone)"), -1, NULL);
    step->result = o.ok ? TLS_CHECK_PASSED : TLS_CHECK_FAILED;
    if (!o.ok)
      {
        step->alert_level = TLS_ALERT_LEVEL_FATAL;
        step->alert_description = (guint8) o.alert;
        record_failure (v, step, o.alert);
        if (!v->params.all_checks)
          v->done = TRUE;
      }
    if (v->next >= v->checks->len)
      v->done = TRUE;
    tls_trace_commit (trace, step);
  }
  return TRUE;
}

gboolean
tls_verifier_done (const TlsVerifier *v)
{
  return v->done;
}

int
tls_verifier_alert (const TlsVerifier *v)
{
  return v->alert;
}

const char *
tls_verifier_reason (const TlsVerifier *v)
{
  return v->reason;
}

const char *
tls_verifier_failed_rule (const TlsVerifier *v)
{
  return v->failed_rule;
}

const char *
tls_verifier_failed_check (const TlsVerifier *v)
{
  return v->failed;
}

GPtrArray *
tls_verifier_get_path (const TlsVerifier *v)
{
  return v->path;
}

guint
tls_verifier_n_remaining (const TlsVerifier *v)
{
  if (v->done)
    return 0;
  if (!v->path_built)
    /* a guess before the path exists: the decision, a path of three and
     * the rules of the policy */
    return 1 + 20 + (v->params.policy == TLS_VERIFY_POLICY_WEB ? 6 : 0);
  return v->checks->len - v->next;
}

int
tls_verify_chain (const TlsVerifyParams *params, GPtrArray *chain, GPtrArray *anchors,
                  GPtrArray *untrusted, TlsTrace *trace, TlsActor actor, char **reason)
{
  TlsVerifier *v = tls_verifier_new (params, chain, anchors, untrusted);
  int alert;
  guint guard = 0;

  while (tls_verifier_step (v, trace, actor) && guard++ < 1000)
    ;
  alert = v->alert;
  if (reason != NULL)
    *reason = g_strdup (v->reason);
  tls_verifier_free (v);
  return alert;
}

static char *
try_path (const TlsVerifier *v, GPtrArray *path)
{
  TlsVerifyParams params = v->params;
  TlsVerifier *t;
  char *why = NULL;

  params.all_checks = FALSE;
  t = tls_verifier_new (&params, v->chain, v->anchors, v->untrusted);
  for (guint i = 0; i < path->len; i++)
    g_ptr_array_add (t->path, tls_certificate_ref (g_ptr_array_index (path, i)));
  t->anchored = TRUE;
  t->path_built = TRUE;
  tls_verify_plan_checks (t);
  while (tls_verifier_step (t, NULL, TLS_ACTOR_CLIENT))
    ;
  if (t->alert != 0)
    why = g_strdup_printf ("%s: %s", t->failed, t->reason);
  tls_verifier_free (t);
  return why;
}
