/* tls-verify-path.c — building the certification path (RFC 5280, 6.1;
 * RFC 4158): every path from the end entity to a trust anchor, tried in
 * turn until one passes, each one tried shown in the decision step. */
#include "tls-verify-private.h"

#include <glib/gi18n-lib.h>

#define short_name tls_verify_short_name
#define same_cert tls_verify_same_cert
#define in_array tls_verify_in_array
#define path_cert(v, i) PATH_CERT (v, i)

/* How well CANDIDATE fits as the issuer of CERT: 0 not at all (names
 * differ), 1 names match but key identifiers differ, 2 names match and
 * there is nothing to compare, 3 names and key identifiers match. */
static int
issuer_score (const TlsCertificate *cert, const TlsCertificate *candidate)
{
  GBytes *aki = tls_certificate_get_authority_key_id (cert);
  GBytes *ski = tls_certificate_get_subject_key_id (candidate);

  if (!g_bytes_equal (tls_certificate_get_issuer_der (cert), tls_certificate_get_subject_der (candidate)))
    return 0;
  if (aki == NULL || ski == NULL)
    return 2;
  return g_bytes_equal (aki, ski) ? 3 : 1;
}

/* RFC 4158, 2.4: every path to a trust anchor, depth first, the best
 * candidates first (trust anchors, then names and key identifiers that
 * match).  At most MAX_PATHS complete paths; PARTIAL keeps the longest
 * path that reaches no anchor, for the message when there is none. */
#define MAX_PATHS 8

typedef struct
{
  TlsVerifier *v;
  GPtrArray   *cur;        /* TlsCertificate*, not owned */
  GPtrArray   *found;      /* GPtrArray* of complete paths */
  GPtrArray   *partial;    /* the longest incomplete one */
  guint        max;
} Search;

static void
add_candidates (GPtrArray *out, GArray *scores, GPtrArray *from, const TlsCertificate *cert,
                GPtrArray *cur, gboolean anchor)
{
  for (guint i = 0; from != NULL && i < from->len; i++)
    {
      TlsCertificate *c = g_ptr_array_index (from, i);
      int score = issuer_score (cert, c);
      guint k = 0;

      if (score == 0 || in_array (cur, c) || in_array (out, c))
        continue;
      score += anchor ? 10 : 0;
      while (k < scores->len && g_array_index (scores, int, k) >= score)
        k++;
      g_ptr_array_insert (out, (int) k, c);
      g_array_insert_val (scores, k, score);
    }
}

static void
search (Search *s)
{
  TlsCertificate *cert = g_ptr_array_index (s->cur, s->cur->len - 1);
  g_autoptr (GPtrArray) cands = g_ptr_array_new ();
  g_autoptr (GArray) scores = g_array_new (FALSE, FALSE, sizeof (int));

  if (s->found->len >= MAX_PATHS)
    return;
  if (in_array (s->v->anchors, cert))
    {
      g_ptr_array_add (s->found, g_ptr_array_copy (s->cur, NULL, NULL));
      return;
    }
  if (s->partial == NULL || s->cur->len > s->partial->len)
    {
      g_clear_pointer (&s->partial, g_ptr_array_unref);
      s->partial = g_ptr_array_copy (s->cur, NULL, NULL);
    }
  if (s->cur->len >= s->max)
    return;
  add_candidates (cands, scores, s->v->anchors, cert, s->cur, TRUE);
  add_candidates (cands, scores, s->v->chain, cert, s->cur, FALSE);
  add_candidates (cands, scores, s->v->untrusted, cert, s->cur, FALSE);
  for (guint i = 0; i < cands->len && s->found->len < MAX_PATHS; i++)
    {
      g_ptr_array_add (s->cur, g_ptr_array_index (cands, i));
      search (s);
      g_ptr_array_remove_index (s->cur, s->cur->len - 1);
    }
}

static char *
path_text (GPtrArray *path)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < path->len; i++)
    g_string_append_printf (s, "%s%s", i ? " ← " : "", short_name (g_ptr_array_index (path, i)));
  return g_string_free (s, FALSE);
}

/* The end entity: RFC 5246 puts it first, but a careless server may not.
 * It is the certificate that issued none of the others (the first one
 * when it qualifies, else the first that is not a CA). */
