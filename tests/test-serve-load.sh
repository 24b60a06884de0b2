#!/usr/bin/env bash
# test-serve-load.sh — `handshake-lab serve` under load (issue 13,
# docs/robustness.md): CONCURRENT clients connected at the same time, then
# SEQUENTIAL full handshakes one after the other, with 0 failures and a
# bounded memory.  Prints TAP.
#
#   concurrent  CONCURRENT `openssl s_client` processes connect to
#               `serve --www` and finish their handshakes; each then waits on
#               a lock the test holds, so all are connected at once (the
#               server's open sockets are counted) before any sends its
#               request; every one must get the page.
#   sequential  `openssl s_time -new` (a full handshake a connection, no
#               resumption) until SEQUENTIAL handshakes are done, in runs of
#               a few seconds; serve's one line a handshake (--quiet) must say
#               "completed" for every connection it saw.
#   memory      the server's RSS (VmRSS) after the concurrent phase and a
#               warm-up, and after the sequential phase; the growth must stay
#               under MAX_GROWTH_KIB (its session cache holds 1024 sessions,
#               whatever the number of handshakes).
#
# Short by default (200 concurrent, 500 sequential: what CI runs); the
# issue's full counts with SERVE_LOAD=full (200 and 10000), or any with
# SERVE_LOAD_CONCURRENT / SERVE_LOAD_SEQUENTIAL.  Timings are printed as
# comments, never asserted.
#
# usage: test-serve-load.sh HANDSHAKE-LAB DATA-DIR
set -uo pipefail

LAB=${1:?usage: test-serve-load.sh HANDSHAKE-LAB DATA-DIR}
DATA=${2:?usage: test-serve-load.sh HANDSHAKE-LAB DATA-DIR}

if [ "${SERVE_LOAD:-}" = full ]; then
  CONCURRENT=${SERVE_LOAD_CONCURRENT:-200}
  SEQUENTIAL=${SERVE_LOAD_SEQUENTIAL:-10000}
else
  CONCURRENT=${SERVE_LOAD_CONCURRENT:-200}
  SEQUENTIAL=${SERVE_LOAD_SEQUENTIAL:-500}
fi
MAX_GROWTH_KIB=${MAX_GROWTH_KIB:-16384}

for p in openssl flock; do
  command -v "$p" >/dev/null || { echo "1..0 # SKIP $p not installed"; exit 0; }
done

