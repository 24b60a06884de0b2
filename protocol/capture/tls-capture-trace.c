/* tls-capture-trace.c — one connection of a capture as a trace
 * (tls-capture.h).  The records are taken in the order the capture saw
 * them complete; the record layer opens them with the keys of the key log,
 * and the codecs of protocol/messages parse every handshake message. */
#include "config.h"
#include "tls-capture-build.h"
#include "tls-handshake.h"
#include "tls-msg-alert.h"
#include "tls-msg-certificate.h"
#include "tls-msg-certificate-request.h"
#include "tls-msg-certificate-verify.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-client-key-exchange.h"
#include "tls-msg-finished.h"
#include "tls-msg-new-session-ticket.h"
#include "tls-msg-server-hello.h"
#include "tls-msg-server-hello-done.h"
#include "tls-msg-server-key-exchange.h"
#include "tls-prf.h"
#include "tls-record.h"
#include "tls-alert.h"
#include "tls-types.h"
#include "tls13-extensions.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define TLS_EXT_SUPPORTED_VERSIONS 43

static void
hs_rec_free (HsRec *r)
{
  g_bytes_unref (r->wire);
  tls_field_free (r->fields);
  g_free (r);
}





/* ---- Explanations of the messages -------------------------------------- */

static const char *
message_rfc (guint8 type, int dir)
{
  switch (type)
    {
    case TLS_HS_CLIENT_HELLO:         return "RFC 5246, 7.4.1.2";
    case TLS_HS_SERVER_HELLO:         return "RFC 5246, 7.4.1.3";
    case TLS_HS_CERTIFICATE:          return dir == 1 ? "RFC 5246, 7.4.2" : "RFC 5246, 7.4.6";
    case TLS_HS_SERVER_KEY_EXCHANGE:  return "RFC 5246, 7.4.3";
    case TLS_HS_CERTIFICATE_REQUEST:  return "RFC 5246, 7.4.4";
    case TLS_HS_SERVER_HELLO_DONE:    return "RFC 5246, 7.4.5";
    case TLS_HS_CLIENT_KEY_EXCHANGE:  return "RFC 5246, 7.4.7";
    case TLS_HS_CERTIFICATE_VERIFY:   return "RFC 5246, 7.4.8";
    case TLS_HS_FINISHED:             return "RFC 5246, 7.4.9";
    case TLS_HS_NEW_SESSION_TICKET:   return "RFC 5077, 3.3";
    default:                          return "RFC 5246, 7.4";
    }
}

static const char *
message_explanation (guint8 type)
{
  switch (type)
    {
    case TLS_HS_CLIENT_HELLO:
      return _("The client opens the handshake: its highest version, 32 random bytes, a "
               "session ID (empty, or one it hopes to resume), the cipher suites and "
               "compression methods it accepts, and its extensions.");
    case TLS_HS_SERVER_HELLO:
      return _("The server answers with the protocol version it chose (no higher than the "
               "client's), the cipher suite it picked from the client's list, its own 32 random "
               "bytes, and a session ID.");
    case TLS_HS_CERTIFICATE:
      return _("A certificate chain, the sender's own certificate first; each following "
               "certificate certifies the one before it.");
    case TLS_HS_SERVER_KEY_EXCHANGE:
      return _("The server's key exchange parameters (its ephemeral Diffie-Hellman public "
               "value), signed with the key of its certificate over both randoms and the "
               "parameters.");
    case TLS_HS_CERTIFICATE_REQUEST:
      return _("The server asks the client for a certificate: the certificate types and "
               "certificate authorities it accepts (and, from TLS 1.2 on, the signature "
               "algorithms).");
    case TLS_HS_SERVER_HELLO_DONE:
      return _("The server has sent everything for the key exchange; the client answers now.");
    case TLS_HS_CLIENT_KEY_EXCHANGE:
      return _("The client's part of the key exchange: the premaster secret encrypted under "
               "the server's RSA key, or the client's Diffie-Hellman public value.");
    case TLS_HS_CERTIFICATE_VERIFY:
      return _("The client proves it holds the private key of its certificate: a signature "
               "over the handshake messages so far.");
    case TLS_HS_FINISHED:
      return _("The first message under the new keys: verify_data computed from the master "
               "secret and a hash of every handshake message before it.");
    case TLS_HS_NEW_SESSION_TICKET:
      return _("The server hands the client a session ticket, opaque to the client, in which "
               "the server keeps the session's state; the client presents it when it resumes.");
    default:
      return _("A handshake message.");
    }
}

/* ---- Steps of records and messages -------------------------------------- */


/* Why DIR's Finished cannot be checked: its record, the first handshake
 * record after DIR's ChangeCipherSpec, does not open. */
