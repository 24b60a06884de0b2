/* lab-preferences.c — the preferences window. */
#include "config.h"

#include "lab-preferences.h"

struct _LabPreferences
{
  AdwPreferencesWindow parent_instance;

  GtkAdjustment       *zoom_adjustment;
  LabApplication      *app;   /* weak */
};

G_DEFINE_FINAL_TYPE (LabPreferences, lab_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static void
zoom_changed_cb (GtkAdjustment *adj, LabPreferences *self)
{
  if (self->app)
    lab_application_set_zoom (self->app, gtk_adjustment_get_value (adj) / 100.0);
}

static void
lab_preferences_dispose (GObject *object)
{
  LabPreferences *self = LAB_PREFERENCES (object);

  g_clear_weak_pointer (&self->app);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_PREFERENCES);
  G_OBJECT_CLASS (lab_preferences_parent_class)->dispose (object);
}

static void
lab_preferences_class_init (LabPreferencesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = lab_preferences_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/handshakelab/HandshakeLab/ui/lab-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, LabPreferences, zoom_adjustment);
}

static void
lab_preferences_init (LabPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWindow *
lab_preferences_new (LabApplication *app, GtkWindow *parent)
{
  LabPreferences *self = g_object_new (LAB_TYPE_PREFERENCES, "transient-for", parent, NULL);

  g_set_weak_pointer (&self->app, app);
  gtk_adjustment_set_value (self->zoom_adjustment, lab_application_get_zoom (app) * 100.0);
  g_signal_connect (self->zoom_adjustment, "value-changed", G_CALLBACK (zoom_changed_cb), self);
  return GTK_WINDOW (self);
}
