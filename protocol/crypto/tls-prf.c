/* tls-prf.c — the TLS PRF, the key schedule and the handshake transcript. */
#include "config.h"

#include "tls-prf.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <nettle/hmac.h>
#include <nettle/memxor.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* HMAC                                                                */

void
tls_hmac_init (TlsHmac *h, const struct nettle_hash *hash,
               const guint8 *key, gsize key_len)
{
  g_assert (hash->context_size <= sizeof (TlsHashCtx));
  h->hash = hash;
  hmac_set_key (&h->outer, &h->inner, &h->state, hash, key_len, key);
}

void
tls_hmac_update (TlsHmac *h, const guint8 *data, gsize len)
{
  hmac_update (&h->state, h->hash, len, data);
}

void
tls_hmac_digest (TlsHmac *h, guint8 *out)
{
  hmac_digest (&h->outer, &h->inner, &h->state, h->hash,
               h->hash->digest_size, out);
}

const struct nettle_hash *
tls_prf_hash_nettle (TlsPrfHash hash)
{
  return hash == TLS_PRF_SHA384 ? &nettle_sha384 : &nettle_sha256;
}

const char *
tls_prf_hash_name (TlsPrfHash hash)
{
  return hash == TLS_PRF_SHA384 ? "SHA-384" : "SHA-256";
}

/* ------------------------------------------------------------------ */
/* PRF                                                                 */

/*  P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
 *                         HMAC_hash(secret, A(2) + seed) +
 *                         HMAC_hash(secret, A(3) + seed) + ...
 *  A(0) = seed
 *  A(i) = HMAC_hash(secret, A(i-1))                     (RFC 5246, 5) */
void
tls_p_hash (const struct nettle_hash *hash,
            const guint8 *secret, gsize secret_len,
            const char *label,
            const guint8 *seed, gsize seed_len,
            guint8 *out, gsize out_len)
{
  TlsHmac h;
  guint8 a[TLS_MAX_HASH_LEN];
  guint8 block[TLS_MAX_HASH_LEN];
  gsize label_len = label ? strlen (label) : 0;
  gsize dlen = hash->digest_size;
  gsize done = 0;

  g_assert (dlen <= TLS_MAX_HASH_LEN);
  tls_hmac_init (&h, hash, secret, secret_len);

  /* A(1) = HMAC(secret, label + seed) */
  tls_hmac_update (&h, (const guint8 *) label, label_len);
  tls_hmac_update (&h, seed, seed_len);
  tls_hmac_digest (&h, a);

  while (done < out_len)
    {
      gsize n = MIN (dlen, out_len - done);

      tls_hmac_update (&h, a, dlen);
      tls_hmac_update (&h, (const guint8 *) label, label_len);
      tls_hmac_update (&h, seed, seed_len);
      tls_hmac_digest (&h, block);
      memcpy (out + done, block, n);
      done += n;

      /* A(i+1) = HMAC(secret, A(i)) */
      tls_hmac_update (&h, a, dlen);
      tls_hmac_digest (&h, a);
    }

  memset (&h, 0, sizeof h);
  memset (a, 0, sizeof a);
  memset (block, 0, sizeof block);
}

/*  PRF(secret, label, seed) = P_MD5(S1, label + seed) XOR
 *                             P_SHA-1(S2, label + seed);
 *  "S1 and S2 are the two halves of the secret and each is the same
 *  length.  S1 is taken from the first half of the secret, S2 from the
 *  second half.  Their length is created by rounding up the length of the
 *  overall secret divided by two; thus, if the original secret is an odd
 *  number of bytes long, the last byte of S1 will be the same as the first
 *  byte of S2."                                          (RFC 2246, 5)
 *
 *  PRF(secret, label, seed) = P_<hash>(secret, label + seed)
 *                                                        (RFC 5246, 5) */
void
tls_prf (guint16 version, TlsPrfHash hash,
         const guint8 *secret, gsize secret_len,
         const char *label,
         const guint8 *seed, gsize seed_len,
         guint8 *out, gsize out_len)
{
  if (version >= TLS_VERSION_1_2)
    {
      tls_p_hash (tls_prf_hash_nettle (hash), secret, secret_len,
                  label, seed, seed_len, out, out_len);
    }
  else
    {
      gsize half = (secret_len + 1) / 2;
      guint8 *sha1_part = g_malloc (out_len ? out_len : 1);

      tls_p_hash (&nettle_md5, secret, half, label, seed, seed_len,
                  out, out_len);
      tls_p_hash (&nettle_sha1, secret + (secret_len - half), half,
                  label, seed, seed_len, sha1_part, out_len);
      memxor (out, sha1_part, out_len);
      memset (sha1_part, 0, out_len);
      g_free (sha1_part);
    }
}

