/* tests/attack/write-page0/main.c: writes through a NULL pointer; page 0 is not present: a #PF at 0x0. */
#include "tests/attack/attack.h"
int main(void)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)0;
	__asm__ volatile("" : "+r"(p));
	*p = 0x1234;
	puts_("ESCAPED: wrote page 0\n");
	return 0;
}
