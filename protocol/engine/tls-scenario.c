/* tls-scenario.c — built-in scenarios and the scenario key file. */
#include "tls-scenario.h"
#include "tls-suites.h"
#include "tls-types.h"
#include "tls-trace.h"
#include "tls-kx-dh.h"
#include "tls-attacker.h"
#include "tls-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define GROUP "Scenario"

static TlsScenario *
scenario_new (const char *name)
{
  TlsScenario *sc = g_new0 (TlsScenario, 1);

  sc->name = g_strdup (name);
  sc->min_version = TLS_VERSION_1_0;
  sc->max_version = TLS_VERSION_1_2;
  sc->client_suites = g_array_new (FALSE, FALSE, sizeof (guint16));
  sc->server_suites = g_array_new (FALSE, FALSE, sizeof (guint16));
  sc->server_cert = g_strdup ("server-rsa");
  sc->server_name = g_strdup ("localhost");
  sc->connections = 1;
  sc->server_cache = TRUE;
  sc->transport = TLS_TRANSPORT_MEMORY;
  sc->seed = 1;
  sc->clock = TLS_SCENARIO_CLOCK;
  sc->replay_after = 2;
  sc->app_request = g_strdup ("GET / HTTP/1.0\r\n\r\n");
  return sc;
}

void
tls_scenario_free (TlsScenario *sc)
{
  if (sc == NULL)
    return;
  g_free (sc->name);
  g_free (sc->title);
  g_free (sc->description);
  g_array_unref (sc->client_suites);
  g_array_unref (sc->server_suites);
  g_free (sc->server_cert);
  g_free (sc->server_name);
  g_free (sc->extra_certs);
  g_free (sc->tamper);
  g_free (sc->attack);
  g_free (sc->app_request);
  g_free (sc->server_dh_group);
  g_free (sc->server_groups);
  g_free (sc->alpn);
  g_free (sc->server_alpn);
  g_free (sc->groups);
  g_free (sc);
}

gboolean
tls_scenario_add_attack (TlsScenario *sc, const char *action, GError **error)
{
  g_autoptr (GPtrArray) attacks = tls_attack_parse_list (action, error);
  char *joined;

  if (attacks == NULL)
    return FALSE;
  if (attacks->len == 0)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("an empty attack (expected e.g. drop:ServerHelloDone)"));
      return FALSE;
    }
  joined = sc->attack ? g_strdup_printf ("%s;%s", sc->attack, action) : g_strdup (action);
  g_free (sc->attack);
  sc->attack = joined;
  return TRUE;
}

TlsScenario *
tls_scenario_copy (const TlsScenario *sc)
{
  TlsScenario *c = g_new (TlsScenario, 1);

  *c = *sc;
  c->name = g_strdup (sc->name);
  c->title = g_strdup (sc->title);
  c->description = g_strdup (sc->description);
  c->client_suites = g_array_copy (sc->client_suites);
  c->server_suites = g_array_copy (sc->server_suites);
  c->server_cert = g_strdup (sc->server_cert);
  c->server_name = g_strdup (sc->server_name);
  c->extra_certs = g_strdup (sc->extra_certs);
  c->tamper = g_strdup (sc->tamper);
  c->attack = g_strdup (sc->attack);
  c->app_request = g_strdup (sc->app_request);
  c->server_dh_group = g_strdup (sc->server_dh_group);
  c->server_groups = g_strdup (sc->server_groups);
  c->alpn = g_strdup (sc->alpn);
  c->server_alpn = g_strdup (sc->server_alpn);
  c->groups = g_strdup (sc->groups);
  return c;
}

static void
add_suite (GArray *a, const char *name)
{
  const TlsSuite *s = tls_suite_by_name (name);
  g_assert (s != NULL);
  g_array_append_val (a, s->id);
}

