#!/usr/bin/env bash
# tools/deps/newlib.sh: builds newlib 3.3.0 from Debian's newlib-source into $UV_CACHE/newlib-3.3.0 (tools/deps/README.md).
. "$(dirname "$0")/common.sh"
ver=3.3.0
src=/usr/src/newlib/newlib-$ver.tar.xz
prefix="$UV_CACHE/newlib-$ver"
stamp="$prefix/.built"
[ -f "$stamp" ] && exit 0

build() {
	[ -f "$stamp" ] && return 0
	[ -f "$src" ] || die "$src missing: install newlib-source (tools/deps/packages.sh)"
	local tmp gccinc t0
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
	gccinc=$(gcc -print-file-name=include)
	t0=$(date +%s)
	say "building newlib $ver into $prefix (about 2 minutes)"
	tar -C "$tmp" -xJf "$src"
	[ -d "$tmp/newlib-salsa" ] || die "unexpected tarball layout (no newlib-salsa/)"
	rm -rf "$prefix"
	mkdir -p "$tmp/build"
	# Host tools stand in for the x86_64-elf ones; -nostdinc keeps glibc's headers out.
	(cd "$tmp/build" && ../newlib-salsa/configure --prefix="$prefix" \
		--target=x86_64-elf --disable-multilib --disable-nls \
		--disable-newlib-supplied-syscalls --enable-newlib-io-long-long \
		--enable-newlib-io-c99-formats \
		CC_FOR_TARGET=gcc AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld \
		NM_FOR_TARGET=nm RANLIB_FOR_TARGET=ranlib OBJCOPY_FOR_TARGET=objcopy \
		OBJDUMP_FOR_TARGET=objdump READELF_FOR_TARGET=readelf STRIP_FOR_TARGET=strip \
		CFLAGS_FOR_TARGET="-ffreestanding -mno-red-zone -fno-pic -fno-stack-protector -O2 -g -Wa,--noexecstack -nostdinc -isystem $gccinc" \
		> "$tmp/configure.log" 2>&1) || { tail -n 20 "$tmp/configure.log" >&2; die "newlib configure failed"; }
	(cd "$tmp/build" && make -j"${UV_JOBS:-2}" all > "$tmp/make.log" 2>&1 && make install >> "$tmp/make.log" 2>&1) ||
		{ tail -n 30 "$tmp/make.log" >&2; rm -rf "$prefix"; die "newlib build failed"; }
	for f in include/stdio.h lib/libc.a lib/libm.a; do
		[ -f "$prefix/x86_64-elf/$f" ] || { rm -rf "$prefix"; die "newlib install lacks x86_64-elf/$f"; }
	done
	touch "$stamp"
	say "newlib $ver built in $(( $(date +%s) - t0 )) s"
}
export -f build say die; export src prefix stamp ver UV_CACHE
with_lock bash -c build
