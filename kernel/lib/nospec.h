/* kernel/lib/nospec.h: clamps a guest-controlled index after its bounds check, so no speculative access goes past the end. */
#ifndef KERNEL_LIB_NOSPEC_H
#define KERNEL_LIB_NOSPEC_H

#include <stdint.h>

/*
 * Returns idx if idx < size, else 0, without a branch the CPU could predict wrongly:
 * CMP sets the carry exactly when idx < size and SBB turns it into an all-ones or zero
 * mask (the Spectre v1 barrier of array_index_nospec in Linux and Xen). Use it on an
 * index that passed `idx < size` before it indexes kernel memory.
 */
static inline uint64_t nospec_index(uint64_t idx, uint64_t size)
{
	uint64_t mask;
	__asm__("cmp %[size], %[idx]\n\tsbb %[mask], %[mask]" : [mask] "=r"(mask) : [idx] "r"(idx), [size] "r"(size) : "cc");
	return idx & mask;
}

#endif
