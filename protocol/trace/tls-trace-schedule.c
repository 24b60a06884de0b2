/* tls-trace-schedule.c — the TLS 1.3 key schedule of a connection, read
 * from its derivation steps (RFC 8446, 7.1; 7.3; 4.4.4). */
#include "config.h"

#include <string.h>

#include "tls-trace-schedule.h"
#include "tls-types.h"

/* The boxes of the diagram: the title of the step that computes each and
 * the output it shows (those of protocol/crypto/tls13-key-schedule.h). */
static const struct
{
  const char *name, *title, *output, *output2, *label, *rfc;
} spec[TLS_SCHEDULE_N_BOXES] = {
  [TLS_SCHEDULE_EARLY_SECRET] = { "Early Secret", "Early Secret", "Early Secret", NULL, NULL, "RFC 8446, 7.1" },
  [TLS_SCHEDULE_BINDER_KEY] = { "binder_key", "binder_key", "binder_key", NULL, "ext binder | res binder", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_C_E_TRAFFIC] = { "client_early_traffic_secret", "client_early_traffic_secret",
                                 "client_early_traffic_secret", NULL, "c e traffic", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_E_EXP_MASTER] = { "early_exporter_master_secret", "early_exporter_master_secret",
                                  "early_exporter_master_secret", NULL, "e exp master", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_C_E_KEYS] = { "write_key, write_iv", "traffic keys from client_early_traffic_secret",
                              "write_key", "write_iv", "key | iv", "RFC 8446, 7.3" },
  [TLS_SCHEDULE_DERIVED_HS] = { "derived", "derived (for the Handshake Secret)",
                                "derived (for the Handshake Secret)", NULL, "derived", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_HANDSHAKE_SECRET] = { "Handshake Secret", "Handshake Secret", "Handshake Secret", NULL, NULL,
                                      "RFC 8446, 7.1" },
  [TLS_SCHEDULE_C_HS_TRAFFIC] = { "client_handshake_traffic_secret", "client_handshake_traffic_secret",
                                  "client_handshake_traffic_secret", NULL, "c hs traffic", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_S_HS_TRAFFIC] = { "server_handshake_traffic_secret", "server_handshake_traffic_secret",
                                  "server_handshake_traffic_secret", NULL, "s hs traffic", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_C_HS_KEYS] = { "write_key, write_iv", "traffic keys from client_handshake_traffic_secret",
                               "write_key", "write_iv", "key | iv", "RFC 8446, 7.3" },
  [TLS_SCHEDULE_S_HS_KEYS] = { "write_key, write_iv", "traffic keys from server_handshake_traffic_secret",
                               "write_key", "write_iv", "key | iv", "RFC 8446, 7.3" },
  [TLS_SCHEDULE_C_FINISHED_KEY] = { "finished_key", "client Finished (TLS 1.3)", "finished_key", "verify_data",
                                    "finished", "RFC 8446, 4.4.4" },
  [TLS_SCHEDULE_S_FINISHED_KEY] = { "finished_key", "server Finished (TLS 1.3)", "finished_key", "verify_data",
                                    "finished", "RFC 8446, 4.4.4" },
  [TLS_SCHEDULE_DERIVED_MASTER] = { "derived", "derived (for the Master Secret)",
                                    "derived (for the Master Secret)", NULL, "derived", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_MASTER_SECRET] = { "Master Secret", "Master Secret", "Master Secret", NULL, NULL, "RFC 8446, 7.1" },
  [TLS_SCHEDULE_C_AP_TRAFFIC] = { "client_application_traffic_secret_0", "client_application_traffic_secret_0",
                                  "client_application_traffic_secret_0", NULL, "c ap traffic", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_S_AP_TRAFFIC] = { "server_application_traffic_secret_0", "server_application_traffic_secret_0",
                                  "server_application_traffic_secret_0", NULL, "s ap traffic", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_EXP_MASTER] = { "exporter_master_secret", "exporter_master_secret", "exporter_master_secret",
                                NULL, "exp master", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_RES_MASTER] = { "resumption_master_secret", "resumption_master_secret",
                                "resumption_master_secret", NULL, "res master", "RFC 8446, 7.1" },
  [TLS_SCHEDULE_C_AP_KEYS] = { "write_key, write_iv", "traffic keys from client_application_traffic_secret_0",
                               "write_key", "write_iv", "key | iv", "RFC 8446, 7.3" },
  [TLS_SCHEDULE_S_AP_KEYS] = { "write_key, write_iv", "traffic keys from server_application_traffic_secret_0",
                               "write_key", "write_iv", "key | iv", "RFC 8446, 7.3" },
};

/* The index of the first derivation step of ACTOR in CONNECTION titled
 * TITLE among the first LIMIT, or -1. */
static int
find_step (const TlsTrace *trace, guint connection, TlsActor actor, const char *title, guint limit)
{
  guint n = MIN (limit, tls_trace_len (trace));

  for (guint i = 0; i < n; i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      if (s->connection == connection && s->actor == actor && s->kind == TLS_STEP_DERIVATION
          && g_strcmp0 (s->title, title) == 0)
        return (int) i;
    }
  return -1;
}

