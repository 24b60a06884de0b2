#!/usr/bin/env bash
# bench/run.sh [BUILD_DIR] - Handshake Lab side by side with OpenSSL, in one run.
#
# Builds nothing: BUILD_DIR (default build/) must hold bench/bench-engine
# and, for the serve rows, app/handshake-lab (ninja -C BUILD_DIR first).
# Prints one table: our number, OpenSSL's number measured in this same run,
# the unit.  Only 127.0.0.1; every server is started here and stopped here
# (by its PID, also on Ctrl+C); every measurement is bounded in time.
# Takes about a minute and a half.  Nothing here asserts anything about the
# numbers.
#
# Environment:
#   BENCH_SUITES   IANA names of the suites timed with openssl s_time
#                  (default: the five RSA suites, ECDHE-RSA, ECDHE-ECDSA
#                  and DHE-RSA with AES-128-GCM)
#   BENCH_TSV      also write the rows, tab-separated, to this file
set -u

BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PKI=$SRC/data/pki
ENGINE=$BUILD/bench/bench-engine
HL=$BUILD/app/handshake-lab
OPENSSL=${OPENSSL:-openssl}
STIME_SECONDS=1           # s_time -time; each run lasts 1 to 1.2 s (see stime)
SPEED_SECONDS=1           # openssl speed -seconds
BENCH_SUITES=${BENCH_SUITES:-"TLS_RSA_WITH_AES_128_GCM_SHA256 TLS_RSA_WITH_AES_256_GCM_SHA384
  TLS_RSA_WITH_AES_128_CBC_SHA256 TLS_RSA_WITH_AES_128_CBC_SHA TLS_RSA_WITH_AES_256_CBC_SHA
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"}

if [ ! -x "$ENGINE" ]; then
  echo "run.sh: $ENGINE not found: run 'meson setup $BUILD && ninja -C $BUILD' first" >&2
  exit 2
fi
if ! command -v "$OPENSSL" >/dev/null; then
  echo "run.sh: no openssl command" >&2
  exit 2
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hl-bench.XXXXXX")
SERVER_PID=
stop_server () {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    # bounded: 3 s, then KILL
    for _ in $(seq 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
  fi
}
cleanup () { stop_server; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

CLK_TCK=$(getconf CLK_TCK)
declare -A OURS LABEL UNIT SSL       # engine results, by id; OpenSSL results, by key
ROWS=$TMP/rows.tsv                   # label, ours, openssl, unit, what OpenSSL ran
: > "$ROWS"

row () { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$ROWS"; }
section () { printf '#\t%s\t\t\t\n' "$1" >> "$ROWS"; }
note () { echo "run.sh: $*" >&2; }

# ---------------------------------------------------------------- engine
note "engine (bench-engine, in memory) ..."
if ! "$ENGINE" --tsv --seconds 0.15 --op-seconds 0.15 > "$TMP/engine.tsv" 2> "$TMP/engine.err"; then
  note "bench-engine reported a failure:"
  sed 's/^/  /' "$TMP/engine.err" >&2
fi
while IFS=$'\t' read -r id label value unit; do
  OURS[$id]=$value
  LABEL[$id]=$label
  UNIT[$id]=$unit
done < "$TMP/engine.tsv"

# ---------------------------------------------------------------- helpers
ossl_name () {   # IANA name -> OpenSSL name
  case $1 in
    TLS_RSA_WITH_AES_128_GCM_SHA256) echo AES128-GCM-SHA256 ;;
    TLS_RSA_WITH_AES_256_GCM_SHA384) echo AES256-GCM-SHA384 ;;
    TLS_RSA_WITH_AES_128_CBC_SHA256) echo AES128-SHA256 ;;
    TLS_RSA_WITH_AES_256_CBC_SHA256) echo AES256-SHA256 ;;
    TLS_RSA_WITH_AES_128_CBC_SHA)    echo AES128-SHA ;;
    TLS_RSA_WITH_AES_256_CBC_SHA)    echo AES256-SHA ;;
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)   echo ECDHE-RSA-AES128-GCM-SHA256 ;;
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)   echo ECDHE-RSA-AES256-GCM-SHA384 ;;
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256) echo ECDHE-RSA-CHACHA20-POLY1305 ;;
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256) echo ECDHE-ECDSA-AES128-GCM-SHA256 ;;
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384) echo ECDHE-ECDSA-AES256-GCM-SHA384 ;;
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256) echo ECDHE-ECDSA-CHACHA20-POLY1305 ;;
    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)     echo DHE-RSA-AES128-GCM-SHA256 ;;
    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384)     echo DHE-RSA-AES256-GCM-SHA384 ;;
    *) return 1 ;;
  esac
}

