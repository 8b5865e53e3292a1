/* kernel/mm/paging.h: the kernel's own page tables: RAM identity-mapped, image by section, MMIO uncached. */
#ifndef KERNEL_PAGING_H
#define KERNEL_PAGING_H

#include <stdint.h>
#include <stdbool.h>
#include "kernel/boot/boot.h"

/* Pages the next paging_init leaves unmapped (stack guards); call before paging_init. */
void paging_add_guard(uint64_t va);
/* Builds and loads the kernel's tables: RAM RW+NX, text RX, rodata R+NX, data RW+NX,
 * page 0 and the guard pages not present. */
void paging_init(const struct boot_info *bi);
/* Maps an MMIO range uncached, RW, NX at its physical address. */
int paging_map_mmio(uint64_t pa, uint64_t size);
/* Translates a kernel address through the live tables (for self-tests). */
int paging_lookup(uint64_t va, uint64_t *pa, unsigned *prot);

#endif
