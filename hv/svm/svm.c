/* hv/svm/svm.c: the AMD SVM backend: EFER.SVME, host save area, NPT, ASIDs, VMCB setup, VMRUN and exit decoding. */
#include "hv/hv_backend.h"
#include "hv/svm/svm_vmcb.h"
#include "hv/svm/svm_decode.h"
#include "hv/svm/svm_event.h"
#include "hv/fpu.h"
#include "hv/spec.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/pt.h"
#include "kernel/arch/trap.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"
#include "include/abi/uv_hypercall.h"

#define MAX_ASIDS 4096
/* The guest PAT: write-back in all eight entries (APM2 7.8.1), so whatever PAT/PCD/PWT
 * bits an app puts in its own page tables it cannot make its RAM uncacheable against the
 * host's write-back mapping (the NPT entries are WB, and the guest cannot write PAT). */
#define GUEST_PAT_ALL_WB 0x0606060606060606ull
#define CPUID_EXT1_EDX_RDTSCP (1u << 27)

/* Guest GPRs the world switch moves; RAX and RSP live in the VMCB. Order fixed by svm_entry.S. */
struct svm_gprs {
	uint64_t rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};

struct svm_vm {
	struct hv_vm common;
	struct pt npt;
	uint32_t asid;
	bool flush;       /* the ASID's TLB entries must go at the next VMRUN */
	uint64_t map_gen; /* bumped by every unmap: cached host pointers into the VM expire */
};

/* Where the last decoded exit instruction was (no nRIP): a loop of hypercalls at one
 * RIP is decoded once, then only its bytes are re-checked in place. */
struct svm_decoded {
	uint64_t rip, cr3, map_gen;
	const uint8_t *host; /* the instruction's bytes in the app's RAM */
	size_t avail;        /* bytes readable there (to the end of the page) */
	uint64_t bytes, mask; /* the decoded instruction's bytes (up to 8) and which count */
	unsigned len;        /* its length; 0 = nothing decoded here yet */
};

struct svm_vcpu {
	struct hv_vcpu common;
	struct svm_gprs gprs; /* first: svm_entry.S takes its address */
	struct vmcb *vmcb;
	struct svm_vm *vm;
	struct svm_decoded last;
	uint64_t reinject;    /* EVENTINJ for an event an exit interrupted (0: none) */
};

void svm_world_switch(uint64_t vmcb_pa, uint64_t host_vmcb_pa, struct svm_gprs *gprs);
extern char svm_after_vmrun[]; /* svm_entry.S: the first instruction after VMRUN */

static struct hv_caps *caps;
static uint64_t iopm_pa, msrpm_pa, hsave_pa, host_vmcb_pa;
static uint32_t n_asids, svm_features;
static uint32_t misc2_extra, misc3; /* intercepts of instructions only some CPUs have */
static uint64_t asid_used[MAX_ASIDS / 64];

/* ---- NPT: the standard x86 format with U/S set everywhere (APM2 15.25.5) ---- */
static struct pt_format npt_format;

