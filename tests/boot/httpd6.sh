#!/usr/bin/env bash
# tests/boot/httpd6.sh: a host client reaches apps/httpd over IPv6 on every path: curl in a network namespace, over a tap bridged to the appliance's e1000 uplink, fetches pages from the static address and the link-local one (made from the MAC), and IPv4 beside them. (QEMU 7.2's hostfwd parses IPv4 addresses only: "tcp:[::1]:P-[ADDR]:P" is "Bad host address", so no slirp.)
# uv: runs alone (curl through a tap with the guest clock on the host's)
. tests/boot/lib.sh
img=$B/test/httpd6
s=$UV_OUT/serial.txt
[ "$(id -u)" = 0 ] || { fail httpd6.root "network namespaces need root"; exit 1; }

# Two namespaces: Q runs the emulator, its tap bridged to a veth whose other end is the
# client's (C) interface, fd00:7::2/64 and 10.7.0.2/24; both end with the test.
NQ=uv6$$q NC=uv6$$c
ns_down() { local n; for n in $NQ $NC; do ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null; ip netns del "$n" 2>/dev/null; done; return 0; }
trap ns_down EXIT
ns_up() {
	ip netns add "$NQ" && ip netns add "$NC" &&
	ip -n "$NQ" tuntap add dev uv6tap mode tap && ip -n "$NQ" link add uv6br type bridge &&
	ip -n "$NQ" link add uv6q type veth peer name uv6h netns "$NC" &&
	ip -n "$NQ" link set uv6tap master uv6br && ip -n "$NQ" link set uv6q master uv6br &&
	ip netns exec "$NQ" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
	ip -n "$NQ" link set uv6tap up && ip -n "$NQ" link set uv6q up && ip -n "$NQ" link set uv6br up &&
	ip netns exec "$NC" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 &&
	ip -n "$NC" link set uv6h address 52:54:00:07:00:02 &&
	ip -n "$NC" link set uv6h up && ip -n "$NC" link set lo up &&
	ip -n "$NC" addr add fd00:7::2/64 dev uv6h nodad && ip -n "$NC" addr add 10.7.0.2/24 dev uv6h
}
ns_up || { fail httpd6.netns "could not set up the namespaces"; exit 1; }
pass httpd6.netns
C=(ip netns exec "$NC")

UV_NETNS=$NQ
uv_devices_reset
case $UV_PATH in
qemu-svm)
	UV_QEMU_REALTIME=1
	UV_QEMU_DEVICES+=(-netdev tap,id=uvn0,ifname=uv6tap,script=no,downscript=no -device e1000,netdev=uvn0,mac=52:54:00:12:34:56) ;;
*)
	UV_BOCHS_REALTIME=1
	UV_BOCHS_DEVICES+="plugin_ctrl: e1000=1"$'\n'
	UV_BOCHS_DEVICES+="e1000: card=0, enabled=1, mac=52:54:00:12:34:56, ethmod=tuntap, ethdev=/dev/net/tun:uv6tap, script=none"$'\n' ;;
esac
uv_boot_bg "$(case $UV_PATH in qemu-svm) echo kernel ;; *) echo iso ;; esac)" "$img" "$s" 240
if ! wait_line "$s" '^httpd: httpd: serving .*IPv4 and IPv6' 120; then
	fail httpd6.up "httpd did not say it serves IPv6 within 120 s (see $s)"
	uv_boot_wait; exit 1
fi
pass httpd6.up

# fetch <check> <url> [curl options]: the page must be apps/httpd/www/index.html, byte for byte.
fetch() {
	local name=$1 url=$2 got=$UV_OUT/$1.got
	shift 2
	rm -f "$got"
	"${C[@]}" curl -g -s --max-time 20 --retry 3 --retry-connrefused -o "$got" "$@" "$url"
	if cmp -s apps/httpd/www/index.html "$got"; then pass "$name"
	else fail "$name" "curl $url did not return index.html ($(stat -c %s "$got" 2>/dev/null || echo no) bytes)"; fi
}
fetch httpd6.static 'http://[fd00:7::1]/index.html'
# RFC 4291 appendix A: 52:54:00:07:00:01 -> fe80::5054:ff:fe07:1, reached through the client's interface.
fetch httpd6.link-local 'http://[fe80::5054:ff:fe07:1%uv6h]/index.html'
fetch httpd6.ipv4-beside 'http://10.7.0.1/index.html'
"${C[@]}" ip -6 neigh show dev uv6h > "$UV_OUT/neigh.txt" 2>&1
grep -q '^fd00:7::1 lladdr 52:54:00:07:00:01' "$UV_OUT/neigh.txt" && pass httpd6.neighbour-discovery ||
	fail httpd6.neighbour-discovery "Linux did not learn fd00:7::1's MAC by ND ($(head -c 200 "$UV_OUT/neigh.txt"))"
"${C[@]}" ping -6 -c 2 -W 3 fd00:7::1 > "$UV_OUT/ping6.txt" 2>&1 && pass httpd6.icmpv6-echo ||
	fail httpd6.icmpv6-echo "no ICMPv6 echo reply from fd00:7::1 ($UV_OUT/ping6.txt)"
uv_boot_wait
booted httpd6 "$s" || exit 1
expect httpd6.addresses "$s" '^httpd: net: nic 0 ip6 fe80::5054:ff:fe07:1/64 fd00:7::1/64 gw6 fe80::2 \(static\)$'
expect httpd6.exit "$s" "^httpd: httpd: requests=3 open=0 .*exiting\$"
expect_not httpd6.no-app-stopped "$s" "^app '[a-z]*' stopped"
expect_not httpd6.no-duplicate "$s" ' duplicate'
expect_not httpd6.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
