/* kernel/dev/virtq.h: split virtqueues (virtio 1.2, 2.7): the three rings in kernel memory, buffers offered to the device, used buffers taken back with every index and length the device reports checked. */
#ifndef KERNEL_DEV_VIRTQ_H
#define KERNEL_DEV_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The rings live in memory the device reads and writes by DMA; everything the driver
 * needs to stay correct (which descriptors are free, which chain a head starts, how many
 * bytes the device may write into it) is kept in private arrays of struct virtq, never
 * read back from the shared rings. What the device writes (the used ring) is checked
 * before use: a head that is out of range or not in flight, a used index that runs
 * ahead of what was offered, and a length beyond the buffer are refused, not followed.
 *
 * Indices are free-running 16-bit counters (2.7.6, 2.7.8): slot = idx & (size - 1),
 * the distance between two of them is their difference modulo 2^16, and a queue holds
 * at most size (<= 32768) chains, so that distance tells empty from full.
 */

#define VIRTQ_SIZE_MAX 256 /* descriptors per queue the driver allocates: a device's larger size is cut to this */
#define VIRTQ_CHAIN_MAX 4  /* descriptors in one chain (the driver's choice: net uses 2) */

/* 2.7.5: a descriptor. */
struct virtq_desc {
	uint64_t addr;  /* physical address of the buffer */
	uint32_t len;
	uint16_t flags; /* VIRTQ_DESC_F_* */
	uint16_t next;  /* the next descriptor of the chain if flags has NEXT */
};
#define VIRTQ_DESC_F_NEXT 1  /* the chain goes on at next */
#define VIRTQ_DESC_F_WRITE 2 /* device-writable (else device-readable) */
_Static_assert(sizeof(struct virtq_desc) == 16, "2.7.5: a descriptor is 16 bytes");

/* 2.7.6: the available ring (the driver area), written by the driver only. */
struct virtq_avail {
	uint16_t flags; /* VIRTQ_AVAIL_F_NO_INTERRUPT */
	uint16_t idx;
	uint16_t ring[]; /* size entries, then used_event (VIRTIO_F_EVENT_IDX only) */
};
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

/* 2.7.8: the used ring (the device area), written by the device only. */
struct virtq_used_elem {
	uint32_t id;  /* head of the chain the device is done with */
	uint32_t len; /* bytes it wrote into the chain's device-writable part */
};
struct virtq_used {
	uint16_t flags; /* VIRTQ_USED_F_NO_NOTIFY */
	uint16_t idx;
	struct virtq_used_elem ring[]; /* size entries, then avail_event (VIRTIO_F_EVENT_IDX only) */
};
#define VIRTQ_USED_F_NO_NOTIFY 1
_Static_assert(sizeof(struct virtq_used_elem) == 8, "2.7.8: a used element is 8 bytes");

/* Where the three parts lie in one block of memory, and how long it is. */
struct virtq_layout {
	size_t desc, avail, used; /* byte offsets: aligned to 16, 2 and 4 (2.7, its table) */
	size_t bytes;             /* the whole block */
};

/* One element of a chain: a physically contiguous buffer. */
struct virtq_buf {
	uint64_t addr;
	uint32_t len;          /* > 0 */
	bool device_writes;    /* device-writable; such elements come after the readable ones (2.7.4.2) */
};

struct virtq {
	uint16_t size;       /* a power of two, <= VIRTQ_SIZE_MAX */
	uint16_t num_free;   /* descriptors on the free list */
	uint16_t free_head;
	uint16_t avail_idx;  /* the driver's copy of avail->idx */
	uint16_t last_used;  /* the next used index to take */
	bool broken;         /* the device broke a rule: nothing more is taken */
	const char *why;     /* what it broke (when broken) */
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	/* Private: the device cannot see or change these. */
	uint16_t next[VIRTQ_SIZE_MAX];      /* free-list and chain links */
	uint8_t chain_len[VIRTQ_SIZE_MAX];  /* per head: descriptors in its chain; 0 = not in flight */
	uint32_t in_bytes[VIRTQ_SIZE_MAX];  /* per head: device-writable bytes of its chain */
	void *token[VIRTQ_SIZE_MAX];        /* per head: the caller's cookie */
};

/* Barriers (2.7.13: before the avail idx update and before reading the used ring's
 * flags; 2.7.14: the used idx before the entries it covers). The rings are ordinary
 * write-back memory: x86 keeps stores in order and loads in order (SDM 3A 8.2.2), so the
 * first two only stop the compiler; a load after a store can pass it, hence the full one. */
static inline void virtq_wmb(void) { __atomic_thread_fence(__ATOMIC_RELEASE); }
static inline void virtq_rmb(void) { __atomic_thread_fence(__ATOMIC_ACQUIRE); }
static inline void virtq_mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

/* The queue size to use: the largest power of two <= both the device's maximum and cap
 * (cap itself a power of two). 0 when the device says 0 (the queue does not exist). Pure. */
uint16_t virtq_pick_size(uint16_t device_max, uint16_t cap);
/* The layout of a queue of this size in one block. 0, or -UV_EINVAL when size is 0, not a
 * power of two or above 32768 (2.7). Pure. */
int virtq_layout(uint16_t size, struct virtq_layout *l);
/* Entries between two free-running indices (from `from` up to `to`), modulo 2^16. Pure. */
static inline uint16_t virtq_distance(uint16_t from, uint16_t to) { return (uint16_t)(to - from); }

/* Sets q up over mem (mem_len bytes, 16-byte aligned, at least virtq_layout's bytes;
 * zeroed here: used flags start at 0, 2.7.10.1): every descriptor free, nothing in flight.
 * size must be a power of two <= VIRTQ_SIZE_MAX. 0 or -UV_EINVAL (q untouched). */
int virtq_init(struct virtq *q, uint16_t size, void *mem, size_t mem_len);
/* Offers one chain of n elements (readable first, then writable) and publishes it in the
 * available ring (barrier, then the idx update, 2.7.13). token (not NULL) comes back from
 * virtq_get. 0, -UV_EAGAIN when fewer than n descriptors are free, -UV_EINVAL for a
 * malformed chain (n outside 1..VIRTQ_CHAIN_MAX, a zero length, writable before
 * readable, writable bytes over 32 bits), -UV_EIO on a broken queue; nothing changes then. */
int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, void *token);
/* After virtq_add: true unless the device asked not to be notified (2.7.10, a full
 * barrier first so the idx update is seen before the flags are read). */
bool virtq_kick_needed(struct virtq *q);
/* Takes the next used chain back: its token and the length the device wrote. 0;
 * -UV_EAGAIN when none is used; -UV_EMSGSIZE when the length exceeds the chain's
 * writable bytes (the chain is taken back and *token set, *len is 0: the caller drops
 * the data and reuses the buffer); -UV_EIO when the device named a head out of range or
 * not in flight, or its used idx ran ahead of what was offered: the queue is marked
 * broken (q->why says why) and nothing more is taken from it. */
int virtq_get(struct virtq *q, void **token, uint32_t *len);
/* The descriptor the next virtq_add starts its chain at (its head, the id the device
 * will name): a caller keys per-chain memory by it. Meaningless when nothing is free. */
static inline uint16_t virtq_next_head(const struct virtq *q) { return q->free_head; }
/* For a queue the device can no longer use (reset, or bus mastering off): takes back one
 * chain still in flight and returns its token, NULL when none is left. */
void *virtq_detach(struct virtq *q);
/* Chains offered and not yet taken back. */
static inline uint16_t virtq_in_flight(const struct virtq *q) { return virtq_distance(q->last_used, q->avail_idx); }

#endif
