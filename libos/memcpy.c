/* libos/memcpy.c: memcpy for apps (it replaces newlib's in the link): the string instructions, eight bytes a step, then the rest. */
#include <stddef.h>
#include <string.h>

#define QWORD 8

/*
 * Copies n bytes from s to d (they must not overlap) and returns d. REP MOVSQ then REP MOVSB
 * (Intel SDM vol. 2B "MOVS", "REP"): the direction flag is clear at every call (System V
 * AMD64 ABI 3.2.1), so both go upwards. Written in asm so that the compiler cannot turn the
 * loop back into a call of memcpy.
 */
void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	void *ret = d;
	size_t q = n / QWORD, r = n % QWORD;
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(r) : : "memory");
	return ret;
}
