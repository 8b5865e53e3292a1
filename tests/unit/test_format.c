/* tests/unit/test_format.c: the kernel's printf engine against libc's snprintf. */
#include <stdint.h>
#include <stdio.h>
#include "tests/unit/unit.h"
#include "kernel/lib/format.h"

#define SAME(...)                                                       \
	do {                                                            \
		char a[256], b[256];                                    \
		size_t na = ksnprintf(a, sizeof(a), __VA_ARGS__);       \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);           \
		CHECK_STR(a, b);                                        \
		CHECK_EQ(na, nb);                                       \
	} while (0)

TEST(integers)
{
	SAME("%d %u", -42, 3000000000u);
	SAME("%5d|%-5d|%05d|%05d", 42, 42, 42, -42);
	SAME("%x %#x %#x %08x", 0xbeef, 255, 0, 0xbeef);
	SAME("%lld %llu %llx", -9223372036854775807LL - 1, 18446744073709551615ULL, 0x123456789abcdefULL);
	SAME("%zu %ld %lu", (size_t)12345, -5L, 6UL);
	SAME("%#014llx|%016llx|%-6llu|", 0x9fc00ULL, 0xdeadULL, 7ULL);
}

TEST(strings_chars_pointers)
{
	SAME("[%s] [%10s] [%-10s] [%.*s] [%.*s]", "abc", "abc", "abc", 2, "abc", -1, "abc");
	SAME("%c%c%5c|%-3c|", 'a', 'b', 'c', 'd');
	SAME("%p", (void *)0x1234);
	SAME("100%% sure");
}

TEST(truncation)
{
	char b[8];
	size_t n = ksnprintf(b, sizeof(b), "%s", "hello world");
	CHECK_EQ(n, 11);
	CHECK_STR(b, "hello w");
	n = ksnprintf(b, 0, "%d", 5);
	CHECK_EQ(n, 1);
	char one[1] = { 'x' };
	ksnprintf(one, 1, "abc");
	CHECK_EQ(one[0], 0);
}

TEST(null_string)
{
	char b[32];
	const char *volatile nul = NULL;
	ksnprintf(b, sizeof(b), "%s", nul);
	CHECK_STR(b, "(null)");
}
