/* hv/vmx/vmx_run.c: runs a vCPU: world switch, exit decoding, exits finished inside, failed entries in words. */
#include "hv/vmx/vmx.h"
#include "hv/vmx/vmx_ops.h"
#include "hv/fpu.h"
#include "hv/spec.h"
#include "hv/switch.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"

/*
 * With external-interrupt exiting the guest's RFLAGS.IF does not hold off host interrupts
 * (SDM 3C 25.2). Bochs 2.7 gets this wrong at entry: it loads the guest's RFLAGS, and
 * re-evaluates its interrupt mask, before it counts itself in VMX non-root operation, so
 * a guest entered with IF=0 never exits for a host interrupt (cpu/vmx.cc, flag_ctrl_pro.cc).
 * Apps are never sent interrupts, so their IF means nothing: enter with IF=1, as the SVM
 * backend does. A CLI inside the guest is then handled right by Bochs too. v->rflags is
 * the VMCS's value (read at each exit, kept by every write), so this costs no VMREAD;
 * rflags is that value as the caller holds it.
 */
static inline __attribute__((always_inline)) void bochs_unmask_interrupts(struct vmx_vcpu *v, uint64_t rflags)
{
	if (__builtin_expect(!(rflags & RFLAGS_IF), 0)) {
		v->rflags = rflags | RFLAGS_IF;
		vmx_write(VMCS_GUEST_RFLAGS, v->rflags);
	}
}

/* An event whose delivery the exit interrupted is delivered again at the next entry
 * (SDM 3C 27.2.4, 28.2.1.1); an explicit hv_vcpu_inject replaces it. */
static void note_vectoring(struct vmx_vcpu *v)
{
	uint32_t idt = (uint32_t)vmx_read(VMCS_IDT_VECTORING_INFO);
	if (!(idt & INTR_INFO_VALID))
		return;
	v->reinject = idt & ~INTR_INFO_NMI_UNBLOCKING;
	if (idt & INTR_INFO_ERROR_CODE)
		v->reinject_error = (uint32_t)vmx_read(VMCS_IDT_VECTORING_ERROR_CODE);
	v->reinject_len = (uint32_t)vmx_read(VMCS_EXIT_INSTRUCTION_LEN);
}

static __attribute__((noinline, cold)) void reinject_event(struct vmx_vcpu *v)
{
	vmx_write(VMCS_ENTRY_INTR_INFO, v->reinject);
	if (v->reinject & INTR_INFO_ERROR_CODE)
		vmx_write(VMCS_ENTRY_EXCEPTION_ERROR_CODE, v->reinject_error);
	vmx_write(VMCS_ENTRY_INSTRUCTION_LEN, v->reinject_len);
	v->reinject = 0;
}
static inline __attribute__((always_inline)) void reinject(struct vmx_vcpu *v)
{
	if (__builtin_expect(v->reinject != 0, 0))
		reinject_event(v);
}

/* IA32_KERNEL_GS_BASE (SWAPGS reaches it without an exit, so the VMCS cannot switch it):
 * the kernel never uses it, so the last guest's value stays in the MSR until another vCPU
 * runs. Then the owner's value (owner: pc->kgs_owner, known to the caller) is read back
 * (its SWAPGS may have changed it) and the MSR written only when v's differs: either way
 * the MSR holds v's value and nothing else's. v->kernel_gs_base is the truth while v does
 * not own the MSR (0 from creation; only this writes it); vmx_vcpu_destroy (vmx_vcpu.c)
 * zeroes the MSR of an owner that goes. */
static inline __attribute__((always_inline)) void switch_kernel_gs_base(struct vmx_percpu *pc, struct vmx_vcpu *owner,
									 struct vmx_vcpu *v)
{
	uint64_t in_msr = rdmsr(MSR_KERNEL_GS_BASE);
	if (owner)
		owner->kernel_gs_base = in_msr;
	uint64_t want = v->kernel_gs_base;
	if (in_msr != want)
		wrmsr(MSR_KERNEL_GS_BASE, want);
	pc->kgs_owner = v;
}

/* VMLAUNCH/VMRESUME itself failed (SDM 3C 26.1-26.2): the error number and, for bad
 * controls or host state, the check that fails, found by vmx_check.c. */
