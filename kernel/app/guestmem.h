/* kernel/app/guestmem.h: an app's RAM: host pages behind guest-physical [0, size), and the one checked way to reach them. */
#ifndef KERNEL_GUESTMEM_H
#define KERNEL_GUESTMEM_H

#include <stdbool.h>
#include <stdint.h>
#include "include/abi/uv_types.h"

#define GUESTMEM_CHUNK (2ull << 20) /* RAM comes in 2 MiB-aligned chunks (2 MiB EPT/NPT leaves) */

struct guestmem {
	uint64_t size;      /* bytes of guest RAM, a multiple of 4 KiB */
	uint64_t n_chunks;
	uint64_t *chunk_hpa; /* host physical address of each chunk (the last may be short) */
	uint64_t table_pages; /* pages holding chunk_hpa */
};

/* Allocates size bytes of zeroed RAM in chunks. -UV_ENOMEM leaves nothing allocated. */
int guestmem_alloc(struct guestmem *g, uint64_t size);
/* Scrubs (zeroes) and frees the RAM. */
void guestmem_free(struct guestmem *g);
/* Bytes in the chunk at index i. */
uint64_t guestmem_chunk_size(const struct guestmem *g, uint64_t i);

/* True when [gaddr, gaddr+len) lies inside the RAM without wrapping (len 0 is fine
 * anywhere up to size). The only range check for guest pointers. */
static inline bool guest_range_ok(const struct guestmem *g, uv_gaddr_t gaddr, uint64_t len)
{
	return len <= g->size && gaddr <= g->size - len;
}
/* Host pointer for a guest address inside one chunk, or NULL if out of range. */
void *guest_ptr(const struct guestmem *g, uv_gaddr_t gaddr);
/* Copies between guest RAM and the kernel; -UV_EFAULT (nothing copied) on a bad range. */
int guest_copy_in(const struct guestmem *g, void *dst, uv_gaddr_t src, uint64_t len);
int guest_copy_out(const struct guestmem *g, uv_gaddr_t dst, const void *src, uint64_t len);

#endif
