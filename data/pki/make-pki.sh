#!/usr/bin/env bash
# make-pki.sh — makes the demo PKI of Handshake Lab with openssl.
#
# Run by hand from anywhere (not at build time); the PEM files it writes are
# committed.  It rewrites every file in this directory except itself and
# README.md.  Keys are fresh on each run: the output is not deterministic, and
# it need not be — scenarios read the committed files.
#
# Every certificate has explicit dates (openssl ca -startdate/-enddate), so the
# PKI is valid at the scenarios' fixed clock, 2026-06-01T12:00:00Z
# (unix 1780315200), whatever day the script runs.  See README.md for what
# each file is for and the verdict `openssl verify` gives for it.
set -euo pipefail

cd "$(dirname "$0")"
OUT=$PWD
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

START=20250101000000Z        # notBefore of the good set
END=20450101000000Z          # notAfter of the good set
MD=sha256
FAKETIME_START="2025-01-01 00:00:00"   # = START, for faketime
DAYS=7305                    # START + 7305 days = END (five leap days)

for tool in openssl faketime; do
  command -v "$tool" >/dev/null ||
    { echo "make-pki.sh: needs $tool (apt-get install $tool)" >&2; exit 1; }
done

mkdir -p "$OUT/ca"
rm -f "$OUT"/*.crt "$OUT"/*.key "$OUT"/*.pem "$OUT"/ca/*.crt "$OUT"/ca/*.key "$OUT"/ca/*.pem

# ---------------------------------------------------------------------------
# A minimal `openssl ca` setup: one database for every signature, subjects
# need not be unique, extensions come only from the sections below.
mkdir -p "$WORK/newcerts"
: > "$WORK/index.txt"
echo "unique_subject = no" > "$WORK/index.txt.attr"
openssl rand -hex 16 > "$WORK/serial"

cat > "$WORK/ca.cnf" <<CNF
[ ca ]
default_ca = lab

[ lab ]
dir             = $WORK
database        = \$dir/index.txt
new_certs_dir   = \$dir/newcerts
serial          = \$dir/serial
default_md      = $MD
policy          = policy_any
unique_subject  = no
copy_extensions = none
email_in_dn     = no

[ policy_any ]
organizationName = optional
commonName       = supplied

[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = placeholder

# --- CAs --------------------------------------------------------------------
[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ v3_intermediate ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# An "intermediate" that is not a CA: only the CA flag is wrong.
[ v3_not_ca ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# --- leaves -----------------------------------------------------------------
[ san_lab ]
DNS.1 = localhost
DNS.2 = server.handshake-lab.test
IP.1  = 127.0.0.1

[ v3_server_rsa ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_server_sign ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_server_dh ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, keyAgreement
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_client ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_wrong_host ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:other.example
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_wrong_key_usage ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_unknown_critical ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
1.3.6.1.4.1.55555.1    = critical, DER:0500
CNF

# ---------------------------------------------------------------------------
# Keys (PKCS#8 PEM, as openssl genpkey writes them)

DSA_PARAM=$WORK/dsa2048-256.param
DH_PARAM=$WORK/ffdhe2048.param

key_rsa ()   { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
key_ec ()    { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$1"; }
key_dsa ()   { openssl genpkey -paramfile "$DSA_PARAM" -out "$1"; }
key_dh ()    { openssl genpkey -paramfile "$DH_PARAM" -out "$1"; }

# DSA 2048/256 domain parameters (FIPS 186-4), shared by the DSA keys.
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 \
  -pkeyopt dsa_paramgen_q_bits:256 -out "$DSA_PARAM" 2>/dev/null
# The RFC 7919 ffdhe2048 group, as X9.42 DH parameters (p, g, q): the
# certificate form of a DH key is dhpublicnumber (RFC 3279, 2.3.3).
openssl genpkey -genparam -algorithm DHX -pkeyopt group:ffdhe2048 -out "$DH_PARAM"

# ---------------------------------------------------------------------------
# Signing helpers

# sign CSR_KEY SUBJECT_CN CA_CRT CA_KEY EXT_SECTION OUT_CRT [START END]
# Makes a CSR for the key and has the CA sign it.
sign ()
{
  local key=$1 cn=$2 cacrt=$3 cakey=$4 ext=$5 out=$6
  local start=${7:-$START} end=${8:-$END}
  openssl req -new -config "$WORK/ca.cnf" -key "$key" \
    -subj "/O=Handshake Lab/CN=$cn" -out "$WORK/req.csr"
  openssl ca -batch -notext -config "$WORK/ca.cnf" -md "$MD" \
    -cert "$cacrt" -keyfile "$cakey" -in "$WORK/req.csr" \
    -startdate "$start" -enddate "$end" \
    -extfile "$WORK/ca.cnf" -extensions "$ext" -out "$out" 2>/dev/null
}

# selfsign KEY CN EXT OUT
selfsign ()
{
  local key=$1 cn=$2 ext=$3 out=$4
  openssl req -new -config "$WORK/ca.cnf" -key "$key" \
    -subj "/O=Handshake Lab/CN=$cn" -out "$WORK/req.csr"
  openssl ca -batch -notext -selfsign -config "$WORK/ca.cnf" -md "$MD" \
    -keyfile "$key" -in "$WORK/req.csr" \
    -startdate "$START" -enddate "$END" \
    -extfile "$WORK/ca.cnf" -extensions "$ext" -out "$out" 2>/dev/null
}

# sign_dh DH_KEY CN CA_CRT CA_KEY OUT
# A DH key cannot sign its own CSR, so the CSR is made with a throw-away RSA
# key and `openssl x509 -req -force_pubkey` puts the DH public key in the
# certificate instead.  OpenSSL 3.0's x509 has no -not_before and takes
# notBefore from the clock, so the command runs under faketime at $START
# (`openssl x509 -CA -preserve_dates` on a template would refuse: it wants a
# self-signed input, and a DH key cannot be one).
sign_dh ()
{
  local key=$1 cn=$2 cacrt=$3 cakey=$4 out=$5
  key_rsa "$WORK/throwaway.key"
  openssl req -new -config "$WORK/ca.cnf" -key "$WORK/throwaway.key" \
    -subj "/O=Handshake Lab/CN=$cn" -out "$WORK/req.csr"
  openssl pkey -in "$key" -pubout -out "$WORK/dh.pub"
  TZ=UTC faketime "$FAKETIME_START" \
    openssl x509 -req -in "$WORK/req.csr" -force_pubkey "$WORK/dh.pub" \
      -CA "$cacrt" -CAkey "$cakey" -set_serial "0x$(openssl rand -hex 16)" \
      -days "$DAYS" -extfile "$WORK/ca.cnf" -extensions v3_server_dh -"$MD" \
      -out "$out" 2>/dev/null
}

# chain OUT CERT... : a chain file as a server sends it
chain () { local out=$1; shift; cat "$@" > "$out"; }

# ---------------------------------------------------------------------------
# Certification authorities

echo "CAs"
key_rsa ca/root.key
selfsign ca/root.key "Handshake Lab Root CA" v3_root ca/root.crt

key_rsa ca/intermediate.key
sign ca/intermediate.key "Handshake Lab Intermediate CA" ca/root.crt ca/root.key \
  v3_intermediate ca/intermediate.crt

key_dsa ca/dsa-intermediate.key
sign ca/dsa-intermediate.key "Handshake Lab DSA CA" ca/root.crt ca/root.key \
  v3_intermediate ca/dsa-intermediate.crt

# Not in the trust store: the root of the `untrusted` case.
key_rsa ca/untrusted-root.key
selfsign ca/untrusted-root.key "Untrusted Root" v3_root ca/untrusted-root.crt

# Issued by the root like an intermediate, but with CA:FALSE.
key_rsa ca/not-ca-intermediate.key
sign ca/not-ca-intermediate.key "Handshake Lab Not-a-CA Intermediate" ca/root.crt ca/root.key \
  v3_not_ca ca/not-ca-intermediate.crt

cat ca/intermediate.crt ca/root.crt > ca/chain.pem

INT="ca/intermediate.crt ca/intermediate.key"
SERVER_CN=server.handshake-lab.test

# leaf NAME KEYTYPE CN EXT [START END] : key, certificate from the
# intermediate, chain file (leaf then intermediate)
leaf ()
{
  local name=$1 type=$2 cn=$3 ext=$4
  shift 4
  "key_$type" "$name.key"
  # shellcheck disable=SC2086
  sign "$name.key" "$cn" $INT "$ext" "$name.crt" "$@"
  chain "$name-chain.pem" "$name.crt" ca/intermediate.crt
}

# ---------------------------------------------------------------------------
# The good set

echo "good set"
leaf server-rsa   rsa "$SERVER_CN" v3_server_rsa
leaf server-dsa   dsa "$SERVER_CN" v3_server_sign
leaf server-ecdsa ec  "$SERVER_CN" v3_server_sign
leaf client-rsa   rsa "Student" v3_client
leaf client-ecdsa ec  "Student (ECDSA)" v3_client

# The same RSA key in the traditional PKCS#1 form, for the key loader tests.
openssl pkey -in server-rsa.key -traditional -out server-rsa.rsa.key

# Static DH (historical): DH keys in certificates, signed by an RSA CA
# (DH_RSA) and by a DSA CA (DH_DSS).
key_dh server-dh-rsa.key
sign_dh server-dh-rsa.key "$SERVER_CN" $INT server-dh-rsa.crt
chain server-dh-rsa-chain.pem server-dh-rsa.crt ca/intermediate.crt

key_dh server-dh-dss.key
sign_dh server-dh-dss.key "$SERVER_CN" ca/dsa-intermediate.crt ca/dsa-intermediate.key \
  server-dh-dss.crt
chain server-dh-dss-chain.pem server-dh-dss.crt ca/dsa-intermediate.crt

# ---------------------------------------------------------------------------
# The bad set: each named for its fault

echo "bad set"
leaf expired       rsa "$SERVER_CN" v3_server_rsa 20200101000000Z 20210101000000Z
leaf not-yet-valid rsa "$SERVER_CN" v3_server_rsa 20400101000000Z 20450101000000Z
leaf wrong-host    rsa other.example v3_wrong_host
leaf wrong-key-usage rsa "$SERVER_CN" v3_wrong_key_usage
leaf unknown-critical-ext rsa "$SERVER_CN" v3_unknown_critical

# Chains to a root that is not in the trust store; the server sends its root.
key_rsa untrusted.key
sign untrusted.key "$SERVER_CN" ca/untrusted-root.crt ca/untrusted-root.key \
  v3_server_rsa untrusted.crt
chain untrusted-chain.pem untrusted.crt ca/untrusted-root.crt

# A copy of server-rsa with one byte of its signature flipped.
cp server-rsa.key bad-signature.key
openssl x509 -in server-rsa.crt -outform DER -out "$WORK/bad.der"
size=$(stat -c %s "$WORK/bad.der")
pos=$((size - 16))                      # inside the signature BIT STRING
byte=$(od -An -tu1 -j "$pos" -N1 "$WORK/bad.der" | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 0x5a)))" |
  dd of="$WORK/bad.der" bs=1 seek="$pos" conv=notrunc status=none
openssl x509 -inform DER -in "$WORK/bad.der" -out bad-signature.crt
chain bad-signature-chain.pem bad-signature.crt ca/intermediate.crt

# A leaf issued by an intermediate that has CA:FALSE.
key_rsa intermediate-not-ca.key
sign intermediate-not-ca.key "$SERVER_CN" ca/not-ca-intermediate.crt ca/not-ca-intermediate.key \
  v3_server_rsa intermediate-not-ca.crt
chain intermediate-not-ca-chain.pem intermediate-not-ca.crt ca/not-ca-intermediate.crt

# The server forgets to send the intermediate: the chain file is the leaf only.
leaf missing-intermediate rsa "$SERVER_CN" v3_server_rsa
chain missing-intermediate-chain.pem missing-intermediate.crt

# Intermediate sent before the leaf: wrong order, still a valid path.
leaf out-of-order rsa "$SERVER_CN" v3_server_rsa
chain out-of-order-chain.pem ca/intermediate.crt out-of-order.crt

chmod 644 ./*.key ca/*.key
echo "done: $(ls -1 ./*.crt ca/*.crt | wc -l) certificates in $OUT"
