/* hv/vmx/vmx_state.c: the initial guest state of a vCPU (64-bit mode, CPL 0, the flat GDT of hv.h) as a VMCS snapshot. */
#include "hv/vmx/vmx.h"
#include "kernel/arch/cpu.h"
#include "kernel/lib/kstring.h"

/* Access rights (SDM 3C 24.4.1) of a segment in the one packing of kernel/arch/x86.h:
 * descriptor bits 40-47 stay, bits 52-55 move from 11:8 to 15:12. */
static uint32_t vmx_ar(uint16_t attr) { return (attr & 0xffu) | ((uint32_t)(attr & 0xf00u) << 4); }

uint64_t vmx_pending_dbg_for_db(uint64_t pending, uint64_t rflags, uint32_t is)
{
	if ((rflags & RFLAGS_TF) && (is & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)))
		return pending | PENDING_DBG_BS;
	return pending;
}

static void seg(struct vmx_snapshot *s, enum vmx_seg i, uint16_t sel, uint64_t base, uint32_t limit, uint32_t ar)
{
	s->seg[i] = (struct vmx_seg_state){ .sel = sel, .base = base, .limit = limit, .ar = ar };
}

void vmx_guest_init(struct vmx_snapshot *s, const struct hv_vcpu_setup *setup, uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	const struct vmx_msrs *m = &s->caps;
	/* SDM 3C 26.3.1.1: CR0/CR4 within the fixed bits; VMX operation needs CR4.VMXE. */
	s->cr0 = (cr0 | m->cr0_fixed0) & m->cr0_fixed1;
	s->cr4 = (cr4 | m->cr4_fixed0 | CR4_VMXE) & m->cr4_fixed1;
	s->cr3 = setup->cr3;
	s->dr7 = DR7_RESET;
	s->rsp = setup->rsp;
	s->rip = setup->rip;
	s->rflags = (setup->rflags & VMX_RFLAGS_DEFINED & ~VMX_RFLAGS_VM) | RFLAGS_FIXED1; /* reserved bits and VM clear */
	s->efer = efer;
	s->pat = PAT_RESET; /* ignored: EPT leaves set IPAT (ept.c) */
	uint32_t flat = seg_limit_bytes(SEG_LIMIT_FLAT, HV_GUEST_SEG_CODE);
	for (int i = VMX_SEG_ES; i <= VMX_SEG_GS; i++) /* ES CS SS DS FS GS: flat, CS the code segment */
		seg(s, i, i == VMX_SEG_CS ? HV_GUEST_SEL_CODE : HV_GUEST_SEL_DATA, 0, flat,
		    vmx_ar(i == VMX_SEG_CS ? HV_GUEST_SEG_CODE : HV_GUEST_SEG_DATA));
	seg(s, VMX_SEG_TR, HV_GUEST_SEL_TSS, setup->tss_base, TSS64_LIMIT, vmx_ar(HV_GUEST_SEG_TSS));
	seg(s, VMX_SEG_LDTR, 0, 0, 0, AR_UNUSABLE);
	s->gdtr_base = setup->gdt_base;
	s->gdtr_limit = setup->gdt_limit;
	/* The rest stays 0: DEBUGCTL, SYSENTER, the IDTR until the guest loads its own, no
	 * interruptibility or pending debug exceptions, the active state. */
	s->link_ptr = ~0ull; /* no shadow VMCS (26.3.1.5) */
}
