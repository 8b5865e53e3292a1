/* kernel/mm/pt.h: one 4-level page-table builder for every format: kernel tables, guest tables, EPT, NPT. */
#ifndef KERNEL_PT_H
#define KERNEL_PT_H

#include <stdint.h>
#include <stdbool.h>
#include "kernel/lib/prot.h"

/* What a mapping allows: PROT_R/W/X (kernel/lib/prot.h) and these. */
#define PT_UC 8u     /* uncached (MMIO) */
#define PT_GLOBAL 16u

/* Levels: 1 = 4 KiB leaf (PT), 2 = 2 MiB (PD), 3 = 1 GiB (PDPT), 4 = PML4. */
struct pt_format {
	uint64_t (*table)(uint64_t pa);                       /* entry that points at a table */
	uint64_t (*leaf)(uint64_t pa, unsigned prot, int level); /* leaf entry of that level */
	bool (*present)(uint64_t e);
	bool (*large)(uint64_t e);                            /* a leaf at level 2 or 3 */
	unsigned (*prot)(uint64_t e);                         /* PT_* of a leaf */
	int max_leaf_level;                                   /* 1, 2 or 3: largest leaf allowed */
};
#define PT_ADDR_MASK 0x000ffffffffff000ull

/* Where table pages come from. Tables are zeroed by alloc. */
struct pt_mem {
	void *ctx;
	int (*alloc)(void *ctx, uint64_t *pa);          /* a zeroed 4 KiB table */
	void (*free)(void *ctx, uint64_t pa);
	uint64_t *(*ptr)(void *ctx, uint64_t pa);       /* table's physical address -> pointer */
};

struct pt {
	const struct pt_format *fmt;
	const struct pt_mem *mem;
	uint64_t root;    /* physical address of the PML4 */
	uint64_t tables;  /* table pages in use, including the root */
};

int pt_init(struct pt *pt, const struct pt_format *fmt, const struct pt_mem *mem);
/* Maps [va, va+size) -> [pa, pa+size), largest leaves that alignment allows. Checks the
 * whole range first: an overlap with a present mapping is -UV_EINVAL and changes nothing.
 * Out of table memory midway is -UV_ENOMEM, with the part mapped so far unmapped again
 * (tables it added stay, empty). */
int pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, unsigned prot);
/* Unmaps [va, va+size) (page-aligned), splitting large leaves that stick out of it.
 * Ranges that were not mapped are fine. -UV_ENOMEM when a split needs a table. */
int pt_unmap(struct pt *pt, uint64_t va, uint64_t size);
/* Translates va: 0 with *pa, *prot and *level set, or -UV_EFAULT. */
int pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa, unsigned *prot, int *level);
/* Frees every table, the root too. */
void pt_destroy(struct pt *pt);

/* The standard x86-64 4-level format (SDM 3A 4.5) for the kernel's own tables and an
 * app's guest page tables; nx says whether EFER.NXE is on. */
extern const struct pt_format pt_x86_format;
extern const struct pt_format pt_x86_format_nonx;
/* Same format with the U/S bit set in every entry (NPT needs it: APM2 15.25.5; tests/boot/README.md). */
extern const struct pt_format pt_x86_user_format;

#endif
