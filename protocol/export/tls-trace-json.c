/* tls-trace-json.c — the trace as JSON (docs/trace-format.md), with
 * json-glib.  Writing cannot fail; reading checks every member and stops
 * at the first problem with a GError that names it. */
#include "tls-trace-json.h"
#include "tls-trace-live.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (tls-trace-json-error-quark, tls_trace_json_error)

/* Limits of what the loader accepts, so a hostile file cannot exhaust the
 * stack or the memory: JSON nesting (checked before json-glib, whose parser
 * recurses), field tree depth, and the size of a file. */
#define MAX_JSON_DEPTH   256
#define MAX_FIELD_DEPTH  64
#define MAX_FILE_SIZE    ((gsize) 256 * 1024 * 1024)

/* ------------------------------------------------------------------ */
/* Which members a step of each kind always carries; others are written
 * only when they differ from their default (docs/trace-format.md). */

enum
{
  M_CONTENT_TYPE      = 1 << 0,
  M_HANDSHAKE_TYPE    = 1 << 1,
  M_BYTES             = 1 << 2,
  M_FIELDS            = 1 << 3,
  M_WIRE              = 1 << 4,
  M_WIRE_FIELDS       = 1 << 5,
  M_ENCRYPTED         = 1 << 6,
  M_FORMULA           = 1 << 7,
  M_INPUTS            = 1 << 8,
  M_OUTPUTS           = 1 << 9,
  M_SUBJECT           = 1 << 10,
  M_AGAINST           = 1 << 11,
  M_RESULT            = 1 << 12,
  M_OPTIONS           = 1 << 13,
  M_CHOICE            = 1 << 14,
  M_REASON            = 1 << 15,
  M_ALERT_LEVEL       = 1 << 16,
  M_ALERT_DESCRIPTION = 1 << 17,
};

#define M_RECORD (M_CONTENT_TYPE | M_BYTES | M_FIELDS | M_WIRE | M_WIRE_FIELDS | M_ENCRYPTED)

static guint
kind_members (TlsStepKind kind)
{
  switch (kind)
    {
    case TLS_STEP_MESSAGE:    return M_RECORD | M_HANDSHAKE_TYPE;
    case TLS_STEP_DERIVATION: return M_FORMULA | M_INPUTS | M_OUTPUTS;
    case TLS_STEP_CHECK:      return M_SUBJECT | M_AGAINST | M_RESULT | M_REASON | M_INPUTS;
    case TLS_STEP_DECISION:   return M_OPTIONS | M_CHOICE | M_REASON | M_INPUTS;
    case TLS_STEP_ALERT:      return M_RECORD | M_ALERT_LEVEL | M_ALERT_DESCRIPTION | M_REASON;
    case TLS_STEP_APPDATA:    return M_RECORD;
    default:                  return 0;
    }
}

static const char *const kind_names[] = {
  "message", "derivation", "check", "decision", "alert", "appdata",
};
static const char *const result_names[] = { "passed", "failed", "not checked" };
static const char *const actor_names[] = { "client", "server", "attacker" };

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static void
add_string (JsonBuilder *b, const char *name, const char *s)
{
  json_builder_set_member_name (b, name);
  if (s != NULL)
    json_builder_add_string_value (b, s);
  else
    json_builder_add_null_value (b);
}

static void
add_hex (JsonBuilder *b, const char *name, GBytes *bytes)
{
  json_builder_set_member_name (b, name);
  if (bytes != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      g_autofree char *hex = tls_hex (data, len);
      json_builder_add_string_value (b, hex);
    }
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
add_bool (JsonBuilder *b, const char *name, gboolean v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, v);
}

