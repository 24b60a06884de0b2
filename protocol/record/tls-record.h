/* tls-record.h — the record layer: framing and record protection.
 *
 *  struct {
 *      ContentType type;
 *      ProtocolVersion version;
 *      uint16 length;
 *      opaque fragment[TLSPlaintext.length];
 *  } TLSPlaintext;                                      (RFC 5246, 6.2.1)
 *
 *  struct {
 *      ContentType type;
 *      ProtocolVersion version;
 *      uint16 length;
 *      select (SecurityParameters.cipher_type) {
 *          case stream: GenericStreamCipher;
 *          case block:  GenericBlockCipher;
 *          case aead:   GenericAEADCipher;
 *      } fragment;
 *  } TLSCiphertext;                                     (RFC 5246, 6.2.3)
 *
 * A TlsProtection is one direction's connection state after
 * ChangeCipherSpec: the cipher and MAC keys, the 64-bit sequence number,
 * and for TLS 1.0 CBC the chained IV.  A NULL TlsProtection is the initial
 * null cipher (records go in the clear).
 *
 * Ciphers: AES-128/256-CBC, 3DES-EDE-CBC, RC4-128 (with HMAC-MD5/SHA1/
 * SHA256/SHA384, MAC-then-encrypt or, for CBC, encrypt-then-MAC RFC 7366),
 * AES-128/256-GCM (RFC 5288) and ChaCha20-Poly1305 (RFC 7905). */
#pragma once

#include <glib.h>

#include "tls-bytes.h"
#include "tls-prf.h"
#include "tls-rng.h"
#include "tls-suites.h"

G_BEGIN_DECLS

#define TLS_RECORD_HEADER_LEN   5
/* "The length (in bytes) of the following TLSCiphertext.fragment.  The
 * length MUST NOT exceed 2^14 + 2048."                 (RFC 5246, 6.2.3) */
#define TLS_MAX_CIPHERTEXT      (TLS_MAX_FRAGMENT + 2048)
#define TLS_MAX_MAC_LEN         48

typedef struct _TlsProtection TlsProtection;

/* MAC_KEY: mac_info->len bytes (ignored for AEAD); KEY: cipher key_len
 * bytes; IV: tls_key_block_iv_len() bytes (NULL when that is 0).
 * ENCRYPT_THEN_MAC applies to block ciphers only (RFC 7366, 3) and is
 * ignored for the others. */
TlsProtection *tls_protection_new  (const TlsSuite *suite, guint16 version,
                                    const guint8 *mac_key, const guint8 *key,
                                    const guint8 *iv, gboolean encrypt_then_mac);
/* One direction of a key block: the client's write keys when CLIENT_WRITE
 * (the client seals, the server opens with them), else the server's. */
TlsProtection *tls_protection_new_from_key_block (const TlsSuite *suite, guint16 version,
                                                  const TlsKeyBlock *kb,
                                                  gboolean client_write,
                                                  gboolean encrypt_then_mac);
void           tls_protection_free (TlsProtection *prot);
/* The sequence number of the next record (0 for the first). */
guint64        tls_protection_seq      (const TlsProtection *prot);
void           tls_protection_set_seq  (TlsProtection *prot, guint64 seq);
const TlsSuite *tls_protection_suite   (const TlsProtection *prot);
gboolean       tls_protection_etm      (const TlsProtection *prot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsProtection, tls_protection_free)

/* Per-record explicit IV / nonce length of CIPHER at VERSION: the block
 * size for CBC from TLS 1.1 on (0 in TLS 1.0), record_iv_len for AEAD
 * (8 for GCM, 0 for ChaCha20-Poly1305), 0 for RC4. */
gsize tls_record_iv_len (const TlsCipherInfo *cipher, guint16 version);

/* Appends one record (5-byte header + fragment) holding FRAG
 * (LEN <= 2^14) to OUT, protected by PROT (NULL: in the clear), and
 * advances PROT's sequence number.  RNG gives the explicit CBC IV of TLS
 * 1.1 and 1.2 (it may be NULL otherwise).  When WIRE is non-NULL the record
 * is annotated as a child of WIRE, with offsets in OUT (the record starts
 * at OUT->len before the call); WIRE's length grows to cover it. */
void     tls_record_seal  (TlsProtection *prot, guint8 content_type,
                           guint16 version, const guint8 *frag, gsize len,
                           TlsRng *rng, GByteArray *out, TlsField *wire);

