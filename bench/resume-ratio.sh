#!/usr/bin/env bash
# bench/resume-ratio.sh [BUILD_DIR] [SECONDS] [SUITE] - issue 13's resumption
# goal alone, quickly: resumed handshakes (openssl s_time -reuse for SECONDS,
# default 2) per CPU second of the server, against `handshake-lab serve
# --quiet` and against `openssl s_server` (set up as in bench/run.sh), in
# the same run, and their ratio (goal: at least 1.0).  SUITE is an IANA name
# of an RSA or ECDHE-RSA suite (default TLS_RSA_WITH_AES_128_GCM_SHA256).
# Only 127.0.0.1; each server is stopped by its PID.  bench/run.sh gives the
# same ratio among everything else.
set -u
B=${1:-build}; S=${2:-2}; SUITE=${3:-TLS_RSA_WITH_AES_128_GCM_SHA256}
SRC=$(cd "$(dirname "$0")/.." && pwd); PKI=$SRC/data/pki
case $SUITE in
  TLS_RSA_WITH_AES_128_GCM_SHA256) CIPHER=AES128-GCM-SHA256 ;;
  TLS_RSA_WITH_AES_128_CBC_SHA) CIPHER=AES128-SHA ;;
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) CIPHER=ECDHE-RSA-AES128-GCM-SHA256 ;;
  *) echo "resume-ratio.sh: no OpenSSL name for $SUITE here" >&2; exit 2 ;;
esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hl-resume.XXXXXX"); P=
trap '[ -n "$P" ] && kill "$P" 2>/dev/null; rm -rf "$TMP"' EXIT

# rate LOG PATTERN: waits for the port in LOG, times s_time -reuse against
# server $P, prints resumed handshakes per CPU second of the server.
rate () {
  local port= c0 c1 out n
  for _ in $(seq 50); do
    port=$(sed -n "s/^$2[0-9.]*:\([0-9]*\).*/\1/p" "$1" | head -1); [ -n "$port" ] && break; sleep 0.1
  done
  [ -n "$port" ] || { echo 0; return; }
  c0=$(awk '{ print $14 + $15 }' /proc/$P/stat)
  out=$(timeout $((S + 10)) openssl s_time -connect "127.0.0.1:$port" -reuse -time "$S" \
          -cipher $CIPHER -tls1_2 2>&1)
  c1=$(awk '{ print $14 + $15 }' /proc/$P/stat)
  n=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) connections in [0-9]* real.*/\1/p' | tail -1)
  awk -v n="${n:-0}" -v c=$((c1 - c0)) -v t="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.0f %d %.2f\n", (c > 0 ? n / (c / t) : 0), n, c / t }'
}

HANDSHAKE_LAB_DATADIR=$SRC/data "$B/app/handshake-lab" serve --listen 127.0.0.1:0 --quiet \
  --count 1000000 --cert "$PKI/server-rsa-chain.pem" --key "$PKI/server-rsa.key" --suite "$SUITE" \
  < /dev/null > "$TMP/out" 2> "$TMP/log" &
P=$!
read -r ours ours_n ours_cpu <<< "$(rate "$TMP/log" "Listening on ")"
kill "$P"; wait "$P" 2>/dev/null; P=
openssl s_server -accept 127.0.0.1:0 -tls1_2 -no_ticket -www \
  -cert "$PKI/server-rsa-chain.pem" -key "$PKI/server-rsa.key" \
  < /dev/null > "$TMP/s_server.log" 2>&1 &
P=$!
read -r ssl ssl_n ssl_cpu <<< "$(rate "$TMP/s_server.log" "ACCEPT ")"
kill "$P"; wait "$P" 2>/dev/null; P=
awk -v a="$ours" -v b="$ssl" -v an="$ours_n" -v ac="$ours_cpu" -v bn="$ssl_n" -v bc="$ssl_cpu" \
    -v l="$(cut -d' ' -f1-3 /proc/loadavg)" -v s="${SUITE#TLS_}" 'BEGIN {
  printf "%s resumed per server CPU s: serve %d (%d in %.2f s), s_server %d (%d in %.2f s); ratio %.2f; load %s\n",
         s, a, an, ac, b, bn, bc, (b > 0 ? a / b : 0), l }'
