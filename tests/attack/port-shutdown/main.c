/* tests/attack/port-shutdown/main.c: writes "Shutdown" to Bochs' shutdown port (0x8900) by REP OUTSB: stopped at the first byte, Bochs goes on. */
#include "tests/attack/attack.h"
int main(void)
{
	static const char s[] = "Shutdown";
	__asm__ volatile("cld\n\trep outsb" : : "S"(s), "c"(8), "d"(0x8900) : "memory");
	puts_("ESCAPED: the shutdown port took it\n");
	return 1;
}
