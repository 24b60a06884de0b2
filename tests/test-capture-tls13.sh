#!/usr/bin/env bash
# test-capture-tls13.sh — a TLS 1.3 capture made here and opened by
# handshake-lab (issue 16, docs/capture.md "TLS 1.3").
#
# dumpcap captures the loopback interface while `openssl s_client -tls1_3
# -keylogfile` talks to `openssl s_server -tls1_3` on 127.0.0.1, browser-like
# (SNI, ALPN h2 and http/1.1), once for each of TLS_AES_128_GCM_SHA256,
# TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256 with X25519 and
# with P-256, then once with a HelloRetryRequest (the client's key share is
# X25519, the server takes P-256 only).  Then, for each connection,
# `handshake-lab open FILE --keylog LOG`:
#   - exits 0, both Finished checks pass, the line s_client sent is the
#     client's decrypted application data, byte for byte, and s_server's
#     answer (-rev) that line reversed;
#   - the suite and the group are the ones asked for;
#   - the handshake messages come in the order of RFC 8446, 2 (with the
#     HelloRetryRequest and the second ClientHello, 4.1.4, for the last,
#     whose client also sends a KeyUpdate before its line: the line opens
#     with the keys of the next traffic secret, 7.2);
# and for connection 1:
#   - without the key log: exits 1, the protected records are "Encrypted
#     record" steps naming the missing key log line;
#   - with a wrong key log (the lines of connection 2): exits 1, "Record
#     decryption" fails naming SERVER_HANDSHAKE_TRAFFIC_SECRET;
#   - with one byte of its ClientHello changed in the capture: the records
#     still open, and both Finished checks fail, named.
# Needs root (capturing), dumpcap, openssl and python3: exits 77 (skipped)
# otherwise.  Prints one line a check.
#
# usage: test-capture-tls13.sh HANDSHAKE-LAB DATA-DIR
set -uo pipefail

LAB=${1:?usage: test-capture-tls13.sh HANDSHAKE-LAB DATA-DIR}
DATA=${2:?usage: test-capture-tls13.sh HANDSHAKE-LAB DATA-DIR}
PKI=$DATA/pki