/* name, title, description; the setup is in tls_scenario_builtin. */
static const struct
{
  const char *name;
  const char *title;
  const char *description;
} builtins[] = {
  { "classic", N_("The handshake of the notes (RFC 5246), then a resumed one"),
    N_("The full handshake of RFC 5246 as the notes draw it (Fig. 1): RSA key exchange with TLS_RSA_WITH_AES_128_CBC_SHA, the cipher suite a TLS 1.2 implementation must have unless an application profile says otherwise (RFC 5246, 9). No extended master secret, no encrypt-then-MAC, no session ticket: the master secret is PRF(pre_master_secret, \"master secret\", ClientHello.random + ServerHello.random) (RFC 5246, 8.1). A second connection offers the session ID of the first and is resumed with the abbreviated handshake (Fig. 2).") },
  { "modern", N_("The same handshake with today's extensions: EMS, encrypt-then-MAC, tickets"),
    N_("The classic handshake with three extensions a TLS 1.2 client adds today, each the answer to an attack: extended_master_secret (RFC 7627) binds the master secret to a hash of the whole handshake, so an attacker cannot give two sessions the same master secret; encrypt_then_mac (RFC 7366) puts the MAC over the CBC ciphertext, so a record is checked before it is decrypted (a timing attack on CBC padding is described in RFC 5246, 6.2.3.2); session_ticket (RFC 5077) lets the server resume a session without keeping any state: the second connection is resumed by ticket.") },
  { "resumption", N_("Full handshake, then a resumed one"),
    N_("A full handshake with RSA key exchange (Fig. 1), then a second connection that offers the session ID of the first and is resumed with an abbreviated handshake (Fig. 2).") },
  { "full", N_("Full handshake, RSA key exchange"),
    N_("One full TLS 1.2 handshake: the client encrypts the pre-master secret with the server's RSA key.") },
  { "no-cache", N_("Server does not cache sessions"),
    N_("The server answers with an empty session ID, so the session cannot be resumed: the second connection has no ID to offer and runs a full handshake again.") },
  { "expired", N_("Cached session has expired"),
    N_("The second connection comes two hours later; the server's cache keeps sessions for one hour, so the lookup finds the entry expired and a full handshake follows.") },
  { "cbc", N_("Full handshake, AES-CBC with HMAC-SHA1"),
    N_("TLS_RSA_WITH_AES_128_CBC_SHA with encrypt-then-MAC (RFC 7366), which both sides offer: each record carries its own explicit IV, and the MAC covers the ciphertext. The \"classic\" scenario shows the same suite MAC-then-encrypt.") },
  { "tls10", N_("TLS 1.0"),
    N_("Client and server both speak at most TLS 1.0 (RFC 2246): the PRF is MD5 xor SHA-1 and CBC records chain their IVs.") },
  { "loopback", N_("Full handshake over loopback TCP"),
    N_("The same handshake as \"full\", but the bytes go through a real TCP connection on 127.0.0.1.") },
  { "fallback-scsv", N_("Downgrade caught by TLS_FALLBACK_SCSV"),
    N_("The client retries with TLS 1.1 after a failed attempt and says so with TLS_FALLBACK_SCSV. The server speaks TLS 1.2, so the retry looks like a downgrade forced by an attacker: inappropriate_fallback.") },
  { "client-auth", N_("Client certificate"),
    N_("The server asks for a client certificate with CertificateRequest and requires a valid one. The client sends its certificate and proves it holds the key with CertificateVerify.") },
  { "client-auth-none", N_("Asked for a certificate, the client has none"),
    N_("The server asks for a client certificate but does not require one. The client has none and sends an empty Certificate; the server goes on without client authentication.") },
  { "bad-certificate-verify", N_("CertificateVerify that does not verify"),
    N_("The client's CertificateVerify signature is damaged on purpose; the server's check fails and it answers decrypt_error.") },
  { "dhe-rsa", N_("DHE_RSA: ephemeral Diffie-Hellman, RSA signature"),
    N_("The server makes a fresh Diffie-Hellman key (group ffdhe2048), signs it with its RSA key in ServerKeyExchange; both sides compute the pre-master secret, which never crosses the wire.") },
  { "dhe-dss", N_("DHE_DSS: ephemeral Diffie-Hellman, DSA signature"),
    N_("As DHE_RSA, but the server's certificate holds a DSA key, which signs the Diffie-Hellman parameters.") },
  { "ecdhe-rsa", N_("ECDHE_RSA: elliptic-curve Diffie-Hellman, RSA signature"),
    N_("Ephemeral Diffie-Hellman on the curve X25519, chosen from the client's supported_groups; the server signs its point with RSA.") },
  { "ecdhe-ecdsa", N_("ECDHE_ECDSA: elliptic curves for both"),
    N_("Ephemeral ECDH, and a certificate with an ECDSA P-256 key that signs the server's point.") },
  { "dh-rsa", N_("DH_RSA: static Diffie-Hellman (historical)"),
    N_("The server's certificate itself holds a Diffie-Hellman public key (signed by an RSA CA): no ServerKeyExchange. No live peer speaks this any more; it is shown between our own client and server.") },
  { "dh-dss", N_("DH_DSS: static Diffie-Hellman (historical)"),
    N_("As DH_RSA, with the certificate signed by a DSA CA.") },
  { "3des", N_("3DES-EDE-CBC (legacy)"),
    N_("Triple DES with HMAC-SHA1: 64-bit blocks make it weak against Sweet32; shown for history.") },
  { "rc4", N_("RC4 (broken)"),
    N_("The RC4 stream cipher with HMAC-SHA1. RFC 7465 forbids it: its keystream is biased. Shown for history.") },
  { "chacha20", N_("ChaCha20-Poly1305"),
    N_("ECDHE_RSA with the ChaCha20-Poly1305 AEAD (RFC 7905), fast without AES hardware.") },
  { "bad-ske-signature", N_("ServerKeyExchange with a bad signature"),
    N_("The server's signature over its DHE parameters is damaged on purpose; the client's check fails and it answers decrypt_error.") },
  { "small-dh-group", N_("DH group too small for the client"),
    N_("The server uses the 1024-bit Second Oakley Group (RFC 2409, 6.2), as many servers did before RFC 7919; the client accepts no group under 2048 bits and refuses it with insufficient_security. NIST SP 800-57 rates a 1024-bit group at about 80 bits of security, 2048 bits at about 112 and 3072 bits at about 128; 1024-bit groups are within reach of attackers with enough computing power (Logjam; RFC 8270, 2).") },
  { "invalid-ec-point", N_("Invalid elliptic-curve point"),
    N_("The server's P-256 point in ServerKeyExchange is not on the curve (damaged on purpose before signing). The client refuses it with illegal_parameter.") },
  { "tickets", N_("Resumption by session ticket"),
    N_("The server issues a session ticket (RFC 5077) after the full handshake: the session sealed with a key only the server knows. The second connection sends the ticket back and is resumed without any server-side cache lookup.") },
  { "sni", N_("Server name indication: two certificates"),
    N_("The server has two certificates, for localhost and for other.example. The client asks for other.example in its server_name extension, and the server picks the matching certificate.") },
  { "no-common-suite", N_("No cipher suite in common"),
    N_("The client offers only AES-256-GCM; the server accepts only AES-128-CBC. The server answers with a handshake_failure alert.") },
  { "bad-finished", N_("Tampered Finished message"),
    N_("The client changes the first byte of its Finished verify_data after computing it (a fault injected on purpose); the server's check fails and it sends decrypt_error.") },
  { "flipped-bit", N_("A bit flipped on the wire"),
    N_("One bit of the client's encrypted Finished record is flipped in transit; the server's record layer rejects it with bad_record_mac.") },
  { "bad-premaster", N_("Pre-master secret with the wrong version"),
    N_("The client puts the wrong version in its pre-master secret. The server does not say so (RFC 5246, 7.4.7.1): it goes on with a random pre-master secret, and the handshake fails at Finished.") },
  { "tls13", N_("TLS 1.3 full handshake"),
    N_("The full TLS 1.3 handshake of RFC 8446, 2 (Figure 1): the client sends its X25519 key share in the ClientHello, the server answers with its own in the ServerHello, and everything after the ServerHello is encrypted, the certificate included. The server proves its key with an RSA-PSS CertificateVerify; each side's Finished is an HMAC over the transcript. Every secret of the key schedule (RFC 8446, 7.1) is a step: Early Secret, Handshake Secret, Master Secret, the traffic secrets and their keys. Both sides send the dummy ChangeCipherSpec of the middlebox compatibility mode (D.4).") },
  { "tls13-keyupdate", N_("TLS 1.3 KeyUpdate"),
    N_("After the TLS 1.3 handshake and a first request and answer, the client sends a KeyUpdate with update_requested (RFC 8446, 4.6.3): from then on it protects its records with keys made from its next application traffic secret (7.2). The server updates its receiving keys and answers with a KeyUpdate of its own before its next application data; the second request and answer go under the new keys of both sides.") },
  { "tls13-fallback", N_("A TLS 1.3 client meets a TLS 1.2 server"),
    N_("The client speaks TLS 1.3 and TLS 1.2 and lists both in supported_versions; the server speaks only TLS 1.2, ignores that extension and answers with a TLS 1.2 ServerHello (RFC 8446, D.1). The client goes on as a TLS 1.2 client, with the ClientHello it sent in the transcript: ECDHE_RSA, extended master secret. The server's random carries no downgrade sentinel (it does not speak TLS 1.3), and the client's check finds none.") },
  { "tls13-downgrade", N_("Downgrade to TLS 1.2 caught by the sentinel"),
    N_("Client and server both speak TLS 1.3 and TLS 1.2. An attacker rewrites the client's supported_versions to list TLS 1.2 only, so the server negotiates TLS 1.2, and, as RFC 8446, 4.1.3 requires of a TLS 1.3 server, ends its random with 44 4F 57 4E 47 52 44 01 (\"DOWNGRD\" then 01). The client finds these bytes and aborts with illegal_parameter, at the ServerHello, before the key exchange.") },
  { "tls13-hrr", N_("TLS 1.3 with a HelloRetryRequest"),
    N_("The client sends a key share for X25519 only; the server accepts only secp256r1 (P-256), which the client lists in supported_groups. The server answers with a HelloRetryRequest (RFC 8446, 4.1.4), the client sends a second ClientHello with a secp256r1 share, and the handshake goes on as in tls13, one round trip later. In the transcript the first ClientHello is replaced by its hash, the message_hash of RFC 8446, 4.4.1.") },
  { "tls13-client-auth", N_("TLS 1.3 with a client certificate"),
    N_("The server requires a client certificate (RFC 8446, 4.3.2); the client sends its RSA certificate and signs an RSA-PSS CertificateVerify with the context \"TLS 1.3, client CertificateVerify\" (4.4.3).") },
  { "tls13-client-auth-none", N_("TLS 1.3: a certificate required, the client has none"),
    N_("The server requires a client certificate; the client has none and sends an empty Certificate, and the server aborts with certificate_required (RFC 8446, 4.4.2.4).") },
  { "tls13-resumption", N_("TLS 1.3: a full handshake, then a resumption with its ticket (psk_dhe_ke)"),
    N_("RFC 8446, 2.2 (Figure 3). After the first handshake the server sends a NewSessionTicket; both sides derive the ticket's PSK from the resumption master secret (4.6.1). The second connection offers the ticket in pre_shared_key, with a binder computed over the ClientHello (4.2.11.2). The server checks the binder and accepts the PSK with a fresh (EC)DHE (psk_dhe_ke): the Early Secret comes from the PSK, and there is no Certificate or CertificateVerify.") },
  { "tls13-psk-ke", N_("TLS 1.3: resumption with the PSK alone (psk_ke, no forward secrecy)"),
    N_("As tls13-resumption, but the client offers only psk_ke (4.2.9): the server sends no key share, zeros take the place of the (EC)DHE secret, and every key of the resumed connection comes from the PSK and public messages alone.") },
  { "tls13-0rtt", N_("TLS 1.3: 0-RTT early data, accepted"),
    N_("RFC 8446, 2.3 (Figure 4). The server's ticket allows early data (max_early_data_size, 4.6.1). The resumed connection sends its request right after the ClientHello, under keys from the client_early_traffic_secret (7.1), before the server has answered; the server accepts it (early_data in EncryptedExtensions), reads it, then reads EndOfEarlyData (4.5). This data has no forward secrecy against the PSK and can be replayed (8, E.5).") },
  { "tls13-0rtt-rejected", N_("TLS 1.3: 0-RTT early data, refused by the server"),
    N_("As tls13-0rtt, but the server refuses the early data (4.2.10): it resumes with the PSK but sends no early_data in EncryptedExtensions, and skips the client's 0-RTT records, which it cannot deprotect with the handshake keys. The data was not delivered: the client's application sends its request again after the handshake.") },
  { "tls13-0rtt-replay", N_("TLS 1.3: 0-RTT early data replayed by an attacker"),
    N_("As tls13-0rtt, then an attacker who recorded the ClientHello and the 0-RTT records of the resumed connection sends them to the server again as a third connection, 2 s later. The server checks the ticket age (RFC 8446, 8.3), but the copy comes within its 10 s window, and this demo server keeps no anti-replay state (8), so it accepts the copy and hands the same request to its application a second time; the attacker cannot finish the handshake, but the request was already processed (E.5).") },
  { "tls13-0rtt-replay-single-use", N_("TLS 1.3: 0-RTT replay refused with single-use tickets"),
    N_("As tls13-0rtt-replay, but the server lets each ticket resume once (single-use tickets, RFC 8446, 8.1): it keeps the tickets it issued and removes each at its first use. The replayed ClientHello's ticket was used already, so the server refuses the PSK and its early data, and the copy's request is never processed.") },
  { "tls13-0rtt-stale", N_("TLS 1.3: a 0-RTT replay sent late, refused by the ticket age check"),
    N_("As tls13-0rtt-replay, but the attacker sends its copy 60 s after the original. The copied ClientHello still gives the ticket age of the original, 60000 ms, while 120 s have passed since the server issued the ticket: the time the ClientHello should have arrived is 60 s away from the server's clock, outside its 10 s window (RFC 8446, 8.3). The server accepts the PSK but refuses the early data and skips the 0-RTT record: the copy's request is never processed. A copy sent within the window would still be read (tls13-0rtt-replay).") },
};

