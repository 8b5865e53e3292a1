/* kernel/mm/mm.c: brings up the physical page allocator from the boot memory map; kalloc_pages/kfree_pages. */
#include "kernel/mm/mm.h"
#include "kernel/mm/pt.h"
#include "include/abi/uv_errno.h"
#include "kernel/console/console.h"
#include "kernel/lib/kstring.h"

#define LOW_RESERVED (1ull << 20) /* BIOS data, real-mode IVT, loader structures */

static struct pmm pmm;
/* One bit per page: set = known to hold zeros (scrubbed when freed), so the next
 * allocation need not zero it again. Every page starts unknown (not clean). */
static uint64_t *clean;
static uint64_t scrub_cursor; /* mm_scrub_some: the bitmap word it looks at next */
static bool all_clean;        /* no free page is dirty (set by a pass that found none) */
static uint64_t ram_bytes;    /* RAM the memory map reported (mm_print) */
static uint64_t pages_at_init;

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Ranges that must never be handed out. */
static void reserve_fixed(const struct boot_info *bi)
{
	pmm_reserve(&pmm, 0, LOW_RESERVED);
	pmm_reserve(&pmm, (uint64_t)(uintptr_t)__kernel_start,
		    (uint64_t)(uintptr_t)__kernel_end - (uint64_t)(uintptr_t)__kernel_start);
	for (size_t i = 0; i < bi->n_modules; i++)
		pmm_reserve(&pmm, bi->modules[i].base, bi->modules[i].len);
	if (bi->info_len)
		pmm_reserve(&pmm, bi->info_base, bi->info_len);
	/* Anything the map calls non-RAM, even where it overlaps RAM entries. */
	for (size_t i = 0; i < bi->n_regions; i++)
		if (bi->regions[i].type != BOOT_MEM_RAM)
			pmm_reserve(&pmm, bi->regions[i].base, bi->regions[i].len);
}

void mm_init(const struct boot_info *bi)
{
	uint64_t top = 0, ram = 0;
	for (size_t i = 0; i < bi->n_regions; i++) {
		const struct boot_region *r = &bi->regions[i];
		if (r->type != BOOT_MEM_RAM)
			continue;
		ram += r->len;
		if (r->base + r->len > top)
			top = r->base + r->len;
	}
	if (top > (1ull << 46))
		top = 1ull << 46; /* beyond what we identity-map */
	uint64_t n_pages = top / PMM_PAGE;
	uint64_t bm_bytes = align_up(2 * pmm_bitmap_bytes(n_pages), PMM_PAGE); /* used + clean bitmaps */

	/* Place the bitmap in the first RAM range above 1 MiB that clashes with nothing. */
	uint64_t kstart = (uint64_t)(uintptr_t)__kernel_start, kend = (uint64_t)(uintptr_t)__kernel_end;
	uint64_t bm = 0;
	for (size_t i = 0; i < bi->n_regions && !bm; i++) {
		const struct boot_region *r = &bi->regions[i];
		if (r->type != BOOT_MEM_RAM)
			continue;
		uint64_t cand = align_up(r->base > LOW_RESERVED ? r->base : LOW_RESERVED, PMM_PAGE);
		while (cand + bm_bytes <= r->base + r->len && cand + bm_bytes <= (1ull << 30)) { /* early map: 1 GiB */
			uint64_t bump = 0;
			if (overlaps(cand, bm_bytes, kstart, kend - kstart))
				bump = kend;
			else if (bi->info_len && overlaps(cand, bm_bytes, bi->info_base, bi->info_len))
				bump = bi->info_base + bi->info_len;
			for (size_t m = 0; m < bi->n_modules && !bump; m++)
				if (overlaps(cand, bm_bytes, bi->modules[m].base, bi->modules[m].len))
					bump = bi->modules[m].base + bi->modules[m].len;
			if (!bump) {
				bm = cand;
				break;
			}
			cand = align_up(bump, PMM_PAGE);
		}
	}
	if (!bm)
		panic("no room for the page bitmap (%llu bytes)", (unsigned long long)bm_bytes);

	pmm_setup(&pmm, (uint64_t *)(uintptr_t)bm, n_pages);
	clean = (uint64_t *)(uintptr_t)(bm + pmm_bitmap_bytes(n_pages));
	memset(clean, 0, pmm_bitmap_bytes(n_pages));
	for (size_t i = 0; i < bi->n_regions; i++)
		if (bi->regions[i].type == BOOT_MEM_RAM)
			pmm_add_free(&pmm, bi->regions[i].base, bi->regions[i].len);
	reserve_fixed(bi);
	pmm_reserve(&pmm, bm, bm_bytes);
	if (pmm.free_pages == 0)
		panic("no usable RAM after reservations");

	ram_bytes = ram;
	pages_at_init = pmm.free_pages;
}

