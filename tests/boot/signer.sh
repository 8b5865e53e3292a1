#!/usr/bin/env bash
# tests/boot/signer.sh: apps/signer in front of apps/vault on qemu-svm (e1000, hostfwd): curl POSTs messages to /sign and the host verifies every signature with OpenSSL against GET /pubkey's key (which must be the vault's console key), a tampered message fails, 20 concurrent clients each get their own message's signature, the rate limit answers 429 and recovers, bad requests get their codes, and both apps run to the end. On Bochs the host reaches it through the slirp module's own port forward.
# uv: runs alone (the host's clients talk to the guest through the emulator's port forward in real time)
. tests/boot/lib.sh
img=$B/test/signer
s=$UV_OUT/serial.txt
t=$UV_OUT/work
PORT=18090 # 127.0.0.1 on the host (tests/boot/signer.conf: hostfwd = tcp:18090-80)
URL=http://127.0.0.1:$PORT
MSG_MAX=1024 # VAULT_MSG_MAX (apps/vault/vault_proto.h)
rm -rf "$t" && mkdir -p "$t"


unhex() { python3 -c 'import sys, binascii; sys.stdout.buffer.write(binascii.unhexlify(sys.argv[1]))' "$1"; }
# pem <hex key> <out.pem>: RFC 8410: an Ed25519 SubjectPublicKeyInfo is this 12-byte DER prefix and the 32-byte key.
pem() { unhex "302a300506032b6570032100$1" > "$2.der" && openssl pkey -pubin -inform DER -in "$2.der" -out "$2" 2>/dev/null; }
# verify <msg file> <hex signature>: OpenSSL checks the signature with the signer's public key.
verify() {
	unhex "$2" > "$1.sig" 2>/dev/null && openssl pkeyutl -verify -pubin -inkey "$t/pk.pem" -rawin -in "$1" -sigfile "$1.sig" > /dev/null 2>&1
}
# timed <what> <command...>: runs it, noting the host's time as it starts and ends (into steps),
# for the diagnosis below; returns its status. The signer ends itself once no connection has
# been open for a while (signer.conf's --exit-when-idle), so a long pause on the host side
# between requests would end it early.
timed() {
	local what=$1 rc=0
	shift
	echo "$(date +%s.%N) begin $what" >> "$t/steps"
	"$@" || rc=$?
	echo "$(date +%s.%N) end" >> "$t/steps"
	return $rc
}
# sign <msg file> <out prefix>: POST it; the status into <prefix>.code, the head into <prefix>.hdr, the body into <prefix>.body.
# Each request's times (connected, first answer byte, done; seconds) go to <prefix>.time for the diagnosis below.
sign() {
	timed "sign $(basename "$2")" curl -s --max-time 90 -D "$2.hdr" -o "$2.body" -w '%{http_code}\n%{stderr}%{time_connect} %{time_starttransfer} %{time_total}\n' \
		--data-binary @"$1" "$URL/sign" > "$2.code" 2> "$2.time"
}
# raw <name> <python bytes expression> [open]: sends them on one connection (then half-closes it,
# unless open) and keeps the whole answer.
raw() {
	timed "raw $1" python3 - "$PORT" "$2" "${3:-}" > "$t/raw.$1" 2>&1 <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
s.sendall(eval(sys.argv[2]))  # the test's own expressions
if sys.argv[3] != "open":
    s.shutdown(socket.SHUT_WR)
out = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    out += b
sys.stdout.write(out.decode("latin-1"))
EOF
}
# status_of <name>: the status code of each answer in raw.<name>, space-separated.
status_of() { grep -aoE '^HTTP/1\.1 [0-9]{3}' "$t/raw.$1" | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//'; }

exec 9>"${TMPDIR:-/tmp}/univisor-signer-port.lock"
flock -w 900 9 || { fail signer.port "another test held 127.0.0.1:$PORT for 15 minutes"; exit 1; }
if [ "$UV_PATH" = qemu-svm ]; then
	UV_QEMU_REALTIME=1
	read -ra UV_QEMU_DEVICES < <(tools/qemu-nics.sh tests/boot/signer.conf 2>/dev/null)
	how=kernel
else
	# Bochs' slirp module forwards the host port too, from a config file of its own
	# (iodev/network/eth_slirp.cc: a '# slirp config' first line, then 'hostfwd = ...').
	printf '# slirp config\nhostfwd = tcp:127.0.0.1:%s-:80\n' "$PORT" > "$UV_OUT/slirp.conf"
	UV_BOCHS_REALTIME=1
	UV_BOCHS_DEVICES+="plugin_ctrl: e1000=1"$'\n'"e1000: card=0, enabled=1, mac=52:54:00:12:34:56, ethmod=slirp, script=$UV_OUT/slirp.conf"$'\n'
	how=iso
fi
uv_boot_bg $how "$img" "$s" 600
if ! wait_line "$s" '^signer: signer: POST /sign' 240; then
	fail signer.up "no listening line from the signer within 240 s (see $s)"
else
	pass signer.up
	# The public key: GET /pubkey asks the vault over the channel; it must be the key the vault printed.
	pk=$(curl -s --max-time 30 "$URL/pubkey")
	cpk=$(tr -d '\r' < "$s" | sed -n 's/^vault: public key \([0-9a-f]\{64\}\)$/\1/p' | tail -n 1) # CRs: the boot is still running
	[[ $pk =~ ^[0-9a-f]{64}$ ]] && pass signer.pubkey-hex || fail signer.pubkey-hex "body '$pk'"
	[ -n "$cpk" ] && [ "$pk" = "$cpk" ] && pass signer.pubkey-is-vault-console-key ||
		fail signer.pubkey-is-vault-console-key "GET /pubkey '$pk', console '$cpk'"
	pem "$pk" "$t/pk.pem" && pass signer.pubkey-der || fail signer.pubkey-der "openssl refused the key"
	ctype=$(curl -s --max-time 30 -D - -o /dev/null "$URL/pubkey" | tr -d '\r' | sed -n 's/^Content-Type: //Ip')
	[ "$ctype" = text/plain ] && pass signer.content-type-text-plain || fail signer.content-type-text-plain "'$ctype'"

	# Messages: one byte, text, every byte value (binary, NULs and CRLFs included), the largest allowed.
	printf 'x' > "$t/m.one"
	printf 'hello signer' > "$t/m.text"
	python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 2)' > "$t/m.binary"
	head -c $MSG_MAX /dev/urandom > "$t/m.largest"
	for m in one text binary largest; do
		sign "$t/m.$m" "$t/r.$m"
		code=$(cat "$t/r.$m.code") sig=$(tr -d '\n' < "$t/r.$m.body")
		if [ "$code" != 200 ] || ! [[ $sig =~ ^[0-9a-f]{128}$ ]]; then
			fail "signer.sign-$m-verifies" "status $code, body '$(head -c 80 "$t/r.$m.body")'"
		elif verify "$t/m.$m" "$sig"; then
			pass "signer.sign-$m-verifies"
		else
			fail "signer.sign-$m-verifies" "openssl refused the signature of $(stat -c %s "$t/m.$m") bytes"
		fi
	done
	# The same signature over the message with one bit changed must not verify.
	python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[7] ^= 1; open(sys.argv[2], "wb").write(b)' \
		"$t/m.text" "$t/m.tampered"
	verify "$t/m.tampered" "$(tr -d '\n' < "$t/r.text.body")" && fail signer.tampered-fails "openssl accepted a tampered message" ||
		pass signer.tampered-fails
	: > "$t/m.empty"
	head -c $((MSG_MAX + 1)) /dev/urandom > "$t/m.toolarge"
	sign "$t/m.empty" "$t/r.empty"
	[ "$(cat "$t/r.empty.code")" = 400 ] && pass signer.empty-400 || fail signer.empty-400 "status $(cat "$t/r.empty.code")"
	sign "$t/m.toolarge" "$t/r.toolarge"
	[ "$(cat "$t/r.toolarge.code")" = 413 ] && pass signer.one-too-large-413 || fail signer.one-too-large-413 "status $(cat "$t/r.toolarge.code")"

	# 20 clients at once, each with a message of its own (tests/boot/signer.conf: rate 2/s, burst 25:
	# the 4 signatures above and these 20 fit in the burst and what 3 s refill).
	sleep 3
	for i in $(seq 1 20); do
		printf 'concurrent client %02d %s' "$i" "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$t/c.$i"
	done
	# 20 connections open at once, each sending as it opens (tests/boot/post_burst.py says why not 20 curls at once).
	timed "post_burst 20" tests/boot/post_burst.py "$PORT" /sign "$t/rc" 20 $(for i in $(seq 1 20); do echo "$t/c.$i"; done) 2> "$t/rc.err"
	good=0 bad=
	for i in $(seq 1 20); do
		if [ "$(cat "$t/rc.$i.code")" = 200 ] && verify "$t/c.$i" "$(tr -d '\n' < "$t/rc.$i.body")"; then
			good=$((good + 1))
		else
			bad+=" $i:$(cat "$t/rc.$i.code")"
		fi
	done
	[ "$good" = 20 ] && pass signer.concurrent-20-each-own-signature ||
		fail signer.concurrent-20-each-own-signature "$good of 20 verified against their own message; failed (client:status):$bad"

	# The rate limit: 40 more at once (2 connections, 20 pipelined on each) find the bucket nearly
	# empty; what refills meanwhile is signed, the rest 429.
	timed "post_burst 2x20" tests/boot/post_burst.py "$PORT" /sign "$t/rl" 2 $(for i in $(seq 1 40); do echo "$t/m.one"; done) 2> "$t/rl.err"
	ok=$(cat "$t"/rl.*.code | grep -c '^200$') lim=$(cat "$t"/rl.*.code | grep -c '^429$')
	[ "$lim" -ge 5 ] && [ $((ok + lim)) = 40 ] && pass signer.rate-limit-429 ||
		fail signer.rate-limit-429 "$ok signed, $lim answered 429 of 40 ($(cat "$t"/rl.*.code | sort | uniq -c | tr -s ' ' | tr '\n' ';'))"
	n429=0 nra=0
	for i in $(seq 1 40); do
		[ "$(cat "$t/rl.$i.code")" = 429 ] || continue
		n429=$((n429 + 1))
		tr -d '\r' < "$t/rl.$i.hdr" | grep -qix 'Retry-After: 1' && nra=$((nra + 1))
	done
	[ "$n429" -gt 0 ] && [ "$nra" = "$n429" ] && pass signer.429-retry-after ||
		fail signer.429-retry-after "$nra of $n429 answers 429 carry Retry-After: 1"
	sleep 2
	sign "$t/m.text" "$t/r.recovered"
	[ "$(cat "$t/r.recovered.code")" = 200 ] && verify "$t/m.text" "$(tr -d '\n' < "$t/r.recovered.body")" &&
		pass signer.rate-limit-recovers || fail signer.rate-limit-recovers "status $(cat "$t/r.recovered.code") 2 s after the burst"

	# Bad requests and their codes.
	code() { timed "code $*" curl -s --max-time 90 -o /dev/null -w '%{http_code}' "$@"; }
	c=$(code "$URL/sign") && [ "$c" = 405 ] && pass signer.get-sign-405 || fail signer.get-sign-405 "status $c"
	c=$(code --data-binary @"$t/m.one" "$URL/pubkey") && [ "$c" = 405 ] && pass signer.post-pubkey-405 || fail signer.post-pubkey-405 "status $c"
	c=$(code -X PUT --data-binary @"$t/m.one" "$URL/sign") && [ "$c" = 405 ] && pass signer.put-sign-405 || fail signer.put-sign-405 "status $c"
	c=$(code "$URL/index.html") && [ "$c" = 404 ] && pass signer.other-path-404 || fail signer.other-path-404 "status $c"
	c=$(code -X POST "$URL/sign") && [ "$c" = 411 ] && pass signer.no-length-411 || fail signer.no-length-411 "status $c"
	c=$(code -H 'Transfer-Encoding: chunked' --data-binary @"$t/m.text" "$URL/sign") && [ "$c" = 411 ] &&
		pass signer.chunked-411 || fail signer.chunked-411 "status $c"
	raw badlen "b'POST /sign HTTP/1.1\r\nHost: t\r\nContent-Length: 1x\r\n\r\nab'"
	[ "$(status_of badlen)" = 400 ] && pass signer.invalid-length-400 || fail signer.invalid-length-400 "'$(status_of badlen)'"
	raw twolen "b'POST /sign HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na'"
	[ "$(status_of twolen)" = 400 ] && pass signer.two-lengths-400 || fail signer.two-lengths-400 "'$(status_of twolen)'"
	raw nohost "b'GET /pubkey HTTP/1.1\r\n\r\n'"
	[ "$(status_of nohost)" = 400 ] && pass signer.no-host-400 || fail signer.no-host-400 "'$(status_of nohost)'"
	raw garbage "b'\x00\x01garbage\xff\r\n\r\n'"
	[ "$(status_of garbage)" = 400 ] && pass signer.garbage-400 || fail signer.garbage-400 "'$(status_of garbage)'"
	raw version "b'GET /pubkey HTTP/2.0\r\nHost: t\r\n\r\n'"
	[ "$(status_of version)" = 505 ] && pass signer.version-505 || fail signer.version-505 "'$(status_of version)'"
	raw bighead "b'GET /pubkey HTTP/1.1\r\nHost: t\r\nX: ' + b'y' * 5000 + b'\r\n\r\n'"
	[ "$(status_of bighead)" = 431 ] && pass signer.big-head-431 || fail signer.big-head-431 "'$(status_of bighead)'"
	raw short "b'POST /sign HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc'" open # 10 s later (REQUEST_TIMEOUT_MS)
	[ "$(status_of short)" = 408 ] && pass signer.short-body-408 || fail signer.short-body-408 "'$(status_of short)'"
	# Keep-alive and pipelining: three requests in one write get three answers in order.
	raw pipelined "b'GET /pubkey HTTP/1.1\r\nHost: t\r\n\r\nPOST /sign HTTP/1.1\r\nHost: t\r\nContent-Length: 12\r\n\r\nhello signerGET /nope HTTP/1.1\r\nHost: t\r\n\r\n'"
	[ "$(status_of pipelined)" = "200 200 404" ] && grep -aq "^$pk" "$t/raw.pipelined" &&
		grep -aq "^$(tr -d '\n' < "$t/r.text.body")" "$t/raw.pipelined" && pass signer.pipelined-3-in-order ||
		fail signer.pipelined-3-in-order "statuses '$(status_of pipelined)'"

	# Still running at the end: a last signature, then the signer ends itself once idle.
	sign "$t/m.binary" "$t/r.last"
	[ "$(cat "$t/r.last.code")" = 200 ] && verify "$t/m.binary" "$(tr -d '\n' < "$t/r.last.body")" &&
		pass signer.signs-at-the-end || fail signer.signs-at-the-end "status $(cat "$t/r.last.code")"
	expect_not signer.vault-running-at-the-end "$s" "^app 'vault' (exited|stopped)"
	expect_not signer.signer-running-at-the-end "$s" "^app 'signer' (exited|stopped)"
