/* hv/svm/svm_vcpu.c: a vCPU's VMCB: intercepts, the 64-bit guest state of hv.h, registers and event injection. */
#include "hv/svm/svm.h"
#include "kernel/arch/cpu.h"
#include "kernel/mm/mm.h"
#include "include/abi/uv_errno.h"

/* The guest PAT: write-back in all eight entries (APM2 7.8.1), so whatever PAT/PCD/PWT
 * bits an app puts in its own page tables it cannot make its RAM uncacheable against the
 * host's write-back mapping (the NPT entries are WB, and the guest cannot write PAT). */
#define GUEST_PAT_ALL_WB 0x0606060606060606ull
#define CR_INTERCEPT(n) (1u << (n))

static struct svm_vcpu *to_svm(struct hv_vcpu *v) { return (struct svm_vcpu *)v; }

/* A segment of hv.h's flat layout in the VMCB's packing (the same bits: APM2 15.5.1). */
static void set_seg(struct vmcb_seg *s, uint16_t sel, uint16_t attr, uint32_t limit, uint64_t base)
{
	s->sel = sel;
	s->attrib = attr;
	s->limit = seg_limit_bytes(limit, attr);
	s->base = base;
}

static void set_intercepts(struct vmcb_control *c, const struct hv_vcpu_setup *st)
{
	/* Intercepts (APM2 15.9-15.13): writes to CR0/CR4, the chosen exceptions, and every
	 * instruction or event that must not reach the hardware. */
	c->cr_write = CR_INTERCEPT(0) | CR_INTERCEPT(4);
	/* Every debug-register read and write (APM2 15.12.2): no app reads or sets DR0-DR7,
	 * which SVM would otherwise leave shared with the host and the other apps. */
	c->dr_read = 0xffff;
	c->dr_write = 0xffff;
	c->exceptions = st->exception_intercepts;
	c->misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_SMI | SVM_INTERCEPT_INIT |
		   SVM_INTERCEPT_CR0_SEL_WRITE | SVM_INTERCEPT_RDPMC | SVM_INTERCEPT_CPUID | SVM_INTERCEPT_RSM |
		   SVM_INTERCEPT_INVD | SVM_INTERCEPT_HLT | SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_IOIO_PROT |
		   SVM_INTERCEPT_MSR_PROT | SVM_INTERCEPT_TASK_SWITCH | SVM_INTERCEPT_FERR_FREEZE |
		   SVM_INTERCEPT_SHUTDOWN;
	c->misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
		   SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI | SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_ICEBP |
		   SVM_INTERCEPT_WBINVD | SVM_INTERCEPT_MONITOR | SVM_INTERCEPT_MWAIT | SVM_INTERCEPT_MWAIT_COND |
		   SVM_INTERCEPT_XSETBV | svm_model.misc2_extra;
	c->misc3 = svm_model.misc3;
	c->iopm_base_pa = svm_model.iopm_pa;
	c->msrpm_base_pa = svm_model.msrpm_pa;
}

