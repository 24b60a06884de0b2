/* tls-conductor.c — steps a run one trace event at a time. */
#include <glib/gi18n-lib.h>
#include "tls-conductor.h"
#include "tls-endpoint.h"
#include "tls-transport.h"
#include "tls-x509.h"
#include "tls-ticket.h"
#include "tls-ticket-store.h"
#include "tls-kx-dh.h"
#include "tls-suites.h"
#include "tls-types.h"
#include "tls-alert.h"
#include "tls-trace-live.h"
#include "tls-attacker.h"

#include <string.h>

#define DEFAULT_TIMEOUT_MS 10000
/* A handshake takes a few dozen steps; this bounds every loop. */
#define MAX_IDLE_ROUNDS 64

struct _TlsConductor
{
  TlsTrace        *trace;
  gboolean         own_trace;
  TlsRunState      state;
  int              alert;
  char            *reason;
  guint            timeout_ms;

  /* both ours */
  TlsScenario     *sc;
  char            *datadir;
  TlsRng          *client_rng;
  TlsRng          *server_rng;
  TlsSessionCache *cache;
  GPtrArray       *server_chain;
  TlsPrivateKey   *server_key;
  GPtrArray       *trust;
  GPtrArray       *client_chain;
  TlsDhKey        *static_dh;
  TlsTicketKeys   *ticket_keys;
  GPtrArray       *identities;      /* of TlsIdentity*: more server certificates */
  TlsPrivateKey   *client_key;
  TlsConfig        ccfg;
  TlsConfig        scfg;
  TlsEndpoint     *client;
  TlsEndpoint     *server;
  TlsActor         active;
  guint            connection;
  TlsSession      *saved;
  int              fds[2];
  gboolean         request_sent;
  gboolean         response_sent;
  gboolean         key_updated;    /* the scenario's KeyUpdate has been queued */
  guint            annotated;       /* steps given the scenario's notes */
  GPtrArray       *attacks;         /* of TlsAttack*: the scenario's attack, or NULL */
  TlsAttacker     *attacker;        /* between the endpoints when there are attacks */
  GByteArray      *first_flight;    /* early-data replay: the client's ClientHello and
                                       0-RTT records of the second connection */
  gboolean         flight_over;     /* ... the server has answered */
  TlsTicketStore  *ticket_store;    /* replay-single-use: the server's record (RFC 8446, 8.1) */

  /* against a real peer */
  TlsEndpoint     *ep;
  int              fd;
  gboolean         whole_run;       /* in tls_conductor_run: a flight leaves in one write */
};

static void
set_result (TlsConductor *c, TlsRunState state, int alert, const char *reason)
{
  if (c->state != TLS_RUN_RUNNING)
    return;
  c->state = state;
  c->alert = alert;
  g_free (c->reason);
  c->reason = g_strdup (reason);
}

/* ------------------------------------------------------------------ */
/* Both endpoints ours                                                 */

static char *
pki_path (TlsConductor *c, const char *name)
{
  return g_build_filename (c->datadir, "pki", name, NULL);
}

