/* tests/unit/fake_mm.c: kalloc_pages/kfree_pages over the host heap, so kernel code that allocates pages runs in unit tests. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/mm/mm.h"

uint64_t fake_mm_pages; /* pages currently allocated */

uint64_t kalloc_pages(uint64_t npages, uint64_t align_pages)
{
	void *p = aligned_alloc(4096 * align_pages, npages * 4096);
	if (!p)
		return 0;
	memset(p, 0, npages * 4096);
	fake_mm_pages += npages;
	return (uint64_t)(uintptr_t)p;
}

void kfree_pages(uint64_t pa, uint64_t npages)
{
	fake_mm_pages -= npages;
	free((void *)(uintptr_t)pa);
}



uint64_t kalloc_pages_unzeroed(uint64_t npages, uint64_t align_pages)
{
	uint64_t align = 4096 * align_pages; /* aligned_alloc wants a size that is a multiple of it */
	void *p = aligned_alloc(align, (npages * 4096 + align - 1) / align * align);
	if (!p)
		return 0;
	memset(p, 0xa5, npages * 4096); /* what an earlier owner left: it must never be read */
	fake_mm_pages += npages;
	return (uint64_t)(uintptr_t)p;
}

bool mm_claim_clean(uint64_t pa, uint64_t npages) { (void)pa, (void)npages; return false; }
