/* tests/unit/test_strcmp.c: libos's strcmp and strncmp (libos/strcmp.c) against the host's, at every alignment, length and difference, and with strings that end at an unmapped page. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tests/unit/unit.h"
#include "libos/libos.h"

static int sign(int v) { return (v > 0) - (v < 0); }

TEST(strcmp_and_strncmp_match_the_host_libc)
{
	static char a[128], b[128];
	int bad = 0;
	for (int oa = 0; oa < 17; oa++)
		for (int ob = 0; ob < 17; ob += 3)
			for (int len = 0; len < 40; len++)
				for (int diff = -1; diff <= len; diff++) {
					memset(a, 0, sizeof(a));
					memset(b, 0, sizeof(b));
					for (int i = 0; i < len; i++)
						a[oa + i] = b[ob + i] = (char)('a' + (i * 7) % 26);
					if (diff >= 0)
						b[ob + diff] = diff == len ? 'z' : (char)0xe9; /* longer, or a byte > 0x7f */
					bad += sign(uv_strcmp(a + oa, b + ob)) != sign(strcmp(a + oa, b + ob));
					bad += sign(uv_strcmp(b + ob, a + oa)) != sign(strcmp(b + ob, a + oa));
					for (size_t n = 0; n < 42; n += 1 + n / 8)
						bad += sign(uv_strncmp(a + oa, b + ob, n)) != sign(strncmp(a + oa, b + ob, n));
				}
	CHECK_EQ(bad, 0);
	CHECK(uv_strncmp("HTTP/1.1 200 OK", "HTTP/1.1 200 ", 13) == 0);
	CHECK(uv_strncmp("HTTP/1.1 404 ", "HTTP/1.1 200 ", 13) > 0);
	CHECK(uv_strncmp("abc", "abd", 2) == 0);
	CHECK(uv_strcmp("", "") == 0);
}

TEST(strcmp_stays_in_the_pages_the_strings_reach)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK(mprotect(m + page, (size_t)page, PROT_NONE) == 0);
	/* Strings that end right before the guard page, at every length up to 40. */
	for (int len = 0; len <= 40; len++) {
		char *s = m + page - len - 1, *t = m + 3 * page - len - 1;
		memset(s, 'q', (size_t)len);
		s[len] = 0;
		memcpy(t, s, (size_t)len + 1);
		CHECK(uv_strcmp(s, t) == 0);
		CHECK(uv_strncmp(s, t, (size_t)len + 100) == 0);
		if (len) {
			t[len - 1] = 'r';
			CHECK(uv_strcmp(s, t) < 0);
			CHECK(uv_strncmp(t, s, 1000) > 0);
		}
	}
	munmap(m, (size_t)page * 3);
}
