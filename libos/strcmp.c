/* libos/strcmp.c: strcmp and strncmp for apps (they replace newlib's byte loops in the link, as memchr.c does): sixteen bytes a step with SSE2, no load crossing into a page the strings may not reach (pure: unit-tested on the host as uv_strcmp, uv_strncmp). */
#include <emmintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "libos.h"

#define VEC 16          /* bytes per SSE2 compare */
#define PAGE 4096u      /* the smallest page: a load inside one faults only if its first byte would */

/* Whether 16 bytes from p stay in p's page (Intel SDM vol. 3 4.3: translation is per page;
 * the string's byte at p is readable, so its whole page is). */
__attribute__((no_sanitize_address)) static inline int load_ok(const unsigned char *p) { return ((uintptr_t)p & (PAGE - 1)) <= PAGE - VEC; }

/* Bit i set where byte i of the 16 at a and b differs or a's is NUL. */
__attribute__((no_sanitize_address)) static inline unsigned stop_bits(const unsigned char *a, const unsigned char *b)
{
	__m128i x = _mm_loadu_si128((const __m128i *)a), y = _mm_loadu_si128((const __m128i *)b);
	unsigned ne = ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) & 0xffffu;
	return ne | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_setzero_si128()));
}

/*
 * Compares at most n bytes of a and b as unsigned chars, stopping after a NUL: <0, 0 or >0
 * as the first difference says. A vector step reads 16 bytes of each only when both stay in
 * the page of their first byte (which the comparison reaches), else it goes a byte at a time
 * to the next step. Bounded: n steps at most.
 */
__attribute__((no_sanitize_address)) int uv_strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	while (n) {
		if (load_ok(p) && load_ok(q)) {
			unsigned m = stop_bits(p, q);
			if (n < VEC)
				m &= (1u << n) - 1; /* bytes past n do not count */
			if (m) {
				unsigned i = (unsigned)__builtin_ctz(m);
				return p[i] - q[i];
			}
			if (n <= VEC)
				return 0;
			p += VEC;
			q += VEC;
			n -= VEC;
			continue;
		}
		/* Near a page's end: one byte, then try a vector again. */
		if (*p != *q || !*p)
			return *p - *q;
		p++, q++, n--;
	}
	return 0;
}

/* As uv_strncmp with no bound but the strings' NULs. */
__attribute__((no_sanitize_address)) int uv_strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	for (;;) {
		if (load_ok(p) && load_ok(q)) {
			unsigned m = stop_bits(p, q);
			if (m) {
				unsigned i = (unsigned)__builtin_ctz(m);
				return p[i] - q[i];
			}
			p += VEC;
			q += VEC;
			continue;
		}
		if (*p != *q || !*p)
			return *p - *q;
		p++, q++;
	}
}

#ifdef __NEWLIB__ /* the app build (newlib's headers): these are libc's */
int strncmp(const char *a, const char *b, size_t n) __attribute__((alias("uv_strncmp")));
int strcmp(const char *a, const char *b) __attribute__((alias("uv_strcmp")));
#endif
