/* tests/unit/test_ept.c: the EPT entry format through the generic page-table builder, the EPTP, and EPT permission rules. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "hv/vmx/vmx.h"
#include "include/abi/uv_errno.h"

/* Fake physical memory for table pages: "physical" address = 0x7000000 + index * 4096. */
#define POOL 64
static uint64_t pool[POOL][512] __attribute__((aligned(4096)));
static int used[POOL], live;

static int t_alloc(void *ctx, uint64_t *pa)
{
	(void)ctx;
	for (int i = 0; i < POOL; i++)
		if (!used[i]) {
			used[i] = 1;
			live++;
			memset(pool[i], 0, 4096);
			*pa = 0x7000000 + (uint64_t)i * 4096;
			return 0;
		}
	return -UV_ENOMEM;
}
static void t_free(void *ctx, uint64_t pa) { (void)ctx; used[(pa - 0x7000000) / 4096] = 0; live--; }
static uint64_t *t_ptr(void *ctx, uint64_t pa) { (void)ctx; return pool[(pa - 0x7000000) / 4096]; }
static const struct pt_mem mem = { 0, t_alloc, t_free, t_ptr };

/* The raw entry at `level` (4 = PML4) on the walk of gpa. */
static uint64_t entry(const struct pt *pt, uint64_t gpa, int level)
{
	uint64_t table = pt->root;
	for (int l = 4;; l--) {
		uint64_t e = t_ptr(0, table)[(gpa >> (12 + 9 * (l - 1))) & 511];
		if (l == level)
			return e;
		table = e & PT_ADDR_MASK;
	}
}

TEST(leaf_bits_follow_sdm_28_3_2)
{
	struct pt pt;
	CHECK_EQ(pt_init(&pt, ept_format(2), &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x200000, 0x40000000, 0x200000, PROT_R | PROT_W), 0);
	CHECK_EQ(pt_map(&pt, 0x1000, 0x5000, 0x1000, PROT_R | PROT_X), 0);
	/* Tables: R|W|X, nothing else; the leaf alone restricts. */
	CHECK_EQ(entry(&pt, 0x200000, 4) & 0xfff, 7);
	CHECK_EQ(entry(&pt, 0x200000, 3) & 0xfff, 7);
	/* 2 MiB leaf: R W, WB (6 << 3), IPAT (bit 6: the guest PAT is ignored), bit 7. */
	CHECK_EQ(entry(&pt, 0x200000, 2), 0x40000000 | 1 | 2 | (6 << 3) | (1 << 6) | (1 << 7));
	/* 4 KiB leaf: R X, WB, IPAT, no bit 7. */
	CHECK_EQ(entry(&pt, 0x1000, 1), 0x5000 | 1 | 4 | (6 << 3) | (1 << 6));
	pt_destroy(&pt);
	CHECK_EQ(live, 0);
}

TEST(lookup_returns_prot_and_large_leaves)
{
	struct pt pt;
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(pt_init(&pt, ept_format(2), &mem), 0);
	/* [0x1ff000, 0x401000): a 4K, a 2M and a 4K leaf */
	CHECK_EQ(pt_map(&pt, 0x1ff000, 0x11ff000, 0x202000, PROT_R | PROT_W | PROT_X), 0);
	CHECK_EQ(pt_lookup(&pt, 0x1ff123, &pa, &prot, &level), 0);
	CHECK_EQ(level, 1);
	CHECK_EQ(pa, 0x11ff123);
	CHECK_EQ(pt_lookup(&pt, 0x3fffff, &pa, &prot, &level), 0);
	CHECK_EQ(level, 2);
	CHECK_EQ(pa, 0x13fffff);
	CHECK_EQ(prot, PROT_R | PROT_W | PROT_X);
	CHECK_EQ(pt_lookup(&pt, 0x401000, &pa, &prot, &level), -UV_EFAULT);
	pt_destroy(&pt);
}