fi
uv_boot_wait # the signer ends itself once idle (--exit-when-idle 60), then the vault is told and waits for nothing
booted signer "$s" || exit 1
# The signer is the one app on the uplink: the NICs are quiet while it runs (polled at its
# net_read), and interrupt while the vault runs or the CPU idles; every request above got
# through that way.
expect signer.nics-polled "$s" "^net: NICs polled while 'signer' runs \\(the one app on a segment with a port\\)\$"
expect signer.signer-report "$s" '^signer: signer: requests=[0-9]+ signed=[0-9]+ pubkeys=[0-9]+ limited=[1-9][0-9]* errors=[0-9]+ vault-failed=0; vault asked=[0-9]+ stale=0 resets=0 timeouts=0; idle for 60 s, exiting$'
expect signer.vault-told "$s" '^vault: client channel reset; signed=[0-9]+ pubkeys=[0-9]+ malformed=0 too-long=0 limited=[1-9][0-9]* lost=0$'
expect signer.exit "$s" "^app 'signer' exited with status 0\$"
expect_count signer.vault-started-once "$s" "^app 'vault' started" 1
expect_not signer.no-app-stopped "$s" "^app '[a-z]*' stopped"
expect signer.run-ends "$s" '^sched: every remaining app waits forever with nothing to wake it; ending the run$'
expect_not signer.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
# When anything failed, what a diagnosis needs first (this test's failures have been slow
# connections under load): the slowest requests' times, the NIC's and vNIC's counters with
# their drops, and whether Bochs' network module found the e1000's receive ring full.
if [ "$UV_FAILED" -ne 0 ]; then
	echo "# signer: slowest requests (total s: connect, first byte): $(for f in "$t"/*.time; do
		[ -s "$f" ] && awk -v n="$(basename "$f" .time)" '{ printf "%s %s=%s(%s,%s)\n", $3, n, $3, $1, $2 }' "$f"
	done | sort -g -r | head -n 5 | cut -d' ' -f2 | tr '\n' ' ')"
	echo "# signer: $(grep -E '^  (nic|port|vnic) ' "$s" | tr -s ' ' | tr '\n' ';')"
	[ -s "$t/steps" ] && echo "# signer: the host's longest pauses between requests: $(awk '
		$2 == "end" { t = $1 } $2 == "begin" && t { w = $0; sub(/^[^ ]+ begin /, "", w); printf "%.1f s before %s\n", $1 - t, w }
		' "$t/steps" | sort -g -r | head -n 3 | tr '\n' ';')"
	[ -f "$s.log" ] && echo "# signer: bochs: $(grep -c 'not ready to receive' "$s.log") frames dropped with the receive ring full"
fi
exit $UV_FAILED
