/* kernel/mm/mm.h: the kernel's memory: the physical allocator built from the boot memory map, and page grants. */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "kernel/boot/boot.h"
#include "kernel/mm/pmm.h"

extern char __kernel_start[], __kernel_end[], __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[], __data_start[], __bss_end[];
extern char __uv_payload_start[], __uv_payload_end[];

/* Builds the allocator from the memory map, reserving the first MiB, the kernel
 * image, the boot modules, the loader's info and the bitmap itself. Panics when no
 * usable memory is left. */
void mm_init(const struct boot_info *bi);
/* npages zeroed, physically contiguous pages at a multiple of align_pages pages.
 * Returns the physical (== kernel virtual) address, or 0 when out of memory. */
uint64_t kalloc_pages(uint64_t npages, uint64_t align_pages);
/* The same pages without the zeroing: the caller owns them as they are and must call
 * mm_claim_clean on them (and zero them unless it says they are) before anyone reads them. */
uint64_t kalloc_pages_unzeroed(uint64_t npages, uint64_t align_pages);
/* For pages from kalloc_pages_unzeroed: true when every one is known to hold zeros (the
 * idle scrub did it); either way they count as not clean from now on (given out). */
bool mm_claim_clean(uint64_t pa, uint64_t npages);
/* Frees pages from kalloc_pages; a bad free is a kernel bug (panic). */
void kfree_pages(uint64_t pa, uint64_t npages);
/* Zeroes up to max_bytes of free pages that are not known to be zero (oldest first
 * along a cursor); returns the bytes zeroed, 0 when every free page is clean. */
uint64_t mm_scrub_some(uint64_t max_bytes);
static inline void *kalloc_page(void) { return (void *)(uintptr_t)kalloc_pages(1, 1); }
static inline void kfree_page(void *p) { kfree_pages((uint64_t)(uintptr_t)p, 1); }
/* Table pages for kernel/mm/pt.c from kalloc_pages: the kernel's own tables, EPT, NPT. */
struct pt_mem;
extern const struct pt_mem mm_table_mem;
/* Pages allocated since mm_init (kernel heap in use). */
uint64_t mm_pages_in_use(void);
/* Prints the memory map and the allocator summary. */
void mm_print(const struct boot_info *bi);

#endif
