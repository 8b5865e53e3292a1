# tests/boot/netns.bash: network namespaces for tests that put the appliance between two hosts (sourced; needs root).
#
# netns_up <tag>: three namespaces, removed by netns_down (also at exit):
#   uv<tag>q: where QEMU runs; taps uvtap0 and uvtap1, each bridged to a veth
#   uv<tag>c: the client, 10.9.0.1/24 on the far end of tap0's bridge ("outside")
#   uv<tag>s: the server, 10.9.0.2/24 on the far end of tap1's bridge ("inside")
# so a frame from the client reaches the server only through the appliance's two NICs.
# netns_qemu_nics: appends two e1000 NICs on the taps to UV_QEMU_DEVICES.
# Runs commands in a namespace with: ip netns exec "$NS_C" <command>.

netns_up() {
	local t=$1
	NS_Q=uv${t}q NS_C=uv${t}c NS_S=uv${t}s
	trap netns_down EXIT
	netns_down
	ip netns add "$NS_Q" && ip netns add "$NS_C" && ip netns add "$NS_S" || return 1
	# No IPv6 chatter (router solicitations, DAD) to muddle the counters.
	for ns in "$NS_Q" "$NS_C" "$NS_S"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 || return 1
	done
	local i ns peer addr
	for i in 0 1; do
		if [ "$i" = 0 ]; then ns=$NS_C addr=10.9.0.1/24; else ns=$NS_S addr=10.9.0.2/24; fi
		ip -n "$NS_Q" tuntap add dev uvtap$i mode tap &&
		ip -n "$NS_Q" link add uvbr$i type bridge &&
		ip -n "$NS_Q" link add uvq$i type veth peer name uvh$i netns "$ns" &&
		ip -n "$NS_Q" link set uvtap$i master uvbr$i &&
		ip -n "$NS_Q" link set uvq$i master uvbr$i &&
		ip -n "$NS_Q" link set uvtap$i up && ip -n "$NS_Q" link set uvq$i up && ip -n "$NS_Q" link set uvbr$i up &&
		ip -n "$ns" addr add "$addr" dev uvh$i && ip -n "$ns" link set uvh$i up && ip -n "$ns" link set lo up ||
			return 1
	done
	# The bridges pass frames as they are: without this, br_netfilter hands IPv4 frames to
	# iptables, which drops the malformed ones the test sends on purpose.
	ip netns exec "$NS_Q" sysctl -qw net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
		net.bridge.bridge-nf-call-arptables=0 2>/dev/null || :
}

netns_down() {
	local ns
	for ns in ${NS_Q:-} ${NS_C:-} ${NS_S:-}; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

netns_qemu_nics() {
	UV_QEMU_DEVICES+=(-netdev tap,id=uvn0,ifname=uvtap0,script=no,downscript=no -device e1000,netdev=uvn0,mac=52:54:00:12:34:56
		-netdev tap,id=uvn1,ifname=uvtap1,script=no,downscript=no -device e1000,netdev=uvn1,mac=52:54:00:12:34:57)
}

# netns_bochs_nics: the same two NICs for Bochs (its tuntap module on the existing taps), and
# its clock on real time (the client and server answer in real time).
netns_bochs_nics() {
	UV_BOCHS_DEVICES+="plugin_ctrl: e1000=1"$'\n'
	UV_BOCHS_DEVICES+="e1000: card=0, enabled=1, mac=52:54:00:12:34:56, ethmod=tuntap, ethdev=/dev/net/tun:uvtap0, script=none"$'\n'
	UV_BOCHS_DEVICES+="e1000: card=1, enabled=1, mac=52:54:00:12:34:57, ethmod=tuntap, ethdev=/dev/net/tun:uvtap1, script=none"$'\n'
}
