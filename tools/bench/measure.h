/* tools/bench/measure.h: how both sides measure, shared by the bench app (libos) and Linux's /init (glibc): RDTSC before and after, min and median. */
#ifndef TOOLS_BENCH_MEASURE_H
#define TOOLS_BENCH_MEASURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Under QEMU -icount shift=0 and Bochs the TSC counts retired instructions. */
static inline uint64_t bench_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts n samples and prints "<prefix><name> min=N median=N n=N" (parsed by results.py). */
static void bench_report(const char *prefix, const char *name, uint64_t *s, int n)
{
	qsort(s, n, sizeof(*s), bench_cmp_u64);
	printf("%s%s min=%llu median=%llu n=%d\n", prefix, name, (unsigned long long)s[0],
	       (unsigned long long)s[n / 2], n);
	fflush(stdout);
}

/* The measurement's own cost (two back-to-back reads, included in every figure), for the record. */
static void bench_report_overhead(const char *prefix, uint64_t *s, int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t t0 = bench_rdtsc();
		uint64_t t1 = bench_rdtsc();
		s[i] = t1 - t0;
	}
	bench_report(prefix, "rdtsc-overhead", s, n);
}

#endif
