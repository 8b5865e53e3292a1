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
