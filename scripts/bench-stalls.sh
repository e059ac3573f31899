#!/usr/bin/env bash
# The longest stall of the UI event loop while the real app works, under
# Xvfb: JWKDESK_HEARTBEAT makes the app record, every second, the longest gap
# between 10 ms heartbeats sent through fyne.Do. Usage: bench-stalls.sh ./jwkdesk
set -euo pipefail
bin=$(realpath "$1")
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

# Inputs: a 64 KiB token and a ~1 MiB bundle of certificates.
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
scenario() { # label, seconds to wait, action…
  local label=$1 secs=$2 t0 t1
  shift 2
  t0=$(now)
  "$@"
  sleep "$secs"
  t1=$(now)
  printf "| %s | %s ms |\n" "$label" "$(worst "$t0" "$t1")"
}
gen() { xdotool key --clearmodifiers ctrl+g; }
paste() { xclip -selection clipboard <"$1"; xdotool key --clearmodifiers ctrl+shift+v; }
printf '%s' "$token" >"$work/token"
echo "| scenario | longest stall |"
echo "|---|---|"
scenario "idle (baseline)" 3 true
scenario "generate RSA 4096 (Ctrl+G)" 12 gen
scenario "inspect a $(( $(wc -c <"$work/token") / 1024 )) KiB token (paste and route)" 4 paste "$work/token"
scenario "convert a $(( $(wc -c <"$work/bundle-1m.pem") / 1024 )) KiB PEM bundle of $(grep -c 'BEGIN CERT' "$work/bundle-1m.pem") certificates (paste and route)" 15 paste "$work/bundle-1m.pem"
