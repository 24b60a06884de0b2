/* tls13-key-schedule.c — HKDF, HKDF-Expand-Label, Derive-Secret and the
 * TLS 1.3 key schedule, each value a derivation step of the trace. */
#include "config.h"

#include "tls13-key-schedule.h"
#include "tls-types.h"

#include <glib/gi18n-lib.h>
#include <nettle/hkdf.h>
#include <nettle/hmac.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* HKDF over Nettle                                                    */

typedef union
{
  struct hmac_sha256_ctx sha256;
  struct hmac_sha384_ctx sha384;
} HmacCtx;

gsize
tls13_hash_len (TlsPrfHash hash)
{
  return hash == TLS_PRF_SHA384 ? SHA384_DIGEST_SIZE : SHA256_DIGEST_SIZE;
}

static void
hmac_set_key_for (HmacCtx *ctx, TlsPrfHash hash, const guint8 *key, gsize key_len)
{
  if (hash == TLS_PRF_SHA384)
    hmac_sha384_set_key (&ctx->sha384, key_len, key);
  else
    hmac_sha256_set_key (&ctx->sha256, key_len, key);
}

/* HKDF-Extract(salt, IKM) -> PRK = HMAC-Hash(salt, IKM)  (RFC 5869, 2.2) */
void
tls13_hkdf_extract (TlsPrfHash hash,
                    const guint8 *salt, gsize salt_len,
                    const guint8 *ikm, gsize ikm_len,
                    guint8 *prk)
{
  static const guint8 zeros[TLS_MAX_HASH_LEN];
  gsize hlen = tls13_hash_len (hash);
  HmacCtx ctx;

  /* "if not provided, [it] is set to a string of HashLen zeros" */
  if (salt == NULL)
    {
      salt = zeros;
      salt_len = hlen;
    }
  hmac_set_key_for (&ctx, hash, salt, salt_len);
  if (hash == TLS_PRF_SHA384)
    hkdf_extract (&ctx.sha384, (nettle_hash_update_func *) hmac_sha384_update,
                  (nettle_hash_digest_func *) hmac_sha384_digest, hlen,
                  ikm_len, ikm, prk);
  else
    hkdf_extract (&ctx.sha256, (nettle_hash_update_func *) hmac_sha256_update,
                  (nettle_hash_digest_func *) hmac_sha256_digest, hlen,
                  ikm_len, ikm, prk);
  memset (&ctx, 0, sizeof ctx);
}

/* HKDF-Expand(PRK, info, L) -> OKM                         (RFC 5869, 2.3) */
void
tls13_hkdf_expand (TlsPrfHash hash,
                   const guint8 *prk, gsize prk_len,
                   const guint8 *info, gsize info_len,
                   guint8 *out, gsize out_len)
{
  gsize hlen = tls13_hash_len (hash);
  HmacCtx ctx;

  g_return_if_fail (out_len <= 255 * hlen);
  hmac_set_key_for (&ctx, hash, prk, prk_len);
  if (hash == TLS_PRF_SHA384)
    hkdf_expand (&ctx.sha384, (nettle_hash_update_func *) hmac_sha384_update,
                 (nettle_hash_digest_func *) hmac_sha384_digest, hlen,
                 info_len, info, out_len, out);
  else
    hkdf_expand (&ctx.sha256, (nettle_hash_update_func *) hmac_sha256_update,
                 (nettle_hash_digest_func *) hmac_sha256_digest, hlen,
                 info_len, info, out_len, out);
  memset (&ctx, 0, sizeof ctx);
}

/*  struct {
 *      uint16 length = Length;
 *      opaque label<7..255> = "tls13 " + Label;
 *      opaque context<0..255> = Context;
 *  } HkdfLabel;                                          (RFC 8446, 7.1) */
gsize
tls13_hkdf_label (const char *label, const guint8 *context, gsize context_len,
                  guint16 length, guint8 *info)
{
  static const char prefix[] = "tls13 ";
  gsize label_len = strlen (label);
  gsize full = sizeof prefix - 1 + label_len;
  gsize n = 0;

  g_return_val_if_fail (full >= 7 && full <= 255 && context_len <= 255, 0);
  info[n++] = length >> 8;
  info[n++] = length & 0xff;
  info[n++] = (guint8) full;
  memcpy (info + n, prefix, sizeof prefix - 1);
  n += sizeof prefix - 1;
  memcpy (info + n, label, label_len);
  n += label_len;
  info[n++] = (guint8) context_len;
  if (context_len > 0)
    memcpy (info + n, context, context_len);
  n += context_len;
  return n;
}

void
tls13_hkdf_expand_label (TlsPrfHash hash,
                         const guint8 *secret, gsize secret_len,
                         const char *label,
                         const guint8 *context, gsize context_len,
                         guint8 *out, gsize out_len)
{
  guint8 info[TLS13_MAX_HKDF_LABEL];
  gsize info_len = tls13_hkdf_label (label, context, context_len, out_len, info);

  tls13_hkdf_expand (hash, secret, secret_len, info, info_len, out, out_len);
}

