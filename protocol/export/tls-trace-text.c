/* tls-trace-text.c — the annotated text printer of the command line. */
#include "tls-trace-text.h"
#include "tls-types.h"
#include "tls-alert.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#define WRAP_COLUMN     78    /* explanations are wrapped here               */
#define HEX_COLUMN      60    /* short leaf hex is aligned here              */
#define HEX_INLINE_MAX  8     /* leaves up to this many bytes: hex inline    */
#define HEX_PER_LINE    32    /* bytes per line of longer hex                */
#define HEX_MAX_LINES   4     /* lines of hex shown without TLS_TEXT_FULL_HEX */
#define FIELD_INDENT    4     /* where the field table starts                */

/* ANSI SGR codes */
#define C_BOLD    "1"
#define C_DIM     "2"
#define C_RED     "1;31"
#define C_GREEN   "32"
#define C_YELLOW  "33"
#define C_CLIENT  "36"
#define C_SERVER  "35"
#define C_ATTACKER "1;31"
#define C_HEADER  "1;34"

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static void
color (GString *out, TlsTextFlags flags, const char *code)
{
  if (flags & TLS_TEXT_COLOR)
    g_string_append_printf (out, "\033[%sm", code);
}

static void
reset (GString *out, TlsTextFlags flags)
{
  if (flags & TLS_TEXT_COLOR)
    g_string_append (out, "\033[0m");
}

static void
append_colored (GString *out, TlsTextFlags flags, const char *code, const char *text)
{
  color (out, flags, code);
  g_string_append (out, text);
  reset (out, flags);
}

static void
spaces (GString *out, gsize n)
{
  for (gsize i = 0; i < n; i++)
    g_string_append_c (out, ' ');
}

/* Columns taken by the text since the last newline, not counting ANSI
 * escapes, a UTF-8 character as one column. */
static gsize
line_width (const GString *out)
{
  const char *start = out->str, *p;
  gsize w = 0;

  for (p = out->str + out->len; p > out->str; p--)
    if (p[-1] == '\n')
      {
        start = p;
        break;
      }
  for (p = start; *p; p++)
    {
      if (*p == '\033')
        {
          while (*p && *p != 'm')
            p++;
          if (!*p)
            break;
          continue;
        }
      if (((guchar) *p & 0xc0) != 0x80)
        w++;
    }
  return w;
}

static void
pad_to (GString *out, gsize column)
{
  gsize w = line_width (out);
  spaces (out, w < column ? column - w : 2);
}

static const char *
actor_color (TlsActor actor)
{
  return actor == TLS_ACTOR_CLIENT ? C_CLIENT : actor == TLS_ACTOR_ATTACKER ? C_ATTACKER : C_SERVER;
}

static const char *
kind_label (TlsStepKind kind)
{
  switch (kind)
    {
    case TLS_STEP_MESSAGE:    return C_("step kind", "message");
    case TLS_STEP_DERIVATION: return C_("step kind", "derivation");
    case TLS_STEP_CHECK:      return C_("step kind", "check");
    case TLS_STEP_DECISION:   return C_("step kind", "decision");
    case TLS_STEP_ALERT:      return C_("step kind", "alert");
    case TLS_STEP_APPDATA:    return C_("step kind", "application data");
    default:                  return "?";
    }
}

char *
tls_rfc_display (const char *rfc)
{
  GString *s;
  const char *p = rfc;

  if (rfc == NULL)
    return NULL;
  s = g_string_new (NULL);
  while (*p)
    {
      if (g_str_has_prefix (p, "RFC "))
        {
          const char *q = p + 4;
          while (g_ascii_isdigit (*q))
            q++;
          if (q > p + 4 && q[0] == ',' && q[1] == ' ')
            {
              g_string_append_len (s, p, q - p);
              g_string_append (s, " §");
              p = q + 2;
              continue;
            }
        }
      g_string_append_c (s, *p++);
    }
  return g_string_free (s, FALSE);
}

