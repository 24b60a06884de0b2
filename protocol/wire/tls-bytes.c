/* tls-bytes.c — the one byte reader/writer, recording field spans. */
#include "tls-bytes.h"

#include <glib/gi18n-lib.h>
#include "tls-alert.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Fields                                                              */

TlsField *
tls_field_new (const char *name, gsize offset, gsize length)
{
  TlsField *f = g_new0 (TlsField, 1);
  f->name = g_strdup (name);
  f->offset = offset;
  f->length = length;
  return f;
}

void
tls_field_free (TlsField *field)
{
  if (field == NULL)
    return;
  g_clear_pointer (&field->children, g_ptr_array_unref);
  g_free (field->name);
  g_free (field->value);
  g_free (field->desc);
  g_free (field);
}

TlsField *
tls_field_copy (const TlsField *field)
{
  TlsField *copy;

  if (field == NULL)
    return NULL;
  copy = tls_field_new (field->name, field->offset, field->length);
  copy->value = g_strdup (field->value);
  copy->desc = g_strdup (field->desc);
  for (guint i = 0; i < tls_field_n_children (field); i++)
    {
      TlsField *c = tls_field_copy (tls_field_child (field, i));
      if (copy->children == NULL)
        copy->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_field_free);
      c->parent = copy;
      g_ptr_array_add (copy->children, c);
    }
  return copy;
}

TlsField *
tls_field_add (TlsField *parent, const char *name, gsize offset, gsize length)
{
  TlsField *f;

  if (parent == NULL)
    return NULL;
  f = tls_field_new (name, offset, length);
  f->parent = parent;
  if (parent->children == NULL)
    parent->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_field_free);
  g_ptr_array_add (parent->children, f);
  return f;
}

void
tls_field_set_value (TlsField *field, const char *format, ...)
{
  va_list ap;

  if (field == NULL)
    return;
  g_free (field->value);
  va_start (ap, format);
  field->value = g_strdup_vprintf (format, ap);
  va_end (ap);
}

void
tls_field_set_desc (TlsField *field, const char *desc)
{
  if (field == NULL)
    return;
  g_free (field->desc);
  field->desc = g_strdup (desc);
}

void
tls_field_shift (TlsField *field, gssize delta)
{
  if (field == NULL)
    return;
  field->offset += delta;
  for (guint i = 0; i < tls_field_n_children (field); i++)
    tls_field_shift (tls_field_child (field, i), delta);
}

guint
tls_field_n_children (const TlsField *field)
{
  return field && field->children ? field->children->len : 0;
}

TlsField *
tls_field_child (const TlsField *field, guint i)
{
  return g_ptr_array_index (field->children, i);
}

/* The deepest field whose span covers OFFSET. */
TlsField *
tls_field_find_at (TlsField *root, gsize offset)
{
  if (root == NULL || offset < root->offset || offset >= root->offset + root->length)
    return NULL;
  for (guint i = 0; i < tls_field_n_children (root); i++)
    {
      TlsField *hit = tls_field_find_at (tls_field_child (root, i), offset);
      if (hit != NULL)
        return hit;
    }
  return root;
}

/* Depth-first search by name; "a/b" walks a path of names. */
TlsField *
tls_field_find (TlsField *root, const char *name)
{
  const char *slash;

  if (root == NULL)
    return NULL;
  slash = strchr (name, '/');
  for (guint i = 0; i < tls_field_n_children (root); i++)
    {
      TlsField *c = tls_field_child (root, i);
      if (slash != NULL)
        {
          if (strncmp (c->name, name, slash - name) == 0 && c->name[slash - name] == '\0')
            {
              TlsField *hit = tls_field_find (c, slash + 1);
              if (hit != NULL)
                return hit;
            }
        }
      else if (g_strcmp0 (c->name, name) == 0)
        return c;
    }
  if (slash == NULL)
    for (guint i = 0; i < tls_field_n_children (root); i++)
      {
        TlsField *hit = tls_field_find (tls_field_child (root, i), name);
        if (hit != NULL)
          return hit;
      }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Hex                                                                 */

char *
tls_hex (const guint8 *data, gsize len)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 15];
    }
  out[len * 2] = '\0';
  return out;
}

