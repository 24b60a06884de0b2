/* tls-endpoint.c — the endpoint's public face: made from a config, fed
 * bytes, stepped one unit of work at a time.  The work itself is the flow
 * of tls-client.c or tls-server.c, over the actions of tls-flow.c. */
#include "tls-endpoint.h"
#include "tls-client.h"
#include "tls-server.h"
#include "tls-flow.h"
#include "tls13-flow.h"
#include "tls13-psk.h"
#include "tls13-keyupdate.h"

#include <string.h>

TlsEndpoint *
tls_endpoint_new (const TlsConfig *cfg, TlsTrace *trace)
{
  TlsEndpoint *ep = g_new0 (TlsEndpoint, 1);

  ep->cfg = *cfg;
  ep->trace = trace;
  ep->role = cfg->role;
  ep->in = g_byte_array_new ();
  ep->out = g_byte_array_new ();
  ep->units = g_queue_new ();
  ep->hs_stream = g_byte_array_new ();
  ep->hs_expect = TLS_EP_EXPECT_ANY;
  ep->hs_records = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_hs_record_free);
  ep->transcript = tls_transcript_new ();
  ep->pending_checks = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_step_free);
  ep->app_send = g_byte_array_new ();
  ep->app_received = g_byte_array_new ();
  ep->peer_chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  ep->offered_suites = g_array_new (FALSE, FALSE, sizeof (guint16));
  tls_server_hello_init (&ep->sh);
  tls_client_hello_init (&ep->ch);
  ep->status = TLS_EP_PROGRESS;
  ep->record_version = cfg->min_version;
  ep->client_hello_step = ep->server_hello_step = ep->pms_step = -1;
  ep->master_step = ep->keys_step = ep->cke_step = ep->certificate_step = -1;
  ep->ske_step = ep->key_step = -1;
  if (ep->role == TLS_ACTOR_CLIENT)
    tls_client_init (ep);
  else
    tls_server_init (ep);
  if (cfg->max_version >= TLS_VERSION_1_3)
    tls13_endpoint_init (ep);
  return ep;
}

void
tls_endpoint_free (TlsEndpoint *ep)
{
  if (ep == NULL)
    return;
  g_byte_array_unref (ep->in);
  g_byte_array_unref (ep->out);
  g_queue_free_full (ep->units, (GDestroyNotify) tls_unit_free);
  g_byte_array_unref (ep->hs_stream);
  g_ptr_array_unref (ep->hs_records);
  tls_transcript_free (ep->transcript);
  g_ptr_array_unref (ep->pending_checks);
  g_byte_array_unref (ep->app_send);
  g_byte_array_unref (ep->app_received);
  g_ptr_array_unref (ep->peer_chain);
  g_clear_pointer (&ep->peer_leaf, tls_certificate_free);
  tls_server_hello_clear (&ep->sh);
  tls_client_hello_clear (&ep->ch);
  g_clear_pointer (&ep->exchange_keys, g_bytes_unref);
  g_clear_pointer (&ep->cr_types, g_byte_array_unref);
  g_clear_pointer (&ep->cr_sigalgs, g_array_unref);
  g_clear_pointer (&ep->dh_p, g_bytes_unref);
  g_clear_pointer (&ep->dh_g, g_bytes_unref);
  if (ep->dh_key != ep->cfg.static_dh)
    g_clear_pointer (&ep->dh_key, tls_dh_key_free);
  g_clear_pointer (&ep->ecdh_key, tls_ecdh_key_free);
  g_clear_pointer (&ep->peer_public, g_bytes_unref);
  tls_server_key_exchange_clear (&ep->ske);
  g_clear_pointer (&ep->ticket_session, tls_session_free);
  g_clear_pointer (&ep->new_ticket, g_bytes_unref);
  g_clear_pointer (&ep->verifier, tls_verifier_free);
  g_array_unref (ep->offered_suites);
  tls_protection_free (ep->read_prot);
  tls_protection_free (ep->write_prot);
  tls_protection_free (ep->pending_read);
  tls_protection_free (ep->pending_write);
  tls_session_free (ep->session);
  g_free (ep->sni);
  g_free (ep->alpn);
  g_free (ep->reason);
  tls13_state_free (ep->t13);
  memset (ep->pms, 0, sizeof ep->pms);
  memset (ep->master, 0, sizeof ep->master);
  memset (&ep->kb, 0, sizeof ep->kb);
  g_free (ep);
}