const char *const *
tls_scenario_names (void)
{
  static const char *names[G_N_ELEMENTS (builtins) + 1];

  if (names[0] == NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (builtins); i++)
      names[i] = builtins[i].name;
  return names;
}

static gboolean
strv_contains (const char **v, const char *s)
{
  for (; *v; v++)
    if (g_str_equal (*v, s))
      return TRUE;
  return FALSE;
}

/* What a scenario adds to the explanation of some of its steps. */
#define MSG TLS_STEP_MESSAGE
#define DER TLS_STEP_DERIVATION
#define CHK TLS_STEP_CHECK
#define DEC TLS_STEP_DECISION

static const TlsScenarioNote classic_notes[] = {
  { MSG, "ClientHello", 0, TLS_ACTOR_CLIENT, "RFC 7627, 5.1; RFC 7366, 2; RFC 5077, 3.2",
    N_("There is no extended_master_secret, encrypt_then_mac or session_ticket: this is the "
       "RFC 5246 handshake of the notes (the \"modern\" scenario adds them).") },
  { 0, NULL, 0, 0, NULL, NULL }
};

static const TlsScenarioNote modern_notes[] = {
  { MSG, "ClientHello", 0, TLS_ACTOR_CLIENT, "RFC 7627, 4; RFC 7366, 1; RFC 5077, 3.1",
    N_("Against the classic handshake, this ClientHello adds three extensions: "
       "extended_master_secret and encrypt_then_mac (both empty: they only ask), and an empty "
       "session_ticket (the client has no ticket yet but can keep one). The server agrees to each "
       "by echoing it in its ServerHello.") },
  { MSG, "ServerHello", 0, TLS_ACTOR_SERVER, "RFC 7627, 4; RFC 7366, 1; RFC 5077, 3.4",
    N_("Against the classic handshake, the server echoes extended_master_secret, encrypt_then_mac "
       "and session_ticket: all three are in use for this connection. Its session ID is empty: it "
       "keeps no session state and will send a NewSessionTicket instead.") },
  { DER, "master_secret (extended)", 0, -1, "RFC 7627, 3; RFC 7627, 4",
    N_("Against the classic handshake, the label is \"extended master secret\" and the seed is "
       "session_hash, a hash of every handshake message up to and including ClientKeyExchange, instead of "
       "ClientHello.random + ServerHello.random. Why: the classic master secret is not bound to "
       "the server's certificate or the key exchange, so an active attacker can set up one session "
       "with the client and one with the server that share the same master secret, and then "
       "attack what relies on it, resumption included (the triple handshake attack). Here the "
       "master secret depends on all those parameters.") },
  { MSG, "Finished", 0, TLS_ACTOR_CLIENT, "RFC 7366, 1; RFC 5246, 6.2.3.2",
    N_("Against the classic handshake, this record is protected encrypt-then-MAC: the CBC "
       "ciphertext is made first and the MAC covers it, so the receiver checks the MAC before it "
       "decrypts or looks at the padding. The classic MAC-then-encrypt order, with the MAC inside "
       "the encryption, \"has been the subject of numerous security vulnerabilities and "
       "attacks\" (RFC 7366, 1), among them a timing attack on CBC padding (RFC 5246, 6.2.3.2).") },
  { MSG, "NewSessionTicket", 0, TLS_ACTOR_SERVER, "RFC 5077, 1; RFC 5077, 3.3",
    N_("New against the classic handshake: instead of keeping the session in a cache, the server "
       "hands the client the session's state, sealed with a key only the server knows. Why: a "
       "server with many clients, one that keeps sessions for a long time, or several servers "
       "behind a load balancer can then resume sessions without per-client state.") },
  { MSG, "ClientHello", 1, TLS_ACTOR_CLIENT, "RFC 5077, 3.1; RFC 5077, 3.4",
    N_("Against the classic resumption, the session is named by the ticket, not by a session ID "
       "the server would look up in its cache.") },
  { DEC, "Cache the session?", 0, TLS_ACTOR_SERVER, "RFC 5077, 3.4",
    N_("Against the classic handshake, the server keeps nothing: the session's state goes into "
       "the ticket it sends next.") },
  { DEC, "Resume the session?", 1, TLS_ACTOR_SERVER, "RFC 5077, 3.1",
    N_("Against the classic resumption, there is no cache lookup: the server checks and decrypts "
       "the ticket and takes the session's state from it.") },
  { 0, NULL, 0, 0, NULL, NULL }
};

