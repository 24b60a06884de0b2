/* tls-trace-json.h — the trace as JSON, for other tools and for reloading.
 *
 * The shape is documented in docs/trace-format.md: a top-level object
 *   {"format": "handshake-lab-trace", "version": 1, "scenario": ...,
 *    "seed": ..., "clock": ..., "connection": ..., "meta": {...},
 *    "steps": [...]}
 * with bytes as lowercase hex strings.  Every member of TlsTrace (except
 * the on_step callback), TlsStep, TlsTraceValue and TlsField round-trips.
 *
 * Written and read with json-glib.  The loader checks everything it reads
 * (types, ranges, hex, field spans within their bytes, step indices) and
 * reports the first problem as a GError that names the member, e.g.
 * "steps[4].fields.children[1]: span 40+8 ends past the 44 bytes". */
#pragma once

#include <glib.h>
#include "tls-trace.h"

G_BEGIN_DECLS

#define TLS_TRACE_JSON_FORMAT  "handshake-lab-trace"
#define TLS_TRACE_JSON_VERSION 1

#define TLS_TRACE_JSON_ERROR (tls_trace_json_error_quark ())

typedef enum
{
  TLS_TRACE_JSON_ERROR_PARSE,    /* not JSON (or nested too deeply)            */
  TLS_TRACE_JSON_ERROR_FORMAT,   /* JSON, but not a Handshake Lab trace        */
  TLS_TRACE_JSON_ERROR_VERSION,  /* a trace version this program cannot read   */
  TLS_TRACE_JSON_ERROR_INVALID,  /* a member missing, mistyped or out of range */
} TlsTraceJsonError;

GQuark    tls_trace_json_error_quark (void);

/* The trace as JSON text (UTF-8, NUL-terminated, ends with a newline).
 * LEN, if not NULL, gets its length without the NUL. */
char     *tls_trace_to_json   (const TlsTrace *trace, gsize *len);

/* Writes the JSON to a temporary file in PATH's directory and renames it
 * over PATH, so an existing file is either replaced whole or left as it
 * was; no temporary file is left behind on failure. */
gboolean  tls_trace_save_json (const TlsTrace *trace, const char *path,
                               GError **error);

/* Reads a trace from LEN bytes of DATA (LEN may be (gsize) -1 for a
 * NUL-terminated string).  NULL and ERROR set if it is not a valid trace. */
TlsTrace *tls_trace_from_json (const char *data, gsize len, GError **error);
TlsTrace *tls_trace_load_json (const char *path, GError **error);

G_END_DECLS
