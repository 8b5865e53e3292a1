/* hv/hv.h: the one vendor-neutral virtualization API; the kernel uses nothing else of hv/. */
#ifndef HV_HV_H
#define HV_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/arch/x86.h"
#include "kernel/lib/prot.h"

/*
 * Modelled on Windows' WHvRunVirtualProcessor (a blocking run call that returns an
 * exit context: a reason plus a per-reason union) and Hypervisor.framework
 * (capabilities, raw field access for diagnostics). The backend (hv/vmx or hv/svm)
 * is picked at boot by CPUID; generic code never sees a VMCS or VMCB.
 *
 * All functions return 0 or a negative UV_E* / errno-style value unless noted.
 */

enum hv_vendor { HV_VENDOR_NONE = 0, HV_VENDOR_VMX, HV_VENDOR_SVM };

/* What the kernel needs to know of the backend (the backends keep their own details). */
struct hv_caps {
	enum hv_vendor vendor;
	const char *backend;     /* "vmx" or "svm" */
	uint32_t hc_insn;        /* UV_HC_INSN_VMCALL / UV_HC_INSN_VMMCALL */
	bool xsave;              /* guest FPU state is switched with XSAVE (else FXSAVE) */
	uint64_t xcr0_supported; /* XCR0 bits a guest may enable (x87 and SSE always on) */
	bool rdtscp;             /* RDTSCP/RDPID work in guests and read the vCPU's own TSC_AUX */
};

/* Brings this CPU into VMX root / SVM host mode and sets up its per-CPU state (this_cpu()->hv).
 * Prints why on failure: -UV_ENOSYS when the CPU has neither VMX nor SVM with nested paging. */
int hv_cpu_init(void);
/* Valid after hv_cpu_init() succeeded. */
const struct hv_caps *hv_caps(void);

/* ---- VMs: a guest-physical address space (EPT / NPT) and a TLB tag ---- */
struct hv_vm;
int hv_vm_create(struct hv_vm **out);
/* Frees the nested page tables and the tag. The guest's RAM pages are the caller's. */
void hv_vm_destroy(struct hv_vm *vm);
/* Maps guest-physical [gpa, gpa+size) to host-physical [hpa, hpa+size). Page-aligned;
 * uses 2 MiB leaves where gpa, hpa and size allow. Fails (-UV_EINVAL) on overlap with
 * an existing mapping, leaving the tables unchanged. */
int hv_vm_map(struct hv_vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned prot);
/* Unmaps [gpa, gpa+size) and flushes the VM's TLB tag (INVEPT / ASID flush). */
int hv_vm_unmap(struct hv_vm *vm, uint64_t gpa, uint64_t size);
/* Translates a guest-physical address through the VM's tables (for diagnostics and
 * tests); returns -UV_EFAULT when not mapped. */
int hv_vm_translate(struct hv_vm *vm, uint64_t gpa, uint64_t *hpa, unsigned *prot);

/* ---- vCPUs ---- */
struct hv_vcpu;

/* The flat 64-bit GDT every app starts with (the kernel writes it into the app's RAM,
 * hv_vcpu_setup.gdt_base): selectors and attributes (kernel/arch/x86.h), described once;
 * each backend loads the same segments in its own encoding. */
#define HV_GUEST_SEL_CODE 0x08
#define HV_GUEST_SEL_DATA 0x10
#define HV_GUEST_SEL_TSS 0x18
#define HV_GUEST_SEG_CODE (SEG_CODE64 | SEG_TYPE_ACCESSED)
#define HV_GUEST_SEG_DATA (SEG_DATA | SEG_TYPE_ACCESSED)
#define HV_GUEST_SEG_TSS (SEG_TYPE_TSS64_BUSY | SEG_P) /* TR's TSS is busy (SDM 3C 26.3.1.2) */
#define HV_GUEST_GDT_ENTRIES 5 /* null, code, data, the 16-byte TSS */

