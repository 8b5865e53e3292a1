/* tests/attack/crasher/main.c: checks it got fresh zeroed memory, marks it, then crashes: restarted per policy. */
#include "tests/attack/attack.h"
static uint64_t marker; /* .bss */
__attribute__((noinline)) void crash_after_marking(void)
{
	__asm__ volatile("nop\n ud2");
}
int main(void)
{
	/* A heap page and a stack page the previous instance marked must read zero again. */
	volatile uint64_t *heap = (volatile uint64_t *)(uintptr_t)(boot_info->heap_start + 0x1000);
	volatile uint64_t *stack = (volatile uint64_t *)(uintptr_t)(boot_info->stack_bottom + 64);
	int fresh = marker == 0 && *heap == 0 && *stack == 0;
	put_num("instance", boot_info->restart_count, 0);
	put_num("fresh-memory", fresh, 0);
	marker = *heap = *stack = 0x5ca1ab1e;
	crash_after_marking();
	return 0;
}