static int svm_cpu_init(struct hv_caps *c)
{
	uint32_t a, b, cx, d;
	caps = c;
	cpuid(0x80000000, &a, &b, &cx, &d);
	if (a < 0x8000000a) {
		kprintf("svm: CPUID leaf 0x8000000a missing\n");
		return -UV_ENOSYS;
	}
	cpuid(0x8000000a, &a, &b, &cx, &d);
	svm_features = d;
	n_asids = b < MAX_ASIDS ? b : MAX_ASIDS;
	/* VM_CR.SVMDIS set by firmware makes EFER.SVME #GP (APM2 15.4); Bochs lacks VM_CR, so read it safely. */
	uint64_t vmcr;
	if (rdmsr_safe(MSR_VM_CR, &vmcr) == 0 && (vmcr & (1u << 4))) {
		kprintf("svm: SVM is disabled by the firmware (VM_CR.SVMDIS)\n");
		return -UV_ENOSYS;
	}
	if (wrmsr_safe(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME)) {
		kprintf("svm: setting EFER.SVME faulted\n");
		return -UV_ENOSYS;
	}
	c->vendor = HV_VENDOR_SVM;
	c->hc_insn = UV_HC_INSN_VMMCALL;
	c->nested_paging = (d & SVM_FEAT_NP) != 0;
	c->nrip_save = (d & SVM_FEAT_NRIPS) != 0;
	c->flush_by_asid = (d & SVM_FEAT_FLUSH_BY_ASID) != 0;
	c->tagged_tlb = n_asids > 1;
	c->n_tags = n_asids > 0 ? n_asids - 1 : 0;
	cpuid(0x80000001, &a, &b, &cx, &d);
	c->large_pages_2m = true;
	c->large_pages_1g = (d >> 26) & 1;
	c->preemption_timer = false;
	c->rdtscp = (d & CPUID_EXT1_EDX_RDTSCP) != 0; /* RDTSCP and RDPID are not intercepted */
	/* Newer instructions that reach beyond the app: RDPRU reads the host's APERF/MPERF,
	 * INVLPGB/TLBSYNC broadcast TLB invalidations, MCOMMIT, INVPCID. Intercepted where
	 * the CPU has them (the bits are reserved elsewhere). */
	uint32_t ext8_b = 0, l7_b = 0;
	cpuid(0x80000000, &a, &b, &cx, &d);
	if (a >= 0x80000008)
		cpuid(0x80000008, &a, &ext8_b, &cx, &d);
	cpuid(0, &a, &b, &cx, &d);
	if (a >= 7)
		cpuid2(7, 0, &a, &l7_b, &cx, &d);
	misc2_extra = (ext8_b & (1u << 4)) ? SVM_INTERCEPT_RDPRU : 0;
	misc3 = ((ext8_b & (1u << 3)) ? SVM_INTERCEPT_INVLPGB | SVM_INTERCEPT_INVLPGB_ILLEGAL | SVM_INTERCEPT_TLBSYNC : 0) |
		((ext8_b & (1u << 8)) ? SVM_INTERCEPT_MCOMMIT : 0) | ((l7_b & (1u << 10)) ? SVM_INTERCEPT_INVPCID : 0);

	npt_format = pt_x86_user_format;
	npt_format.max_leaf_level = c->large_pages_1g ? 3 : 2;

	/* Host save area (APM2 15.30.4), a host-state VMCB for VMSAVE/VMLOAD, and the
	 * I/O and MSR permission maps: all ones, every port and MSR intercepted (15.10, 15.11). */
	hsave_pa = kalloc_pages(1, 1);
	host_vmcb_pa = kalloc_pages(1, 1);
	iopm_pa = kalloc_pages(SVM_IOPM_BYTES / 4096, 1);
	msrpm_pa = kalloc_pages(SVM_MSRPM_BYTES / 4096, 1);
	if (!hsave_pa || !host_vmcb_pa || !iopm_pa || !msrpm_pa)
		panic("svm: out of memory at init");
	memset((void *)(uintptr_t)iopm_pa, 0xff, SVM_IOPM_BYTES);
	memset((void *)(uintptr_t)msrpm_pa, 0xff, SVM_MSRPM_BYTES);
	wrmsr(MSR_VM_HSAVE_PA, hsave_pa);
	/* The host's FS/GS/TR/LDTR hidden state and syscall MSRs, restored after each exit. */
	__asm__ volatile("vmsave %%rax" : : "a"(host_vmcb_pa) : "memory");
	asid_used[0] = 1; /* ASID 0 is the host's (APM2 15.16) */
	/* Bochs 2.7 keeps the single-step trap of a guest instruction that is intercepted
	 * (the exit is fault-like: the instruction did not complete, APM2 15.7.1) and raises
	 * it in the host at the first instruction after VMRUN (cpu/svm.cc clears its pending
	 * debug trap only on exception intercepts). The trap is the guest's: the kernel drops
	 * it there, and delivers the guest its own after completing the instruction. */
	trap_ignore_single_step_at((uint64_t)(uintptr_t)svm_after_vmrun);
	kprintf("svm: SVM with NPT, %u ASIDs, nRIP %s, flush-by-ASID %s, 1 GiB pages %s; guest PAT all write-back, "
		"every DR access intercepted\n", n_asids,
		c->nrip_save ? "yes" : "no", c->flush_by_asid ? "yes" : "no", c->large_pages_1g ? "yes" : "no");
	return 0;
}

