/* tls-attacker.c — the man-in-the-middle the conductor places between our
 * endpoints (tls-attacker.h, docs/attacker.md). */
#include "tls-attacker.h"
#include "tls-types.h"
#include "tls-suites.h"
#include "tls-alert.h"
#include "tls-bytes.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define RECORD_HEADER 5

static GQuark
attack_error_quark (void)
{
  return g_quark_from_static_string ("tls-attack-error");
}
#define ATTACK_ERROR attack_error_quark ()

/* ------------------------------------------------------------------ */
/* Syntax                                                              */

static const char *const kind_names[] = { "tamper", "flip", "drop", "replay", "reorder", "inject" };

/* The names a TARGET may use: handshake messages as the trace titles
 * them, and the other record types. */
static const char *const target_names[] = {
  "HelloRequest", "ClientHello", "ServerHello", "NewSessionTicket", "Certificate",
  "ServerKeyExchange", "CertificateRequest", "ServerHelloDone", "CertificateVerify",
  "ClientKeyExchange", "Finished", "ChangeCipherSpec", "ApplicationData", "Alert", NULL
};

static const struct { const char *name; guint8 type; } content_names[] = {
  { "change_cipher_spec", TLS_CONTENT_CHANGE_CIPHER_SPEC },
  { "alert", TLS_CONTENT_ALERT },
  { "handshake", TLS_CONTENT_HANDSHAKE },
  { "application_data", TLS_CONTENT_APPLICATION_DATA },
};

static const struct { const char *name; guint16 v; } version_names[] = {
  { "SSL3.0", 0x0300 }, { "TLS1.0", TLS_VERSION_1_0 }, { "TLS1.1", TLS_VERSION_1_1 },
  { "TLS1.2", TLS_VERSION_1_2 }, { "1.0", TLS_VERSION_1_0 }, { "1.1", TLS_VERSION_1_1 },
  { "1.2", TLS_VERSION_1_2 },
};

const char *
tls_attack_kind_name (TlsAttackKind kind)
{
  return kind <= TLS_ATTACK_INJECT ? kind_names[kind] : "unknown";
}

void
tls_attack_free (TlsAttack *a)
{
  if (a == NULL)
    return;
  g_free (a->name);
  g_free (a->field);
  g_clear_pointer (&a->value, g_bytes_unref);
  g_free (a);
}

static gboolean
fail (GError **error, const char *text, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const char *text, const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, ATTACK_ERROR, 0, _("attack “%s”: %s"), text, msg);
  return FALSE;
}

/* [client:|server:]NAME[#N] */
static gboolean
parse_target (const char *full, const char *t, TlsAttack *a, GError **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (t));
  char *name = copy, *hash;

  a->sender = -1;
  if (g_str_has_prefix (name, "client:"))
    {
      a->sender = TLS_ACTOR_CLIENT;
      name += 7;
    }
  else if (g_str_has_prefix (name, "server:"))
    {
      a->sender = TLS_ACTOR_SERVER;
      name += 7;
    }
  hash = strchr (name, '#');
  if (hash != NULL)
    {
      guint64 n;
      *hash = '\0';
      if (!g_ascii_string_to_unsigned (hash + 1, 10, 1, 64, &n, NULL))
        return fail (error, full, _("“#%s” is not a connection number (1 for the first)"), hash + 1);
      a->connection = (guint) n - 1;
    }
  if (*name == '\0')
    return fail (error, full, _("no message named (expected e.g. ServerHello or client:Finished)"));
  for (guint i = 0; target_names[i]; i++)
    if (g_ascii_strcasecmp (target_names[i], name) == 0)
      {
        a->name = g_strdup (target_names[i]);
        return TRUE;
      }
  {
    g_autofree char *all = g_strjoinv (", ", (char **) target_names);
    return fail (error, full, _("unknown message “%s” (expected one of %s, "
                                "optionally client: or server: before it and #N after it)"),
                 name, all);
  }
}

/* VALUE of tamper: hex ("0x002f", "00 2f"), or names: cipher suites or a
 * version, ','-separated (their code points concatenated). */
static GBytes *
parse_value (const char *full, const char *text, GError **error)
{
  g_autofree char *v = g_strstrip (g_strdup (text));
  GByteArray *out;
  g_auto (GStrv) items = NULL;

  if (g_str_has_prefix (v, "0x") || g_str_has_prefix (v, "0X"))
    {
      GBytes *b = tls_bytes_from_hex (v + 2);
      if (b == NULL)
        fail (error, full, _("“%s” is not hex"), v);
      return b;
    }
  if (*v == '\0')
    return g_bytes_new (NULL, 0);
  {
    GBytes *b = tls_bytes_from_hex (v);
    if (b != NULL)
      return b;
  }
  out = g_byte_array_new ();
  items = g_strsplit (v, ",", -1);
  for (guint i = 0; items[i]; i++)
    {
      const char *item = g_strstrip (items[i]);
      g_autofree char *squeezed = NULL;
      const TlsSuite *s = tls_suite_by_name (item);
      gboolean found = FALSE;
      guint8 two[2];

      if (s != NULL)
        {
          two[0] = s->id >> 8;
          two[1] = s->id & 0xff;
          g_byte_array_append (out, two, 2);
          continue;
        }
      squeezed = g_strdup (item);
      g_strdelimit (squeezed, " ", '\0');
      {
        /* "TLS 1.2" and "TLS1.2" alike */
        GString *s2 = g_string_new (NULL);
        for (const char *p = item; *p; p++)
          if (*p != ' ')
            g_string_append_c (s2, *p);
        g_free (squeezed);
        squeezed = g_string_free (s2, FALSE);
      }
      for (guint k = 0; k < G_N_ELEMENTS (version_names); k++)
        if (g_ascii_strcasecmp (version_names[k].name, squeezed) == 0)
          {
            two[0] = version_names[k].v >> 8;
            two[1] = version_names[k].v & 0xff;
            g_byte_array_append (out, two, 2);
            found = TRUE;
            break;
          }
      if (!found)
        {
          g_byte_array_unref (out);
          fail (error, full, _("“%s” is neither hex bytes (0x002f or 00 2f), nor a cipher suite "
                               "name, nor a version (TLS1.0, TLS1.1, TLS1.2)"), item);
          return NULL;
        }
    }
  return g_byte_array_free_to_bytes (out);
}

