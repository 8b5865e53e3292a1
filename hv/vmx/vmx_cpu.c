/* hv/vmx/vmx_cpu.c: brings a CPU into VMX root operation, computes the controls, reports capabilities; checked VMCS access. */
#include "hv/vmx/vmx.h"
#include "hv/vmx/vmx_ops.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/mm/mm.h"
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"
#include "include/abi/uv_hypercall.h"
#include "kernel/arch/x86.h"
#include "kernel/arch/cpufeature.h"

struct vmx_model vmx_model;

static const char *fail_text(int r, char *buf, size_t len)
{
	if (r == VMX_FAIL_INVALID)
		return "VMfailInvalid (no current VMCS)";
	uint64_t e = 0;
	vmread_raw(VMCS_VM_INSTRUCTION_ERROR, &e);
	ksnprintf(buf, len, "VMfailValid, VM-instruction error %llu (%s)", (unsigned long long)e,
		  vmx_insn_error_name((uint32_t)e));
	return buf;
}

void vmx_access_failed(int write, uint32_t field, uint64_t value, int r)
{
	char b[96];
	if (write)
		panic("vmx: VMWRITE of %#llx to field %#x failed: %s", (unsigned long long)value, field,
		      fail_text(r, b, sizeof(b)));
	panic("vmx: VMREAD of field %#x failed: %s", field, fail_text(r, b, sizeof(b)));
}

/* VMREAD that returns 0 for a field the CPU lacks (for diagnostics). */
static uint64_t vmx_read_or_zero(uint32_t field)
{
	uint64_t v;
	return vmread_raw(field, &v) == VMX_OK ? v : 0;
}

void vmx_load_failed(uint64_t vmcs_pa, int r)
{
	char b[96];
	panic("vmx: VMPTRLD %#llx failed: %s", (unsigned long long)vmcs_pa, fail_text(r, b, sizeof(b)));
}

void vmx_load(struct vmx_vcpu *v)
{
	struct vmx_percpu *pc = vmx_this_cpu();
	if (pc->current != v)
		vmx_load_other(pc, v);
}

/* SDM 3C 23.7: VMXON needs IA32_FEATURE_CONTROL locked with "VMXON outside SMX" set. */
static int enable_feature_control(void)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (!(fc & FEATURE_CONTROL_LOCK)) {
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
		fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	}
	if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		kprintf("vmx: VMX is disabled by the firmware: IA32_FEATURE_CONTROL is locked (%#llx) without "
			"\"VMXON outside SMX\"; enable VT-x in the firmware setup\n", (unsigned long long)fc);
		return -UV_ENOSYS;
	}
	return 0;
}

