/* cmd-verify.c — `handshake-lab verify`: check a certificate chain against
 * trust anchors, printing each check with its result (issue 3). */
#include "config.h"
#include "cli-common.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tls-alert.h"
#include "tls-pem.h"
#include "tls-verify.h"
#include "tls-x509.h"

/* A check: its number, result and title; what was checked, against what,
 * and why it passed or failed. */
static void
print_step (const TlsStep *st)
{
  const char *mark;

  switch (st->kind)
    {
    case TLS_STEP_CHECK:
      mark = st->result == TLS_CHECK_PASSED ? _("passed")
           : st->result == TLS_CHECK_FAILED ? _("FAILED") : _("not checked");
      break;
    case TLS_STEP_DECISION:
      mark = _("decision");
      break;
    default:
      mark = tls_step_kind_name (st->kind);
      break;
    }
  g_print ("%3u  %-11s %s\n", st->index + 1, mark, st->title);
  if (st->subject != NULL)
    g_print ("%17s%s %s\n", "", _("checked:"), st->subject);
  if (st->against != NULL)
    g_print ("%17s%s %s\n", "", _("against:"), st->against);
  /* the decision: the certificates it had, and each path tried */
  for (guint k = 0; st->kind == TLS_STEP_DECISION && st->options && k < st->options->len; k++)
    g_print ("%17s%s %s\n", "", _("option:"), (const char *) g_ptr_array_index (st->options, k));
  if (st->choice != NULL && st->kind == TLS_STEP_DECISION)
    g_print ("%17s%s %s\n", "", _("chosen:"), st->choice);
  if (st->reason != NULL)
    g_print ("%17s%s %s\n", "", st->kind == TLS_STEP_CHECK ? _("result:") : _("why:"),
             st->reason);
}

/* "2026-06-01T12:00:00Z" (no zone: UTC), or unix seconds. */
static gboolean
parse_time (const char *text, gint64 *out)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) dt = NULL;
  gint64 secs;

  if (g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &secs, NULL))
    {
      *out = secs;
      return TRUE;
    }
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    {
      /* A date alone ("2026-06-01") means its midnight, UTC. */
      g_autofree char *midnight = g_strdup_printf ("%sT00:00:00Z", text);
      if (strlen (text) == 10)
        dt = g_date_time_new_from_iso8601 (midnight, utc);
    }
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