/* ------------------------------------------------------------------ */
/* Handshake hashes                                                    */

static void
hash_once (const struct nettle_hash *hash, const guint8 *data, gsize len,
           guint8 *out)
{
  TlsHashCtx ctx;

  hash->init (&ctx);
  hash->update (&ctx, len, data);
  hash->digest (&ctx, hash->digest_size, out);
}

void
tls_handshake_hash (guint16 version, TlsPrfHash hash,
                    const guint8 *data, gsize len,
                    guint8 out[TLS_MAX_HASH_LEN], gsize *out_len)
{
  if (version >= TLS_VERSION_1_2)
    {
      const struct nettle_hash *h = tls_prf_hash_nettle (hash);

      hash_once (h, data, len, out);
      *out_len = h->digest_size;
    }
  else
    {
      /* MD5(handshake_messages) + SHA-1(handshake_messages) (RFC 2246, 7.4.9) */
      hash_once (&nettle_md5, data, len, out);
      hash_once (&nettle_sha1, data, len, out + MD5_DIGEST_SIZE);
      *out_len = MD5_DIGEST_SIZE + SHA1_DIGEST_SIZE;
    }
}

struct _TlsTranscript
{
  GByteArray *bytes;
};

TlsTranscript *
tls_transcript_new (void)
{
  TlsTranscript *tr = g_new0 (TlsTranscript, 1);
  tr->bytes = g_byte_array_new ();
  return tr;
}

void
tls_transcript_free (TlsTranscript *tr)
{
  if (tr == NULL)
    return;
  g_byte_array_unref (tr->bytes);
  g_free (tr);
}

void
tls_transcript_reset (TlsTranscript *tr)
{
  g_byte_array_set_size (tr->bytes, 0);
}

void
tls_transcript_append (TlsTranscript *tr, const guint8 *data, gsize len)
{
  g_byte_array_append (tr->bytes, data, len);
}

gsize
tls_transcript_len (const TlsTranscript *tr)
{
  return tr->bytes->len;
}

const guint8 *
tls_transcript_data (const TlsTranscript *tr, gsize *len)
{
  if (len != NULL)
    *len = tr->bytes->len;
  return tr->bytes->data;
}

void
tls_transcript_hash (const TlsTranscript *tr, guint16 version, TlsPrfHash hash,
                     guint8 out[TLS_MAX_HASH_LEN], gsize *out_len)
{
  tls_handshake_hash (version, hash, tr->bytes->data, tr->bytes->len,
                      out, out_len);
}

void
tls_transcript_hash_prefix (const TlsTranscript *tr, gsize prefix_len,
                            guint16 version, TlsPrfHash hash,
                            guint8 out[TLS_MAX_HASH_LEN], gsize *out_len)
{
  g_return_if_fail (prefix_len <= tr->bytes->len);
  tls_handshake_hash (version, hash, tr->bytes->data, prefix_len,
                      out, out_len);
}

/* ------------------------------------------------------------------ */
/* Key schedule                                                        */

/* The PRF used at VERSION, as a text input of a derivation. */
static void
add_prf_input (TlsStep *step, guint16 version, TlsPrfHash hash)
{
  if (version >= TLS_VERSION_1_2)
    {
      g_autofree char *text = g_strdup_printf ("P_%s",
                                               hash == TLS_PRF_SHA384 ? "SHA384" : "SHA256");
      tls_step_add_text_input (step, "PRF", text, -1,
                               _("TLS 1.2: one HMAC chain with the hash the cipher suite names (RFC 5246, 5)"));
    }
  else
    tls_step_add_text_input (step, "PRF", "P_MD5(S1) XOR P_SHA1(S2)", -1,
                             _("TLS 1.0 and 1.1: the secret is split in halves, one for an HMAC-MD5 chain and one for an HMAC-SHA1 chain, and the two outputs are XORed (RFC 2246, 5)"));
}

