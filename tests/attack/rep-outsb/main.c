/* tests/attack/rep-outsb/main.c: REP OUTSB of a fake kernel line to the kernel's own UART (COM1): stopped at the first byte, nothing reaches the port. */
#include "tests/attack/attack.h"
int main(void)
{
	static const char fake[] = "\r\nKERNEL PANIC at fake.c:1: owned\r\n";
	__asm__ volatile("cld\n\trep outsb" : : "S"(fake), "c"(sizeof(fake) - 1), "d"(0x3f8) : "memory");
	puts_("ESCAPED: rep outsb went through\n");
	return 1;
}
