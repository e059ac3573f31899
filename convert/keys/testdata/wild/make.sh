#!/usr/bin/env bash
# Regenerates the fixtures of this directory with OpenSSL 3 and ssh-keygen.
# Every file is a key as a standard tool writes it; see README.md.
set -euo pipefail
cd "$(dirname "$0")"
g() { openssl genpkey "$@" 2>/dev/null; }

# RSASSA-PSS (OID 1.2.840.113549.1.1.10): no parameters, SHA-256/384/512 restrictions.
g -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out rsa-pss-pkcs8.pem
g -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha256 \
  -pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:32 -out rsa-pss-sha256-pkcs8.pem
g -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha384 -out rsa-pss-sha384-pkcs8.pem
g -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha512 \
  -pkeyopt rsa_pss_keygen_mgf1_md:sha512 -pkeyopt rsa_pss_keygen_saltlen:64 -out rsa-pss-sha512-pkcs8.pem
for k in rsa-pss rsa-pss-sha256 rsa-pss-sha384 rsa-pss-sha512; do
  openssl pkey -in $k-pkcs8.pem -pubout -out $k-spki.pem
done
openssl pkey -in rsa-pss-sha256-pkcs8.pem -outform DER -out rsa-pss-sha256-pkcs8.der
# openssl's "traditional" forms of a PSS key: PKCS#1 under RSA-PSS labels.
openssl rsa -in rsa-pss-sha256-pkcs8.pem -traditional -out rsa-pss-sha256-pkcs1.pem 2>/dev/null
openssl rsa -pubin -in rsa-pss-sha256-spki.pem -RSAPublicKey_out -out rsa-pss-sha256-pkcs1-public.pem 2>/dev/null
# A self-signed certificate of a PSS key, signed with PSS.
openssl req -x509 -new -key rsa-pss-sha384-pkcs8.pem -subj /CN=pss.example -days 36500 \
  -sigopt rsa_padding_mode:pss -sha384 -out rsa-pss-sha384-cert.pem

# EC keys with explicit curve parameters, and the same keys with the curve named.
for c in prime256v1:p256 secp384r1:p384 secp521r1:p521 secp256k1:secp256k1; do
  curve=${c%%:*} name=${c##*:}
  openssl ecparam -name "$curve" -genkey -noout -param_enc explicit -out ec-$name-explicit-sec1.pem
  openssl pkey -in ec-$name-explicit-sec1.pem -out ec-$name-explicit-pkcs8.pem
  openssl pkey -in ec-$name-explicit-sec1.pem -pubout -out ec-$name-explicit-spki.pem
  openssl ec -in ec-$name-explicit-sec1.pem -param_enc named_curve -out ec-$name-named-sec1.pem 2>/dev/null
done
openssl pkey -in ec-p256-explicit-spki.pem -pubin -outform DER -out ec-p256-explicit-spki.der
# Compressed points (SEC 1 §2.3.3), named and explicit.
openssl ec -in ec-p256-named-sec1.pem -conv_form compressed -pubout -out ec-p256-compressed-spki.pem 2>/dev/null
openssl ec -in ec-p256-named-sec1.pem -conv_form compressed -out ec-p256-compressed-sec1.pem 2>/dev/null
openssl ec -in ec-p384-named-sec1.pem -conv_form compressed -param_enc explicit -pubout \
  -out ec-p384-explicit-compressed-spki.pem 2>/dev/null

# Keys JOSE cannot use: each gets a refusal that names it.
g -algorithm ED448 -out ed448-pkcs8.pem && openssl pkey -in ed448-pkcs8.pem -pubout -out ed448-spki.pem
g -algorithm X448 -out x448-pkcs8.pem && openssl pkey -in x448-pkcs8.pem -pubout -out x448-spki.pem
g -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1 | openssl pkey -pubout -out brainpool-p256-spki.pem
g -algorithm EC -pkeyopt ec_paramgen_curve:secp224r1 | openssl pkey -pubout -out p224-spki.pem
g -algorithm DH -pkeyopt group:ffdhe2048 | openssl pkey -pubout -out dh-spki.pem
g -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out /tmp/dsaparam.$$.pem
g -paramfile /tmp/dsaparam.$$.pem | openssl pkey -pubout -out dsa-spki.pem
rm -f /tmp/dsaparam.$$.pem

# Other encodings standard tools write: RFC 4716 SSH2 public keys
# (ssh-keygen -e) and openssl's TRUSTED CERTIFICATE (x509 -trustout).
tmp=$(mktemp -d)
ssh-keygen -q -t ed25519 -N "" -C "" -f "$tmp/ed" && ssh-keygen -e -f "$tmp/ed.pub" > ssh2-ed25519.pub
ssh-keygen -q -t rsa -b 2048 -N "" -C "" -f "$tmp/rsa" && ssh-keygen -e -f "$tmp/rsa.pub" > ssh2-rsa.pub
ssh-keygen -y -f "$tmp/ed" > ssh2-ed25519.openssh.pub
rm -rf "$tmp"
openssl x509 -in ../parse/leaf.pem -trustout -addtrust serverAuth -out leaf-trusted.pem
# A PKCS#12 bundle: refused by name, with the openssl line that opens it.
openssl pkcs12 -export -in ../parse/leaf.pem -inkey ../parse/leaf.key -passout pass:correct-horse -out leaf.p12
