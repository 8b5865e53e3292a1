/* kernel/net/csum.h: frames' checksum marks (include/abi/uv_hypercall.h UV_NET_CSUM_*): checking a sender's mark, completing the checksum it stands for. */
#ifndef KERNEL_NET_CSUM_H
#define KERNEL_NET_CSUM_H

#include <stdint.h>
#include "kernel/dev/netbuf.h"
#include "include/abi/uv_errno.h"
#include "include/abi/uv_hypercall.h"

#define NET_CSUM_FIELD_BYTES 2 /* the checksum field: 16 bits */

/* Decodes net_write's len argument v: the frame's length into *len and its mark into
 * b->csum_start / b->csum_off (0 / 0 without one). 0; -UV_EMSGSIZE for a length outside
 * UV_NET_FRAME_MIN..UV_NET_FRAME_MAX_VLAN or high bits without UV_NET_CSUM_PARTIAL;
 * -UV_EINVAL for a mark that does not fit the frame. On error b is unchanged. Inline: every
 * net_write takes this path. */
static inline int net_csum_decode(uint64_t v, struct netbuf *b, unsigned *len)
{
	if (__builtin_expect(!(v & UV_NET_CSUM_PARTIAL), 1)) {
		if (v < UV_NET_FRAME_MIN || v > UV_NET_FRAME_MAX_VLAN)
			return -UV_EMSGSIZE; /* also any high bit, as before ABI 1.4 */
		*len = (unsigned)v;
		b->csum_start = 0;
		b->csum_off = 0;
		return 0;
	}
	uint64_t n = v & UV_NET_LEN_MASK;
	if (n < UV_NET_FRAME_MIN || n > UV_NET_FRAME_MAX_VLAN)
		return -UV_EMSGSIZE;
	uint64_t start = UV_NET_CSUM_START(v), off = UV_NET_CSUM_OFF(v);
	/* Every byte the completion reads or writes lies in the frame (no wrap: each is < 2^16). */
	if ((v & UV_NET_CSUM_RESERVED) || start < UV_NET_CSUM_START_MIN || start + off + NET_CSUM_FIELD_BYTES > n)
		return -UV_EINVAL;
	*len = (unsigned)n;
	b->csum_start = (uint16_t)start;
	b->csum_off = (uint16_t)off;
	return 0;
}

/* net_read's result for frame b: its length, with its mark when the reader takes marks. */
static inline uint64_t net_csum_encode(const struct netbuf *b)
{
	if (!b->csum_start)
		return b->len;
	return b->len | UV_NET_CSUM_MARK(b->csum_start, b->csum_off);
}

/* Completes the checksum b's mark stands for, in place, and clears the mark; nothing for a
 * frame without one. The mark was checked against b->len by net_csum_decode. */
void net_csum_complete(struct netbuf *b);
/* The RFC 1071 checksum of the n bytes at p (the one's complement of their one's complement
 * sum, in the frame's byte order, 0 stored as 0xffff), as the two bytes to store. Pure. */
uint16_t net_csum_fold(const uint8_t *p, unsigned n);

#endif
