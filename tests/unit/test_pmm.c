/* tests/unit/test_pmm.c: the physical page allocator: setup, reservations, alignment, exhaustion, bad frees. */
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "kernel/mm/pmm.h"
#include "include/abi/uv_errno.h"

#define NPAGES 4096 /* 16 MiB */
static uint64_t bm[NPAGES / 64];

/* Whether page is in use (or outside the bitmap: counts as used). */
static bool pmm_is_used(const struct pmm *p, uint64_t page)
{
	return page >= p->n_pages || ((p->bitmap[page / 64] >> (page % 64)) & 1);
}

static void fresh(struct pmm *p)
{
	pmm_setup(p, bm, NPAGES);
	pmm_add_free(p, 0x100000, 15ull << 20); /* [1 MiB, 16 MiB) */
}

TEST(setup_counts)
{
	struct pmm p;
	fresh(&p);
	CHECK_EQ(p.free_pages, 3840);
	CHECK_EQ(p.usable_pages, 3840);
	CHECK(pmm_is_used(&p, 0));
	CHECK(pmm_is_used(&p, 255));
	CHECK(!pmm_is_used(&p, 256));
	CHECK(pmm_is_used(&p, NPAGES)); /* out of range counts as used */
}

TEST(add_free_rounds_inward_reserve_outward)
{
	struct pmm p;
	pmm_setup(&p, bm, NPAGES);
	pmm_add_free(&p, 0x1001, 0x3000); /* [0x1001, 0x4001): only pages 2 and 3 are whole */
	CHECK_EQ(p.free_pages, 2);
	CHECK(pmm_is_used(&p, 1) && !pmm_is_used(&p, 2) && !pmm_is_used(&p, 3) && pmm_is_used(&p, 4));
	pmm_reserve(&p, 0x3fff, 2); /* touches pages 3 and 4 */
	CHECK_EQ(p.free_pages, 1);
	CHECK(pmm_is_used(&p, 3));
	pmm_reserve(&p, 0x2000, 0); /* empty: nothing */
	CHECK_EQ(p.free_pages, 1);
}

TEST(alloc_and_free)
{
	struct pmm p;
	fresh(&p);
	uint64_t a, b;
	CHECK_EQ(pmm_alloc(&p, 1, 1, &a), 0);
	CHECK_EQ(a, 0x100000);
	CHECK_EQ(pmm_alloc(&p, 3, 1, &b), 0);
	CHECK_EQ(b, 0x101000);
	CHECK_EQ(p.free_pages, 3836);
	CHECK_EQ(pmm_free(&p, a, 1), 0);
	CHECK_EQ(pmm_alloc(&p, 1, 1, &a), 0);
	CHECK_EQ(a, 0x100000); /* the freed page comes back first */
	CHECK_EQ(pmm_free(&p, b, 3), 0);
	CHECK_EQ(pmm_free(&p, a, 1), 0);
	CHECK_EQ(p.free_pages, 3840);
}

TEST(alloc_aligned_2m)
{
	struct pmm p;
	fresh(&p);
	uint64_t a, big;
	CHECK_EQ(pmm_alloc(&p, 1, 1, &a), 0);
	CHECK_EQ(pmm_alloc(&p, 512, 512, &big), 0);
	CHECK_EQ(big % (2u << 20), 0);
	CHECK_EQ(big, 0x200000);
	for (uint64_t i = 0; i < 512; i++)
		CHECK(pmm_is_used(&p, big / 4096 + i));
	CHECK(!pmm_is_used(&p, big / 4096 + 512));
}

TEST(exhaustion)
{
	struct pmm p;
	fresh(&p);
	uint64_t a;
	CHECK_EQ(pmm_alloc(&p, 3841, 1, &a), -UV_ENOMEM);
	CHECK_EQ(pmm_alloc(&p, 3840, 1, &a), 0);
	CHECK_EQ(p.free_pages, 0);
	CHECK_EQ(pmm_alloc(&p, 1, 1, &a), -UV_ENOMEM);
}

TEST(fragmentation)
{
	struct pmm p;
	fresh(&p);
	uint64_t pages[8], c;
	for (int i = 0; i < 8; i++)
		CHECK_EQ(pmm_alloc(&p, 1, 1, &pages[i]), 0);
	for (int i = 0; i < 8; i += 2)
		CHECK_EQ(pmm_free(&p, pages[i], 1), 0);
	/* No 2-page hole among the freed singles: the run comes after them. */
	CHECK_EQ(pmm_alloc(&p, 2, 1, &c), 0);
	CHECK_EQ(c, pages[7] + 4096);
}

TEST(bad_args_and_double_free)
{
	struct pmm p;
	fresh(&p);
	uint64_t a;
	CHECK_EQ(pmm_alloc(&p, 0, 1, &a), -UV_EINVAL);
	CHECK_EQ(pmm_alloc(&p, 1, 3, &a), -UV_EINVAL); /* not a power of two */
	CHECK_EQ(pmm_alloc(&p, 2, 1, &a), 0);
	CHECK_EQ(pmm_free(&p, a + 1, 1), -UV_EINVAL); /* unaligned */
	CHECK_EQ(pmm_free(&p, a, 3), -UV_EINVAL);     /* third page was never allocated */
	CHECK_EQ(p.free_pages, 3838);                 /* ... and nothing changed */
	CHECK_EQ(pmm_free(&p, a, 2), 0);
	CHECK_EQ(pmm_free(&p, a, 1), -UV_EINVAL);     /* double free */
	CHECK_EQ(pmm_free(&p, (uint64_t)NPAGES * 4096, 1), -UV_EINVAL);
	CHECK_EQ(pmm_free(&p, 0xfff000, UINT64_MAX), -UV_EINVAL); /* length overflow */
}

TEST(reserve_everything_then_nothing_to_give)
{
	struct pmm p;
	fresh(&p);
	pmm_reserve(&p, 0, UINT64_MAX); /* wraps: clamps to the bitmap */
	CHECK_EQ(p.free_pages, 0);
	uint64_t a;
	CHECK_EQ(pmm_alloc(&p, 1, 1, &a), -UV_ENOMEM);
}
