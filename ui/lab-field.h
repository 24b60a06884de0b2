/* lab-field.h — a TlsField as a list item, for the inspector's field tree.
 *
 * The fields belong to a copy of a step's field tree that every LabField of
 * it shares (reference counted), so a view keeps nothing of the trace's own
 * memory: the trace can be rewound under it. */
#pragma once

#include <gio/gio.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

#define LAB_TYPE_FIELD (lab_field_get_type ())
G_DECLARE_FINAL_TYPE (LabField, lab_field, LAB, FIELD, GObject)

/* A list of the top-level fields of a copy of ROOT (ROOT itself not
 * included): what the tree shows. */
GListModel  *lab_field_list_new_for_root (const TlsField *root);
/* The children of SELF as a list, or NULL for a leaf (GtkTreeListModel's
 * create function). */
GListModel  *lab_field_get_children      (LabField *self);
TlsField    *lab_field_get_field         (LabField *self);
const char  *lab_field_get_name          (LabField *self);
const char  *lab_field_get_value         (LabField *self);
const char  *lab_field_get_description   (LabField *self);
gsize        lab_field_get_offset        (LabField *self);
gsize        lab_field_get_length        (LabField *self);
/* The copy's field at OFFSET (deepest), as in tls_field_find_at. */
TlsField    *lab_field_find_at           (LabField *self, gsize offset);
/* SELF's field and the copy it lives in share a root. */
TlsField    *lab_field_get_root          (LabField *self);

G_END_DECLS
