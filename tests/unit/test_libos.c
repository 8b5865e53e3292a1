/* tests/unit/test_libos.c: libos's pure logic: argv from the boot-info args area, TSC scaling, time math, errno map, heap break. */
#include <errno.h>
#include <stdint.h>
#include "tests/unit/unit.h"
#include "libos/libos.h"

TEST(args_check_accepts_exact_strings)
{
	CHECK_EQ(uv_args_check("hello\0a b\0\0", 11, 3), 0);
	CHECK_EQ(uv_args_check("x", 2, 1), 0);
	CHECK_EQ(uv_args_check("", 0, 0), 0);
}

TEST(args_check_rejects_bad_areas)
{
	CHECK_EQ(uv_args_check("hello\0ab", 8, 2), -UV_EINVAL);   /* last string unterminated */
	CHECK_EQ(uv_args_check("hello\0ab\0", 9, 3), -UV_EINVAL); /* fewer strings than argc */
	CHECK_EQ(uv_args_check("a\0b\0", 4, 1), -UV_EINVAL);      /* more strings than argc */
	CHECK_EQ(uv_args_check(NULL, 4, 1), -UV_EINVAL);
	static char big[UV_BOOT_INFO_ARGS_MAX + 1];
	CHECK_EQ(uv_args_check(big, sizeof(big), sizeof(big)), -UV_EINVAL); /* longer than the area */
	CHECK_EQ(uv_args_check(big, UV_BOOT_INFO_ARGS_MAX, UV_BOOT_INFO_ARGS_MAX), 0);
}

TEST(args_build_points_at_writable_copies)
{
	const char area[] = "app\0two words\0\0x=1";
	char buf[sizeof(area)];
	char *argv[5];

	CHECK_EQ(uv_args_check(area, sizeof(area), 4), 0);
	uv_args_build(area, sizeof(area), 4, buf, argv);
	CHECK_STR(argv[0], "app");
	CHECK_STR(argv[1], "two words");
	CHECK_STR(argv[2], "");
	CHECK_STR(argv[3], "x=1");
	CHECK(argv[4] == NULL);
	CHECK(argv[0] == buf);
	argv[1][0] = 'T';
	CHECK_STR(argv[1], "Two words");
	CHECK(area[4] == 't');
}

TEST(tsc_scale)
{
	/* 1 GHz: mul = 1 << 32, shift 32 -> 1 ns per tick. */
	CHECK_EQ(uv_tsc_scale(12345, 1ULL << 32, 32), 12345);
	/* 3 GHz: ns = tsc / 3. */
	uint64_t mul = ((1ULL << 32) + 2) / 3;
	CHECK_EQ(uv_tsc_scale(3000000000ULL, mul, 32), 1000000000);
	/* Large TSC values need the 128-bit product (2^40 ticks * 2^32 overflows 64 bits). */
	CHECK_EQ(uv_tsc_scale(1ULL << 40, 1ULL << 32, 32), 1LL << 40);
	CHECK_EQ(uv_tsc_scale(UINT64_MAX, UINT64_MAX, 0), INT64_MAX); /* saturates */
	CHECK_EQ(uv_tsc_scale(1000, 5, 200), 0);
	CHECK_EQ(uv_tsc_scale(0, 12345, 7), 0);
}

/* The 128-bit product shifted as C does it, saturated: what uv_tsc_scale's fast path must equal. */
static int64_t ref_tsc_scale(uint64_t tsc, uint64_t mul, uint32_t shift)
{
	if (shift >= 128)
		return 0;
	unsigned __int128 p = ((unsigned __int128)tsc * mul) >> shift;
	return p > (unsigned __int128)INT64_MAX ? INT64_MAX : (int64_t)p;
}

TEST(tsc_scale_matches_the_128_bit_product_at_every_shift)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int bad = 0;
	for (int i = 0; i < 4000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
		uint64_t tsc = i & 1 ? x : x >> (i % 64), mul = (x >> 3) >> (i % 61);
		for (uint32_t shift = 0; shift <= 130; shift++)
			bad += uv_tsc_scale(tsc, mul, shift) != ref_tsc_scale(tsc, mul, shift);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(uv_tsc_scale(1ull << 63, 1, 0), INT64_MAX);       /* the low half alone over INT64_MAX */
	CHECK_EQ(uv_tsc_scale(1ull << 63, 2, 1), INT64_MAX);       /* bit 63 after the shift */
	CHECK_EQ(uv_tsc_scale(1ull << 63, 2, 2), 1ll << 62);
}

TEST(tsc_scale_is_monotonic)
{
	uint64_t mul = 0x15555555ULL; /* ~ 1/3 ns per tick with shift 30 */
	int64_t prev = 0;

	for (uint64_t t = 0; t < 100000; t += 7) {
		int64_t ns = uv_tsc_scale(t, mul, 30);
		CHECK(ns >= prev);
		prev = ns;
	}
}

