/* tests/attack/syscall/main.c: SYSCALL with EFER.SCE clear (the app cannot set it: EFER is an MSR): #UD, stopped. */
#include "tests/attack/attack.h"
int main(void)
{
	__asm__ volatile("syscall" ::: "rcx", "r11", "memory");
	puts_("ESCAPED: SYSCALL returned\n");
	return 1;
}
