#!/usr/bin/env bash
# tests/boot/nic.sh: PCI, ACPI MADT and IOAPIC at boot; the e1000 driver and its self-test (ARP and ping with the emulator's gateway, by interrupt); a NIC that gets no reply, or whose link is down, is reported and the boot goes on.
. tests/boot/lib.sh
img=$B/test/nic

# boot_report <prefix> <serial> <rsdp source>: the boot's device lines.
boot_report() {
	local n=$1 s=$2 from=$3
	expect "$n.pci-list" "$s" '^pci: [1-9][0-9]* devices$'
	expect "$n.pci-e1000" "$s" '^  00:[0-9a-f]{2}\.0 8086:100e class 020000 inta line [0-9]+$'
	expect "$n.madt" "$s" "^irq: ACPI [0-9.+]+ \\(RSDP from $from, (RSDT|XSDT)\\), MADT at 0x[0-9a-f]+: 1 CPU, IOAPIC id [0-9]+ at 0xfec00000 GSI 0-23, overrides 0->2( [0-9]+->[0-9]+(,[a-z]+)*)*; every pin masked\$"
	if [ "$UV_PATH" = qemu-svm ]; then
		# QEMU's MADT says PCI IRQs 5, 9, 10 and 11 are level, active high (kernel/dev/irq_intx.c).
		expect "$n.madt-pci-overrides" "$s" '^irq: .* 10->10,level,high 11->11,level,high; '
	fi
}

# nic_up <prefix> <serial> <k>: NIC k came up on the INTx line its PCI function names (QEMU's
# and Bochs' MADT map those lines to the GSI of the same number).
nic_up() {
	local n=$1 s=$2 k=$3 bdf line
	local mac
	mac=$(printf '52:54:00:12:34:%02x' $((0x56 + k)))
	bdf=$(sed -n "s/^nic: e1000\\.$k at \\([0-9a-f:.]*\\) mac $mac link [a-z]*, intx gsi [0-9]*\$/\\1/p" "$s")
	line=$(sed -n "s/^  $bdf 8086:100e class 020000 inta line \\([0-9]*\\)\$/\\1/p" "$s")
	if [ -n "$bdf" ] && [ -n "$line" ] && grep -q "^nic: e1000\\.$k at $bdf mac $mac link [a-z]*, intx gsi $line\$" "$s"; then
		pass "$n.e1000.$k.up"
	else
		fail "$n.e1000.$k.up" "no 'nic: e1000.$k at <bdf> mac $mac ... intx gsi <its line>' line in $s"
	fi
}

# nettest_ok <prefix> <serial> <k>: every check of NIC k passed, frames came by interrupt: an ARP
# exchange, a ping, 20 rounds of 16 pings, a ping whose reply is lost with the pool empty and one
# more after it, one with the NIC quiet (polled) and one by interrupt after it (326 frames sent,
# 60 + 325 * 74 bytes; 325 received, one lost for no buffer).
nettest_ok() {
	local n=$1 s=$2 k=$3 c irqs
	for c in mac link arp-sent arp ping-sent ping ping-rounds rx-no-buffer ping-after-no-buffer-sent ping-after-no-buffer \
		quiet-poll ping-after-quiet-sent ping-after-quiet irq-after-quiet irq; do
		expect "$n.e1000.$k.$c" "$s" "^nettest: e1000\\.$k $c ok\$"
	done
	expect "$n.e1000.$k.gateway" "$s" "^nettest: e1000\\.$k gateway 10\\.0\\.2\\.2 at 52:55:0a:00:02:02: arp [0-9]+ us, ping [0-9]+ us\$"
	expect "$n.e1000.$k.counters" "$s" "^nettest: e1000\\.$k counters rx_frames=325 rx_bytes=[1-9][0-9]* tx_frames=326 tx_bytes=24110 rx_errors=0 rx_no_buffer=1 tx_ring_full=0 irqs=[1-9][0-9]*\$"
}

# went_on <prefix> <serial>: the self-test ended and the appliance ran after it.
went_on() {
	local n=$1 s=$2 failed=$3
	expect "$n.nettest-done" "$s" "^nettest: done, $failed failed\$"
	# Every buffer came back but those the RX rings hold (128 a NIC), also after the pool ran dry.
	expect "$n.netbufs" "$s" "^nettest: netbufs total=512 free=$((512 - 128 * UV_NIC_COUNT)) low_water=[0-9]+ exhausted=[0-9]+\$"
	expect "$n.app-ran" "$s" "^app 'hello' exited with status 0\$"
	expect "$n.run-ended" "$s" '^univisor: run ended, powering off$'
}

# one_nic_ok <prefix> <serial>: a boot with one NIC on user networking that passed it all.
one_nic_ok() {
	nic_up "$1" "$2" 0
	nettest_ok "$1" "$2" 0
	went_on "$1" "$2" 0
}

