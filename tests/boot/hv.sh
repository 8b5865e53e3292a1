#!/usr/bin/env bash
# tests/boot/hv.sh: a one-backend image (hv = vmx, hv = svm) holds no code of the other vendor, runs its apps on its own vendor's CPU and, on the other's, says why it cannot and powers off.
. tests/boot/lib.sh
vendor=svm
[ "$UV_PATH" = bochs-vmx ] && vendor=vmx
for hv in vmx svm; do
	img=$B/test/hv-$hv
	s=$UV_OUT/serial-$hv.txt
	# The image's symbols: its own backend's table and none of the other's.
	syms=$(nm --defined-only "$img/univisor.elf" 2>&1 | grep -oE ' hv_(vmx|svm)_backend$' | tr -d ' ' | tr '\n' ' ')
	if [ "$syms" = "hv_${hv}_backend " ]; then pass "hv.$hv.one-backend"
	else fail "hv.$hv.one-backend" "$img/univisor.elf has backend tables: '${syms:-none}'"; fi
	uv_boot_path "$img" "$s" 60 300
	booted "hv.$hv" "$s" || continue
	if [ "$hv" = "$vendor" ]; then
		expect "hv.$hv.backend" "$s" "^$hv: (SVM with NPT,|VMX revision )"
		expect "hv.$hv.app-ran" "$s" '^hello: Hello from hello, a C app on newlib inside its own VM!$'
		expect "hv.$hv.app-exit" "$s" "^app 'hello' exited with status 0$"
		expect_not "hv.$hv.no-refusal" "$s" '^hv: this CPU has'
	else
		other=$([ $hv = vmx ] && echo svm || echo vmx)
		declare -A names=([vmx]="Intel VMX" [svm]="AMD SVM")
		expect "hv.$hv.refused" "$s" "^hv: this CPU has ${names[$other]}, but this image carries only the ${hv^^} backend \\(built with hv = $hv\\): build it with hv = $other or hv = both$"
		expect "hv.$hv.stops" "$s" '^appliance: no usable hardware virtualization; stopping$'
		expect_not "hv.$hv.no-app" "$s" "^hello: "
	fi
	expect "hv.$hv.run-ended" "$s" '^univisor: run ended, powering off$'
	expect_not "hv.$hv.no-kernel-exception" "$s" 'KERNEL (EXCEPTION|PANIC)'
done
exit $UV_FAILED
