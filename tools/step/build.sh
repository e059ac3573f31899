#!/usr/bin/env bash
# Builds smallstep's `step` CLI into DIR (default ./bin) for the encrypted-JWK
# interop tests (convert/keys/encjwk/step_test.go). A cold build downloads
# ~150 modules and takes minutes, so `make test` never runs it: `make
# interop-step` does. An existing binary of the pinned version is kept.
set -euo pipefail
VERSION=v0.21.0 # the newest github.com/smallstep/cli/cmd/step the module proxy builds
DIR=${1:-bin}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
if [ -x "$DIR/step" ] && go version -m "$DIR/step" 2>/dev/null | grep -q "smallstep/cli[[:space:]]*$VERSION"; then
  echo "step $VERSION: $DIR/step"
  exit 0
fi
echo "step $VERSION: building into $DIR (downloads ~150 modules the first time)"
GOBIN="$DIR" go install "github.com/smallstep/cli/cmd/step@$VERSION"
"$DIR/step" version
