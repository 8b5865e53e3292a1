/* kernel/chan/chanq.c: a channel's bounded message queue: a ring of fixed slots, no allocation after boot. */
#include "kernel/chan/chanq.h"
#include "kernel/lib/kstring.h"
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

void chanq_reset(struct chanq *q)
{
	q->st.dropped += q->count;
	q->st.resets++;
	q->count = 0;
	q->head = 0;
}
