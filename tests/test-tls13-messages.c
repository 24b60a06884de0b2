/* test-tls13-messages.c — the TLS 1.3 message and extension codecs against
 * the messages of RFC 8448 section 3: each parsed, its fields checked, and
 * written back byte for byte; the builders give the RFC's extension bytes;
 * the server's CertificateVerify signature verifies over the content
 * RFC 8446, 4.4.3 defines; bad input gets its alert. */
#include <nettle/rsa.h>
#include <nettle/sha2.h>
#include <string.h>

#include "rfc8448.h"
#include "test-util.h"
#include "tls-alert.h"
#include "tls-extensions.h"
#include "tls-handshake.h"
#include "tls-msg-client-hello.h"
#include "tls-msg-server-hello.h"
#include "tls-types.h"
#include "tls-x509.h"
#include "tls13-extensions.h"
#include "tls13-msg-certificate-verify.h"
#include "tls13-msg-certificate.h"
#include "tls13-msg-encrypted-extensions.h"
#include "tls13-msg-finished.h"
#include "tls13-msg-new-session-ticket.h"

static Rfc8448 *rfc;

#define CH()   rfc8448_get (rfc, "{client}  construct a ClientHello", "ClientHello")
#define SH()   rfc8448_get (rfc, "{server}  construct a ServerHello", "ServerHello")
#define EE()   rfc8448_get (rfc, "{server}  construct an EncryptedExtensions", "EncryptedExtensions")
#define CERT() rfc8448_get (rfc, "{server}  construct a Certificate", "Certificate")
#define CV()   rfc8448_get (rfc, "{server}  construct a CertificateVerify", "CertificateVerify")
#define SFIN() rfc8448_get (rfc, "{server}  construct a Finished", "Finished")
#define NST()  rfc8448_get (rfc, "{server}  construct a NewSessionTicket", "NewSessionTicket")

typedef int  (*ParseFunc) (TlsReader *r, gpointer m);
typedef void (*WriteFunc) (TlsWriter *w, gconstpointer m);

/* Parses the handshake message MSG of TYPE with PARSE into M (its fields
 * under *ROOT), writes M back with WRITE and checks the bytes are MSG's. */
static void
roundtrip (GBytes *msg, guint8 type, ParseFunc parse, WriteFunc write, gpointer m,
           TlsField **root)
{
  TlsReader r, body;
  TlsWriter w;
  TlsWriterMark hs;
  g_autoptr (GBytes) out = NULL;
  guint8 got_type;
  guint32 len;

  *root = tls_field_new ("message", 0, TU_SIZE (msg));
  tls_reader_init (&r, TU_DATA (msg), TU_SIZE (msg), *root);
  g_assert_cmpint (tls_handshake_parse_header (&r, &got_type, &len, &body), ==, 0);
  g_assert_cmpuint (got_type, ==, type);
  g_assert_cmpint (parse (&body, m), ==, 0);
  g_assert_true (tls_reader_done (&body));

  tls_writer_init (&w, NULL);
  tls_handshake_begin (&w, type, &hs);
  write (&w, m);
  tls_handshake_end (&w, &hs);
  out = tls_writer_steal (&w);
  g_assert_cmpmem (TU_DATA (out), TU_SIZE (out), TU_DATA (msg), TU_SIZE (msg));
}

/* The first field named NAME under ROOT, which must be there. */
static TlsField *
field (TlsField *root, const char *name)
{
  TlsField *f = tls_field_find (root, name);

  if (f == NULL)
    g_error ("no field %s", name);
  return f;
}

/* ------------------------------------------------------------------ */

static int  ch_parse (TlsReader *r, gpointer m) { return tls_client_hello_parse (r, m); }
static void ch_write (TlsWriter *w, gconstpointer m) { tls_client_hello_write (w, m); }
static int  sh_parse (TlsReader *r, gpointer m) { return tls_server_hello_parse (r, m); }
static void sh_write (TlsWriter *w, gconstpointer m) { tls_server_hello_write (w, m); }

