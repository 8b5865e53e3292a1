/* hv/svm/svm_exit.c: names for SVM exits the kernel refuses and for a failed VMRUN (pure). */
#include "hv/svm/svm.h"
#include "kernel/arch/x86.h"

/* Names the likely cause of VMEXIT_INVALID: the consistency checks of APM2 15.5.1. */
const char *svm_invalid_check(const struct vmcb *v)
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

/* The intercepted instructions and events the kernel refuses, by exit code (APM2 appendix C). */
static const char *const instruction_names[] = {
	[0x065] = "write to CR0 (LMSW/CLTS)",
	[0x06f] = "RDPMC",
	[0x073] = "RSM",
	[0x076] = "INVD",
	[0x07a] = "INVLPGA",
	[0x07d] = "task switch",
	[0x07e] = "FERR freeze",
	[0x080] = "VMRUN",
	[0x082] = "VMLOAD",
	[0x083] = "VMSAVE",
	[0x084] = "STGI",
	[0x085] = "CLGI",
	[0x086] = "SKINIT",
	[0x088] = "ICEBP (INT1)",
	[0x089] = "WBINVD",
	[0x08a] = "MONITOR",
	[0x08b] = "MWAIT",
	[0x08c] = "MWAIT",
	[0x08e] = "RDPRU",
	[0x0a0] = "INVLPGB",
	[0x0a1] = "INVLPGB",
	[0x0a2] = "INVPCID",
	[0x0a3] = "MCOMMIT",
	[0x0a4] = "TLBSYNC",
};

const char *svm_unsupported_name(uint64_t code)
{
	if (code >= SVM_EXIT_CR0_WRITE && code <= SVM_EXIT_CR15_WRITE)
		return hv_cr_write_name((unsigned)(code - SVM_EXIT_CR0_WRITE));
	if (code >= SVM_EXIT_DR0_READ && code <= SVM_EXIT_DR15_WRITE) { /* exit codes 0x20-0x3f (APM2 15.12.2) */
		bool write = code >= SVM_EXIT_DR0_WRITE;
		return hv_dr_access_name(write, (unsigned)(code - (write ? SVM_EXIT_DR0_WRITE : SVM_EXIT_DR0_READ)));
	}
	return code < sizeof(instruction_names) / sizeof(instruction_names[0]) ? instruction_names[code] : 0;
}