static void
build_field (JsonBuilder *b, const TlsField *f)
{
  json_builder_begin_object (b);
  add_string (b, "name", f->name);
  add_int (b, "offset", (gint64) f->offset);
  add_int (b, "length", (gint64) f->length);
  if (f->value != NULL)
    add_string (b, "value", f->value);
  if (f->desc != NULL)
    add_string (b, "desc", f->desc);
  if (tls_field_n_children (f) > 0)
    {
      json_builder_set_member_name (b, "children");
      json_builder_begin_array (b);
      for (guint i = 0; i < tls_field_n_children (f); i++)
        build_field (b, tls_field_child (f, i));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static void
add_field_tree (JsonBuilder *b, const char *name, const TlsField *root)
{
  json_builder_set_member_name (b, name);
  if (root != NULL)
    build_field (b, root);
  else
    json_builder_add_null_value (b);
}

static void
add_values (JsonBuilder *b, const char *name, GPtrArray *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      const TlsTraceValue *v = g_ptr_array_index (values, i);

      json_builder_begin_object (b);
      add_string (b, "name", v->name);
      if (v->bytes != NULL)
        add_hex (b, "hex", v->bytes);
      if (v->text != NULL)
        add_string (b, "text", v->text);
      json_builder_set_member_name (b, "from_step");
      if (v->from_step >= 0)
        json_builder_add_int_value (b, v->from_step);
      else
        json_builder_add_null_value (b);
      if (v->note != NULL)
        add_string (b, "note", v->note);
      if (v->compare_with != NULL)
        add_string (b, "compare_with", v->compare_with);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* TIME_US: when a live run recorded the step, or 0 (not written). */
static void
build_step (JsonBuilder *b, const TlsStep *s, gint64 time_us)
{
  guint want = kind_members (s->kind);

#define WANT(m, nondefault) ((want & (m)) || (nondefault))

  json_builder_begin_object (b);
  add_int (b, "index", s->index);
  add_int (b, "connection", s->connection);
  if (time_us > 0)
    add_int (b, "time", time_us);
  add_string (b, "actor", s->actor <= TLS_ACTOR_ATTACKER ? actor_names[s->actor] : NULL);
  add_string (b, "kind", s->kind <= TLS_STEP_APPDATA ? kind_names[s->kind] : NULL);
  add_bool (b, "observed", s->observed);
  add_string (b, "title", s->title);
  add_string (b, "explanation", s->explanation);
  add_string (b, "rfc", s->rfc);

  if (WANT (M_CONTENT_TYPE, s->content_type != 0))
    add_int (b, "content_type", s->content_type);
  if (WANT (M_HANDSHAKE_TYPE, s->handshake_type != 0))
    add_int (b, "handshake_type", s->handshake_type);
  if (WANT (M_BYTES, s->bytes != NULL))
    add_hex (b, "bytes", s->bytes);
  if (WANT (M_FIELDS, s->fields != NULL))
    add_field_tree (b, "fields", s->fields);
  if (WANT (M_WIRE, s->wire != NULL))
    add_hex (b, "wire", s->wire);
  if (WANT (M_WIRE_FIELDS, s->wire_fields != NULL))
    add_field_tree (b, "wire_fields", s->wire_fields);
  if (WANT (M_ENCRYPTED, s->encrypted))
    add_bool (b, "encrypted", s->encrypted);
  if (s->wire_offset >= 0)
    add_int (b, "wire_offset", s->wire_offset);

  if (WANT (M_FORMULA, s->formula != NULL))
    add_string (b, "formula", s->formula);
  if (WANT (M_INPUTS, s->inputs != NULL && s->inputs->len > 0))
    add_values (b, "inputs", s->inputs);
  if (WANT (M_OUTPUTS, s->outputs != NULL && s->outputs->len > 0))
    add_values (b, "outputs", s->outputs);

  if (WANT (M_SUBJECT, s->subject != NULL))
    add_string (b, "subject", s->subject);
  if (WANT (M_AGAINST, s->against != NULL))
    add_string (b, "against", s->against);
  if (WANT (M_RESULT, s->result != TLS_CHECK_NOT_CHECKED))
    add_string (b, "result", s->result <= TLS_CHECK_NOT_CHECKED ? result_names[s->result] : NULL);

  if (WANT (M_OPTIONS, s->options != NULL && s->options->len > 0))
    {
      json_builder_set_member_name (b, "options");
      json_builder_begin_array (b);
      for (guint i = 0; s->options != NULL && i < s->options->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (s->options, i));
      json_builder_end_array (b);
    }
  if (WANT (M_CHOICE, s->choice != NULL))
    add_string (b, "choice", s->choice);
  if (s->chosen_option >= 0)
    add_int (b, "chosen_option", s->chosen_option);
  if (s->parent >= 0)
    add_int (b, "parent", s->parent);

  if (WANT (M_REASON, s->reason != NULL))
    add_string (b, "reason", s->reason);
  if (WANT (M_ALERT_LEVEL, s->alert_level != 0))
    add_int (b, "alert_level", s->alert_level);
  if (WANT (M_ALERT_DESCRIPTION, s->alert_description != 0))
    add_int (b, "alert_description", s->alert_description);
  if (s->teacher_note != NULL)
    add_string (b, "note", s->teacher_note);

#undef WANT
  json_builder_end_object (b);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Seeds up to 2^53 - 1 are numbers; larger ones are decimal strings, so
 * that readers whose numbers are doubles (JavaScript) keep them exact. */
#define MAX_EXACT_DOUBLE ((G_GUINT64_CONSTANT (1) << 53) - 1)

char *
tls_trace_to_json (const TlsTrace *trace, gsize *len)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  g_autofree char *text = NULL;
  char *out;
  gsize n;

  json_builder_begin_object (b);
  add_string (b, "format", TLS_TRACE_JSON_FORMAT);
  add_int (b, "version", TLS_TRACE_JSON_VERSION);
  add_string (b, "scenario", trace->scenario);
  json_builder_set_member_name (b, "seed");
  if (!trace->seeded)
    json_builder_add_null_value (b);
  else if (trace->seed <= MAX_EXACT_DOUBLE)
    json_builder_add_int_value (b, (gint64) trace->seed);
  else
    {
      char buf[32];
      g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, trace->seed);
      json_builder_add_string_value (b, buf);
    }
  add_int (b, "clock", trace->clock);
  add_int (b, "connection", trace->connection);

  /* meta, sorted by key so that equal traces give equal files */
  json_builder_set_member_name (b, "meta");
  json_builder_begin_object (b);
  keys = g_ptr_array_new ();
  if (trace->meta != NULL)
    {
      GHashTableIter it;
      gpointer k;
      g_hash_table_iter_init (&it, trace->meta);
      while (g_hash_table_iter_next (&it, &k, NULL))
        g_ptr_array_add (keys, k);
    }
  g_ptr_array_sort (keys, compare_strings);
  for (guint i = 0; i < keys->len; i++)
    add_string (b, g_ptr_array_index (keys, i),
                g_hash_table_lookup (trace->meta, g_ptr_array_index (keys, i)));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  for (guint i = 0; trace->steps != NULL && i < trace->steps->len; i++)
    build_step (b, g_ptr_array_index (trace->steps, i), tls_trace_step_time (trace, i));
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  text = json_generator_to_data (gen, &n);

  out = g_malloc (n + 2);
  memcpy (out, text, n);
  out[n++] = '\n';
  out[n] = '\0';
  if (len != NULL)
    *len = n;
  return out;
}

gboolean
tls_trace_save_json (const TlsTrace *trace, const char *path, GError **error)
{
  gsize len;
  g_autofree char *json = NULL;

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  json = tls_trace_to_json (trace, &len);
  /* CONSISTENT: written to PATH.XXXXXX beside PATH, then renamed over it;
   * the temporary file is removed if writing or renaming fails.
   * DURABLE: synced before the rename, so a crash cannot leave an empty
   * file where the user's trace was. */
  return g_file_set_contents_full (path, json, (gssize) len,
                                   G_FILE_SET_CONTENTS_CONSISTENT |
                                   G_FILE_SET_CONTENTS_DURABLE,
                                   0666, error);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

typedef struct
{
  GError  **error;
  GString  *path;     /* where we are: "steps[3].inputs[0]" */
  guint     n_steps;
} Loader;

static gsize
path_push (Loader *ld, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gsize
path_push (Loader *ld, const char *format, ...)
{
  gsize old = ld->path->len;
  va_list ap;

  va_start (ap, format);
  g_string_append_vprintf (ld->path, format, ap);
  va_end (ap);
  return old;
}

static void
path_pop (Loader *ld, gsize old)
{
  g_string_truncate (ld->path, old);
}

static gsize
push_member (Loader *ld, const char *name)
{
  return ld->path->len ? path_push (ld, ".%s", name) : path_push (ld, "%s", name);
}

static gboolean fail (Loader *ld, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* Sets the error "PATH: MESSAGE" and returns FALSE. */
static gboolean
fail (Loader *ld, int code, const char *format, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (ld->path->len)
    g_set_error (ld->error, TLS_TRACE_JSON_ERROR, code, "%s: %s", ld->path->str, msg);
  else
    g_set_error_literal (ld->error, TLS_TRACE_JSON_ERROR, code, msg);
  return FALSE;
}

static const char *
node_type_name (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:  return "a string";
    case G_TYPE_INT64:   return "an integer";
    case G_TYPE_DOUBLE:  return "a fractional number";
    case G_TYPE_BOOLEAN: return "a boolean";
    default:             return "a value";
    }
}

static gboolean
is_int (JsonNode *n)
{
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64;
}

static gboolean
is_string (JsonNode *n)
{
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING;
}

static gboolean
is_bool (JsonNode *n)
{
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN;
}

static gboolean
is_null (JsonNode *n)
{
  return n == NULL || JSON_NODE_HOLDS_NULL (n);
}

/* A string member: REQUIRED ones must be a string; others may be missing
 * or null (then *OUT is NULL). */
static gboolean
get_string (Loader *ld, JsonObject *o, const char *name, gboolean required, char **out)
{
  JsonNode *n = json_object_get_member (o, name);
  gsize old;
  gboolean ok = TRUE;

  *out = NULL;
  if (is_string (n))
    *out = g_strdup (json_node_get_string (n));
  else if (!is_null (n) || required)
    {
      old = push_member (ld, name);
      ok = n == NULL ? fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("missing (a string is required)"))
                     : fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("expected a string, found %s"),
                             node_type_name (n));
      path_pop (ld, old);
    }
  return ok;
}

/* An integer member within [MIN, MAX]; DEF when missing and not REQUIRED.
 * NULL_OK: null also means DEF. */
static gboolean
get_int (Loader *ld, JsonObject *o, const char *name, gboolean required,
         gint64 min, gint64 max, gint64 def, gint64 *out)
{
  JsonNode *n = json_object_get_member (o, name);
  gsize old;
  gboolean ok = TRUE;

  *out = def;
  if (n == NULL && !required)
    return TRUE;
  old = push_member (ld, name);
  if (n == NULL)
    ok = fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("missing (an integer is required)"));
  else if (!is_int (n))
    ok = fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("expected an integer, found %s"),
               node_type_name (n));
  else if (json_node_get_int (n) < min || json_node_get_int (n) > max)
    ok = fail (ld, TLS_TRACE_JSON_ERROR_INVALID,
               _("%lld is out of range (%lld to %lld)"),
               (long long) json_node_get_int (n), (long long) min, (long long) max);
  else
    *out = json_node_get_int (n);
  path_pop (ld, old);
  return ok;
}

