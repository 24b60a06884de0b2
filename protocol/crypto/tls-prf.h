/* tls-prf.h — the TLS pseudo-random function, the key schedule and the
 * running handshake transcript.
 *
 * TLS 1.0 and 1.1 (RFC 2246 and RFC 4346, 5):
 *     PRF(secret, label, seed) = P_MD5(S1, label + seed) XOR
 *                                P_SHA-1(S2, label + seed)
 *   with S1 and S2 the two halves of the secret (sharing the middle byte
 *   when its length is odd).
 * TLS 1.2 (RFC 5246, 5):
 *     PRF(secret, label, seed) = P_<hash>(secret, label + seed)
 *   with <hash> SHA-256, or the hash the cipher suite names (SHA-384).
 *
 * The key-schedule helpers compute one value each and, given a trace, add
 * one derivation step to it with the formula, the labelled inputs (and the
 * steps they came from) and the outputs.  Each returns the index of the step
 * it added, or -1 when TRACE is NULL, so the caller can pass it on as the
 * from_step of the next derivation. */
#pragma once

#include <glib.h>
#include <nettle/nettle-meta.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "tls-suites.h"
#include "tls-trace.h"

G_BEGIN_DECLS

/* Titles of the derivation steps (protocol identifiers, not translated),
 * for tls_trace_find(). */
#define TLS_STEP_TITLE_MASTER_SECRET     "master_secret"
#define TLS_STEP_TITLE_EXTENDED_MASTER   "master_secret (extended)"
#define TLS_STEP_TITLE_KEY_BLOCK         "key_block"
#define TLS_STEP_TITLE_CLIENT_VERIFY     "client Finished.verify_data"
#define TLS_STEP_TITLE_SERVER_VERIFY     "server Finished.verify_data"

/* The longest handshake hash: SHA-384 (48); MD5 + SHA-1 is 36. */
#define TLS_MAX_HASH_LEN 48

/* ------------------------------------------------------------------ */
/* HMAC over any of the hashes TLS uses (Nettle's generic HMAC).        */

typedef union
{
  struct md5_ctx    md5;
  struct sha1_ctx   sha1;
  struct sha256_ctx sha256;
  struct sha512_ctx sha512;   /* also SHA-384 */
} TlsHashCtx;

typedef struct
{
  const struct nettle_hash *hash;
  TlsHashCtx outer, inner, state;
} TlsHmac;

void  tls_hmac_init   (TlsHmac *h, const struct nettle_hash *hash,
                       const guint8 *key, gsize key_len);
void  tls_hmac_update (TlsHmac *h, const guint8 *data, gsize len);
/* Writes hash->digest_size bytes and makes H ready for a new message
 * under the same key. */
void  tls_hmac_digest (TlsHmac *h, guint8 *out);

/* The Nettle hash of a TLS 1.2 PRF hash. */
const struct nettle_hash *tls_prf_hash_nettle (TlsPrfHash hash);
const char               *tls_prf_hash_name   (TlsPrfHash hash);  /* "SHA-256" */

/* ------------------------------------------------------------------ */
/* PRF                                                                 */

/* P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
 *                        HMAC_hash(secret, A(2) + seed) + ...
 * with A(0) = seed, A(i) = HMAC_hash(secret, A(i-1))   (RFC 5246, 5).
 * Here "seed" is LABEL (may be NULL) followed by SEED. */
void  tls_p_hash      (const struct nettle_hash *hash,
                       const guint8 *secret, gsize secret_len,
                       const char *label,
                       const guint8 *seed, gsize seed_len,
                       guint8 *out, gsize out_len);

/* PRF(secret, label, seed) for VERSION: MD5 XOR SHA-1 below TLS 1.2,
 * P_<HASH> from TLS 1.2 on (HASH is ignored below TLS 1.2). */
void  tls_prf         (guint16 version, TlsPrfHash hash,
                       const guint8 *secret, gsize secret_len,
                       const char *label,
                       const guint8 *seed, gsize seed_len,
                       guint8 *out, gsize out_len);

/* ------------------------------------------------------------------ */
/* Handshake hashes and the transcript                                 */

/* Hash(handshake_messages): SHA-256 or SHA-384 for TLS 1.2; for TLS 1.0
 * and 1.1, MD5(messages) + SHA-1(messages), 36 bytes (RFC 2246, 7.4.9).
 * OUT holds TLS_MAX_HASH_LEN bytes; *OUT_LEN gets the length. */
void  tls_handshake_hash (guint16 version, TlsPrfHash hash,
                          const guint8 *data, gsize len,
                          guint8 out[TLS_MAX_HASH_LEN], gsize *out_len);

/* Every handshake message byte of a connection, in order (RFC 5246,
 * 7.4.9: "all of the data from all messages in this handshake (not
 * including any HelloRequest messages) up to, but not including, this
 * message").  It keeps the bytes, so any hash can be taken at any point
 * and a view can show what was hashed. */
typedef struct _TlsTranscript TlsTranscript;

