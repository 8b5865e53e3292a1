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

/* Reserves the chunks one by one (when no single run of the whole RAM is free). */
static int alloc_chunks(struct guestmem *g)
{
	for (uint64_t i = 0; i < g->n_chunks; i++) {
		uint64_t bytes = guestmem_chunk_size(g, i);
		/* Whole chunks 2 MiB-aligned so EPT/NPT can use large leaves. */
		uint64_t hpa = kalloc_pages_unzeroed(bytes / PAGE_SIZE, bytes == GUESTMEM_CHUNK ? 512 : 1);
		if (!hpa) {
			g->n_chunks = i;
			return -UV_ENOMEM;
		}
		g->chunk_hpa[i] = hpa;
	}
	return 0;
}

/* No page remembered (guestmem_memo: what invalidates it). */
static void memo_reset(struct guestmem *g)
{
	for (unsigned d = 0; d < GUESTMEM_MEMOS; d++) {
		g->memo[d].page = GUESTMEM_MEMO_NONE;
		g->memo[d].host = 0;
	}
}

int guestmem_alloc(struct guestmem *g, uint64_t size)
{
	memo_reset(g); /* new host pages (or none): nothing remembered of the old ones */
	if (size == 0 || size % PAGE_SIZE)
		return -UV_EINVAL;
	g->size = size;
	g->zeroed = 0;
	g->n_chunks = (size + GUESTMEM_CHUNK - 1) / GUESTMEM_CHUNK;
	uint64_t per_chunk = sizeof(uint64_t) * (1 + GUESTMEM_PAGE_WORDS) + 1;
	g->table_pages = (g->n_chunks * per_chunk + PAGE_SIZE - 1) / PAGE_SIZE;
	g->chunk_hpa = (uint64_t *)(uintptr_t)kalloc_pages(g->table_pages, 1); /* zeroed */
	if (!g->chunk_hpa)
		return -UV_ENOMEM;
	g->page_zeroed = g->chunk_hpa + g->n_chunks;
	g->chunk_state = (uint8_t *)(g->page_zeroed + g->n_chunks * GUESTMEM_PAGE_WORDS);
	/* One run for all of it when there is one (one allocation, whatever the size), else
	 * chunk by chunk. */
	uint64_t all = kalloc_pages_unzeroed(size / PAGE_SIZE, 512);
	g->one_run = all != 0;
	for (uint64_t i = 0; all && i < g->n_chunks; i++)
		g->chunk_hpa[i] = all + i * GUESTMEM_CHUNK;
	if (!all && alloc_chunks(g)) {
		guestmem_free(g);
		return -UV_ENOMEM;
	}
	for (uint64_t i = 0; i < g->n_chunks; i++)
		g->chunk_state[i] = mm_claim_clean(g->chunk_hpa[i], guestmem_chunk_size(g, i) / PAGE_SIZE) ? 0 : GUESTMEM_DIRTY;
	return 0;
}

uint64_t guestmem_chunk_ready(const struct guestmem *g, uint64_t i)
{
	uint64_t hpa = g->chunk_hpa[i];
	if (!(g->chunk_state[i] & GUESTMEM_DIRTY))
		return hpa;
	/* Runs of pages not zeroed yet, one memset each (all of it for an untouched chunk). */
	uint64_t pages = guestmem_chunk_size(g, i) / PAGE_SIZE;
	for (uint64_t p, q = 0; guestmem_next_run(g, i, pages, false, &p, &q);)
		memset((void *)(uintptr_t)(hpa + p * PAGE_SIZE), 0, (q - p) * PAGE_SIZE);
	g->chunk_state[i] &= (uint8_t)~GUESTMEM_DIRTY;
	((struct guestmem *)g)->zeroed++; /* a count, not the layout the callers rely on */
	return hpa;
}

uint64_t guestmem_page_ready(const struct guestmem *g, uint64_t i, uint64_t p)
{
	uint64_t hpa = g->chunk_hpa[i] + p * PAGE_SIZE;
	if (!guestmem_page_zeroed(g, i, p)) {
		memset((void *)(uintptr_t)hpa, 0, PAGE_SIZE);
		g->page_zeroed[i * GUESTMEM_PAGE_WORDS + p / 64] |= 1ull << (p % 64);
	}
	return hpa;
}

void guestmem_free(struct guestmem *g)
{
	memo_reset(g); /* before the pages go back: no copy may reach them through it */
	if (!g->chunk_hpa)
		return;
	/* No scrub here, where it would stall every other app for as long as the RAM is big:
	 * kalloc_pages zeroes the pages before anyone else gets them (a guestmem zeroes each
	 * chunk before its first use), and mm_scrub_some zeroes them while the CPU idles, so
	 * nothing of this app lingers. */
	if (g->one_run)
		kfree_pages(g->chunk_hpa[0], g->size / PAGE_SIZE);
	for (uint64_t i = 0; !g->one_run && i < g->n_chunks; i++)
		kfree_pages(g->chunk_hpa[i], guestmem_chunk_size(g, i) / PAGE_SIZE);
	kfree_pages((uint64_t)(uintptr_t)g->chunk_hpa, g->table_pages);
	g->chunk_hpa = 0;
	g->one_run = false;
	g->n_chunks = 0;
	g->size = 0;
}