TMP=$(mktemp -d)
SERVER_PID=
CLIENT_PIDS=()
cleanup ()
{
  for p in "${CLIENT_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  wait 2>/dev/null
  [ -n "${KEEP_TMP:-}" ] && echo "# kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT

n=0
ok ()     { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
rss ()    { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }
fds ()    { ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l; }
now ()    { date +%s.%N; }

echo "# $CONCURRENT concurrent, $SEQUENTIAL sequential"
HANDSHAKE_LAB_DATADIR=$DATA "$LAB" serve --listen 127.0.0.1:0 --www --quiet --timeout 120000 \
  > "$TMP/serve.out" 2> "$TMP/serve.err" &
SERVER_PID=$!
PORT=
for _ in $(seq 200); do
  PORT=$(sed -n 's/^Listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/serve.err")
  [ -n "$PORT" ] && break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "1..1"; not_ok "serve starts" "$(cat "$TMP/serve.err")"; exit 1
fi
ok "serve listens on 127.0.0.1:$PORT"
base_fds=$(fds)

# ---------------------------------------------------------------- concurrent
exec 8> "$TMP/lock"
flock -x 8
t0=$(now)
for i in $(seq "$CONCURRENT"); do
  ( flock -s 9; printf 'GET / HTTP/1.0\r\n\r\n' ) 9< "$TMP/lock" 8>&- \
    | openssl s_client -connect "127.0.0.1:$PORT" -quiet -no_ticket > "$TMP/c$i.out" 2>&1 8>&- &
  CLIENT_PIDS+=($!)
done
# Every client connected and done with its handshake (the server answered
# the ClientHello: its summary line comes after the page): count the
# server's sockets while all wait on the lock.
open=0
for _ in $(seq 1200); do
  open=$(( $(fds) - base_fds ))
  [ "$open" -ge "$CONCURRENT" ] && break
  sleep 0.1
done
sleep 1
open=$(( $(fds) - base_fds ))
t1=$(now)
if [ "$open" -ge "$CONCURRENT" ]; then
  ok "$CONCURRENT clients connected at once (server holds $open sockets more than at start)"
else
  not_ok "$CONCURRENT clients connected at once" "only $open sockets open after 2 minutes"
fi
flock -u 8
exec 8>&-
wait "${CLIENT_PIDS[@]}" 2>/dev/null
CLIENT_PIDS=()
t2=$(now)
got=$(grep -l "Handshake Lab: your TLS session" "$TMP"/c*.out | wc -l)
if [ "$got" -eq "$CONCURRENT" ]; then
  ok "every concurrent client got the page ($got)"
else
  bad=$(grep -L "Handshake Lab: your TLS session" "$TMP"/c*.out | head -1)
  not_ok "every concurrent client got the page" "$got of $CONCURRENT; e.g. $bad:" "$(head -5 "$bad")"
fi
echo "# concurrent: connected in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s, answered in $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", b - a }') s more"

# ---------------------------------------------------------------- sequential
# A warm-up (a tenth), then the rest; RSS read between the two.
seq_run ()
{
  local target=$1 done=0 runs=0 out c
  while [ "$done" -lt "$target" ] && [ "$runs" -lt 10000 ]; do
    runs=$((runs + 1))
    out=$(openssl s_time -connect "127.0.0.1:$PORT" -new -www / -time 2 2>&1) || { echo "s_time failed: $out" >&2; return 1; }
    c=$(echo "$out" | sed -n 's/^\([0-9]*\) connections in .*real seconds.*/\1/p' | head -1)
    [ -n "$c" ] && [ "$c" -gt 0 ] || { echo "s_time: $out" >&2; return 1; }
    done=$((done + c))
  done
  echo "$done"
}
warm=$(( SEQUENTIAL / 10 > 0 ? SEQUENTIAL / 10 : 1 ))
w=$(seq_run "$warm" 2> "$TMP/stime.err") || w=0
rss_before=$(rss)
t3=$(now)
s=$(seq_run $(( SEQUENTIAL - w )) 2>> "$TMP/stime.err") || s=0
t4=$(now)
rss_after=$(rss)
total=$((w + s))
if [ "$total" -ge "$SEQUENTIAL" ]; then
  ok "s_time -new made $total sequential full handshakes (at least $SEQUENTIAL)"
else
  not_ok "s_time -new made at least $SEQUENTIAL sequential full handshakes" "$total; $(head -5 "$TMP/stime.err")"
fi
echo "# sequential: $s handshakes after the warm-up in $(awk -v a="$t3" -v b="$t4" 'BEGIN { printf "%.1f", b - a }') s"

# ---------------------------------------------------------------- the server's view
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
rc=$?
SERVER_PID=
lines=$(wc -l < "$TMP/serve.out")
completed=$(grep -c " completed" "$TMP/serve.out")
if [ "$rc" -eq 0 ] && [ "$lines" -ge $((CONCURRENT + total)) ] && [ "$completed" -eq "$lines" ]; then
  ok "serve: $lines handshakes, all completed, exit 0"
else
  not_ok "serve: every handshake completed" "exit $rc; $completed of $lines lines say completed" \
    "$(grep -v " completed" "$TMP/serve.out" | head -3)" "$(tail -3 "$TMP/serve.err")"
fi

growth=$((rss_after - rss_before))
echo "# server RSS: $rss_before KiB after the concurrent phase and $w warm-up handshakes, $rss_after KiB after $s more (growth $growth KiB)"
if [ "$growth" -le "$MAX_GROWTH_KIB" ]; then
  ok "memory stays flat: RSS grew $growth KiB over $s handshakes (limit $MAX_GROWTH_KIB KiB)"
else
  not_ok "memory stays flat over $s handshakes" "RSS $rss_before -> $rss_after KiB"
fi
echo "1..$n"
