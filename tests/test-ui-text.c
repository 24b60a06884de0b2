/* test-ui-text.c SCENARIO... — prints the texts the window shows, one a
 * line, for tests/test-i18n.py (test `i18n`), which runs it under the
 * pseudo-locale and checks that every word came from the catalogue (only
 * the names that stay as they are may be plain ASCII).
 *
 * For each scenario: the window at 1024x768 on it, every step taken one by
 * one (all steps, so every kind of inspector page is shown), and after each
 * step the text of every label, button and tooltip that is mapped; then the
 * main menu's items.  A text is printed once.  Exit 77 without a display.
 * Short by default: of the scenarios given, those of SHORT (every kind of
 * step and inspector page: messages, derivations, checks, decisions, a
 * client certificate, ECDSA, alerts); LAB_UI_TEXT_ALL=1 takes them all
 * (31 scenarios: about 6 minutes on a loaded machine). */
#include "config.h"
#include <locale.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>
#include "lab-gui.h"
#include "lab-session.h"
#include "lab-window.h"
#include "test-ui-util.h"

static GHashTable *seen;

static const char *const SHORT[] = { "classic", "modern", "client-auth", "ecdhe-ecdsa",
                                     "no-common-suite", "flipped-bit", NULL };

static void
emit (const char *text)
{
  g_auto (GStrv) lines = NULL;

  if (text == NULL || *text == '\0')
    return;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      g_autofree char *plain = NULL;

      g_strstrip (*l);
      if (**l == '\0' || g_hash_table_contains (seen, *l))
        continue;
      g_hash_table_add (seen, g_strdup (*l));
      /* markup (the ladder's legend, the field line): its text */
      if (strchr (*l, '<') && pango_parse_markup (*l, -1, 0, NULL, &plain, NULL, NULL))
        g_print ("%s\n", plain);
      else
        g_print ("%s\n", *l);
    }
}

static void
texts_of (GtkWidget *w)
{
  if (!gtk_widget_get_mapped (w))
    return;
  if (GTK_IS_LABEL (w))
    emit (gtk_label_get_text (GTK_LABEL (w)));
  else if (GTK_IS_EDITABLE (w))
    {
      if (GTK_IS_ENTRY (w))
        emit (gtk_entry_get_placeholder_text (GTK_ENTRY (w)));
    }
  emit (gtk_widget_get_tooltip_text (w));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    texts_of (c);
}

static void
menu_texts (GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      GMenuModel *sub;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        {
          /* the mnemonic's underline is not a letter of the text */
          g_autofree char *plain = NULL;
          GString *s = g_string_new (NULL);
          for (const char *p = label; *p; p++)
            if (*p != '_')
              g_string_append_c (s, *p);
          plain = g_string_free (s, FALSE);
          emit (plain);
        }
      if ((sub = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU)) != NULL)
        {
          menu_texts (sub);
          g_object_unref (sub);
        }
      if ((sub = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION)) != NULL)
        {
          menu_texts (sub);
          g_object_unref (sub);
        }
    }
}

static void
menus_of (GtkWidget *w)
{
  if (GTK_IS_MENU_BUTTON (w))
    {
      /* the window builds a header menu when it is first opened */
      GtkMenuButton *b = GTK_MENU_BUTTON (w);

      gtk_menu_button_popup (b);
      g_assert_nonnull (gtk_menu_button_get_menu_model (b));
      gtk_menu_button_popdown (b);
      menu_texts (gtk_menu_button_get_menu_model (b));
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    menus_of (c);
}

int
main (int argc, char **argv)
{
  const char *dir = g_getenv ("HANDSHAKE_LAB_LOCALEDIR");
  LabWindow *w;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir && *dir ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);    /* the .ui templates, as lab_gui_run */
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);   /* no accessibility bus (test i18n runs us with cli_env) */
  have_display = gtk_init_check ();
  if (!have_display)
    return 77;
  lab_gui_init_for_tests ();
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  w = lab_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (GTK_WIDGET (w));
  texts_of (GTK_WIDGET (w));       /* before any run: the empty state */
  menus_of (GTK_WIDGET (w));
  for (int a = 1; a < argc; a++)
    {
      g_autoptr (GError) error = NULL;
      LabSession *session;

      if (!g_getenv ("LAB_UI_TEXT_ALL") && !g_strv_contains (SHORT, argv[a]))
        continue;
      if (!lab_window_load_builtin (w, argv[a], &error))
        {
          g_printerr ("%s: %s\n", argv[a], error->message);
          return 1;
        }
      lab_window_set_detail (w, TLS_DETAIL_FULL);
      session = lab_window_get_session (w);
      pump ();
      texts_of (GTK_WIDGET (w));
      while (lab_session_can_step (session))
        {
          lab_session_step (session);
          pump ();
          texts_of (GTK_WIDGET (w));
        }
    }
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
  return 0;
}
