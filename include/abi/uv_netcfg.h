/* include/abi/uv_netcfg.h: a vNIC's IP configuration, as the config states it (manifest vNIC record, boot-info page). */
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

/*
 * IPv4 addresses in network byte order (addr[0] is the first dotted number). A zero
 * gw or dns means none. For UV_IP_STATIC: addr is a host address of addr/prefix (not
 * its network or broadcast address, not 0/8, 127/8, multicast or class E), gw (when
 * set) is another host of that network, dns a unicast address. For UV_IP_NONE and
 * UV_IP_DHCP addr, prefix and gw are zero.
 */
struct uv_vnic_ip {
	uint8_t mode;        /* UV_IP_* */
	uint8_t prefix;      /* static: network prefix length, UV_IP_PREFIX_MIN..UV_IP_PREFIX_MAX */
	uint8_t reserved[2]; /* 0 */
	uint8_t addr[4];
	uint8_t gw[4];
	uint8_t dns[4];
};
UV_STATIC_ASSERT(sizeof(struct uv_vnic_ip) == 16, "uv_vnic_ip layout");

#endif
