/* tests/attack/own_tables.h: lets a hostile app build page tables identity-mapping 4 GiB (2 MiB pages) and load them. */
#ifndef TESTS_ATTACK_OWN_TABLES_H
#define TESTS_ATTACK_OWN_TABLES_H

#include <stdint.h>

static uint64_t tables[6][512] __attribute__((aligned(4096)));

/* PML4 -> PDPT -> 4 PDs of 2 MiB pages over [0, 4 GiB): guest-physical addresses the
 * app does not own become reachable by address, so only EPT/NPT can stop the access. */
static inline void own_tables_identity_4g(void)
{
	uint64_t pml4 = (uint64_t)(uintptr_t)tables[0], pdpt = (uint64_t)(uintptr_t)tables[1];
	tables[0][0] = pdpt | 3;
	for (uint64_t g = 0; g < 4; g++) {
		uint64_t pd = (uint64_t)(uintptr_t)tables[2 + g];
		tables[1][g] = pd | 3;
		for (uint64_t i = 0; i < 512; i++)
			tables[2 + g][i] = ((g << 30) + (i << 21)) | 0x83; /* present, writable, 2 MiB */
	}
	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4) : "memory");
}

#endif
