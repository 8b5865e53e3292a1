/* kernel/mm/pmm.c: bitmap physical page allocator (pure logic, unit-tested on the host). */
#include "kernel/mm/pmm.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"

static inline bool get_bit(const uint64_t *bm, uint64_t i) { return (bm[i / 64] >> (i % 64)) & 1; }

void pmm_setup(struct pmm *p, uint64_t *bitmap, uint64_t n_pages)
{
	p->bitmap = bitmap;
	p->n_pages = n_pages;
	p->free_pages = 0;
	p->usable_pages = 0;
	p->hint = 0;
	memset(bitmap, 0xff, pmm_bitmap_bytes(n_pages));
}

/* Bits set in w (SWAR count; the kernel links no libgcc for __builtin_popcount). */
static uint64_t popcount64(uint64_t w)
{
	w = w - ((w >> 1) & 0x5555555555555555ull);
	w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (w * 0x0101010101010101ull) >> 56;
}

/* Sets (used = 1) or clears the bits of pages [first, end); returns how many changed.
 * Whole 64-page words at a time where it can (boot marks all of RAM this way). */
static uint64_t mark(struct pmm *p, uint64_t first, uint64_t end, int used)
{
	uint64_t changed = 0, i = first;
	while (i < end) {
		if (i % 64 == 0 && end - i >= 64) {
			uint64_t w = p->bitmap[i / 64], flips = used ? ~w : w;
			changed += flips == UINT64_MAX ? 64 : popcount64(flips); /* a whole word flips: the common case */
			p->bitmap[i / 64] = used ? UINT64_MAX : 0;
			i += 64;
			continue;
		}
		if (get_bit(p->bitmap, i) != (bool)used) {
			p->bitmap[i / 64] ^= 1ull << (i % 64); /* not yet as asked: flipped */
			changed++;
		}
		i++;
	}
	return changed;
}

/* How many pages from first on (at most n) are all used, or all free: whole 64-page words
 * at a time where it can. */
static inline __attribute__((always_inline)) uint64_t run_of(const struct pmm *p, uint64_t first, uint64_t n, bool used)
{
	uint64_t run = 0;
	while (run < n) {
		uint64_t i = first + run;
		if (i % 64 == 0 && n - run >= 64 && p->bitmap[i / 64] == (used ? UINT64_MAX : 0)) {
			run += 64;
			continue;
		}
		if (get_bit(p->bitmap, i) != used)
			break;
		run++;
	}
	return run;
}

void pmm_add_free(struct pmm *p, uint64_t base, uint64_t len)
{
	if (len == 0 || base + len < base)
		return;
	uint64_t first = (base + PMM_PAGE - 1) / PMM_PAGE;
	uint64_t end = (base + len) / PMM_PAGE;
	if (end > p->n_pages)
		end = p->n_pages;
	if (first >= end)
		return;
	uint64_t n = mark(p, first, end, 0);
	p->free_pages += n;
	p->usable_pages += n;
	if (first < p->hint)
		p->hint = first;
}

void pmm_reserve(struct pmm *p, uint64_t base, uint64_t len)
{
	if (len == 0)
		return;
	uint64_t last_byte = base + len - 1 < base ? UINT64_MAX : base + len - 1;
	uint64_t first = base / PMM_PAGE;
	uint64_t end = last_byte / PMM_PAGE + 1;
	if (end > p->n_pages)
		end = p->n_pages;
	if (first >= end)
		return;
	uint64_t n = mark(p, first, end, 1);
	p->free_pages -= n;
	p->usable_pages -= n;
}

int pmm_alloc(struct pmm *p, uint64_t npages, uint64_t align_pages, uint64_t *pa)
{
	if (npages == 0 || align_pages == 0 || (align_pages & (align_pages - 1)))
		return -UV_EINVAL;
	if (npages > p->free_pages)
		return -UV_ENOMEM;
	uint64_t i = (p->hint + align_pages - 1) & ~(align_pages - 1);
	while (i + npages <= p->n_pages && i + npages > i) {
		/* Skip whole used words quickly. */
		if ((i % 64) == 0 && p->bitmap[i / 64] == UINT64_MAX) {
			i += 64;
			continue;
		}
		uint64_t run = run_of(p, i, npages, false);
		if (run == npages) {
			mark(p, i, i + npages, 1);
			p->free_pages -= npages;
			if (align_pages == 1 && i == p->hint)
				p->hint = i + npages;
			*pa = i * PMM_PAGE;
			return 0;
		}
		/* Restart after the used page, at the next aligned index. */
		i = (i + run + 1 + align_pages - 1) & ~(align_pages - 1);
	}
	return -UV_ENOMEM;
}

int pmm_free(struct pmm *p, uint64_t pa, uint64_t npages)
{
	if (pa % PMM_PAGE || npages == 0)
		return -UV_EINVAL;
	uint64_t first = pa / PMM_PAGE;
	if (first >= p->n_pages || npages > p->n_pages - first)
		return -UV_EINVAL;
	if (run_of(p, first, npages, true) != npages)
		return -UV_EINVAL; /* every page must be in use: nothing changes otherwise */
	mark(p, first, first + npages, 0);
	p->free_pages += npages;
	if (first < p->hint)
		p->hint = first;
	return 0;
}