TlsTranscript *tls_transcript_new    (void);
void           tls_transcript_free   (TlsTranscript *tr);
void           tls_transcript_reset  (TlsTranscript *tr);
void           tls_transcript_append (TlsTranscript *tr, const guint8 *data, gsize len);
gsize          tls_transcript_len    (const TlsTranscript *tr);
const guint8  *tls_transcript_data   (const TlsTranscript *tr, gsize *len);
/* The hash of everything appended so far. */
void           tls_transcript_hash   (const TlsTranscript *tr, guint16 version,
                                      TlsPrfHash hash,
                                      guint8 out[TLS_MAX_HASH_LEN], gsize *out_len);
/* The hash of the first PREFIX_LEN bytes (e.g. up to ClientKeyExchange). */
void           tls_transcript_hash_prefix (const TlsTranscript *tr, gsize prefix_len,
                                           guint16 version, TlsPrfHash hash,
                                           guint8 out[TLS_MAX_HASH_LEN],
                                           gsize *out_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsTranscript, tls_transcript_free)

/* ------------------------------------------------------------------ */
/* Key schedule                                                        */

/* The keys cut from the key block (RFC 5246, 6.3). */
#define TLS_MAX_MAC_KEY_LEN 48
#define TLS_MAX_KEY_LEN     32
#define TLS_MAX_IV_LEN      16

typedef struct
{
  guint8 client_write_mac_key[TLS_MAX_MAC_KEY_LEN];
  guint8 server_write_mac_key[TLS_MAX_MAC_KEY_LEN];
  guint8 client_write_key[TLS_MAX_KEY_LEN];
  guint8 server_write_key[TLS_MAX_KEY_LEN];
  guint8 client_write_iv[TLS_MAX_IV_LEN];
  guint8 server_write_iv[TLS_MAX_IV_LEN];
  gsize  mac_key_len;   /* 0 for AEAD */
  gsize  key_len;
  gsize  iv_len;        /* AEAD fixed IV; CBC IV in TLS 1.0 only; else 0 */
} TlsKeyBlock;

/* How many IV bytes the key block holds for CIPHER at VERSION: the
 * AEAD fixed_iv_length (4 for GCM, RFC 5288, 3; 12 for ChaCha20-Poly1305,
 * RFC 7905, 2), the block size for CBC in TLS 1.0, and 0 for CBC from TLS
 * 1.1 on (explicit IVs, RFC 4346, 6.3) and for RC4. */
gsize tls_key_block_iv_len (const TlsCipherInfo *cipher, guint16 version);

/* master_secret = PRF(pre_master_secret, "master secret",
 *                     ClientHello.random + ServerHello.random)[0..47]
 * (RFC 5246, 8.1).  PMS_STEP: where the pre-master secret came from;
 * CLIENT_HELLO_STEP and SERVER_HELLO_STEP: the steps that carried the
 * randoms in this connection (-1 when unknown). */
int   tls_derive_master_secret (TlsTrace *trace, TlsActor actor,
                                guint16 version, TlsPrfHash hash,
                                const guint8 *pms, gsize pms_len,
                                const guint8 client_random[32],
                                const guint8 server_random[32],
                                int pms_step, int client_hello_step,
                                int server_hello_step,
                                guint8 master[48]);

/* master_secret = PRF(pre_master_secret, "extended master secret",
 *                     session_hash)[0..47]          (RFC 7627, 4)
 * session_hash = Hash(handshake_messages) up to and including
 * ClientKeyExchange (tls_transcript_hash at that point). */
int   tls_derive_extended_master_secret (TlsTrace *trace, TlsActor actor,
                                         guint16 version, TlsPrfHash hash,
                                         const guint8 *pms, gsize pms_len,
                                         const guint8 *session_hash,
                                         gsize session_hash_len,
                                         int pms_step, int hash_step,
                                         guint8 master[48]);

/* key_block = PRF(master_secret, "key expansion",
 *                 server_random + client_random)   (RFC 5246, 6.3)
 * cut into the MAC keys, the write keys and the IVs, with the sizes of
 * SUITE's cipher and MAC at VERSION.  CLIENT_HELLO_STEP and
 * SERVER_HELLO_STEP: the steps that carried the randoms of this
 * connection (a resumed one has new randoms but an older master secret;
 * with the extended master secret the master step has no randoms). */
int   tls_derive_key_block     (TlsTrace *trace, TlsActor actor,
                                guint16 version, const TlsSuite *suite,
                                const guint8 master[48],
                                const guint8 client_random[32],
                                const guint8 server_random[32],
                                int master_step, int client_hello_step,
                                int server_hello_step, TlsKeyBlock *out);

/* verify_data = PRF(master_secret, finished_label,
 *                   Hash(handshake_messages))[0..11]   (RFC 5246, 7.4.9)
 * finished_label is "client finished" or "server finished". */
int   tls_compute_verify_data  (TlsTrace *trace, TlsActor actor,
                                guint16 version, TlsPrfHash hash,
                                const guint8 master[48], gboolean from_client,
                                const guint8 *handshake_hash, gsize hash_len,
                                int master_step, guint8 out[12]);

G_END_DECLS
