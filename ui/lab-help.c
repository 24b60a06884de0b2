/* lab-help.c — the user guide in a window (Help, F1).
 *
 * docs/guide.md is compiled into the GResource; this renders its few kinds
 * of Markdown (headings, paragraphs, lists, tables, **bold**, `code`,
 * [links](…)) into a read-only GtkTextView.  Pictures are left out: the
 * window beside it is the picture. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lab-help.h"

#define GUIDE_RESOURCE "/org/handshakelab/HandshakeLab/guide.md"

/* Appends TEXT with **bold**, `code` and [text](link) turned into tags. */
static void
append_inline (GtkTextBuffer *buf, const char *text, const char *base_tag)
{
  GtkTextIter end;
  const char *p = text;

  while (*p)
    {
      const char *tag = base_tag;
      const char *close = NULL, *start = p;
      gsize skip_open = 0, skip_close = 0;
      const char *next = p + strcspn (p, "*`[");

      if (next > p)
        {
          g_autofree char *plain = g_strndup (p, next - p);
          gtk_text_buffer_get_end_iter (buf, &end);
          gtk_text_buffer_insert_with_tags_by_name (buf, &end, plain, -1, base_tag, NULL);
          p = next;
          continue;
        }
      if (g_str_has_prefix (p, "**") && (close = strstr (p + 2, "**")) != NULL)
        tag = "bold", skip_open = 2, skip_close = 2;
      else if (*p == '`' && (close = strchr (p + 1, '`')) != NULL)
        tag = "code", skip_open = 1, skip_close = 1;
      else if (*p == '[' && (close = strstr (p + 1, "](")) != NULL && strchr (close, ')') != NULL)
        tag = "link", skip_open = 1, skip_close = strchr (close, ')') - close + 1;
      if (close == NULL)
        {
          gtk_text_buffer_get_end_iter (buf, &end);
          gtk_text_buffer_insert_with_tags_by_name (buf, &end, p, 1, base_tag, NULL);
          p++;
          continue;
        }
      start = p + skip_open;
      gtk_text_buffer_get_end_iter (buf, &end);
      gtk_text_buffer_insert_with_tags_by_name (buf, &end, start, close - start, tag, base_tag, NULL);
      p = close + skip_close;
    }
}

static void
render (GtkTextBuffer *buf, const char *md)
{
  g_auto (GStrv) lines = g_strsplit (md, "\n", -1);
  g_autoptr (GString) para = g_string_new (NULL);
  GtkTextIter end;

#define FLUSH()                                                   \
  G_STMT_START {                                                  \
    if (para->len)                                                \
      {                                                           \
        append_inline (buf, para->str, NULL);                     \
        gtk_text_buffer_get_end_iter (buf, &end);                 \
        gtk_text_buffer_insert (buf, &end, "\n\n", -1);           \
        g_string_truncate (para, 0);                              \
      }                                                           \
  } G_STMT_END

  for (guint i = 0; lines[i]; i++)
    {
      const char *l = lines[i];

      if (g_str_has_prefix (l, "# ") || g_str_has_prefix (l, "## "))
        {
          FLUSH ();
          gtk_text_buffer_get_end_iter (buf, &end);
          gtk_text_buffer_insert_with_tags_by_name (buf, &end, strchr (l, ' ') + 1, -1,
                                                    l[1] == '#' ? "h2" : "h1", NULL);
          gtk_text_buffer_insert (buf, &end, "\n", -1);
        }
      else if (g_str_has_prefix (l, "!["))
        FLUSH ();
      else if (g_str_has_prefix (l, "|"))
        {
          g_auto (GStrv) cells = g_strsplit (l, "|", -1);
          FLUSH ();
          if (strstr (l, "---"))
            continue;
          for (guint c = 1; cells[c] && cells[c + 1]; c++)
            {
              g_autofree char *cell = g_strstrip (g_strdup (cells[c]));
              gtk_text_buffer_get_end_iter (buf, &end);
              if (c > 1)
                gtk_text_buffer_insert (buf, &end, "\t", -1);
              append_inline (buf, cell, c == 1 ? "key" : NULL);
            }
          gtk_text_buffer_get_end_iter (buf, &end);
          gtk_text_buffer_insert (buf, &end, "\n", -1);
          if (lines[i + 1] == NULL || !g_str_has_prefix (lines[i + 1], "|"))
            gtk_text_buffer_insert (buf, &end, "\n", -1);
        }
      else if (g_str_has_prefix (l, "- "))
        {
          FLUSH ();
          g_string_append (para, "•  ");
          g_string_append (para, l + 2);
          /* the item goes on while the next lines are indented */
          while (lines[i + 1] && g_str_has_prefix (lines[i + 1], "  "))
            g_string_append_printf (para, " %s", g_strstrip (lines[++i]));
          append_inline (buf, para->str, NULL);
          gtk_text_buffer_get_end_iter (buf, &end);
          gtk_text_buffer_insert (buf, &end, lines[i + 1] && g_str_has_prefix (lines[i + 1], "- ") ? "\n" : "\n\n", -1);
          g_string_truncate (para, 0);
        }
      else if (*g_strstrip (lines[i]) == '\0')
        FLUSH ();
      else
        {
          if (para->len)
            g_string_append_c (para, ' ');
          g_string_append (para, l);
        }
    }
  FLUSH ();
#undef FLUSH
}

GtkWindow *
lab_help_window_new (GtkWindow *parent)
{
  g_autoptr (GBytes) md = g_resources_lookup_data (GUIDE_RESOURCE, 0, NULL);
  GtkWindow *win = GTK_WINDOW (gtk_window_new ());
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buf = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_autofree char *text = NULL;

  gtk_window_set_title (win, _("Handshake Lab Guide"));
  gtk_window_set_default_size (win, 720, 640);
  if (parent)
    gtk_window_set_transient_for (win, parent);
  gtk_text_buffer_create_tag (buf, "h1", "weight", PANGO_WEIGHT_BOLD, "scale", 1.6,
                              "pixels-below-lines", 8, NULL);
  gtk_text_buffer_create_tag (buf, "h2", "weight", PANGO_WEIGHT_BOLD, "scale", 1.3,
                              "pixels-above-lines", 8, "pixels-below-lines", 4, NULL);
  gtk_text_buffer_create_tag (buf, "bold", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buf, "code", "family", "monospace", NULL);
  gtk_text_buffer_create_tag (buf, "key", "family", "monospace", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buf, "link", "underline", PANGO_UNDERLINE_SINGLE, NULL);
  if (md != NULL)
    {
      text = g_strndup (g_bytes_get_data (md, NULL), g_bytes_get_size (md));
      render (buf, text);
    }
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 24);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 24);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 16);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 16);
  {
    PangoTabArray *tabs = pango_tab_array_new_with_positions (1, TRUE, PANGO_TAB_LEFT, 260);
    gtk_text_view_set_tabs (GTK_TEXT_VIEW (view), tabs);
    pango_tab_array_free (tabs);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The Handshake Lab guide"), -1);
  gtk_widget_set_name (view, "guide-text");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), view);
  gtk_window_set_child (win, scroll);
  return win;
}
