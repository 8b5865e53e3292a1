/* tests/unit/test_memchr.c: libos's memchr (libos/memchr.c, uv_memchr) against a byte loop, at every alignment, length and position, and next to an unmapped page. */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tests/unit/unit.h"
#include "libos/libos.h"

static const void *ref_memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (size_t i = 0; i < n; i++)
		if (p[i] == (unsigned char)c)
			return p + i;
	return NULL;
}

TEST(memchr_matches_a_byte_loop)
{
	static unsigned char buf[160] __attribute__((aligned(16)));
	int bad = 0;
	for (int off = 0; off < 17; off++)
		for (size_t n = 0; n + off <= 96; n++)
			for (int at = -1; at < (int)n + 2 && off + at < (int)sizeof(buf); at++) {
				memset(buf, 'a', sizeof(buf));
				if (at >= 0)
					buf[off + at] = 'x';
				buf[off + n + 1 < sizeof(buf) ? off + n + 1 : 0] = 'x'; /* one just past the range */
				if (off)
					buf[off - 1] = 'x'; /* and one just before it */
				bad += uv_memchr(buf + off, 'x', n) != ref_memchr(buf + off, 'x', n);
			}
	CHECK_EQ(bad, 0);
	memset(buf, 0xff, sizeof(buf));
	CHECK(uv_memchr(buf + 3, 0x1ff, 20) == buf + 3); /* c is taken as unsigned char */
	CHECK(uv_memchr(buf, 0, 0) == NULL);
}

TEST(memchr_stays_in_the_pages_of_its_range)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *m = mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK(mprotect(m, (size_t)page, PROT_NONE) == 0);
	CHECK(mprotect(m + 2 * page, (size_t)page, PROT_NONE) == 0);
	unsigned char *p = m + page;
	memset(p, 'a', (size_t)page);
	for (size_t n = 0; n <= 40; n++) {
		CHECK(uv_memchr(p + page - n, 'x', n) == NULL); /* ends at the guard page */
		CHECK(uv_memchr(p, 'x', n) == NULL);              /* starts right after one */
	}
	p[page - 1] = 'x';
	CHECK(uv_memchr(p + page - 5, 'x', 5) == p + page - 1);
	CHECK(uv_memchr(p + 1, 'x', (size_t)page - 1) == p + page - 1);
	munmap(m, (size_t)page * 3);
}

TEST(memmem_short_matches_a_naive_search)
{
	static const char *hays[] = { "", "a", "aaaa", "abcabcabd", "\r\n\r\r\n\r\n", "xx\r\n\r\nyy\r\n\r\n", "aaaaaaaaab",
				      "HTTP/1.1 200 OK\r\nContent-Length: 1024\r\nDate: x\r\n\r\nbody", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
				      "0123456789abcdef0123456789abcdef\r\n\r\n", "0123456789abcde\r\n\r\n0123456789" };
	static const char *needles[] = { "", "a", "b", "ab", "abd", "\r\n\r\n", "aab", "aaaaaaaaab", "aaaaaaaaaab", "body", "f\r", "9" };
	int bad = 0;
	for (size_t i = 0; i < sizeof(hays) / sizeof(hays[0]); i++)
		for (size_t j = 0; j < sizeof(needles) / sizeof(needles[0]); j++) {
			size_t hl = strlen(hays[i]), nl = strlen(needles[j]);
			const void *want = nl ? NULL : hays[i];
			for (size_t k = 0; nl && k + nl <= hl; k++)
				if (!memcmp(hays[i] + k, needles[j], nl)) {
					want = hays[i] + k;
					break;
				}
			bad += uv_memmem_short(hays[i], hl, needles[j], nl) != want;
			/* A shorter view of the same haystack never finds a match past its end. */
			if (hl)
				bad += uv_memmem_short(hays[i], hl - 1, needles[j], nl) == hays[i] + hl - nl && nl;
		}
	CHECK_EQ(bad, 0);
}

TEST(memmem_short_stays_in_its_haystack)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *m = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK(mprotect(m + page, (size_t)page, PROT_NONE) == 0);
	memset(m, 'a', (size_t)page);
	for (size_t n = 0; n <= 64; n++) { /* haystacks ending at the guard page */
		CHECK(uv_memmem_short(m + page - n, n, "ab", 2) == NULL);
		CHECK(uv_memmem_short(m + page - n, n, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 32) == NULL);
	}
	m[page - 1] = 'b';
	CHECK(uv_memmem_short(m + page - 40, 40, "ab", 2) == m + page - 2);
	CHECK(uv_memmem_short(m + page - 40, 40, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 32) == m + page - 32);
	munmap(m, (size_t)page * 2);
}
