/* hv/vmx/vmx_state.c: the initial guest state of a vCPU (64-bit mode, CPL 0, the flat GDT of hv.h) as a VMCS snapshot. */
#include "hv/vmx/vmx.h"
#include "kernel/arch/cpu.h"
#include "kernel/lib/kstring.h"

#define PAT_POWER_ON 0x0007040600070406ull /* SDM 3A 11.12.4: WB WT UC- UC, twice */
#define RFLAGS_FIXED1 2ull
#define DR7_INIT 0x400ull
#define TSS_LIMIT 0x67

/* Access rights (SDM 3C 24.4.1: descriptor bits 40-55, bit 16 = unusable). */
#define AR_CODE64 (0xb | AR_S | AR_P | AR_L | AR_G)   /* 0xa09b: execute/read, accessed, L=1 */
#define AR_DATA (0x3 | AR_S | AR_P | AR_DB | AR_G)    /* 0xc093: read/write, accessed */
#define AR_TSS64_BUSY (0xb | AR_P)                    /* 0x008b: busy 64-bit TSS */

uint32_t vmx_interruptibility_after_insn(uint32_t is)
{
	return is & ~(uint32_t)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS);
}

uint64_t vmx_pending_dbg_for_db(uint64_t pending, uint64_t rflags, uint32_t is)
{
	if ((rflags & RFLAGS_TF) && (is & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)))
		return pending | PENDING_DBG_BS;
	return pending;
}

uint64_t vmx_guest_rflags(uint64_t rflags)
{
	return (rflags & VMX_RFLAGS_DEFINED & ~VMX_RFLAGS_VM) | RFLAGS_FIXED1;
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
	s->dr7 = DR7_INIT;
	s->rsp = setup->rsp;
	s->rip = setup->rip;
	s->rflags = vmx_guest_rflags(setup->rflags);
	s->debugctl = 0;
	s->efer = efer;
	s->pat = PAT_POWER_ON;
	s->sysenter_esp = s->sysenter_eip = 0;
	seg(s, VMX_SEG_CS, HV_GUEST_SEL_CODE, 0, 0xffffffff, AR_CODE64);
	seg(s, VMX_SEG_SS, HV_GUEST_SEL_DATA, 0, 0xffffffff, AR_DATA);
	seg(s, VMX_SEG_DS, HV_GUEST_SEL_DATA, 0, 0xffffffff, AR_DATA);
	seg(s, VMX_SEG_ES, HV_GUEST_SEL_DATA, 0, 0xffffffff, AR_DATA);
	seg(s, VMX_SEG_FS, HV_GUEST_SEL_DATA, 0, 0xffffffff, AR_DATA);
	seg(s, VMX_SEG_GS, HV_GUEST_SEL_DATA, 0, 0xffffffff, AR_DATA);
	seg(s, VMX_SEG_TR, HV_GUEST_SEL_TSS, setup->tss_base, TSS_LIMIT, AR_TSS64_BUSY);
	seg(s, VMX_SEG_LDTR, 0, 0, 0, AR_UNUSABLE);
	s->gdtr_base = setup->gdt_base;
	s->gdtr_limit = setup->gdt_limit;
	s->idtr_base = 0; /* until the guest loads its own */
	s->idtr_limit = 0;
	s->interruptibility = 0;
	s->activity = 0;
	s->pending_dbg = 0;
	s->link_ptr = ~0ull; /* no shadow VMCS (26.3.1.5) */
}
