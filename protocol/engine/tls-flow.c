/* tls-flow.c — what our client and server share: the record input and
 * output, handshake reassembly, alerts, the key schedule calls, signatures,
 * the peer's chain, application data, and the runner of the flow tables. */
#include <glib/gi18n-lib.h>
#include "tls-flow.h"
#include "tls-handshake.h"
#include "tls13-hello-fields.h"
#include "tls-x509.h"
#include "tls-cert-fields.h"

#include <string.h>

/* A handshake message longer than this is refused (decode_error) rather
 * than buffered: a peer cannot make us hold unbounded memory. */
#define TLS_MAX_HANDSHAKE_MESSAGE (256 * 1024)

/* The longest body the syntax allows a hello, every vector at its ceiling
 * (RFC 5246, 7.4.1.2 and 7.4.1.3; RFC 8446, 4.1.2 and 4.1.3):
 *   ClientHello: version 2, random 32, session_id<0..32> 1 + 32,
 *     cipher_suites<2..2^16-2> 2 + 65534, compression_methods<1..2^8-1>
 *     1 + 255, extensions<..2^16-1> 2 + 65535: 131396 bytes;
 *   ServerHello (and HelloRetryRequest): version 2, random 32, session_id
 *     1 + 32, cipher_suite 2, compression_method 1, extensions 2 + 65535:
 *     65607 bytes.
 * A longer length "cannot be parsed according to the syntax (e.g., ...
 * contain an out-of-range length)": decode_error (RFC 8446, 6). */
#define TLS_MAX_CLIENT_HELLO 131396
#define TLS_MAX_SERVER_HELLO 65607

/* Whether a handshake header announcing BODY_LEN bytes of TYPE is refused
 * at once; the reason goes to the endpoint. */
static gboolean
hs_length_refused (TlsEndpoint *ep, guint8 type, guint32 body_len)
{
  guint32 syntax_max = type == TLS_HS_CLIENT_HELLO ? TLS_MAX_CLIENT_HELLO
                       : type == TLS_HS_SERVER_HELLO ? TLS_MAX_SERVER_HELLO : 0;

  if (syntax_max != 0 && body_len > syntax_max)
    tls_ep_fail (ep, TLS_ALERT_DECODE_ERROR,
                 _("the %s header announces %u bytes, more than the %u its structure can hold "
                   "with every vector at its longest (RFC 5246, 7.4.1.2 and 7.4.1.3; RFC 8446, "
                   "4.1.2 and 4.1.3): a length out of range, which is a decode_error (RFC 5246, "
                   "7.2.2; RFC 8446, 6)"),
                 tls_handshake_type_name (type), body_len, syntax_max);
  else if (body_len > TLS_MAX_HANDSHAKE_MESSAGE)
    tls_ep_fail (ep, TLS_ALERT_DECODE_ERROR,
                 _("a handshake message claims %u bytes, more than the %u this "
                   "implementation accepts"), body_len, TLS_MAX_HANDSHAKE_MESSAGE);
  else
    return FALSE;
  return TRUE;
}

void
tls_unit_free (TlsUnit *u)
{
  if (u == NULL)
    return;
  g_clear_pointer (&u->data, g_bytes_unref);
  g_clear_pointer (&u->wire, g_bytes_unref);
  tls_field_free (u->wire_fields);
  g_free (u);
}

void
tls_hs_record_free (TlsHsRecord *r)
{
  g_bytes_unref (r->wire);
  tls_field_free (r->fields);
  g_free (r);
}

/* ------------------------------------------------------------------ */
/* Steps                                                               */

TlsStep *
tls_ep_add_step (TlsEndpoint *ep, TlsStepKind kind, TlsActor actor, const char *title)
{
  return tls_trace_add (ep->trace, kind, actor, title);
}

void
tls_ep_commit (TlsEndpoint *ep, TlsStep *step)
{
  tls_trace_commit (ep->trace, step);
}

void
tls_ep_group_under_message (TlsEndpoint *ep, TlsStep *step, const char *title)
{
  for (guint i = step->index; i > 0; i--)
    {
      const TlsStep *s = tls_trace_get (ep->trace, i - 1);

      if (s->connection != step->connection)
        break;
      if (s->kind == TLS_STEP_MESSAGE && g_strcmp0 (s->title, title) == 0)
        {
          tls_trace_group (ep->trace, step, (int) s->index);
          return;
        }
    }
  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
}

TlsActor
tls_ep_peer (const TlsEndpoint *ep)
{
  return ep->role == TLS_ACTOR_CLIENT ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT;
}

void
tls_ep_fail (TlsEndpoint *ep, int alert, const char *format, ...)
{
  va_list ap;

  if (ep->alert != 0 || ep->status == TLS_EP_FAILED)
    return;
  ep->alert = alert;
  ep->alert_sent = TRUE;
  ep->alert_pending = TRUE;
  va_start (ap, format);
  ep->reason = g_strdup_vprintf (format, ap);
  va_end (ap);
  ep->status = TLS_EP_FAILED;
}

/* Where ALERT is defined: RFC 5246, 7.2.2 for its own, the later RFCs for
 * the alerts they added (data/citations.tsv). */
static const char *
alert_rfc (int alert)
{
  switch (alert)
    {
    case TLS_ALERT_INAPPROPRIATE_FALLBACK:
      return "RFC 7507, 2; RFC 5246, 7.2.2";   /* "inappropriate_fallback(86)" */
    case TLS_ALERT_UNRECOGNIZED_NAME:
      return "RFC 6066, 3; RFC 5246, 7.2.2";   /* "unrecognized_name(112)" */
    default:
      return "RFC 5246, 7.2.2";
    }
}

/* Seals BYTES of CONTENT_TYPE into records (at most 2^14 bytes each) and
 * appends them to the output; WIRE gets a copy and ROOT their annotation. */
/* Whether our records of CONTENT_TYPE leave protected. */
static gboolean
writes_protected (const TlsEndpoint *ep, guint8 content_type)
{
  if (ep->t13 != NULL)
    return ep->t13->write != NULL && content_type != TLS_CONTENT_CHANGE_CIPHER_SPEC;
  return ep->write_prot != NULL;
}

/* RFC 8446, 5.1: the version field of a TLS 1.3 endpoint's plaintext
 * records (from the child FIRST of ROOT on). */
static void
describe_legacy_record_version (TlsField *root, guint first)
{
  for (guint i = first; i < tls_field_n_children (root); i++)
    {
      TlsField *v = tls_field_find (tls_field_child (root, i), "version");

      if (v != NULL)
        tls_field_set_desc (v, _("legacy_record_version: 0x0303 in every record of TLS 1.3 "
                                 "but an initial ClientHello, where 0x0301 is allowed for "
                                 "compatibility; the receiver ignores it (RFC 8446, 5.1)."));
    }
}

static GBytes *
seal_records (TlsEndpoint *ep, guint8 content_type, const guint8 *data, gsize len,
              TlsField **root)
{
  GByteArray *wire = g_byte_array_new ();
  gsize off = 0;

  *root = tls_trace_field_root (ep->trace, "records", 0, 0);
  do
    {
      gsize n = MIN (len - off, TLS_MAX_FRAGMENT);
      /* TLS 1.3 (RFC 8446, 5.2) once its keys are in force; its
       * ChangeCipherSpec is always plaintext (RFC 8446, 5 and D.4). */
      if (ep->t13 != NULL && ep->t13->write != NULL
          && content_type != TLS_CONTENT_CHANGE_CIPHER_SPEC)
        tls13_record_seal (ep->t13->write, content_type, data + off, n, 0, wire, *root);
      else
        {
          guint first = tls_field_n_children (*root);

          tls_record_seal (ep->write_prot, content_type, ep->record_version,
                           data + off, n, ep->cfg.rng, wire, *root);
          if (ep->t13 != NULL)
            describe_legacy_record_version (*root, first);
        }
      off += n;
    }
  while (off < len);
  if (*root != NULL)
    (*root)->length = wire->len;
  g_byte_array_append (ep->out, wire->data, wire->len);
  ep->last_wire_offset = ep->bytes_sent;
  ep->bytes_sent += wire->len;
  return g_byte_array_free_to_bytes (wire);
}

TlsStep *
tls_ep_send_handshake (TlsEndpoint *ep, GBytes *msg, TlsField *root)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (msg, &len);
  TlsField *wire_root;
  g_autoptr (GBytes) wire = NULL;
  TlsStep *step;

  tls_transcript_append (ep->transcript, data, len);
  wire = seal_records (ep, TLS_CONTENT_HANDSHAKE, data, len, &wire_root);
  step = tls_ep_add_step (ep, TLS_STEP_MESSAGE, ep->role, tls_handshake_type_name (data[0]));
  step->content_type = TLS_CONTENT_HANDSHAKE;
  step->handshake_type = data[0];
  if (root != NULL)
    root->length = len;
  if (data[0] == TLS_HS_CERTIFICATE && ep->t13 == NULL)   /* the TLS 1.2 layout */
    tls_certificate_msg_dissect_known (root, msg, ep->cfg.chain);
  tls13_hello_fields_describe (root, msg);
  tls_step_set_message (step, msg, root);
  tls_step_set_wire (step, wire, wire_root, writes_protected (ep, step->content_type));
  step->wire_offset = ep->last_wire_offset;
  return step;
}

TlsStep *
tls_ep_send_message (TlsEndpoint *ep, guint8 type, const char *name,
                     TlsWriteFunc write, gconstpointer msg)
{
  TlsField *root = tls_trace_field_root (ep->trace, name, 0, 0);
  TlsWriter w;
  TlsWriterMark m;
  g_autoptr (GBytes) bytes = NULL;

  tls_writer_init (&w, root);
  tls_handshake_begin (&w, type, &m);
  write (&w, msg);
  tls_handshake_end (&w, &m);
  bytes = tls_writer_steal (&w);
  return tls_ep_send_handshake (ep, bytes, root);
}

