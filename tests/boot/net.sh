#!/usr/bin/env bash
# tests/boot/net.sh: the network end to end (tests/boot/net.conf): an app through an e1000 uplink to the emulator's user network and the host, apps on internal segments, isolation, hostile net calls and a flood.
. tests/boot/lib.sh
img=$B/test/net
s=$UV_OUT/serial.txt

# The host's UDP listener the probe app reaches as 10.0.2.2:5555 through the emulator's user
# network (its alias for the host's loopback). One boot at a time holds the port.
exec 9>"${TMPDIR:-/tmp}/univisor-udp-5555.lock"
flock -w 900 9 || { fail net.udp-port "another test held 127.0.0.1:5555 for 15 minutes"; exit 1; }
python3 tests/boot/udp_echo.py 5555 600 > "$UV_OUT/udp_echo.txt" 2>&1 &
echo_pid=$!
trap 'kill $echo_pid 2>/dev/null' EXIT

[ "$UV_PATH" != qemu-svm ] || UV_QEMU_REALTIME=1 # the host listener answers in real time
uv_nic_e1000 user
uv_boot_path "$img" "$s" 120 600
kill $echo_pid 2>/dev/null
booted net "$s" || exit 1

expect net.port-bound "$s" "^net: port 'up' is e1000\\.0 \\(mac [0-9a-f:]{17}, link up\\)$"
for a in probe ping pong spy far hostile sink; do relay net "$s" "$a"; done
grep -q '^udp_echo: answered ' "$UV_OUT/udp_echo.txt" && pass net.host-listener-answered ||
	fail net.host-listener-answered "the host's listener got no datagram ($UV_OUT/udp_echo.txt)"
# After the flood the kernel and the other apps go on; the sink's queue dropped the excess.
expect net.flood-done "$s" '^hostile: hostile: flood of 100000 frames done$'
expect net.sink-queue-drops "$s" "^  vnic k app 6 nic 0 seg pit .* drops queue-full=99986$"
expect net.spoof-drops "$s" "^  vnic h app 5 nic 0 seg pit .* drops spoofed=2 size=5$"
for a in probe ping pong spy far hostile sink; do
	expect "net.$a.exit" "$s" "^app '$a' exited with status 0\$"
done
expect net.run-ended "$s" '^univisor: run ended, powering off$'
expect_not net.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
