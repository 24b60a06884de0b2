/* lab-key-schedule.c — the TLS 1.3 key schedule as the diagram of RFC 8446,
 * 7.1.  Built in code: a grid of buttons laid out like the RFC's figure
 * (the chain of Extracts down the second column, the Derive-Secret
 * branches to the right of the secret they come from, then the keys each
 * traffic secret gives), nothing for a template to hold. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "lab-key-schedule.h"
#include "tls-bytes.h"

struct _LabKeySchedule
{
  GtkWindow       parent_instance;
  LabSession     *session;
  GtkWindow      *parent;           /* weak: the window whose step a box selects */
  guint           connection;
  TlsActor        actor;
  TlsSchedule    *schedule;
  GtkWidget      *intro;
  GtkWidget      *grid;
  GtkWidget      *detail;           /* what the last box activated or focused is */
  GtkWidget      *client_button, *server_button;
  GtkWidget      *boxes[TLS_SCHEDULE_N_BOXES];
  gboolean        rebuilding;       /* the side's buttons are being set */
  int             detail_id;        /* the box the detail line is about, or -1 */
};

G_DEFINE_FINAL_TYPE (LabKeySchedule, lab_key_schedule, GTK_TYPE_WINDOW)

/* Where each box sits: row and column of the grid (RFC 8446, 7.1: the
 * Extracts down column 1, their Derive-Secret branches in column 3, the
 * keys of 7.3 and the Finished keys of 4.4.4 in column 5). */
static const struct { TlsScheduleBoxId id; int row, col; } layout[] = {
  { TLS_SCHEDULE_EARLY_SECRET, 0, 1 },
  { TLS_SCHEDULE_BINDER_KEY, 0, 3 },
  { TLS_SCHEDULE_C_E_TRAFFIC, 1, 3 },
  { TLS_SCHEDULE_C_E_KEYS, 1, 5 },
  { TLS_SCHEDULE_E_EXP_MASTER, 2, 3 },
  { TLS_SCHEDULE_DERIVED_HS, 3, 1 },
  { TLS_SCHEDULE_HANDSHAKE_SECRET, 4, 1 },
  { TLS_SCHEDULE_C_HS_TRAFFIC, 4, 3 },
  { TLS_SCHEDULE_C_HS_KEYS, 4, 5 },
  { TLS_SCHEDULE_C_FINISHED_KEY, 4, 6 },
  { TLS_SCHEDULE_S_HS_TRAFFIC, 5, 3 },
  { TLS_SCHEDULE_S_HS_KEYS, 5, 5 },
  { TLS_SCHEDULE_S_FINISHED_KEY, 5, 6 },
  { TLS_SCHEDULE_DERIVED_MASTER, 6, 1 },
  { TLS_SCHEDULE_MASTER_SECRET, 7, 1 },
  { TLS_SCHEDULE_C_AP_TRAFFIC, 7, 3 },
  { TLS_SCHEDULE_C_AP_KEYS, 7, 5 },
  { TLS_SCHEDULE_S_AP_TRAFFIC, 8, 3 },
  { TLS_SCHEDULE_S_AP_KEYS, 8, 5 },
  { TLS_SCHEDULE_EXP_MASTER, 9, 3 },
  { TLS_SCHEDULE_RES_MASTER, 10, 3 },
};

/* The lines of the figure: what comes into each HKDF-Extract, the chain
 * going down past the branches, the branches. */
static const struct { int row, col; const char *text; } lines[] = {
  { 0, 0, "PSK / 0 ─▶" }, { 4, 0, "(EC)DHE ─▶" }, { 7, 0, "0 ─▶" },
  { 1, 1, NULL }, { 2, 1, NULL }, { 5, 1, NULL }, { 8, 1, NULL }, { 9, 1, NULL }, { 10, 1, NULL },
  { 0, 2, "─▶" }, { 1, 2, "─▶" }, { 2, 2, "─▶" }, { 4, 2, "─▶" }, { 5, 2, "─▶" },
  { 7, 2, "─▶" }, { 8, 2, "─▶" }, { 9, 2, "─▶" }, { 10, 2, "─▶" },
  { 1, 4, "─▶" }, { 4, 4, "─▶" }, { 5, 4, "─▶" }, { 7, 4, "─▶" }, { 8, 4, "─▶" },
};