TlsStep *
tls_ep_send_ccs (TlsEndpoint *ep)
{
  static const guint8 one = 1;
  TlsField *root = tls_trace_field_root (ep->trace, "ChangeCipherSpec", 0, 1);
  TlsField *f = tls_field_add (root, "type", 0, 1);
  TlsField *wire_root;
  g_autoptr (GBytes) wire = NULL;
  g_autoptr (GBytes) bytes = g_bytes_new (&one, 1);
  TlsStep *step;

  /* struct { enum { change_cipher_spec(1), (255) } type; } ChangeCipherSpec;
   * (RFC 5246, 7.1) — sent under the current (old) write state. */
  tls_field_set_value (f, "change_cipher_spec (1)");
  if (ep->t13 != NULL)   /* RFC 8446, D.4 and 5: a dummy, dropped unread */
    tls_field_set_desc (f, _("The only value there is. In TLS 1.3 it switches no keys: the "
                             "record is there for middleboxes, and the peer drops it "
                             "(RFC 8446, 5)."));
  else
    tls_field_set_desc (f, _("The only value there is: switch to the pending keys now"));
  wire = seal_records (ep, TLS_CONTENT_CHANGE_CIPHER_SPEC, &one, 1, &wire_root);
  step = tls_ep_add_step (ep, TLS_STEP_MESSAGE, ep->role, "ChangeCipherSpec");
  step->content_type = TLS_CONTENT_CHANGE_CIPHER_SPEC;
  tls_step_set_message (step, bytes, root);
  tls_step_set_wire (step, wire, wire_root, writes_protected (ep, step->content_type));
  step->wire_offset = ep->last_wire_offset;
  tls_step_explain (step, "RFC 5246, 7.1; RFC 5246, 6.1",
                    _("ChangeCipherSpec is not a handshake message but a record type of its own. "
                      "It tells the peer that every record from this side that follows is protected "
                      "with the keys just derived (the pending write state becomes current), and "
                      "the record sequence number starts again at 0."));
  /* The pending write state becomes the current one. */
  tls_protection_free (ep->write_prot);
  ep->write_prot = g_steal_pointer (&ep->pending_write);
  return step;
}

/* The answer to the peer's close_notify goes under that close_notify in
 * the lesson view: one exchange, one lesson step. */
static void
group_under_peer_close (TlsEndpoint *ep, TlsStep *step)
{
  for (guint i = step->index; i > 0; i--)
    {
      const TlsStep *s = tls_trace_get (ep->trace, i - 1);

      if (s->connection != step->connection)
        return;
      if (s->kind == TLS_STEP_ALERT && s->actor == tls_ep_peer (ep)
          && s->alert_description == TLS_ALERT_CLOSE_NOTIFY)
        {
          tls_trace_group (ep->trace, step, (int) s->index);
          return;
        }
    }
}

void
tls_ep_send_alert (TlsEndpoint *ep)
{
  guint8 body[2] = { TLS_ALERT_LEVEL_FATAL, (guint8) ep->alert };
  TlsField *root, *f, *wire_root;
  g_autoptr (GBytes) wire = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *title = NULL;
  TlsStep *step;

  if (ep->alert == TLS_ALERT_CLOSE_NOTIFY || ep->alert == TLS_ALERT_NO_RENEGOTIATION)
    body[0] = TLS_ALERT_LEVEL_WARNING;
  root = tls_field_new ("Alert", 0, 2);
  f = tls_field_add (root, "level", 0, 1);
  tls_field_set_value (f, body[0] == TLS_ALERT_LEVEL_FATAL ? "fatal (2)" : "warning (1)");
  f = tls_field_add (root, "description", 1, 1);
  tls_field_set_value (f, "%s (%u)", tls_alert_name (ep->alert), ep->alert);
  bytes = g_bytes_new (body, 2);
  wire = seal_records (ep, TLS_CONTENT_ALERT, body, 2, &wire_root);
  title = g_strdup_printf ("Alert: %s", tls_alert_name (ep->alert));
  step = tls_ep_add_step (ep, TLS_STEP_ALERT, ep->role, title);
  step->content_type = TLS_CONTENT_ALERT;
  step->alert_level = body[0];
  step->alert_description = (guint8) ep->alert;
  tls_step_set_message (step, bytes, root);
  tls_step_set_wire (step, wire, wire_root, writes_protected (ep, step->content_type));
  step->wire_offset = ep->last_wire_offset;
  tls_step_set_reason (step, "%s", ep->reason ? ep->reason : "");
  if (ep->alert == TLS_ALERT_CLOSE_NOTIFY && ep->close_answer)
    group_under_peer_close (ep, step);
  if (ep->alert == TLS_ALERT_CLOSE_NOTIFY && ep->close_answer && ep->t13 == NULL)
    tls_step_explain (step, "RFC 5246, 7.2.1",
                      _("The peer closed the connection with close_notify. Before TLS 1.3 the "
                        "other party \"MUST respond with a close_notify alert of its own and "
                        "close down the connection immediately, discarding any pending "
                        "writes\": this side answers and closes."));
  else if (ep->alert == TLS_ALERT_CLOSE_NOTIFY && ep->close_answer)
    tls_step_explain (step, "RFC 8446, 6.1",
                      _("The peer closed its side of the connection with close_notify. In TLS "
                        "1.3 that closes one direction only: this side could still send, and is "
                        "not required to answer at once. It has nothing more to send, so it "
                        "closes its write side too, and each party must send a close_notify "
                        "alert before it closes its write side."));
  else if (ep->alert == TLS_ALERT_CLOSE_NOTIFY)
    tls_step_explain (step, ep->t13 != NULL ? "RFC 8446, 6.1" : "RFC 5246, 7.2.1",
                      _("close_notify tells the peer that this side will send no more data. "
                        "It is protected like any other record, so an attacker cannot fake it "
                        "to cut the connection short unnoticed."));
  else if (ep->alert == TLS_ALERT_NO_RENEGOTIATION)
    tls_step_explain (step, "RFC 5246, 7.2.2",
                      _("The peer asked for a new handshake on this connection. This side does not "
                        "renegotiate, so it answers with no_renegotiation, which RFC 5246 says "
                        "\"is always a warning\": the connection and its keys stay as they are, "
                        "and the peer can decide whether to proceed with the connection."));
  else if (ep->t13 != NULL)
    tls_step_explain (step, "RFC 8446, 6; RFC 8446, 6.2",
                      _("An error alert ends the connection at once: in TLS 1.3 every error alert "
                        "is fatal, whatever its level field says, and both sides must forget the "
                        "secrets and keys of the failed connection. The alert names what went "
                        "wrong so the peer (and this trace) can tell why."));
  else
    tls_step_explain (step, alert_rfc (ep->alert),
                      _("A fatal alert ends the connection at once: both sides forget the keys, "
                        "and a session of a failed handshake is never resumed. The alert names "
                        "what went wrong so the peer (and this trace) can tell why."));
  ep->alert_pending = FALSE;
  tls_ep_commit (ep, step);
}

/* ------------------------------------------------------------------ */
/* Receiving                                                           */

static TlsField *
annotate_record (TlsEndpoint *ep, const guint8 *rec, gsize len)
{
  TlsField *root = tls_trace_field_root (ep->trace, "records", 0, len);
  tls_record_annotate (ep->read_prot, root, 0, rec, len);
  return root;
}

static void
append_record_fields (TlsField *dst, TlsField *src, gsize offset)
{
  for (guint i = 0; i < tls_field_n_children (src); i++)
    {
      TlsField *c = tls_field_copy (tls_field_child (src, i));
      tls_field_shift (c, (gssize) offset);
      c->parent = dst;
      if (dst->children == NULL)
        dst->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_field_free);
      g_ptr_array_add (dst->children, c);
    }
}

/* Takes whole handshake messages out of the handshake stream. */
static void
split_handshake (TlsEndpoint *ep)
{
  guint8 type;
  guint32 body_len;

  for (;;)
    {
      gsize start = ep->hs_consumed, end;
      GByteArray *wire;
      TlsUnit *u;

      if (ep->hs_stream->len >= 4)
        {
          type = ep->hs_stream->data[0];
          /* The next message's header is in: its type is checked against
           * the state before its length or body (RFC 5246, 7.4: "Sending
           * handshake messages in an order other than that specified
           * results in a fatal error"), as OpenSSL does: a Finished sent
           * before ChangeCipherSpec is still encrypted, and its bytes read
           * as a header name a type and a length at random. */
          if (g_queue_is_empty (ep->units) && ep->hs_expect != TLS_EP_EXPECT_ANY
              && (ep->hs_expect < 0 || type != ep->hs_expect))
            {
              tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                           _("expected %s, but %s arrived (handshake type %u, read from the "
                             "message's 4-byte header)"),
                           ep->hs_expect < 0 ? "ChangeCipherSpec"
                                             : tls_handshake_type_name ((guint8) ep->hs_expect),
                           tls_handshake_type_name (type), type);
              return;
            }
          body_len = (guint32) ep->hs_stream->data[1] << 16 | ep->hs_stream->data[2] << 8
                     | ep->hs_stream->data[3];
          if (hs_length_refused (ep, type, body_len))
            return;
        }
      if (!tls_handshake_peek (ep->hs_stream->data, ep->hs_stream->len, &type, &body_len))
        return;
      end = start + 4 + body_len;
      u = g_new0 (TlsUnit, 1);
      u->content_type = TLS_CONTENT_HANDSHAKE;
      u->data = g_bytes_new (ep->hs_stream->data, 4 + body_len);
      wire = g_byte_array_new ();
      u->wire_fields = tls_trace_field_root (ep->trace, "records", 0, 0);
      u->wire_offset = -1;
      u->bare = ep->trace->bare;
      for (guint i = 0; i < ep->hs_records->len; i++)
        {
          TlsHsRecord *r = g_ptr_array_index (ep->hs_records, i);
          gsize rl;
          const guint8 *rd;

          if (r->hs_end <= start || r->hs_start >= end)
            continue;
          rd = g_bytes_get_data (r->wire, &rl);
          if (u->wire_offset < 0)
            u->wire_offset = r->stream_offset;
          if (u->wire_fields != NULL)
            append_record_fields (u->wire_fields, r->fields, wire->len);
          g_byte_array_append (wire, rd, rl);
          u->encrypted |= r->encrypted;
        }
      if (u->wire_fields != NULL)
        u->wire_fields->length = wire->len;
      u->wire = g_byte_array_free_to_bytes (wire);
      g_queue_push_tail (ep->units, u);
      g_byte_array_remove_range (ep->hs_stream, 0, 4 + body_len);
      ep->hs_consumed = end;
      /* Records wholly consumed are no longer needed. */
      while (ep->hs_records->len > 0
             && ((TlsHsRecord *) g_ptr_array_index (ep->hs_records, 0))->hs_end <= end)
        g_ptr_array_remove_index (ep->hs_records, 0);
    }
}

