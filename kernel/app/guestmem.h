/* kernel/app/guestmem.h: an app's RAM: host pages behind guest-physical [0, size), and the one checked way to reach them. */
#ifndef KERNEL_GUESTMEM_H
#define KERNEL_GUESTMEM_H

#include <stdbool.h>
#include <stdint.h>
#include "include/abi/uv_types.h"

#define GUESTMEM_CHUNK (2ull << 20) /* RAM comes in 2 MiB-aligned chunks (2 MiB EPT/NPT leaves) */

/* What a chunk is in (chunk_state[i]). The RAM is reserved in full at allocation but is
 * zeroed only when first reached: a page at a time by the kernel (guest_ptr, the one way
 * in), a whole chunk at the app's first touch (an EPT/NPT violation: app_first_touch), so
 * starting an app costs the same whatever its size, and nothing of an earlier owner is
 * ever seen. */
#define GUESTMEM_DIRTY 1u       /* pages not in page_zeroed may hold an earlier owner's data */
#define GUESTMEM_USED 2u        /* the kernel wrote or read it (the loader's chunks) */
#define GUESTMEM_MAPPED 4u      /* in the app's EPT/NPT whole (set by the app layer) */
#define GUESTMEM_MAPPED_PAGES 8u /* in the app's EPT/NPT page by page: the pages zeroed when mapped */
#define GUESTMEM_TOUCH_ONE 16u  /* bits 4-7: pages the app touched one by one in a MAPPED_PAGES chunk */
#define GUESTMEM_TOUCHES(state) ((state) >> 4)
#define GUESTMEM_TOUCHES_MAX 15u /* then the chunk is zeroed and mapped whole */
#define GUESTMEM_PAGE 4096ull /* the base page the kernel zeroes and remembers (SDM 3A 4.1) */
#define GUESTMEM_CHUNK_PAGES (GUESTMEM_CHUNK / GUESTMEM_PAGE)
#define GUESTMEM_PAGE_WORDS (GUESTMEM_CHUNK_PAGES / 64) /* words of page_zeroed per chunk */

/* A memo of the last 4 KiB page the kernel reached in one direction (GUESTMEM_MEMO_READ: a
 * message or frame read out of the RAM, GUESTMEM_MEMO_WRITE: one written into it,
 * GUESTMEM_MEMO_LIST: net_read's send and receive lists, read and written), so a copy that lies in that
 * page again costs one compare: the page's guest address and its host
 * address, taken when it was reached (zeroed then if need be, its chunk marked USED). Valid
 * as long as the RAM is: a chunk's host address changes only at guestmem_alloc and
 * guestmem_free, and a page once zeroed is never made DIRTY again, so those two, which reset
 * it, are what invalidates it (the kernel reaches the RAM through chunk_hpa, never through
 * the app's EPT/NPT, so a mapping change there does not change what the memo points to). */
struct guestmem_memo {
	uint64_t page;  /* page-aligned guest address, or GUESTMEM_MEMO_NONE */
	uint8_t *host;  /* its host address */
};
#define GUESTMEM_MEMO_READ 0
#define GUESTMEM_MEMO_WRITE 1
#define GUESTMEM_MEMO_LIST 2
#define GUESTMEM_MEMOS 3
#define GUESTMEM_MEMO_NONE 1ull /* not page-aligned: matches no page */

struct guestmem {
	uint64_t size;      /* bytes of guest RAM, a multiple of 4 KiB */
	uint64_t n_chunks;
	uint64_t *chunk_hpa; /* host physical address of each chunk (the last may be short) */
	uint8_t *chunk_state; /* GUESTMEM_* of each chunk */
	uint64_t *page_zeroed; /* GUESTMEM_PAGE_WORDS per chunk: bit set = that page zeroed (while DIRTY) */
	uint64_t table_pages; /* pages holding chunk_hpa, page_zeroed and chunk_state */
	uint64_t zeroed;      /* chunks zeroed whole at first touch so far */
	bool one_run;         /* all chunks lie in one allocation (freed as one) */
	struct guestmem_memo memo[GUESTMEM_MEMOS]; /* by GUESTMEM_MEMO_*: reset by guestmem_alloc and guestmem_free */
};

