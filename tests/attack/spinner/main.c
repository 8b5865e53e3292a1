/* tests/attack/spinner/main.c: spins 2^27 iterations with interrupts disabled; must not starve anyone. */
#include "tests/attack/attack.h"
int main(void)
{
	puts_("spinning with interrupts off\n");
	__asm__ volatile("cli\n"
			 "1: dec %%rcx\n"
			 "jnz 1b\n"
			 "sti" : : "c"(1ull << 27) : "cc");
	puts_("done spinning\n");
	return 0;
}
