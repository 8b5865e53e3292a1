/* tests/unit/test_guestmem.c: the one guest-range check and the chunked copies every hypercall argument goes through. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "kernel/app/guestmem.h"
#include "kernel/lib/nospec.h"
#include "include/abi/uv_errno.h"

extern uint64_t fake_mm_pages;

TEST(range_check_edges_and_wraps)
{
	struct guestmem g = { .size = 4u << 20 };
	CHECK(guest_range_ok(&g, 0, 0));
	CHECK(guest_range_ok(&g, 0, 4u << 20));
	CHECK(guest_range_ok(&g, (4u << 20) - 1, 1));
	CHECK(guest_range_ok(&g, 4u << 20, 0));
	CHECK(!guest_range_ok(&g, 4u << 20, 1));
	CHECK(!guest_range_ok(&g, (4u << 20) - 2, 3));
	CHECK(!guest_range_ok(&g, 0, (4u << 20) + 1));
	CHECK(!guest_range_ok(&g, 0xfffffffffffff000ull, 0x2000));   /* wraps */
	CHECK(!guest_range_ok(&g, 0xffffffffffffffffull, 2));
	CHECK(!guest_range_ok(&g, 0x1000, 0xfffffffffffff000ull));   /* sum wraps to small */
	CHECK(!guest_range_ok(&g, 0x1000, UINT64_MAX));
}

TEST(copies_across_chunks)
{
	struct guestmem g = { 0 };
	uint64_t before = fake_mm_pages;
	CHECK_EQ(guestmem_alloc(&g, (4u << 20) + 8192), 0); /* 2 whole chunks + a short one */
	CHECK_EQ(g.n_chunks, 3);
	CHECK_EQ(guestmem_chunk_size(&g, 2), 8192);
	char in[64], out[64];
	for (int i = 0; i < 64; i++)
		in[i] = (char)i;
	uint64_t at = (2u << 20) - 20; /* straddles chunks 0 and 1 */
	CHECK_EQ(guest_copy_out(&g, at, in, sizeof(in)), 0);
	CHECK_EQ(*(char *)guest_ptr(&g, at + 20), 20);
	CHECK_EQ(guest_copy_in(&g, out, at, sizeof(out)), 0);
	CHECK(memcmp(in, out, 64) == 0);
	CHECK_EQ(guest_copy_in(&g, out, g.size - 10, 11), -UV_EFAULT);
	CHECK_EQ(guest_copy_out(&g, 0xfffffffffffffff0ull, in, 32), -UV_EFAULT);
	CHECK(guest_ptr(&g, g.size) == NULL);
	guestmem_free(&g);
	CHECK_EQ(fake_mm_pages, before);
	CHECK_EQ(g.size, 0);
}

/* The RAM comes as an earlier owner left it (fake_mm fills it with 0xa5): no chunk is
 * zeroed until first reached, and every way in zeroes it first. */
TEST(zeroed_at_first_touch)
{
	struct guestmem g = { 0 };
	CHECK_EQ(guestmem_alloc(&g, 6u << 20), 0);
	for (uint64_t i = 0; i < g.n_chunks; i++)
		CHECK_EQ(g.chunk_state[i], GUESTMEM_DIRTY);
	CHECK_EQ(*(uint8_t *)(uintptr_t)g.chunk_hpa[1], 0xa5); /* not yet zeroed: nobody reached it */
	uint64_t word = 1;
	CHECK_EQ(guest_copy_in(&g, &word, (2u << 20) + 64, sizeof(word)), 0);
	CHECK_EQ(word, 0);
	CHECK_EQ(g.chunk_state[1], GUESTMEM_DIRTY | GUESTMEM_USED); /* that page only, not the chunk */
	CHECK(guestmem_page_zeroed(&g, 1, 0));
	CHECK(!guestmem_page_zeroed(&g, 1, 1));
	CHECK_EQ(*(uint8_t *)(uintptr_t)(g.chunk_hpa[1] + 4096), 0xa5);
	CHECK_EQ(g.chunk_state[0], GUESTMEM_DIRTY); /* the others stay as they were */
	CHECK_EQ(g.chunk_state[2], GUESTMEM_DIRTY);
	CHECK_EQ(g.zeroed, 0);
	word = 0x1234; /* the kernel's writes stay when the rest of the chunk is zeroed */
	CHECK_EQ(guest_copy_out(&g, (2u << 20) + 64, &word, sizeof(word)), 0);
	uint8_t *c1 = (uint8_t *)(uintptr_t)guestmem_chunk_ready(&g, 1); /* the app's first touch */
	CHECK_EQ(g.chunk_state[1], GUESTMEM_USED);
	CHECK_EQ(*(uint64_t *)(c1 + 64), 0x1234);
	for (uint64_t k = 4096; k < guestmem_chunk_size(&g, 1); k += 512)
		CHECK_EQ(c1[k], 0);
	uint8_t *c2 = (uint8_t *)(uintptr_t)guestmem_chunk_ready(&g, 2); /* untouched: zeroed whole */
	for (uint64_t k = 0; k < guestmem_chunk_size(&g, 2); k += 512)
		CHECK_EQ(c2[k], 0);
	CHECK_EQ(g.chunk_state[2], 0);
	CHECK_EQ(g.zeroed, 2);
	guestmem_chunk_ready(&g, 2); /* once only */
	CHECK_EQ(g.zeroed, 2);
	/* A copy across pages of a dirty chunk zeroes each page it reaches, no more. */
	uint8_t buf[8192] = { 0 };
	CHECK_EQ(guest_copy_in(&g, buf, 4096 - 8, sizeof(buf)), 0);
	for (unsigned k = 0; k < sizeof(buf); k++)
		CHECK_EQ(buf[k], 0);
	CHECK(guestmem_page_zeroed(&g, 0, 0) && guestmem_page_zeroed(&g, 0, 1) && guestmem_page_zeroed(&g, 0, 2));
	CHECK(!guestmem_page_zeroed(&g, 0, 3));
	/* Runs: pages 0-2 and 5 zeroed (5 written), 3-4 and 6 on not: those are, 5 keeps its bytes. */
	word = 0x5678;
	CHECK_EQ(guest_copy_out(&g, 5 * 4096 + 8, &word, sizeof(word)), 0);
	uint8_t *c0 = (uint8_t *)(uintptr_t)guestmem_chunk_ready(&g, 0);
	CHECK_EQ(*(uint64_t *)(c0 + 5 * 4096 + 8), 0x5678);
	for (uint64_t k = 3 * 4096; k < guestmem_chunk_size(&g, 0); k += 512)
		CHECK_EQ(c0[k], 0);
	CHECK_EQ(g.chunk_state[0], GUESTMEM_USED);
	guestmem_free(&g);
}

