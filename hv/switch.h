/* hv/switch.h: the app switch of one CPU (branch predictions, FPU image, TSC_AUX), for hv.c and the backends' hand-off. */
#ifndef HV_SWITCH_H
#define HV_SWITCH_H

#include "hv/hv_backend.h"
#include "hv/fpu.h"
#include "hv/spec.h"
#include "kernel/arch/x86.h"

/* The CPU goes from one app's vCPU (cpu->current, if any) to v's: an IBPB where the CPU has
 * it, the FPU image saved and v's loaded (under the kernel's XCR0: call it with that in
 * XCR0), v's TSC_AUX. The backend's own state (VMCS, VMCB, KERNEL_GS_BASE) is its part. */
static inline void hv_switch_to(struct hv_vcpu *v)
{
	struct hv_percpu *cpu = hv_this_cpu();
	spec_app_switch();
	fpu_switch(cpu->current, v);
	if (cpu->tsc_aux_msr && cpu->tsc_aux != v->tsc_aux) {
		wrmsr(MSR_TSC_AUX, v->tsc_aux);
		cpu->tsc_aux = v->tsc_aux;
	}
	cpu->current = v;
}

#endif