/* The initial state of a vCPU: 64-bit mode, paging on, CPL 0. */
struct hv_vcpu_setup {
	uint64_t rip, rsp, rdi, rflags;
	uint64_t cr3;                /* guest-physical address of the PML4 */
	uint64_t gdt_base;           /* guest address of a GDT holding the selectors above */
	uint16_t gdt_limit;
	uint64_t tss_base;           /* guest address of a 104-byte TSS (the GDT's TSS entry) */
	uint32_t exception_intercepts; /* bit n: vector n exits to the kernel (0xffffffff = all);
					* #DB, #AC and #MC always exit, whatever the caller asks */
	uint64_t tsc_offset;         /* added to the host TSC when the guest reads it */
	uint32_t tsc_aux;            /* what RDTSCP/RDPID return in the guest */
};

struct hv_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t cr0, cr2, cr3, cr4, efer;
};

int hv_vcpu_create(struct hv_vm *vm, const struct hv_vcpu_setup *setup, struct hv_vcpu **out);
void hv_vcpu_destroy(struct hv_vcpu *vcpu);
void hv_vcpu_get_regs(struct hv_vcpu *vcpu, struct hv_regs *regs);
/* The hypercall fast path: sets the result register only. */
void hv_vcpu_set_rax(struct hv_vcpu *vcpu, uint64_t rax);
/* Completes a CPUID exit with the four result registers. */
void hv_vcpu_set_cpuid_result(struct hv_vcpu *vcpu, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx);

/* ---- Running ---- */
enum hv_exit_reason {
	HV_EXIT_HYPERCALL = 1, /* VMCALL / VMMCALL; RIP already advanced past it */
	HV_EXIT_MEMORY_ACCESS, /* EPT / NPT violation or misconfiguration */
	HV_EXIT_IO_PORT,       /* IN / OUT / INS / OUTS */
	HV_EXIT_MSR,           /* RDMSR / WRMSR */
	HV_EXIT_CPUID,         /* RIP already advanced; complete with hv_vcpu_set_cpuid_result */
	HV_EXIT_EXCEPTION,     /* an intercepted guest exception, or one the backend raises (exception.why) */
	HV_EXIT_HALT,          /* HLT; RIP already advanced */
	HV_EXIT_INTERRUPT,     /* a host interrupt, NMI, SMI or INIT arrived (taken once interrupts are enabled) */
	HV_EXIT_UNRECOVERABLE, /* triple fault / shutdown */
	HV_EXIT_INVALID_STATE, /* VM entry failed: see invalid.check */
	HV_EXIT_UNSUPPORTED,   /* an instruction the guest may not use (VMX/SVM, INVD, ...) */
	HV_EXIT_COUNT          /* one past the last reason (for per-reason counters) */
};

struct hv_exit {
	enum hv_exit_reason reason;
	uint64_t rip;           /* guest RIP of the instruction that exited */
	uint64_t vendor_code;   /* raw VMX exit reason / SVM exit code, for reports */
	union {
		struct {
			uint64_t nr;
			uint64_t arg[6];
			int handled; /* 0; else the code the vCPU's hypercall handler returned (it ran the
				      * call: nr and arg are then not filled in) */
		} hypercall;
		struct {
			uint64_t gpa;
			uint64_t gla;       /* guest linear address, when gla_valid */
			bool gla_valid;
			unsigned access;    /* PROT_*: what the guest tried */
			bool misconfig;     /* VMX EPT misconfiguration (a kernel bug) */
		} mem;
		struct { uint16_t port; uint8_t size; bool write; bool string; bool rep; } io;
		struct { uint32_t index; bool write; uint64_t value; } msr;
		struct { uint32_t leaf, subleaf; uint64_t xcr0; /* the guest's */ } cpuid;
		struct hv_exception {
			uint8_t vector;
			bool has_error_code;
			uint32_t error_code;
			uint64_t cr2;       /* for #PF */
			/* NULL for an exception the guest raised; else the backend's reason for raising
			 * it itself (a refused XSETBV's #GP, the single-step trap after an instruction
			 * the backend completed). RIP is then where the guest would take it. */
			const char *why;
		} exception;
		struct {
			uint32_t error;     /* VM-instruction error (VMX) or exit code (SVM) */
			const char *check;  /* which entry check failed, in words */
		} invalid;
		struct { const char *insn; } unsupported;
	};
};