static TlsStep *
derivation_begin (TlsTrace *trace, TlsActor actor, const char *title,
                  const char *formula, int parent)
{
  TlsStep *step;

  if (trace == NULL)
    return NULL;
  step = tls_trace_add (trace, TLS_STEP_DERIVATION, actor, title);
  /* the master secret is a step of the lesson; the key block and
   * verify_data go under the message that uses them */
  tls_trace_group (trace, step, parent);
  step->formula = g_strdup (formula);
  return step;
}

static int
derivation_end (TlsTrace *trace, TlsStep *step)
{
  if (step == NULL)
    return -1;
  tls_trace_commit (trace, step);
  return (int) step->index;
}

/* The RFC of the run's version for SECTION, where the three number it
 * alike (8.1, 7.4.9): TLS 1.0 is RFC 2246, 1.1 RFC 4346, 1.2 RFC 5246. */
static const char *
tls_prf_rfc (guint16 version, const char *section)
{
  if (g_str_equal (section, "8.1"))
    return version < TLS_VERSION_1_1 ? "RFC 2246, 8.1"
           : version < TLS_VERSION_1_2 ? "RFC 4346, 8.1" : "RFC 5246, 8.1";
  return version < TLS_VERSION_1_1 ? "RFC 2246, 7.4.9"
         : version < TLS_VERSION_1_2 ? "RFC 4346, 7.4.9" : "RFC 5246, 7.4.9";
}

/*  master_secret = PRF(pre_master_secret, "master secret",
 *                      ClientHello.random + ServerHello.random)
 *                      [0..47];                          (RFC 5246, 8.1) */
int
tls_derive_master_secret (TlsTrace *trace, TlsActor actor,
                          guint16 version, TlsPrfHash hash,
                          const guint8 *pms, gsize pms_len,
                          const guint8 client_random[32],
                          const guint8 server_random[32],
                          int pms_step, int client_hello_step,
                          int server_hello_step, guint8 master[48])
{
  static const char label[] = "master secret";
  guint8 seed[2 * TLS_RANDOM_LEN];
  TlsStep *step;

  memcpy (seed, client_random, TLS_RANDOM_LEN);
  memcpy (seed + TLS_RANDOM_LEN, server_random, TLS_RANDOM_LEN);
  tls_prf (version, hash, pms, pms_len, label, seed, sizeof seed,
           master, TLS_MASTER_SECRET_LEN);

  step = derivation_begin (trace, actor, TLS_STEP_TITLE_MASTER_SECRET,
                           "PRF(pre_master_secret, \"master secret\", "
                           "ClientHello.random + ServerHello.random)[0..47]",
                           TLS_PARENT_NONE);
  if (step == NULL)
    return -1;
  tls_step_explain (step, tls_prf_rfc (version, "8.1"), "%s",
                    _("Both sides turn the pre-master secret into the 48-byte master secret. "
                      "The two hello randoms go into the seed, so the master secret is new for "
                      "every handshake even when the pre-master secret is not, and neither side "
                      "alone chooses it."));
  add_prf_input (step, version, hash);
  tls_step_add_input (step, "pre_master_secret", pms, pms_len, pms_step,
                      _("the secret both sides share after the key exchange"));
  tls_step_add_text_input (step, "label", label, -1,
                           _("an ASCII string without a terminating zero"));
  tls_step_add_input (step, "client_random", client_random, TLS_RANDOM_LEN,
                      client_hello_step, _("ClientHello.random"));
  tls_step_add_input (step, "server_random", server_random, TLS_RANDOM_LEN,
                      server_hello_step, _("ServerHello.random"));
  tls_step_add_output (step, "master_secret", master, TLS_MASTER_SECRET_LEN,
                       _("the key material of the session: the key block, the Finished "
                         "messages and session resumption are all made from it"));
  return derivation_end (trace, step);
}

/*  master_secret = PRF(pre_master_secret, "extended master secret",
 *                      session_hash)[0..47];             (RFC 7627, 4)
 *  session_hash = Hash(handshake_messages), "all messages up to and
 *  including the ClientKeyExchange message"               (RFC 7627, 3) */