static char *
finished_unknown_reason (CapBuild *b, int dir)
{
  g_autofree char *hex = tls_hex (b->cr, 32);

  if (b->dead[dir])
    return g_strdup_printf (_("the record that holds the %s's Finished does not decrypt with "
                              "the key given (the key log's line is not this connection's, or "
                              "the record was changed)"),
                            cap_side_name (dir));
  if (b->suite == NULL)
    return g_strdup_printf (_("the cipher suite is not in this program's table, so the record "
                              "that holds the %s's Finished stays encrypted"), cap_side_name (dir));
  if (b->suite->kx == TLS_KX_RSA)
    return g_strdup_printf (_("the key log has no CLIENT_RANDOM line for ClientHello.random %s "
                              "(nor an RSA line for its encrypted premaster): the record that "
                              "holds the %s's Finished stays encrypted"), hex, cap_side_name (dir));
  return g_strdup_printf (_("the key log has no CLIENT_RANDOM line for ClientHello.random %s: "
                            "the record that holds the %s's Finished stays encrypted"),
                          hex, cap_side_name (dir));
}

/* A record that cannot be opened: shown as it is. */
static void
encrypted_step (CapBuild *b, int dir, const CapRecord *r, GBytes *wire, TlsField *fields)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (wire, &n);
  g_autoptr (GBytes) frag = g_bytes_new (d + TLS_RECORD_HEADER_LEN, n - TLS_RECORD_HEADER_LEN);
  g_autofree char *title = g_strdup_printf ("Encrypted %s", r->type == TLS_CONTENT_APPLICATION_DATA
                                            ? "application data" : tls_content_type_name (r->type));
  TlsField *root = tls_field_new ("encrypted fragment", 0, g_bytes_get_size (frag));
  TlsStep *step;

  tls_field_set_value (root, _("%zu bytes, not decrypted"), g_bytes_get_size (frag));
  step = cap_record_step (b, r->type == TLS_CONTENT_APPLICATION_DATA ? TLS_STEP_APPDATA : TLS_STEP_MESSAGE,
                      dir, title, r->type, frag, root, wire, fields, TRUE, (gint64) r->offset);
  tls_step_explain (step, "RFC 5246, 6.2.3",
                    b->dead[dir]
                    ? _("This record is protected, and an earlier record of this side did not "
                        "decrypt with the key given, so it is shown as it was on the wire.")
                    : _("This record is protected, and no key for this connection is known "
                        "(no key log line for its ClientHello.random), so it is shown as it "
                        "was on the wire."));
  tls_trace_commit (b->trace, step);
  if (r->type == TLS_CONTENT_HANDSHAKE && b->ccs[dir] && !b->finished[dir] && !b->finished_told[dir])
    {
      g_autofree char *why = finished_unknown_reason (b, dir);
      b->finished_told[dir] = TRUE;
      cap12_finished_unknown (b, dir, (int) tls_trace_len (b->trace) - 1, why);
    }
}

/* `open --server-key`, RSA key exchange: the premaster secret decrypted
 * from the ClientKeyExchange, shown as a derivation of its own. */
static gboolean
server_key_premaster (CapBuild *b, guint8 pms[48])
{
  TlsStep *step;
  gsize len;
  const guint8 *enc;

  if (!cap_conn_server_premaster (b->cap, b->c, pms))
    return FALSE;
  enc = g_bytes_get_data (b->c->enc_pms, &len);
  step = tls_trace_add (b->trace, TLS_STEP_DERIVATION, TLS_ACTOR_SERVER, "pre_master_secret");
  step->formula = g_strdup ("RSAES-PKCS1-v1_5-DECRYPT(server private key, EncryptedPreMasterSecret)");
  tls_step_add_input (step, "EncryptedPreMasterSecret", enc, len, b->cke_step,
                      _("from the ClientKeyExchange recorded in the capture"));
  tls_step_add_text_input (step, "server private key", _("given with --server-key"), -1, NULL);
  tls_step_add_output (step, "pre_master_secret", pms, 48,
                       _("client_version (2 bytes) and 46 random bytes"));
  tls_step_explain (step, "RFC 5246, 7.4.7.1; RFC 5246, 8.1.1",
                    _("With RSA key exchange the client sends the premaster secret encrypted "
                      "under the public key of the server's certificate. Whoever holds the "
                      "server's private key can decrypt it from a recording, at any time "
                      "later: every key of the connection follows from it and the two "
                      "randoms. This is why RSA key exchange gives no forward secrecy."));
  tls_trace_commit (b->trace, step);
  return TRUE;
}