static const TlsScenarioNote small_dh_notes[] = {
  { CHK, "Key exchange parameters", 0, TLS_ACTOR_CLIENT, "RFC 8270, 2; RFC 7919, 3",
    N_("How strong is a finite-field group? NIST SP 800-57 rates a 1024-bit group at about 80 bits "
       "of security, a 2048-bit one (such as ffdhe2048) at about 112 and a 3072-bit one at about "
       "128. 1024-bit groups can be broken by attackers with enough computing resources: the "
       "Logjam authors broke 768-bit groups and extrapolated to 1024 bits (RFC 8270, 2). This "
       "client therefore wants at least 2048 bits, and refuses the server's group.") },
  { 0, NULL, 0, 0, NULL, NULL }
};

static const TlsScenarioNote tls13_resumption_notes[] = {
  { MSG, "ClientHello", 1, TLS_ACTOR_CLIENT, "RFC 8446, 4.2.9; RFC 8446, 4.2.11",
    N_("Against the first ClientHello, this one adds psk_key_exchange_modes and, as its last "
       "extension, pre_shared_key: the ticket of the first connection as the identity, its "
       "obfuscated age, and the binder. It still carries a key share, so that the server can "
       "refuse the ticket and go on with a full handshake.") },
  { DER, "Early Secret", 1, TLS_ACTOR_CLIENT, "RFC 8446, 7.1",
    N_("Against the first connection, whose Early Secret was HKDF-Extract(0, 0) with zeros in "
       "place of a PSK, the IKM here is the ticket's PSK: every secret of this connection "
       "depends on it.") },
  { 0, NULL, 0, 0, NULL, NULL }
};

static const TlsScenarioNote downgrade_notes[] = {
  { DEC, "Tamper: ClientHello.versions", 0, TLS_ACTOR_ATTACKER, "RFC 8446, 4.2.1; RFC 8446, 4.1.3",
    N_("Here the attacker leaves TLS 1.2 alone in supported_versions, the list from which a server "
       "that speaks TLS 1.3 picks the version. The change is found before Finished: the server "
       "still speaks TLS 1.3 and says so in the last 8 bytes of its random.") },
  { 0, NULL, 0, 0, NULL, NULL }
};

#undef MSG
#undef DER
#undef CHK
#undef DEC