/* ---- VMs ---- */
static uint32_t asid_alloc(void)
{
	for (uint32_t i = 1; i < n_asids; i++)
		if (!(asid_used[i / 64] & (1ull << (i % 64)))) {
			asid_used[i / 64] |= 1ull << (i % 64);
			return i;
		}
	return 0;
}

static int svm_vm_create(struct hv_vm **out)
{
	struct svm_vm *vm = (struct svm_vm *)(uintptr_t)kalloc_pages(1, 1);
	if (!vm)
		return -UV_ENOMEM;
	vm->asid = asid_alloc();
	if (!vm->asid) {
		kfree_pages((uint64_t)(uintptr_t)vm, 1);
		return -UV_ENOMEM;
	}
	if (pt_init(&vm->npt, &npt_format, &mm_table_mem)) {
		asid_used[vm->asid / 64] &= ~(1ull << (vm->asid % 64));
		kfree_pages((uint64_t)(uintptr_t)vm, 1);
		return -UV_ENOMEM;
	}
	vm->flush = true; /* the ASID may hold a previous VM's translations */
	vm->common.overhead_bytes = 4096 * (1 + vm->npt.tables);
	*out = &vm->common;
	return 0;
}

static void svm_vm_destroy(struct hv_vm *v)
{
	struct svm_vm *vm = (struct svm_vm *)v;
	pt_destroy(&vm->npt);
	asid_used[vm->asid / 64] &= ~(1ull << (vm->asid % 64));
	kfree_pages((uint64_t)(uintptr_t)vm, 1);
}

static int svm_vm_map(struct hv_vm *v, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned prot)
{
	struct svm_vm *vm = (struct svm_vm *)v;
	unsigned p = (prot & HV_PROT_R ? PT_R : 0) | (prot & HV_PROT_W ? PT_W : 0) | (prot & HV_PROT_X ? PT_X : 0);
	if (!(prot & HV_PROT_R))
		return -UV_EINVAL; /* NPT cannot express write- or execute-only */
	int r = pt_map(&vm->npt, gpa, hpa, size, p);
	vm->common.overhead_bytes = 4096 * (1 + vm->npt.tables);
	return r;
}

static int svm_vm_unmap(struct hv_vm *v, uint64_t gpa, uint64_t size)
{
	struct svm_vm *vm = (struct svm_vm *)v;
	int r = pt_unmap(&vm->npt, gpa, size);
	vm->flush = true; /* APM2 15.16.1: the ASID's cached translations must go */
	vm->map_gen++;
	vm->common.overhead_bytes = 4096 * (1 + vm->npt.tables);
	return r;
}

static int svm_vm_translate(struct hv_vm *v, uint64_t gpa, uint64_t *hpa, unsigned *prot)
{
	struct svm_vm *vm = (struct svm_vm *)v;
	unsigned p;
	int level;
	int r = pt_lookup(&vm->npt, gpa, hpa, &p, &level);
	if (r)
		return -UV_EFAULT;
	*prot = HV_PROT_R | (p & PT_W ? HV_PROT_W : 0) | (p & PT_X ? HV_PROT_X : 0);
	return 0;
}

/* ---- vCPUs ---- */
static void set_seg(struct vmcb_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit, uint64_t base)
{
	s->sel = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = base;
}

