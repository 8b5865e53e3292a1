#!/usr/bin/env bash
# tests/boot/virtio.sh: the virtio-net driver on qemu-svm (a modern and a transitional NIC, ARP to slirp's gateway answered by interrupt, a link held down then set up by a configuration interrupt, one shared MSI-X vector, a legacy-only device refused); on Bochs, which has no virtio, that the driver is not probed.
. tests/boot/lib.sh
img=$B/test/virtio
MAC0=52:54:00:12:34:56
MAC1=52:54:00:12:34:57

# hex <file>: the file's bytes as one line of hex digits.
hex() { od -An -tx1 -v "$1" | tr -d ' \n'; }

# pcap_checks <prefix> <pcap> <mac>: what QEMU's filter-dump saw on the wire of that NIC:
# the ARP request for 10.0.2.2 from the NIC's MAC and slirp's reply to it (RFC 826 over
# Ethernet: type 0806, htype 1, ptype 0800, sizes 6 and 4, op 1 or 2).
pcap_checks() {
	local p=$1 pcap=$2 m=${3//:/} x
	if [ ! -s "$pcap" ]; then
		fail "$p.wire-request" "no capture in $pcap"; fail "$p.wire-reply" "no capture in $pcap"; return
	fi
	x=$(hex "$pcap")
	grep -qE "ffffffffffff${m}08060001080006040001${m}0a00020f0{12}0a000202" <<< "$x" &&
		pass "$p.wire-request" || fail "$p.wire-request" "no ARP request from $3 for 10.0.2.2 in $pcap"
	grep -qE "${m}[0-9a-f]{12}08060001080006040002[0-9a-f]{12}0a000202${m}0a00020f" <<< "$x" &&
		pass "$p.wire-reply" || fail "$p.wire-reply" "no ARP reply to $3 in $pcap"
}

# nic_checks <prefix> <serial> <nic> <mac>: the NIC came up with QEMU's MAC, and its ARP
# exchange, by interrupt, with the counters to show it.
nic_checks() {
	local p=$1 s=$2 n=$3 mac=$4 c irqs
	expect "$p.$n.up" "$s" "^nic: $n at [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] mac $mac link (up|down), msi-x"
	for c in features queues tx-too-long-refused arp-request-built arp-request-sent arp-reply-by-interrupt sent-buffer-reclaimed \
		tx-raises-no-interrupt tx-reclaimed-by-poll rx-quiet-by-poll rx-irq-after-quiet; do
		expect "$p.$n.$c" "$s" "^virtiotest: $n\.$c ok$"
	done
	expect "$p.$n.gateway-mac" "$s" "^virtiotest: $n 10\.0\.2\.2 is at 52:55:0a:00:02:02$"
	irqs=$(sed -n "s/^virtiotest: $n counters rx=[1-9][0-9]* tx=[1-9][0-9]* irqs=\([0-9]*\) .*/\1/p" "$s")
	if [ "${irqs:-0}" -gt 0 ]; then pass "$p.$n.counters"; else fail "$p.$n.counters" "no counters line with rx, tx and irqs > 0 in $s"; fi
}

# the_end <prefix> <serial>: no self-test failed, and the boot went on to the appliance.
the_end() {
	expect_not "$1.no-failure" "$2" 'virtiotest: .*FAILED'
	expect "$1.then-the-appliance" "$2" '^univisor: run ended, powering off$'
}

# boot_link_flip <name> <device options>: QEMU starts paused (-S); its monitor (a FIFO)
# sets the link down before the guest runs, then up once the self-test says it waits.
# This boot's clock follows the host's while the guest is idle (sleep=on, overriding
# lib.sh's sleep=off): with sleep=off an idle guest's clock jumps straight to its next
# timer, so a wait for something outside QEMU (the monitor) would end at its deadline at once.
boot_link_flip() {
	local s=$UV_OUT/$1.txt mon=$UV_OUT/$1.mon feeder
	rm -f "$s" "$mon.in"
	mkfifo "$mon.in"
	: > "$mon.out"
	(
		printf 'set_link n0 off\ncont\n'
		for _ in $(seq 200); do # 20 s at most
			if grep -q '^virtiotest: waiting for the link' "$s" 2>/dev/null; then
				printf 'set_link n0 on\n'
				break
			fi
			sleep 0.1
		done
	) > "$mon.in" &
	feeder=$!
	UV_QEMU_DEVICES=(-S -chardev "pipe,id=mon0,path=$mon" -mon chardev=mon0,mode=readline -icount shift=0,sleep=on
		-netdev user,id=n0 -device "virtio-net-pci,netdev=n0,disable-legacy=on,mac=$MAC0$2"
		-object "filter-dump,id=f0,netdev=n0,file=$UV_OUT/$1.pcap")
	rm -f "$UV_OUT/$1.pcap"
	UV_CMDLINE=virtiotest=linkdown uv_boot kernel "$img" "$s" 60
	kill "$feeder" 2>/dev/null
	wait "$feeder" 2>/dev/null
}

# link_checks <name> <vectors>: down at first, nothing sent, up by interrupt, then ARP.
link_checks() {
	local p=virtio.$1 s=$UV_OUT/$1.txt pcap=$UV_OUT/$1.pcap n=virtio-net.0 c
	booted "$p" "$s" || return
	expect "$p.$n.down-at-start" "$s" "^nic: $n at .* mac $MAC0 link down, msi-x"
	for c in link-down-at-start tx-refused-without-link nothing-sent-without-link link-up-by-config-interrupt; do
		expect "$p.$n.$c" "$s" "^virtiotest: $n\.$c ok$"
	done
	expect "$p.$n.vectors" "$s" "^virtiotest: $n mac $MAC0 link down, $2 MSI-X vectors?,"
	expect_count "$p.$n.link-up-said-once" "$s" "^$n: link up$" 1
	nic_checks "$p" "$s" $n $MAC0
	pcap_checks "$p.$n" "$pcap" $MAC0
	the_end "$p" "$s"
}

case $UV_PATH in
qemu-svm)
	# A modern device (its rx queue of 1024 cut to the driver's 256) and QEMU's default,
	# a transitional device (1af4:1000) that also has the 1.x interface.
	s=$UV_OUT/up.txt
	rm -f "$UV_OUT"/up*.pcap
	UV_QEMU_DEVICES=(-netdev user,id=n0 -device "virtio-net-pci,netdev=n0,disable-legacy=on,mac=$MAC0,rx_queue_size=1024"
		-object "filter-dump,id=f0,netdev=n0,file=$UV_OUT/up0.pcap"
		-netdev user,id=n1 -device "virtio-net-pci,netdev=n1,mac=$MAC1"
		-object "filter-dump,id=f1,netdev=n1,file=$UV_OUT/up1.pcap")
	uv_boot kernel "$img" "$s" 60
	if booted virtio.up "$s"; then
		expect virtio.up.pci-modern "$s" '^  00:[0-9a-f]{2}\.0 1af4:1041 class 020000 msi-x'
		expect virtio.up.pci-transitional "$s" '^  00:[0-9a-f]{2}\.0 1af4:1000 class 020000 msi-x'
		expect virtio.up.queue-cut "$s" '^virtio-net\.0: virtio 1\.x, features 0x100010020, rx queue 256 \(device 1024\), tx queue 256 \(device 256\), 64 receive buffers$'
		expect virtio.up.transitional-modern "$s" '^virtio-net\.1: virtio 1\.x, features 0x100010020, rx queue 256 \(device 256\)'
		for i in 0 1; do
			mac=$MAC0; [ $i = 1 ] && mac=$MAC1
			expect "virtio.up.virtio-net.$i.link-up" "$s" "^virtiotest: virtio-net\.$i\.link-up ok$"
			expect "virtio.up.virtio-net.$i.two-vectors" "$s" "^virtiotest: virtio-net\.$i mac $mac link up, 2 MSI-X vectors,"
			nic_checks virtio.up "$s" virtio-net.$i $mac
			pcap_checks "virtio.up.virtio-net.$i" "$UV_OUT/up$i.pcap" $mac
		done
		expect virtio.up.done "$s" '^virtiotest: done, 2 NICs tested, 0 failed$'
		the_end virtio.up "$s"
	fi

	# Link held down, then set up: the configuration vector (two vectors) ...
	boot_link_flip linkflip ""
	link_checks linkflip 2
	cfg=$(sed -n 's/^virtiotest: virtio-net\.0 counters .* config-irqs=\([0-9]*\) .*/\1/p' "$UV_OUT/linkflip.txt")
	[ "${cfg:-0}" -gt 0 ] && pass virtio.linkflip.config-irq-counted || fail virtio.linkflip.config-irq-counted "config-irqs=${cfg:-none}"
	# ... and one vector for everything (an MSI-X table of one entry, 4.1.5.5).
	boot_link_flip onevector ",vectors=1"
	link_checks onevector 1
	expect virtio.onevector.irq-kind "$UV_OUT/onevector.txt" "^nic: virtio-net\.0 at .* link down, msi-x \(one vector\)$"

	# A transitional device with its 1.x interface turned off: refused, and the boot goes on.
	s=$UV_OUT/legacy.txt
	UV_QEMU_DEVICES=(-netdev user,id=n0 -device "virtio-net-pci,netdev=n0,disable-legacy=off,disable-modern=on,mac=$MAC0")
	uv_boot kernel "$img" "$s" 60
	if booted virtio.legacy "$s"; then
		expect virtio.legacy.refused "$s" '^virtio-net\.0: refused: it has no virtio 1\.x structures \(a legacy-only device: VIRTIO_F_VERSION_1 cannot be offered\)$'
		expect virtio.legacy.not-up "$s" '^nic: virtio-net\.0 at [0-9a-f:.]+ did not come up \(-19\)$'
		expect virtio.legacy.selftest-says "$s" '^virtiotest: none of the 1 virtio-net device came up$'
		expect_not virtio.legacy.no-nic "$s" '^nic: virtio-net\.0 .* mac '
		the_end virtio.legacy "$s"
	fi
	;;
bochs-vmx|bochs-svm)
	# Bochs has no virtio device: one verdict, after the boot said the driver found nothing.
	s=$UV_OUT/iso.txt
	uv_boot iso "$img" "$s" 120
	if ! grep -q '^univisor .*: kernel started by' "$s"; then
		fail virtio.bochs-has-no-virtio "the kernel did not start (status $UV_BOOT_STATUS); see $s"
	elif grep -q '1af4:10[04]' "$s" || ! grep -q '^virtiotest: no virtio-net device on the PCI bus: the driver was not probed$' "$s"; then
		fail virtio.bochs-has-no-virtio "the boot did not say there is no virtio-net device; see $s"
	elif grep -qE '^(nic: )?virtio-net\.' "$s"; then
		fail virtio.bochs-has-no-virtio "the driver was probed on Bochs: $(grep -m1 -E '^(nic: )?virtio-net\.' "$s")"
	elif ! grep -q '^univisor: run ended, powering off$' "$s"; then
		fail virtio.bochs-has-no-virtio "the boot did not go on to the appliance; see $s"
	else
		pass virtio.bochs-has-no-virtio
	fi
	;;
esac
exit $UV_FAILED