gboolean
tls_schedule_present (const TlsTrace *trace, guint connection, TlsActor actor, guint limit)
{
  g_return_val_if_fail (trace != NULL, FALSE);
  return find_step (trace, connection, actor, spec[TLS_SCHEDULE_EARLY_SECRET].title, limit) >= 0;
}

/* The title of the K-th handshake message of CONNECTION when its type is
 * TYPE ("HelloRetryRequest" is a server_hello), else the type's name. */
static char *
message_name (const TlsTrace *trace, guint connection, guint k, guint8 type)
{
  guint seen = 0;

  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      if (s->connection != connection || s->kind != TLS_STEP_MESSAGE
          || s->content_type != TLS_CONTENT_HANDSHAKE)
        continue;
      if (seen++ == k)
        return g_strdup (s->handshake_type == type ? s->title : tls_handshake_type_name (type));
    }
  return g_strdup (tls_handshake_type_name (type));
}

/* The handshake messages hashed by Transcript-Hash step STEP: its input
 * "Messages", read as Handshake structures (type, uint24 length, body;
 * RFC 8446, 4). */
static GPtrArray *
hashed_messages (const TlsTrace *trace, const TlsStep *step)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const TlsTraceValue *v = tls_step_find_value (step, "Messages");
  const guint8 *p;
  gsize len, at = 0;

  if (v == NULL || v->bytes == NULL)
    return out;
  p = g_bytes_get_data (v->bytes, &len);
  for (guint k = 0; at + 4 <= len; k++)
    {
      gsize body = ((gsize) p[at + 1] << 16) | ((gsize) p[at + 2] << 8) | p[at + 3];
      g_ptr_array_add (out, message_name (trace, step->connection, k, p[at]));
      if (body > len - at - 4)
        break;
      at += 4 + body;
    }
  return out;
}

static void
fill_context (TlsScheduleBox *b, const TlsTrace *trace, const TlsStep *s)
{
  for (guint i = 0; s->inputs && i < s->inputs->len; i++)
    {
      const TlsTraceValue *v = s->inputs->pdata[i];
      const TlsStep *th;
      gsize len = strlen (v->name);

      if (!g_str_has_prefix (v->name, "Transcript-Hash(") || v->from_step < 0
          || (guint) v->from_step >= tls_trace_len (trace))
        continue;
      th = tls_trace_get (trace, (guint) v->from_step);
      b->context = g_strndup (v->name + strlen ("Transcript-Hash("), len - strlen ("Transcript-Hash(") - 1);
      b->context_step = v->from_step;
      b->messages = hashed_messages (trace, th);
      return;
    }
}

TlsSchedule *
tls_schedule_new (const TlsTrace *trace, guint connection, TlsActor actor, guint limit)
{
  TlsSchedule *ks = g_new0 (TlsSchedule, 1);

  g_return_val_if_fail (trace != NULL, ks);
  ks->connection = connection;
  ks->actor = actor;
  for (guint k = 0; k < TLS_SCHEDULE_N_BOXES; k++)
    {
      TlsScheduleBox *b = &ks->boxes[k];
      const TlsTraceValue *v;
      const TlsStep *s;

      b->id = k;
      b->name = spec[k].name;
      b->title = spec[k].title;
      b->output = spec[k].output;
      b->output2 = spec[k].output2;
      b->label = g_strdup (spec[k].label);
      b->rfc = spec[k].rfc;
      b->context_step = -1;
      b->step = find_step (trace, connection, actor, spec[k].title, limit);
      if (b->step < 0)
        continue;
      s = tls_trace_get (trace, (guint) b->step);
      v = tls_step_find_output (s, spec[k].output);
      b->value = v && v->bytes ? g_bytes_ref (v->bytes) : NULL;
      v = spec[k].output2 ? tls_step_find_output (s, spec[k].output2) : NULL;
      b->value2 = v && v->bytes ? g_bytes_ref (v->bytes) : NULL;
      v = tls_step_find_value (s, "Label");
      if (v && v->text && g_str_has_prefix (v->text, "tls13 "))
        {
          g_free (b->label);
          b->label = g_strdup (v->text + strlen ("tls13 "));
        }
      fill_context (b, trace, s);
    }
  return ks;
}

void
tls_schedule_free (TlsSchedule *ks)
{
  if (ks == NULL)
    return;
  for (guint k = 0; k < TLS_SCHEDULE_N_BOXES; k++)
    {
      g_clear_pointer (&ks->boxes[k].value, g_bytes_unref);
      g_clear_pointer (&ks->boxes[k].value2, g_bytes_unref);
      g_clear_pointer (&ks->boxes[k].messages, g_ptr_array_unref);
      g_free (ks->boxes[k].context);
      g_free (ks->boxes[k].label);
    }
  g_free (ks);
}