/* `open --server-key` on an (EC)DHE connection: why the key does not help. */
static void
server_key_useless (CapBuild *b)
{
  TlsStep *s = tls_trace_add (b->trace, TLS_STEP_CHECK, TLS_ACTOR_SERVER,
                              _("The server's private key"));

  s->subject = g_strdup (_("the premaster secret of this connection"));
  s->against = g_strdup (_("the server's private key given with --server-key"));
  s->result = TLS_CHECK_NOT_CHECKED;
  tls_step_set_reason (s, _("%s is an ephemeral key exchange: the server's key only signed its "
                            "ephemeral parameters in ServerKeyExchange; the premaster secret "
                            "comes from the ephemeral private values of both sides, which "
                            "were never sent and are not in the capture"),
                       tls_kx_name (b->suite->kx));
  tls_step_explain (s, "RFC 5246, 7.4.3; RFC 5246, 8.1.2; RFC 4492, 5.10",
                    _("With (EC)DHE the server's certificate key signs the server's Diffie-"
                      "Hellman parameters; it is not used to encrypt anything. The premaster "
                      "secret is the Diffie-Hellman result of two private values that each "
                      "side made for this connection and never sent. A recording and the "
                      "server's long-term key are not enough to decrypt it: forward secrecy."));
  tls_trace_commit (b->trace, s);
}

/* The master secret and the key block, once the randoms and the
 * ClientKeyExchange (full) or the ServerHello (resumed) are there. */
static void
derive_keys (CapBuild *b)
{
  const char *how = NULL;
  guint8 pms[48];
  TlsStep *step;

  if (b->suite == NULL)
    {
      g_autofree char *name = tls_suite_describe (b->c->info.suite);
      cap_problem_step (b, TLS_ACTOR_CLIENT, _("Cipher suite"), _("the negotiated cipher suite"),
                    "RFC 5246, 6.3",
                    _("The key block is cut to the sizes of the suite's cipher and MAC; this "
                      "program knows the suites of its table only."),
                    _("%s is not in this program's suite table: its records stay encrypted"), name);
      return;
    }
  if (b->cap->server_key != NULL && !b->resumed && tls_kx_is_ephemeral (b->suite->kx))
    server_key_useless (b);
  if (!cap_conn_master (b->cap, b->c, b->master, &how))
    {
      TlsStep *s = tls_trace_add (b->trace, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, N_("Key for this connection"));
      g_autofree char *hex = tls_hex (b->cr, 32);

      s->subject = g_strdup (_("the master secret of this connection"));
      s->against = g_strdup (_("the key logs given (--keylog, and the capture's Decryption Secrets Blocks)"));
      s->result = TLS_CHECK_NOT_CHECKED;
      tls_step_set_reason (s, _("no key: no CLIENT_RANDOM line for ClientHello.random %s "
                                "(nor an RSA premaster line); encrypted records are shown "
                                "as they are"), hex);
      tls_step_explain (s, "RFC 5246, 8.1",
                        _("Every key of the connection comes from the master secret, which "
                          "never crosses the wire. Without it, Finished and the application "
                          "data cannot be read."));
      tls_trace_commit (b->trace, s);
      b->no_key_told = TRUE;
      cap_set_result (b, _("no key for this connection"));
      return;
    }
  b->have_master = TRUE;
  if ((g_strcmp0 (how, "RSA") == 0
       && tls_keylog_rsa_premaster (b->cap->keylog, g_bytes_get_data (b->c->enc_pms, NULL), pms))
      || (g_strcmp0 (how, "server key") == 0 && server_key_premaster (b, pms)))
    {
      if (b->ems)
        {
          guint8 hash[TLS_MAX_HASH_LEN];
          gsize hash_len;
          tls_transcript_hash (b->transcript, b->version, b->suite->prf, hash, &hash_len);
          b->master_step = tls_derive_extended_master_secret (b->trace, TLS_ACTOR_CLIENT, b->version,
                                                              b->suite->prf, pms, 48, hash, hash_len,
                                                              b->cke_step, b->cke_step, b->master);
        }
      else
        b->master_step = tls_derive_master_secret (b->trace, TLS_ACTOR_CLIENT, b->version,
                                                   b->suite->prf, pms, 48, b->cr, b->sr,
                                                   b->cke_step, b->ch_step, b->hello_step, b->master);
    }
  else
    {
      const char *pms_text;

      step = tls_trace_add (b->trace, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT,
                            b->ems && !b->resumed ? TLS_STEP_TITLE_EXTENDED_MASTER
                                                  : TLS_STEP_TITLE_MASTER_SECRET);
      if (b->resumed)
        {
          step->formula = g_strdup (_("the master secret of the resumed session"));
          pms_text = _("none: an abbreviated handshake exchanges no premaster secret");
        }
      else
        {
          step->formula = g_strdup (b->ems
                                    ? "PRF(pre_master_secret, \"extended master secret\", session_hash)[0..47]"
                                    : "PRF(pre_master_secret, \"master secret\", ClientHello.random + ServerHello.random)[0..47]");
          pms_text = tls_kx_is_ephemeral (b->suite->kx)
                     ? _("unknown: it comes from private Diffie-Hellman values that never crossed the wire")
                     : _("unknown: it crossed the wire encrypted under the server's key");
        }
      tls_step_add_text_input (step, "pre_master_secret", pms_text, b->cke_step, NULL);
      tls_step_add_input (step, "client_random", b->cr, 32, b->ch_step, NULL);
      tls_step_add_input (step, "server_random", b->sr, 32, b->hello_step, NULL);
      tls_step_add_output (step, "master_secret", b->master, 48,
                           g_strcmp0 (how, "resumed") == 0
                           ? _("from the key log line of the connection whose session is resumed")
                           : _("from the key log (CLIENT_RANDOM line for this ClientHello.random)"));
      tls_step_explain (step, b->ems && !b->resumed ? "RFC 7627, 4" : "RFC 5246, 8.1",
                        _("The master secret is never sent: this value comes from the key log, "
                          "and its premaster secret is not known from the capture. Everything "
                          "after it (key block, Finished, application data) is computed here "
                          "from it, so a wrong key log shows as a failed check below."));
      tls_trace_commit (b->trace, step);
      b->master_step = (int) tls_trace_len (b->trace) - 1;
    }
  tls_derive_key_block (b->trace, TLS_ACTOR_CLIENT, b->version, b->suite, b->master,
                        b->cr, b->sr, b->master_step, b->ch_step, b->hello_step, &b->kb);
  b->have_kb = TRUE;
}

