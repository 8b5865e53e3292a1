/* tests/apps/bench-peer/peer.c: the bench app's partner: yields back to it BENCH_SWITCH_YIELDS times (the app-to-app switch), then answers its channel requests (chan_sendrecv) until an empty one (the channel round trip), then exits. */
#include <univisor.h>
#include "../bench/bench.h"

int main(void)
{
	for (int i = 0; i < BENCH_SWITCH_YIELDS; i++)
		if (uv_hc_yield(0, 0) < 0)
			return 1;
	static char m[BENCH_CHAN_MSG];
	/* Answer (nothing the first time) and wait for the next request, in one call. */
	long n = 0;
	for (uint32_t send = UV_CHAN_NO_SEND;; send = 1) {
		n = uv_hc_chan_sendrecv(UV_CHAN_ENDS(send, 0), m, (size_t)n, m, sizeof(m), UV_YIELD_FOREVER);
		if (n <= 0)
			return n == 0 ? 0 : 1; /* the empty request: done */
		m[0]++; /* an answer, not an echo of the same bytes */
	}
}
