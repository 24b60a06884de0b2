/* fuzz-trace-json.c — libFuzzer target for the JSON trace import
 * (tls_trace_from_json: what `open FILE.json` and the window's "Open trace"
 * read).  A trace it accepts is printed as text, exported again, and that
 * export must import and export to the same bytes (the round trip the
 * window's Export after Open makes).  The seeds (fuzz/corpus/trace-json)
 * are exports of real runs. */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls-trace-json.h"
#include "tls-trace-text.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  TlsTrace *t = tls_trace_from_json ((const char *) data, size, NULL);
  TlsTrace *again;
  g_autofree char *text = NULL, *json = NULL, *json2 = NULL;
  gsize len, len2;

  if (t == NULL)
    return 0;
  text = tls_trace_to_text (t, 0);
  json = tls_trace_to_json (t, &len);
  tls_trace_free (t);
  again = tls_trace_from_json (json, len, NULL);
  if (again == NULL)
    abort ();
  json2 = tls_trace_to_json (again, &len2);
  tls_trace_free (again);
  if (len != len2 || memcmp (json, json2, len) != 0)
    abort ();
  return 0;
}
