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

static const char *instruction_name(uint64_t code)
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

const char *svm_unsupported_name(uint64_t code)
{
	if (code >= SVM_EXIT_CR0_WRITE && code <= SVM_EXIT_CR15_WRITE)
		return hv_cr_write_name((unsigned)(code - SVM_EXIT_CR0_WRITE));
	if (code >= SVM_EXIT_DR0_READ && code <= SVM_EXIT_DR15_WRITE) { /* exit codes 0x20-0x3f (APM2 15.12.2) */
		bool write = code >= SVM_EXIT_DR0_WRITE;
		return hv_dr_access_name(write, (unsigned)(code - (write ? SVM_EXIT_DR0_WRITE : SVM_EXIT_DR0_READ)));
	}
	return instruction_name(code);
}
