/* hv/vmx/vmx_vcpu.c: a vCPU's VMCS: controls, host state, 64-bit guest state; registers and event injection. */
#include "hv/vmx/vmx.h"
#include "hv/vmx/vmx_ops.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/mm/mm.h"
#include "kernel/arch/trap.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"
#include "kernel/arch/x86.h"

extern char vmx_exit_point[]; /* vmx_entry.S: where every VM exit lands */

static struct vmx_vcpu *to_vmx(struct hv_vcpu *v) { return (struct vmx_vcpu *)v; }

static void write_controls(const struct vmx_vm *vm, const struct hv_vcpu_setup *s)
{
	const struct vmx_model *c = &vmx_model;
	vmx_write(VMCS_PIN_BASED_CTLS, c->pin);
	vmx_write(VMCS_PROC_BASED_CTLS, c->proc);
	vmx_write(VMCS_PROC_BASED_CTLS2, c->proc2);
	vmx_write(VMCS_EXIT_CTLS, c->exit);
	vmx_write(VMCS_ENTRY_CTLS, c->entry);
	vmx_write(VMCS_EXCEPTION_BITMAP, s->exception_intercepts);
	vmx_write(VMCS_PF_ERROR_CODE_MASK, 0);  /* with mask = match = 0 bit 14 alone decides (24.6.3) */
	vmx_write(VMCS_PF_ERROR_CODE_MATCH, 0);
	vmx_write(VMCS_CR3_TARGET_COUNT, 0);
	vmx_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmx_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmx_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmx_write(VMCS_ENTRY_INTR_INFO, 0);
	vmx_write(VMCS_IO_BITMAP_A, c->io_bitmap_pa);
	vmx_write(VMCS_IO_BITMAP_B, c->io_bitmap_pa + PAGE_SIZE);
	vmx_write(VMCS_MSR_BITMAP, c->msr_bitmap_pa);
	vmx_write(VMCS_TSC_OFFSET, s->tsc_offset);
	vmx_write(VMCS_EPT_POINTER, vm->eptp);
	if (c->vpid)
		vmx_write(VMCS_VPID, vm->vpid);
	/* Every ENCLS/ENCLV leaf exits (SDM 3C 24.6.16, 25.1.3): an app never reaches SGX. */
	if (c->proc2 & PROC2_ENCLS_EXITING)
		vmx_write(VMCS_ENCLS_EXITING_BITMAP, ~0ull);
	if (c->proc2 & PROC2_ENCLV_EXITING)
		vmx_write(VMCS_ENCLV_EXITING_BITMAP, ~0ull);
	/* We own every CR0/CR4 bit: guest reads see the shadows, any write exits (SDM 3C 24.6.6);
	 * the shadow hides CR4.VMXE, which VMX requires in the real guest CR4. */
	vmx_write(VMCS_CR0_GUEST_HOST_MASK, ~0ull);
	vmx_write(VMCS_CR4_GUEST_HOST_MASK, ~0ull);
	vmx_write(VMCS_CR0_READ_SHADOW, hv_guest_cr0());
	vmx_write(VMCS_CR4_READ_SHADOW, hv_guest_cr4());
}

