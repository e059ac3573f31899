#!/usr/bin/env bash
# Builds the Linux bundle with `fyne package` (icon, .desktop file from
# FyneApp.toml) and adds the AppStream metadata, with install rules for it in
# the bundle's Makefile. Output: dist/jwkdesk-linux.tar.xz
set -euo pipefail
fyne=$1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rm -f "JWK Desk.tar.xz"
"$fyne" package --os linux --tags jwx_es256k --release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xJf "JWK Desk.tar.xz" -C "$work"
rm -f "JWK Desk.tar.xz"
meta=usr/local/share/metainfo/io.github.jwkdesk.metainfo.xml
install -Dm0644 assets/io.github.jwkdesk.metainfo.xml "$work/jwkdesk/$meta"
mk="$work/jwkdesk/Makefile"
sed -i -e '/^install:/a\	install -Dm00644 '"$meta"' $(DESTDIR)$(PREFIX)/share/metainfo/io.github.jwkdesk.metainfo.xml' \
       -e '/^uninstall:/a\	-rm $(DESTDIR)$(PREFIX)/share/metainfo/io.github.jwkdesk.metainfo.xml' \
       -e '/^user-install:/a\	install -Dm00644 '"$meta"' $(DESTDIR)$(HOME)/.local/share/metainfo/io.github.jwkdesk.metainfo.xml' \
       -e '/^user-uninstall:/a\	-rm $(DESTDIR)$(HOME)/.local/share/metainfo/io.github.jwkdesk.metainfo.xml' "$mk"
mkdir -p dist
tar -cJf dist/jwkdesk-linux.tar.xz -C "$work" jwkdesk
echo "package: dist/jwkdesk-linux.tar.xz"
tar -tJf dist/jwkdesk-linux.tar.xz | grep -E '\.desktop$|metainfo|pixmaps/.+|bin/'