static int svm_vcpu_create(struct hv_vm *v, const struct hv_vcpu_setup *st, struct hv_vcpu **out)
{
	struct svm_vm *vm = (struct svm_vm *)v;
	struct svm_vcpu *vc = (struct svm_vcpu *)(uintptr_t)kalloc_pages(1, 1);
	struct vmcb *vmcb = (struct vmcb *)(uintptr_t)kalloc_pages(1, 1);
	if (!vc || !vmcb) {
		if (vc)
			kfree_pages((uint64_t)(uintptr_t)vc, 1);
		if (vmcb)
			kfree_pages((uint64_t)(uintptr_t)vmcb, 1);
		return -UV_ENOMEM;
	}
	vc->vmcb = vmcb;
	vc->vm = vm;
	vc->common.vm = v;
	vc->common.overhead_bytes = 2 * 4096;

	struct vmcb_control *c = &vmcb->ctl;
	/* Intercepts (APM2 15.9-15.13): writes to CR0/CR4, the chosen exceptions, and
	 * every instruction or event that must not reach the hardware. */
	c->cr_write = (1u << 0) | (1u << 4);
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
		   SVM_INTERCEPT_XSETBV | misc2_extra;
	c->misc3 = misc3;
	c->iopm_base_pa = iopm_pa;
	c->msrpm_base_pa = msrpm_pa;
	c->tsc_offset = st->tsc_offset;
	c->asid = vm->asid;
	c->vintr = SVM_VINTR_MASKING; /* guest IF masks only virtual interrupts (15.21.1) */
	c->np_control = SVM_NP_ENABLE;
	c->n_cr3 = vm->npt.root;

	struct vmcb_save *s = &vmcb->save;
	/* Packed attributes (15.5.1): 0x029b = 64-bit code (L), 0x0c93 = data, 0x008b = busy TSS. */
	set_seg(&s->cs, HV_GUEST_SEL_CODE, 0x029b, 0xffffffff, 0);
	set_seg(&s->ds, HV_GUEST_SEL_DATA, 0x0c93, 0xffffffff, 0);
	set_seg(&s->es, HV_GUEST_SEL_DATA, 0x0c93, 0xffffffff, 0);
	set_seg(&s->ss, HV_GUEST_SEL_DATA, 0x0c93, 0xffffffff, 0);
	set_seg(&s->fs, HV_GUEST_SEL_DATA, 0x0c93, 0xffffffff, 0);
	set_seg(&s->gs, HV_GUEST_SEL_DATA, 0x0c93, 0xffffffff, 0);
	set_seg(&s->tr, HV_GUEST_SEL_TSS, 0x008b, 0x67, st->tss_base);
	set_seg(&s->ldtr, 0, 0x0082, 0, 0);
	set_seg(&s->gdtr, 0, 0, st->gdt_limit, st->gdt_base);
	set_seg(&s->idtr, 0, 0, 0, 0);
	s->cpl = 0;
	s->efer = hv_guest_efer() | EFER_SVME; /* guest EFER.SVME must be set (15.5.1) */
	s->cr0 = hv_guest_cr0();
	s->cr3 = st->cr3;
	s->cr4 = hv_guest_cr4();
	s->dr6 = DR6_RESET;
	s->dr7 = DR7_RESET;
	s->rflags = st->rflags | 2;
	s->rip = st->rip;
	s->rsp = st->rsp;
	s->g_pat = GUEST_PAT_ALL_WB;
	vc->gprs.rdi = st->rdi;
	*out = &vc->common;
	return 0;
}

static void svm_vcpu_destroy(struct hv_vcpu *v)
{
	struct svm_vcpu *vc = (struct svm_vcpu *)v;
	kfree_pages((uint64_t)(uintptr_t)vc->vmcb, 1);
	kfree_pages((uint64_t)(uintptr_t)vc, 1);
}

