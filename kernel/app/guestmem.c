/* kernel/app/guestmem.c: allocates, scrubs and reaches an app's RAM; every guest pointer passes guest_range_ok here. */
#include "kernel/app/guestmem.h"
#include "kernel/mm/mm.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/nospec.h"
#include "include/abi/uv_errno.h"
#include "kernel/arch/x86.h"

uint64_t guestmem_chunk_size(const struct guestmem *g, uint64_t i)
{
	uint64_t start = i * GUESTMEM_CHUNK;
	return g->size - start < GUESTMEM_CHUNK ? g->size - start : GUESTMEM_CHUNK;
}

int guestmem_alloc(struct guestmem *g, uint64_t size)
{
	if (size == 0 || size % PAGE_SIZE)
		return -UV_EINVAL;
	g->size = size;
	g->n_chunks = (size + GUESTMEM_CHUNK - 1) / GUESTMEM_CHUNK;
	g->table_pages = (g->n_chunks * 8 + PAGE_SIZE - 1) / PAGE_SIZE;
	g->chunk_hpa = (uint64_t *)(uintptr_t)kalloc_pages(g->table_pages, 1);
	if (!g->chunk_hpa)
		return -UV_ENOMEM;
	for (uint64_t i = 0; i < g->n_chunks; i++) {
		uint64_t bytes = guestmem_chunk_size(g, i);
		/* Whole chunks 2 MiB-aligned so EPT/NPT can use large leaves. kalloc zeroes. */
		uint64_t hpa = kalloc_pages(bytes / PAGE_SIZE, bytes == GUESTMEM_CHUNK ? 512 : 1);
		if (!hpa) {
			g->n_chunks = i;
			guestmem_free(g);
			return -UV_ENOMEM;
		}
		g->chunk_hpa[i] = hpa;
	}
	return 0;
}

void guestmem_free(struct guestmem *g)
{
	if (!g->chunk_hpa)
		return;
	/* No scrub here, where it would stall every other app for as long as the RAM is big:
	 * kalloc_pages zeroes the pages before anyone else gets them, and mm_scrub_some
	 * zeroes them while the CPU idles, so nothing of this app lingers. */
	for (uint64_t i = 0; i < g->n_chunks; i++)
		kfree_pages(g->chunk_hpa[i], guestmem_chunk_size(g, i) / PAGE_SIZE);
	kfree_pages((uint64_t)(uintptr_t)g->chunk_hpa, g->table_pages);
	g->chunk_hpa = 0;
	g->n_chunks = 0;
	g->size = 0;
}

void *guest_ptr(const struct guestmem *g, uv_gaddr_t gaddr)
{
	if (gaddr >= g->size)
		return 0;
	gaddr = nospec_index(gaddr, g->size); /* no speculative chunk_hpa[] read past the end */
	return (uint8_t *)(uintptr_t)g->chunk_hpa[gaddr / GUESTMEM_CHUNK] + gaddr % GUESTMEM_CHUNK;
}

/* Calls fn on each host piece of [gaddr, gaddr+len); the range was checked. */
static void each_piece(const struct guestmem *g, uv_gaddr_t gaddr, uint64_t len,
		       void (*fn)(void *host, uint64_t off, uint64_t n, void *ctx), void *ctx)
{
	uint64_t off = 0;
	while (off < len) {
		uint64_t a = gaddr + off;
		uint64_t in_chunk = GUESTMEM_CHUNK - a % GUESTMEM_CHUNK;
		uint64_t n = len - off < in_chunk ? len - off : in_chunk;
		fn(guest_ptr(g, a), off, n, ctx);
		off += n;
	}
}

static void piece_in(void *host, uint64_t off, uint64_t n, void *dst) { memcpy((uint8_t *)dst + off, host, n); }
static void piece_out(void *host, uint64_t off, uint64_t n, void *src) { memcpy(host, (const uint8_t *)src + off, n); }

int guest_copy_in(const struct guestmem *g, void *dst, uv_gaddr_t src, uint64_t len)
{
	if (!guest_range_ok(g, src, len))
		return -UV_EFAULT;
	each_piece(g, src, len, piece_in, dst);
	return 0;
}

int guest_copy_out(const struct guestmem *g, uv_gaddr_t dst, const void *src, uint64_t len)
{
	if (!guest_range_ok(g, dst, len))
		return -UV_EFAULT;
	each_piece(g, dst, len, piece_out, (void *)src);
	return 0;
}
