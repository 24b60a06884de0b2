/* tls-capture-tls13.c — what a TLS 1.3 connection of a capture adds to its
 * trace (docs/capture.md, "TLS 1.3").
 *
 * The hellos are clear; every record after them is a TLSCiphertext of
 * type application_data (RFC 8446, 5.2), opened with the keys of a
 * traffic secret.  A capture holds none of the secrets: the (EC)DHE
 * private values never cross the wire.  The key log gives the four
 * traffic secrets by ClientHello.random; from each, the write key and IV
 * are expanded here (RFC 8446, 7.3), each a derivation step, and with the
 * handshake traffic secrets both Finished values are recomputed over the
 * transcript hash (RFC 8446, 4.4.4) and checked.  A secret the key log
 * lacks leaves its records encrypted, with the reason. */
#include "config.h"
#include "tls-capture-build.h"
#include "tls-alert.h"
#include "tls-handshake.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-server-hello.h"
#include "tls-types.h"
#include "tls13-extensions.h"
#include "tls13-key-schedule.h"
#include "tls13-msg-certificate.h"
#include "tls13-msg-certificate-verify.h"
#include "tls13-msg-encrypted-extensions.h"
#include "tls13-msg-finished.h"
#include "tls13-msg-key-update.h"
#include "tls13-msg-new-session-ticket.h"
#include "tls13-record.h"

#include <glib/gi18n-lib.h>
#include <string.h>

enum { PHASE_HS, PHASE_AP };

/* One traffic secret of one direction: from the key log, then (when a
 * record needs it) shown as a step and made into keys. */
typedef struct
{
  const char       *label;      /* NSS key log label */
  const char       *name;       /* RFC 8446 name (a step title) */
  guint8            secret[TLS_MAX_HASH_LEN];
  gboolean          have;
  gboolean          derived;    /* its steps are in the trace */
  int               step;
  Tls13TrafficKeys  keys;
  int               keys_step;
  Tls13Protection  *prot;
} Secret;

struct _Cap13
{
  gboolean    started;        /* the ServerHello (not a HelloRetryRequest) is in */
  gboolean    usable;         /* its suite is a TLS 1.3 suite of the table */
  gboolean    hrr;
  gboolean    early_offered;  /* the ClientHello offered 0-RTT data */
  TlsPrfHash  hash;
  gsize       hash_len;
  TlsCipherId cipher;
  Secret      sec[2][2];      /* [dir][phase] */
  int         phase[2];
  guint8      th_hello[TLS_MAX_HASH_LEN];
  int         th_hello_step;
  guint8      th_sfin[TLS_MAX_HASH_LEN];
  int         th_sfin_step;
  gboolean    have_sfin;
  GBytes     *leaf[2];        /* the DER of each side's certificate */
  gboolean    cert_request;   /* the server sent a CertificateRequest */
  gboolean    cv_checked[2];
  const char *last;           /* the last message of the transcript */
};

