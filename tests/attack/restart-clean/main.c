/* tests/attack/restart-clean/main.c: fills registers, x87/SSE/AVX, CR2 and its heap with a pattern, then faults; restarted, it must find all of it clean. */
#include "tests/attack/attack.h"
#include "tests/attack/entry_state.h"
#include "tests/attack/fpu_pattern.h"

static struct fpu_regs mine;

int main(void)
{
	uint64_t heap = boot_info->heap_start, end = heap + (1u << 20);
	if (boot_info->restart_count == 0) {
		for (uint64_t a = heap; a < end; a += 8)
			*(volatile uint64_t *)(uintptr_t)a = 0x5245535441525421ull ^ a;
		fpu_fill(&mine, 0x77, 0x7f80, 0x0f7f);
		fpu_load_yield_read(&mine, &mine, avx_offered()); /* loaded, then a yield: now they are in its image */
		puts_("first run: leaving a pattern behind and faulting\n");
		__asm__ volatile("movq $0x1111111111111111, %%rbx\n\tmovq %%rbx, %%r12\n\tmovq %%rbx, %%r15\n\t"
				 "movq $0x7f0012340000, %%rax\n\tmovq (%%rax), %%rax" ::: "rax", "rbx", "r12", "r15", "memory");
		return 1; /* not reached: the #PF stops it */
	}
	const char *e = entry_state_clean();
	check("restart-clean.registers-after-restart", !*e, e);
	e = ram_zero(heap, end);
	check("restart-clean.ram-after-restart", !*e, e);
	checks_done();
	return 0;
}