/* ------------------------------------------------------------------ */
/* Trace helpers                                                       */

static TlsStep *
step_begin (TlsTrace *trace, TlsActor actor, const char *title,
            const char *formula, int parent)
{
  TlsStep *step;

  if (trace == NULL)
    return NULL;
  step = tls_trace_add (trace, TLS_STEP_DERIVATION, actor, title);
  tls_trace_group (trace, step, parent);
  step->formula = g_strdup (formula);
  return step;
}

static int
step_end (TlsTrace *trace, TlsStep *step)
{
  if (step == NULL)
    return -1;
  tls_trace_commit (trace, step);
  return (int) step->index;
}

static void
add_hash_input (TlsStep *step, TlsPrfHash hash)
{
  tls_step_add_text_input (step, "Hash", tls_prf_hash_name (hash), -1,
                           _("the hash of the cipher suite: HKDF and the transcript hash "
                             "both use it (RFC 8446, 7.1)"));
}

/* The HkdfLabel of an HKDF-Expand-Label as an input: RFC 8448 prints it
 * as "info". */
static void
add_hkdf_label_input (TlsStep *step, const char *label,
                      const guint8 *context, gsize context_len, gsize out_len)
{
  guint8 info[TLS13_MAX_HKDF_LABEL];
  gsize n = tls13_hkdf_label (label, context, context_len, out_len, info);
  g_autofree char *full = g_strconcat ("tls13 ", label, NULL);

  tls_step_add_text_input (step, "Label", full, -1,
                           _("\"tls13 \" and the label, ASCII without a terminating zero"));
  tls_step_add_input (step, "HkdfLabel", info, n, -1,
                      _("the info of HKDF-Expand: the output length (2 bytes), the label "
                        "and the context, each with a one-byte length in front"));
}

/* A step for Derive-Secret(SECRET, LABEL, Messages or ""), computing OUT.
 * CTX NULL: the empty context "" (the "derived" and binder secrets), whose
 * Transcript-Hash is the hash of no bytes at all. */
static int
derive_secret_step (Tls13KeySchedule *ks, const char *title, int parent,
                    const guint8 *secret, const char *secret_name, int secret_step,
                    const char *label, const Tls13Context *ctx, guint8 *out,
                    const char *output_note, const char *explanation)
{
  const struct nettle_hash *h = tls_prf_hash_nettle (ks->hash);
  guint8 empty_hash[TLS_MAX_HASH_LEN];
  const guint8 *context;
  g_autofree char *formula = NULL;
  TlsStep *step;

  if (ctx == NULL)
    {
      TlsHashCtx hctx;

      h->init (&hctx);
      h->digest (&hctx, h->digest_size, empty_hash);
      context = empty_hash;
    }
  else
    context = ctx->hash;
  tls13_hkdf_expand_label (ks->hash, secret, ks->hash_len, label,
                           context, ks->hash_len, out, ks->hash_len);

  formula = g_strdup_printf ("%s = Derive-Secret(%s, \"%s\", %s) = "
                             "HKDF-Expand-Label(%s, \"%s\", Transcript-Hash(%s), Hash.length)",
                             title, secret_name, label,
                             ctx ? ctx->covers : "\"\"",
                             secret_name, label, ctx ? ctx->covers : "\"\"");
  step = step_begin (ks->trace, ks->actor, title, formula, parent);
  if (step == NULL)
    return -1;
  tls_step_explain (step, "RFC 8446, 7.1", "%s", explanation);
  add_hash_input (step, ks->hash);
  tls_step_add_input (step, secret_name, secret, ks->hash_len, secret_step,
                      _("the Secret argument: the secret above it in the key schedule"));
  if (ctx == NULL)
    tls_step_add_input (step, "Transcript-Hash(\"\")", context, ks->hash_len, -1,
                        _("the context is empty (\"\"): the hash of no bytes at all"));
  else
    {
      g_autofree char *name = g_strdup_printf ("Transcript-Hash(%s)", ctx->covers);
      g_autofree char *note = g_strdup_printf (_("the context: the hash of the handshake "
                                                 "messages %s, type and length fields "
                                                 "included, record headers not"),
                                               ctx->covers);
      tls_step_add_input (step, name, ctx->hash, ks->hash_len, ctx->step, note);
    }
  add_hkdf_label_input (step, label, context, ks->hash_len, ks->hash_len);
  tls_step_add_output (step, title, out, ks->hash_len, output_note);
  return step_end (ks->trace, step);
}

