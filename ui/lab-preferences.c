/* lab-preferences.c — the preferences window. */
#include "config.h"

#include "lab-preferences.h"

struct _LabPreferences
{
  AdwPreferencesWindow parent_instance;

  GtkAdjustment       *zoom_adjustment;   /* percent */
};

G_DEFINE_FINAL_TYPE (LabPreferences, lab_preferences, ADW_TYPE_PREFERENCES_WINDOW)

enum { PROP_0, PROP_ZOOM, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
zoom_changed_cb (GtkAdjustment *adj, LabPreferences *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static void
lab_preferences_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, lab_preferences_get_zoom (LAB_PREFERENCES (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_preferences_dispose (GObject *object)
{
  LabPreferences *self = LAB_PREFERENCES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_PREFERENCES);
  G_OBJECT_CLASS (lab_preferences_parent_class)->dispose (object);
}

static void
lab_preferences_class_init (LabPreferencesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = lab_preferences_dispose;
  G_OBJECT_CLASS (klass)->get_property = lab_preferences_get_property;
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0.1, 10.0, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
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
lab_preferences_new (GtkWindow *parent, double zoom)
{
  LabPreferences *self = g_object_new (LAB_TYPE_PREFERENCES, "transient-for", parent, NULL);

  gtk_adjustment_set_value (self->zoom_adjustment, zoom * 100.0);
  g_signal_connect (self->zoom_adjustment, "value-changed", G_CALLBACK (zoom_changed_cb), self);
  return GTK_WINDOW (self);
}

double
lab_preferences_get_zoom (LabPreferences *self)
{
  g_return_val_if_fail (LAB_IS_PREFERENCES (self), 1.0);
  return gtk_adjustment_get_value (self->zoom_adjustment) / 100.0;
}
