/* lab-hex-view.h — a small hex view over a GBytes (after GHex's HexWidget,
 * written anew): offsets, hex and ASCII columns, coloured spans (record
 * header, encrypted bytes, MAC, plaintext) and one selected range.
 * A click on a byte emits ::byte-activated with its offset. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LAB_TYPE_HEX_VIEW (lab_hex_view_get_type ())
G_DECLARE_FINAL_TYPE (LabHexView, lab_hex_view, LAB, HEX_VIEW, GtkWidget)

typedef enum
{
  LAB_HEX_SPAN_HEADER,      /* a record header: type, version, length */
  LAB_HEX_SPAN_PLAINTEXT,   /* bytes in the clear */
  LAB_HEX_SPAN_ENCRYPTED,   /* ciphertext */
  LAB_HEX_SPAN_IV,          /* explicit IV or nonce */
  LAB_HEX_SPAN_MAC,         /* MAC or AEAD tag */
  LAB_HEX_SPAN_DIFF,        /* differs from the step it is compared with (another run) */
  LAB_HEX_N_SPANS
} LabHexSpanKind;

GtkWidget *lab_hex_view_new            (void);
void       lab_hex_view_set_bytes      (LabHexView *self, GBytes *bytes);
GBytes    *lab_hex_view_get_bytes      (LabHexView *self);
void       lab_hex_view_clear_spans    (LabHexView *self);
void       lab_hex_view_add_span       (LabHexView *self, gsize offset, gsize length,
                                        LabHexSpanKind kind);
/* The kind of span covering OFFSET, or -1. */
int        lab_hex_view_get_span_at    (LabHexView *self, gsize offset);
/* LENGTH 0 clears the selection.  The view scrolls to show it. */
void       lab_hex_view_set_selection  (LabHexView *self, gsize offset, gsize length);
gboolean   lab_hex_view_get_selection  (LabHexView *self, gsize *offset, gsize *length);
guint      lab_hex_view_get_bytes_per_line (LabHexView *self);
/* The byte under widget coordinates (X, Y); FALSE when none. */
gboolean   lab_hex_view_byte_at        (LabHexView *self, double x, double y, gsize *offset);
/* The middle of byte OFFSET's hex cell, in widget coordinates. */
gboolean   lab_hex_view_byte_point     (LabHexView *self, gsize offset, double *x, double *y);
/* Colour of a span kind (for legends). */
void       lab_hex_view_span_color     (LabHexSpanKind kind, GdkRGBA *color);
const char *lab_hex_view_span_name     (LabHexSpanKind kind);

G_END_DECLS
