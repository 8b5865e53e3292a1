/* include/abi/uv_netcfg.h: a vNIC's IP configuration (IPv4 and IPv6), as the config states it (manifest vNIC record, boot-info page). */
#ifndef UV_ABI_NETCFG_H
#define UV_ABI_NETCFG_H

#include "uv_types.h"

/* uv_vnic_ip.mode */
#define UV_IP_NONE 0u   /* no address from the config: the app configures the vNIC itself, or not at all */
#define UV_IP_STATIC 1u /* addr/prefix, gw and dns below */
#define UV_IP_DHCP 2u   /* DHCPv4 (RFC 2131); dns, when set, is used besides the one DHCP offers */
#define UV_IP_MODE_MAX UV_IP_DHCP
#define UV_IP_PREFIX_MIN 1u  /* a /0 would make every address on-link */
#define UV_IP_PREFIX_MAX 30u /* a /31 or /32 leaves no room for a gateway on the link (RFC 3021 aside) */

/* uv_vnic_ip.mode6 */
#define UV_IP6_NONE 0u       /* no IPv6 on the vNIC */
#define UV_IP6_LINK_LOCAL 1u /* only the link-local address fe80::/64 + the MAC's modified EUI-64 (RFC 4291 2.5.6, appendix A) */
#define UV_IP6_STATIC 2u     /* the link-local address and addr6/prefix6 (gw6 when set) */
#define UV_IP6_MODE_MAX UV_IP6_STATIC
#define UV_IP6_PREFIX_MIN 1u
#define UV_IP6_PREFIX_MAX 128u
#define UV_IP6_LEN 16u

/*
 * IPv4 addresses in network byte order (addr[0] is the first dotted number). A zero
 * gw or dns means none. For UV_IP_STATIC: addr is a host address of addr/prefix (not
 * its network or broadcast address, not 0/8, 127/8, multicast or class E), gw (when
 * set) is another host of that network, dns a unicast address. For UV_IP_NONE and
 * UV_IP_DHCP addr, prefix and gw are zero.
 *
 * IPv6 (mode6, independent of mode): addresses in network byte order. For UV_IP6_STATIC,
 * addr6 is a unicast address (RFC 4291 2.4: not ::, ::1, ff00::/8, fe80::/10 (the
 * link-local one is always made from the MAC), ::ffff:0:0/96) and not the Subnet-Router
 * anycast address of addr6/prefix6 (RFC 4291 2.6.1: interface bits all zero). gw6, when
 * not all zero, is a link-local unicast address or another address of addr6/prefix6
 * (for UV_IP6_LINK_LOCAL: link-local only). For UV_IP6_NONE everything IPv6 is zero.
 */
struct uv_vnic_ip {
	uint8_t mode;        /* UV_IP_* */
	uint8_t prefix;      /* static: network prefix length, UV_IP_PREFIX_MIN..UV_IP_PREFIX_MAX */
	uint8_t reserved[2]; /* 0 */
	uint8_t addr[4];
	uint8_t gw[4];
	uint8_t dns[4];
	uint8_t mode6;        /* UV_IP6_* */
	uint8_t prefix6;      /* static: UV_IP6_PREFIX_MIN..UV_IP6_PREFIX_MAX, else 0 */
	uint8_t reserved6[6]; /* 0 */
	uint8_t addr6[UV_IP6_LEN];
	uint8_t gw6[UV_IP6_LEN];
};
UV_STATIC_ASSERT(sizeof(struct uv_vnic_ip) == 56, "uv_vnic_ip layout");

#endif