static gboolean
get_bool (Loader *ld, JsonObject *o, const char *name, gboolean *out)
{
  JsonNode *n = json_object_get_member (o, name);
  gsize old;
  gboolean ok = TRUE;

  *out = FALSE;
  if (n == NULL)
    return TRUE;
  if (is_bool (n))
    {
      *out = json_node_get_boolean (n);
      return TRUE;
    }
  old = push_member (ld, name);
  ok = fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("expected true or false, found %s"),
             node_type_name (n));
  path_pop (ld, old);
  return ok;
}

/* One of NAMES[0..N_NAMES-1]; *OUT is its index. */
static gboolean
get_enum (Loader *ld, JsonObject *o, const char *name, gboolean required, int def,
          const char *const *names, guint n_names, int *out)
{
  g_autofree char *s = NULL;
  gsize old;
  gboolean ok;

  *out = def;
  if (!get_string (ld, o, name, required, &s))
    return FALSE;
  if (s == NULL)
    return TRUE;
  for (guint i = 0; i < n_names; i++)
    if (strcmp (s, names[i]) == 0)
      {
        *out = (int) i;
        return TRUE;
      }
  {
    g_autoptr (GString) list = g_string_new (NULL);
    for (guint i = 0; i < n_names; i++)
      g_string_append_printf (list, "%s“%s”", i ? ", " : "", names[i]);
    old = push_member (ld, name);
    ok = fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("unknown value “%s” (expected one of %s)"),
               s, list->str);
    path_pop (ld, old);
  }
  return ok;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Bytes as hex ("" is zero bytes); missing or null gives NULL. */
