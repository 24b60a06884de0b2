#!/bin/sh
# make.sh — makes the certificates and keys of tests/data/x509/ with OpenSSL.
#
# Run by hand (not at build time) from this directory; the results are
# committed so the tests do not depend on the OpenSSL that is installed.
# Made with OpenSSL 3.0.  Keys are throw-away test keys.
#
#   root-rsa      self-signed root CA, RSA 2048, sha256, notAfter in 2120s
#                 (a GeneralizedTime)
#   inter-rsa     intermediate CA signed by root-rsa, sha384, pathlen 0
#   server-rsa    RSA 2048 leaf signed by inter-rsa: SAN DNS and IP, EKU
#                 serverAuth+clientAuth, keyUsage, SKI/AKI
#   server-dsa    DSA 2048/256 leaf signed by inter-rsa
#   server-ec     ECDSA P-256 leaf signed by inter-rsa
#   ec384         self-signed P-384, ecdsa-with-SHA384
#   ec256-sha256  self-signed P-256, ecdsa-with-SHA256
#   dsa1024-sha1  self-signed DSA 1024/160, dsa-with-sha1
#   dsa-sha256    self-signed DSA 2048, dsa-with-sha256
#   rsa-sha1, rsa-sha512   self-signed RSA with those hashes
#   v1            a version 1 certificate (no extensions)
#   unknown-crit  a leaf with an unknown critical extension
#   Keys: *.key PKCS#8 "PRIVATE KEY"; *.rsa.key "RSA PRIVATE KEY",
#   *.dsa.key "DSA PRIVATE KEY", *.sec1.key "EC PRIVATE KEY";
#   enc-pkcs8.key / enc-rsa.key encrypted (password "test").
set -eu
cd "$(dirname "$0")"

# "./make.sh verify" makes only the verify/ set (part 2, path validation).
if [ "${1:-}" != "verify" ]; then

subj () { echo "/C=XX/O=Handshake Lab Tests/OU=$1/CN=$2"; }

cat > ext.cnf <<'CNF'
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ inter ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:localhost, DNS:*.example.test, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ selfsigned ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature
subjectAltName = DNS:self.example.test

[ unknown_crit ]
basicConstraints = critical, CA:FALSE
subjectAltName = DNS:unknown.example.test
1.3.6.1.4.1.55555.1.1 = critical, DER:05:00
CNF

# --- keys
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out root-rsa.key
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out inter-rsa.key
openssl req -newkey rsa:2048 -nodes -keyout server-rsa.key -subj "$(subj Servers localhost)" -out server-rsa.csr
openssl rsa -in server-rsa.key -traditional -out server-rsa.rsa.key
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -pkeyopt dsa_paramgen_q_bits:256 -out dsa2048.param
openssl genpkey -paramfile dsa2048.param -out server-dsa.key
openssl pkey -in server-dsa.key -traditional -out server-dsa.dsa.key
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -pkeyopt dsa_paramgen_q_bits:160 -out dsa1024.param
openssl genpkey -paramfile dsa1024.param -out dsa1024.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out server-ec.key
openssl pkey -in server-ec.key -traditional -out server-ec.sec1.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve -out ec384.key
openssl pkcs8 -topk8 -in server-rsa.key -v2 aes-128-cbc -passout pass:test -out enc-pkcs8.key
openssl rsa -in server-rsa.key -traditional -aes128 -passout pass:test -out enc-rsa.key
rm -f dsa2048.param dsa1024.param

# --- CA certificates
openssl req -x509 -new -key root-rsa.key -sha256 -days 36500 -set_serial 0x01 \
  -subj "$(subj CA 'Test Root CA')" -extensions root -config ext.cnf -out root-rsa.pem 2>/dev/null \
  || openssl req -x509 -new -key root-rsa.key -sha256 -days 36500 -set_serial 0x01 \
       -subj "$(subj CA 'Test Root CA')" -addext "basicConstraints=critical,CA:TRUE" \
       -addext "keyUsage=critical,keyCertSign,cRLSign" -out root-rsa.pem
openssl req -new -key inter-rsa.key -subj "$(subj CA 'Test Intermediate CA')" -out inter-rsa.csr
openssl x509 -req -in inter-rsa.csr -CA root-rsa.pem -CAkey root-rsa.key -sha384 -days 7300 \
  -set_serial 0x1002 -extfile ext.cnf -extensions inter -out inter-rsa.pem

# --- leaves
leaf () { # name csr-key-or-csr days serial
  openssl x509 -req -in "$1.csr" -CA inter-rsa.pem -CAkey inter-rsa.key -sha256 -days 3650 \
    -set_serial "$2" -extfile ext.cnf -extensions "${3:-server}" -out "$1.pem"
}
leaf server-rsa 0x00c0ffee01
openssl req -new -key server-dsa.key -subj "$(subj Servers 'dsa.example.test')" -out server-dsa.csr
leaf server-dsa 0x00c0ffee02
openssl req -new -key server-ec.key -subj "$(subj Servers 'ec.example.test')" -out server-ec.csr
leaf server-ec 0x00c0ffee03
openssl req -new -key server-rsa.key -subj "$(subj Servers 'unknown.example.test')" -out unknown-crit.csr
leaf unknown-crit 0x00c0ffee04 unknown_crit

