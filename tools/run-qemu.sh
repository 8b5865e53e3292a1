#!/usr/bin/env bash
# tools/run-qemu.sh: boots a univisor ELF in QEMU (TCG, SVM+NPT) with the serial console on stdio.
#   run-qemu.sh <univisor.elf> [extra qemu args...]   (Ctrl-A X quits)
set -uo pipefail
elf=$1; shift
qemu-system-x86_64 -accel tcg -cpu max -m 256 -smp 1 -nographic -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$elf" "$@"
s=$?
# isa-debug-exit: status (code << 1) | 1; code 0 is a clean end of the run.
case $s in
1) exit 0 ;;
0) exit 0 ;;
*) echo "run-qemu: the kernel ended the run with code $(( (s - 1) / 2 ))" >&2; exit 1 ;;
esac
