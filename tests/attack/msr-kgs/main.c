/* tests/attack/msr-kgs/main.c: reads IA32_KERNEL_GS_BASE (0xc0000102) directly: stopped (SWAPGS is the only way to it). */
#include "tests/attack/attack.h"
int main(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000102u));
	puts_("ESCAPED: RDMSR KERNEL_GS_BASE returned\n");
	return 1;
}
