/* hv/vmx/vmx_vpid.c: the VPID allocator: one 16-bit tag per VM, 0 reserved for the host (SDM 3C 28.1). */
#include "hv/vmx/vmx.h"

static uint64_t used[(VMX_VPID_MAX + 1) / 64] = { 1 }; /* bit n: VPID n is taken; 0 is the host's */

/* The lowest free VPID. */
uint16_t vmx_vpid_alloc(void)
{
	for (uint32_t w = 0; w < sizeof(used) / sizeof(used[0]); w++) {
		if (~used[w]) {
			unsigned b = (unsigned)__builtin_ctzll(~used[w]);
			used[w] |= 1ull << b;
			return (uint16_t)(w * 64 + b);
		}
	}
	return 0;
}

void vmx_vpid_free(uint16_t vpid)
{
	if (vpid != 0)
		used[vpid / 64] &= ~(1ull << (vpid % 64));
}
