#!/usr/bin/env bash
# tests/boot/fw.sh: the firewall appliance (tests/boot/fw.conf) between a client and a server in network namespaces: an allowed port passes byte-exact, denied traffic does not, hostile frames from the wire change nothing, the counters say so.
# uv: runs alone (curl through taps with the guest clock on the host's: other emulators beside it starve Bochs)
. tests/boot/lib.sh
. tests/boot/netns.bash
img=$B/test/fw
s=$UV_OUT/serial.txt
[ "$(id -u)" = 0 ] || { fail fw.root "network namespaces need root"; exit 1; }
netns_up "$$" || { fail fw.netns "could not set up the namespaces"; exit 1; }
pass fw.netns
C=(ip netns exec "$NS_C") S=(ip netns exec "$NS_S")

# The server: a file over HTTP on the allowed port, a listener on a denied one that logs
# every connection, and one for UDP; all end by themselves.
www=$UV_OUT/www
mkdir -p "$www"
head -c 300000 /dev/urandom > "$www/blob"
"${S[@]}" timeout 300 python3 -m http.server 8080 --bind 10.9.0.2 --directory "$www" > "$UV_OUT/http.txt" 2>&1 &
"${S[@]}" timeout 300 python3 -c '
import socket, sys
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("10.9.0.2", 9090)); t.listen(4)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.9.0.2", 9091))
import select
while True:
    r, _, _ = select.select([t, u], [], [])
    if t in r: c, a = t.accept(); print("tcp 9090 connection from", a, flush=True); c.close()
    if u in r: d, a = u.recvfrom(2048); print("udp 9091 datagram from", a, flush=True)
' > "$UV_OUT/denied.txt" 2>&1 &

UV_NETNS=$NS_Q
case $UV_PATH in
qemu-svm) UV_QEMU_REALTIME=1; netns_qemu_nics ;;
*) UV_BOCHS_REALTIME=1; netns_bochs_nics ;;
esac
uv_boot_bg "$(case $UV_PATH in qemu-svm) echo kernel ;; *) echo iso ;; esac)" "$img" "$s" 240
if ! wait_line "$s" '^fw: rule 2: allow icmp' 120; then
	fail fw.up "the firewall did not print its rules within 120 s (see $s)"
	uv_boot_wait; exit 1
fi
pass fw.up

# Allowed: the client fetches the file from the inside server through the bridge.
rm -f "$UV_OUT/got" "$UV_OUT/got2"
"${C[@]}" curl -s --max-time 30 -o "$UV_OUT/got" http://10.9.0.2:8080/blob
if cmp -s "$www/blob" "$UV_OUT/got"; then pass fw.allowed-port-byte-exact
else fail fw.allowed-port-byte-exact "curl to 10.9.0.2:8080 did not return the 300000-byte file ($(stat -c %s "$UV_OUT/got" 2>/dev/null || echo no) bytes)"; fi
# Outbound from the inside: the server pings the client (ICMP is allowed both ways).
"${S[@]}" ping -c 3 -W 3 10.9.0.1 > "$UV_OUT/ping.txt" 2>&1 && pass fw.icmp-out ||
	fail fw.icmp-out "the server could not ping the client ($UV_OUT/ping.txt)"
# Denied: a TCP connection to 9090 and UDP to 9091 never reach the server.
"${C[@]}" curl -s --max-time 3 http://10.9.0.2:9090/ > /dev/null 2>&1
"${C[@]}" python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); [s.sendto(b"x" * 32, ("10.9.0.2", 9091)) for _ in range(5)]'
# Hostile frames from the wire: runts, oversize, garbage ethertypes, a burst of 20000.
"${C[@]}" ip link set uvh0 mtu 9000 2>/dev/null
"${C[@]}" python3 tests/boot/fw_frames.py uvh0 20000 > "$UV_OUT/frames.txt" 2>&1 && pass fw.hostile-frames-sent ||
	fail fw.hostile-frames-sent "$(tail -1 "$UV_OUT/frames.txt")"
