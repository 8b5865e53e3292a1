/* tests/attack/cr-write/main.c: reads CR4 (VMXE must not show) and writes CR0 (clearing WP): the write must stop it. */
#include "tests/attack/attack.h"

#define CR0_WP (1ull << 16)
#define CR4_OSFXSR (1ull << 9)
#define CR4_VMXE (1ull << 13)

int main(void)
{
	uint64_t cr0, cr4;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	check("cr-write.cr4-hides-vmxe", !(cr4 & CR4_VMXE), "CR4.VMXE shows");
	check("cr-write.cr4-osfxsr", (cr4 & CR4_OSFXSR) != 0, "CR4.OSFXSR is clear");
	checks_done(); /* before the write that stops it */
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	puts_("clearing CR0.WP\n");
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 & ~CR0_WP));
	puts_("ESCAPED: CR0 write returned\n");
	return 0;
}