/* Reserves size bytes of RAM in chunks, zeroing none of it yet (GUESTMEM_DIRTY where the
 * allocator does not know them to be zero). -UV_ENOMEM leaves nothing allocated. */
int guestmem_alloc(struct guestmem *g, uint64_t size);
/* Zeroes what of chunk i may still hold an earlier owner's data; returns its host address. */
uint64_t guestmem_chunk_ready(const struct guestmem *g, uint64_t i);
/* Zeroes page p of chunk i if it may still hold an earlier owner's data; returns its host address. */
uint64_t guestmem_page_ready(const struct guestmem *g, uint64_t i, uint64_t p);
/* True when page p of chunk i holds nothing of an earlier owner (zeroed or never dirty). */
static inline bool guestmem_page_zeroed(const struct guestmem *g, uint64_t i, uint64_t p)
{
	return !(g->chunk_state[i] & GUESTMEM_DIRTY) || (g->page_zeroed[i * GUESTMEM_PAGE_WORDS + p / 64] >> (p % 64) & 1);
}
/* The next run [*p, *q) of chunk i's pages (below pages) from *q on that are zeroed (zeroed
 * true) or not (false); false when there is none. The first call starts with *q = 0. */
static inline bool guestmem_next_run(const struct guestmem *g, uint64_t i, uint64_t pages, bool zeroed, uint64_t *p,
				     uint64_t *q)
{
	for (*p = *q; *p < pages && guestmem_page_zeroed(g, i, *p) != zeroed; ++*p)
		;
	for (*q = *p; *q < pages && guestmem_page_zeroed(g, i, *q) == zeroed; ++*q)
		;
	return *p < pages;
}
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
/* Host pointer for a guest address, valid to the end of its 4 KiB page (zeroed first if
 * need be), or NULL if out of range. */
void *guest_ptr(const struct guestmem *g, uv_gaddr_t gaddr);
/* Copies between guest RAM and the kernel; -UV_EFAULT (nothing copied) on a bad range. */
int guest_copy_in(const struct guestmem *g, void *dst, uv_gaddr_t src, uint64_t len);
int guest_copy_out(const struct guestmem *g, uv_gaddr_t dst, const void *src, uint64_t len);
/* Copies [src, src+len) of one app's RAM to [dst, dst+len) of another's, both ranges
 * checked (-UV_EFAULT, nothing copied): a channel message straight to a waiting receiver. */
int guest_copy_guest(const struct guestmem *dg, uv_gaddr_t dst, const struct guestmem *sg, uv_gaddr_t src, uint64_t len);
/* Host pointer for [gaddr, gaddr+len) when it lies inside the RAM and in one 4 KiB page
 * (that page zeroed first if need be), else NULL; remembers the page in g->memo[dir]. */
uint8_t *guest_page_span_slow(struct guestmem *g, unsigned dir, uv_gaddr_t gaddr, uint64_t len);
/* The same, one compare when the page is the one memo dir (GUESTMEM_MEMO_*) holds: the range
 * check is that compare (the page lies in the RAM: it was checked when remembered) and the
 * length test (no wrap: off < 4 KiB). Speculation: a mispredicted compare still yields a page
 * of this RAM (the memo holds no other), and a copy run past its page by a mispredicted
 * length test only feeds stores into a buffer, with no load that depends on the bytes (the
 * 8 instructions a branch-free clamp of the length costs here are not spent). */
static inline __attribute__((always_inline)) uint8_t *guest_page_span(struct guestmem *g, unsigned dir, uv_gaddr_t gaddr,
								      uint64_t len)
{
	uint64_t off = gaddr % GUESTMEM_PAGE;
	if (__builtin_expect(gaddr - off == g->memo[dir].page && len <= GUESTMEM_PAGE - off, 1))
		return g->memo[dir].host + off;
	return guest_page_span_slow(g, dir, gaddr, len);
}
/* Writes zeros to [dst, dst+len) (and so reaches its pages); -UV_EFAULT on a bad range. */
int guest_zero(const struct guestmem *g, uv_gaddr_t dst, uint64_t len);

#endif
