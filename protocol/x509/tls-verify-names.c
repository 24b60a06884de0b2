/* tls-verify-names.c — name constraints (RFC 5280, 4.2.1.10; 6.1.3 (b),
 * (c)) and the syntax of DNS names (4.2.1.6): one check per constraining
 * CA and name form, over every certificate below that CA. */
#include "tls-verify-names.h"
#include "tls-alert.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define short_name tls_verify_short_name

static const char *
form_name (int form)
{
  switch (form)
    {
    case TLS_GN_DNS: return "dNSName";
    case TLS_GN_EMAIL: return "rfc822Name";
    case TLS_GN_IP: return "iPAddress";
    case TLS_GN_DIR: return "directoryName";
    case TLS_GN_URI: return "uniformResourceIdentifier";
    default: return _("other name forms");
    }
}

/* One check per name form the CA at I constrains. */
void
tls_verify_plan_name_constraints (TlsVerifier *v, guint i)
{
  GPtrArray *perm = NULL, *excl = NULL;
  const char *odd = NULL;
  gboolean forms[TLS_GN_OTHER + 1] = { FALSE };

  if (!tls_certificate_get_name_constraints (PATH_CERT (v, i), &perm, &excl, &odd))
    return;
  for (int l = 0; l < 2; l++)
    {
      GPtrArray *arr = l ? excl : perm;
      for (guint k = 0; arr && k < arr->len; k++)
        forms[((TlsGeneralName *) g_ptr_array_index (arr, k))->type] = TRUE;
    }
  if (odd != NULL)
    forms[TLS_GN_OTHER] = TRUE;
  for (int f = 0; f <= TLS_GN_OTHER; f++)
    if (forms[f])
      tls_verify_add_check (v, CHECK_NAME_CONSTRAINTS, i, f);
}

/* DNS: "any DNS name that can be constructed by simply adding zero or
 * more labels to the left-hand side of the name satisfies the name
 * constraint"; a leading period (as for URIs and mail domains) wants at
 * least one label more; an empty constraint matches every name. */
static gboolean
dns_in_subtree (const char *name, const char *base)
{
  g_autofree char *n = g_ascii_strdown (name, -1);
  g_autofree char *b = g_ascii_strdown (base, -1);
  gsize ln = strlen (n), lb = strlen (b);

  if (lb == 0)
    return TRUE;
  if (ln > 1 && n[ln - 1] == '.')
    n[--ln] = '\0';
  if (b[0] == '.')
    return ln > lb && strcmp (n + ln - lb, b) == 0;
  if (ln == lb)
    return strcmp (n, b) == 0;
  return ln > lb && n[ln - lb - 1] == '.' && strcmp (n + ln - lb, b) == 0;
}

/* Mail: a mailbox ("root@example.com"), a host ("example.com"), or a
 * domain (".example.com"). */
static gboolean
email_in_subtree (const char *addr, const char *base)
{
  const char *at = strrchr (addr, '@');
  const char *host = at ? at + 1 : addr;

  if (strchr (base, '@') != NULL)
    return at != NULL && strncmp (addr, base, at - addr) == 0 && base[at - addr] == '@'
           && g_ascii_strcasecmp (host, strchr (base, '@') + 1) == 0;
  if (base[0] == '.')
    return dns_in_subtree (host, base);
  return g_ascii_strcasecmp (host, base) == 0;
}

/* The host of a URI "scheme://[user@]host[:port]/..." or NULL. */
static char *
uri_host (const char *uri)
{
  const char *p = strstr (uri, "://"), *end;
  const char *at;

  if (p == NULL)
    return NULL;
  p += 3;
  end = p + strcspn (p, "/?#");
  at = memchr (p, '@', end - p);
  if (at)
    p = at + 1;
  if (*p == '[')
    return NULL;   /* an IP literal: no host name */
  end = p + strcspn (p, ":/?#");
  return end > p ? g_strndup (p, end - p) : NULL;
}

/* IP: address and mask, CIDR style (8 or 32 octets). */
static gboolean
ip_in_subtree (GBytes *addr, GBytes *base)
{
  gsize n = g_bytes_get_size (addr);
  const guint8 *a = g_bytes_get_data (addr, NULL), *b = g_bytes_get_data (base, NULL);

  if (g_bytes_get_size (base) != 2 * n)
    return FALSE;
  for (gsize k = 0; k < n; k++)
    if ((a[k] & b[n + k]) != (b[k] & b[n + k]))
      return FALSE;
  return TRUE;
}

/* Directory names: the constraint's RDNs begin the name, compared RDN by
 * RDN in their DER (RFC 5280, 7.1 allows a more lenient comparison; these
 * are compared as encoded, which 4.2.1.10 tells CAs to rely on). */