static gboolean
get_hex (Loader *ld, JsonObject *o, const char *name, GBytes **out)
{
  g_autofree char *s = NULL;
  gsize len, old;
  guint8 *buf;

  *out = NULL;
  if (!get_string (ld, o, name, FALSE, &s))
    return FALSE;
  if (s == NULL)
    return TRUE;
  len = strlen (s);
  old = push_member (ld, name);
  for (gsize i = 0; i < len; i++)
    if (hex_value (s[i]) < 0)
      {
        if (g_ascii_isprint (s[i]))
          fail (ld, TLS_TRACE_JSON_ERROR_INVALID,
                _("not hex: “%c” at character %lu"), s[i], (unsigned long) i);
        else
          fail (ld, TLS_TRACE_JSON_ERROR_INVALID,
                _("not hex: byte 0x%02x at character %lu"), (guint8) s[i], (unsigned long) i);
        path_pop (ld, old);
        return FALSE;
      }
  if (len % 2 != 0)
    {
      fail (ld, TLS_TRACE_JSON_ERROR_INVALID,
            _("not hex: an odd number of digits (%lu)"), (unsigned long) len);
      path_pop (ld, old);
      return FALSE;
    }
  buf = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len; i += 2)
    buf[i / 2] = (guint8) (hex_value (s[i]) << 4 | hex_value (s[i + 1]));
  path_pop (ld, old);
  *out = g_bytes_new_take (buf, len / 2);
  return TRUE;
}