int
tls_derive_extended_master_secret (TlsTrace *trace, TlsActor actor,
                                   guint16 version, TlsPrfHash hash,
                                   const guint8 *pms, gsize pms_len,
                                   const guint8 *session_hash,
                                   gsize session_hash_len,
                                   int pms_step, int hash_step,
                                   guint8 master[48])
{
  static const char label[] = "extended master secret";
  TlsStep *step;

  tls_prf (version, hash, pms, pms_len, label, session_hash, session_hash_len,
           master, TLS_MASTER_SECRET_LEN);

  step = derivation_begin (trace, actor, TLS_STEP_TITLE_EXTENDED_MASTER,
                           "PRF(pre_master_secret, \"extended master secret\", "
                           "session_hash)[0..47]", TLS_PARENT_NONE);
  if (step == NULL)
    return -1;
  tls_step_explain (step, "RFC 7627, 4", "%s",
                    _("With the extended_master_secret extension the seed is not the two "
                      "randoms but a hash of the whole handshake up to and including the ClientKeyExchange. "
                      "The master secret is thereby bound to this handshake's certificates "
                      "and key exchange, which defeats the triple-handshake attack."));
  add_prf_input (step, version, hash);
  tls_step_add_input (step, "pre_master_secret", pms, pms_len, pms_step,
                      _("the secret both sides share after the key exchange"));
  tls_step_add_text_input (step, "label", label, -1,
                           _("an ASCII string without a terminating zero"));
  tls_step_add_input (step, "session_hash", session_hash, session_hash_len,
                      hash_step,
                      version >= TLS_VERSION_1_2
                        ? _("Hash(handshake_messages) up to and including ClientKeyExchange, "
                            "with the hash of the PRF")
                        : _("MD5(handshake_messages) + SHA-1(handshake_messages) up to and "
                            "including ClientKeyExchange"));
  tls_step_add_output (step, "master_secret", master, TLS_MASTER_SECRET_LEN,
                       _("the key material of the session, bound to this handshake"));
  return derivation_end (trace, step);
}

gsize
tls_key_block_iv_len (const TlsCipherInfo *cipher, guint16 version)
{
  switch (cipher->type)
    {
    case TLS_CIPHER_TYPE_AEAD:
      return cipher->fixed_iv_len;
    case TLS_CIPHER_TYPE_BLOCK:
      /* TLS 1.1 (RFC 4346, 6.3): "client_write_IV and server_write_IV are
       * not generated"; each record carries its own IV. */
      return version >= TLS_VERSION_1_1 ? 0 : cipher->block_len;
    case TLS_CIPHER_TYPE_STREAM:
    default:
      return 0;
    }
}

/*  key_block = PRF(SecurityParameters.master_secret,
 *                  "key expansion",
 *                  SecurityParameters.server_random +
 *                  SecurityParameters.client_random);
 *
 *  client_write_MAC_key[SecurityParameters.mac_key_length]
 *  server_write_MAC_key[SecurityParameters.mac_key_length]
 *  client_write_key[SecurityParameters.enc_key_length]
 *  server_write_key[SecurityParameters.enc_key_length]
 *  client_write_IV[SecurityParameters.fixed_iv_length]
 *  server_write_IV[SecurityParameters.fixed_iv_length]  (RFC 5246, 6.3) */
