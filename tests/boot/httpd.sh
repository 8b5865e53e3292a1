#!/usr/bin/env bash
# tests/boot/httpd.sh: apps/httpd with real clients on qemu-svm (e1000, hostfwd): curl fetches every file byte-exact, ab -k runs thousands of keep-alive requests without a failure, hostile clients (1,000 held connections, a slow header, a 1 MiB request line, garbage, resets) leave it answering; a neighbour app scans its ports. On Bochs (no hostfwd) the neighbour's scan and fetch.
# uv: runs alone (the host's clients talk to the guest through hostfwd in real time; a loaded machine times them out)
. tests/boot/lib.sh
img=$B/test/httpd
s=$UV_OUT/serial.txt
PORT=18080 # 127.0.0.1 on the host (tests/boot/httpd.conf: hostfwd = tcp:18080-80)
URL=http://127.0.0.1:$PORT

# /blob: xorshift32 from seed 1, four little-endian bytes per step (apps/httpd/files.c).
blob_sha() {
	python3 -c '
import hashlib, struct
x, out = 1, bytearray()
for i in range(1 << 18):
    x ^= (x << 13) & 0xffffffff; x ^= x >> 17; x ^= (x << 5) & 0xffffffff
    out += struct.pack("<I", x)
print(hashlib.sha256(out).hexdigest())'
}

if [ "$UV_PATH" = qemu-svm ]; then
	exec 9>"${TMPDIR:-/tmp}/univisor-httpd-port.lock"
	flock -w 900 9 || { fail httpd.port "another test held 127.0.0.1:$PORT for 15 minutes"; exit 1; }
	UV_QEMU_REALTIME=1
	read -ra UV_QEMU_DEVICES < <(tools/qemu-nics.sh tests/boot/httpd.conf 2>/dev/null)
	uv_boot_bg kernel "$img" "$s" 300
	# The neighbour's scan and 1,000 connections come first, then the host's clients.
	if ! wait_line "$s" '^scan: checks done=' 120; then
		fail httpd.up "httpd and its neighbour did not get through the scan and the held connections within 120 s (see $s)"
	else
		pass httpd.up
		for f in index.html style.css hello.txt 1k.html; do
			curl -s --max-time 30 -o "$UV_OUT/got.$f" "$URL/$f"
			cmp -s "apps/httpd/www/$f" "$UV_OUT/got.$f" && pass "httpd.curl-$f-byte-exact" ||
				fail "httpd.curl-$f-byte-exact" "$(stat -c %s "$UV_OUT/got.$f" 2>/dev/null || echo no) bytes, want $(stat -c %s "apps/httpd/www/$f")"
		done
		curl -s --max-time 30 -o "$UV_OUT/got.root" "$URL/"
		cmp -s apps/httpd/www/index.html "$UV_OUT/got.root" && pass httpd.curl-root-is-index ||
			fail httpd.curl-root-is-index "/ is not index.html"
		want=$(blob_sha)
		got=$(curl -s --max-time 60 "$URL/blob" | sha256sum | cut -d' ' -f1)
		[ "$got" = "$want" ] && pass httpd.curl-blob-1mib-sha256 || fail httpd.curl-blob-1mib-sha256 "sha256 $got, want $want"
		code=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' "$URL/no-such-file")
		[ "$code" = 404 ] && pass httpd.curl-404 || fail httpd.curl-404 "status $code"
		code=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' -I "$URL/hello.txt")
		[ "$code" = 200 ] && pass httpd.curl-head || fail httpd.curl-head "status $code"
		ab -k -n 5000 -c 16 "$URL/1k.html" > "$UV_OUT/ab.txt" 2>&1
		if grep -q '^Complete requests: *5000$' "$UV_OUT/ab.txt" && grep -q '^Failed requests: *0$' "$UV_OUT/ab.txt" &&
			grep -q '^Keep-Alive requests: *5000$' "$UV_OUT/ab.txt"; then
			pass httpd.ab-5000-keepalive-0-failed
		else
			fail httpd.ab-5000-keepalive-0-failed "$(grep -E 'Complete|Failed|Keep-Alive|Non-2xx' "$UV_OUT/ab.txt" | tr -s ' ' | tr '\n' ';')"
		fi
		python3 tests/boot/http_clients.py 127.0.0.1 $PORT > "$UV_OUT/hostile.txt" 2>&1
		for c in answers-while-20-held request-line-1mb-413 garbage-400 too-many-fields-431 post-405 body-413 \
			answers-after-50-resets slow-header-408 answers-at-the-end; do
			line=$(grep -E "^(ok|fail) $c( |\$|:)" "$UV_OUT/hostile.txt")
			case $line in
			"ok $c") pass "httpd.hostile.$c" ;;
			"fail $c"*) fail "httpd.hostile.$c" "${line#fail $c: }" ;;
			*) fail "httpd.hostile.$c" "no verdict ($(tail -1 "$UV_OUT/hostile.txt"))" ;;
			esac
		done
		ab -k -n 1000 -c 8 "$URL/1k.html" > "$UV_OUT/ab2.txt" 2>&1
		grep -q '^Failed requests: *0$' "$UV_OUT/ab2.txt" && grep -q '^Complete requests: *1000$' "$UV_OUT/ab2.txt" &&
			pass httpd.ab-after-hostile-0-failed || fail httpd.ab-after-hostile-0-failed "$(grep -E 'Complete|Failed' "$UV_OUT/ab2.txt" | tr -s ' ' | tr '\n' ';')"
	fi
	uv_boot_wait # httpd ends itself once idle (--exit-when-idle 8)
else
	uv_nic_e1000 none # the uplink exists (Bochs' vnet module behind it); the test's traffic stays inside
	uv_boot_path "$img" "$s" 120 900
fi
booted httpd "$s" || exit 1
relay httpd "$s" scan
expect httpd.scan.churn "$s" '^scan: sockcheck: 3000 connections, each a GET, one after another$'
expect httpd.scan.held "$s" '^scan: sockcheck: holding 1000 idle connections$'
expect httpd.evicted "$s" '^httpd: httpd: requests=[0-9]+ open=[0-9]+ evicted=([7-9][0-9][0-9]|[0-9]{4,}) '
expect httpd.scan.result "$s" '^scan: sockcheck: scanned ports 1-1024: 1 open \(first 80\), 1023 refused$'
expect httpd.exit "$s" "^app 'httpd' exited with status 0\$"
expect httpd.scan.exit "$s" "^app 'scan' exited with status 0\$"
expect_not httpd.no-app-stopped "$s" "^app '[a-z]*' stopped"
# Two apps on the uplink's segment: the NICs always interrupt (none is quiet).
expect_not httpd.nics-never-polled "$s" '^net: NICs polled while'
expect httpd.run-ended "$s" '^univisor: run ended, powering off$'
expect_not httpd.no-kernel-exception "$s" 'KERNEL (EXCEPTION|PANIC)'
exit $UV_FAILED
