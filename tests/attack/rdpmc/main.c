/* tests/attack/rdpmc/main.c: reads performance counter 0 (the host's events): stopped. */
#include "tests/attack/attack.h"
int main(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(0));
	puts_("ESCAPED: RDPMC ran\n");
	return 1;
}
