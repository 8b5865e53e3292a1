/* tests/attack/dr7-arm/main.c: enables breakpoint 0 in DR7 (global and local): the kernel stops it at the MOV to DR7. */
#include "tests/attack/attack.h"
int main(void)
{
	puts_("arming DR7\n");
	__asm__ volatile("mov %0, %%dr7" : : "r"(0x403ull));
	puts_("ESCAPED: DR7 written\n");
	return 1;
}