static gboolean
span_ok (gsize offset, gsize length, gsize len)
{
  return offset <= len && length <= len - offset;
}

/* Appends the hex of DATA in lines of HEX_PER_LINE bytes, continuation
 * lines indented to INDENT; at most HEX_MAX_LINES lines unless FULL_HEX,
 * then a line saying how much there is in all. */
static void
append_hex_block (GString *out, const guint8 *data, gsize len, gsize indent,
                  TlsTextFlags flags)
{
  gsize shown = len;
  gsize max = (gsize) HEX_PER_LINE * HEX_MAX_LINES;

  if (!(flags & TLS_TEXT_FULL_HEX) && len > max)
    shown = max;
  color (out, flags, C_DIM);
  for (gsize i = 0; i < shown; i += HEX_PER_LINE)
    {
      g_autofree char *hex = tls_hex (data + i, MIN ((gsize) HEX_PER_LINE, shown - i));
      if (i > 0)
        {
          g_string_append_c (out, '\n');
          spaces (out, indent);
        }
      g_string_append (out, hex);
    }
  reset (out, flags);
  if (shown < len)
    {
      g_string_append_c (out, '\n');
      spaces (out, indent);
      g_string_append_printf (out, _("… %lu bytes in all"), (unsigned long) len);
    }
}

/* Appends the first N bytes of DATA with control characters escaped
 * visibly (\r, \n, \t, \xNN), valid printable UTF-8 as it is and any
 * other byte as \xNN; QUOTES: also escape '"' and '\\'. */
static void
append_visible (GString *out, const guint8 *data, gsize n, gboolean quotes)
{
  for (gsize i = 0; i < n;)
    {
      guint8 c = data[i];
      gunichar u;

      switch (c)
        {
        case '\r': g_string_append (out, "\\r"); i++; continue;
        case '\n': g_string_append (out, "\\n"); i++; continue;
        case '\t': g_string_append (out, "\\t"); i++; continue;
        case '"':
        case '\\':
          if (quotes)
            g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
          i++;
          continue;
        default:
          break;
        }
      if (c >= 0x20 && c < 0x7f)
        {
          g_string_append_c (out, (char) c);
          i++;
          continue;
        }
      u = c >= 0x80 ? g_utf8_get_char_validated ((const char *) data + i, (gssize) (n - i))
                    : (gunichar) -1;
      if (u < (gunichar) -2 && g_unichar_isprint (u))
        {
          gsize l = (gsize) (g_utf8_next_char ((const char *) data + i) - (const char *) (data + i));
          g_string_append_len (out, (const char *) data + i, (gssize) l);
          i += l;
        }
      else
        {
          g_string_append_printf (out, "\\x%02x", c);
          i++;
        }
    }
}

/* Appends TEXT quoted, with control characters escaped, at most MAX
 * bytes (0: all; a UTF-8 character is not cut). */
static void
append_quoted (GString *out, const guint8 *data, gsize len, gsize max)
{
  gsize n = max && len > max ? max : len;

  while (n < len && n > 0 && (data[n] & 0xc0) == 0x80)
    n--;
  g_string_append_c (out, '"');
  append_visible (out, data, n, TRUE);
  g_string_append_c (out, '"');
  if (n < len)
    g_string_append (out, "…");
}

/* Word-wraps FIRST, TEXT and TAIL at WRAP_COLUMN, every line indented by
 * INDENT.  FIRST (a label) and TAIL (the RFC section) are never broken. */