/* The host address of guest address a (checked, < size) and in *n how many of the left
 * bytes from there lie in one host piece: to the end of its chunk, or of its page while the
 * chunk is DIRTY (that page zeroed first if need be: the one out-of-line call, taken once
 * per page). The "nothing to zero" case is one test of the chunk's state and, in a DIRTY
 * chunk, one bit test. */
static inline __attribute__((always_inline)) uint8_t *piece(const struct guestmem *g, uint64_t a, uint64_t left,
							     uint64_t *n)
{
	a = nospec_index(a, g->size); /* no speculative chunk_hpa[] / chunk_state[] read past the end */
	uint64_t i = a / GUESTMEM_CHUNK, in_chunk = a % GUESTMEM_CHUNK, room = GUESTMEM_CHUNK - in_chunk;
	uint8_t st = g->chunk_state[i];
	if (__builtin_expect(st & GUESTMEM_DIRTY, 0)) {
		uint64_t p = in_chunk / PAGE_SIZE;
		room = PAGE_SIZE - a % PAGE_SIZE;
		if (__builtin_expect(!(g->page_zeroed[i * GUESTMEM_PAGE_WORDS + p / 64] >> (p % 64) & 1), 0))
			guestmem_page_ready(g, i, p); /* zeroed before the kernel first reaches it */
	}
	if (__builtin_expect(!(st & GUESTMEM_USED), 0))
		g->chunk_state[i] = st | GUESTMEM_USED;
	*n = left < room ? left : room;
	return (uint8_t *)(uintptr_t)g->chunk_hpa[i] + in_chunk;
}

void *guest_ptr(const struct guestmem *g, uv_gaddr_t gaddr)
{
	if (gaddr >= g->size)
		return 0;
	uint64_t n;
	return piece(g, gaddr, 1, &n);
}

/* What walk() does with each piece of the guest range. */
enum walk_op { WALK_IN, WALK_OUT, WALK_ZERO };

/* Checks [gaddr, gaddr+len) (-UV_EFAULT, nothing done), then goes through it piece by
 * piece: copied into `to` (WALK_IN), out of `from` (WALK_OUT), or zeroed (WALK_ZERO). op is
 * a constant in each caller, so each inlines to its own loop. Bounded: every round moves at
 * least one byte (a piece is never empty while bytes are left). */
static inline __attribute__((always_inline)) int walk(const struct guestmem *g, enum walk_op op, uv_gaddr_t gaddr,
						      uint64_t len, uint8_t *to, const uint8_t *from)
{
	if (!guest_range_ok(g, gaddr, len))
		return -UV_EFAULT;
	for (uint64_t off = 0, n; off < len; off += n) {
		uint8_t *host = piece(g, gaddr + off, len - off, &n);
		if (op == WALK_IN)
			memcpy(to + off, host, n);
		else if (op == WALK_OUT)
			memcpy(host, from + off, n);
		else
			memset(host, 0, n);
	}
	return 0;
}

int guest_copy_in(const struct guestmem *g, void *dst, uv_gaddr_t src, uint64_t len) { return walk(g, WALK_IN, src, len, dst, 0); }
int guest_copy_out(const struct guestmem *g, uv_gaddr_t dst, const void *src, uint64_t len) { return walk(g, WALK_OUT, dst, len, 0, src); }
int guest_zero(const struct guestmem *g, uv_gaddr_t dst, uint64_t len) { return walk(g, WALK_ZERO, dst, len, 0, 0); }

int guest_copy_guest(const struct guestmem *dg, uv_gaddr_t dst, const struct guestmem *sg, uv_gaddr_t src, uint64_t len)
{
	if (!guest_range_ok(dg, dst, len) || !guest_range_ok(sg, src, len))
		return -UV_EFAULT;
	for (uint64_t off = 0, n, m; off < len; off += n < m ? n : m) {
		uint8_t *to = piece(dg, dst + off, len - off, &n);
		const uint8_t *from = piece(sg, src + off, len - off, &m);
		memcpy(to, from, n < m ? n : m);
	}
	return 0;
}

_Static_assert(GUESTMEM_PAGE == PAGE_SIZE, "the memo's page is the base page");

uint8_t *guest_page_span_slow(struct guestmem *g, unsigned dir, uv_gaddr_t gaddr, uint64_t len)
{
	uint64_t off = gaddr % GUESTMEM_PAGE, n;
	if (len > GUESTMEM_PAGE - off || gaddr >= g->size || !guest_range_ok(g, gaddr, len))
		return 0;
	uint8_t *host = piece(g, gaddr, len, &n); /* zeroed, USED; n >= len: one page lies in one piece */
	g->memo[dir].page = gaddr - off;
	g->memo[dir].host = host - off;
	return host;
}
