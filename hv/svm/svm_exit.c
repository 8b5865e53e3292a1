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


const char *svm_unsupported_name(uint64_t code)
{
	if (code >= SVM_EXIT_CR0_WRITE && code <= SVM_EXIT_CR15_WRITE)
		return cr_write_names[code - SVM_EXIT_CR0_WRITE];
	if (code >= SVM_EXIT_DR0_READ && code <= SVM_EXIT_DR15_WRITE)
		return dr_access_name(code);
	return instruction_name(code);
}
