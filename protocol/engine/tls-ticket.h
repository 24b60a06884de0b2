/* tls-ticket.h — the server's session tickets (RFC 5077): the session
 * state, encrypted and authenticated under a key only the server knows,
 * handed to the client to keep instead of a cache entry on the server.
 *
 * The format is the one RFC 5077, 4 recommends:
 *
 *     struct {
 *         opaque key_name[16];
 *         opaque iv[16];
 *         opaque encrypted_state<0..2^16-1>;
 *         opaque mac[32];
 *     } ticket;
 *
 * "The actual state information in encrypted_state is encrypted using
 * 128-bit AES in CBC mode with the given IV.  The Message Authentication
 * Code (MAC) is calculated using HMAC-SHA-256 over key_name (16 octets) and
 * IV (16 octets), followed by the length of the encrypted_state field (2
 * octets) and its contents (variable length)."  The plaintext is padded to
 * whole AES blocks with PKCS#7 padding (RFC 5652, 6.3).
 *
 * Our state (after RFC 5077's StatePlaintext, without client_identity:
 * we do not bind tickets to client certificates):
 *
 *     struct {
 *         ProtocolVersion protocol_version;
 *         CipherSuite cipher_suite;
 *         CompressionMethod compression_method;   -- null(0)
 *         opaque master_secret[48];
 *         uint8 extended_master_secret;           -- RFC 7627, 5.3
 *         uint32 timestamp;                       -- when the session began
 *         opaque server_name<0..2^16-1>;          -- SNI, may be empty
 *         uint32 ticket_age_add;                  -- TLS 1.3 only (RFC 8446, 4.6.1)
 *     } StatePlaintext;
 *
 * A TLS 1.3 ticket holds the ticket's PSK where a TLS 1.2 one holds the
 * master secret (its first Hash.length bytes; the suite gives the hash).
 */
#pragma once

#include <glib.h>

#include "tls-bytes.h"
#include "tls-rng.h"
#include "tls-session-cache.h"

G_BEGIN_DECLS

#define TLS_TICKET_KEY_NAME_LEN 16
#define TLS_TICKET_IV_LEN       16
#define TLS_TICKET_MAC_LEN      32
/* key_name + iv + the length of encrypted_state + mac */
#define TLS_TICKET_OVERHEAD     (16 + 16 + 2 + 32)

/* Why a ticket was not accepted (0: it was).  Each leads to a full
 * handshake (RFC 5077, 3.4: the server "falls back to a full handshake"
 * when it cannot use a ticket), never to an alert. */
typedef enum
{
  TLS_TICKET_OK = 0,
  TLS_TICKET_MALFORMED,     /* not the structure above, or bad padding or state */
  TLS_TICKET_UNKNOWN_KEY,   /* key_name is not our key's (rotated, another server) */
  TLS_TICKET_BAD_MAC,       /* the MAC does not verify: changed or forged */
  TLS_TICKET_EXPIRED,       /* older than the lifetime (or from the future) */
} TlsTicketStatus;

/* "malformed", "unknown key name", "MAC mismatch", "expired", "ok". */
const char    *tls_ticket_status_name (int status);

typedef struct _TlsTicketKeys TlsTicketKeys;

/* key_name (16 bytes), the AES-128 key (16) and the HMAC-SHA-256 key (32),
 * in that order, from RNG. */
TlsTicketKeys *tls_ticket_keys_new    (TlsRng *rng);
void           tls_ticket_keys_free   (TlsTicketKeys *keys);
const guint8  *tls_ticket_keys_name   (const TlsTicketKeys *keys);  /* 16 bytes */

/* The ticket for S (its version, suite, master secret, extended master
 * secret flag, created time and server name); the IV comes from RNG. */
GBytes        *tls_ticket_seal        (const TlsTicketKeys *keys, const TlsSession *s,
                                       TlsRng *rng);

/* Checks and decrypts TICKET at time NOW (unix seconds): the structure,
 * then key_name, then the MAC (in constant time), then the state, then
 * the age against LIFETIME seconds (0: no limit).  Returns TLS_TICKET_OK
 * with *OUT a new session (no ID, no ticket: the server's view), or the
 * status with *OUT NULL and, in *REASON (may be NULL; free it), a sentence
 * for the trace's decision step. */
int            tls_ticket_open        (const TlsTicketKeys *keys, const guint8 *ticket,
                                       gsize len, gint64 now, guint32 lifetime,
                                       TlsSession **out, char **reason);

/* Adds the ticket's fields (key_name, iv, encrypted_state with its length,
 * mac) under PARENT, with TICKET starting at OFFSET in the annotated
 * buffer.  A ticket that is not in our format gets the fields that fit. */
void           tls_ticket_annotate    (TlsField *parent, gsize offset,
                                       const guint8 *ticket, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsTicketKeys, tls_ticket_keys_free)

G_END_DECLS
