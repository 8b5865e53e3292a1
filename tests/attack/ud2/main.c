/* tests/attack/ud2/main.c: executes UD2 inside a named function: stopped with #UD at that symbol. */
#include "tests/attack/attack.h"
__attribute__((noinline)) void crash_here(void)
{
	__asm__ volatile("nop\n ud2");
}
int main(void)
{
	crash_here();
	puts_("ESCAPED: ud2 returned\n");
	return 0;
}
