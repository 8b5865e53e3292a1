/* tests/attack/counter/main.c: counts to 2^24 without ever yielding, printing each quarter: its progress shows the scheduler's fairness. */
#include "tests/attack/attack.h"
#define TARGET (1u << 24)
int main(void)
{
	volatile uint64_t n = 0;
	for (unsigned q = 1; q <= 4; q++) {
		while (n < (uint64_t)TARGET / 4 * q)
			n++;
		put_num("quarter", q, 0);
	}
	puts_("done\n");
	return 0;
}
