# tools/bench/lib.sh: how the benchmarks boot things (sourced): QEMU with exact instruction counting, Bochs from an ISO.
#
# Every boot here is deterministic: QEMU runs with -icount shift=0,sleep=off (guest RDTSC
# = retired instructions, idle time skipped), a fixed virtual RTC and -seed, which makes
# RDRAND a fixed sequence (with real randomness Linux's KASLR, hash seeds and free-list
# order move its counts by ~0.1% from boot to boot); Bochs counts instructions in its TSC
# and starts from a fixed time0. The same inputs give the same serial output, byte for byte.

# The QEMU options every benchmark boot shares (Linux and univisor alike).
BENCH_QEMU_OPTS=(-accel tcg -cpu max -m 256 -smp 1 -display none -no-reboot -monitor none
	-icount shift=0,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm -seed 1)
BENCH_BOCHS_IPS=20000000
# RAM of the bench appliance's boots (Linux's and the stubs' keep -m 256): its bench-big app
# has 1 GiB (tools/bench/bench.conf).
BENCH_OURS_MIB=1280

# The firewall bench's machine (QEMU only): four e1000s wired in pairs by QEMU hubs, NIC 0
# (the generator's) with NIC 1 (the firewall's outside) on hub 1, NIC 2 (inside) with NIC 3
# (the sink's) on hub 2. A hub hands a frame to the other ports' NICs at once, in the
# sending vCPU's thread (net/hub.c net_hub_receive -> qemu_send_packet); a NIC that cannot
# take it yet (no RX buffer, or within 1 s of a write of its RCTL) has it queued until the
# guest refills its ring (hw/net/e1000.c set_rdt -> qemu_flush_queued_packets), all in
# that thread, on the virtual clock: nothing real-time enters the run. The MACs are the
# ones tools/bench/fwflow.h's frames carry.
BENCH_FW_NICS=(-netdev hubport,id=fwg,hubid=1 -device e1000,netdev=fwg,mac=52:54:00:0f:00:01
	-netdev hubport,id=fwa,hubid=1 -device e1000,netdev=fwa,mac=52:54:00:0f:00:02
	-netdev hubport,id=fwb,hubid=2 -device e1000,netdev=fwb,mac=52:54:00:0f:00:03
	-netdev hubport,id=fwk,hubid=2 -device e1000,netdev=fwk,mac=52:54:00:0f:00:04)

# qemu_bench <serial out> <timeout s> <qemu args...>: one QEMU boot; serial to the file, CRs stripped.
qemu_bench() {
	local out=$1 tmo=$2; shift 2
	rm -f "$out"
	timeout -k 5 "$tmo" qemu-system-x86_64 "${BENCH_QEMU_OPTS[@]}" -serial "file:$out" "$@" \
		</dev/null >"$out.log" 2>&1
	local s=$?
	[ -f "$out" ] || : > "$out"
	sed -i 's/\r$//' "$out"
	[ $s = 124 ] && echo "bench: timed out after ${tmo}s" >> "$out"
	return 0
}

# bochs_model <path>: the Bochs CPU model of a path.
bochs_model() {
	case $1 in
	bochs-vmx) echo corei7_skylake_x ;;
	bochs-svm) echo zambezi ;;
	*) return 1 ;;
	esac
}

# bochs_bench <serial out> <timeout s> <model> <iso> [MiB]: one Bochs boot from an ISO; serial to the file.
bochs_bench() {
	local out=$1 tmo=$2 model=$3 iso=$4 mib=${5:-256}
	rm -f "$out"
	tools/bochsrc.sh "$model" "$mib" "$iso" "$out" "$out.log" "$BENCH_BOCHS_IPS" > "$out.bochsrc"
	printf 'c\nquit\n' > "$out.cmds"
	# Bochs 2.7 sometimes crashes while quitting, after the run: keep the shell's report quiet.
	(TERM=dumb timeout -k 5 "$tmo" bochs -q -f "$out.bochsrc" -rc "$out.cmds" </dev/null >/dev/null 2>&1) 2>/dev/null
	local s=$?
	[ -f "$out" ] || : > "$out"
	sed -i 's/\r$//' "$out"
	[ $s = 124 ] && echo "bench: timed out after ${tmo}s" >> "$out"
	return 0
}