int svm_vcpu_init(struct hv_vcpu *v, const struct hv_vcpu_setup *st)
{
	_Static_assert(sizeof(struct svm_vcpu) <= PAGE_SIZE, "svm_vcpu fits a page");
	struct svm_vm *vm = (struct svm_vm *)v->vm;
	struct svm_vcpu *vc = to_svm(v);
	struct vmcb *vmcb = kalloc_page();
	if (!vmcb)
		return -UV_ENOMEM;
	vc->vmcb = vmcb;
	vc->vm = vm;
	vc->hot = vc->hot2 = &vc->last[0]; /* kalloc_page zeroes: no slot holds a decode yet */
	/* The packed VMCB keeps RAX 8-byte aligned (APM2 table B-2: offset 0x5f8). */
	_Static_assert((offsetof(struct vmcb, save) + offsetof(struct vmcb_save, rax)) % 8 == 0, "VMCB RAX aligned");
	v->rax = (uint64_t *)((uintptr_t)vmcb + offsetof(struct vmcb, save) + offsetof(struct vmcb_save, rax));

	struct vmcb_control *c = &vmcb->ctl;
	set_intercepts(c, st);
	c->tsc_offset = st->tsc_offset;
	c->asid = vm->asid;
	c->vintr = SVM_VINTR_MASKING; /* guest IF masks only virtual interrupts (15.21.1) */
	c->np_control = SVM_NP_ENABLE;
	c->n_cr3 = vm->common.tables.root;

	struct vmcb_save *s = &vmcb->save;
	set_seg(&s->cs, HV_GUEST_SEL_CODE, HV_GUEST_SEG_CODE, SEG_LIMIT_FLAT, 0);
	set_seg(&s->ds, HV_GUEST_SEL_DATA, HV_GUEST_SEG_DATA, SEG_LIMIT_FLAT, 0);
	set_seg(&s->es, HV_GUEST_SEL_DATA, HV_GUEST_SEG_DATA, SEG_LIMIT_FLAT, 0);
	set_seg(&s->ss, HV_GUEST_SEL_DATA, HV_GUEST_SEG_DATA, SEG_LIMIT_FLAT, 0);
	set_seg(&s->fs, HV_GUEST_SEL_DATA, HV_GUEST_SEG_DATA, SEG_LIMIT_FLAT, 0);
	set_seg(&s->gs, HV_GUEST_SEL_DATA, HV_GUEST_SEG_DATA, SEG_LIMIT_FLAT, 0);
	set_seg(&s->tr, HV_GUEST_SEL_TSS, HV_GUEST_SEG_TSS, TSS64_LIMIT, st->tss_base);
	set_seg(&s->ldtr, 0, SEG_TYPE_LDT | SEG_P, 0, 0);
	set_seg(&s->gdtr, 0, 0, st->gdt_limit, st->gdt_base);
	set_seg(&s->idtr, 0, 0, 0, 0);
	s->cpl = 0;
	s->efer = hv_guest_efer() | EFER_SVME; /* guest EFER.SVME must be set (15.5.1) */
	s->cr0 = hv_guest_cr0();
	s->cr3 = st->cr3;
	s->cr4 = hv_guest_cr4();
	s->dr6 = DR6_RESET;
	s->dr7 = DR7_RESET;
	s->rflags = st->rflags | RFLAGS_FIXED1;
	s->rip = st->rip;
	s->rsp = st->rsp;
	s->g_pat = GUEST_PAT_ALL_WB;
	return 0;
}

void svm_vcpu_fini(struct hv_vcpu *v) { kfree_page(to_svm(v)->vmcb); }

void svm_get_regs(struct hv_vcpu *v, struct hv_regs *r)
{
	const struct vmcb_save *s = &to_svm(v)->vmcb->save;
	r->rsp = s->rsp;
	r->rip = s->rip;
	r->rflags = s->rflags;
	r->cr0 = s->cr0;
	r->cr2 = s->cr2;
	r->cr3 = s->cr3;
	r->cr4 = s->cr4;
	r->efer = s->efer;
}

int svm_inject(struct hv_vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	struct svm_vcpu *vc = to_svm(v);
	if (vector >= 32 || vector == EXC_NMI || has_error != exc_has_error_code(vector))
		return -UV_EINVAL;
	/* EVENTINJ (APM2 15.20): vector, type 3 (exception), EV, valid, error code in 63:32.
	 * It replaces an event an exit interrupted (that one is lost, as on real hardware when
	 * a second exception replaces a benign first). */
	vc->vmcb->ctl.eventinj = vector | SVM_EVTINJ_TYPE_EXCEPTION | SVM_EVTINJ_VALID |
				 (has_error ? SVM_EVTINJ_EV | ((uint64_t)error << 32) : 0);
	vc->reinject = 0;
	if (vector == EXC_DB && (vc->vmcb->save.rflags & RFLAGS_TF))
		vc->vmcb->save.dr6 |= DR6_BS;
	return 0;
}
