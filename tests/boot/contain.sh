#!/usr/bin/env bash
# tests/boot/contain.sh: one image (tests/boot/contain.conf): XSETBV with odd values, exit floods against a sleeper's deadlines, and instructions that would reach the host; each app is contained.
. tests/boot/lib.sh
img=$B/test/contain
s=$UV_OUT/serial.txt
uv_boot_path "$img" "$s" 60 300
booted contain "$s" || exit 1

relay contain "$s" xsetbv-values
if [ "$UV_PATH" = qemu-svm ]; then
	# QEMU's TCG runs XSETBV without the intercept: the app keeps going, and the kernel's
	# XCR0 must be back after its next exit.
	expect contain.xsetbv-stop.kernel-xcr0-back "$s" '^xsetbv-stop: not intercepted here; XCR0 after an exit=0x[37]$'
else
	stopped xsetbv-stop "general protection fault \\(#GP\\): XSETBV with a value the kernel refuses rip="
fi
# Exit floods and spinners: the sleeper wakes on time, the floods finish.
relay contain "$s" lateness
for a in cpuid-flood hlt-storm pause-spin; do relay contain "$s" "$a"; done
# Port I/O, string or not, never reaches a port (COM1, QEMU's exit device, Bochs' shutdown port).
stopped rep-outsb "I/O port write 0x3f8 size 1 \\(string\\) \\(rep\\) rip="
stopped rep-insb "I/O port read 0x60 size 1 \\(string\\) \\(rep\\) rip="
stopped port-exit "I/O port write 0xf4 size 4 rip="
stopped port-shutdown "I/O port write 0x8900 size 1 \\(string\\) \\(rep\\) rip="
expect_not contain.uart-not-forged "$s" '^KERNEL PANIC at fake'
# Instructions that reach caches, counters or the monitor hardware.
stopped wbinvd "unsupported instruction: WBINVD rip="
# QEMU's TCG reports INVD with WBINVD's exit code.
if [ "$UV_PATH" = qemu-svm ]; then stopped invd "unsupported instruction: (INVD|WBINVD) rip="; else stopped invd "unsupported instruction: INVD rip="; fi
stopped rdpmc "unsupported instruction: RDPMC rip="
stopped monitor "unsupported instruction: MONITOR rip="
# QEMU's TCG raises #UD for ICEBP, and delivers INT3 through the guest's (empty) IDT
# instead of taking the #BP intercept: stopped all the same, with those reports.
if [ "$UV_PATH" = qemu-svm ]; then
	stopped icebp "(unsupported instruction: ICEBP \\(INT1\\)|invalid opcode \\(#UD\\)) rip="
	stopped int3 "(breakpoint \\(#BP\\)|general protection fault \\(#GP\\) error=0x[0-9a-f]+) rip="
else
	stopped icebp "unsupported instruction: ICEBP \\(INT1\\) rip="
	stopped int3 "breakpoint \\(#BP\\) rip="
fi
expect_not contain.nothing-escaped "$s" ': ESCAPED'

expect_count contain.summary-lines "$s" '^  [a-z0-9-]+ +(exited|stopped) +status=' 16
expect contain.run-ended "$s" '^univisor: run ended, powering off$'
expect_not contain.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
