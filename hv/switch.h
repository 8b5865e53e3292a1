/* hv/switch.h: the app switch of one CPU (branch predictions, FPU image, TSC_AUX), for hv.c and the backends' hand-off. */
#ifndef HV_SWITCH_H
#define HV_SWITCH_H

#include "hv/hv_backend.h"
#include "hv/fpu.h"
#include "hv/spec.h"
#include "kernel/arch/x86.h"

/* The CPU goes from one app's vCPU (from: cpu->current, if any; from_known: from is that
 * and not NULL) to v's: an IBPB where the CPU has it, the FPU image saved and v's loaded
 * (under the kernel's XCR0: call it with that in XCR0), v's TSC_AUX. The backend's own
 * state (VMCS, VMCB, KERNEL_GS_BASE) is its part. */
static inline __attribute__((always_inline)) void hv_switch(struct hv_percpu *cpu, struct hv_vcpu *from,
							    bool from_known, struct hv_vcpu *v)
{
	spec_app_switch();
	fpu_switch(from, from_known, v);
	uint32_t aux = v->tsc_aux;
	if (cpu->tsc_aux_msr && cpu->tsc_aux != aux) {
		wrmsr(MSR_TSC_AUX, aux);
		cpu->tsc_aux = aux;
	}
	cpu->current = v;
}

/* hv_switch from whatever vCPU the CPU holds (hv.c, before a run). */
static inline void hv_switch_to(struct hv_vcpu *v)
{
	struct hv_percpu *cpu = hv_this_cpu();
	hv_switch(cpu, cpu->current, false, v);
}

/* hv_switch from v, the vCPU whose exit the CPU is handling (it ran, so cpu->current is v):
 * the backends' hand-off. */
static inline __attribute__((always_inline)) void hv_switch_from(struct hv_vcpu *v, struct hv_vcpu *w)
{
	hv_switch(hv_this_cpu(), v, true, w);
}

#endif
