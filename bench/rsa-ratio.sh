#!/usr/bin/env bash
# bench/rsa-ratio.sh [BUILD_DIR] [SECONDS] - issue 13's RSA goal alone, quickly:
# `serve --quiet` full RSA handshakes per CPU second of the server (s_time -new
# for SECONDS, default 2) and Nettle's rsa_decrypt_tr per CPU second
# (bench-engine, 1 s), measured in the same run, and their ratio.  Only
# 127.0.0.1; the server is stopped by its PID.  bench/run.sh gives the same
# ratio among everything else.
set -u
B=${1:-build}; S=${2:-2}
SRC=$(cd "$(dirname "$0")/.." && pwd); PKI=$SRC/data/pki
SUITE=TLS_RSA_WITH_AES_128_GCM_SHA256
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hl-ratio.XXXXXX"); P=
trap '[ -n "$P" ] && kill "$P" 2>/dev/null; rm -rf "$TMP"' EXIT
rsa=$("$B/bench/bench-engine" --tsv --suite $SUITE --count 1 --seconds 0.01 --op-seconds 1.0 \
        --datadir "$SRC/data" 2>/dev/null | awk -F'\t' '$1 == "rsa_decrypt_tr" { print $3 }')
HANDSHAKE_LAB_DATADIR=$SRC/data "$B/app/handshake-lab" serve --listen 127.0.0.1:0 --quiet \
  --count 100000 --cert "$PKI/server-rsa-chain.pem" --key "$PKI/server-rsa.key" --suite $SUITE \
  < /dev/null > "$TMP/out" 2> "$TMP/log" &
P=$!
port=
for _ in $(seq 50); do
  port=$(sed -n 's/^Listening on [0-9.]*:\([0-9]*\).*/\1/p' "$TMP/log"); [ -n "$port" ] && break; sleep 0.1
done
c0=$(awk '{ print $14 + $15 }' /proc/$P/stat)
out=$(timeout $((S + 10)) openssl s_time -connect "127.0.0.1:$port" -new -time "$S" \
        -cipher AES128-GCM-SHA256 -tls1_2 2>&1)
c1=$(awk '{ print $14 + $15 }' /proc/$P/stat)
n=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) connections in [0-9]* real.*/\1/p' | tail -1)
awk -v n="${n:-0}" -v c=$((c1 - c0)) -v t="$(getconf CLK_TCK)" -v r="${rsa:-0}" \
    -v l="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  hs = c > 0 ? n / (c / t) : 0
  printf "serve: %d handshakes in %.2f CPU s = %.0f/s; rsa_decrypt_tr %.0f/s; ratio %.2f; load %s\n",
         n, c / t, hs, r, (r > 0 ? hs / r : 0), l }'
