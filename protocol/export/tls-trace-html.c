/* tls-trace-html.c — the trace as a printable HTML handout
 * (docs/exports.md).  One file, inline CSS, no script: what a teacher
 * prints or mails to a class.  Every text from the trace goes through
 * g_markup_escape_text; every tag this file opens, it closes. */
#include "tls-trace-html.h"
#include "tls-types.h"
#include "tls-alert.h"
#include "tls-trace-live.h"
#include "tls-trace-html-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#define HEX_PER_LINE   16   /* bytes per line of a hex dump               */
#define N_FIELD_COLORS 8    /* top-level fields cycle through these       */
#define MAX_FIELD_DEPTH 64  /* deeper field trees are cut (as the JSON)   */
/* The lesson level keeps a handout short: */
#define LESSON_HEX_LINES   2   /* lines of a hex dump                       */
#define LESSON_FIELD_DEPTH 2   /* levels of a field tree                    */
#define LESSON_VALUE_BYTES 48  /* bytes of a derivation's value            */
#define LESSON_LIST_ITEMS  6   /* entries of a long list (cipher suites...)  */

static const char css[] =
  "body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:2em auto;max-width:64em;"
  "padding:0 1em;color:#1c1c1c;line-height:1.4}\n"
  "h1{font-size:1.6em;margin-bottom:.2em}\n"
  "h2{border-bottom:2px solid #888;margin-top:2em}\n"
  "h3{margin:.2em 0 .4em 0;font-size:1.15em}\n"
  "code,pre,.hex,.mono{font-family:'DejaVu Sans Mono',monospace;font-size:.85em}\n"
  ".meta{color:#555}\n"
  "table{border-collapse:collapse;margin:.4em 0}\n"
  "th,td{border:1px solid #ccc;padding:.15em .4em;vertical-align:top;text-align:left}\n"
  "th{background:#eee}\n"
  ".ladder{width:100%}\n"
  ".ladder td{border:none;border-bottom:1px dotted #ddd}\n"
  ".ladder th{width:33%;text-align:center}\n"
  ".ladder .client{text-align:right}\n"
  ".ladder .server{text-align:left}\n"
  ".ladder .wire{text-align:center;white-space:nowrap}\n"
  ".ladder .conn td{background:#f4f4f4;font-weight:bold;text-align:center}\n"
  ".arrow{color:#444}\n"
  ".step{border:1px solid #bbb;border-radius:6px;padding:.6em .9em;margin:1em 0}\n"
  ".step.actor-client{border-left:6px solid #2a7ab0}\n"
  ".step.actor-server{border-left:6px solid #a0409a}\n"
  ".step.actor-attacker{border-left:6px solid #c0392b}\n"
  ".num{display:inline-block;min-width:2em;font-weight:bold}\n"
  ".badge{display:inline-block;border-radius:4px;padding:0 .4em;font-size:.8em;"
  "font-weight:bold;border:1px solid #888;vertical-align:middle}\n"
  ".kind-message{background:#dfe7fd}.kind-derivation{background:#e8dff5}"
  ".kind-check{background:#e0f3d3}.kind-decision{background:#fff1c1}"
  ".kind-alert{background:#fdd}.kind-appdata{background:#d5f0f8}\n"
  ".outcome-failed{background:#fdd}.outcome-closure{background:#eee}"
  ".outcome-warning{background:#fff1c1}\n"
  ".passed{background:#1d7a2e;color:#fff;border-color:#1d7a2e}\n"
  ".failed{background:#b3141b;color:#fff;border-color:#b3141b}\n"
  ".not-checked{background:#777;color:#fff;border-color:#777}\n"
  ".observed{background:#fff;color:#a05a00;border-color:#a05a00}\n"
  ".encrypted{background:#fff;color:#7a5c00;border-color:#7a5c00}\n"
  ".rfc{color:#555;font-style:italic;white-space:nowrap}\n"
  ".fields{width:100%;table-layout:fixed}\n"
  ".fields td,.fields th{overflow-wrap:anywhere}\n"
  ".fields td.name{overflow-wrap:normal;word-break:normal;hyphens:none}\n"
  ".fields.lesson th:nth-child(1){width:24%}.fields.lesson th:nth-child(2){width:30%}"
  ".fields.lesson th:nth-child(3){width:auto}\n"
  ".fields.lesson td:nth-child(3){font-size:.9em;color:#333}\n"
  ".children{margin:.5em 0 0 0;padding-left:1.2em;font-size:.88em}\n"
  ".children li{margin:0}\n"
  ".fields th:nth-child(1),.fields th:nth-child(2){width:3.5em}\n"
  ".fields th:nth-child(3){width:18%}.fields th:nth-child(4){width:42%}\n"
  ".fields td.off,.fields td.len{text-align:right}\n"
  ".hexval{word-break:break-all;font-family:'DejaVu Sans Mono',monospace;font-size:.85em}\n"
  "pre.hex{line-height:1.3;border:1px solid #ddd;padding:.4em;overflow-x:auto}\n"
  ".hex .addr{color:#888}\n"
  "mark.diff{background:#f4a6a6;color:#000;font-weight:bold}.diffnote{color:#b00020}\n"
  ".f0{background:#fde2e4}.f1{background:#dfe7fd}.f2{background:#e0f3d3}"
  ".f3{background:#fff1c1}.f4{background:#e8dff5}.f5{background:#d5f0f8}"
  ".f6{background:#fce1c8}.f7{background:#e2ece9}\n"
  ".chosen{font-weight:bold}\n"
  ".text{white-space:pre-wrap;border:1px solid #ddd;padding:.4em;background:#fafafa}\n"
  "a{color:#1a5a9a}\n"
  "@media print{\n"
  "  body.lesson{font-size:9pt}\n"
  "  h2{margin-top:1em}\n"
  "  .step{margin:.6em 0;padding:.4em .7em}\n"
  "  th,td{padding:.08em .35em}\n"
  "  body{margin:0;max-width:none;font-size:10pt;line-height:1.3}\n"
  "  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
  "  a{color:inherit;text-decoration:none}\n"
  "  .step{break-inside:auto}\n"
  "  .step h3,.step .meta{break-after:avoid-page}\n"
  "  .step p{orphans:3;widows:3}\n"
  "  h2,h3,.meta{break-after:avoid-page}\n"
  "  tr,li{break-inside:avoid-page}\n"
  "  pre.hex{overflow:visible;white-space:pre-wrap}\n"
  "}\n"
  "@page{margin:12mm}\n";

