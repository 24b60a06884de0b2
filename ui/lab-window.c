/* lab-window.c — the main window and its actions. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "lab-window.h"
#include "lab-what-if.h"
#include "lab-help.h"
#include "lab-scenario-editor.h"
#include "lab-live-dialog.h"
#include "lab-class-list.h"
#include "tls-trace-json.h"
#include "lab-capture-open.h"
#include "lab-lessons-dialog.h"
#include "lab-key-schedule.h"
#include "tls-conductor.h"
#include "tls-lesson.h"
#include "tls-predict.h"
#include "tls-trace-html.h"
#include "tls-trace-json.h"
#include "tls-trace-pcapng.h"
#include "tls-types.h"

typedef struct
{
  char        *name;       /* a built-in's name, or NULL */
  TlsScenario *scenario;   /* a custom scenario, or NULL */
} Entry;

struct _LabWindow
{
  GtkApplicationWindow parent_instance;

  GSettings       *settings;        /* or NULL: nothing is remembered */
  GtkWindow       *key_schedule;    /* weak: the open Key Schedule window */
  gboolean         remember_size;

  /* template */
  GtkDropDown     *scenario_dropdown;
  GtkDropDown     *speed_dropdown;
  GtkMenuButton   *primary_menu_button;
  GtkMenuButton   *export_menu_button;
  GMenuModel      *primary_menu;      /* the template's */
  GMenuModel      *export_menu;
  GtkWidget       *play_button;
  GtkWidget       *step_button;
  AdwToastOverlay *toast_overlay;   /* not bound: the window's child */
  GtkRevealer     *review_revealer;
  GtkLabel        *review_label;
  GtkWidget       *paned;
  LabLadderView   *ladder;
  LabInspector    *inspector;
  GtkLabel        *status_label;
  GtkLabel        *scenario_label;
  GtkWidget       *status_bar;
  GtkWidget       *inspector_scroller;
  gboolean         presenter;
  gboolean         stacked;
  gboolean         layout_known;   /* stacked or not has been applied */
  GtkToggleButton *detail_button;
  GtkRevealer     *class_revealer;  /* the class's connections (Serve a Class…) */
  LabClassList    *class_list;

  LabSession      *session;
  GtkStringList   *scenario_titles;
  GArray          *entries;      /* of Entry, parallel to scenario_titles */
  gboolean         updating;     /* we change the dropdown, not the user */
  gboolean         playing;
  guint            play_source;
  gboolean         paned_placed;
  GtkFileChooserNative *export_dialog;   /* open, or NULL */

  /* Lessons and predict mode (issue 12) */
  GtkRevealer     *lesson_revealer;
  GtkLabel        *lesson_label;
  GtkRevealer     *predict_revealer;
  GtkLabel        *predict_label;
  GtkFlowBox      *predict_choices;
  GtkLabel        *predict_result;
  TlsLesson       *lesson;         /* the lesson loaded, or NULL */
  TlsConductor    *preview;        /* the whole run of the scenario, run ahead once
                                      for predict mode's answers, or NULL */
  gboolean         predict;        /* predict mode is on */
  GHashTable      *asked;          /* steps asked about already (indices) */
  TlsPrediction   *open_question;  /* waiting for the class's answer, or NULL */
  TlsPredictScore  score;
};