static void svm_get_regs(struct hv_vcpu *v, struct hv_regs *r)
{
	struct svm_vcpu *vc = (struct svm_vcpu *)v;
	const struct svm_gprs *g = &vc->gprs;
	const struct vmcb_save *s = &vc->vmcb->save;
	*r = (struct hv_regs){
		.rax = s->rax, .rbx = g->rbx, .rcx = g->rcx, .rdx = g->rdx, .rsi = g->rsi, .rdi = g->rdi,
		.rbp = g->rbp, .rsp = s->rsp, .r8 = g->r8, .r9 = g->r9, .r10 = g->r10, .r11 = g->r11,
		.r12 = g->r12, .r13 = g->r13, .r14 = g->r14, .r15 = g->r15, .rip = s->rip, .rflags = s->rflags,
		.cr0 = s->cr0, .cr2 = s->cr2, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer,
	};
}

static void svm_set_regs(struct hv_vcpu *v, const struct hv_regs *r)
{
	struct svm_vcpu *vc = (struct svm_vcpu *)v;
	struct svm_gprs *g = &vc->gprs;
	struct vmcb_save *s = &vc->vmcb->save;
	s->rax = r->rax;
	s->rsp = r->rsp;
	s->rip = r->rip;
	s->rflags = r->rflags | 2;
	*g = (struct svm_gprs){ r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp, r->r8, r->r9,
				r->r10, r->r11, r->r12, r->r13, r->r14, r->r15 };
}

static void svm_set_rax(struct hv_vcpu *v, uint64_t rax) { ((struct svm_vcpu *)v)->vmcb->save.rax = rax; }

static void svm_set_cpuid_result(struct hv_vcpu *v, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	struct svm_vcpu *vc = (struct svm_vcpu *)v;
	vc->vmcb->save.rax = a;
	vc->gprs.rbx = b;
	vc->gprs.rcx = c;
	vc->gprs.rdx = d;
}

static int svm_inject(struct hv_vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	struct svm_vcpu *vc = (struct svm_vcpu *)v;
	if (vector >= 32 || vector == EXC_NMI || has_error != exc_has_error_code(vector))
		return -UV_EINVAL;
	/* EVENTINJ (APM2 15.20): vector, type 3 (exception), EV, valid, error code in 63:32.
	 * It replaces an event an exit interrupted (that one is lost, as on real hardware when
	 * a second exception replaces a benign first). */
	vc->vmcb->ctl.eventinj = vector | SVM_EVTINJ_TYPE_EXCEPTION | SVM_EVTINJ_VALID |
				 (has_error ? SVM_EVTINJ_EV | ((uint64_t)error << 32) : 0);
	vc->reinject = 0;
	if (vector == EXC_DB)
		vc->vmcb->save.dr6 |= DR6_BS * ((vc->vmcb->save.rflags & RFLAGS_TF) != 0);
	return 0;
}

/* ---- Running ---- */

/* Advances RIP past the instruction at RIP that caused the exit (op, op_len bytes plus
 * prefixes): nRIP when the CPU saves it (15.7.1), else by decoding guest memory. The
 * bytes are always checked; only the page walk is skipped when RIP and CR3 repeat (a
 * stale mapping can only mislead the app about its own code). */
static bool decode_advance(struct svm_vcpu *vc, const uint8_t *op, unsigned op_len);

/* Completes the intercepted instruction as the CPU would have: RIP past it, the
 * interrupt shadow of a preceding STI or MOV SS gone (APM2 15.21.5), and the single-step
 * trap it owes when RFLAGS.TF was set. */
static bool advance(struct svm_vcpu *vc, const uint8_t *op, unsigned op_len)
{
	if (!decode_advance(vc, op, op_len))
		return false;
	struct vmcb *vmcb = vc->vmcb;
	vmcb->ctl.interrupt_shadow = 0;
	if (__builtin_expect((vmcb->save.rflags & RFLAGS_TF) != 0, 0))
		hv_single_step_pending(&vc->common);
	return true;
}

