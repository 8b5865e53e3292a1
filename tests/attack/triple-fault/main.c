/* tests/attack/triple-fault/main.c: with its own exception handling (exceptions = guest), loads an empty IDT and faults. */
#include "tests/attack/attack.h"
int main(void)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr = { 0, 0 };
	puts_("loading an empty IDT and raising #UD\n");
	__asm__ volatile("lidt %0\n ud2" : : "m"(idtr));
	puts_("ESCAPED: survived a triple fault\n");
	return 0;
}
