/* tls13-early-data.c — TLS 1.3 0-RTT data (RFC 8446, 2.3, Figure 4): the
 * client's early_data offer and its application data in the first flight
 * under the client_early_traffic_secret's keys (4.2.10, 7.1, 7.3), the
 * server's decision, EndOfEarlyData (4.5), and, when the server refuses,
 * the records it skips.  The rows are placed in the flows of
 * tls13-client.c and tls13-server.c. */
#include <glib/gi18n-lib.h>
#include "tls13-early-data.h"
#include "tls-handshake.h"
#include "tls-extensions.h"
#include "tls-msg-client-hello.h"
#include "tls13-extensions.h"

#include <string.h>

/* What 0-RTT data lacks, said where the data is sent and where it is
 * read (RFC 8446, 2.3, 8, E.5). */
#define WEAKER_RFC "RFC 8446, 2.3; RFC 8446, 8; RFC 8446, E.5"

/* ------------------------------------------------------------------ */
/* Conditions                                                          */

gboolean
tls13_early_offered (TlsEndpoint *ep)
{
  return ep->t13->early_offered;
}

gboolean
tls13_early_accepted (TlsEndpoint *ep)
{
  return ep->t13->early_accepted;
}

gboolean
tls13_early_refused (TlsEndpoint *ep)
{
  return ep->t13->early_offered && !ep->t13->early_accepted;
}

gboolean
tls13_early_reading (TlsEndpoint *ep)
{
  return ep->t13->early_accepted && !ep->t13->early_done;
}

/* ------------------------------------------------------------------ */
/* Both sides                                                          */

/* client_early_traffic_secret = Derive-Secret(Early Secret, "c e
 * traffic", ClientHello) (7.1), then its key and IV (7.3): the client
 * writes, the server reads with them. */
gboolean
tls13_early_keys (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  const TlsSuite *suite = ep->suite;
  guint8 buf[TLS_MAX_HASH_LEN];
  Tls13Context ctx;
  Tls13TrafficKeys k;

  /* The client has no suite yet: that of the ticket (4.2.10: "The
   * parameters for the 0-RTT data ... are those associated with the PSK
   * in use"). */
  if (ep->role == TLS_ACTOR_CLIENT)
    suite = tls_suite_by_id (ep->cfg.resume->suite);
  ctx.step = tls13_transcript_hash (ep->trace, ep->role, suite->prf, ep->transcript,
                                    "ClientHello", buf);
  ctx.hash = buf;
  ctx.covers = "ClientHello";
  tls13_derive_early_traffic (&st->ks, &ctx);
  st->early_keys_step = tls13_derive_traffic_keys (ep->trace, ep->role, suite->prf, suite->cipher,
                                                   st->ks.client_early_traffic_secret,
                                                   TLS13_STEP_TITLE_C_E_TRAFFIC,
                                                   st->ks.c_e_traffic_step, &k);
  tls13_protection_free (st->early);
  st->early = tls13_protection_new_from_keys (suite->cipher, &k);
  memset (&k, 0, sizeof k);
  return TRUE;
}

/* Exchanges the early keys with those in force for our records (client)
 * or the peer's (server); called again, puts them back. */
static void
swap_early (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  Tls13Protection **slot = ep->role == TLS_ACTOR_CLIENT ? &st->write : &st->read;
  Tls13Protection *t = *slot;

  *slot = st->early;
  st->early = t;
}

/* ------------------------------------------------------------------ */
/* Client                                                              */

void
tls13_early_add_offer (TlsEndpoint *ep, TlsClientHello *ch)
{
  const TlsSession *s = ep->cfg.resume;

  /* 4.2.10: "If the client opts to do so, it MUST supply both the
   * "pre_shared_key" and "early_data" extensions"; not after a
   * HelloRetryRequest ("A client MUST NOT include the "early_data"
   * extension in its followup ClientHello"). */
  if (!ep->t13->psk_offered || ep->t13->hrr || s == NULL || s->max_early_data == 0
      || ep->cfg.early_data == NULL || g_bytes_get_size (ep->cfg.early_data) == 0)
    return;
  tls13_extensions_add_early_data (&ch->extensions);
  ep->t13->early_offered = TRUE;
}

