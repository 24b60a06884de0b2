/* tls-trace-versus.c — a TLS 1.2 run beside a TLS 1.3 run (tls-trace-versus.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tls-alert.h"
#include "tls-suites.h"
#include "tls-trace-versus.h"

#define HS_CERTIFICATE 11
#define HS_FINISHED    20
#define CT_CCS         20
#define CT_HANDSHAKE   22

/* What was measured on one connection of one run. */
typedef struct
{
  const TlsTrace *trace;
  guint    connection;
  const char *version;
  gboolean tls13;
  guint    flights, round_trips;
  int      first_encrypted[2];   /* by actor (client, server): a step index, or -1 */
  int      certificate;          /* the server's Certificate, or -1 */
  int      client_hello, server_hello, client_kx, server_kx;
  int      first_appdata;        /* the client's first application data, or -1 */
} Run;

const char *
tls_trace_connection_version (const TlsTrace *trace, int connection)
{
  g_autofree char *key = g_strdup_printf ("conn%u.version", connection < 0 ? 0u : (guint) connection);
  const char *v = tls_trace_get_meta (trace, key);

  /* an older trace: the unprefixed key for its first connection */
  return v != NULL || connection > 0 ? v : tls_trace_get_meta (trace, "version");
}

/* Counts the flights of connection R->connection: a flight is the
 * handshake messages (and ChangeCipherSpec) one side sends before the
 * other answers; counting stops at the client's first application data, a
 * fatal alert, or once both Finished messages have gone (what follows,
 * NewSessionTicket in TLS 1.3, is after the handshake).  FLIGHT_OF (may be
 * NULL) gets each step's flight. */
static void
measure (Run *r, const TlsTrace *trace, guint connection, GArray *flight_of)
{
  gboolean done = FALSE, finished[2] = { FALSE, FALSE };
  int last_actor = -1;

  memset (r, 0, sizeof *r);
  r->trace = trace;
  r->connection = connection;
  r->version = tls_trace_connection_version (trace, (int) connection);
  r->tls13 = g_strcmp0 (r->version, "TLS 1.3") == 0;
  r->first_encrypted[0] = r->first_encrypted[1] = -1;
  r->certificate = r->client_hello = r->server_hello = r->client_kx = r->server_kx = -1;
  r->first_appdata = -1;
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      const TlsStep *s = tls_trace_get (trace, i);
      gboolean handshake = s->kind == TLS_STEP_MESSAGE && s->content_type == CT_HANDSHAKE;

      if (s->connection != connection || !tls_step_kind_travels (s->kind)
          || s->actor == TLS_ACTOR_ATTACKER)
        continue;
      if (handshake && s->encrypted && r->first_encrypted[s->actor] < 0)
        r->first_encrypted[s->actor] = (int) i;
      if (handshake && s->actor == TLS_ACTOR_SERVER && s->handshake_type == HS_CERTIFICATE
          && r->certificate < 0)
        r->certificate = (int) i;
      if (handshake && g_strcmp0 (s->title, "ClientHello") == 0 && r->client_hello < 0)
        r->client_hello = (int) i;
      if (handshake && g_strcmp0 (s->title, "ServerHello") == 0)
        r->server_hello = (int) i;   /* the last: after a HelloRetryRequest, the real one */
      if (handshake && g_strcmp0 (s->title, "ClientKeyExchange") == 0)
        r->client_kx = (int) i;
      if (handshake && g_strcmp0 (s->title, "ServerKeyExchange") == 0)
        r->server_kx = (int) i;
      if (s->kind == TLS_STEP_APPDATA && s->actor == TLS_ACTOR_CLIENT && r->first_appdata < 0)
        r->first_appdata = (int) i;
      if (done)
        continue;
      if ((s->kind == TLS_STEP_APPDATA && s->actor == TLS_ACTOR_CLIENT)
          || (s->kind == TLS_STEP_ALERT && s->alert_level == TLS_ALERT_LEVEL_FATAL))
        {
          done = TRUE;
          continue;
        }
      if (s->kind != TLS_STEP_MESSAGE || (s->content_type != CT_HANDSHAKE && s->content_type != CT_CCS))
        continue;
      if ((int) s->actor != last_actor)
        {
          r->flights++;
          if (s->actor == TLS_ACTOR_SERVER)
            r->round_trips++;
          last_actor = (int) s->actor;
        }
      if (flight_of)
        g_array_index (flight_of, guint, i) = r->flights;
      if (handshake && s->handshake_type == HS_FINISHED)
        finished[s->actor] = TRUE;
      done = finished[0] && finished[1];
    }
}

