#!/usr/bin/env bash
# End-to-end check of the real binary in a real X window (Xvfb), driven by
# keyboard shortcuts only, reading results from the real clipboard.
# Usage: scripts/e2e.sh ./jwkdesk   (screenshots go to screenshots/)
set -euo pipefail

bin=$(realpath "${1:-./jwkdesk}")
root=$(cd "$(dirname "$0")/.." && pwd)
shots="$root/screenshots"
mkdir -p "$shots"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "e2e: FAIL: $*" >&2; [ -f "$work/app.log" ] && tail -20 "$work/app.log" >&2; exit 1; }

# A free display number.
disp=99
while [ -e "/tmp/.X11-unix/X$disp" ] || [ -e "/tmp/.X$disp-lock" ]; do disp=$((disp + 1)); done
export DISPLAY=":$disp"
Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo >/dev/null 2>&1 || { command -v xdpyinfo >/dev/null || sleep 2; }

# A fresh home: no preferences, no workspace from earlier runs.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME"
export JWKDESK_CLIPBOARD_CLEAR=3s

"$bin" >"$work/app.log" 2>&1 &
pids+=($!)
wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^JWK Desk$' | head -1) || fail "the window did not appear"
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 1

passed=0
key() { xdotool key --clearmodifiers "$@"; }
clip() { xclip -o -selection clipboard 2>/dev/null || true; }
# wait_clip PATTERN: wait until the clipboard matches (grep -E), up to 30 s.
wait_clip() {
  for _ in $(seq 300); do clip | grep -Eq "$1" && return 0; sleep 0.1; done
  return 1
}

echo "e2e: scenario 1: Alt+1, Ctrl+G (EC P-256 by default), Ctrl+Shift+C → public JWK"
printf 'sentinel' | xclip -selection clipboard
key alt+1
key ctrl+g
sleep 1
key ctrl+shift+c
wait_clip '"kty": "EC"' || fail "the clipboard does not hold an EC JWK: $(clip | head -c 200)"
jwk=$(clip)
echo "$jwk" | grep -q '"crv": "P-256"' || fail "not P-256: $jwk"
if echo "$jwk" | grep -q '"d"'; then fail "the public JWK holds d"; fi
kid=$(echo "$jwk" | sed -n 's/.*"kid": "\([^"]*\)".*/\1/p')
tp=$(echo "$jwk" | "$bin" thumbprint - | sed -n 's/.*"thumbprint": "\([^"]*\)".*/\1/p')
[ -n "$kid" ] && [ "$kid" = "$tp" ] || fail "kid $kid is not the RFC 7638 thumbprint $tp"
echo "e2e: ok: public EC P-256 JWK, kid = thumbprint $kid"
passed=$((passed + 1))
import -window root "$shots/generate.png"
echo "e2e: screenshot $shots/generate.png"

echo "e2e: $passed passed, 0 failed"