now_ns () { date +%s%N; }
cpu_ticks () { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
peak_rss () { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
div () { awk -v a="$1" -v b="$2" -v d="${3:-0}" 'BEGIN { if (b > 0) printf "%.*f", d, a / b; else print "n/a" }'; }

# Waits (at most 5 s) for "PATTERN<port>" in FILE; prints the port.
wait_port () {
  local file=$1 pattern=$2 port
  for _ in $(seq 50); do
    port=$(sed -n "s/^${pattern}[0-9.]*:\([0-9][0-9]*\).*/\1/p" "$file" | head -1)
    if [ -n "$port" ]; then echo "$port"; return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# s_time's loop ends when time(NULL) passes start + -time, whole seconds:
# started just before a second turns, a run lasts STIME_SECONDS + ~0.1 s.
second_edge () {
  local ns
  ns=$((10#$(date +%N)))
  if [ "$ns" -lt 880000000 ]; then
    sleep "0.$(printf '%09d' $((880000000 - ns)))"
  fi
}

# stime PORT MODE CIPHER -> "handshakes wall_seconds server_cpu_seconds"
stime () {
  local port=$1 mode=$2 cipher=$3 t0 t1 c0 c1 out n
  second_edge
  c0=$(cpu_ticks "$SERVER_PID")
  t0=$(now_ns)
  out=$(timeout $((STIME_SECONDS + 10)) "$OPENSSL" s_time -connect "127.0.0.1:$port" "$mode" \
          -time "$STIME_SECONDS" -cipher "$cipher" -tls1_2 2>&1)
  t1=$(now_ns)
  c1=$(cpu_ticks "$SERVER_PID")
  n=$(printf '%s\n' "$out" | sed -n 's/^\([0-9][0-9]*\) connections in [0-9]* real seconds.*/\1/p' | tail -1)
  echo "${n:-0} $(div $((t1 - t0)) 1e9 3) $(div $((c1 - c0)) "$CLK_TCK" 2)"
}

# measure SERVER_KIND IANA: runs s_time -new and -reuse against the
# server just started; sets SSL[kind:full:suite] etc.
measure () {
  local kind=$1 suite=$2 port=$3 cipher r n wall cpu
  cipher=$(ossl_name "$suite")
  for mode in -new -reuse; do
    r=$(stime "$port" "$mode" "$cipher")
    read -r n wall cpu <<< "$r"
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      note "$kind died during s_time $mode with $cipher"
      for m in -new -reuse; do
        SSL[$kind:$m:$suite]=${SSL[$kind:$m:$suite]:-died}
        SSL[$kind:cpu$m:$suite]=${SSL[$kind:cpu$m:$suite]:-died}
      done
      return 1
    fi
    if [ "$n" -gt 0 ]; then
      SSL[$kind:$mode:$suite]=$(div "$n" "$wall")
      SSL[$kind:cpu$mode:$suite]=$(div "$n" "$cpu")
    else
      note "$kind: no handshake completed with s_time $mode, $cipher"
      SSL[$kind:$mode:$suite]=failed
      SSL[$kind:cpu$mode:$suite]=failed
    fi
  done
  SSL[$kind:rss:$suite]=$(peak_rss "$SERVER_PID")
}

# ---------------------------------------------------------------- OpenSSL s_server
note "openssl s_server + s_time ..."
for suite in $BENCH_SUITES; do
  ossl_name "$suite" >/dev/null || { note "no OpenSSL name for $suite"; continue; }
  # One server with both an RSA and an ECDSA certificate; session IDs (no
  # tickets), as our "resumption" scenario; -www so it never reads stdin.
  "$OPENSSL" s_server -accept 127.0.0.1:0 -tls1_2 -no_ticket -www \
    -cert "$PKI/server-rsa-chain.pem" -key "$PKI/server-rsa.key" \
    -dcert "$PKI/server-ecdsa-chain.pem" -dkey "$PKI/server-ecdsa.key" \
    < /dev/null > "$TMP/s_server.log" 2>&1 &
  SERVER_PID=$!
  if port=$(wait_port "$TMP/s_server.log" "ACCEPT "); then
    measure s_server "$suite" "$port"
  else
    note "s_server did not start:"; sed 's/^/  /' "$TMP/s_server.log" >&2
  fi
  stop_server
done

# ---------------------------------------------------------------- our serve
if [ -x "$HL" ]; then
  note "handshake-lab serve + s_time ..."
  for suite in $BENCH_SUITES; do
    ossl_name "$suite" >/dev/null || continue
    case $suite in
      *_ECDSA_*) cert=server-ecdsa ;;
      *) cert=server-rsa ;;
    esac
    # --count bounds the server too (s_time makes fewer connections).
    HANDSHAKE_LAB_DATADIR=$SRC/data "$HL" serve --listen 127.0.0.1:0 --quiet --count 100000 \
      --cert "$PKI/$cert-chain.pem" --key "$PKI/$cert.key" --suite "$suite" \
      < /dev/null > "$TMP/serve.out" 2> "$TMP/serve.log" &
    SERVER_PID=$!
    if port=$(wait_port "$TMP/serve.log" "Listening on "); then
      measure serve "$suite" "$port"
    else
      note "handshake-lab serve did not start:"; sed 's/^/  /' "$TMP/serve.log" >&2
      SSL[serve:-new:$suite]=failed
    fi
    stop_server
    # What our server said about the first handshake that did not complete.
    grep -m1 -v "completed" "$TMP/serve.out" | sed 's/^/  serve: /' >&2
  done
else
  note "$HL not built: no serve rows"
fi

# ---------------------------------------------------------------- openssl speed
# speed_bps ARGS... -> bytes per second (user time, as `openssl speed` counts)
speed_bps () {
  "$OPENSSL" speed -mr -seconds "$SPEED_SECONDS" "$@" 2>/dev/null | awk -F: '/^\+F:/ { print $4; exit }'
}
LEGACY="-provider legacy -provider default"

note "openssl speed ..."
declare -A SPEED
for c in aes-128-gcm aes-256-gcm chacha20-poly1305 aes-128-cbc-hmac-sha256 \
         aes-256-cbc-hmac-sha256 aes-128-cbc-hmac-sha1 aes-256-cbc-hmac-sha1 \
         aes-256-cbc des-ede3-cbc; do
  SPEED[$c:enc]=$(speed_bps -bytes 16384 -evp "$c")
  SPEED[$c:dec]=$(speed_bps -bytes 16384 -evp "$c" -decrypt)
done
# RC4 is symmetric: one run serves both directions.
# shellcheck disable=SC2086
SPEED[rc4:enc]=$(speed_bps $LEGACY -bytes 16384 -evp rc4)
SPEED[rc4:dec]=${SPEED[rc4:enc]}
# shellcheck disable=SC2086
SPEED[rc4-hmac-md5:enc]=$(speed_bps $LEGACY -bytes 16384 -evp rc4-hmac-md5)
SPEED[rc4-hmac-md5:dec]=${SPEED[rc4-hmac-md5:enc]}
for h in sha1 sha384; do
  SPEED[hmac-$h:16k]=$(speed_bps -bytes 16384 -hmac "$h")
done
for h in sha256 sha384 sha1; do
  SPEED[hmac-$h:64]=$(speed_bps -bytes 64 -hmac "$h")
done

mbs () { [ -n "${1:-}" ] && div "$1" 1e6 || echo "n/a"; }
# A cipher and a MAC run one after the other: 1 / (1/a + 1/b).
serial () {
  if [ -n "${1:-}" ] && [ -n "${2:-}" ]; then
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", 1 / (1 / a + 1 / b) / 1e6 }'
  else
    echo "n/a"
  fi
}

# ossl_record ID DIR -> MB/s and what was run
ossl_record () {
  local dir=$2
  case $1 in
    AES-128-GCM:AEAD) echo "$(mbs "${SPEED[aes-128-gcm:$dir]}")|aes-128-gcm" ;;
    AES-256-GCM:AEAD) echo "$(mbs "${SPEED[aes-256-gcm:$dir]}")|aes-256-gcm" ;;
    ChaCha20-Poly1305:AEAD) echo "$(mbs "${SPEED[chacha20-poly1305:$dir]}")|chacha20-poly1305" ;;
    AES-128-CBC:HMAC-SHA256:*) echo "$(mbs "${SPEED[aes-128-cbc-hmac-sha256:$dir]}")|aes-128-cbc-hmac-sha256 (stitched)" ;;
    AES-256-CBC:HMAC-SHA256:*) echo "$(mbs "${SPEED[aes-256-cbc-hmac-sha256:$dir]}")|aes-256-cbc-hmac-sha256 (stitched)" ;;
    AES-128-CBC:HMAC-SHA1:*) echo "$(mbs "${SPEED[aes-128-cbc-hmac-sha1:$dir]}")|aes-128-cbc-hmac-sha1 (stitched)" ;;
    AES-256-CBC:HMAC-SHA1:*) echo "$(mbs "${SPEED[aes-256-cbc-hmac-sha1:$dir]}")|aes-256-cbc-hmac-sha1 (stitched)" ;;
    AES-256-CBC:HMAC-SHA384:*) echo "$(serial "${SPEED[aes-256-cbc:$dir]}" "${SPEED[hmac-sha384:16k]}")|aes-256-cbc + hmac sha384, serial" ;;
    3DES-EDE-CBC:HMAC-SHA1:*) echo "$(serial "${SPEED[des-ede3-cbc:$dir]}" "${SPEED[hmac-sha1:16k]}")|des-ede3-cbc + hmac sha1, serial" ;;
    RC4-128:HMAC-SHA1) echo "$(serial "${SPEED[rc4:$dir]}" "${SPEED[hmac-sha1:16k]}")|rc4 + hmac sha1, serial" ;;
    RC4-128:HMAC-MD5) echo "$(mbs "${SPEED[rc4-hmac-md5:$dir]}")|rc4-hmac-md5 (stitched)" ;;
    *) echo "n/a|" ;;
  esac
}