static const TlsStep *
step (const Run *r, int i)
{
  return i >= 0 ? tls_trace_get (r->trace, (guint) i) : NULL;
}

static const TlsSuite *
suite_of (const Run *r)
{
  g_autofree char *key = g_strdup_printf ("conn%u.suite", r->connection);
  const char *name = tls_trace_get_meta (r->trace, key);

  return name ? tls_suite_by_name (name) : NULL;
}

/* A field of step I by name (its value), or NULL. */
static const char *
field_value (const Run *r, int i, const char *name)
{
  const TlsStep *s = step (r, i);
  const TlsField *f = s ? tls_field_find (s->fields, name) : NULL;

  return f ? f->value : NULL;
}

static gboolean
has_field (const Run *r, int i, const char *name)
{
  const TlsStep *s = step (r, i);

  return s && tls_field_find (s->fields, name) != NULL;
}

/* "Finished [50]" */
static char *
step_ref (const Run *r, int i)
{
  return g_strdup_printf ("%s [%d]", step (r, i)->title, i + 1);
}

/* ------------------------------------------------------------------ */
/* The lines                                                           */

static TlsVersusLine *
line_add (TlsVersus *v, const char *id, const char *what, char *left, char *right,
          const char *why, const char *rfc)
{
  TlsVersusLine *l = g_new0 (TlsVersusLine, 1);

  l->id = id;
  l->what = what;
  l->left = left;
  l->right = right;
  l->why = why;
  l->rfc = rfc;
  g_ptr_array_add (v->lines, l);
  return l;
}

static void
line_free (TlsVersusLine *l)
{
  g_free (l->left);
  g_free (l->right);
  g_free (l);
}

static char *
round_trips_text (const Run *r)
{
  g_autofree char *appdata = r->first_appdata >= 0 ? step_ref (r, r->first_appdata)
                                                   : g_strdup (_("none sent"));

  /* Translators: "2 round trips (4 flights), then the client's Application Data [60]" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u round trip (%u flights); the client's first %s",
                                       "%u round trips (%u flights); the client's first %s",
                                       r->round_trips),
                          r->round_trips, r->flights, appdata);
}

static char *
encrypted_from_text (const Run *r)
{
  g_autofree char *server = r->first_encrypted[TLS_ACTOR_SERVER] >= 0
                            ? step_ref (r, r->first_encrypted[TLS_ACTOR_SERVER]) : g_strdup (_("none"));
  g_autofree char *client = r->first_encrypted[TLS_ACTOR_CLIENT] >= 0
                            ? step_ref (r, r->first_encrypted[TLS_ACTOR_CLIENT]) : g_strdup (_("none"));

  /* Translators: "server from EncryptedExtensions [19], client from Finished [94]" */
  return g_strdup_printf (_("server from %s, client from %s"), server, client);
}

static char *
certificate_text (const Run *r, guint flight)
{
  g_autofree char *ref = NULL;

  if (r->certificate < 0)
    return g_strdup (_("none sent"));
  ref = step_ref (r, r->certificate);
  return step (r, r->certificate)->encrypted
         /* Translators: "Certificate [20] in flight 2, encrypted" */
         ? g_strdup_printf (_("%s in flight %u, encrypted"), ref, flight)
         : g_strdup_printf (_("%s in flight %u, in the clear"), ref, flight);
}