/* Whether DATA starts like HTTP from the peer of ROLE: a response for a
 * client, a request for a server (no record starts with these bytes: the
 * content types are 20 to 23). */
static gboolean
looks_like_http (const guint8 *data, gsize len, TlsActor role)
{
  static const char *const methods[] = { "GET ", "POST", "HEAD", "PUT ", "DELE", "OPTI",
                                         "CONN", "PATC", "TRAC", NULL };

  /* A response: a status line, or (HTTP/0.9-style error pages, as
   * Python's http.server sends to a request it cannot read) bare HTML. */
  if (role == TLS_ACTOR_CLIENT)
    return len >= 4 && (memcmp (data, "HTTP", 4) == 0 || g_ascii_strncasecmp ((const char *) data, "<!do", 4) == 0
                        || g_ascii_strncasecmp ((const char *) data, "<htm", 4) == 0);
  for (guint i = 0; methods[i]; i++)
    if (memcmp (data, methods[i], 4) == 0)
      return TRUE;
  return FALSE;
}

/* A received record whose MAC or AEAD tag does not match: a check step of
 * its own, the computed and the received value side by side; the
 * bad_record_mac alert follows. */
static void
record_check_step (TlsEndpoint *ep, guint8 type, GBytes *wire, const TlsField *fields,
                   const TlsRecordCheck *check, gint64 stream_offset)
{
  gboolean tag = g_str_equal (check->what, "tag");
  g_autofree char *title = g_strdup_printf ("Record %s", check->what);
  /* value names stay English in the trace, shown translated (tls_value_name_label) */
  const char *computed = tag ? N_("computed tag") : N_("computed MAC");
  const char *received = tag ? N_("received tag") : N_("received MAC");
  const char *rfc, *cause;
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, title);

  tls_trace_group (ep->trace, step, TLS_PARENT_NONE);   /* a failed record: a step of its own */
  step->content_type = type;
  tls_step_set_wire (step, wire, fields ? tls_field_copy (fields) : NULL, TRUE);
  step->wire_offset = stream_offset;
  step->subject = g_strdup_printf (_("the %s carried by a protected %s record from the peer"),
                                   _(check->what), tls_content_type_name (type));
  step->against = g_strdup_printf (_("the %s computed here with the peer's write keys and the "
                                     "record's sequence number"), _(check->what));
  tls_trace_value_set_compare (tls_step_add_input (step, received, check->received, check->len, -1,
                                                   _("from the record")),
                               computed);
  tls_step_add_input (step, computed, check->computed, check->len, -1,
                      ep->t13 != NULL
                      ? _("computed here over the record with the peer's traffic key and IV")
                      : _("computed here over the record with the keys of the key block"));
  step->result = TLS_CHECK_FAILED;
  tls_step_set_reason (step, _("they differ: the record was changed on its way, or the two sides "
                               "do not hold the same keys"));
  /* Why they differ in this run: say only what happened (a fault of the
   * scenario), else both possible causes. */
  if (g_strcmp0 (ep->cfg.tamper, "client-flip-finished") == 0)
    cause = _("In this run one bit of the record was flipped on its way (a fault injected on "
              "purpose).");
  else if (g_strcmp0 (ep->cfg.tamper, "client-bad-pms-version") == 0)
    cause = _("In this run nothing changed the record: the server carried on with a pre-master "
              "secret the client does not have, so the two sides derived different keys and no "
              "record of the peer can pass this check.");
  else
    cause = _("Either the record was changed on its way, or the two sides do not hold the same "
              "keys.");
  if (tag && ep->t13 != NULL)
    {
      rfc = "RFC 8446, 5.2; RFC 8446, 6.2";
      tls_step_explain (step, rfc, "%s %s",
                        _("The record's AEAD decryption checks its authentication tag over the "
                          "ciphertext and the record header, with a nonce made from the "
                          "sequence number: \"If the decryption fails, the receiver MUST "
                          "terminate the connection with a \"bad_record_mac\" alert.\""), cause);
    }
  else if (tag)
    {
      rfc = "RFC 5246, 6.2.3.3; RFC 5246, 7.2.2";
      tls_step_explain (step, rfc, "%s %s",
                        _("An AEAD cipher decrypts and checks the record's authentication tag in "
                          "one operation: \"If the decryption fails, a fatal bad_record_mac alert "
                          "MUST be generated.\""), cause);
    }
  else if (ep->etm)
    {
      rfc = "RFC 7366, 3; RFC 5246, 7.2.2";
      tls_step_explain (step, rfc, "%s %s",
                        _("With encrypt-then-MAC the MAC covers the ciphertext and is checked "
                          "before anything is decrypted; a MAC that does not match ends the "
                          "connection with bad_record_mac."), cause);
    }
  else
    {
      rfc = tls_cipher_info (ep->suite->cipher)->type == TLS_CIPHER_TYPE_STREAM
            ? "RFC 5246, 6.2.3.1; RFC 5246, 7.2.2" : "RFC 5246, 6.2.3.2; RFC 5246, 7.2.2";
      tls_step_explain (step, rfc, "%s %s",
                        _("The record is decrypted and its MAC computed over the sequence number, "
                          "the header and the content, then compared with the MAC the record "
                          "carries. bad_record_mac: \"This alert is returned if a record is "
                          "received with an incorrect MAC.\""), cause);
    }
  tls_ep_commit (ep, step);
}