# ---------------------------------------------------------------- the table
v () { echo "${SSL[$1]:--}"; }
ours () { echo "${OURS[$1]:--}"; }

section "Handshakes, compared (OpenSSL: s_time, one connection at a time, over 127.0.0.1)"
for suite in $BENCH_SUITES; do
  ossl_name "$suite" >/dev/null || continue
  s=${suite#TLS_}
  o=$(ossl_name "$suite")
  row "full, $s" "" "" "" ""
  row "  ours: client+server in memory" "$(ours "hs_full:$suite")" "$(v "s_server:-new:$suite")" "hs/s" "s_time -new -> s_server ($o)"
  row "  ours: s_time -new -> handshake-lab serve" "$(v "serve:-new:$suite")" "$(v "s_server:-new:$suite")" "hs/s" "s_time -new -> s_server"
  row "  the same, per CPU second of the server" "$(v "serve:cpu-new:$suite")" "$(v "s_server:cpu-new:$suite")" "hs/s" "s_time -new -> s_server"
  row "resumed, $s" "" "" "" ""
  row "  ours: client+server in memory" "$(ours "hs_resumed:$suite")" "$(v "s_server:-reuse:$suite")" "hs/s" "s_time -reuse -> s_server"
  row "  ours: s_time -reuse -> handshake-lab serve" "$(v "serve:-reuse:$suite")" "$(v "s_server:-reuse:$suite")" "hs/s" "s_time -reuse -> s_server"
  row "  the same, per CPU second of the server" "$(v "serve:cpu-reuse:$suite")" "$(v "s_server:cpu-reuse:$suite")" "hs/s" "s_time -reuse -> s_server"
done

section "Handshakes of the other suites of the table, ours in memory: full | resumed"
while IFS=$'\t' read -r id label value unit; do
  case $id in
    hs_full:*)
      suite=${id#*:}
      case " $(echo $BENCH_SUITES) " in *" $suite "*) continue ;; esac
      row "${suite#TLS_}" "$value | $(ours "hs_resumed:$suite")" "-" "$unit" "" ;;
  esac