TlsScenario *
tls_scenario_builtin (const char *name)
{
  TlsScenario *sc = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (g_strcmp0 (builtins[i].name, name) == 0)
      {
        sc = scenario_new (name);
        sc->title = g_strdup (_(builtins[i].title));
        sc->description = g_strdup (_(builtins[i].description));
        break;
      }
  if (sc == NULL)
    return NULL;

  /* The scenarios of the seed notes' Fig. 1 and 2 use RSA key exchange:
   * the client offers everything, the server accepts only RSA suites. */
  if (strv_contains ((const char *[]) { "classic", "modern", "resumption", "full", "no-cache", "expired", "loopback",
                                        "bad-finished", "flipped-bit", "bad-premaster",
                                        "client-auth", "client-auth-none", "bad-certificate-verify",
                                        "fallback-scsv", "tickets", NULL }, name))
    {
      guint n;
      const TlsSuite **all = tls_suite_all (&n);
      for (guint i = 0; i < n; i++)
        if (all[i]->kx == TLS_KX_RSA && !all[i]->legacy)
          g_array_append_val (sc->server_suites, all[i]->id);
    }

  if (g_str_equal (name, "classic"))
    {
      /* RFC 5246, 9: the cipher suite every TLS 1.2 implementation must have. */
      add_suite (sc->client_suites, "TLS_RSA_WITH_AES_128_CBC_SHA");
      sc->connections = 2;
      sc->resume = TRUE;
      sc->no_ems = TRUE;
      sc->no_etm = TRUE;
      sc->notes = classic_notes;
    }
  else if (g_str_equal (name, "modern"))
    {
      /* The classic suite, so that only the three extensions differ
       * (encrypt-then-MAC applies to CBC suites alone, RFC 7366, 3). */
      add_suite (sc->client_suites, "TLS_RSA_WITH_AES_128_CBC_SHA");
      sc->connections = 2;
      sc->resume = TRUE;
      sc->tickets = TRUE;
      sc->server_cache = FALSE;   /* the ticket replaces the cache */
      sc->notes = modern_notes;
    }
  else if (g_str_equal (name, "resumption"))
    {
      sc->connections = 2;
      sc->resume = TRUE;
    }
  else if (g_str_equal (name, "tickets"))
    {
      sc->connections = 2;
      sc->resume = TRUE;
      sc->tickets = TRUE;
    }
  else if (g_str_equal (name, "sni"))
    {
      sc->extra_certs = g_strdup ("wrong-host");
      g_free (sc->server_name);
      sc->server_name = g_strdup ("other.example");
    }
  else if (g_str_equal (name, "no-cache"))
    {
      sc->connections = 2;
      sc->resume = TRUE;
      sc->server_cache = FALSE;
    }
  else if (g_str_equal (name, "expired"))
    {
      sc->connections = 2;
      sc->resume = TRUE;
      sc->reconnect_after = 2 * 3600;
    }
  else if (g_str_equal (name, "cbc"))
    add_suite (sc->client_suites, "TLS_RSA_WITH_AES_128_CBC_SHA");
  else if (g_str_equal (name, "tls10"))
    {
      sc->max_version = TLS_VERSION_1_0;
      add_suite (sc->client_suites, "TLS_RSA_WITH_AES_128_CBC_SHA");
    }
  else if (g_str_equal (name, "loopback"))
    sc->transport = TLS_TRANSPORT_LOOPBACK;
  else if (g_str_equal (name, "fallback-scsv"))
    {
      sc->client_max_version = TLS_VERSION_1_1;
      sc->fallback = TRUE;
    }
  else if (g_str_equal (name, "client-auth"))
    {
      sc->client_cert = TRUE;
      sc->client_auth = 2;
    }
  else if (g_str_equal (name, "bad-certificate-verify"))
    {
      sc->client_cert = TRUE;
      sc->client_auth = 2;
      sc->tamper = g_strdup ("client-bad-certificate-verify");
    }
  else if (g_str_equal (name, "client-auth-none"))
    sc->client_auth = 1;
  else if (g_str_equal (name, "dhe-rsa"))
    add_suite (sc->client_suites, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
  else if (g_str_equal (name, "dhe-dss"))
    add_suite (sc->client_suites, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256");
  else if (g_str_equal (name, "ecdhe-rsa"))
    add_suite (sc->client_suites, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  else if (g_str_equal (name, "ecdhe-ecdsa"))
    add_suite (sc->client_suites, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  else if (g_str_equal (name, "dh-rsa"))
    add_suite (sc->client_suites, "TLS_DH_RSA_WITH_AES_128_GCM_SHA256");
  else if (g_str_equal (name, "dh-dss"))
    add_suite (sc->client_suites, "TLS_DH_DSS_WITH_AES_128_CBC_SHA");
  else if (g_str_equal (name, "3des"))
    add_suite (sc->client_suites, "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
  else if (g_str_equal (name, "rc4"))
    add_suite (sc->client_suites, "TLS_RSA_WITH_RC4_128_SHA");
  else if (g_str_equal (name, "chacha20"))
    add_suite (sc->client_suites, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  else if (g_str_equal (name, "bad-ske-signature"))
    {
      add_suite (sc->client_suites, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
      sc->tamper = g_strdup ("server-bad-ske-signature");
    }
  else if (g_str_equal (name, "tls13"))
    {
      sc->min_version = sc->max_version = TLS_VERSION_1_3;
      add_suite (sc->client_suites, "TLS_AES_128_GCM_SHA256");
      sc->groups = g_strdup ("x25519,secp256r1,secp384r1,x448");
    }
  else if (g_str_equal (name, "tls13-keyupdate"))
    {
      sc->min_version = sc->max_version = TLS_VERSION_1_3;
      add_suite (sc->client_suites, "TLS_AES_128_GCM_SHA256");
      sc->groups = g_strdup ("x25519,secp256r1,secp384r1,x448");
      sc->key_update = 2;
    }
  else if (g_str_equal (name, "tls13-hrr"))
    {
      sc->min_version = sc->max_version = TLS_VERSION_1_3;
      add_suite (sc->client_suites, "TLS_AES_128_GCM_SHA256");
      sc->groups = g_strdup ("x25519,secp256r1");     /* the client's share: x25519 */
      sc->server_groups = g_strdup ("secp256r1");      /* the server's only group */
    }
  else if (g_str_equal (name, "tls13-client-auth") || g_str_equal (name, "tls13-client-auth-none"))
    {
      sc->min_version = sc->max_version = TLS_VERSION_1_3;
      add_suite (sc->client_suites, "TLS_AES_128_GCM_SHA256");
      sc->groups = g_strdup ("x25519,secp256r1,secp384r1,x448");
      sc->client_auth = 2;   /* require */
      sc->client_cert = g_str_equal (name, "tls13-client-auth");
    }
  else if (g_str_equal (name, "tls13-resumption") || g_str_equal (name, "tls13-psk-ke"))
    {
      sc->min_version = sc->max_version = TLS_VERSION_1_3;
      add_suite (sc->client_suites, "TLS_AES_128_GCM_SHA256");
      sc->groups = g_strdup ("x25519,secp256r1,secp384r1,x448");
      sc->connections = 2;
      sc->resume = TRUE;
      sc->tickets = TRUE;
      sc->server_cache = FALSE;   /* the ticket replaces the cache */
      sc->psk_ke = g_str_equal (name, "tls13-psk-ke");
      sc->reconnect_after = sc->psk_ke ? 90 : 60;
      sc->notes = tls13_resumption_notes;
    }
  else if (g_str_equal (name, "tls13-fallback") || g_str_equal (name, "tls13-downgrade"))
    {
      /* the client: TLS 1.2 and 1.3; the server: TLS 1.2 alone (fallback)
       * or both (downgrade: the attacker takes TLS 1.3 out) */
      sc->min_version = TLS_VERSION_1_2;
      sc->max_version = g_str_equal (name, "tls13-fallback") ? TLS_VERSION_1_2 : TLS_VERSION_1_3;
      sc->client_max_version = TLS_VERSION_1_3;
      add_suite (sc->client_suites, "TLS_AES_128_GCM_SHA256");
      add_suite (sc->client_suites, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
      sc->groups = g_strdup ("x25519,secp256r1");
      if (g_str_equal (name, "tls13-downgrade"))
        {
          sc->attack = g_strdup ("tamper:client:ClientHello.versions=1.2");
          sc->notes = downgrade_notes;
        }
    }
  else if (g_str_has_prefix (name, "tls13-0rtt"))
    {
      sc->min_version = sc->max_version = TLS_VERSION_1_3;
      add_suite (sc->client_suites, "TLS_AES_128_GCM_SHA256");
      sc->groups = g_strdup ("x25519,secp256r1,secp384r1,x448");
      sc->connections = 2;
      sc->resume = TRUE;
      sc->tickets = TRUE;
      sc->server_cache = FALSE;
      sc->reconnect_after = 60;
      sc->early_data = g_str_equal (name, "tls13-0rtt-rejected") ? TLS_EARLY_DATA_REFUSE
                       : g_str_equal (name, "tls13-0rtt-replay")
                         || g_str_equal (name, "tls13-0rtt-stale") ? TLS_EARLY_DATA_REPLAY
                       : g_str_equal (name, "tls13-0rtt-replay-single-use")
                       ? TLS_EARLY_DATA_REPLAY_SINGLE_USE : TLS_EARLY_DATA_ACCEPT;
      if (sc->early_data >= TLS_EARLY_DATA_REPLAY)
        sc->connections = 3;
      /* the copy comes a minute late: its ticket age is stale (RFC 8446, 8.3) */
      if (g_str_equal (name, "tls13-0rtt-stale"))
        sc->replay_after = 60;
    }
  else if (g_str_equal (name, "small-dh-group"))
    {
      add_suite (sc->client_suites, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
      sc->server_dh_group = g_strdup ("modp1024");   /* the client keeps its 2048-bit minimum */
      sc->notes = small_dh_notes;
    }
  else if (g_str_equal (name, "invalid-ec-point"))
    {
      add_suite (sc->client_suites, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
      sc->tamper = g_strdup ("server-invalid-point");
    }
  else if (g_str_equal (name, "no-common-suite"))
    {
      add_suite (sc->client_suites, "TLS_RSA_WITH_AES_256_GCM_SHA384");
      add_suite (sc->server_suites, "TLS_RSA_WITH_AES_128_CBC_SHA");
    }
  else if (g_str_equal (name, "bad-finished"))
    sc->tamper = g_strdup ("client-bad-verify-data");
  else if (g_str_equal (name, "flipped-bit"))
    sc->tamper = g_strdup ("client-flip-finished");
  else if (g_str_equal (name, "bad-premaster"))
    sc->tamper = g_strdup ("client-bad-pms-version");
  if (sc->client_suites->len == 1)
    {
      const TlsSuite *s = tls_suite_by_id (g_array_index (sc->client_suites, guint16, 0));
      g_free (sc->server_cert);
      sc->server_cert = g_strdup (tls_scenario_cert_for_kx (s->kx));
      if (s->legacy)
        g_array_append_val (sc->server_suites, s->id);   /* legacy suites are only used when named */
    }
  return sc;
}

void
tls_scenario_annotate (const TlsScenario *sc, TlsStep *step)
{
  for (const TlsScenarioNote *n = sc->notes; n && n->title; n++)
    {
      char *text, *rfc;

      if ((int) step->kind != n->kind || g_strcmp0 (step->title, n->title) != 0
          || (n->connection >= 0 && (int) step->connection != n->connection)
          || (n->actor >= 0 && (int) step->actor != n->actor))
        continue;
      text = step->explanation && *step->explanation
             ? g_strconcat (step->explanation, " ", _(n->text), NULL) : g_strdup (_(n->text));
      g_free (step->explanation);
      step->explanation = text;
      /* the note's citations that the step does not have yet */
      {
        g_auto (GStrv) have = g_strsplit (step->rfc ? step->rfc : "", "; ", -1);
        g_auto (GStrv) add = g_strsplit (n->rfc, "; ", -1);
        g_autoptr (GString) all = g_string_new (step->rfc);

        for (guint i = 0; add[i]; i++)
          if (!g_strv_contains ((const char *const *) have, add[i]))
            g_string_append_printf (all, "%s%s", all->len ? "; " : "", add[i]);
        rfc = g_string_free (g_steal_pointer (&all), FALSE);
        g_free (step->rfc);
        step->rfc = rfc;
      }
    }
}

const char *
tls_scenario_cert_for_kx (int kx)
{
  switch (kx)
    {
    case TLS_KX_DHE_DSS: return "server-dsa";
    case TLS_KX_ECDHE_ECDSA: return "server-ecdsa";
    case TLS_KX_DH_RSA: return "server-dh-rsa";
    case TLS_KX_DH_DSS: return "server-dh-dss";
    default: return "server-rsa";
    }
}

/* ------------------------------------------------------------------ */
/* Key file                                                            */

static const TlsScenarioKey keys[] = {
  { "name", "a short name, letters, digits and '-'" },
  { "title", "one line (title[LANG] for a translation)" },
  { "description", "a paragraph (description[LANG] for a translation)" },
  { "min-version", "1.0, 1.1, 1.2 or 1.3" },
  { "max-version", "1.0, 1.1, 1.2 or 1.3" },
  { "client-max-version", "1.0, 1.1, 1.2 or 1.3" },
  { "client-suites", "cipher suite names, ';'-separated (empty: all)" },
  { "server-suites", "cipher suite names, ';'-separated (empty: all)" },
  { "server-cert", "a server identity of the demo PKI (data/pki/NAME.crt)" },
  { "server-name", "a host name (empty: no server_name)" },
  { "extra-certs", "more demo PKI identities, ';'-separated" },
  { "client-cert", "true or false" },
  { "client-auth", "none, request or require" },
  { "connections", "1, 2 or 3" },
  { "resume", "true or false" },
  { "resume-unknown", "true or false" },
  { "server-cache", "true or false" },
  { "tickets", "true or false" },
  { "psk-ke", "true or false" },
  { "early-data", "none, accept, refuse, replay or replay-single-use" },
  { "no-extended-master-secret", "true or false" },
  { "no-encrypt-then-mac", "true or false" },
  { "fallback", "true or false" },
  { "insecure", "true or false" },
  { "transport", "memory or loopback" },
  { "seed", "an integer from 0" },
  { "clock", "unix seconds" },
  { "reconnect-after", "seconds" },
  { "replay-after", "seconds" },
  { "min-dh-bits", "0 (2048) to 16384" },
  { "server-dh-group", "ffdhe2048, ffdhe3072 or modp1024" },
  { "server-groups", "x25519, secp256r1, x448, secp384r1, ffdhe2048, ffdhe3072, ','-separated" },
  { "tamper", "client-bad-verify-data, client-flip-finished, client-bad-pms-version, "
              "client-bad-certificate-verify, server-bad-ske-signature, server-invalid-point, "
              "server-bad-certificate-verify (TLS 1.3), server-bad-finished (TLS 1.3), "
              "client-hrr-same-share (TLS 1.3), client-bad-key-update (TLS 1.3) or "
              "client-cv-pkcs1 (TLS 1.3)" },
  { "attack", "the attacker's actions, ';'-separated: tamper:TARGET.FIELD=VALUE, flip:TARGET@BYTE[.BIT], "
              "drop:TARGET, replay:TARGET, reorder:TARGET, inject:TARGET:TYPE:HEX (docs/attacker.md)" },
  { "app-request", "the bytes the client sends once connected (C escapes)" },
  { "alpn", "application protocols the client offers (ALPN), ','-separated (empty: none)" },
  { "server-alpn", "application protocols the server accepts, ','-separated (default: http/1.1)" },
  { "key-update", "none, not-requested or requested (TLS 1.3)" },
  { "groups", "TLS 1.3 groups, ','-separated, from x25519, secp256r1, secp384r1, x448, ffdhe2048, ffdhe3072 (the client's "
              "key share is for the first)" },
};

static const char *const tampers[] = {
  "client-bad-verify-data", "client-flip-finished", "client-bad-pms-version",
  "client-bad-certificate-verify", "server-bad-ske-signature", "server-invalid-point",
  "server-bad-certificate-verify", "server-bad-finished", "client-hrr-same-share",
  "client-bad-binder", "client-bad-key-update", "client-cv-pkcs1", NULL
};

const TlsScenarioKey *
tls_scenario_keys (guint *n)
{
  *n = G_N_ELEMENTS (keys);
  return keys;
}

const char *const *
tls_scenario_tampers (void)
{
  return tampers;
}

/* Every key of the file is one of ours (translations of title and
 * description allowed), and [Scenario] is its only group. */
static gboolean
check_keys (GKeyFile *kf, const char *path, gboolean only_group, GError **error)
{
  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);
  g_auto (GStrv) names = g_key_file_get_keys (kf, GROUP, NULL, NULL);

  for (guint i = 0; only_group && groups && groups[i]; i++)
    if (!g_str_equal (groups[i], GROUP))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                     _("%s: unknown group [%s] (a scenario file has only [%s])"), path,
                     groups[i], GROUP);
        return FALSE;
      }
  for (guint i = 0; names && names[i]; i++)
    {
      g_autofree char *base = g_strndup (names[i], strcspn (names[i], "["));
      gboolean known = FALSE;

      for (gsize k = 0; k < G_N_ELEMENTS (keys) && !known; k++)
        known = g_str_equal (keys[k].name, base)
                && (strchr (names[i], '[') == NULL || g_str_equal (base, "title")
                    || g_str_equal (base, "description"));
      if (!known)
        {
          g_autoptr (GString) all = g_string_new (NULL);
          for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
            g_string_append_printf (all, "%s%s", k ? ", " : "", keys[k].name);
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                       _("%s: unknown key “%s” (the keys are: %s)"), path, names[i], all->str);
          return FALSE;
        }
    }
  return TRUE;
}

static const char *
version_text (guint16 v)
{
  switch (v)
    {
    case TLS_VERSION_1_0: return "1.0";
    case TLS_VERSION_1_1: return "1.1";
    case TLS_VERSION_1_3: return "1.3";
    default: return "1.2";
    }
}

static gboolean
parse_version (const char *text, guint16 *out, GError **error)
{
  if (g_strcmp0 (text, "1.0") == 0) *out = TLS_VERSION_1_0;
  else if (g_strcmp0 (text, "1.1") == 0) *out = TLS_VERSION_1_1;
  else if (g_strcmp0 (text, "1.2") == 0) *out = TLS_VERSION_1_2;
  else if (g_strcmp0 (text, "1.3") == 0) *out = TLS_VERSION_1_3;
  else
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("unknown TLS version “%s” (expected 1.0, 1.1, 1.2 or 1.3)"), text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_suites (GKeyFile *kf, const char *key, GArray *out, GError **error)
{
  g_auto (GStrv) names = g_key_file_get_string_list (kf, GROUP, key, NULL, NULL);

  for (guint i = 0; names && names[i]; i++)
    {
      const TlsSuite *s = tls_suite_by_name (g_strstrip (names[i]));
      if (s == NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("%s: unknown cipher suite “%s”"), key, names[i]);
          return FALSE;
        }
      g_array_append_val (out, s->id);
    }
  return TRUE;
}

/* Demo PKI identities are file names in data/pki: letters, digits, '-'. */
static gboolean
identity_names_ok (const char *key, const char *value, GError **error)
{
  g_auto (GStrv) names = value ? g_strsplit (value, ";", -1) : NULL;

  for (guint i = 0; names && names[i]; i++)
    {
      const char *n = g_strstrip (names[i]);
      gboolean ok = *n != '\0';
      for (const char *c = n; *c && ok; c++)
        ok = g_ascii_isalnum (*c) || *c == '-';
      if (!ok)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("%s: “%s” is not the name of a demo PKI identity (such as server-rsa)"),
                       key, n);
          return FALSE;
        }
    }
  return TRUE;
}

/* KEY of the file is one of NAMES (absent: the first); *OUT its index. */
static gboolean
get_choice (GKeyFile *kf, const char *key, const char *const *names, int *out,
            GError **error)
{
  g_autofree char *v = g_key_file_get_string (kf, GROUP, key, NULL);
  g_autofree char *list = NULL;

  for (int i = 0; names[i] != NULL; i++)
    if (v == NULL ? i == 0 : g_str_equal (v, names[i]))
      {
        *out = i;
        return TRUE;
      }
  list = g_strjoinv (", ", (char **) names);
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               _("unknown %s “%s” (expected one of: %s)"), key, v, list);
  return FALSE;
}

TlsScenario *
tls_scenario_load (const char *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    return NULL;
  if (!g_key_file_has_group (kf, GROUP))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                   _("%s: no [%s] group: not a scenario file"), path, GROUP);
      return NULL;
    }
  return tls_scenario_from_key_file (kf, path, TRUE, error);
}

TlsScenario *
tls_scenario_from_key_file (GKeyFile *kf, const char *path, gboolean only_group, GError **error)
{
  g_autoptr (TlsScenario) sc = NULL;
  g_autofree char *name = NULL, *v = NULL, *transport = NULL;
  GError *e = NULL;

  if (!check_keys (kf, path, only_group, error))
    return NULL;
  name = g_key_file_get_string (kf, GROUP, "name", NULL);
  sc = scenario_new (name ? name : "custom");
  sc->title = g_key_file_get_locale_string (kf, GROUP, "title", NULL, NULL);
  sc->description = g_key_file_get_locale_string (kf, GROUP, "description", NULL, NULL);

#define GET_VERSION(key, field)                                          \
  if ((v = g_key_file_get_string (kf, GROUP, key, NULL)) != NULL)        \
    {                                                                    \
      gboolean ok = parse_version (v, &sc->field, error);                \
      g_clear_pointer (&v, g_free);                                      \
      if (!ok) return NULL;                                              \
    }
  GET_VERSION ("min-version", min_version);
  GET_VERSION ("max-version", max_version);
  GET_VERSION ("client-max-version", client_max_version);
#undef GET_VERSION
  if (sc->min_version > sc->max_version)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("min-version is above max-version"));
      return NULL;
    }
  if (!parse_suites (kf, "client-suites", sc->client_suites, error)
      || !parse_suites (kf, "server-suites", sc->server_suites, error))
    return NULL;

