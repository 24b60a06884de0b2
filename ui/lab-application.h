/* lab-application.h — the application: settings, accelerators, zoom
 * (presentation mode), the about and preferences windows. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LAB_TYPE_APPLICATION (lab_application_get_type ())
G_DECLARE_FINAL_TYPE (LabApplication, lab_application, LAB, APPLICATION, AdwApplication)

typedef struct
{
  char    *scenario;     /* a built-in's name, or NULL */
  int      steps;        /* steps to take on opening */
  char    *screenshot;   /* render the window here and quit, or NULL */
  gboolean non_unique;   /* do not hand over to a running instance */
  double   zoom;         /* --zoom: this zoom for this run (not saved), or 0 */
  gboolean presenter;    /* --presenter: open in presenter mode */
  int      width;        /* --size WxH: the window's size, or 0 */
  int      height;
  char    *detail;       /* "lesson" or "full" (--detail), or NULL: the setting */
  char    *scenario_file; /* a scenario key file to open, or NULL */
  char    *trace_file;   /* a saved JSON trace to open, or NULL */
  char    *capture_file; /* a capture to open (its first TLS connection), or NULL */
  gboolean compare;      /* --compare A B: the compare window of A and B */
  char    *compare_left;
  char    *compare_right;
  char    *lesson;       /* --lesson NAME|FILE: a lesson to open, or NULL */
  gboolean predict;      /* --predict: predict mode on */
  char    *serve;        /* --serve [ADDR:]PORT: serve a class, or NULL */
} LabGuiOptions;

/* Takes OPTIONS (may be NULL). */
LabApplication *lab_application_new            (LabGuiOptions *options);
/* The settings, or NULL when the schema is not installed. */
GSettings      *lab_application_get_settings   (LabApplication *self);
gboolean        lab_application_is_screenshot  (LabApplication *self);
/* Presentation zoom: 1.0 is the normal size; the range --zoom accepts. */
#define LAB_ZOOM_MIN 0.6
#define LAB_ZOOM_MAX 3.0
double          lab_application_get_zoom       (LabApplication *self);
void            lab_application_set_zoom       (LabApplication *self, double zoom);
/* The status to return from lab_gui_run. */
int             lab_application_get_exit_status (LabApplication *self);

void            lab_gui_options_free           (LabGuiOptions *options);
void            lab_application_add_style      (void);   /* style.css, once */

G_END_DECLS