done < "$TMP/engine.tsv"

section "RSA key exchange: the server's one private-key operation (issue 13, goal >= 0.85)"
row "Nettle rsa_decrypt_tr, server-rsa.key (2048 bits)" "$(ours rsa_decrypt_tr)" "-" "/s" "bench-engine, per CPU second"
row "ours: tls_rsa_decrypt_premaster, with the trace's analysis" "$(ours rsa_premaster)" "-" "/s" "bench-engine, per CPU second"
for suite in $BENCH_SUITES; do
  case $suite in TLS_RSA_WITH_*) ;; *) continue ;; esac
  hs=$(v "serve:cpu-new:$suite")
  ratio=$(awk -v a="$hs" -v b="$(ours rsa_decrypt_tr)" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }')
  row "serve --quiet full handshakes per CPU s / rsa_decrypt_tr per s, ${suite#TLS_}" "$ratio" "-" "x" "s_time -new -> serve, per CPU second of the server"
done

section "Resumed handshakes per CPU second of the server, ours / OpenSSL's (issue 13, goal >= 1.0)"
for suite in $BENCH_SUITES; do
  ossl_name "$suite" >/dev/null || continue
  ratio=$(awk -v a="$(v "serve:cpu-reuse:$suite")" -v b="$(v "s_server:cpu-reuse:$suite")" \
              'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }')
  row "resumed/CPU s, serve / s_server, ${suite#TLS_}" "$ratio" "-" "x" "s_time -reuse -> serve | s_server"
