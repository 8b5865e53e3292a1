/* tests/attack/int3/main.c: INT3 without its own exception handling: stopped with a #BP report. */
#include "tests/attack/attack.h"
int main(void)
{
	__asm__ volatile("int3" ::: "memory");
	puts_("ESCAPED: INT3 returned\n");
	return 1;
}
