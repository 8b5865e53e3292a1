/* tests/attack/first-touch/main.c: RAM zeroed chunk by chunk at first touch: all of its heap reads zero, writes stay, and after it dirtied every chunk and was restarted it reads zero again. */
#include "tests/attack/attack.h"
#include "tests/attack/entry_state.h"

#define CHUNK (2ull << 20)     /* the kernel's unit of first-touch zeroing (2 MiB EPT/NPT leaves) */
#define FIRST_RUN_CHECKS 2     /* check lines the first run prints (the restarted run counts them too) */
#define PATTERN 0x4649525354544f55ull
#define RANDOM_BYTES 64

/* Writes a pattern into every word of [from, to), then reads it back; "" or what went wrong. */
static const char *fill_and_verify(uint64_t from, uint64_t to)
{
	for (uint64_t a = from; a < to; a += 8)
		*(volatile uint64_t *)(uintptr_t)a = PATTERN ^ a;
	for (uint64_t a = from; a < to; a += 8)
		if (*(volatile uint64_t *)(uintptr_t)a != (PATTERN ^ a))
			return "a word it wrote did not read back";
	return "";
}

int main(void)
{
	uint64_t heap = boot_info->heap_start, end = boot_info->heap_end;
	/* Its heap must span chunks the loader never wrote, or this tests nothing. */
	if (end - heap < 8 * CHUNK) {
		check("first-touch.heap-spans-chunks", 0, "the heap is smaller than 8 chunks: give the app more memory");
		checks_done();
		return 0;
	}
	if (boot_info->restart_count == 0) {
		/* A read is the first touch of most chunks: each must come back zeroed. */
		const char *e = ram_zero(heap, end);
		check("first-touch.heap-zero-at-start", !*e, e);
		e = fill_and_verify(heap, end);
		check("first-touch.writes-stay", !*e, e);
		puts_("first run: every chunk dirtied, exiting to be restarted\n");
		return 1; /* restart = on-failure */
	}
	checks_run = FIRST_RUN_CHECKS;
	/* The kernel writes into a chunk the app never touched (this run): what it wrote is
	 * there when the app's first touch zeroes the rest. */
	uint64_t rnd = (end - CHUNK) & ~(CHUNK - 1), nonzero = 0;
	check_eq("first-touch.random-into-untouched", hc(UV_HC_RANDOM, rnd, RANDOM_BYTES, 0), RANDOM_BYTES, 0);
	for (uint64_t a = rnd; a < rnd + RANDOM_BYTES; a += 8)
		nonzero |= *(volatile uint64_t *)(uintptr_t)a;
	check("first-touch.kernel-writes-kept", nonzero != 0, "the random bytes the kernel wrote read as zero");
	const char *e = ram_zero(heap, rnd);
	if (!*e)
		e = ram_zero(rnd + RANDOM_BYTES, end);
	check("first-touch.heap-zero-after-restart", !*e, e);
	e = ram_zero(boot_info->stack_bottom, boot_info->stack_top - 4096); /* below its own frames */
	check("first-touch.stack-zero-after-restart", !*e, e);
	checks_done();
	return 0;
}
