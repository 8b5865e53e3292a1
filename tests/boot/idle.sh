#!/usr/bin/env bash
# tests/boot/idle.sh: an idle lwIP app sleeps: apps/httpd, once its client has gone, makes no hypercall through seconds of virtual time (the kernel's per-app counters, stats=1), and still answers the next request.
. tests/boot/lib.sh
img=$B/test/idle
s=$UV_OUT/serial.txt
uv_boot_path "$img" "$s" 120 400
booted idle "$s" || exit 1
relay idle "$s" idlecheck

# A server's hypercall count in each stats block the kernel printed between the client's
# idle-start and idle-end lines (the client sleeps 6 s there; stats come every second):
# httpd (IPv4) and httpd6 (IPv6 too: its ND6 and MLD timers armed only while they have
# work). The count starts with the second block after httpd6 said its IPv6 addresses are
# up (duplicate address detection done; its MLD reports, delayed up to 0.5 s, gone by then):
# until then httpd6's own start sends frames the segment floods to httpd.
idle_counts() {
	awk -v app="$1" '/^idlecheck: idlecheck: idle-start$/ { on = 1; next }
	/^idlecheck: idlecheck: idle-end$/ { on = 0 }
	/^httpd6: net: nic 0 ip6 / { up = 1 }
	/^stats: / && up { blocks++ }
	on && blocks >= 2 && $1 == app && ($2 == "waiting" || $2 == "running") { for (i = 1; i <= NF; i++) if ($i ~ /^hypercalls=/) { sub(/hypercalls=/, "", $i); print $i } }' "$s"
}
for app in httpd httpd6; do
	counts=$(idle_counts $app)
	n=$(wc -w <<< "$counts")
	if [ "$n" -lt 4 ]; then
		fail idle.$app.stats-in-idle "only $n stats blocks between idle-start (with httpd6 up) and idle-end (want >= 4; see $s)"
		continue
	fi
	pass idle.$app.stats-in-idle
	first=${counts%%$'\n'*}
	last=${counts##*$'\n'}
	if [ "$first" = "$last" ]; then pass idle.$app.sleeps
	else fail idle.$app.sleeps "$app made $((last - first)) hypercalls in $((n - 1)) s of idle virtual time (counts: $(tr '\n' ' ' <<< "$counts"))"; fi
done
expect idle.httpd6.ipv6-up "$s" '^httpd6: net: nic 0 ip6 fe80::[0-9a-f:]+/64 fd00:8::3/64 \(static\)$'
last=$(idle_counts httpd | tail -n 1)
# The counter moves at all: the same count over the fetches would mean it measures nothing.
before=$(grep -E '^  httpd ' "$s" | head -n 1 | sed -n 's/.*hypercalls=\([0-9]*\).*/\1/p')
after=$(grep -E '^  httpd ' "$s" | tail -n 1 | sed -n 's/.*hypercalls=\([0-9]*\).*/\1/p')
if [ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "${last:-0}" ]; then pass idle.httpd.counter-moves
else fail idle.httpd.counter-moves "httpd's hypercalls: first ${before:-none}, in the idle stretch ${last:-none}, last ${after:-none}"; fi
expect_not idle.no-app-stopped "$s" "^app '[a-z]+' stopped"
expect idle.run-ended "$s" '^univisor: run ended, powering off$'
expect_not idle.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
