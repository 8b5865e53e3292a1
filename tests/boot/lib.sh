# tests/boot/lib.sh: helpers for boot tests (sourced): boot an image on an emulator path, assert on its serial output.
#
# A boot test is tests/boot/<name>.sh, run as `<name>.sh <path>` from the repository root;
# it boots its images with uv_boot and prints one PASS/FAIL line per check with the helpers
# of tests/lib.sh (pass, fail, expect, expect_not, expect_count) and relay, then exits with
# $UV_FAILED. tests/boot/README.md says how to add one.

. tests/lib.sh
B=${B:-build}
UV_PATH=${1:?usage: $0 <qemu-svm|bochs-vmx|bochs-svm>}
UV_TEST=$(basename "$0" .sh)
UV_OUT=$B/test-out/$UV_PATH/$UV_TEST
mkdir -p "$UV_OUT"

# uv_boot <mode: kernel|iso|uefi> <image dir> <serial out> [timeout s] [memory MiB]
# Boots <dir>/univisor.elf (-kernel, QEMU only), <dir>/univisor.iso (BIOS), or
# <dir>/univisor-uefi.iso under UEFI firmware (OVMF, QEMU only); the kernel command line is
# <dir>/cmdline (or $UV_CMDLINE for -kernel). Sets UV_BOOT_STATUS (emulator status,
# 124 = timeout, 127 = the path cannot boot this way: its reason is the serial out's first line).
# Devices beyond the defaults: the array UV_QEMU_DEVICES (QEMU arguments, e.g. -netdev/-device)
# and the string UV_BOCHS_DEVICES (bochsrc lines, e.g. "plugin_ctrl: e1000=1" and "e1000: ..."),
# set by the test before the call. UV_QEMU_REALTIME=1 drops -icount (the guest then sees real
# time: needed when the host side of a test, a socket or a client, must answer in time);
# UV_QEMU_NETNS=NAME runs QEMU inside that network namespace (tests/boot/netns.sh).
uv_boot() {
	local mode=$1 dir=$2 out=$3 tmo=${4:-60} mem=${5:-256}
	rm -f "$out"
	case $UV_PATH in
	qemu-svm)
		command -v qemu-system-x86_64 >/dev/null || { UV_BOOT_STATUS=127; echo "qemu-system-x86_64 not installed" > "$out"; return; }
		local media=(-kernel "$dir/univisor.elf" -append "${UV_CMDLINE-$(cat "$dir/cmdline")}")
		local clock=(-icount shift=0,sleep=off)
		[ -z "${UV_QEMU_REALTIME:-}" ] || clock=()
		case $mode in
		iso) media=(-cdrom "$dir/univisor.iso" -boot d) ;;
		uefi)
			# OVMF from flash (Debian's ovmf), with a fresh copy of its variable store each boot.
			local fw=/usr/share/OVMF
			if [ ! -f "$fw/OVMF_CODE_4M.fd" ] || [ ! -f "$fw/OVMF_VARS_4M.fd" ]; then
				UV_BOOT_STATUS=127; echo "no UEFI firmware: $fw/OVMF_CODE_4M.fd or OVMF_VARS_4M.fd missing (Debian package ovmf, make deps)" > "$out"; return
			fi
			if [ ! -f "$dir/univisor-uefi.iso" ]; then
				UV_BOOT_STATUS=127; echo "no $dir/univisor-uefi.iso (make test-build)" > "$out"; return
			fi
			cp "$fw/OVMF_VARS_4M.fd" "$out.vars.fd"
			media=(-drive "if=pflash,format=raw,readonly=on,file=$fw/OVMF_CODE_4M.fd"
				-drive "if=pflash,format=raw,file=$out.vars.fd" -cdrom "$dir/univisor-uefi.iso")
			# The host's clock: OVMF busy-waits on its timers, which under -icount shift=0
			# (a virtual nanosecond per instruction) takes about 60 s of host time, 5 s without.
			# So an image booted this way must not check that a sleep ends in time.
			clock=()
			;;
		esac
		local netns=()
		[ -z "${UV_QEMU_NETNS:-}" ] || netns=(ip netns exec "$UV_QEMU_NETNS")
		"${netns[@]}" timeout -k 5 "$tmo" qemu-system-x86_64 -accel tcg -cpu max "${clock[@]}" -m "$mem" -smp 1 -display none \
			-no-reboot -monitor none -serial "file:$out" \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 "${UV_QEMU_DEVICES[@]}" "${media[@]}" </dev/null >"$out.log" 2>&1
		UV_BOOT_STATUS=$?
		;;
	bochs-vmx|bochs-svm)
		command -v bochs >/dev/null || { UV_BOOT_STATUS=127; echo "bochs not installed" > "$out"; return; }
		[ "$mode" != uefi ] || { UV_BOOT_STATUS=127; echo "no UEFI boot on $UV_PATH (its BIOS only)" > "$out"; return; }
		local model=corei7_skylake_x
		[ "$UV_PATH" = bochs-svm ] && model=zambezi
		local rc=$out.bochsrc
		tools/bochsrc.sh "$model" "$mem" "$dir/univisor.iso" "$out" "$out.log" > "$rc"
		[ -z "${UV_BOCHS_DEVICES:-}" ] || printf '%s\n' "$UV_BOCHS_DEVICES" >> "$rc"
		printf 'c\nquit\n' > "$out.cmds"
		TERM=dumb timeout -k 5 "$tmo" bochs -q -f "$rc" -rc "$out.cmds" </dev/null >/dev/null 2>&1
		UV_BOOT_STATUS=$?
		;;
	*) UV_BOOT_STATUS=127; echo "unknown path $UV_PATH" > "$out" ;;
	esac
	[ -f "$out" ] || : > "$out"
	# Serial output from the emulators carries CRs; strip them for matching.
	sed -i 's/\r$//' "$out"
}

