#!/usr/bin/env bash
# tests/boot/kernel.sh: the kernel boots (PVH and GRUB), maps memory, runs its allocator, reports a deliberate exception.
. tests/boot/lib.sh
img=$B/test/kernel
elf=$img/univisor.elf

# checks_common <prefix> <serial>: what every boot of the test kernel must print.
checks_common() {
	local n=$1 s=$2
	booted "$n" "$s" || return
	expect "$n.memmap" "$s" '^memory map \((multiboot2|pvh), [0-9]+ entries\):$'
	expect "$n.memmap-ram" "$s" '^  \[0x0*100000 - 0x[0-9a-f]+\) RAM$'
	expect "$n.memory-summary" "$s" '^memory: [1-9][0-9]* KiB RAM, [1-9][0-9]* KiB usable, [1-9][0-9]* KiB free, kernel \[0x100000 - 0x[0-9a-f]+\)$'
	expect "$n.time" "$s" '^time: TSC [1-9][0-9]* kHz \(over [1-9][0-9]* PIT ticks\), wall clock'
	for c in pmm-alloc pmm-count pmm-zeroed pmm-free pmm-reuse-zeroed paging-page0 paging-guard paging-text-rx paging-data-nx paging-rodata-ro; do
		expect "$n.selftest.$c" "$s" "^selftest: $c ok$"
	done
	expect "$n.pmm-summary" "$s" '^selftest: pmm handed out 516 pages and took them back'
	# The boot report names the protections in force.
	expect "$n.report.speculation" "$s" '^speculation: IBPB on app switch (on|off \(.*\)); RSB refill before any ret to a call made before the exit and before another app is entered on; VERW before entry [a-z].*; L1D flush before entry [a-zA-Z].*; guest indexes clamped after bounds checks$'
	expect "$n.report.fpu" "$s" '^fpu: XSAVE, XCR0 0x[0-9a-f]+ switched whole on every app switch \([0-9]+-byte image\), guests may set x87\|SSE\[\|AVX\]; x87 error pointers (saved by the CPU|reset before each restore .*)$'
	expect "$n.report.mce" "$s" '^mce: machine checks on \(CR4.MCE\), [0-9]+ banks; '
	if [ "$UV_PATH" = bochs-vmx ]; then
		expect "$n.report.memory-types" "$s" '^vmx: .*; EPT leaves ignore the guest PAT, WBINVD exits$'
	else
		expect "$n.report.svm-state" "$s" '^svm: SVM with NPT, .*; guest PAT all write-back, every DR access intercepted$'
	fi
	expect "$n.selftest.host-nmi" "$s" '^selftest: host-nmi-in-kernel ok$'
	expect "$n.host-nmi-said-once" "$s" '^kernel: host NMI received \(counted in the summary; the system goes on\)$'
	expect_not "$n.no-selftest-failure" "$s" 'selftest: .* FAILED'
	# The hv self-test: a tiny guest through hv/hv.h, one exit of each kind.
	for c in vm-create vm-translate vm-map-overlap-refused vm-unmap exit-hypercall exit-cpuid exit-hlt exit-io \
		exit-msr exit-memory vm-remap exit-exception xsetbv-refused-gp exit-hypercall-args cpuid-result \
		unmapped-page-reread interrupt-exit regs teardown-frees; do
		expect "$n.hvtest.$c" "$s" "^hvtest: $c ok$"
	done
	expect "$n.hvtest.done" "$s" '^hvtest: done, 0 failed$'
}

# checks_fault <prefix> <serial> <vector> <symbol>: the exception report names the vector and the RIP.
checks_fault() {
	local n=$1 s=$2 vec=$3 sym=$4 rip
	rip=$(symbol "$elf" "$sym")
	expect "$n.exception-vector" "$s" "^KERNEL EXCEPTION vector $vec "
	if [ -n "$sym" ]; then
		expect "$n.exception-rip" "$s" "^KERNEL EXCEPTION vector $vec .* rip=$rip\$"
	fi
	local x='=[0-9a-f]{16}' # the general registers, four a line, in this order and spacing
	expect "$n.exception-registers" "$s" "^  rax$x rbx$x rcx$x rdx$x\$"
	expect "$n.exception-registers-2" "$s" "^  rsi$x rdi$x rbp$x r8 $x\$"
	expect "$n.exception-registers-3" "$s" "^  r9 $x r10$x r11$x r12$x\$"
	expect "$n.exception-registers-4" "$s" "^  r13$x r14$x r15$x\$"
	expect "$n.exception-stops" "$s" '^kernel: stopped after an exception in the kernel$'
	expect_not "$n.exception-no-return" "$s" 'did not stop the kernel'
}