static char *
key_exchange_text (const Run *r, gboolean *forward_secret)
{
  const TlsSuite *suite = suite_of (r);

  *forward_secret = FALSE;
  if (suite == NULL)
    return g_strdup (_("unknown"));
  if (suite->kx == TLS_KX_TLS13)
    {
      const char *group = field_value (r, r->server_hello, "KeyShareEntry");
      g_autofree char *ch = step_ref (r, r->client_hello);
      g_autofree char *sh = r->server_hello >= 0 ? step_ref (r, r->server_hello) : g_strdup ("?");

      if (group == NULL)
        return g_strdup (_("a pre-shared key alone, no key_share: no forward secrecy"));
      *forward_secret = TRUE;
      /* Translators: "(EC)DHE x25519: key_share in ClientHello [1] and ServerHello [9]; forward secrecy" */
      return g_strdup_printf (_("(EC)DHE %s: key_share in %s and %s; forward secrecy"), group, ch, sh);
    }
  *forward_secret = tls_kx_is_ephemeral (suite->kx);
  if (suite->kx == TLS_KX_RSA)
    {
      g_autofree char *cke = r->client_kx >= 0 ? step_ref (r, r->client_kx) : g_strdup ("?");
      /* Translators: "RSA key transport: the premaster secret encrypted to the certificate's key in ClientKeyExchange [45]; no forward secrecy" */
      return g_strdup_printf (_("RSA key transport: the premaster secret encrypted to the "
                                "certificate's key in %s; no forward secrecy"), cke);
    }
  {
    g_autofree char *ske = r->server_kx >= 0 ? step_ref (r, r->server_kx) : g_strdup (_("no ServerKeyExchange"));
    g_autofree char *cke = r->client_kx >= 0 ? step_ref (r, r->client_kx) : g_strdup ("?");

    return *forward_secret
           /* Translators: "ECDHE_RSA in ServerKeyExchange [6] and ClientKeyExchange [45]; forward secrecy" */
           ? g_strdup_printf (_("%s in %s and %s; forward secrecy"), tls_kx_name (suite->kx), ske, cke)
           : g_strdup_printf (_("static %s in %s and %s; no forward secrecy"), tls_kx_name (suite->kx),
                              ske, cke);
  }
}

static char *
record_protection_text (const Run *r, gboolean *aead)
{
  const TlsSuite *suite = suite_of (r);
  const TlsCipherInfo *ci;
  g_autofree char *etm_key = NULL;

  *aead = FALSE;
  if (suite == NULL)
    return g_strdup (_("unknown"));
  ci = tls_cipher_info (suite->cipher);
  if (ci->type == TLS_CIPHER_TYPE_AEAD)
    {
      *aead = TRUE;
      /* Translators: "AES-128-GCM, an AEAD (TLS_AES_128_GCM_SHA256)" */
      return g_strdup_printf (_("%s, an AEAD (%s)"), ci->name, suite->name);
    }
  etm_key = g_strdup_printf ("conn%u.etm", r->connection);
  if (ci->type == TLS_CIPHER_TYPE_STREAM)
    return g_strdup_printf (_("%s stream cipher with %s (%s)"), ci->name,
                            tls_mac_info (suite->mac)->name, suite->name);
  return g_strcmp0 (tls_trace_get_meta (r->trace, etm_key), "yes") == 0
         /* Translators: "AES-128-CBC with HMAC-SHA1, encrypt-then-MAC (TLS_RSA_WITH_AES_128_CBC_SHA)" */
         ? g_strdup_printf (_("%s with %s, encrypt-then-MAC (%s)"), ci->name,
                            tls_mac_info (suite->mac)->name, suite->name)
         : g_strdup_printf (_("%s with %s, MAC then encrypt (%s)"), ci->name,
                            tls_mac_info (suite->mac)->name, suite->name);
}

/* The values of the children named NAME of field LIST of step I, joined. */
static char *
list_values (const Run *r, int i, const char *list, const char *name)
{
  const TlsStep *s = step (r, i);
  const TlsField *f = s ? tls_field_find (s->fields, list) : NULL;
  GString *out = g_string_new (NULL);

  for (guint k = 0; f && k < tls_field_n_children (f); k++)
    {
      const TlsField *c = tls_field_child (f, k);
      if (g_strcmp0 (c->name, name) == 0)
        g_string_append_printf (out, "%s%s", out->len ? ", " : "", c->value ? c->value : "?");
    }
  return g_string_free (out, FALSE);
}

static char *
compression_text (const Run *r)
{
  g_autofree char *offered = list_values (r, r->client_hello, "compression_methods", "compression_method");
  const char *chosen = field_value (r, r->server_hello, "compression_method");
  g_autofree char *ch = r->client_hello >= 0 ? step_ref (r, r->client_hello) : g_strdup ("?");
  g_autofree char *sh = r->server_hello >= 0 ? step_ref (r, r->server_hello) : g_strdup ("?");

  /* Translators: "offered null (0) in ClientHello [1], null (0) in ServerHello [5]" */
  return g_strdup_printf (_("offered %s in %s, %s in %s"), *offered ? offered : "?", ch,
                          chosen ? chosen : "?", sh);
}

