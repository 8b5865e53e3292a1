/* tests/attack/io-in/main.c: reads the keyboard controller port 0x64 (16-bit); must be stopped. */
#include "tests/attack/attack.h"
int main(void)
{
	uint16_t v;
	__asm__ volatile("inw $0x64, %0" : "=a"(v));
	put_num("ESCAPED: read", v, 1);
	return 0;
}