int
cli_cmd_verify (int argc, char **argv)
{
  g_autofree char *trust = NULL;
  g_autofree char *untrusted = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *host = NULL;
  g_autofree char *purpose_text = NULL;
  g_autofree char *policy_text = NULL;
  g_autofree char *kx_text = NULL;
  const GOptionEntry entries[] = {
    { "trust", 0, 0, G_OPTION_ARG_FILENAME, &trust,
      N_("Trust anchors: the CA certificates of FILE (required)"), N_("FILE") },
    { "untrusted", 0, 0, G_OPTION_ARG_FILENAME, &untrusted,
      N_("More certificates to build the path from (intermediates; may be empty)"), N_("FILE") },
    { "time", 0, 0, G_OPTION_ARG_STRING, &time_text,
      N_("Check validity at this time: ISO 8601 or unix seconds (default: now)"),
      N_("ISO8601|UNIX") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host,
      N_("Check the leaf against this host name or IP address"), N_("NAME") },
    { "purpose", 0, 0, G_OPTION_ARG_STRING, &purpose_text,
      N_("What the leaf is for: server (default) or client"), N_("server|client") },
    { "policy", 0, 0, G_OPTION_ARG_STRING, &policy_text,
      N_("The rules: web (default, RFC 5280 and the CA/Browser Forum Baseline Requirements, as "
         "browsers and the handshake) or rfc5280 (RFC 5280 alone)"), N_("web|rfc5280") },
    { "kx", 0, 0, G_OPTION_ARG_STRING, &kx_text,
      N_("The key exchange the server's key is for (RSA, DHE_RSA, ECDHE_ECDSA...): its key type and "
         "keyUsage bit are then required (default: none, any usage a TLS server may have)"), N_("KX") },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) anchors = NULL;
  g_autoptr (GPtrArray) extra = NULL;
  g_autoptr (GPtrArray) chain = NULL;
  TlsPurpose purpose = TLS_PURPOSE_SERVER;
  TlsVerifyPolicy policy = TLS_VERIFY_POLICY_WEB;
  int kx = TLS_VERIFY_NO_KX;
  g_autoptr (TlsTrace) trace = NULL;
  TlsVerifyParams params = { 0 };
  TlsVerifier *v;
  int alert;
  gint64 at = 0;

  ctx = cli_option_context_new ("verify", "CERT.pem",
                                _("Check the certificate chain of CERT.pem (leaf first; more "
                                  "certificates may follow) and print each check."), entries);
  if (!cli_parse_options (ctx, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc < 2)
    return cli_usage_error ("verify", _("missing CERT.pem"));
  if (argc > 2)
    return cli_usage_error ("verify", _("unexpected argument “%s”"), argv[2]);
  if (trust == NULL)
    return cli_usage_error ("verify", _("--trust FILE is required"));
  if (purpose_text != NULL)
    {
      if (strcmp (purpose_text, "server") == 0)
        purpose = TLS_PURPOSE_SERVER;
      else if (strcmp (purpose_text, "client") == 0)
        purpose = TLS_PURPOSE_CLIENT;
      else
        return cli_usage_error ("verify", _("--purpose: “%s” is neither server nor client"),
                                purpose_text);
    }
  if (policy_text != NULL && !tls_verify_policy_parse (policy_text, &policy))
    return cli_usage_error ("verify", _("--policy: “%s” is neither web nor rfc5280"), policy_text);
  if (kx_text != NULL)
    {
      for (int k = TLS_KX_RSA; k <= TLS_KX_DH_DSS && kx == TLS_VERIFY_NO_KX; k++)
        if (g_ascii_strcasecmp (kx_text, tls_kx_name (k)) == 0)
          kx = k;
      if (kx == TLS_VERIFY_NO_KX)
        return cli_usage_error ("verify", _("--kx: “%s” is not a key exchange (RSA, DHE_RSA, DHE_DSS, "
                                            "ECDHE_RSA, ECDHE_ECDSA, DH_RSA, DH_DSS)"), kx_text);
      if (purpose == TLS_PURPOSE_CLIENT)
        return cli_usage_error ("verify", _("--kx is for a server's certificate (--purpose server)"));
    }
  if (time_text != NULL && !parse_time (time_text, &at))
    return cli_usage_error ("verify", _("--time: “%s” is neither an ISO 8601 time nor "
                                        "unix seconds"), time_text);
  if (time_text == NULL)
    at = g_get_real_time () / G_USEC_PER_SEC;

  if ((anchors = cli_load_certificates (trust, &error)) == NULL)
    return cli_usage_error ("verify", "%s", error->message);
  if (untrusted != NULL)
    {
      if (!cli_check_file (untrusted, &error))
        return cli_usage_error ("verify", "%s", error->message);
      /* An empty file is allowed: no intermediates. */
      extra = cli_load_certificates (untrusted, &error);
      if (extra == NULL && !g_error_matches (error, TLS_PKI_ERROR, TLS_PKI_ERROR_NO_PEM))
        return cli_usage_error ("verify", "%s", error->message);
      g_clear_error (&error);
    }
  if ((chain = cli_load_certificates (argv[1], &error)) == NULL)
    return cli_usage_error ("verify", "%s", error->message);

  params.now = at;
  params.host = host;
  params.purpose = purpose;
  params.kx = kx;
  params.policy = policy;
  trace = tls_trace_new ();
  tls_trace_set_meta (trace, "command", "verify");
  tls_trace_set_meta (trace, "policy", tls_verify_policy_name (policy));
  g_print (_("Policy: %s\n"), policy == TLS_VERIFY_POLICY_WEB
           ? _("web (RFC 5280 and the CA/Browser Forum Baseline Requirements, as browsers)")
           : _("rfc5280 (RFC 5280 alone)"));
  trace->clock = at;
  v = tls_verifier_new (&params, chain, anchors, extra);
  /* One step a check; the verifier bounds the path (max_depth). */
  while (tls_verifier_step (v, trace, purpose == TLS_PURPOSE_SERVER ? TLS_ACTOR_CLIENT
                                                                    : TLS_ACTOR_SERVER))
    print_step (tls_trace_last (trace));
  alert = tls_verifier_alert (v);
  if (alert == 0)
    {
      /* The end entity of the path built, which need not be the file's
       * first certificate (a chain out of order still validates). */
      GPtrArray *path = tls_verifier_get_path (v);
      TlsCertificate *leaf = path && path->len ? g_ptr_array_index (path, 0)
                                               : g_ptr_array_index (chain, 0);
      g_print (_("Valid: %s\n"), tls_certificate_get_subject (leaf));
    }
  else
    cli_failure ("verify", _("invalid: %s failed (%s, alert %d): %s [rule: %s; policy %s]"),
                 tls_verifier_failed_check (v) ? tls_verifier_failed_check (v) : "?",
                 tls_alert_name (alert), alert,
                 tls_verifier_reason (v) ? tls_verifier_reason (v) : "",
                 tls_verifier_failed_rule (v) ? tls_verifier_failed_rule (v) : "?",
                 tls_verify_policy_name (policy));
  tls_verifier_free (v);
  return alert == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}