static char *
renegotiation_text (const Run *r)
{
  gboolean ch = has_field (r, r->client_hello, "extension: renegotiation_info");
  gboolean sh = has_field (r, r->server_hello, "extension: renegotiation_info");
  g_autofree char *suites = list_values (r, r->client_hello, "cipher_suites", "cipher_suite");
  gboolean scsv = strstr (suites, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV") != NULL;

  if (!ch && !sh && !scsv)
    return g_strdup (_("no renegotiation_info in either hello"));
  /* Translators: "renegotiation_info: in ClientHello [1] yes, in ServerHello [5] yes" */
  return g_strdup_printf (_("renegotiation_info in ClientHello: %s; in ServerHello: %s"),
                          ch ? _("yes") : scsv ? "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" : _("no"),
                          sh ? _("yes") : _("no"));
}

/* The first resumed connection of TRACE other than CONNECTION, measured. */
static char *
resumption_text (const TlsTrace *trace, guint connection)
{
  for (guint c = 0;; c++)
    {
      g_autofree char *key = g_strdup_printf ("conn%u.resumed", c);
      const char *resumed = tls_trace_get_meta (trace, key);
      Run r;

      if (resumed == NULL)
        return g_strdup (_("no resumed connection in this run"));
      if (c == connection || !g_str_has_prefix (resumed, "yes"))
        continue;
      measure (&r, trace, c, NULL);
      /* Translators: "connection 2: 1 round trip (3 flights), no Certificate" */
      return r.certificate >= 0
             ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "connection %u: %u round trip (%u flights), a Certificate",
                                             "connection %u: %u round trips (%u flights), a Certificate",
                                             r.round_trips), c + 1, r.round_trips, r.flights)
             : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "connection %u: %u round trip (%u flights), no Certificate",
                                             "connection %u: %u round trips (%u flights), no Certificate",
                                             r.round_trips), c + 1, r.round_trips, r.flights);
    }
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

static GArray *
flights_new (const TlsTrace *trace)
{
  GArray *a = g_array_sized_new (FALSE, TRUE, sizeof (guint), tls_trace_len (trace));

  g_array_set_size (a, tls_trace_len (trace));
  return a;
}

/* The flights of every connection of TRACE. */
static GArray *
flights_of_all (const TlsTrace *trace)
{
  GArray *a = flights_new (trace);
  guint n = 0;
  Run r;

  for (guint i = 0; i < tls_trace_len (trace); i++)
    n = MAX (n, tls_trace_get (trace, i)->connection + 1);
  for (guint c = 0; c < n; c++)
    measure (&r, trace, c, a);
  return a;
}

static guint
flight_at (GArray *flight_of, int i)
{
  return i >= 0 && (guint) i < flight_of->len ? g_array_index (flight_of, guint, i) : 0;
}

