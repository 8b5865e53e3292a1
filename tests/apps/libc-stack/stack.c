/* tests/apps/libc-stack/stack.c: recurses until the stack runs into its guard page; the kernel must stop it there. */
#include <stdio.h>
#include <univisor.h>

/* Each frame touches its 512-byte array, so the guard page below the stack is hit, not skipped. */
static unsigned long max_depth; /* more frames than the whole RAM holds: reaching it is a failure */

static unsigned long recurse(unsigned long depth, volatile char *prev)
{
	volatile char frame[512];

	if (depth > max_depth)
		return 0;

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = prev ? prev[0] : 0;
	if ((depth & 63) == 0)
		printf("libc-stack: depth %lu, sp near %p\n", depth, (void *)frame);
	return recurse(depth + 1, frame) + frame[1];
}

int main(void)
{
	const struct uv_boot_info *bi = uv_boot_info();

	printf("libc-stack: stack [%#lx, %#lx), guard page at %#lx; recursing\n",
	       (unsigned long)bi->stack_bottom, (unsigned long)bi->stack_top,
	       (unsigned long)(bi->stack_bottom - UV_GUEST_GUARD_SIZE));
	max_depth = bi->mem_size / 512;
	fflush(stdout);
	printf("libc-stack: FAIL: recursion returned %lu\n", recurse(0, NULL));
	return 1;
}
