/* kernel/lib/kstring.h: the C string functions the kernel has (libc's on the host for unit tests). */
#ifndef KERNEL_LIB_KSTRING_H
#define KERNEL_LIB_KSTRING_H

#include <stddef.h>
#include <stdint.h>

#ifdef UV_HOST
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

/* memcpy's body inline, for a copy whose call would cost more than its bytes (a channel
 * message): 8 bytes a step, then the tail byte by byte (an emulator counts every rep step
 * as an instruction; real CPUs don't mind). */
#ifdef UV_HOST
static inline void *memcpy_inline(void *dst, const void *src, size_t n) { return memcpy(dst, src, n); }
#else
static inline __attribute__((always_inline)) void *memcpy_inline(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t q = n / 8, r = n % 8;
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(q) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(r) : : "memory");
	return ret;
}
#endif

/* Copies at most size-1 bytes and always NUL-terminates (size > 0). Returns strlen(src). */
static inline size_t kstrlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = 0;
	}
	return n;
}

#endif
