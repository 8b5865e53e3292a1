/* hv/svm/svm_vmcb.h: the VMCB layout, intercept bits, exit codes and SVM MSRs (AMD APM vol. 2, ch. 15 and appendix B/C). */
#ifndef HV_SVM_SVM_VMCB_H
#define HV_SVM_SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/arch/x86.h"

/* MSRs (APM2 15.30) */
#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117

/* CPUID Fn8000_000A EDX feature bits (APM2 15.4, APM3 appendix E) */
#define SVM_FEAT_NP (1u << 0)
#define SVM_FEAT_NRIPS (1u << 3)
#define SVM_FEAT_FLUSH_BY_ASID (1u << 6)

struct vmcb_seg {
	uint16_t sel;
	uint16_t attrib; /* packed: type[3:0] S[4] DPL[6:5] P[7] AVL[8] L[9] D/B[10] G[11] (APM2 15.5.1) */
	uint32_t limit;
	uint64_t base;
} __attribute__((packed));

/* Control area, offsets 0x000-0x3ff (APM2 appendix B, table B-1). */
struct vmcb_control {
	uint16_t cr_read;          /* 0x000 */
	uint16_t cr_write;         /* 0x002 */
	uint16_t dr_read;          /* 0x004 */
	uint16_t dr_write;         /* 0x006 */
	uint32_t exceptions;       /* 0x008 */
	uint32_t misc1;            /* 0x00c: INTR .. SHUTDOWN */
	uint32_t misc2;            /* 0x010: VMRUN .. */
	uint32_t misc3;            /* 0x014 */
	uint8_t reserved_018[0x03c - 0x018];
	uint16_t pause_filter_threshold; /* 0x03c */
	uint16_t pause_filter_count;     /* 0x03e */
	uint64_t iopm_base_pa;     /* 0x040 */
	uint64_t msrpm_base_pa;    /* 0x048 */
	uint64_t tsc_offset;       /* 0x050 */
	uint32_t asid;             /* 0x058 */
	uint8_t tlb_control;       /* 0x05c */
	uint8_t reserved_05d[3];
	uint64_t vintr;            /* 0x060: V_TPR, V_IRQ, ..., V_INTR_MASKING (bit 24) */
	uint64_t interrupt_shadow; /* 0x068 */
	uint64_t exitcode;         /* 0x070 */
	uint64_t exitinfo1;        /* 0x078 */
	uint64_t exitinfo2;        /* 0x080 */
	uint64_t exitintinfo;      /* 0x088 */
	uint64_t np_control;       /* 0x090: bit 0 NP_ENABLE */
	uint64_t avic_apic_bar;    /* 0x098 */
	uint64_t ghcb_pa;          /* 0x0a0 */
	uint64_t eventinj;         /* 0x0a8 */
	uint64_t n_cr3;            /* 0x0b0 */
	uint64_t lbr_virt;         /* 0x0b8 */
	uint32_t clean;            /* 0x0c0 */
	uint32_t reserved_0c4;
	uint64_t nrip;             /* 0x0c8 */
	uint8_t insn_len;          /* 0x0d0 */
	uint8_t insn_bytes[15];    /* 0x0d1 */
	uint8_t reserved_0e0[0x400 - 0x0e0];
} __attribute__((packed));

/* State save area, offsets 0x400-0xfff (APM2 appendix B, table B-2). */
struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs; /* 0x400 .. 0x45f */
	struct vmcb_seg gdtr, ldtr, idtr, tr;   /* 0x460 .. 0x49f */
	uint8_t reserved_4a0[0x4cb - 0x4a0];
	uint8_t cpl;                            /* 0x4cb */
	uint32_t reserved_4cc;
	uint64_t efer;                          /* 0x4d0 */
	uint8_t reserved_4d8[0x548 - 0x4d8];
	uint64_t cr4;                           /* 0x548 */
	uint64_t cr3;                           /* 0x550 */
	uint64_t cr0;                           /* 0x558 */
	uint64_t dr7;                           /* 0x560 */
	uint64_t dr6;                           /* 0x568 */
	uint64_t rflags;                        /* 0x570 */
	uint64_t rip;                           /* 0x578 */
	uint8_t reserved_580[0x5d8 - 0x580];
	uint64_t rsp;                           /* 0x5d8 */
	uint64_t s_cet, ssp, isst_addr;         /* 0x5e0 .. 0x5f7 */
	uint64_t rax;                           /* 0x5f8 */
	uint64_t star, lstar, cstar, sfmask;    /* 0x600 .. 0x61f */
	uint64_t kernel_gs_base;                /* 0x620 */
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip; /* 0x628 .. 0x63f */
	uint64_t cr2;                           /* 0x640 */
	uint8_t reserved_648[0x668 - 0x648];
	uint64_t g_pat;                         /* 0x668 */
	uint64_t dbgctl;                        /* 0x670 */
	uint64_t br_from, br_to, lastexcpfrom, lastexcpto; /* 0x678 .. 0x697 */
	uint8_t reserved_698[0x1000 - 0x698];
} __attribute__((packed));