# --- self-signed certificates with each signature algorithm
selfsigned () { # name key digest cn
  openssl req -x509 -new -key "$2" "-$3" -days 3650 -set_serial "0x5e1f" \
    -subj "$(subj Self "$4")" -config ext.cnf -extensions selfsigned -out "$1.pem"
}
selfsigned ec384 ec384.key sha384 'ec384.example.test'
selfsigned ec256-sha256 server-ec.key sha256 'ec256.example.test'
selfsigned dsa1024-sha1 dsa1024.key sha1 'dsa1024.example.test'
selfsigned dsa-sha256 server-dsa.key sha256 'dsa256.example.test'
selfsigned rsa-sha1 server-rsa.key sha1 'rsa-sha1.example.test'
selfsigned rsa-sha512 server-rsa.key sha512 'rsa-sha512.example.test'

# --- a version 1 certificate: x509 -req without extensions
openssl req -new -key server-rsa.key -subj "$(subj Old 'v1.example.test')" -out v1.csr
openssl x509 -req -in v1.csr -CA root-rsa.pem -CAkey root-rsa.key -sha256 -days 3650 \
  -set_serial 7 -out v1.pem

# --- a chain file, leaf first
cat server-rsa.pem inter-rsa.pem > server-rsa-chain.pem

rm -f ./*.csr ext.cnf
for c in *.pem; do
  openssl x509 -in "$c" -noout -text -nameopt RFC2253 -dateopt iso_8601 > "${c%.pem}.txt"
done
fi

# --- verify/: chains where exactly one condition of path validation is
# broken (tests/test-verify.c), each compared with `openssl verify`.
#   root            Verify Root CA (trust anchor), pathlen unlimited
#   inter0          CA with pathLenConstraint 0; sub is a CA below it and
#   deep            is a leaf below sub: the path length is exceeded at inter0
#   noksign         a CA whose keyUsage lacks keyCertSign; noksign-leaf below it
#   short           a CA valid one year; short-leaf, ten years: checked after
#                   the CA expired, only the CA's validity fails
#   good            a leaf of inter0's sibling "inter" with SAN DNS and a wildcard
#   cn-only         a leaf without subjectAltName, CN cn.example.test
#   any-eku         a leaf with extendedKeyUsage anyExtendedKeyUsage only
#   twin1, twin2    two CAs with the same name and different keys;
#                   twin-leaf is issued by twin2 (AKI tells them apart)
mkdir -p verify
cd verify
vsubj () { echo "/O=Handshake Lab Verify Tests/CN=$1"; }
cat > ext.cnf <<'CNF'
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ ca0 ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ noksign ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:good.example.test, DNS:*.wild.example.test, IP:10.1.2.3
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ cn_only ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid:always
[ any_eku ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = anyExtendedKeyUsage
subjectAltName = DNS:good.example.test
authorityKeyIdentifier = keyid:always
CNF
key () { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }
# cert NAME ISSUER SECTION DAYS CN
cert () {
  key "$1"
  openssl req -new -key "$1.key" -subj "$(vsubj "$5")" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -sha256 -days "$4" \
    -set_serial "0x$(openssl rand -hex 8)" -extfile ext.cnf -extensions "$3" -out "$1.pem"
  rm -f "$1.csr"
}
key root
openssl req -x509 -new -key root.key -sha256 -days 7300 -subj "$(vsubj 'Verify Root CA')" \
  -config ext.cnf -extensions root -set_serial 1 -out root.pem
cert inter root ca 7300 'Verify Intermediate CA'
cert inter0 root ca0 7300 'Verify PathLen0 CA'
cert sub inter0 ca 7300 'Verify Sub CA'
cert deep sub leaf 3650 'deep.example.test'
cert noksign root noksign 7300 'Verify No-KeyCertSign CA'
cert noksign-leaf noksign leaf 3650 'noksign.example.test'
cert short root ca 365 'Verify Short-Lived CA'
cert short-leaf short leaf 3650 'short.example.test'
cert good inter leaf 3650 'good.example.test'
cert cn-only inter cn_only 3650 'cn.example.test'
cert any-eku inter any_eku 3650 'any.example.test'
cert twin1 root ca 7300 'Verify Twin CA'
cert twin2 root ca 7300 'Verify Twin CA'
cert twin-leaf twin2 leaf 3650 'twin.example.test'
cat deep.pem sub.pem inter0.pem > deep-chain.pem
cat noksign-leaf.pem noksign.pem > noksign-leaf-chain.pem
cat short-leaf.pem short.pem > short-leaf-chain.pem
cat good.pem inter.pem > good-chain.pem
cat cn-only.pem inter.pem > cn-only-chain.pem
cat any-eku.pem inter.pem > any-eku-chain.pem
cat twin-leaf.pem twin1.pem twin2.pem > twin-leaf-chain.pem
# the leaf last and the root in the middle: built in any order
cat inter.pem root.pem good.pem > good-shuffled-chain.pem
rm -f ext.cnf ./*.srl