/* The first bytes of B in hex, with an ellipsis when there are more. */
static char *
short_hex (GBytes *b, gsize n)
{
  gsize len = 0;
  const guint8 *p = b ? g_bytes_get_data (b, &len) : NULL;
  g_autofree char *hex = p ? tls_hex (p, MIN (n, len)) : g_strdup ("");

  return g_strdup_printf ("%s%s", hex, len > n ? "…" : "");
}

static char *
full_hex (GBytes *b)
{
  gsize len = 0;
  const guint8 *p = b ? g_bytes_get_data (b, &len) : NULL;

  return p ? tls_hex (p, len) : g_strdup ("");
}

static const char *
box_heading (const TlsScheduleBox *b)
{
  return b->name;
}

/* The box's second line: its value (or why it has none). */
static char *
box_value (LabKeySchedule *self, const TlsScheduleBox *b)
{
  if (b->step < 0)
    return g_strdup (lab_session_is_finished (self->session)
                     /* Translators: a box of the key schedule this connection did not compute */
                     ? _("not in this run")
                     /* Translators: a box of the key schedule not computed so far */
                     : _("not computed yet"));
  if (b->value2 != NULL && g_strcmp0 (b->label, "key | iv") == 0)
    {
      g_autofree char *key = short_hex (b->value, 4);
      g_autofree char *iv = short_hex (b->value2, 4);
      return g_strdup_printf ("%s  %s", key, iv);
    }
  return short_hex (b->value, b->id == TLS_SCHEDULE_C_FINISHED_KEY
                               || b->id == TLS_SCHEDULE_S_FINISHED_KEY ? 6 : 8);
}

/* The third line: the label and the messages of the transcript hash. */
static char *
box_context (const TlsScheduleBox *b)
{
  if (b->label == NULL)
    return g_strdup ("HKDF-Extract");
  if (b->id == TLS_SCHEDULE_DERIVED_HS || b->id == TLS_SCHEDULE_DERIVED_MASTER)
    return g_strdup ("Derive-Secret(., “derived”, “”)");
  if (b->context != NULL && b->messages != NULL && b->id != TLS_SCHEDULE_C_FINISHED_KEY
      && b->id != TLS_SCHEDULE_S_FINISHED_KEY)
    return g_strdup_printf ("“%s” · %s", b->label, b->context);
  return g_strdup_printf ("“%s”", b->label);
}

/* The whole story of a box, for the line under the diagram and its tooltip. */
static char *
box_detail (LabKeySchedule *self, const TlsScheduleBox *b)
{
  GString *s = g_string_new (NULL);

  if (b->step < 0)
    {
      g_string_append_printf (s, _("%s: this connection did not compute it (%s)."),
                              b->name, b->rfc);
      return g_string_free (s, FALSE);
    }
  {
    g_autofree char *hex = full_hex (b->value);
    /* Translators: a box of the key schedule: its name, the step that computed it, the RFC */
    g_string_append_printf (s, _("%s from step %u (%s):"), b->name, (guint) b->step + 1, b->rfc);
    if (g_strcmp0 (b->output, b->name) != 0)
      g_string_append_printf (s, " %s =", b->output);
    g_string_append_printf (s, " %s", hex);
  }
  if (b->value2 != NULL)
    {
      g_autofree char *hex = full_hex (b->value2);
      g_string_append_printf (s, "; %s = %s", b->output2, hex);
    }
  if (b->context != NULL && b->messages != NULL)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (b->messages, NULL);
      list = g_strjoinv (", ", (char **) b->messages->pdata);
      g_ptr_array_remove_index (b->messages, b->messages->len - 1);
      g_string_append (s, "\n");
      /* Translators: the transcript hash a secret (or a Finished) covers: its step and its messages */
      g_string_append_printf (s, _("Transcript-Hash of step %u over %s"),
                              (guint) b->context_step + 1, list);
    }
  return g_string_free (s, FALSE);
}