#define GET_STRING(key, field)                                           \
  if ((v = g_key_file_get_string (kf, GROUP, key, NULL)) != NULL)        \
    {                                                                    \
      g_free (sc->field);                                                \
      sc->field = *v ? g_steal_pointer (&v) : NULL;                      \
      g_clear_pointer (&v, g_free);                                      \
    }
  GET_STRING ("server-cert", server_cert);
  GET_STRING ("server-name", server_name);
  GET_STRING ("tamper", tamper);
  GET_STRING ("attack", attack);
  GET_STRING ("extra-certs", extra_certs);
  GET_STRING ("app-request", app_request);
  GET_STRING ("server-dh-group", server_dh_group);
  GET_STRING ("server-groups", server_groups);
  GET_STRING ("alpn", alpn);
  GET_STRING ("server-alpn", server_alpn);
  GET_STRING ("groups", groups);
#undef GET_STRING
  if (sc->groups)
    {
      g_autoptr (GArray) check = NULL;
      if (!tls_config_parse_groups (sc->groups, &check, error))
        return NULL;
    }
  {
    g_auto (GStrv) check = NULL;
    if ((sc->alpn && !tls_config_parse_alpn (sc->alpn, &check, error))
        || (sc->server_alpn && !tls_config_parse_alpn (sc->server_alpn, &check, error)))
      return NULL;
  }
  if (sc->tamper && !g_strv_contains (tampers, sc->tamper))
    {
      g_autofree char *all = g_strjoinv (", ", (char **) tampers);
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("unknown tamper “%s” (expected %s)"), sc->tamper, all);
      return NULL;
    }
  if (sc->attack)
    {
      g_autoptr (GPtrArray) attacks = tls_attack_parse_list (sc->attack, error);
      if (attacks == NULL)
        return NULL;
    }
  if (sc->server_dh_group && tls_dh_group_by_name (sc->server_dh_group) == NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("unknown server-dh-group “%s” (expected ffdhe2048, ffdhe3072 or modp1024)"),
                   sc->server_dh_group);
      return NULL;
    }
  if (sc->server_groups)
    {
      g_autoptr (GArray) groups = NULL;
      g_autoptr (GError) why = NULL;
      if (!tls_config_parse_server_groups (sc->server_groups, &groups, &why))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "server-groups: %s", why->message);
          return NULL;
        }
    }
  if (!identity_names_ok ("server-cert", sc->server_cert, error)
      || !identity_names_ok ("extra-certs", sc->extra_certs, error))
    return NULL;