/* An array or object member; missing or null gives NULL. */
static gboolean
get_array (Loader *ld, JsonObject *o, const char *name, gboolean required, JsonArray **out)
{
  JsonNode *n = json_object_get_member (o, name);
  gsize old;
  gboolean ok;

  *out = NULL;
  if (n != NULL && JSON_NODE_HOLDS_ARRAY (n))
    {
      *out = json_node_get_array (n);
      return TRUE;
    }
  if (is_null (n) && !required)
    return TRUE;
  old = push_member (ld, name);
  ok = fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("expected an array, found %s"),
             node_type_name (n));
  path_pop (ld, old);
  return ok;
}

static gboolean
get_object (Loader *ld, JsonObject *o, const char *name, JsonObject **out)
{
  JsonNode *n = json_object_get_member (o, name);
  gsize old;
  gboolean ok;

  *out = NULL;
  if (n != NULL && JSON_NODE_HOLDS_OBJECT (n))
    {
      *out = json_node_get_object (n);
      return TRUE;
    }
  if (is_null (n))
    return TRUE;
  old = push_member (ld, name);
  ok = fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("expected an object, found %s"),
             node_type_name (n));
  path_pop (ld, old);
  return ok;
}

/* A field and its children.  Its span must lie within the LEN bytes it
 * annotates.  PARENT NULL: makes the root. */
static TlsField *
load_field (Loader *ld, JsonNode *node, TlsField *parent, gsize len, guint depth)
{
  g_autoptr (TlsField) root = NULL;
  TlsField *f;
  JsonObject *o;
  JsonArray *children;
  g_autofree char *name = NULL;
  gint64 offset, length;

  if (depth > MAX_FIELD_DEPTH)
    {
      fail (ld, TLS_TRACE_JSON_ERROR_INVALID,
            _("fields nested deeper than %d levels"), MAX_FIELD_DEPTH);
      return NULL;
    }
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("expected a field object, found %s"),
            node_type_name (node));
      return NULL;
    }
  o = json_node_get_object (node);
  if (!get_string (ld, o, "name", FALSE, &name)
      || !get_int (ld, o, "offset", TRUE, 0, G_MAXINT64, 0, &offset)
      || !get_int (ld, o, "length", TRUE, 0, G_MAXINT64, 0, &length))
    return NULL;
  if ((guint64) offset > len || (guint64) length > len - (guint64) offset)
    {
      fail (ld, TLS_TRACE_JSON_ERROR_INVALID,
            _("span %lld+%lld ends past the %lu bytes it annotates"),
            (long long) offset, (long long) length, (unsigned long) len);
      return NULL;
    }

  if (parent == NULL)
    f = root = tls_field_new (name, (gsize) offset, (gsize) length);
  else
    f = tls_field_add (parent, name, (gsize) offset, (gsize) length);

  if (!get_string (ld, o, "value", FALSE, &f->value)
      || !get_string (ld, o, "desc", FALSE, &f->desc)
      || !get_array (ld, o, "children", FALSE, &children))
    return NULL;

  for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
    {
      gsize old = path_push (ld, ".children[%u]", i);
      TlsField *child = load_field (ld, json_array_get_element (children, i), f, len, depth + 1);
      path_pop (ld, old);
      if (child == NULL)
        return NULL;
    }
  return parent == NULL ? g_steal_pointer (&root) : f;
}

/* "fields" / "wire_fields": a field tree over BYTES (NULL: no bytes). */
static gboolean
get_fields (Loader *ld, JsonObject *o, const char *name, GBytes *bytes, TlsField **out)
{
  JsonNode *n = json_object_get_member (o, name);
  gsize old;

  *out = NULL;
  if (is_null (n))
    return TRUE;
  old = push_member (ld, name);
  *out = load_field (ld, n, NULL, bytes ? g_bytes_get_size (bytes) : 0, 0);
  path_pop (ld, old);
  return *out != NULL;
}