static void
show_detail (LabKeySchedule *self, TlsScheduleBoxId id)
{
  g_autofree char *text = box_detail (self, &self->schedule->boxes[id]);

  self->detail_id = (int) id;
  gtk_label_set_text (GTK_LABEL (self->detail), text);
}

static void
box_clicked_cb (GtkButton *button, LabKeySchedule *self)
{
  TlsScheduleBoxId id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "lab-box"));
  int step = self->schedule->boxes[id].step;

  show_detail (self, id);
  if (step >= 0 && self->parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->parent), "lab.select-step", "i", step);
}

static void
box_focus_cb (GtkEventControllerFocus *focus, LabKeySchedule *self)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus));
  show_detail (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "lab-box")));
}

static GtkWidget *
line_label (const char *text, const char *css)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_widget_add_css_class (l, css);
  return l;
}

static GtkWidget *
box_new (LabKeySchedule *self, const TlsScheduleBox *b)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autofree char *value = box_value (self, b);
  g_autofree char *context = box_context (b);
  g_autofree char *detail = box_detail (self, b);
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_box_append (GTK_BOX (vbox), line_label (box_heading (b), "ks-name"));
  gtk_box_append (GTK_BOX (vbox), line_label (value, b->step >= 0 ? "ks-hex" : "ks-absent-text"));
  gtk_box_append (GTK_BOX (vbox), line_label (context, "ks-context"));
  for (GtkWidget *c = gtk_widget_get_first_child (vbox); c; c = gtk_widget_get_next_sibling (c))
    gtk_label_set_xalign (GTK_LABEL (c), 0);
  gtk_button_set_child (GTK_BUTTON (button), vbox);
  gtk_widget_add_css_class (button, "ks-box");
  if (b->label == NULL)
    gtk_widget_add_css_class (button, "ks-extract");
  if (b->step < 0)
    gtk_widget_add_css_class (button, "ks-absent");
  gtk_widget_set_tooltip_text (button, detail);
  {
    /* screen readers: the box's three lines, and its whole story */
    g_autofree char *label = g_strdup_printf ("%s, %s, %s", box_heading (b), value, context);
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail, -1);
  }
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (button, 1);
  gtk_widget_set_margin_bottom (button, 1);
  g_object_set_data (G_OBJECT (button), "lab-box", GUINT_TO_POINTER (b->id));
  g_signal_connect (button, "clicked", G_CALLBACK (box_clicked_cb), self);
  g_signal_connect (focus, "enter", G_CALLBACK (box_focus_cb), self);
  gtk_widget_add_controller (button, focus);
  return button;
}