G_DEFINE_FINAL_TYPE (LabWindow, lab_window, GTK_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_PLAYING, PROP_PRESENTER, PROP_PREDICT, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ */
/* Private                                                             */

/* The Export menu: one action per format, all through the one dialog. */
typedef struct
{
  const char *action;
  const char *suffix;        /* after the scenario's name */
  const char *pattern;
  const char *mime_type;
  const char *title;         /* N_() */
  const char *filter_name;   /* N_() */
  const char *saved;         /* N_(), "… saved as %s" */
} ExportFormat;

static const ExportFormat export_formats[LAB_EXPORT_N_KINDS] = {
  [LAB_EXPORT_JSON] = { "lab.export-json", "-trace.json", "*.json", "application/json",
                        N_("Export the Trace as JSON"), N_("JSON trace"),
                        N_("Trace saved as %s") },
  [LAB_EXPORT_HTML] = { "lab.export-html", "-handout.html", "*.html", "text/html",
                        N_("Export a Printable Handout"), N_("HTML handout"),
                        N_("Handout saved as %s") },
  [LAB_EXPORT_PCAPNG] = { "lab.export-pcapng", ".pcapng", "*.pcapng", "application/x-pcapng",
                          N_("Export a Capture for Wireshark"), N_("pcapng capture"),
                          N_("Capture saved as %s (Wireshark decrypts it with the keys inside)") },
  [LAB_EXPORT_KEYLOG] = { "lab.export-keylog", "-keylog.txt", "*.txt", "text/plain",
                          N_("Export the Key Log (SSLKEYLOGFILE)"), N_("NSS key log"),
                          N_("Key log saved as %s") },
};

static void
entry_clear (Entry *e)
{
  g_free (e->name);
  tls_scenario_free (e->scenario);
}

/* The connection Key Schedule… draws: that of the selected step (else of
 * the last one), when one of our sides computed a TLS 1.3 key schedule in
 * it or the scenario speaks TLS 1.3; -1 otherwise (a TLS 1.2 connection). */
static int
key_schedule_connection (LabWindow *self)
{
  const TlsTrace *trace = lab_session_get_trace (self->session);
  const TlsScenario *sc = lab_session_get_scenario (self->session);
  guint n = lab_session_get_n_recorded (self->session);
  int sel = lab_ladder_view_get_selected (self->ladder);
  const TlsStep *s;

  if (trace == NULL || n == 0)
    return -1;
  s = lab_session_get_step (self->session, sel >= 0 ? (guint) sel : n - 1);
  if (s == NULL)
    return -1;
  if (tls_schedule_present (trace, s->connection, TLS_ACTOR_CLIENT, n)
      || tls_schedule_present (trace, s->connection, TLS_ACTOR_SERVER, n)
      || (lab_session_get_mode (self->session) == LAB_SESSION_SCENARIO && sc != NULL
          && sc->max_version >= TLS_VERSION_1_3))
    return (int) s->connection;
  return -1;
}

static void
update_state (LabWindow *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  LabSession *s = self->session;
  g_autofree char *status = lab_session_dup_status (s);
  LabSessionMode mode = lab_session_get_mode (s);
  const TlsScenario *sc = lab_session_get_scenario (s);
  gboolean reviewing;

  gtk_widget_action_set_enabled (w, "lab.step", lab_session_can_step (s));
  gtk_widget_action_set_enabled (w, "lab.run-to-end", lab_session_can_step (s));
  gtk_widget_action_set_enabled (w, "lab.play", lab_session_can_step (s) || self->playing);
  gtk_widget_action_set_enabled (w, "lab.step-back", lab_session_can_step_back (s));
  gtk_widget_action_set_enabled (w, "lab.reset", lab_session_can_step_back (s));
  for (guint k = 0; k < LAB_EXPORT_N_KINDS; k++)
    gtk_widget_action_set_enabled (w, export_formats[k].action, lab_session_get_n_recorded (s) > 0);
  gtk_widget_action_set_enabled (w, "lab.key-schedule", key_schedule_connection (self) >= 0);

  gtk_label_set_text (self->status_label, status);
  if (mode == LAB_SESSION_SCENARIO && sc)
    {
      /* Translators: "Full handshake, RSA key exchange · seed 1" */
      g_autofree char *t = g_strdup_printf (_("%s · seed %llu"), lab_session_get_title (s),
                                            (unsigned long long) sc->seed);
      gtk_label_set_text (self->scenario_label, t);
    }
  else
    gtk_label_set_text (self->scenario_label, lab_session_get_title (s) ? lab_session_get_title (s) : "");

  /* Rewinding a real peer is not possible: say that Step back only
   * reviews (issue 5, "Live mode"). */
  reviewing = lab_session_is_review_only (s)
              && lab_session_get_position (s) < lab_session_get_n_recorded (s);
  if (mode == LAB_SESSION_LIVE && reviewing)
    gtk_label_set_text (self->review_label,
                        _("Reviewing what was recorded: a real peer cannot be rewound. "
                          "Step forward to come back to the live run."));
  else if (mode == LAB_SESSION_RECORDED)
    gtk_label_set_text (self->review_label,
                        _("A recorded trace: Step and Step back move through what was recorded."));
  gtk_revealer_set_reveal_child (self->review_revealer,
                                 mode == LAB_SESSION_RECORDED || (mode == LAB_SESSION_LIVE && reviewing));
}

static void
session_state_cb (GObject *object, GParamSpec *pspec, LabWindow *self)
{
  update_state (self);
}

static void
position_cb (GObject *object, GParamSpec *pspec, LabWindow *self)
{
  int current = lab_session_get_current (self->session);

  /* the selection follows the current step (at the lesson level, the
   * top-level step the position lies after) */
  lab_ladder_view_set_selected (self->ladder, current);
  lab_inspector_set_step (self->inspector, current);
  update_state (self);
}

static void
detail_toggled_cb (GtkToggleButton *button, LabWindow *self)
{
  TlsDetail detail = gtk_toggle_button_get_active (button) ? TLS_DETAIL_FULL : TLS_DETAIL_LESSON;

  lab_session_set_detail (self->session, detail);
  if (self->settings)
    g_settings_set_string (self->settings, "detail", tls_detail_name (detail));
}

static void
stop_playing (LabWindow *self)
{
  g_clear_handle_id (&self->play_source, g_source_remove);
  if (self->playing)
    {
      self->playing = FALSE;
      gtk_button_set_icon_name (GTK_BUTTON (self->play_button), "media-playback-start-symbolic");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
    }
}

static guint
play_interval (LabWindow *self)
{
  static const guint ms[] = { 2000, 1000, 400 };
  guint i = gtk_drop_down_get_selected (self->speed_dropdown);
  return ms[MIN (i, G_N_ELEMENTS (ms) - 1)];
}

/* ------------------------------------------------------------------ */
/* Lessons and predict mode                                            */

static void stop_playing (LabWindow *self);
static void lessons_action (GtkWidget *widget, const char *name, GVariant *param);

/* The whole run of the session's scenario, made once: a scenario is
 * deterministic, so its steps have the indices the session will give them. */
static const TlsTrace *
preview (LabWindow *self)
{
  const TlsScenario *sc = lab_session_get_scenario (self->session);

  if (self->preview == NULL && sc != NULL && lab_session_get_mode (self->session) == LAB_SESSION_SCENARIO)
    {
      self->preview = tls_conductor_new (sc, lab_session_get_datadir (self->session), NULL);
      if (self->preview != NULL)
        tls_conductor_run (self->preview);
    }
  return self->preview ? tls_conductor_get_trace (self->preview) : NULL;
}

/* What to ask before step I, or TLS_PREDICT_NONE: the lesson's question
 * there, else (predict mode on) what predict mode asks for any run. */
static TlsPredictKind
question_at (LabWindow *self, const TlsTrace *t, guint i)
{
  if (self->lesson != NULL)
    for (guint q = 0; q < self->lesson->questions->len; q++)
      {
        const TlsLessonItem *it = self->lesson->questions->pdata[q];
        if (it->step == (int) i && it->predict != TLS_PREDICT_NONE)
          return it->predict;
      }
  if (self->predict)
    return tls_predict_auto (t, i);
  return TLS_PREDICT_NONE;
}

static void
update_score_label (LabWindow *self, const char *verdict)
{
  g_autofree char *text = NULL;

  /* Translators: "Right. Score: 3 of 4" */
  text = g_strdup_printf (_("%s Score: %u of %u"), verdict, self->score.right, self->score.asked);
  gtk_label_set_text (self->predict_result, text);
}

static void answer (LabWindow *self, guint chosen);

static void
choice_clicked_cb (GtkButton *button, LabWindow *self)
{
  answer (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "lab-choice")));
}

