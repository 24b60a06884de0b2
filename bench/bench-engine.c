/* bench-engine.c — how fast the engine is and how much it holds.
 *
 * Measures, and asserts nothing about the numbers (the project's rule:
 * speed and memory are benchmarks, never timings in tests):
 *
 *   handshakes  full and resumed handshakes per second, our client and our
 *               server in one thread, in memory: tls_conductor_new with the
 *               "full" and "resumption" scenarios, for every suite of the
 *               table (tls_suite_all), a new seed every run, no application
 *               data.  Only the conductor's steps are timed, each step
 *               counted for the connection it belongs to (so "resumption"
 *               gives the resumed handshake alone); loading the demo PKI in
 *               tls_conductor_new is its own row.  Every run must complete
 *               with the suite asked for, and the second connection of
 *               "resumption" must be resumed, else the suite is FAILED.
 *   trace       steps and bytes (messages + records) of one handshake, the
 *               size of its JSON export, and the heap a conductor holds
 *               once its run is over (glibc's mallinfo2), per key exchange.
 *   records     MB/s (10^6 bytes of plaintext) through tls_record_seal and
 *               tls_record_open, 16 KiB records at TLS 1.2, for each cipher
 *               and MAC of the table (CBC both encrypt-then-MAC and
 *               MAC-then-encrypt).
 *   PRF         key_block derivations per second (tls_derive_key_block, no
 *               trace), and HMAC over 64 bytes, the PRF's building block.
 *   memory      the process's peak RSS (getrusage ru_maxrss).
 *
 * Rates are per second of CPU time of this process (as `openssl speed`
 * counts user time), so a busy machine slows the run but moves the
 * numbers less; each measurement is bounded by a count and by wall-clock
 * time (--count, --seconds, --op-seconds).  --tsv prints
 * "id TAB label TAB value TAB unit" lines for bench/run.sh, which puts
 * OpenSSL's numbers beside them. */
#include "config.h"

#include <glib.h>
#include <malloc.h>
#include <nettle/bignum.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tls-conductor.h"
#include "tls-kx-rsa.h"
#include "tls-prf.h"
#include "tls-record.h"
#include "tls-rng.h"
#include "tls-suites.h"
#include "tls-trace-json.h"
#include "tls-types.h"

#define RECORD_LEN TLS_MAX_FRAGMENT   /* 2^14: a full record */

typedef struct
{
  guint    hs_count;      /* handshake runs per suite and scenario */
  double   hs_seconds;
  guint    op_count;      /* records, derivations per measurement */
  double   op_seconds;
  gboolean tsv;
  char    *datadir;
  char   **suites;        /* NULL: all */
} Options;

static Options opt = { 300, 0.25, 200000, 0.2, FALSE, NULL, NULL };

/* ------------------------------------------------------------------ */
/* Clock, memory, output                                               */

/* Rates are per second of this process's CPU time (as `openssl speed`
 * counts user time), so that other work on the machine does not show in
 * them; the bounds are in wall-clock time, so that a run always ends. */
