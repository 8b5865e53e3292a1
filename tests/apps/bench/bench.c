/* tests/apps/bench/bench.c: the bench app: counts its hypercall round trips and clock reads with RDTSC and prints "fig" lines for tools/bench. */
/*
 * Under QEMU -icount and Bochs the TSC counts retired instructions (the kernel's and the
 * app's alike), so each figure is the exact cost of a path as this app sees it: RDTSC
 * before, RDTSC after, the same way tools/bench/linux/init.c measures Linux. The app's
 * TSC reads 0 when it starts (uv_bootinfo.h), so the first reading is the instructions
 * from the app's first instruction to its first console write.
 *
 * The app-to-app switch needs the peer app bench-peer in the same appliance
 * (tools/bench/bench.conf), listed after this one.
 *
 * Output (each line gets the kernel's "bench: " prefix), parsed by tools/bench/results.py:
 *   fig first-write tsc=N
 *   fig <figure> min=N median=N n=N
 *   fig <figure> missing: <why>
 */
#include <limits.h>
#include <string.h>
#include <time.h>
#include <univisor.h>
#include "bench.h"
#include "../../../tools/bench/measure.h"

#define ITER 1000 /* iterations of the null hypercall and the clock reads */
#define WRITES 64 /* iterations of the console write (each prints a line) */

static uint64_t samples[ITER > BENCH_SWITCH_ITER ? ITER : BENCH_SWITCH_ITER];

static void report(const char *name, uint64_t *s, int n) { bench_report("fig ", name, s, n); }

static void report_missing(const char *name, const char *why, long r)
{
	printf("fig %s missing: %s (%ld)\n", name, why, r);
	fflush(stdout);
}

/* ITER calls of a hypercall stub without arguments; each result must lie in [lo, hi]. */
static void bench_call(const char *name, long (*call)(void), long lo, long hi)
{
	for (int i = 0; i < ITER; i++) {
		uint64_t t0 = bench_rdtsc();
		long r = call();
		samples[i] = bench_rdtsc() - t0;
		if (r < lo || r > hi) {
			report_missing(name, "unexpected result", r);
			return;
		}
	}
	report(name, samples, ITER);
}

/* UV_HC_CONSOLE_WRITE of 64 bytes, the raw hypercall (as init's raw write(2) on Linux). */
static void bench_console_write(void)
{
	static const char line[65] = "console-write-64 ..............................................\n";
	_Static_assert(sizeof(line) == 65, "64 bytes plus the NUL");
	fflush(stdout);
	for (int i = 0; i < WRITES; i++) {
		uint64_t t0 = bench_rdtsc();
		long r = uv_hc_console_write(line, 64);
		samples[i] = bench_rdtsc() - t0;
		if (r != 64) {
			report_missing("console-write-64", "console_write did not take 64 bytes", r);
			return;
		}
	}
	report("console-write-64", samples, WRITES);
}

/* clock_gettime(CLOCK_MONOTONIC): libos reads the TSC and scales it, no exit. */
static void bench_clock_tsc(void)
{
	struct timespec ts;
	if (!(uv_boot_info()->flags & UV_BOOT_TSC_USABLE)) {
		report_missing("clock-tsc", "the boot-info page says the TSC clock is unusable", 0);
		return;
	}
	for (int i = 0; i < ITER; i++) {
		uint64_t t0 = bench_rdtsc();
		int r = clock_gettime(CLOCK_MONOTONIC, &ts);
		samples[i] = bench_rdtsc() - t0;
		if (r) {
			report_missing("clock-tsc", "clock_gettime failed", r);
			return;
		}
	}
	report("clock-tsc", samples, ITER);
}

/*
 * Two apps yielding to each other (the peer, bench-peer, yields back once per round
 * trip): half a round trip is one switch, the same count as Linux's pipe ping-pong.
 * Runs first, while the peer is still there; one last yield lets the peer exit, so
 * the other figures are measured with this app alone.
 */
