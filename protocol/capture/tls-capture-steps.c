/* tls-capture-steps.c — the steps every connection of a capture is made
 * of, whatever its version (tls-capture-build.h). */
#include "config.h"
#include "tls-capture-build.h"
#include "tls-msg-alert.h"
#include "tls-alert.h"
#include "tls-types.h"
#include "tls13-hello-fields.h"

#include <glib/gi18n-lib.h>
#include <string.h>

TlsActor
cap_actor_of (int dir)
{
  return dir == 0 ? TLS_ACTOR_CLIENT : TLS_ACTOR_SERVER;
}

const char *
cap_side_name (int dir)
{
  return dir == 0 ? _("client") : _("server");
}

void
cap_set_result (CapBuild *b, const char *format, ...)
{
  va_list ap;

  if (b->result != NULL)
    return;
  va_start (ap, format);
  b->result = g_strdup_vprintf (format, ap);
  va_end (ap);
}

TlsStep *
cap_problem_step (CapBuild *b, TlsActor actor, const char *title, const char *subject,
              const char *rfc, const char *explanation, const char *format, ...)
{
  TlsStep *step = tls_trace_add (b->trace, TLS_STEP_CHECK, actor, title);
  g_autofree char *reason = NULL;
  va_list ap;

  va_start (ap, format);
  reason = g_strdup_vprintf (format, ap);
  va_end (ap);
  step->subject = g_strdup (subject);
  step->result = TLS_CHECK_FAILED;
  tls_step_set_reason (step, "%s", reason);
  tls_step_explain (step, rfc, "%s", explanation);
  tls_trace_commit (b->trace, step);
  return step;
}

TlsStep *
cap_record_step (CapBuild *b, TlsStepKind kind, int dir, const char *title, guint8 content_type,
             GBytes *bytes, TlsField *root, GBytes *wire, TlsField *wire_fields,
             gboolean encrypted, gint64 offset)
{
  TlsStep *step = tls_trace_add (b->trace, kind, cap_actor_of (dir), title);

  step->observed = TRUE;
  step->content_type = content_type;
  root->length = g_bytes_get_size (bytes);
  if (content_type == TLS_CONTENT_HANDSHAKE)
    tls13_hello_fields_describe (root, bytes);
  tls_step_set_message (step, bytes, root);
  tls_step_set_wire (step, wire, wire_fields, encrypted);
  step->wire_offset = offset;
  return step;
}

void
cap_ccs_step (CapBuild *b, int dir, GBytes *plain, GBytes *wire, TlsField *fields, gboolean enc, gint64 off)
{
  TlsField *root = tls_field_new ("ChangeCipherSpec", 0, g_bytes_get_size (plain));
  TlsField *f = tls_field_add (root, "type", 0, 1);
  TlsStep *step;

  tls_field_set_value (f, "change_cipher_spec (1)");
  step = cap_record_step (b, TLS_STEP_MESSAGE, dir, "ChangeCipherSpec", TLS_CONTENT_CHANGE_CIPHER_SPEC,
                      plain, root, wire, fields, enc, off);
  if (b->t13 != NULL)
    {
      tls_step_explain (step, "RFC 8446, D.4; RFC 8446, 5",
                        _("In TLS 1.3 this record changes nothing: it is the middlebox "
                          "compatibility mode, which makes the handshake look like a TLS 1.2 "
                          "session resumption to boxes on the path. The server sends it right "
                          "after its first handshake message, the client before its second "
                          "flight; the peer drops it unread. The keys change with the key "
                          "schedule, not with this record."));
      tls_trace_commit (b->trace, step);
      return;
    }
  tls_step_explain (step, "RFC 5246, 7.1; RFC 5246, 6.1",
                    _("ChangeCipherSpec is a record type of its own: every record this side "
                      "sends after it is protected with the keys of the key block, and the "
                      "record sequence number starts again at 0."));
  tls_trace_commit (b->trace, step);
  b->ccs[dir] = TRUE;
  if (b->have_kb)
    b->prot[dir] = tls_protection_new_from_key_block (b->suite, b->version, &b->kb, dir == 0, b->etm);
}

void
cap_alert_step (CapBuild *b, int dir, GBytes *plain, GBytes *wire, TlsField *fields, gboolean enc, gint64 off)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (plain, &n);
  TlsField *root = tls_field_new ("Alert", 0, n);
  TlsReader r;
  TlsAlertMsg m = { 0 };
  g_autofree char *title = NULL;
  TlsStep *step;

  tls_reader_init (&r, d, n, root);
  tls_alert_msg_parse (&r, &m);
  title = g_strdup_printf ("Alert: %s", n >= 2 ? tls_alert_name (d[1]) : "?");
  step = cap_record_step (b, TLS_STEP_ALERT, dir, title, TLS_CONTENT_ALERT, plain, root, wire,
                      fields, enc, off);
  if (n >= 2)
    {
      step->alert_level = d[0];
      step->alert_description = d[1];
      if (d[1] != TLS_ALERT_CLOSE_NOTIFY)
        cap_set_result (b, "alert: %s (sent by the %s)", tls_alert_name (d[1]), cap_side_name (dir));
    }
  tls_step_set_reason (step, _("sent by the %s"), cap_side_name (dir));
  tls_step_explain (step, b->t13 ? "RFC 8446, 6" : "RFC 5246, 7.2",
                    n >= 2 && d[1] == TLS_ALERT_CLOSE_NOTIFY
                    ? _("close_notify: this side will send no more data on this connection.")
                    : _("An alert names what its sender found wrong; a fatal one ends the connection."));
  tls_trace_commit (b->trace, step);
}

void
cap_appdata_step (CapBuild *b, int dir, GBytes *plain, GBytes *wire, TlsField *fields, gint64 off)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (plain, &n);
  TlsField *root = tls_field_new ("application_data", 0, n);
  gboolean text = TRUE;
  TlsStep *step;

  for (gsize i = 0; i < n && text; i++)
    text = g_ascii_isprint (d[i]) || d[i] == '\r' || d[i] == '\n' || d[i] == '\t';
  if (text && n > 0)
    {
      g_autofree char *s = g_strndup ((const char *) d, MIN (n, 200));
      tls_field_set_value (root, "%s", s);
    }
  step = cap_record_step (b, TLS_STEP_APPDATA, dir, "Application Data", TLS_CONTENT_APPLICATION_DATA,
                      plain, root, wire, fields, TRUE, off);
  if (b->t13 != NULL)
    tls_step_explain (step, "RFC 8446, 5.2; RFC 8446, 7.3",
                      _("Application data, decrypted here with the write key and IV made from "
                        "the sender's application traffic secret; on the wire it is only "
                        "ciphertext in a record of type application_data."));
  else
    tls_step_explain (step, "RFC 5246, 10",
                      _("Application data, decrypted here with the keys of the key block; on the "
                        "wire it is only ciphertext."));
  tls_trace_commit (b->trace, step);
}