TEST(bad_sizes)
{
	struct guestmem g = { 0 };
	CHECK_EQ(guestmem_alloc(&g, 0), -UV_EINVAL);
	CHECK_EQ(guestmem_alloc(&g, 4097), -UV_EINVAL);
}

TEST(nospec_index_clamps)
{
	CHECK_EQ(nospec_index(0, 1), 0);
	CHECK_EQ(nospec_index(5, 6), 5);
	CHECK_EQ(nospec_index(6, 6), 0);
	CHECK_EQ(nospec_index(~0ull, 6), 0);
	CHECK_EQ(nospec_index(~0ull - 1, ~0ull), ~0ull - 1);
	CHECK_EQ(nospec_index(3, 0), 0);
}

/* A range in one page: its host address through the direction's memo, the page zeroed when
 * first reached; anything else NULL; the memo forgotten with the RAM. */
TEST(page_span_and_its_memo)
{
	struct guestmem g = { 0 };
	CHECK_EQ(guestmem_alloc(&g, 4u << 20), 0);
	CHECK_EQ(g.memo[GUESTMEM_MEMO_READ].page, GUESTMEM_MEMO_NONE);
	uint64_t at = (2u << 20) + 3 * GUESTMEM_PAGE + 100;
	uint8_t *p = guest_page_span(&g, GUESTMEM_MEMO_WRITE, at, 64);
	CHECK(p == (uint8_t *)(uintptr_t)g.chunk_hpa[1] + 3 * GUESTMEM_PAGE + 100);
	CHECK(p[-100] == 0 && p[GUESTMEM_PAGE - 101] == 0); /* zeroed (fake_mm left 0xa5) */
	CHECK_EQ(g.memo[GUESTMEM_MEMO_WRITE].page, at - 100);
	CHECK_EQ(g.memo[GUESTMEM_MEMO_READ].page, GUESTMEM_MEMO_NONE); /* one direction's only */
	CHECK(guest_page_span(&g, GUESTMEM_MEMO_WRITE, at + 8, 8) == p + 8); /* the memo */
	CHECK(guest_page_span(&g, GUESTMEM_MEMO_WRITE, at - 100, GUESTMEM_PAGE) == p - 100);
	CHECK(guest_page_span(&g, GUESTMEM_MEMO_WRITE, at, GUESTMEM_PAGE) == NULL); /* crosses the page */
	CHECK(guest_page_span(&g, GUESTMEM_MEMO_WRITE, at, UINT64_MAX) == NULL);   /* no wrap */
	CHECK(guest_page_span(&g, GUESTMEM_MEMO_WRITE, g.size, 0) == NULL);        /* outside */
	CHECK(guest_page_span(&g, GUESTMEM_MEMO_WRITE, UINT64_MAX - 8, 4) == NULL);
	CHECK(guest_page_span(&g, GUESTMEM_MEMO_WRITE, g.size - 8, 8) != NULL);    /* the last page */
	CHECK_EQ(g.memo[GUESTMEM_MEMO_WRITE].page, g.size - GUESTMEM_PAGE);
	guestmem_free(&g);
	CHECK_EQ(g.memo[GUESTMEM_MEMO_WRITE].page, GUESTMEM_MEMO_NONE);
	CHECK(guest_page_span(&g, GUESTMEM_MEMO_WRITE, 0, 8) == NULL); /* no RAM: nothing */
}
