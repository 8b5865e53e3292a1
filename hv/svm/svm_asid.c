/* hv/svm/svm_asid.c: the ASID allocator: one TLB tag per VM, ASID 0 reserved for the host (APM2 15.16). */
#include "hv/svm/svm.h"

static uint64_t used[SVM_MAX_ASIDS / 64];
static uint32_t limit; /* ASIDs the CPU has: 1 .. limit-1 are the guests' */

void svm_asid_limit(uint32_t n) { limit = n < SVM_MAX_ASIDS ? n : SVM_MAX_ASIDS; }

uint32_t svm_asid_alloc(void)
{
	for (uint32_t i = 1; i < limit; i++)
		if (!(used[i / 64] & (1ull << (i % 64)))) {
			used[i / 64] |= 1ull << (i % 64);
			return i;
		}
	return 0;
}

void svm_asid_free(uint32_t asid)
{
	if (asid && asid < SVM_MAX_ASIDS)
		used[asid / 64] &= ~(1ull << (asid % 64));
}