static gboolean
get_values (Loader *ld, JsonObject *o, const char *name, GPtrArray *into)
{
  JsonArray *a;

  if (!get_array (ld, o, name, FALSE, &a))
    return FALSE;
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      gsize old = push_member (ld, name);
      TlsTraceValue *v;
      JsonObject *vo;
      JsonNode *from;
      gint64 step;
      gboolean ok = TRUE;

      path_push (ld, "[%u]", i);
      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("expected a value object, found %s"),
                node_type_name (n));
          path_pop (ld, old);
          return FALSE;
        }
      vo = json_node_get_object (n);
      v = g_new0 (TlsTraceValue, 1);
      v->from_step = -1;
      g_ptr_array_add (into, v);
      from = json_object_get_member (vo, "from_step");
      if (!get_string (ld, vo, "name", FALSE, &v->name)
          || !get_hex (ld, vo, "hex", &v->bytes)
          || !get_string (ld, vo, "text", FALSE, &v->text)
          || !get_string (ld, vo, "note", FALSE, &v->note)
          || !get_string (ld, vo, "compare_with", FALSE, &v->compare_with))
        ok = FALSE;
      else if (!is_null (from))
        {
          /* It names a step of this trace. */
          if (!get_int (ld, vo, "from_step", FALSE, -1, G_MAXINT, -1, &step))
            ok = FALSE;
          else if (step >= (gint64) ld->n_steps)
            {
              gsize o2 = push_member (ld, "from_step");
              ok = fail (ld, TLS_TRACE_JSON_ERROR_INVALID,
                         ngettext ("step %lld does not exist (the trace has %u step)",
                                   "step %lld does not exist (the trace has %u steps)",
                                   ld->n_steps),
                         (long long) step, ld->n_steps);
              path_pop (ld, o2);
            }
          else
            v->from_step = (int) step;
        }
      path_pop (ld, old);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_step (Loader *ld, TlsTrace *trace, JsonNode *node, guint position)
{
  JsonObject *o;
  TlsStep *s;
  JsonArray *options;
  gint64 index, v;
  int actor, kind, result;
  g_autofree char *title = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("expected a step object, found %s"),
                 node_type_name (node));
  o = json_node_get_object (node);

  if (!get_int (ld, o, "index", TRUE, 0, G_MAXUINT, 0, &index)
      || !get_enum (ld, o, "actor", TRUE, 0, actor_names, G_N_ELEMENTS (actor_names), &actor)
      || !get_enum (ld, o, "kind", TRUE, 0, kind_names, G_N_ELEMENTS (kind_names), &kind)
      || !get_string (ld, o, "title", FALSE, &title))
    return FALSE;
  if (index != position)
    {
      gsize old = push_member (ld, "index");
      fail (ld, TLS_TRACE_JSON_ERROR_INVALID,
            _("is %lld, but the step is number %u in the list"), (long long) index, position);
      path_pop (ld, old);
      return FALSE;
    }

  s = tls_trace_add (trace, (TlsStepKind) kind, (TlsActor) actor, title);

  if (!get_int (ld, o, "connection", FALSE, 0, G_MAXUINT, 0, &v))
    return FALSE;
  s->connection = (guint) v;
  /* microseconds since 1970: at most 2^53 - 1, which a double holds exactly */
  if (!get_int (ld, o, "time", FALSE, 1, (G_GINT64_CONSTANT (1) << 53) - 1, 0, &v))
    return FALSE;
  if (v > 0)
    tls_trace_set_step_time (trace, s->index, v);
  if (!get_bool (ld, o, "observed", &s->observed)
      || !get_string (ld, o, "explanation", FALSE, &s->explanation)
      || !get_string (ld, o, "rfc", FALSE, &s->rfc))
    return FALSE;

  if (!get_int (ld, o, "content_type", FALSE, 0, 255, 0, &v))
    return FALSE;
  s->content_type = (guint8) v;
  if (!get_int (ld, o, "handshake_type", FALSE, 0, 255, 0, &v))
    return FALSE;
  s->handshake_type = (guint8) v;
  if (!get_hex (ld, o, "bytes", &s->bytes)
      || !get_fields (ld, o, "fields", s->bytes, &s->fields)
      || !get_hex (ld, o, "wire", &s->wire)
      || !get_fields (ld, o, "wire_fields", s->wire, &s->wire_fields)
      || !get_bool (ld, o, "encrypted", &s->encrypted)
      || !get_int (ld, o, "wire_offset", FALSE, -1, G_MAXINT64, -1, &s->wire_offset))
    return FALSE;

  if (!get_string (ld, o, "formula", FALSE, &s->formula)
      || !get_values (ld, o, "inputs", s->inputs)
      || !get_values (ld, o, "outputs", s->outputs))
    return FALSE;

  if (!get_string (ld, o, "subject", FALSE, &s->subject)
      || !get_string (ld, o, "against", FALSE, &s->against)
      || !get_enum (ld, o, "result", FALSE, TLS_CHECK_NOT_CHECKED,
                    result_names, G_N_ELEMENTS (result_names), &result))
    return FALSE;
  s->result = (TlsCheckResult) result;

  if (!get_array (ld, o, "options", FALSE, &options))
    return FALSE;
  for (guint i = 0; options != NULL && i < json_array_get_length (options); i++)
    {
      JsonNode *n = json_array_get_element (options, i);
      if (!is_string (n))
        {
          gsize old = path_push (ld, ".options[%u]", i);
          fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("expected a string, found %s"),
                node_type_name (n));
          path_pop (ld, old);
          return FALSE;
        }
      g_ptr_array_add (s->options, g_strdup (json_node_get_string (n)));
    }
  if (!get_string (ld, o, "choice", FALSE, &s->choice)
      || !get_string (ld, o, "reason", FALSE, &s->reason))
    return FALSE;
  if (!get_int (ld, o, "chosen_option", FALSE, -1, (gint64) s->options->len - 1, -1, &v))
    return FALSE;
  s->chosen_option = (int) v;
  if (!get_int (ld, o, "parent", FALSE, -1, (gint64) ld->n_steps - 1, -1, &v))
    return FALSE;
  if (v == position)
    {
      gsize old = push_member (ld, "parent");
      fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("a step cannot be its own parent"));
      path_pop (ld, old);
      return FALSE;
    }
  s->parent = (int) v;
  s->grouped = TRUE;

  if (!get_int (ld, o, "alert_level", FALSE, 0, 255, 0, &v))
    return FALSE;
  s->alert_level = (guint8) v;
  if (!get_int (ld, o, "alert_description", FALSE, 0, 255, 0, &v))
    return FALSE;
  s->alert_description = (guint8) v;
  if (!get_string (ld, o, "note", FALSE, &s->teacher_note))
    return FALSE;
  return TRUE;
}