static void
append_wrapped (GString *out, const char *first, const char *text, const char *tail,
                gsize indent)
{
  g_auto (GStrv) paragraphs = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (paragraphs);

  for (guint p = 0; p < n; p++)
    {
      g_autoptr (GPtrArray) words = g_ptr_array_new ();
      g_auto (GStrv) split = g_strsplit (paragraphs[p], " ", -1);
      gsize col = indent;
      gboolean line_empty = TRUE;

      if (p == 0 && first != NULL)
        g_ptr_array_add (words, (gpointer) first);
      for (guint i = 0; split[i] != NULL; i++)
        if (split[i][0] != '\0')
          g_ptr_array_add (words, split[i]);
      if (p + 1 == n && tail != NULL)
        g_ptr_array_add (words, (gpointer) tail);

      spaces (out, indent);
      for (guint i = 0; i < words->len; i++)
        {
          const char *word = g_ptr_array_index (words, i);
          gsize w = g_utf8_strlen (word, -1);

          if (!line_empty && col + 1 + w > WRAP_COLUMN)
            {
              g_string_append_c (out, '\n');
              spaces (out, indent);
              col = indent;
              line_empty = TRUE;
            }
          if (!line_empty)
            {
              g_string_append_c (out, ' ');
              col++;
            }
          g_string_append (out, word);
          col += w;
          line_empty = FALSE;
        }
      g_string_append_c (out, '\n');
    }
}

/* ------------------------------------------------------------------ */
/* Field trees                                                          */

/* The value is only the hex of the field (as the reader writes it for
 * opaque bytes): not worth a second showing next to the hex. */
static gboolean
value_is_hex (const char *value, const guint8 *data, gsize len)
{
  g_autofree char *hex = NULL;

  if (value == NULL || data == NULL)
    return FALSE;
  hex = tls_hex (data, MIN (len, (gsize) 32));
  return g_str_has_prefix (value, hex) && (len > 0 || value[0] == '\0');
}

static void
print_field (GString *out, const TlsField *f, const guint8 *data, gsize len,
             guint depth, TlsTextFlags flags)
{
  gboolean inside = span_ok (f->offset, f->length, len);
  gboolean leaf = tls_field_n_children (f) == 0;
  const guint8 *p = inside ? data + f->offset : NULL;
  gsize name_col;

  spaces (out, FIELD_INDENT);
  g_string_append_printf (out, "%5" G_GSIZE_FORMAT " %5" G_GSIZE_FORMAT "  ", f->offset, f->length);
  spaces (out, depth * 2);
  name_col = FIELD_INDENT + 13 + depth * 2;
  if (!leaf)
    color (out, flags, C_BOLD);
  g_string_append (out, f->name ? f->name : "?");
  if (!leaf)
    reset (out, flags);

  if (f->value != NULL && !(leaf && inside && value_is_hex (f->value, p, f->length)))
    {
      gsize digits = strspn (f->value, "0123456789abcdef");
      if (digits >= 2 * HEX_INLINE_MAX
          && (f->value[digits] == '\0' || g_str_has_prefix (f->value + digits, "…")))
        /* a hex preview of bytes that a child shows: its start is enough */
        g_string_append_printf (out, ": %.*s…", 2 * HEX_INLINE_MAX, f->value);
      else
        {
          g_string_append (out, ": ");
          append_visible (out, (const guint8 *) f->value, strlen (f->value), FALSE);
        }
    }
  if (f->desc != NULL)
    {
      g_string_append (out, "  ");
      color (out, flags, C_DIM);
      g_string_append_printf (out, "— %s", f->desc);
      reset (out, flags);
    }

  if (!inside)
    {
      g_string_append (out, "  ");
      append_colored (out, flags, C_RED, _("(span outside the bytes)"));
    }
  else if (leaf && f->length > 0)
    {
      if (f->length <= HEX_INLINE_MAX)
        {
          g_autofree char *hex = tls_hex (p, f->length);
          pad_to (out, HEX_COLUMN);
          append_colored (out, flags, C_DIM, hex);
        }
      else
        {
          g_string_append_c (out, '\n');
          spaces (out, name_col + 2);
          append_hex_block (out, p, f->length, name_col + 2, flags);
        }
    }
  g_string_append_c (out, '\n');

  for (guint i = 0; i < tls_field_n_children (f); i++)
    print_field (out, tls_field_child (f, i), data, len, depth + 1, flags);
}

