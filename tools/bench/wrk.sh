#!/usr/bin/env bash
# tools/bench/wrk.sh: the real-time figures: the host's wrk against apps/httpd through a hostfwd on 127.0.0.1, in our appliance (wrk.conf) and in Debian's Linux (/init's bench=wrk), one boot after the other, alone on the machine.
#   wrk.sh OUT_DIR LINUX_DIR      (from the repository root; bench.sh runs it after the counted boots)
# Writes OUT_DIR/wrk-{ours,linux}.txt (each boot's serial log), OUT_DIR/wrk-{ours,linux}-{1k,blob}.txt
# (wrk's reports) and OUT_DIR/rt-{ours,linux}.txt (the bench images' boots in real time).
# QEMU runs without -icount here: the client is a host program in real time, so these
# figures are wall-clock rates and differ from run to run; results.py shows them as ratios
# to Linux's from the same run and bench-check does not hold them to the baseline.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tools/bench/lib.sh
out=$1 linux=$2
B=${B:-build}
BB=$B/bench
WRK_SECS=3         # each wrk run
WRK_CONNS=4        # keep-alive connections, one wrk thread
WRK_READY_SECS=60  # for the boot to print httpd's "serving" line
WRK_PORT_OURS=18190  # tools/bench/wrk.conf's hostfwd
WRK_PORT_LINUX=18191
# Real time: the bench's QEMU options without -icount (and without its fixed clock and seed).
WRK_QEMU_OPTS=(-accel tcg -cpu max -m 256 -smp 1 -display none -no-reboot -monitor none)
RT_QEMU_OPTS=(-accel tcg -cpu max -m "$BENCH_OURS_MIB" -smp 1 -display none -no-reboot -monitor none) # the bench images' RAM

# wrk_boot <name> <host port> <qemu args...>: boots, waits for httpd, runs wrk on the 1 KiB page and on /blob (1 MiB), stops the boot.
wrk_boot() {
	local name=$1 port=$2; shift 2
	local log=$out/wrk-$name.txt
	rm -f "$log" "$out/wrk-$name-1k.txt" "$out/wrk-$name-blob.txt"
	timeout -k 5 $((WRK_READY_SECS + 4 * WRK_SECS + 30)) qemu-system-x86_64 "${WRK_QEMU_OPTS[@]}" -serial "file:$log" \
		-netdev "user,id=w0,hostfwd=tcp:127.0.0.1:$port-:80" -device e1000,netdev=w0 "$@" </dev/null >"$log.qemu" 2>&1 &
	local q=$! t
	for ((t = 0; t < WRK_READY_SECS * 10; t++)); do
		grep -q "httpd: serving" "$log" 2>/dev/null && break
		kill -0 $q 2>/dev/null || break
		sleep 0.1
	done
	if grep -q "httpd: serving" "$log" 2>/dev/null &&
		curl -s -m 10 -o /dev/null "http://127.0.0.1:$port/1k.html"; then # the first request: ARP and the links settle
		wrk -t1 -c$WRK_CONNS -d${WRK_SECS}s "http://127.0.0.1:$port/1k.html" > "$out/wrk-$name-1k.txt" 2>&1
		wrk -t1 -c$WRK_CONNS -d${WRK_SECS}s "http://127.0.0.1:$port/blob" > "$out/wrk-$name-blob.txt" 2>&1
	else
		echo "wrk: httpd did not answer within ${WRK_READY_SECS}s" | tee "$out/wrk-$name-1k.txt" > "$out/wrk-$name-blob.txt"
	fi
	kill $q 2>/dev/null
	wait $q 2>/dev/null
	sed -i 's/\r$//' "$log" 2>/dev/null
	return 0
}

# rt_boot <name> <qemu args...>: one boot of a bench image in real time (no -icount): its
# serial log OUT_DIR/rt-<name>.txt has the null hypercall's (or syscall's) cost in host TSC
# ticks, what every exit on the wrk path pays in this emulator.
rt_boot() {
	local name=$1; shift
	local log=$out/rt-$name.txt
	rm -f "$log"
	timeout -k 5 120 qemu-system-x86_64 "${RT_QEMU_OPTS[@]}" -serial "file:$log" "$@" </dev/null >"$log.qemu" 2>&1
	sed -i 's/\r$//' "$log" 2>/dev/null
	return 0
}

if [ -f "$BB/image/univisor.elf" ]; then
	rt_boot ours -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$BB/image/univisor.elf" -append "$(cat "$BB/image/cmdline" 2>/dev/null)"
fi
rt_boot linux -kernel "$linux/vmlinux" -initrd "$BB/linux/initramfs.cpio" -append "console=ttyS0 mitigations=off cryptomgr.notests quiet"

if [ -f "$BB/wrk/univisor.elf" ]; then
	wrk_boot ours $WRK_PORT_OURS -kernel "$BB/wrk/univisor.elf" -append ""
fi
wrk_boot linux $WRK_PORT_LINUX -kernel "$linux/vmlinux" -initrd "$BB/linux/initramfs-fw.cpio" \
	-append "console=ttyS0 mitigations=off cryptomgr.notests quiet bench=wrk"
