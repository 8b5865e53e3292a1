/* tests/attack/pause-spin/main.c: a PAUSE loop with interrupts off (no exits at all): preempted like any spinner. */
#include "tests/attack/attack.h"
int main(void)
{
	__asm__ volatile("cli");
	for (int i = 0; i < 3000000; i++)
		__asm__ volatile("pause");
	check("pause-spin.returns", 1, "");
	checks_done();
	return 0;
}