/* Removes PROT's protection from the fragment FRAG of a record whose
 * header said CONTENT_TYPE, VERSION and LEN, and appends the plaintext to
 * PLAIN.  Returns 0, or the alert to send:
 *   record_overflow  fragment longer than 2^14 + 2048, or plaintext longer
 *                    than 2^14 (RFC 5246, 6.2.3 and 6.2.1);
 *   bad_record_mac   anything that does not decrypt and authenticate: a
 *                    wrong MAC or tag, bad CBC padding, or a fragment too
 *                    short or not a whole number of blocks.
 * Padding and MAC failures are not told apart, by alert or by timing
 * (RFC 5246, 6.2.3.2).  The sequence number advances on success only; on
 * failure nothing is appended (and the connection must end). */
int      tls_record_open  (TlsProtection *prot, guint8 content_type,
                           guint16 version, const guint8 *frag, gsize len,
                           GByteArray *plain);

/* What tls_record_open_checked compared: the MAC or AEAD tag it computed
 * and the one the record carried (filled in once both are known, after the
 * constant-time work: a teaching trace shows them; a real peer never
 * learns them). */
typedef struct
{
  const char *what;          /* "MAC" or "tag", NULL when nothing was compared */
  guint8      computed[64];
  guint8      received[64];
  gsize       len;
} TlsRecordCheck;

/* tls_record_open, and CHECK (may be NULL) gets the values compared. */
int      tls_record_open_checked (TlsProtection *prot, guint8 content_type,
                                  guint16 version, const guint8 *frag, gsize len,
                                  GByteArray *plain, TlsRecordCheck *check);

/* Reads a record header; FALSE when fewer than 5 bytes are there.  The
 * caller has the whole record when len >= 5 + *frag_len. */
gboolean tls_record_parse_header (const guint8 *data, gsize len, guint8 *type,
                                  guint16 *version, guint16 *frag_len);

/* Annotates the record at RECORD (header + fragment, RECORD_LEN bytes) as
 * a child of PARENT at OFFSET: a "TLSPlaintext" group (PROT NULL) with
 * "type", "version", "length", "fragment", or a "TLSCiphertext" group with
 * "type", "version", "length", then as the cipher has them "explicit IV" /
 * "nonce_explicit", "encrypted content", "MAC" (encrypt-then-MAC) and
 * "tag" (AEAD).  Used by tls_record_seal, and for received records (call it
 * with the protection before tls_record_open).  Returns the group. */
TlsField *tls_record_annotate (const TlsProtection *prot, TlsField *parent,
                               gsize offset, const guint8 *record,
                               gsize record_len);

/* ------------------------------------------------------------------ */
/* The primitives the record layer uses, exposed for known-answer tests. */

/* HMAC with MAC's hash; writes tls_mac_info(mac)->len bytes to OUT. */
void     tls_mac_compute  (TlsMacId mac, const guint8 *key, gsize key_len,
                           const guint8 *data, gsize len, guint8 *out);

/* AEAD with CIPHER (AES-128/256-GCM with a 12-byte nonce, or
 * ChaCha20-Poly1305): OUT gets LEN bytes of ciphertext, TAG 16 bytes. */
void     tls_aead_encrypt (TlsCipherId cipher, const guint8 *key,
                           const guint8 nonce[12],
                           const guint8 *aad, gsize aad_len,
                           const guint8 *in, gsize len,
                           guint8 *out, guint8 tag[16]);
/* Returns FALSE (and zeroes OUT) when TAG does not verify. */
gboolean tls_aead_decrypt (TlsCipherId cipher, const guint8 *key,
                           const guint8 nonce[12],
                           const guint8 *aad, gsize aad_len,
                           const guint8 *in, gsize len,
                           const guint8 tag[16], guint8 *out);
/* tls_aead_decrypt, and COMPUTED gets the tag computed over the record (a
 * teaching trace shows it beside the received one when they differ). */
gboolean tls_aead_decrypt_checked (TlsCipherId cipher, const guint8 *key,
                                   const guint8 nonce[12],
                                   const guint8 *aad, gsize aad_len,
                                   const guint8 *in, gsize len, const guint8 tag[16],
                                   guint8 *out, guint8 computed[16]);

G_END_DECLS
