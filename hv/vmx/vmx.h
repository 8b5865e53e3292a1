/* hv/vmx/vmx.h: the VMX backend's internal types and functions, shared by the files of hv/vmx only. */
#ifndef HV_VMX_VMX_H
#define HV_VMX_VMX_H

#include "hv/gprs_asm.h"
/* Right after the vCPU's struct hv_gprs (G_END; vmx_entry.S uses these): the HOST_RSP last
 * written to its VMCS, and whether the VMCS is launched (VMRESUME enters it). */
#define VMX_HOST_RSP G_END
#define VMX_LAUNCHED (G_END + 8)

/* Results of a VMX instruction (SDM 3C 30.2): CF=1 is VMfailInvalid, ZF=1 VMfailValid. */
#define VMX_OK 0
#define VMX_FAIL_INVALID 1
#define VMX_FAIL_VALID 2

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hv/hv_backend.h"
#include "kernel/mm/pt.h"
#include "hv/vmx/vmx_fields.h"

/* The capability MSRs, read once by vmx_cpu_init (SDM 3C appendix A). Absent ones are 0. */
struct vmx_msrs {
	uint64_t basic, misc, ept_vpid;
	uint64_t pinbased, procbased, exit, entry, procbased2;
	uint64_t true_pinbased, true_procbased, true_exit, true_entry;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

/*
 * What the backend asks of each control (vmx_model.c): MUST bits or no VMX at all, WANT
 * bits when offered. Everything that could reach host state exits: interrupts, NMIs,
 * HLT, MWAIT/MONITOR, RDPMC, CR8 (the real TPR), debug registers, all I/O ports and
 * MSRs (bitmaps all ones), WBINVD (a guest must not flush the host's caches); EPT, VPID
 * and RDTSCP (with a TSC_AUX per vCPU, switched by hv.c) are enabled; ENCLS/ENCLV exit
 * where SGX exists (the enclave page cache is the host's); EFER and PAT
 * are switched on entry and exit; the guest is 64-bit. No VMX-preemption timer: the
 * kernel's LAPIC timer ends slices (vmx_cpu_init). Acknowledge-interrupt-on-exit stays
 * off: the host takes the interrupt through its IDT once it enables interrupts.
 */
#define VMX_PIN_MUST (PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING)
#define VMX_PROC_MUST                                                                                   \
	(PROC_USE_TSC_OFFSETTING | PROC_HLT_EXITING | PROC_MWAIT_EXITING | PROC_RDPMC_EXITING |          \
	 PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING | PROC_MOV_DR_EXITING | PROC_USE_IO_BITMAPS |   \
	 PROC_USE_MSR_BITMAPS | PROC_MONITOR_EXITING | PROC_ACTIVATE_SECONDARY)
#define VMX_PROC2_MUST (PROC2_ENABLE_EPT | PROC2_WBINVD_EXITING)
#define VMX_PROC2_WANT (PROC2_ENABLE_VPID | PROC2_ENABLE_RDTSCP | PROC2_ENCLS_EXITING | PROC2_ENCLV_EXITING)
#define VMX_EXIT_MUST                                                                                   \
	(EXIT_HOST_ADDRESS_SPACE_SIZE | EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT | EXIT_SAVE_IA32_EFER |   \
	 EXIT_LOAD_IA32_EFER)
#define VMX_ENTRY_MUST (ENTRY_IA32E_MODE_GUEST | ENTRY_LOAD_IA32_PAT | ENTRY_LOAD_IA32_EFER)

/* ---- vmx_adjust.c (pure) ---- */
/*
 * Computes a VM-execution/exit/entry control from its capability MSR (msr is the
 * non-true one: 0x481-0x484 or 0x48b; the true MSR is used when IA32_VMX_BASIC[55]):
 * bits the CPU requires are set, `want` bits are set where allowed, and a `must` bit
 * that cannot be set fails with -UV_ENOSYS and a message naming the control and bit.
 */
int vmx_adjust(const struct vmx_msrs *m, uint32_t msr, uint32_t want, uint32_t must, uint32_t *out,
	       char *why, size_t why_len);
/* The capability value (allowed-0 low, allowed-1 high) vmx_adjust uses for msr. */
uint64_t vmx_control_cap(const struct vmx_msrs *m, uint32_t msr);
/* "pin-based", "primary proc-based", ...; and the SDM's name of one bit (or NULL). */
const char *vmx_control_name(uint32_t msr);
const char *vmx_control_bit_name(uint32_t msr, unsigned bit);

/* ---- vmx_names.c (pure) ---- */
const char *vmx_exit_reason_name(uint32_t basic_reason);  /* NULL when unknown */
const char *vmx_insn_error_name(uint32_t error);          /* SDM 3C 30.4 */

/* ---- ept.c (pure) ---- */
/* The EPT entry format for kernel/mm/pt.c with leaves up to max_leaf_level (1, 2 or 3). */
const struct pt_format *ept_format(int max_leaf_level);
/* The EPTP for a PML4 at root: 4-level walk, WB when wb else UC (SDM 3C 24.6.11). */
uint64_t ept_eptp(uint64_t root, bool wb);
/* 0 if prot (HV_PROT_*) is a valid EPT permission: not empty, no W without R, and X-only
 * only with execute_only (SDM 3C 28.3.3.1: otherwise a misconfiguration). */
int ept_check_prot(unsigned prot, bool execute_only);

/* ---- vmx_vpid.c (pure) ---- */
#define VMX_VPID_MAX 65535
/* VPIDs 1..VMX_VPID_MAX (0 is the host's): 0 when all are taken. */
uint16_t vmx_vpid_alloc(void);
void vmx_vpid_free(uint16_t vpid);

/* ---- vmx_exit.c (pure) ---- */
/* What the CPU reported for one exit, read from the VMCS by vmx_run.c. */
struct vmx_exit_info {
	uint32_t reason;         /* full exit reason (bit 31: entry failure) */
	uint64_t qual;           /* exit qualification */
	uint32_t intr_info, intr_error;
	uint64_t gpa, gla;       /* EPT exits */
	uint64_t rip;
};
/* What vmx_run must do after decoding. */
enum vmx_action {
	VMX_ACT_REPORT,          /* return *exit to the caller */
	VMX_ACT_REPORT_ADVANCE,  /* advance RIP by insn_len, then return *exit */
	VMX_ACT_XSETBV,          /* handle inside: hv_guest_xsetbv */
	VMX_ACT_NMI,             /* a host NMI arrived: hand it to the host, report INTERRUPT */
	VMX_ACT_ENTRY_FAILED,    /* fill exit->invalid with the failing check */
};
/* Turns one exit into the vendor-neutral struct hv_exit (SDM 3C ch. 27, appendix C); v's
 * registers are the operands. text receives the words for an unknown exit reason; exit may
 * point into it. */
enum vmx_action vmx_decode_exit(const struct vmx_exit_info *in, const struct hv_vcpu *v, struct hv_exit *exit,
				char *text, size_t text_len);

/* ---- vmx_check.c (pure) ---- */
struct vmx_seg_state {
	uint16_t sel;
	uint32_t limit, ar;
	uint64_t base;
};
/* The VMCS fields the VM-entry checks look at (SDM 3C 26.2-26.3). */
struct vmx_snapshot {
	struct vmx_msrs caps;
	unsigned phys_bits;        /* MAXPHYADDR */
	/* controls */
	uint32_t pin, proc, proc2, exit, entry;
	uint32_t entry_intr_info, entry_error_code, entry_insn_len, cr3_target_count;
	uint32_t exit_msr_store_count, exit_msr_load_count, entry_msr_load_count;
	uint64_t io_bitmap_a, io_bitmap_b, msr_bitmap, eptp;
	uint16_t vpid;
	/* host state */
	uint64_t host_cr0, host_cr3, host_cr4, host_rsp, host_rip;
	uint16_t host_sel[7];      /* ES CS SS DS FS GS TR */
	uint64_t host_fs_base, host_gs_base, host_tr_base, host_gdtr_base, host_idtr_base;
	uint64_t host_sysenter_esp, host_sysenter_eip, host_efer, host_pat;
	/* guest state */
	uint64_t cr0, cr3, cr4, dr7, rsp, rip, rflags, debugctl, efer, pat, link_ptr, pending_dbg;
	uint64_t sysenter_esp, sysenter_eip;
	struct vmx_seg_state seg[VMX_SEG_COUNT];
	uint64_t gdtr_base, idtr_base;
	uint32_t gdtr_limit, idtr_limit, interruptibility, activity;
};
/* ---- vmx_state.c (pure) ---- */
#define VMX_RFLAGS_DEFINED 0x3f7fd7ull /* RFLAGS bits that are not reserved (SDM 3C 26.3.1.4) */
#define VMX_RFLAGS_VM (1ull << 17)
/* Fills the guest-state part of s (zeroed but for s->caps, which must be set) for a new
 * vCPU from setup and the initial CR0/CR4/EFER, adding the VMX fixed bits. */
void vmx_guest_init(struct vmx_snapshot *s, const struct hv_vcpu_setup *setup, uint64_t cr0, uint64_t cr4, uint64_t efer);
/* The interruptibility state after the kernel completed the instruction that exited:
 * blocking by STI and by MOV SS covered that instruction only (SDM 3C 24.4.2). */
static inline uint32_t vmx_interruptibility_after_insn(uint32_t interruptibility)
{
	return interruptibility & ~(uint32_t)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS);
}
/* The pending debug exceptions to enter with when passing on a #DB: a #DB exit leaves
 * BS clear, yet RFLAGS.TF under STI/MOV-SS blocking requires it (SDM 3C 26.3.1.5). */
