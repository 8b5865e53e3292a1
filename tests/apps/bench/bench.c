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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <univisor.h>
#include "bench.h"

#define ITER 1000 /* iterations of the null hypercall and the clock reads */
#define WRITES 64 /* iterations of the console write (each prints a line) */

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t samples[ITER > BENCH_SWITCH_ITER ? ITER : BENCH_SWITCH_ITER];

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Prints "fig <name> min=N median=N n=N" for n samples (sorts them). */
static void report(const char *name, uint64_t *s, int n)
{
	qsort(s, n, sizeof(*s), cmp_u64);
	printf("fig %s min=%llu median=%llu n=%d\n", name, (unsigned long long)s[0],
	       (unsigned long long)s[n / 2], n);
	fflush(stdout);
}

static void report_missing(const char *name, const char *why, long r)
{
	printf("fig %s missing: %s (%ld)\n", name, why, r);
	fflush(stdout);
}

/* The cost of the measurement itself (two back-to-back reads), for the record. */
static void measure_overhead(void)
{
	for (int i = 0; i < ITER; i++) {
		uint64_t t0 = rdtsc();
		uint64_t t1 = rdtsc();
		samples[i] = t1 - t0;
	}
	report("rdtsc-overhead", samples, ITER);
}

/* UV_HC_VERSION: the null call (exit, dispatch, return). */
static void bench_null_hypercall(void)
{
	for (int i = 0; i < ITER; i++) {
		uint64_t t0 = rdtsc();
		long r = uv_hc_version();
		samples[i] = rdtsc() - t0;
		if (r != UV_ABI_VERSION) {
			report_missing("null-hypercall", "version returned an unexpected value", r);
			return;
		}
	}
	report("null-hypercall", samples, ITER);
}

/* UV_HC_CONSOLE_WRITE of 64 bytes, the raw hypercall (as init's raw write(2) on Linux). */
static void bench_console_write(void)
{
	static const char line[65] = "console-write-64 ..............................................\n";
	_Static_assert(sizeof(line) == 65, "64 bytes plus the NUL");
	fflush(stdout);
	for (int i = 0; i < WRITES; i++) {
		uint64_t t0 = rdtsc();
		long r = uv_hc_console_write(line, 64);
		samples[i] = rdtsc() - t0;
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
		uint64_t t0 = rdtsc();
		int r = clock_gettime(CLOCK_MONOTONIC, &ts);
		samples[i] = rdtsc() - t0;
		if (r) {
			report_missing("clock-tsc", "clock_gettime failed", r);
			return;
		}
	}
	report("clock-tsc", samples, ITER);
}

/* UV_HC_CLOCK_MONOTONIC: the same time through an exit. */
static void bench_clock_hypercall(void)
{
	for (int i = 0; i < ITER; i++) {
		uint64_t t0 = rdtsc();
		long r = uv_hc_clock_monotonic();
		samples[i] = rdtsc() - t0;
		if (r < 0) {
			report_missing("clock-hypercall", "clock_monotonic failed", r);
			return;
		}
	}
	report("clock-hypercall", samples, ITER);
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
		uint64_t t0 = rdtsc();
		r = uv_hc_yield(0, 0);
		samples[i] = (rdtsc() - t0) / 2;
	}
	uv_hc_yield(0, 0);
	if (r < 0) {
		report_missing("app-switch", "yield failed", r);
		return;
	}
	report("app-switch", samples, BENCH_SWITCH_ITER);
}

int main(void)
{
	uint64_t first_write = rdtsc();
	printf("fig first-write tsc=%llu\n", (unsigned long long)first_write);
	fflush(stdout);
	bench_switch();
	measure_overhead();
	bench_null_hypercall();
	bench_console_write();
	bench_clock_tsc();
	bench_clock_hypercall();
	printf("fig done\n");
	return 0;
}
