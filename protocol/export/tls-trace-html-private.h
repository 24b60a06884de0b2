/* tls-trace-html-private.h — what the handout writer (tls-trace-html.c)
 * lends the class page (tls-trace-page.c): one writer of escaped text and
 * of a message's field table and hex dump. */
#pragma once

#include <glib.h>
#include "tls-bytes.h"

G_BEGIN_DECLS

/* Appends TEXT (NULL: nothing) escaped for HTML. */
void tls_html_esc            (GString *out, const char *text);
void tls_html_escf           (GString *out, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* A message's field tree as a table (offset, length, field, value,
 * description), then its hex dump with each top-level field's colour. */
void tls_html_message_fields (GString *out, GBytes *bytes, const TlsField *fields);

/* The handout's style sheet (field tables, hex dumps, badges). */
const char *tls_html_css     (void);

G_END_DECLS
