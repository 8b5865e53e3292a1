/* kernel/chan/chanq.h: a channel's bounded message queue over memory given at boot: slots of msg_max bytes, FIFO, counters. */
#ifndef KERNEL_CHAN_CHANQ_H
#define KERNEL_CHAN_CHANQ_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/lib/nospec.h"

struct chanq_stats {
	uint64_t sent;      /* messages queued */
	uint64_t received;  /* messages taken */
	uint64_t bytes;     /* bytes queued */
	uint64_t full;      /* sends refused: the queue was full */
	uint64_t too_long;  /* sends refused: longer than msg_max */
	uint64_t dropped;   /* messages thrown away by resets */
	uint64_t resets;
	uint32_t peak;      /* the most messages queued at once */
};

struct chanq {
	uint8_t *data;      /* depth slots of stride bytes */
	uint32_t *len;      /* each slot's message length */
	uint32_t msg_max, depth, stride;
	uint32_t head;      /* the oldest message's slot */
	uint32_t count;     /* messages queued: 0..depth */
	struct chanq_stats st;
};

/* Bytes of memory chanq_init needs for msg_max and depth (UV_CHAN_QUEUE_BYTES). */
uint64_t chanq_bytes(uint32_t msg_max, uint32_t depth);
/* An empty queue over mem (chanq_bytes(msg_max, depth) bytes, 8-byte aligned), counters zero. */
void chanq_init(struct chanq *q, void *mem, uint32_t msg_max, uint32_t depth);
static inline bool chanq_full(const struct chanq *q) { return q->count == q->depth; }
static inline bool chanq_empty(const struct chanq *q) { return q->count == 0; }
/* The slot k places after the head, wrapped (k <= depth). Inline, with the four below:
 * every channel call goes through them. */
static inline uint32_t chanq_slot(const struct chanq *q, uint32_t k)
{
	uint32_t s = q->head + k;
	return (uint32_t)nospec_index(s >= q->depth ? s - q->depth : s, q->depth);
}
/* The free slot a new message is copied into, or NULL when the queue is full. The
 * message becomes visible only with chanq_commit; nothing changes until then. */
static inline uint8_t *chanq_tail(struct chanq *q)
{
	if (chanq_full(q))
		return 0;
	return q->data + (uint64_t)chanq_slot(q, q->count) * q->stride;
}
/* Queues the message of len (<= msg_max) bytes just written at chanq_tail. */
static inline void chanq_commit(struct chanq *q, uint32_t len)
{
	q->len[chanq_slot(q, q->count)] = len;
	q->count++;
	if (q->count > q->st.peak)
		q->st.peak = q->count;
	q->st.sent++;
	q->st.bytes += len;
}
/* The oldest message and its length, or NULL when the queue is empty. */
static inline const uint8_t *chanq_peek(const struct chanq *q, uint32_t *len)
{
	if (chanq_empty(q))
		return 0;
	uint32_t s = chanq_slot(q, 0);
	*len = q->len[s];
	return q->data + (uint64_t)s * q->stride;
}
/* Counts a message of len bytes that went straight to a waiting receiver (the queue was empty). */
static inline void chanq_passed(struct chanq *q, uint32_t len)
{
	if (q->st.peak == 0)
		q->st.peak = 1;
	q->st.sent++;
	q->st.received++;
	q->st.bytes += len;
}
/* Takes the oldest message (the queue must not be empty). */
static inline void chanq_pop(struct chanq *q)
{
	q->head = chanq_slot(q, 1); /* k = 1 <= depth: one wrap at most */
	q->count--;
	q->st.received++;
}
/* Drops every queued message (counted as dropped) and counts a reset. */
void chanq_reset(struct chanq *q);

#endif