static void
answer (LabWindow *self, guint chosen)
{
  TlsPrediction *p = self->open_question;
  g_autofree char *verdict = NULL;
  GtkWidget *child;

  if (p == NULL)
    return;
  self->score.asked++;
  if (chosen == p->right)
    {
      self->score.right++;
      verdict = g_strdup_printf (_("Right: %s."), (const char *) p->choices->pdata[p->right]);
    }
  else
    verdict = g_strdup_printf (_("Not this time: it is %s."), (const char *) p->choices->pdata[p->right]);
  update_score_label (self, verdict);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->predict_choices))) != NULL)
    gtk_flow_box_remove (self->predict_choices, child);
  /* The box gives the ladder back; the verdict and the score stay in a toast. */
  gtk_revealer_set_reveal_child (self->predict_revealer, FALSE);
  lab_window_toast (self, gtk_label_get_text (self->predict_result));
  self->open_question = NULL;
  tls_prediction_free (p);
  /* Then the step is shown. */
  lab_session_step (self->session);
}

static void
ask (LabWindow *self, TlsPrediction *p)
{
  const char *lesson_q = NULL;
  GtkWidget *child;

  if (self->lesson != NULL)
    for (guint q = 0; q < self->lesson->questions->len; q++)
      {
        const TlsLessonItem *it = self->lesson->questions->pdata[q];
        if (it->step == (int) p->step)
          lesson_q = it->text;
      }
  stop_playing (self);
  self->open_question = p;
  gtk_label_set_text (self->predict_label, lesson_q ? lesson_q : p->question);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->predict_choices))) != NULL)
    gtk_flow_box_remove (self->predict_choices, child);
  for (guint i = 0; i < p->choices->len; i++)
    {
      GtkWidget *b = gtk_button_new_with_label (p->choices->pdata[i]);
      gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (b))), TRUE);
      g_object_set_data (G_OBJECT (b), "lab-choice", GUINT_TO_POINTER (i));
      g_signal_connect (b, "clicked", G_CALLBACK (choice_clicked_cb), self);
      gtk_flow_box_append (self->predict_choices, b);
    }
  update_score_label (self, _("What comes next?"));
  gtk_revealer_set_reveal_child (self->predict_revealer, TRUE);
}

/* Step, unless a question comes first: the steps the next Step would show
 * (up to the next top-level step at the lesson level) are looked at, and
 * the first one with a question not asked yet is asked; the step follows
 * the answer.  FALSE when nothing was stepped. */
static gboolean
step_or_ask (LabWindow *self)
{
  const TlsTrace *t;
  guint pos = lab_session_get_position (self->session);

  if (self->open_question != NULL)
    return FALSE;
  if ((self->lesson != NULL || self->predict) && lab_session_can_step (self->session)
      && (t = preview (self)) != NULL)
    {
      gboolean lesson_level = lab_session_get_detail (self->session) == TLS_DETAIL_LESSON;
      /* The steps the next Step makes happen, as the session counts them. */
      guint stop = lesson_level ? tls_trace_lesson_next (t, pos) : pos + 1;

      if (stop == 0 || stop > tls_trace_len (t))
        stop = tls_trace_len (t);
      for (guint i = pos; i < stop; i++)
        {
          TlsPredictKind k = question_at (self, t, i);

          if (k != TLS_PREDICT_NONE && !g_hash_table_contains (self->asked, GUINT_TO_POINTER (i)))
            {
              TlsPrediction *p = tls_prediction_new (t, i, k, NULL);
              g_hash_table_add (self->asked, GUINT_TO_POINTER (i));
              if (p != NULL)
                {
                  ask (self, p);
                  return FALSE;
                }
            }
        }
    }
  return lab_session_step (self->session);
}

static void
forget_lesson (LabWindow *self)
{
  g_clear_pointer (&self->lesson, tls_lesson_free);
  g_clear_pointer (&self->preview, tls_conductor_free);
  g_clear_pointer (&self->open_question, tls_prediction_free);
  g_hash_table_remove_all (self->asked);
  gtk_revealer_set_reveal_child (self->lesson_revealer, FALSE);
  gtk_revealer_set_reveal_child (self->predict_revealer, FALSE);
  update_score_label (self, "");
}

static gboolean
play_tick_cb (gpointer data)
{
  LabWindow *self = data;

  if (!step_or_ask (self) || !lab_session_can_step (self->session))
    {
      self->play_source = 0;
      stop_playing (self);
      update_state (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
speed_cb (GObject *object, GParamSpec *pspec, LabWindow *self)
{
  if (self->playing)
    {
      g_clear_handle_id (&self->play_source, g_source_remove);
      self->play_source = g_timeout_add (play_interval (self), play_tick_cb, self);
    }
}

static void
remember_scenario (LabWindow *self, const char *name)
{
  if (self->settings && name)
    g_settings_set_string (self->settings, "last-scenario", name);
}

static void
select_entry (LabWindow *self, guint i)
{
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->scenario_dropdown, i);
  self->updating = FALSE;
}

static void
scenario_selected_cb (GObject *object, GParamSpec *pspec, LabWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->scenario_dropdown);
  g_autoptr (GError) error = NULL;
  Entry *e;

  if (self->updating || i >= self->entries->len)
    return;
  e = &g_array_index (self->entries, Entry, i);
  stop_playing (self);
  if (e->name)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin (e->name);
      if (sc && lab_session_load_scenario (self->session, sc, NULL, &error))
        remember_scenario (self, e->name);
    }
  else if (e->scenario)
    lab_session_load_scenario (self->session, e->scenario, NULL, &error);
  if (error)
    lab_window_toast (self, error->message);
}

/* Adds (or replaces) the custom entry at the end of the chooser. */
static guint
set_custom_entry (LabWindow *self, const char *title, const TlsScenario *sc)
{
  guint n_builtin = g_strv_length ((char **) tls_scenario_names ());
  Entry e = { NULL, sc ? tls_scenario_copy (sc) : NULL };

  if (self->entries->len > n_builtin)
    {
      g_array_set_size (self->entries, n_builtin);
      self->updating = TRUE;
      gtk_string_list_splice (self->scenario_titles, n_builtin, 1, NULL);
      self->updating = FALSE;
    }
  g_array_append_val (self->entries, e);
  gtk_string_list_append (self->scenario_titles, title);
  return self->entries->len - 1;
}

