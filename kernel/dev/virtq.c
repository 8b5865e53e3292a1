/* kernel/dev/virtq.c: split virtqueues: layout, the free list, offering chains, taking used chains back after checking what the device wrote. */
#include "kernel/dev/virtq.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/nospec.h"
#include "include/abi/uv_errno.h"

#define VIRTQ_SIZE_LIMIT 32768u /* 2.7: the largest queue size */
#define DESC_ALIGN 16           /* 2.7, the alignment table */
#define AVAIL_ALIGN 2
#define USED_ALIGN 4
#define RING_HEADER 4 /* flags and idx of both rings */
#define RING_EVENT 2  /* used_event / avail_event after the ring (counted in 2.7's sizes) */

static bool power_of_two(uint32_t v) { return v && !(v & (v - 1)); }
static size_t align_up(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }

uint16_t virtq_pick_size(uint16_t device_max, uint16_t cap)
{
	uint16_t m = device_max < cap ? device_max : cap;
	if (m == 0)
		return 0;
	uint16_t p = 1;
	while (p <= m / 2) /* at most 15 doublings */
		p = (uint16_t)(p << 1);
	return p;
}

int virtq_layout(uint16_t size, struct virtq_layout *l)
{
	if (!power_of_two(size) || size > VIRTQ_SIZE_LIMIT)
		return -UV_EINVAL;
	l->desc = 0;
	l->avail = align_up(l->desc + sizeof(struct virtq_desc) * size, AVAIL_ALIGN);
	l->used = align_up(l->avail + RING_HEADER + sizeof(uint16_t) * size + RING_EVENT, USED_ALIGN);
	l->bytes = l->used + RING_HEADER + sizeof(struct virtq_used_elem) * size + RING_EVENT;
	return 0;
}

int virtq_init(struct virtq *q, uint16_t size, void *mem, size_t mem_len)
{
	struct virtq_layout l;
	if (size > VIRTQ_SIZE_MAX || virtq_layout(size, &l) || mem_len < l.bytes || ((uintptr_t)mem & (DESC_ALIGN - 1)))
		return -UV_EINVAL;
	memset(mem, 0, l.bytes);
	memset(q, 0, sizeof(*q));
	uint8_t *base = mem;
	q->desc = (volatile struct virtq_desc *)(base + l.desc);
	q->avail = (volatile struct virtq_avail *)(base + l.avail);
	q->used = (volatile struct virtq_used *)(base + l.used);
	q->size = size;
	q->num_free = size;
	for (uint16_t i = 0; i + 1 < size; i++)
		q->next[i] = (uint16_t)(i + 1);
	return 0;
}

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, void *token)
{
	if (q->broken)
		return -UV_EIO;
	if (n == 0 || n > VIRTQ_CHAIN_MAX || !token)
		return -UV_EINVAL;
	uint64_t in = 0;
	bool writable_seen = false;
	for (unsigned i = 0; i < n; i++) {
		if (bufs[i].len == 0)
			return -UV_EINVAL;
		if (bufs[i].device_writes) {
			writable_seen = true;
			in += bufs[i].len;
		} else if (writable_seen) {
			return -UV_EINVAL; /* 2.7.4.2: device-writable elements come last */
		}
	}
	if (in > UINT32_MAX)
		return -UV_EINVAL;
	if (q->num_free < n)
		return -UV_EAGAIN;

	/* 2.7.13.1: the chain over free descriptors, linked as the free list already is. */
	uint16_t head = q->free_head, d = head;
	for (unsigned i = 0; i < n; i++) {
		volatile struct virtq_desc *e = &q->desc[d];
		bool more = i + 1 < n;
		e->addr = bufs[i].addr;
		e->len = bufs[i].len;
		e->flags = (uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0) | (more ? VIRTQ_DESC_F_NEXT : 0));
		e->next = more ? q->next[d] : 0;
		if (more)
			d = q->next[d];
	}
	q->free_head = q->next[d];
	q->num_free = (uint16_t)(q->num_free - n);
	q->chain_len[head] = (uint8_t)n;
	q->in_bytes[head] = (uint32_t)in;
	q->token[head] = token;

	/* 2.7.13.2-3: the head into the next slot, a barrier, then the idx that exposes it. */
	q->avail->ring[q->avail_idx & (q->size - 1)] = head;
	virtq_wmb();
	q->avail_idx++;
	q->avail->idx = q->avail_idx;
	return 0;
}

bool virtq_kick_needed(struct virtq *q)
{
	virtq_mb(); /* 2.7.13.4.1: the idx update is visible before the flags are read */
	return !(q->used->flags & VIRTQ_USED_F_NO_NOTIFY);
}

/* Puts the chain that starts at head back on the free list (its links are the private ones). */
static void free_chain(struct virtq *q, uint16_t head)
{
	unsigned n = q->chain_len[head];
	uint16_t d = head;
	for (unsigned i = 1; i < n; i++)
		d = q->next[d];
	q->next[d] = q->free_head;
	q->free_head = head;
	q->num_free = (uint16_t)(q->num_free + n);
	q->chain_len[head] = 0;
	q->in_bytes[head] = 0;
	q->token[head] = 0;
}

static int broke(struct virtq *q, const char *why)
{
	q->broken = true;
	q->why = why;
	return -UV_EIO;
}

int virtq_get(struct virtq *q, void **token, uint32_t *len)
{
	if (q->broken)
		return -UV_EIO;
	uint16_t used_idx = q->used->idx;
	uint16_t ready = virtq_distance(q->last_used, used_idx);
	if (ready == 0)
		return -UV_EAGAIN;
	if (ready > virtq_in_flight(q))
		return broke(q, "its used index ran ahead of the buffers offered");
	virtq_rmb(); /* the entries after the idx that covers them */
	volatile struct virtq_used_elem *e = &q->used->ring[q->last_used & (q->size - 1)];
	uint32_t id = e->id, written = e->len;
	if (id >= q->size)
		return broke(q, "a used entry names a descriptor beyond the table");
	id = (uint32_t)nospec_index(id, q->size);
	if (!q->chain_len[id])
		return broke(q, "a used entry names a descriptor that heads no chain in flight");
	uint32_t room = q->in_bytes[id];
	*token = q->token[id];
	free_chain(q, (uint16_t)id);
	q->last_used++;
	if (written > room) {
		*len = 0;
		return -UV_EMSGSIZE;
	}
	*len = written;
	return 0;
}

void *virtq_detach(struct virtq *q)
{
	for (uint16_t i = 0; i < q->size; i++) {
		if (!q->chain_len[i])
			continue;
		void *t = q->token[i];
		free_chain(q, i);
		return t;
	}
	return 0;
}