static void
resumption_step (CapBuild *b)
{
  TlsStep *step = tls_trace_add (b->trace, TLS_STEP_DECISION, TLS_ACTOR_SERVER, N_("Resume the session?"));
  guint earlier = b->c->info.resumes;

  tls_step_add_option (step, _("full handshake (new session)"));
  if (earlier > 0)
    tls_step_add_option (step, _("resume the session of connection #%u of this capture"), earlier);
  else
    tls_step_add_option (step, _("resume a session from before this capture"));
  step->choice = g_strdup (step->options->pdata[1]);
  step->chosen_option = 1;
  tls_step_set_reason (step, b->c->info.by_ticket
                       ? _("the server went from ServerHello straight to ChangeCipherSpec, "
                           "accepting the session ticket the client offered")
                       : _("the ServerHello echoes the session ID the client offered"));
  tls_step_explain (step, b->c->info.by_ticket ? "RFC 5077, 3.1" : "RFC 5246, 7.3",
                    _("An abbreviated handshake: no certificate and no key exchange; both sides "
                      "reuse the master secret of the earlier session with the new randoms."));
  tls_trace_commit (b->trace, step);
}

static void
finished_check (CapBuild *b, int dir, const guint8 got[12], int msg_step)
{
  guint8 hash[TLS_MAX_HASH_LEN], expected[12];
  gsize hash_len;
  gboolean from_client = dir == 0;
  TlsStep *step;

  if (!b->have_master)
    return;
  tls_transcript_hash (b->transcript, b->version, b->suite->prf, hash, &hash_len);
  tls_compute_verify_data (b->trace, cap_actor_of (1 - dir), b->version, b->suite->prf, b->master,
                           from_client, hash, hash_len, b->master_step, expected);
  step = tls_trace_add (b->trace, TLS_STEP_CHECK, cap_actor_of (1 - dir),
                        from_client ? "client Finished" : "server Finished");
  step->subject = g_strdup (_("verify_data received in Finished"));
  step->against = g_strdup (_("verify_data computed here from the master secret and the transcript"));
  step->formula = g_strdup_printf ("PRF(master_secret, \"%s finished\", Hash(handshake_messages))[0..11]",
                                   from_client ? "client" : "server");
  tls_step_add_input (step, "received verify_data", got, 12, msg_step, NULL);
  tls_step_add_input (step, "expected verify_data", expected, 12, b->master_step, NULL);
  b->finished_ok[dir] = memcmp (got, expected, 12) == 0;
  step->result = b->finished_ok[dir] ? TLS_CHECK_PASSED : TLS_CHECK_FAILED;
  if (b->finished_ok[dir])
    tls_step_set_reason (step, _("they match: the master secret of the key log is the one "
                                 "both sides used, and they saw the same handshake"));
  else
    {
      tls_step_set_reason (step, _("they differ: the key log's master secret is not this "
                                   "connection's (wrong key log), or the handshake was altered"));
      cap_set_result (b, _("the %s Finished does not verify with the key given"), cap_side_name (dir));
    }
  tls_step_explain (step, "RFC 5246, 7.4.9",
                    _("\"Recipients of Finished messages MUST verify that the contents are "
                      "correct.\" Here the check is recomputed from the capture."));
  tls_trace_commit (b->trace, step);
}

static void
tls13_stop (CapBuild *b, guint16 version)
{
  cap_problem_step (b, TLS_ACTOR_SERVER, _("Protocol version"), _("the version the server chose"),
                version == 0x0304 ? "RFC 8446, 4.2.1" : "RFC 5246, E",
                _("This program explains TLS 1.0, 1.1 and 1.2. TLS 1.3 negotiates its version "
                  "in the supported_versions extension and encrypts every handshake message "
                  "after ServerHello with keys of its own schedule."),
                _("the server chose %s (0x%04x): only ClientHello and ServerHello are shown"),
                version == 0x0304 ? "TLS 1.3" : _("a version other than TLS 1.0-1.2"), version);
  cap_set_result (b, _("%s (0x%04x), not TLS 1.0-1.2"), version == 0x0304 ? "TLS 1.3" : "version", version);
  b->stop = TRUE;
}