/* The scenario chooser: titles ellipsized in the header bar (it must
 * fit a zoomed window), whole in the list. */
static void
title_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 26);
      gtk_label_set_width_chars (GTK_LABEL (label), 8);
    }
  gtk_list_item_set_child (item, label);
}

static void
title_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer ellipsize)
{
  GtkStringObject *s = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (s));
  gtk_widget_set_tooltip_text (label, gtk_string_object_get_string (s));
}

static GtkListItemFactory *
title_factory_new (gboolean ellipsize)
{
  GtkListItemFactory *f = gtk_signal_list_item_factory_new ();

  g_signal_connect (f, "setup", G_CALLBACK (title_setup_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (f, "bind", G_CALLBACK (title_bind_cb), GINT_TO_POINTER (ellipsize));
  return f;
}

/* The ladder gets 40 % of the width at first; then the divider is the
 * user's. */
static void
map_cb (GtkWidget *widget, LabWindow *self)
{
  /* the keyboard goes to the ladder (Up/Down select), never to a button
   * that would take Space */
  gtk_widget_grab_focus (GTK_WIDGET (self->ladder));
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

/* Presenter mode: large type (the application's zoom style has a
 * "presenter" rule), no header bar or status bar, and the inspector shows
 * the step's title and explanation only. */
static void
set_presenter_look (LabWindow *self)
{
  gboolean on = self->presenter;

  if (on)
    gtk_widget_add_css_class (GTK_WIDGET (self), "presenter");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "presenter");
  /* the titlebar is not bound: GtkWindow unparents it itself */
  gtk_widget_set_visible (gtk_window_get_titlebar (GTK_WINDOW (self)), !on);
  gtk_widget_set_visible (self->status_bar, !on);
  lab_inspector_set_presenter (self->inspector, on);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lab.leave-presenter", on);
  self->paned_placed = FALSE;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
leave_presenter_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lab_window_set_presenter (LAB_WINDOW (widget), FALSE);
}

static void
step_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  step_or_ask (self);
}

static void
step_back_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  stop_playing (self);
  lab_session_step_back (self->session);
}

static void
reset_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  stop_playing (self);
  lab_session_reset (self->session);
}

static void
run_to_end_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  stop_playing (self);
  lab_session_run_to_end (self->session);
}

static void
select_step_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  lab_ladder_view_set_selected (self->ladder, g_variant_get_int32 (param));
}

static void
export_response_cb (GtkNativeDialog *dialog, int response, LabWindow *self)
{
  LabExportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "lab-export-kind"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path == NULL)
        lab_window_toast (self, _("Only local files can be saved"));
      else if (lab_window_export (self, kind, path, &error))
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *msg = g_strdup_printf (_(export_formats[kind].saved), base);
          lab_window_toast (self, msg);
        }
      else
        lab_window_toast (self, error->message);
    }
  if (self->export_dialog == GTK_FILE_CHOOSER_NATIVE (dialog))
    self->export_dialog = NULL;
  g_object_unref (dialog);
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabExportKind kind = LAB_EXPORT_N_KINDS;
  const ExportFormat *fmt;
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter;
  g_autofree char *suggested = NULL;

  for (guint k = 0; k < LAB_EXPORT_N_KINDS; k++)
    if (g_str_equal (name, export_formats[k].action))
      kind = k;
  if (kind == LAB_EXPORT_N_KINDS || lab_session_get_trace (self->session) == NULL
      || self->export_dialog != NULL)
    return;
  fmt = &export_formats[kind];
  dialog = gtk_file_chooser_native_new (_(fmt->title), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _(fmt->filter_name));
  gtk_file_filter_add_pattern (filter, fmt->pattern);
  gtk_file_filter_add_mime_type (filter, fmt->mime_type);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  suggested = lab_window_dup_export_name (self, kind);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "lab-export-kind", GINT_TO_POINTER (kind));
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  self->export_dialog = dialog;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
capture_opened_cb (TlsTrace *trace, const char *title, const char *message, gpointer data)
{
  LabWindow *self = LAB_WINDOW (data);

  if (trace != NULL)
    lab_window_load_trace (self, trace, title);
  if (message != NULL)
    lab_window_toast (self, message);
}

static void
open_trace_response_cb (GtkNativeDialog *dialog, int response, LabWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      lab_window_open_file (self, path, 0);
    }
  g_object_unref (dialog);
}

static void
open_trace_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Open a Recorded Trace or a Capture"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Trace or capture"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_pattern (filter, "*.pcap");
  gtk_file_filter_add_pattern (filter, "*.pcapng");
  gtk_file_filter_add_pattern (filter, "*.cap");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("JSON trace"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Capture (pcap, pcapng)"));
  gtk_file_filter_add_pattern (filter, "*.pcap");
  gtk_file_filter_add_pattern (filter, "*.pcapng");
  gtk_file_filter_add_pattern (filter, "*.cap");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_trace_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
editor_apply_cb (LabScenarioEditor *editor, LabWindow *self)
{
  g_autoptr (TlsScenario) sc = lab_scenario_editor_dup_scenario (editor);
  g_autoptr (GError) error = NULL;

  if (!lab_window_load_scenario (self, sc, &error))
    lab_window_toast (self, error->message);
}

static void
edit_scenario_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  const TlsScenario *current = lab_session_get_scenario (self->session);
  g_autoptr (TlsScenario) fallback = NULL;
  LabScenarioEditor *editor;

  if (current == NULL)
    current = fallback = tls_scenario_builtin (TLS_SCENARIO_DEFAULT);
  editor = lab_scenario_editor_new (GTK_WINDOW (self), current);
  g_signal_connect_object (editor, "apply", G_CALLBACK (editor_apply_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
key_schedule_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (lab_window_show_key_schedule (self) == NULL)
    lab_window_toast (self, _("The key schedule is drawn for a TLS 1.3 connection: select a step of one"));
}

static void
ladder_selected_cb (GObject *object, GParamSpec *pspec, LabWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lab.key-schedule",
                                 key_schedule_connection (self) >= 0);
}

static void
compare_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lab_compare_dialog_present (GTK_WINDOW (widget));
}

