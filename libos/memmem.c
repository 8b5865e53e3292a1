/* libos/memmem.c: memmem for apps: a needle of up to UV_MEMMEM_SHORT bytes is found by its first and last bytes, sixteen places a step (SSE2), and a compare, longer ones go to newlib's (linear) memmem (the link wraps memmem: -Wl,--wrap=memmem; pure: unit-tested on the host as uv_memmem_short). */
#include <emmintrin.h>
#include <stddef.h>
#include <stdint.h>
#include "libos.h"

#define VEC 16 /* bytes per SSE2 compare */

/* Whether the needle_len bytes at h are the needle's, compared from the end (no call). */
static inline int same(const uint8_t *h, const uint8_t *n, size_t needle_len)
{
	size_t i = needle_len - 1;
	while (i && h[i] == n[i])
		i--;
	return !i && h[0] == n[0];
}

/*
 * Candidates are where both the needle's first and last bytes match: sixteen start places a
 * step with SSE2, for as long as both 16-byte loads lie inside the haystack (unaligned
 * loads, so never past its end), then one place a step with memchr for the rest. Each
 * candidate is compared in full.
 */
__attribute__((no_sanitize_address)) const void *uv_memmem_short(const void *hay, size_t hay_len, const void *needle,
								  size_t needle_len)
{
	const uint8_t *h = hay, *n = needle;
	if (!needle_len)
		return hay;
	if (hay_len < needle_len)
		return NULL;
	const uint8_t *last = h + (hay_len - needle_len); /* the last start place */
	const __m128i first = _mm_set1_epi8((char)n[0]), end = _mm_set1_epi8((char)n[needle_len - 1]);
	/* Start places [h, h + 16) need bytes up to h + 15 + needle_len - 1 <= last + needle_len - 1. */
	while (h <= last && (size_t)(last - h) >= VEC - 1) {
		__m128i a = _mm_loadu_si128((const __m128i *)h);
		__m128i b = _mm_loadu_si128((const __m128i *)(h + needle_len - 1));
		uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, end)));
		for (; m; m &= m - 1) {
			const uint8_t *c = h + __builtin_ctz(m);
			if (same(c, n, needle_len))
				return c;
		}
		h += VEC;
	}
	while (h <= last) { /* fewer than 16 start places left */
		h = uv_memchr(h, n[0], (size_t)(last - h) + 1);
		if (!h)
			return NULL;
		if (same(h, n, needle_len))
			return h;
		h++;
	}
	return NULL;
}

#ifdef __NEWLIB__ /* the app build: every call of memmem comes here */
void *__real_memmem(const void *hay, size_t hay_len, const void *needle, size_t needle_len);

void *__wrap_memmem(const void *hay, size_t hay_len, const void *needle, size_t needle_len)
{
	if (needle_len > UV_MEMMEM_SHORT)
		return __real_memmem(hay, hay_len, needle, needle_len); /* its two-way search: linear */
	return (void *)uv_memmem_short(hay, hay_len, needle, needle_len);
}
#endif
