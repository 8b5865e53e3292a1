/* tests/attack/regs_secret.h: the values regs-victim plants in CR2, FS/GS base and KERNEL_GS_BASE, and what regs-spy checks against. */
#ifndef TESTS_ATTACK_REGS_SECRET_H
#define TESTS_ATTACK_REGS_SECRET_H

#include <stdint.h>

#define SECRET_CR2 0x00007f5ec2e71000ull /* a canonical address its page tables leave out */
#define SECRET_FS 0x00310000u            /* bases inside both apps' RAM (heap) */
#define SECRET_GS 0x00320000u
#define SECRET_KGS 0x00330000u
#define PROBE 0x00300000u                /* where a spy reads through %fs/%gs: base + PROBE */

/* Loads FS or GS from a data descriptor whose base is base: in 64-bit mode a selector
 * load takes the 32-bit base from the descriptor (SDM 3A 3.4.4), no MSR and no
 * WRFSBASE needed. The GDT is the app's own copy (its own RAM), with the kernel's
 * three first entries and TSS kept so CS, SS and TR stay valid. */
static uint64_t own_gdt[8] __attribute__((aligned(16)));

static inline uint64_t data_desc(uint32_t base)
{
	return 0x00cf93000000ffffull | ((uint64_t)(base & 0xffffff) << 16) | ((uint64_t)(base >> 24) << 56);
}

static inline void own_gdt_load(uint32_t fs, uint32_t gs)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) cur, mine;
	__asm__ volatile("sgdt %0" : "=m"(cur));
	const uint64_t *k = (const uint64_t *)(uintptr_t)cur.base;
	for (int i = 0; i < 5; i++)
		own_gdt[i] = k[i];
	own_gdt[5] = data_desc(fs);
	own_gdt[6] = data_desc(gs);
	mine.limit = sizeof(own_gdt) - 1;
	mine.base = (uint64_t)(uintptr_t)own_gdt;
	__asm__ volatile("lgdt %0" : : "m"(mine) : "memory"); /* the CPU reads own_gdt from here on */
}
#define SEL_FS 0x28
#define SEL_GS 0x30

/* The 8 bytes at base + PROBE through the segment (FS, GS, or GS after SWAPGS = the
 * KERNEL_GS_BASE one). */
static inline uint64_t read_fs_probe(void)
{
	uint64_t v;
	__asm__ volatile("movq %%fs:(%1), %0" : "=r"(v) : "r"((uint64_t)PROBE));
	return v;
}
static inline uint64_t read_gs_probe(void)
{
	uint64_t v;
	__asm__ volatile("movq %%gs:(%1), %0" : "=r"(v) : "r"((uint64_t)PROBE));
	return v;
}
static inline uint64_t read_kgs_probe(void)
{
	uint64_t v;
	__asm__ volatile("swapgs\n\tmovq %%gs:(%1), %0\n\tswapgs" : "=r"(v) : "r"((uint64_t)PROBE));
	return v;
}
static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

#endif
