/* tls13-record.h — TLS 1.3 record protection (RFC 8446, 5.2 to 5.4).
 *
 *  struct {
 *      opaque content[TLSPlaintext.length];
 *      ContentType type;
 *      uint8 zeros[length_of_padding];
 *  } TLSInnerPlaintext;
 *
 *  struct {
 *      ContentType opaque_type = application_data; // 23
 *      ProtocolVersion legacy_record_version = 0x0303; // TLS v1.2
 *      uint16 length;
 *      opaque encrypted_record[TLSCiphertext.length];
 *  } TLSCiphertext;
 *
 *  additional_data = TLSCiphertext.opaque_type ||
 *                    TLSCiphertext.legacy_record_version ||
 *                    TLSCiphertext.length
 *  AEADEncrypted = AEAD-Encrypt(write_key, nonce, additional_data, plaintext)
 *                                                        (RFC 8446, 5.2)
 *
 * A Tls13Protection is one direction under one traffic key: the AEAD
 * (AES-128-GCM, AES-256-GCM or ChaCha20-Poly1305), its write_key and
 * write_iv (tls13_derive_traffic_keys) and the 64-bit sequence number the
 * per-record nonce is made from (5.3). */
#pragma once

#include <glib.h>

#include "tls-bytes.h"
#include "tls-record.h"
#include "tls-suites.h"
#include "tls13-key-schedule.h"

G_BEGIN_DECLS

/* "The length MUST NOT exceed 2^14 + 256 bytes."          (RFC 8446, 5.2) */
#define TLS13_MAX_CIPHERTEXT (TLS_MAX_FRAGMENT + 256)
/* "the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets"
 *                                                        (RFC 8446, 5.4) */
#define TLS13_MAX_INNER      (TLS_MAX_FRAGMENT + 1)
#define TLS13_TAG_LEN        16

typedef struct _Tls13Protection Tls13Protection;

/* CIPHER must be an AEAD of a TLS 1.3 suite; KEY has its key_len bytes. */
Tls13Protection *tls13_protection_new  (TlsCipherId cipher, const guint8 *key,
                                        const guint8 iv[TLS13_IV_LEN]);
Tls13Protection *tls13_protection_new_from_keys (TlsCipherId cipher,
                                                 const Tls13TrafficKeys *keys);
void             tls13_protection_free (Tls13Protection *prot);
guint64          tls13_protection_seq  (const Tls13Protection *prot);
void             tls13_protection_set_seq (Tls13Protection *prot, guint64 seq);
TlsCipherId      tls13_protection_cipher (const Tls13Protection *prot);
/* The nonce the next record will use (RFC 8446, 5.3). */
void             tls13_protection_nonce (const Tls13Protection *prot,
                                         guint8 nonce[TLS13_IV_LEN]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tls13Protection, tls13_protection_free)

/* Appends one TLSCiphertext to OUT: CONTENT (LEN <= 2^14 bytes) of
 * CONTENT_TYPE, followed by PADDING zero bytes, encrypted under PROT with
 * the record header as the additional data; advances the sequence number.
 * When WIRE is non-NULL the record is annotated as its child (offsets in
 * OUT), and WIRE grows to cover it. */
void     tls13_record_seal (Tls13Protection *prot, guint8 content_type,
                            const guint8 *content, gsize len, gsize padding,
                            GByteArray *out, TlsField *wire);

/* Removes the protection of one record: HEADER is its 5 bytes, FRAG the
 * HEADER's length bytes that follow.  On success appends the content to
 * CONTENT, sets *CONTENT_TYPE to TLSInnerPlaintext.type, *PADDING (may be
 * NULL) to the number of zeros after it, advances the sequence number and
 * returns 0.  Otherwise returns the alert RFC 8446 prescribes and appends
 * nothing:
 *   record_overflow     TLSCiphertext.length over 2^14 + 256, or a
 *                       TLSInnerPlaintext over 2^14 + 1 (5.2, 5.4);
 *   bad_record_mac      the record does not decrypt and authenticate,
 *                       shorter than a tag included (5.2);
 *   unexpected_message  the opaque_type is not application_data, the
 *                       plaintext is all zeros (no content type, 5.4), or
 *                       a handshake or alert record has no content (5.4). */
int      tls13_record_open (Tls13Protection *prot, const guint8 header[5],
                            const guint8 *frag, gsize len,
                            guint8 *content_type, gsize *padding,
                            GByteArray *content);
/* tls13_record_open, and CHECK (may be NULL) gets the computed and the
 * received tag when the record does not authenticate. */
int      tls13_record_open_checked (Tls13Protection *prot, const guint8 header[5],
                                    const guint8 *frag, gsize len,
                                    guint8 *content_type, gsize *padding,
                                    GByteArray *content, TlsRecordCheck *check);

/* Annotates the protected record RECORD (RECORD_LEN bytes, header
 * included) as a "TLSCiphertext" child of PARENT at OFFSET: opaque_type,
 * legacy_record_version, length, encrypted_record and its tag.  Returns the
 * group. */
TlsField *tls13_record_annotate (TlsField *parent, gsize offset,
                                 const guint8 *record, gsize record_len);

/* Annotates a decrypted TLSInnerPlaintext (INNER, LEN bytes) as a child of
 * PARENT at OFFSET: content, type, zeros. */
TlsField *tls13_inner_plaintext_annotate (TlsField *parent, gsize offset,
                                          const guint8 *inner, gsize len);

G_END_DECLS