gboolean
tls13_early_send_data (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  gsize n, max = ep->cfg.resume->max_early_data;
  const guint8 *d = g_bytes_get_data (ep->cfg.early_data, &n);
  GByteArray *wire = g_byte_array_new ();
  g_autoptr (GBytes) plain = NULL;
  g_autoptr (GBytes) wire_bytes = NULL;
  TlsField *wire_root = tls_field_new ("records", 0, 0);
  TlsField *root;
  TlsStep *step;
  gboolean text = TRUE;

  /* 4.6.1: "the maximum amount of 0-RTT data that the client is allowed
   * to send": what is over stays for after the handshake. */
  n = MIN (n, max);
  plain = g_bytes_new (d, n);
  swap_early (ep);
  for (gsize off = 0; off < n; off += TLS_MAX_FRAGMENT)
    tls13_record_seal (st->write, TLS_CONTENT_APPLICATION_DATA, d + off,
                       MIN (n - off, TLS_MAX_FRAGMENT), 0, wire, wire_root);
  swap_early (ep);
  wire_root->length = wire->len;
  g_byte_array_append (ep->out, wire->data, wire->len);
  ep->last_wire_offset = ep->bytes_sent;
  ep->bytes_sent += wire->len;
  wire_bytes = g_byte_array_free_to_bytes (wire);

  step = tls_ep_add_step (ep, TLS_STEP_APPDATA, ep->role, N_("0-RTT Application Data"));
  root = tls_field_new ("application_data", 0, n);
  for (gsize i = 0; i < n && text; i++)
    text = g_ascii_isprint (d[i]) || d[i] == '\r' || d[i] == '\n' || d[i] == '\t';
  if (text && n > 0)
    {
      g_autofree char *s = g_strndup ((const char *) d, MIN (n, 200));
      tls_field_set_value (root, "%s", s);
    }
  step->content_type = TLS_CONTENT_APPLICATION_DATA;
  tls_step_set_message (step, plain, root);
  tls_step_set_wire (step, wire_bytes, wire_root, TRUE);
  step->wire_offset = ep->last_wire_offset;
  tls_step_add_text_input (step, N_("keys"), TLS13_STEP_TITLE_C_E_TRAFFIC, st->early_keys_step,
                           _("0-RTT: protected with the key and IV of the "
                             "client_early_traffic_secret"));
  tls_step_explain (step, "RFC 8446, 2.3; RFC 8446, 4.2.10; RFC 8446, 8; RFC 8446, E.5",
                    _("0-RTT data: the client sends its request right after the ClientHello, "
                      "before any answer from the server, under keys from the ticket's PSK and "
                      "the ClientHello alone. It saves a round trip, at a price: this data is "
                      "not forward secret (whoever later learns the PSK can decrypt it), and "
                      "nothing in it depends on the server's random, so a copy of the "
                      "ClientHello and of these records can be replayed to the server, which "
                      "cannot tell the copy from the original unless it keeps state across "
                      "connections (8, E.5)."));
  tls_ep_commit (ep, step);
  return TRUE;
}

gboolean
tls13_early_note_ee (TlsEndpoint *ep, const TlsExtensions *ee)
{
  Tls13State *st = ep->t13;

  st->early_accepted = st->early_offered && tls_extensions_has (ee, TLS13_EXT_EARLY_DATA);
  /* 4.2.11: "If the server supplies an "early_data" extension, the
   * client MUST verify that the server's selected_identity is 0. If any
   * other value is returned, the client MUST abort the handshake with an
   * "illegal_parameter" alert." */
  if (st->early_accepted && !st->psk_accepted)
    {
      tls_ep_fail (ep, TLS_ALERT_ILLEGAL_PARAMETER,
                   _("EncryptedExtensions accepts early data, but the server did not select "
                     "the PSK identity 0"));
      return FALSE;
    }
  return TRUE;
}

