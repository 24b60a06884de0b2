/* tls-cert-fields.c — the certificates of a Certificate message dissected
 * (see the header). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tls-cert-fields.h"
#include "tls-x509.h"

static void
graft (TlsField *data, TlsField *tree)
{
  tls_field_shift (tree, (gssize) data->offset);
  tree->parent = data;
  if (data->children == NULL)
    data->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_field_free);
  g_ptr_array_add (data->children, tree);
}

/* The certificate of KNOWN whose DER is DER, or NULL. */
static const TlsCertificate *
known_certificate (GPtrArray *known, GBytes *der)
{
  for (guint i = 0; known && i < known->len; i++)
    {
      const TlsCertificate *c = g_ptr_array_index (known, i);
      if (g_bytes_equal (tls_certificate_get_der (c), der))
        return c;
    }
  return NULL;
}

guint
tls_certificate_msg_dissect (TlsField *root, GBytes *msg)
{
  return tls_certificate_msg_dissect_known (root, msg, NULL);
}

guint
tls_certificate_msg_dissect_known (TlsField *root, GBytes *msg, GPtrArray *known)
{
  TlsField *list = root ? tls_field_find (root, "certificate_list") : NULL;
  gsize n = msg ? g_bytes_get_size (msg) : 0;
  guint done = 0;

  for (guint i = 0; list && i < tls_field_n_children (list); i++)
    {
      TlsField *data = tls_field_find (tls_field_child (list, i), "data");
      g_autoptr (GBytes) der = NULL;
      g_autoptr (TlsCertificate) cert = NULL;
      g_autoptr (GError) error = NULL;

      /* the "length" child of the list has no "data" */
      if (data == NULL || tls_field_n_children (data) > 0 || data->length == 0
          || data->offset > n || data->length > n - data->offset)
        continue;
      der = g_bytes_new_from_bytes (msg, data->offset, data->length);
      if (known_certificate (known, der) != NULL)
        {
          /* decoded already, when it was loaded: the same tree */
          graft (data, tls_field_copy (tls_certificate_get_fields (known_certificate (known, der))));
          done++;
          continue;
        }
      cert = tls_certificate_new_from_der (der, &error);
      if (cert == NULL)
        {
          g_autofree char *desc = g_strdup_printf (_("not a certificate this program can decode: %s"),
                                                   error->message);
          tls_field_set_desc (data, desc);
          continue;
        }
      graft (data, tls_field_copy (tls_certificate_get_fields (cert)));
      done++;
    }
  return done;
}