TEST(timespec_to_ns)
{
	CHECK_EQ(uv_timespec_to_ns(0, 0), 0);
	CHECK_EQ(uv_timespec_to_ns(2, 500), 2000000500LL);
	CHECK_EQ(uv_timespec_to_ns(0, 999999999), 999999999);
	CHECK_EQ(uv_timespec_to_ns(0, 1000000000), -UV_EINVAL);
	CHECK_EQ(uv_timespec_to_ns(0, -1), -UV_EINVAL);
	CHECK_EQ(uv_timespec_to_ns(-1, 0), -UV_EINVAL);
	CHECK_EQ(uv_timespec_to_ns(INT64_MAX, 0), INT64_MAX);
	CHECK_EQ(uv_timespec_to_ns(9223372036LL, 854775807), INT64_MAX);
	CHECK_EQ(uv_timespec_to_ns(9223372036LL, 854775808), INT64_MAX);
}

TEST(deadline_saturates)
{
	CHECK_EQ(uv_deadline(10, 5), 15);
	CHECK_EQ(uv_deadline(INT64_MAX - 1, 5), INT64_MAX);
	CHECK_EQ(uv_deadline(-3, 5), 5);
	CHECK_EQ(uv_deadline(7, -5), 7);
}

TEST(errno_map)
{
	CHECK_EQ(uv_errno_map(0), 0);
	CHECK_EQ(uv_errno_map(42), 0);
	CHECK_EQ(uv_errno_map(-UV_EPERM), EPERM);
	CHECK_EQ(uv_errno_map(-UV_ENOENT), ENOENT);
	CHECK_EQ(uv_errno_map(-UV_EIO), EIO);
	CHECK_EQ(uv_errno_map(-UV_E2BIG), E2BIG);
	CHECK_EQ(uv_errno_map(-UV_EBADF), EBADF);
	CHECK_EQ(uv_errno_map(-UV_EAGAIN), EAGAIN);
	CHECK_EQ(uv_errno_map(-UV_ENOMEM), ENOMEM);
	CHECK_EQ(uv_errno_map(-UV_EFAULT), EFAULT);
	CHECK_EQ(uv_errno_map(-UV_EINVAL), EINVAL);
	CHECK_EQ(uv_errno_map(-UV_ENOSYS), ENOSYS);
	CHECK_EQ(uv_errno_map(-UV_ENODEV), ENODEV);
	CHECK_EQ(uv_errno_map(-UV_EMSGSIZE), EMSGSIZE);
	CHECK_EQ(uv_errno_map(-UV_ENETDOWN), ENETDOWN);
	CHECK_EQ(uv_errno_map(-9999), EIO);
	CHECK_EQ(uv_errno_map(INT64_MIN), EIO);
}

TEST(brk_moves_inside_the_heap)
{
	struct uv_brk b = { .start = 0x300000, .end = 0x400000, .cur = 0x300000 };
	uintptr_t old;

	CHECK_EQ(uv_brk_move(&b, 0x1000, &old), 0);
	CHECK_EQ(old, 0x300000);
	CHECK_EQ(b.cur, 0x301000);
	CHECK_EQ(uv_brk_move(&b, 0xff000, &old), 0); /* exactly to the end */
	CHECK_EQ(b.cur, 0x400000);
	CHECK_EQ(uv_brk_move(&b, 1, &old), -UV_ENOMEM);
	CHECK_EQ(b.cur, 0x400000);
	CHECK_EQ(uv_brk_move(&b, 0, &old), 0);
	CHECK_EQ(old, 0x400000);
	CHECK_EQ(uv_brk_move(&b, -0x100000, &old), 0); /* back to the start */
	CHECK_EQ(b.cur, 0x300000);
	CHECK_EQ(uv_brk_move(&b, -1, &old), -UV_ENOMEM);
	CHECK_EQ(uv_brk_move(&b, INTPTR_MIN, &old), -UV_ENOMEM);
	CHECK_EQ(uv_brk_move(&b, INTPTR_MAX, &old), -UV_ENOMEM);
	CHECK_EQ(b.cur, 0x300000);
}

TEST(heap_range_stays_below_the_guard)
{
	struct uv_boot_info bi = {
		.mem_size = 8 << 20, .heap_start = 0x230000, .heap_end = 0x7bf000,
		.stack_bottom = 0x7c0000, .stack_top = 0x800000,
	};
	uintptr_t s, e;

	CHECK_EQ(uv_heap_range(&bi, 0x220000, &s, &e), 0);
	CHECK_EQ(s, 0x230000);
	CHECK_EQ(e, 0x7bf000);
	/* The image reaches further than heap_start says: start after it, page-aligned. */
	CHECK_EQ(uv_heap_range(&bi, 0x240010, &s, &e), 0);
	CHECK_EQ(s, 0x241000);
	/* heap_end overlapping the guard page or the stack is cut back. */
	bi.heap_end = 0x7d0000;
	CHECK_EQ(uv_heap_range(&bi, 0, &s, &e), 0);
	CHECK_EQ(e, 0x7bf000);
	/* No room at all. */
	bi.heap_start = 0x7c0000;
	CHECK_EQ(uv_heap_range(&bi, 0, &s, &e), -UV_EINVAL);
	bi.heap_start = 0x230000;
	bi.stack_bottom = 0;
	CHECK_EQ(uv_heap_range(&bi, 0, &s, &e), -UV_EINVAL);
	bi.stack_bottom = 0x7c0000;
	bi.heap_start = UINT64_MAX - 10;
	CHECK_EQ(uv_heap_range(&bi, 0, &s, &e), -UV_EINVAL);
}
