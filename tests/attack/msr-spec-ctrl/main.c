/* tests/attack/msr-spec-ctrl/main.c: reads IA32_SPEC_CTRL (0x48), the host's speculation controls: stopped. */
#include "tests/attack/attack.h"
int main(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x48));
	puts_("ESCAPED: RDMSR 0x48 returned\n");
	return 1;
}
