/* hv/spec.h: speculative-execution mitigations around VM entry and exit and between apps (hv/spec.c). */
#ifndef HV_SPEC_H
#define HV_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/cpu.h"

#define MSR_IA32_PRED_CMD 0x49         /* bit 0: IBPB */
#define MSR_IA32_FLUSH_CMD 0x10b       /* bit 0: L1D_FLUSH */
#define MSR_IA32_ARCH_CAPABILITIES 0x10a
#define ARCH_CAP_RDCL_NO (1ull << 0)   /* not affected by L1TF/Meltdown */
#define ARCH_CAP_SKIP_L1DFL_VMENTRY (1ull << 3)
#define ARCH_CAP_MDS_NO (1ull << 5)

struct spec_host {
	bool ibpb;      /* IBPB when the CPU switches from one app to another */
	bool verw;      /* VERW clears CPU buffers right before entry (MDS) */
	bool l1d_flush; /* IA32_FLUSH_CMD before entry (L1TF; Intel VMX only) */
	bool before_entry; /* either of the two: the one test on the way in */
};
extern struct spec_host spec_host;

/* Detects what the CPU enumerates and prints the one line naming what is on. vmx: the
 * VMX backend runs (L1TF concerns Intel's VMX only). */
void spec_init(bool vmx);

/* Right before VM entry: flush L1D on L1TF-affected CPUs, else clear buffers with VERW
 * where MDS needs it (a flush of L1D clears them too). */
static inline void spec_before_entry(void)
{
	if (__builtin_expect(!spec_host.before_entry, 1))
		return;
	if (spec_host.l1d_flush) {
		wrmsr(MSR_IA32_FLUSH_CMD, 1);
	} else if (spec_host.verw) {
		static const uint16_t sel = 0x10; /* any valid data selector (the kernel's) */
		__asm__ volatile("verw %0" : : "m"(sel) : "cc");
	}
}

/* When this CPU goes from one app's vCPU to another's. */
static inline void spec_app_switch(void)
{
	if (spec_host.ibpb)
		wrmsr(MSR_IA32_PRED_CMD, 1);
}

#endif