/* A step for NAME = HKDF-Extract(SALT, IKM). */
static int
extract_step (Tls13KeySchedule *ks, const char *title, int parent,
              const guint8 *salt, const char *salt_name, int salt_step,
              const char *salt_note,
              const guint8 *ikm, gsize ikm_len, const char *ikm_name,
              int ikm_step, const char *ikm_note,
              guint8 *out, const char *output_note, const char *explanation)
{
  static const guint8 zeros[TLS_MAX_HASH_LEN];
  g_autofree char *formula = NULL;
  TlsStep *step;

  if (ikm == NULL)
    {
      ikm = zeros;
      ikm_len = ks->hash_len;
    }
  tls13_hkdf_extract (ks->hash, salt ? salt : zeros, ks->hash_len, ikm, ikm_len, out);

  formula = g_strdup_printf ("%s = HKDF-Extract(salt = %s, IKM = %s) = HMAC-Hash(salt, IKM)",
                             title, salt_name, ikm_name);
  step = step_begin (ks->trace, ks->actor, title, formula, parent);
  if (step == NULL)
    return -1;
  tls_step_explain (step, "RFC 8446, 7.1", "%s", explanation);
  add_hash_input (step, ks->hash);
  tls_step_add_input (step, "salt", salt ? salt : zeros, ks->hash_len, salt_step, salt_note);
  tls_step_add_input (step, "IKM", ikm, ikm_len, ikm_step, ikm_note);
  tls_step_add_output (step, title, out, ks->hash_len, output_note);
  return step_end (ks->trace, step);
}

/* ------------------------------------------------------------------ */
/* Transcript hash                                                     */

int
tls13_transcript_hash (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                       const TlsTranscript *tr, const char *covers, guint8 *out)
{
  g_autofree char *formula = NULL;
  g_autofree char *note = NULL;
  const guint8 *data;
  gsize len, out_len;
  TlsStep *step;

  tls_transcript_hash (tr, TLS_VERSION_1_2, hash, out, &out_len);
  g_assert (out_len == tls13_hash_len (hash));
  data = tls_transcript_data (tr, &len);

  formula = g_strdup_printf ("Transcript-Hash(%s) = Hash(%s)", covers, covers);
  step = step_begin (trace, actor, TLS13_STEP_TITLE_TRANSCRIPT_HASH, formula,
                     TLS_PARENT_NEXT);
  if (step == NULL)
    return -1;
  tls_step_explain (step, "RFC 8446, 4.4.1", "%s",
                    _("The traffic secrets, the CertificateVerify signatures and the Finished "
                      "messages are bound to the handshake so far through this hash: the "
                      "handshake messages in the order they were sent, each with its type and "
                      "length, without record headers."));
  add_hash_input (step, hash);
  note = g_strdup_printf (_("the handshake messages %s, concatenated"), covers);
  tls_step_add_input (step, "Messages", data, len, -1, note);
  tls_step_add_output (step, "Transcript-Hash", out, out_len,
                       _("the hash of exactly these messages, for each computation that covers "
                         "them: a Derive-Secret's context, what CertificateVerify signs or what "
                         "Finished authenticates"));
  return step_end (trace, step);
}

int
tls13_message_hash (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                    TlsTranscript *tr, gsize ch1_len, int ch1_step, int parent)
{
  gsize hlen = tls13_hash_len (hash), len, out_len;
  const guint8 *data = tls_transcript_data (tr, &len);
  g_autofree guint8 *ch1 = g_memdup2 (data, MIN (ch1_len, len));
  g_autofree guint8 *rest = g_memdup2 (data + MIN (ch1_len, len), len - MIN (ch1_len, len));
  gsize rest_len = len - MIN (ch1_len, len);
  guint8 msg[4 + TLS_MAX_HASH_LEN];
  TlsStep *step;

  ch1_len = MIN (ch1_len, len);
  msg[0] = TLS_HS_MESSAGE_HASH;
  msg[1] = 0;
  msg[2] = 0;
  msg[3] = (guint8) hlen;
  tls_transcript_hash_prefix (tr, ch1_len, TLS_VERSION_1_2, hash, msg + 4, &out_len);
  g_assert (out_len == hlen);
  tls_transcript_reset (tr);
  tls_transcript_append (tr, msg, 4 + hlen);
  if (rest_len > 0)
    tls_transcript_append (tr, rest, rest_len);

  step = step_begin (trace, actor, TLS13_STEP_TITLE_MESSAGE_HASH,
                     "message_hash = 254 || 00 00 Hash.length || Hash(ClientHello1)", parent);
  if (step == NULL)
    return -1;
  add_hash_input (step, hash);
  tls_step_add_input (step, "ClientHello1", ch1, ch1_len, ch1_step,
                      _("the first ClientHello, type and length included"));
  tls_step_add_output (step, "Hash(ClientHello1)", msg + 4, hlen,
                       _("the last Hash.length bytes of message_hash"));
  tls_step_add_output (step, "message_hash", msg, 4 + hlen,
                       _("takes the place of ClientHello1 at the start of the transcript"));
  tls_step_explain (step, "RFC 8446, 4.4.1",
                    _("After a HelloRetryRequest the transcript does not hold the first "
                      "ClientHello but this synthetic handshake message with its hash. A server "
                      "can then answer statelessly: it keeps only the hash of ClientHello1 (in "
                      "the cookie) rather than the whole hash state."));
  return step_end (trace, step);
}

/* ------------------------------------------------------------------ */
/* Key schedule                                                        */

