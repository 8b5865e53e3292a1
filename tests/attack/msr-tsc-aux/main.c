/* tests/attack/msr-tsc-aux/main.c: writes IA32_TSC_AUX (0xc0000103) to make another app's RDTSCP lie: stopped. */
#include "tests/attack/attack.h"
int main(void)
{
	__asm__ volatile("wrmsr" : : "c"(0xc0000103u), "a"(0x1234u), "d"(0u));
	puts_("ESCAPED: WRMSR TSC_AUX returned\n");
	return 1;
}