/* Takes one record from the input, if a whole one is there. */
static gboolean
read_record (TlsEndpoint *ep)
{
  guint8 type;
  guint16 version, len;
  g_autoptr (GByteArray) plain = NULL;
  g_autoptr (GBytes) wire = NULL;
  gsize rec_len;
  int alert;
  gboolean encrypted = ep->read_prot != NULL;
  TlsField *fields = NULL;
  gint64 stream_offset;
  TlsRecordCheck check = { 0 };

  /* A peer that speaks plain HTTP: its first bytes are a request line
   * ("GET ") or a status line ("HTTP/"), not a record header. */
  if (ep->bytes_taken == 0 && ep->in->len >= 4 && looks_like_http (ep->in->data, ep->in->len, ep->role))
    {
      tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                   ep->role == TLS_ACTOR_CLIENT
                   ? _("this looks like HTTP, not TLS: the server answered with a plain HTTP "
                       "response. Did you mean the TLS port?")
                   : _("this looks like HTTP, not TLS: the client sent a plain HTTP request. Did "
                       "it mean https:// or the TLS port?"));
      return FALSE;
    }
  if (!tls_record_parse_header (ep->in->data, ep->in->len, &type, &version, &len))
    return FALSE;
  if (type < TLS_CONTENT_CHANGE_CIPHER_SPEC || type > TLS_CONTENT_APPLICATION_DATA)
    {
      /* RFC 5246, 6: "If a TLS implementation receives an unexpected record
       * type, it MUST send an unexpected_message alert." */
      tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                   _("a record of unknown content type %u arrived"), type);
      return FALSE;
    }
  if ((version >> 8) != 3)
    {
      tls_ep_fail (ep, TLS_ALERT_PROTOCOL_VERSION,
                   _("a record header carries version 0x%04x, which is not TLS"), version);
      return FALSE;
    }
  if (len > TLS_MAX_CIPHERTEXT)
    {
      tls_ep_fail (ep, TLS_ALERT_RECORD_OVERFLOW,
                   _("a record of %u bytes arrived; at most 2^14 + 2048 are allowed"), len);
      return FALSE;
    }
  rec_len = TLS_RECORD_HEADER_LEN + (gsize) len;
  if (ep->in->len < rec_len)
    return FALSE;
  /* A TLS 1.3 server that answered early data with a HelloRetryRequest
   * "ignores early data by skipping all records with an external content
   * type of "application_data" ..., up to the configured
   * max_early_data_size" (RFC 8446, 4.2.10): it has no keys yet. */
  if (ep->t13 != NULL && ep->t13->early_skip_left >= len && ep->t13->read == NULL
      && type == TLS_CONTENT_APPLICATION_DATA)
    {
      ep->t13->early_skip_left -= len;
      ep->t13->early_skipped += len;
      ep->t13->early_skipped_records++;
      ep->bytes_taken += rec_len;
      g_byte_array_remove_range (ep->in, 0, rec_len);
      return TRUE;
    }

  /* TLS 1.3 once the peer's records are protected: the outer type of a
   * protected record "is always set to the value 23 (application_data)"
   * (RFC 8446, 5.2), and only a plaintext change_cipher_spec may still
   * come (5, dropped by tls13_expect).  A plaintext alert or handshake
   * record is an unexpected record type: "it MUST terminate the
   * connection with an "unexpected_message" alert" (5). */
  if (ep->t13 != NULL && ep->t13->read != NULL && type != TLS_CONTENT_APPLICATION_DATA
      && type != TLS_CONTENT_CHANGE_CIPHER_SPEC)
    {
      const guint8 *body = ep->in->data + TLS_RECORD_HEADER_LEN;

      if (type == TLS_CONTENT_ALERT && len == 2)
        tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                     _("a plaintext alert record (%s) arrived after TLS 1.3 record protection "
                       "had started: from then on every record is protected, with the outer "
                       "type application_data"),
                     tls_alert_name (body[1]));
      else
        tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                     _("a plaintext %s record arrived after TLS 1.3 record protection had "
                       "started: from then on every record is protected, with the outer type "
                       "application_data"),
                     tls_content_type_name (type));
      return FALSE;
    }

  wire = g_bytes_new (ep->in->data, rec_len);
  stream_offset = ep->bytes_taken;
  ep->bytes_taken += rec_len;
  /* Annotated before opening: the layout depends on the keys in force. */
  plain = g_byte_array_new ();
  if (ep->t13 != NULL && ep->t13->read != NULL && type == TLS_CONTENT_APPLICATION_DATA)
    {
      /* TLS 1.3 (RFC 8446, 5.2): the outer type is application_data, the
       * real one is inside TLSInnerPlaintext.  A ChangeCipherSpec stays
       * plaintext (RFC 8446, 5); any other plaintext record was refused
       * above. */
      guint8 header[TLS_RECORD_HEADER_LEN];

      memcpy (header, ep->in->data, sizeof header);
      fields = tls_trace_field_root (ep->trace, "records", 0, rec_len);
      tls13_record_annotate (fields, 0, ep->in->data, rec_len);
      alert = tls13_record_open_checked (ep->t13->read, header,
                                         ep->in->data + TLS_RECORD_HEADER_LEN, len, &type, NULL,
                                         plain, &check);
      encrypted = TRUE;
    }
  else
    {
      fields = annotate_record (ep, ep->in->data, rec_len);
      alert = tls_record_open_checked (ep->read_prot, type, version,
                                       ep->in->data + TLS_RECORD_HEADER_LEN, len, plain, &check);
    }
  /* a 0-RTT record being skipped (below) is not a failed record */
  if (alert == TLS_ALERT_BAD_RECORD_MAC && check.what != NULL
      && !(encrypted && ep->t13 != NULL && ep->t13->early_skip_left >= len))
    record_check_step (ep, type, wire, fields, &check, stream_offset);
  g_byte_array_remove_range (ep->in, 0, rec_len);
  /* A TLS 1.3 server that refused 0-RTT data "skips past early data by
   * attempting to deprotect received records using the handshake traffic
   * key, discarding records which fail deprotection (up to the configured
   * max_early_data_size). Once a record is deprotected successfully, it is
   * treated as the start of the client's second flight" (RFC 8446,
   * 4.2.10; tls13-early-data.c shows what was skipped). */
  if (encrypted && ep->t13 != NULL && ep->t13->early_skip_left > 0)
    {
      if (alert == TLS_ALERT_BAD_RECORD_MAC && len <= ep->t13->early_skip_left)
        {
          ep->t13->early_skip_left -= len;
          ep->t13->early_skipped += len;
          ep->t13->early_skipped_records++;
          g_clear_pointer (&fields, tls_field_free);
          return TRUE;
        }
      ep->t13->early_skip_left = 0;
    }
  if (alert != 0 || (plain->len == 0 && type != TLS_CONTENT_APPLICATION_DATA)
      || (type != TLS_CONTENT_HANDSHAKE && ep->hs_stream->len > 0))
    g_clear_pointer (&fields, tls_field_free);
  if (alert != 0)
    {
      tls_ep_fail (ep, alert,
                   alert == TLS_ALERT_BAD_RECORD_MAC
                   ? _("a protected %s record did not decrypt and authenticate with the "
                       "negotiated keys (its MAC, tag or padding is wrong)")
                   : _("a %s record could not be opened"),
                   tls_content_type_name (type));
      return FALSE;
    }
  /* RFC 5246, 6.2.1: "Implementations MUST NOT send zero-length fragments
   * of Handshake, Alert, or ChangeCipherSpec content types." */
  if (plain->len == 0 && type != TLS_CONTENT_APPLICATION_DATA)
    {
      tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                   _("an empty %s record arrived"), tls_content_type_name (type));
      return FALSE;
    }
  if (type != TLS_CONTENT_HANDSHAKE && ep->hs_stream->len > 0)
    {
      tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                   _("a %s record arrived in the middle of a handshake message"),
                   tls_content_type_name (type));
      return FALSE;
    }

  if (type == TLS_CONTENT_HANDSHAKE)
    {
      TlsHsRecord *r = g_new0 (TlsHsRecord, 1);
      r->wire = g_bytes_ref (wire);
      r->hs_start = ep->hs_consumed + ep->hs_stream->len;
      r->hs_end = r->hs_start + plain->len;
      r->encrypted = encrypted;
      r->stream_offset = stream_offset;
      r->fields = fields;
      g_ptr_array_add (ep->hs_records, r);
      g_byte_array_append (ep->hs_stream, plain->data, plain->len);
      split_handshake (ep);
    }
  else
    {
      TlsUnit *u = g_new0 (TlsUnit, 1);

      u->content_type = type;
      u->data = g_byte_array_free_to_bytes (g_steal_pointer (&plain));
      u->wire = g_bytes_ref (wire);
      u->wire_fields = fields;
      u->wire_offset = stream_offset;
      u->encrypted = encrypted;
      u->bare = ep->trace->bare;
      g_queue_push_tail (ep->units, u);
    }
  return TRUE;
}

TlsUnit *
tls_ep_next_unit (TlsEndpoint *ep)
{
  while (g_queue_is_empty (ep->units) && ep->status != TLS_EP_FAILED)
    if (!read_record (ep))
      break;
  if (ep->status == TLS_EP_FAILED)
    return NULL;
  return g_queue_pop_head (ep->units);
}

/* A received alert: the connection ends (fatal) or is closed. */
static void
handle_alert (TlsEndpoint *ep, TlsUnit *u)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (u->data, &len);

  if (len != 2)
    {
      tls_ep_fail (ep, TLS_ALERT_DECODE_ERROR, _("an alert record of %zu bytes (an alert is 2)"), len);
      return;
    }
  if (ep->cfg.record_received)
    {
      g_autofree char *title = g_strdup_printf ("Alert: %s", tls_alert_name (d[1]));
      TlsField *root = tls_field_new ("Alert", 0, 2);
      TlsField *f;
      TlsStep *step = tls_ep_add_step (ep, TLS_STEP_ALERT, tls_ep_peer (ep), title);

      f = tls_field_add (root, "level", 0, 1);
      tls_field_set_value (f, d[0] == TLS_ALERT_LEVEL_FATAL ? "fatal (2)" : d[0] == 1 ? "warning (1)" : "unknown (%u)", d[0]);
      f = tls_field_add (root, "description", 1, 1);
      tls_field_set_value (f, "%s (%u)", tls_alert_name (d[1]), d[1]);
      step->observed = TRUE;
      step->content_type = TLS_CONTENT_ALERT;
      step->alert_level = d[0];
      step->alert_description = d[1];
      tls_step_set_message (step, u->data, root);
      tls_step_set_wire (step, u->wire, g_steal_pointer (&u->wire_fields), u->encrypted);
      step->wire_offset = u->wire_offset;
      tls_step_set_reason (step, _("sent by the peer"));
      if (d[0] == TLS_ALERT_LEVEL_WARNING && d[1] == TLS_ALERT_NO_RENEGOTIATION)
        tls_step_explain (step, "RFC 5246, 7.2.2",
                          _("The peer will not renegotiate. This alert \"is always a warning\": "
                            "the connection goes on under its current keys."));
      else if (ep->t13 != NULL)
        tls_step_explain (step, d[1] == TLS_ALERT_CLOSE_NOTIFY ? "RFC 8446, 6.1"
                                                               : "RFC 8446, 6; RFC 8446, 6.2",
                          d[1] == TLS_ALERT_CLOSE_NOTIFY
                          ? _("The peer closes the connection with close_notify.")
                          : _("The peer ended the connection with an alert; it names what it found wrong."));
      else
        tls_step_explain (step, "RFC 5246, 7.2",
                          d[1] == TLS_ALERT_CLOSE_NOTIFY
                          ? _("The peer closes the connection with close_notify.")
                          : _("The peer ended the connection with an alert; it names what it found wrong."));
      tls_ep_commit (ep, step);
    }
  /* RFC 5246, 7.2.2: after no_renegotiation "the original requester can
   * decide whether to proceed with the connection": we do. */
  if (d[0] == TLS_ALERT_LEVEL_WARNING && d[1] == TLS_ALERT_NO_RENEGOTIATION
      && ep->status == TLS_EP_DONE)
    return;
  /* The peer's close_notify after the handshake, before ours: we answer
   * with our own at the next step (tls_ep_step_connected), then close.
   * TLS 1.0-1.2 (RFC 5246, 7.2.1): "The other party MUST respond with a
   * close_notify alert of its own and close down the connection
   * immediately, discarding any pending writes."  TLS 1.3 (RFC 8446,
   * 6.1) drops that rule: a close_notify closes the peer's direction
   * only, and "Each party MUST send a "close_notify" alert before closing
   * its write side".  Our endpoints have nothing more to say once the
   * peer is done, so a TLS 1.3 endpoint closes its write side too: it
   * sends what it has queued (not discarded), then its close_notify. */
  if (d[1] == TLS_ALERT_CLOSE_NOTIFY && ep->status == TLS_EP_DONE && !ep->close_sent)
    {
      ep->close_queued = TRUE;
      ep->close_answer = TRUE;
      ep->alert = 0;
      return;
    }
  ep->alert = d[1];
  ep->alert_sent = FALSE;
  g_free (ep->reason);
  ep->reason = g_strdup_printf (_("the peer sent the alert %s"), tls_alert_name (d[1]));
  ep->status = d[1] == TLS_ALERT_CLOSE_NOTIFY ? TLS_EP_CLOSED : TLS_EP_FAILED;
}

