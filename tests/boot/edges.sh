#!/usr/bin/env bash
# tests/boot/edges.sh: one image (tests/boot/edges.conf): MSRs and SYSCALL stopped, own page tables and odd hypercall encodings handled, yield deadlines at the edges of the clock.
. tests/boot/lib.sh
img=$B/test/edges
s=$UV_OUT/serial.txt
uv_boot_path "$img" "$s" 60 300
booted edges "$s" || exit 1

stopped syscall "invalid opcode \\(#UD\\) rip="
stopped msr-spec-ctrl "rdmsr 0x48 rip="
stopped msr-tsc-aux "wrmsr 0xc0000103 value=0x1234 rip="
stopped msr-kgs "rdmsr 0xc0000102 rip="
npt=NPT
[ "$UV_PATH" = bochs-vmx ] && npt=EPT
# The walk reads the table and may write its accessed bit: either access is reported.
stopped cr3-outside "$npt violation (read|write) gpa=0x40000000 \\(outside its RAM\\) rip="
stopped ac-enable "unsupported instruction: mov to CR0 rip="
for a in pt-games hc-page-edge hc-smc hc-prefixed deadline-edges gpr-keep; do relay edges "$s" "$a"; done
expect edges.pt-games.printed "$s" '^pt-games: pt-games: printed through its own page tables$'
# Deadlines near 2^64 never wrap into a near one; 2^63 is far: all three still asleep at the limit.
for a in deadline-max deadline-wrap deadline-far; do
	expect "edges.$a.slept" "$s" "^$a: sleeping until"
	expect "edges.$a.still-asleep" "$s" "^  $a +waiting "
done
expect_not edges.no-early-wake "$s" 'WOKE EARLY'
expect edges.time-limit "$s" '^sched: the run time limit is reached; ending the run$'
expect_not edges.nothing-escaped "$s" ': ESCAPED'

expect_count edges.summary-lines "$s" '^  [a-z0-9-]+ +(exited|stopped|waiting) +status=' 15
# bench on the command line: the kernel's figures for make bench, one per app and one for the heap.
expect_count edges.bench.app-figures "$s" '^bench: app [a-z0-9-]+ overhead-bytes [1-9][0-9]* tsc-zero [0-9]+ start-ticks [0-9]+$' 15
expect edges.bench.heap-figure "$s" '^bench: kernel-heap-pages [1-9][0-9]*$'
expect edges.bench.entry-figure "$s" '^bench: first-app-entry tsc=[1-9][0-9]*$'
expect edges.run-ended "$s" '^univisor: run ended, powering off$'
expect_not edges.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