/* json-glib's parser recurses once per nesting level: refuse deep nesting
 * before it sees the text.  Brackets inside strings do not count. */
static gboolean
nesting_ok (const char *data, gsize len)
{
  guint depth = 0;
  gboolean in_string = FALSE, escaped = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];
      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

static gboolean
load_seed (Loader *ld, JsonObject *o, TlsTrace *trace)
{
  JsonNode *n = json_object_get_member (o, "seed");
  gsize old;
  guint64 seed;

  if (is_null (n))
    return TRUE;
  old = push_member (ld, "seed");
  if (is_int (n) && json_node_get_int (n) >= 0)
    seed = (guint64) json_node_get_int (n);
  else if (is_string (n)
           && g_ascii_isdigit (json_node_get_string (n)[0])
           && g_ascii_string_to_unsigned (json_node_get_string (n), 10, 0, G_MAXUINT64,
                                          &seed, NULL))
    ;
  else
    {
      fail (ld, TLS_TRACE_JSON_ERROR_INVALID,
            _("expected a non-negative integer or a string of decimal digits"));
      path_pop (ld, old);
      return FALSE;
    }
  path_pop (ld, old);
  trace->seed = seed;
  trace->seeded = TRUE;
  return TRUE;
}

static TlsTrace *
load_trace (Loader *ld, JsonNode *root)
{
  g_autoptr (TlsTrace) trace = NULL;
  JsonObject *o, *meta;
  JsonArray *steps;
  JsonNode *format;
  gint64 version, v;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (ld, TLS_TRACE_JSON_ERROR_FORMAT,
            _("Not a Handshake Lab trace: the top level is %s, not an object"),
            node_type_name (root));
      return NULL;
    }
  o = json_node_get_object (root);

  format = json_object_get_member (o, "format");
  if (!is_string (format) || strcmp (json_node_get_string (format), TLS_TRACE_JSON_FORMAT) != 0)
    {
      if (is_string (format))
        fail (ld, TLS_TRACE_JSON_ERROR_FORMAT,
              _("Not a Handshake Lab trace: “format” is “%s”, not “%s”"),
              json_node_get_string (format), TLS_TRACE_JSON_FORMAT);
      else
        fail (ld, TLS_TRACE_JSON_ERROR_FORMAT,
              _("Not a Handshake Lab trace: no “format”: “%s” member"), TLS_TRACE_JSON_FORMAT);
      return NULL;
    }
  if (!get_int (ld, o, "version", TRUE, G_MININT64, G_MAXINT64, 0, &version))
    return NULL;
  if (version != TLS_TRACE_JSON_VERSION)
    {
      fail (ld, TLS_TRACE_JSON_ERROR_VERSION,
            _("Trace format version %lld cannot be read: this program reads version %d"),
            (long long) version, TLS_TRACE_JSON_VERSION);
      return NULL;
    }

  trace = tls_trace_new ();
  if (!get_string (ld, o, "scenario", FALSE, &trace->scenario)
      || !load_seed (ld, o, trace)
      || !get_int (ld, o, "clock", FALSE, G_MININT64, G_MAXINT64, 0, &trace->clock)
      || !get_int (ld, o, "connection", FALSE, 0, G_MAXUINT, 0, &v))
    return NULL;
  trace->connection = (guint) v;

  if (!get_object (ld, o, "meta", &meta))
    return NULL;
  if (meta != NULL)
    {
      JsonObjectIter it;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&it, meta);
      while (json_object_iter_next (&it, &key, &value))
        {
          if (!is_string (value))
            {
              gsize old = path_push (ld, "meta.%s", key);
              fail (ld, TLS_TRACE_JSON_ERROR_INVALID, _("expected a string, found %s"),
                    node_type_name (value));
              path_pop (ld, old);
              return NULL;
            }
          tls_trace_set_meta (trace, key, json_node_get_string (value));
        }
    }

  if (!get_array (ld, o, "steps", TRUE, &steps))
    return NULL;
  ld->n_steps = json_array_get_length (steps);
  for (guint i = 0; i < ld->n_steps; i++)
    {
      gsize old = path_push (ld, "steps[%u]", i);
      gboolean ok = load_step (ld, trace, json_array_get_element (steps, i), i);
      path_pop (ld, old);
      if (!ok)
        return NULL;
    }
  /* groups are one level deep: a parent is a top-level step */
  for (guint i = 0; i < ld->n_steps; i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);

      if (s->parent >= 0 && tls_trace_get (trace, s->parent)->parent >= 0)
        {
          gsize old = path_push (ld, "steps[%u]", i);
          gsize old2 = push_member (ld, "parent");
          fail (ld, TLS_TRACE_JSON_ERROR_INVALID,
                _("is %d, a step that is itself under another one"), s->parent);
          path_pop (ld, old2);
          path_pop (ld, old);
          return NULL;
        }
    }
  return g_steal_pointer (&trace);
}