case $UV_PATH in
qemu-svm)
	uv_boot kernel "$img" "$UV_OUT/direct.txt" 30
	checks_common kernel.direct "$UV_OUT/direct.txt"
	expect kernel.direct.pvh "$UV_OUT/direct.txt" '^univisor .*: kernel started by PVH$'
	expect kernel.direct.cmdline "$UV_OUT/direct.txt" '^command line: hvtest fault=ud$'
	checks_fault kernel.direct "$UV_OUT/direct.txt" 6 selftest_fault_ud

	UV_CMDLINE="fault=pf" uv_boot kernel "$img" "$UV_OUT/pf.txt" 30
	booted kernel.pf "$UV_OUT/pf.txt" &&
		checks_fault kernel.pf "$UV_OUT/pf.txt" 14 selftest_fault_pf &&
		expect kernel.pf.cr2 "$UV_OUT/pf.txt" '^  page fault: write to unmapped address 0x10$' &&
		expect kernel.pf.rax "$UV_OUT/pf.txt" '^  rax=0000000000000010 ' # the faulting store's base

	UV_CMDLINE="fault=stack" uv_boot kernel "$img" "$UV_OUT/stack.txt" 30
	booted kernel.stack "$UV_OUT/stack.txt" &&
		checks_fault kernel.stack "$UV_OUT/stack.txt" 8 ""

	# A breakpoint on the report itself: one short line, a clean stop, no recursion.
	UV_CMDLINE="fault=nested" uv_boot kernel "$img" "$UV_OUT/nested.txt" 30
	if booted kernel.nested "$UV_OUT/nested.txt"; then
		expect kernel.nested.stops "$UV_OUT/nested.txt" '^KERNEL EXCEPTION while reporting an exception; stopping$'
		expect_count kernel.nested.once "$UV_OUT/nested.txt" 'KERNEL EXCEPTION' 1
		[ "$UV_BOOT_STATUS" = 5 ] && pass kernel.nested.powered-off ||
			fail kernel.nested.powered-off "QEMU status $UV_BOOT_STATUS, not 5 (the panic exit)"
	fi

	uv_boot iso "$img" "$UV_OUT/iso.txt" 60
	checks_common kernel.iso "$UV_OUT/iso.txt"
	expect kernel.iso.multiboot2 "$UV_OUT/iso.txt" '^univisor .*: kernel started by Multiboot2$'
	checks_fault kernel.iso "$UV_OUT/iso.txt" 6 selftest_fault_ud
	;;
bochs-vmx|bochs-svm)
	uv_boot iso "$img" "$UV_OUT/iso.txt" 120
	checks_common kernel.iso "$UV_OUT/iso.txt"
	expect kernel.iso.multiboot2 "$UV_OUT/iso.txt" '^univisor .*: kernel started by Multiboot2$'
	checks_fault kernel.iso "$UV_OUT/iso.txt" 6 selftest_fault_ud
	# What the VMX backend found on corei7_skylake_x (tests/boot/README.md): true controls, EPT with 2M/1G, VPID, timer.
	[ "$UV_PATH" = bochs-vmx ] && expect kernel.iso.vmx-caps "$UV_OUT/iso.txt" \
		'^vmx: VMX revision 0x[0-9a-f]+ \(true controls\), EPT 4-level WB 2M 1G, INVEPT single-context, VPID with INVVPID single-context, unrestricted guest yes, MAXPHYADDR [0-9]+; EPT leaves ignore the guest PAT, WBINVD exits$'
	;;
esac
exit $UV_FAILED
