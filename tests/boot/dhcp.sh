#!/usr/bin/env bash
# tests/boot/dhcp.sh: DHCP leases through minutes of virtual time (lwIP's client under libos's lazily armed timers): a lease the server renews is renewed at T1 again and again and the address stays; a lease nobody renews is asked to be renewed at T1, rebound at T2, ends at its time (the client says it lost its address) and the client asks anew.
. tests/boot/lib.sh
img=$B/test/dhcp
s=$UV_OUT/serial.txt
LEASE=180 T1=60 T2=120 # tests/boot/dhcp.conf
uv_boot_path "$img" "$s" 240 900
booted dhcp "$s" || exit 1

# times <app>: the t= of each REQUEST with ciaddr set (a renewal or a rebinding) the server logged, and what it did.
renewals() { sed -nE "s/^$1: dhcpd: t=([0-9]+) REQUEST ciaddr ([0-9.]+) .* -> ([A-Za-z]+)$/\1 \2 \3/p" "$s" | grep -v ' 0\.0\.0\.0 '; }
within() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; } # within <t> <lo> <hi>

# Segment a: bound once, then a renewal about every T1 (the first T1 after the bind, rounded to
# lwIP's 60 s DHCP tick), each ACKed; the address never lost.
expect dhcp.a.bound "$s" '^client_a: net: nic 0 10\.6\.0\.50/24 gw 10\.6\.0\.1 dns 10\.6\.0\.1 \(dhcp\)$'
ra=$(renewals dhcpd_a)
na=$(grep -c . <<< "$ra")
first=$(head -n 1 <<< "$ra" | cut -d' ' -f1)
if [ "$na" -ge 3 ] && ! grep -qv ' 10\.6\.0\.50 ACK$' <<< "$ra" && within "${first:-0}" $((T1 - 5)) $((T1 + 65)); then
	pass dhcp.a.renewed-every-t1
else
	fail dhcp.a.renewed-every-t1 "want >= 3 renewals of 10.6.0.50, ACKed, the first near T1=$T1 s; the server saw: $(tr '\n' ';' <<< "$ra")"
fi
expect_not dhcp.a.address-kept "$s" '^client_a: net: nic 0 lost its address'
expect_count dhcp.a.told-once "$s" '^client_a: net: nic 0 ' 1

# Segment b: the server ACKs the first REQUEST and then answers nothing. The client renews
# (unicast, ciaddr set) near T1, rebinds (broadcast, ciaddr set) near T2, loses the address
# when the lease ends, and starts over with a DISCOVER.
expect dhcp.b.bound "$s" '^client_b: net: nic 0 10\.7\.0\.50/24 gw 10\.7\.0\.1 dns 10\.7\.0\.1 \(dhcp\)$'
rb=$(renewals dhcpd_b)
t_renew=$(sed -n 1p <<< "$rb" | cut -d' ' -f1) t_rebind=$(sed -n 2p <<< "$rb" | cut -d' ' -f1)
if [ -n "$t_renew" ] && [ -n "$t_rebind" ] && within "$t_renew" $((T1 - 5)) $((T1 + 65)) &&
	within "$t_rebind" $((T2 - 5)) $((T2 + 65)) && [ "$t_rebind" -gt "$t_renew" ] && ! grep -qv ' 10\.7\.0\.50 ignored$' <<< "$rb"; then
	pass dhcp.b.renew-then-rebind
else
	fail dhcp.b.renew-then-rebind "want a renewal near T1=$T1 s and a rebinding near T2=$T2 s, both unanswered; the server saw: $(tr '\n' ';' <<< "$rb")"
fi
lost=$(grep -nE '^client_b: net: nic 0 lost its address: the DHCP lease ended$' "$s" | head -n 1 | cut -d: -f1)
# The DISCOVER after the lease ended: the server's first one logged after the client's line.
after=$( [ -n "$lost" ] && tail -n +"$lost" "$s" | sed -nE 's/^dhcpd_b: dhcpd: t=([0-9]+) DISCOVER -> ignored$/\1/p' | head -n 1)
if [ -n "$lost" ] && [ -n "$after" ] && within "$after" $((LEASE - 5)) $((LEASE + 65)); then
	pass dhcp.b.lease-ends-and-asks-anew
else
	fail dhcp.b.lease-ends-and-asks-anew "want 'lost its address' and then a DISCOVER near the lease's end ($LEASE s); lost line ${lost:-absent}, DISCOVER at t=${after:-none}"
fi
expect dhcp.a.server-done "$s" '^dhcpd_a: dhcpd: done after [0-9]+ s: .* malformed=0$'
expect dhcp.b.server-done "$s" '^dhcpd_b: dhcpd: done after [0-9]+ s: .* acks=1 .* malformed=0$'
expect_count dhcp.clients-done "$s" '^client_[ab]: dhcpcheck: done after 200 s$' 2
expect_not dhcp.no-app-stopped "$s" "^app '[a-z_]+' stopped"
expect_not dhcp.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
