/* tls13-keyupdate.c — KeyUpdate after the TLS 1.3 handshake (RFC 8446,
 * 4.6.3): "the sender SHALL send all its traffic using the next generation
 * of keys, computed as described in Section 7.2.  Upon receiving a
 * KeyUpdate, the receiver MUST update its receiving keys."  The derivation
 * is the key schedule's (tls13_derive_traffic_update), the one the capture
 * layer uses too. */
#include <glib/gi18n-lib.h>
#include "tls13-keyupdate.h"
#include "tls13-msg-key-update.h"
#include "tls-handshake.h"

#include <string.h>

gboolean
tls13_key_update_queue (TlsEndpoint *ep, gboolean request_update)
{
  /* "This message can be sent by either peer after it has sent a
   * Finished message" (4.6.3). */
  if (ep->t13 == NULL || ep->status != TLS_EP_DONE)
    return FALSE;
  ep->t13->ku_queued = 1 + (request_update ? TLS13_KEY_UPDATE_REQUESTED
                                           : TLS13_KEY_UPDATE_NOT_REQUESTED);
  return TRUE;
}

gboolean
tls13_key_update_pending (const TlsEndpoint *ep)
{
  return ep->t13 != NULL && ep->t13->ku_queued != 0;
}

/* The next generation of FROM_CLIENT's application traffic secret and
 * its keys (steps); the keys go into *SLOT.  Returns the keys' step. */
static int
next_generation (TlsEndpoint *ep, gboolean from_client, Tls13Protection **slot)
{
  Tls13State *st = ep->t13;
  guint8 *secret = from_client ? st->ks.client_application_traffic_secret
                               : st->ks.server_application_traffic_secret;
  int *secret_step = from_client ? &st->ks.c_ap_traffic_step : &st->ks.s_ap_traffic_step;
  guint *gen = &st->ku_gen[from_client ? 0 : 1];
  guint8 next[TLS_MAX_HASH_LEN];
  g_autofree char *name = NULL;
  Tls13TrafficKeys k;
  int step, keys_step;

  step = tls13_derive_traffic_update (ep->trace, ep->role, ep->suite->prf, secret,
                                      *secret_step, next);
  /* "the old secret and keys should then be deleted" (7.2): the new
   * secret takes the old one's place. */
  memcpy (secret, next, tls13_hash_len (ep->suite->prf));
  memset (next, 0, sizeof next);
  *secret_step = step;
  (*gen)++;
  name = g_strdup_printf ("%s_application_traffic_secret_%u",
                          from_client ? "client" : "server", *gen);
  keys_step = tls13_derive_traffic_keys (ep->trace, ep->role, ep->suite->prf, ep->suite->cipher,
                                         secret, name, step, &k);
  tls13_protection_free (*slot);
  *slot = tls13_protection_new_from_keys (ep->suite->cipher, &k);
  memset (&k, 0, sizeof k);
  return keys_step;
}

void
tls13_key_update_send (TlsEndpoint *ep)
{
  Tls13State *st = ep->t13;
  guint8 request = (guint8) (st->ku_queued - 1);
  gboolean client = ep->role == TLS_ACTOR_CLIENT;
  Tls13Protection *next = NULL;
  TlsStep *step;
  gboolean tampered = ep->role == TLS_ACTOR_CLIENT
                      && g_strcmp0 (ep->cfg.tamper, "client-bad-key-update") == 0;

  st->ku_queued = 0;
  /* The derivations first: they go under the message that announces them. */
  next_generation (ep, client, &next);
  if (tampered)
    request = 2;   /* neither value of KeyUpdateRequest */
  step = tls_ep_send_message (ep, TLS_HS_KEY_UPDATE, "KeyUpdate",
                              (TlsWriteFunc) tls13_key_update_write, &request);
  if (tampered)
    tls_step_add_input (step, "request_update_sent", &request, 1, -1,
                        _("FAULT INJECTED ON PURPOSE: a value KeyUpdateRequest does not define"));
  tls_step_explain (step, "RFC 8446, 4.6.3; RFC 8446, 7.2",
                    request == TLS13_KEY_UPDATE_REQUESTED
                    ? _("This side updates its sending keys: the KeyUpdate itself still goes "
                        "under the old keys, everything it sends after it under keys made from "
                        "its next application traffic secret. With update_requested it asks the "
                        "peer to update its own sending keys too, before the peer's next "
                        "application data.")
                    : _("This side updates its sending keys: the KeyUpdate itself still goes "
                        "under the old keys, everything it sends after it under keys made from "
                        "its next application traffic secret. update_not_requested: the peer "
                        "only updates its receiving keys."));
  tls_ep_commit (ep, step);
  tls13_protection_free (st->write);
  st->write = next;
}

