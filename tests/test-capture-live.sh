#!/usr/bin/env bash
# test-capture-live.sh — a capture made here, opened by handshake-lab and
# checked against tshark (issue 11, docs/capture.md).  Prints TAP.
#
# dumpcap captures the loopback interface while `openssl s_client
# -keylogfile` talks to `openssl s_server`, then `gnutls-cli` (with
# SSLKEYLOGFILE) to `gnutls-serv`, each on 127.0.0.1, TLS 1.2.  For each
# connection, `handshake-lab open FILE --keylog LOG --trace-json` must
# report what tshark reports for the same file with the same key log: the
# cipher suite, both randoms, the SNI, and the decrypted application data.
# Needs root (capturing) and the four programs; skips cleanly otherwise.
#
# usage: test-capture-live.sh HANDSHAKE-LAB DATA-DIR
set -uo pipefail

LAB=${1:?usage: test-capture-live.sh HANDSHAKE-LAB DATA-DIR}
DATA=${2:?usage: test-capture-live.sh HANDSHAKE-LAB DATA-DIR}
PKI=$DATA/pki

for p in dumpcap tshark openssl gnutls-serv gnutls-cli python3; do
  command -v "$p" >/dev/null || { echo "1..0 # SKIP $p not installed"; exit 0; }
done
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP capturing on loopback needs root"; exit 0; }

TMP=$(mktemp -d)
PIDS=()
cleanup ()
{
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "${KEEP_TMP:-}" ] && echo "# kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT

