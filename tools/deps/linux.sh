#!/usr/bin/env bash
# tools/deps/linux.sh: fetches Debian's linux-image-amd64 (apt-get download, never installed) into the cache, unpacks it, extracts vmlinux.
#   linux.sh            prints the cache directory ($UV_CACHE/linux-<version>) on stdout
# The directory holds vmlinuz (the bzImage), vmlinux (the ELF inside its payload, booted by
# PVH), config, System.map, version (the Debian package version) and e1000.ko (Debian
# builds the e1000 driver as a module; the firewall bench's /init loads it).
. "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)

# The kernel package linux-image-amd64 depends on now (e.g. linux-image-6.1.0-56-amd64), and its version.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
	[ "$(id -u)" = 0 ] && apt-get update -qq
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
fi
[ -n "$pkg" ] || die "apt-cache knows no linux-image-amd64 (run apt-get update)"
ver=$(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')
[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no candidate version of $pkg"
dst="$UV_CACHE/linux-$ver"

fetch() {
	[ -f "$dst/vmlinux" ] && [ -f "$dst/e1000.ko" ] && return 0
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
	chmod 755 "$tmp" # apt's _apt user writes the download here
	say "fetching $pkg $ver (apt-get download; not installed)"
	(cd "$tmp" && apt-get download -qq "$pkg=$ver" >/dev/null 2>&1) || die "apt-get download $pkg=$ver failed"
	dpkg-deb -x "$tmp"/*.deb "$tmp/x"
	local kv=${pkg#linux-image-}
	mkdir -p "$tmp/out"
	cp "$tmp/x/boot/vmlinuz-$kv" "$tmp/out/vmlinuz"
	cp "$tmp/x/boot/config-$kv" "$tmp/out/config"
	cp "$tmp/x/boot/System.map-$kv" "$tmp/out/System.map"
	local ko="$tmp/x/lib/modules/$kv/kernel/drivers/net/ethernet/intel/e1000/e1000.ko"
	[ -f "$ko" ] || die "$pkg has no ${ko#"$tmp/x"}"
	cp "$ko" "$tmp/out/e1000.ko"
	python3 "$here/../bench/linux/extract_vmlinux.py" "$tmp/out/vmlinuz" "$tmp/out/vmlinux" ||
		die "cannot extract vmlinux from $pkg's vmlinuz"
	echo "$ver" > "$tmp/out/version"
	echo "$kv" > "$tmp/out/release"
	rm -rf "$dst"
	mkdir -p "$(dirname "$dst")"
	mv "$tmp/out" "$dst"
}
export -f fetch say die; export dst ver pkg here UV_CACHE
{ [ -f "$dst/vmlinux" ] && [ -f "$dst/e1000.ko" ]; } || with_lock bash -c 'set -euo pipefail; fetch' || exit 1
echo "$dst"
