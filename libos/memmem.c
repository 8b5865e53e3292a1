/* libos/memmem.c: memmem for apps: a needle of up to UV_MEMMEM_SHORT bytes is found with memchr on its first byte and a compare, longer ones go to newlib's (linear) memmem (the link wraps memmem: -Wl,--wrap=memmem; pure: unit-tested on the host as uv_memmem_short). */
#include <stddef.h>
#include <stdint.h>
#include "libos.h"

const void *uv_memmem_short(const void *hay, size_t hay_len, const void *needle, size_t needle_len)
{
	const uint8_t *h = hay, *n = needle;
	if (!needle_len)
		return hay;
	if (hay_len < needle_len)
		return NULL;
	/* The candidates start in [h, last]; each turn moves past one: at most hay_len turns,
	 * each comparing at most UV_MEMMEM_SHORT bytes. */
	const uint8_t *last = h + (hay_len - needle_len);
	while (h <= last) {
		h = uv_memchr(h, n[0], (size_t)(last - h) + 1);
		if (!h)
			return NULL;
		size_t i = needle_len - 1;
		while (i && h[i] == n[i]) /* from the end: a short needle, no call */
			i--;
		if (!i)
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
