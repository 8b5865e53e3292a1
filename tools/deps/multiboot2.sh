#!/usr/bin/env bash
# tools/deps/multiboot2.sh: extracts multiboot2.h from GRUB's Debian source package into the cache.
. "$(dirname "$0")/common.sh"
ver=2.06
dst="$UV_CACHE/multiboot2-$ver/include"
[ -f "$dst/multiboot2.h" ] && exit 0
build() {
	[ -f "$dst/multiboot2.h" ] && return 0
	ensure_deb_src
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
	say "fetching grub2 $ver source for multiboot2.h"
	(cd "$tmp" && apt-get source --download-only -qq grub2 >/dev/null 2>&1) ||
		die "apt-get source --download-only grub2 failed"
	tarball=$(ls "$tmp"/grub2_${ver}*.orig.tar.* 2>/dev/null | head -n1)
	[ -n "$tarball" ] || die "grub2 $ver orig tarball not found (Debian's version changed?)"
	tar -C "$tmp" -xf "$tarball" "grub-$ver/include/multiboot2.h"
	mkdir -p "$dst"
	cp "$tmp/grub-$ver/include/multiboot2.h" "$dst/multiboot2.h.tmp"
	mv "$dst/multiboot2.h.tmp" "$dst/multiboot2.h"
}
export -f build say die ensure_deb_src; export dst ver UV_CACHE
with_lock bash -c build