/* Reads the capability MSRs in an order that never touches an absent one (SDM 3C A.1, A.3.3, A.10). */
static void read_msrs(struct vmx_msrs *m)
{
	memset(m, 0, sizeof(*m));
	m->basic = rdmsr(MSR_IA32_VMX_BASIC);
	m->pinbased = rdmsr(MSR_IA32_VMX_PINBASED_CTLS);
	m->procbased = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
	m->exit = rdmsr(MSR_IA32_VMX_EXIT_CTLS);
	m->entry = rdmsr(MSR_IA32_VMX_ENTRY_CTLS);
	m->misc = rdmsr(MSR_IA32_VMX_MISC);
	m->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	m->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	m->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	m->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	if (m->basic & VMX_BASIC_TRUE_CTLS) {
		m->true_pinbased = rdmsr(MSR_IA32_VMX_TRUE_PINBASED_CTLS);
		m->true_procbased = rdmsr(MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
		m->true_exit = rdmsr(MSR_IA32_VMX_TRUE_EXIT_CTLS);
		m->true_entry = rdmsr(MSR_IA32_VMX_TRUE_ENTRY_CTLS);
	}
	/* 0x48b exists iff "activate secondary controls" may be 1; 0x48c iff EPT or VPID may be 1. */
	if (m->procbased & ((uint64_t)PROC_ACTIVATE_SECONDARY << 32)) {
		m->procbased2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
		if (m->procbased2 & ((uint64_t)(PROC2_ENABLE_EPT | PROC2_ENABLE_VPID) << 32))
			m->ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	}
}

/* Every control through vmx_adjust, once per CPU; the message names what is missing. */
static int adjust_controls(void)
{
	struct vmx_model *c = &vmx_model;
	const struct vmx_msrs *m = &c->msrs;
	char why[192];
	int r = vmx_adjust(m, MSR_IA32_VMX_PINBASED_CTLS, 0, VMX_PIN_MUST, &c->pin, why, sizeof(why));
	if (!r)
		r = vmx_adjust(m, MSR_IA32_VMX_PROCBASED_CTLS, 0, VMX_PROC_MUST, &c->proc, why, sizeof(why));
	if (!r)
		r = vmx_adjust(m, MSR_IA32_VMX_PROCBASED_CTLS2, VMX_PROC2_WANT, VMX_PROC2_MUST, &c->proc2, why, sizeof(why));
	if (!r)
		r = vmx_adjust(m, MSR_IA32_VMX_EXIT_CTLS, 0, VMX_EXIT_MUST, &c->exit, why, sizeof(why));
	if (!r)
		r = vmx_adjust(m, MSR_IA32_VMX_ENTRY_CTLS, 0, VMX_ENTRY_MUST, &c->entry, why, sizeof(why));
	if (r) {
		kprintf("%s\n", why);
		return r;
	}
	c->vpid = (c->proc2 & PROC2_ENABLE_VPID) != 0;
	return 0;
}

/* EPT and VPID capabilities this backend relies on (SDM 3C A.10). */
static int check_ept(void)
{
	struct vmx_model *c = &vmx_model;
	uint64_t ev = c->msrs.ept_vpid;
	if (!(ev & VMX_EPT_WALK_4) || !(ev & (VMX_EPT_MEMTYPE_WB | VMX_EPT_MEMTYPE_UC))) {
		kprintf("vmx: EPT without a 4-level walk or a usable EPTP memory type (IA32_VMX_EPT_VPID_CAP %#llx)\n",
			(unsigned long long)ev);
		return -UV_ENOSYS;
	}
	if (!(ev & VMX_EPT_INVEPT) || !(ev & (VMX_EPT_INVEPT_SINGLE | VMX_EPT_INVEPT_ALL))) {
		kprintf("vmx: EPT without INVEPT: unmapping guest memory could not be made safe (IA32_VMX_EPT_VPID_CAP %#llx)\n",
			(unsigned long long)ev);
		return -UV_ENOSYS;
	}
	if (c->vpid && (!(ev & VMX_VPID_INVVPID) || !(ev & (VMX_VPID_INVVPID_SINGLE | VMX_VPID_INVVPID_ALL)))) {
		/* Tags we cannot flush are worse than none: run without VPID. */
		c->proc2 &= ~PROC2_ENABLE_VPID;
		c->vpid = false;
	}
	c->ept_wb = (ev & VMX_EPT_MEMTYPE_WB) != 0;
	c->execute_only = (ev & VMX_EPT_EXECUTE_ONLY) != 0;
	c->invept_single = (ev & VMX_EPT_INVEPT_SINGLE) != 0;
	c->invvpid_single = (ev & VMX_VPID_INVVPID_SINGLE) != 0;
	c->max_leaf_level = (ev & VMX_EPT_1G) ? 3 : (ev & VMX_EPT_2M) ? 2 : 1;
	return 0;
}

/* Allocates the pages every vCPU shares: I/O bitmaps A+B and the MSR bitmap, all ones (everything exits). */
static int alloc_bitmaps(void)
{
	if (vmx_model.io_bitmap_pa)
		return 0; /* another CPU made them */
	vmx_model.io_bitmap_pa = hv_all_ones(2 * PAGE_SIZE); /* SDM 3C 24.6.4 */
	vmx_model.msr_bitmap_pa = hv_all_ones(PAGE_SIZE);    /* SDM 3C 24.6.9 */
	if (!vmx_model.io_bitmap_pa || !vmx_model.msr_bitmap_pa) {
		kprintf("vmx: out of memory for the I/O and MSR bitmaps\n");
		return -UV_ENOMEM;
	}
	return 0;
}

/* SDM 3C 23.8: CR0/CR4 fixed bits, CR4.VMXE, then VMXON with the revision id. */
static int vmxon_cpu(struct vmx_percpu *p)
{
	const struct vmx_msrs *m = &vmx_model.msrs;
	uint64_t cr0 = (read_cr0() | m->cr0_fixed0) & m->cr0_fixed1;
	uint64_t cr4 = (read_cr4() | m->cr4_fixed0 | CR4_VMXE) & m->cr4_fixed1;
	write_cr0(cr0);
	write_cr4(cr4);
	uint64_t pa = kalloc_pages(1, 1);
	if (!pa) {
		kprintf("vmx: out of memory for the VMXON region\n");
		return -UV_ENOMEM;
	}
	*(uint32_t *)(uintptr_t)pa = VMX_BASIC_REVISION(m->basic);
	int r = vmxon(pa);
	if (r) {
		kprintf("vmx: VMXON failed (%s) with CR0 %#llx CR4 %#llx\n",
			r == VMX_FAIL_INVALID ? "VMfailInvalid" : "VMfailValid: already in VMX operation?",
			(unsigned long long)cr0, (unsigned long long)cr4);
		kfree_pages(pa, 1);
		return -UV_ENOSYS;
	}
	p->vmxon_pa = pa;
	return 0;
}

static void print_summary(void)
{
	const struct vmx_model *c = &vmx_model;
	kprintf("vmx: VMX revision %#x%s, EPT 4-level %s%s%s, INVEPT %s, %s%s, "
		"unrestricted guest %s, MAXPHYADDR %u; EPT leaves ignore the guest PAT, WBINVD exits\n",
		VMX_BASIC_REVISION(c->msrs.basic), (c->msrs.basic & VMX_BASIC_TRUE_CTLS) ? " (true controls)" : "",
		c->ept_wb ? "WB" : "UC", c->max_leaf_level >= 2 ? " 2M" : "", c->max_leaf_level >= 3 ? " 1G" : "",
		c->invept_single ? "single-context" : "all-context", c->vpid ? "VPID with INVVPID " : "no VPID",
		c->vpid ? (c->invvpid_single ? "single-context" : "all-context") : "",
		c->unrestricted_guest ? "yes" : "no",
		c->phys_bits);
}

int vmx_cpu_init(struct hv_caps *caps, struct hv_percpu *cpu)
{
	uint32_t a, b, cx, d; /* (hv.c picked this backend by CPUID.1:ECX.VMX, SDM 3C 23.6) */
	vmx_model.phys_bits = cpuid_leaf(0x80000008, &a, &b, &cx, &d) ? a & 0xff : 36;
	int r = enable_feature_control();
	if (r)
		return r;
	read_msrs(&vmx_model.msrs);
	const struct vmx_msrs *m = &vmx_model.msrs;
	/* SDM 3C A.1: the VMCS fits a page, is accessed write-back, and may sit above 4 GiB. */
	if (VMX_BASIC_VMCS_SIZE(m->basic) > PAGE_SIZE || VMX_BASIC_MEMTYPE(m->basic) != 6 ||
	    (m->basic & VMX_BASIC_32BIT_ADDRESSES)) {
		kprintf("vmx: unsupported IA32_VMX_BASIC %#llx (VMCS size, memory type or 32-bit addresses)\n",
			(unsigned long long)m->basic);
		return -UV_ENOSYS;
	}
	struct vmx_percpu *p = kalloc_page();
	if (!p) {
		kprintf("vmx: out of memory for the per-CPU state\n");
		return -UV_ENOMEM;
	}
	cpu->backend = p;
	if ((r = adjust_controls()) || (r = check_ept()) || (r = alloc_bitmaps()) || (r = vmxon_cpu(p)))
		return r;
	cpu->npt_format = ept_format(vmx_model.max_leaf_level);
	vmx_model.unrestricted_guest = (m->procbased2 >> 32) & PROC2_UNRESTRICTED_GUEST;
	caps->vendor = HV_VENDOR_VMX;
	caps->hc_insn = UV_HC_INSN_VMCALL;
	/* Slices end by the kernel's LAPIC timer, as on SVM (hv.h hv_caps): its interrupt exits
	 * whatever the guest's RFLAGS.IF (external-interrupt exiting, SDM 3C 25.2) and, pending
	 * while the kernel runs a call, makes the next VM entry exit at once (only blocking by
	 * STI or MOV SS would delay it, 26.6.1: complete_insn clears both). The VMX-preemption
	 * timer would count the guest's time only: it would need a TSC read at each call for
	 * the kernel's share and a VMWRITE at each app switch for the new slice. */
	caps->rdtscp = (vmx_model.proc2 & PROC2_ENABLE_RDTSCP) != 0; /* RDTSCP and RDPID, else #UD (SDM 3C 25.3) */
	print_summary();
	return 0;
}

/* Each VMCS field of a snapshot and where it lives in struct vmx_snapshot: one table
 * for reading a snapshot (diagnostics) and for writing a new vCPU's guest state. */
struct snap_field {
	uint32_t field;
	uint16_t off;
	uint8_t size;
};
#define SF(f, m) { f, offsetof(struct vmx_snapshot, m), sizeof(((struct vmx_snapshot *)0)->m) }
#define SEG(i) SF(VMCS_GUEST_SELECTOR(i), seg[i].sel), SF(VMCS_GUEST_BASE(i), seg[i].base), \
	SF(VMCS_GUEST_LIMIT(i), seg[i].limit), SF(VMCS_GUEST_AR(i), seg[i].ar)
/* The guest-state area (SDM 3C 24.4), in the order a new vCPU's is written. */
static const struct snap_field guest_fields[] = {
	SF(VMCS_GUEST_CR0, cr0), SF(VMCS_GUEST_CR4, cr4), SF(VMCS_GUEST_CR3, cr3), SF(VMCS_GUEST_DR7, dr7),
	SF(VMCS_GUEST_RSP, rsp), SF(VMCS_GUEST_RIP, rip), SF(VMCS_GUEST_RFLAGS, rflags),
	SEG(0), SEG(1), SEG(2), SEG(3), SEG(4), SEG(5), SEG(6), SEG(7),
	SF(VMCS_GUEST_GDTR_BASE, gdtr_base), SF(VMCS_GUEST_GDTR_LIMIT, gdtr_limit),
	SF(VMCS_GUEST_IDTR_BASE, idtr_base), SF(VMCS_GUEST_IDTR_LIMIT, idtr_limit),
	SF(VMCS_GUEST_IA32_DEBUGCTL, debugctl), SF(VMCS_GUEST_IA32_PAT, pat), SF(VMCS_GUEST_IA32_EFER, efer),
	SF(VMCS_GUEST_SYSENTER_ESP, sysenter_esp), SF(VMCS_GUEST_SYSENTER_EIP, sysenter_eip),
	SF(VMCS_GUEST_INTERRUPTIBILITY, interruptibility), SF(VMCS_GUEST_ACTIVITY_STATE, activity),
	SF(VMCS_GUEST_PENDING_DBG_EXCEPTIONS, pending_dbg), SF(VMCS_LINK_POINTER, link_ptr),
};
_Static_assert(VMX_SEG_COUNT == 8, "SEG(0..7): ES CS SS DS FS GS LDTR TR");
/* The controls and the host-state area (SDM 3C 24.5-24.8), read for the entry checks. */
static const struct snap_field other_fields[] = {
	SF(VMCS_PIN_BASED_CTLS, pin), SF(VMCS_PROC_BASED_CTLS, proc), SF(VMCS_PROC_BASED_CTLS2, proc2),
	SF(VMCS_EXIT_CTLS, exit), SF(VMCS_ENTRY_CTLS, entry), SF(VMCS_ENTRY_INTR_INFO, entry_intr_info),
	SF(VMCS_ENTRY_EXCEPTION_ERROR_CODE, entry_error_code), SF(VMCS_ENTRY_INSTRUCTION_LEN, entry_insn_len),
	SF(VMCS_CR3_TARGET_COUNT, cr3_target_count), SF(VMCS_EXIT_MSR_STORE_COUNT, exit_msr_store_count),
	SF(VMCS_EXIT_MSR_LOAD_COUNT, exit_msr_load_count), SF(VMCS_ENTRY_MSR_LOAD_COUNT, entry_msr_load_count),
	SF(VMCS_IO_BITMAP_A, io_bitmap_a), SF(VMCS_IO_BITMAP_B, io_bitmap_b), SF(VMCS_MSR_BITMAP, msr_bitmap),
	SF(VMCS_EPT_POINTER, eptp), SF(VMCS_VPID, vpid),
	SF(VMCS_HOST_CR0, host_cr0), SF(VMCS_HOST_CR3, host_cr3), SF(VMCS_HOST_CR4, host_cr4),
	SF(VMCS_HOST_RSP, host_rsp), SF(VMCS_HOST_RIP, host_rip),
	SF(VMCS_HOST_ES_SELECTOR, host_sel[0]), SF(VMCS_HOST_ES_SELECTOR + 2, host_sel[1]),
	SF(VMCS_HOST_ES_SELECTOR + 4, host_sel[2]), SF(VMCS_HOST_ES_SELECTOR + 6, host_sel[3]),
	SF(VMCS_HOST_ES_SELECTOR + 8, host_sel[4]), SF(VMCS_HOST_ES_SELECTOR + 10, host_sel[5]),
	SF(VMCS_HOST_ES_SELECTOR + 12, host_sel[6]),
	SF(VMCS_HOST_FS_BASE, host_fs_base), SF(VMCS_HOST_GS_BASE, host_gs_base), SF(VMCS_HOST_TR_BASE, host_tr_base),
	SF(VMCS_HOST_GDTR_BASE, host_gdtr_base), SF(VMCS_HOST_IDTR_BASE, host_idtr_base),
	SF(VMCS_HOST_SYSENTER_ESP, host_sysenter_esp), SF(VMCS_HOST_SYSENTER_EIP, host_sysenter_eip),
	SF(VMCS_HOST_IA32_EFER, host_efer), SF(VMCS_HOST_IA32_PAT, host_pat),
};
#undef SEG
#undef SF

static void snap_read(struct vmx_snapshot *s, const struct snap_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v = vmx_read_or_zero(f[i].field);
		memcpy((uint8_t *)s + f[i].off, &v, f[i].size); /* little-endian: the low bytes */
	}
}

void vmx_snapshot_read(struct vmx_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->caps = vmx_model.msrs;
	s->phys_bits = vmx_model.phys_bits;
	snap_read(s, other_fields, sizeof(other_fields) / sizeof(other_fields[0]));
	snap_read(s, guest_fields, sizeof(guest_fields) / sizeof(guest_fields[0]));
}

void vmx_write_guest_state(const struct vmx_snapshot *s)
{
	for (size_t i = 0; i < sizeof(guest_fields) / sizeof(guest_fields[0]); i++) {
		uint64_t v = 0;
		memcpy(&v, (const uint8_t *)s + guest_fields[i].off, guest_fields[i].size);
		vmx_write(guest_fields[i].field, v);
	}
	vmx_write(VMCS_GUEST_SYSENTER_CS, 0); /* not in the snapshot: always 0 */
}