#define GET_BOOL(key, field)                                             \
  if (g_key_file_has_key (kf, GROUP, key, NULL))                         \
    {                                                                    \
      sc->field = g_key_file_get_boolean (kf, GROUP, key, &e);           \
      if (e) { g_propagate_error (error, e); return NULL; }              \
    }
  GET_BOOL ("client-cert", client_cert);
  GET_BOOL ("resume", resume);
  GET_BOOL ("resume-unknown", resume_unknown);
  GET_BOOL ("server-cache", server_cache);
  GET_BOOL ("no-extended-master-secret", no_ems);
  GET_BOOL ("no-encrypt-then-mac", no_etm);
  GET_BOOL ("fallback", fallback);
  GET_BOOL ("insecure", insecure);
  GET_BOOL ("tickets", tickets);
  GET_BOOL ("psk-ke", psk_ke);
#undef GET_BOOL

#define GET_INT(key, field, lo, hi)                                      \
  if (g_key_file_has_key (kf, GROUP, key, NULL))                         \
    {                                                                    \
      gint64 x = g_key_file_get_int64 (kf, GROUP, key, &e);              \
      if (e) { g_propagate_error (error, e); return NULL; }              \
      if (x < (lo) || x > (hi))                                          \
        {                                                                \
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, \
                       _("%s must be between %lld and %lld"), key,       \
                       (long long) (lo), (long long) (hi));              \
          return NULL;                                                   \
        }                                                                \
      sc->field = x;                                                     \
    }
  GET_INT ("connections", connections, 1, 3);
  GET_INT ("seed", seed, 0, G_MAXINT64);
  GET_INT ("clock", clock, 0, G_MAXINT64);
  GET_INT ("reconnect-after", reconnect_after, 0, G_MAXINT32);
  GET_INT ("replay-after", replay_after, 0, G_MAXINT32);
  GET_INT ("min-dh-bits", min_dh_bits, 0, 16384);