/* Added only to handouts that hold a teacher's note, so that the handout of
 * a run without notes stays the same byte for byte. */
static const char note_css[] =
  ".teacher-note{border:2px dashed #c07a00;background:#fff8e6;padding:.3em .6em;margin:.5em 0;white-space:pre-line}\n"
  ".teacher-note b{color:#7a4a00}\n";

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static void
esc (GString *out, const char *text)
{
  g_autofree char *e = NULL;

  if (text == NULL)
    return;
  e = g_markup_escape_text (text, -1);
  g_string_append (out, e);
}

/* Appends an escaped printf-formatted text (also the class page's). */
void
tls_html_escf (GString *out, const char *format, ...)
{
  va_list ap;
  g_autofree char *text = NULL;

  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  esc (out, text);
}

/* ": NAME" after a connection's number when the run named it (meta key
 * connN.name: serve and connect do, scenarios do not). */
/* The teacher's own note on step S (never the program's text), marked as
 * such; ELEMENT is "div" in a step's section, "span" in a list line. */
static void
teacher_note (GString *out, const TlsStep *s, const char *element)
{
  if (s->teacher_note == NULL)
    return;
  g_string_append_printf (out, "<%s class=\"teacher-note\"><b>", element);
  esc (out, _("Teacher's note:"));
  g_string_append (out, "</b> ");
  esc (out, s->teacher_note);
  g_string_append_printf (out, "</%s>", element);
}

static gboolean
has_teacher_notes (const TlsTrace *trace)
{
  for (guint i = 0; i < tls_trace_len (trace); i++)
    if (tls_trace_get (trace, i)->teacher_note != NULL)
      return TRUE;
  return FALSE;
}

static void
connection_name (GString *out, const TlsTrace *trace, guint connection)
{
  g_autofree char *key = g_strdup_printf ("conn%u.name", connection);
  const char *name = tls_trace_get_meta (trace, key);

  if (name != NULL)
    {
      g_string_append (out, ": ");
      esc (out, name);
    }
}

/* A value in hex, in one piece (the style sheet lets it wrap anywhere,
 * and a copy from the page gives the hex as it is). */
static void
hex_value (GString *out, GBytes *bytes, gboolean lesson)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gboolean cut = lesson && len > LESSON_VALUE_BYTES;
  g_autofree char *hex = tls_hex (data, cut ? LESSON_VALUE_BYTES : len);

  g_string_append (out, hex);
  if (cut)
    g_string_append (out, "…");
}

/* The hex of V with the bytes that differ from OTHER in <mark>, then how
 * many differ. */
static void
hex_value_compared (GString *out, const TlsTraceValue *v, const TlsTraceValue *other)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (v->bytes, &len);
  guint n = 0;

  for (gsize i = 0; i < len; i++)
    {
      gboolean d = tls_trace_value_differs_at (v, other, i);
      g_string_append_printf (out, d ? "<mark class=\"diff\">%02x</mark>" : "%02x", data[i]);
      n += d;
    }
  if (g_bytes_get_size (other->bytes) != len)
    n += (guint) ABS ((gssize) g_bytes_get_size (other->bytes) - (gssize) len);
  g_string_append (out, "<br><span class=\"diffnote\">");
  if (n == 0)
    tls_html_escf (out, _("equals %s"), tls_value_name_label (other->name));
  else
    tls_html_escf (out, ngettext ("differs from %s in %u byte (marked)", "differs from %s in %u bytes (marked)", n),
          tls_value_name_label (other->name), n);
  g_string_append (out, "</span>");
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

static const char *
actor_label (TlsActor actor)
{
  return actor == TLS_ACTOR_CLIENT ? _("Client") : actor == TLS_ACTOR_ATTACKER ? _("Attacker") : _("Server");
}

