/* tests/attack/cr-write/main.c: reads CR4 (VMXE must not show) and writes CR0 (clearing WP): the write must stop it. */
#include "tests/attack/attack.h"
int main(void)
{
	uint64_t cr0, cr4;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	put_num("cr4-vmxe", (cr4 >> 13) & 1, 0);
	put_num("cr4-osfxsr", (cr4 >> 9) & 1, 0);
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	puts_("clearing CR0.WP\n");
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 & ~(1ull << 16)));
	puts_("ESCAPED: CR0 write returned\n");
	return 0;
}
