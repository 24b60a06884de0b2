/* tls-trace-align.c — two runs aligned step by step (tls-trace-align.h). */
#include "config.h"

#include <string.h>

#include "tls-trace-align.h"

/* Larger than this many cells, the table of the longest common subsequence
 * is not built: the middle of the two runs (after their common start and
 * end) is then aligned greedily. */
#define ALIGN_MAX_CELLS (16u * 1024u * 1024u)

/* ------------------------------------------------------------------ */
/* Keys                                                                */

/* TITLE without the names in “...” quotes and without a trailing
 * "(...)": "Validity of “Handshake Lab Root CA”" -> "Validity of “”",
 * "master_secret (extended)" -> "master_secret". */
static char *
title_key (const char *title)
{
  GString *s = g_string_new (NULL);
  const char *open = "\xe2\x80\x9c", *close = "\xe2\x80\x9d";   /* “ ” */
  const char *p = title ? title : "";

  while (*p)
    {
      if (strncmp (p, open, 3) == 0)
        {
          const char *end = strstr (p + 3, close);
          if (end != NULL)
            {
              g_string_append (s, open);
              g_string_append (s, close);
              p = end + 3;
              continue;
            }
        }
      g_string_append_c (s, *p++);
    }
  if (s->len > 0 && s->str[s->len - 1] == ')')
    {
      char *paren = strrchr (s->str, '(');
      if (paren != NULL && paren > s->str && paren[-1] == ' ')
        g_string_truncate (s, paren - 1 - s->str);
    }
  return g_string_free (s, FALSE);
}

char *
tls_step_align_key (const TlsStep *step, gboolean with_connection)
{
  g_autofree char *name = step->kind == TLS_STEP_ALERT ? g_strdup ("alert")
                                                        : title_key (step->title);
  g_autofree char *conn = with_connection ? g_strdup_printf ("%u|", step->connection)
                                          : g_strdup ("");

  return g_strdup_printf ("%s%s|%s|%s", conn, tls_actor_name (step->actor),
                          tls_step_kind_name (step->kind), name);
}

/* ------------------------------------------------------------------ */
/* Differences between two steps                                       */

void
tls_step_diff_free (TlsStepDiff *diff)
{
  if (diff == NULL)
    return;
  g_free (diff->what);
  g_free (diff->left);
  g_free (diff->right);
  g_free (diff);
}

static TlsStepDiff *
diff_add (GPtrArray *out, const char *what, const char *left, const char *right)
{
  TlsStepDiff *d = g_new0 (TlsStepDiff, 1);

  d->what = g_strdup (what);
  d->left = g_strdup (left);
  d->right = g_strdup (right);
  g_ptr_array_add (out, d);
  return d;
}

static void
diff_text (GPtrArray *out, const char *what, const char *a, const char *b)
{
  if (g_strcmp0 (a, b) != 0)
    diff_add (out, what, a, b);
}

