/* hv/svm/svm_run.c: runs a vCPU: VMRUN, completing the instructions the kernel emulates, exit decoding, exits finished inside. */
#include "hv/svm/svm.h"
#include "hv/svm/svm_decode.h"
#include "hv/svm/svm_event.h"
#include "hv/fpu.h"
#include "hv/spec.h"
#include "hv/switch.h"
#include "kernel/arch/cpu.h"
#include "kernel/lib/kstring.h"


/* Slot d matched (or was just filled): it is tried first next time, the one before it second. */
static inline void decode_hit(struct svm_vcpu *vc, struct svm_decoded *d)
{
	if (d != vc->hot) {
		vc->hot2 = vc->hot;
		vc->hot = d;
	}
}

/* Decodes the instruction at RIP the slow way (its bytes in guest memory, op and op_len
 * what the intercept says it is) and remembers where it was for decode_cached; returns
 * its length, or 0 when the bytes are not that instruction or cannot be read. */
static __attribute__((noinline)) unsigned decode_slow(struct svm_vcpu *vc, const uint8_t *op, unsigned op_len)
{
	struct vmcb *vmcb = vc->vmcb;
	struct svm_decoded *d = &vc->last[vc->last_next];
	vc->last_next = (vc->last_next + 1) % SVM_DECODE_SLOTS;
	uint64_t rip = vmcb->save.rip, cr3 = vmcb->save.cr3;
	d->len = 0;
	d->host = hv_guest_map_virt(&vc->vm->common, cr3, rip, &d->avail);
	d->rip = rip;
	d->cr3 = cr3;
	d->map_gen = vc->vm->map_gen;
	unsigned len = d->host ? svm_insn_len(d->host, d->avail, op, op_len) : 0;
	if (len && len <= 8 && len <= d->avail) {
		/* The compare loads 8 bytes in the instruction's page: from RIP, or, in the page's
		 * last 7 bytes, the 8 that end the page (RIP's offset is then at least 4089), with
		 * the instruction's bytes masked where they sit in them. */
		unsigned shift = d->avail >= 8 ? 0 : 8 - (unsigned)d->avail;
		decode_hit(vc, d);
		d->len = len;
		d->load = d->host - shift;
		d->mask = (len == 8 ? ~0ull : (1ull << (8 * len)) - 1) << (8 * shift);
		memcpy(&d->bytes, d->load, 8);
		d->bytes &= d->mask;
	} else if (!len) {
		/* At the end of a page, or not mapped: copy across the boundary and try once more. */
		uint8_t bytes[15];
		size_t n = hv_guest_read_virt(&vc->vm->common, cr3, rip, bytes, sizeof(bytes));
		len = svm_insn_len(bytes, n, op, op_len);
	}
	return len;
}

/* The length of the instruction at RIP when it is the one decoded there last time, in
 * the same address space and mapping, and its bytes are unchanged (one 8-byte compare);
 * else 0. The page walk is skipped, never the check of the bytes (a stale mapping can
 * only mislead the app about its own code). */
static inline unsigned decode_slot(const struct svm_vcpu *vc, const struct svm_decoded *d)
{
	const struct vmcb *vmcb = vc->vmcb;
	if (!d->len || d->rip != vmcb->save.rip || d->cr3 != vmcb->save.cr3 || d->map_gen != vc->vm->map_gen)
		return 0;
	uint64_t now;
	__builtin_memcpy(&now, d->load, 8); /* one load, not a call */
	return (now & d->mask) == d->bytes ? d->len : 0;
}

/* The slot that matched last, the one before it, then the others from the one filled last
 * back: a loop of one call finds it at the first test, one that alternates two (a write and
 * a read) at the second, and one of a few calls each of them without a page walk. */
static inline __attribute__((always_inline)) unsigned decode_cached(struct svm_vcpu *vc)
{
	_Static_assert((SVM_DECODE_SLOTS & (SVM_DECODE_SLOTS - 1)) == 0, "a power of two");
	unsigned len = decode_slot(vc, vc->hot);
	if (__builtin_expect(len != 0, 1))
		return len;
	if ((len = decode_slot(vc, vc->hot2))) {
		decode_hit(vc, vc->hot2);
		return len;
	}
	for (unsigned i = 1; i <= SVM_DECODE_SLOTS; i++) {
		struct svm_decoded *d = &vc->last[(vc->last_next - i) % SVM_DECODE_SLOTS];
		if ((len = decode_slot(vc, d))) {
			decode_hit(vc, d);
			return len;
		}
	}
	return 0;
}