static void
test_client_hello (void)
{
  GBytes *pub = rfc8448_get (rfc, "{client}  create an ephemeral x25519", "public key");
  g_autoptr (TlsField) root = NULL;
  g_autoptr (GArray) versions = NULL;
  g_autoptr (GArray) shares = NULL;
  g_autoptr (GBytes) modes = NULL;
  TlsClientHello m;
  Tls13KeyShareEntry *e;
  TlsField *f;

  g_test_summary ("RFC 8448's ClientHello: supported_versions, key_share and "
                  "psk_key_exchange_modes read and shown field by field; written back byte "
                  "for byte");
  roundtrip (CH (), TLS_HS_CLIENT_HELLO, ch_parse, ch_write, &m, &root);
  g_assert_cmphex (m.client_version, ==, TLS_VERSION_1_2);   /* legacy_version */

  versions = tls13_extensions_get_supported_versions (&m.extensions);
  g_assert_nonnull (versions);
  g_assert_cmpuint (versions->len, ==, 1);
  g_assert_cmphex (g_array_index (versions, guint16, 0), ==, TLS_VERSION_1_3);
  shares = tls13_extensions_get_key_shares (&m.extensions);
  g_assert_nonnull (shares);
  g_assert_cmpuint (shares->len, ==, 1);
  e = &g_array_index (shares, Tls13KeyShareEntry, 0);
  g_assert_cmpuint (e->group, ==, 29);
  g_assert_true (g_bytes_equal (e->key_exchange, pub));
  modes = tls13_extensions_get_psk_modes (&m.extensions);
  g_assert_cmpmem (TU_DATA (modes), TU_SIZE (modes), "\x01", 1);

  /* The fields: the key share's group and key, the version list. */
  f = field (root, "extension: key_share");
  g_assert_nonnull (f->desc);
  g_assert_nonnull (strstr (f->desc, "RFC 8446, 4.2.8"));
  f = field (f, "KeyShareEntry");
  g_assert_cmpstr (field (f, "group")->value, ==, "x25519 (29)");
  g_assert_cmpuint (field (f, "key_exchange")->length, ==, 2 + 32);
  f = field (root, "extension: supported_versions");
  g_assert_cmpstr (field (f, "version")->value, ==, "TLS 1.3 (0x0304)");
  g_assert_nonnull (strstr (field (f, "versions")->desc, "RFC 8446, 4.2.1"));
  f = field (root, "extension: psk_key_exchange_modes");
  g_assert_cmpstr (field (f, "ke_mode")->value, ==, "psk_dhe_ke (1)");
  tls_client_hello_clear (&m);
}

static void
test_server_hello (void)
{
  GBytes *pub = rfc8448_get (rfc, "{server}  create an ephemeral x25519", "public key");
  g_autoptr (TlsField) root = NULL;
  g_autoptr (GBytes) key = NULL;
  TlsServerHello m;
  guint16 v = 0, group = 0;

  g_test_summary ("RFC 8448's ServerHello: the selected version and the server's key share");
  roundtrip (SH (), TLS_HS_SERVER_HELLO, sh_parse, sh_write, &m, &root);
  g_assert_cmphex (m.cipher_suite, ==, 0x1301);
  g_assert_true (tls13_extensions_get_selected_version (&m.extensions, &v));
  g_assert_cmphex (v, ==, TLS_VERSION_1_3);
  g_assert_true (tls13_extensions_get_server_key_share (&m.extensions, &group, &key));
  g_assert_cmpuint (group, ==, 29);
  g_assert_true (g_bytes_equal (key, pub));
  g_assert_false (tls13_extensions_get_hrr_group (&m.extensions, &group));
  g_assert_cmpstr (field (root, "selected_version")->value, ==, "TLS 1.3 (0x0304)");
  tls_server_hello_clear (&m);
}