static gboolean
bytes_equal (GBytes *a, GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

/* The bytes of field F in BYTES (NULL when they are not all there). */
static const guint8 *
field_data (const TlsField *f, GBytes *bytes)
{
  gsize n;
  const guint8 *p = bytes ? g_bytes_get_data (bytes, &n) : NULL;

  if (p == NULL || f->offset > n || f->length > n - f->offset)
    return NULL;
  return p + f->offset;
}

static char *
field_text (const TlsField *f, GBytes *bytes)
{
  const guint8 *p;

  if (f->value != NULL)
    return g_strdup (f->value);
  p = field_data (f, bytes);
  return p ? tls_hex_preview (p, f->length, 16) : NULL;
}

static gboolean
field_equal (const TlsField *a, GBytes *ab, const TlsField *b, GBytes *bb)
{
  const guint8 *pa = field_data (a, ab), *pb = field_data (b, bb);

  if (g_strcmp0 (a->value, b->value) != 0 || a->length != b->length)
    return FALSE;
  if (pa == NULL || pb == NULL)
    return pa == pb;
  return memcmp (pa, pb, a->length) == 0;
}

static void
field_diff_add (GPtrArray *out, const char *path, const TlsField *a, GBytes *ab,
                const TlsField *b, GBytes *bb)
{
  g_autofree char *ta = a ? field_text (a, ab) : NULL;
  g_autofree char *tb = b ? field_text (b, bb) : NULL;
  TlsStepDiff *d = diff_add (out, path, ta, tb);

  d->is_field = TRUE;
  if (a)
    {
      d->left_offset = a->offset;
      d->left_length = a->length;
    }
  if (b)
    {
      d->right_offset = b->offset;
      d->right_length = b->length;
    }
}

/* The child of F that is the Nth (from 0) named NAME, or NULL. */
static const TlsField *
nth_named (const TlsField *f, const char *name, guint n)
{
  for (guint i = 0; i < tls_field_n_children (f); i++)
    {
      const TlsField *c = tls_field_child (f, i);
      if (g_strcmp0 (c->name, name) == 0 && n-- == 0)
        return c;
    }
  return NULL;
}

/* How many children of F before index I are named NAME. */
static guint
rank_of (const TlsField *f, guint i)
{
  const char *name = tls_field_child (f, i)->name;
  guint n = 0;

  for (guint k = 0; k < i; k++)
    n += g_strcmp0 (tls_field_child (f, k)->name, name) == 0;
  return n;
}

static char *
child_path (const char *path, const char *name, guint rank)
{
  g_autofree char *me = rank > 0 ? g_strdup_printf ("%s[%u]", name, rank + 1) : g_strdup (name);

  return path && *path ? g_strdup_printf ("%s/%s", path, me) : g_steal_pointer (&me);
}

/* Children are paired by name and rank among the children of that name;
 * a pair of leaves (or a leaf and a subtree) is compared by value and
 * bytes, a pair of subtrees child by child. */
static void
fields_diff (GPtrArray *out, const char *path, const TlsField *a, GBytes *ab,
             const TlsField *b, GBytes *bb)
{
  if (tls_field_n_children (a) == 0 || tls_field_n_children (b) == 0)
    {
      if (!field_equal (a, ab, b, bb))
        field_diff_add (out, path && *path ? path : a->name, a, ab, b, bb);
      return;
    }
  for (guint i = 0; i < tls_field_n_children (a); i++)
    {
      const TlsField *ca = tls_field_child (a, i);
      guint rank = rank_of (a, i);
      const TlsField *cb = nth_named (b, ca->name, rank);
      g_autofree char *p = child_path (path, ca->name, rank);

      if (cb == NULL)
        field_diff_add (out, p, ca, ab, NULL, bb);
      else
        fields_diff (out, p, ca, ab, cb, bb);
    }
  for (guint i = 0; i < tls_field_n_children (b); i++)
    {
      const TlsField *cb = tls_field_child (b, i);
      guint rank = rank_of (b, i);

      if (nth_named (a, cb->name, rank) == NULL)
        {
          g_autofree char *p = child_path (path, cb->name, rank);
          field_diff_add (out, p, NULL, ab, cb, bb);
        }
    }
}

static char *
value_text (const TlsTraceValue *v)
{
  if (v == NULL)
    return NULL;
  if (v->bytes != NULL)
    {
      gsize n;
      const guint8 *p = g_bytes_get_data (v->bytes, &n);
      return tls_hex_preview (p, n, 16);
    }
  return g_strdup (v->text);
}

static const TlsTraceValue *
value_named (GPtrArray *values, const char *name)
{
  for (guint i = 0; values && i < values->len; i++)
    {
      const TlsTraceValue *v = g_ptr_array_index (values, i);
      if (g_strcmp0 (v->name, name) == 0)
        return v;
    }
  return NULL;
}

/* Values are paired by name; WHAT is "input" or "output". */
static void
values_diff (GPtrArray *out, const char *what, GPtrArray *a, GPtrArray *b)
{
  for (guint i = 0; a && i < a->len; i++)
    {
      const TlsTraceValue *va = g_ptr_array_index (a, i);
      const TlsTraceValue *vb = value_named (b, va->name);

      if (vb == NULL || !bytes_equal (va->bytes, vb->bytes) || g_strcmp0 (va->text, vb->text) != 0)
        {
          g_autofree char *name = g_strdup_printf ("%s %s", what, va->name);
          g_autofree char *ta = value_text (va);
          g_autofree char *tb = value_text (vb);
          diff_add (out, name, ta, tb);
        }
    }
  for (guint i = 0; b && i < b->len; i++)
    {
      const TlsTraceValue *vb = g_ptr_array_index (b, i);

      if (value_named (a, vb->name) == NULL)
        {
          g_autofree char *name = g_strdup_printf ("%s %s", what, vb->name);
          g_autofree char *tb = value_text (vb);
          diff_add (out, name, NULL, tb);
        }
    }
}

static char *
options_text (GPtrArray *options)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; options && i < options->len; i++)
    g_string_append_printf (s, "%s%s", i ? "; " : "", (char *) g_ptr_array_index (options, i));
  return g_string_free (s, FALSE);
}

