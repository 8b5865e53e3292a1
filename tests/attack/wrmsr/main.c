/* tests/attack/wrmsr/main.c: writes IA32_LSTAR (0xc0000082); must be stopped with the MSR and value named. */
#include "tests/attack/attack.h"
int main(void)
{
	__asm__ volatile("wrmsr" : : "c"(0xc0000082), "a"(0xdeadbeef), "d"(0x1));
	puts_("ESCAPED: wrmsr returned\n");
	return 0;
}
