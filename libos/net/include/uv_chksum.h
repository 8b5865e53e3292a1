/* libos/net/include/uv_chksum.h: the port's Internet checksum (lwipopts.h makes it lwIP's LWIP_CHKSUM). */
#ifndef LIBOS_NET_UV_CHKSUM_H
#define LIBOS_NET_UV_CHKSUM_H

#include <stdint.h>

/*
 * The 16-bit one's complement sum (RFC 1071), not complemented, of the len bytes at data,
 * in memory order (the value lwIP's own lwip_standard_chksum gives on a little-endian
 * CPU: store it and its bytes are the network-order sum). len <= 0 sums nothing.
 */
uint16_t uv_inet_chksum(const void *data, int len);

#endif