/* SDM 3C 24.5 and 27.5: the state a VM exit loads; RSP is written by vmx_entry.S. */
static void write_host_state(void)
{
	vmx_write(VMCS_HOST_CR0, read_cr0());
	vmx_write(VMCS_HOST_CR3, read_cr3());
	vmx_write(VMCS_HOST_CR4, read_cr4());
	vmx_write(VMCS_HOST_CS_SELECTOR, KERNEL_CS);
	vmx_write(VMCS_HOST_SS_SELECTOR, KERNEL_DS);
	vmx_write(VMCS_HOST_DS_SELECTOR, KERNEL_DS);
	vmx_write(VMCS_HOST_ES_SELECTOR, KERNEL_DS);
	vmx_write(VMCS_HOST_FS_SELECTOR, 0);
	vmx_write(VMCS_HOST_GS_SELECTOR, 0);
	vmx_write(VMCS_HOST_TR_SELECTOR, KERNEL_TSS);
	vmx_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmx_write(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmx_write(VMCS_HOST_TR_BASE, trap_tss_base());
	vmx_write(VMCS_HOST_GDTR_BASE, trap_gdt_base());
	vmx_write(VMCS_HOST_IDTR_BASE, trap_idt_base());
	vmx_write(VMCS_HOST_IA32_SYSENTER_CS, 0);
	vmx_write(VMCS_HOST_SYSENTER_ESP, 0);
	vmx_write(VMCS_HOST_SYSENTER_EIP, 0);
	vmx_write(VMCS_HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmx_write(VMCS_HOST_IA32_PAT, rdmsr(MSR_PAT));
	vmx_write(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_point);
}

/* Rejects a setup no VM entry could accept: the checks of 26.3.1 on what the caller chose. */
static int check_setup(const struct hv_vcpu_setup *s)
{
	if (!vmx_canonical(s->rip) || !vmx_canonical(s->rsp) || !vmx_canonical(s->gdt_base) || !vmx_canonical(s->tss_base))
		return -UV_EINVAL;
	if ((s->cr3 >> vmx_model.phys_bits) != 0)
		return -UV_EINVAL;
	return 0;
}

int vmx_vcpu_init(struct hv_vcpu *hv, const struct hv_vcpu_setup *s)
{
	_Static_assert(sizeof(struct vmx_vcpu) <= PAGE_SIZE, "vmx_vcpu fits a page");
	struct vmx_vcpu *v = to_vmx(hv);
	int r = check_setup(s);
	if (r)
		return r;
	uint32_t *vmcs = kalloc_page();
	if (!vmcs)
		return -UV_ENOMEM;
	hv->rax = &hv->gprs.rax;
	v->vmcs_pa = (uint64_t)(uintptr_t)vmcs;
	vmcs[0] = VMX_BASIC_REVISION(vmx_model.msrs.basic); /* SDM 3C 24.2 */
	/* VMCLEAR initialises the launch state to "clear" (SDM 3C 24.11.3). */
	if (vmclear(v->vmcs_pa)) {
		kprintf("vmx: VMCLEAR of a new VMCS failed\n");
		kfree_page(vmcs);
		return -UV_EIO;
	}
	vmx_load(v);
	write_controls((const struct vmx_vm *)hv->vm, s);
	write_host_state();
	struct vmx_snapshot g = { .caps = vmx_model.msrs };
	vmx_guest_init(&g, s, hv_guest_cr0(), hv_guest_cr4(), hv_guest_efer());
	vmx_write_guest_state(&g);
	v->rflags = g.rflags;
	return 0;
}

void vmx_vcpu_fini(struct hv_vcpu *hv)
{
	struct vmx_vcpu *v = to_vmx(hv);
	/* VMCLEAR writes back any cached VMCS data and makes it not current (24.11.3). */
	if (vmclear(v->vmcs_pa))
		panic("vmx: VMCLEAR %#llx failed", (unsigned long long)v->vmcs_pa);
	if (vmx_this_cpu()->current == v)
		vmx_this_cpu()->current = 0;
	if (vmx_this_cpu()->kgs_owner == v) {
		wrmsr(MSR_KERNEL_GS_BASE, 0); /* nothing of a dead guest stays behind */
		vmx_this_cpu()->kgs_owner = 0;
	}
	kfree_pages(v->vmcs_pa, 1);
}

void vmx_get_regs(struct hv_vcpu *hv, struct hv_regs *r)
{
	struct vmx_vcpu *v = to_vmx(hv);
	vmx_load(v);
	r->rsp = vmx_read(VMCS_GUEST_RSP);
	r->rip = vmx_read(VMCS_GUEST_RIP);
	r->rflags = vmx_read(VMCS_GUEST_RFLAGS);
	/* What the guest sees: every bit is owned, so the read shadows. */
	r->cr0 = vmx_read(VMCS_CR0_READ_SHADOW);
	r->cr2 = v->cr2;
	r->cr3 = vmx_read(VMCS_GUEST_CR3);
	r->cr4 = vmx_read(VMCS_CR4_READ_SHADOW);
	r->efer = vmx_read(VMCS_GUEST_IA32_EFER);
}

int vmx_inject(struct hv_vcpu *hv, uint8_t vector, bool has_error_code, uint32_t error_code)
{
	struct vmx_vcpu *v = to_vmx(hv);
	/* SDM 3C 26.2.1.3: a hardware exception (type 3, not NMI) delivers an error code
	 * exactly for #DF #TS #NP #SS #GP #PF #AC #CP, with bits 31:15 clear. */
	if (vector > 31 || vector == EXC_NMI || has_error_code != vmx_exc_has_error_code(vector) || (error_code >> 15))
		return -UV_EINVAL;
	vmx_load(v);
	uint32_t info = INTR_INFO_VALID | (INTR_TYPE_HW_EXCEPTION << 8) | vector | (has_error_code ? INTR_INFO_ERROR_CODE : 0);
	vmx_write(VMCS_ENTRY_INTR_INFO, info);
	if (has_error_code)
		vmx_write(VMCS_ENTRY_EXCEPTION_ERROR_CODE, error_code);
	v->reinject = 0; /* the new event replaces an interrupted one */
	/* A #DB exit does not record its single step as pending, yet entry requires one when
	 * RFLAGS.TF is set under STI/MOV-SS blocking (SDM 3C 26.3.1.5): a #DB passed on from
	 * such a place carries its BS bit along. */
	if (vector == EXC_DB) {
		uint64_t pending = vmx_read(VMCS_GUEST_PENDING_DBG_EXCEPTIONS);
		uint64_t want = vmx_pending_dbg_for_db(pending, vmx_read(VMCS_GUEST_RFLAGS),
						       (uint32_t)vmx_read(VMCS_GUEST_INTERRUPTIBILITY));
		if (want != pending)
			vmx_write(VMCS_GUEST_PENDING_DBG_EXCEPTIONS, want);
	}
	return 0;
}
