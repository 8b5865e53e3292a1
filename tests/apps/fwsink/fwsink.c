/* tests/apps/fwsink/fwsink.c: the firewall bench's sink: counts the flow of tools/bench/fwflow.h on its one vNIC and prints the "fig fw-forward" line. */
/*
 * Reads until the first end marker, or until the queue stayed empty for idle-ms virtual ms (arg
 * idle-ms=N, default 2000: the markers may all be lost). It reads the TSC (under QEMU
 * -icount every instruction of the machine, root mode included) at each data frame; the
 * figure is the ticks from the first to the last. Every FWFLOW_ACK_EVERY-th data frame it
 * answers with an ack (back through the firewall) that opens the generator's window. Output (with the kernel's "name: "):
 *   fig fw-forward received=N sent=N ticks=N denied=N other=N out-of-order=N ended=0|1
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <univisor.h>
#include "../../../tools/bench/fwflow.h"
/* Only bench_rdtsc is used here; the header's other helpers are for the figures with samples. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "../../../tools/bench/measure.h"
#pragma GCC diagnostic pop

#define SINK_MAX_READS 100000000u /* a bound on the loop: far more than any run sends */
#define SINK_NS_PER_MS 1000000ll
#define SINK_FRAME_MAX 1518       /* the largest frame net_read hands over (802.1Q tagged) */

int main(int argc, char **argv)
{
	static uint8_t f[SINK_FRAME_MAX], ack[FWFLOW_FRAME];
	struct fwflow_tally t = { 0 };
	uint32_t acks_refused = 0;
	fwflow_frame(ack, FWFLOW_BACK, 0, FWFLOW_ACK, 0, 0);
	int64_t idle_ns = 2000 * SINK_NS_PER_MS;
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "idle-ms=", 8) == 0)
			idle_ns = atol(argv[i] + 8) * SINK_NS_PER_MS;
	if (idle_ns <= 0) {
		printf("usage: fwsink [idle-ms=N>0]\n");
		return 2;
	}
	int64_t deadline = uv_monotonic_ns() + idle_ns;
	long r = 0;
	bool came = false; /* a frame since the queue was last found empty */
	for (uint32_t i = 0; i < SINK_MAX_READS && !t.ended; i++) {
		r = uv_hc_net_read(0, f, sizeof(f));
		if (r > 0) {
			came = true;
			if (!fwflow_count(&t, f, (size_t)r, bench_rdtsc()))
				continue;
			/* Every FWFLOW_ACK_EVERY-th data frame: the ack that opens the generator's window. */
			fwflow_wr32(ack + FWFLOW_PAYLOAD + FWFLOW_OFF_SEQ, t.last_seq);
			if (uv_hc_net_write(0, ack, sizeof(ack)) != (long)sizeof(ack))
				acks_refused++;
			continue;
		}
		if (r != -UV_EAGAIN)
			break;
		/* The queue is empty: the idle time counts from now if frames came since. */
		int64_t now = uv_monotonic_ns();
		if (came)
			deadline = now + idle_ns;
		came = false;
		if (now >= deadline)
			break;
		uv_hc_yield((uint64_t)deadline, UV_HANDLE_NIC(0));
	}
	if (r < 0 && r != -UV_EAGAIN)
		printf("net_read failed (%ld)\n", r);
	if (acks_refused)
		printf("%u acks refused by net_write\n", acks_refused);
	fwflow_report("fig ", &t);
	return r < 0 && r != -UV_EAGAIN ? 1 : 0;
}
