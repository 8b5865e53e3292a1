/* tests/attack/port-exit/main.c: writes QEMU's debug-exit port (0xf4): stopped, and the emulator does not end. */
#include "tests/attack/attack.h"
int main(void)
{
	__asm__ volatile("outl %0, %1" : : "a"(0x0u), "Nd"((uint16_t)0xf4));
	puts_("ESCAPED: outl 0xf4 went through\n");
	return 1;
}
