/* tests/attack/hlt-storm/main.c: an exit flood: 10,000 HLTs (each one a yield) with interrupts off; the others keep their time. */
#include "tests/attack/attack.h"
int main(void)
{
	__asm__ volatile("cli");
	for (int i = 0; i < 10000; i++)
		__asm__ volatile("hlt");
	check("hlt-storm.returns", 1, "");
	checks_done();
	return 0;
}
