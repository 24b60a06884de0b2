/* rfc8448.c — reads RFC 8448's traces: a line starting with "{client}" or
 * "{server}" opens a step; "name (N octets):  hex..." opens a value, which
 * goes on over the lines of hex that follow it. */
#include "rfc8448.h"

#include <string.h>

typedef struct
{
  char   *step;
  char   *name;
  GBytes *bytes;
} Value;

struct _Rfc8448
{
  GPtrArray *values;   /* of Value* */
};

static void
value_free (gpointer p)
{
  Value *v = p;

  g_free (v->step);
  g_free (v->name);
  g_bytes_unref (v->bytes);
  g_free (v);
}

/* Appends the two-digit hex words of LINE to OUT; FALSE when a word is not
 * one (the line is not part of a value). */
static gboolean
append_hex (GByteArray *out, const char *line)
{
  g_auto (GStrv) words = g_strsplit_set (line, " \t", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];

      if (*w == '\0' || g_str_equal (w, "(empty)"))
        continue;
      if (strlen (w) != 2 || !g_ascii_isxdigit (w[0]) || !g_ascii_isxdigit (w[1]))
        return FALSE;
      g_byte_array_append (out, (guint8[]) { (g_ascii_xdigit_value (w[0]) << 4)
                                             | g_ascii_xdigit_value (w[1]) }, 1);
    }
  return TRUE;
}

static void
finish_value (Rfc8448 *r, char *step, char *name, GByteArray *bytes, gsize expected)
{
  Value *v = g_new0 (Value, 1);

  if (bytes->len != expected)
    g_error ("RFC 8448 value %s / %s has %u octets, the file says %" G_GSIZE_FORMAT,
             step, name, bytes->len, expected);
  v->step = g_strdup (step);
  v->name = name;
  v->bytes = g_byte_array_free_to_bytes (bytes);
  g_ptr_array_add (r->values, v);
}

Rfc8448 *
rfc8448_load (const char *file)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "rfc8448", file, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *step = NULL;
  Rfc8448 *r = g_new0 (Rfc8448, 1);
  GByteArray *cur = NULL;
  char *cur_name = NULL;
  gsize cur_len = 0;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  r->values = g_ptr_array_new_with_free_func (value_free);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *t = g_strstrip (g_strdup (lines[i]));
      const char *octets;

      if (*t == '#')
        continue;
      if (*t == '\0' && cur == NULL)
        continue;
      if (cur != NULL && *t != '\0' && !strstr (t, " octets):") && append_hex (cur, t))
        continue;
      if (cur != NULL)
        {
          finish_value (r, step, cur_name, cur, cur_len);
          cur = NULL;
          cur_name = NULL;
        }
      if (*t == '{')
        {
          g_free (step);
          step = g_strdup (t);
        }
      else if ((octets = strstr (t, " octets):")) != NULL)
        {
          const char *open = g_strrstr_len (t, octets - t, " (");

          g_assert_nonnull (open);
          g_assert_nonnull (step);
          cur_name = g_strndup (t, open - t);
          cur_len = g_ascii_strtoull (open + 2, NULL, 10);
          cur = g_byte_array_new ();
          if (!append_hex (cur, octets + strlen (" octets):")))
            g_error ("RFC 8448 value %s / %s: not hex", step, cur_name);
        }
    }
  if (cur != NULL)
    finish_value (r, step, cur_name, cur, cur_len);
  return r;
}

void
rfc8448_free (Rfc8448 *r)
{
  g_ptr_array_unref (r->values);
  g_free (r);
}

GBytes *
rfc8448_nth (Rfc8448 *r, const char *step, const char *name, guint n)
{
  for (guint i = 0; i < r->values->len; i++)
    {
      Value *v = g_ptr_array_index (r->values, i);

      if (g_str_has_prefix (v->step, step) && g_str_equal (v->name, name) && n-- == 0)
        return v->bytes;
    }
  g_error ("RFC 8448: no value %s / %s", step, name);
  return NULL;
}
