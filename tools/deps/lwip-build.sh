#!/usr/bin/env bash
# tools/deps/lwip-build.sh: compiles lwIP 2.1.3 (unpacked by lwip.sh) for the app target with libos's port headers into OUT/liblwip.a.
# Usage: lwip-build.sh OUT_DIR PORT_INCLUDE_DIR... ; OUT_DIR is $UV_CACHE/lwip-2.1.3/<hash of the port headers>.
. "$(dirname "$0")/common.sh"
ver=2.1.3
src="$UV_CACHE/lwip-$ver"
out=$1; shift
[ -f "$out/.built" ] && exit 0
[ -f "$src/.unpacked" ] || "$(dirname "$0")/lwip.sh"
newlib="$UV_CACHE/newlib-3.3.0/x86_64-elf"
[ -f "$newlib/include/stdio.h" ] || "$(dirname "$0")/newlib.sh"
incs=()
for d in "$@"; do incs+=(-I"$(cd "$d" && pwd)"); done

build() {
	[ -f "$out/.built" ] && return 0
	local tmp gccinc t0 f o objs=()
	tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
	gccinc=$(gcc -print-file-name=include)
	t0=$(date +%s)
	say "building lwIP $ver for apps into $out"
	# The target flags of libos (libos/libos.mk GUEST_CFLAGS) at -O3 and with link-time
	# optimisation (below), warnings on but not fatal: this is third-party code, and a
	# warning here is reported, not hidden.
	local cflags=(-std=gnu11 -O3 -g -Wall -Wextra -nostdinc -isystem "$gccinc" -isystem "$newlib/include"
		-D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L "${incs[@]}" -I"$src/src/include"
		-fno-pic -fno-pie -mcmodel=small -mno-red-zone -fno-stack-protector -fno-common
		-ffunction-sections -fdata-sections -flto)
	for f in "$src"/src/core/*.c "$src"/src/core/ipv4/*.c "$src"/src/core/ipv6/*.c "$src"/src/api/*.c \
		"$src"/src/netif/ethernet.c; do
		o="$tmp/$(basename "$(dirname "$f")")_$(basename "${f%.c}").o"
		objs+=("$o")
		while [ "$(jobs -rp | wc -l)" -ge "${UV_JOBS:-2}" ]; do wait -n || true; done
		{ gcc "${cflags[@]}" -c "$f" -o "$o" 2>"$o.log" || echo "$f" >> "$tmp/fail.log"; } &
	done
	wait
	cat "$tmp"/*.o.log > "$tmp/warn.log" 2>/dev/null || true
	if [ -s "$tmp/fail.log" ]; then
		cat "$tmp/warn.log" >&2; die "lwIP build failed in $(head -n3 "$tmp/fail.log" | tr '\n' ' ')"
	fi
	[ -s "$tmp/warn.log" ] && { say "lwIP compiler warnings:"; cat "$tmp/warn.log" >&2; }
	mkdir -p "$out"
	rm -f "$out/liblwip.a"
	# One relocatable object optimised across lwIP's files (ordinary code: the archive needs
	# no LTO plugin); timeouts.o stays a member of its own, which the link pulls only when
	# nothing else defines its functions (libos's net/timers.c does: it replaces them).
	local core=() alone=()
	for o in "${objs[@]}"; do
		case $o in */core_timeouts.o) alone+=("$o") ;; *) core+=("$o") ;; esac
	done
	gcc "${cflags[@]}" -nostdlib -r -flinker-output=nolto-rel -o "$tmp/lwip.o" "${core[@]}" 2>"$tmp/lto.log" ||
		{ cat "$tmp/lto.log" >&2; die "lwIP's link-time optimisation failed"; }
	ar rcD "$out/liblwip.a" "$tmp/lwip.o" "${alone[@]}"
	touch "$out/.built"
	say "lwIP $ver built in $(( $(date +%s) - t0 )) s"
}
exec 9>"$UV_CACHE/.lock"; flock 9
build
