/* tests/attack/deadline-wrap/main.c: a deadline a little under 2^64 whose distance plus the kernel's clock wraps (the old bug woke it in milliseconds): it must never wake. */
#include "tests/attack/attack.h"
int main(void)
{
	puts_("sleeping until 2^64-10^6\n");
	hc(UV_HC_YIELD, ~0ull - 1000000, 0, 0);
	puts_("WOKE EARLY\n");
	return 1;
}