/* A field tree over BYTES, or the plain hex when there is no tree. */
static void
print_bytes (GString *out, GBytes *bytes, const TlsField *fields, TlsTextFlags flags)
{
  gsize len = 0;
  const guint8 *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  if (fields != NULL)
    {
      spaces (out, FIELD_INDENT);
      color (out, flags, C_DIM);
      /* Translators: column heads of the field table: byte offset, length, field */
      g_string_append_printf (out, "%5s %5s  %s", _("off"), _("len"), _("field"));
      reset (out, flags);
      g_string_append_c (out, '\n');
      print_field (out, fields, data, len, 0, flags);
    }
  else if (len > 0)
    {
      spaces (out, FIELD_INDENT);
      append_hex_block (out, data, len, FIELD_INDENT, flags);
      g_string_append_c (out, '\n');
    }
}

/* The number of TLS records that exactly fill WIRE, or 0. */
static guint
count_records (const guint8 *data, gsize len)
{
  gsize pos = 0;
  guint n = 0;

  while (pos + 5 <= len)
    {
      gsize body = (gsize) data[pos + 3] << 8 | data[pos + 4];
      if (body > len - pos - 5)
        return 0;
      pos += 5 + body;
      n++;
    }
  return pos == len ? n : 0;
}

static void
print_wire (GString *out, const TlsStep *s, TlsTextFlags flags)
{
  gsize len;
  const guint8 *data;
  guint records;

  if (s->wire == NULL)
    return;
  data = g_bytes_get_data (s->wire, &len);
  records = count_records (data, len);
  spaces (out, 2);
  g_string_append (out, _("on the wire: "));
  if (records > 0)
    g_string_append_printf (out, ngettext ("%u record, ", "%u records, ", records), records);
  g_string_append_printf (out, ngettext ("%lu byte", "%lu bytes", len), (unsigned long) len);
  if (s->encrypted)
    {
      g_string_append (out, ", ");
      append_colored (out, flags, C_YELLOW, _("encrypted"));
    }
  g_string_append_c (out, '\n');
  print_bytes (out, s->wire, s->wire_fields, flags);
}

/* ------------------------------------------------------------------ */
/* Values (derivations, evidence)                                      */

/* Under the hex of V (printed from column COL), "^^" under each byte that
 * differs from OTHER, and how many differ. */
static void
print_differences (GString *out, const TlsTraceValue *v, const TlsTraceValue *other, gsize col,
                   TlsTextFlags flags)
{
  gsize len = g_bytes_get_size (v->bytes);
  gsize shown = (flags & TLS_TEXT_FULL_HEX) ? len : MIN (len, (gsize) HEX_PER_LINE * HEX_MAX_LINES);
  guint n = 0;

  for (gsize i = 0; i < MAX (len, g_bytes_get_size (other->bytes)); i++)
    n += tls_trace_value_differs_at (v, other, i);
  for (gsize i = 0; i < shown; i += HEX_PER_LINE)
    {
      GString *marks = g_string_new (NULL);
      for (gsize k = i; k < MIN (shown, i + HEX_PER_LINE); k++)
        g_string_append (marks, tls_trace_value_differs_at (v, other, k) ? "^^" : "  ");
      while (marks->len && marks->str[marks->len - 1] == ' ')
        g_string_truncate (marks, marks->len - 1);
      if (marks->len > 0 || i + HEX_PER_LINE >= shown)
        {
          spaces (out, col);
          color (out, flags, C_RED);
          g_string_append (out, marks->str);
          if (i + HEX_PER_LINE >= shown)
            {
              g_string_append (out, marks->len ? "  " : "");
              if (n == 0)
                g_string_append_printf (out, _("equals %s"), tls_value_name_label (other->name));
              else
                g_string_append_printf (out, ngettext ("differs from %s in %u byte",
                                                       "differs from %s in %u bytes", n),
                                        tls_value_name_label (other->name), n);
            }
          reset (out, flags);
          g_string_append_c (out, '\n');
        }
      g_string_free (marks, TRUE);
    }
}

