#!/usr/bin/env bash
# tests/host/mkimage.sh: the mkimage command end to end on ELFs gcc really produces (static, PIE, dynamic, stripped, stubs), exit statuses, deps, the summary and the network, all-in-one link.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib.sh
B=${B:-build}
MK=$B/tools/mkimage
[ -x "$MK" ] || { fail mkimage.build "$MK not built (make test-build)"; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# A tiny app: _start, and the stubs named by -DSTUB_<call>.
cat > "$t/app.S" <<'EOA'
	.text
	.globl _start
	.type _start, @function
_start:	mov $1, %eax
	vmcall
	hlt
	.size _start, .-_start
#ifdef STUB_RANDOM
	.globl uv_hc_random
	.type uv_hc_random, @function
uv_hc_random: mov $6, %eax
	vmcall
	ret
	.size uv_hc_random, .-uv_hc_random
#endif
	.data
counter: .quad 1
	.section .note.GNU-stack,"",@progbits
EOA
STATIC=(-nostdlib -static -no-pie -Wl,-z,max-page-size=4096 -Wl,--build-id=none)
cc_app() { local out=$1; shift; gcc "$@" -o "$t/$out" "$t/app.S" 2>"$t/$out.err" || fail "mkimage.fixture.$out" "gcc: $(head -n1 "$t/$out.err")"; }
cc_app good.elf "${STATIC[@]}" -Wl,-Ttext-segment=0x200000
cc_app random.elf "${STATIC[@]}" -Wl,-Ttext-segment=0x200000 -DSTUB_RANDOM
cc_app low.elf "${STATIC[@]}" -Wl,-Ttext-segment=0x100000
cc_app high.elf "${STATIC[@]}" -Wl,-Ttext-segment=0x3f0000
cc_app pie.elf -nostdlib -static-pie -Wl,--build-id=none
cp "$t/good.elf" "$t/stripped.elf" && strip "$t/stripped.elf"
printf 'int main(void) { return 0; }\n' > "$t/dyn.c"
gcc -no-pie -o "$t/dyn.elf" "$t/dyn.c" 2>/dev/null || fail mkimage.fixture.dyn "gcc could not link a dynamic executable"
head -c 100 "$t/good.elf" > "$t/truncated.elf"

# conf <file> <elf> [extra lines]: a one-app config; the elf line is line 5, memory 6, extra from 7.
conf() {
	local f=$1 elf=$2; shift 2
	printf '[appliance]\nname = t\n\n[app a]\nelf = %s\nmemory = 4M\n' "$elf" > "$t/$f"
	for l in "$@"; do echo "$l" >> "$t/$f"; done
}
# refuses <check> <message> <conf>: mkimage exits 1 and prints exactly the message.
refuses() {
	local name=$1 want=$2 out rc
	out=$("$MK" --config "$t/$3" --manifest "$t/x.bin" 2>&1); rc=$?
	if [ $rc -ne 1 ]; then fail "$name" "exit status $rc, expected 1 (output: $out)"
	elif [ "$out" != "$want" ]; then fail "$name" "printed '$out', expected '$want'"
	else pass "$name"; fi
}

conf good.conf "$t/good.elf" "grants = console" "args = x \"y z\""
if "$MK" --config "$t/good.conf" --manifest "$t/good.bin" --deps "$t/good.d" 2>"$t/err"; then
	pass mkimage.good.exit
	if [ "$(head -c 4 "$t/good.bin")" = UVMF ]; then pass mkimage.good.magic; else fail mkimage.good.magic "no UVMF magic"; fi
	size=$(stat -c %s "$t/good.bin")
	total=$(od -An -t u8 -j 8 -N 8 "$t/good.bin" | tr -d ' ')
	if [ "$size" = "$total" ]; then pass mkimage.good.total-size; else fail mkimage.good.total-size "file $size bytes, header says $total"; fi
	if grep -qF "$t/good.elf" "$t/good.d" && grep -q "^$t/good.bin:" "$t/good.d"; then pass mkimage.good.deps; else fail mkimage.good.deps "$(cat "$t/good.d")"; fi
	# The argument strings are in the manifest: argv[0] is the app's name.
	if grep -qaP 'a\x00x\x00y z\x00' "$t/good.bin"; then pass mkimage.good.args; else fail mkimage.good.args "argument strings not found"; fi
	if grep -qa '_start' "$t/good.bin"; then pass mkimage.good.symbols; else fail mkimage.good.symbols "no _start in the symbol table"; fi
else
	fail mkimage.good.exit "$(cat "$t/err")"
fi
if "$MK" --config "$t/good.conf" >"$t/out" 2>"$t/err" && [ ! -s "$t/err" ]; then pass mkimage.check-only; else fail mkimage.check-only "$(cat "$t/err")"; fi
if [ "$(head -n1 "$t/out")" = "appliance 't': 1 app, 0 ports, 0 segments, 0 vNICs, 0 channels; manifest $size bytes" ]; then
	pass mkimage.check-only.summary
else
	fail mkimage.check-only.summary "printed '$(head -n1 "$t/out")'"
fi
if "$MK" --config "$t/good.conf" --manifest "$t/good2.bin" >"$t/out" 2>&1 && [ ! -s "$t/out" ]; then pass mkimage.quiet-when-writing; else fail mkimage.quiet-when-writing "printed '$(head -n1 "$t/out")'"; fi

# The network: the summary shows it, an ungranted vNIC is a warning, a mistake in it an error.
conf net.conf "$t/good.elf" "grants = console net:out" "nic = out segment=outside mac=52:54:00:12:34:56 promisc" \
	"nic = spare segment=inside" "[port wan]" "driver = e1000" "[segment outside]" "port = wan" "[segment inside]"
if "$MK" --config "$t/net.conf" --manifest "$t/net.bin" --summary >"$t/out" 2>"$t/err"; then
	pass mkimage.net.exit
	want="$t/net.conf:9: warning: vNIC 'spare' of app 'a' is not granted (no net:spare in its grants): the app cannot use it"
	if [ "$(cat "$t/err")" = "$want" ]; then pass mkimage.net.warning; else fail mkimage.net.warning "stderr '$(cat "$t/err")'"; fi
	if grep -qx '    nic 0 out: segment outside, mac 52:54:00:12:34:56, queue 64, promisc, granted' "$t/out" &&
		grep -qE '^    nic 1 spare: segment inside, mac 02(:[0-9a-f]{2}){5}, queue 64, NOT granted$' "$t/out" &&
		grep -qx '  port wan: e1000 NIC 0' "$t/out" && grep -qx '  segment outside: bridged to port wan: a.out' "$t/out" &&
		grep -qx '  segment inside: internal: a.spare' "$t/out"; then
		pass mkimage.net.summary
	else
		fail mkimage.net.summary "$(tr '\n' '|' < "$t/out")"
	fi
	# Header: n_ports, n_segments, n_vnics at 56, 60, 64 (include/abi/uv_manifest.h).
	counts=$(od -An -t u4 -j 56 -N 12 "$t/net.bin" | tr -s ' ')
	if [ "$counts" = " 1 2 2" ]; then pass mkimage.net.counts; else fail mkimage.net.counts "header counts '$counts'"; fi
else
	fail mkimage.net.exit "$(cat "$t/err")"
fi
conf netbad.conf "$t/good.elf" "nic = out segment=outside mac=01:00:5e:00:00:01"
refuses mkimage.net.multicast-mac "$t/netbad.conf:7: vNIC 'out' of app 'a': MAC 01:00:5e:00:00:01 is a group (multicast or broadcast) address: bit 0 of its first byte must be clear" netbad.conf

conf random.conf "$t/random.elf" "grants = console"
refuses mkimage.stub-without-grant "$t/random.conf:7: app 'a' contains the random stub but is not granted 'random'" random.conf
conf random2.conf "$t/random.elf"
refuses mkimage.stub-without-grants-line "$t/random2.conf:4: app 'a' contains the random stub but is not granted 'random'" random2.conf
conf random3.conf "$t/random.elf" "grants = random"
if "$MK" --config "$t/random3.conf" >/dev/null 2>"$t/err"; then pass mkimage.stub-with-grant; else fail mkimage.stub-with-grant "$(cat "$t/err")"; fi

conf dyn.conf "$t/dyn.elf"
refuses mkimage.dynamic "$t/dyn.conf:5: app 'a': $t/dyn.elf: ELF is dynamically linked (has PT_INTERP); link it -static" dyn.conf
conf pie.conf "$t/pie.elf"
refuses mkimage.pie "$t/pie.conf:5: app 'a': $t/pie.elf: ELF type 3 is not a static executable (ET_EXEC); PIE and shared objects are refused" pie.conf
conf low.conf "$t/low.elf"
refuses mkimage.below-image-area "$t/low.conf:5: app 'a': $t/low.elf: segment 0: [0x100000, 0x100120) lies outside the app's image area [0x200000, 0x100000000)" low.conf
conf high.conf "$t/high.elf"
refuses mkimage.memory-too-small "$t/high.conf:6: app 'a': memory 4096K is too small: the ELF spans [0x3f0000, 0x3f3000), which with the 256K stack and its guard page needs at least 4304K" high.conf
conf stripped.conf "$t/stripped.elf"
refuses mkimage.stripped "$t/stripped.conf:5: app 'a': $t/stripped.elf: has no symbol table (do not strip app ELFs)" stripped.conf
conf trunc.conf "$t/truncated.elf"
refuses mkimage.truncated "$t/trunc.conf:5: app 'a': $t/truncated.elf: ELF program headers lie outside the file" trunc.conf
conf missing.conf "$t/nothere.elf"
refuses mkimage.missing-elf "$t/missing.conf:5: app 'a': cannot read ELF '$t/nothere.elf': No such file or directory" missing.conf
conf dir.conf "$t"
refuses mkimage.elf-is-directory "$t/dir.conf:5: app 'a': cannot read ELF '$t': Is a directory" dir.conf
conf unknown.conf "$t/good.elf" "memroy = 8M"
refuses mkimage.unknown-key "$t/unknown.conf:7: unknown key 'memroy' in [app a] (known: elf memory stack args grants restart restart_limit restart_backoff exceptions nic)" unknown.conf

# A refused config leaves no manifest behind.
rm -f "$t/x.bin"
"$MK" --config "$t/unknown.conf" --manifest "$t/x.bin" 2>/dev/null
if [ ! -e "$t/x.bin" ] && [ ! -e "$t/x.bin.tmp" ]; then pass mkimage.no-output-on-error; else fail mkimage.no-output-on-error "a manifest was written"; fi
out=$("$MK" --config "$t/absent.conf" 2>&1); rc=$?
if [ $rc = 1 ] && [ "$out" = "$t/absent.conf: cannot read the config: No such file or directory" ]; then pass mkimage.missing-config; else fail mkimage.missing-config "status $rc: $out"; fi
"$MK" --bogus >/dev/null 2>&1; rc=$?
if [ $rc = 2 ]; then pass mkimage.usage; else fail mkimage.usage "status $rc for an unknown option"; fi

# All in one: config + kernel objects -> a bootable ELF whose payload section is the manifest.
if [ -f "$B/kernel.o" ] && [ -f "$B/obj/kernel/test/selftest_none.c.o" ]; then
	if "$MK" --config "$t/good.conf" --kernel "$B/kernel.o" --kernel "$B/obj/kernel/test/selftest_none.c.o" --out "$t/img.elf" 2>"$t/err"; then
		objcopy -O binary -j .uv_payload "$t/img.elf" "$t/payload.bin"
		start=$(nm "$t/img.elf" | awk '$3 == "__uv_payload_start" { print $1 }')
		end=$(nm "$t/img.elf" | awk '$3 == "__uv_payload_end" { print $1 }')
		if [ -n "$start" ] && [ $((16#$end - 16#$start)) = "$size" ] && cmp -s -n "$size" "$t/payload.bin" "$t/good.bin"; then
			pass mkimage.all-in-one.payload
		else
			fail mkimage.all-in-one.payload "the image's payload [$start, $end) is not the manifest ($size bytes)"
		fi
	else
		fail mkimage.all-in-one "$(cat "$t/err")"
	fi
else
	fail mkimage.all-in-one "$B/kernel.o not built"
fi

# hv = vmx: the image links kernel-vmx.o, and a kernel object with another backend is refused
# (no image left behind); --hv-file tells make which object to link.
{ printf '[appliance]\nname = t\nhv = vmx\n'; sed 1,2d "$t/good.conf"; } > "$t/vmx.conf"
if [ -f "$B/kernel-vmx.o" ] && [ -f "$B/kernel-svm.o" ]; then
	if "$MK" --config "$t/vmx.conf" --kernel "$B/kernel-vmx.o" --kernel "$B/obj/kernel/test/selftest_none.c.o" --out "$t/vmx.elf" 2>"$t/err" &&
		nm --defined-only "$t/vmx.elf" > "$t/vmx.nm" && grep -q ' hv_vmx_backend$' "$t/vmx.nm" && ! grep -q ' hv_svm_backend$' "$t/vmx.nm"; then
		pass mkimage.hv-vmx.links
	else
		fail mkimage.hv-vmx.links "$(cat "$t/err")"
	fi
	for k in kernel kernel-svm; do
		out=$("$MK" --config "$t/vmx.conf" --kernel "$B/$k.o" --kernel "$B/obj/kernel/test/selftest_none.c.o" --out "$t/bad.elf" 2>&1); rc=$?
		carry=$([ $k = kernel ] && echo "both backends" || echo "only the SVM backend")
		want="mkimage: $t/bad.elf: the config says hv = vmx, but the kernel objects carry $carry (link build/kernel-vmx.o)"
		if [ $rc = 1 ] && [ "$out" = "$want" ] && [ ! -e "$t/bad.elf" ]; then pass "mkimage.hv-vmx.refuses-$k"
		else fail "mkimage.hv-vmx.refuses-$k" "status $rc, printed '$out'$([ -e "$t/bad.elf" ] && echo ', and left the image')"; fi
	done
else
	fail mkimage.hv-vmx.links "$B/kernel-vmx.o or kernel-svm.o not built"
fi
if "$MK" --config "$t/vmx.conf" --manifest "$t/vmx.bin" --hv-file "$t/vmx.hv" 2>"$t/err" && [ "$(cat "$t/vmx.hv")" = vmx ] &&
	"$MK" --config "$t/good.conf" --manifest "$t/good3.bin" --hv-file "$t/good.hv" && [ "$(cat "$t/good.hv")" = both ] &&
	cmp -s "$t/vmx.bin" "$t/good3.bin"; then
	pass mkimage.hv-file
else
	fail mkimage.hv-file "hv files '$(cat "$t/vmx.hv" "$t/good.hv" 2>&1 | tr '\n' ' ')', or the manifests differ: $(cat "$t/err")"
fi
if "$MK" --config "$t/vmx.conf" > "$t/vmx.sum" && grep -qx '  hv: vmx (the kernel carries only the Intel VMX backend)' "$t/vmx.sum"; then pass mkimage.hv-summary
else fail mkimage.hv-summary "no hv line in the summary"; fi
exit $UV_FAILED