int
tls_derive_key_block (TlsTrace *trace, TlsActor actor,
                      guint16 version, const TlsSuite *suite,
                      const guint8 master[48],
                      const guint8 client_random[32],
                      const guint8 server_random[32],
                      int master_step, int client_hello_step,
                      int server_hello_step, TlsKeyBlock *out)
{
  static const char label[] = "key expansion";
  const TlsCipherInfo *cipher = tls_cipher_info (suite->cipher);
  const TlsMacInfo *mac = tls_mac_info (suite->mac);
  guint8 seed[2 * TLS_RANDOM_LEN];
  guint8 block[2 * (TLS_MAX_MAC_KEY_LEN + TLS_MAX_KEY_LEN + TLS_MAX_IV_LEN)];
  gsize total, pos = 0;
  TlsStep *step;

  memset (out, 0, sizeof *out);
  out->mac_key_len = mac->len;
  out->key_len = cipher->key_len;
  out->iv_len = tls_key_block_iv_len (cipher, version);
  g_assert (out->mac_key_len <= TLS_MAX_MAC_KEY_LEN);
  g_assert (out->key_len <= TLS_MAX_KEY_LEN);
  g_assert (out->iv_len <= TLS_MAX_IV_LEN);
  total = 2 * (out->mac_key_len + out->key_len + out->iv_len);

  /* Note the order: server_random first, unlike the master secret. */
  memcpy (seed, server_random, TLS_RANDOM_LEN);
  memcpy (seed + TLS_RANDOM_LEN, client_random, TLS_RANDOM_LEN);
  tls_prf (version, suite->prf, master, TLS_MASTER_SECRET_LEN, label,
           seed, sizeof seed, block, total);

  memcpy (out->client_write_mac_key, block + pos, out->mac_key_len); pos += out->mac_key_len;
  memcpy (out->server_write_mac_key, block + pos, out->mac_key_len); pos += out->mac_key_len;
  memcpy (out->client_write_key, block + pos, out->key_len);         pos += out->key_len;
  memcpy (out->server_write_key, block + pos, out->key_len);         pos += out->key_len;
  memcpy (out->client_write_iv, block + pos, out->iv_len);           pos += out->iv_len;
  memcpy (out->server_write_iv, block + pos, out->iv_len);           pos += out->iv_len;
  g_assert (pos == total);

  step = derivation_begin (trace, actor, TLS_STEP_TITLE_KEY_BLOCK,
                           "key_block = PRF(master_secret, \"key expansion\", "
                           "server_random + client_random)", TLS_PARENT_NEXT);
  if (step == NULL)
    {
      memset (block, 0, sizeof block);
      return -1;
    }
  /* Say only what this key block holds: MAC keys but no IVs for TLS 1.1
   * and 1.2 CBC and stream ciphers, no MAC keys for AEAD (RFC 5246, 6.3:
   * the IVs "are only generated for implicit nonce techniques"); TLS 1.0
   * CBC has both (RFC 2246, 6.3). */
  if (out->mac_key_len > 0 && out->iv_len > 0)
    tls_step_explain (step, "RFC 2246, 6.3", "%s",
                      _("The master secret is expanded into as many bytes as the cipher suite "
                        "needs, and the key block is cut into keys in a fixed order: the two MAC "
                        "keys, the two encryption keys, then the two IVs of the first CBC records "
                        "(TLS 1.0 only: from TLS 1.1 on each record carries its own IV). Each "
                        "direction has its own keys, so a record cannot be reflected back to its "
                        "sender."));
  else if (out->mac_key_len > 0 && cipher->type == TLS_CIPHER_TYPE_STREAM)
    tls_step_explain (step, version < TLS_VERSION_1_1 ? "RFC 2246, 6.3" : "RFC 5246, 6.3", "%s",
                      _("The master secret is expanded into as many bytes as the cipher suite "
                        "needs, and the key block is cut into keys in a fixed order: the two MAC "
                        "keys, then the two encryption keys. A stream cipher needs no IV. Each "
                        "direction has its own keys, so a record cannot be reflected back to its "
                        "sender."));
  else if (out->mac_key_len > 0)
    tls_step_explain (step, "RFC 5246, 6.3", "%s",
                      _("The master secret is expanded into as many bytes as the cipher suite "
                        "needs, and the key block is cut into keys in a fixed order: the two MAC "
                        "keys, then the two encryption keys. No IVs are taken from it: in this "
                        "version each CBC record carries its own IV. Each direction has its own "
                        "keys, so a record cannot be reflected back to its sender."));
  else
    tls_step_explain (step, "RFC 5246, 6.3", "%s",
                      _("The master secret is expanded into as many bytes as the cipher suite "
                        "needs, and the key block is cut into keys in a fixed order: the two "
                        "encryption keys, then the two fixed parts of the nonces (the AEAD cipher "
                        "authenticates the records itself, so there are no MAC keys). Each "
                        "direction has its own keys, so a record cannot be reflected back to its "
                        "sender."));
  add_prf_input (step, version, suite->prf);
  tls_step_add_input (step, "master_secret", master, TLS_MASTER_SECRET_LEN,
                      master_step, _("from the master secret derivation"));
  tls_step_add_text_input (step, "label", label, -1,
                           _("an ASCII string without a terminating zero"));
  tls_step_add_input (step, "server_random", server_random, TLS_RANDOM_LEN,
                      server_hello_step,
                      _("ServerHello.random, first this time"));
  tls_step_add_input (step, "client_random", client_random, TLS_RANDOM_LEN,
                      client_hello_step,
                      _("ClientHello.random"));
  tls_step_add_text_input (step, "cipher_suite", suite->name, -1,
                           _("decides the sizes of the keys"));

  tls_step_add_output (step, "key_block", block, total,
                       _("the PRF output, cut into the keys below in this order"));
  if (out->mac_key_len > 0)
    {
      tls_step_add_output (step, "client_write_MAC_key", out->client_write_mac_key,
                           out->mac_key_len,
                           _("HMAC key for the records the client sends"));
      tls_step_add_output (step, "server_write_MAC_key", out->server_write_mac_key,
                           out->mac_key_len,
                           _("HMAC key for the records the server sends"));
    }
  tls_step_add_output (step, "client_write_key", out->client_write_key, out->key_len,
                       _("cipher key for the records the client sends"));
  tls_step_add_output (step, "server_write_key", out->server_write_key, out->key_len,
                       _("cipher key for the records the server sends"));
  if (out->iv_len > 0)
    {
      const char *cnote, *snote;

      if (cipher->type == TLS_CIPHER_TYPE_AEAD)
        {
          cnote = _("fixed part of the nonce of the records the client sends (salt)");
          snote = _("fixed part of the nonce of the records the server sends (salt)");
        }
      else
        {
          cnote = _("CBC IV of the client's first record (TLS 1.0 then chains: each "
                    "record's IV is the last ciphertext block of the one before)");
          snote = _("CBC IV of the server's first record (TLS 1.0 then chains: each "
                    "record's IV is the last ciphertext block of the one before)");
        }
      tls_step_add_output (step, "client_write_IV", out->client_write_iv, out->iv_len, cnote);
      tls_step_add_output (step, "server_write_IV", out->server_write_iv, out->iv_len, snote);
    }
  memset (block, 0, sizeof block);
  return derivation_end (trace, step);
}