static void
rebuild (LabKeySchedule *self)
{
  const TlsTrace *trace = lab_session_get_trace (self->session);
  guint limit = lab_session_get_position (self->session);
  GtkWidget *child, *focus = gtk_window_get_focus (GTK_WINDOW (self));
  int focus_id = -1;
  gboolean client, server;
  g_autofree char *intro = NULL;

  /* the box that has the focus keeps it (and the view its scroll position) */
  for (guint k = 0; k < TLS_SCHEDULE_N_BOXES; k++)
    if (focus != NULL && self->boxes[k] != NULL
        && (focus == self->boxes[k] || gtk_widget_is_ancestor (focus, self->boxes[k])))
      focus_id = (int) k;
  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_clear_pointer (&self->schedule, tls_schedule_free);
  memset (self->boxes, 0, sizeof self->boxes);
  if (trace == NULL)
    return;

  client = tls_schedule_present (trace, self->connection, TLS_ACTOR_CLIENT, limit);
  server = tls_schedule_present (trace, self->connection, TLS_ACTOR_SERVER, limit);
  if (self->actor == TLS_ACTOR_CLIENT && !client && server)
    self->actor = TLS_ACTOR_SERVER;
  if (self->actor == TLS_ACTOR_SERVER && !server && client)
    self->actor = TLS_ACTOR_CLIENT;
  gtk_widget_set_sensitive (self->client_button, client);
  gtk_widget_set_sensitive (self->server_button, server);
  self->rebuilding = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->actor == TLS_ACTOR_CLIENT
                                                   ? self->client_button : self->server_button), TRUE);
  self->rebuilding = FALSE;

  self->schedule = tls_schedule_new (trace, self->connection, self->actor, limit);
  intro = g_strdup_printf (self->actor == TLS_ACTOR_CLIENT
                           /* Translators: %u: the connection's number (from 1) */
                           ? _("Connection %u, as the client computed it (RFC 8446, 7.1). "
                               "Activate a box to see its step.")
                           : _("Connection %u, as the server computed it (RFC 8446, 7.1). "
                               "Activate a box to see its step."),
                           self->connection + 1);
  gtk_label_set_text (GTK_LABEL (self->intro), intro);
  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      GtkWidget *line = lines[i].text ? line_label (lines[i].text, "ks-line")
                                      : gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      if (lines[i].text == NULL)
        {
          /* the chain goes on down beside the branches (to the middle of
           * the last one) */
          gtk_widget_add_css_class (line, "ks-vline");
          gtk_widget_set_halign (line, GTK_ALIGN_CENTER);
          gtk_widget_set_valign (line, lines[i].row == 10 ? GTK_ALIGN_START : GTK_ALIGN_FILL);
          if (lines[i].row == 10)
            gtk_widget_set_size_request (line, -1, 22);
        }
      gtk_grid_attach (GTK_GRID (self->grid), line, lines[i].col, lines[i].row, 1, 1);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (layout); i++)
    {
      const TlsScheduleBox *b = &self->schedule->boxes[layout[i].id];
      self->boxes[b->id] = box_new (self, b);
      gtk_grid_attach (GTK_GRID (self->grid), self->boxes[b->id], layout[i].col, layout[i].row, 1, 1);
    }
  if (focus_id >= 0)
    gtk_widget_grab_focus (self->boxes[focus_id]);
  if (self->detail_id >= 0)
    show_detail (self, (TlsScheduleBoxId) self->detail_id);
}

static void
items_changed_cb (GListModel *model, guint pos, guint removed, guint added, LabKeySchedule *self)
{
  rebuild (self);
}

static void
trace_replaced_cb (LabSession *session, LabKeySchedule *self)
{
  rebuild (self);
}

static void
actor_toggled_cb (GtkToggleButton *button, LabKeySchedule *self)
{
  if (self->rebuilding || !gtk_toggle_button_get_active (button))
    return;
  lab_key_schedule_set_actor (self, GTK_WIDGET (button) == self->client_button
                                    ? TLS_ACTOR_CLIENT : TLS_ACTOR_SERVER);
}

static void
lab_key_schedule_dispose (GObject *object)
{
  LabKeySchedule *self = LAB_KEY_SCHEDULE (object);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_weak_pointer (&self->parent);
  g_clear_pointer (&self->schedule, tls_schedule_free);
  G_OBJECT_CLASS (lab_key_schedule_parent_class)->dispose (object);
}

static void
lab_key_schedule_class_init (LabKeyScheduleClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lab_key_schedule_dispose;
}

