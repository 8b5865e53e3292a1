/* hv/vmx/vmx_exit.c: decodes a VMX exit (reason, qualification, event info) into the vendor-neutral struct hv_exit. */
#include "hv/vmx/vmx.h"
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"

/* Control-register accesses that reach us: we own every CR0/CR4 bit and CR8 (SDM 3C 25.1.3). */
static const char *cr_access_name(uint64_t qual)
{
	switch (CR_QUAL_TYPE(qual)) {
	case CR_TYPE_MOV_TO: return hv_cr_write_name((unsigned)CR_QUAL_CR(qual));
	case CR_TYPE_MOV_FROM: /* only reads of CR3 and CR8 exit (CR3-/CR8-store exiting, SDM 3C 25.1.3) */
		return CR_QUAL_CR(qual) == 3 ? "mov from CR3" : "mov from CR8";
	case CR_TYPE_CLTS: return "CLTS";
	case CR_TYPE_LMSW: return "LMSW";
	}
	return "control-register access";
}

/* The name of an instruction/event that is UNSUPPORTED, for an exit reason (+ qualification). */
static const char *unsupported_name(uint32_t r, uint64_t qual)
{
	if (r == EXIT_REASON_CR_ACCESS)
		return cr_access_name(qual);
	if (r == EXIT_REASON_DR_ACCESS) /* every MOV DR exits ("MOV-DR exiting", SDM 3C 25.1.3) */
		return hv_dr_access_name(!(qual & DR_QUAL_FROM), DR_QUAL_DR(qual));
	return vmx_exit_reason_name(r);
}

/* SDM 3C 27.2.1 table 27-7: bits 2:0 say which access caused an EPT violation, as PROT_* does. */
_Static_assert(EPT_QUAL_READ == PROT_R && EPT_QUAL_WRITE == PROT_W && EPT_QUAL_FETCH == PROT_X,
	       "EPT-violation access bits are PROT_R/W/X");

enum vmx_action vmx_decode_exit(const struct vmx_exit_info *in, const struct hv_vcpu *v, struct hv_exit *e,
				char *text, size_t text_len)
{
	uint32_t r = EXIT_REASON_BASIC(in->reason);
	*e = (struct hv_exit){ .rip = in->rip, .vendor_code = in->reason }; /* stores, not a byte loop */
	if (in->reason == EXIT_REASON_VMCALL) {
		hv_hypercall_exit(v, e);
		return VMX_ACT_REPORT_ADVANCE;
	}
	if (in->reason & EXIT_REASON_ENTRY_FAILURE) {
		/* SDM 3C 26.7: reasons 33, 34, 41 with bit 31 set; vmx_run names the check. */
		e->reason = HV_EXIT_INVALID_STATE;
		e->invalid.error = r;
		return VMX_ACT_ENTRY_FAILED;
	}
	switch (r) {
	case EXIT_REASON_EXCEPTION_NMI: {
		/* SDM 3C 27.2.2: VM-exit interruption information. */
		uint32_t info = in->intr_info;
		if (INTR_INFO_TYPE(info) == INTR_TYPE_NMI) {
			e->reason = HV_EXIT_INTERRUPT;
			return VMX_ACT_NMI;
		}
		if (INTR_INFO_TYPE(info) == INTR_TYPE_PRIV_SW_EXCEPTION) {
			/* ICEBP (INT1, f1) reaches the #DB bit of the exception bitmap; it is an
			 * instruction apps may not use, as on SVM (which intercepts it). */
			e->reason = HV_EXIT_UNSUPPORTED;
			e->unsupported.insn = "ICEBP (INT1)";
			return VMX_ACT_REPORT;
		}
		e->reason = HV_EXIT_EXCEPTION;
		e->exception.vector = (uint8_t)INTR_INFO_VECTOR(info);
		e->exception.has_error_code = (info & INTR_INFO_ERROR_CODE) != 0;
		e->exception.error_code = e->exception.has_error_code ? in->intr_error : 0;
		if (e->exception.vector == EXC_PF) /* 27.2.1: the linear address of a #PF; CR2 is unchanged */
			e->exception.cr2 = in->qual;
		return VMX_ACT_REPORT;
	}
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		e->reason = HV_EXIT_INTERRUPT;
		return VMX_ACT_REPORT;
	case EXIT_REASON_TRIPLE_FAULT:
		e->reason = HV_EXIT_UNRECOVERABLE;
		return VMX_ACT_REPORT;
	case EXIT_REASON_CPUID:
		hv_cpuid_exit(v, e);
		return VMX_ACT_REPORT_ADVANCE;
	case EXIT_REASON_HLT:
		e->reason = HV_EXIT_HALT;
		return VMX_ACT_REPORT_ADVANCE;
	case EXIT_REASON_IO_INSTRUCTION:
		e->reason = HV_EXIT_IO_PORT;
		e->io.port = IO_QUAL_PORT(in->qual);
		e->io.size = (uint8_t)IO_QUAL_SIZE(in->qual);
		e->io.write = !(in->qual & IO_QUAL_IN);
		e->io.string = (in->qual & IO_QUAL_STRING) != 0;
		e->io.rep = (in->qual & IO_QUAL_REP) != 0;
		return VMX_ACT_REPORT;
	case EXIT_REASON_RDMSR:
	case EXIT_REASON_WRMSR:
		hv_msr_exit(v, r == EXIT_REASON_WRMSR, e);
		return VMX_ACT_REPORT;
	case EXIT_REASON_EPT_VIOLATION:
		e->reason = HV_EXIT_MEMORY_ACCESS;
		e->mem.gpa = in->gpa;
		e->mem.access = (unsigned)in->qual & PROT_RWX;
		e->mem.gla_valid = (in->qual & EPT_QUAL_GLA_VALID) != 0;
		e->mem.gla = e->mem.gla_valid ? in->gla : 0;
		return VMX_ACT_REPORT;
	case EXIT_REASON_EPT_MISCONFIG:
		e->reason = HV_EXIT_MEMORY_ACCESS;
		e->mem.gpa = in->gpa;
		e->mem.misconfig = true;
		return VMX_ACT_REPORT;
	case EXIT_REASON_XSETBV:
		/* Finished inside the backend (vmx_run.c); never reported. */
		return VMX_ACT_XSETBV;
	default:
		e->reason = HV_EXIT_UNSUPPORTED;
		e->unsupported.insn = unsupported_name(r, in->qual);
		if (!e->unsupported.insn) {
			ksnprintf(text, text_len, "VMX exit reason %u", r);
			e->unsupported.insn = text;
		}
		return VMX_ACT_REPORT;
	}
}