static void
print_value (GString *out, const char *label, const TlsStep *s, const TlsTraceValue *v,
             TlsTextFlags flags)
{
  gsize col;
  const TlsTraceValue *other = tls_step_compared (s, v);

  spaces (out, 4);
  g_string_append_printf (out, "%-4s ", label);
  g_string_append (out, v->name ? tls_value_name_label (v->name) : "?");
  g_string_append (out, " = ");
  col = line_width (out);

  if (v->bytes != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (v->bytes, &len);
      if (len == 0)
        g_string_append (out, _("(empty)"));
      else
        append_hex_block (out, data, len, col, flags);
      if (v->text != NULL)
        {
          g_string_append (out, "  ");
          append_quoted (out, (const guint8 *) v->text, strlen (v->text), 0);
        }
    }
  else if (v->text != NULL)
    append_quoted (out, (const guint8 *) v->text, strlen (v->text), 0);
  else
    g_string_append (out, _("(no value)"));

  if (v->from_step >= 0 || v->note != NULL)
    {
      g_string_append (out, "  ");
      color (out, flags, C_DIM);
      if (v->from_step >= 0 && v->note != NULL)
        g_string_append_printf (out, _("(from step %d: %s)"), v->from_step + 1, v->note);
      else if (v->from_step >= 0)
        g_string_append_printf (out, _("(from step %d)"), v->from_step + 1);
      else
        g_string_append_printf (out, "(%s)", v->note);
      reset (out, flags);
    }
  g_string_append_c (out, '\n');
  if (other != NULL && g_bytes_get_size (v->bytes) > 0)
    print_differences (out, v, other, col, flags);
}

static void
print_values (GString *out, const char *label, const TlsStep *s, GPtrArray *values,
              TlsTextFlags flags)
{
  for (guint i = 0; values != NULL && i < values->len; i++)
    print_value (out, label, s, g_ptr_array_index (values, i), flags);
}

/* "    label: text" */
static void
print_line (GString *out, const char *label, const char *text)
{
  if (text == NULL)
    return;
  spaces (out, 4);
  g_string_append_printf (out, "%s: %s\n", label, text);
}

/* ------------------------------------------------------------------ */
/* Steps                                                               */

/* The teacher's own note on a step, marked as such, at INDENT. */
static void
print_teacher_note (GString *out, const TlsStep *s, TlsTextFlags flags, gsize indent)
{
  if (s->teacher_note == NULL)
    return;
  color (out, flags, C_YELLOW);
  /* Translators: starts the teacher's own note on a step (not the program's text) */
  append_wrapped (out, _("Teacher's note:"), s->teacher_note, NULL, indent);
  reset (out, flags);
}

static const char *
result_label (TlsCheckResult r, const char **code)
{
  switch (r)
    {
    case TLS_CHECK_PASSED:
      *code = C_GREEN;
      return _("PASSED");
    case TLS_CHECK_FAILED:
      *code = C_RED;
      return _("FAILED");
    case TLS_CHECK_NOT_CHECKED:
    default:
      *code = C_YELLOW;
      return _("NOT CHECKED");
    }
}

static char *
alert_text (const TlsStep *s)
{
  const char *level;

  switch (s->alert_level)
    {
    case TLS_ALERT_LEVEL_WARNING: level = "warning"; break;
    case TLS_ALERT_LEVEL_FATAL:   level = "fatal"; break;
    default:                      level = "level"; break;
    }
  return g_strdup_printf ("%s (%u), %s (%u)", level, s->alert_level,
                          tls_alert_name (s->alert_description), s->alert_description);
}

