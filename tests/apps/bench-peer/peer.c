/* tests/apps/bench-peer/peer.c: the bench app's partner for the app-to-app switch: yields back to it BENCH_SWITCH_YIELDS times, then exits. */
#include <univisor.h>
#include "../bench/bench.h"

int main(void)
{
	for (int i = 0; i < BENCH_SWITCH_YIELDS; i++)
		if (uv_hc_yield(0, 0) < 0)
			return 1;
	return 0;
}