uint64_t vmx_pending_dbg_for_db(uint64_t pending, uint64_t rflags, uint32_t interruptibility);

/* A 48-bit canonical linear address (bits 63:47 equal). */
bool vmx_canonical(uint64_t a);
/* The hardware exceptions VM entry delivers with an error code (SDM 3C 26.2.1.3: 8, 10-14,
 * 17, 21; not AMD's 29 and 30, which kernel/arch/x86.h's exc_has_error_code adds). */
bool vmx_exc_has_error_code(unsigned vector);
/* Each returns true with the first failing check, in words with its SDM section, in buf. */
bool vmx_check_controls(const struct vmx_snapshot *s, char *buf, size_t len);
bool vmx_check_host(const struct vmx_snapshot *s, char *buf, size_t len);
bool vmx_check_guest(const struct vmx_snapshot *s, char *buf, size_t len);

#ifndef UV_HOST
/* ---- Kernel-only parts ---- */
struct vmx_vm {
	struct hv_vm common;
	uint64_t eptp;
	uint16_t vpid;     /* 0 when the CPU has no VPID */
};

struct vmx_vcpu {
	struct hv_vcpu common;
	uint64_t host_rsp;        /* vmx_entry.S skips the VMWRITE when the stack is where it was */
	uint64_t launched;        /* nonzero once an entry succeeded (SDM 2 VMLAUNCH): VMRESUME from then on */
	uint64_t cr2;             /* not in the VMCS: switched by vmx_run */
	uint64_t kernel_gs_base;  /* SWAPGS reaches it: switched lazily by vmx_run */
	uint64_t vmcs_pa;
	uint64_t rflags;          /* the guest's RFLAGS as in the VMCS (read once per exit) */
	uint32_t reinject;        /* IDT-vectoring info of an event to deliver again (0: none) */
	uint32_t reinject_error, reinject_len;
	int hc_handled;           /* the code of a hypercall the fast path ran and returned with (vmx_hc_fast) */
	char check[192];          /* hv_exit.invalid.check points here */
};