/*
 * Runs the vCPU until an exit the kernel must see; the kernel's LAPIC timer interrupt ends a
 * slice (HV_EXIT_INTERRUPT), and slice_end (a TSC value, 0 = none) only ends a run of
 * hypercalls the backend completes inside. Switches guest FPU/XSAVE state
 * in and out. Returns 0 with *exit filled, or a negative value for a broken vCPU.
 * Exits the backend finishes itself never reach the caller: a valid XSETBV is applied,
 * a refused one comes back as HV_EXIT_EXCEPTION #GP(0) with exception.why set (the
 * caller injects it with hv_vcpu_inject or stops the guest). When the backend completes
 * an instruction (hypercall, CPUID, HLT, XSETBV) with RFLAGS.TF set, the next run
 * returns HV_EXIT_EXCEPTION #DB before entering: the single-step trap it owes.
 * After a hand-off (hv_set_handoff_fn) the exit is that of the vCPU handed to.
 */
int hv_vcpu_run(struct hv_vcpu *vcpu, uint64_t slice_end, struct hv_exit *exit);
/* A hypercall handler the backend calls at each hypercall exit (RIP advanced) when nothing is
 * due (a single-step trap, the slice's end): nr, the six arguments, where the guest's
 * RAX lives (the result goes there). 0: it completed the call and the vCPU goes on at once,
 * without returning; else a code (> 0) the exit is returned with, in exit->hypercall.handled
 * (the call has run). It runs with host interrupts held (SVM: GIF=0; VMX: IF=0) and may not
 * wait for one, nor read or set this vCPU's registers (hv_vcpu_get_regs would see stale ones:
 * the fast path saves the caller-saved ones only). One per vCPU (owner passed back); none set. */
typedef int (*hv_hypercall_fn)(void *owner, uint64_t nr, const uint64_t arg[6], uint64_t *rax);
void hv_vcpu_set_hypercall_fn(struct hv_vcpu *vcpu, hv_hypercall_fn fn, void *owner);
/*
 * The hand-off: a hypercall the backend's fast path ran ends in its vCPU giving up the CPU
 * (the handler's code > 0: it yields or blocks) and the kernel knows who runs next. The
 * backend asks this CPU's hook (owner: the caller's hypercall owner, code: its handler's);
 * a vCPU back (hv_vcpu_ready, not the caller) is entered at once in the caller's place,
 * from the exit path: the app switch (branch predictions, FPU image, TSC_AUX, VMCS/VMCB)
 * done there, its slice ending at *slice_end as hv_vcpu_run's would. The caller's
 * hv_vcpu_run then goes on with that vCPU and returns its exit: the hook's owner keeps
 * track of which vCPU runs. NULL: the caller's exit returns with its code, as without a
 * hook. The hook runs as the handler does (host interrupts held) and decides alone. */
typedef struct hv_vcpu *(*hv_handoff_fn)(void *owner, int code, uint64_t *slice_end);
void hv_set_handoff_fn(hv_handoff_fn fn);
/* True when nothing is due before v's next entry (no single-step trap it owes)
 * and it has a hypercall handler: a hand-off may enter it in place. */
bool hv_vcpu_ready(const struct hv_vcpu *v);
/* Queues an exception for delivery at the next entry (an injected event is never
 * intercepted again: SDM 3C 26.6, APM2 15.20). */
int hv_vcpu_inject(struct hv_vcpu *vcpu, uint8_t vector, bool has_error_code, uint32_t error_code);

/* Names of a reason: for reports ("hypercall") and for the summary's counters ("hc"). */
const char *hv_exit_reason_name(enum hv_exit_reason r);
const char *hv_exit_reason_short(enum hv_exit_reason r);

/* Per-object memory the backend allocated (VMCS/VMCB, EPT/NPT tables, bitmaps), for
 * `make bench`'s per-app overhead figure. */
uint64_t hv_vm_overhead_bytes(const struct hv_vm *vm);
uint64_t hv_vcpu_overhead_bytes(const struct hv_vcpu *vcpu);

#endif
