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

. "$(dirname "$0")/xvfb.sh"
start_xvfb 99

# A fresh home: no workspace from earlier runs, and one preference: copied
# private material is cleared after 3 s (Settings › Clear clipboard after),
# so that scenario 5 need not wait the default 30 s.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
clear_after=3
prefs="$XDG_CONFIG_HOME/fyne/io.github.jwkdesk"
mkdir -p "$prefs"
printf '{"clipboard.clear_seconds":%d}\n' "$clear_after" >"$prefs/preferences.json"

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

echo "e2e: scenario 2: a PEM certificate chain on the clipboard, Ctrl+Shift+V → PEM / JWK, Ctrl+Shift+C → JWK with x5c"
cat "$root/convert/keys/testdata/parse/chain.pem" | xclip -selection clipboard
key ctrl+shift+v
sleep 1.5
key ctrl+shift+c
wait_clip '"x5c"' || fail "no JWK with x5c on the clipboard: $(clip | head -c 300)"
[ "$(clip | grep -c 'MII')" = 2 ] || fail "x5c does not hold the two certificates"
if clip | grep -q '"d"'; then fail "a certificate's JWK holds d"; fi
echo "e2e: ok: public JWK with a two-certificate x5c"
passed=$((passed + 1))
import -window root "$shots/pem.png"

# The tabs in their Alt+N order (ui/window.go).
tabs=(Generate "PEM / JWK" JWKS JWT)
tabkey() { # tabkey TITLE → alt+N
  local i
  for i in "${!tabs[@]}"; do [ "${tabs[$i]}" = "$1" ] && { echo "alt+$((i + 1))"; return; }; done
  fail "no tab titled $1"
}

echo "e2e: scenario 3: two keys added to the JWKS (Ctrl+J on the Generate tab), JWKS tab, Ctrl+Shift+C → public JWKS"
# Ctrl+J adds the key of the tab in front: back to Generate first.
key "$(tabkey Generate)"
key ctrl+j
kid1=$kid
key ctrl+g
sleep 1
key ctrl+j ctrl+shift+c
wait_clip '"kty": "EC"' || fail "no second key"
kid2=$(clip | sed -n 's/.*"kid": "\([^"]*\)".*/\1/p')
[ "$kid2" != "$kid1" ] || fail "the second key has the first key's kid"
key "$(tabkey JWKS)"
sleep 1
key ctrl+shift+c
wait_clip '"keys"' || fail "the clipboard does not hold a JWKS: $(clip | head -c 200)"
set=$(clip)
for k in "$kid1" "$kid2"; do echo "$set" | grep -q "\"kid\": \"$k\"" || fail "JWKS lacks $k"; done
[ "$(echo "$set" | grep -c '"kid"')" = 2 ] || fail "JWKS does not hold exactly two keys"
if echo "$set" | grep -Eq '"(d|p|q|dp|dq|qi|k)":'; then fail "the public JWKS holds private members"; fi
echo "e2e: ok: public JWKS with $kid1 and $kid2, no private members"
passed=$((passed + 1))
sleep 0.3 # the status line is painted after the clipboard is written
import -window root "$shots/jwks.png"

echo "e2e: scenario 4: a token signed by a workspace key, Ctrl+Shift+V → JWT tab, Ctrl+Shift+R → report"
key "$(tabkey Generate)"
key ctrl+shift+k
wait_clip '"d":' || fail "Ctrl+Shift+K did not copy the private JWK"
clip >"$work/priv.json"
printf '{"sub":"e2e","iat":%d,"exp":%d}' "$(date +%s)" "$(($(date +%s) + 3600))" >"$work/claims.json"
token=$("$bin" sign --key "$work/priv.json" --claims "$(cat "$work/claims.json")")
printf '%s' "$token" | xclip -selection clipboard
key ctrl+shift+v
sleep 1.5
key ctrl+shift+r
wait_clip '"verified": true' || fail "report not verified: $(clip | head -c 400)"
clip | grep -q "\"key\": \"$kid2\"" || fail "verified by another key than $kid2"
import -window root "$shots/jwt.png"
# Tamper with the payload: same header and signature, another subject.
payload=$(printf '{"sub":"mallory","iat":%d,"exp":%d}' "$(date +%s)" "$(($(date +%s) + 3600))" | base64 -w0 | tr '+/' '-_' | tr -d '=')
tampered="${token%%.*}.$payload.${token##*.}"
printf '%s' "$tampered" | xclip -selection clipboard
key ctrl+shift+v
sleep 1.5
key ctrl+shift+r
wait_clip '"verified": false' || fail "tampered token not refused: $(clip | head -c 400)"
clip | grep -q '"reason": "[^"]' || fail "no reason for the refusal"
echo "e2e: ok: verified by $kid2; tampered token refused: $(clip | sed -n 's/^  "reason": "\(.*\)",$/\1/p' | head -1)"
passed=$((passed + 1))
import -window root "$shots/jwt-refused.png"