# Still passing traffic after all that.
"${C[@]}" curl -s --max-time 30 -o "$UV_OUT/got2" http://10.9.0.2:8080/blob
cmp -s "$www/blob" "$UV_OUT/got2" && pass fw.still-forwards-after-hostile-frames ||
	fail fw.still-forwards-after-hostile-frames "the second fetch failed"
sleep 3 # the last report
uv_boot_wait
[ "$(grep -c 'connection from\|datagram from' "$UV_OUT/denied.txt")" = 0 ] && pass fw.denied-never-arrive ||
	fail fw.denied-never-arrive "the server saw denied traffic: $(head -2 "$UV_OUT/denied.txt")"

booted fw "$s"
# The counters, every frame accounted for: what the outside NIC received is what the switch
# took from it (plus what it refused at the door), what it handed the firewall's outside vNIC
# is what the firewall judged (passed + dropped), and what the firewall passed out is what
# left by the outside NIC; the same for the inside.
num() { sed -nE "s|$2|\\1|p" "$s" | tail -1; }
nic0_rx=$(num x '^  nic e1000\.0: link up rx=([0-9]+)/.*')
nic0_tx=$(num x '^  nic e1000\.0: .* tx=([0-9]+)/.*')
wan_in=$(num x '^  port wan uplink .*: in ([0-9]+)/.*')
door=0 # frames the switch refused at the door are not counted in
for r in size spoofed reserved; do
	n=$(num x "^  port wan uplink .* drops .*\\b$r=([0-9]+).*")
	door=$((door + ${n:-0}))
done
vout_in=$(num x '^  vnic out .*: in ([0-9]+)/.*')
vout_out=$(num x '^  vnic out .* out ([0-9]+)/.*')
fin_pass=$(num x '^fw:   in: passed ([0-9]+) .*')
fin_drop=$(num x '^fw:   in: .* dropped ([0-9]+) .*')
fout_pass=$(num x '^fw:   out: passed ([0-9]+) .*')
fin_default=$(num x '^fw:   in: .* dropped [0-9]+ \(.*default ([0-9]+).*')
[ -n "$nic0_rx" ] && [ "$nic0_rx" = $((wan_in + door)) ] && pass fw.count.nic-rx-is-switch-in ||
	fail fw.count.nic-rx-is-switch-in "e1000.0 received ${nic0_rx:-?}, the switch took ${wan_in:-?} and refused $door"
[ -n "$vout_out" ] && [ "$vout_out" = $((fin_pass + fin_drop)) ] && pass fw.count.judged-is-delivered ||
	fail fw.count.judged-is-delivered "the outside vNIC got ${vout_out:-?}, the firewall judged ${fin_pass:-?} + ${fin_drop:-?}"
[ -n "$fout_pass" ] && [ "$fout_pass" = "$vout_in" ] && [ "$vout_in" = "$nic0_tx" ] && pass fw.count.passed-out-left ||
	fail fw.count.passed-out-left "the firewall passed ${fout_pass:-?} out, the vNIC took ${vout_in:-?}, e1000.0 sent ${nic0_tx:-?}"
# The hostile burst reached the firewall (paced; the tap queue may drop some) and was dropped.
[ "${fin_drop:-0}" -ge 1000 ] && pass fw.hostile-burst-dropped || fail fw.hostile-burst-dropped "only ${fin_drop:-0} inbound drops"
[ "${fin_default:-0}" -ge 6 ] && pass fw.denied-dropped-by-default ||
	fail fw.denied-dropped-by-default "${fin_default:-0} inbound frames dropped by the default rule (the denied SYNs and datagrams)"
# Two 300,000-byte fetches are at least 2 x 206 full segments out (MSS 1460 on a 1500 MTU);
# how many ACKs come back in depends on the client's timing (delayed and stretch ACKs).
[ "${fin_pass:-0}" -ge 20 ] && [ "${fout_pass:-0}" -ge 412 ] && pass fw.fetches-counted ||
	fail fw.fetches-counted "passed in ${fin_pass:-?}, out ${fout_pass:-?}"
expect_not fw.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
expect fw.exits-on-time "$s" "^app 'fw' exited with status 0\$"
exit $UV_FAILED
