#!/usr/bin/env bash
# tests/boot/chan.sh: channels between apps (tests/boot/chan.conf): errors, order, full and empty queues, wake-ups, a flood into a sink that never reads, resets on a failure and a restart with the peers told once; chan_sendrecv (a call and its answer in one hypercall, a waiting receiver handed its message); the kernel's page memos forgotten across a restart.
. tests/boot/lib.sh
s=$UV_OUT/serial.txt
uv_boot_path "$B/test/chan" "$s" 120 900
booted chan "$s" || exit 1

expect chan.setup "$s" '^chan: 9 channels, 33 KiB of queues allocated$'
for a in client server flood sink watch rs caller answerer mwait msend; do relay chan "$s" "$a"; done
# The flood: exactly the queue's depth went in, the rest was refused; the queue never held more.
expect chan.flood-done "$s" '^flood: flood of 20000 messages done$'
expect chan.spam-counters "$s" '^  chan spam flood->sink: queued=0/8 peak=8 sent=8/32768B received=0 full=19992 too-long=0 resets=2 dropped=8$'
# The periodic summaries (chan.cmdline: stats=20ms) carry the channel lines too.
n=$(grep -cE '^  chan spam flood->sink: queued=[0-8]/8 ' "$s")
[ "$(grep -c '^stats: 10 apps$' "$s")" -ge 1 ] && [ "$n" -ge 2 ] && pass chan.periodic-summaries ||
	fail chan.periodic-summaries "$n spam lines, $(grep -c '^stats: 10 apps$' "$s") periodic summaries"
# The client and server: 1,004 requests and replies plus the end message and its ack; the one too-long send counted.
expect chan.req-counters "$s" '^  chan req client->server: queued=0/4 peak=4 sent=1005/[0-9]+B received=1005 full=1 too-long=1 resets=2 dropped=0$'
expect chan.rep-counters "$s" '^  chan rep server->client: queued=0/4 peak=4 sent=1005/[0-9]+B received=1005 full=0 too-long=0 resets=2 dropped=0$'
# The reset: rs failed with m1..m3 queued for it and its x queued for watch; both counted as dropped.
expect chan.rs-failed "$s" "^app 'rs' exited with status 1$"
expect chan.rs-restarted "$s" "^app 'rs' restarting$"
expect chan.rst-counters "$s" '^  chan rst watch->rs: queued=0/4 peak=4 sent=5/13B received=2 full=1 too-long=0 resets=3 dropped=3$'
# chan_sendrecv: 1,000 round trips, the slow one, the hold (one answer, two fills, the drained
# note) and the end: on call 1,000 + S + H + f1 + f2 + B; on answer 1,000 + slow + held + drained.
# The caller and the answerer wake each other and wait: the CPU goes from one to the other
# inside the backend (a hand-off), not through the run loop.
for a in caller answerer; do
	expect "chan.$a.handed-on" "$s" "^  $a +[a-z]+ .* handoffs=[1-9][0-9]*( |\$)"
done
expect chan.call-counters "$s" '^  chan call caller->answerer: queued=0/2 peak=2 sent=1005/[0-9]+B received=1005 full=1 too-long=2 resets=2 dropped=0$'
expect chan.answer-counters "$s" '^  chan answer answerer->caller: queued=0/2 peak=[12] sent=1003/[0-9]+B received=1003 full=0 too-long=0 resets=2 dropped=0$'
expect chan.rst2-counters "$s" '^  chan rst2 rs->watch: queued=0/4 peak=1 sent=2/12B received=1 full=0 too-long=0 resets=3 dropped=1$'
# The memo pair: mwait's first run failed on purpose (its second checks the kernel forgot its pages).
expect chan.mwait-failed "$s" "^app 'mwait' exited with status 1$"
expect chan.mwait-restarted "$s" "^app 'mwait' restarting$"
for a in client server flood sink watch rs caller answerer mwait msend; do
	expect "chan.$a.exit" "$s" "^app '$a' exited with status 0\$"
done
expect chan.run-ended "$s" '^univisor: run ended, powering off$'
expect_not chan.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
