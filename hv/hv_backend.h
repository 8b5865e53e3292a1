/* hv/hv_backend.h: the contract between hv/hv.c and a vendor backend (hv/vmx, hv/svm); only hv/ includes it. */
#ifndef HV_HV_BACKEND_H
#define HV_HV_BACKEND_H

#include "hv/hv.h"
#include "kernel/arch/percpu.h"
#include "kernel/mm/pt.h"
#include "kernel/arch/cpu.h"
#include "hv/gprs_asm.h"

/*
 * hv.c allocates each VM and vCPU as one zeroed page holding the backend's structure with
 * the common part first (struct vmx_vcpu { struct hv_vcpu common; ... }), which the backend
 * casts back. hv/hv.c owns the common fields; the backend never touches FPU state or
 * step_owed except as documented here.
 *
 * The two backends are alike on purpose where this contract shapes them: the same files
 * (<v>_cpu, _vm, _vcpu, _run, _exit, _backend) and the same prototypes in vmx.h and svm.h.
 * What they do differs (VMCS fields vs VMCB offsets, INVEPT vs ASID flushes, the world
 * switches in vmx_entry.S and svm_entry.S): each is written against its own manual and
 * kept apart so that one vendor's rule never leaks into the other's code. What is the
 * same in substance lives once: in hv.c (the VM's tables and their mapping, the vCPU's
 * allocation, the general registers, FPU, TSC_AUX, single-step, translate), here (the
 * register block and the exits whose operands are registers), hv/gprs_asm.h (the block's
 * moves in both world switches), hv/names.c (names for reports) and kernel/mm/pt.c (the
 * table walk).
 */
struct hv_vm {
	struct pt tables;        /* its EPT/NPT (kernel/mm/pt.c): hv.c builds, maps, unmaps and counts them */
};

/* What hv keeps for one physical CPU (this_cpu()->hv). */
struct hv_percpu {
	struct hv_vcpu *current; /* whose FPU image, TSC_AUX and branch history are in this CPU */
	bool tsc_aux_msr;        /* IA32_TSC_AUX exists (RDTSCP or RDPID) */
	uint32_t tsc_aux;        /* the value in IA32_TSC_AUX */
	hv_handoff_fn handoff;   /* hv_set_handoff_fn: who runs next in place (NULL: nobody) */
	uint64_t handoff_end;    /* the slice end of the last vCPU handed to (hv_handoff) */
	const struct pt_format *npt_format; /* the backend's EPT/NPT entries (set by its cpu_init) */
	void *backend;           /* the backend's per-CPU state (struct vmx_percpu / svm_percpu) */
};
static inline struct hv_percpu *hv_this_cpu(void) { return this_cpu()->hv; }

/* The guest's general registers as both world switches move them (RSP is in the VMCS/VMCB):
 * the hypercall's six argument registers first, in the ABI's order (include/abi/uv_hypercall.h),
 * so the fast paths hand them to the handler in place; the other caller-saved ones (all a fast
 * path saves); the callee-saved ones; RAX, which only VMX's world switch moves (SVM's lives in
 * the VMCB: hv_vcpu.rax points at the one in use). */
struct hv_gprs {
	uint64_t rdi, rsi, rdx, r10, r8, r9, rcx, r11;
	uint64_t rbx, rbp, r12, r13, r14, r15;
	uint64_t rax;
};
_Static_assert(offsetof(struct hv_gprs, rdx) == G_RDX && offsetof(struct hv_gprs, r10) == G_R10 &&
	       offsetof(struct hv_gprs, r9) == G_R9 && offsetof(struct hv_gprs, rcx) == G_RCX &&
	       offsetof(struct hv_gprs, r11) == G_R11 && offsetof(struct hv_gprs, rbx) == G_RBX &&
	       offsetof(struct hv_gprs, rax) == G_RAX && sizeof(struct hv_gprs) == G_END, "hv/gprs_asm.h layout");

struct hv_vcpu {
	struct hv_vm *vm;
	/* Owned by hv.c: */
	void *fpu_area;          /* XSAVE (or FXSAVE) image, 64-byte aligned */
	uint64_t fpu_area_bytes;
	uint64_t xcr0;           /* the guest's XCR0 (hv/fpu.c) */
	uint32_t tsc_aux;        /* its IA32_TSC_AUX */
	bool step_owed;          /* a single-step trap is owed (hv_single_step_pending): checked before each entry */
	uint64_t *rax;           /* set by the backend: where the guest's RAX lives (hv_vcpu_set_rax) */
	hv_hypercall_fn hc_fn;   /* hv_vcpu_set_hypercall_fn */
	void *hc_owner;
	struct hv_gprs gprs;     /* last: the backend's world-switch fields follow it (G_END) */
};

