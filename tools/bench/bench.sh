#!/usr/bin/env bash
# tools/bench/bench.sh: boots the bench appliance and Debian's Linux (plus firmware stubs) on every path, then writes results.json and prints the table.
#   bench.sh             (from the repository root; make bench builds the inputs first)
# Inputs (built by tools/bench/bench.mk): build/bench/linux/initramfs{,-fw}.cpio,
# build/bench/fwstub/{pvh.elf,pvh.iso,bzimage}, build/bench/image/univisor.{elf,iso} and
# build/bench/fwimage/univisor.elf (without an image, its figures are reported as missing).
# Serial logs land in build/bench/out/; nothing here depends on wall time.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tools/bench/lib.sh
B=${B:-build}
BB=$B/bench
out=$BB/out
mkdir -p "$out"
rm -f "$out"/*.txt

linux=$(tools/deps/linux.sh)
initrd=$BB/linux/initramfs.cpio
img=$BB/image
LINUX_DEFAULT_CMDLINE="console=ttyS0"
LINUX_TUNED_CMDLINE="console=ttyS0 mitigations=off cryptomgr.notests quiet"
QEMU_EXIT_DEV=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)

# Each job is one boot; two run at a time (the machine has two cores and is shared).
jobs=()
job() { jobs+=("$*"); }
job qemu_bench "$out/linux-default.txt" 300 -kernel "$linux/vmlinuz" -initrd "$initrd" -append "'$LINUX_DEFAULT_CMDLINE'"
job qemu_bench "$out/linux-tuned.txt" 300 -kernel "$linux/vmlinux" -initrd "$initrd" -append "'$LINUX_TUNED_CMDLINE'"
# The firewall bench, QEMU only (four e1000s on two hubs, lib.sh): Linux's tuned boot with
# bench=fw (its /init's AF_PACKET bridge), and our tools/bench/fw.conf appliance.
job qemu_bench "$out/linux-fw.txt" 300 "${BENCH_FW_NICS[@]}" -kernel "$linux/vmlinux" -initrd "$BB/linux/initramfs-fw.cpio" -append "'$LINUX_TUNED_CMDLINE bench=fw'"
if [ -f "$BB/fwimage/univisor.elf" ]; then
	job qemu_bench "$out/ours-fw-qemu-svm.txt" 120 "${QEMU_EXIT_DEV[@]}" "${BENCH_FW_NICS[@]}" -kernel "$BB/fwimage/univisor.elf" -append "'$(cat "$BB/fwimage/cmdline" 2>/dev/null)'"
fi
# Firmware shares: the same boots with a stub kernel whose first instruction reads the TSC.
job qemu_bench "$out/fw-linux-default.txt" 60 -kernel "$BB/fwstub/bzimage" -initrd "$initrd" -append "'$LINUX_DEFAULT_CMDLINE'"
job qemu_bench "$out/fw-linux-tuned.txt" 60 -kernel "$BB/fwstub/pvh.elf" -initrd "$initrd" -append "'$LINUX_TUNED_CMDLINE'"
job qemu_bench "$out/fw-qemu-svm.txt" 60 "${QEMU_EXIT_DEV[@]}" -kernel "$BB/fwstub/pvh.elf" -append "''"
for p in bochs-vmx bochs-svm; do
	job bochs_bench "$out/fw-$p.txt" 120 "$(bochs_model $p)" "$BB/fwstub/pvh.iso"
done
if [ -f "$img/univisor.elf" ] && [ -f "$img/univisor.iso" ]; then
	job qemu_bench "$out/ours-qemu-svm.txt" 120 "${QEMU_EXIT_DEV[@]}" -m $BENCH_OURS_MIB -kernel "$img/univisor.elf" -append "'$(cat "$img/cmdline" 2>/dev/null)'"
	for p in bochs-vmx bochs-svm; do
		job bochs_bench "$out/ours-$p.txt" 300 "$(bochs_model $p)" "$img/univisor.iso" $BENCH_OURS_MIB
	done
	# The HTTP figure: its own appliance, so the other figures' appliance stays as it is.
	job qemu_bench "$out/http-qemu-svm.txt" 300 "${QEMU_EXIT_DEV[@]}" -kernel "$BB/http/univisor.elf" -append "''"
	for p in bochs-vmx bochs-svm; do
		job bochs_bench "$out/http-$p.txt" 600 "$(bochs_model $p)" "$BB/http/univisor.iso"
	done
else
	echo "bench: no bench appliance ($img/univisor.elf): our figures are missing" >&2
	echo "the bench appliance $img/univisor.elf was not built" > "$out/ours-missing.why"
fi

echo "bench: ${#jobs[@]} boots, two at a time (about two minutes)" >&2
running=0
for j in "${jobs[@]}"; do
	eval "$j" &
	running=$((running + 1))
	if [ $running -ge 2 ]; then
		wait -n || true
		running=$((running - 1))
	fi
done
wait
# The real-time figures last, with the machine to themselves: the host's wrk against httpd in
# our appliance and in Linux, one boot after the other (wrk.sh).
echo "bench: wrk against httpd, ours then Linux's (real time, about 40 s)" >&2
tools/bench/wrk.sh "$out" "$linux"

python3 tools/bench/results.py collect --out-dir "$out" --linux "$linux" \
	--kernel-obj "$B/kernel.o" --results "$BB/results.json" --table "$BB/table.txt"
cat "$BB/table.txt"
