/* libos/brk.c: the heap range from the boot-info page and the bounded break sbrk() moves. */
#include "libos.h"

#define PAGE_UP(x) (((x) + (UV_PAGE_SIZE - 1)) & ~(uintptr_t)(UV_PAGE_SIZE - 1))
#define PAGE_DOWN(x) ((x) & ~(uintptr_t)(UV_PAGE_SIZE - 1))

int uv_heap_range(const struct uv_boot_info *bi, uintptr_t image_end, uintptr_t *start, uintptr_t *end)
{
	uintptr_t s = bi->heap_start > image_end ? bi->heap_start : image_end;
	uintptr_t e = bi->heap_end;

	if (s > UINTPTR_MAX - UV_PAGE_SIZE || bi->stack_bottom < UV_GUEST_GUARD_SIZE)
		return -UV_EINVAL;
	/* Never let the heap reach the guard page below the stack, whatever heap_end says. */
	if (e > bi->stack_bottom - UV_GUEST_GUARD_SIZE)
		e = bi->stack_bottom - UV_GUEST_GUARD_SIZE;
	if (e > bi->mem_size)
		e = bi->mem_size;
	s = PAGE_UP(s);
	e = PAGE_DOWN(e);
	if (s > e)
		return -UV_EINVAL;
	*start = s;
	*end = e;
	return 0;
}

int uv_brk_move(struct uv_brk *b, intptr_t incr, uintptr_t *old)
{
	uintptr_t cur = b->cur;

	if (incr >= 0) {
		if ((uintptr_t)incr > b->end - cur)
			return -UV_ENOMEM;
	} else {
		/* -incr without overflow: incr >= INTPTR_MIN, so -(incr + 1) + 1 fits unsigned. */
		uintptr_t dec = (uintptr_t)(-(incr + 1)) + 1;
		if (dec > cur - b->start)
			return -UV_ENOMEM;
	}
	b->cur = cur + (uintptr_t)incr;
	*old = cur;
	return 0;
}