/* What the CPUs offer and how the backend uses it (the same on every CPU), set by vmx_cpu_init. */
struct vmx_model {
	struct vmx_msrs msrs;
	unsigned phys_bits;
	uint32_t pin, proc, proc2, exit, entry;   /* adjusted controls */
	bool vpid, invept_single, invvpid_single, ept_wb, execute_only;
	int max_leaf_level;
	uint64_t io_bitmap_pa, msr_bitmap_pa;     /* shared by every vCPU: all ones */
	bool unrestricted_guest;
};
_Static_assert(offsetof(struct vmx_vcpu, host_rsp) - offsetof(struct vmx_vcpu, common.gprs) == VMX_HOST_RSP &&
	       offsetof(struct vmx_vcpu, launched) - offsetof(struct vmx_vcpu, common.gprs) == VMX_LAUNCHED,
	       "vmx_entry.S layout");
extern struct vmx_model vmx_model;

/* This CPU's own: its VMXON region, the current VMCS, the lazily switched KERNEL_GS_BASE. */
struct vmx_percpu {
	uint64_t vmxon_pa;
	struct vmx_vcpu *current;                 /* whose VMCS is current (VMPTRLD) */
	struct vmx_vcpu *kgs_owner;               /* whose KERNEL_GS_BASE is in the MSR */
};
static inline struct vmx_percpu *vmx_this_cpu(void) { return (struct vmx_percpu *)hv_this_cpu()->backend; }

