/* tests/attack/ac-enable/main.c: tries to turn on alignment checking (CR0.AM), the first step of an #AC delivery loop: stopped at the CR0 write, so #AC can never fire in an app. */
#include "tests/attack/attack.h"
int main(void)
{
	uint64_t cr0;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | (1ull << 18)) : "memory");
	puts_("ESCAPED: CR0.AM set\n");
	return 1;
}