/*  verify_data = PRF(master_secret, finished_label,
 *                    Hash(handshake_messages))
 *                    [0..verify_data_length-1];          (RFC 5246, 7.4.9) */
int
tls_compute_verify_data (TlsTrace *trace, TlsActor actor,
                         guint16 version, TlsPrfHash hash,
                         const guint8 master[48], gboolean from_client,
                         const guint8 *handshake_hash, gsize hash_len,
                         int master_step, guint8 out[12])
{
  const char *label = from_client ? "client finished" : "server finished";
  TlsStep *step;

  tls_prf (version, hash, master, TLS_MASTER_SECRET_LEN, label,
           handshake_hash, hash_len, out, TLS_VERIFY_DATA_LEN);

  step = derivation_begin (trace, actor,
                           from_client ? TLS_STEP_TITLE_CLIENT_VERIFY
                                       : TLS_STEP_TITLE_SERVER_VERIFY,
                           "PRF(master_secret, finished_label, "
                           "Hash(handshake_messages))[0..11]", TLS_PARENT_NEXT);
  if (step == NULL)
    return -1;
  tls_step_explain (step, tls_prf_rfc (version, "7.4.9"), "%s",
                    _("The Finished message proves that this side knows the master secret and "
                      "saw the same handshake messages as the peer: a single changed byte "
                      "anywhere in the handshake gives a different verify_data."));
  add_prf_input (step, version, hash);
  tls_step_add_input (step, "master_secret", master, TLS_MASTER_SECRET_LEN,
                      master_step, _("from the master secret derivation"));
  tls_step_add_text_input (step, "finished_label", label, -1,
                           from_client ? _("the client's Finished") : _("the server's Finished"));
  tls_step_add_input (step, "handshake_hash", handshake_hash, hash_len, -1,
                      version >= TLS_VERSION_1_2
                        ? _("Hash(handshake_messages) with the hash of the PRF, over every "
                            "handshake message before this Finished")
                        : _("MD5(handshake_messages) + SHA-1(handshake_messages), over every "
                            "handshake message before this Finished"));
  tls_step_add_output (step, "verify_data", out, TLS_VERIFY_DATA_LEN,
                       _("sent in Finished; the peer computes it too and compares"));
  return derivation_end (trace, step);
}