uint64_t kalloc_pages(uint64_t npages, uint64_t align_pages)
{
	uint64_t pa;
	if (pmm_alloc(&pmm, npages, align_pages, &pa))
		return 0;
	/* Zero what is not known to be zero, in runs (a word of 64 pages at a time where
	 * it can); the pages are not clean once given out. */
	uint64_t first = pa / PMM_PAGE, end = first + npages, run_start = first;
	for (uint64_t pg = first; pg < end;) {
		if (pg % 64 == 0 && end - pg >= 64 && clean[pg / 64] == 0) {
			pg += 64; /* all dirty: part of the run */
			continue;
		}
		if ((clean[pg / 64] >> (pg % 64)) & 1) {
			if (pg > run_start)
				memset((void *)(uintptr_t)(run_start * PMM_PAGE), 0, (pg - run_start) * PMM_PAGE);
			clean[pg / 64] &= ~(1ull << (pg % 64));
			run_start = pg + 1;
		}
		pg++;
	}
	if (end > run_start)
		memset((void *)(uintptr_t)(run_start * PMM_PAGE), 0, (end - run_start) * PMM_PAGE);
	return pa;
}

uint64_t kalloc_pages_unzeroed(uint64_t npages, uint64_t align_pages)
{
	uint64_t pa;
	return pmm_alloc(&pmm, npages, align_pages, &pa) ? 0 : pa;
}

bool mm_claim_clean(uint64_t pa, uint64_t npages)
{
	uint64_t pg = pa / PMM_PAGE, end = pg + npages, all = UINT64_MAX;
	for (; pg < end && pg % 64; pg++) { /* the head, page by page */
		all &= clean[pg / 64] >> (pg % 64) & 1 ? UINT64_MAX : 0;
		clean[pg / 64] &= ~(1ull << (pg % 64));
	}
	for (; end - pg >= 64 && pg < end; pg += 64) { /* whole words of 64 pages */
		all &= clean[pg / 64];
		clean[pg / 64] = 0;
	}
	for (; pg < end; pg++) { /* the tail */
		all &= clean[pg / 64] >> (pg % 64) & 1 ? UINT64_MAX : 0;
		clean[pg / 64] &= ~(1ull << (pg % 64));
	}
	return all == UINT64_MAX;
}

void kfree_pages(uint64_t pa, uint64_t npages)
{
	if (pmm_free(&pmm, pa, npages))
		panic("bad free of %llu pages at %#llx", (unsigned long long)npages, (unsigned long long)pa);
	all_clean = false;
}

/*
 * Freed pages keep what their owner left until kalloc_pages zeroes them for the next
 * one; this zeroes free pages ahead of that, when the CPU has nothing else to do, so an
 * app's data does not linger in free memory and the next allocation skips the work.
 * A cursor walks the bitmap; a full pass that finds nothing says all is clean.
 */
uint64_t mm_scrub_some(uint64_t max_bytes)
{
	uint64_t words = pmm_bitmap_bytes(pmm.n_pages) / 8, budget = max_bytes / PMM_PAGE, done = 0;
	for (uint64_t seen = 0; !all_clean && seen < words && done < budget; seen++) {
		uint64_t w = scrub_cursor;
		uint64_t dirty_free = ~pmm.bitmap[w] & ~clean[w];
		while (dirty_free && done < budget) {
			unsigned bit = (unsigned)__builtin_ctzll(dirty_free);
			uint64_t pg = w * 64 + bit;
			if (pg < pmm.n_pages) {
				memset((void *)(uintptr_t)(pg * PMM_PAGE), 0, PMM_PAGE);
				done++;
			}
			clean[w] |= 1ull << bit;
			dirty_free &= dirty_free - 1;
		}
		if (dirty_free)
			break; /* budget spent inside this word: go on here next time */
		scrub_cursor = (w + 1) % words;
		if (seen + 1 == words && done == 0)
			all_clean = true;
	}
	return done * PMM_PAGE;
}

uint64_t mm_pages_in_use(void) { return pages_at_init - pmm.free_pages; }


void mm_print(const struct boot_info *bi)
{
	static const char *const names[] = { "?", "RAM", "reserved", "ACPI", "NVS", "bad" };
	kprintf("memory map (%s, %zu entries):\n", bi->loader, bi->n_regions);
	for (size_t i = 0; i < bi->n_regions; i++) {
		const struct boot_region *r = &bi->regions[i];
		kprintf("  [0x%012llx - 0x%012llx) %s\n", (unsigned long long)r->base,
			(unsigned long long)(r->base + r->len), names[r->type <= 5 ? r->type : 0]);
	}
	kprintf("memory: %llu KiB RAM, %llu KiB usable, %llu KiB free, kernel [%#llx - %#llx)\n",
		(unsigned long long)(ram_bytes >> 10), (unsigned long long)(pmm.usable_pages * PMM_PAGE >> 10),
		(unsigned long long)(pmm.free_pages * PMM_PAGE >> 10), (unsigned long long)(uintptr_t)__kernel_start,
		(unsigned long long)(uintptr_t)__kernel_end);
}

/* Page tables in kernel memory (identity-mapped: physical address == pointer). */
static int table_alloc(void *ctx, uint64_t *pa)
{
	(void)ctx;
	*pa = kalloc_pages(1, 1);
	return *pa ? 0 : -UV_ENOMEM;
}
static void table_free(void *ctx, uint64_t pa) { (void)ctx; kfree_pages(pa, 1); }
static uint64_t *table_ptr(void *ctx, uint64_t pa) { (void)ctx; return (uint64_t *)(uintptr_t)pa; }
const struct pt_mem mm_table_mem = { 0, table_alloc, table_free, table_ptr };
