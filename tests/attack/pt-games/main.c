/* tests/attack/pt-games/main.c: its own page tables with a self-referencing PML4 entry, entries with reserved bits, and an alias of its RAM at 512 GiB: hypercalls from the alias work, and hypercall pointers stay guest-physical (an alias address is outside its RAM). */
#include "tests/attack/attack.h"
#include "tests/attack/own_tables.h"

#define ALIAS (1ull << 39) /* PML4 entry 1: the same 4 GiB again */

static int64_t version_here(void)
{
	int64_t r;
	uint64_t nr = UV_HC_VERSION;
	if (boot_info->hc_insn == UV_HC_INSN_VMMCALL)
		__asm__ volatile("vmmcall" : "=a"(r) : "a"(nr) : "memory");
	else
		__asm__ volatile("vmcall" : "=a"(r) : "a"(nr) : "memory");
	return r;
}

int main(void)
{
	static const char msg[] = "pt-games: printed through its own page tables\n";
	own_tables_identity_4g();
	uint64_t *pml4 = tables[0];
	pml4[1] = pml4[0];                                      /* alias */
	pml4[511] = (uint64_t)(uintptr_t)pml4 | 3;              /* a loop: the PML4 maps itself */
	pml4[2] = 0x000f000000000000ull | (1ull << 7) | 3;      /* reserved bits, PS in a PML4E */
	pml4[3] = 0x7ff0000000000003ull;                        /* address bits beyond MAXPHYADDR */
	__asm__ volatile("mov %%cr3, %%rax\n\tmov %%rax, %%cr3" ::: "rax", "memory");
	check("pt-games.hypercall-own-tables", hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)msg, sizeof(msg) - 1, 0) ==
	      (int64_t)(sizeof(msg) - 1), "console_write through its own tables failed");
	int64_t (*alias_fn)(void) = (int64_t (*)(void))(uintptr_t)(ALIAS + (uint64_t)(uintptr_t)version_here);
	check("pt-games.hypercall-from-alias-rip", alias_fn() == UV_ABI_VERSION, "a hypercall at an alias address failed");
	check("pt-games.pointers-are-guest-physical",
	      hc(UV_HC_CONSOLE_WRITE, ALIAS + (uint64_t)(uintptr_t)msg, sizeof(msg) - 1, 0) == -UV_EFAULT,
	      "an alias (virtual) address was taken as a buffer");
	/* Its tables are its own business: reading through the loop sees the PML4. */
	volatile uint64_t *self = (volatile uint64_t *)(uintptr_t)(0xffffff8000000000ull | (511ull << 30) | (511ull << 21) | (511ull << 12));
	check("pt-games.loop-maps-the-pml4", self[511] == pml4[511], "the recursive entry does not map the PML4");
	checks_done();
	return 0;
}
