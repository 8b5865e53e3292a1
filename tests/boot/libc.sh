#!/usr/bin/env bash
# tests/boot/libc.sh: C apps on newlib + libos: hello's output, every in-VM libc check, the stack guard page report; on qemu-svm also booted from GRUB under UEFI.
. tests/boot/lib.sh
img=$B/test/libc

# checks_libc <prefix> <serial>: everything one boot of the image must show (status 1 when it did not boot).
checks_libc() {
	local n=$1 s=$2 c
	booted "$n" "$s" || return
	# hello: the friendly default app
	expect "$n.hello.started" "$s" "^app 'hello' started: mem=4096KiB entry=0x0*200000 "
	expect "$n.hello.greets" "$s" '^hello: Hello from hello, a C app on newlib inside its own VM!$'
	expect "$n.hello.argv" "$s" '^hello: argv\[2\] = "two words"$'
	expect "$n.hello.time" "$s" '^hello: time: monotonic [0-9]+\.[0-9]{9} s since start, wall [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC$'
	expect "$n.hello.qsort-strtod" "$s" '^hello: sorted: -1.25 0.001 3.5 42 2000$'
	expect "$n.hello.float-printf" "$s" '^hello: mean 408.850, pi ~ 3.141593, e ~ 2.7182818285e\+00$'
	expect "$n.hello.exit" "$s" "^app 'hello' exited with status 0$"
	# libc-test: its verdicts, then `checks done=N`; a skipped check fails too; exit status = number failed
	relay "$n" "$s" libc-test
	expect_not "$n.libc-test.no-fail" "$s" '^libc-test: check .* (FAIL|skipped)'
	expect "$n.libc-test.atexit" "$s" '^libc-test: libc-test: atexit handler ran$'
	expect "$n.libc-test.exit" "$s" "^app 'libc-test' exited with status 0\$"
	# libc-stack: runs into its guard page; the kernel stops it and says so
	expect "$n.libc-stack.recursing" "$s" '^libc-stack: libc-stack: depth 64, '
	expect "$n.libc-stack.guard" "$s" "^app 'libc-stack' stopped: page fault .*\(stack guard page\)"
	expect_not "$n.libc-stack.no-return" "$s" "^libc-stack: libc-stack: FAIL|^app 'libc-stack' exited"
	# libc-exits: abort and raise end the app with 128 + signal; libos refuses a corrupted boot-info page (127)
	expect "$n.exits.abort" "$s" '^exits-abort: libos: abort\(\) called$'
	expect "$n.exits.raise" "$s" '^exits-raise: libos: killed by signal 15$'
	expect "$n.exits.magic" "$s" '^exits-magic: libos: cannot start: bad boot-info magic \(0x0*4f464e49564f\)$'
	expect "$n.exits.abi" "$s" "^exits-abi: libos: cannot start: kernel ABI major differs from libos's 1 \\(0x0*2[0-9a-f]{4}\\)\$"
	expect "$n.exits.args" "$s" '^exits-args: libos: cannot start: malformed argument area in boot info'
	for c in abort:134 raise:143 magic:127 abi:127 args:127; do
		expect "$n.exits.${c%%:*}-status" "$s" "^app 'exits-${c%%:*}' exited with status ${c#*:}\$"
	done
	expect_not "$n.exits.no-fail" "$s" '^exits-[a-z]+: libc-exits: FAIL'
	expect "$n.run-ended" "$s" '^univisor: run ended, powering off$'
}

case $UV_PATH in
qemu-svm)
	uv_boot kernel "$img" "$UV_OUT/direct.txt" 60
	checks_libc libc.direct "$UV_OUT/direct.txt"
	# The same appliance from GRUB's UEFI side (OVMF firmware, univisor-uefi.iso): it must run
	# to its end as from -kernel or the BIOS. The whole boot takes about 5 s under TCG on an
	# idle host; firmware that cannot boot the ISO tries the network, then waits: the timeout
	# ends it, and the check fails. It runs on the host's clock (no -icount: lib.sh), which
	# libc-test's clock checks allow (a sleep lasts at least its time, no upper bound).
	uv_boot uefi "$img" "$UV_OUT/uefi.txt" 90
	checks_libc libc.uefi "$UV_OUT/uefi.txt" && {
		expect libc.uefi.firmware "$UV_OUT/uefi.txt" '^BdsDxe: starting Boot[0-9A-F]+ "UEFI QEMU DVD-ROM'
		expect libc.uefi.multiboot2 "$UV_OUT/uefi.txt" '^univisor .*: kernel started by Multiboot2$'
	}
	;;
bochs-vmx|bochs-svm)
	uv_boot iso "$img" "$UV_OUT/iso.txt" 240
	checks_libc libc.iso "$UV_OUT/iso.txt"
	;;
esac
exit $UV_FAILED
