#!/usr/bin/env bash
# Makes the step-written fixtures of this folder, once: see README.md.
# Usage: STEP=/path/to/step ./make-fixtures.sh   (run in this folder)
set -euo pipefail
cd "$(dirname "$0")"
STEP=${STEP:-step}
PASS=passphrase.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$STEP" version

# step crypto jwk create writes the private key as a PBES2-encrypted JWK in
# the JSON (flattened) serialization: PBES2-HS256+A128KW, p2c 100,000,
# A256GCM, cty jwk+json.
create() { # name, then step's flags
  local name=$1; shift
  "$STEP" crypto jwk create "$name.pub.json" "$name.priv.json" "$@" --password-file "$PASS" -f
}
create ec-p256 --kty EC --crv P-256
create ec-p384 --kty EC --crv P-384
create ec-p521 --kty EC --crv P-521
create ec-p256-enc --kty EC --crv P-256 --use enc
create rsa-2048 --kty RSA --size 2048
create rsa-2048-enc --kty RSA --size 2048 --use enc
create okp-ed25519 --kty OKP --crv Ed25519
create oct --kty oct   # its "public" file holds the secret itself

# A JWK Set: two plaintext keys gathered by `step crypto jwk keyset add`,
# then encrypted by `step crypto jwe encrypt` with cty jwk-set+json (it asks
# for the password on the terminal: ptypass.py answers).
"$STEP" crypto jwk create "$tmp/a.pub" "$tmp/a.key" --kty EC --crv P-256 --no-password --insecure -f
"$STEP" crypto jwk create "$tmp/b.pub" "$tmp/b.key" --kty OKP --crv Ed25519 --no-password --insecure -f
"$STEP" crypto jwk keyset add "$tmp/set.json" < "$tmp/a.key"
"$STEP" crypto jwk keyset add "$tmp/set.json" < "$tmp/b.key"
"$STEP" crypto jwk keyset add set.pub.json < "$tmp/a.pub"
"$STEP" crypto jwk keyset add set.pub.json < "$tmp/b.pub"
python3 ptypass.py "$PASS" "$tmp/set.json" set.priv.json \
  "$STEP" crypto jwe encrypt --alg PBES2-HS256+A128KW --enc A256GCM --cty jwk-set+json

# The same without --cty: a JWK whose JWE header has no cty.
"$STEP" crypto jwk public < "$tmp/a.key" > nocty.pub.json
python3 ptypass.py "$PASS" "$tmp/a.key" nocty.priv.json \
  "$STEP" crypto jwe encrypt --alg PBES2-HS256+A128KW --enc A256GCM

# The compact form: `step ca init` keeps its provisioner's private JWK as a
# compact JWE in ca.json ("encryptedKey"), the public one beside it ("key").
STEPPATH="$tmp/ca" "$STEP" ca init --name "JWK Desk fixture" --dns localhost \
  --address 127.0.0.1:9443 --provisioner fixture@jwkdesk --password-file "$PASS" \
  --deployment-type standalone > /dev/null
python3 - "$tmp/ca/config/ca.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))['authority']['provisioners'][0]
open('ca-provisioner.jwe', 'w').write(p['encryptedKey'] + '\n')
json.dump(p['key'], open('ca-provisioner.pub.json', 'w'), indent=2)
PY
echo "fixtures written in $(pwd)"