static gboolean
parse_content_type (const char *full, const char *text, guint8 *out, GError **error)
{
  guint64 n;

  for (guint i = 0; i < G_N_ELEMENTS (content_names); i++)
    if (g_ascii_strcasecmp (content_names[i].name, text) == 0)
      {
        *out = content_names[i].type;
        return TRUE;
      }
  if (g_ascii_string_to_unsigned (text, 10, 0, 255, &n, NULL))
    {
      *out = (guint8) n;
      return TRUE;
    }
  return fail (error, full, _("“%s” is not a record type (change_cipher_spec, alert, handshake, "
                              "application_data, or a number 0 to 255)"), text);
}

TlsAttack *
tls_attack_parse (const char *text, GError **error)
{
  g_autoptr (TlsAttack) a = g_new0 (TlsAttack, 1);
  g_autofree char *t = g_strstrip (g_strdup (text));
  const char *colon = strchr (t, ':');
  g_autofree char *verb = NULL;
  const char *rest;
  int kind = -1;

  if (colon == NULL)
    {
      fail (error, t, _("expected ACTION:TARGET (tamper, flip, drop, replay, reorder or inject)"));
      return NULL;
    }
  verb = g_strndup (t, colon - t);
  rest = colon + 1;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_ascii_strcasecmp (kind_names[i], verb) == 0)
      kind = (int) i;
  if (kind < 0)
    {
      fail (error, t, _("unknown action “%s” (expected tamper, flip, drop, replay, reorder or inject)"),
            verb);
      return NULL;
    }
  a->kind = (TlsAttackKind) kind;
  switch (a->kind)
    {
    case TLS_ATTACK_TAMPER:
      {
        const char *eq = strchr (rest, '=');
        g_autofree char *left = NULL;
        char *dot;

        if (eq == NULL)
          {
            fail (error, t, _("expected tamper:TARGET.FIELD=VALUE"));
            return NULL;
          }
        left = g_strndup (rest, eq - rest);
        dot = strchr (left, '.');
        if (dot == NULL || dot[1] == '\0')
          {
            fail (error, t, _("no field named (expected tamper:TARGET.FIELD=VALUE, e.g. "
                              "tamper:ServerHello.cipher_suite=0x002f)"));
            return NULL;
          }
        *dot = '\0';
        if (!parse_target (t, left, a, error))
          return NULL;
        a->field = g_strstrip (g_strdup (dot + 1));
        a->value = parse_value (t, eq + 1, error);
        if (a->value == NULL)
          return NULL;
      }
      break;
    case TLS_ATTACK_FLIP:
      {
        const char *at = strrchr (rest, '@');
        g_autofree char *target = NULL;
        g_auto (GStrv) parts = NULL;
        guint64 n;

        if (at == NULL)
          {
            fail (error, t, _("expected flip:TARGET@BYTE or flip:TARGET@BYTE.BIT"));
            return NULL;
          }
        target = g_strndup (rest, at - rest);
        if (!parse_target (t, target, a, error))
          return NULL;
        parts = g_strsplit (at + 1, ".", 3);
        if (!g_ascii_string_to_unsigned (parts[0], 10, 0, 65535, &n, NULL))
          {
            fail (error, t, _("“%s” is not a byte offset (0 to 65535)"), parts[0]);
            return NULL;
          }
        a->byte = (gsize) n;
        if (parts[1] != NULL)
          {
            if (parts[2] != NULL || !g_ascii_string_to_unsigned (parts[1], 10, 0, 7, &n, NULL))
              {
                fail (error, t, _("“%s” is not a bit number (0 to 7)"), at + 1);
                return NULL;
              }
            a->bit = (guint) n;
          }
      }
      break;
    case TLS_ATTACK_INJECT:
      {
        /* inject:TARGET:TYPE:HEX — TARGET may hold a ':' itself */
        const char *last = strrchr (rest, ':');
        const char *type_start;
        g_autofree char *type = NULL, *target = NULL;

        if (last == NULL || last == rest)
          {
            fail (error, t, _("expected inject:TARGET:TYPE:HEX"));
            return NULL;
          }
        type_start = last;
        while (type_start > rest && type_start[-1] != ':')
          type_start--;
        if (type_start == rest)
          {
            fail (error, t, _("expected inject:TARGET:TYPE:HEX"));
            return NULL;
          }
        type = g_strstrip (g_strndup (type_start, last - type_start));
        target = g_strndup (rest, type_start - 1 - rest);
        if (!parse_target (t, target, a, error)
            || !parse_content_type (t, type, &a->content_type, error))
          return NULL;
        a->value = tls_bytes_from_hex (g_str_has_prefix (last + 1, "0x") ? last + 3 : last + 1);
        if (a->value == NULL)
          {
            fail (error, t, _("“%s” is not hex"), last + 1);
            return NULL;
          }
        if (g_bytes_get_size (a->value) > 16384 + 2048)
          {
            fail (error, t, _("the fragment is longer than a record may be (2^14 + 2048 bytes)"));
            return NULL;
          }
      }
      break;
    case TLS_ATTACK_DROP:
    case TLS_ATTACK_REPLAY:
    case TLS_ATTACK_REORDER:
    default:
      if (!parse_target (t, rest, a, error))
        return NULL;
      break;
    }
  return g_steal_pointer (&a);
}

