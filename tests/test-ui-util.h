/* test-ui-util.h — what the window tests share: starting GTK (or skipping
 * without a display), letting the main loop map, lay out and draw a
 * window, the application's zoom and PNGs of windows. */
#pragma once

#include <gtk/gtk.h>

#include "lab-gui.h"
#include "lab-screenshot.h"

/* Set by ui_test_init() (or main()) after gtk_init_check(). */
static gboolean have_display;

/* g_test_init(), then GTK and the application's resources when there is
 * a display. */
static inline void
ui_test_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  have_display = gtk_init_check ();
  if (have_display)
    lab_gui_init_for_tests ();
}

#define NEED_DISPLAY()                                   \
  G_STMT_START {                                         \
    if (!have_display)                                   \
      {                                                  \
        g_test_skip ("no display (run under xvfb-run)"); \
        return;                                          \
      }                                                  \
  } G_STMT_END

/* Runs what is pending in the main loop (bounded). */
static inline void
pump (void)
{
  for (int i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

/* Lets the window be mapped, laid out and drawn (at most 5 s). */
static inline void
wait_drawn (GtkWidget *window)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end
         && (!gtk_widget_get_mapped (window) || gtk_widget_get_width (window) <= 0))
    g_main_context_iteration (NULL, FALSE);
  end = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* The type size of the application at zoom 1 (lab-application.c). */
#define BASE_FONT_PT 13.0

/* What lab-application.c does for a zoom. */
static inline void
set_zoom (double zoom)
{
  static GtkCssProvider *zoom_css;
  g_autofree char *css = g_strdup_printf ("window.lab-window { font-size: %dpt; }",
                                          (int) (BASE_FONT_PT * zoom + 0.5));

  if (zoom_css == NULL)
    {
      zoom_css = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (zoom_css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  gtk_css_provider_load_from_data (zoom_css, css, -1);
}

/* The path of NAME in the tests' build folder (G_TEST_BUILDDIR, else "."). */
static inline char *
build_path (const char *name)
{
  return g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".", name, NULL);
}

/* Saves W as the PNG NAME in the build folder, letting the renderer draw
 * a few more frames when it needs them (bounded); the test fails when it
 * cannot. */
static inline void
save_png (GtkWidget *w, const char *name)
{
  g_autofree char *path = build_path (name);
  g_autoptr (GError) error = NULL;
  gboolean saved = FALSE;

  for (int i = 0; i < 50 && !saved; i++)
    {
      g_clear_error (&error);
      saved = lab_screenshot_save_png (w, path, &error);
      if (!saved)
        wait_drawn (w);
    }
  g_assert_no_error (error);
  g_assert_true (saved);
  g_test_message ("saved %s", path);
}
