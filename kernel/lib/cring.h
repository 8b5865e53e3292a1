/* kernel/lib/cring.h: the console ring: bytes waiting for the UART, each tagged with its owner (the kernel or an app), and each app's share of it. */
#ifndef KERNEL_LIB_CRING_H
#define KERNEL_LIB_CRING_H

#include <stddef.h>
#include <stdint.h>

/*
 * Owner 0 is the kernel; owner i + 1 is app i. An app may have at most CRING_SHARE
 * bytes in the ring (bytes of its output not yet sent). The shares of all apps together
 * leave CRING_RESERVE bytes that only the kernel may fill, so apps can never keep the
 * kernel's own lines out. Every byte carries its owner (one byte per slot), so each
 * owner's count is exact: it grows by what cring_put queues and shrinks by what
 * cring_pop sends. A restarted app keeps its number: what it printed before still counts.
 */
#define CRING_SIZE (128u << 10)  /* bytes of console output that may wait for the UART */
#define CRING_KERNEL 0u          /* the kernel's owner number */
#define CRING_APPS 16u           /* owners 1..CRING_APPS are apps (UV_MANIFEST_MAX_APPS) */
#define CRING_OWNERS (CRING_APPS + 1)
#define CRING_SHARE (6u << 10)   /* per app: more than one console_write of plain text */
#define CRING_RESERVE (CRING_SIZE - CRING_APPS * CRING_SHARE) /* 32 KiB for the kernel */
_Static_assert(CRING_RESERVE >= (16u << 10), "the kernel's reserve is too small");
_Static_assert((CRING_SIZE & (CRING_SIZE - 1)) == 0, "CRING_SIZE must be a power of two");

/* A zeroed struct cring is an empty ring with every count 0. */
struct cring {
	uint64_t head, tail;             /* bytes ever queued / ever sent; head - tail <= CRING_SIZE */
	uint64_t pending[CRING_OWNERS];  /* queued, not yet sent, per owner */
	uint64_t apps_pending;           /* the sum over the apps (owners 1..) */
	char data[CRING_SIZE];
	uint8_t owner[CRING_SIZE];
};

/* Bytes queued and not yet sent. */
static inline uint64_t cring_used(const struct cring *r) { return r->head - r->tail; }
/* Bytes owner (< CRING_OWNERS) may queue now: for the kernel every free byte; for an
 * app what is left of its share, of the apps' part of the ring, and of the free bytes. */
size_t cring_room(const struct cring *r, unsigned owner);
/* Queues as much of [s, s+n) as there are free bytes (it does not look at shares: the
 * caller checked cring_room), tagged with owner (< CRING_OWNERS). Returns bytes queued. */
size_t cring_put(struct cring *r, unsigned owner, const char *s, size_t n);
/* The oldest queued byte (the ring must not be empty). */
static inline char cring_peek(const struct cring *r) { return r->data[r->tail % CRING_SIZE]; }
/* Drops the oldest queued byte from the ring and from its owner's count (sent). */
static inline void cring_pop(struct cring *r)
{
	unsigned o = r->owner[r->tail % CRING_SIZE];
	r->pending[o]--;
	if (o != CRING_KERNEL)
		r->apps_pending--;
	r->tail++;
}

#endif
