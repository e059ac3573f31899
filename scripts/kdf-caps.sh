#!/usr/bin/env bash
# Measures what one input at each key-derivation cap (convert/keys/kdf_caps.go)
# costs through the CLI on this machine: wall time and peak RSS of
# `jwkdesk convert FILE --passphrase-file F`, median of RUNS runs (3). CPU
# time (user+sys) is the figure to trust on a machine shared with other work:
# wall time grows with the load.
# The inputs are written by the keys package's TestWriteKDFWorstCases.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${RUNS:-3}
export GOTOOLCHAIN=local
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -tags jwx_es256k -o "$dir/jwkdesk" . || exit 1
go test -tags jwx_es256k -count=1 -run '^TestWriteKDFWorstCases$' ./convert/keys/ -args -kdf-worst-dir "$dir" >/dev/null || exit 1
printf 'correct-horse\n' >"$dir/pass"
cp convert/keys/testdata/parse/ed25519-pkcs8.pem "$dir/baseline-unencrypted.key"

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| input | exit | CPU time (median of $runs) | wall time | peak RSS | message |"
echo "|---|---|---|---|---|---|"
for f in "$dir"/*.key; do
  name=$(basename "$f" .key)
  walls=() cpus=() rss=() code=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M %U %S' -o "$dir/time" "$dir/jwkdesk" convert "$f" --passphrase-file "$dir/pass" >/dev/null 2>"$dir/err"
    code=$?
    read -r w m u s < <(tail -n1 "$dir/time") # "Command exited with …" comes first on failure
    walls+=("$w") rss+=("$m") cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
  done
  mw=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  mr=$(printf '%s\n' "${rss[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  mc=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  msg=$(grep -v '^found:\|^warning:' "$dir/err" | sed "s#$dir/##" | head -c 160 | tr '\n|' ' /')
  printf '| %s | %s | %s s | %s s | %s MiB | %s |\n' "$name" "$code" "$mc" "$mw" "$(awk -v k="$mr" 'BEGIN { printf "%.0f", k / 1024 }')" "$msg"
done
