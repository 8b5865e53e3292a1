#!/usr/bin/env bash
# tests/boot/fwhub.sh: the firewall bench's apps (fwgen, firewall, fwsink) as a test: on qemu-svm over four e1000s on two QEMU hubs (fwhub.conf, the bench's wiring), and on every path over internal segments (fwseg.conf): the allowed flow arrives whole and in order, the denied flow never, every counter agrees.
. tests/boot/lib.sh
. tools/bench/lib.sh # BENCH_FW_NICS: the bench's four NICs and two hubs
COUNT=2000 DENIED=200 MARKERS=4 ACK_EVERY=32

# flow_checks <prefix> <serial>: what the generator sent, the sink saw and the firewall did.
flow_checks() {
	local p=$1 s=$2 acks=$((COUNT / ACK_EVERY))
	expect "$p.gen-sent" "$s" "^gen: sent $COUNT data frames \(0 refused, 0 window stalls\), $DENIED denied \(0 refused\), $MARKERS end markers \(0 refused\)$"
	# The sink: every allowed frame, in order, the generator's count from its end marker,
	# none of the denied flow, nothing else.
	expect "$p.sink-all-in-order" "$s" "^sink: fig fw-forward received=$COUNT sent=$COUNT ticks=[1-9][0-9]* denied=[0-9]+ other=[0-9]+ out-of-order=0 ended=1$"
	expect "$p.denied-never-arrive" "$s" "^sink: fig fw-forward .* denied=0 "
	expect "$p.nothing-else-arrives" "$s" "^sink: fig fw-forward .* other=0 "
	# The firewall: the flow's first frame by the rule, the rest (data and end markers) by
	# its connection; the denied flow by the default; the sink's acks back out by state.
	expect "$p.fw-in-rule-then-state" "$s" "^fw:   in: passed $((COUNT + MARKERS)) \(state $((COUNT + MARKERS - 1)) rule 1\) dropped $DENIED \(default $DENIED\) rx-errors 0 tx-errors 0$"
	expect "$p.fw-acks-out-by-state" "$s" "^fw:   out: passed $acks \(state $acks\) dropped 0 rx-errors 0 tx-errors 0$"
	expect "$p.fw-one-connection" "$s" "^fw:   conns: open 1 of [0-9]+ created 1 "
	for a in gen sink fw; do expect "$p.$a-exits-0" "$s" "^app '$a' exited with status 0$"; done
	expect_not "$p.no-kernel-exception" "$s" 'KERNEL (EXCEPTION|PANIC)'
}

# Over the switch alone, every path.
s=$UV_OUT/fwseg.txt
uv_boot_path "$B/test/fwseg" "$s" 60 120
if booted fwhub.seg "$s"; then flow_checks fwhub.seg "$s"; fi

# Over the bench's wiring: QEMU's hubs, so QEMU only (Bochs wires no NIC to another).
if [ "$UV_PATH" = qemu-svm ]; then
	s=$UV_OUT/fwhub.txt
	UV_QEMU_DEVICES=("${BENCH_FW_NICS[@]}")
	uv_boot kernel "$B/test/fwhub" "$s" 60
	if booted fwhub.hub "$s"; then
		flow_checks fwhub.hub "$s"
		# Every frame on the wires: NIC 0 sent the flows, NIC 1 took them all in, NIC 2
		# sent what passed, NIC 3 took it; the acks the other way.
		all=$((COUNT + DENIED + MARKERS)) passed=$((COUNT + MARKERS)) acks=$((COUNT / ACK_EVERY))
		expect fwhub.hub.nic-frames "$s" "^  nic e1000\.1: link up rx=$all/[0-9]+B tx=$acks/"
		expect fwhub.hub.nic-passed "$s" "^  nic e1000\.2: link up rx=$acks/[0-9]+B tx=$passed/"
		expect fwhub.hub.nic-delivered "$s" "^  nic e1000\.3: link up rx=$passed/[0-9]+B tx=$acks/"
	fi
fi
exit $UV_FAILED
