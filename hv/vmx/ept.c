/* hv/vmx/ept.c: the EPT entry format for the generic page-table builder, the EPTP, and EPT permission rules. */
#include "hv/vmx/vmx.h"
#include "include/abi/uv_errno.h"

/* SDM 3C 28.3.2 (tables 28-1 to 28-6): bits 2:0 read/write/execute; a leaf holds the
 * memory type in bits 5:3; bit 7 makes a PDPTE/PDE a 1 GiB / 2 MiB leaf. An entry with
 * bits 2:0 all clear is not present. Tables get R/W/X: the leaf alone restricts.
 * Every leaf sets IPAT (bit 6, SDM 3C 28.3.7.2): the effective memory type is the
 * leaf's alone, so an app cannot alias its RAM as UC with its PAT against the host's
 * write-back mapping. */
static uint64_t ept_table(uint64_t pa) { return (pa & PT_ADDR_MASK) | EPT_R | EPT_W | EPT_X; }

/* EPT's permission bits 2:0 are kernel/lib/prot.h's PROT_R, PROT_W, PROT_X. */
_Static_assert(EPT_R == PROT_R && EPT_W == PROT_W && EPT_X == PROT_X, "EPT R/W/X are PROT_R/W/X");

static uint64_t ept_leaf(uint64_t pa, unsigned prot, int level)
{
	uint64_t e = (pa & PT_ADDR_MASK) | (prot & PROT_RWX);
	e |= (uint64_t)((prot & PT_UC) ? EPT_MEMTYPE_UC : EPT_MEMTYPE_WB) << EPT_MEMTYPE_SHIFT | EPT_IPAT;
	if (level > 1)
		e |= EPT_LARGE;
	return e;
}

static bool ept_present(uint64_t e) { return (e & (EPT_R | EPT_W | EPT_X)) != 0; }
static bool ept_large(uint64_t e) { return (e & EPT_LARGE) != 0; }

static unsigned ept_prot(uint64_t e)
{
	unsigned p = (unsigned)e & PROT_RWX;
	if (((e >> EPT_MEMTYPE_SHIFT) & 7) == EPT_MEMTYPE_UC)
		p |= PT_UC;
	return p;
}

static const struct pt_format ept_formats[3] = {
	{ ept_table, ept_leaf, ept_present, ept_large, ept_prot, 1 },
	{ ept_table, ept_leaf, ept_present, ept_large, ept_prot, 2 },
	{ ept_table, ept_leaf, ept_present, ept_large, ept_prot, 3 },
};

const struct pt_format *ept_format(int max_leaf_level)
{
	if (max_leaf_level < 1)
		max_leaf_level = 1;
	if (max_leaf_level > 3)
		max_leaf_level = 3;
	return &ept_formats[max_leaf_level - 1];
}

uint64_t ept_eptp(uint64_t root, bool wb)
{
	/* SDM 3C 24.6.11: memory type (0 UC, 6 WB), walk length - 1, no accessed/dirty flags. */
	return (root & PT_ADDR_MASK) | EPTP_WALK_4 | (wb ? EPT_MEMTYPE_WB : EPT_MEMTYPE_UC);
}

int ept_check_prot(unsigned prot, bool execute_only)
{
	if ((prot & ~PROT_RWX) || !prot) /* unknown bits; an entry without R/W/X is "not present" */
		return -UV_EINVAL;
	/* SDM 3C 28.3.3.1: write without read is a misconfiguration; so is execute-only
	 * unless IA32_VMX_EPT_VPID_CAP[0]. */
	if ((prot & PROT_W) && !(prot & PROT_R))
		return -UV_EINVAL;
	if (prot == PROT_X && !execute_only)
		return -UV_EINVAL;
	return 0;
}