static void bench_switch(void)
{
	long r = 0;
	for (int i = 0; i < BENCH_SWITCH_WARMUP && r >= 0; i++)
		r = uv_hc_yield(0, 0);
	for (int i = 0; i < BENCH_SWITCH_ITER && r >= 0; i++) {
		uint64_t t0 = bench_rdtsc();
		r = uv_hc_yield(0, 0);
		samples[i] = (bench_rdtsc() - t0) / 2;
	}
	uv_hc_yield(0, 0);
	if (r < 0) {
		report_missing("app-switch", "yield failed", r);
		return;
	}
	report("app-switch", samples, BENCH_SWITCH_ITER);
}

/* A BENCH_CHAN_MSG-byte request on breq and the peer's reply on brep, in one chan_sendrecv
 * (the peer answers and waits in one too): two channel copies each way and two switches, as
 * Linux's 64-byte pipe round trip. */
static void bench_chan(void)
{
	static char req[BENCH_CHAN_MSG], rep[BENCH_CHAN_MSG];
	long r = 0;
	for (int i = 0; i < BENCH_CHAN_WARMUP + BENCH_CHAN_ITER && r >= 0; i++) {
		req[0] = (char)i;
		uint64_t t0 = bench_rdtsc();
		r = uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), req, sizeof(req), rep, sizeof(rep), UV_YIELD_FOREVER);
		uint64_t t = bench_rdtsc() - t0;
		if (r >= 0 && (r != (long)sizeof(rep) || rep[0] != (char)(i + 1)))
			r = -UV_EINVAL;
		if (i >= BENCH_CHAN_WARMUP)
			samples[i - BENCH_CHAN_WARMUP] = t;
	}
	uv_hc_chan_send(0, req, 0); /* the peer exits */
	if (r < 0) {
		report_missing("chan-rtt-64", "the round trip failed", r);
		return;
	}
	report("chan-rtt-64", samples, BENCH_CHAN_ITER);
}

/* A 64-byte frame into the switch on vNIC 0 and out of vNIC 1 (write + read: the two copies
 * a frame from one app to another costs, without the switch between the apps), as Linux's
 * AF_PACKET send + receive on its loopback. */
static void bench_net_frame(void)
{
	struct uv_net_info a, b;
	long r = uv_hc_net_info(0, &a);
	if (r || (r = uv_hc_net_info(1, &b))) {
		report_missing("net-frame-64", "the bench app has no two vNICs", r);
		return;
	}
	static uint8_t frame[64], in[1518];
	memcpy(frame, b.mac, 6);
	memcpy(frame + 6, a.mac, 6);
	frame[12] = 0x88, frame[13] = 0xb5; /* local experimental ethertype */
	for (int i = 0; i < ITER; i++) {
		frame[14] = (uint8_t)i;
		uint64_t t0 = bench_rdtsc();
		long w = uv_hc_net_write(0, frame, sizeof(frame));
		long n = uv_hc_net_read(1, in, sizeof(in));
		samples[i] = bench_rdtsc() - t0;
		if (w != (long)sizeof(frame) || n != (long)sizeof(frame) || in[14] != (uint8_t)i) {
			report_missing("net-frame-64", "the frame did not come through", w < 0 ? w : n);
			return;
		}
	}
	report("net-frame-64", samples, ITER);
}

int main(void)
{
	uint64_t first_write = bench_rdtsc();
	printf("fig first-write tsc=%llu\n", (unsigned long long)first_write);
	fflush(stdout);
	bench_switch();
	bench_chan();
	bench_report_overhead("fig ", samples, ITER);
	bench_call("null-hypercall", uv_hc_version, UV_ABI_VERSION, UV_ABI_VERSION); /* the null call */
	bench_console_write();
	bench_clock_tsc();
	bench_call("clock-hypercall", uv_hc_clock_monotonic, 0, LONG_MAX); /* the TSC clock, through an exit */
	bench_net_frame();
	printf("fig done\n");
	return 0;
}