static char *
bytes_text (GBytes *b)
{
  gsize n;
  const guint8 *p;

  if (b == NULL)
    return NULL;
  p = g_bytes_get_data (b, &n);
  return tls_hex_preview (p, n, 16);
}

GPtrArray *
tls_step_diff (const TlsStep *a, const TlsStep *b, gboolean *bytes_differ)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_step_diff_free);
  gboolean differ = FALSE;

  diff_text (out, "title", a->title, b->title);
  if (a->kind != b->kind)
    diff_add (out, "kind", tls_step_kind_name (a->kind), tls_step_kind_name (b->kind));
  switch (a->kind)
    {
    case TLS_STEP_MESSAGE:
    case TLS_STEP_APPDATA:
    case TLS_STEP_ALERT:
      if (!bytes_equal (a->bytes, b->bytes))
        {
          differ = TRUE;
          if (a->fields != NULL && b->fields != NULL)
            {
              guint before = out->len;

              fields_diff (out, NULL, a->fields, a->bytes, b->fields, b->bytes);
              if (out->len == before)
                {
                  g_autofree char *ta = bytes_text (a->bytes), *tb = bytes_text (b->bytes);
                  diff_add (out, "bytes", ta, tb);
                }
            }
          else
            {
              g_autofree char *ta = bytes_text (a->bytes), *tb = bytes_text (b->bytes);
              diff_add (out, "bytes", ta, tb);
            }
        }
      if (!bytes_equal (a->wire, b->wire))
        {
          g_autofree char *ta = bytes_text (a->wire), *tb = bytes_text (b->wire);
          differ = TRUE;
          diff_add (out, "wire", ta, tb);
        }
      break;
    default:
      break;
    }
  diff_text (out, "formula", a->formula, b->formula);
  values_diff (out, "input", a->inputs, b->inputs);
  values_diff (out, "output", a->outputs, b->outputs);
  if (a->kind == TLS_STEP_CHECK)
    {
      diff_text (out, "subject", a->subject, b->subject);
      diff_text (out, "against", a->against, b->against);
      diff_text (out, "result", tls_check_result_name (a->result),
                 tls_check_result_name (b->result));
    }
  if (a->kind == TLS_STEP_DECISION)
    {
      g_autofree char *oa = options_text (a->options), *ob = options_text (b->options);
      diff_text (out, "options", oa, ob);
      diff_text (out, "choice", a->choice, b->choice);
    }
  diff_text (out, "reason", a->reason, b->reason);
  if (bytes_differ)
    *bytes_differ = differ;
  return out;
}

char *
tls_step_diff_summary (GPtrArray *diffs, guint max)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; diffs && i < diffs->len; i++)
    {
      const TlsStepDiff *d = g_ptr_array_index (diffs, i);

      if (i == max)
        {
          g_string_append_printf (s, ", … (%u in all)", diffs->len);
          break;
        }
      g_string_append_printf (s, "%s%s", i ? ", " : "", d->what);
    }
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------ */
/* Alignment                                                           */

static void
row_free (TlsAlignRow *row)
{
  if (row->diffs)
    g_ptr_array_unref (row->diffs);
  g_free (row);
}

void
tls_alignment_free (TlsAlignment *alignment)
{
  if (alignment == NULL)
    return;
  g_ptr_array_unref (alignment->rows);
  g_free (alignment);
}

TlsAlignRow *
tls_alignment_row (const TlsAlignment *alignment, guint i)
{
  return i < alignment->rows->len ? g_ptr_array_index (alignment->rows, i) : NULL;
}

gboolean
tls_align_row_diverges (const TlsAlignRow *row)
{
  return row->kind != TLS_ALIGN_BOTH || (row->diffs != NULL && row->diffs->len > 0);
}

int
tls_alignment_find (const TlsAlignment *alignment, gboolean right_side, guint index)
{
  for (guint i = 0; i < alignment->rows->len; i++)
    {
      const TlsAlignRow *r = g_ptr_array_index (alignment->rows, i);
      if ((right_side ? r->right : r->left) == (int) index)
        return (int) i;
    }
  return -1;
}

/* The steps of TRACE that take part: of CONNECTION (-1: all), at DETAIL;
 * with LADDER only what travels (messages, alerts, application data). */
static GArray *
steps_of (const TlsTrace *trace, int connection, TlsDetail detail, gboolean ladder)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);

      if (connection >= 0 && s->connection != (guint) connection)
        continue;
      if (detail == TLS_DETAIL_LESSON && s->parent >= 0)
        continue;
      if (ladder && !tls_step_kind_travels (s->kind))
        continue;
      g_array_append_val (out, i);
    }
  return out;
}

