#!/usr/bin/env bash
# tests/boot/sockets.sh: lwIP and the BSD sockets in apps. qemu-svm, on an e1000 and on a virtio-net uplink with user-mode networking: the echo app reached through hostfwd by real clients (a 10 MiB stream with a checksum, UDP, 100 concurrent connections), a checker app with its address from the emulator's DHCP that tests the API over loopback and connects out to a listener on the host. Bochs (no hostfwd): two lwIP apps talk TCP and UDP on an internal segment.
# uv: runs alone (the host's clients talk to the guest through hostfwd in real time; a loaded machine times them out)
. tests/boot/lib.sh
s=$UV_OUT/serial.txt
ECHO_PORT=17007 LISTEN_PORT=17100 # 127.0.0.1 on the host; the configs name 17100 as 10.0.2.2:17100

# The checker's verdicts and what the kernel says of both apps.
apps_done() {
	local p=$1 s=$2
	relay "$p" "$s" check
	expect "$p.check.exit" "$s" "^app 'check' exited with status 0\$"
	expect "$p.echo.exit" "$s" "^app 'echo' exited with status 0\$"
	expect_not "$p.no-app-stopped" "$s" "^app '[a-z]*' stopped"
	expect "$p.run-ended" "$s" '^univisor: run ended, powering off$'
	expect_not "$p.no-kernel-exception" "$s" 'KERNEL (EXCEPTION|PANIC)'
}

# qemu_uplink <prefix> <image> <device>: one boot with the host's clients.
qemu_uplink() {
	local p=$1 img=$B/test/$2 dev=$3 s=$UV_OUT/$1.serial.txt
	uv_devices_reset
	UV_QEMU_REALTIME=1 # the host's clients and listener talk to the guest in real time
	UV_QEMU_DEVICES=(-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$ECHO_PORT-10.0.2.20:7007,hostfwd=udp:127.0.0.1:$ECHO_PORT-10.0.2.20:7007"
		-device "$dev,netdev=n0,mac=52:54:00:12:34:56")
	python3 tests/boot/sock_clients.py listen $LISTEN_PORT 100 > "$UV_OUT/$p.listener.txt" 2>&1 &
	local lpid=$!
	uv_boot_bg kernel "$img" "$s" 150
	if ! wait_line "$s" '^echo: echo: listening on tcp and udp port 7007' 60; then
		fail "$p.echo-up" "the echo app did not start listening within 60 s (see $s)"
	else
		pass "$p.echo-up"
		python3 tests/boot/sock_clients.py clients 127.0.0.1 $ECHO_PORT 10 100 > "$UV_OUT/$p.clients.txt" 2>&1
		for c in tcp-10mb-checksum udp-echo concurrent-100; do
			line=$(grep -E "^(ok|fail) $c" "$UV_OUT/$p.clients.txt")
			case $line in
			"ok $c") pass "$p.$c" ;;
			"fail $c"*) fail "$p.$c" "${line#fail $c: }" ;;
			*) fail "$p.$c" "no verdict from the client ($(tail -1 "$UV_OUT/$p.clients.txt"))" ;;
			esac
		done
	fi
	uv_boot_wait
	kill $lpid 2>/dev/null
	booted "$p" "$s" || return
	expect "$p.check.dhcp-address" "$s" '^check: net: nic 0 10\.0\.2\.1[5-9]/24 gw 10\.0\.2\.2 dns 10\.0\.2\.3 \(dhcp\)$'
	expect "$p.echo.static-address" "$s" '^echo: net: nic 0 10\.0\.2\.20/24 gw 10\.0\.2\.2 dns 10\.0\.2\.3 \(static\)$'
	grep -q "^listener: got b'hello from univisor\\\\n' from 127\\.0\\.0\\.1" "$UV_OUT/$p.listener.txt" &&
		pass "$p.host-listener-got-hello" || fail "$p.host-listener-got-hello" "nothing in $UV_OUT/$p.listener.txt"
	expect "$p.echo.served" "$s" '^echo: echo: served 101 connections, 0 open; exiting$'
	# 100 SYNs arrive in one burst: echo's queue=256 holds them (at the default 64 about 45 were
	# dropped and slirp's SYN retransmits, seconds apart, could outlast the client's timeout).
	expect "$p.echo.vnic-no-drops" "$s" '^  vnic eth0 app 0 nic 0 seg wan mac 52:54:00:12:34:56 queued [0-9]+/256: in [0-9]+/[0-9]+B out [0-9]+/[0-9]+B$'
	apps_done "$p" "$s"
}

case $UV_PATH in
qemu-svm)
	# One boot at a time holds the host ports.
	exec 9>"${TMPDIR:-/tmp}/univisor-sockets-ports.lock"
	flock -w 900 9 || { fail sockets.ports "another test held 127.0.0.1:$ECHO_PORT for 15 minutes"; exit 1; }
	qemu_uplink sockets.e1000 sockets e1000
	qemu_uplink sockets.virtio sockets-virtio "virtio-net-pci,disable-legacy=on"
	;;
*)
	uv_boot_path "$B/test/sockets-internal" "$s" 120 600
	booted sockets.internal "$s" || exit 1
	expect sockets.internal.echo-static "$s" '^echo: net: nic 0 10\.1\.0\.1/24 gw 0\.0\.0\.0 dns 0\.0\.0\.0 \(static\)$'
	expect sockets.internal.stream-said "$s" '^check: sockcheck: 262144 bytes echoed, fnv32 [0-9a-f]{8}$'
	apps_done sockets.internal "$s"
	;;
esac
exit $UV_FAILED
