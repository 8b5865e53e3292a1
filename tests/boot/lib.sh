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
# time: needed when the host side of a test, a socket or a client, must answer in time), and
# UV_BOCHS_REALTIME=1 does the same for Bochs (clock: sync=slowdown: its clock runs at most a
# second ahead of the host's, so an idle guest does not race through its deadlines, and after a
# busy stretch that left it behind it catches up at up to 1.5 times real time);
# UV_NETNS=NAME runs the emulator inside that network namespace (tests/boot/netns.bash).
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
		[ -z "${UV_NETNS:-}" ] || netns=(ip netns exec "$UV_NETNS")
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
		BOCHS_CLOCK_SYNC=${UV_BOCHS_REALTIME:+slowdown} tools/bochsrc.sh "$model" "$mem" "$dir/univisor.iso" "$out" "$out.log" > "$rc"
		[ -z "${UV_BOCHS_DEVICES:-}" ] || printf '%s\n' "$UV_BOCHS_DEVICES" >> "$rc"
		printf 'c\nquit\n' > "$out.cmds"
		local netns=()
		[ -z "${UV_NETNS:-}" ] || netns=(ip netns exec "$UV_NETNS")
		TERM=dumb "${netns[@]}" timeout -k 5 "$tmo" bochs -q -f "$rc" -rc "$out.cmds" </dev/null >/dev/null 2>&1
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
	rm -f "$3.status" "$3" # now, not in the background: a wait_line must not read the last run's output
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

# ---- NICs for boot tests (the same NIC and network on every path) ----
# uv_nic_e1000 <net> [mac]: adds the next Intel 82540EM (e1000, 8086:100e) NIC, number k = 0, 1, ...
# in PCI order, to UV_QEMU_DEVICES and UV_BOCHS_DEVICES. <net>:
#   user[,<options>]  QEMU -netdev user[,<options>] (e.g. hostfwd=...), Bochs' slirp module: both
#                     put the guest at 10.0.2.15 and answer ARP and ICMP echo for the gateway 10.0.2.2
#                     (Bochs takes no options)
#   none              a NIC whose frames go nowhere (link up): QEMU without a netdev, Bochs' vnet
#                     module (it answers only its own 192.168.10.1; its TFTP root is $UV_OUT)
# mac defaults to 52:54:00:12:34:<56 + k>. QEMU's netdev is uvn<k> (for the monitor's set_link);
# addr=<slot> in UV_NIC_QEMU_ADDR puts QEMU's next NIC in that PCI slot (slot decides its INTx line).
UV_NIC_COUNT=0
uv_nic_e1000() {
	local net=$1 k=$UV_NIC_COUNT
	local mac=${2:-$(printf '52:54:00:12:34:%02x' $((0x56 + k)))}
	local dev="e1000,mac=$mac${UV_NIC_QEMU_ADDR:+,addr=$UV_NIC_QEMU_ADDR}" mod
	case $net in
	user|user,*)
		UV_QEMU_DEVICES+=(-netdev "$net,id=uvn$k" -device "$dev,netdev=uvn$k")
		mod="ethmod=slirp" ;;
	none)
		UV_QEMU_DEVICES+=(-device "$dev")
		mod="ethmod=vnet, ethdev=$UV_OUT" ;;
	*) echo "uv_nic_e1000: unknown network '$net'" >&2; return 1 ;;
	esac
	[ "$k" != 0 ] || UV_BOCHS_DEVICES+="plugin_ctrl: e1000=1"$'\n'
	UV_BOCHS_DEVICES+="e1000: card=$k, enabled=1, mac=$mac, $mod"$'\n'
	UV_NIC_COUNT=$((k + 1))
	UV_NIC_QEMU_ADDR=
}
# uv_qemu_monitor <base>: QEMU also reads monitor commands from <base>.in (a file, or a FIFO the
# test writes to while QEMU runs) and answers into <base>.out. With -S in UV_QEMU_DEVICES the
# guest waits for the monitor's `cont`, so commands such as `set_link uvn0 off` come first.
uv_qemu_monitor() {
	[ -e "$1.in" ] || : > "$1.in"
	: > "$1.out"
	UV_QEMU_DEVICES+=(-monitor "pipe:$1")
}
# uv_devices_reset: no extra devices (before the next image's uv_nic_* calls).
uv_devices_reset() { UV_QEMU_DEVICES=(); UV_BOCHS_DEVICES=; UV_NIC_COUNT=0; UV_NIC_QEMU_ADDR=; }

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