GPtrArray *
tls_attack_parse_list (const char *text, GError **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_attack_free);
  g_auto (GStrv) items = g_strsplit (text ? text : "", ";", -1);

  for (guint i = 0; items[i]; i++)
    {
      TlsAttack *a;

      if (*g_strstrip (items[i]) == '\0')
        continue;
      a = tls_attack_parse (items[i], error);
      if (a == NULL)
        return NULL;
      g_ptr_array_add (list, a);
    }
  return g_steal_pointer (&list);
}

static char *
target_text (const TlsAttack *a)
{
  return g_strdup_printf ("%s%s#%u", a->sender == TLS_ACTOR_CLIENT ? "client:"
                                     : a->sender == TLS_ACTOR_SERVER ? "server:" : "",
                          a->name, a->connection + 1);
}

char *
tls_attack_to_string (const TlsAttack *a)
{
  g_autofree char *target = target_text (a);
  g_autofree char *hex = a->value ? tls_hex (g_bytes_get_data (a->value, NULL),
                                             g_bytes_get_size (a->value)) : NULL;

  switch (a->kind)
    {
    case TLS_ATTACK_TAMPER:
      return g_strdup_printf ("tamper:%s.%s=0x%s", target, a->field, hex);
    case TLS_ATTACK_FLIP:
      return g_strdup_printf ("flip:%s@%" G_GSIZE_FORMAT ".%u", target, a->byte, a->bit);
    case TLS_ATTACK_INJECT:
      return g_strdup_printf ("inject:%s:%u:%s", target, a->content_type, hex);
    default:
      return g_strdup_printf ("%s:%s", kind_names[a->kind], target);
    }
}

/* The TARGET name of a record step. */
static const char *
step_target_name (const TlsStep *s)
{
  switch (s->content_type)
    {
    case TLS_CONTENT_CHANGE_CIPHER_SPEC: return "ChangeCipherSpec";
    case TLS_CONTENT_ALERT:              return "Alert";
    case TLS_CONTENT_APPLICATION_DATA:   return "ApplicationData";
    case TLS_CONTENT_HANDSHAKE:          return tls_handshake_type_name (s->handshake_type);
    default:                             return NULL;
    }
}

static gboolean
is_record_step (const TlsStep *s)
{
  return (s->kind == TLS_STEP_MESSAGE || s->kind == TLS_STEP_ALERT || s->kind == TLS_STEP_APPDATA)
         && s->actor != TLS_ACTOR_ATTACKER && s->wire != NULL;
}

char *
tls_attack_target_of_step (const TlsTrace *trace, guint index)
{
  const TlsStep *s = index < tls_trace_len (trace) ? tls_trace_get (trace, index) : NULL;
  const char *name = s && is_record_step (s) ? step_target_name (s) : NULL;

  if (name == NULL)
    return NULL;
  return g_strdup_printf ("%s:%s#%u", tls_actor_name (s->actor), name, s->connection + 1);
}

/* ------------------------------------------------------------------ */
/* The man in the middle                                               */

typedef struct
{
  GByteArray *in;        /* bytes from the sender not yet passed on */
  gint64      offset;    /* where in[0] lies in the sender's stream */
  GBytes     *held;      /* reorder: the record held back, or NULL */
  int         held_step; /* its attacker step */
} Direction;

struct _TlsAttacker
{
  GPtrArray *attacks;    /* of TlsAttack* */
  gboolean  *done;       /* one per attack: it acted */
  TlsTrace  *trace;
  guint      connection;
  guint16    version;    /* of the connection: which RFC the explanations cite */
  Direction  dir[2];     /* by sender */
  /* the record waiting for its action */
  int        pending_attack;   /* index, or -1 */
  TlsActor   pending_sender;
  int        pending_step;     /* the sender's step of the record */
  /* a drop in this connection: what the receiver waits for */
  char      *dropped;
  TlsActor   dropped_to;
};

TlsAttacker *
tls_attacker_new (GPtrArray *attacks, TlsTrace *trace)
{
  TlsAttacker *a = g_new0 (TlsAttacker, 1);

  a->attacks = g_ptr_array_ref (attacks);
  a->done = g_new0 (gboolean, MAX (attacks->len, 1));
  a->trace = trace;
  for (guint d = 0; d < 2; d++)
    a->dir[d].in = g_byte_array_new ();
  tls_attacker_start (a, 0);
  return a;
}

void
tls_attacker_free (TlsAttacker *a)
{
  if (a == NULL)
    return;
  for (guint d = 0; d < 2; d++)
    {
      g_byte_array_unref (a->dir[d].in);
      g_clear_pointer (&a->dir[d].held, g_bytes_unref);
    }
  g_ptr_array_unref (a->attacks);
  g_free (a->done);
  g_free (a->dropped);
  g_free (a);
}

void
tls_attacker_start (TlsAttacker *a, guint connection)
{
  a->connection = connection;
  for (guint d = 0; d < 2; d++)
    {
      g_byte_array_set_size (a->dir[d].in, 0);
      a->dir[d].offset = 0;
      g_clear_pointer (&a->dir[d].held, g_bytes_unref);
      a->dir[d].held_step = -1;
    }
  a->pending_attack = -1;
  a->pending_step = -1;
  g_clear_pointer (&a->dropped, g_free);
}

/* The sender's step whose record starts at OFFSET of its stream. */
static int
step_of_record (TlsAttacker *a, TlsActor sender, gint64 offset)
{
  for (guint i = tls_trace_len (a->trace); i > 0; i--)
    {
      const TlsStep *s = tls_trace_get (a->trace, i - 1);

      if (s->connection != a->connection)
        break;
      if (s->actor != sender || !is_record_step (s) || s->wire_offset < 0)
        continue;
      if (offset >= s->wire_offset && offset < s->wire_offset + (gint64) g_bytes_get_size (s->wire))
        return (int) (i - 1);
    }
  return -1;
}