/* What a one-line (brief) step adds after its header. */
static void
print_brief_detail (GString *out, const TlsStep *s, TlsTextFlags flags)
{
  switch (s->kind)
    {
    case TLS_STEP_MESSAGE:
    case TLS_STEP_APPDATA:
      if (s->bytes != NULL)
        {
          gsize n = g_bytes_get_size (s->bytes);
          g_string_append (out, "  ");
          g_string_append_printf (out, ngettext ("%lu byte", "%lu bytes", n), (unsigned long) n);
        }
      if (s->encrypted)
        {
          g_string_append (out, ", ");
          append_colored (out, flags, C_YELLOW, _("encrypted"));
        }
      break;
    case TLS_STEP_ALERT:
      {
        g_autofree char *a = alert_text (s);
        g_string_append (out, "  ");
        append_colored (out, flags, C_RED, a);
      }
      break;
    case TLS_STEP_DERIVATION:
      for (guint i = 0; s->outputs != NULL && i < s->outputs->len; i++)
        {
          TlsTraceValue *v = g_ptr_array_index (s->outputs, i);
          g_string_append (out, i == 0 ? "  → " : ", ");
          g_string_append (out, v->name ? tls_value_name_label (v->name) : "?");
        }
      break;
    case TLS_STEP_CHECK:
      {
        const char *code;
        const char *label = result_label (s->result, &code);
        g_string_append (out, "  ");
        append_colored (out, flags, code, label);
      }
      break;
    case TLS_STEP_DECISION:
      if (s->choice != NULL)
        g_string_append_printf (out, "  → %s", s->choice);
      break;
    default:
      break;
    }
}

static void
print_header (GString *out, const TlsStep *s, TlsTextFlags flags)
{
  g_autofree char *rfc = tls_rfc_display (s->rfc);

  color (out, flags, C_BOLD);
  /* Steps are numbered from 1 on screen, as in the window (index + 1). */
  g_string_append_printf (out, "[%u]", s->index + 1);
  reset (out, flags);
  g_string_append_c (out, ' ');
  append_colored (out, flags, actor_color (s->actor), tls_actor_label (s->actor));
  if (tls_step_kind_travels (s->kind))
    {
      TlsActor peer = s->actor == TLS_ACTOR_CLIENT ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT;
      g_string_append (out, " → ");
      append_colored (out, flags, actor_color (peer), tls_actor_label (peer));
    }
  g_string_append (out, "  ");
  append_colored (out, flags, C_BOLD, s->title ? tls_step_title_label (s) : "?");
  g_string_append_printf (out, "  (%s", kind_label (s->kind));
  if (s->observed)
    g_string_append_printf (out, ", %s", _("observed"));
  if (rfc != NULL)
    g_string_append_printf (out, ", %s", rfc);
  g_string_append_c (out, ')');
}