TlsUnit *
tls_ep_expect (TlsEndpoint *ep, int type)
{
  TlsUnit *u;
  const char *want = type < 0 ? "ChangeCipherSpec" : tls_handshake_type_name ((guint8) type);

  ep->hs_expect = type;    /* split_handshake checks the next header against it */
  u = tls_ep_next_unit (ep);
  ep->hs_expect = TLS_EP_EXPECT_ANY;
  if (u == NULL)
    return NULL;
  if (u->content_type == TLS_CONTENT_ALERT)
    {
      handle_alert (ep, u);
      tls_unit_free (u);
      return NULL;
    }
  if (type < 0 && u->content_type == TLS_CONTENT_CHANGE_CIPHER_SPEC)
    {
      if (g_bytes_get_size (u->data) != 1 || ((const guint8 *) g_bytes_get_data (u->data, NULL))[0] != 1)
        {
          tls_ep_fail (ep, TLS_ALERT_DECODE_ERROR,
                       _("a ChangeCipherSpec must be the single byte 1"));
          tls_unit_free (u);
          return NULL;
        }
      return u;
    }
  if (type >= 0 && u->content_type == TLS_CONTENT_HANDSHAKE
      && ((const guint8 *) g_bytes_get_data (u->data, NULL))[0] == type)
    return u;

  /* RFC 5246, 7.4: "Sending handshake messages in an order other than
   * that specified results in a fatal error." — unexpected_message. */
  tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
               _("expected %s, but %s arrived"), want,
               u->content_type == TLS_CONTENT_HANDSHAKE
               ? tls_handshake_type_name (((const guint8 *) g_bytes_get_data (u->data, NULL))[0])
               : tls_content_type_name (u->content_type));
  tls_unit_free (u);
  return NULL;
}

TlsField *
tls_ep_message_root (TlsUnit *u)
{
  const guint8 *d = g_bytes_get_data (u->data, NULL);
  const char *name;

  if (u->bare)
    return NULL;
  name = u->content_type == TLS_CONTENT_HANDSHAKE ? tls_handshake_type_name (d[0])
                                                  : tls_content_type_name (u->content_type);
  return tls_field_new (name, 0, g_bytes_get_size (u->data));
}

TlsStep *
tls_ep_received_handshake (TlsEndpoint *ep, TlsUnit *u, TlsField *root,
                           const char *explanation, const char *rfc)
{
  return tls_ep_received_titled (ep, u, root, NULL, explanation, rfc);
}

TlsStep *
tls_ep_received_titled (TlsEndpoint *ep, TlsUnit *u, TlsField *root, const char *title,
                        const char *explanation, const char *rfc)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (u->data, &len);
  TlsStep *step;

  if (u->content_type == TLS_CONTENT_HANDSHAKE)
    tls_transcript_append (ep->transcript, d, len);
  if (!ep->cfg.record_received)
    {
      tls_field_free (root);
      return NULL;
    }
  if (title == NULL)
    title = u->content_type == TLS_CONTENT_HANDSHAKE ? tls_handshake_type_name (d[0])
                                                     : "ChangeCipherSpec";
  step = tls_ep_add_step (ep, TLS_STEP_MESSAGE, tls_ep_peer (ep), title);
  step->observed = TRUE;
  step->content_type = u->content_type;
  step->handshake_type = u->content_type == TLS_CONTENT_HANDSHAKE ? d[0] : 0;
  if (u->content_type == TLS_CONTENT_HANDSHAKE)
    tls13_hello_fields_describe (root, u->data);
  tls_step_set_message (step, u->data, root);
  tls_step_set_wire (step, u->wire, g_steal_pointer (&u->wire_fields), u->encrypted);
  step->wire_offset = u->wire_offset;
  tls_step_explain (step, rfc, "%s", explanation);
  tls_ep_commit (ep, step);
  return step;
}

/* ------------------------------------------------------------------ */
/* Key schedule                                                        */

void
tls_ep_derive_master (TlsEndpoint *ep)
{
  if (ep->ems)
    {
      guint8 hash[TLS_MAX_HASH_LEN];
      gsize hash_len;

      tls_transcript_hash_prefix (ep->transcript, ep->transcript_at_cke, ep->version,
                                  ep->suite->prf, hash, &hash_len);
      ep->master_step = tls_derive_extended_master_secret (ep->trace, ep->role, ep->version,
                                                           ep->suite->prf, ep->pms, ep->pms_len,
                                                           hash, hash_len, ep->pms_step,
                                                           ep->cke_step, ep->master);
    }
  else
    ep->master_step = tls_derive_master_secret (ep->trace, ep->role, ep->version,
                                                ep->suite->prf, ep->pms, ep->pms_len,
                                                ep->client_random, ep->server_random,
                                                ep->pms_step, ep->client_hello_step,
                                                ep->server_hello_step, ep->master);
  memset (ep->pms, 0, sizeof ep->pms);
}

void
tls_ep_derive_keys (TlsEndpoint *ep)
{
  gboolean client = ep->role == TLS_ACTOR_CLIENT;

  ep->keys_step = tls_derive_key_block (ep->trace, ep->role, ep->version, ep->suite,
                                        ep->master, ep->client_random, ep->server_random,
                                        ep->master_step, ep->client_hello_step,
                                        ep->server_hello_step, &ep->kb);
  tls_protection_free (ep->pending_write);
  tls_protection_free (ep->pending_read);
  ep->pending_write = tls_protection_new_from_key_block (ep->suite, ep->version, &ep->kb,
                                                         client, ep->etm);
  ep->pending_read = tls_protection_new_from_key_block (ep->suite, ep->version, &ep->kb,
                                                        !client, ep->etm);
}

void
tls_ep_verify_data (TlsEndpoint *ep, gboolean from_client, guint8 out[12], TlsTrace *trace)
{
  guint8 hash[TLS_MAX_HASH_LEN];
  gsize hash_len;

  tls_transcript_hash (ep->transcript, ep->version, ep->suite->prf, hash, &hash_len);
  tls_compute_verify_data (trace, ep->role, ep->version, ep->suite->prf, ep->master,
                           from_client, hash, hash_len, ep->master_step, out);
}

TlsStep *
tls_ep_send_finished (TlsEndpoint *ep)
{
  gboolean client = ep->role == TLS_ACTOR_CLIENT;
  guint8 verify[12];
  TlsWriter w;
  TlsWriterMark m;
  TlsField *root = tls_trace_field_root (ep->trace, "Finished", 0, 0);
  g_autoptr (GBytes) msg = NULL;
  TlsStep *step;
  gboolean tampered = client && g_strcmp0 (ep->cfg.tamper, "client-bad-verify-data") == 0;
  int vstep = tls_trace_len (ep->trace) - 1;   /* the verify_data derivation just made */

  memcpy (verify, ep->verify_data, sizeof verify);
  if (tampered)
    verify[0] ^= 0x01;
  tls_writer_init (&w, root);
  tls_handshake_begin (&w, TLS_HS_FINISHED, &m);
  /* struct { opaque verify_data[verify_data_length]; } Finished; (RFC 5246, 7.4.9) */
  tls_write_bytes (&w, "verify_data", verify, sizeof verify);
  tls_writer_describe (&w, _("PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]"));
  tls_handshake_end (&w, &m);
  msg = tls_writer_steal (&w);
  step = tls_ep_send_handshake (ep, msg, root);
  if (tampered)
    {
      tls_step_add_input (step, "computed verify_data", ep->verify_data, sizeof verify, vstep,
                          _("computed in the step before"));
      tls_trace_value_set_compare (tls_step_add_input (step, "verify_data sent", verify, sizeof verify,
                                                       -1, _("changed on purpose before sending")),
                                   "computed verify_data");
    }
  else
    tls_step_add_input (step, "verify_data", verify, sizeof verify, vstep,
                        _("computed in the step before"));
  tls_step_explain (step, "RFC 5246, 7.4.9",
                    tampered
                    ? _("FAULT INJECTED ON PURPOSE: the first byte of verify_data was changed "
                        "after it was computed, so the peer's check must fail. Finished is the "
                        "first message protected with the new keys. It proves that this side "
                        "saw the same handshake and holds the same master secret.")
                    : _("Finished is the first message protected with the new keys. Its "
                        "verify_data is a PRF over the master secret and the hash of every "
                        "handshake message so far, so it proves that this side saw the same "
                        "handshake and derived the same master secret. Nothing an attacker "
                        "changed on the way can survive this check."));
  if (client)
    tls_ep_flip_finished (ep, step);
  tls_ep_commit (ep, step);
  return step;
}

/* The scenario flipped-bit (tamper client-flip-finished): one bit of the
 * client's Finished record flipped after it was protected, as an attacker
 * on the wire could do; the trace shows the bytes really sent. */
void
tls_ep_flip_finished (TlsEndpoint *ep, TlsStep *step)
{
  gsize wl = g_bytes_get_size (step->wire);

  if (g_strcmp0 (ep->cfg.tamper, "client-flip-finished") != 0)
    return;
  ep->out->data[ep->out->len - 1] ^= 0x01;
  g_bytes_unref (step->wire);
  step->wire = g_bytes_new (ep->out->data + ep->out->len - wl, wl);
  g_free (step->explanation);
  step->explanation = g_strdup (_("FAULT INJECTED ON PURPOSE: after this Finished was "
                                  "encrypted, the last bit of the record was flipped on "
                                  "its way, as an attacker on the wire could do. The "
                                  "receiver's record layer must notice (bad_record_mac)."));
}

