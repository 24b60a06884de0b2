/* test-bytes.c — the byte reader/writer and its field spans. */
#include "tls-bytes.h"
#include "tls-alert.h"

static void
test_roundtrip (void)
{
  g_autoptr (TlsField) wroot = tls_field_new ("msg", 0, 0);
  g_autoptr (TlsField) rroot = NULL;
  TlsWriter w;
  TlsWriterMark m;
  TlsReader r, sub;
  g_autoptr (GBytes) bytes = NULL;
  const guint8 payload[] = { 0xde, 0xad, 0xbe, 0xef };
  const guint8 *p;
  gsize len;
  guint8 a;
  guint16 b;
  guint32 c;
  const guint8 *data;

  g_test_summary ("Written fields read back with the same values and spans");
  tls_writer_init (&w, wroot);
  tls_write_u8 (&w, "a", 7);
  tls_write_vector_begin (&w, 2, "vec", &m);
  tls_write_u16 (&w, "b", 0x0303);
  tls_write_bytes (&w, "payload", payload, sizeof payload);
  tls_write_vector_end (&w, &m);
  tls_write_u24 (&w, "c", 0x010203);
  bytes = tls_writer_steal (&w);
  data = g_bytes_get_data (bytes, &len);
  wroot->length = len;

  const guint8 expect[] = { 7, 0, 6, 3, 3, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3 };
  g_assert_cmpmem (data, len, expect, sizeof expect);

  TlsField *vec = tls_field_find (wroot, "vec");
  g_assert_nonnull (vec);
  g_assert_cmpuint (vec->offset, ==, 1);
  g_assert_cmpuint (vec->length, ==, 8);
  g_assert_cmpstr (tls_field_find (wroot, "vec/payload")->value, ==, "deadbeef");

  rroot = tls_field_new ("msg", 0, len);
  tls_reader_init (&r, data, len, rroot);
  g_assert_true (tls_read_u8 (&r, "a", &a));
  g_assert_true (tls_read_vector (&r, 2, 0, 100, "vec", &sub));
  g_assert_true (tls_read_u16 (&sub, "b", &b));
  g_assert_true (tls_read_bytes (&sub, 4, "payload", &p));
  g_assert_true (tls_read_vector_end (&r, &sub));
  g_assert_true (tls_read_u24 (&r, "c", &c));
  g_assert_true (tls_reader_done (&r));
  g_assert_cmpuint (a, ==, 7);
  g_assert_cmpuint (b, ==, 0x0303);
  g_assert_cmpuint (c, ==, 0x010203);

  TlsField *payload_f = tls_field_find (rroot, "vec/payload");
  g_assert_cmpuint (payload_f->offset, ==, 5);
  g_assert_cmpuint (payload_f->length, ==, 4);
  g_assert_true (tls_field_find_at (rroot, 6) == payload_f);
  g_assert_cmpstr (tls_field_find_at (rroot, 10)->name, ==, "c");
}

static void
test_truncated (void)
{
  const guint8 data[] = { 0, 5, 1, 2 };   /* claims 5 bytes, has 2 */
  TlsReader r, sub;
  guint8 x;

  g_test_summary ("A vector longer than its buffer fails with decode_error, and stays failed");
  tls_reader_init (&r, data, sizeof data, NULL);
  g_assert_false (tls_read_vector (&r, 2, 0, 100, "v", &sub));
  g_assert_cmpint (r.error, ==, TLS_ALERT_DECODE_ERROR);
  g_assert_false (tls_read_u8 (&r, "x", &x));
  g_assert_cmpint (r.error, ==, TLS_ALERT_DECODE_ERROR);
}

static void
test_underfilled (void)
{
  const guint8 data[] = { 0, 3, 1, 2, 3 };
  TlsReader r, sub;
  guint16 v;

  g_test_summary ("A vector whose contents do not fill it exactly is a decode_error");
  tls_reader_init (&r, data, sizeof data, NULL);
  g_assert_true (tls_read_vector (&r, 2, 0, 100, "v", &sub));
  g_assert_true (tls_read_u16 (&sub, "x", &v));
  g_assert_false (tls_read_vector_end (&r, &sub));
  g_assert_cmpint (r.error, ==, TLS_ALERT_DECODE_ERROR);
}

static void
test_bounds (void)
{
  const guint8 data[] = { 1, 9 };
  TlsReader r, sub;

  g_test_summary ("A vector length below its minimum is a decode_error");
  tls_reader_init (&r, data, sizeof data, NULL);
  g_assert_false (tls_read_vector (&r, 1, 2, 100, "v", &sub));
  g_assert_cmpint (r.error, ==, TLS_ALERT_DECODE_ERROR);
}

static void
test_hex (void)
{
  g_autoptr (GBytes) b = tls_bytes_from_hex ("00 ff:10");
  g_autofree char *h = tls_hex (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  g_assert_cmpstr (h, ==, "00ff10");
  g_assert_null (tls_bytes_from_hex ("abc"));
  g_assert_null (tls_bytes_from_hex ("zz"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bytes/roundtrip", test_roundtrip);
  g_test_add_func ("/bytes/truncated", test_truncated);
  g_test_add_func ("/bytes/underfilled", test_underfilled);
  g_test_add_func ("/bytes/bounds", test_bounds);
  g_test_add_func ("/bytes/hex", test_hex);
  return g_test_run ();
}
