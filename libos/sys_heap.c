/* libos/sys_heap.c: sbrk() inside the heap the boot-info page gives (malloc's only source of memory). */
#include <errno.h>
#include <unistd.h>
#include "libos.h"

static struct uv_brk heap;

void __uv_heap_init(uintptr_t start, uintptr_t end)
{
	heap.start = start;
	heap.end = end;
	heap.cur = start;
}

/* Moves the break; at the heap's end (never the stack guard) it fails with ENOMEM. */
void *sbrk(ptrdiff_t incr)
{
	uintptr_t old;

	if (uv_brk_move(&heap, incr, &old) < 0) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return (void *)old;
}
