/* tests/attack/deadline-far/main.c: yield(2^63), 292 years away but countable: still asleep when the run's time limit ends the run. */
#include "tests/attack/attack.h"
int main(void)
{
	puts_("sleeping until 2^63\n");
	hc(UV_HC_YIELD, 1ull << 63, 0, 0);
	puts_("WOKE EARLY\n");
	return 1;
}