Cap13 *
cap13_new (void)
{
  Cap13 *t = g_new0 (Cap13, 1);
  static const char *const labels[2][2][2] = {
    { { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", TLS13_STEP_TITLE_C_HS_TRAFFIC },
      { "CLIENT_TRAFFIC_SECRET_0", TLS13_STEP_TITLE_C_AP_TRAFFIC } },
    { { "SERVER_HANDSHAKE_TRAFFIC_SECRET", TLS13_STEP_TITLE_S_HS_TRAFFIC },
      { "SERVER_TRAFFIC_SECRET_0", TLS13_STEP_TITLE_S_AP_TRAFFIC } },
  };

  for (int d = 0; d < 2; d++)
    for (int p = 0; p < 2; p++)
      {
        t->sec[d][p].label = labels[d][p][0];
        t->sec[d][p].name = labels[d][p][1];
        t->sec[d][p].step = t->sec[d][p].keys_step = -1;
      }
  t->th_hello_step = t->th_sfin_step = -1;
  return t;
}

void
cap13_free (Cap13 *t)
{
  if (t == NULL)
    return;
  for (int d = 0; d < 2; d++)
    for (int p = 0; p < 2; p++)
      tls13_protection_free (t->sec[d][p].prot);
  for (int d = 0; d < 2; d++)
    g_clear_pointer (&t->leaf[d], g_bytes_unref);
  memset (t, 0, sizeof *t);
  g_free (t);
}

/* ---- Messages ------------------------------------------------------------ */

const char *
cap13_message_title (const guint8 *msg, gsize len)
{
  /* type, length (3), legacy_version (2), random (32) */
  if (len >= 38 && msg[0] == TLS_HS_SERVER_HELLO && tls13_random_is_hrr (msg + 6))
    return "HelloRetryRequest";
  return tls_handshake_type_name (msg[0]);
}

/* The message step being made is the trace's last step. */
static gboolean
is_hrr_step (CapBuild *b)
{
  TlsStep *last = tls_trace_last (b->trace);

  return last != NULL && g_strcmp0 (last->title, "HelloRetryRequest") == 0;
}

const char *
cap13_message_rfc (CapBuild *b, guint8 type, G_GNUC_UNUSED int dir)
{
  switch (type)
    {
    case TLS_HS_CLIENT_HELLO:         return "RFC 8446, 4.1.2";
    case TLS_HS_SERVER_HELLO:         return is_hrr_step (b) ? "RFC 8446, 4.1.4" : "RFC 8446, 4.1.3";
    case TLS_HS_ENCRYPTED_EXTENSIONS: return "RFC 8446, 4.3.1";
    case TLS_HS_CERTIFICATE_REQUEST:  return "RFC 8446, 4.3.2";
    case TLS_HS_CERTIFICATE:          return "RFC 8446, 4.4.2";
    case TLS_HS_CERTIFICATE_VERIFY:   return "RFC 8446, 4.4.3";
    case TLS_HS_FINISHED:             return "RFC 8446, 4.4.4";
    case TLS_HS_END_OF_EARLY_DATA:    return "RFC 8446, 4.5";
    case TLS_HS_NEW_SESSION_TICKET:   return "RFC 8446, 4.6.1";
    case TLS_HS_KEY_UPDATE:           return "RFC 8446, 4.6.3";
    default:                          return "RFC 8446, 4";
    }
}

const char *
cap13_message_explanation (CapBuild *b, guint8 type)
{
  switch (type)
    {
    case TLS_HS_CLIENT_HELLO:
      return _("The client opens the handshake. In TLS 1.3 legacy_version stays 0x0303 and the "
               "versions the client accepts are listed in supported_versions; key_share already "
               "carries its (EC)DHE public values, so the keys can be agreed in one round trip; "
               "each cipher suite names only an AEAD and a hash.");
    case TLS_HS_SERVER_HELLO:
      if (is_hrr_step (b))
        return _("A HelloRetryRequest: a ServerHello whose random is the SHA-256 of "
                 "\"HelloRetryRequest\". The server found an acceptable set of parameters but "
                 "not enough in the ClientHello to go on (here: no key share for a group it "
                 "accepts, named in key_share); the client answers with a second ClientHello.");
      return _("The server chose the version (in supported_versions), the cipher suite and one "
               "(EC)DHE key share of its own (key_share). From the two shares each side computes "
               "the handshake secrets: every handshake message after this one is encrypted.");
    case TLS_HS_ENCRYPTED_EXTENSIONS:
      return _("The first message encrypted under keys from the server's handshake traffic "
               "secret: the extensions that are not needed to set up the keys, which TLS 1.2 "
               "sent in the clear in the ServerHello.");
    case TLS_HS_CERTIFICATE_REQUEST:
      return _("The server asks the client for a certificate: a request context and "
               "extensions (signature_algorithms among them).");
    case TLS_HS_CERTIFICATE:
      return _("The sender's certificate chain, its own certificate first, encrypted in TLS 1.3. "
               "Each entry can carry extensions of its own; the request context is empty in the "
               "main handshake. The chain is shown as sent, not validated.");
    case TLS_HS_CERTIFICATE_VERIFY:
      return _("A signature with the private key of the certificate over 64 spaces, a context "
               "string and the transcript hash up to the Certificate: it proves the sender holds "
               "the key. The check below verifies it with the public key of the certificate "
               "above.");
    case TLS_HS_FINISHED:
      return _("An HMAC over the transcript hash of every handshake message before it, with a "
               "finished_key expanded from the sender's handshake traffic secret; the check "
               "below recomputes it from the capture.");
    case TLS_HS_END_OF_EARLY_DATA:
      return _("The client has sent all its 0-RTT data; what follows is under its handshake "
               "traffic keys.");
    case TLS_HS_NEW_SESSION_TICKET:
      return _("After the handshake, under the application traffic keys, the server gives the "
               "client a ticket: a later connection can offer it as a PSK, made from the "
               "resumption master secret and this ticket's nonce.");
    case TLS_HS_KEY_UPDATE:
      return _("From the next record on, the sender protects its records with keys of the next "
               "generation, made from its next application traffic secret.");
    default:
      return _("A handshake message.");
    }
}

int
cap13_parse_body (CapBuild *b, guint8 type, TlsReader *body, const guint8 **verify)
{
  int err = 0;

  switch (type)
    {
    case TLS_HS_ENCRYPTED_EXTENSIONS:
      {
        Tls13EncryptedExtensions m;
        tls13_encrypted_extensions_init (&m);
        err = tls13_encrypted_extensions_parse (body, &m);
        tls13_encrypted_extensions_clear (&m);
      }
      break;
    case TLS_HS_CERTIFICATE_REQUEST:
      {
        /* struct { opaque certificate_request_context<0..2^8-1>;
         *          Extension extensions<2..2^16-1>; } CertificateRequest; */
        TlsReader ctx;
        TlsExtensions e;
        const guint8 *p;

        tls_extensions_init (&e);
        if (tls_read_vector (body, 1, 0, 255, "certificate_request_context", &ctx))
          {
            tls_read_bytes (&ctx, tls_reader_remaining (&ctx), "context", &p);
            tls_read_vector_end (body, &ctx);
          }
        if (tls_reader_ok (body))
          tls_extensions_parse (body, &e, TLS_EXTENSIONS_CERTIFICATE_REQUEST);
        tls_extensions_clear (&e);
        err = body->error;
      }
      break;
    case TLS_HS_CERTIFICATE:
      {
        Tls13CertificateMsg m = { 0 };   /* the parser makes its own */
        err = tls13_certificate_msg_parse (body, &m);
        tls13_certificate_msg_clear (&m);
      }
      break;
    case TLS_HS_CERTIFICATE_VERIFY:
      {
        Tls13CertificateVerify m = { 0 };
        err = tls13_certificate_verify_parse (body, &m);
        tls13_certificate_verify_clear (&m);
      }
      break;
    case TLS_HS_FINISHED:
      {
        Tls13Finished m;
        gsize at = body->pos;
        /* Hash.length; before the suite is known (a hostile capture),
         * the longer of the two when the body has it. */
        gsize hash_len = b->t13->hash_len ? b->t13->hash_len
                         : tls_reader_remaining (body) == 48 ? 48 : 32;
        err = tls13_finished_parse (body, hash_len, &m);
        if (err == 0)
          *verify = body->data + at;
      }
      break;
    case TLS_HS_NEW_SESSION_TICKET:
      {
        Tls13NewSessionTicket m = { 0 };   /* the parser makes its own */
        err = tls13_new_session_ticket_parse (body, &m);
        tls13_new_session_ticket_clear (&m);
      }
      break;
    case TLS_HS_KEY_UPDATE:
      {
        guint8 v;
        err = tls13_key_update_parse (body, &v);
      }
      break;
    case TLS_HS_END_OF_EARLY_DATA:
      break;
    default:
      {
        const guint8 *rest;
        tls_read_bytes (body, tls_reader_remaining (body), "body", &rest);
      }
      break;
    }
  return err;
}

/* ---- Keys ---------------------------------------------------------------- */

static char *
random_hex (CapBuild *b)
{
  return tls_hex (b->cr, 32);
}

/* A traffic secret taken from the key log, as a derivation step whose
 * inputs say what this program can compute (the transcript hash, the
 * HkdfLabel) and what it cannot (the secret above it). */
static void
secret_step (CapBuild *b, int dir, Secret *s, int phase)
{
  Cap13 *t = b->t13;
  const char *label = phase == PHASE_HS ? (dir == 0 ? "c hs traffic" : "s hs traffic")
                                        : (dir == 0 ? "c ap traffic" : "s ap traffic");
  const char *covers = phase == PHASE_HS ? "ClientHello...ServerHello"
                                         : "ClientHello...server Finished";
  const char *parent = phase == PHASE_HS ? "Handshake Secret" : "Master Secret";
  const guint8 *ctx = phase == PHASE_HS ? t->th_hello : t->th_sfin;
  int ctx_step = phase == PHASE_HS ? t->th_hello_step : t->th_sfin_step;
  gboolean have_ctx = phase == PHASE_HS || t->have_sfin;
  g_autofree char *ctx_name = g_strdup_printf ("Transcript-Hash(%s)", covers);
  g_autofree char *note = g_strdup_printf (_("from the key log: its %s line for this "
                                             "ClientHello.random"), s->label);
  TlsStep *step = tls_trace_add (b->trace, TLS_STEP_DERIVATION, cap_actor_of (dir), s->name);

  tls_trace_group (b->trace, step, TLS_PARENT_NEXT);
  step->formula = g_strdup_printf ("%s = Derive-Secret(%s, \"%s\", %s) = "
                                   "HKDF-Expand-Label(%s, \"%s\", Transcript-Hash(%s), Hash.length)",
                                   s->name, parent, label, covers, parent, label, covers);
  tls_step_add_text_input (step, parent,
                           phase == PHASE_HS
                           ? _("unknown: it comes from the (EC)DHE shared secret, whose private "
                               "values never crossed the wire")
                           : _("unknown: it comes from the Handshake Secret"),
                           -1, NULL);
  if (have_ctx)
    {
      guint8 info[TLS13_MAX_HKDF_LABEL];
      gsize n = tls13_hkdf_label (label, ctx, t->hash_len, (guint16) t->hash_len, info);

      tls_step_add_input (step, ctx_name, ctx, t->hash_len, ctx_step,
                          _("computed here from the handshake messages of the capture"));
      tls_step_add_input (step, "HkdfLabel", info, n, -1,
                          _("the info of HKDF-Expand: the output length, \"tls13 \" and the "
                            "label, and the transcript hash as the context"));
    }
  else
    tls_step_add_text_input (step, ctx_name,
                             _("not computed: the server's Finished was not read"), -1, NULL);
  tls_step_add_output (step, s->name, s->secret, t->hash_len, note);
  tls_step_explain (step, "RFC 8446, 7.1",
                    _("The secret above this one comes from the (EC)DHE shared secret, which "
                      "cannot be computed from a capture, so this traffic secret is taken from "
                      "the key log. Everything made from it here (the write key and IV, the "
                      "Finished value) is computed, so a key log that is not this connection's "
                      "shows as a record that does not decrypt, or a failed check."));
  tls_trace_commit (b->trace, step);
  s->step = (int) step->index;
}

/* The protection of DIR's records in PHASE, its steps added the first
 * time a record needs it; NULL when the key log lacks the secret. */
static Tls13Protection *
keys_for (CapBuild *b, int dir, int phase)
{
  Cap13 *t = b->t13;
  Secret *s = &t->sec[dir][phase];

  if (!s->have || !t->usable)
    return NULL;
  if (!s->derived)
    {
      secret_step (b, dir, s, phase);
      s->keys_step = tls13_derive_traffic_keys (b->trace, cap_actor_of (dir), t->hash, t->cipher,
                                                s->secret, s->name, s->step, &s->keys);
      s->prot = tls13_protection_new_from_keys (t->cipher, &s->keys);
      s->derived = TRUE;
    }
  return s->prot;
}

/* The ServerHello is in: the suite's hash, the transcript hash the
 * handshake secrets cover, and which secrets the key log holds. */
static void
start (CapBuild *b)
{
  Cap13 *t = b->t13;
  g_autoptr (GString) missing = g_string_new (NULL);
  guint n_missing = 0;

  t->started = TRUE;
  if (b->suite == NULL || !tls_suite_is_tls13 (b->suite))
    {
      g_autofree char *name = tls_suite_describe (b->c->info.suite);
      cap_problem_step (b, TLS_ACTOR_CLIENT, _("Cipher suite"), _("the negotiated cipher suite"),
                        "RFC 8446, B.4",
                        _("A TLS 1.3 cipher suite names the AEAD of the records and the hash of "
                          "the key schedule; this program knows the suites of its table only."),
                        _("%s is not a TLS 1.3 suite of this program's table: the records stay "
                          "encrypted"), name);
      cap_set_result (b, _("cipher suite %s not known"), name);
      return;
    }
  t->usable = TRUE;
  t->hash = b->suite->prf;
  t->hash_len = tls13_hash_len (t->hash);
  t->cipher = b->suite->cipher;
  t->th_hello_step = tls13_transcript_hash (b->trace, TLS_ACTOR_SERVER, t->hash, b->transcript,
                                            "ClientHello...ServerHello", t->th_hello);
  for (int d = 0; d < 2; d++)
    for (int p = 0; p < 2; p++)
      {
        Secret *s = &t->sec[d][p];
        gsize len = 0;

        s->have = tls_keylog_tls13_secret (b->cap->keylog, s->label, b->cr, s->secret, &len)
                  && len == t->hash_len;
        if (!s->have)
          {
            g_string_append_printf (missing, "%s%s", n_missing ? ", " : "", s->label);
            n_missing++;
          }
      }
  if (n_missing > 0)
    {
      TlsStep *s = tls_trace_add (b->trace, TLS_STEP_CHECK, TLS_ACTOR_CLIENT,
                                  _("Key for this connection"));
      g_autofree char *hex = random_hex (b);

      s->subject = g_strdup (_("the traffic secrets of this connection"));
      s->against = g_strdup (_("the key logs given (--keylog, and the capture's Decryption "
                               "Secrets Blocks)"));
      s->result = TLS_CHECK_NOT_CHECKED;
      tls_step_set_reason (s, _("no %s line for ClientHello.random %s: the records under "
                                "those keys are shown encrypted"), missing->str, hex);
      tls_step_explain (s, "RFC 8446, 7.1; RFC 8446, 7.3",
                        _("Each direction's records are protected with keys made from a "
                          "traffic secret: the handshake traffic secret up to that side's "
                          "Finished, the application traffic secret after it. None of them "
                          "crosses the wire."));
      tls_trace_commit (b->trace, s);
      if (!t->sec[0][PHASE_HS].have || !t->sec[1][PHASE_HS].have)
        cap_set_result (b, _("no key for this connection"));
    }
}

/* After a HelloRetryRequest, ClientHello1 is replaced in the transcript by
 * message_hash || 00 00 Hash.length || Hash(ClientHello1)  (RFC 8446, 4.4.1). */
static void
hello_retry (CapBuild *b, GBytes *hrr, int step_index)
{
  TlsPrfHash hash = b->suite && tls_suite_is_tls13 (b->suite) ? b->suite->prf : TLS_PRF_SHA256;

  b->t13->hrr = TRUE;
  tls13_message_hash (b->trace, TLS_ACTOR_SERVER, hash, b->transcript,
                      tls_transcript_len (b->transcript), b->ch_step, step_index);
  tls_transcript_append (b->transcript, g_bytes_get_data (hrr, NULL), g_bytes_get_size (hrr));
  b->t13->last = "HelloRetryRequest";
}

/* RFC 8446, 4.4.4: the Finished of DIR (RECEIVED, Hash.length bytes, in
 * step MSG_STEP) recomputed over the transcript before it. */
static void
finished_check (CapBuild *b, int dir, const guint8 *received, int msg_step)
{
  Cap13 *t = b->t13;
  Secret *s = &t->sec[dir][PHASE_HS];
  TlsActor receiver = cap_actor_of (1 - dir);
  g_autofree char *covers = g_strdup_printf ("ClientHello...%s", t->last ? t->last : "?");
  guint8 th[TLS_MAX_HASH_LEN], expected[TLS_MAX_HASH_LEN];
  Tls13Context ctx = { th, -1, covers };
  int comp;
  TlsStep *step;
  TlsTraceValue *v;

  if (!s->derived)
    return;
  ctx.step = tls13_transcript_hash (b->trace, receiver, t->hash, b->transcript, covers, th);
  tls_trace_group (b->trace, tls_trace_get (b->trace, (guint) ctx.step), msg_step);
  comp = tls13_compute_finished (b->trace, receiver, t->hash, dir == 0, s->secret, s->step,
                                 &ctx, NULL, expected);
  tls_trace_group (b->trace, tls_trace_get (b->trace, (guint) comp), msg_step);

  step = tls_trace_add (b->trace, TLS_STEP_CHECK, receiver, N_("Finished verify_data"));
  tls_trace_group (b->trace, step, msg_step);
  step->subject = g_strdup (dir == 0 ? _("the client's Finished.verify_data")
                                     : _("the server's Finished.verify_data"));
  step->against = g_strdup (_("verify_data computed here from the handshake traffic secret and "
                              "the transcript hash"));
  step->formula = g_strdup_printf ("HMAC(HKDF-Expand-Label(%s, \"finished\", \"\", Hash.length), "
                                   "Transcript-Hash(%s))", s->name, covers);
  tls_step_add_input (step, "received verify_data", received, t->hash_len, msg_step, NULL);
  v = tls_step_add_input (step, "expected verify_data", expected, t->hash_len, comp, NULL);
  tls_trace_value_set_compare (v, "received verify_data");
  b->finished_ok[dir] = memcmp (received, expected, t->hash_len) == 0;
  step->result = b->finished_ok[dir] ? TLS_CHECK_PASSED : TLS_CHECK_FAILED;
  if (b->finished_ok[dir])
    tls_step_set_reason (step, _("they match: the %s's handshake traffic secret of the key log "
                                 "is the one it used, and both sides hashed the same handshake "
                                 "messages as the capture holds"), cap_side_name (dir));
  else
    {
      tls_step_set_reason (step, _("they differ: the handshake messages in the capture are not "
                                   "the ones the %s hashed (a changed byte), or the key log's "
                                   "%s is not the one it used"), cap_side_name (dir), s->label);
      cap_set_result (b, _("the %s Finished does not verify"), cap_side_name (dir));
    }
  tls_step_explain (step, "RFC 8446, 4.4.4",
                    _("\"Recipients of Finished messages MUST verify that the contents are "
                      "correct and if incorrect MUST terminate the connection with a "
                      "\"decrypt_error\" alert.\" Here the value is recomputed from the capture."));
  tls_trace_commit (b->trace, step);
}

/* The exporter_master_secret of the key log's EXPORTER_SECRET line, shown
 * under the server's Finished (STEP): nothing here uses it. */
static void
exporter_step (CapBuild *b, int step_index)
{
  Cap13 *t = b->t13;
  guint8 secret[48], info[TLS13_MAX_HKDF_LABEL];
  gsize len = 0, n;
  TlsStep *step;

  if (!tls_keylog_tls13_secret (b->cap->keylog, "EXPORTER_SECRET", b->cr, secret, &len)
      || len != t->hash_len)
    return;
  step = tls_trace_add (b->trace, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, TLS13_STEP_TITLE_EXP_MASTER);
  tls_trace_group (b->trace, step, step_index);
  step->formula = g_strdup ("exporter_master_secret = Derive-Secret(Master Secret, \"exp master\", "
                            "ClientHello...server Finished)");
  tls_step_add_text_input (step, "Master Secret",
                           _("unknown: it comes from the Handshake Secret"), -1, NULL);
  tls_step_add_input (step, "Transcript-Hash(ClientHello...server Finished)", t->th_sfin,
                      t->hash_len, t->th_sfin_step,
                      _("computed here from the handshake messages of the capture"));
  n = tls13_hkdf_label ("exp master", t->th_sfin, t->hash_len, (guint16) t->hash_len, info);
  tls_step_add_input (step, "HkdfLabel", info, n, -1,
                      _("the info of HKDF-Expand: the output length, \"tls13 exp master\" and "
                        "the transcript hash as the context"));
  tls_step_add_output (step, TLS13_STEP_TITLE_EXP_MASTER, secret, len,
                       _("from the key log: its EXPORTER_SECRET line for this ClientHello.random"));
  tls_step_explain (step, "RFC 8446, 7.1; RFC 8446, 7.5",
                    _("Applications that need keys of their own bound to this connection get "
                      "them from the exporter master secret. It protects no record, so nothing "
                      "in the capture can confirm this value: it is shown as the key log gives "
                      "it."));
  tls_trace_commit (b->trace, step);
}

/* A KeyUpdate of DIR: its next application traffic secret and keys. */
static void
key_update (CapBuild *b, int dir)
{
  Cap13 *t = b->t13;
  Secret *s = &t->sec[dir][PHASE_AP];
  guint8 next[TLS_MAX_HASH_LEN];
  int step;

  if (t->phase[dir] != PHASE_AP || !s->derived)
    return;
  step = tls13_derive_traffic_update (b->trace, cap_actor_of (dir), t->hash, s->secret, s->step, next);
  memcpy (s->secret, next, t->hash_len);
  s->step = step;
  s->keys_step = tls13_derive_traffic_keys (b->trace, cap_actor_of (dir), t->hash, t->cipher,
                                            s->secret, "application_traffic_secret_N+1", step,
                                            &s->keys);
  tls13_protection_free (s->prot);
  s->prot = tls13_protection_new_from_keys (t->cipher, &s->keys);
}

/* The first certificate of DIR's Certificate MSG (RFC 8446, 4.4.2: "The
 * sender's certificate MUST come in the first CertificateEntry"). */
static void
leaf_of (Cap13 *t, int dir, const guint8 *msg, gsize len)
{
  Tls13CertificateMsg m = { 0 };   /* the parser makes its own */
  TlsReader r, body;
  guint8 ty;
  guint32 bl;

  tls_reader_init (&r, msg, len, NULL);
  if (tls_handshake_parse_header (&r, &ty, &bl, &body) == 0
      && tls13_certificate_msg_parse (&body, &m) == 0 && m.certificate_list->len > 0)
    {
      g_clear_pointer (&t->leaf[dir], g_bytes_unref);
      t->leaf[dir] = g_bytes_ref (g_array_index (m.certificate_list, Tls13CertificateEntry, 0).cert_data);
    }
  tls13_certificate_msg_clear (&m);
}

void
cap13_after_message (CapBuild *b, int dir, GBytes *msg, const guint8 *verify, int step, int err)
{
  Cap13 *t = b->t13;
  gsize len;
  const guint8 *d = g_bytes_get_data (msg, &len);
  guint8 type = d[0];

  switch (type)
    {
    case TLS_HS_CLIENT_HELLO:
      {
        TlsReader r, body;
        guint8 ty;
        guint32 bl;
        TlsClientHello ch;

        memset (&ch, 0, sizeof ch);   /* tls_client_hello_parse makes its own arrays */
        tls_reader_init (&r, d, len, NULL);
        if (tls_handshake_parse_header (&r, &ty, &bl, &body) == 0
            && tls_client_hello_parse (&body, &ch) == 0)
          t->early_offered |= tls_extensions_has (&ch.extensions, TLS13_EXT_EARLY_DATA);
        tls_client_hello_clear (&ch);
      }
      tls_transcript_append (b->transcript, d, len);
      t->last = "ClientHello";
      return;
    case TLS_HS_SERVER_HELLO:
      if (err == 0 && len >= 38 && tls13_random_is_hrr (d + 6) && !t->hrr && !t->started)
        {
          hello_retry (b, msg, step);
          return;
        }
      tls_transcript_append (b->transcript, d, len);
      t->last = "ServerHello";
      if (err == 0 && !t->started)
        start (b);
      return;
    case TLS_HS_FINISHED:
      if (verify != NULL && t->usable)
        finished_check (b, dir, verify, step);
      b->finished[dir] = TRUE;
      tls_transcript_append (b->transcript, d, len);
      t->last = dir == 0 ? "client Finished" : "server Finished";
      if (dir == 1 && t->usable)
        {
          t->th_sfin_step = tls13_transcript_hash (b->trace, TLS_ACTOR_SERVER, t->hash, b->transcript,
                                                   "ClientHello...server Finished", t->th_sfin);
          tls_trace_group (b->trace, tls_trace_get (b->trace, (guint) t->th_sfin_step), step);
          t->have_sfin = TRUE;
          exporter_step (b, step);
        }
      /* "Any records following a Finished message MUST be encrypted under
       * the appropriate application traffic key" (RFC 8446, 4.4.4). */
      t->phase[dir] = PHASE_AP;
      return;
    case TLS_HS_NEW_SESSION_TICKET:
      return;   /* post-handshake: not in the transcript */
    case TLS_HS_KEY_UPDATE:
      if (err == 0)
        key_update (b, dir);
      return;
    case TLS_HS_CERTIFICATE:
      if (err == 0)
        leaf_of (t, dir, d, len);
      break;
    case TLS_HS_CERTIFICATE_REQUEST:
      t->cert_request = TRUE;
      break;
    case TLS_HS_CERTIFICATE_VERIFY:
      /* Over the transcript up to the Certificate: before it is added. */
      if (err == 0 && t->usable)
        {
          cap13_cv_check (b, dir, msg, step, t->leaf[dir], t->hash);
          t->cv_checked[dir] = TRUE;
        }
      break;
    default:
      break;
    }
  tls_transcript_append (b->transcript, d, len);
  t->last = dir == 0 && (type == TLS_HS_CERTIFICATE || type == TLS_HS_CERTIFICATE_VERIFY)
            ? (type == TLS_HS_CERTIFICATE ? "client Certificate" : "client CertificateVerify")
            : tls_handshake_type_name (type);
}

/* The end of the connection: the CertificateVerify and Finished checks
 * that could not be made because the key log lacks a handshake traffic
 * secret, shown as unknown. */
void
cap13_finish (CapBuild *b)
{
  Cap13 *t = b->t13;
  g_autofree char *hex = NULL;

  if (!t->started || !t->usable)
    return;
  hex = random_hex (b);
  for (int dir = 1; dir >= 0; dir--)
    {
      const Secret *s = &t->sec[dir][PHASE_HS];
      g_autofree char *why = NULL;
      /* No server CertificateVerify when the server accepted a PSK
       * (RFC 8446, 2.2); a client one only when asked (4.3.2). */
      gboolean cv = dir == 1 ? !b->c->info.resumed : t->cert_request;

      if (s->have)
        continue;
      why = g_strdup_printf (_("the key log has no %s line for ClientHello.random %s: the %s's "
                               "handshake messages stay encrypted"), s->label, hex,
                             cap_side_name (dir));
      if (cv && !t->cv_checked[dir])
        cap13_unknown_check (b, dir, FALSE, why);
      if (!b->finished[dir])
        cap13_unknown_check (b, dir, TRUE, why);
    }
}

/* ---- Records ------------------------------------------------------------- */

/* A protected record that is not opened, and why. */
static void
encrypted_step (CapBuild *b, int dir, const CapRecord *r, GBytes *wire, TlsField *fields,
                const char *why)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (wire, &n);
  g_autoptr (GBytes) frag = g_bytes_new (d + TLS_RECORD_HEADER_LEN, n - TLS_RECORD_HEADER_LEN);
  TlsField *root = tls_field_new ("encrypted_record", 0, g_bytes_get_size (frag));
  TlsStep *step;

  tls_field_set_value (root, _("%zu bytes, not decrypted"), g_bytes_get_size (frag));
  step = cap_record_step (b, TLS_STEP_MESSAGE, dir, "Encrypted record", r->type, frag, root,
                          wire, fields, TRUE, (gint64) r->offset);
  tls_step_set_reason (step, "%s", why);
  tls_step_explain (step, "RFC 8446, 5.2",
                    _("A TLS 1.3 record after the hellos is a TLSCiphertext: its outer type is "
                      "always application_data, and the real content type is encrypted with the "
                      "content. Not decrypted: %s."), why);
  tls_trace_commit (b->trace, step);
}

