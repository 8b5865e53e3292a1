#!/usr/bin/env bash
# tools/deps/lwip.sh: unpacks lwIP 2.1.3 from Debian's `lwip` source package into $UV_CACHE/lwip-2.1.3 (tools/deps/README.md).
. "$(dirname "$0")/common.sh"
ver=2.1.3
dst="$UV_CACHE/lwip-$ver"
stamp="$dst/.unpacked"
[ -f "$stamp" ] && exit 0

unpack() {
	[ -f "$stamp" ] && return 0
	ensure_deb_src
	local tmp dir
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
	say "fetching lwip $ver source"
	# apt-get source applies Debian's patches (tools/deps/README.md: the `port` patch needs three
	# sockaddr-length macros from the lwIP port's lwipopts.h).
	(cd "$tmp" && apt-get source -qq lwip > "$tmp/apt.log" 2>&1) ||
		{ tail -n 10 "$tmp/apt.log" >&2; die "apt-get source lwip failed"; }
	dir=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name "lwip-$ver*" | head -n1)
	[ -n "$dir" ] || die "lwip $ver source not found (Debian's version changed?)"
	[ -f "$dir/src/core/tcp.c" ] || die "unexpected lwip source layout in $dir"
	rm -rf "$dst"
	mkdir -p "$(dirname "$dst")"
	mv "$dir" "$dst"
	touch "$stamp"
}
export -f unpack say die ensure_deb_src; export dst stamp ver UV_CACHE
with_lock bash -c unpack