gboolean
tls_ep_check_finished (TlsEndpoint *ep, TlsUnit *u)
{
  gboolean from_client = ep->role == TLS_ACTOR_SERVER;
  g_autoptr (TlsField) root = tls_ep_message_root (u);
  TlsReader r, body;
  guint8 type;
  guint32 len;
  const guint8 *got = NULL;
  guint8 expected[12];
  gsize ulen;
  const guint8 *ud = g_bytes_get_data (u->data, &ulen);
  TlsStep *step;
  gboolean ok;
  int msg_step;

  tls_reader_init (&r, ud, ulen, root);
  if (tls_handshake_parse_header (&r, &type, &len, &body) != 0
      || !tls_read_bytes (&body, 12, "verify_data", &got)
      || !tls_reader_done (&body))
    {
      tls_ep_fail (ep, TLS_ALERT_DECODE_ERROR,
                   _("Finished must hold exactly 12 bytes of verify_data"));
      return FALSE;
    }
  tls_ep_verify_data (ep, from_client, expected, NULL);
  ok = memcmp (expected, got, 12) == 0;   /* public values by now */
  /* The received Finished goes into the transcript after the check (the
   * peer's Finished is hashed into ours, RFC 5246, 7.4.9). */
  msg_step = tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                                        _("The peer's Finished, the first message under the new keys."),
                                        "RFC 5246, 7.4.9") ? (int) tls_trace_len (ep->trace) - 1 : -1;

  step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role,
                          from_client ? "client Finished" : "server Finished");
  tls_ep_group_under_message (ep, step, "Finished");
  step->subject = g_strdup (_("verify_data received in Finished"));
  step->against = g_strdup (_("verify_data computed from our master secret and our transcript"));
  step->formula = g_strdup_printf ("PRF(master_secret, \"%s finished\", Hash(handshake_messages))[0..11]",
                                   from_client ? "client" : "server");
  tls_trace_value_set_compare (
    tls_step_add_input (step, N_("received verify_data"), got, 12,
                        msg_step >= 0 ? msg_step : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "Finished"),
                        _("from the peer's Finished")),
    "expected verify_data");
  tls_step_add_input (step, N_("expected verify_data"), expected, 12, -1,
                      _("computed here from the master secret and our own transcript"));
  tls_step_add_input (step, "master_secret", ep->master, 48, ep->master_step,
                      _("this side's master secret"));
  step->result = ok ? TLS_CHECK_PASSED : TLS_CHECK_FAILED;
  if (ok)
    tls_step_set_reason (step, _("they match: the peer saw the same handshake and holds the same keys"));
  else
    tls_step_set_reason (step, _("they differ: the handshake was tampered with, or the two sides "
                                 "do not share the same master secret"));
  tls_step_explain (step, "RFC 5246, 7.4.9",
                    _("\"Recipients of Finished messages MUST verify that the contents are "
                      "correct.\" Both sides compute verify_data over everything they sent and "
                      "received; a mismatch ends the handshake with decrypt_error."));
  tls_ep_commit (ep, step);
  if (!ok)
    tls_ep_fail (ep, TLS_ALERT_DECRYPT_ERROR, _("the peer's Finished verify_data is wrong"));
  return ok;
}

/* ------------------------------------------------------------------ */
/* Application data                                                    */

static void
appdata_step (TlsEndpoint *ep, TlsActor actor, GBytes *plain, GBytes *wire,
              TlsField *wire_fields, gboolean observed, gint64 wire_offset)
{
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_APPDATA, actor, N_("Application Data"));
  TlsField *root = tls_trace_field_root (ep->trace, "application_data", 0,
                                        g_bytes_get_size (plain));
  gsize n;
  const guint8 *d = g_bytes_get_data (plain, &n);
  gboolean text = TRUE;

  for (gsize i = 0; i < n && text; i++)
    text = g_ascii_isprint (d[i]) || d[i] == '\r' || d[i] == '\n' || d[i] == '\t';
  if (text && n > 0)
    {
      g_autofree char *s = g_strndup ((const char *) d, MIN (n, 200));
      tls_field_set_value (root, "%s", s);
    }
  step->observed = observed;
  step->content_type = TLS_CONTENT_APPLICATION_DATA;
  tls_step_set_message (step, plain, root);
  tls_step_set_wire (step, wire, wire_fields, TRUE);
  step->wire_offset = wire_offset;
  tls_step_explain (step, ep->t13 != NULL ? "RFC 8446, 4.4.4" : "RFC 5246, 7.4.9; RFC 5246, 10",
                    _("A side may send and receive application data once it has sent its own "
                      "Finished and checked the peer's. "
                      "On the wire it is only ciphertext; the plaintext shown here is what the "
                      "endpoint handed to (or got from) the record layer."));
  tls_ep_commit (ep, step);
}

/* A ClientHello to our server or a HelloRequest to our client, once the
 * handshake is over: a request to renegotiate. */
static gboolean
asks_renegotiation (TlsEndpoint *ep, TlsUnit *u)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (u->data, &n);

  if (n < 4)
    return FALSE;
  return ep->role == TLS_ACTOR_SERVER ? d[0] == TLS_HS_CLIENT_HELLO : d[0] == TLS_HS_HELLO_REQUEST;
}

TlsEpStatus
tls_ep_step_connected (TlsEndpoint *ep)
{
  TlsUnit *u;

  /* TLS 1.0-1.2: the answer to the peer's close_notify discards what is
   * still to be sent (RFC 5246, 7.2.1; see handle_alert). */
  if (ep->close_answer && ep->t13 == NULL)
    g_byte_array_set_size (ep->app_send, 0);
  if (ep->app_send->len > 0)
    {
      g_autoptr (GBytes) plain = g_byte_array_free_to_bytes (ep->app_send);
      TlsField *wire_root;
      g_autoptr (GBytes) wire = NULL;
      gsize n;
      const guint8 *d = g_bytes_get_data (plain, &n);

      ep->app_send = g_byte_array_new ();
      wire = seal_records (ep, TLS_CONTENT_APPLICATION_DATA, d, n, &wire_root);
      appdata_step (ep, ep->role, plain, wire, wire_root, FALSE, ep->last_wire_offset);
      return TLS_EP_PROGRESS;
    }
  if (ep->close_queued && !ep->close_sent)
    {
      ep->close_sent = TRUE;
      ep->alert = TLS_ALERT_CLOSE_NOTIFY;
      g_free (ep->reason);
      ep->reason = g_strdup (ep->close_answer
                             ? _("the peer sent close_notify; this side answers with its own "
                                 "and closes the connection")
                             : _("this side has no more data to send"));
      tls_ep_send_alert (ep);
      ep->alert = 0;
      if (!ep->close_answer)
        return TLS_EP_PROGRESS;
      ep->status = TLS_EP_CLOSED;
      return TLS_EP_CLOSED;
    }
  u = tls_ep_next_unit (ep);
  if (u == NULL)
    return ep->status == TLS_EP_FAILED ? TLS_EP_FAILED
           : ep->eof ? (ep->status = TLS_EP_CLOSED) : TLS_EP_WANT_INPUT;
  switch (u->content_type)
    {
    case TLS_CONTENT_APPLICATION_DATA:
      g_byte_array_append (ep->app_received, g_bytes_get_data (u->data, NULL),
                           g_bytes_get_size (u->data));
      if (ep->cfg.record_received)
        appdata_step (ep, tls_ep_peer (ep), u->data, u->wire,
                      g_steal_pointer (&u->wire_fields), TRUE, u->wire_offset);
      break;
    case TLS_CONTENT_ALERT:
      handle_alert (ep, u);
      if (ep->status == TLS_EP_CLOSED)
        ep->alert = 0;
      break;
    case TLS_CONTENT_HANDSHAKE:
      if (ep->t13 != NULL && ep->role == TLS_ACTOR_CLIENT
          && ((const guint8 *) g_bytes_get_data (u->data, NULL))[0] == TLS_HS_NEW_SESSION_TICKET)
        {
          /* TLS 1.3 (RFC 8446, 4.6.1): the server may send tickets at any
           * time after the handshake; this client keeps none. */
          TlsField *root = tls_ep_message_root (u);
          tls_ep_received_handshake (ep, u, root,
                                     _("After the handshake the server sends a ticket for a later "
                                       "resumption, under the application traffic keys. This "
                                       "client shows it and does not keep it."),
                                     "RFC 8446, 4.6.1");
          break;
        }
      if (asks_renegotiation (ep, u))
        {
          /* RFC 5246, 7.2.2, no_renegotiation: "Sent by the client in
           * response to a hello request or by the server in response to a
           * client hello after initial handshaking. [...] This message is
           * always a warning."  We do not renegotiate; the connection
           * carries on and the peer decides whether to proceed. */
          ep->alert = TLS_ALERT_NO_RENEGOTIATION;
          g_free (ep->reason);
          ep->reason = g_strdup (ep->role == TLS_ACTOR_SERVER
                                 ? _("the client sent a ClientHello after the handshake, asking to "
                                     "renegotiate; this server does not renegotiate")
                                 : _("the server sent a HelloRequest after the handshake, asking "
                                     "to renegotiate; this client does not renegotiate"));
          tls_ep_send_alert (ep);
          ep->alert = 0;
          break;
        }
      /* fall through */
    default:
      tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                   _("a %s record arrived after the handshake that is neither a ClientHello "
                     "(to our server) nor a HelloRequest (to our client)"),
                   tls_content_type_name (u->content_type));
      break;
    }
  tls_unit_free (u);
  return ep->status == TLS_EP_DONE ? TLS_EP_PROGRESS : ep->status;
}