void
tls13_key_schedule_init (Tls13KeySchedule *ks, TlsTrace *trace,
                         TlsActor actor, TlsPrfHash hash)
{
  memset (ks, 0, sizeof *ks);
  ks->trace = trace;
  ks->actor = actor;
  ks->hash = hash;
  ks->hash_len = tls13_hash_len (hash);
  ks->early_step = ks->binder_key_step = ks->c_e_traffic_step = -1;
  ks->e_exp_master_step = ks->handshake_step = ks->c_hs_traffic_step = -1;
  ks->s_hs_traffic_step = ks->master_step = ks->c_ap_traffic_step = -1;
  ks->s_ap_traffic_step = ks->exp_master_step = ks->res_master_step = -1;
}

void
tls13_key_schedule_clear (Tls13KeySchedule *ks)
{
  TlsTrace *trace = ks->trace;
  TlsActor actor = ks->actor;
  TlsPrfHash hash = ks->hash;

  memset (ks, 0, sizeof *ks);
  tls13_key_schedule_init (ks, trace, actor, hash);
}

int
tls13_derive_early_secret (Tls13KeySchedule *ks, const guint8 *psk, gsize psk_len,
                           int psk_step)
{
  ks->with_psk = psk != NULL;
  ks->early_step =
    extract_step (ks, TLS13_STEP_TITLE_EARLY_SECRET,
                  /* without a PSK it only feeds the Handshake Secret: under it */
                  psk ? TLS_PARENT_NONE : TLS_PARENT_NEXT,
                  NULL, "0", -1, _("\"0\": Hash.length bytes of zeros"),
                  psk, psk_len, psk ? "PSK" : "0", psk_step,
                  psk ? _("the pre-shared key (from a ticket or set up outside TLS)")
                      : _("no PSK: Hash.length bytes of zeros in its place"),
                  ks->early_secret,
                  _("the first secret of the key schedule"),
                  psk ? _("The key schedule starts by extracting the PSK into the Early "
                          "Secret. The secrets for 0-RTT data and the PSK binder come from it.")
                      : _("Without a PSK the key schedule still starts here: the Early Secret "
                          "is HKDF-Extract(0, 0), the same value in every such handshake. It "
                          "only feeds the next step, where the (EC)DHE secret comes in."));
  return ks->early_step;
}

int
tls13_derive_binder_key (Tls13KeySchedule *ks, gboolean resumption)
{
  const char *label = resumption ? "res binder" : "ext binder";

  ks->binder_key_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_BINDER_KEY, TLS_PARENT_NEXT,
                        ks->early_secret, "Early Secret", ks->early_step, label, NULL,
                        ks->binder_key,
                        _("the base key of the PSK binder in the ClientHello"),
                        _("The binder key proves, inside the ClientHello, that the client holds "
                          "the PSK it offers. The label differs for resumption PSKs (\"res "
                          "binder\") and external ones (\"ext binder\"), so that one kind cannot "
                          "be passed off as the other."));
  return ks->binder_key_step;
}

int
tls13_derive_early_traffic (Tls13KeySchedule *ks, const Tls13Context *ch)
{
  ks->c_e_traffic_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_C_E_TRAFFIC, TLS_PARENT_NEXT,
                        ks->early_secret, "Early Secret", ks->early_step, "c e traffic", ch,
                        ks->client_early_traffic_secret,
                        _("the keys of the client's 0-RTT application data"),
                        _("0-RTT data is protected with keys that come from the PSK and the "
                          "ClientHello alone: the server's contribution is not in it yet, so "
                          "these keys have no forward secrecy and the data can be replayed."));
  ks->e_exp_master_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_E_EXP_MASTER, TLS_PARENT_NEXT,
                        ks->early_secret, "Early Secret", ks->early_step, "e exp master", ch,
                        ks->early_exporter_master_secret,
                        _("the secret of exporters used with 0-RTT data (RFC 8446, 7.5)"),
                        _("An application that needs exported keys for 0-RTT data gets them "
                          "from this secret, made from the PSK and the ClientHello."));
  return ks->e_exp_master_step;
}

