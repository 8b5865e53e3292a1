/* tests/attack/icebp/main.c: ICEBP (INT1, f1): stopped on both vendors as an instruction apps may not use. */
#include "tests/attack/attack.h"
int main(void)
{
	__asm__ volatile(".byte 0xf1" ::: "memory");
	puts_("ESCAPED: ICEBP ran\n");
	return 1;
}
