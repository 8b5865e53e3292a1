/* tests/unit/test_pt.c: the generic page-table builder with the x86 format: leaf sizes, overlap refusal, split on unmap. */
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "kernel/mm/pt.h"
#include "include/abi/uv_errno.h"

/* Fake physical memory: table pages live in a pool; "physical" address = 0x1000000 + index*4096. */
#define POOL 256
static uint64_t pool[POOL][512] __attribute__((aligned(4096)));
static int used[POOL], allocs, frees, fail_after = -1;

static int t_alloc(void *ctx, uint64_t *pa)
{
	(void)ctx;
	if (fail_after == 0)
		return -UV_ENOMEM;
	if (fail_after > 0)
		fail_after--;
	for (int i = 0; i < POOL; i++)
		if (!used[i]) {
			used[i] = 1;
			memset(pool[i], 0, 4096);
			*pa = 0x1000000 + (uint64_t)i * 4096;
			allocs++;
			return 0;
		}
	return -UV_ENOMEM;
}
static void t_free(void *ctx, uint64_t pa) { (void)ctx; used[(pa - 0x1000000) / 4096] = 0; frees++; }
static uint64_t *t_ptr(void *ctx, uint64_t pa) { (void)ctx; return pool[(pa - 0x1000000) / 4096]; }
static const struct pt_mem mem = { 0, t_alloc, t_free, t_ptr };

static void reset(void)
{
	memset(used, 0, sizeof(used));
	allocs = frees = 0;
	fail_after = -1;
}

TEST(map_uses_large_leaves_when_aligned)
{
	reset();
	struct pt pt;
	CHECK_EQ(pt_init(&pt, &pt_x86_format, &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x200000, 0x40000000, 0x400000, PROT_R | PROT_W), 0);
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(pt_lookup(&pt, 0x3ff123, &pa, &prot, &level), 0);
	CHECK_EQ(level, 2);
	CHECK_EQ(pa, 0x401ff123);
	CHECK((prot & PROT_W) && !(prot & PROT_X));
	CHECK_EQ(pt.tables, 3); /* PML4, PDPT, PD */
	pt_destroy(&pt);
	CHECK_EQ(allocs, frees);
}

/* 4 KiB pages mapped, unmapped, then the whole 2 MiB as one leaf (a first-touch chunk
 * going from page by page to whole): the emptied table is freed, not leaked. */
TEST(large_leaf_over_emptied_table)
{
	reset();
	struct pt pt;
	CHECK_EQ(pt_init(&pt, &pt_x86_format, &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x200000, 0x40000000, 0x3000, PROT_R | PROT_W), 0);
	CHECK_EQ(pt.tables, 4); /* PML4, PDPT, PD, PT */
	CHECK_EQ(pt_unmap(&pt, 0x200000, 0x200000), 0);
	CHECK_EQ(pt_map(&pt, 0x200000, 0x40000000, 0x200000, PROT_R | PROT_W), 0);
	CHECK_EQ(pt.tables, 3);
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(pt_lookup(&pt, 0x3ff123, &pa, &prot, &level), 0);
	CHECK_EQ(level, 2);
	CHECK_EQ(pa, 0x401ff123);
	pt_destroy(&pt);
	CHECK_EQ(allocs, frees);
}

TEST(map_1g_leaf)
{
	reset();
	struct pt pt;
	CHECK_EQ(pt_init(&pt, &pt_x86_format, &mem), 0);
	CHECK_EQ(pt_map(&pt, 1ull << 30, 1ull << 30, 1ull << 30, PROT_R | PROT_W), 0);
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(pt_lookup(&pt, (1ull << 30) + 5, &pa, &prot, &level), 0);
	CHECK_EQ(level, 3);
	CHECK_EQ(pt.tables, 2);
	pt_destroy(&pt);
}

TEST(map_4k_at_unaligned_edges)
{
	reset();
	struct pt pt;
	CHECK_EQ(pt_init(&pt, &pt_x86_format, &mem), 0);
	/* [0x1ff000, 0x401000): 4K + 2M + 4K */
	CHECK_EQ(pt_map(&pt, 0x1ff000, 0x1ff000, 0x202000, PROT_R | PROT_X), 0);
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(pt_lookup(&pt, 0x1ff000, &pa, &prot, &level), 0);
	CHECK_EQ(level, 1);
	CHECK_EQ(pt_lookup(&pt, 0x200000, &pa, &prot, &level), 0);
	CHECK_EQ(level, 2);
	CHECK_EQ(pt_lookup(&pt, 0x400000, &pa, &prot, &level), 0);
	CHECK_EQ(level, 1);
	CHECK(prot & PROT_X);
	CHECK(!(prot & PROT_W));
	CHECK_EQ(pt_lookup(&pt, 0x401000, &pa, &prot, &level), -UV_EFAULT);
	CHECK_EQ(pt_lookup(&pt, 0x1fe000, &pa, &prot, &level), -UV_EFAULT);
	pt_destroy(&pt);
	CHECK_EQ(allocs, frees);
}

TEST(overlap_is_refused_and_changes_nothing)
{
	reset();
	struct pt pt;
	CHECK_EQ(pt_init(&pt, &pt_x86_format, &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x600000, 0x600000, 0x1000, PROT_R), 0);
	uint64_t tables = pt.tables;
	CHECK_EQ(pt_map(&pt, 0x400000, 0x800000, 0x400000, PROT_R | PROT_W), -UV_EINVAL);
	CHECK_EQ(pt.tables, tables);
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(pt_lookup(&pt, 0x400000, &pa, &prot, &level), -UV_EFAULT);
	CHECK_EQ(pt_lookup(&pt, 0x600000, &pa, &prot, &level), 0);
	CHECK_EQ(pa, 0x600000);
	pt_destroy(&pt);
}

