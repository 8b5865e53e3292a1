/* kernel/mm/pmm.h: the physical page allocator: a bitmap over [0, n_pages * 4 KiB), one bit per page. */
#ifndef KERNEL_PMM_H
#define KERNEL_PMM_H

#include <stdint.h>
#include <stdbool.h>

#include "kernel/arch/x86.h"

#define PMM_PAGE PAGE_SIZE

struct pmm {
	uint64_t *bitmap;     /* bit set = page in use or not RAM */
	uint64_t n_pages;     /* pages the bitmap covers */
	uint64_t free_pages;  /* pages currently free */
	uint64_t usable_pages;/* pages that were ever marked free (RAM not reserved at boot) */
	uint64_t hint;        /* a page index at or below the first free page */
};

/* Bytes of bitmap needed to cover n_pages. */
static inline uint64_t pmm_bitmap_bytes(uint64_t n_pages) { return ((n_pages + 63) / 64) * 8; }

/* Starts with every page in use; the caller then frees RAM and re-reserves holes. */
void pmm_setup(struct pmm *p, uint64_t *bitmap, uint64_t n_pages);
/* Marks the whole pages inside [base, base+len) free (rounds inward). */
void pmm_add_free(struct pmm *p, uint64_t base, uint64_t len);
/* Marks every page touching [base, base+len) used (rounds outward). */
void pmm_reserve(struct pmm *p, uint64_t base, uint64_t len);
/* Finds npages contiguous free pages starting at a multiple of align_pages (a power of
 * two), marks them used, stores the physical address. -UV_ENOMEM / -UV_EINVAL. */
int pmm_alloc(struct pmm *p, uint64_t npages, uint64_t align_pages, uint64_t *pa);
/* Frees pages allocated before. Refuses (-UV_EINVAL, nothing changed) a range that is
 * not page-aligned, out of range, or not wholly in use (a double free). */
int pmm_free(struct pmm *p, uint64_t pa, uint64_t npages);

#endif
