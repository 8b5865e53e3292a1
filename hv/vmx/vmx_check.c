/* hv/vmx/vmx_check.c: the VM-entry checks of SDM 3C 26.2-26.3 on a VMCS snapshot, to say in words why an entry failed. */
#include "hv/vmx/vmx.h"
#include "kernel/arch/cpu.h"
#include "kernel/lib/format.h"

/* Fills buf and makes the caller return true: the first failing check wins. */
#define FAIL(...)                                   \
	do {                                        \
		ksnprintf(buf, len, __VA_ARGS__);   \
		return true;                        \
	} while (0)

static const char *const seg_names[VMX_SEG_COUNT] = { "ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR" };
static const char *const host_sel_names[7] = { "ES", "CS", "SS", "DS", "FS", "GS", "TR" };

bool vmx_canonical(uint64_t a) { return (uint64_t)((int64_t)(a << 16) >> 16) == a; }
static bool above_phys(uint64_t a, unsigned phys_bits) { return phys_bits < 64 && (a >> phys_bits) != 0; }
/* Not a 4 KiB-aligned address inside the physical address width (the bitmaps: SDM 3C 26.2.1.1). */
static bool bad_page(uint64_t a, unsigned phys_bits) { return (a & 0xfff) || above_phys(a, phys_bits); }