static void
what_if_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  int step = lab_inspector_get_step (self->inspector);

  if (lab_session_get_mode (self->session) != LAB_SESSION_SCENARIO)
    {
      lab_window_toast (self, _("“What if…” runs a scenario again: open a scenario first"));
      return;
    }
  lab_what_if_dialog_present (GTK_WINDOW (self), self->session,
                              step >= 0 ? step : lab_session_get_current (self->session));
}

static void
live_started_cb (LabLiveDialog *dialog, LabWindow *self)
{
  g_autoptr (GError) error = NULL;

  stop_playing (self);
  if (!lab_live_dialog_start_session (dialog, self->session, &error))
    lab_window_toast (self, error->message);
  else
    select_entry (self, set_custom_entry (self, lab_session_get_title (self->session), NULL));
}

/* Help (F1): the guide, one window however often it is asked for. */
static void
help_action (GtkWidget *widget, const char *name, GVariant *param)
{
  static GtkWindow *help;

  if (help == NULL)
    {
      help = lab_help_window_new (GTK_WINDOW (widget));
      g_object_add_weak_pointer (G_OBJECT (help), (gpointer *) &help);
    }
  gtk_window_present (help);
}

static void
live_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  gboolean listen = g_str_equal (name, "lab.live-listen");
  LabLiveDialog *dialog = lab_live_dialog_new (GTK_WINDOW (self), listen);

  g_signal_connect_object (dialog, "ready", G_CALLBACK (live_started_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A connection of the class opened step by step: a copy of its trace
 * (through JSON, the one reader and writer), for review. */
static void
class_connection_selected_cb (LabClassList *list, guint i, LabWindow *self)
{
  const TlsTrace *trace = lab_class_list_get_trace (list, i);
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *title = NULL;
  TlsTrace *copy;
  gsize len = 0;

  if (trace == NULL)
    return;
  json = tls_trace_to_json (trace, &len);
  copy = tls_trace_from_json (json, len, &error);
  if (copy == NULL)
    {
      lab_window_toast (self, error->message);
      return;
    }
  /* Translators: the chooser's entry for a connection of the class: its number and address */
  title = g_strdup_printf (_("Class: connection %u from %s"), i + 1,
                           tls_trace_get_meta (trace, "peer") ? tls_trace_get_meta (trace, "peer") : "?");
  stop_playing (self);
  lab_window_load_trace (self, copy, title);
}

static void
serve_class_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  g_autoptr (GError) error = NULL;

  if (lab_class_list_is_serving (self->class_list))
    {
      gtk_revealer_set_reveal_child (self->class_revealer, TRUE);
      return;
    }
  /* as `serve`: this machine only; `gui --serve 0.0.0.0:4433` for the room */
  if (!lab_window_serve_class (self, "127.0.0.1", 4433, &error))
    lab_window_toast (self, error->message);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static gboolean
lab_window_close_request (GtkWindow *window)
{
  LabWindow *self = LAB_WINDOW (window);
  GSettings *settings = self->settings;

  stop_playing (self);
  lab_class_list_stop (self->class_list);
  if (settings && self->remember_size)
    {
      int w, h;
      gtk_window_get_default_size (window, &w, &h);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && w > 0 && h > 0)
        {
          g_settings_set_int (settings, "window-width", w);
          g_settings_set_int (settings, "window-height", h);
        }
    }
  return GTK_WINDOW_CLASS (lab_window_parent_class)->close_request (window);
}

/* The type size of the window, in pixels (the zoom sets it). */
static double
font_px (GtkWidget *w)
{
  const PangoFontDescription *fd = pango_context_get_font_description (gtk_widget_get_pango_context (w));
  double size = fd ? pango_font_description_get_size (fd) / (double) PANGO_SCALE : 10;

  if (fd && !pango_font_description_get_size_is_absolute (fd))
    size *= 96.0 / 72.0;
  return MAX (size, 1);
}

/* Narrow for its type (a 1024-pixel projector at zoom 2 or 3), the
 * ladder goes above the inspector instead of beside it, so neither is
 * cut: about 62 characters of width (1024 pixels at zoom 1 keeps the
 * panes side by side). */
#define STACK_BELOW_EMS 50.0

static void
lab_window_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  LabWindow *self = LAB_WINDOW (widget);
  gboolean stacked = width / font_px (widget) < STACK_BELOW_EMS;

  if (stacked != self->stacked || !self->layout_known)
    {
      self->layout_known = TRUE;
      self->stacked = stacked;
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned),
                                      stacked ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
      gtk_widget_set_size_request (GTK_WIDGET (self->ladder), stacked ? -1 : 300, stacked ? 120 : -1);
      gtk_widget_set_size_request (GTK_WIDGET (self->inspector), stacked ? -1 : 420, -1);
      lab_ladder_view_set_legend_visible (self->ladder, !stacked);
      lab_inspector_set_narrow (self->inspector, stacked);
      /* side by side the inspector fits: no scrolling, so it is measured
       * once per layout, not with and without scrollbars */
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->inspector_scroller),
                                      stacked ? GTK_POLICY_AUTOMATIC : GTK_POLICY_NEVER,
                                      stacked ? GTK_POLICY_AUTOMATIC : GTK_POLICY_NEVER);
      self->paned_placed = FALSE;
    }
  if (!self->paned_placed && width > 0)
    {
      self->paned_placed = TRUE;
      gtk_paned_set_position (GTK_PANED (self->paned), stacked ? height / 2 : width * 2 / 5);
    }
  GTK_WIDGET_CLASS (lab_window_parent_class)->size_allocate (widget, width, height, baseline);
}

