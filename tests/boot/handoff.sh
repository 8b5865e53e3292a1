#!/usr/bin/env bash
# tests/boot/handoff.sh: one image (tests/boot/handoff.conf) of apps that yield to each other with none waiting: the switches are hand-offs inside the backend, and no app's register state reaches another.
. tests/boot/lib.sh
img=$B/test/handoff
s=$UV_OUT/serial.txt
uv_boot_path "$img" "$s" 60 240
booted handoff "$s" || exit 1

apps="fpu-victim fpu-spy regs-victim regs-spy tscaux-a tscaux-b gpr-keep"
for a in $apps; do relay handoff "$s" "$a"; done
# Each gave the CPU on inside the backend, not only through the run loop.
for a in $apps; do
	expect "handoff.$a.handed-on" "$s" "^  $a +exited .* handoffs=[1-9][0-9]*( |\$)"
done
expect_count handoff.summary-lines "$s" '^  [a-z0-9-]+ +exited +status=0 ' 7
expect handoff.run-ended "$s" '^univisor: run ended, powering off$'
expect_not handoff.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