void
tls_ep_set_result_meta (TlsEndpoint *ep)
{
  g_autofree char *prefix = g_strdup_printf ("conn%u.", ep->trace->connection);
  g_autofree char *k = NULL;

#define SET(key, value) \
  (g_free (k), k = g_strconcat (prefix, key, NULL), tls_trace_set_meta (ep->trace, k, value))
  SET ("version", ep->version ? tls_version_name (ep->version) : NULL);
  SET ("suite", ep->suite ? ep->suite->name : NULL);
  SET ("resumed", ep->resumed ? (ep->resumed_by_ticket ? "yes (ticket)" : "yes") : "no");
  SET ("ems", ep->ems ? "yes" : "no");
  SET ("etm", ep->etm ? "yes" : "no");
  if (ep->alpn != NULL)
    SET ("alpn", ep->alpn);
  if (ep->status == TLS_EP_DONE || ep->status == TLS_EP_CLOSED)
    SET ("result", "completed");
  else if (ep->alert)
    {
      g_autofree char *r = g_strdup_printf ("alert: %s (%s)", tls_alert_name (ep->alert),
                                            ep->reason ? ep->reason : "");
      SET ("result", r);
    }
  if (ep->session_id_len)
    {
      g_autofree char *hex = tls_hex (ep->session_id, ep->session_id_len);
      SET ("session_id", hex);
    }
#undef SET
}

/* ------------------------------------------------------------------ */
/* Signatures in the handshake (ServerKeyExchange, CertificateVerify)  */

static TlsSigAlg
legacy_sigalg (TlsPkAlg key)
{
  return tls_sig_alg_legacy (key);   /* RFC 4346, 7.4.3; RFC 4492, 5.4 */
}

/* Whether we make ALG with a key of type KEY: a known algorithm of that
 * key type, never MD5 (RFC 6151). */
static gboolean
we_sign (TlsSigAlg alg, TlsPkAlg key)
{
  return alg != TLS_SIG_ALG_UNKNOWN && alg != TLS_SIG_ALG_RSA_MD5
         && alg != TLS_SIG_ALG_RSA_MD5_SHA1 && tls_sig_alg_key_type (alg) == key;
}

TlsSigAlg
tls_ep_choose_sigalg (TlsEndpoint *ep, TlsPkAlg key, GArray *peer_algs)
{
  if (ep->version < TLS_VERSION_1_2)
    return legacy_sigalg (key);
  /* RFC 5246, 7.4.1.4.1: without the extension the peer is assumed to
   * support SHA-1 with the key's algorithm only. */
  if (peer_algs == NULL)
    {
      TlsSigAlg alg = legacy_sigalg (key);
      return alg == TLS_SIG_ALG_RSA_MD5_SHA1 ? TLS_SIG_ALG_RSA_SHA1 : alg;
    }
  /* The peer lists them "in descending order of preference"
   * (RFC 5246, 7.4.1.4.1): the first one this key can make. */
  for (guint k = 0; k < peer_algs->len; k++)
    {
      TlsSigAlg alg = tls_sig_alg_from_tls (g_array_index (peer_algs, guint16, k));
      if (we_sign (alg, key))
        return alg;
    }
  return TLS_SIG_ALG_UNKNOWN;
}

/* Why we cannot sign with the code point V with a KEY key, or NULL. */
static char *
why_not (guint16 v, TlsPkAlg key)
{
  TlsSigAlg alg = tls_sig_alg_from_tls (v);

  if (alg == TLS_SIG_ALG_UNKNOWN)
    return g_strdup_printf (_("%s: not an algorithm this program knows"), tls_sigalg_name (v));
  if (alg == TLS_SIG_ALG_RSA_MD5)
    return g_strdup_printf (_("%s: MD5, never used (collisions are practical, RFC 6151)"),
                            tls_sigalg_name (v));
  if (tls_sig_alg_key_type (alg) != key)
    return g_strdup_printf (_("%s: needs an %s key"), tls_sigalg_name (v),
                            tls_pk_alg_name (tls_sig_alg_key_type (alg)));
  return NULL;
}

gboolean
tls_ep_decide_sigalg (TlsEndpoint *ep, GArray *peer_algs, const char *source)
{
  TlsPkAlg key = ep->cfg.key->type;
  TlsSigAlg alg = tls_ep_choose_sigalg (ep, key, peer_algs);
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, "Signature algorithm");
  g_autoptr (GString) offered = g_string_new (NULL);
  g_autoptr (GString) unfit = g_string_new (NULL);
  const char *chosen = alg != TLS_SIG_ALG_UNKNOWN ? tls_sig_alg_name (alg) : NULL;

  tls_trace_group (ep->trace, step, TLS_PARENT_NEXT);
  for (guint k = 0; peer_algs && k < peer_algs->len; k++)
    {
      guint16 v = g_array_index (peer_algs, guint16, k);
      g_autofree char *no = why_not (v, key);

      tls_step_add_option (step, "%s", tls_sigalg_name (v));
      g_string_append_printf (offered, "%s%s (0x%04X)", k ? ", " : "", tls_sigalg_name (v), v);
      if (no != NULL)
        g_string_append_printf (unfit, "%s%s", unfit->len ? "; " : "", no);
    }
  tls_step_add_text_input (step, source, peer_algs ? offered->str : _("absent"), -1,
                           _("the algorithms the peer can verify, in its order of preference"));
  tls_step_add_text_input (step, N_("our key"), tls_pk_alg_name (key), -1, NULL);
  if (unfit->len)
    tls_step_add_text_input (step, N_("not usable with this key"), unfit->str, -1, NULL);
  if (chosen != NULL)
    {
      step->choice = g_strdup (chosen);
      for (guint k = 0; k < step->options->len; k++)
        if (g_strcmp0 (g_ptr_array_index (step->options, k), chosen) == 0)
          {
            step->chosen_option = k;
            break;
          }
      if (peer_algs == NULL)
        tls_step_set_reason (step, _("the peer sent no list: %s, the one RFC 5246, 7.4.1.4.1 "
                                     "assumes for this key"), chosen);
      else
        tls_step_set_reason (step, _("%s (%s): the first algorithm in the peer's list that an %s "
                                     "key can make"), chosen, tls_sig_alg_scheme (alg),
                             tls_pk_alg_name (key));
    }
  else
    tls_step_set_reason (step, _("none of the algorithms the peer lists can be made with an %s "
                                 "key"), tls_pk_alg_name (key));
  tls_step_explain (step, "RFC 5246, 7.4.1.4.1",
                    _("The peer lists the signature and hash pairs it is willing to verify, in "
                      "descending order of preference. The signer uses one of them that its "
                      "certificate's key can make; when none fits there is no signature the peer "
                      "would accept, and the handshake ends with handshake_failure."));
  tls_ep_commit (ep, step);
  if (chosen == NULL)
    {
      tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE, "%s", step->reason);
      return FALSE;
    }
  return TRUE;
}

gboolean
tls_ep_sign (TlsEndpoint *ep, const TlsPrivateKey *key, TlsSigAlg alg,
             const guint8 *data, gsize len, const char *fault, TlsDigitallySigned *out)
{
  g_autoptr (GError) error = NULL;

  out->has_algorithm = ep->version >= TLS_VERSION_1_2;
  out->algorithm = out->has_algorithm ? tls_sig_alg_to_tls (alg) : 0;
  out->signature = tls_sig_sign (alg, key, ep->cfg.rng, data, len, &error);
  if (out->signature == NULL)
    {
      tls_ep_fail (ep, TLS_ALERT_INTERNAL_ERROR, _("signing failed: %s"), error->message);
      return FALSE;
    }
  if (fault != NULL && g_strcmp0 (ep->cfg.tamper, fault) == 0)
    {
      /* FAULT INJECTED ON PURPOSE (a teaching scenario): one bit of the
       * signature flipped after signing, so the peer's check must fail. */
      gsize n;
      guint8 *sig = g_bytes_unref_to_data (out->signature, &n);
      sig[n / 2] ^= 0x01;
      out->signature = g_bytes_new_take (sig, n);
    }
  return TRUE;
}

/* Verifies DS over DATA with PUB; *ALG gets the algorithm used. */
gboolean
tls_ep_verify (TlsEndpoint *ep, const TlsPublicKey *pub, const TlsDigitallySigned *ds,
               const guint8 *data, gsize len, TlsSigAlg *alg, char **reason)
{
  *alg = ds->has_algorithm ? tls_sig_alg_from_tls (ds->algorithm) : legacy_sigalg (pub->type);
  if (*alg == TLS_SIG_ALG_UNKNOWN)
    {
      *reason = g_strdup_printf (_("unknown signature algorithm 0x%04x"), ds->algorithm);
      return FALSE;
    }
  if (tls_sig_alg_key_type (*alg) != pub->type)
    {
      *reason = g_strdup_printf (_("the signature is %s, but the key is %s"),
                                 tls_sig_alg_name (*alg), tls_pk_alg_name (pub->type));
      return FALSE;
    }
  return tls_sig_verify (*alg, pub, data, len, g_bytes_get_data (ds->signature, NULL),
                         g_bytes_get_size (ds->signature), reason);
}

int
tls_ep_peek_type (TlsEndpoint *ep)
{
  TlsUnit *u;

  while (g_queue_is_empty (ep->units) && ep->status != TLS_EP_FAILED)
    if (!read_record (ep))
      break;
  u = g_queue_peek_head (ep->units);
  if (u == NULL)
    return -2;
  if (u->content_type != TLS_CONTENT_HANDSHAKE)
    return -1;
  return ((const guint8 *) g_bytes_get_data (u->data, NULL))[0];
}

/* ------------------------------------------------------------------ */
/* The peer's certificate chain                                        */

