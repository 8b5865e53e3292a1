/* kernel/arch/x86.h: the architectural facts of x86-64 the kernel and hv use, each once: page size, MSR numbers, control-register and flag bits, exception vectors, debug-register and PAT reset values. */
#ifndef KERNEL_ARCH_X86_H
#define KERNEL_ARCH_X86_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_SIZE 4096ull  /* the base page (SDM 3A 4.1) */
#define PAGE_SHIFT 12
#define LARGE_PAGE_SIZE (2ull << 20)

#define MSR_APIC_BASE 0x1b
#define MSR_EFER 0xc0000080
#define MSR_PAT 0x277
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define EFER_SVME (1ull << 12)

#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_PGE (1ull << 7)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_VMXE (1ull << 13)
#define CR4_OSXSAVE (1ull << 18)

#define RFLAGS_TF (1ull << 8)
#define RFLAGS_IF (1ull << 9)

/* Exception vectors (SDM 3A 6.3.1, table 6-1). */
#define EXC_DE 0
#define EXC_DB 1
#define EXC_NMI 2
#define EXC_BP 3
#define EXC_OF 4
#define EXC_BR 5
#define EXC_UD 6
#define EXC_NM 7
#define EXC_DF 8
#define EXC_TS 10
#define EXC_NP 11
#define EXC_SS 12
#define EXC_GP 13
#define EXC_PF 14
#define EXC_MF 16
#define EXC_AC 17
#define EXC_MC 18
#define EXC_XM 19
#define EXC_VE 20
#define EXC_CP 21
/* Vectors whose delivery pushes an error code (SDM 3A 6.13; #CP, and AMD's #VC and #SX). */
static inline bool exc_has_error_code(unsigned v)
{
	return v == EXC_DF || (v >= EXC_TS && v <= EXC_PF) || v == EXC_AC || v == EXC_CP || v == 29 || v == 30;
}

/* Debug registers (SDM 3B 17.2). */
#define DR6_BS (1ull << 14)         /* single step */
#define DR6_RESET 0xffff0ff0ull     /* DR6 with no condition recorded */
#define DR7_RESET 0x400ull          /* DR7 with every breakpoint off */
#define PAT_RESET 0x0007040600070406ull /* power-on PAT: WB, WT, UC-, UC, twice (SDM 3A 11.12.4) */

#endif