struct vmcb {
	struct vmcb_control ctl;
	struct vmcb_save save;
} __attribute__((packed));

#define VMCB_ASSERT(field, off) _Static_assert(offsetof(struct vmcb, field) == (off), "VMCB offset of " #field)
VMCB_ASSERT(ctl.exceptions, 0x008);
VMCB_ASSERT(ctl.misc1, 0x00c);
VMCB_ASSERT(ctl.misc2, 0x010);
VMCB_ASSERT(ctl.iopm_base_pa, 0x040);
VMCB_ASSERT(ctl.msrpm_base_pa, 0x048);
VMCB_ASSERT(ctl.tsc_offset, 0x050);
VMCB_ASSERT(ctl.asid, 0x058);
VMCB_ASSERT(ctl.tlb_control, 0x05c);
VMCB_ASSERT(ctl.vintr, 0x060);
VMCB_ASSERT(ctl.exitcode, 0x070);
VMCB_ASSERT(ctl.exitinfo1, 0x078);
VMCB_ASSERT(ctl.exitinfo2, 0x080);
VMCB_ASSERT(ctl.exitintinfo, 0x088);
VMCB_ASSERT(ctl.np_control, 0x090);
VMCB_ASSERT(ctl.eventinj, 0x0a8);
VMCB_ASSERT(ctl.n_cr3, 0x0b0);
VMCB_ASSERT(ctl.clean, 0x0c0);
VMCB_ASSERT(ctl.nrip, 0x0c8);
VMCB_ASSERT(ctl.insn_len, 0x0d0);
VMCB_ASSERT(save.es, 0x400);
VMCB_ASSERT(save.cs, 0x410);
VMCB_ASSERT(save.gdtr, 0x460);
VMCB_ASSERT(save.idtr, 0x480);
VMCB_ASSERT(save.tr, 0x490);
VMCB_ASSERT(save.cpl, 0x4cb);
VMCB_ASSERT(save.efer, 0x4d0);
VMCB_ASSERT(save.cr4, 0x548);
VMCB_ASSERT(save.cr3, 0x550);
VMCB_ASSERT(save.cr0, 0x558);
VMCB_ASSERT(save.dr7, 0x560);
VMCB_ASSERT(save.rflags, 0x570);
VMCB_ASSERT(save.rip, 0x578);
VMCB_ASSERT(save.rsp, 0x5d8);
VMCB_ASSERT(save.rax, 0x5f8);
VMCB_ASSERT(save.kernel_gs_base, 0x620);
VMCB_ASSERT(save.cr2, 0x640);
VMCB_ASSERT(save.g_pat, 0x668);
_Static_assert(sizeof(struct vmcb) == PAGE_SIZE, "VMCB is one page");