TlsVersus *
tls_versus_new (const TlsTrace *left, int left_connection, const TlsTrace *right,
                int right_connection)
{
  TlsVersus *v;
  Run a, b;
  guint lc = left_connection < 0 ? 0 : (guint) left_connection;
  guint rc = right_connection < 0 ? 0 : (guint) right_connection;
  const char *lv = tls_trace_connection_version (left, (int) lc);
  const char *rv = tls_trace_connection_version (right, (int) rc);
  gboolean fs;

  /* one run of TLS 1.3 and one of an earlier version */
  if (lv == NULL || rv == NULL || g_str_equal (lv, "TLS 1.3") == g_str_equal (rv, "TLS 1.3"))
    return NULL;
  v = g_new0 (TlsVersus, 1);
  v->left_version = g_strdup (lv);
  v->right_version = g_strdup (rv);
  v->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  v->left_flight_of = flights_of_all (left);
  v->right_flight_of = flights_of_all (right);
  measure (&a, left, lc, NULL);
  measure (&b, right, rc, NULL);
  v->left_flights = a.flights;
  v->right_flights = b.flights;
  v->left_round_trips = a.round_trips;
  v->right_round_trips = b.round_trips;
  v->left_cert_encrypted = a.certificate >= 0 && step (&a, a.certificate)->encrypted;
  v->right_cert_encrypted = b.certificate >= 0 && step (&b, b.certificate)->encrypted;

  line_add (v, "round-trips", _("Round trips before the client sends application data"),
            round_trips_text (&a), round_trips_text (&b),
            _("in TLS 1.3 the ClientHello already carries the client's key share, so the "
              "server's first flight ends with its Finished and the client sends application "
              "data right after its own Finished"),
            "RFC 8446, 2");
  line_add (v, "encrypted-from", _("First encrypted handshake message"),
            encrypted_from_text (&a), encrypted_from_text (&b),
            _("TLS 1.3 encrypts every handshake message after ServerHello, with keys from the "
              "handshake traffic secrets"),
            "RFC 8446, 1.2; RFC 8446, 2");
  line_add (v, "certificate", _("The server's certificate"),
            certificate_text (&a, flight_at (v->left_flight_of, a.certificate)),
            certificate_text (&b, flight_at (v->right_flight_of, b.certificate)),
            _("in TLS 1.3 the Certificate follows EncryptedExtensions under the server's "
              "handshake traffic key: an eavesdropper does not read which certificate it was"),
            "RFC 8446, 1.2; RFC 8446, 2");
  line_add (v, "key-exchange", _("Key exchange"), key_exchange_text (&a, &fs), NULL,
            _("TLS 1.3 removed static RSA and Diffie-Hellman: every public-key exchange is "
              "ephemeral and has forward secrecy; the shares travel in key_share, with no "
              "ServerKeyExchange or ClientKeyExchange"),
            "RFC 8446, 1.2; RFC 8446, 2; RFC 8446, 4.2.8");
  v->left_forward_secret = fs;
  ((TlsVersusLine *) g_ptr_array_index (v->lines, v->lines->len - 1))->right = key_exchange_text (&b, &fs);
  v->right_forward_secret = fs;
  line_add (v, "record-protection", _("Record protection"), record_protection_text (&a, &v->left_aead),
            record_protection_text (&b, &v->right_aead),
            _("TLS 1.3 kept only AEAD algorithms: no CBC with HMAC, no stream cipher"),
            "RFC 8446, 1.2; RFC 8446, 5.2");
  line_add (v, "compression", _("Compression"), compression_text (&a), compression_text (&b),
            _("TLS 1.3 removed compression: the ClientHello's list MUST be the one byte 0 (null)"),
            "RFC 8446, 1.2; RFC 8446, 4.1.2");
  line_add (v, "renegotiation", _("Renegotiation"), renegotiation_text (&a), renegotiation_text (&b),
            _("TLS 1.3 forbids renegotiation: a ClientHello after the handshake ends the "
              "connection with unexpected_message"),
            "RFC 8446, 4.1.2");
  line_add (v, "resumption", _("Resumption"), resumption_text (left, lc), resumption_text (right, rc),
            _("TLS 1.3 replaces session IDs and tickets with a PSK from NewSessionTicket; "
              "resuming with it, the server sends no Certificate, and with key_share the "
              "resumed keys keep forward secrecy"),
            "RFC 8446, 2.2");
  return v;
}

void
tls_versus_free (TlsVersus *versus)
{
  if (versus == NULL)
    return;
  g_free (versus->left_version);
  g_free (versus->right_version);
  g_ptr_array_unref (versus->lines);
  g_array_unref (versus->left_flight_of);
  g_array_unref (versus->right_flight_of);
  g_free (versus);
}

const TlsVersusLine *
tls_versus_line (const TlsVersus *versus, const char *id)
{
  for (guint i = 0; i < versus->lines->len; i++)
    {
      const TlsVersusLine *l = g_ptr_array_index (versus->lines, i);
      if (g_str_equal (l->id, id))
        return l;
    }
  return NULL;
}

guint
tls_versus_flight (const TlsVersus *versus, gboolean right_side, int index)
{
  return flight_at (right_side ? versus->right_flight_of : versus->left_flight_of, index);
}

/* ------------------------------------------------------------------ */
/* Notes on the rows of the ladders                                    */

typedef enum
{
  ONLY,      /* the row holds the message in this version only */
  ANY,       /* any row holding it */
} NoteWhen;

typedef struct
{
  gboolean    tls13;     /* the version whose message it is */
  TlsActor    actor;
  const char *title;
  NoteWhen    when;
  const char *text;
  const char *rfc;
  gboolean    after_peer; /* true of this run only if the peer sent the same message first */
} RowNote;