/* For backends: EDX:EAX, the 64-bit operand of WRMSR and XSETBV (the upper halves ignored). */
static inline uint64_t hv_edx_eax(const struct hv_vcpu *v)
{
	return ((v->gprs.rdx & 0xffffffffull) << 32) | (*v->rax & 0xffffffffull);
}
/* For backends: the exits whose operands are guest registers, filled alike (only the fields of
 * the reason: the hot path does no memset). A hypercall: RAX, then RDI RSI RDX R10 R8 R9
 * (include/abi/uv_hypercall.h), in that order in gprs. */
static inline void hv_hypercall_exit(const struct hv_vcpu *v, struct hv_exit *e)
{
	e->reason = HV_EXIT_HYPERCALL;
	e->hypercall.nr = *v->rax;
	__builtin_memcpy(e->hypercall.arg, &v->gprs.rdi, sizeof(e->hypercall.arg));
}
/* CPUID: the leaf in EAX, the subleaf in ECX (SDM 2 CPUID), and the guest's XCR0. */
static inline void hv_cpuid_exit(const struct hv_vcpu *v, struct hv_exit *e)
{
	e->reason = HV_EXIT_CPUID;
	e->cpuid.leaf = (uint32_t)*v->rax;
	e->cpuid.subleaf = (uint32_t)v->gprs.rcx;
	e->cpuid.xcr0 = v->xcr0;
}
/* RDMSR / WRMSR: the MSR in ECX, a write's value in EDX:EAX (SDM 2 RDMSR, WRMSR). */
static inline void hv_msr_exit(const struct hv_vcpu *v, bool write, struct hv_exit *e)
{
	e->reason = HV_EXIT_MSR;
	e->msr.index = (uint32_t)v->gprs.rcx;
	e->msr.write = write;
	e->msr.value = write ? hv_edx_eax(v) : 0;
}

/* For backends, at a hypercall exit (exit filled, RIP advanced): true when nothing is due
 * (a single-step trap, the slice's end: then the caller sees the exit, the call
 * not yet run) and the vCPU's hypercall handler completed it, so the backend enters again. */
static inline bool hv_hypercall_done(struct hv_vcpu *v, struct hv_exit *exit, uint64_t slice_end)
{
	exit->hypercall.handled = 0;
	if (!v->hc_fn || v->step_owed || (slice_end && rdtsc() >= slice_end))
		return false;
	exit->hypercall.handled = v->hc_fn(v->hc_owner, exit->hypercall.nr, exit->hypercall.arg, v->rax);
	return exit->hypercall.handled == 0;
}
/* For backends, after v's handler returned code (> 0) in the fast path: the vCPU to enter
 * next in v's place (the backend then makes the app switch, hv_switch_to, and its entry,
 * its slice ending at hv_this_cpu()->handoff_end), or NULL. */
static inline struct hv_vcpu *hv_handoff(struct hv_vcpu *v, int code)
{
	struct hv_percpu *cpu = hv_this_cpu();
	if (!cpu->handoff)
		return 0;
	struct hv_vcpu *n = cpu->handoff(v->hc_owner, code, &cpu->handoff_end);
	return n != v ? n : 0;
}