int
tls13_derive_handshake_secret (Tls13KeySchedule *ks, const guint8 *shared, gsize shared_len,
                               int shared_step)
{
  guint8 derived[TLS_MAX_HASH_LEN];
  int derived_step;

  derived_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_DERIVED_HS, TLS_PARENT_NEXT,
                        ks->early_secret, "Early Secret", ks->early_step, "derived", NULL,
                        derived, _("the salt of the next HKDF-Extract"),
                        _("Before a new secret is mixed in, the current one is expanded with "
                          "the label \"derived\" and an empty context; the result is the salt "
                          "of the next HKDF-Extract."));
  ks->handshake_step =
    extract_step (ks, TLS13_STEP_TITLE_HANDSHAKE_SECRET, TLS_PARENT_NONE,
                  derived, "Derive-Secret(Early Secret, \"derived\", \"\")", derived_step,
                  _("the Early Secret, expanded with the label \"derived\""),
                  shared, shared_len, shared ? "(EC)DHE" : "0", shared_step,
                  shared ? _("the (EC)DHE shared secret of the key_share exchange (RFC 8446, 7.4)")
                         : _("no (EC)DHE (psk_ke): Hash.length bytes of zeros in its place"),
                  ks->handshake_secret,
                  _("the secret the handshake traffic secrets come from"),
                  shared && ks->with_psk
                  ? _("The (EC)DHE shared secret enters the key schedule here, on top "
                      "of the Early Secret that came from the PSK. Everything derived from "
                      "now on depends on both, so an attacker who later learns the PSK or a "
                      "long-term key still cannot compute it (forward secrecy).")
                  : shared
                  ? _("The (EC)DHE shared secret enters the key schedule here. This "
                      "handshake has no PSK: the Early Secret above is HKDF-Extract of "
                      "Hash.length zeros, the same in every such handshake, so every key "
                      "derived from now on is secret only through the (EC)DHE shared secret. "
                      "Its private keys were made for this handshake: an attacker who later "
                      "steals the certificate's key still cannot compute it (forward secrecy).")
                         : _("Without (EC)DHE (psk_ke) zeros take the place of the shared "
                             "secret: everything derived from now on depends on the PSK and "
                             "on public messages alone, so whoever learns the PSK can compute "
                             "every key of this connection."));
  memset (derived, 0, sizeof derived);
  return ks->handshake_step;
}

int
tls13_derive_handshake_traffic (Tls13KeySchedule *ks, const Tls13Context *ch_sh)
{
  ks->c_hs_traffic_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_C_HS_TRAFFIC, TLS_PARENT_NEXT,
                        ks->handshake_secret, "Handshake Secret", ks->handshake_step,
                        "c hs traffic", ch_sh, ks->client_handshake_traffic_secret,
                        _("the keys of the client's encrypted handshake messages, and the "
                          "base key of its Finished"),
                        _("From here on the handshake is encrypted. The client's handshake "
                          "traffic secret depends on the Handshake Secret and on the two hello "
                          "messages, so it is bound to this handshake."));
  ks->s_hs_traffic_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_S_HS_TRAFFIC, TLS_PARENT_NEXT,
                        ks->handshake_secret, "Handshake Secret", ks->handshake_step,
                        "s hs traffic", ch_sh, ks->server_handshake_traffic_secret,
                        _("the keys of the server's encrypted handshake messages "
                          "(EncryptedExtensions to Finished), and the base key of its Finished"),
                        _("The server's handshake traffic secret differs from the client's "
                          "only by its label: each direction has its own keys."));
  return ks->s_hs_traffic_step;
}

int
tls13_derive_master_secret (Tls13KeySchedule *ks)
{
  guint8 derived[TLS_MAX_HASH_LEN];
  int derived_step;

  derived_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_DERIVED_MASTER, TLS_PARENT_NEXT,
                        ks->handshake_secret, "Handshake Secret", ks->handshake_step,
                        "derived", NULL, derived, _("the salt of the next HKDF-Extract"),
                        _("The Handshake Secret is expanded with the label \"derived\" and an "
                          "empty context, to be the salt of the Master Secret's HKDF-Extract."));
  ks->master_step =
    extract_step (ks, TLS13_STEP_TITLE_MASTER_SECRET, TLS_PARENT_NONE,
                  derived, "Derive-Secret(Handshake Secret, \"derived\", \"\")", derived_step,
                  _("the Handshake Secret, expanded with the label \"derived\""),
                  NULL, 0, "0", -1,
                  _("no new secret comes in: Hash.length bytes of zeros"),
                  ks->master_secret,
                  _("the secret the application traffic and exporter secrets come from"),
                  _("The last HKDF-Extract adds no new secret (its IKM is zeros). It "
                    "separates the application traffic keys from the handshake traffic "
                    "keys."));
  memset (derived, 0, sizeof derived);
  return ks->master_step;
}

int
tls13_derive_application_traffic (Tls13KeySchedule *ks, const Tls13Context *ch_sfin)
{
  ks->c_ap_traffic_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_C_AP_TRAFFIC, TLS_PARENT_NEXT,
                        ks->master_secret, "Master Secret", ks->master_step,
                        "c ap traffic", ch_sfin, ks->client_application_traffic_secret,
                        _("the keys of the application data the client sends"),
                        _("The application traffic secrets cover the handshake up to the "
                          "server's Finished: a server may send application data right "
                          "after its Finished, before the client's Finished has arrived "
                          "(RFC 8446, 4.4.4)."));
  ks->s_ap_traffic_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_S_AP_TRAFFIC, TLS_PARENT_NEXT,
                        ks->master_secret, "Master Secret", ks->master_step,
                        "s ap traffic", ch_sfin, ks->server_application_traffic_secret,
                        _("the keys of the application data the server sends"),
                        _("The server's application traffic secret: the same inputs as the "
                          "client's, another label."));
  ks->exp_master_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_EXP_MASTER, TLS_PARENT_NEXT,
                        ks->master_secret, "Master Secret", ks->master_step,
                        "exp master", ch_sfin, ks->exporter_master_secret,
                        _("the secret of keying material exporters (RFC 8446, 7.5)"),
                        _("Keying material exporters (RFC 8446, 7.5) make an application's own "
                          "keys for this connection from this secret, each with its own label "
                          "and context."));
  return ks->exp_master_step;
}

