/* hv/svm/svm.h: the SVM backend's internal types and functions, shared by the files of hv/svm only. */
#ifndef HV_SVM_SVM_H
#define HV_SVM_SVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hv/hv_backend.h"
#include "hv/svm/svm_vmcb.h"
#include "kernel/mm/pt.h"

#define SVM_MAX_ASIDS 4096

struct svm_vm {
	struct hv_vm common;
	uint32_t asid;
	bool flush;       /* the ASID's TLB entries must go at the next VMRUN */
	uint64_t map_gen; /* bumped by every unmap: cached host pointers into the VM expire */
};

/* Where a decoded exit instruction was (no nRIP): a loop of hypercalls at one RIP, or
 * alternating between two (a write then a read), is decoded once per RIP, then only its
 * bytes are re-checked in place. */
#define SVM_DECODE_SLOTS 4
struct svm_decoded {
	uint64_t rip, cr3, map_gen;
	const uint8_t *host; /* the instruction's bytes in the app's RAM */
	size_t avail;        /* bytes readable there (to the end of the page) */
	const uint8_t *load; /* the 8 bytes compared: from host, or ending at the page's end when fewer remain */
	uint64_t bytes, mask; /* those 8 bytes as decoded, and which of them are the instruction's */
	unsigned len;        /* its length; 0 = nothing decoded here yet */
};

struct svm_vcpu {
	struct hv_vcpu common;
	struct vmcb *vmcb;    /* right after common.gprs: svm_entry.S reaches it from there (G_END) */
	struct svm_vm *vm;
	struct svm_decoded last[SVM_DECODE_SLOTS];
	struct svm_decoded *hot, *hot2; /* the slots that matched last and the time before: tried first */
	unsigned last_next;   /* the slot the next decode replaces */
	uint64_t reinject;    /* EVENTINJ for an event an exit interrupted (0: none) */
	int hc_handled;       /* the code of a hypercall the fast path ran and left with (svm_hc_fast) */
};
_Static_assert(offsetof(struct svm_vcpu, vmcb) - offsetof(struct svm_vcpu, common.gprs) == G_END, "svm_entry.S layout");

/* What the CPUs offer (the same on every CPU), found by svm_cpu_init. */
struct svm_model {
	uint32_t n_asids;
	bool nrip_save;        /* the CPU reports the next RIP (APM2 15.7.1) */
	bool flush_by_asid;    /* TLB_CONTROL 3 (15.16.2) */
	bool large_1g;         /* 1 GiB NPT leaves */
	uint32_t misc2_extra, misc3; /* intercepts of instructions only some CPUs have */
	uint64_t iopm_pa, msrpm_pa;  /* the I/O and MSR permission maps, all ones, shared */
	struct pt_format npt_format;
};
extern struct svm_model svm_model;

/* This CPU's own: the host save area and the VMCB holding the host's VMSAVE state. */
struct svm_percpu {
	uint64_t hsave_pa, host_vmcb_pa;
};
static inline struct svm_percpu *svm_this_cpu(void) { return (struct svm_percpu *)hv_this_cpu()->backend; }

/* svm_cpu.c */
int svm_cpu_init(struct hv_caps *caps, struct hv_percpu *cpu);
/* svm_asid.c (pure): ASIDs 1..n-1 (0 is the host's, APM2 15.16); 0 when all are taken. */
uint32_t svm_asid_alloc(void);
void svm_asid_free(uint32_t asid);
void svm_asid_limit(uint32_t n_asids);
/* svm_vm.c */
int svm_vm_init(struct hv_vm *vm);
void svm_vm_fini(struct hv_vm *vm);
int svm_vm_map_check(unsigned prot, uint64_t hpa, uint64_t size);
void svm_vm_flush(struct hv_vm *vm);
/* svm_vcpu.c */
int svm_vcpu_init(struct hv_vcpu *vcpu, const struct hv_vcpu_setup *setup);
void svm_vcpu_fini(struct hv_vcpu *vcpu);
void svm_get_regs(struct hv_vcpu *vcpu, struct hv_regs *regs);
int svm_inject(struct hv_vcpu *vcpu, uint8_t vector, bool has_error_code, uint32_t error_code);
/* svm_run.c */
int svm_run(struct hv_vcpu *vcpu, uint64_t slice_end, struct hv_exit *exit);
/* svm_exit.c (pure): names for reports. */
const char *svm_invalid_check(const struct vmcb *vmcb); /* the likely failed check of VMEXIT_INVALID */
const char *svm_unsupported_name(uint64_t exit_code);   /* an intercept the kernel refuses, or NULL */

/* svm_run.c: the hypercall fast path svm_entry.S calls (see there): the registers of the vCPU
 * to enter next (g: the caller again; another's: a hand-off, entered in its place), or NULL:
 * the exit leaves the world switch (vc->hc_handled: the code of a call it ran, else 0). */
struct hv_gprs *svm_hc_fast(struct hv_gprs *g);

/* svm_entry.S: enters the guest and returns at the first exit the fast path does not
 * complete, of the vCPU that runs then (hv_this_cpu()->current: a hand-off may have
 * entered another). */
void svm_world_switch(uint64_t vmcb_pa, uint64_t host_vmcb_pa, struct hv_gprs *gprs);
extern char svm_after_vmrun[]; /* the first instruction after VMRUN */

#endif