echo "e2e: scenario 4b: a nested token (signed by a workspace key, encrypted to an enc key added with Ctrl+J), Ctrl+Shift+V → JWT tab, Ctrl+Shift+R → decrypted, inner verified"
"$bin" generate --kty EC --crv P-256 --use enc --kid e2e-enc >"$work/enc.json"
xclip -selection clipboard <"$work/enc.json"
key ctrl+shift+v
sleep 1.5
key ctrl+j
sleep 0.5
nested=$("$bin" encrypt --key "$work/enc.json" --claims "$(cat "$work/claims.json")" --sign-key "$work/priv.json")
printf '%s' "$nested" | xclip -selection clipboard
key ctrl+shift+v
sleep 2
key ctrl+shift+r
wait_clip '"decrypted": true' || fail "nested token not decrypted: $(clip | head -c 400)"
clip | grep -q '"key": "e2e-enc"' || fail "decrypted by another key than e2e-enc: $(clip | head -c 400)"
clip | grep -q '"verified": true' || fail "the inner token is not verified: $(clip | head -c 600)"
echo "e2e: ok: decrypted with e2e-enc, inner token verified by $kid2"
passed=$((passed + 1))
import -window root "$shots/jwt-nested.png"

echo "e2e: scenario 5: a private JWK copied (Ctrl+Shift+K) is cleared after the ${clear_after} s the preferences say"
key "$(tabkey Generate)"
key ctrl+shift+k
wait_clip '"d":' || fail "Ctrl+Shift+K did not copy the private JWK"
sleep $((clear_after + 1))
for _ in $(seq 50); do clip | grep -q '"d":' || break; sleep 0.1; done
if clip | grep -q '"d":'; then fail "the private JWK is still on the clipboard"; fi
echo "e2e: ok: clipboard cleared"
passed=$((passed + 1))

echo "e2e: scenario 6: the window fits half a screen: minimum size at most 900×600, each tab shot at 900×600"
hints=$(xprop -id "$wid" WM_NORMAL_HINTS 2>/dev/null | sed -n 's/.*minimum size: \([0-9]*\) by \([0-9]*\).*/\1 \2/p')
read -r minw minh <<<"${hints:-0 0}"
[ "$minw" -gt 0 ] && [ "$minw" -le 900 ] && [ "$minh" -le 600 ] || fail "the window's minimum size is ${minw}×${minh}, over 900×600"
xdotool windowsize --sync "$wid" 900 600 2>/dev/null || xdotool windowsize "$wid" 900 600
sleep 1
for t in "${tabs[@]}"; do
  key "$(tabkey "$t")"
  sleep 1
  name=$(echo "$t" | tr -d ' /' | tr 'A-Z' 'a-z')
  import -window "$wid" "$shots/$name-900.png"
done
echo "e2e: ok: minimum ${minw}×${minh}; screenshots $shots/*-900.png"
passed=$((passed + 1))

echo "e2e: scenario 7: Ctrl+Q while private keys exist only in memory asks, and the window stays"
key ctrl+q
sleep 1
xdotool search --onlyvisible --name '^JWK Desk$' >/dev/null || fail "Ctrl+Q closed the window without asking"
import -window "$wid" "$shots/quit-900.png"
echo "e2e: ok: asked before quitting (screenshot $shots/quit-900.png)"
passed=$((passed + 1))

echo "e2e: $passed passed, 0 failed"