static gboolean
dir_in_subtree (GBytes *name, GBytes *base)
{
  g_autoptr (GPtrArray) n = tls_name_split_rdns (name);
  g_autoptr (GPtrArray) b = tls_name_split_rdns (base);

  if (n == NULL || b == NULL || b->len > n->len)
    return FALSE;
  for (guint k = 0; k < b->len; k++)
    if (!g_bytes_equal (g_ptr_array_index (n, k), g_ptr_array_index (b, k)))
      return FALSE;
  return TRUE;
}

static gboolean
in_subtree (const TlsGeneralName *name, const TlsGeneralName *base, gboolean *unusable)
{
  *unusable = FALSE;
  switch (name->type)
    {
    case TLS_GN_DNS:
      return dns_in_subtree (name->text, base->text);
    case TLS_GN_EMAIL:
      return email_in_subtree (name->text, base->text);
    case TLS_GN_IP:
      return name->data && base->data && ip_in_subtree (name->data, base->data);
    case TLS_GN_DIR:
      return name->data && base->data && dir_in_subtree (name->data, base->data);
    case TLS_GN_URI:
      {
        g_autofree char *host = uri_host (name->text);
        if (host == NULL)
          {
            *unusable = TRUE;   /* "the application MUST reject the certificate" */
            return FALSE;
          }
        if (base->text[0] == '.')
          return dns_in_subtree (host, base->text);
        return g_ascii_strcasecmp (host, base->text) == 0;
      }
    default:
      *unusable = TRUE;
      return FALSE;
    }
}

/* The names of CERT of FORM: the subject (directory names, when not
 * empty) and every subjectAltName entry of that form. */
static GPtrArray *
names_of (const TlsCertificate *cert, int form)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *alt = tls_certificate_get_alt_names (cert);

  for (guint k = 0; alt && k < alt->len; k++)
    {
      TlsGeneralName *gn = g_ptr_array_index (alt, k);
      if ((int) gn->type == form)
        {
          TlsGeneralName *copy = g_new0 (TlsGeneralName, 1);
          *copy = *gn;   /* borrowed text and data */
          g_ptr_array_add (out, copy);
        }
    }
  if (form == TLS_GN_DIR && g_bytes_get_size (tls_certificate_get_subject_der (cert)) > 2)
    {
      TlsGeneralName *copy = g_new0 (TlsGeneralName, 1);
      copy->type = TLS_GN_DIR;
      copy->text = (char *) tls_certificate_get_subject (cert);
      copy->data = tls_certificate_get_subject_der (cert);
      g_ptr_array_insert (out, 0, copy);
    }
  return out;
}

static void
append_bases (GString *s, GPtrArray *arr, int form)
{
  for (guint k = 0; arr && k < arr->len; k++)
    {
      TlsGeneralName *b = g_ptr_array_index (arr, k);
      if ((int) b->type == form)
        g_string_append_printf (s, "%s“%s”", s->len ? ", " : "", b->text[0] ? b->text : _("(any)"));
    }
}