static char *
why_not (CapBuild *b, int dir)
{
  Cap13 *t = b->t13;
  g_autofree char *hex = random_hex (b);

  if (b->dead[dir])
    return g_strdup (_("an earlier record of this side did not decrypt with the key given"));
  if (!t->started)
    return g_strdup (dir == 0 && t->early_offered
                     ? _("0-RTT early data (the ClientHello offered early_data), sent before "
                         "the ServerHello; this program does not open early data")
                     : _("it comes before the ServerHello, when no traffic key exists yet"));
  if (!t->usable)
    return g_strdup (_("the cipher suite is not known"));
  return g_strdup_printf (_("the key log has no %s line for ClientHello.random %s"),
                          t->sec[dir][t->phase[dir]].label, hex);
}

void
cap13_handle_record (CapBuild *b, const CapRecord *r)
{
  Cap13 *t = b->t13;
  int dir = r->dir;
  const guint8 *rec = b->c->flow->stream[dir].data->data + r->offset;
  g_autoptr (GBytes) wire = g_bytes_new (rec, r->len);
  TlsField *fields = tls_field_new ("records", 0, r->len);
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  g_autoptr (GBytes) pb = NULL;
  Tls13Protection *prot;
  guint8 type = 0;
  int alert;

  if (r->type != TLS_CONTENT_APPLICATION_DATA)
    {
      /* The hellos, the compatibility ChangeCipherSpec and alerts sent
       * before any key: TLSPlaintext. */
      tls_record_annotate (NULL, fields, 0, rec, r->len);
      pb = g_bytes_new (rec + TLS_RECORD_HEADER_LEN, r->len - TLS_RECORD_HEADER_LEN);
      if (r->type == TLS_CONTENT_HANDSHAKE)
        b->handshake_record (b, dir, wire, fields, rec + TLS_RECORD_HEADER_LEN,
                              r->len - TLS_RECORD_HEADER_LEN, FALSE, (gint64) r->offset);
      else if (r->type == TLS_CONTENT_CHANGE_CIPHER_SPEC)
        cap_ccs_step (b, dir, pb, wire, fields, FALSE, (gint64) r->offset);
      else
        cap_alert_step (b, dir, pb, wire, fields, FALSE, (gint64) r->offset);
      return;
    }

  tls13_record_annotate (fields, 0, rec, r->len);
  prot = t->started && !b->dead[dir] ? keys_for (b, dir, t->phase[dir]) : NULL;
  if (prot == NULL && t->started && !b->dead[dir] && t->phase[dir] == PHASE_HS
      && !t->sec[dir][PHASE_HS].have && t->sec[dir][PHASE_AP].have)
    {
      /* No handshake keys for this side: its records after its Finished
       * may still open with the application traffic keys (the AEAD tag
       * says which). */
      Tls13Protection *ap = keys_for (b, dir, PHASE_AP);
      if (ap != NULL && tls13_record_open (ap, rec, rec + TLS_RECORD_HEADER_LEN,
                                           r->len - TLS_RECORD_HEADER_LEN, &type, NULL, plain) == 0)
        {
          t->phase[dir] = PHASE_AP;
          goto opened;
        }
    }
  if (prot == NULL)
    {
      g_autofree char *why = why_not (b, dir);
      if (!b->dead[dir] && t->started && t->usable)
        cap_set_result (b, _("no key for this connection"));
      encrypted_step (b, dir, r, wire, fields, why);
      return;
    }
  if (tls13_protection_seq (prot) == 0)
    {
      Secret *s = &t->sec[dir][t->phase[dir]];
      guint8 nonce[TLS13_IV_LEN];
      tls13_record_nonce_step (b->trace, cap_actor_of (dir), s->keys.iv, s->keys_step, 0, nonce);
    }
  alert = tls13_record_open (prot, rec, rec + TLS_RECORD_HEADER_LEN, r->len - TLS_RECORD_HEADER_LEN,
                             &type, NULL, plain);
  if (alert != 0)
    {
      if (dir == 0 && t->early_offered && t->phase[0] == PHASE_HS && tls13_protection_seq (prot) == 0)
        {
          /* RFC 8446, 4.2.10: a server that rejects early data skips the
           * records it cannot open; so does this reader. */
          encrypted_step (b, dir, r, wire, fields,
                          _("0-RTT early data (the ClientHello offered early_data); this "
                            "program does not open early data"));
          return;
        }
      cap_problem_step (b, cap_actor_of (1 - dir), _("Record decryption"), _("a protected record"),
                        "RFC 8446, 5.2",
                        _("\"If the decryption fails, the receiver MUST terminate the connection "
                          "with a \"bad_record_mac\" alert.\" A record sealed with the keys of "
                          "the key log's secret opens; this one does not."),
                        _("the %s's record at offset %zu does not decrypt with the keys of the "
                          "key log's %s (%s): the key log is not this connection's"),
                        cap_side_name (dir), r->offset, t->sec[dir][t->phase[dir]].label,
                        tls_alert_name (alert));
      cap_set_result (b, _("a record does not decrypt with the key given (wrong key log)"));
      b->dead[dir] = TRUE;
      {
        g_autofree char *why = why_not (b, dir);
        encrypted_step (b, dir, r, wire, fields, why);
      }
      return;
    }

opened:
  pb = g_bytes_new (plain->data, plain->len);
  switch (type)
    {
    case TLS_CONTENT_HANDSHAKE:
      b->handshake_record (b, dir, wire, fields, plain->data, plain->len, TRUE, (gint64) r->offset);
      return;
    case TLS_CONTENT_ALERT:
      cap_alert_step (b, dir, pb, wire, fields, TRUE, (gint64) r->offset);
      return;
    case TLS_CONTENT_APPLICATION_DATA:
      cap_appdata_step (b, dir, pb, wire, fields, (gint64) r->offset);
      return;
    default:
      /* "An implementation which receives ... a protected change_cipher_spec
       * record MUST abort the handshake with an "unexpected_message" alert."
       *                                                     (RFC 8446, 5) */
      cap_problem_step (b, cap_actor_of (1 - dir), _("Record type"), _("a protected record"),
                        "RFC 8446, 5",
                        _("Inside a TLS 1.3 record the content type is handshake, alert or "
                          "application_data; a protected change_cipher_spec or another type "
                          "ends the connection with unexpected_message."),
                        _("the %s's record at offset %zu holds content type %u (%s)"),
                        cap_side_name (dir), r->offset, type, tls_content_type_name (type));
      cap_set_result (b, _("a protected record of type %u"), type);
      cap_appdata_step (b, dir, pb, wire, fields, (gint64) r->offset);
      return;
    }
}