static guint
find_end_entity (const TlsVerifier *v)
{
  int first = -1, first_leaf = -1;

  for (guint i = 0; i < v->chain->len; i++)
    {
      TlsCertificate *c = g_ptr_array_index (v->chain, i);
      gboolean issued = FALSE, ca = FALSE;

      for (guint k = 0; k < v->chain->len && !issued; k++)
        {
          TlsCertificate *d = g_ptr_array_index (v->chain, k);
          issued = k != i && !same_cert (c, d)
            && g_bytes_equal (tls_certificate_get_issuer_der (d), tls_certificate_get_subject_der (c));
        }
      if (issued)
        continue;
      if (i == 0)
        return 0;
      tls_certificate_get_basic_constraints (c, &ca, NULL);
      if (first < 0)
        first = i;
      if (!ca && first_leaf < 0)
        first_leaf = i;
    }
  return first_leaf >= 0 ? (guint) first_leaf : first >= 0 ? (guint) first : 0;
}

void
tls_verify_build_path (TlsVerifier *v, TlsStep *step)
{
  guint n_tried = 0;
  gboolean tried_all = FALSE;
  guint ee = find_end_entity (v);
  TlsCertificate *cur = g_ptr_array_index (v->chain, ee);
  guint max = v->params.max_depth ? v->params.max_depth : 10;
  g_autoptr (GString) choice = g_string_new (NULL);
  g_autoptr (GString) notes = g_string_new (NULL);
  gboolean in_order = TRUE;

  {
    Search s = { v, g_ptr_array_new (), g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref),
                 NULL, max };
    GPtrArray *chosen = NULL;

    g_ptr_array_add (s.cur, cur);
    search (&s);
    /* try each path to a trust anchor until one passes every check */
    for (guint k = 0; k < s.found->len && chosen == NULL; k++)
      {
        GPtrArray *p = g_ptr_array_index (s.found, k);
        g_autofree char *why = s.found->len > 1 ? tls_verify_try_path (v, p) : NULL;
        g_autofree char *text = path_text (p);

        if (why == NULL)
          chosen = p;
        if (s.found->len > 1 && why != NULL)
          tls_step_add_option (step, _("path %u tried: %s — dropped: %s"), k + 1, text, why);
        else if (s.found->len > 1)
          tls_step_add_option (step, _("path %u tried: %s — passes every check"), k + 1, text);
      }
    if (chosen == NULL && s.found->len > 0)
      {
        chosen = g_ptr_array_index (s.found, 0);
        tried_all = s.found->len > 1;
      }
    n_tried = s.found->len;
    if (chosen != NULL)
      {
        v->anchored = TRUE;
        for (guint k = 0; k < chosen->len; k++)
          g_ptr_array_add (v->path, tls_certificate_ref (g_ptr_array_index (chosen, k)));
      }
    else
      {
        GPtrArray *p = s.partial ? s.partial : s.cur;
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
    g_ptr_array_unref (s.cur);
    g_ptr_array_unref (s.found);
    g_clear_pointer (&s.partial, g_ptr_array_unref);
  }
  /* RFC 5246, 7.4.2: "Each following certificate MUST directly certify
   * the one preceding it" — noted, not required: clients build the path
   * whatever the order.  A trust anchor at the top need not be sent. */
  for (guint k = 1; k < v->path->len; k++)
    {
      if (v->anchored && k == v->path->len - 1)
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

  if (ee != 0)
    g_string_append_printf (notes, _("The first certificate received is not the end entity (RFC 5246, "
                                     "7.4.2: \"the sender's certificate MUST come first\"); certificate "
                                     "#%u is, as it issued none of the others. "), ee + 1);
  g_string_append (notes, _("Starting from the end-entity certificate, each "
                            "certificate's issuer name was looked up among the subjects of the trust "
                            "store, then of the certificates received; the authority/subject key "
                            "identifiers break ties."));
  if (!in_order)
    g_string_append (notes, _(" The certificates did not come in order; that does not matter, the "
                              "path is built whatever the order."));
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
                                     "trust anchor were found (RFC 4158): each was tried in turn, and "
                                     "the first that passes every check was kept."), n_tried);
  if (tried_all)
    g_string_append (notes, _(" None passes; the first is checked below, step by step."));
  g_string_append_printf (notes, _(" Policy: %s."),
                          v->params.policy == TLS_VERIFY_POLICY_WEB
                          ? _("web (RFC 5280 and the CA/Browser Forum Baseline Requirements, as browsers)")
                          : _("rfc5280 (RFC 5280 alone)"));
  if (!v->anchored)
    g_string_append_printf (notes, _(" The path stops: %s."), v->path_problem);
  tls_step_set_reason (step, "%s", notes->str);
  tls_step_explain (step, "RFC 5280, 6.1; RFC 5246, 7.4.2",
                    _("Before anything can be checked, the client puts the certificates in order: "
                      "from the server's own certificate up to a certificate it already trusts. "
                      "\"The sender's certificate MUST come first in the list\"; the others may "
                      "come in any order, and the root may be left out."));
  tls_step_add_text_input (step, "path", step->choice, -1, NULL);

  tls_verify_plan_checks (v);
}

