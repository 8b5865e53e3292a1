/* tests/apps/fwgen/fwgen.c: the firewall bench's generator: the flow of tools/bench/fwflow.h out of its one vNIC, in bursts, then the denied flow and the end markers. */
/*
 * Args (key=value, all optional):
 *   count=N   data frames of the allowed flow (default 20000)
 *   denied=N  frames of the denied flow after them (default 0)
 *   wait-ms=N virtual ms to wait before the first frame (default 1500: QEMU's e1000 takes
 *             no frame for 1 s after its receiver is enabled, hw/net/e1000.c set_rx_control)
 * The data frames go in a window (tools/bench/fwflow.h): at most FWFLOW_WINDOW past the last
 * one the sink acked. The generator talks to nobody but the wire: the end markers tell the
 * sink how many data frames it sent. It prints one line: what it sent, what net_write
 * refused, and how often the window stalled (no ack in time: frames lost on the way).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <univisor.h>
#include "../../../tools/bench/fwflow.h"

#define GEN_MAX_FRAMES 10000000u /* an upper bound for count and denied */
#define GEN_NS_PER_MS 1000000ull
#define GEN_FRAME_MAX 1518       /* the largest frame net_read hands over (802.1Q tagged) */
#define GEN_MAX_READS 4096       /* acks taken at one go, at most */

static uint32_t acked; /* the sequence number after the last one acked */
static uint32_t stalls; /* waits for an ack that timed out */

/* The value of key=N among the args, or dflt; false if it is there but not a number up to max. */
static bool arg_u32(int argc, char **argv, const char *key, uint32_t dflt, uint32_t max, uint32_t *v)
{
	size_t k = strlen(key);
	*v = dflt;
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], key, k) != 0 || argv[i][k] != '=')
			continue;
		char *end;
		unsigned long n = strtoul(argv[i] + k + 1, &end, 10);
		if (*end || end == argv[i] + k + 1 || n > max)
			return false;
		*v = (uint32_t)n;
	}
	return true;
}

/* Takes the acks waiting on vNIC 0 (anything else is dropped) and moves acked on. */
static void take_acks(void)
{
	static uint8_t in[GEN_FRAME_MAX];
	for (int i = 0; i < GEN_MAX_READS; i++) {
		long r = uv_hc_net_read(0, in, sizeof(in));
		uint32_t seq;
		if (r <= 0)
			return;
		if (fwflow_parse_ack(in, (size_t)r, &seq) && (int32_t)(seq + 1 - acked) > 0)
			acked = seq + 1;
	}
}

/* Waits until data frame next may go: an ack opens the window, or after FWFLOW_ACK_WAIT_NS
 * without one every frame in flight counts as lost. */
static void wait_window(uint32_t next)
{
	if (fwflow_window_open(next, acked))
		return;
	take_acks();
	uint64_t deadline = (uint64_t)uv_monotonic_ns() + FWFLOW_ACK_WAIT_NS;
	while (!fwflow_window_open(next, acked)) {
		if ((uint64_t)uv_monotonic_ns() >= deadline) {
			stalls++;
			acked = next;
			return;
		}
		uv_hc_yield(deadline, UV_HANDLE_NIC(0));
		take_acks();
	}
}

/* Sends n frames of the flow to port (kind, sequence numbers from 0; data of the allowed
 * flow in the window, the rest each after a yield); returns how many net_write refused. */
static uint32_t send_run(uint32_t port, enum fwflow_kind kind, uint32_t n, uint32_t sent)
{
	static uint8_t f[FWFLOW_FRAME];
	bool windowed = kind == FWFLOW_DATA && port == FWFLOW_DST_PORT;
	uint32_t refused = 0;
	fwflow_frame(f, FWFLOW_FORWARD, port, kind, 0, sent);
	for (uint32_t i = 0; i < n; i++) {
		if (windowed)
			wait_window(i);
		else
			uv_hc_yield(0, 0);
		fwflow_wr32(f + FWFLOW_PAYLOAD + FWFLOW_OFF_SEQ, i);
		if (uv_hc_net_write(0, f, sizeof(f)) != (long)sizeof(f))
			refused++;
	}
	return refused;
}

int main(int argc, char **argv)
{
	uint32_t count, denied, wait_ms;
	struct uv_net_info info;
	if (!arg_u32(argc, argv, "count", 20000, GEN_MAX_FRAMES, &count) ||
	    !arg_u32(argc, argv, "denied", 0, GEN_MAX_FRAMES, &denied) ||
	    !arg_u32(argc, argv, "wait-ms", 1500, 60000, &wait_ms)) {
		printf("usage: fwgen [count=N] [denied=N] [wait-ms=N<=60000]\n");
		return 2;
	}
	long r = uv_hc_net_info(0, &info);
	if (r) {
		printf("no vNIC 0 (%ld)\n", r);
		return 1;
	}
	uv_hc_yield((uint64_t)uv_monotonic_ns() + wait_ms * GEN_NS_PER_MS, 0);
	uint32_t refused = send_run(FWFLOW_DST_PORT, FWFLOW_DATA, count, 0);
	uint32_t refused_denied = send_run(FWFLOW_DENIED_PORT, FWFLOW_DATA, denied, 0);
	uint32_t refused_end = send_run(FWFLOW_DST_PORT, FWFLOW_END, FWFLOW_END_MARKERS, count - refused);
	printf("sent %u data frames (%u refused, %u window stalls), %u denied (%u refused), %u end markers (%u refused)\n",
	       count - refused, refused, stalls, denied - refused_denied, refused_denied,
	       FWFLOW_END_MARKERS - refused_end, refused_end);
	return 0;
}
