#!/usr/bin/env bash
# test-capture-tls12.sh — TLS 1.2 captures of real OpenSSL endpoints made
# here, opened by handshake-lab: the ServerKeyExchange signature and the
# Finished checks (docs/capture.md).
#
# dumpcap captures the loopback interface while `openssl s_client -tls1_2
# -keylogfile` talks to `openssl s_server -www` on 127.0.0.1,
# once for each of
#   1. ECDHE-RSA, signature rsa_pss_rsae_sha256
#   2. ECDHE-RSA, signature rsa_pkcs1_sha256
#   3. ECDHE-ECDSA (P-256 key), signature ecdsa_secp256r1_sha256
#   4. DHE-RSA, the signature OpenSSL picks
#   5. ECDHE-ECDSA with an Ed25519 key, signature ed25519 (RFC 8422, 5.4)
# For each, `handshake-lab open FILE --keylog LOG --connection N`:
#   - exits 0; the ServerKeyExchange signature check passes, with the
#     algorithm tshark reads from the same message (sig_hash_alg), over
#     client_random + server_random + params, the randoms those of the
#     hellos and the signature the bytes tshark reads;
#   - both Finished checks pass.
# And for connection 1:
#   - without the key log: the signature check still passes (it needs no
#     key); the Finished records are "Encrypted handshake", no step is
#     titled "Finished", and both Finished checks are "not checked",
#     naming the missing CLIENT_RANDOM line;
#   - with one byte of the signature flipped in the file: the signature
#     check fails and the result says so.
# Needs root (capturing), dumpcap, tshark, openssl and python3: exits 77
# (skipped) otherwise.  Prints one line a check.
#
# usage: test-capture-tls12.sh HANDSHAKE-LAB DATA-DIR
set -uo pipefail

LAB=${1:?usage: test-capture-tls12.sh HANDSHAKE-LAB DATA-DIR}
DATA=${2:?usage: test-capture-tls12.sh HANDSHAKE-LAB DATA-DIR}
PKI=$DATA/pki

for p in dumpcap tshark openssl python3; do
  command -v "$p" >/dev/null || { echo "SKIP: $p not installed"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "SKIP: capturing on loopback needs root"; exit 77; }

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
check ()  { if [ "$2" = "$3" ] && [ -n "$3" ]; then ok "$1"; else not_ok "$1" "got:      $2" "expected: $3"; fi; }