static void
lab_window_dispose (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  g_clear_handle_id (&self->play_source, g_source_remove);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->key_schedule);
  g_clear_pointer (&self->lesson, tls_lesson_free);
  g_clear_pointer (&self->preview, tls_conductor_free);
  g_clear_pointer (&self->open_question, tls_prediction_free);
  if (self->export_dialog)
    {
      /* its response would come to a window that is gone */
      g_signal_handlers_disconnect_by_data (self->export_dialog, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_dialog));
      g_clear_object (&self->export_dialog);
    }
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_WINDOW);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (lab_window_parent_class)->dispose (object);
}

static void
lab_window_finalize (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  g_array_unref (self->entries);
  g_hash_table_unref (self->asked);
  G_OBJECT_CLASS (lab_window_parent_class)->finalize (object);
}

static void
lab_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LabWindow *self = LAB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_PRESENTER:
      g_value_set_boolean (value, self->presenter);
      break;
    case PROP_PREDICT:
      g_value_set_boolean (value, self->predict);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LabWindow *self = LAB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      lab_window_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_PRESENTER:
      lab_window_set_presenter (self, g_value_get_boolean (value));
      break;
    case PROP_PREDICT:
      lab_window_set_predict (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_window_class_init (LabWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lab_window_dispose;
  object_class->finalize = lab_window_finalize;
  object_class->get_property = lab_window_get_property;
  object_class->set_property = lab_window_set_property;
  window_class->close_request = lab_window_close_request;
  widget_class->size_allocate = lab_window_size_allocate;

  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRESENTER] =
    g_param_spec_boolean ("presenter", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PREDICT] =
    g_param_spec_boolean ("predict", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LAB_TYPE_LADDER_VIEW);
  g_type_ensure (LAB_TYPE_INSPECTOR);
  g_type_ensure (LAB_TYPE_CLASS_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/handshakelab/HandshakeLab/ui/lab-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabWindow, scenario_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, export_menu_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, export_menu);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, step_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, lesson_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, lesson_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, predict_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, predict_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, predict_choices);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, predict_result);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, review_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, review_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, ladder);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, scenario_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, status_bar);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, inspector_scroller);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, detail_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, class_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, class_list);

  /* The verbs (STYLE.md: actions on widget classes; the accelerators
   * are set once, in LabApplication). */
  gtk_widget_class_install_action (widget_class, "lab.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "lab.step-back", NULL, step_back_action);
  gtk_widget_class_install_action (widget_class, "lab.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "lab.run-to-end", NULL, run_to_end_action);
  gtk_widget_class_install_property_action (widget_class, "lab.play", "playing");
  gtk_widget_class_install_property_action (widget_class, "lab.presenter", "presenter");
  gtk_widget_class_install_property_action (widget_class, "lab.predict", "predict");
  gtk_widget_class_install_action (widget_class, "lab.lessons", NULL, lessons_action);
  gtk_widget_class_install_action (widget_class, "lab.leave-presenter", NULL, leave_presenter_action);
  gtk_widget_class_install_action (widget_class, "lab.select-step", "i", select_step_action);
  for (guint k = 0; k < LAB_EXPORT_N_KINDS; k++)
    gtk_widget_class_install_action (widget_class, export_formats[k].action, NULL, export_action);
  gtk_widget_class_install_action (widget_class, "lab.open-trace", NULL, open_trace_action);
  gtk_widget_class_install_action (widget_class, "lab.edit-scenario", NULL, edit_scenario_action);
  gtk_widget_class_install_action (widget_class, "lab.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "lab.key-schedule", NULL, key_schedule_action);
  gtk_widget_class_install_action (widget_class, "lab.what-if", NULL, what_if_action);
  gtk_widget_class_install_action (widget_class, "lab.live-connect", NULL, live_action);
  gtk_widget_class_install_action (widget_class, "lab.live-listen", NULL, live_action);
  gtk_widget_class_install_action (widget_class, "lab.help", NULL, help_action);
  gtk_widget_class_install_action (widget_class, "lab.serve-class", NULL, serve_class_action);
  /* F1 is the desktop's key for help everywhere: bound on the window
   * itself, so it works in every window of the class */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "lab.help", NULL);
}

/* A header menu's popover is built the first time it opens: built with the
 * window (the template's menu-model), the two popover menus cost 10 million
 * instructions of every start for menus perhaps never opened
 * (bench/README.md).  GtkMenuButton calls this at each opening (a click,
 * F10 for the primary one), before it pops up. */
static void
menu_popup_cb (GtkMenuButton *button, gpointer model)
{
  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, model);
}