gboolean
tls13_early_client_outcome (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Early data accepted?"));

  tls_ep_group_under_message (ep, step, "EncryptedExtensions");
  tls_step_add_option (step, "%s", _("accepted: the server has read the 0-RTT data"));
  tls_step_add_option (step, "%s", _("refused: the 0-RTT data was not delivered"));
  if (st->early_accepted)
    {
      step->choice = g_strdup (_("accepted: the server has read the 0-RTT data"));
      tls_step_set_reason (step, "%s", _("EncryptedExtensions has the early_data extension"));
      tls_step_explain (step, "RFC 8446, 4.2.10; RFC 8446, 4.5",
                        _("The server returned early_data in EncryptedExtensions: it "
                          "processes the 0-RTT data. After the server's Finished the client "
                          "sends EndOfEarlyData under the 0-RTT keys, to mark the switch to "
                          "its handshake traffic keys."));
    }
  else
    {
      step->choice = g_strdup (_("refused: the 0-RTT data was not delivered"));
      tls_step_set_reason (step, "%s", st->psk_accepted
                           ? _("EncryptedExtensions has no early_data extension")
                           : _("the server did not take the PSK, and early data needs it"));
      tls_step_explain (step, "RFC 8446, 4.2.10",
                        _("No early_data in EncryptedExtensions: the server discarded the 0-RTT "
                          "records without reading them, and the client sends no "
                          "EndOfEarlyData. The data was not delivered: an application that "
                          "still wants it sent sends it again after the handshake, under the "
                          "application traffic keys; a TLS implementation SHOULD NOT do so on "
                          "its own."));
    }
  tls_ep_commit (ep, step);
  return TRUE;
}

static void
write_empty (TlsWriter *w, gconstpointer msg)
{
}

