/* tests/attack/lateness/main.c: the victim of the exit floods: sleeps 5 ms a hundred times and checks no wake-up came more than two 10 ms slices late. */
#include "tests/attack/attack.h"

#define ROUNDS 100
#define STEP_NS 5000000ull
#define LATE_MAX_NS 20000000ull /* two slices */

int main(void)
{
	uint64_t worst = 0;
	int early = 0;
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t deadline = now_ns() + STEP_NS;
		hc(UV_HC_YIELD, deadline, 0, 0);
		uint64_t woke = now_ns();
		if (woke < deadline)
			early = 1;
		else if (woke - deadline > worst)
			worst = woke - deadline;
	}
	put_num("lateness: worst wake-up late by us", (int64_t)(worst / 1000), 0);
	check("lateness.never-early", !early, "a yield returned before its deadline");
	check("lateness.within-two-slices", worst <= LATE_MAX_NS, "a wake-up came more than two slices late");
	checks_done();
	return 0;
}