int
tls13_derive_resumption_master (Tls13KeySchedule *ks, const Tls13Context *ch_cfin)
{
  ks->res_master_step =
    derive_secret_step (ks, TLS13_STEP_TITLE_RES_MASTER, TLS_PARENT_NEXT,
                        ks->master_secret, "Master Secret", ks->master_step,
                        "res master", ch_cfin, ks->resumption_master_secret,
                        _("the PSKs of the session tickets are made from it (RFC 8446, 4.6.1)"),
                        _("The resumption master secret covers the whole handshake, the "
                          "client's Finished included. Each NewSessionTicket turns it into "
                          "a PSK for a later connection."));
  return ks->res_master_step;
}

/* ------------------------------------------------------------------ */
/* Traffic keys, Finished, binder, resumption PSK, key update, nonce   */

int
tls13_derive_traffic_keys (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                           TlsCipherId cipher, const guint8 *secret,
                           const char *secret_name, int secret_step,
                           Tls13TrafficKeys *out)
{
  const TlsCipherInfo *info = tls_cipher_info (cipher);
  gsize hlen = tls13_hash_len (hash);
  guint8 key_info[TLS13_MAX_HKDF_LABEL], iv_info[TLS13_MAX_HKDF_LABEL];
  gsize key_info_len, iv_info_len;
  g_autofree char *title = NULL;
  g_autofree char *formula = NULL;
  TlsStep *step;

  g_assert (info->key_len <= sizeof out->key);
  out->key_len = info->key_len;
  tls13_hkdf_expand_label (hash, secret, hlen, "key", NULL, 0, out->key, out->key_len);
  tls13_hkdf_expand_label (hash, secret, hlen, "iv", NULL, 0, out->iv, TLS13_IV_LEN);

  if (trace == NULL)
    return -1;
  title = g_strdup_printf ("traffic keys from %s", secret_name);
  formula = g_strdup_printf ("write_key = HKDF-Expand-Label(%s, \"key\", \"\", key_length); "
                             "write_iv = HKDF-Expand-Label(%s, \"iv\", \"\", iv_length)",
                             secret_name, secret_name);
  step = step_begin (trace, actor, title, formula, TLS_PARENT_NEXT);
  tls_step_explain (step, "RFC 8446, 7.3", "%s",
                    _("A traffic secret is never used as a key itself: the cipher's key and "
                      "its IV are expanded from it with the labels \"key\" and \"iv\". The IV "
                      "is not sent; each record's nonce is made from it and the record's "
                      "sequence number."));
  add_hash_input (step, hash);
  tls_step_add_input (step, secret_name, secret, hlen, secret_step,
                      _("the sender's traffic secret"));
  tls_step_add_text_input (step, "cipher", info->name, -1,
                           _("decides key_length; iv_length, max(8, the AEAD's shortest "
                             "nonce), is 12 for the AEAD of every RFC 8446 cipher suite "
                             "(RFC 8446, 5.3)"));
  key_info_len = tls13_hkdf_label ("key", NULL, 0, out->key_len, key_info);
  iv_info_len = tls13_hkdf_label ("iv", NULL, 0, TLS13_IV_LEN, iv_info);
  tls_step_add_input (step, "HkdfLabel (key)", key_info, key_info_len, -1,
                      _("length, \"tls13 key\" and an empty context"));
  tls_step_add_input (step, "HkdfLabel (iv)", iv_info, iv_info_len, -1,
                      _("length, \"tls13 iv\" and an empty context"));
  tls_step_add_output (step, "write_key", out->key, out->key_len,
                       _("the AEAD key of the records this secret protects"));
  tls_step_add_output (step, "write_iv", out->iv, TLS13_IV_LEN,
                       _("XORed with the sequence number, it gives each record's nonce "
                         "(RFC 8446, 5.3)"));
  return step_end (trace, step);
}