static const RowNote row_notes[] = {
  { FALSE, TLS_ACTOR_SERVER, "ServerKeyExchange", ONLY,
    N_("TLS 1.3 has no ServerKeyExchange: the server's share travels in ServerHello's key_share"),
    "RFC 8446, 2; RFC 8446, 4.2.8" },
  { FALSE, TLS_ACTOR_CLIENT, "ClientKeyExchange", ONLY,
    N_("TLS 1.3 has no ClientKeyExchange: the client's share travels in ClientHello's key_share"),
    "RFC 8446, 2; RFC 8446, 4.2.8" },
  { FALSE, TLS_ACTOR_SERVER, "ServerHelloDone", ONLY,
    N_("TLS 1.3 has no ServerHelloDone: the server's flight ends with its Finished"),
    "RFC 8446, 2" },
  { TRUE, TLS_ACTOR_SERVER, "EncryptedExtensions", ONLY,
    N_("New in TLS 1.3: the extensions not needed to set the keys, encrypted, where TLS 1.2 "
       "sent them in the clear in ServerHello"),
    "RFC 8446, 1.2; RFC 8446, 4.3.1" },
  { TRUE, TLS_ACTOR_SERVER, "CertificateVerify", ONLY,
    N_("The TLS 1.3 server signs the whole handshake so far with its certificate's key"),
    "RFC 8446, 2; RFC 8446, 4.4.3" },
  { TRUE, TLS_ACTOR_SERVER, "Finished", ONLY,
    N_("The TLS 1.3 server sends its Finished in its first flight, before the client's"),
    "RFC 8446, 2" },
  { FALSE, TLS_ACTOR_SERVER, "Finished", ONLY,
    N_("The TLS 1.2 server sends its Finished last, after the client's: one flight more"),
    "RFC 5246, 7.3", TRUE },
  { TRUE, TLS_ACTOR_SERVER, "ChangeCipherSpec", ANY,
    N_("In TLS 1.3 ChangeCipherSpec changes no keys: it is sent only for middlebox compatibility"),
    "RFC 8446, 1.2; RFC 8446, D.4" },
  { TRUE, TLS_ACTOR_CLIENT, "ChangeCipherSpec", ANY,
    N_("In TLS 1.3 ChangeCipherSpec changes no keys: it is sent only for middlebox compatibility"),
    "RFC 8446, 1.2; RFC 8446, D.4" },
  { TRUE, TLS_ACTOR_SERVER, "NewSessionTicket", ANY,
    N_("In TLS 1.3 NewSessionTicket comes after the handshake: a PSK for resumption"),
    "RFC 8446, 2.2; RFC 8446, 4.6.1" },
  { TRUE, TLS_ACTOR_CLIENT, "ClientHello", ANY,
    N_("The TLS 1.3 ClientHello carries supported_versions and the client's key_share"),
    "RFC 8446, 2; RFC 8446, 4.2.8" },
  { TRUE, TLS_ACTOR_SERVER, "ServerHello", ANY,
    N_("The TLS 1.3 ServerHello carries the server's key_share: every handshake message after "
       "it is encrypted"),
    "RFC 8446, 1.2; RFC 8446, 2" },
  { TRUE, TLS_ACTOR_SERVER, "Certificate", ANY,
    N_("In TLS 1.3 the Certificate is encrypted under the server's handshake traffic key"),
    "RFC 8446, 2" },
};

/* Whether the peer of S sent a message of S's title before it, in S's
 * connection (a resumed TLS 1.2 handshake: the server's Finished first). */
static gboolean
peer_sent_first (const TlsTrace *trace, const TlsStep *s)
{
  for (guint i = 0; i < s->index; i++)
    {
      const TlsStep *p = tls_trace_get (trace, i);

      if (p->connection == s->connection && p->kind == TLS_STEP_MESSAGE
          && p->actor != s->actor && g_strcmp0 (p->title, s->title) == 0)
        return TRUE;
    }
  return FALSE;
}

static const RowNote *
note_for (const TlsTrace *trace, const TlsStep *s, gboolean tls13, gboolean only)
{
  if (s == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (row_notes); i++)
    {
      const RowNote *n = &row_notes[i];
      if (n->tls13 == tls13 && n->actor == s->actor && g_strcmp0 (n->title, s->title) == 0
          && (n->when == ANY || only) && (!n->after_peer || peer_sent_first (trace, s)))
        return n;
    }
  return NULL;
}

const char *
tls_versus_row_note (const TlsVersus *versus, const TlsTrace *left, const TlsTrace *right,
                     const TlsAlignRow *row, const char **rfc)
{
  const TlsStep *a = row->left >= 0 ? tls_trace_get (left, (guint) row->left) : NULL;
  const TlsStep *b = row->right >= 0 ? tls_trace_get (right, (guint) row->right) : NULL;
  gboolean only = row->kind != TLS_ALIGN_BOTH;
  const RowNote *n = note_for (left, a, g_strcmp0 (versus->left_version, "TLS 1.3") == 0, only);

  if (n == NULL)
    n = note_for (right, b, g_strcmp0 (versus->right_version, "TLS 1.3") == 0, only);
  if (n == NULL)
    return NULL;
  if (rfc)
    *rfc = n->rfc;
  return _(n->text);
}
