/* tls13-key-schedule.h — the TLS 1.3 key schedule (RFC 8446, 7).
 *
 *  HKDF-Extract(salt, IKM) and HKDF-Expand(PRK, info, L) are those of
 *  RFC 5869, with the cipher suite's hash (Nettle's nettle/hkdf.h);
 *
 *      HKDF-Expand-Label(Secret, Label, Context, Length) =
 *           HKDF-Expand(Secret, HkdfLabel, Length)
 *
 *      struct {
 *          uint16 length = Length;
 *          opaque label<7..255> = "tls13 " + Label;
 *          opaque context<0..255> = Context;
 *      } HkdfLabel;
 *
 *      Derive-Secret(Secret, Label, Messages) =
 *           HKDF-Expand-Label(Secret, Label,
 *                             Transcript-Hash(Messages), Hash.length)
 *                                                        (RFC 8446, 7.1)
 *
 *             0
 *             |
 *             v
 *   PSK ->  HKDF-Extract = Early Secret
 *             +-----> Derive-Secret(., "ext binder" | "res binder", "") = binder_key
 *             +-----> Derive-Secret(., "c e traffic", ClientHello)
 *             +-----> Derive-Secret(., "e exp master", ClientHello)
 *             v
 *       Derive-Secret(., "derived", "")
 *             v
 *   (EC)DHE -> HKDF-Extract = Handshake Secret
 *             +-----> Derive-Secret(., "c hs traffic", ClientHello...ServerHello)
 *             +-----> Derive-Secret(., "s hs traffic", ClientHello...ServerHello)
 *             v
 *       Derive-Secret(., "derived", "")
 *             v
 *   0 -> HKDF-Extract = Master Secret
 *             +-----> Derive-Secret(., "c ap traffic", ClientHello...server Finished)
 *             +-----> Derive-Secret(., "s ap traffic", ClientHello...server Finished)
 *             +-----> Derive-Secret(., "exp master", ClientHello...server Finished)
 *             +-----> Derive-Secret(., "res master", ClientHello...client Finished)
 *
 * A Tls13KeySchedule walks down that diagram for one connection and one
 * side.  Every function computes its values and, when the schedule has a
 * trace, adds one derivation step with the formula, the labelled inputs
 * (each with the step it came from), the HkdfLabel bytes (RFC 8448 calls
 * them "info") and the outputs, the way tls-prf.h does for TLS 1.2.  A
 * Derive-Secret over messages names its context: the transcript hash, the
 * step that computed it, and the messages it covers. */
#pragma once

#include <glib.h>

#include "tls-prf.h"
#include "tls-suites.h"
#include "tls-trace.h"

G_BEGIN_DECLS

/* Titles of the derivation steps (protocol identifiers, not translated),
 * for tls_trace_find(). */
#define TLS13_STEP_TITLE_EARLY_SECRET      "Early Secret"
#define TLS13_STEP_TITLE_BINDER_KEY        "binder_key"
#define TLS13_STEP_TITLE_C_E_TRAFFIC       "client_early_traffic_secret"
#define TLS13_STEP_TITLE_E_EXP_MASTER      "early_exporter_master_secret"
#define TLS13_STEP_TITLE_DERIVED_HS        "derived (for the Handshake Secret)"
#define TLS13_STEP_TITLE_HANDSHAKE_SECRET  "Handshake Secret"
#define TLS13_STEP_TITLE_C_HS_TRAFFIC      "client_handshake_traffic_secret"
#define TLS13_STEP_TITLE_S_HS_TRAFFIC      "server_handshake_traffic_secret"
#define TLS13_STEP_TITLE_DERIVED_MASTER    "derived (for the Master Secret)"
#define TLS13_STEP_TITLE_MASTER_SECRET     "Master Secret"
#define TLS13_STEP_TITLE_C_AP_TRAFFIC      "client_application_traffic_secret_0"
#define TLS13_STEP_TITLE_S_AP_TRAFFIC      "server_application_traffic_secret_0"
#define TLS13_STEP_TITLE_EXP_MASTER        "exporter_master_secret"
#define TLS13_STEP_TITLE_RES_MASTER        "resumption_master_secret"
#define TLS13_STEP_TITLE_TRANSCRIPT_HASH   "Transcript-Hash"
#define TLS13_STEP_TITLE_MESSAGE_HASH      "message_hash"
#define TLS13_STEP_TITLE_CLIENT_FINISHED   "client Finished (TLS 1.3)"
#define TLS13_STEP_TITLE_SERVER_FINISHED   "server Finished (TLS 1.3)"
#define TLS13_STEP_TITLE_PSK_BINDER        "PSK binder"
#define TLS13_STEP_TITLE_RESUMPTION_PSK    "resumption PSK"
#define TLS13_STEP_TITLE_TRAFFIC_UPDATE    "application_traffic_secret_N+1"
#define TLS13_STEP_TITLE_RECORD_NONCE      "per-record nonce"