/* One Finished-style MAC: the Finished messages and the PSK binder. */
static int
finished_step (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
               const char *title, const char *rfc, const char *explanation,
               const guint8 *base_key, const char *base_name, int base_step,
               const Tls13Context *transcript,
               guint8 *finished_key_out, guint8 *mac, const char *mac_name,
               const char *mac_note)
{
  gsize hlen = tls13_hash_len (hash);
  guint8 finished_key[TLS_MAX_HASH_LEN];
  guint8 info[TLS13_MAX_HKDF_LABEL];
  gsize info_len;
  HmacCtx ctx;
  g_autofree char *formula = NULL;
  g_autofree char *ctx_name = NULL;
  g_autofree char *ctx_note = NULL;
  TlsStep *step;

  tls13_hkdf_expand_label (hash, base_key, hlen, "finished", NULL, 0, finished_key, hlen);
  hmac_set_key_for (&ctx, hash, finished_key, hlen);
  if (hash == TLS_PRF_SHA384)
    {
      hmac_sha384_update (&ctx.sha384, hlen, transcript->hash);
      hmac_sha384_digest (&ctx.sha384, hlen, mac);
    }
  else
    {
      hmac_sha256_update (&ctx.sha256, hlen, transcript->hash);
      hmac_sha256_digest (&ctx.sha256, hlen, mac);
    }
  memset (&ctx, 0, sizeof ctx);
  if (finished_key_out != NULL)
    memcpy (finished_key_out, finished_key, hlen);

  step = step_begin (trace, actor, title, NULL, TLS_PARENT_NEXT);
  if (step == NULL)
    {
      memset (finished_key, 0, sizeof finished_key);
      return -1;
    }
  formula = g_strdup_printf ("finished_key = HKDF-Expand-Label(%s, \"finished\", \"\", "
                             "Hash.length); %s = HMAC(finished_key, Transcript-Hash(%s))",
                             base_name, mac_name, transcript->covers);
  step->formula = g_steal_pointer (&formula);
  tls_step_explain (step, rfc, "%s", explanation);
  add_hash_input (step, hash);
  tls_step_add_input (step, base_name, base_key, hlen, base_step,
                      _("the Base Key: the secret the finished_key is expanded from"));
  info_len = tls13_hkdf_label ("finished", NULL, 0, hlen, info);
  tls_step_add_input (step, "HkdfLabel", info, info_len, -1,
                      _("length, \"tls13 finished\" and an empty context"));
  ctx_name = g_strdup_printf ("Transcript-Hash(%s)", transcript->covers);
  ctx_note = g_strdup_printf (_("the hash of the handshake messages %s"), transcript->covers);
  tls_step_add_input (step, ctx_name, transcript->hash, hlen, transcript->step, ctx_note);
  tls_step_add_output (step, "finished_key", finished_key, hlen,
                       _("the HMAC key; it is never sent"));
  tls_step_add_output (step, mac_name, mac, hlen, mac_note);
  memset (finished_key, 0, sizeof finished_key);
  return step_end (trace, step);
}

/*  finished_key =
 *      HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
 *  verify_data =
 *      HMAC(finished_key,
 *           Transcript-Hash(Handshake Context,
 *                           Certificate*, CertificateVerify*))
 *                                                        (RFC 8446, 4.4.4) */
int
tls13_compute_finished (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                        gboolean from_client, const guint8 *base_key, int base_key_step,
                        const Tls13Context *transcript,
                        guint8 *finished_key, guint8 *verify_data)
{
  return finished_step (trace, actor, hash,
                        from_client ? TLS13_STEP_TITLE_CLIENT_FINISHED
                                    : TLS13_STEP_TITLE_SERVER_FINISHED,
                        "RFC 8446, 4.4.4",
                        from_client
                          ? _("The client's Finished is an HMAC over the whole handshake up to "
                              "the message before it, keyed from the client's handshake traffic "
                              "secret. It proves the client saw the same messages and holds the "
                              "keys.")
                          : _("The server's Finished is an HMAC over the handshake up to the "
                              "message before it, keyed from the server's handshake traffic "
                              "secret. It proves the server holds the keys and saw the same "
                              "messages; a changed byte anywhere gives another value."),
                        base_key,
                        from_client ? "client_handshake_traffic_secret"
                                    : "server_handshake_traffic_secret",
                        base_key_step, transcript, finished_key, verify_data,
                        "verify_data",
                        _("sent in Finished; the peer computes it too and compares"));
}

int
tls13_compute_binder (Tls13KeySchedule *ks, const Tls13Context *truncated_ch,
                      guint8 *binder)
{
  return finished_step (ks->trace, ks->actor, ks->hash, TLS13_STEP_TITLE_PSK_BINDER,
                        "RFC 8446, 4.2.11.2",
                        _("The PSK binder is computed as a Finished is, with the binder key "
                          "as the base key, over the ClientHello up to its list of binders. "
                          "It ties the PSK to this ClientHello."),
                        ks->binder_key, "binder_key", ks->binder_key_step, truncated_ch,
                        NULL, binder, "binder",
                        _("sent in the pre_shared_key extension of the ClientHello"));
}