/* One whole handshake message of DIR. */
static void
cap_handle_message (CapBuild *b, int dir, GBytes *msg, GBytes *wire, TlsField *wire_fields,
                gboolean encrypted, gint64 offset)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (msg, &len);
  const char *title = b->t13 ? cap13_message_title (d, len) : tls_handshake_type_name (d[0]);
  TlsField *root = tls_field_new (title, 0, len);
  TlsReader r, body;
  guint8 type;
  guint32 blen;
  int err;
  TlsStep *step;
  int step_index;
  TlsKeyExchange kx = b->suite ? b->suite->kx : TLS_KX_RSA;
  const guint8 *verify = NULL;
  TlsServerHello sh;
  TlsClientHello ch;

  memset (&ch, 0, sizeof ch);   /* tls_client_hello_parse makes its own arrays */
  tls_server_hello_init (&sh);
  tls_reader_init (&r, d, len, root);
  err = tls_handshake_parse_header (&r, &type, &blen, &body);
  if (err == 0 && b->t13 != NULL && type != TLS_HS_CLIENT_HELLO && type != TLS_HS_SERVER_HELLO)
    err = cap13_parse_body (b, type, &body, &verify);
  else if (err == 0)
    switch (type)
      {
      case TLS_HS_CLIENT_HELLO:
        err = tls_client_hello_parse (&body, &ch);
        if (err == 0)
          {
            memcpy (b->cr, ch.random, 32);
            b->offered_etm = tls_extensions_has (&ch.extensions, TLS_EXT_ENCRYPT_THEN_MAC);
            b->offered_ems = tls_extensions_has (&ch.extensions, TLS_EXT_EXTENDED_MASTER_SECRET);
            g_clear_pointer (&b->sigalgs, g_array_unref);
            b->sigalgs = tls_extensions_get_signature_algorithms (&ch.extensions);
          }
        break;
      case TLS_HS_SERVER_HELLO:
        err = tls_server_hello_parse (&body, &sh);
        if (err == 0)
          {
            GBytes *sv = tls_extensions_find (&sh.extensions, TLS_EXT_SUPPORTED_VERSIONS);
            memcpy (b->sr, sh.random, 32);
            b->version = sh.server_version;
            if (sv != NULL && g_bytes_get_size (sv) == 2)
              b->version = (guint16) (((const guint8 *) g_bytes_get_data (sv, NULL))[0] << 8
                                      | ((const guint8 *) g_bytes_get_data (sv, NULL))[1]);
            b->suite = tls_suite_by_id (sh.cipher_suite);
            b->ems = b->offered_ems && tls_extensions_has (&sh.extensions, TLS_EXT_EXTENDED_MASTER_SECRET);
            b->etm = b->offered_etm && tls_extensions_has (&sh.extensions, TLS_EXT_ENCRYPT_THEN_MAC)
                     && b->suite != NULL && tls_cipher_info (b->suite->cipher)->type == TLS_CIPHER_TYPE_BLOCK;
            b->resumed = b->c->info.resumed;
            if (tls13_random_is_hrr (sh.random))
              tls13_describe_hrr_random (root);   /* RFC 8446, 4.1.3 */
          }
        break;
      case TLS_HS_CERTIFICATE:
        {
          TlsCertificateMsg m = { 0 };
          err = tls_certificate_msg_parse (&body, &m);
          if (err == 0 && dir == 1 && b->t13 == NULL)
            {
              g_clear_pointer (&b->server_leaf, g_bytes_unref);
              if (m.certificate_list != NULL && m.certificate_list->len > 0)
                b->server_leaf = g_bytes_ref (g_ptr_array_index (m.certificate_list, 0));
            }
          tls_certificate_msg_clear (&m);
        }
        break;
      case TLS_HS_SERVER_KEY_EXCHANGE:
        {
          TlsServerKeyExchange m = { 0 };
          err = tls_server_key_exchange_parse (&body, &m, kx, b->version);
          tls_server_key_exchange_clear (&m);
        }
        break;
      case TLS_HS_CERTIFICATE_REQUEST:
        {
          TlsCertificateRequest m = { 0 };
          err = tls_certificate_request_parse (&body, &m, b->version);
          tls_certificate_request_clear (&m);
        }
        break;
      case TLS_HS_SERVER_HELLO_DONE:
        err = tls_server_hello_done_parse (&body);
        break;
      case TLS_HS_CLIENT_KEY_EXCHANGE:
        {
          TlsClientKeyExchange m = { 0 };
          err = tls_client_key_exchange_parse (&body, &m, kx);
          tls_client_key_exchange_clear (&m);
        }
        break;
      case TLS_HS_CERTIFICATE_VERIFY:
        {
          TlsCertificateVerify m = { 0 };
          err = tls_certificate_verify_parse (&body, &m, b->version);
          tls_certificate_verify_clear (&m);
        }
        break;
      case TLS_HS_FINISHED:
        {
          TlsFinished m;
          gsize at = body.base + body.pos;
          err = tls_finished_parse (&body, &m);
          if (err == 0)
            verify = d + at;
        }
        break;
      case TLS_HS_NEW_SESSION_TICKET:
        {
          TlsNewSessionTicket m = { 0 };
          err = tls_new_session_ticket_parse (&body, &m);
          tls_new_session_ticket_clear (&m);
        }
        break;
      default:
        {
          const guint8 *rest;
          tls_read_bytes (&body, tls_reader_remaining (&body), "body", &rest);
        }
        break;
      }
  if (err == 0 && !tls_reader_done (&body))
    err = TLS_ALERT_DECODE_ERROR;

  step = cap_record_step (b, TLS_STEP_MESSAGE, dir, title, TLS_CONTENT_HANDSHAKE,
                      msg, root, wire, wire_fields, encrypted, offset);
  step->handshake_type = d[0];
  if (b->t13 != NULL)
    tls_step_explain (step, cap13_message_rfc (b, d[0], dir), "%s",
                      cap13_message_explanation (b, d[0]));
  else
    tls_step_explain (step, message_rfc (d[0], dir), "%s", message_explanation (d[0]));
  tls_trace_commit (b->trace, step);
  step_index = (int) tls_trace_len (b->trace) - 1;
  if (err != 0)
    cap_problem_step (b, cap_actor_of (1 - dir), _("Message format"), tls_handshake_type_name (d[0]),
                  b->t13 ? cap13_message_rfc (b, d[0], dir) : message_rfc (d[0], dir),
                  _("Every message must fill its length exactly, with each field in its bounds."),
                  _("the %s does not parse (%s): its fields are shown as far as they go"),
                  tls_handshake_type_name (d[0]), tls_alert_name (err));

  if (b->t13 != NULL)
    {
      if (type == TLS_HS_CLIENT_HELLO)
        b->ch_step = b->hello_step = step_index;
      if (type == TLS_HS_SERVER_HELLO && err == 0)
        b->hello_step = step_index;
      cap13_after_message (b, dir, msg, verify, step_index, err);
      tls_client_hello_clear (&ch);
      tls_server_hello_clear (&sh);
      return;
    }
  if (type == TLS_HS_SERVER_KEY_EXCHANGE && err == 0 && dir == 1)
    {
      b->ske_seen = TRUE;
      cap12_ske_check (b, msg, step_index);
    }
  if (type == TLS_HS_SERVER_HELLO_DONE && dir == 1 && !b->ske_seen && !b->resumed
      && b->suite != NULL && !tls_kx_is_ephemeral (b->suite->kx))
    cap12_no_ske (b, step_index);
  if (type == TLS_HS_FINISHED && verify != NULL)
    finished_check (b, dir, verify, step_index);
  if (type == TLS_HS_FINISHED)
    b->finished[dir] = TRUE;
  if (type != TLS_HS_HELLO_REQUEST)
    tls_transcript_append (b->transcript, d, len);

  if (type == TLS_HS_CLIENT_HELLO)
    b->ch_step = b->hello_step = step_index;   /* until ServerHello */
  if (type == TLS_HS_SERVER_HELLO && err == 0)
    {
      b->hello_step = step_index;
      if (b->version < TLS_VERSION_1_0 || b->version > TLS_VERSION_1_2)
        tls13_stop (b, b->version);
      else if (b->resumed)
        {
          resumption_step (b);
          derive_keys (b);
        }
    }
  if (type == TLS_HS_CLIENT_KEY_EXCHANGE && err == 0 && !b->resumed)
    {
      b->cke_step = step_index;
      derive_keys (b);
    }
  tls_client_hello_clear (&ch);
  tls_server_hello_clear (&sh);
}