static gboolean
load_pki (TlsConductor *c, GError **error)
{
  g_autofree char *chain = NULL, *key = NULL, *root = NULL;
  g_autofree char *chain_name = g_strdup_printf ("%s-chain.pem", c->sc->server_cert);
  g_autofree char *key_name = g_strdup_printf ("%s.key", c->sc->server_cert);

  chain = pki_path (c, chain_name);
  key = pki_path (c, key_name);
  root = g_build_filename (c->datadir, "pki", "ca", "root.crt", NULL);
  c->server_chain = tls_certificate_list_from_file (chain, error);
  if (c->server_chain == NULL)
    return FALSE;
  if (g_str_has_prefix (c->sc->server_cert, "server-dh-"))
    {
      /* Static DH (historical): the server's key is a DH key. */
      c->static_dh = tls_dh_key_from_private_key_file (key, error);
      if (c->static_dh == NULL)
        return FALSE;
    }
  else
    {
      c->server_key = tls_private_key_load_file (key, error);
      if (c->server_key == NULL)
        return FALSE;
    }
  c->trust = tls_certificate_list_from_file (root, error);
  if (c->trust == NULL)
    return FALSE;
  if (c->sc->extra_certs)
    {
      g_auto (GStrv) names = g_strsplit (c->sc->extra_certs, ";", -1);
      c->identities = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_identity_free);
      for (guint i = 0; names[i]; i++)
        {
          g_autofree char *cn = g_strdup_printf ("%s-chain.pem", g_strstrip (names[i]));
          g_autofree char *kn = g_strdup_printf ("%s.key", names[i]);
          g_autofree char *cp = pki_path (c, cn);
          g_autofree char *kp = pki_path (c, kn);
          GPtrArray *chain_certs = tls_certificate_list_from_file (cp, error);
          TlsPrivateKey *k;

          if (chain_certs == NULL)
            return FALSE;
          k = tls_private_key_load_file (kp, error);
          if (k == NULL)
            {
              g_ptr_array_unref (chain_certs);
              return FALSE;
            }
          g_ptr_array_add (c->identities, tls_identity_new (chain_certs, k));
        }
    }
  if (c->sc->client_cert)
    {
      g_autofree char *cchain = pki_path (c, "client-rsa-chain.pem");
      g_autofree char *ckey = pki_path (c, "client-rsa.key");
      c->client_chain = tls_certificate_list_from_file (cchain, error);
      if (c->client_chain == NULL)
        return FALSE;
      c->client_key = tls_private_key_load_file (ckey, error);
      if (c->client_key == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
free_connection (TlsConductor *c)
{
  g_clear_pointer (&c->client, tls_endpoint_free);
  g_clear_pointer (&c->server, tls_endpoint_free);
  tls_transport_close (c->fds[0]);
  tls_transport_close (c->fds[1]);
  c->fds[0] = c->fds[1] = -1;
}

static gboolean
start_connection (TlsConductor *c)
{
  g_autoptr (GError) error = NULL;
  gint64 now = c->sc->clock + (gint64) c->connection * c->sc->reconnect_after;

  /* early-data replay: the attacker's copy, replay_after seconds after
   * the second connection */
  if (c->first_flight != NULL && c->connection == 2)
    now = c->sc->clock + c->sc->reconnect_after + c->sc->replay_after;

  c->trace->connection = c->connection;
  tls_config_init (&c->ccfg, TLS_ACTOR_CLIENT);
  c->ccfg.min_version = c->sc->min_version;
  c->ccfg.max_version = c->sc->client_max_version ? c->sc->client_max_version : c->sc->max_version;
  c->ccfg.fallback = c->sc->fallback;
  c->ccfg.no_etm = c->sc->no_etm;
  if (c->sc->client_suites->len)
    c->ccfg.suites = g_array_copy (c->sc->client_suites);
  c->ccfg.server_name = g_strdup (c->sc->server_name);
  c->ccfg.trust = g_ptr_array_ref (c->trust);
  c->ccfg.no_ems = c->sc->no_ems;
  c->ccfg.rng = c->client_rng;
  c->ccfg.tamper = g_strdup (c->sc->tamper);
  c->ccfg.min_dh_bits = c->sc->min_dh_bits;
  c->ccfg.insecure = c->sc->insecure;
  if (c->sc->resume && c->saved)
    {
      c->ccfg.resume = tls_session_copy (c->saved);
      /* resume-unknown: the client offers an ID the server never issued
       * (every byte of the real one inverted), so the lookup misses. */
      for (guint i = 0; c->sc->resume_unknown && i < c->ccfg.resume->id_len; i++)
        c->ccfg.resume->id[i] ^= 0xff;
    }
  if (c->client_chain)
    {
      c->ccfg.chain = g_ptr_array_ref (c->client_chain);
      c->ccfg.key = c->client_key;
    }

  tls_config_init (&c->scfg, TLS_ACTOR_SERVER);
  c->scfg.min_version = c->sc->min_version;
  c->scfg.max_version = c->sc->max_version;
  if (c->sc->server_suites->len)
    c->scfg.suites = g_array_copy (c->sc->server_suites);
  c->scfg.chain = g_ptr_array_ref (c->server_chain);
  c->scfg.key = c->server_key;
  c->scfg.static_dh = c->static_dh;
  if (c->identities)
    c->scfg.more_identities = g_ptr_array_ref (c->identities);
  c->scfg.cache = c->cache;
  c->scfg.no_ems = c->sc->no_ems;
  c->scfg.no_etm = c->sc->no_etm;
  c->scfg.rng = c->server_rng;
  c->scfg.tamper = g_strdup (c->sc->tamper);
  c->scfg.dh_group = g_strdup (c->sc->server_dh_group);
  if (c->sc->alpn != NULL)
    {
      tls_config_parse_alpn (c->sc->alpn, &c->ccfg.alpn, NULL);
      tls_config_parse_alpn (c->sc->server_alpn ? c->sc->server_alpn : "http/1.1",
                             &c->scfg.alpn, NULL);
    }
  else if (c->sc->server_alpn != NULL)
    tls_config_parse_alpn (c->sc->server_alpn, &c->scfg.alpn, NULL);
  c->scfg.ticket_keys = c->ticket_keys;
  c->scfg.ticket_lifetime = 3600;
  c->ccfg.tickets = c->sc->tickets;
  c->ccfg.psk_ke_only = c->sc->psk_ke;
  if (c->sc->early_data != TLS_EARLY_DATA_NONE)
    {
      /* 0-RTT (RFC 8446, 2.3): the tickets allow one record of early data,
       * and the resumed client sends its request as early data. */
      c->scfg.max_early_data = 16384;
      c->scfg.reject_early_data = c->sc->early_data == TLS_EARLY_DATA_REFUSE;
      c->scfg.ticket_store = c->ticket_store;
      if (c->sc->app_request && *c->sc->app_request)
        c->ccfg.early_data = g_bytes_new (c->sc->app_request, strlen (c->sc->app_request));
    }
  if (c->sc->groups != NULL)
    {
      tls_config_parse_groups (c->sc->groups, &c->ccfg.groups, NULL);
      tls_config_parse_groups (c->sc->groups, &c->scfg.groups, NULL);
    }
  /* TLS 1.0-1.2: the server's own (EC)DHE groups, in its order */
  if (c->sc->server_groups)
    tls_config_parse_server_groups (c->sc->server_groups, &c->scfg.groups, NULL);
  c->scfg.client_auth = (TlsClientAuth) c->sc->client_auth;
  if (c->sc->client_auth != TLS_CLIENT_AUTH_NONE)
    c->scfg.trust = g_ptr_array_ref (c->trust);

  c->client = tls_endpoint_new (&c->ccfg, c->trace);
  c->server = tls_endpoint_new (&c->scfg, c->trace);
  tls_endpoint_set_time (c->client, now);
  tls_endpoint_set_time (c->server, now);
  c->active = TLS_ACTOR_CLIENT;
  c->request_sent = c->response_sent = c->key_updated = FALSE;
  if (c->attacker)
    tls_attacker_start (c->attacker, c->connection);
  if (c->sc->transport == TLS_TRANSPORT_LOOPBACK
      && !tls_transport_loopback_pair (c->fds, &error))
    {
      set_result (c, TLS_RUN_FAILED, TLS_ALERT_INTERNAL_ERROR, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
clear_configs (TlsConductor *c)
{
  c->scfg.key = NULL;   /* the conductor's */
  c->scfg.cache = NULL;
  c->scfg.ticket_keys = NULL;
  c->ccfg.key = NULL;
  c->scfg.static_dh = NULL;
  tls_config_clear (&c->ccfg);
  tls_config_clear (&c->scfg);
}

/* Hands OUT to TO: in memory, or through the loopback TCP connection
 * (reading back exactly what was written). */
static gboolean
deliver (TlsConductor *c, GBytes *out, TlsEndpoint *to, int wfd, int rfd)
{
  g_autoptr (GError) error = NULL;
  gsize len;
  const guint8 *data;

  if (out == NULL)
    return FALSE;
  data = g_bytes_get_data (out, &len);
  if (wfd < 0)
    {
      tls_endpoint_feed (to, data, len);
      return TRUE;
    }
  if (!tls_transport_write_all (wfd, data, len, (int) c->timeout_ms, &error))
    goto fail;
  for (gsize got = 0; got < len;)
    {
      guint8 buf[16384];
      gssize n = tls_transport_read (rfd, buf, MIN (sizeof buf, len - got), (int) c->timeout_ms, &error);
      if (n <= 0)
        {
          if (n == 0)
            g_set_error (&error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "connection closed");
          goto fail;
        }
      tls_endpoint_feed (to, buf, (gsize) n);
      got += (gsize) n;
    }
  return TRUE;

fail:
  set_result (c, TLS_RUN_FAILED, TLS_ALERT_INTERNAL_ERROR, error->message);
  return FALSE;
}

/* Moves what FROM wants sent to TO, through the attacker when there is one. */
static gboolean
shuttle (TlsConductor *c, TlsEndpoint *from, TlsEndpoint *to, int wfd, int rfd)
{
  g_autoptr (GBytes) out = tls_endpoint_take_output (from);

  /* early-data replay: what the client sends in the second connection
   * before the server answers is its ClientHello and 0-RTT data */
  if (c->first_flight != NULL && c->connection == 1 && out != NULL && !c->flight_over)
    {
      if (from == c->client)
        g_byte_array_append (c->first_flight, g_bytes_get_data (out, NULL),
                             g_bytes_get_size (out));
      else
        c->flight_over = TRUE;
    }

  if (c->attacker != NULL)
    {
      GBytes *sent = out;
      out = tls_attacker_pass (c->attacker, tls_endpoint_role (from), sent);
      g_clear_pointer (&sent, g_bytes_unref);
    }
  return deliver (c, out, to, wfd, rfd);
}

/* The attacker's bytes for the peer of SENDER. */
static void
deliver_from (TlsConductor *c, TlsActor sender, GBytes *out)
{
  if (sender == TLS_ACTOR_CLIENT)
    deliver (c, out, c->server, c->fds[0], c->fds[1]);
  else
    deliver (c, out, c->client, c->fds[1], c->fds[0]);
}

static gboolean
shuttle_both (TlsConductor *c)
{
  gboolean a = shuttle (c, c->client, c->server, c->fds[0], c->fds[1]);
  gboolean b = shuttle (c, c->server, c->client, c->fds[1], c->fds[0]);
  return a || b;
}

static gboolean
finished (TlsEpStatus s)
{
  return s == TLS_EP_FAILED || s == TLS_EP_CLOSED;
}

/* The application data of a scenario: the client's request, the server's
 * answer, then the client's close_notify. */
static void
drive_application (TlsConductor *c)
{
  TlsEpStatus cs = tls_endpoint_status (c->client);
  TlsEpStatus ss = tls_endpoint_status (c->server);

  if (cs != TLS_EP_DONE || (ss != TLS_EP_DONE && ss != TLS_EP_CLOSED))
    return;
  if (!c->request_sent)
    {
      c->request_sent = TRUE;
      /* Sent as 0-RTT data and read by the server: not again.  Refused,
       * it was not delivered, and this application sends it again now
       * (RFC 8446, 4.2.10). */
      if (tls_endpoint_early_data (c->client) == TLS_EARLY_ACCEPTED)
        return;
      if (c->sc->app_request && *c->sc->app_request)
        tls_endpoint_send (c->client, (const guint8 *) c->sc->app_request,
                           strlen (c->sc->app_request));
      else
        tls_endpoint_close (c->client);
      return;
    }
  if (!c->response_sent)
    {
      g_autoptr (GBytes) req = tls_endpoint_take_received (c->server);
      if (req != NULL)
        {
          g_autofree char *body = g_strdup_printf (
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
            "Hello from Handshake Lab over %s with %s.\r\n",
            tls_version_name (tls_endpoint_version (c->server)),
            tls_suite_by_id (tls_endpoint_suite (c->server))->name);
          tls_endpoint_send (c->server, (const guint8 *) body, strlen (body));
          c->response_sent = TRUE;
        }
      return;
    }
  {
    g_autoptr (GBytes) resp = tls_endpoint_take_received (c->client);
    if (resp != NULL && c->sc->key_update && !c->key_updated
        && c->sc->app_request && *c->sc->app_request)
      {
        /* TLS 1.3: a KeyUpdate, then the request once more under the new
         * keys, and the server answers again (RFC 8446, 4.6.3). */
        c->key_updated = TRUE;
        if (tls_endpoint_key_update (c->client, c->sc->key_update == 2))
          {
            tls_endpoint_send (c->client, (const guint8 *) c->sc->app_request,
                               strlen (c->sc->app_request));
            c->response_sent = FALSE;
            return;
          }
      }
    if (resp != NULL)
      tls_endpoint_close (c->client);
  }
}

static void
end_connection (TlsConductor *c)
{
  TlsEndpoint *failed = NULL;

  if (tls_endpoint_status (c->client) == TLS_EP_FAILED && tls_endpoint_alert_sent (c->client))
    failed = c->client;
  else if (tls_endpoint_status (c->server) == TLS_EP_FAILED && tls_endpoint_alert_sent (c->server))
    failed = c->server;
  else if (tls_endpoint_status (c->client) == TLS_EP_FAILED)
    failed = c->client;
  else if (tls_endpoint_status (c->server) == TLS_EP_FAILED)
    failed = c->server;

  tls_endpoint_record_result (c->client);
  if (failed)
    {
      g_autofree char *r = g_strdup_printf ("%s: %s", tls_actor_label (tls_endpoint_role (failed)),
                                            tls_endpoint_reason (failed));
      tls_endpoint_record_result (failed);
      set_result (c, TLS_RUN_FAILED, tls_endpoint_alert (failed), r);
      free_connection (c);
      return;
    }
  if (tls_endpoint_session (c->client))
    {
      tls_session_free (c->saved);
      c->saved = tls_session_copy (tls_endpoint_session (c->client));
    }
  free_connection (c);
  clear_configs (c);
  c->connection++;
  if (c->connection >= c->sc->connections)
    set_result (c, TLS_RUN_COMPLETED, 0, NULL);
}

static gboolean step_scenario_once (TlsConductor *c);

static gboolean
replaying (TlsConductor *c)
{
  return c->first_flight != NULL && c->connection == 2;
}

/* The third connection of an early-data replay: the attacker sends the
 * server the recorded first flight of the second connection (RFC 8446,
 * 8, E.5); there is no client.  One step each call: the replay, then the
 * server's, then the attacker giving up when the server waits for what
 * only the real client could send. */
static gboolean
step_replay (TlsConductor *c)
{
  guint before = tls_trace_len (c->trace);
  TlsStep *step;

  if (!c->request_sent)
    {
      c->request_sent = TRUE;
      step = tls_trace_add (c->trace, TLS_STEP_DECISION, TLS_ACTOR_ATTACKER,
                            N_("Replay of the ClientHello and its 0-RTT data"));
      step->choice = g_strdup_printf (_("%u bytes recorded in connection 2, sent again"),
                                      c->first_flight->len);
      tls_step_set_reason (step, "%s",
                           _("the attacker copied the client's first flight on its way: the "
                             "ClientHello with its ticket and binder, and the 0-RTT records"));
      tls_step_explain (step, "RFC 8446, 8; RFC 8446, E.5",
                        _("0-RTT data does not depend on anything the server sends, so a copy "
                          "of the first flight is as good as the original: the binder still "
                          "verifies, the 0-RTT keys are the same, and the records decrypt. "
                          "Only a server that remembers what it has seen (8.1, 8.2) can tell."));
      tls_trace_group (c->trace, step, TLS_PARENT_NONE);
      tls_trace_commit (c->trace, step);
      tls_endpoint_feed (c->server, c->first_flight->data, c->first_flight->len);
      return TRUE;
    }
  while (tls_trace_len (c->trace) == before)
    {
      TlsEpStatus st = tls_endpoint_step (c->server);
      g_autoptr (GBytes) out = tls_endpoint_take_output (c->server);   /* to the attacker */

      if (tls_trace_len (c->trace) > before)
        return TRUE;
      if (st == TLS_EP_PROGRESS)
        continue;
      if (c->response_sent || st != TLS_EP_WANT_INPUT)
        break;
      /* the server waits for what only the client could send: the
       * attacker closes the connection */
      c->response_sent = TRUE;
      tls_endpoint_feed_eof (c->server);
    }
  step = tls_trace_add (c->trace, TLS_STEP_DECISION, TLS_ACTOR_ATTACKER,
                        N_("The attacker stops"));
  step->choice = g_strdup (_("the connection is closed unfinished"));
  tls_step_set_reason (step, "%s",
                       _("the server waited for the client's second flight, which needs the "
                         "keys of this new handshake: the attacker has neither the private key "
                         "of the client's key share nor the PSK, so it closed the connection"));
  tls_step_explain (step, "RFC 8446, E.5",
                    _("The attacker cannot complete the handshake, but it did not need to: "
                      "whatever 0-RTT data the server accepted was handed to its application "
                      "as soon as it was decrypted."));
  tls_trace_group (c->trace, step, TLS_PARENT_NONE);
  tls_trace_commit (c->trace, step);
  /* the summary of this connection is the server's: there is no client */
  tls_endpoint_record_result (c->server);
  free_connection (c);
  clear_configs (c);
  c->connection++;
  set_result (c, TLS_RUN_COMPLETED, 0, NULL);
  return TRUE;
}

/* One step, and the scenario's notes on the steps it made. */
static gboolean
step_scenario (TlsConductor *c)
{
  gboolean moved = step_scenario_once (c);

  for (; c->annotated < tls_trace_len (c->trace); c->annotated++)
    tls_scenario_annotate (c->sc, tls_trace_get (c->trace, c->annotated));
  return moved;
}

/* The version of the current connection, for the attacker's explanations:
 * what an endpoint has negotiated, or before that (an action on the first
 * ClientHello) the highest version both our endpoints are configured for,
 * which is what they negotiate. */
static guint16
connection_version (const TlsConductor *c)
{
  guint16 v = tls_endpoint_version (c->server);

  if (v == 0)
    v = tls_endpoint_version (c->client);
  return v != 0 ? v : MIN (c->ccfg.max_version, c->scfg.max_version);
}

static gboolean
step_scenario_once (TlsConductor *c)
{
  guint before = tls_trace_len (c->trace);

  for (guint round = 0; round < MAX_IDLE_ROUNDS && c->state == TLS_RUN_RUNNING; round++)
    {
      TlsEndpoint *ep;
      TlsEpStatus st;

      if (c->client == NULL && !start_connection (c))
        return FALSE;
      if (replaying (c))
        return step_replay (c);
      if (c->attacker != NULL && tls_attacker_pending (c->attacker))
        {
          /* the attacker's action on the record it kept back: a step */
          TlsActor sender;
          g_autoptr (GBytes) out = NULL;

          tls_attacker_set_version (c->attacker, connection_version (c));
          out = tls_attacker_act (c->attacker, &sender);
          deliver_from (c, sender, out);
          return TRUE;
        }
      ep = c->active == TLS_ACTOR_CLIENT ? c->client : c->server;
      st = tls_endpoint_step (ep);
      shuttle_both (c);
      if (c->state != TLS_RUN_RUNNING)
        break;
      if (tls_trace_len (c->trace) > before)
        return TRUE;
      drive_application (c);
      shuttle_both (c);
      if (st == TLS_EP_WANT_INPUT || st == TLS_EP_DONE || finished (st))
        {
          TlsEpStatus cs = tls_endpoint_status (c->client);
          TlsEpStatus ss = tls_endpoint_status (c->server);
          gboolean client_idle = finished (cs) || (!tls_endpoint_input_pending (c->client)
                                                   && !tls_endpoint_send_pending (c->client)
                                                   && !tls_endpoint_close_pending (c->client));
          gboolean server_idle = finished (ss) || (!tls_endpoint_input_pending (c->server)
                                                   && !tls_endpoint_send_pending (c->server));
          /* The connection is over when one side failed or closed and
           * nothing is left to deliver, or when both sides are idle after
           * the close. */
          if ((finished (cs) || finished (ss)) && client_idle && server_idle
              && (finished (cs) || cs == TLS_EP_DONE || cs == TLS_EP_WANT_INPUT)
              && !tls_endpoint_output_pending (c->client) && !tls_endpoint_output_pending (c->server)
              && (finished (ss) || (finished (cs) && cs == TLS_EP_FAILED) || ss != TLS_EP_PROGRESS))
            {
              if (finished (cs) && finished (ss))
                {
                  end_connection (c);
                  continue;
                }
              if (tls_endpoint_status (c->client) == TLS_EP_FAILED
                  || tls_endpoint_status (c->server) == TLS_EP_FAILED
                  || (tls_endpoint_close_sent (c->client) && finished (ss)))
                {
                  end_connection (c);
                  continue;
                }
            }
          c->active = c->active == TLS_ACTOR_CLIENT ? TLS_ACTOR_SERVER : TLS_ACTOR_CLIENT;
        }
    }
  if (c->state == TLS_RUN_RUNNING && tls_trace_len (c->trace) == before && c->attacker != NULL)
    {
      TlsActor sender;
      g_autoptr (GBytes) held = tls_attacker_release (c->attacker, &sender);

      if (held != NULL)
        {
          /* a record held back by reorder with nothing after it */
          deliver_from (c, sender, held);
          return step_scenario_once (c);
        }
    }
  if (c->state == TLS_RUN_RUNNING && tls_trace_len (c->trace) == before)
    {
      g_autofree char *stall = c->attacker ? tls_attacker_stall_reason (c->attacker) : NULL;

      /* Neither side can move: end the connection with what we have. */
      if (c->client && (finished (tls_endpoint_status (c->client))
                        || finished (tls_endpoint_status (c->server))
                        || tls_endpoint_close_sent (c->client)))
        end_connection (c);
      else if (stall != NULL)
        set_result (c, TLS_RUN_FAILED, 0, stall);
      else
        set_result (c, TLS_RUN_FAILED, TLS_ALERT_INTERNAL_ERROR,
                    "both endpoints are waiting for each other");
      return FALSE;
    }
  return tls_trace_len (c->trace) > before;
}

static void
reset_scenario (TlsConductor *c)
{
  free_connection (c);
  clear_configs (c);
  g_clear_pointer (&c->client_rng, tls_rng_free);
  g_clear_pointer (&c->server_rng, tls_rng_free);
  g_clear_pointer (&c->cache, tls_session_cache_free);
  g_clear_pointer (&c->saved, tls_session_free);
  c->client_rng = tls_rng_new_seeded (c->sc->seed, "client");
  c->server_rng = tls_rng_new_seeded (c->sc->seed, "server");
  if (c->sc->server_cache)
    c->cache = tls_session_cache_new (64, 3600);
  g_clear_pointer (&c->ticket_keys, tls_ticket_keys_free);
  if (c->sc->tickets)
    {
      g_autoptr (TlsRng) krng = tls_rng_new_seeded (c->sc->seed, "ticket keys");
      c->ticket_keys = tls_ticket_keys_new (krng);
    }
  c->connection = 0;
  c->annotated = 0;
  g_clear_pointer (&c->first_flight, g_byte_array_unref);
  g_clear_pointer (&c->ticket_store, tls_ticket_store_free);
  c->flight_over = FALSE;
  if (c->sc->early_data >= TLS_EARLY_DATA_REPLAY)
    c->first_flight = g_byte_array_new ();
  if (c->sc->early_data == TLS_EARLY_DATA_REPLAY_SINGLE_USE)
    c->ticket_store = tls_ticket_store_new (64);
  g_clear_pointer (&c->attacker, tls_attacker_free);
  if (c->attacks != NULL && c->attacks->len > 0)
    c->attacker = tls_attacker_new (c->attacks, c->trace);
  c->state = TLS_RUN_RUNNING;
  c->alert = 0;
  g_clear_pointer (&c->reason, g_free);
  g_ptr_array_set_size (c->trace->steps, 0);
  g_hash_table_remove_all (c->trace->meta);
  c->trace->connection = 0;
  g_free (c->trace->scenario);
  c->trace->scenario = g_strdup (c->sc->name);
  c->trace->seed = c->sc->seed;
  c->trace->seeded = TRUE;
  c->trace->clock = c->sc->clock;
  tls_trace_set_meta (c->trace, "scenario.title", c->sc->title);
  tls_trace_set_meta (c->trace, "transport",
                      c->sc->transport == TLS_TRANSPORT_LOOPBACK ? "loopback TCP (127.0.0.1)" : "in memory");
  tls_trace_set_meta (c->trace, "trust", "demo root: Handshake Lab Root CA");
}

TlsConductor *
tls_conductor_new (const TlsScenario *sc, const char *datadir, GError **error)
{
  TlsConductor *c = g_new0 (TlsConductor, 1);

  c->sc = tls_scenario_copy (sc);
  c->datadir = g_strdup (datadir ? datadir : g_getenv ("HANDSHAKE_LAB_DATADIR"));
  if (c->datadir == NULL)
    c->datadir = g_strdup ("data");
  c->trace = tls_trace_new ();
  c->own_trace = TRUE;
  c->timeout_ms = DEFAULT_TIMEOUT_MS;
  c->fds[0] = c->fds[1] = -1;
  c->fd = -1;
  if (sc->attack != NULL && (c->attacks = tls_attack_parse_list (sc->attack, error)) == NULL)
    {
      tls_conductor_free (c);
      return NULL;
    }
  if (!load_pki (c, error))
    {
      tls_conductor_free (c);
      return NULL;
    }
  reset_scenario (c);
  return c;
}

/* ------------------------------------------------------------------ */
/* Against a real peer                                                 */

TlsConductor *
tls_conductor_new_peer (const TlsConfig *cfg, int fd, TlsTrace *trace, GError **error)
{
  TlsConductor *c;
  TlsConfig copy = *cfg;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no socket");
      return NULL;
    }
  c = g_new0 (TlsConductor, 1);
  c->fd = fd;
  c->fds[0] = c->fds[1] = -1;
  c->timeout_ms = DEFAULT_TIMEOUT_MS;
  c->trace = trace ? trace : tls_trace_new ();
  c->own_trace = trace == NULL;
  c->state = TLS_RUN_RUNNING;
  copy.record_received = TRUE;
  c->ep = tls_endpoint_new (&copy, c->trace);
  tls_endpoint_set_time (c->ep, g_get_real_time () / G_USEC_PER_SEC);
  return c;
}

/* One step of our endpoint against a real peer; the steps it added get
 * the real time (a scenario keeps its fixed clock and has no times). */
static TlsEpStatus
peer_step (TlsConductor *c)
{
  TlsEpStatus st = tls_endpoint_step (c->ep);

  tls_trace_stamp (c->trace, g_get_real_time ());
  return st;
}

static gboolean
flush_peer (TlsConductor *c)
{
  g_autoptr (GBytes) out = tls_endpoint_take_output (c->ep);
  g_autoptr (GError) error = NULL;

  if (out == NULL)
    return TRUE;
  if (!tls_transport_write_all (c->fd, g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                                (int) c->timeout_ms, &error))
    {
      set_result (c, TLS_RUN_FAILED, TLS_ALERT_INTERNAL_ERROR, error->message);
      return FALSE;
    }
  return TRUE;
}

/* Reads what the peer sent into the endpoint; FALSE on time-out or error. */
static gboolean
read_peer (TlsConductor *c, GError **error)
{
  guint8 buf[16384];
  gssize n = tls_transport_read (c->fd, buf, sizeof buf, (int) c->timeout_ms, error);

  if (n < 0)
    return FALSE;
  if (n == 0)
    tls_endpoint_feed_eof (c->ep);
  else
    tls_endpoint_feed (c->ep, buf, (gsize) n);
  return TRUE;
}

static gboolean
step_peer (TlsConductor *c)
{
  guint before = tls_trace_len (c->trace);

  for (guint round = 0; c->state == TLS_RUN_RUNNING; round++)
    {
      g_autoptr (GError) error = NULL;
      TlsEpStatus st;

      /* The run is the handshake: once it is complete, what follows
       * (application data, close_notify) is for send/receive/close. */
      if (tls_endpoint_status (c->ep) == TLS_EP_DONE)
        {
          set_result (c, TLS_RUN_COMPLETED, 0, NULL);
          return FALSE;
        }
      st = peer_step (c);

      /* Step by step, each message leaves as it is made.  In a whole run
       * what the endpoint wrote waits while it goes on (TLS_EP_PROGRESS),
       * and its flight leaves in one write before it waits for the peer
       * or stops: the same bytes, in fewer writes and TCP segments. */
      if (!(c->whole_run && st == TLS_EP_PROGRESS) && !flush_peer (c))
        return tls_trace_len (c->trace) > before;
      if (tls_trace_len (c->trace) > before)
        return TRUE;
      if (st == TLS_EP_DONE || tls_endpoint_status (c->ep) == TLS_EP_DONE)
        {
          set_result (c, TLS_RUN_COMPLETED, 0, NULL);
          return FALSE;
        }
      if (st == TLS_EP_FAILED || st == TLS_EP_CLOSED)
        {
          g_autofree char *r = g_strdup (tls_endpoint_reason (c->ep));
          tls_endpoint_record_result (c->ep);
          set_result (c, TLS_RUN_FAILED, tls_endpoint_alert (c->ep), r ? r : "connection closed");
          return FALSE;
        }
      if (st == TLS_EP_WANT_INPUT && !read_peer (c, &error))
        {
          set_result (c, TLS_RUN_FAILED, TLS_ALERT_INTERNAL_ERROR, error->message);
          return FALSE;
        }
      if (round > 100000)
        {
          set_result (c, TLS_RUN_FAILED, TLS_ALERT_INTERNAL_ERROR, "no progress");
          return FALSE;
        }
    }
  return FALSE;
}

gboolean
tls_conductor_send (TlsConductor *c, const guint8 *data, gsize len, GError **error)
{
  g_return_val_if_fail (c->ep != NULL, FALSE);
  tls_endpoint_send (c->ep, data, len);
  while (peer_step (c) == TLS_EP_PROGRESS || tls_endpoint_status (c->ep) == TLS_EP_DONE)
    {
      if (!flush_peer (c))
        break;
      if (!tls_endpoint_send_pending (c->ep))
        break;
    }
  if (!flush_peer (c) || tls_endpoint_status (c->ep) == TLS_EP_FAILED)
    {
      const char *why = c->reason ? c->reason : tls_endpoint_reason (c->ep);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", why ? why : "the connection failed");
      return FALSE;
    }
  return TRUE;
}

GBytes *
tls_conductor_receive (TlsConductor *c, int timeout_ms, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_return_val_if_fail (c->ep != NULL, NULL);
  for (;;)
    {
      GBytes *got;
      TlsEpStatus st;
      guint len = tls_trace_len (c->trace);

      /* DONE with a new step is progress too: a TLS 1.3 server's
       * NewSessionTicket (RFC 8446, 4.6.1) may come before the data. */
      while ((st = peer_step (c)) == TLS_EP_PROGRESS || st == TLS_EP_DONE)
        {
          flush_peer (c);
          if ((got = tls_endpoint_take_received (c->ep)) != NULL)
            return got;
          if (st == TLS_EP_DONE && tls_trace_len (c->trace) == len)
            break;
          len = tls_trace_len (c->trace);
        }
      flush_peer (c);
      if ((got = tls_endpoint_take_received (c->ep)) != NULL)
        return got;
      if (st == TLS_EP_CLOSED || st == TLS_EP_FAILED)
        return g_bytes_new (NULL, 0);
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "no data from the peer in time");
          return NULL;
        }
      c->timeout_ms = (guint) MAX (1, (deadline - g_get_monotonic_time ()) / 1000);
      if (!read_peer (c, error))
        return NULL;
    }
}

gboolean
tls_conductor_close (TlsConductor *c, GError **error)
{
  g_return_val_if_fail (c->ep != NULL, FALSE);
  tls_endpoint_close (c->ep);
  for (guint i = 0; i < 4 && peer_step (c) != TLS_EP_FAILED; i++)
    if (tls_endpoint_close_sent (c->ep))
      break;
  if (!flush_peer (c))
    {
      /* The peer may be gone already (it need not wait for our close_notify). */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "%s",
                   c->reason ? c->reason : "the connection is closed");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Common                                                              */

void
tls_conductor_free (TlsConductor *c)
{
  if (c == NULL)
    return;
  free_connection (c);
  clear_configs (c);
  g_clear_pointer (&c->ep, tls_endpoint_free);
  tls_transport_close (c->fd);
  g_clear_pointer (&c->client_rng, tls_rng_free);
  g_clear_pointer (&c->server_rng, tls_rng_free);
  g_clear_pointer (&c->cache, tls_session_cache_free);
  g_clear_pointer (&c->saved, tls_session_free);
  g_clear_pointer (&c->server_chain, g_ptr_array_unref);
  g_clear_pointer (&c->server_key, tls_private_key_free);
  g_clear_pointer (&c->trust, g_ptr_array_unref);
  g_clear_pointer (&c->client_chain, g_ptr_array_unref);
  g_clear_pointer (&c->client_key, tls_private_key_free);
  g_clear_pointer (&c->static_dh, tls_dh_key_free);
  g_clear_pointer (&c->ticket_keys, tls_ticket_keys_free);
  g_clear_pointer (&c->identities, g_ptr_array_unref);
  g_clear_pointer (&c->attacker, tls_attacker_free);
  g_clear_pointer (&c->attacks, g_ptr_array_unref);
  g_clear_pointer (&c->first_flight, g_byte_array_unref);
  g_clear_pointer (&c->ticket_store, tls_ticket_store_free);
  g_clear_pointer (&c->sc, tls_scenario_free);
  g_free (c->datadir);
  g_free (c->reason);
  if (c->own_trace)
    tls_trace_free (c->trace);
  g_free (c);
}

gboolean
tls_conductor_step (TlsConductor *c)
{
  if (c->state != TLS_RUN_RUNNING)
    return FALSE;
  return c->ep ? step_peer (c) : step_scenario (c);
}

guint
tls_conductor_run (TlsConductor *c)
{
  guint n = 0;

  c->whole_run = TRUE;
  while (tls_conductor_step (c))
    n++;
  c->whole_run = FALSE;
  if (c->ep != NULL)
    flush_peer (c);   /* nothing is left behind (normally nothing is there) */
  return n;
}

gboolean
tls_conductor_can_rewind (const TlsConductor *c)
{
  return c->sc != NULL;
}

gboolean
tls_conductor_rewind (TlsConductor *c, guint n, GError **error)
{
  if (!tls_conductor_can_rewind (c))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "a run against a real peer cannot be replayed; only the recorded steps can be reviewed");
      return FALSE;
    }
  reset_scenario (c);
  while (tls_trace_len (c->trace) < n && tls_conductor_step (c))
    ;
  return TRUE;
}

TlsTrace          *tls_conductor_get_trace (const TlsConductor *c) { return c->trace; }
TlsRunState        tls_conductor_state (const TlsConductor *c)     { return c->state; }
int                tls_conductor_alert (const TlsConductor *c)     { return c->alert; }
const char        *tls_conductor_reason (const TlsConductor *c)    { return c->reason; }
const TlsScenario *tls_conductor_scenario (const TlsConductor *c)  { return c->sc; }
void               tls_conductor_set_timeout (TlsConductor *c, guint ms) { c->timeout_ms = ms; }

static TlsEndpoint *
endpoint_of (const TlsConductor *c, TlsActor actor)
{
  if (c->ep)
    return tls_endpoint_role (c->ep) == actor ? c->ep : NULL;
  return actor == TLS_ACTOR_CLIENT ? c->client : c->server;
}

gboolean
tls_conductor_connection_info (const TlsConductor *c, TlsActor actor, TlsConnectionInfo *info)
{
  TlsEndpoint *ep = endpoint_of (c, actor);

  memset (info, 0, sizeof *info);
  if (ep == NULL)
    return FALSE;
  info->version = tls_endpoint_version (ep);
  info->suite = tls_endpoint_suite (ep);
  info->resumed = tls_endpoint_resumed (ep);
  info->ems = tls_endpoint_ems (ep);
  info->etm = tls_endpoint_etm (ep);
  info->server_name = tls_endpoint_server_name (ep);
  info->session = tls_endpoint_session (ep);
  return TRUE;
}