/* The longest HkdfLabel: 2 + 1 + 255 + 1 + 255. */
#define TLS13_MAX_HKDF_LABEL 514
/* The per-record nonce: max(8 bytes, N_MIN) = 12 for every TLS 1.3 AEAD
 * (RFC 8446, 5.3). */
#define TLS13_IV_LEN 12

/* ------------------------------------------------------------------ */
/* HKDF                                                                */

/* The length of HASH's output (Hash.length): 32 or 48. */
gsize tls13_hash_len (TlsPrfHash hash);

/* HKDF-Extract(SALT, IKM) = HMAC-Hash(SALT, IKM) (RFC 5869, 2.2): PRK
 * gets tls13_hash_len (HASH) bytes.  A NULL SALT is Hash.length zeros. */
void  tls13_hkdf_extract (TlsPrfHash hash,
                          const guint8 *salt, gsize salt_len,
                          const guint8 *ikm, gsize ikm_len,
                          guint8 *prk);

/* HKDF-Expand(PRK, INFO, OUT_LEN) (RFC 5869, 2.3); OUT_LEN <= 255 *
 * Hash.length. */
void  tls13_hkdf_expand  (TlsPrfHash hash,
                          const guint8 *prk, gsize prk_len,
                          const guint8 *info, gsize info_len,
                          guint8 *out, gsize out_len);

/* The HkdfLabel of LABEL (without "tls13 "), CONTEXT and LENGTH, written
 * to INFO (TLS13_MAX_HKDF_LABEL bytes); returns its length. */
gsize tls13_hkdf_label   (const char *label,
                          const guint8 *context, gsize context_len,
                          guint16 length, guint8 *info);

/* HKDF-Expand-Label(SECRET, LABEL, CONTEXT, OUT_LEN) (RFC 8446, 7.1). */
void  tls13_hkdf_expand_label (TlsPrfHash hash,
                               const guint8 *secret, gsize secret_len,
                               const char *label,
                               const guint8 *context, gsize context_len,
                               guint8 *out, gsize out_len);

/* ------------------------------------------------------------------ */
/* The transcript hash                                                 */

/* Transcript-Hash(M1, M2, ... Mn) = Hash(M1 || M2 || ... || Mn)
 * (RFC 8446, 4.4.1) over everything TR holds, written to OUT
 * (TLS_MAX_HASH_LEN).  With a TRACE, adds a derivation step whose input
 * is the messages' bytes (COVERS names them: "ClientHello...ServerHello")
 * and whose output is the hash.  Returns the step index, or -1. */
int   tls13_transcript_hash (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                             const TlsTranscript *tr, const char *covers,
                             guint8 *out);

