/* hv/vmx/vmx_vpid.c: the VPID allocator: one 16-bit tag per VM, 0 reserved for the host (SDM 3C 28.1). */
#include "hv/vmx/vmx.h"

static uint64_t used[(VMX_VPID_MAX + 1) / 64];
static uint32_t hint = 1; /* no free VPID below this */

uint16_t vmx_vpid_alloc(void)
{
	for (uint32_t v = hint; v <= VMX_VPID_MAX; v++) {
		if (!(used[v / 64] & (1ull << (v % 64)))) {
			used[v / 64] |= 1ull << (v % 64);
			hint = v + 1;
			return (uint16_t)v;
		}
	}
	return 0;
}

void vmx_vpid_free(uint16_t vpid)
{
	if (vpid == 0)
		return;
	used[vpid / 64] &= ~(1ull << (vpid % 64));
	if (vpid < hint)
		hint = vpid;
}
