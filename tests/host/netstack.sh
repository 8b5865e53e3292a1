#!/usr/bin/env bash
# tests/host/netstack.sh: the app network stack as built: lwIP's defect-prone code paths are compiled out (libos/net/README.md), a user's app builds with its own warnings, `make run`'s NIC arguments carry a config's hostfwd.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib.sh
B=${B:-build}
UV_CACHE=${UV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/univisor}

# 1. lwIP: the library the apps link, and what must not be in it.
lib=$(make -s --no-print-directory -f Makefile -pn 2>/dev/null | sed -n 's/^LWIP_A := //p' | head -1)
lib=${lib//\$(UV_CACHE)/$UV_CACHE}
if [ -z "$lib" ] || [ ! -f "$lib" ]; then
	fail netstack.lwip-built "liblwip.a not found (${lib:-LWIP_A unknown}): make test-build"
else
	pass netstack.lwip-built
	syms=$(nm "$lib" 2>/dev/null)
	# name : symbol that exists only with the option that has the defect (libos/net/README.md)
	for c in "ip-frag-off:ip4_frag" "custom-pbuf-off:pbuf_alloced_custom" "ip-forward-off:ip4_forward" \
		"ip-forward-off-canforward:ip4_canforward" "tcp-ooseq-off:tcp_free_ooseq" "ipv6-frag-off:ip6_frag"; do
		n=${c%%:*} s=${c#*:}
		if grep -qE " [tTdDbB] $s\$" <<< "$syms"; then fail "netstack.$n" "$s is in $lib"
		else pass "netstack.$n"; fi
	done
	# The option check must be able to fail: a symbol that is there.
	grep -qE " T tcp_input$" <<< "$syms" && pass netstack.nm-sees-symbols || fail netstack.nm-sees-symbols "nm shows no tcp_input"
	grep -qE " T dhcp_start$" <<< "$syms" && pass netstack.dhcp-in || fail netstack.dhcp-in "no dhcp_start"
fi
grep -q '^#if LWIP_DHCP_MAX_DNS_SERVERS > DNS_MAX_SERVERS$' libos/net/include/lwipopts.h &&
	pass netstack.dhcp-dns-bound-checked || fail netstack.dhcp-dns-bound-checked "lwipopts.h lost its #error"

# 2. A user's app: someone else's code with an unused parameter builds with USER_WARN
#    (a warning, no failure); the same code as a project app (-Werror) does not.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/userapp"
cat > "$t/userapp/main.c" <<'EOC'
#include <stdio.h>
static int helper(int unused) { return 1; }
int main(int argc, char **argv) { return helper(argc) - 1; }
EOC
if make -s USER_APPS="$t/userapp" "$B/apps/userapp.elf" > "$t/out.txt" 2>&1 && [ -f "$B/apps/userapp.elf" ]; then
	grep -q 'unused parameter' "$t/out.txt" && pass netstack.user-app-warns-and-builds ||
		fail netstack.user-app-warns-and-builds "built, but the warning was not shown"
else
	fail netstack.user-app-warns-and-builds "$(grep -m1 error "$t/out.txt")"
fi
rm -rf "$B/apps/userapp.elf" "$B/guest$t"
if make -s USER_APPS="$t/userapp" USER_WARN="-Wall -Wextra -Werror" "$B/apps/userapp.elf" > "$t/out2.txt" 2>&1; then
	fail netstack.user-warn-honoured "USER_WARN with -Werror still built the app"
else
	pass netstack.user-warn-honoured
fi
rm -rf "$B/apps/userapp.elf" "$B/guest$t"
cat > "$t/userapp/flags.mk" <<'EOM'
APP_CFLAGS := -DUSER_FLAG_SEEN=1
EOM
cat >> "$t/userapp/main.c" <<'EOC'
#ifndef USER_FLAG_SEEN
#error flags.mk was not read
#endif
EOC
make -s USER_APPS="$t/userapp" "$B/apps/userapp.elf" > "$t/out3.txt" 2>&1 && pass netstack.app-flags-mk ||
	fail netstack.app-flags-mk "$(grep -m1 error "$t/out3.txt")"
rm -rf "$B/apps/userapp.elf" "$B/guest$t"

# 3. make run's NICs: a port's hostfwd becomes a 127.0.0.1 forward, and the URL is printed.
args=$(tools/qemu-nics.sh config/web.conf 2> "$t/url.txt")
[[ $args == *"hostfwd=tcp:127.0.0.1:8080-:80"* ]] && pass netstack.qemu-nics-hostfwd ||
	fail netstack.qemu-nics-hostfwd "got: $args"
grep -q '^run: http://127.0.0.1:8080/ reaches 10.0.2.15:80 (port uplink)$' "$t/url.txt" && pass netstack.qemu-nics-url ||
	fail netstack.qemu-nics-url "printed: $(cat "$t/url.txt")"
exit $UV_FAILED
