/* lab-field.c — TlsField list items over a shared copy of a field tree. */
#include "config.h"

#include "lab-field.h"

typedef struct
{
  TlsField *root;
} Tree;

struct _LabField
{
  GObject   parent_instance;
  Tree     *tree;     /* GRcBox */
  TlsField *field;
};

G_DEFINE_FINAL_TYPE (LabField, lab_field, G_TYPE_OBJECT)

static void
tree_clear (Tree *tree)
{
  tls_field_free (tree->root);
}

static LabField *
lab_field_new (Tree *tree, TlsField *field)
{
  LabField *self = g_object_new (LAB_TYPE_FIELD, NULL);

  self->tree = g_rc_box_acquire (tree);
  self->field = field;
  return self;
}

static void
lab_field_finalize (GObject *object)
{
  LabField *self = LAB_FIELD (object);

  g_rc_box_release_full (self->tree, (GDestroyNotify) tree_clear);
  G_OBJECT_CLASS (lab_field_parent_class)->finalize (object);
}

static void
lab_field_class_init (LabFieldClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_field_finalize;
}

static void
lab_field_init (LabField *self)
{
}

static GListModel *
children_of (Tree *tree, TlsField *field)
{
  GListStore *store = g_list_store_new (LAB_TYPE_FIELD);

  for (guint i = 0; i < tls_field_n_children (field); i++)
    {
      g_autoptr (LabField) child = lab_field_new (tree, tls_field_child (field, i));
      g_list_store_append (store, child);
    }
  return G_LIST_MODEL (store);
}

GListModel *
lab_field_list_new_for_root (const TlsField *root)
{
  Tree *tree = g_rc_box_new0 (Tree);
  GListModel *list;

  tree->root = tls_field_copy (root);
  list = children_of (tree, tree->root);
  if (tree->root != NULL && g_list_model_get_n_items (list) == 0)
    {
      /* a root without children: show the root itself */
      g_autoptr (LabField) only = lab_field_new (tree, tree->root);
      g_list_store_append (G_LIST_STORE (list), only);
    }
  g_rc_box_release_full (tree, (GDestroyNotify) tree_clear);
  return list;
}

GListModel *
lab_field_get_children (LabField *self)
{
  g_return_val_if_fail (LAB_IS_FIELD (self), NULL);
  if (tls_field_n_children (self->field) == 0)
    return NULL;
  return children_of (self->tree, self->field);
}

TlsField *
lab_field_get_field (LabField *self)
{
  g_return_val_if_fail (LAB_IS_FIELD (self), NULL);
  return self->field;
}

const char *
lab_field_get_name (LabField *self)
{
  return self->field->name;
}

const char *
lab_field_get_value (LabField *self)
{
  return self->field->value;
}

const char *
lab_field_get_description (LabField *self)
{
  return self->field->desc;
}

gsize
lab_field_get_offset (LabField *self)
{
  return self->field->offset;
}

gsize
lab_field_get_length (LabField *self)
{
  return self->field->length;
}

TlsField *
lab_field_find_at (LabField *self, gsize offset)
{
  g_return_val_if_fail (LAB_IS_FIELD (self), NULL);
  return tls_field_find_at (self->tree->root, offset);
}

TlsField *
lab_field_get_root (LabField *self)
{
  g_return_val_if_fail (LAB_IS_FIELD (self), NULL);
  return self->tree->root;
}
