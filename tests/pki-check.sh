#!/usr/bin/env bash
# pki-check.sh — asserts that the demo PKI (data/pki/) is what its README
# says: for each case, `openssl verify` at the scenarios' clock gives the
# documented verdict (exit code and error string); keys match their
# certificates; files are in the documented form.  Prints TAP.
#
# usage: pki-check.sh DATA/PKI-DIR
set -uo pipefail

PKI=${1:?usage: pki-check.sh PKI-DIR}
cd "$PKI" || { echo "Bail out! no directory $PKI"; exit 1; }
command -v openssl >/dev/null || { echo "1..0 # SKIP openssl not installed"; exit 0; }

CLOCK=1780315200          # 2026-06-01T12:00:00Z, the scenarios' fixed clock
n=0
failed=0

ok ()     { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# verify NAME EXPECTED_RC EXPECTED_TEXT [openssl verify options...]
# Verifies NAME.crt against ca/root.crt, with NAME-chain.pem (what a server
# sends) as the untrusted certificates, at the scenario clock.
verify ()
{
  local name=$1 want_rc=$2 want=$3
  shift 3
  local out rc
  out=$(openssl verify -CAfile ca/root.crt -untrusted "$name-chain.pem" \
          -attime "$CLOCK" "$@" "$name.crt" 2>&1)
  rc=$?
  if [ "$rc" -eq "$want_rc" ] && grep -qF -- "$want" <<<"$out"; then
    ok "verify $name $* -> rc $want_rc, '$want'"
  else
    not_ok "verify $name $* -> rc $want_rc, '$want'" "got rc $rc:" "$(head -3 <<<"$out")"
  fi
}

# verify_with NAME UNTRUSTED EXPECTED_RC EXPECTED_TEXT [options...]
# The README's other form: intermediates from ca/ instead of the chain file.
verify_with ()
{
  local name=$1 untrusted=$2 want_rc=$3 want=$4
  shift 4
  local out rc
  out=$(openssl verify -CAfile ca/root.crt -untrusted "$untrusted" \
          -attime "$CLOCK" "$@" "$name.crt" 2>&1)
  rc=$?
  if [ "$rc" -eq "$want_rc" ] && grep -qF -- "$want" <<<"$out"; then
    ok "verify $name -untrusted $untrusted $* -> rc $want_rc"
  else
    not_ok "verify $name -untrusted $untrusted $* -> rc $want_rc, '$want'" "got rc $rc:" "$(head -3 <<<"$out")"
  fi
}

pub () { openssl pkey -pubin -in /dev/stdin -outform DER 2>/dev/null | od -An -tx1 | tr -d ' \n'; }
cert_pub () { openssl x509 -in "$1" -noout -pubkey | pub; }
key_pub () { openssl pkey -in "$1" -pubout | pub; }

# key_matches NAME [KEYFILE]: NAME.crt holds the public half of KEYFILE
key_matches ()
{
  local name=$1 key=${2:-$1.key}
  local c k
  c=$(cert_pub "$name.crt")
  k=$(key_pub "$key")
  if [ -n "$c" ] && [ "$c" = "$k" ]; then
    ok "$key is the key of $name.crt"
  else
    not_ok "$key is the key of $name.crt" "certificate and key public parts differ"
  fi
}

# first_subject FILE: subject of the first certificate in FILE
first_subject () { openssl x509 -in "$1" -noout -subject -nameopt RFC2253 2>/dev/null; }

# --- the good set: OK, as sent, for the host names and IP of the SAN --------
for name in server-rsa server-dsa server-ecdsa server-ed25519 server-dh-rsa server-dh-dss; do
  verify "$name" 0 "$name.crt: OK" -verify_hostname localhost -purpose sslserver
  verify "$name" 0 "$name.crt: OK" -verify_hostname server.handshake-lab.test
  verify "$name" 0 "$name.crt: OK" -verify_ip 127.0.0.1
done
for name in server-rsa server-dsa server-ecdsa server-dh-rsa; do
  verify_with "$name" ca/intermediate.crt 0 "$name.crt: OK" -verify_hostname localhost
done
verify_with server-dh-dss ca/dsa-intermediate.crt 0 "server-dh-dss.crt: OK" -verify_hostname localhost
for name in client-rsa client-ecdsa; do
  verify "$name" 0 "$name.crt: OK" -purpose sslclient
  verify "$name" 2 "error 26 at 0 depth lookup: unsuitable certificate purpose" -purpose sslserver
done

# --- the bad set, each for its fault -----------------------------------------
verify expired 2 "error 10 at 0 depth lookup: certificate has expired" -verify_hostname localhost
verify not-yet-valid 2 "error 9 at 0 depth lookup: certificate is not yet valid" -verify_hostname localhost
verify wrong-host 2 "error 62 at 0 depth lookup: hostname mismatch" -verify_hostname localhost
verify wrong-host 0 "wrong-host.crt: OK" -verify_hostname other.example
verify untrusted 2 "error 19 at 1 depth lookup: self-signed certificate in certificate chain" -verify_hostname localhost
verify_with untrusted ca/intermediate.crt 2 "error 20 at 0 depth lookup: unable to get local issuer certificate"
verify bad-signature 2 "error 7 at 0 depth lookup: certificate signature failure" -verify_hostname localhost
verify intermediate-not-ca 2 "error 79 at 1 depth lookup: invalid CA certificate" -verify_hostname localhost
verify wrong-key-usage 0 "wrong-key-usage.crt: OK" -verify_hostname localhost
verify wrong-key-usage 2 "error 26 at 0 depth lookup: unsuitable certificate purpose" -verify_hostname localhost -purpose sslserver
verify missing-intermediate 2 "error 20 at 0 depth lookup: unable to get local issuer certificate" -verify_hostname localhost
verify_with missing-intermediate ca/intermediate.crt 0 "missing-intermediate.crt: OK" -verify_hostname localhost
verify out-of-order 0 "out-of-order.crt: OK" -verify_hostname localhost -purpose sslserver
verify unknown-critical-ext 2 "error 34 at 0 depth lookup: unhandled critical extension" -verify_hostname localhost

# --- rules/ (issue 14): openssl verify -x509_strict where OpenSSL has the rule -
# rverify NAME TRUST EXPECTED_RC EXPECTED_TEXT: rules/NAME.crt, its chain file
# as the untrusted set, strict, as a TLS server for localhost
rverify ()
{
  local name=$1 trust=$2 want_rc=$3 want=$4
  local out rc
  out=$(openssl verify -x509_strict -CAfile "$trust" -untrusted "rules/$name-chain.pem" \
          -attime "$CLOCK" -purpose sslserver -verify_hostname localhost "rules/$name.crt" 2>&1)
  rc=$?
  if [ "$rc" -eq "$want_rc" ] && grep -qF -- "$want" <<<"$out"; then
    ok "verify -x509_strict rules/$name -> rc $want_rc, '$want'"
  else
    not_ok "verify -x509_strict rules/$name -> rc $want_rc, '$want'" "got rc $rc:" "$(head -3 <<<"$out")"
  fi
}
if [ -d rules ]; then
  # the same verdict as Handshake Lab (tests/test-verify.c)
  rverify nc-ok ca/root.crt 0 "rules/nc-ok.crt: OK"
  rverify nc-excluded-dns ca/root.crt 2 "error 48 at 0 depth lookup: excluded subtree violation"
  rverify nc-dns ca/root.crt 2 "error 47 at 0 depth lookup: permitted subtree violation"
  rverify nc-ip ca/root.crt 2 "error 47 at 0 depth lookup: permitted subtree violation"
  rverify nc-email ca/root.crt 2 "error 47 at 0 depth lookup: permitted subtree violation"
  rverify nc-dirname ca/root.crt 2 "error 47 at 0 depth lookup: permitted subtree violation"
  rverify ca-as-leaf ca/root.crt 0 "rules/ca-as-leaf.crt: OK"
  rverify two-roots rules/ca/alt-roots.pem 0 "rules/two-roots.crt: OK"
  rverify no-aki ca/root.crt 2 "error 85 at 0 depth lookup: Missing Authority Key Identifier"
  rverify aki-critical ca/root.crt 2 "error 34 at 0 depth lookup: unhandled critical extension"
  rverify ca-no-ski ca/root.crt 2 "error 85 at 0 depth lookup: Missing Authority Key Identifier"
  rverify empty-subject ca/root.crt 2 "Subject empty and Subject Alt Name extension not critical"
  rverify bc-not-critical ca/root.crt 2 "error 89 at 1 depth lookup: Basic Constraints of CA cert not marked critical"
  rverify key-cert-sign-leaf ca/root.crt 2 "Key usage keyCertSign invalid for non-CA cert"
  rverify v1-intermediate ca/root.crt 2 "error 85 at 0 depth lookup: Missing Authority Key Identifier"
  rverify no-san ca/root.crt 0 "rules/no-san.crt: OK"
  rverify v1-leaf ca/root.crt 0 "rules/v1-leaf.crt: OK"
  # where OpenSSL does not have the rule (data/pki/README.md): it says OK,
  # or, for the cross-signed CA, it does not try the other path
  for name in bad-aia underscore long-serial negative-serial nc-on-leaf san-critical \
              rsa-1024 rsa-2052 sha1-signed; do
    rverify "$name" ca/root.crt 0 "rules/$name.crt: OK"
  done
  rverify cross-signed rules/ca/two-trusted-roots.pem 2 "error 48 at 0 depth lookup: excluded subtree violation"
  # each chain file starts with its leaf
  for crt in rules/*.crt; do
    name=${crt%.crt}
    if cmp -s <(head -c "$(stat -c %s "$crt")" "$name-chain.pem") "$crt"; then
      ok "$name-chain.pem starts with the leaf"
    else
      not_ok "$name-chain.pem starts with the leaf"
    fi
  done
fi

# --- the clock matters: the good set is not valid before 2025 ----------------
out=$(openssl verify -CAfile ca/root.crt -untrusted ca/intermediate.crt -attime 1704067200 server-rsa.crt 2>&1)
if [ $? -eq 2 ] && grep -qF "certificate is not yet valid" <<<"$out"; then
  ok "server-rsa is not yet valid on 2024-01-01"
else
  not_ok "server-rsa is not yet valid on 2024-01-01" "$out"
fi

# --- keys --------------------------------------------------------------------
for name in server-rsa server-dsa server-ecdsa server-dh-rsa server-dh-dss \
            client-rsa client-ecdsa expired not-yet-valid wrong-host untrusted \
            bad-signature intermediate-not-ca wrong-key-usage \
            missing-intermediate out-of-order unknown-critical-ext; do
  key_matches "$name"
  if head -1 "$name.key" | grep -qx -- "-----BEGIN PRIVATE KEY-----"; then
    ok "$name.key is PKCS#8"
  else
    not_ok "$name.key is PKCS#8" "first line: $(head -1 "$name.key")"
  fi
done
key_matches server-rsa server-rsa.rsa.key
if head -1 server-rsa.rsa.key | grep -qx -- "-----BEGIN RSA PRIVATE KEY-----"; then
  ok "server-rsa.rsa.key is the traditional RSA form"
else
  not_ok "server-rsa.rsa.key is the traditional RSA form" "first line: $(head -1 server-rsa.rsa.key)"
fi
for ca in root intermediate dsa-intermediate untrusted-root not-ca-intermediate; do
  key_matches "ca/$ca"
done

# key types
check_type ()
{
  local file=$1 want=$2
  if openssl x509 -in "$file" -noout -text | grep -qF -- "$want"; then
    ok "$file has '$want'"
  else
    not_ok "$file has '$want'"
  fi
}
check_type server-rsa.crt "Public-Key: (2048 bit)"
check_type server-rsa.crt "rsaEncryption"
check_type server-dsa.crt "dsaEncryption"
check_type server-ecdsa.crt "NIST CURVE: P-256"
check_type server-ed25519.crt "ED25519"
check_type server-dh-rsa.crt "X9.42 DH"
check_type server-dh-rsa.crt "GROUP: ffdhe2048"
check_type server-dh-rsa.crt "Key Agreement"
check_type server-dh-dss.crt "X9.42 DH"
check_type server-dh-dss.crt "dsa_with_SHA256"
check_type ca/root.crt "CA:TRUE"
check_type ca/intermediate.crt "CA:TRUE, pathlen:0"
check_type ca/not-ca-intermediate.crt "CA:FALSE"
check_type wrong-key-usage.crt "TLS Web Client Authentication"
check_type unknown-critical-ext.crt "1.3.6.1.4.1.55555.1: critical"
if [ -d rules ]; then
  check_type rules/ca/nc-intermediate.crt "X509v3 Name Constraints: critical"
  check_type rules/rsa-2052.crt "Public-Key: (2052 bit)"
  check_type rules/sha1-signed.crt "sha1WithRSAEncryption"
fi

# --- chain files ----------------------------------------------------------------
for name in server-rsa server-dsa server-ecdsa server-dh-rsa server-dh-dss \
            client-rsa client-ecdsa expired not-yet-valid wrong-host untrusted \
            bad-signature intermediate-not-ca wrong-key-usage \
            missing-intermediate unknown-critical-ext; do
  if [ "$(first_subject "$name-chain.pem")" = "$(first_subject "$name.crt")" ] &&
     cmp -s <(head -c "$(stat -c %s "$name.crt")" "$name-chain.pem") "$name.crt"; then
    ok "$name-chain.pem starts with the leaf"
  else
    not_ok "$name-chain.pem starts with the leaf"
  fi
done
count=$(grep -c -- "-----BEGIN CERTIFICATE-----" missing-intermediate-chain.pem)
[ "$count" -eq 1 ] && ok "missing-intermediate-chain.pem holds the leaf only" ||
  not_ok "missing-intermediate-chain.pem holds the leaf only" "$count certificates"
if cmp -s <(head -c "$(stat -c %s ca/intermediate.crt)" out-of-order-chain.pem) ca/intermediate.crt; then
  ok "out-of-order-chain.pem starts with the intermediate"
else
  not_ok "out-of-order-chain.pem starts with the intermediate"
fi

# bad-signature is server-rsa with its signature changed, nothing else
tbs () { openssl asn1parse -in "$1" -strparse 4 -noout -out /dev/stdout 2>/dev/null | od -An -tx1 | tr -d ' \n'; }
if [ "$(tbs bad-signature.crt)" = "$(tbs server-rsa.crt)" ] && ! cmp -s bad-signature.crt server-rsa.crt; then
  ok "bad-signature.crt differs from server-rsa.crt only in its signature"
else
  not_ok "bad-signature.crt differs from server-rsa.crt only in its signature"
fi

echo "1..$n"
if [ "$failed" -gt 0 ]; then
  echo "# $failed of $n checks failed: the demo PKI is not as data/pki/README.md says" >&2
  exit 1
fi
exit 0