TlsTrace *
tls_trace_from_json (const char *data, gsize len, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GString) path = g_string_new (NULL);
  g_autoptr (GError) local = NULL;
  Loader ld = { error, path, 0 };

  if (data == NULL)
    len = 0;
  else if (len == (gsize) -1)
    len = strlen (data);
  if (len > G_MAXSSIZE)
    len = G_MAXSSIZE;
  if (len == 0)
    {
      g_set_error_literal (error, TLS_TRACE_JSON_ERROR, TLS_TRACE_JSON_ERROR_PARSE,
                           _("Not JSON: the text is empty"));
      return NULL;
    }
  if (!nesting_ok (data, len))
    {
      g_set_error (error, TLS_TRACE_JSON_ERROR, TLS_TRACE_JSON_ERROR_PARSE,
                   _("Not a trace: JSON nested deeper than %d levels"), MAX_JSON_DEPTH);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      g_set_error (error, TLS_TRACE_JSON_ERROR, TLS_TRACE_JSON_ERROR_PARSE,
                   _("Not JSON: %s"), local->message);
      return NULL;
    }
  return load_trace (&ld, json_parser_get_root (parser));
}

TlsTrace *
tls_trace_load_json (const char *path, GError **error)
{
  g_autoptr (GMappedFile) file = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *display = NULL;
  TlsTrace *trace;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  len = g_mapped_file_get_length (file);
  if (len > MAX_FILE_SIZE)
    {
      g_set_error (error, TLS_TRACE_JSON_ERROR, TLS_TRACE_JSON_ERROR_INVALID,
                   _("%s: too large for a trace (%lu bytes; at most %lu)"), display,
                   (unsigned long) len, (unsigned long) MAX_FILE_SIZE);
      return NULL;
    }
  trace = tls_trace_from_json (len ? g_mapped_file_get_contents (file) : "", len, &local);
  if (trace == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", display);
      return NULL;
    }
  return trace;
}