# two_nics <boot mode> <RSDP source> <timeout>: boots NIC 0 on user networking and NIC 1 on a
# network where nobody answers: NIC 0 passes everything, NIC 1's silence is reported, the boot
# goes on. Returns 1 if the image did not boot.
two_nics() {
	local s=$UV_OUT/two.txt
	uv_boot "$1" "$img" "$s" "$3"
	booted nic.two "$s" || return 1
	boot_report nic.two "$s" "$2"
	nic_up nic.two "$s" 0
	nic_up nic.two "$s" 1
	nettest_ok nic.two "$s" 0
	expect nic.two.e1000.1.link "$s" '^nettest: e1000\.1 link ok$'
	expect nic.two.e1000.1.no-reply-reported "$s" '^nettest: e1000\.1 arp FAILED: no reply from 10\.0\.2\.2 within [0-9]+ ms$'
	expect nic.two.e1000.1.counters "$s" '^nettest: e1000\.1 counters rx_frames=0 rx_bytes=0 tx_frames=1 tx_bytes=60 rx_errors=0 rx_no_buffer=0 tx_ring_full=0 irqs=[1-9][0-9]*$'
	went_on nic.two "$s" 1
}

case $UV_PATH in
qemu-svm)
	# NIC 0 on user networking; NIC 1 with no network, in slot 7: the same INTx line as NIC 0 in
	# slot 3 (PIRQ (slot + pin - 1) mod 4), so the two share one IOAPIC pin and vector.
	uv_devices_reset
	uv_nic_e1000 user
	UV_NIC_QEMU_ADDR=7 uv_nic_e1000 none
	two_nics kernel pvh 30 &&
		expect nic.two.shared-line "$UV_OUT/two.txt" '^nic: e1000\.1 at 00:07\.0 .*intx gsi 11$'

	# The link is down when the kernel starts (the monitor's set_link before the guest runs).
	uv_devices_reset
	uv_nic_e1000 user
	printf 'set_link uvn0 off\ncont\n' > "$UV_OUT/down-mon.in"
	uv_qemu_monitor "$UV_OUT/down-mon"
	UV_QEMU_DEVICES+=(-S)
	s=$UV_OUT/down.txt
	uv_boot kernel "$img" "$s" 30
	if booted nic.down "$s"; then
		expect nic.down.reported "$s" '^nic: e1000\.0 at .* link down, intx gsi [0-9]+$'
		expect nic.down.link-failed "$s" '^nettest: e1000\.0 link FAILED: down after [0-9]+ ms$'
		expect_not nic.down.no-frames-sent "$s" '^nettest: e1000\.0 arp'
		went_on nic.down "$s" 1
	fi

	# The link comes up while the self-test waits: the LSC interrupt tells the driver. The
	# guest's idle time runs at the host's pace here (sleep=on), so that the monitor's
	# set_link lands within the self-test's wait.
	uv_devices_reset
	uv_nic_e1000 user
	mon=$UV_OUT/lsc-mon
	rm -f "$mon.in"
	mkfifo "$mon.in"
	uv_qemu_monitor "$mon"
	UV_QEMU_DEVICES+=(-S -icount shift=0,sleep=on)
	s=$UV_OUT/lsc.txt
	timeout 40 bash -c '
		exec 3>"$1.in"                   # opens once QEMU has opened its end
		printf "set_link uvn0 off\ncont\n" >&3
		for i in $(seq 400); do grep -q "^nic: e1000\.0 .* link down" "$2" 2>/dev/null && break; sleep 0.05; done
		printf "set_link uvn0 on\n" >&3
		sleep 30' _ "$mon" "$s" &
	watcher=$!
	uv_boot kernel "$img" "$s" 30
	kill "$watcher" 2>/dev/null
	wait "$watcher" 2>/dev/null
	if booted nic.lsc "$s"; then
		expect nic.lsc.down-first "$s" '^nic: e1000\.0 at .* link down, intx gsi [0-9]+$'
		one_nic_ok nic.lsc "$s"
	fi

	# From GRUB: the RSDP comes from the Multiboot2 tag.
	uv_devices_reset
	uv_nic_e1000 user
	s=$UV_OUT/iso.txt
	uv_boot iso "$img" "$s" 60
	if booted nic.iso "$s"; then
		boot_report nic.iso "$s" multiboot2
		one_nic_ok nic.iso "$s"
	fi
	;;
bochs-vmx|bochs-svm)
	# NIC 0 on Bochs' slirp (the same addresses as QEMU's), NIC 1 on vnet, where nobody is 10.0.2.2.
	uv_devices_reset
	uv_nic_e1000 user
	uv_nic_e1000 none
	two_nics iso multiboot2 120
	;;
esac
exit $UV_FAILED
