/* trace-sample.h — a hand-built trace with every kind of step, shared by
 * the exporter tests (test-trace-json.c, test-trace-text.c).
 *
 *  [0] client  message     ClientHello        (fields nested, wire record)
 *  [1] client  check       Server certificate signature (passed)
 *  [2] client  message     ClientKeyExchange  (70-byte value, encrypted wire)
 *  [3] client  derivation  master_secret      (inputs from steps 0 and 2)
 *  [4] server  decision    Session resumption
 *  [5] client  check       Host name          (failed)
 *  [6] server  alert       decode_error
 *  [7] client  appdata     Application data   (connection 1, observed)
 *  [8] client  check       Certificate chain  (not checked) */
#pragma once

#include "tls-trace.h"
#include "tls-types.h"
#include "tls-alert.h"

#include <string.h>

/* The record that carries BYTES: header fields, then the fragment. */
static inline void
sample_wire (TlsStep *step, guint8 content_type, gboolean encrypted)
{
  TlsWriter w;
  TlsWriterMark m;
  TlsField *root = tls_field_new ("TLSPlaintext", 0, 0);
  gsize len;
  const guint8 *data = g_bytes_get_data (step->bytes, &len);
  g_autoptr (GBytes) wire = NULL;

  tls_writer_init (&w, root);
  tls_write_u8 (&w, "type", content_type);
  tls_writer_note (&w, "%s (%u)", tls_content_type_name (content_type), content_type);
  tls_write_u16 (&w, "version", TLS_VERSION_1_2);
  tls_writer_note (&w, "TLS 1.2 (0x0303)");
  tls_write_vector_begin (&w, 2, NULL, &m);
  tls_write_bytes (&w, encrypted ? "encrypted fragment" : "fragment", data, len);
  tls_write_vector_end (&w, &m);
  wire = tls_writer_steal (&w);
  root->length = g_bytes_get_size (wire);
  tls_step_set_wire (step, wire, root, encrypted);
}