n=0
failed=0
ok ()     { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check ()  { if [ "$2" = "$3" ] && [ -n "$2" ]; then ok "$1"; else not_ok "$1" "handshake-lab: $2" "tshark:       $3"; fi; }

# Two free ports (by asking the kernel) and the capture filter on them.
read -r P1 P2 < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')

wait_port ()
{
  for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

dumpcap -q -i lo -f "tcp port $P1 or tcp port $P2" -w "$TMP/live.pcapng" >"$TMP/dumpcap.log" 2>&1 &
PIDS+=($!)
DUMPCAP=$!
for _ in $(seq 50); do [ -s "$TMP/live.pcapng" ] && break; sleep 0.1; done
sleep 0.5

# 1. OpenSSL: ECDHE-RSA, TLS 1.2, SNI, an HTTP request answered by -www.
openssl s_server -quiet -accept "127.0.0.1:$P1" -cert "$PKI/server-rsa.crt" -key "$PKI/server-rsa.key" \
  -www >"$TMP/s_server.log" 2>&1 &
PIDS+=($!)
wait_port "$P1"
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 openssl s_client -connect "127.0.0.1:$P1" \
  -servername localhost -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 -keylogfile "$TMP/keys.log" \
  -quiet -ign_eof >"$TMP/s_client.out" 2>"$TMP/s_client.err"

# 2. GnuTLS: AES-256-GCM, TLS 1.2, SNI, an HTTP request answered by --http.
gnutls-serv --http -p "$P2" --x509certfile "$PKI/server-rsa.crt" --x509keyfile "$PKI/server-rsa.key" \
  >"$TMP/gnutls-serv.log" 2>&1 &
PIDS+=($!)
wait_port "$P2"
printf 'GET / HTTP/1.0\r\n\r\n' | SSLKEYLOGFILE="$TMP/keys.log" timeout 10 gnutls-cli --insecure \
  -p "$P2" --sni-hostname localhost --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM' \
  127.0.0.1 >"$TMP/gnutls-cli.out" 2>"$TMP/gnutls-cli.err"

sleep 1
kill -INT "$DUMPCAP"
wait "$DUMPCAP" 2>/dev/null

echo "1..15"
DECODE=(-d "tcp.port==$P1,tls" -d "tcp.port==$P2,tls")
list=$("$LAB" open "$TMP/live.pcapng" --keylog "$TMP/keys.log" --list 2>&1)
count=$(printf '%s\n' "$list" | grep -c '^#')
check "the capture holds the two TLS connections" "$count" 2
printf '%s\n' "$list" | sed 's/^/# /'

# tshark's view, read once (tshark is slow to start): per server port (the
# probes of wait_port are streams too), the fields of ClientHello and
# ServerHello.
tshark -r "$TMP/live.pcapng" -o "tls.keylog_file:$TMP/keys.log" "${DECODE[@]}" \
  -Y 'tls.handshake.type==1 || tls.handshake.type==2' -T fields -E separator=';' \
  -e tcp.stream -e tcp.srcport -e tcp.dstport -e tls.handshake.type -e tls.handshake.random \
  -e tls.handshake.ciphersuite -e tls.handshake.extensions_server_name \
  >"$TMP/tshark.txt" 2>/dev/null
# ts PORT TYPE FIELD: FIELD (stream, random, suite, sni) of the message TYPE
# (1 ClientHello, 2 ServerHello) of the connection to PORT.
ts ()
{
  python3 - "$TMP/tshark.txt" "$@" <<'PY'
import sys
path, port, mtype, field = sys.argv[1:5]
for line in open(path):
    stream, sport, dport, types, random, suite, sni = (line.rstrip("\n").split(";") + [""] * 7)[:7]
    if port not in (sport, dport) or mtype not in types.split(","):
        continue
    value = {"stream": stream, "random": random, "suite": suite, "sni": sni}[field]
    print(value.replace(":", "").lower())
    break
PY
}

for conn in 1 2; do
  port=$([ "$conn" = 1 ] && echo "$P1" || echo "$P2")
  stream=$(ts "$port" 1 stream)
  json="$TMP/conn$conn.json"
  "$LAB" open "$TMP/live.pcapng" --keylog "$TMP/keys.log" --connection "$conn" \
    --trace-json "$json" >"$TMP/conn$conn.txt" 2>&1
  rc=$?
  check "connection $conn: handshake-lab open completes (exit 0)" "$rc" 0
  ours ()
  {
    python3 - "$json" "$1" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); what = sys.argv[2]
steps = t["steps"]
def msg(title):
    return next(s for s in steps if s["kind"] == "message" and s["title"] == title)
if what == "suite":
    b = bytes.fromhex(msg("ServerHello")["bytes"]); sid = b[38]
    print("0x%04x" % int.from_bytes(b[39 + sid:41 + sid], "big"))
elif what in ("client_random", "server_random"):
    b = bytes.fromhex(msg("ClientHello" if what == "client_random" else "ServerHello")["bytes"])
    print(b[6:38].hex())
elif what == "sni":
    print(t["meta"].get("conn0.sni", ""))
elif what == "appdata":
    data = b"".join(bytes.fromhex(s["bytes"]) for s in steps
                    if s["kind"] == "appdata" and s["actor"] == "server"
                    and not s["title"].startswith("Encrypted"))
    print(data.split(b"\r\n")[0].decode("latin-1"))
PY
  }
  check "connection $conn: cipher suite" "$(ours suite)" \
        "$(ts "$port" 2 suite)"
  check "connection $conn: ClientHello.random" "$(ours client_random)" \
        "$(ts "$port" 1 random)"
  check "connection $conn: ServerHello.random" "$(ours server_random)" \
        "$(ts "$port" 2 random)"
  check "connection $conn: SNI" "$(ours sni)" \
        "$(ts "$port" 1 sni)"
  # The first line the server sent, decrypted by tshark (in its ascii
  # follow output, a chunk of the server starts with a tab and its length).
  theirs=$(tshark -r "$TMP/live.pcapng" -o "tls.keylog_file:$TMP/keys.log" "${DECODE[@]}" -q \
             -z "follow,tls,ascii,$stream" 2>/dev/null \
           | awk '/^\t[0-9]+$/ { getline; print; exit }' | tr -d '\r')
  check "connection $conn: the server's first decrypted line" "$(ours appdata)" "$theirs"
  check "connection $conn: both Finished verified" \
        "$("$LAB" open "$TMP/live.pcapng" --keylog "$TMP/keys.log" --connection "$conn" --brief | grep -c 'Finished  (check.*PASSED')" 2
done

[ "$failed" = 0 ]