Outcome
tls_verify_check_name_constraints (TlsVerifier *v, TlsStep *step, guint i, int form)
{
  TlsCertificate *ca = PATH_CERT (v, i);
  GPtrArray *perm = NULL, *excl = NULL;
  const char *odd = NULL;
  g_autoptr (GString) p_text = g_string_new (NULL);
  g_autoptr (GString) e_text = g_string_new (NULL);
  g_autoptr (GString) judged = g_string_new (NULL);
  gboolean has_perm = FALSE;

  tls_certificate_get_name_constraints (ca, &perm, &excl, &odd);
  append_bases (p_text, perm, form);
  append_bases (e_text, excl, form);
  has_perm = p_text->len > 0;
  step->subject = g_strdup_printf (_("the %s of the certificates below “%s”"), form_name (form), short_name (ca));
  step->against = g_strdup_printf (_("permitted: %s; excluded: %s"), has_perm ? p_text->str : _("(no limit)"),
                                   e_text->len ? e_text->str : _("(none)"));
  tls_step_explain (step, "RFC 5280, 4.2.1.10; 6.1.3 (b), (c)",
                    _("A CA may confine the names of every certificate below it: \"Any name matching a "
                      "restriction in the excludedSubtrees field is invalid regardless of information "
                      "appearing in the permittedSubtrees\"; when permitted subtrees of a name form "
                      "are given, each name of that form must lie in one. The subject and every "
                      "subjectAltName are judged; \"Name constraints are not applied to self-issued "
                      "certificates (unless the certificate is the final certificate in the path)\". "
                      "A DNS constraint is satisfied by adding labels on the left; IP constraints are "
                      "an address and a mask."));
  if (form == TLS_GN_OTHER)
    {
      tls_step_set_reason (step, _("“%s” has constraints this program cannot process: %s; RFC 5280, "
                                   "4.2.1.10: \"the application MUST either process the constraint or "
                                   "reject the certificate\""), short_name (ca),
                           odd ? odd : _("a name form other than DNS, email, IP, directory name or URI"));
      return (Outcome) { FALSE, TLS_ALERT_UNSUPPORTED_CERTIFICATE };
    }

  for (guint k = 0; k < i; k++)
    {
      TlsCertificate *c = PATH_CERT (v, k);
      g_autoptr (GPtrArray) names = NULL;

      if (k > 0 && tls_certificate_is_self_issued (c))
        continue;
      names = names_of (c, form);
      for (guint m = 0; m < names->len; m++)
        {
          TlsGeneralName *n = g_ptr_array_index (names, m);
          gboolean unusable = FALSE, ok = !has_perm;

          g_string_append_printf (judged, "%s%s", judged->len ? ", " : "", n->text);
          for (guint e = 0; excl && e < excl->len; e++)
            {
              TlsGeneralName *b = g_ptr_array_index (excl, e);
              if ((int) b->type == form && in_subtree (n, b, &unusable))
                {
                  tls_step_set_reason (step, _("“%s” of “%s” lies in the excluded subtree “%s” of “%s”"),
                                       n->text, short_name (c), b->text, short_name (ca));
                  return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
                }
            }
          for (guint e = 0; perm && e < perm->len && !ok; e++)
            {
              TlsGeneralName *b = g_ptr_array_index (perm, e);
              if ((int) b->type == form && in_subtree (n, b, &unusable))
                ok = TRUE;
            }
          if (unusable)
            {
              tls_step_set_reason (step, _("“%s” of “%s” cannot be judged against the constraint (a URI "
                                           "without a host name): RFC 5280, 4.2.1.10 says reject it"),
                                   n->text, short_name (c));
              return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
            }
          if (!ok)
            {
              tls_step_set_reason (step, _("“%s” of “%s” lies in none of the permitted subtrees of “%s” "
                                           "(%s)"), n->text, short_name (c), short_name (ca), p_text->str);
              return (Outcome) { FALSE, TLS_ALERT_BAD_CERTIFICATE };
            }
        }
    }
  if (judged->len == 0)
    tls_step_set_reason (step, _("no name of this form below “%s”: \"If no name of the type is in the "
                                 "certificate, the certificate is acceptable\""), short_name (ca));
  else
    tls_step_set_reason (step, _("every name lies within the constraints: %s"), judged->str);
  return (Outcome) { TRUE, 0 };
}

/* RFC 5280, 4.2.1.6: a dNSName "MUST be in the \"preferred name syntax\",
 * as specified by Section 3.5 of [RFC1034] and as modified by Section 2.1
 * of [RFC1123]": labels of letters, digits and hyphens, not starting or
 * ending with a hyphen (a digit may start a label since RFC 1123).  A
 * wildcard "*" as the whole left-most label is let through (4.2.1.6 leaves
 * wildcards to the application; RFC 6125, 6.4.3). */
gboolean
tls_verify_dns_syntax_ok (const char *name, char **why)
{
  g_auto (GStrv) labels = NULL;
  gsize len = strlen (name);

  if (len == 0 || g_str_equal (name, " "))
    {
      *why = g_strdup (_("an empty (or \" \") dNSName"));
      return FALSE;
    }
  if (len > 253)
    {
      *why = g_strdup_printf (_("“%s” is longer than 253 characters"), name);
      return FALSE;
    }
  labels = g_strsplit (name, ".", -1);
  for (guint k = 0; labels[k]; k++)
    {
      const char *l = labels[k];
      gsize n = strlen (l);

      if (k == 0 && g_str_equal (l, "*") && labels[1] != NULL)
        continue;
      if (n == 0 || n > 63)
        {
          *why = g_strdup_printf (_("“%s” has an empty label or one longer than 63 characters"), name);
          return FALSE;
        }
      if (l[0] == '-' || l[n - 1] == '-')
        {
          *why = g_strdup_printf (_("a label of “%s” starts or ends with a hyphen"), name);
          return FALSE;
        }
      for (gsize c = 0; c < n; c++)
        if (!g_ascii_isalnum (l[c]) && l[c] != '-')
          {
            *why = g_strdup_printf (_("“%s” contains “%c”, which is not a letter, a digit or a hyphen"),
                                    name, l[c]);
            return FALSE;
          }
    }
  return TRUE;
}