/* Takes whole messages out of DIR's handshake bytes (as the engine does:
 * a message may span records, and a record may hold several). */
static void
cap_split_handshake (CapBuild *b, int dir)
{
  guint8 type;
  guint32 body_len;

  while (!b->stop && tls_handshake_peek (b->hs[dir]->data, b->hs[dir]->len, &type, &body_len))
    {
      gsize start = b->hs_consumed[dir], end = start + 4 + body_len;
      g_autoptr (GBytes) msg = g_bytes_new (b->hs[dir]->data, 4 + body_len);
      g_autoptr (GByteArray) wire = g_byte_array_new ();
      TlsField *wf = tls_field_new ("records", 0, 0);
      gint64 off = -1;
      gboolean enc = FALSE;

      for (guint i = 0; i < b->hsrec[dir]->len; i++)
        {
          HsRec *r = g_ptr_array_index (b->hsrec[dir], i);
          gsize rl;
          const guint8 *rd;

          if (r->hs_end <= start || r->hs_start >= end)
            continue;
          rd = g_bytes_get_data (r->wire, &rl);
          if (off < 0)
            off = r->offset;
          for (guint k = 0; k < tls_field_n_children (r->fields); k++)
            {
              TlsField *cf = tls_field_copy (tls_field_child (r->fields, k));
              tls_field_shift (cf, (gssize) wire->len);
              cf->parent = wf;
              if (wf->children == NULL)
                wf->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tls_field_free);
              g_ptr_array_add (wf->children, cf);
            }
          g_byte_array_append (wire, rd, rl);
          enc |= r->encrypted;
        }
      wf->length = wire->len;
      g_byte_array_remove_range (b->hs[dir], 0, 4 + body_len);
      b->hs_consumed[dir] = end;
      while (b->hsrec[dir]->len > 0
             && ((HsRec *) g_ptr_array_index (b->hsrec[dir], 0))->hs_end <= end)
        g_ptr_array_remove_index (b->hsrec[dir], 0);
      {
        g_autoptr (GBytes) w = g_byte_array_free_to_bytes (g_steal_pointer (&wire));
        cap_handle_message (b, dir, msg, w, wf, enc, off);
      }
    }
}




