/* tests/attack/deadline-max/main.c: yield(2^64 - 2): sleeps for good (the kernel's clock cannot reach it); it must never wake. */
#include "tests/attack/attack.h"
int main(void)
{
	puts_("sleeping until 2^64-2\n");
	hc(UV_HC_YIELD, ~0ull - 1, 0, 0);
	puts_("WOKE EARLY\n");
	return 1;
}