static bool decode_advance(struct svm_vcpu *vc, const uint8_t *op, unsigned op_len)
{
	struct vmcb *vmcb = vc->vmcb;
	if (caps->nrip_save && vmcb->ctl.nrip > vmcb->save.rip) {
		vmcb->save.rip = vmcb->ctl.nrip;
		return true;
	}
	struct svm_decoded *d = &vc->last;
	uint64_t rip = vmcb->save.rip, cr3 = vmcb->save.cr3;
	/* Fast path: the same instruction again, its bytes unchanged (one 8-byte compare). */
	if (d->len && d->rip == rip && d->cr3 == cr3 && d->map_gen == vc->vm->map_gen) {
		uint64_t now;
		__builtin_memcpy(&now, d->host, 8); /* one load, not a call */
		if ((now & d->mask) == d->bytes) {
			vmcb->save.rip += d->len;
			return true;
		}
	}
	d->len = 0;
	d->host = hv_guest_map_virt(&vc->vm->common, cr3, rip, &d->avail);
	d->rip = rip;
	d->cr3 = cr3;
	d->map_gen = vc->vm->map_gen;
	unsigned len = d->host ? svm_insn_len(d->host, d->avail, op, op_len) : 0;
	if (len && len <= 8 && d->avail >= 8) {
		d->len = len;
		d->mask = len == 8 ? ~0ull : (1ull << (8 * len)) - 1;
		memcpy(&d->bytes, d->host, 8);
		d->bytes &= d->mask;
	} else if (!len) {
		/* At the end of a page, or not mapped: copy across the boundary and try once more. */
		uint8_t bytes[15];
		size_t n = hv_guest_read_virt(&vc->vm->common, cr3, rip, bytes, sizeof(bytes));
		len = svm_insn_len(bytes, n, op, op_len);
		if (!len)
			return false;
	}
	vmcb->save.rip += len;
	return true;
}

/* Names the likely cause of VMEXIT_INVALID: the consistency checks of APM2 15.5.1. */
static const char *invalid_check(const struct vmcb *v)
{
	const struct vmcb_save *s = &v->save;
	if (!(s->efer & EFER_SVME))
		return "guest EFER.SVME is clear";
	if (!(v->ctl.misc2 & SVM_INTERCEPT_VMRUN))
		return "the VMRUN intercept is clear";
	if (v->ctl.asid == 0)
		return "guest ASID is 0";
	if ((s->cr0 & CR0_CD) == 0 && (s->cr0 & CR0_NW))
		return "CR0.NW set with CR0.CD clear";
	if (s->cr0 >> 32)
		return "CR0 bits 63:32 are not zero";
	if ((s->efer & EFER_LME) && (s->cr0 & CR0_PG) && !(s->cr4 & CR4_PAE))
		return "long mode with CR4.PAE clear";
	if ((s->efer & EFER_LME) && (s->cr0 & CR0_PG) && !(s->cr0 & CR0_PE))
		return "long mode with CR0.PE clear";
	if ((s->efer & EFER_LME) && (s->cr0 & CR0_PG) && (s->cs.attrib & (1u << 9)) && (s->cs.attrib & (1u << 10)))
		return "CS has both L and D set in long mode";
	if (s->dr6 >> 32 || s->dr7 >> 32)
		return "DR6/DR7 bits 63:32 are not zero";
	return "a VMCB consistency check (APM2 15.5.1) failed";
}