static gint64
clock_ns (clockid_t id)
{
  struct timespec ts;

  clock_gettime (id, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static gint64
cpu_ns (void)
{
  return clock_ns (CLOCK_PROCESS_CPUTIME_ID);
}

typedef struct
{
  gint64 wall;
  gint64 cpu;
} Stopwatch;

static void
stopwatch_start (Stopwatch *sw)
{
  sw->wall = clock_ns (CLOCK_MONOTONIC);
  sw->cpu = cpu_ns ();
}

static double
stopwatch_wall (const Stopwatch *sw)
{
  return (double) (clock_ns (CLOCK_MONOTONIC) - sw->wall) / 1e9;
}

static double
stopwatch_cpu (const Stopwatch *sw)
{
  return (double) (cpu_ns () - sw->cpu) / 1e9;
}

/* Bytes the allocator has handed out and not had back. */
static gsize
heap_in_use (void)
{
  struct mallinfo2 mi = mallinfo2 ();
  return mi.uordblks + mi.hblkhd;
}

static long
peak_rss_kib (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss;   /* KiB on Linux */
}

static void
section (const char *title)
{
  if (!opt.tsv)
    g_print ("\n%s\n", title);
}

/* One result.  ID is stable (bench/run.sh joins on it); LABEL is for
 * people. */
static void
emit (const char *id, const char *label, double value, int decimals, const char *unit)
{
  if (opt.tsv)
    g_print ("%s\t%s\t%.*f\t%s\n", id, label, decimals, value, unit);
  else
    g_print ("  %-72s %10.*f  %s\n", label, decimals, value, unit);
}

/* ------------------------------------------------------------------ */
/* Handshakes                                                          */

typedef struct
{
  guint  runs;
  double run_s[2];        /* time in the steps of connection 0 and 1 */
  double setup_s;         /* tls_conductor_new: demo PKI loaded */
  guint  steps[2];        /* of one run */
  gsize  bytes[2];
  gsize  json;
  gsize  heap;            /* held by a finished conductor */
} HsResult;

/* Message and record bytes the trace keeps for connection CONN. */
static void
trace_size (TlsTrace *trace, guint conn, guint *steps, gsize *bytes)
{
  *steps = 0;
  *bytes = 0;
  for (guint i = 0; i < tls_trace_len (trace); i++)
    {
      TlsStep *s = tls_trace_get (trace, i);
      if (s->connection != conn)
        continue;
      (*steps)++;
      if (s->bytes)
        *bytes += g_bytes_get_size (s->bytes);
      if (s->wire)
        *bytes += g_bytes_get_size (s->wire);
    }
}

static gboolean
check_connection (TlsConductor *c, const TlsSuite *suite, guint conn, gboolean resumed)
{
  TlsTrace *trace = tls_conductor_get_trace (c);
  g_autofree char *k_suite = g_strdup_printf ("conn%u.suite", conn);
  g_autofree char *k_resumed = g_strdup_printf ("conn%u.resumed", conn);

  if (tls_conductor_state (c) != TLS_RUN_COMPLETED)
    {
      g_printerr ("bench-engine: %s with %s failed: %s\n",
                  trace->scenario, suite->name, tls_conductor_reason (c));
      return FALSE;
    }
  if (g_strcmp0 (tls_trace_get_meta (trace, k_suite), suite->name) != 0
      || g_strcmp0 (tls_trace_get_meta (trace, k_resumed), resumed ? "yes" : "no") != 0)
    {
      g_printerr ("bench-engine: %s with %s, connection %u: suite %s, resumed %s\n",
                  trace->scenario, suite->name, conn, tls_trace_get_meta (trace, k_suite),
                  tls_trace_get_meta (trace, k_resumed));
      return FALSE;
    }
  return TRUE;
}

/* Runs SCENARIO_NAME with SUITE until opt.hs_count runs or opt.hs_seconds;
 * every step's time goes to the connection the step belongs to. */
static gboolean
bench_handshakes (const char *scenario_name, const TlsSuite *suite, HsResult *r)
{
  g_autoptr (TlsScenario) sc = tls_scenario_builtin (scenario_name);
  gboolean resumption = sc->connections == 2;
  Stopwatch sw;

  memset (r, 0, sizeof *r);
  /* One suite, the certificate its key exchange needs; a legacy suite
   * only when the server is told to accept it (as tests/test-engine.c). */
  g_array_set_size (sc->client_suites, 0);
  g_array_append_val (sc->client_suites, suite->id);
  g_array_set_size (sc->server_suites, 0);
  if (suite->legacy)
    g_array_append_val (sc->server_suites, suite->id);
  g_free (sc->server_cert);
  sc->server_cert = g_strdup (tls_scenario_cert_for_kx (suite->kx));
  g_clear_pointer (&sc->app_request, g_free);   /* handshakes only, like s_time */

  stopwatch_start (&sw);
  while (r->runs < opt.hs_count && stopwatch_wall (&sw) < opt.hs_seconds)
    {
      g_autoptr (GError) error = NULL;
      gsize heap_before = heap_in_use ();
      gint64 t0, t1, prev;
      TlsConductor *c;
      TlsTrace *trace;

      sc->seed = r->runs + 1;
      t0 = cpu_ns ();
      c = tls_conductor_new (sc, opt.datadir, &error);
      t1 = cpu_ns ();
      if (c == NULL)
        {
          g_printerr ("bench-engine: %s\n", error->message);
          return FALSE;
        }
      trace = tls_conductor_get_trace (c);
      prev = t1;
      for (guint n = 0; n < 10000; n++)
        {
          gboolean more = tls_conductor_step (c);
          gint64 t = cpu_ns ();
          TlsStep *last = tls_trace_last (trace);
          guint conn = last ? MIN (last->connection, 1) : 0;

          r->run_s[conn] += (double) (t - prev) / 1e9;
          prev = t;
          if (!more)
            break;
        }
      r->setup_s += (double) (t1 - t0) / 1e9;
      if (!check_connection (c, suite, 0, FALSE)
          || (resumption && !check_connection (c, suite, 1, TRUE)))
        {
          tls_conductor_free (c);
          return FALSE;
        }
      /* Sizes from the second run (the first also counts what is set up
         once per process), or from the first when it is the only one. */
      if (r->runs <= 1)
        {
          g_autofree char *json = NULL;
          gsize heap_after = heap_in_use ();
          r->heap = heap_after > heap_before ? heap_after - heap_before : 0;
          trace_size (trace, 0, &r->steps[0], &r->bytes[0]);
          trace_size (trace, 1, &r->steps[1], &r->bytes[1]);
          json = tls_trace_to_json (trace, &r->json);
        }
      tls_conductor_free (c);
      r->runs++;
    }
  return r->runs > 0;
}

static gboolean
selected (const TlsSuite *suite)
{
  return opt.suites == NULL || g_strv_contains ((const char *const *) opt.suites, suite->name);
}

/* A result printed later (the trace rows come after the rate table). */
typedef struct
{
  char       *id;
  char       *label;
  double      value;
  const char *unit;
} Row;

static void
row_free (Row *row)
{
  g_free (row->id);
  g_free (row->label);
  g_free (row);
}

/* Takes ID and LABEL. */
static void
row_add (GPtrArray *rows, char *id, char *label, double value, const char *unit)
{
  Row *row = g_new (Row, 1);

  row->id = id;
  row->label = label;
  row->value = value;
  row->unit = unit;
  g_ptr_array_add (rows, row);
}

/* The trace's shape depends on the key exchange, not on the cipher. */
static void
add_trace_rows (GPtrArray *rows, const TlsSuite *s, const HsResult *full, const HsResult *res)
{
  const char *kx = tls_kx_name (s->kx);

  row_add (rows, g_strdup_printf ("trace_steps_full:%s", kx),
           g_strdup_printf ("%s, full handshake: trace steps", kx), full->steps[0], "steps");
  row_add (rows, g_strdup_printf ("trace_bytes_full:%s", kx),
           g_strdup_printf ("%s, full handshake: message + record bytes", kx), full->bytes[0],
           "bytes");
  row_add (rows, g_strdup_printf ("trace_json_full:%s", kx),
           g_strdup_printf ("%s, full handshake: JSON export", kx), full->json, "bytes");
  row_add (rows, g_strdup_printf ("heap_full:%s", kx),
           g_strdup_printf ("%s, full handshake: heap the conductor holds", kx),
           full->heap / 1024.0, "KiB");
  row_add (rows, g_strdup_printf ("trace_steps_resumed:%s", kx),
           g_strdup_printf ("%s, resumed handshake: trace steps", kx), res->steps[1], "steps");
  row_add (rows, g_strdup_printf ("trace_bytes_resumed:%s", kx),
           g_strdup_printf ("%s, resumed handshake: message + record bytes", kx),
           res->bytes[1], "bytes");
}

/* Returns FALSE when a suite failed (the others are still measured). */
static gboolean
run_handshakes (void)
{
  guint n;
  const TlsSuite **all = tls_suite_all (&n);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  guint kx_done = 0;   /* a bit per key exchange whose trace is in ROWS */
  gboolean ok = TRUE;
  double setup_s = 0;
  guint setup_runs = 0;

  section ("Handshakes: our client and our server in one thread, in memory\n"
           "(per CPU second of the conductor's steps; runs: how many were timed)");
  if (!opt.tsv)
    g_print ("  %-46s %9s %6s %9s %6s\n", "suite", "full/s", "runs", "resumed/s", "runs");
  for (guint i = 0; i < n; i++)
    {
      const TlsSuite *s = all[i];
      g_autofree char *id_full = g_strdup_printf ("hs_full:%s", s->name);
      g_autofree char *id_res = g_strdup_printf ("hs_resumed:%s", s->name);
      HsResult full = { 0 }, res = { 0 };

      /* The engine does not negotiate TLS 1.3 yet (issue 16). */
      if (!selected (s) || tls_suite_is_tls13 (s))
        continue;
      if (!bench_handshakes ("full", s, &full) || !bench_handshakes ("resumption", s, &res))
        {
          ok = FALSE;
          if (opt.tsv)
            g_print ("%s\tfull handshakes, %s\tfailed\ths/s\n", id_full, s->name);
          else
            g_print ("  %-46s %9s\n", s->name + 4, "FAILED");
          continue;
        }
      setup_s += full.setup_s + res.setup_s;
      setup_runs += full.runs + res.runs;
      if (opt.tsv)
        {
          g_print ("%s\tfull handshakes, %s (%u runs)\t%.0f\ths/s\n", id_full, s->name,
                   full.runs, full.runs / full.run_s[0]);
          g_print ("%s\tresumed handshakes, %s (%u runs)\t%.0f\ths/s\n", id_res, s->name,
                   res.runs, res.runs / res.run_s[1]);
        }
      else
        g_print ("  %-46s %9.0f %6u %9.0f %6u\n", s->name + 4, full.runs / full.run_s[0],
                 full.runs, res.runs / res.run_s[1], res.runs);
      if (!(kx_done & (1u << s->kx)))
        {
          kx_done |= 1u << s->kx;
          add_trace_rows (rows, s, &full, &res);
        }
    }

  section ("Trace and memory of one handshake (the first suite of each key exchange,\n"
           "AES-128-GCM where there is one)");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      emit (row->id, row->label, row->value, 0, row->unit);
    }
  if (setup_runs > 0)
    emit ("setup", "conductor setup (tls_conductor_new, demo PKI loaded)",
          setup_s / setup_runs * 1e6, 0, "us/run");
  return ok;
}

/* ------------------------------------------------------------------ */
/* Records                                                             */

static TlsProtection *
protection (const TlsSuite *suite, gboolean etm)
{
  guint8 mac_key[TLS_MAX_MAC_KEY_LEN], key[TLS_MAX_KEY_LEN], iv[TLS_MAX_IV_LEN];

  memset (mac_key, 0x4d, sizeof mac_key);
  memset (key, 0x4b, sizeof key);
  memset (iv, 0x49, sizeof iv);
  return tls_protection_new (suite, TLS_VERSION_1_2, mac_key, key, iv, etm);
}

/* MB/s through seal and through open, for one cipher and MAC. */
static gboolean
bench_record (const char *id, const char *label, const TlsSuite *suite, gboolean etm)
{
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (1, "bench");
  g_autoptr (TlsProtection) sealer = protection (suite, etm);
  g_autoptr (TlsProtection) opener = protection (suite, etm);
  g_autoptr (GByteArray) out = g_byte_array_sized_new (RECORD_LEN + 2048 + 5);
  g_autoptr (GByteArray) plain = g_byte_array_sized_new (RECORD_LEN);
  g_autoptr (GByteArray) record = g_byte_array_new ();
  g_autofree char *id_seal = g_strdup_printf ("rec_seal:%s", id);
  g_autofree char *id_open = g_strdup_printf ("rec_open:%s", id);
  g_autofree char *l_seal = g_strdup_printf ("seal 16 KiB records, %s", label);
  g_autofree char *l_open = g_strdup_printf ("open 16 KiB records, %s", label);
  g_autofree guint8 *frag = g_malloc (RECORD_LEN);
  gboolean stream = tls_cipher_info (suite->cipher)->type == TLS_CIPHER_TYPE_STREAM;
  guint n;
  Stopwatch sw;

  for (gsize i = 0; i < RECORD_LEN; i++)
    frag[i] = (guint8) i;

  stopwatch_start (&sw);
  for (n = 0; n < opt.op_count && (n % 16 != 0 || stopwatch_wall (&sw) < opt.op_seconds); n++)
    {
      g_byte_array_set_size (out, 0);
      tls_record_seal (sealer, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2, frag,
                       RECORD_LEN, rng, out, NULL);
    }
  emit (id_seal, l_seal, (double) n * RECORD_LEN / stopwatch_cpu (&sw) / 1e6, 0, "MB/s");

  /* One record at sequence number 0, opened again and again.  A stream
   * cipher (RC4) carries its keystream from record to record, so there
   * the record is opened each time by a new protection (its key setup is
   * in the time). */
  tls_protection_set_seq (sealer, 0);
  if (stream)
    {
      g_clear_pointer (&sealer, tls_protection_free);
      sealer = protection (suite, etm);
    }
  tls_record_seal (sealer, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2, frag, RECORD_LEN,
                   rng, record, NULL);
  stopwatch_start (&sw);
  for (n = 0; n < opt.op_count && (n % 16 != 0 || stopwatch_wall (&sw) < opt.op_seconds); n++)
    {
      int alert;

      g_byte_array_set_size (plain, 0);
      if (stream)
        {
          tls_protection_free (opener);
          opener = protection (suite, etm);
        }
      else
        tls_protection_set_seq (opener, 0);
      alert = tls_record_open (opener, TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2,
                               record->data + TLS_RECORD_HEADER_LEN,
                               record->len - TLS_RECORD_HEADER_LEN, plain);
      if (alert != 0 || plain->len != RECORD_LEN || memcmp (plain->data, frag, RECORD_LEN) != 0)
        {
          g_printerr ("bench-engine: %s: a sealed record does not open (alert %d)\n",
                      label, alert);
          return FALSE;
        }
    }
  emit (id_open, l_open, (double) n * RECORD_LEN / stopwatch_cpu (&sw) / 1e6, 0, "MB/s");
  return TRUE;
}

/* Each cipher and MAC of the suite table once (the record layer does not
 * care about the key exchange); CBC both encrypt-then-MAC (RFC 7366, what
 * our endpoints and OpenSSL agree on) and MAC-then-encrypt. */
static gboolean
run_records (void)
{
  guint n;
  const TlsSuite **all = tls_suite_all (&n);
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);

  section ("Record protection, TLS 1.2, 16 KiB of plaintext a record (MB = 10^6 bytes)");
  for (guint i = 0; i < n; i++)
    {
      const TlsCipherInfo *ci = tls_cipher_info (all[i]->cipher);
      const TlsMacInfo *mi = tls_mac_info (all[i]->mac);
      gboolean block = ci->type == TLS_CIPHER_TYPE_BLOCK;
      guint key = (guint) all[i]->cipher * 16 + (guint) all[i]->mac + 1;

      if (g_hash_table_contains (seen, GUINT_TO_POINTER (key)))
        continue;
      g_hash_table_add (seen, GUINT_TO_POINTER (key));
      for (int etm = block ? 1 : 0; etm >= 0; etm--)
        {
          g_autofree char *id = g_strdup_printf ("%s:%s%s", ci->name, mi->name,
                                                 block ? (etm ? ":EtM" : ":MtE") : "");
          g_autofree char *label = g_strdup_printf ("%s%s%s%s", ci->name,
                                                    all[i]->mac == TLS_MAC_AEAD ? "" : " ",
                                                    all[i]->mac == TLS_MAC_AEAD ? "" : mi->name,
                                                    block ? (etm ? " EtM" : " MtE") : "");
          if (!bench_record (id, label, all[i], etm))
            return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* PRF                                                                 */

static void
bench_key_block (const char *id, const char *label, guint16 version, const TlsSuite *suite)
{
  guint8 master[48], cr[32], sr[32];
  TlsKeyBlock kb;
  guint n;
  Stopwatch sw;

  memset (master, 0x6d, sizeof master);
  memset (cr, 0x63, sizeof cr);
  memset (sr, 0x73, sizeof sr);
  stopwatch_start (&sw);
  for (n = 0; n < opt.op_count && (n % 64 != 0 || stopwatch_wall (&sw) < opt.op_seconds); n++)
    {
      master[0] = (guint8) n;
      tls_derive_key_block (NULL, TLS_ACTOR_CLIENT, version, suite, master, cr, sr, -1, -1, -1, &kb);
    }
  emit (id, label, n / stopwatch_cpu (&sw), 0, "/s");
}

static void
bench_hmac (const char *id, const char *label, const struct nettle_hash *hash)
{
  guint8 key[32], msg[64], out[TLS_MAX_HASH_LEN];
  TlsHmac h;
  guint n;
  Stopwatch sw;

  memset (key, 0x6b, sizeof key);
  memset (msg, 0x6d, sizeof msg);
  tls_hmac_init (&h, hash, key, sizeof key);
  stopwatch_start (&sw);
  for (n = 0; n < opt.op_count * 10 && (n % 256 != 0 || stopwatch_wall (&sw) < opt.op_seconds); n++)
    {
      tls_hmac_update (&h, msg, sizeof msg);
      tls_hmac_digest (&h, out);
      msg[0] = out[0];
    }
  emit (id, label, n / stopwatch_cpu (&sw), 0, "/s");
}

/* key_block at TLS 1.2 for each PRF hash and key block length of the
 * suite table (the cost depends on nothing else), and at TLS 1.0. */
static void
run_prf (void)
{
  guint n;
  const TlsSuite **all = tls_suite_all (&n);
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);

  section ("PRF: key_block = PRF(master_secret, \"key expansion\", randoms), no trace");
  for (int version = TLS_VERSION_1_2; version >= TLS_VERSION_1_0; version -= 2)
    for (guint i = 0; i < n; i++)
      {
        const TlsCipherInfo *ci = tls_cipher_info (all[i]->cipher);
        gsize len = 2 * (tls_mac_info (all[i]->mac)->len + ci->key_len
                         + tls_key_block_iv_len (ci, version));
        guint key = version * 4096 + (version == TLS_VERSION_1_2 ? all[i]->prf * 256 : 0) + len;
        const char *prf = version == TLS_VERSION_1_2 ? tls_prf_hash_name (all[i]->prf)
                                                     : "MD5 xor SHA-1";
        g_autofree char *id = NULL, *label = NULL;

        if (all[i]->min_version > version || g_hash_table_contains (seen, GUINT_TO_POINTER (key)))
          continue;
        g_hash_table_add (seen, GUINT_TO_POINTER (key));
        id = g_strdup_printf ("prf:%s:%s:%zu", version == TLS_VERSION_1_2 ? "1.2" : "1.0",
                              prf, len);
        label = g_strdup_printf ("key_block, TLS 1.%d %s, %zu bytes (%s%s%s)",
                                 version == TLS_VERSION_1_2 ? 2 : 0, prf, len, ci->name,
                                 all[i]->mac == TLS_MAC_AEAD ? "" : " ",
                                 all[i]->mac == TLS_MAC_AEAD ? ""
                                 : tls_mac_info (all[i]->mac)->name);
        bench_key_block (id, label, (guint16) version, all[i]);
      }
  bench_hmac ("hmac64:SHA-256", "HMAC-SHA256 over 64 bytes (a step of P_SHA256)", &nettle_sha256);
  bench_hmac ("hmac64:SHA-384", "HMAC-SHA384 over 64 bytes (a step of P_SHA384)", &nettle_sha384);
  bench_hmac ("hmac64:SHA-1", "HMAC-SHA1 over 64 bytes (a step of the TLS 1.0 PRF)", &nettle_sha1);
}

/* ------------------------------------------------------------------ */
/* RSA private key: the server's one private-key operation per full RSA
 * handshake, against Nettle's own rsa_decrypt_tr                      */

static void
run_rsa (void)
{
  g_autofree char *path = g_build_filename (opt.datadir, "pki", "server-rsa.key", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlsPrivateKey) key = tls_private_key_load_file (path, &error);
  g_autoptr (TlsRng) rng = tls_rng_new_seeded (1, "bench rsa");
  g_autoptr (GBytes) enc = NULL;
  guint8 pms[48], out[48], buf[1024];
  mpz_t c;
  guint n;
  Stopwatch sw;

  if (key == NULL)
    {
      g_printerr ("bench-engine: %s\n", error->message);
      return;
    }
  section ("RSA private key (server-rsa.key, 2048 bits): one EncryptedPreMasterSecret");
  memset (pms, 0x03, sizeof pms);
  tls_rsa_encrypt_premaster (&key->pub->rsa, rng, pms, &enc);
  mpz_init (c);
  nettle_mpz_set_str_256_u (c, g_bytes_get_size (enc), g_bytes_get_data (enc, NULL));
  stopwatch_start (&sw);
  for (n = 0; n < opt.op_count && (n % 8 != 0 || stopwatch_wall (&sw) < opt.op_seconds); n++)
    {
      size_t len = sizeof buf;
      rsa_decrypt_tr (&key->pub->rsa, &key->rsa, rng, tls_rng_nettle, &len, buf, c);
    }
  emit ("rsa_decrypt_tr", "Nettle rsa_decrypt_tr (blinded RSADP + PKCS#1 v1.5)", n / stopwatch_cpu (&sw), 0, "/s");
  stopwatch_start (&sw);
  for (n = 0; n < opt.op_count && (n % 8 != 0 || stopwatch_wall (&sw) < opt.op_seconds); n++)
    {
      TlsRsaDecryptResult res;
      tls_rsa_decrypt_premaster (key, rng, g_bytes_get_data (enc, NULL), g_bytes_get_size (enc),
                                 0x0303, out, &res);
    }
  emit ("rsa_premaster", "ours: tls_rsa_decrypt_premaster with the trace's analysis", n / stopwatch_cpu (&sw), 0, "/s");
  mpz_clear (c);
}

/* ------------------------------------------------------------------ */

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  gboolean quick = FALSE, ok;
  long rss_start;
  int hs_count = (int) opt.hs_count;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &hs_count,
      "At most N handshake runs per suite and scenario (default 300)", "N" },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &opt.hs_seconds,
      "At most S seconds per suite and scenario (default 0.25)", "S" },
    { "op-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &opt.op_seconds,
      "At most S seconds per record or PRF measurement (default 0.2)", "S" },
    { "suite", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.suites,
      "Only this suite's handshakes (IANA name; may be repeated; default: every suite)", "NAME" },
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick,
      "A few runs of everything (checks that the benchmark works)", NULL },
    { "tsv", 0, 0, G_OPTION_ARG_NONE, &opt.tsv,
      "id<TAB>label<TAB>value<TAB>unit lines, for bench/run.sh", NULL },
    { "datadir", 'd', 0, G_OPTION_ARG_FILENAME, &opt.datadir,
      "The data directory with pki/ (default: $HANDSHAKE_LAB_DATADIR, else the source tree's)",
      "DIR" },
    { NULL }
  };

  ctx = g_option_context_new ("— Handshake Lab engine benchmark");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("bench-engine: %s\n", error->message);
      return 2;
    }
  if (hs_count <= 0 || opt.hs_seconds <= 0 || opt.op_seconds <= 0)
    {
      g_printerr ("bench-engine: --count, --seconds and --op-seconds must be positive\n");
      return 2;
    }
  for (char **s = opt.suites; s && *s; s++)
    if (tls_suite_by_name (*s) == NULL)
      {
        g_printerr ("bench-engine: unknown suite %s\n", *s);
        return 2;
      }
  opt.hs_count = (guint) hs_count;
  if (quick)
    {
      opt.hs_count = 3;
      opt.op_count = 16;
    }
  if (opt.datadir == NULL)
    opt.datadir = g_strdup (g_getenv ("HANDSHAKE_LAB_DATADIR") ? g_getenv ("HANDSHAKE_LAB_DATADIR")
                            : SOURCE_DATADIR);

  rss_start = peak_rss_kib ();
  if (!opt.tsv)
    g_print ("Handshake Lab engine benchmark: at most %u runs or %.2f s per suite and scenario, "
             "%.2f s per record or PRF row\n", opt.hs_count, opt.hs_seconds, opt.op_seconds);
  ok = run_handshakes ();
  section ("Memory of this process");
  emit ("rss_start", "peak RSS before the handshakes", rss_start, 0, "KiB");
  emit ("rss_hs", "peak RSS after all the handshakes", peak_rss_kib (), 0, "KiB");
  ok = run_records () && ok;
  run_prf ();
  run_rsa ();
  g_free (opt.datadir);
  g_strfreev (opt.suites);
  return ok ? 0 : 1;
}
