#!/usr/bin/env bash
# tests/host/layers.sh: the layer check: no file includes a header of a layer above its own, vendor headers stay in their backend, guest code sees only the ABI.
#   tests/host/layers.sh            checks the tree, then that a planted bad include is caught
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib.sh

# The layers, bottom up (kernel/README.md). A folder not listed has no layer: that is an error,
# so a new folder must be placed on purpose.
rank_of() {
	case $1 in
	include/abi/*|kernel/lib/*) echo 0 ;;
	kernel/arch/*|kernel/console/*) echo 1 ;;
	kernel/boot/*) echo 2 ;;
	kernel/mm/*) echo 3 ;;
	kernel/dev/*) echo 4 ;;
	hv/*) echo 5 ;;
	kernel/app/*|kernel/sched/*|kernel/hc/*|kernel/net/*|kernel/chan/*) echo 6 ;;
	kernel/main.c|kernel/test/*) echo 7 ;;
	*) echo ;;
	esac
}

# check <root>: prints one line per violation under <root> (a tree laid out like the repository).
check() {
	local root=$1 f inc r ri dir
	while IFS= read -r f; do
		r=$(rank_of "$f")
		case $f in
		kernel/*|hv/*|include/abi/*) [ -n "$r" ] || { echo "$f: kernel/ folder with no layer (add it to tests/host/layers.sh and kernel/README.md)"; continue; } ;;
		esac
		while IFS= read -r inc; do
			case $f in
			libos/*|apps/*|tests/apps/*|tests/attack/*)
				case $inc in include/abi/*|libos/*|apps/*|tests/apps/*|tests/attack/*) ;;
				kernel/*|hv/*) echo "$f: guest code includes $inc (apps see only include/abi/ and libos)" ;; esac
				continue ;;
			tests/*|tools/*) continue ;; # host tools and tests may look inside
			esac
			case $inc in
			hv/vmx/*) [[ $f == hv/vmx/* ]] || echo "$f: includes $inc (VMX headers stay in hv/vmx/)" ;;
			hv/svm/*) [[ $f == hv/svm/* ]] || echo "$f: includes $inc (SVM headers stay in hv/svm/)" ;;
			hv/hv_backend.h|hv/fpu.h|hv/spec.h|hv/spec_asm.h|hv/gprs_asm.h|hv/switch.h) [[ $f == hv/* ]] || echo "$f: includes $inc (hv/'s own; the kernel uses hv/hv.h)" ;;
			esac
			[[ $f == include/abi/* && $inc != include/abi/* && $inc == */* ]] && echo "$f: the ABI includes $inc"
			ri=$(rank_of "$inc")
			[ -n "$ri" ] || continue
			if [ "$ri" -gt "$r" ]; then
				dir=${inc%/*}
				echo "$f: includes $inc, a layer above its own ($dir)"
			fi
		done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$root/$f")
	done < <(cd "$root" && find kernel hv include libos apps tests/apps tests/attack -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) 2>/dev/null | sort)
}

bad=$(check .)
if [ -z "$bad" ]; then
	pass layers.tree
else
	fail layers.tree "$(wc -l <<<"$bad") include(s) break the layers: $(head -n 3 <<<"$bad" | tr '\n' ';')"
	echo "$bad" >&2
fi

# The check itself: a planted include of each kind must be caught.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/kernel/mm" "$t/kernel/app" "$t/kernel/dev" "$t/hv/vmx" "$t/libos" "$t/kernel/nowhere"
printf '#include "hv/hv.h"\n' > "$t/kernel/mm/low.c"              # a lower layer reaching up to hv
printf '#include "kernel/app/app.h"\n' > "$t/kernel/dev/drv.c"    # a driver reaching into the app layer
printf '#include "hv/vmx/vmx.h"\n' > "$t/kernel/app/vendor.c"     # vendor headers outside the backend
printf '#include "kernel/mm/mm.h"\n' > "$t/libos/guest.c"         # guest code reaching into the kernel
printf '#include "kernel/lib/kstring.h"\n' > "$t/kernel/nowhere/x.c" # a folder with no layer
printf '#include "kernel/mm/mm.h"\n#include "hv/hv.h"\n' > "$t/kernel/app/fine.c" # allowed
planted=$(check "$t")
n=$(grep -c . <<<"$planted")
if [ "$n" = 5 ] && ! grep -q fine.c <<<"$planted"; then
	pass layers.catches-planted-includes
else
	fail layers.catches-planted-includes "expected 5 violations, found $n: $(tr '\n' ';' <<<"$planted")"
fi
exit $UV_FAILED
