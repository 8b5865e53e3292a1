/* tests/attack/rep-insb/main.c: REP INSB from the keyboard controller into its own buffer: stopped. */
#include "tests/attack/attack.h"
int main(void)
{
	static char buf[64];
	__asm__ volatile("cld\n\trep insb" : : "D"(buf), "c"(sizeof(buf)), "d"(0x60) : "memory");
	puts_("ESCAPED: rep insb went through\n");
	return 1;
}