gboolean
tls13_early_send_eoed (TlsEndpoint *ep)
{
  TlsStep *step;

  swap_early (ep);
  step = tls_ep_send_message (ep, TLS_HS_END_OF_EARLY_DATA, "EndOfEarlyData", write_empty, NULL);
  swap_early (ep);
  tls_step_add_text_input (step, N_("keys"), TLS13_STEP_TITLE_C_E_TRAFFIC, ep->t13->early_keys_step,
                           _("the last record under the 0-RTT keys"));
  tls_step_explain (step, "RFC 8446, 4.5; RFC 8446, 4.2.10",
                    _("struct {} EndOfEarlyData: an empty message, the last one under the 0-RTT "
                      "keys. \"If the server sent an \"early_data\" extension in "
                      "EncryptedExtensions, the client MUST send an EndOfEarlyData message "
                      "after receiving the server Finished.\" It is in the transcript: the "
                      "client's Finished covers it. Everything the client sends after it is "
                      "under its handshake traffic keys."));
  tls_ep_commit (ep, step);
  tls13_protection_free (ep->t13->early);
  ep->t13->early = NULL;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Server                                                              */

/* RFC 8446, 8.3: "For clients on the Internet, this implies windows on
 * the order of ten seconds": how far, either way, the ClientHello's
 * expected_arrival_time may be from this server's clock. */
#define FRESHNESS_WINDOW_MS 10000

typedef struct
{
  guint32  client_age;   /* ms: obfuscated_ticket_age - ticket_age_add, mod 2^32 */
  gint64   server_age;   /* ms: this server's clock - the ticket's time of issue */
  gint64   apart;        /* ms: |expected_arrival_time - the server's clock| */
  gboolean fresh;
} Freshness;

/* 8.3, with no estimate of the round-trip time (estimated_RTT = 0):
 * expected_arrival_time = creation_time + clients_ticket_age, against the
 * server's clock; the difference is that of the two ages. */
static void
freshness (TlsEndpoint *ep, Freshness *f)
{
  const TlsSession *s = ep->ticket_session;

  f->client_age = ep->t13->psk_obfuscated_age - s->ticket_age_add;
  f->server_age = (ep->now - s->created) * 1000;
  f->apart = ABS ((gint64) f->client_age - f->server_age);
  f->fresh = f->apart <= FRESHNESS_WINDOW_MS;
}

/* Why this server does not take the early data (NULL: it does). */
static char *
refusal (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  Freshness f;

  if (!st->psk_accepted && st->psk_len == 0)
    return g_strdup (_("no PSK was selected, and early data needs one"));
  if (st->psk_identity != 0)
    return g_strdup (_("the PSK selected is not the first identity of pre_shared_key"));
  if (st->hrr)
    return g_strdup (_("the server sends a HelloRetryRequest"));
  if (ep->cfg.max_early_data == 0)
    return g_strdup (_("this server allows no early data (its tickets carry no early_data)"));
  if (ep->cfg.reject_early_data)
    return g_strdup (_("this server is configured to refuse early data"));
  if (ep->ticket_session == NULL || ep->ticket_session->suite != ep->suite->id)
    return g_strdup (_("the cipher suite chosen here is not the ticket's"));
  if (tls_extensions_has (&ep->ch.extensions, TLS_EXT_ALPN))
    return g_strdup (_("the ClientHello offers ALPN, and this server's tickets do not record "
                       "the protocol of the first connection, so it cannot check that it "
                       "is the same"));
  freshness (ep, &f);
  if (!f.fresh)
    return g_strdup_printf (_("the ClientHello is not fresh: the ticket age it gives, %u ms, is "
                              "%lld ms away from the ticket's age on this server's clock, "
                              "outside the window of %d ms (8.3)"),
                            f.client_age, (long long) f.apart, FRESHNESS_WINDOW_MS);
  return NULL;
}

/* The numbers of the freshness check (8.3) as inputs of STEP. */
static void
show_freshness (TlsEndpoint *ep, TlsStep *step)
{
  const TlsSession *s = ep->ticket_session;
  Freshness f;
  g_autofree char *client = NULL, *server = NULL, *window = NULL, *verdict = NULL;
  g_autofree char *client_note = NULL, *server_note = NULL;

  freshness (ep, &f);
  client = g_strdup_printf (_("%u ms"), f.client_age);
  client_note = g_strdup_printf (_("as the client gives it: obfuscated_ticket_age %u minus the "
                                   "ticket's ticket_age_add %u, modulo 2^32"),
                                 ep->t13->psk_obfuscated_age, s->ticket_age_add);
  server = g_strdup_printf (_("%lld ms"), (long long) f.server_age);
  server_note = g_strdup_printf (_("on this server's clock: now (%lld) minus the time of issue "
                                   "the ticket holds (%lld), in unix seconds"),
                                 (long long) ep->now, (long long) s->created);
  window = g_strdup_printf (_("%d ms either way"), FRESHNESS_WINDOW_MS);
  verdict = f.fresh ? g_strdup_printf (_("fresh: %lld ms apart, inside the window"),
                                       (long long) f.apart)
                    : g_strdup_printf (_("not fresh: %lld ms apart, outside the window"),
                                       (long long) f.apart);
  tls_step_add_text_input (step, N_("ticket age (client)"), client, -1, client_note);
  tls_step_add_text_input (step, N_("ticket age (server)"), server, -1, server_note);
  tls_step_add_text_input (step, N_("window"), window, -1,
                           _("between expected_arrival_time (the time of issue plus the "
                             "client's ticket age) and this server's clock"));
  tls_step_add_text_input (step, N_("freshness"), verdict, -1,
                           _("the difference of the two ages"));
}

gboolean
tls13_early_server_decide (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  g_autofree char *why = NULL;
  TlsStep *step;

  if (!tls_extensions_has (&ep->ch.extensions, TLS13_EXT_EARLY_DATA))
    return TRUE;
  st->early_offered = TRUE;
  why = refusal (ep);
  step = tls_ep_add_step (ep, TLS_STEP_DECISION, ep->role, N_("Accept early data?"));
  tls_ep_group_under_message (ep, step, "ClientHello");
  tls_step_add_option (step, "%s", _("accept: read the 0-RTT data"));
  tls_step_add_option (step, "%s", _("refuse: skip the 0-RTT records"));
  if (ep->ticket_session != NULL)
    show_freshness (ep, step);
  if (why == NULL)
    {
      st->early_accepted = TRUE;
      step->choice = g_strdup (_("accept: read the 0-RTT data"));
      tls_step_set_reason (step, "%s", ep->cfg.ticket_store != NULL
                           ? _("the first PSK identity was selected, its binder verifies, the "
                               "cipher suite is the ticket's, this server allows early data, "
                               "the ClientHello is fresh (8.3), and the ticket had not been "
                               "used before (single-use tickets, 8.1)")
                           : _("the first PSK identity was selected, its binder verifies, the "
                               "cipher suite is the ticket's, this server allows early data, "
                               "the ClientHello is fresh (8.3), and it does no other "
                               "anti-replay check"));
    }
  else
    {
      /* "up to the configured max_early_data_size" (4.2.10) */
      st->early_skip_left = MAX (ep->cfg.max_early_data, TLS_MAX_FRAGMENT);
      step->choice = g_strdup (_("refuse: skip the 0-RTT records"));
      tls_step_set_reason (step, "%s", why);
    }
  tls_step_explain (step, "RFC 8446, 4.2.10; RFC 8446, 8; RFC 8446, 8.3", "%s%s%s",
                    _("To accept early data the server must have selected the first PSK "
                      "identity, and the TLS version, the cipher suite and the ALPN protocol "
                      "must be those of the connection that issued the ticket. It may still "
                      "refuse: then it answers as for a 1-RTT handshake and skips the records "
                      "it cannot deprotect with the handshake keys. Accepting means trusting "
                      "that this ClientHello is fresh: without an anti-replay mechanism (8) "
                      "the server cannot tell a replayed copy from the original."),
                    _(" The server must also check the ticket's age (4.2.10, 8.3): the time "
                      "of issue plus the age the client gives (obfuscated_ticket_age minus "
                      "ticket_age_add) is when the ClientHello should arrive; this server "
                      "refuses the early data when that is more than 10 s from its clock, "
                      "and goes on with the handshake. That stops a copy sent late, not one "
                      "replayed within the window."),
                    ep->cfg.ticket_store != NULL
                    ? _(" This server lets each ticket resume once (single-use tickets, 8.1).")
                    : _(" Section 8 requires a server to accept the 0-RTT data of one handshake "
                        "at most once; this demonstration server keeps no such record, so that "
                        "a replay can be shown."));
  tls_ep_commit (ep, step);
  if (st->early_accepted)
    tls13_early_keys (ep);
  return TRUE;
}

void
tls13_early_add_ee (TlsEndpoint *ep, TlsExtensions *ee)
{
  if (ep->t13->early_accepted)
    tls13_extensions_add_early_data (ee);
}

static gboolean
read_eoed (TlsEndpoint *ep, TlsUnit *u)
{
  TlsField *root;
  TlsReader body;
  int err = tls_ep_parse_header (u, &root, &body);

  err = tls_ep_body_done (&body, err);   /* struct {}: nothing may follow */
  if (err != 0)
    {
      tls_field_free (root);
      tls_ep_fail (ep, TLS_ALERT_DECODE_ERROR, _("the EndOfEarlyData message is not empty"));
      return FALSE;
    }
  tls_ep_received_handshake (ep, u, root,
                             _("The client's last message under the 0-RTT keys: its early data "
                               "ends here, and its next records are under its handshake "
                               "traffic keys."),
                             "RFC 8446, 4.5");
  ep->t13->early_done = TRUE;
  return TRUE;
}

/* A lesson groups the server's reading of the 0-RTT data under our
 * client's step that sent it; alone (a peer's client, or a replay) it
 * stays a main step. */
static void
group_under_sent_data (TlsEndpoint *ep, TlsStep *step)
{
  for (guint i = step->index; i > 0; i--)
    {
      const TlsStep *s = tls_trace_get (ep->trace, i - 1);

      if (s->connection != step->connection)
        break;
      if (s->kind == TLS_STEP_APPDATA && g_strcmp0 (s->title, "0-RTT Application Data") == 0)
        {
          tls_trace_group (ep->trace, step, (int) s->index);
          return;
        }
    }
  tls_trace_group (ep->trace, step, TLS_PARENT_NONE);
}

gboolean
tls13_early_server_read (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsUnit *u;
  TlsStep *step;
  gsize n;
  const guint8 *d;
  gboolean done = FALSE;

  for (;;)
    {
      swap_early (ep);
      u = tls_ep_next_unit (ep);
      swap_early (ep);
      if (u == NULL)
        return FALSE;
      d = g_bytes_get_data (u->data, &n);
      /* the dummy ChangeCipherSpec of D.4 may come right after the
       * ClientHello: dropped unread (5) */
      if (u->content_type != TLS_CONTENT_CHANGE_CIPHER_SPEC || u->encrypted || n != 1 || d[0] != 1)
        break;
      tls_unit_free (u);
    }
  if (u->content_type == TLS_CONTENT_HANDSHAKE && n >= 4 && d[0] == TLS_HS_END_OF_EARLY_DATA)
    {
      done = read_eoed (ep, u);
      tls_unit_free (u);
      if (done)
        {
          tls13_protection_free (st->early);
          st->early = NULL;
        }
      return done;
    }
  if (u->content_type != TLS_CONTENT_APPLICATION_DATA)
    {
      /* Under the 0-RTT keys only application data and EndOfEarlyData
       * come (2.3, Figure 4; 4.5). */
      tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                   _("a %s record arrived under the 0-RTT keys, where only application data and "
                     "EndOfEarlyData may come"), tls_content_type_name (u->content_type));
      tls_unit_free (u);
      return FALSE;
    }
  if (st->early_received == NULL)
    st->early_received = g_byte_array_new ();
  g_byte_array_append (st->early_received, d, n);
  g_byte_array_append (ep->app_received, d, n);

  step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("0-RTT data read"));
  group_under_sent_data (ep, step);
  step->subject = g_strdup_printf (_("a 0-RTT record of %zu bytes"), g_bytes_get_size (u->wire));
  step->against = g_strdup (_("the key and IV of the client_early_traffic_secret"));
  step->result = TLS_CHECK_PASSED;
  tls_step_add_input (step, N_("record"), g_bytes_get_data (u->wire, NULL), g_bytes_get_size (u->wire),
                      -1, _("as it arrived, after the ClientHello"));
  tls_step_add_text_input (step, N_("keys"), TLS13_STEP_TITLE_C_E_TRAFFIC, st->early_keys_step,
                           _("0-RTT: the keys of the client_early_traffic_secret"));
  tls_step_add_input (step, N_("early data"), d, n, -1,
                      _("decrypted and authenticated, handed to the server's application"));
  {
    gboolean text = n > 0;

    for (gsize i = 0; i < n && text; i++)
      text = g_ascii_isprint (d[i]) || d[i] == '\r' || d[i] == '\n' || d[i] == '\t';
    if (text)
      {
        g_autofree char *shown = g_strndup ((const char *) d, MIN (n, 200));
        tls_step_add_text_input (step, N_("early data (text)"), shown, -1,
                                 _("the same bytes, as text"));
      }
  }
  tls_step_set_reason (step, "%s", _("the record decrypts and authenticates: the server's "
                                     "application gets the data before the handshake is "
                                     "complete"));
  tls_step_explain (step, WEAKER_RFC, "%s%s",
                    _("The server decrypts the 0-RTT record with the keys of the "
                      "client_early_traffic_secret and hands the data to its application now, "
                      "before the client's Finished: nothing yet proves that this client is "
                      "live. The data depends only on the PSK and the ClientHello: it has no "
                      "forward secrecy against the PSK, and a recorded copy of the ClientHello "
                      "and of these records, replayed, decrypts the same way (8, E.5)."),
                    ep->cfg.ticket_store != NULL
                    ? _(" This server lets each ticket resume once (8.1): a copy of this "
                        "ClientHello would get a full handshake, and its 0-RTT data would be "
                        "skipped.")
                    : _(" This server keeps no record of the tickets or ClientHellos it has "
                        "seen, so it would process such a copy again."));
  tls_ep_commit (ep, step);
  tls_unit_free (u);
  return FALSE;   /* more until EndOfEarlyData */
}

