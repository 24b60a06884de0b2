/* test-ui-i18n-fit.c — the window in German and French fits 1024x768
 * (issue 15: "a screenshot test in German is looked at for clipped
 * labels"): at zoom 1 its minimum size is at most 1024x768, at the
 * message, derivation and check steps of TLS 1.2 and TLS 1.3, with the
 * catalogs meson builds into build/po.  Each language runs in a
 * subprocess (gettext and GTK read LANGUAGE when they start).  Needs a
 * display (xvfb-run); without one, or without the catalog, the case is
 * skipped. */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "lab-gui.h"
#include "lab-session.h"
#include "lab-window.h"

#include "test-ui-util.h"

/* On stderr, before the assertion fails: the widgets under W whose
 * minimum width passes LIMIT, the deepest ones being the culprits. */
static void
dump_wide (GtkWidget *w, int limit, int depth)
{
  int min = 0, nat = 0;

  gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  if (min <= limit)
    return;
  g_printerr ("%*s%s%s%s min %d nat %d alloc %d%s%s", depth, "", G_OBJECT_TYPE_NAME (w),
                  gtk_widget_get_name (w)[0] ? " #" : "", gtk_widget_get_name (w), min, nat,
                  gtk_widget_get_width (w), GTK_IS_LABEL (w) ? " " : "",
                  GTK_IS_LABEL (w) ? gtk_label_get_text (GTK_LABEL (w)) : "");
  g_printerr ("\n");
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    dump_wide (c, limit, depth + 1);
}

typedef struct
{
  const char *scenario;
  guint       step;      /* steps taken in the full view */
} FitStep;

/* a message (ClientHello, Certificate), a derivation, a check, the end */
static const FitStep steps[] = {
  { "classic", 1 }, { "classic", 6 }, { "classic", 9 }, { "classic", 46 }, { "classic", 48 },
  { "classic", 75 },
  { "tls13", 1 }, { "tls13", 13 }, { "tls13", 20 }, { "tls13", 22 },
  { "tls13-hrr", 5 }, { "tls13-hrr", 12 },
};

static void
check_fits (const char *lang)
{
  LabWindow *w = lab_window_new (NULL);
  GtkWidget *window = GTK_WIDGET (w);

  gtk_window_set_default_size (GTK_WINDOW (w), 1024, 768);
  gtk_window_present (GTK_WINDOW (w));
  wait_drawn (window);
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr (GError) error = NULL;
      int min_w = 0, min_h = 0;

      g_assert_true (lab_window_load_builtin (w, steps[i].scenario, &error));
      g_assert_no_error (error);
      lab_window_set_detail (w, TLS_DETAIL_FULL);
      lab_window_step_n (w, steps[i].step);
      wait_drawn (window);
      gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
      gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
      g_test_message ("%s %s step %u: minimum %dx%d, window %dx%d", lang, steps[i].scenario,
                      steps[i].step, min_w, min_h, gtk_widget_get_width (window),
                      gtk_widget_get_height (window));
      if (min_w > 1024 || min_h > 768)
        dump_wide (window, g_getenv ("LAB_TEST_DUMP") ? atoi (g_getenv ("LAB_TEST_DUMP")) : 600, 0);
      g_assert_cmpint (min_w, <=, 1024);
      g_assert_cmpint (min_h, <=, 768);
      /* and the window kept the size it was given */
      g_assert_cmpint (gtk_widget_get_width (window), <=, 1024);
      g_assert_cmpint (gtk_widget_get_height (window), <=, 768);
    }
  gtk_window_destroy (GTK_WINDOW (w));
  pump ();
}

static void
test_fit (gconstpointer data)
{
  const char *lang = data;
  g_autofree char *mo = g_build_filename (BUILD_LOCALEDIR, lang, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  g_test_summary ("In German and French, at zoom 1, the window's minimum size is at most 1024x768");
  NEED_DISPLAY ();
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no catalog built in build/po");
      return;
    }
  if (g_test_subprocess ())
    {
      check_fits (lang);
      return;
    }
  g_setenv ("LAB_TEST_LANGUAGE", lang, TRUE);
  g_test_trap_subprocess (NULL, 300 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  const char *lang = g_getenv ("LAB_TEST_LANGUAGE");

  /* in the subprocess: the language before gettext and GTK start */
  if (lang != NULL)
    {
      g_autofree char *loc = g_strdup_printf ("%s_%s.UTF-8", lang, strcmp (lang, "de") == 0 ? "DE" : "FR");

      g_setenv ("LANGUAGE", lang, TRUE);
      if (setlocale (LC_ALL, loc) == NULL)
        setlocale (LC_ALL, "C.UTF-8");   /* LANGUAGE is still read outside the "C" locale */
      g_setenv ("HANDSHAKE_LAB_LOCALEDIR", BUILD_LOCALEDIR, TRUE);
      bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);    /* the .ui templates, as lab_gui_run */
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  gtk_disable_setlocale ();
  ui_test_init (&argc, &argv);

  g_test_add_data_func ("/ui-i18n-fit/de", "de", test_fit);
  g_test_add_data_func ("/ui-i18n-fit/fr", "fr", test_fit);
  return g_test_run ();
}
