/* tests/apps/libc-test/memory.c: the heap: malloc until ENOMEM (then free and reuse), sbrk bounds, qsort; libos's memcpy. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <univisor.h>
#include "check.h"

#define MAX_BLOCKS 4096

static void *blocks[MAX_BLOCKS];

/* Allocates blocks (>= 64 KiB), writing every byte, until malloc says ENOMEM; all inside the heap. */
static const char *check_malloc_enomem(void)
{
	const struct uv_boot_info *bi = uv_boot_info();
	size_t heap = bi->heap_end - bi->heap_start, total = 0;
	size_t CHUNK = heap / 1024 > 65536 ? heap / 1024 : 65536;
	int n = 0;
	void *p;

	for (;;) {
		if (n == MAX_BLOCKS)
			return "malloc never failed";
		errno = 0;
		p = malloc(CHUNK);
		if (p == NULL)
			break;
		if ((uintptr_t)p < bi->heap_start || (uintptr_t)p + CHUNK > bi->heap_end)
			return FAILF("block %p outside the heap [%#llx, %#llx)", p,
				     (unsigned long long)bi->heap_start, (unsigned long long)bi->heap_end);
		memset(p, n & 0xff, CHUNK);
		blocks[n++] = p;
		total += CHUNK;
	}
	if (errno != ENOMEM)
		return FAILF("malloc failed with errno %d, want ENOMEM (%d)", errno, ENOMEM);
	if (total < heap / 2)
		return FAILF("only %zu of %zu heap bytes allocated", total, heap);
	printf("info malloc-enomem: %d blocks of %zu KiB (%zu KiB of a %zu KiB heap) before ENOMEM\n", n,
	       CHUNK >> 10, total >> 10, heap >> 10);
	for (int i = 0; i < n; i++) {
		const unsigned char *b = blocks[i];
		if (b[0] != (i & 0xff) || b[CHUNK - 1] != (i & 0xff))
			return FAILF("block %d was overwritten", i);
	}
	for (int i = 0; i < n; i++)
		free(blocks[i]);
	p = malloc(total / 2);
	if (p == NULL)
		return FAILF("malloc(%zu) after freeing everything failed", total / 2);
	memset(p, 1, total / 2);
	free(p);
	errno = 0;
	p = malloc(SIZE_MAX / 2);
	if (p != NULL || errno != ENOMEM)
		return FAILF("malloc(SIZE_MAX/2) = %p errno %d", p, errno);
	return NULL;
}

/* sbrk stays inside [heap_start, heap_end): too far either way is ENOMEM and moves nothing. */
static const char *check_sbrk_bounds(void)
{
	const struct uv_boot_info *bi = uv_boot_info();
	char *cur = sbrk(0);

	if ((uintptr_t)cur < bi->heap_start || (uintptr_t)cur > bi->heap_end)
		return FAILF("break %p outside the heap", (void *)cur);
	errno = 0;
	if (sbrk((intptr_t)(bi->heap_end - (uintptr_t)cur) + 1) != (void *)-1 || errno != ENOMEM)
		return "sbrk past heap_end did not fail with ENOMEM";
	errno = 0;
	if (sbrk(-(intptr_t)((uintptr_t)cur - bi->heap_start) - 1) != (void *)-1 || errno != ENOMEM)
		return "sbrk below heap_start did not fail with ENOMEM";
	if (sbrk(0) != cur)
		return "a failed sbrk moved the break";
	return NULL;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static const char *check_qsort(void)
{
	enum { N = 2000 };
	static int v[N];
	long long sum = 0, sum2 = 0;
	unsigned x = 12345;

	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		v[i] = (int)(x >> 8) - (1 << 22);
		sum += v[i];
	}
	qsort(v, N, sizeof(v[0]), cmp_int);
	for (int i = 0; i < N; i++) {
		if (i > 0 && v[i - 1] > v[i])
			return FAILF("v[%d]=%d > v[%d]=%d", i - 1, v[i - 1], i, v[i]);
		sum2 += v[i];
	}
	if (sum != sum2)
		return "qsort lost or changed elements";
	int key = v[N / 3], *hit = bsearch(&key, v, N, sizeof(v[0]), cmp_int);
	if (hit == NULL || *hit != key)
		return "bsearch did not find an element";
	return NULL;
}

/* libos's memcpy (libos/memcpy.c): every length to 80 and 4099, every alignment of both ends, nothing written outside, returns dst. */
static const char *check_memcpy(void)
{
	static unsigned char src[4200], dst[4200];
	void *(*volatile copy)(void *, const void *, size_t) = memcpy; /* the real call: gcc would fold memcmp after a known memcpy */
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 13 + 1);
	for (int so = 0; so < 8; so++)
		for (int d_o = 0; d_o < 8; d_o++)
			for (size_t n = 0; n <= 4099; n = n < 80 ? n + 1 : n + 1003) {
				memset(dst, 0xee, sizeof(dst));
				if (copy(dst + 16 + d_o, src + so, n) != dst + 16 + d_o)
					return FAILF("memcpy(n=%zu) did not return dst", n);
				if (memcmp(dst + 16 + d_o, src + so, n))
					return FAILF("memcpy(n=%zu, src+%d, dst+%d) copied wrong bytes", n, so, d_o);
				if (dst[15 + d_o] != 0xee || dst[16 + d_o + n] != 0xee)
					return FAILF("memcpy(n=%zu, dst+%d) wrote outside", n, d_o);
			}
	return NULL;
}

void checks_memory(void)
{
	check_run("memcpy", check_memcpy);
	check_run("malloc-enomem", check_malloc_enomem);
	check_run("sbrk-bounds", check_sbrk_bounds);
	check_run("qsort", check_qsort);
}