TEST(format_levels)
{
	struct pt pt;
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(ept_format(3)->max_leaf_level, 3);
	CHECK_EQ(ept_format(1)->max_leaf_level, 1);
	CHECK_EQ(ept_format(9)->max_leaf_level, 3);
	CHECK_EQ(pt_init(&pt, ept_format(3), &mem), 0);
	CHECK_EQ(pt_map(&pt, 1ull << 30, 3ull << 30, 1ull << 30, PROT_R), 0);
	CHECK_EQ(pt_lookup(&pt, (1ull << 30) + 77, &pa, &prot, &level), 0);
	CHECK_EQ(level, 3);
	CHECK_EQ(entry(&pt, 1ull << 30, 3), (3ull << 30) | 1 | (6 << 3) | (1 << 6) | (1 << 7));
	pt_destroy(&pt);
	/* Without large pages everything is 4 KiB. */
	CHECK_EQ(pt_init(&pt, ept_format(1), &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x200000, 0x200000, 0x200000, PROT_R), 0);
	CHECK_EQ(pt_lookup(&pt, 0x200000, &pa, &prot, &level), 0);
	CHECK_EQ(level, 1);
	pt_destroy(&pt);
	CHECK_EQ(live, 0);
}

TEST(uncached_and_execute_only_entries)
{
	struct pt pt;
	uint64_t pa;
	unsigned prot;
	int level;
	CHECK_EQ(pt_init(&pt, ept_format(2), &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x3000, 0xfee00000, 0x1000, PROT_R | PROT_W | PT_UC), 0);
	CHECK_EQ(entry(&pt, 0x3000, 1), 0xfee00000 | 1 | 2 | (1 << 6)); /* memory type 0 = UC, IPAT */
	CHECK_EQ(pt_lookup(&pt, 0x3000, &pa, &prot, &level), 0);
	CHECK(prot & PT_UC);
	/* An X-only leaf is present (bits 2:0 not all clear, SDM 28.3.2). */
	CHECK_EQ(pt_map(&pt, 0x4000, 0x4000, 0x1000, PROT_X), 0);
	CHECK_EQ(pt_lookup(&pt, 0x4000, &pa, &prot, &level), 0);
	CHECK_EQ(prot & (PROT_R | PROT_W | PROT_X), PROT_X);
	CHECK_EQ(pt_map(&pt, 0x4000, 0x8000, 0x1000, PROT_R), -UV_EINVAL); /* overlap */
	pt_destroy(&pt);
}

TEST(unmap_split_keeps_type_and_permissions)
{
	struct pt pt;
	CHECK_EQ(pt_init(&pt, ept_format(2), &mem), 0);
	CHECK_EQ(pt_map(&pt, 0x200000, 0x600000, 0x200000, PROT_R | PROT_X), 0);
	CHECK_EQ(pt_unmap(&pt, 0x3ff000, 0x1000), 0);
	CHECK_EQ(entry(&pt, 0x200000, 2) & 0x87, 7); /* now a table: R|W|X, no bit 7 */
	CHECK_EQ(entry(&pt, 0x201000, 1), 0x601000 | 1 | 4 | (6 << 3) | (1 << 6));
	CHECK_EQ(entry(&pt, 0x3ff000, 1), 0);
	pt_destroy(&pt);
	CHECK_EQ(live, 0);
}

TEST(eptp)
{
	/* SDM 3C 24.6.11: WB = 6 in bits 2:0, walk length 4 - 1 = 3 in bits 5:3, no A/D. */
	CHECK_EQ(ept_eptp(0x1234000, true), 0x1234000 | 6 | (3 << 3));
	CHECK_EQ(ept_eptp(0x1234000, false), 0x1234000 | (3 << 3));
}

TEST(permission_rules)
{
	CHECK_EQ(ept_check_prot(PROT_R, false), 0);
	CHECK_EQ(ept_check_prot(PROT_R | PROT_W | PROT_X, false), 0);
	CHECK_EQ(ept_check_prot(PROT_R | PROT_X, false), 0);
	CHECK_EQ(ept_check_prot(0, false), -UV_EINVAL);                     /* not present */
	CHECK_EQ(ept_check_prot(PROT_W, true), -UV_EINVAL);              /* write-only: misconfig */
	CHECK_EQ(ept_check_prot(PROT_W | PROT_X, true), -UV_EINVAL);
	CHECK_EQ(ept_check_prot(PROT_X, false), -UV_EINVAL);             /* execute-only unsupported */
	CHECK_EQ(ept_check_prot(PROT_X, true), 0);
	CHECK_EQ(ept_check_prot(8, false), -UV_EINVAL);                     /* unknown bit */
}
