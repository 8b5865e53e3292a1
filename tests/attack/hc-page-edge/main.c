/* tests/attack/hc-page-edge/main.c: hypercall instructions that straddle a 4 KiB page boundary, and a 2 MiB one between two separate chunks of its RAM: each is found and completed (SVM without nRIP decodes across). */
#include "tests/attack/attack.h"
#include "tests/attack/own_tables.h"
#include "tests/attack/code_buf.h"

static void place(uint64_t at, int before)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)(at - (uint64_t)before);
	put_hc_insn(p);
	p[3] = 0xc3; /* ret */
}

int main(void)
{
	own_tables_identity_4g();
	/* 2 bytes before a 4 KiB boundary in its heap, then across the 2 MiB boundary at 4 MiB
	 * (two chunks of host memory), with 1 and 2 bytes on the first side. */
	uint64_t page = (boot_info->heap_start + 0x10fff) & ~0xfffull;
	place(page, 2);
	check("hc-page-edge.across-4k", call_code(page - 2, UV_HC_VERSION) == UV_ABI_VERSION, "not completed");
	place(0x400000, 1);
	check("hc-page-edge.across-2m-chunks-1", call_code(0x400000 - 1, UV_HC_VERSION) == UV_ABI_VERSION, "not completed");
	place(0x400000, 2);
	check("hc-page-edge.across-2m-chunks-2", call_code(0x400000 - 2, UV_HC_VERSION) == UV_ABI_VERSION, "not completed");
	checks_done();
	return 0;
}