static const char *unsupported_name(uint64_t code)
{
	switch (code) {
	case SVM_EXIT_VMRUN: return "VMRUN";
	case SVM_EXIT_VMLOAD: return "VMLOAD";
	case SVM_EXIT_VMSAVE: return "VMSAVE";
	case SVM_EXIT_STGI: return "STGI";
	case SVM_EXIT_CLGI: return "CLGI";
	case SVM_EXIT_SKINIT: return "SKINIT";
	case SVM_EXIT_INVLPGA: return "INVLPGA";
	case SVM_EXIT_INVD: return "INVD";
	case SVM_EXIT_WBINVD: return "WBINVD";
	case SVM_EXIT_MONITOR: return "MONITOR";
	case SVM_EXIT_MWAIT: case SVM_EXIT_MWAIT_COND: return "MWAIT";
	case SVM_EXIT_RDPMC: return "RDPMC";
	case SVM_EXIT_RSM: return "RSM";
	case SVM_EXIT_ICEBP: return "ICEBP (INT1)";
	case SVM_EXIT_TASK_SWITCH: return "task switch";
	case SVM_EXIT_FERR_FREEZE: return "FERR freeze";
	case SVM_EXIT_CR0_SEL_WRITE: return "write to CR0 (LMSW/CLTS)";
	case SVM_EXIT_RDPRU: return "RDPRU";
	case SVM_EXIT_INVLPGB: case SVM_EXIT_INVLPGB_ILLEGAL: return "INVLPGB";
	case SVM_EXIT_INVPCID: return "INVPCID";
	case SVM_EXIT_MCOMMIT: return "MCOMMIT";
	case SVM_EXIT_TLBSYNC: return "TLBSYNC";
	default: return 0;
	}
}

static const char *const cr_write_names[16] = {
	"mov to CR0", "mov to CR1", "mov to CR2", "mov to CR3", "mov to CR4", "mov to CR5", "mov to CR6",
	"mov to CR7", "mov to CR8", "mov to CR9", "mov to CR10", "mov to CR11", "mov to CR12", "mov to CR13",
	"mov to CR14", "mov to CR15",
};

static const char *const dr_names[2][8] = {
	{ "mov from DR0", "mov from DR1", "mov from DR2", "mov from DR3", "mov from DR4", "mov from DR5",
	  "mov from DR6", "mov from DR7" },
	{ "mov to DR0", "mov to DR1", "mov to DR2", "mov to DR3", "mov to DR4", "mov to DR5", "mov to DR6",
	  "mov to DR7" },
};

/* Names the debug-register access of a DR intercept (exit codes 0x20-0x3f). */
static const char *dr_access_name(uint64_t code)
{
	unsigned write = code >= SVM_EXIT_DR0_WRITE, dr = (unsigned)(code - (write ? SVM_EXIT_DR0_WRITE : SVM_EXIT_DR0_READ));
	return dr < 8 ? dr_names[write][dr] : write ? "mov to DR8-15" : "mov from DR8-15";
}