/* After a HelloRetryRequest (RFC 8446, 4.4.1): ClientHello1, the first
 * CH1_LEN bytes of TR, is replaced in TR by the synthetic handshake
 * message
 *     message_hash (254) || 00 00 Hash.length || Hash(ClientHello1)
 * and what followed it in TR (the HelloRetryRequest) stays after it.
 * With a TRACE, adds a derivation step titled
 * TLS13_STEP_TITLE_MESSAGE_HASH (input ClientHello1 from CH1_STEP, output
 * the message) grouped under PARENT.  Returns the step index, or -1. */
int   tls13_message_hash (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                          TlsTranscript *tr, gsize ch1_len, int ch1_step, int parent);

/* ------------------------------------------------------------------ */
/* The key schedule of one connection, seen by one side                */

/* A transcript hash given as the context of a Derive-Secret: the hash,
 * the step that computed it (-1 when none) and the messages it covers. */
typedef struct
{
  const guint8 *hash;       /* Hash.length bytes */
  int           step;
  const char   *covers;     /* "ClientHello...ServerHello" */
} Tls13Context;

typedef struct
{
  TlsTrace  *trace;         /* NULL: compute only */
  TlsActor   actor;
  TlsPrfHash hash;
  gsize      hash_len;
  gboolean   with_psk;      /* the Early Secret was extracted from a PSK */

  guint8 early_secret[TLS_MAX_HASH_LEN];                 int early_step;
  guint8 binder_key[TLS_MAX_HASH_LEN];                   int binder_key_step;
  guint8 client_early_traffic_secret[TLS_MAX_HASH_LEN];  int c_e_traffic_step;
  guint8 early_exporter_master_secret[TLS_MAX_HASH_LEN]; int e_exp_master_step;
  guint8 handshake_secret[TLS_MAX_HASH_LEN];             int handshake_step;
  guint8 client_handshake_traffic_secret[TLS_MAX_HASH_LEN]; int c_hs_traffic_step;
  guint8 server_handshake_traffic_secret[TLS_MAX_HASH_LEN]; int s_hs_traffic_step;
  guint8 master_secret[TLS_MAX_HASH_LEN];                int master_step;
  guint8 client_application_traffic_secret[TLS_MAX_HASH_LEN]; int c_ap_traffic_step;
  guint8 server_application_traffic_secret[TLS_MAX_HASH_LEN]; int s_ap_traffic_step;
  guint8 exporter_master_secret[TLS_MAX_HASH_LEN];       int exp_master_step;
  guint8 resumption_master_secret[TLS_MAX_HASH_LEN];     int res_master_step;
} Tls13KeySchedule;

void  tls13_key_schedule_init  (Tls13KeySchedule *ks, TlsTrace *trace,
                                TlsActor actor, TlsPrfHash hash);
/* Wipes every secret. */
void  tls13_key_schedule_clear (Tls13KeySchedule *ks);

/* Early Secret = HKDF-Extract(0, PSK); a NULL PSK is Hash.length zeros
 * (no PSK: "Early Secret will still be HKDF-Extract(0, 0)", 7.1).
 * PSK_STEP: where the PSK came from (-1). */
int   tls13_derive_early_secret (Tls13KeySchedule *ks,
                                 const guint8 *psk, gsize psk_len, int psk_step);
/* binder_key = Derive-Secret(Early Secret, "res binder" (RESUMPTION) or
 * "ext binder", "") */
int   tls13_derive_binder_key   (Tls13KeySchedule *ks, gboolean resumption);
/* client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic",
 * ClientHello) and early_exporter_master_secret (label "e exp master"):
 * two steps; returns the second. */
int   tls13_derive_early_traffic (Tls13KeySchedule *ks, const Tls13Context *ch);
/* Derive-Secret(Early Secret, "derived", "") then
 * Handshake Secret = HKDF-Extract(derived, (EC)DHE): two steps; returns
 * the second.  A NULL SHARED is Hash.length zeros (psk_ke). */
int   tls13_derive_handshake_secret (Tls13KeySchedule *ks,
                                     const guint8 *shared, gsize shared_len,
                                     int shared_step);
