/* tests/apps/bench-big/big.c: the bench's 1 GiB app: its start is timed by the kernel; it times the first touch of chunks of its RAM and exits. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <univisor.h>
#include "../../../tools/bench/measure.h"

#define CHUNK (2ull << 20) /* the kernel zeroes and maps an app's RAM 2 MiB at a time, at first touch */
#define TOUCHES 16         /* chunks of its heap touched once each (a few of its 512) */

static uint64_t samples[TOUCHES];

int main(void)
{
	(void)bench_report_overhead; /* measure.h's; the bench app reports it */
	const struct uv_boot_info *bi = uv_boot_info();
	uint64_t first = (bi->heap_start + CHUNK - 1) / CHUNK * CHUNK + CHUNK; /* a chunk the loader did not write */
	if (first + TOUCHES * CHUNK > bi->heap_end) {
		printf("fig first-touch missing: the heap holds fewer than %d untouched chunks (0)\n", TOUCHES);
		return 1;
	}
	for (int i = 0; i < TOUCHES; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)(first + (uint64_t)i * CHUNK);
		uint64_t t0 = bench_rdtsc();
		*p = 1; /* one store: the violation, the zeroing of 2 MiB, the map, the store again */
		samples[i] = bench_rdtsc() - t0;
	}
	bench_report("fig ", "first-touch", samples, TOUCHES);
	fflush(stdout);
	return 0;
}