static GPtrArray *
keys_of (const TlsTrace *trace, GArray *steps, gboolean with_connection)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < steps->len; i++)
    g_ptr_array_add (out, tls_step_align_key (tls_trace_get (trace, g_array_index (steps, guint, i)),
                                              with_connection));
  return out;
}

static void
add_row (TlsAlignment *al, TlsAlignKind kind, int left, int right)
{
  TlsAlignRow *row = g_new0 (TlsAlignRow, 1);

  row->kind = kind;
  row->left = left;
  row->right = right;
  g_ptr_array_add (al->rows, row);
}

#define KEY(keys, i) ((const char *) g_ptr_array_index ((keys), (i)))

/* Aligns KA[A0, A1) with KB[B0, B1) into MATCH_A (for each index of A, the
 * matched index of B or -1).  Longest common subsequence by a table of
 * suffix lengths, or greedily when the table would be too large. */
static void
lcs (GPtrArray *ka, guint a0, guint a1, GPtrArray *kb, guint b0, guint b1, int *match_a)
{
  guint n = a1 - a0, m = b1 - b0;
  guint32 *t;

  if (n == 0 || m == 0)
    return;
  if ((guint64) (n + 1) * (m + 1) > ALIGN_MAX_CELLS)
    {
      guint j = b0;
      for (guint i = a0; i < a1; i++)
        for (guint k = j; k < b1; k++)
          if (g_str_equal (KEY (ka, i), KEY (kb, k)))
            {
              match_a[i] = (int) k;
              j = k + 1;
              break;
            }
      return;
    }
  t = g_new0 (guint32, (gsize) (n + 1) * (m + 1));
#define T(i, j) t[(gsize) (i) * (m + 1) + (j)]
  for (guint i = n; i-- > 0;)
    for (guint j = m; j-- > 0;)
      T (i, j) = g_str_equal (KEY (ka, a0 + i), KEY (kb, b0 + j)) ? T (i + 1, j + 1) + 1
                                                                : MAX (T (i + 1, j), T (i, j + 1));
  for (guint i = 0, j = 0; i < n && j < m;)
    {
      if (g_str_equal (KEY (ka, a0 + i), KEY (kb, b0 + j)))
        {
          match_a[a0 + i] = (int) (b0 + j);
          i++, j++;
        }
      else if (T (i + 1, j) >= T (i, j + 1))
        i++;
      else
        j++;
    }
#undef T
  g_free (t);
}

static TlsActor
row_actor (const TlsAlignRow *row, const TlsTrace *left, const TlsTrace *right)
{
  return row->left >= 0 ? tls_trace_get (left, (guint) row->left)->actor
                        : tls_trace_get (right, (guint) row->right)->actor;
}

/* Between two rows of both runs, the steps of one run only go left run's
 * first, then the right's.  For the ladders they are interleaved by sender
 * instead, so one side's flight stays together: the rows of the sender of
 * the row before come first, from either run. */
static void
order_by_sender (TlsAlignment *al, const TlsTrace *left, const TlsTrace *right)
{
  GPtrArray *rows = al->rows;

  for (guint s = 0; s < rows->len;)
    {
      guint e = s, nl = 0, nr = 0;
      g_autoptr (GPtrArray) ls = g_ptr_array_new ();
      g_autoptr (GPtrArray) rs = g_ptr_array_new ();
      int last;

      while (e < rows->len && ((TlsAlignRow *) rows->pdata[e])->kind != TLS_ALIGN_BOTH)
        {
          TlsAlignRow *row = rows->pdata[e++];
          g_ptr_array_add (row->kind == TLS_ALIGN_LEFT_ONLY ? ls : rs, row);
        }
      if (e == s)
        {
          s++;
          continue;
        }
      last = s > 0 ? (int) row_actor (rows->pdata[s - 1], left, right) : -1;
      for (guint k = s; k < e; k++)
        {
          TlsAlignRow *a = nl < ls->len ? ls->pdata[nl] : NULL;
          TlsAlignRow *b = nr < rs->len ? rs->pdata[nr] : NULL;
          gboolean take_b = a == NULL
                            || (b != NULL && (int) row_actor (a, left, right) != last
                                && (int) row_actor (b, left, right) == last);
          TlsAlignRow *row = take_b ? b : a;

          if (take_b)
            nr++;
          else
            nl++;
          rows->pdata[k] = row;
          last = (int) row_actor (row, left, right);
        }
      s = e;
    }
}

