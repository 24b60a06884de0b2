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
#
#   make-pki.sh          everything (new keys for every file)
#   make-pki.sh rules    only rules/: the certificates of the path validation
#                        rules (issue 14), signed by the existing ca/root and
#                        ca/intermediate, which are left as they are
#   make-pki.sh ed25519  only server-ed25519 (issue 16), signed by the existing
#                        ca/intermediate
set -euo pipefail
MODE=${1:-all}

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

mkdir -p "$OUT/ca" "$OUT/rules/ca"
if [ "$MODE" = all ]; then
  rm -f "$OUT"/*.crt "$OUT"/*.key "$OUT"/*.pem "$OUT"/ca/*.crt "$OUT"/ca/*.key "$OUT"/ca/*.pem
fi
if [ "$MODE" != ed25519 ]; then
  rm -f "$OUT"/rules/*.crt "$OUT"/rules/*.key "$OUT"/rules/*.pem "$OUT"/rules/ca/*.crt \
    "$OUT"/rules/ca/*.key "$OUT"/rules/ca/*.pem
fi

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

# --- rules/ (issue 14) --------------------------------------------------------
# A leaf like server-rsa; the others change one thing each.
[ r_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# A CA confined to the lab's names (RFC 5280, 4.2.1.10).
[ r_nc_ca ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
nameConstraints        = critical, @nc_lab
[ nc_lab ]
permitted;DNS.1        = localhost
permitted;DNS.2        = handshake-lab.test
permitted;IP.1         = 127.0.0.0/255.0.0.0
permitted;email.1      = handshake-lab.test
permitted;dirName.1    = nc_dir
excluded;DNS.1         = forbidden.handshake-lab.test
[ nc_dir ]
O = Handshake Lab

[ r_nc_ok ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, DNS:server.handshake-lab.test, IP:127.0.0.1, email:student@handshake-lab.test
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ r_nc_excluded_dns ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, DNS:forbidden.handshake-lab.test
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ r_nc_dns ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, DNS:other.example
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ r_nc_ip ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, IP:10.0.0.1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ r_nc_email ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, email:student@example.org
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# A CA certificate as the end entity, with a path length on it.
[ r_ca_leaf ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, digitalSignature, keyEncipherment, keyCertSign
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# Two roots with one name and one key (an expired one and its renewal),
# and a cross-signed CA.
[ r_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
[ r_ca ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ r_ca_excluding_lab ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
nameConstraints        = critical, excluded;DNS:localhost, excluded;DNS:handshake-lab.test

# The RFC 5280 profile, one fault each.
# (OpenSSL 3 adds both key identifiers unless told "none")
[ r_no_aki ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = none
[ r_aki_critical ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = critical, keyid:always
[ r_ca_no_ski ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = none
authorityKeyIdentifier = keyid:always
# (without an SKI above, no keyIdentifier: the issuer's name and serial)
[ r_leaf_below_no_ski ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid, issuer:always
[ r_empty_subject ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ r_san_critical ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = critical, @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ r_ca_bc_not_critical ]
basicConstraints       = CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ r_key_cert_sign_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment, keyCertSign
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ r_bad_aia ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
1.3.6.1.5.5.7.1.1      = DER:3003020101
[ r_underscore ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, DNS:bad_name.handshake-lab.test
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ r_nc_on_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = @san_lab
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
nameConstraints        = critical, permitted;DNS:localhost

# The web PKI.
[ r_no_san ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
CNF

# ---------------------------------------------------------------------------
# Keys (PKCS#8 PEM, as openssl genpkey writes them)

DSA_PARAM=$WORK/dsa2048-256.param
DH_PARAM=$WORK/ffdhe2048.param

key_rsa ()   { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
key_ec ()    { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$1"; }
key_dsa ()   { openssl genpkey -paramfile "$DSA_PARAM" -out "$1"; }
key_dh ()    { openssl genpkey -paramfile "$DH_PARAM" -out "$1"; }
key_ed25519 () { openssl genpkey -algorithm ED25519 -out "$1"; }

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

SERVER_CN=server.handshake-lab.test

if [ "$MODE" = all ]; then
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

fi   # MODE = all

# The Ed25519 server (an id-Ed25519 key, RFC 8410; it signs TLS 1.3's
# CertificateVerify with ed25519, RFC 8446, 4.2.3), issued by ca/intermediate.
if [ "$MODE" = all ] || [ "$MODE" = ed25519 ]; then
  echo "ed25519"
  key_ed25519 server-ed25519.key
  sign server-ed25519.key server.handshake-lab.test ca/intermediate.crt ca/intermediate.key \
    v3_server_sign server-ed25519.crt
  chain server-ed25519-chain.pem server-ed25519.crt ca/intermediate.crt
  chmod 644 server-ed25519.key
fi
if [ "$MODE" = ed25519 ]; then
  exit 0
fi

# ---------------------------------------------------------------------------
# rules/: a certificate for each rule of path validation (issue 14).  Leaves
# are issued by ca/intermediate unless said otherwise; each chain file is the
# leaf then what a server would send.  tests/test-verify.c and
# tests/pki-check.sh give the verdict of each.

echo "rules"
R=rules
RINT="ca/intermediate.crt ca/intermediate.key"

# rleaf NAME EXT [ISSUER_CRT ISSUER_KEY [CN [KEYTYPE]]]
rleaf ()
{
  local name=$1 ext=$2 cacrt=${3:-ca/intermediate.crt} cakey=${4:-ca/intermediate.key}
  local cn=${5:-$SERVER_CN} type=${6:-rsa}
  "key_$type" "$R/$name.key"
  sign "$R/$name.key" "$cn" "$cacrt" "$cakey" "$ext" "$R/$name.crt"
  chain "$R/$name-chain.pem" "$R/$name.crt" "$cacrt"
}

# xsign NAME EXT SUBJECT SERIAL [MD] : a leaf from ca/intermediate made with
# `openssl x509 -req`, for what `openssl ca` will not do (an empty subject,
# a serial number of our choosing, a weak digest); under faketime for its
# notBefore, as sign_dh.
xsign ()
{
  local name=$1 ext=$2 subj=$3 serial=$4 md=${5:-$MD}
  key_rsa "$R/$name.key"
  openssl req -new -config "$WORK/ca.cnf" -key "$R/$name.key" -subj "$subj" -out "$WORK/req.csr"
  TZ=UTC faketime "$FAKETIME_START" \
    openssl x509 -req -in "$WORK/req.csr" -CA ca/intermediate.crt -CAkey ca/intermediate.key \
      -set_serial "$serial" -days "$DAYS" -extfile "$WORK/ca.cnf" -extensions "$ext" -"$md" \
      -out "$R/$name.crt" 2>/dev/null
  chain "$R/$name-chain.pem" "$R/$name.crt" ca/intermediate.crt
}

# rca NAME CN EXT ISSUER_CRT ISSUER_KEY [START END]: a CA in rules/ca
rca ()
{
  local name=$1 cn=$2 ext=$3 cacrt=$4 cakey=$5
  shift 5
  [ -f "$R/ca/$name.key" ] || key_rsa "$R/ca/$name.key"
  sign "$R/ca/$name.key" "$cn" "$cacrt" "$cakey" "$ext" "$R/ca/$name.crt" "$@"
}

# Name constraints (RFC 5280, 4.2.1.10): a CA confined to the lab's names
rca nc-intermediate "Handshake Lab Constrained CA" r_nc_ca ca/root.crt ca/root.key
NC="$R/ca/nc-intermediate.crt $R/ca/nc-intermediate.key"
# shellcheck disable=SC2086
{
  rleaf nc-ok r_nc_ok $NC
  rleaf nc-excluded-dns r_nc_excluded_dns $NC
  rleaf nc-dns r_nc_dns $NC
  rleaf nc-ip r_nc_ip $NC
  rleaf nc-email r_nc_email $NC
}
# a subject outside the permitted directory name O=Handshake Lab
key_rsa "$R/nc-dirname.key"
openssl req -new -config "$WORK/ca.cnf" -key "$R/nc-dirname.key" \
  -subj "/O=Other Org/CN=$SERVER_CN" -out "$WORK/req.csr"
openssl ca -batch -notext -config "$WORK/ca.cnf" -md "$MD" -policy policy_any \
  -cert "$R/ca/nc-intermediate.crt" -keyfile "$R/ca/nc-intermediate.key" -in "$WORK/req.csr" \
  -startdate "$START" -enddate "$END" -preserveDN \
  -extfile "$WORK/ca.cnf" -extensions r_leaf -out "$R/nc-dirname.crt" 2>/dev/null
chain "$R/nc-dirname-chain.pem" "$R/nc-dirname.crt" "$R/ca/nc-intermediate.crt"

# A CA certificate as the end entity, pathLenConstraint 0 on it
rleaf ca-as-leaf r_ca_leaf

# Two roots, one name, one key: the first (in ca/alt-roots.pem) expired
key_rsa "$R/ca/alt-root.key"
openssl req -new -config "$WORK/ca.cnf" -key "$R/ca/alt-root.key" \
  -subj "/O=Handshake Lab/CN=Handshake Lab Alt Root" -out "$WORK/req.csr"
openssl ca -batch -notext -selfsign -config "$WORK/ca.cnf" -md "$MD" -keyfile "$R/ca/alt-root.key" \
  -in "$WORK/req.csr" -startdate 20100101000000Z -enddate 20200101000000Z \
  -extfile "$WORK/ca.cnf" -extensions r_root -out "$R/ca/alt-root-old.crt" 2>/dev/null
openssl ca -batch -notext -selfsign -config "$WORK/ca.cnf" -md "$MD" -keyfile "$R/ca/alt-root.key" \
  -in "$WORK/req.csr" -startdate "$START" -enddate "$END" \
  -extfile "$WORK/ca.cnf" -extensions r_root -out "$R/ca/alt-root.crt" 2>/dev/null
cat "$R/ca/alt-root-old.crt" "$R/ca/alt-root.crt" > "$R/ca/alt-roots.pem"
rca alt-intermediate "Handshake Lab Alt Intermediate" r_ca "$R/ca/alt-root.crt" "$R/ca/alt-root.key"
rleaf two-roots r_leaf "$R/ca/alt-intermediate.crt" "$R/ca/alt-intermediate.key"

# A cross-signed CA: one name, one key, two certificates.  The one from the
# lab root excludes the lab's names; the one from the alt root does not.
key_rsa "$R/ca/cross.key"
# both certificates carry rules/ca/cross.key
sign "$R/ca/cross.key" "Handshake Lab Cross CA" ca/root.crt ca/root.key r_ca_excluding_lab "$R/ca/cross-from-root.crt"
sign "$R/ca/cross.key" "Handshake Lab Cross CA" "$R/ca/alt-root.crt" "$R/ca/alt-root.key" r_ca "$R/ca/cross-from-alt.crt"
cat ca/root.crt "$R/ca/alt-root.crt" > "$R/ca/two-trusted-roots.pem"
key_rsa "$R/cross-signed.key"
sign "$R/cross-signed.key" "$SERVER_CN" "$R/ca/cross-from-root.crt" "$R/ca/cross.key" r_leaf "$R/cross-signed.crt"
chain "$R/cross-signed-chain.pem" "$R/cross-signed.crt" "$R/ca/cross-from-root.crt" "$R/ca/cross-from-alt.crt"

# The RFC 5280 profile
rleaf no-aki r_no_aki
rleaf aki-critical r_aki_critical
rca no-ski-intermediate "Handshake Lab No-SKI CA" r_ca_no_ski ca/root.crt ca/root.key
rleaf ca-no-ski r_leaf_below_no_ski "$R/ca/no-ski-intermediate.crt" "$R/ca/no-ski-intermediate.key"
xsign empty-subject r_empty_subject "/" "0x$(openssl rand -hex 16)"
rleaf san-critical r_san_critical
rca bc-not-critical-intermediate "Handshake Lab BC-Not-Critical CA" r_ca_bc_not_critical ca/root.crt ca/root.key
rleaf bc-not-critical r_leaf "$R/ca/bc-not-critical-intermediate.crt" "$R/ca/bc-not-critical-intermediate.key"
rleaf key-cert-sign-leaf r_key_cert_sign_leaf
# a version 1 intermediate: `openssl ca` without extensions writes v1; it has
# no key identifier, so its leaf has no authorityKeyIdentifier either
key_rsa "$R/ca/v1-intermediate.key"
openssl req -new -config "$WORK/ca.cnf" -key "$R/ca/v1-intermediate.key" \
  -subj "/O=Handshake Lab/CN=Handshake Lab V1 CA" -out "$WORK/req.csr"
openssl ca -batch -notext -config "$WORK/ca.cnf" -md "$MD" -cert ca/root.crt -keyfile ca/root.key \
  -in "$WORK/req.csr" -startdate "$START" -enddate "$END" -out "$R/ca/v1-intermediate.crt" 2>/dev/null
rleaf v1-intermediate r_no_aki "$R/ca/v1-intermediate.crt" "$R/ca/v1-intermediate.key"
rleaf bad-aia r_bad_aia
rleaf underscore r_underscore
xsign long-serial r_leaf "/O=Handshake Lab/CN=$SERVER_CN" "0x01$(openssl rand -hex 20)"
xsign negative-serial r_leaf "/O=Handshake Lab/CN=$SERVER_CN" "-0x$(openssl rand -hex 8)"
rleaf nc-on-leaf r_nc_on_leaf

# The web PKI
rleaf no-san r_no_san ca/intermediate.crt ca/intermediate.key localhost
key_rsa1024 () { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$1" 2>/dev/null; }
key_rsa2052 () { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2052 -out "$1" 2>/dev/null; }
rleaf rsa-1024 r_leaf ca/intermediate.crt ca/intermediate.key "$SERVER_CN" rsa1024
rleaf rsa-2052 r_leaf ca/intermediate.crt ca/intermediate.key "$SERVER_CN" rsa2052
xsign sha1-signed r_leaf "/O=Handshake Lab/CN=$SERVER_CN" "0x$(openssl rand -hex 16)" sha1
# a version 1 leaf: no extensions at all (its CN is its only name)
key_rsa "$R/v1-leaf.key"
openssl req -new -config "$WORK/ca.cnf" -key "$R/v1-leaf.key" -subj "/O=Handshake Lab/CN=localhost" \
  -out "$WORK/req.csr"
openssl ca -batch -notext -config "$WORK/ca.cnf" -md "$MD" -cert ca/intermediate.crt \
  -keyfile ca/intermediate.key -in "$WORK/req.csr" -startdate "$START" -enddate "$END" \
  -out "$R/v1-leaf.crt" 2>/dev/null
chain "$R/v1-leaf-chain.pem" "$R/v1-leaf.crt" ca/intermediate.crt

chmod 644 ./*.key ca/*.key "$R"/*.key "$R"/ca/*.key
echo "done: $(ls -1 ./*.crt ca/*.crt "$R"/*.crt "$R"/ca/*.crt | wc -l) certificates in $OUT"