static void report_vmfail(struct vmx_vcpu *v, int fail, struct hv_exit *exit)
{
	struct vmx_snapshot s;
	char why[160] = "";
	memset(exit, 0, sizeof(*exit));
	exit->reason = HV_EXIT_INVALID_STATE;
	exit->invalid.check = v->check;
	if (fail == VMX_FAIL_INVALID) {
		ksnprintf(v->check, sizeof(v->check), "%s failed with VMfailInvalid: no current VMCS (SDM 3C 30.2)",
			  v->launched ? "VMRESUME" : "VMLAUNCH");
		return;
	}
	uint32_t err = (uint32_t)vmx_read(VMCS_VM_INSTRUCTION_ERROR);
	exit->invalid.error = err;
	exit->vendor_code = err;
	exit->rip = vmx_read(VMCS_GUEST_RIP);
	vmx_snapshot_read(&s);
	bool found = (err == 7 && vmx_check_controls(&s, why, sizeof(why))) ||
		     (err == 8 && vmx_check_host(&s, why, sizeof(why)));
	ksnprintf(v->check, sizeof(v->check), "%s: %s", vmx_insn_error_name(err),
		  found ? why : "no failing check found by univisor's own checks");
}

/* A VM exit with bit 31 set (SDM 3C 26.7): guest state or MSR loading was refused. */
static void report_entry_failure(struct vmx_vcpu *v, const struct vmx_exit_info *in, struct hv_exit *exit)
{
	static const char *const qual33[] = {
		[0] = "not further specified", [2] = "PDPTE loading", [3] = "NMI injection while blocked by STI",
		[4] = "invalid VMCS link pointer",
	};
	struct vmx_snapshot s;
	char why[160];
	uint32_t r = EXIT_REASON_BASIC(in->reason);
	exit->invalid.check = v->check;
	if (r == EXIT_REASON_INVALID_GUEST_STATE) {
		vmx_snapshot_read(&s);
		const char *q = in->qual < 5 && qual33[in->qual] ? qual33[in->qual] : "unknown qualification";
		if (vmx_check_guest(&s, why, sizeof(why)))
			ksnprintf(v->check, sizeof(v->check), "invalid guest state: %s", why);
		else
			ksnprintf(v->check, sizeof(v->check), "invalid guest state (exit qualification %llu: %s); "
				  "no failing check found by univisor's own checks", (unsigned long long)in->qual, q);
	} else if (r == EXIT_REASON_MSR_LOADING) {
		ksnprintf(v->check, sizeof(v->check), "MSR loading failed at VM-entry MSR-load entry %llu (SDM 3C 26.4)",
			  (unsigned long long)in->qual);
	} else {
		const char *n = vmx_exit_reason_name(r);
		ksnprintf(v->check, sizeof(v->check), "VM entry failed with exit reason %u (%s)", r, n ? n : "unknown");
	}
}

static void read_exit_info(struct vmx_exit_info *in)
{
	in->reason = (uint32_t)vmx_read(VMCS_EXIT_REASON);
	in->intr_info = in->intr_error = 0;
	in->gpa = in->gla = 0;
	in->qual = 0;
	in->rip = vmx_read(VMCS_GUEST_RIP);
	switch (EXIT_REASON_BASIC(in->reason)) {
	case EXIT_REASON_VMCALL: /* the exits the kernel finishes: no qualification (27.2.1) */
	case EXIT_REASON_CPUID:
	case EXIT_REASON_HLT:
	case EXIT_REASON_XSETBV:
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		return; /* (an entry failure has bit 31 set: never one of these) */
	default:
		break;
	}
	in->qual = vmx_read(VMCS_EXIT_QUALIFICATION);
	switch (EXIT_REASON_BASIC(in->reason)) {
	case EXIT_REASON_EXCEPTION_NMI:
		in->intr_info = (uint32_t)vmx_read(VMCS_EXIT_INTR_INFO);
		if (in->intr_info & INTR_INFO_ERROR_CODE)
			in->intr_error = (uint32_t)vmx_read(VMCS_EXIT_INTR_ERROR_CODE);
		break;
	case EXIT_REASON_EPT_VIOLATION:
		if (in->qual & EPT_QUAL_GLA_VALID)
			in->gla = vmx_read(VMCS_GUEST_LINEAR_ADDRESS);
		/* fall through */
	case EXIT_REASON_EPT_MISCONFIG:
		in->gpa = vmx_read(VMCS_GUEST_PHYSICAL_ADDRESS);
		break;
	}
}

/* Completes the instruction at rip that exited as the CPU would have, but for RFLAGS.TF: RIP
 * past it (its length: SDM 3C 27.2.5), blocking by STI or MOV SS over (it covered this
 * instruction only; an entry with it and RFLAGS.TF would also need a pending single-step,
 * 26.3.1.5). Blocking left on would also hold off, for one more guest instruction, the
 * host interrupt that ends the slice (26.6.1). */