struct hv_backend {
	const char *name;
	/* Detects support (vendor CPUID bits, nested paging, ...), enables VMX/SVM on this
	 * CPU, sets cpu->backend and fills the caps. Returns -UV_ENOSYS with a printed reason. */
	int (*cpu_init)(struct hv_caps *caps, struct hv_percpu *cpu);
	/* VMs and vCPUs: hv.c allocates the backend's structure (one zeroed page, the common part
	 * first), the VM's tables (npt_format) and the vCPU's FPU image, and frees them after the
	 * backend's fini. vm_init gives a VM what else it needs (its TLB tag); vm_fini flushes and
	 * frees the tag (before the tables go back: a later VM may get the same root and tag). */
	int (*vm_init)(struct hv_vm *vm);
	void (*vm_fini)(struct hv_vm *vm);
	/* 0 when [hpa, hpa+size) may be mapped with prot (PROT_*) in the backend's format. */
	int (*vm_map_check)(unsigned prot, uint64_t hpa, uint64_t size);
	/* After an unmap: the VM's cached translations go (at once, or before its next entry). */
	void (*vm_flush)(struct hv_vm *vm);
	/* Allocates the VMCS/VMCB and initialises it from setup; sets v->rax. v->vm is set. */
	int (*vcpu_init)(struct hv_vcpu *v, const struct hv_vcpu_setup *setup);
	void (*vcpu_fini)(struct hv_vcpu *v);
	/* The registers not in gprs (hv.c reads those): RSP, RIP, RFLAGS, the control registers
	 * and EFER. Nothing sets them but the backend's own completion of an instruction. */
	void (*get_regs)(struct hv_vcpu *vcpu, struct hv_regs *regs);
	/*
	 * Enters the guest and returns at the first exit the kernel must see, with *exit
	 * filled (see hv.h for which reasons have RIP advanced). Called with interrupts
	 * disabled and the guest's FPU state and XCR0 loaded; returns with interrupts
	 * disabled. A host interrupt that arrived while the guest ran is left pending and
	 * reported as HV_EXIT_INTERRUPT (the kernel then enables interrupts to take it).
	 * Around the world switch the backend loads the guest's XCR0 (fpu_guest_xcr0) and
	 * the kernel's right after the exit (fpu_host_xcr0), and calls spec_before_entry().
	 * XSETBV: the backend calls hv_guest_xsetbv() and completes the exit itself (advance
	 * RIP on success; on refusal report #GP(0) with exception.why).
	 */
	int (*run)(struct hv_vcpu *vcpu, uint64_t slice_end, struct hv_exit *exit);
	int (*inject)(struct hv_vcpu *vcpu, uint8_t vector, bool has_error_code, uint32_t error_code);
};

/* The backends (hv/vmx/vmx_backend.c, hv/svm/svm_backend.c); an image may carry one (hv.c). */
extern const struct hv_backend hv_vmx_backend;
extern const struct hv_backend hv_svm_backend;

/* For backends: validates the guest's XSETBV (ECX selects the XCR, EDX:EAX is the value: SDM 2
 * XSETBV; XCR0 only) and records it for the next entry. 0, or -UV_EINVAL when the value is not
 * allowed (the guest gets #GP(0)). */
int hv_guest_xsetbv(struct hv_vcpu *vcpu);
/* For backends: fills *exit with the #GP(0) a refused XSETBV raises (SDM 2 XSETBV), RIP
 * still at the XSETBV; the caller injects it or stops the app. Returns 0. */
int hv_xsetbv_refused_exit(struct hv_exit *exit);
/* For backends: the instruction just completed ran with RFLAGS.TF set; the next
 * hv_vcpu_run reports the single-step #DB it owes (SDM 3B 17.3.1.4). */
void hv_single_step_pending(struct hv_vcpu *vcpu);
/* For backends and hv.c: fills *exit with the single-step #DB v owes (step_owed, which it
 * clears); returns 0. */
int hv_single_step_exit(struct hv_vcpu *v, struct hv_exit *exit);
/* For backends: bytes (whole pages) of memory with every bit set, at its physical address (0:
 * out of memory): an I/O or MSR bitmap or permission map that makes every access exit. */
uint64_t hv_all_ones(uint64_t bytes);
/* For backends: the initial guest CR0/CR4/EFER every vCPU starts with (64-bit, paging,
 * SSE enabled, OSXSAVE when the host has XSAVE). Backends add their vendor's fixed bits. */
uint64_t hv_guest_cr0(void);
uint64_t hv_guest_cr4(void);
uint64_t hv_guest_efer(void);
/* For the SVM backend's decoder (hv/svm/svm_guestwalk.c): reads up to len bytes of guest
 * memory at a guest *virtual* address, walking the guest's page tables (cr3) through the
 * VM's nested tables. Returns the number of bytes read (fewer if a page is not present). */
size_t hv_guest_read_virt(struct hv_vm *vm, uint64_t cr3, uint64_t gva, void *buf, size_t len);
/* The host pointer behind a guest virtual address and how many bytes follow it in the
 * same page (0 / NULL when not mapped). Valid while the VM's mappings stay. */
const uint8_t *hv_guest_map_virt(struct hv_vm *vm, uint64_t cr3, uint64_t gva, size_t *avail);
/* hv/names.c, for the backends' reports of refused instructions: "mov to CR<cr>", "mov to DR<dr>" or
 * "mov from DR<dr>" (one name for DR8-15, which do not exist). */
const char *hv_cr_write_name(unsigned cr);
const char *hv_dr_access_name(bool write, unsigned dr);

#endif