# uv_boot_bg <uv_boot arguments>: the same boot in the background (while the test acts on
# it from the host); uv_boot_wait then waits for it and sets UV_BOOT_STATUS.
uv_boot_bg() {
	rm -f "$3.status"
	( uv_boot "$@"; echo "$UV_BOOT_STATUS" > "$3.status" ) &
	UV_BOOT_PID=$! UV_BOOT_OUT=$3
}
uv_boot_wait() {
	wait "$UV_BOOT_PID"
	UV_BOOT_STATUS=$(cat "$UV_BOOT_OUT.status" 2>/dev/null || echo 127)
}

# wait_line <serial out> <extended regex> <seconds>: waits (bounded) until a line matches; status 1 at the time limit.
wait_line() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# uv_boot_path <image dir> <serial out> <QEMU timeout s> <Bochs timeout s>: boots the image the
# fastest way the path allows (QEMU -kernel, Bochs from the ISO).
uv_boot_path() {
	case $UV_PATH in
	qemu-svm) uv_boot kernel "$1" "$2" "$3" ;;
	*) uv_boot iso "$1" "$2" "$4" ;;
	esac
}

# booted <name-prefix> <serial out>: one check that the emulator ran and the kernel started.
booted() {
	local name=$1 out=$2
	if [ "$UV_BOOT_STATUS" = 127 ]; then
		fail "$name.boot" "$(head -n1 "$out")"; return 1
	elif [ "$UV_BOOT_STATUS" = 124 ] && ! grep -q 'univisor: run ended\|KERNEL EXCEPTION\|KERNEL PANIC' "$out"; then
		fail "$name.boot" "timed out; serial output in $out"; return 1
	elif ! grep -q '^univisor .*: kernel started by' "$out"; then
		fail "$name.boot" "no banner on the serial console (status $UV_BOOT_STATUS); see $out"; return 1
	fi
	pass "$name.boot"
}

# symbol <elf> <name>: the symbol's address as 0x<hex> without leading zeros.
symbol() {
	local a
	a=$(nm "$1" | awk -v s="$2" '$3 == s { print $1 }')
	[ -n "$a" ] && printf '0x%x\n' "$((16#$a))"
}
# stopped <app> <regex of the reason>: the kernel's report line names the app and the reason
# (the check is <test>.<app>.stopped).
stopped() { expect "$UV_TEST.$1.stopped" "$s" "^app '$1' stopped: $2"; }

# relay <prefix> <serial out> <app>: one PASS/FAIL per `check NAME ok|FAIL: why` line the app
# printed (named <prefix>.<app>.<NAME less its first dotted part>), and one (<prefix>.<app>.done) that it ended with
# `checks done=N` after exactly N verdicts: a check that never ran cannot pass unseen.
relay() {
	local pre=$1 s=$2 app=$3 line name n=0 total
	while IFS= read -r line; do
		name=${line#"$app: check "}
		name=${name%% *}
		name=$app.${name#*.} # the app's own prefix gives way to the app's name (one ELF, several apps)
		case $line in
		*" ok") pass "$pre.$name" ;;
		*) fail "$pre.$name" "${line#*FAIL: }" ;;
		esac
		n=$((n + 1))
	done < <(grep -E "^$app: check [A-Za-z0-9_.-]+ (ok\$|FAIL: )" "$s")
	total=$(sed -n "s/^$app: checks done=\\([0-9]*\\)\$/\\1/p" "$s" | tail -n 1)
	if [ -z "$total" ]; then
		fail "$pre.$app.done" "no 'checks done' line from $app (it did not finish; see $s)"
	elif [ "$total" != "$n" ]; then
		fail "$pre.$app.done" "$app ran $total checks, $n verdict lines seen"
	else
		pass "$pre.$app.done"
	fi
}