/* Completes the intercepted instruction at RIP (op, op_len bytes plus prefixes) as the
 * CPU would have: RIP past it (nRIP when the CPU saves it, APM2 15.7.1, else decoded),
 * the interrupt shadow of a preceding STI or MOV SS gone (APM2 15.21.5), and the
 * single-step trap it owes when RFLAGS.TF was set. False: not decodable. */
static inline __attribute__((always_inline)) bool advance(struct svm_vcpu *vc, const uint8_t *op, unsigned op_len)
{
	struct vmcb *vmcb = vc->vmcb;
	if (svm_model.nrip_save && vmcb->ctl.nrip > vmcb->save.rip) {
		vmcb->save.rip = vmcb->ctl.nrip;
	} else {
		unsigned len = decode_cached(vc);
		if (__builtin_expect(!len, 0) && !(len = decode_slow(vc, op, op_len)))
			return false;
		vmcb->save.rip += len;
	}
	vmcb->ctl.interrupt_shadow = 0;
	if (__builtin_expect((vmcb->save.rflags & RFLAGS_TF) != 0, 0))
		hv_single_step_pending(&vc->common);
	return true;
}

/* The ASID's TLB entries go at the next VMRUN when an unmap asked for it (APM2 15.16.2);
 * the exit after that VMRUN sets the control back to nothing. */
static inline void flush_at_entry(struct svm_vcpu *vc)
{
	if (__builtin_expect(vc->vm->flush, 0)) {
		vc->vmcb->ctl.tlb_control = svm_model.flush_by_asid ? SVM_TLB_FLUSH_ASID : SVM_TLB_FLUSH_ALL;
		vc->vm->flush = false;
	}
}

/* Everything an entry of vc needs that the VMCB does not do by itself: the ASID's flush, an
 * event to deliver again, RFLAGS.IF, CR2, the guest's XCR0, the speculation barrier. */
static inline __attribute__((always_inline)) void before_entry(struct svm_vcpu *vc)
{
	struct vmcb *vmcb = vc->vmcb;
	flush_at_entry(vc);
	/* An event whose delivery the last exit interrupted is delivered again (APM2 15.7.2). */
	if (__builtin_expect(vc->reinject != 0, 0)) {
		vmcb->ctl.eventinj = vc->reinject;
		vc->reinject = 0;
	}
	/* Apps get no interrupts, so the guest's IF means nothing to them (with
	 * V_INTR_MASKING the host's IF gates physical ones, APM2 15.21.1). Bochs 2.7
	 * re-evaluates the interrupt mask with the guest's IF before it enters
	 * guest mode, so an app that ran CLI would never be preempted there again:
	 * every entry starts with IF set. */
	vmcb->save.rflags |= RFLAGS_IF;
	/* VMRUN loads the guest's CR2 from the VMCB (APM2 15.5.1); Bochs 2.7 reads the
	 * field but never loads it (cpu/svm.cc), so the guest would see whatever CR2
	 * the last app left. The kernel never uses CR2: it holds the guest's value. */
	if (read_cr2() != vmcb->save.cr2)
		write_cr2(vmcb->save.cr2);
	fpu_guest_xcr0(&vc->common);
	spec_before_entry();
}

/* The hand-off (hv.h hv_set_handoff_fn) from vc, whose call just ran, to w: vc's XCR0 read
 * back (the fast path left the guest's in place), the app switch under the kernel's XCR0,
 * then w's entry as svm_run would make it. The VMCB, ASID and VMLOAD state are w's own:
 * svm_entry.S enters its VMCB. */
static inline __attribute__((always_inline)) struct hv_gprs *hand_off(struct svm_vcpu *vc, struct svm_vcpu *w)
{
	fpu_host_xcr0_checked(&vc->common);
	hv_switch_from(&vc->common, &w->common);
	before_entry(w); /* (its TLB_CONTROL: reset at its last exit, or a flush asked since) */
	return &w->common.gprs;
}

