#!/usr/bin/env bash
# tools/bochsrc.sh: prints the Bochs configuration the tests and benchmarks boot with (tests/boot/README.md).
#   bochsrc.sh <cpu model> <MiB> <iso> <serial out> <log> [ips]
# Boots the ISO from the CD drive with COM1 written to a file; time0 is fixed, so runs
# repeat exactly (Bochs' TSC counts instructions). BOCHS_CLOCK_SYNC=realtime ties the guest's
# clock to the host's instead (for tests whose host side answers in real time).
set -euo pipefail
model=$1 mem=$2 iso=$3 serial=$4 log=$5 ips=${6:-20000000}
cat <<EOB
megs: $mem
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file=/usr/share/vgabios/vgabios.bin
cpu: model=$model, count=1, ips=$ips, reset_on_triple_fault=0, ignore_bad_msrs=0
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$serial
display_library: term
speaker: enabled=0
log: $log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
clock: sync=${BOCHS_CLOCK_SYNC:-none}, time0=946684800
EOB