static void
lab_key_schedule_init (LabKeySchedule *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *sides = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->actor = TLS_ACTOR_CLIENT;
  self->detail_id = -1;
  /* Translators: the window of the TLS 1.3 key schedule (RFC 8446, 7.1) */
  gtk_window_set_title (GTK_WINDOW (self), _("Key Schedule"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1024, 768);
  gtk_widget_add_css_class (GTK_WIDGET (self), "lab-window");
  gtk_widget_add_css_class (GTK_WIDGET (self), "key-schedule");

  /* Translators: show the key schedule as the client computed it */
  self->client_button = gtk_toggle_button_new_with_mnemonic (_("_Client"));
  /* Translators: show the key schedule as the server computed it */
  self->server_button = gtk_toggle_button_new_with_mnemonic (_("_Server"));
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (self->server_button),
                               GTK_TOGGLE_BUTTON (self->client_button));
  gtk_widget_add_css_class (sides, "linked");
  gtk_widget_add_css_class (self->client_button, "ks-side");
  gtk_widget_add_css_class (self->server_button, "ks-side");
  gtk_box_append (GTK_BOX (sides), self->client_button);
  gtk_box_append (GTK_BOX (sides), self->server_button);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), sides);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);
  g_signal_connect (self->client_button, "toggled", G_CALLBACK (actor_toggled_cb), self);
  g_signal_connect (self->server_button, "toggled", G_CALLBACK (actor_toggled_cb), self);

  self->intro = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->intro), 0);
  gtk_widget_add_css_class (self->intro, "ks-intro");
  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 0);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 4);
  gtk_widget_set_halign (self->grid, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->grid, "ks-diagram");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->grid);
  gtk_widget_set_vexpand (scroller, TRUE);
  self->detail = gtk_label_new (_("Activate or focus a box to read its value in full."));
  gtk_label_set_wrap (GTK_LABEL (self->detail), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->detail), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (self->detail), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->detail), 0);
  gtk_widget_add_css_class (self->detail, "ks-detail");

  gtk_box_append (GTK_BOX (vbox), self->intro);
  gtk_box_append (GTK_BOX (vbox), scroller);
  gtk_box_append (GTK_BOX (vbox), self->detail);
  gtk_widget_set_margin_start (vbox, 10);
  gtk_widget_set_margin_end (vbox, 10);
  gtk_widget_set_margin_top (vbox, 6);
  gtk_widget_set_margin_bottom (vbox, 6);
  gtk_window_set_child (GTK_WINDOW (self), vbox);
}

LabKeySchedule *
lab_key_schedule_new (GtkWindow *parent, LabSession *session, guint connection)
{
  LabKeySchedule *self = g_object_new (LAB_TYPE_KEY_SCHEDULE, NULL);

  g_return_val_if_fail (LAB_IS_SESSION (session), self);
  if (parent)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
      g_set_weak_pointer (&self->parent, parent);
    }
  self->session = g_object_ref (session);
  self->connection = connection;
  g_signal_connect (session, "items-changed", G_CALLBACK (items_changed_cb), self);
  g_signal_connect (session, "trace-replaced", G_CALLBACK (trace_replaced_cb), self);
  rebuild (self);
  return self;
}

const TlsSchedule *
lab_key_schedule_get_schedule (LabKeySchedule *self)
{
  g_return_val_if_fail (LAB_IS_KEY_SCHEDULE (self), NULL);
  return self->schedule;
}

void
lab_key_schedule_set_actor (LabKeySchedule *self, TlsActor actor)
{
  g_return_if_fail (LAB_IS_KEY_SCHEDULE (self));
  if (actor == self->actor && self->schedule != NULL)
    return;
  self->actor = actor;
  rebuild (self);
}

GtkWidget *
lab_key_schedule_get_box (LabKeySchedule *self, TlsScheduleBoxId id)
{
  g_return_val_if_fail (LAB_IS_KEY_SCHEDULE (self) && id < TLS_SCHEDULE_N_BOXES, NULL);
  return self->boxes[id];
}