static void
lab_window_init (LabWindow *self)
{
  const char *const *names = tls_scenario_names ();

  self->asked = g_hash_table_new (NULL, NULL);
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, (GDestroyNotify) entry_clear);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->primary_menu_button, menu_popup_cb, self->primary_menu, NULL);
  gtk_menu_button_set_create_popup_func (self->export_menu_button, menu_popup_cb, self->export_menu, NULL);
  /* the window's own child: GtkWindow unparents it, so it is not bound */
  self->toast_overlay = ADW_TOAST_OVERLAY (gtk_window_get_child (GTK_WINDOW (self)));

  self->session = lab_session_new ();
  lab_ladder_view_set_session (self->ladder, self->session);
  lab_inspector_set_session (self->inspector, self->session);
  g_signal_connect (self->session, "notify::position", G_CALLBACK (position_cb), self);
  g_signal_connect (self->session, "notify::finished", G_CALLBACK (session_state_cb), self);
  g_signal_connect (self->session, "notify::busy", G_CALLBACK (session_state_cb), self);
  g_signal_connect (self->session, "notify::mode", G_CALLBACK (session_state_cb), self);
  g_object_bind_property (self->ladder, "selected", self->inspector, "step", G_BINDING_DEFAULT);
  g_signal_connect (self->ladder, "notify::selected", G_CALLBACK (ladder_selected_cb), self);

  self->scenario_titles = gtk_string_list_new (NULL);
  for (guint i = 0; names[i]; i++)
    {
      g_autoptr (TlsScenario) sc = tls_scenario_builtin (names[i]);
      Entry e = { g_strdup (names[i]), NULL };
      g_array_append_val (self->entries, e);
      gtk_string_list_append (self->scenario_titles, sc && sc->title ? sc->title : names[i]);
    }
  {
    GtkListItemFactory *button = title_factory_new (TRUE), *list = title_factory_new (FALSE);
    gtk_drop_down_set_factory (self->scenario_dropdown, button);
    gtk_drop_down_set_list_factory (self->scenario_dropdown, list);
    g_object_unref (button);
    g_object_unref (list);
  }
  g_signal_connect_after (self, "map", G_CALLBACK (map_cb), self);
  self->updating = TRUE;
  gtk_drop_down_set_model (self->scenario_dropdown, G_LIST_MODEL (self->scenario_titles));
  g_object_unref (self->scenario_titles);
  self->updating = FALSE;
  g_signal_connect (self->scenario_dropdown, "notify::selected", G_CALLBACK (scenario_selected_cb), self);
  g_signal_connect (self->speed_dropdown, "notify::selected", G_CALLBACK (speed_cb), self);
  g_signal_connect (self->detail_button, "toggled", G_CALLBACK (detail_toggled_cb), self);
  g_signal_connect (self->class_list, "connection-selected",
                    G_CALLBACK (class_connection_selected_cb), self);
  update_state (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lab.leave-presenter", FALSE);
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

LabWindow *
lab_window_new (GtkApplication *app)
{
  return g_object_new (LAB_TYPE_WINDOW, "application", app, NULL);
}

void
lab_window_set_settings (LabWindow *self, GSettings *settings, gboolean remember_size)
{
  TlsDetail detail = TLS_DETAIL_LESSON;

  g_return_if_fail (LAB_IS_WINDOW (self));
  g_set_object (&self->settings, settings);
  self->remember_size = remember_size;
  if (settings)
    {
      g_autofree char *name = g_settings_get_string (settings, "detail");
      tls_detail_parse (name, &detail);
      lab_window_set_detail (self, detail);
    }
}

void
lab_window_set_detail (LabWindow *self, TlsDetail detail)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  /* Set by the program (`gui --detail`, a lesson, the saved setting): the
   * button follows, but only a person's click is remembered in GSettings. */
  g_signal_handlers_block_by_func (self->detail_button, detail_toggled_cb, self);
  gtk_toggle_button_set_active (self->detail_button, detail == TLS_DETAIL_FULL);
  g_signal_handlers_unblock_by_func (self->detail_button, detail_toggled_cb, self);
  lab_session_set_detail (self->session, detail);
}

TlsDetail
lab_window_get_detail (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), TLS_DETAIL_FULL);
  return lab_session_get_detail (self->session);
}

LabSession *
lab_window_get_session (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->session;
}

LabLadderView *
lab_window_get_ladder (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->ladder;
}

LabInspector *
lab_window_get_inspector (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->inspector;
}

gboolean
lab_window_load_builtin (LabWindow *self, const char *name, GError **error)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (name);

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  if (sc == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No scenario is called “%s”"), name);
      return FALSE;
    }
  stop_playing (self);
  forget_lesson (self);
  if (!lab_session_load_scenario (self->session, sc, NULL, error))
    return FALSE;
  for (guint i = 0; i < self->entries->len; i++)
    if (g_strcmp0 (g_array_index (self->entries, Entry, i).name, name) == 0)
      select_entry (self, i);
  remember_scenario (self, name);
  return TRUE;
}

gboolean
lab_window_load_scenario (LabWindow *self, const TlsScenario *sc, GError **error)
{
  g_autofree char *title = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  stop_playing (self);
  forget_lesson (self);
  if (!lab_session_load_scenario (self->session, sc, NULL, error))
    return FALSE;
  /* Translators: the chooser's entry for a scenario from the editor */
  title = g_strdup_printf (_("Custom: %s"), sc->title ? sc->title : sc->name);
  select_entry (self, set_custom_entry (self, title, sc));
  return TRUE;
}

void
lab_window_load_trace (LabWindow *self, TlsTrace *trace, const char *title)
{
  g_autofree char *entry = NULL;

  g_return_if_fail (LAB_IS_WINDOW (self));
  stop_playing (self);
  forget_lesson (self);
  lab_session_load_trace (self->session, trace, title);
  /* Translators: the chooser's entry for a trace loaded from a file */
  entry = g_strdup_printf (_("Recorded: %s"), title ? title : "");
  select_entry (self, set_custom_entry (self, entry, NULL));
}

guint
lab_window_step_n (LabWindow *self, guint n)
{
  guint done = 0;

  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);
  while (done < n && step_or_ask (self))
    done++;
  return done;
}

gboolean
lab_window_get_playing (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  return self->playing;
}