/* misc1 intercepts (vector 3, APM2 B-1 offset 0x00c) */
#define SVM_INTERCEPT_INTR (1u << 0)
#define SVM_INTERCEPT_NMI (1u << 1)
#define SVM_INTERCEPT_SMI (1u << 2)
#define SVM_INTERCEPT_INIT (1u << 3)
#define SVM_INTERCEPT_CR0_SEL_WRITE (1u << 5)
#define SVM_INTERCEPT_RDPMC (1u << 15)
#define SVM_INTERCEPT_CPUID (1u << 18)
#define SVM_INTERCEPT_RSM (1u << 19)
#define SVM_INTERCEPT_INVD (1u << 22)
#define SVM_INTERCEPT_HLT (1u << 24)
#define SVM_INTERCEPT_INVLPGA (1u << 26)
#define SVM_INTERCEPT_IOIO_PROT (1u << 27)
#define SVM_INTERCEPT_MSR_PROT (1u << 28)
#define SVM_INTERCEPT_TASK_SWITCH (1u << 29)
#define SVM_INTERCEPT_FERR_FREEZE (1u << 30)
#define SVM_INTERCEPT_SHUTDOWN (1u << 31)
/* misc2 intercepts (vector 4, offset 0x010) */
#define SVM_INTERCEPT_VMRUN (1u << 0)
#define SVM_INTERCEPT_VMMCALL (1u << 1)
#define SVM_INTERCEPT_VMLOAD (1u << 2)
#define SVM_INTERCEPT_VMSAVE (1u << 3)
#define SVM_INTERCEPT_STGI (1u << 4)
#define SVM_INTERCEPT_CLGI (1u << 5)
#define SVM_INTERCEPT_SKINIT (1u << 6)
#define SVM_INTERCEPT_ICEBP (1u << 8)
#define SVM_INTERCEPT_WBINVD (1u << 9)
#define SVM_INTERCEPT_MONITOR (1u << 10)
#define SVM_INTERCEPT_MWAIT (1u << 11)
#define SVM_INTERCEPT_MWAIT_COND (1u << 12)
#define SVM_INTERCEPT_XSETBV (1u << 13)
#define SVM_INTERCEPT_RDPRU (1u << 14)
/* misc3 intercepts (vector 5, offset 0x014) */
#define SVM_INTERCEPT_INVLPGB (1u << 0)
#define SVM_INTERCEPT_INVLPGB_ILLEGAL (1u << 1)
#define SVM_INTERCEPT_INVPCID (1u << 2)
#define SVM_INTERCEPT_MCOMMIT (1u << 3)
#define SVM_INTERCEPT_TLBSYNC (1u << 4)

#define SVM_VINTR_MASKING (1ull << 24)
#define SVM_NP_ENABLE 1ull
#define SVM_TLB_NOTHING 0
#define SVM_TLB_FLUSH_ALL 1
#define SVM_TLB_FLUSH_ASID 3

/* EVENTINJ (APM2 15.20) */
#define SVM_EVTINJ_VALID (1ull << 31)
#define SVM_EVTINJ_EV (1ull << 11)
#define SVM_EVTINJ_TYPE_EXCEPTION (3ull << 8)

/* Exit codes (APM2 appendix C) */
#define SVM_EXIT_CR0_WRITE 0x010
#define SVM_EXIT_CR15_WRITE 0x01f
#define SVM_EXIT_DR0_READ 0x020
#define SVM_EXIT_DR0_WRITE 0x030
#define SVM_EXIT_DR15_WRITE 0x03f
#define SVM_EXIT_EXCP_BASE 0x040
#define SVM_EXIT_EXCP_LAST 0x05f
#define SVM_EXIT_INTR 0x060
#define SVM_EXIT_NMI 0x061
#define SVM_EXIT_SMI 0x062
#define SVM_EXIT_INIT 0x063
#define SVM_EXIT_CPUID 0x072
#define SVM_EXIT_HLT 0x078
#define SVM_EXIT_IOIO 0x07b
#define SVM_EXIT_MSR 0x07c
#define SVM_EXIT_SHUTDOWN 0x07f
#define SVM_EXIT_VMMCALL 0x081
#define SVM_EXIT_XSETBV 0x08d
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID 0xffffffffffffffffull

/* IOIO EXITINFO1 (APM2 15.10.2) */
#define SVM_IOIO_IN (1u << 0)
#define SVM_IOIO_STR (1u << 2)
#define SVM_IOIO_REP (1u << 3)
#define SVM_IOIO_SZ8 (1u << 4)
#define SVM_IOIO_SZ16 (1u << 5)
#define SVM_IOIO_SZ32 (1u << 6)

/* NPF EXITINFO1 (APM2 15.25.6): a #PF-style error code */
#define SVM_NPF_P (1ull << 0)
#define SVM_NPF_W (1ull << 1)
#define SVM_NPF_U (1ull << 2)
#define SVM_NPF_ID (1ull << 4)
#define SVM_NPF_GUEST_FINAL (1ull << 32)

#define SVM_IOPM_BYTES (12 * 1024)
#define SVM_MSRPM_BYTES (8 * 1024)

#endif
