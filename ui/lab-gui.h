/* lab-gui.h — the window's entry points, for app/main.c. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Runs the window.  ARGV is the `gui` subcommand's (argv[0] = "gui"):
 *   --scenario NAME     open on a built-in scenario (or a scenario file)
 *   FILE                a scenario file, or a saved trace (FILE.json)
 *   --step N            take N steps first (N < 0 or past the end: exit 2)
 *   --screenshot FILE   render the window (1600x1000, or --size) to a PNG and exit 0
 *   --zoom Z            zoom 0.6 to 3 for this run; --presenter; --size WxH
 * Returns the exit status. */
int      lab_gui_run          (int argc, char **argv);
/* Picks the cairo renderer when the machine has no GPU (and GSK_RENDERER
 * is not set); before the first window is made. */
void     lab_gui_choose_renderer (void);
gboolean lab_gui_init_display    (void);   /* gtk_init_check (), the GTK theme not parsed twice */
/* Whether a display can be opened (then the window can run). */
gboolean lab_gui_have_display (void);

/* Loads the resources and the style, for tests that build widgets
 * without lab_gui_run. */
void     lab_gui_init_for_tests (void);

G_END_DECLS