static inline __attribute__((always_inline)) void complete_insn(uint64_t rip)
{
	vmx_write(VMCS_GUEST_RIP, rip + vmx_read(VMCS_EXIT_INSTRUCTION_LEN));
	uint32_t is = (uint32_t)vmx_read(VMCS_GUEST_INTERRUPTIBILITY), after = vmx_interruptibility_after_insn(is);
	if (__builtin_expect(after != is, 0))
		vmx_write(VMCS_GUEST_INTERRUPTIBILITY, after);
}

/* complete_insn, and the single-step trap the instruction owes when RFLAGS.TF was set
 * (SDM 3B 17.3.1.4). */
static inline __attribute__((always_inline)) void advance(struct vmx_vcpu *v, const struct vmx_exit_info *in)
{
	complete_insn(in->rip);
	if (__builtin_expect((v->rflags & RFLAGS_TF) != 0, 0))
		hv_single_step_pending(&v->common);
}

/* CR2 is not in the VMCS (SDM 3C 24.4.1 has no field for it): v's goes in when what CR2
 * holds (cr2) differs. Nothing the kernel does before the entry writes CR2. */
static inline __attribute__((always_inline)) void load_cr2(const struct vmx_vcpu *v, uint64_t cr2)
{
	if (cr2 != v->cr2)
		write_cr2(v->cr2);
}

/*
 * Everything else an entry of v needs that the VMCS does not switch (its CR2: load_cr2):
 * RFLAGS.IF for Bochs, an event to deliver again, the guest's IA32_KERNEL_GS_BASE
 * (kgs_owner: whose is in the MSR; other_owner: the caller knows it is not v), its XCR0,
 * the speculation barrier. v's VMCS is current on this CPU (pc). The slice needs nothing
 * here: the kernel's LAPIC timer ends it (vmx_cpu_init).
 */
static inline __attribute__((always_inline)) void before_entry(struct vmx_percpu *pc, struct vmx_vcpu *v,
							       struct vmx_vcpu *kgs_owner, bool other_owner)
{
	bochs_unmask_interrupts(v, v->rflags);
	reinject(v);
	if (other_owner || kgs_owner != v)
		switch_kernel_gs_base(pc, kgs_owner, v);
	fpu_guest_xcr0(&v->common);
	spec_before_entry();
}

/* After an exit of v (the VMCS current): the kernel's XCR0 back, the guest's CR2 kept. */
static inline void after_exit(struct vmx_vcpu *v)
{
	fpu_host_xcr0(&v->common);
	v->cr2 = read_cr2();
}

/* The hand-off (hv.h hv_set_handoff_fn) from v, whose call just ran, to w: v leaves as after
 * any exit, the app switch, w's VMCS current (v's is: w is another vCPU, so VMPTRLD) and
 * its entry as vmx_run would make it; vmx_entry.S enters it. v owns KERNEL_GS_BASE: every
 * entry goes through before_entry, which made the vCPU it entered the owner, or re-enters
 * the vCPU that just exited (vmx_hc_fast), and only a vCPU that no longer runs is
 * disowned (vmx_vcpu_destroy). */
static inline __attribute__((always_inline)) struct hv_gprs *hand_off(struct vmx_vcpu *v, struct vmx_vcpu *w)
{
	struct vmx_percpu *pc = vmx_this_cpu();
	v->launched = 1; /* it exited: its entry succeeded */
	after_exit(v);
	load_cr2(w, v->cr2);
	hv_switch_from(&v->common, &w->common);
	vmx_load_other(pc, w);
	before_entry(pc, w, v, true); /* (hv_handoff never returns v itself) */
	return &w->common.gprs;
}

/*
 * The hypercall fast path (vmx_entry.S, at a VMCALL exit; interrupts off, the guest's
 * argument and caller-saved registers in g): when nothing else is due (a single-step
 * trap, RFLAGS.TF), completes the VMCALL as advance does and runs the vCPU's
 * hypercall handler. It completed the call: g (the guest is entered again at once; a
 * LAPIC tick that ended the slice meanwhile is pending and makes that entry exit).
 * It gave up the CPU and the hand-off hook names who runs next: that vCPU's registers, its
 * entry prepared. Else NULL, with the handler's code in v->hc_handled (0: declined before
 * anything changed).
 */
struct hv_gprs *vmx_hc_fast(struct hv_gprs *g)
{
	struct vmx_vcpu *v = (struct vmx_vcpu *)((char *)g - offsetof(struct vmx_vcpu, common.gprs));
	struct hv_vcpu *hv = &v->common;
	if (__builtin_expect(hv->step_owed, 0) || __builtin_expect(!hv->hc_fn, 0))
		return 0;
	uint64_t rflags = vmx_read(VMCS_GUEST_RFLAGS);
	if (__builtin_expect((rflags & RFLAGS_TF) != 0, 0))
		return 0; /* (the single-step trap it would owe: vmx_run's way) */
	uint64_t rip = vmx_read(VMCS_GUEST_RIP);
	v->rflags = rflags;
	complete_insn(rip);
	bochs_unmask_interrupts(v, rflags);
	int r = hv->hc_fn(hv->hc_owner, g->rax, &g->rdi, &g->rax);
	if (__builtin_expect(r == 0, 1)) {
		spec_before_entry();
		return g;
	}
	struct hv_vcpu *n = hv_handoff(hv, r);
	if (n)
		return hand_off(v, (struct vmx_vcpu *)n);
	v->hc_handled = r;
	return 0;
}