void
tls_trace_print_step (GString *out, const TlsStep *s, TlsTextFlags flags)
{
  gboolean reason_done = FALSE;

  g_return_if_fail (out != NULL && s != NULL);

  print_header (out, s, flags);
  if (flags & TLS_TEXT_BRIEF)
    {
      print_brief_detail (out, s, flags);
      g_string_append_c (out, '\n');
      print_teacher_note (out, s, flags, 4);
      return;
    }
  g_string_append_c (out, '\n');

  switch (s->kind)
    {
    case TLS_STEP_ALERT:
      {
        g_autofree char *a = alert_text (s);
        spaces (out, 4);
        g_string_append_printf (out, "%s: ", _("alert"));
        append_colored (out, flags, C_RED, a);
        g_string_append_c (out, '\n');
        print_line (out, _("reason"), s->reason);
        reason_done = TRUE;
      }
      print_bytes (out, s->bytes, s->fields, flags);
      print_wire (out, s, flags);
      break;

    case TLS_STEP_APPDATA:
      if (s->bytes != NULL)
        {
          gsize len;
          const guint8 *data = g_bytes_get_data (s->bytes, &len);
          spaces (out, 4);
          g_string_append_printf (out, "%s: ", _("data"));
          append_quoted (out, data, len, flags & TLS_TEXT_FULL_HEX ? 0 : 64);
          g_string_append_c (out, '\n');
        }
      print_bytes (out, s->bytes, s->fields, flags);
      print_wire (out, s, flags);
      break;

    case TLS_STEP_MESSAGE:
      print_bytes (out, s->bytes, s->fields, flags);
      print_wire (out, s, flags);
      break;

    case TLS_STEP_DERIVATION:
      print_line (out, _("formula"), s->formula);
      /* Translators: short labels (4 columns) of a derivation's inputs and outputs */
      print_values (out, C_("derivation", "in"), s, s->inputs, flags);
      print_values (out, C_("derivation", "out"), s, s->outputs, flags);
      break;

    case TLS_STEP_CHECK:
      {
        const char *code;
        const char *label = result_label (s->result, &code);
        print_line (out, _("subject"), s->subject);
        print_line (out, _("against"), s->against);
        spaces (out, 4);
        g_string_append_printf (out, "%s: ", _("result"));
        append_colored (out, flags, code, label);
        if (s->reason != NULL)
          g_string_append_printf (out, " — %s", s->reason);
        g_string_append_c (out, '\n');
        reason_done = TRUE;
        /* Translators: short label (4 columns) of the evidence a check used */
        print_values (out, C_("check", "with"), s, s->inputs, flags);
      }
      break;

    case TLS_STEP_DECISION:
      if (s->options != NULL && s->options->len > 0)
        {
          spaces (out, 4);
          g_string_append_printf (out, "%s:\n", _("options"));
          for (guint i = 0; i < s->options->len; i++)
            {
              const char *o = g_ptr_array_index (s->options, i);
              gboolean chosen = g_strcmp0 (o, s->choice) == 0;
              spaces (out, 6);
              if (chosen)
                {
                  color (out, flags, C_BOLD);
                  g_string_append_printf (out, "* %s", o);
                  reset (out, flags);
                }
              else
                g_string_append_printf (out, "- %s", o);
              g_string_append_c (out, '\n');
            }
        }
      print_line (out, _("choice"), s->choice);
      print_line (out, _("reason"), s->reason);
      reason_done = TRUE;
      print_values (out, C_("check", "with"), s, s->inputs, flags);
      /* the attacker's step: what it delivered, its changes marked */
      if (s->actor == TLS_ACTOR_ATTACKER)
        print_values (out, C_("derivation", "out"), s, s->outputs, flags);
      break;

    default:
      break;
    }

  if (!reason_done)
    print_line (out, _("reason"), s->reason);

  if (s->explanation != NULL && s->explanation[0] != '\0')
    {
      g_autofree char *rfc = tls_rfc_display (s->rfc);
      g_autofree char *tail = rfc ? g_strdup_printf ("(%s)", rfc) : NULL;
      /* Translators: starts the explanation of a step */
      append_wrapped (out, _("Why:"), s->explanation, tail, 4);
    }
  print_teacher_note (out, s, flags, 4);
}

/* ------------------------------------------------------------------ */
/* Whole traces                                                        */

/* At the lesson level: the steps grouped under step I, one line each. */
static void
print_children (GString *out, const TlsTrace *trace, guint i, TlsTextFlags flags)
{
  g_autoptr (GArray) children = tls_trace_children (trace, i);

  for (guint k = 0; children && k < children->len; k++)
    {
      const TlsStep *c = tls_trace_get (trace, g_array_index (children, guint, k));

      spaces (out, 4);
      g_string_append (out, k + 1 < children->len ? "├ " : "└ ");
      print_header (out, c, flags);
      print_brief_detail (out, c, flags);
      g_string_append_c (out, '\n');
      print_teacher_note (out, c, flags, 6);
    }
}

