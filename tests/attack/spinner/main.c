/* tests/attack/spinner/main.c: spins with interrupts disabled for 4 s of its own TSC time; must not starve anyone. */
#include "tests/attack/attack.h"
static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
int main(void)
{
	uint64_t end = boot_info->tsc_hz * 4; /* its TSC started at 0 */
	puts_("spinning with interrupts off\n");
	__asm__ volatile("cli");
	while (rdtsc() < end)
		__asm__ volatile("" ::: "memory");
	__asm__ volatile("sti");
	puts_("done spinning\n");
	return 0;
}