static gboolean
has_record (const TlsStep *s)
{
  return s->kind == TLS_STEP_MESSAGE || s->kind == TLS_STEP_ALERT
         || s->kind == TLS_STEP_APPDATA;
}

static void
result_badge (GString *out, TlsCheckResult r)
{
  switch (r)
    {
    case TLS_CHECK_PASSED:
      g_string_append (out, "<span class=\"badge passed\">");
      esc (out, _("PASSED"));
      break;
    case TLS_CHECK_FAILED:
      g_string_append (out, "<span class=\"badge failed\">");
      esc (out, _("FAILED"));
      break;
    default:
      g_string_append (out, "<span class=\"badge not-checked\">");
      esc (out, _("NOT CHECKED"));
      break;
    }
  g_string_append (out, "</span>");
}

static void
step_link (GString *out, const TlsTrace *trace, int index)
{
  g_autofree char *label = g_strdup_printf (_("from step %d"), index + 1);

  if (index >= 0 && (guint) index < tls_trace_len (trace))
    g_string_append_printf (out, "<a href=\"#step-%d\">", index);
  esc (out, label);
  if (index >= 0 && (guint) index < tls_trace_len (trace))
    g_string_append (out, "</a>");
}

/* A field name, escaped, that may break only after an underscore or a
 * dot (between its words), never inside a word. */
static void
name_breaks (GString *out, const char *name)
{
  for (const char *p = name; p != NULL && *p != '\0';)
    {
      const char *q = p + strcspn (p, "_.");
      g_autofree char *word = NULL;

      if (*q != '\0')
        q++;
      word = g_strndup (p, q - p);
      esc (out, word);
      if (*q != '\0')
        g_string_append (out, "<wbr>");
      p = q;
    }
}

/* At the lesson level: how many steps a ladder entry holds. */
static void
n_children_note (GString *out, const TlsTrace *trace, guint index)
{
  g_autoptr (GArray) children = tls_trace_children (trace, index);

  if (children == NULL)
    return;
  g_string_append (out, " <span class=\"meta\">");
  tls_html_escf (out, g_dngettext (GETTEXT_PACKAGE, "+%u step", "+%u steps", children->len),
        children->len);
  g_string_append (out, "</span>");
}

/* A table row of two cells: a header and escaped text. */
static void
row (GString *out, const char *name, const char *value)
{
  if (value == NULL)
    return;
  g_string_append (out, "<tr><th>");
  esc (out, name);
  g_string_append (out, "</th><td>");
  esc (out, value);
  g_string_append (out, "</td></tr>\n");
}

/* ------------------------------------------------------------------ */
/* Field tree and hex dump                                             */

/* One row of the field table, then the rows of its children.  COLOR is
 * the class of its top-level field, or -1 for none. */
static void
field_row (GString *out, const TlsField *f, guint depth, int color, gsize len,
           gboolean lesson)
{
  gboolean inside = f->offset <= len && f->length <= len - f->offset;

  if (color >= 0)
    g_string_append_printf (out, "<tr class=\"f%d\">", color);
  else
    g_string_append (out, "<tr>");
  if (!lesson)
    g_string_append_printf (out, "<td class=\"off\">%" G_GSIZE_FORMAT "</td>"
                            "<td class=\"len\">%" G_GSIZE_FORMAT "</td>",
                            f->offset, f->length);
  g_string_append_printf (out, "<td class=\"name\" style=\"padding-left:%.1fem\">",
                          0.4 + 1.2 * depth);
  name_breaks (out, f->name);
  g_string_append (out, "</td><td>");
  esc (out, f->value);
  if (!inside)
    {
      g_string_append (out, " ");
      esc (out, _("(span outside the bytes)"));
    }
  g_string_append (out, "</td><td>");
  /* the lesson describes the message's own fields, not each entry */
  if (!lesson || depth == 0)
    esc (out, f->desc);
  g_string_append (out, "</td></tr>\n");
}

static void
field_rows (GString *out, const TlsField *f, guint depth, int color, gsize len,
            gboolean lesson)
{
  guint n = tls_field_n_children (f);

  field_row (out, f, depth, color, len, lesson);
  if (depth + 1 >= (lesson ? LESSON_FIELD_DEPTH : MAX_FIELD_DEPTH))
    return;
  for (guint i = 0; i < n; i++)
    {
      if (lesson && n > LESSON_LIST_ITEMS + 1 && i == LESSON_LIST_ITEMS)
        {
          g_string_append_printf (out, "<tr class=\"f%d\">%s"
                                  "<td class=\"name\" colspan=\"3\" style=\"padding-left:%.1fem\">",
                                  color, lesson ? "" : "<td></td><td></td>", 0.4 + 1.2 * (depth + 1));
          tls_html_escf (out, g_dngettext (GETTEXT_PACKAGE, "… and %u more", "… and %u more", n - i), n - i);
          g_string_append (out, "</td></tr>\n");
          break;
        }
      field_rows (out, tls_field_child (f, i), depth + 1, color, len, lesson);
    }
}

