#!/usr/bin/env bash
# Installs the Debian packages JWK Desk needs that are not installed yet.
# Usage: scripts/install-deps.sh build|test
# build: what cgo needs to compile Fyne; test: that plus Xvfb, xclip and xdotool
# for the end-to-end tests in a real X window. apt-get update runs once, and
# only when something is missing; sudo is used when not root.
set -euo pipefail

pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev)
if [ "${1:-build}" = test ]; then
  pkgs+=(xvfb x11-utils xclip xdotool imagemagick openssl bc)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: not a Debian system; make sure these are installed: ${pkgs[*]}" >&2
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