static void
cap_handshake_record (CapBuild *b, int dir, GBytes *wire, TlsField *fields,
                      const guint8 *plain, gsize len, gboolean enc, gint64 offset)
{
  HsRec *h = g_new0 (HsRec, 1);

  h->wire = g_bytes_ref (wire);
  h->fields = fields;
  h->hs_start = b->hs_consumed[dir] + b->hs[dir]->len;
  h->hs_end = h->hs_start + len;
  h->encrypted = enc;
  h->offset = offset;
  g_ptr_array_add (b->hsrec[dir], h);
  g_byte_array_append (b->hs[dir], plain, len);
  cap_split_handshake (b, dir);
}

static void
handle_record (CapBuild *b, const CapRecord *r)
{
  if (b->t13 != NULL)
    {
      cap13_handle_record (b, r);
      return;
    }
  {
  int dir = r->dir;
  const guint8 *rec = b->c->flow->stream[dir].data->data + r->offset;
  g_autoptr (GBytes) wire = g_bytes_new (rec, r->len);
  TlsProtection *prot = b->ccs[dir] && !b->dead[dir] ? b->prot[dir] : NULL;
  gboolean enc = b->ccs[dir];
  TlsField *fields = tls_field_new ("records", 0, r->len);
  g_autoptr (GByteArray) plain = g_byte_array_new ();
  g_autoptr (GBytes) pb = NULL;

  tls_record_annotate (prot, fields, 0, rec, r->len);
  if (enc && prot == NULL)
    {
      if (!b->no_key_told && !b->dead[dir] && !b->have_kb)
        cap_set_result (b, _("no key for this connection"));
      encrypted_step (b, dir, r, wire, fields);
      return;
    }
  if (prot != NULL)
    {
      int alert = tls_record_open (prot, r->type, r->version, rec + TLS_RECORD_HEADER_LEN,
                                   r->len - TLS_RECORD_HEADER_LEN, plain);
      if (alert != 0)
        {
          cap_problem_step (b, cap_actor_of (1 - dir), _("Record decryption"),
                        _("a protected record"), "RFC 5246, 6.2.3",
                        _("A protected record is decrypted and its MAC or tag checked with the "
                          "keys of the key block; a record sealed with those keys opens."),
                        _("the %s's %s record at offset %zu does not decrypt with the key given "
                          "(%s): the key log is not this connection's"),
                        cap_side_name (dir), tls_content_type_name (r->type), r->offset,
                        tls_alert_name (alert));
          cap_set_result (b, _("a record does not decrypt with the key given (wrong key log)"));
          b->dead[dir] = TRUE;
          encrypted_step (b, dir, r, wire, fields);
          return;
        }
    }
  else
    g_byte_array_append (plain, rec + TLS_RECORD_HEADER_LEN, r->len - TLS_RECORD_HEADER_LEN);

  switch (r->type)
    {
    case TLS_CONTENT_HANDSHAKE:
      cap_handshake_record (b, dir, wire, fields, plain->data, plain->len, enc, (gint64) r->offset);
      return;
    case TLS_CONTENT_CHANGE_CIPHER_SPEC:
      pb = g_bytes_new (plain->data, plain->len);
      cap_ccs_step (b, dir, pb, wire, fields, enc, (gint64) r->offset);
      return;
    case TLS_CONTENT_ALERT:
      pb = g_bytes_new (plain->data, plain->len);
      cap_alert_step (b, dir, pb, wire, fields, enc, (gint64) r->offset);
      return;
    default:
      pb = g_bytes_new (plain->data, plain->len);
      cap_appdata_step (b, dir, pb, wire, fields, (gint64) r->offset);
      return;
    }
  }
}