static int  ee_parse (TlsReader *r, gpointer m) { return tls13_encrypted_extensions_parse (r, m); }
static void ee_write (TlsWriter *w, gconstpointer m) { tls13_encrypted_extensions_write (w, m); }

static void
test_encrypted_extensions (void)
{
  g_autoptr (TlsField) root = NULL;
  Tls13EncryptedExtensions m;

  g_test_summary ("RFC 8448's EncryptedExtensions: supported_groups, record_size_limit and an "
                  "empty server_name");
  roundtrip (EE (), TLS_HS_ENCRYPTED_EXTENSIONS, ee_parse, ee_write, &m, &root);
  g_assert_cmpuint (tls_extensions_count (&m.extensions), ==, 3);
  g_assert_cmpuint (tls_extensions_get (&m.extensions, 0)->type, ==, TLS_EXT_SUPPORTED_GROUPS);
  g_assert_cmpuint (tls_extensions_get (&m.extensions, 1)->type, ==, 28);
  g_assert_cmpuint (tls_extensions_get (&m.extensions, 2)->type, ==, TLS_EXT_SERVER_NAME);
  g_assert_cmpuint (TU_SIZE (tls_extensions_get (&m.extensions, 2)->data), ==, 0);
  tls13_encrypted_extensions_clear (&m);
}

static int  cert_parse (TlsReader *r, gpointer m) { return tls13_certificate_msg_parse (r, m); }
static void cert_write (TlsWriter *w, gconstpointer m) { tls13_certificate_msg_write (w, m); }

static void
test_certificate (void)
{
  g_autoptr (TlsField) root = NULL;
  g_autoptr (GError) error = NULL;
  Tls13CertificateMsg m;
  Tls13CertificateEntry *e;
  TlsCertificate *x509;

  g_test_summary ("RFC 8448's Certificate: an empty request context, one entry with its "
                  "certificate (which parses as X.509) and an empty extension list");
  roundtrip (CERT (), TLS_HS_CERTIFICATE, cert_parse, cert_write, &m, &root);
  g_assert_cmpuint (TU_SIZE (m.certificate_request_context), ==, 0);
  g_assert_cmpuint (m.certificate_list->len, ==, 1);
  e = &g_array_index (m.certificate_list, Tls13CertificateEntry, 0);
  g_assert_cmpuint (TU_SIZE (e->cert_data), ==, 0x1b0);
  g_assert_cmpuint (tls_extensions_count (&e->extensions), ==, 0);
  g_assert_true (e->extensions.present);
  x509 = tls_certificate_new_from_der (e->cert_data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tls_certificate_get_subject (x509), ==, "CN=rsa");
  tls_certificate_unref (x509);
  g_assert_nonnull (field (root, "CertificateEntry [0]"));
  g_assert_nonnull (strstr (field (root, "certificate_request_context")->desc, "RFC 8446, 4.4.2"));
  tls13_certificate_msg_clear (&m);
}

static int  cv_parse (TlsReader *r, gpointer m) { return tls13_certificate_verify_parse (r, m); }
static void cv_write (TlsWriter *w, gconstpointer m) { tls13_certificate_verify_write (w, m); }

