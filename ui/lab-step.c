/* lab-step.c — a handle on one step of a session's trace. */
#include "config.h"

#include "lab-step.h"

struct _LabStep
{
  GObject        parent_instance;
  GObject       *owner;   /* weak */
  LabStepLookup  lookup;
  guint          index;
};

G_DEFINE_FINAL_TYPE (LabStep, lab_step, G_TYPE_OBJECT)

enum { PROP_0, PROP_INDEX, PROP_TITLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
lab_step_dispose (GObject *object)
{
  LabStep *self = LAB_STEP (object);

  g_clear_weak_pointer (&self->owner);
  G_OBJECT_CLASS (lab_step_parent_class)->dispose (object);
}

static void
lab_step_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LabStep *self = LAB_STEP (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_TITLE:
      g_value_set_string (value, lab_step_get_title (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_step_class_init (LabStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lab_step_dispose;
  object_class->get_property = lab_step_get_property;

  properties[PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_step_init (LabStep *self)
{
}

LabStep *
lab_step_new (GObject *owner, LabStepLookup lookup, guint index)
{
  LabStep *self = g_object_new (LAB_TYPE_STEP, NULL);

  g_set_weak_pointer (&self->owner, owner);
  self->lookup = lookup;
  self->index = index;
  return self;
}

guint
lab_step_get_index (LabStep *self)
{
  g_return_val_if_fail (LAB_IS_STEP (self), 0);
  return self->index;
}

const TlsStep *
lab_step_get_data (LabStep *self)
{
  g_return_val_if_fail (LAB_IS_STEP (self), NULL);
  if (self->owner == NULL)
    return NULL;
  return self->lookup (self->owner, self->index);
}

const char *
lab_step_get_title (LabStep *self)
{
  const TlsStep *s = lab_step_get_data (self);
  return s ? s->title : NULL;
}