gboolean
tls_ep_check_chain (TlsEndpoint *ep, gboolean for_server, gboolean required)
{
  TlsStep *step;

  if (ep->cfg.trust == NULL)
    {
      step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("Certificate chain"));
      tls_trace_group (ep->trace, step, TLS_PARENT_NONE);   /* the chain's step */
      step->subject = g_strdup (for_server ? _("the server's certificate chain")
                                           : _("the client's certificate chain"));
      step->against = g_strdup (_("no trust anchors"));
      step->result = TLS_CHECK_NOT_CHECKED;
      tls_step_set_reason (step, _("NOT CHECKED: no trust anchors were given, so the chain was not "
                                   "validated and the peer's identity is unproven"));
      tls_step_explain (step, for_server ? "RFC 5246, 7.4.2" : "RFC 5246, 7.4.6",
                        _("The chain must lead from the peer's certificate, each certificate signed "
                          "by the next, to a root the checker already trusts."));
      tls_ep_commit (ep, step);
      ep->peer_cert_ok = FALSE;
      return TRUE;
    }

  if (ep->verifier == NULL)
    {
      TlsVerifyParams params = { 0 };
      g_autoptr (GPtrArray) certs = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_certificate_unref);

      for (guint i = 0; i < ep->peer_chain->len; i++)
        {
          g_autoptr (GError) error = NULL;
          TlsCertificate *c = tls_certificate_new_from_der (g_ptr_array_index (ep->peer_chain, i), &error);
          if (c == NULL)
            {
              tls_ep_fail (ep, TLS_ALERT_BAD_CERTIFICATE,
                           _("certificate [%u] of the peer's chain cannot be decoded: %s"), i,
                           error->message);
              return FALSE;
            }
          g_ptr_array_add (certs, c);
        }
      params.now = ep->now;
      params.host = for_server ? ep->cfg.server_name : NULL;
      params.purpose = for_server ? TLS_PURPOSE_SERVER : TLS_PURPOSE_CLIENT;
      params.kx = for_server ? (int) ep->suite->kx : TLS_VERIFY_NO_KX;
      params.all_checks = !required;
      params.tls13 = ep->t13 != NULL;
      ep->verifier = tls_verifier_new (&params, certs, ep->cfg.trust, NULL);
    }
  if (tls_verifier_step (ep->verifier, ep->trace, ep->role))
    return FALSE;   /* one check done; more to come */

  ep->peer_cert_ok = tls_verifier_alert (ep->verifier) == 0;
  if (!ep->peer_cert_ok && required)
    tls_ep_fail (ep, tls_verifier_alert (ep->verifier), "%s: %s",
                 tls_verifier_failed_check (ep->verifier), tls_verifier_reason (ep->verifier));
  g_clear_pointer (&ep->verifier, tls_verifier_free);
  return ep->status == TLS_EP_PROGRESS;
}

/* The end-entity certificate of the peer's chain.  RFC 5246, 7.4.2: "The
 * sender's certificate MUST come first in the list", but a chain sent out
 * of order can still be validated, so the leaf is the certificate that
 * issued none of the others (the first one when that is ambiguous). */
TlsCertificate *
tls_ep_decode_leaf (TlsEndpoint *ep, GError **error)
{
  g_autoptr (GPtrArray) certs = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_certificate_unref);
  int leaf = -1;

  for (guint i = 0; i < ep->peer_chain->len; i++)
    {
      TlsCertificate *c = tls_certificate_new_from_der (g_ptr_array_index (ep->peer_chain, i), error);
      if (c == NULL)
        return NULL;
      g_ptr_array_add (certs, c);
    }
  for (guint i = 0; i < certs->len && leaf < 0; i++)
    {
      GBytes *subject = tls_certificate_get_subject_der (g_ptr_array_index (certs, i));
      gboolean issued_another = FALSE;

      for (guint k = 0; k < certs->len; k++)
        if (k != i && g_bytes_equal (subject, tls_certificate_get_issuer_der (g_ptr_array_index (certs, k)))
            && !tls_certificate_is_self_issued (g_ptr_array_index (certs, k)))
          issued_another = TRUE;
      if (!issued_another)
        leaf = (int) i;
    }
  return tls_certificate_ref (g_ptr_array_index (certs, leaf < 0 ? 0 : leaf));
}

/* ------------------------------------------------------------------ */
/* Parsing a received handshake message                                */

int
tls_ep_parse_header (TlsUnit *u, TlsField **root, TlsReader *body)
{
  TlsReader r;
  guint8 type;
  guint32 len;

  *root = tls_ep_message_root (u);
  tls_reader_init (&r, g_bytes_get_data (u->data, NULL), g_bytes_get_size (u->data), *root);
  return tls_handshake_parse_header (&r, &type, &len, body);
}

int
tls_ep_body_done (TlsReader *body, int err)
{
  /* Every byte of the body must be used: a message with bytes left over
   * is malformed (decode_error), however valid its start. */
  if (err == 0 && !tls_reader_done (body))
    return TLS_ALERT_DECODE_ERROR;
  return err;
}

/* ------------------------------------------------------------------ */
/* Actions both sides share                                            */

gboolean
tls_ep_act_derive_master (TlsEndpoint *ep)
{
  tls_ep_derive_master (ep);
  return TRUE;
}

gboolean
tls_ep_act_derive_keys (TlsEndpoint *ep)
{
  tls_ep_derive_keys (ep);
  return TRUE;
}

gboolean
tls_ep_act_send_ccs (TlsEndpoint *ep)
{
  tls_ep_commit (ep, tls_ep_send_ccs (ep));
  return TRUE;
}

gboolean
tls_ep_act_read_ccs (TlsEndpoint *ep)
{
  TlsUnit *u = tls_ep_expect (ep, -1);
  TlsField *root;

  if (u == NULL)
    return FALSE;
  root = tls_trace_field_root (ep->trace, "ChangeCipherSpec", 0, 1);
  tls_field_set_value (tls_field_add (root, "type", 0, 1), "change_cipher_spec (1)");
  tls_ep_received_handshake (ep, u, root,
                             _("The peer switches to the new keys: its next record is encrypted."),
                             "RFC 5246, 7.1");
  /* The pending read state becomes the current one. */
  tls_protection_free (ep->read_prot);
  ep->read_prot = g_steal_pointer (&ep->pending_read);
  tls_unit_free (u);
  return TRUE;
}

gboolean
tls_ep_act_compute_verify (TlsEndpoint *ep)
{
  tls_ep_verify_data (ep, ep->role == TLS_ACTOR_CLIENT, ep->verify_data, ep->trace);
  return TRUE;
}

gboolean
tls_ep_act_send_finished (TlsEndpoint *ep)
{
  tls_ep_send_finished (ep);
  return TRUE;
}

gboolean
tls_ep_act_read_finished (TlsEndpoint *ep)
{
  TlsUnit *u = tls_ep_expect (ep, TLS_HS_FINISHED);
  gboolean ok;

  if (u == NULL)
    return FALSE;
  ok = tls_ep_check_finished (ep, u);
  tls_unit_free (u);
  return ok;
}

gboolean
tls_ep_always (TlsEndpoint *ep)
{
  return TRUE;
}

/* Skips the rows whose condition does not hold; past the last row the
 * handshake is complete. */
static void
skip_rows (TlsEndpoint *ep, const TlsFlowRow *flow, guint n, void (*done) (TlsEndpoint *))
{
  while ((guint) ep->state < n && !flow[ep->state].when (ep))
    ep->state++;
  if ((guint) ep->state >= n && ep->status == TLS_EP_PROGRESS)
    done (ep);
}

void
tls_ep_run_flow (TlsEndpoint *ep, const TlsFlowRow *flow, guint n, void (*done) (TlsEndpoint *))
{
  skip_rows (ep, flow, n, done);
  if (ep->status != TLS_EP_PROGRESS)
    return;
  /* An action that returns FALSE has not finished (it waits for input, or
   * did one of several steps): the same row runs again next time. */
  if (flow[ep->state].action (ep) && ep->status == TLS_EP_PROGRESS)
    {
      ep->state++;
      skip_rows (ep, flow, n, done);
    }
}

/* Reads the peer's Certificate message into peer_chain and peer_leaf (an
 * empty list is allowed here; the caller decides what it means).  TRUE when
 * the message was read. */
gboolean
tls_ep_read_peer_certificate (TlsEndpoint *ep)
{
  g_autoptr (TlsField) root = NULL;
  TlsUnit *u = tls_ep_expect (ep, TLS_HS_CERTIFICATE);
  TlsCertificateMsg cm = { 0 };   /* the parser initializes it */
  TlsReader body;
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;
  int err;

  if (u == NULL)
    return FALSE;
  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls_certificate_msg_parse (&body, &cm);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_ep_fail (ep, err, _("the peer's Certificate message could not be parsed (%s)"),
                   tls_alert_name (err));
      goto out;
    }
  for (guint i = 0; i < cm.certificate_list->len; i++)
    g_ptr_array_add (ep->peer_chain, g_bytes_ref (g_ptr_array_index (cm.certificate_list, i)));
  if (ep->peer_chain->len > 0 && (ep->peer_leaf = tls_ep_decode_leaf (ep, &error)) == NULL)
    {
      tls_ep_fail (ep, TLS_ALERT_BAD_CERTIFICATE, _("the peer's certificate cannot be decoded: %s"),
                   error->message);
      goto out;
    }
  if (ep->cfg.record_received)
    tls_certificate_msg_dissect (root, u->data);
  tls_ep_received_handshake (ep, u, g_steal_pointer (&root),
                             cm.certificate_list->len
                             ? _("The peer's certificate chain. RFC 5246 asks for the sender's own "
                                 "certificate first, each following one certifying the one before "
                                 "it; the path check looks at the order that really came.")
                             : _("An empty Certificate: the peer has no certificate to offer."),
                             ep->role == TLS_ACTOR_CLIENT ? "RFC 5246, 7.4.2" : "RFC 5246, 7.4.6");
  ep->certificate_step = ep->cfg.record_received ? (int) tls_trace_len (ep->trace) - 1
                         : tls_trace_find (ep->trace, TLS_STEP_MESSAGE, "Certificate");
  ok = TRUE;
out:
  tls_certificate_msg_clear (&cm);
  tls_unit_free (u);
  return ok;
}
