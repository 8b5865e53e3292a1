/* kernel/chan/chanq.h: a channel's bounded message queue over memory given at boot: slots of msg_max bytes, FIFO, counters. */
#ifndef KERNEL_CHAN_CHANQ_H
#define KERNEL_CHAN_CHANQ_H

#include <stdbool.h>
#include <stdint.h>

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
/* The free slot a new message is copied into, or NULL when the queue is full. The
 * message becomes visible only with chanq_commit; nothing changes until then. */
uint8_t *chanq_tail(struct chanq *q);
/* Queues the message of len (<= msg_max) bytes just written at chanq_tail. */
void chanq_commit(struct chanq *q, uint32_t len);
/* The oldest message and its length, or NULL when the queue is empty. */
const uint8_t *chanq_peek(const struct chanq *q, uint32_t *len);
/* Takes the oldest message (the queue must not be empty). */
void chanq_pop(struct chanq *q);
/* Drops every queued message (counted as dropped) and counts a reset. Returns how many. */
uint32_t chanq_reset(struct chanq *q);
static inline bool chanq_full(const struct chanq *q) { return q->count == q->depth; }
static inline bool chanq_empty(const struct chanq *q) { return q->count == 0; }

#endif
