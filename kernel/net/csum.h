/* kernel/net/csum.h: frames' checksum marks (include/abi/uv_hypercall.h UV_NET_CSUM_*): checking a sender's mark, completing the checksum it stands for. */
#ifndef KERNEL_NET_CSUM_H
#define KERNEL_NET_CSUM_H

#include <stdint.h>
#include "kernel/dev/netbuf.h"

/* Decodes net_write's len argument v: the frame's length into *len and its mark into
 * b->csum_start / b->csum_off (0 / 0 without one). 0; -UV_EMSGSIZE for a length outside
 * UV_NET_FRAME_MIN..UV_NET_FRAME_MAX_VLAN or high bits without UV_NET_CSUM_PARTIAL;
 * -UV_EINVAL for a mark that does not fit the frame. On error b is unchanged. */
int net_csum_decode(uint64_t v, struct netbuf *b, unsigned *len);
/* net_read's result for frame b: its length, with its mark when the reader takes marks. */
uint64_t net_csum_encode(const struct netbuf *b);
/* Completes the checksum b's mark stands for, in place, and clears the mark; nothing for a
 * frame without one. The mark was checked against b->len by net_csum_decode. */
void net_csum_complete(struct netbuf *b);
/* The RFC 1071 checksum of the n bytes at p (the one's complement of their one's complement
 * sum, in the frame's byte order, 0 stored as 0xffff), as the two bytes to store. Pure. */
uint16_t net_csum_fold(const uint8_t *p, unsigned n);

#endif