/* The level whose fields get the colours: the root's children, or lower
 * when a node has a single child that holds the rest (a record whose
 * header and fragment are inside one "TLSCiphertext"). */
static const TlsField *
color_level (const TlsField *root)
{
  guint depth = 0;

  while (root != NULL && tls_field_n_children (root) == 1
         && tls_field_n_children (tls_field_child (root, 0)) > 0
         && depth++ < MAX_FIELD_DEPTH)
    root = tls_field_child (root, 0);
  return root;
}

/* The field tree of LEN bytes as a table: the root's descendants, with the
 * colour of their top-level field (the same as in the hex dump). */
static void
field_table (GString *out, const TlsField *root, gsize len, gboolean lesson)
{
  const TlsField *top = color_level (root);
  guint depth = 0;

  g_string_append (out, lesson ? "<table class=\"fields lesson\"><tr>" : "<table class=\"fields\"><tr><th>");
  if (!lesson)
    {
      esc (out, _("offset"));
      g_string_append (out, "</th><th>");
      esc (out, _("length"));
      g_string_append (out, "</th>");
    }
  g_string_append (out, "<th>");
  esc (out, _("field"));
  g_string_append (out, "</th><th>");
  esc (out, _("value"));
  g_string_append (out, "</th><th>");
  esc (out, _("description"));
  g_string_append (out, "</th></tr>\n");
  if (tls_field_n_children (root) == 0)
    field_row (out, root, 0, -1, len, lesson);
  /* the single-child chain above the coloured level */
  for (const TlsField *f = root; f != top; depth++)
    {
      f = tls_field_child (f, 0);
      field_row (out, f, depth, -1, len, lesson);
    }
  for (guint i = 0; i < tls_field_n_children (top); i++)
    field_rows (out, tls_field_child (top, i), depth, (int) (i % N_FIELD_COLORS), len, lesson);
  g_string_append (out, "</table>\n");
}

/* Which colour each byte gets: the index of the top-level field that
 * holds it, or -1. */
static int *
byte_colors (const TlsField *root, gsize len)
{
  int *colors = g_new (int, MAX (len, 1));
  const TlsField *top = color_level (root);

  for (gsize i = 0; i < len; i++)
    colors[i] = -1;
  for (guint c = 0; top != NULL && c < tls_field_n_children (top); c++)
    {
      const TlsField *f = tls_field_child (top, c);
      for (gsize i = f->offset; i < len && i - f->offset < f->length; i++)
        colors[i] = (int) (c % N_FIELD_COLORS);
    }
  return colors;
}

static void
hex_dump (GString *out, GBytes *bytes, const TlsField *root, gboolean lesson)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree int *colors = byte_colors (root, len);

  g_string_append (out, "<pre class=\"hex\">");
  for (gsize line = 0; line < len; line += HEX_PER_LINE)
    {
      int open = -1;

      if (lesson && line >= LESSON_HEX_LINES * HEX_PER_LINE)
        {
          tls_html_escf (out, g_dngettext (GETTEXT_PACKAGE, "… %zu byte in all",
                                  "… %zu bytes in all", len), len);
          g_string_append_c (out, '\n');
          break;
        }
      g_string_append_printf (out, "<span class=\"addr\">%05" G_GSIZE_MODIFIER "x</span>  ", line);
      for (gsize i = line; i < len && i < line + HEX_PER_LINE; i++)
        {
          if (colors[i] != open)
            {
              if (open >= 0)
                g_string_append (out, "</span>");
              if (i > line)
                g_string_append_c (out, ' ');
              if (colors[i] >= 0)
                g_string_append_printf (out, "<span class=\"f%d\">", colors[i]);
              open = colors[i];
            }
          else if (i > line)
            g_string_append_c (out, ' ');
          g_string_append_printf (out, "%02x", data[i]);
        }
      if (open >= 0)
        g_string_append (out, "</span>");
      g_string_append_c (out, '\n');
    }
  if (len == 0)
    esc (out, _("(no bytes)"));
  g_string_append (out, "</pre>\n");
}

/* Application data that is printable text, shown as text. */
static gboolean
is_text (const guint8 *data, gsize len)
{
  if (!g_utf8_validate ((const char *) data, (gssize) len, NULL))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (data[i] < 0x20 && data[i] != '\n' && data[i] != '\r' && data[i] != '\t')
      return FALSE;
  return len > 0;
}

/* ------------------------------------------------------------------ */
/* Step sections                                                       */

