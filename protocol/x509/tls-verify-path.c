/* tls-verify-path.c — building the certification path (RFC 5280, 6.1;
 * RFC 4158): every path from the end entity to a trust anchor, tried in
 * turn until one passes, each one tried shown in the decision step. */
#include "tls-verify-path.h"

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

/* RFC 4158 (path building): every path to a trust anchor, depth first, the best
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

char *
tls_verify_path_text (GPtrArray *path)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < path->len; i++)
    g_string_append_printf (s, "%s%s", i ? " ← " : "", short_name (g_ptr_array_index (path, i)));
  return g_string_free (s, FALSE);
}

/* The end entity: RFC 5246 puts it first, but a careless server may not.
 * It is the certificate that issued none of the others (the first one
 * when it qualifies, else the first that is not a CA). */
guint
tls_verify_find_end_entity (const TlsVerifier *v)
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

GPtrArray *
tls_verify_find_paths (const TlsVerifier *v, TlsCertificate *ee, guint max, GPtrArray **partial)
{
  Search s = { (TlsVerifier *) v, g_ptr_array_new (),
               g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref), NULL, max };

  g_ptr_array_add (s.cur, ee);
  search (&s);
  g_ptr_array_unref (s.cur);
  if (partial)
    *partial = s.partial;
  else
    g_clear_pointer (&s.partial, g_ptr_array_unref);
  return s.found;
}