void
lab_window_set_playing (LabWindow *self, gboolean playing)
{
  g_return_if_fail (LAB_IS_WINDOW (self));

  if (playing == self->playing)
    return;
  if (!playing)
    {
      stop_playing (self);
      update_state (self);
      return;
    }
  if (!lab_session_can_step (self->session))
    return;
  self->playing = TRUE;
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button), "media-playback-pause-symbolic");
  step_or_ask (self);
  self->play_source = g_timeout_add (play_interval (self), play_tick_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

gboolean
lab_window_export (LabWindow *self, LabExportKind kind, const char *path, GError **error)
{
  const TlsTrace *trace;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (kind < LAB_EXPORT_N_KINDS, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trace = lab_session_get_trace (self->session);
  if (trace == NULL || tls_trace_len (trace) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("Nothing to export yet: take a step first"));
      return FALSE;
    }
  switch (kind)
    {
    case LAB_EXPORT_JSON:
      return tls_trace_save_json (trace, path, error);
    case LAB_EXPORT_HTML:
      /* the handout at the level the class is looking at */
      return tls_trace_save_html_at (trace, lab_session_get_detail (self->session), path, error);
    case LAB_EXPORT_PCAPNG:
      return tls_trace_save_pcapng (trace, path, error);
    case LAB_EXPORT_KEYLOG:
      {
        g_autofree char *keylog = tls_trace_keylog (trace);

        /* an empty key log would look like a saved one that Wireshark
         * then ignores */
        if (keylog == NULL || *keylog == '\0')
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                                 _("No key to log yet: the master secret has not been derived. "
                                   "Step further, then export again."));
            return FALSE;
          }
        return tls_trace_save_keylog (trace, path, error);
      }
    case LAB_EXPORT_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

char *
lab_window_dup_export_name (LabWindow *self, LabExportKind kind)
{
  const TlsScenario *sc;
  const TlsTrace *trace;
  const char *name = NULL;
  GString *out;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  g_return_val_if_fail (kind < LAB_EXPORT_N_KINDS, NULL);

  sc = lab_session_get_scenario (self->session);
  trace = lab_session_get_trace (self->session);
  if (sc && sc->name && *sc->name)
    name = sc->name;
  else if (trace && trace->scenario && *trace->scenario)
    name = trace->scenario;
  else
    name = "handshake";
  /* a file name, whatever the scenario is called */
  out = g_string_new (NULL);
  for (const char *p = name; *p; p++)
    g_string_append_c (out, g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' ? *p : '-');
  g_string_append (out, export_formats[kind].suffix);
  return g_string_free (out, FALSE);
}

void
lab_window_open_file (LabWindow *self, const char *path, guint connection)
{
  g_autoptr (GError) error = NULL;
  TlsTrace *trace;

  g_return_if_fail (LAB_IS_WINDOW (self));
  if (path == NULL)
    {
      lab_window_toast (self, _("Only local files can be opened"));
      return;
    }
  if (lab_capture_is_capture_path (path))
    {
      lab_capture_open (GTK_WINDOW (self), path, connection, capture_opened_cb, self);
      return;
    }
  trace = tls_trace_load_json (path, &error);
  if (trace)
    {
      g_autofree char *base = g_path_get_basename (path);
      lab_window_load_trace (self, trace, base);
    }
  else
    lab_window_toast (self, error->message);
}

void
lab_window_toast (LabWindow *self, const char *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (LAB_IS_WINDOW (self));
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

void
lab_window_set_presenter (LabWindow *self, gboolean presenter)
{
  g_return_if_fail (LAB_IS_WINDOW (self));

  presenter = !!presenter;
  if (presenter == self->presenter)
    return;
  self->presenter = presenter;
  set_presenter_look (self);
  if (presenter)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->ladder));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTER]);
}

gboolean
lab_window_get_presenter (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  return self->presenter;
}

gboolean
lab_window_get_stacked (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  return self->stacked;
}

/* ------------------------------------------------------------------ */
/* Lessons and predict mode: public                                    */

static void
lesson_chosen_cb (LabLessonsDialog *dialog, const char *path, LabWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (!lab_window_load_lesson (self, path, &error))
    lab_window_toast (self, error->message);
}

static void
lessons_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  g_autofree char *dir = g_build_filename (lab_session_get_datadir (self->session), "lessons", NULL);
  LabLessonsDialog *d = lab_lessons_dialog_new (GTK_WINDOW (self), dir);

  g_signal_connect (d, "lesson-chosen", G_CALLBACK (lesson_chosen_cb), self);
  gtk_window_present (GTK_WINDOW (d));
}

gboolean
lab_window_load_lesson (LabWindow *self, const char *path, GError **error)
{
  g_autoptr (TlsLesson) l = tls_lesson_load (path, error);
  g_autofree char *banner = NULL;
  const TlsTrace *t;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  if (l == NULL || !lab_window_load_scenario (self, l->scenario, error))
    return FALSE;
  t = preview (self);
  if (t == NULL || !tls_lesson_place (l, t, error))
    return FALSE;
  /* The notes, and the questions with their answers, on their steps. */
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      g_autofree char *text = tls_lesson_text_at (l, i, TRUE);
      if (text != NULL)
        lab_session_set_note (self->session, i, text);
    }
  banner = g_markup_printf_escaped ("<b>%s</b>\n%s", l->title, l->goal);
  gtk_label_set_markup (self->lesson_label, banner);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->lesson_label), self->lesson ? NULL : l->goal);
  gtk_revealer_set_reveal_child (self->lesson_revealer, TRUE);
  self->lesson = g_steal_pointer (&l);
  return TRUE;
}

const TlsLesson *
lab_window_get_lesson (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->lesson;
}

void
lab_window_set_predict (LabWindow *self, gboolean predict)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  if (!predict == !self->predict)
    return;
  self->predict = predict;
  if (self->open_question == NULL)
    lab_window_toast (self, predict ? _("Predict mode: before chosen steps, Step asks what "
                                        "comes next.") : _("Predict mode is off."));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREDICT]);
}

gboolean
lab_window_get_predict (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  return self->predict;
}

const TlsPrediction *
lab_window_get_question (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->open_question;
}

void
lab_window_answer (LabWindow *self, guint choice)
{
  GtkWidget *child;
  guint i = 0;

  g_return_if_fail (LAB_IS_WINDOW (self));
  /* As the class does: the choice's button is clicked. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->predict_choices)); child;
       child = gtk_widget_get_next_sibling (child), i++)
    if (i == choice)
      {
        g_signal_emit_by_name (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child)), "clicked");
        return;
      }
}

TlsPredictScore
lab_window_get_score (LabWindow *self)
{
  return self->score;
}

gboolean
lab_window_serve_class (LabWindow *self, const char *host, guint16 port, GError **error)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);

  if (!lab_class_list_start (self->class_list, host, port,
                             lab_session_get_datadir (self->session), error))
    return FALSE;
  gtk_revealer_set_reveal_child (self->class_revealer, TRUE);
  return TRUE;
}

LabClassList *
lab_window_get_class_list (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->class_list;
}

LabKeySchedule *
lab_window_show_key_schedule (LabWindow *self)
{
  int connection;
  LabKeySchedule *view;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  connection = key_schedule_connection (self);
  if (connection < 0)
    return NULL;
  if (self->key_schedule != NULL)
    gtk_window_destroy (self->key_schedule);
  view = lab_key_schedule_new (GTK_WINDOW (self), self->session, (guint) connection);
  g_set_weak_pointer (&self->key_schedule, GTK_WINDOW (view));
  gtk_window_present (GTK_WINDOW (view));
  return view;
}