int
tls13_derive_resumption_psk (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                             const guint8 *rms, int rms_step,
                             const guint8 *nonce, gsize nonce_len, int nonce_step,
                             guint8 *psk)
{
  gsize hlen = tls13_hash_len (hash);
  guint8 info[TLS13_MAX_HKDF_LABEL];
  gsize info_len;
  TlsStep *step;

  tls13_hkdf_expand_label (hash, rms, hlen, "resumption", nonce, nonce_len, psk, hlen);
  step = step_begin (trace, actor, TLS13_STEP_TITLE_RESUMPTION_PSK,
                     "PSK = HKDF-Expand-Label(resumption_master_secret, \"resumption\", "
                     "ticket_nonce, Hash.length)", TLS_PARENT_NEXT);
  if (step == NULL)
    return -1;
  tls_step_explain (step, "RFC 8446, 4.6.1", "%s",
                    _("Each ticket carries its own nonce, so each ticket of a connection "
                      "stands for a different PSK made from the same resumption master "
                      "secret."));
  add_hash_input (step, hash);
  tls_step_add_input (step, "resumption_master_secret", rms, hlen, rms_step,
                      _("from the connection that issued the ticket"));
  tls_step_add_input (step, "ticket_nonce", nonce, nonce_len, nonce_step,
                      _("NewSessionTicket.ticket_nonce"));
  info_len = tls13_hkdf_label ("resumption", nonce, nonce_len, hlen, info);
  tls_step_add_input (step, "HkdfLabel", info, info_len, -1,
                      _("length, \"tls13 resumption\" and the nonce as the context"));
  tls_step_add_output (step, "PSK", psk, hlen,
                       _("the pre-shared key a later ClientHello offers with this ticket"));
  return step_end (trace, step);
}

int
tls13_derive_traffic_update (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                             const guint8 *secret, int secret_step, guint8 *next)
{
  gsize hlen = tls13_hash_len (hash);
  guint8 info[TLS13_MAX_HKDF_LABEL];
  gsize info_len;
  TlsStep *step;

  tls13_hkdf_expand_label (hash, secret, hlen, "traffic upd", NULL, 0, next, hlen);
  step = step_begin (trace, actor, TLS13_STEP_TITLE_TRAFFIC_UPDATE,
                     "application_traffic_secret_N+1 = HKDF-Expand-Label("
                     "application_traffic_secret_N, \"traffic upd\", \"\", Hash.length)",
                     TLS_PARENT_NEXT);
  if (step == NULL)
    return -1;
  tls_step_explain (step, "RFC 8446, 7.2", "%s",
                    _("After a KeyUpdate the sender's next traffic secret is expanded from the "
                      "current one, and new keys are made from it; the old secret and keys "
                      "should then be deleted."));
  add_hash_input (step, hash);
  tls_step_add_input (step, "application_traffic_secret_N", secret, hlen, secret_step,
                      _("the sender's current application traffic secret"));
  info_len = tls13_hkdf_label ("traffic upd", NULL, 0, hlen, info);
  tls_step_add_input (step, "HkdfLabel", info, info_len, -1,
                      _("length, \"tls13 traffic upd\" and an empty context"));
  tls_step_add_output (step, "application_traffic_secret_N+1", next, hlen,
                       _("the sender's next application traffic secret"));
  return step_end (trace, step);
}

/*  1. The 64-bit record sequence number is encoded in network byte
 *     order and padded to the left with zeros to iv_length.
 *  2. The padded sequence number is XORed with either the static
 *     client_write_iv or server_write_iv (depending on the role).
 *                                                        (RFC 8446, 5.3) */
void
tls13_record_nonce (const guint8 iv[TLS13_IV_LEN], guint64 seq,
                    guint8 nonce[TLS13_IV_LEN])
{
  memcpy (nonce, iv, TLS13_IV_LEN);
  for (int i = 0; i < 8; i++)
    nonce[TLS13_IV_LEN - 1 - i] ^= (guint8) (seq >> (8 * i));
}

int
tls13_record_nonce_step (TlsTrace *trace, TlsActor actor,
                         const guint8 iv[TLS13_IV_LEN], int iv_step,
                         guint64 seq, guint8 nonce[TLS13_IV_LEN])
{
  guint8 padded[TLS13_IV_LEN] = { 0 };
  TlsStep *step;

  tls13_record_nonce (iv, seq, nonce);
  step = step_begin (trace, actor, TLS13_STEP_TITLE_RECORD_NONCE,
                     "nonce = write_iv XOR (sequence number, left-padded to iv_length)",
                     TLS_PARENT_NEXT);
  if (step == NULL)
    return -1;
  tls_step_explain (step, "RFC 8446, 5.3", "%s",
                    _("Each record has its own nonce without sending any of it: the record's "
                      "sequence number, padded with zeros on the left to 12 bytes, is XORed "
                      "with the write IV. Both sides count the records, so both know it."));
  for (int i = 0; i < 8; i++)
    padded[TLS13_IV_LEN - 1 - i] = (guint8) (seq >> (8 * i));
  tls_step_add_input (step, "write_iv", iv, TLS13_IV_LEN, iv_step,
                      _("from the traffic key derivation"));
  tls_step_add_input (step, "sequence number", padded, TLS13_IV_LEN, -1,
                      _("the count of records sent under these keys before this one, "
                        "64 bits in network byte order, padded to 12 bytes"));
  tls_step_add_output (step, "nonce", nonce, TLS13_IV_LEN,
                       _("the AEAD nonce of this record"));
  return step_end (trace, step);
}