gboolean
tls13_early_server_skipped (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  TlsStep *step = tls_ep_add_step (ep, TLS_STEP_CHECK, ep->role, N_("0-RTT records skipped"));

  group_under_sent_data (ep, step);

  step->subject = g_strdup_printf (_("%u records, %u bytes, that did not deprotect"),
                                   st->early_skipped_records, st->early_skipped);
  step->against = g_strdup (_("the client's handshake traffic keys"));
  step->result = TLS_CHECK_PASSED;
  tls_step_set_reason (step, "%s", st->hrr
                       ? _("the early data was discarded unread, before the second ClientHello")
                       : _("the early data was discarded unread; the first record that "
                           "deprotected started the client's second flight"));
  tls_step_explain (step, "RFC 8446, 4.2.10", "%s",
                    st->hrr
                    ? _("Having answered with a HelloRetryRequest, the server \"ignores early "
                        "data by skipping all records with an external content type of "
                        "\"application_data\"\" (up to the configured max_early_data_size) "
                        "until the second ClientHello. The application never saw that data.")
                    : _("Having refused early data, the server \"skips past early data by "
                        "attempting to deprotect received records using the handshake traffic "
                        "key, discarding records which fail deprotection (up to the configured "
                        "max_early_data_size)\". The application never saw that data."));
  tls_ep_commit (ep, step);
  return TRUE;
}
