/* tests/attack/io-out/main.c: writes to an I/O port (0x80); must be stopped with the port and direction named. */
#include "tests/attack/attack.h"
int main(void)
{
	puts_("writing port 0x80\n");
	__asm__ volatile("outb %%al, $0x80" : : "a"(0x42));
	puts_("ESCAPED: the port write returned\n");
	return 0;
}
