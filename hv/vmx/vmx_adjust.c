/* hv/vmx/vmx_adjust.c: computes VMX control fields from the allowed-0/allowed-1 capability MSRs, naming what it cannot set. */
#include "hv/vmx/vmx.h"
#include "kernel/lib/format.h"
#include "include/abi/uv_errno.h"

/* The SDM's names of the control bits (SDM 3C tables 24-5 to 24-7, 24-13, 24-15). */
static const char *const pin_bits[32] = {
	[0] = "external-interrupt exiting", [3] = "NMI exiting", [5] = "virtual NMIs",
	[6] = "activate VMX-preemption timer", [7] = "process posted interrupts",
};
static const char *const proc_bits[32] = {
	[2] = "interrupt-window exiting", [3] = "use TSC offsetting", [7] = "HLT exiting",
	[9] = "INVLPG exiting", [10] = "MWAIT exiting", [11] = "RDPMC exiting", [12] = "RDTSC exiting",
	[15] = "CR3-load exiting", [16] = "CR3-store exiting", [17] = "activate tertiary controls",
	[19] = "CR8-load exiting", [20] = "CR8-store exiting", [21] = "use TPR shadow",
	[22] = "NMI-window exiting", [23] = "MOV-DR exiting", [24] = "unconditional I/O exiting",
	[25] = "use I/O bitmaps", [27] = "monitor trap flag", [28] = "use MSR bitmaps",
	[29] = "MONITOR exiting", [30] = "PAUSE exiting", [31] = "activate secondary controls",
};
static const char *const proc2_bits[32] = {
	[0] = "virtualize APIC accesses", [1] = "enable EPT", [2] = "descriptor-table exiting",
	[3] = "enable RDTSCP", [4] = "virtualize x2APIC mode", [5] = "enable VPID",
	[6] = "WBINVD exiting", [7] = "unrestricted guest", [8] = "APIC-register virtualization",
	[9] = "virtual-interrupt delivery", [10] = "PAUSE-loop exiting", [11] = "RDRAND exiting",
	[12] = "enable INVPCID", [13] = "enable VM functions", [14] = "VMCS shadowing",
	[15] = "enable ENCLS exiting", [16] = "RDSEED exiting", [17] = "enable PML",
	[18] = "EPT-violation #VE", [19] = "conceal VMX from PT", [20] = "enable XSAVES/XRSTORS",
	[22] = "mode-based execute control for EPT", [25] = "use TSC scaling",
};
static const char *const exit_bits[32] = {
	[2] = "save debug controls", [9] = "host address-space size",
	[12] = "load IA32_PERF_GLOBAL_CTRL", [15] = "acknowledge interrupt on exit",
	[18] = "save IA32_PAT", [19] = "load IA32_PAT", [20] = "save IA32_EFER",
	[21] = "load IA32_EFER", [22] = "save VMX-preemption timer value", [23] = "clear IA32_BNDCFGS",
};
static const char *const entry_bits[32] = {
	[2] = "load debug controls", [9] = "IA-32e mode guest", [10] = "entry to SMM",
	[11] = "deactivate dual-monitor treatment", [13] = "load IA32_PERF_GLOBAL_CTRL",
	[14] = "load IA32_PAT", [15] = "load IA32_EFER", [16] = "load IA32_BNDCFGS",
};

struct control {
	uint32_t msr, true_msr;
	const char *name, *msr_name; /* the MSR's name without IA32_VMX_ (or IA32_VMX_TRUE_) */
	const char *const *bits;
};
static const struct control controls[] = {
	{ MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS, "pin-based", "PINBASED_CTLS", pin_bits },
	{ MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS, "primary proc-based", "PROCBASED_CTLS",
	  proc_bits },
	{ MSR_IA32_VMX_PROCBASED_CTLS2, 0, "secondary proc-based", "PROCBASED_CTLS2", proc2_bits },
	{ MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS, "VM-exit", "EXIT_CTLS", exit_bits },
	{ MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS, "VM-entry", "ENTRY_CTLS", entry_bits },
};

static const struct control *find(uint32_t msr)
{
	for (size_t i = 0; i < sizeof(controls) / sizeof(controls[0]); i++)
		if (controls[i].msr == msr)
			return &controls[i];
	return 0;
}

/* True controls replace the default-1 classes when IA32_VMX_BASIC[55] is set (SDM 3C A.2). */
static bool use_true(const struct vmx_msrs *m, const struct control *c)
{
	return c->true_msr && (m->basic & VMX_BASIC_TRUE_CTLS);
}

uint64_t vmx_control_cap(const struct vmx_msrs *m, uint32_t msr)
{
	const struct control *c = find(msr);
	if (!c)
		return 0;
	bool t = use_true(m, c);
	switch (msr) {
	case MSR_IA32_VMX_PINBASED_CTLS: return t ? m->true_pinbased : m->pinbased;
	case MSR_IA32_VMX_PROCBASED_CTLS: return t ? m->true_procbased : m->procbased;
	case MSR_IA32_VMX_EXIT_CTLS: return t ? m->true_exit : m->exit;
	case MSR_IA32_VMX_ENTRY_CTLS: return t ? m->true_entry : m->entry;
	default: return m->procbased2;
	}
}

const char *vmx_control_name(uint32_t msr)
{
	const struct control *c = find(msr);
	return c ? c->name : "unknown";
}

const char *vmx_control_bit_name(uint32_t msr, unsigned bit)
{
	const struct control *c = find(msr);
	return c && bit < 32 ? c->bits[bit] : 0;
}

int vmx_adjust(const struct vmx_msrs *m, uint32_t msr, uint32_t want, uint32_t must, uint32_t *out,
	       char *why, size_t why_len)
{
	const struct control *c = find(msr);
	if (!c) {
		ksnprintf(why, why_len, "vmx: no control field has capability MSR %#x", msr);
		return -UV_EINVAL;
	}
	/* SDM 3C A.3-A.5, A.3.3: bit n may be 0 iff allowed-0[n] (low half) is 0; it may be 1
	 * iff allowed-1[n] (high half) is 1. */
	uint64_t cap = vmx_control_cap(m, msr);
	uint32_t allowed0 = (uint32_t)cap, allowed1 = (uint32_t)(cap >> 32);
	uint32_t missing = must & ~allowed1;
	if (missing) {
		unsigned bit = (unsigned)__builtin_ctz(missing);
		const char *name = c->bits[bit];
		ksnprintf(why, why_len, "vmx: cannot set %s control bit %u (%s): IA32_VMX_%s%s is %#llx", c->name, bit,
			  name ? name : "reserved", use_true(m, c) ? "TRUE_" : "", c->msr_name, (unsigned long long)cap);
		return -UV_ENOSYS;
	}
	*out = ((want | must) & allowed1) | allowed0;
	return 0;
}
