/* tls-pem.c — PEM armour (RFC 7468). */
#include "tls-pem.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (tls-pki-error-quark, tls_pki_error)

void
tls_pem_block_free (TlsPemBlock *block)
{
  if (block == NULL)
    return;
  g_free (block->label);
  g_free (block->headers);
  g_clear_pointer (&block->der, g_bytes_unref);
  g_free (block);
}

/* One line of the text: [start, end) without the line break, and the
 * number of the line for messages. */
typedef struct
{
  const char *text;
  gsize       len;
  gsize       pos;
  guint       lineno;
  const char *line;
  gsize       line_len;
  gsize       line_offset;
} LineReader;

static gboolean
next_line (LineReader *lr)
{
  const char *nl;
  gsize n;

  if (lr->pos >= lr->len)
    return FALSE;
  lr->line = lr->text + lr->pos;
  lr->line_offset = lr->pos;
  nl = memchr (lr->line, '\n', lr->len - lr->pos);
  n = nl ? (gsize) (nl - lr->line) : lr->len - lr->pos;
  lr->pos += nl ? n + 1 : n;
  lr->lineno++;
  /* trailing white space and the CR of a CRLF */
  while (n > 0 && g_ascii_isspace (lr->line[n - 1]))
    n--;
  lr->line_len = n;
  return TRUE;
}

/* "-----BEGIN LABEL-----" (RFC 7468, 2: the label is what lies between
 * "-----BEGIN " and "-----").  Returns the label or NULL. */
static char *
armour_label (const char *line, gsize n, const char *what)
{
  gsize wl = strlen (what);
  const char *p = line;

  while (n > 0 && (*p == ' ' || *p == '\t'))
    p++, n--;
  if (n < 5 + wl + 5 || strncmp (p, "-----", 5) != 0
      || strncmp (p + 5, what, wl) != 0
      || strncmp (p + n - 5, "-----", 5) != 0)
    return NULL;
  return g_strndup (p + 5 + wl, n - 10 - wl);
}

static gboolean
is_b64 (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* Checks the base64 body strictly (g_base64_decode skips what it does not
 * know, which would let garbage through silently) and decodes it. */
static GBytes *
decode_body (GString *body, const char *label, guint lineno, GError **error)
{
  gsize n = body->len, pad = 0;
  guchar *data;
  gsize out_len;

  for (gsize i = 0; i < n; i++)
    {
      char c = body->str[i];
      if (c == '=')
        {
          pad++;
          continue;
        }
      if (!is_b64 (c) || pad > 0)
        {
          g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_BASE64,
                       _("PEM block “%s” (line %u): character “%c” is not base64"),
                       label, lineno, g_ascii_isprint (c) ? c : '?');
          return NULL;
        }
    }
  if (n == 0)
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_BASE64,
                   _("PEM block “%s” (line %u) is empty"), label, lineno);
      return NULL;
    }
  if (n % 4 != 0 || pad > 2)
    {
      g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_BASE64,
                   _("PEM block “%s” (line %u): the base64 is cut short "
                     "(%lu characters, not a multiple of 4)"),
                   label, lineno, (unsigned long) n);
      return NULL;
    }
  data = g_base64_decode (body->str, &out_len);
  return g_bytes_new_take (data, out_len);
}

GPtrArray *
tls_pem_decode (const char *text, gsize len, const char *label, GError **error)
{
  g_autoptr (GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_pem_block_free);
  LineReader lr = { .text = text, .len = len };
  guint n_any = 0;

  while (next_line (&lr))
    {
      g_autofree char *blabel = armour_label (lr.line, lr.line_len, "BEGIN ");
      g_autoptr (GString) body = NULL;
      g_autoptr (GString) headers = NULL;
      gsize begin_offset = lr.line_offset;
      guint begin_line = lr.lineno;
      gboolean ended = FALSE, in_headers = TRUE;

      if (blabel == NULL)
        continue;
      n_any++;
      body = g_string_new (NULL);
      while (next_line (&lr))
        {
          g_autofree char *elabel = armour_label (lr.line, lr.line_len, "END ");
          g_autofree char *nested = armour_label (lr.line, lr.line_len, "BEGIN ");

          if (elabel != NULL)
            {
              if (strcmp (elabel, blabel) != 0)
                {
                  g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_PEM,
                               _("PEM block “%s” begun at line %u ends with “%s” at line %u"),
                               blabel, begin_line, elabel, lr.lineno);
                  return NULL;
                }
              ended = TRUE;
              break;
            }
          if (nested != NULL)
            break;   /* another block starts: this one has no END */
          /* RFC 1421 headers ("Proc-Type: 4,ENCRYPTED") come first, up to
           * an empty line; a continuation line starts with white space. */
          if (in_headers && body->len == 0
              && (memchr (lr.line, ':', lr.line_len) != NULL
                  || (headers != NULL && lr.line_len > 0 && g_ascii_isspace (lr.line[0]))))
            {
              if (headers == NULL)
                headers = g_string_new (NULL);
              g_string_append_len (headers, lr.line, lr.line_len);
              g_string_append_c (headers, '\n');
              continue;
            }
          if (lr.line_len == 0)
            {
              in_headers = FALSE;
              continue;
            }
          in_headers = FALSE;
          for (gsize i = 0; i < lr.line_len; i++)
            if (!g_ascii_isspace (lr.line[i]))
              g_string_append_c (body, lr.line[i]);
        }
      if (!ended)
        {
          g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_BAD_PEM,
                       _("PEM block “%s” begun at line %u has no “-----END %s-----” line"),
                       blabel, begin_line, blabel);
          return NULL;
        }
      if (label == NULL || strcmp (label, blabel) == 0)
        {
          TlsPemBlock *b;
          GBytes *der = decode_body (body, blabel, begin_line, error);

          if (der == NULL)
            return NULL;
          b = g_new0 (TlsPemBlock, 1);
          b->label = g_steal_pointer (&blabel);
          b->headers = headers ? g_string_free (g_steal_pointer (&headers), FALSE) : NULL;
          b->der = der;
          b->offset = begin_offset;
          g_ptr_array_add (blocks, b);
        }
    }

  if (blocks->len == 0)
    {
      if (n_any == 0)
        g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_NO_PEM,
                     _("no PEM block (“-----BEGIN …-----”) found"));
      else
        g_set_error (error, TLS_PKI_ERROR, TLS_PKI_ERROR_NO_PEM,
                     _("no PEM block labelled “%s” found (%u other block(s))"),
                     label, n_any);
      return NULL;
    }
  return g_steal_pointer (&blocks);
}

GPtrArray *
tls_pem_read_file (const char *path, const char *label, GError **error)
{
  g_autofree char *text = NULL;
  gsize len;
  GError *local = NULL;
  GPtrArray *blocks;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  blocks = tls_pem_decode (text, len, label, &local);
  if (blocks == NULL)
    {
      g_propagate_prefixed_error (error, local, "%s: ", path);
      return NULL;
    }
  return blocks;
}

char *
tls_pem_encode (const char *label, const guint8 *der, gsize len)
{
  g_autofree char *b64 = g_base64_encode (der, len);
  GString *out = g_string_new (NULL);
  gsize n = strlen (b64);

  g_string_append_printf (out, "-----BEGIN %s-----\n", label);
  for (gsize i = 0; i < n; i += 64)
    {
      g_string_append_len (out, b64 + i, MIN (64, n - i));
      g_string_append_c (out, '\n');
    }
  g_string_append_printf (out, "-----END %s-----\n", label);
  return g_string_free (out, FALSE);
}
