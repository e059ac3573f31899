#!/usr/bin/env bash
# The longest stall of the UI event loop while the real app works, under
# Xvfb: JWKDESK_HEARTBEAT makes the app record, every second, the longest gap
# between 10 ms heartbeats sent through fyne.Do. Each scenario's result is
# copied out of the window and checked, so a stall is only reported for work
# that was really done. Usage: bench-stalls.sh ./jwkdesk ./bin/mkjwks
set -euo pipefail
bin=$(realpath "$1"); mkjwks=$(realpath "$2")
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
. "$(dirname "$0")/xvfb.sh"
start_xvfb 80
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
# Preferences: the Generate tab opens on RSA 4096.
mkdir -p "$XDG_CONFIG_HOME/fyne/io.github.jwkdesk"
echo '{"generate.kty":"RSA","generate.shape.RSA":"4096","generate.use":"sig"}' >"$XDG_CONFIG_HOME/fyne/io.github.jwkdesk/preferences.json"

# Inputs: a 64 KiB token, a ~1 MiB bundle of certificates, and a
# 10,000-key JWKS (Ed25519 with short kids, so it fits the 1 MiB paste cap).
"$mkjwks" 10000 >"$work/jwks10k.json"
"$bin" generate --kty EC >"$work/k.json"
pad=$(head -c 47000 /dev/zero | tr '\0' 'x')
token=$("$bin" sign --key "$work/k.json" --claims "{\"sub\":\"big\",\"pad\":\"$pad\"}")
openssl ecparam -name prime256v1 -genkey -noout -out "$work/ca.key"
san=$(for j in $(seq 40); do printf 'DNS:replica-%02d.service.region.example.com,' "$j"; done)
for i in $(seq 480); do
  openssl req -x509 -key "$work/ca.key" -subj "/CN=service-$i.example.com" -days 2 -addext "subjectAltName=${san%,}" 2>/dev/null
done >"$work/bundle.pem"
awk '/-----BEGIN/{buf=""} {buf=buf $0 "\n"} /-----END/{if (length(out)+length(buf) <= 1048576) out=out buf} END{printf "%s", out}' "$work/bundle.pem" >"$work/bundle-1m.pem"

JWKDESK_HEARTBEAT="$work/hb" "$bin" >"$work/app.log" 2>&1 &
pids+=($!)
wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^JWK Desk$' | head -1)
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 2
now() { date +%s%3N; }
worst() { # worst gap (ms) reported between $1 and $2 (unix ms)
  awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b + 1100 && $2 > m {m=$2} END {print m+0}' "$work/hb"
}
scenario() { # label, seconds to wait, check, action…: prints a table row
  local label=$1 secs=$2 check=$3 t0 t1 result
  shift 3
  t0=$(now)
  "$@"
  sleep "$secs"
  t1=$(now)
  result=$($check) || result="**not done: $result**"
  printf "| %s | %s ms | %s |\n" "$label" "$(worst "$t0" "$t1")" "$result"
}
key() { xdotool key --clearmodifiers "$@"; }
# xclip stays in the background serving the selection: keep it off the
# pipes of $(…), which would otherwise wait for it.
paste() { xclip -selection clipboard <"$1" >/dev/null 2>&1; key ctrl+shift+v; }
clip() { xclip -selection clipboard -o 2>/dev/null; }
copied() { printf 'none' | xclip -selection clipboard >/dev/null 2>&1; key "$1"; sleep 1; clip; }
# Checks: what the window produced, copied out with its shortcut.
idle_ok() { echo "–"; }
# The copy is read whole before grep: grep -q would stop reading early, the
# writer would die of SIGPIPE and pipefail would call a good result a failure.
rsa_ok() { local c; c=$(copied ctrl+shift+c); grep -q '"kty": *"RSA"' <<<"$c" && echo "RSA JWK copied" || { echo "no RSA JWK"; return 1; }; }
token_ok() { local c; c=$(copied ctrl+shift+r); grep -q '"sub": "big"' <<<"$c" && echo "report with the claims copied" || { echo "no report"; return 1; }; }
bundle_ok() { local n; n=$(copied ctrl+shift+c | grep -o '"MII' | wc -l); [ "$n" -gt 0 ] && echo "JWK with $n certificates in x5c" || { echo "no x5c"; return 1; }; }
jwks_ok() { local n; n=$(copied ctrl+shift+c | grep -o '"kty"' | wc -l); [ "$n" -eq 10000 ] && echo "public JWKS of $n keys copied" || { echo "$n keys"; return 1; }; }
import_jwks() { paste "$1"; sleep 1; key ctrl+Return; }
printf "%s" "$token" >"$work/token"
echo "| scenario | longest stall | result checked |"
echo "|---|---|---|"
scenario "idle (baseline)" 3 idle_ok true
scenario "generate RSA 4096 (Ctrl+G)" 12 rsa_ok key ctrl+g
scenario "inspect a $(( $(wc -c <"$work/token") / 1024 )) KiB token (paste and route)" 4 token_ok paste "$work/token"
scenario "convert a $(( $(wc -c <"$work/bundle-1m.pem") / 1024 )) KiB PEM bundle of $(grep -c 'BEGIN CERT' "$work/bundle-1m.pem") certificates (paste and route)" 15 bundle_ok paste "$work/bundle-1m.pem"
scenario "import a $(( $(wc -c <"$work/jwks10k.json") / 1024 )) KiB JWKS of 10,000 keys (paste and route, Ctrl+Enter)" 15 jwks_ok import_jwks "$work/jwks10k.json"
# A nested JWE near the 64 KiB token cap: signed by k.json, encrypted to an
# enc key; both keys are pasted and added (Ctrl+J) first, after the JWKS
# scenario has counted its keys.
"$bin" generate --kty EC --use enc --kid bench-enc >"$work/enc.json"
jpad=$(head -c 33000 /dev/zero | tr '\0' 'x')
"$bin" encrypt --key "$work/enc.json" --claims "{\"sub\":\"big-jwe\",\"pad\":\"$jpad\"}" --sign-key "$work/k.json" >"$work/jwe"
add_key() { paste "$1"; sleep 1.5; key ctrl+j; sleep 1; }
add_key "$work/enc.json"
add_key "$work/k.json"
jwe_ok() { local c; c=$(copied ctrl+shift+r); grep -q '"decrypted": true' <<<"$c" && grep -q '"sub": "big-jwe"' <<<"$c" && echo "report: decrypted, inner claims" || { echo "no decrypted report"; return 1; }; }
scenario "inspect a $(( $(wc -c <"$work/jwe") / 1024 )) KiB nested JWE (paste and route; decrypt, inner verify)" 5 jwe_ok paste "$work/jwe"
