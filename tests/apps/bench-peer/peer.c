/* tests/apps/bench-peer/peer.c: the bench app's partner: yields back to it BENCH_SWITCH_YIELDS times (the app-to-app switch), then answers its channel requests until an empty one (the channel round trip), then exits. */
#include <univisor.h>
#include "../bench/bench.h"

int main(void)
{
	for (int i = 0; i < BENCH_SWITCH_YIELDS; i++)
		if (uv_hc_yield(0, 0) < 0)
			return 1;
	static char m[BENCH_CHAN_MSG];
	for (;;) {
		long n = uv_hc_chan_recv(0, m, sizeof(m));
		if (n == -UV_EAGAIN) {
			uv_hc_yield(UV_YIELD_FOREVER, UV_HANDLE_CHAN(0));
			continue;
		}
		if (n <= 0)
			return n == 0 ? 0 : 1; /* the empty request: done */
		m[0]++; /* an answer, not an echo of the same bytes */
		if (uv_hc_chan_send(1, m, (size_t)n) != n)
			return 1;
	}
}