void
tls13_key_update_receive (TlsEndpoint *ep, TlsUnit *u)
{
  Tls13State *st = ep->t13;
  gboolean from_client = ep->role == TLS_ACTOR_SERVER;
  TlsField *root;
  TlsReader body;
  guint8 request = 0;
  guint before;
  int err;

  err = tls_ep_parse_header (u, &root, &body);
  if (err == 0)
    err = tls13_key_update_parse (&body, &request);
  err = tls_ep_body_done (&body, err);
  if (err != 0)
    {
      tls_field_free (root);
      tls_ep_fail (ep, err, err == TLS_ALERT_ILLEGAL_PARAMETER
                   ? _("the peer's KeyUpdate has request_update %u, neither "
                       "update_not_requested (0) nor update_requested (1)")
                   : _("the peer's KeyUpdate is not one byte long"), request);
      return;
    }
  /* RFC 8446, 5.1: "Handshake messages MUST NOT span key changes.
   * Implementations MUST verify that all messages immediately preceding a
   * key change align with a record boundary". */
  if (!g_queue_is_empty (ep->units) || ep->hs_stream->len > 0)
    {
      tls_field_free (root);
      tls_ep_fail (ep, TLS_ALERT_UNEXPECTED_MESSAGE,
                   _("more handshake data follows the peer's KeyUpdate in its record: a key "
                     "change must fall on a record boundary"));
      return;
    }
  tls_ep_received_handshake (ep, u, root,
                             request == TLS13_KEY_UPDATE_REQUESTED
                             ? _("The peer updates its sending keys and asks this side to "
                                 "update its own: this side derives the peer's next "
                                 "application traffic secret for what it receives, and sends "
                                 "a KeyUpdate of its own before its next application data.")
                             : _("The peer updates its sending keys: this side derives the "
                                 "peer's next application traffic secret and its keys, and "
                                 "opens what follows with them."),
                             "RFC 8446, 4.6.3");
  before = tls_trace_len (ep->trace);
  next_generation (ep, from_client, &st->read);
  for (guint i = before; i < tls_trace_len (ep->trace); i++)
    tls_ep_group_under_message (ep, tls_trace_get (ep->trace, i), "KeyUpdate");
  /* "If the request_update field is set to "update_requested", then the
   * receiver MUST send a KeyUpdate of its own with request_update set to
   * "update_not_requested" prior to sending its next Application Data
   * record" (4.6.3); one answers any number received meanwhile. */
  if (request == TLS13_KEY_UPDATE_REQUESTED && st->ku_queued == 0)
    st->ku_queued = 1 + TLS13_KEY_UPDATE_NOT_REQUESTED;
}

gboolean
tls13_key_update_step (TlsEndpoint *ep)
{
  TlsUnit *u;

  if (ep->t13 == NULL)
    return FALSE;
  if (ep->t13->ku_queued != 0)   /* before any application data (4.6.3) */
    {
      tls13_key_update_send (ep);
      return TRUE;
    }
  if (tls_ep_peek_type (ep) != TLS_HS_KEY_UPDATE)
    return FALSE;
  u = tls_ep_next_unit (ep);
  tls13_key_update_receive (ep, u);
  tls_unit_free (u);
  return TRUE;
}
