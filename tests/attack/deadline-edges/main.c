/* tests/attack/deadline-edges/main.c: yield at the edges of the clock: deadlines 0, 1, now-1 and now return at once; now+3 ms sleeps at least that long. */
#include "tests/attack/attack.h"

static int quick(uint64_t deadline)
{
	uint64_t t0 = now_ns();
	int64_t r = hc(UV_HC_YIELD, deadline, 0, 0);
	return r == 0 && now_ns() - t0 < 50000000ull; /* back within a few slices, not asleep */
}

int main(void)
{
	uint64_t now = now_ns();
	check("deadline-edges.zero", quick(0), "yield(0) did not return at once");
	check("deadline-edges.one", quick(1), "yield(1) did not return at once");
	check("deadline-edges.now-1", quick(now_ns() - 1), "a deadline just passed did not return at once");
	check("deadline-edges.now", quick(now_ns()), "a deadline of now did not return at once");
	now = now_ns();
	hc(UV_HC_YIELD, now + 3000000, 0, 0);
	check("deadline-edges.3ms-not-early", now_ns() >= now + 3000000, "woke before its deadline");
	checks_done();
	return 0;
}