done

section "Memory"
max_rss () {
  local kind=$1 m=0 x
  for suite in $BENCH_SUITES; do
    x=${SSL[$kind:rss:$suite]:-0}
    [ "$x" -gt "$m" ] 2>/dev/null && m=$x
  done
  [ "$m" -gt 0 ] && echo "$m" || echo "-"
}
row "server's peak RSS after its s_time runs (max over suites)" "$(max_rss serve)" "$(max_rss s_server)" "KiB" "VmHWM of handshake-lab serve | s_server"
row "bench-engine's peak RSS: at start | after all handshakes" "$(ours rss_start) | $(ours rss_hs)" "-" "KiB" "getrusage ru_maxrss"
while IFS=$'\t' read -r id label value unit; do
  case $id in heap_full:*) row "$label" "$value" "-" "$unit" "mallinfo2, after the run" ;; esac
done < "$TMP/engine.tsv"

section "Trace of one handshake (ours only: OpenSSL keeps no trace)"
while IFS=$'\t' read -r id label value unit; do
  case $id in trace_*|setup) row "$label" "$value" "-" "$unit" "" ;; esac
done < "$TMP/engine.tsv"

section "Record protection, TLS 1.2, 16 KiB records (MB = 10^6 bytes of plaintext)"
while IFS=$'\t' read -r id label value unit; do
  case $id in
    rec_seal:*|rec_open:*)
      dir=enc; [ "${id%%:*}" = rec_open ] && dir=dec
      r=$(ossl_record "${id#*:}" "$dir")
      what="speed -evp ${r#*|}"
      [ $dir = dec ] && what="$what -decrypt"
      row "${label/ 16 KiB records,/}" "$value" "${r%%|*}" "$unit" "$what" ;;
  esac
done < "$TMP/engine.tsv"

section "PRF (OpenSSL's command line has no TLS PRF loop; HMAC is compared)"
while IFS=$'\t' read -r id label value unit; do
  case $id in
    prf:*) row "$label" "$value" "n/a" "$unit" "" ;;
    hmac64:*)
      h=$(echo "${id#*:}" | tr 'A-Z' 'a-z' | tr -d -)
      row "$label" "$value" "$(div "${SPEED[hmac-$h:64]:-0}" 64)" "$unit" "speed -hmac $h -bytes 64" ;;
  esac
done < "$TMP/engine.tsv"

# ---------------------------------------------------------------- print
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "Handshake Lab vs OpenSSL - $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${cpu:-unknown CPU}"
echo "$("$OPENSSL" version | head -1); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -F'\t' '
  BEGIN { printf "\n  %-66s %13s %9s  %-5s  %s\n", "measurement", "Handshake Lab", "OpenSSL", "unit", "OpenSSL ran" }
  $1 == "#" { printf "\n  %s\n", $2; next }
  $2 == "" { printf "  %s\n", $1; next }
  { printf "  %-66s %13s %9s  %-5s  %s\n", $1, $2, $3, $4, $5 }
' "$ROWS"
if [ -n "${BENCH_TSV:-}" ]; then
  cp "$ROWS" "$BENCH_TSV"
fi
