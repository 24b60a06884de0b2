/* test-ui-util.h — what the window tests share: skipping without a display,
 * and letting the main loop map, lay out and draw a window. */
#pragma once

#include <gtk/gtk.h>

/* Set by each test program's main() after gtk_init_check(). */
static gboolean have_display;

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