static void
test_certificate_verify (void)
{
  g_autoptr (TlsField) root = NULL;
  g_autoptr (TlsField) content_root = tls_field_new ("signed", 0, 0);
  g_autoptr (GBytes) content = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) transcript = g_byte_array_new ();
  Tls13CertificateVerify m;
  Tls13CertificateMsg cert;
  TlsReader r, body;
  TlsCertificate *x509;
  const TlsPublicKey *pub;
  guint8 th[32], digest[32];
  guint8 type;
  guint32 len;
  struct sha256_ctx sha;
  mpz_t sig;

  g_test_summary ("RFC 8448's CertificateVerify: rsa_pss_rsae_sha256, and its signature verifies "
                  "with the certificate's key over 64 spaces, the server context string, a zero "
                  "byte and Transcript-Hash(ClientHello...Certificate)");
  roundtrip (CV (), TLS_HS_CERTIFICATE_VERIFY, cv_parse, cv_write, &m, &root);
  g_assert_cmphex (m.algorithm, ==, 0x0804);
  g_assert_cmpuint (TU_SIZE (m.signature), ==, 128);

  /* The server's public key, from the Certificate message. */
  tls_reader_init (&r, TU_DATA (CERT ()), TU_SIZE (CERT ()), NULL);
  g_assert_cmpint (tls_handshake_parse_header (&r, &type, &len, &body), ==, 0);
  g_assert_cmpint (tls13_certificate_msg_parse (&body, &cert), ==, 0);
  x509 = tls_certificate_new_from_der (g_array_index (cert.certificate_list,
                                                      Tls13CertificateEntry, 0).cert_data, &error);
  g_assert_no_error (error);
  pub = tls_certificate_get_public_key (x509);
  g_assert_cmpint (pub->type, ==, TLS_PK_RSA);

  /* Transcript-Hash(ClientHello, ServerHello, EncryptedExtensions, Certificate) */
  g_byte_array_append (transcript, TU_DATA (CH ()), TU_SIZE (CH ()));
  g_byte_array_append (transcript, TU_DATA (SH ()), TU_SIZE (SH ()));
  g_byte_array_append (transcript, TU_DATA (EE ()), TU_SIZE (EE ()));
  g_byte_array_append (transcript, TU_DATA (CERT ()), TU_SIZE (CERT ()));
  sha256_init (&sha);
  sha256_update (&sha, transcript->len, transcript->data);
  sha256_digest (&sha, sizeof th, th);

  content = tls13_certificate_verify_content (TRUE, th, sizeof th, content_root);
  g_assert_cmpuint (TU_SIZE (content), ==, 64 + strlen (TLS13_SERVER_CV_CONTEXT) + 1 + 32);
  g_assert_cmpuint (field (content_root, "separator")->offset, ==, 64 + 33);

  /* RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt as long as the hash
   * (RFC 8446, 4.2.3). */
  sha256_init (&sha);
  sha256_update (&sha, TU_SIZE (content), TU_DATA (content));
  sha256_digest (&sha, sizeof digest, digest);
  mpz_init (sig);
  mpz_import (sig, TU_SIZE (m.signature), 1, 1, 0, 0, TU_DATA (m.signature));
  g_assert_true (rsa_pss_sha256_verify_digest (&pub->rsa, 32, digest, sig));
  /* ... and not as the client's signature. */
  {
    g_autoptr (GBytes) client = tls13_certificate_verify_content (FALSE, th, sizeof th, NULL);
    sha256_init (&sha);
    sha256_update (&sha, TU_SIZE (client), TU_DATA (client));
    sha256_digest (&sha, sizeof digest, digest);
    g_assert_false (rsa_pss_sha256_verify_digest (&pub->rsa, 32, digest, sig));
  }
  mpz_clear (sig);
  tls_certificate_unref (x509);
  tls13_certificate_msg_clear (&cert);
  tls13_certificate_verify_clear (&m);
}

static void
test_certificate_verify_content_example (void)
{
  /* RFC 8446, 4.4.3: "if the transcript hash was 32 bytes of 01 ... the
   * content covered by the digital signature for a server
   * CertificateVerify would be:" */
  g_autoptr (GBytes) want = tu_hex ("2020202020202020202020202020202020202020202020202020202020202020"
                                    "2020202020202020202020202020202020202020202020202020202020202020"
                                    "544c5320312e332c207365727665722043657274696669636174655665726966"
                                    "79"
                                    "00"
                                    "0101010101010101010101010101010101010101010101010101010101010101");
  g_autoptr (GBytes) got = NULL;
  guint8 hash[32];

  g_test_summary ("The signed content is RFC 8446 4.4.3's example, byte for byte");
  memset (hash, 1, sizeof hash);
  got = tls13_certificate_verify_content (TRUE, hash, sizeof hash, NULL);
  g_assert_true (g_bytes_equal (got, want));
}