#undef GET_INT

  {
    static const char *const client_auth[] = { "none", "request", "require", NULL };
    static const char *const key_update[] = { "none", "not-requested", "requested", NULL };
    static const char *const early_data[] = { "none", "accept", "refuse", "replay",
                                              "replay-single-use", NULL };

    if (!get_choice (kf, "client-auth", client_auth, &sc->client_auth, error)
        || !get_choice (kf, "key-update", key_update, &sc->key_update, error)
        || !get_choice (kf, "early-data", early_data, &sc->early_data, error))
      return NULL;
  }
  transport = g_key_file_get_string (kf, GROUP, "transport", NULL);
  if (transport == NULL || g_str_equal (transport, "memory"))
    sc->transport = TLS_TRANSPORT_MEMORY;
  else if (g_str_equal (transport, "loopback"))
    sc->transport = TLS_TRANSPORT_LOOPBACK;
  else
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("unknown transport “%s” (expected memory or loopback)"), transport);
      return NULL;
    }
  return g_steal_pointer (&sc);
}

static void
set_suites (GKeyFile *kf, const char *key, const GArray *ids)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < ids->len; i++)
    {
      const TlsSuite *s = tls_suite_by_id (g_array_index (ids, guint16, i));
      if (s)
        g_ptr_array_add (names, (gpointer) s->name);
    }
  g_key_file_set_string_list (kf, GROUP, key, (const char *const *) names->pdata, names->len);
}

gboolean
tls_scenario_save (const TlsScenario *sc, const char *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  g_key_file_set_string (kf, GROUP, "name", sc->name ? sc->name : "custom");
  if (sc->title)
    g_key_file_set_string (kf, GROUP, "title", sc->title);
  if (sc->description)
    g_key_file_set_string (kf, GROUP, "description", sc->description);
  g_key_file_set_string (kf, GROUP, "min-version", version_text (sc->min_version));
  g_key_file_set_string (kf, GROUP, "max-version", version_text (sc->max_version));
  set_suites (kf, "client-suites", sc->client_suites);
  set_suites (kf, "server-suites", sc->server_suites);
  g_key_file_set_string (kf, GROUP, "server-cert", sc->server_cert ? sc->server_cert : "");
  g_key_file_set_string (kf, GROUP, "server-name", sc->server_name ? sc->server_name : "");
  g_key_file_set_boolean (kf, GROUP, "client-cert", sc->client_cert);
  g_key_file_set_string (kf, GROUP, "client-auth",
                         sc->client_auth == 2 ? "require" : sc->client_auth == 1 ? "request" : "none");
  g_key_file_set_integer (kf, GROUP, "connections", (int) sc->connections);
  g_key_file_set_boolean (kf, GROUP, "resume", sc->resume);
  if (sc->resume_unknown)
    g_key_file_set_boolean (kf, GROUP, "resume-unknown", TRUE);
  g_key_file_set_boolean (kf, GROUP, "server-cache", sc->server_cache);
  g_key_file_set_boolean (kf, GROUP, "no-extended-master-secret", sc->no_ems);
  g_key_file_set_boolean (kf, GROUP, "no-encrypt-then-mac", sc->no_etm);
  g_key_file_set_boolean (kf, GROUP, "fallback", sc->fallback);
  g_key_file_set_boolean (kf, GROUP, "insecure", sc->insecure);
  if (sc->client_max_version)
    g_key_file_set_string (kf, GROUP, "client-max-version", version_text (sc->client_max_version));
  g_key_file_set_boolean (kf, GROUP, "tickets", sc->tickets);
  g_key_file_set_boolean (kf, GROUP, "psk-ke", sc->psk_ke);
  if (sc->early_data != TLS_EARLY_DATA_NONE)
    g_key_file_set_string (kf, GROUP, "early-data",
                           (const char *[]) { "none", "accept", "refuse", "replay",
                                              "replay-single-use" }[sc->early_data]);
  g_key_file_set_string (kf, GROUP, "transport",
                         sc->transport == TLS_TRANSPORT_LOOPBACK ? "loopback" : "memory");
  g_key_file_set_int64 (kf, GROUP, "seed", (gint64) sc->seed);
  g_key_file_set_int64 (kf, GROUP, "clock", sc->clock);
  g_key_file_set_int64 (kf, GROUP, "reconnect-after", sc->reconnect_after);
  if (sc->early_data >= TLS_EARLY_DATA_REPLAY)
    g_key_file_set_int64 (kf, GROUP, "replay-after", sc->replay_after);
  g_key_file_set_integer (kf, GROUP, "min-dh-bits", (int) sc->min_dh_bits);
  if (sc->tamper)
    g_key_file_set_string (kf, GROUP, "tamper", sc->tamper);
  if (sc->attack)
    g_key_file_set_string (kf, GROUP, "attack", sc->attack);
  if (sc->extra_certs)
    g_key_file_set_string (kf, GROUP, "extra-certs", sc->extra_certs);
  if (sc->app_request)
    g_key_file_set_string (kf, GROUP, "app-request", sc->app_request);
  if (sc->server_dh_group)
    g_key_file_set_string (kf, GROUP, "server-dh-group", sc->server_dh_group);
  if (sc->server_groups)
    g_key_file_set_string (kf, GROUP, "server-groups", sc->server_groups);
  if (sc->alpn)
    g_key_file_set_string (kf, GROUP, "alpn", sc->alpn);
  if (sc->server_alpn)
    g_key_file_set_string (kf, GROUP, "server-alpn", sc->server_alpn);
  if (sc->groups)
    g_key_file_set_string (kf, GROUP, "groups", sc->groups);
  if (sc->key_update)
    g_key_file_set_string (kf, GROUP, "key-update",
                           sc->key_update == 2 ? "requested" : "not-requested");
  /* g_key_file_save_to_file writes a temporary file and renames it. */
  return g_key_file_save_to_file (kf, path, error);
}
