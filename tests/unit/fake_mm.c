/* tests/unit/fake_mm.c: kalloc_pages(_raw)/kfree_pages over the host heap, so kernel code that allocates pages runs in unit tests. */
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

/* Not zeroed, as in the kernel: filled with a pattern, so code that reads before it writes
 * shows up in the tests. */
uint64_t kalloc_pages_raw(uint64_t npages, uint64_t align_pages)
{
	void *p = aligned_alloc(4096 * align_pages, npages * 4096);
	if (!p)
		return 0;
	memset(p, 0xa5, npages * 4096);
	fake_mm_pages += npages;
	return (uint64_t)(uintptr_t)p;
}

void kfree_pages(uint64_t pa, uint64_t npages)
{
	fake_mm_pages -= npages;
	free((void *)(uintptr_t)pa);
}


