/* tests/attack/cr3-outside/main.c: points CR3 at a guest-physical address outside its RAM: the CPU's next page walk hits EPT/NPT and the app is stopped. */
#include "tests/attack/attack.h"
int main(void)
{
	puts_("loading CR3 = 0x40000000\n");
	__asm__ volatile("mov %0, %%cr3\n\tmov (%%rsp), %%rax" : : "r"(0x40000000ull) : "rax", "memory");
	puts_("ESCAPED: the walk found something\n");
	return 1;
}
