#!/usr/bin/env bash
# tests/boot/mkimage.sh: an image built by mkimage from a two-app config (with vNICs) runs both apps as configured; corrupted manifests (also a bad vNIC) are refused cleanly at boot.
. tests/boot/lib.sh

# checks_two <prefix> <serial>: both apps ran with the memory, stack, argv, grants and restart policy of tests/boot/mkimage.conf.
checks_two() {
	local n=$1 s=$2
	booted "$n" "$s" || return
	expect "$n.appliance" "$s" "^appliance 'mkimage-two': 2 apps$"
	expect "$n.first.started" "$s" "^app 'first' started: mem=4096KiB entry=0x0*200000 "
	expect "$n.second.started" "$s" "^app 'second' started: mem=6144KiB entry=0x0*200000 "
	expect "$n.first.name-argc" "$s" '^first: probe: name=first index=0 restart_count=0 argc=7$'
	expect "$n.first.argv0" "$s" '^first: probe: argv\[0\]="first"$'
	expect "$n.first.argv-quoted" "$s" '^first: probe: argv\[2\]="two words"$'
	expect "$n.first.argv-single-quoted" "$s" '^first: probe: argv\[4\]="say "hi""$'
	expect "$n.first.argv-quote-in-double" "$s" "^first: probe: argv\\[6\\]=\"print\\('x'\\)\"\$"
	expect "$n.first.memory" "$s" '^first: probe: mem=0x400000 stack=\[0x3f0000, 0x400000\) grants=0x13$'
	expect "$n.first.exit" "$s" "^app 'first' exited with status 0$"
	expect "$n.second.name-argc" "$s" '^second: probe: name=second index=1 restart_count=0 argc=3$'
	expect "$n.second.argv0" "$s" '^second: probe: argv\[0\]="second"$'
	expect "$n.second.memory" "$s" '^second: probe: mem=0x600000 stack=\[0x5c0000, 0x600000\) grants=0x1f$'
	expect_count "$n.second.runs" "$s" "^app 'second' exited with status 3$" 3
	expect "$n.second.restart-backoff" "$s" "^app 'second' restarts in 20 ms \(restart 2 of 2\)$"
	expect "$n.second.restarted" "$s" '^second: probe: name=second index=1 restart_count=2 argc=3$'
	expect "$n.second.restart-limit" "$s" "^app 'second' reached its restart limit \(2\)$"
	expect_not "$n.no-kernel-fault" "$s" 'KERNEL (EXCEPTION|PANIC)'
	expect "$n.run-ended" "$s" '^univisor: run ended, powering off$'
}

# checks_bad <prefix> <serial> <regex>: the kernel names what is wrong, starts no app, and powers off.
checks_bad() {
	local n=$1 s=$2
	booted "$n" "$s" || return
	expect "$n.names-the-fault" "$s" "^appliance: the image's manifest is invalid: $3"
	expect "$n.refuses" "$s" '^appliance: refusing to run a corrupted image$'
	expect_not "$n.no-app-started" "$s" "^app '.*' started"
	expect_not "$n.no-kernel-fault" "$s" 'KERNEL (EXCEPTION|PANIC)'
	expect "$n.run-ended" "$s" '^univisor: run ended, powering off$'
}
bad_magic='bad manifest magic 0x584d5655 \(expected 0x464d5655\) \(header\)$'
bad_blob="app 1 'second': image blob \[0x[0-9a-f]+, \+0x7fffffffffffffff\) is outside the manifest's blobs"
bad_segment="app 0 'first': segment [0-9]+: \[0x3f0000, 0x3f[0-9a-f]{4}\) lies outside the app's image area \[0x200000, 0x3ef000\)$"
bad_net="vNIC 1 'eth0' of app 1 'second': MAC 03(:[0-9a-f]{2}){5} is multicast or zero$"
bad_ip6="vNIC 1 'eth0' of app 1 'second': IP configuration: unknown IPv6 mode or reserved bytes set$"

uv_boot_path "$B/test/mkimage" "$UV_OUT/two.txt" 60 240
checks_two mkimage.two "$UV_OUT/two.txt"
if [ "$UV_PATH" = qemu-svm ]; then
	uv_boot_path "$B/test/mkimage-bad-magic" "$UV_OUT/bad-magic.txt" 30 180
	checks_bad mkimage.bad-magic "$UV_OUT/bad-magic.txt" "$bad_magic"
	uv_boot_path "$B/test/mkimage-bad-net" "$UV_OUT/bad-net.txt" 30 180
	checks_bad mkimage.bad-net "$UV_OUT/bad-net.txt" "$bad_net"
	uv_boot_path "$B/test/mkimage-bad-ip6" "$UV_OUT/bad-ip6.txt" 30 180
	checks_bad mkimage.bad-ip6 "$UV_OUT/bad-ip6.txt" "$bad_ip6"
fi
uv_boot_path "$B/test/mkimage-bad-blob" "$UV_OUT/bad-blob.txt" 30 180
checks_bad mkimage.bad-blob "$UV_OUT/bad-blob.txt" "$bad_blob"
uv_boot_path "$B/test/mkimage-bad-segment" "$UV_OUT/bad-segment.txt" 30 180
checks_bad mkimage.bad-segment "$UV_OUT/bad-segment.txt" "$bad_segment"
exit $UV_FAILED
