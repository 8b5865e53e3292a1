/* hv/svm/svm_cpu.c: brings a CPU into SVM (EFER.SVME), its host save area, the permission maps, and what the CPU offers. */
#include "hv/svm/svm.h"
#include "kernel/arch/cpu.h"
#include "kernel/arch/trap.h"
#include "kernel/console/console.h"
#include "kernel/mm/mm.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"
#include "include/abi/uv_hypercall.h"
#include "kernel/arch/cpufeature.h"

#define VM_CR_SVMDIS (1u << 4)

struct svm_model svm_model;

/* Newer instructions that reach beyond the app: RDPRU reads the host's APERF/MPERF,
 * INVLPGB/TLBSYNC broadcast TLB invalidations, MCOMMIT, INVPCID. Intercepted where the
 * CPU has them (APM2 15.9; the bits are reserved elsewhere). */
static void newer_intercepts(void)
{
	uint32_t a, c, d, ext8_b, l7_b;
	cpuid_leaf(0x80000008, &a, &ext8_b, &c, &d);
	cpuid_leaf(7, &a, &l7_b, &c, &d);
	svm_model.misc2_extra = (ext8_b & CPUID_80000008_EBX_RDPRU) ? SVM_INTERCEPT_RDPRU : 0;
	svm_model.misc3 = ((ext8_b & CPUID_80000008_EBX_INVLPGB) ? SVM_INTERCEPT_INVLPGB | SVM_INTERCEPT_INVLPGB_ILLEGAL |
				   SVM_INTERCEPT_TLBSYNC : 0) |
			  ((ext8_b & CPUID_80000008_EBX_MCOMMIT) ? SVM_INTERCEPT_MCOMMIT : 0) |
			  ((l7_b & CPUID_7_EBX_INVPCID) ? SVM_INTERCEPT_INVPCID : 0);
}

/* The I/O and MSR permission maps: all ones, every port and MSR intercepted (APM2 15.10,
 * 15.11); shared by every vCPU. */
static int permission_maps(void)
{
	if (svm_model.iopm_pa)
		return 0;
	svm_model.iopm_pa = hv_all_ones(SVM_IOPM_BYTES);
	svm_model.msrpm_pa = hv_all_ones(SVM_MSRPM_BYTES);
	return svm_model.iopm_pa && svm_model.msrpm_pa ? 0 : -UV_ENOMEM;
}

int svm_cpu_init(struct hv_caps *c, struct hv_percpu *cpu)
{
	uint32_t a, b, cx, d;
	if (!cpuid_leaf(0x8000000a, &a, &b, &cx, &d)) {
		kprintf("svm: CPUID leaf 0x8000000a missing\n");
		return -UV_ENOSYS;
	}
	if (!(d & SVM_FEAT_NP)) {
		kprintf("svm: SVM without nested paging (NPT): not supported\n");
		return -UV_ENOSYS;
	}
	svm_model.n_asids = b < SVM_MAX_ASIDS ? b : SVM_MAX_ASIDS;
	svm_model.nrip_save = (d & SVM_FEAT_NRIPS) != 0;
	svm_model.flush_by_asid = (d & SVM_FEAT_FLUSH_BY_ASID) != 0;
	svm_asid_limit(svm_model.n_asids);
	/* VM_CR.SVMDIS set by firmware makes EFER.SVME #GP (APM2 15.4); Bochs lacks VM_CR, so read it safely. */
	uint64_t vmcr;
	if (rdmsr_safe(MSR_VM_CR, &vmcr) == 0 && (vmcr & VM_CR_SVMDIS)) {
		kprintf("svm: SVM is disabled by the firmware (VM_CR.SVMDIS)\n");
		return -UV_ENOSYS;
	}
	if (wrmsr_safe(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME)) {
		kprintf("svm: setting EFER.SVME faulted\n");
		return -UV_ENOSYS;
	}
	cpuid(0x80000001, &a, &b, &cx, &d);
	svm_model.large_1g = (d & CPUID_80000001_EDX_1G) != 0;
	newer_intercepts();
	svm_model.npt_format = pt_x86_user_format; /* the standard format with U/S everywhere (15.25.5) */
	svm_model.npt_format.max_leaf_level = svm_model.large_1g ? 3 : 2;
	cpu->npt_format = &svm_model.npt_format;

	c->vendor = HV_VENDOR_SVM;
	c->hc_insn = UV_HC_INSN_VMMCALL;
	c->rdtscp = (d & CPUID_80000001_EDX_RDTSCP) != 0; /* RDTSCP and RDPID are not intercepted */

	/* This CPU's host save area (APM2 15.30.4) and a host-state VMCB for VMSAVE/VMLOAD. */
	struct svm_percpu *p = kalloc_page();
	if (!p || permission_maps())
		panic("svm: out of memory at init");
	p->hsave_pa = kalloc_pages(1, 1);
	p->host_vmcb_pa = kalloc_pages(1, 1);
	if (!p->hsave_pa || !p->host_vmcb_pa)
		panic("svm: out of memory at init");
	cpu->backend = p;
	wrmsr(MSR_VM_HSAVE_PA, p->hsave_pa);
	/* The host's FS/GS/TR/LDTR hidden state and syscall MSRs, restored after each exit. */
	__asm__ volatile("vmsave %%rax" : : "a"(p->host_vmcb_pa) : "memory");
	/* Bochs 2.7 keeps the single-step trap of a guest instruction that is intercepted
	 * (the exit is fault-like: the instruction did not complete, APM2 15.7.1) and raises
	 * it in the host at the first instruction after VMRUN (cpu/svm.cc clears its pending
	 * debug trap only on exception intercepts). The trap is the guest's: the kernel drops
	 * it there, and delivers the guest its own after completing the instruction. */
	trap_ignore_single_step_at((uint64_t)(uintptr_t)svm_after_vmrun);
	kprintf("svm: SVM with NPT, %u ASIDs, nRIP %s, flush-by-ASID %s, 1 GiB pages %s; guest PAT all write-back, "
		"every DR access intercepted\n", svm_model.n_asids, svm_model.nrip_save ? "yes" : "no",
		svm_model.flush_by_asid ? "yes" : "no", svm_model.large_1g ? "yes" : "no");
	return 0;
}
