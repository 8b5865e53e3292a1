/* tests/attack/rdmsr/main.c: reads IA32_APIC_BASE (0x1b); must be stopped with the MSR named. */
#include "tests/attack/attack.h"
int main(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x1b));
	put_num("ESCAPED: rdmsr", ((uint64_t)hi << 32) | lo, 1);
	return 0;
}