static int
attack_for (TlsAttacker *a, TlsActor sender, int step_index)
{
  const TlsStep *s = step_index >= 0 ? tls_trace_get (a->trace, (guint) step_index) : NULL;
  const char *name = s ? step_target_name (s) : NULL;

  if (name == NULL)
    return -1;
  for (guint i = 0; i < a->attacks->len; i++)
    {
      const TlsAttack *at = g_ptr_array_index (a->attacks, i);

      if (a->done[i] || at->connection != a->connection || g_strcmp0 (at->name, name) != 0)
        continue;
      if (at->sender >= 0 && (TlsActor) at->sender != sender)
        continue;
      return (int) i;
    }
  return -1;
}

/* The length of the whole record at the start of D (0: not all there). */
static gsize
record_len (const Direction *d)
{
  gsize n;

  if (d->in->len < RECORD_HEADER)
    return 0;
  n = RECORD_HEADER + ((gsize) d->in->data[3] << 8 | d->in->data[4]);
  return n <= d->in->len ? n : 0;
}

static void
take (Direction *d, gsize n, GByteArray *out)
{
  if (out)
    g_byte_array_append (out, d->in->data, (guint) n);
  g_byte_array_remove_range (d->in, 0, (guint) n);
  d->offset += (gint64) n;
}

