/* tests/attack/monitor/main.c: MONITOR on its own memory (MWAIT would park the host's CPU): stopped. */
#include "tests/attack/attack.h"
int main(void)
{
	static volatile uint64_t word;
	__asm__ volatile("monitor" : : "a"(&word), "c"(0), "d"(0) : "memory");
	puts_("ESCAPED: MONITOR ran\n");
	return 1;
}
