/* hv/spec.c: finds which speculation mitigations this CPU needs and offers, as KVM and Xen do by default. */
#include "hv/spec.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpufeature.h"


struct spec_host spec_host;

void spec_init(bool vmx)
{
	uint32_t a, b, c, d, ext_b, edx7;
	cpuid_leaf(7, &a, &b, &c, &edx7);
	cpuid_leaf(0x80000008, &a, &ext_b, &c, &d);
	uint64_t arch_cap = 0;
	if ((edx7 & CPUID_7_EDX_ARCH_CAP) && rdmsr_safe(MSR_IA32_ARCH_CAPABILITIES, &arch_cap))
		arch_cap = 0;
	bool intel = cpu_vendor() == CPU_VENDOR_INTEL;

	/* IBPB: enumerated by CPUID; the write is tried once, since emulators may list the bit
	 * without the MSR. */
	const char *ibpb = "off (the CPU does not enumerate IBPB)";
	if ((edx7 & CPUID_7_EDX_IBRS_IBPB) || (ext_b & CPUID_80000008_EBX_IBPB)) {
		spec_host.ibpb = wrmsr_safe(MSR_IA32_PRED_CMD, 1) == 0;
		ibpb = spec_host.ibpb ? "on" : "off (IA32_PRED_CMD faulted)";
	}
	/* L1TF: Intel parts without RDCL_NO; the flush is skipped where the CPU says entry is safe. */
	const char *l1d = "not needed";
	if (vmx && intel && !(arch_cap & ARCH_CAP_RDCL_NO) && !(arch_cap & ARCH_CAP_SKIP_L1DFL_VMENTRY)) {
		spec_host.l1d_flush = (edx7 & CPUID_7_EDX_L1D_FLUSH) && wrmsr_safe(MSR_IA32_FLUSH_CMD, 1) == 0;
		l1d = spec_host.l1d_flush ? "on" : "NEEDED but unavailable (no IA32_FLUSH_CMD: update the microcode)";
	}
	/* MDS: VERW clears the buffers where the CPU enumerates MD_CLEAR and is affected. */
	const char *verw = "not needed";
	if ((edx7 & CPUID_7_EDX_MD_CLEAR) && !(arch_cap & ARCH_CAP_MDS_NO)) {
		spec_host.verw = true;
		verw = spec_host.l1d_flush ? "covered by the L1D flush" : "on";
	}
	spec_host.before_entry = spec_host.l1d_flush || spec_host.verw;
	kprintf("speculation: IBPB on app switch %s; RSB refill before any ret to a call made before the exit and before another app is entered on; VERW before entry %s; "
		"L1D flush before entry %s; guest indexes clamped after bounds checks\n", ibpb, verw, l1d);
}
