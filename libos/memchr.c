/* libos/memchr.c: memchr for apps (it replaces newlib's in the link, as memcpy.c does): sixteen bytes a step with SSE2, aligned loads only (pure: unit-tested on the host as uv_memchr). */
#include <emmintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "libos.h"

#define VEC 16 /* bytes per SSE2 compare */

/*
 * The first byte equal to (unsigned char)c in [s, s + n), or NULL. Every load is a 16-byte
 * aligned one holding at least one byte of the range, so none crosses into a page the range
 * does not touch (Intel SDM vol. 1 4.1.1: an aligned 16-byte access stays in its page); the
 * bytes of a load outside the range are masked off. Bounded: n / 16 + 2 loads at most.
 */
__attribute__((no_sanitize_address)) void *uv_memchr(const void *s, int c, size_t n)
{
	if (!n)
		return NULL;
	if (n > SIZE_MAX - VEC)
		n = SIZE_MAX - VEC; /* no range is that long; keeps left below from wrapping */
	const __m128i needle = _mm_set1_epi8((char)c);
	uintptr_t at = (uintptr_t)s, base = at & ~(uintptr_t)(VEC - 1);
	unsigned skip = (unsigned)(at - base);
	const uint8_t *q = (const uint8_t *)base;
	size_t left = n + skip; /* bytes from q to the range's end */
	uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)q), needle));
	m = m >> skip << skip; /* bytes before s are not the range's */
	for (;;) {
		if (m) {
			unsigned i = (unsigned)__builtin_ctz(m);
			return i < left ? (void *)(q + i) : NULL;
		}
		if (left <= VEC)
			return NULL;
		left -= VEC;
		q += VEC;
		m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128((const __m128i *)q), needle));
	}
}

#ifdef __NEWLIB__ /* the app build (newlib's headers): this is libc's memchr */
void *memchr(const void *s, int c, size_t n) __attribute__((alias("uv_memchr")));
#endif