void
tls_endpoint_set_time (TlsEndpoint *ep, gint64 unix_seconds)
{
  ep->now = unix_seconds;
}

void
tls_endpoint_feed (TlsEndpoint *ep, const guint8 *data, gsize len)
{
  g_byte_array_append (ep->in, data, len);
}

void
tls_endpoint_feed_eof (TlsEndpoint *ep)
{
  ep->eof = TRUE;
}

GBytes *
tls_endpoint_take_output (TlsEndpoint *ep)
{
  GBytes *b;

  if (ep->out->len == 0)
    return NULL;
  b = g_byte_array_free_to_bytes (ep->out);
  ep->out = g_byte_array_new ();
  return b;
}

TlsEpStatus
tls_endpoint_status (const TlsEndpoint *ep)
{
  return ep->status;
}

void
tls_endpoint_send (TlsEndpoint *ep, const guint8 *data, gsize len)
{
  g_byte_array_append (ep->app_send, data, len);
}

GBytes *
tls_endpoint_take_received (TlsEndpoint *ep)
{
  GBytes *b;

  if (ep->app_received->len == 0)
    return NULL;
  b = g_byte_array_free_to_bytes (ep->app_received);
  ep->app_received = g_byte_array_new ();
  return b;
}

gboolean
tls_endpoint_key_update (TlsEndpoint *ep, gboolean request_update)
{
  return tls13_key_update_queue (ep, request_update);
}

void
tls_endpoint_close (TlsEndpoint *ep)
{
  ep->close_queued = TRUE;
}

/* ------------------------------------------------------------------ */
/* The step loop                                                       */

TlsEpStatus
tls_endpoint_step (TlsEndpoint *ep)
{
  guint before = tls_trace_len (ep->trace);

  for (;;)
    {
      TlsState state;

      if (ep->alert_pending)
        {
          tls_ep_send_alert (ep);
          return TLS_EP_FAILED;
        }
      if (ep->status == TLS_EP_FAILED || ep->status == TLS_EP_CLOSED)
        return ep->status;
      if (ep->pending_checks->len > 0)
        {
          TlsStep *s = g_ptr_array_steal_index (ep->pending_checks, 0);
          TlsStep *t = tls_ep_add_step (ep, s->kind, s->actor, s->title);
          guint idx = t->index, conn = t->connection;

          /* Move the prepared step in, keeping the trace's numbering. */
          g_ptr_array_index (ep->trace->steps, idx) = s;
          s->index = idx;
          s->connection = conn;
          tls_step_free (t);
          tls_ep_commit (ep, s);
          return ep->status == TLS_EP_DONE ? TLS_EP_DONE : TLS_EP_PROGRESS;
        }
      if (ep->status == TLS_EP_DONE)
        {
          TlsEpStatus st;

          /* TLS 1.3: a NewSessionTicket after the handshake (RFC 8446, 4.6.1) */
          if (ep->t13 != NULL && tls13_psk_take_ticket (ep))
            {
              if (tls_trace_len (ep->trace) > before || ep->status != TLS_EP_DONE)
                return ep->status == TLS_EP_DONE ? TLS_EP_DONE : ep->status;
              continue;
            }
          st = tls13_key_update_step (ep) ? TLS_EP_PROGRESS : tls_ep_step_connected (ep);
          if (tls_trace_len (ep->trace) > before)
            return ep->status == TLS_EP_DONE ? TLS_EP_DONE : ep->status;
          if (st == TLS_EP_PROGRESS)
            continue;
          if (ep->alert_pending)
            continue;
          return st == TLS_EP_WANT_INPUT ? TLS_EP_WANT_INPUT : st;
        }

      state = ep->state;
      if (ep->t13 != NULL)
        {
          if (ep->role == TLS_ACTOR_CLIENT)
            tls13_client_action (ep);
          else
            tls13_server_action (ep);
          if (ep->t13 == NULL)   /* a TLS 1.2 ClientHello: the TLS 1.2 server takes it */
            continue;
        }
      else if (ep->role == TLS_ACTOR_CLIENT)
        tls_client_action (ep);
      else
        tls_server_action (ep);

      if (tls_trace_len (ep->trace) > before)
        return ep->status == TLS_EP_PROGRESS ? TLS_EP_PROGRESS : ep->status;
      if (ep->alert_pending || ep->status != TLS_EP_PROGRESS)
        continue;
      if (ep->state == state)
        {
          if (ep->eof)
            tls_ep_fail (ep, TLS_ALERT_HANDSHAKE_FAILURE,
                         _("the peer closed the connection in the middle of the handshake"));
          else
            return TLS_EP_WANT_INPUT;
        }
    }
}

