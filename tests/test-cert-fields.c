/* test-cert-fields.c — a Certificate message's certificates dissected by
 * the engine (issue 10): each certificate's X.509 fields under its "data",
 * each naming its own bytes of the message, in the trace and so in every
 * export. */
#include <string.h>

#include "test-util.h"
#include "tls-cert-fields.h"
#include "tls-handshake.h"
#include "tls-msg-certificate.h"
#include "tls-trace-json.h"
#include "tls-trace-text.h"
#include "tls-types.h"

static const TlsStep *
first_certificate_step (TlsTrace *t)
{
  for (guint i = 0; i < tls_trace_len (t); i++)
    {
      const TlsStep *s = tls_trace_get (t, i);
      if (s->kind == TLS_STEP_MESSAGE && s->handshake_type == TLS_HS_CERTIFICATE)
        return s;
    }
  return NULL;
}

/* The field at PATH under F ("tbsCertificate/validity"), which must exist
 * and lie inside F. */
static TlsField *
child_path (TlsField *f, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  TlsField *at = f;

  for (guint i = 0; parts[i]; i++)
    {
      TlsField *next = NULL;
      for (guint k = 0; k < tls_field_n_children (at) && next == NULL; k++)
        if (g_strcmp0 (tls_field_child (at, k)->name, parts[i]) == 0)
          next = tls_field_child (at, k);
      if (next == NULL)
        g_error ("no field %s under %s (at %s)", path, f->name, parts[i]);
      g_assert_cmpuint (next->offset, >=, at->offset);
      g_assert_cmpuint (next->offset + next->length, <=, at->offset + at->length);
      at = next;
    }
  return at;
}

static void
test_certificate_step (void)
{
  TlsConductor *c = tu_run_scenario ("full");
  TlsTrace *t = tls_conductor_get_trace (c);
  const TlsStep *s = first_certificate_step (t);
  const guint8 *msg;
  gsize n;
  TlsField *list, *data, *cert, *tbs, *exts;
  guint certs = 0;
  static const char *const tbs_fields[] = {
    "version", "serialNumber", "signature", "issuer", "validity", "subject",
    "subjectPublicKeyInfo", "extensions",
  };

  g_test_summary ("The Certificate step of a run carries each certificate's X.509 fields, "
                  "each over its own bytes of the message");
  g_assert_nonnull (s);
  msg = g_bytes_get_data (s->bytes, &n);
  list = tls_field_find (s->fields, "certificate_list");
  g_assert_nonnull (list);
  for (guint i = 0; i < tls_field_n_children (list); i++)
    {
      TlsField *item = tls_field_child (list, i);

      data = tls_field_find (item, "data");
      if (data == NULL)
        continue;
      certs++;
      g_assert_cmpuint (tls_field_n_children (data), ==, 1);
      cert = tls_field_child (data, 0);
      g_assert_cmpstr (cert->name, ==, "Certificate");
      /* the certificate is the whole of "data": a SEQUENCE (0x30) */
      g_assert_cmpuint (cert->offset, ==, data->offset);
      g_assert_cmpuint (cert->length, ==, data->length);
      g_assert_cmpuint (msg[cert->offset], ==, 0x30);
      tbs = child_path (cert, "tbsCertificate");
      for (gsize k = 0; k < G_N_ELEMENTS (tbs_fields); k++)
        {
          TlsField *f = child_path (tbs, tbs_fields[k]);
          g_assert_cmpuint (f->length, >, 0);
          g_assert_cmpuint (f->offset + f->length, <=, n);
        }
      /* serialNumber: an INTEGER; its value is what the bytes say */
      {
        TlsField *f = child_path (tbs, "serialNumber");
        g_assert_cmpuint (msg[f->offset], ==, 0x02);
        g_assert_nonnull (f->value);
      }
      child_path (tbs, "validity/notBefore");
      child_path (tbs, "validity/notAfter");
      child_path (cert, "signatureAlgorithm");
      child_path (cert, "signatureValue");
      /* each extension says whether it is critical */
      exts = child_path (tbs, "extensions");
      g_assert_cmpuint (tls_field_n_children (exts), >, 0);
      for (guint k = 0; k < tls_field_n_children (exts); k++)
        {
          TlsField *e = tls_field_child (exts, k);
          if (g_strcmp0 (e->name, "length") == 0)
            continue;
          g_assert_nonnull (e->value);
          g_assert_true (g_str_has_prefix (e->value, "critical, ")
                         || g_str_has_prefix (e->value, "not critical, "));
          child_path (e, "extnID");
          child_path (e, "extnValue");
        }
    }
  g_assert_cmpuint (certs, >=, 2);   /* the demo chain: server and intermediate */
  tls_conductor_free (c);
}

static void
test_exports (void)
{
  TlsConductor *c = tu_run_scenario ("full");
  TlsTrace *t = tls_conductor_get_trace (c);
  g_autofree char *json = tls_trace_to_json (t, NULL);
  g_autofree char *text = tls_trace_to_text (t, TLS_TEXT_NONE);

  g_test_summary ("The JSON and text exports show the certificates' fields");
  g_assert_nonnull (json);
  g_assert_nonnull (strstr (json, "\"serialNumber\""));
  g_assert_nonnull (strstr (json, "\"subjectPublicKeyInfo\""));
  g_assert_nonnull (strstr (text, "serialNumber"));
  g_assert_nonnull (strstr (text, "subjectPublicKeyInfo"));
  tls_conductor_free (c);
}

static void
test_undecodable (void)
{
  static const guint8 junk[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
  g_autoptr (GBytes) der = g_bytes_new_static (junk, sizeof junk);
  g_autoptr (TlsField) root = tls_field_new ("Certificate", 0, 0);
  g_autoptr (GBytes) msg = NULL;
  TlsCertificateMsg cm;
  TlsWriter w;
  TlsWriterMark m;
  TlsField *data;

  g_test_summary ("A certificate that does not decode stays one field, saying why");
  tls_certificate_msg_init (&cm);
  tls_certificate_msg_add (&cm, der);
  tls_writer_init (&w, root);
  tls_handshake_begin (&w, TLS_HS_CERTIFICATE, &m);
  tls_certificate_msg_write (&w, &cm);
  tls_handshake_end (&w, &m);
  msg = tls_writer_steal (&w);
  tls_certificate_msg_clear (&cm);
  root->length = g_bytes_get_size (msg);

  g_assert_cmpuint (tls_certificate_msg_dissect (root, msg), ==, 0);
  data = tls_field_find (tls_field_find (root, "certificate_list"), "data");
  g_assert_nonnull (data);
  g_assert_cmpuint (tls_field_n_children (data), ==, 0);
  g_assert_nonnull (data->desc);
  g_assert_nonnull (strstr (data->desc, "decode"));
}

int
main (int argc, char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cert-fields/certificate-step", test_certificate_step);
  g_test_add_func ("/cert-fields/exports", test_exports);
  g_test_add_func ("/cert-fields/undecodable", test_undecodable);
  return g_test_run ();
}