static int svm_run(struct hv_vcpu *v, uint64_t slice_tsc, struct hv_exit *e)
{
	static const uint8_t op_vmmcall[] = { 0x0f, 0x01, 0xd9 }, op_cpuid[] = { 0x0f, 0xa2 };
	static const uint8_t op_hlt[] = { 0xf4 }, op_xsetbv[] = { 0x0f, 0x01, 0xd1 };
	struct svm_vcpu *vc = (struct svm_vcpu *)v;
	struct vmcb *vmcb = vc->vmcb;
	(void)slice_tsc; /* no preemption timer: the kernel's LAPIC timer interrupt ends a slice */

	for (;;) {
		if (vc->vm->flush) {
			vmcb->ctl.tlb_control = caps->flush_by_asid ? SVM_TLB_FLUSH_ASID : SVM_TLB_FLUSH_ALL;
			vc->vm->flush = false;
		} else {
			vmcb->ctl.tlb_control = SVM_TLB_NOTHING;
		}
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
		fpu_guest_xcr0(v);
		spec_before_entry();
		svm_world_switch((uint64_t)(uintptr_t)vmcb, host_vmcb_pa, &vc->gprs);
		fpu_host_xcr0_checked(v);

		uint64_t code = vmcb->ctl.exitcode;
		/* Only the fields of the reason below are meaningful (no memset on the hot path). */
		e->rip = vmcb->save.rip;
		e->vendor_code = code;
		switch (code) {
		case SVM_EXIT_VMMCALL:
			if (!advance(vc, op_vmmcall, sizeof(op_vmmcall)))
				goto undecodable;
			e->reason = HV_EXIT_HYPERCALL;
			e->hypercall.nr = vmcb->save.rax;
			e->hypercall.arg[0] = vc->gprs.rdi;
			e->hypercall.arg[1] = vc->gprs.rsi;
			e->hypercall.arg[2] = vc->gprs.rdx;
			e->hypercall.arg[3] = vc->gprs.r10;
			e->hypercall.arg[4] = vc->gprs.r8;
			e->hypercall.arg[5] = vc->gprs.r9;
			return 0;
		case SVM_EXIT_CPUID:
			if (!advance(vc, op_cpuid, sizeof(op_cpuid)))
				goto undecodable;
			e->reason = HV_EXIT_CPUID;
			e->cpuid.leaf = (uint32_t)vmcb->save.rax;
			e->cpuid.subleaf = (uint32_t)vc->gprs.rcx;
			e->cpuid.xcr0 = v->xcr0;
			return 0;
		case SVM_EXIT_HLT:
			if (!advance(vc, op_hlt, sizeof(op_hlt)))
				goto undecodable;
			e->reason = HV_EXIT_HALT;
			return 0;
		case SVM_EXIT_XSETBV: {
			uint64_t val = ((vc->gprs.rdx & 0xffffffff) << 32) | (vmcb->save.rax & 0xffffffff);
			if (hv_guest_xsetbv(v, (uint32_t)vc->gprs.rcx, val) == 0) {
				if (!advance(vc, op_xsetbv, sizeof(op_xsetbv)))
					goto undecodable;
				if (__builtin_expect(v->attention != 0, 0))
					return hv_attention_exit(v, e); /* the single-step trap it owes */
				continue;
			}
			return hv_xsetbv_refused_exit(e);
		}
		case SVM_EXIT_IOIO:
			e->reason = HV_EXIT_IO_PORT;
			svm_decode_ioio(vmcb->ctl.exitinfo1, e);
			return 0;
		case SVM_EXIT_MSR:
			e->reason = HV_EXIT_MSR;
			e->msr.index = (uint32_t)vc->gprs.rcx;
			e->msr.write = vmcb->ctl.exitinfo1 == 1;
			e->msr.value = ((vc->gprs.rdx & 0xffffffff) << 32) | (vmcb->save.rax & 0xffffffff);
			return 0;
		case SVM_EXIT_NPF:
			e->reason = HV_EXIT_MEMORY_ACCESS;
			svm_decode_npf(vmcb->ctl.exitinfo1, vmcb->ctl.exitinfo2, e);
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
			e->invalid.check = invalid_check(vmcb);
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
		if (code >= SVM_EXIT_CR0_WRITE && code <= SVM_EXIT_CR15_WRITE)
			e->unsupported.insn = cr_write_names[code - SVM_EXIT_CR0_WRITE];
		else if (code >= SVM_EXIT_DR0_READ && code <= SVM_EXIT_DR15_WRITE)
			e->unsupported.insn = dr_access_name(code);
		else
			e->unsupported.insn = unsupported_name(code);
		if (!e->unsupported.insn)
			e->unsupported.insn = "an intercepted event without a handler";
		return 0;
	undecodable:
		e->reason = HV_EXIT_UNSUPPORTED;
		e->unsupported.insn = "an unusual encoding of an intercepted instruction";
		return 0;
	}
}

const struct hv_backend hv_svm_backend = {
	.name = "svm",
	.cpu_init = svm_cpu_init,
	.vm_create = svm_vm_create,
	.vm_destroy = svm_vm_destroy,
	.vm_map = svm_vm_map,
	.vm_unmap = svm_vm_unmap,
	.vm_translate = svm_vm_translate,
	.vcpu_create = svm_vcpu_create,
	.vcpu_destroy = svm_vcpu_destroy,
	.get_regs = svm_get_regs,
	.set_regs = svm_set_regs,
	.set_rax = svm_set_rax,
	.set_cpuid_result = svm_set_cpuid_result,
	.run = svm_run,
	.inject = svm_inject,
};