# Five free ports, one a connection (asked of the kernel).
read -r -a PORTS < <(python3 -c 'import socket
s=[socket.socket() for _ in range(5)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
FILTER=$(printf 'tcp port %s or ' "${PORTS[@]}")
FILTER=${FILTER% or }

wait_port ()
{
  for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

dumpcap -q -i lo -f "$FILTER" -w "$TMP/tls12.pcapng" >"$TMP/dumpcap.log" 2>&1 &
PIDS+=($!)
DUMPCAP=$!
for _ in $(seq 50); do [ -s "$TMP/tls12.pcapng" ] && break; sleep 0.1; done
sleep 0.5

# name:cert:cipher:client -sigalgs ("-" none):the algorithm expected ("-": any)
CASES=(
  "ecdhe-rsa-pss:server-rsa:ECDHE-RSA-AES128-GCM-SHA256:rsa_pss_rsae_sha256:rsa_pss_rsae_sha256"
  "ecdhe-rsa-pkcs1:server-rsa:ECDHE-RSA-AES256-GCM-SHA384:RSA+SHA256:rsa_pkcs1_sha256"
  "ecdhe-ecdsa:server-ecdsa:ECDHE-ECDSA-AES128-GCM-SHA256:ECDSA+SHA256:ecdsa_secp256r1_sha256"
  "dhe-rsa:server-rsa:DHE-RSA-AES128-GCM-SHA256:-:-"
  "ecdhe-ed25519:server-ed25519:ECDHE-ECDSA-AES128-GCM-SHA256:ed25519:ed25519"
)
for i in "${!CASES[@]}"; do
  IFS=: read -r name cert cipher sigalgs _ <<<"${CASES[$i]}"
  port=${PORTS[$i]}
  openssl s_server -quiet -accept "127.0.0.1:$port" -cert "$PKI/$cert.crt" \
    -key "$PKI/$cert.key" -www >"$TMP/s_server-$name.log" 2>&1 &
  PIDS+=($!)
  wait_port "$port"
  args=(-connect "127.0.0.1:$port" -servername localhost -tls1_2 -cipher "$cipher"
        -keylogfile "$TMP/keys.log" -quiet -ign_eof)
  [ "$sigalgs" != "-" ] && args+=(-sigalgs "$sigalgs")
  printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 openssl s_client "${args[@]}" \
    >"$TMP/s_client-$name.out" 2>"$TMP/s_client-$name.err"
done
sleep 1
kill -INT "$DUMPCAP"
wait "$DUMPCAP" 2>/dev/null

# tshark's view of each ServerKeyExchange: server port, sig_hash_alg, signature.
DECODE=()
for p in "${PORTS[@]}"; do DECODE+=(-d "tcp.port==$p,tls"); done
tshark -r "$TMP/tls12.pcapng" "${DECODE[@]}" -Y 'tls.handshake.type==12' -T fields -E separator=';' \
  -e tcp.srcport -e tls.handshake.sig_hash_alg -e tls.handshake.sig >"$TMP/tshark.txt" 2>/dev/null

# fact JSON WHAT: one fact of the trace handshake-lab wrote.
fact ()
{
  python3 - "$@" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); what = sys.argv[2]
steps = t["steps"]
def step(kind, title):
    return [s for s in steps if s["kind"] == kind and s["title"] == title]
def inp(s, name):
    return next((v for v in s.get("inputs", []) if v["name"] == name), {})
ske = (step("check", "ServerKeyExchange signature") or [{}])[0]
if what == "ske":
    print(ske.get("result", "none"))
elif what == "ske_subject":
    print(ske.get("subject", ""))
elif what == "ske_reason":
    print(ske.get("reason", ""))
elif what == "ske_signature":
    print(inp(ske, "signature").get("hex", ""))
elif what == "ske_algorithm":
    print(inp(ske, "algorithm").get("text", ""))
elif what == "ske_composed":
    # signed data == client_random + server_random + params, the randoms
    # those of the hellos.
    ch = bytes.fromhex(step("message", "ClientHello")[0]["bytes"])[6:38].hex()
    sh = bytes.fromhex(step("message", "ServerHello")[0]["bytes"])[6:38].hex()
    sd = inp(ske, "signed data").get("hex", "")
    print(int(sd == ch + sh + inp(ske, "params").get("hex", "x") and inp(ske, "client_random").get("hex") == ch
              and inp(ske, "server_random").get("hex") == sh))
elif what == "finished":
    print(" ".join("%s=%s" % (s["title"], s.get("result", "")) for s in steps
                   if s["kind"] == "check" and s["title"] in ("client Finished", "server Finished")))
elif what == "finished_reasons":
    print("\n".join(s.get("reason", "") for s in steps
                    if s["kind"] == "check" and s["title"] in ("client Finished", "server Finished")))
elif what == "finished_messages":
    print(len(step("message", "Finished")), len(step("message", "Encrypted handshake")))
elif what == "result":
    print(t["meta"].get("conn0.result", ""))
PY
}
# tshark_ske PORT FIELD(2 alg, 3 signature)
tshark_ske () { awk -F';' -v p="$1" -v f="$2" '$1 == p { print $f; exit }' "$TMP/tshark.txt" | tr -d ':' | tr 'A-F' 'a-f'; }

list=$("$LAB" open "$TMP/tls12.pcapng" --list 2>&1)
printf '%s\n' "$list" | sed 's/^/# /'
for i in "${!CASES[@]}"; do
  IFS=: read -r name _ _ _ want <<<"${CASES[$i]}"
  port=${PORTS[$i]}
  conn=$(printf '%s\n' "$list" | awk -v p=":$port " 'index($0, p) { sub(/^#/, "", $1); print $1 + 0; exit }')
  [ -z "$conn" ] && { not_ok "$name: the connection to port $port is in the capture" "$list"; continue; }
  json="$TMP/$name.json"
  "$LAB" open "$TMP/tls12.pcapng" --keylog "$TMP/keys.log" --connection "$conn" \
    --trace-json "$json" >"$TMP/$name.txt" 2>&1
  check "$name: handshake-lab open exits 0" "$?" 0
  check "$name: ServerKeyExchange signature check" "$(fact "$json" ske)" passed
  alg=$(tshark_ske "$port" 2)
  check "$name: its algorithm is the one tshark reads ($alg)" \
        "$(fact "$json" ske_algorithm | grep -o '(0x[0-9a-fA-F]*)' | head -1 | tr 'A-F' 'a-f')" "($alg)"
  [ "$want" != "-" ] && check "$name: the signature is $want" \
        "$(fact "$json" ske_subject | grep -o "$want")" "$want"
  check "$name: signed data is client_random + server_random + params" "$(fact "$json" ske_composed)" 1
  check "$name: the signature is the one tshark reads" "$(fact "$json" ske_signature)" "$(tshark_ske "$port" 3)"
  check "$name: both Finished checks pass" "$(fact "$json" finished)" \
        "client Finished=passed server Finished=passed"
  [ "$i" = 0 ] && FIRST=$conn && FIRST_JSON=$json
done

# Connection 1 without the key log.
"$LAB" open "$TMP/tls12.pcapng" --connection "$FIRST" --trace-json "$TMP/nokey.json" >"$TMP/nokey.txt" 2>&1
check "no key log: exits 1" "$?" 1
check "no key log: the signature check still passes" "$(fact "$TMP/nokey.json" ske)" passed
check "no key log: both Finished checks are not checked" "$(fact "$TMP/nokey.json" finished)" \
      "client Finished=not checked server Finished=not checked"
check "no key log: each names the missing CLIENT_RANDOM line" \
      "$(fact "$TMP/nokey.json" finished_reasons | grep -c 'no CLIENT_RANDOM line for ClientHello.random')" 2
check "no key log: no step titled Finished, two Encrypted handshake" \
      "$(fact "$TMP/nokey.json" finished_messages)" "0 2"

# Connection 1 with one byte of its signature flipped in the file.
python3 - "$TMP/tls12.pcapng" "$(fact "$FIRST_JSON" ske_signature)" "$TMP/bad.pcapng" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read()); sig = bytes.fromhex(sys.argv[2])
at = data.find(sig)
assert at >= 0 and data.find(sig, at + 1) < 0, "the signature is once in the file"
data[at + len(sig) // 2] ^= 0x01
open(sys.argv[3], "wb").write(data)
PY
"$LAB" open "$TMP/bad.pcapng" --keylog "$TMP/keys.log" --connection "$FIRST" \
  --trace-json "$TMP/bad.json" >"$TMP/bad.txt" 2>&1
check "flipped signature byte: exits 1" "$?" 1
check "flipped signature byte: the signature check fails" "$(fact "$TMP/bad.json" ske)" failed
check "flipped signature byte: the reason" "$(fact "$TMP/bad.json" ske_reason | grep -c 'does not match')" 1
check "flipped signature byte: the result" "$(fact "$TMP/bad.json" result)" \
      "incomplete: the ServerKeyExchange signature does not verify"

echo "1..$n"
[ "$failed" = 0 ]
