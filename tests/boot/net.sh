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
# The capture (net.cmdline: pcap=probe.wan0) goes to the second serial port.
pcap=$UV_OUT/com2.pcap
rm -f "$pcap"
UV_QEMU_DEVICES+=(-serial "file:$pcap")
UV_BOCHS_DEVICES+="com2: enabled=1, mode=file, dev=$pcap"$'\n'
uv_boot_path "$img" "$s" 120 600
kill $echo_pid 2>/dev/null
booted net "$s" || exit 1

expect net.port-bound "$s" "^net: port 'up' is e1000\\.0 \\(mac [0-9a-f:]{17}, link up\\)$"
for a in probe ping pong spy far hostile sink; do relay net "$s" "$a"; done
grep -q '^udp_echo: answered ' "$UV_OUT/udp_echo.txt" && pass net.host-listener-answered ||
	fail net.host-listener-answered "the host's listener got no datagram ($UV_OUT/udp_echo.txt)"
# After the flood the kernel and the other apps go on; the sink's queue (16) dropped the
# excess: 100,000 flooded less the 8 that found room after the 8 frames sent before them.
# The hostile app's drops: 3 spoofed frames, 7 of a bad size (2 from net_read's send lists).
expect net.flood-done "$s" '^hostile: hostile: flood of 100000 frames done$'
expect net.sink-queue-drops "$s" "^  vnic k app 6 nic 0 seg pit .* drops queue-full=99992$"
expect net.spoof-drops "$s" "^  vnic h app 5 nic 0 seg pit .* drops spoofed=3 size=7$"
for a in probe ping pong spy far hostile sink; do
	expect "net.$a.exit" "$s" "^app '$a' exited with status 0\$"
done
# The capture: tcpdump reads the pcap stream from COM2 and finds the probe's exchange.
expect net.pcap-started "$s" "^pcap: capturing 'probe\\.wan0' \\(both directions\\) on COM2$"
tcpdump -nn -e -r "$pcap" > "$UV_OUT/pcap.txt" 2> "$UV_OUT/pcap.err" && pass net.pcap-readable ||
	fail net.pcap-readable "tcpdump -r: $(head -1 "$UV_OUT/pcap.err")"
expect net.pcap-arp-request "$UV_OUT/pcap.txt" '02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP .*Request who-has 10\.0\.2\.2 tell 10\.0\.2\.15'
expect net.pcap-arp-reply "$UV_OUT/pcap.txt" '> 02:00:00:00:00:01, ethertype ARP .*Reply 10\.0\.2\.2 is-at'
expect net.pcap-udp-out "$UV_OUT/pcap.txt" 'IPv4.* 10\.0\.2\.15\.40000 > 10\.0\.2\.2\.5555: UDP'
expect net.pcap-udp-in "$UV_OUT/pcap.txt" 'IPv4.* 10\.0\.2\.2\.5555 > 10\.0\.2\.15\.40000: UDP'
frames=$(grep -c . "$UV_OUT/pcap.txt")
expect net.pcap-count-said "$s" "^  pcap probe\\.wan0: $frames frames written\$"
expect net.run-ended "$s" '^univisor: run ended, powering off$'
expect_not net.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
