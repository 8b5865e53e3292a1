#!/usr/bin/env bash
# tools/deps/libsodium.sh: builds libsodium 1.0.18 from Debian's `libsodium` source package for the app target into $UV_CACHE/libsodium-1.0.18 (tools/deps/README.md).
. "$(dirname "$0")/common.sh"
ver=1.0.18
prefix="$UV_CACHE/libsodium-$ver"
newlib="$UV_CACHE/newlib-3.3.0/x86_64-elf"
stamp="$prefix/.built"
[ -f "$stamp" ] && exit 0

build() {
	[ -f "$stamp" ] && return 0
	[ -f "$newlib/include/stdio.h" ] || die "newlib is not built yet (tools/deps/newlib.sh)"
	for t in autoreconf automake libtoolize; do
		command -v "$t" >/dev/null || die "$t missing: install autoconf, automake, libtool (tools/deps/packages.sh)"
	done
	ensure_deb_src
	local tmp dir gccinc t0
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
	gccinc=$(gcc -print-file-name=include)
	t0=$(date +%s)
	say "fetching libsodium $ver source"
	(cd "$tmp" && apt-get source -qq libsodium > "$tmp/apt.log" 2>&1) ||
		{ tail -n 10 "$tmp/apt.log" >&2; die "apt-get source libsodium failed"; }
	dir=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name "libsodium-$ver*" | head -n1)
	[ -n "$dir" ] && [ -f "$dir/src/libsodium/crypto_sign/ed25519/ref10/sign.c" ] ||
		die "libsodium $ver source not found or laid out differently (Debian's version changed?)"
	say "building libsodium $ver into $prefix"
	# Debian's orig tarball is a git tree without configure.
	[ -x "$dir/configure" ] || (cd "$dir" && ./autogen.sh -s > "$tmp/autogen.log" 2>&1) ||
		{ tail -n 20 "$tmp/autogen.log" >&2; die "libsodium autogen.sh failed"; }
	rm -rf "$prefix"
	# For the app target like newlib: host tools, newlib's headers only; -U__linux__ keeps the
	# host's Linux-only paths (getrandom, sys/syscall.h) out. --enable-minimal still has
	# Ed25519 (crypto_sign_*). Random bytes come from the app: randombytes_set_implementation.
	(cd "$dir" && ./configure --prefix="$prefix" --host=x86_64-elf --disable-shared --enable-static \
		--without-pthreads --disable-ssp --disable-pie --enable-minimal CC=gcc AR=ar RANLIB=ranlib \
		CFLAGS="-O2 -g -U__linux__ -ffreestanding -mno-red-zone -fno-pic -fno-stack-protector -nostdinc -isystem $gccinc -isystem $newlib/include" \
		LDFLAGS="-nostdlib -static -L$newlib/lib" LIBS="-lc -lgcc" > "$tmp/configure.log" 2>&1) ||
		{ tail -n 20 "$tmp/configure.log" >&2; die "libsodium configure failed"; }
	(cd "$dir" && make -j"${UV_JOBS:-2}" install > "$tmp/make.log" 2>&1) ||
		{ tail -n 30 "$tmp/make.log" >&2; rm -rf "$prefix"; die "libsodium build failed"; }
	for f in include/sodium.h lib/libsodium.a; do
		[ -f "$prefix/$f" ] || { rm -rf "$prefix"; die "libsodium install lacks $f"; }
	done
	touch "$stamp"
	say "libsodium $ver built in $(( $(date +%s) - t0 )) s"
}
export -f build say die ensure_deb_src; export prefix newlib stamp ver UV_CACHE
with_lock bash -c build