char *
tls_trace_to_text (const TlsTrace *trace, TlsTextFlags flags)
{
  GString *out = g_string_new (NULL);
  g_autoptr (GPtrArray) about = g_ptr_array_new_with_free_func (g_free);
  gboolean several = FALSE;
  guint connection = 0;

  g_return_val_if_fail (trace != NULL, NULL);

  /* With more than one connection, each gets a heading. */
  for (guint i = 0; i < tls_trace_len (trace); i++)
    if (tls_trace_get (trace, i)->connection != tls_trace_get (trace, 0)->connection)
      several = TRUE;

  if (trace->scenario != NULL)
    g_ptr_array_add (about, g_strdup_printf (_("scenario %s"), trace->scenario));
  if (trace->seeded)
    g_ptr_array_add (about, g_strdup_printf (_("seed %llu"), (unsigned long long) trace->seed));
  if (trace->clock != 0)
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (trace->clock);
      g_autofree char *iso = t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
      g_ptr_array_add (about, g_strdup_printf (_("clock %s"), iso ? iso : "?"));
    }
  if (about->len > 0)
    {
      g_autofree char *line = NULL;
      g_ptr_array_add (about, NULL);
      line = g_strjoinv (", ", (char **) about->pdata);
      color (out, flags, C_DIM);
      g_string_append_printf (out, "# %s", line);
      reset (out, flags);
      g_string_append (out, (flags & TLS_TEXT_BRIEF) ? "\n" : "\n\n");
    }

  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);

      if (several && (i == 0 || s->connection != connection))
        {
          g_autofree char *key = g_strdup_printf ("conn%u.name", s->connection);
          const char *name = tls_trace_get_meta (trace, key);
          g_autofree char *title = name ? g_strdup_printf (_("connection %u: %s"), s->connection + 1, name)
                                        : g_strdup_printf (_("connection %u"), s->connection + 1);
          connection = s->connection;
          color (out, flags, C_HEADER);
          g_string_append_printf (out, "── %s ──", title);
          reset (out, flags);
          g_string_append (out, (flags & TLS_TEXT_BRIEF) ? "\n" : "\n\n");
        }
      if ((flags & TLS_TEXT_LESSON) && s->parent >= 0)
        continue;
      tls_trace_print_step (out, s, flags);
      if (flags & TLS_TEXT_LESSON)
        print_children (out, trace, i, flags);
      if (!(flags & TLS_TEXT_BRIEF) && i + 1 < tls_trace_len (trace))
        g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static const char *
meta_for (const TlsTrace *trace, guint connection, const char *key)
{
  g_autofree char *full = g_strdup_printf ("conn%u.%s", connection, key);
  const char *v = tls_trace_get_meta (trace, full);

  if (v == NULL && connection == 0)
    v = tls_trace_get_meta (trace, key);
  return v;
}

char *
tls_trace_summary_line (const TlsTrace *trace, guint connection)
{
  const char *version, *suite, *resumed, *result, *session;
  g_autofree char *alert = NULL;

  g_return_val_if_fail (trace != NULL, NULL);

  version = meta_for (trace, connection, "version");
  suite = meta_for (trace, connection, "suite");
  resumed = meta_for (trace, connection, "resumed");
  result = meta_for (trace, connection, "result");

  if (g_strcmp0 (resumed, "yes") == 0)
    session = _("resumed");
  else if (g_strcmp0 (resumed, "yes (ticket)") == 0)
    session = _("resumed by ticket");
  else if (g_strcmp0 (resumed, "no") == 0)
    session = _("new session");
  else
    session = resumed ? resumed : "?";

  /* A handshake that failed before the ServerHello has no version and
   * suite: say what failed, not "? ?". */
  /* "completed" is a machine value in the JSON; "alert: DESC (REASON)"
   * keeps the RFC's name of the alert and the reason in the user's language */
  if (g_strcmp0 (result, "completed") == 0)
    result = _("completed");
  else if (result != NULL && g_str_has_prefix (result, "alert: "))
    result = alert = g_strdup_printf (_("alert: %s"), result + strlen ("alert: "));
  if (version == NULL && suite == NULL)
    return g_strdup_printf ("%s  %s", _("no version or cipher suite agreed"),
                            result ? result : _("failed before the ServerHello"));
  return g_strdup_printf ("%s  %s  %s  %s", version ? version : "?", suite ? suite : "?",
                          session, result ? result : _("did not finish"));
}