char *
tls_hex_preview (const guint8 *data, gsize len, gsize max_bytes)
{
  g_autofree char *hex = NULL;

  if (len <= max_bytes)
    return tls_hex (data, len);
  hex = tls_hex (data, max_bytes);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s… (%zu byte)", "%s… (%zu bytes)", len), hex, len);
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Parses hex, ignoring white space and ':'; NULL if not hex. */
GBytes *
tls_bytes_from_hex (const char *hex)
{
  GByteArray *out = g_byte_array_new ();
  int hi = -1;

  for (const char *p = hex; *p; p++)
    {
      int d;
      if (g_ascii_isspace (*p) || *p == ':')
        continue;
      d = hex_digit (*p);
      if (d < 0)
        {
          g_byte_array_unref (out);
          return NULL;
        }
      if (hi < 0)
        hi = d;
      else
        {
          guint8 b = (guint8) (hi << 4 | d);
          g_byte_array_append (out, &b, 1);
          hi = -1;
        }
    }
  if (hi >= 0)
    {
      g_byte_array_unref (out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

/* ------------------------------------------------------------------ */
/* Reader                                                              */

void
tls_reader_init (TlsReader *r, const guint8 *data, gsize len, TlsField *root)
{
  memset (r, 0, sizeof *r);
  r->data = data;
  r->len = len;
  r->node = root;
  if (root != NULL)
    r->base = root->offset;
}

gboolean
tls_reader_ok (const TlsReader *r)
{
  return r->error == 0;
}

gsize
tls_reader_remaining (const TlsReader *r)
{
  return r->error ? 0 : r->len - r->pos;
}

gboolean
tls_reader_done (const TlsReader *r)
{
  return r->error == 0 && r->pos == r->len;
}

void
tls_reader_fail (TlsReader *r, int alert)
{
  if (r->error == 0)
    r->error = alert;
}

/* Claims N bytes for a field; fails with decode_error if they are not there. */
static const guint8 *
take (TlsReader *r, gsize n, const char *name)
{
  const guint8 *p;

  r->last = NULL;
  if (r->error)
    return NULL;
  if (n > r->len - r->pos)
    {
      tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
      return NULL;
    }
  p = r->data + r->pos;
  if (name != NULL)
    r->last = tls_field_add (r->node, name, r->base + r->pos, n);
  r->pos += n;
  return p;
}

static gboolean
read_uint (TlsReader *r, gsize n, const char *name, guint32 *out)
{
  const guint8 *p = take (r, n, name);
  guint32 v = 0;

  if (p == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    v = v << 8 | p[i];
  *out = v;
  if (r->last)
    tls_field_set_value (r->last, "%u", v);
  return TRUE;
}

gboolean
tls_read_u8 (TlsReader *r, const char *name, guint8 *out)
{
  guint32 v;
  if (!read_uint (r, 1, name, &v))
    return FALSE;
  *out = (guint8) v;
  return TRUE;
}

gboolean
tls_read_u16 (TlsReader *r, const char *name, guint16 *out)
{
  guint32 v;
  if (!read_uint (r, 2, name, &v))
    return FALSE;
  *out = (guint16) v;
  return TRUE;
}

gboolean
tls_read_u24 (TlsReader *r, const char *name, guint32 *out)
{
  return read_uint (r, 3, name, out);
}

gboolean
tls_read_u32 (TlsReader *r, const char *name, guint32 *out)
{
  return read_uint (r, 4, name, out);
}

gboolean
tls_read_bytes (TlsReader *r, gsize n, const char *name, const guint8 **out)
{
  const guint8 *p = take (r, n, name);

  if (p == NULL)
    return FALSE;
  *out = p;
  if (r->last)
    r->last->value = tls_hex_preview (p, n, 32);
  return TRUE;
}

gboolean
tls_read_vector (TlsReader *r, guint len_bytes, gsize min, gsize max,
                 const char *name, TlsReader *sub)
{
  TlsField *container = NULL;
  TlsField *saved = r->node;
  gsize start = r->pos;
  g_autofree char *length_name = NULL;
  guint32 n;

  memset (sub, 0, sizeof *sub);
  if (r->error)
    {
      sub->error = r->error;
      return FALSE;
    }
  if (name != NULL && r->node != NULL)
    {
      container = tls_field_add (r->node, name, r->base + r->pos, 0);
      r->node = container;
      length_name = g_strdup ("length");
    }
  else
    length_name = g_strdup_printf ("%s length", name ? name : "vector");

  if (!read_uint (r, len_bytes, length_name, &n))
    {
      r->node = saved;
      sub->error = r->error;
      return FALSE;
    }
  if (r->last)
    tls_field_set_value (r->last, "%u", n);
  if (n < min || n > max || n > r->len - r->pos)
    {
      r->node = saved;
      tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
      sub->error = r->error;
      return FALSE;
    }
  sub->data = r->data + r->pos;
  sub->len = n;
  sub->base = r->base + r->pos;
  sub->node = container ? container : saved;
  r->pos += n;
  r->node = saved;
  if (container)
    {
      container->length = r->pos - start;
      tls_field_set_value (container, g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", n), n);
    }
  r->last = container;
  return TRUE;
}

gboolean
tls_read_vector_end (TlsReader *r, TlsReader *sub)
{
  if (sub->error && !r->error)
    tls_reader_fail (r, sub->error);
  else if (sub->pos != sub->len)
    tls_reader_fail (r, TLS_ALERT_DECODE_ERROR);
  return r->error == 0;
}

TlsField *
tls_read_group_begin (TlsReader *r, const char *name)
{
  TlsField *g = tls_field_add (r->node, name, r->base + r->pos, 0);

  if (g != NULL)
    r->node = g;
  return g;
}

void
tls_read_group_end (TlsReader *r, TlsField *group)
{
  if (group == NULL)
    return;
  group->length = r->base + r->pos - group->offset;
  r->node = group->parent;
  r->last = group;
}

void
tls_reader_note (TlsReader *r, const char *format, ...)
{
  va_list ap;

  if (r->last == NULL)
    return;
  g_free (r->last->value);
  va_start (ap, format);
  r->last->value = g_strdup_vprintf (format, ap);
  va_end (ap);
}

void
tls_reader_describe (TlsReader *r, const char *desc)
{
  tls_field_set_desc (r->last, desc);
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */

void
tls_writer_init (TlsWriter *w, TlsField *root)
{
  w->buf = g_byte_array_new ();
  w->node = root;
  w->last = NULL;
}

void
tls_writer_clear (TlsWriter *w)
{
  g_clear_pointer (&w->buf, g_byte_array_unref);
  w->node = NULL;
  w->last = NULL;
}

GBytes *
tls_writer_steal (TlsWriter *w)
{
  GBytes *b = g_byte_array_free_to_bytes (w->buf);
  w->buf = NULL;
  w->node = NULL;
  w->last = NULL;
  return b;
}

gsize
tls_writer_len (const TlsWriter *w)
{
  return w->buf->len;
}

static void
put (TlsWriter *w, const char *name, const guint8 *data, gsize len)
{
  w->last = name ? tls_field_add (w->node, name, w->buf->len, len) : NULL;
  g_byte_array_append (w->buf, data, len);
}

static void
write_uint (TlsWriter *w, const char *name, guint32 v, guint n)
{
  guint8 b[4];

  for (guint i = 0; i < n; i++)
    b[i] = (guint8) (v >> (8 * (n - 1 - i)));
  put (w, name, b, n);
  if (w->last)
    tls_field_set_value (w->last, "%u", v);
}

void tls_write_u8  (TlsWriter *w, const char *name, guint8 v)  { write_uint (w, name, v, 1); }
void tls_write_u16 (TlsWriter *w, const char *name, guint16 v) { write_uint (w, name, v, 2); }
void tls_write_u24 (TlsWriter *w, const char *name, guint32 v) { write_uint (w, name, v, 3); }
void tls_write_u32 (TlsWriter *w, const char *name, guint32 v) { write_uint (w, name, v, 4); }

void
tls_write_bytes (TlsWriter *w, const char *name, const guint8 *data, gsize len)
{
  put (w, name, data, len);
  if (w->last)
    w->last->value = tls_hex_preview (data, len, 32);
}

void
tls_write_vector_begin (TlsWriter *w, guint len_bytes, const char *name,
                        TlsWriterMark *m)
{
  static const guint8 zero[3] = { 0, 0, 0 };
  g_autofree char *length_name = NULL;

  g_assert (len_bytes >= 1 && len_bytes <= 3);
  m->start = w->buf->len;
  m->len_bytes = len_bytes;
  m->saved_node = w->node;
  m->field = NULL;
  if (name != NULL && w->node != NULL)
    {
      m->field = tls_field_add (w->node, name, w->buf->len, 0);
      w->node = m->field;
      length_name = g_strdup ("length");
    }
  else
    length_name = g_strdup_printf ("%s length", name ? name : "vector");
  put (w, length_name, zero, len_bytes);
  m->length_field = w->last;
}

void
tls_write_vector_end (TlsWriter *w, TlsWriterMark *m)
{
  gsize n = w->buf->len - m->start - m->len_bytes;

  g_assert (n < (1u << (8 * m->len_bytes)));
  for (guint i = 0; i < m->len_bytes; i++)
    w->buf->data[m->start + i] = (guint8) (n >> (8 * (m->len_bytes - 1 - i)));
  if (m->length_field)
    tls_field_set_value (m->length_field, "%" G_GSIZE_FORMAT, n);
  if (m->field)
    {
      m->field->length = w->buf->len - m->start;
      tls_field_set_value (m->field, g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes", n), n);
    }
  w->node = m->saved_node;
  w->last = m->field;
}

void
tls_write_group_begin (TlsWriter *w, const char *name, TlsWriterMark *m)
{
  m->start = w->buf->len;
  m->len_bytes = 0;
  m->saved_node = w->node;
  m->length_field = NULL;
  m->field = tls_field_add (w->node, name, w->buf->len, 0);
  if (m->field)
    w->node = m->field;
}

void
tls_write_group_end (TlsWriter *w, TlsWriterMark *m)
{
  if (m->field)
    m->field->length = w->buf->len - m->start;
  w->node = m->saved_node;
  w->last = m->field;
}

void
tls_write_vector (TlsWriter *w, guint len_bytes, const char *name,
                  const guint8 *data, gsize len)
{
  TlsWriterMark m;

  tls_write_vector_begin (w, len_bytes, name, &m);
  tls_write_bytes (w, name ? "data" : NULL, data, len);
  tls_write_vector_end (w, &m);
  if (w->last && len > 0)
    {
      g_free (w->last->value);
      w->last->value = tls_hex_preview (data, len, 32);
    }
}

void
tls_writer_note (TlsWriter *w, const char *format, ...)
{
  va_list ap;

  if (w->last == NULL)
    return;
  g_free (w->last->value);
  va_start (ap, format);
  w->last->value = g_strdup_vprintf (format, ap);
  va_end (ap);
}

void
tls_writer_describe (TlsWriter *w, const char *desc)
{
  tls_field_set_desc (w->last, desc);
}