int vmx_cpu_init(struct hv_caps *caps, struct hv_percpu *cpu);

/* Checked VMREAD/VMWRITE on the current VMCS. A failure is a kernel bug: panic naming
 * the field and the VM-instruction error. */
/* vmx_read / vmx_write, the checked VMCS accessors, are inline in vmx_ops.h (every exit
 * uses several); a failure is a kernel bug and ends here. */
__attribute__((noreturn, cold)) void vmx_access_failed(int write, uint32_t field, uint64_t value, int r);
/* Makes the vCPU's VMCS current on this CPU (vmx_ops.h vmx_load_other: when another's is). */
void vmx_load(struct vmx_vcpu *v);
/* A VMPTRLD that failed (r: VMX_FAIL_*) is a kernel bug: panic naming the VMCS and the error. */
__attribute__((noreturn, cold)) void vmx_load_failed(uint64_t vmcs_pa, int r);
/* Reads the VMCS into a snapshot for the entry checks. */
void vmx_snapshot_read(struct vmx_snapshot *s);
/* Writes the guest-state area from a snapshot built by vmx_guest_init (SDM 3C 24.4). */
void vmx_write_guest_state(const struct vmx_snapshot *s);

/* vmx_vm.c */
int vmx_vm_init(struct hv_vm *vm);
void vmx_vm_fini(struct hv_vm *vm);
int vmx_vm_map_check(unsigned prot, uint64_t hpa, uint64_t size);
void vmx_vm_flush(struct hv_vm *vm);

/* vmx_vcpu.c */
int vmx_vcpu_init(struct hv_vcpu *vcpu, const struct hv_vcpu_setup *setup);
void vmx_vcpu_fini(struct hv_vcpu *vcpu);
void vmx_get_regs(struct hv_vcpu *vcpu, struct hv_regs *regs);
int vmx_inject(struct hv_vcpu *vcpu, uint8_t vector, bool has_error_code, uint32_t error_code);

/* vmx_run.c */
int vmx_run(struct hv_vcpu *vcpu, uint64_t slice_end, struct hv_exit *exit);

/* vmx_run.c: the hypercall fast path vmx_entry.S calls at a VMCALL exit: the registers of
 * the vCPU to enter next (g: the caller again; another's: a hand-off, its VMCS current and
 * its entry prepared), or NULL: the exit returns (v->hc_handled: the code of a call it ran). */
struct hv_gprs *vmx_hc_fast(struct hv_gprs *g);

/* vmx_entry.S: loads the guest GPRs and enters (VMRESUME when the vCPU is launched, else VMLAUNCH).
 * Returns VMX_OK after a VM exit the fast path did not complete, with the guest GPRs
 * saved, or VMX_FAIL_INVALID / VMX_FAIL_VALID when the instruction itself failed; either
 * of the vCPU current then (a hand-off may have entered another). */
int vmx_enter(struct hv_gprs *g);
#endif /* !UV_HOST */
#endif /* !__ASSEMBLER__ */
#endif