static GBytes *
to_bytes (GByteArray *out)
{
  if (out->len == 0)
    {
      g_byte_array_unref (out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

/* Passes whole records of SENDER on until one an action targets (kept in
 * D->in for tls_attacker_act). */
static void
pass_records (TlsAttacker *a, TlsActor sender, GByteArray *out)
{
  Direction *d = &a->dir[sender];
  gsize n;

  while (a->pending_attack < 0 && (n = record_len (d)) > 0)
    {
      int step = step_of_record (a, sender, d->offset);
      int which = attack_for (a, sender, step);

      if (which >= 0)
        {
          a->pending_attack = which;
          a->pending_sender = sender;
          a->pending_step = step;
          return;
        }
      take (d, n, out);
      if (d->held != NULL)
        {
          /* reorder: the held record goes after this one */
          g_byte_array_append (out, g_bytes_get_data (d->held, NULL),
                               (guint) g_bytes_get_size (d->held));
          g_clear_pointer (&d->held, g_bytes_unref);
        }
    }
}

GBytes *
tls_attacker_pass (TlsAttacker *a, TlsActor sender, GBytes *bytes)
{
  GByteArray *out = g_byte_array_new ();

  if (bytes != NULL)
    g_byte_array_append (a->dir[sender].in, g_bytes_get_data (bytes, NULL),
                         (guint) g_bytes_get_size (bytes));
  pass_records (a, sender, out);
  return to_bytes (out);
}

void
tls_attacker_set_version (TlsAttacker *a, guint16 version)
{
  a->version = version;
}

gboolean
tls_attacker_pending (const TlsAttacker *a)
{
  return a->pending_attack >= 0;
}

GBytes *
tls_attacker_release (TlsAttacker *a, TlsActor *sender)
{
  for (guint s = 0; s < 2; s++)
    if (a->dir[s].held != NULL)
      {
        *sender = (TlsActor) s;
        return g_steal_pointer (&a->dir[s].held);
      }
  return NULL;
}

char *
tls_attacker_stall_reason (const TlsAttacker *a)
{
  if (a->dropped == NULL)
    return NULL;
  return g_strdup_printf (_("no more messages: the %s is waiting for the %s the attacker dropped"),
                          tls_actor_name (a->dropped_to), a->dropped);
}

/* ---- Tamper --------------------------------------------------------- */

static guint64
get_uint (const guint8 *p, gsize n)
{
  guint64 v = 0;
  for (gsize i = 0; i < n; i++)
    v = v << 8 | p[i];
  return v;
}

static void
put_uint (guint8 *p, gsize n, guint64 v)
{
  for (gsize i = n; i > 0; i--, v >>= 8)
    p[i - 1] = (guint8) (v & 0xff);
}

static gboolean
is_length_field (const TlsField *f)
{
  return f->name != NULL && (g_str_equal (f->name, "length") || g_str_has_suffix (f->name, " length"))
         && f->length >= 1 && f->length <= 3 && f->children == NULL;
}

/* The length field of F that counts its bytes from the end of that field
 * to F's end (a vector's prefix, a handshake header's length), or NULL. */
static const TlsField *
length_of (const TlsField *f, const guint8 *msg, gsize at)
{
  for (guint i = 0; i < tls_field_n_children (f); i++)
    {
      const TlsField *c = tls_field_child ((TlsField *) f, i);
      gsize end = c->offset + c->length;

      if (c->offset >= at)
        break;
      if (is_length_field (c) && end <= at
          && get_uint (msg + c->offset, c->length) == f->offset + f->length - end)
        return c;
    }
  return NULL;
}

/* Replaces FIELD of the message MSG (fields ROOT) by VALUE; the lengths
 * around it follow.  Returns the new message, or NULL with WHY set. */
static GBytes *
tamper_message (GBytes *msg, TlsField *root, const char *field, GBytes *value, char **why,
                TlsField **hit)
{
  g_autofree char *path = g_strdelimit (g_strdup (field), ".", '/');
  TlsField *f = tls_field_find (root, path);
  gsize len, start, span, vlen;
  const guint8 *data = g_bytes_get_data (msg, &len);
  const guint8 *v = g_bytes_get_data (value, &vlen);
  const TlsField *own_len;
  GByteArray *out;
  gssize delta;

  if (f == NULL && root->name && g_str_has_prefix (path, root->name) && path[strlen (root->name)] == '/')
    f = tls_field_find (root, path + strlen (root->name) + 1);
  if (f == NULL)
    {
      GString *names = g_string_new (NULL);
      for (guint i = 0; i < tls_field_n_children (root); i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", tls_field_child (root, i)->name);
      *why = g_strdup_printf (_("the %s has no field “%s” (its fields: %s)"),
                              root->name, field, names->str);
      g_string_free (names, TRUE);
      return NULL;
    }
  *hit = f;
  start = f->offset;
  span = f->length;
  /* a vector: VALUE is its contents, the prefix follows */
  own_len = tls_field_n_children (f) > 0 ? tls_field_child (f, 0) : NULL;
  if (own_len != NULL && (!is_length_field (own_len) || own_len->offset != f->offset
                          || f->offset + f->length > len
                          || get_uint (data + own_len->offset, own_len->length)
                             != f->length - own_len->length))
    own_len = NULL;
  if (own_len != NULL)
    {
      start = own_len->offset + own_len->length;
      span = f->offset + f->length - start;
      if (vlen >= ((guint64) 1 << (8 * own_len->length)))
        {
          *why = g_strdup_printf (_("%u bytes do not fit a %u-byte length"),
                                  (guint) vlen, (guint) own_len->length);
          return NULL;
        }
    }
  if (start + span > len)
    {
      *why = g_strdup (_("the field lies outside the message"));
      return NULL;
    }
  delta = (gssize) vlen - (gssize) span;
  out = g_byte_array_new ();
  g_byte_array_append (out, data, (guint) start);
  g_byte_array_append (out, v, (guint) vlen);
  g_byte_array_append (out, data + start + span, (guint) (len - start - span));
  /* every field around the change whose length counts it */
  for (const TlsField *p = f; p != NULL; p = p->parent)
    {
      const TlsField *l = length_of (p, data, start);
      if (l != NULL)
        put_uint (out->data + l->offset, l->length,
                  get_uint (data + l->offset, l->length) + (guint64) delta);
    }
  return g_byte_array_free_to_bytes (out);
}

/* ---- Acting ---------------------------------------------------------- */

static GBytes *
make_record (guint8 type, const guint8 version[2], const guint8 *frag, gsize len)
{
  GByteArray *r = g_byte_array_sized_new ((guint) (len + RECORD_HEADER));
  guint8 h[RECORD_HEADER] = { type, version[0], version[1], (guint8) (len >> 8), (guint8) len };

  g_byte_array_append (r, h, RECORD_HEADER);
  g_byte_array_append (r, frag, (guint) len);
  return g_byte_array_free_to_bytes (r);
}

static const char *
actor_text (TlsActor actor)
{
  return actor == TLS_ACTOR_CLIENT ? _("client") : _("server");
}

/* ---- TLS 1.3 (RFC 8446) ------------------------------------------------ */

static void
explain_ccs13 (TlsStep *step)
{
  tls_step_explain (step, "RFC 8446, 5; RFC 8446, D.4",
                    _("In TLS 1.3 ChangeCipherSpec switches no keys (the keys change with the traffic "
                      "secrets): it is sent only for compatibility with middleboxes. A receiver drops a "
                      "change_cipher_spec record in the clear holding the single byte 0x01 that arrives "
                      "after the first ClientHello and before the peer's Finished, so the handshake does "
                      "not need it; any other value, or one after the peer's Finished, is a fatal "
                      "unexpected_message."));
}

/* The explanation of an action in a TLS 1.3 connection: CHANGED when the
 * action changed the record (a tamper or flip that could not apply did not). */
static void
explain_tls13 (TlsStep *step, const TlsAttack *at, const TlsStep *src, TlsActor sender,
               TlsActor receiver, gboolean changed)
{
  gboolean ccs = src->content_type == TLS_CONTENT_CHANGE_CIPHER_SPEC;
  gboolean hello = !src->encrypted && src->content_type == TLS_CONTENT_HANDSHAKE;

  if (!changed)
    {
      tls_step_explain (step, "RFC 8446, 5.1", _("The attacker let the record through unchanged."));
      return;
    }
  if (at->kind == TLS_ATTACK_INJECT)
    {
      if (at->content_type == TLS_CONTENT_CHANGE_CIPHER_SPEC)
        explain_ccs13 (step);
      else if (at->content_type == TLS_CONTENT_APPLICATION_DATA)
        tls_step_explain (step, "RFC 8446, 5.2; RFC 8446, 6.2",
                          _("In TLS 1.3 a record of type application_data is a protected record (its real "
                            "type is inside, encrypted): the attacker cannot make one that authenticates "
                            "without the traffic keys. A receiver that has the keys fails its AEAD check "
                            "and ends the connection with bad_record_mac; one still waiting for the "
                            "ServerHello has no keys and does not expect such a record."));
      else
        tls_step_explain (step, "RFC 8446, 5.1; RFC 8446, 5.2",
                          _("A protected TLS 1.3 record always has the outer type application_data; the "
                            "injected record has another type and is in the clear, so the %s reads it as "
                            "it is and cannot tell the attacker's record from the %s's."),
                          actor_text (receiver), actor_text (sender));
      return;
    }
  if (ccs)
    {
      explain_ccs13 (step);
      return;
    }
  switch (at->kind)
    {
    case TLS_ATTACK_TAMPER:
      if (hello && tls_field_find (src->fields, "binders") != NULL)
        /* a ClientHello offering a PSK: its binder is checked first */
        tls_step_explain (step, "RFC 8446, 5.1; RFC 8446, 4.2.11; RFC 8446, 6.2",
                          _("The ClientHello travels before record protection starts, so the attacker can "
                            "rewrite a field and fix up the lengths around it. This one offers a "
                            "pre-shared key: its binder, an HMAC keyed from that key over the transcript "
                            "hash of the ClientHello up to the binders, ties the ClientHello to the key, "
                            "and a server must validate it before it accepts the key; a binder that does "
                            "not validate is a fatal decrypt_error."));
      else if (hello && g_strcmp0 (at->field, "versions") == 0)
        /* supported_versions changed: the version itself is at stake */
        tls_step_explain (step, "RFC 8446, 5.1; RFC 8446, 4.2.1; RFC 8446, 4.1.3",
                          _("The ClientHello travels before record protection starts, so the attacker can "
                            "rewrite a field and fix up the lengths around it. supported_versions is "
                            "where a TLS 1.3 server reads the versions the client speaks: with TLS 1.3 "
                            "taken out, such a server negotiates an older version, and then writes a "
                            "downgrade sentinel in the last 8 bytes of its random, which a client that "
                            "speaks TLS 1.3 checks."));
      else if (hello)
        tls_step_explain (step, "RFC 8446, 5.1; RFC 8446, 4.4.1; RFC 8446, 7.1; RFC 8446, 5.2; "
                                "RFC 8446, 4.4.4",
                          _("ClientHello, HelloRetryRequest and ServerHello travel before record protection "
                            "starts, so the attacker can rewrite a field and fix up the lengths around it. "
                            "The %s now hashes other bytes for this handshake than the %s did. Both sides "
                            "derive the handshake traffic secrets from the transcript hash of the messages "
                            "up to the ServerHello: if the %s goes on with the changed message, its "
                            "handshake traffic keys differ from the %s's, and the first record protected "
                            "with them that the client reads fails its AEAD check, a fatal bad_record_mac. "
                            "CertificateVerify and Finished cover the transcript too: a changed hello is "
                            "found by then at the latest."),
                          actor_text (receiver), actor_text (sender), actor_text (receiver),
                          actor_text (sender));
      else
        tls_step_explain (step, "RFC 8446, 5.1",
                          _("This record is not protected (record protection has not started for it): "
                            "the %s reads the changed bytes as they are."),
                          actor_text (receiver));
      break;
    case TLS_ATTACK_FLIP:
      if (src->encrypted)
        tls_step_explain (step, "RFC 8446, 5.2; RFC 8446, 6.2",
                          _("This record is protected: its AEAD tag authenticates the encrypted record "
                            "and, as additional data, the record header, so the %s's decryption of this "
                            "record fails however small the change, and it must end the connection with "
                            "bad_record_mac. The attacker cannot repair the tag without the traffic keys."),
                          actor_text (receiver));
      else
        tls_step_explain (step, "RFC 8446, 5.1",
                          _("This record is not protected (record protection has not started for it): "
                            "the %s reads the changed byte as it is."),
                          actor_text (receiver));
      break;
    case TLS_ATTACK_DROP:
      tls_step_explain (step, "RFC 8446, 1",
                        _("TLS asks of the transport only a reliable, in-order data stream, such as TCP "
                          "gives; an attacker on the path can still withhold bytes. The %s never gets "
                          "this record: what it reads next, if anything, is what the %s sent after it."),
                        actor_text (receiver), actor_text (sender));
      break;
    case TLS_ATTACK_REPLAY:
      if (src->encrypted)
        tls_step_explain (step, "RFC 8446, 5.3; RFC 8446, 5.2",
                          _("Each side keeps a sequence number for the records it reads, one more after "
                            "each record, and the nonce of a protected record is that number XORed with "
                            "the sender's write IV. The copy was sealed with the nonce of the original's "
                            "number; the %s opens it with the nonce of the next number (or, after a key "
                            "change, with the new keys), so its AEAD decryption fails: bad_record_mac."),
                          actor_text (receiver));
      else if (hello)
        tls_step_explain (step, "RFC 8446, 4; RFC 8446, 4.1.2",
                          _("Handshake messages must come in the order the protocol defines: a peer that "
                            "receives one in an unexpected order aborts the handshake with "
                            "unexpected_message, and TLS 1.3 has no renegotiation: a ClientHello at any "
                            "other time is one. Only after a HelloRetryRequest does a server wait for a "
                            "second ClientHello, and that one must be the first with the changes the "
                            "HelloRetryRequest asks for: a copy of the first is not."));
      else
        tls_step_explain (step, "RFC 8446, 5.1",
                          _("This record is not protected (record protection has not started for it): "
                            "the %s reads the copy as it is."),
                          actor_text (receiver));
      break;
    case TLS_ATTACK_REORDER:
      if (src->encrypted)
        tls_step_explain (step, "RFC 8446, 5.3; RFC 8446, 5.2",
                          _("The %s reads the next record first and opens it with the nonce of the held "
                            "record's sequence number (and the keys in force for that one), not those it "
                            "was sealed with, so its AEAD decryption fails: bad_record_mac. Protected "
                            "records cannot change places."),
                          actor_text (receiver));
      else if (hello)
        tls_step_explain (step, "RFC 8446, 4; RFC 8446, 5",
                          _("Handshake messages must come in the order the protocol defines: a peer that "
                            "receives one in an unexpected order aborts the handshake with "
                            "unexpected_message. A ChangeCipherSpec that gets ahead does not count: a "
                            "TLS 1.3 receiver drops it."));
      else
        tls_step_explain (step, "RFC 8446, 5.1",
                          _("This record is not protected (record protection has not started for it): "
                            "the %s reads it as it is, after the next one."),
                          actor_text (receiver));
      break;
    case TLS_ATTACK_INJECT:
      break;
    }
}

GBytes *
tls_attacker_act (TlsAttacker *a, TlsActor *sender_out)
{
  const TlsAttack *at;
  TlsActor sender, receiver;
  Direction *d;
  const TlsStep *src;
  g_autoptr (GBytes) record = NULL;
  g_autoptr (GBytes) delivered = NULL;
  g_autofree char *target = NULL, *choice = NULL;
  const guint8 *rec;
  gsize rec_len;
  GByteArray *out;
  TlsStep *step;
  TlsTraceValue *v;
  int src_index;

  if (a->pending_attack < 0)
    return NULL;
  at = g_ptr_array_index (a->attacks, a->pending_attack);
  a->done[a->pending_attack] = TRUE;
  sender = *sender_out = a->pending_sender;
  receiver = sender == TLS_ACTOR_CLIENT ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT;
  d = &a->dir[sender];
  src_index = a->pending_step;
  src = tls_trace_get (a->trace, (guint) src_index);
  a->pending_attack = -1;

  rec_len = record_len (d);
  record = g_bytes_new (d->in->data, rec_len);
  rec = g_bytes_get_data (record, NULL);
  out = g_byte_array_new ();
  target = g_strdup_printf ("%s:%s#%u", tls_actor_name (sender), step_target_name (src),
                            a->connection + 1);
  choice = tls_attack_to_string (at);

  step = tls_trace_add (a->trace, TLS_STEP_DECISION, TLS_ACTOR_ATTACKER, NULL);
  tls_trace_group (a->trace, step, TLS_PARENT_NONE);
  step->content_type = src->content_type;
  step->handshake_type = src->handshake_type;
  step->choice = g_strdup (choice);
  step->wire_offset = d->offset;
  take (d, rec_len, NULL);

  switch (at->kind)
    {
    case TLS_ATTACK_TAMPER:
      {
        g_autofree char *why = NULL;
        g_autoptr (GBytes) msg = NULL;
        TlsField *hit = NULL;
        /* English, as every title the trace keeps: tls_step_title_label translates it
           (tls-trace.c, title_formats) */

        step->title = g_strdup_printf ("Tamper: %s.%s", src->title, at->field);
        if (src->encrypted || src->fields == NULL || src->bytes == NULL
            || g_bytes_get_size (src->bytes) != rec_len - RECORD_HEADER
            || memcmp (g_bytes_get_data (src->bytes, NULL), rec + RECORD_HEADER, rec_len - RECORD_HEADER) != 0)
          why = g_strdup (src->encrypted
                          ? _("the record is encrypted: the attacker cannot read or rewrite its fields "
                              "(flip a bit instead)")
                          : _("the message does not lie alone in one record"));
        else
          msg = tamper_message (src->bytes, src->fields, at->field, at->value, &why, &hit);
        if (msg == NULL)
          {
            g_byte_array_append (out, rec, (guint) rec_len);
            tls_step_set_reason (step, _("Nothing was changed: %s."), why);
            tls_step_explain (step, "RFC 5246, 6.2.1",
                              _("The attacker let the record through unchanged."));
            break;
          }
        {
          g_autoptr (GBytes) r = make_record (rec[0], rec + 1, g_bytes_get_data (msg, NULL),
                                              g_bytes_get_size (msg));
          g_autofree char *old = tls_hex (g_bytes_get_data (src->bytes, NULL) + hit->offset, hit->length);
          g_autofree char *new = tls_hex (g_bytes_get_data (at->value, NULL), g_bytes_get_size (at->value));
          g_byte_array_append (out, g_bytes_get_data (r, NULL), (guint) g_bytes_get_size (r));
          tls_step_set_reason (step, _("%s of the %s's %s: %s became %s."), at->field,
                               actor_text (sender), src->title, old, new);
          if (src->content_type == TLS_CONTENT_HANDSHAKE)
            tls_step_explain (step, "RFC 5246, 6.1; RFC 5246, 7.4.9; RFC 5246, 7.3",
                              _("Before ChangeCipherSpec records are read under the initial state, with "
                                "no encryption and no MAC, so the attacker can rewrite a field and fix up "
                                "the lengths around it. The %s now hashes other bytes for this handshake "
                                "than the %s did. Finished carries verify_data, the PRF of the master "
                                "secret over a hash of all the handshake messages so far, and is the "
                                "first message protected with the newly negotiated keys; its recipient "
                                "must verify it. That is how each side checks that the handshake "
                                "occurred without tampering: a changed handshake message is found there "
                                "at the latest."),
                              actor_text (receiver), actor_text (sender));
          else
            tls_step_explain (step, "RFC 5246, 6.1",
                              _("This record is not protected yet (the initial state has no encryption "
                                "and no MAC): the %s reads the changed bytes as they are."),
                              actor_text (receiver));
        }
      }
      break;
    case TLS_ATTACK_FLIP:
      {
        gsize frag = rec_len - RECORD_HEADER;

        step->title = g_strdup_printf ("Flip a bit: %s", src->title);
        g_byte_array_append (out, rec, (guint) rec_len);
        if (at->byte >= frag)
          {
            tls_step_set_reason (step, _("Nothing was changed: the fragment of this record has %u "
                                         "bytes, there is no byte %u."),
                                 (guint) frag, (guint) at->byte);
            tls_step_explain (step, "RFC 5246, 6.2.1", _("The attacker let the record through unchanged."));
            break;
          }
        out->data[RECORD_HEADER + at->byte] ^= (guint8) (1u << at->bit);
        tls_step_set_reason (step, _("Bit %u of byte %u of the fragment: %02x became %02x."),
                             at->bit, (guint) at->byte, rec[RECORD_HEADER + at->byte],
                             out->data[RECORD_HEADER + at->byte]);
        if (src->encrypted)
          tls_step_explain (step, "RFC 5246, 6.2.3.1; RFC 5246, 6.2.3.3; RFC 5246, 7.2.2",
                            _("This record is protected: its MAC (or, for an AEAD cipher, its "
                              "authentication tag) covers the sequence number, the content type, the "
                              "version, the length and the content, so the %s's check of this record "
                              "fails however small the change, and a failed check is a fatal "
                              "bad_record_mac. The attacker cannot repair it without the keys."),
                            actor_text (receiver));
        else
          tls_step_explain (step, "RFC 5246, 6.1",
                            _("This record is not protected yet (the initial state has no encryption "
                              "and no MAC): the %s reads the changed byte as it is."),
                            actor_text (receiver));
      }
      break;
    case TLS_ATTACK_DROP:
      step->title = g_strdup_printf ("Drop: %s", src->title);
      tls_step_set_reason (step, _("The %s's %s record never reaches the %s."),
                           actor_text (sender), src->title, actor_text (receiver));
      tls_step_explain (step, "RFC 5246, 1",
                        _("TLS is layered on top of a reliable transport protocol such as TCP, which "
                          "delivers the bytes it is given; an attacker on the path can still withhold "
                          "them. Here the %s waits for a record that will not come."),
                        actor_text (receiver));
      g_free (a->dropped);
      a->dropped = g_strdup (src->title);
      a->dropped_to = receiver;
      break;
    case TLS_ATTACK_REPLAY:
      step->title = g_strdup_printf ("Replay: %s", src->title);
      g_byte_array_append (out, rec, (guint) rec_len);
      g_byte_array_append (out, rec, (guint) rec_len);
      tls_step_set_reason (step, _("The %s receives the %s's %s record twice."),
                           actor_text (receiver), actor_text (sender), src->title);
      if (src->encrypted)
        tls_step_explain (step, "RFC 5246, 6.1; RFC 5246, 6.2.3.1",
                          _("Each side keeps a sequence number for the records it reads, one more "
                            "after each record; the MAC of a protected record covers its sequence "
                            "number. The copy carries the MAC made for the original's number, but "
                            "the receiver now expects the next one: it does not verify."));
      else
        tls_step_explain (step, "RFC 5246, 7.4",
                          _("The handshake messages must come in a fixed order, and a message in an "
                            "unexpected order is a fatal error: the copy comes when another message "
                            "is expected."));
      break;
    case TLS_ATTACK_REORDER:
      step->title = g_strdup_printf ("Reorder: %s", src->title);
      g_clear_pointer (&d->held, g_bytes_unref);
      d->held = g_bytes_ref (record);
      tls_step_set_reason (step, _("The attacker holds the %s's %s record back and lets it go after "
                                   "the next record in the same direction."),
                           actor_text (sender), src->title);
      tls_step_explain (step, "RFC 5246, 7.4; RFC 5246, 7.4.9; RFC 5246, 7.1",
                        _("The handshake messages must come in a fixed order, and a message in an "
                          "unexpected order is a fatal error; a Finished that is not preceded by "
                          "ChangeCipherSpec is a fatal error too. ChangeCipherSpec is what switches "
                          "the receiver to the new keys, so a record protected with them that comes "
                          "before it is read as if it were in the clear."));
      break;
    case TLS_ATTACK_INJECT:
      {
        g_autoptr (GBytes) r = make_record (at->content_type, rec + 1, g_bytes_get_data (at->value, NULL),
                                            g_bytes_get_size (at->value));
        step->title = g_strdup_printf ("Inject a record before %s", src->title);
        g_byte_array_append (out, g_bytes_get_data (r, NULL), (guint) g_bytes_get_size (r));
        g_byte_array_append (out, rec, (guint) rec_len);
        tls_step_set_reason (step, _("A %s record the %s never sent reaches the %s before the %s."),
                             tls_content_type_name (at->content_type), actor_text (sender),
                             actor_text (receiver), src->title);
        if (src->encrypted)
          tls_step_explain (step, "RFC 5246, 6.2.3.1; RFC 5246, 6.2.3.3",
                            _("The %s is already reading protected records: a record the attacker made "
                              "without the keys does not carry a valid MAC (or tag)."),
                            actor_text (receiver));
        else
          tls_step_explain (step, "RFC 5246, 6.1; RFC 5246, 7.2",
                            _("Before ChangeCipherSpec records are not protected: the %s cannot tell "
                              "the attacker's record from the %s's and handles it as if it came from "
                              "there."),
                            actor_text (receiver), actor_text (sender));
      }
      break;
    }

  if (a->version >= TLS_VERSION_1_3)
    /* the texts above are TLS 1.2's (RFC 5246) */
    explain_tls13 (step, at, src, sender, receiver,
                   (at->kind != TLS_ATTACK_TAMPER && at->kind != TLS_ATTACK_FLIP)
                   || out->len != rec_len || memcmp (out->data, rec, rec_len) != 0);
  tls_step_add_text_input (step, N_("target"), target, src_index,
                           _("the record the action names, as the sender's step made it"));
  v = tls_step_add_input (step, N_("record sent"), rec, rec_len, src_index,
                          _("the record as the sender put it on the wire"));
  (void) v;
  /* an empty value, not none, when nothing was delivered */
  v = tls_step_add_output (step, N_("record delivered"), out->len ? out->data : (const guint8 *) "", out->len,
                           _("what the attacker passed on to the receiver in its place"));
  tls_trace_value_set_compare (v, "record sent");
  delivered = to_bytes (out);
  if (delivered != NULL)
    tls_step_set_wire (step, delivered, NULL, src->encrypted);
  tls_trace_commit (a->trace, step);

  /* and on with what follows the record */
  {
    GByteArray *more = g_byte_array_new ();
    GBytes *rest;

    if (delivered != NULL)
      g_byte_array_append (more, g_bytes_get_data (delivered, NULL), (guint) g_bytes_get_size (delivered));
    pass_records (a, sender, more);
    rest = to_bytes (more);
    return rest;
  }
}
