/* kernel/arch/x86.h: the architectural facts of x86-64 the kernel and hv use, each once: page size, MSR numbers, control-register and flag bits, exception vectors, debug-register and PAT reset values. */
#ifndef KERNEL_ARCH_X86_H
#define KERNEL_ARCH_X86_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_SIZE 4096ull  /* the base page (SDM 3A 4.1) */
static inline uint64_t page_round_down(uint64_t v) { return v & ~(PAGE_SIZE - 1); }
static inline uint64_t page_round_up(uint64_t v) { return (v + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); } /* callers keep v below 2^64 - PAGE_SIZE */

#define MSR_APIC_BASE 0x1b
#define MSR_EFER 0xc0000080
#define MSR_PAT 0x277
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX 0xc0000103
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
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_PGE (1ull << 7)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_VMXE (1ull << 13)
#define CR4_OSXSAVE (1ull << 18)

#define RFLAGS_FIXED1 (1ull << 1)  /* reads as 1 */
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
/*
 * Segment attributes in one packing: type 3:0, S 4, DPL 6:5, P 7, AVL 8, L 9, D/B 10, G 11.
 * That is how a descriptor holds them in bits 40-47 and 52-55 (SDM 3A 3.4.5) and how the
 * VMCB packs them (APM2 15.5.1); VMX access rights move bits 11:8 to 15:12 (SDM 3C 24.4.1).
 */
#define SEG_S (1u << 4)
#define SEG_P (1u << 7)
#define SEG_L (1u << 9)
#define SEG_DB (1u << 10)
#define SEG_G (1u << 11)
#define SEG_TYPE_CODE_RX 0xau   /* execute/read code */
#define SEG_TYPE_DATA_RW 0x2u   /* read/write data */
#define SEG_TYPE_ACCESSED 0x1u
#define SEG_TYPE_LDT 0x2u       /* system types (S = 0) */
#define SEG_TYPE_TSS64 0x9u     /* available 64-bit TSS */
#define SEG_TYPE_TSS64_BUSY 0xbu
#define SEG_CODE64 (SEG_TYPE_CODE_RX | SEG_S | SEG_P | SEG_L | SEG_G)  /* flat 64-bit code, DPL 0 */
#define SEG_DATA (SEG_TYPE_DATA_RW | SEG_S | SEG_P | SEG_DB | SEG_G)   /* flat data, DPL 0 */
#define SEG_LIMIT_FLAT 0xfffffu  /* with G: 4 GiB */
#define TSS64_LIMIT 0x67u        /* the 104-byte 64-bit TSS (SDM 3A 8.7) */
#define TSS64_IOMAP_NONE 104u    /* I/O map base past the TSS limit: no I/O bitmap */

/* The 8-byte code/data descriptor (SDM 3A 3.4.5) for base, a 20-bit limit and attributes. */
static inline uint64_t seg_descriptor(uint32_t base, uint32_t limit, uint16_t attr)
{
	return (limit & 0xffffull) | ((uint64_t)(base & 0xffffff) << 16) | ((uint64_t)(attr & 0xff) << 40) |
	       ((uint64_t)((limit >> 16) & 0xf) << 48) | ((uint64_t)((attr >> 8) & 0xf) << 52) |
	       ((uint64_t)(base >> 24) << 56);
}
/* The 16-byte system descriptor of a 64-bit TSS (SDM 3A 8.2.3), as two words. */
static inline void seg_tss_descriptor(uint64_t base, uint16_t attr, uint64_t out[2])
{
	out[0] = seg_descriptor((uint32_t)base, TSS64_LIMIT, attr);
	out[1] = base >> 32;
}
/* A limit in bytes as the CPU expands it (G: 4 KiB units). */
static inline uint32_t seg_limit_bytes(uint32_t limit, uint16_t attr)
{
	return (attr & SEG_G) ? (limit << 12) | 0xfff : limit;
}

#define PAT_RESET 0x0007040600070406ull /* power-on PAT: WB, WT, UC-, UC, twice (SDM 3A 11.12.4) */

#endif