gboolean
tls_endpoint_input_pending (const TlsEndpoint *ep)
{
  return ep->in->len > 0 || !g_queue_is_empty (ep->units);
}

gboolean tls_endpoint_send_pending (const TlsEndpoint *ep)
{
  return ep->app_send->len > 0 || tls13_key_update_pending (ep);
}
gboolean tls_endpoint_output_pending (const TlsEndpoint *ep) { return ep->out->len > 0; }
gboolean tls_endpoint_close_pending (const TlsEndpoint *ep)  { return ep->close_queued && !ep->close_sent; }
gboolean tls_endpoint_close_sent (const TlsEndpoint *ep)     { return ep->close_sent; }

void
tls_endpoint_record_result (TlsEndpoint *ep)
{
  tls_ep_set_result_meta (ep);
}

/* ------------------------------------------------------------------ */
/* Results                                                             */

TlsActor     tls_endpoint_role (const TlsEndpoint *ep)       { return ep->role; }
int          tls_endpoint_alert (const TlsEndpoint *ep)      { return ep->alert; }
gboolean     tls_endpoint_alert_sent (const TlsEndpoint *ep) { return ep->alert_sent; }
const char  *tls_endpoint_reason (const TlsEndpoint *ep)     { return ep->reason; }
guint16      tls_endpoint_version (const TlsEndpoint *ep)    { return ep->version; }
guint16      tls_endpoint_suite (const TlsEndpoint *ep)      { return ep->suite ? ep->suite->id : 0; }
gboolean     tls_endpoint_resumed (const TlsEndpoint *ep)    { return ep->resumed; }

TlsEarlyData
tls_endpoint_early_data (const TlsEndpoint *ep)
{
  if (ep->t13 == NULL || !ep->t13->early_offered)
    return TLS_EARLY_NONE;
  return ep->t13->early_accepted ? TLS_EARLY_ACCEPTED : TLS_EARLY_REFUSED;
}
gboolean     tls_endpoint_ems (const TlsEndpoint *ep)        { return ep->ems; }
gboolean     tls_endpoint_etm (const TlsEndpoint *ep)        { return ep->etm; }
const TlsSession *tls_endpoint_session (const TlsEndpoint *ep) { return ep->session; }
const char  *tls_endpoint_server_name (const TlsEndpoint *ep) { return ep->sni; }

gboolean
tls_endpoint_keylog (const TlsEndpoint *ep, guint8 client_random[32], guint8 master[48])
{
  if (ep->master_step < 0 && !ep->resumed && ep->status != TLS_EP_DONE)
    return FALSE;
  memcpy (client_random, ep->client_random, 32);
  memcpy (master, ep->master, 48);
  return TRUE;
}