static Tls13Finished fin_m;
static int  fin_parse (TlsReader *r, gpointer m) { return tls13_finished_parse (r, 32, m); }
static void fin_write (TlsWriter *w, gconstpointer m) { tls13_finished_write (w, m); }

static void
test_finished (void)
{
  g_autoptr (TlsField) root = NULL;
  GBytes *fin = SFIN ();
  TlsReader r;
  Tls13Finished m;

  g_test_summary ("RFC 8448's server Finished: verify_data of Hash.length (32) bytes; a body of "
                  "12 bytes (TLS 1.2's length) is decode_error");
  roundtrip (fin, TLS_HS_FINISHED, fin_parse, fin_write, &fin_m, &root);
  g_assert_cmpuint (fin_m.len, ==, 32);
  g_assert_cmpmem (fin_m.verify_data, 32,
                   TU_DATA (rfc8448_get (rfc, "{server}  calculate finished", "finished")), 32);
  tls_reader_init (&r, TU_DATA (fin) + 4, 12, NULL);
  g_assert_cmpint (tls13_finished_parse (&r, 32, &m), ==, TLS_ALERT_DECODE_ERROR);
  tls_reader_init (&r, TU_DATA (fin) + 4, 32, NULL);
  g_assert_cmpint (tls13_finished_parse (&r, 48, &m), ==, TLS_ALERT_DECODE_ERROR);
}

static int  nst_parse (TlsReader *r, gpointer m) { return tls13_new_session_ticket_parse (r, m); }
static void nst_write (TlsWriter *w, gconstpointer m) { tls13_new_session_ticket_write (w, m); }

static void
test_new_session_ticket (void)
{
  g_autoptr (TlsField) root = NULL;
  Tls13NewSessionTicket m;
  guint32 max = 0;

  g_test_summary ("RFC 8448's NewSessionTicket: lifetime, age_add, nonce, ticket and the "
                  "early_data extension with max_early_data_size");
  roundtrip (NST (), TLS_HS_NEW_SESSION_TICKET, nst_parse, nst_write, &m, &root);
  g_assert_cmpuint (m.ticket_lifetime, ==, 30);
  g_assert_cmphex (m.ticket_age_add, ==, 0xfad6aac5);
  g_assert_cmpmem (TU_DATA (m.ticket_nonce), TU_SIZE (m.ticket_nonce), "\0\0", 2);
  g_assert_cmpuint (TU_SIZE (m.ticket), ==, 0xb2);
  g_assert_true (tls13_extensions_get_early_data_max (&m.extensions, &max));
  g_assert_cmpuint (max, ==, 0x400);
  g_assert_cmpstr (field (root, "max_early_data_size")->value, ==, "1024 bytes");
  g_assert_nonnull (strstr (field (root, "ticket_nonce")->desc, "RFC 8446, 4.6.1"));
  tls13_new_session_ticket_clear (&m);
}

/* The extension_data of TYPE in the extensions of the hello MSG. */
static GBytes *
hello_ext (GBytes *msg, gboolean client, guint16 type)
{
  TlsReader r, body;
  guint8 t;
  guint32 len;
  GBytes *data;

  tls_reader_init (&r, TU_DATA (msg), TU_SIZE (msg), NULL);
  g_assert_cmpint (tls_handshake_parse_header (&r, &t, &len, &body), ==, 0);
  if (client)
    {
      TlsClientHello m;
      g_assert_cmpint (tls_client_hello_parse (&body, &m), ==, 0);
      data = g_bytes_ref (tls_extensions_find (&m.extensions, type));
      tls_client_hello_clear (&m);
    }
  else
    {
      TlsServerHello m;
      g_assert_cmpint (tls_server_hello_parse (&body, &m), ==, 0);
      data = g_bytes_ref (tls_extensions_find (&m.extensions, type));
      tls_server_hello_clear (&m);
    }
  return data;
}