/*
 * The hypercall fast path (svm_entry.S, at a VMMCALL exit; GIF still 0, the guest's argument
 * and caller-saved registers in g): when nothing else is due (a TLB flush or a single-step
 * trap, RFLAGS.TF) and the instruction is known, advances RIP and runs the vCPU's
 * hypercall handler. It completed the call: g (the guest is entered again at once, its slice
 * ended by the LAPIC timer's interrupt, which stays pending meanwhile). It gave up the CPU
 * and the hand-off hook names who runs next: that vCPU's registers, its entry prepared. Else
 * NULL with vc->hc_handled the handler's code; NULL with 0 before anything changed (declined:
 * the exit goes the usual way).
 */
struct hv_gprs *svm_hc_fast(struct hv_gprs *g)
{
	static const uint8_t op_vmmcall[] = { 0x0f, 0x01, 0xd9 };
	struct svm_vcpu *vc = (struct svm_vcpu *)((char *)g - offsetof(struct svm_vcpu, common.gprs));
	struct hv_vcpu *v = &vc->common;
	struct vmcb *vmcb = vc->vmcb;
	if (__builtin_expect(v->step_owed | !v->hc_fn | ((vmcb->save.rflags & RFLAGS_TF) != 0), 0))
		return 0;
	if (!advance(vc, op_vmmcall, sizeof(op_vmmcall)))
		return 0; /* RIP unchanged: the usual path reports it */
	vmcb->ctl.tlb_control = SVM_TLB_NOTHING; /* a flush went with the last VMRUN */
	int r = v->hc_fn(v->hc_owner, vmcb->save.rax, &g->rdi, v->rax);
	flush_at_entry(vc); /* the call may have unmapped something */
	vmcb->save.rflags |= RFLAGS_IF; /* as svm_run enters (Bochs 2.7's IF, before_entry) */
	if (__builtin_expect(r == 0, 1)) {
		spec_before_entry();
		return g;
	}
	struct hv_vcpu *n = hv_handoff(v, r); /* (its slice: the LAPIC timer's, nothing to arm) */
	if (n)
		return hand_off(vc, (struct svm_vcpu *)n);
	vc->hc_handled = r;
	return 0;
}

