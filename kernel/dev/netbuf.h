/* kernel/dev/netbuf.h: the kernel's frame buffers: a fixed pool of 2 KiB DMA-able buffers with reference counts, shared by the NIC rings, the switch and the vNIC queues. */
#ifndef KERNEL_DEV_NETBUF_H
#define KERNEL_DEV_NETBUF_H

#include <stdint.h>

/* Room for the largest frame taken anywhere (1518 bytes: 1514 + a VLAN tag) and then some:
 * two buffers per page, so a buffer never crosses a page (one DMA segment each). */
#define NETBUF_BYTES 2048u
#define NETBUF_FRAME_MAX 1518u

struct netbuf {
	uint8_t *data;   /* NETBUF_BYTES; its physical address is the same (identity map) */
	uint16_t len;    /* bytes of frame in data */
	uint16_t refs;   /* holders: ring slots, queues; back to the pool at 0 */
	uint32_t index;  /* in the pool (for checks) */
	uint16_t csum_start; /* a checksum mark (kernel/net/csum.h): 0 none, else where the sum starts */
	uint16_t csum_off;   /* and where from there the checksum field is */
	struct netbuf *next_free;
};

struct netbuf_stats {
	uint32_t total, free, low_water; /* buffers; the fewest ever free */
	uint64_t exhausted;              /* netbuf_get calls that found none */
};

/* Allocates n buffers (rounded up to an even number), zeroed. 0 or -UV_ENOMEM. Called
 * once at boot, before any NIC is brought up; a second call adds nothing. */
int netbuf_pool_init(unsigned n);
/* A buffer with refs = 1, len = 0 and no checksum mark, or NULL (the pool is empty: counted). Never blocks. */
struct netbuf *netbuf_get(void);
void netbuf_ref(struct netbuf *b);
/* Drops one reference; the last returns the buffer. */
void netbuf_put(struct netbuf *b);
void netbuf_get_stats(struct netbuf_stats *s);

#endif
