/* test-ui-i18n-fit.c — the window in German and French fits 1024x768
 * (issue 15: "a screenshot test in German is looked at for clipped
 * labels"): at zoom 1 its minimum size is at most 1024x768, nothing
 * shown is narrower than its minimum and no page of a stack is pushed
 * sideways, at the message, derivation, check and decision steps of TLS
 * 1.2 and TLS 1.3, with the catalogs meson builds into build/po.  Each
 * language runs in a subprocess (gettext and GTK read LANGUAGE when they
 * start).  LAB_KEEP_PNG=1 saves each window as build/tests/i18n-fit-*.png.
 * Needs a display (xvfb-run); without one, or without the catalog, the
 * case is skipped. */
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

/* The widgets under W that are shown with less width than their minimum
 * (GTK then cuts them, or shifts them out of their parent), each printed on
 * stderr; their number. */
static guint
count_squeezed (GtkWidget *w)
{
  guint n = 0;
  int min = 0, have;
  GtkAllocation a;

  if (!gtk_widget_get_mapped (w))
    return 0;
  gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  /* the allocation holds the CSS boxes, the measure also the margins */
  gtk_widget_get_allocation (w, &a);
  have = a.width + gtk_widget_get_margin_start (w) + gtk_widget_get_margin_end (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    n += count_squeezed (c);
  if (n == 0 && have < min)
    {
      g_printerr ("squeezed: %s under %s: %d px for a minimum of %d%s%s\n", G_OBJECT_TYPE_NAME (w),
                  G_OBJECT_TYPE_NAME (gtk_widget_get_parent (w)), have, min,
                  GTK_IS_LABEL (w) ? ": " : "", GTK_IS_LABEL (w) ? gtk_label_get_text (GTK_LABEL (w)) : "");
      n = 1;
    }
  return n;
}

/* The shown pages of the GtkStacks under W that were pushed sideways (a
 * GtkStack gives its page the minimum width for the stack's height, and
 * centres it when that is wider: a wrapping label asking for its one line
 * moved the message page off the inspector's left edge), each printed on
 * stderr; their number. */
static guint
count_pushed_pages (GtkWidget *w)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (w))
    return 0;
  if (GTK_IS_STACK (w) && gtk_stack_get_visible_child (GTK_STACK (w)))
    {
      GtkWidget *page = gtk_stack_get_visible_child (GTK_STACK (w));
      GtkAllocation a;

      gtk_widget_get_allocation (page, &a);
      if (a.x < 0 || a.width > gtk_widget_get_width (w))
        {
          g_printerr ("pushed: the page %s \"%s\" at x %d, %d px wide in a stack of %d\n",
                      G_OBJECT_TYPE_NAME (page), gtk_stack_get_visible_child_name (GTK_STACK (w)),
                      a.x, a.width, gtk_widget_get_width (w));
          n++;
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    n += count_pushed_pages (c);
  return n;
}

typedef struct
{
  const char *scenario;
  TlsDetail   detail;
  guint       step;      /* steps taken at that level of detail */
} FitStep;

/* messages (ClientHello, Certificate), derivations, checks, decisions,
 * the end; in the lesson's main steps and in every step */
static const FitStep steps[] = {
  { "classic", TLS_DETAIL_LESSON, 3 }, { "classic", TLS_DETAIL_LESSON, 8 },
  { "classic", TLS_DETAIL_LESSON, 20 }, { "tls13", TLS_DETAIL_LESSON, 5 },
  { "tls13", TLS_DETAIL_LESSON, 14 }, { "tls13-hrr", TLS_DETAIL_LESSON, 5 },
  { "classic", TLS_DETAIL_FULL, 1 }, { "classic", TLS_DETAIL_FULL, 6 }, { "classic", TLS_DETAIL_FULL, 9 },
  { "classic", TLS_DETAIL_FULL, 46 }, { "classic", TLS_DETAIL_FULL, 48 }, { "classic", TLS_DETAIL_FULL, 75 },
  { "tls13", TLS_DETAIL_FULL, 1 }, { "tls13", TLS_DETAIL_FULL, 13 }, { "tls13", TLS_DETAIL_FULL, 20 },
  { "tls13", TLS_DETAIL_FULL, 22 }, { "tls13-hrr", TLS_DETAIL_FULL, 5 }, { "tls13-hrr", TLS_DETAIL_FULL, 12 },
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
      lab_window_set_detail (w, steps[i].detail);
      lab_window_step_n (w, steps[i].step);
      wait_drawn (window);
      gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
      gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
      g_printerr ("# %s %s step %u (%s): minimum %dx%d, window %dx%d\n", lang, steps[i].scenario,
                  steps[i].step, steps[i].detail == TLS_DETAIL_FULL ? "full" : "lesson", min_w, min_h,
                  gtk_widget_get_width (window), gtk_widget_get_height (window));
      if (min_w > 1024 || min_h > 768)
        dump_wide (window, g_getenv ("LAB_TEST_DUMP") ? atoi (g_getenv ("LAB_TEST_DUMP")) : 600, 0);
      g_assert_cmpint (min_w, <=, 1024);
      g_assert_cmpint (min_h, <=, 768);
      /* and the window kept the size it was given */
      g_assert_cmpint (gtk_widget_get_width (window), <=, 1024);
      g_assert_cmpint (gtk_widget_get_height (window), <=, 768);
      /* nothing shown is narrower than it needs (cut or pushed aside) */
      g_assert_cmpuint (count_squeezed (window), ==, 0);
      g_assert_cmpuint (count_pushed_pages (window), ==, 0);
      if (g_getenv ("LAB_KEEP_PNG"))   /* to look at: build/tests/i18n-fit-*.png */
        {
          g_autofree char *name = g_strdup_printf ("i18n-fit-%s-%s-%s-%u.png", lang, steps[i].scenario,
                                                   steps[i].detail == TLS_DETAIL_FULL ? "full" : "lesson",
                                                   steps[i].step);
          save_png (window, name);
        }
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
