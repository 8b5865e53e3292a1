/* kernel/chan/chanq.c: a channel's bounded message queue: a ring of fixed slots, no allocation after boot. */
#include "kernel/chan/chanq.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/nospec.h"
#include "include/abi/uv_manifest.h"

#define SLOT_ALIGN 8u

static uint32_t stride_of(uint32_t msg_max)
{
	return (msg_max + SLOT_ALIGN - 1) & ~(SLOT_ALIGN - 1);
}

uint64_t chanq_bytes(uint32_t msg_max, uint32_t depth)
{
	_Static_assert(UV_CHAN_QUEUE_BYTES(1, 1) == SLOT_ALIGN + sizeof(uint32_t), "the ABI's count matches the layout");
	return (uint64_t)depth * stride_of(msg_max) + (uint64_t)depth * sizeof(uint32_t);
}

void chanq_init(struct chanq *q, void *mem, uint32_t msg_max, uint32_t depth)
{
	memset(q, 0, sizeof(*q));
	q->msg_max = msg_max;
	q->depth = depth;
	q->stride = stride_of(msg_max);
	q->data = mem;
	q->len = (uint32_t *)(q->data + (uint64_t)depth * q->stride); /* 8-aligned: stride is */
}

/* The slot k places after the head, wrapped (k <= depth). */
static uint32_t slot(const struct chanq *q, uint32_t k)
{
	uint32_t s = q->head + k;
	return (uint32_t)nospec_index(s >= q->depth ? s - q->depth : s, q->depth);
}

uint8_t *chanq_tail(struct chanq *q)
{
	if (chanq_full(q))
		return 0;
	return q->data + (uint64_t)slot(q, q->count) * q->stride;
}

void chanq_commit(struct chanq *q, uint32_t len)
{
	q->len[slot(q, q->count)] = len;
	q->count++;
	if (q->count > q->st.peak)
		q->st.peak = q->count;
	q->st.sent++;
	q->st.bytes += len;
}

const uint8_t *chanq_peek(const struct chanq *q, uint32_t *len)
{
	if (chanq_empty(q))
		return 0;
	uint32_t s = slot(q, 0);
	*len = q->len[s];
	return q->data + (uint64_t)s * q->stride;
}

void chanq_pop(struct chanq *q)
{
	q->head = slot(q, 1); /* k = 1 <= depth: one wrap at most */
	q->count--;
	q->st.received++;
}

uint32_t chanq_reset(struct chanq *q)
{
	uint32_t n = q->count;
	q->st.dropped += n;
	q->st.resets++;
	q->count = 0;
	q->head = 0;
	return n;
}