static void
set_meta (CapBuild *b, guint number)
{
  const TlsCaptureConnection *i = &b->c->info;
  g_autofree char *source = g_strdup_printf ("%s #%u", b->cap->name ? b->cap->name : "capture", number);

  tls_trace_set_meta (b->trace, "capture", source);
  tls_trace_set_meta (b->trace, "conn0.client", i->client);
  tls_trace_set_meta (b->trace, "conn0.server", i->server);
  if (i->sni)
    tls_trace_set_meta (b->trace, "conn0.sni", i->sni);
  if (b->version >= TLS_VERSION_1_0 && b->version <= TLS_VERSION_1_3)
    tls_trace_set_meta (b->trace, "conn0.version", tls_version_name (b->version));
  if (b->suite)
    tls_trace_set_meta (b->trace, "conn0.suite", b->suite->name);
  if (i->has_server_hello)
    {
      tls_trace_set_meta (b->trace, "conn0.resumed",
                          i->resumed ? (i->by_ticket ? "yes (ticket)" : "yes") : "no");
      if (b->t13 == NULL)
        {
          tls_trace_set_meta (b->trace, "conn0.ems", b->ems ? "yes" : "no");
          tls_trace_set_meta (b->trace, "conn0.etm", b->etm ? "yes" : "no");
        }
    }
  if (i->resumes > 0)
    {
      g_autofree char *n = g_strdup_printf ("%u", i->resumes);
      tls_trace_set_meta (b->trace, "conn0.resumes", n);
    }
  if (b->c->sh_session_id && g_bytes_get_size (b->c->sh_session_id) > 0)
    {
      g_autofree char *hex = tls_hex (g_bytes_get_data (b->c->sh_session_id, NULL),
                                      g_bytes_get_size (b->c->sh_session_id));
      tls_trace_set_meta (b->trace, "conn0.session_id", hex);
    }
  if (b->result == NULL && b->finished_ok[0] && b->finished_ok[1])
    tls_trace_set_meta (b->trace, "conn0.result", "completed");
  else
    {
      g_autofree char *r = g_strdup_printf ("incomplete: %s",
                                            b->result ? b->result
                                            : !b->finished[0] || !b->finished[1]
                                            ? _("the handshake does not finish in the capture")
                                            : _("the Finished messages were not checked"));
      tls_trace_set_meta (b->trace, "conn0.result", r);
    }
}

TlsTrace *
tls_capture_trace (TlsCapture *cap, guint number, GError **error)
{
  CapBuild b = { 0 };

  if (number == 0 || number > cap->conns->len)
    {
      g_set_error (error, TLS_CAPTURE_ERROR, TLS_CAPTURE_ERROR_NO_CONNECTION,
                   _("there is no connection #%u: the capture holds %u TLS connection(s)"),
                   number, cap->conns->len);
      return NULL;
    }
  b.cap = cap;
  b.c = g_ptr_array_index (cap->conns, number - 1);
  b.trace = tls_trace_new ();
  b.transcript = tls_transcript_new ();
  b.ch_step = b.hello_step = b.cke_step = b.master_step = -1;
  b.handshake_record = cap_handshake_record;
  if (b.c->info.version == TLS_VERSION_1_3)
    b.t13 = cap13_new ();
  for (int d = 0; d < 2; d++)
    {
      b.hs[d] = g_byte_array_new ();
      b.hsrec[d] = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_rec_free);
    }

  for (guint i = 0; i < b.c->records->len && !b.stop; i++)
    handle_record (&b, &g_array_index (b.c->records, CapRecord, i));
  for (int d = 0; d < 2 && !b.stop; d++)
    if (b.c->cut[d] != NULL)
      {
        cap_problem_step (&b, cap_actor_of (d), _("Capture truncated"), _("the capture of this connection"),
                      "RFC 5246, 6.2.1",
                      _("A record is a 5-byte header and as many bytes as its length says; "
                        "the rest of this side's stream is not in the capture."),
                      "%s", b.c->cut[d]);
        cap_set_result (&b, "%s", b.c->cut[d]);
      }
  if (!b.stop && b.hs[0]->len + b.hs[1]->len > 0)
    cap_set_result (&b, _("a handshake message is cut short at the end of the capture"));

  if (b.t13 != NULL && !b.stop)
    cap13_finish (&b);
  set_meta (&b, number);
  for (int d = 0; d < 2; d++)
    {
      tls_protection_free (b.prot[d]);
      g_byte_array_unref (b.hs[d]);
      g_ptr_array_unref (b.hsrec[d]);
    }
  tls_transcript_free (b.transcript);
  g_clear_pointer (&b.server_leaf, g_bytes_unref);
  g_clear_pointer (&b.sigalgs, g_array_unref);
  cap13_free (b.t13);
  g_free (b.result);
  return b.trace;
}
