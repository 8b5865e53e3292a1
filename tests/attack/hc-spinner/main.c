/* tests/attack/hc-spinner/main.c: 2^19 null hypercalls in a row with interrupts disabled; must not starve anyone. */
#include "tests/attack/attack.h"
/* Each call completes inside the kernel's backend loop (the hypercall fast path): only the
 * timer's interrupt (pending while the kernel runs a call) or the slice's end checked
 * there ends its slice. The calls cost about 65 million instructions of the machine's,
 * with the CPU shared fairly the counters (sched.conf) reach their first quarter (about 23
 * million each) well before. */
int main(void)
{
	puts_("calling with interrupts off\n");
	__asm__ volatile("cli" ::: "memory");
	int64_t bad = 0;
	for (uint64_t i = 0; i < (1ull << 19); i++)
		bad |= hc(UV_HC_VERSION, 0, 0, 0) != UV_ABI_VERSION;
	__asm__ volatile("sti" ::: "memory");
	puts_(bad ? "a call returned something else\n" : "done calling\n");
	return 0;
}
