/* tests/attack/dr-write/main.c: aims DR0 at the kernel's text (physical 1 MiB): the kernel stops it at the MOV to DR0. */
#include "tests/attack/attack.h"
int main(void)
{
	puts_("arming DR0\n");
	__asm__ volatile("mov %0, %%dr0" : : "r"(0x100000ull));
	puts_("ESCAPED: DR0 written\n");
	return 1;
}