static TlsAlignment *
align (const TlsTrace *left, int left_connection, const TlsTrace *right, int right_connection,
       TlsDetail detail, gboolean ladder)
{
  TlsAlignment *al = g_new0 (TlsAlignment, 1);
  gboolean with_conn = left_connection < 0 || right_connection < 0;
  g_autoptr (GArray) sa = steps_of (left, left_connection, detail, ladder);
  g_autoptr (GArray) sb = steps_of (right, right_connection, detail, ladder);
  g_autoptr (GPtrArray) ka = keys_of (left, sa, with_conn);
  g_autoptr (GPtrArray) kb = keys_of (right, sb, with_conn);
  g_autofree int *match = g_new (int, sa->len + 1);
  guint pre = 0, post = 0, j = 0;

  al->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  al->first_divergence = al->first_alert_left = al->first_alert_right = -1;
  for (guint i = 0; i < sa->len; i++)
    match[i] = -1;

  /* the common start and end match as they are */
  while (pre < sa->len && pre < sb->len && g_str_equal (KEY (ka, pre), KEY (kb, pre)))
    {
      match[pre] = (int) pre;
      pre++;
    }
  while (post < sa->len - pre && post < sb->len - pre
         && g_str_equal (KEY (ka, sa->len - 1 - post), KEY (kb, sb->len - 1 - post)))
    {
      match[sa->len - 1 - post] = (int) (sb->len - 1 - post);
      post++;
    }
  lcs (ka, pre, sa->len - post, kb, pre, sb->len - post, match);

  /* rows: between two matches, the left run's steps, then the right's (an
   * attacker's step of the right run before them) */
  for (guint i = 0; i <= sa->len; i++)
    {
      guint until = i < sa->len && match[i] >= 0 ? (guint) match[i] : (i == sa->len ? sb->len : j);

      if (i < sa->len && match[i] < 0)
        {
          /* an attacker's step that opens the right run's steps of this gap
           * comes first: the receiver's steps of either run follow it */
          guint next = i;

          while (next < sa->len && match[next] < 0)
            next++;
          while (j < (next < sa->len ? (guint) match[next] : sb->len)
                 && tls_trace_get (right, g_array_index (sb, guint, j))->actor == TLS_ACTOR_ATTACKER)
            add_row (al, TLS_ALIGN_RIGHT_ONLY, -1, (int) g_array_index (sb, guint, j++));
          add_row (al, TLS_ALIGN_LEFT_ONLY, (int) g_array_index (sa, guint, i), -1);
          continue;
        }
      for (; j < until; j++)
        add_row (al, TLS_ALIGN_RIGHT_ONLY, -1, (int) g_array_index (sb, guint, j));
      if (i < sa->len)
        {
          add_row (al, TLS_ALIGN_BOTH, (int) g_array_index (sa, guint, i),
                   (int) g_array_index (sb, guint, j));
          j++;
        }
    }
  if (ladder)
    order_by_sender (al, left, right);

  for (guint r = 0; r < al->rows->len; r++)
    {
      TlsAlignRow *row = g_ptr_array_index (al->rows, r);
      const TlsStep *a = row->left >= 0 ? tls_trace_get (left, (guint) row->left) : NULL;
      const TlsStep *b = row->right >= 0 ? tls_trace_get (right, (guint) row->right) : NULL;

      if (a && b)
        {
          row->diffs = tls_step_diff (a, b, &row->bytes_differ);
          if (row->diffs->len > 0)
            al->n_differ++;
          else
            al->n_same++;
        }
      else if (a)
        al->n_left_only++;
      else
        al->n_right_only++;
      if (al->first_divergence < 0 && tls_align_row_diverges (row))
        al->first_divergence = (int) r;
      if (a && a->kind == TLS_STEP_ALERT && al->first_alert_left < 0)
        al->first_alert_left = (int) r;
      if (b && b->kind == TLS_STEP_ALERT && al->first_alert_right < 0)
        al->first_alert_right = (int) r;
    }
  return al;
}

TlsAlignment *
tls_trace_align (const TlsTrace *left, int left_connection,
                 const TlsTrace *right, int right_connection, TlsDetail detail)
{
  return align (left, left_connection, right, right_connection, detail, FALSE);
}

TlsAlignment *
tls_trace_align_ladders (const TlsTrace *left, int left_connection,
                         const TlsTrace *right, int right_connection)
{
  return align (left, left_connection, right, right_connection, TLS_DETAIL_FULL, TRUE);
}