/* IA32_PAT: each of the 8 entries must be 0, 1, 4, 5, 6 or 7 (SDM 3A 11.12.2). */
static bool pat_valid(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		unsigned t = (pat >> (8 * i)) & 0xff;
		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

#define EFER_DEFINED (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

/* A control against its capability (SDM 3C 26.2.1.1-3, appendix A): which bit is wrong. */
static bool check_control(const struct vmx_snapshot *s, uint32_t msr, uint32_t value, char *buf, size_t len)
{
	uint64_t cap = vmx_control_cap(&s->caps, msr);
	uint32_t allowed0 = (uint32_t)cap, allowed1 = (uint32_t)(cap >> 32);
	uint32_t bad = (allowed0 & ~value) | (value & ~allowed1);
	if (!bad)
		return false;
	unsigned bit = (unsigned)__builtin_ctz(bad);
	const char *n = vmx_control_bit_name(msr, bit);
	FAIL("%s controls %#x: bit %u (%s) must be %u (SDM 3C 26.2.1, appendix A)", vmx_control_name(msr),
	     value, bit, n ? n : "reserved", (allowed0 >> bit) & 1);
}

bool vmx_exc_has_error_code(unsigned vector)
{
	return exc_has_error_code(vector) && vector < 29; /* 29 and 30 are AMD's alone */
}

bool vmx_check_controls(const struct vmx_snapshot *s, char *buf, size_t len)
{
	uint32_t proc2 = (s->proc & PROC_ACTIVATE_SECONDARY) ? s->proc2 : 0;
	if (check_control(s, MSR_IA32_VMX_PINBASED_CTLS, s->pin, buf, len) ||
	    check_control(s, MSR_IA32_VMX_PROCBASED_CTLS, s->proc, buf, len) ||
	    ((s->proc & PROC_ACTIVATE_SECONDARY) && check_control(s, MSR_IA32_VMX_PROCBASED_CTLS2, proc2, buf, len)) ||
	    check_control(s, MSR_IA32_VMX_EXIT_CTLS, s->exit, buf, len) ||
	    check_control(s, MSR_IA32_VMX_ENTRY_CTLS, s->entry, buf, len))
		return true;
	/* 26.2.1.1 */
	if (s->cr3_target_count > ((s->caps.misc >> 16) & 0x1ff))
		FAIL("CR3-target count %u is above IA32_VMX_MISC's %u (SDM 3C 26.2.1.1)", s->cr3_target_count,
		     (unsigned)((s->caps.misc >> 16) & 0x1ff));
	if ((s->proc & PROC_USE_IO_BITMAPS) && bad_page(s->io_bitmap_a, s->phys_bits))
		FAIL("I/O bitmap A address %#llx is not 4 KiB aligned inside the physical address width (SDM 3C 26.2.1.1)",
		     (unsigned long long)s->io_bitmap_a);
	if ((s->proc & PROC_USE_IO_BITMAPS) && bad_page(s->io_bitmap_b, s->phys_bits))
		FAIL("I/O bitmap B address %#llx is not 4 KiB aligned inside the physical address width (SDM 3C 26.2.1.1)",
		     (unsigned long long)s->io_bitmap_b);
	if ((s->proc & PROC_USE_MSR_BITMAPS) && bad_page(s->msr_bitmap, s->phys_bits))
		FAIL("MSR bitmap address %#llx is not 4 KiB aligned inside the physical address width (SDM 3C 26.2.1.1)",
		     (unsigned long long)s->msr_bitmap);
	if (!(s->pin & PIN_NMI_EXITING) && (s->pin & PIN_VIRTUAL_NMIS))
		FAIL("virtual NMIs without NMI exiting (SDM 3C 26.2.1.1)");
	if (!(s->pin & PIN_VIRTUAL_NMIS) && (s->proc & PROC_NMI_WINDOW_EXITING))
		FAIL("NMI-window exiting without virtual NMIs (SDM 3C 26.2.1.1)");
	if ((proc2 & PROC2_UNRESTRICTED_GUEST) && !(proc2 & PROC2_ENABLE_EPT))
		FAIL("unrestricted guest without EPT (SDM 3C 26.2.1.1)");
	if ((proc2 & PROC2_ENABLE_VPID) && s->vpid == 0)
		FAIL("enable VPID with VPID 0 (SDM 3C 26.2.1.1)");
	if (proc2 & PROC2_ENABLE_EPT) {
		unsigned type = s->eptp & 7;
		if (!((type == EPT_MEMTYPE_UC && (s->caps.ept_vpid & VMX_EPT_MEMTYPE_UC)) ||
		      (type == EPT_MEMTYPE_WB && (s->caps.ept_vpid & VMX_EPT_MEMTYPE_WB))))
			FAIL("EPTP %#llx: memory type %u not allowed by IA32_VMX_EPT_VPID_CAP (SDM 3C 26.2.1.1)",
			     (unsigned long long)s->eptp, type);
		if (((s->eptp >> 3) & 7) != 3)
			FAIL("EPTP %#llx: page-walk length is not 4 (SDM 3C 26.2.1.1)", (unsigned long long)s->eptp);
		if ((s->eptp & EPTP_AD) && !(s->caps.ept_vpid & VMX_EPT_AD))
			FAIL("EPTP %#llx: accessed/dirty flags without support (SDM 3C 26.2.1.1)", (unsigned long long)s->eptp);
		if ((s->eptp & 0xf80) || above_phys(s->eptp, s->phys_bits))
			FAIL("EPTP %#llx: reserved bits set (SDM 3C 26.2.1.1)", (unsigned long long)s->eptp);
	}
	/* 26.2.1.2 */
	if (!(s->pin & PIN_PREEMPTION_TIMER) && (s->exit & EXIT_SAVE_PREEMPTION_TIMER))
		FAIL("save VMX-preemption timer value without the timer (SDM 3C 26.2.1.2)");
	if ((s->exit_msr_store_count || s->exit_msr_load_count || s->entry_msr_load_count))
		FAIL("MSR load/store lists are not used by univisor but have counts %u/%u/%u (SDM 3C 26.2.1.2)",
		     s->exit_msr_store_count, s->exit_msr_load_count, s->entry_msr_load_count);
	/* 26.2.1.3 */
	if (s->entry & (ENTRY_TO_SMM | ENTRY_DEACTIVATE_DUAL_MONITOR))
		FAIL("entry to SMM / deactivate dual-monitor treatment set outside SMM (SDM 3C 26.2.1.3)");
	uint32_t ii = s->entry_intr_info;
	if (ii & INTR_INFO_VALID) {
		unsigned type = INTR_INFO_TYPE(ii), vec = INTR_INFO_VECTOR(ii);
		if (type == 1 || type == 7)
			FAIL("VM-entry interruption type %u is reserved (SDM 3C 26.2.1.3)", type);
		if (type == INTR_TYPE_NMI && vec != EXC_NMI)
			FAIL("VM-entry NMI injection with vector %u, not 2 (SDM 3C 26.2.1.3)", vec);
		if (type == INTR_TYPE_HW_EXCEPTION && vec > 31)
			FAIL("VM-entry hardware exception with vector %u above 31 (SDM 3C 26.2.1.3)", vec);
		bool want_ec = type == INTR_TYPE_HW_EXCEPTION && vmx_exc_has_error_code(vec) && (s->cr0 & CR0_PE);
		if (!!(ii & INTR_INFO_ERROR_CODE) != want_ec)
			FAIL("VM-entry injection of vector %u type %u: deliver-error-code must be %u (SDM 3C 26.2.1.3)", vec,
			     type, want_ec);
		if (ii & 0x7ffff000u)
			FAIL("VM-entry interruption information %#x: reserved bits 30:12 set (SDM 3C 26.2.1.3)", ii);
		if ((ii & INTR_INFO_ERROR_CODE) && (s->entry_error_code >> 15))
			FAIL("VM-entry exception error code %#x: bits 31:15 set (SDM 3C 26.2.1.3)", s->entry_error_code);
		if ((type == INTR_TYPE_SW_INTERRUPT || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
		     type == INTR_TYPE_SW_EXCEPTION) && (s->entry_insn_len == 0 || s->entry_insn_len > 15))
			FAIL("VM-entry instruction length %u is not 1..15 for a software event (SDM 3C 26.2.1.3)",
			     s->entry_insn_len);
	}
	return false;
}

bool vmx_check_host(const struct vmx_snapshot *s, char *buf, size_t len)
{
	const struct vmx_msrs *m = &s->caps;
	bool ia32e = s->exit & EXIT_HOST_ADDRESS_SPACE_SIZE;
	/* 26.2.2 */
	if ((s->host_cr0 & m->cr0_fixed0) != m->cr0_fixed0 || (s->host_cr0 & ~m->cr0_fixed1))
		FAIL("host CR0 %#llx violates IA32_VMX_CR0_FIXED0/1 (%#llx/%#llx) (SDM 3C 26.2.2)",
		     (unsigned long long)s->host_cr0, (unsigned long long)m->cr0_fixed0, (unsigned long long)m->cr0_fixed1);
	if ((s->host_cr4 & m->cr4_fixed0) != m->cr4_fixed0 || (s->host_cr4 & ~m->cr4_fixed1))
		FAIL("host CR4 %#llx violates IA32_VMX_CR4_FIXED0/1 (%#llx/%#llx) (SDM 3C 26.2.2)",
		     (unsigned long long)s->host_cr4, (unsigned long long)m->cr4_fixed0, (unsigned long long)m->cr4_fixed1);
	if (above_phys(s->host_cr3, s->phys_bits))
		FAIL("host CR3 %#llx has bits above the physical address width (SDM 3C 26.2.2)", (unsigned long long)s->host_cr3);
	if (!vmx_canonical(s->host_sysenter_esp) || !vmx_canonical(s->host_sysenter_eip))
		FAIL("host IA32_SYSENTER_ESP/EIP not canonical (SDM 3C 26.2.2)");
	if ((s->exit & EXIT_LOAD_IA32_PAT) && !pat_valid(s->host_pat))
		FAIL("host IA32_PAT %#llx holds an invalid memory type (SDM 3C 26.2.2)", (unsigned long long)s->host_pat);
	if (s->exit & EXIT_LOAD_IA32_EFER) {
		if (s->host_efer & ~(uint64_t)EFER_DEFINED)
			FAIL("host IA32_EFER %#llx has reserved bits set (SDM 3C 26.2.2)", (unsigned long long)s->host_efer);
		if (!!(s->host_efer & EFER_LMA) != ia32e || !!(s->host_efer & EFER_LME) != ia32e)
			FAIL("host IA32_EFER %#llx: LMA and LME must equal the host address-space size control (SDM 3C 26.2.2)",
			     (unsigned long long)s->host_efer);
	}
	/* 26.2.3 */
	for (int i = 0; i < 7; i++)
		if (s->host_sel[i] & 7)
			FAIL("host %s selector %#x has RPL or TI set (SDM 3C 26.2.3)", host_sel_names[i], s->host_sel[i]);
	if (s->host_sel[1] == 0)
		FAIL("host CS selector is 0 (SDM 3C 26.2.3)");
	if (s->host_sel[6] == 0)
		FAIL("host TR selector is 0 (SDM 3C 26.2.3)");
	if (!ia32e && s->host_sel[2] == 0)
		FAIL("host SS selector is 0 without host address-space size (SDM 3C 26.2.3)");
	if (!vmx_canonical(s->host_fs_base) || !vmx_canonical(s->host_gs_base) || !vmx_canonical(s->host_tr_base) ||
	    !vmx_canonical(s->host_gdtr_base) || !vmx_canonical(s->host_idtr_base))
		FAIL("a host FS/GS/TR/GDTR/IDTR base is not canonical (SDM 3C 26.2.3)");
	/* 26.2.4 */
	if ((s->host_efer & EFER_LMA) && !ia32e)
		FAIL("host is in IA-32e mode but the host address-space size exit control is 0 (SDM 3C 26.2.4)");
	if (!ia32e && (s->entry & ENTRY_IA32E_MODE_GUEST))
		FAIL("IA-32e mode guest without host address-space size (SDM 3C 26.2.4)");
	if (ia32e && !(s->host_cr4 & CR4_PAE))
		FAIL("host address-space size with host CR4.PAE clear (SDM 3C 26.2.4)");
	if (ia32e ? !vmx_canonical(s->host_rip) : (s->host_rip >> 32) != 0)
		FAIL("host RIP %#llx is not a valid address for the host mode (SDM 3C 26.2.4)", (unsigned long long)s->host_rip);
	return false;
}

/* Limit and granularity agree (SDM 3C 26.3.1.2): G=0 if any of limit[11:0] is 0; G=1 if any of limit[31:20] is 1. */
static bool limit_ok(const struct vmx_seg_state *g)
{
	if ((g->limit & 0xfff) != 0xfff && (g->ar & AR_G))
		return false;
	if ((g->limit & 0xfff00000u) && !(g->ar & AR_G))
		return false;
	return true;
}

static bool check_segments(const struct vmx_snapshot *s, bool ia32e, bool unrestricted, char *buf, size_t len)
{
	const struct vmx_seg_state *cs = &s->seg[VMX_SEG_CS], *ss = &s->seg[VMX_SEG_SS];
	const struct vmx_seg_state *tr = &s->seg[VMX_SEG_TR], *ldtr = &s->seg[VMX_SEG_LDTR];
	/* Selectors */
	if (tr->sel & 4)
		FAIL("guest TR selector %#x has TI set (SDM 3C 26.3.1.2)", tr->sel);
	if (!(ldtr->ar & AR_UNUSABLE) && (ldtr->sel & 4))
		FAIL("guest LDTR selector %#x has TI set (SDM 3C 26.3.1.2)", ldtr->sel);
	if (!unrestricted && (ss->sel & 3) != (cs->sel & 3))
		FAIL("guest SS.RPL %u differs from CS.RPL %u (SDM 3C 26.3.1.2)", ss->sel & 3, cs->sel & 3);
	/* Bases */
	if (!vmx_canonical(tr->base) || !vmx_canonical(s->seg[VMX_SEG_FS].base) || !vmx_canonical(s->seg[VMX_SEG_GS].base))
		FAIL("guest TR/FS/GS base not canonical (SDM 3C 26.3.1.2)");
	if (!(ldtr->ar & AR_UNUSABLE) && !vmx_canonical(ldtr->base))
		FAIL("guest LDTR base not canonical (SDM 3C 26.3.1.2)");
	if (cs->base >> 32)
		FAIL("guest CS base %#llx above 4 GiB (SDM 3C 26.3.1.2)", (unsigned long long)cs->base);
	static const int low[] = { VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_ES };
	for (int i = 0; i < 3; i++)
		if (!(s->seg[low[i]].ar & AR_UNUSABLE) && (s->seg[low[i]].base >> 32))
			FAIL("guest %s base above 4 GiB (SDM 3C 26.3.1.2)", seg_names[low[i]]);
	/* Access rights: CS */
	unsigned cst = AR_TYPE(cs->ar);
	if (!(cst == 9 || cst == 11 || cst == 13 || cst == 15 || (unrestricted && cst == 3)))
		FAIL("guest CS access rights %#x: type %u is not an accessed code segment (SDM 3C 26.3.1.2)", cs->ar, cst);
	if (!(cs->ar & AR_S))
		FAIL("guest CS access rights %#x: S (code/data) clear (SDM 3C 26.3.1.2)", cs->ar);
	if (cst == 3 && AR_DPL(cs->ar) != 0)
		FAIL("guest CS access rights %#x: DPL must be 0 for type 3 (SDM 3C 26.3.1.2)", cs->ar);
	if ((cst == 9 || cst == 11) && AR_DPL(cs->ar) != AR_DPL(ss->ar))
		FAIL("guest CS.DPL %u differs from SS.DPL %u for a non-conforming code segment (SDM 3C 26.3.1.2)",
		     AR_DPL(cs->ar), AR_DPL(ss->ar));
	if ((cst == 13 || cst == 15) && AR_DPL(cs->ar) > AR_DPL(ss->ar))
		FAIL("guest CS.DPL %u above SS.DPL %u for a conforming code segment (SDM 3C 26.3.1.2)", AR_DPL(cs->ar),
		     AR_DPL(ss->ar));
	if (!(cs->ar & AR_P))
		FAIL("guest CS access rights %#x: not present (SDM 3C 26.3.1.2)", cs->ar);
	if (cs->ar & AR_RESERVED)
		FAIL("guest CS access rights %#x: reserved bits set (SDM 3C 26.3.1.2)", cs->ar);
	if (ia32e && (cs->ar & AR_L) && (cs->ar & AR_DB))
		FAIL("guest CS access rights %#x: L and D both set in IA-32e mode (SDM 3C 26.3.1.2)", cs->ar);
	if (cs->ar & AR_UNUSABLE)
		FAIL("guest CS is unusable (SDM 3C 26.3.1.2)");
	/* SS */
	if (!(ss->ar & AR_UNUSABLE)) {
		unsigned t = AR_TYPE(ss->ar);
		if (t != 3 && t != 7)
			FAIL("guest SS access rights %#x: type %u is not a read/write data segment (SDM 3C 26.3.1.2)", ss->ar, t);
		if (!(ss->ar & AR_S) || !(ss->ar & AR_P))
			FAIL("guest SS access rights %#x: S or P clear (SDM 3C 26.3.1.2)", ss->ar);
		if (ss->ar & AR_RESERVED)
			FAIL("guest SS access rights %#x: reserved bits set (SDM 3C 26.3.1.2)", ss->ar);
	}
	if (!unrestricted && AR_DPL(ss->ar) != (ss->sel & 3u))
		FAIL("guest SS.DPL %u differs from SS.RPL %u (SDM 3C 26.3.1.2)", AR_DPL(ss->ar), ss->sel & 3u);
	if ((cst == 3 || !(s->cr0 & CR0_PE)) && AR_DPL(ss->ar) != 0)
		FAIL("guest SS.DPL must be 0 (SDM 3C 26.3.1.2)");
	/* DS, ES, FS, GS and the limits of every usable segment */
	static const int data[] = { VMX_SEG_DS, VMX_SEG_ES, VMX_SEG_FS, VMX_SEG_GS };
	for (int i = 0; i < 4; i++) {
		const struct vmx_seg_state *g = &s->seg[data[i]];
		const char *n = seg_names[data[i]];
		if (g->ar & AR_UNUSABLE)
			continue;
		unsigned t = AR_TYPE(g->ar);
		if (!(t & 1))
			FAIL("guest %s access rights %#x: type %u not accessed (SDM 3C 26.3.1.2)", n, g->ar, t);
		if ((t & 8) && !(t & 2))
			FAIL("guest %s access rights %#x: an unreadable code segment (SDM 3C 26.3.1.2)", n, g->ar);
		if (!(g->ar & AR_S) || !(g->ar & AR_P))
			FAIL("guest %s access rights %#x: S or P clear (SDM 3C 26.3.1.2)", n, g->ar);
		if (!unrestricted && t <= 11 && AR_DPL(g->ar) < (g->sel & 3u))
			FAIL("guest %s.DPL %u below its RPL %u (SDM 3C 26.3.1.2)", n, AR_DPL(g->ar), g->sel & 3u);
		if (g->ar & AR_RESERVED)
			FAIL("guest %s access rights %#x: reserved bits set (SDM 3C 26.3.1.2)", n, g->ar);
	}
	for (int i = 0; i < VMX_SEG_COUNT; i++)
		if (!(s->seg[i].ar & AR_UNUSABLE) && !limit_ok(&s->seg[i]))
			FAIL("guest %s limit %#x does not match its granularity bit (SDM 3C 26.3.1.2)", seg_names[i],
			     s->seg[i].limit);
	/* TR */
	unsigned trt = AR_TYPE(tr->ar);
	if (ia32e ? trt != 11 : (trt != 3 && trt != 11))
		FAIL("guest TR access rights %#x: type %u is not a busy %s TSS (SDM 3C 26.3.1.2)", tr->ar, trt,
		     ia32e ? "64-bit" : "16/32-bit");
	if ((tr->ar & AR_S) || !(tr->ar & AR_P) || (tr->ar & AR_UNUSABLE) || (tr->ar & AR_RESERVED))
		FAIL("guest TR access rights %#x: S set, not present, unusable or reserved bits (SDM 3C 26.3.1.2)", tr->ar);
	/* LDTR */
	if (!(ldtr->ar & AR_UNUSABLE) &&
	    (AR_TYPE(ldtr->ar) != 2 || (ldtr->ar & AR_S) || !(ldtr->ar & AR_P) || (ldtr->ar & AR_RESERVED)))
		FAIL("guest LDTR access rights %#x: a usable LDTR must be type 2, system, present (SDM 3C 26.3.1.2)", ldtr->ar);
	return false;
}

bool vmx_check_guest(const struct vmx_snapshot *s, char *buf, size_t len)
{
	const struct vmx_msrs *m = &s->caps;
	uint32_t proc2 = (s->proc & PROC_ACTIVATE_SECONDARY) ? s->proc2 : 0;
	bool unrestricted = proc2 & PROC2_UNRESTRICTED_GUEST;
	bool ia32e = s->entry & ENTRY_IA32E_MODE_GUEST;
	/* 26.3.1.1 */
	uint64_t fixed0 = m->cr0_fixed0 & ~(unrestricted ? (CR0_PE | CR0_PG) : 0);
	if ((s->cr0 & fixed0) != fixed0 || (s->cr0 & ~m->cr0_fixed1))
		FAIL("guest CR0 %#llx violates IA32_VMX_CR0_FIXED0/1 (%#llx/%#llx) (SDM 3C 26.3.1.1)",
		     (unsigned long long)s->cr0, (unsigned long long)m->cr0_fixed0, (unsigned long long)m->cr0_fixed1);
	if ((s->cr0 & CR0_PG) && !(s->cr0 & CR0_PE))
		FAIL("guest CR0 %#llx: PG without PE (SDM 3C 26.3.1.1)", (unsigned long long)s->cr0);
	if ((s->cr4 & m->cr4_fixed0) != m->cr4_fixed0 || (s->cr4 & ~m->cr4_fixed1))
		FAIL("guest CR4 %#llx violates IA32_VMX_CR4_FIXED0/1 (%#llx/%#llx)%s (SDM 3C 26.3.1.1)",
		     (unsigned long long)s->cr4, (unsigned long long)m->cr4_fixed0, (unsigned long long)m->cr4_fixed1,
		     (m->cr4_fixed0 & CR4_VMXE) && !(s->cr4 & CR4_VMXE) ? ": VMXE must be set" : "");
	if (s->entry & ENTRY_LOAD_DEBUG_CONTROLS) {
		if (s->debugctl & ~0xffc3ull)
			FAIL("guest IA32_DEBUGCTL %#llx has reserved bits set (SDM 3C 26.3.1.1)", (unsigned long long)s->debugctl);
		if (s->dr7 >> 32)
			FAIL("guest DR7 %#llx has bits 63:32 set (SDM 3C 26.3.1.1)", (unsigned long long)s->dr7);
	}
	if (ia32e && (!(s->cr0 & CR0_PG) || !(s->cr4 & CR4_PAE)))
		FAIL("IA-32e mode guest needs CR0.PG and CR4.PAE (CR0 %#llx CR4 %#llx) (SDM 3C 26.3.1.1)",
		     (unsigned long long)s->cr0, (unsigned long long)s->cr4);
	if (!ia32e && (s->cr4 & (1ull << 17)))
		FAIL("guest CR4.PCIDE outside IA-32e mode (SDM 3C 26.3.1.1)");
	if (above_phys(s->cr3, s->phys_bits))
		FAIL("guest CR3 %#llx has bits above the physical address width (SDM 3C 26.3.1.1)", (unsigned long long)s->cr3);
	if (!vmx_canonical(s->sysenter_esp) || !vmx_canonical(s->sysenter_eip))
		FAIL("guest IA32_SYSENTER_ESP/EIP not canonical (SDM 3C 26.3.1.1)");
	if ((s->entry & ENTRY_LOAD_IA32_PAT) && !pat_valid(s->pat))
		FAIL("guest IA32_PAT %#llx holds an invalid memory type (SDM 3C 26.3.1.1)", (unsigned long long)s->pat);
	if (s->entry & ENTRY_LOAD_IA32_EFER) {
		if (s->efer & ~(uint64_t)EFER_DEFINED)
			FAIL("guest IA32_EFER %#llx has reserved bits set (SDM 3C 26.3.1.1)", (unsigned long long)s->efer);
		if (!!(s->efer & EFER_LMA) != ia32e)
			FAIL("guest IA32_EFER.LMA (%#llx) does not match the IA-32e mode guest entry control (%u) (SDM 3C 26.3.1.1)",
			     (unsigned long long)s->efer, ia32e);
		if ((s->cr0 & CR0_PG) && !!(s->efer & EFER_LMA) != !!(s->efer & EFER_LME))
			FAIL("guest IA32_EFER %#llx: LME differs from LMA with paging on (SDM 3C 26.3.1.1)",
			     (unsigned long long)s->efer);
	}
	/* 26.3.1.2 */
	if (check_segments(s, ia32e, unrestricted, buf, len))
		return true;
	/* 26.3.1.3 */
	if (!vmx_canonical(s->gdtr_base) || !vmx_canonical(s->idtr_base))
		FAIL("guest GDTR/IDTR base not canonical (SDM 3C 26.3.1.3)");
	if ((s->gdtr_limit | s->idtr_limit) >> 16)
		FAIL("guest GDTR/IDTR limit above 0xffff (SDM 3C 26.3.1.3)");
	/* 26.3.1.4 */
	bool long_cs = ia32e && (s->seg[VMX_SEG_CS].ar & AR_L);
	if (long_cs ? !vmx_canonical(s->rip) : (s->rip >> 32) != 0)
		FAIL("guest RIP %#llx is not valid for the code segment's mode (SDM 3C 26.3.1.4)", (unsigned long long)s->rip);
	if ((s->rflags & ~0x3f7fd7ull) || !(s->rflags & 2))
		FAIL("guest RFLAGS %#llx: reserved bits set or bit 1 clear (SDM 3C 26.3.1.4)", (unsigned long long)s->rflags);
	if ((ia32e || !(s->cr0 & CR0_PE)) && (s->rflags & (1ull << 17)))
		FAIL("guest RFLAGS.VM set in IA-32e mode or real mode (SDM 3C 26.3.1.4)");
	bool inject_ext = (s->entry_intr_info & INTR_INFO_VALID) && INTR_INFO_TYPE(s->entry_intr_info) == INTR_TYPE_EXTERNAL;
	if (inject_ext && !(s->rflags & RFLAGS_IF))
		FAIL("injecting an external interrupt with guest RFLAGS.IF clear (SDM 3C 26.3.1.4)");
	/* 26.3.1.5 */
	if (s->activity > 3)
		FAIL("guest activity state %u is not 0..3 (SDM 3C 26.3.1.5)", s->activity);
	if (s->activity == 1 && AR_DPL(s->seg[VMX_SEG_SS].ar) != 0)
		FAIL("guest activity state HLT with SS.DPL %u (SDM 3C 26.3.1.5)", AR_DPL(s->seg[VMX_SEG_SS].ar));
	uint32_t is = s->interruptibility;
	if (is & ~0x1full)
		FAIL("guest interruptibility state %#x: reserved bits set (SDM 3C 26.3.1.5)", is);
	if ((is & INTERRUPTIBILITY_STI) && (is & INTERRUPTIBILITY_MOV_SS))
		FAIL("guest interruptibility: blocking by STI and by MOV SS both set (SDM 3C 26.3.1.5)");
	if ((is & INTERRUPTIBILITY_STI) && !(s->rflags & RFLAGS_IF))
		FAIL("guest interruptibility: blocking by STI with RFLAGS.IF clear (SDM 3C 26.3.1.5)");
	if ((is & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)) && s->activity != 0)
		FAIL("guest interruptibility: STI/MOV SS blocking needs the active state (SDM 3C 26.3.1.5)");
	if ((is & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)) && (s->entry_intr_info & INTR_INFO_VALID) &&
	    (INTR_TYPE_EXTERNAL == INTR_INFO_TYPE(s->entry_intr_info) || INTR_TYPE_NMI == INTR_INFO_TYPE(s->entry_intr_info)))
		FAIL("guest interruptibility: STI/MOV SS blocking while injecting an interrupt or NMI (SDM 3C 26.3.1.5)");
	if (s->pending_dbg & ~0x1500full)
		FAIL("guest pending debug exceptions %#llx: reserved bits set (SDM 3C 26.3.1.5)",
		     (unsigned long long)s->pending_dbg);
	bool btf = (s->debugctl & 2) != 0, tf = (s->rflags & RFLAGS_TF) != 0;
	if ((is & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)) || s->activity == 1) {
		if (tf && !btf && !(s->pending_dbg & PENDING_DBG_BS))
			FAIL("guest RFLAGS.TF with STI/MOV-SS blocking or HLT needs pending debug BS set (SDM 3C 26.3.1.5)");
		if ((!tf || btf) && (s->pending_dbg & PENDING_DBG_BS))
			FAIL("guest pending debug BS set with STI/MOV-SS blocking or HLT but no single step (SDM 3C 26.3.1.5)");
	}
	if (s->link_ptr != ~0ull)
		FAIL("VMCS link pointer %#llx is not FFFFFFFF_FFFFFFFFH (univisor uses no shadow VMCS) (SDM 3C 26.3.1.5)",
		     (unsigned long long)s->link_ptr);
	return false;
}