int svm_run(struct hv_vcpu *v, uint64_t slice_end, struct hv_exit *e)
{
	static const uint8_t op_vmmcall[] = { 0x0f, 0x01, 0xd9 }, op_cpuid[] = { 0x0f, 0xa2 };
	static const uint8_t op_hlt[] = { 0xf4 }, op_xsetbv[] = { 0x0f, 0x01, 0xd1 };
	struct svm_vcpu *vc = (struct svm_vcpu *)v;
	struct vmcb *vmcb = vc->vmcb;
	uint64_t host_vmcb_pa = svm_this_cpu()->host_vmcb_pa;
	/* No preemption timer: the kernel's LAPIC timer interrupt ends a slice (slice_end only
	 * ends a run of hypercalls completed inside). */

	for (;;) {
		before_entry(vc);
		svm_world_switch((uint64_t)(uintptr_t)vmcb, host_vmcb_pa, &v->gprs);
		/* A hand-off in the fast path entered another vCPU: this exit is the one running now. */
		if (__builtin_expect(hv_this_cpu()->current != v, 0)) {
			v = hv_this_cpu()->current;
			slice_end = hv_this_cpu()->handoff_end;
		}
		vc = (struct svm_vcpu *)v;
		vmcb = vc->vmcb;
		fpu_host_xcr0_checked(v);
		vmcb->ctl.tlb_control = SVM_TLB_NOTHING; /* a flush went with that VMRUN */
		int handled = vc->hc_handled;
		vc->hc_handled = 0;

		uint64_t code = vmcb->ctl.exitcode;
		/* Only the fields of the reason below are meaningful (no memset on the hot path). */
		e->rip = vmcb->save.rip;
		e->vendor_code = code;
		if (__builtin_expect(code == SVM_EXIT_VMMCALL, 1)) { /* the hot path, before the switch */
			if (handled > 0) { /* run by the fast path, which left its action (the arguments are spent) */
				e->reason = HV_EXIT_HYPERCALL;
				e->hypercall.handled = handled;
				return 0;
			}
			if (!advance(vc, op_vmmcall, sizeof(op_vmmcall)))
				goto undecodable;
			hv_hypercall_exit(v, e);
			if (hv_hypercall_done(v, e, slice_end))
				continue; /* completed by the kernel's handler: straight back in */
			return 0;
		}
		switch (code) {
		case SVM_EXIT_CPUID:
			if (!advance(vc, op_cpuid, sizeof(op_cpuid)))
				goto undecodable;
			hv_cpuid_exit(v, e);
			return 0;
		case SVM_EXIT_HLT:
			if (!advance(vc, op_hlt, sizeof(op_hlt)))
				goto undecodable;
			e->reason = HV_EXIT_HALT;
			return 0;
		case SVM_EXIT_XSETBV:
			if (hv_guest_xsetbv(v) == 0) {
				if (!advance(vc, op_xsetbv, sizeof(op_xsetbv)))
					goto undecodable;
				if (__builtin_expect(v->step_owed, 0))
					return hv_single_step_exit(v, e); /* the single-step trap it owes */
				continue;
			}
			return hv_xsetbv_refused_exit(e);
		case SVM_EXIT_IOIO:
			e->reason = HV_EXIT_IO_PORT;
			svm_decode_ioio(vmcb->ctl.exitinfo1, e);
			return 0;
		case SVM_EXIT_MSR:
			hv_msr_exit(v, vmcb->ctl.exitinfo1 == 1, e); /* EXITINFO1: 1 for WRMSR (APM2 15.11) */
			return 0;
		case SVM_EXIT_NPF:
			e->reason = HV_EXIT_MEMORY_ACCESS;
			svm_decode_npf(vmcb->ctl.exitinfo1, vmcb->ctl.exitinfo2, e);
			/* The kernel may resolve it (a first touch) and go on: an event whose
			 * delivery it interrupted is delivered again (APM2 15.7.2). */
			vc->reinject = svm_event_reinject(vmcb->ctl.exitintinfo);
			return 0;
		case SVM_EXIT_INTR:
		case SVM_EXIT_NMI:
		case SVM_EXIT_SMI:
		case SVM_EXIT_INIT:
			/* The host's event: it stays pending while GIF=0 and is taken when the world
			 * switch sets GIF again (APM2 15.13, 15.17); the guest resumes after it. */
			vc->reinject = svm_event_reinject(vmcb->ctl.exitintinfo);
			e->reason = HV_EXIT_INTERRUPT;
			return 0;
		case SVM_EXIT_SHUTDOWN:
			e->reason = HV_EXIT_UNRECOVERABLE;
			return 0;
		case SVM_EXIT_INVALID:
		case 0xffffffffull: /* QEMU writes the code in 32 bits (tests/boot/README.md) */
			e->reason = HV_EXIT_INVALID_STATE;
			e->invalid.error = (uint32_t)code;
			e->invalid.check = svm_invalid_check(vmcb);
			return 0;
		default:
			break;
		}
		if (code >= SVM_EXIT_EXCP_BASE && code <= SVM_EXIT_EXCP_LAST) {
			unsigned vec = (unsigned)(code - SVM_EXIT_EXCP_BASE);
			e->reason = HV_EXIT_EXCEPTION;
			e->exception = (struct hv_exception){ .vector = (uint8_t)vec, .has_error_code = exc_has_error_code(vec) };
			e->exception.error_code = e->exception.has_error_code ? (uint32_t)vmcb->ctl.exitinfo1 : 0;
			e->exception.cr2 = vec == EXC_PF ? vmcb->ctl.exitinfo2 : 0;
			/* Whatever it interrupted is the guest's to get again if it goes on. */
			vc->reinject = svm_event_reinject(vmcb->ctl.exitintinfo);
			return 0;
		}
		e->reason = HV_EXIT_UNSUPPORTED;
		e->unsupported.insn = svm_unsupported_name(code);
		if (!e->unsupported.insn)
			e->unsupported.insn = "an intercepted event without a handler";
		return 0;
	undecodable:
		e->reason = HV_EXIT_UNSUPPORTED;
		e->unsupported.insn = "an unusual encoding of an intercepted instruction";
		return 0;
	}
}