int vmx_run(struct hv_vcpu *hv, uint64_t slice_end, struct hv_exit *exit)
{
	struct vmx_vcpu *v = (struct vmx_vcpu *)hv;
	/* hv_backend.h: interrupts stay off from here to the exit, so no handler runs between
	 * loading the guest's CR2/XCR0 and the entry (a VM exit clears IF anyway, 27.5.3). */
	KASSERT(!(read_rflags() & RFLAGS_IF));
	/* The LAPIC timer ends a slice (vmx_cpu_init); slice_end only ends a run of hypercalls
	 * completed in here (hv_hypercall_done). */
	vmx_load(v);
	for (;;) {
		load_cr2(v, read_cr2());
		before_entry(vmx_this_cpu(), v, vmx_this_cpu()->kgs_owner, false);
		int r = vmx_enter(&hv->gprs);
		/* A hand-off in the fast path entered another vCPU: this exit is the one running now. */
		if (__builtin_expect(vmx_this_cpu()->current != v, 0)) {
			v = vmx_this_cpu()->current;
			hv = &v->common;
			slice_end = hv_this_cpu()->handoff_end;
		}
		after_exit(v);
		if (r != VMX_OK) {
			report_vmfail(v, r, exit);
			return 0;
		}
		if (v->hc_handled) { /* a hypercall the fast path ran, which left its action */
			v->launched = 1; /* it followed an entry that succeeded */
			exit->rip = vmx_read(VMCS_GUEST_RIP);
			exit->vendor_code = EXIT_REASON_VMCALL;
			exit->reason = HV_EXIT_HYPERCALL; /* (its arguments are spent) */
			exit->hypercall.handled = v->hc_handled;
			v->hc_handled = 0;
			return 0;
		}
		struct vmx_exit_info in;
		read_exit_info(&in);
		v->rflags = vmx_read(VMCS_GUEST_RFLAGS);
		/* Only an entry that succeeded makes the VMCS "launched" (SDM 2 VMLAUNCH). */
		if (!(in.reason & EXIT_REASON_ENTRY_FAILURE))
			v->launched = 1;
		if (in.reason == EXIT_REASON_VMCALL) { /* the hot path, before the decoder's switch */
			exit->rip = in.rip;
			exit->vendor_code = in.reason;
			hv_hypercall_exit(hv, exit);
			advance(v, &in);
			if (hv_hypercall_done(hv, exit, slice_end))
				continue; /* completed by the kernel's handler: straight back in */
			return 0;
		}
		enum vmx_action act = vmx_decode_exit(&in, hv, exit, v->check, sizeof(v->check));
		switch (act) {
		case VMX_ACT_ENTRY_FAILED:
			report_entry_failure(v, &in, exit);
			return 0;
		case VMX_ACT_NMI:
			/* NMI exiting took the host's NMI: deliver it to the host now (SDM 3C 27.2.2),
			 * and keep the event whose delivery it interrupted for the guest (27.2.4). */
			note_vectoring(v);
			__asm__ volatile("int $2");
			return 0;
		case VMX_ACT_XSETBV:
			if (hv_guest_xsetbv(hv) == 0) { /* valid: done, go on */
				advance(v, &in);
				if (__builtin_expect(hv->step_owed, 0))
					return hv_single_step_exit(hv, exit); /* the single-step trap it owes */
				continue;
			}
			return hv_xsetbv_refused_exit(exit);
		case VMX_ACT_REPORT_ADVANCE:
			advance(v, &in);
			if (exit->reason == HV_EXIT_CPUID)
				exit->cpuid.xcr0 = hv->xcr0;
			return 0;
		case VMX_ACT_REPORT:
			/* Keep an event this exit interrupted for a guest that goes on (27.2.4): after
			 * an interrupt (the LAPIC tick that ends a slice too), an exception the kernel
			 * may reflect, or an EPT violation the kernel resolves (a first touch during
			 * event delivery). */
			if (exit->reason == HV_EXIT_INTERRUPT || exit->reason == HV_EXIT_EXCEPTION ||
			    exit->reason == HV_EXIT_MEMORY_ACCESS)
				note_vectoring(v);
			return 0;
		}
	}
}