static void
test_builders (void)
{
  GBytes *c_pub = rfc8448_get (rfc, "{client}  create an ephemeral x25519", "public key");
  GBytes *s_pub = rfc8448_get (rfc, "{server}  create an ephemeral x25519", "public key");
  static const guint16 v13[] = { TLS_VERSION_1_3 };
  static const guint8 dhe[] = { TLS13_PSK_DHE_KE };
  Tls13KeyShareEntry share = { 29, c_pub };
  TlsExtensions e;
  const struct { guint16 type; gboolean client; } cases[] = {
    { TLS13_EXT_SUPPORTED_VERSIONS, TRUE },
    { TLS13_EXT_KEY_SHARE, TRUE },
    { TLS13_EXT_PSK_KEY_EXCHANGE_MODES, TRUE },
  };

  g_test_summary ("The builders give RFC 8448's supported_versions, key_share and "
                  "psk_key_exchange_modes, in the ClientHello and the ServerHello");
  tls_extensions_init (&e);
  tls13_extensions_add_supported_versions (&e, v13, 1);
  tls13_extensions_add_key_share_client (&e, &share, 1);
  tls13_extensions_add_psk_modes (&e, dhe, 1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) want = hello_ext (CH (), cases[i].client, cases[i].type);
      g_assert_true (g_bytes_equal (tls_extensions_find (&e, cases[i].type), want));
    }
  tls_extensions_clear (&e);

  tls_extensions_init (&e);
  tls13_extensions_add_selected_version (&e, TLS_VERSION_1_3);
  tls13_extensions_add_key_share_server (&e, 29, s_pub);
  {
    g_autoptr (GBytes) v = hello_ext (SH (), FALSE, TLS13_EXT_SUPPORTED_VERSIONS);
    g_autoptr (GBytes) k = hello_ext (SH (), FALSE, TLS13_EXT_KEY_SHARE);
    g_assert_true (g_bytes_equal (tls_extensions_find (&e, TLS13_EXT_SUPPORTED_VERSIONS), v));
    g_assert_true (g_bytes_equal (tls_extensions_find (&e, TLS13_EXT_KEY_SHARE), k));
  }
  tls_extensions_clear (&e);
}