static inline TlsTrace *
sample_trace (void)
{
  TlsTrace *t = tls_trace_new ();
  TlsStep *s;
  TlsWriter w;
  TlsWriterMark body, vec;
  TlsField *root;
  guint8 random[32], pms[70], ms[48];
  const guint16 suites[] = { 0x009c, 0x002f, 0x00ff };

  for (guint i = 0; i < sizeof random; i++)
    random[i] = (guint8) (0xa0 + i);
  for (guint i = 0; i < sizeof pms; i++)
    pms[i] = (guint8) (i * 7 + 3);
  for (guint i = 0; i < sizeof ms; i++)
    ms[i] = (guint8) (0xff - i);

  t->scenario = g_strdup ("full");
  t->seed = 42;
  t->seeded = TRUE;
  t->clock = 1780315200;
  tls_trace_set_meta (t, "conn0.version", "TLS 1.2");
  tls_trace_set_meta (t, "conn0.suite", "TLS_RSA_WITH_AES_128_GCM_SHA256");
  tls_trace_set_meta (t, "conn0.resumed", "no");
  tls_trace_set_meta (t, "conn0.result", "completed");
  tls_trace_set_meta (t, "conn1.version", "TLS 1.2");
  tls_trace_set_meta (t, "conn1.suite", "TLS_RSA_WITH_AES_128_GCM_SHA256");
  tls_trace_set_meta (t, "conn1.resumed", "yes");
  tls_trace_set_meta (t, "conn1.result", "alert: decode_error (ClientHello too short)");
  tls_trace_set_meta (t, "peer", "in-process \"ours\" — clé");

  /* [0] ClientHello: handshake header, then a body with nested vectors */
  s = tls_trace_add (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientHello");
  s->content_type = TLS_CONTENT_HANDSHAKE;
  s->handshake_type = TLS_HS_CLIENT_HELLO;
  root = tls_field_new ("ClientHello", 0, 0);
  tls_writer_init (&w, root);
  tls_write_u8 (&w, "msg_type", TLS_HS_CLIENT_HELLO);
  tls_writer_note (&w, "client_hello (1)");
  tls_write_vector_begin (&w, 3, "body", &body);
  tls_write_u16 (&w, "client_version", TLS_VERSION_1_2);
  tls_writer_note (&w, "TLS 1.2 (0x0303)");
  tls_writer_describe (&w, "the highest version the client supports");
  tls_write_bytes (&w, "random", random, sizeof random);
  tls_write_vector (&w, 1, "session_id", NULL, 0);
  tls_write_vector_begin (&w, 2, "cipher_suites", &vec);
  for (guint i = 0; i < G_N_ELEMENTS (suites); i++)
    tls_write_u16 (&w, "cipher_suite", suites[i]);
  tls_write_vector_end (&w, &vec);
  tls_write_vector_end (&w, &body);
  {
    g_autoptr (GBytes) msg = tls_writer_steal (&w);
    root->length = g_bytes_get_size (msg);
    tls_step_set_message (s, msg, root);
  }
  sample_wire (s, TLS_CONTENT_HANDSHAKE, FALSE);
  tls_step_explain (s, "RFC 5246, 7.4.1.2",
                    "The client opens the handshake: the highest version it speaks, "
                    "32 random bytes that go into every key, and the cipher suites it "
                    "accepts, most preferred first.");

  /* [1] a check that passed */
  s = tls_trace_add (t, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "Server certificate signature");
  s->actor = TLS_ACTOR_CLIENT;
  s->subject = g_strdup ("server.handshake-lab.test (leaf)");
  s->against = g_strdup ("Handshake Lab Intermediate CA");
  s->result = TLS_CHECK_PASSED;
  tls_step_set_reason (s, "sha256WithRSAEncryption signature verifies");
  tls_step_explain (s, "RFC 5280, 6.1.3", "Each certificate is signed by the next one up.");

  /* [2] ClientKeyExchange with a long value, in a protected record */
  s = tls_trace_add (t, TLS_STEP_MESSAGE, TLS_ACTOR_CLIENT, "ClientKeyExchange");
  s->content_type = TLS_CONTENT_HANDSHAKE;
  s->handshake_type = TLS_HS_CLIENT_KEY_EXCHANGE;
  root = tls_field_new ("ClientKeyExchange", 0, 0);
  tls_writer_init (&w, root);
  tls_write_u8 (&w, "msg_type", TLS_HS_CLIENT_KEY_EXCHANGE);
  tls_write_vector_begin (&w, 3, "body", &body);
  tls_write_vector (&w, 2, "EncryptedPreMasterSecret", pms, sizeof pms);
  tls_write_vector_end (&w, &body);
  {
    g_autoptr (GBytes) msg = tls_writer_steal (&w);
    root->length = g_bytes_get_size (msg);
    tls_step_set_message (s, msg, root);
  }
  sample_wire (s, TLS_CONTENT_HANDSHAKE, TRUE);
  tls_step_explain (s, "RFC 5246, 7.4.7",
                    "The client encrypts the premaster secret with the server's public key.");

  /* [3] a derivation with inputs from earlier steps */
  s = tls_trace_add (t, TLS_STEP_DERIVATION, TLS_ACTOR_CLIENT, "master_secret");
  s->formula = g_strdup ("PRF(pre_master_secret, \"master secret\", "
                         "ClientHello.random + ServerHello.random)[0..47]");
  tls_step_add_input (s, "pre_master_secret", pms, 48, 2, "decrypted from ClientKeyExchange");
  tls_step_add_text_input (s, "label", "master secret", -1, "fixed by the RFC");
  tls_step_add_input (s, "client_random", random, sizeof random, 0, "ClientHello.random");
  tls_step_add_input (s, "empty", (const guint8 *) "", 0, -1, NULL);
  tls_step_add_output (s, "master_secret", ms, sizeof ms, "feeds the key block");
  tls_step_explain (s, "RFC 5246, 8.1", "Both sides compute the same 48-byte master secret.");

  /* [4] a decision */
  s = tls_trace_add (t, TLS_STEP_DECISION, TLS_ACTOR_SERVER, "Session resumption");
  tls_step_add_option (s, "resume session %s (cache hit)", "5a3c");
  tls_step_add_option (s, "new session (full handshake)");
  tls_step_add_option (s, "no caching (empty session ID)");
  s->choice = g_strdup ("new session (full handshake)");
  tls_step_set_reason (s, "the client sent an empty session ID");
  tls_step_add_text_input (s, "session_id", "(empty)", 0, "ClientHello.session_id");
  tls_step_explain (s, "RFC 5246, 7.4.1.3", "A server may resume a cached session.");

  /* [5] a check that failed */
  s = tls_trace_add (t, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "Host name");
  s->subject = g_strdup ("subjectAltName DNS:other.example");
  s->against = g_strdup ("localhost");
  s->result = TLS_CHECK_FAILED;
  tls_step_set_reason (s, "no DNS name or IP address matches “localhost”");

  /* [6] an alert */
  s = tls_trace_add (t, TLS_STEP_ALERT, TLS_ACTOR_SERVER, "Alert");
  s->content_type = TLS_CONTENT_ALERT;
  s->alert_level = TLS_ALERT_LEVEL_FATAL;
  s->alert_description = TLS_ALERT_DECODE_ERROR;
  tls_step_set_reason (s, "ClientHello too short: cipher_suites ends past the message");
  {
    const guint8 alert[] = { 2, 50 };
    g_autoptr (GBytes) b = g_bytes_new (alert, sizeof alert);
    root = tls_field_new ("Alert", 0, 2);
    tls_field_set_value (tls_field_add (root, "level", 0, 1), "fatal (2)");
    tls_field_set_value (tls_field_add (root, "description", 1, 1), "decode_error (50)");
    tls_step_set_message (s, b, root);
  }
  sample_wire (s, TLS_CONTENT_ALERT, FALSE);
  tls_step_explain (s, "RFC 5246, 7.2.2", "A message that cannot be parsed ends the handshake.");

  /* [7] application data on the second connection, seen from a real peer */
  t->connection = 1;
  s = tls_trace_add (t, TLS_STEP_APPDATA, TLS_ACTOR_CLIENT, "Application data");
  s->observed = TRUE;
  s->content_type = TLS_CONTENT_APPLICATION_DATA;
  {
    const char *get = "GET / HTTP/1.0\r\n\r\n";
    g_autoptr (GBytes) b = g_bytes_new (get, strlen (get));
    root = tls_field_new ("data", 0, strlen (get));
    tls_step_set_message (s, b, root);
  }
  sample_wire (s, TLS_CONTENT_APPLICATION_DATA, TRUE);

  /* [8] a check that did not run */
  s = tls_trace_add (t, TLS_STEP_CHECK, TLS_ACTOR_CLIENT, "Certificate chain");
  s->subject = g_strdup ("server certificate chain");
  s->against = g_strdup ("trust anchors");
  s->result = TLS_CHECK_NOT_CHECKED;
  tls_step_set_reason (s, "chain validation is not implemented yet");

  return t;
}