/* client_/server_handshake_traffic_secret over ClientHello...ServerHello:
 * two steps; returns the second. */
int   tls13_derive_handshake_traffic (Tls13KeySchedule *ks, const Tls13Context *ch_sh);
/* Derive-Secret(Handshake Secret, "derived", "") then
 * Master Secret = HKDF-Extract(derived, 0): two steps; returns the second. */
int   tls13_derive_master_secret (Tls13KeySchedule *ks);
/* client_/server_application_traffic_secret_0 and exporter_master_secret
 * over ClientHello...server Finished: three steps; returns the last. */
int   tls13_derive_application_traffic (Tls13KeySchedule *ks, const Tls13Context *ch_sfin);
/* resumption_master_secret over ClientHello...client Finished. */
int   tls13_derive_resumption_master (Tls13KeySchedule *ks, const Tls13Context *ch_cfin);

/* ------------------------------------------------------------------ */
/* What is made from a traffic secret                                  */

typedef struct
{
  guint8 key[32];
  gsize  key_len;
  guint8 iv[TLS13_IV_LEN];
} Tls13TrafficKeys;

/* [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
 * [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
 *                                                        (RFC 8446, 7.3)
 * SECRET_NAME names the secret ("server_handshake_traffic_secret");
 * CIPHER gives key_length.  One step with both outputs. */
int   tls13_derive_traffic_keys (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                                 TlsCipherId cipher,
                                 const guint8 *secret, const char *secret_name,
                                 int secret_step, Tls13TrafficKeys *out);

/* finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
 * verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context,
 *                    Certificate*, CertificateVerify*))   (RFC 8446, 4.4.4)
 * BASE_KEY is the sender's handshake traffic secret.  FINISHED_KEY (may be
 * NULL) and VERIFY_DATA get Hash.length bytes.  One step. */
int   tls13_compute_finished (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                              gboolean from_client,
                              const guint8 *base_key, int base_key_step,
                              const Tls13Context *transcript,
                              guint8 *finished_key, guint8 *verify_data);

/* The PSK binder: computed as a Finished is, with the binder_key as the
 * base key, over the transcript hash of the truncated ClientHello
 * (RFC 8446, 4.2.11.2).  One step. */
int   tls13_compute_binder (Tls13KeySchedule *ks,
                            const Tls13Context *truncated_ch, guint8 *binder);

/* PSK = HKDF-Expand-Label(resumption_master_secret, "resumption",
 *                         ticket_nonce, Hash.length)     (RFC 8446, 4.6.1)
 * RMS_STEP: where the resumption master secret came from; NONCE_STEP: the
 * NewSessionTicket that carried the nonce. */
int   tls13_derive_resumption_psk (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                                   const guint8 *rms, int rms_step,
                                   const guint8 *nonce, gsize nonce_len,
                                   int nonce_step, guint8 *psk);

/* application_traffic_secret_N+1 =
 *     HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "",
 *                       Hash.length)                       (RFC 8446, 7.2) */
int   tls13_derive_traffic_update (TlsTrace *trace, TlsActor actor, TlsPrfHash hash,
                                   const guint8 *secret, int secret_step,
                                   guint8 *next);

/* The per-record nonce (RFC 8446, 5.3): the 64-bit record sequence number
 * in network byte order, left-padded with zeros to iv_length, XORed with
 * the static write_iv.  With a TRACE, one step (its parent the next
 * top-level step of ACTOR: the record it protects). */
void  tls13_record_nonce (const guint8 iv[TLS13_IV_LEN], guint64 seq,
                          guint8 nonce[TLS13_IV_LEN]);
int   tls13_record_nonce_step (TlsTrace *trace, TlsActor actor,
                               const guint8 iv[TLS13_IV_LEN], int iv_step,
                               guint64 seq, guint8 nonce[TLS13_IV_LEN]);

G_END_DECLS
