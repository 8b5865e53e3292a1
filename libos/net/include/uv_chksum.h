/* libos/net/include/uv_chksum.h: the port's Internet checksum (lwipopts.h makes it lwIP's LWIP_CHKSUM) and the checksum marks of the frames it sends and receives. */
#ifndef LIBOS_NET_UV_CHKSUM_H
#define LIBOS_NET_UV_CHKSUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * The 16-bit one's complement sum (RFC 1071), not complemented, of the len bytes at data,
 * in memory order (the value lwIP's own lwip_standard_chksum gives on a little-endian
 * CPU: store it and its bytes are the network-order sum). len <= 0 sums nothing.
 */
uint16_t uv_inet_chksum(const void *data, int len);

/*
 * For frame f (len bytes from its Ethernet header) that holds one whole TCP segment over
 * IPv4 (not a fragment) or IPv6 (TCP straight after the fixed header) and nothing after it:
 * writes the pseudo-header's sum into TCP's checksum field and returns the frame's checksum
 * mark (UV_NET_CSUM_MARK, include/abi/uv_hypercall.h). Anything else: 0, f unchanged.
 */
uint64_t uv_csum_mark_tcp(uint8_t *f, size_t len);
/* Completes the checksum that mark m (UV_NET_CSUM_* bits of net_read's result) of frame f
 * (len bytes) stands for, as the kernel does; a mark outside the frame changes nothing. */
void uv_csum_complete(uint8_t *f, size_t len, uint64_t m);

#endif
