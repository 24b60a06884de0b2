/* tls-bytes.h — the one byte reader/writer of the engine.
 *
 * Every field read or written is recorded as a TlsField (offset, length,
 * name, value as text, description) in a tree, so the annotation a student
 * sees comes from the very code that parses and serializes the wire.
 *
 * Errors are sticky: the first failure puts the reader in a failed state and
 * records the TLS alert that it calls for (RFC 5246, 7.2.2: decode_error
 * for a message that cannot be parsed).  Later reads do nothing and fail.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TlsField TlsField;

struct _TlsField
{
  char      *name;      /* e.g. "client_version"                          */
  char      *value;     /* value as text, e.g. "TLS 1.2 (0x0303)"; may be NULL */
  char      *desc;      /* one-line description; may be NULL              */
  gsize      offset;    /* from the start of the annotated buffer         */
  gsize      length;
  TlsField  *parent;
  GPtrArray *children;  /* of TlsField*, NULL for a leaf                  */
};

TlsField   *tls_field_new        (const char *name, gsize offset, gsize length);
void        tls_field_free       (TlsField *field);
TlsField   *tls_field_copy       (const TlsField *field);
TlsField   *tls_field_add        (TlsField *parent, const char *name,
                                  gsize offset, gsize length);
void        tls_field_set_value  (TlsField *field, const char *format, ...) G_GNUC_PRINTF (2, 3);
void        tls_field_set_desc   (TlsField *field, const char *desc);
void        tls_field_shift      (TlsField *field, gssize delta);
TlsField   *tls_field_find_at    (TlsField *root, gsize offset);
TlsField   *tls_field_find       (TlsField *root, const char *name);
guint       tls_field_n_children (const TlsField *field);
TlsField   *tls_field_child      (const TlsField *field, guint i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsField, tls_field_free)

/* Hex helpers used everywhere text shows bytes. */
char       *tls_hex              (const guint8 *data, gsize len);
char       *tls_hex_preview      (const guint8 *data, gsize len, gsize max_bytes);
GBytes     *tls_bytes_from_hex   (const char *hex);

/* ------------------------------------------------------------------ */
/* Reader                                                              */

typedef struct _TlsReader TlsReader;

struct _TlsReader
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  gsize         base;    /* offset of data[0] in the annotated buffer */
  TlsField     *node;    /* parent of new fields; NULL: no annotation */
  TlsField     *last;    /* the field made by the last read           */
  int           error;   /* 0, or the TLS alert description to send   */
};

void      tls_reader_init     (TlsReader *r, const guint8 *data, gsize len,
                               TlsField *root);
gboolean  tls_reader_ok       (const TlsReader *r);
gsize     tls_reader_remaining(const TlsReader *r);
gboolean  tls_reader_done     (const TlsReader *r); /* ok and nothing left */
void      tls_reader_fail     (TlsReader *r, int alert);

gboolean  tls_read_u8         (TlsReader *r, const char *name, guint8 *out);
gboolean  tls_read_u16        (TlsReader *r, const char *name, guint16 *out);
gboolean  tls_read_u24        (TlsReader *r, const char *name, guint32 *out);
gboolean  tls_read_u32        (TlsReader *r, const char *name, guint32 *out);
gboolean  tls_read_bytes      (TlsReader *r, gsize n, const char *name,
                               const guint8 **out);

/* opaque name<min..max>: reads the length prefix (len_bytes = 1, 2 or 3),
 * checks min <= length <= max and that it fits, and opens SUB over the
 * body.  The field NAME spans prefix and body and holds a child "length".
 * With name == NULL no container is made: the prefix goes in the current
 * node as "<...> length" and the body's fields too. */
gboolean  tls_read_vector     (TlsReader *r, guint len_bytes, gsize min,
                               gsize max, const char *name, TlsReader *sub);
/* Closes SUB: it must be fully consumed and without error, else R fails
 * with decode_error (a vector whose contents do not fill it exactly). */
gboolean  tls_read_vector_end (TlsReader *r, TlsReader *sub);

/* Fields that group other fields without a length prefix of their own. */
TlsField *tls_read_group_begin(TlsReader *r, const char *name);
void      tls_read_group_end  (TlsReader *r, TlsField *group);

/* Sets the value / description of the field the last read made. */
void      tls_reader_note     (TlsReader *r, const char *format, ...) G_GNUC_PRINTF (2, 3);
void      tls_reader_describe (TlsReader *r, const char *desc);

/* ------------------------------------------------------------------ */
/* Writer                                                              */

typedef struct _TlsWriter TlsWriter;

struct _TlsWriter
{
  GByteArray *buf;
  TlsField   *node;   /* parent of new fields; NULL: no annotation */
  TlsField   *last;
};

typedef struct
{
  gsize     start;       /* where the length prefix starts */
  guint     len_bytes;
  TlsField *field;       /* the container, or NULL */
  TlsField *length_field;
  TlsField *saved_node;
} TlsWriterMark;

void      tls_writer_init     (TlsWriter *w, TlsField *root);
void      tls_writer_clear    (TlsWriter *w);
GBytes   *tls_writer_steal    (TlsWriter *w);   /* the bytes; w is cleared */
gsize     tls_writer_len      (const TlsWriter *w);

void      tls_write_u8        (TlsWriter *w, const char *name, guint8 v);
void      tls_write_u16       (TlsWriter *w, const char *name, guint16 v);
void      tls_write_u24       (TlsWriter *w, const char *name, guint32 v);
void      tls_write_u32       (TlsWriter *w, const char *name, guint32 v);
void      tls_write_bytes     (TlsWriter *w, const char *name,
                               const guint8 *data, gsize len);
/* Opens a vector whose length prefix is filled in by _end. */
void      tls_write_vector_begin (TlsWriter *w, guint len_bytes, const char *name,
                                  TlsWriterMark *m);
void      tls_write_vector_end   (TlsWriter *w, TlsWriterMark *m);
void      tls_write_group_begin  (TlsWriter *w, const char *name, TlsWriterMark *m);
void      tls_write_group_end    (TlsWriter *w, TlsWriterMark *m);
/* opaque name<...> in one call */
void      tls_write_vector       (TlsWriter *w, guint len_bytes, const char *name,
                                  const guint8 *data, gsize len);

void      tls_writer_note     (TlsWriter *w, const char *format, ...) G_GNUC_PRINTF (2, 3);
void      tls_writer_describe (TlsWriter *w, const char *desc);

G_END_DECLS