static void
test_psk_and_cookie (void)
{
  g_autoptr (GBytes) ticket = tu_hex ("0102030405060708");
  g_autoptr (GBytes) binder = tu_hex ("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
  g_autoptr (GBytes) cookie = tu_hex ("c0c1c2");
  g_autoptr (GBytes) got_cookie = NULL;
  static const guint16 suites[] = { 0x1301 };
  Tls13OfferedPsks psks, got;
  Tls13PskIdentity id = { ticket, 12345 };
  TlsClientHello ch;
  TlsExtensions hrr;
  TlsWriter w;
  TlsWriterMark hs;
  g_autoptr (GBytes) msg = NULL;
  gsize truncated = 0;
  guint16 group = 0, sel = 9;

  g_test_summary ("pre_shared_key (offered and selected), cookie and the HelloRetryRequest "
                  "key_share round-trip; Truncate(ClientHello) stops before the binders");
  tls13_offered_psks_init (&psks);
  g_array_append_val (psks.identities, id);
  g_ptr_array_add (psks.binders, g_bytes_ref (binder));
  tls_client_hello_init (&ch);
  ch.client_version = TLS_VERSION_1_2;
  g_array_append_vals (ch.cipher_suites, suites, 1);
  g_byte_array_append (ch.compression_methods, (const guint8 *) "\0", 1);
  tls13_extensions_add_cookie (&ch.extensions, cookie);
  tls13_extensions_add_offered_psks (&ch.extensions, &psks);
  g_array_set_size (psks.identities, 0);   /* the ticket is not ours */
  tls13_offered_psks_clear (&psks);

  g_assert_true (tls13_extensions_get_offered_psks (&ch.extensions, &got));
  g_assert_cmpuint (got.identities->len, ==, 1);
  g_assert_true (g_bytes_equal (g_array_index (got.identities, Tls13PskIdentity, 0).identity, ticket));
  g_assert_cmpuint (g_array_index (got.identities, Tls13PskIdentity, 0).obfuscated_ticket_age, ==, 12345);
  g_assert_true (g_bytes_equal (g_ptr_array_index (got.binders, 0), binder));
  tls13_offered_psks_clear (&got);
  got_cookie = tls13_extensions_get_cookie (&ch.extensions);
  g_assert_true (g_bytes_equal (got_cookie, cookie));

  tls_writer_init (&w, NULL);
  tls_handshake_begin (&w, TLS_HS_CLIENT_HELLO, &hs);
  tls_client_hello_write (&w, &ch);
  tls_handshake_end (&w, &hs);
  msg = tls_writer_steal (&w);
  g_assert_true (tls13_client_hello_truncated_len (TU_DATA (msg), TU_SIZE (msg), &truncated));
  /* binders<33..2^16-1>: 2 bytes of length, 1 + 32 of the one binder */
  g_assert_cmpuint (truncated, ==, TU_SIZE (msg) - 2 - 1 - 32);
  g_assert_cmpmem (TU_DATA (msg) + truncated + 3, 32, TU_DATA (binder), 32);
  tls_client_hello_clear (&ch);

  tls_extensions_init (&hrr);
  tls13_extensions_add_key_share_hrr (&hrr, 23);
  tls13_extensions_add_selected_identity (&hrr, 0);
  g_assert_true (tls13_extensions_get_hrr_group (&hrr, &group));
  g_assert_cmpuint (group, ==, 23);
  g_assert_true (tls13_extensions_get_selected_identity (&hrr, &sel));
  g_assert_cmpuint (sel, ==, 0);
  tls_extensions_clear (&hrr);
}

/* Parses the extension block BLOCK (hex) as in MSG_CONTEXT; returns the
 * alert (0 when it parses). */
static int
parse_block (const char *hex, TlsExtensionsContext ctx)
{
  g_autoptr (GBytes) b = tu_hex (hex);
  TlsReader r;
  TlsExtensions e;
  int alert;

  tls_reader_init (&r, TU_DATA (b), TU_SIZE (b), NULL);
  alert = tls_extensions_parse (&r, &e, ctx);
  if (alert == 0)
    tls_extensions_clear (&e);
  return alert;
}

static void
test_bad_input (void)
{
  g_autoptr (GBytes) nst = NULL;
  g_autoptr (GBytes) cert = NULL;
  TlsReader r;
  Tls13NewSessionTicket m;
  Tls13CertificateMsg c;
  Tls13EncryptedExtensions ee;

  g_test_summary ("Malformed TLS 1.3 extensions and messages get decode_error or "
                  "illegal_parameter");
  /* supported_versions with an odd list, and below its minimum of 2 */
  g_assert_cmpint (parse_block ("0006 002b 0002 0103", TLS_EXTENSIONS_CLIENT_HELLO), ==, TLS_ALERT_DECODE_ERROR);
  g_assert_cmpint (parse_block ("0005 002b 0001 00", TLS_EXTENSIONS_CLIENT_HELLO), ==, TLS_ALERT_DECODE_ERROR);
  /* selected_version with a byte too many */
  g_assert_cmpint (parse_block ("0007 002b 0003 030400", TLS_EXTENSIONS_SERVER_HELLO), ==, TLS_ALERT_DECODE_ERROR);
  /* a key share with an empty key_exchange */
  g_assert_cmpint (parse_block ("000a 0033 0006 0004 001d 0000", TLS_EXTENSIONS_CLIENT_HELLO), ==, TLS_ALERT_DECODE_ERROR);
  /* psk_key_exchange_modes with no mode */
  g_assert_cmpint (parse_block ("0005 002d 0001 00", TLS_EXTENSIONS_CLIENT_HELLO), ==, TLS_ALERT_DECODE_ERROR);
  /* early_data in a ClientHello must be empty */
  g_assert_cmpint (parse_block ("0005 002a 0001 00", TLS_EXTENSIONS_CLIENT_HELLO), ==, TLS_ALERT_DECODE_ERROR);
  /* a binder shorter than 32 bytes */
  g_assert_cmpint (parse_block ("0017 0029 0013 000a 0004 01020304 00000000 0005 04 01020304",
                                TLS_EXTENSIONS_CLIENT_HELLO), ==, TLS_ALERT_DECODE_ERROR);
  /* an empty cookie */
  g_assert_cmpint (parse_block ("0006 002c 0002 0000", TLS_EXTENSIONS_CLIENT_HELLO), ==, TLS_ALERT_DECODE_ERROR);

  /* NewSessionTicket: a lifetime over 7 days; an empty ticket; no extensions */
  nst = tu_hex ("00093a81 00000001 00 0001 aa 0000");
  tls_reader_init (&r, TU_DATA (nst), TU_SIZE (nst), NULL);
  g_assert_cmpint (tls13_new_session_ticket_parse (&r, &m), ==, TLS_ALERT_ILLEGAL_PARAMETER);
  g_clear_pointer (&nst, g_bytes_unref);
  nst = tu_hex ("00093a80 00000001 00 0000 0000");
  tls_reader_init (&r, TU_DATA (nst), TU_SIZE (nst), NULL);
  g_assert_cmpint (tls13_new_session_ticket_parse (&r, &m), ==, TLS_ALERT_DECODE_ERROR);
  g_clear_pointer (&nst, g_bytes_unref);
  nst = tu_hex ("00093a80 00000001 00 0001 aa");
  tls_reader_init (&r, TU_DATA (nst), TU_SIZE (nst), NULL);
  g_assert_cmpint (tls13_new_session_ticket_parse (&r, &m), ==, TLS_ALERT_DECODE_ERROR);

  /* Certificate: an entry without its extensions; an empty cert_data */
  cert = tu_hex ("00 000005 000002 3000");
  tls_reader_init (&r, TU_DATA (cert), TU_SIZE (cert), NULL);
  g_assert_cmpint (tls13_certificate_msg_parse (&r, &c), ==, TLS_ALERT_DECODE_ERROR);
  g_clear_pointer (&cert, g_bytes_unref);
  cert = tu_hex ("00 000005 000000 0000");
  tls_reader_init (&r, TU_DATA (cert), TU_SIZE (cert), NULL);
  g_assert_cmpint (tls13_certificate_msg_parse (&r, &c), ==, TLS_ALERT_DECODE_ERROR);

  /* EncryptedExtensions: an empty body (not even the list's length) */
  tls_reader_init (&r, (const guint8 *) "", 0, NULL);
  g_assert_cmpint (tls13_encrypted_extensions_parse (&r, &ee), ==, TLS_ALERT_DECODE_ERROR);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  rfc = rfc8448_load ("section3.txt");
  g_test_add_func ("/tls13/rfc8448/messages/client-hello", test_client_hello);
  g_test_add_func ("/tls13/rfc8448/messages/server-hello", test_server_hello);
  g_test_add_func ("/tls13/rfc8448/messages/encrypted-extensions", test_encrypted_extensions);
  g_test_add_func ("/tls13/rfc8448/messages/certificate", test_certificate);
  g_test_add_func ("/tls13/rfc8448/messages/certificate-verify", test_certificate_verify);
  g_test_add_func ("/tls13/messages/certificate-verify-content", test_certificate_verify_content_example);
  g_test_add_func ("/tls13/rfc8448/messages/finished", test_finished);
  g_test_add_func ("/tls13/rfc8448/messages/new-session-ticket", test_new_session_ticket);
  g_test_add_func ("/tls13/rfc8448/messages/builders", test_builders);
  g_test_add_func ("/tls13/messages/psk-cookie-hrr", test_psk_and_cookie);
  g_test_add_func ("/tls13/messages/bad-input", test_bad_input);
  ret = g_test_run ();
  rfc8448_free (rfc);
  return ret;
}
