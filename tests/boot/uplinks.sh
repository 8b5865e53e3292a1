#!/usr/bin/env bash
# tests/boot/uplinks.sh: raw-frame apps through both drivers at once: on QEMU a probe app behind a virtio-net port and one behind an e1000 port ARP for slirp's gateway and exchange UDP with a host listener; on Bochs, which has no virtio-net, the kernel names the missing NIC and stops before any app runs.
# uv: runs alone (a host UDP listener answers both probes through slirp in real time; under load it failed once)
. tests/boot/lib.sh
img=$B/test/uplinks
s=$UV_OUT/serial.txt

if [ "$UV_PATH" = qemu-svm ]; then
	# The host's UDP listener both probes reach as 10.0.2.2:5555 (each slirp maps it to the
	# host's loopback). One boot at a time holds the port (tests/boot/net.sh uses it too).
	exec 9>"${TMPDIR:-/tmp}/univisor-udp-5555.lock"
	flock -w 900 9 || { fail uplinks.udp-port "another test held 127.0.0.1:5555 for 15 minutes"; exit 1; }
	python3 tests/boot/udp_echo.py 5555 300 > "$UV_OUT/udp_echo.txt" 2>&1 &
	echo_pid=$!
	trap 'kill $echo_pid 2>/dev/null' EXIT
	UV_QEMU_REALTIME=1 # the host listener answers in real time
	UV_QEMU_DEVICES+=(-netdev user,id=uvv0 -device virtio-net-pci,disable-legacy=on,netdev=uvv0,mac=52:54:00:12:35:01)
fi
uv_nic_e1000 user
uv_boot_path "$img" "$s" 120 600
[ "$UV_PATH" != qemu-svm ] || kill $echo_pid 2>/dev/null
booted uplinks "$s" || exit 1

if [ "$UV_PATH" = qemu-svm ]; then
	expect uplinks.virtio-port "$s" "^net: port 'v' is virtio-net\\.0 \\(mac 52:54:00:12:35:01, link up\\)$"
	expect uplinks.e1000-port "$s" "^net: port 'e' is e1000\\.0 \\(mac 52:54:00:12:34:56, link up\\)$"
	for a in probev probee; do
		relay uplinks "$s" "$a"
		expect "uplinks.$a.exit" "$s" "^app '$a' exited with status 0\$"
	done
	n=$(grep -c '^udp_echo: answered ' "$UV_OUT/udp_echo.txt")
	[ "$n" -ge 2 ] && pass uplinks.host-listener-answered-both ||
		fail uplinks.host-listener-answered-both "the host's listener answered $n datagrams, not 2 ($UV_OUT/udp_echo.txt)"
	expect uplinks.virtio-counted "$s" '^  port v uplink seg sv link up: in [1-9][0-9]*/[0-9]+B out [1-9][0-9]*/[0-9]+B'
	expect uplinks.e1000-counted "$s" '^  port e uplink seg se link up: in [1-9][0-9]*/[0-9]+B out [1-9][0-9]*/[0-9]+B'
else
	expect uplinks.missing-nic-named "$s" "^net: port 'v' wants virtio-net #0, which this machine does not have \\(or it did not come up\\)$"
	expect uplinks.appliance-stops "$s" '^appliance: the network could not be set up; stopping$'
	expect_not uplinks.no-app-ran "$s" '^probe[ve]: '
fi
expect_not uplinks.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
