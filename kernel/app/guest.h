/* kernel/app/guest.h: lays out an app's RAM: loadable segments, GDT/TSS, the guest's own page tables, heap, guard, stack. */
#ifndef KERNEL_GUEST_H
#define KERNEL_GUEST_H

#include <stddef.h>
#include <stdint.h>
#include "include/abi/uv_manifest.h"
#include "kernel/app/guestmem.h"
#include "kernel/arch/x86.h"

struct guest_layout {
	uint64_t heap_start, heap_end;  /* [heap_start, heap_end) mapped RW */
	uint64_t guard;                 /* the not-present page under the stack */
	uint64_t stack_bottom, stack_top;
	uint64_t pml4;                  /* guest-physical address of the guest's PML4 */
	uint64_t gdt, tss;              /* guest addresses of the GDT and TSS */
	uint16_t gdt_limit;
	uint64_t pt_pages;              /* guest page-table pages used */
};

/* What the loader copies: n loads of the manifest (manifest_loads_check passed) over bytes. */
struct guest_image {
	const uint8_t *bytes;
	const struct uv_manifest_load *load;
	unsigned n;
	uint64_t highest; /* the end of the highest load */
};

/* The highest address a loadable segment may reach for this memory and stack size. */
static inline uint64_t guest_image_max(uint64_t mem_size, uint64_t stack_size)
{
	return mem_size - stack_size - PAGE_SIZE;
}

/*
 * Copies the checked loads into g, writes the GDT and TSS, and builds the guest's page
 * tables (guest virtual == guest physical): page 0 and everything outside the layout
 * not present, the boot-info page read-only, loads with their permissions, heap and stack RW+NX, a guard page under the stack. 0, or -UV_EINVAL
 * / -UV_ENOMEM with *why set.
 */
int guest_build(struct guestmem *g, const struct guest_image *img, uint64_t stack_size,
		struct guest_layout *out, const char **why);

#endif