TEST(bad_arguments)
{
	reset();
	struct pt pt;
	CHECK_EQ(pt_init(&pt, &pt_x86_format, &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x1001, 0, 0x1000, PROT_R), -UV_EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0, 0, PROT_R), -UV_EINVAL);
	CHECK_EQ(pt_map(&pt, 0xfffffffffffff000ull, 0, 0x2000, PROT_R), -UV_EINVAL); /* wraps */
	CHECK_EQ(pt_map(&pt, 1ull << 47, 0, 0x1000, PROT_R), -UV_EINVAL);             /* non-canonical */
	CHECK_EQ(pt_unmap(&pt, 0x1000, 0x1001), -UV_EINVAL);
	CHECK_EQ(pt.tables, 1);
	pt_destroy(&pt);
}

TEST(unmap_splits_large_leaf)
{
	reset();
	struct pt pt;
	CHECK_EQ(pt_init(&pt, &pt_x86_format, &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x200000, 0x10200000, 0x200000, PROT_R | PROT_W), 0);
	CHECK_EQ(pt_unmap(&pt, 0x201000, 0x1000), 0);
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(pt_lookup(&pt, 0x201000, &pa, &prot, &level), -UV_EFAULT);
	CHECK_EQ(pt_lookup(&pt, 0x200000, &pa, &prot, &level), 0);
	CHECK_EQ(level, 1);
	CHECK_EQ(pa, 0x10200000);
	CHECK(prot & PROT_W);
	CHECK_EQ(pt_lookup(&pt, 0x3ff000, &pa, &prot, &level), 0);
	CHECK_EQ(pa, 0x103ff000);
	/* Unmapping a whole large leaf clears it without a split. */
	CHECK_EQ(pt_map(&pt, 0x400000, 0x400000, 0x200000, PROT_R), 0);
	uint64_t tables = pt.tables;
	CHECK_EQ(pt_unmap(&pt, 0x400000, 0x200000), 0);
	CHECK_EQ(pt.tables, tables);
	CHECK_EQ(pt_lookup(&pt, 0x400000, &pa, &prot, &level), -UV_EFAULT);
	/* Unmapping what was never mapped is fine. */
	CHECK_EQ(pt_unmap(&pt, 0x40000000, 0x1000), 0);
	pt_destroy(&pt);
	CHECK_EQ(allocs, frees);
}

TEST(out_of_table_memory)
{
	reset();
	struct pt pt;
	CHECK_EQ(pt_init(&pt, &pt_x86_format, &mem), 0);
	fail_after = 1; /* the PDPT fits, the PD does not */
	CHECK_EQ(pt_map(&pt, 0x1000, 0x1000, 0x1000, PROT_R), -UV_ENOMEM);
	fail_after = -1;
	CHECK_EQ(pt_map(&pt, 0x1000, 0x1000, 0x1000, PROT_R), 0);
	pt_destroy(&pt);
	CHECK_EQ(allocs, frees);
}

/* Out of table memory halfway through a range: nothing of the range stays mapped. */
TEST(failed_map_rolls_back)
{
	reset();
	struct pt pt;
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(pt_init(&pt, &pt_x86_format, &mem), 0);
	/* 4 KiB pages across a 1 GiB boundary: the second half needs a new PD and PT. */
	fail_after = 3; /* PDPT, PD, PT of the first half; the second PD fails */
	CHECK_EQ(pt_map(&pt, (1ull << 30) - 0x2000, 0x5000000, 0x4000, PROT_R | PROT_W), -UV_ENOMEM);
	fail_after = -1;
	CHECK(pt_lookup(&pt, (1ull << 30) - 0x2000, &pa, &prot, &level) != 0);
	CHECK(pt_lookup(&pt, (1ull << 30) - 0x1000, &pa, &prot, &level) != 0);
	/* and the same range maps cleanly afterwards */
	CHECK_EQ(pt_map(&pt, (1ull << 30) - 0x2000, 0x5000000, 0x4000, PROT_R | PROT_W), 0);
	CHECK_EQ(pt_lookup(&pt, (1ull << 30) + 0x1000, &pa, &prot, &level), 0);
	CHECK_EQ(pa, 0x5003000);
	pt_destroy(&pt);
	CHECK_EQ(allocs, frees);
}

TEST(max_leaf_level_is_respected)
{
	reset();
	struct pt_format f = pt_x86_format;
	f.max_leaf_level = 1;
	struct pt pt;
	CHECK_EQ(pt_init(&pt, &f, &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x200000, 0x200000, 0x200000, PROT_R), 0);
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(pt_lookup(&pt, 0x200000, &pa, &prot, &level), 0);
	CHECK_EQ(level, 1);
	pt_destroy(&pt);
}

TEST(user_format_sets_us_everywhere)
{
	reset();
	struct pt pt;
	CHECK_EQ(pt_init(&pt, &pt_x86_user_format, &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x1000, 0x5000, 0x1000, PROT_R | PROT_W | PROT_X), 0);
	uint64_t e = t_ptr(0, pt.root)[0];
	CHECK(e & 4); /* PML4E U/S */
	uint64_t *pdpt = t_ptr(0, e & PT_ADDR_MASK), *pd = t_ptr(0, pdpt[0] & PT_ADDR_MASK);
	uint64_t *ptab = t_ptr(0, pd[0] & PT_ADDR_MASK);
	CHECK(pdpt[0] & 4);
	CHECK(pd[0] & 4);
	CHECK_EQ(ptab[1], 0x5000 | 1 | 2 | 4);
	pt_destroy(&pt);
}