static void
values_table (GString *out, const TlsTrace *trace, const TlsStep *s, const char *caption,
              GPtrArray *values, gboolean lesson)
{
  if (values == NULL || values->len == 0)
    return;
  g_string_append (out, "<table class=\"values\"><caption>");
  esc (out, caption);
  g_string_append (out, "</caption>\n");
  for (guint i = 0; i < values->len; i++)
    {
      const TlsTraceValue *v = g_ptr_array_index (values, i);

      g_string_append (out, "<tr><th>");
      esc (out, tls_value_name_label (v->name));
      g_string_append (out, "</th><td class=\"hexval\">");
      if (v->bytes != NULL)
        {
          if (g_bytes_get_size (v->bytes) == 0)
            esc (out, _("(empty)"));
          else
            {
              const TlsTraceValue *other = tls_step_compared (s, v);
              if (other != NULL)
                hex_value_compared (out, v, other);
              else
                hex_value (out, v->bytes, lesson);
            }
        }
      if (v->text != NULL)
        {
          if (v->bytes != NULL)
            g_string_append (out, "<br>");
          g_string_append (out, "“");
          esc (out, v->text);
          g_string_append (out, "”");
        }
      if (v->bytes == NULL && v->text == NULL)
        esc (out, _("(no value)"));
      g_string_append (out, "</td><td>");
      if (v->bytes != NULL)
        tls_html_escf (out, g_dngettext (GETTEXT_PACKAGE, "%zu byte",
                                "%zu bytes", g_bytes_get_size (v->bytes)),
              g_bytes_get_size (v->bytes));
      g_string_append (out, "</td><td>");
      if (v->from_step >= 0)
        {
          step_link (out, trace, v->from_step);
          if (v->note != NULL)
            g_string_append (out, ": ");
        }
      esc (out, v->note);
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</table>\n");
}

static void
record_details (GString *out, const TlsStep *s, gboolean lesson)
{
  if (s->bytes != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (s->bytes, &len);

      if (s->kind == TLS_STEP_APPDATA && is_text (data, len))
        {
          g_autofree char *text = g_strndup ((const char *) data, len);
          g_string_append (out, "<pre class=\"text\">");
          esc (out, text);
          g_string_append (out, "</pre>\n");
        }
      /* the lesson shows the fields (or the text) and, for a protected
       * record, the ciphertext below; the full view every byte */
      if (s->fields != NULL && !(lesson && s->kind == TLS_STEP_APPDATA && is_text (data, len)))
        field_table (out, s->fields, len, lesson);
      if (!lesson)
        hex_dump (out, s->bytes, s->fields, lesson);
    }
  if (s->wire != NULL)
    {
      g_string_append (out, "<p>");
      esc (out, _("On the wire"));
      if (s->encrypted)
        {
          g_string_append (out, " <span class=\"badge encrypted\">");
          esc (out, _("encrypted"));
          g_string_append (out, "</span>");
        }
      g_string_append (out, " ");
      tls_html_escf (out, g_dngettext (GETTEXT_PACKAGE, "(%zu byte)",
                              "(%zu bytes)", g_bytes_get_size (s->wire)),
            g_bytes_get_size (s->wire));
      g_string_append (out, "</p>\n");
      if (s->wire_fields != NULL && !lesson)
        field_table (out, s->wire_fields, g_bytes_get_size (s->wire), lesson);
      /* The plaintext record is the message above with a header; the
       * protected one is worth seeing byte by byte. */
      if (s->encrypted || s->bytes == NULL)
        hex_dump (out, s->wire, s->wire_fields, lesson);
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

static void children_list (GString *out, const TlsTrace *trace, const TlsStep *s);

static void
step_section (GString *out, const TlsTrace *trace, const TlsStep *s, gboolean lesson)
{
  gboolean long_step = !lesson && s->bytes != NULL && g_bytes_get_size (s->bytes) > 512;

  g_string_append_printf (out, "<section class=\"step actor-%s%s\" id=\"step-%u\">\n",
                          tls_actor_name (s->actor), long_step || lesson ? " long" : "", s->index);
  g_string_append_printf (out, "<h3><span class=\"num\">%u</span> ", s->index + 1);
  g_string_append_printf (out, "<span class=\"badge kind-%s outcome-%s\">", tls_step_kind_name (s->kind),
                          tls_step_outcome_name (tls_step_outcome (s)));
  esc (out, kind_label (s->kind));
  g_string_append (out, "</span> ");
  if (s->kind == TLS_STEP_CHECK)
    {
      result_badge (out, s->result);
      g_string_append (out, " ");
    }
  esc (out, tls_step_title_label (s));
  g_string_append (out, "</h3>\n<p class=\"meta\">");
  if (has_record (s))
    tls_html_escf (out, "%s → %s", actor_label (s->actor),
          actor_label (s->actor == TLS_ACTOR_CLIENT ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT));
  else
    esc (out, actor_label (s->actor));
  g_string_append (out, " · ");
  tls_html_escf (out, _("connection %u"), s->connection + 1);
  if (s->observed)
    {
      g_string_append (out, " <span class=\"badge observed\">");
      esc (out, _("observed from the peer"));
      g_string_append (out, "</span>");
    }
  g_string_append (out, "</p>\n");

  if (s->explanation != NULL || s->rfc != NULL)
    {
      g_string_append (out, "<p class=\"explanation\">");
      esc (out, s->explanation);
      if (s->rfc != NULL)
        {
          g_string_append (out, " <span class=\"rfc\">(");
          esc (out, s->rfc);
          g_string_append (out, ")</span>");
        }
      g_string_append (out, "</p>\n");
    }
  if (s->teacher_note != NULL)
    {
      teacher_note (out, s, "div");
      g_string_append_c (out, '\n');
    }

  switch (s->kind)
    {
    case TLS_STEP_ALERT:
      {
        g_autofree char *alert = alert_text (s);
        g_string_append (out, "<table class=\"kv\">\n");
        row (out, _("alert"), alert);
        row (out, _("reason"), s->reason);
        g_string_append (out, "</table>\n");
        record_details (out, s, lesson);
      }
      break;

    case TLS_STEP_MESSAGE:
    case TLS_STEP_APPDATA:
      record_details (out, s, lesson);
      break;

    case TLS_STEP_DERIVATION:
      if (s->formula != NULL)
        {
          g_string_append (out, "<p><code>");
          esc (out, s->formula);
          g_string_append (out, "</code></p>\n");
        }
      values_table (out, trace, s, _("Inputs"), s->inputs, lesson);
      values_table (out, trace, s, _("Outputs"), s->outputs, lesson);
      break;

    case TLS_STEP_CHECK:
      g_string_append (out, "<table class=\"kv\">\n");
      row (out, _("checked"), s->subject);
      row (out, _("against"), s->against);
      g_string_append (out, "<tr><th>");
      esc (out, _("result"));
      g_string_append (out, "</th><td>");
      result_badge (out, s->result);
      g_string_append (out, "</td></tr>\n");
      row (out, _("reason"), s->reason);
      g_string_append (out, "</table>\n");
      values_table (out, trace, s, _("Evidence"), s->inputs, lesson);
      break;

    case TLS_STEP_DECISION:
      if (s->options != NULL && s->options->len > 0)
        {
          g_string_append (out, "<p>");
          esc (out, _("Options:"));
          g_string_append (out, "</p>\n<ul class=\"options\">\n");
          for (guint i = 0; i < s->options->len; i++)
            {
              const char *o = g_ptr_array_index (s->options, i);
              gboolean chosen = g_strcmp0 (o, s->choice) == 0;
              g_string_append_printf (out, "<li%s>", chosen ? " class=\"chosen\"" : "");
              esc (out, o);
              if (chosen)
                g_string_append (out, " ✔");
              g_string_append (out, "</li>\n");
            }
          g_string_append (out, "</ul>\n");
        }
      g_string_append (out, "<table class=\"kv\">\n");
      row (out, _("choice"), s->choice);
      row (out, _("reason"), s->reason);
      g_string_append (out, "</table>\n");
      values_table (out, trace, s, _("Evidence"), s->inputs, lesson);
      /* the attacker's step: what it delivered, the changed bytes marked */
      if (s->actor == TLS_ACTOR_ATTACKER)
        values_table (out, trace, s, _("Delivered"), s->outputs, lesson);
      break;

    default:
      break;
    }
  if (lesson)
    children_list (out, trace, s);
  g_string_append (out, "</section>\n");
}

/* At the lesson level, under a step's section: one line for each step
 * grouped under it, with its anchor, so links to it still land. */
static void
children_list (GString *out, const TlsTrace *trace, const TlsStep *s)
{
  g_autoptr (GArray) children = tls_trace_children (trace, s->index);

  if (children == NULL)
    return;
  g_string_append (out, "<ul class=\"children\">\n");
  for (guint k = 0; k < children->len; k++)
    {
      const TlsStep *c = tls_trace_get (trace, g_array_index (children, guint, k));

      g_string_append_printf (out, "<li id=\"step-%u\"><span class=\"num\">%u</span> ",
                              c->index, c->index + 1);
      g_string_append_printf (out, "<span class=\"badge kind-%s\">", tls_step_kind_name (c->kind));
      esc (out, kind_label (c->kind));
      g_string_append (out, "</span> ");
      if (c->kind == TLS_STEP_CHECK)
        {
          result_badge (out, c->result);
          g_string_append (out, " ");
        }
      g_string_append (out, "<b>");
      esc (out, tls_step_title_label (c));
      g_string_append (out, "</b>");
      if (c->actor != s->actor)
        {
          g_string_append (out, " (");
          esc (out, actor_label (c->actor));
          g_string_append (out, ")");
        }
      if (c->kind == TLS_STEP_DERIVATION && c->formula != NULL)
        {
          g_string_append (out, ": <code>");
          esc (out, c->formula);
          g_string_append (out, "</code>");
        }
      else if (c->kind == TLS_STEP_DECISION && c->choice != NULL)
        {
          g_string_append (out, ": ");
          esc (out, c->choice);
        }
      if (c->reason != NULL && c->kind != TLS_STEP_DERIVATION)
        {
          g_string_append (out, " <span class=\"meta\">— ");
          esc (out, c->reason);
          g_string_append (out, "</span>");
        }
      if (c->teacher_note != NULL)
        {
          g_string_append (out, " ");
          teacher_note (out, c, "span");
        }
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
}

/* ------------------------------------------------------------------ */
/* Title, summary, ladder                                              */

static void
title_block (GString *out, const TlsTrace *trace, gboolean lesson)
{
  const char *title = tls_trace_get_meta (trace, "scenario.title");
  const char *peer = tls_trace_get_meta (trace, "peer");

  if (title == NULL)
    title = trace->scenario;
  g_string_append (out, "<header>\n<h1>");
  esc (out, _("Handshake Lab"));
  if (title != NULL)
    {
      g_string_append (out, ": ");
      esc (out, title);
    }
  g_string_append (out, "</h1>\n<p class=\"meta\">");
  if (trace->scenario != NULL)
    {
      esc (out, _("scenario"));
      g_string_append (out, " <code>");
      esc (out, trace->scenario);
      g_string_append (out, "</code> · ");
    }
  if (peer != NULL)
    {
      tls_html_escf (out, _("peer %s"), peer);
      g_string_append (out, " · ");
    }
  if (trace->clock > 0)
    {
      g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (trace->clock);
      g_autofree char *date = dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC") : NULL;
      tls_html_escf (out, _("clock %s"), date ? date : "?");
    }
  else if (tls_trace_step_time (trace, 0) > 0)
    {
      g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (tls_trace_step_time (trace, 0)
                                                                / G_USEC_PER_SEC);
      g_autofree char *date = dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC") : NULL;
      tls_html_escf (out, _("live run, started %s"), date ? date : "?");
    }
  else
    esc (out, _("live run (real clock)"));
  g_string_append (out, " · ");
  if (trace->seeded)
    tls_html_escf (out, _("seed %llu"), (unsigned long long) trace->seed);
  else
    esc (out, _("not seeded (live randomness)"));
  g_string_append (out, " · ");
  tls_html_escf (out, g_dngettext (GETTEXT_PACKAGE, "%u step", "%u steps", tls_trace_len (trace)),
        tls_trace_len (trace));
  g_string_append (out, " · ");
  if (lesson)
    /* Translators: the handout's level of detail; --detail full is a
     * command-line option: keep it */
    esc (out, _("lesson view: the main steps, each with a line for every step grouped "
                "under it (--detail full shows every step in full)"));
  else
    esc (out, _("every step in full"));
  g_string_append (out, "</p>\n</header>\n");
}

static guint
n_connections (const TlsTrace *trace)
{
  guint n = 0;

  for (guint i = 0; i < tls_trace_len (trace); i++)
    n = MAX (n, tls_trace_get (trace, i)->connection + 1);
  return n;
}

/* A meta value of the summary as a person reads it: "yes", "no",
 * "completed" and "alert: DESC" are machine values in the JSON. */
static char *
meta_label (const char *v)
{
  if (g_strcmp0 (v, "yes") == 0)
    return g_strdup (C_("resumed", "yes"));
  if (g_strcmp0 (v, "yes (ticket)") == 0)
    return g_strdup (C_("resumed", "yes (by ticket)"));
  if (g_strcmp0 (v, "no") == 0)
    return g_strdup (C_("resumed", "no"));
  if (g_strcmp0 (v, "completed") == 0)
    return g_strdup (_("completed"));
  if (v != NULL && g_str_has_prefix (v, "alert: "))
    return g_strdup_printf (_("alert: %s"), v + strlen ("alert: "));
  return g_strdup (v ? v : "?");
}

static void
summary_table (GString *out, const TlsTrace *trace)
{
  static const char *const keys[] = { "version", "suite", "resumed", "result" };
  guint n = n_connections (trace);

  if (n == 0)
    return;
  g_string_append (out, "<table class=\"summary\"><tr><th>");
  esc (out, _("connection"));
  g_string_append (out, "</th><th>");
  esc (out, _("version"));
  g_string_append (out, "</th><th>");
  esc (out, _("cipher suite"));
  g_string_append (out, "</th><th>");
  esc (out, _("resumed"));
  g_string_append (out, "</th><th>");
  esc (out, _("result"));
  g_string_append (out, "</th></tr>\n");
  for (guint c = 0; c < n; c++)
    {
      g_string_append_printf (out, "<tr><td><a href=\"#connection-%u\">%u</a>", c, c + 1);
      connection_name (out, trace, c);
      g_string_append (out, "</td>");
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          g_autofree char *key = g_strdup_printf ("conn%u.%s", c, keys[k]);
          g_autofree char *v = meta_label (tls_trace_get_meta (trace, key));
          g_string_append (out, "<td>");
          esc (out, v);
          g_string_append (out, "</td>");
        }
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</table>\n");
}

static void
ladder (GString *out, const TlsTrace *trace, gboolean lesson)
{
  gint64 connection = -1;

  g_string_append (out, "<h2 id=\"ladder\">");
  esc (out, _("The handshake at a glance"));
  g_string_append (out, "</h2>\n<table class=\"ladder\"><tr><th>");
  esc (out, _("Client"));
  g_string_append (out, "</th><th></th><th>");
  esc (out, _("Server"));
  g_string_append (out, "</th></tr>\n");
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      g_autofree char *link = g_strdup_printf ("<a href=\"#step-%u\">", s->index);

      if (lesson && s->parent >= 0)
        continue;
      if ((gint64) s->connection != connection)
        {
          connection = s->connection;
          g_string_append (out, "<tr class=\"conn\"><td colspan=\"3\">");
          tls_html_escf (out, _("connection %u"), s->connection + 1);
          connection_name (out, trace, s->connection);
          g_string_append (out, "</td></tr>\n");
        }
      g_string_append (out, "<tr>");
      if (has_record (s))
        {
          gboolean to_server = s->actor == TLS_ACTOR_CLIENT;
          g_string_append (out, "<td></td><td class=\"wire\">");
          g_string_append_printf (out, "<span class=\"num\">%u</span> ", s->index + 1);
          if (!to_server)
            g_string_append (out, "<span class=\"arrow\">←</span> ");
          g_string_append (out, link);
          esc (out, tls_step_title_label (s));
          g_string_append (out, "</a>");
          if (s->encrypted)
            {
              g_string_append (out, " <span class=\"badge encrypted\">");
              esc (out, _("encrypted"));
              g_string_append (out, "</span>");
            }
          if (to_server)
            g_string_append (out, " <span class=\"arrow\">→</span>");
          g_string_append (out, "</td><td></td>");
        }
      else
        {
          GString *cell = g_string_new (NULL);

          g_string_append_printf (cell, "<span class=\"num\">%u</span> ", s->index + 1);
          g_string_append (cell, link);
          g_string_append (cell, "(");
          esc (cell, tls_step_title_label (s));
          g_string_append (cell, ")</a>");
          if (s->kind == TLS_STEP_CHECK)
            {
              g_string_append (cell, " ");
              result_badge (cell, s->result);
            }
          if (lesson)
            n_children_note (cell, trace, s->index);
          if (s->actor == TLS_ACTOR_CLIENT)
            g_string_append_printf (out, "<td class=\"client\">%s</td><td></td><td></td>", cell->str);
          else
            g_string_append_printf (out, "<td></td><td></td><td class=\"server\">%s</td>", cell->str);
          g_string_free (cell, TRUE);
        }
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</table>\n");
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

char *
tls_trace_to_html (const TlsTrace *trace)
{
  return tls_trace_to_html_at (trace, TLS_DETAIL_FULL);
}

char *
tls_trace_to_html_at (const TlsTrace *trace, TlsDetail detail)
{
  gboolean lesson = detail == TLS_DETAIL_LESSON;
  GString *out = g_string_new (NULL);
  gint64 connection = -1;
  const char *title;

  g_return_val_if_fail (trace != NULL, NULL);

  title = tls_trace_get_meta (trace, "scenario.title");
  if (title == NULL)
    title = trace->scenario;
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"");
  /* Translators: the language code of your translation (e.g. "fr"), for
   * the lang attribute of the HTML handout. */
  esc (out, C_("html lang", "en"));
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"generator\" content=\"Handshake Lab\">\n<title>");
  esc (out, _("Handshake Lab"));
  if (title != NULL)
    {
      g_string_append (out, ": ");
      esc (out, title);
    }
  g_string_append (out, "</title>\n<style>\n");
  g_string_append (out, css);
  if (has_teacher_notes (trace))
    g_string_append (out, note_css);
  g_string_append (out, lesson ? "</style>\n</head>\n<body class=\"lesson\">\n"
                          : "</style>\n</head>\n<body>\n");

  title_block (out, trace, lesson);
  summary_table (out, trace);
  ladder (out, trace, lesson);

  g_string_append (out, "<h2 id=\"steps\">");
  esc (out, _("Step by step"));
  g_string_append (out, "</h2>\n");
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);

      if ((gint64) s->connection != connection)
        {
          connection = s->connection;
          g_string_append_printf (out, "<h2 id=\"connection-%u\">", s->connection);
          tls_html_escf (out, _("Connection %u"), s->connection + 1);
          connection_name (out, trace, s->connection);
          g_string_append (out, "</h2>\n");
        }
      if (lesson && s->parent >= 0)
        continue;
      step_section (out, trace, s, lesson);
    }
  g_string_append (out, "</body>\n</html>\n");
  return g_string_free (out, FALSE);
}

gboolean
tls_trace_save_html (const TlsTrace *trace, const char *path, GError **error)
{
  return tls_trace_save_html_at (trace, TLS_DETAIL_FULL, path, error);
}

gboolean
tls_trace_save_html_at (const TlsTrace *trace, TlsDetail detail, const char *path,
                        GError **error)
{
  g_autofree char *html = NULL;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  html = tls_trace_to_html_at (trace, detail);
  /* CONSISTENT: written to PATH.XXXXXX beside PATH, then renamed over it;
   * the temporary file is removed if writing or renaming fails. */
  return g_file_set_contents_full (path, html, (gssize) strlen (html),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0666, error);
}

/* ------------------------------------------------------------------ */
/* Shared with the class page (tls-trace-html-private.h)               */

void
tls_html_esc (GString *out, const char *text)
{
  esc (out, text);
}

void
tls_html_message_fields (GString *out, GBytes *bytes, const TlsField *fields)
{
  field_table (out, fields, g_bytes_get_size (bytes), FALSE);
  hex_dump (out, bytes, fields, FALSE);
}

const char *
tls_html_css (void)
{
  return css;
}
