/* kernel/dev/netbuf.c: the frame-buffer pool: a free list over buffers carved two to a page from kernel memory. */
#include "kernel/dev/netbuf.h"
#include "kernel/arch/x86.h"
#include "kernel/console/console.h"
#include "kernel/mm/mm.h"
#include "include/abi/uv_errno.h"

static struct netbuf *bufs;
static struct netbuf *free_list;
static struct netbuf_stats st;

int netbuf_pool_init(unsigned n)
{
	if (bufs || n == 0)
		return 0;
	n = (n + 1) & ~1u;
	uint64_t meta_pages = ((uint64_t)n * sizeof(struct netbuf) + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t data_pages = n / (PAGE_SIZE / NETBUF_BYTES);
	uint64_t meta = kalloc_pages(meta_pages, 1);
	if (!meta)
		return -UV_ENOMEM;
	/* Frame data is always written (by a copy in or a device) before it is read, and only
	 * b->len bytes of it ever leave: it need not be zeroed first. */
	uint64_t data = kalloc_pages_unzeroed(data_pages, 1);
	if (!data) {
		kfree_pages(meta, meta_pages);
		return -UV_ENOMEM;
	}
	(void)mm_claim_clean(data, data_pages); /* they are given out: not clean any more */
	bufs = (struct netbuf *)(uintptr_t)meta;
	for (unsigned i = n; i-- > 0;) {
		struct netbuf *b = &bufs[i];
		b->data = (uint8_t *)(uintptr_t)(data + (uint64_t)i * NETBUF_BYTES);
		b->len = 0;
		b->refs = 0;
		b->index = i;
		b->next_free = free_list;
		free_list = b;
	}
	st.total = st.free = st.low_water = n;
	return 0;
}

struct netbuf *netbuf_get(void)
{
	struct netbuf *b = free_list;
	if (!b) {
		st.exhausted++;
		return 0;
	}
	free_list = b->next_free;
	b->next_free = 0;
	b->refs = 1;
	b->len = 0;
	b->csum_start = 0;
	if (--st.free < st.low_water)
		st.low_water = st.free;
	return b;
}

void netbuf_ref(struct netbuf *b)
{
	if (b->refs == 0 || b->refs == UINT16_MAX)
		panic("netbuf %u: reference on a buffer with %u references", b->index, b->refs);
	b->refs++;
}

void netbuf_put(struct netbuf *b)
{
	if (b->refs == 0)
		panic("netbuf %u: released more often than taken", b->index);
	if (--b->refs)
		return;
	b->next_free = free_list;
	free_list = b;
	st.free++;
}

void netbuf_get_stats(struct netbuf_stats *s) { *s = st; }