for p in dumpcap openssl python3; do
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
check ()  { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:      $2" "expected: $3"; fi; }

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

timeout 120 dumpcap -q -i lo -f "tcp port $P1 or tcp port $P2" -w "$TMP/tls13.pcapng" \
  >"$TMP/dumpcap.log" 2>&1 &
DUMPCAP=$!
PIDS+=($DUMPCAP)
for _ in $(seq 50); do [ -s "$TMP/tls13.pcapng" ] && break; sleep 0.1; done
sleep 0.5

SERVER=(-cert "$PKI/server-rsa.crt" -key "$PKI/server-rsa.key" -tls1_3 -alpn h2,http/1.1 -ign_eof -rev)
timeout 100 openssl s_server -accept "127.0.0.1:$P1" "${SERVER[@]}" -groups X25519:P-256 \
  </dev/null >"$TMP/s_server1.log" 2>&1 &
PIDS+=($!)
timeout 100 openssl s_server -accept "127.0.0.1:$P2" "${SERVER[@]}" -groups P-256 \
  </dev/null >"$TMP/s_server2.log" 2>&1 &
PIDS+=($!)
wait_port "$P1"
wait_port "$P2"

# client PORT SUITE GROUPS LINE [k]: one connection, LINE sent as application
# data; with k, s_client's command "k" first: a KeyUpdate (RFC 8446, 4.6.3).
client ()
{
  ( if [ -n "${5:-}" ]; then sleep 0.5; printf 'k\n'; sleep 0.5; fi
    printf '%s\n' "$4"; sleep 0.5) \
    | timeout 10 openssl s_client -connect "127.0.0.1:$1" -servername localhost \
        -alpn h2,http/1.1 -tls1_3 -ciphersuites "$2" -groups "$3" -keylogfile "$TMP/keys.log" \
        -no_ign_eof >>"$TMP/s_client.out" 2>&1
}

CONNS=()   # "SUITE GROUP LINE"
for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
  for group in X25519 P-256; do
    line="GET /$suite/$group HTTP/1.1"
    client "$P1" "$suite" "$group" "$line"
    CONNS+=("$suite $group $line")
  done
done
client "$P2" TLS_AES_128_GCM_SHA256 X25519:P-256 "GET /hello-retry-request HTTP/1.1" k
CONNS+=("TLS_AES_128_GCM_SHA256 P-256 GET /hello-retry-request HTTP/1.1")

sleep 1
kill -INT "$DUMPCAP"
wait "$DUMPCAP" 2>/dev/null

list=$("$LAB" open "$TMP/tls13.pcapng" --keylog "$TMP/keys.log" --list 2>&1)
printf '%s\n' "$list" | sed 's/^/# /'
check "the capture holds the 7 TLS 1.3 connections" \
      "$(printf '%s\n' "$list" | grep -c '^#.*TLS 1\.3.*key known')" 7

# facts JSON: what the trace says, one "name<TAB>value" line each (one
# python3 a trace: it is slow to start on a busy machine); fact NAME picks one.
facts ()
{
  python3 - "$1" >"$1.facts" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
steps = t["steps"]
def field(node, name):
    if node.get("name") == name:
        return node
    for c in node.get("children", []):
        f = field(c, name)
        if f:
            return f
    return None
def data(actor):
    return b"".join(bytes.fromhex(s["bytes"]) for s in steps
                    if s["kind"] == "appdata" and s["actor"] == actor).decode("latin-1")
f = {}
f["messages"] = " ".join("%s:%s" % (s["actor"], s["title"]) for s in steps
                         if s["kind"] == "message" and s["title"] not in
                         ("ChangeCipherSpec", "NewSessionTicket", "Encrypted record"))
# A check's actor is the receiver: the client checks the server's message.
sender = {"client": "server", "server": "client"}
f["finished"] = " ".join("%s Finished=%s" % (sender[s["actor"]], s.get("result", "not checked")) for s in steps
                         if s["kind"] == "check" and s["title"] == "Finished verify_data")
f["cv"] = " ".join("%s CertificateVerify=%s" % (sender[s["actor"]], s.get("result", "not checked")) for s in steps
                   if s["kind"] == "check" and s["title"] == "CertificateVerify signature")
f["appdata"] = data("client").rstrip("\n")
f["reply"] = data("server").strip()
f["suite"] = t["meta"].get("conn0.suite", "")
f["version"] = t["meta"].get("conn0.version", "")
f["result"] = t["meta"].get("conn0.result", "")
sh = [s for s in steps if s["kind"] == "message" and s["title"] == "ServerHello"]
ks = field(sh[-1]["fields"], "extension: key_share") if sh else None
f["group"] = field(ks, "group")["value"].split(" ")[0] if ks else ""
titles = [s["title"] for s in steps if s["kind"] == "derivation"]
f["message_hash"] = str(titles.count("message_hash"))
f["exporter"] = str(titles.count("exporter_master_secret"))
f["traffic_keys"] = " ".join(sorted(set(x for x in titles if x.startswith("traffic keys"))))
e = [s for s in steps if s["title"] == "Encrypted record"]
f["encrypted"] = str(len(e))
f["encrypted_reason"] = e[0]["reason"] if e else ""
f["decryption"] = " ".join(s["reason"] for s in steps if s["title"] == "Record decryption")
for k, v in f.items():
    print("%s\t%s" % (k, v.replace("\n", " ")))
PY
}
fact () { grep "^$2	" "$1.facts" | cut -f2-; }

FULL="client:ClientHello server:ServerHello server:EncryptedExtensions server:Certificate server:CertificateVerify server:Finished client:Finished"
HRR="client:ClientHello server:HelloRetryRequest client:ClientHello server:ServerHello server:EncryptedExtensions server:Certificate server:CertificateVerify server:Finished client:Finished client:KeyUpdate"
KEYS="traffic keys from client_application_traffic_secret_0 traffic keys from client_handshake_traffic_secret traffic keys from server_application_traffic_secret_0 traffic keys from server_handshake_traffic_secret"
for i in "${!CONNS[@]}"; do
  conn=$((i + 1))
  read -r suite group line <<<"${CONNS[$i]}"
  json="$TMP/conn$conn.json"
  "$LAB" open "$TMP/tls13.pcapng" --keylog "$TMP/keys.log" --connection "$conn" \
    --trace-json "$json" >"$TMP/conn$conn.txt" 2>&1
  check "#$conn $suite $group: open exits 0" "$?" 0
  facts "$json"
  check "#$conn: version" "$(fact "$json" version)" "TLS 1.3"
  check "#$conn: cipher suite" "$(fact "$json" suite)" "$suite"
  want_group=$([ "$group" = X25519 ] && echo x25519 || echo secp256r1)
  check "#$conn: key share group" "$(fact "$json" group)" "$want_group"
  check "#$conn: both Finished checks pass" "$(fact "$json" finished)" \
        "server Finished=passed client Finished=passed"
  check "#$conn: s_server's CertificateVerify verifies with its certificate's key" \
        "$(fact "$json" cv)" "server CertificateVerify=passed"
  check "#$conn: the line s_client sent, decrypted" "$(fact "$json" appdata)" "$line"
  check "#$conn: s_server's answer (-rev: the line reversed), decrypted" \
        "$(fact "$json" reply)" "$(printf '%s' "$line" | rev)"
  if [ "$conn" = 7 ]; then
    check "#$conn: the handshake, with a HelloRetryRequest" "$(fact "$json" messages)" "$HRR"
    check "#$conn: the transcript starts with message_hash" "$(fact "$json" message_hash)" 1
  else
    check "#$conn: the handshake messages in order" "$(fact "$json" messages)" "$FULL"
  fi
  check "#$conn: the key log's EXPORTER_SECRET is shown" "$(fact "$json" exporter)" 1
  check "#$conn: the keys of the four traffic secrets are derivation steps" \
        "$(fact "$json" traffic_keys)" \
        "$([ "$conn" = 7 ] && echo "traffic keys from application_traffic_secret_N+1 ")$KEYS"
done

# Without the key log.
"$LAB" open "$TMP/tls13.pcapng" --trace-json "$TMP/nokey.json" >"$TMP/nokey.txt" 2>&1
check "no key log: open exits 1" "$?" 1
facts "$TMP/nokey.json"
count=$(fact "$TMP/nokey.json" encrypted)
check "no key log: the protected records are shown encrypted" "$([ "${count:-0}" -ge 4 ] && echo yes)" yes
check "no key log: the reason names the key log line" \
      "$(fact "$TMP/nokey.json" encrypted_reason | grep -c 'no SERVER_HANDSHAKE_TRAFFIC_SECRET line')" 1
check "no key log: the result" "$(fact "$TMP/nokey.json" result)" \
      "incomplete: no key for this connection"
check "no key log: the CertificateVerify check is unknown, not invented" \
      "$(fact "$TMP/nokey.json" cv)" "server CertificateVerify=not checked"
check "no key log: both Finished checks are unknown, not invented" \
      "$(fact "$TMP/nokey.json" finished)" "server Finished=not checked client Finished=not checked"

# A wrong key log: connection 2's lines, given as connection 1's.
python3 - "$TMP/keys.log" "$TMP/wrong.log" <<'PY'
import sys
lines = [l.split() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
randoms = []
for l in lines:
    if l[1] not in randoms:
        randoms.append(l[1])
a, b = randoms[0], randoms[1]
with open(sys.argv[2], "w") as out:
    for l in lines:
        r = {a: b, b: a}.get(l[1], l[1])
        out.write("%s %s %s\n" % (l[0], r, l[2]))
PY
"$LAB" open "$TMP/tls13.pcapng" --keylog "$TMP/wrong.log" --trace-json "$TMP/wrong.json" \
  >"$TMP/wrong.txt" 2>&1
check "wrong key log: open exits 1" "$?" 1
facts "$TMP/wrong.json"
check "wrong key log: the server's first record does not decrypt, named" \
      "$(fact "$TMP/wrong.json" decryption | grep -c "server's record.*SERVER_HANDSHAKE_TRAFFIC_SECRET (bad_record_mac)")" 1
check "wrong key log: no Finished is checked" "$(fact "$TMP/wrong.json" finished)" ""

# One byte of connection 1's ClientHello changed (its first cipher suite):
# the key log still finds the connection and opens its records, but the
# transcript is not the one both sides hashed.
python3 - "$TMP/tls13.pcapng" "$TMP/keys.log" "$TMP/tampered.pcapng" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
random = bytes.fromhex(next(l for l in open(sys.argv[2]) if not l.startswith("#")).split()[1])
at = data.index(random) + 32
sid = data[at]
data[at + 1 + sid + 2 + 1] ^= 0x01      # cipher_suites[0], its low byte
open(sys.argv[3], "wb").write(data)
PY
"$LAB" open "$TMP/tampered.pcapng" --keylog "$TMP/keys.log" --trace-json "$TMP/tampered.json" \
  >"$TMP/tampered.txt" 2>&1
check "changed ClientHello: open exits 1" "$?" 1
facts "$TMP/tampered.json"
check "changed ClientHello: both Finished checks fail" "$(fact "$TMP/tampered.json" finished)" \
      "server Finished=failed client Finished=failed"
check "changed ClientHello: the CertificateVerify signature, over that transcript, fails" \
      "$(fact "$TMP/tampered.json" cv)" "server CertificateVerify=failed"
check "changed ClientHello: the result names the first failed check" \
      "$(fact "$TMP/tampered.json" result)" \
      "incomplete: the server's CertificateVerify does not verify"

echo "1..$n"
[ "$failed" = 0 ]
