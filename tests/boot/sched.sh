#!/usr/bin/env bash
# tests/boot/sched.sh: many apps on one CPU: fair slices, a spinner with interrupts off starves no one, sleepers wake in order, restarts.
. tests/boot/lib.sh
img=$B/test/sched
s=$UV_OUT/serial.txt
uv_boot_path "$img" "$s" 90 300
booted sched "$s" || exit 1
# Without bench on the command line the kernel prints no bench figures.
expect_not sched.no-bench-figures "$s" '^bench: '

# before <check> <regex A> <regex B>: the first line matching A comes before the first matching B.
before() {
	local a b
	a=$(grep -nE -m1 -- "$2" "$s" | cut -d: -f1)
	b=$(grep -nE -m1 -- "$3" "$s" | cut -d: -f1)
	if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; then pass "$1"
	else fail "$1" "/$2/ (line ${a:-none}) should come before /$3/ (line ${b:-none}) in $s"; fi
}

# Three counters that never yield all finish while the spinner (started first, interrupts off) still spins.
for c in a b c; do
	expect "sched.counter-$c.done" "$s" "^counter-$c: done$"
	before "sched.counter-$c.not-starved-by-spinner" "^counter-$c: done$" "^spinner: done spinning$"
done
# Preempted by the LAPIC timer's interrupt (irq=; slice= would count preemption-timer exits).
expect sched.spinner.preempted "$s" "^  spinner +exited +status=0 .* (irq|slice)=[1-9]"
# The same for an app whose null hypercalls all complete inside the backend's loop: the
# counters get their share while it calls.
expect sched.hc-spinner.done "$s" "^hc-spinner: done calling$"
for c in a b c; do
	before "sched.counter-$c.not-starved-by-hc-spinner" "^counter-$c: quarter=1$" "^hc-spinner: done calling$"
done
# They share the CPU: every counter passed its first quarter before any finished.
for c in a b c; do
	before "sched.counter-$c.progresses-together" "^counter-$c: quarter=1$" "^counter-[abc]: quarter=4$"
done

# Sleepers wake at their deadlines, in deadline order, not before.
for t in 100 200 300; do
	expect "sched.sleeper-$t.slept-enough" "$s" "^sleeper-$t: slept-enough=1$"
	expect "sched.sleeper-$t.yield-returned-0" "$s" "^sleeper-$t: yield-returned=0$"
done
before sched.sleepers.100-before-200 "^sleeper-100: woke" "^sleeper-200: woke"
before sched.sleepers.200-before-300 "^sleeper-200: woke" "^sleeper-300: woke"
before sched.sleepers.wake-while-spinner-spins "^sleeper-300: woke" "^spinner: done spinning$"
before sched.sleepers.wake-while-hc-spinner-calls "^sleeper-100: woke" "^hc-spinner: done calling$"

# The crashing app is restarted per policy (on-failure, limit 2), each time with zeroed memory.
for i in 0 1 2; do
	expect "sched.crasher.instance-$i" "$s" "^crasher: instance=$i$"
done
expect_count sched.crasher.fresh-memory "$s" '^crasher: fresh-memory=1$' 3
expect_count sched.crasher.reports "$s" "^app 'crasher' stopped: invalid opcode \\(#UD\\) rip=0x[0-9a-f]+ <crash_after_marking\\+0x1>$" 3
expect sched.crasher.backoff "$s" "^app 'crasher' restarts in 20 ms \\(restart 2 of 2\\)$"
expect sched.crasher.limit "$s" "^app 'crasher' reached its restart limit \\(2\\)$"
expect_not sched.crasher.no-fourth "$s" '^crasher: instance=3$'
expect sched.summary.crasher "$s" '^  crasher +stopped +status=-1000 restarts=2 '

# stats=200ms on the command line: periodic summaries while apps still run.
expect sched.periodic-stats "$s" '^stats: 9 apps$'
expect sched.periodic-stats.running "$s" '^  (spinner|hc-spinner|counter-[abc]) +running +status=0 '

expect sched.run-ended "$s" '^univisor: run ended, powering off$'
expect_not sched.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
